/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lab's names (control/lab_topology.c): its sites are the catalog's
 * peering locations of one metro, and every name it makes is one that
 * `lab down` finds again (by the netns list, the interface list and the
 * mpa-/mpb- prefixes its BPF pins carry).
 */
#include <check.h>
#include <string.h>

#include "lab_internal.h"
#include "mp_test.h"

START_TEST(test_catalog)
{
	const struct mp_metro *m = lab_metro();
	int s, site;

	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->name, LAB_METRO);
	for (s = 0; s < LAB_NSITES; s++) {
		/* each site is one of the metro's peering locations, a different one */
		ck_assert_ptr_eq(mp_metro_of_location(lab_site_location(s), &site), m);
		ck_assert_int_eq(site, lab_sites[s].loc);
		ck_assert_str_eq(lab_site_facility(s), m->sites[site].facility);
	}
	ck_assert_int_ne(lab_sites[0].loc, lab_sites[1].loc);
	/* what the lab has always called them */
	ck_assert_str_eq(lab_site_location(0), "Amsterdam");
	ck_assert_str_eq(lab_site_facility(0), "Equinix AM5");
	ck_assert_str_eq(lab_site_location(1), "Amsterdam2");
	ck_assert_str_eq(lab_site_facility(1), "Digital Realty AMS8");
}
END_TEST

START_TEST(test_site_index)
{
	int s;

	for (s = 0; s < LAB_NSITES; s++)
		ck_assert_int_eq(lab_site_index(lab_sites[s].id), s);
	ck_assert_int_eq(lab_site_index("a"), 0);
	ck_assert_int_eq(lab_site_index("b"), 1);
	ck_assert_int_eq(lab_site_index("c"), -1);
	ck_assert_int_eq(lab_site_index("conduit"), -1);
	ck_assert_int_eq(lab_site_index(""), -1);
}
END_TEST

