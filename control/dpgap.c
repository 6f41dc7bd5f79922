/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Gaps between dataplane instances (dpgap.h).
 */
#include <string.h>

#include "dpgap.h"

void
dpgap_init(struct dpgap *g)
{
	memset(g, 0, sizeof(*g));
}

/* Is this record from another instance than the records before it? */
static bool
dpgap_new_instance(const struct dpgap *g, uint64_t inst, unsigned int link, uint64_t seq)
{
	if (!g->any)
		return false;
	if (inst != 0 && g->inst != 0)
		return inst != g->inst;
	return g->seen[link] && seq < g->last_seq[link];
}

bool
dpgap_record(struct dpgap *g, uint64_t inst, unsigned int link, uint64_t seq,
	     uint64_t start_ns, uint64_t end_ns, struct dpgap_span *span)
{
	bool gap;

	if (link >= MP_MAX_LINKS)
		return false;
	gap = dpgap_new_instance(g, inst, link, seq);
	if (gap) {
		span->start_ns = g->last_end_ns;
		span->end_ns = start_ns > g->last_end_ns ? start_ns : g->last_end_ns;
		span->old_inst = g->inst;
		span->new_inst = inst;
		g->gaps++;
		g->gap_ns += span->end_ns - span->start_ns;
		memset(g->seen, 0, sizeof(g->seen));
		g->last_end_ns = 0;
	}
	if (inst != 0)
		g->inst = inst;
	g->any = true;
	g->seen[link] = true;
	g->last_seq[link] = seq;
	if (end_ns > g->last_end_ns)
		g->last_end_ns = end_ns;
	return gap;
}
