/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Threshold reactions as Cisco IP SLA does them (CISCO-RTTMON-MIB's
 * threshold types), on one measured value sampled once per evaluation
 * period (the SLA sink samples every objective once a second):
 *
 *   immediate       raise on a violating sample, clear on a sample back inside;
 *   consecutive N   raise after N violations in a row, clear after N inside in a row;
 *   xofy X Y        raise when X of the last Y violate, clear when X of the last Y are inside;
 *   average N       raise and clear on the average of the last N samples.
 *
 * With rising and falling thresholds (Cisco's threshold-value UPPER LOWER):
 * a sample violates beyond the rising one and is inside only beyond the
 * falling one on the good side, so a raised alarm clears, and re-arms,
 * only after the value has come back past the falling threshold. Samples
 * between the two are neither. For a metric where low is bad
 * (availability) both comparisons turn round. A NaN sample (no data) is
 * not a sample. Pure: no I/O.
 */
#ifndef MP_REACTION_H
#define MP_REACTION_H

#include <stdbool.h>
#include <stdint.h>

#define REACT_HISTORY	16	/* Cisco's Y and N are 1..16 */

enum react_type { REACT_IMMEDIATE, REACT_CONSECUTIVE, REACT_XOFY, REACT_AVERAGE, REACT_TYPES };

struct react_cfg {
	enum react_type type;
	uint8_t n;		/* consecutive N, average N, xofy X */
	uint8_t y;		/* xofy Y */
	bool low_is_bad;	/* availability: violating below rising */
	double rising;		/* the objective's threshold */
	double falling;		/* back inside past this one (== rising: no hysteresis) */
};

struct react {
	struct react_cfg c;
	bool raised;
	uint8_t n, pos;		/* samples held, the next one's place */
	double v[REACT_HISTORY];
};

extern const char *const react_type_name[REACT_TYPES];	/* "immediate", ... */

void react_init(struct react *r, const struct react_cfg *c);
/* One sample: +1 raised by it, -1 cleared by it, 0 no change. */
int react_step(struct react *r, double v);
/* Whether v violates the rising threshold, and whether it is inside the falling one. */
bool react_violates(const struct react_cfg *c, double v);
bool react_inside(const struct react_cfg *c, double v);

#endif
