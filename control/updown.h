/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Links up and down, from the interval records' gauges rather than from
 * loss (which counts only when the loss timeout expires): a link is down
 * from the first record that shows an outage (agg_interval_outage_ns():
 * probes overdue and no reply for at least 250 ms, twice the overdue
 * threshold and three probe periods), so link_down comes within a record
 * interval or two of the last reply; it is up again at the first record
 * whose replies are recent again. The outage's length runs from the last
 * reply before it (the down record's end - no_reply_ns) to the first one
 * after it (the up record's end - its no_reply_ns). The pair is down while
 * every link is. Pure: no I/O.
 */
#ifndef MP_UPDOWN_H
#define MP_UPDOWN_H

#include <stdint.h>

#include "board.h"
#include "mp_stats.h"

#define UPDOWN_LINKS	2

enum updown_kind { UD_LINK_DOWN, UD_LINK_UP, UD_PAIR_DOWN, UD_PAIR_UP };

struct updown_event {
	enum updown_kind kind;
	int link;		/* -1 for the pair */
	uint64_t t_ns;		/* the last reply (down), the first reply again (up) */
	uint64_t outage_ns;	/* up: how long it was down */
};

struct updown_link {
	enum board_state up;
	uint64_t since_ns;	/* down: the last reply before the outage */
};

struct updown {
	int n_links;
	struct updown_link l[UPDOWN_LINKS];
	enum board_state pair_up;	/* unknown until every link is known */
	uint64_t pair_since_ns;		/* pair down: when the last link went */
};

extern const char *const updown_name[4];	/* "link_down", "link_up", "pair_down", "pair_up" */

void updown_init(struct updown *u, int n_links);
/*
 * One record of link l. Writes the events it causes to ev (at most 2: the
 * link's, then the pair's) and returns how many.
 */
int updown_add(struct updown *u, int l, const struct link_interval *li, struct updown_event *ev);

#endif
