/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * metroprobe-dp internals: ports, neighbours, the prober and reflector
 * engines, and the main lcore's reporting loop.
 */
#ifndef MP_DP_H
#define MP_DP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_ring.h>
#include <rte_seqlock.h>

#include "mp_bufsize.h"
#include "mp_hist.h"
#include "mp_jitter.h"
#include "mp_link.h"
#include "mp_mix.h"
#include "mp_pkt.h"
#include "mp_rate.h"
#include "mp_seqwin.h"
#include "mp_stats.h"
#include "mp_time.h"

#define DP_BURST		32
#define DP_MAX_LINKS		MP_MAX_LINKS
#define DP_MAX_QUEUES		MP_MAX_QUEUES	/* queue pairs (lanes) per link */
#define DP_MAX_ADDRS		2	/* one IPv4 and one IPv6 per port */
#define DP_RX_DESC		1024
#define DP_TX_DESC		1024
#define DP_TX_RETRIES		2	/* bounded: then free and count */
#define DP_SNAP_BUFS		64	/* interval snapshots in flight per link */

extern volatile bool dp_force_quit;	/* set by signals: stop now (after draining) */

/*
 * Neighbour (next hop) state; one per configured next hop, written by the
 * lcore that polls the port's queue 0 (the lane that resolves it). Lanes on
 * other lcores read its MAC: resolved, mac and generation change only under
 * the seqlock (dp_nbr_set_mac), and are read with dp_nbr_try_read().
 */
struct dp_nbr {
	struct ip_addr ip;
	rte_seqlock_t lock;		/* guards resolved, mac, generation */
	uint8_t mac[6];
	bool resolved;
	uint32_t generation;		/* bumps on resolve and change */
	bool is_static;
	uint64_t next_solicit_tsc;	/* when to ask (again) */
	uint64_t last_seen_tsc;
	uint32_t changes;		/* MAC changed after first resolution */
};

/* A copy of a next hop's MAC that no update overlapped. */
struct dp_nbr_view {
	bool resolved;
	uint8_t mac[6];
	uint32_t generation;
	uint32_t sn;			/* the seqlock's count it was taken at */
};

/*
 * Has the next hop changed since the copy v? One load: the fast path asks
 * on every burst.
 */
static __rte_always_inline bool
dp_nbr_changed(const struct dp_nbr *n, const struct dp_nbr_view *v)
{
	return rte_seqlock_read_begin(&n->lock) != v->sn;
}

/*
 * Copy the next hop's MAC state into *v, from any lcore. Never waits: when
 * an update is in progress or overlapped the copy, *v is left as it was and
 * false returned (try again on the next burst): a fast-path lcore must not
 * spin on a writer that may share its CPU.
 */
static inline bool
dp_nbr_try_read(const struct dp_nbr *n, struct dp_nbr_view *v)
{
	struct dp_nbr_view c;

	c.sn = rte_seqlock_read_begin(&n->lock);
	if (c.sn & 1)
		return false;
	c.resolved = n->resolved;
	memcpy(c.mac, n->mac, 6);
	c.generation = n->generation;
	if (rte_seqlock_read_retry(&n->lock, c.sn))
		return false;
	*v = c;
	return true;
}

struct dp_port {
	uint16_t port_id;
	uint16_t nb_queues;
	uint8_t mac[6];
	uint64_t speed_bps;		/* 0 unknown */
	uint32_t max_frame;		/* largest frame (with FCS, untagged) the port takes */
	struct rte_mempool *pool;
	bool rx_csum_offload;		/* the NIC checks IPv4 and UDP checksums */
	bool rx_ts_offload;		/* RX timestamp offload requested */
	uint32_t rx_ts_unit_ns;		/* ns per unit of the device's RX timestamp */
	bool link_check_each_poll;	/* memif: polling a port whose peer left crashes */
	struct pkt_encap encap;		/* tags on this port's frames */
	int n_addrs;
	struct ip_addr addr[DP_MAX_ADDRS];
	int plen[DP_MAX_ADDRS];
	int n_nbrs;
	struct dp_nbr nbr[DP_MAX_ADDRS];
	uint64_t arp_nd_handled;
	uint64_t arp_nd_sent;
};

/*
 * mbuf field of a probe TX pool's mbufs: which template the buffer holds
 * (0: none). Every receive path clears it: a frame that came back in one of
 * our buffers (ring and loopback PMDs, an in-process reflector) may have
 * been rewritten. -1 until the prober registers it.
 */
extern int dp_tmpl_tag_off;

static inline void
dp_tmpl_tag_clear(struct rte_mbuf **m, uint16_t n)
{
	uint16_t i;

	if (dp_tmpl_tag_off >= 0)
		for (i = 0; i < n; i++)
			*RTE_MBUF_DYNFIELD(m[i], dp_tmpl_tag_off, uint32_t *) = 0;
}

/* port.c */
int dp_port_setup(struct dp_port *p, uint16_t port_id, uint16_t nb_queues,
		  uint32_t max_frame, uint32_t nb_mbufs);
void dp_port_close(struct dp_port *p);
uint16_t dp_port_by_name(const char *spec);


