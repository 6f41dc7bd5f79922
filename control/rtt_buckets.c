/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Prometheus buckets over the round-trip histogram (rtt_buckets.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rtt_buckets.h"

/* What a metro link and the lab both resolve: tens of us to seconds. */
static const double rtt_ladder[] = {
	25e-6, 50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3, 50e-3,
	100e-3, 250e-3, 500e-3, 1.0, 2.5,
};
#define RTT_LADDER_N	(int)(sizeof(rtt_ladder) / sizeof(rtt_ladder[0]))

static int
rtt_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Add v unless present; 1 when added. */
static int
rtt_add_edge(struct rtt_buckets *b, double v)
{
	int i;

	if (!isfinite(v) || v <= 0.0 || b->n >= RTT_BUCKETS_MAX)
		return 0;
	for (i = 0; i < b->n; i++)
		if (b->edge_s[i] == v)
			return 0;
	b->edge_s[b->n++] = v;
	return 1;
}

/* Each metroprobe bucket to the first edge its largest value does not exceed. */
static void
rtt_map(struct rtt_buckets *b)
{
	uint64_t edge_ns[RTT_BUCKETS_MAX];
	unsigned idx;
	int e = 0, i;

	for (i = 0; i < b->n; i++)
		edge_ns[i] = (uint64_t)llround(b->edge_s[i] * 1e9);
	for (idx = 0; idx < HIST_NBUCKETS; idx++) {
		uint64_t top = hist_bucket_high(idx) - 1;

		while (e < b->n && edge_ns[e] < top)
			e++;
		/* the last bucket also holds the clamped samples: +Inf only */
		b->edge_of[idx] = (uint8_t)(idx == HIST_NBUCKETS - 1 ? b->n : e);
	}
}

void
rtt_buckets_init(struct rtt_buckets *b, const double *thresholds_s, int n)
{
	int i, room;

	memset(b, 0, sizeof(*b));
	for (i = 0; i < n; i++)
		rtt_add_edge(b, thresholds_s[i]);
	room = RTT_BUCKETS_MAX - b->n;
	for (i = 0; i < RTT_LADDER_N && room > 0; i++)
		room -= rtt_add_edge(b, rtt_ladder[i]);
	qsort(b->edge_s, (size_t)b->n, sizeof(b->edge_s[0]), rtt_cmp);
	rtt_map(b);
}

void
rtt_buckets_fill(const struct rtt_buckets *b, const struct hist *h, uint64_t *cum)
{
	uint64_t per[RTT_BUCKETS_MAX + 1] = { 0 };
	unsigned idx;
	int i;

	for (idx = 0; idx < HIST_NBUCKETS; idx++)
		per[b->edge_of[idx]] += h->bucket[idx];
	for (i = 0; i < b->n; i++)
		cum[i] = per[i] + (i > 0 ? cum[i - 1] : 0);
}
