/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Link kinds (link_kind.h): a service link third, after the two pinned
 * links; its carrier keys; one-line errors naming the field; what the
 * dataplane is given for the service link's path rounds.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "dp_args.h"
#include "mp_test.h"

#define LINK_A	"{\"name\":\"a\",\"location\":\"Zurich\",\"port\":\"net_null0\"," \
		"\"ip\":\"192.0.2.1/30\",\"next_hop\":\"192.0.2.2\"}"
#define LINK_B	"{\"name\":\"b\",\"location\":\"Zurich2\",\"port\":\"net_null1\"," \
		"\"ip\":\"198.51.100.1/31\",\"next_hop\":\"198.51.100.0\"}"
#define SVC(extra) "{\"name\":\"svc\",\"kind\":\"service\",\"port\":\"net_null2\"," \
		"\"ip\":\"10.0.0.2/24\",\"next_hop\":\"10.0.0.1\",\"reflector\":\"10.1.0.4\"" \
		extra "}"

static int
parse3(const char *l0, const char *l1, const char *l2, const char *top, struct mp_config *c,
       char *err)
{
	char text[2048];

	snprintf(text, sizeof(text), "{%s\"links\":[%s,%s%s%s]}", top, l0, l1,
		 l2 != NULL ? "," : "", l2 != NULL ? l2 : "");
	return mp_config_parse(text, c, err, 256);
}

static const char *
arg_of(const struct mp_config *c, const char *opt)
{
	static struct dp_args a;
	struct dp_args_opts o = { .binary = "metroprobe-dp" };
	int i, n = 0;

	ck_assert_int_eq(dp_args_build(&a, c, &o), 0);
	for (i = 0; i + 1 < a.argc; i++)
		n += strcmp(a.argv[i], "--link") == 0;
	ck_assert_int_eq(n, c->n_links);
	for (i = 0; i + 1 < a.argc; i++)
		if (strcmp(a.argv[i], opt) == 0)
			return a.argv[i + 1];
	return NULL;
}

START_TEST(test_pair_only)
{
	static struct mp_config c;
	char err[256];

	ck_assert_int_eq(parse3(LINK_A, LINK_B, NULL, "", &c, err), 0);
	ck_assert_int_eq(c.n_links, 2);
	ck_assert_int_eq(c.carrier.service, -1);
	ck_assert_int_eq(c.links[0].kind, LINK_KIND_PINNED);
	ck_assert_int_eq(link_kind_pinned(&c), 2);
	ck_assert_str_eq(arg_of(&c, "--path-interval-ms"), "10000");
}
END_TEST

START_TEST(test_service)
{
	static struct mp_config c;
	char err[256];
	char ip[64];

	ck_assert_msg(parse3(LINK_A, LINK_B, SVC(",\"carrier_interval_ms\":500,\"carriers\":"
					       "{\"b\":[\"203.0.113.2\",\"2001:db8:ff::2\"]}"),
			     "", &c, err) == 0, "%s", err);
	ck_assert_int_eq(c.n_links, 3);
	ck_assert_int_eq(link_kind_pinned(&c), 2);
	ck_assert_int_eq(c.links[2].kind, LINK_KIND_SERVICE);
	ck_assert_int_eq(c.carrier.service, 2);
	ck_assert_uint_eq(c.carrier.interval_ms, 500);
	ck_assert_int_eq(c.carrier.n_addr[0], 0);
	ck_assert_int_eq(c.carrier.n_addr[1], 2);
	ip_addr_format(&c.carrier.addr[1][0], ip, sizeof(ip));
	ck_assert_str_eq(ip, "203.0.113.2");
	ck_assert_str_eq(c.links[2].location, "");
	ck_assert_str_eq(link_kind_where(&c.links[2]), "service");
	ck_assert_str_eq(link_kind_where(&c.links[1]), "Zurich2");
	ck_assert_uint_eq(c.links[2].ssid, 3);
	/* the service link's rounds set the pace of all (one interval in the dataplane) */
	ck_assert_str_eq(arg_of(&c, "--path-interval-ms"), "500");
	/* default interval; path probes off elsewhere still trace the service link */
	ck_assert_int_eq(parse3(LINK_A, LINK_B, SVC(""), "\"path\":false,", &c, err), 0);
	ck_assert_uint_eq(c.carrier.interval_ms, CARRIER_INTERVAL_MS);
	ck_assert_str_eq(arg_of(&c, "--path-interval-ms"), "1000");
	ck_assert_int_eq(parse3(LINK_A, LINK_B, SVC(""), "\"path\":{\"interval_ms\":200},", &c,
				err), 0);
	ck_assert_str_eq(arg_of(&c, "--path-interval-ms"), "200");
	/* "pinned" spelled out is the default */
	ck_assert_int_eq(parse3("{\"kind\":\"pinned\",\"name\":\"a\",\"location\":\"Zurich\","
				"\"port\":\"net_null0\",\"ip\":\"192.0.2.1/30\",\"next_hop\":"
				"\"192.0.2.2\"}", LINK_B, NULL, "", &c, err), 0);
}
END_TEST

