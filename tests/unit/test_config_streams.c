/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * links[].streams (stream_config.c): what a stream leaves out it takes from
 * its link; each mistake names its JSON path; the dataplane's link text
 * carries the streams, and a link without them is the one stream it was.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "dp_args.h"
#include "mp_test.h"
#include "stream_config.h"

/* STREAMS is replaced by each case's text (link a's last member). */
static const char tmpl[] =
	"{\"links\":["
	"{\"name\":\"a\",\"location\":\"Zurich\",\"port\":\"net_null0\",\"link_speed\":\"1Gbps\","
	"\"ip\":\"192.0.2.1/30\",\"next_hop\":\"192.0.2.2\",\"vlan\":[{\"id\":10,\"pcp\":1}],"
	"\"rate\":\"1000pps\",\"frame_size\":256,\"dscp\":10,\"ssid\":5STREAMS},"
	"{\"name\":\"b\",\"location\":\"Zurich2\",\"port\":\"net_null1\","
	"\"ip\":\"198.51.100.1/31\",\"next_hop\":\"198.51.100.0\"}]}";

static int
parse_with(const char *streams, struct mp_config *c, char *err, size_t errlen)
{
	char text[4096];
	const char *p = strstr(tmpl, "STREAMS");

	snprintf(text, sizeof(text), "%.*s%s%s", (int)(p - tmpl), tmpl, streams, p + 7);
	return mp_config_parse(text, c, err, errlen);
}

