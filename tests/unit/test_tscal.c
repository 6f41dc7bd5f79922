/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Device timestamp calibration against synthetic clocks: a TSC that is the
 * reference, a device clock with an offset, a rate error and maybe a step,
 * and a receive latency of 300 ns plus an exponential tail.
 */
#include <check.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "mp_tscal.h"
#include "mp_test.h"

#define MS	UINT64_C(1000000)	/* ns */

struct sim {
	uint64_t hz;		/* TSC */
	uint64_t tsc0;		/* TSC at true time 0 */
	uint64_t dev0;		/* device clock at true time 0 */
	int64_t ppm;		/* device rate error */
	uint64_t step_at;	/* true time of a device clock step (0: none) */
	int64_t step_ns;	/* and its size */
	uint64_t quantum;	/* device resolution, ns (0 or 1: 1 ns) */
	uint64_t lmin;		/* least receive latency, ns */
	double tail;		/* mean of the exponential tail, ns */
	uint64_t period;	/* mean time between bursts, ns */
	uint64_t seed;
	uint64_t t;		/* true time now, ns */
};

static uint64_t
sim_tsc(const struct sim *s, uint64_t t)
{
	return s->tsc0 + (uint64_t)((unsigned __int128)t * s->hz / 1000000000u);
}

static uint64_t
sim_dev(const struct sim *s, uint64_t t)
{
	int64_t drift = (int64_t)(((__int128)t * s->ppm) / 1000000);
	uint64_t d = s->dev0 + t + (uint64_t)drift;

	if (s->step_at != 0 && t >= s->step_at)
		d += (uint64_t)s->step_ns;
	if (s->quantum > 1)
		d -= d % s->quantum;
	return d;
}

static void
sim_default(struct sim *s, int64_t ppm)
{
	*s = (struct sim){
		.hz = UINT64_C(2994373000),
		.tsc0 = UINT64_C(123456789012345),
		.dev0 = UINT64_C(1700000000123456789),
		.ppm = ppm,
		.lmin = 300,
		.tail = 2000,
		.period = 100000,
		.seed = 42,
		.t = 1000,
	};
}

/* One burst: the device time of its last frame and the TSC read after it. */
struct burst {
	uint64_t dev;
	uint64_t tsc_after;
	uint64_t truth;		/* TSC of the stamp, plus the least latency */
};

static struct burst
sim_next(struct sim *s)
{
	struct burst b;
	uint64_t lat = s->lmin + (uint64_t)(-s->tail * log(1.0 - rnd_unit(&s->seed)));

	s->t += s->period / 2 + rnd_next(&s->seed) % s->period;
	b.dev = sim_dev(s, s->t);
	b.tsc_after = sim_tsc(s, s->t + lat);
	b.truth = sim_tsc(s, s->t + s->lmin);
	return b;
}

static int64_t
tsc_to_ns(const struct sim *s, int64_t cycles)
{
	return (int64_t)((double)cycles * 1e9 / (double)s->hz);
}

struct check {
	int64_t max_err_ns;	/* |mapped - truth|, the largest */
	int64_t max_late_ns;	/* mapped - tsc_after, the largest (< 0: never late) */
	uint64_t n, unready;	/* bursts checked, of them not ready */
};

/*
 * Run for dur ns; check the bursts after skip ns: the mapping of each burst's
 * device time against the truth and the software stamp.
 */
static struct check
sim_run(struct sim *s, struct tscal *c, uint64_t dur, uint64_t skip)
{
	struct check k = { .max_late_ns = INT64_MIN };
	uint64_t end = s->t + dur, from = s->t + skip;

	while (s->t < end) {
		struct burst b = sim_next(s);
		uint64_t m, rx;
		int64_t e;

		tscal_sample(c, b.dev, b.tsc_after);
		rx = tscal_rx_tsc(c, b.dev, b.tsc_after);
		ck_assert_uint_le(rx, b.tsc_after);
		if (s->t < from)
			continue;
		k.n++;
		if (!tscal_ready(c)) {
			k.unready++;
			continue;
		}
		m = tscal_to_tsc(c, b.dev);
		e = llabs(tsc_to_ns(s, (int64_t)(m - b.truth)));
		if (e > k.max_err_ns)
			k.max_err_ns = e;
		e = tsc_to_ns(s, (int64_t)(m - b.tsc_after));
		if (e > k.max_late_ns)
			k.max_late_ns = e;
	}
	return k;
}

static void
tscal_new(struct tscal *c, const struct sim *s)
{
	tscal_init(c, s->hz, s->hz / 10);	/* 100 ms windows */
}

