/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 2544's searches (see rfc2544.h). Each keeps every trial it ran, so
 * that the report shows how the result was reached.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rfc2544.h"

/* Run a trial and keep it; the trial's rc. */
static int
rfc2544_run(struct rfc2544_steps *s, double rate_pps, uint32_t duration_ms,
	    rfc2544_trial_fn fn, void *cookie, struct rfc2544_trial *out)
{
	struct rfc2544_ask ask = { .rate_pps = rate_pps, .duration_ms = duration_ms };
	int rc;

	memset(out, 0, sizeof(*out));
	out->asked_pps = rate_pps;
	out->duration_ms = duration_ms;
	rc = fn(cookie, &ask, out);
	if (rc != 0) {
		s->rc = rc;
		return rc;
	}
	out->asked_pps = rate_pps;
	out->duration_ms = duration_ms;
	if (duration_ms > 0)
		out->sent_pps = (double)out->sent * 1000.0 / duration_ms;
	out->loss_ratio = out->sent > 0 ? (double)out->lost / (double)out->sent : 0.0;
	if (s->n < RFC2544_MAX_STEPS)
		s->t[s->n++] = *out;
	return 0;
}

static bool
rfc2544_pass(const struct rfc2544_trial *t, double tolerance)
{
	return t->sent > 0 && t->loss_ratio <= tolerance;
}

int
rfc2544_tput_max_trials(double resolution)
{
	int n = 1;
	double w = 1.0;

	if (!(resolution > 0.0))
		resolution = 0.001;
	while (w > resolution && n < RFC2544_MAX_STEPS) {
		w /= 2;
		n++;
	}
	return n;
}

static void
rfc2544_tput_take(struct rfc2544_tput *out, const struct rfc2544_trial *t)
{
	out->found = true;
	out->rate_pps = t->asked_pps;
	out->sent_pps = t->sent_pps;
	out->loss_ratio = t->loss_ratio;
	out->sender_limited = t->sent_pps < t->asked_pps * RFC2544_SHORT_FRAC;
}

/*
 * The ceiling first (most links carry what they are sold at, and then one
 * trial is the answer), then halving the bracket [lo, hi): lo passed (0 at
 * first), hi failed, until hi - lo is within the resolution.
 */
int
rfc2544_throughput(const struct rfc2544_tput_params *p, rfc2544_trial_fn fn, void *cookie,
		   struct rfc2544_tput *out)
{
	double res = (p->resolution > 0 ? p->resolution : 0.001) * p->max_pps;
	struct rfc2544_trial t;
	int rc, budget = rfc2544_tput_max_trials(p->resolution);

	memset(out, 0, sizeof(*out));
	out->lo_pps = 0;
	out->hi_pps = p->max_pps;
	if (!(p->max_pps > 0))
		return -EINVAL;
	if ((rc = rfc2544_run(&out->steps, p->max_pps, p->trial_ms, fn, cookie, &t)) != 0)
		return rc;
	if (rfc2544_pass(&t, p->tolerance)) {
		rfc2544_tput_take(out, &t);
		out->lo_pps = p->max_pps;
		return 0;
	}
	while (out->hi_pps - out->lo_pps > res && out->steps.n < budget) {
		double mid = (out->lo_pps + out->hi_pps) / 2;

		if ((rc = rfc2544_run(&out->steps, mid, p->trial_ms, fn, cookie, &t)) != 0)
			return rc;
		if (rfc2544_pass(&t, p->tolerance)) {
			out->lo_pps = mid;
			rfc2544_tput_take(out, &t);
		} else {
			out->hi_pps = mid;
		}
	}
	return 0;
}

int
rfc2544_frame_loss(double max_pps, uint32_t trial_ms, rfc2544_trial_fn fn, void *cookie,
		   struct rfc2544_floss *out)
{
	struct rfc2544_trial t;
	int pct, clean = 0, rc;

	memset(out, 0, sizeof(*out));
	for (pct = 100; pct >= 10 && clean < 2; pct -= 10) {
		out->load_pct[out->steps.n] = pct;
		if ((rc = rfc2544_run(&out->steps, max_pps * pct / 100.0, trial_ms, fn, cookie,
				      &t)) != 0)
			return rc;
		clean = t.sent > 0 && t.lost == 0 ? clean + 1 : 0;
	}
	return 0;
}

static int
rfc2544_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
rfc2544_latency(double rate_pps, uint32_t trial_ms, int reps, rfc2544_trial_fn fn,
		void *cookie, struct rfc2544_latency *out)
{
	double p50[RFC2544_MAX_STEPS];
	struct rfc2544_trial t;
	int i, rc = 0;

	memset(out, 0, sizeof(*out));
	out->rate_pps = rate_pps;
	for (i = 0; i < reps && i < RFC2544_MAX_STEPS; i++) {
		if ((rc = rfc2544_run(&out->steps, rate_pps, trial_ms, fn, cookie, &t)) != 0)
			break;
		if (!t.has_rtt)
			continue;
		if (out->reps == 0 || t.rtt_min_us < out->min_us)
			out->min_us = t.rtt_min_us;
		if (out->reps == 0 || t.rtt_p99_us > out->p99_us)
			out->p99_us = t.rtt_p99_us;
		if (out->reps == 0 || t.rtt_max_us > out->max_us)
			out->max_us = t.rtt_max_us;
		p50[out->reps++] = t.rtt_p50_us;
	}
	if (out->reps > 0) {
		qsort(p50, (size_t)out->reps, sizeof(p50[0]), rfc2544_cmp_double);
		out->p50_us = out->reps % 2 ? p50[out->reps / 2] :
			      (p50[out->reps / 2 - 1] + p50[out->reps / 2]) / 2;
	}
	return rc;
}

static void
rfc2544_b2b_take(struct rfc2544_b2b *out, const struct rfc2544_trial *t)
{
	out->found = true;
	out->frames = t->sent;
	out->duration_ms = t->duration_ms;
	out->sent_pps = t->sent_pps;
}

int
rfc2544_back_to_back(double burst_pps, uint32_t min_ms, uint32_t max_ms, int iters,
		     rfc2544_trial_fn fn, void *cookie, struct rfc2544_b2b *out)
{
	uint32_t lo = 0, hi = max_ms;
	struct rfc2544_trial t;
	int i, rc;

	memset(out, 0, sizeof(*out));
	out->burst_pps = burst_pps;
	if (min_ms == 0 || max_ms < min_ms)
		return -EINVAL;
	if ((rc = rfc2544_run(&out->steps, burst_pps, max_ms, fn, cookie, &t)) != 0)
		return rc;
	if (t.sent > 0 && t.lost == 0) {
		rfc2544_b2b_take(out, &t);
		return 0;
	}
	for (i = 0; i < iters && hi - lo > 1; i++) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (mid < min_ms)
			mid = min_ms;
		if (mid >= hi)
			break;
		if ((rc = rfc2544_run(&out->steps, burst_pps, mid, fn, cookie, &t)) != 0)
			return rc;
		if (t.sent > 0 && t.lost == 0) {
			lo = mid;
			rfc2544_b2b_take(out, &t);
		} else {
			hi = mid;
		}
	}
	return 0;
}
