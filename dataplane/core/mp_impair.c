/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mp_impair.h"

static inline uint64_t
impair_rng(struct mp_impair *q)
{
	/* xorshift64*: plenty for impairment decisions */
	q->rng ^= q->rng >> 12;
	q->rng ^= q->rng << 25;
	q->rng ^= q->rng >> 27;
	return q->rng * UINT64_C(0x2545F4914F6CDD1D);
}

static inline bool
impair_chance(struct mp_impair *q, uint32_t ppm)
{
	return ppm != 0 && (ppm >= MP_IMPAIR_PPM || impair_rng(q) % MP_IMPAIR_PPM < ppm);
}

int
mp_impair_check(const struct mp_impair_params *p, char *err, size_t errlen)
{
	if (p->loss_ppm > MP_IMPAIR_PPM || p->dup_ppm > MP_IMPAIR_PPM) {
		snprintf(err, errlen, "%s must be a percentage, 0..100",
			 p->loss_ppm > MP_IMPAIR_PPM ? "loss" : "dup");
		return -EINVAL;
	}
	if (p->reorder_ppm > MP_IMPAIR_REORDER_MAX) {
		snprintf(err, errlen, "reorder must be 0..50%%: a reordered reply needs a "
			 "next reply to overtake it");
		return -EINVAL;
	}
	if (p->jitter > p->delay) {
		snprintf(err, errlen, "jitter must not exceed delay (uniform +-jitter around "
			 "delay; a reply cannot leave before it came)");
		return -EINVAL;
	}
	return 0;
}

bool
mp_impair_params_active(const struct mp_impair_params *p)
{
	return p->loss_ppm != 0 || p->dup_ppm != 0 || p->reorder_ppm != 0 ||
	       p->delay != 0 || p->jitter != 0;
}

void
mp_impair_init(struct mp_impair *q, struct mp_impair_item *heap, uint32_t cap, uint64_t seed)
{
	memset(q, 0, sizeof(*q));
	q->heap = heap;
	q->cap = cap;
	q->rng = seed != 0 ? seed : UINT64_C(0x9E3779B97F4A7C15);
}

void
mp_impair_set(struct mp_impair *q, const struct mp_impair_params *p)
{
	q->p = *p;
	/*
	 * The reply after a held one is never held (it overtakes), so among
	 * the replies that can be held choose reorder / (1 - reorder): then
	 * the held fraction of all replies is reorder.
	 */
	q->hold_ppm = p->reorder_ppm == 0 ? 0 :
		(uint32_t)((uint64_t)p->reorder_ppm * MP_IMPAIR_PPM /
			   (MP_IMPAIR_PPM - p->reorder_ppm));
}

enum mp_impair_verdict
mp_impair_admit(struct mp_impair *q)
{
	if (impair_chance(q, q->p.loss_ppm)) {
		q->dropped++;
		return MP_IMPAIR_DROP;
	}
	return impair_chance(q, q->p.dup_ppm) ? MP_IMPAIR_DUP : MP_IMPAIR_PASS;
}

/* Heap order: release time, then entry order (so equal times stay FIFO). */
static inline bool
item_before(const struct mp_impair_item *a, const struct mp_impair_item *b)
{
	return a->release < b->release || (a->release == b->release && a->seq < b->seq);
}

static void
heap_push(struct mp_impair *q, const struct mp_impair_item *it)
{
	uint32_t i = q->n++;

	while (i > 0) {
		uint32_t parent = (i - 1) / 2;

		if (!item_before(it, &q->heap[parent]))
			break;
		q->heap[i] = q->heap[parent];
		i = parent;
	}
	q->heap[i] = *it;
}

static struct mp_impair_item
heap_pop(struct mp_impair *q)
{
	struct mp_impair_item top = q->heap[0];
	struct mp_impair_item last = q->heap[--q->n];
	uint32_t i = 0;

	for (;;) {
		uint32_t c = 2 * i + 1;

		if (c >= q->n)
			break;
		if (c + 1 < q->n && item_before(&q->heap[c + 1], &q->heap[c]))
			c++;
		if (!item_before(&q->heap[c], &last))
			break;
		q->heap[i] = q->heap[c];
		i = c;
	}
	if (q->n > 0)
		q->heap[i] = last;
	return top;
}

int
mp_impair_push(struct mp_impair *q, uint64_t now, void *pkt, void *copy)
{
	struct mp_impair_item it;
	uint64_t d = q->p.delay;

	if (q->n + (copy != NULL ? 2u : 1u) > q->cap) {
		q->overflow += copy != NULL ? 2 : 1;
		return -ENOSPC;
	}
	if (q->p.jitter != 0)
		d = d - q->p.jitter + impair_rng(q) % (2 * q->p.jitter + 1);
	it.release = now + d;
	/* Without jitter the link is FIFO, also across a lowered delay. */
	if (q->p.jitter == 0 && it.release < q->last_release)
		it.release = q->last_release;
	if (it.release > q->last_release)
		q->last_release = it.release;
	it.seq = q->seq++;
	it.pkt = pkt;
	it.copy = false;
	heap_push(q, &it);
	if (copy != NULL) {
		it.seq = q->seq++;
		it.pkt = copy;
		it.copy = true;
		heap_push(q, &it);
		q->duplicated++;
	}
	return 0;
}

static void *
held_take(struct mp_impair *q)
{
	void *pkt = q->held[0];

	q->held[0] = q->held[1];
	q->held[1] = NULL;
	if (--q->n_held == 0)
		q->flush = false;
	return pkt;
}

void *
mp_impair_pop(struct mp_impair *q, uint64_t now)
{
	for (;;) {
		struct mp_impair_item it;

		if (q->n_held > 0 && q->flush)
			return held_take(q);
		if (q->n == 0 || q->heap[0].release > now) {
			if (q->n_held > 0 && now >= q->held_until) {
				/* Nothing came to overtake it: it goes alone, in order. */
				q->hold_expired++;
				q->flush = true;
				continue;
			}
			return NULL;
		}
		it = heap_pop(q);
		if (q->n_held > 0) {
			if (it.copy && it.seq == q->held_seq + 1 && q->n_held == 1) {
				/* The copy stays with its held original. */
				q->held[q->n_held++] = it.pkt;
				continue;
			}
			/* This one overtakes the held reply, which follows it. */
			q->reordered++;
			q->flush = true;
			return it.pkt;
		}
		if (!it.copy && impair_chance(q, q->hold_ppm)) {
			q->held[0] = it.pkt;
			q->n_held = 1;
			q->held_seq = it.seq;
			q->held_until = now + q->p.hold_max;
			continue;
		}
		return it.pkt;
	}
}

uint64_t
mp_impair_next_due(const struct mp_impair *q)
{
	uint64_t due = UINT64_MAX;

	if (q->n_held > 0)
		due = q->flush ? 0 : q->held_until;
	if (q->n > 0 && q->heap[0].release < due)
		due = q->heap[0].release;
	return due;
}

uint32_t
mp_impair_pending(const struct mp_impair *q)
{
	return q->n + q->n_held;
}

void *
mp_impair_drain(struct mp_impair *q)
{
	if (q->n_held > 0) {
		q->flush = true;
		return held_take(q);
	}
	if (q->n > 0)
		return q->heap[--q->n].pkt;
	return NULL;
}
