/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * floor_tx: the least a DPDK sender can do per probe, measured on the same
 * machine and PMD as metroprobe-dp's TX path, so that the prober's cost can
 * be stated as a ratio to it. Per burst of 32: take mbufs from the pool in
 * bulk, copy a template into each, write a sequence number and one TSC
 * timestamp into each, rte_eth_tx_burst, free what was not taken.
 *
 *   floor_tx -l 1 --no-pci --in-memory --vdev net_null0,no-rx=1 -- [--duration-ms N] [--len N]
 *
 * Prints {"program":"floor_tx","tsc_hz":..,"cycles":..,"sent":..,"cycles_per_pkt":..}.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>

#include "bench.h"

#define FTX_OFF_SEQ	42	/* Ethernet 14 + IPv4 20 + UDP 8: where STAMP's seq is */
#define FTX_OFF_TS	46

/* A plausible Ethernet/IPv4/UDP frame; net_null never looks at it. */
static void
ftx_template(uint8_t *t, uint32_t len)
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

	memset(t, 0, len);
	memcpy(t, hdr, sizeof(hdr));
	memcpy(t + 16, &ip_len, 2);
	memcpy(t + 38, &udp_len, 2);
}

int
main(int argc, char **argv)
{
	struct bench_opts o;
	struct rte_mempool *pool;
	struct rte_mbuf *m[BENCH_BURST];
	uint8_t tmpl[2048] __rte_aligned(64);
	uint64_t hz, t0, end, now, cycles, sent = 0, alloc_failed = 0, tx_failed = 0;
	uint32_t seq = 0;
	int rc;

	rc = rte_eal_init(argc, argv);
	if (rc < 0) {
		fprintf(stderr, "floor_tx: EAL init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	rc = bench_parse(argc - rc, argv + rc, &o, "floor_tx");
	if (rc == 0 && o.port != NULL) {
		fprintf(stderr, "floor_tx: --port and --rate are floor_loop's\n");
		rc = -EINVAL;
	}
	if (rc != 0)
		goto out;
	if (rte_eth_dev_count_avail() < 1) {
		fprintf(stderr, "floor_tx: no port (pass --vdev net_null0,no-rx=1)\n");
		rc = -ENODEV;
		goto out;
	}
	pool = bench_pool_create("ftx");
	if (pool == NULL) {
		fprintf(stderr, "floor_tx: no mbuf pool: %s\n", rte_strerror(rte_errno));
		rc = -ENOMEM;
		goto out;
	}
	rc = bench_port_setup(0, pool);
	if (rc != 0)
		goto out;
	ftx_template(tmpl, o.len);
	hz = rte_get_tsc_hz();

	t0 = rte_rdtsc();
	end = t0 + o.duration_ms * hz / 1000;
	for (now = t0; now < end; now = rte_rdtsc()) {
		uint64_t ts;
		uint16_t i, n;

		if (rte_pktmbuf_alloc_bulk(pool, m, BENCH_BURST) != 0) {
			alloc_failed++;
			continue;
		}
		ts = rte_rdtsc();
		for (i = 0; i < BENCH_BURST; i++) {
			uint8_t *d = rte_pktmbuf_mtod(m[i], uint8_t *);
			uint32_t seq_be = rte_cpu_to_be_32(seq + i);

			rte_memcpy(d, tmpl, o.len);
			m[i]->data_len = (uint16_t)o.len;
			m[i]->pkt_len = o.len;
			memcpy(d + FTX_OFF_SEQ, &seq_be, 4);
			memcpy(d + FTX_OFF_TS, &ts, 8);
		}
		n = rte_eth_tx_burst(0, 0, m, BENCH_BURST);
		for (i = n; i < BENCH_BURST; i++)
			rte_pktmbuf_free(m[i]);
		tx_failed += BENCH_BURST - n;
		seq += n;
		sent += n;
	}
	cycles = rte_rdtsc() - t0;
	printf("{\"program\":\"floor_tx\",\"tsc_hz\":%" PRIu64 ",\"len\":%u,\"cycles\":%" PRIu64
	       ",\"sent\":%" PRIu64 ",\"tx_failed\":%" PRIu64 ",\"alloc_failed\":%" PRIu64
	       ",\"cycles_per_pkt\":%.2f}\n",
	       hz, o.len, cycles, sent, tx_failed, alloc_failed,
	       sent != 0 ? (double)cycles / (double)sent : 0.0);
	rte_eth_dev_stop(0);
	rte_eth_dev_close(0);
out:
	rte_eal_cleanup();
	return rc == 0 || rc == 1 ? 0 : 1;
}
