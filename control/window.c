/* SPDX-License-Identifier: BSD-3-Clause */
#include <math.h>
#include <string.h>

#include "window.h"

const char *const win_name[WIN_N] = { "1m", "5m", "1h", "24h", "30d" };
const uint32_t win_seconds[WIN_N] = { 60, 300, 3600, 86400, 30 * 86400 };
static const uint32_t win_width[WIN_N] = { 1, 5, 60, 3600, 86400 };

int
win_parse(const char *s)
{
	int i;

	for (i = 0; i < WIN_N; i++)
		if (strcmp(s, win_name[i]) == 0)
			return i;
	return -1;
}

void
whist_reset(struct whist *h)
{
	memset(h, 0, sizeof(*h));
}

/*
 * The whist bucket that holds core bucket i (mp_hist.h): values below 64
 * share their index, the core's 64..127 pair up, and above, each power of
 * two's 128 core buckets fall four by four into its 32.
 */
_Static_assert(HIST_SUB_BITS == WHIST_SUB_BITS + 2, "whist_of_core() folds core buckets 4 to 1");

static unsigned
whist_of_core(unsigned i)
{
	if (i < 2 * WHIST_SUB)
		return i;
	if (i < HIST_SUB_COUNT)
		return WHIST_SUB + i / 2;
	return (((i >> HIST_SUB_BITS) + HIST_SUB_BITS - WHIST_SUB_BITS) << WHIST_SUB_BITS) +
	       ((i & (HIST_SUB_COUNT - 1)) >> (HIST_SUB_BITS - WHIST_SUB_BITS));
}

unsigned
whist_index(uint64_t v)
{
	return whist_of_core(hist_index(v));
}

static uint64_t
whist_low(unsigned idx)
{
	unsigned e;

	if (idx < WHIST_SUB)
		return idx;
	e = (idx >> WHIST_SUB_BITS) + WHIST_SUB_BITS - 1;
	return (uint64_t)(WHIST_SUB + (idx & (WHIST_SUB - 1))) << (e - WHIST_SUB_BITS);
}

double
whist_mid(unsigned idx)
{
	uint64_t lo = whist_low(idx), hi;

	if (idx < WHIST_SUB)
		return (double)lo;
	hi = idx + 1 < WHIST_NBUCKETS ? whist_low(idx + 1) : HIST_MAX_VALUE + 1;
	return ((double)lo + (double)(hi - 1)) / 2.0;
}

void
whist_add_hist(struct whist *h, const struct hist *src)
{
	unsigned i;

	if (src->count == 0)
		return;
	h->count += src->count;
	h->sum_ns += src->sum_ns;
	for (i = 0; i < HIST_NBUCKETS; i++)
		if (src->bucket[i] != 0)
			h->b[whist_of_core(i)] += src->bucket[i];
}

uint64_t
whist_quantile(const struct whist *h, double q)
{
	uint64_t rank, seen = 0;
	unsigned i;

	if (h->count == 0)
		return 0;
	if (q < 0)
		q = 0;
	if (q > 1)
		q = 1;
	rank = (uint64_t)ceil(q * (double)h->count);
	if (rank == 0)
		rank = 1;
	for (i = 0; i < WHIST_NBUCKETS; i++) {
		seen += h->b[i];
		if (seen >= rank)
			return (uint64_t)whist_mid(i);
	}
	return (uint64_t)whist_mid(WHIST_NBUCKETS - 1);
}

void
wslot_reset(struct wslot *s)
{
	memset(s, 0, sizeof(*s));
	s->idx = -1;
}

void
wslot_add_interval(struct wslot *s, const struct hist *rtt, uint64_t sent, uint64_t received,
		   uint64_t lost, uint64_t jitter_ns)
{
	s->sent += sent;
	s->received += received;
	s->lost += lost;
	if (rtt->count > 0) {
		s->jitter_sum_ns += jitter_ns;
		s->jitter_n++;
		whist_add_hist(&s->rtt, rtt);
	}
}

