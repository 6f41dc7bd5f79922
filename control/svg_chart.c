/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Inline SVG charts (svg_chart.h). No xmlns attribute: inside HTML5 the
 * parser puts <svg> in the SVG namespace itself, and the report must not
 * carry a URL of any kind. Colours are attributes, not CSS, so that a
 * chart copied out of the report keeps them.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svg_chart.h"

/* The plot area inside the chart's box: room for ticks, labels, title, legend. */
#define SVG_LEFT	64
#define SVG_RIGHT	16
#define SVG_TOP		44
#define SVG_BOTTOM	52

/* Colour-blind-safe (Okabe-Ito), dark enough on white paper. */
static const char *const svg_colour[] = {
	"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000",
};
#define SVG_N_COLOURS	(sizeof(svg_colour) / sizeof(svg_colour[0]))

struct svg_frame {
	int w, h;
	struct svg_scale x, y;
	double yt[SVG_MAX_TICKS];
	int n_yt;
};

void
svg_printf(struct metrics_buf *b, const char *fmt, ...)
{
	char buf[1024], *big;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = true;
	} else if ((size_t)n < sizeof(buf)) {
		metrics_buf_append(b, buf);
	} else {
		/* a number printed in full (1e308 with %.1f) can be long */
		big = malloc((size_t)n + 1);
		if (big == NULL) {
			b->oom = true;
			return;
		}
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		metrics_buf_append(b, big);
		free(big);
	}
}

void
svg_escape(struct metrics_buf *b, const char *s)
{
	char run[256];
	size_t n = 0;

	for (; s != NULL && *s != '\0'; s++) {
		const char *ent = NULL;

		switch (*s) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default: break;
		}
		if (ent != NULL || n == sizeof(run) - 1) {
			run[n] = '\0';
			metrics_buf_append(b, run);
			n = 0;
		}
		if (ent != NULL)
			metrics_buf_append(b, ent);
		else
			run[n++] = *s;
	}
	run[n] = '\0';
	metrics_buf_append(b, run);
}

void
svg_fmt_num(char *buf, size_t len, double v)
{
	double a = fabs(v);

	if (!isfinite(v))
		snprintf(buf, len, "-");
	else if (a >= 1e9)
		snprintf(buf, len, "%.3gG", v / 1e9);
	else if (a >= 1e6)
		snprintf(buf, len, "%.3gM", v / 1e6);
	else if (a >= 1e4)
		snprintf(buf, len, "%.3gk", v / 1e3);
	else if (a >= 1e-3 || a == 0)
		snprintf(buf, len, "%.4g", v);
	else
		snprintf(buf, len, "%.2g", v);
}

double
svg_scale_map(const struct svg_scale *s, double v)
{
	double a = s->d0, z = s->d1;

	if (isnan(v))
		return v;
	if (s->log) {
		if (v <= 0 || a <= 0 || z <= 0)
			return s->r0;
		v = log10(v);
		a = log10(a);
		z = log10(z);
	}
	if (z == a)
		return s->r0;
	return s->r0 + (v - a) / (z - a) * (s->r1 - s->r0);
}

double
svg_nice_step(double lo, double hi, int max_ticks)
{
	double raw, mag, norm;

	if (!(hi > lo) || !isfinite(hi - lo) || max_ticks < 2)
		return 0;
	raw = (hi - lo) / (max_ticks - 1);
	mag = pow(10, floor(log10(raw)));
	norm = raw / mag;
	/*
	 * Half a percent over a nice step is that step (100.007 Mb/s in 5 parts:
	 * steps of 20, not 50); svg_nice_ticks lets the top stay that little under.
	 */
	if (norm <= 1.005)
		return mag;
	if (norm <= 2 * 1.005)
		return 2 * mag;
	if (norm <= 5 * 1.005)
		return 5 * mag;
	return 10 * mag;
}

static int
svg_log_ticks(double *lo, double *hi, double *tick, int cap)
{
	int e0, e1, k = 1, n = 0, e;

	if (!(*hi > 0))
		*hi = 1;
	if (!(*lo > 0) || *lo > *hi)
		*lo = *hi / 10;
	e0 = (int)floor(log10(*lo) + 1e-9);
	e1 = (int)ceil(log10(*hi) - 1e-9);
	if (e1 <= e0)
		e1 = e0 + 1;
	while ((e1 - e0) / k + 1 > cap)
		k++;
	e1 = e0 + (e1 - e0 + k - 1) / k * k;
	for (e = e0; e <= e1 && n < cap; e += k)
		tick[n++] = pow(10, e);
	*lo = pow(10, e0);
	*hi = pow(10, e1);
	return n;
}

