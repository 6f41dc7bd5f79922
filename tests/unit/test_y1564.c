/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Y.1564's pure logic (control/y1564.c): the steps of a service, the KPIs
 * of a trial, the judgement of each kind of step against the criteria,
 * availability, the verdicts folded; and the report's JSON of a service
 * and of the performance test (control/y1564_report.c) with the keys
 * agreed in the schema.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "golive_y1564.h"
#include "mp_test.h"
#include "y1564.h"

static const struct y1564_criteria crit = {
	.ftd_us = 10000, .fdv_us = 2000, .flr = 0.001, .avail = 0.999,
};
/* CIR 16 Mb/s, EIR 4 Mb/s, 5% tolerance, a policer expected */
static const struct y1564_judge judge = {
	.crit = &crit, .cir_bps = 16e6, .eir_bps = 4e6, .tolerance = 0.05, .policer = true,
};

START_TEST(test_steps)
{
	struct y1564_step_plan s[Y1564_STEPS];
	int n;

	n = y1564_steps(16e6, 4e6, s);
	ck_assert_int_eq(n, 6);
	ck_assert_str_eq(s[0].label, "25%");
	ck_assert_double_eq_tol(s[0].rate_bps, 4e6, 1e-6);
	ck_assert_double_eq_tol(s[3].rate_bps, 16e6, 1e-6);
	ck_assert_double_eq_tol(s[3].load_pct, 100, 1e-9);
	ck_assert_str_eq(s[4].label, "CIR+EIR");
	ck_assert_int_eq(s[4].kind, Y1564_EIR_STEP);
	ck_assert_double_eq_tol(s[4].rate_bps, 20e6, 1e-6);
	ck_assert_str_eq(s[5].label, "policing");
	ck_assert_double_eq_tol(s[5].rate_bps, 25e6, 1e-6);
	ck_assert_double_eq_tol(s[5].load_pct, 156.25, 1e-9);
	/* no EIR: no CIR+EIR step, policing above CIR */
	n = y1564_steps(10e6, 0, s);
	ck_assert_int_eq(n, 5);
	ck_assert_int_eq(s[4].kind, Y1564_POLICING_STEP);
	ck_assert_double_eq_tol(s[4].rate_bps, 12.5e6, 1e-6);
}
END_TEST

/* IR is what came back, in the wire bits CIR is given in; FDV is p99 - min. */
START_TEST(test_kpi)
{
	struct y1564_raw r = {
		.duration_ms = 2000, .sent = 20000, .lost = 100, .wire_bits = 1184,
		.rtt_samples = 19900, .rtt_min_us = 50, .rtt_mean_us = 60, .rtt_p99_us = 250,
		.rtt_max_us = 900, .has_avail = true, .avail = 1,
	};
	struct y1564_kpi k;

	y1564_kpi_from_raw(&r, &k);
	ck_assert_double_eq_tol(k.offered_bps, 20000 * 1184 / 2.0, 1e-6);
	ck_assert_double_eq_tol(k.ir_bps, 19900 * 1184 / 2.0, 1e-6);
	ck_assert_double_eq_tol(k.flr, 0.005, 1e-12);
	ck_assert(k.has_delay);
	ck_assert_double_eq(k.ftd_us, 60);
	ck_assert_double_eq(k.fdv_us, 200);
	ck_assert_double_eq(k.ftd_max_us, 900);
	/* nothing came back: no delay, IR 0 */
	r.lost = r.sent;
	r.rtt_samples = 0;
	y1564_kpi_from_raw(&r, &k);
	ck_assert(!k.has_delay);
	ck_assert_double_eq(k.ir_bps, 0);
	ck_assert_double_eq(k.flr, 1);
}
END_TEST

static void
kpi(struct y1564_kpi *k, double offered, double ir, double ftd, double fdv, double flr)
{
	memset(k, 0, sizeof(*k));
	k->duration_ms = 1000;
	k->sent = 1000;
	k->lost = (uint64_t)llround(flr * 1000);
	k->offered_bps = offered;
	k->ir_bps = ir;
	k->flr = flr;
	k->has_delay = true;
	k->ftd_us = ftd;
	k->fdv_us = fdv;
	k->has_avail = true;
	k->avail = 1;
}

