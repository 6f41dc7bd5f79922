/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * FRRouting configuration text for the routed lab's routers, made from a
 * plain description (addresses, ASNs, timers): pure, no I/O, so that the
 * text for given addresses is checked by unit tests. lab_routed.c fills
 * the descriptions, lab_frrd.c writes the files and starts the daemons.
 */
#ifndef MP_LAB_FRR_H
#define MP_LAB_FRR_H

#include <stdbool.h>
#include <stddef.h>

#define LAB_FRR_MAX_NEIGH	8
#define LAB_FRR_MAX_NET		4
#define LAB_FRR_ADDR		48	/* an address as text */
#define LAB_FRR_BFD_PROFILE	"expressroute"

/* One eBGP neighbour. */
struct lab_frr_neigh {
	char label[16];			/* "a": route-map names, descriptions */
	char addr[LAB_FRR_ADDR];
	char local[LAB_FRR_ADDR];	/* update-source when multihop ("" = none) */
	unsigned int asn;
	int hops;			/* 1 directly connected, more: ebgp-multihop */
	bool bfd;			/* BFD with the profile (lab_frr_bfdd_conf) */
	unsigned int local_pref;	/* set on what it sends us; 0 = default (100) */
	int prepend;			/* our AS this many times more on what we send */
	bool own_only;			/* send only our own networks (a customer edge) */
	char desc[64];
	bool v6;			/* an IPv6 session (address-family ipv6 unicast) */
};

/* One router: its bgpd and bfdd. */
struct lab_frr_router {
	char name[32];			/* hostname */
	unsigned int asn;
	char router_id[LAB_FRR_ADDR];
	unsigned int keepalive_s, hold_s;
	unsigned int connect_s;		/* connect retry: how soon a restored link is tried */
	unsigned int bfd_interval_ms, bfd_mult;
	int n_neigh;
	struct lab_frr_neigh neigh[LAB_FRR_MAX_NEIGH];
	int n_net;
	char net[LAB_FRR_MAX_NET][LAB_FRR_ADDR];	/* networks it originates (v6: with ':') */
};

/*
 * The config texts into buf (NUL-terminated); the length, or -1 when buf
 * is too small or the description is not one we can write.
 */
int lab_frr_bgpd_conf(const struct lab_frr_router *r, char *buf, size_t len);
int lab_frr_bfdd_conf(const struct lab_frr_router *r, char *buf, size_t len);
int lab_frr_zebra_conf(const struct lab_frr_router *r, char *buf, size_t len);

#endif
