/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A request into its reply, in place (RFC 8762 4.3): who may be answered,
 * the reflector's sequence number (per session when stateful), the STAMP
 * reply fields, and the addresses and ports swapped. T3 and the checksums
 * are the caller's, the last touch before the reply leaves.
 */
#include <string.h>

#include <rte_ip.h>
#include <rte_mbuf.h>

#include "mp_stamp.h"
#include "reflect.h"

static bool
allowed(const struct reflector *R, const struct ip_addr *src)
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
session_seq(struct reflector *R, const struct pkt_info *pi, uint16_t ssid)
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

/* L2: back to the sender's MAC, or via our next hop for off-link sources. */
static void
reply_l2(const struct reflector *R, uint8_t *d, const struct pkt_info *pi)
{
	const struct dp_nbr *nh = NULL;
	int i;

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
}

/* L3 and L4: addresses and ports swapped, TTL 255. */
static void
reply_l3_l4(uint8_t *d, const struct pkt_info *pi)
{
	uint8_t tmp[16];
	uint16_t port;

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
}

/*
 * Turn a request into its reply, in place, without T3 and checksums.
 * Returns MP_OK, or why the frame is not answered (the caller frees it).
 */
enum mp_reason
reflect_make_reply(struct reflector *R, struct rte_mbuf *m, uint64_t t2_ntp, uint64_t now_tsc,
		   struct pkt_info *pi)
{
	uint8_t *d;
	struct stamp_test t;
	struct stamp_reply r;

	if (!encap_matches(&R->port.encap, &pi->encap))
		return MP_R_VLAN_MISMATCH;
	if (!dp_port_is_ours(&R->port, &pi->dst))
		return MP_R_WRONG_ADDRESS;
	if (pi->dport != R->udp_port)
		return MP_R_WRONG_PORT;
	if (!allowed(R, &pi->src))
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
	r.seq = R->stateful ? session_seq(R, pi, t.ssid) : t.seq;
	r.errest = R->errest;
	r.ssid = t.ssid;
	r.rx_ts = t2_ntp;
	r.sender_seq = t.seq;
	r.sender_ts = t.ts;
	r.sender_errest = t.errest;
	r.sender_ttl = pi->ttl;
	stamp_reply_encode(d + pi->lay.payload_off, pi->lay.payload_len, STAMP_UNAUTH, &r);
	reply_l2(R, d, pi);
	reply_l3_l4(d, pi);
	return MP_OK;
}