START_TEST(test_judge_cir_steps)
{
	struct y1564_judge j = judge;
	struct y1564_step_plan s[Y1564_STEPS];
	struct y1564_kpi k;
	char why[Y1564_REASON_MAX];

	y1564_steps(16e6, 4e6, s);
	kpi(&k, 16e6, 16e6, 500, 100, 0);
	ck_assert_int_eq(y1564_judge_step(&j, &s[3], &k, why, sizeof(why)), Y1564_PASS);
	/* every criterion, each named with its numbers */
	kpi(&k, 16e6, 16e6, 20000, 100, 0);
	ck_assert_int_eq(y1564_judge_step(&j, &s[3], &k, why, sizeof(why)), Y1564_FAIL);
	ck_assert_msg(strstr(why, "FTD 20000.0 us > 10000.0 us") != NULL, "%s", why);
	kpi(&k, 16e6, 16e6, 500, 3000, 0);
	ck_assert_int_eq(y1564_judge_step(&j, &s[3], &k, why, sizeof(why)), Y1564_FAIL);
	ck_assert_msg(strstr(why, "FDV 3000.0 us > 2000.0 us") != NULL, "%s", why);
	kpi(&k, 16e6, 15.9e6, 500, 100, 0.01);
	ck_assert_int_eq(y1564_judge_step(&j, &s[3], &k, why, sizeof(why)), Y1564_FAIL);
	ck_assert_msg(strstr(why, "FLR 1% > 0.1%") != NULL, "%s", why);
	kpi(&k, 16e6, 16e6, 500, 100, 0);
	k.avail = 0.99;
	ck_assert_int_eq(y1564_judge_step(&j, &s[3], &k, why, sizeof(why)), Y1564_FAIL);
	ck_assert_msg(strstr(why, "AVAIL 99% < 99.9%") != NULL, "%s", why);
	/* two at once: both said */
	kpi(&k, 16e6, 16e6, 20000, 3000, 0);
	ck_assert_int_eq(y1564_judge_step(&j, &s[0], &k, why, sizeof(why)), Y1564_FAIL);
	ck_assert(strstr(why, "FTD") != NULL && strstr(why, "; FDV") != NULL);
	/* IR short of the rate offered (a 25% step at 4 Mb/s) */
	kpi(&k, 4e6, 3.5e6, 500, 100, 0);
	ck_assert_int_eq(y1564_judge_step(&j, &s[0], &k, why, sizeof(why)), Y1564_FAIL);
	ck_assert_msg(strstr(why, "IR 3.500 Mb/s < offered 4.000 Mb/s") != NULL, "%s", why);
	/* within the tolerance */
	kpi(&k, 4e6, 3.9e6, 500, 100, 0);
	ck_assert_int_eq(y1564_judge_step(&j, &s[0], &k, why, sizeof(why)), Y1564_PASS);
	/* nothing came back */
	kpi(&k, 4e6, 0, 0, 0, 1);
	k.has_delay = false;
	ck_assert_int_eq(y1564_judge_step(&j, &s[0], &k, why, sizeof(why)), Y1564_FAIL);
	ck_assert(strstr(why, "no frame came back") != NULL);
}
END_TEST

