/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The prober: per link, pace STAMP probes on the TSC, stamp and send them,
 * poll replies, classify each one and account it in the link's interval
 * statistics. One worker lcore owns a link's TX queue, RX queue, mbufs and
 * statistics: no locks, no atomics, no shared cache lines on the fast path.
 * Every interval the worker hands a copy of its statistics to the main
 * lcore over an SPSC ring; the main lcore turns them into interval records.
 *
 * Round trip = (t4 - t1) - (t3 - t2): t1 and t4 are our TSC mapped onto NTP
 * time by one fixed linear map (so their difference is exact cycles), t2
 * and t3 come from the reflector in its own format.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memcpy.h>
#include <rte_prefetch.h>
#include <rte_ring.h>
#include <rte_eth_ring.h>

#include "mp_fastrx.h"
#include "mp_tscal.h"
#include "mp_record.h"
#include "mp_stamp.h"
#include "dp.h"
#include "kv.h"
#include "report.h"

#define TICK_RING	4096		/* retirement ticks kept per link */
#define BUSY_PERIOD_US	200		/* below this probe period, never sleep */
#define WAKE_MARGIN_US	30		/* wake this early, then spin to the deadline */
#define NH_WAIT_MS	3000		/* wait this long for ARP/ND before starting */
#define BATCH_NS	2000		/* at high rates, send what is due in 2 us at once */
#define CATCHUP_US	200		/* a stall this long is caught up in full */
#define HK_NS		20000		/* housekeeping (retire, snapshot, ARP) every 20 us */
#define EXPECT_RING	64		/* bursts whose replies the low-rate mode waits for */
#define EXPECT_EARLY_US	50		/* start polling this long before a reply is due */
#define SPIN_MAX_US	10000		/* the longest a low-rate lane polls for one burst */
#define FIRST_SPIN_MS	50		/* before any round trip is known */
#define RTT_SAMPLES_MAX	1000000		/* --rtt-samples: kept per lane */
#define OVERDUE_FLOOR_MS 50		/* a reply is overdue after 4x the p99 round trip, at least this */

struct tick {
	uint64_t tsc;
	uint32_t seq;			/* every seq below was sent at or before tsc */
};

struct probe_link {
	/* --- set up before launch, read-only after --- */
	struct probe_link_cfg cfg;
	uint32_t index;			/* link index */
	struct dp_port *port;		/* shared by the link's lanes; ARP/ND: lane 0 */
	uint16_t queue;			/* this lane's queue pair */
	uint16_t nq;			/* lanes of the link */
	uint16_t sport;			/* this lane's UDP source port: source_port + queue */
	struct probe_link *lane[DP_MAX_QUEUES];	/* the link's lanes, for redirects */
	struct rte_ring *redirect;	/* replies for this lane that other lanes received */
	/* one probe template per frame size of the mix, seq and ts zero */
	uint8_t *tmpl[MIX_MAX_SIZES];
	uint16_t tmpl_len[MIX_MAX_SIZES];
	uint16_t tmpl_csum[MIX_MAX_SIZES];	/* UDP checksum field, as stored */
	uint32_t tmpl_wire[MIX_MAX_SIZES];	/* frame + 20 bytes on the wire */
	uint16_t off_seq, off_ts, off_csum, off_dmac;	/* the same in every template */
	struct rx_match rxm;		/* what this lane's replies look like */
	struct dp_nbr *nh;		/* the next hop's entry (stable: added before launch) */
	/*
	 * This lane's own TX pool: a buffer keeps the template it was given
	 * (tagged in dp_tmpl_tag_off) while it goes round the pool, so a probe
	 * is written whole only the first time its buffer is used.
	 */
	struct rte_mempool *tx_pool;
	uint32_t tag_base;		/* tags of this lane: tag_base + template */
	/*
	 * Device RX timestamps (PMD offload, mbuf dynamic field), mapped onto
	 * the TSC by calibration against the software stamp of each burst.
	 */
	bool hw_ts;			/* look for them */
	uint32_t hw_ts_unit_ns;		/* ns per device unit */
	struct tscal *cal;
	uint64_t rx_hw_stamped;		/* frames timed by the device's stamp */
	uint64_t rx_sw_stamped;		/* by the TSC after the burst */
	uint64_t iv_hw, iv_sw;		/* the same in this interval */
	uint64_t hw_ts_refused;		/* device stamps mapped before t1 or t3: software used */
	/* this receive burst's samples, added to the statistics in one go */
	uint64_t b_rtt[DP_BURST], b_res[DP_BURST], b_ttl[DP_BURST];
	uint32_t b_n, b_nres, b_nttl;
	uint32_t *samples;		/* --rtt-samples: every round trip, ns */
	uint32_t n_samples;
	uint8_t sched[MIX_MAX_SCHED];	/* template of each probe, smooth WRR */
	uint32_t sched_len;
	uint32_t frame_size;		/* effective largest (raised to the STAMP minimum) */
	struct frame_mix mix;		/* effective mix */
	uint64_t rate_mpps;		/* milli-pps */
	uint64_t period_tsc;
	uint64_t timeout_tsc;
	uint64_t timeout_ntp;
	uint64_t interval_tsc;
	uint64_t duration_tsc;		/* 0 = until stopped */
	uint64_t tick_tsc;
	uint64_t spin_tsc;		/* --rx-spin-us: the shortest reply window */
	uint64_t batch_wait_tsc;	/* let this much backlog build before a burst */
	uint64_t hk_tsc;
	int n_other;
	uint16_t other_ssid[DP_MAX_LINKS];
	struct rte_ring *snap_free;
	struct rte_ring *snap_full;
	int lcore;

	/* --- read-write, this link's worker only --- */
	struct pacer pacer __rte_cache_aligned;
	struct seqwin win;
	uint32_t next_seq;
	uint32_t tick_head, tick_tail;
	struct tick *ticks;
	struct link_interval *cur;
	struct jitter jit;
	uint64_t start_ntp;		/* no valid t1 is older */
	uint64_t next_snap_tsc;
	uint64_t next_tick_tsc;
	uint64_t next_nbr_tsc;
	uint64_t next_hk_tsc;		/* next housekeeping */
	uint64_t hk_next_event;		/* what the last housekeeping said */
	uint64_t tx_start_tsc;
	uint64_t tx_end_tsc;		/* UINT64_MAX = no end yet */
	uint64_t last_tx_tsc;
	/*
	 * Low-rate mode: when the replies of recent bursts are due. A burst sent
	 * at t1 is answered from about t1 + rtt_min on, within spin_win; the
	 * worker sleeps until then and polls only inside those windows, so a
	 * reply is timestamped as it arrives, whatever the path's round trip.
	 */
	uint64_t rtt_min_tsc;		/* smallest round trip of the last interval */
	uint64_t spin_win_tsc;		/* its spread (max - min) + margin */
	uint64_t expect[EXPECT_RING];	/* poll-from times of recent bursts */
	uint32_t expect_head, expect_tail;
	uint64_t pacer_skipped_seen;	/* pacer.skipped already counted */
	uint64_t interval_seq;
	uint32_t sched_pos;
	uint64_t sent_total;		/* whole run, for the end record */
	uint64_t rx_total;
	uint64_t redirected_out;	/* frames handed to another lane */
	uint64_t redirected_in;
	uint64_t bursts;		/* TX bursts, and the gaps between them: */
	struct hist *tx_gap;		/* are bursts spread, or clumped? (ns) */
	uint32_t dmac_gen;
	struct dp_nbr_view nhv;		/* the next hop as last copied */
	bool busy;			/* on a worker that never sleeps */
	bool started;
	bool tx_on;
	bool done;
	/*
	 * Added after the fields above on purpose: in between, they moved the
	 * send path's fields onto other cache lines and cost it 7% (bench/run).
	 */
	struct refl_usual refl_usual;	/* replies like our reflector's, not yet in cur->refl */
	uint64_t rtt_p99_ns;		/* of the last interval with replies: what "overdue" is against */
	/* the first ICMP error about our probes in this interval, for the event */
	bool icmp_seen;
	uint8_t icmp_err;
	struct ip_addr icmp_src;
	uint64_t last_reply_tsc;	/* end of the last interval that had a reply */
} __rte_cache_aligned;

struct probe_worker {
	int n;
	struct probe_link *links[DP_MAX_LINKS * DP_MAX_QUEUES];
	bool busy;
	bool hosts_reflector;		/* also turns the hosted reflector (benchmarks) */
	uint64_t reflector_cycles;	/* spent in it: not counted as the prober's work */
	uint64_t reflector_cycles_seen;
	/* cycle accounting, read by the main lcore only after the worker ended */
	uint64_t loop_cycles;		/* from first to last iteration */
	uint64_t work_cycles;		/* in iterations that sent or received */
	uint64_t iterations;
	uint64_t work_iterations;
};

_Static_assert(DP_BURST == PACER_BURST, "a full TX burst is one pacer step");

static struct probe_cfg pcfg;
static bool control_lost;		/* stopped by --control-lost exit: the end record says so */
/* lanes_of[link][queue]: one probe_link per queue pair of each link */
static struct probe_link *lanes_of[DP_MAX_LINKS][DP_MAX_QUEUES];
static struct dp_port *link_port[DP_MAX_LINKS];
static int t4_dynfield = -1;		/* mbuf field: t4 of a redirected reply */
int dp_tmpl_tag_off = -1;
static int rx_ts_off = -1;		/* RTE_MBUF_DYNFIELD_TIMESTAMP_NAME, when a PMD has it */
static uint64_t rx_ts_flag;


