/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "mp_time.h"
#include "mp_tscal.h"

void
tscal_init(struct tscal *c, uint64_t tsc_hz, uint64_t window_tsc)
{
	memset(c, 0, sizeof(*c));
	c->tsc_hz = tsc_hz;
	c->mult_nom = (uint64_t)((((unsigned __int128)tsc_hz << 32) +
				  MP_NS_PER_S / 2) / MP_NS_PER_S);
	c->mult = c->mult_nom;
	c->slot_tsc = window_tsc / TSCAL_SLOTS > 0 ? window_tsc / TSCAL_SLOTS : 1;
	c->step_tsc = (uint64_t)((unsigned __int128)tsc_hz * TSCAL_STEP_NS /
				 MP_NS_PER_S);
	c->max_lag_tsc = c->step_tsc;
}

/* tsc_after - line(dev_ns): how far a point lies over the current line. */
static int64_t
tscal_res(const struct tscal *c, const struct tscal_pt *p)
{
	return (int64_t)(p->tsc - tscal_to_tsc(c, p->ns));
}

static const struct tscal_pt *
tscal_pt_at(const struct tscal *c, unsigned int i)
{
	return &c->pts[(c->head + TSCAL_NPTS - c->n + i) % TSCAL_NPTS];
}

static void
tscal_push(struct tscal *c, const struct tscal_pt *p)
{
	c->pts[c->head] = *p;
	c->head = (c->head + 1) % TSCAL_NPTS;
	if (c->n < TSCAL_NPTS)
		c->n++;
}

static void
tscal_line(struct tscal *c, const struct tscal_pt *base, double slope)
{
	double nom = (double)c->tsc_hz / (double)MP_NS_PER_S;

	c->base_ns = base->ns;
	c->base_tsc = base->tsc;
	c->mult = (uint64_t)(slope * 4294967296.0 + 0.5);
	c->ppm = (nom / slope - 1.0) * 1e6;
}

/* The point of [from, to) that lies lowest under a line of this slope. */
static unsigned int
tscal_lowest(const int64_t *x, const int64_t *y, unsigned int from,
	     unsigned int to, double slope)
{
	unsigned int i, lo = from;

	for (i = from + 1; i < to; i++)
		if ((double)y[i] - slope * (double)x[i] <
		    (double)y[lo] - slope * (double)x[lo])
			lo = i;
	return lo;
}

/*
 * The rate is the slope from the lowest minimum of the older half to the
 * lowest of the newer half (lowest under the slope found so far, three
 * times over); the line then goes through the lowest minimum at that
 * slope, so none lies under it. Far-apart points keep the slope steady:
 * its error is the difference of two heights over half the history.
 * Points are in device time order.
 */
static void
tscal_refit(struct tscal *c)
{
	int64_t x[TSCAL_NPTS], y[TSCAL_NPTS];
	const struct tscal_pt *p0 = tscal_pt_at(c, 0);
	double slope = (double)c->mult / 4294967296.0, sum = 0, r0;
	unsigned int i, a, b, lo, it, half = c->n / 2;

	for (i = 0; i < c->n; i++) {
		const struct tscal_pt *p = tscal_pt_at(c, i);

		x[i] = (int64_t)(p->ns - p0->ns);
		y[i] = (int64_t)(p->tsc - p0->tsc);
	}
	if (c->n < 2) {
		tscal_line(c, p0, (double)c->mult_nom / 4294967296.0);
		c->ppm = 0;
		c->spread_ns = 0;
		c->ready = false;
		return;
	}
	for (it = 0; it < 3; it++) {
		a = tscal_lowest(x, y, 0, half, slope);
		b = tscal_lowest(x, y, half, c->n, slope);
		slope = (double)(y[b] - y[a]) / (double)(x[b] - x[a]);
		if (!(slope > 0)) {
			/* Time runs backwards between minima: no rate. */
			c->ready = false;
			return;
		}
	}
	lo = tscal_lowest(x, y, half, c->n, slope);
	tscal_line(c, tscal_pt_at(c, lo), slope);
	r0 = (double)y[lo] - slope * (double)x[lo];
	for (i = 0; i < c->n; i++)
		sum += (double)y[i] - slope * (double)x[i] - r0;
	c->spread_ns = (int64_t)(sum / c->n * (double)MP_NS_PER_S / (double)c->tsc_hz);
	c->ready = c->n >= TSCAL_SLOTS && !c->pending &&
		   c->ppm <= TSCAL_MAX_PPM && c->ppm >= -TSCAL_MAX_PPM;
}

/* Restart the fit from two minima that agree with each other, not the line. */
static void
tscal_restart(struct tscal *c, const struct tscal_pt *a, const struct tscal_pt *b)
{
	c->n = 0;
	c->head = 0;
	c->pending = false;
	c->steps++;
	tscal_push(c, a);
	tscal_push(c, b);
	tscal_refit(c);
}

/* |p over the nominal line through q| within a step. */
static bool
tscal_agree(const struct tscal *c, const struct tscal_pt *q, const struct tscal_pt *p)
{
	__int128 d = (__int128)(int64_t)(p->ns - q->ns) * (__int128)c->mult_nom;
	int64_t r = (int64_t)(p->tsc - q->tsc - (uint64_t)(int64_t)(d >> 32));

	return p->ns > q->ns && r <= (int64_t)c->step_tsc &&
	       r >= -(int64_t)c->step_tsc;
}

static void
tscal_slot_close(struct tscal *c)
{
	const struct tscal_pt *p = &c->slot_min;
	int64_t r = c->slot_res;
	bool off;

	if (c->n == 0) {
		tscal_push(c, p);
		tscal_refit(c);
		return;
	}
	off = p->ns <= tscal_pt_at(c, c->n - 1)->ns ||
	      r > (int64_t)c->step_tsc || r < -(int64_t)c->step_tsc;
	if (!off) {
		if (c->pending)
			c->outliers++;
		c->pending = false;
		tscal_push(c, p);
		tscal_refit(c);
		return;
	}
	if (c->pending && tscal_agree(c, &c->held, p)) {
		tscal_restart(c, &c->held, p);
		return;
	}
	c->held = *p;
	c->pending = true;
	c->ready = false;
}

void
tscal_sample(struct tscal *c, uint64_t dev_ns, uint64_t tsc_after)
{
	struct tscal_pt p = { .ns = dev_ns, .tsc = tsc_after };
	int64_t r;

	if (dev_ns == 0 || dev_ns == UINT64_MAX) {
		c->rejected++;
		return;
	}
	c->samples++;
	if (!c->have_line) {
		c->have_line = true;
		c->base_ns = dev_ns;
		c->base_tsc = tsc_after;
	}
	if (c->slot_have && tsc_after - c->slot_start >= c->slot_tsc) {
		tscal_slot_close(c);
		c->slot_have = false;
	}
	r = tscal_res(c, &p);
	if (r < 0 && r > -(int64_t)c->step_tsc) {
		/*
		 * Under the line: the line goes down to it, slope kept (the
		 * nominal one through the lowest sample before there is a
		 * rate). This burst and any before it then map no later than
		 * they were read.
		 */
		c->base_ns = dev_ns;
		c->base_tsc = tsc_after;
		c->slot_res -= r;
		r = 0;
	}
	if (!c->slot_have || r < c->slot_res) {
		if (!c->slot_have)
			c->slot_start = tsc_after;
		c->slot_have = true;
		c->slot_min = p;
		c->slot_res = r;
	}
}

double
tscal_ppm(const struct tscal *c)
{
	return c->ppm;
}

int64_t
tscal_spread_ns(const struct tscal *c)
{
	return c->spread_ns;
}