START_TEST(test_not_ready_before_sample)
{
	struct tscal c;

	tscal_init(&c, UINT64_C(3000000000), UINT64_C(300000000));
	ck_assert(!tscal_ready(&c));
	ck_assert_uint_eq(tscal_rx_tsc(&c, UINT64_C(5000), UINT64_C(777)), 777);
	ck_assert(tscal_ppm(&c) == 0);
	ck_assert_int_eq(tscal_spread_ns(&c), 0);
	ck_assert_uint_eq(c.samples, 0);
	/* 0 and UINT64_MAX are "no stamp": not even the first sample. */
	tscal_sample(&c, 0, UINT64_C(1000000));
	tscal_sample(&c, UINT64_MAX, UINT64_C(1000000));
	ck_assert_uint_eq(c.rejected, 2);
	ck_assert_uint_eq(c.samples, 0);
	ck_assert(!tscal_ready(&c));
}
END_TEST

/* Before the first window: the nominal slope through the lowest sample. */
START_TEST(test_first_window_nominal)
{
	struct tscal c;
	uint64_t hz = UINT64_C(3000000000);

	tscal_init(&c, hz, hz / 10);
	tscal_sample(&c, UINT64_C(5000000), UINT64_C(1000000000));
	ck_assert(!tscal_ready(&c));
	ck_assert_uint_eq(tscal_to_tsc(&c, UINT64_C(5000000)), UINT64_C(1000000000));
	ck_assert_uint_eq(tscal_to_tsc(&c, UINT64_C(5001000)), UINT64_C(1000003000));
	ck_assert_uint_eq(tscal_to_tsc(&c, UINT64_C(4999000)), UINT64_C(999997000));
	/* 1 us later by the device, 2.4 us by the TSC: higher, changes nothing. */
	tscal_sample(&c, UINT64_C(5001000), UINT64_C(1000007200));
	ck_assert_uint_eq(tscal_to_tsc(&c, UINT64_C(5000000)), UINT64_C(1000000000));
	/* 2 us later by the device, 5 us by the TSC: lower, the line moves to it. */
	tscal_sample(&c, UINT64_C(5002000), UINT64_C(1000005000));
	ck_assert_uint_eq(tscal_to_tsc(&c, UINT64_C(5002000)), UINT64_C(1000005000));
	ck_assert_uint_eq(tscal_to_tsc(&c, UINT64_C(5000000)), UINT64_C(999999000));
	ck_assert(!tscal_ready(&c));
	ck_assert_uint_eq(tscal_rx_tsc(&c, UINT64_C(5002000), UINT64_C(1000005000)),
			  UINT64_C(1000005000));
}
END_TEST

static void
check_drift(int64_t ppm, uint64_t hz, uint64_t dev0)
{
	struct tscal c;
	struct sim s;
	struct check k;

	sim_default(&s, ppm);
	s.hz = hz;
	s.dev0 = dev0;
	tscal_new(&c, &s);
	/* Ready after one window; within 100 ns after two; for 3 s. */
	k = sim_run(&s, &c, 80 * MS, 0);
	ck_assert(!tscal_ready(&c));
	k = sim_run(&s, &c, 30 * MS, 0);
	ck_assert(tscal_ready(&c));
	k = sim_run(&s, &c, 90 * MS, 0);
	ck_assert(tscal_ready(&c));
	k = sim_run(&s, &c, 3000 * MS, 0);
	ck_assert_uint_eq(k.unready, 0);
	ck_assert_int_le(k.max_err_ns, 100);
	/* The mapping itself is never later than the software stamp. */
	ck_assert_int_le(k.max_late_ns, 0);
	ck_assert_uint_eq(c.late, 0);
	ck_assert_uint_eq(c.implausible, 0);
	ck_assert_msg(fabs(tscal_ppm(&c) - (double)ppm) < 0.2, "ppm %f, want %lld",
		      tscal_ppm(&c), (long long)ppm);
	ck_assert_int_ge(tscal_spread_ns(&c), 0);
	ck_assert_int_le(tscal_spread_ns(&c), 100);
	ck_assert_uint_eq(c.steps, 0);
	ck_assert_uint_eq(c.outliers, 0);
}

START_TEST(test_drift_plus_200ppm)
{
	check_drift(200, UINT64_C(2994373000), UINT64_C(1700000000123456789));
}
END_TEST

START_TEST(test_drift_minus_300ppm)
{
	/* A device clock counting from its own reset, a TSC of 2.1 GHz. */
	check_drift(-300, UINT64_C(2100000000), UINT64_C(987654321));
}
END_TEST

START_TEST(test_drift_500ppm_both_ways)
{
	check_drift(500, UINT64_C(3600000000), UINT64_C(1));
	check_drift(-500, UINT64_C(1000000000), UINT64_C(1) << 62);
}
END_TEST

