/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 2544's searches (control/rfc2544.c) against simulated links: a link
 * that carries up to a known capacity (and drops what is over it), with
 * and without noise, and a sender that cannot reach every rate asked.
 */
#include <check.h>
#include <errno.h>
#include <math.h>

#include "rfc2544.h"
#include "mp_test.h"

struct sim {
	double capacity_pps;	/* the link carries this many frames a second */
	double noise;		/* the capacity of each trial varies by +- this share */
	double sender_pps;	/* the sender reaches at most this (0: any) */
	uint64_t burst;		/* frames the link absorbs at once over its capacity */
	double rtt_us;
	uint64_t seed;
	int trials;
	int interrupt_at;	/* trial that returns -EINTR (0: none) */
};

static int
sim_trial(void *cookie, const struct rfc2544_ask *ask, struct rfc2544_trial *out)
{
	struct sim *s = cookie;
	double secs = ask->duration_ms / 1000.0, rate = ask->rate_pps, cap, carried;

	if (++s->trials == s->interrupt_at)
		return -EINTR;
	if (s->sender_pps > 0 && rate > s->sender_pps)
		rate = s->sender_pps;
	cap = s->capacity_pps * (1 + s->noise * (2 * rnd_unit(&s->seed) - 1));
	out->sent = (uint64_t)llround(rate * secs);
	carried = cap * secs + (double)s->burst;
	out->lost = out->sent > carried ? out->sent - (uint64_t)carried : 0;
	out->has_rtt = true;
	out->rtt_min_us = s->rtt_us;
	out->rtt_p50_us = s->rtt_us * (1 + rate / s->capacity_pps);
	out->rtt_p99_us = 2 * out->rtt_p50_us;
	out->rtt_max_us = 3 * out->rtt_p50_us;
	out->frame_size_sent = 128;
	return 0;
}

START_TEST(test_throughput_converges)
{
	static const double caps[] = { 1600, 16891, 50000, 99999, 123456, 148809 };
	struct rfc2544_tput_params p = { .max_pps = 148809.5, .resolution = 0.01,
					 .trial_ms = 2000 };
	size_t i;

	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		struct sim s = { .capacity_pps = caps[i], .rtt_us = 10, .seed = 1 + i };
		struct rfc2544_tput r;

		ck_assert_int_eq(rfc2544_throughput(&p, sim_trial, &s, &r), 0);
		ck_assert(r.found);
		/* never above the capacity, never more than the resolution below it */
		ck_assert_double_le(r.sent_pps, caps[i] + 1);
		ck_assert_double_ge(r.sent_pps, caps[i] - p.resolution * p.max_pps);
		ck_assert_int_le(r.steps.n, rfc2544_tput_max_trials(p.resolution));
		ck_assert(!r.sender_limited);
	}
}
END_TEST

START_TEST(test_throughput_with_noise)
{
	struct rfc2544_tput_params p = { .max_pps = 100000, .resolution = 0.005,
					 .trial_ms = 1000 };
	int k;

	/* capacity varies +-2% from trial to trial: found within that and the resolution */
	for (k = 0; k < 50; k++) {
		struct sim s = { .capacity_pps = 20000 + 1000 * k, .noise = 0.02, .seed = 99 + k };
		struct rfc2544_tput r;

		ck_assert_int_eq(rfc2544_throughput(&p, sim_trial, &s, &r), 0);
		ck_assert(r.found);
		ck_assert_double_le(r.sent_pps, s.capacity_pps * 1.02 + 1);
		ck_assert_double_ge(r.sent_pps, s.capacity_pps * 0.98 - p.resolution * p.max_pps);
	}
}
END_TEST

START_TEST(test_throughput_edges)
{
	struct rfc2544_tput_params p = { .max_pps = 10000, .resolution = 0.01, .trial_ms = 1000 };
	struct sim s = { .capacity_pps = 20000 };
	struct rfc2544_tput r;

	/* a link above the ceiling: one trial */
	ck_assert_int_eq(rfc2544_throughput(&p, sim_trial, &s, &r), 0);
	ck_assert(r.found && r.steps.n == 1 && r.sent_pps == 10000);
	/* a sender short of the ceiling: the rate sent is the answer, flagged */
	s = (struct sim){ .capacity_pps = 20000, .sender_pps = 7000 };
	ck_assert_int_eq(rfc2544_throughput(&p, sim_trial, &s, &r), 0);
	ck_assert(r.found && r.sender_limited && r.sent_pps == 7000 && r.rate_pps == 10000);
	/* loss within the tolerance counts as none */
	s = (struct sim){ .capacity_pps = 9990 };
	p.tolerance = 0.002;
	ck_assert_int_eq(rfc2544_throughput(&p, sim_trial, &s, &r), 0);
	ck_assert(r.found && r.steps.n == 1 && r.loss_ratio > 0);
	/* a dead link: nothing found, and the bracket closed at the bottom */
	p.tolerance = 0;
	s = (struct sim){ .capacity_pps = 0 };
	ck_assert_int_eq(rfc2544_throughput(&p, sim_trial, &s, &r), 0);
	ck_assert(!r.found && r.hi_pps <= p.resolution * p.max_pps);
	/* interrupted: stops, keeps what it had */
	s = (struct sim){ .capacity_pps = 5000, .interrupt_at = 3 };
	ck_assert_int_eq(rfc2544_throughput(&p, sim_trial, &s, &r), -EINTR);
	ck_assert_int_eq(r.steps.n, 2);
	ck_assert(r.found && r.sent_pps == 5000);
	ck_assert_int_eq(rfc2544_throughput(&(struct rfc2544_tput_params){ 0 }, sim_trial, &s, &r),
			 -EINVAL);
	ck_assert_int_eq(rfc2544_tput_max_trials(0.01), 8);
	ck_assert_int_eq(rfc2544_tput_max_trials(0.5), 2);
}
END_TEST

