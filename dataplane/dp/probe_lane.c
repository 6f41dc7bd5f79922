/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A lane's periodic work, not per packet (every HK_NS at most): start once
 * the next hop is known, retire probes whose loss timeout expired, hand the
 * interval's statistics to the main lcore, stop and close the books.
 */
#include <string.h>

#include <rte_memcpy.h>
#include <rte_ring.h>

#include "probe_tx.h"

#define SPIN_MAX_US	10000		/* the longest a low-rate lane polls for one burst */
#define OVERDUE_FLOOR_MS 50		/* a reply is overdue after 4x the p99 round trip, at least this */

/*
 * A new MAC of the next hop into this lane's templates. Lane 0 writes it on
 * another lcore: a copy that an update overlapped is not taken (the
 * templates keep the old MAC until the next burst).
 */
void
lane_next_hop_update(struct probe_lane *L)
{
	uint32_t k;

	if (!dp_nbr_try_read(L->c.nh, &L->s.nhv) || !L->s.nhv.resolved)
		return;
	for (k = 0; k < L->c.mix.n; k++)
		memcpy(L->c.tmpl[k] + L->c.off_dmac, L->s.nhv.mac, 6);
	L->s.dmac_gen = L->s.nhv.generation;
}

/*
 * The interval's outage gauges (mp_stats.h), once per interval, not per
 * packet: probes outstanding, and those sent longer ago than the expected
 * round trip (4x the recent p99, at least OVERDUE_FLOOR_MS, at most the
 * loss timeout). The newest retirement tick at least that old says below
 * which sequence number every probe was sent that long ago.
 */
static void
lane_gauges(struct probe_lane *L, uint64_t now)
{
	uint64_t hz = dp_tsc_hz, after_ns = 4 * L->s.rtt_p99_ns, after_tsc;
	uint32_t below = L->s.win.retired, k;

	if (L->c.cur->rtt.count > 0)
		L->s.rtt_p99_ns = hist_quantile(&L->c.cur->rtt, 0.99);
	if (L->c.cur->c.received + L->c.cur->c.late + L->c.cur->c.duplicates > 0)
		L->s.last_reply_tsc = now;
	if (after_ns < OVERDUE_FLOOR_MS * 1000000ull)
		after_ns = OVERDUE_FLOOR_MS * 1000000ull;
	if (after_ns > L->c.loss_timeout_ns)
		after_ns = L->c.loss_timeout_ns;
	after_tsc = (uint64_t)((unsigned __int128)after_ns * hz / 1000000000ull);
	for (k = L->s.tick_head; k != L->s.tick_tail; k--) {
		const struct tick *t = &L->c.ticks[(k - 1) % TICK_RING];

		if (t->tsc + after_tsc <= now) {
			below = t->seq;
			break;
		}
	}
	L->c.cur->outstanding = seqwin_outstanding(&L->s.win);
	L->c.cur->overdue = seqwin_outstanding_before(&L->s.win, below);
	L->c.cur->overdue_after_ns = after_ns;
	/* after the last send, replies are due only until one round trip later */
	if (!L->s.tx_on && L->s.started && L->s.tx_end_tsc + after_tsc < now)
		now = L->s.tx_end_tsc + after_tsc;
	L->c.cur->no_reply_ns = L->s.started && now > L->s.last_reply_tsc ?
			      (uint64_t)((unsigned __int128)(now - L->s.last_reply_tsc) *
					 1000000000ull / hz) : 0;
}

/*
 * Low-rate mode: the replies of a burst are due from the interval's
 * smallest round trip on, within its spread (and a margin).
 */
static void
lane_reply_window(struct probe_lane *L)
{
	if (L->c.cur->rtt.count > 0) {
		uint64_t hz = dp_tsc_hz;
		uint64_t spread = (L->c.cur->rtt.max_ns - L->c.cur->rtt.min_ns) * hz / 1000000000ull;

		L->s.rtt_min_tsc = L->c.cur->rtt.min_ns * hz / 1000000000ull;
		spread += spread / 4 + EXPECT_EARLY_US * hz / 1000000;
		if (spread < L->c.spin_tsc)
			spread = L->c.spin_tsc;
		if (spread > SPIN_MAX_US * hz / 1000000)
			spread = SPIN_MAX_US * hz / 1000000;
		L->s.spin_win_tsc = spread;
	}
}

