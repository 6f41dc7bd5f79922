/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `metroprobe drill CONFIG --link a|b` (drill.h): the options, the config
 * made into the drill's run (its rate, a fine interval, no path probes),
 * the roles of the links, how the cut is done (the lab, commands, a
 * prompt), the safety checks on real links, the run, the report.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drill.h"
#include "lab.h"
#include "run.h"
#include "run_once.h"
#include "sink.h"
#include "sink_metrics.h"
#include "util.h"

static void
drill_usage(FILE *f)
{
	fprintf(f,
		"usage: metroprobe drill CONFIG --link a|b [--out DIR] [--method blackhole|carrier]\n"
		"                        [--hold-s N] [--pre-s N] [--recover-s N] [--interval-ms N]\n"
		"                        [--rate RATE] [--survivor-committed]\n"
		"                        [--cut-command CMD --restore-command CMD] [--yes]\n"
		"A failover drill: probe both links (and the config's service link) at a steady\n"
		"rate, check the surviving link is healthy, cut link LINK, hold it, restore it,\n"
		"probe until it answers again; DIR/drill.json says what was measured and done.\n"
		"  --link a|b            the link to cut (the other pinned link survives)\n"
		"  --out DIR             output (default: the config's out_dir)\n"
		"  --method M            in the routed lab: blackhole (the far end goes dark,\n"
		"                        BFD must notice; default) or carrier (port down)\n"
		"  --hold-s N            how long the link stays cut (default 5)\n"
		"  --pre-s N             probing before the cut, the pre-check (default 3)\n"
		"  --recover-s N         after the restore, at most this long (default 20)\n"
		"  --interval-ms N       record interval, the drill's resolution (default 10)\n"
		"  --rate RATE           every link's rate (default: the config's)\n"
		"  --survivor-committed  the surviving link at its committed_rate: does it\n"
		"                        carry both links' traffic?\n"
		"  --cut-command CMD     on real links: run by /bin/sh -c to cut (output in\n"
		"  --restore-command CMD DIR/cut.log, restore.log; exit status checked)\n"
		"                        without them on a terminal: a prompt for the operator\n"
		"  --yes                 on real links: do not ask for confirmation\n"
		"In the routed lab (lab up --routed, CONFIG its lab.json) the drill cuts by\n"
		"itself. The link is restored on Ctrl-C, SIGTERM or any error.\n"
		"Exit: 0 done, the surviving link met its SLA; 1 failed (or not restored);\n"
		"2 usage; 4 refused (pre-check, confirmation); 5 the surviving link missed its\n"
		"SLA during the cut; 130 interrupted (restored).\n");
}

struct drill_args {
	const char *link, *out, *method, *rate;
	bool yes, committed;
};

static int
drill_uint(const char *opt, const char *v, unsigned int lo, unsigned int hi, unsigned int *out)
{
	char *end;
	unsigned long n = strtoul(v, &end, 10);

	if (*v == '\0' || *end != '\0' || n < lo || n > hi) {
		fprintf(stderr, "metroprobe drill: %s '%s': give %u..%u\n", opt, v, lo, hi);
		return -1;
	}
	*out = (unsigned int)n;
	return 0;
}

/* 0, 1 (--help), or -1 (said why). */
static int
drill_parse(struct drill *d, struct drill_args *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "link", required_argument, NULL, 'l' },
		{ "out", required_argument, NULL, 'o' },
		{ "method", required_argument, NULL, 'm' },
		{ "hold-s", required_argument, NULL, 'H' },
		{ "pre-s", required_argument, NULL, 'P' },
		{ "recover-s", required_argument, NULL, 'R' },
		{ "interval-ms", required_argument, NULL, 'i' },
		{ "rate", required_argument, NULL, 'r' },
		{ "survivor-committed", no_argument, NULL, 'C' },
		{ "cut-command", required_argument, NULL, 'c' },
		{ "restore-command", required_argument, NULL, 'x' },
		{ "yes", no_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, rc = 0;

	optind = 1;
	opterr = 0;
	while (rc == 0 && (opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case 'h': drill_usage(stdout); return 1;
		case 'l': a->link = optarg; break;
		case 'o': a->out = optarg; break;
		case 'm': a->method = optarg; break;
		case 'H': rc = drill_uint("--hold-s", optarg, 1, 3600, &d->hold_s); break;
		case 'P': rc = drill_uint("--pre-s", optarg, 2, 600, &d->pre_s); break;
		case 'R': rc = drill_uint("--recover-s", optarg, 1, 3600, &d->recover_s); break;
		case 'i': rc = drill_uint("--interval-ms", optarg, 10, 1000, &d->interval_ms); break;
		case 'r': a->rate = optarg; break;
		case 'C': a->committed = true; break;
		case 'c': d->cut_cmd = optarg; break;
		case 'x': d->restore_cmd = optarg; break;
		case 'y': a->yes = true; break;
		default:
			fprintf(stderr, "metroprobe drill: unknown option or missing value '%s' "
				"(see --help)\n", argv[optind - 1]);
			return -1;
		}
	}
	if (rc != 0)
		return -1;
	if (optind + 1 != argc || a->link == NULL) {
		fprintf(stderr, "metroprobe drill: give CONFIG and --link (see --help)\n");
		return -1;
	}
	if ((d->cut_cmd == NULL) != (d->restore_cmd == NULL)) {
		fprintf(stderr, "metroprobe drill: --cut-command and --restore-command go together\n");
		return -1;
	}
	d->config_path = argv[optind];
	return 0;
}

