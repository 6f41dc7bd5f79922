/* SPDX-License-Identifier: BSD-3-Clause */
#include <math.h>

#include "fate.h"

static int
known(uint8_t a, uint8_t b)
{
	return a != FATE_UNKNOWN && b != FATE_UNKNOWN;
}

void
fate_table(const uint8_t *a, const uint8_t *b, size_t n, struct fate_table *t)
{
	size_t i;

	*t = (struct fate_table){ 0 };
	for (i = 0; i < n; i++) {
		if (!known(a[i], b[i]))
			t->unknown++;
		else if (a[i] == FATE_IMPAIRED)
			*(b[i] == FATE_IMPAIRED ? &t->n11 : &t->n10) += 1;
		else
			*(b[i] == FATE_IMPAIRED ? &t->n01 : &t->n00) += 1;
	}
}

static double
ratio(double num, double den)
{
	return den > 0 ? num / den : NAN;
}

void
fate_stats(const struct fate_table *t, struct fate_stats *s)
{
	double n11 = (double)t->n11, n10 = (double)t->n10, n01 = (double)t->n01;
	double n00 = (double)t->n00;
	double a1 = n11 + n10, b1 = n11 + n01, a0 = n01 + n00, b0 = n10 + n00;

	s->t = *t;
	s->n = t->n11 + t->n10 + t->n01 + t->n00;
	s->p_b_given_a = ratio(n11, a1);
	s->p_a_given_b = ratio(n11, b1);
	s->lift = ratio(n11 * (double)s->n, a1 * b1);
	s->phi = ratio(n11 * n00 - n10 * n01, sqrt(a1 * b1 * a0 * b0));
	s->fisher_p = fate_fisher_greater(t->n11, s->n, t->n11 + t->n10, t->n11 + t->n01);
}

/* log of C(n, k) */
static double
lchoose(uint64_t n, uint64_t k)
{
	return lgamma((double)n + 1) - lgamma((double)k + 1) - lgamma((double)(n - k) + 1);
}

double
fate_fisher_greater(uint64_t x, uint64_t n, uint64_t ka, uint64_t kb)
{
	uint64_t hi = ka < kb ? ka : kb, lo = ka + kb > n ? ka + kb - n : 0, k;
	double denom, p = 0;

	if (ka > n || kb > n)
		return NAN;
	if (x <= lo)
		return 1.0;
	if (x > hi)
		return 0.0;
	denom = lchoose(n, kb);
	for (k = x; k <= hi; k++)
		p += exp(lchoose(ka, k) + lchoose(n - ka, kb - k) - denom);
	return p > 1.0 ? 1.0 : p;
}

/* Intervals in which a and b shifted by lag (circularly) were both impaired. */
static uint64_t
co_impaired(const uint8_t *a, const uint8_t *b, size_t n, size_t lag)
{
	uint64_t both = 0;
	size_t i;

	/* two straight runs instead of a wrap per element: the compiler vectorizes them */
	for (i = 0; i < n - lag; i++)
		both += (a[i] == FATE_IMPAIRED) & (b[i + lag] == FATE_IMPAIRED);
	for (; i < n; i++)
		both += (a[i] == FATE_IMPAIRED) & (b[i + lag - n] == FATE_IMPAIRED);
	return both;
}

double
fate_shift_p(const uint8_t *a, const uint8_t *b, size_t n, size_t min_lag, size_t *lags)
{
	uint64_t observed, at_least = 0;
	size_t lag, tried = 0, span, k, steps;

	if (min_lag == 0)
		min_lag = 1;
	if (lags != NULL)
		*lags = 0;
	if (n < 2 * min_lag + 1)
		return NAN;
	observed = co_impaired(a, b, n, 0);
	span = n - 2 * min_lag + 1;		/* lags min_lag .. n - min_lag */
	steps = span < FATE_SHIFT_LAGS_MAX ? span : FATE_SHIFT_LAGS_MAX;
	for (k = 0; k < steps; k++, tried++) {
		/* evenly spread over the span when it has more lags than that */
		lag = min_lag + (size_t)((uint64_t)k * span / steps);
		at_least += co_impaired(a, b, n, lag) >= observed;
	}
	if (lags != NULL)
		*lags = tried;
	return (1.0 + (double)at_least) / (1.0 + (double)tried);
}

size_t
fate_episodes(const uint8_t *a, const uint8_t *b, size_t n, struct fate_episode *out,
	      size_t max)
{
	size_t i, found = 0;

	for (i = 0; i < n; i++) {
		size_t first = i;

		if (a[i] != FATE_IMPAIRED || b[i] != FATE_IMPAIRED)
			continue;
		while (i + 1 < n && a[i + 1] == FATE_IMPAIRED && b[i + 1] == FATE_IMPAIRED)
			i++;
		if (out != NULL && found < max)
			out[found] = (struct fate_episode){ .first = first, .count = i - first + 1 };
		found++;
	}
	return found;
}
