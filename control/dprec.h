/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The dataplane's records as control uses them: each line decoded once into
 * a typed record (hello, interval, event, end, path) that every sink reads.
 * The interval and the path go through the core's decoders (mp_record.h);
 * the others keep
 * their parsed JSON for what a sink may want beyond the typed fields.
 * No I/O.
 */
#ifndef MP_DPREC_H
#define MP_DPREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "mp_path.h"
#include "mp_stats.h"

enum dprec_type {
	DPREC_HELLO,
	DPREC_INTERVAL,
	DPREC_EVENT,
	DPREC_END,
	DPREC_PATH,		/* a round of path probes of one link */
	DPREC_STREAM,		/* an interval record of one stream of a link (issue 12) */
	DPREC_OTHER,		/* a type this control does not know: skipped, not an error */
};

#define DPREC_HELLO_LINKS_MAX	16

/* What the hello says of one link: the frame sizes it actually sends. */
struct dprec_hello_link {
	const char *name;
	int link;		/* index among the run's links; -1 unknown */
	const char *frame_mix;	/* NULL when absent */
	uint64_t frame_size;	/* 0 when absent */
};

struct dprec {
	enum dprec_type type;
	const char *line;		/* the line as received, without its newline */
	const cJSON *json;		/* the parsed line; valid while the record is */
	uint64_t recv_unix_ns;		/* when control decoded it (CLOCK_REALTIME) */
	int link;			/* interval, event, path: index among the run's links, -1 none */
	/* every type: the dataplane's instance and the record's number; rec 0: none */
	uint64_t instance, instance_start_ns, rec;
	bool again;			/* written before: the hello a resumed stream begins with */
	/* DPREC_INTERVAL, DPREC_STREAM (its interval->stream names the stream) */
	const struct link_interval *interval;
	/* DPREC_EVENT: NULL when absent */
	const char *link_name, *event, *detail;
	/* DPREC_HELLO */
	int n_hello_links;
	struct dprec_hello_link hello_links[DPREC_HELLO_LINKS_MAX];
	/* DPREC_PATH: decoded (allocated; dprec_release frees it) */
	const struct path_record *path;
	/* DPREC_END: "unknown" when absent */
	const char *end_reason;
};

/* The run's link names, in config order: what "link" fields must name. */
struct dprec_links {
	int n;
	const char *name[DPREC_HELLO_LINKS_MAX];
};

/* Index of name among links, or -1. */
int dprec_link_index(const struct dprec_links *links, const char *name);

/*
 * Decode one line (NUL-terminated, no newline) received at recv_unix_ns.
 * li is where an interval is decoded to (a link_interval is large: the
 * caller keeps one). Returns 0 with *r filled, or -EINVAL with err saying
 * why (not JSON, no "type", a bad interval or path, a link not in links); call
 * dprec_release() after a 0.
 */
int dprec_decode(const char *line, const struct dprec_links *links, uint64_t recv_unix_ns,
		 struct link_interval *li, struct dprec *r, char *err, size_t errlen);
void dprec_release(struct dprec *r);

#endif
