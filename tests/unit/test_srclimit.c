/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The reflector's per-source token bucket: a burst, then the rate; sources
 * apart; no limit at rate 0; the table under more sources than it holds.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mp_srclimit.h"
#include "mp_test.h"

static struct srclimit lim;

static struct ip_addr
v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct ip_addr x;

	memset(&x, 0, sizeof(x));
	x.family = 4;
	x.b[0] = a;
	x.b[1] = b;
	x.b[2] = c;
	x.b[3] = d;
	return x;
}

START_TEST(test_burst_then_rate)
{
	struct ip_addr a = v4(192, 0, 2, 10), b = v4(192, 0, 2, 11);
	uint64_t now = 5000, n = 0, t;

	/* 10 per second, 3 at once, on a clock of 1000 ticks per second */
	ck_assert_int_eq(srclimit_init(&lim, 10, 3, 1000), 0);
	ck_assert(srclimit_take(&lim, &a, now));
	ck_assert(srclimit_take(&lim, &a, now));
	ck_assert(srclimit_take(&lim, &a, now));
	ck_assert(!srclimit_take(&lim, &a, now));
	ck_assert(!srclimit_take(&lim, &a, now + 99));
	/* b has its own bucket */
	ck_assert(srclimit_take(&lim, &b, now));
	/* 100 ticks bring one token (99 + 1) */
	ck_assert(srclimit_take(&lim, &a, now + 100));
	ck_assert(!srclimit_take(&lim, &a, now + 100));
	/* asking every tick for 10 s: the rate, and not one more */
	for (t = now + 101; t < now + 101 + 10000; t++)
		n += srclimit_take(&lim, &a, t);
	ck_assert_uint_ge(n, 99);
	ck_assert_uint_le(n, 101);
	/* idle for a long time: a full burst again, never more */
	now += 1000000;
	ck_assert(srclimit_take(&lim, &a, now));
	ck_assert(srclimit_take(&lim, &a, now));
	ck_assert(srclimit_take(&lim, &a, now));
	ck_assert(!srclimit_take(&lim, &a, now));
	/* a clock that steps back does not refill */
	ck_assert(!srclimit_take(&lim, &a, now - 500));
}
END_TEST

START_TEST(test_no_limit_and_bad_args)
{
	struct ip_addr a = v4(192, 0, 2, 10);
	int i;

	ck_assert_int_eq(srclimit_init(&lim, 0, 1, 1000), 0);
	for (i = 0; i < 10000; i++)
		ck_assert(srclimit_take(&lim, &a, 1));
	ck_assert_int_ne(srclimit_init(&lim, 10, 0, 1000), 0);
	ck_assert_int_ne(srclimit_init(&lim, 10, 1, 0), 0);
}
END_TEST

/* More sources than slots: each new one gets its burst, the table evicts. */
START_TEST(test_many_sources)
{
	struct ip_addr a;
	int i;

	ck_assert_int_eq(srclimit_init(&lim, 1, 2, 1000), 0);
	for (i = 0; i < 4 * SRCLIMIT_SETS * SRCLIMIT_WAYS; i++) {
		a = v4(10, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i);
		ck_assert(srclimit_take(&lim, &a, (uint64_t)i));
		ck_assert(srclimit_take(&lim, &a, (uint64_t)i));
		ck_assert(!srclimit_take(&lim, &a, (uint64_t)i));
	}
	ck_assert_uint_gt(lim.evicted, 0);
	/* IPv6 and IPv4 with the same first bytes are different sources */
	memset(&a, 0, sizeof(a));
	a.family = 6;
	a.b[0] = 10;
	ck_assert(srclimit_take(&lim, &a, 1));
}
END_TEST

static Suite *
srclimit_suite(void)
{
	Suite *s = suite_create("srclimit");
	TCase *tc = tcase_create("bucket");

	tcase_add_test(tc, test_burst_then_rate);
	tcase_add_test(tc, test_no_limit_and_bad_args);
	tcase_add_test(tc, test_many_sources);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(srclimit_suite)
