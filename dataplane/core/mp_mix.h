/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frame-size mixes: one size ("128"), simple IMIX ("imix" = 64:7+570:4+1518:1,
 * the classic 7:4:1 mix), or a user mix "SIZE:WEIGHT+SIZE:WEIGHT+..." (a
 * weight defaults to 1). Sizes count the frame with FCS, as everywhere.
 *
 * The prober sends a mix as a fixed schedule built by smooth weighted round
 * robin, so sizes are interleaved (64,570,64,1518,64,570,64,...) rather than
 * sent in runs, and any window of the schedule's length holds the exact
 * proportions.
 */
#ifndef MP_MIX_H
#define MP_MIX_H

#include <stddef.h>
#include <stdint.h>

#include "mp_rate.h"

#define MIX_MAX_SIZES	8
#define MIX_MAX_SCHED	256		/* sum of weights */

struct frame_mix {
	uint32_t n;
	uint32_t size[MIX_MAX_SIZES];	/* with FCS */
	uint32_t weight[MIX_MAX_SIZES];	/* >= 1 */
};

/*
 * Parse a mix. Sizes must be within [min_size, max_size]; duplicates are
 * merged. Returns 0 or -EINVAL with err set.
 */
int frame_mix_parse(const char *s, uint32_t min_size, uint32_t max_size,
		    struct frame_mix *m, const char **err);
/* Canonical text ("128", "64:7+570:4+1518:1"). */
int frame_mix_format(const struct frame_mix *m, char *buf, size_t len);
/* Raise every size below min_frame to it (merging equal sizes); returns how many were raised. */
uint32_t frame_mix_raise(struct frame_mix *m, uint32_t min_frame);
uint32_t frame_mix_total_weight(const struct frame_mix *m);
uint32_t frame_mix_max_size(const struct frame_mix *m);
/*
 * Fill sched[0..len) with indices into m->size, smooth weighted round robin.
 * Returns len (the total weight), or -EINVAL if it exceeds cap.
 */
int frame_mix_schedule(const struct frame_mix *m, uint8_t *sched, uint32_t cap);
/*
 * Probe rate in milli-pps for this mix: for bits/s and link-speed rates the
 * mean wire size of the mix counts (frame + 20 B per frame).
 */
uint64_t frame_mix_rate_mpps(const struct rate *r, const struct frame_mix *m, uint64_t link_bps);

#endif
