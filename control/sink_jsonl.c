/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The JSON-lines sink: every interval record as received in
 * DIR/intervals.jsonl (the input format of a replay); the hello, the events
 * (with the wall-clock time control received them) and the end record in
 * DIR/events.jsonl, with a frame_size_raised event for each link whose
 * frame size the dataplane raised; the path records (rounds of path
 * probes) in DIR/paths.jsonl, made with the first of them.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dpconn.h"
#include "sink.h"

struct sink_jsonl {
	const struct sink_env *env;
	FILE *intervals, *events, *paths;
};

/*
 * One JSON-lines record, whole, on disk now: the stream's buffer holds the
 * largest record, so the flush is one write() of the complete line, and a
 * reader following the file (tail -f | jq) never sees half a line.
 */
static void
jsonl_put(FILE *f, const char *line)
{
	fputs(line, f);
	fputc('\n', f);
	fflush(f);
}

/* attached: a restarted control appends after what it wrote (resume.h) */
static FILE *
jsonl_open(const char *dir, const char *name, bool append)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, append ? "a" : "w");
	if (f != NULL)
		setvbuf(f, NULL, _IOFBF, DPCONN_LINE_MAX + 65536);
	return f;
}

static int
jsonl_close(void *state, struct run_outcome *o)
{
	struct sink_jsonl *j = state;

	(void)o;
	if (j->intervals != NULL)
		fclose(j->intervals);
	if (j->events != NULL)
		fclose(j->events);
	if (j->paths != NULL)
		fclose(j->paths);
	free(j);
	return 0;
}

static int
jsonl_open_sink(const struct sink_env *env, void **state)
{
	struct sink_jsonl *j = calloc(1, sizeof(*j));
	int e;

	if (j == NULL)
		return -ENOMEM;
	j->env = env;
	j->intervals = jsonl_open(env->out_dir, "intervals.jsonl", env->attach_path != NULL);
	j->events = jsonl_open(env->out_dir, "events.jsonl", env->attach_path != NULL);
	if (j->intervals == NULL || j->events == NULL) {
		e = errno;
		fprintf(stderr, "metroprobe: cannot write in %s: %s\n", env->out_dir, strerror(e));
		jsonl_close(j, NULL);
		return -e;
	}
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
	jsonl_put(j->events, r->line);
	for (i = 0; i < r->n_hello_links; i++) {
		const struct dprec_hello_link *h = &r->hello_links[i];
		const char *was = sink_frame_raised(j->env, h);
		char ev[512];

		if (was == NULL)
			continue;
		snprintf(ev, sizeof(ev), "{\"type\":\"event\",\"link\":\"%s\",\"event\":"
			 "\"frame_size_raised\",\"detail\":\"%s -> %s\"}", h->name, was, h->frame_mix);
		jsonl_put(j->events, ev);
	}
}

static void
jsonl_interval(void *state, const struct dprec *r)
{
	jsonl_put(((struct sink_jsonl *)state)->intervals, r->line);
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
		jsonl_put(j->events, s);
		free(s);
	}
	cJSON_Delete(o);
}

/* the dataplane's own account (workers, lanes, cycles) goes with the events */
static void
jsonl_end(void *state, const struct dprec *r)
{
	jsonl_put(((struct sink_jsonl *)state)->events, r->line);
}

static void
jsonl_path(void *state, const struct dprec *r)
{
	struct sink_jsonl *j = state;

	if (j->paths == NULL && (j->paths = jsonl_open(j->env->out_dir, "paths.jsonl",
							    j->env->attach_path != NULL)) == NULL) {
		fprintf(stderr, "metroprobe: cannot write %s/paths.jsonl\n", j->env->out_dir);
		return;
	}
	jsonl_put(j->paths, r->line);
}

const struct sink_ops sink_jsonl_ops = {
	.name = "jsonl",
	.open = jsonl_open_sink,
	.on_hello = jsonl_hello,
	.on_interval = jsonl_interval,
	.on_event = jsonl_event,
	.on_end = jsonl_end,
	.on_path = jsonl_path,
	.close = jsonl_close,
};
