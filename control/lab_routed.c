/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The routed lab (lab up --routed; the picture is in lab_routed.h): what
 * it adds to a topology, and each router's plan (the description
 * lab_frr.c turns into FRR's config).
 *
 * The customer edge (mp-ce) is the first router on both links, so the
 * pinned probes of each link still cross it to their site's reflector. Its
 * eBGP session per link goes to that link's MSEE (the site's namespace) at
 * the site's address; across the provider's routers (diverse,
 * shared-conduit) it is multihop, and those routers carry the link like a
 * circuit: whatever comes in from one side of a link goes out the other
 * (a routing table per link and direction, chosen by the incoming
 * interface), so customer prefixes need no routes in them. Behind the
 * MSEEs the VNet's gateway (AS 65515) originates the VNet prefix, as an
 * ExpressRoute gateway does, and learns the CE's LAN back.
 *
 * The CE prefers link a (local preference) and tells Azure so (its AS
 * prepended on b): service traffic takes a both ways until a fails.
 */
#include <stdio.h>
#include <string.h>

#include "lab_internal.h"

const struct lab_rtr lab_rtrs[LAB_N_FRR] = {
	{ .name = "ce", .netns = LAB_NS_CE },
	{ .name = "msee-a", .netns = LAB_NS_SITE_A },
	{ .name = "msee-b", .netns = LAB_NS_SITE_B },
	{ .name = "vnet", .netns = LAB_NS_VNET },
};
#define LAB_RTR_CE	0
#define LAB_RTR_MSEE	1	/* + the site's index */
#define LAB_RTR_VNET	3

/* Each family the lab routes: IPv4, and IPv6 with --ipv6. */
#define LAB_FOR_FAMILY(st, v6) for (v6 = 0; v6 <= ((st)->ipv6 ? 1 : 0); v6++)

/* Policy routing tables of the provider routers: one per link and direction. */
#define LAB_CIRCUIT_TABLE	100

bool
lab_rtr_used(const struct lab_state *st, int i)
{
	if (!st->routed)
		return false;
	return i != LAB_RTR_MSEE + 1 || st->topo != LAB_TOPO_STANDARD;
}

/* The MSEE (its site index) where link s lands: standard's links share one. */
static int
lab_link_msee(const struct lab_state *st, int s)
{
	return st->topo == LAB_TOPO_STANDARD ? 0 : s;
}

/* The CE's address on link s: the near end of the segment after it. */
void
lab_ce_link_addr(const struct lab_state *st, int s, bool v6, char *buf, size_t len)
{
	lab_seg_addr(s, 1, false, v6, buf, len);
}

/* The MSEE of site x and the gateway on their /30 (/126): 203.0.113.4x+1 and +2. */
static void
lab_gw_addr(int x, bool gw, bool v6, char *buf, size_t len)
{
	unsigned int h = 4u * (unsigned int)x + (gw ? 2u : 1u), a = LAB_GW_BASE + h;

	if (v6)
		snprintf(buf, len, "%s%x", LAB_GW_BASE6, h);
	else
		snprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff,
			 a & 0xff);
}

static struct lab_frr_neigh *
lab_plan_neigh(struct lab_frr_router *r, const char *label, const char *addr, unsigned int asn)
{
	struct lab_frr_neigh *n = &r->neigh[r->n_neigh++];

	memset(n, 0, sizeof(*n));
	snprintf(n->label, sizeof(n->label), "%s", label);
	snprintf(n->addr, sizeof(n->addr), "%s", addr);
	n->asn = asn;
	n->hops = 1;
	return n;
}

/* Link s's session (IPv4 or IPv6) as seen from the CE (msee false) or from its MSEE. */
static void
lab_plan_link(const struct lab_state *st, int s, bool msee, bool v6, struct lab_frr_router *r)
{
	int hops[LAB_MAX_HOPS], n = lab_link_hops(st, s, hops);
	char ce[LAB_FRR_ADDR], site[LAB_FRR_ADDR], label[16];
	struct lab_frr_neigh *nb;

	lab_ce_link_addr(st, s, v6, ce, sizeof(ce));
	lab_site_addr(st, s, v6, site, sizeof(site));
	snprintf(label, sizeof(label), "%s%s%s", msee ? "ce-" : "", lab_sites[s].id, v6 ? "6" : "");
	nb = lab_plan_neigh(r, label, msee ? ce : site, msee ? LAB_ASN_CE : LAB_ASN_MSEE);
	nb->v6 = v6;
	snprintf(nb->local, sizeof(nb->local), "%s", msee ? site : ce);
	nb->hops = n;	/* the CE and the provider's routers before the MSEE */
	nb->bfd = true;
	snprintf(nb->desc, sizeof(nb->desc), "link-%s%s", lab_sites[s].id, v6 ? "-ipv6" : "");
	if (msee)
		return;
	nb->own_only = true;
	nb->local_pref = s == 0 ? LAB_LOCAL_PREF_A : 0;
	nb->prepend = s == 0 ? 0 : LAB_PREPEND_B;
}

