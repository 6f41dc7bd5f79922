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
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "mp_stamp.h"
#include "kv.h"
#include "reflect.h"

#define RELEASE_WAKE_US	100		/* awake this long before a delayed reply is due */

/* SIGHUP: read the impair file again. */
static volatile sig_atomic_t impair_reload;

static void
on_sighup(int sig)
{
	(void)sig;
	impair_reload = 1;
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
tx_flush(struct reflector *R, struct rte_mbuf **tx, uint16_t n)
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
emit(struct reflector *R, struct rte_mbuf **tx, uint16_t *ntx, struct rte_mbuf *m)
{
	if (*ntx == DP_BURST) {
		tx_flush(R, tx, *ntx);
		*ntx = 0;
	}
	tx[(*ntx)++] = m;
}

static void
print_stats(const struct reflector *R, const char *what)
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

/*
 * Poll only while the link is up: some PMDs (memif when its peer goes
 * away) must not be polled on a dead link.
 */
static inline void
reflect_link_watch(struct reflector *R)
{
	struct rte_eth_link link;

	memset(&link, 0, sizeof(link));
	if (rte_eth_link_get_nowait(R->port.port_id, &link) == 0 && !link.link_status) {
		R->link_up = false;
		printf("{\"type\":\"link_down\"}\n");
		fflush(stdout);
	}
}

/*
 * Answer what a burst brought: ARP/ND to the neighbour code, STAMP
 * requests made into replies (into plain[], T3 still to write), anything
 * else counted by why and freed. Returns the replies.
 */
static inline uint16_t
reflect_rx(struct reflector *R, struct rte_mbuf **rx, uint16_t n, uint64_t now,
	   struct rte_mbuf **plain)
{
	uint64_t t2 = tsc_clock_ntp(&dp_clock, now);
	uint16_t i, nplain = 0;

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
			why = reflect_make_reply(R, rx[i], t2, now, &pi);
		if (why != MP_OK) {
			R->invalid[why]++;
			rte_pktmbuf_free(rx[i]);
			continue;
		}
		rx[i]->l2_len = pi.lay.l3_off;
		rx[i]->l3_len = (uint16_t)(pi.lay.l4_off - pi.lay.l3_off);
		plain[nplain++] = rx[i];
	}
	return nplain;
}

/*
 * Learn the arrival period of a steady probe stream: when two gaps agree
 * within 1/8, expect the next request one gap later. The guard (how early
 * to be awake for it) grows when a wake-up was late and shrinks when it
 * was in time.
 */
