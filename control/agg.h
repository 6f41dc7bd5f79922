/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Aggregation of interval records in control: per link, the whole-run
 * total, a "live" accumulator that control empties once a second to print
 * one line per link, and gap detection (a hole in the record stream is
 * reported as a gap, never as zero loss). Floating point is allowed here,
 * only in the reporting functions.
 *
 * Use: agg_link_init() once per link; agg_add_interval() for each record of
 * that link, in arrival order; agg_take_live() every second; agg_finish()
 * when the run ends; agg_summary_json() for the run summary.
 */
#ifndef MP_AGG_H
#define MP_AGG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "mp_stats.h"

struct agg_link {
	struct link_interval total;	/* every merged record (link_interval_merge) */
	struct link_interval live;	/* merged since the last agg_take_live() */
	uint64_t interval_ns;		/* configured record interval */
	uint64_t intervals;		/* records merged into total */
	uint64_t live_intervals;	/* records merged into live */
	uint64_t gaps;			/* holes longer than 1.5 intervals between records */
	uint64_t gap_ns;		/* their summed length */
	uint64_t stale;			/* records ignored: ended no later than the newest (replays) */
	uint64_t last_end_ns;		/* end_ns of the newest merged record; 0 = none yet */
	uint64_t jitter_sum_ns;		/* sum of per-record jitter_ns over records with RTT samples */
	uint64_t jitter_n;		/* and how many such records */
	/* outages: records in which no reply came for a while with probes overdue */
	bool in_outage;
	uint64_t outage_cur_ns;		/* the current one's length so far */
	uint64_t outages;		/* how many began */
	uint64_t outage_longest_ns;
	uint64_t outage_total_ns;	/* ended ones, and the current one at agg_finish() */
};

/* No reply for less than this is never an outage: a scheduler stall on a busy host. */
#define AGG_OUTAGE_MIN_NS	250000000ull

/*
 * An outage at the end of this record: probes overdue (past the expected
 * round trip, not yet lost) and no reply for at least the larger of 250 ms,
 * twice the overdue threshold and three probe periods. Returns the time
 * without replies, or 0 when there is no outage.
 */
uint64_t agg_interval_outage_ns(const struct link_interval *li);

/*
 * The configured rate was not reached: more than 2% of the probes due were
 * skipped by the pacer or refused by the NIC. *fraction (may be NULL) gets
 * sent / due.
 */
bool agg_rate_short(const struct link_counters *c, double *fraction);

/* Empty aggregate for one link; interval_ms is the configured record interval. */
void agg_link_init(struct agg_link *l, const char *name, uint32_t link_index,
		   uint32_t interval_ms);
/*
 * Merge one record into the total and the live accumulator. A record whose
 * start_ns is more than 1.5 intervals after the previous record's end_ns
 * first counts a gap (gaps, gap_ns). A record that ends no later than the
 * newest one merged (a replay after a control reconnect) is ignored and
 * counted in stale. Returns 0, or -EALREADY for an ignored record.
 */
int agg_add_interval(struct agg_link *l, const struct link_interval *li);
/*
 * The run ended at end_ns: a silence since the last record longer than
 * 1.5 intervals is a trailing gap (the dataplane stopped sending).
 */
void agg_finish(struct agg_link *l, uint64_t end_ns);
/*
 * Copy into out what was merged since the last take, and reset the live
 * accumulator. Returns the number of records it holds (0 = no data in
 * that period: a gap, not zero loss).
 */
uint64_t agg_take_live(struct agg_link *l, struct link_interval *out);

/*
 * The run summary: {"complete", "end_reason", <items of extra, copied>,
 * "links": [{"name", "sent", "received", "lost", "loss_ratio",
 * "loss_ratio_of_sent", "late", "duplicates", "reordered", "invalid",
 * "invalid_by_reason": {reason: n}, "returned_via_other_link", "tx_failed",
 * "tx_skipped", "rtt_samples", "rtt_us": {"min","mean","p50","p90","p99",
 * "p999","max"}, "jitter_us", "jitter_mean_us", "residence_us":
 * {"min","mean","max"}, "gaps", "gap_s", "intervals", "stale_records",
 * "outage": null | {"count","longest_s","total_s"}, "all_lost",
 * "ignored": {kind: n}, "icmp_errors": {kind: n}, "rate_shortfall": null |
 * {"configured_pps","achieved_pps","achieved_ratio","skipped","tx_failed"}}]}.
 * loss_ratio = lost / (received + lost), over the probes whose fate is
 * known (null when none); loss_ratio_of_sent = lost / sent (null when
 * nothing was sent). Times are µs with 3 decimals, null without samples;
 * jitter_us is the largest per-record RFC 3550 jitter (the merge rule),
 * jitter_mean_us their mean. extra may be NULL. NULL on allocation failure.
 */
cJSON *agg_summary_json(const struct agg_link *links, unsigned n, bool complete,
			const char *end_reason, const cJSON *extra);

/*
 * One link object of the summary (the elements of "links" above); a
 * stream's object is written by it too (summary_streams.c). NULL on
 * allocation failure.
 */
cJSON *agg_link_object(const struct agg_link *l);

/*
 * One fixed-column human line (no newline) for a live period, e.g.
 * "a        sent      1000 recv      1000 lost      0 loss  0.00% rtt p50   41.2us p99   63.0us jitter    3.1us"
 * followed by " late N", " dup N", " reord N", " inv N", " other N",
 * " txfail N" for the nonzero ones, " out N" for probes overdue at its end,
 * " reflector_unreachable N" (and the other ICMP error kinds), " skip N" and
 * " RATE SHORTFALL: X% of the rate sent" when more than 2% was not sent, and
 * " OUTAGE: no replies for X s" during an outage. Returns 0, or -ENOSPC if truncated.
 */
int agg_live_line(const char *name, const struct link_interval *sec, char *buf,
		  size_t len);

#endif
