/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config's "sla" section: objectives per link, for every link, or for
 * the pair, each a metric over a rolling window against a threshold, with
 * a Cisco IP SLA reaction and an error-budget target (docs/sla.md):
 *
 *   "sla": {
 *     "period": "30d",                  error-budget period, 1h..30d (default 30d)
 *     "target": 0.999,                  default fraction of seconds each objective holds
 *     "objectives": [
 *       { "link": "*", "metric": "rtt_p99", "window": "5m", "max": "20ms" },
 *       { "link": "pair", "metric": "availability", "window": "24h", "min": "99.9%",
 *         "reaction": { "type": "consecutive", "n": 3 }, "falling": "99.95%" }
 *     ]
 *   }
 *
 * Thresholds are numbers in base units (seconds, ratios) or strings with
 * a unit ("250us", "20ms", "0.5%"). Parsed by sla_config_parse() through
 * cfg_parse.h; no I/O.
 */
#ifndef MP_SLA_CONFIG_H
#define MP_SLA_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "reaction.h"

#define SLA_OBJECTIVES_MAX	64	/* after "*" is expanded */
#define SLA_NAME_MAX		64
#define SLA_PAIR		(-1)	/* objective.link: the pair */

enum sla_metric {
	SLA_RTT_P50, SLA_RTT_P99, SLA_RTT_P999, SLA_LOSS, SLA_JITTER, SLA_AVAILABILITY,
	SLA_METRICS
};

struct sla_objective {
	char name[SLA_NAME_MAX];	/* unique; "a_rtt_p99_5m" when not named */
	int link;			/* index among the links, or SLA_PAIR */
	enum sla_metric metric;
	int window;			/* enum win_id (window.h) */
	double threshold;		/* base units; max, or min for availability */
	double target;			/* error budget: fraction of seconds ok */
	struct react_cfg react;		/* rising = threshold */
};

struct sla_config {
	bool configured;		/* the section is present */
	uint32_t period_s;
	int n;
	struct sla_objective o[SLA_OBJECTIVES_MAX];
};

extern const char *const sla_metric_name[SLA_METRICS];

struct cfg_ctx;
struct mp_config;
struct cJSON;
int sla_config_parse(struct cfg_ctx *x, const struct cJSON *o, struct mp_config *c);

#endif
