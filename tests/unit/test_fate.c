/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared-fate statistics against values computed by hand and by brute force. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "fate.h"
#include "mp_test.h"

#define I FATE_IMPAIRED
#define O FATE_OK
#define U FATE_UNKNOWN

START_TEST(test_table_and_stats_by_hand)
{
	/* n11 = 2, n10 = 1, n01 = 1, n00 = 4 (and two unknown intervals) */
	static const uint8_t a[] = { I, I, O, O, I, O, O, O, U, I };
	static const uint8_t b[] = { I, O, O, I, I, O, O, O, I, U };
	struct fate_table t;
	struct fate_stats s;

	fate_table(a, b, 10, &t);
	ck_assert_uint_eq(t.n11, 2);
	ck_assert_uint_eq(t.n10, 1);
	ck_assert_uint_eq(t.n01, 1);
	ck_assert_uint_eq(t.n00, 4);
	ck_assert_uint_eq(t.unknown, 2);
	fate_stats(&t, &s);
	ck_assert_uint_eq(s.n, 8);
	ck_assert_double_eq_tol(s.p_b_given_a, 2.0 / 3, 1e-12);
	ck_assert_double_eq_tol(s.p_a_given_b, 2.0 / 3, 1e-12);
	ck_assert_double_eq_tol(s.lift, 16.0 / 9, 1e-12);
	ck_assert_double_eq_tol(s.phi, 7.0 / 15, 1e-12);
	/* P(X >= 2), X ~ H(8, 3, 3): (C(3,2) C(5,1) + C(3,3) C(5,0)) / C(8,3) = 16/56 */
	ck_assert_double_eq_tol(s.fisher_p, 16.0 / 56, 1e-12);
}
END_TEST

START_TEST(test_undefined_is_nan)
{
	static const uint8_t a[] = { O, O, O, O };
	static const uint8_t b[] = { I, O, I, O };
	struct fate_table t;
	struct fate_stats s;

	fate_table(a, b, 4, &t);
	fate_stats(&t, &s);
	ck_assert(isnan(s.p_b_given_a));
	ck_assert(isnan(s.lift));
	ck_assert(isnan(s.phi));
	ck_assert_double_eq_tol(s.p_a_given_b, 0.0, 1e-12);
	ck_assert_double_eq_tol(s.fisher_p, 1.0, 1e-12);
}
END_TEST

/* C(n, k) by Pascal's triangle, in doubles (exact for n <= 60). */
static double pascal[61][61];

static void
pascal_fill(void)
{
	int n, k;

	for (n = 0; n <= 60; n++) {
		pascal[n][0] = pascal[n][n] = 1;
		for (k = 1; k < n; k++)
			pascal[n][k] = pascal[n - 1][k - 1] + pascal[n - 1][k];
	}
}

START_TEST(test_fisher_against_brute_force)
{
	uint64_t seed = 42;
	int trial;

	pascal_fill();
	for (trial = 0; trial < 2000; trial++) {
		uint64_t n = rnd_range(&seed, 1, 60), ka = rnd_range(&seed, 0, n);
		uint64_t kb = rnd_range(&seed, 0, n), x = rnd_range(&seed, 0, n), k;
		double want = 0, got = fate_fisher_greater(x, n, ka, kb);

		for (k = x; k <= ka && k <= kb; k++)
			if (kb - k <= n - ka)
				want += pascal[ka][k] * pascal[n - ka][kb - k] / pascal[n][kb];
		if (want > 1)
			want = 1;
		ck_assert_msg(fabs(got - want) <= 1e-9 * want + 1e-12,
			      "n %lu ka %lu kb %lu x %lu: %g, by brute force %g", (unsigned long)n,
			      (unsigned long)ka, (unsigned long)kb, (unsigned long)x, got, want);
	}
}
END_TEST

/* A bursty series: impairment episodes of 1..maxlen intervals starting with probability p. */
static void
bursty(uint8_t *s, size_t n, double p, size_t maxlen, uint64_t *seed)
{
	size_t i = 0;

	memset(s, O, n);
	while (i < n) {
		if (rnd_unit(seed) < p) {
			size_t len = (size_t)rnd_range(seed, 1, maxlen), j;

			for (j = 0; j < len && i + j < n; j++)
				s[i + j] = I;
			i += len;
		}
		i++;
	}
}

