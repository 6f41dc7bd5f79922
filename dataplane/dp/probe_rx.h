/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The prober's receive path: a burst of replies, each matched to this lane
 * by the fast match (mp_fastrx.h), timed, classified into exactly one
 * outcome and added to the interval's statistics. Inline on purpose, like
 * the send path (probe_tx.h): the worker loop is its only caller. Frames
 * the fast match does not take go to lane_rx_slow() (probe_rx.c).
 */
#ifndef MP_DP_PROBE_RX_H
#define MP_DP_PROBE_RX_H

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_prefetch.h>
#include <rte_ring.h>

#include "mp_stamp.h"
#include "probe.h"

/* NTP units (2^-32 s) to ns. */
static __rte_always_inline uint64_t
ntp_units_ns(uint64_t u)
{
	return (uint64_t)(((unsigned __int128)u * MP_NS_PER_S) >> 32);
}

/* --rtt-samples: the burst's round trips, for exact quantiles (benchmarks). */
static __rte_noinline void
lane_samples_add(struct probe_lane *L)
{
	uint32_t i;

	for (i = 0; i < L->s.b_n && L->s.n_samples < RTT_SAMPLES_MAX; i++)
		L->c.samples[L->s.n_samples++] = L->s.b_rtt[i] > UINT32_MAX ? UINT32_MAX :
						 (uint32_t)L->s.b_rtt[i];
}

/* Add the burst's round trips, residences and TTLs to the interval, in order. */
static __rte_always_inline void
lane_flush(struct probe_lane *L)
{
	if (L->s.b_n != 0) {
		hist_add_burst(&L->c.cur->rtt, L->s.b_rtt, L->s.b_n);
		jitter_add_burst(&L->s.jit, L->s.b_rtt, L->s.b_n);
		if (unlikely(L->c.samples != NULL))
			lane_samples_add(L);
		L->s.b_n = 0;
	}
	if (L->s.b_nres != 0) {
		minmax_add_burst(&L->c.cur->residence_ns, L->s.b_res, L->s.b_nres);
		L->s.b_nres = 0;
	}
	if (L->s.b_nttl != 0) {
		minmax_add_burst(&L->c.cur->fwd_ttl, L->s.b_ttl, L->s.b_nttl);
		L->s.b_nttl = 0;
	}
}

/* A reply lane_rx() counted as device-timed falls back to its software stamp. */
static __rte_always_inline void
lane_refuse_hw(struct probe_lane *L)
{
	L->s.hw_ts_refused++;
	L->s.iv_hw--;
	L->s.iv_sw++;
}

static __rte_always_inline bool
ssid_of_other(const struct probe_lane *L, uint16_t ssid)
{
	int i;

	for (i = 0; i < L->c.n_other; i++)
		if (L->c.other_ssid[i] == ssid)
			return true;
	return false;
}

/*
 * The reflector's residence t3 - t2, in its own format, out of *raw_ntp
 * (t4 - t1): NTP stamps subtract as they are (one conversion for the whole
 * round trip); PTP (Z set) ones are converted first. A device stamp that
 * makes the round trip shorter than the residence is a calibration error,
 * not the reply's: the software stamp is used instead.
 */
static __rte_always_inline enum mp_reason
lane_residence(struct probe_lane *L, const struct stamp_reply *r, uint64_t *t4_ntp,
	       uint64_t t4_sw_ntp, uint64_t *raw_ntp, uint64_t *res_ns)
{
	uint64_t res_ntp;

	if (likely(!(r->errest & 0x4000))) {
		res_ntp = r->ts - r->rx_ts;
	} else {
		uint64_t t2 = stamp_ts_to_unix_ns(r->rx_ts, true);
		uint64_t t3 = stamp_ts_to_unix_ns(r->ts, true);

		res_ntp = t3 >= t2 && t3 - t2 < (UINT64_C(1) << 32) ?
			  ((t3 - t2) << 32) / MP_NS_PER_S : UINT64_MAX;
	}
	if (unlikely(res_ntp > *raw_ntp && *t4_ntp != t4_sw_ntp &&
		     res_ntp <= t4_sw_ntp - r->sender_ts)) {
		lane_refuse_hw(L);
		*t4_ntp = t4_sw_ntp;
		*raw_ntp = *t4_ntp - r->sender_ts;
	}
	if (unlikely((int64_t)res_ntp < 0 || res_ntp > *raw_ntp))
		return MP_R_BAD_TIMESTAMP;
	*res_ns = ntp_units_ns(res_ntp);
	*raw_ntp -= res_ntp;
	return MP_OK;
}

