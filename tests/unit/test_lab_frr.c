/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The routed lab's FRR configs (control/lab_frr.c) and the plans they are
 * made from (control/lab_routed.c): the text for given addresses and ASNs
 * is exactly what is expected, and each topology gives the sessions it
 * should (who peers with whom, single hop or multihop, BFD, preferences).
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "lab_internal.h"
#include "mp_test.h"

static const char ce_bgpd[] =
	"! bgpd of ce: written by metroprobe lab up --routed\n"
	"hostname ce\n"
	"!\n"
	"ip prefix-list MP-OWN seq 5 permit 10.0.0.0/24\n"
	"route-map MP-IN-a permit 10\n"
	" set local-preference 200\n"
	"exit\n"
	"route-map MP-OUT-a permit 10\n"
	" match ip address prefix-list MP-OWN\n"
	"exit\n"
	"route-map MP-OUT-b permit 10\n"
	" match ip address prefix-list MP-OWN\n"
	" set as-path prepend 65010 65010\n"
	"exit\n"
	"!\n"
	"router bgp 65010\n"
	" bgp router-id 10.0.0.1\n"
	" no bgp ebgp-requires-policy\n"
	" no bgp default ipv4-unicast\n"
	" timers bgp 60 180\n"
	" neighbor 192.0.2.10 remote-as 12076\n"
	" neighbor 192.0.2.10 description link-a\n"
	" neighbor 192.0.2.10 ebgp-multihop 2\n"
	" neighbor 192.0.2.10 update-source 192.0.2.5\n"
	" neighbor 192.0.2.10 timers connect 1\n"
	" neighbor 192.0.2.10 advertisement-interval 0\n"
	" neighbor 192.0.2.10 bfd profile expressroute\n"
	" neighbor 198.51.100.10 remote-as 12076\n"
	" neighbor 198.51.100.10 description link-b\n"
	" neighbor 198.51.100.10 ebgp-multihop 2\n"
	" neighbor 198.51.100.10 update-source 198.51.100.5\n"
	" neighbor 198.51.100.10 timers connect 1\n"
	" neighbor 198.51.100.10 advertisement-interval 0\n"
	" neighbor 198.51.100.10 bfd profile expressroute\n"
	" !\n"
	" address-family ipv4 unicast\n"
	"  network 10.0.0.0/24\n"
	"  neighbor 192.0.2.10 activate\n"
	"  neighbor 192.0.2.10 route-map MP-IN-a in\n"
	"  neighbor 192.0.2.10 route-map MP-OUT-a out\n"
	"  neighbor 198.51.100.10 activate\n"
	"  neighbor 198.51.100.10 route-map MP-OUT-b out\n"
	" exit-address-family\n"
	"exit\n";

static const char bfdd[] =
	"! bfdd of ce: written by metroprobe lab up --routed\n"
	"hostname ce\n"
	"!\n"
	"bfd\n"
	" profile expressroute\n"
	"  detect-multiplier 3\n"
	"  receive-interval 300\n"
	"  transmit-interval 300\n"
	"  minimum-ttl 250\n"
	" exit\n"
	" !\n"
	"exit\n";

static void
routed(struct lab_state *st, enum lab_topo topo)
{
	lab_state_init(st);
	st->topo = topo;
	st->routed = true;
	st->site[0].kind = st->site[1].kind = LAB_KIND_XDP;
}

/* The text of router i of a routed lab of topology topo. */
static void
conf_of(enum lab_topo topo, int i, char *buf, size_t len)
{
	struct lab_frr_router r;
	struct lab_state st;

	routed(&st, topo);
	ck_assert_int_eq(lab_rtr_plan(&st, i, &r), 0);
	ck_assert_int_gt(lab_frr_bgpd_conf(&r, buf, len), 0);
}

START_TEST(test_ce_text_diverse)
{
	struct lab_frr_router r;
	struct lab_state st;
	char buf[8192];

	routed(&st, LAB_TOPO_DIVERSE);
	ck_assert_int_eq(lab_rtr_plan(&st, 0, &r), 0);
	ck_assert_int_eq(lab_frr_bgpd_conf(&r, buf, sizeof(buf)), (int)strlen(ce_bgpd));
	ck_assert_str_eq(buf, ce_bgpd);
	ck_assert_int_eq(lab_frr_bfdd_conf(&r, buf, sizeof(buf)), (int)strlen(bfdd));
	ck_assert_str_eq(buf, bfdd);
	ck_assert_int_gt(lab_frr_zebra_conf(&r, buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "hostname ce\n"));
}
END_TEST

