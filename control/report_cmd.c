/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `metroprobe report DIR [--out FILE]` (report_cmd.h). The RTT distribution
 * of each link comes from what the run kept: the interval records of the
 * link's latency trials (report.json names them: "trials_dir":
 * "trials/0019..0020"), their RTT histograms merged exactly (mp_hist.h), so
 * the CDF is that of every probe of those trials, not of a summary's few
 * quantiles. The trials' intervals.jsonl files were written by another
 * process: a line that does not parse is passed over.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mp_record.h"
#include "report_cmd.h"
#include "report_html.h"
#include "util.h"

/* Lines of intervals.jsonl longer than this are not interval records. */
#define REPORT_LINE_MAX	(1 << 20)

static void
report_usage(FILE *f)
{
	fprintf(f,
		"usage: metroprobe report DIR [--out FILE]\n"
		"Renders the go-live report DIR/report.json (metroprobe golive --out DIR) as one\n"
		"self-contained HTML page for the customer: the verdict and its reasons, per\n"
		"link the RFC 2544 tables and charts and the Y.1564 services, the service\n"
		"performance test, each link's RTT distribution (from the latency trials under\n"
		"DIR/trials/), the diversity and failover panels (DIR/drill.json when\n"
		"report.json has no failover), the configuration and the versions. Inline CSS\n"
		"and SVG only: nothing is fetched when it is opened or printed.\n"
		"  --out FILE   where the page goes (default DIR/report.html)\n"
		"  --help       this text\n"
		"golive writes DIR/report.html itself after each report.json.\n");
}

/* Add one trial's interval records of link (not its streams' records) to h. */
static void
report_trial_hist(const char *path, const char *link, struct hist *h, struct link_interval *li)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, err[128];
	size_t cap = 0;
	ssize_t n;

	if (f == NULL)
		return;
	while ((n = getline(&line, &cap, f)) > 0) {
		cJSON *o = n < REPORT_LINE_MAX ? cJSON_Parse(line) : NULL;
		const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "type"));
		const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "link"));

		if (type != NULL && strcmp(type, "interval") == 0 && name != NULL &&
		    strcmp(name, link) == 0 && !cJSON_HasObjectItem(o, "stream") &&
		    record_interval_from_json(o, li, err, sizeof(err)) == 0)
			hist_merge(h, &li->rtt);
		cJSON_Delete(o);
	}
	free(line);
	fclose(f);
}

/* "trials/0019..0020" (or "trials/0019"): the first and last trial. */
static int
report_trials_range(const char *s, int *a, int *z)
{
	if (s == NULL)
		return -EINVAL;
	if (sscanf(s, "trials/%d..%d", a, z) == 2 && *a > 0 && *a <= *z && *z - *a < 10000)
		return 0;
	if (sscanf(s, "trials/%d", a) == 1 && *a > 0) {
		*z = *a;
		return 0;
	}
	return -EINVAL;
}

/* One link's CDF from its latency trials. */
static int
report_link_cdf(const char *dir, const cJSON *l, struct report_cdf *c)
{
	const cJSON *e, *lat = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(l, "rfc2544"), "latency");
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(l, "name"));
	struct hist *h = calloc(1, sizeof(*h));
	struct link_interval *li = calloc(1, sizeof(*li));
	char path[PATH_MAX];
	int a, z, t, rc;
	size_t len = 0;

	memset(c, 0, sizeof(*c));
	snprintf(c->link, sizeof(c->link), "%s", name != NULL ? name : "?");
	if (h == NULL || li == NULL) {
		free(h), free(li);
		return -ENOMEM;
	}
	hist_reset(h);
	cJSON_ArrayForEach(e, lat) {
		const char *td = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "trials_dir"));

		if (name == NULL || report_trials_range(td, &a, &z) != 0)
			continue;
		for (t = a; t <= z; t++) {
			snprintf(path, sizeof(path), "%s/trials/%04d/intervals.jsonl", dir, t);
			report_trial_hist(path, name, h, li);
		}
		if (len < sizeof(c->source) - 1)
			len += (size_t)snprintf(c->source + len, sizeof(c->source) - len, "%s%s",
						len > 0 ? ", " : "latency trials ", td);
	}
	if (len == 0)
		snprintf(c->source, sizeof(c->source), "no latency trials");
	rc = report_cdf_from_hist(h, c);
	free(h), free(li);
	return rc;
}

