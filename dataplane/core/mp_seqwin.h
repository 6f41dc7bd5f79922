/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sequence window: classifies every reflected probe by its sequence number
 * (in order, reordered, duplicate, late, unknown) and counts probes lost when
 * their loss timeout expires. One byte of state per outstanding sequence
 * number in a power-of-two ring; all arithmetic is modulo 2^32 so sequence
 * wrap is handled.
 *
 * The caller owns the time: it calls seqwin_on_send() for each probe in
 * sequence order, and seqwin_retire(upto) when every probe below `upto` has
 * passed its loss timeout. A probe that is still pending at retirement is
 * lost; a reply that arrives after retirement is late (and stays counted as
 * lost: it is never received twice).
 *
 * Reordering follows RFC 4737: a reply is reordered when its sequence number
 * is below the highest one received so far plus one (NextExp).
 */
#ifndef MP_SEQWIN_H
#define MP_SEQWIN_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>

enum seq_outcome {
	SEQ_IN_ORDER = 0,	/* first reply, seq >= NextExp */
	SEQ_REORDERED,		/* first reply, seq < NextExp */
	SEQ_DUPLICATE,		/* a reply for this seq was already counted (received or late) */
	SEQ_LATE,		/* first reply after the loss timeout retired it */
	SEQ_UNKNOWN,		/* never sent, or older than the window remembers */
	SEQ_OUTCOME_MAX
};

extern const char *const seq_outcome_names[SEQ_OUTCOME_MAX];

struct seqwin {
	uint8_t *state;		/* ring of 2^order slots */
	uint32_t mask;		/* 2^order - 1 */
	uint32_t first_seq;	/* first sequence number ever sent */
	uint32_t next_send;	/* next sequence number to be sent */
	uint32_t retired;	/* every seq below this (and >= first) is retired */
	uint32_t next_exp;	/* RFC 4737 NextExp */
	uint32_t pending;	/* sent, not replied to, not retired */
	bool any_sent;
	bool any_reply;
};

/* Bytes of state memory for a window of 2^order slots. */
size_t seqwin_mem_size(unsigned order);
/*
 * Smallest order whose ring holds every probe that can be outstanding at
 * rate_pps with the given loss timeout, twice over (so that late replies are
 * still recognised), and at least 2^10.
 */
unsigned seqwin_order_for(uint64_t rate_pps, uint64_t timeout_ms);
/* mem must be seqwin_mem_size(order) bytes; returns 0 or -EINVAL. */
int seqwin_init(struct seqwin *w, void *mem, unsigned order, uint32_t first_seq);
/*
 * Record that seq was sent. seq must be next_send. Returns the number of
 * probes that had to be retired as lost because the ring wrapped onto them
 * before the caller retired them (0 when the ring is sized right).
 */
uint32_t seqwin_on_send(struct seqwin *w, uint32_t seq);
/*
 * The same as n calls of seqwin_on_send(w, seq + i), for the fast path:
 * one call per burst, not per packet.
 */
static inline uint32_t seqwin_on_send_burst(struct seqwin *w, uint32_t seq, uint32_t n);
uint32_t seqwin_on_send_burst_slow(struct seqwin *w, uint32_t seq, uint32_t n);
/* Classify a reply (per received probe: inline, branch-free). */
static inline enum seq_outcome seqwin_on_reply(struct seqwin *w, uint32_t seq);
/* Retire every sent seq below upto (exclusive); returns how many were lost. */
uint32_t seqwin_retire(struct seqwin *w, uint32_t upto);
/* Number of probes sent and neither replied to nor retired. */
uint32_t seqwin_outstanding(const struct seqwin *w);
/*
 * Of those, how many have a sequence number below `below` (sent before it):
 * the ones overdue when `below` is the first seq sent after the expected
 * round trip. Not for the fast path: it scans the slots from `below` to
 * next_send (the probes of the last round trip), once per interval.
 */
uint32_t seqwin_outstanding_before(const struct seqwin *w, uint32_t below);

/* Slot states and the tables seqwin_on_reply() reads; internal. */
enum seqwin_state {
	SW_FREE = 0,		/* never used, or seq before first_seq */
	SW_PENDING,		/* sent, no reply yet, not retired */
	SW_RECEIVED,		/* replied before retirement */
	SW_LOST,		/* retired without a reply */
	SW_LATE_RECEIVED,	/* replied after retirement */
	SW_STATE_MAX
};
extern const uint8_t seqwin_outcome_of[SW_STATE_MAX];
extern const uint8_t seqwin_after_reply[SW_STATE_MAX];

static inline enum seq_outcome
seqwin_on_reply(struct seqwin *w, uint32_t seq)
{
	uint32_t idx = seq & w->mask;
	uint32_t back = w->next_send - seq;		/* 1 .. 2^order when known */
	uint32_t back_exp = w->next_send - w->next_exp;
	uint8_t raw = w->state[idx];
	/* all ones when seq is in the ring's range, else zero */
	uint8_t known = (uint8_t)-(uint8_t)(back - 1 <= w->mask);
	uint8_t st = raw & known;			/* SW_FREE when unknown */
	uint32_t fresh = st == SW_PENDING;
	uint32_t ahead = back <= back_exp;		/* seq >= NextExp */
	uint32_t advance = -(fresh & ahead);

	w->state[idx] = (uint8_t)((seqwin_after_reply[st] & known) | (raw & ~known));
	w->pending -= fresh;
	w->next_exp = ((seq + 1) & advance) | (w->next_exp & ~advance);
	w->any_reply |= fresh;
	return (enum seq_outcome)(seqwin_outcome_of[st] + (fresh & (ahead ^ 1)));
}

static inline uint32_t
seqwin_on_send_burst(struct seqwin *w, uint32_t seq, uint32_t n)
{
	/*
	 * The common case: in sequence, and every slot about to be reused last
	 * held a sequence number below `retired` (so none is still pending and
	 * none is lost): mark the burst pending in one or two memsets. NextExp
	 * and retired keep their distance to next_send, so they stay valid.
	 */
	if (seq == w->next_send && w->any_sent && n != 0 &&
	    (seq + n) - w->retired <= w->mask + 1) {
		uint32_t idx = seq & w->mask, room = w->mask + 1 - idx;

		if (n == 32 && room >= 32) {
			memset(w->state + idx, SW_PENDING, 32);	/* two stores */
		} else if (room >= n) {
			memset(w->state + idx, SW_PENDING, n);
		} else {
			memset(w->state + idx, SW_PENDING, room);
			memset(w->state, SW_PENDING, n - room);
		}
		w->pending += n;
		w->next_send = seq + n;
		return 0;
	}
	return seqwin_on_send_burst_slow(w, seq, n);
}

#endif
