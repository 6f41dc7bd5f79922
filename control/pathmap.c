/* SPDX-License-Identifier: BSD-3-Clause */
/* The path map of a pair of links (see pathmap.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mp_pkt.h"
#include "pathmap.h"

/* What a TTL of a flow got in the round under way. */
enum {
	PM_NONE = 0,			/* not probed (as far as we know) */
	PM_PROBED,			/* probed, no answer: "*" */
	PM_ROUTER,
	PM_ERROR,
	PM_REFLECTOR,
	PM_CONFLICT,			/* two different answers: none is evidence */
};

void
pathmap_init(struct pathmap *pm)
{
	memset(pm, 0, sizeof(*pm));
}

/* Could a, as the source of an answer, be a router's or a host's own address? */
static bool
pm_unicast(const struct ip_addr *a)
{
	static const uint8_t zero[16], one[16] = { [15] = 1 };

	if (a->family == 4)
		return a->b[0] != 0 && a->b[0] != 127 && a->b[0] < 224;
	return memcmp(a->b, zero, 16) != 0 && memcmp(a->b, one, 16) != 0 && a->b[0] != 0xff;
}

/* addr in canonical text into out (PATHMAP_ADDR_MAX); 0 or -EINVAL. */
static int
pm_canon(const char *addr, struct ip_addr *a, char *out)
{
	if (addr == NULL || ip_addr_parse(addr, a, NULL) != 0 ||
	    ip_addr_format(a, out, PATHMAP_ADDR_MAX) != 0)
		return -EINVAL;
	return 0;
}

int
pathmap_expect(struct pathmap *pm, const char *addr)
{
	char c[PATHMAP_ADDR_MAX];
	struct ip_addr a;
	int i;

	if (pm_canon(addr, &a, c) != 0)
		return -EINVAL;
	for (i = 0; i < pm->n_expected; i++)
		if (strcmp(pm->expected[i], c) == 0)
			return 0;
	if (pm->n_expected == PATHMAP_EXPECTED_MAX)
		return -EINVAL;
	memcpy(pm->expected[pm->n_expected++], c, sizeof(c));
	return 0;
}

static bool
pm_expected(const struct pathmap *pm, const char *addr)
{
	int i;

	for (i = 0; i < pm->n_expected; i++)
		if (strcmp(pm->expected[i], addr) == 0)
			return true;
	return false;
}

int
pathmap_round_begin(struct pathmap *pm, int link, uint32_t round, const char *reflector,
		    unsigned flows)
{
	struct pathmap_link *l;
	struct ip_addr a;
	char c[PATHMAP_ADDR_MAX];

	if (link < 0 || link >= PATHMAP_LINKS || flows < 1 || flows > PATH_MAX_FLOWS ||
	    pm_canon(reflector, &a, c) != 0)
		return -EINVAL;
	l = &pm->l[link];
	memcpy(l->reflector, c, sizeof(c));
	l->round = round;
	l->flows = (uint8_t)flows;
	l->in_round = true;
	memset(l->state, 0, sizeof(l->state));
	memset(l->cur, 0, sizeof(l->cur));
	return 0;
}

static int
pm_ignore(struct pathmap_link *l)
{
	l->ignored++;
	return -EINVAL;
}

int
pathmap_round_hop(struct pathmap *pm, int link, unsigned flow, unsigned ttl,
		  enum pathmap_kind kind, const char *addr)
{
	struct ip_addr a, refl;
	struct pathmap_link *l;
	char c[PATHMAP_ADDR_MAX], *slot;
	uint8_t *st, want;

