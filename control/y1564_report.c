/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Y.1564's part of golive's report.json: links[i].y1564.services[] and
 * "performance" (the schema: docs/golive.md, docs/y1564.md). Only builds
 * JSON from results; golive_report.c puts it in place and folds the
 * verdicts into the run's.
 */
#include <math.h>
#include <stdio.h>

#include "golive_y1564.h"
#include "mp_record.h"

/* A number, or null when it is not one (no delay measured, no availability). */
static void
yr_num(cJSON *o, const char *key, bool have, double v)
{
	if (have && isfinite(v))
		cJSON_AddNumberToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

/* The KPIs shared by a step and a service of the performance test. */
static void
yr_kpis(cJSON *o, bool ran, const struct y1564_kpi *k)
{
	yr_num(o, "ir_bps", ran, k->ir_bps);
	yr_num(o, "ftd_us", ran && k->has_delay, k->ftd_us);
	yr_num(o, "fdv_us", ran && k->has_delay, k->fdv_us);
	yr_num(o, "flr", ran, k->flr);
	yr_num(o, "avail", ran && k->has_avail, k->avail);
	yr_num(o, "ftd_min_us", ran && k->has_delay, k->ftd_min_us);
	yr_num(o, "ftd_max_us", ran && k->has_delay, k->ftd_max_us);
	yr_num(o, "offered_bps", ran, k->offered_bps);
	record_add_u64(o, "sent", ran ? k->sent : 0);
	record_add_u64(o, "lost", ran ? k->lost : 0);
}

static cJSON *
yr_criteria(const struct y1564_criteria *c)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "ftd_us", c->ftd_us);
	cJSON_AddNumberToObject(o, "fdv_us", c->fdv_us);
	cJSON_AddNumberToObject(o, "flr", c->flr);
	cJSON_AddNumberToObject(o, "avail", c->avail);
	return o;
}

static cJSON *
yr_step(const struct y1564_step_res *st)
{
	cJSON *o = cJSON_CreateObject();
	char dir[32];

	cJSON_AddStringToObject(o, "step", st->plan.label);
	cJSON_AddNumberToObject(o, "load_pct", st->plan.load_pct);
	cJSON_AddNumberToObject(o, "rate_bps", st->plan.rate_bps);
	cJSON_AddNumberToObject(o, "asked_pps", st->asked_pps);
	yr_kpis(o, st->ran, &st->k);
	cJSON_AddStringToObject(o, "verdict", y1564_verdict_name(st->v));
	cJSON_AddStringToObject(o, "reason", st->reason);
	snprintf(dir, sizeof(dir), "trials/%04d", st->trial);
	if (st->trial > 0)
		cJSON_AddStringToObject(o, "trial_dir", dir);
	else
		cJSON_AddNullToObject(o, "trial_dir");
	return o;
}

static cJSON *
yr_strings(const char (*s)[Y1564_REASON_MAX], int n)
{
	cJSON *a = cJSON_CreateArray();
	int i;

	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(s[i]));
	return a;
}

cJSON *
y1564_service_json(const struct mp_config *cfg, const struct y1564_svc_res *r)
{
	const struct y1564_service *sv = &cfg->y1564.svc[r->svc];
	cJSON *o = cJSON_CreateObject(), *steps;
	int i;

	cJSON_AddStringToObject(o, "name", sv->name);
	cJSON_AddStringToObject(o, "link", cfg->links[sv->link].name);
	cJSON_AddStringToObject(o, "class", sv->cls);
	cJSON_AddStringToObject(o, "verdict", y1564_verdict_name(r->v));
	cJSON_AddItemToObject(o, "reasons", yr_strings(r->reasons, r->n_reasons));
	cJSON_AddNumberToObject(o, "cir_bps", r->cir_bps);
	cJSON_AddNumberToObject(o, "eir_bps", r->eir_bps);
	record_add_u64(o, "cbs_bytes", sv->cbs_bytes);
	record_add_u64(o, "ebs_bytes", sv->ebs_bytes);
	cJSON_AddBoolToObject(o, "policer", sv->policer);
	cJSON_AddStringToObject(o, "frame_size", sv->frame_mix[0] != '\0' ? sv->frame_mix :
				cfg->links[sv->link].frame_mix);
	cJSON_AddNumberToObject(o, "dscp", sv->dscp >= 0 ? sv->dscp : cfg->links[sv->link].dscp);
	if (sv->pcp >= 0)
		cJSON_AddNumberToObject(o, "pcp", sv->pcp);
	else
		cJSON_AddNullToObject(o, "pcp");
	cJSON_AddItemToObject(o, "criteria", yr_criteria(&sv->crit));
	steps = cJSON_AddArrayToObject(o, "steps");
	for (i = 0; i < r->n_steps; i++)
		cJSON_AddItemToArray(steps, yr_step(&r->step[i]));
	return o;
}