START_TEST(test_streams_inherit)
{
	static struct mp_config c;
	char err[256];
	const struct mp_link_cfg *l = &c.links[0];

	ck_assert_msg(parse_with(",\"streams\":[{\"name\":\"voice\",\"rate\":\"2Mbps\","
				 "\"frame_size\":128,\"dscp\":46,\"pcp\":5,\"ssid\":11},"
				 "{\"name\":\"data\",\"frame_size\":\"imix\"}]",
				 &c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(l->n_streams, 2);
	ck_assert_str_eq(l->streams[0].name, "voice");
	ck_assert_str_eq(l->streams[0].rate_text, "2Mbps");
	ck_assert_int_eq(l->streams[0].rate.kind, RATE_BPS);
	ck_assert_str_eq(l->streams[0].frame_mix, "128");
	ck_assert_uint_eq(l->streams[0].dscp, 46);
	ck_assert_int_eq(l->streams[0].pcp, 5);
	ck_assert_uint_eq(l->streams[0].ssid, 11);
	/* the second takes rate, DSCP, PCP from the link, its SSID the link's + 100 */
	ck_assert_str_eq(l->streams[1].rate_text, "1000pps");
	ck_assert_str_eq(l->streams[1].frame_mix, "64:7+570:4+1518:1");
	ck_assert_uint_eq(l->streams[1].dscp, 10);
	ck_assert_int_eq(l->streams[1].pcp, -1);
	ck_assert_uint_eq(l->streams[1].ssid, 5 + STREAM_SSID_STEP);
	ck_assert_uint_eq(mp_link_cfg_lanes(l), 2);
	ck_assert_uint_eq(mp_link_cfg_max_frame(l), 1518);
	ck_assert_int_eq(c.links[1].n_streams, 0);
	ck_assert_uint_eq(mp_link_cfg_lanes(&c.links[1]), 1);
}
END_TEST

/* The dataplane's --link text carries them (and a link without streams has no streams=). */
START_TEST(test_streams_dp_args)
{
	static struct mp_config c;
	struct dp_args_opts o = { .binary = "metroprobe-dp" };
	struct dp_args *a = calloc(1, sizeof(*a));
	char err[256];
	int i, found = 0;

	ck_assert_ptr_nonnull(a);
	ck_assert_msg(parse_with(",\"streams\":[{\"name\":\"voice\",\"rate\":\"2Mbps\","
				 "\"frame_size\":128,\"dscp\":46,\"pcp\":5,\"ssid\":11},"
				 "{\"name\":\"data\",\"frame_size\":\"imix\"}]",
				 &c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(dp_args_build(a, &c, &o), 0);
	for (i = 0; i < a->argc; i++) {
		if (strncmp(a->argv[i], "name=a,", 7) == 0) {
			ck_assert_ptr_nonnull(strstr(a->argv[i], ",streams=voice/2Mbps/128/46/5/11;"
						     "data/1kpps/64:7+570:4+1518:1/10/-/105"));
			found++;
		}
		if (strncmp(a->argv[i], "name=b,", 7) == 0) {
			ck_assert_ptr_null(strstr(a->argv[i], "streams="));
			found++;
		}
	}
	ck_assert_int_eq(found, 2);
	/* a stream made by hand (golive's trials): name, rates and SSID only */
	memset(&c.links[1].streams[0], 0, sizeof(c.links[1].streams[0]));
	snprintf(c.links[1].streams[0].name, MP_STREAM_NAME_MAX, "s1");
	c.links[1].streams[0].ssid = 77;
	c.links[1].streams[0].pcp = -1;
	c.links[1].n_streams = 1;
	ck_assert_int_eq(dp_args_build(a, &c, &o), 0);
	for (i = 0; i < a->argc; i++)
		if (strncmp(a->argv[i], "name=b,", 7) == 0)
			ck_assert_ptr_nonnull(strstr(a->argv[i], ",streams=s1/1kpps/128/0/-/77"));
	free(a);
}
END_TEST

static const struct {
	const char *streams;
	const char *want;
} bad[] = {
	{ ",\"streams\":{}", "links[0].streams: an object, expected an array of 1..8 streams" },
	{ ",\"streams\":[]", "links[0].streams: an array of another length, expected" },
	{ ",\"streams\":[1]", "links[0].streams[0]: a number, expected an object" },
	{ ",\"streams\":[{}]", "links[0].streams[0].name: " },
	{ ",\"streams\":[{\"name\":\"v x\"}]", "links[0].streams[0].name: \"v x\" is not a name" },
	{ ",\"streams\":[{\"name\":\"v\",\"colour\":1}]", "links[0].streams[0].colour: unknown key" },
	{ ",\"streams\":[{\"name\":\"v\"},{\"name\":\"v\"}]",
	  "links[0].streams[1].name: \"v\" is also the name of streams[0]" },
	{ ",\"streams\":[{\"name\":\"v\",\"ssid\":9},{\"name\":\"w\",\"ssid\":9}]",
	  "links[0].streams[1].ssid: 9 is also the SSID of streams[0]" },
	{ ",\"streams\":[{\"name\":\"v\",\"pcp\":9}]", "links[0].streams[0].pcp: 9 out of range (0..7)" },
	{ ",\"streams\":[{\"name\":\"v\",\"dscp\":64}]", "links[0].streams[0].dscp: 64 out of range" },
	{ ",\"streams\":[{\"name\":\"v\",\"rate\":\"9 furlongs\"}]",
	  "links[0].streams[0].rate: \"9 furlongs\" is not a rate" },
	{ ",\"streams\":[{\"name\":\"v\",\"frame_size\":63}]", "links[0].streams[0].frame_size: 63" },
	{ ",\"streams\":[{\"name\":\"v\",\"frame_size\":\"64:0\"}]",
	  "links[0].streams[0].frame_size: \"64:0\"" },
	{ ",\"streams\":[{\"name\":\"v\",\"rate\":\"600Mbps\"},{\"name\":\"w\",\"rate\":\"500Mbps\"}]",
	  "links[0].streams: the streams add up to 1100000000 bps, above the link speed 1000000000" },
	{ ",\"streams\":[{\"name\":\"v\",\"ssid\":2}]",
	  "links[1].ssid: 2 is also an SSID of links[0]" },
	{ ",\"queues\":5,\"streams\":[{\"name\":\"v\"},{\"name\":\"w\"}]",
	  "links[0].streams: 2 streams x 5 queues: more than 8 lanes" },
};

START_TEST(test_streams_bad)
{
	static struct mp_config c;
	char err[256];

	ck_assert_int_eq(parse_with(bad[_i].streams, &c, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strncmp(err, bad[_i].want, strlen(bad[_i].want)) == 0,
		      "\n  got  \"%s\"\n  want \"%s...\"", err, bad[_i].want);
}
END_TEST

/* pcp needs a tag to carry it */
START_TEST(test_streams_pcp_untagged)
{
	static struct mp_config c;
	char err[256], text[2048];
	const char *t = "{\"links\":["
		"{\"name\":\"a\",\"location\":\"Zurich\",\"port\":\"net_null0\","
		"\"ip\":\"192.0.2.1/30\",\"next_hop\":\"192.0.2.2\","
		"\"streams\":[{\"name\":\"v\"},{\"name\":\"w\",\"pcp\":3}]},"
		"{\"name\":\"b\",\"location\":\"Zurich2\",\"port\":\"net_null1\","
		"\"ip\":\"198.51.100.1/31\",\"next_hop\":\"198.51.100.0\"}]}";

	snprintf(text, sizeof(text), "%s", t);
	ck_assert_int_eq(mp_config_parse(text, &c, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "links[0].streams[1].pcp: pcp without a vlan tag (give the link a vlan)");
}
END_TEST

static Suite *
config_streams_suite(void)
{
	Suite *s = suite_create("config_streams");
	TCase *tc = tcase_create("streams");

	tcase_add_test(tc, test_streams_inherit);
	tcase_add_test(tc, test_streams_dp_args);
	tcase_add_loop_test(tc, test_streams_bad, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_streams_pcp_untagged);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(config_streams_suite)
