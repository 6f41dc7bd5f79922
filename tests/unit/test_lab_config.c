/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config `lab up` writes (control/lab_config.c): every variant the
 * options can make parses with the config parser `metroprobe run` uses,
 * and the IPv4 one is control/examples/lab.json.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "lab_internal.h"
#include "mp_test.h"
#include "util.h"

#ifndef MP_SOURCE_ROOT
#define MP_SOURCE_ROOT "."
#endif

/*
 * Every state `lab up` can reach before it writes the config: IPv4 or
 * IPv6, with or without the conduit, each reflector kind per site, with
 * and without hugepages and impairments.
 */
START_TEST(test_every_variant_parses)
{
	static const struct lab_impair imps[] = {
		{ 0 },
		{ .loss_pct = 5, .delay_us = 200, .jitter_us = 50, .dup_pct = 1 },
		{ .ge_p = 1, .ge_r = 25, .ge_k = 100 },
		{ .blackhole = true },
	};
	unsigned int v, n = 0;

	for (v = 0; v < 2 * LAB_TOPO_COUNT * 2 * LAB_KIND_COUNT * LAB_KIND_COUNT * 4; v++) {
		unsigned int x = v;
		struct lab_state st;
		struct mp_config c;
		char err[256], *text;
		int s;

		lab_state_init(&st);
		st.ipv6 = x % 2, x /= 2;
		st.topo = (enum lab_topo)(x % LAB_TOPO_COUNT), x /= LAB_TOPO_COUNT;
		st.hp_ok = x % 2, x /= 2;
		for (s = 0; s < LAB_NSITES; s++) {
			st.site[s].kind = (enum lab_kind)(x % LAB_KIND_COUNT);
			x /= LAB_KIND_COUNT;
		}
		st.site[0].imp = imps[x % 4];
		text = lab_config_text(&st);
		ck_assert_ptr_nonnull(text);
		ck_assert(text[strlen(text) - 1] == '\n');
		ck_assert_msg(mp_config_parse(text, &c, err, sizeof(err)) == 0,
			      "variant %u: %s\n%s", v, err, text);
		free(text);
		/* the example SLA for the healthy lab only: per link and for the pair */
		ck_assert_int_eq(c.sla.configured, x % 4 == 0);
		ck_assert_int_eq(c.sla.n, x % 4 == 0 ? 8 : 0);
		ck_assert_str_eq(c.metro, LAB_METRO);
		ck_assert_int_eq(c.n_links, LAB_NSITES);
		for (s = 0; s < LAB_NSITES; s++) {
			ck_assert_str_eq(c.links[s].name, lab_sites[s].id);
			ck_assert_str_eq(c.links[s].location, st.topo == LAB_TOPO_STANDARD ?
					 lab_site_location(0) : lab_site_location(s));
			ck_assert_str_eq(c.circuit, st.topo == LAB_TOPO_STANDARD ? "standard" : "metro");
			ck_assert_str_eq(c.links[s].netns, LAB_NS_ONPREM);
			ck_assert_int_eq(c.links[s].plen,
					 st.ipv6 ? lab_sites[s].plen_v6 : lab_sites[s].plen_v4);
			ck_assert_int_eq(c.links[s].ssid, lab_sites[s].ssid);
			ck_assert_int_eq(c.links[s].reflector_port, LAB_STAMP_PORT);
		}
		n++;
	}
	ck_assert_uint_eq(n, 576);
}
END_TEST

/* standard: both links at site a's peering location, in mp-site-a, behind their routers. */
START_TEST(test_standard)
{
	struct lab_state st;
	const cJSON *links;
	cJSON *j;
	int s;

	lab_state_init(&st);
	st.topo = LAB_TOPO_STANDARD;
	j = lab_config_json(&st);
	links = cJSON_GetObjectItemCaseSensitive(j, "links");
	for (s = 0; s < LAB_NSITES; s++) {
		const cJSON *l = cJSON_GetArrayItem(links, s);

		ck_assert_str_eq(lab_jstr(l, "location"), "Amsterdam");
		ck_assert_str_eq(lab_site_netns(&st, s), LAB_NS_SITE_A);
	}
	ck_assert_str_eq(lab_jstr(cJSON_GetArrayItem(links, 1), "next_hop"), "198.51.100.2");
	ck_assert_str_eq(lab_jstr(cJSON_GetArrayItem(links, 1), "reflector"), "198.51.100.6");
	cJSON_Delete(j);
}
END_TEST

/*
 * The addresses are the prober's own, of the family asked for; next_hop
 * is the first router's (the site's with none), reflector the site's
 * behind the routers: .2 with none, .6 behind one, .10 behind two.
 */