static void
lab_plan_ce(const struct lab_state *st, struct lab_frr_router *r)
{
	int s, v6;

	r->asn = LAB_ASN_CE;
	snprintf(r->router_id, sizeof(r->router_id), "%s", LAB_ONPREM_CE);
	LAB_FOR_FAMILY(st, v6) {
		snprintf(r->net[r->n_net++], LAB_FRR_ADDR, "%s", v6 ? LAB_ONPREM_NET6 : LAB_ONPREM_NET);
		for (s = 0; s < LAB_NSITES; s++)
			lab_plan_link(st, s, false, v6, r);
	}
}

static void
lab_plan_vnet(const struct lab_state *st, struct lab_frr_router *r)
{
	char a[LAB_FRR_ADDR], label[16];
	int x, v6;

	r->asn = LAB_ASN_GW;
	snprintf(r->router_id, sizeof(r->router_id), "10.1.0.1");
	LAB_FOR_FAMILY(st, v6) {
		snprintf(r->net[r->n_net++], LAB_FRR_ADDR, "%s", v6 ? LAB_VNET_NET6 : LAB_VNET_NET);
		for (x = 0; x < LAB_NSITES; x++)
			if (lab_rtr_used(st, LAB_RTR_MSEE + x)) {
				lab_gw_addr(x, false, v6, a, sizeof(a));
				snprintf(label, sizeof(label), "%s%s", lab_rtrs[LAB_RTR_MSEE + x].name,
					 v6 ? "6" : "");
				lab_plan_neigh(r, label, a, LAB_ASN_MSEE)->v6 = v6;
			}
	}
}

static void
lab_plan_msee(const struct lab_state *st, int x, struct lab_frr_router *r)
{
	char a[LAB_FRR_ADDR];
	int s, v6;

	r->asn = LAB_ASN_MSEE;
	lab_gw_addr(x, false, false, r->router_id, sizeof(r->router_id));
	LAB_FOR_FAMILY(st, v6) {
		for (s = 0; s < LAB_NSITES; s++)
			if (lab_link_msee(st, s) == x)
				lab_plan_link(st, s, true, v6, r);
		lab_gw_addr(x, true, v6, a, sizeof(a));
		lab_plan_neigh(r, v6 ? "gw6" : "gw", a, LAB_ASN_GW)->v6 = v6;
	}
}

/* Router i's description (lab_rtrs); -1 when the lab has no such router. */
int
lab_rtr_plan(const struct lab_state *st, int i, struct lab_frr_router *r)
{
	if (i < 0 || i >= LAB_N_FRR || !lab_rtr_used(st, i))
		return -1;
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", lab_rtrs[i].name);
	r->keepalive_s = LAB_BGP_KEEPALIVE_S;
	r->hold_s = LAB_BGP_HOLD_S;
	r->connect_s = LAB_BGP_CONNECT_S;
	r->bfd_interval_ms = LAB_BFD_MS;
	r->bfd_mult = LAB_BFD_MULT;
	if (i == LAB_RTR_CE)
		lab_plan_ce(st, r);
	else if (i == LAB_RTR_VNET)
		lab_plan_vnet(st, r);
	else
		lab_plan_msee(st, i - LAB_RTR_MSEE, r);
	return 0;
}

/* A routed lab answers on kernel interfaces at its MSEEs: no dpdk site. 0 or exit status 2. */
int
lab_routed_validate(const struct lab_state *st)
{
	int s;

	if (!st->routed)
		return 0;
	for (s = 0; s < LAB_NSITES; s++)
		if (st->site[s].kind == LAB_KIND_DPDK) {
			lab_err("--routed: site %s's MSEE routes on its interface, which a dpdk "
				"reflector would own: use --reflector %s:xdp (or kernel)",
				lab_sites[s].id, lab_sites[s].id);
			return 2;
		}
	return 0;
}

static int
lab_sysctl(const char *ns, const char *knob)
{
	return lab_step(ns, MP_PROC_OUT_ALL, "sysctl -q -w %s", knob);
}

/*
 * The provider's routers on link s carry it like a circuit: by incoming
 * interface, towards the site or back towards the CE. Traffic to a router
 * itself (the local table comes first) and its time exceeded are as before.
 * The rules once; the routes (lab_routed_link_routes) again after a cut.
 */
