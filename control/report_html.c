/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The go-live report as HTML (report_html.h). Written from the JSON as it
 * is, key by key, so that a report of an older or newer run renders what
 * it has: a missing section says "not run", a missing value is a dash.
 * Every string from the JSON goes through svg_escape().
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_html.h"
#include "svg_chart.h"
#include "util.h"

#define RH_GET(o, k)	cJSON_GetObjectItemCaseSensitive(o, k)
#define RH_SERIES_MAX	8
/* A table of arr under the columns of the array col. */
#define RH_TABLE(b, arr, col)	rh_table(b, arr, col, (int)(sizeof(col) / sizeof((col)[0])))

/* How a table cell shows its value. */
enum rh_fmt {
	RH_ANY,		/* as the JSON has it */
	RH_INT,		/* 21308 */
	RH_PCT,		/* a ratio as a percentage: 0.0492 -> 4.92% */
	RH_MBPS,	/* bits per second as Mb/s */
	RH_US,		/* microseconds, 0.1 */
	RH_VERDICT,	/* PASS / FAIL in colour */
	RH_SIZE,	/* frame_size, with the size sent when it differs: 64 (90) */
	RH_LIST,	/* an array of strings, one a line */
};

struct rh_col {
	const char *key;
	const char *label;
	enum rh_fmt fmt;
};

static const char rh_css[] =
	"body{font-family:sans-serif;color:#111;background:#fff;max-width:980px;margin:1em auto;"
	"padding:0 1em;line-height:1.35}\n"
	"h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #333;margin-top:1.6em}\n"
	"h3{margin-bottom:.3em}h4{margin:.8em 0 .3em}\n"
	"table{border-collapse:collapse;margin:.4em 0 1em;font-size:.9em}\n"
	"th,td{border:1px solid #bbb;padding:2px 6px;text-align:right;vertical-align:top}\n"
	"th{background:#f0f0f0}td.s,th.s{text-align:left}\n"
	".pass{color:#0a6b0a;font-weight:bold}.fail{color:#b00000;font-weight:bold}\n"
	".other{color:#8a5a00;font-weight:bold}.muted{color:#666}\n"
	".verdict{border:3px solid #333;padding:.6em 1em;margin:1em 0}\n"
	".verdict.v-pass{border-color:#0a6b0a;background:#eef8ee}\n"
	".verdict.v-fail{border-color:#b00000;background:#fdf0f0}\n"
	".verdict .big{font-size:2em;font-weight:bold}\n"
	"pre{background:#f6f6f6;border:1px solid #ddd;padding:.5em;font-size:.8em;"
	"white-space:pre-wrap;word-break:break-all}\n"
	"svg.chart{max-width:100%;height:auto;display:block;margin:.4em 0}\n"
	"@page{size:A4;margin:14mm}\n"
	"@media print{body{max-width:none;margin:0;font-size:10pt}"
	"section{break-before:page}section.first{break-before:auto}"
	"svg.chart,table,.verdict{break-inside:avoid}h2,h3,h4{break-after:avoid}"
	"th{background:#eee}pre{background:#fff}}\n";

static double
rh_num(const cJSON *o, const char *key)
{
	const cJSON *v = RH_GET(o, key);

	if (cJSON_IsRaw(v))
		return strtod(v->valuestring, NULL);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *
rh_str(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(RH_GET(o, key));
}

static void
rh_text(struct metrics_buf *b, const char *open, const char *s, const char *close)
{
	metrics_buf_append(b, open);
	svg_escape(b, s);
	metrics_buf_append(b, close);
}

/* A verdict word in its colour: PASS green, FAIL red, anything else amber. */
static void
rh_verdict_word(struct metrics_buf *b, const char *v)
{
	const char *cls = "other";

	if (v == NULL) {
		metrics_buf_append(b, "<span class=\"muted\">-</span>");
		return;
	}
	if (strcmp(v, "PASS") == 0 || strcmp(v, "DIVERSE") == 0)
		cls = "pass";
	else if (strcmp(v, "FAIL") == 0 || strcmp(v, "SHARED-RISK") == 0)
		cls = "fail";
	svg_printf(b, "<span class=\"%s\">", cls);
	svg_escape(b, v);
	metrics_buf_append(b, "</span>");
}

/* Any JSON value as text: strings escaped, numbers short, the rest as compact JSON. */
static void
rh_value(struct metrics_buf *b, const cJSON *v)
{
	char num[64];
	char *s;

	if (v == NULL || cJSON_IsNull(v)) {
		metrics_buf_append(b, "<span class=\"muted\">-</span>");
	} else if (cJSON_IsString(v)) {
		svg_escape(b, v->valuestring);
	} else if (cJSON_IsBool(v)) {
		metrics_buf_append(b, cJSON_IsTrue(v) ? "yes" : "no");
	} else if (cJSON_IsNumber(v)) {
		snprintf(num, sizeof(num), "%.6g", v->valuedouble);
		metrics_buf_append(b, num);
	} else {
		s = cJSON_PrintUnformatted(v);
		svg_escape(b, s != NULL ? s : "?");
		free(s);
	}
}

static void
rh_list(struct metrics_buf *b, const cJSON *arr)
{
	const cJSON *r;

	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0)
		return;
	metrics_buf_append(b, "<ul>");
	cJSON_ArrayForEach(r, arr) {
		metrics_buf_append(b, "<li>");
		rh_value(b, r);
		metrics_buf_append(b, "</li>");
	}
	metrics_buf_append(b, "</ul>\n");
}

