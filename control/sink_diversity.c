/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The diversity sink: the site diversity of the run's first two links
 * (diversity.h). As windows become final (a loss timeout and a few
 * intervals after they end: their losses are attributed by send time,
 * lossattr.h):
 *   - each window's pair state, a line in DIR/pair.jsonl
 *     {"start_unix_ns","a","b","both"} (a, b: impaired, ok or unknown);
 *   - a co-impairment episode raises "co_impairment_start" when both links
 *     become impaired and "co_impairment" (start, end, duration) when it
 *     ends, through the sink bus (events.jsonl, the live view, every sink);
 *   - a line a second for the pair;
 *   - every few seconds the current "diversity" object on the board
 *     (env->board->diversity), for the HTTP endpoint; recomputing it walks
 *     the whole kept series, so the period grows with its cost (at most 1%
 *     of a CPU).
 * At the end, the verdict above the summary table and the "diversity"
 * object in summary.json (through run_outcome.summary_members). The
 * verdict is a finding about the circuit, not about the run: it does not
 * change the exit code (a scheduled run of a standard circuit would
 * otherwise always fail).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board.h"
#include "diversity.h"
#include "fate.h"
#include "metro.h"
#include "mp_record.h"
#include "rotate.h"
#include "service_config.h"
#include "sink.h"
#include "util.h"

#define DIV_PUBLISH_MIN_NS	(5 * UINT64_C(1000000000))	/* board refresh, at the most often */
#define DIV_PUBLISH_COST	100	/* period >= this many times the refresh's own cost */

struct sink_diversity {
	const struct sink_env *env;
	struct diversity d;
	uint64_t shown;			/* windows the live line has counted */
	uint64_t walked;		/* windows written to pair.jsonl and watched for episodes */
	bool in_episode;
	uint64_t episode_start;		/* its first window */
	struct rot_file pair;		/* DIR/pair.jsonl: whole lines, rotated as the others */
	bool pair_open;
	cJSON *published;		/* what the board shows (owned) */
	uint64_t next_publish_ns;
};

/* What the configuration and the catalog say of the pair, and how to judge it. */
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
	dc->parity_us = cfg->diversity.parity_us;
	dc->rule.loss_ratio = cfg->diversity.loss_ratio;
	dc->rule.rtt_excess_ns = (uint64_t)cfg->diversity.rtt_excess_us * 1000;
	dc->min_episodes = cfg->diversity.min_episodes;
	dc->keep_s = cfg->diversity.keep_s;
	dc->loss_timeout_ms = cfg->loss_timeout_ms;
}

