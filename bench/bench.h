/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared pieces of the floor benchmarks (floor_tx, floor_loop): a port set
 * up the way metroprobe-dp sets up its ports (same pool size, cache,
 * descriptor counts and offloads), so the floors differ from the real
 * program only in the work per packet, and a small option parser.
 */
#ifndef MP_BENCH_H
#define MP_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>

#include "mp_rate.h"

#define BENCH_BURST		32
#define BENCH_NB_MBUFS		8191	/* as metroprobe-dp's probe ports */
#define BENCH_POOL_CACHE	256
#define BENCH_NB_DESC		1024

struct bench_opts {
	uint64_t duration_ms;	/* how long the measured loop runs */
	uint32_t len;		/* template length in bytes (frame without FCS) */
	const char *port;	/* floor_loop: a real port instead of the ring pair */
	bool has_rate;
	struct rate rate;	/* floor_loop --port: pace at this rate */
};

/* Parse the options after EAL's; returns 0, 1 for --help, or -EINVAL. */
int bench_parse(int argc, char **argv, struct bench_opts *o, const char *prog);

/* A pool named after the process so concurrent runs never collide. */
struct rte_mempool *bench_pool_create(const char *tag);

/* One RX and one TX queue on port, started. Returns 0 or -errno. */
int bench_port_setup(uint16_t port, struct rte_mempool *pool);

#endif
