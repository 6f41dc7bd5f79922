/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The prober's set-up, on the main lcore before any worker is launched:
 * one port per link, one lane per queue pair of it (its templates, pacing
 * constants, tables, pool and rings), and the lanes dealt out to the worker
 * lcores. Everything written here is read-only once the workers run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf_dyn.h>
#include <rte_ring.h>

#include "mp_stamp.h"
#include "probe.h"

#define BATCH_NS	2000		/* at high rates, send what is due in 2 us at once */
#define CATCHUP_US	200		/* a stall this long is caught up in full */
#define HK_NS		20000		/* housekeeping (retire, snapshot, ARP) every 20 us */
#define FIRST_SPIN_MS	50		/* before any round trip is known */

int dp_tmpl_tag_off = -1;
int probe_t4_off = -1;
int probe_rx_ts_off = -1;		/* RTE_MBUF_DYNFIELD_TIMESTAMP_NAME, when a PMD has it */
uint64_t probe_rx_ts_flag;

/* An mbuf field of ours (registered once per process); its offset or -1. */
static int
dynfield_register(int *off, const char *name, size_t size)
{
	struct rte_mbuf_dynfield desc = { .size = size, .align = (size_t)size };

	if (*off >= 0)
		return 0;
	snprintf(desc.name, sizeof(desc.name), "%s", name);
	*off = rte_mbuf_dynfield_register(&desc);
	if (*off < 0) {
		fprintf(stderr, "metroprobe-dp: cannot register an mbuf field: %s\n",
			rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

/* Lanes of a link: a queue pair for each queue of each stream. */
static uint16_t
link_lanes(const struct probe_link_cfg *c)
{
	return (uint16_t)(c->queues * (c->nstream > 0 ? c->nstream : 1u));
}

/* The largest frame a link sends, over its streams. */
static uint32_t
link_max_frame(const struct probe_link_cfg *c)
{
	uint32_t max = c->frame_size;
	uint16_t k;

	if (c->nstream > 0)
		max = 0;
	for (k = 0; k < c->nstream; k++)
		max = RTE_MAX(max, c->stream[k].frame_size);
	return max;
}

/*
 * Lane k of a link with streams sends stream k / queues: its rate, mix,
 * DSCP, SSID and outer PCP replace the link's in the lane's copy of the
 * spec, which everything after (templates, pacing, matching) reads.
 */
static void
lane_stream(struct probe_lane *L, const struct probe_link_cfg *c, uint16_t k)
{
	const struct mp_stream_spec *st;
	struct probe_link_cfg *lc = &L->c.cfg;

	L->c.stream_lanes = c->queues;
	L->c.stream = (uint16_t)(k / c->queues);
	L->c.stream_queue = (uint16_t)(k % c->queues);
	if (c->nstream == 0)
		return;
	st = &c->stream[L->c.stream];
	lc->rate = st->rate;
	lc->mix = st->mix;
	lc->frame_size = st->frame_size;
	lc->dscp = st->dscp;
	lc->ssid = st->ssid;
	if (st->pcp >= 0 && lc->encap.nvlan > 0)
		lc->encap.vlan[0].tci = (uint16_t)((lc->encap.vlan[0].tci & 0x1fff) | st->pcp << 13);
}

/* The effective frame mix (raised to the STAMP minimum) and this lane's share of the rate. */
static int
lane_frames(struct probe_lane *L)
{
	const struct probe_link_cfg *c = &L->c.cfg;
	uint32_t min_frame = pkt_min_frame_size(&c->encap, c->ip.family, STAMP_UNAUTH_LEN);
	uint64_t link_bps;

	L->c.mix = c->mix;
	if (frame_mix_raise(&L->c.mix, min_frame) != 0 && L->c.stream_queue == 0) {
		char was[128], now[128];

		frame_mix_format(&c->mix, was, sizeof(was));
		frame_mix_format(&L->c.mix, now, sizeof(now));
		fprintf(stderr, "metroprobe-dp: link %s%s%s: frame size %s raised to %s: %u is the "
			"smallest STAMP frame for this encapsulation\n", c->name,
			c->nstream > 0 ? " stream " : "", c->nstream > 0 ? c->stream[L->c.stream].name : "",
			was, now, min_frame);
	}
	if (c->frame_size > L->c.port->max_frame + 4u * c->encap.nvlan) {
		fprintf(stderr, "metroprobe-dp: link %s: frame size %u is larger than port %u "
			"takes (%u; raise the interface MTU)\n", c->name, c->frame_size,
			c->port_id, L->c.port->max_frame);
		return -EINVAL;
	}
	L->c.frame_size = frame_mix_max_size(&L->c.mix);
	link_bps = c->rate_link_bps != 0 ? c->rate_link_bps : L->c.port->speed_bps;
	L->c.rate_mpps = frame_mix_rate_mpps(&c->rate, &L->c.mix, link_bps);
	/* the rate (of the link, or of the stream) is shared by its lanes; the first takes the remainder */
	if (L->c.rate_mpps != 0)
		L->c.rate_mpps = L->c.rate_mpps / L->c.stream_lanes +
				 (L->c.stream_queue == 0 ? L->c.rate_mpps % L->c.stream_lanes : 0);
	if (L->c.rate_mpps == 0) {
		fprintf(stderr, "metroprobe-dp: link %s: rate needs the link speed (port does "
			"not report it; give link_speed=)\n", c->name);
		return -EINVAL;
	}
	return 0;
}

/* One probe template per frame size of the mix, and what its replies look like. */
static int
lane_templates(struct probe_lane *L)
{
	const struct probe_link_cfg *c = &L->c.cfg;
	uint8_t payload[STAMP_UNAUTH_LEN];
	struct pkt_layout lay;
	struct stamp_test t;
	struct pkt_flow f;
	uint32_t k;
	int len;

	memset(&f, 0, sizeof(f));
	memcpy(f.src_mac, L->c.port->mac, 6);
	f.encap = c->encap;
	f.src = c->ip;
	f.dst = c->reflector;
	f.sport = L->c.sport;
	f.dport = c->reflector_port;
	f.dscp = c->dscp;
	f.ttl = 255;
	memset(&t, 0, sizeof(t));
	t.ssid = c->ssid;
	/* Software TSC stamps; error and S from the kernel's clock state. */
	t.errest = dp_clock_errest;
	if (stamp_test_encode(payload, sizeof(payload), STAMP_UNAUTH, &t) != 0)
		return -EINVAL;
	for (k = 0; k < L->c.mix.n; k++) {
		/* at least 128 + slack: lane_tx copies short templates in fixed 64/128 B moves */
		L->c.tmpl[k] = rte_zmalloc_socket("mp_tmpl", RTE_MAX(L->c.mix.size[k], 128u) + 64, 64,
						rte_eth_dev_socket_id(c->port_id));
		if (L->c.tmpl[k] == NULL)
			return -ENOMEM;
		len = pkt_build_udp(L->c.tmpl[k], RTE_MAX(L->c.mix.size[k], 128u) + 64, &f, payload,
				    sizeof(payload), L->c.mix.size[k], &lay);
		if (len < 0) {
			fprintf(stderr, "metroprobe-dp: link %s: cannot build a %u-byte probe\n",
				c->name, L->c.mix.size[k]);
			return -EINVAL;
		}
		L->c.tmpl_len[k] = (uint16_t)len;
		L->c.tmpl_wire[k] = L->c.mix.size[k] + WIRE_OVERHEAD_BYTES;
		memcpy(&L->c.tmpl_csum[k], L->c.tmpl[k] + lay.udp_csum_off, 2);
		/* headers are the same size in every template: one set of offsets */
		L->c.off_seq = lay.payload_off + STAMP_OFF_SEQ;
		L->c.off_ts = lay.payload_off + STAMP_OFF_TS;
		L->c.off_csum = lay.udp_csum_off;
		L->c.off_dmac = 0;
	}
	L->c.sched_len = (uint32_t)frame_mix_schedule(&L->c.mix, L->c.sched, MIX_MAX_SCHED);
	if (rx_match_init(&L->c.rxm, &c->encap, &c->ip, &c->reflector, L->c.sport,
			  c->reflector_port) != 0)
		return -EINVAL;
	return 0;
}

/* The pacer, and every period and timeout the fast path counts in TSC cycles. */
static int
lane_timing(struct probe_lane *L, const struct probe_cfg *pc, int n_links)
{
	const struct probe_link_cfg *c = &L->c.cfg;
	uint64_t hz = dp_tsc_hz;
	int rc;

	/*
	 * Catch up after a stall of up to CATCHUP_US (a timer interrupt, a
	 * preempted vCPU) in full; past that, skip the backlog (counted as
	 * tx_skipped) rather than send a long burst. At least two bursts.
	 */
	{
		uint64_t catchup = L->c.rate_mpps * CATCHUP_US / 1000000000ull;

		if (catchup < 2 * DP_BURST)
			catchup = 2 * DP_BURST;
		if (catchup > 65536)
			catchup = 65536;
		rc = pacer_init(&L->s.pacer, hz, L->c.rate_mpps, 0, (uint32_t)catchup);
	}
	if (rc != 0) {
		fprintf(stderr, "metroprobe-dp: link %s: rate too high for this TSC\n", c->name);
		return -EINVAL;
	}
	L->c.period_tsc = L->s.pacer.period_tsc;
	L->c.timeout_tsc = pc->loss_timeout_ms * hz / 1000;
	L->c.timeout_ntp = (pc->loss_timeout_ms << 32) / 1000;
	L->c.interval_tsc = pc->interval_ms * hz / 1000;
	L->c.duration_tsc = pc->duration_ms * hz / 1000;
	L->c.tick_tsc = L->c.timeout_tsc / 1000;
	if (L->c.tick_tsc < hz / 1000)
		L->c.tick_tsc = hz / 1000;
	L->c.spin_tsc = pc->rx_spin_us * hz / 1000000;
	L->s.spin_win_tsc = FIRST_SPIN_MS * hz / 1000;
	if (L->s.spin_win_tsc > L->c.timeout_tsc)
		L->s.spin_win_tsc = L->c.timeout_tsc;
	/*
	 * Bursts of up to 32 amortise the TX call; waiting for BATCH_NS worth of
	 * probes keeps bursts spread (2 us apart at most) while not sending
	 * bursts of one at line rate. t1 is taken when a burst leaves, so the
	 * wait never shows in a round trip.
	 */
	{
		uint64_t batch = BATCH_NS * hz / 1000000000ull / (L->c.period_tsc ? L->c.period_tsc : 1);

		if (batch > DP_BURST)
			batch = DP_BURST;
		L->c.batch_wait_tsc = batch > 1 ? (batch - 1) * L->c.period_tsc : 0;
	}
	L->c.hk_tsc = HK_NS * hz / 1000000000ull;
	L->c.loss_timeout_ns = pc->loss_timeout_ms * 1000000ull;
	L->c.start_offset_tsc = L->c.period_tsc * (L->c.index * L->c.nq + L->c.queue) /
				((uint64_t)n_links * L->c.nq);
	return 0;
}

/* The lane's tables: sequence window, retirement ticks, interval statistics, calibration. */
static int
lane_alloc_tables(struct probe_lane *L, const struct probe_cfg *pc, int socket)
{
	unsigned order = seqwin_order_for(L->c.rate_mpps / 1000 + 1, pc->loss_timeout_ms);
	void *mem;

	mem = rte_zmalloc_socket("mp_seqwin", seqwin_mem_size(order), 64, socket);
	L->c.ticks = rte_zmalloc_socket("mp_ticks", sizeof(struct tick) * TICK_RING, 64, socket);
	L->c.cur = rte_zmalloc_socket("mp_cur", sizeof(*L->c.cur), 64, socket);
	L->c.tx_gap = rte_zmalloc_socket("mp_gap", sizeof(*L->c.tx_gap), 64, socket);
	L->c.cal = rte_zmalloc_socket("mp_tscal", sizeof(*L->c.cal), 64, socket);
	if (mem == NULL || L->c.ticks == NULL || L->c.cur == NULL || L->c.tx_gap == NULL ||
	    L->c.cal == NULL)
		return -ENOMEM;
	hist_reset(L->c.tx_gap);
	seqwin_init(&L->s.win, mem, order, 0);
	memset(&L->s.refl_usual, 0, sizeof(L->s.refl_usual));
	L->s.refl_usual.ssid = L->c.cfg.ssid;
	if (pc->rtt_samples_path != NULL) {
		L->c.samples = malloc(sizeof(*L->c.samples) * RTT_SAMPLES_MAX);
		if (L->c.samples == NULL)
			return -ENOMEM;
	}
	/* windows of 1 s: eight slot minima each (a PMD that hands frames over in
	 * batches, like net_pcap, needs slots long enough to catch a frame read
	 * right after it was stamped) */
	tscal_init(L->c.cal, dp_tsc_hz, dp_tsc_hz);
	memset(L->c.cur, 0, sizeof(*L->c.cur));
	snprintf(L->c.cur->link, sizeof(L->c.cur->link), "%s", L->c.cfg.name);
	if (L->c.cfg.nstream > 0)
		snprintf(L->c.cur->stream, sizeof(L->c.cur->stream), "%s",
			 L->c.cfg.stream[L->c.stream].name);
	L->c.cur->link_index = L->c.index;
	L->c.cur->queues = 1;
	L->c.cur->clock = MP_CLOCK_TSC;
	link_interval_reset(L->c.cur);
	jitter_reset(&L->s.jit);
	return 0;
}

/*
 * The lane's TX pool (a buffer keeps its template while it goes round it:
 * TX descriptors in flight, bursts, and the pool's per-lcore cache), the
 * snapshot rings to and from the main lcore, and the redirect ring.
 */
static int
lane_alloc_buffers(struct probe_lane *L, int socket)
{
	uint32_t room = RTE_MAX(L->c.frame_size + RTE_PKTMBUF_HEADROOM,
				(uint32_t)RTE_MBUF_DEFAULT_BUF_SIZE);
	char name[RTE_RING_NAMESIZE];
	unsigned i;

	snprintf(name, sizeof(name), "mp_txp_%u_%u", L->c.index, L->c.queue);
	/* jumbo buffers are 4x the size: a smaller pool */
	L->c.tx_pool = rte_pktmbuf_pool_create(name, room > 4096 ? 2 * DP_TX_DESC + 1023 :
					       4 * DP_TX_DESC + 4095, 256, 0, (uint16_t)room, socket);
	if (L->c.tx_pool == NULL)
		return -ENOMEM;
	L->c.tag_base = (L->c.index * DP_MAX_QUEUES + L->c.queue) * MIX_MAX_SIZES + 1;
	snprintf(name, sizeof(name), "mp_snapf_%u_%u", L->c.index, L->c.queue);
	L->c.snap_free = rte_ring_create(name, DP_SNAP_BUFS, socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(name, sizeof(name), "mp_snapq_%u_%u", L->c.index, L->c.queue);
	L->c.snap_full = rte_ring_create(name, DP_SNAP_BUFS, socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (L->c.snap_free == NULL || L->c.snap_full == NULL)
		return -ENOMEM;
	if (L->c.nq > 1) {
		/* any lane of the link may enqueue, only this one dequeues */
		snprintf(name, sizeof(name), "mp_redir_%u_%u", L->c.index, L->c.queue);
		L->c.redirect = rte_ring_create(name, 4096, socket, RING_F_SC_DEQ);
		if (L->c.redirect == NULL)
			return -ENOMEM;
	}
	for (i = 0; i < DP_SNAP_BUFS - 1; i++) {
		struct dp_snap *s = rte_zmalloc_socket("mp_snap", sizeof(*s), 64, socket);

		if (s == NULL)
			return -ENOMEM;
		rte_ring_sp_enqueue(L->c.snap_free, s);
	}
	return 0;
}

/* Device RX timestamps: registered by a PMD that stamps frames (or by the offload). */
static bool
lane_rx_timestamps(const struct probe_cfg *pc, const struct dp_port *port)
{
	if (pc->rx_ts_mode != DP_RXTS_SOFTWARE && probe_rx_ts_off < 0) {
		int bit = rte_mbuf_dynflag_lookup(RTE_MBUF_DYNFLAG_RX_TIMESTAMP_NAME, NULL);

		probe_rx_ts_off = rte_mbuf_dynfield_lookup(RTE_MBUF_DYNFIELD_TIMESTAMP_NAME, NULL);
		if (probe_rx_ts_off >= 0 && bit >= 0)
			probe_rx_ts_flag = UINT64_C(1) << bit;
		else
			probe_rx_ts_off = -1;
	}
	return probe_rx_ts_off >= 0 && (pc->rx_ts_mode == DP_RXTS_DEVICE ||
					(pc->rx_ts_mode == DP_RXTS_AUTO && port->rx_ts_offload));
}

/* Lane q of link i: its configuration, templates, constants and buffers. */
static int
lane_new(struct probe *p, int i, uint16_t q, struct dp_port *port)
{
	const struct probe_link_cfg *c = &p->cfg.links[i];
	int socket = rte_eth_dev_socket_id(c->port_id);
	struct probe_lane *L;
	int rc;

	L = rte_zmalloc_socket("mp_lane", sizeof(*L), RTE_CACHE_LINE_SIZE, socket);
	if (L == NULL)
		return -ENOMEM;
	p->lanes_of[i][q] = L;
	L->c.cfg = *c;
	lane_stream(L, c, q);
	L->c.index = (uint32_t)i;
	L->c.port = port;
	L->c.port_id = c->port_id;
	L->c.rx_csum_offload = port->rx_csum_offload;
	L->c.queue = q;
	L->c.nq = link_lanes(c);
	L->c.sport = (uint16_t)(c->source_port + q);
	if (p->cfg.path_interval_ms != 0) {
		L->c.path_sport = (uint16_t)(c->source_port + L->c.nq);
		L->c.path_flows = (uint16_t)p->cfg.path_flows;
	}
	L->c.nh = dp_nbr_find(port, &c->next_hop);
	L->s.nhv.sn = 1;	/* odd: no copy taken yet */
	L->c.hw_ts = lane_rx_timestamps(&p->cfg, port);
	L->c.hw_ts_unit_ns = port->rx_ts_unit_ns;
	L->c.busy = p->cfg.busy_poll;
	rc = lane_frames(L);
	if (rc == 0)
		rc = lane_templates(L);
	if (rc == 0)
		rc = lane_timing(L, &p->cfg, p->cfg.n_links);
	if (rc == 0)
		rc = lane_alloc_tables(L, &p->cfg, socket);
	if (rc == 0)
		rc = lane_alloc_buffers(L, socket);
	if (rc == 0 && q == 0 && p->cfg.path_interval_ms != 0)
		rc = probe_path_new(L, &p->cfg, socket);
	if (rc == -ENOMEM)
		fprintf(stderr, "metroprobe-dp: link %s queue %u: no memory for its "
			"buffers and tables (%s); give DPDK more memory (hugepages: echo N > "
			"/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages; "
			"with --no-huge: -m MB), or "
			"fewer queues or smaller frames\n", c->name, q, rte_strerror(rte_errno));
	return rc;
}

/* Links must not share a port or an SSID (of any stream), and their source ports must fit. */
static int
link_check(const struct probe_cfg *pc, int i)
{
	const struct probe_link_cfg *c = &pc->links[i];
	uint16_t mine[MP_MAX_STREAMS], theirs[MP_MAX_STREAMS];
	int j, a, b, na = mp_link_ssids(&c->spec, mine), nb;

	for (j = 0; j < i; j++) {
		if (pc->links[j].port_id == c->port_id) {
			fprintf(stderr, "metroprobe-dp: links %s and %s use the same port\n",
				pc->links[j].name, c->name);
			return -EINVAL;
		}
		nb = mp_link_ssids(&pc->links[j].spec, theirs);
		for (a = 0; a < na; a++)
			for (b = 0; b < nb; b++)
				if (mine[a] == theirs[b]) {
					fprintf(stderr, "metroprobe-dp: links %s and %s use the same "
						"ssid %u\n", pc->links[j].name, c->name, mine[a]);
					return -EINVAL;
				}
	}
	if ((uint32_t)c->source_port + link_lanes(c) - 1 > 65535 || link_lanes(c) > DP_MAX_QUEUES) {
		fprintf(stderr, "metroprobe-dp: link %s: source ports %u..%u do not fit, or more "
			"than %d lanes\n", c->name, c->source_port, c->source_port + link_lanes(c) - 1,
			DP_MAX_QUEUES);
		return -EINVAL;
	}
	return 0;
}

/* Link i's port, its next hop, and a lane per queue pair. */
static int
link_setup(struct probe *p, int i)
{
	const struct probe_link_cfg *c = &p->cfg.links[i];
	uint16_t q, j, nl = link_lanes(c);
	uint32_t frame = link_max_frame(c);
	struct dp_port *port;
	int rc;

	rc = link_check(&p->cfg, i);
	if (rc != 0)
		return rc;
	port = rte_zmalloc_socket("mp_port", sizeof(*port), RTE_CACHE_LINE_SIZE,
				  rte_eth_dev_socket_id(c->port_id));
	if (port == NULL)
		return -ENOMEM;
	p->port_of[i] = port;
	port->encap = c->encap;
	port->n_addrs = 1;
	port->addr[0] = c->ip;
	port->plen[0] = c->plen;
	rc = dp_port_setup(port, c->port_id, nl, frame > 2048 ? frame : 2048,
			   8191 + 4096 * (nl - 1u));
	if (rc != 0)
		return -ENODEV;
	dp_nbr_add(port, &c->next_hop, c->has_next_hop_mac ? c->next_hop_mac : NULL);
	for (q = 0; q < nl; q++) {
		rc = lane_new(p, i, q, port);
		if (rc != 0)
			return rc;
	}
	for (q = 0; q < nl; q++)
		for (j = 0; j < nl; j++)
			p->lanes_of[i][q]->c.lane[j] = p->lanes_of[i][j];
	for (j = 0; j < p->cfg.n_links; j++)
		for (q = 0; q < nl && j != i; q++) {
			struct probe_lane *L = p->lanes_of[i][q];

			L->c.n_other += mp_link_ssids(&p->cfg.links[j].spec,
						      L->c.other_ssid + L->c.n_other);
		}
	return 0;
}

/*
 * Deal the lanes out to the worker lcores: a link's lcore= takes its first
 * lane, the rest go round. A worker with a lane faster than one probe per
 * BUSY_PERIOD_US never sleeps, and then neither do its other lanes.
 */
static int
workers_assign(struct probe *p)
{
	unsigned n_lanes = 0, w;
	int i, q, j;

	for (i = 0; i < p->cfg.n_links; i++) {
		const struct probe_link_cfg *c = &p->cfg.links[i];

		for (q = 0; q < link_lanes(c); q++) {
			struct probe_lane *L = p->lanes_of[i][q];

			if (c->lcore >= 0 && q == 0) {
				if (!rte_lcore_is_enabled((unsigned)c->lcore) ||
				    (unsigned)c->lcore == rte_get_main_lcore()) {
					fprintf(stderr, "metroprobe-dp: link %s: lcore %d is not a "
						"worker lcore\n", c->name, c->lcore);
					return -EINVAL;
				}
				for (w = 0; w < p->n_workers && p->workers[w].lcore != (unsigned)c->lcore; w++)
					;
			} else {
				w = n_lanes % p->n_workers;
			}
			n_lanes++;
			L->c.lcore = (int)p->workers[w].lcore;
			p->workers[w].lanes[p->workers[w].n++] = L;
			if (p->cfg.busy_poll || L->c.period_tsc < BUSY_PERIOD_US * dp_tsc_hz / 1000000)
				p->workers[w].busy = true;
		}
	}
	for (w = 0; w < p->n_workers; w++)
		for (j = 0; j < p->workers[w].n; j++)
			p->workers[w].lanes[j]->c.busy = p->workers[w].busy;
	return 0;
}

/*
 * Everything before launch. Returns 0, -EINVAL (a bad configuration), or
 * another -errno (no memory, a port that would not start).
 */
int
probe_setup(struct probe *p)
{
	unsigned lc;
	int i, rc;

	RTE_LCORE_FOREACH_WORKER(lc)
		p->n_workers++;
	if (p->n_workers == 0) {
		fprintf(stderr, "metroprobe-dp: probe needs a worker lcore besides the main one "
			"(e.g. -l 0,1, or --lcores '0@0,1@0' to share one CPU)\n");
		return -EINVAL;
	}
	p->workers = rte_zmalloc("mp_workers", sizeof(*p->workers) * p->n_workers,
				 RTE_CACHE_LINE_SIZE);
	if (p->workers == NULL)
		return -ENOMEM;
	p->n_workers = 0;
	RTE_LCORE_FOREACH_WORKER(lc)
		p->workers[p->n_workers++].lcore = lc;
	if (dynfield_register(&probe_t4_off, "metroprobe_t4_tsc", sizeof(uint64_t)) != 0 ||
	    dynfield_register(&dp_tmpl_tag_off, "metroprobe_tmpl_tag", sizeof(uint32_t)) != 0)
		return -ENOMEM;
	p->n_links = p->cfg.n_links;
	for (i = 0; i < p->cfg.n_links; i++) {
		rc = link_setup(p, i);
		if (rc != 0)
			return rc;
	}
	return workers_assign(p);
}