/* The config's links[i].kind == "service" (issue 13's service stream), from the file. */
static int
drill_service_link(const char *path, const struct mp_config *cfg)
{
	char *text = mp_read_file(path, NULL);
	cJSON *o = text != NULL ? cJSON_Parse(text) : NULL, *l;
	int i = 0, found = -1;

	cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(o, "links")) {
		const char *k = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(l, "kind"));

		if (k != NULL && strcmp(k, "service") == 0 && i < cfg->n_links && found < 0)
			found = i;
		i++;
	}
	cJSON_Delete(o);
	free(text);
	return found;
}

/* Which config link plays which role. 0 or -1 (said why). */
static int
drill_roles(struct drill *d, const char *name)
{
	int i;

	d->link[DRILL_CUT] = d->link[DRILL_SURVIVOR] = -1;
	d->link[DRILL_SERVICE] = drill_service_link(d->config_path, d->cfg);
	if (d->link[DRILL_SERVICE] < 0)
		snprintf(d->no_service_why, sizeof(d->no_service_why),
			 "the config has no service link (a link with \"kind\": \"service\")");
	for (i = 0; i < d->cfg->n_links; i++) {
		if (i == d->link[DRILL_SERVICE])
			continue;
		if (strcmp(d->cfg->links[i].name, name) == 0)
			d->link[DRILL_CUT] = i;
		else if (d->link[DRILL_SURVIVOR] < 0)
			d->link[DRILL_SURVIVOR] = i;
	}
	if (d->link[DRILL_CUT] < 0 || d->link[DRILL_SURVIVOR] < 0) {
		fprintf(stderr, "metroprobe drill: --link '%s': %s\n", name,
			d->link[DRILL_CUT] < 0 ? "not a pinned link of the config" :
			"the config has no other pinned link to survive the cut");
		return -1;
	}
	return 0;
}

/* The drill's run: a steady rate, a fine interval, no path probes. 0 or -1. */
static int
drill_config(struct drill *d, const struct drill_args *a)
{
	struct mp_config *c = d->cfg;
	struct mp_link_cfg *s = &c->links[d->link[DRILL_SURVIVOR]];
	const char *err = NULL;
	struct rate r;
	int i;

	if (a->rate != NULL && rate_parse(a->rate, &r, &err) != 0) {
		fprintf(stderr, "metroprobe drill: --rate '%s': %s\n", a->rate, err);
		return -1;
	}
	for (i = 0; a->rate != NULL && i < c->n_links; i++) {
		c->links[i].rate = r;
		snprintf(c->links[i].rate_text, sizeof(c->links[i].rate_text), "%s", a->rate);
	}
	if (a->committed && s->committed_rate_text[0] == '\0') {
		fprintf(stderr, "metroprobe drill: --survivor-committed: links[%d] (%s) has no "
			"committed_rate\n", d->link[DRILL_SURVIVOR], s->name);
		return -1;
	}
	if (a->committed) {
		s->rate = s->committed_rate;
		memcpy(s->rate_text, s->committed_rate_text, sizeof(s->rate_text));
	}
	snprintf(d->load, sizeof(d->load), "%s%s", s->rate_text,
		 a->committed ? " (its committed_rate)" : "");
	c->interval_ms = d->interval_ms;
	c->path.interval_ms = 0;
	/* a safety net: the drill ends the run itself, the prompt waits for the operator */
	c->duration_ms = 0;
	c->duration_s = d->mode == DRILL_MODE_PROMPT ? 0 :
			d->pre_s + d->hold_s + d->recover_s + 30;
	if (a->out != NULL)
		snprintf(d->out, sizeof(d->out), "%s", a->out);
	else
		snprintf(d->out, sizeof(d->out), "%s", c->out_dir);
	return 0;
}