/* DIR/NAME parsed; NULL (and a line on stderr unless quiet) when it cannot be. */
static cJSON *
report_load(const char *dir, const char *name, bool quiet)
{
	char path[PATH_MAX], *text;
	cJSON *o;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	text = mp_read_file(path, NULL);
	if (text == NULL) {
		if (!quiet)
			fprintf(stderr, "metroprobe report: cannot read %s: %s\n", path,
				strerror(errno));
		return NULL;
	}
	o = cJSON_Parse(text);
	free(text);
	if (o == NULL)
		fprintf(stderr, "metroprobe report: %s is not JSON\n", path);
	return o;
}

static int
report_write(const struct report_input *in, const char *out)
{
	char tmp[PATH_MAX];
	FILE *f;
	int rc;

	snprintf(tmp, sizeof(tmp), "%s.tmp", out);
	f = fopen(tmp, "w");
	if (f == NULL) {
		rc = -errno;
		fprintf(stderr, "metroprobe report: cannot write %s: %s\n", tmp, strerror(-rc));
		return rc;
	}
	rc = report_html_write(f, in);
	if (fclose(f) != 0 && rc == 0)
		rc = -EIO;
	if (rc == 0 && rename(tmp, out) != 0)
		rc = -errno;
	if (rc != 0) {
		fprintf(stderr, "metroprobe report: cannot write %s: %s\n", out, strerror(-rc));
		unlink(tmp);
	}
	return rc;
}

int
report_render(const char *dir, const char *out)
{
	struct report_cdf cdf[REPORT_LINKS_MAX];
	struct report_input in = { .cdf = cdf };
	char path[PATH_MAX];
	cJSON *rep = report_load(dir, "report.json", false), *drill = NULL;
	const cJSON *l;
	int i, rc = 0;

	if (rep == NULL)
		return -EINVAL;
	if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(rep, "failover")))
		drill = report_load(dir, "drill.json", true);
	in.report = rep;
	in.drill = drill;
	cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(rep, "links")) {
		if (in.n_cdf == REPORT_LINKS_MAX)
			break;
		rc = report_link_cdf(dir, l, &cdf[in.n_cdf++]);
		if (rc != 0)
			break;
	}
	if (out == NULL) {
		snprintf(path, sizeof(path), "%s/report.html", dir);
		out = path;
	}
	if (rc == 0)
		rc = report_write(&in, out);
	for (i = 0; i < in.n_cdf; i++)
		report_cdf_free(&cdf[i]);
	cJSON_Delete(rep);
	cJSON_Delete(drill);
	return rc;
}

static int
report_parse(int argc, char **argv, const char **dir, const char **out)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		if (c == 'o') {
			*out = optarg;
		} else if (c == 'h') {
			report_usage(stdout);
			return 0;
		} else {
			report_usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "metroprobe report: %s\n", optind == argc ?
			"the go-live DIR is missing (metroprobe report DIR)" :
			"one DIR only (metroprobe report DIR [--out FILE])");
		return 2;
	}
	*dir = argv[optind];
	return -1;
}

int
report_main(int argc, char **argv)
{
	const char *dir = NULL, *out = NULL;
	int rc = report_parse(argc, argv, &dir, &out);

	if (rc >= 0)
		return rc;
	if (report_render(dir, out) != 0)
		return 1;
	if (out != NULL)
		printf("%s\n", out);
	else
		printf("%s/report.html\n", dir);
	return 0;
}
