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

#include "mp_stamp.h"
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
		"      vlan=ID[.ID]      802.1Q tag, or QinQ outer.inner; prefix 0x88a8: for an\n"
		"                        802.1ad outer tag (vlan=0x88a8:10.100)\n"
		"      rate=R            1000pps, 10Mbps (wire bits), 5%%, line (1000pps)\n"
		"      link_speed=BPS    for %% and line rates when the port cannot tell\n"
		"      frame=N|MIX       frame size with FCS, 64..9018 (128), or a mix: imix\n"
		"                        (64:7+570:4+1518:1) or SIZE:WEIGHT+...; sizes below the\n"
		"                        STAMP minimum of the encapsulation are raised to it\n"
		"      dscp=N (0)   ssid=N (link index + 1)   lcore=N (auto)\n"
		"      queues=N          queue pairs (1..8), a worker lcore each; queue q\n"
		"                        sends from source_port + q (af_packet: qpairs=N)\n"
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
		"  --host-reflector port=NAME,ip=ADDR/PLEN\n"
		"                        benchmarks: run a STAMP reflector on that port in the first\n"
		"                        worker's loop; its cycles are counted apart (end record)\n"
		"  --ring-pair           benchmarks: make two ports, ring_a and ring_b, joined by\n"
		"                        two rings (what one sends the other receives)\n");
}

