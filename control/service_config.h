/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config's "service" section: what `metroprobe serve` runs with. All
 * optional; absent, serve uses the defaults below and `run` keeps its
 * files as before (no rotation).
 *
 *   "service": {
 *     "name": "ams",               the instance: socket, pid file, systemd %i
 *                                  (default: the config file's name without .json)
 *     "socket": "/run/metroprobe/ams.sock",   default /run/metroprobe/NAME.sock
 *     "default_rate": "10pps",     a link without "rate" probes at this under serve
 *     "budget": "1Mbps",           per link, wire bits/s; serve refuses a link above
 *                                  it unless --allow-rate
 *     "rotate_bytes": 67108864,    rotate a JSON-lines file before it passes this (0 off)
 *     "rotate_s": 3600,            and at each multiple of this, UTC (0 off)
 *     "keep_files": 168,           rotated files kept per file (0: no count bound)
 *     "keep_s": 604800,            rotated files older than this go (0: no age bound)
 *     "window_s": 60               the last-completed-window summary's length
 *   }
 */
#ifndef MP_SERVICE_CONFIG_H
#define MP_SERVICE_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define SVC_DEFAULT_RATE	"10pps"
#define SVC_DEFAULT_BUDGET_BPS	1000000ull	/* 1 Mbit/s: 0.1% of a 1 Gbit/s circuit */
#define SVC_DEFAULT_ROTATE_BYTES	(64ull << 20)
#define SVC_DEFAULT_ROTATE_S	3600u
#define SVC_DEFAULT_KEEP_FILES	168u		/* a week of hourly files */
#define SVC_DEFAULT_KEEP_S	(7u * 86400u)
#define SVC_DEFAULT_WINDOW_S	60u
#define SVC_RUN_DIR		"/run/metroprobe"

struct svc_cfg {
	bool present;			/* the config has a "service" section */
	char name[32];			/* "" until serve names it */
	char socket[108];		/* "" : SVC_RUN_DIR/NAME.sock */
	char default_rate[64];
	uint64_t budget_bps;
	uint64_t rotate_bytes;
	uint32_t rotate_s;
	uint32_t keep_files;
	uint32_t keep_s;
	uint32_t window_s;
};

struct cfg_ctx;
struct mp_config;
struct rot_policy;

/* The section's parser (cfg_sections[]); o NULL: the defaults. */
int service_config_parse(struct cfg_ctx *x, const cJSON *o, struct mp_config *c);
/* The rotation the section asks for: none without a section (a run as before). */
void service_rot_policy(const struct svc_cfg *s, struct rot_policy *p);

#endif
