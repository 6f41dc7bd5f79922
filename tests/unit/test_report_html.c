/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The HTML report (control/report_html.c, report_cmd.c) of a hand-made
 * report.json (tests/fixtures/report: a lab run's RFC 2544 results with
 * Y.1564 services, a performance test and a failover drill filled in the
 * shape agreed for them): every section is there with its data, strings
 * from the JSON are escaped (a link or service name cannot inject markup),
 * nothing is fetched (no script, src, href, url(), http), sections that
 * did not run say so, the RTT CDF is that of the latency trials' histograms,
 * and drill.json stands in for a report without failover.
 */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "count_str.h"
#include "mp_test.h"
#include "report_cmd.h"
#include "report_html.h"
#include "util.h"

#ifndef MP_SOURCE_ROOT
#define MP_SOURCE_ROOT "."
#endif
#define FIXTURE MP_SOURCE_ROOT "/tests/fixtures/report"

static cJSON *
load(const char *path)
{
	char *text = mp_read_file(path, NULL);
	cJSON *o = text != NULL ? cJSON_Parse(text) : NULL;

	free(text);
	ck_assert_msg(o != NULL, "cannot read %s", path);
	return o;
}

static char *
render(const cJSON *rep, const cJSON *drill)
{
	struct report_input in = { .report = rep, .drill = drill };
	struct metrics_buf b = { 0 };

	report_html(&b, &in);
	ck_assert(!b.oom && b.p != NULL);
	return b.p;
}

