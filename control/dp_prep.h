/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a dataplane needs before it starts, for every command that starts
 * one (run, serve): its binary found, and the 2 MB hugepages it needs made
 * free (reserved when root), or --no-huge when every port is a vdev. The
 * pages this process reserved are a lease, given back by dp_prep_release()
 * (run: when the run ends; serve: only when it stops the dataplane, which
 * outlives it otherwise).
 */
#ifndef MP_DP_PREP_H
#define MP_DP_PREP_H

#include <limits.h>
#include <stdbool.h>

#include "config.h"
#include "hugepages.h"

struct dp_prep {
	char binary[PATH_MAX];
	bool no_huge;			/* --no-huge: configured, or the fallback */
	long hp_pages;			/* 2 MB pages the dataplane needs */
	struct hp_env hp_env;
	struct hp_lease hp_lease;	/* what this process raised */
	char who[16];			/* "run", "serve": the lease's holder */
};

/* The dataplane binary of cfg into p->binary. 0, or -ENOENT (said why on stderr). */
int dp_prep_find(const struct mp_config *cfg, struct dp_prep *p);
/*
 * Make the pages free, or fall back to --no-huge; who names the holder
 * ("run", "serve"). 0, or -1 when the dataplane cannot run (said why).
 */
int dp_prep_hugepages(const struct mp_config *cfg, const char *who, struct dp_prep *p);
/* Give back the pages this process raised, saying so. */
void dp_prep_release(struct dp_prep *p);

#endif