static int
div_open(const struct sink_env *env, void **state)
{
	struct sink_diversity *v;
	struct rot_policy pol;
	struct div_config dc;
	int rc;

	if (env->cfg->n_links < 2) {
		*state = NULL;		/* one link: no pair to judge */
		return 0;
	}
	v = calloc(1, sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	v->env = env;
	diversity_config_of(env->cfg, &dc);
	if (diversity_init(&v->d, &dc, env->cfg->interval_ms) != 0) {
		free(v);
		return -ENOMEM;
	}
	if ((env->service && diversity_reserve(&v->d) != 0) ||
	    diversity_path_config(&v->d, env->cfg) != 0) {
		diversity_free(&v->d);
		free(v);
		return -ENOMEM;
	}
	service_rot_policy(&env->cfg->service, &pol);
	pol.append = env->attach_path != NULL;	/* a restarted control goes on with the file */
	v->pair.fd = -1;
	rc = rot_open(&v->pair, env->out_dir, "pair.jsonl", &pol, (uint64_t)time(NULL));
	v->pair_open = rc == 0;
	if (rc != 0)
		fprintf(stderr, "metroprobe: cannot write %s/pair.jsonl: %s: the pair's windows "
			"are not kept\n", env->out_dir, strerror(-rc));
	*state = v;
	return 0;
}

/*
 * An event of the pair, raised on the bus: events.jsonl (one writer, the
 * jsonl sink), the live view, every sink. The last ones, at the end of a
 * run, are raised in on_stop, while every sink is still open.
 */
static void
div_raise(struct sink_diversity *v, const char *event, cJSON *fields)
{
	sink_emit(v->env->bus, "pair", event, fields);
}

static void
div_episode_event(struct sink_diversity *v, uint64_t end_w)
{
	uint64_t start = diversity_window_ns(&v->d, v->episode_start);
	uint64_t end = diversity_window_ns(&v->d, end_w);
	cJSON *f = cJSON_CreateObject();
	char detail[96];

	if (f == NULL)
		return;
	snprintf(detail, sizeof(detail), "both links impaired for %.1f s",
		 (double)(end - start) / 1e9);
	record_add_u64(f, "start_unix_ns", start);
	record_add_u64(f, "end_unix_ns", end);
	cJSON_AddNumberToObject(f, "duration_s", (double)(end - start) / 1e9);
	cJSON_AddStringToObject(f, "detail", detail);
	div_raise(v, "co_impairment", f);
	v->in_episode = false;
}

static const char *
div_state_name(uint8_t st)
{
	return st == FATE_IMPAIRED ? "impaired" : st == FATE_OK ? "ok" : "unknown";
}

/* The windows made final since the last walk: pair.jsonl, and episodes as events. */
static void
div_walk(struct sink_diversity *v)
{
	char line[160];
	int n;

	for (; v->walked < v->d.settled; v->walked++) {
		const struct div_sample *s = diversity_sample(&v->d, v->walked);
		bool both;

		if (s == NULL)
			continue;	/* dropped already: more than keep_s in one go */
		both = s->state[0] == FATE_IMPAIRED && s->state[1] == FATE_IMPAIRED;
		if (v->pair_open) {
			/* one write per line: a full disk loses whole lines, counted */
			n = snprintf(line, sizeof(line), "{\"start_unix_ns\":%llu,\"a\":\"%s\","
				     "\"b\":\"%s\",\"both\":%s}",
				     (unsigned long long)diversity_window_ns(&v->d, v->walked),
				     div_state_name(s->state[0]), div_state_name(s->state[1]),
				     both ? "true" : "false");
			rot_put(&v->pair, line, (size_t)n, (uint64_t)time(NULL));
		}
		if (both && !v->in_episode) {
			cJSON *f = cJSON_CreateObject();

			v->in_episode = true;
			v->episode_start = v->walked;
			record_add_u64(f, "start_unix_ns", diversity_window_ns(&v->d, v->walked));
			cJSON_AddStringToObject(f, "detail", "both links impaired");
			div_raise(v, "co_impairment_start", f);
		} else if (!both && v->in_episode) {
			div_episode_event(v, v->walked);
		}
	}
}

static void
div_interval(void *state, const struct dprec *r)
{
	struct sink_diversity *v = state;

	if (v == NULL)
		return;
	if (diversity_add(&v->d, r->link, r->interval) != 0)
		fprintf(stderr, "metroprobe: diversity: out of memory\n");
	div_walk(v);
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

/* Every window final, walked, and an episode still open ended. */
static void
div_flush(struct sink_diversity *v)
{
	if (diversity_flush(&v->d) != 0)
		fprintf(stderr, "metroprobe: diversity: out of memory\n");
	div_walk(v);
	if (v->in_episode)
		div_episode_event(v, v->d.settled);
}

/* The dataplane's last record: the run's windows are all in. */
static void
div_end(void *state, const struct dprec *r)
{
	(void)r;
	if (state != NULL)
		div_flush(state);
}

/*
 * The run is over (serve stopped, or a run without its end record): every
 * window final and an open episode ended, raised before any sink closes.
 */
static void
div_stop(void *state)
{
	if (state != NULL)
		div_flush(state);
}

/* The current object on the board, as often as its cost allows. */
static void
div_publish(struct sink_diversity *v, uint64_t now_ns)
{
	struct div_result r;
	uint64_t t0, cost;
	cJSON *o;

	if (v->env->board == NULL || now_ns < v->next_publish_ns)
		return;
	t0 = mp_mono_ns();
	o = diversity_object(&v->d, &r);
	cost = mp_mono_ns() - t0;
	v->next_publish_ns = now_ns + (cost * DIV_PUBLISH_COST > DIV_PUBLISH_MIN_NS ?
				       cost * DIV_PUBLISH_COST : DIV_PUBLISH_MIN_NS);
	if (o == NULL)
		return;
	v->env->board->diversity = o;
	cJSON_Delete(v->published);
	v->published = o;
}

/* The windows made final since the last line: how many had each link, and both, impaired. */
static void
div_tick(void *state, uint64_t now_ns)
{
	struct sink_diversity *v = state;
	unsigned n = 0, ia = 0, ib = 0, both = 0;

	if (v == NULL)
		return;
	div_publish(v, now_ns);
	for (; v->shown < v->d.settled; v->shown++) {
		const struct div_sample *s = diversity_sample(&v->d, v->shown);

		if (s == NULL)
			continue;
		n++;
		ia += s->state[0] == FATE_IMPAIRED;
		ib += s->state[1] == FATE_IMPAIRED;
		both += s->state[0] == FATE_IMPAIRED && s->state[1] == FATE_IMPAIRED;
	}
	if (v->env->quiet || v->env->service || n == 0)
		return;
	fprintf(v->env->console, "%-8s impaired: %s %u, %s %u, both %u of %u intervals\n", "pair",
		v->env->cfg->links[0].name, ia, v->env->cfg->links[1].name, ib, both, n);
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
	if (v->env->board != NULL && v->env->board->diversity == v->published)
		v->env->board->diversity = NULL;
	cJSON_Delete(v->published);
	if (o != NULL) {
		/* flushed in div_stop: nothing is left to raise, the bus is not read again */
		obj = diversity_finish(&v->d, &r);
		if (obj == NULL) {
			rc = -ENOMEM;
		} else {
			if (o->summary_members == NULL)
				o->summary_members = cJSON_CreateObject();
			cJSON_AddItemToObject(o->summary_members, "diversity", obj);
			diversity_print(v->env->console, &r);
		}
	}
	if (v->pair.lines_lost > 0)
		fprintf(stderr, "metroprobe: %llu lines of %s/pair.jsonl could not be written "
			"(lost)\n", (unsigned long long)v->pair.lines_lost, v->env->out_dir);
	rot_close(&v->pair);
	diversity_free(&v->d);
	free(v);
	return rc;
}

const struct sink_ops sink_diversity_ops = {
	.name = "diversity",
	.open = div_open,
	.on_interval = div_interval,
	.on_path = div_path,
	.on_end = div_end,
	.on_tick = div_tick,
	.on_stop = div_stop,
	.close = div_close,
};
