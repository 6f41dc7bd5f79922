/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lab's rate limit (dataplane/core/mp_tbucket.h, run by the XDP
 * impairment): what passes a token bucket over a long run is the rate
 * times the time plus the depth, in bits on the wire as the prober counts
 * them or in packets; the depth is what passes at once; nothing overflows.
 */
#include <check.h>
#include <stdint.h>

#include "mp_rate.h"
#include "mp_tbucket.h"
#include "mp_test.h"

/* Frames of len bytes (no FCS) offered at pps for secs: how many pass. */
static uint64_t
offer(struct mp_tbucket *b, const struct mp_tbucket_cfg *c, uint64_t pps, double secs,
      uint32_t len, uint64_t t0)
{
	uint64_t n = (uint64_t)(pps * secs), i, passed = 0;

	for (i = 0; i < n; i++)
		passed += mp_tbucket_take(b, c, t0 + i * MP_TB_NS_PER_S / pps, len);
	return passed;
}

START_TEST(test_bits_as_the_prober_counts)
{
	struct mp_tbucket_cfg c;
	struct mp_tbucket b = { 0 };
	/* 20 Mb/s, 1184-bit frames (128 bytes with FCS, 124 in XDP), offered at 30 kpps */
	uint64_t burst_bits = 100 * wire_bits(128), passed;

	ck_assert_int_eq(mp_tbucket_config(&c, 20000000, 1, burst_bits), 0);
	ck_assert_uint_eq(mp_tbucket_units(&c, 124), wire_bits(128));
	passed = offer(&b, &c, 30000, 3.0, 124, 1000);
	/* rate * time / bits per frame, plus the full bucket at the start */
	ck_assert_uint_ge(passed, 20000000ull * 3 / 1184 + 100 - 1);
	ck_assert_uint_le(passed, 20000000ull * 3 / 1184 + 100 + 1);
}
END_TEST

START_TEST(test_under_the_rate_all_pass)
{
	struct mp_tbucket_cfg c;
	struct mp_tbucket b = { 0 };

	ck_assert_int_eq(mp_tbucket_config(&c, 10000, 0, 1), 0);
	/* 10 kpps through a bucket of one packet: exactly at the rate, all pass */
	ck_assert_uint_eq(offer(&b, &c, 10000, 2.0, 60, 5), 20000);
	/*
	 * 11 kpps: a depth of one packet loses the tokens of the gaps (every
	 * other frame passes); a depth of two lets about 10 kpps pass
	 */
	b = (struct mp_tbucket){ 0 };
	ck_assert_uint_eq(offer(&b, &c, 11000, 2.0, 60, 5), 11000);
	ck_assert_int_eq(mp_tbucket_config(&c, 10000, 0, 2), 0);
	b = (struct mp_tbucket){ 0 };
	ck_assert_uint_le(offer(&b, &c, 11000, 2.0, 60, 5), 20001);
	ck_assert_uint_ge(offer(&b, &c, 11000, 2.0, 60, 3000000000ull), 19990);
}
END_TEST

START_TEST(test_burst_then_refill)
{
	struct mp_tbucket_cfg c;
	struct mp_tbucket b = { 0 };
	int i, passed = 0;

	ck_assert_int_eq(mp_tbucket_config(&c, 1000, 0, 50), 0);
	/* a full bucket lets 50 through at once, then none */
	for (i = 0; i < 80; i++)
		passed += mp_tbucket_take(&b, &c, 1000000, 64);
	ck_assert_int_eq(passed, 50);
	/* 10 ms later: 10 more; an hour later only the depth, not an hour's worth */
	for (i = 0, passed = 0; i < 80; i++)
		passed += mp_tbucket_take(&b, &c, 11000000, 64);
	ck_assert_int_eq(passed, 10);
	for (i = 0, passed = 0; i < 80; i++)
		passed += mp_tbucket_take(&b, &c, 3600ull * MP_TB_NS_PER_S, 64);
	ck_assert_int_eq(passed, 50);
	/* a clock going backwards refills nothing */
	ck_assert_int_eq(mp_tbucket_take(&b, &c, 1000, 64), 0);
}
END_TEST

START_TEST(test_config_bounds_and_default)
{
	struct mp_tbucket_cfg c;
	struct mp_tbucket b = { 0 };
	uint64_t seed = 7, t = 1;
	int i;

	ck_assert_int_eq(mp_tbucket_config(&c, 0, 1, 0), -1);
	ck_assert_int_eq(mp_tbucket_config(&c, MP_TB_RATE_MAX + 1, 1, 0), -1);
	/* a depth below one largest frame would never pass it */
	ck_assert_int_eq(mp_tbucket_config(&c, 1000000, 1, 8 * 1500), -1);
	ck_assert_int_eq(mp_tbucket_config(&c, 1000, 0, 0), 0);
	ck_assert_uint_eq(c.burst_nu / MP_TB_NS_PER_S, 32);
	/* default: 10 ms of a high rate */
	ck_assert_int_eq(mp_tbucket_config(&c, 10000000000ull, 1, 0), 0);
	ck_assert_uint_eq(c.burst_nu / MP_TB_NS_PER_S, 100000000ull);
	/* the largest rate and depth, random gaps: tokens never exceed the depth */
	ck_assert_int_eq(mp_tbucket_config(&c, MP_TB_RATE_MAX, 1, MP_TB_BURST_MAX), 0);
	for (i = 0; i < 100000; i++) {
		t += rnd_range(&seed, 0, 20 * MP_TB_NS_PER_S);
		mp_tbucket_take(&b, &c, t, rnd_range(&seed, 60, 9014));
		ck_assert_uint_le(b.tokens_nu, c.burst_nu);
	}
}
END_TEST

static Suite *
tbucket_suite(void)
{
	Suite *s = suite_create("tbucket");
	TCase *tc = tcase_create("bucket");

	tcase_add_test(tc, test_bits_as_the_prober_counts);
	tcase_add_test(tc, test_under_the_rate_all_pass);
	tcase_add_test(tc, test_burst_then_refill);
	tcase_add_test(tc, test_config_bounds_and_default);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(tbucket_suite)
