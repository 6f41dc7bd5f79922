/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exponential back-off (backoff.h).
 */
#include "backoff.h"

void
backoff_init(struct backoff *b, uint64_t min_ns, uint64_t max_ns, uint64_t stable_ns)
{
	b->min_ns = min_ns;
	b->max_ns = max_ns < min_ns ? min_ns : max_ns;
	b->stable_ns = stable_ns;
	b->next_ns = min_ns;
	b->deaths = 0;
}

uint64_t
backoff_next(struct backoff *b, uint64_t ran_ns)
{
	uint64_t wait;

	if (ran_ns >= b->stable_ns) {
		b->next_ns = b->min_ns;
		b->deaths = 0;
	}
	wait = b->next_ns;
	b->deaths++;
	b->next_ns = wait > b->max_ns / 2 ? b->max_ns : wait * 2;
	return wait;
}
