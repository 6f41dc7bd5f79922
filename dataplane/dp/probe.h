/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The prober's internals, shared by its files:
 *   probe.c         the engine: set up, launch the workers, report, end
 *   probe_setup.c   a lane's templates, pacing constants and buffers
 *   probe_tx.h      the send path (inline: the worker loop takes it whole)
 *   probe_rx.h      the receive path, the same; probe_rx.c its slow path
 *   probe_lane.c    a lane's periodic work: retire, snapshot, start and stop
 *   probe_worker.c  the worker loop and its sleep policy
 *   probe_report.c  the main lcore: hello, interval records, events
 *   probe_end.c     the end record
 *   probe_bench.c   what only the benchmarks use
 *   probe_path.c    path probes (--path-interval-ms): TTL-limited, off the fast path
 *
 * A lane is one queue pair of a link, owned by one worker lcore: its
 * configuration (struct probe_lane_conf) is written before launch and only
 * read after, its state (struct probe_lane_state) is written by its lcore
 * only and starts on a cache line of its own.
 */
#ifndef MP_DP_PROBE_H
#define MP_DP_PROBE_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_lcore.h>

#include "mp_tscal.h"
#include "mp_fastrx.h"
#include "mp_path.h"
#include "dp.h"
#include "report.h"

#define TICK_RING	4096		/* retirement ticks kept per lane */
#define BUSY_PERIOD_US	200		/* below this probe period, never sleep */
#define NH_WAIT_MS	3000		/* wait this long for ARP/ND before starting */
#define EXPECT_RING	64		/* bursts whose replies the low-rate mode waits for */
#define EXPECT_EARLY_US	50		/* start polling this long before a reply is due */
#define RTT_SAMPLES_MAX	1000000		/* --rtt-samples: kept per lane */

_Static_assert(DP_BURST == PACER_BURST, "a full TX burst is one pacer step");

struct tick {
	uint64_t tsc;
	uint32_t seq;			/* every seq below was sent at or before tsc */
};

struct probe_lane;

/* Set up before launch, read-only after. The send path's fields first. */
struct probe_lane_conf {
	struct rte_mempool *tx_pool;	/* this lane's own (see tag_base) */
	uint16_t port_id;
	uint16_t queue;			/* this lane's queue pair */
	uint32_t tag_base;		/* tags of this lane's templates: tag_base + template */
	/* one probe template per frame size of the mix, seq and ts zero */
	uint8_t *tmpl[MIX_MAX_SIZES];
	uint16_t tmpl_len[MIX_MAX_SIZES];
	uint16_t tmpl_csum[MIX_MAX_SIZES];	/* UDP checksum field, as stored */
	uint32_t tmpl_wire[MIX_MAX_SIZES];	/* frame + 20 bytes on the wire */
	uint16_t off_seq, off_ts, off_csum, off_dmac;	/* the same in every template */
	bool busy;			/* on a worker that never sleeps */
	uint32_t sched_len;
	struct link_interval *cur;	/* this interval's statistics (written by the lane) */
	struct tick *ticks;		/* TICK_RING (written by the lane) */
	struct hist *tx_gap;		/* gaps between bursts, ns (written by the lane) */
	uint64_t tick_tsc;
	uint64_t period_tsc;
	uint64_t batch_wait_tsc;	/* let this much backlog build before a burst */
	struct frame_mix mix;		/* effective mix */
	/* the receive path's */
	struct rx_match rxm;		/* what this lane's replies look like */
	bool rx_csum_offload;		/* the port's: the NIC checks IPv4 and UDP checksums */
	bool hw_ts;			/* look for device RX timestamps (mapped by cal) */
	uint32_t hw_ts_unit_ns;		/* ns per device unit */
	struct tscal *cal;		/* (written by the lane) */
	uint64_t timeout_ntp;
	uint32_t *samples;		/* --rtt-samples: every round trip, ns (written by the lane) */
	struct rte_ring *redirect;	/* replies for this lane that other lanes received */
	uint16_t nq;			/* lanes of the link: queues x streams */
	uint16_t sport;			/* this lane's UDP source port: source_port + queue */
	int n_other;
	uint16_t other_ssid[DP_MAX_LINKS * MP_MAX_STREAMS];	/* the other links' SSIDs */
	struct probe_lane *lane[DP_MAX_QUEUES];	/* the link's lanes, for redirects */
	/* the rest: periodic work, set-up, reports */
	/*
	 * The link's spec with this lane's stream applied (rate, mix, DSCP,
	 * outer PCP, SSID): a stream is a set of lanes (its queues) of the link,
	 * queue q of stream s being lane s * queues + q.
	 */
	struct probe_link_cfg cfg;
	uint16_t stream;		/* index among the link's streams (0 without streams) */
	uint16_t stream_queue;		/* this lane's queue within its stream */
	uint16_t stream_lanes;		/* lanes per stream: the link's queues */
	uint32_t index;			/* link index */
	struct dp_port *port;		/* shared by the link's lanes; ARP/ND: lane 0 */
	const struct dp_nbr *nh;	/* the next hop's entry (written by lane 0, seqlock) */
	uint8_t sched[MIX_MAX_SCHED];	/* template of each probe, smooth WRR */
	uint32_t frame_size;		/* effective largest (raised to the STAMP minimum) */
	uint64_t rate_mpps;		/* milli-pps */
	uint64_t timeout_tsc;
	uint64_t interval_tsc;
	uint64_t duration_tsc;		/* 0 = until stopped */
	uint64_t spin_tsc;		/* --rx-spin-us: the shortest reply window */
	uint64_t hk_tsc;
	uint64_t start_offset_tsc;	/* the first probe this long after the link starts */
	uint64_t loss_timeout_ns;
	struct rte_ring *snap_free;
	struct rte_ring *snap_full;
	int lcore;
	/* path probes: their source ports (every lane: replies go to lane 0), their state (lane 0) */
	uint16_t path_sport;
	uint16_t path_flows;		/* 0: no path probes */
	struct probe_path *path;	/* lane 0 with --path-interval-ms, else NULL */
};