/* A reply in order (or reordered): its samples join the burst's, added in lane_flush(). */
static __rte_always_inline void
lane_received(struct probe_lane *L, const struct stamp_reply *r, uint64_t rtt_ns, uint64_t res_ns)
{
	if (unlikely(L->s.b_n == DP_BURST))
		lane_flush(L);
	L->s.b_rtt[L->s.b_n++] = rtt_ns;
	if (r->have & STAMP_HAVE_RX_TS)
		L->s.b_res[L->s.b_nres++] = res_ns;
	if ((r->have & STAMP_HAVE_SENDER_TTL) && r->sender_ttl != 0)
		L->s.b_ttl[L->s.b_nttl++] = r->sender_ttl;
}

/*
 * Account one reply: round trip, residence, sequence. The frame was
 * matched to this lane; *r holds its STAMP fields.
 */
static __rte_always_inline enum mp_reason
lane_account(struct probe_lane *L, const struct stamp_reply *r, uint32_t plen, uint64_t t4_ntp,
	     uint64_t t4_sw_ntp)
{
	struct link_counters *c = &L->c.cur->c;
	uint64_t raw_ntp, res_ns = 0;
	enum seq_outcome seq;

	/*
	 * A zero SSID is a reflector without RFC 8972 (bytes 14-15 are MBZ in
	 * RFC 8762): the frame already matched this lane's addresses and ports,
	 * and the echoed sequence number and T1 are checked below.
	 */
	if (unlikely(r->ssid != L->c.cfg.ssid) &&
	    stamp_reply_ssid_match(r, L->c.cfg.ssid) == STAMP_SSID_OTHER) {
		if (ssid_of_other(L, r->ssid)) {
			c->other_link++;
			return MP_OK;
		}
		return MP_R_UNKNOWN_SSID;
	}
	/* t1 must be one of ours: not before the run, not from the future. */
	raw_ntp = t4_ntp - r->sender_ts;
	if (unlikely((int64_t)raw_ntp < 0 && t4_ntp != t4_sw_ntp)) {
		/* a device stamp mapped before t1: calibration error, not the reply's */
		lane_refuse_hw(L);
		t4_ntp = t4_sw_ntp;
		raw_ntp = t4_ntp - r->sender_ts;
	}
	if (unlikely(r->sender_ts < L->s.start_ntp || (int64_t)raw_ntp < 0 ||
		     raw_ntp > 2 * L->c.timeout_ntp + ((uint64_t)60 << 32)))
		return MP_R_BAD_TIMESTAMP;
	if (likely(r->have & STAMP_HAVE_RX_TS) &&
	    unlikely(lane_residence(L, r, &t4_ntp, t4_sw_ntp, &raw_ntp, &res_ns) != MP_OK))
		return MP_R_BAD_TIMESTAMP;
	/* a stateful reflector's own number is r->seq; ours comes back as sender_seq */
	seq = seqwin_on_reply(&L->s.win, r->sender_seq);
	if (likely(seq != SEQ_UNKNOWN))
		refl_seen_note(&L->c.cur->refl, &L->s.refl_usual, r, plen);
	switch (seq) {
	case SEQ_REORDERED:
		c->reordered++;
		/* fall through */
	case SEQ_IN_ORDER:
		c->received++;
		lane_received(L, r, ntp_units_ns(raw_ntp), res_ns);
		return MP_OK;
	case SEQ_DUPLICATE:
		c->duplicates++;
		return MP_OK;
	case SEQ_LATE:
		c->late++;
		return MP_OK;
	default:
		return MP_R_UNKNOWN_SEQ;
	}
}

/* The NIC checked the checksums and found them good. */
static __rte_always_inline bool
rx_csum_good(const struct rte_mbuf *m, int family)
{
	uint64_t f = m->ol_flags;

	return (f & RTE_MBUF_F_RX_L4_CKSUM_MASK) == RTE_MBUF_F_RX_L4_CKSUM_GOOD &&
	       (family == 6 || (f & RTE_MBUF_F_RX_IP_CKSUM_MASK) == RTE_MBUF_F_RX_IP_CKSUM_GOOD);
}

/*
 * Classify one received frame into exactly one counter. Our own replies
 * take the fast match; anything else the generic parser. Returns true
 * when the frame was handed over rather than left to the caller to free.
 */