static inline void
reflect_learn_period(struct reflector *R, uint16_t n, uint64_t now)
{
	uint64_t hz = dp_tsc_hz, gap = now - R->last_rx;

	if (n == 0) {
		if (R->window_polls >= 0)
			R->window_polls++;
		return;
	}
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

/*
 * T3 into the replies and out they go, through the emulated link when it
 * is impaired or still holds replies (new ones queue behind them); then
 * the delayed replies whose time has come.
 */
static inline void
reflect_send(struct reflector *R, struct rte_mbuf **plain, uint16_t nplain)
{
	struct rte_mbuf *tx[DP_BURST * 3];
	uint16_t i, ntx = 0;
	void *m;

	if (nplain > 0) {
		uint64_t t3_tsc = rte_rdtsc(), t3 = tsc_clock_ntp(&dp_clock, t3_tsc);

		for (i = 0; i < nplain; i++) {
			stamp_t3(plain[i], t3);
			if (R->impaired || mp_impair_pending(&R->imp) > 0)
				reflect_impair(R, plain[i], t3_tsc);
			else
				tx[ntx++] = plain[i];
		}
	}
	if (mp_impair_pending(&R->imp) > 0) {
		uint64_t t = rte_rdtsc();

		while ((m = mp_impair_pop(&R->imp, t)) != NULL)
			emit(R, tx, &ntx, m);
	}
	if (ntx > 0 && R->link_up) {
		tx_flush(R, tx, ntx);
	} else if (ntx > 0) {
		R->tx_failed += ntx;
		while (ntx > 0)
			rte_pktmbuf_free(tx[--ntx]);
	}
}

/* Every 10 ms: the link's state, neighbour solicitations; and the periodic stats line. */
static void
reflect_housekeeping(struct reflector *R, uint64_t now)
{
	struct rte_eth_link link;

	if (now >= R->next_nbr) {
		memset(&link, 0, sizeof(link));
		if (rte_eth_link_get_nowait(R->port.port_id, &link) == 0 &&
		    (bool)link.link_status != R->link_up) {
			R->link_up = link.link_status;
			printf("{\"type\":\"link_%s\"}\n", R->link_up ? "up" : "down");
			fflush(stdout);
		}
		if (R->link_up)
			dp_nbr_poll(&R->port, 0, now);
		R->next_nbr = now + dp_tsc_hz / 100;
	}
	if (now >= R->next_stats) {
		print_stats(R, "reflector_stats");
		R->next_stats += R->stats_interval_s * dp_tsc_hz;
	}
}

/*
 * A request of a steady stream is due: poll (yielding) from R->guard
 * before it to R->guard after it; before that, sleep no longer than until
 * the window opens. Returns true when inside the window (poll now).
 */
static bool
reflect_expect_wait(struct reflector *R, uint64_t now, uint64_t *sleep_ns)
{
	uint64_t ns;

	if (now + R->guard >= R->expect_tsc) {
		if (now < R->expect_tsc + R->guard) {
			if (R->window_polls < 0)
				R->window_polls = 1;	/* awake before it: in time */
			return true;
		}
		R->expect_tsc = 0;		/* missed: back to plain idle */
		R->window_polls = -1;
		return false;
	}
	ns = (R->expect_tsc - R->guard - now) * 1000000000ull / dp_tsc_hz;
	if (ns > *sleep_ns)
		*sleep_ns = ns > 10000000 ? 10000000 : ns;
	if (now + R->guard + *sleep_ns * dp_tsc_hz / 1000000000ull >= R->expect_tsc)
		R->window_polls = 0;	/* this sleep ends in the window */
	return false;
}

/*
 * A delayed reply is due: sleep until RELEASE_WAKE_US before it, then poll
 * (yielding) up to its time; a sleeping vCPU wakes tens of us late, which
 * would be added to the delay. Returns true when it is that close (poll now).
 */
static bool
reflect_release_wait(struct reflector *R, uint64_t now, uint64_t *sleep_ns)
{
	uint64_t hz = dp_tsc_hz, until = mp_impair_next_due(&R->imp);
	uint64_t early = RELEASE_WAKE_US * hz / 1000000;

	if (now + early >= until)
		return true;
	if ((until - early - now) * 1000000000ull / hz < *sleep_ns)
		*sleep_ns = (until - early - now) * 1000000000ull / hz;
	return false;
}

/*
 * Idle: sleep unless traffic is flowing, a release is near, or a request of
 * a steady stream is due: then sleep only until shortly before it and
 * poll, so the request does not wait in the ring (its wait is not in
 * T3 - T2, so it would add to the round trip).
 *
 * memif: after 10 ms without a frame, poll only every 100 us even when
 * busy polling. A peer that leaves does so after its traffic stopped, and
 * DPDK 22.11's memif unmaps the rings under a running rx_burst (a crash):
 * this makes being inside one at that moment a rare event.
 */
static void
reflect_idle(struct reflector *R, uint16_t n, uint64_t now)
{
	uint64_t hz = dp_tsc_hz, sleep_ns = R->idle_sleep_us * 1000;
	struct timespec ts = { 0, 100000 };

	if (unlikely(R->port.link_check_each_poll) && n == 0 &&
	    mp_impair_pending(&R->imp) == 0 && now - R->last_rx > hz / 100) {
		nanosleep(&ts, NULL);
		return;
	}
	if (R->busy_poll || n != 0 || now - R->last_rx <= hz / 10000 || R->idle_sleep_us == 0)
		return;
	if ((R->expect_tsc != 0 && reflect_expect_wait(R, now, &sleep_ns)) ||
	    (mp_impair_pending(&R->imp) > 0 && reflect_release_wait(R, now, &sleep_ns))) {
		sched_yield();	/* poll, but let whoever shares this CPU run */
		return;
	}
	if (sleep_ns > 0) {
		ts.tv_nsec = (long)sleep_ns;
		nanosleep(&ts, NULL);
	}
}

/*
 * One turn of the reflector: receive a burst, answer, release delayed
 * replies, housekeeping, and (unless busy polling) sleep while idle.
 * Returns the frames received.
 */
uint16_t
reflect_poll(struct reflector *R)
{
	struct rte_mbuf *rx[DP_BURST], *plain[DP_BURST];
	uint16_t n = 0, nplain;
	uint64_t now;

	if (unlikely(R->port.link_check_each_poll) && R->link_up)
		reflect_link_watch(R);
	if (likely(R->link_up))
		n = rte_eth_rx_burst(R->port.port_id, 0, rx, DP_BURST);
	dp_tmpl_tag_clear(rx, n);
	now = rte_rdtsc();
	nplain = reflect_rx(R, rx, n, now, plain);
	reflect_learn_period(R, n, now);
	reflect_send(R, plain, nplain);
	reflect_housekeeping(R, now);
	reflect_idle(R, n, now);
	return n;
}

void
reflect_defaults(struct reflector *R)
{
	memset(R, 0, sizeof(*R));
	R->udp_port = STAMP_UDP_PORT;
	R->seed = 0x9E3779B97F4A7C15ULL;
	R->shrt.rate = REFLECT_SHORT_RATE;
	R->shrt.burst = REFLECT_SHORT_BURST;
}

/* Set up the port and the loop state of R (its options already set). */
static int
reflect_start(struct reflector *R)
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
 * A reflector hosted by another engine's lcore (benchmarks: a probe loop
 * with its far end in one process, over a net_ring pair). spec:
 * "port=NAME,ip=ADDR/PLEN"; answers anyone, busy polls, never sleeps.
 */
