/* SPDX-License-Identifier: BSD-3-Clause */
/* Y.1563/Y.1564 availability from per-second classes, against cases worked by hand. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "avail.h"
#include "mp_test.h"

#define G AVAIL_GOOD
#define S AVAIL_SES
#define X AVAIL_GAP

/* Fill s[at..at+n) with class c; returns at + n. */
static size_t
put(uint8_t *s, size_t at, size_t n, uint8_t c)
{
	memset(s + at, c, n);
	return at + n;
}

START_TEST(test_classify)
{
	ck_assert_uint_eq(avail_classify(0, 0), X);
	ck_assert_uint_eq(avail_classify(10, 5), G);	/* half is not more than half */
	ck_assert_uint_eq(avail_classify(10, 6), S);
	ck_assert_uint_eq(avail_classify(1, 1), S);
	ck_assert_uint_eq(avail_classify(1000, 0), G);
}
END_TEST

START_TEST(test_nine_ses_stay_available)
{
	uint8_t s[30], u[30];
	struct avail_result r;
	size_t at = put(s, 0, 10, G);

	at = put(s, at, 9, S);
	put(s, at, 11, G);
	avail_compute(s, 30, u, &r);
	ck_assert_uint_eq(r.seconds, 30);
	ck_assert_uint_eq(r.ses, 9);
	ck_assert_uint_eq(r.unavailable, 0);
	ck_assert_double_eq_tol(r.availability, 1.0, 1e-12);
}
END_TEST

START_TEST(test_ten_ses_and_the_way_back)
{
	/* 5 good, 10 SES, 9 good, 1 SES, 10 good, 5 good */
	uint8_t s[40], u[40];
	struct avail_result r;
	size_t at = put(s, 0, 5, G), i;

	at = put(s, at, 10, S);
	at = put(s, at, 9, G);
	at = put(s, at, 1, S);
	put(s, at, 15, G);
	avail_compute(s, 40, u, &r);
	/* unavailable from the first SES to the start of the first 10 good in a row */
	for (i = 0; i < 40; i++)
		ck_assert_msg(u[i] == (i >= 5 && i < 25), "second %zu: %u", i, u[i]);
	ck_assert_uint_eq(r.unavailable, 20);
	ck_assert_uint_eq(r.ses, 11);
	ck_assert_double_eq_tol(r.availability, 20.0 / 40, 1e-12);
}
END_TEST

START_TEST(test_gaps_are_neither)
{
	/* 5 SES, 3 gaps, 5 SES: ten SES in a row among the seconds with data */
	uint8_t s[13], u[13];
	struct avail_result r;
	size_t at = put(s, 0, 5, S);

	at = put(s, at, 3, X);
	put(s, at, 5, S);
	avail_compute(s, 13, u, &r);
	ck_assert_uint_eq(r.seconds, 10);
	ck_assert_uint_eq(r.gaps, 3);
	ck_assert_uint_eq(r.unavailable, 10);
	ck_assert_uint_eq(u[6], 0);
	ck_assert_double_eq_tol(r.availability, 0.0, 1e-12);
	/* nothing but gaps: no availability at all, not 100% */
	memset(s, X, sizeof(s));
	avail_compute(s, 13, NULL, &r);
	ck_assert(isnan(r.availability));
}
END_TEST

START_TEST(test_short_run_at_the_end)
{
	uint8_t s[20];
	struct avail_result r;

	put(s, put(s, 0, 15, G), 5, S);
	avail_compute(s, 20, NULL, &r);
	ck_assert_uint_eq(r.unavailable, 0);
}
END_TEST

START_TEST(test_pair)
{
	/* a down 100..129, b down 120..139: both down 120..129 */
	enum { N = 200 };
	uint8_t a[N], b[N], scratch[2 * N];
	struct avail_pair p;

	put(a, put(a, 0, 100, G), 30, S);
	put(a, 130, 70, G);
	put(b, 0, 120, G);
	put(b, 120, 20, S);
	put(b, 140, 60, G);
	avail_pair(a, b, N, scratch, &p);
	ck_assert_uint_eq(p.a.unavailable, 30);
	ck_assert_uint_eq(p.b.unavailable, 20);
	ck_assert_uint_eq(p.pair_down, 10);
	ck_assert_uint_eq(p.seconds, N);
	ck_assert_double_eq_tol(p.pair, 190.0 / 200, 1e-12);
	ck_assert_double_eq_tol(p.pair_if_independent, 1 - (30.0 / 200) * (20.0 / 200), 1e-12);
}
END_TEST

static Suite *
avail_suite(void)
{
	Suite *s = suite_create("avail");
	TCase *tc = tcase_create("avail");

	tcase_add_test(tc, test_classify);
	tcase_add_test(tc, test_nine_ses_stay_available);
	tcase_add_test(tc, test_ten_ses_and_the_way_back);
	tcase_add_test(tc, test_gaps_are_neither);
	tcase_add_test(tc, test_short_run_at_the_end);
	tcase_add_test(tc, test_pair);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(avail_suite)
