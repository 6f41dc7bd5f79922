/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `metroprobe lab up`: parse the options, choose each site's reflector,
 * then make the lab in stages (topology, hugepages, reflectors, config),
 * saving the state after each so that a failure or `lab down` can undo it.
 * Everything is made under fixed names (mp-*) so that `lab down` removes it
 * even when the state file is lost; a failed `lab up` removes what it made.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lab_internal.h"
#include "util.h"

/* What the options ask for beyond the state, and the binaries found. */
struct lab_up_opts {
	unsigned int mask[LAB_NSITES];	/* impairment keys named per site */
	unsigned int rmask[LAB_NROUTERS];	/* ... and per router */
	bool chosen[LAB_NSITES];	/* --reflector named the site */
	const char *config_out;
	bool need_dp, need_xdp;
	char dp_bin[PATH_MAX];
	char xdp_bin[PATH_MAX];
};

void
lab_up_usage(FILE *f)
{
	fprintf(f,
		"usage: metroprobe lab up [options]\n"
		"Create the lab: netns mp-onprem (the prober side), mp-site-a (%s,\n"
		"%s) and mp-site-b (%s, %s), provider\n"
		"routers between them (namespaces that forward and answer TTL exceeded),\n"
		"veth pairs, and a STAMP reflector (UDP port %d) in each site.\n"
		"  link a: mpa-p (mp-onprem, 192.0.2.1 for the prober) <-> rtr-a 192.0.2.2\n"
		"          <-> mpa-r (mp-site-a) 192.0.2.6/30, 2001:db8:a::6/126\n"
		"  link b: mpb-p (mp-onprem, 198.51.100.1) <-> rtr-b 198.51.100.2\n"
		"          <-> mpb-r (mp-site-b) 198.51.100.6/30, 2001:db8:b::6/126\n"
		"options:\n"
		"  --topology NAME         the lab's shape (default diverse):\n"
		"                            diverse         each link crosses its own router\n"
		"                                            (mp-rtr-a, mp-rtr-b) to its own site\n"
		"                            shared-conduit  both links cross one router\n"
		"                                            (mp-conduit) before their own\n"
		"                            standard        both links end in one site\n"
		"                                            (mp-site-a, one peering location)\n"
		"                            direct          no router: each link's veth ends\n"
		"                                            at its site (192.0.2.2, 198.51.100.2)\n"
		"  --reflector SITE:KIND   reflector of site a or b (default: xdp when\n"
		"                          metroprobe-xdp is built, else dpdk; dpdk for a\n"
		"                          site impaired with delay, jitter, dup or reorder):\n"
		"                            dpdk    metroprobe-dp reflect (DPDK on af_packet)\n"
		"                            kernel  kernel addresses only; start your own\n"
		"                                    reflector: ip netns exec mp-site-a ...\n"
		"                            xdp     kernel addresses + metroprobe-xdp attach\n"
		"                          KIND alone sets both sites\n"
		"  --impair SITE:KEY=VAL,...  loss=PCT delay_us=N jitter_us=N dup=PCT reorder=PCT\n"
		"                          flap=DOWN/PERIOD (seconds; XDP)\n"
		"                          rate=RATE[,burst=N]: a token bucket (XDP; 10Mbps\n"
		"                          wire bits or 5000pps; burst bytes or packets)\n"
		"                          ge_p=PCT,ge_r=PCT[,ge_k=PCT,ge_h=PCT]: Gilbert-Elliott\n"
		"                          loss bursts (XDP): P(good->bad), P(bad->good),\n"
		"                          delivery when good (100) and when bad (0)\n"
		"                          blackhole=on|off; kernel/xdp reflectors: loss,\n"
		"                          blackhole and bursts only (XDP), dpdk: all but\n"
		"                          bursts, in any combination (jitter <= delay,\n"
		"                          reorder <= 50%%); repeatable. A ROUTER (rtr-a,\n"
		"                          rtr-b, conduit) for SITE: loss, blackhole, ge_*,\n"
		"                          flap and rate (XDP on its interfaces from the prober)\n"
		"  --shared-conduit        the same as --topology shared-conduit: shared fate\n"
		"                          on purpose: metroprobe lab impair conduit blackhole=on\n"
		"  --config-out FILE       write a config for 'metroprobe run' (default ./%s)\n"
		"  --ipv6                  ... with the links' IPv6 addresses\n"
		"  --routed                route like ExpressRoute (any topology): a customer\n"
		"                          edge mp-ce first on both links, the sites as MSEEs,\n"
		"                          a VNet behind both; FRR eBGP + BFD per link (see\n"
		"                          docs/routed-lab.md); waits until routing is up\n"
		"  -h, --help              this help\n"
		"Environment: METROPROBE_DP, METROPROBE_XDP name the reflector binaries.\n"
		"Only one lab exists at a time; 'metroprobe lab down' removes it.\n",
		lab_site_location(0), lab_site_facility(0), lab_site_location(1),
		lab_site_facility(1), LAB_STAMP_PORT, LAB_DEFAULT_CONFIG);
}