	if (link < 0 || link >= PATHMAP_LINKS)
		return -EINVAL;
	l = &pm->l[link];
	if (!l->in_round || flow >= l->flows || ttl < 1 || ttl > PATH_MAX_TTL)
		return pm_ignore(l);
	st = &l->state[flow][ttl - 1];
	slot = l->cur[flow].hop[ttl - 1];
	if (addr == NULL || strcmp(addr, "*") == 0) {
		if (*st == PM_NONE)
			*st = PM_PROBED;
		return 0;
	}
	if (pm_canon(addr, &a, c) != 0 || ip_addr_parse(l->reflector, &refl, NULL) != 0 ||
	    a.family != refl.family || !pm_unicast(&a))
		return pm_ignore(l);
	/* the reflector answers as the reflector; a router never with its address */
	if ((kind == PATHMAP_REFLECTOR) != (strcmp(c, l->reflector) == 0) && kind != PATHMAP_ERROR)
		return pm_ignore(l);
	want = kind == PATHMAP_REFLECTOR ? PM_REFLECTOR : kind == PATHMAP_ERROR ? PM_ERROR :
	       PM_ROUTER;
	if (*st == PM_CONFLICT)
		return pm_ignore(l);
	if (*st >= PM_ROUTER) {
		if (*st != want || strcmp(slot, c) != 0) {
			/* two answers for one probe: one is forged, and nothing says which */
			*st = PM_CONFLICT;
			slot[0] = '\0';
			l->ignored++;
		}
		return pm_ignore(l);
	}
	*st = want;
	memcpy(slot, c, sizeof(c));
	return 0;
}

/* Flow f's list: to where it ended (reflector or error), else the highest TTL probed. */
static void
pm_close_flow(struct pathmap_link *l, unsigned f)
{
	struct pathmap_list *li = &l->cur[f];
	unsigned t, end = 0, last = 0;

	for (t = 1; t <= PATH_MAX_TTL; t++) {
		uint8_t s = l->state[f][t - 1];

		if (s == PM_NONE)
			continue;
		if (end != 0) {
			/* after the flow ended: nothing can have answered */
			if (s >= PM_ROUTER && s != PM_CONFLICT)
				l->ignored++;
			li->hop[t - 1][0] = '\0';
			continue;
		}
		last = t;
		if (s == PM_REFLECTOR || s == PM_ERROR)
			end = t;
	}
	li->n = (uint8_t)(end != 0 ? end : last);
	li->reached = end != 0 && l->state[f][end - 1] == PM_REFLECTOR;
}

/* Add (or lower the TTL of) a hop in the link's union, kept in order of TTL. */
static void
pm_union_add(struct pathmap_link *l, const char *addr, uint8_t ttl, bool reflector)
{
	struct pathmap_hop h;
	int i, k;

	for (i = 0; i < l->n_hops && strcmp(l->hops[i].addr, addr) != 0; i++)
		;
	if (i == l->n_hops) {
		if (l->n_hops == PATHMAP_UNION_MAX)
			return;
		memset(&h, 0, sizeof(h));
		memcpy(h.addr, addr, sizeof(h.addr));
		h.ttl = ttl;
		l->hops[l->n_hops++] = h;
	} else if (ttl < l->hops[i].ttl) {
		l->hops[i].ttl = ttl;
	}
	l->hops[i].reflector |= reflector;
	/* one insertion step keeps the order: only hop i moved */
	h = l->hops[i];
	for (k = i; k > 0 && l->hops[k - 1].ttl > h.ttl; k--)
		l->hops[k] = l->hops[k - 1];
	l->hops[k] = h;
}

static void
pm_ecmp_add(struct pathmap_link *l, uint8_t ttl, const char *addr)
{
	int i;

	for (i = 0; i < l->n_ecmp; i++)
		if (l->ecmp[i].ttl == ttl && strcmp(l->ecmp[i].addr, addr) == 0)
			return;
	if (l->n_ecmp == PATHMAP_ECMP_MAX)
		return;
	l->ecmp[l->n_ecmp].ttl = ttl;
	memcpy(l->ecmp[l->n_ecmp++].addr, addr, PATHMAP_ADDR_MAX);
}

