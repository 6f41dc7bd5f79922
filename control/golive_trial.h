/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A go-live trial: one run (run_once) of the config, cut to one link or
 * both, at one frame size or mix, one rate (pps) and one length, in
 * DIR/trials/NNNN (its console output in NNNN.log); what it gave read back
 * from its summary.json. The rfc2544 searches call golive_trial() as their
 * trial function.
 */
#ifndef MP_GOLIVE_TRIAL_H
#define MP_GOLIVE_TRIAL_H

#include <limits.h>
#include <stdbool.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "golive_plan.h"
#include "mp_mix.h"
#include "rfc2544.h"

struct golive_trial_ctx {
	const struct mp_config *cfg;	/* as loaded */
	const char *config_path;
	const char *dir;		/* the report's DIR */
	int link;			/* an index, or GOLIVE_TOGETHER */
	char size[GOLIVE_SIZE_MAX];	/* "": the links' own (shape sets them) */
	int seq;			/* trials run so far, of the whole plan */
	/* what the last trial gave, per link it ran */
	int n_links;
	char name[MP_MAX_LINKS][MP_NAME_MAX];
	struct rfc2544_trial per_link[MP_MAX_LINKS];
	/* the same, of the last trial with loss within tolerance (the throughput's) */
	double tolerance;
	struct rfc2544_trial pass_per_link[MP_MAX_LINKS];
	char mix_sent[64];		/* the sizes sent ("90", "90:7+570:4+1518:1") */
	char trial_dir[PATH_MAX];
	int run_rc;			/* the run's exit code */
	/* after each trial that ran (progress lines) */
	void (*on_trial)(void *arg, const struct golive_trial_ctx *c, const struct rfc2544_trial *t);
	void *arg;
	/* the last say over a trial's config, after the cut, size and rate (Y.1564's services) */
	int (*shape)(void *arg, struct mp_config *t);
	void *shape_arg;
};

int golive_trial(void *cookie, const struct rfc2544_ask *ask, struct rfc2544_trial *out);

/*
 * A trial per link of a summary.json, for a trial of duration_ms: sent,
 * lost, the size sent, the round-trip times. Returns how many links (at
 * most max), 0 when it has none.
 */
int golive_trial_from_summary(const cJSON *sum, uint32_t duration_ms, struct rfc2544_trial *t,
			      char (*name)[MP_NAME_MAX], int max);
/* The worst of n trials (the highest loss ratio; the first on a tie), into *out. */
void golive_trial_worst(const struct rfc2544_trial *t, int n, struct rfc2544_trial *out);

/*
 * The mix link l sends for size ("64", "imix"): its sizes raised to the
 * smallest STAMP frame of l's encapsulation, as the dataplane does. 0 or
 * -EINVAL.
 */
int golive_link_mix(const struct mp_link_cfg *l, const char *size, struct frame_mix *m);
/* Mean wire bits of a frame of the mix (frame + 20 bytes, times 8). */
double golive_mix_wire_bits(const struct frame_mix *m);
/* r in frames per second of mix m on link l (a bit rate counts the mix's wire bits). */
double golive_rate_pps(const struct rate *r, const struct frame_mix *m,
		       const struct mp_link_cfg *l);

#endif