/* One cell of row under col. */
static void
rh_cell(struct metrics_buf *b, const cJSON *row, const struct rh_col *col)
{
	const cJSON *v = RH_GET(row, col->key);
	double x = rh_num(row, col->key), sent = rh_num(row, "frame_size_sent");
	bool num = isfinite(x);

	metrics_buf_append(b, num || col->fmt == RH_VERDICT ? "<td>" : "<td class=\"s\">");
	if (col->fmt == RH_INT && num)
		svg_printf(b, "%.0f", x);
	else if (col->fmt == RH_PCT && num)
		svg_printf(b, "%.4g%%", x * 100);
	else if (col->fmt == RH_MBPS && num)
		svg_printf(b, "%.3f", x / 1e6);
	else if (col->fmt == RH_US && num)
		svg_printf(b, "%.1f", x);
	else if (col->fmt == RH_VERDICT)
		rh_verdict_word(b, cJSON_GetStringValue(v));
	else if (col->fmt == RH_LIST && cJSON_IsArray(v))
		rh_list(b, v);
	else
		rh_value(b, v);
	if (col->fmt == RH_SIZE && num && isfinite(sent) && sent != x)
		svg_printf(b, " (%.0f)", sent);
	metrics_buf_append(b, "</td>");
}

/* A table: a row per element of arr, a column per col. */
static void
rh_table(struct metrics_buf *b, const cJSON *arr, const struct rh_col *col, int n_col)
{
	const cJSON *row;
	int i;

	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0) {
		metrics_buf_append(b, "<p class=\"muted\">none</p>\n");
		return;
	}
	metrics_buf_append(b, "<table><tr>");
	for (i = 0; i < n_col; i++)
		rh_text(b, col[i].fmt == RH_ANY || col[i].fmt == RH_LIST ? "<th class=\"s\">" :
			"<th>", col[i].label, "</th>");
	metrics_buf_append(b, "</tr>\n");
	cJSON_ArrayForEach(row, arr) {
		metrics_buf_append(b, "<tr>");
		for (i = 0; i < n_col; i++)
			rh_cell(b, row, &col[i]);
		metrics_buf_append(b, "</tr>\n");
	}
	metrics_buf_append(b, "</table>\n");
}

/* Every member of o as a row; arrays of objects are left out (tables of their own). */
/* A time in ns since the epoch (a number, or a string of digits: exact) as UTC. */
static void
rh_time(struct metrics_buf *b, const cJSON *v)
{
	uint64_t ns = cJSON_IsString(v) ? strtoull(v->valuestring, NULL, 10) :
		      cJSON_IsNumber(v) && v->valuedouble > 0 ? (uint64_t)v->valuedouble : 0;
	char buf[64];

	if (ns == 0) {
		rh_value(b, v);
		return;
	}
	mp_utc_iso(buf, sizeof(buf), ns, 1);
	metrics_buf_append(b, buf);
}

static bool
rh_is_time_key(const char *k)
{
	size_t n = k != NULL ? strlen(k) : 0;

	return n > 8 && strcmp(k + n - 8, "_unix_ns") == 0;
}

/* An object as a table of its members; an object member as a table inside. */
static void
rh_kv(struct metrics_buf *b, const cJSON *o)
{
	const cJSON *m;

	if (!cJSON_IsObject(o)) {
		metrics_buf_append(b, "<p class=\"muted\">none</p>\n");
		return;
	}
	metrics_buf_append(b, "<table>\n");
	cJSON_ArrayForEach(m, o) {
		if (cJSON_IsArray(m) && cJSON_IsObject(m->child))
			continue;
		rh_text(b, "<tr><th class=\"s\">", m->string, "</th><td class=\"s\">");
		if (cJSON_IsString(m) && (strcmp(m->string, "verdict") == 0))
			rh_verdict_word(b, m->valuestring);
		else if (rh_is_time_key(m->string))
			rh_time(b, m);
		else if (cJSON_IsObject(m))
			rh_kv(b, m);
		else
			rh_value(b, m);
		metrics_buf_append(b, "</td></tr>\n");
	}
	metrics_buf_append(b, "</table>\n");
}

static void
rh_section(struct metrics_buf *b, const char *id, const char *title, bool first)
{
	svg_printf(b, "<section id=\"%s\"%s>\n", id, first ? " class=\"first\"" : "");
	if (title != NULL)
		rh_text(b, "<h2>", title, "</h2>\n");
}

static void
rh_not_run(struct metrics_buf *b, const char *what)
{
	rh_text(b, "<p class=\"muted\">", what, ": not run.</p>\n");
}

