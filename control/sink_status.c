/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The status sink (serve's console): a line per completed window (each
 * minute by default, not each second: a service's log is read by people
 * days later) with each link's probes, loss and round trip, taken from the
 * window the window sink left on the board; and a line per event as it
 * comes. Nothing with --quiet.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board.h"
#include "sink.h"

struct sink_status {
	const struct sink_env *env;
	double shown_end;		/* end_unix_ns of the window last printed */
};

static double
status_num(const cJSON *o, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

	if (cJSON_IsRaw(it))
		return strtod(it->valuestring, NULL);
	return cJSON_IsNumber(it) ? it->valuedouble : -1;
}

static void
status_stamp(char *buf, size_t len, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%H:%M:%SZ", &tm);
}

/* "a sent 600 lost 0 (0.000%) rtt p50 41.2us p99 63.0us, no data 5.0 s" */
static void
status_link(FILE *f, const cJSON *l, double window_s)
{
	const cJSON *rtt = cJSON_GetObjectItemCaseSensitive(l, "rtt_us");
	double loss = status_num(l, "loss_ratio"), covered = status_num(l, "covered_s");

	fprintf(f, " | %s sent %.0f lost %.0f", cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(l, "name")), status_num(l, "sent"),
		status_num(l, "lost"));
	if (loss >= 0)
		fprintf(f, " (%.3f%%)", loss * 100);
	if (status_num(rtt, "p50") >= 0)
		fprintf(f, " rtt p50 %.1fus p99 %.1fus", status_num(rtt, "p50"),
			status_num(rtt, "p99"));
	if (covered >= 0 && window_s - covered > 0.5)
		fprintf(f, ", no data %.1f s", window_s - covered);
}

static void
status_window(struct sink_status *s, const cJSON *w)
{
	char t[32];
	const cJSON *l;
	double end = status_num(w, "end_unix_ns");

	if (end == s->shown_end)
		return;
	s->shown_end = end;
	status_stamp(t, sizeof(t), (time_t)(end / 1e9));
	fprintf(s->env->console, "%s window %.0f s, %.0f records", t, status_num(w, "window_s"),
		status_num(w, "records"));
	if (status_num(w, "dataplane_gaps") > 0)
		fprintf(s->env->console, ", dataplane gap %.1f s", status_num(w, "dataplane_gap_s"));
	cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(w, "links"))
		status_link(s->env->console, l, status_num(w, "window_s"));
	fprintf(s->env->console, "\n");
	fflush(s->env->console);
}

static int
status_open(const struct sink_env *env, void **state)
{
	struct sink_status *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return -ENOMEM;
	s->env = env;
	*state = s;
	return 0;
}

static void
status_event(void *state, const struct dprec *r)
{
	struct sink_status *s = state;
	char t[32];

	if (s->env->quiet)
		return;
	status_stamp(t, sizeof(t), (time_t)(r->recv_unix_ns / 1000000000ull));
	fprintf(s->env->console, "%s event: %s %s %s\n", t,
		r->link_name != NULL ? r->link_name : "-", r->event != NULL ? r->event : "?",
		r->detail != NULL ? r->detail : "");
	fflush(s->env->console);
}

static void
status_tick(void *state, uint64_t now_ns)
{
	struct sink_status *s = state;

	(void)now_ns;
	if (!s->env->quiet && s->env->board != NULL && s->env->board->last_window != NULL)
		status_window(s, s->env->board->last_window);
}

static int
status_close(void *state, struct run_outcome *o)
{
	(void)o;
	free(state);
	return 0;
}

const struct sink_ops sink_status_ops = {
	.name = "status",
	.open = status_open,
	.on_event = status_event,
	.on_tick = status_tick,
	.close = status_close,
};
