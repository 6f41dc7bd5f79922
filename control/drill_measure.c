/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A failover drill's measurements from interval records (drill_measure.h).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drill_measure.h"

const char *const drill_role_names[DRILL_ROLES] = { "cut", "survivor", "service" };
const char *const drill_metric_names[DRILL_METRICS] = { "loss", "rtt_p50", "rtt_p99",
							"rtt_p999", "jitter" };

int
drill_measure_init(struct drill_measure *m, uint64_t interval_ns)
{
	memset(m, 0, sizeof(*m));
	m->interval_ns = interval_ns;
	hist_reset(&m->surv_rtt);
	return 0;
}

void
drill_measure_free(struct drill_measure *m)
{
	int i;

	for (i = 0; i < DRILL_ROLES; i++)
		free(m->s[i].v);
	memset(m->s, 0, sizeof(m->s));
}

/* The window lies in the cut: after it took effect, before the restore began. */
static bool
drill_in_cut(const struct drill_measure *m, const struct drill_sample *s)
{
	return m->cut_ns != 0 && s->start_ns >= m->cut_ns &&
	       (m->restore_begin_ns == 0 || s->end_ns <= m->restore_begin_ns);
}

int
drill_measure_add(struct drill_measure *m, enum drill_role role, const struct drill_sample *s,
		  const struct hist *rtt, uint64_t jitter_ns)
{
	struct drill_series *v = &m->s[role];

	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 1024;
		struct drill_sample *p = realloc(v->v, cap * sizeof(*p));

		if (p == NULL)
			return -ENOMEM;
		v->v = p;
		v->cap = cap;
	}
	v->v[v->n++] = *s;
	if (role == DRILL_SURVIVOR && drill_in_cut(m, s)) {
		if (rtt != NULL)
			hist_merge(&m->surv_rtt, rtt);
		if (jitter_ns > m->surv_jitter_max_ns)
			m->surv_jitter_max_ns = jitter_ns;
	}
	return 0;
}

static bool
drill_silent(const struct drill_sample *s)
{
	return s->sent > 0 && s->received == 0;
}

static bool
drill_short(const struct drill_sample *s)
{
	return s->sent > s->received;
}

/*
 * Within a window answered first and silent after: when the answers
 * stopped (probes are paced evenly, so at the share answered).
 */
static int64_t
drill_edge_stop(const struct drill_sample *s)
{
	if (s->sent == 0 || s->received >= s->sent)
		return (int64_t)s->end_ns;
	return (int64_t)(s->start_ns + (s->end_ns - s->start_ns) * s->received / s->sent);
}

/* Within a window silent first and answered after: when the answers resumed. */
static int64_t
drill_edge_resume(const struct drill_sample *s)
{
	if (s->sent == 0 || s->received >= s->sent)
		return (int64_t)s->start_ns;
	return (int64_t)(s->start_ns + (s->end_ns - s->start_ns) * (s->sent - s->received) /
			 s->sent);
}

/*
 * The first gap of series v whose windows end after from_ns (and, when
 * before_ns is not 0, begin before it): a run of short windows (windows
 * that sent nothing do not break it) with a silent one or two lost.
 */
static struct drill_gap
drill_find_gap(const struct drill_series *v, uint64_t from_ns, uint64_t before_ns)
{
	struct drill_gap g = { 0 };
	size_t i, first = 0, last = 0;
	uint64_t deficit = 0;
	bool open = false, silent = false;

	for (i = 0; i <= v->n; i++) {
		const struct drill_sample *s = i < v->n ? &v->v[i] : NULL;

		if (s != NULL && (s->end_ns <= from_ns || (s->sent == 0 && s->received == 0)))
			continue;
		if (s != NULL && drill_short(s) && (before_ns == 0 || s->start_ns < before_ns ||
						    open)) {
			if (!open)
				first = i, deficit = 0, silent = false;
			open = true;
			last = i;
			deficit += s->sent - s->received;
			silent |= drill_silent(s);
			continue;
		}
		if (open && (silent || deficit >= 2)) {
			/* a reply of the run's last window that arrived in the next */
			if (s != NULL && s->received > s->sent)
				deficit -= deficit > s->received - s->sent ? s->received - s->sent : 0;
			g.found = true;
			g.start_ns = drill_edge_stop(&v->v[first]);
			/* interpolated a probe early: never before the action began */
			g.start_ns = g.start_ns < (int64_t)from_ns ? (int64_t)from_ns : g.start_ns;
			g.end_ns = drill_edge_resume(&v->v[last]);
			g.lost = deficit;
			return g;
		}
		open = false;
		if (s != NULL && before_ns != 0 && s->start_ns >= before_ns)
			break;
	}
	return g;
}

