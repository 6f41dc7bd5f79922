/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `metroprobe golive CONFIG --out DIR`: the go-live acceptance run. The
 * plan (golive_plan.c) is printed first; each step is an RFC 2544 search
 * (rfc2544.c) whose trials are runs of the config (golive_trial.c), per
 * link and then both links together; DIR/report.json (golive_report.c) is
 * rewritten after every step, so Ctrl-C leaves a report of what was done.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golive.h"
#include "golive_plan.h"
#include "golive_report.h"
#include "golive_trial.h"
#include "golive_y1564.h"
#include "link_mtu.h"
#include "run.h"
#include "util.h"

struct golive {
	const char *config_path;
	const char *out;
	const char *plan_name;
	bool dry_run;
	bool allow_over;
	uint32_t trial_ms;
	double resolution;		/* share; 0: the plan's */
	double tolerance;		/* loss ratio */
	bool has_max_rate;
	struct rate max_rate;
	char max_rate_text[64];
	bool no_rfc2544, no_y1564;	/* --tests */
	uint32_t step_ms, perf_s;	/* --step-ms, --performance-s; 0: the config's or plan's */
	struct mp_config *cfg;
	uint32_t mtu[MP_MAX_LINKS];
	bool mtu_known[MP_MAX_LINKS];
	struct golive_plan plan;
	struct golive_report rep;
	struct golive_trial_ctx tc;
	struct golive_step_result *res;	/* one per step */
	struct golive_y1564 y;
	struct y1564_svc_res *yres;	/* one per step */
	struct y1564_perf_res perf;
	int cur;			/* the step running */
	int trials_done;
	uint64_t start_ns;
};

static void
golive_usage(FILE *f)
{
	const struct golive_plan_def *d;

	fprintf(f,
		"usage: metroprobe golive CONFIG --out DIR [--plan quick|standard|full] [--dry-run]\n"
		"         [--trial-ms N] [--resolution PCT] [--tolerance PCT] [--max-rate RATE]\n"
		"         [--allow-over-committed] [--tests rfc2544,y1564] [--step-ms N]\n"
		"         [--performance-s N]\n"
		"The go-live acceptance run: RFC 2544 throughput (binary search), latency at\n"
		"the throughput, frame loss rate and back-to-back, per link and then both\n"
		"links together; then ITU-T Y.1564 for the config's \"y1564\" services: each\n"
		"service's configuration test (25, 50, 75, 100%% of CIR, CIR+EIR, policing)\n"
		"and the performance test (every service at CIR together). DIR/report.json\n"
		"(schema: docs/golive.md, docs/y1564.md) and each trial's run in\n"
		"DIR/trials/NNNN. The plan and its longest time are printed first.\n"
		"  --out DIR        where the report and the trials go (required)\n"
		"  --plan NAME      (default quick):\n");
	for (d = golive_plans; d->name != NULL; d++)
		fprintf(f, "                     %-9s %s\n", d->name, d->what);
	fprintf(f,
		"  --dry-run        print the plan, run nothing\n"
		"  --trial-ms N     throughput and frame loss trial length (the plan's)\n"
		"  --resolution PCT throughput search resolution, percent of the ceiling\n"
		"  --tolerance PCT  loss still counted as none (default 0)\n"
		"  --max-rate RATE  the search's ceiling (10Mbps, 5000pps; default: the link's\n"
		"                   committed_rate, else its line rate)\n"
		"  --allow-over-committed  ask rates above a link's committed_rate (--max-rate\n"
		"                   above it, back-to-back bursts at line rate, a Y.1564 CIR+EIR\n"
		"                   above it); refused otherwise\n"
		"  --tests LIST     rfc2544, y1564 or both (default: both; y1564 when the config\n"
		"                   has services)\n"
		"  --step-ms N      each Y.1564 configuration step (the config's, else the plan's)\n"
		"  --performance-s N  the Y.1564 performance test (the config's, else the plan's)\n"
		"Loss is counted against the rate actually sent. Ctrl-C stops the trial running\n"
		"(not counted) and writes the report of what was done. Exit: 0 PASS, 1 FAIL,\n"
		"2 usage or a refused rate, 130 interrupted.\n");
}

