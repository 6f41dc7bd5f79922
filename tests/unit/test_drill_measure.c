/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The drill's arithmetic on synthetic record streams: probes paced evenly,
 * each answered or not by what the simulated network does at its send
 * time, its reply counted in the window it arrives in (so replies near a
 * boundary land in the next window, as the dataplane counts them). The
 * measured detection, service gap, lost count, carriers, recovery and the
 * survivor's figures are checked against the times the simulation used.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "drill_measure.h"
#include "mp_test.h"

#define MS	INT64_C(1000000)
#define T0	UINT64_C(1796409000000000000)

/* What the simulated network does. Times in ns after T0. */
struct sim {
	uint64_t interval_ns, probe_ns, rtt_ns, end_ns;
	uint64_t cut_ns, answer_ns;		/* the cut link silent in [cut, answer) */
	uint64_t gap_from_ns, gap_to_ns;	/* the service lost in [from, to) */
	uint64_t back_ns;			/* the service carried by the cut link again */
	double surv_loss;			/* the survivor loses this share during the cut */
	uint64_t restore_ns;
	uint64_t seed;
};

static bool
sim_answered(struct sim *s, enum drill_role role, uint64_t t)
{
	if (role == DRILL_CUT)
		return t < s->cut_ns || t >= s->answer_ns;
	if (role == DRILL_SERVICE)
		return t < s->gap_from_ns || t >= s->gap_to_ns;
	return t < s->cut_ns || t >= s->restore_ns || rnd_unit(&s->seed) >= s->surv_loss;
}

static int
sim_carrier(const struct sim *s, uint64_t t)
{
	return t < s->cut_ns || t >= s->back_ns ? DRILL_CUT : t >= s->gap_to_ns ? DRILL_SURVIVOR :
	       DRILL_CARRIER_UNKNOWN;
}

/* Every window of role into m. */
static void
sim_feed(struct sim *s, struct drill_measure *m, enum drill_role role)
{
	uint64_t nwin = s->end_ns / s->interval_ns, k, t;
	struct drill_sample *w = calloc(nwin + 1, sizeof(*w));
	struct hist h;

	ck_assert_ptr_nonnull(w);
	for (t = s->probe_ns / 2; t < s->end_ns; t += s->probe_ns) {
		w[t / s->interval_ns].sent++;
		if (sim_answered(s, role, t))
			w[(t + s->rtt_ns) / s->interval_ns].received++;
	}
	hist_reset(&h);
	hist_add(&h, s->rtt_ns);
	for (k = 0; k < nwin; k++) {
		w[k].start_ns = T0 + k * s->interval_ns;
		w[k].end_ns = w[k].start_ns + s->interval_ns;
		w[k].carried_by = role == DRILL_SERVICE ? sim_carrier(s, k * s->interval_ns) :
				  DRILL_CARRIER_UNKNOWN;
		ck_assert_int_eq(drill_measure_add(m, role, &w[k], &h, 1000), 0);
	}
	free(w);
}

static void
sim_default(struct sim *s)
{
	*s = (struct sim){
		.interval_ns = 10 * MS, .probe_ns = 1 * MS, .rtt_ns = 15000, .end_ns = 12000 * MS,
		.cut_ns = 3004 * MS + 300000, .answer_ns = 8050 * MS,
		.gap_from_ns = 3004 * MS + 300000, .gap_to_ns = 3904 * MS + 300000,
		.back_ns = 10000 * MS, .restore_ns = 8000 * MS, .seed = 42,
	};
}

/* The drill as the sink runs it: cut and restore known before the records after them. */
static void
sim_run(struct sim *s, struct drill_measure *m, bool service, struct drill_result *r)
{
	drill_measure_init(m, s->interval_ns);
	m->cut_begin_ns = T0 + s->cut_ns - 1 * MS;
	m->cut_ns = T0 + s->cut_ns;
	m->restore_begin_ns = T0 + s->restore_ns;
	m->restore_ns = T0 + s->restore_ns + 1 * MS;
	sim_feed(s, m, DRILL_CUT);
	sim_feed(s, m, DRILL_SURVIVOR);
	if (service)
		sim_feed(s, m, DRILL_SERVICE);
	drill_measure_result(m, r);
}

START_TEST(detection_within_an_interval)
{
	struct drill_measure m;
	struct drill_result r;
	struct sim s;

	sim_default(&s);
	sim_run(&s, &m, true, &r);
	ck_assert_int_ne(r.detection_ns, DRILL_NONE);
	/* the cut link stops at the cut (1 ms after it began): never before, within an interval */
	ck_assert_int_ge(r.detection_ns, 0);
	ck_assert_int_le(r.detection_ns, 11 * MS);
	/* it answers again 50 ms after the restore began */
	ck_assert_int_ge(r.recovery_ns, 50 * MS - 2 * MS);
	ck_assert_int_le(r.recovery_ns, 50 * MS + 2 * MS);
	drill_measure_free(&m);
}
END_TEST

