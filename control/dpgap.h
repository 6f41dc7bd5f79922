/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Gaps in the record stream where one dataplane instance ended and the
 * next began (serve restarted it, or systemd did): from the end of the
 * newest record of the old instance to the start of the first record of
 * the new one. Nothing was measured in between, so a gap is reported as
 * a gap with its length, never as zero loss and never as all lost.
 *
 * An instance is told apart by its process id (serve's pid file; 0 when
 * unknown) or, failing that, by a link's interval numbers starting again
 * (a new dataplane numbers its intervals from 0; a reconnecting one goes
 * on). Pure.
 */
#ifndef MP_DPGAP_H
#define MP_DPGAP_H

#include <stdbool.h>
#include <stdint.h>

#include "mp_link.h"

struct dpgap {
	uint64_t inst;			/* the current instance's id (pid; 0 unknown) */
	bool any;			/* a record of some instance was seen */
	uint64_t last_end_ns;		/* end of the newest record */
	uint64_t last_seq[MP_MAX_LINKS];
	bool seen[MP_MAX_LINKS];
	uint64_t gaps, gap_ns;		/* all so far */
};

struct dpgap_span {
	uint64_t start_ns, end_ns;	/* old instance's last record end, new one's first start */
	uint64_t old_inst, new_inst;
};

void dpgap_init(struct dpgap *g);
/*
 * A record of link (index) with interval number seq covering
 * [start_ns, end_ns], from instance inst (0: not known). Returns true with
 * *span filled when it is the first record of a new instance after an old
 * one.
 */
bool dpgap_record(struct dpgap *g, uint64_t inst, unsigned int link, uint64_t seq,
		  uint64_t start_ns, uint64_t end_ns, struct dpgap_span *span);

#endif