/* A device clock stepped forwards or back: detected, counted, followed. */
static void
check_step(int64_t step_ns)
{
	struct tscal c;
	struct sim s;
	struct check k;

	sim_default(&s, 150);
	s.step_at = s.t + 1000 * MS;
	s.step_ns = step_ns;
	tscal_new(&c, &s);
	k = sim_run(&s, &c, 990 * MS, 200 * MS);
	ck_assert_int_le(k.max_err_ns, 100);
	ck_assert_uint_eq(c.steps, 0);
	/* Across the step rx_tsc falls back (sim_run checks it is never late). */
	k = sim_run(&s, &c, 200 * MS, 0);
	ck_assert_uint_eq(c.steps, 1);
	ck_assert_uint_eq(c.outliers, 0);
	ck_assert(tscal_ready(&c));
	/* Two windows after the step and on: as good as before. */
	k = sim_run(&s, &c, 2000 * MS, 0);
	ck_assert_uint_eq(k.unready, 0);
	ck_assert_int_le(k.max_err_ns, 100);
	ck_assert_int_le(k.max_late_ns, 0);
	ck_assert_uint_eq(c.steps, 1);
	ck_assert(fabs(tscal_ppm(&c) - 150) < 0.2);
}

START_TEST(test_step_forward)
{
	check_step(5 * (int64_t)MS);
}
END_TEST

START_TEST(test_step_back)
{
	check_step(-37 * (int64_t)MS);
}
END_TEST

START_TEST(test_step_one_second)
{
	check_step(1000 * (int64_t)MS);
}
END_TEST

/* In the window of a step, before it is seen: no frame takes a wrong time. */
START_TEST(test_step_not_used_before_seen)
{
	struct tscal c;
	struct sim s;
	uint64_t wrong = 0;

	sim_default(&s, 0);
	s.step_at = s.t + 500 * MS;
	s.step_ns = -20 * (int64_t)MS;
	tscal_new(&c, &s);
	while (s.t < s.step_at + 300 * MS) {
		struct burst b = sim_next(&s);
		uint64_t rx;

		tscal_sample(&c, b.dev, b.tsc_after);
		rx = tscal_rx_tsc(&c, b.dev, b.tsc_after);
		if (rx != b.tsc_after && llabs((int64_t)(rx - b.truth)) > 1000)
			wrong++;
	}
	ck_assert_uint_eq(wrong, 0);
	ck_assert_uint_gt(c.implausible, 0);
	ck_assert_uint_eq(c.steps, 1);
}
END_TEST

/*
 * Garbage: 0 and UINT64_MAX (no stamp) are rejected and change nothing;
 * another wild value lies off the line, is held and then dropped, and the
 * frame carrying it is given its software stamp.
 */
START_TEST(test_garbage)
{
	struct tscal c;
	struct sim s;
	struct check k;
	uint64_t base_ns, base_tsc, mult, i;

	sim_default(&s, -120);
	tscal_new(&c, &s);
	k = sim_run(&s, &c, 500 * MS, 0);
	ck_assert(tscal_ready(&c));
	for (i = 0; i < 1000; i++) {
		struct burst b = sim_next(&s);

		tscal_sample(&c, b.dev, b.tsc_after);
		if (i % 10 == 0) {
			base_ns = c.base_ns;
			base_tsc = c.base_tsc;
			mult = c.mult;
			tscal_sample(&c, 0, b.tsc_after);
			tscal_sample(&c, UINT64_MAX, b.tsc_after);
			ck_assert_uint_eq(c.base_ns, base_ns);
			ck_assert_uint_eq(c.base_tsc, base_tsc);
			ck_assert_uint_eq(c.mult, mult);
			ck_assert_uint_eq(tscal_rx_tsc(&c, 0, b.tsc_after), b.tsc_after);
			ck_assert_uint_eq(tscal_rx_tsc(&c, UINT64_MAX, b.tsc_after),
					  b.tsc_after);
		}
	}
	ck_assert_uint_eq(c.rejected, 200);
	ck_assert_uint_gt(c.implausible + c.late, 0);
	/* A stamp from 3 s in the future. */
	{
		struct burst b = sim_next(&s);

		uint64_t late = c.late;

		tscal_sample(&c, b.dev + 3 * 1000 * MS, b.tsc_after);
		ck_assert_uint_eq(tscal_rx_tsc(&c, b.dev + 3 * 1000 * MS, b.tsc_after),
				  b.tsc_after);
		ck_assert_uint_eq(c.late, late + 1);
	}
	k = sim_run(&s, &c, 100 * MS, 0);
	ck_assert_uint_eq(c.outliers, 1);
	ck_assert_uint_eq(c.steps, 0);
	k = sim_run(&s, &c, 1000 * MS, 0);
	ck_assert_uint_eq(k.unready, 0);
	ck_assert_int_le(k.max_err_ns, 100);
	ck_assert_int_le(k.max_late_ns, 0);
	ck_assert_uint_eq(c.outliers, 1);
	ck_assert_uint_eq(c.steps, 0);
}
END_TEST

