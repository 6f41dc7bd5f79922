/* SPDX-License-Identifier: BSD-3-Clause */
/* The reflector's command line: `metroprobe-dp [EAL] -- reflect --ip ADDR/PLEN ...`. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>

#include "mp_stamp.h"
#include "kv.h"
#include "reflect.h"

static void
reflect_usage(FILE *f)
{
	fprintf(f,
		"usage: metroprobe-dp [EAL] -- reflect --ip ADDR/PLEN [options]\n"
		"  --port NAME|N        DPDK port (default 0)\n"
		"  --ip ADDR/PLEN       our address (repeat for one IPv4 and one IPv6)\n"
		"  --next-hop ADDR      gateway for replies to sources off our subnets\n"
		"  --udp-port N         STAMP port to answer (862)\n"
		"  --vlan SPEC          expected tags: 100, 10.100, 0x88a8:10.100\n"
		"  --allow PREFIX|any   sources to answer (repeatable; default: our own subnets)\n"
		"  --refuse-short       refuse requests shorter than 44 bytes (would_amplify);\n"
		"                       default: answer them with the 44-byte base packet\n"
		"  --short-rate N       ... at most N per second per source (1000; 0 = no limit)\n"
		"  --short-burst N      ... and N at once (100)\n"
		"  --stateful           reflector sequence numbers per session (RFC 8762 4.3.2);\n"
		"                       default stateless (echoes the sender's)\n"
		"  --loss PCT --dup PCT --reorder PCT --delay-us N --jitter-us N\n"
		"                       impair the path (lab use); jitter is uniform +-N around delay,\n"
		"                       reorder at most 50%% (see mp_impair.h for what each means)\n"
		"  --seed N             random seed for the impairments\n"
		"  --impair-file PATH   on SIGHUP read new impairments from PATH and apply them\n"
		"                       live: 'gen=N,loss=PCT,dup=PCT,reorder=PCT,delay_us=N,\n"
		"                       jitter_us=N' (absent keys are 0); says impair_applied gen N\n"
		"  --busy-poll          never sleep (best timing; one busy core)\n"
		"  --idle-sleep-us N    when idle, sleep this long between polls (50)\n"
		"  --stats-interval-s N print a JSON stats line every N s (0 = only at exit)\n");
}

static int
bad_value(const char *arg)
{
	fprintf(stderr, "metroprobe-dp: reflect: bad value '%s'\n", arg);
	return -EINVAL;
}

/* Options read before the port is known: its port, addresses and next hops. */
struct reflect_opts {
	const char *port;
	int n_nh;
	struct ip_addr nh[DP_MAX_ADDRS];
};

/* The port's options (addresses, tags, who may ask): 0, -EINVAL (said why), -ENOENT. */
static int
opt_port(struct reflector *R, struct reflect_opts *o, int c, const char *arg)
{
	unsigned long long u;

	switch (c) {
	case 'p':
		o->port = arg;
		return 0;
	case 'i':
		if (R->port.n_addrs >= DP_MAX_ADDRS ||
		    ip_addr_parse(arg, &R->port.addr[R->port.n_addrs],
				  &R->port.plen[R->port.n_addrs]) != 0 ||
		    strchr(arg, '/') == NULL) {
			fprintf(stderr, "metroprobe-dp: reflect: --ip '%s': want ADDR/PLEN, "
				"at most two\n", arg);
			return -EINVAL;
		}
		R->port.n_addrs++;
		return 0;
	case 'n':
		if (o->n_nh >= DP_MAX_ADDRS || ip_addr_parse(arg, &o->nh[o->n_nh], NULL) != 0) {
			fprintf(stderr, "metroprobe-dp: reflect: bad --next-hop '%s'\n", arg);
			return -EINVAL;
		}
		o->n_nh++;
		return 0;
	case 'u':
		if (kv_u64(arg, 1, 65535, &u) != 0)
			return bad_value(arg);
		R->udp_port = (uint16_t)u;
		return 0;
	case 'v':
		return kv_vlans(arg, &R->port.encap) != 0 ? bad_value(arg) : 0;
	case 'a':
		if (strcmp(arg, "any") == 0) {
			R->allow_any = true;
			return 0;
		}
		if (R->n_allow >= MAX_ALLOW ||
		    ip_addr_parse(arg, &R->allow[R->n_allow].net, &R->allow[R->n_allow].plen) != 0)
			return bad_value(arg);
		R->n_allow++;
		return 0;
	default:
		return -ENOENT;
	}
}

/* How to answer: sessions, short requests. 0, -EINVAL (said why), -ENOENT: not one of them. */
static int
opt_reply(struct reflector *R, int c, const char *arg)
{
	unsigned long long u;

	switch (c) {
	case 'S':
		R->stateful = true;
		return 0;
	case 'X':
		R->shrt.refuse = true;
		return 0;
	case 'Y':
		if (kv_u64(arg, 0, 10000000, &u) != 0)
			return bad_value(arg);
		R->shrt.rate = u;
		return 0;
	case 'Z':
		if (kv_u64(arg, 1, 1000000, &u) != 0)
			return bad_value(arg);
		R->shrt.burst = u;
		return 0;
	default:
		return -ENOENT;
	}
}

