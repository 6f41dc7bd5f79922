/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The prober's command line: `metroprobe-dp [EAL] -- probe --link SPEC ...`,
 * parsed into a struct probe_cfg before any port is set up.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "mp_link.h"
#include "mp_path.h"
#include "dp.h"
#include "kv.h"

void
probe_usage(FILE *f)
{
	fprintf(f,
		"usage: metroprobe-dp [EAL] -- probe --link SPEC [--link SPEC] [options]\n"
		"  --link SPEC           key=value list, keys:\n"
		"      name=a            link name (required)\n"
		"      port=NAME|N       DPDK device name (net_af_packet0, 0000:03:00.0) or port id\n"
		"      ip=ADDR/PLEN      our address on the peering subnet (required)\n"
		"      next_hop=ADDR     gateway; its MAC is resolved by ARP/ND (required)\n"
		"      next_hop_mac=MAC  static MAC instead of ARP/ND\n"
		"      reflector=ADDR    STAMP reflector (default: next_hop)\n"
		"      reflector_port=N  (862)   source_port=N (862)\n"
		"      vlan=TAG[.TAG]    802.1Q tag, or QinQ outer.inner; a TAG is\n"
		"                        [0x88a8:]ID[/PCP]: prefix 0x88a8: for an 802.1ad tag,\n"
		"                        /PCP for a priority (vlan=0x88a8:10/5.100/5)\n"
		"      rate=R            1000pps, 10Mbps (wire bits), 5%%, line (1000pps)\n"
		"      link_speed=BPS    for %% and line rates when the port cannot tell\n"
		"      frame=N|MIX       frame size with FCS, 64..9018 (128), or a mix: imix\n"
		"                        (64:7+570:4+1518:1) or SIZE:WEIGHT+...; sizes below the\n"
		"                        STAMP minimum of the encapsulation are raised to it\n"
		"      dscp=N (0)   ssid=N (link index + 1)   lcore=N (auto)\n"
		"      queues=N          queue pairs (1..8), a worker lcore each; queue q\n"
		"                        sends from source_port + q (af_packet: qpairs=N)\n"
		"      streams=S;S...    streams paced and accounted apart, each\n"
		"                        NAME/RATE/FRAME/DSCP/PCP/SSID (PCP - : the tag's own);\n"
		"                        a lane per queue per stream: stream s, queue q is lane\n"
		"                        s*queues+q, source_port + that; a record per stream\n"
		"                        (\"stream\":NAME) after the link's, their merge\n"
		"  --interval-ms N       statistics interval (100)\n"
		"  --loss-timeout-ms N   a probe not back by then is lost (1000)\n"
		"  --duration-ms N       stop sending after N ms (0 = until SIGINT/SIGTERM)\n"
		"  --socket PATH         control's unix socket for interval records (default stdout)\n"
		"  --control-lost exit|keep\n"
		"                        when control's socket closes (control died) and it is not\n"
		"                        back within the grace period: exit (default: stop sending,\n"
		"                        drain, end) or keep probing and keep records for it\n"
		"  --control-grace-ms N  that grace period (1000)\n"
		"  --busy-poll           never sleep (best timing, one busy core per worker)\n"
		"  --rx-spin-us N        low-rate mode: the shortest reply window after a send (500)\n"
		"  --rx-timestamps auto|device|software\n"
		"                        where t4 comes from: auto (default) the device's RX\n"
		"                        timestamp on ports that offer the offload, calibrated\n"
		"                        against the TSC, else software; device: also from a PMD\n"
		"                        that stamps frames without offering it (net_pcap: the\n"
		"                        kernel's receive time); software: the TSC read after\n"
		"                        the receive burst\n"
		"  --rtt-samples FILE    also write every round trip (ns, one line each: link,\n"
		"                        queue, rtt), the first 1000000 per lane, at the end:\n"
		"                        exact quantiles for benchmarks\n"
		"  --path-interval-ms N  path probes: every N ms (0 = none, the default) the first\n"
		"                        lane of each link traces its path with STAMP probes of\n"
		"                        TTL / hop limit 1, 2, ... until the reflector answers;\n"
		"                        ICMP time-exceeded that quote them name the hops (path\n"
		"                        records); not counted in the link's statistics\n"
		"  --path-max-ttl N      the highest TTL a path probe is sent with (16, 1..32)\n"
		"  --path-flows N        flows traced per round, Paris-traceroute style: flow f\n"
		"                        sends from UDP port source_port + queues + f (3, 1..8)\n"
		"  --host-reflector port=NAME,ip=ADDR/PLEN\n"
		"                        benchmarks: run a STAMP reflector on that port in the first\n"
		"                        worker's loop; its cycles are counted apart (end record)\n"
		"  --ring-pair           benchmarks: make two ports, ring_a and ring_b, joined by\n"
		"                        two rings (what one sends the other receives)\n");
}

/* One --link: the core's decoder, then the port it names (a device name or a port id). */
static int
parse_link(const char *text, struct probe_link_cfg *l, int index)
{
	unsigned long long u;
	char err[256];

	memset(l, 0, sizeof(*l));
	if (mp_link_decode(text, index, &l->spec, err, sizeof(err)) != 0) {
		fprintf(stderr, "metroprobe-dp: --link '%s': %s\n", text, err);
		return -EINVAL;
	}
	if (l->lcore >= RTE_MAX_LCORE) {
		fprintf(stderr, "metroprobe-dp: --link '%s': bad lcore '%d' (0..%d)\n", text,
			l->lcore, RTE_MAX_LCORE - 1);
		return -EINVAL;
	}
	if (kv_u64(l->port_name, 0, RTE_MAX_ETHPORTS - 1, &u) == 0) {
		l->port_id = (uint16_t)u;
	} else if (rte_eth_dev_get_port_by_name(l->port_name, &l->port_id) != 0) {
		fprintf(stderr, "metroprobe-dp: link %s: no DPDK port named '%s' (pass it with "
			"--vdev or -a)\n", l->name, l->port_name);
		return -ENODEV;
	}
	return 0;
}