static int
parse_link(const char *spec, struct probe_link_cfg *l, int index)
{
	struct kv kv;
	const char *err = "", *v, *bad;
	unsigned long long u;

	memset(l, 0, sizeof(*l));
	l->reflector_port = STAMP_UDP_PORT;
	l->source_port = STAMP_UDP_PORT;
	l->frame_size = 128;
	l->ssid = (uint16_t)(index + 1);
	l->lcore = -1;
	l->queues = 1;
	l->rate.kind = RATE_PPS;
	l->rate.value = 1000 * 1000;
	if (kv_parse(&kv, spec, &err) != 0)
		goto bad_spec;
#define NEED(k) do { v = kv_get(&kv, k); if (v == NULL) { err = k " is required"; goto bad_spec; } } while (0)
#define BAD(k) do { err = "bad " k; goto bad_spec; } while (0)
	NEED("name");
	if (strlen(v) == 0 || strlen(v) >= sizeof(l->name))
		BAD("name");
	strcpy(l->name, v);
	v = kv_get(&kv, "port");
	if (v == NULL)
		v = "0";
	if (kv_u64(v, 0, RTE_MAX_ETHPORTS - 1, &u) == 0) {
		l->port_id = (uint16_t)u;
	} else if (rte_eth_dev_get_port_by_name(v, &l->port_id) != 0) {
		fprintf(stderr, "metroprobe-dp: link %s: no DPDK port named '%s' (pass it with "
			"--vdev or -a)\n", l->name, v);
		return -ENODEV;
	}
	NEED("ip");
	if (ip_addr_parse(v, &l->ip, &l->plen) != 0 || strchr(v, '/') == NULL)
		BAD("ip (ADDR/PLEN)");
	NEED("next_hop");
	if (ip_addr_parse(v, &l->next_hop, NULL) != 0 || l->next_hop.family != l->ip.family)
		BAD("next_hop");
	if ((v = kv_get(&kv, "next_hop_mac")) != NULL) {
		if (mac_parse(v, l->next_hop_mac) != 0)
			BAD("next_hop_mac");
		l->has_next_hop_mac = true;
	}
	l->reflector = l->next_hop;
	if ((v = kv_get(&kv, "reflector")) != NULL &&
	    (ip_addr_parse(v, &l->reflector, NULL) != 0 || l->reflector.family != l->ip.family))
		BAD("reflector");
	if ((v = kv_get(&kv, "reflector_port")) != NULL) {
		if (kv_u64(v, 1, 65535, &u) != 0)
			BAD("reflector_port");
		l->reflector_port = (uint16_t)u;
	}
	if ((v = kv_get(&kv, "source_port")) != NULL) {
		if (kv_u64(v, 1, 65535, &u) != 0)
			BAD("source_port");
		l->source_port = (uint16_t)u;
	}
	if ((v = kv_get(&kv, "vlan")) != NULL && kv_vlans(v, &l->encap) != 0)
		BAD("vlan");
	if ((v = kv_get(&kv, "rate")) != NULL) {
		const char *rerr = NULL;

		if (rate_parse(v, &l->rate, &rerr) != 0) {
			err = rerr != NULL ? rerr : "bad rate";
			goto bad_spec;
		}
	}
	if ((v = kv_get(&kv, "link_speed")) != NULL) {
		struct rate r;
		const char *rerr = NULL;

		if (rate_parse(v, &r, &rerr) != 0 || r.kind != RATE_BPS)
			BAD("link_speed (e.g. 10Gbps)");
		l->rate_link_bps = r.value;
	}
	if ((v = kv_get(&kv, "frame")) == NULL)
		v = "128";
	{
		const char *merr = NULL;

		if (frame_mix_parse(v, PKT_MIN_FRAME, PKT_MAX_FRAME, &l->mix, &merr) != 0) {
			err = merr;
			goto bad_spec;
		}
		l->frame_size = frame_mix_max_size(&l->mix);
	}
	if ((v = kv_get(&kv, "dscp")) != NULL) {
		if (kv_u64(v, 0, 63, &u) != 0)
			BAD("dscp (0..63)");
		l->dscp = (uint8_t)u;
	}
	if ((v = kv_get(&kv, "ssid")) != NULL) {
		if (kv_u64(v, 0, 65535, &u) != 0)
			BAD("ssid");
		l->ssid = (uint16_t)u;
	}
	if ((v = kv_get(&kv, "queues")) != NULL) {
		if (kv_u64(v, 1, DP_MAX_QUEUES, &u) != 0)
			BAD("queues (1..8)");
		l->queues = (uint16_t)u;
	}
	if ((v = kv_get(&kv, "lcore")) != NULL) {
		if (kv_u64(v, 0, RTE_MAX_LCORE - 1, &u) != 0)
			BAD("lcore");
		l->lcore = (int)u;
	}
	bad = kv_unused(&kv);
	if (bad != NULL) {
		fprintf(stderr, "metroprobe-dp: --link: unknown key '%s'\n", bad);
		return -EINVAL;
	}
	return 0;
#undef NEED
#undef BAD
bad_spec:
	fprintf(stderr, "metroprobe-dp: --link '%s': %s\n", spec, err);
	return -EINVAL;
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long u;
	int c, rc, li = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->interval_ms = 100;
	cfg->loss_timeout_ms = 1000;
	cfg->rx_spin_us = 500;
	cfg->control_grace_ms = 1000;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, &li)) != -1) {
		switch (c) {
		case 'l':
			if (cfg->n_links >= DP_MAX_LINKS) {
				fprintf(stderr, "metroprobe-dp: at most %d links\n", DP_MAX_LINKS);
				return -EINVAL;
			}
			rc = parse_link(optarg, &cfg->links[cfg->n_links], cfg->n_links);
			if (rc != 0)
				return rc;
			cfg->n_links++;
			break;
		case 'i':
			if (kv_u64(optarg, 10, 60000, &u) != 0)
				goto bad;
			cfg->interval_ms = u;
			break;
		case 't':
			if (kv_u64(optarg, 1, 60000, &u) != 0)
				goto bad;
			cfg->loss_timeout_ms = u;
			break;
		case 'd':
			if (kv_u64(optarg, 0, 10ull * 366 * 86400 * 1000, &u) != 0)
				goto bad;
			cfg->duration_ms = u;
			break;
		case 's':
			cfg->socket_path = optarg;
			break;
		case 'b':
			cfg->busy_poll = true;
			break;
		case 'r':
			if (kv_u64(optarg, 0, 1000000, &u) != 0)
				goto bad;
			cfg->rx_spin_us = u;
			break;
		case 'T':
			if (strcmp(optarg, "auto") == 0)
				cfg->rx_ts_mode = DP_RXTS_AUTO;
			else if (strcmp(optarg, "device") == 0)
				cfg->rx_ts_mode = DP_RXTS_DEVICE;
			else if (strcmp(optarg, "software") == 0)
				cfg->rx_ts_mode = DP_RXTS_SOFTWARE;
			else
				goto bad;
			break;
		case 'S':
			cfg->rtt_samples_path = optarg;
			break;
		case 'H':
			cfg->host_reflector = optarg;
			break;
		case 'R':
			break;	/* made before the links were parsed: see probe_main */
		case 'C':
			if (strcmp(optarg, "exit") == 0)
				cfg->control_lost = DP_CTL_LOST_EXIT;
			else if (strcmp(optarg, "keep") == 0)
				cfg->control_lost = DP_CTL_LOST_KEEP;
			else
				goto bad;
			break;
		case 'G':
			if (kv_u64(optarg, 0, 86400000, &u) != 0)
				goto bad;
			cfg->control_grace_ms = u;
			break;
		case 'h':
			probe_usage(stdout);
			return 1;
		default:
			probe_usage(stderr);
			return -EINVAL;
		}
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
bad:
	fprintf(stderr, "metroprobe-dp: probe: bad value '%s' for --%s\n", optarg,
		opts[li].name);
	return -EINVAL;
}