static int
golive_parse_pct(const char *opt, const char *v, double lo, double hi, double *out)
{
	char *end;
	double d = strtod(v, &end);

	if (end == v || (*end != '\0' && strcmp(end, "%") != 0) || !(d >= lo && d <= hi)) {
		fprintf(stderr, "metroprobe golive: %s '%s': a percentage, %g..%g\n", opt, v, lo, hi);
		return -EINVAL;
	}
	*out = d / 100.0;
	return 0;
}

/* --tests rfc2544,y1564 */
static int
golive_parse_tests(struct golive *g, const char *arg)
{
	bool rfc = strstr(arg, "rfc2544") != NULL, y = strstr(arg, "y1564") != NULL;

	if ((!rfc && !y) || strlen(arg) != (size_t)(rfc ? 7 : 0) + (y ? 5 : 0) + (rfc && y ? 1 : 0)) {
		fprintf(stderr, "metroprobe golive: --tests '%s': rfc2544, y1564 or "
			"rfc2544,y1564\n", arg);
		return -EINVAL;
	}
	g->no_rfc2544 = !rfc;
	g->no_y1564 = !y;
	return 0;
}

static int
golive_parse_uint(const char *opt, const char *arg, unsigned long lo, unsigned long hi,
		  uint32_t *out)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (end == arg || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "metroprobe golive: %s '%s': %lu..%lu\n", opt, arg, lo, hi);
		return -EINVAL;
	}
	*out = (uint32_t)v;
	return 0;
}

static int
golive_parse_opt(struct golive *g, int c, const char *arg)
{
	const char *why = NULL;

	switch (c) {
	case 'o':
		g->out = arg;
		return 0;
	case 'p':
		g->plan_name = arg;
		return golive_plan_find(arg) != NULL ? 0 :
		       (fprintf(stderr, "metroprobe golive: --plan '%s': quick, standard or full\n",
				arg), -EINVAL);
	case 'n':
		g->dry_run = true;
		return 0;
	case 'A':
		g->allow_over = true;
		return 0;
	case 't':
		return golive_parse_uint("--trial-ms", arg, 100, 3600000, &g->trial_ms);
	case 'T':
		return golive_parse_tests(g, arg);
	case 'S':
		return golive_parse_uint("--step-ms", arg, 100, 3600000, &g->step_ms);
	case 'P':
		return golive_parse_uint("--performance-s", arg, 1, 7 * 86400, &g->perf_s);
	case 'r':
		return golive_parse_pct("--resolution", arg, 0.01, 50, &g->resolution);
	case 'l':
		return golive_parse_pct("--tolerance", arg, 0, 100, &g->tolerance);
	case 'm':
		if (rate_parse(arg, &g->max_rate, &why) != 0 ||
		    (g->max_rate.kind != RATE_BPS && g->max_rate.kind != RATE_PPS)) {
			fprintf(stderr, "metroprobe golive: --max-rate '%s': bits or packets per "
				"second (10Mbps, 5000pps)\n", arg);
			return -EINVAL;
		}
		g->has_max_rate = true;
		snprintf(g->max_rate_text, sizeof(g->max_rate_text), "%s", arg);
		return 0;
	default:
		return -EINVAL;
	}
}

/* 0, 1 (--help), or -EINVAL (said why). */
static int
golive_parse(struct golive *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "plan", required_argument, NULL, 'p' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "trial-ms", required_argument, NULL, 't' },
		{ "resolution", required_argument, NULL, 'r' },
		{ "tolerance", required_argument, NULL, 'l' },
		{ "max-rate", required_argument, NULL, 'm' },
		{ "allow-over-committed", no_argument, NULL, 'A' },
		{ "tests", required_argument, NULL, 'T' },
		{ "step-ms", required_argument, NULL, 'S' },
		{ "performance-s", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	g->plan_name = "quick";
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			golive_usage(stdout);
			return 1;
		}
		if (c == '?' || golive_parse_opt(g, c, optarg) != 0) {
			golive_usage(stderr);
			return -EINVAL;
		}
	}
	if (optind != argc - 1 || g->out == NULL) {
		fprintf(stderr, "metroprobe golive: %s\n", optind != argc - 1 ?
			"give one CONFIG" : "--out DIR is required");
		golive_usage(stderr);
		return -EINVAL;
	}
	g->config_path = argv[optind];
	return 0;
}