/* Build the link's probe template and derive every constant the fast path needs. */
static int
link_prepare(struct probe_link *L)
{
	struct probe_link_cfg *c = &L->cfg;
	struct pkt_flow f;
	struct pkt_layout lay;
	struct stamp_test t;
	uint8_t payload[STAMP_UNAUTH_LEN];
	uint32_t min_frame;
	uint64_t hz = dp_tsc_hz, link_bps;
	uint32_t k;
	int len, rc;

	min_frame = pkt_min_frame_size(&c->encap, c->ip.family, STAMP_UNAUTH_LEN);
	L->mix = c->mix;
	if (frame_mix_raise(&L->mix, min_frame) != 0 && L->queue == 0) {
		char was[128], now[128];

		frame_mix_format(&c->mix, was, sizeof(was));
		frame_mix_format(&L->mix, now, sizeof(now));
		fprintf(stderr, "metroprobe-dp: link %s: frame size %s raised to %s: %u is the "
			"smallest STAMP frame for this encapsulation\n", c->name, was, now, min_frame);
	}
	if (c->frame_size > L->port->max_frame + 4u * c->encap.nvlan) {
		fprintf(stderr, "metroprobe-dp: link %s: frame size %u is larger than port %u "
			"takes (%u; raise the interface MTU)\n", c->name, c->frame_size,
			c->port_id, L->port->max_frame);
		return -EINVAL;
	}
	L->frame_size = frame_mix_max_size(&L->mix);
	link_bps = c->rate_link_bps != 0 ? c->rate_link_bps : L->port->speed_bps;
	L->rate_mpps = frame_mix_rate_mpps(&c->rate, &L->mix, link_bps);
	/* the link's rate is shared by its lanes; lane 0 takes the remainder */
	if (L->rate_mpps != 0)
		L->rate_mpps = L->rate_mpps / L->nq + (L->queue == 0 ? L->rate_mpps % L->nq : 0);
	if (L->rate_mpps == 0) {
		fprintf(stderr, "metroprobe-dp: link %s: rate needs the link speed (port does "
			"not report it; give link_speed=)\n", c->name);
		return -EINVAL;
	}
	memset(&f, 0, sizeof(f));
	memcpy(f.src_mac, L->port->mac, 6);
	f.encap = c->encap;
	f.src = c->ip;
	f.dst = c->reflector;
	f.sport = L->sport;
	f.dport = c->reflector_port;
	f.dscp = c->dscp;
	f.ttl = 255;
	memset(&t, 0, sizeof(t));
	t.ssid = c->ssid;
	/* Software TSC stamps; error and S from the kernel's clock state. */
	t.errest = dp_clock_errest;
	if (stamp_test_encode(payload, sizeof(payload), STAMP_UNAUTH, &t) != 0)
		return -EINVAL;
	for (k = 0; k < L->mix.n; k++) {
		/* at least 128 + slack: link_tx copies short templates in fixed 64/128 B moves */
		L->tmpl[k] = rte_zmalloc_socket("mp_tmpl", RTE_MAX(L->mix.size[k], 128u) + 64, 64,
						rte_eth_dev_socket_id(c->port_id));
		if (L->tmpl[k] == NULL)
			return -ENOMEM;
		len = pkt_build_udp(L->tmpl[k], RTE_MAX(L->mix.size[k], 128u) + 64, &f, payload,
				    sizeof(payload), L->mix.size[k], &lay);
		if (len < 0) {
			fprintf(stderr, "metroprobe-dp: link %s: cannot build a %u-byte probe\n",
				c->name, L->mix.size[k]);
			return -EINVAL;
		}
		L->tmpl_len[k] = (uint16_t)len;
		L->tmpl_wire[k] = L->mix.size[k] + WIRE_OVERHEAD_BYTES;
		memcpy(&L->tmpl_csum[k], L->tmpl[k] + lay.udp_csum_off, 2);
		/* headers are the same size in every template: one set of offsets */
		L->off_seq = lay.payload_off + STAMP_OFF_SEQ;
		L->off_ts = lay.payload_off + STAMP_OFF_TS;
		L->off_csum = lay.udp_csum_off;
		L->off_dmac = 0;
	}
	L->sched_len = (uint32_t)frame_mix_schedule(&L->mix, L->sched, MIX_MAX_SCHED);
	if (rx_match_init(&L->rxm, &c->encap, &c->ip, &c->reflector, L->sport,
			  c->reflector_port) != 0)
		return -EINVAL;
	/*
	 * Catch up after a stall of up to CATCHUP_US (a timer interrupt, a
	 * preempted vCPU) in full; past that, skip the backlog (counted as
	 * tx_skipped) rather than send a long burst. At least two bursts.
	 */
	{
		uint64_t catchup = L->rate_mpps * CATCHUP_US / 1000000000ull;

		if (catchup < 2 * DP_BURST)
			catchup = 2 * DP_BURST;
		if (catchup > 65536)
			catchup = 65536;
		rc = pacer_init(&L->pacer, hz, L->rate_mpps, 0, (uint32_t)catchup);
	}
	if (rc != 0) {
		fprintf(stderr, "metroprobe-dp: link %s: rate too high for this TSC\n", c->name);
		return -EINVAL;
	}
	L->period_tsc = L->pacer.period_tsc;
	L->timeout_tsc = pcfg.loss_timeout_ms * hz / 1000;
	L->timeout_ntp = (pcfg.loss_timeout_ms << 32) / 1000;
	L->interval_tsc = pcfg.interval_ms * hz / 1000;
	L->duration_tsc = pcfg.duration_ms * hz / 1000;
	L->tick_tsc = L->timeout_tsc / 1000;
	if (L->tick_tsc < hz / 1000)
		L->tick_tsc = hz / 1000;
	L->spin_tsc = pcfg.rx_spin_us * hz / 1000000;
	L->spin_win_tsc = FIRST_SPIN_MS * hz / 1000;
	if (L->spin_win_tsc > L->timeout_tsc)
		L->spin_win_tsc = L->timeout_tsc;
	/*
	 * Bursts of up to 32 amortise the TX call; waiting for BATCH_NS worth of
	 * probes keeps bursts spread (2 us apart at most) while not sending
	 * bursts of one at line rate. t1 is taken when a burst leaves, so the
	 * wait never shows in a round trip.
	 */
	{
		uint64_t batch = BATCH_NS * hz / 1000000000ull / (L->period_tsc ? L->period_tsc : 1);

		if (batch > DP_BURST)
			batch = DP_BURST;
		L->batch_wait_tsc = batch > 1 ? (batch - 1) * L->period_tsc : 0;
	}
	L->hk_tsc = HK_NS * hz / 1000000000ull;
	return 0;
}

