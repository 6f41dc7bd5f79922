/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What every unit test shares: one seeded random generator (so that a
 * failure reproduces from its seed) and the Check runner's main().
 */
#ifndef MP_TEST_H
#define MP_TEST_H

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

/* splitmix64: deterministic, one state per test, seeded by the test */
static inline uint64_t
rnd_next(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* uniform in [0, 1) */
static inline double
rnd_unit(uint64_t *s)
{
	return (double)(rnd_next(s) >> 11) / 9007199254740992.0;
}

/* uniform in [lo, hi] */
static inline uint64_t
rnd_range(uint64_t *s, uint64_t lo, uint64_t hi)
{
	return lo + rnd_next(s) % (hi - lo + 1);
}

/* main() of a test executable: run the suite, exit 1 when a case failed. */
#define MP_TEST_MAIN(suite_fn)						\
int									\
main(void)								\
{									\
	SRunner *sr = srunner_create(suite_fn());			\
	int failed;							\
									\
	srunner_run_all(sr, CK_NORMAL);					\
	failed = srunner_ntests_failed(sr);				\
	srunner_free(sr);						\
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;		\
}

#endif
