/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The go-live plans (control/golive_plan.c): steps per link and together,
 * sizes a link's MTU cannot carry left out and listed, and the arithmetic
 * of trials and time that the plan print and the progress lines show.
 */
#include <check.h>
#include <string.h>

#include "golive_plan.h"
#include "rfc2544.h"
#include "mp_test.h"

START_TEST(test_quick_on_two_links)
{
	const struct golive_plan_def *d = golive_plan_find("quick");
	uint32_t mtu_frames[2] = { 1518, 1518 };
	struct golive_plan p;
	int per_link, i, trials = 0;
	uint64_t ms = 0;

	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(golive_plan_build(d, 2, mtu_frames, 0, 0, 1500, &p), 0);
	/* per link: 3 throughput, 1 latency, 1 frame loss, 1 back-to-back; then 1 together */
	per_link = 3 + 1 + 1 + 1;
	ck_assert_int_eq(p.n, 2 * per_link + 1);
	ck_assert_int_eq(p.step[0].link, 0);
	ck_assert_int_eq(p.step[per_link].link, 1);
	ck_assert_int_eq(p.step[p.n - 1].link, GOLIVE_TOGETHER);
	ck_assert_str_eq(p.step[2].size, "imix");
	/* throughput: the ceiling and then halvings down to 5%: 6 trials */
	ck_assert_int_eq(p.step[0].max_trials, 6);
	ck_assert_int_eq(p.step[0].max_ms, 6 * (1000 + 1500));
	ck_assert_int_eq(p.step[3].test, GOLIVE_LATENCY);
	ck_assert_int_eq(p.step[3].max_trials, 2);
	ck_assert_int_eq(p.step[4].max_trials, RFC2544_FLOSS_MAX_TRIALS);
	/* back-to-back: bursts of 1000 ms, then 10 halvings (down to 1 ms) */
	ck_assert_int_eq(p.step[5].max_trials, 11);
	for (i = 0; i < p.n; i++) {
		trials += p.step[i].max_trials;
		ms += p.step[i].max_ms;
	}
	ck_assert_int_eq(p.total_trials, trials);
	ck_assert_uint_eq(p.total_ms, ms);
	ck_assert_uint_eq(golive_plan_left_ms(&p, 0), ms);
	ck_assert_uint_eq(golive_plan_left_ms(&p, p.n - 1), p.step[p.n - 1].max_ms);
	ck_assert_uint_eq(golive_plan_left_ms(&p, p.n), 0);
	/* "a few minutes" on the lab */
	ck_assert_uint_le(p.total_ms, 4 * 60 * 1000);
	ck_assert_int_eq(p.n_skip, 0);
}
END_TEST

START_TEST(test_mtu_skips_and_overrides)
{
	const struct golive_plan_def *d = golive_plan_find("standard");
	uint32_t frames[2] = { 1518, 9018 };
	struct golive_plan p;
	int i, n9000 = 0;

	ck_assert_int_eq(golive_plan_build(d, 2, frames, 2000, 0.02, 1000, &p), 0);
	ck_assert(p.trial_ms == 2000 && p.resolution == 0.02);
	/* 9000 only on the jumbo link, never together (the pair carries the smaller) */
	for (i = 0; i < p.n; i++)
		if (strcmp(p.step[i].size, "9000") == 0) {
			ck_assert_int_eq(p.step[i].link, 1);
			n9000++;
		}
	ck_assert_int_eq(n9000, 3);
	ck_assert_int_eq(p.n_skip, 2);
	ck_assert_int_eq(p.skip[0].link, 0);
	ck_assert_str_eq(p.skip[0].size, "9000");
	ck_assert_uint_eq(p.skip[0].max_frame, 1518);
	ck_assert_int_eq(p.skip[1].link, GOLIVE_TOGETHER);
	/* one link: no together step */
	ck_assert_int_eq(golive_plan_build(golive_plan_find("quick"), 1, frames, 0, 0, 0, &p), 0);
	for (i = 0; i < p.n; i++)
		ck_assert_int_ne(p.step[i].link, GOLIVE_TOGETHER);
	ck_assert_ptr_null(golive_plan_find("slow"));
}
END_TEST

