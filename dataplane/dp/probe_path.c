/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Path probes (--path-interval-ms), off the fast path: the first lane of a
 * link sends, from its periodic work, a round of TTL-limited STAMP probes
 * every interval (TTL 1, 2, ... one step every PATH_STEP_MS, for each of
 * --path-flows flows, until the reflector answers a flow or --path-max-ttl),
 * matches the ICMP errors and replies that come back about them (mp_path.h)
 * in its receive slow path, and hands each completed round to the main
 * lcore, which writes it as a path record.
 *
 * What keeps them out of the measurement: their own UDP source ports
 * (source_port + queues + flow: the fast match never takes their replies)
 * and their own sequence space (path_probe_seq, never in the sequence
 * window); they are sent outside the pacer and not counted as sent. Their
 * replies, and ICMP errors quoting them, are path evidence or invalid by a
 * reason of their own, never loss, delay or icmp_errors of the link.
 */
#include <inttypes.h>
#include <string.h>

#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "mp_record.h"
#include "mp_stamp.h"
#include "probe_tx.h"

#define PATH_STEP_MS	20		/* one TTL step of every flow this often */
#define PATH_RECORDS	8		/* completed rounds in flight to the main lcore */
#define PATH_FRAME_MAX	256		/* a path probe is the smallest STAMP frame */
/*
 * After a step a sleeping worker polls this long for its answers, so that
 * a hop's round trip is timed as it arrives, not when the worker next
 * wakes; later answers are timed at the next wake-up (within a step).
 */
#define PATH_SPIN_MS	5

struct probe_path {
	struct path_link lk;
	struct pkt_flow flow;		/* headers of the probes (MAC, TTL, port: per probe) */
	uint64_t interval_tsc, step_tsc, spin_tsc, timeout_ns;
	uint64_t step_tsc_last;		/* when the last step was sent */
	uint64_t next_round_tsc, next_step_tsc;
	uint64_t next_tsc;		/* the next thing due (probe_path_next) */
	uint64_t round_start_tsc;
	bool active;			/* a round is under way */
	struct path_round cur;
	struct rte_ring *full;		/* struct path_record, to the main lcore */
	struct rte_ring *free;		/* and back */
	uint64_t sent, tx_failed, rounds, rounds_dropped;
	uint64_t evidence;		/* ICMP errors and replies that answered a path probe */
};

static uint64_t
path_ns(uint64_t tsc)
{
	return (uint64_t)((unsigned __int128)tsc * 1000000000ull / dp_tsc_hz);
}

