/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which link of the pair carried the service stream (link_kind.h), told
 * from the service link's path probes: a hop address is evidence of a link
 * when the config names it for that link ("carriers"), or when that
 * pinned link's own path rounds showed it and the other's never did. A
 * round whose hops name exactly one link says that link carried it; a
 * round that names none, or both (ECMP over both links, a config that
 * lists one address twice), says nothing: -1, written null. Never a guess.
 *
 * An interval record of the service link is carried by what the latest
 * round said, while that round is fresh (ended at most stale_ns before the
 * interval did); after that it cannot be told. So a change of route shows
 * within one path round (carrier_interval_ms, plus the round's own time).
 *
 * Pure: no I/O, no clock; times are the records' UNIX ns.
 */
#ifndef MP_CARRIER_H
#define MP_CARRIER_H

#include <stdbool.h>
#include <stdint.h>

#include "link_kind.h"
#include "mp_path.h"

#define CARRIER_SEEN_MAX	64	/* hop addresses learned per pinned link */
#define CARRIER_UNKNOWN		2	/* carried_ns[] of the time it could not be told */

struct carrier {
	const struct carrier_cfg *cfg;
	uint64_t stale_ns;
	int n_seen[2];
	struct ip_addr seen[2][CARRIER_SEEN_MAX];	/* the pinned links' own hops */
	int round_carrier;		/* what the latest round said: 0, 1, -1 */
	uint64_t round_end_ns;		/* when it ended; 0: no round yet */
	uint64_t rounds;
	bool have_last;			/* an interval has been told */
	int last;			/* the latest interval's carrier: 0, 1, -1 */
	uint64_t carried_ns[3];		/* per pinned link, then CARRIER_UNKNOWN */
	uint64_t changes;		/* intervals whose carrier differs from the one before */
};

void carrier_init(struct carrier *c, const struct carrier_cfg *cfg, uint64_t stale_ns);
/* A round of pinned link (0 or 1): its routers' and reflector's addresses are its evidence. */
void carrier_learn(struct carrier *c, int pinned, const struct path_record *pr);
/* What a round of the service link says: 0, 1, or -1. */
int carrier_of_round(const struct carrier *c, const struct path_record *pr);
/* A round of the service link: the latest word. */
void carrier_round(struct carrier *c, const struct path_record *pr);
/*
 * An interval record [start_ns, end_ns) of the service link: its carrier
 * (0, 1, -1), its time added to that carrier's. Returns true when the
 * carrier differs from the previous interval's (*from: that one; the first
 * interval is no change).
 */
bool carrier_interval(struct carrier *c, uint64_t start_ns, uint64_t end_ns, int *now, int *from);

#endif
