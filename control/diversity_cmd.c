/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `metroprobe diversity DIR [--json]`: the diversity sink's analysis of a
 * recorded run, without a dataplane. The records come from
 * DIR/intervals.jsonl and DIR/paths.jsonl (absent: no path records) in the
 * order the run received them, decoded as the run decoded them (dprec.h),
 * so the object is the one the run put in its summary.json. The run does
 * not keep its config: the facts the analysis needs (link names in config
 * order, locations, interval, circuit, the hops expected to be shared) are
 * read back from DIR/summary.json.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diversity_cmd.h"
#include "dprec.h"
#include "metro.h"
#include "util.h"

/* Member path a.b of o as a number (raw integers too); 0 when absent. */
static double
replay_num(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);

	if (b != NULL)
		v = cJSON_GetObjectItemCaseSensitive(v, b);
	if (cJSON_IsRaw(v))
		return strtod(v->valuestring, NULL);
	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

/* The same within what a config allows (config.c, diversity_config.c); else 0: the default. */
static uint32_t
replay_u32(const cJSON *o, const char *a, const char *b, uint32_t hi)
{
	double v = replay_num(o, a, b);

	return v >= 0 && v <= (double)hi ? (uint32_t)v : 0;
}

/* How the run judged the pair: its thresholds, loss timeout and span (0: the defaults). */
static void
replay_rules(const cJSON *sum, struct div_config *dc)
{
	const cJSON *div = cJSON_GetObjectItemCaseSensitive(sum, "diversity");
	double ratio = replay_num(div, "thresholds", "loss_ratio");

	dc->rule.loss_ratio = ratio > 0 && ratio < 1 ? ratio : 0;
	dc->rule.rtt_excess_ns = (uint64_t)replay_u32(div, "thresholds", "rtt_excess_us",
						      10000000) * 1000;
	dc->min_episodes = replay_u32(div, "thresholds", "min_episodes", 1000);
	dc->parity_us = replay_u32(div, "delay", "parity_bound_us", 1000000);
	dc->keep_s = replay_u32(div, "series", "keep_s", 31 * 86400);
	dc->loss_timeout_ms = replay_u32(sum, "loss_timeout_ms", NULL, 60000);
}

/* The run's facts from its summary (the strings stay in sum). */
static int
replay_facts(const cJSON *sum, struct dprec_links *links, struct div_config *dc,
	     uint32_t *interval_ms)
{
	const cJSON *l, *locs = cJSON_GetObjectItemCaseSensitive(sum, "locations");
	const cJSON *div = cJSON_GetObjectItemCaseSensitive(sum, "diversity");
	const cJSON *circ = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(div, "configuration"), "circuit");
	int i, site;

	memset(links, 0, sizeof(*links));
	memset(dc, 0, sizeof(*dc));
	cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(sum, "links")) {
		const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(l, "name"));

		if (name == NULL || links->n == DPREC_HELLO_LINKS_MAX)
			return -EINVAL;
		links->name[links->n++] = name;
	}
	if (links->n < 2)
		return -EINVAL;
	for (i = 0; i < 2; i++) {
		const struct mp_metro *m;

		dc->location[i] = cJSON_GetStringValue(cJSON_GetArrayItem(locs, i));
		m = dc->location[i] != NULL ? mp_metro_of_location(dc->location[i], &site) : NULL;
		dc->facility[i] = m != NULL ? m->sites[site].facility : NULL;
	}
	dc->circuit = cJSON_IsString(circ) ? circ->valuestring : "metro";
	*interval_ms = replay_u32(sum, "interval_ms", NULL, 60000);
	replay_rules(sum, dc);
	return 0;
}

/* The hops the run expected to be shared, as its summary lists them. */
static int
replay_expected(const cJSON *sum, struct diversity *d)
{
	const cJSON *e, *div = cJSON_GetObjectItemCaseSensitive(sum, "diversity");

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(div, "path"), "expected"))
		if (cJSON_IsString(e) && diversity_path_expect(d, e->valuestring) == -ENOMEM)
			return -ENOMEM;
	return 0;
}

