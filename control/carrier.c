/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The service stream's carrier from path rounds (carrier.h).
 */
#include <string.h>

#include "carrier.h"

void
carrier_init(struct carrier *c, const struct carrier_cfg *cfg, uint64_t stale_ns)
{
	memset(c, 0, sizeof(*c));
	c->cfg = cfg;
	c->stale_ns = stale_ns;
	c->round_carrier = -1;
	c->last = -1;
}

static bool
carrier_in(const struct ip_addr *set, int n, const struct ip_addr *a)
{
	int i;

	for (i = 0; i < n; i++)
		if (ip_addr_equal(&set[i], a))
			return true;
	return false;
}

/* An address a hop answered from: what a router or the reflector said, else NULL. */
static const struct ip_addr *
carrier_hop_addr(const struct path_hop *h)
{
	return h->state == PATH_HOP_ROUTER || h->state == PATH_HOP_REFLECTOR ? &h->addr : NULL;
}

void
carrier_learn(struct carrier *c, int pinned, const struct path_record *pr)
{
	const struct path_round *r = &pr->r;
	unsigned f, t;

	if (pinned < 0 || pinned > 1)
		return;
	for (f = 0; f < r->lk.flows && f < PATH_MAX_FLOWS; f++)
		for (t = 0; t < r->lk.max_ttl && t < PATH_MAX_TTL; t++) {
			const struct ip_addr *a = carrier_hop_addr(&r->hop[f][t]);

			if (a != NULL && c->n_seen[pinned] < CARRIER_SEEN_MAX &&
			    !carrier_in(c->seen[pinned], c->n_seen[pinned], a))
				c->seen[pinned][c->n_seen[pinned]++] = *a;
		}
}

/*
 * The links (bit 0: links[0], bit 1: links[1]) address a is evidence of:
 * the config's addresses when it gives any (the user's map replaces what
 * is learned), else the pinned links' own hops. An address of both names
 * neither.
 */
static unsigned
carrier_names(const struct carrier *c, const struct ip_addr *a)
{
	bool by_cfg = c->cfg != NULL && c->cfg->n_addr[0] + c->cfg->n_addr[1] > 0;
	unsigned named = 0;
	int k;

	for (k = 0; k < 2; k++)
		if (by_cfg ? carrier_in(c->cfg->addr[k], c->cfg->n_addr[k], a) :
			     carrier_in(c->seen[k], c->n_seen[k], a))
			named |= 1u << k;
	return named == 3 ? 0 : named;
}

int
carrier_of_round(const struct carrier *c, const struct path_record *pr)
{
	const struct path_round *r = &pr->r;
	unsigned f, t, named = 0;

	for (f = 0; f < r->lk.flows && f < PATH_MAX_FLOWS; f++)
		for (t = 0; t < r->lk.max_ttl && t < PATH_MAX_TTL; t++) {
			const struct path_hop *h = &r->hop[f][t];

			/* the reflector behind both links says nothing of either */
			if (h->state == PATH_HOP_ROUTER)
				named |= carrier_names(c, &h->addr);
		}
	return named == 1 ? 0 : named == 2 ? 1 : -1;
}

void
carrier_round(struct carrier *c, const struct path_record *pr)
{
	c->round_carrier = carrier_of_round(c, pr);
	c->round_end_ns = pr->end_unix_ns;
	c->rounds++;
}

bool
carrier_interval(struct carrier *c, uint64_t start_ns, uint64_t end_ns, int *now, int *from)
{
	bool fresh = c->round_end_ns != 0 && end_ns <= c->round_end_ns + c->stale_ns;
	int k = fresh ? c->round_carrier : -1;
	bool changed = c->have_last && k != c->last;

	c->carried_ns[k < 0 ? CARRIER_UNKNOWN : k] += end_ns > start_ns ? end_ns - start_ns : 0;
	*from = c->last;
	*now = k;
	c->changes += changed;
	c->last = k;
	c->have_last = true;
	return changed;
}
