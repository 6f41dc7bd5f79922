/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A token bucket: the lab's rate limit (a known bottleneck for the
 * go-live throughput search), shared by the XDP impairment (impair.bpf.h,
 * under a spin lock: one bucket for every CPU) and its unit tests. Header
 * only, without includes or division on the per-packet path, so that a
 * BPF object compiles it as it is.
 *
 * The rate is in bits per second on the wire or in packets per second.
 * Bits count as mp_rate.h counts a rate: a frame that XDP sees as len
 * bytes (no FCS) takes (len + 4 FCS + 8 preamble + 12 gap) * 8 bits, so a
 * prober sending at R bps gets exactly through a limit of R bps.
 *
 * Tokens are kept in nano-units (a unit times 1e9: a bit or a packet), so
 * that the refill of dt ns is rate * dt, exact and without division. The
 * refill is capped at fill_ns (the time from empty to full), which with
 * the caps of mp_tbucket_config keeps every sum inside 64 bits.
 */
#ifndef MP_TBUCKET_H
#define MP_TBUCKET_H

#define MP_TB_NS_PER_S		1000000000ull
#define MP_TB_WIRE_EXTRA	24u	/* FCS, preamble and gap around XDP's bytes */
#define MP_TB_RATE_MAX		(1ull << 40)	/* 1.1 Tb/s or 1.1e12 pps */
#define MP_TB_BURST_MAX		(1ull << 32)	/* units: 4.3 Gbit, or packets */
#define MP_TB_FRAME_MAX		9018u	/* the largest frame (mp_pkt.h), with its FCS */

struct mp_tbucket_cfg {
	unsigned long long rate;	/* units per second; 0: no limit */
	unsigned long long burst_nu;	/* the bucket's depth, nano-units */
	unsigned long long fill_ns;	/* empty to full, rounded up */
	unsigned int per_bit;		/* 1: a unit is a wire bit; 0: a packet */
	unsigned int pad;
};

struct mp_tbucket {
	unsigned long long tokens_nu;
	unsigned long long last_ns;	/* 0: never used (the bucket starts full) */
};

/* Units one frame of len bytes (without FCS) costs. */
static inline __attribute__((always_inline)) unsigned long long
mp_tbucket_units(const struct mp_tbucket_cfg *c, unsigned long long len)
{
	return c->per_bit ? (len + MP_TB_WIRE_EXTRA) * 8ull : 1ull;
}

/*
 * Configure: rate units per second, a depth of burst units (0: the
 * default, 10 ms of the rate but at least 32 of the largest frames, the
 * prober's pacing burst). 0, or -1 when the rate or the depth is out of
 * range (rate 1..MP_TB_RATE_MAX; depth at most MP_TB_BURST_MAX and at least
 * one largest frame, else nothing would ever pass).
 */
static inline int
mp_tbucket_config(struct mp_tbucket_cfg *c, unsigned long long rate, unsigned int per_bit,
		  unsigned long long burst)
{
	unsigned long long frame = per_bit ? (MP_TB_FRAME_MAX + 20ull) * 8ull : 1ull;

	if (rate == 0 || rate > MP_TB_RATE_MAX)
		return -1;
	if (burst == 0) {
		burst = rate / 100;
		if (burst < 32 * frame)
			burst = 32 * frame;
		if (burst > MP_TB_BURST_MAX)
			burst = MP_TB_BURST_MAX;
	}
	if (burst < frame || burst > MP_TB_BURST_MAX)
		return -1;
	c->rate = rate;
	c->per_bit = per_bit ? 1 : 0;
	c->pad = 0;
	c->burst_nu = burst * MP_TB_NS_PER_S;
	c->fill_ns = (c->burst_nu + rate - 1) / rate;
	return 0;
}

/*
 * A frame of len bytes (without FCS) at now_ns: 1 when it fits the
 * bucket (its tokens taken), 0 when it is over the rate (dropped; the
 * bucket keeps its tokens). A clock going backwards refills nothing.
 */
static inline __attribute__((always_inline)) int
mp_tbucket_take(struct mp_tbucket *b, const struct mp_tbucket_cfg *c,
		unsigned long long now_ns, unsigned long long len)
{
	unsigned long long dt = now_ns > b->last_ns ? now_ns - b->last_ns : 0;
	unsigned long long cost = mp_tbucket_units(c, len) * MP_TB_NS_PER_S;

	if (b->last_ns == 0 || dt > c->fill_ns)
		dt = c->fill_ns;
	b->tokens_nu += c->rate * dt;
	if (b->tokens_nu > c->burst_nu)
		b->tokens_nu = c->burst_nu;
	if (now_ns > b->last_ns)
		b->last_ns = now_ns;
	if (b->tokens_nu < cost)
		return 0;
	b->tokens_nu -= cost;
	return 1;
}

#endif