/* A frame size label: 64, 64(90), imix. */
static void
rh_size_label(const cJSON *e, char *buf, size_t len)
{
	const cJSON *fs = RH_GET(e, "frame_size");
	double sent = rh_num(e, "frame_size_sent");

	if (cJSON_IsString(fs))
		snprintf(buf, len, "%s", fs->valuestring);
	else if (cJSON_IsNumber(fs) && isfinite(sent) && sent != fs->valuedouble)
		snprintf(buf, len, "%.0f(%.0f)", fs->valuedouble, sent);
	else if (cJSON_IsNumber(fs))
		snprintf(buf, len, "%.0f", fs->valuedouble);
	else
		snprintf(buf, len, "?");
}

/*
 * Bars over an array's entries, one category per frame size: each of the
 * n keys a series (scaled by mul), labelled by names.
 */
static int
rh_size_chart(struct metrics_buf *b, const struct svg_chart *c, const cJSON *arr,
	      const char *const *keys, const char *const *names, int n, double mul)
{
	int n_cat = cJSON_GetArraySize(arr), i = 0, k, marks;
	char (*label)[32] = calloc((size_t)n_cat + 1, sizeof(*label));
	const char **cat = calloc((size_t)n_cat + 1, sizeof(*cat));
	double *y = calloc((size_t)(n_cat + 1) * (size_t)n, sizeof(*y));
	struct svg_series s[RH_SERIES_MAX];
	const cJSON *e;

	if (label == NULL || cat == NULL || y == NULL || n > RH_SERIES_MAX) {
		b->oom = true;
		free(label), free(cat), free(y);
		return 0;
	}
	cJSON_ArrayForEach(e, arr) {
		rh_size_label(e, label[i], sizeof(label[i]));
		cat[i] = label[i];
		for (k = 0; k < n; k++)
			y[k * n_cat + i] = rh_num(e, keys[k]) * mul;
		i++;
	}
	for (k = 0; k < n; k++)
		s[k] = (struct svg_series){ .name = names[k], .y = y + k * n_cat, .n = n_cat };
	marks = svg_bar_chart(b, c, cat, n_cat, s, n);
	free(label), free(cat), free(y);
	return marks;
}

static void
rh_throughput(struct metrics_buf *b, const cJSON *arr, const char *link)
{
	static const struct rh_col col[] = {
		{ "frame_size", "frame size (sent)", RH_SIZE },
		{ "frame_mix_sent", "sizes sent", RH_ANY },
		{ "found", "found", RH_ANY },
		{ "rate_pps", "frames/s", RH_INT },
		{ "rate_bps", "Mb/s", RH_MBPS },
		{ "loss_ratio", "loss", RH_PCT },
		{ "ceiling_pps", "ceiling frames/s", RH_INT },
		{ "ceiling", "ceiling is", RH_ANY },
		{ "sender_limited", "sender limited", RH_ANY },
		{ "trials_dir", "trials", RH_ANY },
	};
	static const char *const key[] = { "rate_bps" }, *const name[] = { "Mb/s" };
	char title[160];
	struct svg_chart c = { .title = title, .x_label = "frame size, bytes (sent)",
			       .y_label = "throughput, Mb/s (wire bits)", .y_from_zero = true };

	snprintf(title, sizeof(title), "Throughput per frame size: %s", link);
	metrics_buf_append(b, "<h4>Throughput</h4>\n");
	rh_size_chart(b, &c, arr, key, name, 1, 1e-6);
	RH_TABLE(b, arr, col);
}

static void
rh_latency(struct metrics_buf *b, const cJSON *arr, const char *link)
{
	static const struct rh_col col[] = {
		{ "frame_size", "frame size (sent)", RH_SIZE },
		{ "rate_pps", "at frames/s", RH_INT },
		{ "rate_bps", "at Mb/s", RH_MBPS },
		{ "rate_is", "rate is", RH_ANY },
		{ "reps", "trials", RH_INT },
		{ "min_us", "min us", RH_US },
		{ "p50_us", "p50 us", RH_US },
		{ "p99_us", "p99 us", RH_US },
		{ "max_us", "max us", RH_US },
	};
	static const char *const key[] = { "min_us", "p50_us", "p99_us", "max_us" };
	static const char *const name[] = { "min", "p50", "p99", "max" };
	char title[160];
	struct svg_chart c = { .title = title, .x_label = "frame size, bytes (sent)",
			       .y_label = "round trip, us (log)", .y_log = true };

	snprintf(title, sizeof(title), "Latency per frame size at the throughput: %s", link);
	metrics_buf_append(b, "<h4>Latency</h4>\n");
	rh_size_chart(b, &c, arr, key, name, 4, 1);
	RH_TABLE(b, arr, col);
}