/* The nice step after step: 1 -> 2 -> 5 -> 10 (x 10^n). */
static double
svg_step_up(double step)
{
	double mag = pow(10, floor(log10(step) + 1e-9)), m = step / mag;

	return m < 1.5 ? 2 * mag : m < 3.5 ? 5 * mag : 10 * mag;
}

/*
 * Steps from lo (down to a multiple of step) to cover hi; half a percent
 * over is not seen (100.007 Mb/s on an axis to 100, not 120).
 */
static int
svg_parts(double lo, double hi, double step)
{
	int k;

	lo = floor(lo / step + 1e-9) * step;
	k = (int)ceil((hi - lo) / step - 1e-9);
	if (k > 1 && hi - lo - (k - 1) * step <= 0.005 * (k - 1) * step)
		k--;
	return k;
}

int
svg_nice_ticks(double *lo, double *hi, bool log, double *tick, int cap)
{
	double step, d, kd;
	int n = 0, i, k;

	if (cap < 2)
		return 0;
	if (log)
		return svg_log_ticks(lo, hi, tick, cap);
	if (!(*hi > *lo)) {
		d = *lo != 0 ? fabs(*lo) * 0.1 : 1;
		*hi = *lo + d;
		if (*lo != 0)
			*lo -= d;
	}
	step = svg_nice_step(*lo, *hi, cap < 6 ? cap : 6);
	kd = step > 0 ? ceil((*hi - floor(*lo / step + 1e-9) * step) / step - 1e-9) : NAN;
	if (!(kd >= 1 && kd <= 64)) {
		/* a range no axis can show: beyond a double, or below its precision */
		*lo = 0;
		*hi = 1;
		step = 0.2;
	}
	/* the floor of lo can add a part: then the next nice step */
	while ((k = svg_parts(*lo, *hi, step)) + 1 > cap)
		step = svg_step_up(step);
	*lo = floor(*lo / step + 1e-9) * step;
	*hi = *lo + k * step;
	for (i = 0; i <= k && n < cap; i++) {
		double t = *lo + i * step;

		tick[n++] = fabs(t) < step * 1e-9 ? 0 : t;
	}
	return n;
}

static void
svg_begin(struct metrics_buf *b, const struct svg_chart *c, struct svg_frame *f)
{
	f->w = c->width > 0 ? c->width : 640;
	f->h = c->height > 0 ? c->height : 300;
	svg_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
		   "role=\"img\" aria-label=\"", f->w, f->h, f->w, f->h);
	svg_escape(b, c->title);
	svg_printf(b, "\" font-family=\"sans-serif\" font-size=\"11\">\n<title>");
	svg_escape(b, c->title);
	svg_printf(b, "</title>\n<text x=\"%d\" y=\"16\" font-size=\"13\" font-weight=\"bold\">",
		   SVG_LEFT);
	svg_escape(b, c->title);
	svg_printf(b, "</text>\n");
	f->x = (struct svg_scale){ .r0 = SVG_LEFT, .r1 = f->w - SVG_RIGHT, .log = c->x_log };
	f->y = (struct svg_scale){ .r0 = f->h - SVG_BOTTOM, .r1 = SVG_TOP, .log = c->y_log };
}

/* The y axis (range already set), its grid and labels, the axis titles. */
static void
svg_axes(struct metrics_buf *b, const struct svg_chart *c, const struct svg_frame *f)
{
	char num[32];
	int i;

	for (i = 0; i < f->n_yt; i++) {
		double py = svg_scale_map(&f->y, f->yt[i]);

		svg_fmt_num(num, sizeof(num), f->yt[i]);
		svg_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			   "stroke=\"#dddddd\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">"
			   "%s</text>\n", f->x.r0, py, f->x.r1, py, SVG_LEFT - 4, py + 4, num);
	}
	svg_printf(b, "<path d=\"M%.1f %.1fV%.1fH%.1f\" fill=\"none\" stroke=\"#333333\"/>\n",
		   f->x.r0, f->y.r1, f->y.r0, f->x.r1);
	svg_printf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
		   (f->x.r0 + f->x.r1) / 2, f->h - 6);
	svg_escape(b, c->x_label);
	svg_printf(b, "</text>\n<text transform=\"translate(12 %.1f) rotate(-90)\" "
		   "text-anchor=\"middle\">", (f->y.r0 + f->y.r1) / 2);
	svg_escape(b, c->y_label);
	svg_printf(b, "</text>\n");
}