/*
 * The highest rate a step on link i at size may ask: --max-rate, else the
 * committed rate, else the line rate. -EINVAL (said why) when there is
 * none, or --max-rate is above the committed rate without
 * --allow-over-committed.
 */
static int
golive_link_ceiling(const struct golive *g, int i, const char *size, double *pps,
		    const char **is)
{
	const struct mp_link_cfg *l = &g->cfg->links[i];
	struct rate line = { .kind = RATE_LINE };
	struct frame_mix m;
	bool committed = l->committed_rate_text[0] != '\0';

	if (golive_link_mix(l, size, &m) != 0)
		return -EINVAL;
	if (g->has_max_rate) {
		*pps = golive_rate_pps(&g->max_rate, &m, l);
		*is = "--max-rate";
		if (committed && !g->allow_over &&
		    *pps > golive_rate_pps(&l->committed_rate, &m, l) * 1.000001) {
			fprintf(stderr, "metroprobe golive: --max-rate %s is above link %s's "
				"committed_rate %s at %s-byte frames: refused (the provider's "
				"policer would drop it); --allow-over-committed asks it anyway\n",
				g->max_rate_text, l->name, l->committed_rate_text, size);
			return -EINVAL;
		}
		return 0;
	}
	if (committed) {
		*pps = golive_rate_pps(&l->committed_rate, &m, l);
		*is = "committed_rate";
		return 0;
	}
	if (l->rate_link_bps == 0) {
		fprintf(stderr, "metroprobe golive: links[%d] (%s) has neither committed_rate nor "
			"link_speed: set one, or give --max-rate\n", i, l->name);
		return -EINVAL;
	}
	*pps = golive_rate_pps(&line, &m, l);
	*is = "line_rate";
	return 0;
}

/* The ceiling of a step (together: the lower of the links'). */
static int
golive_ceiling(const struct golive *g, const struct golive_step *s, double *pps,
	       const char **is)
{
	double p;
	int i;

	if (s->link != GOLIVE_TOGETHER)
		return golive_link_ceiling(g, s->link, s->size, pps, is);
	*pps = INFINITY;
	for (i = 0; i < link_kind_pinned(g->cfg); i++) {	/* together: the pair */
		if (golive_link_ceiling(g, i, s->size, &p, is) != 0)
			return -EINVAL;
		if (p < *pps)
			*pps = p;
	}
	return 0;
}

/* Back-to-back bursts: at line rate when allowed (or nothing is committed), else the ceiling. */
static void
golive_burst_rate(const struct golive *g, const struct golive_step *s, double *pps,
		  const char **is)
{
	const struct mp_link_cfg *l = &g->cfg->links[s->link];
	struct rate line = { .kind = RATE_LINE };
	struct frame_mix m;

	if ((g->allow_over || l->committed_rate_text[0] == '\0') && l->rate_link_bps > 0 &&
	    golive_link_mix(l, s->size, &m) == 0) {
		*pps = golive_rate_pps(&line, &m, l);
		*is = "line_rate";
	}
}

static void
golive_link_name(const struct golive *g, int link, char *buf, size_t len)
{
	snprintf(buf, len, "%s", link == GOLIVE_TOGETHER ? "together" : g->cfg->links[link].name);
}

