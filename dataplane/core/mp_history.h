/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The dataplane's record history: every record line it wrote, numbered
 * 1, 2, ... (mp_resume.h), kept after it was sent, so that a control that
 * restarts gets again what it had received but not yet written.
 *
 * Bounds: a record leaves the history when it is older than keep_ns and
 * some control has had it whole; or, oldest first, when the history holds
 * cap records or max_bytes of lines. So every record of the last keep_ns
 * is there unless the count or byte bound bites first; a record evicted
 * before any control had it is counted in dropped. No I/O.
 */
#ifndef MP_HISTORY_H
#define MP_HISTORY_H

#include <stddef.h>
#include <stdint.h>

struct mp_history_ent {
	char *line;		/* malloc'd, with its newline */
	size_t len;
	uint64_t t_ns;		/* when it was added (the caller's clock) */
};

struct mp_history {
	struct mp_history_ent *e;	/* cap entries; rec r is e[r % cap] */
	uint64_t cap;
	uint64_t first;		/* the oldest record held */
	uint64_t next;		/* the number the next record gets; first == next: empty */
	size_t bytes, max_bytes;
	uint64_t keep_ns;
	uint64_t sent;		/* the highest record some control had whole */
	uint64_t dropped;	/* evicted before any control had them */
};

/* 0, or -ENOMEM / -EINVAL (cap 0). */
int mp_history_init(struct mp_history *h, uint64_t cap, size_t max_bytes, uint64_t keep_ns);
void mp_history_free(struct mp_history *h);
/* The number the next record gets. */
static inline uint64_t
mp_history_next(const struct mp_history *h)
{
	return h->next;
}
/*
 * Add a record (numbered mp_history_next(); takes line, malloc'd, with its
 * newline), evicting what the bounds say at now_ns.
 */
void mp_history_push(struct mp_history *h, char *line, uint64_t now_ns);
/* Record rec's line (its length in *len), or NULL when not held. */
const char *mp_history_get(const struct mp_history *h, uint64_t rec, size_t *len);
/* A control has had rec whole. */
void mp_history_sent(struct mp_history *h, uint64_t rec);

#endif
