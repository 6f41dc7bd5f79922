/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The prober's send path: pace, stamp and send a burst of probes. Inline
 * on purpose: the worker loop (probe_worker.c), its only caller, takes it
 * whole, as it takes the receive path (probe_rx.h).
 *
 * A probe is its lane's template with the sequence number, t1 and the UDP
 * checksum patched in. A buffer keeps the template it was given while it
 * goes round the lane's TX pool (tagged in dp_tmpl_tag_off with the
 * template and the next hop's MAC generation), so a probe is written whole
 * only the first time its buffer is used.
 */
#ifndef MP_DP_PROBE_TX_H
#define MP_DP_PROBE_TX_H

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_memcpy.h>

#include "probe.h"

/* Keep the templates' destination MAC on the next hop's current MAC. */
static __rte_always_inline bool
lane_next_hop_ready(struct probe_lane *L)
{
	if (unlikely(L->c.nh == NULL))
		return false;
	if (unlikely(dp_nbr_changed(L->c.nh, &L->s.nhv)))
		lane_next_hop_update(L);
	return L->s.nhv.resolved;
}

/* A template into an mbuf: fixed-size moves for short probes, no length dispatch per byte. */
static __rte_always_inline void
tmpl_copy(uint8_t *d, const uint8_t *t, uint16_t len)
{
	if (len <= 64) {
		rte_mov64(d, t);
	} else if (len <= 96) {
		rte_mov64(d, t);
		rte_mov32(d + 64, t + 64);
	} else if (len <= 128) {
		rte_mov128(d, t);
	} else {
		rte_memcpy(d, t, len);
	}
}

/* One frame size: every probe of the burst from template 0, sequence numbers in. */
static __rte_always_inline void
lane_tx_fill_one(struct probe_lane *L, struct rte_mbuf **m, uint8_t **dp, uint32_t n, uint32_t seq)
{
	const uint8_t *t = L->c.tmpl[0];
	const uint16_t len = L->c.tmpl_len[0], off_seq = L->c.off_seq;
	const uint32_t tag = L->c.tag_base + (L->s.dmac_gen << 16);
	uint32_t i;

	for (i = 0; i < n; i++) {
		uint8_t *d = rte_pktmbuf_mtod(m[i], uint8_t *);
		uint32_t seq_be = rte_cpu_to_be_32(seq + i);
		uint32_t *mt = RTE_MBUF_DYNFIELD(m[i], dp_tmpl_tag_off, uint32_t *);

		dp[i] = d;
		/* the buffer still holds this template (same next-hop MAC): keep it */
		if (unlikely(*mt != tag)) {
			tmpl_copy(d, t, len);
			*mt = tag;
		}
		m[i]->data_len = len;
		m[i]->pkt_len = len;
		memcpy(d + off_seq, &seq_be, 4);
	}
}

/* A mix: each probe from the template its place in the size schedule says. */
static __rte_always_inline void
lane_tx_fill_mix(struct probe_lane *L, struct rte_mbuf **m, uint8_t **dp, uint8_t *which,
		 uint32_t n, uint32_t seq)
{
	uint32_t i, pos = L->s.sched_pos;

	for (i = 0; i < n; i++) {
		uint8_t *d = rte_pktmbuf_mtod(m[i], uint8_t *);
		uint32_t seq_be = rte_cpu_to_be_32(seq + i);
		uint8_t t = L->c.sched[pos];

		if (++pos == L->c.sched_len)
			pos = 0;
		which[i] = t;
		dp[i] = d;
		/* a mix reuses buffers for other sizes: always written whole */
		*RTE_MBUF_DYNFIELD(m[i], dp_tmpl_tag_off, uint32_t *) = 0;
		tmpl_copy(d, L->c.tmpl[t], L->c.tmpl_len[t]);
		m[i]->data_len = L->c.tmpl_len[t];
		m[i]->pkt_len = L->c.tmpl_len[t];
		memcpy(d + L->c.off_seq, &seq_be, 4);
	}
	L->s.sched_pos = pos;
}

/* t1 and the checksum into every probe: one timestamp per burst, right before it leaves. */
static __rte_always_inline uint64_t
lane_tx_stamp(struct probe_lane *L, uint8_t **dp, const uint8_t *which, uint32_t n, uint32_t seq,
	      bool one)
{
	const uint16_t off_ts = L->c.off_ts, off_csum = L->c.off_csum;
	uint64_t t1_tsc = rte_rdtsc(), ts_be;
	const uint16_t *tw = (const uint16_t *)&ts_be;
	uint32_t i, ts_sum;

	ts_be = rte_cpu_to_be_64(tsc_clock_ntp(&dp_clock, t1_tsc));
	/* the timestamp's share of the checksum is the same for the burst */
	ts_sum = (uint32_t)tw[0] + tw[1] + tw[2] + tw[3];
	for (i = 0; i < n; i++) {
		uint32_t seq_be = rte_cpu_to_be_32(seq + i);
		uint16_t csum = csum_patch(L->c.tmpl_csum[one ? 0 : which[i]],
					   ts_sum + (seq_be & 0xffff) + (seq_be >> 16));

		memcpy(dp[i] + off_ts, &ts_be, 8);
		memcpy(dp[i] + off_csum, &csum, 2);
	}
	return t1_tsc;
}

