/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Rolling windows (window.h): the memory bound, the coarser histogram's
 * percentiles against exact ones, and every window across slot boundaries
 * against a direct computation over the seconds it covers.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mp_hist.h"
#include "mp_test.h"
#include "window.h"

#define SECS	(3 * 86400)

START_TEST(test_memory_bound)
{
	/* the bound window.h states: under 2 MiB per series, whatever the run's length */
	ck_assert_uint_eq(sizeof(struct wslot), 8280);
	ck_assert_uint_le(sizeof(struct wseries), 2u << 20);
	ck_assert_uint_ge(sizeof(struct wseries), (size_t)(WIN_SLOTS + WIN_N) * sizeof(struct wslot));
	ck_assert_uint_eq(WHIST_NBUCKETS, 1024);
}
END_TEST

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

START_TEST(test_quantile_error_bound)
{
	static const double qs[] = { 0.5, 0.9, 0.99, 0.999 };
	static struct hist h;
	static uint64_t v[20000];
	struct whist w;
	uint64_t seed = 11;
	size_t i, q, n = 20000;

	for (int round = 0; round < 20; round++) {
		hist_reset(&h);
		whist_reset(&w);
		for (i = 0; i < n; i++) {
			/* log-uniform from 10 ns to 10 s */
			v[i] = (uint64_t)exp(log(10.0) + rnd_unit(&seed) * (log(1e10) - log(10.0)));
			hist_add(&h, v[i]);
		}
		whist_add_hist(&w, &h);
		ck_assert_uint_eq(w.count, n);
		qsort(v, n, sizeof(v[0]), cmp_u64);
		for (q = 0; q < 4; q++) {
			uint64_t exact = v[(size_t)ceil(qs[q] * n) - 1];
			double got = (double)whist_quantile(&w, qs[q]);

			/* the bucket midpoint: within 1/64 of the value (exact below 32 ns) */
			ck_assert_msg(fabs(got - (double)exact) <= (double)exact / 64.0 + 1.0,
				      "q %g: %g vs %llu", qs[q], got, (unsigned long long)exact);
		}
	}
}
END_TEST

START_TEST(test_index_nests_core_buckets)
{
	unsigned i;

	/* each core bucket lies in one whist bucket: conversion is exact */
	for (i = 0; i < HIST_NBUCKETS; i++)
		ck_assert_uint_eq(whist_index(hist_bucket_low(i)),
				  whist_index(hist_bucket_high(i) - 1));
	for (i = 1; i < WHIST_NBUCKETS; i++)
		ck_assert(whist_mid(i) > whist_mid(i - 1));
	/* every value's bucket midpoint is within 1/64 of it, and buckets only grow */
	for (uint64_t v = 0, last = 0; v < HIST_MAX_VALUE; v += 1 + v / 97) {
		unsigned k = whist_index(v);

		ck_assert_msg(fabs(whist_mid(k) - (double)v) <= (double)v / 64.0 + 0.5,
			      "%llu in bucket %u, mid %g", (unsigned long long)v, k, whist_mid(k));
		ck_assert_uint_ge(k, last);
		last = k;
	}
	ck_assert_uint_eq(whist_index(HIST_MAX_VALUE + 1), WHIST_NBUCKETS - 1);
}
END_TEST

/* One second of synthetic data: counters and round trips. */
struct sec {
	uint64_t sent, lost, rtt[4];
	int n_rtt;
	int used;
};

static void
sec_slot(const struct sec *s, struct wslot *d)
{
	static struct hist h;
	int i;

	hist_reset(&h);
	for (i = 0; i < s->n_rtt; i++)
		hist_add(&h, s->rtt[i]);
	wslot_reset(d);
	wslot_add_interval(d, &h, s->sent, s->sent - s->lost, s->lost, 1000 * (uint64_t)s->n_rtt);
}

/* The window's value straight from the seconds: slot numbers cur-n+1..cur. */
static void
direct(const struct sec *secs, int64_t now, int win, struct wslot *out)
{
	static const uint32_t width[WIN_N] = { 1, 5, 60, 3600, 86400 };
	static const uint32_t n[WIN_N] = { 60, 60, 60, 24, 30 };
	int64_t cur = now / width[win], t;
	static struct wslot d;

	wslot_reset(out);
	for (t = 0; t <= now; t++) {
		if (!secs[t].used || t / width[win] <= cur - (int64_t)n[win])
			continue;
		sec_slot(&secs[t], &d);
		wslot_merge(out, &d);
	}
}

