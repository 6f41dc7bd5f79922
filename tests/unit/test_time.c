/* SPDX-License-Identifier: BSD-3-Clause */
/* NTP / PTP timestamp formats and the TSC clock. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "mp_time.h"
#include "mp_test.h"

#define S(x)	((uint64_t)(x) * NS_PER_S)

START_TEST(test_ntp_vectors)
{
	/* RFC 5905: 1970-01-01 is NTP second 2 208 988 800 = 0x83AA7E80 */
	ck_assert_uint_eq(ntp_from_unix_ns(0), UINT64_C(0x83AA7E8000000000));
	ck_assert_uint_eq(ntp_from_unix_ns(1500000000), UINT64_C(0x83AA7E8180000000));
	ck_assert_uint_eq(ntp_from_unix_ns(250000000), UINT64_C(0x83AA7E8040000000));
	ck_assert_uint_eq(ntp_from_unix_ns(S(1) + 750000000), UINT64_C(0x83AA7E81C0000000));
	/* 1 ns = 4.294967296 units -> 4; 999 999 999 ns = ...291.7 -> ...292 */
	ck_assert_uint_eq(ntp_from_unix_ns(1), UINT64_C(0x83AA7E8000000004));
	ck_assert_uint_eq(ntp_from_unix_ns(999999999), UINT64_C(0x83AA7E80FFFFFFFC));
	/* 2024-01-01T00:00:00Z = unix 1 704 067 200 */
	ck_assert_uint_eq(ntp_from_unix_ns(S(1704067200)), UINT64_C(0xE93C7F0000000000));
	ck_assert_uint_eq(ntp_to_unix_ns(UINT64_C(0xE93C7F0000000000)), S(1704067200));
	ck_assert_uint_eq(ntp_to_unix_ns(UINT64_C(0x83AA7E8180000000)), 1500000000);
	/* fraction to ns rounds to nearest: 1 unit = 0.23 ns, 3 units = 0.70 ns */
	ck_assert_uint_eq(ntp_to_unix_ns(UINT64_C(0x83AA7E8000000001)), 0);
	ck_assert_uint_eq(ntp_to_unix_ns(UINT64_C(0x83AA7E8000000003)), 1);
	ck_assert_uint_eq(ntp_to_unix_ns(UINT64_C(0x83AA7E80FFFFFFFF)), S(1));
	/* era 1 begins 2036-02-07T06:28:16Z = unix 2 085 978 496 (RFC 5905 6) */
	ck_assert_uint_eq(ntp_from_unix_ns(S(2085978496)), 0);
	ck_assert_uint_eq(ntp_from_unix_ns(S(2085978495)), UINT64_C(0xFFFFFFFF00000000));
	ck_assert_uint_eq(ntp_to_unix_ns(0), S(2085978496));
	ck_assert_uint_eq(ntp_to_unix_ns(UINT64_C(0xFFFFFFFF80000000)), S(2085978495) + 500000000);
	ck_assert_uint_eq(ntp_to_unix_ns(UINT64_C(0x83AA7E7F00000000)), S(0xFFFFFFFFull));
}
END_TEST

START_TEST(test_ntp_round_trip)
{
	uint64_t s = 5;
	unsigned i;

	for (i = 0; i < 1000000; i++) {
		/* unix ns from 1970 to 2106 */
		uint64_t ns = rnd_next(&s) % S(UINT64_C(1) << 32);
		uint64_t ntp = rnd_next(&s);
		uint64_t back = ntp_to_unix_ns(ntp_from_unix_ns(ns));
		uint64_t again = ntp_from_unix_ns(ntp_to_unix_ns(ntp));
		int64_t d;

		/* an NTP unit is 0.23 ns: unix -> NTP -> unix is exact */
		if (back != ns)
			ck_abort_msg("ns %llu -> %llu", (unsigned long long)ns,
				     (unsigned long long)back);
		/* NTP -> unix -> NTP is within half a ns (2.15 units) */
		d = (int64_t)(again - ntp);
		if (d < -3 || d > 3)
			ck_abort_msg("ntp %#llx -> %#llx", (unsigned long long)ntp,
				     (unsigned long long)again);
	}
}
END_TEST

