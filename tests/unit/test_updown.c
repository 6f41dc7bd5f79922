/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Links up and down (updown.h) from synthetic interval records: the time
 * of link_down against the last reply, link_up with the outage's length,
 * the pair down while both are.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "mp_test.h"
#include "updown.h"

#define MS	1000000ull
#define S	1000000000ull
#define T0	(1700000000ull * S)

/*
 * The record of a 100 ms interval ending at end (ns after T0) of a link at
 * 1000 probes/s whose replies stop at dead_from and resume at dead_to.
 */
static void
record(struct link_interval *li, uint64_t end, uint64_t dead_from, uint64_t dead_to)
{
	uint64_t last_reply = end - 1 * MS;

	memset(li, 0, sizeof(*li));
	li->start_unix_ns = T0 + end - 100 * MS;
	li->end_unix_ns = T0 + end;
	li->pacer_rate_mpps = 1000000;
	li->overdue_after_ns = 10 * MS;
	li->c.sent = 100;
	li->c.received = 100;
	if (end > dead_from && end - 1 * MS < dead_to) {
		/* no reply since dead_from: probes sent since are overdue */
		last_reply = dead_from;
		li->c.received = dead_from > end - 100 * MS ? (dead_from - (end - 100 * MS)) / MS : 0;
		li->overdue = (end - dead_from) / MS > 10 ? (end - dead_from) / MS - 10 : 0;
	}
	li->no_reply_ns = T0 + end - (T0 + last_reply);
}

/* Every record of a link from 0 to 20 s; the events with the time of the record that raised them. */
static int
run_link(struct updown *u, int l, uint64_t dead_from, uint64_t dead_to,
	 struct updown_event *ev, uint64_t *raised_at, int max)
{
	struct link_interval li;
	uint64_t end;
	int n = 0, k, i;

	for (end = 100 * MS; end <= 20 * S; end += 100 * MS) {
		record(&li, end, dead_from, dead_to);
		k = updown_add(u, l, &li, &ev[n]);
		for (i = 0; i < k && n + i < max; i++)
			raised_at[n + i] = end;
		n += k;
	}
	return n;
}

START_TEST(test_down_within_a_second_and_up_with_length)
{
	struct updown u;
	struct updown_event ev[8];
	uint64_t at[8];
	int n;

	updown_init(&u, 1);
	n = run_link(&u, 0, 5 * S, 8 * S, ev, at, 8);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(ev[0].kind, UD_LINK_DOWN);
	/* the last reply, and raised 300 ms later (250 ms without replies, at a record's end) */
	ck_assert_uint_eq(ev[0].t_ns, T0 + 5 * S);
	ck_assert_uint_eq(at[0], 5 * S + 300 * MS);
	ck_assert_int_eq(ev[1].kind, UD_LINK_UP);
	ck_assert_uint_eq(at[1], 8 * S + 100 * MS);
	/* from the last reply before (5.000) to the newest reply of the record (8.099) */
	ck_assert_uint_eq(ev[1].outage_ns, 3 * S + 99 * MS);
	ck_assert_int_eq(u.l[0].up, BOARD_YES);
}
END_TEST

START_TEST(test_short_silence_is_not_down)
{
	struct updown u;
	struct updown_event ev[8];
	uint64_t at[8];

	updown_init(&u, 1);
	/* 200 ms without replies: a stall, not an outage */
	ck_assert_int_eq(run_link(&u, 0, 5 * S, 5 * S + 200 * MS, ev, at, 8), 0);
	ck_assert_int_eq(u.l[0].up, BOARD_YES);
}
END_TEST

START_TEST(test_pair_down_while_both_are)
{
	struct updown u;
	struct updown_event ev[16];
	struct link_interval li;
	uint64_t end;
	int n = 0, i, pair_down = -1, pair_up = -1;

	updown_init(&u, 2);
	ck_assert_int_eq(u.pair_up, BOARD_UNKNOWN);
	/* a: dead 5..9 s; b: dead 6..8 s, records interleaved */
	for (end = 100 * MS; end <= 20 * S; end += 100 * MS) {
		record(&li, end, 5 * S, 9 * S);
		n += updown_add(&u, 0, &li, &ev[n]);
		record(&li, end, 6 * S, 8 * S);
		n += updown_add(&u, 1, &li, &ev[n]);
		ck_assert_int_le(n, 12);
	}
	for (i = 0; i < n; i++) {
		if (ev[i].kind == UD_PAIR_DOWN)
			pair_down = i;
		if (ev[i].kind == UD_PAIR_UP)
			pair_up = i;
	}
	/* a down, b down, pair down, b up, pair up, a up */
	ck_assert_int_eq(n, 6);
	ck_assert_int_eq(pair_down, 2);
	ck_assert_int_eq(ev[2].link, -1);
	ck_assert_uint_eq(ev[2].t_ns, T0 + 6 * S);
	ck_assert_int_eq(pair_up, 4);
	ck_assert_int_eq(ev[3].kind, UD_LINK_UP);
	ck_assert_int_eq(ev[3].link, 1);
	ck_assert_uint_eq(ev[4].outage_ns, 2 * S + 99 * MS);
	ck_assert_int_eq(ev[5].kind, UD_LINK_UP);
	ck_assert_int_eq(ev[5].link, 0);
	ck_assert_int_eq(u.pair_up, BOARD_YES);
}
END_TEST

START_TEST(test_never_answering_is_down)
{
	struct updown u;
	struct updown_event ev[8];
	uint64_t at[8];
	int n;

	updown_init(&u, 1);
	n = run_link(&u, 0, 0, 30 * S, ev, at, 8);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ev[0].kind, UD_LINK_DOWN);
	ck_assert_int_eq(u.l[0].up, BOARD_NO);
}
END_TEST

static Suite *
updown_suite(void)
{
	Suite *s = suite_create("updown");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_down_within_a_second_and_up_with_length);
	tcase_add_test(tc, test_short_silence_is_not_down);
	tcase_add_test(tc, test_pair_down_while_both_are);
	tcase_add_test(tc, test_never_answering_is_down);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(updown_suite)
