/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The drill's results: DIR/drill.json (schema metroprobe-drill/1, keys in
 * docs/drill.md) and the console summary. Durations in ms (to the us),
 * instants as UNIX ns; null where a value is not known, with the reason.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drill.h"
#include "golive_report.h"
#include "mp_record.h"
#include "util.h"

static void
drill_ms(cJSON *o, const char *key, int64_t ns)
{
	if (ns == DRILL_NONE)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddNumberToObject(o, key, (double)(ns / 1000) / 1e3);
}

static void
drill_num(cJSON *o, const char *key, double v)
{
	if (isnan(v))
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddNumberToObject(o, key, v);
}

static void
drill_str(cJSON *o, const char *key, const char *s)
{
	if (s == NULL)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddStringToObject(o, key, s);
}

static const char *
drill_carrier_name(const struct drill *d, int role)
{
	return role == DRILL_CARRIER_UNKNOWN || d->link[role] < 0 ? NULL :
	       d->cfg->links[d->link[role]].name;
}

static const char *
drill_method(const struct drill *d)
{
	static const char *const lab[] = { "none", "blackhole", "carrier" };

	return d->mode == DRILL_MODE_LAB ? lab[d->lab_method] :
	       d->mode == DRILL_MODE_COMMANDS ? "command" : "operator";
}

/* The service stream's part: its figures, or nulls and why. */
static void
drill_json_service(const struct drill *d, const struct drill_result *r, cJSON *o)
{
	const char *why = d->link[DRILL_SERVICE] < 0 ? d->no_service_why :
			  !d->cut ? "nothing was cut" :
			  !r->service ? "the service stream gave no records" :
			  !r->gap.found ? "the service stream lost no probes around the cut" : NULL;
	const struct drill_series *v = &d->m.s[DRILL_SERVICE];
	double rate = 0, span;
	size_t i;

	/* the rate the service was sent at, from its records */
	for (i = 0; i < v->n; i++)
		rate += (double)v->v[i].sent;
	span = v->n > 0 ? (double)(v->v[v->n - 1].end_ns - v->v[0].start_ns) / 1e9 : 0;
	rate = span > 0 ? rate / span : 0;

	drill_str(o, "service_link", d->link[DRILL_SERVICE] >= 0 ?
		  d->cfg->links[d->link[DRILL_SERVICE]].name : NULL);
	drill_str(o, "service_reason", why);
	drill_ms(o, "service_gap_ms", r->gap.found ? r->gap.end_ns - r->gap.start_ns :
		 d->link[DRILL_SERVICE] >= 0 && r->service && d->cut ? 0 : DRILL_NONE);
	if (r->gap.found || (d->link[DRILL_SERVICE] >= 0 && r->service && d->cut))
		cJSON_AddNumberToObject(o, "service_lost", (double)r->gap.lost);
	else
		cJSON_AddNullToObject(o, "service_lost");
	drill_num(o, "service_gap_from_count_ms", r->gap.found && rate > 0 ?
		  (double)r->gap.lost * 1e3 / rate : NAN);
	drill_ms(o, "service_failover_ms", r->failover_ns);
	drill_str(o, "service_link_before", drill_carrier_name(d, r->before));
	drill_str(o, "service_link_during", drill_carrier_name(d, r->during));
	drill_str(o, "service_link_after", drill_carrier_name(d, r->after));
	drill_ms(o, "service_back_ms", r->moved_back_ns);
	drill_ms(o, "service_restore_gap_ms", r->restore_gap.found ?
		 r->restore_gap.end_ns - r->restore_gap.start_ns : DRILL_NONE);
}

