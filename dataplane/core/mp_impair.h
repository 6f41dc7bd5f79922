/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lab's emulated link: loss, duplication, delay, delay variation and
 * reordering of the replies a reflector sends, as a release schedule.
 * Pure: packets are opaque pointers, time is whatever ticks the caller
 * uses (TSC cycles in the reflector), randomness is a seeded xorshift.
 *
 * What each impairment means, and how they combine:
 * - loss: a reply is dropped with probability loss (nothing else applies).
 * - dup: a kept reply is sent twice with probability dup; the copy leaves
 *   right behind its original (same release time), so it is never counted
 *   as reordered, only as a duplicate.
 * - delay, jitter: a reply is released delay +- jitter after it entered
 *   (uniform, jitter <= delay). Without jitter the link is FIFO: replies
 *   leave in the order they entered, also when the delay is lowered while
 *   replies are queued (they are not overtaken, as on a real link).
 *   Equal release times keep their entry order (a sequence tie-break).
 * - reorder: a fraction reorder of the replies arrives after the reply
 *   that followed it (RFC 4737 counts exactly these as reordered): when a
 *   reply's release time comes it is held back, and sent right after the
 *   next reply released, or alone after hold_max when none comes (then it
 *   is not reordered, and not counted as such). The reply that overtakes a
 *   held one is never held itself, so a held reply is chosen with
 *   probability reorder / (1 - reorder) among the others: the fraction of
 *   reordered replies is reorder. At most 50%: above that there are not
 *   enough replies to overtake. With a delay it works the same (the hold
 *   starts at the release time); jitter reorders on its own, on top.
 *
 * New parameters (mp_impair_set) apply to replies entering from then on;
 * queued replies keep their release times.
 */
#ifndef MP_IMPAIR_H
#define MP_IMPAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MP_IMPAIR_PPM		1000000u
#define MP_IMPAIR_REORDER_MAX	500000u		/* 50%: see above */

struct mp_impair_params {
	uint32_t loss_ppm;
	uint32_t dup_ppm;
	uint32_t reorder_ppm;
	uint64_t delay;		/* ticks */
	uint64_t jitter;	/* ticks, uniform +- around delay */
	uint64_t hold_max;	/* ticks a reordered reply waits for the next one */
};

struct mp_impair_item {
	uint64_t release;
	uint64_t seq;		/* entry order: the tie-break of equal releases */
	void *pkt;
	bool copy;		/* a duplicate, right behind its original */
};

struct mp_impair {
	struct mp_impair_params p;
	uint32_t hold_ppm;	/* per eligible reply: reorder / (1 - reorder) */
	uint64_t rng;
	struct mp_impair_item *heap;
	uint32_t cap;
	uint32_t n;
	uint64_t seq;
	uint64_t last_release;	/* the FIFO floor without jitter */
	void *held[2];		/* a held reply and its copy */
	uint32_t n_held;
	uint64_t held_seq;
	uint64_t held_until;
	bool flush;		/* a reply overtook the held ones: send them now */
	/* counters */
	uint64_t dropped;
	uint64_t duplicated;
	uint64_t reordered;	/* held replies that another overtook */
	uint64_t hold_expired;	/* held replies sent alone (nothing overtook them) */
	uint64_t overflow;	/* replies dropped because the queue was full */
};

/* What to do with a reply entering the link. */
enum mp_impair_verdict {
	MP_IMPAIR_DROP = 0,	/* lost (counted): free it */
	MP_IMPAIR_PASS = 1,	/* queue it */
	MP_IMPAIR_DUP = 2,	/* queue it and a copy of it */
};

/*
 * Check parameters before use. Returns 0, or -EINVAL with err set to one
 * line naming the parameter.
 */
int mp_impair_check(const struct mp_impair_params *p, char *err, size_t errlen);
/* heap: cap items of the caller's memory. seed: any value (0 is replaced). */
void mp_impair_init(struct mp_impair *q, struct mp_impair_item *heap, uint32_t cap,
		    uint64_t seed);
/* Take new (checked) parameters; queued replies keep their release times. */
void mp_impair_set(struct mp_impair *q, const struct mp_impair_params *p);
/* Does p change anything at all? */
bool mp_impair_params_active(const struct mp_impair_params *p);
/* Loss and duplication for one reply entering the link. */
enum mp_impair_verdict mp_impair_admit(struct mp_impair *q);
/*
 * Queue a reply (and its copy when not NULL) that entered at now.
 * Returns 0, or -ENOSPC when the queue is full: nothing was queued, the
 * caller frees both (counted in overflow).
 */
int mp_impair_push(struct mp_impair *q, uint64_t now, void *pkt, void *copy);
/* The next reply to send at now, or NULL. Call until NULL. */
void *mp_impair_pop(struct mp_impair *q, uint64_t now);
/* When mp_impair_pop next has something (UINT64_MAX: nothing queued). */
uint64_t mp_impair_next_due(const struct mp_impair *q);
/* Replies still queued or held. */
uint32_t mp_impair_pending(const struct mp_impair *q);
/* Take out everything (to free at exit), in no particular order; NULL when empty. */
void *mp_impair_drain(struct mp_impair *q);

#endif