/* The cut link: the first silent window after the cut that stays silent; and the answer after. */
static void
drill_cut_link(const struct drill_measure *m, struct drill_result *r)
{
	const struct drill_series *v = &m->s[DRILL_CUT];
	size_t i, j;

	for (i = 0; i < v->n && r->stopped_ns == DRILL_NONE; i++) {
		if (v->v[i].end_ns <= m->cut_begin_ns || !drill_silent(&v->v[i]))
			continue;
		if (m->restore_begin_ns != 0 && v->v[i].start_ns >= m->restore_begin_ns)
			break;
		for (j = i + 1; j < v->n && v->v[j].sent == 0; j++)
			;
		if (j < v->n && !drill_silent(&v->v[j]) &&
		    (m->restore_begin_ns == 0 || v->v[j].start_ns < m->restore_begin_ns))
			continue;	/* one silent window: not the cut */
		r->stopped_ns = i > 0 && v->v[i - 1].received > 0 ? drill_edge_stop(&v->v[i - 1]) :
				(int64_t)v->v[i].start_ns;
		if (r->stopped_ns < (int64_t)v->v[i].start_ns - (int64_t)m->interval_ns)
			r->stopped_ns = (int64_t)v->v[i].start_ns;
		/* interpolated a probe early: never before the cut began */
		if (r->stopped_ns < (int64_t)m->cut_begin_ns)
			r->stopped_ns = (int64_t)m->cut_begin_ns;
		r->detection_ns = r->stopped_ns - (int64_t)m->cut_begin_ns;
	}
	if (m->restore_begin_ns == 0)
		return;
	for (i = 0; i < v->n; i++) {
		if (v->v[i].end_ns > m->restore_begin_ns && v->v[i].received > 0) {
			r->answered_ns = drill_edge_resume(&v->v[i]);
			if (r->answered_ns < (int64_t)m->restore_begin_ns)
				r->answered_ns = (int64_t)m->restore_begin_ns;
			r->recovery_ns = r->answered_ns - (int64_t)m->restore_begin_ns;
			break;
		}
	}
}

/* The last known carrier among service windows in [from_ns, to_ns] (to_ns 0: no end). */
static int
drill_carrier(const struct drill_series *v, uint64_t from_ns, uint64_t to_ns)
{
	int c = DRILL_CARRIER_UNKNOWN;
	size_t i;

	for (i = 0; i < v->n; i++)
		if (v->v[i].start_ns >= from_ns && (to_ns == 0 || v->v[i].end_ns <= to_ns) &&
		    v->v[i].carried_by != DRILL_CARRIER_UNKNOWN)
			c = v->v[i].carried_by;
	return c;
}

static void
drill_service(const struct drill_measure *m, struct drill_result *r)
{
	const struct drill_series *v = &m->s[DRILL_SERVICE];
	uint64_t from;
	size_t i;

	r->service = v->n > 0;
	if (!r->service || m->cut_ns == 0)
		return;
	r->before = drill_carrier(v, 0, m->cut_begin_ns);
	r->gap = drill_find_gap(v, m->cut_begin_ns, m->restore_begin_ns);
	if (r->gap.found)
		r->failover_ns = r->gap.end_ns - (int64_t)m->cut_begin_ns;
	from = r->gap.found ? (uint64_t)r->gap.end_ns : m->cut_ns;
	r->during = drill_carrier(v, from, m->restore_begin_ns);
	if (m->restore_begin_ns == 0)
		return;
	r->restore_gap = drill_find_gap(v, m->restore_begin_ns, 0);
	r->after = drill_carrier(v, m->restore_begin_ns, 0);
	for (i = 0; i < v->n; i++) {
		if (v->v[i].start_ns >= m->restore_begin_ns && v->v[i].carried_by == DRILL_CUT) {
			r->moved_back_ns = (int64_t)v->v[i].start_ns - (int64_t)m->restore_begin_ns;
			break;
		}
	}
}