/* The routed lab's own view: the CE's route to the VNet (drill_route.c); null elsewhere. */
static void
drill_json_routing(const struct drill *d, cJSON *o)
{
	cJSON *l, *a, *e;
	int i;

	if (d->mode != DRILL_MODE_LAB) {
		cJSON_AddNullToObject(o, "lab_routing");
		return;
	}
	l = cJSON_AddObjectToObject(o, "lab_routing");
	cJSON_AddStringToObject(l, "what", "the CE's kernel route to the VNet (10.1.0.0/24): "
				"when it moved to the surviving link after the cut, and back after "
				"the restore");
	drill_ms(l, "failover_ms", drill_route_after(d, d->m.cut_begin_ns,
						      DRILL_SURVIVOR));
	drill_ms(l, "back_ms", drill_route_after(d, d->m.restore_begin_ns,
						  DRILL_CUT));
	a = cJSON_AddArrayToObject(l, "changes");
	for (i = 0; i < d->n_route; i++) {
		e = cJSON_CreateObject();
		drill_ms(e, "t_ms", (int64_t)(d->route[i].t_ns - d->start_ns));
		drill_str(e, "via", d->route[i].via < 0 ? NULL :
			  d->cfg->links[d->link[d->route[i].via]].name);
		cJSON_AddItemToArray(a, e);
	}
}

static void
drill_json_sla(const struct drill *d, const struct drill_result *r, cJSON *o)
{
	cJSON *s = cJSON_AddObjectToObject(o, "surviving_link_sla"), *a, *e;
	struct drill_objective obj[DRILL_OBJECTIVES_MAX];
	bool ok;
	int i;

	memcpy(obj, d->obj, sizeof(obj));
	ok = d->cut && drill_objectives_eval(r, obj, d->n_obj);
	if (d->cut)
		cJSON_AddBoolToObject(o, "surviving_link_sla_ok", ok);
	else
		cJSON_AddNullToObject(o, "surviving_link_sla_ok");
	cJSON_AddStringToObject(s, "source", d->obj_default ? "drill default (no sla objective "
				"names the surviving link)" : "the config's sla objectives");
	cJSON_AddStringToObject(s, "window", "from the cut to the restore");
	cJSON_AddStringToObject(s, "load", d->load);
	record_add_u64(s, "sent", r->surv_sent);
	record_add_u64(s, "received", r->surv_received);
	record_add_u64(s, "silent_intervals", r->surv_silent);
	drill_num(s, "loss_ratio", r->surv_loss);
	drill_num(s, "rtt_p50_us", r->surv_received ? (double)r->surv_p50_ns / 1e3 : NAN);
	drill_num(s, "rtt_p99_us", r->surv_received ? (double)r->surv_p99_ns / 1e3 : NAN);
	drill_num(s, "jitter_us", r->surv_received ? (double)r->surv_jitter_ns / 1e3 : NAN);
	a = cJSON_AddArrayToObject(s, "objectives");
	for (i = 0; i < d->n_obj; i++) {
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "name", obj[i].name);
		cJSON_AddStringToObject(e, "metric", drill_metric_names[obj[i].metric]);
		cJSON_AddNumberToObject(e, "max", obj[i].max);
		drill_num(e, "value", d->cut ? obj[i].value : NAN);
		cJSON_AddBoolToObject(e, "ok", d->cut && obj[i].ok);
		cJSON_AddItemToArray(a, e);
	}
}

static int
drill_moment_cmp(const void *a, const void *b)
{
	const struct drill_moment *x = a, *y = b;

	return x->t_ns < y->t_ns ? -1 : x->t_ns > y->t_ns;
}

static void
drill_json_actions(const struct drill *d, cJSON *o)
{
	cJSON *a = cJSON_AddArrayToObject(o, "actions"), *e;
	int i;

	for (i = 0; i < d->n_act; i++) {
		const struct drill_action *x = &d->act[i];

		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "what", x->what);
		cJSON_AddStringToObject(e, "how", x->how);
		drill_str(e, "command", x->command[0] ? x->command : NULL);
		drill_str(e, "log", x->log[0] ? x->log : NULL);
		record_add_u64(e, "begin_unix_ns", x->begin_ns);
		record_add_u64(e, "end_unix_ns", x->end_ns);
		drill_ms(e, "duration_ms", (int64_t)(x->end_ns - x->begin_ns));
		if (x->exit_code >= 0)
			cJSON_AddNumberToObject(e, "exit_code", x->exit_code);
		else
			cJSON_AddNullToObject(e, "exit_code");
		cJSON_AddBoolToObject(e, "ok", x->ok);
		cJSON_AddStringToObject(e, "why", x->why);
		cJSON_AddItemToArray(a, e);
	}
	a = cJSON_AddArrayToObject(o, "timeline");
	for (i = 0; i < d->n_tl; i++) {
		e = cJSON_CreateObject();
		drill_ms(e, "t_ms", (int64_t)(d->tl[i].t_ns - d->start_ns));
		record_add_u64(e, "t_unix_ns", d->tl[i].t_ns);
		cJSON_AddStringToObject(e, "what", d->tl[i].what);
		cJSON_AddItemToArray(a, e);
	}
}

