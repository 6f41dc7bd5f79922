/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config's "path" section: the dataplane's path probes (mp_path.h),
 * whose hop lists the diversity analysis compares (pathmap.h).
 *
 *   "path": {                         or true (these defaults), or false (off)
 *     "interval_ms": 10000,           a round of path probes this often (the first
 *                                     at the start: every run has hop lists); 0 = off
 *     "max_ttl": 16,                  the highest TTL probed (1..32)
 *     "flows": 3,                     flows traced, each its own UDP source port
 *                                     (source_port + queues + flow), so that the
 *                                     ECMP alternatives show (1..8)
 *     "expected_shared": ["10.0.0.1"] hops both links may cross without risk
 *                                     (an on-premises router answering from one
 *                                     address); the links' next hops always are
 *   }
 */
#ifndef MP_PATH_CONFIG_H
#define MP_PATH_CONFIG_H

#include <stdint.h>

#include <cjson/cJSON.h>

#define PATH_CFG_INTERVAL_MS	10000	/* a round every 10 s: hop lists in every run */
#define PATH_CFG_EXPECTED_MAX	8
#define PATH_CFG_ADDR_MAX	48

struct mp_path_cfg {
	uint32_t interval_ms;		/* 0: no path probes */
	uint32_t max_ttl;
	uint32_t flows;
	int n_expected;
	char expected_shared[PATH_CFG_EXPECTED_MAX][PATH_CFG_ADDR_MAX];
};

struct cfg_ctx;
struct mp_config;
/* The "path" section (cfg_parse.h); o NULL: the defaults. */
int path_config_parse(struct cfg_ctx *x, const cJSON *o, struct mp_config *c);

#endif
