/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sequence window. Slot (seq & mask) holds the state of the most recent
 * sequence number sent with those low bits, i.e. of the one seq in
 * [next_send - 2^order, next_send) that maps there. A seq outside that range
 * is unknown, and so is one whose slot is still FREE (before first_seq).
 *
 * Invariants kept by every function, so that no distance ever wraps:
 *   next_send - retired  <= 2^order   (on_send advances retired with the ring)
 *   next_send - next_exp <= next_send - retired when a reply is possible
 *     (next_exp below retired is raised to retired: every seq below retired
 *     is no longer pending, so the classification does not change).
 * The per-packet functions use lookup tables and conditional moves instead
 * of branches.
 */
#include <errno.h>
#include <string.h>

#include "mp_seqwin.h"

#define SEQWIN_MAX_ORDER	28
#define SEQWIN_MIN_ORDER	10

const char *const seq_outcome_names[SEQ_OUTCOME_MAX] = {
	[SEQ_IN_ORDER] = "in_order",
	[SEQ_REORDERED] = "reordered",
	[SEQ_DUPLICATE] = "duplicate",
	[SEQ_LATE] = "late",
	[SEQ_UNKNOWN] = "unknown",
};

/* Outcome of a reply by slot state; PENDING gets +1 when reordered. */
const uint8_t seqwin_outcome_of[SW_STATE_MAX] = {
	[SW_FREE] = SEQ_UNKNOWN,
	[SW_PENDING] = SEQ_IN_ORDER,
	[SW_RECEIVED] = SEQ_DUPLICATE,
	[SW_LOST] = SEQ_LATE,
	[SW_LATE_RECEIVED] = SEQ_DUPLICATE,
};

/* Slot state after a reply. */
const uint8_t seqwin_after_reply[SW_STATE_MAX] = {
	[SW_FREE] = SW_FREE,
	[SW_PENDING] = SW_RECEIVED,
	[SW_RECEIVED] = SW_RECEIVED,
	[SW_LOST] = SW_LATE_RECEIVED,
	[SW_LATE_RECEIVED] = SW_LATE_RECEIVED,
};

size_t
seqwin_mem_size(unsigned order)
{
	if (order > SEQWIN_MAX_ORDER)
		return 0;
	return (size_t)1 << order;
}

unsigned
seqwin_order_for(uint64_t rate_pps, uint64_t timeout_ms)
{
	/* ceil(2 * rate * timeout / 1000) + 1024, without overflow */
	unsigned __int128 need = ((unsigned __int128)rate_pps * timeout_ms * 2 + 999) / 1000 +
				 1024;
	unsigned order = SEQWIN_MIN_ORDER;

	while (order < SEQWIN_MAX_ORDER && ((unsigned __int128)1 << order) < need)
		order++;
	return order;
}

int
seqwin_init(struct seqwin *w, void *mem, unsigned order, uint32_t first_seq)
{
	if (w == NULL || mem == NULL || order > SEQWIN_MAX_ORDER)
		return -EINVAL;
	memset(mem, SW_FREE, seqwin_mem_size(order));
	w->state = mem;
	w->mask = (uint32_t)((UINT64_C(1) << order) - 1);
	w->first_seq = first_seq;
	w->next_send = first_seq;
	w->retired = first_seq;
	w->next_exp = first_seq;
	w->pending = 0;
	w->any_sent = false;
	w->any_reply = false;
	return 0;
}

/* Record one send at next_send; the caller has made sure seq == next_send. */
static inline uint32_t
seqwin_send_one(struct seqwin *w)
{
	uint32_t seq = w->next_send;
	uint8_t *slot = &w->state[seq & w->mask];
	uint32_t lost = *slot == SW_PENDING;
	uint32_t behind;

	*slot = SW_PENDING;
	w->pending += 1 - lost;
	w->next_send = seq + 1;
	/* the ring dropped seq - 2^order: it is retired now if it was not yet */
	w->retired += (w->next_send - w->retired) > w->mask + 1;
	behind = (w->next_send - w->next_exp) > (w->next_send - w->retired);
	w->next_exp = behind ? w->retired : w->next_exp;
	return lost;
}

/*
 * A send that skips sequence numbers (the caller consumed some without
 * sending them): the skipped ones are forgotten, so replies to them are
 * unknown. Not the per-packet path.
 */
