/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The kind of a link (issue 13): "pinned" (the default), a probe of one
 * link of the pair, sent to its site's reflector over that link; or
 * "service", a probe through the customer's routing: sent to the customer
 * edge router, which picks the link by BGP, to a reflector behind both
 * sites. A service link is no member of the pair: diversity, the pair's
 * SLA and pair_down ignore it. A config has exactly two pinned links,
 * links[0] and links[1], and at most one service link, links[2], so that
 * "links 0 and 1" stays the pair everywhere.
 *
 * Which link carried the service stream is told by its path probes
 * (carrier.h): its hop addresses against the pinned links' own hops, or
 * against addresses the config names:
 *
 *   { "name": "svc", "kind": "service", "port": ..., "ip": "10.0.0.2/24",
 *     "next_hop": "10.0.0.1", "reflector": "10.1.0.4",
 *     "carrier_interval_ms": 500,          path rounds at least this often
 *                                          (default 1000; 100..60000)
 *     "carriers": {"a": ["192.0.2.2"], "b": ["198.51.100.2"]} }
 *                                          optional: hop addresses that name
 *                                          a pinned link (by its name)
 */
#ifndef MP_LINK_KIND_H
#define MP_LINK_KIND_H

#include <stdint.h>

#include "mp_pkt.h"

#define LINK_KIND_PINNED	0
#define LINK_KIND_SERVICE	1
#define LINK_SERVICE_INDEX	2	/* where the service link is, when there is one */
#define CARRIER_ADDRS_MAX	16	/* per pinned link */
#define CARRIER_INTERVAL_MS	1000

struct carrier_cfg {
	int service;			/* the service link's index, -1: none */
	uint32_t interval_ms;		/* path rounds at least this often */
	int n_addr[2];			/* per pinned link (links[0], links[1]) */
	struct ip_addr addr[2][CARRIER_ADDRS_MAX];
};

struct cfg_ctx;
struct mp_config;
struct cJSON;

/* links[idx]'s "kind" (and a service link's carrier keys) into c; 0 or -EINVAL. */
int link_kind_parse(struct cfg_ctx *x, const struct cJSON *o, const char *base, int idx,
		    struct mp_config *c);
/* Before the links are parsed: n of them is 2 or 3. 0 or -EINVAL. */
int link_kind_count(struct cfg_ctx *x, int n);
/* Once every link is parsed: two pinned links first, a third is the service link. */
int link_kind_check(struct cfg_ctx *x, const struct mp_config *c);
struct mp_link_cfg;
/* Where a link goes, for people: its peering location, or "service" (the customer's routing). */
const char *link_kind_where(const struct mp_link_cfg *l);
/* How many links of c are pinned (the pair: 2 in any parsed config). */
int link_kind_pinned(const struct mp_config *c);
/* The path round interval the dataplane is given: the path section's, or faster for a service link. */
uint32_t link_kind_path_interval(const struct mp_config *c);

#endif