static cJSON *
yr_perf_service(const struct mp_config *cfg, const struct y1564_perf_svc *p)
{
	const struct y1564_service *sv = &cfg->y1564.svc[p->svc];
	cJSON *o = cJSON_CreateObject(), *why;

	cJSON_AddStringToObject(o, "link", cfg->links[sv->link].name);
	cJSON_AddStringToObject(o, "name", sv->name);
	yr_kpis(o, p->measured, &p->k);
	cJSON_AddStringToObject(o, "verdict", y1564_verdict_name(p->v));
	why = cJSON_AddArrayToObject(o, "reasons");
	if (p->reason[0] != '\0')
		cJSON_AddItemToArray(why, cJSON_CreateString(p->reason));
	cJSON_AddStringToObject(o, "measured_as", !p->measured ? "none" :
				p->per_stream ? "stream" : "link");
	return o;
}

/* Per link: FAIL when a service of it fails. */
static cJSON *
yr_perf_links(const struct mp_config *cfg, const struct y1564_perf_res *r)
{
	cJSON *a = cJSON_CreateArray(), *o;
	enum y1564_verdict v[Y1564_MAX_SERVICES];
	int i, s, n;

	for (i = 0; i < cfg->n_links; i++) {
		for (s = 0, n = 0; s < r->n; s++)
			if (cfg->y1564.svc[r->s[s].svc].link == i)
				v[n++] = r->s[s].v;
		if (n == 0)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", cfg->links[i].name);
		cJSON_AddStringToObject(o, "verdict", y1564_verdict_name(y1564_verdict_fold(v, n)));
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static cJSON *
yr_point(const struct mp_config *cfg, const struct y1564_point *p)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "t_s", p->t_s);
	cJSON_AddStringToObject(o, "link", cfg->links[p->link].name);
	yr_num(o, "rtt_p50_us", true, p->rtt_p50_us);
	yr_num(o, "rtt_p99_us", true, p->rtt_p99_us);
	cJSON_AddNumberToObject(o, "loss_ratio", p->loss_ratio);
	cJSON_AddNumberToObject(o, "ir_bps", p->ir_bps);
	return o;
}

/* What each KPI is, as measured (docs/y1564.md), for whoever reads the report. */
static cJSON *
yr_definitions(void)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "ir_bps", "frames carried (sent - lost) times their wire bits "
				"((frame + 20 B) * 8), per second");
	cJSON_AddStringToObject(o, "ftd_us", "mean round-trip delay (STAMP, the reflector's "
				"residence taken out)");
	cJSON_AddStringToObject(o, "fdv_us", "p99 of the round trip minus its minimum (RFC 5481 "
				"PDV, Y.1563 2-point FDV against the minimum)");
	cJSON_AddStringToObject(o, "flr", "lost / sent");
	cJSON_AddStringToObject(o, "avail", "Y.1563 availability of the seconds (10 severely "
				"errored seconds in a row begin unavailable time); CIR steps judged");
	return o;
}

cJSON *
y1564_perf_json(const struct mp_config *cfg, const struct y1564_perf_res *r)
{
	cJSON *o = cJSON_CreateObject(), *a, *why;
	char dir[32];
	int i;

	cJSON_AddNumberToObject(o, "duration_s", r->duration_s);
	cJSON_AddStringToObject(o, "verdict", y1564_verdict_name(r->v));
	why = cJSON_AddArrayToObject(o, "reasons");
	for (i = 0; i < r->n; i++)
		if (r->s[i].v != Y1564_PASS) {
			char buf[Y1564_REASON_MAX + 2 * Y1564_NAME_MAX + 8];

			snprintf(buf, sizeof(buf), "%s/%s: %s: %s",
				 cfg->links[cfg->y1564.svc[r->s[i].svc].link].name,
				 cfg->y1564.svc[r->s[i].svc].name, y1564_verdict_name(r->s[i].v),
				 r->s[i].reason);
			cJSON_AddItemToArray(why, cJSON_CreateString(buf));
		}
	if (r->v == Y1564_PASS)
		cJSON_AddItemToArray(why, cJSON_CreateString("every service within its criteria "
							     "at CIR, all together"));
	a = cJSON_AddArrayToObject(o, "services");
	for (i = 0; i < r->n; i++)
		cJSON_AddItemToArray(a, yr_perf_service(cfg, &r->s[i]));
	cJSON_AddItemToObject(o, "links", yr_perf_links(cfg, r));
	cJSON_AddItemToObject(o, "definitions", yr_definitions());
	snprintf(dir, sizeof(dir), "trials/%04d", r->trial);
	cJSON_AddStringToObject(o, "trial_dir", dir);
	a = cJSON_AddArrayToObject(o, "series");
	for (i = 0; i < r->n_points; i++)
		cJSON_AddItemToArray(a, yr_point(cfg, &r->pts[i]));
	return o;
}

cJSON *
y1564_link_json(void)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "verdict", "NOT_RUN");
	cJSON_AddArrayToObject(o, "reasons");
	cJSON_AddItemToObject(o, "definitions", yr_definitions());
	cJSON_AddArrayToObject(o, "services");
	return o;
}
