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
 * The rules are checked in that order. Pure: no I/O (the result is a cJSON
 * object for the caller to write).
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
#define DIV_MIN_INTERVALS	10		/* intervals known on both links */
#define DIV_SHIFT_P		0.05
#define DIV_MIN_PHI		0.3		/* association that counts as shared */
#define DIV_JOINT_S		5.0		/* seconds both impaired */
#define DIV_MIN_CO_EPISODES	2
#define DIV_PAIR_DOWN_S		5		/* seconds the pair was unavailable */
#define DIV_PARITY_US		1000.0		/* default delay parity bound */
#define DIV_EPISODES_MAX	64		/* co-impairment episodes listed */

/* What the run's configuration says of the pair. */
struct div_config {
	const char *circuit;		/* "metro", "standard", "two-circuits" */
	const char *location[2];
	const char *facility[2];	/* NULL: not in the catalog */
	double parity_us;		/* 0: DIV_PARITY_US */
};

/* One interval window of both links. */
struct div_sample {
	uint8_t state[2];		/* enum fate_state; FATE_UNKNOWN without a record */
	uint64_t min_ns[2], p50_ns[2];	/* 0: no round trip in the interval */
};

struct div_second {
	uint64_t sent[2], lost[2];
};

struct div_episode {
	uint64_t start_unix_ns, end_unix_ns;
};

struct diversity {
	struct div_config cfg;
	uint64_t interval_ns;
	uint64_t t0_ns;			/* start of the first window seen */
	bool started;
	struct impaired_link imp[2];
	struct div_sample *s;
	size_t n, cap;
	struct div_second *sec;
	size_t nsec, seccap;
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

void diversity_init(struct diversity *d, const struct div_config *cfg, uint32_t interval_ms);
void diversity_free(struct diversity *d);
/* One interval record of link 0 (a) or 1 (b); others are ignored. 0 or -ENOMEM. */
int diversity_add(struct diversity *d, int link, const struct link_interval *li);
/* The verdict and the whole "diversity" object (NULL on no memory). */
cJSON *diversity_finish(struct diversity *d, struct div_result *r);

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
