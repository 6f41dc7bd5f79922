/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * floor_loop: the least a prober can do per probe for a whole round trip,
 * on ONE lcore, so metroprobe-dp's probe loop can be stated as a ratio to
 * it. Two modes:
 *
 * ring (default): two ethdevs made from two crossed rings, so that what the
 * prober's port sends the reflector's port receives and the other way
 * round, flat out. Each iteration:
 *   prober    take 32 mbufs, copy a template, write seq and a TSC stamp, send;
 *   reflector receive, swap the MACs, send back (timed apart, subtracted);
 *   prober    receive, take the TSC, add (now - stamp) in ns to a histogram.
 * cycles_per_probe = (loop cycles - reflector step cycles) / probes received.
 *
 * port (--port NAME --rate R): the same prober steps against a real STAMP
 * reflector (metroprobe-dp reflect) on a real port, e.g. net_memif0, paced
 * by the core's TSC pacer, with the cycle accounting of metroprobe-dp's
 * worker: cycles_per_probe = cycles of iterations that sent or received /
 * replies received. This is the floor for the same PMD at the same rate.
 *
 *   floor_loop -l 1 --no-pci --in-memory -- [--duration-ms N] [--len N]
 *   floor_loop -l 1 --no-pci --in-memory --vdev net_memif0,... -- --port net_memif0 --rate 1Mpps
 *
 * Prints one JSON object on stdout.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>
#include <rte_ring.h>

#include "mp_hist.h"
#include "mp_pkt.h"
#include "mp_rate.h"
#include "mp_stamp.h"
#include "mp_time.h"
#include "bench.h"

#define FL_RING_SIZE	1024
#define FL_LINK_WAIT_MS	10000	/* port mode: wait this long for the link */
#define FL_DRAIN_MS	50	/* port mode: keep receiving this long after the last send */

struct fl_ctx {
	uint16_t pport;		/* prober's port */
	uint16_t rport;		/* reflector's port (ring mode) */
	struct rte_mempool *pool;
	uint8_t tmpl[2048] __rte_aligned(64);
	uint32_t len;
	uint16_t off_seq;	/* request: sequence number */
	uint16_t off_ts;	/* request: our TSC stamp */
	uint16_t off_rx_ts;	/* received frame: where our stamp comes back */
	uint32_t seq;
	struct tsc_clock clk;
	struct hist *rtt;
	uint64_t sent, received, reflected, alloc_failed, tx_failed;
	uint64_t refl_cycles;
	/* port mode, as metroprobe-dp's worker counts */
	uint64_t loop_cycles, work_cycles, iterations, work_iterations;
};