static void
golive_print_y1564_step(const struct golive *g, int i, const struct golive_step *s,
			const char *name, const char *t)
{
	double cir, eir, wb;

	if (s->test == GOLIVE_Y1564_PERF) {
		printf("  %2d. %-8s %-12s        %2d trial,  %7s   every service at CIR for %u s\n",
		       i + 1, name, "y1564_perf", s->max_trials, t, g->plan.y1564_perf_s);
		return;
	}
	golive_y1564_rates(g->cfg, s->svc, &cir, &eir, &wb);
	printf("  %2d. %-8s %-12s %-5s up to %2d trials, %7s   service %s: CIR %.3f Mb/s, EIR "
	       "%.3f Mb/s, %u ms steps, policing at %.3f Mb/s\n", i + 1, name, "y1564",
	       s->size, s->max_trials, t, g->cfg->y1564.svc[s->svc].name, cir / 1e6, eir / 1e6,
	       s->trial_ms, (cir + eir) * Y1564_POLICE_FACTOR / 1e6);
}

static void
golive_print_plan(const struct golive *g)
{
	const struct golive_plan *p = &g->plan;
	char t[32], name[MP_NAME_MAX + 8];
	const char *is = "";
	double pps;
	int i;

	golive_fmt_duration(p->total_ms, t, sizeof(t));
	printf("golive: plan %s, %d steps, at most %d trials, at most %s (trials of %u ms, "
	       "resolution %.3g%%, loss tolerance %.3g%%, %u ms per trial to start and drain)\n",
	       p->def->name, p->n, p->total_trials, t, p->trial_ms, p->resolution * 100,
	       g->tolerance * 100, p->overhead_ms);
	for (i = 0; i < p->n; i++) {
		const struct golive_step *s = &p->step[i];

		golive_link_name(g, s->link, name, sizeof(name));
		golive_fmt_duration(s->max_ms, t, sizeof(t));
		if (s->test >= GOLIVE_RFC2544_TESTS) {
			golive_print_y1564_step(g, i, s, name, t);
			continue;
		}
		pps = 0;
		golive_ceiling(g, s, &pps, &is);
		if (s->test == GOLIVE_BACK_TO_BACK)
			golive_burst_rate(g, s, &pps, &is);
		printf("  %2d. %-8s %-12s %-5s up to %2d trials, %7s   ceiling %.0f pps (%s)\n",
		       i + 1, name, golive_test_name(s->test), s->size, s->max_trials, t, pps, is);
	}
	for (i = 0; i < p->n_skip; i++) {
		golive_link_name(g, p->skip[i].link, name, sizeof(name));
		printf("  skipped: %s at %s bytes: the link carries frames up to %u bytes (MTU)\n",
		       name, p->skip[i].size, p->skip[i].max_frame);
	}
}

/* Y.1564's steps: a configuration test per service, then the performance test. */
static int
golive_prepare_y1564(struct golive *g)
{
	const struct y1564_cfg *y = &g->cfg->y1564;
	int link[Y1564_MAX_SERVICES], trials[Y1564_MAX_SERVICES], s;
	char size[Y1564_MAX_SERVICES][GOLIVE_SIZE_MAX];
	uint32_t step_ms, perf_s;
	double cir, eir, wb;

	if (g->no_rfc2544 && y->n == 0) {
		fprintf(stderr, "metroprobe golive: --tests y1564: the config has no \"y1564\" "
			"services (docs/y1564.md)\n");
		return -EINVAL;
	}
	if (g->no_y1564 || y->n == 0)
		return 0;
	if (golive_y1564_check(g->cfg, g->allow_over) != 0)
		return -EINVAL;
	for (s = 0; s < y->n; s++) {
		const struct y1564_service *sv = &y->svc[s];

		golive_y1564_rates(g->cfg, s, &cir, &eir, &wb);
		link[s] = sv->link;
		trials[s] = eir > 0 ? Y1564_STEPS : Y1564_STEPS - 1;
		snprintf(size[s], GOLIVE_SIZE_MAX, "%.15s", sv->frame_mix[0] != '\0' ?
			 sv->frame_mix : g->cfg->links[sv->link].frame_mix);
	}
	step_ms = g->step_ms != 0 ? g->step_ms : y->step_ms != 0 ? y->step_ms :
		  g->plan.def->y1564_step_ms;
	perf_s = g->perf_s != 0 ? g->perf_s : y->performance_s != 0 ? y->performance_s :
		 g->plan.def->y1564_perf_s;
	if (golive_plan_add_y1564(&g->plan, y->n, link, trials, size, step_ms, perf_s) != 0) {
		fprintf(stderr, "metroprobe golive: the plan has too many steps\n");
		return -EINVAL;
	}
	return 0;
}