/* An MSEE: its CE over the link (BFD, multihop across rtr-a) and the gateway (one hop, no BFD). */
START_TEST(test_msee_diverse)
{
	char buf[8192];

	conf_of(LAB_TOPO_DIVERSE, 1, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "router bgp 12076\n bgp router-id 203.0.113.1\n"));
	ck_assert_ptr_nonnull(strstr(buf, " neighbor 192.0.2.5 remote-as 65010\n"
					  " neighbor 192.0.2.5 description link-a\n"
					  " neighbor 192.0.2.5 ebgp-multihop 2\n"
					  " neighbor 192.0.2.5 update-source 192.0.2.10\n"));
	ck_assert_ptr_nonnull(strstr(buf, " neighbor 192.0.2.5 bfd profile expressroute\n"));
	ck_assert_ptr_nonnull(strstr(buf, " neighbor 203.0.113.2 remote-as 65515\n"
					  " neighbor 203.0.113.2 timers connect 1\n"));
	ck_assert_ptr_null(strstr(buf, "203.0.113.2 bfd"));
	ck_assert_ptr_null(strstr(buf, "route-map"));
	ck_assert_ptr_null(strstr(buf, "network"));
	conf_of(LAB_TOPO_DIVERSE, 3, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "router bgp 65515\n"));
	ck_assert_ptr_nonnull(strstr(buf, "  network 10.1.0.0/24\n"));
	ck_assert_ptr_nonnull(strstr(buf, " neighbor 203.0.113.1 remote-as 12076\n"));
	ck_assert_ptr_nonnull(strstr(buf, " neighbor 203.0.113.5 remote-as 12076\n"));
}
END_TEST

/* direct: the CE and the MSEE share the /30, a single-hop session; shared-conduit: 3 hops. */
START_TEST(test_hops_per_topology)
{
	char buf[8192];

	conf_of(LAB_TOPO_DIRECT, 0, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, " neighbor 192.0.2.6 remote-as 12076\n"));
	ck_assert_ptr_null(strstr(buf, "ebgp-multihop"));
	ck_assert_ptr_null(strstr(buf, "update-source"));
	conf_of(LAB_TOPO_SHARED_CONDUIT, 0, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, " neighbor 192.0.2.14 ebgp-multihop 3\n"
					  " neighbor 192.0.2.14 update-source 192.0.2.5\n"));
}
END_TEST

/* standard: both links land on MSEE-A (two sessions to the CE there), no MSEE-B. */
START_TEST(test_standard)
{
	struct lab_frr_router r;
	struct lab_state st;

	routed(&st, LAB_TOPO_STANDARD);
	ck_assert(!lab_rtr_used(&st, 2));
	ck_assert_int_eq(lab_rtr_plan(&st, 2, &r), -1);
	ck_assert_int_eq(lab_rtr_plan(&st, 1, &r), 0);
	ck_assert_int_eq(r.n_neigh, 3);
	ck_assert_str_eq(r.neigh[0].addr, "192.0.2.5");
	ck_assert_str_eq(r.neigh[1].addr, "198.51.100.5");
	ck_assert_str_eq(r.neigh[1].local, "198.51.100.10");
	ck_assert_str_eq(r.neigh[2].addr, "203.0.113.2");
	ck_assert_int_eq(lab_rtr_plan(&st, 3, &r), 0);
	ck_assert_int_eq(r.n_neigh, 1);
}
END_TEST

START_TEST(test_not_routed_and_small_buffers)
{
	struct lab_frr_router r;
	struct lab_state st;
	char buf[8192];
	size_t len;

	lab_state_init(&st);
	ck_assert_int_eq(lab_rtr_plan(&st, 0, &r), -1);
	routed(&st, LAB_TOPO_DIVERSE);
	ck_assert_int_eq(lab_rtr_plan(&st, 0, &r), 0);
	for (len = 1; len <= strlen(ce_bgpd); len += 97)
		ck_assert_int_eq(lab_frr_bgpd_conf(&r, buf, len), -1);
	ck_assert_int_eq(lab_frr_bgpd_conf(&r, buf, strlen(ce_bgpd) + 1), (int)strlen(ce_bgpd));
	ck_assert_int_eq(lab_frr_bfdd_conf(&r, buf, 10), -1);
	r.n_neigh = LAB_FRR_MAX_NEIGH + 1;
	ck_assert_int_eq(lab_frr_bgpd_conf(&r, buf, sizeof(buf)), -1);
}
END_TEST

