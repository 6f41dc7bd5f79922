/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the prober saw of the far end's reflector: which optional parts of
 * STAMP it implements, told from the replies themselves. The far end may
 * be our reflector, a router or any third-party RFC 8762 / TWAMP-light
 * implementation, and they differ: an RFC 8762 reflector without RFC 8972
 * sends bytes 14-15 (the SSID) as zero; a stateful one sends its own
 * sequence numbers (ours come back as the Session-Sender Sequence Number);
 * TWAMP-light responders send 38-byte replies that end after the Sender
 * Error Estimate (no Sender TTL), with T2 equal to T3; some echo TLVs and
 * padding past the 44-byte base packet, some do not.
 *
 * Counted per valid reply (received, late or duplicate), per interval;
 * every field merges by addition except the byte-length bounds.
 */
#ifndef MP_REFLSEEN_H
#define MP_REFLSEEN_H

#include <stdint.h>

#include "mp_stamp.h"

struct refl_seen {
	uint64_t replies;		/* valid replies counted below */
	uint64_t ssid_echoed;		/* carried our nonzero SSID */
	uint64_t ssid_zero;		/* bytes 14-15 zero (or absent): no RFC 8972 SSID */
	uint64_t stateful;		/* its sequence number differed from ours */
	uint64_t t2_eq_t3;		/* receive and transmit timestamps equal */
	uint64_t ptp;			/* Z bit set: T2/T3 in PTP format */
	uint64_t no_sender_ttl;		/* ended before the Sender TTL field */
	uint64_t sender_ttl_zero;	/* the field was there and said 0 */
	uint64_t trailer;		/* brought back bytes past the 44-byte base packet */
	uint64_t bytes_min;		/* STAMP payload length; 0 when replies == 0 */
	uint64_t bytes_max;
};

/*
 * Note one valid reply r of payload_len UDP payload bytes for our session
 * ssid. Branch-free: it runs for every reply.
 */
static inline void
refl_seen_add(struct refl_seen *f, const struct stamp_reply *r, uint32_t payload_len,
	      uint16_t ssid)
{
	uint64_t ttl_there = (r->have & STAMP_HAVE_SENDER_TTL) != 0;

	f->replies++;
	f->ssid_echoed += ssid != 0 && r->ssid == ssid;
	f->ssid_zero += r->ssid == 0 && ssid != 0;
	f->stateful += r->seq != r->sender_seq;
	f->t2_eq_t3 += (r->have & STAMP_HAVE_RX_TS) != 0 && r->ts == r->rx_ts;
	f->ptp += (r->errest & 0x4000) != 0;
	f->no_sender_ttl += ttl_there ^ 1;
	f->sender_ttl_zero += ttl_there & (r->sender_ttl == 0);
	f->trailer += payload_len > STAMP_UNAUTH_LEN;
	f->bytes_min = f->bytes_min == 0 || payload_len < f->bytes_min ? payload_len : f->bytes_min;
	f->bytes_max = payload_len > f->bytes_max ? payload_len : f->bytes_max;
}

/* dst += src. */
void refl_seen_merge(struct refl_seen *dst, const struct refl_seen *src);

/*
 * The receive path's cheap form. Most replies look like our own
 * reflector's: our SSID, the sequence number echoed, T2 != T3, NTP, every
 * field there with a nonzero Sender TTL, and the same length as the last
 * one. Those are only counted (one compare chain and an increment per
 * reply) and folded into a struct refl_seen before it is handed on;
 * anything else goes through refl_seen_add().
 */
struct refl_usual {
	uint64_t n;			/* usual replies since the last fold */
	uint32_t plen;			/* their payload length; 0 = none yet */
	uint16_t ssid;			/* our session's */
};

#define REFL_HAVE_ALL	0xffu		/* every STAMP_HAVE_* bit */

static inline int
refl_is_usual(const struct stamp_reply *r, uint16_t ssid)
{
	return (r->ssid == ssid) & (r->seq == r->sender_seq) & (r->ts != r->rx_ts) &
	       (r->have == REFL_HAVE_ALL) & (r->sender_ttl != 0) & ((r->errest & 0x4000) == 0);
}

/* f += the usual replies counted in u; u->n = 0. */
void refl_usual_fold(struct refl_seen *f, struct refl_usual *u);
void refl_seen_note_slow(struct refl_seen *f, struct refl_usual *u, const struct stamp_reply *r,
			 uint32_t payload_len);

/* The same as refl_seen_add(f, r, payload_len, u->ssid) once folded. */
static inline void
refl_seen_note(struct refl_seen *f, struct refl_usual *u, const struct stamp_reply *r,
	       uint32_t payload_len)
{
	if (__builtin_expect(payload_len == u->plen && refl_is_usual(r, u->ssid), 1)) {
		u->n++;
		return;
	}
	refl_seen_note_slow(f, u, r, payload_len);
}

#endif
