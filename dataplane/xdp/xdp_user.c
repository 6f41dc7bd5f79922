/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xdp_user.h"

#define XDP_NSEC_PER_SEC	1000000000ll
#define XDP_CLOCK_TRIES		7

static int64_t
xdp_clock_ns(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) != 0)
		return -1;
	return (int64_t)ts.tv_sec * XDP_NSEC_PER_SEC + ts.tv_nsec;
}

int
xdp_clock_offsets(int64_t *tai_to_utc_ns, int64_t *mono_to_utc_ns)
{
	int64_t best_gap = INT64_MAX, best = 0, tai, real, m1, m2, gap;
	int i;

	tai = xdp_clock_ns(CLOCK_TAI);
	real = xdp_clock_ns(CLOCK_REALTIME);
	if (tai < 0 || real < 0)
		return -errno;
	/* TAI - UTC is a whole number of seconds; the reads are ns apart. */
	*tai_to_utc_ns = (tai - real + XDP_NSEC_PER_SEC / 2) / XDP_NSEC_PER_SEC *
			 XDP_NSEC_PER_SEC;
	for (i = 0; i < XDP_CLOCK_TRIES; i++) {
		m1 = xdp_clock_ns(CLOCK_MONOTONIC);
		real = xdp_clock_ns(CLOCK_REALTIME);
		m2 = xdp_clock_ns(CLOCK_MONOTONIC);
		if (m1 < 0 || real < 0 || m2 < 0)
			return -errno;
		gap = m2 - m1;
		if (gap < best_gap) {
			best_gap = gap;
			best = real - (m1 + gap / 2);
		}
	}
	*mono_to_utc_ns = best;
	return 0;
}

uint64_t
xdp_prob_to_thr(double p)
{
	if (!(p > 0))
		return 0;
	if (p >= 1)
		return IMPAIR_THR_ONE;
	return (uint64_t)llround(p * (double)IMPAIR_THR_ONE);
}

double
xdp_thr_to_prob(uint64_t thr)
{
	if (thr >= IMPAIR_THR_ONE)
		return 1.0;
	return (double)thr / (double)IMPAIR_THR_ONE;
}

int
xdp_percpu_sum(int map_fd, uint32_t key, uint64_t *sum)
{
	int ncpu = libbpf_num_possible_cpus(), i, rc = 0;
	uint64_t *vals;

	if (ncpu <= 0)
		return ncpu < 0 ? ncpu : -EINVAL;
	vals = calloc(ncpu, sizeof(*vals));
	if (vals == NULL)
		return -ENOMEM;
	if (bpf_map_lookup_elem(map_fd, &key, vals) != 0) {
		rc = -errno;
		goto out;
	}
	*sum = 0;
	for (i = 0; i < ncpu; i++)
		*sum += vals[i];
out:
	free(vals);
	return rc;
}

int
xdp_percpu_set(int map_fd, uint32_t key, const void *val, size_t val_size)
{
	int ncpu = libbpf_num_possible_cpus(), i, rc = 0;
	size_t stride = (val_size + 7) & ~(size_t)7;
	char *vals;

	if (ncpu <= 0)
		return ncpu < 0 ? ncpu : -EINVAL;
	vals = calloc(ncpu, stride);
	if (vals == NULL)
		return -ENOMEM;
	for (i = 0; i < ncpu; i++)
		memcpy(vals + (size_t)i * stride, val, val_size);
	if (bpf_map_update_elem(map_fd, &key, vals, BPF_ANY) != 0)
		rc = -errno;
	free(vals);
	return rc;
}

int
xdp_parse_flap(const char *s, uint64_t *down_ns, uint64_t *period_ns)
{
	double down, period;
	char *end;

	if (strcmp(s, "off") == 0) {
		*down_ns = *period_ns = 0;
		return 0;
	}
	errno = 0;
	down = strtod(s, &end);
	if (end == s || *end != '/' || errno != 0)
		return -EINVAL;
	s = end + 1;
	period = strtod(s, &end);
	if (end == s || *end != '\0' || errno != 0 || !(down > 0) || !(period > down) ||
	    period > 3600)
		return -EINVAL;
	*down_ns = (uint64_t)llround(down * XDP_NSEC_PER_SEC);
	*period_ns = (uint64_t)llround(period * XDP_NSEC_PER_SEC);
	return *down_ns > 0 && *down_ns < *period_ns ? 0 : -EINVAL;
}