/* nbr.c: ARP / ND on a port; called on the lcore that polls queue 0 of the port. */
int dp_nbr_add(struct dp_port *p, const struct ip_addr *ip, const uint8_t *static_mac);
/* Resolve n to mac (the writer's side of dp_nbr_try_read; one writer lcore). */
void dp_nbr_set_mac(struct dp_nbr *n, const uint8_t mac[6]);
struct dp_nbr *dp_nbr_find(struct dp_port *p, const struct ip_addr *ip);
/*
 * Handle a parsed ARP/ND frame (answer requests for our addresses, learn
 * next hops). Returns true when it was ARP/ND (the mbuf is then consumed).
 */
bool dp_nbr_input(struct dp_port *p, uint16_t queue, struct rte_mbuf *m,
		  const struct pkt_info *pi, uint64_t now_tsc);
/* Send solicitations that are due. */
void dp_nbr_poll(struct dp_port *p, uint16_t queue, uint64_t now_tsc);
/* Source address of ours for a destination (same family, same subnet if possible). */
const struct ip_addr *dp_port_src_for(const struct dp_port *p, const struct ip_addr *dst);
bool dp_port_is_ours(const struct dp_port *p, const struct ip_addr *a);
/* Send one frame built in buf (copied into an mbuf). Returns 0 or -errno. */
int dp_port_send_raw(struct dp_port *p, uint16_t queue, const uint8_t *buf, uint16_t len);

/* The TSC clock of this process (set once at start-up, read-only after). */
extern struct tsc_clock dp_clock;
/* the TSC rate measured at start (rte_get_tsc_hz() may be nominal only) */
extern uint64_t dp_tsc_hz;
/* Packed STAMP Error Estimate of our timestamps, its error in ns, and S. */
extern uint16_t dp_clock_errest;
extern uint64_t dp_clock_error_ns;
extern bool dp_clock_synced;
void dp_clock_init(void);
uint64_t dp_unix_ns(void);

/* ------------------------------------------------------------------ prober */

/*
 * A link to probe: the specification control handed over (mp_link.h; its
 * members by name, l->rate, or whole as l->spec) and the port it names.
 */
struct probe_link_cfg {
	MP_LINK_SPEC_EMBED;
	uint16_t port_id;		/* port_name, resolved */
};

struct probe_cfg {
	int n_links;
	struct probe_link_cfg links[DP_MAX_LINKS];
	uint64_t interval_ms;
	uint64_t loss_timeout_ms;
	uint64_t duration_ms;		/* 0 = until stopped */
	const char *socket_path;	/* control's unix socket; NULL = stdout */
	bool busy_poll;			/* never sleep */
	uint64_t rx_spin_us;		/* low-rate mode: the shortest reply window */
	const char *host_reflector;	/* benchmarks: a reflector on the first worker */
	enum { DP_RXTS_AUTO = 0, DP_RXTS_DEVICE, DP_RXTS_SOFTWARE } rx_ts_mode;	/* --rx-timestamps */
	const char *rtt_samples_path;	/* --rtt-samples */
	/*
	 * --control-lost: what to do when control's socket closes and control
	 * is not back within control_grace_ms: stop probing and end (a run's
	 * dataplane), or keep probing and backlogging records (a service).
	 */
	enum { DP_CTL_LOST_EXIT = 0, DP_CTL_LOST_KEEP } control_lost;
	uint64_t control_grace_ms;
	/* path probes (probe_path.c): a round every path_interval_ms, 0 = none */
	uint64_t path_interval_ms;
	unsigned path_max_ttl;
	unsigned path_flows;
};

/* probe_args.c: parse the prober's arguments (1: --help was printed). */
int probe_args_parse(int argc, char **argv, struct probe_cfg *cfg);
void probe_usage(FILE *f);

/* ------------------------------------------------------------- reflector */

struct reflector;
/*
 * A reflector turned by another engine's lcore (the benchmarks' probe loop
 * with its far end in one process): spec "port=NAME,ip=ADDR/PLEN"; answers
 * anyone, never sleeps. NULL (after saying why) on a bad spec or port.
 */
struct reflector *reflect_host_open(const char *spec);
void reflect_host_close(struct reflector *r);
/* One turn of a reflector; returns frames received. */
uint16_t reflect_poll(struct reflector *r);

/* --------------------------------------------------------------- engines */

/*
 * One way to run metroprobe-dp (testpmd's struct fwd_engine): main() picks
 * one by the mode's name, once, before EAL starts.
 */
struct dp_engine {
	const char *name;		/* metroprobe-dp [EAL] -- NAME [options] */
	const char *summary;		/* for metroprobe-dp --help */
	/* argv[0] is NAME; its --help too; returns 0, 1 (failed) or 2 (usage) */
	int (*main)(int argc, char **argv);
};

extern const struct dp_engine probe_engine;
extern const struct dp_engine reflect_engine;

/* ------------------------------------------------------------ reporting */

/* A snapshot buffer handed from a worker to the main lcore. */
struct dp_snap {
	struct link_interval li;
	/* neighbour state at snapshot time, for events */
	bool nh_resolved;
	uint8_t nh_mac[6];
	uint32_t nh_generation;
	/* the first ICMP error about our probes in the interval (an event names its source) */
	bool icmp_seen;
	uint8_t icmp_err;
	struct ip_addr icmp_src;
	bool final;			/* last snapshot of this link */
};

#endif