/* dst += sign * src over every counter and bucket (unsigned: wraps back exactly). */
static void
wslot_combine(struct wslot *dst, const struct wslot *src, uint64_t sign)
{
	unsigned i;

	dst->sent += sign * src->sent;
	dst->received += sign * src->received;
	dst->lost += sign * src->lost;
	dst->jitter_sum_ns += sign * src->jitter_sum_ns;
	dst->jitter_n += sign * src->jitter_n;
	dst->ses += sign * src->ses;
	dst->seconds += sign * src->seconds;
	dst->unavail += sign * src->unavail;
	dst->rtt.count += sign * src->rtt.count;
	dst->rtt.sum_ns += sign * src->rtt.sum_ns;
	if (src->rtt.count == 0)
		return;
	for (i = 0; i < WHIST_NBUCKETS; i++)
		dst->rtt.b[i] += sign * src->rtt.b[i];
}

void
wslot_merge(struct wslot *dst, const struct wslot *src)
{
	wslot_combine(dst, src, 1);
}

void
wslot_sub(struct wslot *dst, const struct wslot *src)
{
	wslot_combine(dst, src, UINT64_MAX);
}

void
wseries_init(struct wseries *s)
{
	static const uint32_t n[WIN_N] = { 60, 60, 60, 24, 30 };
	uint32_t first = 0, i;
	int k;

	for (k = 0; k < WIN_N; k++) {
		struct window *w = &s->w[k];

		w->width_s = win_width[k];
		w->n = n[k];
		w->first = first;
		w->cur = -1;
		wslot_reset(&w->sum);
		w->sum.idx = 0;
		for (i = 0; i < w->n; i++)
			wslot_reset(&s->slots[first + i]);
		first += w->n;
	}
}

/* Move window w's current slot to number idx, dropping the slots it replaces. */
static void
window_roll(struct wseries *s, struct window *w, int64_t idx)
{
	int64_t k, from = w->cur + 1;

	if (w->cur < 0)
		from = idx;		/* the others are empty already */
	else if (idx - w->cur >= (int64_t)w->n)
		from = idx - (int64_t)w->n + 1;
	for (k = from; k <= idx; k++) {
		struct wslot *sl = &s->slots[w->first + (uint32_t)(k % w->n)];

		if (sl->idx >= 0)
			wslot_sub(&w->sum, sl);
		wslot_reset(sl);
		sl->idx = k;
	}
	w->cur = idx;
}

void
wseries_add(struct wseries *s, int64_t t, const struct wslot *d)
{
	int k;

	if (t < 0)
		t = 0;
	for (k = 0; k < WIN_N; k++) {
		struct window *w = &s->w[k];
		int64_t idx = t / w->width_s;

		if (idx > w->cur)
			window_roll(s, w, idx);
		wslot_merge(&s->slots[w->first + (uint32_t)(w->cur % w->n)], d);
		wslot_merge(&w->sum, d);
	}
}

static double
ratio(uint64_t num, uint64_t den)
{
	return den > 0 ? (double)num / (double)den : NAN;
}

void
wseries_value(const struct wseries *s, int win, struct wvalue *v)
{
	const struct wslot *m = &s->w[win].sum;
	int have = m->rtt.count > 0;

	v->sent = m->sent;
	v->received = m->received;
	v->lost = m->lost;
	v->rtt_count = m->rtt.count;
	v->ses = m->ses;
	v->seconds = m->seconds;
	v->unavail = m->unavail;
	v->rtt_p50 = have ? (double)whist_quantile(&m->rtt, 0.5) / 1e9 : NAN;
	v->rtt_p99 = have ? (double)whist_quantile(&m->rtt, 0.99) / 1e9 : NAN;
	v->rtt_p999 = have ? (double)whist_quantile(&m->rtt, 0.999) / 1e9 : NAN;
	v->loss = ratio(m->lost, m->received + m->lost);
	v->jitter = m->jitter_n > 0 ? (double)m->jitter_sum_ns / (double)m->jitter_n / 1e9 : NAN;
	v->availability = m->seconds > 0 ? 1.0 - ratio(m->unavail, m->seconds) : NAN;
}
