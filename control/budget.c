/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "budget.h"

const struct budget_tier budget_tiers[BUDGET_TIERS] = {
	{ 3600, 300, 14.4 },
	{ 6 * 3600, 1800, 6.0 },
	{ 3 * 86400, 6 * 3600, 1.0 },
};

void
budget_init(struct budget *b, double target, uint32_t period_s)
{
	memset(b, 0, sizeof(*b));
	b->target = target;
	b->period_s = period_s;
	b->min_cur = -1;
	b->hour_cur = -1;
}

/* Move a ring of n slots to slot number idx, emptying the ones it passes. */
static void
roll(struct budget_slot *ring, uint32_t n, int64_t *cur, int64_t idx)
{
	int64_t k = *cur + 1;

	if (idx <= *cur)
		return;
	if (*cur < 0)
		k = idx;		/* the others are empty already */
	else if (idx - *cur >= (int64_t)n)
		k = idx - (int64_t)n + 1;
	for (; k <= idx; k++)
		memset(&ring[(uint64_t)k % n], 0, sizeof(*ring));
	*cur = idx;
}

static void
count(struct budget_slot *s, bool ok)
{
	s->judged++;
	s->bad += !ok;
}

void
budget_add(struct budget *b, int64_t t, bool ok)
{
	if (t < 0)
		t = 0;
	roll(b->min, BUDGET_MIN_SLOTS, &b->min_cur, t / 60);
	roll(b->hour, BUDGET_HOUR_SLOTS, &b->hour_cur, t / 3600);
	count(&b->min[(uint64_t)b->min_cur % BUDGET_MIN_SLOTS], ok);
	count(&b->hour[(uint64_t)b->hour_cur % BUDGET_HOUR_SLOTS], ok);
}

/* The current slot and the k - 1 whole ones before it (a window of k slots). */
static void
sum(const struct budget_slot *ring, uint32_t n, int64_t cur, uint32_t k, uint64_t *bad,
    uint64_t *judged)
{
	uint32_t i;

	*bad = *judged = 0;
	if (cur < 0)
		return;
	if (k > n)
		k = n;
	for (i = 0; i < k && (int64_t)i <= cur; i++) {
		const struct budget_slot *s = &ring[(uint64_t)(cur - i) % n];

		*bad += s->bad;
		*judged += s->judged;
	}
}

void
budget_count(const struct budget *b, uint32_t window_s, uint64_t *bad, uint64_t *judged)
{
	if (window_s <= 6 * 3600)
		sum(b->min, BUDGET_MIN_SLOTS, b->min_cur, window_s / 60, bad, judged);
	else
		sum(b->hour, BUDGET_HOUR_SLOTS, b->hour_cur, window_s / 3600, bad, judged);
}

double
budget_remaining(const struct budget *b)
{
	double allowed = (1.0 - b->target) * (double)b->period_s;
	uint64_t bad, judged;

	budget_count(b, b->period_s, &bad, &judged);
	if (allowed <= 0)
		return bad > 0 ? 0.0 : 1.0;
	return 1.0 - (double)bad / allowed;
}

double
budget_burn(const struct budget *b, uint32_t window_s)
{
	uint64_t bad, judged;

	budget_count(b, window_s, &bad, &judged);
	if (judged == 0 || b->target >= 1.0)
		return 0.0;
	return (double)bad / (double)judged / (1.0 - b->target);
}

bool
budget_alert(const struct budget *b, int tier)
{
	const struct budget_tier *t = &budget_tiers[tier];

	return budget_burn(b, t->long_s) > t->rate && budget_burn(b, t->short_s) > t->rate;
}