static void
svg_legend(struct metrics_buf *b, const struct svg_series *s, int n)
{
	double x = SVG_LEFT;
	int i;

	for (i = 0; i < n && s[i].name != NULL; i++) {
		svg_printf(b, "<rect x=\"%.1f\" y=\"24\" width=\"10\" height=\"10\" fill=\"%s\"/>"
			   "<text x=\"%.1f\" y=\"33\">", x, svg_colour[i % SVG_N_COLOURS], x + 13);
		svg_escape(b, s[i].name);
		svg_printf(b, "</text>\n");
		x += 24 + 6.5 * (double)strlen(s[i].name);
	}
}

static void
svg_nodata(struct metrics_buf *b, const struct svg_frame *f)
{
	svg_printf(b, "<text class=\"nodata\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
		   "font-size=\"14\" fill=\"#666666\">no data</text>\n",
		   (f->x.r0 + f->x.r1) / 2, (f->y.r0 + f->y.r1) / 2);
}

/* Range of the values a scale can show (log: > 0 only); false when none. */
static bool
svg_range(const double *v, int n, bool log, double *lo, double *hi)
{
	bool any = false;
	int i;

	for (i = 0; v != NULL && i < n; i++) {
		if (!isfinite(v[i]) || (log && v[i] <= 0))
			continue;
		*lo = any && *lo < v[i] ? *lo : v[i];
		*hi = any && *hi > v[i] ? *hi : v[i];
		any = true;
	}
	return any;
}

/* The y scale over every series' values; false when there is none. */
static bool
svg_y_range(const struct svg_chart *c, const struct svg_series *s, int n, struct svg_frame *f)
{
	double lo = 0, hi = 0, a, z;
	bool any = false;
	int i;

	for (i = 0; i < n; i++) {
		if (!svg_range(s[i].y, s[i].n, c->y_log, &a, &z))
			continue;
		lo = any && lo < a ? lo : a;
		hi = any && hi > z ? hi : z;
		any = true;
	}
	if (!c->y_log && (c->y_from_zero || c->y_max_fixed > 0) && lo > 0)
		lo = 0;
	if (c->y_max_fixed > 0)
		hi = c->y_max_fixed;
	f->n_yt = svg_nice_ticks(&lo, &hi, c->y_log, f->yt, 6);
	f->y.d0 = lo;
	f->y.d1 = hi;
	return any;
}

static int
svg_bars(struct metrics_buf *b, const struct svg_frame *f, int n_cat,
	 const struct svg_series *s, int n_series)
{
	double band = (f->x.r1 - f->x.r0) / n_cat, bw = band * 0.8 / n_series;
	char num[32];
	int c, k, marks = 0;

	for (c = 0; c < n_cat; c++) {
		for (k = 0; k < n_series; k++) {
			double v = c < s[k].n ? s[k].y[c] : NAN, top, x;

			if (!isfinite(v) || (f->y.log && v <= 0))
				continue;
			top = svg_scale_map(&f->y, v);
			x = f->x.r0 + c * band + band * 0.1 + k * bw;
			svg_fmt_num(num, sizeof(num), v);
			svg_printf(b, "<rect class=\"d\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
				   "height=\"%.1f\" fill=\"%s\"><title>%s</title></rect>\n",
				   x, top, bw * 0.92, f->y.r0 - top,
				   svg_colour[k % SVG_N_COLOURS], num);
			if (n_series == 1)
				svg_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
					   "%s</text>\n", x + bw / 2, top - 3, num);
			marks++;
		}
	}
	return marks;
}

