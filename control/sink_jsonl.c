/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The JSON-lines sink: every interval record as received in
 * DIR/intervals.jsonl (the input format of a replay); the hello, the events
 * (with the wall-clock time control received them) and the end record in
 * DIR/events.jsonl, with a frame_size_raised event for each link whose
 * frame size the dataplane raised. With a service section the files rotate
 * (rotate.h). A line that cannot be written (the file system is full) is
 * counted, and raises output_error once and output_resumed, with what was
 * lost, when writing works again.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board.h"
#include "loop.h"
#include "rotate.h"
#include "sink.h"

struct sink_jsonl {
	const struct sink_env *env;
	struct rot_file intervals, events, paths;	/* paths: opened at the first path record */
	struct rot_policy policy;
	bool failing;			/* lines are being lost */
	uint64_t lost_before;		/* lines lost before this episode began */
	time_t failed_at;		/* when it began */
	uint64_t last_fail_ns;		/* the latest line lost (monotonic) */
};

/*
 * Writing has resumed once lines have been written for this long without
 * one lost: near a full disk a short line may fit where the next record
 * does not, and that is not writing again.
 */
#define JSONL_RESUME_NS	2000000000ull

static uint64_t
jsonl_lost(const struct sink_jsonl *j)
{
	return j->intervals.lines_lost + j->events.lines_lost + j->paths.lines_lost;
}

/* The first line lost after good ones, or the first good one after lost ones: say so. */
static void
jsonl_say(struct sink_jsonl *j, const struct rot_file *f, bool ok)
{
	char detail[PATH_MAX + 256];
	uint64_t lost = jsonl_lost(j) - j->lost_before;
	cJSON *o = cJSON_CreateObject();

	if (ok)
		snprintf(detail, sizeof(detail), "writing in %s again: %llu lines could not be "
			 "written in %lld s (lost; %llu in all)", j->env->out_dir,
			 (unsigned long long)lost, (long long)(time(NULL) - j->failed_at),
			 (unsigned long long)jsonl_lost(j));
	else
		snprintf(detail, sizeof(detail), "cannot write %s/%s: %s; lines are counted and "
			 "lost until it works again", j->env->out_dir, f->name, strerror(f->err));
	cJSON_AddStringToObject(o, "file", f->name);
	if (!ok)
		cJSON_AddStringToObject(o, "error", strerror(f->err));
	cJSON_AddNumberToObject(o, "lines_lost", (double)lost);
	cJSON_AddNumberToObject(o, "lines_lost_total", (double)jsonl_lost(j));
	cJSON_AddStringToObject(o, "detail", detail);
	sink_emit(j->env->bus, "service", ok ? "output_resumed" : "output_error", o);
}

/*
 * One JSON-lines record, whole, on disk now: one write() of the complete
 * line, so a reader following the file (tail -f | jq) never sees half a
 * line, and a rotation never falls inside one.
 */
static void
jsonl_put(struct sink_jsonl *j, struct rot_file *f, const char *line)
{
	int rc = rot_put(f, line, strlen(line), (uint64_t)time(NULL));
	uint64_t now = loop_now_ns();

	if (rc == 0 && j->failing && now - j->last_fail_ns >= JSONL_RESUME_NS) {
		j->failing = false;
		jsonl_say(j, f, true);
	} else if (rc != 0) {
		j->last_fail_ns = now;
		if (!j->failing) {
			j->failing = true;
			j->lost_before = jsonl_lost(j) - 1;
			j->failed_at = time(NULL);
			jsonl_say(j, f, false);
		}
	}
	if (j->env->board != NULL) {
		j->env->board->output_ok = !j->failing;
		j->env->board->output_lines_lost = jsonl_lost(j);
	}
}

static int
jsonl_close(void *state, struct run_outcome *o)
{
	struct sink_jsonl *j = state;

	if (o != NULL && jsonl_lost(j) > 0)
		fprintf(stderr, "metroprobe: %llu lines could not be written in %s (lost)\n",
			(unsigned long long)jsonl_lost(j), j->env->out_dir);
	rot_close(&j->intervals);
	rot_close(&j->events);
	rot_close(&j->paths);
	free(j);
	return 0;
}

static int
jsonl_open_sink(const struct sink_env *env, void **state)
{
	struct sink_jsonl *j = calloc(1, sizeof(*j));
	uint64_t now = (uint64_t)time(NULL);
	int e;

	if (j == NULL)
		return -ENOMEM;
	j->env = env;
	j->intervals.fd = j->events.fd = j->paths.fd = -1;
	service_rot_policy(&env->cfg->service, &j->policy);
	/* attached: a restarted control appends after what it wrote (resume.h) */
	j->policy.append = env->attach_path != NULL;
	e = rot_open(&j->intervals, env->out_dir, "intervals.jsonl", &j->policy, now);
	if (e == 0)
		e = rot_open(&j->events, env->out_dir, "events.jsonl", &j->policy, now);
	if (e != 0) {
		fprintf(stderr, "metroprobe: cannot write in %s: %s\n", env->out_dir, strerror(-e));
		jsonl_close(j, NULL);
		return e;
	}
	if (env->board != NULL)
		env->board->output_ok = true;
	*state = j;
	return 0;
}

