/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The streams of summary.json (issue 12): each stream of a link aggregated
 * on its own (agg.c, from its interval records), written as
 * links[i].streams[] with the same keys as a link object (the same writer,
 * agg_link_object) plus name, ssid, dscp, pcp, rate (as configured) and
 * the frames configured and sent; present only for a link with streams.
 * The link's object stays the aggregate of the link's own records, which
 * the dataplane makes as the merge of its streams. No I/O.
 */
#ifndef MP_SUMMARY_STREAMS_H
#define MP_SUMMARY_STREAMS_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "agg.h"
#include "config.h"

struct summary_streams {
	const struct mp_config *cfg;
	struct agg_link *agg[MP_MAX_LINKS];	/* n_streams each; NULL: a link without streams */
	uint64_t unknown;			/* records naming no configured stream */
};

/* 0, or -ENOMEM. */
int summary_streams_init(struct summary_streams *ss, const struct mp_config *cfg);
void summary_streams_free(struct summary_streams *ss);
/* One stream record of link (r->link) whose interval->stream names the stream. */
void summary_streams_add(struct summary_streams *ss, int link, const struct link_interval *li);
/*
 * Add "streams" to each link object of sum->links that has streams;
 * hello: the dataplane's (its lanes say the frames each stream sent), or NULL.
 */
void summary_streams_json(struct summary_streams *ss, cJSON *sum, const cJSON *hello,
			  uint64_t end_ns);
/* The table's rows of each stream, "a/voice", under their link's, in the table's columns. */
void summary_streams_rows(const cJSON *link, void (*row)(FILE *f, const char *name,
							  const cJSON *o), FILE *f);

#endif
