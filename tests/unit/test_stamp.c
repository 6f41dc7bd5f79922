/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * STAMP codec: error estimate arithmetic against a brute-force oracle,
 * byte-exact sender and reflector packets written out by hand, short
 * replies read field by field, and round trips.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mp_stamp.h"
#include "mp_test.h"

/* Only failures are reported to Check's parent: cheap in loops. */
#define CHECK(cond, ...) do {					\
	if (!(cond))						\
		ck_abort_msg(__VA_ARGS__);			\
} while (0)

/*
 * Sender: seq 0x01020304, T1 0xeeb1b99cc76d9b4e, error estimate S=1 Z=0
 * scale 2 mult 0x80 (0x8280), SSID 0xbeef, 28 bytes MBZ.
 */
static const uint8_t SENDER[44] = {
	0x01, 0x02, 0x03, 0x04,
	0xee, 0xb1, 0xb9, 0x9c, 0xc7, 0x6d, 0x9b, 0x4e,
	0x82, 0x80, 0xbe, 0xef,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/*
 * Reflector: seq 0xa0b0c0d0, T3 0x1112131415161718, error estimate 0x4001
 * (Z=1: PTP format), SSID 0xbeef, T2 0x2122232425262728, sender seq
 * 0x01020304, T1 0xeeb1b99cc76d9b4e, sender error estimate 0x8280, MBZ,
 * sender TTL 254, MBZ.
 */
static const uint8_t REPLY[44] = {
	0xa0, 0xb0, 0xc0, 0xd0,
	0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,
	0x40, 0x01, 0xbe, 0xef,
	0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28,
	0x01, 0x02, 0x03, 0x04,
	0xee, 0xb1, 0xb9, 0x9c, 0xc7, 0x6d, 0x9b, 0x4e,
	0x82, 0x80, 0x00, 0x00,
	0xfe, 0x00, 0x00, 0x00,
};

static const struct stamp_reply REPLY_FIELDS = {
	.seq = 0xa0b0c0d0,
	.ts = 0x1112131415161718,
	.errest = 0x4001,
	.ssid = 0xbeef,
	.rx_ts = 0x2122232425262728,
	.sender_seq = 0x01020304,
	.sender_ts = 0xeeb1b99cc76d9b4e,
	.sender_errest = 0x8280,
	.sender_ttl = 254,
};

START_TEST(test_errest_pack)
{
	struct stamp_errest e = { .synced = true, .ptp = false, .scale = 0, .mult = 1 };
	unsigned v;

	ck_assert_uint_eq(stamp_errest_pack(&e), 0x8001);
	e = (struct stamp_errest){ .synced = false, .ptp = true, .scale = 10, .mult = 0x10 };
	ck_assert_uint_eq(stamp_errest_pack(&e), 0x4a10);
	e = (struct stamp_errest){ .synced = true, .ptp = true, .scale = 63, .mult = 255 };
	ck_assert_uint_eq(stamp_errest_pack(&e), 0xffff);
	/* twampy's 0x3fff: unsynchronised NTP, the largest error there is. */
	stamp_errest_unpack(0x3fff, &e);
	ck_assert(!e.synced);
	ck_assert(!e.ptp);
	ck_assert_uint_eq(e.scale, 63);
	ck_assert_uint_eq(e.mult, 255);
	stamp_errest_unpack(0x4a10, &e);
	ck_assert(!e.synced);
	ck_assert(e.ptp);
	ck_assert_uint_eq(e.scale, 10);
	ck_assert_uint_eq(e.mult, 16);
	for (v = 0; v <= 0xffff; v++) {
		stamp_errest_unpack((uint16_t)v, &e);
		CHECK(stamp_errest_pack(&e) == v, "0x%04x does not round-trip", v);
	}
}
END_TEST

static uint64_t
ns_of(uint8_t scale, uint8_t mult)
{
	struct stamp_errest e = { .scale = scale, .mult = mult };

	return stamp_errest_ns(&e);
}

START_TEST(test_errest_ns)
{
	/* 2^-32 s = 0.233 ns, stated as 1 ns: an error bound rounds up. */
	ck_assert_uint_eq(ns_of(0, 1), 1);
	/* 5 * 2^-32 s = 1.164 ns. */
	ck_assert_uint_eq(ns_of(0, 5), 2);
	/* 2^30 * 2^-32 s = 250 ms exactly. */
	ck_assert_uint_eq(ns_of(30, 1), 250000000);
	ck_assert_uint_eq(ns_of(32, 1), 1000000000);
	ck_assert_uint_eq(ns_of(25, 128), 1000000000);
	/* 132 * 2^15 * 2^-32 s = 1.007080078125 ms. */
	ck_assert_uint_eq(ns_of(15, 132), 1007081);
	/* 255 * 2^63 * 2^-32 s is 5.5e20 ns: saturates. */
	ck_assert_uint_eq(ns_of(63, 255), UINT64_MAX);
	/* 2^63 * 2^-32 s = 2^31 s = 2147483648e9 ns: fits. */
	ck_assert_uint_eq(ns_of(63, 1), UINT64_C(2147483648000000000));
	ck_assert_uint_eq(ns_of(7, 0), 0);
}
END_TEST

static void
from_ns(uint64_t ns, struct stamp_errest *e)
{
	stamp_errest_from_ns(e, ns, true, false);
}

START_TEST(test_errest_from_ns)
{
	struct stamp_errest e;

	from_ns(0, &e);
	ck_assert_uint_eq(e.scale, 0);
	ck_assert_uint_eq(e.mult, 1);
	ck_assert(e.synced);
	ck_assert(!e.ptp);
	/* 1 ns = 4.29 ticks: 5 ticks. */
	from_ns(1, &e);
	ck_assert_uint_eq(e.scale, 0);
	ck_assert_uint_eq(e.mult, 5);
	/* 1 s = 2^32 ticks = 128 * 2^25. */
	from_ns(1000000000, &e);
	ck_assert_uint_eq(e.mult * (UINT64_C(1) << e.scale), UINT64_C(1) << 32);
	ck_assert_uint_eq(e.scale, 25);
	/* 1 ms = 4294967.296 ticks: 2^14 needs a multiplier of 263, 2^15 one of 132. */
	from_ns(1000000, &e);
	ck_assert_uint_eq(e.scale, 15);
	ck_assert_uint_eq(e.mult, 132);
	stamp_errest_from_ns(&e, 1000000, false, true);
	ck_assert_uint_eq(stamp_errest_pack(&e), 0x4000 | 15 << 8 | 132);
	/*
	 * 584 years still fit (the largest estimate is 255 * 2^31 s):
	 * 2^64 - 1 ns = 137.4 * 2^59 ticks; 2^58 would need 275.
	 */
	from_ns(UINT64_MAX, &e);
	ck_assert_uint_eq(e.scale, 59);
	ck_assert_uint_eq(e.mult, 138);
}
END_TEST

/*
 * Oracle: the smallest mult * 2^scale (in ticks of 2^-32 s) over all 64 *
 * 255 estimates that is at least err_ns, found by trying them all.
 */
static unsigned __int128
oracle_min_ticks(uint64_t err_ns)
{
	unsigned __int128 need = (unsigned __int128)err_ns << 32, best = 0;
	unsigned s, m;

	for (s = 0; s < 64; s++) {
		for (m = 1; m < 256; m++) {
			unsigned __int128 ticks = (unsigned __int128)m << s;

			if (ticks * 1000000000u >= need && (best == 0 || ticks < best))
				best = ticks;
		}
	}
	return best;
}

START_TEST(test_errest_from_ns_oracle)
{
	struct stamp_errest e;
	unsigned i;

	srand(4656);
	for (i = 0; i < 3000; i++) {
		uint64_t ns = ((uint64_t)rand() << 40 ^ (uint64_t)rand() << 20 ^ (uint64_t)rand());
		unsigned __int128 want, got;

		ns >>= rand() % 64;
		if (i < 64)
			ns = (UINT64_C(1) << i) - 1;
		from_ns(ns, &e);
		CHECK(e.mult >= 1 && e.scale <= 63, "invalid estimate for %llu",
		      (unsigned long long)ns);
		got = (unsigned __int128)e.mult << e.scale;
		want = oracle_min_ticks(ns);
		if (want == 0) {
			CHECK(e.scale == 63 && e.mult == 255, "%llu not saturated",
			      (unsigned long long)ns);
			continue;
		}
		CHECK(got == want, "%llu ns: got %u * 2^%u", (unsigned long long)ns, e.mult,
		      e.scale);
		CHECK(stamp_errest_ns(&e) >= ns, "%llu ns stated as less",
		      (unsigned long long)ns);
	}
}
END_TEST

START_TEST(test_test_encode)
{
	struct stamp_test t = {
		.seq = 0x01020304, .ts = 0xeeb1b99cc76d9b4e, .errest = 0x8280, .ssid = 0xbeef,
	};
	uint8_t buf[64];
	size_t i;

	memset(buf, 0xaa, sizeof(buf));
	ck_assert_int_eq(stamp_test_encode(buf, 44, STAMP_UNAUTH, &t), 0);
	ck_assert_mem_eq(buf, SENDER, 44);
	ck_assert_uint_eq(buf[44], 0xaa);
	/* Padding is zeroed to len. */
	memset(buf, 0xaa, sizeof(buf));
	ck_assert_int_eq(stamp_test_encode(buf, 60, STAMP_UNAUTH, &t), 0);
	ck_assert_mem_eq(buf, SENDER, 44);
	for (i = 44; i < 60; i++)
		ck_assert_uint_eq(buf[i], 0);
	ck_assert_uint_eq(buf[60], 0xaa);
	ck_assert_int_eq(stamp_test_encode(buf, 43, STAMP_UNAUTH, &t), -EINVAL);
	ck_assert_int_eq(stamp_test_encode(NULL, 44, STAMP_UNAUTH, &t), -EINVAL);
	ck_assert_int_eq(stamp_test_encode(buf, 44, STAMP_UNAUTH, NULL), -EINVAL);
	ck_assert_int_eq(stamp_test_encode(buf, 112, STAMP_AUTH, &t), -ENOTSUP);
	ck_assert_int_eq(stamp_test_encode(buf, 44, (enum stamp_mode)7, &t), -EINVAL);
}
END_TEST

START_TEST(test_test_decode)
{
	struct stamp_test t;

	ck_assert_int_eq(stamp_test_decode(SENDER, 44, STAMP_UNAUTH, &t), 0);
	ck_assert_uint_eq(t.seq, 0x01020304);
	ck_assert_uint_eq(t.ts, 0xeeb1b99cc76d9b4e);
	ck_assert_uint_eq(t.errest, 0x8280);
	ck_assert_uint_eq(t.ssid, 0xbeef);
	/* TWAMP-light's 14 bytes: no SSID. */
	memset(&t, 0x55, sizeof(t));
	ck_assert_int_eq(stamp_test_decode(SENDER, 14, STAMP_UNAUTH, &t), 0);
	ck_assert_uint_eq(t.seq, 0x01020304);
	ck_assert_uint_eq(t.ts, 0xeeb1b99cc76d9b4e);
	ck_assert_uint_eq(t.errest, 0x8280);
	ck_assert_uint_eq(t.ssid, 0);
	ck_assert_int_eq(stamp_test_decode(SENDER, 15, STAMP_UNAUTH, &t), 0);
	ck_assert_uint_eq(t.ssid, 0);
	ck_assert_int_eq(stamp_test_decode(SENDER, 16, STAMP_UNAUTH, &t), 0);
	ck_assert_uint_eq(t.ssid, 0xbeef);
	ck_assert_int_eq(stamp_test_decode(SENDER, 13, STAMP_UNAUTH, &t), -EINVAL);
	ck_assert_int_eq(stamp_test_decode(SENDER, 0, STAMP_UNAUTH, &t), -EINVAL);
	ck_assert_int_eq(stamp_test_decode(NULL, 44, STAMP_UNAUTH, &t), -EINVAL);
	ck_assert_int_eq(stamp_test_decode(SENDER, 44, STAMP_AUTH, &t), -ENOTSUP);
}
END_TEST

START_TEST(test_reply_encode)
{
	uint8_t buf[64];
	size_t i;

	/* MBZ bytes are zeroed; what follows the 44 bytes is left alone. */
	memset(buf, 0xaa, sizeof(buf));
	ck_assert_int_eq(stamp_reply_encode(buf, 52, STAMP_UNAUTH, &REPLY_FIELDS), 0);
	ck_assert_mem_eq(buf, REPLY, 44);
	for (i = 44; i < sizeof(buf); i++)
		ck_assert_uint_eq(buf[i], 0xaa);
	ck_assert_int_eq(stamp_reply_encode(buf, 43, STAMP_UNAUTH, &REPLY_FIELDS), -EINVAL);
	ck_assert_int_eq(stamp_reply_encode(buf, 44, STAMP_UNAUTH, NULL), -EINVAL);
	ck_assert_int_eq(stamp_reply_encode(buf, 112, STAMP_AUTH, &REPLY_FIELDS), -ENOTSUP);
}
END_TEST

/* Which STAMP_HAVE_* bits a reply of len bytes has: the layout, by hand. */
static uint32_t
have_for_len(size_t len)
{
	uint32_t h = STAMP_HAVE_TS;

	if (len >= 14)
		h |= STAMP_HAVE_ERREST;
	if (len >= 16)
		h |= STAMP_HAVE_SSID;
	if (len >= 24)
		h |= STAMP_HAVE_RX_TS;
	if (len >= 28)
		h |= STAMP_HAVE_SENDER_SEQ;
	if (len >= 36)
		h |= STAMP_HAVE_SENDER_TS;
	if (len >= 38)
		h |= STAMP_HAVE_SENDER_ERREST;
	if (len >= 41)
		h |= STAMP_HAVE_SENDER_TTL;
	return h;
}

START_TEST(test_reply_decode_short)
{
	uint8_t buf[64];
	struct stamp_reply r;
	size_t len;

	memcpy(buf, REPLY, 44);
	memset(buf + 44, 0x77, 20);
	for (len = 0; len <= sizeof(buf); len++) {
		int rc;

		memset(&r, 0x55, sizeof(r));
		rc = stamp_reply_decode(buf, len, STAMP_UNAUTH, &r);
		if (len < STAMP_MIN_REPLY_LEN) {
			ck_assert_int_eq(rc, -EINVAL);
			continue;
		}
		ck_assert_int_eq(rc, 0);
		ck_assert_uint_eq(r.have, have_for_len(len));
		ck_assert_uint_eq(r.len, len < 44 ? len : 44);
		ck_assert_uint_eq(r.seq, REPLY_FIELDS.seq);
		ck_assert_uint_eq(r.ts, REPLY_FIELDS.ts);
		ck_assert_uint_eq(r.errest, len >= 14 ? REPLY_FIELDS.errest : 0);
		ck_assert_uint_eq(r.ssid, len >= 16 ? REPLY_FIELDS.ssid : 0);
		ck_assert_uint_eq(r.rx_ts, len >= 24 ? REPLY_FIELDS.rx_ts : 0);
		ck_assert_uint_eq(r.sender_seq, len >= 28 ? REPLY_FIELDS.sender_seq : 0);
		ck_assert_uint_eq(r.sender_ts, len >= 36 ? REPLY_FIELDS.sender_ts : 0);
		ck_assert_uint_eq(r.sender_errest, len >= 38 ? REPLY_FIELDS.sender_errest : 0);
		ck_assert_uint_eq(r.sender_ttl, len >= 41 ? REPLY_FIELDS.sender_ttl : 0);
	}
	ck_assert_int_eq(stamp_reply_decode(NULL, 44, STAMP_UNAUTH, &r), -EINVAL);
	ck_assert_int_eq(stamp_reply_decode(buf, 44, STAMP_AUTH, &r), -ENOTSUP);
	/* Non-zero MBZ from a sloppy reflector is read past, not refused. */
	buf[38] = buf[43] = 0x99;
	ck_assert_int_eq(stamp_reply_decode(buf, 44, STAMP_UNAUTH, &r), 0);
	ck_assert_uint_eq(r.sender_ttl, 254);
}
END_TEST

static uint64_t
rand64(void)
{
	return (uint64_t)rand() << 62 ^ (uint64_t)rand() << 31 ^ (uint64_t)rand();
}

START_TEST(test_roundtrip_random)
{
	uint8_t buf[80];
	unsigned i;

	srand(8762);
	for (i = 0; i < 100000; i++) {
		struct stamp_test t = {
			.seq = (uint32_t)rand64(), .ts = rand64(), .errest = (uint16_t)rand(),
			.ssid = (uint16_t)rand(),
		}, t2;
		struct stamp_reply r = {
			.seq = (uint32_t)rand64(), .ts = rand64(), .errest = (uint16_t)rand(),
			.ssid = (uint16_t)rand(), .rx_ts = rand64(),
			.sender_seq = (uint32_t)rand64(), .sender_ts = rand64(),
			.sender_errest = (uint16_t)rand(), .sender_ttl = (uint8_t)rand(),
			.len = 44, .have = have_for_len(44),
		}, r2;
		size_t len = 44 + (size_t)(rand() % 36);

		CHECK(stamp_test_encode(buf, len, STAMP_UNAUTH, &t) == 0, "test encode");
		CHECK(stamp_test_decode(buf, len, STAMP_UNAUTH, &t2) == 0, "test decode");
		CHECK(t.seq == t2.seq && t.ts == t2.ts && t.errest == t2.errest &&
		      t.ssid == t2.ssid, "sender round trip %u", i);
		CHECK(stamp_reply_encode(buf, len, STAMP_UNAUTH, &r) == 0, "reply encode");
		CHECK(stamp_reply_decode(buf, len, STAMP_UNAUTH, &r2) == 0, "reply decode");
		CHECK(r.seq == r2.seq && r.ts == r2.ts && r.errest == r2.errest &&
		      r.ssid == r2.ssid && r.rx_ts == r2.rx_ts &&
		      r.sender_seq == r2.sender_seq && r.sender_ts == r2.sender_ts &&
		      r.sender_errest == r2.sender_errest && r.sender_ttl == r2.sender_ttl &&
		      r.len == r2.len && r.have == r2.have, "reply round trip %u", i);
	}
}
END_TEST

/* The fast path patches fields in place at these offsets. */
START_TEST(test_offsets)
{
	ck_assert_uint_eq(STAMP_OFF_SEQ, 0);
	ck_assert_uint_eq(STAMP_OFF_TS, 4);
	ck_assert_uint_eq(STAMP_OFF_ERREST, 12);
	ck_assert_uint_eq(STAMP_OFF_SSID, 14);
	ck_assert_uint_eq(STAMP_OFF_RX_TS, 16);
	ck_assert_uint_eq(STAMP_OFF_SENDER_SEQ, 24);
	ck_assert_uint_eq(STAMP_OFF_SENDER_TS, 28);
	ck_assert_uint_eq(STAMP_OFF_SENDER_ERREST, 36);
	ck_assert_uint_eq(STAMP_OFF_SENDER_TTL, 40);
	ck_assert_uint_eq(REPLY[STAMP_OFF_SENDER_TTL], 254);
	ck_assert_uint_eq(REPLY[STAMP_OFF_RX_TS], 0x21);
	ck_assert_uint_eq(REPLY[STAMP_OFF_SENDER_SEQ + 3], 0x04);
}
END_TEST

static Suite *
stamp_suite(void)
{
	Suite *s = suite_create("stamp");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_errest_pack);
	tcase_add_test(tc, test_errest_ns);
	tcase_add_test(tc, test_errest_from_ns);
	tcase_add_test(tc, test_errest_from_ns_oracle);
	tcase_add_test(tc, test_test_encode);
	tcase_add_test(tc, test_test_decode);
	tcase_add_test(tc, test_reply_encode);
	tcase_add_test(tc, test_reply_decode_short);
	tcase_add_test(tc, test_roundtrip_random);
	tcase_add_test(tc, test_offsets);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(stamp_suite)
