/* SPDX-License-Identifier: BSD-3-Clause */
/* Losses attributed to the window their probes were sent in, on series computed by hand. */
#include <check.h>
#include <string.h>

#include "lossattr.h"
#include "mp_test.h"

#define MS	UINT64_C(1000000)
#define T0	UINT64_C(1700000000000000000)

/* Record k of a 100 ms window: sent, received, lost as the dataplane counts them. */
static void
rec(struct link_interval *li, uint64_t k, uint64_t sent, uint64_t received, uint64_t lost)
{
	memset(li, 0, sizeof(*li));
	hist_reset(&li->rtt);
	li->start_unix_ns = T0 + k * 100 * MS;
	li->end_unix_ns = li->start_unix_ns + 100 * MS;
	li->pacer_rate_mpps = 100 * 1000;	/* 100 pps: 10 probes a window */
	li->c.sent = sent;
	li->c.received = received;
	li->c.lost = lost;
	if (received > 0)
		hist_add(&li->rtt, 2 * MS);
}

/*
 * Loss timeout 300 ms, 100 ms windows: H = 4. Windows 2 and 3 lose all 10
 * probes, window 6 loses 3. The dataplane counts them 3 windows later,
 * and the retirement tick lets one of each window's losses slip to the
 * record after that: record 5 says 9 lost (window 2), record 6 says
 * 1 + 9 (windows 2 and 3), record 7 says 1 (window 3), record 9 says 2,
 * record 10 says 1 (window 6). By send time: 10, 10 and 3, nothing else.
 */
START_TEST(test_shift_back)
{
	static const uint64_t reported[14] = { 0, 0, 0, 0, 0, 9, 10, 1, 0, 2, 1, 0, 0, 0 };
	static const uint64_t truth[14] = { 0, 0, 10, 10, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0 };
	struct lossattr a;
	struct link_interval li;
	struct lossattr_slot s;
	uint64_t k, popped = 0;

	ck_assert_int_eq(lossattr_init(&a, 100 * MS, 300 * MS, 0), 0);
	ck_assert_uint_eq(a.horizon, 4);
	for (k = 0; k < 14; k++) {
		rec(&li, k, 10, 10 - truth[k], reported[k]);
		lossattr_add(&a, k, &li);
		/* final: no record can attribute to it any more */
		while (a.base + a.horizon <= k) {
			lossattr_pop(&a, &s);
			ck_assert_msg(s.lost == truth[popped], "window %llu: %llu lost, want %llu",
				      (unsigned long long)popped, (unsigned long long)s.lost,
				      (unsigned long long)truth[popped]);
			ck_assert(s.seen);
			ck_assert_uint_eq(s.sent, 10);
			popped++;
		}
	}
	ck_assert_uint_eq(popped, 10);
	lossattr_free(&a);
}
END_TEST

/* Loss timeout 0 (a test's series): losses stay in their own window. */
START_TEST(test_no_timeout)
{
	struct lossattr a;
	struct link_interval li;
	struct lossattr_slot s;

	ck_assert_int_eq(lossattr_init(&a, 100 * MS, 0, 2), 0);
	ck_assert_uint_eq(a.horizon, 1);
	rec(&li, 0, 10, 7, 3);
	lossattr_add(&a, 0, &li);
	rec(&li, 1, 10, 10, 0);
	lossattr_add(&a, 1, &li);
	lossattr_pop(&a, &s);
	ck_assert_uint_eq(s.lost, 3);
	ck_assert_uint_eq(s.received, 7);
	ck_assert_uint_eq(s.min_ns, 2 * MS);
	lossattr_pop(&a, &s);
	ck_assert_uint_eq(s.lost, 0);
	lossattr_free(&a);
}
END_TEST

/*
 * An outage: record 6 says no reply for 450 ms with probes overdue, so
 * the last reply came 350 ms before its window began: windows 6 - 4 = 2
 * (the one holding the last reply) to 6 are marked at once, before any of
 * their losses are counted (loss timeout 1 s).
 */
START_TEST(test_outage_marks_back)
{
	struct lossattr a;
	struct link_interval li;
	struct lossattr_slot s;
	uint64_t k;

	ck_assert_int_eq(lossattr_init(&a, 100 * MS, 1000 * MS, 0), 0);
	for (k = 0; k < 6; k++) {
		rec(&li, k, 10, k < 2 ? 10 : 0, 0);
		lossattr_add(&a, k, &li);
	}
	rec(&li, 6, 10, 0, 0);
	li.overdue = 40;
	li.overdue_after_ns = 50 * MS;
	li.no_reply_ns = 450 * MS;
	lossattr_add(&a, 6, &li);
	for (k = 0; k < 7; k++) {
		lossattr_pop(&a, &s);
		ck_assert_msg(s.outage == (k >= 2), "window %llu outage %d", (unsigned long long)k,
			      s.outage);
	}
	lossattr_free(&a);
}
END_TEST

/* Losses no window has room for (the books disagree) stay in the record's own window. */
START_TEST(test_no_room)
{
	struct lossattr a;
	struct link_interval li;
	struct lossattr_slot s;

	ck_assert_int_eq(lossattr_init(&a, 100 * MS, 200 * MS, 0), 0);
	rec(&li, 0, 10, 10, 0);
	lossattr_add(&a, 0, &li);
	rec(&li, 1, 10, 10, 0);
	lossattr_add(&a, 1, &li);
	rec(&li, 2, 10, 8, 5);		/* 2 of its own window have room, 3 have none */
	lossattr_add(&a, 2, &li);
	lossattr_pop(&a, &s);
	ck_assert_uint_eq(s.lost, 0);
	lossattr_pop(&a, &s);
	ck_assert_uint_eq(s.lost, 0);
	lossattr_pop(&a, &s);
	ck_assert_uint_eq(s.lost, 5);
	lossattr_free(&a);
}
END_TEST

static Suite *
lossattr_suite(void)
{
	Suite *s = suite_create("lossattr");
	TCase *tc = tcase_create("lossattr");

	tcase_add_test(tc, test_shift_back);
	tcase_add_test(tc, test_no_timeout);
	tcase_add_test(tc, test_outage_marks_back);
	tcase_add_test(tc, test_no_room);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(lossattr_suite)
