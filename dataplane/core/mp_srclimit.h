/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A token bucket per source address, in a small fixed table: how a
 * reflector bounds what it sends to one source beyond what that source
 * sent it (RFC 8762 4.6 makes it answer a short request with the 44-byte
 * base packet: an amplification, allowed only for sources on the
 * allowlist and only this often). Four-way set-associative; a source that
 * finds its set full takes the slot of the one seen longest ago, with a
 * full bucket (the allowlist bounds who can do that).
 *
 * Time is in ticks of any clock (the TSC in the DPDK reflector); a request
 * costs ticks_per_s tokens, each tick adds rate tokens, a bucket holds
 * burst requests' worth.
 */
#ifndef MP_SRCLIMIT_H
#define MP_SRCLIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "mp_pkt.h"

#define SRCLIMIT_SETS	256
#define SRCLIMIT_WAYS	4

struct srclimit_entry {
	struct ip_addr src;	/* family 0: free */
	uint64_t tokens;
	uint64_t last;
};

struct srclimit {
	uint64_t rate;		/* requests per second; 0 = no limit */
	uint64_t cost;		/* ticks per second: tokens per request */
	uint64_t cap;		/* burst * cost */
	uint64_t evicted;	/* sources that lost their slot to another */
	struct srclimit_entry e[SRCLIMIT_SETS * SRCLIMIT_WAYS];
};

/* rate per second (0 = no limit), burst >= 1. Returns 0 or -EINVAL. */
int srclimit_init(struct srclimit *l, uint64_t rate, uint64_t burst, uint64_t ticks_per_s);
/* May src send one more now? Takes a token if so. */
bool srclimit_take(struct srclimit *l, const struct ip_addr *src, uint64_t now);

#endif