/* Frame loss: per size a chart of loss against load and the steps' table. */
static void
rh_frame_loss(struct metrics_buf *b, const cJSON *arr, const char *link)
{
	static const struct rh_col col[] = {
		{ "load_pct", "load %", RH_INT },
		{ "rate_pps", "frames/s", RH_INT },
		{ "sent", "sent", RH_INT },
		{ "lost", "lost", RH_INT },
		{ "loss_ratio", "loss", RH_PCT },
		{ "duration_ms", "ms", RH_INT },
	};
	const cJSON *e, *st;
	char title[160], size[32];

	metrics_buf_append(b, "<h4>Frame loss rate</h4>\n");
	if (cJSON_GetArraySize(arr) == 0)
		metrics_buf_append(b, "<p class=\"muted\">none</p>\n");
	cJSON_ArrayForEach(e, arr) {
		int n = 0, cap;
		double *x, *y;
		struct svg_series s = { .name = NULL };
		struct svg_chart c = { .title = title, .x_label = "load, % of the ceiling",
				       .y_label = "frame loss, %", .y_from_zero = true,
				       .height = 240 };

		st = RH_GET(e, "steps");
		cap = cJSON_GetArraySize(st) + 1;
		x = calloc((size_t)cap, sizeof(*x));
		y = calloc((size_t)cap, sizeof(*y));
		if (x == NULL || y == NULL) {
			b->oom = true;
			free(x), free(y);
			return;
		}
		rh_size_label(e, size, sizeof(size));
		snprintf(title, sizeof(title), "Frame loss rate at %s bytes: %s", size, link);
		cJSON_ArrayForEach(st, RH_GET(e, "steps")) {
			x[n] = rh_num(st, "load_pct");
			y[n++] = rh_num(st, "loss_ratio") * 100;
		}
		s = (struct svg_series){ .x = x, .y = y, .n = n };
		svg_line_chart(b, &c, &s, 1);
		RH_TABLE(b, RH_GET(e, "steps"), col);
		free(x), free(y);
	}
}

static void
rh_back_to_back(struct metrics_buf *b, const cJSON *arr)
{
	static const struct rh_col col[] = {
		{ "frame_size", "frame size (sent)", RH_SIZE },
		{ "method", "method", RH_ANY },
		{ "burst_rate_pps", "burst frames/s", RH_INT },
		{ "burst_rate_is", "rate is", RH_ANY },
		{ "found", "found", RH_ANY },
		{ "frames", "frames", RH_INT },
		{ "duration_ms", "ms", RH_INT },
		{ "sent_pps", "sent frames/s", RH_INT },
		{ "note", "note", RH_ANY },
	};

	metrics_buf_append(b, "<h4>Back-to-back</h4>\n");
	RH_TABLE(b, arr, col);
}

/* Y.1564 service configuration test of one link: per service its steps. */
static void
rh_y1564(struct metrics_buf *b, const cJSON *y)
{
	static const struct rh_col col[] = {
		{ "step", "step", RH_ANY },
		{ "load_pct", "load %", RH_INT },
		{ "ir_bps", "IR Mb/s", RH_MBPS },
		{ "ftd_us", "FTD us", RH_US },
		{ "fdv_us", "FDV us", RH_US },
		{ "flr", "FLR", RH_PCT },
		{ "avail", "AVAIL", RH_PCT },
		{ "verdict", "verdict", RH_VERDICT },
		{ "reason", "reason", RH_ANY },
	};
	const cJSON *s, *svcs = RH_GET(y, "services");

	metrics_buf_append(b, "<h3>Y.1564 service configuration test</h3>\n");
	if (!cJSON_IsArray(svcs)) {
		rh_not_run(b, "Y.1564");
		return;
	}
	if (cJSON_GetArraySize(svcs) == 0)
		metrics_buf_append(b, "<p class=\"muted\">no services configured</p>\n");
	cJSON_ArrayForEach(s, svcs) {
		rh_text(b, "<h4>Service ", rh_str(s, "name"), ": ");
		rh_verdict_word(b, rh_str(s, "verdict"));
		rh_text(b, " <span class=\"muted\">class ", rh_str(s, "class"), "");
		svg_printf(b, ", CIR %.3f Mb/s, EIR %.3f Mb/s</span></h4>\n",
			   rh_num(s, "cir_bps") / 1e6, rh_num(s, "eir_bps") / 1e6);
		rh_list(b, RH_GET(s, "reasons"));
		metrics_buf_append(b, "<p>Acceptance criteria:</p>\n");
		rh_kv(b, RH_GET(s, "criteria"));
		RH_TABLE(b, RH_GET(s, "steps"), col);
	}
}

static void
rh_link(struct metrics_buf *b, const cJSON *l, int i)
{
	const cJSON *rfc = RH_GET(l, "rfc2544");
	const char *name = rh_str(l, "name");
	char id[32];

	snprintf(id, sizeof(id), "link-%d", i);
	rh_section(b, id, NULL, false);
	rh_text(b, "<h2>Link ", name, "");
	rh_text(b, " <span class=\"muted\">", rh_str(l, "location"), "</span></h2>\n");
	metrics_buf_append(b, "<p>committed rate ");
	rh_value(b, RH_GET(l, "committed_rate"));
	svg_printf(b, ", MTU %.0f%s</p>\n", rh_num(l, "mtu"),
		   cJSON_IsFalse(RH_GET(l, "mtu_known")) ? " (not known)" : "");
	metrics_buf_append(b, "<h3>RFC 2544</h3>\n");
	rh_throughput(b, RH_GET(rfc, "throughput"), name);
	rh_latency(b, RH_GET(rfc, "latency"), name);
	rh_frame_loss(b, RH_GET(rfc, "frame_loss"), name);
	rh_back_to_back(b, RH_GET(rfc, "back_to_back"));
	rh_y1564(b, RH_GET(l, "y1564"));
	metrics_buf_append(b, "</section>\n");
}