static void
lab_on_signal(int sig)
{
	lab_interrupted = 1;
}

/* --reflector SITE:KIND or KIND (both sites); 0 or exit status 2. */
static int
lab_up_reflector(const char *arg, struct lab_state *st, struct lab_up_opts *o)
{
	char spec[256], *colon;
	int site, kind, s;

	snprintf(spec, sizeof(spec), "%s", arg);
	colon = strchr(spec, ':');
	if (colon != NULL)
		*colon = '\0';
	site = colon != NULL ? lab_site_index(spec) : -2;
	kind = lab_kind_parse(colon != NULL ? colon + 1 : spec);
	if (site == -1 || kind < 0) {
		lab_err("--reflector '%s': use SITE:KIND, SITE a or b, KIND dpdk, "
			"kernel or xdp", arg);
		return 2;
	}
	for (s = 0; s < LAB_NSITES; s++)
		if (site == -2 || site == s) {
			st->site[s].kind = (enum lab_kind)kind;
			o->chosen[s] = true;
		}
	return 0;
}

/* --impair SITE:KEY=VALUE,... or ROUTER:KEY=VALUE,...; 0 or exit status 2. */
static int
lab_up_impair(const char *arg, struct lab_state *st, struct lab_up_opts *o)
{
	char spec[256], err[256], *colon;
	int site, r;

	snprintf(spec, sizeof(spec), "%s", arg);
	colon = strchr(spec, ':');
	if (colon != NULL)
		*colon = '\0';
	site = colon != NULL ? lab_site_index(spec) : -1;
	r = colon != NULL ? lab_router_index(spec) : -1;
	if (site < 0 && r < 0) {
		lab_err("--impair '%s': use SITE:KEY=VALUE,... with SITE a or b, or a router "
			"(rtr-a, rtr-b, conduit)", arg);
		return 2;
	}
	if (r >= 0 ? lab_impair_parse(colon + 1, &st->router[r].imp, &o->rmask[r], err,
				      sizeof(err)) != 0 :
		     lab_impair_parse(colon + 1, &st->site[site].imp, &o->mask[site],
				      err, sizeof(err)) != 0) {
		lab_err("--impair %s: %s", spec, err);
		return 2;
	}
	return 0;
}

