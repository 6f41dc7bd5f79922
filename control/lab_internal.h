/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the lab's modules share (lab.h is the public side). One concept a
 * file:
 *   lab.c            the command table (up, down, status, impair) and usage
 *   lab_step.c       messages and the set-up steps (commands, in a netns)
 *   lab_topology.c   the sites and routers, the topologies, namespaces,
 *                    veths, addresses, routes, MTU, sysctls
 *   lab_reflectors.c the reflectors per site: dpdk, xdp, kernel; start,
 *                    stop, live changes, hand-over from xdp to dpdk
 *   lab_impair.c     impairments: parsing, checking, `lab impair`
 *   lab_state.c      the state file (what `lab down` must undo)
 *   lab_hugepages.c  the DPDK reflectors' hugepages (hugepages.h)
 *   lab_config.c     the config for `metroprobe run` (lab.json)
 *   lab_up.c         `lab up`
 *   lab_down.c       `lab down`: tear-down and what survived it
 *   lab_status.c     `lab status`
 *   lab_routed.c     the routed lab (lab up --routed): CE, MSEEs, VNet
 *   lab_frr.c        FRR config text (pure); lab_frrd.c its daemons
 *   lab_cut.c        `lab cut` and `lab restore`
 */
#ifndef MP_LAB_INTERNAL_H
#define MP_LAB_INTERNAL_H

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <cjson/cJSON.h>

#include "hugepages.h"
#include "lab.h"
#include "metro.h"
#include "proc.h"

#define LAB_METRO		"Amsterdam Metro"	/* the catalog's (metro.h) */
#define LAB_HP_MOUNT		"/dev/hugepages"	/* rtemap files of older versions */
#define LAB_NO_HUGE_MB		128	/* a reflector without hugepages */
#define LAB_BPF_PIN_DIR		"/sys/fs/bpf/metroprobe"
#define LAB_DPDK_RUN_DIR	"/var/run/dpdk"
#define LAB_DP_PREFIX		"mp-lab-"	/* EAL --file-prefix of lab reflectors */
#define LAB_STAMP_PORT		862
#define LAB_READY_MS		5000
#define LAB_KILL_MS		3000
#define LAB_POLL_MS		50
#define LAB_MAX_DELAY_US	10000000u	/* 10 s */
#define LAB_MAX_FLAP_S		3600	/* the longest flap period */
#define LAB_NSITES		MP_METRO_NSITES	/* one site per peering location */
#define LAB_N_NETNS		8
#define LAB_N_ROOT_IFS		28
#define LAB_NROUTERS		4	/* rtr-a, rtr-b, conduit, ce */
#define LAB_ROUTER_CONDUIT	2	/* its index in lab_routers */
#define LAB_ROUTER_CE		3	/* the routed lab's customer edge (lab_routed.c) */
#define LAB_MAX_HOPS		3	/* routers on one link's path */
#define LAB_MAX_ARGS		64
#define LAB_MAX_PIDS		64
#define LAB_MTU			9000	/* jumbo links: a 9018-byte frame (with FCS) passes */
#define LAB_REFLECTOR_NICE	-10

enum lab_kind {
	LAB_KIND_DPDK,
	LAB_KIND_KERNEL,
	LAB_KIND_XDP,
	LAB_KIND_COUNT,
};

/* Impairment keys given on the command line (a bit per key). */
enum {
	LAB_IMP_LOSS = 1u << 0,
	LAB_IMP_DELAY = 1u << 1,
	LAB_IMP_JITTER = 1u << 2,
	LAB_IMP_DUP = 1u << 3,
	LAB_IMP_REORDER = 1u << 4,
	LAB_IMP_BLACKHOLE = 1u << 5,
	LAB_IMP_CLEAR = 1u << 6,
	LAB_IMP_GE = 1u << 7,
	LAB_IMP_FLAP = 1u << 8,
	LAB_IMP_RATE = 1u << 9,
};
/* What the XDP program can do for kernel and xdp reflectors, and on routers. */
#define LAB_IMP_XDP_OK		(LAB_IMP_LOSS | LAB_IMP_BLACKHOLE | LAB_IMP_CLEAR | LAB_IMP_GE | \
				 LAB_IMP_FLAP | LAB_IMP_RATE)

/*
 * The lab's shapes (lab up --topology). Each link runs from the prober
 * through 0..LAB_MAX_HOPS routers to its site:
 *   diverse         prober - rtr-a - site a,  prober - rtr-b - site b
 *   shared-conduit  prober - conduit - rtr-a - site a, and the same for b
 *   standard        as diverse, but both links end in one site (mp-site-a,
 *                   one peering location)
 *   direct          prober - site: no router (the lab before routers)
 */
enum lab_topo {
	LAB_TOPO_DIVERSE,
	LAB_TOPO_SHARED_CONDUIT,
	LAB_TOPO_STANDARD,
	LAB_TOPO_DIRECT,
	LAB_TOPO_COUNT,
};