START_TEST(test_frame_loss_steps)
{
	struct sim s = { .capacity_pps = 6500 };
	struct rfc2544_floss f;
	int i;

	/* 100..70% lose, 60% and 50% do not: stop after 50% */
	ck_assert_int_eq(rfc2544_frame_loss(10000, 1000, sim_trial, &s, &f), 0);
	ck_assert_int_eq(f.steps.n, 6);
	for (i = 0; i < f.steps.n; i++) {
		ck_assert_int_eq(f.load_pct[i], 100 - 10 * i);
		ck_assert((f.steps.t[i].lost > 0) == (i < 4));
	}
	ck_assert_double_eq_tol(f.steps.t[0].loss_ratio, 0.35, 1e-9);
	/* a link that carries everything: two trials */
	s.capacity_pps = 1e9;
	ck_assert_int_eq(rfc2544_frame_loss(10000, 1000, sim_trial, &s, &f), 0);
	ck_assert_int_eq(f.steps.n, 2);
	/* one that carries nothing: every step down to 10% */
	s.capacity_pps = 0;
	ck_assert_int_eq(rfc2544_frame_loss(10000, 1000, sim_trial, &s, &f), 0);
	ck_assert_int_eq(f.steps.n, RFC2544_FLOSS_MAX_TRIALS);
	ck_assert_int_eq(f.load_pct[9], 10);
}
END_TEST

START_TEST(test_latency_reps)
{
	struct sim s = { .capacity_pps = 1000, .rtt_us = 10 };
	struct rfc2544_latency l;

	ck_assert_int_eq(rfc2544_latency(500, 1000, 5, sim_trial, &s, &l), 0);
	ck_assert_int_eq(l.reps, 5);
	ck_assert_double_eq(l.min_us, 10);
	ck_assert_double_eq(l.p50_us, 15);
	ck_assert_double_eq(l.p99_us, 30);
	ck_assert_double_eq(l.max_us, 45);
	s.interrupt_at = s.trials + 3;
	ck_assert_int_eq(rfc2544_latency(500, 1000, 5, sim_trial, &s, &l), -EINTR);
	ck_assert_int_eq(l.reps, 2);
}
END_TEST

START_TEST(test_back_to_back)
{
	/* sent at 100 kpps into a link of 10 kpps that absorbs 900 frames at once */
	struct sim s = { .capacity_pps = 10000, .burst = 900 };
	struct rfc2544_b2b b;

	ck_assert_int_eq(rfc2544_back_to_back(100000, 1, 2000, 12, sim_trial, &s, &b), 0);
	ck_assert(b.found);
	/* a burst of t ms carries when 100 t <= 10 t + 900: t <= 10 ms, 1000 frames */
	ck_assert_uint_eq(b.duration_ms, 10);
	ck_assert_uint_eq(b.frames, 1000);
	ck_assert_double_eq(b.sent_pps, 100000);
	/* a link that carries the longest burst: one trial */
	s.capacity_pps = 1e6;
	ck_assert_int_eq(rfc2544_back_to_back(100000, 1, 2000, 12, sim_trial, &s, &b), 0);
	ck_assert(b.found && b.steps.n == 1 && b.frames == 200000);
	ck_assert_int_eq(rfc2544_back_to_back(100000, 0, 2000, 12, sim_trial, &s, &b), -EINVAL);
}
END_TEST

static Suite *
rfc2544_suite(void)
{
	Suite *s = suite_create("rfc2544");
	TCase *tc = tcase_create("search");

	tcase_add_test(tc, test_throughput_converges);
	tcase_add_test(tc, test_throughput_with_noise);
	tcase_add_test(tc, test_throughput_edges);
	tcase_add_test(tc, test_frame_loss_steps);
	tcase_add_test(tc, test_latency_reps);
	tcase_add_test(tc, test_back_to_back);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(rfc2544_suite)
