/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The carrier sink: which link of the pair carried the service stream
 * (carrier.h). It learns the pinned links' hops from their path rounds,
 * reads the service link's rounds, and annotates each interval record of
 * the service link with "carried_by": "a" | "b" | null (sink_annotate;
 * it runs before jsonl). A change raises service_carrier {from, to};
 * summary.json gets "service_stream": how long each link carried it.
 * Without a service link it does nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "carrier.h"
#include "sink.h"

struct sink_carrier {
	const struct sink_env *env;
	int service;			/* the service link's index */
	struct carrier c;
};

static int
carrier_open(const struct sink_env *env, void **state)
{
	const struct mp_config *cfg = env->cfg;
	struct sink_carrier *s;

	*state = NULL;
	if (cfg->carrier.service < 0 || cfg->carrier.service >= cfg->n_links)
		return 0;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return -ENOMEM;
	s->env = env;
	s->service = cfg->carrier.service;
	/* a round ends up to a loss timeout after its last probe: two rounds' worth is fresh */
	carrier_init(&s->c, &cfg->carrier,
		     (2ull * cfg->carrier.interval_ms + cfg->loss_timeout_ms) * 1000000ull);
	*state = s;
	return 0;
}

static void
carrier_path(void *state, const struct dprec *r)
{
	struct sink_carrier *s = state;

	if (s == NULL || r->path == NULL)
		return;
	if (r->link == s->service)
		carrier_round(&s->c, r->path);
	else if (r->link == 0 || r->link == 1)
		carrier_learn(&s->c, r->link, r->path);
}

/* A pinned link's name, or JSON null. */
static cJSON *
carrier_json(const struct sink_carrier *s, int k)
{
	return k < 0 ? cJSON_CreateNull() : cJSON_CreateString(s->env->cfg->links[k].name);
}

static const char *
carrier_name(const struct sink_carrier *s, int k)
{
	return k < 0 ? "null (cannot be told)" : s->env->cfg->links[k].name;
}

static void
carrier_interval_rec(void *state, const struct dprec *r)
{
	struct sink_carrier *s = state;
	cJSON *ev;
	char detail[160];
	int now, from;

	if (s == NULL || r->link != s->service || r->interval == NULL)
		return;
	if (carrier_interval(&s->c, r->interval->start_unix_ns, r->interval->end_unix_ns,
			     &now, &from) && (ev = cJSON_CreateObject()) != NULL) {
		snprintf(detail, sizeof(detail), "service stream carried by %s, before by %s (the "
			 "path round that ended at %.3f s)", carrier_name(s, now),
			 carrier_name(s, from), (double)s->c.round_end_ns / 1e9);
		cJSON_AddItemToObject(ev, "from", carrier_json(s, from));
		cJSON_AddItemToObject(ev, "to", carrier_json(s, now));
		cJSON_AddStringToObject(ev, "detail", detail);
		sink_emit(s->env->bus, s->env->cfg->links[s->service].name, "service_carrier", ev);
	}
	sink_annotate(s->env->bus, "carried_by", carrier_json(s, now));
}

/* summary.json's "service_stream": seconds per carrier, the changes, the rounds read. */
static cJSON *
carrier_summary(const struct sink_carrier *s)
{
	cJSON *o = cJSON_CreateObject(), *t;
	int k;

	cJSON_AddStringToObject(o, "link", s->env->cfg->links[s->service].name);
	t = cJSON_AddObjectToObject(o, "carried_s");
	for (k = 0; k < 2; k++)
		cJSON_AddNumberToObject(t, s->env->cfg->links[k].name,
					(double)s->c.carried_ns[k] / 1e9);
	cJSON_AddNumberToObject(t, "unknown", (double)s->c.carried_ns[CARRIER_UNKNOWN] / 1e9);
	cJSON_AddNumberToObject(o, "changes", (double)s->c.changes);
	cJSON_AddItemToObject(o, "carried_by_last", s->c.have_last ? carrier_json(s, s->c.last) :
			      cJSON_CreateNull());
	cJSON_AddNumberToObject(o, "path_rounds", (double)s->c.rounds);
	cJSON_AddNumberToObject(o, "carrier_interval_ms", s->env->cfg->carrier.interval_ms);
	return o;
}

static int
carrier_close(void *state, struct run_outcome *o)
{
	struct sink_carrier *s = state;

	if (s != NULL && o != NULL) {
		if (o->summary_members == NULL)
			o->summary_members = cJSON_CreateObject();
		if (o->summary_members != NULL)
			cJSON_AddItemToObject(o->summary_members, "service_stream",
					      carrier_summary(s));
	}
	free(s);
	return 0;
}

const struct sink_ops sink_carrier_ops = {
	.name = "carrier",
	.open = carrier_open,
	.on_interval = carrier_interval_rec,
	.on_path = carrier_path,
	.close = carrier_close,
};
