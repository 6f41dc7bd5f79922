/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The STAMP session-reflector (RFC 8762 section 4.3), in place: each
 * request mbuf becomes its own reply. A request shorter than the 44-byte
 * base packet is answered with the base packet (RFC 8762 4.6), within a
 * per-source rate (reflect_short.c), or refused with --refuse-short.
 * Sources are checked against an allowlist that defaults to our own
 * subnets.
 *
 * For the lab it can impair the path it answers for: drop, duplicate and
 * reorder with given probabilities, and add delay and delay variation
 * (the schedule is mp_impair's; see mp_impair.h for what each means).
 * T3 is stamped when a reply enters that emulated link, so added delay
 * shows in the round trip instead of being subtracted as residence time.
 * With --impair-file, SIGHUP makes it read new impairments from that file
 * and apply them between two bursts, without a restart: replies already
 * queued keep their release times, none is dropped by the change.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "mp_impair.h"
#include "mp_stamp.h"
#include "dp.h"
#include "kv.h"
#include "reflect_short.h"

#define MAX_ALLOW	16
#define IMPAIR_CAP	16384		/* replies the emulated link can hold */
#define SESS_SLOTS	4096		/* stateful mode sessions (power of two) */
#define REORDER_HOLD_US	10000		/* a held packet goes out after this at the latest */
#define RELEASE_WAKE_US	100		/* awake this long before a delayed reply is due */

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

static struct reflector R_main;
/* The one reflector of this process: reflect mode's, or one hosted by the prober. */
static struct reflector *R = &R_main;
/* SIGHUP: read the impair file again. */
static volatile sig_atomic_t impair_reload;

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

static void
on_sighup(int sig)
{
	(void)sig;
	impair_reload = 1;
}

static int
parse_args(int argc, char **argv)
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
	unsigned long long u, hz = dp_tsc_hz;
	struct mp_impair_params *ip = &R->imp_params;
	char err[160];
	const char *port = "0";
	int c, n_nh = 0;
	struct ip_addr nh[DP_MAX_ADDRS];

	R->udp_port = STAMP_UDP_PORT;
	R->idle_sleep_us = 50;
	R->shrt.rate = REFLECT_SHORT_RATE;
	R->shrt.burst = REFLECT_SHORT_BURST;
	R->seed = 0x9E3779B97F4A7C15ULL;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			port = optarg;
			break;
		case 'i':
			if (R->port.n_addrs >= DP_MAX_ADDRS ||
			    ip_addr_parse(optarg, &R->port.addr[R->port.n_addrs],
					  &R->port.plen[R->port.n_addrs]) != 0 ||
			    strchr(optarg, '/') == NULL) {
				fprintf(stderr, "metroprobe-dp: reflect: --ip '%s': want ADDR/PLEN, "
					"at most two\n", optarg);
				return -EINVAL;
			}
			R->port.n_addrs++;
			break;
		case 'n':
			if (n_nh >= DP_MAX_ADDRS || ip_addr_parse(optarg, &nh[n_nh], NULL) != 0) {
				fprintf(stderr, "metroprobe-dp: reflect: bad --next-hop '%s'\n", optarg);
				return -EINVAL;
			}
			n_nh++;
			break;
		case 'u':
			if (kv_u64(optarg, 1, 65535, &u) != 0)
				goto bad;
			R->udp_port = (uint16_t)u;
			break;
		case 'v':
			if (kv_vlans(optarg, &R->port.encap) != 0)
				goto bad;
			break;
		case 'a':
			if (strcmp(optarg, "any") == 0) {
				R->allow_any = true;
				break;
			}
			if (R->n_allow >= MAX_ALLOW ||
			    ip_addr_parse(optarg, &R->allow[R->n_allow].net, &R->allow[R->n_allow].plen) != 0)
				goto bad;
			R->n_allow++;
			break;
		case 'S':
			R->stateful = true;
			break;
		case 'X':
			R->shrt.refuse = true;
			break;
		case 'Y':
			if (kv_u64(optarg, 0, 10000000, &u) != 0)
				goto bad;
			R->shrt.rate = u;
			break;
		case 'Z':
			if (kv_u64(optarg, 1, 1000000, &u) != 0)
				goto bad;
			R->shrt.burst = u;
			break;
		case 'L':
			if (kv_pct_ppm(optarg, &u) != 0)
				goto bad;
			ip->loss_ppm = (uint32_t)u;
			break;
		case 'D':
			if (kv_pct_ppm(optarg, &u) != 0)
				goto bad;
			ip->dup_ppm = (uint32_t)u;
			break;
		case 'O':
			if (kv_pct_ppm(optarg, &u) != 0)
				goto bad;
			ip->reorder_ppm = (uint32_t)u;
			break;
		case 'd':
			if (kv_u64(optarg, 0, 10000000, &u) != 0)
				goto bad;
			ip->delay = u * hz / 1000000;
			break;
		case 'j':
			if (kv_u64(optarg, 0, 10000000, &u) != 0)
				goto bad;
			ip->jitter = u * hz / 1000000;
			break;
		case 's':
			if (kv_u64(optarg, 1, UINT64_MAX, &u) != 0)
				goto bad;
			R->seed = u;
			break;
		case 'F':
			R->impair_file = optarg;
			break;
		case 'b':
			R->busy_poll = true;
			break;
		case 'I':
			if (kv_u64(optarg, 0, 100000, &u) != 0)
				goto bad;
			R->idle_sleep_us = u;
			break;
		case 'T':
			if (kv_u64(optarg, 0, 86400, &u) != 0)
				goto bad;
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
	if (R->port.n_addrs == 0) {
		fprintf(stderr, "metroprobe-dp: reflect: --ip ADDR/PLEN is required\n");
		return -EINVAL;
	}
	ip->hold_max = REORDER_HOLD_US * hz / 1000000;
	if (mp_impair_check(ip, err, sizeof(err)) != 0) {
		fprintf(stderr, "metroprobe-dp: reflect: impairments: %s\n", err);
		return -EINVAL;
	}
	if (kv_u64(port, 0, RTE_MAX_ETHPORTS - 1, &u) == 0) {
		R->port.port_id = (uint16_t)u;
	} else if (rte_eth_dev_get_port_by_name(port, &R->port.port_id) != 0) {
		fprintf(stderr, "metroprobe-dp: reflect: no DPDK port '%s'\n", port);
		return -ENODEV;
	}
	for (c = 0; c < n_nh; c++)
		dp_nbr_add(&R->port, &nh[c], NULL);
	return 0;
bad:
	fprintf(stderr, "metroprobe-dp: reflect: bad value '%s'\n", optarg);
	return -EINVAL;
}