static int
link_alloc(struct probe_link *L)
{
	unsigned order = seqwin_order_for(L->rate_mpps / 1000 + 1, pcfg.loss_timeout_ms);
	int socket = rte_eth_dev_socket_id(L->cfg.port_id);
	char name[RTE_RING_NAMESIZE];
	void *mem;
	unsigned i;

	mem = rte_zmalloc_socket("mp_seqwin", seqwin_mem_size(order), 64, socket);
	L->ticks = rte_zmalloc_socket("mp_ticks", sizeof(struct tick) * TICK_RING, 64, socket);
	L->cur = rte_zmalloc_socket("mp_cur", sizeof(*L->cur), 64, socket);
	L->tx_gap = rte_zmalloc_socket("mp_gap", sizeof(*L->tx_gap), 64, socket);
	if (mem == NULL || L->ticks == NULL || L->cur == NULL || L->tx_gap == NULL)
		return -ENOMEM;
	hist_reset(L->tx_gap);
	seqwin_init(&L->win, mem, order, 0);
	memset(&L->refl_usual, 0, sizeof(L->refl_usual));
	L->refl_usual.ssid = L->cfg.ssid;
	{
		/* TX descriptors in flight, bursts, and the pool's per-lcore cache */
		uint32_t room = RTE_MAX(L->frame_size + RTE_PKTMBUF_HEADROOM,
					(uint32_t)RTE_MBUF_DEFAULT_BUF_SIZE);

		snprintf(name, sizeof(name), "mp_txp_%u_%u", L->index, L->queue);
		/* jumbo buffers are 4x the size: a smaller pool */
		L->tx_pool = rte_pktmbuf_pool_create(name, room > 4096 ? 2 * DP_TX_DESC + 1023 :
						     4 * DP_TX_DESC + 4095, 256, 0,
						     (uint16_t)room, socket);
		if (L->tx_pool == NULL)
			return -ENOMEM;
		L->tag_base = (L->index * DP_MAX_QUEUES + L->queue) * MIX_MAX_SIZES + 1;
	}
	if (pcfg.rtt_samples_path != NULL) {
		L->samples = malloc(sizeof(*L->samples) * RTT_SAMPLES_MAX);
		if (L->samples == NULL)
			return -ENOMEM;
	}
	L->cal = rte_zmalloc_socket("mp_tscal", sizeof(*L->cal), 64, socket);
	if (L->cal == NULL)
		return -ENOMEM;
	/* windows of 1 s: eight slot minima each (a PMD that hands frames over in
	 * batches, like net_pcap, needs slots long enough to catch a frame read
	 * right after it was stamped) */
	tscal_init(L->cal, dp_tsc_hz, dp_tsc_hz);
	snprintf(name, sizeof(name), "mp_snapf_%u_%u", L->index, L->queue);
	L->snap_free = rte_ring_create(name, DP_SNAP_BUFS, socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(name, sizeof(name), "mp_snapq_%u_%u", L->index, L->queue);
	L->snap_full = rte_ring_create(name, DP_SNAP_BUFS, socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (L->snap_free == NULL || L->snap_full == NULL)
		return -ENOMEM;
	if (L->nq > 1) {
		/* any lane of the link may enqueue, only this one dequeues */
		snprintf(name, sizeof(name), "mp_redir_%u_%u", L->index, L->queue);
		L->redirect = rte_ring_create(name, 4096, socket, RING_F_SC_DEQ);
		if (L->redirect == NULL)
			return -ENOMEM;
	}
	for (i = 0; i < DP_SNAP_BUFS - 1; i++) {
		struct dp_snap *s = rte_zmalloc_socket("mp_snap", sizeof(*s), 64, socket);

		if (s == NULL)
			return -ENOMEM;
		rte_ring_sp_enqueue(L->snap_free, s);
	}
	memset(L->cur, 0, sizeof(*L->cur));
	snprintf(L->cur->link, sizeof(L->cur->link), "%s", L->cfg.name);
	L->cur->link_index = L->index;
	L->cur->queues = 1;
	L->cur->clock = MP_CLOCK_TSC;
	link_interval_reset(L->cur);
	jitter_reset(&L->jit);
	return 0;
}

static inline uint64_t
tsc_unix_ns(uint64_t tsc)
{
	return ntp_to_unix_ns(tsc_clock_ntp(&dp_clock, tsc));
}

/* NTP units (2^-32 s) to ns. */
static inline uint64_t
ntp_units_ns(uint64_t u)
{
	return (uint64_t)(((unsigned __int128)u * MP_NS_PER_S) >> 32);
}

/*
 * The interval's outage gauges (mp_stats.h), once per interval, not per
 * packet: probes outstanding, and those sent longer ago than the expected
 * round trip (4x the recent p99, at least OVERDUE_FLOOR_MS, at most the
 * loss timeout). The newest retirement tick at least that old says below
 * which sequence number every probe was sent that long ago.
 */
static void
link_gauges(struct probe_link *L, uint64_t now)
{
	uint64_t hz = dp_tsc_hz, after_ns = 4 * L->rtt_p99_ns, after_tsc;
	uint32_t below = L->win.retired, k;

	if (L->cur->rtt.count > 0)
		L->rtt_p99_ns = hist_quantile(&L->cur->rtt, 0.99);
	if (L->cur->c.received + L->cur->c.late + L->cur->c.duplicates > 0)
		L->last_reply_tsc = now;
	if (after_ns < OVERDUE_FLOOR_MS * 1000000ull)
		after_ns = OVERDUE_FLOOR_MS * 1000000ull;
	if (after_ns > pcfg.loss_timeout_ms * 1000000ull)
		after_ns = pcfg.loss_timeout_ms * 1000000ull;
	after_tsc = (uint64_t)((unsigned __int128)after_ns * hz / 1000000000ull);
	for (k = L->tick_head; k != L->tick_tail; k--) {
		const struct tick *t = &L->ticks[(k - 1) % TICK_RING];

		if (t->tsc + after_tsc <= now) {
			below = t->seq;
			break;
		}
	}
	L->cur->outstanding = seqwin_outstanding(&L->win);
	L->cur->overdue = seqwin_outstanding_before(&L->win, below);
	L->cur->overdue_after_ns = after_ns;
	/* after the last send, replies are due only until one round trip later */
	if (!L->tx_on && L->started && L->tx_end_tsc + after_tsc < now)
		now = L->tx_end_tsc + after_tsc;
	L->cur->no_reply_ns = L->started && now > L->last_reply_tsc ?
			      (uint64_t)((unsigned __int128)(now - L->last_reply_tsc) *
					 1000000000ull / hz) : 0;
}

/*
 * A new MAC of the next hop into this lane's templates. Lane 0 writes it on
 * another lcore: a copy that an update overlapped is not taken (the
 * templates keep the old MAC until the next burst).
 */
static __rte_noinline void
link_next_hop_update(struct probe_link *L)
{
	uint32_t k;

	if (!dp_nbr_try_read(L->nh, &L->nhv) || !L->nhv.resolved)
		return;
	for (k = 0; k < L->mix.n; k++)
		memcpy(L->tmpl[k] + L->off_dmac, L->nhv.mac, 6);
	L->dmac_gen = L->nhv.generation;
}

/* Hand the interval's statistics to the main lcore and start a new interval. */
static void
link_snapshot(struct probe_link *L, uint64_t now, bool final)
{
	struct dp_snap *s = NULL;
	const struct dp_nbr_view *nh = L->nh != NULL ? &L->nhv : NULL;

	if (rte_ring_sc_dequeue(L->snap_free, (void **)&s) != 0) {
		/* Main lcore is behind: keep accumulating; the next record covers both. */
		if (!final)
			return;
		while (rte_ring_sc_dequeue(L->snap_free, (void **)&s) != 0 && !dp_force_quit)
			rte_pause();
		if (dp_force_quit && s == NULL)
			return;
	}
	if (L->pacer.skipped != L->pacer_skipped_seen) {
		L->cur->c.tx_skipped += L->pacer.skipped - L->pacer_skipped_seen;
		L->pacer_skipped_seen = L->pacer.skipped;
	}
	if (L->cur->rtt.count > 0) {
		uint64_t hz = dp_tsc_hz;
		uint64_t spread = (L->cur->rtt.max_ns - L->cur->rtt.min_ns) * hz / 1000000000ull;

		L->rtt_min_tsc = L->cur->rtt.min_ns * hz / 1000000000ull;
		spread += spread / 4 + EXPECT_EARLY_US * hz / 1000000;
		if (spread < L->spin_tsc)
			spread = L->spin_tsc;
		if (spread > SPIN_MAX_US * hz / 1000000)
			spread = SPIN_MAX_US * hz / 1000000;
		L->spin_win_tsc = spread;
	}
	link_gauges(L, now);
	L->cur->end_unix_ns = tsc_unix_ns(now);
	/* device stamps for every frame of the interval, or it says tsc */
	L->cur->clock = L->iv_hw != 0 && L->iv_sw == 0 ? MP_CLOCK_HW_RX : MP_CLOCK_TSC;
	/*
	 * The clock's error as the probes' Error Estimate states it (kernel
	 * clock and TSC anchor); with device stamps plus the calibration's
	 * spread (how far its minima scatter about the line).
	 */
	L->cur->clock_error_ns = dp_clock_error_ns +
				 (L->iv_hw != 0 ? (uint64_t)tscal_spread_ns(L->cal) : 0);
	L->rx_hw_stamped += L->iv_hw;
	L->rx_sw_stamped += L->iv_sw;
	L->iv_hw = L->iv_sw = 0;
	L->cur->jitter_ns = jitter_ns(&L->jit);
	L->cur->seq = L->interval_seq++;
	L->cur->pacer_rate_mpps = L->rate_mpps;
	refl_usual_fold(&L->cur->refl, &L->refl_usual);
	rte_memcpy(&s->li, L->cur, sizeof(s->li));
	if (nh != NULL && dp_nbr_changed(L->nh, nh))
		link_next_hop_update(L);
	s->nh_resolved = nh != NULL && nh->resolved;
	if (nh != NULL)
		memcpy(s->nh_mac, nh->mac, 6);
	s->nh_generation = nh != NULL ? nh->generation : 0;
	s->icmp_seen = L->icmp_seen;
	s->icmp_err = L->icmp_err;
	s->icmp_src = L->icmp_src;
	L->icmp_seen = false;
	s->final = final;
	rte_ring_sp_enqueue(L->snap_full, s);
	link_interval_reset(L->cur);
	L->cur->start_unix_ns = L->cur->end_unix_ns = tsc_unix_ns(now);
}

/* A template into an mbuf: fixed-size moves for short probes, no length dispatch per byte. */
static inline void
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

/* Stamp and send n probes. */
static inline void
link_tx(struct probe_link *L, uint32_t n)
{
	struct rte_mbuf *m[DP_BURST];
	struct link_counters *c = &L->cur->c;
	uint64_t t1_tsc, t1_ntp, ts_be, wire = 0;
	uint32_t i, sent, seq = L->next_seq, tries = 0, pos = L->sched_pos, ts_sum;
	const uint16_t off_seq = L->off_seq, off_ts = L->off_ts, off_csum = L->off_csum;
	const uint16_t *tw = (const uint16_t *)&ts_be;
	uint8_t which[DP_BURST], *dp[DP_BURST];
	bool one = L->mix.n == 1;

	if (rte_pktmbuf_alloc_bulk(L->tx_pool, m, n) != 0) {
		c->tx_failed += n;
		return;
	}
	if (likely(one)) {
		/* one frame size: no schedule to follow */
		const uint8_t *t = L->tmpl[0];
		const uint16_t len = L->tmpl_len[0];
		const uint32_t tag = L->tag_base + (L->dmac_gen << 16);

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
	} else {
		for (i = 0; i < n; i++) {
			uint8_t *d = rte_pktmbuf_mtod(m[i], uint8_t *);
			uint32_t seq_be = rte_cpu_to_be_32(seq + i);
			uint8_t t = L->sched[pos];

			if (++pos == L->sched_len)
				pos = 0;
			which[i] = t;
			dp[i] = d;
			/* a mix reuses buffers for other sizes: always written whole */
			*RTE_MBUF_DYNFIELD(m[i], dp_tmpl_tag_off, uint32_t *) = 0;
			tmpl_copy(d, L->tmpl[t], L->tmpl_len[t]);
			m[i]->data_len = L->tmpl_len[t];
			m[i]->pkt_len = L->tmpl_len[t];
			memcpy(d + off_seq, &seq_be, 4);
		}
	}
	/* One timestamp per burst, taken right before it leaves. */
	t1_tsc = rte_rdtsc();
	t1_ntp = tsc_clock_ntp(&dp_clock, t1_tsc);
	ts_be = rte_cpu_to_be_64(t1_ntp);
	/* the timestamp's share of the checksum is the same for the burst */
	ts_sum = (uint32_t)tw[0] + tw[1] + tw[2] + tw[3];
	for (i = 0; i < n; i++) {
		uint32_t seq_be = rte_cpu_to_be_32(seq + i);
		uint16_t csum = csum_patch(L->tmpl_csum[one ? 0 : which[i]],
					   ts_sum + (seq_be & 0xffff) + (seq_be >> 16));

		memcpy(dp[i] + off_ts, &ts_be, 8);
		memcpy(dp[i] + off_csum, &csum, 2);
	}
	sent = 0;
	do {
		sent += rte_eth_tx_burst(L->port->port_id, L->queue, m + sent, (uint16_t)(n - sent));
	} while (sent < n && ++tries <= DP_TX_RETRIES);
	if (unlikely(sent < n))
		rte_pktmbuf_free_bulk(m + sent, n - sent);
	if (likely(one)) {
		wire = (uint64_t)sent * L->tmpl_wire[0];
	} else {
		for (i = 0; i < sent; i++)
			wire += L->tmpl_wire[which[i]];
		/* unsent probes also give back their place in the size schedule */
		for (i = sent; i < n; i++)
			pos = pos == 0 ? L->sched_len - 1 : pos - 1;
		L->sched_pos = pos;
	}
	/* Unsent probes keep their sequence numbers for the next burst. */
	c->lost += seqwin_on_send_burst(&L->win, seq, sent);
	L->next_seq = seq + sent;
	L->sent_total += sent;
	c->sent += sent;
	c->tx_wire_bytes += wire;
	c->tx_failed += n - sent;
	if (likely(L->bursts++ != 0))
		hist_add(L->tx_gap, tsc_clock_ns(&dp_clock, t1_tsc - L->last_tx_tsc));
	L->last_tx_tsc = t1_tsc;
	if (!L->busy) {
		uint64_t early = EXPECT_EARLY_US * dp_tsc_hz / 1000000;
		uint64_t at = L->rtt_min_tsc > early ? t1_tsc + L->rtt_min_tsc - early : t1_tsc;

		if (L->expect_head - L->expect_tail == EXPECT_RING)
			L->expect_tail++;	/* the oldest window gives way */
		L->expect[L->expect_head++ % EXPECT_RING] = at;
	}
	/* probes the pacer had to skip after a stall are counted, not lost track of */
	if (unlikely(L->pacer.skipped != L->pacer_skipped_seen)) {
		c->tx_skipped += L->pacer.skipped - L->pacer_skipped_seen;
		L->pacer_skipped_seen = L->pacer.skipped;
	}
	if (t1_tsc >= L->next_tick_tsc && L->tick_head - L->tick_tail < TICK_RING) {
		L->ticks[L->tick_head % TICK_RING] = (struct tick){ t1_tsc, L->next_seq };
		L->tick_head++;
		L->next_tick_tsc = t1_tsc + L->tick_tsc;
	}
}

static inline bool
ssid_of_other(const struct probe_link *L, uint16_t ssid)
{
	int i;

	for (i = 0; i < L->n_other; i++)
		if (L->other_ssid[i] == ssid)
			return true;
	return false;
}

/*
 * A frame for another lane of the link (its reply, by UDP destination port;
 * or ARP/ND, which lane 0 handles): hand it over with its receive time.
 */
static inline void
link_redirect(struct probe_link *L, struct probe_link *to, struct rte_mbuf *m, uint64_t t4_tsc)
{
	*RTE_MBUF_DYNFIELD(m, t4_dynfield, uint64_t *) = t4_tsc;
	if (unlikely(rte_ring_mp_enqueue(to->redirect, m) != 0)) {
		L->cur->c.invalid[MP_R_REDIRECT_FULL]++;
		rte_pktmbuf_free(m);
		return;
	}
	L->redirected_out++;
}

/* Add the burst's round trips, residences and TTLs to the interval, in order. */
static inline void
link_flush(struct probe_link *L)
{
	if (L->b_n != 0) {
		hist_add_burst(&L->cur->rtt, L->b_rtt, L->b_n);
		jitter_add_burst(&L->jit, L->b_rtt, L->b_n);
		L->b_n = 0;
	}
	if (L->b_nres != 0) {
		minmax_add_burst(&L->cur->residence_ns, L->b_res, L->b_nres);
		L->b_nres = 0;
	}
	if (L->b_nttl != 0) {
		minmax_add_burst(&L->cur->fwd_ttl, L->b_ttl, L->b_nttl);
		L->b_nttl = 0;
	}
}

/* A reply link_rx() counted as device-timed falls back to its software stamp. */
static inline void
link_refuse_hw(struct probe_link *L)
{
	L->hw_ts_refused++;
	L->iv_hw--;
	L->iv_sw++;
}

/*
 * Account one reply: round trip, residence, sequence. The frame was
 * matched to this lane; *r holds its STAMP fields.
 */
static inline enum mp_reason
link_account(struct probe_link *L, const struct stamp_reply *r, uint32_t plen, uint64_t t4_ntp,
	     uint64_t t4_sw_ntp)
{
	struct link_counters *c = &L->cur->c;
	uint64_t raw_ntp, res_ns = 0, rtt_ns;
	enum seq_outcome seq;

	/*
	 * A zero SSID is a reflector without RFC 8972 (bytes 14-15 are MBZ in
	 * RFC 8762): the frame already matched this lane's addresses and ports,
	 * and the echoed sequence number and T1 are checked below.
	 */
	if (unlikely(r->ssid != L->cfg.ssid) &&
	    stamp_reply_ssid_match(r, L->cfg.ssid) == STAMP_SSID_OTHER) {
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
		link_refuse_hw(L);
		t4_ntp = t4_sw_ntp;
		raw_ntp = t4_ntp - r->sender_ts;
	}
	if (unlikely(r->sender_ts < L->start_ntp || (int64_t)raw_ntp < 0 ||
		     raw_ntp > 2 * L->timeout_ntp + ((uint64_t)60 << 32)))
		return MP_R_BAD_TIMESTAMP;
	if (likely(r->have & STAMP_HAVE_RX_TS)) {
		/*
		 * Residence t3 - t2 in the reflector's format: NTP stamps subtract
		 * as they are (one conversion for the whole round trip); PTP
		 * (Z set) ones are converted first.
		 */
		uint64_t res_ntp;

		if (likely(!(r->errest & 0x4000))) {
			res_ntp = r->ts - r->rx_ts;
		} else {
			uint64_t t2 = stamp_ts_to_unix_ns(r->rx_ts, true);
			uint64_t t3 = stamp_ts_to_unix_ns(r->ts, true);

			res_ntp = t3 >= t2 && t3 - t2 < (UINT64_C(1) << 32) ?
				  ((t3 - t2) << 32) / MP_NS_PER_S : UINT64_MAX;
		}
		if (unlikely(res_ntp > raw_ntp && t4_ntp != t4_sw_ntp &&
			     res_ntp <= t4_sw_ntp - r->sender_ts)) {
			/* the same: a round trip shorter than the reflector's residence */
			link_refuse_hw(L);
			t4_ntp = t4_sw_ntp;
			raw_ntp = t4_ntp - r->sender_ts;
		}
		if (unlikely((int64_t)res_ntp < 0 || res_ntp > raw_ntp))
			return MP_R_BAD_TIMESTAMP;
		res_ns = ntp_units_ns(res_ntp);
		raw_ntp -= res_ntp;
	}
	rtt_ns = ntp_units_ns(raw_ntp);
	/* a stateful reflector's own number is r->seq; ours comes back as sender_seq */
	seq = seqwin_on_reply(&L->win, r->sender_seq);
	if (likely(seq != SEQ_UNKNOWN))
		refl_seen_note(&L->cur->refl, &L->refl_usual, r, plen);
	switch (seq) {
	case SEQ_REORDERED:
		c->reordered++;
		/* fall through */
	case SEQ_IN_ORDER:
		c->received++;
		if (unlikely(L->b_n == DP_BURST))
			link_flush(L);
		/* histogram, jitter, residence and TTL take the burst at once: link_flush() */
		L->b_rtt[L->b_n++] = rtt_ns;
		if (r->have & STAMP_HAVE_RX_TS)
			L->b_res[L->b_nres++] = res_ns;
		if ((r->have & STAMP_HAVE_SENDER_TTL) && r->sender_ttl != 0)
			L->b_ttl[L->b_nttl++] = r->sender_ttl;
		if (unlikely(L->samples != NULL) && L->n_samples < RTT_SAMPLES_MAX)
			L->samples[L->n_samples++] = rtt_ns > UINT32_MAX ? UINT32_MAX : (uint32_t)rtt_ns;
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

/*
 * An ICMP or ICMPv6 error: counted by kind when it quotes one of this
 * link's probes (our address and source ports, to the reflector's), and the
 * first of an interval remembered for the event naming its source.
 */
static enum mp_reason
link_icmp_error(struct probe_link *L, const struct pkt_info *pi)
{
	const struct pkt_icmp *q = &pi->icmp;

	if (!ip_addr_equal(&pi->dst, &L->cfg.ip) || !ip_addr_equal(&q->qsrc, &L->cfg.ip) ||
	    !ip_addr_equal(&q->qdst, &L->cfg.reflector) || q->qdport != L->cfg.reflector_port ||
	    (uint16_t)(q->qsport - L->cfg.source_port) >= L->nq)
		return MP_R_ICMP_FOREIGN;
	L->cur->c.icmp_errors[q->err]++;
	if (!L->icmp_seen) {
		L->icmp_seen = true;
		L->icmp_err = q->err;
		L->icmp_src = pi->src;
	}
	return MP_OK;
}

/*
 * A frame the fast match did not take: parse it, hand it to the lane or
 * the neighbour code it belongs to, or say why it is not usable. Returns
 * true when the frame was handed over (the caller must not free it).
 */
static bool
link_rx_slow(struct probe_link *L, struct rte_mbuf *m, uint64_t t4_tsc, uint64_t t4_ntp,
	     uint64_t t4_sw_ntp, bool redirected)
{
	struct link_counters *c = &L->cur->c;
	const uint8_t *d = rte_pktmbuf_mtod(m, const uint8_t *);
	struct pkt_info pi;
	struct stamp_reply r;
	enum mp_reason why;

	why = pkt_parse(d, rte_pktmbuf_data_len(m), PKT_VERIFY_CSUM, &pi);
	if (unlikely(why != MP_OK))
		goto invalid;
	if (L->nq > 1 && !redirected) {
		uint16_t q = (uint16_t)(pi.dport - L->cfg.source_port);

		if (pi.kind != PKT_KIND_UDP && L->queue != 0) {
			link_redirect(L, L->lane[0], m, t4_tsc);
			return true;
		}
		if (pi.kind == PKT_KIND_UDP && pi.dport != L->sport && q < L->nq) {
			link_redirect(L, L->lane[q], m, t4_tsc);
			return true;
		}
	}
	if (pi.kind == PKT_KIND_ICMP_ERROR) {
		why = link_icmp_error(L, &pi);
		if (why == MP_OK)
			return false;
		goto invalid;
	}
	if (pi.kind != PKT_KIND_UDP) {
		int ign;

		if (pi.kind != PKT_KIND_ICMP6_OTHER &&
		    dp_nbr_input(L->port, L->queue, m, &pi, t4_tsc)) {
			c->arp_nd++;
			return true;
		}
		/* ordinary link traffic (MLD, RA, LLDP, STP, echo, ...): not invalid */
		ign = pkt_ignored_kind(&pi);
		if (ign >= 0) {
			c->ignored[ign]++;
			return false;
		}
		why = MP_R_NOT_UDP;
		goto invalid;
	}
	if (!encap_matches(&L->cfg.encap, &pi.encap)) {
		why = MP_R_VLAN_MISMATCH;
		goto invalid;
	}
	if (!ip_addr_equal(&pi.dst, &L->cfg.ip) || !ip_addr_equal(&pi.src, &L->cfg.reflector)) {
		why = MP_R_WRONG_ADDRESS;
		goto invalid;
	}
	if (pi.dport != L->sport || pi.sport != L->cfg.reflector_port) {
		why = MP_R_WRONG_PORT;
		goto invalid;
	}
	if (stamp_reply_decode(d + pi.lay.payload_off, pi.lay.payload_len, STAMP_UNAUTH, &r) != 0 ||
	    (r.have & (STAMP_HAVE_SENDER_SEQ | STAMP_HAVE_SENDER_TS)) !=
		    (STAMP_HAVE_SENDER_SEQ | STAMP_HAVE_SENDER_TS)) {
		why = MP_R_SHORT_STAMP;
		goto invalid;
	}
	why = link_account(L, &r, pi.lay.payload_len, t4_ntp, t4_sw_ntp);
	if (why == MP_OK)
		return false;
invalid:
	c->invalid[why]++;
	return false;
}

/* The NIC checked the checksums and found them good. */
static inline bool
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
static inline bool
link_rx_one(struct probe_link *L, struct rte_mbuf *m, uint64_t t4_tsc, uint64_t t4_ntp,
	    uint64_t t4_sw_ntp, bool redirected)
{
	const uint8_t *d = rte_pktmbuf_mtod(m, const uint8_t *);
	struct stamp_reply r;
	enum mp_reason why;

	if (likely(rx_match_reply(&L->rxm, d, rte_pktmbuf_data_len(m),
				  L->port->rx_csum_offload && rx_csum_good(m, L->rxm.family), &r))) {
		/* the match checked the UDP length against the frame */
		why = link_account(L, &r, (uint32_t)stamp_get16(d + L->rxm.l4_off + 4) - PKT_UDP_HLEN,
				   t4_ntp, t4_sw_ntp);
		if (unlikely(why != MP_OK))
			L->cur->c.invalid[why]++;
		return false;
	}
	return link_rx_slow(L, m, t4_tsc, t4_ntp, t4_sw_ntp, redirected);
}

/* The device's receive time of m, in ns of its own clock, or 0 without one. */
static inline uint64_t
rx_dev_ns(const struct probe_link *L, const struct rte_mbuf *m)
{
	if (!(m->ol_flags & rx_ts_flag))
		return 0;
	return *RTE_MBUF_DYNFIELD(m, rx_ts_off, const uint64_t *) * L->hw_ts_unit_ns;
}

static inline uint16_t
link_rx(struct probe_link *L)
{
	struct rte_mbuf *m[DP_BURST], *done[DP_BURST];
	uint16_t n, i, nd = 0;
	uint64_t t4, t4_ntp;

	n = rte_eth_rx_burst(L->port->port_id, L->queue, m, DP_BURST);
	if (n == 0)
		return 0;
	/* One receive timestamp per burst, right after it arrived. */
	t4 = rte_rdtsc();
	dp_tmpl_tag_clear(m, n);
	t4_ntp = tsc_clock_ntp(&dp_clock, t4);
	L->rx_total += n;
	L->cur->c.rx_frames += n;
	if (unlikely(L->hw_ts)) {
		uint64_t dev = rx_dev_ns(L, m[n - 1]);

		/* the burst's last frame was stamped last: the tightest pair */
		if (dev != 0)
			tscal_sample(L->cal, dev, t4);
	}
	for (i = 0; i < n; i++) {
		uint64_t at = t4_ntp;

		if (i + 2 < n)
			rte_prefetch0(rte_pktmbuf_mtod(m[i + 2], void *));
		if (unlikely(L->hw_ts)) {
			uint64_t dev = rx_dev_ns(L, m[i]);
			uint64_t t = dev != 0 ? tscal_rx_tsc(L->cal, dev, t4) : t4;

			/* tscal_rx_tsc() gives t4 itself when it cannot map the stamp */
			if (t != t4) {
				at = tsc_clock_ntp(&dp_clock, t);
				L->iv_hw++;
			} else {
				L->iv_sw++;
			}
		}
		if (!link_rx_one(L, m[i], t4, at, t4_ntp, false))
			done[nd++] = m[i];
	}
	link_flush(L);
	rte_pktmbuf_free_bulk(done, nd);
	return n;
}

/* Replies that other lanes of the link received for this one. */
static inline uint16_t
link_rx_redirected(struct probe_link *L)
{
	struct rte_mbuf *m[DP_BURST];
	unsigned n, i;

	n = rte_ring_sc_dequeue_burst(L->redirect, (void **)m, DP_BURST, NULL);
	L->redirected_in += n;
	/* they carry the receiving lane's software stamp, not the device's */
	if (L->hw_ts)
		L->iv_sw += n;
	for (i = 0; i < n; i++) {
		uint64_t t4 = *RTE_MBUF_DYNFIELD(m[i], t4_dynfield, uint64_t *);

		uint64_t t4_ntp = tsc_clock_ntp(&dp_clock, t4);

		if (!link_rx_one(L, m[i], t4, t4_ntp, t4_ntp, true))
			rte_pktmbuf_free(m[i]);
	}
	link_flush(L);
	return (uint16_t)n;
}

/* Retire probes whose loss timeout has expired. */
static inline void
link_retire(struct probe_link *L, uint64_t now)
{
	while (L->tick_tail != L->tick_head) {
		struct tick *t = &L->ticks[L->tick_tail % TICK_RING];

		if (t->tsc + L->timeout_tsc > now)
			break;
		L->cur->c.lost += seqwin_retire(&L->win, t->seq);
		L->tick_tail++;
	}
}

/* Keep the template's destination MAC on the next hop's current MAC. */
static inline bool
link_next_hop_ready(struct probe_link *L)
{
	if (unlikely(L->nh == NULL))
		return false;
	if (unlikely(dp_nbr_changed(L->nh, &L->nhv)))
		link_next_hop_update(L);
	return L->nhv.resolved;
}

/* Periodic work: not per packet. Returns the TSC of this link's next event. */
static uint64_t
link_housekeeping(struct probe_link *L, uint64_t now)
{
	uint64_t next = L->next_snap_tsc;

	if (now >= L->next_nbr_tsc && L->queue == 0) {
		dp_nbr_poll(L->port, L->queue, now);
		L->next_nbr_tsc = now + dp_tsc_hz / 100;
	}
	if (!L->started) {
		/* Start once the next hop is known, or after NH_WAIT_MS regardless. */
		if (link_next_hop_ready(L) || now - L->tx_start_tsc > NH_WAIT_MS * dp_tsc_hz / 1000) {
			L->started = true;
			L->tx_on = true;
			L->tx_start_tsc = now;
			L->tx_end_tsc = L->duration_tsc ? now + L->duration_tsc : UINT64_MAX;
			/*
			 * Stagger the links (and lanes) over one period: probes of
			 * both links at the same instant would meet in every shared
			 * queue and CPU on the way and skew each other's timing.
			 */
			L->pacer.next_tsc = now + L->period_tsc *
					    (L->index * L->nq + L->queue) / (pcfg.n_links * L->nq);
			L->pacer.next_frac = 0;
			L->start_ntp = tsc_clock_ntp(&dp_clock, now);
			L->last_reply_tsc = now;
		}
		return now + dp_tsc_hz / 1000;
	}
	if (L->tx_on && (now >= L->tx_end_tsc || dp_force_quit)) {
		L->tx_on = false;
		L->tx_end_tsc = now;
	}
	link_retire(L, now);
	if (!L->tx_on && now >= L->tx_end_tsc + L->timeout_tsc) {
		/* Everything sent has had its loss timeout: close the books. */
		L->cur->c.lost += seqwin_retire(&L->win, L->next_seq);
		link_snapshot(L, now, true);
		L->done = true;
		return UINT64_MAX;
	}
	if (now >= L->next_snap_tsc) {
		link_snapshot(L, now, false);
		L->next_snap_tsc += L->interval_tsc;
		if (L->next_snap_tsc <= now)
			L->next_snap_tsc = now + L->interval_tsc;
	}
	next = L->next_snap_tsc;
	if (L->tick_tail != L->tick_head) {
		uint64_t r = L->ticks[L->tick_tail % TICK_RING].tsc + L->timeout_tsc;

		if (r < next)
			next = r;
	}
	if (!L->tx_on && L->tx_end_tsc + L->timeout_tsc < next)
		next = L->tx_end_tsc + L->timeout_tsc;
	if (L->next_nbr_tsc < next)
		next = L->next_nbr_tsc;
	return next;
}

static void
sleep_until(uint64_t deadline)
{
	uint64_t now = rte_rdtsc(), hz = dp_tsc_hz;
	uint64_t margin = WAKE_MARGIN_US * hz / 1000000;
	struct timespec ts;
	uint64_t ns;

	if (deadline <= now + margin)
		return;
	ns = (deadline - now - margin) * 1000000000ull / hz;
	if (ns > 10000000)
		ns = 10000000;	/* wake at least every 10 ms to notice signals */
	ts.tv_sec = 0;
	ts.tv_nsec = (long)ns;
	nanosleep(&ts, NULL);
}

static int
probe_worker_main(void *arg)
{
	struct probe_worker *w = arg;
	uint64_t now, now_next = 0;
	int i;

	/* Sleeps in the low-rate mode should end when asked, not 50 us later. */
	prctl(PR_SET_TIMERSLACK, 1000UL);
	for (i = 0; i < w->n; i++) {
		struct probe_link *L = w->links[i];

		now = rte_rdtsc();
		L->tx_start_tsc = now;	/* start of the next-hop wait */
		L->next_snap_tsc = now + L->interval_tsc;
		L->next_nbr_tsc = now;
		L->cur->start_unix_ns = tsc_unix_ns(now);
	}
	w->loop_cycles = rte_rdtsc();
	for (;;) {
		uint64_t next_event = UINT64_MAX;
		bool spin = w->busy, all_done = true;
		uint32_t work = 0;

		now = now_next != 0 ? now_next : rte_rdtsc();
		for (i = 0; i < w->n; i++) {
			struct probe_link *L = w->links[i];
			uint64_t ev;

			if (L->done)
				continue;
			all_done = false;
			if (likely(L->tx_on) && now >= pacer_next_tsc(&L->pacer) + L->batch_wait_tsc) {
				uint32_t due = pacer_due(&L->pacer, now, DP_BURST);

				if (due != 0) {
					if (likely(link_next_hop_ready(L)))
						link_tx(L, due);
					else
						L->cur->c.tx_skipped += due;
					work += due;
				}
			}
			if (L->tx_on && pacer_next_tsc(&L->pacer) < next_event)
				next_event = pacer_next_tsc(&L->pacer);
			if (unlikely(w->hosts_reflector) && i == 0) {
				uint64_t t0 = rte_rdtsc();

				reflect_poll();
				w->reflector_cycles += rte_rdtsc() - t0;
			}
			work += link_rx(L);
			if (L->redirect != NULL)
				work += link_rx_redirected(L);
			if (now >= L->next_hk_tsc || !L->started) {
				L->hk_next_event = link_housekeeping(L, now);
				L->next_hk_tsc = now + L->hk_tsc;
			}
			ev = L->hk_next_event;
			if (ev < next_event)
				next_event = ev;
			/* Replies due: poll inside their windows, sleep until the next one. */
			if (w->busy) {
				/* never sleeps: no windows to keep */
			} else if (L->win.pending == 0) {
				L->expect_tail = L->expect_head;
			} else {
				while (L->expect_tail != L->expect_head &&
				       now > L->expect[L->expect_tail % EXPECT_RING] + L->spin_win_tsc)
					L->expect_tail++;
				if (L->expect_tail != L->expect_head) {
					uint64_t from = L->expect[L->expect_tail % EXPECT_RING];

					if (now >= from)
						spin = true;
					else if (from < next_event)
						next_event = from;
				}
			}
		}
		if (all_done)
			break;
		w->iterations++;
		if (work != 0) {
			/* the end of this iteration's work is the next one's start: one TSC read */
			uint64_t end = rte_rdtsc();

			w->work_cycles += end - now;
			w->work_iterations++;
			now_next = end;
		} else {
			now_next = 0;
		}
		if (unlikely(w->hosts_reflector) && work != 0)
			w->work_cycles -= w->reflector_cycles - w->reflector_cycles_seen;
		w->reflector_cycles_seen = w->reflector_cycles;
		if (!spin && work == 0 && next_event != UINT64_MAX)
			sleep_until(next_event);
		else if (!w->busy && work == 0)
			sched_yield();	/* waiting for replies: let a reflector on this CPU run */
	}
	w->loop_cycles = rte_rdtsc() - w->loop_cycles;
	return 0;
}

/* --rtt-samples: every lane's round trips, after the run. */
static void
write_rtt_samples(struct probe_worker *ws, unsigned n)
{
	FILE *f = fopen(pcfg.rtt_samples_path, "w");
	unsigned i;
	int j;

	if (f == NULL) {
		fprintf(stderr, "metroprobe-dp: --rtt-samples %s: %s\n", pcfg.rtt_samples_path,
			strerror(errno));
		return;
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < ws[i].n; j++) {
			struct probe_link *L = ws[i].links[j];
			uint32_t k;

			for (k = 0; k < L->n_samples; k++)
				fprintf(f, "%s %u %u\n", L->cfg.name, L->queue, L->samples[k]);
		}
	if (fclose(f) != 0)
		fprintf(stderr, "metroprobe-dp: --rtt-samples %s: %s\n", pcfg.rtt_samples_path,
			strerror(errno));
}

/* First record: who we are and what each link will do. */
static void
probe_hello(struct report *rep)
{
	cJSON *o = cJSON_CreateObject(), *links = cJSON_AddArrayToObject(o, "links");
	char buf[160];
	int i;

	cJSON_AddStringToObject(o, "type", "hello");
	cJSON_AddNumberToObject(o, "v", MP_RECORD_VERSION);
	record_add_u64(o, "pid", getpid());
	record_add_u64(o, "tsc_hz", dp_tsc_hz);
	record_add_u64(o, "tsc_hz_nominal", rte_get_tsc_hz());
	record_add_u64(o, "interval_ms", pcfg.interval_ms);
	record_add_u64(o, "loss_timeout_ms", pcfg.loss_timeout_ms);
	record_add_u64(o, "duration_ms", pcfg.duration_ms);
	for (i = 0; i < pcfg.n_links; i++) {
		struct probe_link *L = lanes_of[i][0];
		cJSON *l = cJSON_CreateObject(), *lanes;
		char dev[RTE_ETH_NAME_MAX_LEN] = "";
		uint64_t rate = 0;
		int q;

		rte_eth_dev_get_name_by_port(L->cfg.port_id, dev);
		cJSON_AddStringToObject(l, "name", L->cfg.name);
		cJSON_AddStringToObject(l, "port", dev);
		mac_format(L->port->mac, buf, sizeof(buf));
		cJSON_AddStringToObject(l, "mac", buf);
		record_add_u64(l, "port_speed_bps", L->port->speed_bps);
		cJSON_AddNumberToObject(l, "lcore", L->lcore);
		cJSON_AddNumberToObject(l, "frame_size", L->frame_size);
		cJSON_AddNumberToObject(l, "frame_size_configured", L->cfg.frame_size);
		frame_mix_format(&L->mix, buf, sizeof(buf));
		cJSON_AddStringToObject(l, "frame_mix", buf);
		lanes = cJSON_AddArrayToObject(l, "lanes");
		for (q = 0; q < L->nq; q++) {
			struct probe_link *Q = lanes_of[i][q];
			cJSON *x = cJSON_CreateObject();

			cJSON_AddNumberToObject(x, "queue", Q->queue);
			cJSON_AddNumberToObject(x, "lcore", Q->lcore);
			cJSON_AddNumberToObject(x, "source_port", Q->sport);
			record_add_u64(x, "rate_millipps", Q->rate_mpps);
			cJSON_AddItemToArray(lanes, x);
			rate += Q->rate_mpps;
		}
		cJSON_AddNumberToObject(l, "queues", L->nq);
		record_add_u64(l, "rate_millipps", rate);
		cJSON_AddNumberToObject(l, "ssid", L->cfg.ssid);
		cJSON_AddStringToObject(l, "clock", mp_clock_name(MP_CLOCK_TSC));
		cJSON_AddBoolToObject(l, "clock_synced", dp_clock_synced);
		record_add_u64(l, "clock_error_ns", dp_clock_error_ns);
		/* t1 is always the TSC's; t4 the device's where frames carry a stamp */
		cJSON_AddStringToObject(l, "rx_timestamps",
					L->hw_ts ? "device_when_stamped" : "software");
		cJSON_AddBoolToObject(l, "busy_poll",
				      pcfg.busy_poll || L->period_tsc < BUSY_PERIOD_US *
				      dp_tsc_hz / 1000000);
		cJSON_AddItemToArray(links, l);
	}
	report_json(rep, o);
}

/* Events for what changed between two snapshots of a link (next hop). */
static void
probe_events(struct report *rep, struct probe_link *L, const struct dp_snap *s,
	     uint32_t *last_gen, bool *last_resolved)
{
	char mac[32], detail[96];
	const char *ev = NULL;

	if (s->nh_generation == *last_gen && s->nh_resolved == *last_resolved)
		return;
	mac_format(s->nh_mac, mac, sizeof(mac));
	if (s->nh_resolved && !*last_resolved)
		ev = "next_hop_resolved";
	else if (s->nh_resolved)
		ev = "next_hop_changed";
	else
		ev = "next_hop_lost";
	ip_addr_format(&L->cfg.next_hop, detail, sizeof(detail));
	snprintf(detail + strlen(detail), sizeof(detail) - strlen(detail), " is-at %s", mac);
	report_event(rep, L->cfg.name, ev, detail);
	*last_gen = s->nh_generation;
	*last_resolved = s->nh_resolved;
}

/*
 * ICMP errors about a link's probes: an event naming the source of the
 * first of each kind, then at most one every ICMP_EVENT_S with the count
 * since the last (the records have every count).
 */
#define ICMP_EVENT_S	10

struct icmp_told {
	bool told[MP_ICMP_MAX];
	uint64_t since[MP_ICMP_MAX];
	uint64_t next_tsc;
};

static void
probe_icmp_events(struct report *rep, struct probe_link *L, const struct dp_snap *s,
		  const struct link_interval *merged, struct icmp_told *t)
{
	char src[64], refl[64], detail[192];
	uint64_t now = rte_rdtsc();
	unsigned k;

	for (k = 0; k < MP_ICMP_MAX; k++)
		t->since[k] += merged->c.icmp_errors[k];
	if (s != NULL && s->icmp_seen && s->icmp_err < MP_ICMP_MAX && !t->told[s->icmp_err]) {
		k = s->icmp_err;
		ip_addr_format(&s->icmp_src, src, sizeof(src));
		ip_addr_format(&L->cfg.reflector, refl, sizeof(refl));
		snprintf(detail, sizeof(detail), "%s from %s (about our probes to %s port %u)",
			 mp_icmp_err_names[k], src, refl, L->cfg.reflector_port);
		report_event(rep, L->cfg.name, "icmp_error", detail);
		t->told[k] = true;
		t->since[k] = 0;
		if (t->next_tsc == 0)
			t->next_tsc = now + ICMP_EVENT_S * dp_tsc_hz;
	}
	if (t->next_tsc == 0 || now < t->next_tsc)
		return;
	for (k = 0; k < MP_ICMP_MAX; k++) {
		if (!t->told[k] || t->since[k] == 0)
			continue;
		snprintf(detail, sizeof(detail), "%s: %" PRIu64 " more in the last %d s",
			 mp_icmp_err_names[k], t->since[k], ICMP_EVENT_S);
		report_event(rep, L->cfg.name, "icmp_error", detail);
		t->since[k] = 0;
	}
	t->next_tsc = now + ICMP_EVENT_S * dp_tsc_hz;
}

/*
 * Main lcore: turn snapshots into interval records until every link has
 * sent its final one. Not a fast path: it sleeps between polls.
 */
static void
probe_report_loop(struct report *rep)
{
	uint32_t gen[DP_MAX_LINKS] = { 0 };
	bool resolved[DP_MAX_LINKS] = { false }, done[DP_MAX_LINKS] = { false };
	bool lane_done[DP_MAX_LINKS][DP_MAX_QUEUES] = { { false } };
	static struct link_interval merged;
	static struct icmp_told icmp[DP_MAX_LINKS];
	uint64_t rec_seq[DP_MAX_LINKS] = { 0 };
	int i, q, n_done = 0;

	while (n_done < pcfg.n_links) {
		bool any = false;

		for (i = 0; i < pcfg.n_links; i++) {
			int nq = lanes_of[i][0]->nq;

			/*
			 * One record per link per interval: take the next snapshot
			 * of every lane that still has some, merge, emit. A lane
			 * that has sent its final snapshot contributes nothing more.
			 */
			while (!done[i]) {
				struct dp_snap *s[DP_MAX_QUEUES] = { NULL };
				bool ready = true, all_final = true;

				for (q = 0; q < nq; q++)
					if (!lane_done[i][q] &&
					    rte_ring_count(lanes_of[i][q]->snap_full) == 0)
						ready = false;
				if (!ready)
					break;
				any = true;
				for (q = 0; q < nq; q++) {
					if (lane_done[i][q])
						continue;
					rte_ring_sc_dequeue(lanes_of[i][q]->snap_full, (void **)&s[q]);
				}
				/* merge into the first snapshot present */
				{
					struct dp_snap *base = NULL;

					for (q = 0; q < nq; q++) {
						if (s[q] == NULL)
							continue;
						if (base == NULL) {
							base = s[q];
							merged = base->li;
						} else {
							link_interval_merge(&merged, &s[q]->li);
						}
						if (s[q]->final)
							lane_done[i][q] = true;
					}
					for (q = 0; q < nq; q++)
						all_final &= lane_done[i][q];
					if (s[0] != NULL)
						probe_events(rep, lanes_of[i][0], s[0], &gen[i], &resolved[i]);
					probe_icmp_events(rep, lanes_of[i][0], s[0], &merged, &icmp[i]);
					merged.queues = (uint32_t)nq;
					merged.seq = rec_seq[i]++;
					report_interval(rep, &merged);
				}
				for (q = 0; q < nq; q++)
					if (s[q] != NULL)
						rte_ring_sp_enqueue(lanes_of[i][q]->snap_free, s[q]);
				if (all_final) {
					done[i] = true;
					n_done++;
				}
			}
		}
		report_poll(rep);
		if (pcfg.control_lost == DP_CTL_LOST_EXIT && !dp_force_quit &&
		    report_lost_ns(rep) > pcfg.control_grace_ms * 1000000ull) {
			/* Control died (no one reads us): stop like on SIGTERM, drain, end. */
			fprintf(stderr, "metroprobe-dp: control has been gone for %" PRIu64 " ms: "
				"stopping (--control-lost exit)\n", report_lost_ns(rep) / 1000000);
			dp_force_quit = true;
			control_lost = true;
		}
		if (!any)
			rte_delay_us_sleep(5000);
	}
}

/*
 * Two ethdevs over two crossed rings, in this process: a loop with no PMD
 * cost to speak of, so the benchmarks see the prober's own cycles.
 */
static int
make_ring_pair(void)
{
	struct rte_ring *r[2];
	int i;

	for (i = 0; i < 2; i++) {
		char name[RTE_RING_NAMESIZE];

		snprintf(name, sizeof(name), "mp_ringpair_%d", i);
		r[i] = rte_ring_create(name, 4096, (int)rte_socket_id(),
				       RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (r[i] == NULL)
			return -ENOMEM;
	}
	{
		int a = rte_eth_from_rings("ring_a", &r[1], 1, &r[0], 1, rte_socket_id());
		int b = rte_eth_from_rings("ring_b", &r[0], 1, &r[1], 1, rte_socket_id());
		char na[RTE_ETH_NAME_MAX_LEN] = "", nb[RTE_ETH_NAME_MAX_LEN] = "";

		if (a < 0 || b < 0) {
			fprintf(stderr, "metroprobe-dp: cannot make the ring pair: %s\n",
				rte_strerror(rte_errno));
			return -rte_errno;
		}
		rte_eth_dev_get_name_by_port((uint16_t)a, na);
		rte_eth_dev_get_name_by_port((uint16_t)b, nb);
		fprintf(stderr, "metroprobe-dp: ring pair: ports %d (%s) and %d (%s)\n", a, na, b, nb);
	}
	return 0;
}

int
probe_main(int argc, char **argv)
{
	struct probe_worker workers[RTE_MAX_LCORE];
	unsigned worker_ids[RTE_MAX_LCORE], n_workers = 0, lc;
	struct report rep;
	int rc, i, j, n_lanes = 0;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--ring-pair") == 0 && make_ring_pair() != 0)
			return 1;
	rc = probe_args_parse(argc, argv, &pcfg);
	if (rc != 0)
		return rc > 0 ? 0 : 2;
	RTE_LCORE_FOREACH_WORKER(lc)
		worker_ids[n_workers++] = lc;
	if (n_workers == 0) {
		fprintf(stderr, "metroprobe-dp: probe needs a worker lcore besides the main one "
			"(e.g. -l 0,1, or --lcores '0@0,1@0' to share one CPU)\n");
		return 2;
	}
	memset(workers, 0, sizeof(workers));
	if (t4_dynfield < 0) {
		static const struct rte_mbuf_dynfield t4_desc = {
			.name = "metroprobe_t4_tsc",
			.size = sizeof(uint64_t),
			.align = __alignof__(uint64_t),
		};

		t4_dynfield = rte_mbuf_dynfield_register(&t4_desc);
		if (t4_dynfield < 0) {
			fprintf(stderr, "metroprobe-dp: cannot register an mbuf field: %s\n",
				rte_strerror(rte_errno));
			return 1;
		}
	}
	if (dp_tmpl_tag_off < 0) {
		static const struct rte_mbuf_dynfield tag_desc = {
			.name = "metroprobe_tmpl_tag",
			.size = sizeof(uint32_t),
			.align = __alignof__(uint32_t),
		};

		dp_tmpl_tag_off = rte_mbuf_dynfield_register(&tag_desc);
		if (dp_tmpl_tag_off < 0) {
			fprintf(stderr, "metroprobe-dp: cannot register an mbuf field: %s\n",
				rte_strerror(rte_errno));
			return 1;
		}
	}
	for (i = 0; i < pcfg.n_links; i++) {
		struct probe_link_cfg *c = &pcfg.links[i];
		struct dp_port *port;
		unsigned q;

		for (j = 0; j < i; j++) {
			if (pcfg.links[j].port_id == c->port_id) {
				fprintf(stderr, "metroprobe-dp: links %s and %s use the same port\n",
					pcfg.links[j].name, c->name);
				return 2;
			}
			if (pcfg.links[j].ssid == c->ssid) {
				fprintf(stderr, "metroprobe-dp: links %s and %s use the same ssid %u\n",
					pcfg.links[j].name, c->name, c->ssid);
				return 2;
			}
		}
		if ((uint32_t)c->source_port + c->queues - 1 > 65535) {
			fprintf(stderr, "metroprobe-dp: link %s: source ports %u..%u do not fit\n",
				c->name, c->source_port, c->source_port + c->queues - 1);
			return 2;
		}
		port = rte_zmalloc_socket("mp_port", sizeof(*port), RTE_CACHE_LINE_SIZE,
					  rte_eth_dev_socket_id(c->port_id));
		if (port == NULL)
			return 1;
		link_port[i] = port;
		port->encap = c->encap;
		port->n_addrs = 1;
		port->addr[0] = c->ip;
		port->plen[0] = c->plen;
		rc = dp_port_setup(port, c->port_id, c->queues,
				   c->frame_size > 2048 ? c->frame_size : 2048,
				   8191 + 4096 * (c->queues - 1u));
		if (rc != 0)
			return 1;
		dp_nbr_add(port, &c->next_hop, c->has_next_hop_mac ? c->next_hop_mac : NULL);
		for (q = 0; q < c->queues; q++) {
			struct probe_link *L;
			unsigned w;

			L = rte_zmalloc_socket("mp_link", sizeof(*L), RTE_CACHE_LINE_SIZE,
					       rte_eth_dev_socket_id(c->port_id));
			if (L == NULL)
				return 1;
			lanes_of[i][q] = L;
			L->cfg = *c;
			L->index = (uint32_t)i;
			L->port = port;
			L->queue = (uint16_t)q;
			L->nq = c->queues;
			L->sport = (uint16_t)(c->source_port + q);
			L->nh = dp_nbr_find(port, &c->next_hop);
			L->nhv.sn = 1;	/* odd: no copy yet */
			if (pcfg.rx_ts_mode != DP_RXTS_SOFTWARE && rx_ts_off < 0) {
				/* registered by a PMD that stamps frames (or by the offload) */
				int bit = rte_mbuf_dynflag_lookup(RTE_MBUF_DYNFLAG_RX_TIMESTAMP_NAME,
								  NULL);

				rx_ts_off = rte_mbuf_dynfield_lookup(RTE_MBUF_DYNFIELD_TIMESTAMP_NAME,
								     NULL);
				if (rx_ts_off >= 0 && bit >= 0)
					rx_ts_flag = UINT64_C(1) << bit;
				else
					rx_ts_off = -1;
			}
			L->hw_ts = rx_ts_off >= 0 &&
				   (pcfg.rx_ts_mode == DP_RXTS_DEVICE ||
				    (pcfg.rx_ts_mode == DP_RXTS_AUTO && port->rx_ts_offload));
			L->hw_ts_unit_ns = port->rx_ts_unit_ns;
			rc = link_prepare(L);
			if (rc == 0)
				rc = link_alloc(L);
			if (rc == -ENOMEM)
				fprintf(stderr, "metroprobe-dp: link %s queue %u: no memory for its "
					"buffers and tables (%s); give DPDK more memory (hugepages: echo N > "
					"/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages; "
					"with --no-huge: -m MB), or "
					"fewer queues or smaller frames\n", c->name, q,
					rte_strerror(rte_errno));
			if (rc != 0)
				return rc == -ENOMEM ? 1 : 2;
			if (c->lcore >= 0 && q == 0) {
				if (!rte_lcore_is_enabled((unsigned)c->lcore) ||
				    (unsigned)c->lcore == rte_get_main_lcore()) {
					fprintf(stderr, "metroprobe-dp: link %s: lcore %d is not a "
						"worker lcore\n", c->name, c->lcore);
					return 2;
				}
				for (w = 0; w < n_workers && worker_ids[w] != (unsigned)c->lcore; w++)
					;
			} else {
				w = (unsigned)n_lanes % n_workers;
			}
			n_lanes++;
			L->lcore = (int)worker_ids[w];
			workers[w].links[workers[w].n++] = L;
			if (pcfg.busy_poll ||
			    L->period_tsc < BUSY_PERIOD_US * dp_tsc_hz / 1000000)
				workers[w].busy = true;
		}
		for (q = 0; q < c->queues; q++)
			for (j = 0; j < c->queues; j++)
				lanes_of[i][q]->lane[j] = lanes_of[i][j];
	}
	/* a busy worker never sleeps: its lanes skip the reply-window bookkeeping */
	for (i = 0; i < (int)n_workers; i++)
		for (j = 0; j < workers[i].n; j++)
			workers[i].links[j]->busy = workers[i].busy;
	for (i = 0; i < pcfg.n_links; i++)
		for (j = 0; j < pcfg.n_links; j++) {
			int q;

			if (i == j)
				continue;
			for (q = 0; q < pcfg.links[i].queues; q++) {
				struct probe_link *L = lanes_of[i][q];

				L->other_ssid[L->n_other++] = pcfg.links[j].ssid;
			}
		}

	if (pcfg.host_reflector != NULL) {
		if (reflect_hosted_setup(pcfg.host_reflector) != 0)
			return 2;
		workers[0].hosts_reflector = true;
		workers[0].busy = true;
	}
	rc = report_open(&rep, pcfg.socket_path);
	if (rc != 0)
		return 1;
	probe_hello(&rep);
	for (i = 0; i < (int)n_workers; i++)
		if (workers[i].n > 0)
			rte_eal_remote_launch(probe_worker_main, &workers[i], worker_ids[i]);
	probe_report_loop(&rep);
	rte_eal_mp_wait_lcore();
	{
		/* How the workers spent their cycles: the benchmarks read this. */
		cJSON *ws = cJSON_CreateArray();

		for (i = 0; i < (int)n_workers; i++) {
			cJSON *o;
			uint64_t sent = 0, rx = 0;

			if (workers[i].n == 0)
				continue;
			o = cJSON_CreateObject();
			for (j = 0; j < workers[i].n; j++) {
				sent += workers[i].links[j]->sent_total;
				rx += workers[i].links[j]->rx_total;
			}
			cJSON_AddNumberToObject(o, "lcore", worker_ids[i]);
			cJSON_AddNumberToObject(o, "links", workers[i].n);
			cJSON_AddBoolToObject(o, "busy_poll", workers[i].busy);
			record_add_u64(o, "loop_cycles", workers[i].loop_cycles);
			record_add_u64(o, "work_cycles", workers[i].work_cycles);
			if (workers[i].hosts_reflector)
				record_add_u64(o, "reflector_cycles", workers[i].reflector_cycles);
			record_add_u64(o, "iterations", workers[i].iterations);
			record_add_u64(o, "work_iterations", workers[i].work_iterations);
			record_add_u64(o, "sent", sent);
			record_add_u64(o, "rx_frames", rx);
			{
				cJSON *ls = cJSON_AddArrayToObject(o, "lanes");

				for (j = 0; j < workers[i].n; j++) {
					struct probe_link *L = workers[i].links[j];
					cJSON *x = cJSON_CreateObject();

					cJSON_AddStringToObject(x, "link", L->cfg.name);
					cJSON_AddNumberToObject(x, "queue", L->queue);
					record_add_u64(x, "sent", L->sent_total);
					record_add_u64(x, "rx_frames", L->rx_total);
					record_add_u64(x, "redirected_out", L->redirected_out);
					record_add_u64(x, "redirected_in", L->redirected_in);
					record_add_u64(x, "bursts", L->bursts);
					if (L->hw_ts) {
						cJSON *h = cJSON_AddObjectToObject(x, "rx_timestamps");

						record_add_u64(h, "device_stamped", L->rx_hw_stamped);
						record_add_u64(h, "software_stamped", L->rx_sw_stamped);
						cJSON_AddNumberToObject(h, "unit_ns", L->hw_ts_unit_ns);
						record_add_u64(h, "refused", L->hw_ts_refused);
						cJSON_AddBoolToObject(h, "calibrated", tscal_ready(L->cal));
						cJSON_AddNumberToObject(h, "ppm", tscal_ppm(L->cal));
						record_add_u64(h, "spread_ns", tscal_spread_ns(L->cal));
						record_add_u64(h, "steps", L->cal->steps);
						record_add_u64(h, "outliers", L->cal->outliers);
						record_add_u64(h, "rejected", L->cal->rejected);
						record_add_u64(h, "late", L->cal->late);
						record_add_u64(h, "implausible", L->cal->implausible);
					}
					if (L->tx_gap->count > 0) {
						cJSON *g = cJSON_AddObjectToObject(x, "tx_gap_ns");

						record_add_u64(g, "min", L->tx_gap->min_ns);
						record_add_u64(g, "p50", hist_quantile(L->tx_gap, 0.5));
						record_add_u64(g, "p90", hist_quantile(L->tx_gap, 0.9));
						record_add_u64(g, "p99", hist_quantile(L->tx_gap, 0.99));
						record_add_u64(g, "p999", hist_quantile(L->tx_gap, 0.999));
						record_add_u64(g, "max", L->tx_gap->max_ns);
						cJSON_AddNumberToObject(g, "mean", hist_mean(L->tx_gap));
					}
					cJSON_AddItemToArray(ls, x);
				}
			}
			cJSON_AddItemToArray(ws, o);
		}
		report_end(&rep, control_lost ? "control_lost" : dp_force_quit ? "signal" : "duration",
			   "", ws);
		if (pcfg.rtt_samples_path != NULL)
			write_rtt_samples(workers, n_workers);
	}
	report_close(&rep);
	rc = 0;
	for (i = 0; i < pcfg.n_links; i++)
		dp_port_close(link_port[i]);
	return rc == 0 ? 0 : 1;
}