/* The survivor's objectives over the cut: the config's sla for it, else 0.1% loss. */
static void
drill_objectives(struct drill *d)
{
	static const int map[SLA_METRICS] = {
		[SLA_RTT_P50] = DRILL_M_RTT_P50, [SLA_RTT_P99] = DRILL_M_RTT_P99,
		[SLA_RTT_P999] = DRILL_M_RTT_P999, [SLA_LOSS] = DRILL_M_LOSS,
		[SLA_JITTER] = DRILL_M_JITTER, [SLA_AVAILABILITY] = -1,
	};
	const struct sla_config *s = &d->cfg->sla;
	int i;

	for (i = 0; i < s->n && d->n_obj < DRILL_OBJECTIVES_MAX; i++) {
		if (s->o[i].link != d->link[DRILL_SURVIVOR] || map[s->o[i].metric] < 0)
			continue;
		snprintf(d->obj[d->n_obj].name, sizeof(d->obj[0].name), "%s", s->o[i].name);
		d->obj[d->n_obj].metric = (enum drill_metric)map[s->o[i].metric];
		d->obj[d->n_obj++].max = s->o[i].threshold;
	}
	if (d->n_obj > 0)
		return;
	d->obj_default = true;
	snprintf(d->obj[0].name, sizeof(d->obj[0].name), "drill_loss_0.1%%");
	d->obj[0].metric = DRILL_M_LOSS;
	d->obj[0].max = 0.001;
	d->n_obj = 1;
}

/* Is CONFIG the lab's: its links start in the lab's on-premises namespace. */
static bool
drill_is_lab(const struct mp_config *c)
{
	int i;

	for (i = 0; i < c->n_links; i++)
		if (strcmp(c->links[i].netns, LAB_NS_ONPREM) != 0)
			return false;
	return c->n_links > 0;
}

/* On real links: what will happen, and "yes" typed (or --yes). 0, or 4 (refused). */
static int
drill_confirm(const struct drill *d, bool yes)
{
	char line[64];
	const char *name = d->cfg->links[d->link[DRILL_CUT]].name;

	printf("drill: this cuts link %s (%s) of %s, holds it %u s and restores it.\n", name,
	       d->cfg->links[d->link[DRILL_CUT]].location, d->config_path, d->hold_s);
	if (d->mode == DRILL_MODE_COMMANDS)
		printf("  cut with:     %s\n  restore with: %s\n", d->cut_cmd, d->restore_cmd);
	else
		printf("  you will be asked to cut it, and to restore it, by hand\n");
	if (yes)
		return 0;
	if (!isatty(STDIN_FILENO)) {
		fprintf(stderr, "metroprobe drill: on real links give --yes (stdin is not a "
			"terminal to ask on)\n");
		return 4;
	}
	printf("Type yes to cut link %s: ", name);
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL || strcmp(line, "yes\n") != 0) {
		printf("drill: not confirmed; nothing was done\n");
		return 4;
	}
	return 0;
}

/* How the cut is done, and whether it may. 0, or an exit code. */
static int
drill_mode(struct drill *d, const struct drill_args *a)
{
	char why[256];

	if (d->cut_cmd != NULL) {
		d->mode = DRILL_MODE_COMMANDS;
	} else if (drill_is_lab(d->cfg)) {
		d->mode = DRILL_MODE_LAB;
		d->lab_method = a->method == NULL ? 1 : strcmp(a->method, "blackhole") == 0 ? 1 :
				strcmp(a->method, "carrier") == 0 ? 2 : -1;
		if (d->lab_method < 0) {
			fprintf(stderr, "metroprobe drill: --method '%s': use blackhole or "
				"carrier\n", a->method);
			return 2;
		}
		if (drill_lab_open(d, a->link, why, sizeof(why)) != 0) {
			fprintf(stderr, "metroprobe drill: %s\n", why);
			return 1;
		}
		return 0;
	} else if (isatty(STDIN_FILENO)) {
		d->mode = DRILL_MODE_PROMPT;
	} else {
		fprintf(stderr, "metroprobe drill: not the lab's config: give --cut-command and "
			"--restore-command, or run on a terminal to be prompted\n");
		return 2;
	}
	if (a->method != NULL) {
		fprintf(stderr, "metroprobe drill: --method is the lab's; on real links the "
			"commands cut\n");
		return 2;
	}
	return drill_confirm(d, a->yes);
}