/* The MTUs, the plan, every step's ceiling checked. 0, or -EINVAL (said why). */
static int
golive_prepare(struct golive *g)
{
	uint32_t max_frame[MP_MAX_LINKS];
	const char *is;
	double pps;
	int i;

	for (i = 0; i < g->cfg->n_links; i++) {
		/* a PCI port's MTU is the dataplane's to set (jumbo when asked) */
		g->mtu[i] = link_mtu_get(&g->cfg->links[i], &g->mtu_known[i]);
		max_frame[i] = g->mtu_known[i] ?
			       link_mtu_max_frame(g->mtu[i], g->cfg->links[i].encap.nvlan) :
			       PKT_MAX_FRAME;
	}
	if (golive_plan_build(golive_plan_find(g->plan_name), g->cfg->n_links, max_frame,
			      g->trial_ms, g->resolution,
			      GOLIVE_TRIAL_OVERHEAD_MS + g->cfg->loss_timeout_ms, &g->plan) != 0) {
		fprintf(stderr, "metroprobe golive: the plan has too many steps\n");
		return -EINVAL;
	}
	if (g->no_rfc2544)
		golive_plan_drop_rfc2544(&g->plan);
	if (golive_prepare_y1564(g) != 0)
		return -EINVAL;
	for (i = 0; i < g->plan.n; i++)
		if (g->plan.step[i].test < GOLIVE_RFC2544_TESTS &&
		    golive_ceiling(g, &g->plan.step[i], &pps, &is) != 0)
			return -EINVAL;
	return 0;
}

/* One line per trial: the step, the plan's share done, the time left, the result. */
static void
golive_on_trial(void *arg, const struct golive_trial_ctx *c, const struct rfc2544_trial *t)
{
	struct golive *g = arg;
	const struct golive_step *s = &g->plan.step[g->cur];
	uint64_t left = golive_plan_left_ms(&g->plan, g->cur + 1), step_left;
	char tl[32], name[MP_NAME_MAX + 8], size[80];
	int in_step;

	g->trials_done++;
	in_step = c->seq - g->res[g->cur].first_trial + 1;
	step_left = in_step < s->max_trials ?
		    (uint64_t)(s->max_trials - in_step) * (s->trial_ms + g->plan.overhead_ms) : 0;
	golive_fmt_duration(left + step_left, tl, sizeof(tl));
	golive_link_name(g, s->link, name, sizeof(name));
	if (s->test >= GOLIVE_RFC2544_TESTS)
		snprintf(size, sizeof(size), "%s", g->y.label);
	else if (t->frame_size_sent != 0 && t->frame_size_sent != golive_size_max_frame(s->size))
		snprintf(size, sizeof(size), "%s(%u)", s->size, t->frame_size_sent);
	else
		snprintf(size, sizeof(size), "%s", s->size);
	printf("[step %2d/%d %3.0f%% <=%6s left] %-8s %-12s %-10s ", g->cur + 1, g->plan.n,
	       100.0 * (1.0 - (double)(left + step_left) / (double)g->plan.total_ms), tl, name,
	       s->test == GOLIVE_Y1564_SERVICE ? "y1564" : s->test == GOLIVE_Y1564_PERF ?
	       "y1564_perf" : golive_test_name(s->test), size);
	if (s->test == GOLIVE_Y1564_PERF)
		printf("every service at CIR; the link with most loss sent %.0f pps in %u ms, loss "
		       "%.4f%%\n", t->sent_pps, t->duration_ms, t->loss_ratio * 100);
	else
		printf("asked %9.0f pps, sent %9.0f pps in %u ms, loss %.4f%%\n", t->asked_pps,
		       t->sent_pps, t->duration_ms, t->loss_ratio * 100);
	fflush(stdout);
}

