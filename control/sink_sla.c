/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SLA sink: each link's interval records (and the pair's, both links
 * together) go into rolling windows (window.h) a second at a time; once a
 * second every objective of the config's "sla" section (sla_config.h) is
 * sampled, its reaction (reaction.h) raises sla_breach or sla_clear, and
 * its error budget (budget.h) counts the second as good or bad. Links up
 * and down (updown.h) raise link_down, link_up, pair_down and pair_up from
 * every record, with or without objectives. The state goes to the board
 * (board.h) for the metrics endpoint; at the end, summary.json's "sla"
 * member says how each objective stands, and an objective still breached
 * makes the run's verdict "sla_breach" (exit code 5, set by the summary).
 *
 * A second of a link is complete when that link's first record of a later
 * second arrives (records are placed by their start). Objectives are
 * evaluated when every link has completed a new second (or one link runs
 * more than SLA_LAG_S ahead of another that has stopped).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avail_stream.h"
#include "board.h"
#include "budget.h"
#include "reaction.h"
#include "sink.h"
#include "sla_config.h"
#include "updown.h"
#include "window.h"

#define SLA_LINKS	UPDOWN_LINKS
#define SLA_LAG_S	5
#define NS		1000000000ull

struct sla_obj {
	const struct sla_objective *c;
	struct react r;
	struct budget b;
	double value;			/* NaN: no data yet */
	uint64_t breaches;
	struct board_objective *bo;	/* NULL without a board */
};

struct sla_link {
	int64_t sec;			/* the second being accumulated; -1 none */
	int64_t done;			/* the newest complete second; -1 none */
	struct wslot acc;		/* that second's data */
	struct avail_stream av;
	uint64_t last_end_ns;		/* the newest record's end: older ones are replays */
	uint64_t downs, down_ns;	/* outages seen, and their summed length */
};

struct sink_sla {
	const struct sink_env *env;
	int n_links;
	bool pair;			/* two links: the pair's series too */
	struct sla_link l[SLA_LINKS];
	struct wseries *ser[SLA_LINKS + 1];	/* the links', then the pair's */
	struct avail_pair_stream avp;
	struct updown ud;
	uint64_t pair_downs, pair_down_ns;
	int64_t evaluated;		/* the newest second evaluated; -1 none */
	int n_obj;
	struct sla_obj *obj;
};

static const char *
link_name(const struct sink_sla *s, int l)
{
	return l == SLA_PAIR ? "pair" : s->env->cfg->links[l].name;
}

static struct wseries *
series_of(struct sink_sla *s, int l)
{
	return s->ser[l == SLA_PAIR ? SLA_LINKS : l];
}

/* The objective's static part on the board, so that readers opened later see it. */
static void
board_objective_init(struct board_objective *bo, const struct sla_objective *c, const char *link)
{
	int i;

	memset(bo, 0, sizeof(*bo));
	snprintf(bo->name, sizeof(bo->name), "%s", c->name);
	snprintf(bo->link, sizeof(bo->link), "%s", link);
	snprintf(bo->metric, sizeof(bo->metric), "%s", sla_metric_name[c->metric]);
	snprintf(bo->window, sizeof(bo->window), "%s", win_name[c->window]);
	bo->threshold = c->threshold;
	bo->value = NAN;
	bo->ok = BOARD_UNKNOWN;
	bo->budget_remaining = 1.0;
	for (i = 0; i < BOARD_BURN_WINDOWS; i++)
		bo->burn_rate[i] = 0;
}

static void
board_init(struct sink_sla *s)
{
	struct board *b = s->env->board;
	int i;

	if (b == NULL)
		return;
	b->n_links = s->n_links;
	for (i = 0; i < s->n_links; i++) {
		snprintf(b->link[i].name, sizeof(b->link[i].name), "%s", s->env->cfg->links[i].name);
		snprintf(b->link[i].location, sizeof(b->link[i].location), "%s",
			 s->env->cfg->links[i].location);
		b->link[i].up = BOARD_UNKNOWN;
		b->link[i].changed_unix_ns = 0;
	}
	b->pair_up = BOARD_UNKNOWN;
	b->n_objectives = s->n_obj < BOARD_OBJECTIVES_MAX ? s->n_obj : BOARD_OBJECTIVES_MAX;
	for (i = 0; i < b->n_objectives; i++) {
		s->obj[i].bo = &b->objective[i];
		board_objective_init(s->obj[i].bo, s->obj[i].c, link_name(s, s->obj[i].c->link));
	}
}

