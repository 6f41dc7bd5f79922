/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Was a link impaired in one interval? The per-interval state that the
 * shared-fate statistics (fate.h) take, judged from the interval record
 * alone and the link's baseline round trip:
 *   - no reply at all while probes were due (an outage, agg.h's rule),
 *   - loss above loss_ratio among the probes whose fate became known, or
 *   - the median round trip above the baseline by more than rtt_excess_ns.
 * A record in which no probe's fate became known and no outage shows is
 * FATE_UNKNOWN, never "not impaired". The baseline is the lowest
 * per-interval median seen so far on the link (distinct paths have
 * distinct floors; a queue only ever adds). Pure: no I/O.
 */
#ifndef MP_IMPAIRED_H
#define MP_IMPAIRED_H

#include <stdint.h>

#include "lossattr.h"
#include "mp_stats.h"

#define IMPAIRED_LOSS_RATIO	0.02		/* default: more than 2% lost */
#define IMPAIRED_RTT_EXCESS_NS	5000000ull	/* default: median 5 ms above the baseline */

struct impaired_rule {
	double loss_ratio;
	uint64_t rtt_excess_ns;
};

struct impaired_link {
	struct impaired_rule rule;
	uint64_t baseline_ns;		/* lowest per-interval median so far; 0 = none yet */
};

void impaired_init(struct impaired_link *l, const struct impaired_rule *rule);
/* The state (enum fate_state) of one interval record; updates the baseline. */
uint8_t impaired_judge(struct impaired_link *l, const struct link_interval *li);
/*
 * The same of one window whose losses were attributed to it by send time
 * (lossattr.h): its outage counts only when it sent probes.
 */
uint8_t impaired_judge_slot(struct impaired_link *l, const struct lossattr_slot *s);

#endif
