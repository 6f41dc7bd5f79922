/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Availability decided as the seconds come (avail_stream.h) against the
 * whole-run definition (avail_compute(), avail_pair()) on random runs of
 * good, severely errored and missing seconds.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "avail.h"
#include "avail_stream.h"
#include "mp_test.h"

#define N	3000

/* Runs of one class, lengths around the 10-second rule. */
static void
random_classes(uint64_t *seed, uint8_t *c, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint8_t cls = (uint8_t)rnd_range(seed, 0, 9);
		size_t len = rnd_range(seed, 1, 25);

		cls = cls < 5 ? AVAIL_GOOD : cls < 9 ? AVAIL_SES : AVAIL_GAP;
		for (; len > 0 && i < n; len--)
			c[i++] = cls;
	}
}

START_TEST(test_link_matches_avail_compute)
{
	static uint8_t c[N], u[N];
	uint64_t seed = 3;
	int round;

	for (round = 0; round < 50; round++) {
		struct avail_stream s;
		struct avs_out o = { 0, 0 };
		struct avail_result r;
		size_t i;

		random_classes(&seed, c, N);
		avail_compute(c, N, u, &r);
		avs_init(&s);
		for (i = 0; i < N; i++) {
			/* a gap is a second pushed as one, or one never pushed */
			if (c[i] == AVAIL_GAP && (i & 1))
				continue;
			avs_push(&s, 1000 + (int64_t)i, c[i], &o);
			/* every decided second within the ring is decided as the whole run does */
			if (avs_decided_through(&s) >= 1000 + (int64_t)i - 30 && i >= 30) {
				size_t k = i - 30;
				uint8_t f = avs_flag(&s, 1000 + (int64_t)k);

				if (c[k] == AVAIL_GAP)
					ck_assert_uint_eq(f, AVS_NODATA);
				else
					ck_assert_uint_eq(f, u[k] ? AVS_DOWN : AVS_UP);
			}
		}
		avs_flush(&s, &o);
		ck_assert_uint_eq(o.seconds, r.seconds);
		ck_assert_uint_eq(o.unavail, r.unavailable);
	}
}
END_TEST

START_TEST(test_decided_late_by_at_most_the_run)
{
	struct avail_stream s;
	struct avs_out o = { 0, 0 };
	int64_t t;

	avs_init(&s);
	for (t = 0; t < 5; t++)
		avs_push(&s, t, AVAIL_GOOD, &o);
	ck_assert_uint_eq(o.seconds, 5);
	for (t = 5; t < 14; t++)
		avs_push(&s, t, AVAIL_SES, &o);
	/* nine SES: undecided */
	ck_assert_uint_eq(o.seconds, 5);
	ck_assert_int_eq(avs_decided_through(&s), 4);
	avs_push(&s, 14, AVAIL_SES, &o);
	ck_assert_uint_eq(o.seconds, 15);
	ck_assert_uint_eq(o.unavail, 10);
	avs_push(&s, 15, AVAIL_GOOD, &o);
	ck_assert_uint_eq(o.seconds, 15);	/* one good second after: still down? undecided */
	avs_push(&s, 16, AVAIL_SES, &o);
	ck_assert_uint_eq(o.seconds, 17);
	ck_assert_uint_eq(o.unavail, 12);
}
END_TEST

START_TEST(test_pair_matches_avail_pair)
{
	static uint8_t a[N], b[N], scratch[2 * N];
	uint64_t seed = 5;
	int round;

	for (round = 0; round < 50; round++) {
		struct avail_stream sa, sb;
		struct avail_pair_stream p;
		struct avs_out o = { 0, 0 }, x = { 0, 0 };
		struct avail_pair ap;
		size_t i;

		random_classes(&seed, a, N);
		random_classes(&seed, b, N);
		avail_pair(a, b, N, scratch, &ap);
		avs_init(&sa);
		avs_init(&sb);
		avps_init(&p);
		for (i = 0; i < N; i++) {
			avs_push(&sa, (int64_t)i, a[i], &x);
			avps_advance(&p, &sa, &sb, &o);
			avs_push(&sb, (int64_t)i, b[i], &x);
			avps_advance(&p, &sa, &sb, &o);
		}
		avs_flush(&sa, &x);
		avs_flush(&sb, &x);
		avps_advance(&p, &sa, &sb, &o);
		ck_assert_uint_eq(o.seconds, ap.seconds);
		ck_assert_uint_eq(o.unavail, ap.pair_down);
	}
}
END_TEST

static Suite *
avail_stream_suite(void)
{
	Suite *s = suite_create("avail_stream");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_link_matches_avail_compute);
	tcase_add_test(tc, test_decided_late_by_at_most_the_run);
	tcase_add_test(tc, test_pair_matches_avail_pair);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(avail_stream_suite)