/* Wire bytes of the sent probes; unsent ones give back their place in the size schedule. */
static __rte_always_inline uint64_t
lane_tx_wire(struct probe_lane *L, const uint8_t *which, uint32_t n, uint32_t sent, bool one)
{
	uint64_t wire = 0;
	uint32_t i, pos;

	if (likely(one))
		return (uint64_t)sent * L->c.tmpl_wire[0];
	for (i = 0; i < sent; i++)
		wire += L->c.tmpl_wire[which[i]];
	pos = L->s.sched_pos;
	for (i = sent; i < n; i++)
		pos = pos == 0 ? L->c.sched_len - 1 : pos - 1;
	L->s.sched_pos = pos;
	return wire;
}

/*
 * After a burst left at t1: the gap since the last, the window in which its
 * replies are due (low-rate mode), probes the pacer skipped after a stall
 * (counted, not lost track of), and a retirement tick.
 */
static __rte_always_inline void
lane_tx_note(struct probe_lane *L, struct link_counters *c, uint64_t t1_tsc)
{
	if (likely(L->s.bursts++ != 0))
		hist_add(L->c.tx_gap, tsc_clock_ns(&dp_clock, t1_tsc - L->s.last_tx_tsc));
	L->s.last_tx_tsc = t1_tsc;
	if (!L->c.busy) {
		uint64_t early = EXPECT_EARLY_US * dp_tsc_hz / 1000000;
		uint64_t at = L->s.rtt_min_tsc > early ? t1_tsc + L->s.rtt_min_tsc - early : t1_tsc;

		if (L->s.expect_head - L->s.expect_tail == EXPECT_RING)
			L->s.expect_tail++;	/* the oldest window gives way */
		L->s.expect[L->s.expect_head++ % EXPECT_RING] = at;
	}
	if (unlikely(L->s.pacer.skipped != L->s.pacer_skipped_seen)) {
		c->tx_skipped += L->s.pacer.skipped - L->s.pacer_skipped_seen;
		L->s.pacer_skipped_seen = L->s.pacer.skipped;
	}
	if (t1_tsc >= L->s.next_tick_tsc && L->s.tick_head - L->s.tick_tail < TICK_RING) {
		L->c.ticks[L->s.tick_head % TICK_RING] = (struct tick){ t1_tsc, L->s.next_seq };
		L->s.tick_head++;
		L->s.next_tick_tsc = t1_tsc + L->c.tick_tsc;
	}
}

/* Stamp and send n probes. */
static __rte_always_inline void
lane_tx(struct probe_lane *L, uint32_t n)
{
	struct rte_mbuf *m[DP_BURST];
	struct link_counters *c = &L->c.cur->c;
	uint32_t sent = 0, seq = L->s.next_seq, tries = 0;
	uint8_t which[DP_BURST], *dp[DP_BURST];
	bool one = L->c.mix.n == 1;
	uint64_t t1_tsc, wire;

	if (rte_pktmbuf_alloc_bulk(L->c.tx_pool, m, n) != 0) {
		c->tx_failed += n;
		return;
	}
	if (likely(one))
		lane_tx_fill_one(L, m, dp, n, seq);
	else
		lane_tx_fill_mix(L, m, dp, which, n, seq);
	t1_tsc = lane_tx_stamp(L, dp, which, n, seq, one);
	do {
		sent += rte_eth_tx_burst(L->c.port_id, L->c.queue, m + sent, (uint16_t)(n - sent));
	} while (sent < n && ++tries <= DP_TX_RETRIES);
	if (unlikely(sent < n))
		rte_pktmbuf_free_bulk(m + sent, n - sent);
	wire = lane_tx_wire(L, which, n, sent, one);
	/* Unsent probes keep their sequence numbers for the next burst. */
	c->lost += seqwin_on_send_burst(&L->s.win, seq, sent);
	L->s.next_seq = seq + sent;
	L->s.sent_total += sent;
	c->sent += sent;
	c->tx_wire_bytes += wire;
	c->tx_failed += n - sent;
	lane_tx_note(L, c, t1_tsc);
}

#endif
