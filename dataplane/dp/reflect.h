/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The reflector's internals, shared by its files:
 *   reflect.c         the engine: the poll loop, its sleep policy, start and end
 *   reflect_args.c    its command line
 *   reflect_reply.c   a request into its reply (addresses, sessions, STAMP)
 *   reflect_impair.c  the emulated link: impairments, and their live reload
 *   reflect_short.c   requests shorter than the base packet
 * A reflector is one struct, owned by the lcore that turns it: reflect
 * mode's main lcore, or a prober worker that hosts it (benchmarks).
 */
#ifndef MP_DP_REFLECT_H
#define MP_DP_REFLECT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_mbuf.h>

#include "mp_impair.h"
#include "mp_pkt.h"
#include "dp.h"
#include "reflect_short.h"

#define MAX_ALLOW	16
#define IMPAIR_CAP	16384		/* replies the emulated link can hold */
#define SESS_SLOTS	4096		/* stateful mode sessions (power of two) */
#define REORDER_HOLD_US	10000		/* a held packet goes out after this at the latest */

struct allow {
	struct ip_addr net;
	int plen;
};

struct session {
	struct ip_addr src;
	uint16_t sport;
	uint16_t ssid;
	uint32_t next_seq;
	bool used;
};

struct reflector {
	struct dp_port port;
	uint16_t udp_port;
	bool stateful;
	bool busy_poll;
	bool allow_any;
	int n_allow;
	struct allow allow[MAX_ALLOW];
	uint64_t idle_sleep_us;
	uint64_t stats_interval_s;
	uint16_t errest;
	/* impairment */
	struct mp_impair_params imp_params;
	uint64_t seed;
	struct mp_impair imp;
	struct mp_impair_item imp_items[IMPAIR_CAP];
	const char *impair_file;	/* re-read on SIGHUP */
	struct session *sess;
	struct reflect_short shrt;	/* requests shorter than 44 bytes */
	/* loop state (reflect_poll) */
	bool impaired;
	bool link_up;
	int window_polls;		/* polls since a predictive wake-up; -1 = none */
	uint64_t last_rx, next_nbr, next_stats, prev_gap, expect_tsc;
	uint64_t guard, guard_min, guard_max;
	uint64_t poll_cycles;		/* cycles spent in reflect_poll (hosted use) */
	/* counters */
	uint64_t rx_frames, reflected;
	uint64_t tx_failed, sess_full;
	uint64_t invalid[MP_R_REASON_MAX];
};

/* reflect.c: what both the reflect mode and a hosted reflector start from */
void reflect_defaults(struct reflector *R);

/* reflect_args.c: 0, 1 (--help printed) or -errno */
int reflect_args_parse(struct reflector *R, int argc, char **argv);

/* reflect_reply.c: the request in m becomes its reply, without T3 and checksums */
enum mp_reason reflect_make_reply(struct reflector *R, struct rte_mbuf *m, uint64_t t2_ntp,
				  uint64_t now_tsc, struct pkt_info *pi);

/* reflect_impair.c */
void reflect_impair(struct reflector *R, struct rte_mbuf *m, uint64_t now);
void reflect_impair_reload(struct reflector *R);

#endif
