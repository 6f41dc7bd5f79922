/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The window sink (serve's): the last completed window (window.h) of
 * service.window_s seconds (60: each minute on the minute, UTC), rewritten
 * as DIR/window.json atomically (a temporary file renamed over it, so a
 * reader sees the old window or the new one, whole) and left on the board
 * (board->last_window) for the HTTP endpoint's /summary. A window closes
 * when a record of the next one arrives, or when it has waited for late
 * records (two intervals and 2 s) on the tick. A dataplane restart (the
 * "gap" event serve raises) is counted in the window it is told in.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "board.h"
#include "sink.h"
#include "lastwin.h"

struct sink_window {
	const struct sink_env *env;
	struct lastwin w;
	cJSON *last;			/* what the board shows */
	uint64_t written, failed;	/* window.json rewrites */
};

/* Write text to DIR/window.json through a temporary file. 0 or -errno. */
static int
window_write(const char *dir, const char *text)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	size_t n = strlen(text);
	FILE *f;
	int e = 0;

	snprintf(tmp, sizeof(tmp), "%s/.window.json.tmp", dir);
	snprintf(path, sizeof(path), "%s/window.json", dir);
	f = fopen(tmp, "w");
	if (f == NULL)
		return -errno;
	if (fwrite(text, 1, n, f) != n || fputc('\n', f) == EOF || fflush(f) != 0)
		e = errno != 0 ? errno : EIO;
	if (fclose(f) != 0 && e == 0)
		e = errno;
	if (e == 0 && rename(tmp, path) != 0)
		e = errno;
	if (e != 0)
		unlink(tmp);
	return -e;
}

static void
window_publish(struct sink_window *s)
{
	cJSON *o = lastwin_close(&s->w);
	char *text;

	if (o == NULL)
		return;
	text = cJSON_Print(o);
	if (text != NULL && window_write(s->env->out_dir, text) == 0)
		s->written++;
	else
		s->failed++;	/* the file system is full: the jsonl sink says so */
	free(text);
	if (s->env->board != NULL)
		s->env->board->last_window = o;
	cJSON_Delete(s->last);
	s->last = o;
}

static int
window_open_sink(const struct sink_env *env, void **state)
{
	struct sink_window *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return -ENOMEM;
	s->env = env;
	lastwin_init(&s->w, env->cfg, env->cfg->service.window_s);
	*state = s;
	return 0;
}

static void
window_interval(void *state, const struct dprec *r)
{
	struct sink_window *s = state;

	if (lastwin_due(&s->w, r->interval->end_unix_ns))
		window_publish(s);
	lastwin_add(&s->w, r->interval);
}

static void
window_event(void *state, const struct dprec *r)
{
	struct sink_window *s = state;
	const cJSON *len;

	if (r->event == NULL || strcmp(r->event, "gap") != 0)
		return;
	len = cJSON_GetObjectItemCaseSensitive(r->json, "length_s");
	lastwin_gap(&s->w, cJSON_IsNumber(len) ? (uint64_t)(len->valuedouble * 1e9) : 0);
}

static void
window_tick(void *state, uint64_t now_ns)
{
	struct sink_window *s = state;
	struct timespec ts;

	(void)now_ns;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (lastwin_stale(&s->w, (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec))
		window_publish(s);
}

static int
window_close_sink(void *state, struct run_outcome *o)
{
	struct sink_window *s = state;

	(void)o;
	if (s->env->board != NULL && s->env->board->last_window == s->last)
		s->env->board->last_window = NULL;
	cJSON_Delete(s->last);
	free(s);
	return 0;
}

const struct sink_ops sink_window_ops = {
	.name = "window",
	.open = window_open_sink,
	.on_interval = window_interval,
	.on_event = window_event,
	.on_tick = window_tick,
	.close = window_close_sink,
};