/* Nothing in the page can fetch anything or run anything. */
static void
assert_self_contained(const char *h)
{
	static const char *const bad[] = { "<script", "src=", "href=", "url(", "@import",
					   "http", "<link", "<img", "<iframe", "<object" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(strstr(h, bad[i]) == NULL, "the page has %s", bad[i]);
}

START_TEST(test_full_report)
{
	cJSON *rep = load(FIXTURE "/report.json");
	char *h = render(rep, NULL);

	assert_self_contained(h);
	ck_assert(strncmp(h, "<!DOCTYPE html>", 15) == 0);
	ck_assert_ptr_nonnull(strstr(h, "</html>"));
	/* the verdict first, with its reasons */
	ck_assert_ptr_nonnull(strstr(h, "Verdict: <span class=\"fail\">FAIL</span>"));
	ck_assert(strstr(h, "Verdict:") < strstr(h, "id=\"link-0\""));
	ck_assert_ptr_nonnull(strstr(h, "below link a&#39;s committed_rate 100Mbps"));
	/* per link: throughput and latency charts with bars, frame loss as a line */
	ck_assert_ptr_nonnull(strstr(h, "Throughput per frame size: a"));
	ck_assert_ptr_nonnull(strstr(h, "Latency per frame size at the throughput: b"));
	ck_assert_ptr_nonnull(strstr(h, ">64(90)</text>"));
	ck_assert_int_ge(count_str(h, "<rect class=\"d\""), 2 * 3 + 2 * 4);
	/* Y.1564: each service's steps, the failed one with its reason */
	ck_assert_int_eq(count_str(h, "<td class=\"s\">policing</td>"), 3);
	ck_assert_int_eq(count_str(h, "<td class=\"s\">CIR+EIR</td>"), 3);
	ck_assert_ptr_nonnull(strstr(h, "FTD 5200 us above the criterion 5000 us"));
	ck_assert_ptr_nonnull(strstr(h, "Service &lt;b&gt;video&lt;/b&gt;: <span class=\"fail\">"));
	/* the performance test: table and three time series, a line per link (per quantile) */
	ck_assert_ptr_nonnull(strstr(h, "Round trip during the performance test"));
	ck_assert_ptr_nonnull(strstr(h, "Information rate during the performance test"));
	ck_assert_ptr_nonnull(strstr(h, ">a p99</text>"));
	/* diversity and failover panels */
	ck_assert_ptr_nonnull(strstr(h, "INSUFFICIENT-EVIDENCE"));
	ck_assert_ptr_nonnull(strstr(h, ">fisher_p</th>"));
	ck_assert_ptr_nonnull(strstr(h, ">service_gap_ms</th><td class=\"s\">1180<"));
	ck_assert_ptr_nonnull(strstr(h, "service carried by b"));
	/* a time as UTC, an object member as a table of its own */
	ck_assert_ptr_nonnull(strstr(h, ">cut_unix_ns</th><td class=\"s\">2026-12-04T18:58:20.250Z<"));
	ck_assert_ptr_nonnull(strstr(h, ">surviving_link_sla</th><td class=\"s\"><table>"));
	/* the configuration and the versions */
	ck_assert_ptr_nonnull(strstr(h, "&quot;lab-metro&quot;"));
	ck_assert_ptr_nonnull(strstr(h, ">metroprobe</th><td class=\"s\">0.1.0<"));
	/* print CSS: a page per section, A4 */
	ck_assert_ptr_nonnull(strstr(h, "@media print"));
	ck_assert_ptr_nonnull(strstr(h, "size:A4"));
	/* no RTT histograms given: the CDF says so */
	ck_assert_ptr_nonnull(strstr(h, "no data"));
	free(h);
	cJSON_Delete(rep);
}
END_TEST

START_TEST(test_escaping)
{
	cJSON *rep = load(FIXTURE "/report.json"), *l = cJSON_GetArrayItem(
		cJSON_GetObjectItem(rep, "links"), 0);
	char *h;

	cJSON_ReplaceItemInObject(l, "name", cJSON_CreateString("<script>alert(1)</script>"));
	cJSON_ReplaceItemInObject(l, "location", cJSON_CreateString("\"><img src=x onerror=y>"));
	cJSON_AddItemToArray(cJSON_GetObjectItem(rep, "reasons"),
			     cJSON_CreateString("</li></ul><iframe src=http://x/>"));
	cJSON_ReplaceItemInObject(cJSON_GetObjectItem(rep, "config"), "path",
				  cJSON_CreateString("</p><link href=http://evil/a.css>"));
	cJSON_ReplaceItemInObject(cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(l,
				  "rfc2544"), "throughput"), 2), "frame_size", cJSON_CreateString("<i>"));
	h = render(rep, NULL);
	ck_assert_ptr_null(strstr(h, "<i>"));
	ck_assert_ptr_null(strstr(h, "<script"));
	ck_assert_ptr_null(strstr(h, "<img"));
	ck_assert_ptr_null(strstr(h, "<iframe"));
	ck_assert_ptr_null(strstr(h, "<link"));
	ck_assert_ptr_nonnull(strstr(h, "Link &lt;script&gt;alert(1)&lt;/script&gt;"));
	ck_assert_ptr_nonnull(strstr(h, "&quot;&gt;&lt;img src=x"));
	/* in the charts' titles too */
	ck_assert_ptr_nonnull(strstr(h, "Throughput per frame size: &lt;script&gt;"));
	free(h);
	cJSON_Delete(rep);
}
END_TEST

START_TEST(test_not_run)
{
	cJSON *rep = load(FIXTURE "/report.json"), *l;
	char *h;

	cJSON_ArrayForEach(l, cJSON_GetObjectItem(rep, "links"))
		cJSON_ReplaceItemInObject(l, "y1564", cJSON_CreateNull());
	cJSON_ReplaceItemInObject(rep, "performance", cJSON_CreateNull());
	cJSON_ReplaceItemInObject(rep, "failover", cJSON_CreateNull());
	cJSON_DeleteItemFromObject(rep, "diversity");
	cJSON_DeleteItemFromObject(rep, "together");
	h = render(rep, NULL);
	assert_self_contained(h);
	ck_assert_int_eq(count_str(h, "Y.1564: not run."), 2);
	ck_assert_ptr_nonnull(strstr(h, "The service performance test: not run."));
	ck_assert_ptr_nonnull(strstr(h, "The failover drill: not run."));
	ck_assert_ptr_nonnull(strstr(h, "The diversity analysis: not run."));
	ck_assert_ptr_nonnull(strstr(h, "Both links together: not run."));
	free(h);
	/* drill.json stands in for report.json's missing failover */
	{
		cJSON *drill = load(FIXTURE "/drill.json");

		h = render(rep, drill);
		ck_assert_ptr_null(strstr(h, "The failover drill: not run."));
		ck_assert_ptr_nonnull(strstr(h, ">detection_ms</th><td class=\"s\">310<"));
		free(h);
		cJSON_Delete(drill);
	}
	cJSON_Delete(rep);
}
END_TEST

