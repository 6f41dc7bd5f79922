/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exponential back-off for restarting a process that died: the first
 * restart after min_ns, each quick death doubles the wait up to max_ns,
 * and an instance that ran for stable_ns or longer resets it to min_ns.
 * serve restarts a dataplane with 1 s .. 60 s, stable after 60 s. Pure.
 */
#ifndef MP_BACKOFF_H
#define MP_BACKOFF_H

#include <stdint.h>

struct backoff {
	uint64_t min_ns, max_ns, stable_ns;
	uint64_t next_ns;	/* the wait the next death gets */
	uint64_t deaths;	/* in a row, each within stable_ns of its start */
};

void backoff_init(struct backoff *b, uint64_t min_ns, uint64_t max_ns, uint64_t stable_ns);
/* An instance died after running ran_ns: how long to wait before the next start. */
uint64_t backoff_next(struct backoff *b, uint64_t ran_ns);

#endif