/* Written by the lane's lcore only (the main lcore reads it after the end). */
struct probe_lane_state {
	/* the send path's */
	struct pacer pacer;
	uint32_t next_seq;
	uint32_t sched_pos;
	uint32_t dmac_gen;		/* generation of the next hop's MAC in the templates */
	uint32_t tick_head, tick_tail;
	uint64_t next_tick_tsc;
	uint64_t last_tx_tsc;
	uint64_t bursts;		/* TX bursts (tx_gap: are they spread, or clumped?) */
	uint64_t sent_total;		/* whole run, for the end record */
	uint64_t pacer_skipped_seen;	/* pacer.skipped already counted */
	uint64_t rtt_min_tsc;		/* smallest round trip of the last interval */
	uint32_t expect_head, expect_tail;
	struct seqwin win;
	struct dp_nbr_view nhv;		/* the next hop as last copied */
	bool started;
	bool tx_on;
	bool done;
	/* the receive path's */
	uint64_t rx_total;
	uint64_t redirected_out;	/* frames handed to another lane */
	uint64_t redirected_in;
	uint64_t iv_hw, iv_sw;		/* frames timed by the device's stamp / the TSC, this interval */
	uint64_t hw_ts_refused;		/* device stamps mapped before t1 or t3: software used */
	uint32_t n_samples;
	/* this receive burst's samples, added to the statistics in one go */
	uint32_t b_n, b_nres, b_nttl;
	uint64_t b_rtt[DP_BURST], b_res[DP_BURST], b_ttl[DP_BURST];
	struct refl_usual refl_usual;	/* replies like our reflector's, not yet in cur->refl */
	struct jitter jit;
	/* periodic work */
	uint64_t start_ntp;		/* no valid t1 is older */
	uint64_t next_snap_tsc;
	uint64_t next_nbr_tsc;
	uint64_t next_hk_tsc;		/* next housekeeping */
	uint64_t hk_next_event;		/* what the last housekeeping said */
	uint64_t tx_start_tsc;
	uint64_t tx_end_tsc;		/* UINT64_MAX = no end yet */
	uint64_t interval_seq;
	uint64_t rx_hw_stamped, rx_sw_stamped;	/* whole run */
	uint64_t rtt_p99_ns;		/* of the last interval with replies: what "overdue" is against */
	uint64_t last_reply_tsc;	/* end of the last interval that had a reply */
	/* the first ICMP error about our probes in this interval, for the event */
	bool icmp_seen;
	uint8_t icmp_err;
	struct ip_addr icmp_src;
	/*
	 * Low-rate mode: when the replies of recent bursts are due. A burst sent
	 * at t1 is answered from about t1 + rtt_min on, within spin_win; the
	 * worker sleeps until then and polls only inside those windows, so a
	 * reply is timestamped as it arrives, whatever the path's round trip.
	 */
	uint64_t spin_win_tsc;		/* the spread of round trips (max - min) + margin */
	uint64_t expect[EXPECT_RING];	/* poll-from times of recent bursts */
};