static bool
allowed(const struct ip_addr *src)
{
	int i;

	if (R->allow_any)
		return true;
	if (R->n_allow == 0) {
		/* Default: only on-link peers of our own subnets. */
		for (i = 0; i < R->port.n_addrs; i++)
			if (src->family == R->port.addr[i].family &&
			    ip_addr_same_prefix(src, &R->port.addr[i], R->port.plen[i]))
				return true;
		return false;
	}
	for (i = 0; i < R->n_allow; i++)
		if (src->family == R->allow[i].net.family &&
		    ip_addr_same_prefix(src, &R->allow[i].net, R->allow[i].plen))
			return true;
	return false;
}

static uint32_t
session_seq(const struct pkt_info *pi, uint16_t ssid)
{
	uint32_t h = 2166136261u, i, k;

	for (i = 0; i < 16; i++)
		h = (h ^ pi->src.b[i]) * 16777619u;
	h = (h ^ pi->sport) * 16777619u;
	h = (h ^ ssid) * 16777619u;
	for (k = 0; k < SESS_SLOTS; k++) {
		struct session *s = &R->sess[(h + k) & (SESS_SLOTS - 1)];

		if (!s->used) {
			s->used = true;
			s->src = pi->src;
			s->sport = pi->sport;
			s->ssid = ssid;
			s->next_seq = 0;
		}
		if (ip_addr_equal(&s->src, &pi->src) && s->sport == pi->sport && s->ssid == ssid)
			return s->next_seq++;
	}
	R->sess_full++;
	return 0;
}

/*
 * Turn a request into its reply, in place, without T3 and checksums.
 * Returns MP_OK, or why the frame is not answered (the caller frees it).
 */
