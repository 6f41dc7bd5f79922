/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The path part of the diversity analysis (diversity.h, item 4): the
 * rounds of path probes of the pair's two links go into a path map
 * (pathmap.h); a path change is raised as an event while the run goes;
 * at the end the "path" object, and a hop both links cross that is not
 * expected (their gateway, or path.expected_shared) is a SHARED-RISK
 * reason naming it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diversity.h"
#include "pathmap.h"
#include "sink.h"

static const char *const div_path_keys[PATHMAP_LINKS] = { "a", "b" };

static int
div_path_alloc(struct diversity *d)
{
	if (d->path == NULL) {
		d->path = malloc(sizeof(*d->path));
		if (d->path == NULL)
			return -ENOMEM;
		pathmap_init(d->path);
	}
	return 0;
}

int
diversity_path_expect(struct diversity *d, const char *addr)
{
	return div_path_alloc(d) != 0 ? -ENOMEM : pathmap_expect(d->path, addr);
}

int
diversity_path_config(struct diversity *d, const struct mp_config *cfg)
{
	char gw[PATHMAP_ADDR_MAX];
	int i, rc = 0;

	for (i = 0; i < PATHMAP_LINKS && i < cfg->n_links && rc != -ENOMEM; i++)
		if (ip_addr_format(&cfg->links[i].next_hop, gw, sizeof(gw)) == 0)
			rc = diversity_path_expect(d, gw);
	for (i = 0; i < cfg->path.n_expected && rc != -ENOMEM; i++)
		rc = diversity_path_expect(d, cfg->path.expected_shared[i]);
	return rc == -ENOMEM ? rc : 0;
}

struct div_path_emit {
	struct sink_bus *bus;
	const char *name;
};

/* A path change, live: {"event":"path_change","link":L,"flow":F,"round":R,"old":[..],"new":[..]} */
static void
div_path_change(void *arg, const struct pathmap_change *c)
{
	const struct div_path_emit *e = arg;
	char old[256], cur[256], detail[560];
	cJSON *f = cJSON_CreateObject();

	if (f == NULL)
		return;
	pathmap_list_text(&c->old, old, sizeof(old));
	pathmap_list_text(&c->cur, cur, sizeof(cur));
	snprintf(detail, sizeof(detail), "flow %u: %s -> %s", c->flow, old, cur);
	cJSON_AddNumberToObject(f, "flow", c->flow);
	cJSON_AddNumberToObject(f, "round", c->round);
	cJSON_AddItemToObject(f, "old", pathmap_list_json(&c->old));
	cJSON_AddItemToObject(f, "new", pathmap_list_json(&c->cur));
	cJSON_AddStringToObject(f, "detail", detail);
	sink_emit(e->bus, e->name, "path_change", f);
}

int
diversity_path_add(struct diversity *d, int link, const struct path_record *pr,
		   struct sink_bus *bus, const char *name)
{
	struct div_path_emit e = { .bus = bus, .name = name };
	int rc;

	if (link < 0 || link >= PATHMAP_LINKS)
		return 0;
	if (div_path_alloc(d) != 0)
		return -ENOMEM;
	rc = pathmap_add_record(d->path, link, pr, bus != NULL ? div_path_change : NULL, &e);
	return rc < 0 ? 0 : rc;
}

void
diversity_path_free(struct diversity *d)
{
	free(d->path);
	d->path = NULL;
}

bool
diversity_path_shared(const struct diversity *d, struct div_result *r)
{
	struct pathmap_shared sh[PATHMAP_UNION_MAX];
	char list[120] = "";
	size_t off = 0;
	int n, i, risky = 0;

	if (d->path == NULL || d->path->l[0].rounds == 0 || d->path->l[1].rounds == 0)
		return false;
	n = pathmap_shared(d->path, sh, PATHMAP_UNION_MAX);
	for (i = 0; i < n && i < PATHMAP_UNION_MAX; i++) {
		int w;

		if (sh[i].expected)
			continue;
		w = snprintf(list + off, sizeof(list) - off, "%s%s (TTL %u on a, %u on b)",
			     risky > 0 ? ", " : "", sh[i].addr, sh[i].ttl[0], sh[i].ttl[1]);
		risky++;
		if (w < 0 || (size_t)w >= sizeof(list) - off)
			break;
		off += (size_t)w;
	}
	if (risky == 0)
		return false;
	if (r->n_reasons < (int)(sizeof(r->reason) / sizeof(r->reason[0])))
		snprintf(r->reason[r->n_reasons++], sizeof(r->reason[0]),
			 "both links' paths cross %s: one failure away from both links down", list);
	return true;
}

void
diversity_path_json(const struct diversity *d, cJSON *o)
{
	cJSON *p;

	if (d->path == NULL || !pathmap_any(d->path)) {
		cJSON_AddNullToObject(o, "path");
		cJSON_AddStringToObject(o, "path_reason", "no path records (path probes off, "
					"or no round of them completed)");
		return;
	}
	p = pathmap_json(d->path, div_path_keys);
	if (p != NULL)
		cJSON_AddItemToObject(o, "path", p);
	else
		cJSON_AddNullToObject(o, "path");
}