/* --ipv6: a second session per link over the /126s, in address-family ipv6 unicast. */
START_TEST(test_ipv6_sessions)
{
	struct lab_frr_router r;
	struct lab_state st;
	char buf[8192];

	routed(&st, LAB_TOPO_DIVERSE);
	st.ipv6 = true;
	ck_assert_int_eq(lab_rtr_plan(&st, 0, &r), 0);
	ck_assert_int_eq(r.n_neigh, 4);
	ck_assert_int_gt(lab_frr_bgpd_conf(&r, buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "ipv6 prefix-list MP-OWN6 seq 5 permit 2001:db8:10::/64\n"));
	ck_assert_ptr_nonnull(strstr(buf, "route-map MP-OUT-b6 permit 10\n"
					  " match ipv6 address prefix-list MP-OWN6\n"
					  " set as-path prepend 65010 65010\n"));
	ck_assert_ptr_nonnull(strstr(buf, " neighbor 2001:db8:a::a remote-as 12076\n"
					  " neighbor 2001:db8:a::a description link-a-ipv6\n"
					  " neighbor 2001:db8:a::a ebgp-multihop 2\n"
					  " neighbor 2001:db8:a::a update-source 2001:db8:a::5\n"));
	ck_assert_ptr_nonnull(strstr(buf, " address-family ipv6 unicast\n"
					  "  network 2001:db8:10::/64\n"
					  "  neighbor 2001:db8:a::a activate\n"
					  "  neighbor 2001:db8:a::a route-map MP-IN-a6 in\n"));
	/* the IPv4 family has only the IPv4 neighbours */
	*strstr(buf, " address-family ipv6 unicast\n") = '\0';
	ck_assert_ptr_null(strstr(strstr(buf, " address-family ipv4 unicast\n"), "2001:"));
	ck_assert_int_eq(lab_rtr_plan(&st, 1, &r), 0);
	ck_assert_int_eq(r.n_neigh, 4);
	ck_assert_str_eq(r.neigh[3].addr, "2001:db8:f::2");
	ck_assert(r.neigh[3].v6 && !r.neigh[3].bfd);
	ck_assert_int_eq(lab_rtr_plan(&st, 3, &r), 0);
	ck_assert_int_gt(lab_frr_bgpd_conf(&r, buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "  network 2001:db8:100::/64\n"));
	/* without --ipv6, no IPv6 family at all */
	st.ipv6 = false;
	ck_assert_int_eq(lab_rtr_plan(&st, 3, &r), 0);
	ck_assert_int_gt(lab_frr_bgpd_conf(&r, buf, sizeof(buf)), 0);
	ck_assert_ptr_null(strstr(buf, "ipv6"));
}
END_TEST

/* The routed lab's state survives the state file; cuts are parsed by name. */
START_TEST(test_state_round_trip)
{
	struct lab_state st, back;
	cJSON *j;

	routed(&st, LAB_TOPO_SHARED_CONDUIT);
	st.cut[1] = LAB_CUT_CARRIER;
	j = lab_state_json(&st);
	lab_state_init(&back);
	lab_state_from_json(j, &back);
	cJSON_Delete(j);
	ck_assert(back.routed);
	ck_assert_int_eq(back.cut[0], LAB_CUT_NONE);
	ck_assert_int_eq(back.cut[1], LAB_CUT_CARRIER);
	ck_assert_int_eq(lab_cut_parse("blackhole"), LAB_CUT_BLACKHOLE);
	ck_assert_int_eq(lab_cut_parse("fire"), -1);
	ck_assert(lab_netns_wanted(&st, LAB_NS_CE) && lab_netns_wanted(&st, LAB_NS_VNET));
	st.routed = false;
	ck_assert(!lab_netns_wanted(&st, LAB_NS_CE) && !lab_netns_wanted(&st, LAB_NS_VNET));
}
END_TEST

static Suite *
lab_frr_suite(void)
{
	Suite *s = suite_create("lab_frr");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_ce_text_diverse);
	tcase_add_test(tc, test_msee_diverse);
	tcase_add_test(tc, test_hops_per_topology);
	tcase_add_test(tc, test_standard);
	tcase_add_test(tc, test_not_routed_and_small_buffers);
	tcase_add_test(tc, test_ipv6_sessions);
	tcase_add_test(tc, test_state_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(lab_frr_suite)
