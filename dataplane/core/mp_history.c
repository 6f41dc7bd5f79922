/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The record history (see mp_history.h): a ring of lines indexed by their
 * record number.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mp_history.h"

int
mp_history_init(struct mp_history *h, uint64_t cap, size_t max_bytes, uint64_t keep_ns)
{
	memset(h, 0, sizeof(*h));
	if (cap == 0)
		return -EINVAL;
	h->e = calloc(cap, sizeof(*h->e));
	if (h->e == NULL)
		return -ENOMEM;
	h->cap = cap;
	h->first = h->next = 1;
	h->max_bytes = max_bytes;
	h->keep_ns = keep_ns;
	return 0;
}

static void
history_evict(struct mp_history *h)
{
	struct mp_history_ent *e = &h->e[h->first % h->cap];

	if (h->first > h->sent)
		h->dropped++;
	h->bytes -= e->len;
	free(e->line);
	memset(e, 0, sizeof(*e));
	h->first++;
}

/* Must the oldest record go before one of len bytes is added at now_ns? */
static bool
history_full(const struct mp_history *h, size_t len, uint64_t now_ns)
{
	const struct mp_history_ent *e = &h->e[h->first % h->cap];

	if (h->first == h->next)
		return false;
	if (h->next - h->first >= h->cap || h->bytes + len > h->max_bytes)
		return true;
	return h->first <= h->sent && now_ns - e->t_ns > h->keep_ns;
}

void
mp_history_push(struct mp_history *h, char *line, uint64_t now_ns)
{
	struct mp_history_ent *e;
	size_t len = line != NULL ? strlen(line) : 0;

	while (history_full(h, len, now_ns))
		history_evict(h);
	e = &h->e[h->next % h->cap];
	e->line = line;
	e->len = len;
	e->t_ns = now_ns;
	h->bytes += len;
	h->next++;
}

const char *
mp_history_get(const struct mp_history *h, uint64_t rec, size_t *len)
{
	const struct mp_history_ent *e;

	if (rec < h->first || rec >= h->next)
		return NULL;
	e = &h->e[rec % h->cap];
	*len = e->len;
	return e->line;
}

void
mp_history_sent(struct mp_history *h, uint64_t rec)
{
	if (rec > h->sent && rec < h->next)
		h->sent = rec;
}

void
mp_history_free(struct mp_history *h)
{
	while (h->e != NULL && h->first != h->next)
		history_evict(h);
	free(h->e);
	memset(h, 0, sizeof(*h));
}