START_TEST(test_judge_eir_and_policing)
{
	struct y1564_judge j = judge;
	struct y1564_step_plan s[Y1564_STEPS];
	struct y1564_kpi k;
	char why[Y1564_REASON_MAX];

	y1564_steps(16e6, 4e6, s);
	/* CIR+EIR: loss, delay over the EIR share not judged; IR at least CIR */
	kpi(&k, 20e6, 17e6, 50000, 9000, 0.15);
	ck_assert_int_eq(y1564_judge_step(&j, &s[4], &k, why, sizeof(why)), Y1564_PASS);
	ck_assert_msg(strstr(why, "not judged over the EIR share") != NULL, "%s", why);
	kpi(&k, 20e6, 14e6, 500, 100, 0.3);
	ck_assert_int_eq(y1564_judge_step(&j, &s[4], &k, why, sizeof(why)), Y1564_FAIL);
	ck_assert_msg(strstr(why, "< CIR 16.000 Mb/s") != NULL, "%s", why);
	/* policing: 25 Mb/s offered, a policer keeps IR at 20 */
	kpi(&k, 25e6, 20.2e6, 500, 100, 0.19);
	ck_assert_int_eq(y1564_judge_step(&j, &s[5], &k, why, sizeof(why)), Y1564_PASS);
	ck_assert_msg(strstr(why, "policed") != NULL, "%s", why);
	/* no policer: all of it carried */
	kpi(&k, 25e6, 25e6, 500, 100, 0);
	ck_assert_int_eq(y1564_judge_step(&j, &s[5], &k, why, sizeof(why)), Y1564_FAIL);
	ck_assert_msg(strstr(why, "no policer seen: IR 25.000 Mb/s") != NULL, "%s", why);
	/* the bursts the policer allows over the step widen the cap: 21 + 0.8 Mb/s */
	kpi(&k, 25e6, 21.5e6, 500, 100, 0);
	ck_assert_int_eq(y1564_judge_step(&j, &s[5], &k, why, sizeof(why)), Y1564_FAIL);
	j.burst_bytes = 100000;
	ck_assert_int_eq(y1564_judge_step(&j, &s[5], &k, why, sizeof(why)), Y1564_PASS);
	/* no policer expected: reported */
	j.policer = false;
	kpi(&k, 25e6, 25e6, 500, 100, 0);
	ck_assert_int_eq(y1564_judge_step(&j, &s[5], &k, why, sizeof(why)), Y1564_NOT_JUDGED);
	ck_assert(strstr(why, "not judged") != NULL);
	/* the performance test judges as the 100% step */
	kpi(&k, 16e6, 16e6, 500, 100, 0);
	ck_assert_int_eq(y1564_judge_perf(&j, &k, why, sizeof(why)), Y1564_PASS);
	k.ftd_us = 12000;
	ck_assert_int_eq(y1564_judge_perf(&j, &k, why, sizeof(why)), Y1564_FAIL);
}
END_TEST

/* Y.1563: 10 severely errored seconds in a row begin unavailable time. */
START_TEST(test_avail)
{
	uint64_t sent[40], lost[40];
	uint8_t scratch[80];
	double a;
	int i;

	for (i = 0; i < 40; i++) {
		sent[i] = 100;
		lost[i] = i >= 10 && i < 22 ? 60 : 0;	/* 12 SES in a row */
	}
	ck_assert(y1564_avail(sent, lost, 40, scratch, &a));
	ck_assert_double_eq_tol(a, 28.0 / 40, 1e-12);
	/* 9 in a row: still available */
	for (i = 0; i < 40; i++)
		lost[i] = i >= 10 && i < 19 ? 100 : 0;
	ck_assert(y1564_avail(sent, lost, 40, scratch, &a));
	ck_assert_double_eq(a, 1);
	/* no data */
	memset(sent, 0, sizeof(sent));
	ck_assert(!y1564_avail(sent, lost, 40, scratch, &a));
}
END_TEST

START_TEST(test_fold_and_bins)
{
	enum y1564_verdict p[] = { Y1564_PASS, Y1564_NOT_JUDGED, Y1564_PASS };
	enum y1564_verdict f[] = { Y1564_PASS, Y1564_FAIL, Y1564_NOT_RUN };
	enum y1564_verdict n[] = { Y1564_PASS, Y1564_NOT_RUN };

	ck_assert_int_eq(y1564_verdict_fold(p, 3), Y1564_PASS);
	ck_assert_int_eq(y1564_verdict_fold(f, 3), Y1564_FAIL);
	ck_assert_int_eq(y1564_verdict_fold(n, 2), Y1564_NOT_RUN);
	ck_assert_int_eq(y1564_verdict_fold(p + 1, 1), Y1564_NOT_RUN);
	ck_assert_str_eq(y1564_verdict_name(Y1564_NOT_JUDGED), "NOT_JUDGED");
	ck_assert_uint_eq(y1564_series_bin_s(20, 600), 1);
	ck_assert_uint_eq(y1564_series_bin_s(900, 600), 2);
	ck_assert_uint_eq(y1564_series_bin_s(7200, 600), 12);
	ck_assert_uint_eq(y1564_series_bin_s(0, 600), 1);
}
END_TEST

