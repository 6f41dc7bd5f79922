/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Availability as ITU-T Y.1563/Y.1564 define it, from per-second loss:
 * a second with more than half of its probes lost is severely errored
 * (SES); unavailable time begins with 10 SES in a row (those 10 are
 * unavailable) and ends with 10 non-SES seconds in a row (those 10 are
 * available again). A second without data (no probe sent: the prober was
 * down) is a gap: it is neither, it is left out of both totals, and it
 * does not break a run. Pure: no I/O, no allocation.
 */
#ifndef MP_AVAIL_H
#define MP_AVAIL_H

#include <stddef.h>
#include <stdint.h>

#define AVAIL_RUN	10	/* seconds in a row that change the state */

enum avail_second {
	AVAIL_GOOD = 0,		/* loss at most half */
	AVAIL_SES = 1,		/* severely errored */
	AVAIL_GAP = 2,		/* no data */
};

/* The class of one second: sent probes and how many of them were lost. */
uint8_t avail_classify(uint64_t sent, uint64_t lost);

struct avail_result {
	uint64_t seconds;	/* with data */
	uint64_t ses;
	uint64_t unavailable;	/* seconds */
	uint64_t gaps;
	double availability;	/* (seconds - unavailable) / seconds; NAN without data */
};

/*
 * Walk n seconds of classes; unavail (may be NULL) gets 1 for each
 * unavailable second, 0 otherwise (a gap: 0, and not counted).
 */
void avail_compute(const uint8_t *cls, size_t n, uint8_t *unavail, struct avail_result *r);

struct avail_pair {
	struct avail_result a, b;
	uint64_t seconds;		/* with data on both */
	uint64_t pair_down;		/* seconds both unavailable */
	double pair;			/* the pair is available while one link is */
	double pair_if_independent;	/* 1 - (1 - A_a)(1 - A_b) */
};

/*
 * Both links' availability and the pair's, from each link's per-second
 * classes (n seconds, aligned). scratch: 2n bytes.
 */
void avail_pair(const uint8_t *a, const uint8_t *b, size_t n, uint8_t *scratch,
		struct avail_pair *p);

#endif