struct reflector *
reflect_host_open(const char *spec)
{
	struct reflector *R = rte_zmalloc("mp_reflector", sizeof(*R), RTE_CACHE_LINE_SIZE);
	const char *err = "", *v;
	struct kv kv;

	if (R == NULL)
		return NULL;
	reflect_defaults(R);
	R->allow_any = true;
	R->busy_poll = true;
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
	if (reflect_start(R) != 0) {
		rte_free(R);
		return NULL;
	}
	return R;
bad:
	fprintf(stderr, "metroprobe-dp: --host-reflector '%s': %s\n", spec, err);
	rte_free(R);
	return NULL;
}

void
reflect_host_close(struct reflector *R)
{
	void *m;

	while ((m = mp_impair_drain(&R->imp)) != NULL)
		rte_pktmbuf_free(m);
	dp_port_close(&R->port);
	free(R->sess);
	reflect_short_free(&R->shrt);
	rte_free(R);
}

static int
reflect_main(int argc, char **argv)
{
	static struct reflector reflector;	/* big (the emulated link's queue): not on the stack */
	struct reflector *R = &reflector;
	char mac[32], ip[64];
	void *m;
	int rc;

	reflect_defaults(R);
	rc = reflect_args_parse(R, argc, argv);
	if (rc != 0)
		return rc > 0 ? 0 : 2;
	rc = reflect_start(R);
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
		reflect_poll(R);
		if (unlikely(impair_reload)) {
			impair_reload = 0;
			reflect_impair_reload(R);
		}
	}
	while ((m = mp_impair_drain(&R->imp)) != NULL)
		rte_pktmbuf_free(m);
	print_stats(R, "reflector_final");
	dp_port_close(&R->port);
	free(R->sess);
	reflect_short_free(&R->shrt);
	return 0;
}

const struct dp_engine reflect_engine = {
	.name = "reflect",
	.summary = "answer STAMP (RFC 8762) test packets on one port",
	.main = reflect_main,
};
