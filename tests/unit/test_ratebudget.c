/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The service section and the low-rate rules: defaults without a section,
 * the section's one-line errors, the default rate given only to links
 * without a rate, wire bits/s of pps, bps and mix rates against hand
 * arithmetic, and the budget's refusal naming the link, its bit/s and the
 * budget.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ratebudget.h"
#include "config.h"
#include "mp_test.h"
#include "rotate.h"

static const char cfg_fmt[] =
	"{\"links\":["
	"{\"name\":\"a\",\"location\":\"Zurich\",\"port\":\"net_null0\","
	"\"ip\":\"192.0.2.1/30\",\"next_hop\":\"192.0.2.2\"%s},"
	"{\"name\":\"b\",\"location\":\"Zurich2\",\"port\":\"net_null1\","
	"\"ip\":\"198.51.100.1/31\",\"next_hop\":\"198.51.100.0\"%s}]%s}";

static int
parse(struct mp_config *c, const char *a, const char *b, const char *top, char *err)
{
	char text[2048];

	snprintf(text, sizeof(text), cfg_fmt, a, b, top);
	return mp_config_parse(text, c, err, 512);
}

START_TEST(test_section)
{
	struct mp_config *c = calloc(1, sizeof(*c));
	struct rot_policy p;
	char err[512];

	ck_assert_int_eq(parse(c, "", "", "", err), 0);
	ck_assert(!c->service.present);
	ck_assert_str_eq(c->service.default_rate, "10pps");
	ck_assert_uint_eq(c->service.budget_bps, 1000000);
	service_rot_policy(&c->service, &p);
	ck_assert(!rot_enabled(&p));		/* a run without a section: as before */
	ck_assert_int_eq(parse(c, "", "", ",\"service\":{\"name\":\"ams\",\"budget\":\"2Mbps\","
			       "\"rotate_bytes\":1000,\"keep_files\":3}", err), 0);
	ck_assert(c->service.present);
	ck_assert_str_eq(c->service.name, "ams");
	ck_assert_uint_eq(c->service.budget_bps, 2000000);
	service_rot_policy(&c->service, &p);
	ck_assert_uint_eq(p.max_bytes, 1000);
	ck_assert_uint_eq(p.max_age_s, 3600);
	ck_assert_uint_eq(p.keep_files, 3);
	ck_assert_int_ne(parse(c, "", "", ",\"service\":{\"budget\":\"10pps\"}", err), 0);
	ck_assert_msg(strstr(err, "service.budget") != NULL && strchr(err, '\n') == NULL, "%s", err);
	ck_assert_int_ne(parse(c, "", "", ",\"service\":{\"default_rate\":\"1Mbps\"}", err), 0);
	ck_assert_msg(strstr(err, "service.default_rate") != NULL, "%s", err);
	ck_assert_int_ne(parse(c, "", "", ",\"service\":{\"name\":\"a/b\"}", err), 0);
	ck_assert_msg(strstr(err, "service.name") != NULL, "%s", err);
	ck_assert_int_ne(parse(c, "", "", ",\"service\":{\"socket\":\"rel.sock\"}", err), 0);
	ck_assert_msg(strstr(err, "service.socket") != NULL, "%s", err);
	ck_assert_int_ne(parse(c, "", "", ",\"service\":{\"rotate_mb\":1}", err), 0);
	ck_assert_msg(strstr(err, "rotate_mb") != NULL, "%s", err);
	ck_assert_int_ne(parse(c, "", "", ",\"service\":[]", err), 0);
	free(c);
}
END_TEST

START_TEST(test_default_rate)
{
	struct mp_config *c = calloc(1, sizeof(*c));
	char err[512];

	ck_assert_int_eq(parse(c, ",\"rate\":\"200pps\"", "", "", err), 0);
	ck_assert(c->links[0].rate_given && !c->links[1].rate_given);
	ck_assert_int_eq(ratebudget_apply_default(c), 1);
	ck_assert_str_eq(c->links[0].rate_text, "200pps");
	ck_assert_str_eq(c->links[1].rate_text, "10pps");
	ck_assert_uint_eq(c->links[1].rate.value, 10000);	/* milli-pps */
	free(c);
}
END_TEST

START_TEST(test_bps)
{
	struct mp_config *c = calloc(1, sizeof(*c));
	char err[512], msg[512];

	/* 10 pps of 128 B frames: 10 * (128 + 20) * 8 */
	ck_assert_int_eq(parse(c, ",\"frame_size\":128", ",\"rate\":\"500kbps\"", "", err), 0);
	ratebudget_apply_default(c);
	ck_assert_uint_eq(ratebudget_link_bps(&c->links[0]), 11840);
	ck_assert_uint_eq(ratebudget_link_bps(&c->links[1]), 500000);
	ck_assert_int_eq(ratebudget_check(c, msg, sizeof(msg)), 0);
	/* 1000 pps of 128 B: 1 184 000 bit/s, above the 1 Mbit/s default */
	ck_assert_int_eq(parse(c, "", ",\"rate\":\"1000pps\",\"frame_size\":128", "", err), 0);
	ratebudget_apply_default(c);
	ck_assert_int_eq(ratebudget_check(c, msg, sizeof(msg)), -1);
	ck_assert_msg(strstr(msg, "links[1] (b)") != NULL && strstr(msg, "1184000 bit/s") != NULL &&
		      strstr(msg, "1000000 bit/s") != NULL && strstr(msg, "--allow-rate") != NULL,
		      "%s", msg);
	/* a mix: 100 pps of 64:1+1518:1, mean wire bits (84 + 1538) * 8 / 2 */
	ck_assert_int_eq(parse(c, ",\"rate\":\"100pps\",\"frame_size\":\"64:1+1518:1\"", "", "",
			       err), 0);
	ck_assert_uint_eq(ratebudget_link_bps(&c->links[0]), 100ull * (84 + 1538) * 8 / 2);
	/* % of a stated speed */
	ck_assert_int_eq(parse(c, ",\"rate\":\"1%\",\"link_speed\":\"10Gbps\"", "", "", err), 0);
	ck_assert_uint_gt(ratebudget_link_bps(&c->links[0]), 99000000);
	ck_assert_uint_le(ratebudget_link_bps(&c->links[0]), 100000000);
	ck_assert_int_eq(ratebudget_check(c, msg, sizeof(msg)), -1);
	ck_assert_msg(strstr(msg, "links[0] (a)") != NULL, "%s", msg);
	free(c);
}
END_TEST

static Suite *
budget_suite(void)
{
	Suite *s = suite_create("budget");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_section);
	tcase_add_test(tc, test_default_rate);
	tcase_add_test(tc, test_bps);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(budget_suite)
