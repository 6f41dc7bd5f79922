/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * report.json (see golive_report.h; the schema is in docs/golive.md).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "golive_report.h"
#include "golive_trial.h"
#include "mp_build.h"
#include "mp_record.h"
#include "report_cmd.h"
#include "util.h"

#define GR_GET(o, k)	cJSON_GetObjectItemCaseSensitive(o, k)

static void
golive_reason(struct golive_report *r, bool fail, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
golive_reason(struct golive_report *r, bool fail, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	cJSON_AddItemToArray(r->reasons, cJSON_CreateString(buf));
	r->fail |= fail;
}

/* The config file as it was, parsed (null when it cannot be read again). */
static cJSON *
golive_config_json(const char *path)
{
	char *text = mp_read_file(path, NULL);
	cJSON *c = text != NULL ? cJSON_Parse(text) : NULL;

	free(text);
	return c != NULL ? c : cJSON_CreateNull();
}

static cJSON *
golive_plan_json(const struct golive_report_info *in)
{
	const struct golive_plan *p = in->plan;
	cJSON *o = cJSON_CreateObject(), *steps, *skips, *s;
	int i;

	cJSON_AddStringToObject(o, "name", p->def->name);
	cJSON_AddNumberToObject(o, "trial_ms", p->trial_ms);
	cJSON_AddNumberToObject(o, "resolution", p->resolution);
	cJSON_AddNumberToObject(o, "tolerance", in->tolerance);
	cJSON_AddNumberToObject(o, "overhead_ms", p->overhead_ms);
	cJSON_AddBoolToObject(o, "allow_over_committed", in->allow_over_committed);
	cJSON_AddNumberToObject(o, "max_trials", p->total_trials);
	cJSON_AddNumberToObject(o, "max_s", (double)p->total_ms / 1000.0);
	cJSON_AddNumberToObject(o, "y1564_step_ms", p->y1564_step_ms);
	cJSON_AddNumberToObject(o, "y1564_performance_s", p->y1564_perf_s);
	steps = cJSON_AddArrayToObject(o, "steps");
	for (i = 0; i < p->n; i++) {
		s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "test", golive_test_name(p->step[i].test));
		cJSON_AddStringToObject(s, "link", p->step[i].link == GOLIVE_TOGETHER ? "together" :
					in->cfg->links[p->step[i].link].name);
		cJSON_AddStringToObject(s, "frame_size", p->step[i].size);
		cJSON_AddNumberToObject(s, "max_trials", p->step[i].max_trials);
		if (p->step[i].test == GOLIVE_Y1564_SERVICE)
			cJSON_AddStringToObject(s, "service", in->cfg->y1564.svc[p->step[i].svc].name);
		cJSON_AddItemToArray(steps, s);
	}
	skips = cJSON_AddArrayToObject(o, "skipped");
	for (i = 0; i < p->n_skip; i++) {
		s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "link", p->skip[i].link == GOLIVE_TOGETHER ? "together" :
					in->cfg->links[p->skip[i].link].name);
		cJSON_AddStringToObject(s, "frame_size", p->skip[i].size);
		cJSON_AddNumberToObject(s, "max_frame", p->skip[i].max_frame);
		cJSON_AddStringToObject(s, "reason", "larger than the link's MTU carries");
		cJSON_AddItemToArray(skips, s);
	}
	return o;
}

static bool
golive_link_has_service(const struct mp_config *cfg, int i)
{
	int s;

	for (s = 0; s < cfg->y1564.n; s++)
		if (cfg->y1564.svc[s].link == i)
			return true;
	return false;
}