/*
 * The drill's sink first (it closes first, restoring a link still cut, and
 * hands its events to the others still open), then the standard sinks but
 * the SLA's, the diversity's (the drill judges the survivor itself; 10 ms
 * windows are not what they are sized for) and the endpoint.
 */
static void
drill_sinks(const struct sink_ops **list, size_t max)
{
	size_t n = 0, i;

	list[n++] = &drill_sink_ops;
	for (i = 0; sink_table[i] != NULL && n + 1 < max; i++)
		if (sink_table[i] != &sink_sla_ops && sink_table[i] != &sink_diversity_ops &&
		    sink_table[i] != &sink_metrics_ops)
			list[n++] = sink_table[i];
	list[n] = NULL;
}

static int
drill_run(struct drill *d)
{
	const struct sink_ops *sinks[SINKS_MAX + 1];
	struct run_opts o = { .config_path = d->config_path, .out_dir = d->out, .sinks = sinks };
	int rc;

	drill_sinks(sinks, sizeof(sinks) / sizeof(sinks[0]));
	d->carrier_now = DRILL_CARRIER_UNKNOWN;

	drill_measure_init(&d->m, (uint64_t)d->interval_ms * 1000000ull);
	drill_active = d;
	rc = run_once(d->cfg, &o);
	drill_active = NULL;
	if (d->stop_asked)
		printf("drill: the drill ended its run itself (%s): the run's \"interrupted\" above "
		       "is that\n", d->stop_why);
	/* whatever happened in the run: a link still cut is restored here */
	if (d->cut && !d->restored && (d->n_act == 0 ||
				       strcmp(d->act[d->n_act - 1].what, "restore") != 0)) {
		printf("drill: restoring link %s: the run did not\n",
		       d->cfg->links[d->link[DRILL_CUT]].name);
		drill_restore_now(d, "the run ended without restoring");
	}
	if (d->end_ns == 0)
		d->end_ns = mp_now_ns();
	if (d->start_ns == 0)
		d->start_ns = d->end_ns;
	if (mp_mkdir_p(d->out, 0755) != 0 || drill_report_write(d) != 0)
		fprintf(stderr, "metroprobe drill: cannot write %s/drill.json\n", d->out);
	else if (drill_report_golive(d->out) > 0)
		printf("drill: %s/report.json (go-live) now has this drill as its failover\n",
		       d->out);
	drill_report_print(d);
	if (d->cut && !d->restored)
		fprintf(stderr, "metroprobe drill: LINK %s IS STILL CUT: restore it by hand%s%s\n",
			d->cfg->links[d->link[DRILL_CUT]].name,
			d->restore_cmd ? ": " : "", d->restore_cmd ? d->restore_cmd : "");
	return drill_exit_code(d, rc == 130 && !d->stop_asked);
}

int
drill_main(int argc, char **argv)
{
	struct drill *d = calloc(1, sizeof(*d));
	struct drill_args a = { 0 };
	int rc;

	if (d == NULL)
		return 1;
	*d = (struct drill){ .route_fd = -1, .pre_s = 3, .hold_s = 5, .recover_s = 20, .interval_ms = 10,
			     .precheck_loss = 0.01 };
	rc = drill_parse(d, &a, argc, argv);
	if (rc != 0) {
		free(d);
		return rc > 0 ? 0 : 2;
	}
	d->cfg = calloc(1, sizeof(*d->cfg));
	rc = 2;
	if (d->cfg != NULL && run_load_config(d->config_path, d->cfg) == 0 &&
	    drill_roles(d, a.link) == 0) {
		rc = drill_mode(d, &a);
		if (rc == 0)
			rc = drill_config(d, &a) != 0 ? 2 : 0;
		if (rc == 0) {
			drill_objectives(d);
			rc = drill_run(d);
		}
	}
	drill_measure_free(&d->m);
	free(d->lab);
	free(d->cfg);
	free(d);
	return rc;
}