START_TEST(service_gap_interpolated_to_a_probe)
{
	struct drill_measure m;
	struct drill_result r;
	struct sim s;

	sim_default(&s);
	sim_run(&s, &m, true, &r);
	ck_assert(r.service);
	ck_assert(r.gap.found);
	/* 900 ms, to a probe interval or two */
	ck_assert_int_le(llabs(r.gap.end_ns - r.gap.start_ns - 900 * MS), 2 * MS);
	ck_assert_int_le(llabs(r.gap.start_ns - (int64_t)(T0 + s.gap_from_ns)), 2 * MS);
	ck_assert_int_ge(r.gap.lost, 899);
	ck_assert_int_le(r.gap.lost, 901);
	ck_assert_int_le(llabs(r.failover_ns - 901 * MS), 2 * MS);
	ck_assert_int_eq(r.before, DRILL_CUT);
	ck_assert_int_eq(r.during, DRILL_SURVIVOR);
	ck_assert_int_eq(r.after, DRILL_CUT);
	ck_assert_int_le(llabs(r.moved_back_ns - 2000 * MS), 11 * MS);
	ck_assert(!r.restore_gap.found);
	drill_measure_free(&m);
}
END_TEST

START_TEST(random_cuts_and_gaps)
{
	uint64_t seed = 7;
	int i;

	for (i = 0; i < 40; i++) {
		struct drill_measure m;
		struct drill_result r;
		struct sim s;
		uint64_t gap = rnd_range(&seed, 5, 3000) * MS;

		sim_default(&s);
		s.interval_ns = rnd_range(&seed, 1, 4) * 10 * MS;
		s.cut_ns = rnd_range(&seed, 2000, 3000) * MS + rnd_range(&seed, 0, 999999);
		s.gap_from_ns = s.cut_ns + rnd_range(&seed, 0, 3) * MS;
		s.gap_to_ns = s.gap_from_ns + gap;
		s.restore_ns = s.gap_to_ns + 1000 * MS;
		s.answer_ns = s.restore_ns + 30 * MS;
		s.back_ns = s.answer_ns + 500 * MS;
		s.end_ns = s.back_ns + 2000 * MS;
		sim_run(&s, &m, true, &r);
		ck_assert_msg(r.gap.found, "case %d: no gap of %llu ms", i,
			      (unsigned long long)(gap / MS));
		ck_assert_msg(llabs(r.gap.end_ns - r.gap.start_ns - (int64_t)gap) <= 2 * MS,
			      "case %d: gap %lld ns, true %llu", i,
			      (long long)(r.gap.end_ns - r.gap.start_ns), (unsigned long long)gap);
		ck_assert_int_ge(r.detection_ns, 0);
		ck_assert_int_le(r.detection_ns, (int64_t)s.interval_ns + 1 * MS);
		ck_assert_int_eq(r.during, DRILL_SURVIVOR);
		drill_measure_free(&m);
	}
}
END_TEST

/* An action that takes effect the instant it begins: no edge is put before it. */
START_TEST(never_before_the_action)
{
	uint64_t seed = 11;
	int i;

	for (i = 0; i < 40; i++) {
		struct drill_measure m;
		struct drill_result r;
		struct sim s;

		sim_default(&s);
		s.cut_ns = s.gap_from_ns = rnd_range(&seed, 2000, 3000) * MS + rnd_range(&seed, 0, 999999);
		s.gap_to_ns = s.gap_from_ns + 70 * MS;
		s.answer_ns = s.restore_ns;
		drill_measure_init(&m, s.interval_ns);
		m.cut_begin_ns = m.cut_ns = T0 + s.cut_ns;
		m.restore_begin_ns = m.restore_ns = T0 + s.restore_ns;
		sim_feed(&s, &m, DRILL_CUT);
		sim_feed(&s, &m, DRILL_SERVICE);
		drill_measure_result(&m, &r);
		ck_assert_int_ge(r.detection_ns, 0);
		ck_assert_int_le(r.detection_ns, 10 * MS);
		ck_assert(r.gap.found);
		ck_assert_int_ge(r.gap.start_ns, (int64_t)m.cut_begin_ns);
		ck_assert_int_le(llabs(r.gap.end_ns - r.gap.start_ns - 70 * MS), 2 * MS);
		ck_assert_int_ge(r.recovery_ns, 0);
		ck_assert_int_le(r.recovery_ns, 2 * MS);
		drill_measure_free(&m);
	}
}
END_TEST

START_TEST(no_service_stream)
{
	struct drill_measure m;
	struct drill_result r;
	struct sim s;

	sim_default(&s);
	sim_run(&s, &m, false, &r);
	ck_assert(!r.service);
	ck_assert(!r.gap.found);
	ck_assert_int_eq(r.failover_ns, DRILL_NONE);
	ck_assert_int_eq(r.before, DRILL_CARRIER_UNKNOWN);
	ck_assert_int_ne(r.detection_ns, DRILL_NONE);
	drill_measure_free(&m);
}
END_TEST