START_TEST(test_sizes_and_durations)
{
	char buf[32];

	ck_assert_uint_eq(golive_size_max_frame("64"), 64);
	ck_assert_uint_eq(golive_size_max_frame("imix"), 1518);
	ck_assert_uint_eq(golive_size_max_frame("9000"), 9000);
	ck_assert_uint_eq(golive_size_max_frame("big"), 0);
	golive_fmt_duration(45000, buf, sizeof(buf));
	ck_assert_str_eq(buf, "45s");
	golive_fmt_duration(190001, buf, sizeof(buf));
	ck_assert_str_eq(buf, "3m11s");
	golive_fmt_duration(3720000, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1h02m");
	ck_assert_str_eq(golive_test_name(GOLIVE_BACK_TO_BACK), "back_to_back");
}
END_TEST

/* Y.1564 after RFC 2544: a step per service, then the performance test; or alone. */
START_TEST(test_y1564_steps)
{
	static const int link[] = { 0, 1 }, trials[] = { 6, 5 };
	static const char size[][GOLIVE_SIZE_MAX] = { "128", "imix" };
	const struct golive_plan_def *d = golive_plan_find("quick");
	uint32_t frames[2] = { 9018, 9018 };
	struct golive_plan p;
	int n0;
	uint64_t ms0;

	ck_assert_int_eq(golive_plan_build(d, 2, frames, 0, 0, 1500, &p), 0);
	n0 = p.n;
	ms0 = p.total_ms;
	ck_assert_int_eq(golive_plan_add_y1564(&p, 2, link, trials, size, 1000, 20), 0);
	ck_assert_int_eq(p.n, n0 + 3);
	ck_assert_int_eq(p.step[n0].test, GOLIVE_Y1564_SERVICE);
	ck_assert_int_eq(p.step[n0].svc, 0);
	ck_assert_int_eq(p.step[n0 + 1].link, 1);
	ck_assert_str_eq(p.step[n0 + 1].size, "imix");
	ck_assert_int_eq(p.step[n0 + 1].max_trials, 5);
	ck_assert_int_eq(p.step[n0 + 2].test, GOLIVE_Y1564_PERF);
	ck_assert_int_eq(p.step[n0 + 2].link, GOLIVE_TOGETHER);
	ck_assert_uint_eq(p.step[n0 + 2].trial_ms, 20000);
	/* 11 steps of 1 s and the 20 s test, each trial with its 1.5 s to start and drain */
	ck_assert_uint_eq(p.total_ms - ms0, 11 * 2500 + 21500);
	ck_assert_uint_eq(p.y1564_perf_s, 20);
	ck_assert_str_eq(golive_test_name(GOLIVE_Y1564_PERF), "y1564_performance");
	/* --tests y1564: RFC 2544 dropped first */
	golive_plan_drop_rfc2544(&p);
	ck_assert_int_eq(p.n, 0);
	ck_assert_uint_eq(p.total_ms, 0);
	ck_assert_int_eq(golive_plan_add_y1564(&p, 2, link, trials, size, 1000, 0), 0);
	ck_assert_int_eq(p.n, 2);	/* no performance test of 0 s */
	ck_assert_int_eq(p.total_trials, 11);
	/* the plans' own lengths: quick short, standard 15 min, full 2 h */
	ck_assert_uint_eq(d->y1564_perf_s, 20);
	ck_assert_uint_eq(golive_plan_find("standard")->y1564_perf_s, 900);
	ck_assert_uint_eq(golive_plan_find("full")->y1564_perf_s, 7200);
}
END_TEST

static Suite *
golive_plan_suite(void)
{
	Suite *s = suite_create("golive_plan");
	TCase *tc = tcase_create("plan");

	tcase_add_test(tc, test_quick_on_two_links);
	tcase_add_test(tc, test_mtu_skips_and_overrides);
	tcase_add_test(tc, test_sizes_and_durations);
	tcase_add_test(tc, test_y1564_steps);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(golive_plan_suite)