START_TEST(test_ptp)
{
	ck_assert_uint_eq(ptp_from_unix_ns(0), 0);
	ck_assert_uint_eq(ptp_from_unix_ns(1500000000), (UINT64_C(1) << 32) | 500000000);
	ck_assert_uint_eq(ptp_from_unix_ns(UINT64_C(1700000000123456789)),
			  (UINT64_C(1700000000) << 32) | 123456789);
	ck_assert_uint_eq(ptp_to_unix_ns((UINT64_C(1700000000) << 32) | 123456789),
			  UINT64_C(1700000000123456789));
	ck_assert_uint_eq(ptp_to_unix_ns(UINT64_C(0x00000002000003e8)), S(2) + 1000);
	ck_assert_uint_eq(ptp_to_unix_ns(ptp_from_unix_ns(S(0xFFFFFFFFull) + 999999999)),
			  S(0xFFFFFFFFull) + 999999999);
	/* a malformed nanoseconds field does not crash, and adds as it is */
	ck_assert_uint_eq(ptp_to_unix_ns(UINT64_C(0xFFFFFFFFFFFFFFFF)),
			  S(0xFFFFFFFFull) + 0xFFFFFFFFull);
	/* the Z bit picks the format */
	ck_assert_uint_eq(stamp_ts_to_unix_ns(UINT64_C(0x83AA7E8180000000), false), 1500000000);
	ck_assert_uint_eq(stamp_ts_to_unix_ns((UINT64_C(1) << 32) | 500000000, true), 1500000000);
}
END_TEST

START_TEST(test_ntp_diff)
{
	uint64_t a = UINT64_C(0xE93C7F0012345678), s = 11;
	unsigned i;

	ck_assert_int_eq(ntp_diff_ns(a + (UINT64_C(1) << 32), a), 1000000000);
	ck_assert_int_eq(ntp_diff_ns(a, a + (UINT64_C(1) << 32)), -1000000000);
	ck_assert_int_eq(ntp_diff_ns(a, a), 0);
	ck_assert_int_eq(ntp_diff_ns(a + 1, a), 0);
	ck_assert_int_eq(ntp_diff_ns(a + 3, a), 1);
	ck_assert_int_eq(ntp_diff_ns(a, a + 3), -1);
	ck_assert_int_eq(ntp_diff_ns(a + 0x80000000u, a), 500000000);
	/* across the era wrap: 0.5 s before and 0.5 s after */
	ck_assert_int_eq(ntp_diff_ns(UINT64_C(0x0000000080000000), UINT64_C(0xFFFFFFFF80000000)),
			 1000000000);
	ck_assert_int_eq(ntp_diff_ns(UINT64_C(0xFFFFFFFF80000000), UINT64_C(0x0000000080000000)),
			 -1000000000);
	/* the extremes of the signed range: +-2^31 s */
	ck_assert_int_eq(ntp_diff_ns(UINT64_C(1) << 63, 0), -(int64_t)S(UINT64_C(1) << 31));
	ck_assert_int_eq(ntp_diff_ns((UINT64_C(1) << 63) - (UINT64_C(1) << 32), 0),
			 (int64_t)S((UINT64_C(1) << 31) - 1));
	/* against long double, and antisymmetric */
	for (i = 0; i < 200000; i++) {
		uint64_t x = rnd_next(&s);
		int64_t d = (int64_t)(rnd_next(&s) >> (1 + rnd_next(&s) % 63)) *
			    ((rnd_next(&s) & 1) ? 1 : -1);
		uint64_t y = x + (uint64_t)d;
		long double ref = (long double)d * 1e9L / 4294967296.0L;
		int64_t got = ntp_diff_ns(y, x);

		if (fabsl((long double)got - ref) > 1 || ntp_diff_ns(x, y) != -got)
			ck_abort_msg("d=%lld: got %lld, ref %Lf", (long long)d, (long long)got, ref);
	}
}
END_TEST