int
svg_bar_chart(struct metrics_buf *b, const struct svg_chart *c,
	      const char *const *cat, int n_cat, const struct svg_series *s, int n_series)
{
	struct svg_frame f;
	int i, marks = 0;
	bool any;

	svg_begin(b, c, &f);
	any = n_cat > 0 && n_series > 0 && svg_y_range(c, s, n_series, &f);
	if (!any)
		f.n_yt = 0;
	svg_axes(b, c, &f);
	for (i = 0; i < n_cat; i++) {
		double band = (f.x.r1 - f.x.r0) / n_cat;

		svg_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
			   f.x.r0 + (i + 0.5) * band, f.y.r0 + 15);
		svg_escape(b, cat[i]);
		svg_printf(b, "</text>\n");
	}
	if (any)
		marks = svg_bars(b, &f, n_cat, s, n_series);
	if (marks == 0)
		svg_nodata(b, &f);
	else if (n_series > 1)
		svg_legend(b, s, n_series);
	svg_printf(b, "</svg>\n");
	return marks;
}

/* The x axis of a line chart: its range over the points with a y, and its ticks. */
static bool
svg_x_axis(struct metrics_buf *b, const struct svg_chart *c, const struct svg_series *s,
	   int n, struct svg_frame *f)
{
	double lo = 0, hi = 0, a, z, t[SVG_MAX_TICKS];
	char num[32];
	bool any = false;
	int i, nt;

	for (i = 0; i < n; i++) {
		if (!svg_range(s[i].x, s[i].n, c->x_log, &a, &z))
			continue;
		lo = any && lo < a ? lo : a;
		hi = any && hi > z ? hi : z;
		any = true;
	}
	if (!any)
		return false;
	nt = svg_nice_ticks(&lo, &hi, c->x_log, t, 8);
	f->x.d0 = lo;
	f->x.d1 = hi;
	for (i = 0; i < nt; i++) {
		double px = svg_scale_map(&f->x, t[i]);

		svg_fmt_num(num, sizeof(num), t[i]);
		svg_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			   "stroke=\"#333333\"/><text x=\"%.1f\" y=\"%.1f\" "
			   "text-anchor=\"middle\">%s</text>\n",
			   px, f->y.r0, px, f->y.r0 + 4, px, f->y.r0 + 16, num);
	}
	return true;
}

/* One series as a path, broken where a value is missing. Returns the points drawn. */
static int
svg_line(struct metrics_buf *b, const struct svg_chart *c, const struct svg_frame *f,
	 const struct svg_series *s, int k)
{
	bool pen = false;
	int i, pts = 0;

	svg_printf(b, "<path class=\"d\" fill=\"none\" stroke-width=\"1.5\" stroke=\"%s\" d=\"",
		   svg_colour[k % SVG_N_COLOURS]);
	for (i = 0; i < s->n; i++) {
		double x = s->x[i], y = s->y[i], px, py;

		if (!isfinite(x) || !isfinite(y) || (c->x_log && x <= 0) ||
		    (c->y_log && y <= 0)) {
			pen = false;
			continue;
		}
		px = svg_scale_map(&f->x, x);
		py = svg_scale_map(&f->y, y);
		if (!pen)
			svg_printf(b, "M%.1f %.1f", px, py);
		else if (c->step)
			svg_printf(b, "H%.1fV%.1f", px, py);
		else
			svg_printf(b, "L%.1f %.1f", px, py);
		pen = true;
		pts++;
	}
	svg_printf(b, "\"/>\n");
	return pts;
}

int
svg_line_chart(struct metrics_buf *b, const struct svg_chart *c,
	       const struct svg_series *s, int n_series)
{
	struct svg_frame f;
	int k, marks = 0;
	bool any;

	svg_begin(b, c, &f);
	any = n_series > 0 && svg_y_range(c, s, n_series, &f);
	if (!any)
		f.n_yt = 0;
	svg_axes(b, c, &f);
	any = any && svg_x_axis(b, c, s, n_series, &f);
	for (k = 0; any && k < n_series; k++)
		if (s[k].x != NULL && s[k].y != NULL)
			marks += svg_line(b, c, &f, &s[k], k);
	if (marks == 0)
		svg_nodata(b, &f);
	else if (n_series > 1 || s[0].name != NULL)
		svg_legend(b, s, n_series);
	svg_printf(b, "</svg>\n");
	return marks;
}