/*
 * The fixed shape of one site and its link. Its location and facility are
 * the catalog's: peering location `loc` of the lab's metro. The link is a
 * chain of segments (veth pairs), one more than the routers on it; segment
 * j is the /30 (/126) at 4 * j from base_v4 (base_v6): its near end (to the
 * prober) .1, its far end .2. So the prober is always .1 and its next hop
 * .2 (the first router, or the site with no router), and the site is the
 * far end of the last segment.
 */
struct lab_site_def {
	const char *id;			/* "a" */
	int loc;			/* index in mp_metro.sites */
	const char *netns;
	const char *if_prober;		/* in mp-onprem, owned by the dataplane */
	const char *if_site;		/* in the site netns, the reflector's */
	const char *prober_v4;
	const char *net_v4;		/* the prober's segment: "192.0.2.0/30" */
	const char *prober_v6;
	const char *net_v6;
	unsigned int base_v4;		/* host order: 192.0.2.0 */
	const char *base_v6;		/* "2001:db8:a::" */
	int plen_v4;
	int plen_v6;
	const char *prober_port;	/* the dataplane's vdev for this link */
	int ssid;
};

/*
 * A provider router: a namespace that forwards (and so answers TTL
 * exceeded). Its interfaces on link s are "mp<s>-<tag>i" (towards the
 * prober) and "mp<s>-<tag>o" (towards the site).
 */
struct lab_router_def {
	const char *name;		/* "rtr-a", what `lab impair` takes */
	const char *netns;
	char tag;			/* 'r', 'c' */
	/* its own address (on lo), the source of its ICMP errors to the prober */
	const char *id_v4, *id_v6;
};

struct lab_impair {
	double loss_pct;
	double dup_pct;
	double reorder_pct;
	uint32_t delay_us;
	uint32_t jitter_us;
	bool blackhole;
	/*
	 * Gilbert-Elliott bursts (XDP only), in percent: ge_p = P(good->bad),
	 * ge_r = P(bad->good), ge_k / ge_h = delivery in the good / bad state.
	 * Used instead of loss_pct when ge_p > 0.
	 */
	double ge_p, ge_r, ge_k, ge_h;
	/* Flapping (XDP only): down (all dropped) for flap_down_ms of every flap_period_ms. */
	uint32_t flap_down_ms, flap_period_ms;
	/*
	 * A rate limit (XDP only): a token bucket of rate_limit ("10Mbps": wire
	 * bits as the prober counts them, or "5000pps"; "" = none) and depth
	 * burst (bytes for a bit rate, packets for pps; 0 = the default).
	 */
	char rate_limit[24];
	uint64_t burst;
};

struct lab_site {
	enum lab_kind kind;
	struct lab_impair imp;
	pid_t pid;			/* dpdk reflector, 0 = none */
	int cpu;
	bool hugepages;			/* dpdk: --in-memory, else --no-huge */
};

struct lab_router {
	struct lab_impair imp;		/* loss, blackhole, bursts and flaps (XDP) */
};

struct lab_state {
	long long started_s;
	bool complete;			/* false while `lab up` is still working */
	enum lab_topo topo;
	bool ipv6;			/* the config was written for IPv6 */
	bool hp_ok;			/* the DPDK reflectors' hugepages are free */
	struct hp_lease hp;		/* what `lab up` raised; `lab down` gives it back */
	char config_path[PATH_MAX];
	bool routed;			/* lab up --routed: CE, MSEEs, VNet, FRR */
	int cut[LAB_NSITES];		/* enum lab_cut of each link (lab_cut.c) */
	struct lab_site site[LAB_NSITES];
	struct lab_router router[LAB_NROUTERS];
};

/* The identity of a namespace's file (device, inode), to find its users after its name is gone. */
struct lab_ns_id {
	char name[32];
	dev_t dev;
	ino_t ino;
};