/* Different answers at one TTL for different flows of this round: the alternatives. */
static void
pm_ecmp(struct pathmap_link *l)
{
	unsigned t, f, g;

	for (t = 1; t <= PATH_MAX_TTL; t++)
		for (f = 0; f < l->flows; f++) {
			const char *x = l->cur[f].hop[t - 1];

			if (x[0] == '\0' || t > l->cur[f].n)
				continue;
			for (g = f + 1; g < l->flows; g++) {
				const char *y = l->cur[g].hop[t - 1];

				if (y[0] != '\0' && t <= l->cur[g].n && strcmp(x, y) != 0) {
					pm_ecmp_add(l, (uint8_t)t, x);
					pm_ecmp_add(l, (uint8_t)t, y);
				}
			}
		}
}

/*
 * Did the path change? A hop that answered in both rounds with another
 * address, or a reflector reached at another TTL. A TTL that answered in
 * one round only is a lost answer, not a change.
 */
static bool
pm_changed(const struct pathmap_list *o, const struct pathmap_list *n)
{
	unsigned t, m = o->n < n->n ? o->n : n->n;

	for (t = 0; t < m; t++)
		if (o->hop[t][0] != '\0' && n->hop[t][0] != '\0' && strcmp(o->hop[t], n->hop[t]) != 0)
			return true;
	return o->reached && n->reached && o->n != n->n;
}

/*
 * What a flow's path is known to be after a round without a change: this
 * round's answers, and the previous answer where a TTL got none this time
 * (a lost time-exceeded is no new path).
 */
static void
pm_carry(struct pathmap_list *known, const struct pathmap_list *cur)
{
	struct pathmap_list k = *cur;
	unsigned t;

	for (t = 0; t < k.n && t < known->n; t++)
		if (k.hop[t][0] == '\0')
			memcpy(k.hop[t], known->hop[t], PATHMAP_ADDR_MAX);
	*known = k;
}

/* Flow f of link changed its path in the round under way: listed, counted, told. */
static void
pm_change(struct pathmap *pm, int link, unsigned f, pathmap_change_fn fn, void *arg)
{
	struct pathmap_link *l = &pm->l[link];
	struct pathmap_change ch;

	memset(&ch, 0, sizeof(ch));
	ch.link = link;
	ch.flow = f;
	ch.round = l->round;
	ch.old = l->last[f];
	ch.cur = l->cur[f];
	if (pm->n_changes < PATHMAP_CHANGES_MAX)
		pm->change[pm->n_changes++] = ch;
	l->changes++;
	if (fn != NULL)
		fn(arg, &ch);
}

int
pathmap_round_end(struct pathmap *pm, int link, pathmap_change_fn fn, void *arg)
{
	struct pathmap_link *l;
	unsigned f, t;
	int n = 0;

	if (link < 0 || link >= PATHMAP_LINKS || !pm->l[link].in_round)
		return -EINVAL;
	l = &pm->l[link];
	for (f = 0; f < l->flows; f++) {
		struct pathmap_list *li = &l->cur[f];

		pm_close_flow(l, f);
		for (t = 1; t <= li->n; t++)
			if (li->hop[t - 1][0] != '\0')
				pm_union_add(l, li->hop[t - 1], (uint8_t)t, li->reached && t == li->n);
		if (li->n == 0)
			continue;	/* nothing sent on this flow: nothing to compare */
		if (!l->have_last[f]) {
			l->last[f] = *li;
			l->have_last[f] = true;
			continue;
		}
		if (!pm_changed(&l->last[f], li)) {
			pm_carry(&l->last[f], li);
			continue;
		}
		pm_change(pm, link, f, fn, arg);
		l->last[f] = *li;
		n++;
	}
	pm_ecmp(l);
	l->rounds++;
	l->in_round = false;
	return n;
}