static enum mp_reason
make_reply(struct rte_mbuf *m, uint64_t t2_ntp, uint64_t now_tsc, struct pkt_info *pi)
{
	uint8_t *d;
	struct stamp_test t;
	struct stamp_reply r;
	const struct dp_nbr *nh = NULL;
	uint8_t tmp[16];
	uint16_t port;
	int i;

	if (!encap_matches(&R->port.encap, &pi->encap))
		return MP_R_VLAN_MISMATCH;
	if (!dp_port_is_ours(&R->port, &pi->dst))
		return MP_R_WRONG_ADDRESS;
	if (pi->dport != R->udp_port)
		return MP_R_WRONG_PORT;
	if (!allowed(&pi->src))
		return MP_R_NOT_ALLOWED;
	if (pi->lay.payload_len < STAMP_UNAUTH_LEN) {
		enum mp_reason why = reflect_short_pad(&R->shrt, m, pi, now_tsc);

		if (why != MP_OK)
			return why;
	}
	d = rte_pktmbuf_mtod(m, uint8_t *);
	if (stamp_test_decode(d + pi->lay.payload_off, pi->lay.payload_len, STAMP_UNAUTH, &t) != 0)
		return MP_R_SHORT_STAMP;
	memset(&r, 0, sizeof(r));
	r.seq = R->stateful ? session_seq(pi, t.ssid) : t.seq;
	r.errest = R->errest;
	r.ssid = t.ssid;
	r.rx_ts = t2_ntp;
	r.sender_seq = t.seq;
	r.sender_ts = t.ts;
	r.sender_errest = t.errest;
	r.sender_ttl = pi->ttl;
	stamp_reply_encode(d + pi->lay.payload_off, pi->lay.payload_len, STAMP_UNAUTH, &r);

	/* L2: back to the sender's MAC, or via our next hop for off-link sources. */
	if (dp_port_src_for(&R->port, &pi->src) != NULL) {
		for (i = 0; i < R->port.n_addrs; i++)
			if (R->port.addr[i].family == pi->src.family &&
			    ip_addr_same_prefix(&R->port.addr[i], &pi->src, R->port.plen[i]))
				break;
		if (i == R->port.n_addrs)
			for (i = 0; i < R->port.n_nbrs; i++)
				if (R->port.nbr[i].ip.family == pi->src.family && R->port.nbr[i].resolved)
					nh = &R->port.nbr[i];
	}
	memcpy(d, nh != NULL ? nh->mac : pi->src_mac, 6);
	memcpy(d + 6, R->port.mac, 6);
	/* L3 */
	if (pi->src.family == 4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(d + pi->lay.l3_off);

		memcpy(tmp, &ip->src_addr, 4);
		ip->src_addr = ip->dst_addr;
		memcpy(&ip->dst_addr, tmp, 4);
		ip->time_to_live = 255;
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	} else {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(d + pi->lay.l3_off);

		memcpy(tmp, ip->src_addr, 16);
		memcpy(ip->src_addr, ip->dst_addr, 16);
		memcpy(ip->dst_addr, tmp, 16);
		ip->hop_limits = 255;
	}
	/* L4 */
	memcpy(&port, d + pi->lay.l4_off, 2);
	memcpy(d + pi->lay.l4_off, d + pi->lay.l4_off + 2, 2);
	memcpy(d + pi->lay.l4_off + 2, &port, 2);
	return MP_OK;
}

/* Write T3 and the UDP checksum: the last touch before the reply leaves. */
static inline void
stamp_t3(struct rte_mbuf *m, uint64_t t3_ntp)
{
	uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);
	uint16_t l3 = m->l2_len, l4 = (uint16_t)(m->l2_len + m->l3_len);
	uint64_t ts_be = rte_cpu_to_be_64(t3_ntp);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(d + l4);

	memcpy(d + l4 + 8 + STAMP_OFF_TS, &ts_be, 8);
	udp->dgram_cksum = 0;
	if ((d[l3] >> 4) == 4)
		udp->dgram_cksum = rte_ipv4_udptcp_cksum((struct rte_ipv4_hdr *)(d + l3), udp);
	else
		udp->dgram_cksum = rte_ipv6_udptcp_cksum((struct rte_ipv6_hdr *)(d + l3), udp);
}

static void
tx_flush(struct rte_mbuf **tx, uint16_t n)
{
	uint16_t sent = 0;
	int tries = 0;

	while (sent < n && tries++ <= DP_TX_RETRIES)
		sent += rte_eth_tx_burst(R->port.port_id, 0, tx + sent, (uint16_t)(n - sent));
	R->reflected += sent;
	R->tx_failed += n - sent;
	while (sent < n)
		rte_pktmbuf_free(tx[sent++]);
}