/* Hand the interval's statistics to the main lcore and start a new interval. */
static void
lane_snapshot(struct probe_lane *L, uint64_t now, bool final)
{
	struct dp_snap *s = NULL;
	const struct dp_nbr_view *nh = L->c.nh != NULL ? &L->s.nhv : NULL;

	if (rte_ring_sc_dequeue(L->c.snap_free, (void **)&s) != 0) {
		/* Main lcore is behind: keep accumulating; the next record covers both. */
		if (!final)
			return;
		while (rte_ring_sc_dequeue(L->c.snap_free, (void **)&s) != 0 && !dp_force_quit)
			rte_pause();
		if (dp_force_quit && s == NULL)
			return;
	}
	if (L->s.pacer.skipped != L->s.pacer_skipped_seen) {
		L->c.cur->c.tx_skipped += L->s.pacer.skipped - L->s.pacer_skipped_seen;
		L->s.pacer_skipped_seen = L->s.pacer.skipped;
	}
	lane_reply_window(L);
	lane_gauges(L, now);
	L->c.cur->end_unix_ns = tsc_unix_ns(now);
	/* device stamps for every frame of the interval, or it says tsc */
	L->c.cur->clock = L->s.iv_hw != 0 && L->s.iv_sw == 0 ? MP_CLOCK_HW_RX : MP_CLOCK_TSC;
	/*
	 * The clock's error as the probes' Error Estimate states it (kernel
	 * clock and TSC anchor); with device stamps plus the calibration's
	 * spread (how far its minima scatter about the line).
	 */
	L->c.cur->clock_error_ns = dp_clock_error_ns +
				 (L->s.iv_hw != 0 ? (uint64_t)tscal_spread_ns(L->c.cal) : 0);
	L->s.rx_hw_stamped += L->s.iv_hw;
	L->s.rx_sw_stamped += L->s.iv_sw;
	L->s.iv_hw = L->s.iv_sw = 0;
	L->c.cur->jitter_ns = jitter_ns(&L->s.jit);
	L->c.cur->seq = L->s.interval_seq++;
	L->c.cur->pacer_rate_mpps = L->c.rate_mpps;
	refl_usual_fold(&L->c.cur->refl, &L->s.refl_usual);
	rte_memcpy(&s->li, L->c.cur, sizeof(s->li));
	if (nh != NULL && dp_nbr_changed(L->c.nh, nh))
		lane_next_hop_update(L);
	s->nh_resolved = nh != NULL && nh->resolved;
	if (nh != NULL)
		memcpy(s->nh_mac, nh->mac, 6);
	s->nh_generation = nh != NULL ? nh->generation : 0;
	s->icmp_seen = L->s.icmp_seen;
	s->icmp_err = L->s.icmp_err;
	s->icmp_src = L->s.icmp_src;
	L->s.icmp_seen = false;
	s->final = final;
	rte_ring_sp_enqueue(L->c.snap_full, s);
	link_interval_reset(L->c.cur);
	L->c.cur->start_unix_ns = L->c.cur->end_unix_ns = tsc_unix_ns(now);
}

/* Retire probes whose loss timeout has expired. */
static void
lane_retire(struct probe_lane *L, uint64_t now)
{
	while (L->s.tick_tail != L->s.tick_head) {
		struct tick *t = &L->c.ticks[L->s.tick_tail % TICK_RING];

		if (t->tsc + L->c.timeout_tsc > now)
			break;
		L->c.cur->c.lost += seqwin_retire(&L->s.win, t->seq);
		L->s.tick_tail++;
	}
}

/*
 * Start once the next hop is known, or after NH_WAIT_MS regardless. The
 * links (and lanes) are staggered over one period (start_offset_tsc):
 * probes of both links at the same instant would meet in every shared queue
 * and CPU on the way and skew each other's timing.
 */
static void
lane_start(struct probe_lane *L, uint64_t now)
{
	if (!lane_next_hop_ready(L) && now - L->s.tx_start_tsc <= NH_WAIT_MS * dp_tsc_hz / 1000)
		return;
	L->s.started = true;
	L->s.tx_on = true;
	L->s.tx_start_tsc = now;
	L->s.tx_end_tsc = L->c.duration_tsc ? now + L->c.duration_tsc : UINT64_MAX;
	L->s.pacer.next_tsc = now + L->c.start_offset_tsc;
	L->s.pacer.next_frac = 0;
	L->s.start_ntp = tsc_clock_ntp(&dp_clock, now);
	L->s.last_reply_tsc = now;
}

/* The first of the lane's timed events: snapshot, retirement, end, neighbour poll. */
static uint64_t
lane_next_event(const struct probe_lane *L)
{
	uint64_t next = L->s.next_snap_tsc;

	if (L->s.tick_tail != L->s.tick_head) {
		uint64_t r = L->c.ticks[L->s.tick_tail % TICK_RING].tsc + L->c.timeout_tsc;

		if (r < next)
			next = r;
	}
	if (!L->s.tx_on && L->s.tx_end_tsc + L->c.timeout_tsc < next)
		next = L->s.tx_end_tsc + L->c.timeout_tsc;
	if (L->s.next_nbr_tsc < next)
		next = L->s.next_nbr_tsc;
	if (L->c.path != NULL && probe_path_next(L) < next)
		next = probe_path_next(L);
	return next;
}

/* Before the worker's first iteration: the next-hop wait and the first interval start now. */
void
lane_start_clock(struct probe_lane *L, uint64_t now)
{
	L->s.tx_start_tsc = now;	/* start of the next-hop wait */
	L->s.next_snap_tsc = now + L->c.interval_tsc;
	L->s.next_nbr_tsc = now;
	L->c.cur->start_unix_ns = tsc_unix_ns(now);
}

/* Periodic work: not per packet. Returns the TSC of this lane's next event. */
uint64_t
lane_housekeeping(struct probe_lane *L, uint64_t now)
{
	if (now >= L->s.next_nbr_tsc && L->c.queue == 0) {
		dp_nbr_poll(L->c.port, L->c.queue, now);
		L->s.next_nbr_tsc = now + dp_tsc_hz / 100;
	}
	if (!L->s.started) {
		lane_start(L, now);
		return now + dp_tsc_hz / 1000;
	}
	if (L->s.tx_on && (now >= L->s.tx_end_tsc || dp_force_quit)) {
		L->s.tx_on = false;
		L->s.tx_end_tsc = now;
	}
	lane_retire(L, now);
	if (L->c.path != NULL)
		probe_path_poll(L, now);
	if (!L->s.tx_on && now >= L->s.tx_end_tsc + L->c.timeout_tsc) {
		/* Everything sent has had its loss timeout: close the books. */
		L->c.cur->c.lost += seqwin_retire(&L->s.win, L->s.next_seq);
		lane_snapshot(L, now, true);
		L->s.done = true;
		return UINT64_MAX;
	}
	if (now >= L->s.next_snap_tsc) {
		lane_snapshot(L, now, false);
		L->s.next_snap_tsc += L->c.interval_tsc;
		if (L->s.next_snap_tsc <= now)
			L->s.next_snap_tsc = now + L->c.interval_tsc;
	}
	return lane_next_event(L);
}
