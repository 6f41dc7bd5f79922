/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Availability (avail.h's definition: 10 severely errored seconds in a row
 * begin unavailable time, 10 good ones end it, gaps are neither) decided
 * second by second as the seconds come, for a service that never has the
 * whole run in hand. A second is decided once the run it belongs to is
 * known: at once, or up to AVAIL_RUN seconds later. The test checks that
 * it decides every second as avail_compute() and avail_pair() do.
 *
 * The pair is unavailable in a second when both links are, and is decided
 * once both links have decided that second. Pure: no I/O, no allocation.
 */
#ifndef MP_AVAIL_STREAM_H
#define MP_AVAIL_STREAM_H

#include <stdbool.h>
#include <stdint.h>

#include "avail.h"

#define AVS_RING	64	/* seconds a stream remembers; a longer run is decided early */

enum avs_flag { AVS_UNDECIDED = 0, AVS_UP, AVS_DOWN, AVS_NODATA };

/* Seconds newly decided by one call. */
struct avs_out {
	uint32_t seconds;	/* with data */
	uint32_t unavail;	/* of them, unavailable */
};

struct avail_stream {
	bool started;
	int64_t last;		/* the newest second pushed */
	bool down;		/* the state before the pending run */
	uint32_t pending;	/* undecided seconds with data (a run of the other class) */
	int64_t pending_from;	/* the first of them */
	uint8_t flag[AVS_RING];	/* enum avs_flag by second % AVS_RING */
};

void avs_init(struct avail_stream *s);
/*
 * Second sec's class (avail_classify()); seconds between the last one and
 * sec are gaps, a second not after the last is ignored. o gets what it
 * decided (added to).
 */
void avs_push(struct avail_stream *s, int64_t sec, uint8_t cls, struct avs_out *o);
/* The data ended: pending seconds keep the current state (as avail_compute()). */
void avs_flush(struct avail_stream *s, struct avs_out *o);
/* Every second up to this one is decided (INT64_MIN: none). */
int64_t avs_decided_through(const struct avail_stream *s);
/* The flag of a decided second (AVS_NODATA when it is older than the ring). */
uint8_t avs_flag(const struct avail_stream *s, int64_t sec);

struct avail_pair_stream {
	int64_t next;		/* the pair's first undecided second; INT64_MIN: none yet */
};

void avps_init(struct avail_pair_stream *p);
/* Decide the pair's seconds that both links have decided. */
void avps_advance(struct avail_pair_stream *p, const struct avail_stream *a,
		  const struct avail_stream *b, struct avs_out *o);

#endif
