/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Prometheus text writer (control/metrics.c): families, escaping,
 * exact counters, the shortest fixed-point doubles that read back, NaN and
 * infinities as Prometheus spells them, cumulative histograms ending at
 * +Inf with _sum and _count.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "mp_test.h"

static char *
fmt(double v)
{
	static char out[64];

	return metrics_fmt_double(v, out, sizeof(out));
}

START_TEST(test_numbers)
{
	ck_assert_str_eq(fmt(0.0), "0");
	ck_assert_str_eq(fmt(1.0), "1");
	ck_assert_str_eq(fmt(0.1), "0.1");
	ck_assert_str_eq(fmt(0.0025), "0.0025");
	ck_assert_str_eq(fmt(5e-05), "0.00005");
	ck_assert_str_eq(fmt(-2.5), "-2.5");
	ck_assert_str_eq(fmt(1234567.125), "1234567.125");
	ck_assert_str_eq(fmt(NAN), "NaN");
	ck_assert_str_eq(fmt(INFINITY), "+Inf");
	ck_assert_str_eq(fmt(-INFINITY), "-Inf");
	ck_assert_str_eq(fmt(1e-12), "1e-12");
	ck_assert_str_eq(fmt(1e20), "1e+20");
}
END_TEST

/* Any double reads back exactly from its text. */
START_TEST(test_numbers_roundtrip)
{
	uint64_t s = 11;
	int i;

	for (i = 0; i < 20000; i++) {
		double v = ldexp(rnd_unit(&s) - 0.5, (int)rnd_range(&s, 0, 120) - 60);

		ck_assert_msg(strtod(fmt(v), NULL) == v, "%.17g -> %s", v, fmt(v));
	}
}
END_TEST

START_TEST(test_family_and_labels)
{
	struct metrics_buf b = { 0 };
	struct metrics_labels l = { 0 };

	metrics_family(&b, "x_total", "counter", "Help with \\ and\nnewline \"kept\".");
	metrics_label(&l, "link", "a\"b\\c\nd");
	metrics_label(&l, "metro", "");
	metrics_u64(&b, "x_total", &l, UINT64_C(18446744073709551615));
	metrics_u64(&b, "x_total", NULL, 0);
	ck_assert_str_eq(b.p,
		"# HELP x_total Help with \\\\ and\\nnewline \"kept\".\n"
		"# TYPE x_total counter\n"
		"x_total{link=\"a\\\"b\\\\c\\nd\",metro=\"\"} 18446744073709551615\n"
		"x_total 0\n");
	metrics_buf_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	metrics_double(&b, "g", NULL, NAN);
	ck_assert_str_eq(b.p, "g NaN\n");
	metrics_buf_free(&b);
}
END_TEST

START_TEST(test_histogram)
{
	struct metrics_buf b = { 0 };
	struct metrics_labels l = { 0 };
	const double edges[2] = { 0.001, 0.0025 };
	const uint64_t cum[2] = { 3, 7 };

	metrics_label(&l, "link", "a");
	metrics_histogram(&b, "rtt_seconds", &l, 2, edges, cum, 9, 0.0125);
	ck_assert_str_eq(b.p,
		"rtt_seconds_bucket{link=\"a\",le=\"0.001\"} 3\n"
		"rtt_seconds_bucket{link=\"a\",le=\"0.0025\"} 7\n"
		"rtt_seconds_bucket{link=\"a\",le=\"+Inf\"} 9\n"
		"rtt_seconds_sum{link=\"a\"} 0.0125\n"
		"rtt_seconds_count{link=\"a\"} 9\n");
	metrics_buf_reset(&b);
	metrics_histogram(&b, "h", NULL, 0, edges, cum, 0, 0);
	ck_assert_str_eq(b.p, "h_bucket{le=\"+Inf\"} 0\nh_sum 0\nh_count 0\n");
	metrics_buf_free(&b);
}
END_TEST

/* A large exposition grows the buffer and stays whole. */
START_TEST(test_growth)
{
	struct metrics_buf b = { 0 };
	int i;

	for (i = 0; i < 10000; i++)
		metrics_u64(&b, "n", NULL, (uint64_t)i);
	ck_assert(!b.oom);
	ck_assert_uint_eq(strlen(b.p), b.len);
	ck_assert(strstr(b.p, "n 9999\n") != NULL);
	metrics_buf_free(&b);
}
END_TEST

static Suite *
metrics_suite(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_numbers_roundtrip);
	tcase_add_test(tc, test_family_and_labels);
	tcase_add_test(tc, test_histogram);
	tcase_add_test(tc, test_growth);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(metrics_suite)