/* The rate of the latency trials: the throughput found at that size, else half the ceiling. */
static double
golive_latency_rate(const struct golive *g, const struct golive_step *s, const char **is)
{
	int i;

	for (i = 0; i < g->cur; i++) {
		const struct golive_step_result *r = &g->res[i];

		if (r->step->test == GOLIVE_THROUGHPUT && r->step->link == s->link &&
		    strcmp(r->step->size, s->size) == 0 && r->r.tput.found) {
			*is = "throughput";
			return r->r.tput.rate_pps;
		}
	}
	*is = "half the ceiling (no throughput found at this size)";
	return g->res[g->cur].ceiling_pps / 2;
}

static int
golive_search(struct golive *g, struct golive_step_result *r)
{
	const struct golive_step *s = r->step;
	struct rfc2544_tput_params tp = {
		.max_pps = r->ceiling_pps, .resolution = g->plan.resolution,
		.tolerance = g->tolerance, .trial_ms = g->plan.trial_ms,
	};
	const struct golive_plan_def *d = g->plan.def;
	double rate;

	switch (s->test) {
	case GOLIVE_THROUGHPUT:
		return rfc2544_throughput(&tp, golive_trial, &g->tc, &r->r.tput);
	case GOLIVE_LATENCY:
		rate = golive_latency_rate(g, s, &r->ceiling_is);
		return rfc2544_latency(rate, d->latency_ms, d->latency_reps, golive_trial, &g->tc,
				       &r->r.lat);
	case GOLIVE_FRAME_LOSS:
		return rfc2544_frame_loss(r->ceiling_pps, g->plan.trial_ms, golive_trial, &g->tc,
					  &r->r.floss);
	default:
		golive_burst_rate(g, s, &r->ceiling_pps, &r->ceiling_is);
		return rfc2544_back_to_back(r->ceiling_pps, 1, d->b2b_max_ms, d->b2b_iters,
					    golive_trial, &g->tc, &r->r.b2b);
	}
}

/* The sizes sent, the per-link parts (together), the diversity. */
static void
golive_step_after(struct golive *g, struct golive_step_result *r)
{
	struct frame_mix m;
	const char *err = NULL;
	char path[PATH_MAX + 16], *text;
	cJSON *sum;
	int i;

	r->last_trial = g->tc.seq;
	snprintf(r->mix_sent, sizeof(r->mix_sent), "%s", g->tc.mix_sent);
	if (frame_mix_parse(r->mix_sent, 1, PKT_MAX_FRAME + 8, &m, &err) == 0) {
		r->wire_bits = golive_mix_wire_bits(&m);
		r->frame_size_sent = frame_mix_max_size(&m);
	}
	r->n_links = g->tc.n_links;
	for (i = 0; i < r->n_links; i++) {
		snprintf(r->name[i], MP_NAME_MAX, "%s", g->tc.name[i]);
		r->per_link[i] = r->step->test == GOLIVE_THROUGHPUT && r->r.tput.found ?
				 g->tc.pass_per_link[i] : g->tc.per_link[i];
	}
	if (r->step->link != GOLIVE_TOGETHER || g->tc.trial_dir[0] == '\0')
		return;
	snprintf(path, sizeof(path), "%s/summary.json", g->tc.trial_dir);
	text = mp_read_file(path, NULL);
	sum = text != NULL ? cJSON_Parse(text) : NULL;
	golive_report_diversity(&g->rep, sum);
	cJSON_Delete(sum);
	free(text);
}