int
pathmap_add_record(struct pathmap *pm, int link, const struct path_record *pr,
		   pathmap_change_fn fn, void *arg)
{
	const struct path_round *r = &pr->r;
	char refl[PATHMAP_ADDR_MAX], addr[PATHMAP_ADDR_MAX];
	unsigned f, t, last;

	if (ip_addr_format(&r->lk.dst, refl, sizeof(refl)) != 0 ||
	    pathmap_round_begin(pm, link, r->round, refl, r->lk.flows) != 0)
		return -EINVAL;
	for (f = 0; f < r->lk.flows && f < PATH_MAX_FLOWS; f++) {
		last = path_flow_last_ttl(r, f);
		for (t = 1; t <= last && t <= PATH_MAX_TTL; t++) {
			const struct path_hop *h = &r->hop[f][t - 1];
			enum pathmap_kind k = h->state == PATH_HOP_REFLECTOR ? PATHMAP_REFLECTOR :
					      h->state == PATH_HOP_ERROR ? PATHMAP_ERROR :
					      PATHMAP_ROUTER;

			if (h->state == PATH_HOP_UNSENT)
				continue;
			if (h->state == PATH_HOP_SENT || ip_addr_format(&h->addr, addr, sizeof(addr)) != 0)
				pathmap_round_hop(pm, link, f, t, k, NULL);
			else
				pathmap_round_hop(pm, link, f, t, k, addr);
		}
	}
	return pathmap_round_end(pm, link, fn, arg);
}

static const struct pathmap_hop *
pm_find(const struct pathmap_link *l, const char *addr)
{
	int i;

	for (i = 0; i < l->n_hops; i++)
		if (strcmp(l->hops[i].addr, addr) == 0)
			return &l->hops[i];
	return NULL;
}

int
pathmap_shared(const struct pathmap *pm, struct pathmap_shared *out, int max)
{
	int i, n = 0;

	for (i = 0; i < pm->l[0].n_hops; i++) {
		const struct pathmap_hop *a = &pm->l[0].hops[i], *b = pm_find(&pm->l[1], a->addr);
		struct pathmap_shared *s;

		if (b == NULL)
			continue;
		if (n++ >= max)
			continue;
		s = &out[n - 1];
		memset(s, 0, sizeof(*s));
		memcpy(s->addr, a->addr, sizeof(s->addr));
		s->ttl[0] = a->ttl;
		s->ttl[1] = b->ttl;
		s->expected = pm_expected(pm, a->addr);
		s->first = a->ttl == 1 && b->ttl == 1;
	}
	return n;
}

bool
pathmap_any(const struct pathmap *pm)
{
	int i;

	for (i = 0; i < PATHMAP_LINKS; i++)
		if (pm->l[i].rounds > 0)
			return true;
	return false;
}

cJSON *
pathmap_list_json(const struct pathmap_list *l)
{
	cJSON *a = cJSON_CreateArray();
	unsigned t;

	for (t = 0; a != NULL && t < l->n; t++)
		cJSON_AddItemToArray(a, cJSON_CreateString(l->hop[t][0] != '\0' ? l->hop[t] : "*"));
	return a;
}

void
pathmap_list_text(const struct pathmap_list *l, char *buf, size_t len)
{
	size_t off = 0;
	unsigned t;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (t = 0; t < l->n && off < len; t++) {
		int w = snprintf(buf + off, len - off, "%s%s", t > 0 ? " " : "",
				 l->hop[t][0] != '\0' ? l->hop[t] : "*");

		if (w < 0)
			break;
		off += (size_t)w;
	}
}

