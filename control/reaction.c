/* SPDX-License-Identifier: BSD-3-Clause */
#include <math.h>
#include <string.h>

#include "reaction.h"

const char *const react_type_name[REACT_TYPES] = {
	"immediate", "consecutive", "xofy", "average",
};

void
react_init(struct react *r, const struct react_cfg *c)
{
	memset(r, 0, sizeof(*r));
	r->c = *c;
}

bool
react_violates(const struct react_cfg *c, double v)
{
	return c->low_is_bad ? v < c->rising : v > c->rising;
}

bool
react_inside(const struct react_cfg *c, double v)
{
	return c->low_is_bad ? v >= c->falling : v <= c->falling;
}

/* The k newest samples (k <= held), newest first. */
static double
newest(const struct react *r, unsigned k)
{
	return r->v[(r->pos + REACT_HISTORY - 1 - k) % REACT_HISTORY];
}

/* How many of the newest k samples satisfy pred; -1 when fewer than k are held. */
static int
count_of(const struct react *r, unsigned k, bool (*pred)(const struct react_cfg *, double))
{
	unsigned i;
	int c = 0;

	if (k > r->n)
		return -1;
	for (i = 0; i < k; i++)
		c += pred(&r->c, newest(r, i));
	return c;
}

int
react_step(struct react *r, double v)
{
	unsigned n = r->c.n > 0 ? r->c.n : 1, y = r->c.y > 0 ? r->c.y : 5;
	bool raise = false, clear = false;
	double avg = 0;
	unsigned i;

	if (isnan(v))
		return 0;
	r->v[r->pos] = v;
	r->pos = (uint8_t)((r->pos + 1) % REACT_HISTORY);
	if (r->n < REACT_HISTORY)
		r->n++;
	switch (r->c.type) {
	case REACT_IMMEDIATE:
		raise = react_violates(&r->c, v);
		clear = react_inside(&r->c, v);
		break;
	case REACT_CONSECUTIVE:
		raise = count_of(r, n, react_violates) == (int)n;
		clear = count_of(r, n, react_inside) == (int)n;
		break;
	case REACT_XOFY:
		/* X of what is held until Y samples are */
		y = y < r->n ? y : r->n;
		raise = count_of(r, y, react_violates) >= (int)n;
		clear = count_of(r, y, react_inside) >= (int)n;
		break;
	case REACT_AVERAGE:
		if (n > r->n)
			return 0;
		for (i = 0; i < n; i++)
			avg += newest(r, i);
		avg /= n;
		raise = react_violates(&r->c, avg);
		clear = react_inside(&r->c, avg);
		break;
	default:
		return 0;
	}
	if (!r->raised && raise) {
		r->raised = true;
		return 1;
	}
	if (r->raised && clear) {
		r->raised = false;
		return -1;
	}
	return 0;
}