static void sla_free(struct sink_sla *s);

static int
sla_open(const struct sink_env *env, void **state)
{
	const struct sla_config *sc = &env->cfg->sla;
	struct sink_sla *s = calloc(1, sizeof(*s));
	int i;

	if (s == NULL)
		return -ENOMEM;
	s->env = env;
	s->n_links = env->cfg->n_links < SLA_LINKS ? env->cfg->n_links : SLA_LINKS;
	s->pair = s->n_links == 2;
	s->evaluated = -1;
	updown_init(&s->ud, s->n_links);
	avps_init(&s->avp);
	for (i = 0; i < s->n_links; i++) {
		s->l[i].sec = s->l[i].done = -1;
		wslot_reset(&s->l[i].acc);
		avs_init(&s->l[i].av);
	}
	for (i = 0; i <= SLA_LINKS; i++) {
		if (i >= s->n_links && !(i == SLA_LINKS && s->pair))
			continue;
		s->ser[i] = malloc(sizeof(*s->ser[i]));
		if (s->ser[i] == NULL)
			goto nomem;
		wseries_init(s->ser[i]);
	}
	s->obj = calloc((size_t)sc->n + 1, sizeof(*s->obj));
	if (s->obj == NULL)
		goto nomem;
	for (i = 0; i < sc->n; i++) {
		struct sla_obj *o = &s->obj[s->n_obj];

		/* a config cut down to fewer links (a go-live trial) keeps only what it has */
		if (sc->o[i].link == SLA_PAIR ? !s->pair : sc->o[i].link >= s->n_links)
			continue;
		o->c = &sc->o[i];
		o->value = NAN;
		react_init(&o->r, &sc->o[i].react);
		budget_init(&o->b, sc->o[i].target, sc->period_s);
		s->n_obj++;
	}
	board_init(s);
	*state = s;
	return 0;
nomem:
	sla_free(s);
	fprintf(stderr, "metroprobe: sla: out of memory\n");
	return -ENOMEM;
}

/* link_down, link_up, pair_down, pair_up: an event, and the board. at_ns: the record's end. */
static void
sla_updown(struct sink_sla *s, const struct updown_event *e, uint64_t at_ns)
{
	struct board *b = s->env->board;
	bool down = e->kind == UD_LINK_DOWN || e->kind == UD_PAIR_DOWN;
	const char *what = e->link < 0 ? "both links" : "link";
	cJSON *f = cJSON_CreateObject();
	char detail[96], ns[32];

	snprintf(ns, sizeof(ns), "%llu", (unsigned long long)e->t_ns);
	cJSON_AddRawToObject(f, down ? "last_reply_unix_ns" : "reply_unix_ns", ns);
	if (down) {
		snprintf(detail, sizeof(detail), "%s down: no reply for %.1f s", what,
			 at_ns > e->t_ns ? (double)(at_ns - e->t_ns) / 1e9 : 0.0);
	} else {
		cJSON_AddNumberToObject(f, "outage_s", (double)e->outage_ns / 1e9);
		snprintf(detail, sizeof(detail), "%s up again after %.3f s", e->link < 0 ? "pair" :
			 "link", (double)e->outage_ns / 1e9);
	}
	cJSON_AddStringToObject(f, "detail", detail);
	sink_emit(s->env->bus, e->link < 0 ? "pair" : link_name(s, e->link),
		  updown_name[e->kind], f);
	if (e->kind == UD_LINK_UP) {
		s->l[e->link].downs++;
		s->l[e->link].down_ns += e->outage_ns;
	} else if (e->kind == UD_PAIR_UP) {
		s->pair_downs++;
		s->pair_down_ns += e->outage_ns;
	}
	if (b != NULL && e->link >= 0 && e->link < b->n_links)
		b->link[e->link].changed_unix_ns = e->t_ns;
}

