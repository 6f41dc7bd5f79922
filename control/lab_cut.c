/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `metroprobe lab cut LINK --method blackhole|carrier` and `lab restore
 * LINK` on a routed lab: a link fails in one of the two ways that matter
 * for how fast routing leaves it, and comes back.
 *
 *   blackhole  the MSEE's end of the link goes dark: every frame arriving
 *              at its interface, and at the one facing it, is dropped
 *              (XDP, --blackhole all: BGP's TCP and ARP too), with the
 *              carrier up: only BFD (300 ms x 3) can tell the CE.
 *   carrier    the CE's port on the link goes down (loss of light; the
 *              provider's side loses carrier): its routes over it go at once.
 *
 * lab_cut_apply and lab_cut_restore are what a drill calls; the commands
 * print when the cut took effect (the clock the drill's records use).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lab_internal.h"
#include "util.h"

const char *const lab_cut_names[LAB_CUT_COUNT] = { "none", "blackhole", "carrier" };

int
lab_cut_parse(const char *name)
{
	int c;

	for (c = 0; c < LAB_CUT_COUNT; c++)
		if (strcmp(name, lab_cut_names[c]) == 0)
			return c;
	return -1;
}

/*
 * The interface a carrier cut of link s takes down: the CE's port on it,
 * as a router takes a port down on loss of light (the far side loses
 * carrier). The kernel drops the routes over it at once, zebra with them,
 * and with them the next hop of the link's BGP routes: a multihop session
 * across the provider's routers would otherwise wait for BFD too.
 */
static void
lab_cut_carrier_if(const struct lab_state *st, int s, const char **ns, char *ifname, size_t len)
{
	*ns = LAB_NS_CE;
	lab_router_if(s, LAB_ROUTER_CE, true, ifname, len);
}

/* The interface facing the MSEE's on link s: the last router's, towards the site. */
static void
lab_cut_facing_if(const struct lab_state *st, int s, const char **ns, char *ifname, size_t len)
{
	int hops[LAB_MAX_HOPS], n = lab_link_hops(st, s, hops);

	*ns = lab_routers[hops[n - 1]].netns;
	lab_router_if(s, hops[n - 1], true, ifname, len);
}

/*
 * The far end of link s gone dark: every frame dropped as it arrives at
 * the MSEE's interface and at the one facing it (so the MSEE neither hears
 * nor is heard), XDP on both, the carrier up.
 */
static int
lab_cut_blackhole(const struct lab_state *st, int s, const char *xdp_bin, bool on)
{
	char ifname[16];
	const char *ns;

	lab_cut_facing_if(st, s, &ns, ifname, sizeof(ifname));
	if (lab_step(ns, MP_PROC_OUT_ERR, "%s impair %s --blackhole %s", xdp_bin, ifname,
		     on ? "all" : "off") != 0)
		return -1;
	/* lifted, a blackhole `lab impair` set on the site stays */
	return lab_step(lab_site_netns(st, s), MP_PROC_OUT_ERR, "%s impair %s --blackhole %s",
			xdp_bin, lab_sites[s].if_site,
			on ? "all" : st->site[s].imp.blackhole ? "on" : "off");
}

/* Link s cut the way asked (the state saved by the caller); 0 or -1. */
int
lab_cut_apply(struct lab_state *st, int s, enum lab_cut how, const char *xdp_bin)
{
	char ifname[16];
	const char *ns;
	int rc;

	if (how == LAB_CUT_BLACKHOLE) {
		rc = lab_cut_blackhole(st, s, xdp_bin, true);
	} else {
		lab_cut_carrier_if(st, s, &ns, ifname, sizeof(ifname));
		rc = lab_step(NULL, MP_PROC_OUT_ALL, "ip -n %s link set %s down", ns, ifname);
	}
	if (rc == 0)
		st->cut[s] = how;
	return rc == 0 ? 0 : -1;
}

/*
 * Link s as before its cut: the blackhole lifted (a blackhole `lab impair`
 * set stays), or the port up and the routes its going down took back.
 */
int
lab_cut_restore(struct lab_state *st, int s, const char *xdp_bin)
{
	char ifname[16];
	const char *ns;
	int rc = 0;

	if (st->cut[s] == LAB_CUT_BLACKHOLE) {
		rc = lab_cut_blackhole(st, s, xdp_bin, false);
	} else if (st->cut[s] == LAB_CUT_CARRIER) {
		lab_cut_carrier_if(st, s, &ns, ifname, sizeof(ifname));
		rc = lab_step(NULL, MP_PROC_OUT_ALL, "ip -n %s link set %s up", ns, ifname);
		if (rc == 0)
			rc = lab_link_routes(st, s) != 0 || lab_routed_link_routes(st, s) != 0;
	}
	if (rc == 0)
		st->cut[s] = LAB_CUT_NONE;
	return rc == 0 ? 0 : -1;
}

static double
lab_cut_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
lab_cut_usage(FILE *f, bool restore)
{
	if (restore) {
		fprintf(f, "usage: metroprobe lab restore LINK\n"
			"Undo `lab cut LINK` on a routed lab (lab up --routed): lift the blackhole,\n"
			"or bring the port back up and put back the routes it took. Prints when.\n"
			"LINK: a or b. Exit 0 also when the link was not cut.\n");
		return;
	}
	fprintf(f, "usage: metroprobe lab cut LINK --method blackhole|carrier\n"
		"Cut link a or b of a routed lab (lab up --routed), and print when it took\n"
		"effect (UNIX time), so that routing's reaction can be timed against it:\n"
		"  --method blackhole  the MSEE's end of the link goes dark: every frame to\n"
		"                      and from it dropped (XDP), carrier up: the CE's BFD\n"
		"                      (300 ms x 3) must notice\n"
		"  --method carrier    the CE's port on the link goes down (loss of light;\n"
		"                      the far side loses carrier): the CE drops its routes\n"
		"                      over the link at once\n"
		"Watch: metroprobe lab status (BGP, BFD, the VNet's link), vtysh -N mp-ce.\n"
		"Undo with: metroprobe lab restore LINK\n");
}

/* LINK and --method of `lab cut` (or LINK of restore): the link, or -1 with the exit status in *rc. */
static int
lab_cut_args(int argc, char **argv, bool restore, enum lab_cut *how, int *rc)
{
	static const struct option opts[] = {
		{ "method", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, s;

	*how = LAB_CUT_NONE;
	*rc = 2;
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (opt == 'h') {
			lab_cut_usage(stdout, restore);
			*rc = 0;
			return -1;
		}
		if (opt != 'm' || restore || lab_cut_parse(optarg) <= 0) {
			lab_err(opt == 'm' && !restore ? "--method '%s': use blackhole or carrier" :
				"unknown option or missing value '%s' (see --help)",
				opt == 'm' && !restore ? optarg : argv[optind - 1]);
			return -1;
		}
		*how = (enum lab_cut)lab_cut_parse(optarg);
	}
	if (optind + 1 != argc || (s = lab_site_index(argv[optind])) < 0) {
		lab_err("give one LINK, a or b (see --help)");
		return -1;
	}
	if (!restore && *how == LAB_CUT_NONE) {
		lab_err("--method: give blackhole or carrier (see --help)");
		return -1;
	}
	return s;
}

/* The shared part of cut and restore: the state of a routed lab, the XDP loader. */
static int
lab_cut_ready(struct lab_state *st, char *xdp_bin, size_t len)
{
	if (lab_state_load(st) != 0 || !st->complete) {
		lab_err("no lab is up (metroprobe lab up --routed)");
		return 1;
	}
	if (!st->routed) {
		lab_err("this lab does not route: cut and restore need lab up --routed");
		return 1;
	}
	if (mp_find_binary("metroprobe-xdp", xdp_bin, len) != 0) {
		lab_err("metroprobe-xdp not found (set METROPROBE_XDP=/path)");
		return 1;
	}
	return 0;
}

/* `lab cut` (restore false) or `lab restore`: the change, saved, and when it took effect. */
static int
lab_cut_cmd(int argc, char **argv, bool restore)
{
	char xdp_bin[PATH_MAX];
	struct lab_state st;
	enum lab_cut how;
	double t0, t1;
	int s, rc;

	s = lab_cut_args(argc, argv, restore, &how, &rc);
	if (s < 0)
		return rc;
	rc = lab_cut_ready(&st, xdp_bin, sizeof(xdp_bin));
	if (rc != 0)
		return rc;
	if (restore && st.cut[s] == LAB_CUT_NONE) {
		printf("link %s is not cut\n", lab_sites[s].id);
		return 0;
	}
	if (!restore && st.cut[s] != LAB_CUT_NONE) {
		lab_err("link %s is already cut (%s): metroprobe lab restore %s first",
			lab_sites[s].id, lab_cut_names[st.cut[s]], lab_sites[s].id);
		return 1;
	}
	how = restore ? (enum lab_cut)st.cut[s] : how;
	t0 = lab_cut_now();
	rc = restore ? lab_cut_restore(&st, s, xdp_bin) : lab_cut_apply(&st, s, how, xdp_bin);
	t1 = lab_cut_now();
	if (rc != 0 || lab_state_save(&st) != 0)
		return 1;
	printf("link %s %s %s at %.6f (applied in %.1f ms)\n", lab_sites[s].id,
	       restore ? "restored from" : "cut by", lab_cut_names[how], t1, (t1 - t0) * 1e3);
	return 0;
}

int
lab_cut(int argc, char **argv)
{
	return lab_cut_cmd(argc, argv, false);
}

int
lab_restore(int argc, char **argv)
{
	return lab_cut_cmd(argc, argv, true);
}
