/* SPDX-License-Identifier: BSD-3-Clause */
/* Port, pool and option set-up shared by the floor benchmarks. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "bench.h"

static void
bench_usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s [EAL options] -- [--duration-ms N] [--len N] [--port NAME --rate R]\n"
		"  --duration-ms N  measure for N ms (2000)\n"
		"  --len N          packet template length in bytes, 60..2000 (64)\n"
		"  --port NAME      floor_loop: probe a STAMP reflector on this port (e.g.\n"
		"                   net_memif0) instead of the built-in ring pair\n"
		"  --rate R         with --port: pace at R (1Mpps, 500kpps, ...)\n"
		"Prints one JSON object on stdout.\n", prog);
}

int
bench_parse(int argc, char **argv, struct bench_opts *o, const char *prog)
{
	static const struct option opts[] = {
		{ "duration-ms", required_argument, NULL, 'd' },
		{ "len", required_argument, NULL, 'l' },
		{ "port", required_argument, NULL, 'p' },
		{ "rate", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *err = NULL;
	char *end;
	unsigned long long v;
	int c;

	o->duration_ms = 2000;
	o->len = 64;
	o->port = NULL;
	o->has_rate = false;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			v = strtoull(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || v == 0 || v > 600000) {
				fprintf(stderr, "%s: bad --duration-ms '%s' (1..600000)\n",
					prog, optarg);
				return -EINVAL;
			}
			o->duration_ms = v;
			break;
		case 'l':
			v = strtoull(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || v < 60 || v > 2000) {
				fprintf(stderr, "%s: bad --len '%s' (60..2000)\n", prog, optarg);
				return -EINVAL;
			}
			o->len = (uint32_t)v;
			break;
		case 'p':
			o->port = optarg;
			break;
		case 'r':
			if (rate_parse(optarg, &o->rate, &err) != 0 || o->rate.kind != RATE_PPS) {
				fprintf(stderr, "%s: bad --rate '%s' (a packet rate: 1Mpps)%s%s\n",
					prog, optarg, err != NULL ? ": " : "", err != NULL ? err : "");
				return -EINVAL;
			}
			o->has_rate = true;
			break;
		case 'h':
			bench_usage(stdout, prog);
			return 1;
		default:
			bench_usage(stderr, prog);
			return -EINVAL;
		}
	}
	if ((o->port != NULL) != o->has_rate) {
		fprintf(stderr, "%s: --port and --rate go together\n", prog);
		return -EINVAL;
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", prog, argv[optind]);
		return -EINVAL;
	}
	return 0;
}

struct rte_mempool *
bench_pool_create(const char *tag)
{
	char name[RTE_MEMPOOL_NAMESIZE];

	snprintf(name, sizeof(name), "bp_%s_%d", tag, (int)getpid());
	return rte_pktmbuf_pool_create(name, BENCH_NB_MBUFS, BENCH_POOL_CACHE, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
}

int
bench_port_setup(uint16_t port, struct rte_mempool *pool)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	uint16_t rxd = BENCH_NB_DESC, txd = BENCH_NB_DESC;
	int socket, rc;

	rc = rte_eth_dev_info_get(port, &info);
	if (rc != 0)
		return rc;
	socket = rte_eth_dev_socket_id(port);
	if (socket < 0)
		socket = (int)rte_socket_id();
	memset(&conf, 0, sizeof(conf));
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE)
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	rc = rte_eth_dev_configure(port, 1, 1, &conf);
	if (rc == 0)
		rc = rte_eth_dev_adjust_nb_rx_tx_desc(port, &rxd, &txd);
	if (rc == 0)
		rc = rte_eth_rx_queue_setup(port, 0, rxd, socket, NULL, pool);
	if (rc == 0)
		rc = rte_eth_tx_queue_setup(port, 0, txd, socket, NULL);
	if (rc == 0)
		rc = rte_eth_dev_start(port);
	if (rc != 0)
		fprintf(stderr, "bench: port %u set-up failed: %s\n", port, strerror(-rc));
	return rc;
}
