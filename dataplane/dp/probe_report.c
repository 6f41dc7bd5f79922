/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The prober's main lcore while the workers run: the hello record, then
 * one interval record per link and interval (its lanes' snapshots merged),
 * and the events that snapshots show (next hop, ICMP errors). Not a fast
 * path: it sleeps between polls.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ring.h>

#include "mp_record.h"
#include "probe.h"

/*
 * ICMP errors about a link's probes: an event naming the source of the
 * first of each kind, then at most one every ICMP_EVENT_S with the count
 * since the last (the records have every count).
 */
#define ICMP_EVENT_S	10

struct icmp_told {
	bool told[MP_ICMP_MAX];
	uint64_t since[MP_ICMP_MAX];
	uint64_t next_tsc;
};

/* What the main lcore keeps per link between records. */
struct link_report {
	bool done;
	bool lane_done[DP_MAX_QUEUES];
	uint32_t nh_gen;
	bool nh_resolved;
	uint64_t rec_seq;
	struct icmp_told icmp;
	struct link_interval merged;
	struct link_interval stream;	/* one stream's lanes merged (scratch) */
};

/* First record: who we are and what each link will do. */
void
probe_hello(struct probe *p, struct report *rep)
{
	cJSON *o = cJSON_CreateObject(), *links = cJSON_AddArrayToObject(o, "links");
	char buf[160];
	int i;

	cJSON_AddStringToObject(o, "type", "hello");
	cJSON_AddNumberToObject(o, "v", MP_RECORD_VERSION);
	record_add_u64(o, "pid", getpid());
	record_add_u64(o, "tsc_hz", dp_tsc_hz);
	record_add_u64(o, "tsc_hz_nominal", rte_get_tsc_hz());
	record_add_u64(o, "interval_ms", p->cfg.interval_ms);
	record_add_u64(o, "loss_timeout_ms", p->cfg.loss_timeout_ms);
	record_add_u64(o, "duration_ms", p->cfg.duration_ms);
	for (i = 0; i < p->cfg.n_links; i++) {
		struct probe_lane *L = p->lanes_of[i][0];
		cJSON *l = cJSON_CreateObject(), *lanes;
		char dev[RTE_ETH_NAME_MAX_LEN] = "";
		uint64_t rate = 0;
		int q;

		rte_eth_dev_get_name_by_port(L->c.cfg.port_id, dev);
		cJSON_AddStringToObject(l, "name", L->c.cfg.name);
		cJSON_AddStringToObject(l, "port", dev);
		mac_format(L->c.port->mac, buf, sizeof(buf));
		cJSON_AddStringToObject(l, "mac", buf);
		record_add_u64(l, "port_speed_bps", L->c.port->speed_bps);
		cJSON_AddNumberToObject(l, "lcore", L->c.lcore);
		cJSON_AddNumberToObject(l, "frame_size", L->c.frame_size);
		cJSON_AddNumberToObject(l, "frame_size_configured", L->c.cfg.frame_size);
		frame_mix_format(&L->c.mix, buf, sizeof(buf));
		cJSON_AddStringToObject(l, "frame_mix", buf);
		lanes = cJSON_AddArrayToObject(l, "lanes");
		for (q = 0; q < L->c.nq; q++) {
			struct probe_lane *Q = p->lanes_of[i][q];
			cJSON *x = cJSON_CreateObject();

			cJSON_AddNumberToObject(x, "queue", Q->c.queue);
			cJSON_AddNumberToObject(x, "lcore", Q->c.lcore);
			cJSON_AddNumberToObject(x, "source_port", Q->c.sport);
			record_add_u64(x, "rate_millipps", Q->c.rate_mpps);
			if (Q->c.cfg.nstream > 0) {
				cJSON_AddStringToObject(x, "stream", Q->c.cfg.stream[Q->c.stream].name);
				cJSON_AddNumberToObject(x, "ssid", Q->c.cfg.ssid);
				cJSON_AddNumberToObject(x, "dscp", Q->c.cfg.dscp);
				cJSON_AddNumberToObject(x, "frame_size", Q->c.frame_size);
				frame_mix_format(&Q->c.mix, buf, sizeof(buf));
				cJSON_AddStringToObject(x, "frame_mix", buf);
			}
			cJSON_AddItemToArray(lanes, x);
			rate += Q->c.rate_mpps;
		}
		cJSON_AddNumberToObject(l, "queues", L->c.nq);
		record_add_u64(l, "rate_millipps", rate);
		cJSON_AddNumberToObject(l, "ssid", L->c.cfg.ssid);
		cJSON_AddStringToObject(l, "clock", mp_clock_name(MP_CLOCK_TSC));
		cJSON_AddBoolToObject(l, "clock_synced", dp_clock_synced);
		record_add_u64(l, "clock_error_ns", dp_clock_error_ns);
		/* t1 is always the TSC's; t4 the device's where frames carry a stamp */
		cJSON_AddStringToObject(l, "rx_timestamps",
					L->c.hw_ts ? "device_when_stamped" : "software");
		cJSON_AddBoolToObject(l, "busy_poll",
				      p->cfg.busy_poll || L->c.period_tsc < BUSY_PERIOD_US *
				      dp_tsc_hz / 1000000);
		cJSON_AddItemToArray(links, l);
	}
	report_hello(rep, o);
}

/* Events for what changed between two snapshots of a link (next hop). */
static void
probe_events(struct report *rep, const struct probe_lane *L, const struct dp_snap *s,
	     uint32_t *last_gen, bool *last_resolved)
{
	char mac[32], detail[96];
	const char *ev = NULL;

	if (s->nh_generation == *last_gen && s->nh_resolved == *last_resolved)
		return;
	mac_format(s->nh_mac, mac, sizeof(mac));
	if (s->nh_resolved && !*last_resolved)
		ev = "next_hop_resolved";
	else if (s->nh_resolved)
		ev = "next_hop_changed";
	else
		ev = "next_hop_lost";
	ip_addr_format(&L->c.cfg.next_hop, detail, sizeof(detail));
	snprintf(detail + strlen(detail), sizeof(detail) - strlen(detail), " is-at %s", mac);
	report_event(rep, L->c.cfg.name, ev, detail);
	*last_gen = s->nh_generation;
	*last_resolved = s->nh_resolved;
}

static void
probe_icmp_events(struct report *rep, const struct probe_lane *L, const struct dp_snap *s,
		  const struct link_interval *merged, struct icmp_told *t)
{
	char src[64], refl[64], detail[192];
	uint64_t now = rte_rdtsc();
	unsigned k;

	for (k = 0; k < MP_ICMP_MAX; k++)
		t->since[k] += merged->c.icmp_errors[k];
	if (s != NULL && s->icmp_seen && s->icmp_err < MP_ICMP_MAX && !t->told[s->icmp_err]) {
		k = s->icmp_err;
		ip_addr_format(&s->icmp_src, src, sizeof(src));
		ip_addr_format(&L->c.cfg.reflector, refl, sizeof(refl));
		snprintf(detail, sizeof(detail), "%s from %s (about our probes to %s port %u)",
			 mp_icmp_err_names[k], src, refl, L->c.cfg.reflector_port);
		report_event(rep, L->c.cfg.name, "icmp_error", detail);
		t->told[k] = true;
		t->since[k] = 0;
		if (t->next_tsc == 0)
			t->next_tsc = now + ICMP_EVENT_S * dp_tsc_hz;
	}
	if (t->next_tsc == 0 || now < t->next_tsc)
		return;
	for (k = 0; k < MP_ICMP_MAX; k++) {
		if (!t->told[k] || t->since[k] == 0)
			continue;
		snprintf(detail, sizeof(detail), "%s: %" PRIu64 " more in the last %d s",
			 mp_icmp_err_names[k], t->since[k], ICMP_EVENT_S);
		report_event(rep, L->c.cfg.name, "icmp_error", detail);
		t->since[k] = 0;
	}
	t->next_tsc = now + ICMP_EVENT_S * dp_tsc_hz;
}

/*
 * A link with streams: after the link's record (all lanes), one record per
 * stream, its lanes merged, tagged with its name (the lanes' own tag).
 */
static void
link_report_streams(struct report *rep, struct probe_lane **lanes, struct dp_snap **s,
		    struct link_report *lr)
{
	const struct probe_lane_conf *c0 = &lanes[0]->c;
	uint16_t k, q, n;

	for (k = 0; k < c0->cfg.nstream; k++) {
		n = 0;
		for (q = 0; q < c0->stream_lanes; q++) {
			struct dp_snap *x = s[k * c0->stream_lanes + q];

			if (x == NULL)
				continue;
			if (n++ == 0)
				lr->stream = x->li;
			else
				link_interval_merge(&lr->stream, &x->li);
		}
		if (n == 0)
			continue;
		lr->stream.queues = n;
		lr->stream.seq = lr->merged.seq;
		report_interval(rep, &lr->stream);
	}
}

/*
 * One record of link i, if every lane that has not ended has a snapshot
 * ready: take them, merge into the first present, emit the record and the
 * events, give the buffers back. Returns false when not ready. A lane that
 * has sent its final snapshot contributes nothing more.
 */
static bool
link_report_one(struct probe *p, struct report *rep, int i, struct link_report *lr)
{
	struct dp_snap *s[DP_MAX_QUEUES] = { NULL };
	struct probe_lane **lanes = p->lanes_of[i];
	int q, nq = lanes[0]->c.nq;
	bool base = false, all_final = true;

	for (q = 0; q < nq; q++)
		if (!lr->lane_done[q] && rte_ring_count(lanes[q]->c.snap_full) == 0)
			return false;
	for (q = 0; q < nq; q++) {
		if (lr->lane_done[q])
			continue;
		rte_ring_sc_dequeue(lanes[q]->c.snap_full, (void **)&s[q]);
		if (!base)
			lr->merged = s[q]->li;
		else
			link_interval_merge(&lr->merged, &s[q]->li);
		base = true;
		if (s[q]->final)
			lr->lane_done[q] = true;
	}
	for (q = 0; q < nq; q++)
		all_final &= lr->lane_done[q];
	if (s[0] != NULL)
		probe_events(rep, lanes[0], s[0], &lr->nh_gen, &lr->nh_resolved);
	probe_icmp_events(rep, lanes[0], s[0], &lr->merged, &lr->icmp);
	lr->merged.queues = (uint32_t)nq;
	lr->merged.seq = lr->rec_seq++;
	lr->merged.stream[0] = '\0';	/* the link's own record */
	report_interval(rep, &lr->merged);
	if (lanes[0]->c.cfg.nstream > 0)
		link_report_streams(rep, lanes, s, lr);
	for (q = 0; q < nq; q++)
		if (s[q] != NULL)
			rte_ring_sp_enqueue(lanes[q]->c.snap_free, s[q]);
	lr->done = all_final;
	return true;
}

/* --control-lost exit: control died (no one reads us): stop like on SIGTERM, drain, end. */
static void
probe_check_control(struct probe *p, struct report *rep)
{
	if (p->cfg.control_lost != DP_CTL_LOST_EXIT || dp_force_quit ||
	    report_lost_ns(rep) <= p->cfg.control_grace_ms * 1000000ull)
		return;
	fprintf(stderr, "metroprobe-dp: control has been gone for %" PRIu64 " ms: "
		"stopping (--control-lost exit)\n", report_lost_ns(rep) / 1000000);
	dp_force_quit = true;
	p->control_lost = true;
}

/* Main lcore: turn snapshots into interval records until every link has sent its final one. */
void
probe_report_loop(struct probe *p, struct report *rep)
{
	static struct link_report lr[DP_MAX_LINKS];
	int i, n_done = 0;

	memset(lr, 0, sizeof(lr));
	while (n_done < p->n_links) {
		bool any = false;

		for (i = 0; i < p->n_links; i++) {
			while (!lr[i].done && link_report_one(p, rep, i, &lr[i])) {
				any = true;
				n_done += lr[i].done;
			}
		}
		probe_path_report(p, rep);
		report_poll(rep);
		probe_check_control(p, rep);
		if (!any)
			rte_delay_us_sleep(5000);
	}
	probe_path_report(p, rep);
}
