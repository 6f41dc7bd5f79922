/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-link statistics of one interval: what the worker lcore accumulates,
 * what it hands to the main lcore as an immutable snapshot, what the
 * interval record carries, and what control merges into windows. Every
 * field merges exactly by addition, except the marked ones.
 */
#ifndef MP_STATS_H
#define MP_STATS_H

#include <stdint.h>

#include "mp_hist.h"
#include "mp_reason.h"
#include "mp_reflseen.h"

#define MP_LINK_NAME_MAX	32

/* Which clock produced t1/t4. */
enum mp_clock {
	MP_CLOCK_TSC = 0,	/* software TSC next to the burst calls */
	MP_CLOCK_HW_RX,		/* PMD RX timestamp offload */
	MP_CLOCK_PTP,		/* IEEE 1588 timesync */
};

struct minmax {
	uint64_t count;
	uint64_t sum;
	uint64_t min;		/* UINT64_MAX when empty */
	uint64_t max;
};

/* The same as minmax_add() of v[0..n), with the state in registers. */
static inline void
minmax_add_burst(struct minmax *m, const uint64_t *v, unsigned n)
{
	uint64_t sum = 0, mn = m->min, mx = m->max;
	unsigned i;

	for (i = 0; i < n; i++) {
		sum += v[i];
		mn = v[i] < mn ? v[i] : mn;
		mx = v[i] > mx ? v[i] : mx;
	}
	m->count += n;
	m->sum += sum;
	m->min = mn;
	m->max = mx;
}

static inline void
minmax_reset(struct minmax *m)
{
	m->count = 0;
	m->sum = 0;
	m->min = UINT64_MAX;
	m->max = 0;
}

static inline void
minmax_add(struct minmax *m, uint64_t v)
{
	m->count++;
	m->sum += v;
	if (v < m->min)
		m->min = v;
	if (v > m->max)
		m->max = v;
}

void minmax_merge(struct minmax *dst, const struct minmax *src);

struct link_counters {
	uint64_t sent;		/* probes handed to the NIC */
	uint64_t tx_failed;	/* probes the NIC refused (freed, never sent) */
	uint64_t tx_skipped;	/* probes the pacer skipped after a stall */
	uint64_t tx_wire_bytes;	/* (frame + 20) * sent */
	uint64_t received;	/* first replies within the loss timeout */
	uint64_t lost;		/* not back within the loss timeout (counted when it expires) */
	uint64_t late;		/* first replies after the loss timeout (also in lost) */
	uint64_t duplicates;
	uint64_t reordered;	/* RFC 4737, among received */
	uint64_t other_link;	/* replies for the other link's session that arrived on this port */
	uint64_t rx_frames;	/* every frame this port received */
	uint64_t arp_nd;	/* ARP / ND frames handled */
	uint64_t invalid[MP_R_REASON_MAX];	/* by reason; [MP_OK] unused */
	uint64_t ignored[MP_IGN_MAX];		/* ordinary link traffic not for us, by kind */
	uint64_t icmp_errors[MP_ICMP_MAX];	/* ICMP errors quoting our probes, by kind */
};

struct link_interval {
	char link[MP_LINK_NAME_MAX];
	uint32_t link_index;
	uint64_t seq;			/* interval number, from 0, per link */
	uint64_t start_unix_ns;
	uint64_t end_unix_ns;
	uint32_t queues;		/* queue pairs merged into this record */
	enum mp_clock clock;
	uint64_t clock_error_ns;	/* how far t4 - t1 may be off: the clock's own estimate */
	struct link_counters c;
	struct hist rtt;		/* round trip (t4 - t1) - (t3 - t2), ns */
	struct minmax residence_ns;	/* reflector t3 - t2 */
	struct minmax fwd_ttl;		/* Sender TTL the reflector saw */
	uint64_t jitter_ns;		/* RFC 3550 jitter at the interval's end (merge: max) */
	uint64_t pacer_rate_mpps;	/* configured rate, milli-pps (merge: sum) */
	struct refl_seen refl;		/* what the replies say of the reflector */
	/*
	 * Gauges at the interval's end, so that an outage shows before the loss
	 * timeout: probes sent and neither answered nor retired (outstanding),
	 * those of them sent longer ago than overdue_after_ns, the link's
	 * expected round trip with a wide margin (overdue: replies missing,
	 * not yet lost), and the time since the last reply (no_reply_ns,
	 * to the interval's resolution). Lanes of one interval merge by sum
	 * (outstanding, overdue), max (overdue_after_ns) and min (no_reply_ns);
	 * a window of intervals takes the newest record's (agg.c).
	 */
	uint64_t outstanding;
	uint64_t overdue;
	uint64_t overdue_after_ns;
	uint64_t no_reply_ns;
	/* last, off the counters' cache lines: the stream ("" the link's own record) */
	char stream[MP_LINK_NAME_MAX];
};

void link_counters_merge(struct link_counters *dst, const struct link_counters *src);
/* Zero everything but the identity (link, link_index, stream, queues, clock). */
void link_interval_reset(struct link_interval *li);
/*
 * dst += src over the same link: counters and histograms add, times widen
 * to cover both, jitter takes the larger. Used to merge queues of one
 * interval and intervals of one window.
 */
void link_interval_merge(struct link_interval *dst, const struct link_interval *src);

#endif
