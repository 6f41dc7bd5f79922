/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The round-trip histogram's Prometheus buckets: a fixed ladder of edges
 * (25 us .. 2.5 s) plus every SLA threshold on a round-trip objective, so
 * that "fraction under the threshold" is one bucket over the count, and
 * the cumulative count at each edge from a metroprobe histogram (mp_hist).
 *
 * A metroprobe bucket spans 1/128 of its lower bound; it is counted at the
 * first edge its largest value does not exceed, so a bucket that straddles
 * an edge counts at the edge above: a sample is never counted as meeting a
 * threshold it may have missed (at most 0.8% above the edge). Pure.
 */
#ifndef MP_RTT_BUCKETS_H
#define MP_RTT_BUCKETS_H

#include <stdint.h>

#include "mp_hist.h"

#define RTT_BUCKETS_MAX		64	/* edges at most (ladder and thresholds) */

struct rtt_buckets {
	int n;					/* edges, ascending, distinct */
	double edge_s[RTT_BUCKETS_MAX];		/* seconds: the le labels */
	uint8_t edge_of[HIST_NBUCKETS];		/* mp_hist bucket -> edge index; n: +Inf only */
};

/*
 * The ladder plus thresholds[0..n) (seconds; values not finite or not
 * above 0 are ignored; beyond RTT_BUCKETS_MAX, the ladder's edges give way
 * to thresholds, never the reverse).
 */
void rtt_buckets_init(struct rtt_buckets *b, const double *thresholds_s, int n);
/* cum[i]: samples of h at or below edge i (cum has b->n entries). */
void rtt_buckets_fill(const struct rtt_buckets *b, const struct hist *h, uint64_t *cum);

#endif
