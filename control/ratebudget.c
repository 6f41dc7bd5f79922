/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The service's default rate and bandwidth budget (budget.h).
 */
#include <stdio.h>

#include "ratebudget.h"
#include "mp_mix.h"
#include "mp_rate.h"

uint64_t
ratebudget_link_bps(const struct mp_link_cfg *l)
{
	unsigned __int128 bits = 0;
	uint64_t total = frame_mix_total_weight(&l->mix), mpps;
	uint32_t i;

	if (l->rate.kind == RATE_BPS)
		return l->rate.value;
	if (l->rate.kind != RATE_PPS && l->rate_link_bps == 0)
		return 0;
	if (l->mix.n == 0 || total == 0)
		return 0;
	mpps = frame_mix_rate_mpps(&l->rate, &l->mix, l->rate_link_bps);
	for (i = 0; i < l->mix.n; i++)
		bits += (unsigned __int128)l->mix.weight[i] * wire_bits(l->mix.size[i]);
	/* milli-pps times the mean wire bits of a frame */
	return (uint64_t)((unsigned __int128)mpps * bits / total / 1000);
}

int
ratebudget_apply_default(struct mp_config *c)
{
	struct rate r;
	const char *err;
	int i, n = 0;

	if (rate_parse(c->service.default_rate, &r, &err) != 0)
		return 0;	/* the section's parser checked it */
	for (i = 0; i < c->n_links; i++) {
		if (c->links[i].rate_given)
			continue;
		c->links[i].rate = r;
		snprintf(c->links[i].rate_text, sizeof(c->links[i].rate_text), "%s",
			 c->service.default_rate);
		n++;
	}
	return n;
}

int
ratebudget_check(const struct mp_config *c, char *msg, size_t len)
{
	uint64_t bps, budget = c->service.budget_bps;
	int i;

	for (i = 0; i < c->n_links; i++) {
		const struct mp_link_cfg *l = &c->links[i];

		bps = ratebudget_link_bps(l);
		if (bps == 0) {
			snprintf(msg, len, "links[%d] (%s): rate \"%s\" on a link of unknown speed "
				 "cannot be held to the service budget of %llu bit/s (set "
				 "links[%d].link_speed, or --allow-rate)", i, l->name, l->rate_text,
				 (unsigned long long)budget, i);
			return -1;
		}
		if (bps > budget) {
			snprintf(msg, len, "links[%d] (%s): rate \"%s\" of %s B frames is %llu bit/s "
				 "on the wire, above the service budget of %llu bit/s per link "
				 "(service.budget; --allow-rate to run it anyway)", i, l->name,
				 l->rate_text, l->frame_mix, (unsigned long long)bps,
				 (unsigned long long)budget);
			return -1;
		}
	}
	return 0;
}
