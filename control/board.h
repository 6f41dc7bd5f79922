/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The board: the run's current state as sinks judged it, for the readers
 * that answer "how is it now?" (the Prometheus endpoint, /summary, the
 * last-window file). Sinks write their own part, in the loop's thread, in
 * their on_* callbacks; readers read it in the same thread, so no lock.
 * Each part says who writes it. Plain data, no I/O.
 */
#ifndef MP_BOARD_H
#define MP_BOARD_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define BOARD_LINKS_MAX		16
#define BOARD_OBJECTIVES_MAX	128
#define BOARD_BURN_WINDOWS	3	/* the SRE workbook's 1h/5m, 6h/30m, 3d/6h */

/* Tri-state: not known yet (no data), no, yes. */
enum board_state { BOARD_UNKNOWN = -1, BOARD_NO = 0, BOARD_YES = 1 };

struct board_link {
	char name[32];
	char location[64];		/* the config's peering location ("" none) */
	enum board_state up;		/* written by the SLA sink (link_down/link_up) */
	uint64_t changed_unix_ns;	/* when up last changed; 0 never */
};

/* One SLA objective's state (written by the SLA sink). */
struct board_objective {
	char name[64];			/* unique, e.g. "a_rtt_p99_5m"; a metric label */
	char link[32];			/* a link's name, or "pair" */
	char metric[24];		/* rtt_p50, rtt_p99, rtt_p999, loss, jitter, availability */
	char window[8];			/* 1m, 5m, 1h, 24h, 30d */
	double threshold;		/* base units: seconds, ratio */
	double value;			/* the window's measured value; NaN: no data yet */
	enum board_state ok;
	double budget_remaining;	/* error budget left, ratio 0..1 (may go below 0) */
	double burn_rate[BOARD_BURN_WINDOWS];	/* long windows 1h, 6h, 3d */
};

struct board {
	int n_links;
	struct board_link link[BOARD_LINKS_MAX];
	enum board_state pair_up;	/* SLA sink: at least one link up */
	int n_objectives;
	struct board_objective objective[BOARD_OBJECTIVES_MAX];
	/* the dataplane (written by whoever runs it: run_once, serve) */
	bool dataplane_up;
	uint64_t last_record_unix_ns;	/* the newest interval record's receive time */
	uint64_t gaps;			/* dataplane restarts seen (serve) */
	uint64_t gap_ns;		/* their summed length (serve) */
	uint64_t duplicate_records;	/* records sent again that this control had written (resume) */
	/* the output files (the jsonl sink): writable now, and lines lost in all */
	bool output_ok;
	uint64_t output_lines_lost;
	/*
	 * The diversity sink's current object (same shape as summary.json's
	 * "diversity"), replaced as it changes; owned by that sink. NULL none.
	 */
	const cJSON *diversity;
	/*
	 * The last completed window's summary (serve's window sink), owned by
	 * it; what /summary and DIR/window.json show. NULL: none yet.
	 */
	const cJSON *last_window;
};

#endif