static void
rh_together(struct metrics_buf *b, const cJSON *t)
{
	static const struct rh_col col[] = {
		{ "frame_size", "frame size (sent)", RH_SIZE },
		{ "found", "found", RH_ANY },
		{ "rate_pps", "frames/s per link", RH_INT },
		{ "rate_bps", "Mb/s per link", RH_MBPS },
		{ "loss_ratio", "loss", RH_PCT },
		{ "trials_dir", "trials", RH_ANY },
	};
	static const struct rh_col per[] = {
		{ "name", "link", RH_ANY },
		{ "sent_pps", "sent frames/s", RH_INT },
		{ "loss_ratio", "loss", RH_PCT },
		{ "rtt_p50_us", "RTT p50 us", RH_US },
		{ "rtt_p99_us", "RTT p99 us", RH_US },
	};
	const cJSON *arr = RH_GET(RH_GET(t, "rfc2544"), "throughput"), *e;
	char size[32];

	rh_section(b, "together", "Both links together", false);
	if (!cJSON_IsObject(t)) {
		rh_not_run(b, "Both links together");
		metrics_buf_append(b, "</section>\n");
		return;
	}
	metrics_buf_append(b, "<h3>RFC 2544 throughput, both links at once</h3>\n");
	RH_TABLE(b, arr, col);
	cJSON_ArrayForEach(e, arr) {
		rh_size_label(e, size, sizeof(size));
		rh_text(b, "<h4>Each link's part of the best trial at ", size, " bytes</h4>\n");
		RH_TABLE(b, RH_GET(e, "per_link"), per);
	}
	metrics_buf_append(b, "</section>\n");
}

/* The performance test's series, per link: t and the four values. */
enum { RH_TS_P50, RH_TS_P99, RH_TS_LOSS, RH_TS_IR, RH_TS_N };

struct rh_ts {
	int n_links, cap;
	char link[RH_SERIES_MAX / 2][64];
	int n[RH_SERIES_MAX / 2];
	double *t;			/* [link * cap + i] */
	double *v[RH_TS_N];
};

static int
rh_ts_link(struct rh_ts *ts, const char *name)
{
	int i;

	for (i = 0; i < ts->n_links; i++)
		if (strcmp(ts->link[i], name) == 0)
			return i;
	if (ts->n_links == RH_SERIES_MAX / 2)
		return -1;
	snprintf(ts->link[i], sizeof(ts->link[i]), "%s", name);
	return ts->n_links++;
}

static int
rh_ts_fill(struct rh_ts *ts, const cJSON *series)
{
	static const char *const key[RH_TS_N] = {
		"rtt_p50_us", "rtt_p99_us", "loss_ratio", "ir_bps" };
	static const double mul[RH_TS_N] = { 1, 1, 100, 1e-6 };
	const cJSON *p;
	int k, l;

	ts->cap = cJSON_GetArraySize(series) + 1;
	ts->t = calloc((size_t)ts->cap * (RH_SERIES_MAX / 2), sizeof(double));
	for (k = 0; k < RH_TS_N; k++)
		ts->v[k] = calloc((size_t)ts->cap * (RH_SERIES_MAX / 2), sizeof(double));
	for (k = 0; k < RH_TS_N; k++)
		if (ts->t == NULL || ts->v[k] == NULL)
			return -ENOMEM;
	cJSON_ArrayForEach(p, series) {
		const char *name = rh_str(p, "link");

		l = rh_ts_link(ts, name != NULL ? name : "?");
		if (l < 0)
			continue;
		ts->t[l * ts->cap + ts->n[l]] = rh_num(p, "t_s");
		for (k = 0; k < RH_TS_N; k++)
			ts->v[k][l * ts->cap + ts->n[l]] = rh_num(p, key[k]) * mul[k];
		ts->n[l]++;
	}
	return 0;
}

/* One chart of the series: per link the values of field k0 .. k1. */
static void
rh_ts_chart(struct metrics_buf *b, const struct rh_ts *ts, const struct svg_chart *c,
	    int k0, int k1)
{
	static const char *const suffix[RH_TS_N] = { " p50", " p99", "", "" };
	struct svg_series s[RH_SERIES_MAX];
	char name[RH_SERIES_MAX][80];
	int l, k, n = 0;

	for (l = 0; l < ts->n_links; l++) {
		for (k = k0; k <= k1 && n < RH_SERIES_MAX; k++, n++) {
			snprintf(name[n], sizeof(name[n]), "%s%s", ts->link[l], suffix[k]);
			s[n] = (struct svg_series){ .name = name[n], .x = ts->t + l * ts->cap,
						    .y = ts->v[k] + l * ts->cap, .n = ts->n[l] };
		}
	}
	svg_line_chart(b, c, s, n);
}