/* A crossed pair of ring ethdevs; names carry the pid so concurrent runs never meet. */
static int
fl_make_ring_ports(struct fl_ctx *c)
{
	char name[RTE_RING_NAMESIZE];
	struct rte_ring *ab, *ba;
	int p, r;

	snprintf(name, sizeof(name), "fl_ab_%d", (int)getpid());
	ab = rte_ring_create(name, FL_RING_SIZE, (int)rte_socket_id(),
			     RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(name, sizeof(name), "fl_ba_%d", (int)getpid());
	ba = rte_ring_create(name, FL_RING_SIZE, (int)rte_socket_id(),
			     RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (ab == NULL || ba == NULL)
		return -ENOMEM;
	snprintf(name, sizeof(name), "fl_p_%d", (int)getpid());
	p = rte_eth_from_rings(name, &ba, 1, &ab, 1, (unsigned)rte_socket_id());
	snprintf(name, sizeof(name), "fl_r_%d", (int)getpid());
	r = rte_eth_from_rings(name, &ab, 1, &ba, 1, (unsigned)rte_socket_id());
	if (p < 0 || r < 0)
		return -ENODEV;
	c->pport = (uint16_t)p;
	c->rport = (uint16_t)r;
	return 0;
}

/*
 * A real STAMP request 192.0.2.1 -> 192.0.2.2 (what bench/run's reflector
 * answers), built by the core library. The UDP checksum is 0 ("none", valid
 * over IPv4), so the floor need not patch it per packet.
 */
static int
fl_stamp_template(struct fl_ctx *c, uint32_t frame_size)
{
	struct pkt_flow f;
	struct pkt_layout lay;
	struct stamp_test t;
	struct rte_ether_addr mac;
	uint8_t payload[STAMP_UNAUTH_LEN];
	uint32_t min;
	int len;

	memset(&f, 0, sizeof(f));
	min = pkt_min_frame_size(&f.encap, 4, STAMP_UNAUTH_LEN);
	if (frame_size < min)
		frame_size = min;
	rte_eth_macaddr_get(c->pport, &mac);
	memcpy(f.src_mac, mac.addr_bytes, 6);
	memset(f.dst_mac, 0xff, 6);	/* the reflector answers to our source MAC */
	ip_addr_parse("192.0.2.1", &f.src, NULL);
	ip_addr_parse("192.0.2.2", &f.dst, NULL);
	f.sport = STAMP_UDP_PORT;
	f.dport = STAMP_UDP_PORT;
	f.ttl = 255;
	memset(&t, 0, sizeof(t));
	t.ssid = 1;
	if (stamp_test_encode(payload, sizeof(payload), STAMP_UNAUTH, &t) != 0)
		return -EINVAL;
	len = pkt_build_udp(c->tmpl, sizeof(c->tmpl), &f, payload, sizeof(payload), frame_size,
			    &lay);
	if (len < 0)
		return len;
	memset(c->tmpl + lay.udp_csum_off, 0, 2);
	c->len = (uint32_t)len;
	c->off_seq = lay.payload_off + STAMP_OFF_SEQ;
	c->off_ts = lay.payload_off + STAMP_OFF_TS;
	c->off_rx_ts = lay.payload_off + STAMP_OFF_SENDER_TS;
	return 0;
}

/* Ring mode: a plausible Ethernet/IPv4/UDP frame; only the stamp's place matters. */
static void
fl_ring_template(struct fl_ctx *c, uint32_t len)
{
	static const uint8_t hdr[] = {
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x08, 0x00,
		0x45, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0xff, 0x11, 0x00, 0x00,
		192, 0, 2, 1, 192, 0, 2, 2,
		0x03, 0x5e, 0x03, 0x5e, 0x00, 0x00, 0x00, 0x00,
	};
	uint16_t ip_len = rte_cpu_to_be_16((uint16_t)(len - 14));
	uint16_t udp_len = rte_cpu_to_be_16((uint16_t)(len - 34));

	memset(c->tmpl, 0, len);
	memcpy(c->tmpl, hdr, sizeof(hdr));
	memcpy(c->tmpl + 16, &ip_len, 2);
	memcpy(c->tmpl + 38, &udp_len, 2);
	c->len = len;
	c->off_seq = 42 + STAMP_OFF_SEQ;	/* Ethernet 14 + IPv4 20 + UDP 8 */
	c->off_ts = 42 + STAMP_OFF_TS;
	c->off_rx_ts = c->off_ts;	/* the ring reflector only swaps MACs */
}

static inline void
fl_send(struct fl_ctx *c, uint32_t n)
{
	struct rte_mbuf *m[BENCH_BURST];
	uint64_t ts;
	uint16_t i, s;

	if (rte_pktmbuf_alloc_bulk(c->pool, m, n) != 0) {
		c->alloc_failed++;
		return;
	}
	ts = rte_rdtsc();
	for (i = 0; i < n; i++) {
		uint8_t *d = rte_pktmbuf_mtod(m[i], uint8_t *);
		uint32_t seq_be = rte_cpu_to_be_32(c->seq + i);

		rte_memcpy(d, c->tmpl, c->len);
		m[i]->data_len = (uint16_t)c->len;
		m[i]->pkt_len = c->len;
		memcpy(d + c->off_seq, &seq_be, 4);
		memcpy(d + c->off_ts, &ts, 8);
	}
	s = rte_eth_tx_burst(c->pport, 0, m, (uint16_t)n);
	if (s < n) {
		rte_pktmbuf_free_bulk(m + s, n - s);
		c->tx_failed += n - s;
	}
	c->seq += s;
	c->sent += s;
}

/* Ring mode's far end: not the prober's work, timed apart by the caller. */
static inline void
fl_reflect(struct fl_ctx *c)
{
	struct rte_mbuf *m[BENCH_BURST];
	uint16_t i, n, s;

	n = rte_eth_rx_burst(c->rport, 0, m, BENCH_BURST);
	for (i = 0; i < n; i++) {
		uint8_t *d = rte_pktmbuf_mtod(m[i], uint8_t *);
		uint8_t tmp[6];

		memcpy(tmp, d, 6);
		memcpy(d, d + 6, 6);
		memcpy(d + 6, tmp, 6);
	}
	s = rte_eth_tx_burst(c->rport, 0, m, n);
	if (s < n)
		rte_pktmbuf_free_bulk(m + s, n - s);
	c->reflected += s;
}

static inline uint16_t
fl_receive(struct fl_ctx *c)
{
	struct rte_mbuf *m[BENCH_BURST];
	uint64_t t4;
	uint16_t i, n;

	n = rte_eth_rx_burst(c->pport, 0, m, BENCH_BURST);
	if (n == 0)
		return 0;
	t4 = rte_rdtsc();
	for (i = 0; i < n; i++) {
		const uint8_t *d = rte_pktmbuf_mtod(m[i], const uint8_t *);
		uint64_t t1;

		memcpy(&t1, d + c->off_rx_ts, 8);
		hist_add(c->rtt, tsc_clock_ns(&c->clk, t4 - t1));
	}
	rte_pktmbuf_free_bulk(m, n);
	c->received += n;
	return n;
}

/* Ring mode: flat out, the reflector step timed apart so it can be subtracted. */
static void
fl_run_ring(struct fl_ctx *c, uint64_t duration_tsc)
{
	uint64_t t0 = rte_rdtsc(), end = t0 + duration_tsc, now;

	for (now = t0; now < end; now = rte_rdtsc()) {
		uint64_t r0;

		fl_send(c, BENCH_BURST);
		r0 = rte_rdtsc();
		fl_reflect(c);
		c->refl_cycles += rte_rdtsc() - r0;
		fl_receive(c);
	}
	c->loop_cycles = rte_rdtsc() - t0;
	c->work_cycles = c->loop_cycles - c->refl_cycles;
}

/* Port mode: paced, counted like metroprobe-dp's worker (cycles of iterations with work). */
static int
fl_run_port(struct fl_ctx *c, uint64_t duration_tsc, uint64_t rate_mpps)
{
	uint64_t hz = rte_get_tsc_hz(), t0 = rte_rdtsc(), end, stop;
	struct pacer pc;

	if (pacer_init(&pc, hz, rate_mpps, t0, 8) != 0)
		return -EINVAL;
	end = t0 + duration_tsc;
	stop = end + FL_DRAIN_MS * hz / 1000;
	for (;;) {
		uint64_t now = rte_rdtsc();
		uint32_t work = 0;

		if (now >= stop)
			break;
		if (now < end) {
			uint32_t due = pacer_due(&pc, now, BENCH_BURST);

			if (due != 0) {
				fl_send(c, due);
				work += due;
			}
		}
		work += fl_receive(c);
		c->iterations++;
		if (work != 0) {
			c->work_cycles += rte_rdtsc() - now;
			c->work_iterations++;
		}
	}
	c->loop_cycles = rte_rdtsc() - t0;
	return 0;
}

static int
fl_wait_link(uint16_t port)
{
	uint64_t until = rte_rdtsc() + FL_LINK_WAIT_MS * rte_get_tsc_hz() / 1000;
	struct rte_eth_link link;

	do {
		memset(&link, 0, sizeof(link));
		rte_eth_link_get_nowait(port, &link);
		if (link.link_status == RTE_ETH_LINK_UP)
			return 0;
		rte_delay_us_sleep(10000);
	} while (rte_rdtsc() < until);
	return -ETIMEDOUT;
}

static void
fl_print(const struct fl_ctx *c, const struct bench_opts *o, uint64_t rate_mpps)
{
	printf("{\"program\":\"floor_loop\",\"mode\":\"%s\",\"tsc_hz\":%" PRIu64 ",\"len\":%u"
	       ",\"rate_pps\":%.0f,\"loop_cycles\":%" PRIu64 ",\"work_cycles\":%" PRIu64
	       ",\"reflector_cycles\":%" PRIu64 ",\"iterations\":%" PRIu64
	       ",\"work_iterations\":%" PRIu64 ",\"sent\":%" PRIu64 ",\"reflected\":%" PRIu64
	       ",\"received\":%" PRIu64 ",\"tx_failed\":%" PRIu64 ",\"alloc_failed\":%" PRIu64
	       ",\"rtt_p50_ns\":%" PRIu64 ",\"rtt_p99_ns\":%" PRIu64
	       ",\"cycles_per_probe\":%.2f}\n",
	       o->port != NULL ? "port" : "ring", rte_get_tsc_hz(), c->len,
	       (double)rate_mpps / 1000.0, c->loop_cycles, c->work_cycles, c->refl_cycles,
	       c->iterations, c->work_iterations, c->sent, c->reflected, c->received,
	       c->tx_failed, c->alloc_failed,
	       hist_quantile(c->rtt, 0.5), hist_quantile(c->rtt, 0.99),
	       c->received != 0 ? (double)c->work_cycles / (double)c->received : 0.0);
}

int
main(int argc, char **argv)
{
	struct bench_opts o;
	struct fl_ctx *c = NULL;
	uint64_t hz, rate_mpps = 0;
	int rc;

	rc = rte_eal_init(argc, argv);
	if (rc < 0) {
		fprintf(stderr, "floor_loop: EAL init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	rc = bench_parse(argc - rc, argv + rc, &o, "floor_loop");
	if (rc != 0)
		goto out;
	c = rte_zmalloc("fl_ctx", sizeof(*c), 64);
	if (c != NULL)
		c->rtt = rte_zmalloc("fl_hist", sizeof(*c->rtt), 64);
	if (c == NULL || c->rtt == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	hist_reset(c->rtt);
	hz = rte_get_tsc_hz();
	tsc_clock_init(&c->clk, hz, rte_rdtsc(), 0);
	c->pool = bench_pool_create("fl");
	if (c->pool == NULL) {
		fprintf(stderr, "floor_loop: no mbuf pool: %s\n", rte_strerror(rte_errno));
		rc = -ENOMEM;
		goto out;
	}
	if (o.port == NULL) {
		rc = fl_make_ring_ports(c);
		if (rc != 0) {
			fprintf(stderr, "floor_loop: cannot make the ring ports: %s\n",
				strerror(-rc));
			goto out;
		}
		rc = bench_port_setup(c->pport, c->pool);
		if (rc == 0)
			rc = bench_port_setup(c->rport, c->pool);
		if (rc != 0)
			goto out;
		fl_ring_template(c, o.len);
		fl_run_ring(c, o.duration_ms * hz / 1000);
		rte_eth_dev_stop(c->rport);
	} else {
		rate_mpps = rate_mpps_milli(&o.rate, 64, 0);
		if (rte_eth_dev_get_port_by_name(o.port, &c->pport) != 0) {
			fprintf(stderr, "floor_loop: no port '%s' (pass it with --vdev)\n", o.port);
			rc = -ENODEV;
			goto out;
		}
		rc = bench_port_setup(c->pport, c->pool);
		if (rc != 0)
			goto out;
		rc = fl_stamp_template(c, o.len);
		if (rc == 0 && fl_wait_link(c->pport) != 0) {
			fprintf(stderr, "floor_loop: port %s: link not up after %d ms\n", o.port,
				FL_LINK_WAIT_MS);
			rc = -ETIMEDOUT;
		}
		if (rc == 0)
			rc = fl_run_port(c, o.duration_ms * hz / 1000, rate_mpps);
		if (rc != 0)
			goto out;
	}
	fl_print(c, &o, rate_mpps);
	rte_eth_dev_stop(c->pport);
	rc = 0;
out:
	if (c != NULL) {
		rte_free(c->rtt);
		rte_free(c);
	}
	rte_eal_cleanup();
	return rc == 0 || rc == 1 ? 0 : 1;
}
