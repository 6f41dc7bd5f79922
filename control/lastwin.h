/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The last completed window: interval records gathered into windows of
 * fixed length aligned on UTC (each minute on the minute by default), each
 * summarised when it completes as the run summary's links are (counts, loss
 * ratio, RTT percentiles, gaps), plus how much of the window the records of
 * each link cover and the dataplane restarts (gaps) it held. A window with
 * no record (the dataplane was down) is a window with no data, never one
 * without loss. No I/O.
 *
 * Use: lastwin_init(); for each record lastwin_due() (true: take
 * lastwin_close() first), then lastwin_add(); on a tick, lastwin_stale()
 * says a window waited long enough for late records: lastwin_close().
 * lastwin_close() opens the next window at once, so windows follow each
 * other without a hole while records come.
 */
#ifndef MP_LASTWIN_H
#define MP_LASTWIN_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "agg.h"
#include "config.h"

struct lastwin {
	uint64_t period_ns;
	uint32_t interval_ms;
	int n_links;
	char names[MP_MAX_LINKS][MP_NAME_MAX];
	uint64_t start_ns, end_ns;	/* the open window, UTC ns; 0: none open */
	uint64_t records;		/* in the open window */
	uint64_t early;			/* records before the open window (not counted in it) */
	uint64_t gaps, gap_ns;		/* dataplane restarts told during the open window */
	uint64_t covered_ns[MP_MAX_LINKS];
	struct agg_link link[MP_MAX_LINKS];
};

void lastwin_init(struct lastwin *w, const struct mp_config *cfg, uint32_t period_s);
/* Does a record ending at t_ns belong after the open window (close it first)? */
bool lastwin_due(const struct lastwin *w, uint64_t t_ns);
/* Has the open window waited long enough at now_unix_ns for records still on their way? */
bool lastwin_stale(const struct lastwin *w, uint64_t now_unix_ns);
/* Count a record in the window its end falls in (opening it when none is open). */
void lastwin_add(struct lastwin *w, const struct link_interval *li);
/* A dataplane restart of gap_ns told while this window is open. */
void lastwin_gap(struct lastwin *w, uint64_t gap_ns);
/*
 * The open window's summary (NULL: allocation failure, or none open), and
 * the next window opened: {"window_s", "start", "end", "start_unix_ns",
 * "end_unix_ns", "records", "dataplane_gaps", "dataplane_gap_s", "links":
 * [the summary's link objects, with "covered_s"]}.
 */
cJSON *lastwin_close(struct lastwin *w);

#endif