static void
rh_perf_series(struct metrics_buf *b, const cJSON *series)
{
	struct rh_ts ts = { .n_links = 0 };
	struct svg_chart rtt = { .title = "Round trip during the performance test",
				 .x_label = "time, s", .y_label = "RTT, us (log)", .y_log = true };
	struct svg_chart loss = { .title = "Frame loss during the performance test",
				  .x_label = "time, s", .y_label = "loss, %", .y_from_zero = true,
				  .height = 240 };
	struct svg_chart ir = { .title = "Information rate during the performance test",
				.x_label = "time, s", .y_label = "IR, Mb/s", .y_from_zero = true,
				.height = 240 };
	int k;

	metrics_buf_append(b, "<h3>Time series</h3>\n");
	if (rh_ts_fill(&ts, series) != 0) {
		b->oom = true;
	} else {
		rh_ts_chart(b, &ts, &rtt, RH_TS_P50, RH_TS_P99);
		rh_ts_chart(b, &ts, &loss, RH_TS_LOSS, RH_TS_LOSS);
		rh_ts_chart(b, &ts, &ir, RH_TS_IR, RH_TS_IR);
	}
	free(ts.t);
	for (k = 0; k < RH_TS_N; k++)
		free(ts.v[k]);
}

static void
rh_performance(struct metrics_buf *b, const cJSON *p)
{
	static const struct rh_col col[] = {
		{ "link", "link", RH_ANY },
		{ "name", "service", RH_ANY },
		{ "ir_bps", "IR Mb/s", RH_MBPS },
		{ "ftd_us", "FTD us", RH_US },
		{ "fdv_us", "FDV us", RH_US },
		{ "flr", "FLR", RH_PCT },
		{ "avail", "AVAIL", RH_PCT },
		{ "verdict", "verdict", RH_VERDICT },
		{ "reasons", "reasons", RH_LIST },
	};

	rh_section(b, "performance", "Y.1564 service performance test", false);
	if (!cJSON_IsObject(p)) {
		rh_not_run(b, "The service performance test");
	} else {
		metrics_buf_append(b, "<p>All services of both links at their CIR together for ");
		rh_value(b, RH_GET(p, "duration_s"));
		metrics_buf_append(b, " s: ");
		rh_verdict_word(b, rh_str(p, "verdict"));
		metrics_buf_append(b, "</p>\n");
		rh_list(b, RH_GET(p, "reasons"));
		RH_TABLE(b, RH_GET(p, "services"), col);
		rh_perf_series(b, RH_GET(p, "series"));
	}
	metrics_buf_append(b, "</section>\n");
}

static void
rh_rtt(struct metrics_buf *b, const struct report_input *in)
{
	struct svg_series s[RH_SERIES_MAX];
	struct svg_chart c = { .title = "RTT distribution per link (CDF)",
			       .x_label = "round trip, us (log)", .y_label = "share of probes",
			       .x_log = true, .step = true, .y_max_fixed = 1 };
	int i, n = 0;

	rh_section(b, "rtt", "Round-trip time distribution", false);
	for (i = 0; i < in->n_cdf && n < RH_SERIES_MAX; i++)
		s[n++] = (struct svg_series){ .name = in->cdf[i].link, .x = in->cdf[i].x_us,
					      .y = in->cdf[i].share, .n = in->cdf[i].n };
	svg_line_chart(b, &c, s, n);
	metrics_buf_append(b, "<table><tr><th class=\"s\">link</th><th>probes</th>"
			   "<th class=\"s\">from</th></tr>\n");
	for (i = 0; i < in->n_cdf; i++) {
		rh_text(b, "<tr><td class=\"s\">", in->cdf[i].link, "</td>");
		svg_printf(b, "<td>%llu</td>", (unsigned long long)in->cdf[i].samples);
		rh_text(b, "<td class=\"s\">", in->cdf[i].source, "</td></tr>\n");
	}
	metrics_buf_append(b, "</table>\n</section>\n");
}

static void
rh_diversity(struct metrics_buf *b, const cJSON *d)
{
	const cJSON *m;

	rh_section(b, "diversity", "Site diversity", false);
	if (!cJSON_IsObject(d)) {
		rh_not_run(b, "The diversity analysis");
		metrics_buf_append(b, "</section>\n");
		return;
	}
	metrics_buf_append(b, "<p class=\"verdict\"><span class=\"big\">");
	rh_verdict_word(b, rh_str(d, "verdict"));
	metrics_buf_append(b, "</span></p>\n");
	rh_list(b, RH_GET(d, "reasons"));
	cJSON_ArrayForEach(m, d) {
		if (!cJSON_IsObject(m))
			continue;
		rh_text(b, "<h4>", m->string, "</h4>\n");
		rh_kv(b, m);
	}
	metrics_buf_append(b, "</section>\n");
}

