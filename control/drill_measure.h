/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a failover drill measured, from the interval records of its links
 * (drill.c runs the drill; this is the arithmetic, pure, no I/O).
 *
 * Each link has a role: the pinned link that is cut, the pinned link that
 * survives, and the service stream (probed through the customer's routing;
 * absent when the config has none). A sample is one interval record: its
 * window on the UNIX clock, probes sent in it and first replies received
 * in it (a reply is counted where it arrives, which with round trips far
 * below the interval is the window it was sent in), losses (counted when
 * the loss timeout expires, so a loss timeout late: used for totals only)
 * and, for the service, which pinned link carried it.
 *
 * Durations count from when the cut (the restore) began: its action may
 * take effect at any point until it returns (a command), or at its first
 * step (the lab's blackhole drops at the facing interface first), and the
 * report gives each action's duration, the uncertainty that leaves.
 *
 * A window is "silent" when it sent probes and none came back, "short"
 * when fewer came back than it sent. Times are resolved to one interval;
 * the service gap's edges are interpolated within their windows by the
 * share of probes answered there (probes are paced evenly).
 */
#ifndef MP_DRILL_MEASURE_H
#define MP_DRILL_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mp_stats.h"

enum drill_role { DRILL_CUT, DRILL_SURVIVOR, DRILL_SERVICE, DRILL_ROLES };

#define DRILL_NONE	INT64_MIN	/* a time or duration that is not known */
#define DRILL_CARRIER_UNKNOWN	(-1)

struct drill_sample {
	uint64_t start_ns, end_ns;	/* the interval, UNIX ns */
	uint64_t sent, received, lost;
	int carried_by;			/* service: DRILL_CUT, DRILL_SURVIVOR or DRILL_CARRIER_UNKNOWN */
};

struct drill_series {
	struct drill_sample *v;
	size_t n, cap;
};

/* A threshold the surviving link is held to over the cut (from the config's "sla"). */
enum drill_metric { DRILL_M_LOSS, DRILL_M_RTT_P50, DRILL_M_RTT_P99, DRILL_M_RTT_P999,
		    DRILL_M_JITTER, DRILL_METRICS };

struct drill_objective {
	char name[64];
	enum drill_metric metric;
	double max;			/* ratio for loss, seconds for the others */
	double value;			/* measured over the cut; NAN when nothing was */
	bool ok;
};

#define DRILL_OBJECTIVES_MAX	16

struct drill_measure {
	uint64_t interval_ns;
	uint64_t cut_begin_ns, cut_ns;		/* the cut action began, took effect (returned); 0 not yet */
	uint64_t restore_begin_ns, restore_ns;	/* likewise the restore */
	struct drill_series s[DRILL_ROLES];
	struct hist surv_rtt;			/* the survivor's round trips during the cut */
	uint64_t surv_jitter_max_ns;
};

/* A gap of the service stream: a run of short windows with at least one silent, or >= 2 lost. */
struct drill_gap {
	bool found;
	int64_t start_ns, end_ns;	/* interpolated edges, UNIX ns */
	uint64_t lost;			/* probes sent in it and never answered */
};

struct drill_result {
	/* the cut link: when it stopped answering after the cut, and answered again */
	int64_t stopped_ns, detection_ns;	/* detection = stopped - cut began */
	int64_t answered_ns, recovery_ns;	/* recovery = answered again - restore began */
	/* the service stream; nothing found when it has no samples */
	bool service;
	struct drill_gap gap, restore_gap;	/* after the cut; after the restore */
	int64_t failover_ns;			/* cut began to the gap's end: routing's reaction */
	int before, during, after;		/* carrying link (role) or DRILL_CARRIER_UNKNOWN */
	int64_t moved_back_ns;			/* restore to the first window carried by the cut link */
	/* the survivor over [cut, restore] */
	uint64_t surv_sent, surv_received, surv_silent;
	double surv_loss;			/* (sent - received) / sent; NAN when nothing sent */
	uint64_t surv_p50_ns, surv_p99_ns, surv_p999_ns, surv_jitter_ns;
};

int drill_measure_init(struct drill_measure *m, uint64_t interval_ns);
void drill_measure_free(struct drill_measure *m);
/*
 * One interval record of the link with this role; rtt (may be NULL) and
 * jitter_ns feed the survivor's figures when the window lies in the cut.
 * 0 or -ENOMEM.
 */
int drill_measure_add(struct drill_measure *m, enum drill_role role, const struct drill_sample *s,
		      const struct hist *rtt, uint64_t jitter_ns);
/* Everything known so far (call again as samples come). */
void drill_measure_result(const struct drill_measure *m, struct drill_result *r);
/*
 * Is the link of role healthy over [from_ns, to_ns): it sent, lost at most
 * max_loss of it, and answered in its last 100 ms (or five probes' spacing, if
 * longer). false with why set.
 */
bool drill_healthy(const struct drill_measure *m, enum drill_role role, uint64_t from_ns,
		   uint64_t to_ns, double max_loss, char *why, size_t len);
/* Each objective's value and verdict from r; true when every one holds (and n > 0). */
bool drill_objectives_eval(const struct drill_result *r, struct drill_objective *o, int n);

extern const char *const drill_role_names[DRILL_ROLES];
extern const char *const drill_metric_names[DRILL_METRICS];

#endif
