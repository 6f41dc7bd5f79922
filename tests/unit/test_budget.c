/* SPDX-License-Identifier: BSD-3-Clause */
/* Error budgets and burn rates (budget.h) against numbers worked by hand. */
#include <check.h>
#include <math.h>
#include <stdint.h>

#include "budget.h"
#include "mp_test.h"

#define T0	(3600 * 1000)	/* on an hour boundary */

/* Two hours judged, bad from second bad_from for n_bad seconds. */
static void
two_hours(struct budget *b, int bad_from, int n_bad)
{
	int i;

	budget_init(b, 0.999, 30 * 86400);
	for (i = 0; i < 7200; i++)
		budget_add(b, T0 + i, !(i >= bad_from && i < bad_from + n_bad));
}

START_TEST(test_size)
{
	ck_assert_uint_le(sizeof(struct budget), 4352);
}
END_TEST

START_TEST(test_36_bad_seconds)
{
	static struct budget b;
	uint64_t bad, judged;

	/* 36 bad seconds in the last five minutes of two hours */
	two_hours(&b, 6900, 36);
	budget_count(&b, 300, &bad, &judged);
	ck_assert_uint_eq(bad, 36);
	ck_assert_uint_eq(judged, 300);
	/* (36 / 300) / 0.001 = 120; 36/1800 -> 20; 36/3600 -> 10; 36/7200 -> 5 */
	ck_assert_double_eq_tol(budget_burn(&b, 300), 120.0, 1e-9);
	ck_assert_double_eq_tol(budget_burn(&b, 1800), 20.0, 1e-9);
	ck_assert_double_eq_tol(budget_burn(&b, 3600), 10.0, 1e-9);
	ck_assert_double_eq_tol(budget_burn(&b, 6 * 3600), 5.0, 1e-9);
	ck_assert_double_eq_tol(budget_burn(&b, 3 * 86400), 5.0, 1e-9);
	/* budget: 0.001 * 30 days = 2592 s; 1 - 36/2592 */
	ck_assert_double_eq_tol(budget_remaining(&b), 1.0 - 36.0 / 2592.0, 1e-12);
	ck_assert(!budget_alert(&b, 0));	/* 1 h burns 10, not above 14.4 */
	ck_assert(!budget_alert(&b, 1));	/* 6 h burns 5, not above 6 */
	ck_assert(budget_alert(&b, 2));		/* 3 d and 6 h burn 5, above 1 */
}
END_TEST

START_TEST(test_60_bad_seconds_page)
{
	static struct budget b;

	two_hours(&b, 6900, 60);
	/* 60/3600/0.001 = 16.7 > 14.4 and 60/300/0.001 = 200: page */
	ck_assert_double_eq_tol(budget_burn(&b, 3600), 60.0 / 3.6, 1e-9);
	ck_assert(budget_alert(&b, 0));
	/* 60/7200/0.001 = 8.3 > 6 and 60/1800/0.001 = 33.3: page */
	ck_assert(budget_alert(&b, 1));
	ck_assert(budget_alert(&b, 2));
	ck_assert_double_eq_tol(budget_remaining(&b), 1.0 - 60.0 / 2592.0, 1e-12);
}
END_TEST

START_TEST(test_old_errors_leave_the_windows)
{
	static struct budget b;
	int i;

	/* bad at the start: an hour and a half of good time later the short windows are clean */
	two_hours(&b, 0, 60);
	ck_assert_double_eq_tol(budget_burn(&b, 300), 0.0, 1e-12);
	ck_assert_double_eq_tol(budget_burn(&b, 3600), 0.0, 1e-12);
	ck_assert_double_eq_tol(budget_burn(&b, 6 * 3600), 60.0 / 7.2, 1e-9);
	ck_assert(!budget_alert(&b, 0));
	/* 31 days on, the period has forgotten them */
	for (i = 0; i < 10; i++)
		budget_add(&b, T0 + 31 * 86400 + i, true);
	ck_assert_double_eq_tol(budget_remaining(&b), 1.0, 1e-12);
	ck_assert_double_eq_tol(budget_burn(&b, 3 * 86400), 0.0, 1e-12);
}
END_TEST

START_TEST(test_overspent_and_empty)
{
	static struct budget b;
	int i;

	budget_init(&b, 0.99, 3600);		/* 36 s of budget in an hour */
	ck_assert_double_eq_tol(budget_remaining(&b), 1.0, 1e-12);
	ck_assert_double_eq_tol(budget_burn(&b, 300), 0.0, 1e-12);
	for (i = 0; i < 72; i++)
		budget_add(&b, T0 + i, false);
	ck_assert_double_eq_tol(budget_remaining(&b), -1.0, 1e-9);
	ck_assert_double_eq_tol(budget_burn(&b, 300), 100.0, 1e-9);
}
END_TEST

static Suite *
budget_suite(void)
{
	Suite *s = suite_create("budget");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_size);
	tcase_add_test(tc, test_36_bad_seconds);
	tcase_add_test(tc, test_60_bad_seconds_page);
	tcase_add_test(tc, test_old_errors_leave_the_windows);
	tcase_add_test(tc, test_overspent_and_empty);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(budget_suite)