static bool
in_list(const char *name, const char *const *list, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

/* Everything a site is made of can be found and removed by `lab down`. */
START_TEST(test_names_found_by_down)
{
	int s, i, j;

	for (s = 0; s < LAB_NSITES; s++) {
		const struct lab_site_def *d = &lab_sites[s];
		char rifs[2 * LAB_NROUTERS][16];
		const char *ifs[2 + 2 * LAB_NROUTERS] = { d->if_prober, d->if_site };
		char prefix[8];
		int r;

		for (r = 0; r < LAB_NROUTERS; r++) {
			lab_router_if(s, r, false, rifs[2 * r], sizeof(rifs[0]));
			lab_router_if(s, r, true, rifs[2 * r + 1], sizeof(rifs[0]));
			ifs[2 + 2 * r] = rifs[2 * r];
			ifs[3 + 2 * r] = rifs[2 * r + 1];
			ck_assert(in_list(lab_routers[r].netns, lab_all_netns, LAB_N_NETNS));
		}
		snprintf(prefix, sizeof(prefix), "mp%s-", d->id);
		ck_assert(in_list(d->netns, lab_all_netns, LAB_N_NETNS));
		for (i = 0; i < 2 + 2 * LAB_NROUTERS; i++) {
			ck_assert_msg(in_list(ifs[i], lab_root_ifs, LAB_N_ROOT_IFS), "%s", ifs[i]);
			ck_assert_msg(strncmp(ifs[i], prefix, strlen(prefix)) == 0, "%s", ifs[i]);
			ck_assert_int_lt(strlen(ifs[i]), 16);	/* IFNAMSIZ */
		}
		/* the dataplane's port is the prober's end */
		ck_assert_ptr_nonnull(strstr(d->prober_port, d->if_prober));
		ck_assert_int_eq(d->ssid, s + 1);
	}
	ck_assert(in_list(LAB_NS_ONPREM, lab_all_netns, LAB_N_NETNS));
	ck_assert(in_list(LAB_NS_CONDUIT, lab_all_netns, LAB_N_NETNS));
	/* no name twice */
	for (i = 0; i < LAB_N_ROOT_IFS; i++)
		for (j = i + 1; j < LAB_N_ROOT_IFS; j++)
			ck_assert_str_ne(lab_root_ifs[i], lab_root_ifs[j]);
	for (i = 0; i < LAB_N_NETNS; i++)
		ck_assert_int_eq(strncmp(lab_all_netns[i], "mp-", 3), 0);
}
END_TEST

/* The routers each link crosses, per topology, and the names `lab impair` takes. */
START_TEST(test_hops)
{
	struct lab_state st;
	int hops[LAB_MAX_HOPS], t;

	lab_state_init(&st);
	ck_assert_int_eq(st.topo, LAB_TOPO_DIVERSE);	/* the default */
	for (t = 0; t < LAB_TOPO_COUNT; t++)
		ck_assert_int_eq(lab_topo_parse(lab_topo_names[t]), t);
	ck_assert_int_lt(lab_topo_parse("metro"), 0);
	ck_assert_int_eq(lab_router_index("rtr-a"), 0);
	ck_assert_int_eq(lab_router_index("rtr-b"), 1);
	ck_assert_int_eq(lab_router_index("conduit"), LAB_ROUTER_CONDUIT);
	ck_assert_int_lt(lab_router_index("a"), 0);
	/* diverse: one router of its own per link */
	ck_assert_int_eq(lab_link_hops(&st, 0, hops), 1);
	ck_assert_int_eq(hops[0], 0);
	ck_assert_int_eq(lab_link_hops(&st, 1, hops), 1);
	ck_assert_int_eq(hops[0], 1);
	ck_assert(!lab_router_used(&st, LAB_ROUTER_CONDUIT));
	ck_assert_int_ne(lab_link_loc(&st, 0), lab_link_loc(&st, 1));
	/* shared-conduit: the conduit first, on both links */
	st.topo = LAB_TOPO_SHARED_CONDUIT;
	ck_assert_int_eq(lab_link_hops(&st, 1, hops), 2);
	ck_assert_int_eq(hops[0], LAB_ROUTER_CONDUIT);
	ck_assert_int_eq(hops[1], 1);
	ck_assert(lab_router_used(&st, LAB_ROUTER_CONDUIT));
	/* standard: own routers, one site and one location */
	st.topo = LAB_TOPO_STANDARD;
	ck_assert_int_eq(lab_link_hops(&st, 1, hops), 1);
	ck_assert_int_eq(lab_link_loc(&st, 0), lab_link_loc(&st, 1));
	ck_assert_str_eq(lab_site_netns(&st, 1), LAB_NS_SITE_A);
	/* direct: none */
	st.topo = LAB_TOPO_DIRECT;
	ck_assert_int_eq(lab_link_hops(&st, 0, hops), 0);
	ck_assert(!lab_router_used(&st, 0) && !lab_router_used(&st, 1));
	ck_assert_str_eq(lab_site_netns(&st, 1), LAB_NS_SITE_B);
}
END_TEST

/* Segment j of a link is the /30 (/126) at 4 j: .1 towards the prober, .2 beyond. */
START_TEST(test_segments)
{
	struct lab_state st;
	char buf[64];

	lab_seg_addr(0, 0, false, false, buf, sizeof(buf));
	ck_assert_str_eq(buf, lab_sites[0].prober_v4);
	lab_seg_addr(0, 0, false, true, buf, sizeof(buf));
	ck_assert_str_eq(buf, lab_sites[0].prober_v6);
	lab_seg_net(0, 0, false, buf, sizeof(buf));
	ck_assert_str_eq(buf, lab_sites[0].net_v4);
	lab_seg_net(1, 0, true, buf, sizeof(buf));
	ck_assert_str_eq(buf, lab_sites[1].net_v6);
	lab_seg_net(1, 2, false, buf, sizeof(buf));
	ck_assert_str_eq(buf, "198.51.100.8/30");
	lab_seg_net(0, 1, true, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2001:db8:a::4/126");
	lab_seg_addr(1, 1, true, false, buf, sizeof(buf));
	ck_assert_str_eq(buf, "198.51.100.6");
	lab_seg_addr(0, 2, false, true, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2001:db8:a::9");
	lab_state_init(&st);
	st.topo = LAB_TOPO_SHARED_CONDUIT;
	lab_site_addr(&st, 0, false, buf, sizeof(buf));
	ck_assert_str_eq(buf, "192.0.2.10");
	lab_site_gateway(&st, 0, false, buf, sizeof(buf));
	ck_assert_str_eq(buf, "192.0.2.9");
	st.topo = LAB_TOPO_DIRECT;
	lab_site_gateway(&st, 1, true, buf, sizeof(buf));
	ck_assert_str_eq(buf, lab_sites[1].prober_v6);
	lab_router_if(1, LAB_ROUTER_CONDUIT, true, buf, sizeof(buf));
	ck_assert_str_eq(buf, "mpb-co");
	lab_router_if(0, 0, false, buf, sizeof(buf));
	ck_assert_str_eq(buf, "mpa-ri");
}
END_TEST

static Suite *
lab_topology_suite(void)
{
	Suite *s = suite_create("lab_topology");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_catalog);
	tcase_add_test(tc, test_site_index);
	tcase_add_test(tc, test_names_found_by_down);
	tcase_add_test(tc, test_hops);
	tcase_add_test(tc, test_segments);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(lab_topology_suite)
