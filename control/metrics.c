/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Prometheus text format writer (metrics.h).
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

static bool
metrics_reserve(struct metrics_buf *b, size_t more)
{
	size_t cap;
	char *p;

	if (b->oom)
		return false;
	if (b->len + more + 1 <= b->cap)
		return true;
	cap = b->cap != 0 ? b->cap : 4096;
	while (cap < b->len + more + 1)
		cap *= 2;
	p = realloc(b->p, cap);
	if (p == NULL) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

static void
metrics_put(struct metrics_buf *b, const char *s, size_t n)
{
	if (!metrics_reserve(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
metrics_puts(struct metrics_buf *b, const char *s)
{
	metrics_put(b, s, strlen(s));
}

void
metrics_buf_append(struct metrics_buf *b, const char *s)
{
	metrics_puts(b, s);
}

void
metrics_buf_reset(struct metrics_buf *b)
{
	b->len = 0;
	b->oom = false;
	if (b->p != NULL)
		b->p[0] = '\0';
}

void
metrics_buf_free(struct metrics_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

void
metrics_label(struct metrics_labels *l, const char *name, const char *value)
{
	if (l->n >= 8)
		return;
	l->name[l->n] = name;
	l->value[l->n++] = value != NULL ? value : "";
}

void
metrics_escape(struct metrics_buf *b, const char *v, bool escape_quote)
{
	const char *run = v;

	for (; *v != '\0'; v++) {
		const char *esc = NULL;

		if (*v == '\\')
			esc = "\\\\";
		else if (*v == '\n')
			esc = "\\n";
		else if (*v == '"' && escape_quote)
			esc = "\\\"";
		if (esc == NULL)
			continue;
		metrics_put(b, run, (size_t)(v - run));
		metrics_puts(b, esc);
		run = v + 1;
	}
	metrics_put(b, run, (size_t)(v - run));
}

void
metrics_family(struct metrics_buf *b, const char *name, const char *type, const char *help)
{
	metrics_puts(b, "# HELP ");
	metrics_puts(b, name);
	metrics_puts(b, " ");
	metrics_escape(b, help, false);
	metrics_puts(b, "\n# TYPE ");
	metrics_puts(b, name);
	metrics_puts(b, " ");
	metrics_puts(b, type);
	metrics_puts(b, "\n");
}

char *
metrics_fmt_double(double v, char *out, size_t len)
{
	double a = fabs(v);
	int p;

	if (isnan(v))
		snprintf(out, len, "NaN");
	else if (isinf(v))
		snprintf(out, len, v > 0 ? "+Inf" : "-Inf");
	else if (v == 0.0)
		snprintf(out, len, "0");
	else if (a >= 1e-9 && a < 1e15) {
		/* the fewest decimals that read back exactly; 26 always do here */
		for (p = 0; p <= 26; p++) {
			snprintf(out, len, "%.*f", p, v);
			if (strtod(out, NULL) == v)
				break;
		}
	} else {
		for (p = 1; p <= 17; p++) {
			snprintf(out, len, "%.*g", p, v);
			if (strtod(out, NULL) == v)
				break;
		}
	}
	return out;
}

/* name{a="x",b="y"} with the extra pair (le) last when extra_name is set. */
static void
metrics_series(struct metrics_buf *b, const char *name, const struct metrics_labels *l,
	       const char *extra_name, const char *extra_value)
{
	int i, n = l != NULL ? l->n : 0;

	metrics_puts(b, name);
	if (n == 0 && extra_name == NULL)
		return;
	metrics_puts(b, "{");
	for (i = 0; i < n; i++) {
		metrics_puts(b, i > 0 ? "," : "");
		metrics_puts(b, l->name[i]);
		metrics_puts(b, "=\"");
		metrics_escape(b, l->value[i], true);
		metrics_puts(b, "\"");
	}
	if (extra_name != NULL) {
		metrics_puts(b, n > 0 ? "," : "");
		metrics_puts(b, extra_name);
		metrics_puts(b, "=\"");
		metrics_escape(b, extra_value, true);
		metrics_puts(b, "\"");
	}
	metrics_puts(b, "}");
}

static void
metrics_value_u64(struct metrics_buf *b, uint64_t v)
{
	char num[32];

	snprintf(num, sizeof(num), " %" PRIu64 "\n", v);
	metrics_puts(b, num);
}

void
metrics_u64(struct metrics_buf *b, const char *name, const struct metrics_labels *l, uint64_t v)
{
	metrics_series(b, name, l, NULL, NULL);
	metrics_value_u64(b, v);
}

void
metrics_double(struct metrics_buf *b, const char *name, const struct metrics_labels *l, double v)
{
	char num[64];

	metrics_series(b, name, l, NULL, NULL);
	metrics_puts(b, " ");
	metrics_puts(b, metrics_fmt_double(v, num, sizeof(num)));
	metrics_puts(b, "\n");
}

void
metrics_histogram(struct metrics_buf *b, const char *name, const struct metrics_labels *l,
		  int n, const double *edges, const uint64_t *cum, uint64_t count, double sum)
{
	char series[128], le[64];
	int i;

	snprintf(series, sizeof(series), "%s_bucket", name);
	for (i = 0; i < n; i++) {
		metrics_series(b, series, l, "le", metrics_fmt_double(edges[i], le, sizeof(le)));
		metrics_value_u64(b, cum[i]);
	}
	metrics_series(b, series, l, "le", "+Inf");
	metrics_value_u64(b, count);
	snprintf(series, sizeof(series), "%s_sum", name);
	metrics_double(b, series, l, sum);
	snprintf(series, sizeof(series), "%s_count", name);
	metrics_u64(b, series, l, count);
}
