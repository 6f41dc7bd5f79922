/* SPDX-License-Identifier: BSD-3-Clause */
/* Cisco IP SLA threshold reactions (reaction.h), each type with rising and falling thresholds. */
#include <check.h>
#include <math.h>
#include <stdint.h>

#include "mp_test.h"
#include "reaction.h"

#define MAXS	16

/* A reaction, the samples fed to it, and what each sample should do (+1 raise, -1 clear). */
struct react_case {
	const char *what;
	struct react_cfg c;
	int n;
	double v[MAXS];
	int want[MAXS];
};

static const struct react_case cases[] = {
	{ "immediate: rising 10, falling 5; 7 neither clears nor raises",
	  { REACT_IMMEDIATE, 1, 1, false, 10, 5 }, 10,
	  { 3, 11, 12, 7, 9, 11, 5, 12, NAN, 4 },
	  { 0, 1, 0, 0, 0, 0, -1, 1, 0, -1 } },
	{ "immediate, low is bad: below 0.999 violates, back at or above 0.9995",
	  { REACT_IMMEDIATE, 1, 1, true, 0.999, 0.9995 }, 5,
	  { 1.0, 0.998, 0.9992, 0.9995, 0.9989 },
	  { 0, 1, 0, -1, 1 } },
	{ "consecutive 3: three above 10 raise, three at or below 5 clear",
	  { REACT_CONSECUTIVE, 3, 1, false, 10, 5 }, 13,
	  { 11, 11, 7, 11, 11, 11, 12, 4, 4, 8, 4, 4, 4 },
	  { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, -1 } },
	/* the third violation (sample 4) raises; the 1s at samples 1, 3, 5
	 * are 3 of the 5 ending at sample 5 and clear; 7s are neither */
	{ "xofy 3 of 5",
	  { REACT_XOFY, 3, 5, false, 10, 5 }, 11,
	  { 11, 1, 11, 1, 11, 1, 1, 7, 7, 7, 1 },
	  { 0, 0, 0, 0, 1, -1, 0, 0, 0, 0, 0 } },
	/* averages from the third: 10, 4, 8, 12 (raise), 10, 7, 4 (clear), 2 */
	{ "average 3: above 10 raises, at or below 5 clears",
	  { REACT_AVERAGE, 3, 1, false, 10, 5 }, 10,
	  { 30, 0, 0, 12, 12, 12, 6, 3, 3, 0 },
	  { 0, 0, 0, 0, 0, 1, 0, 0, -1, 0 } },
	/* after a clear, a value between falling and rising does not raise
	 * again; crossing rising again does (re-armed) */
	{ "consecutive 2: re-arms only below falling",
	  { REACT_CONSECUTIVE, 2, 1, false, 100, 50 }, 9,
	  { 101, 101, 60, 99, 40, 40, 99, 101, 101 },
	  { 0, 1, 0, 0, 0, -1, 0, 0, 1 } },
};

START_TEST(test_cases)
{
	const struct react_case *k = &cases[_i];
	struct react r;
	int i;

	react_init(&r, &k->c);
	for (i = 0; i < k->n; i++) {
		int got = react_step(&r, k->v[i]);

		ck_assert_msg(got == k->want[i], "%s: sample %d: %d, expected %d", k->what, i,
			      got, k->want[i]);
	}
}
END_TEST

static Suite *
reaction_suite(void)
{
	Suite *s = suite_create("reaction");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_cases, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(reaction_suite)
