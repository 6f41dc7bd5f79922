/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Site diversity of a pair of links (issue 10): are the two links of a
 * circuit as independent as their locations promise? From both links'
 * interval records, aligned by interval window, it keeps per interval
 * each link's impaired state (impaired.h), min and median round trip, and
 * per second the probes sent and lost; from their path records, the hops
 * (diversity_path.c); at the end it says:
 *   NOT-DIVERSE            by configuration: a standard circuit, or both
 *                          links at one location;
 *   SHARED-RISK            a hop on both links' paths (a router, or the
 *                          reflector, that answered both links' path
 *                          probes; pathmap.h) that is not expected, named
 *                          in the reason. Expected are the links' gateways
 *                          (next_hop: an on-premises router both leave
 *                          through is one router by design) and
 *                          path.expected_shared; a shared first hop is
 *                          named apart but is no exception (the lab's
 *                          conduit is the first hop of both links). Or
 *                          the links fail together: the pair itself
 *                          unavailable (both links down, Y.1563) for
 *                          DIV_PAIR_DOWN_S or more; or, with phi >= 0.3
 *                          (a strong association, whatever the base
 *                          rates), co-impairment in at least 2 episodes
 *                          that the time-shift null calls significant
 *                          (shift_p < 0.05), or both impaired together for
 *                          DIV_JOINT_S or more with Fisher p < 0.05 (a
 *                          periodic common cause, a flapping conduit, is
 *                          invisible to the time-shift null: its period
 *                          is one of the lags);
 *   INSUFFICIENT-EVIDENCE  fewer than DIV_MIN_INTERVALS intervals known on
 *                          both, or fewer than DIV_MIN_EPISODES impairment
 *                          episodes on both links (below that no test can
 *                          tell chance from a shared cause);
 *   DIVERSE                enough episodes and no significant
 *                          co-impairment; or one link impaired in at least
 *                          DIV_MIN_EPISODES episodes and the other never
 *                          impaired with it (P(B | A) = 0: the other link
 *                          rode through every failure).
 * The rules are checked in that order; the thresholds (impaired, parity,
 * DIV_MIN_EPISODES) come from the config's "diversity" section
 * (diversity_config.c). Losses are attributed to the windows their probes
 * were sent in (lossattr.h), and a window is final a loss timeout and
 * DIV_SETTLE_MARGIN windows after it. The series kept is the last keep_s
 * (24 h by default): the verdict covers that span ("series" in the
 * object). Pure: no I/O (the result is a cJSON object for the caller to
 * write).
 */
#ifndef MP_DIVERSITY_H
#define MP_DIVERSITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "impaired.h"
#include "mp_stats.h"

struct pathmap;

#define DIV_MIN_EPISODES	3		/* impairment episodes per link for a verdict */
#define DIV_MIN_EPISODES	3		/* default: impairment episodes per link for a verdict */
#define DIV_MIN_INTERVALS	10		/* intervals known on both links */
#define DIV_SHIFT_P		0.05
#define DIV_MIN_PHI		0.3		/* association that counts as shared */
#define DIV_JOINT_S		5.0		/* seconds both impaired */
#define DIV_MIN_CO_EPISODES	2
#define DIV_PAIR_DOWN_S		5		/* seconds the pair was unavailable */
#define DIV_PARITY_US		1000.0		/* default delay parity bound */
#define DIV_EPISODES_MAX	64		/* co-impairment episodes listed */
#define DIV_KEEP_S		86400		/* default: the series kept, the last 24 h */
#define DIV_WINDOWS_MAX		8640000u	/* windows kept at most: 24 h of 10 ms, 165 MB */
#define DIV_SETTLE_MARGIN	3		/* windows the other link's record may lag */

/* What the run's configuration says of the pair, and how to judge it. */
struct div_config {
	const char *circuit;		/* "metro", "standard", "two-circuits" */
	const char *location[2];
	const char *facility[2];	/* NULL: not in the catalog */
	double parity_us;		/* 0: DIV_PARITY_US */
	struct impaired_rule rule;	/* loss_ratio 0: IMPAIRED_LOSS_RATIO; rtt 0: IMPAIRED_RTT_EXCESS_NS */
	uint32_t min_episodes;		/* 0: DIV_MIN_EPISODES */
	/*
	 * The dataplane's loss timeout: a loss is counted that long after its
	 * probe was sent, and attributed back (lossattr.h). 0: in its window.
	 */
	uint32_t loss_timeout_ms;
	uint32_t keep_s;		/* the series kept (the verdict's span); 0: DIV_KEEP_S */
};

/*
 * One interval window of both links, once final (its losses attributed).
 * share: how much of the window the link was impaired, 0..255 (the share
 * of its probes lost, or all of it when impaired by delay): an outage
 * that begins or ends inside a window impairs the whole window but only
 * part of its time. Round trips in ns, saturated at UINT32_MAX (4.29 s;
 * beyond any metro round trip): 20 bytes a window, 720 kB an hour at 100 ms.
 */
struct div_sample {
	uint8_t state[2];		/* enum fate_state; FATE_UNKNOWN without a record */
	uint8_t share[2];		/* 0 when not impaired */
	uint32_t min_ns[2], p50_ns[2];	/* 0: no round trip in the interval */
};

