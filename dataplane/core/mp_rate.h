/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Probe rates and TSC pacing.
 *
 * Frame sizes count the Ethernet frame from destination MAC through FCS (the
 * usual "64-byte frame"). On the wire each frame also takes 8 bytes of
 * preamble and 12 of inter-frame gap: wire_bytes = frame_size + 20 (which is
 * the buffer length without FCS + 24). 10 Gb/s at 64-byte frames is
 * 14 880 952 pps.
 */
#ifndef MP_RATE_H
#define MP_RATE_H

#include <stdint.h>
#include <stddef.h>

#define WIRE_OVERHEAD_BYTES	20	/* preamble 8 + gap 12 (FCS is in frame_size) */
#define FCS_BYTES		4

enum rate_kind {
	RATE_PPS = 0,	/* value: milli-packets per second */
	RATE_BPS,	/* value: bits per second on the wire */
	RATE_PCT,	/* value: parts per million of the link speed */
	RATE_LINE,	/* value unused: 100% of the link speed */
};

struct rate {
	enum rate_kind kind;
	uint64_t value;
};

/*
 * Parse "1000pps", "2.5kpps", "1Mpps", "10Mbps", "9.5Gbps", "400kbps",
 * "12.5%", "line". Returns 0, or -EINVAL with err set to a short reason.
 */
int rate_parse(const char *s, struct rate *r, const char **err);
/* Print r back in the same syntax. */
int rate_format(const struct rate *r, char *buf, size_t len);
/*
 * Packets per second, times 1000, for frames of frame_size bytes on a link of
 * link_bps (needed for RATE_PCT and RATE_LINE; 0 = unknown -> returns 0).
 */
uint64_t rate_mpps_milli(const struct rate *r, uint32_t frame_size, uint64_t link_bps);
/* Wire bits of one frame. */
static inline uint64_t
wire_bits(uint32_t frame_size)
{
	return ((uint64_t)frame_size + WIRE_OVERHEAD_BYTES) * 8;
}

/*
 * TSC pacer: the deadline is kept in whole cycles plus a 16-bit fraction, so
 * any rate is held exactly on average and nothing overflows in years of
 * running. pacer_due() says how many packets are due now, at most max; after
 * a stall it catches up by at most `catchup` packets and skips the rest of
 * the backlog (counted in `skipped`), so a stall never turns into a burst at
 * line rate. No division on the per-burst path (only when a stall is caught).
 */
struct pacer {
	uint64_t next_tsc;	/* next deadline, whole cycles */
	uint32_t next_frac;	/* and its fraction, 1/65536 cycle */
	uint32_t period_frac;	/* period fraction, 1/65536 cycle */
	uint64_t period_tsc;	/* period, whole cycles (>= 1) */
	uint64_t catchup_tsc;	/* backlog allowed before skipping */
	uint64_t skipped;	/* packets never sent because of stalls */
	/* a whole burst due at once: one step, not PACER_BURST (0 = off) */
	uint64_t burst_q16;	/* PACER_BURST periods, 1/65536 cycle */
	uint64_t burst_span_tsc;	/* last of PACER_BURST deadlines is < first + this */
};

#define PACER_BURST	32

/* rate in milli-pps (> 0, period >= 1 cycle); hz = TSC frequency; start = first deadline. */
int pacer_init(struct pacer *p, uint64_t hz, uint64_t rate_mpps_milli,
	       uint64_t start_tsc, uint32_t catchup);
/* Skip n periods (stall recovery); exposed for tests. */
void pacer_skip(struct pacer *p, uint64_t n);

static inline void
pacer_advance(struct pacer *p)
{
	uint32_t f = p->next_frac + p->period_frac;

	p->next_tsc += p->period_tsc + (f >> 16);
	p->next_frac = f & 0xffff;
}

static inline uint32_t
pacer_due(struct pacer *p, uint64_t now_tsc, uint32_t max)
{
	uint32_t n = 0;

	if (now_tsc < p->next_tsc)
		return 0;
	if (now_tsc - p->next_tsc >= p->catchup_tsc) {
		/*
		 * Stall: count the deadlines due by now exactly, in 1/65536
		 * cycles, and skip all but `catchup` of them.
		 */
		uint64_t period_q16 = (p->period_tsc << 16) | p->period_frac;
		unsigned __int128 span_q16 =
			((unsigned __int128)(now_tsc - p->next_tsc + 1) << 16) -
			p->next_frac - 1;
		uint64_t due = (uint64_t)(span_q16 / period_q16) + 1;
		uint64_t keep = p->catchup_tsc / p->period_tsc;

		if (due > keep)
			pacer_skip(p, due - keep);
	}
	if (max == PACER_BURST && now_tsc - p->next_tsc >= p->burst_span_tsc &&
	    p->burst_q16 != 0) {
		uint32_t f = p->next_frac + (uint32_t)(p->burst_q16 & 0xffff);

		p->next_tsc += (p->burst_q16 >> 16) + (f >> 16);
		p->next_frac = f & 0xffff;
		return PACER_BURST;
	}
	while (n < max && p->next_tsc <= now_tsc) {
		pacer_advance(p);
		n++;
	}
	return n;
}

/* TSC of the next deadline. */
static inline uint64_t
pacer_next_tsc(const struct pacer *p)
{
	return p->next_tsc;
}

#endif