static __rte_always_inline bool
lane_rx_one(struct probe_lane *L, struct rte_mbuf *m, uint64_t t4_tsc, uint64_t t4_ntp,
	    uint64_t t4_sw_ntp, bool redirected)
{
	const uint8_t *d = rte_pktmbuf_mtod(m, const uint8_t *);
	struct stamp_reply r;
	enum mp_reason why;

	if (likely(rx_match_reply(&L->c.rxm, d, rte_pktmbuf_data_len(m),
				  L->c.rx_csum_offload && rx_csum_good(m, L->c.rxm.family), &r))) {
		/* the match checked the UDP length against the frame */
		why = lane_account(L, &r, (uint32_t)stamp_get16(d + L->c.rxm.l4_off + 4) - PKT_UDP_HLEN,
				   t4_ntp, t4_sw_ntp);
		if (unlikely(why != MP_OK))
			L->c.cur->c.invalid[why]++;
		return false;
	}
	return lane_rx_slow(L, m, t4_tsc, t4_ntp, t4_sw_ntp, redirected);
}

/* The device's receive time of m, in ns of its own clock, or 0 without one. */
static __rte_always_inline uint64_t
rx_dev_ns(const struct probe_lane *L, const struct rte_mbuf *m)
{
	if (!(m->ol_flags & probe_rx_ts_flag))
		return 0;
	return *RTE_MBUF_DYNFIELD(m, probe_rx_ts_off, const uint64_t *) * L->c.hw_ts_unit_ns;
}

/* t4 of one frame: the device's stamp mapped onto the TSC where it has one, else the burst's. */
static __rte_always_inline uint64_t
lane_rx_t4(struct probe_lane *L, const struct rte_mbuf *m, uint64_t t4, uint64_t t4_ntp)
{
	uint64_t dev = rx_dev_ns(L, m);
	uint64_t t = dev != 0 ? tscal_rx_tsc(L->c.cal, dev, t4) : t4;

	/* tscal_rx_tsc() gives t4 itself when it cannot map the stamp */
	if (t != t4) {
		L->s.iv_hw++;
		return tsc_clock_ntp(&dp_clock, t);
	}
	L->s.iv_sw++;
	return t4_ntp;
}

static __rte_always_inline uint16_t
lane_rx(struct probe_lane *L)
{
	struct rte_mbuf *m[DP_BURST], *done[DP_BURST];
	uint16_t n, i, nd = 0;
	uint64_t t4, t4_ntp;

	n = rte_eth_rx_burst(L->c.port_id, L->c.queue, m, DP_BURST);
	if (n == 0)
		return 0;
	/* One receive timestamp per burst, right after it arrived. */
	t4 = rte_rdtsc();
	dp_tmpl_tag_clear(m, n);
	t4_ntp = tsc_clock_ntp(&dp_clock, t4);
	L->s.rx_total += n;
	L->c.cur->c.rx_frames += n;
	if (unlikely(L->c.hw_ts)) {
		uint64_t dev = rx_dev_ns(L, m[n - 1]);

		/* the burst's last frame was stamped last: the tightest pair */
		if (dev != 0)
			tscal_sample(L->c.cal, dev, t4);
	}
	for (i = 0; i < n; i++) {
		uint64_t at = t4_ntp;

		if (i + 2 < n)
			rte_prefetch0(rte_pktmbuf_mtod(m[i + 2], void *));
		if (unlikely(L->c.hw_ts))
			at = lane_rx_t4(L, m[i], t4, t4_ntp);
		if (!lane_rx_one(L, m[i], t4, at, t4_ntp, false))
			done[nd++] = m[i];
	}
	lane_flush(L);
	rte_pktmbuf_free_bulk(done, nd);
	return n;
}

/* Replies that other lanes of the link received for this one. */
static __rte_always_inline uint16_t
lane_rx_redirected(struct probe_lane *L)
{
	struct rte_mbuf *m[DP_BURST];
	unsigned n, i;

	n = rte_ring_sc_dequeue_burst(L->c.redirect, (void **)m, DP_BURST, NULL);
	L->s.redirected_in += n;
	/* they carry the receiving lane's software stamp, not the device's */
	if (L->c.hw_ts)
		L->s.iv_sw += n;
	for (i = 0; i < n; i++) {
		uint64_t t4 = *RTE_MBUF_DYNFIELD(m[i], probe_t4_off, uint64_t *);
		uint64_t t4_ntp = tsc_clock_ntp(&dp_clock, t4);

		if (!lane_rx_one(L, m[i], t4, t4_ntp, t4_ntp, true))
			rte_pktmbuf_free(m[i]);
	}
	lane_flush(L);
	return (uint16_t)n;
}

#endif