struct div_second {
	uint64_t sent[2], lost[2];
};

struct div_episode {
	uint64_t start_unix_ns, end_unix_ns;
};

/*
 * The last max elements of a series numbered from 0 (a ring that grows up
 * to max, then forgets its oldest): first is the number of the oldest kept.
 */
struct div_ring {
	void *p;
	size_t sz, cap, max, head, n;
	uint64_t first;
};

struct diversity {
	struct div_config cfg;
	uint64_t interval_ns;
	uint64_t t0_ns;			/* start of window 0: an interval before the first record */
	bool started;
	struct impaired_link imp[2];
	struct lossattr la[2];		/* windows not final yet, per link */
	uint64_t settled;		/* windows final: 0 .. settled - 1 */
	uint64_t newest;		/* the newest window a record came for */
	struct div_ring s;		/* struct div_sample per window, the last keep_s */
	struct div_ring sec;		/* struct div_second per second, the last keep_s */
	/*
	 * Room for what diversity_object() copies out of the rings (the
	 * round-trip differences whose quantiles it selects, the links'
	 * states, the seconds' classes): kept from one call to the next,
	 * never freed before diversity_free. Allocated afresh per call,
	 * these temporaries grew with the series, and glibc kept the holes
	 * they left between the board's objects: the heap of serve grew by
	 * about 10 KiB a minute.
	 */
	void *scratch;
	size_t scratch_cap;
	uint64_t other_link[2];		/* replies of one link's session on the other's port */
	struct pathmap *path;		/* diversity_path.c; NULL: no path record, nothing expected */
};

/* A result, for the sink's events and console (the JSON has all of it). */
struct div_result {
	const char *verdict;
	char reason[4][192];
	int n_reasons;
	size_t n_episodes;
	struct div_episode ep[DIV_EPISODES_MAX];
};

/* 0 or -ENOMEM. */
int diversity_init(struct diversity *d, const struct div_config *cfg, uint32_t interval_ms);
void diversity_free(struct diversity *d);
/*
 * One interval record of link 0 (a) or 1 (b); others are ignored. Windows
 * become final (diversity_sample) as the records go on. 0 or -ENOMEM.
 */
int diversity_add(struct diversity *d, int link, const struct link_interval *li);
/* Window w once final and still kept, else NULL. */
const struct div_sample *diversity_sample(const struct diversity *d, uint64_t w);
/* When window w starts. */
uint64_t diversity_window_ns(const struct diversity *d, uint64_t w);
/*
 * The verdict and the object of the windows final so far (NULL on no
 * memory). Its working room is d's scratch, grown when the series has
 * grown (reserved whole by diversity_reserve).
 */
cJSON *diversity_object(struct diversity *d, struct div_result *r);
/* Every window made final (the run ended: no loss will be counted any more). 0 or -ENOMEM. */
int diversity_flush(struct diversity *d);
/* diversity_flush(), then diversity_object(). */
cJSON *diversity_finish(struct diversity *d, struct div_result *r);
/*
 * The k-th smallest (from 0) of v[0..n), n > k, in place, allocating
 * nothing: Hoare's selection, O(n) expected; after `rounds` partitions
 * (diversity_nth: 2 log2 n + 16) a heapsort of what is left, so never
 * worse than O(n log n). v is reordered.
 */
double diversity_nth(double *v, size_t n, size_t k);
double diversity_nth_rounds(double *v, size_t n, size_t k, unsigned rounds);
/* Bytes the analysis holds now. */
size_t diversity_bytes(const struct diversity *d);
/*
 * Take the whole keep_s span's memory now (the rings at their largest and
 * the object's scratch for them, every page written) instead of as the
 * windows come: a service's memory is then flat from its start. At 100 ms
 * windows and 24 h: 864,000 samples of 20 B, 86,401 seconds of 32 B and a
 * scratch of 8 B a window, 26.9 MB. 0 or -ENOMEM.
 */
int diversity_reserve(struct diversity *d);

/*
 * diversity_path.c, the path part. _config: the hops expected to be shared
 * (the links' next hops, path.expected_shared); _expect: one more (a
 * replay's, from its summary). _add: link's (0 or 1) round of path probes;
 * each path change raised on bus (NULL: none) as a path_change event of
 * the link name; returns the changes or -ENOMEM. _shared: add the
 * SHARED-RISK reason of unexpected shared hops to r, true if any. _json:
 * o.path (null, with o.path_reason, without path records).
 */
struct mp_config;
struct path_record;
struct sink_bus;
int diversity_path_config(struct diversity *d, const struct mp_config *cfg);
int diversity_path_expect(struct diversity *d, const char *addr);
int diversity_path_add(struct diversity *d, int link, const struct path_record *pr,
		       struct sink_bus *bus, const char *name);
bool diversity_path_shared(const struct diversity *d, struct div_result *r);
void diversity_path_json(const struct diversity *d, cJSON *o);
void diversity_path_free(struct diversity *d);

/* sink_diversity.c: the pair's facts from a config, and the verdict for people. */
struct mp_config;
void diversity_config_of(const struct mp_config *cfg, struct div_config *dc);
void diversity_print(FILE *out, const struct div_result *r);

#endif
