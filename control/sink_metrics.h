/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The metrics sink (sink_metrics_ops) and its state, shared by the sink
 * (sink_metrics.c: records, routes) and its exposition
 * (sink_metrics_expo.c: the state as Prometheus text, no I/O).
 */
#ifndef MP_SINK_METRICS_H
#define MP_SINK_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "agg.h"
#include "http.h"
#include "metrics.h"
#include "mp_link.h"
#include "rtt_buckets.h"
#include "sink.h"

extern const struct sink_ops sink_metrics_ops;	/* /metrics, /healthz, /summary on --listen */

struct sink_metrics {
	const struct sink_env *env;
	struct http_server *http;
	struct rtt_buckets buckets;
	int buckets_from;		/* RTT thresholds the buckets were made with */
	uint64_t stale_ns;		/* no record for longer: the dataplane is stale */
	uint64_t hello_unix_ns;		/* the latest hello's receive time; 0 none */
	uint64_t last_unix_ns;		/* the latest interval record's receive time; 0 none */
	uint64_t records;
	bool ended;
	char end_reason[32];
	uint64_t jitter_ns[MP_MAX_LINKS];	/* the newest record's with RTT samples */
	bool have_jitter[MP_MAX_LINKS];
	struct metrics_buf buf;		/* the reply being built, reused */
	char health[160];
	struct agg_link agg[];		/* one per configured link */
};

/* The whole exposition of m at now_unix_ns into b (appended). */
void metrics_expose(const struct sink_metrics *m, uint64_t now_unix_ns, struct metrics_buf *b);
/* The board's diversity object's verdict and numbers (nothing when it has none). */
void metrics_expose_diversity(const struct sink_metrics *m, struct metrics_buf *b);
/* 1 when the dataplane is up (why: since when), 0 with why it is not. */
int metrics_dataplane_up(const struct sink_metrics *m, uint64_t now_unix_ns, char *why,
			 size_t len);
void metrics_route_metrics(void *cookie, const char *path, struct http_reply *rep);
void metrics_route_healthz(void *cookie, const char *path, struct http_reply *rep);
void metrics_route_summary(void *cookie, const char *path, struct http_reply *rep);

#endif