START_TEST(test_cdf_from_hist)
{
	struct hist *h = calloc(1, sizeof(*h));
	struct report_cdf c = { .n = 0 };
	int i;

	ck_assert_ptr_nonnull(h);
	hist_reset(h);
	ck_assert_int_eq(report_cdf_from_hist(h, &c), 0);
	ck_assert_int_eq(c.n, 0);	/* empty: no points */
	for (i = 1; i <= 4; i++)
		hist_add(h, (uint64_t)i * 1000);
	hist_add(h, 4000);
	ck_assert_int_eq(report_cdf_from_hist(h, &c), 0);
	ck_assert_uint_eq(c.samples, 5);
	ck_assert_int_eq(c.n, 5);	/* the lowest sample, then 4 buckets */
	ck_assert_double_eq(c.x_us[0], 1);
	ck_assert_double_eq(c.share[0], 0);
	ck_assert_double_eq(c.share[1], 0.2);
	ck_assert_double_eq(c.share[2], 0.4);
	ck_assert_double_eq(c.share[3], 0.6);
	ck_assert_double_eq(c.x_us[4], 4);	/* the last bucket ends at the max */
	ck_assert_double_eq(c.share[4], 1);
	for (i = 1; i < c.n; i++)
		ck_assert(c.x_us[i] > c.x_us[i - 1] && c.share[i] > c.share[i - 1]);
	/* within a bucket's width (1/128) of the value */
	ck_assert_double_le(c.x_us[1], 1.0 + 1.0 / 128 + 1e-9);
	report_cdf_free(&c);
	free(h);
}
END_TEST

/* report_render over a copy of the fixture: the CDFs from trials/, drill.json, --out */
START_TEST(test_render_dir)
{
	char dir[] = "/tmp/mp-report-XXXXXX", cmd[PATH_MAX * 2], path[PATH_MAX];
	cJSON *rep;
	char *h, *s;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "cp -r %s/. %s/", FIXTURE, dir);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/report.json", dir);
	rep = load(path);
	cJSON_ReplaceItemInObject(rep, "failover", cJSON_CreateNull());
	s = cJSON_Print(rep);
	ck_assert_int_eq(mp_write_file(path, s, strlen(s)), 0);
	free(s);
	cJSON_Delete(rep);
	ck_assert_int_eq(report_render(dir, NULL), 0);
	snprintf(path, sizeof(path), "%s/report.html", dir);
	h = mp_read_file(path, NULL);
	ck_assert_ptr_nonnull(h);
	assert_self_contained(h);
	/* 3 + 3 interval records of the latency trials (a line that is not JSON passed over) */
	ck_assert_ptr_nonnull(strstr(h, "<td>460</td><td class=\"s\">latency trials trials/0001..0001"));
	ck_assert_ptr_nonnull(strstr(h, "<td>2438</td><td class=\"s\">latency trials trials/0002"));
	ck_assert_ptr_null(strstr(h, "RTT distribution per link (CDF)</text>\n<text class=\"nodata\""));
	ck_assert_ptr_nonnull(strstr(h, "link a: pair_down detected"));	/* from drill.json */
	free(h);
	snprintf(path, sizeof(path), "%s/other.html", dir);
	ck_assert_int_eq(report_render(dir, path), 0);
	ck_assert_int_eq(access(path, R_OK), 0);
	snprintf(path, sizeof(path), "%s/report.json", dir);
	unlink(path);
	ck_assert_int_lt(report_render(dir, NULL), 0);	/* no report.json: an error, said */
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

static Suite *
report_suite(void)
{
	Suite *s = suite_create("report_html");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_full_report);
	tcase_add_test(tc, test_escaping);
	tcase_add_test(tc, test_not_run);
	tcase_add_test(tc, test_cdf_from_hist);
	tcase_add_test(tc, test_render_dir);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(report_suite)
