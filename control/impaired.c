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
impaired_judge(struct impaired_link *l, const struct link_interval *li)
{
	uint64_t known = li->c.received + li->c.lost, p50;
	int impaired = 0;

	if (agg_interval_outage_ns(li) > 0)
		return FATE_IMPAIRED;
	if (known == 0 && li->rtt.count == 0)
		return FATE_UNKNOWN;
	if (known > 0 && (double)li->c.lost > l->rule.loss_ratio * (double)known)
		impaired = 1;
	if (li->rtt.count > 0) {
		p50 = hist_quantile(&li->rtt, 0.5);
		if (l->baseline_ns != 0 && p50 > l->baseline_ns + l->rule.rtt_excess_ns)
			impaired = 1;
		if (l->baseline_ns == 0 || p50 < l->baseline_ns)
			l->baseline_ns = p50;
	}
	return impaired ? FATE_IMPAIRED : FATE_OK;
}