static void
jsonl_hello(void *state, const struct dprec *r)
{
	struct sink_jsonl *j = state;
	int i;

	if (r->again)
		return;		/* written when this dataplane first said hello */
	jsonl_put(j, &j->events, r->line);
	for (i = 0; i < r->n_hello_links; i++) {
		const struct dprec_hello_link *h = &r->hello_links[i];
		const char *was = sink_frame_raised(j->env, h);
		char ev[512];

		if (was == NULL)
			continue;
		snprintf(ev, sizeof(ev), "{\"type\":\"event\",\"link\":\"%s\",\"event\":"
			 "\"frame_size_raised\",\"detail\":\"%s -> %s\"}", h->name, was, h->frame_mix);
		jsonl_put(j, &j->events, ev);
	}
}

/*
 * The record as received with the members a sink added (sink_annotate)
 * spliced in before its closing brace: the dataplane's numbers stay as it
 * wrote them (a 19-digit nanosecond time would not survive a double).
 * NULL: nothing added, or no memory (the record goes as received).
 */
static char *
jsonl_annotated(const char *line, const cJSON *annot)
{
	char *add = annot != NULL && annot->child != NULL ? cJSON_PrintUnformatted(annot) : NULL;
	const char *end = strrchr(line, '}');
	size_t n = end != NULL ? (size_t)(end - line) : 0, k;
	char *out = NULL;

	if (add != NULL && end != NULL && (k = strlen(add)) >= 2 &&
	    (out = malloc(n + k + 1)) != NULL)
		/* "{...}" + "{"m":v}": "{...," "m":v}" */
		snprintf(out, n + k + 1, "%.*s,%s", (int)n, line, add + 1);
	free(add);
	return out;
}

static void
jsonl_interval(void *state, const struct dprec *r)
{
	struct sink_jsonl *j = state;
	char *s = jsonl_annotated(r->line, j->env->bus != NULL ? j->env->bus->annot : NULL);

	jsonl_put(j, &j->intervals, s != NULL ? s : r->line);
	free(s);
}

/* The event with the wall-clock time it was received, readable and exact. */
static void
jsonl_event(void *state, const struct dprec *r)
{
	struct sink_jsonl *j = state;
	cJSON *o = cJSON_Duplicate(r->json, 1);
	time_t secs = (time_t)(r->recv_unix_ns / 1000000000ull);
	char iso[64], ns[32], *s;
	struct tm tm;

	if (o == NULL)
		return;
	gmtime_r(&secs, &tm);
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(iso + strlen(iso), sizeof(iso) - strlen(iso), ".%06lluZ",
		 (unsigned long long)(r->recv_unix_ns % 1000000000ull) / 1000);
	snprintf(ns, sizeof(ns), "%llu", (unsigned long long)r->recv_unix_ns);
	cJSON_AddStringToObject(o, "time", iso);
	cJSON_AddStringToObject(o, "time_ns", ns);
	s = cJSON_PrintUnformatted(o);
	if (s != NULL) {
		jsonl_put(j, &j->events, s);
		free(s);
	}
	cJSON_Delete(o);
}

/* the dataplane's own account (workers, lanes, cycles) goes with the events */
static void
jsonl_end(void *state, const struct dprec *r)
{
	struct sink_jsonl *j = state;

	jsonl_put(j, &j->events, r->line);
}

static void
jsonl_path(void *state, const struct dprec *r)
{
	struct sink_jsonl *j = state;
	int e;

	if (j->paths.fd < 0 && (e = rot_open(&j->paths, j->env->out_dir, "paths.jsonl",
					     &j->policy, (uint64_t)time(NULL))) != 0) {
		j->paths.fd = -1;
		j->paths.lines_lost++;
		fprintf(stderr, "metroprobe: cannot write %s/paths.jsonl: %s\n", j->env->out_dir,
			strerror(-e));
		return;
	}
	jsonl_put(j, &j->paths, r->line);
}

const struct sink_ops sink_jsonl_ops = {
	.name = "jsonl",
	.open = jsonl_open_sink,
	.on_hello = jsonl_hello,
	.on_interval = jsonl_interval,
	.on_stream = jsonl_interval,	/* the line has "link" and "stream" */
	.on_event = jsonl_event,
	.on_end = jsonl_end,
	.on_path = jsonl_path,
	.close = jsonl_close,
};
