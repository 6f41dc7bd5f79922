/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Log-linear latency histogram in nanoseconds.
 *
 * Values below 2^HIST_SUB_BITS ns are counted exactly. Above, every power of
 * two [2^e, 2^(e+1)) is split into 2^HIST_SUB_BITS equal buckets, so a bucket
 * is never wider than 1/128 of its lower bound: reporting the bucket midpoint
 * is within 0.4% of the true value, well inside the 1% we promise from 1 us
 * to 10 s. The layout is fixed (HIST_LAYOUT) so histograms from different
 * processes and runs merge exactly by adding buckets.
 */
#ifndef MP_HIST_H
#define MP_HIST_H

#include <stdint.h>
#include <stddef.h>

#define HIST_SUB_BITS	7
#define HIST_SUB_COUNT	(1u << HIST_SUB_BITS)		/* 128 */
#define HIST_MAX_EXP	35				/* last exact range ends at 2^36 ns (68.7 s) */
#define HIST_NBUCKETS	((HIST_MAX_EXP - HIST_SUB_BITS + 2) * HIST_SUB_COUNT)
#define HIST_MAX_VALUE	((UINT64_C(1) << (HIST_MAX_EXP + 1)) - 1)
#define HIST_LAYOUT	"log2-sub128-ns"

struct hist {
	uint64_t count;		/* samples added (including clamped ones) */
	uint64_t sum_ns;	/* exact sum, for the mean */
	uint64_t min_ns;	/* UINT64_MAX when empty */
	uint64_t max_ns;	/* 0 when empty */
	uint64_t clamped;	/* samples above HIST_MAX_VALUE, counted in the last bucket */
	uint64_t bucket[HIST_NBUCKETS];
};

/* Bucket of a value; values above HIST_MAX_VALUE go to the last bucket. */
static inline unsigned
hist_index(uint64_t v)
{
	unsigned e;

	if (v < HIST_SUB_COUNT)
		return (unsigned)v;
	if (v > HIST_MAX_VALUE)
		return HIST_NBUCKETS - 1;
	e = 63u - (unsigned)__builtin_clzll(v);
	return ((e - HIST_SUB_BITS + 1) << HIST_SUB_BITS) +
	       (unsigned)((v >> (e - HIST_SUB_BITS)) - HIST_SUB_COUNT);
}

/* Fast path: no branches beyond min/max, no division. */
static inline void
hist_add(struct hist *h, uint64_t v_ns)
{
	h->count++;
	h->sum_ns += v_ns;
	if (v_ns < h->min_ns)
		h->min_ns = v_ns;
	if (v_ns > h->max_ns)
		h->max_ns = v_ns;
	if (v_ns > HIST_MAX_VALUE)
		h->clamped++;
	h->bucket[hist_index(v_ns)]++;
}

/*
 * The same as hist_add() of v[0..n) in order. Per receive burst: count,
 * sum, min and max stay in registers, and runs of samples in one bucket (the
 * replies of one burst share t1 and t4, so their round trips mostly do) are
 * one increment, not a chain of stores each waiting for the last.
 */
static inline void
hist_add_burst(struct hist *h, const uint64_t *v, unsigned n)
{
	uint64_t sum = 0, mn = h->min_ns, mx = h->max_ns, cl = 0, run = 0;
	unsigned i, idx, last = 0;

	for (i = 0; i < n; i++) {
		uint64_t x = v[i];

		sum += x;
		mn = x < mn ? x : mn;
		mx = x > mx ? x : mx;
		cl += x > HIST_MAX_VALUE;
		idx = hist_index(x);
		if (idx != last || run == 0) {
			if (run != 0)
				h->bucket[last] += run;
			last = idx;
			run = 0;
		}
		run++;
	}
	if (run != 0)
		h->bucket[last] += run;
	h->count += n;
	h->sum_ns += sum;
	h->min_ns = mn;
	h->max_ns = mx;
	h->clamped += cl;
}

void hist_reset(struct hist *h);
/* Lowest value that falls into bucket idx, and the first value above it. */
uint64_t hist_bucket_low(unsigned idx);
uint64_t hist_bucket_high(unsigned idx);
/* dst += src, exactly (min/max/sum/count too). */
void hist_merge(struct hist *dst, const struct hist *src);
/*
 * Value at quantile q (0 <= q <= 1): the midpoint of the bucket that holds
 * the ceil(q * count)-th smallest sample, clamped to [min_ns, max_ns].
 * Returns 0 for an empty histogram.
 */
uint64_t hist_quantile(const struct hist *h, double q);
/* Mean in ns (0 when empty). */
double hist_mean(const struct hist *h);

#endif
