/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The prober's receive slow path: frames the fast match (probe_rx.h) did
 * not take. Each is parsed in full and handed to the lane or the neighbour
 * code it belongs to, counted as an ICMP error about our probes or as
 * ordinary link traffic, accounted as a reply after all, or counted as
 * invalid with the reason why.
 */
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "probe_rx.h"

/*
 * A frame for another lane of the link (its reply, by UDP destination port;
 * or ARP/ND, which lane 0 handles): hand it over with its receive time.
 */
static void
lane_redirect(struct probe_lane *L, struct probe_lane *to, struct rte_mbuf *m, uint64_t t4_tsc)
{
	*RTE_MBUF_DYNFIELD(m, probe_t4_off, uint64_t *) = t4_tsc;
	if (unlikely(rte_ring_mp_enqueue(to->c.redirect, m) != 0)) {
		L->c.cur->c.invalid[MP_R_REDIRECT_FULL]++;
		rte_pktmbuf_free(m);
		return;
	}
	L->s.redirected_out++;
}

/*
 * With several lanes: a UDP frame for another lane (its reply, by UDP
 * destination port; a path probe's reply to lane 0) or anything else
 * (ARP/ND, ICMP: lane 0's) is handed over. True when it was.
 */
static bool
lane_rx_handover(struct probe_lane *L, struct rte_mbuf *m, const struct pkt_info *pi,
		 uint64_t t4_tsc)
{
	uint16_t q = (uint16_t)(pi->dport - L->c.cfg.source_port);

	if (pi->kind != PKT_KIND_UDP && L->c.queue != 0) {
		lane_redirect(L, L->c.lane[0], m, t4_tsc);
		return true;
	}
	if (pi->kind == PKT_KIND_UDP && pi->dport != L->c.sport && q < L->c.nq) {
		lane_redirect(L, L->c.lane[q], m, t4_tsc);
		return true;
	}
	if (pi->kind == PKT_KIND_UDP && L->c.queue != 0 &&
	    (uint16_t)(pi->dport - L->c.path_sport) < L->c.path_flows) {
		lane_redirect(L, L->c.lane[0], m, t4_tsc);
		return true;
	}
	return false;
}

/*
 * An ICMP or ICMPv6 error: path evidence (or invalid) when it quotes a
 * path probe's flow; counted by kind when it quotes one of this link's
 * probes (our address and source ports, to the reflector's), and the first
 * of an interval remembered for the event naming its source.
 */
static enum mp_reason
lane_icmp_error(struct probe_lane *L, const struct pkt_info *pi, uint64_t t4_tsc)
{
	const struct pkt_icmp *q = &pi->icmp;

	if (L->c.path != NULL && (uint16_t)(q->qsport - L->c.path_sport) < L->c.path_flows)
		return probe_path_icmp(L, pi, t4_tsc);
	if (!ip_addr_equal(&pi->dst, &L->c.cfg.ip) || !ip_addr_equal(&q->qsrc, &L->c.cfg.ip) ||
	    !ip_addr_equal(&q->qdst, &L->c.cfg.reflector) || q->qdport != L->c.cfg.reflector_port ||
	    (uint16_t)(q->qsport - L->c.cfg.source_port) >= L->c.nq)
		return MP_R_ICMP_FOREIGN;
	L->c.cur->c.icmp_errors[q->err]++;
	if (!L->s.icmp_seen) {
		L->s.icmp_seen = true;
		L->s.icmp_err = q->err;
		L->s.icmp_src = pi->src;
	}
	return MP_OK;
}

/*
 * A frame the fast match did not take: parse it, hand it to the lane or
 * the neighbour code it belongs to, or say why it is not usable. Returns
 * true when the frame was handed over (the caller must not free it).
 */
bool
lane_rx_slow(struct probe_lane *L, struct rte_mbuf *m, uint64_t t4_tsc, uint64_t t4_ntp,
	     uint64_t t4_sw_ntp, bool redirected)
{
	struct link_counters *c = &L->c.cur->c;
	const uint8_t *d = rte_pktmbuf_mtod(m, const uint8_t *);
	struct pkt_info pi;
	struct stamp_reply r;
	enum mp_reason why;

	why = pkt_parse(d, rte_pktmbuf_data_len(m), PKT_VERIFY_CSUM, &pi);
	if (unlikely(why != MP_OK))
		goto invalid;
	if (L->c.nq > 1 && !redirected && lane_rx_handover(L, m, &pi, t4_tsc))
		return true;
	if (pi.kind == PKT_KIND_ICMP_ERROR) {
		why = lane_icmp_error(L, &pi, t4_tsc);
		if (why == MP_OK)
			return false;
		goto invalid;
	}
	if (pi.kind != PKT_KIND_UDP) {
		int ign;

		if (pi.kind != PKT_KIND_ICMP6_OTHER &&
		    dp_nbr_input(L->c.port, L->c.queue, m, &pi, t4_tsc)) {
			c->arp_nd++;
			return true;
		}
		/* ordinary link traffic (MLD, RA, LLDP, STP, echo, ...): not invalid */
		ign = pkt_ignored_kind(&pi);
		if (ign >= 0) {
			c->ignored[ign]++;
			return false;
		}
		why = MP_R_NOT_UDP;
		goto invalid;
	}
	if (!encap_matches(&L->c.cfg.encap, &pi.encap)) {
		why = MP_R_VLAN_MISMATCH;
		goto invalid;
	}
	if (!ip_addr_equal(&pi.dst, &L->c.cfg.ip) || !ip_addr_equal(&pi.src, &L->c.cfg.reflector)) {
		why = MP_R_WRONG_ADDRESS;
		goto invalid;
	}
	if (L->c.path != NULL && (uint16_t)(pi.dport - L->c.path_sport) < L->c.path_flows &&
	    pi.sport == L->c.cfg.reflector_port) {
		why = probe_path_reply(L, d, &pi, t4_tsc);
		if (why == MP_OK)
			return false;
		goto invalid;
	}
	if (pi.dport != L->c.sport || pi.sport != L->c.cfg.reflector_port) {
		why = MP_R_WRONG_PORT;
		goto invalid;
	}
	if (stamp_reply_decode(d + pi.lay.payload_off, pi.lay.payload_len, STAMP_UNAUTH, &r) != 0 ||
	    (r.have & (STAMP_HAVE_SENDER_SEQ | STAMP_HAVE_SENDER_TS)) !=
		    (STAMP_HAVE_SENDER_SEQ | STAMP_HAVE_SENDER_TS)) {
		why = MP_R_SHORT_STAMP;
		goto invalid;
	}
	why = lane_account(L, &r, pi.lay.payload_len, t4_ntp, t4_sw_ntp);
	if (why == MP_OK)
		return false;
invalid:
	c->invalid[why]++;
	return false;
}
