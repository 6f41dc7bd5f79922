/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The dataplane's record writer: JSON lines to control's unix socket (or
 * stdout). If control goes away the dataplane keeps measuring, holds the
 * last records in memory and re-sends them when control reconnects, so a
 * control restart loses nothing (up to REPORT_BACKLOG records; beyond that
 * the oldest are dropped and counted in the end record).
 */
#ifndef MP_DP_REPORT_H
#define MP_DP_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "mp_stats.h"

#define REPORT_BACKLOG	16384

struct report {
	const char *path;	/* NULL = stdout */
	int fd;			/* -1 while disconnected */
	char **q;		/* backlog ring of lines not yet written */
	uint32_t q_head, q_tail;
	size_t q_off;		/* bytes of the head line already written */
	uint64_t dropped;	/* backlog overflow */
	uint64_t next_retry_ns;
	uint64_t lost_since_ns;	/* CLOCK_MONOTONIC when control went away; 0 = here */
	char *hello;		/* the hello line, sent again first to each new connection */
	bool connected_once;
};

int report_open(struct report *r, const char *path);
/* Queue a line (malloc'd, with '\n'); takes ownership. */
void report_line(struct report *r, char *line);
/* Queue a cJSON object as a line; frees it. */
void report_json(struct report *r, cJSON *o);
/*
 * Queue the hello record (frees o) and keep a copy: a control that attaches
 * later (run --attach) gets it first, before the backlog.
 */
void report_hello(struct report *r, cJSON *o);
void report_interval(struct report *r, const struct link_interval *li);
void report_event(struct report *r, const char *link, const char *event, const char *detail);
/* The last record; workers (may be NULL) becomes its "workers" array. */
void report_end(struct report *r, const char *reason, const char *detail, cJSON *workers);
/* Write what can be written now; reconnect if due. Never blocks long. */
void report_poll(struct report *r);
/* How long control has been gone (its socket closed, never back), in ns; 0 = connected. */
uint64_t report_lost_ns(const struct report *r);
/* Flush (waiting up to 2 s for a slow reader) and close. */
void report_close(struct report *r);

#endif
