/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The go-live run's plan: which RFC 2544 tests run on which link at which
 * frame sizes, with how long trials, and how long that takes at most.
 * Pure: the plans are data, the arithmetic is tested (test_golive_plan).
 *
 * A step is one search (a throughput search, the latency trials, the
 * frame loss steps or a back-to-back search) on one link or on both links
 * together, at one frame size or IMIX. Its length is bounded: the
 * throughput search takes at most rfc2544_tput_max_trials(resolution)
 * trials, the frame loss steps at most 10, back-to-back 1 + its halvings.
 * A trial costs its length plus GOLIVE_TRIAL_OVERHEAD_MS (the dataplane's
 * start and the wait for probes in flight: 1.5 s measured on the lab) and
 * the config's loss timeout.
 */
#ifndef MP_GOLIVE_PLAN_H
#define MP_GOLIVE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GOLIVE_MAX_STEPS	96
#define GOLIVE_MAX_SIZES	10
#define GOLIVE_SIZE_MAX		16	/* "1518", "imix" */
#define GOLIVE_TRIAL_OVERHEAD_MS	500	/* start-up, on top of the loss timeout */
#define GOLIVE_TOGETHER		(-1)	/* a step's link: both links at once */

enum golive_test {
	GOLIVE_THROUGHPUT = 0,
	GOLIVE_LATENCY,
	GOLIVE_FRAME_LOSS,
	GOLIVE_BACK_TO_BACK,
	GOLIVE_RFC2544_TESTS,		/* the tests above are RFC 2544's */
	GOLIVE_Y1564_SERVICE = GOLIVE_RFC2544_TESTS,	/* one service's configuration test */
	GOLIVE_Y1564_PERF,		/* every service at CIR, both links */
	GOLIVE_TEST_COUNT,
};

/* A named plan: what runs, per link and together. */
struct golive_plan_def {
	const char *name;
	const char *what;		/* one line for --help and the plan print */
	uint32_t trial_ms;		/* throughput and frame loss trials */
	double resolution;		/* of the throughput search, share of the ceiling */
	int latency_reps;
	uint32_t latency_ms;
	uint32_t b2b_max_ms;		/* the longest burst tried */
	int b2b_iters;			/* halvings after it */
	/* NULL-terminated frame sizes ("64", "imix") of each test per link, and together */
	const char *const *sizes[GOLIVE_RFC2544_TESTS];
	const char *const *together;	/* throughput, both links at once */
	uint32_t y1564_step_ms;		/* a step of a Y.1564 configuration test */
	uint32_t y1564_perf_s;		/* the Y.1564 performance test */
};

struct golive_step {
	enum golive_test test;
	int link;			/* index into the config's links, or GOLIVE_TOGETHER */
	int svc;			/* Y.1564: the service (index into the config's) */
	char size[GOLIVE_SIZE_MAX];
	int max_trials;
	uint32_t trial_ms;		/* the longest trial of the step */
	uint64_t max_ms;		/* at most, with each trial's overhead */
};

/* A link's sizes the plan leaves out, and why. */
struct golive_skip {
	int link;
	char size[GOLIVE_SIZE_MAX];
	uint32_t max_frame;		/* the largest frame the link carries */
};

struct golive_plan {
	const struct golive_plan_def *def;
	double resolution;		/* the def's, or --resolution */
	uint32_t trial_ms;		/* the def's, or --trial-ms */
	uint32_t overhead_ms;		/* per trial */
	uint32_t y1564_step_ms;		/* as run: --step-ms, the config's, or the def's */
	uint32_t y1564_perf_s;		/* as run: --performance-s, the config's, or the def's */
	int n;
	struct golive_step step[GOLIVE_MAX_STEPS];
	int n_skip;
	struct golive_skip skip[GOLIVE_MAX_STEPS];
	int total_trials;		/* at most */
	uint64_t total_ms;		/* at most */
};

extern const struct golive_plan_def golive_plans[];	/* NULL name ends it */

const struct golive_plan_def *golive_plan_find(const char *name);
const char *golive_test_name(enum golive_test t);
/*
 * Frame size (with FCS) of a size of the plan: the number, or the largest
 * of a mix ("imix": 1518). 0 when it is neither.
 */
uint32_t golive_size_max_frame(const char *size);
/*
 * Build the plan for n_links links, max_frame[i] the largest frame link i
 * carries (sizes above it are skipped, listed in skip); trial_ms and
 * resolution override the def's when > 0; overhead_ms per trial. 0, or
 * -ENOSPC when the plan has more steps than GOLIVE_MAX_STEPS.
 */
int golive_plan_build(const struct golive_plan_def *def, int n_links, const uint32_t *max_frame,
		      uint32_t trial_ms, double resolution, uint32_t overhead_ms,
		      struct golive_plan *out);
/* Leave RFC 2544 out (golive --tests y1564): no steps, no skips. */
void golive_plan_drop_rfc2544(struct golive_plan *p);
/*
 * Add Y.1564: a configuration test per service (n services, service i on
 * link[i] with trials[i] steps of step_ms), then the performance test of
 * perf_s (when perf_s > 0). 0 or -ENOSPC.
 */
int golive_plan_add_y1564(struct golive_plan *p, int n, const int *link, const int *trials,
			  const char (*size)[GOLIVE_SIZE_MAX], uint32_t step_ms, uint32_t perf_s);
/* The trials and time the steps from `from` on take at most. */
uint64_t golive_plan_left_ms(const struct golive_plan *p, int from);
/* "1h02m", "3m10s", "45s" */
void golive_fmt_duration(uint64_t ms, char *buf, size_t len);

#endif