static void
cfg_two(struct mp_config *c)
{
	memset(c, 0, sizeof(*c));
	c->n_links = 2;
	snprintf(c->links[0].name, MP_NAME_MAX, "a");
	snprintf(c->links[1].name, MP_NAME_MAX, "b");
	snprintf(c->links[0].frame_mix, sizeof(c->links[0].frame_mix), "128");
	c->links[0].dscp = 46;
	c->y1564.n = 1;
	snprintf(c->y1564.svc[0].name, Y1564_NAME_MAX, "voice");
	snprintf(c->y1564.svc[0].cls, Y1564_NAME_MAX, "EF");
	c->y1564.svc[0].crit = crit;
	c->y1564.svc[0].dscp = -1;
	c->y1564.svc[0].pcp = -1;
}

/* The keys the schema promises (COMMON.md, docs/y1564.md). */
START_TEST(test_report_json)
{
	static struct mp_config c;
	static struct y1564_svc_res r;
	struct y1564_perf_res p = { 0 };
	struct y1564_point pt = { .t_s = 0, .link = 0, .rtt_p50_us = 50, .rtt_p99_us = NAN,
				  .loss_ratio = 0, .ir_bps = 16e6 };
	const char *keys[] = { "step", "load_pct", "ir_bps", "ftd_us", "fdv_us", "flr", "avail",
			       "verdict", "reason" };
	cJSON *o, *st;
	size_t i;

	cfg_two(&c);
	r.svc = 0;
	r.cir_bps = 16e6;
	r.n_steps = 1;
	r.step[0].plan = (struct y1564_step_plan){ .label = "25%", .load_pct = 25,
						   .rate_bps = 4e6 };
	r.step[0].ran = true;
	kpi(&r.step[0].k, 4e6, 4e6, 60, 10, 0);
	r.step[0].k.has_avail = false;
	r.v = Y1564_PASS;
	r.n_reasons = 1;
	snprintf(r.reasons[0], Y1564_REASON_MAX, "ok");
	o = y1564_service_json(&c, &r);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(o, "name")), "voice");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(o, "link")), "a");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(o, "class")), "EF");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(o, "verdict")), "PASS");
	ck_assert(cJSON_IsArray(cJSON_GetObjectItem(o, "reasons")));
	ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(o, "cir_bps")));
	ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(o, "eir_bps")));
	ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "criteria"), "fdv_us")));
	ck_assert_int_eq(cJSON_GetObjectItem(o, "dscp")->valueint, 46);
	st = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "steps"), 0);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		ck_assert_msg(cJSON_GetObjectItem(st, keys[i]) != NULL, "step lacks %s", keys[i]);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(st, "avail")));
	cJSON_Delete(o);

	p.duration_s = 20;
	p.n = 1;
	p.s[0].svc = 0;
	p.s[0].measured = true;
	kpi(&p.s[0].k, 16e6, 16e6, 60, 10, 0);
	p.s[0].v = Y1564_PASS;
	p.v = Y1564_PASS;
	p.n_points = 1;
	p.pts = &pt;
	o = y1564_perf_json(&c, &p);
	ck_assert_int_eq(cJSON_GetObjectItem(o, "duration_s")->valueint, 20);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(o, "verdict")), "PASS");
	st = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "services"), 0);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(st, "link")), "a");
	ck_assert(cJSON_IsArray(cJSON_GetObjectItem(st, "reasons")));
	ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(st, "ftd_us")));
	st = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "series"), 0);
	ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(st, "t_s")));
	ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(st, "rtt_p50_us")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(st, "rtt_p99_us")));
	ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(st, "ir_bps")));
	st = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "links"), 0);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(st, "verdict")), "PASS");
	cJSON_Delete(o);
}
END_TEST

