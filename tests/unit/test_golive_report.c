/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The go-live report's pure parts: a trial read back from a summary.json
 * (control/golive_trial.c), the rates of a size on a link (raised to the
 * smallest STAMP frame), and report.json's entries and verdict
 * (control/golive_report.c): FAIL below a committed rate or when
 * interrupted, a reason for a link that has none, PASS otherwise.
 */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "golive_report.h"
#include "golive_trial.h"
#include "mp_test.h"

static const char summary[] =
	"{\"complete\":true,\"links\":["
	"{\"name\":\"a\",\"sent\":2000,\"lost\":10,\"frame_size_sent\":90,\"rtt_samples\":1990,"
	"\"rtt_us\":{\"min\":5,\"p50\":6,\"p99\":9,\"max\":20},\"frame_mix_sent\":\"90\"},"
	"{\"name\":\"b\",\"sent\":2000,\"lost\":0,\"frame_size_sent\":90,\"rtt_samples\":0}]}";

START_TEST(test_trial_from_summary)
{
	cJSON *s = cJSON_Parse(summary);
	struct rfc2544_trial t[MP_MAX_LINKS], w;
	char name[MP_MAX_LINKS][MP_NAME_MAX];

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(golive_trial_from_summary(s, 2000, t, name, MP_MAX_LINKS), 2);
	ck_assert_str_eq(name[0], "a");
	ck_assert(t[0].sent == 2000 && t[0].lost == 10 && t[0].frame_size_sent == 90);
	ck_assert_double_eq(t[0].sent_pps, 1000);
	ck_assert_double_eq(t[0].loss_ratio, 0.005);
	ck_assert(t[0].has_rtt && t[0].rtt_p99_us == 9);
	ck_assert(!t[1].has_rtt);
	/* the worse link speaks for a trial of both */
	golive_trial_worst(t, 2, &w);
	ck_assert_uint_eq(w.lost, 10);
	ck_assert_int_eq(golive_trial_from_summary(s, 2000, t, name, 1), 1);
	cJSON_Delete(s);
}
END_TEST

static void
link_v4(struct mp_link_cfg *l)
{
	memset(l, 0, sizeof(*l));
	l->ip.family = 4;
	l->rate_link_bps = 10000000000ull;
	snprintf(l->name, sizeof(l->name), "a");
}

START_TEST(test_rates_of_a_size)
{
	struct mp_link_cfg l;
	struct frame_mix m;
	struct rate r = { .kind = RATE_BPS, .value = 100000000 };

	link_v4(&l);
	/* 64 is sent as 90 (untagged IPv4 STAMP): 100 Mb/s is 113 636 frames a second */
	ck_assert_int_eq(golive_link_mix(&l, "64", &m), 0);
	ck_assert_uint_eq(m.size[0], 90);
	ck_assert_double_eq_tol(golive_rate_pps(&r, &m, &l), 1e8 / 880, 1e-6);
	ck_assert_int_eq(golive_link_mix(&l, "1518", &m), 0);
	ck_assert_double_eq(golive_mix_wire_bits(&m), 1538 * 8);
	/* IMIX 90:7+570:4+1518:1: the mean wire size */
	ck_assert_int_eq(golive_link_mix(&l, "imix", &m), 0);
	ck_assert_double_eq_tol(golive_mix_wire_bits(&m), (7 * 110 + 4 * 590 + 1538) * 8 / 12.0, 1e-9);
	r = (struct rate){ .kind = RATE_PPS, .value = 5000000 };
	ck_assert_double_eq(golive_rate_pps(&r, &m, &l), 5000);
	r = (struct rate){ .kind = RATE_LINE };
	ck_assert_int_eq(golive_link_mix(&l, "1518", &m), 0);
	ck_assert_double_eq_tol(golive_rate_pps(&r, &m, &l), 1e10 / (1538 * 8), 1);
	ck_assert_int_eq(golive_link_mix(&l, "big", &m), -EINVAL);
}
END_TEST