static __attribute__((noinline, cold)) uint32_t
seqwin_send_gap(struct seqwin *w, uint32_t seq)
{
	uint32_t gap = seq - w->next_send;
	uint32_t lost = 0, i;

	if (gap > w->mask + 1)
		gap = w->mask + 1;
	for (i = 0; i < gap; i++) {
		lost += seqwin_send_one(w);
		w->state[(w->next_send - 1) & w->mask] = SW_FREE;
		w->pending--;
	}
	/* everything before the gap is gone from the ring too */
	w->next_send = seq;
	if (w->next_send - w->retired > w->mask + 1)
		w->retired = w->next_send - (w->mask + 1);
	if (w->next_send - w->next_exp > w->next_send - w->retired)
		w->next_exp = w->retired;
	return lost;
}

uint32_t
seqwin_on_send(struct seqwin *w, uint32_t seq)
{
	uint32_t lost = 0;

	if (__builtin_expect(seq != w->next_send, 0)) {
		/* a seq sent again, or from the past: nothing to record */
		if ((int32_t)(seq - w->next_send) < 0)
			return 0;
		lost = seqwin_send_gap(w, seq);
	}
	w->any_sent = true;
	return lost + seqwin_send_one(w);
}

uint32_t
seqwin_retire(struct seqwin *w, uint32_t upto)
{
	uint32_t span = w->next_send - w->retired;	/* <= 2^order */
	uint32_t n = upto - w->retired;
	uint32_t lost = 0, i;

	if (n > span) {
		/* upto before retired: nothing to do; beyond next_send: clamp */
		if ((int32_t)(upto - w->retired) < 0)
			return 0;
		n = span;
	}
	for (i = 0; i < n; i++) {
		uint8_t *slot = &w->state[(w->retired + i) & w->mask];

		if (*slot == SW_PENDING) {
			*slot = SW_LOST;
			lost++;
		}
	}
	w->retired += n;
	w->pending -= lost;
	if (w->next_send - w->next_exp > w->next_send - w->retired)
		w->next_exp = w->retired;
	return lost;
}

uint32_t
seqwin_outstanding(const struct seqwin *w)
{
	return w->pending;
}

/*
 * Slots equal to SW_PENDING among n, eight at a time: a byte of x ^ 0x01..
 * is zero exactly where the slot is PENDING, and the high bit of each byte
 * of ~(((t & 0x7f..) + 0x7f..) | t | 0x7f..) is set exactly for zero bytes;
 * those bits are added per byte and summed across bytes every 255 words.
 * A window of a 10G line-rate link's last 50 ms is 750 k slots.
 */
static uint32_t
seqwin_count_pending(const uint8_t *p, uint32_t n)
{
	const uint64_t ones = 0x0101010101010101ull, low7 = 0x7f7f7f7f7f7f7f7full;
	uint32_t c = 0, i = 0;

	while (i + 8 <= n) {
		/* per-byte counts in acc, summed across its bytes before any reaches 256 */
		uint64_t acc = 0;
		uint32_t k;

		for (k = 0; k < 255 && i + 8 <= n; k++, i += 8) {
			uint64_t x, t;

			memcpy(&x, p + i, 8);
			t = x ^ (ones * SW_PENDING);
			acc += (~(((t & low7) + low7) | t | low7)) >> 7;
		}
		/* bytes to four 16-bit sums (<= 510), then their total in the top lane */
		acc = (acc & 0x00ff00ff00ff00ffull) + ((acc >> 8) & 0x00ff00ff00ff00ffull);
		c += (uint32_t)((acc * 0x0001000100010001ull) >> 48);
	}
	for (; i < n; i++)
		c += p[i] == SW_PENDING;
	return c;
}

uint32_t
seqwin_outstanding_before(const struct seqwin *w, uint32_t below)
{
	uint32_t span = w->next_send - w->retired, from, n, first, recent;

	if (!w->any_sent)
		return 0;
	/* below outside [retired, next_send]: everything, or nothing, is before it */
	from = below - w->retired;
	if (from > span)
		return (int32_t)(below - w->retired) < 0 ? 0 : w->pending;
	/* at most two contiguous runs of the ring */
	n = w->next_send - below;
	from = below & w->mask;
	first = n < w->mask + 1 - from ? n : w->mask + 1 - from;
	recent = seqwin_count_pending(w->state + from, first) +
		 seqwin_count_pending(w->state, n - first);
	return w->pending - recent;
}

uint32_t
seqwin_on_send_burst_slow(struct seqwin *w, uint32_t seq, uint32_t n)
{
	uint32_t lost, i;

	if (n == 0)
		return 0;
	lost = seqwin_on_send(w, seq);
	for (i = 1; i < n; i++)
		lost += seqwin_send_one(w);
	return lost;
}
