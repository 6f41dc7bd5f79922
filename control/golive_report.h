/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DIR/report.json of a go-live run (its schema: docs/golive.md), built a
 * step at a time and written after each, so that a run stopped by Ctrl-C
 * (or anything else) leaves a report of what was done.
 */
#ifndef MP_GOLIVE_REPORT_H
#define MP_GOLIVE_REPORT_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "golive_plan.h"
#include "golive_y1564.h"
#include "rfc2544.h"

#define GOLIVE_SCHEMA	"metroprobe-golive-report/1"

/* What one step of the plan gave. */
struct golive_step_result {
	const struct golive_step *step;
	int rc;				/* 0; -EINTR: interrupted; else it could not run */
	double ceiling_pps;		/* the highest rate the step asked (or could) */
	const char *ceiling_is;		/* "committed_rate", "line_rate" or "--max-rate" */
	double wire_bits;		/* per frame as sent (the mix's mean) */
	char mix_sent[64];		/* the sizes sent */
	uint32_t frame_size_sent;	/* the largest size sent */
	int first_trial, last_trial;	/* DIR/trials/NNNN of the step */
	/* together: each link's part of the best (or last) trial */
	int n_links;
	char name[MP_MAX_LINKS][MP_NAME_MAX];
	struct rfc2544_trial per_link[MP_MAX_LINKS];
	union {
		struct rfc2544_tput tput;
		struct rfc2544_latency lat;
		struct rfc2544_floss floss;
		struct rfc2544_b2b b2b;
	} r;
};

struct golive_report {
	cJSON *root;
	cJSON *reasons;
	bool fail;
	double tolerance;
	bool y1564;			/* Y.1564 is in the plan */
};

struct golive_report_info {
	const struct mp_config *cfg;
	const char *config_path;
	const struct golive_plan *plan;
	double tolerance;
	bool allow_over_committed;
	const uint32_t *mtu;		/* per link */
	const bool *mtu_known;
	bool y1564;			/* the plan has Y.1564 steps */
};

int golive_report_init(struct golive_report *r, const struct golive_report_info *in);
/* Add a step's result where it belongs (links[i].rfc2544.TEST[], or together). */
void golive_report_step(struct golive_report *r, const struct mp_config *cfg,
			const struct golive_plan *plan, const struct golive_step_result *res);
/* A service's configuration test into links[i].y1564; its failures into the verdict. */
void golive_report_y1564_service(struct golive_report *r, const struct mp_config *cfg,
				 const struct y1564_svc_res *res);
/* The performance test into "performance"; each link's verdict; failures into the verdict. */
void golive_report_performance(struct golive_report *r, const struct mp_config *cfg,
			       const struct y1564_perf_res *res);
/* A summary.json's diversity (the last with both links), when it has one. */
void golive_report_diversity(struct golive_report *r, const cJSON *summary);
/* The verdict and the end: steps_done of the plan's, interrupted or not. */
void golive_report_finish(struct golive_report *r, const struct golive_plan *plan,
			  int steps_done, bool interrupted, uint64_t end_unix_ns);
int golive_report_write(const struct golive_report *r, const char *dir);
void golive_report_free(struct golive_report *r);

#endif
