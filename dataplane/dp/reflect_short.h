/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DPDK reflector's answer to requests shorter than the 44-byte base
 * packet (TWAMP-light senders send 14 bytes): RFC 8762 section 4.6 says
 * the reflector transmits the base packet. The request's mbuf grows to
 * it; since that amplifies, only allowed sources get it (the caller has
 * checked), each at most at a per-source rate, and it can be refused.
 */
#ifndef MP_REFLECT_SHORT_H
#define MP_REFLECT_SHORT_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "mp_pkt.h"
#include "mp_reason.h"
#include "mp_srclimit.h"

#define REFLECT_SHORT_RATE	1000	/* per source and second */
#define REFLECT_SHORT_BURST	100

struct reflect_short {
	bool refuse;			/* --refuse-short */
	uint64_t rate, burst;		/* --short-rate (0 = no limit), --short-burst */
	struct srclimit *lim;
	uint64_t padded;		/* answered with the base packet */
};

/* Allocate the table (rate and burst set). Returns 0 or -errno. */
int reflect_short_init(struct reflect_short *rs, uint64_t ticks_per_s);
void reflect_short_free(struct reflect_short *rs);
/*
 * m holds a request of pi->lay.payload_len < 44 bytes from an allowed
 * source: make it a 44-byte request (its bytes, then zeros; Ethernet
 * padding dropped; IP and UDP lengths fixed, checksums left to the reply's
 * writer), updating pi. Returns MP_OK, or why it is not answered.
 */
enum mp_reason reflect_short_pad(struct reflect_short *rs, struct rte_mbuf *m,
				 struct pkt_info *pi, uint64_t now_tsc);

#endif