static cJSON *
golive_link_json(const struct golive_report_info *in, int i)
{
	const struct mp_link_cfg *l = &in->cfg->links[i];
	cJSON *o = cJSON_CreateObject(), *rfc;

	cJSON_AddStringToObject(o, "name", l->name);
	cJSON_AddStringToObject(o, "location", l->location);
	if (l->committed_rate_text[0] != '\0')
		cJSON_AddStringToObject(o, "committed_rate", l->committed_rate_text);
	else
		cJSON_AddNullToObject(o, "committed_rate");
	cJSON_AddNumberToObject(o, "mtu", in->mtu[i]);
	cJSON_AddBoolToObject(o, "mtu_known", in->mtu_known[i]);
	rfc = cJSON_AddObjectToObject(o, "rfc2544");
	cJSON_AddArrayToObject(rfc, "throughput");
	cJSON_AddArrayToObject(rfc, "latency");
	cJSON_AddArrayToObject(rfc, "frame_loss");
	cJSON_AddArrayToObject(rfc, "back_to_back");
	if (in->y1564 && golive_link_has_service(in->cfg, i))
		cJSON_AddItemToObject(o, "y1564", y1564_link_json());
	else
		cJSON_AddNullToObject(o, "y1564");
	return o;
}

int
golive_report_init(struct golive_report *r, const struct golive_report_info *in)
{
	cJSON *links, *tog, *v;
	struct utsname u;
	int i;

	memset(r, 0, sizeof(*r));
	r->tolerance = in->tolerance;
	r->y1564 = in->y1564;
	r->root = cJSON_CreateObject();
	if (r->root == NULL)
		return -ENOMEM;
	cJSON_AddStringToObject(r->root, "schema", GOLIVE_SCHEMA);
	cJSON_AddStringToObject(r->root, "verdict", "FAIL");
	r->reasons = cJSON_AddArrayToObject(r->root, "reasons");
	cJSON_AddBoolToObject(r->root, "complete", false);
	record_add_u64(r->root, "started_unix_ns", mp_now_ns());
	cJSON_AddItemToObject(r->root, "plan", golive_plan_json(in));
	links = cJSON_AddArrayToObject(r->root, "links");
	for (i = 0; i < in->cfg->n_links; i++)
		cJSON_AddItemToArray(links, golive_link_json(in, i));
	tog = cJSON_AddObjectToObject(r->root, "together");
	v = cJSON_AddArrayToObject(tog, "links");
	for (i = 0; i < in->cfg->n_links; i++)
		cJSON_AddItemToArray(v, cJSON_CreateString(in->cfg->links[i].name));
	cJSON_AddArrayToObject(cJSON_AddObjectToObject(tog, "rfc2544"), "throughput");
	cJSON_AddNullToObject(r->root, "performance");
	cJSON_AddNullToObject(r->root, "diversity");
	v = cJSON_AddObjectToObject(r->root, "config");
	cJSON_AddStringToObject(v, "path", in->config_path);
	cJSON_AddItemToObject(v, "json", golive_config_json(in->config_path));
	v = cJSON_AddObjectToObject(r->root, "versions");
	cJSON_AddStringToObject(v, "metroprobe", MP_VERSION);
	if (uname(&u) == 0)
		cJSON_AddStringToObject(v, "kernel", u.release);
	return 0;
}

/* frame_size (asked: a number, or "imix"), the sizes sent, the trials' directories. */
static cJSON *
golive_entry(const struct golive_step_result *res)
{
	cJSON *e = cJSON_CreateObject();
	uint32_t n = golive_size_max_frame(res->step->size);
	char dirs[64];

	if (strcmp(res->step->size, "imix") == 0 || n == 0)
		cJSON_AddStringToObject(e, "frame_size", res->step->size);
	else
		cJSON_AddNumberToObject(e, "frame_size", n);
	if (res->frame_size_sent > 0)
		cJSON_AddNumberToObject(e, "frame_size_sent", res->frame_size_sent);
	else
		cJSON_AddNullToObject(e, "frame_size_sent");
	cJSON_AddStringToObject(e, "frame_mix_sent", res->mix_sent);
	cJSON_AddBoolToObject(e, "complete", res->rc == 0);
	snprintf(dirs, sizeof(dirs), "trials/%04d..%04d", res->first_trial, res->last_trial);
	cJSON_AddStringToObject(e, "trials_dir", dirs);
	return e;
}

