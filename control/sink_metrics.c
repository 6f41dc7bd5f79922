/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The metrics sink: when the run has a listen address (--listen), an HTTP
 * endpoint on the run's loop (http.h) with /metrics (Prometheus text
 * format), /healthz and /summary. It keeps its own per-link totals from
 * the interval records (agg.c: a record replayed after a reconnect is not
 * counted twice, so every counter only grows during the run) and reads
 * the rest from the board (link and pair state, SLA objectives, error
 * budgets, the diversity object), which other sinks write in the same
 * thread. Without a listen address it does nothing.
 *
 * Labels are bounded by the config: link names, their locations, the
 * metro, the invalid-frame reasons, SLA objective names and the diversity
 * verdicts; never a sequence number or an address.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "board.h"
#include "http.h"
#include "metrics.h"
#include "mp_record.h"
#include "rtt_buckets.h"
#include "sink.h"
#include "sink_metrics.h"
#include "sink_summary.h"
#include "util.h"

/* Records older than this (or than three intervals) make the dataplane stale. */
#define METRICS_STALE_MIN_NS	5000000000ull

/* The RTT objectives' thresholds on the board: the histogram's extra edges. */
static int
metrics_rtt_thresholds(const struct board *bd, double *out, int max)
{
	int i, n = 0;

	for (i = 0; bd != NULL && i < bd->n_objectives && n < max; i++)
		if (strncmp(bd->objective[i].metric, "rtt", 3) == 0)
			out[n++] = bd->objective[i].threshold;
	return n;
}

static void
metrics_buckets(struct sink_metrics *m)
{
	double th[BOARD_OBJECTIVES_MAX];
	int n = metrics_rtt_thresholds(m->env->board, th, BOARD_OBJECTIVES_MAX);

	rtt_buckets_init(&m->buckets, th, n);
	m->buckets_from = n;
}

static const struct http_route metrics_routes[] = {
	{ "/metrics", metrics_route_metrics },
	{ "/healthz", metrics_route_healthz },
	{ "/summary", metrics_route_summary },
};

static int
metrics_open(const struct sink_env *env, void **state)
{
	struct sink_metrics *m;
	char err[256];
	int i, rc;

	*state = NULL;
	if (env->listen == NULL)
		return 0;
	if (env->loop == NULL) {
		fprintf(stderr, "metroprobe: --listen: this command has no loop to serve on\n");
		return -EINVAL;
	}
	m = calloc(1, sizeof(*m) + (size_t)env->cfg->n_links * sizeof(m->agg[0]));
	if (m == NULL)
		return -ENOMEM;
	m->env = env;
	m->stale_ns = 3ull * env->cfg->interval_ms * 1000000ull;
	if (m->stale_ns < METRICS_STALE_MIN_NS)
		m->stale_ns = METRICS_STALE_MIN_NS;
	for (i = 0; i < env->cfg->n_links; i++)
		agg_link_init(&m->agg[i], env->cfg->links[i].name, (uint32_t)i,
			      env->cfg->interval_ms);
	metrics_buckets(m);
	rc = http_open(env->loop, env->listen, metrics_routes,
		       (int)(sizeof(metrics_routes) / sizeof(metrics_routes[0])), m, &m->http,
		       err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "metroprobe: --listen %s\n", err);
		free(m);
		return rc;
	}
	/* also when quiet: with port 0 it is the only way to know the port */
	fprintf(env->console, "metrics: http://%s/metrics\n", http_address(m->http));
	*state = m;
	return 0;
}

static void
metrics_hello(void *state, const struct dprec *r)
{
	struct sink_metrics *m = state;

	if (m == NULL)
		return;
	m->hello_unix_ns = r->recv_unix_ns;
	m->ended = false;
	m->end_reason[0] = '\0';
}

static void
metrics_interval(void *state, const struct dprec *r)
{
	struct sink_metrics *m = state;
	const struct link_interval *li = r->interval;

	if (m == NULL || r->link < 0 || r->link >= m->env->cfg->n_links)
		return;
	/* no sample shown yet: the SLA sink may have added objectives since open */
	if (m->records == 0) {
		double th[BOARD_OBJECTIVES_MAX];

		if (metrics_rtt_thresholds(m->env->board, th, BOARD_OBJECTIVES_MAX) !=
		    m->buckets_from)
			metrics_buckets(m);
	}
	m->records++;
	m->last_unix_ns = r->recv_unix_ns;
	if (agg_add_interval(&m->agg[r->link], li) != 0)
		return;
	if (li->rtt.count > 0) {
		m->jitter_ns[r->link] = li->jitter_ns;
		m->have_jitter[r->link] = true;
	}
}

static void
metrics_end(void *state, const struct dprec *r)
{
	struct sink_metrics *m = state;

	if (m == NULL)
		return;
	m->ended = true;
	snprintf(m->end_reason, sizeof(m->end_reason), "%s",
		 r->end_reason != NULL ? r->end_reason : "unknown");
}

