/* SPDX-License-Identifier: BSD-3-Clause */
/* Loss attributed to the window its probe was sent in (see lossattr.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "lossattr.h"

int
lossattr_init(struct lossattr *a, uint64_t interval_ns, uint64_t timeout_ns, size_t margin)
{
	memset(a, 0, sizeof(*a));
	a->interval_ns = interval_ns != 0 ? interval_ns : 1;
	a->horizon = (size_t)((timeout_ns + a->interval_ns - 1) / a->interval_ns) + 1;
	a->cap = a->horizon + margin + 1;
	a->ring = calloc(a->cap, sizeof(*a->ring));
	return a->ring != NULL ? 0 : -ENOMEM;
}

void
lossattr_free(struct lossattr *a)
{
	free(a->ring);
	a->ring = NULL;
}

static struct lossattr_slot *
la_at(struct lossattr *a, uint64_t k)
{
	return &a->ring[k % a->cap];
}

/* Probes of window s neither answered nor attributed lost yet. */
static uint64_t
la_room(const struct lossattr_slot *s)
{
	uint64_t used = s->received + s->lost;

	return s->sent > used ? s->sent - used : 0;
}

/* The windows from the one holding the last reply to k were without replies. */
static void
la_outage(struct lossattr *a, uint64_t k, const struct link_interval *li)
{
	uint64_t out = agg_interval_outage_ns(li), back, j;

	if (out == 0)
		return;
	/* the last reply came out ns before the record's end */
	back = out > li->end_unix_ns - li->start_unix_ns ?
	       (out - (li->end_unix_ns - li->start_unix_ns) + a->interval_ns - 1) / a->interval_ns : 0;
	j = k > a->base + back ? k - back : a->base;
	for (; j <= k; j++)
		la_at(a, j)->outage = true;
}

void
lossattr_add(struct lossattr *a, uint64_t k, const struct link_interval *li)
{
	struct lossattr_slot *s = la_at(a, k);
	uint64_t left = li->c.lost, j, give;

	s->seen = true;
	s->sent += li->c.sent;
	s->received += li->c.received;
	if (li->rtt.count > 0) {
		if (s->min_ns == 0 || li->rtt.min_ns < s->min_ns)
			s->min_ns = li->rtt.min_ns;
		s->p50_ns = hist_quantile(&li->rtt, 0.5);
	}
	la_outage(a, k, li);
	j = k > a->base + a->horizon ? k - a->horizon : a->base;
	for (; j <= k && left > 0; j++) {
		struct lossattr_slot *t = la_at(a, j);

		give = la_room(t) < left ? la_room(t) : left;
		t->lost += give;
		left -= give;
	}
	s->lost += left;	/* no window had room: the books disagree, keep it here */
}

void
lossattr_pop(struct lossattr *a, struct lossattr_slot *out)
{
	struct lossattr_slot *s = la_at(a, a->base);

	*out = *s;
	memset(s, 0, sizeof(*s));
	a->base++;
}
