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
		const char *ifs[] = { d->if_prober, d->if_site, d->if_conduit_p,
				      d->if_conduit_s, d->bridge };
		char prefix[8];

		snprintf(prefix, sizeof(prefix), "mp%s-", d->id);
		ck_assert(in_list(d->netns, lab_all_netns, LAB_N_NETNS));
		for (i = 0; i < 5; i++) {
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

static Suite *
lab_topology_suite(void)
{
	Suite *s = suite_create("lab_topology");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_catalog);
	tcase_add_test(tc, test_site_index);
	tcase_add_test(tc, test_names_found_by_down);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(lab_topology_suite)