/* Every interval and path record of a JSON-lines file into d. */
static int
replay_records(const char *text, const struct dprec_links *links, struct diversity *d,
	       char *err, size_t errlen)
{
	struct link_interval *li = malloc(sizeof(*li));
	char *copy = strdup(text), *line, *save = NULL;
	int rc = 0;

	if (li == NULL || copy == NULL) {
		free(li);
		free(copy);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (line = strtok_r(copy, "\n", &save); line != NULL && rc == 0;
	     line = strtok_r(NULL, "\n", &save)) {
		struct dprec r;
		char why[256];

		if (dprec_decode(line, links, 0, li, &r, why, sizeof(why)) != 0)
			continue;	/* the run skipped it too */
		if (r.type == DPREC_INTERVAL)
			rc = diversity_add(d, r.link, r.interval);
		else if (r.type == DPREC_PATH)
			rc = diversity_path_add(d, r.link, r.path, NULL, NULL) < 0 ? -ENOMEM : 0;
		dprec_release(&r);
	}
	if (rc != 0)
		snprintf(err, errlen, "out of memory");
	free(li);
	free(copy);
	return rc;
}

cJSON *
diversity_replay(const char *dir, struct div_result *r, char *err, size_t errlen)
{
	char path[PATH_MAX], *text, *paths;
	struct dprec_links links;
	struct div_config dc;
	struct diversity d;
	uint32_t interval_ms;
	cJSON *sum, *o = NULL;

	snprintf(path, sizeof(path), "%s/summary.json", dir);
	text = mp_read_file(path, NULL);
	sum = text != NULL ? cJSON_Parse(text) : NULL;
	free(text);
	if (sum == NULL || replay_facts(sum, &links, &dc, &interval_ms) != 0) {
		snprintf(err, errlen, "%s: not a summary of a run of two links", path);
		cJSON_Delete(sum);
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/intervals.jsonl", dir);
	text = mp_read_file(path, NULL);
	if (text == NULL) {
		snprintf(err, errlen, "cannot read %s", path);
		cJSON_Delete(sum);
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/paths.jsonl", dir);
	paths = mp_read_file(path, NULL);
	if (diversity_init(&d, &dc, interval_ms) != 0 || replay_expected(sum, &d) != 0)
		snprintf(err, errlen, "out of memory");
	else if (replay_records(text, &links, &d, err, errlen) == 0 &&
		 (paths == NULL || replay_records(paths, &links, &d, err, errlen) == 0)) {
		o = diversity_finish(&d, r);
		if (o == NULL)
			snprintf(err, errlen, "out of memory");
	}
	diversity_free(&d);
	free(paths);
	free(text);
	cJSON_Delete(sum);
	return o;
}

static void
diversity_usage(FILE *f)
{
	fprintf(f, "usage: metroprobe diversity DIR [--json]\n"
		"The site-diversity verdict of a recorded run (DIR of metroprobe run --out):\n"
		"DIVERSE, SHARED-RISK, NOT-DIVERSE or INSUFFICIENT-EVIDENCE, and why, from\n"
		"DIR/intervals.jsonl, DIR/paths.jsonl (the hop lists, when the run has them)\n"
		"and DIR/summary.json; no dataplane needed.\n"
		"  --json      print the diversity object (as in summary.json)\n"
		"  -h, --help  this help\n");
}

int
diversity_main(int argc, char **argv)
{
	const char *dir = NULL;
	struct div_result r;
	bool json = false;
	char err[PATH_MAX + 64], *text;
	cJSON *o;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			diversity_usage(stdout);
			return 0;
		} else if (argv[i][0] != '-' && dir == NULL) {
			dir = argv[i];
		} else {
			fprintf(stderr, "metroprobe diversity: unknown argument '%s' (see --help)\n",
				argv[i]);
			return 2;
		}
	}
	if (dir == NULL) {
		diversity_usage(stderr);
		return 2;
	}
	o = diversity_replay(dir, &r, err, sizeof(err));
	if (o == NULL) {
		fprintf(stderr, "metroprobe diversity: %s\n", err);
		return 1;
	}
	if (json) {
		text = cJSON_Print(o);
		printf("%s\n", text != NULL ? text : "null");
		free(text);
	} else {
		diversity_print(stdout, &r);
	}
	cJSON_Delete(o);
	return 0;
}
