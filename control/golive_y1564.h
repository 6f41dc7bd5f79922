/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Y.1564 in `metroprobe golive`: the trials of the service configuration
 * test (each step a golive_trial of the link cut to the service: its rate,
 * frame size, DSCP and PCP) and of the service performance test (every
 * service of every link at CIR in one trial; a link with several services
 * sends one stream per service). The KPIs are read back from the trial's
 * summary.json (the link object, or the stream of that name in its
 * "streams") and intervals.jsonl (AVAIL, the series) and judged by
 * y1564.c.
 */
#ifndef MP_GOLIVE_Y1564_H
#define MP_GOLIVE_Y1564_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "golive_trial.h"
#include "y1564.h"

#define GY_SERIES_POINTS	600	/* per link, at most */

struct y1564_step_res {
	struct y1564_step_plan plan;
	double asked_pps;
	bool ran;
	struct y1564_kpi k;
	enum y1564_verdict v;
	char reason[Y1564_REASON_MAX];
	int trial;			/* DIR/trials/NNNN */
};

struct y1564_svc_res {
	int svc;			/* index into cfg->y1564.svc */
	double cir_bps, eir_bps;	/* wire bits */
	double wire_bits;		/* per frame, the mix as sent */
	int rc;				/* 0; -EINTR; else a trial could not run */
	int n_steps;
	struct y1564_step_res step[Y1564_STEPS];
	enum y1564_verdict v;
	int n_reasons;
	char reasons[Y1564_STEPS + 1][Y1564_REASON_MAX];
};

struct y1564_perf_svc {
	int svc;
	bool measured;
	bool per_stream;		/* from the link's "streams" (else the link object) */
	struct y1564_kpi k;
	enum y1564_verdict v;
	char reason[Y1564_REASON_MAX];
};

struct y1564_perf_res {
	uint32_t duration_s;
	int rc;
	int trial;
	int n;
	struct y1564_perf_svc s[Y1564_MAX_SERVICES];
	enum y1564_verdict v;
	int n_points;
	struct y1564_point *pts;	/* malloc'ed; link: index into cfg->links */
};

struct golive_y1564 {
	const struct mp_config *cfg;
	struct golive_trial_ctx *tc;
	uint32_t step_ms;
	uint32_t perf_s;
	char label[64];			/* the step running, for progress lines */
	/* the trial being shaped */
	int svc;			/* a service, or -1: the performance test */
};

/*
 * CIR and EIR of service s in wire bits per second, and the wire bits of
 * a frame of its mix as sent. 0, or -EINVAL (a rate in pps on a mix that
 * cannot be read).
 */
int golive_y1564_rates(const struct mp_config *cfg, int s, double *cir_bps, double *eir_bps,
		       double *wire_bits);
/*
 * CIR+EIR of each service, and the CIRs of a link's services together (the
 * performance test), against the link's committed_rate: -EINVAL (said
 * why, on stderr) when above it and !allow_over.
 */
int golive_y1564_check(const struct mp_config *cfg, bool allow_over);
/* The configuration test of service s; 0, -EINTR, or the rc of a trial that could not run. */
int golive_y1564_service(struct golive_y1564 *y, int s, struct y1564_svc_res *out);
/* The performance test; the same returns. */
int golive_y1564_performance(struct golive_y1564 *y, struct y1564_perf_res *out);

/*
 * From a trial's DIR/intervals.jsonl: the availability of a link's (or,
 * with stream, that stream's) seconds; false without data. And the
 * performance test's series (out->duration_s set; out->pts allocated).
 */
bool golive_y1564_avail(const char *dir, const char *link, const char *stream, uint32_t duration_s,
			double *out);
void golive_y1564_series(const struct mp_config *cfg, const char *dir, struct y1564_perf_res *out);

/* report.json: links[i].y1564.services[] += the service; performance = ... (y1564_report.c) */
cJSON *y1564_service_json(const struct mp_config *cfg, const struct y1564_svc_res *r);
cJSON *y1564_perf_json(const struct mp_config *cfg, const struct y1564_perf_res *r);
cJSON *y1564_link_json(void);

#endif