/* The board's up states where no event said so: a link known up for the first time. */
static void
board_states(struct sink_sla *s)
{
	struct board *b = s->env->board;
	int i;

	if (b == NULL)
		return;
	for (i = 0; i < s->n_links && i < b->n_links; i++)
		b->link[i].up = s->ud.l[i].up;
	b->pair_up = s->n_links < 2 ? (s->n_links == 1 ? s->ud.l[0].up : BOARD_UNKNOWN) :
		     s->ud.pair_up;
}

/* Seconds whose availability was just decided, into series ser at second t. */
static void
add_avail(struct wseries *ser, int64_t t, const struct avs_out *o)
{
	struct wslot d;

	if (o->seconds == 0)
		return;
	wslot_reset(&d);
	d.seconds = o->seconds;
	d.unavail = o->unavail;
	wseries_add(ser, t, &d);
}

/* Link l's second l->sec is complete: into its series, the pair's, and availability. */
static void
second_done(struct sink_sla *s, int l)
{
	struct sla_link *k = &s->l[l];
	uint8_t cls = avail_classify(k->acc.sent, k->acc.lost);
	struct avs_out o = { 0, 0 }, po = { 0, 0 };

	k->acc.ses = cls == AVAIL_SES;
	wseries_add(s->ser[l], k->sec, &k->acc);
	if (s->pair) {
		k->acc.ses = 0;		/* a link's SES is not the pair's */
		wseries_add(s->ser[SLA_LINKS], k->sec, &k->acc);
	}
	avs_push(&k->av, k->sec, cls, &o);
	add_avail(s->ser[l], k->sec, &o);
	if (s->pair) {
		avps_advance(&s->avp, &s->l[0].av, &s->l[1].av, &po);
		add_avail(s->ser[SLA_LINKS], k->sec, &po);
	}
	k->done = k->sec;
	wslot_reset(&k->acc);
}

static double
metric_of(const struct wvalue *v, enum sla_metric m)
{
	switch (m) {
	case SLA_RTT_P50: return v->rtt_p50;
	case SLA_RTT_P99: return v->rtt_p99;
	case SLA_RTT_P999: return v->rtt_p999;
	case SLA_LOSS: return v->loss;
	case SLA_JITTER: return v->jitter;
	case SLA_AVAILABILITY: return v->availability;
	default: return NAN;
	}
}

/* sla_breach or sla_clear of objective o. */
static void
sla_event(struct sink_sla *s, const struct sla_obj *o, bool breach)
{
	const struct sla_objective *c = o->c;
	cJSON *f = cJSON_CreateObject();
	char detail[160];

	cJSON_AddStringToObject(f, "objective", c->name);
	cJSON_AddStringToObject(f, "metric", sla_metric_name[c->metric]);
	cJSON_AddStringToObject(f, "window", win_name[c->window]);
	cJSON_AddNumberToObject(f, "value", o->value);
	cJSON_AddNumberToObject(f, "threshold", c->threshold);
	cJSON_AddNumberToObject(f, "falling", c->react.falling);
	cJSON_AddStringToObject(f, "reaction", react_type_name[c->react.type]);
	snprintf(detail, sizeof(detail), "%s %s over %s: %.6g %s %.6g (%s)", c->name,
		 sla_metric_name[c->metric], win_name[c->window], o->value,
		 breach ? (c->react.low_is_bad ? "<" : ">") : "back within",
		 breach ? c->threshold : c->react.falling, react_type_name[c->react.type]);
	cJSON_AddStringToObject(f, "detail", detail);
	sink_emit(s->env->bus, link_name(s, c->link), breach ? "sla_breach" : "sla_clear", f);
}