/*
 * A trial's intervals.jsonl as the dataplane writes it (start_ns a string):
 * 30 one-second records of link a, 12 severely errored seconds from 5 on
 * (60 of 100 lost), and records of a stream "voice" that are not the link's.
 */
static void
write_intervals(const char *dir)
{
	char path[256];
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "%s/intervals.jsonl", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "{\"type\":\"hello\",\"v\":1,\"links\":[]}\n");
	for (i = 0; i < 30; i++) {
		int lost = i >= 5 && i < 17 ? 60 : 0;

		fprintf(f, "{\"type\":\"interval\",\"v\":1,\"link\":\"a\",\"link_index\":0,"
			"\"seq\":%d,\"start_ns\":\"%llu\",\"end_ns\":\"%llu\",\"sent\":100,"
			"\"received\":%d,\"lost\":%d,\"rtt\":{\"count\":1,\"sum_ns\":2000000,"
			"\"min_ns\":2000000,\"max_ns\":2000000,\"clamped\":0,"
			"\"layout\":\"log2-sub128-ns\",\"buckets\":[[1908,1]]}}\n", i,
			1700000000000000000ull + i * 1000000000ull,
			1700000001000000000ull + i * 1000000000ull, 100 - lost, lost);
		fprintf(f, "{\"type\":\"interval\",\"v\":1,\"link\":\"a\",\"stream\":\"voice\","
			"\"link_index\":0,\"seq\":%d,\"start_ns\":\"%llu\",\"end_ns\":\"%llu\","
			"\"sent\":10,\"received\":10,\"lost\":0}\n", i,
			1700000000000000000ull + i * 1000000000ull,
			1700000001000000000ull + i * 1000000000ull);
	}
	fclose(f);
}

START_TEST(test_intervals)
{
	static struct mp_config c;
	struct y1564_perf_res p = { .duration_s = 30 };
	char dir[] = "/tmp/test_y1564.XXXXXX", path[64];
	double a;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	write_intervals(dir);
	/* the link: 12 SES in a row, unavailable from the first of them */
	ck_assert(golive_y1564_avail(dir, "a", NULL, 30, &a));
	ck_assert_double_eq_tol(a, 18.0 / 30, 1e-12);
	/* the stream lost nothing */
	ck_assert(golive_y1564_avail(dir, "a", "voice", 30, &a));
	ck_assert_double_eq(a, 1);
	ck_assert(!golive_y1564_avail(dir, "b", NULL, 30, &a));
	/* the series: a point a second of link a, its own records only */
	cfg_two(&c);
	c.links[0].ip.family = 4;
	ck_assert_int_eq(c.y1564.svc[0].link, 0);
	c.y1564.svc[0].cir = (struct rate){ .kind = RATE_BPS, .value = 1000000 };
	golive_y1564_series(&c, dir, &p);
	ck_assert_int_eq(p.n_points, 30);
	ck_assert_double_eq(p.pts[0].t_s, 0);
	ck_assert_double_eq(p.pts[10].t_s, 10);
	ck_assert_int_eq(p.pts[10].link, 0);
	ck_assert_double_eq_tol(p.pts[10].loss_ratio, 0.6, 1e-12);
	ck_assert_double_eq(p.pts[0].loss_ratio, 0);
	/* 100 frames of 128 bytes (148 on the wire) in a second */
	ck_assert_double_eq_tol(p.pts[0].ir_bps, 100 * 148 * 8, 1e-6);
	ck_assert_double_eq_tol(p.pts[0].rtt_p50_us, 2000, 2000 * 0.01);
	free(p.pts);
	snprintf(path, sizeof(path), "%s/intervals.jsonl", dir);
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *
y1564_suite(void)
{
	Suite *s = suite_create("y1564");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_steps);
	tcase_add_test(tc, test_kpi);
	tcase_add_test(tc, test_judge_cir_steps);
	tcase_add_test(tc, test_judge_eir_and_policing);
	tcase_add_test(tc, test_avail);
	tcase_add_test(tc, test_fold_and_bins);
	tcase_add_test(tc, test_report_json);
	tcase_add_test(tc, test_intervals);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(y1564_suite)
