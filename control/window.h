/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Rolling windows of interval data in constant memory, for the SLA
 * objectives: 1 min, 5 min, 1 h, 24 h and 30 days over one series (a link,
 * or the pair). Each window is a ring of slots, coarser for the longer
 * windows, and a running sum of the ring: a new slot subtracts the one it
 * replaces, so a window's value costs one slot's work, not the ring's.
 *
 *   window  slot   slots  covers (the current slot is partial)
 *   1m      1 s    60     59 s .. 60 s
 *   5m      5 s    60     295 s .. 300 s
 *   1h      1 min  60     59 min .. 60 min
 *   24h     1 h    24     23 h .. 24 h
 *   30d     1 day  30     29 d .. 30 d
 *
 * Every slot holds counters and a round-trip histogram (struct whist), and
 * everything in it merges by addition. The histogram is the core's layout
 * (mp_hist.h) with 32 instead of 128 buckets per power of two: a core
 * bucket lies in exactly one whist bucket, so conversion is exact, and a
 * percentile (the midpoint of the bucket that holds it) is within 1/64
 * (1.6%) of the true value, exact below 32 ns. Each core bucket split four
 * ways would cost four times the memory for 0.4%.
 *
 * Memory (the unit test checks it): a slot is 8,280 bytes (1,024 buckets
 * and 11 counters of 8 bytes), a series 234 slots and 5 sums, 1,979,040
 * bytes with its headers: under 2 MiB per link, and as much again for the
 * pair (about 5.9 MB for a pair of links), whatever the run's length.
 *
 * Time is the records' (unix seconds of the data, not of its arrival).
 * Data for a slot older than the window's current one goes into the current
 * one (the pair's windows take each link's second as it completes, and
 * availability's seconds are decided up to 10 s late). Pure: no I/O.
 */
#ifndef MP_WINDOW_H
#define MP_WINDOW_H

#include <stdint.h>

#include "mp_hist.h"

enum win_id { WIN_1M, WIN_5M, WIN_1H, WIN_24H, WIN_30D, WIN_N };

#define WIN_SLOTS	(60 + 60 + 60 + 24 + 30)

#define WHIST_SUB_BITS	5
#define WHIST_SUB	(1u << WHIST_SUB_BITS)
#define WHIST_NBUCKETS	((HIST_MAX_EXP - WHIST_SUB_BITS + 2) * WHIST_SUB)	/* 1024 */

/* A coarser mp_hist: count, sum and buckets (no min/max: they do not subtract). */
struct whist {
	uint64_t count;
	uint64_t sum_ns;
	uint64_t b[WHIST_NBUCKETS];
};

/* What a slot (or one second of data, or a window's sum) holds. */
struct wslot {
	int64_t idx;			/* slot number: unix second / width; -1 empty */
	uint64_t sent, received, lost;	/* the records' counters */
	uint64_t jitter_sum_ns;		/* RFC 3550 jitter at each record's end, summed */
	uint64_t jitter_n;		/* over the records with round trips */
	uint64_t ses;			/* severely errored seconds (avail.h) */
	uint64_t seconds;		/* seconds with data whose availability is decided */
	uint64_t unavail;		/* of them, unavailable */
	struct whist rtt;
};

struct window {
	uint32_t width_s;		/* a slot's length */
	uint32_t n;			/* slots in the ring, the current one included */
	uint32_t first;			/* its first slot in wseries.slots */
	struct wslot sum;		/* every slot of the ring */
	int64_t cur;			/* the current slot's number; -1 none yet */
};

struct wseries {
	struct window w[WIN_N];
	struct wslot slots[WIN_SLOTS];
};

/* A window's value; NaN where there is no data. Times in seconds. */
struct wvalue {
	uint64_t sent, received, lost, rtt_count, ses, seconds, unavail;
	double rtt_p50, rtt_p99, rtt_p999;
	double loss;			/* lost / (received + lost) */
	double jitter;			/* mean of the records' jitter */
	double availability;		/* 1 - unavailable / seconds */
};

extern const char *const win_name[WIN_N];	/* "1m", "5m", "1h", "24h", "30d" */
extern const uint32_t win_seconds[WIN_N];
/* The window named s, or -1. */
int win_parse(const char *s);

void whist_reset(struct whist *h);
/* h += the core histogram src (exact: each core bucket lies in one of h's). */
void whist_add_hist(struct whist *h, const struct hist *src);
unsigned whist_index(uint64_t v);
/* The midpoint of bucket idx (its value when exact). */
double whist_mid(unsigned idx);
/* The midpoint of the bucket of the ceil(q * count)-th smallest; 0 when empty. */
uint64_t whist_quantile(const struct whist *h, double q);

/* Empty slot (idx -1). */
void wslot_reset(struct wslot *s);
/* One record's data, added to s (what a second of a link accumulates). */
void wslot_add_interval(struct wslot *s, const struct hist *rtt, uint64_t sent,
			uint64_t received, uint64_t lost, uint64_t jitter_ns);
/* dst += src, and dst -= src: every counter and bucket. */
void wslot_merge(struct wslot *dst, const struct wslot *src);
void wslot_sub(struct wslot *dst, const struct wslot *src);

void wseries_init(struct wseries *s);
/* Add d (its counters and histogram) to every window at unix second t. */
void wseries_add(struct wseries *s, int64_t t, const struct wslot *d);
/* Window win's value now. */
void wseries_value(const struct wseries *s, int win, struct wvalue *v);

#endif
