/* SPDX-License-Identifier: BSD-3-Clause */
#include <math.h>
#include <string.h>

#include "mp_hist.h"

void
hist_reset(struct hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min_ns = UINT64_MAX;
}

/* Inverse of hist_index(): group 0 is exact, group g >= 1 has width 2^(g-1). */
uint64_t
hist_bucket_low(unsigned idx)
{
	unsigned group, sub;

	if (idx >= HIST_NBUCKETS)
		return HIST_MAX_VALUE + 1;
	if (idx < HIST_SUB_COUNT)
		return idx;
	group = idx >> HIST_SUB_BITS;
	sub = idx & (HIST_SUB_COUNT - 1);
	return (uint64_t)(HIST_SUB_COUNT + sub) << (group - 1);
}

uint64_t
hist_bucket_high(unsigned idx)
{
	if (idx >= HIST_NBUCKETS - 1)
		return HIST_MAX_VALUE + 1;
	return hist_bucket_low(idx + 1);
}

void
hist_merge(struct hist *dst, const struct hist *src)
{
	unsigned i;

	dst->count += src->count;
	dst->sum_ns += src->sum_ns;
	dst->clamped += src->clamped;
	if (src->min_ns < dst->min_ns)
		dst->min_ns = src->min_ns;
	if (src->max_ns > dst->max_ns)
		dst->max_ns = src->max_ns;
	for (i = 0; i < HIST_NBUCKETS; i++)
		dst->bucket[i] += src->bucket[i];
}

/*
 * Rank (1-based) of the sample at quantile q: ceil(q * count), except that a
 * product a hair above an integer (0.99 * 100 = 99.00000000000001 in binary
 * floating point) counts as that integer, so p99 of 100 samples is the 99th.
 */
static uint64_t
hist_rank(uint64_t count, double q)
{
	double x = q * (double)count;
	double c;
	uint64_t r;

	if (!(x > 0))
		return 1;
	if (x >= (double)count)
		return count;
	c = ceil(x);
	if (c - x > 0 && (c - 1) >= x - x * 1e-12)
		c -= 1;
	r = (uint64_t)c;
	if (r < 1)
		r = 1;
	if (r > count)
		r = count;
	return r;
}

uint64_t
hist_quantile(const struct hist *h, double q)
{
	uint64_t rank, seen = 0, mid;
	unsigned i;

	if (h->count == 0)
		return 0;
	if (!(q > 0))
		return h->min_ns;
	rank = hist_rank(h->count, q);
	for (i = 0; i < HIST_NBUCKETS - 1; i++) {
		seen += h->bucket[i];
		if (seen >= rank)
			break;
	}
	mid = hist_bucket_low(i) + (hist_bucket_high(i) - hist_bucket_low(i)) / 2;
	if (mid < h->min_ns)
		mid = h->min_ns;
	if (mid > h->max_ns)
		mid = h->max_ns;
	return mid;
}

double
hist_mean(const struct hist *h)
{
	if (h->count == 0)
		return 0;
	return (double)h->sum_ns / (double)h->count;
}