static cJSON *
drill_json(const struct drill *d, const struct drill_result *r)
{
	cJSON *o = cJSON_CreateObject(), *res;

	cJSON_AddStringToObject(o, "schema", "metroprobe-drill/1");
	cJSON_AddStringToObject(o, "config", d->config_path);
	cJSON_AddStringToObject(o, "cut_link", d->cfg->links[d->link[DRILL_CUT]].name);
	cJSON_AddStringToObject(o, "surviving_link", d->cfg->links[d->link[DRILL_SURVIVOR]].name);
	cJSON_AddStringToObject(o, "cut_method", drill_method(d));
	cJSON_AddStringToObject(o, "mode", d->mode == DRILL_MODE_LAB ? "lab" :
				d->mode == DRILL_MODE_COMMANDS ? "commands" : "prompt");
	cJSON_AddBoolToObject(o, "cut", d->cut);
	cJSON_AddBoolToObject(o, "restored", d->restored);
	cJSON_AddBoolToObject(o, "refused", d->refused);
	drill_str(o, "refused_reason", d->refused ? d->refused_why : NULL);
	cJSON_AddBoolToObject(o, "failed", d->failed);
	drill_str(o, "failed_reason", d->failed ? d->failed_why : NULL);
	cJSON_AddNumberToObject(o, "hold_s", d->hold_s);
	record_add_u64(o, "started_unix_ns", d->start_ns);
	record_add_u64(o, "ended_unix_ns", d->end_ns);
	record_add_u64(o, "cut_unix_ns", d->m.cut_begin_ns);
	record_add_u64(o, "cut_applied_unix_ns", d->m.cut_ns);
	record_add_u64(o, "restore_unix_ns", d->m.restore_begin_ns);
	record_add_u64(o, "restore_applied_unix_ns", d->m.restore_ns);
	res = cJSON_AddObjectToObject(o, "resolution");
	cJSON_AddNumberToObject(res, "interval_ms", d->interval_ms);
	cJSON_AddStringToObject(res, "how", "per-interval records: a window silent (sent, none "
				"answered) or short (fewer answered than sent); the service gap's "
				"edges interpolated by the share answered in their windows");
	drill_ms(o, "detection_ms", r->detection_ns);
	drill_ms(o, "recovery_ms", r->recovery_ns);
	cJSON_AddBoolToObject(o, "recovery_timeout", d->recover_timeout);
	drill_json_service(d, r, o);
	drill_json_routing(d, o);
	drill_json_sla(d, r, o);
	drill_json_actions(d, o);
	return o;
}

int
drill_report_write(struct drill *d)
{
	struct drill_result r;
	char path[PATH_MAX + 16], *s;
	cJSON *o;
	int rc = -ENOMEM;

	drill_measure_result(&d->m, &r);
	/* the timeline in the order things happened (a measurement is noted when it is known) */
	qsort(d->tl, (size_t)d->n_tl, sizeof(d->tl[0]), drill_moment_cmp);
	o = drill_json(d, &r);
	s = o != NULL ? mp_json_print_fixed(o) : NULL;
	snprintf(path, sizeof(path), "%s/drill.json", d->out);
	if (s != NULL) {
		size_t n = strlen(s);

		s[n] = '\n';
		rc = mp_write_file(path, s, n + 1);
	}
	free(s);
	cJSON_Delete(o);
	return rc;
}

