/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * User-space helpers shared by the metroprobe-xdp loader and the XDP unit
 * test: the clock offsets the reflector needs at load time, probability
 * thresholds of the impairment, and per-CPU map reads.
 */
#ifndef XDP_USER_H
#define XDP_USER_H

#include <stdint.h>

#include "stamp_xdp.h"

/*
 * The offsets the reflector turns kernel clocks into UTC with:
 * *tai_to_utc_ns = CLOCK_TAI - CLOCK_REALTIME (whole seconds: the kernel's
 * TAI-UTC offset, 0 unless a time daemon set it) and *mono_to_utc_ns =
 * CLOCK_REALTIME - CLOCK_MONOTONIC (the read with the tightest bracket of
 * a few). Returns 0 or -errno.
 */
int xdp_clock_offsets(int64_t *tai_to_utc_ns, int64_t *mono_to_utc_ns);

/* Probability p in [0, 1] as an impairment threshold (see IMPAIR_THR_ONE). */
uint64_t xdp_prob_to_thr(double p);
double xdp_thr_to_prob(uint64_t thr);

/*
 * A flap schedule "DOWN/PERIOD" (seconds, 0 < DOWN < PERIOD <= 3600, at
 * most ns resolution) as nanoseconds, or "off" (both 0). 0 or -EINVAL.
 */
int xdp_parse_flap(const char *s, uint64_t *down_ns, uint64_t *period_ns);

/* The sum over all CPUs of slot key of a per-CPU array of u64. 0 or -errno. */
int xdp_percpu_sum(int map_fd, uint32_t key, uint64_t *sum);

/* Set every CPU's copy of slot key of a per-CPU array to the bytes at val. */
int xdp_percpu_set(int map_fd, uint32_t key, const void *val, size_t val_size);

#endif