/* A one-link report with a throughput step that found found_pps of 1518-byte frames. */
static struct golive_report
report_with(const char *committed, double found_pps, bool interrupted)
{
	static struct mp_config cfg;
	static struct golive_plan plan;
	static uint32_t mtu[1] = { 1500 };
	static bool known[1] = { true };
	struct golive_report_info in = { .cfg = &cfg, .config_path = "/nonexistent.json",
					 .plan = &plan, .mtu = mtu, .mtu_known = known };
	struct golive_step_result res;
	struct golive_report r;
	uint32_t max_frame = 1518;
	const char *err;

	memset(&cfg, 0, sizeof(cfg));
	cfg.n_links = 1;
	link_v4(&cfg.links[0]);
	if (committed != NULL) {
		snprintf(cfg.links[0].committed_rate_text, 64, "%s", committed);
		ck_assert_int_eq(rate_parse(committed, &cfg.links[0].committed_rate, &err), 0);
	}
	ck_assert_int_eq(golive_plan_build(golive_plan_find("quick"), 1, &max_frame, 0, 0, 1500,
					   &plan), 0);
	ck_assert_int_eq(golive_report_init(&r, &in), 0);
	memset(&res, 0, sizeof(res));
	res.step = &plan.step[1];		/* throughput at 1518 */
	res.ceiling_pps = 8127;
	res.ceiling_is = "committed_rate";
	res.wire_bits = 1538 * 8;
	res.frame_size_sent = 1518;
	snprintf(res.mix_sent, sizeof(res.mix_sent), "1518");
	res.r.tput.found = found_pps > 0;
	res.r.tput.sent_pps = res.r.tput.rate_pps = found_pps;
	golive_report_step(&r, &cfg, &plan, &res);
	golive_report_finish(&r, &plan, interrupted ? 1 : plan.n, interrupted, 1);
	return r;
}

static const char *
verdict(const struct golive_report *r)
{
	return cJSON_GetStringValue(cJSON_GetObjectItem(r->root, "verdict"));
}

static bool
has_reason(const struct golive_report *r, const char *part)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, cJSON_GetObjectItem(r->root, "reasons"))
		if (strstr(it->valuestring, part) != NULL)
			return true;
	return false;
}

START_TEST(test_verdicts)
{
	struct golive_report r;
	const cJSON *t;

	/* 8127 pps of 1518 is the committed 100 Mb/s: PASS */
	r = report_with("100Mbps", 8127, false);
	ck_assert_str_eq(verdict(&r), "PASS");
	t = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(
		cJSON_GetObjectItem(r.root, "links"), 0), "rfc2544"), "throughput"), 0);
	ck_assert_double_eq(cJSON_GetObjectItem(t, "frame_size")->valuedouble, 1518);
	ck_assert_double_eq_tol(cJSON_GetObjectItem(t, "rate_bps")->valuedouble, 8127 * 12304.0, 1);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(r.root, "complete")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(r.root, "performance")));
	golive_report_free(&r);
	/* 20 Mb/s of a committed 100: FAIL, saying so */
	r = report_with("100Mbps", 1625, false);
	ck_assert_str_eq(verdict(&r), "FAIL");
	ck_assert(has_reason(&r, "below link a's committed_rate 100Mbps"));
	golive_report_free(&r);
	/* within the resolution (5%) of it: PASS */
	r = report_with("100Mbps", 8127 * 0.96, false);
	ck_assert_str_eq(verdict(&r), "PASS");
	golive_report_free(&r);
	/* no committed rate: reported, not judged */
	r = report_with(NULL, 1625, false);
	ck_assert_str_eq(verdict(&r), "PASS");
	ck_assert(has_reason(&r, "has no committed_rate"));
	golive_report_free(&r);
	/* interrupted: FAIL, and not complete */
	r = report_with("100Mbps", 8127, true);
	ck_assert_str_eq(verdict(&r), "FAIL");
	ck_assert(has_reason(&r, "interrupted after 1 of"));
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(r.root, "complete")));
	golive_report_free(&r);
}
END_TEST

static Suite *
golive_report_suite(void)
{
	Suite *s = suite_create("golive_report");
	TCase *tc = tcase_create("report");

	tcase_add_test(tc, test_trial_from_summary);
	tcase_add_test(tc, test_rates_of_a_size);
	tcase_add_test(tc, test_verdicts);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(golive_report_suite)
