/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 2544 (section 26) as searches over trials: throughput, latency,
 * frame loss rate and back-to-back. Pure: a trial is a function the caller
 * gives (golive runs the link with run_once; the unit tests simulate a
 * link of known capacity), so no I/O and no clock here.
 *
 * Rates are frames per second. A trial reports what was sent and lost; its
 * loss ratio is lost / sent, against the rate actually sent, never the
 * rate asked for (a sender that fell short does not hide loss), and the
 * throughput found is the rate sent in the best loss-free trial (OPNFV
 * nfvbench counts the same way and so flags a sender that fell short).
 */
#ifndef MP_RFC2544_H
#define MP_RFC2544_H

#include <stdbool.h>
#include <stdint.h>

#define RFC2544_MAX_STEPS	64	/* trials of one search that are kept */
#define RFC2544_SHORT_FRAC	0.99	/* sent below this share of the ask: sender-limited */

/* What a trial is asked: a rate for a duration (a burst is rate * duration). */
struct rfc2544_ask {
	double rate_pps;
	uint32_t duration_ms;
};

/* What one trial gave. */
struct rfc2544_trial {
	double asked_pps;
	uint32_t duration_ms;
	uint64_t sent;
	uint64_t lost;
	double sent_pps;		/* sent / duration */
	double loss_ratio;		/* lost / sent (0 when nothing was sent) */
	uint32_t frame_size_sent;	/* 0: unknown */
	bool has_rtt;
	double rtt_min_us, rtt_p50_us, rtt_p99_us, rtt_max_us;
};

/*
 * Run one trial: fill *out. 0; -EINTR when interrupted (every search
 * stops and keeps what it had); another -errno when the trial could not
 * run (the search stops there, its result incomplete).
 */
typedef int (*rfc2544_trial_fn)(void *cookie, const struct rfc2544_ask *ask,
				struct rfc2544_trial *out);

struct rfc2544_steps {
	int n;
	struct rfc2544_trial t[RFC2544_MAX_STEPS];
	int rc;				/* 0, or what stopped the search */
};

/* Throughput: a binary search over (0, max_pps]. */
struct rfc2544_tput_params {
	double max_pps;			/* the ceiling: committed or line rate */
	double resolution;		/* stop when hi - lo <= resolution * max_pps (0.01 = 1%) */
	double tolerance;		/* loss ratio still counted as no loss (0 by default) */
	uint32_t trial_ms;
};

struct rfc2544_tput {
	bool found;			/* some trial passed */
	double rate_pps;		/* asked of the best passing trial */
	double sent_pps;		/* and sent in it: the throughput */
	double loss_ratio;		/* its loss */
	bool sender_limited;		/* it sent less than RFC2544_SHORT_FRAC of the ask */
	double lo_pps, hi_pps;		/* the final bracket (hi: lowest failing, or max) */
	struct rfc2544_steps steps;
};

/*
 * The most trials the throughput search can take: the ceiling, then
 * halving until the bracket is within the resolution.
 */
int rfc2544_tput_max_trials(double resolution);
/* 0, or the rc of the trial that stopped it (what was found is kept). */
int rfc2544_throughput(const struct rfc2544_tput_params *p, rfc2544_trial_fn fn, void *cookie,
		       struct rfc2544_tput *out);

/* Frame loss rate: 100% of max_pps, then 90%, ... until two loss-free trials in a row. */
struct rfc2544_floss {
	struct rfc2544_steps steps;
	int load_pct[RFC2544_MAX_STEPS];
};

#define RFC2544_FLOSS_MAX_TRIALS	10
int rfc2544_frame_loss(double max_pps, uint32_t trial_ms, rfc2544_trial_fn fn, void *cookie,
		       struct rfc2544_floss *out);

/* Latency: reps trials at rate_pps; the extremes and the trials' middle. */
struct rfc2544_latency {
	double rate_pps;
	int reps;			/* trials that gave round-trip times */
	double min_us;			/* the lowest of the trials */
	double p50_us;			/* the median of the trials' medians */
	double p99_us;			/* the highest of the trials' p99 (conservative) */
	double max_us;			/* the highest of the trials */
	struct rfc2544_steps steps;
};

int rfc2544_latency(double rate_pps, uint32_t trial_ms, int reps, rfc2544_trial_fn fn,
		    void *cookie, struct rfc2544_latency *out);

/*
 * Back-to-back: the longest burst at burst_pps carried without loss, by a
 * binary search over the burst's length in ms (min_ms..max_ms, iters
 * halvings after the first trial at max_ms). The burst is the frames the
 * trial actually sent, at the rate it actually reached.
 */
struct rfc2544_b2b {
	double burst_pps;		/* asked */
	bool found;
	uint64_t frames;		/* the longest burst carried (sent, no loss) */
	uint32_t duration_ms;		/* its length */
	double sent_pps;		/* the rate it was sent at */
	struct rfc2544_steps steps;
};

int rfc2544_back_to_back(double burst_pps, uint32_t min_ms, uint32_t max_ms, int iters,
			 rfc2544_trial_fn fn, void *cookie, struct rfc2544_b2b *out);

#endif
