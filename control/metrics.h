/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Prometheus text exposition format, version 0.0.4, written into a
 * growing buffer: families with HELP and TYPE, samples with escaped labels,
 * counters as exact integers, gauges as the shortest text that reads back
 * to the same double (fixed-point, not 5e-05, so that an `le` label is the
 * same string in every scrape and in a rule), classic histograms with
 * cumulative buckets ending at le="+Inf", and NaN / +Inf / -Inf as
 * Prometheus spells them. Pure: no I/O.
 */
#ifndef MP_METRICS_H
#define MP_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define METRICS_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

/* The text so far; oom is set (and stays) when a growth failed. */
struct metrics_buf {
	char *p;
	size_t len, cap;
	bool oom;
};

/* Label pairs of one sample: n names and their values. */
struct metrics_labels {
	int n;
	const char *name[8];
	const char *value[8];
};

void metrics_buf_reset(struct metrics_buf *b);	/* len 0, memory kept */
void metrics_buf_free(struct metrics_buf *b);
/* Append s as it is. */
void metrics_buf_append(struct metrics_buf *b, const char *s);

/* Append label name=value to l (at most 8; more are dropped). */
void metrics_label(struct metrics_labels *l, const char *name, const char *value);

/* # HELP and # TYPE lines; type is "counter", "gauge", "histogram" or "untyped". */
void metrics_family(struct metrics_buf *b, const char *name, const char *type, const char *help);
/* name{labels} v, v an exact integer (counters, counts). l may be NULL. */
void metrics_u64(struct metrics_buf *b, const char *name, const struct metrics_labels *l,
		 uint64_t v);
/* name{labels} v, v any double (gauges, ratios, seconds). l may be NULL. */
void metrics_double(struct metrics_buf *b, const char *name, const struct metrics_labels *l,
		    double v);
/*
 * One classic histogram's samples (after its family line): name_bucket
 * with le for each of the n edges (ascending, seconds) and cum[i] samples
 * at or below edges[i], then le="+Inf" with count, name_sum and
 * name_count. l (may be NULL) must leave room for le.
 */
void metrics_histogram(struct metrics_buf *b, const char *name, const struct metrics_labels *l,
		       int n, const double *edges, const uint64_t *cum, uint64_t count,
		       double sum);

/*
 * A double as exposition text: "NaN", "+Inf", "-Inf", else the shortest
 * fixed-point text that reads back to v (exponent form only outside
 * 1e-9 .. 1e15). Returns out.
 */
char *metrics_fmt_double(double v, char *out, size_t len);
/* v with \ " and newline escaped as a label value (escape_help: \ and newline only). */
void metrics_escape(struct metrics_buf *b, const char *v, bool escape_quote);

#endif