static cJSON *
golive_trial_json(const struct rfc2544_trial *t)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "asked_pps", t->asked_pps);
	cJSON_AddNumberToObject(o, "duration_ms", t->duration_ms);
	record_add_u64(o, "sent", t->sent);
	record_add_u64(o, "lost", t->lost);
	cJSON_AddNumberToObject(o, "sent_pps", t->sent_pps);
	cJSON_AddNumberToObject(o, "loss_ratio", t->loss_ratio);
	if (t->has_rtt) {
		cJSON_AddNumberToObject(o, "rtt_min_us", t->rtt_min_us);
		cJSON_AddNumberToObject(o, "rtt_p50_us", t->rtt_p50_us);
		cJSON_AddNumberToObject(o, "rtt_p99_us", t->rtt_p99_us);
		cJSON_AddNumberToObject(o, "rtt_max_us", t->rtt_max_us);
	}
	return o;
}

static void
golive_add_trials(cJSON *e, const struct rfc2544_steps *s)
{
	cJSON *a = cJSON_AddArrayToObject(e, "trials");
	int i;

	for (i = 0; i < s->n; i++)
		cJSON_AddItemToArray(a, golive_trial_json(&s->t[i]));
}

/* Does the throughput reach the committed rate of link l (within the resolution)? */
static void
golive_judge_tput(struct golive_report *r, const struct mp_link_cfg *l, const char *where,
		  const struct golive_step_result *res, double pps, double bps, double res_frac)
{
	const struct rate *c = &l->committed_rate;
	double need, got;

	if (l->committed_rate_text[0] == '\0')
		return;
	need = c->kind == RATE_PPS ? c->value / 1000.0 : (double)c->value;
	got = c->kind == RATE_PPS ? pps : bps;
	if (got >= need * (1 - res_frac))
		return;
	golive_reason(r, true, "%s: throughput at %s is %.0f pps (%.3f Mb/s), below link %s's "
		      "committed_rate %s%s", where, res->step->size, pps, bps / 1e6, l->name,
		      l->committed_rate_text, res->r.tput.sender_limited ?
		      " (in that trial the sender reached less than 99% of the rate asked)" : "");
}

static cJSON *
golive_tput_json(struct golive_report *r, const struct mp_config *cfg,
		 const struct golive_plan *plan, const struct golive_step_result *res)
{
	const struct rfc2544_tput *t = &res->r.tput;
	cJSON *e = golive_entry(res), *pl;
	const char *where = res->step->link == GOLIVE_TOGETHER ? "together" :
			    cfg->links[res->step->link].name;
	int i;

	cJSON_AddBoolToObject(e, "found", t->found);
	cJSON_AddNumberToObject(e, "rate_pps", t->found ? t->sent_pps : 0);
	cJSON_AddNumberToObject(e, "rate_bps", t->found ? t->sent_pps * res->wire_bits : 0);
	cJSON_AddNumberToObject(e, "loss_ratio", t->loss_ratio);
	cJSON_AddNumberToObject(e, "asked_pps", t->rate_pps);
	cJSON_AddBoolToObject(e, "sender_limited", t->sender_limited);
	cJSON_AddNumberToObject(e, "ceiling_pps", res->ceiling_pps);
	cJSON_AddStringToObject(e, "ceiling", res->ceiling_is);
	cJSON_AddNumberToObject(e, "resolution_pps", plan->resolution * res->ceiling_pps);
	cJSON_AddNumberToObject(e, "lowest_failed_pps", t->hi_pps);
	golive_add_trials(e, &t->steps);
	if (res->rc == 0 && res->step->link != GOLIVE_TOGETHER)
		golive_judge_tput(r, &cfg->links[res->step->link], where, res,
				  t->found ? t->sent_pps : 0,
				  t->found ? t->sent_pps * res->wire_bits : 0, plan->resolution);
	if (res->step->link != GOLIVE_TOGETHER)
		return e;
	pl = cJSON_AddArrayToObject(e, "per_link");
	for (i = 0; i < res->n_links; i++) {
		cJSON *o = golive_trial_json(&res->per_link[i]);

		cJSON_AddStringToObject(o, "name", res->name[i]);
		cJSON_AddItemToArray(pl, o);
	}
	/* both links at one rate: the pair against the lower committed rate (the ceiling) */
	if (res->rc == 0 && strcmp(res->ceiling_is, "committed_rate") == 0 &&
	    (t->found ? t->sent_pps : 0) < res->ceiling_pps * (1 - plan->resolution))
		golive_reason(r, true, "together: throughput at %s is %.0f pps (%.3f Mb/s) on each "
			      "link, below the lower committed_rate of the two (%.0f pps)",
			      res->step->size, t->found ? t->sent_pps : 0,
			      t->found ? t->sent_pps * res->wire_bits / 1e6 : 0, res->ceiling_pps);
	return e;
}

