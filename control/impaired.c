/* SPDX-License-Identifier: BSD-3-Clause */
#include <stddef.h>

#include "agg.h"
#include "fate.h"
#include "impaired.h"

void
impaired_init(struct impaired_link *l, const struct impaired_rule *rule)
{
	l->rule.loss_ratio = IMPAIRED_LOSS_RATIO;
	l->rule.rtt_excess_ns = IMPAIRED_RTT_EXCESS_NS;
	if (rule != NULL)
		l->rule = *rule;
	l->baseline_ns = 0;
}

uint8_t
impaired_judge_slot(struct impaired_link *l, const struct lossattr_slot *s)
{
	uint64_t known = s->received + s->lost;
	int impaired = 0;

	if (s->outage && s->sent > 0)
		return FATE_IMPAIRED;
	if (known == 0 && s->p50_ns == 0)
		return FATE_UNKNOWN;
	if (known > 0 && (double)s->lost > l->rule.loss_ratio * (double)known)
		impaired = 1;
	if (s->p50_ns != 0) {
		if (l->baseline_ns != 0 && s->p50_ns > l->baseline_ns + l->rule.rtt_excess_ns)
			impaired = 1;
		if (l->baseline_ns == 0 || s->p50_ns < l->baseline_ns)
			l->baseline_ns = s->p50_ns;
	}
	return impaired ? FATE_IMPAIRED : FATE_OK;
}

/* A record judged alone: its losses taken as its own window's. */
uint8_t
impaired_judge(struct impaired_link *l, const struct link_interval *li)
{
	struct lossattr_slot s = {
		.sent = li->c.sent, .received = li->c.received, .lost = li->c.lost,
		.outage = agg_interval_outage_ns(li) > 0,
	};

	if (li->rtt.count > 0)
		s.p50_ns = hist_quantile(&li->rtt, 0.5);
	if (s.outage)
		return FATE_IMPAIRED;
	return impaired_judge_slot(l, &s);
}