/* Send an impaired or plain reply: it already carries T3 and checksums. */
static inline void
emit(struct rte_mbuf **tx, uint16_t *ntx, struct rte_mbuf *m)
{
	if (*ntx == DP_BURST) {
		tx_flush(tx, *ntx);
		*ntx = 0;
	}
	tx[(*ntx)++] = m;
}

/* The emulated link: loss and duplication now, the rest by release time. */
static void
impair(struct rte_mbuf *m, uint64_t now)
{
	enum mp_impair_verdict v = mp_impair_admit(&R->imp);
	struct rte_mbuf *copy = NULL;

	if (v == MP_IMPAIR_DROP) {
		rte_pktmbuf_free(m);
		return;
	}
	if (v == MP_IMPAIR_DUP)
		copy = rte_pktmbuf_copy(m, R->port.pool, 0, UINT32_MAX);
	if (mp_impair_push(&R->imp, now, m, copy) != 0) {
		rte_pktmbuf_free(m);
		if (copy != NULL)
			rte_pktmbuf_free(copy);
	}
}

/*
 * SIGHUP: new impairments from the impair file, applied between two
 * bursts (this is the only thread touching R->imp: no lock needed).
 * Replies already queued keep their release times.
 */
static void
impair_reload_file(void)
{
	struct mp_impair_params p = { .hold_max = REORDER_HOLD_US * dp_tsc_hz / 1000000 };
	static const char *const keys[] = { "loss", "dup", "reorder", "delay_us", "jitter_us" };
	unsigned long long u, gen = 0;
	char line[1024], err[160] = "";
	const char *kerr = NULL, *v;
	struct kv kv;
	size_t len;
	FILE *f;
	int i;

	f = fopen(R->impair_file, "r");
	if (f == NULL) {
		snprintf(err, sizeof(err), "cannot open %s: %s", R->impair_file, strerror(errno));
		goto refuse;
	}
	len = fread(line, 1, sizeof(line) - 1, f);
	fclose(f);
	line[len] = '\0';
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == ' '))
		line[--len] = '\0';
	if (kv_parse(&kv, line, &kerr) != 0) {
		snprintf(err, sizeof(err), "%s", kerr);
		goto refuse;
	}
	v = kv_get(&kv, "gen");
	if (v != NULL && kv_u64(v, 0, UINT64_MAX, &gen) != 0) {
		snprintf(err, sizeof(err), "gen=%s: want a number", v);
		goto refuse;
	}
	for (i = 0; i < 5; i++) {
		v = kv_get(&kv, keys[i]);
		if (v == NULL)
			continue;
		if ((i < 3 ? kv_pct_ppm(v, &u) : kv_u64(v, 0, 10000000, &u)) != 0) {
			snprintf(err, sizeof(err), "%s=%s: want %s", keys[i], v,
				 i < 3 ? "a percentage, 0..100" : "whole microseconds, 0..10000000");
			goto refuse;
		}
		if (i == 0)
			p.loss_ppm = (uint32_t)u;
		else if (i == 1)
			p.dup_ppm = (uint32_t)u;
		else if (i == 2)
			p.reorder_ppm = (uint32_t)u;
		else if (i == 3)
			p.delay = u * dp_tsc_hz / 1000000;
		else
			p.jitter = u * dp_tsc_hz / 1000000;
	}
	if (kv_unused(&kv) != NULL) {
		snprintf(err, sizeof(err), "unknown key '%s'", kv_unused(&kv));
		goto refuse;
	}
	if (mp_impair_check(&p, err, sizeof(err)) != 0)
		goto refuse;
	R->imp_params = p;
	mp_impair_set(&R->imp, &p);
	R->impaired = mp_impair_params_active(&p);
	printf("{\"type\":\"impair_applied\",\"gen\":%llu,\"impaired\":%s,\"queued\":%u}\n",
	       gen, R->impaired ? "true" : "false", mp_impair_pending(&R->imp));
	fflush(stdout);
	return;
refuse:
	printf("{\"type\":\"impair_refused\",\"gen\":%llu,\"error\":\"", gen);
	for (i = 0; err[i] != '\0'; i++)
		if (err[i] != '"' && err[i] != '\\')
			putchar(err[i]);
	printf("\"}\n");
	fflush(stdout);
}