static cJSON *
golive_latency_json(const struct golive_step_result *res)
{
	const struct rfc2544_latency *l = &res->r.lat;
	cJSON *e = golive_entry(res);

	cJSON_AddNumberToObject(e, "rate_pps", l->rate_pps);
	cJSON_AddNumberToObject(e, "rate_bps", l->rate_pps * res->wire_bits);
	cJSON_AddStringToObject(e, "rate_is", res->ceiling_is);
	cJSON_AddNumberToObject(e, "reps", l->reps);
	if (l->reps > 0) {
		cJSON_AddNumberToObject(e, "min_us", l->min_us);
		cJSON_AddNumberToObject(e, "p50_us", l->p50_us);
		cJSON_AddNumberToObject(e, "p99_us", l->p99_us);
		cJSON_AddNumberToObject(e, "max_us", l->max_us);
	} else {
		cJSON_AddNullToObject(e, "min_us");
		cJSON_AddNullToObject(e, "p50_us");
		cJSON_AddNullToObject(e, "p99_us");
		cJSON_AddNullToObject(e, "max_us");
	}
	golive_add_trials(e, &l->steps);
	return e;
}

static cJSON *
golive_floss_json(const struct golive_step_result *res)
{
	const struct rfc2544_floss *f = &res->r.floss;
	cJSON *e = golive_entry(res), *a;
	int i;

	cJSON_AddNumberToObject(e, "ceiling_pps", res->ceiling_pps);
	cJSON_AddStringToObject(e, "ceiling", res->ceiling_is);
	a = cJSON_AddArrayToObject(e, "steps");
	for (i = 0; i < f->steps.n; i++) {
		cJSON *o = golive_trial_json(&f->steps.t[i]);

		cJSON_AddNumberToObject(o, "load_pct", f->load_pct[i]);
		cJSON_AddNumberToObject(o, "rate_pps", f->steps.t[i].asked_pps);
		cJSON_AddItemToArray(a, o);
	}
	return e;
}

static cJSON *
golive_b2b_json(const struct golive_step_result *res)
{
	const struct rfc2544_b2b *b = &res->r.b2b;
	cJSON *e = golive_entry(res);
	char note[320];

	cJSON_AddStringToObject(e, "method", "paced_burst");
	cJSON_AddNumberToObject(e, "burst_rate_pps", b->burst_pps);
	cJSON_AddStringToObject(e, "burst_rate_is", res->ceiling_is);
	cJSON_AddBoolToObject(e, "found", b->found);
	record_add_u64(e, "frames", b->found ? b->frames : 0);
	cJSON_AddNumberToObject(e, "duration_ms", b->found ? b->duration_ms : 0);
	cJSON_AddNumberToObject(e, "sent_pps", b->found ? b->sent_pps : 0);
	snprintf(note, sizeof(note), "a burst is a trial of duration_ms at burst_rate_pps (%s); "
		 "the dataplane paces (up to 32 frames at once), it does not send N frames "
		 "back to back at line rate, and sent_pps is the rate it reached", res->ceiling_is);
	cJSON_AddStringToObject(e, "note", note);
	golive_add_trials(e, &b->steps);
	return e;
}

