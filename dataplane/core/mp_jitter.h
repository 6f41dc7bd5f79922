/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 3550 section 6.4.1 interarrival jitter, applied to round-trip (or
 * one-way) transit times in ns: J += (|D| - J) / 16, kept as 16 * J in an
 * integer so the fast path needs neither floating point nor division.
 */
#ifndef MP_JITTER_H
#define MP_JITTER_H

#include <stdint.h>
#include <stdbool.h>

struct jitter {
	uint64_t last_ns;
	uint64_t j_x16;		/* 16 * J, in ns */
	bool have_last;
};

static inline void
jitter_reset(struct jitter *j)
{
	j->last_ns = 0;
	j->j_x16 = 0;
	j->have_last = false;
}

static inline void
jitter_add(struct jitter *j, uint64_t transit_ns)
{
	uint64_t d;

	if (j->have_last) {
		d = transit_ns > j->last_ns ? transit_ns - j->last_ns :
					      j->last_ns - transit_ns;
		/* J_x16 += |D| - J, with J = J_x16 / 16 rounded */
		j->j_x16 = j->j_x16 + d - ((j->j_x16 + 8) >> 4);
	}
	j->last_ns = transit_ns;
	j->have_last = true;
}

/* The same as jitter_add() of v[0..n) in order, with the state in registers. */
static inline void
jitter_add_burst(struct jitter *j, const uint64_t *v, unsigned n)
{
	uint64_t last = j->last_ns, jx = j->j_x16;
	bool have = j->have_last;
	unsigned i;

	for (i = 0; i < n; i++) {
		uint64_t t = v[i];

		if (have) {
			uint64_t d = t > last ? t - last : last - t;

			jx = jx + d - ((jx + 8) >> 4);
		}
		last = t;
		have = true;
	}
	j->last_ns = last;
	j->j_x16 = jx;
	j->have_last = have;
}

static inline uint64_t
jitter_ns(const struct jitter *j)
{
	return (j->j_x16 + 8) >> 4;
}

#endif