int
drill_report_golive(const char *dir)
{
	struct golive_report r = { 0 };
	char path[PATH_MAX + 16], *s;
	int rc;

	snprintf(path, sizeof(path), "%s/report.json", dir);
	s = mp_read_file(path, NULL);
	r.root = s != NULL ? cJSON_Parse(s) : NULL;
	free(s);
	if (r.root == NULL)
		return 0;
	/* golive's own writer: it takes DIR/drill.json as "failover" */
	rc = golive_report_write(&r, dir);
	golive_report_free(&r);
	return rc == 0 ? 1 : rc;
}

static void
drill_print_ms(const char *label, int64_t ns, const char *none)
{
	if (ns == DRILL_NONE)
		printf("  %-34s %s\n", label, none);
	else
		printf("  %-34s %.1f ms\n", label, (double)ns / 1e6);
}

void
drill_report_print(const struct drill *d)
{
	struct drill_result r;
	struct drill_objective obj[DRILL_OBJECTIVES_MAX];
	int i;

	drill_measure_result(&d->m, &r);
	memcpy(obj, d->obj, sizeof(obj));
	printf("\ndrill: link %s cut by %s, %s%s (resolution %u ms)\n",
	       d->cfg->links[d->link[DRILL_CUT]].name, drill_method(d),
	       !d->cut ? "nothing was cut" : d->restored ? "restored" : "NOT RESTORED",
	       d->refused ? " (refused)" : "", d->interval_ms);
	if (d->refused)
		printf("  refused: %s\n", d->refused_why);
	if (d->failed)
		printf("  failed: %s\n", d->failed_why);
	drill_print_ms("detection (probes unanswered)", r.detection_ns, "not seen");
	if (d->mode == DRILL_MODE_LAB) {
		drill_print_ms("lab: CE route moved to survivor", drill_route_after(d,
			       d->m.cut_begin_ns, DRILL_SURVIVOR), "not seen");
		drill_print_ms("lab: CE route back after restore", drill_route_after(d,
			       d->m.restore_begin_ns, DRILL_CUT), "not seen");
	}
	if (d->link[DRILL_SERVICE] < 0)
		printf("  %-34s none: %s\n", "service stream", d->no_service_why);
	else {
		drill_print_ms("service gap", r.gap.found ? r.gap.end_ns - r.gap.start_ns : DRILL_NONE,
			       "no probe lost");
		printf("  %-34s %llu\n", "service probes lost", (unsigned long long)r.gap.lost);
		printf("  %-34s %s -> %s -> %s\n", "service carried by",
		       drill_carrier_name(d, r.before) ?: "?", drill_carrier_name(d, r.during) ?: "?",
		       drill_carrier_name(d, r.after) ?: "?");
		drill_print_ms("service moved back after restore", r.moved_back_ns, "not seen");
	}
	printf("  %-34s %s (loss %.4f%%, %llu silent intervals, load %s)\n",
	       "surviving link's SLA during the cut",
	       !d->cut ? "not judged" : drill_objectives_eval(&r, obj, d->n_obj) ? "met" : "NOT MET",
	       isnan(r.surv_loss) ? 0.0 : r.surv_loss * 100,
	       (unsigned long long)r.surv_silent, d->load);
	for (i = 0; d->cut && i < d->n_obj; i++)
		printf("    %-32s %s %g <= %g\n", obj[i].name, obj[i].ok ? "ok  " : "FAIL",
		       obj[i].value, obj[i].max);
	drill_print_ms("recovery (answers again)", r.recovery_ns,
		       d->restored ? "not seen (timeout)" : "not restored");
	printf("  report: %s/drill.json\n", d->out);
}

int
drill_exit_code(const struct drill *d, bool interrupted)
{
	struct drill_result r;
	struct drill_objective obj[DRILL_OBJECTIVES_MAX];

	if (d->cut && !d->restored)
		return 1;
	if (interrupted)
		return 130;
	if (d->failed)
		return 1;
	if (d->refused)
		return 4;
	drill_measure_result(&d->m, &r);
	memcpy(obj, d->obj, sizeof(obj));
	return drill_objectives_eval(&r, obj, d->n_obj) ? 0 : 5;
}