int
probe_path_new(struct probe_lane *L, const struct probe_cfg *pc, int socket)
{
	const struct probe_link_cfg *c = &L->c.cfg;
	struct probe_path *pp;
	char name[RTE_RING_NAMESIZE];
	unsigned i;

	pp = rte_zmalloc_socket("mp_path", sizeof(*pp), RTE_CACHE_LINE_SIZE, socket);
	if (pp == NULL)
		return -ENOMEM;
	pp->lk.src = c->ip;
	pp->lk.dst = c->reflector;
	pp->lk.sport_base = (uint16_t)(c->source_port + L->c.nq);
	pp->lk.dport = c->reflector_port;
	pp->lk.flows = (uint8_t)pc->path_flows;
	pp->lk.max_ttl = (uint8_t)pc->path_max_ttl;
	if (path_link_check(&pp->lk) != 0 || c->source_port + L->c.nq + pc->path_flows > 65536) {
		fprintf(stderr, "metroprobe-dp: link %s: path probes' source ports %u + %u do not "
			"fit below 65536\n", c->name, c->source_port + L->c.nq, pc->path_flows);
		return -EINVAL;
	}
	memcpy(pp->flow.src_mac, L->c.port->mac, 6);
	pp->flow.encap = c->encap;
	pp->flow.src = c->ip;
	pp->flow.dst = c->reflector;
	pp->flow.dport = c->reflector_port;
	pp->flow.dscp = c->dscp;
	pp->interval_tsc = pc->path_interval_ms * dp_tsc_hz / 1000;
	pp->step_tsc = PATH_STEP_MS * dp_tsc_hz / 1000;
	pp->spin_tsc = PATH_SPIN_MS * dp_tsc_hz / 1000;
	pp->timeout_ns = pc->loss_timeout_ms * 1000000ull;
	snprintf(name, sizeof(name), "mp_pathq_%u", L->c.index);
	pp->full = rte_ring_create(name, PATH_RECORDS, socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(name, sizeof(name), "mp_pathf_%u", L->c.index);
	pp->free = rte_ring_create(name, PATH_RECORDS, socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (pp->full == NULL || pp->free == NULL)
		return -ENOMEM;
	for (i = 0; i < PATH_RECORDS - 1; i++) {
		struct path_record *pr = rte_zmalloc_socket("mp_pathrec", sizeof(*pr), 64, socket);

		if (pr == NULL)
			return -ENOMEM;
		rte_ring_sp_enqueue(pp->free, pr);
	}
	path_round_begin(&pp->cur, &pp->lk, 0);
	path_round_close(&pp->cur);	/* nothing in flight before the first round */
	L->c.path = pp;
	return 0;
}

/* One path probe (flow, ttl) of the round under way, into an mbuf of the port's pool. */
static void
path_send(struct probe_lane *L, struct probe_path *pp, unsigned flow, unsigned ttl, uint64_t now)
{
	struct stamp_test t = {
		.seq = path_probe_seq(pp->cur.round, flow, ttl),
		.ts = tsc_clock_ntp(&dp_clock, now),
		.errest = dp_clock_errest,
		.ssid = L->c.cfg.ssid,
	};
	struct rte_mbuf *m = rte_pktmbuf_alloc(L->c.port->pool);
	uint8_t stamp[STAMP_UNAUTH_LEN];
	struct pkt_flow f = pp->flow;
	struct pkt_layout lay;
	char *d;
	int n;

	d = m != NULL ? rte_pktmbuf_append(m, PATH_FRAME_MAX) : NULL;
	memcpy(f.dst_mac, L->s.nhv.mac, 6);
	f.sport = (uint16_t)(pp->lk.sport_base + flow);
	f.ttl = (uint8_t)ttl;
	n = stamp_test_encode(stamp, sizeof(stamp), STAMP_UNAUTH, &t);
	if (d != NULL && n == 0)
		n = path_probe_build((uint8_t *)d, PATH_FRAME_MAX, &f, stamp,
				     path_probe_id(pp->cur.round, flow, ttl), &lay);
	if (d == NULL || n <= 0 || rte_pktmbuf_trim(m, (uint16_t)(PATH_FRAME_MAX - n)) != 0 ||
	    rte_eth_tx_burst(L->c.port_id, L->c.queue, &m, 1) != 1) {
		rte_pktmbuf_free(m);
		pp->tx_failed++;
		return;
	}
	pp->sent++;
}

/* The completed round to the main lcore (dropped and counted when it is behind). */
static void
path_hand_over(struct probe_lane *L, struct probe_path *pp, uint64_t now)
{
	struct path_record *pr;

	pp->rounds++;
	if (rte_ring_sc_dequeue(pp->free, (void **)&pr) != 0) {
		pp->rounds_dropped++;
		return;
	}
	snprintf(pr->link, sizeof(pr->link), "%s", L->c.cfg.name);
	pr->link_index = L->c.index;
	pr->start_unix_ns = tsc_unix_ns(pp->round_start_tsc);
	pr->end_unix_ns = tsc_unix_ns(now);
	pr->r = pp->cur;
	rte_ring_sp_enqueue(pp->full, pr);
}

/* Send the round's next TTL step when it is due. */
static void
path_step(struct probe_lane *L, struct probe_path *pp, uint64_t now)
{
	uint8_t flows[PATH_MAX_FLOWS], ttl = 0;
	unsigned i, n;

	if (now < pp->next_step_tsc)
		return;
	pp->next_step_tsc = now + pp->step_tsc;
	if (!lane_next_hop_ready(L))
		return;		/* the step waits for the next hop's MAC */
	n = path_round_step(&pp->cur, path_ns(now), &ttl, flows);
	for (i = 0; i < n; i++)
		path_send(L, pp, flows[i], ttl, now);
	if (n != 0)
		pp->step_tsc_last = now;
}

void
probe_path_poll(struct probe_lane *L, uint64_t now)
{
	struct probe_path *pp = L->c.path;

	pp->next_tsc = UINT64_MAX;
	if (!L->s.tx_on) {
		pp->active = false;	/* a round cut short by the end is not reported */
		path_round_close(&pp->cur);
		return;
	}
	if (!pp->active) {
		if (now < pp->next_round_tsc) {
			pp->next_tsc = pp->next_round_tsc;
			return;
		}
		path_round_begin(&pp->cur, &pp->lk, (uint32_t)pp->rounds);
		pp->active = true;
		pp->round_start_tsc = now;
		pp->next_step_tsc = now;
	}
	path_step(L, pp, now);
	if (path_round_complete(&pp->cur, path_ns(now), pp->timeout_ns)) {
		path_round_close(&pp->cur);
		path_hand_over(L, pp, now);
		pp->active = false;
		pp->next_round_tsc = RTE_MAX(pp->round_start_tsc + pp->interval_tsc, now);
		pp->next_tsc = pp->next_round_tsc;
		return;
	}
	pp->next_tsc = pp->next_step_tsc;
	if (pp->cur.pending != 0 && now < pp->step_tsc_last + pp->spin_tsc)
		pp->next_tsc = now;	/* poll for the step's answers */
}

uint64_t
probe_path_next(const struct probe_lane *L)
{
	return L->c.path->next_tsc;
}

enum mp_reason
probe_path_icmp(struct probe_lane *L, const struct pkt_info *pi, uint64_t t4_tsc)
{
	struct probe_path *pp = L->c.path;
	enum mp_reason why;

	if (!path_quotes_flow(&pp->lk, pi))
		return MP_R_ICMP_FOREIGN;	/* a flow's port, but not to our reflector */
	why = path_match_icmp(&pp->cur, pi, path_ns(t4_tsc));
	pp->evidence += why == MP_OK;
	return why;
}

enum mp_reason
probe_path_reply(struct probe_lane *L, const uint8_t *frame, const struct pkt_info *pi,
		 uint64_t t4_tsc)
{
	struct probe_path *pp = L->c.path;
	enum mp_reason why;
	struct stamp_reply r;

	if (stamp_reply_decode(frame + pi->lay.payload_off, pi->lay.payload_len, STAMP_UNAUTH,
			       &r) != 0 || !(r.have & STAMP_HAVE_SENDER_SEQ))
		return MP_R_SHORT_STAMP;
	why = path_match_reply(&pp->cur, pi->dport, r.sender_seq, &pi->src, path_ns(t4_tsc));
	pp->evidence += why == MP_OK;
	return why;
}

/* Main lcore: every completed round of every link as a path record. */
void
probe_path_report(struct probe *p, struct report *rep)
{
	struct path_record *pr;
	int i;

	for (i = 0; i < p->n_links; i++) {
		struct probe_path *pp = p->lanes_of[i][0]->c.path;

		if (pp == NULL)
			continue;
		while (rte_ring_sc_dequeue(pp->full, (void **)&pr) == 0) {
			cJSON *o = record_path_to_json(pr);

			if (o != NULL)
				report_json(rep, o);
			rte_ring_sp_enqueue(pp->free, pr);
		}
	}
}

/* For the end record: the link's path probing, or NULL without it. */
cJSON *
probe_path_end(const struct probe_lane *L)
{
	const struct probe_path *pp = L->c.path;
	cJSON *o;

	if (pp == NULL || (o = cJSON_CreateObject()) == NULL)
		return NULL;
	record_add_u64(o, "sent", pp->sent);
	record_add_u64(o, "tx_failed", pp->tx_failed);
	record_add_u64(o, "answers", pp->evidence);
	record_add_u64(o, "rounds", pp->rounds);
	record_add_u64(o, "rounds_dropped", pp->rounds_dropped);
	return o;
}