static int
lab_routed_circuit(const struct lab_state *st, int s)
{
	int hops[LAB_MAX_HOPS], n = lab_link_hops(st, s, hops), j, out, v6;
	char ifname[16];

	for (j = 1; j < n; j++)
		for (out = 0; out <= 1; out++)
			LAB_FOR_FAMILY(st, v6) {
				lab_router_if(s, hops[j], !out, ifname, sizeof(ifname));
				if (lab_step(NULL, MP_PROC_OUT_ALL, "ip -n %s -%d rule add iif %s table %d",
					     lab_routers[hops[j]].netns, v6 ? 6 : 4, ifname,
					     LAB_CIRCUIT_TABLE + 2 * s + out) != 0)
					return -1;
			}
	return lab_routed_link_routes(st, s);
}

/*
 * Link s's routes beyond the topology's own (replaced, so that `lab
 * restore` puts back what a carrier cut took): the circuits' default
 * routes, and the MSEE's to the CE's end of the link (its BGP and BFD
 * peer), the same way as its route to the prober.
 */
int
lab_routed_link_routes(const struct lab_state *st, int s)
{
	int hops[LAB_MAX_HOPS], n = lab_link_hops(st, s, hops), j, out, v6;
	char via[64], net[64];

	LAB_FOR_FAMILY(st, v6) {
		for (j = 1; j < n; j++)
			for (out = 0; out <= 1; out++) {
				lab_seg_addr(s, out ? j + 1 : j, out, v6, via, sizeof(via));
				if (lab_step(NULL, MP_PROC_OUT_ALL,
					     "ip -n %s -%d route replace default via %s table %d",
					     lab_routers[hops[j]].netns, v6 ? 6 : 4, via,
					     LAB_CIRCUIT_TABLE + 2 * s + out) != 0)
					return -1;
			}
		for (j = 1; j < n; j++) {
			lab_seg_net(s, j, v6, net, sizeof(net));
			lab_seg_addr(s, n, false, v6, via, sizeof(via));
			if (lab_step(NULL, MP_PROC_OUT_ALL, "ip -n %s -%d route replace %s via %s",
				     lab_site_netns(st, s), v6 ? 6 : 4, net, via) != 0)
				return -1;
		}
	}
	return 0;
}

/* A veth between two namespaces, jumbo, no offloads (as the links' segments), up. */
static int
lab_routed_veth(const char *a, const char *ns_a, const char *b, const char *ns_b)
{
	const char *ifs[2] = { a, b }, *nss[2] = { ns_a, ns_b };
	int k;

	if (lab_step(NULL, MP_PROC_OUT_ALL, "ip link add %s netns %s type veth peer name %s netns %s",
		     a, ns_a, b, ns_b) != 0)
		return -1;
	for (k = 0; k < 2; k++)
		if (lab_step(NULL, MP_PROC_OUT_ALL, "ip -n %s link set %s mtu %d up", nss[k], ifs[k],
			     LAB_MTU) != 0 ||
		    lab_step(nss[k], MP_PROC_OUT_ERR,
			     "ethtool -K %s tx off rx off gso off gro off tso off", ifs[k]) != 0)
			return -1;
	return 0;
}

/* An address (IPv6: no duplicate detection) on ifname in ns. */
static int
lab_routed_addr(const char *ns, const char *addr, int plen, const char *ifname)
{
	return lab_step(NULL, MP_PROC_OUT_ALL, "ip -n %s addr add %s/%d dev %s%s", ns, addr, plen,
			ifname, strchr(addr, ':') != NULL ? " nodad" : "");
}

/* The MSEE of site x to the VNet's gateway: mp<x>-x and mp<x>-g on their /30 (/126), the reflector. */
static int
lab_routed_vnet_leg(const struct lab_state *st, int x, const char *xdp_bin)
{
	char m_if[16], g_if[16], m[LAB_FRR_ADDR], g[LAB_FRR_ADDR];
	const char *ns = lab_sites[x].netns;
	int v6;

	snprintf(m_if, sizeof(m_if), "mp%s-x", lab_sites[x].id);
	snprintf(g_if, sizeof(g_if), "mp%s-g", lab_sites[x].id);
	if (lab_routed_veth(m_if, ns, g_if, LAB_NS_VNET) != 0)
		return -1;
	LAB_FOR_FAMILY(st, v6) {
		lab_gw_addr(x, false, v6, m, sizeof(m));
		lab_gw_addr(x, true, v6, g, sizeof(g));
		if (lab_routed_addr(ns, m, v6 ? 126 : 30, m_if) != 0 ||
		    lab_routed_addr(LAB_NS_VNET, g, v6 ? 126 : 30, g_if) != 0)
			return -1;
	}
	if (!st->ipv6 && (lab_no_ipv6(ns, m_if) != 0 || lab_no_ipv6(LAB_NS_VNET, g_if) != 0))
		return -1;
	/* the VNet's reflector answers from either MSEE, out of the way it came in */
	return lab_step(LAB_NS_VNET, MP_PROC_OUT_ALL, "%s attach %s --port %d --allow %s --allow %s",
			xdp_bin, g_if, LAB_STAMP_PORT, LAB_ONPREM_NET, LAB_ONPREM_NET6);
}