/* Per link: rounds, reached, the latest hop lists, the ECMP alternatives, what was ignored. */
static void
pm_json_links(const struct pathmap *pm, const char *const names[PATHMAP_LINKS], cJSON *o)
{
	cJSON *rounds = cJSON_AddObjectToObject(o, "rounds");
	cJSON *reached = cJSON_AddObjectToObject(o, "reached");
	cJSON *flows = cJSON_AddObjectToObject(o, "flows");
	cJSON *ecmp = cJSON_AddObjectToObject(o, "ecmp");
	cJSON *ign = cJSON_AddObjectToObject(o, "ignored");
	int i, k, e;

	for (i = 0; i < PATHMAP_LINKS; i++) {
		const struct pathmap_link *l = &pm->l[i];
		cJSON *fl = cJSON_AddArrayToObject(flows, names[i]);
		cJSON *ec = cJSON_AddArrayToObject(ecmp, names[i]);
		bool any = false;
		unsigned f;

		for (f = 0; f < PATH_MAX_FLOWS; f++)
			if (l->have_last[f]) {
				cJSON_AddItemToArray(fl, pathmap_list_json(&l->last[f]));
				any |= l->last[f].reached;
			}
		/* the alternatives grouped by TTL, in order of TTL */
		for (k = 1; k <= PATH_MAX_TTL; k++) {
			cJSON *alt = NULL;

			for (e = 0; e < l->n_ecmp; e++) {
				if (l->ecmp[e].ttl != k)
					continue;
				if (alt == NULL) {
					cJSON *x = cJSON_CreateObject();

					cJSON_AddNumberToObject(x, "ttl", k);
					alt = cJSON_AddArrayToObject(x, "hops");
					cJSON_AddItemToArray(ec, x);
				}
				cJSON_AddItemToArray(alt, cJSON_CreateString(l->ecmp[e].addr));
			}
		}
		cJSON_AddNumberToObject(rounds, names[i], l->rounds);
		cJSON_AddBoolToObject(reached, names[i], any);
		cJSON_AddNumberToObject(ign, names[i], (double)l->ignored);
	}
}

/* shared_hops, shared_expected, first_hop_shared, expected */
static void
pm_json_shared(const struct pathmap *pm, cJSON *o)
{
	struct pathmap_shared sh[PATHMAP_UNION_MAX];
	cJSON *all = cJSON_AddArrayToObject(o, "shared_hops");
	cJSON *exp = cJSON_AddArrayToObject(o, "shared_expected");
	cJSON *cfg, *first = NULL;
	int n = pathmap_shared(pm, sh, PATHMAP_UNION_MAX), i;

	for (i = 0; i < n && i < PATHMAP_UNION_MAX; i++) {
		cJSON_AddItemToArray(all, cJSON_CreateString(sh[i].addr));
		if (sh[i].expected)
			cJSON_AddItemToArray(exp, cJSON_CreateString(sh[i].addr));
		if (sh[i].first && first == NULL) {
			first = cJSON_CreateObject();
			cJSON_AddStringToObject(first, "addr", sh[i].addr);
			cJSON_AddBoolToObject(first, "expected", sh[i].expected);
		}
	}
	if (first != NULL)
		cJSON_AddItemToObject(o, "first_hop_shared", first);
	else
		cJSON_AddNullToObject(o, "first_hop_shared");
	cfg = cJSON_AddArrayToObject(o, "expected");
	for (i = 0; i < pm->n_expected; i++)
		cJSON_AddItemToArray(cfg, cJSON_CreateString(pm->expected[i]));
}

cJSON *
pathmap_json(const struct pathmap *pm, const char *const names[PATHMAP_LINKS])
{
	cJSON *o = cJSON_CreateObject(), *chs;
	size_t i;
	int l, k;

	if (o == NULL)
		return NULL;
	/* each link's hops, in order of TTL, the reflector last */
	for (l = 0; l < PATHMAP_LINKS; l++) {
		cJSON *hops = cJSON_AddArrayToObject(o, names[l]);

		for (k = 0; k < pm->l[l].n_hops; k++)
			cJSON_AddItemToArray(hops, cJSON_CreateString(pm->l[l].hops[k].addr));
	}
	pm_json_shared(pm, o);
	pm_json_links(pm, names, o);
	chs = cJSON_AddArrayToObject(o, "changes");
	for (i = 0; i < pm->n_changes; i++) {
		const struct pathmap_change *c = &pm->change[i];
		cJSON *x = cJSON_CreateObject();

		cJSON_AddStringToObject(x, "link", names[c->link]);
		cJSON_AddNumberToObject(x, "flow", c->flow);
		cJSON_AddNumberToObject(x, "round", c->round);
		cJSON_AddItemToObject(x, "old", pathmap_list_json(&c->old));
		cJSON_AddItemToObject(x, "new", pathmap_list_json(&c->cur));
		cJSON_AddItemToArray(chs, x);
	}
	cJSON_AddNumberToObject(o, "changes_total", (double)(pm->l[0].changes + pm->l[1].changes));
	return o;
}
