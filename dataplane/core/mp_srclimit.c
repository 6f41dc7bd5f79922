/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include "mp_srclimit.h"

int
srclimit_init(struct srclimit *l, uint64_t rate, uint64_t burst, uint64_t ticks_per_s)
{
	if (l == NULL || burst == 0 || ticks_per_s == 0 || burst > 10000000 ||
	    ticks_per_s > (UINT64_C(1) << 40) || rate > 100000000)
		return -EINVAL;
	memset(l, 0, sizeof(*l));
	l->rate = rate;
	l->cost = ticks_per_s;
	l->cap = burst * ticks_per_s;
	return 0;
}

static uint32_t
srclimit_set(const struct ip_addr *a)
{
	uint32_t h = 2166136261u;
	int i, n = a->family == 4 ? 4 : 16;

	for (i = 0; i < n; i++)
		h = (h ^ a->b[i]) * 16777619u;
	return (h ^ h >> 16) % SRCLIMIT_SETS;
}

bool
srclimit_take(struct srclimit *l, const struct ip_addr *src, uint64_t now)
{
	struct srclimit_entry *set, *e = NULL, *oldest;
	uint64_t t;
	int i;

	if (l->rate == 0)
		return true;
	set = &l->e[srclimit_set(src) * SRCLIMIT_WAYS];
	oldest = &set[0];
	for (i = 0; i < SRCLIMIT_WAYS; i++) {
		if (set[i].src.family != 0 && ip_addr_equal(&set[i].src, src)) {
			e = &set[i];
			break;
		}
		if (set[i].src.family == 0 ||
		    (oldest->src.family != 0 && set[i].last < oldest->last))
			oldest = &set[i];
	}
	if (e == NULL) {
		if (oldest->src.family != 0)
			l->evicted++;
		oldest->src = *src;
		oldest->tokens = l->cap;
		oldest->last = now;
		e = oldest;
	}
	/* a full bucket after cap / rate ticks; below that, el * rate < cap */
	if (now - e->last >= l->cap / l->rate || now < e->last)
		t = now < e->last ? e->tokens : l->cap;
	else
		t = e->tokens + (now - e->last) * l->rate;
	if (t > l->cap)
		t = l->cap;
	e->last = now;
	if (t < l->cost) {
		e->tokens = t;
		return false;
	}
	e->tokens = t - l->cost;
	return true;
}