/* --- lab_step.c --- */
/* Set by SIGINT/SIGTERM during `lab up`: stop and remove what was made. */
extern volatile sig_atomic_t lab_interrupted;
/* Which subcommand is running, for error messages ("metroprobe lab up: ..."). */
extern const char *lab_cmd_name;
void lab_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lab_sleep_ms(unsigned int ms);
bool lab_path_exists(const char *path);
int lab_step(const char *ns, enum mp_proc_out out, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* --- lab_topology.c --- */
extern const struct lab_site_def lab_sites[LAB_NSITES];
extern const struct lab_router_def lab_routers[LAB_NROUTERS];
extern const char *const lab_all_netns[LAB_N_NETNS];
extern const char *const lab_root_ifs[LAB_N_ROOT_IFS];
extern const char *const lab_topo_names[LAB_TOPO_COUNT];
int lab_topo_parse(const char *name);
const struct mp_metro *lab_metro(void);
const char *lab_site_location(int s);
const char *lab_site_facility(int s);
int lab_site_index(const char *id);
int lab_router_index(const char *name);
int lab_link_loc(const struct lab_state *st, int s);
const char *lab_site_netns(const struct lab_state *st, int s);
int lab_link_hops(const struct lab_state *st, int s, int hops[LAB_MAX_HOPS]);
bool lab_router_used(const struct lab_state *st, int r);
bool lab_netns_wanted(const struct lab_state *st, const char *ns);
void lab_router_if(int s, int r, bool out, char *buf, size_t len);
void lab_seg_addr(int s, int seg, bool far, bool v6, char *buf, size_t len);
void lab_seg_net(int s, int seg, bool v6, char *buf, size_t len);
void lab_site_addr(const struct lab_state *st, int s, bool v6, char *buf, size_t len);
void lab_site_gateway(const struct lab_state *st, int s, bool v6, char *buf, size_t len);
bool lab_any_netns(void);
int lab_no_ipv6(const char *ns, const char *ifname);
int lab_topology_create(const struct lab_state *st);
int lab_link_routes(const struct lab_state *st, int s);

/* --- lab_impair.c --- */
int lab_impair_parse(const char *spec, struct lab_impair *imp, unsigned int *mask,
		     char *err, size_t errlen);
bool lab_impair_any(const struct lab_impair *imp);
struct mp_tbucket_cfg;
/* The token bucket of imp's rate limit (rate 0: none); -EINVAL when it cannot be one. */
int lab_impair_tbucket(const struct lab_impair *imp, struct mp_tbucket_cfg *tb);
int lab_impair_validate(const struct lab_impair *imp, enum lab_kind kind, char *err,
			size_t errlen);
bool lab_impair_needs_dpdk(const struct lab_impair *imp);
void lab_impair_str(const struct lab_impair *imp, char *buf, size_t len);
cJSON *lab_impair_json(const struct lab_impair *imp);
void lab_impair_from_json(const cJSON *imp, struct lab_impair *out);
int lab_impair(int argc, char **argv);
int lab_router_impair(const struct lab_state *st, int r, const char *xdp_bin,
		      const struct lab_impair *imp);

/* --- lab_reflectors.c --- */
extern const char *const lab_kind_names[LAB_KIND_COUNT];
int lab_kind_parse(const char *name);
void lab_log_path(int s, char *buf, size_t len);
void lab_impair_file(int s, char *buf, size_t len);
bool lab_pid_alive(pid_t pid);
bool lab_pid_lab_prefix(pid_t pid, char *prefix, size_t len);
bool lab_reflector_alive(pid_t pid, int s);
bool lab_pid_has_arg(pid_t pid, const char *arg);
int lab_kill_pids(const pid_t *pids, int n);
int lab_reflector_pids(pid_t *pids, int n, int max);
int lab_kill_reflectors(const struct lab_state *st, bool verbose);
int lab_dpdk_start(struct lab_state *st, int s, const char *dp_bin);
int lab_dpdk_update(const struct lab_state *st, int s, const struct lab_impair *imp);
int lab_xdp_attach(const struct lab_state *st, int s, const char *xdp_bin);
int lab_xdp_impair_if(const char *ns, const char *ifname, const char *xdp_bin,
		      const struct lab_impair *imp, bool set_blackhole);
int lab_xdp_impair(const struct lab_state *st, int s, const char *xdp_bin,
		   const struct lab_impair *imp, bool set_blackhole);
int lab_xdp_to_dpdk(struct lab_state *st, int s, const struct lab_impair *imp);

/* --- lab_state.c --- */
void lab_state_init(struct lab_state *st);
cJSON *lab_state_json(const struct lab_state *st);
void lab_state_from_json(const cJSON *root, struct lab_state *st);
int lab_state_save(const struct lab_state *st);
int lab_state_load(struct lab_state *st);
double lab_jnum(const cJSON *o, const char *key, double def);
bool lab_jbool(const cJSON *o, const char *key);
const char *lab_jstr(const cJSON *o, const char *key);
void lab_iso_time(long long t, char *buf, size_t len);

/* --- lab_hugepages.c --- */
void lab_hugepages_prepare(struct lab_state *st, int n_dpdk);
void lab_hugepages_restore(struct lab_state *st, bool verbose);
void lab_hugepages_teardown(struct lab_state *st, bool verbose);

/* --- lab_config.c --- */
cJSON *lab_config_json(const struct lab_state *st);
char *lab_config_text(const struct lab_state *st);
int lab_config_write(const char *path, const struct lab_state *st);

/* --- lab_up.c, lab_down.c, lab_status.c: the commands --- */
void lab_up_usage(FILE *f);
int lab_up(int argc, char **argv);
int lab_teardown(struct lab_state *st, bool verbose, struct lab_ns_id *ids, int *n_ids);
int lab_down(int argc, char **argv);
int lab_status(int argc, char **argv);

#include "lab_routed.h"

#endif