/* A wild first stamp: followed as a step once real ones agree. */
START_TEST(test_garbage_first)
{
	struct tscal c;
	struct sim s;
	struct check k;
	struct burst b;

	sim_default(&s, 80);
	tscal_new(&c, &s);
	b = sim_next(&s);
	tscal_sample(&c, UINT64_C(12345), b.tsc_after);
	k = sim_run(&s, &c, 300 * MS, 0);
	ck_assert_uint_le(c.steps, 1);
	k = sim_run(&s, &c, 2000 * MS, 0);
	ck_assert_uint_eq(k.unready, 0);
	ck_assert_int_le(k.max_err_ns, 100);
	ck_assert_int_le(k.max_late_ns, 0);
}
END_TEST

/*
 * 10 bursts a second: one minimum per burst, ready after 8. Few samples
 * against a 2 us latency tail: within 1 us (about 150 ns rms).
 */
START_TEST(test_low_rate)
{
	struct tscal c;
	struct sim s;
	struct check k;

	sim_default(&s, 250);
	s.period = 100 * MS;
	tscal_new(&c, &s);
	k = sim_run(&s, &c, 2000 * MS, 0);
	ck_assert(tscal_ready(&c));
	k = sim_run(&s, &c, 20000 * MS, 0);
	ck_assert_uint_eq(k.unready, 0);
	ck_assert_int_le(k.max_err_ns, 1000);
	ck_assert_uint_eq(c.steps, 0);
	ck_assert(fabs(tscal_ppm(&c) - 250) < 2);
}
END_TEST

/* A device that stamps in whole microseconds (pcap's default resolution). */
START_TEST(test_microsecond_stamps)
{
	struct tscal c;
	struct sim s;
	struct check k;

	sim_default(&s, -200);
	s.quantum = 1000;
	tscal_new(&c, &s);
	k = sim_run(&s, &c, 300 * MS, 0);
	k = sim_run(&s, &c, 2000 * MS, 0);
	ck_assert_uint_eq(k.unready, 0);
	ck_assert_int_le(k.max_err_ns, 1100);
	ck_assert_int_le(k.max_late_ns, 0);
	ck_assert(fabs(tscal_ppm(&c) + 200) < 1);
}
END_TEST

/* The rate follows a device clock whose rate changes (a servo at work). */
START_TEST(test_rate_change)
{
	struct tscal c;
	struct sim s;
	struct check k;
	uint64_t t_change, d_change;

	sim_default(&s, 100);
	tscal_new(&c, &s);
	k = sim_run(&s, &c, 1000 * MS, 200 * MS);
	ck_assert_int_le(k.max_err_ns, 100);
	/* From here on -100 ppm, continuous in device time. */
	t_change = s.t;
	d_change = sim_dev(&s, t_change);
	s.dev0 = d_change - t_change + (uint64_t)(int64_t)(((__int128)t_change * 100) / 1000000);
	s.ppm = -100;
	ck_assert_uint_le(llabs((int64_t)(sim_dev(&s, t_change) - d_change)), 1);
	k = sim_run(&s, &c, 1000 * MS, 0);
	ck_assert(fabs(tscal_ppm(&c) + 100) < 0.2);
	k = sim_run(&s, &c, 1000 * MS, 0);
	ck_assert_int_le(k.max_err_ns, 100);
	ck_assert_uint_eq(c.steps, 0);
}
END_TEST

static Suite *
tscal_suite(void)
{
	Suite *s = suite_create("tscal");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_not_ready_before_sample);
	tcase_add_test(tc, test_first_window_nominal);
	tcase_add_test(tc, test_drift_plus_200ppm);
	tcase_add_test(tc, test_drift_minus_300ppm);
	tcase_add_test(tc, test_drift_500ppm_both_ways);
	tcase_add_test(tc, test_step_forward);
	tcase_add_test(tc, test_step_back);
	tcase_add_test(tc, test_step_one_second);
	tcase_add_test(tc, test_step_not_used_before_seen);
	tcase_add_test(tc, test_garbage);
	tcase_add_test(tc, test_garbage_first);
	tcase_add_test(tc, test_low_rate);
	tcase_add_test(tc, test_microsecond_stamps);
	tcase_add_test(tc, test_rate_change);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(tscal_suite)
