/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The diversity sink: the site diversity of the run's first two links
 * (diversity.h). While the run goes, a line a second for the pair; at the
 * end, the verdict above the summary table, the "diversity" object in
 * summary.json (through run_outcome.summary_members), and each
 * co-impairment episode as an event appended to DIR/events.jsonl. The
 * verdict is a finding about the circuit, not about the run: it does not
 * change the exit code (a scheduled run of a standard circuit would
 * otherwise always fail).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diversity.h"
#include "fate.h"
#include "metro.h"
#include "sink.h"

struct sink_diversity {
	const struct sink_env *env;
	struct diversity d;
	size_t shown;			/* windows the live line has counted */
};

/* What the configuration and the catalog say of the pair. */
void
diversity_config_of(const struct mp_config *cfg, struct div_config *dc)
{
	int i, site;

	memset(dc, 0, sizeof(*dc));
	dc->circuit = cfg->circuit[0] != '\0' ? cfg->circuit : "metro";
	for (i = 0; i < 2 && i < cfg->n_links; i++) {
		const struct mp_metro *m = mp_metro_of_location(cfg->links[i].location, &site);

		dc->location[i] = cfg->links[i].location;
		dc->facility[i] = m != NULL ? m->sites[site].facility : NULL;
	}
}

static int
div_open(const struct sink_env *env, void **state)
{
	struct sink_diversity *v;
	struct div_config dc;

	if (env->cfg->n_links < 2) {
		*state = NULL;		/* one link: no pair to judge */
		return 0;
	}
	v = calloc(1, sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	v->env = env;
	diversity_config_of(env->cfg, &dc);
	diversity_init(&v->d, &dc, env->cfg->interval_ms);
	if (diversity_path_config(&v->d, env->cfg) != 0) {
		diversity_free(&v->d);
		free(v);
		return -ENOMEM;
	}
	*state = v;
	return 0;
}

static void
div_interval(void *state, const struct dprec *r)
{
	struct sink_diversity *v = state;

	if (v != NULL && diversity_add(&v->d, r->link, r->interval) != 0)
		fprintf(stderr, "metroprobe: diversity: out of memory\n");
}

/* A round of path probes (diversity_path.c): a path change is an event now. */
static void
div_path(void *state, const struct dprec *r)
{
	struct sink_diversity *v = state;

	if (v != NULL && r->link >= 0 && r->link < v->env->cfg->n_links &&
	    diversity_path_add(&v->d, r->link, r->path, v->env->bus,
			       v->env->cfg->links[r->link].name) < 0)
		fprintf(stderr, "metroprobe: diversity: out of memory\n");
}

/*
 * The windows finished since the last line (the newest may still wait for
 * the other link's record): how many had each link, and both, impaired.
 */
static void
div_tick(void *state, uint64_t now_ns)
{
	struct sink_diversity *v = state;
	unsigned n = 0, ia = 0, ib = 0, both = 0;

	(void)now_ns;
	if (v == NULL)
		return;
	for (; v->shown + 1 < v->d.n; v->shown++, n++) {
		const uint8_t *st = v->d.s[v->shown].state;

		ia += st[0] == FATE_IMPAIRED;
		ib += st[1] == FATE_IMPAIRED;
		both += st[0] == FATE_IMPAIRED && st[1] == FATE_IMPAIRED;
	}
	if (v->env->quiet || n == 0)
		return;
	fprintf(v->env->console, "%-8s impaired: %s %u, %s %u, both %u of %u intervals\n", "pair",
		v->env->cfg->links[0].name, ia, v->env->cfg->links[1].name, ib, both, n);
}

/* Each co-impairment episode, after the dataplane's events. */
static void
div_events(const struct sink_diversity *v, const struct div_result *r)
{
	char path[PATH_MAX];
	FILE *f;
	size_t i;

	if (r->n_episodes == 0)
		return;
	snprintf(path, sizeof(path), "%s/events.jsonl", v->env->out_dir);
	f = fopen(path, "a");
	if (f == NULL) {
		fprintf(stderr, "metroprobe: cannot append to %s\n", path);
		return;
	}
	for (i = 0; i < r->n_episodes; i++)
		fprintf(f, "{\"type\":\"event\",\"link\":\"pair\",\"event\":\"co_impairment\","
			"\"start_unix_ns\":%llu,\"end_unix_ns\":%llu,\"duration_s\":%.3f}\n",
			(unsigned long long)r->ep[i].start_unix_ns,
			(unsigned long long)r->ep[i].end_unix_ns,
			(double)(r->ep[i].end_unix_ns - r->ep[i].start_unix_ns) / 1e9);
	fclose(f);
}

void
diversity_print(FILE *out, const struct div_result *r)
{
	int i;

	fprintf(out, "\ndiversity: %s\n", r->verdict);
	for (i = 0; i < r->n_reasons; i++)
		fprintf(out, "  %s\n", r->reason[i]);
}

static int
div_close(void *state, struct run_outcome *o)
{
	struct sink_diversity *v = state;
	struct div_result r;
	cJSON *obj;
	int rc = 0;

	if (v == NULL)
		return 0;
	if (o != NULL) {
		obj = diversity_finish(&v->d, &r);
		if (obj == NULL) {
			rc = -ENOMEM;
		} else {
			if (o->summary_members == NULL)
				o->summary_members = cJSON_CreateObject();
			cJSON_AddItemToObject(o->summary_members, "diversity", obj);
			diversity_print(v->env->console, &r);
			div_events(v, &r);
		}
	}
	diversity_free(&v->d);
	free(v);
	return rc;
}

const struct sink_ops sink_diversity_ops = {
	.name = "diversity",
	.open = div_open,
	.on_interval = div_interval,
	.on_path = div_path,
	.on_tick = div_tick,
	.close = div_close,
};