/* The TSC clock over a span of whole seconds is within 1 ns per second. */
static void
check_tsc_span(uint64_t hz, uint64_t base_tsc, uint64_t seconds)
{
	struct tsc_clock c;
	uint64_t base_unix = UINT64_C(1700000000000000000) + 123456789;
	uint64_t d = hz * seconds;
	uint64_t ntp;
	int64_t got_ns, err;

	tsc_clock_init(&c, hz, base_tsc, base_unix);
	ck_assert_uint_eq(c.base_ntp, ntp_from_unix_ns(base_unix));
	ck_assert_uint_eq(tsc_clock_ntp(&c, base_tsc), c.base_ntp);
	ntp = tsc_clock_ntp(&c, base_tsc + d);
	/* exact value: base + seconds, in NTP units */
	err = ntp_diff_ns(ntp, c.base_ntp + (seconds << 32));
	ck_assert_msg(llabs(err) <= (long long)seconds + 1, "hz %llu, %llu s: NTP off by %lld ns",
		      (unsigned long long)hz, (unsigned long long)seconds, (long long)err);
	got_ns = ntp_diff_ns(ntp, c.base_ntp);
	ck_assert(llabs(got_ns - (int64_t)S(seconds)) <= (long long)seconds + 1);
	err = (int64_t)(tsc_clock_ns(&c, d) - S(seconds));
	ck_assert_msg(llabs(err) <= (long long)seconds + 1, "hz %llu, %llu s: ns off by %lld",
		      (unsigned long long)hz, (unsigned long long)seconds, (long long)err);
	ck_assert_uint_eq(tsc_clock_cycles(&c, S(seconds)), d);
}

START_TEST(test_tsc_clock)
{
	static const uint64_t hzs[] = { 2100000000, 2000000000, 2399999117, 3000000001 };
	static const uint64_t spans[] = { 1, 3600, 30 * 86400 };
	struct tsc_clock c;
	unsigned i, j;

	tsc_clock_init(&c, 2100000000, 0, 0);
	/* round(2^64 / 2.1e9) = 8784163844.62 -> ...845; round(1e9 * 2^32 / 2.1e9) */
	ck_assert_uint_eq(c.ntp_mult, UINT64_C(8784163845));
	ck_assert_uint_eq(c.ns_mult, UINT64_C(2045222522));
	ck_assert_uint_eq(c.base_ntp, UINT64_C(0x83AA7E8000000000));
	ck_assert_uint_eq(tsc_clock_cycles(&c, 1), 2);
	ck_assert_uint_eq(tsc_clock_cycles(&c, 1000), 2100);
	ck_assert_uint_eq(tsc_clock_ns(&c, 2100), 1000);
	tsc_clock_init(&c, 2000000000, 0, 0);
	ck_assert_uint_eq(c.ntp_mult, UINT64_C(9223372037));
	ck_assert_uint_eq(c.ns_mult, UINT64_C(2147483648));

	for (i = 0; i < sizeof(hzs) / sizeof(hzs[0]); i++)
		for (j = 0; j < sizeof(spans) / sizeof(spans[0]); j++) {
			check_tsc_span(hzs[i], 1234567890123ull, spans[j]);
			/* the TSC wraps between base and reading */
			check_tsc_span(hzs[i], UINT64_MAX - 1000, spans[j]);
		}
	/* hz 0 must not divide by zero */
	tsc_clock_init(&c, 0, 5, 0);
	ck_assert_uint_eq(tsc_clock_ntp(&c, 1000), c.base_ntp);
}
END_TEST

static Suite *
time_suite(void)
{
	Suite *s = suite_create("time");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_ntp_vectors);
	tcase_add_test(tc, test_ntp_round_trip);
	tcase_add_test(tc, test_ptp);
	tcase_add_test(tc, test_ntp_diff);
	tcase_add_test(tc, test_tsc_clock);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(time_suite)
