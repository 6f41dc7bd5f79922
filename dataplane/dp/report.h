/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The dataplane's record writer: JSON lines to control's unix socket (or
 * stdout). Every record is numbered (instance and rec, mp_resume.h) and
 * kept in a history after it is sent (mp_history.h: at least the last
 * REPORT_HISTORY_KEEP_S seconds, within REPORT_HISTORY_MAX records and
 * REPORT_HISTORY_BYTES). If control goes away the dataplane keeps
 * measuring and reconnects every second. On each connection control says
 * in one line which record it wrote last; the dataplane sends its hello,
 * then every record after that one it still has (a history_gap event first
 * says how many it no longer has), then live ones: a control restart loses
 * nothing. A control that says nothing within REPORT_RESUME_WAIT_MS gets
 * the hello and what no control had yet (the behaviour before resume).
 * Only a control of root or of the dataplane's own user gets records
 * (SO_PEERCRED); control checks the dataplane the same way.
 */
#ifndef MP_DP_REPORT_H
#define MP_DP_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "mp_history.h"
#include "mp_resume.h"
#include "mp_stats.h"

#define REPORT_HISTORY_KEEP_S	600
#define REPORT_HISTORY_MAX	(1u << 18)	/* 2 links at 10 ms or 16 at 100 ms for 10 min */
#define REPORT_HISTORY_BYTES	(256ull << 20)
#define REPORT_RESUME_WAIT_MS	300

enum report_state {
	REPORT_DOWN,		/* no connection */
	REPORT_AWAIT,		/* connected, waiting for control's resume line */
	REPORT_STREAM,		/* sending */
};

struct report {
	const char *path;	/* NULL = stdout */
	int fd;			/* -1 while disconnected */
	enum report_state state;
	struct mp_history hist;	/* every record, numbered */
	struct mp_recid id;	/* this instance (rec unused) */
	uint64_t send_rec;	/* the next record to write on this connection */
	char *pending;		/* the rest of a line partly written (or the hello) */
	size_t pending_off;
	uint64_t pending_rec;	/* its record number */
	char in[MP_RESUME_LINE_MAX];	/* control's resume line, as it arrives */
	size_t in_len;
	uint64_t await_until_ns;
	uint64_t next_retry_ns;
	uint64_t lost_since_ns;	/* CLOCK_MONOTONIC when control went away; 0 = here */
	char *hello;		/* the hello line (record 1), sent first to each connection */
	int64_t refused_uid;	/* the last control refused for its uid (SO_PEERCRED); -1 none */
};

int report_open(struct report *r, const char *path);
/* Number and queue a line (malloc'd JSON object, with '\n'); takes ownership. */
void report_line(struct report *r, char *line);
/* Queue a cJSON object as a line; frees it. */
void report_json(struct report *r, cJSON *o);
/*
 * Queue the hello record (frees o) and keep a copy: each control that
 * connects gets it first.
 */
void report_hello(struct report *r, cJSON *o);
void report_interval(struct report *r, const struct link_interval *li);
void report_event(struct report *r, const char *link, const char *event, const char *detail);
/* The last record; workers (may be NULL) becomes its "workers" array. */
void report_end(struct report *r, const char *reason, const char *detail, cJSON *workers);
/* Write what can be written now; read control's line; reconnect if due. Never blocks long. */
void report_poll(struct report *r);
/* How long control has been gone (its socket closed, never back), in ns; 0 = connected. */
uint64_t report_lost_ns(const struct report *r);
/* Flush (waiting up to 2 s for a slow reader) and close. */
void report_close(struct report *r);

#endif