static void
rh_failover(struct metrics_buf *b, const cJSON *f)
{
	static const struct rh_col col[] = {
		{ "t_ms", "t ms", RH_INT },
		{ "what", "what", RH_ANY },
	};

	rh_section(b, "failover", "Failover drill", false);
	if (!cJSON_IsObject(f)) {
		rh_not_run(b, "The failover drill");
	} else {
		rh_kv(b, f);
		metrics_buf_append(b, "<h4>Timeline</h4>\n");
		RH_TABLE(b, RH_GET(f, "timeline"), col);
	}
	metrics_buf_append(b, "</section>\n");
}

static void
rh_config(struct metrics_buf *b, const cJSON *rep)
{
	static const struct rh_col steps[] = {
		{ "test", "test", RH_ANY },
		{ "link", "link", RH_ANY },
		{ "frame_size", "frame size", RH_ANY },
		{ "max_trials", "at most trials", RH_INT },
	};
	static const struct rh_col skipped[] = {
		{ "link", "link", RH_ANY },
		{ "frame_size", "frame size", RH_ANY },
		{ "max_frame", "largest frame", RH_INT },
		{ "reason", "reason", RH_ANY },
	};
	const cJSON *cfg = RH_GET(rep, "config"), *plan = RH_GET(rep, "plan");
	char *text = cJSON_Print(RH_GET(cfg, "json"));

	rh_section(b, "config", "Plan, configuration and versions", false);
	metrics_buf_append(b, "<h3>Versions</h3>\n");
	rh_kv(b, RH_GET(rep, "versions"));
	metrics_buf_append(b, "<h3>Plan</h3>\n");
	rh_kv(b, plan);
	RH_TABLE(b, RH_GET(plan, "steps"), steps);
	metrics_buf_append(b, "<h4>Sizes skipped</h4>\n");
	RH_TABLE(b, RH_GET(plan, "skipped"), skipped);
	rh_text(b, "<h3>Configuration</h3>\n<p>", rh_str(cfg, "path"), "</p>\n");
	rh_text(b, "<pre>", text != NULL ? text : "(not kept)", "</pre>\n");
	free(text);
	metrics_buf_append(b, "</section>\n");
}

static void
rh_head(struct metrics_buf *b, const cJSON *rep)
{
	const cJSON *cfg = RH_GET(RH_GET(rep, "config"), "json");
	const char *metro = rh_str(RH_GET(cfg, "metro"), "name");

	metrics_buf_append(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			   "<meta name=\"viewport\" content=\"width=device-width\">\n");
	rh_text(b, "<title>Go-live report ", metro != NULL ? metro : rh_str(rep, "verdict"),
		"</title>\n<style>\n");
	metrics_buf_append(b, rh_css);
	metrics_buf_append(b, "</style>\n</head>\n<body>\n");
}

/* When, what plan, how far it came. */
static void
rh_run_line(struct metrics_buf *b, const cJSON *rep)
{
	double t0 = rh_num(rep, "started_unix_ns"), t1 = rh_num(rep, "ended_unix_ns");
	const char *plan = rh_str(RH_GET(rep, "plan"), "name");
	char a[40] = "-", z[40] = "-";

	if (isfinite(t0) && t0 > 0)
		mp_utc_iso(a, sizeof(a), (unsigned long long)t0, 0);
	if (isfinite(t1) && t1 > 0)
		mp_utc_iso(z, sizeof(z), (unsigned long long)t1, 0);
	svg_printf(b, "<p>Run from %s to %s, plan <b>", a, z);
	svg_escape(b, plan != NULL ? plan : "?");
	svg_printf(b, "</b>, %.0f of %.0f steps done%s%s.</p>\n", rh_num(rep, "steps_done"),
		   rh_num(rep, "steps_planned"),
		   cJSON_IsTrue(RH_GET(rep, "interrupted")) ? ", <b>interrupted</b>" : "",
		   cJSON_IsFalse(RH_GET(rep, "complete")) ? ", <b>not complete</b>" : "");
}

static void
rh_glance_verdict(struct metrics_buf *b, const cJSON *o)
{
	if (cJSON_IsObject(o))
		rh_verdict_word(b, rh_str(o, "verdict"));
	else
		metrics_buf_append(b, "<span class=\"muted\">not run</span>");
}

