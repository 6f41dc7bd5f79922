/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a run of a config needs on this machine, found before DPDK would
 * say it less clearly: the dataplane binary, each link's network namespace
 * and interface, a vdev kind DPDK has, a PCI device; and its memory (2 MB
 * hugepages, or the --no-huge heap). Used by `check` and by every run.
 */
#ifndef MP_PREFLIGHT_H
#define MP_PREFLIGHT_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

/*
 * Append "; "-separated problems to out (dp_err first when not ""): what
 * would make a run of cfg fail here. Returns how many.
 */
int preflight_problems(const struct mp_config *cfg, const char *dp_err, char *out, size_t len);
/* 2 MB pages metroprobe-dp probe will allocate for cfg. */
long preflight_hugepages(const struct mp_config *cfg);
/* The --no-huge heap in MB: memory_mb, or what the dataplane needs if that is more. */
long preflight_no_huge_mb(const struct mp_config *cfg);
/* Every port a vdev (so the dataplane can run without hugepages). */
bool preflight_all_vdev(const struct mp_config *cfg);

#endif