/* The VNet's prefix and reflector address on its lo, the CE's LAN on mps-e. */
static int
lab_routed_nets(const struct lab_state *st)
{
	if (lab_routed_veth("mps-p", LAB_NS_ONPREM, "mps-e", LAB_NS_CE) != 0 ||
	    lab_no_ipv6(LAB_NS_ONPREM, "mps-p") != 0 ||
	    lab_routed_addr(LAB_NS_CE, LAB_ONPREM_CE, 24, "mps-e") != 0 ||
	    lab_routed_addr(LAB_NS_VNET, "10.1.0.1", 24, "lo") != 0 ||
	    lab_routed_addr(LAB_NS_VNET, LAB_VNET_REFLECTOR, 32, "lo") != 0)
		return -1;
	if (!st->ipv6)
		return lab_no_ipv6(LAB_NS_CE, "mps-e");
	return lab_routed_addr(LAB_NS_CE, LAB_ONPREM_CE6, 64, "mps-e") != 0 ||
	       lab_routed_addr(LAB_NS_VNET, "2001:db8:100::1", 64, "lo") != 0 ||
	       lab_routed_addr(LAB_NS_VNET, LAB_VNET_REFLECTOR6, 128, "lo") != 0 ? -1 : 0;
}

/*
 * What --routed adds once the topology is there: forwarding MSEEs, the
 * provider's circuits, the VNet (its prefix on lo, a leg to each MSEE),
 * the CE's LAN (mps-e; mps-p in mp-onprem for the prober's service
 * stream). Routers drop routes over a link without carrier, as a router
 * does, and keep their addresses when a cut takes an interface down.
 */
int
lab_routed_create(const struct lab_state *st, const char *xdp_bin)
{
	static const char *const knobs[] = {
		"net.ipv4.ip_forward=1",
		"net.ipv6.conf.all.forwarding=1",
		"net.ipv4.conf.all.ignore_routes_with_linkdown=1",
		"net.ipv6.conf.all.keep_addr_on_down=1",
	};
	size_t i, k;
	int s, x;

	for (i = 0; i < LAB_N_NETNS; i++) {
		const char *ns = lab_all_netns[i];

		if (strcmp(ns, LAB_NS_ONPREM) == 0 || !lab_netns_wanted(st, ns))
			continue;
		for (k = 0; k < sizeof(knobs) / sizeof(knobs[0]); k++)
			if (lab_sysctl(ns, knobs[k]) != 0)
				return -1;
	}
	for (s = 0; s < LAB_NSITES; s++)
		if (lab_routed_circuit(st, s) != 0)
			return -1;
	if (lab_routed_nets(st) != 0)
		return -1;
	for (x = 0; x < LAB_NSITES; x++)
		if (lab_rtr_used(st, LAB_RTR_MSEE + x) && lab_routed_vnet_leg(st, x, xdp_bin) != 0)
			return -1;
	if (lab_state_save(st) != 0 || lab_frr_start(st) != 0)
		return -1;
	return lab_frr_wait(st, LAB_ROUTED_WAIT_MS, false);
}

void
lab_routed_report(const struct lab_state *st)
{
	char ce[LAB_FRR_ADDR], site[LAB_FRR_ADDR];
	int s;

	printf("routed: ce (netns %s, AS %u, LAN %s on mps-e), VNet %s (netns %s, AS %u), "
	       "reflector %s\n", LAB_NS_CE, LAB_ASN_CE, LAB_ONPREM_NET, LAB_VNET_NET, LAB_NS_VNET,
	       LAB_ASN_GW, LAB_VNET_REFLECTOR);
	for (s = 0; s < LAB_NSITES; s++) {
		lab_ce_link_addr(st, s, false, ce, sizeof(ce));
		lab_site_addr(st, s, false, site, sizeof(site));
		printf("  link %s: eBGP %s (AS %u) - %s msee-%s (AS %u), BFD %d ms x %d%s\n",
		       lab_sites[s].id, ce, LAB_ASN_CE, site, lab_sites[lab_link_msee(st, s)].id,
		       LAB_ASN_MSEE, LAB_BFD_MS, LAB_BFD_MULT, s == 0 ? ", preferred" : "");
	}
	printf("  vtysh -N NETNS -c 'show bgp summary' (NETNS: mp-ce, mp-site-a, ...); "
	       "metroprobe lab cut a --method blackhole|carrier\n");
}