/* Per link at a glance: throughput at each size, its services' verdicts. */
static void
rh_glance(struct metrics_buf *b, const cJSON *rep, const cJSON *failover)
{
	const cJSON *l, *e, *s;
	char size[32];

	metrics_buf_append(b, "<table><tr><th class=\"s\">link</th><th class=\"s\">location</th>"
			   "<th class=\"s\">committed</th><th class=\"s\">throughput, Mb/s</th>"
			   "<th class=\"s\">Y.1564 services</th></tr>\n");
	cJSON_ArrayForEach(l, RH_GET(rep, "links")) {
		rh_text(b, "<tr><td class=\"s\">", rh_str(l, "name"), "</td>");
		rh_text(b, "<td class=\"s\">", rh_str(l, "location"), "</td><td class=\"s\">");
		rh_value(b, RH_GET(l, "committed_rate"));
		metrics_buf_append(b, "</td><td class=\"s\">");
		cJSON_ArrayForEach(e, RH_GET(RH_GET(l, "rfc2544"), "throughput")) {
			rh_size_label(e, size, sizeof(size));
			svg_escape(b, size);
			svg_printf(b, ": %.3f<br>", rh_num(e, "rate_bps") / 1e6);
		}
		metrics_buf_append(b, "</td><td class=\"s\">");
		if (!cJSON_IsObject(RH_GET(l, "y1564")))
			metrics_buf_append(b, "<span class=\"muted\">not run</span>");
		cJSON_ArrayForEach(s, RH_GET(RH_GET(l, "y1564"), "services")) {
			rh_text(b, "", rh_str(s, "name"), ": ");
			rh_verdict_word(b, rh_str(s, "verdict"));
			metrics_buf_append(b, "<br>");
		}
		metrics_buf_append(b, "</td></tr>\n");
	}
	metrics_buf_append(b, "</table>\n<p>Service performance test: ");
	rh_glance_verdict(b, RH_GET(rep, "performance"));
	metrics_buf_append(b, "; site diversity: ");
	rh_glance_verdict(b, RH_GET(rep, "diversity"));
	metrics_buf_append(b, "; failover drill: ");
	if (cJSON_IsObject(failover))
		metrics_buf_append(b, "see below");
	else
		metrics_buf_append(b, "<span class=\"muted\">not run</span>");
	metrics_buf_append(b, ".</p>\n");
}

static void
rh_verdict(struct metrics_buf *b, const cJSON *rep, const cJSON *failover)
{
	const char *v = rh_str(rep, "verdict");
	bool pass = v != NULL && strcmp(v, "PASS") == 0;

	rh_section(b, "verdict", NULL, true);
	metrics_buf_append(b, "<h1>Go-live acceptance report</h1>\n");
	rh_run_line(b, rep);
	svg_printf(b, "<div class=\"verdict %s\"><span class=\"big\">Verdict: ",
		   pass ? "v-pass" : "v-fail");
	rh_verdict_word(b, v != NULL ? v : "none");
	metrics_buf_append(b, "</span>\n");
	rh_list(b, RH_GET(rep, "reasons"));
	metrics_buf_append(b, "</div>\n");
	rh_glance(b, rep, failover);
	metrics_buf_append(b, "</section>\n");
}

void
report_html(struct metrics_buf *b, const struct report_input *in)
{
	const cJSON *rep = in->report, *l, *failover = RH_GET(rep, "failover");
	int i = 0;

	if (!cJSON_IsObject(failover))
		failover = in->drill;
	rh_head(b, rep);
	rh_verdict(b, rep, failover);
	cJSON_ArrayForEach(l, RH_GET(rep, "links"))
		rh_link(b, l, i++);
	rh_together(b, RH_GET(rep, "together"));
	rh_performance(b, RH_GET(rep, "performance"));
	rh_rtt(b, in);
	rh_diversity(b, RH_GET(rep, "diversity"));
	rh_failover(b, failover);
	rh_config(b, rep);
	metrics_buf_append(b, "</body>\n</html>\n");
}

int
report_html_write(FILE *f, const struct report_input *in)
{
	struct metrics_buf b = { 0 };
	int rc = 0;

	report_html(&b, in);
	if (b.oom || b.p == NULL)
		rc = -ENOMEM;
	else if (fwrite(b.p, 1, b.len, f) != b.len || fflush(f) != 0)
		rc = -EIO;
	metrics_buf_free(&b);
	return rc;
}

int
report_cdf_from_hist(const struct hist *h, struct report_cdf *c)
{
	uint64_t cum = 0;
	unsigned i;
	int n = 0;

	c->n = 0;
	c->samples = h->count;
	if (h->count == 0)
		return 0;
	for (i = 0; i < HIST_NBUCKETS; i++)
		n += h->bucket[i] != 0;
	c->x_us = calloc((size_t)n + 1, sizeof(double));
	c->share = calloc((size_t)n + 1, sizeof(double));
	if (c->x_us == NULL || c->share == NULL)
		return -ENOMEM;
	c->x_us[c->n] = (double)h->min_ns / 1000;
	c->share[c->n++] = 0;
	for (i = 0; i < HIST_NBUCKETS; i++) {
		uint64_t hi;

		if (h->bucket[i] == 0)
			continue;
		cum += h->bucket[i];
		hi = hist_bucket_high(i);
		hi = hi > h->max_ns ? h->max_ns : hi;
		hi = hi < h->min_ns ? h->min_ns : hi;
		c->x_us[c->n] = (double)hi / 1000;
		c->share[c->n++] = (double)cum / (double)h->count;
	}
	return 0;
}

void
report_cdf_free(struct report_cdf *c)
{
	free(c->x_us);
	free(c->share);
	c->x_us = c->share = NULL;
	c->n = 0;
}
