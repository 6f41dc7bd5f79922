/* SPDX-License-Identifier: BSD-3-Clause */
#include <math.h>
#include <string.h>

#include "avail.h"

uint8_t
avail_classify(uint64_t sent, uint64_t lost)
{
	if (sent == 0)
		return AVAIL_GAP;
	return 2 * lost > sent ? AVAIL_SES : AVAIL_GOOD;
}

/*
 * Whether the AVAIL_RUN seconds with data from i on are all of class want
 * (gaps skipped). Seconds past the end do not count: a run cut short by the
 * end of the data does not change the state.
 */
static int
run_of(const uint8_t *cls, size_t n, size_t i, uint8_t want)
{
	int seen = 0;

	for (; i < n && seen < AVAIL_RUN; i++) {
		if (cls[i] == AVAIL_GAP)
			continue;
		if (cls[i] != want)
			return 0;
		seen++;
	}
	return seen == AVAIL_RUN;
}

void
avail_compute(const uint8_t *cls, size_t n, uint8_t *unavail, struct avail_result *r)
{
	int down = 0;
	size_t i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < n; i++) {
		uint8_t u = 0;

		if (cls[i] == AVAIL_GAP) {
			r->gaps++;
		} else {
			if (!down && cls[i] == AVAIL_SES && run_of(cls, n, i, AVAIL_SES))
				down = 1;
			else if (down && cls[i] == AVAIL_GOOD && run_of(cls, n, i, AVAIL_GOOD))
				down = 0;
			u = (uint8_t)down;
			r->seconds++;
			r->ses += cls[i] == AVAIL_SES;
			r->unavailable += u;
		}
		if (unavail != NULL)
			unavail[i] = u;
	}
	r->availability = r->seconds > 0 ?
		(double)(r->seconds - r->unavailable) / (double)r->seconds : NAN;
}

void
avail_pair(const uint8_t *a, const uint8_t *b, size_t n, uint8_t *scratch,
	   struct avail_pair *p)
{
	uint8_t *ua = scratch, *ub = scratch + n;
	uint64_t up = 0;
	size_t i;

	memset(p, 0, sizeof(*p));
	avail_compute(a, n, ua, &p->a);
	avail_compute(b, n, ub, &p->b);
	for (i = 0; i < n; i++) {
		if (a[i] == AVAIL_GAP || b[i] == AVAIL_GAP)
			continue;
		p->seconds++;
		if (ua[i] && ub[i])
			p->pair_down++;
		else
			up++;
	}
	p->pair = p->seconds > 0 ? (double)up / (double)p->seconds : NAN;
	p->pair_if_independent = 1.0 - (1.0 - p->a.availability) * (1.0 - p->b.availability);
}