START_TEST(test_addresses)
{
	static const char *const refl[LAB_TOPO_COUNT][2][LAB_NSITES] = {
		[LAB_TOPO_DIVERSE] = { { "192.0.2.6", "198.51.100.6" },
				       { "2001:db8:a::6", "2001:db8:b::6" } },
		[LAB_TOPO_SHARED_CONDUIT] = { { "192.0.2.10", "198.51.100.10" },
					      { "2001:db8:a::a", "2001:db8:b::a" } },
		[LAB_TOPO_STANDARD] = { { "192.0.2.6", "198.51.100.6" },
					{ "2001:db8:a::6", "2001:db8:b::6" } },
		[LAB_TOPO_DIRECT] = { { "192.0.2.2", "198.51.100.2" },
				      { "2001:db8:a::2", "2001:db8:b::2" } },
	};
	static const char *const next_hop[2][LAB_NSITES] = {
		{ "192.0.2.2", "198.51.100.2" }, { "2001:db8:a::2", "2001:db8:b::2" },
	};
	struct lab_state st;
	const cJSON *links;
	cJSON *j;
	int s, v, t;

	for (v = 0; v < 2 * LAB_TOPO_COUNT; v++) {
		t = v / 2;
		lab_state_init(&st);
		st.topo = (enum lab_topo)t;
		st.ipv6 = v % 2;
		j = lab_config_json(&st);
		links = cJSON_GetObjectItemCaseSensitive(j, "links");
		for (s = 0; s < LAB_NSITES; s++) {
			const cJSON *l = cJSON_GetArrayItem(links, s);
			const struct lab_site_def *d = &lab_sites[s];
			char ip[64];

			snprintf(ip, sizeof(ip), "%s/%d", st.ipv6 ? d->prober_v6 : d->prober_v4,
				 st.ipv6 ? d->plen_v6 : d->plen_v4);
			ck_assert_str_eq(lab_jstr(l, "ip"), ip);
			ck_assert_str_eq(lab_jstr(l, "next_hop"), next_hop[st.ipv6][s]);
			ck_assert_str_eq(lab_jstr(l, "reflector"), refl[t][st.ipv6][s]);
			ck_assert_str_eq(lab_jstr(l, "port"), d->prober_port);
		}
		cJSON_Delete(j);
	}
}
END_TEST

/* control/examples/lab.json is what `lab up --config-out` writes (IPv4). */
START_TEST(test_example_is_what_lab_up_writes)
{
	struct lab_state st;
	cJSON *ex, *made;
	char *text;

	text = mp_read_file(MP_SOURCE_ROOT "/control/examples/lab.json", NULL);
	ck_assert_ptr_nonnull(text);
	ex = cJSON_Parse(text);
	free(text);
	ck_assert_ptr_nonnull(ex);
	cJSON_DeleteItemFromObjectCaseSensitive(ex, "_comment");
	lab_state_init(&st);
	made = lab_config_json(&st);
	text = cJSON_Print(made);
	ck_assert_msg(cJSON_Compare(ex, made, true), "lab up writes:\n%s", text);
	free(text);
	/* and the IPv6 one is not it */
	cJSON_Delete(made);
	st.ipv6 = true;
	made = lab_config_json(&st);
	ck_assert(!cJSON_Compare(ex, made, true));
	cJSON_Delete(made);
	cJSON_Delete(ex);
}
END_TEST

/* The routed lab adds its service link third: via the CE to the VNet's reflector. */
START_TEST(test_routed_service)
{
	struct lab_state st;
	struct mp_config c;
	char err[256], *text, ip[64];
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		lab_state_init(&st);
		st.routed = true;
		st.ipv6 = v6;
		text = lab_config_text(&st);
		ck_assert_msg(mp_config_parse(text, &c, err, sizeof(err)) == 0, "%s\n%s", err, text);
		free(text);
		ck_assert_int_eq(c.n_links, 3);
		ck_assert_int_eq(link_kind_pinned(&c), 2);
		ck_assert_int_eq(c.carrier.service, 2);
		ck_assert_str_eq(c.links[2].name, LAB_SERVICE_LINK);
		ck_assert_int_eq(c.links[2].kind, LINK_KIND_SERVICE);
		ck_assert_uint_eq(c.carrier.interval_ms, 500);
		ip_addr_format(&c.links[2].reflector, ip, sizeof(ip));
		ck_assert_str_eq(ip, v6 ? LAB_VNET_REFLECTOR6 : LAB_VNET_REFLECTOR);
		ip_addr_format(&c.links[2].next_hop, ip, sizeof(ip));
		ck_assert_str_eq(ip, v6 ? LAB_ONPREM_CE6 : LAB_ONPREM_CE);
		ck_assert_str_eq(c.links[2].netns, LAB_NS_ONPREM);
	}
	/* not routed: the pair alone */
	lab_state_init(&st);
	text = lab_config_text(&st);
	ck_assert_int_eq(mp_config_parse(text, &c, err, sizeof(err)), 0);
	free(text);
	ck_assert_int_eq(c.n_links, 2);
	ck_assert_int_eq(c.carrier.service, -1);
}
END_TEST

static Suite *
lab_config_suite(void)
{
	Suite *s = suite_create("lab_config");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_every_variant_parses);
	tcase_add_test(tc, test_addresses);
	tcase_add_test(tc, test_standard);
	tcase_add_test(tc, test_example_is_what_lab_up_writes);
	tcase_add_test(tc, test_routed_service);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(lab_config_suite)