/* Sample every objective at second t. */
static void
evaluate(struct sink_sla *s, int64_t t)
{
	int i, k;

	for (i = 0; i < s->n_obj; i++) {
		struct sla_obj *o = &s->obj[i];
		struct wvalue v;
		int step;

		wseries_value(series_of(s, o->c->link), o->c->window, &v);
		o->value = metric_of(&v, o->c->metric);
		step = react_step(&o->r, o->value);
		if (step != 0)
			sla_event(s, o, step > 0);
		o->breaches += step > 0;
		if (!isnan(o->value))
			budget_add(&o->b, t, !react_violates(&o->c->react, o->value));
		if (o->bo == NULL)
			continue;
		o->bo->value = o->value;
		o->bo->ok = isnan(o->value) && o->r.n == 0 ? BOARD_UNKNOWN :
			    o->r.raised ? BOARD_NO : BOARD_YES;
		o->bo->budget_remaining = budget_remaining(&o->b);
		for (k = 0; k < BOARD_BURN_WINDOWS && k < BUDGET_TIERS; k++)
			o->bo->burn_rate[k] = budget_burn(&o->b, budget_tiers[k].long_s);
	}
	s->evaluated = t;
}

/* The newest second every link has completed (or the leader's, past a stopped link). */
static void
maybe_evaluate(struct sink_sla *s)
{
	int64_t lo = INT64_MAX, hi = -1;
	int i;

	for (i = 0; i < s->n_links; i++) {
		lo = s->l[i].done < lo ? s->l[i].done : lo;
		hi = s->l[i].done > hi ? s->l[i].done : hi;
	}
	if (hi - lo > SLA_LAG_S)
		lo = hi - SLA_LAG_S;
	if (lo > s->evaluated)
		evaluate(s, lo);
}

static void
sla_interval(void *state, const struct dprec *r)
{
	struct sink_sla *s = state;
	const struct link_interval *li = r->interval;
	struct updown_event ev[2];
	struct sla_link *k;
	int64_t sec;
	int i, n;

	if (r->link < 0 || r->link >= s->n_links)
		return;
	/* a record the dataplane sends again after control reconnected is counted once */
	if (li->end_unix_ns <= s->l[r->link].last_end_ns)
		return;
	s->l[r->link].last_end_ns = li->end_unix_ns;
	n = updown_add(&s->ud, r->link, li, ev);
	for (i = 0; i < n; i++)
		sla_updown(s, &ev[i], li->end_unix_ns);
	board_states(s);
	k = &s->l[r->link];
	sec = (int64_t)(li->start_unix_ns / NS);
	if (k->sec >= 0 && sec > k->sec) {
		second_done(s, r->link);
		maybe_evaluate(s);
	}
	if (sec > k->sec)
		k->sec = sec;
	wslot_add_interval(&k->acc, &li->rtt, li->c.sent, li->c.received, li->c.lost,
			   li->jitter_ns);
}

static cJSON *
state_json(enum board_state st)
{
	return st == BOARD_UNKNOWN ? cJSON_CreateNull() : cJSON_CreateBool(st == BOARD_YES);
}

static cJSON *
num_json(double v)
{
	return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

/* One objective's final state, for summary.json. */
static cJSON *
objective_json(const struct sla_obj *o)
{
	static const char *const tier[BUDGET_TIERS] = { "1h", "6h", "3d" };
	static const char *const pair[BUDGET_TIERS] = { "1h/5m", "6h/30m", "3d/6h" };
	const struct sla_objective *c = o->c;
	cJSON *j = cJSON_CreateObject(), *burn, *alerts;
	int k;

	cJSON_AddStringToObject(j, "name", c->name);
	cJSON_AddStringToObject(j, "metric", sla_metric_name[c->metric]);
	cJSON_AddStringToObject(j, "window", win_name[c->window]);
	cJSON_AddNumberToObject(j, c->react.low_is_bad ? "min" : "max", c->threshold);
	cJSON_AddNumberToObject(j, "falling", c->react.falling);
	cJSON_AddStringToObject(j, "reaction", react_type_name[c->react.type]);
	cJSON_AddItemToObject(j, "value", num_json(o->value));
	cJSON_AddItemToObject(j, "ok", isnan(o->value) && o->r.n == 0 ? cJSON_CreateNull() :
			      cJSON_CreateBool(!o->r.raised));
	cJSON_AddBoolToObject(j, "breached", o->r.raised);
	cJSON_AddNumberToObject(j, "breaches", (double)o->breaches);
	cJSON_AddNumberToObject(j, "target", c->target);
	cJSON_AddNumberToObject(j, "budget_remaining", budget_remaining(&o->b));
	burn = cJSON_AddObjectToObject(j, "burn_rate");
	alerts = cJSON_AddArrayToObject(j, "burn_alerts");
	for (k = 0; k < BUDGET_TIERS; k++) {
		cJSON_AddNumberToObject(burn, tier[k], budget_burn(&o->b, budget_tiers[k].long_s));
		if (budget_alert(&o->b, k))
			cJSON_AddItemToArray(alerts, cJSON_CreateString(pair[k]));
	}
	return j;
}

static cJSON *
updown_json(enum board_state up, uint64_t downs, uint64_t down_ns)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddItemToObject(j, "up", state_json(up));
	cJSON_AddNumberToObject(j, "outages", (double)downs);
	cJSON_AddNumberToObject(j, "outage_s", (double)down_ns / 1e9);
	return j;
}

