/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ARP and IPv6 neighbour discovery for a port on a peering subnet: answer
 * for our own addresses, resolve each next hop, and notice when a next
 * hop's MAC changes (a router swap, or a failover onto the other site's
 * gear: worth an event). Runs on the lcore that polls the port's queue 0.
 */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_mbuf.h>

#include "dp.h"

#define NBR_RETRY_S	1	/* unresolved: ask every second */
#define NBR_REFRESH_S	10	/* resolved: re-ask, to see a MAC change */

static const uint8_t bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t zero_mac[6];

int
dp_nbr_add(struct dp_port *p, const struct ip_addr *ip, const uint8_t *static_mac)
{
	struct dp_nbr *n;

	if (dp_nbr_find(p, ip) != NULL)
		return 0;
	if (p->n_nbrs >= DP_MAX_ADDRS)
		return -ENOSPC;
	n = &p->nbr[p->n_nbrs++];
	memset(n, 0, sizeof(*n));
	n->ip = *ip;
	rte_seqlock_init(&n->lock);
	if (static_mac != NULL) {
		dp_nbr_set_mac(n, static_mac);
		n->is_static = true;
	}
	return 0;
}

/*
 * Lanes on other lcores copy the MAC into their templates while this runs:
 * the seqlock's count is odd during the update and moves on after it, so a
 * reader that saw the same even count before and after its copy has a MAC
 * that is whole. (A bare generation bump after the copy does not do that:
 * a reader could take half the old MAC and half the new under one number.)
 */
void
dp_nbr_set_mac(struct dp_nbr *n, const uint8_t mac[6])
{
	rte_seqlock_write_lock(&n->lock);
	memcpy(n->mac, mac, 6);
	n->resolved = true;
	n->generation++;
	rte_seqlock_write_unlock(&n->lock);
}

struct dp_nbr *
dp_nbr_find(struct dp_port *p, const struct ip_addr *ip)
{
	int i;

	for (i = 0; i < p->n_nbrs; i++)
		if (ip_addr_equal(&p->nbr[i].ip, ip))
			return &p->nbr[i];
	return NULL;
}

static void
nbr_learn(struct dp_port *p, const struct ip_addr *ip, const uint8_t mac[6], uint64_t now)
{
	struct dp_nbr *n = dp_nbr_find(p, ip);

	if (n == NULL || n->is_static || memcmp(mac, zero_mac, 6) == 0 ||
	    (mac[0] & 1) != 0)
		return;
	n->last_seen_tsc = now;
	if (n->resolved && memcmp(n->mac, mac, 6) == 0)
		return;
	if (n->resolved)
		n->changes++;
	dp_nbr_set_mac(n, mac);
	n->next_solicit_tsc = now + NBR_REFRESH_S * dp_tsc_hz;
}

static void
arp_input(struct dp_port *p, uint16_t queue, const struct pkt_info *pi, uint64_t now)
{
	const struct pkt_arp *a = &pi->arp;
	struct ip_addr spa = { .family = 4 }, tpa = { .family = 4 };
	uint8_t buf[128];
	int len;

	memcpy(spa.b, a->spa, 4);
	memcpy(tpa.b, a->tpa, 4);
	nbr_learn(p, &spa, a->sha, now);
	if (a->op != 1 || !dp_port_is_ours(p, &tpa))
		return;
	len = pkt_build_arp(buf, sizeof(buf), &p->encap, 2, p->mac, a->sha, p->mac,
			    a->tpa, a->sha, a->spa);
	if (len > 0)
		dp_port_send_raw(p, queue, buf, (uint16_t)len);
}

static void
nd_input(struct dp_port *p, uint16_t queue, const struct pkt_info *pi, uint64_t now)
{
	struct ip_addr target = { .family = 6 };
	static const uint8_t unspec[16];
	uint8_t buf[160];
	int len;

	memcpy(target.b, pi->nd.target, 16);
	if (pi->kind == PKT_KIND_ND_NA) {
		if (pi->nd.has_lladdr)
			nbr_learn(p, &target, pi->nd.lladdr, now);
		return;
	}
	/* NS: learn the asker, answer if the target is ours. */
	if (pi->nd.has_lladdr)
		nbr_learn(p, &pi->src, pi->nd.lladdr, now);
	if (!dp_port_is_ours(p, &target))
		return;
	if (memcmp(pi->src.b, unspec, 16) == 0)
		return;	/* duplicate address detection by someone else: stay quiet */
	len = pkt_build_nd(buf, sizeof(buf), &p->encap, true, p->mac, target.b,
			   pi->nd.has_lladdr ? pi->nd.lladdr : pi->src_mac, pi->src.b, target.b);
	if (len > 0)
		dp_port_send_raw(p, queue, buf, (uint16_t)len);
}

bool
dp_nbr_input(struct dp_port *p, uint16_t queue, struct rte_mbuf *m,
	     const struct pkt_info *pi, uint64_t now_tsc)
{
	switch (pi->kind) {
	case PKT_KIND_ARP:
		arp_input(p, queue, pi, now_tsc);
		break;
	case PKT_KIND_ND_NS:
	case PKT_KIND_ND_NA:
		nd_input(p, queue, pi, now_tsc);
		break;
	case PKT_KIND_ICMP6_OTHER:
		break;
	default:
		return false;
	}
	p->arp_nd_handled++;
	rte_pktmbuf_free(m);
	return true;
}

void
dp_nbr_poll(struct dp_port *p, uint16_t queue, uint64_t now_tsc)
{
	int i;

	for (i = 0; i < p->n_nbrs; i++) {
		struct dp_nbr *n = &p->nbr[i];
		const struct ip_addr *src;
		uint8_t buf[160];
		int len = -1;

		if (n->is_static || now_tsc < n->next_solicit_tsc)
			continue;
		n->next_solicit_tsc = now_tsc + (n->resolved ? NBR_REFRESH_S : NBR_RETRY_S) *
						 dp_tsc_hz;
		src = dp_port_src_for(p, &n->ip);
		if (src == NULL)
			continue;
		if (n->ip.family == 4) {
			len = pkt_build_arp(buf, sizeof(buf), &p->encap, 1, p->mac, bcast_mac,
					    p->mac, src->b, zero_mac, n->ip.b);
		} else {
			uint8_t mip[16], mmac[6];

			pkt_solicited_node(n->ip.b, mip, mmac);
			len = pkt_build_nd(buf, sizeof(buf), &p->encap, false, p->mac, src->b,
					   mmac, mip, n->ip.b);
		}
		if (len > 0)
			dp_port_send_raw(p, queue, buf, (uint16_t)len);
	}
}
