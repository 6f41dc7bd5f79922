/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Inline SVG charts for the HTML report (report_html.c): grouped bars over
 * categories (throughput, latency per frame size) and lines over a numeric
 * x (time series, a CDF as a step line). Axes with ticks at nice numbers
 * (1, 2 or 5 x 10^n), log scales where a range spans decades. Pure: the
 * SVG is appended to a growing buffer (metrics.h's), no I/O. A NaN value
 * is a gap (null in the JSON): skipped. A chart without any value draws
 * its axes' frame and "no data".
 */
#ifndef MP_SVG_CHART_H
#define MP_SVG_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "metrics.h"

#define SVG_MAX_TICKS	16

/* Value range [d0, d1] onto pixels [r0, r1]; log: base 10 (d0 > 0). */
struct svg_scale {
	double d0, d1;
	double r0, r1;
	bool log;
};

/* Pixel of v (NaN stays NaN; log of v <= 0 maps to r0). */
double svg_scale_map(const struct svg_scale *s, double v);
/*
 * The nice step (1, 2 or 5 x 10^n) that cuts [lo, hi] into at most
 * max_ticks - 1 parts; 0 for an empty or invalid range.
 */
double svg_nice_step(double lo, double hi, int max_ticks);
/*
 * The range widened to multiples of the nice step (lo stays 0 when it is
 * 0; hi may stay half a percent of the range below the max) and its ticks; returns
 * how many (at most cap). A degenerate range (lo == hi) is widened around
 * the value. Log: the decades 10^n that
 * cover [lo, hi] (lo > 0).
 */
int svg_nice_ticks(double *lo, double *hi, bool log, double *tick, int cap);

/* One series: n values y[i] (at x[i] for a line chart; NaN: skipped). */
struct svg_series {
	const char *name;
	const double *x;
	const double *y;
	int n;
};

struct svg_chart {
	const char *title;
	const char *x_label, *y_label;
	bool x_log, y_log;
	bool y_from_zero;	/* a linear y starts at 0 (throughput) */
	bool step;		/* a line chart as a step function (a CDF) */
	double y_max_fixed;	/* > 0: the y axis ends there (a CDF: 1) */
	int width, height;	/* pixels; 0: 640 x 300 */
};

/*
 * Bars: n_cat categories (their labels under the x axis), one bar per
 * series in each (series[s].y[c]; x unused). Lines: each series' points
 * in order. Both return the number of data marks drawn (bars, points).
 */
int svg_bar_chart(struct metrics_buf *b, const struct svg_chart *c,
		  const char *const *cat, int n_cat, const struct svg_series *s, int n_series);
int svg_line_chart(struct metrics_buf *b, const struct svg_chart *c,
		   const struct svg_series *s, int n_series);

/* Formatted text appended to b (oom set on failure). */
void svg_printf(struct metrics_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* s with & < > " ' as entities: safe in HTML text and attribute values. */
void svg_escape(struct metrics_buf *b, const char *s);
/* A number as an axis or table label: 0.5, 20, 1.5k, 2M, 1e-05. */
void svg_fmt_num(char *buf, size_t len, double v);

#endif