static int
add_link(struct probe_cfg *cfg, const char *text)
{
	int rc;

	if (cfg->n_links >= DP_MAX_LINKS) {
		fprintf(stderr, "metroprobe-dp: at most %d links\n", DP_MAX_LINKS);
		return -EINVAL;
	}
	rc = parse_link(text, &cfg->links[cfg->n_links], cfg->n_links);
	if (rc == 0)
		cfg->n_links++;
	return rc;
}

/* The value of option c (but --link and --help) into cfg: 0, -EINVAL, or -ENOENT (not ours). */
static int
probe_opt(int c, const char *arg, struct probe_cfg *cfg)
{
	unsigned long long u;

	switch (c) {
	case 'i':
		if (kv_u64(arg, 10, 60000, &u) != 0)
			return -EINVAL;
		cfg->interval_ms = u;
		return 0;
	case 't':
		if (kv_u64(arg, 1, 60000, &u) != 0)
			return -EINVAL;
		cfg->loss_timeout_ms = u;
		return 0;
	case 'd':
		if (kv_u64(arg, 0, 10ull * 366 * 86400 * 1000, &u) != 0)
			return -EINVAL;
		cfg->duration_ms = u;
		return 0;
	case 's':
		cfg->socket_path = arg;
		return 0;
	case 'b':
		cfg->busy_poll = true;
		return 0;
	case 'r':
		if (kv_u64(arg, 0, 1000000, &u) != 0)
			return -EINVAL;
		cfg->rx_spin_us = u;
		return 0;
	case 'T':
		if (strcmp(arg, "auto") == 0)
			cfg->rx_ts_mode = DP_RXTS_AUTO;
		else if (strcmp(arg, "device") == 0)
			cfg->rx_ts_mode = DP_RXTS_DEVICE;
		else if (strcmp(arg, "software") == 0)
			cfg->rx_ts_mode = DP_RXTS_SOFTWARE;
		else
			return -EINVAL;
		return 0;
	case 'S':
		cfg->rtt_samples_path = arg;
		return 0;
	case 'H':
		cfg->host_reflector = arg;
		return 0;
	case 'R':
		return 0;	/* made before the links were parsed: see probe_main */
	case 'C':
		if (strcmp(arg, "exit") == 0)
			cfg->control_lost = DP_CTL_LOST_EXIT;
		else if (strcmp(arg, "keep") == 0)
			cfg->control_lost = DP_CTL_LOST_KEEP;
		else
			return -EINVAL;
		return 0;
	case 'G':
		if (kv_u64(arg, 0, 86400000, &u) != 0)
			return -EINVAL;
		cfg->control_grace_ms = u;
		return 0;
	case 'P':
		if (kv_u64(arg, 0, 86400000, &u) != 0)
			return -EINVAL;
		cfg->path_interval_ms = u;
		return 0;
	case 'X':
		if (kv_u64(arg, 1, PATH_MAX_TTL, &u) != 0)
			return -EINVAL;
		cfg->path_max_ttl = (unsigned)u;
		return 0;
	case 'F':
		if (kv_u64(arg, 1, PATH_MAX_FLOWS, &u) != 0)
			return -EINVAL;
		cfg->path_flows = (unsigned)u;
		return 0;
	}
	return -ENOENT;
}

int
probe_args_parse(int argc, char **argv, struct probe_cfg *cfg)
{
	static const struct option opts[] = {
		{ "link", required_argument, NULL, 'l' },
		{ "interval-ms", required_argument, NULL, 'i' },
		{ "loss-timeout-ms", required_argument, NULL, 't' },
		{ "duration-ms", required_argument, NULL, 'd' },
		{ "socket", required_argument, NULL, 's' },
		{ "busy-poll", no_argument, NULL, 'b' },
		{ "rx-spin-us", required_argument, NULL, 'r' },
		{ "rx-timestamps", required_argument, NULL, 'T' },
		{ "rtt-samples", required_argument, NULL, 'S' },
		{ "host-reflector", required_argument, NULL, 'H' },
		{ "ring-pair", no_argument, NULL, 'R' },
		{ "control-lost", required_argument, NULL, 'C' },
		{ "control-grace-ms", required_argument, NULL, 'G' },
		{ "path-interval-ms", required_argument, NULL, 'P' },
		{ "path-max-ttl", required_argument, NULL, 'X' },
		{ "path-flows", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc, li = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->interval_ms = 100;
	cfg->loss_timeout_ms = 1000;
	cfg->rx_spin_us = 500;
	cfg->control_grace_ms = 1000;
	cfg->path_max_ttl = PATH_DEFAULT_MAX_TTL;
	cfg->path_flows = PATH_DEFAULT_FLOWS;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, &li)) != -1) {
		if (c == 'h') {
			probe_usage(stdout);
			return 1;
		}
		rc = c == 'l' ? add_link(cfg, optarg) : probe_opt(c, optarg, cfg);
		if (rc == -ENOENT) {
			probe_usage(stderr);
			return -EINVAL;
		}
		if (rc == -EINVAL && c != 'l')
			fprintf(stderr, "metroprobe-dp: probe: bad value '%s' for --%s\n", optarg,
				opts[li].name);
		if (rc != 0)
			return rc;
	}
	if (optind < argc) {
		fprintf(stderr, "metroprobe-dp: probe: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	if (cfg->n_links == 0) {
		fprintf(stderr, "metroprobe-dp: probe: give at least one --link\n");
		return -EINVAL;
	}
	return 0;
}
