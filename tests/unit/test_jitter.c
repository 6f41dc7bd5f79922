/* SPDX-License-Identifier: BSD-3-Clause */
/* RFC 3550 interarrival jitter in integers, against a floating-point reference. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "mp_jitter.h"
#include "mp_test.h"

/* RFC 3550 6.4.1 as written: J += (|D| - J) / 16, in double. */
struct ref_jitter {
	double j;
	double last;
	int have_last;
};

static void
ref_add(struct ref_jitter *r, double transit)
{
	if (r->have_last)
		r->j += (fabs(transit - r->last) - r->j) / 16.0;
	r->last = transit;
	r->have_last = 1;
}

START_TEST(test_first_and_reset)
{
	struct jitter j;

	jitter_reset(&j);
	ck_assert_uint_eq(jitter_ns(&j), 0);
	jitter_add(&j, 5000000);
	ck_assert_uint_eq(jitter_ns(&j), 0);	/* one sample has no difference */
	jitter_add(&j, 5001600);		/* D = 1600: J = 100 */
	ck_assert_uint_eq(jitter_ns(&j), 100);
	jitter_add(&j, 5000000);		/* J = 100 + (1600 - 100) / 16 = 193.75 */
	ck_assert_uint_eq(jitter_ns(&j), 194);
	jitter_reset(&j);
	ck_assert_uint_eq(jitter_ns(&j), 0);
	jitter_add(&j, 1);
	ck_assert_uint_eq(jitter_ns(&j), 0);
}
END_TEST

START_TEST(test_constant)
{
	struct jitter j;
	unsigned i;

	jitter_reset(&j);
	for (i = 0; i < 10000; i++)
		jitter_add(&j, 1234567);
	ck_assert_uint_eq(jitter_ns(&j), 0);
	ck_assert_uint_eq(j.j_x16, 0);
}
END_TEST

START_TEST(test_alternating)
{
	static const uint64_t deltas[] = { 1, 7, 15, 16, 100, 12345, 1000000, 987654321 };
	unsigned k, i;

	for (k = 0; k < sizeof(deltas) / sizeof(deltas[0]); k++) {
		uint64_t d = deltas[k];
		struct jitter j;

		jitter_reset(&j);
		for (i = 0; i < 2000; i++)
			jitter_add(&j, 10000000 + (i & 1) * d);
		ck_assert_msg(jitter_ns(&j) == d, "|D| %llu: jitter %llu", (unsigned long long)d,
			      (unsigned long long)jitter_ns(&j));
		/* and it decays back to 0 when the series goes flat */
		for (i = 0; i < 2000; i++)
			jitter_add(&j, 10000000);
		ck_assert_uint_eq(jitter_ns(&j), 0);
	}
}
END_TEST

static void
series_vs_reference(uint64_t seed, uint64_t base, uint64_t spread, unsigned n)
{
	struct ref_jitter r = { 0 };
	struct jitter j;
	uint64_t s = seed;
	unsigned i;

	jitter_reset(&j);
	for (i = 0; i < n; i++) {
		uint64_t t = base + rnd_next(&s) % (spread + 1);
		double diff;

		/* now and then a spike, to test the decay */
		if (rnd_next(&s) % 1000 == 0)
			t += spread * 20;
		jitter_add(&j, t);
		ref_add(&r, (double)t);
		diff = fabs((double)jitter_ns(&j) - r.j);
		if (diff > 1.0 + 0.005 * r.j)
			ck_abort_msg("seed %llu step %u: jitter %llu, reference %.3f",
				     (unsigned long long)seed, i,
				     (unsigned long long)jitter_ns(&j), r.j);
	}
}

/* jitter_add_burst() is jitter_add() in a loop, across bursts of 0 to 40 and a reset. */
START_TEST(test_add_burst)
{
	struct jitter a, b;
	uint64_t s = 99, v[40];
	unsigned round, i, n;

	jitter_reset(&a);
	jitter_reset(&b);
	for (round = 0; round < 20000; round++) {
		if (round == 10000) {
			jitter_reset(&a);
			jitter_reset(&b);
		}
		n = (unsigned)(rnd_next(&s) % 41);
		for (i = 0; i < n; i++)
			v[i] = 1000000 + rnd_next(&s) % 200000;
		jitter_add_burst(&a, v, n);
		for (i = 0; i < n; i++)
			jitter_add(&b, v[i]);
		ck_assert_uint_eq(a.j_x16, b.j_x16);
		ck_assert_uint_eq(a.last_ns, b.last_ns);
		ck_assert_int_eq(a.have_last, b.have_last);
	}
	ck_assert_uint_gt(jitter_ns(&a), 1000);
}
END_TEST

START_TEST(test_random_vs_reference)
{
	series_vs_reference(1, 1000000, 1000, 200000);		/* 1 ms +- 1 us */
	series_vs_reference(2, 50000, 20, 200000);		/* tiny variation */
	series_vs_reference(3, 20000000, 5000000, 200000);	/* 20 ms +- 5 ms */
	series_vs_reference(4, 1000000000, 400000000, 200000);	/* 1 s +- 0.4 s */
	series_vs_reference(5, 0, 3, 200000);			/* near zero */
}
END_TEST

static Suite *
jitter_suite(void)
{
	Suite *s = suite_create("jitter");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_first_and_reset);
	tcase_add_test(tc, test_constant);
	tcase_add_test(tc, test_alternating);
	tcase_add_test(tc, test_random_vs_reference);
	tcase_add_test(tc, test_add_burst);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(jitter_suite)