struct probe_lane {
	struct probe_lane_conf c;
	struct probe_lane_state s __rte_cache_aligned;
} __rte_cache_aligned;

/*
 * Something a worker turns in its loop besides its lanes, whose cycles are
 * not the prober's: the benchmarks' hosted reflector. NULL on a prober's
 * worker, whose loop is compiled without it.
 */
struct probe_host {
	uint16_t (*poll)(void *arg);
	void *arg;
};

/* One worker lcore: allocated cache-aligned (rte_zmalloc), written by its lcore only. */
struct probe_worker {
	/* set up before launch */
	unsigned lcore;
	int n;
	struct probe_lane *lanes[DP_MAX_LINKS * DP_MAX_QUEUES];
	bool busy;
	const struct probe_host *host;
	/* cycle accounting, read by the main lcore only after the worker ended */
	uint64_t host_cycles __rte_cache_aligned;	/* spent in the host: not the prober's work */
	uint64_t loop_cycles;		/* from first to last iteration */
	uint64_t work_cycles;		/* in iterations that sent or received */
	uint64_t iterations;
	uint64_t work_iterations;
} __rte_cache_aligned;

/* The prober's set-up: written by the main lcore before launch, read-only after. */
struct probe {
	struct probe_cfg cfg;
	int n_links;
	struct probe_lane *lanes_of[DP_MAX_LINKS][DP_MAX_QUEUES];	/* [link][queue] */
	struct dp_port *port_of[DP_MAX_LINKS];
	unsigned n_workers;
	struct probe_worker *workers;	/* n_workers of them, one per worker lcore */
	bool control_lost;		/* stopped by --control-lost exit: the end record says so */
	struct probe_host bench_host;	/* --host-reflector (probe_bench.c) */
};

/* mbuf fields (probe_setup.c): t4 of a redirected reply; the device's RX timestamp */
extern int probe_t4_off;
extern int probe_rx_ts_off;
extern uint64_t probe_rx_ts_flag;

/* probe_setup.c */
int probe_setup(struct probe *p);

/* probe_lane.c: a lane's periodic work; the TSC of its next event */
uint64_t lane_housekeeping(struct probe_lane *L, uint64_t now);
void lane_start_clock(struct probe_lane *L, uint64_t now);
void lane_next_hop_update(struct probe_lane *L);

/* probe_rx.c: a frame the fast match did not take (true: handed over) */
bool lane_rx_slow(struct probe_lane *L, struct rte_mbuf *m, uint64_t t4_tsc, uint64_t t4_ntp,
		  uint64_t t4_sw_ntp, bool redirected);

/* probe_worker.c: the worker lcores' main functions, chosen per worker */
int probe_worker_main(void *arg);
int probe_worker_host_main(void *arg);

/* probe_report.c */
void probe_hello(struct probe *p, struct report *rep);
void probe_report_loop(struct probe *p, struct report *rep);

/* probe_path.c: path probes of lane 0 (L->c.path != NULL) */
int probe_path_new(struct probe_lane *L, const struct probe_cfg *pc, int socket);
void probe_path_poll(struct probe_lane *L, uint64_t now);
uint64_t probe_path_next(const struct probe_lane *L);
enum mp_reason probe_path_icmp(struct probe_lane *L, const struct pkt_info *pi, uint64_t t4_tsc);
enum mp_reason probe_path_reply(struct probe_lane *L, const uint8_t *frame,
				const struct pkt_info *pi, uint64_t t4_tsc);
void probe_path_report(struct probe *p, struct report *rep);
cJSON *probe_path_end(const struct probe_lane *L);

/* probe_end.c */
void probe_end(struct probe *p, struct report *rep);

/* probe_bench.c */
int probe_bench_ring_pair(int argc, char **argv);
int probe_bench_host(struct probe *p);
void probe_bench_host_close(struct probe *p);
void probe_bench_samples_write(struct probe *p);

static inline uint64_t
tsc_unix_ns(uint64_t tsc)
{
	return ntp_to_unix_ns(tsc_clock_ntp(&dp_clock, tsc));
}

#endif
