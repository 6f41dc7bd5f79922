/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Device RX timestamps calibrated against the TSC.
 *
 * A NIC (or PMD) stamps each frame with its own clock: nanoseconds in an
 * epoch of its own, running up to a few hundred ppm off the TSC. tscal maps
 * that time onto TSC cycles from the traffic itself. For every burst the
 * caller gives the device time of the burst's last frame and the TSC read
 * right after rx_burst returned. The burst was stamped before it was read, so
 *
 *	tsc_after - tsc(dev_ns) = receive latency >= its minimum,
 *
 * and the lowest points of (dev_ns, tsc_after) lie on the line we want,
 * raised by the minimum receive latency only. A software stamp includes that
 * minimum too, at its best, so the mapped time is no later than the software
 * one and drops its variable part (ring wait, burst position, polling).
 *
 * Each window is cut into TSCAL_SLOTS slots; the sample of a slot that lies
 * lowest under the current line is kept, the last TSCAL_NPTS of them (at
 * low rates every burst is a slot of its own). At each slot's end the rate
 * is the slope from the lowest kept minimum of the older half to the lowest
 * of the newer half, and the line goes through them: no kept minimum lies
 * under it, latency outliers upwards cost nothing, and both offset and rate
 * are followed. Between slot ends a burst that lies under the line (by
 * less than a step) lowers it, slope kept, so a burst never maps later than
 * it was read. A device clock step smaller than TSCAL_STEP_NS is not told
 * from drift: it is followed as the history renews. Before two
 * minima exist the line has the nominal slope (tsc_hz / 1e9) through the
 * lowest sample seen.
 *
 * A slot minimum further than TSCAL_STEP_NS from the line is held back; when
 * the next slot minimum agrees with it, the device clock stepped: the fit
 * restarts from those two (`steps`). When the next one agrees with the old
 * line instead, the held one was garbage and is dropped (`outliers`). Device
 * times 0 and UINT64_MAX (no stamp) are not used (`rejected`).
 *
 * Per burst tscal_sample() costs one multiply and a compare; per frame
 * tscal_to_tsc() one 64x64->128 multiply and a shift. Division and floating
 * point only when a slot closes.
 */
#ifndef MP_TSCAL_H
#define MP_TSCAL_H

#include <stdbool.h>
#include <stdint.h>

#define TSCAL_SLOTS	8		/* minima per window */
#define TSCAL_NPTS	64		/* minima kept for the fit: 8 windows */
#define TSCAL_STEP_NS	1000000u	/* a minimum this far off the line: a step */
/*
 * Rate fitted beyond this: not ready. The rate is against the nominal
 * tsc_hz, whose own error adds to the device's: rte_get_tsc_hz() on a VM
 * was seen 1486 ppm off the TSC's real rate (2.6 GHz from CPUID, 2596.134
 * MHz measured).
 */
#define TSCAL_MAX_PPM	5000

struct tscal_pt {
	uint64_t ns;		/* device time */
	uint64_t tsc;		/* TSC read after the burst */
};

struct tscal {
	/* The mapping: tsc = base_tsc + (dev_ns - base_ns) * mult >> 32. */
	uint64_t base_ns;
	uint64_t base_tsc;
	uint64_t mult;		/* TSC cycles per device ns, << 32 */
	bool ready;		/* a full window fitted, no step pending, rate sane */
	bool pending;		/* a slot minimum off the line waits for the next */
	/* Mapped times further than this before tsc_after are not used. */
	uint64_t max_lag_tsc;	/* TSCAL_STEP_NS to start with */

	uint64_t tsc_hz;
	uint64_t mult_nom;	/* nominal cycles per ns, << 32 */
	uint64_t slot_tsc;
	uint64_t step_tsc;

	bool have_line;
	bool slot_have;
	uint64_t slot_start;	/* TSC of the slot's first sample */
	int64_t slot_res;	/* lowest tsc_after - line(dev_ns) in the slot */
	struct tscal_pt slot_min;
	struct tscal_pt held;	/* the minimum held back as a possible step */

	struct tscal_pt pts[TSCAL_NPTS];	/* slot minima, a ring */
	unsigned int head;	/* where the next one goes */
	unsigned int n;		/* how many; fit restarts at 0 */

	double ppm;		/* device rate vs TSC, + = device runs fast */
	int64_t spread_ns;	/* mean height of the minima over the line */

	uint64_t samples;	/* tscal_sample() calls used */
	uint64_t rejected;	/* device time 0 or UINT64_MAX */
	uint64_t steps;		/* device clock steps followed */
	uint64_t outliers;	/* held minima dropped as garbage */
	uint64_t late;		/* tscal_rx_tsc(): mapped after tsc_after */
	uint64_t implausible;	/* tscal_rx_tsc(): mapped > max_lag before it */
};

/*
 * tsc_hz: TSC frequency (> 0); window_tsc: the window in cycles (100 ms is
 * a good value; one slot is an eighth of it). max_lag_tsc starts at
 * TSCAL_STEP_NS: a frame mapped further back than a step is more likely a
 * step not seen yet than a frame that waited that long; a caller whose
 * polling may stall longer can raise it.
 */
void tscal_init(struct tscal *c, uint64_t tsc_hz, uint64_t window_tsc);

/* Once per burst: the device time of its last frame, the TSC read after it. */
void tscal_sample(struct tscal *c, uint64_t dev_ns, uint64_t tsc_after);

static inline bool
tscal_ready(const struct tscal *c)
{
	return c->ready;
}

/* The TSC at device time dev_ns, per the current line (any time a sample was seen). */
static inline uint64_t
tscal_to_tsc(const struct tscal *c, uint64_t dev_ns)
{
	__int128 d = (__int128)(int64_t)(dev_ns - c->base_ns) * (__int128)c->mult;

	return c->base_tsc + (uint64_t)(int64_t)(d >> 32);
}

/*
 * The receive TSC of a frame of a burst read at tsc_after: the mapped device
 * time when ready and plausible, else tsc_after. Never later than tsc_after.
 */
static inline uint64_t
tscal_rx_tsc(struct tscal *c, uint64_t dev_ns, uint64_t tsc_after)
{
	uint64_t t;
	int64_t lag;

	if (!c->ready)
		return tsc_after;
	t = tscal_to_tsc(c, dev_ns);
	lag = (int64_t)(tsc_after - t);
	if (lag < 0) {
		c->late++;
		return tsc_after;
	}
	if ((uint64_t)lag > c->max_lag_tsc) {
		c->implausible++;
		return tsc_after;
	}
	return t;
}

/* Device clock rate against the TSC, ppm; 0 before two minima. */
double tscal_ppm(const struct tscal *c);
/*
 * Error estimate: how far the kept minima lie over the line on average, ns.
 * 0 before two minima.
 */
int64_t tscal_spread_ns(const struct tscal *c);

#endif