/* summary.json's "sla"; *breached gets how many objectives end breached. */
static cJSON *
sla_json(const struct sink_sla *s, int *breached)
{
	cJSON *j = cJSON_CreateObject(), *objs, *names, *links;
	int i;

	*breached = 0;
	cJSON_AddBoolToObject(j, "configured", s->env->cfg->sla.configured);
	if (!s->env->cfg->sla.configured)
		cJSON_AddStringToObject(j, "note", "no SLA configured");
	cJSON_AddNumberToObject(j, "period_s", s->env->cfg->sla.period_s);
	objs = cJSON_AddArrayToObject(j, "objectives");
	names = cJSON_AddArrayToObject(j, "breached");
	for (i = 0; i < s->n_obj; i++) {
		cJSON_AddItemToArray(objs, objective_json(&s->obj[i]));
		if (s->obj[i].r.raised) {
			cJSON_AddItemToArray(names, cJSON_CreateString(s->obj[i].c->name));
			(*breached)++;
		}
	}
	links = cJSON_AddObjectToObject(j, "links");
	for (i = 0; i < s->n_links; i++)
		cJSON_AddItemToObject(links, link_name(s, i),
				      updown_json(s->ud.l[i].up, s->l[i].downs, s->l[i].down_ns));
	if (s->pair)
		cJSON_AddItemToObject(links, "pair",
				      updown_json(s->ud.pair_up, s->pair_downs, s->pair_down_ns));
	return j;
}

static void
sla_free(struct sink_sla *s)
{
	int i;

	for (i = 0; i <= SLA_LINKS; i++)
		free(s->ser[i]);
	free(s->obj);
	free(s);
}

static int
sla_close(void *state, struct run_outcome *o)
{
	struct sink_sla *s = state;
	int breached, i;
	cJSON *j;

	if (o != NULL) {
		j = sla_json(s, &breached);
		if (o->summary_members == NULL)
			o->summary_members = cJSON_CreateObject();
		cJSON_AddItemToObject(o->summary_members, "sla", j);
		if (!s->env->cfg->sla.configured)
			fprintf(s->env->console, "\nsla: no SLA configured\n");
		else
			fprintf(s->env->console, "\nsla: %d objective%s, %d breached at the end\n",
				s->n_obj, s->n_obj == 1 ? "" : "s", breached);
		for (i = 0; i < s->n_obj; i++)
			if (s->obj[i].r.raised)
				fprintf(s->env->console, "  %s: %s over %s %.6g, threshold %.6g\n",
					s->obj[i].c->name, sla_metric_name[s->obj[i].c->metric],
					win_name[s->obj[i].c->window], s->obj[i].value,
					s->obj[i].c->threshold);
		/* the summary turns the verdict into exit code 5 */
		if (breached > 0 && (o->verdict == NULL || strcmp(o->verdict, "ok") == 0))
			o->verdict = "sla_breach";
	}
	sla_free(s);
	return 0;
}

const struct sink_ops sink_sla_ops = {
	.name = "sla",
	.open = sla_open,
	.on_interval = sla_interval,
	.close = sla_close,
};