static void
print_stats(const char *what)
{
	int i;

	printf("{\"type\":\"%s\",\"rx_frames\":%lu,\"reflected\":%lu,\"arp_nd\":%lu,"
	       "\"impair_dropped\":%lu,\"impair_duplicated\":%lu,\"impair_reordered\":%lu,"
	       "\"impair_hold_expired\":%lu,\"impair_overflow\":%lu,\"tx_failed\":%lu,"
	       "\"sessions_full\":%lu,\"short_padded\":%lu,\"invalid\":{",
	       what, R->rx_frames, R->reflected, R->port.arp_nd_handled, R->imp.dropped,
	       R->imp.duplicated, R->imp.reordered, R->imp.hold_expired, R->imp.overflow, R->tx_failed,
	       R->sess_full, R->shrt.padded);
	for (i = 1; i < MP_R_REASON_MAX; i++)
		printf("%s\"%s\":%lu", i > 1 ? "," : "", mp_reason_names[i], R->invalid[i]);
	printf("}}\n");
	fflush(stdout);
}

/* Set up the port and the loop state of R (its options already set). */
static int
reflect_start(void)
{
	uint64_t hz = dp_tsc_hz;
	int rc;

	R->sess = calloc(SESS_SLOTS, sizeof(*R->sess));
	if (R->sess == NULL)
		return -ENOMEM;
	rc = reflect_short_init(&R->shrt, hz);
	if (rc != 0)
		return rc;
	R->errest = dp_clock_errest;
	mp_impair_init(&R->imp, R->imp_items, IMPAIR_CAP, R->seed);
	mp_impair_set(&R->imp, &R->imp_params);
	R->impaired = mp_impair_params_active(&R->imp_params);
	rc = dp_port_setup(&R->port, R->port.port_id, 1, MP_REFLECT_FRAME,
			   MP_REFLECT_MBUFS);
	if (rc != 0)
		return rc;
	R->link_up = true;
	R->window_polls = -1;
	R->guard = hz / 5000;
	R->guard_min = hz / 20000;
	R->guard_max = hz / 200;
	R->last_rx = rte_rdtsc();
	R->next_stats = R->stats_interval_s ? R->last_rx + R->stats_interval_s * hz : UINT64_MAX;
	return 0;
}

/*
 * A reflector hosted by the prober on the same lcore (benchmarks: a probe
 * loop with its far end in one process, over a net_ring pair). spec:
 * "port=NAME,ip=ADDR/PLEN"; answers anyone, busy polls, never sleeps.
 */
int
reflect_hosted_setup(const char *spec)
{
	struct kv kv;
	const char *err = "", *v;

	memset(R, 0, sizeof(*R));
	R->udp_port = STAMP_UDP_PORT;
	R->allow_any = true;
	R->busy_poll = true;
	R->seed = 0x9E3779B97F4A7C15ULL;
	R->shrt.rate = REFLECT_SHORT_RATE;
	R->shrt.burst = REFLECT_SHORT_BURST;
	if (kv_parse(&kv, spec, &err) != 0)
		goto bad;
	v = kv_get(&kv, "port");
	if (v == NULL || rte_eth_dev_get_port_by_name(v, &R->port.port_id) != 0) {
		err = "port=NAME of a DPDK device is required";
		goto bad;
	}
	v = kv_get(&kv, "ip");
	if (v == NULL || ip_addr_parse(v, &R->port.addr[0], &R->port.plen[0]) != 0) {
		err = "ip=ADDR/PLEN is required";
		goto bad;
	}
	R->port.n_addrs = 1;
	if (kv_unused(&kv) != NULL) {
		err = "unknown key";
		goto bad;
	}
	return reflect_start();
bad:
	fprintf(stderr, "metroprobe-dp: --host-reflector '%s': %s\n", spec, err);
	return -EINVAL;
}

/*
 * One turn of the reflector: receive a burst, answer, release delayed
 * replies, housekeeping, and (unless busy polling) sleep while idle.
 * Returns the frames received.
 */