void
golive_report_step(struct golive_report *r, const struct mp_config *cfg,
		   const struct golive_plan *plan, const struct golive_step_result *res)
{
	const struct golive_step *s = res->step;
	cJSON *rfc, *e;

	if (s->link == GOLIVE_TOGETHER)
		rfc = GR_GET(GR_GET(r->root, "together"), "rfc2544");
	else
		rfc = GR_GET(cJSON_GetArrayItem(GR_GET(r->root, "links"), s->link), "rfc2544");
	switch (s->test) {
	case GOLIVE_THROUGHPUT:
		e = golive_tput_json(r, cfg, plan, res);
		break;
	case GOLIVE_LATENCY:
		e = golive_latency_json(res);
		break;
	case GOLIVE_FRAME_LOSS:
		e = golive_floss_json(res);
		break;
	default:
		e = golive_b2b_json(res);
		break;
	}
	cJSON_AddItemToArray(GR_GET(rfc, golive_test_name(s->test)), e);
	if (res->rc != 0 && res->rc != -EINTR)
		golive_reason(r, true, "%s %s at %s: a trial could not run (%s; see trials/%04d.log)",
			      s->link == GOLIVE_TOGETHER ? "together" : cfg->links[s->link].name,
			      golive_test_name(s->test), s->size, strerror(-res->rc),
			      res->last_trial);
}

/*
 * links[i].y1564's verdict: FAIL when a service (or the link's part of the
 * performance test) fails, PASS when all ran and passed, else NOT_RUN.
 */
static void
golive_y1564_link_verdict(cJSON *y, const char *perf_verdict)
{
	const cJSON *sv;
	cJSON *why = cJSON_CreateArray();
	bool fail = false, all = true;
	const char *v;
	char buf[160];

	cJSON_ArrayForEach(sv, GR_GET(y, "services")) {
		v = cJSON_GetStringValue(GR_GET(sv, "verdict"));
		fail |= strcmp(v, "FAIL") == 0;
		all &= strcmp(v, "PASS") == 0;
		snprintf(buf, sizeof(buf), "service %s: %s", cJSON_GetStringValue(GR_GET(sv, "name")),
			 v);
		cJSON_AddItemToArray(why, cJSON_CreateString(buf));
	}
	if (perf_verdict != NULL) {
		fail |= strcmp(perf_verdict, "FAIL") == 0;
		all &= strcmp(perf_verdict, "PASS") == 0;
		snprintf(buf, sizeof(buf), "performance: %s", perf_verdict);
		cJSON_AddItemToArray(why, cJSON_CreateString(buf));
	}
	cJSON_ReplaceItemInObjectCaseSensitive(y, "verdict", cJSON_CreateString(
		fail ? "FAIL" : all ? "PASS" : "NOT_RUN"));
	cJSON_ReplaceItemInObjectCaseSensitive(y, "reasons", why);
}

void
golive_report_y1564_service(struct golive_report *r, const struct mp_config *cfg,
			    const struct y1564_svc_res *res)
{
	const struct y1564_service *sv = &cfg->y1564.svc[res->svc];
	cJSON *y = GR_GET(cJSON_GetArrayItem(GR_GET(r->root, "links"), sv->link), "y1564");
	int i;

	if (!cJSON_IsObject(y))
		return;
	cJSON_AddItemToArray(GR_GET(y, "services"), y1564_service_json(cfg, res));
	golive_y1564_link_verdict(y, NULL);
	if (res->rc != 0 && res->rc != -EINTR)
		golive_reason(r, true, "y1564 %s/%s: a trial could not run (%s; see trials/%04d.log)",
			      cfg->links[sv->link].name, sv->name, strerror(-res->rc),
			      res->n_steps > 0 ? res->step[res->n_steps - 1].trial : 0);
	if (res->v != Y1564_FAIL)
		return;
	for (i = 0; i < res->n_steps; i++)
		if (res->step[i].v == Y1564_FAIL)
			golive_reason(r, true, "y1564 %s/%s: step %s: %s", cfg->links[sv->link].name,
				      sv->name, res->step[i].plan.label, res->step[i].reason);
}

