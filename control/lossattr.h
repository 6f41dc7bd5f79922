/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Loss attributed to the interval its probe was sent in. The dataplane
 * counts a probe lost when its loss timeout expires (mp_stats.h), so the
 * lost probes of a record were sent about one loss timeout before its
 * window: a 1 s outage shows as no replies during it and as loss in the
 * second after it, and a link's impaired time stretches to about twice the
 * outage. The record does not say which windows its losses were sent in,
 * but a window can lose at most the probes it sent and never had answered
 * (sent - received). So a record's losses go to the windows one loss
 * timeout back, oldest first, each up to what it has left unanswered; the
 * retirement tick (up to a millisecond) lets a few come from the window
 * before that, so the search starts H = ceil(timeout / interval) + 1
 * windows back; what no window can take stays in the record's own window.
 * An outage the record shows (agg_interval_outage_ns: no reply for a
 * while, probes overdue) also marks the windows since the last reply
 * impaired at once, before their losses are counted.
 *
 * A window is final when a record H windows newer came: nothing can be
 * attributed to it any more. The pending windows of one link are a ring
 * from base (the oldest not final) on; the caller pops them in order.
 * Pure: no I/O.
 */
#ifndef MP_LOSSATTR_H
#define MP_LOSSATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mp_stats.h"

/* One window of one link, its losses attributed by send time. */
struct lossattr_slot {
	uint64_t sent, received;
	uint64_t lost;			/* of the probes sent in this window */
	uint64_t min_ns, p50_ns;	/* round trip; 0: no reply in the window */
	bool seen;			/* a record of this window came */
	bool outage;			/* no reply while probes were due */
};

struct lossattr {
	uint64_t interval_ns;
	size_t horizon;			/* H above */
	size_t cap;			/* pending windows held: more than H */
	uint64_t base;			/* window number of the oldest pending one */
	struct lossattr_slot *ring;
};

/* timeout_ns: the loss timeout (0: losses counted in their own window). 0 or -ENOMEM. */
int lossattr_init(struct lossattr *a, uint64_t interval_ns, uint64_t timeout_ns, size_t margin);
void lossattr_free(struct lossattr *a);
/*
 * The record li of window k (base <= k < base + cap; the caller pops
 * before). Its counters, round trip and outage go to window k, its losses
 * where they were sent.
 */
void lossattr_add(struct lossattr *a, uint64_t k, const struct link_interval *li);
/* The oldest pending window into out; base moves on. */
void lossattr_pop(struct lossattr *a, struct lossattr_slot *out);

#endif