uint16_t
reflect_poll(void)
{
	struct rte_mbuf *rx[DP_BURST], *tx[DP_BURST * 3], *plain[DP_BURST];
	uint64_t hz = dp_tsc_hz, now, t2;
	uint16_t n = 0, ntx = 0, nplain = 0;
	int i;

	/*
	 * Poll only while the link is up: some PMDs (memif when its peer
	 * goes away) must not be polled on a dead link.
	 */
	if (unlikely(R->port.link_check_each_poll) && R->link_up) {
		struct rte_eth_link link;

		memset(&link, 0, sizeof(link));
		if (rte_eth_link_get_nowait(R->port.port_id, &link) == 0 && !link.link_status) {
			R->link_up = false;
			printf("{\"type\":\"link_down\"}\n");
			fflush(stdout);
		}
	}
	if (likely(R->link_up))
		n = rte_eth_rx_burst(R->port.port_id, 0, rx, DP_BURST);
	dp_tmpl_tag_clear(rx, n);
	now = rte_rdtsc();
	t2 = tsc_clock_ntp(&dp_clock, now);

	for (i = 0; i < n; i++) {
		struct pkt_info pi;
		enum mp_reason why;

		R->rx_frames++;
		why = pkt_parse(rte_pktmbuf_mtod(rx[i], uint8_t *),
				rte_pktmbuf_data_len(rx[i]), PKT_VERIFY_CSUM, &pi);
		if (why == MP_OK && pi.kind != PKT_KIND_UDP) {
			if (dp_nbr_input(&R->port, 0, rx[i], &pi, now))
				continue;
			why = MP_R_NOT_UDP;
		}
		if (why == MP_OK)
			why = make_reply(rx[i], t2, now, &pi);
		if (why != MP_OK) {
			R->invalid[why]++;
			rte_pktmbuf_free(rx[i]);
			continue;
		}
		rx[i]->l2_len = pi.lay.l3_off;
		rx[i]->l3_len = (uint16_t)(pi.lay.l4_off - pi.lay.l3_off);
		plain[nplain++] = rx[i];
	}
	if (n == 0 && R->window_polls >= 0)
		R->window_polls++;
	if (n > 0) {
		/*
		 * Learn the arrival period of a steady probe stream: when two
		 * gaps agree within 1/8, expect the next request one gap later.
		 */
		uint64_t gap = now - R->last_rx;

		if (R->window_polls == 0)
			R->guard = R->guard * 2 > R->guard_max ? R->guard_max : R->guard * 2;
		else if (R->window_polls > 0)
			R->guard = R->guard - R->guard / 8 < R->guard_min ? R->guard_min : R->guard - R->guard / 8;
		R->window_polls = -1;

		if (gap > hz / 100000 && gap < hz) {
			uint64_t d = gap > R->prev_gap ? gap - R->prev_gap : R->prev_gap - gap;

			R->expect_tsc = d < R->prev_gap / 8 ? now + gap : 0;
			R->prev_gap = gap;
		}
		R->last_rx = now;
	}
	if (nplain > 0) {
		uint64_t t3_tsc = rte_rdtsc(), t3 = tsc_clock_ntp(&dp_clock, t3_tsc);

		for (i = 0; i < nplain; i++) {
			stamp_t3(plain[i], t3);
			/* while replies are queued new ones queue behind them */
			if (R->impaired || mp_impair_pending(&R->imp) > 0)
				impair(plain[i], t3_tsc);
			else
				tx[ntx++] = plain[i];
		}
	}
	/* Delayed replies whose time has come. */
	if (mp_impair_pending(&R->imp) > 0) {
		uint64_t t = rte_rdtsc();
		void *m;

		while ((m = mp_impair_pop(&R->imp, t)) != NULL)
			emit(tx, &ntx, m);
	}
	if (ntx > 0 && R->link_up)
		tx_flush(tx, ntx);
	else if (ntx > 0) {
		R->tx_failed += ntx;
		while (ntx > 0)
			rte_pktmbuf_free(tx[--ntx]);
	}
	if (now >= R->next_nbr) {
		struct rte_eth_link link;

		memset(&link, 0, sizeof(link));
		if (rte_eth_link_get_nowait(R->port.port_id, &link) == 0 &&
		    (bool)link.link_status != R->link_up) {
			R->link_up = link.link_status;
			printf("{\"type\":\"link_%s\"}\n", R->link_up ? "up" : "down");
			fflush(stdout);
		}
		if (R->link_up)
			dp_nbr_poll(&R->port, 0, now);
		R->next_nbr = now + hz / 100;
	}
	if (now >= R->next_stats) {
		print_stats("reflector_stats");
		R->next_stats += R->stats_interval_s * hz;
	}
	/*
	 * Idle: sleep unless traffic is flowing, a release is near, or a
	 * request of a steady stream is due: then sleep only until shortly
	 * before it and poll, so the request does not wait in the ring
	 * (its wait is not in T3 - T2, so it would add to the round trip).
	 */
	/*
	 * memif: after 10 ms without a frame, poll only every 100 us even when
	 * busy polling. A peer that leaves does so after its traffic stopped,
	 * and DPDK 22.11's memif unmaps the rings under a running rx_burst (a
	 * crash): this makes being inside one at that moment a rare event.
	 */
	if (unlikely(R->port.link_check_each_poll) && n == 0 &&
	    mp_impair_pending(&R->imp) == 0 && now - R->last_rx > hz / 100) {
		struct timespec ts = { 0, 100000 };

		nanosleep(&ts, NULL);
		return n;
	}
	if (!R->busy_poll && n == 0 && now - R->last_rx > hz / 10000 && R->idle_sleep_us > 0) {
		uint64_t sleep_ns = R->idle_sleep_us * 1000;
		struct timespec ts;

		if (R->expect_tsc != 0) {
			if (now + R->guard >= R->expect_tsc) {
				if (now < R->expect_tsc + R->guard) {
					if (R->window_polls < 0)
						R->window_polls = 1;	/* awake before it: in time */
					/* poll, but let whoever shares this CPU run */
					sched_yield();
					return n;
				}
				R->expect_tsc = 0;		/* missed: back to plain idle */
				R->window_polls = -1;
			} else {
				uint64_t ns = (R->expect_tsc - R->guard - now) * 1000000000ull / hz;

				if (ns > sleep_ns)
					sleep_ns = ns > 10000000 ? 10000000 : ns;
				if (now + R->guard + sleep_ns * hz / 1000000000ull >= R->expect_tsc)
					R->window_polls = 0;	/* this sleep ends in the window */
			}
		}

		if (mp_impair_pending(&R->imp) > 0) {
			/*
			 * A delayed reply is due: sleep until RELEASE_WAKE_US
			 * before it, then poll (yielding) up to its time. A
			 * sleeping vCPU wakes tens of us late, which would be
			 * added to the delay.
			 */
			uint64_t until = mp_impair_next_due(&R->imp);
			uint64_t early = RELEASE_WAKE_US * hz / 1000000;

			if (now + early >= until) {
				sched_yield();
				return n;
			}
			if ((until - early - now) * 1000000000ull / hz < sleep_ns)
				sleep_ns = (until - early - now) * 1000000000ull / hz;
		}
		if (sleep_ns > 0) {
			ts.tv_sec = 0;
			ts.tv_nsec = (long)sleep_ns;
			nanosleep(&ts, NULL);
		}
	}

	return n;
}

