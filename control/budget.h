/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An SLA objective's error budget: the objective is judged once a second
 * (ok or not; a second without a judgement counts for neither), and the
 * objective's target says which fraction of the seconds it must hold over
 * the SLO period (default 0.999 of 30 days). The budget is the bad time
 * the period allows, (1 - target) * period; what is left of it is
 * 1 - bad seconds in the last period / that (below 0 once overspent).
 *
 * Burn rate over a window (the SRE workbook, ch. 5): the window's bad
 * fraction over the fraction the target allows, (bad / judged) /
 * (1 - target): 1 spends the budget exactly in one period. The workbook's
 * multi-window alerts fire when both the long and the short window burn
 * above the tier's rate: 1 h and 5 min above 14.4 (2% of a 30-day budget
 * in an hour), 6 h and 30 min above 6 (5% in 6 h), 3 days and 6 h above 1
 * (10% in 3 days).
 *
 * Constant memory: minute slots for the last 6 hours and hour slots for
 * the last 30 days (a window is the current, partial, slot and the whole
 * ones before it up to its length: 1 h is the current minute and the 59
 * before; longer than 6 h, hours).
 * 4,352 bytes per objective (the unit test checks it). Pure: no I/O.
 */
#ifndef MP_BUDGET_H
#define MP_BUDGET_H

#include <stdbool.h>
#include <stdint.h>

#define BUDGET_MIN_SLOTS	360	/* 6 h of minutes, the current one included */
#define BUDGET_HOUR_SLOTS	720	/* 30 days of hours, the current one included */
#define BUDGET_TIERS		3

struct budget_slot {
	uint16_t bad, judged;	/* seconds */
};

struct budget {
	double target;			/* fraction of judged seconds that must be ok */
	uint32_t period_s;		/* the SLO period (at most 30 days) */
	int64_t min_cur, hour_cur;	/* the current slots' numbers; -1 none */
	struct budget_slot min[BUDGET_MIN_SLOTS];
	struct budget_slot hour[BUDGET_HOUR_SLOTS];
};

/* The workbook's tiers: long window, short window, burn-rate threshold. */
struct budget_tier {
	uint32_t long_s, short_s;
	double rate;
};
extern const struct budget_tier budget_tiers[BUDGET_TIERS];

void budget_init(struct budget *b, double target, uint32_t period_s);
/* The judgement of unix second t (t after the last one; older ones count in the current slot). */
void budget_add(struct budget *b, int64_t t, bool ok);
/* Bad and judged seconds in the last window_s seconds (a whole number of minutes or hours). */
void budget_count(const struct budget *b, uint32_t window_s, uint64_t *bad, uint64_t *judged);
/* 1 - bad / ((1 - target) * period) over the last period. */
double budget_remaining(const struct budget *b);
/* (bad / judged) / (1 - target) over the last window_s; 0 with nothing judged. */
double budget_burn(const struct budget *b, uint32_t window_s);
/* Tier i's alert: both its windows burn above its rate. */
bool budget_alert(const struct budget *b, int tier);

#endif
