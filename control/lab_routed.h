/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The routed lab (lab up --routed), included by lab_internal.h. On top of
 * any topology: a customer edge router (mp-ce) first on both links, the
 * sites' namespaces as the Microsoft edge routers (MSEE-A, MSEE-B), and a
 * VNet (mp-vnet: its gateway and a reflector) behind both; FRR's zebra,
 * bgpd and bfdd in each (lab_frrd.c), configured by lab_frr.c's text.
 *
 *   mp-onprem   mp-ce (AS 65010)       provider      mp-site-a MSEE-A (AS 12076)
 *   mps-p ----- mps-e 10.0.0.1/24                    mpa-r 192.0.2.10 -- mpa-x 203.0.113.1
 *   mpa-p ----- mpa-ei .2  mpa-eo .5 -- rtr-a ------                       |
 *   mpb-p ----- mpb-ei .2  mpb-eo .5 -- rtr-b ---- mp-site-b MSEE-B        mp-vnet (AS 65515)
 *                                                  mpb-r 198.51.100.10     10.1.0.0/24, reflector
 *                                                  mpb-x 203.0.113.5       10.1.0.4 on mpa-g, mpb-g
 */
#ifndef MP_LAB_ROUTED_H
#define MP_LAB_ROUTED_H

#include "lab_frr.h"

#define LAB_ASN_MSEE		12076u	/* Microsoft's */
#define LAB_ASN_CE		65010u	/* the customer's, private */
#define LAB_ASN_GW		65515u	/* an Azure virtual network gateway's */
#define LAB_ONPREM_NET		"10.0.0.0/24"	/* the CE's LAN (mps-e), which it advertises */
#define LAB_ONPREM_CE		"10.0.0.1"
#define LAB_VNET_NET		"10.1.0.0/24"	/* the VNet prefix the gateway advertises */
#define LAB_SERVICE_LINK	"svc"	/* the service link lab.json gets (lab_config.c) */
#define LAB_VNET_REFLECTOR	"10.1.0.4"	/* the VNet's reflector (XDP on mpa-g, mpb-g) */
#define LAB_ONPREM_NET6		"2001:db8:10::/64"	/* with --ipv6: the LAN, the CE ::1 */
#define LAB_ONPREM_CE6		"2001:db8:10::1"
#define LAB_VNET_NET6		"2001:db8:100::/64"	/* ... the VNet, its reflector ::4 */
#define LAB_VNET_REFLECTOR6	"2001:db8:100::4"
#define LAB_GW_BASE6		"2001:db8:f::"	/* MSEE-s ::4s+1, gateway ::4s+2 (/126) */
#define LAB_GW_BASE		0xcb007100u	/* 203.0.113.0: MSEE-s .4s+1, gateway .4s+2 */
#define LAB_BFD_MS		300	/* ExpressRoute's BFD: 300 ms x 3 */
#define LAB_BFD_MULT		3
#define LAB_BGP_KEEPALIVE_S	60	/* the Microsoft edge's keepalive/hold */
#define LAB_BGP_HOLD_S		180
#define LAB_BGP_CONNECT_S	1	/* a restored link is tried again within 1 s */
#define LAB_LOCAL_PREF_A	200	/* the CE prefers link a; b is the standby */
#define LAB_PREPEND_B		2	/* ... and says so to Azure: its AS twice more on b */
#define LAB_ROUTED_WAIT_MS	30000	/* lab up: until every session is up */
#define LAB_FRR_RUN_DIR		"/var/run/frr"	/* + /<netns>: configs, pids, sockets, logs */
#define LAB_FRR_BIN_DIR		"/usr/lib/frr"	/* METROPROBE_FRR_DIR overrides */
#define LAB_N_FRR		4	/* mp-ce, mp-site-a, mp-site-b, mp-vnet */

/* How `lab cut` took a link down (lab_state.cut[]). */
enum lab_cut {
	LAB_CUT_NONE,
	LAB_CUT_BLACKHOLE,	/* the MSEE's end drops every frame: only BFD can tell */
	LAB_CUT_CARRIER,	/* the CE's port loses carrier: the CE sees it at once */
	LAB_CUT_COUNT,
};

/* A routed-lab router: its role, namespace (= FRR pathspace) and name. */
struct lab_rtr {
	const char *name;	/* "ce", "msee-a", "msee-b", "vnet" */
	const char *netns;
};

/* --- lab_routed.c --- */
extern const struct lab_rtr lab_rtrs[LAB_N_FRR];
bool lab_rtr_used(const struct lab_state *st, int i);
int lab_rtr_plan(const struct lab_state *st, int i, struct lab_frr_router *r);
void lab_ce_link_addr(const struct lab_state *st, int s, bool v6, char *buf, size_t len);
int lab_routed_validate(const struct lab_state *st);
int lab_routed_create(const struct lab_state *st, const char *xdp_bin);
int lab_routed_link_routes(const struct lab_state *st, int s);
void lab_routed_report(const struct lab_state *st);

/* --- lab_frrd.c --- */
int lab_frr_start(const struct lab_state *st);
int lab_frr_wait(const struct lab_state *st, unsigned int timeout_ms, bool quiet);
cJSON *lab_frr_status_json(const struct lab_state *st);
void lab_frr_status_print(const cJSON *routing);
cJSON *lab_frr_vtysh_json(const char *netns, const char *cmd);
int lab_frr_kill(bool verbose);
int lab_frr_survivors(void);

/* --- lab_cut.c --- */
extern const char *const lab_cut_names[LAB_CUT_COUNT];
int lab_cut_parse(const char *name);
int lab_cut_apply(struct lab_state *st, int s, enum lab_cut how, const char *xdp_bin);
int lab_cut_restore(struct lab_state *st, int s, const char *xdp_bin);
int lab_cut(int argc, char **argv);
int lab_restore(int argc, char **argv);

#endif