#define N_SERIES	3000

START_TEST(test_shift_null_correlated)
{
	static uint8_t a[N_SERIES], b[N_SERIES];
	uint64_t seed = 7;
	size_t lags, i;
	double p;

	bursty(a, N_SERIES, 0.01, 20, &seed);
	/* b shares a's episodes (a shared conduit) and has a few of its own */
	bursty(b, N_SERIES, 0.005, 10, &seed);
	for (i = 0; i < N_SERIES; i++)
		if (a[i] == I)
			b[i] = I;
	/* every lag of 50 .. 450 of the first 500; 999 of the 2901 of all 3000 */
	fate_shift_p(a, b, 500, 50, &lags);
	ck_assert_uint_eq(lags, 401);
	p = fate_shift_p(a, b, N_SERIES, 50, &lags);
	ck_assert_uint_eq(lags, FATE_SHIFT_LAGS_MAX);
	ck_assert_msg(p < 0.01, "shared episodes: shift p %g", p);
	ck_assert_double_eq_tol(p, 1.0 / (1.0 + (double)lags), 1e-12);
}
END_TEST

START_TEST(test_shift_null_independent_bursts)
{
	static uint8_t a[N_SERIES], b[N_SERIES];
	uint64_t seed = 1234;
	int trial, shift_low = 0, fisher_low = 0, trials = 40;

	/*
	 * Independent bursty series: the shift null rejects at 5% about 5% of
	 * the time; Fisher, which takes the intervals for independent draws,
	 * rejects more often. Fixed seeds: a deterministic check.
	 */
	for (trial = 0; trial < trials; trial++) {
		struct fate_table t;
		struct fate_stats s;

		bursty(a, N_SERIES, 0.01, 30, &seed);
		bursty(b, N_SERIES, 0.01, 30, &seed);
		fate_table(a, b, N_SERIES, &t);
		fate_stats(&t, &s);
		shift_low += fate_shift_p(a, b, N_SERIES, 50, NULL) < 0.05;
		fisher_low += s.fisher_p < 0.05;
	}
	ck_assert_msg(shift_low <= 6, "%d of %d independent pairs flagged by the shift null",
		      shift_low, trials);
	ck_assert_msg(fisher_low > shift_low, "fisher %d, shift %d", fisher_low, shift_low);
}
END_TEST

START_TEST(test_shift_too_short)
{
	static const uint8_t a[] = { I, O, O }, b[] = { I, O, O };
	size_t lags = 99;

	ck_assert(isnan(fate_shift_p(a, b, 3, 2, &lags)));
	ck_assert_uint_eq(lags, 0);
}
END_TEST

START_TEST(test_episodes)
{
	static const uint8_t a[] = { I, I, I, O, I, I, I, I };
	static const uint8_t b[] = { O, I, I, O, I, U, I, I };
	struct fate_episode e[4];

	ck_assert_uint_eq(fate_episodes(a, b, 8, e, 4), 3);
	ck_assert_uint_eq(e[0].first, 1);
	ck_assert_uint_eq(e[0].count, 2);
	ck_assert_uint_eq(e[1].first, 4);
	ck_assert_uint_eq(e[1].count, 1);
	ck_assert_uint_eq(e[2].first, 6);
	ck_assert_uint_eq(e[2].count, 2);
	ck_assert_uint_eq(fate_episodes(a, b, 8, e, 1), 3);
	ck_assert_uint_eq(fate_episodes(a, b, 8, NULL, 0), 3);
}
END_TEST

static Suite *
fate_suite(void)
{
	Suite *s = suite_create("fate");
	TCase *tc = tcase_create("fate");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_table_and_stats_by_hand);
	tcase_add_test(tc, test_undefined_is_nan);
	tcase_add_test(tc, test_fisher_against_brute_force);
	tcase_add_test(tc, test_shift_null_correlated);
	tcase_add_test(tc, test_shift_null_independent_bursts);
	tcase_add_test(tc, test_shift_too_short);
	tcase_add_test(tc, test_episodes);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(fate_suite)