static void
drill_survivor(const struct drill_measure *m, struct drill_result *r)
{
	const struct drill_series *v = &m->s[DRILL_SURVIVOR];
	size_t i;

	for (i = 0; i < v->n; i++) {
		if (!drill_in_cut(m, &v->v[i]))
			continue;
		r->surv_sent += v->v[i].sent;
		r->surv_received += v->v[i].received;
		r->surv_silent += drill_silent(&v->v[i]);
	}
	r->surv_loss = r->surv_sent == 0 ? NAN :
		       r->surv_received >= r->surv_sent ? 0.0 :
		       (double)(r->surv_sent - r->surv_received) / (double)r->surv_sent;
	if (m->surv_rtt.count > 0) {
		r->surv_p50_ns = hist_quantile(&m->surv_rtt, 0.50);
		r->surv_p99_ns = hist_quantile(&m->surv_rtt, 0.99);
		r->surv_p999_ns = hist_quantile(&m->surv_rtt, 0.999);
	}
	r->surv_jitter_ns = m->surv_jitter_max_ns;
}

void
drill_measure_result(const struct drill_measure *m, struct drill_result *r)
{
	memset(r, 0, sizeof(*r));
	r->stopped_ns = r->detection_ns = DRILL_NONE;
	r->answered_ns = r->recovery_ns = DRILL_NONE;
	r->failover_ns = r->moved_back_ns = DRILL_NONE;
	r->before = r->during = r->after = DRILL_CARRIER_UNKNOWN;
	r->surv_loss = NAN;
	if (m->cut_ns == 0)
		return;
	drill_cut_link(m, r);
	drill_service(m, r);
	drill_survivor(m, r);
}

bool
drill_healthy(const struct drill_measure *m, enum drill_role role, uint64_t from_ns,
	      uint64_t to_ns, double max_loss, char *why, size_t len)
{
	const struct drill_series *v = &m->s[role];
	uint64_t sent = 0, received = 0, last_answer = 0, quiet;
	double loss;
	size_t i;

	for (i = 0; i < v->n; i++) {
		if (v->v[i].start_ns < from_ns || v->v[i].end_ns > to_ns)
			continue;
		sent += v->v[i].sent;
		received += v->v[i].received;
		if (v->v[i].received > 0)
			last_answer = v->v[i].end_ns;
	}
	if (sent == 0) {
		snprintf(why, len, "it sent no probes in the %.1f s checked",
			 (double)(to_ns - from_ns) / 1e9);
		return false;
	}
	loss = received >= sent ? 0.0 : (double)(sent - received) / (double)sent;
	if (loss > max_loss) {
		snprintf(why, len, "it lost %.2f%% of %llu probes in the %.1f s checked (at most "
			 "%.2f%% allowed)", loss * 100, (unsigned long long)sent,
			 (double)(to_ns - from_ns) / 1e9, max_loss * 100);
		return false;
	}
	/* 100 ms, or five probes' spacing at a low rate */
	quiet = (to_ns - from_ns) / sent * 5;
	quiet = quiet > 100000000ull ? quiet : 100000000ull;
	if (last_answer + quiet < to_ns) {
		snprintf(why, len, "no reply in its last %.0f ms",
			 (double)(to_ns - last_answer) / 1e6);
		return false;
	}
	return true;
}

static double
drill_metric_value(const struct drill_result *r, enum drill_metric k)
{
	if (k == DRILL_M_LOSS)
		return r->surv_loss;
	if (r->surv_received == 0)
		return NAN;
	return (double)(k == DRILL_M_RTT_P50 ? r->surv_p50_ns : k == DRILL_M_RTT_P99 ?
			r->surv_p99_ns : k == DRILL_M_RTT_P999 ? r->surv_p999_ns :
			r->surv_jitter_ns) / 1e9;
}

bool
drill_objectives_eval(const struct drill_result *r, struct drill_objective *o, int n)
{
	bool all = n > 0;
	int i;

	for (i = 0; i < n; i++) {
		o[i].value = drill_metric_value(r, o[i].metric);
		/* nothing measured over the cut (no reply at all) holds no objective */
		o[i].ok = !isnan(o[i].value) && o[i].value <= o[i].max;
		all &= o[i].ok;
	}
	return all;
}
