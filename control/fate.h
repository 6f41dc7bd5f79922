/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared fate of two links from their per-interval impairment series:
 * the 2x2 table, P(B | A) and P(A | B), lift, phi, the one-sided Fisher
 * exact test, and a time-shift null that, unlike Fisher, does not assume
 * that intervals are independent (impairments come in bursts), and the
 * co-impairment episodes. Pure: no I/O, no allocation.
 *
 * A series holds one state per interval: FATE_OK, FATE_IMPAIRED, or
 * FATE_UNKNOWN (no data for that link: a gap, never "not impaired").
 * An interval counts only where both links are known.
 */
#ifndef MP_FATE_H
#define MP_FATE_H

#include <stddef.h>
#include <stdint.h>

enum fate_state {
	FATE_OK = 0,
	FATE_IMPAIRED = 1,
	FATE_UNKNOWN = 2,
};

struct fate_table {
	uint64_t n11;			/* both impaired */
	uint64_t n10;			/* a impaired, b not */
	uint64_t n01;			/* b impaired, a not */
	uint64_t n00;			/* neither */
	uint64_t unknown;		/* intervals left out: a or b unknown */
};

struct fate_stats {
	struct fate_table t;
	uint64_t n;			/* n11 + n10 + n01 + n00 */
	/* NAN where undefined (a margin is 0) */
	double p_b_given_a;		/* n11 / (n11 + n10) */
	double p_a_given_b;		/* n11 / (n11 + n01) */
	double lift;			/* n11 n / ((n11 + n10)(n11 + n01)) */
	double phi;			/* (n11 n00 - n10 n01) / sqrt(product of the margins) */
	double fisher_p;		/* P(X >= n11) under independence with these margins */
};

struct fate_episode {
	size_t first;			/* index of the first interval both were impaired */
	size_t count;			/* intervals in a row (an unknown interval ends it) */
};

/* The 2x2 table of two series of n intervals. */
void fate_table(const uint8_t *a, const uint8_t *b, size_t n, struct fate_table *t);
/* Everything that follows from a table. */
void fate_stats(const struct fate_table *t, struct fate_stats *s);
/*
 * One-sided Fisher exact test: P(X >= x) for X hypergeometric, the number
 * of both-impaired intervals among n when a is impaired in ka and b in kb
 * of them, drawn independently. 1.0 when x is 0; exact sums in log space.
 */
double fate_fisher_greater(uint64_t x, uint64_t n, uint64_t ka, uint64_t kb);
/*
 * Lags the time-shift null tries at most: its cost is lags x n (a day of
 * 100 ms windows: 864000), and a p-value resolved to 0.001 is enough to
 * compare with 0.05.
 */
#define FATE_SHIFT_LAGS_MAX	999

/*
 * Time-shift null: shift b circularly against a by every lag in
 * [min_lag, n - min_lag] (FATE_SHIFT_LAGS_MAX of them evenly spread when
 * there are more) and count the lags whose co-impaired count
 * (intervals known on both) is at least the observed one. Returns
 * (1 + that count) / (1 + lags), the p-value of "this much co-impairment
 * by chance, keeping each series' own burstiness"; NAN when no lag fits.
 * *lags (may be NULL) gets the number of lags tried.
 */
double fate_shift_p(const uint8_t *a, const uint8_t *b, size_t n, size_t min_lag, size_t *lags);
/*
 * Runs of intervals in which both links were impaired, in order, at most
 * max of them into out (may be NULL). Returns how many there are.
 */
size_t fate_episodes(const uint8_t *a, const uint8_t *b, size_t n, struct fate_episode *out,
		     size_t max);

#endif