static void
golive_step_line(const struct golive *g, const struct golive_step_result *r)
{
	char name[MP_NAME_MAX + 8];

	golive_link_name(g, r->step->link, name, sizeof(name));
	printf("step %d/%d %s %s %s: ", g->cur + 1, g->plan.n, name,
	       golive_test_name(r->step->test), r->step->size);
	if (r->rc != 0 && r->rc != -EINTR)
		printf("could not run (%s)\n", strerror(-r->rc));
	else if (r->step->test == GOLIVE_THROUGHPUT && r->r.tput.found)
		printf("%.0f pps, %.3f Mb/s (sizes sent %s)%s\n", r->r.tput.sent_pps,
		       r->r.tput.sent_pps * r->wire_bits / 1e6, r->mix_sent,
		       r->r.tput.sender_limited ? ", sender-limited" : "");
	else if (r->step->test == GOLIVE_LATENCY && r->r.lat.reps > 0)
		printf("rtt min %.1f p50 %.1f p99 %.1f max %.1f us at %.0f pps\n", r->r.lat.min_us,
		       r->r.lat.p50_us, r->r.lat.p99_us, r->r.lat.max_us, r->r.lat.rate_pps);
	else if (r->step->test == GOLIVE_BACK_TO_BACK && r->r.b2b.found)
		printf("%llu frames in %u ms at %.0f pps carried\n",
		       (unsigned long long)r->r.b2b.frames, r->r.b2b.duration_ms, r->r.b2b.sent_pps);
	else if (r->step->test == GOLIVE_FRAME_LOSS)
		printf("%d steps\n", r->r.floss.steps.n);
	else
		printf("nothing carried without loss\n");
}

static void
golive_y1564_line(const struct golive *g, const struct golive_step_result *r)
{
	const struct y1564_svc_res *y = &g->yres[g->cur];
	int i;

	if (r->step->test == GOLIVE_Y1564_SERVICE) {
		printf("step %d/%d %s y1564 %s: %s\n", g->cur + 1, g->plan.n,
		       g->cfg->links[r->step->link].name, g->cfg->y1564.svc[y->svc].name,
		       y1564_verdict_name(y->v));
		for (i = 0; i < y->n_steps; i++)
			printf("  %-8s %7.3f Mb/s offered, IR %7.3f Mb/s, FTD %.1f us, FDV %.1f us, "
			       "FLR %.4f%%: %s %s\n", y->step[i].plan.label,
			       y->step[i].k.offered_bps / 1e6, y->step[i].k.ir_bps / 1e6,
			       y->step[i].k.ftd_us, y->step[i].k.fdv_us, y->step[i].k.flr * 100,
			       y1564_verdict_name(y->step[i].v), y->step[i].reason);
		return;
	}
	printf("step %d/%d y1564 performance, %u s: %s\n", g->cur + 1, g->plan.n,
	       g->perf.duration_s, y1564_verdict_name(g->perf.v));
	for (i = 0; i < g->perf.n; i++)
		printf("  %s/%s: IR %.3f Mb/s, FTD %.1f us, FDV %.1f us, FLR %.4f%%: %s %s\n",
		       g->cfg->links[g->cfg->y1564.svc[i].link].name, g->cfg->y1564.svc[i].name,
		       g->perf.s[i].k.ir_bps / 1e6, g->perf.s[i].k.ftd_us, g->perf.s[i].k.fdv_us,
		       g->perf.s[i].k.flr * 100, y1564_verdict_name(g->perf.s[i].v),
		       g->perf.s[i].reason);
}

/* A Y.1564 step: one service's configuration test, or the performance test. */
static int
golive_y1564_step(struct golive *g, struct golive_step_result *r)
{
	const struct golive_step *s = r->step;
	int rc;

	g->y.cfg = g->cfg;
	g->y.tc = &g->tc;
	g->y.step_ms = g->plan.y1564_step_ms;
	g->y.perf_s = g->plan.y1564_perf_s;
	g->tc.mix_sent[0] = '\0';
	g->tc.trial_dir[0] = '\0';
	r->first_trial = g->tc.seq + 1;
	if (s->test == GOLIVE_Y1564_SERVICE) {
		rc = golive_y1564_service(&g->y, s->svc, &g->yres[g->cur]);
		golive_report_y1564_service(&g->rep, g->cfg, &g->yres[g->cur]);
	} else {
		free(g->perf.pts);
		rc = golive_y1564_performance(&g->y, &g->perf);
		golive_report_performance(&g->rep, g->cfg, &g->perf);
	}
	r->rc = rc;
	r->last_trial = g->tc.seq;
	golive_report_write(&g->rep, g->out);
	golive_y1564_line(g, r);
	return rc;
}