int
reflect_main(int argc, char **argv)
{
	char mac[32], ip[64];
	void *m;
	int rc;

	memset(R, 0, sizeof(*R));
	rc = parse_args(argc, argv);
	if (rc != 0)
		return rc > 0 ? 0 : 2;
	rc = reflect_start();
	if (rc != 0)
		return 1;
	prctl(PR_SET_TIMERSLACK, 1000UL);
	if (R->impair_file != NULL)
		signal(SIGHUP, on_sighup);
	mac_format(R->port.mac, mac, sizeof(mac));
	ip_addr_format(&R->port.addr[0], ip, sizeof(ip));
	printf("reflector ready: port %u mac %s ip %s udp %u%s%s\n", R->port.port_id, mac, ip,
	       R->udp_port, R->stateful ? " stateful" : " stateless",
	       R->impaired ? " impaired" : "");
	fflush(stdout);
	while (!dp_force_quit) {
		reflect_poll();
		if (unlikely(impair_reload)) {
			impair_reload = 0;
			impair_reload_file();
		}
	}
	while ((m = mp_impair_drain(&R->imp)) != NULL)
		rte_pktmbuf_free(m);
	print_stats("reflector_final");
	dp_port_close(&R->port);
	free(R->sess);
	reflect_short_free(&R->shrt);
	return 0;
}
