/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The go-live report as one self-contained HTML page (docs/report.md):
 * report.json (schema metroprobe-golive-report/1, docs/golive.md) with the
 * verdict first, then per link the RFC 2544 tables and charts and the
 * Y.1564 services, both links together, the service performance test, the
 * RTT distribution (CDF) of each link, the diversity and failover panels,
 * the configuration and the versions. Inline CSS and SVG only: no script,
 * no URL, nothing fetched; every string from the JSON is escaped. Pure but
 * for report_html_write's FILE.
 */
#ifndef MP_REPORT_HTML_H
#define MP_REPORT_HTML_H

#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "metrics.h"
#include "mp_hist.h"

#define REPORT_LINKS_MAX	8

/* One link's RTT distribution: n points (RTT in us, share of samples at or below). */
struct report_cdf {
	char link[64];
	char source[96];	/* what it was read from: "trials/0019..0020 (latency)" */
	uint64_t samples;
	int n;
	double *x_us;
	double *share;
};

struct report_input {
	const cJSON *report;		/* report.json */
	const cJSON *drill;		/* drill.json, used when report has no failover; may be NULL */
	const struct report_cdf *cdf;	/* per link, may be 0 */
	int n_cdf;
};

/*
 * The CDF of h: a point at the lowest sample (share 0), then one at each
 * non-empty bucket's upper end (the max for the last) with the share of
 * samples up to it. 0, or -ENOMEM. An empty h gives n = 0.
 */
int report_cdf_from_hist(const struct hist *h, struct report_cdf *c);
void report_cdf_free(struct report_cdf *c);

/* The page into b (b->oom on failure). */
void report_html(struct metrics_buf *b, const struct report_input *in);
/* The same written to f: 0, or -errno / -ENOMEM. */
int report_html_write(FILE *f, const struct report_input *in);

#endif