void
golive_report_performance(struct golive_report *r, const struct mp_config *cfg,
			  const struct y1564_perf_res *res)
{
	cJSON *perf = y1564_perf_json(cfg, res), *pl, *l;
	int i;

	cJSON_ArrayForEach(pl, GR_GET(perf, "links"))
		cJSON_ArrayForEach(l, GR_GET(r->root, "links"))
			if (strcmp(cJSON_GetStringValue(GR_GET(l, "name")),
				   cJSON_GetStringValue(GR_GET(pl, "name"))) == 0 &&
			    cJSON_IsObject(GR_GET(l, "y1564")))
				golive_y1564_link_verdict(GR_GET(l, "y1564"),
					cJSON_GetStringValue(GR_GET(pl, "verdict")));
	cJSON_ReplaceItemInObjectCaseSensitive(r->root, "performance", perf);
	if (res->rc != 0 && res->rc != -EINTR)
		golive_reason(r, true, "y1564 performance: the trial could not run (%s; see "
			      "trials/%04d.log)", strerror(-res->rc), res->trial);
	for (i = 0; i < res->n; i++)
		if (res->s[i].v == Y1564_FAIL)
			golive_reason(r, true, "y1564 performance %s/%s: %s",
				      cfg->links[cfg->y1564.svc[res->s[i].svc].link].name,
				      cfg->y1564.svc[res->s[i].svc].name, res->s[i].reason);
}

void
golive_report_diversity(struct golive_report *r, const cJSON *summary)
{
	const cJSON *d = GR_GET(summary, "diversity");

	if (cJSON_IsObject(d))
		cJSON_ReplaceItemInObjectCaseSensitive(r->root, "diversity", cJSON_Duplicate(d, 1));
}

/* Links without a committed rate: what the verdict could not judge. */
static void
golive_report_unjudged(struct golive_report *r)
{
	const cJSON *l;

	cJSON_ArrayForEach(l, GR_GET(r->root, "links"))
		if (cJSON_IsNull(GR_GET(l, "committed_rate")))
			golive_reason(r, false, "link %s has no committed_rate: its throughput is "
				      "reported, not judged",
				      cJSON_GetStringValue(GR_GET(l, "name")));
}

void
golive_report_finish(struct golive_report *r, const struct golive_plan *plan, int steps_done,
		     bool interrupted, uint64_t end_unix_ns)
{
	bool complete = steps_done == plan->n && !interrupted;

	if (interrupted)
		golive_reason(r, true, "interrupted after %d of %d steps: the report covers what "
			      "was done", steps_done, plan->n);
	golive_report_unjudged(r);
	if (!r->fail)
		golive_reason(r, false, "every throughput with a committed_rate reaches it%s and "
			      "every step ran", r->y1564 ? ", every Y.1564 service passes" : "");
	cJSON_ReplaceItemInObjectCaseSensitive(r->root, "verdict",
					       cJSON_CreateString(r->fail ? "FAIL" : "PASS"));
	cJSON_ReplaceItemInObjectCaseSensitive(r->root, "complete", cJSON_CreateBool(complete));
	cJSON_AddBoolToObject(r->root, "interrupted", interrupted);
	cJSON_AddNumberToObject(r->root, "steps_done", steps_done);
	cJSON_AddNumberToObject(r->root, "steps_planned", plan->n);
	record_add_u64(r->root, "ended_unix_ns", end_unix_ns);
}

int
golive_report_write(const struct golive_report *r, const char *dir)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8], *s;
	cJSON *failover;
	int rc = -ENOMEM;

	/* a failover drill written to the same DIR (metroprobe drill --out DIR) */
	snprintf(path, sizeof(path), "%s/drill.json", dir);
	s = mp_read_file(path, NULL);
	failover = s != NULL ? cJSON_Parse(s) : NULL;
	free(s);
	cJSON_DeleteItemFromObjectCaseSensitive(r->root, "failover");
	cJSON_AddItemToObject(r->root, "failover", failover != NULL ? failover : cJSON_CreateNull());
	s = mp_json_print_fixed(r->root);
	snprintf(path, sizeof(path), "%s/report.json", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (s != NULL) {
		size_t n = strlen(s);

		s[n] = '\n';
		rc = mp_write_file(tmp, s, n + 1);
		s[n] = '\0';
	}
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc == 0)
		(void)report_render(dir, NULL);	/* report.html: a page that fails is said on stderr */
	free(s);
	return rc;
}

void
golive_report_free(struct golive_report *r)
{
	cJSON_Delete(r->root);
	r->root = NULL;
}