static int
metrics_close(void *state, struct run_outcome *o)
{
	struct sink_metrics *m = state;

	(void)o;
	if (m == NULL)
		return 0;
	http_close(m->http);
	metrics_buf_free(&m->buf);
	free(m);
	return 0;
}

const struct sink_ops sink_metrics_ops = {
	.name = "metrics",
	.open = metrics_open,
	.on_hello = metrics_hello,
	.on_interval = metrics_interval,
	.on_end = metrics_end,
	.close = metrics_close,
};

/*
 * Is the dataplane up, and if not why: a hello seen, no end, and a record
 * (or the hello) within the stale bound; and, where the runner keeps the
 * board's dataplane state (serve), that too. 1 up, 0 down with why set.
 */
int
metrics_dataplane_up(const struct sink_metrics *m, uint64_t now_unix_ns, char *why,
		     size_t len)
{
	const struct board *bd = m->env->board;
	uint64_t last = m->last_unix_ns != 0 ? m->last_unix_ns : m->hello_unix_ns;

	if (bd != NULL && bd->last_record_unix_ns > last)
		last = bd->last_record_unix_ns;
	if (m->hello_unix_ns == 0 && last == 0) {
		snprintf(why, len, "no record from the dataplane yet");
		return 0;
	}
	if (m->ended) {
		snprintf(why, len, "the dataplane ended (%s)", m->end_reason);
		return 0;
	}
	if (bd != NULL && bd->last_record_unix_ns != 0 && !bd->dataplane_up) {
		snprintf(why, len, "the dataplane is down");
		return 0;
	}
	if (now_unix_ns > last && now_unix_ns - last > m->stale_ns) {
		snprintf(why, len, "no record for %.1f s (stale after %.1f s)",
			 (double)(now_unix_ns - last) / 1e9, (double)m->stale_ns / 1e9);
		return 0;
	}
	snprintf(why, len, "last record %.1f s ago",
		 now_unix_ns > last ? (double)(now_unix_ns - last) / 1e9 : 0.0);
	return 1;
}

void
metrics_route_healthz(void *cookie, const char *path, struct http_reply *rep)
{
	struct sink_metrics *m = cookie;
	int up = metrics_dataplane_up(m, (uint64_t)mp_now_ns(), m->health, sizeof(m->health) - 8);
	char tmp[sizeof(m->health)];

	(void)path;
	snprintf(tmp, sizeof(tmp), "%s: %s\n", up ? "ok" : "unhealthy", m->health);
	memcpy(m->health, tmp, sizeof(tmp));
	rep->status = up ? 200 : 503;
	rep->content_type = "text/plain; charset=utf-8";
	rep->body = m->health;
	rep->len = strlen(m->health);
}

/* board->last_window when there is one, else the run's totals so far. */
void
metrics_route_summary(void *cookie, const char *path, struct http_reply *rep)
{
	struct sink_metrics *m = cookie;
	const struct board *bd = m->env->board;
	cJSON *o = NULL, *extra = cJSON_CreateObject();
	char *text;

	(void)path;
	metrics_buf_reset(&m->buf);
	if (bd != NULL && bd->last_window != NULL) {
		text = cJSON_PrintUnformatted(bd->last_window);
	} else {
		cJSON_AddStringToObject(extra, "window", "run_so_far");
		o = agg_summary_json(m->agg, (unsigned)m->env->cfg->n_links, false, "running",
				     extra);
		text = o != NULL ? cJSON_PrintUnformatted(o) : NULL;
	}
	cJSON_Delete(o);
	cJSON_Delete(extra);
	if (text == NULL) {
		rep->status = 500;
		rep->body = "out of memory\n";
		rep->len = strlen(rep->body);
		return;
	}
	metrics_buf_append(&m->buf, text);
	metrics_buf_append(&m->buf, "\n");
	free(text);
	rep->status = m->buf.oom ? 500 : 200;
	rep->content_type = "application/json";
	rep->body = m->buf.oom ? "out of memory\n" : m->buf.p;
	rep->len = m->buf.oom ? strlen(rep->body) : m->buf.len;
}

void
metrics_route_metrics(void *cookie, const char *path, struct http_reply *rep)
{
	struct sink_metrics *m = cookie;

	(void)path;
	metrics_buf_reset(&m->buf);
	metrics_expose(m, (uint64_t)mp_now_ns(), &m->buf);
	rep->status = m->buf.oom ? 500 : 200;
	rep->content_type = m->buf.oom ? "text/plain" : METRICS_CONTENT_TYPE;
	rep->body = m->buf.oom ? "out of memory\n" : m->buf.p;
	rep->len = m->buf.oom ? strlen(rep->body) : m->buf.len;
}