/* The command line into st and o; -1 to go on, else the exit status. */
static int
lab_up_parse(int argc, char **argv, struct lab_state *st, struct lab_up_opts *o)
{
	static const struct option opts[] = {
		{ "reflector", required_argument, NULL, 'r' },
		{ "impair", required_argument, NULL, 'i' },
		{ "topology", required_argument, NULL, 't' },
		{ "shared-conduit", no_argument, NULL, 'c' },
		{ "config-out", required_argument, NULL, 'o' },
		{ "ipv6", no_argument, NULL, '6' },
		{ "routed", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, rc = 0;

	optind = 0;
	opterr = 0;
	while (rc == 0 && (opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			rc = lab_up_reflector(optarg, st, o);
			break;
		case 'i':
			rc = lab_up_impair(optarg, st, o);
			break;
		case 't':
			if (lab_topo_parse(optarg) < 0) {
				lab_err("--topology '%s': use diverse, shared-conduit, standard "
					"or direct", optarg);
				return 2;
			}
			st->topo = (enum lab_topo)lab_topo_parse(optarg);
			break;
		case 'c':
			st->topo = LAB_TOPO_SHARED_CONDUIT;
			break;
		case 'o':
			o->config_out = optarg;
			break;
		case '6':
			st->ipv6 = true;
			break;
		case 'R':
			st->routed = true;
			break;
		case 'h':
			lab_up_usage(stdout);
			return 0;
		case ':':
			lab_err("%s needs a value (see --help)", argv[optind - 1]);
			return 2;
		default:
			lab_err("unknown option '%s' (see --help)", argv[optind - 1]);
			return 2;
		}
	}
	if (rc != 0)
		return rc;
	if (optind < argc) {
		lab_err("unexpected argument '%s' (see --help)", argv[optind]);
		return 2;
	}
	return -1;
}

/* The routers' impairments: on routers of the topology, and ones XDP can do. */
static int
lab_up_choose_routers(const struct lab_state *st, struct lab_up_opts *o)
{
	int r;

	for (r = 0; r < LAB_NROUTERS; r++) {
		if (o->rmask[r] == 0)
			continue;
		if (!lab_router_used(st, r)) {
			lab_err("--impair %s: topology %s has no such router", lab_routers[r].name,
				lab_topo_names[st->topo]);
			return 2;
		}
		if ((o->rmask[r] & ~LAB_IMP_XDP_OK) != 0) {
			lab_err("--impair %s: a router takes loss, blackhole, ge_*, flap and rate only",
				lab_routers[r].name);
			return 2;
		}
		o->need_xdp = true;
	}
	return 0;
}

/*
 * Each site's reflector, and whether every impairment asked can be
 * applied by it: 0, or exit status 2 with the reason said.
 */
static int
lab_up_choose(struct lab_state *st, struct lab_up_opts *o)
{
	char err[256];
	int s;

	/*
	 * Default reflector: XDP (line rate, no CPU when idle, kernel receive
	 * timestamps) where the loader was built and the site's impairments are
	 * ones XDP can apply; DPDK where delay, jitter, dup or reorder are asked.
	 */
	for (s = 0; s < LAB_NSITES; s++) {
		if (o->chosen[s])
			continue;
		st->site[s].kind = (o->mask[s] & ~LAB_IMP_XDP_OK) == 0 &&
				   mp_find_binary("metroprobe-xdp", o->xdp_bin,
						  sizeof(o->xdp_bin)) == 0 ?
				   LAB_KIND_XDP : LAB_KIND_DPDK;
	}
	for (s = 0; s < LAB_NSITES; s++) {
		const struct lab_site *ls = &st->site[s];

		/* every combination works, or is refused here with the reason */
		if ((ls->kind == LAB_KIND_DPDK || (o->mask[s] & ~LAB_IMP_XDP_OK) == 0) &&
		    lab_impair_validate(&ls->imp, ls->kind, err, sizeof(err)) != 0) {
			lab_err("--impair %s: %s", lab_sites[s].id, err);
			return 2;
		}
		if (ls->kind == LAB_KIND_DPDK) {
			o->need_dp = true;
			continue;
		}
		if ((o->mask[s] & ~LAB_IMP_XDP_OK) != 0) {
			lab_err("--impair %s: the %s reflector supports only loss and blackhole "
				"(through XDP); delay, jitter, dup and reorder need "
				"--reflector %s:dpdk", lab_sites[s].id, lab_kind_names[ls->kind],
				lab_sites[s].id);
			return 2;
		}
		if (ls->kind == LAB_KIND_XDP || lab_impair_any(&ls->imp))
			o->need_xdp = true;
	}
	o->need_xdp = o->need_xdp || st->routed;	/* the VNet's reflector, lab cut */
	if (lab_routed_validate(st) != 0)
		return 2;
	return lab_up_choose_routers(st, o);
}

/* No lab yet, the binaries there, an absolute config path: 0, or exit status 1. */
static int
lab_up_ready(struct lab_state *st, struct lab_up_opts *o)
{
	char cwd[PATH_MAX];

	if (lab_is_up()) {
		lab_err("lab is already up (metroprobe lab down first)");
		return 1;
	}
	if (o->need_dp && mp_find_binary("metroprobe-dp", o->dp_bin, sizeof(o->dp_bin)) != 0) {
		lab_err("metroprobe-dp not found (build with -Ddataplane=enabled, set "
			"METROPROBE_DP=/path, or use --reflector SITE:kernel)");
		return 1;
	}
	if (o->need_xdp &&
	    mp_find_binary("metroprobe-xdp", o->xdp_bin, sizeof(o->xdp_bin)) != 0) {
		lab_err("metroprobe-xdp not found: the XDP loader is needed for xdp reflectors "
			"and for impairments on kernel reflectors (build with -Dxdp=enabled "
			"or set METROPROBE_XDP=/path)");
		return 1;
	}
	if (o->config_out[0] == '/') {
		snprintf(st->config_path, sizeof(st->config_path), "%s", o->config_out);
	} else if (getcwd(cwd, sizeof(cwd)) == NULL ||
		   snprintf(st->config_path, sizeof(st->config_path), "%s/%s", cwd,
			    o->config_out) >= (int)sizeof(st->config_path)) {
		lab_err("--config-out %s: cannot make an absolute path", o->config_out);
		return 1;
	}
	return 0;
}

/* Hugepages for the DPDK reflectors, then each site's reflector started. */
static int
lab_up_reflectors(struct lab_state *st, const struct lab_up_opts *o)
{
	int s, rc, n_dpdk = 0;

	if (o->need_dp) {
		for (s = 0; s < LAB_NSITES; s++)
			n_dpdk += st->site[s].kind == LAB_KIND_DPDK;
		lab_hugepages_prepare(st, n_dpdk);
		if (lab_state_save(st) != 0)
			return -1;
	}
	for (s = 0; s < LAB_NSITES; s++) {
		struct lab_site *ls = &st->site[s];

		if (ls->kind == LAB_KIND_DPDK) {
			rc = lab_dpdk_start(st, s, o->dp_bin);
			if (lab_state_save(st) != 0 || rc != 0)
				return -1;
			continue;
		}
		if (ls->kind == LAB_KIND_XDP && lab_xdp_attach(st, s, o->xdp_bin) != 0)
			return -1;
		if (lab_impair_any(&ls->imp) &&
		    lab_xdp_impair(st, s, o->xdp_bin, &ls->imp, ls->imp.blackhole) != 0)
			return -1;
	}
	for (s = 0; s < LAB_NROUTERS; s++)
		if (lab_impair_any(&st->router[s].imp) &&
		    lab_router_impair(st, s, o->xdp_bin, &st->router[s].imp) != 0)
			return -1;
	return 0;
}

/* The stages, the state saved first and after each; -1 leaves the clean-up to the caller. */
static int
lab_up_make(struct lab_state *st, const struct lab_up_opts *o)
{
	int rc;

	st->started_s = (long long)(mp_now_ns() / 1000000000ull);
	/* Saved first and after every stage, so `lab down` knows what to undo. */
	if (lab_state_save(st) != 0 || lab_topology_create(st) != 0 ||
	    lab_up_reflectors(st, o) != 0 || (st->routed && lab_routed_create(st, o->xdp_bin) != 0))
		return -1;
	rc = lab_config_write(st->config_path, st);
	if (rc != 0) {
		lab_err("cannot write the config %s: %s", st->config_path, strerror(-rc));
		return -1;
	}
	st->complete = true;
	if (lab_interrupted || lab_state_save(st) != 0)
		return -1;
	return 0;
}

/* "mpa-p -> rtr-a -> mpa-r": the routers link s crosses. */
static void
lab_up_path(const struct lab_state *st, int s, char *buf, size_t len)
{
	int hops[LAB_MAX_HOPS], i, n = lab_link_hops(st, s, hops);
	size_t off;

	off = (size_t)snprintf(buf, len, "%s", lab_sites[s].if_prober);
	for (i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, " -> %s", lab_routers[hops[i]].name);
	if (off < len)
		snprintf(buf + off, len - off, " -> %s", lab_sites[s].if_site);
}

static void
lab_up_report(const struct lab_state *st)
{
	const struct mp_peering_location *loc;
	char imps[128], path[128], v4[64], v6[64];
	int s;

	printf("topology %s\n", lab_topo_names[st->topo]);
	for (s = 0; s < LAB_NSITES; s++) {
		const struct lab_site_def *d = &lab_sites[s];
		const struct lab_site *ls = &st->site[s];

		loc = &lab_metro()->sites[lab_link_loc(st, s)];
		lab_impair_str(&ls->imp, imps, sizeof(imps));
		lab_up_path(st, s, path, sizeof(path));
		printf("site %s: %s (%s), netns %s, %s: reflector %s", d->id, loc->name,
		       loc->facility, lab_site_netns(st, s), path, lab_kind_names[ls->kind]);
		lab_site_addr(st, s, false, v4, sizeof(v4));
		lab_site_addr(st, s, true, v6, sizeof(v6));
		if (ls->kind == LAB_KIND_DPDK)
			printf(" pid %d on CPU %d%s", (int)ls->pid, ls->cpu,
			       ls->hugepages ? "" : " (no hugepages)");
		printf(" at %s/%d, %s/%d", v4, d->plen_v4, v6, d->plen_v6);
		printf(", impair %s\n", imps);
		if (ls->kind == LAB_KIND_KERNEL)
			printf("        start your STAMP reflector with: ip netns exec %s ...\n",
			       lab_site_netns(st, s));
	}
	for (s = 0; s < LAB_NROUTERS; s++) {
		if (!lab_router_used(st, s))
			continue;
		lab_impair_str(&st->router[s].imp, imps, sizeof(imps));
		printf("router %s: netns %s, impair %s\n", lab_routers[s].name,
		       lab_routers[s].netns, imps);
	}
	if (st->routed)
		lab_routed_report(st);
	printf("lab is up; config: %s\n  run: metroprobe run %s\n", st->config_path,
	       st->config_path);
}

int
lab_up(int argc, char **argv)
{
	struct lab_up_opts o = { .config_out = LAB_DEFAULT_CONFIG };
	struct sigaction sa = { .sa_flags = 0 };
	struct lab_state st;
	int rc;

	lab_state_init(&st);
	rc = lab_up_parse(argc, argv, &st, &o);
	if (rc >= 0)
		return rc;
	rc = lab_up_choose(&st, &o);
	if (rc == 0)
		rc = lab_up_ready(&st, &o);
	if (rc != 0)
		return rc;
	/* A handler, not SIG_IGN: children get the default action back on exec. */
	sa.sa_handler = lab_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (mp_mkdir_p(LAB_STATE_DIR, 0700) != 0 || chmod(LAB_STATE_DIR, 0700) != 0) {
		lab_err("cannot create %s: %s", LAB_STATE_DIR, strerror(errno));
		return 1;
	}
	if (lab_up_make(&st, &o) == 0) {
		lab_up_report(&st);
		return 0;
	}
	fprintf(stderr, "metroprobe lab up: failed; removing what was made\n");
	lab_interrupted = 0;	/* the clean-up itself must run to the end */
	lab_teardown(&st, false, NULL, NULL);
	return 1;
}