START_TEST(test_windows_equal_direct_sums)
{
	static struct sec secs[SECS];
	static struct wseries ws;
	static struct wslot d, want;
	uint64_t seed = 7;
	int64_t t = 0, checks = 0;
	int win;

	wseries_init(&ws);
	memset(secs, 0, sizeof(secs));
	while (t < SECS) {
		struct sec *s = &secs[t];
		int i;

		s->used = 1;
		s->sent = rnd_range(&seed, 0, 1000);
		s->lost = rnd_range(&seed, 0, s->sent / 4);
		s->n_rtt = (int)rnd_range(&seed, 0, 4);
		for (i = 0; i < s->n_rtt; i++)
			s->rtt[i] = rnd_range(&seed, 1000, 50000000);
		sec_slot(s, &d);
		wseries_add(&ws, t, &d);
		/* now and then, check every window against the direct sum */
		if (rnd_range(&seed, 0, 2000) == 0 || t < 400) {
			for (win = 0; win < WIN_N; win++) {
				struct wvalue v;

				direct(secs, t, win, &want);
				wseries_value(&ws, win, &v);
				ck_assert_uint_eq(ws.w[win].sum.sent, want.sent);
				ck_assert_uint_eq(ws.w[win].sum.lost, want.lost);
				ck_assert_uint_eq(ws.w[win].sum.jitter_n, want.jitter_n);
				ck_assert_uint_eq(ws.w[win].sum.rtt.count, want.rtt.count);
				ck_assert_uint_eq(ws.w[win].sum.rtt.sum_ns, want.rtt.sum_ns);
				ck_assert_int_eq(memcmp(ws.w[win].sum.rtt.b, want.rtt.b,
							sizeof(want.rtt.b)), 0);
				ck_assert_uint_eq(v.sent, want.sent);
			}
			checks++;
		}
		/* mostly every second, sometimes gaps of up to ten minutes */
		t += rnd_range(&seed, 0, 50) == 0 ? (int64_t)rnd_range(&seed, 2, 600) : 1;
	}
	ck_assert_int_gt(checks, 50);
}
END_TEST

START_TEST(test_values_and_jump)
{
	static struct wseries ws;
	static struct hist h;
	struct wslot d;
	struct wvalue v;
	int i;

	wseries_init(&ws);
	wseries_value(&ws, WIN_1M, &v);
	ck_assert(isnan(v.loss) && isnan(v.rtt_p99) && isnan(v.jitter) && isnan(v.availability));
	hist_reset(&h);
	for (i = 0; i < 100; i++)
		hist_add(&h, i < 99 ? 1000000 : 9000000);	/* 1 ms, one of 9 ms */
	wslot_reset(&d);
	wslot_add_interval(&d, &h, 100, 98, 2, 250000);
	d.seconds = 10;
	d.unavail = 1;
	wseries_add(&ws, 1000, &d);
	wseries_value(&ws, WIN_1M, &v);
	ck_assert_double_eq_tol(v.loss, 2.0 / 100.0, 1e-12);
	ck_assert_double_eq_tol(v.rtt_p50, 1e-3, 1e-3 / 64);
	ck_assert_double_eq_tol(v.rtt_p99, 1e-3, 1e-3 / 64);
	ck_assert_double_eq_tol(v.rtt_p999, 9e-3, 9e-3 / 64);
	ck_assert_double_eq_tol(v.jitter, 250e-6, 1e-12);
	ck_assert_double_eq_tol(v.availability, 0.9, 1e-12);
	/* 61 s later the minute is empty, the 5 minutes are not */
	wslot_reset(&d);
	wseries_add(&ws, 1061, &d);
	wseries_value(&ws, WIN_1M, &v);
	ck_assert_uint_eq(v.sent, 0);
	wseries_value(&ws, WIN_5M, &v);
	ck_assert_uint_eq(v.sent, 100);
	/* a year later everything is empty; late data goes to the current slot */
	wseries_add(&ws, 1000 + 365 * 86400, &d);
	wslot_add_interval(&d, &h, 5, 5, 0, 0);
	wseries_add(&ws, 10, &d);
	for (i = 0; i < WIN_N; i++) {
		wseries_value(&ws, i, &v);
		ck_assert_uint_eq(v.sent, 5);
	}
	ck_assert_int_eq(win_parse("24h"), WIN_24H);
	ck_assert_int_eq(win_parse("7m"), -1);
}
END_TEST

static Suite *
window_suite(void)
{
	Suite *s = suite_create("window");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_memory_bound);
	tcase_add_test(tc, test_quantile_error_bound);
	tcase_add_test(tc, test_index_nests_core_buckets);
	tcase_add_test(tc, test_windows_equal_direct_sums);
	tcase_add_test(tc, test_values_and_jump);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(window_suite)