static const struct {
	const char *l0, *l1, *l2, *want;
} bad[] = {
	{ LINK_A, LINK_B, "{\"name\":\"c\"}",
	  "links[2].location: missing" },
	{ LINK_A, SVC(""), NULL,
	  "links[1].kind: \"service\": the service link comes third, after the two pinned links" },
	{ LINK_A, LINK_B, "{\"name\":\"c\",\"kind\":\"pinned\",\"location\":\"Zurich\","
	  "\"port\":\"net_null2\",\"ip\":\"10.0.0.2/24\",\"next_hop\":\"10.0.0.1\"}",
	  "links[2].kind: a third link must be \"kind\": \"service\"" },
	{ LINK_A, LINK_B, SVC(",\"location\":\"Zurich\""),
	  "links[2].location: a service link has no peering location" },
	{ LINK_A, LINK_B, "{\"name\":\"svc\",\"kind\":\"anycast\"}",
	  "links[2].kind: \"anycast\" is not a kind of link" },
	{ LINK_A, LINK_B, "{\"name\":\"svc\",\"kind\":7}",
	  "links[2].kind: a number" },
	{ LINK_A, LINK_B, SVC(",\"carrier_interval_ms\":50"),
	  "links[2].carrier_interval_ms: 50 out of range (100..60000)" },
	{ LINK_A, LINK_B, SVC(",\"carriers\":{\"c\":[\"192.0.2.2\"]}"),
	  "links[2].carriers.c: \"c\" is not a pinned link (a or b)" },
	{ LINK_A, LINK_B, SVC(",\"carriers\":{\"a\":\"192.0.2.2\"}"),
	  "links[2].carriers.a: a string, expected an array of hop addresses" },
	{ LINK_A, LINK_B, SVC(",\"carriers\":{\"a\":[\"192.0.2.300\"]}"),
	  "links[2].carriers.a[0]: 192.0.2.300 is not an IPv4 or IPv6 address" },
	{ LINK_A, LINK_B, SVC(",\"carriers\":[]"),
	  "links[2].carriers: " },
	{ "{\"carriers\":{},\"name\":\"a\"}", LINK_B, NULL,
	  "links[0].kind: \"pinned\": carriers and carrier_interval_ms are a service link's" },
	{ LINK_A, LINK_B, "{\"name\":\"a\",\"kind\":\"service\",\"port\":\"net_null2\","
	  "\"ip\":\"10.0.0.2/24\",\"next_hop\":\"10.0.0.1\"}",
	  "links[2].name: \"a\" is also the name of links[0]" },
	{ LINK_A, LINK_B, "{\"name\":\"s\",\"kind\":\"service\",\"port\":\"net_null1\","
	  "\"ip\":\"10.0.0.2/24\",\"next_hop\":\"10.0.0.1\"}",
	  "links[2].port: same port as links[1]" },
	{ LINK_A, LINK_B, "{\"name\":\"s\",\"kind\":\"service\",\"port\":\"net_null2\","
	  "\"ip\":\"10.0.0.2/24\",\"next_hop\":\"10.0.0.1\",\"ssid\":2}",
	  "links[2].ssid: 2 is also the SSID of links[1]" },
	{ LINK_A, LINK_B, "{\"name\":\"s\",\"kind\":\"service\",\"port\":\"net_null2\","
	  "\"ip\":\"10.0.0.2/24\",\"next_hop\":\"10.0.0.1\",\"netns\":\"x\"}",
	  "links[2].netns: \"x\" differs from links[0].netns" },
};

START_TEST(test_bad)
{
	static struct mp_config c;
	char err[256] = "";
	int rc = parse3(bad[_i].l0, bad[_i].l1, bad[_i].l2, "", &c, err);

	if (bad[_i].want[0] == '\0') {
		ck_assert_int_eq(rc, 0);
		return;
	}
	ck_assert_int_eq(rc, -EINVAL);
	ck_assert_msg(strncmp(err, bad[_i].want, strlen(bad[_i].want)) == 0,
		      "case %d:\n  got  \"%s\"\n  want \"%s...\"", _i, err, bad[_i].want);
	ck_assert_ptr_null(strchr(err, '\n'));
}
END_TEST

START_TEST(test_counts)
{
	static struct mp_config c;
	char err[256], text[2048];

	snprintf(text, sizeof(text), "{\"links\":[%s,%s,%s,%s]}", LINK_A, LINK_B, SVC(""),
		 SVC(""));
	ck_assert_int_eq(mp_config_parse(text, &c, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strstr(err, "links: 4 given") == err, "%s", err);
	snprintf(text, sizeof(text), "{\"links\":[%s]}", LINK_A);
	ck_assert_int_eq(mp_config_parse(text, &c, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strstr(err, "links: 1 given") == err, "%s", err);
}
END_TEST

static Suite *
link_kind_suite(void)
{
	Suite *s = suite_create("link_kind");
	TCase *tc = tcase_create("link_kind");

	tcase_add_test(tc, test_pair_only);
	tcase_add_test(tc, test_service);
	tcase_add_loop_test(tc, test_bad, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, test_counts);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(link_kind_suite)