/* Replies that cross a window boundary make short windows: never a gap. */
START_TEST(boundary_replies_are_not_a_gap)
{
	struct drill_measure m;
	struct drill_result r;
	struct sim s;

	sim_default(&s);
	s.gap_from_ns = s.gap_to_ns = s.end_ns;		/* the service never loses */
	s.probe_ns = 3 * MS + 333333;			/* phases drift across windows */
	s.rtt_ns = 2 * MS;
	sim_run(&s, &m, true, &r);
	ck_assert(!r.gap.found);
	ck_assert(!r.restore_gap.found);
	drill_measure_free(&m);
}
END_TEST

/* Not cut yet: nothing is known. */
START_TEST(nothing_before_the_cut)
{
	struct drill_measure m;
	struct drill_result r;
	struct sim s;

	sim_default(&s);
	drill_measure_init(&m, s.interval_ns);
	sim_feed(&s, &m, DRILL_CUT);
	drill_measure_result(&m, &r);
	ck_assert_int_eq(r.detection_ns, DRILL_NONE);
	ck_assert_int_eq(r.recovery_ns, DRILL_NONE);
	ck_assert(isnan(r.surv_loss));
	drill_measure_free(&m);
}
END_TEST

START_TEST(survivor_objectives)
{
	struct drill_objective o[3] = {
		{ .name = "loss", .metric = DRILL_M_LOSS, .max = 0.001 },
		{ .name = "p99", .metric = DRILL_M_RTT_P99, .max = 0.001 },
		{ .name = "jitter", .metric = DRILL_M_JITTER, .max = 0.0000001 },
	};
	struct drill_measure m;
	struct drill_result r;
	struct sim s;

	sim_default(&s);
	sim_run(&s, &m, false, &r);
	ck_assert(r.surv_sent > 4000);
	ck_assert(r.surv_loss == 0.0);
	ck_assert(r.surv_p99_ns >= 14000 && r.surv_p99_ns <= 16000);
	ck_assert(!drill_objectives_eval(&r, o, 3));	/* jitter 1 us > 0.1 us */
	ck_assert(o[0].ok && o[1].ok && !o[2].ok);
	ck_assert(drill_objectives_eval(&r, o, 2));
	ck_assert(!drill_objectives_eval(&r, o, 0));	/* no objective: not judged */
	drill_measure_free(&m);

	s.surv_loss = 0.02;	/* the survivor drops 2% while it carries everything */
	sim_run(&s, &m, false, &r);
	ck_assert(r.surv_loss > 0.01 && r.surv_loss < 0.03);
	ck_assert(!drill_objectives_eval(&r, o, 1));
	drill_measure_free(&m);
}
END_TEST

START_TEST(precheck)
{
	struct drill_measure m;
	char why[160];
	struct sim s;

	sim_default(&s);
	drill_measure_init(&m, s.interval_ns);
	sim_feed(&s, &m, DRILL_SURVIVOR);
	ck_assert(drill_healthy(&m, DRILL_SURVIVOR, T0, T0 + 3000 * MS, 0.01, why, sizeof(why)));
	ck_assert(!drill_healthy(&m, DRILL_CUT, T0, T0 + 3000 * MS, 0.01, why, sizeof(why)));
	ck_assert_msg(strstr(why, "no probes") != NULL, "%s", why);
	drill_measure_free(&m);

	/* 5% lost: refused */
	drill_measure_init(&m, s.interval_ns);
	s.cut_ns = 0;
	s.restore_ns = s.end_ns;
	s.surv_loss = 0.05;
	sim_feed(&s, &m, DRILL_SURVIVOR);
	ck_assert(!drill_healthy(&m, DRILL_SURVIVOR, T0, T0 + 3000 * MS, 0.01, why, sizeof(why)));
	ck_assert_msg(strstr(why, "lost") != NULL, "%s", why);
	drill_measure_free(&m);

	/* silent for its last 500 ms, under 1% over the whole: refused all the same */
	sim_default(&s);
	s.cut_ns = 2500 * MS;
	s.answer_ns = s.end_ns;
	drill_measure_init(&m, s.interval_ns);
	sim_feed(&s, &m, DRILL_CUT);
	ck_assert(!drill_healthy(&m, DRILL_CUT, T0, T0 + 3000 * MS, 0.5, why, sizeof(why)));
	ck_assert_msg(strstr(why, "no reply") != NULL, "%s", why);
	drill_measure_free(&m);
}
END_TEST

static Suite *
drill_measure_suite(void)
{
	Suite *s = suite_create("drill_measure");
	TCase *t = tcase_create("core");

	tcase_add_test(t, detection_within_an_interval);
	tcase_add_test(t, service_gap_interpolated_to_a_probe);
	tcase_add_test(t, random_cuts_and_gaps);
	tcase_add_test(t, never_before_the_action);
	tcase_add_test(t, no_service_stream);
	tcase_add_test(t, boundary_replies_are_not_a_gap);
	tcase_add_test(t, nothing_before_the_cut);
	tcase_add_test(t, survivor_objectives);
	tcase_add_test(t, precheck);
	suite_add_tcase(s, t);
	return s;
}

MP_TEST_MAIN(drill_measure_suite)