/* The impairment options (the emulated link): 0, -EINVAL (said why), -ENOENT: not one of them. */
static int
opt_impair(struct reflector *R, int c, const char *arg)
{
	struct mp_impair_params *ip = &R->imp_params;
	unsigned long long u, hz = dp_tsc_hz;

	switch (c) {
	case 'L':
		if (kv_pct_ppm(arg, &u) != 0)
			return bad_value(arg);
		ip->loss_ppm = (uint32_t)u;
		break;
	case 'D':
		if (kv_pct_ppm(arg, &u) != 0)
			return bad_value(arg);
		ip->dup_ppm = (uint32_t)u;
		break;
	case 'O':
		if (kv_pct_ppm(arg, &u) != 0)
			return bad_value(arg);
		ip->reorder_ppm = (uint32_t)u;
		break;
	case 'd':
		if (kv_u64(arg, 0, 10000000, &u) != 0)
			return bad_value(arg);
		ip->delay = u * hz / 1000000;
		break;
	case 'j':
		if (kv_u64(arg, 0, 10000000, &u) != 0)
			return bad_value(arg);
		ip->jitter = u * hz / 1000000;
		break;
	case 's':
		if (kv_u64(arg, 1, UINT64_MAX, &u) != 0)
			return bad_value(arg);
		R->seed = u;
		break;
	case 'F':
		R->impair_file = arg;
		break;
	default:
		return -ENOENT;
	}
	return 0;
}

/* What the options did not say, checked once they are all read. */
static int
opts_check(struct reflector *R, const struct reflect_opts *o)
{
	struct mp_impair_params *ip = &R->imp_params;
	unsigned long long u;
	char err[160];
	int i;

	if (R->port.n_addrs == 0) {
		fprintf(stderr, "metroprobe-dp: reflect: --ip ADDR/PLEN is required\n");
		return -EINVAL;
	}
	ip->hold_max = REORDER_HOLD_US * dp_tsc_hz / 1000000;
	if (mp_impair_check(ip, err, sizeof(err)) != 0) {
		fprintf(stderr, "metroprobe-dp: reflect: impairments: %s\n", err);
		return -EINVAL;
	}
	if (kv_u64(o->port, 0, RTE_MAX_ETHPORTS - 1, &u) == 0) {
		R->port.port_id = (uint16_t)u;
	} else if (rte_eth_dev_get_port_by_name(o->port, &R->port.port_id) != 0) {
		fprintf(stderr, "metroprobe-dp: reflect: no DPDK port '%s'\n", o->port);
		return -ENODEV;
	}
	for (i = 0; i < o->n_nh; i++)
		dp_nbr_add(&R->port, &o->nh[i], NULL);
	return 0;
}

/*
 * The option table is here (help_options.sh reads it); the port's, the
 * replies' and the impairments' options are opt_port()'s, opt_reply()'s and
 * opt_impair()'s, the loop's below.
 */
int
reflect_args_parse(struct reflector *R, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "ip", required_argument, NULL, 'i' },
		{ "next-hop", required_argument, NULL, 'n' },
		{ "udp-port", required_argument, NULL, 'u' },
		{ "vlan", required_argument, NULL, 'v' },
		{ "allow", required_argument, NULL, 'a' },
		{ "stateful", no_argument, NULL, 'S' },
		{ "refuse-short", no_argument, NULL, 'X' },
		{ "short-rate", required_argument, NULL, 'Y' },
		{ "short-burst", required_argument, NULL, 'Z' },
		{ "loss", required_argument, NULL, 'L' },
		{ "dup", required_argument, NULL, 'D' },
		{ "reorder", required_argument, NULL, 'O' },
		{ "delay-us", required_argument, NULL, 'd' },
		{ "jitter-us", required_argument, NULL, 'j' },
		{ "seed", required_argument, NULL, 's' },
		{ "impair-file", required_argument, NULL, 'F' },
		{ "busy-poll", no_argument, NULL, 'b' },
		{ "idle-sleep-us", required_argument, NULL, 'I' },
		{ "stats-interval-s", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct reflect_opts o = { .port = "0" };
	unsigned long long u;
	int c, rc;

	R->idle_sleep_us = 50;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		rc = opt_port(R, &o, c, optarg);
		if (rc == -ENOENT)
			rc = opt_reply(R, c, optarg);
		if (rc == -ENOENT)
			rc = opt_impair(R, c, optarg);
		if (rc != -ENOENT) {
			if (rc != 0)
				return rc;
			continue;
		}
		switch (c) {
		case 'b':
			R->busy_poll = true;
			break;
		case 'I':
			if (kv_u64(optarg, 0, 100000, &u) != 0)
				return bad_value(optarg);
			R->idle_sleep_us = u;
			break;
		case 'T':
			if (kv_u64(optarg, 0, 86400, &u) != 0)
				return bad_value(optarg);
			R->stats_interval_s = u;
			break;
		case 'h':
			reflect_usage(stdout);
			return 1;
		default:
			reflect_usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "metroprobe-dp: reflect: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	return opts_check(R, &o);
}
