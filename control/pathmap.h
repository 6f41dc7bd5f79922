/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The path map of a pair of links (issue 10, item 4): from the rounds of
 * path probes the dataplane reports (mp_path.h, record type "path"), per
 * link and per flow the hop list of the latest round (hop n: the address
 * that answered TTL n, "*" where nothing did, the reflector last), the
 * union of every hop a link has shown, the hops both links share, the
 * ECMP alternatives (different hops at one TTL for different flows of one
 * round) and the path changes (a flow's hop list differs from what was
 * known of it before the round: an address where another answered, or the
 * reflector reached at another TTL; a TTL that did not answer this time is
 * a lost answer, not a change, and keeps its earlier address).
 *
 * A shared hop is a router (or the reflector) that both links cross, so
 * one failure away from both links down: the diversity verdict's
 * SHARED-RISK, unless it is expected. Expected are the addresses given to
 * pathmap_expect(): the links' own gateways (the on-premises CE, or the
 * host, that both links leave through is one router by design) and the
 * ones the config names (path.expected_shared). Nothing is dropped
 * silently: every shared address is listed, the expected ones said so, and
 * a first hop (TTL 1 on both links) shared is named on its own.
 *
 * What is no evidence is ignored and counted, never used: an answer from
 * an address that cannot be a router's (unspecified, multicast, loopback,
 * broadcast, another family than the reflector's), the reflector's address
 * answering as a router, a "reflector" answer from another address, an
 * answer for a TTL after the flow ended, and both answers of a TTL that
 * answered twice with different addresses (one of them is spoofed, and
 * nothing says which).
 *
 * Pure: no I/O; addresses are compared in their canonical text form.
 */
#ifndef MP_PATHMAP_H
#define MP_PATHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "mp_path.h"

#define PATHMAP_LINKS		2
#define PATHMAP_ADDR_MAX	48	/* an IPv6 address as text, and its NUL */
#define PATHMAP_UNION_MAX	64	/* distinct hops kept per link */
#define PATHMAP_EXPECTED_MAX	16
#define PATHMAP_CHANGES_MAX	32	/* path changes listed (the first ones) */
#define PATHMAP_ECMP_MAX	32	/* (TTL, address) alternatives listed per link */

enum pathmap_kind {
	PATHMAP_ROUTER,			/* time exceeded from the address */
	PATHMAP_ERROR,			/* another ICMP error: the flow ends there, unreached */
	PATHMAP_REFLECTOR,		/* the reflector's reply: the flow is complete */
};

/* One flow's hop list in one round: hop[t - 1] answered TTL t ("" none). */
struct pathmap_list {
	uint8_t n;			/* TTLs 1..n */
	bool reached;			/* hop[n - 1] is the reflector */
	char hop[PATH_MAX_TTL][PATHMAP_ADDR_MAX];
};

struct pathmap_change {
	int link;
	unsigned flow;
	uint32_t round;
	struct pathmap_list old, cur;
};

struct pathmap_hop {
	char addr[PATHMAP_ADDR_MAX];
	uint8_t ttl;			/* the lowest TTL it answered */
	bool reflector;
};

struct pathmap_ecmp {
	uint8_t ttl;
	char addr[PATHMAP_ADDR_MAX];
};

struct pathmap_link {
	uint32_t rounds;		/* rounds completed */
	bool in_round;
	uint32_t round;			/* the round under way */
	char reflector[PATHMAP_ADDR_MAX];
	uint8_t flows;			/* flows of the round under way */
	uint8_t state[PATH_MAX_FLOWS][PATH_MAX_TTL];	/* this round's answers (pathmap.c) */
	struct pathmap_list cur[PATH_MAX_FLOWS];	/* the round under way */
	/* each flow's path as known: the latest round, a TTL without an answer in it keeping its last */
	struct pathmap_list last[PATH_MAX_FLOWS];
	bool have_last[PATH_MAX_FLOWS];
	int n_hops;
	struct pathmap_hop hops[PATHMAP_UNION_MAX];	/* the union, in order of TTL */
	int n_ecmp;
	struct pathmap_ecmp ecmp[PATHMAP_ECMP_MAX];
	uint64_t ignored;		/* answers that are no evidence */
	uint64_t changes;
};

struct pathmap {
	struct pathmap_link l[PATHMAP_LINKS];
	int n_expected;
	char expected[PATHMAP_EXPECTED_MAX][PATHMAP_ADDR_MAX];
	size_t n_changes;		/* listed in change[] */
	struct pathmap_change change[PATHMAP_CHANGES_MAX];
};

/* A hop both links show. */
struct pathmap_shared {
	char addr[PATHMAP_ADDR_MAX];
	uint8_t ttl[PATHMAP_LINKS];	/* the lowest TTL on each link */
	bool expected;			/* pathmap_expect()ed: no risk */
	bool first;			/* the first hop of both links */
};

/* Called for each path change as a round ends (the live event). */
typedef void (*pathmap_change_fn)(void *arg, const struct pathmap_change *c);

void pathmap_init(struct pathmap *pm);
/* Addr may be shared without risk. 0, or -EINVAL (not an address, or too many). */
int pathmap_expect(struct pathmap *pm, const char *addr);

/*
 * A round of link (0 or 1) begins: flows 1..PATH_MAX_FLOWS traced towards
 * reflector (an address); an unfinished round is dropped. 0 or -EINVAL.
 */
int pathmap_round_begin(struct pathmap *pm, int link, uint32_t round, const char *reflector,
			unsigned flows);
/*
 * An answer in the round under way (addr "*" or NULL: TTL ttl of flow was
 * probed and nothing answered): 0, or -EINVAL when it is no evidence
 * (counted as ignored).
 */
int pathmap_round_hop(struct pathmap *pm, int link, unsigned flow, unsigned ttl,
		      enum pathmap_kind kind, const char *addr);
/*
 * The round is over: flows lists ended at their TTL of completion, the
 * union, ECMP and path changes updated, fn called for each change (fn may
 * be NULL). Returns the number of changes, or -EINVAL without a round.
 */
int pathmap_round_end(struct pathmap *pm, int link, pathmap_change_fn fn, void *arg);
/* A decoded path record of link as one round. */
int pathmap_add_record(struct pathmap *pm, int link, const struct path_record *pr,
		       pathmap_change_fn fn, void *arg);

/* The hops both links show, in link a's TTL order: how many (at most max into out). */
int pathmap_shared(const struct pathmap *pm, struct pathmap_shared *out, int max);
/* Has any link completed a round? */
bool pathmap_any(const struct pathmap *pm);

/* ["192.0.2.5","*","192.0.2.10"] */
cJSON *pathmap_list_json(const struct pathmap_list *l);
/* "192.0.2.5 * 192.0.2.10" (truncated to len) */
void pathmap_list_text(const struct pathmap_list *l, char *buf, size_t len);
/*
 * The "path" object of the diversity analysis: {"a":[hops],"b":[hops],
 * "shared_hops":[..],"shared_expected":[..],"first_hop_shared":{..}|null,
 * "expected":[..],"rounds":{..},"flows":{..},"ecmp":{..},"changes":[..],
 * "changes_total":N,"ignored":{..}}; names: the links' names. NULL on no memory.
 */
cJSON *pathmap_json(const struct pathmap *pm, const char *const names[PATHMAP_LINKS]);

#endif