/* An RFC 2544 step: its search, what it found, the report. */
static int
golive_rfc2544_step(struct golive *g, struct golive_step_result *r)
{
	int rc;

	golive_ceiling(g, r->step, &r->ceiling_pps, &r->ceiling_is);
	g->tc.link = r->step->link;
	snprintf(g->tc.size, sizeof(g->tc.size), "%s", r->step->size);
	g->tc.mix_sent[0] = '\0';
	g->tc.trial_dir[0] = '\0';
	memset(g->tc.pass_per_link, 0, sizeof(g->tc.pass_per_link));
	r->first_trial = g->tc.seq + 1;
	rc = golive_search(g, r);
	r->rc = rc;
	golive_step_after(g, r);
	golive_report_step(&g->rep, g->cfg, &g->plan, r);
	golive_report_write(&g->rep, g->out);
	golive_step_line(g, r);
	return rc;
}

/* Run the steps; the report after each. Returns how many ran to their end. */
static int
golive_steps(struct golive *g, bool *interrupted)
{
	int rc;

	for (g->cur = 0; g->cur < g->plan.n; g->cur++) {
		struct golive_step_result *r = &g->res[g->cur];

		r->step = &g->plan.step[g->cur];
		rc = r->step->test >= GOLIVE_RFC2544_TESTS ? golive_y1564_step(g, r) :
		     golive_rfc2544_step(g, r);
		if (rc == -EINTR) {
			*interrupted = true;
			return g->cur;
		}
	}
	return g->plan.n;
}

static int
golive_execute(struct golive *g)
{
	struct golive_report_info in = {
		.cfg = g->cfg, .config_path = g->config_path, .plan = &g->plan,
		.tolerance = g->tolerance, .allow_over_committed = g->allow_over,
		.mtu = g->mtu, .mtu_known = g->mtu_known,
		.y1564 = !g->no_y1564 && g->cfg->y1564.n > 0,
	};
	bool interrupted = false;
	sigset_t mask;
	int done;

	g->res = calloc((size_t)g->plan.n + 1, sizeof(*g->res));
	g->yres = calloc((size_t)g->plan.n + 1, sizeof(*g->yres));
	if (g->res == NULL || g->yres == NULL || mp_mkdir_p(g->out, 0755) != 0 || golive_report_init(&g->rep, &in)) {
		fprintf(stderr, "metroprobe golive: cannot create %s\n", g->out);
		return 1;
	}
	/* Ctrl-C from here on waits for the trial running (run_once takes it) */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	g->tc = (struct golive_trial_ctx){ .cfg = g->cfg, .config_path = g->config_path,
					   .dir = g->out, .tolerance = g->tolerance,
					   .on_trial = golive_on_trial, .arg = g };
	done = golive_steps(g, &interrupted);
	golive_report_finish(&g->rep, &g->plan, done, interrupted, mp_now_ns());
	golive_report_write(&g->rep, g->out);
	printf("\ngolive: %s%s: %s/report.json\n",
	       cJSON_GetStringValue(cJSON_GetObjectItem(g->rep.root, "verdict")),
	       interrupted ? " (interrupted)" : "", g->out);
	{
		const cJSON *why;

		cJSON_ArrayForEach(why, cJSON_GetObjectItem(g->rep.root, "reasons"))
			printf("  %s\n", why->valuestring);
	}
	done = interrupted ? 130 : g->rep.fail ? 1 : 0;
	golive_report_free(&g->rep);
	free(g->res);
	free(g->yres);
	free(g->perf.pts);
	return done;
}

int
golive_main(int argc, char **argv)
{
	struct golive g = { 0 };
	int rc;

	rc = golive_parse(&g, argc, argv);
	if (rc != 0)
		return rc > 0 ? 0 : 2;
	g.cfg = calloc(1, sizeof(*g.cfg));
	if (g.cfg == NULL || run_load_config(g.config_path, g.cfg) != 0) {
		free(g.cfg);
		return 2;
	}
	if (golive_prepare(&g) != 0) {
		free(g.cfg);
		return 2;
	}
	golive_print_plan(&g);
	rc = g.dry_run ? 0 : golive_execute(&g);
	if (g.dry_run)
		printf("--dry-run: nothing was run\n");
	free(g.cfg);
	return rc;
}
