/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lab's shape: its sites and provider routers, the topologies that
 * chain them (lab_internal.h), the namespaces, veths, addresses, routes,
 * MTU and sysctls; and making them. The diverse topology (the default):
 *
 *   mp-onprem        mp-rtr-a                    mp-site-a (Amsterdam, Equinix AM5)
 *     mpa-p <-veth-> mpa-ri 192.0.2.2  mpa-ro .5 <-veth-> mpa-r 192.0.2.6/30
 *     mpb-p <-veth-> mpb-ri 198.51.100.2  mpb-ro .5 <-veth-> mpb-r 198.51.100.6/30
 *                    mp-rtr-b                    mp-site-b (Amsterdam2, Digital Realty AMS8)
 *
 * shared-conduit puts mp-conduit (mpa-ci/mpa-co, mpb-ci/mpb-co) before
 * both routers; standard ends both links in mp-site-a; direct has no
 * router. The sites are the two peering locations of LAB_METRO in the
 * catalog (metro.h), which names them. A router has an address of its own
 * on lo (203.0.113.1 rtr-a, .2 rtr-b, .3 conduit; 2001:db8:ff::1..3) and
 * answers the prober's path probes from it, as a provider router answers
 * from its loopback: the conduit is one address on both links' hop lists.
 */
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lab_internal.h"
#include "netns.h"
#include "proc.h"

const struct lab_site_def lab_sites[LAB_NSITES] = {
	{
		.id = "a", .loc = 0,
		.netns = LAB_NS_SITE_A, .if_prober = "mpa-p", .if_site = "mpa-r",
		.prober_v4 = "192.0.2.1", .net_v4 = "192.0.2.0/30",
		.prober_v6 = "2001:db8:a::1", .net_v6 = "2001:db8:a::/126",
		.base_v4 = 0xc0000200u, .base_v6 = "2001:db8:a::",
		.plen_v4 = 30, .plen_v6 = 126,
		.prober_port = "net_af_packet0,iface=mpa-p", .ssid = 1,
	},
	{
		.id = "b", .loc = 1,
		.netns = LAB_NS_SITE_B, .if_prober = "mpb-p", .if_site = "mpb-r",
		.prober_v4 = "198.51.100.1", .net_v4 = "198.51.100.0/30",
		.prober_v6 = "2001:db8:b::1", .net_v6 = "2001:db8:b::/126",
		.base_v4 = 0xc6336400u, .base_v6 = "2001:db8:b::",
		.plen_v4 = 30, .plen_v6 = 126,
		.prober_port = "net_af_packet1,iface=mpb-p", .ssid = 2,
	},
};

const struct lab_router_def lab_routers[LAB_NROUTERS] = {
	{ .name = "rtr-a", .netns = LAB_NS_RTR_A, .tag = 'r',
	  .id_v4 = "203.0.113.1", .id_v6 = "2001:db8:ff::1" },
	{ .name = "rtr-b", .netns = LAB_NS_RTR_B, .tag = 'r',
	  .id_v4 = "203.0.113.2", .id_v6 = "2001:db8:ff::2" },
	{ .name = "conduit", .netns = LAB_NS_CONDUIT, .tag = 'c',
	  .id_v4 = "203.0.113.3", .id_v6 = "2001:db8:ff::3" },
	{ .name = "ce", .netns = LAB_NS_CE, .tag = 'e' },	/* no id: see lab_router_id */
};

const char *const lab_all_netns[LAB_N_NETNS] = {
	LAB_NS_ONPREM, LAB_NS_SITE_A, LAB_NS_SITE_B, LAB_NS_CONDUIT, LAB_NS_RTR_A, LAB_NS_RTR_B,
	LAB_NS_CE, LAB_NS_VNET,
};

/*
 * Every interface name the lab uses, for the root namespace's clean-up
 * (with the bridged conduit's names of earlier versions).
 */
const char *const lab_root_ifs[LAB_N_ROOT_IFS] = {
	"mpa-p", "mpa-r", "mpa-ri", "mpa-ro", "mpa-ci", "mpa-co", "mpa-cp", "mpa-cs", "mpa-br",
	"mpb-p", "mpb-r", "mpb-ri", "mpb-ro", "mpb-ci", "mpb-co", "mpb-cp", "mpb-cs", "mpb-br",
	"mpa-ei", "mpa-eo", "mpb-ei", "mpb-eo", "mpa-x", "mpa-g", "mpb-x", "mpb-g", "mps-p", "mps-e",
};

const char *const lab_topo_names[LAB_TOPO_COUNT] = {
	"diverse", "shared-conduit", "standard", "direct",
};

int
lab_topo_parse(const char *name)
{
	int t;

	for (t = 0; t < LAB_TOPO_COUNT; t++)
		if (strcmp(name, lab_topo_names[t]) == 0)
			return t;
	return -1;
}

const struct mp_metro *
lab_metro(void)
{
	return mp_metro_find(LAB_METRO);
}

const char *
lab_site_location(int s)
{
	return lab_metro()->sites[lab_sites[s].loc].name;
}

const char *
lab_site_facility(int s)
{
	return lab_metro()->sites[lab_sites[s].loc].facility;
}

int
lab_site_index(const char *id)
{
	int s;

	for (s = 0; s < LAB_NSITES; s++)
		if (strcmp(id, lab_sites[s].id) == 0)
			return s;
	return -1;
}

int
lab_router_index(const char *name)
{
	int r;

	for (r = 0; r < LAB_NROUTERS; r++)
		if (strcmp(name, lab_routers[r].name) == 0)
			return r;
	return -1;
}

/* The peering location (index in the metro) where link s lands: standard has one. */
int
lab_link_loc(const struct lab_state *st, int s)
{
	return st->topo == LAB_TOPO_STANDARD ? lab_sites[0].loc : lab_sites[s].loc;
}

/* The namespace of link s's far end (its reflector): standard's links share one. */
const char *
lab_site_netns(const struct lab_state *st, int s)
{
	return st->topo == LAB_TOPO_STANDARD ? lab_sites[0].netns : lab_sites[s].netns;
}

/* The routers link s crosses, from the prober; returns how many. */
int
lab_link_hops(const struct lab_state *st, int s, int hops[LAB_MAX_HOPS])
{
	int n = 0;

	if (st->routed)
		hops[n++] = LAB_ROUTER_CE;	/* on-premises, before the provider */
	if (st->topo == LAB_TOPO_DIRECT)
		return n;
	if (st->topo == LAB_TOPO_SHARED_CONDUIT)
		hops[n++] = LAB_ROUTER_CONDUIT;
	hops[n++] = s;	/* rtr-a for link a, rtr-b for link b */
	return n;
}

bool
lab_router_used(const struct lab_state *st, int r)
{
	int hops[LAB_MAX_HOPS], s, i, n;

	for (s = 0; s < LAB_NSITES; s++)
		for (i = 0, n = lab_link_hops(st, s, hops); i < n; i++)
			if (hops[i] == r)
				return true;
	return false;
}

/* Does the topology of st have namespace ns? */
bool
lab_netns_wanted(const struct lab_state *st, const char *ns)
{
	int r;

	if (strcmp(ns, LAB_NS_ONPREM) == 0 || strcmp(ns, LAB_NS_SITE_A) == 0)
		return true;
	if (strcmp(ns, LAB_NS_SITE_B) == 0)
		return st->topo != LAB_TOPO_STANDARD;
	if (strcmp(ns, LAB_NS_VNET) == 0)
		return st->routed;
	for (r = 0; r < LAB_NROUTERS; r++)
		if (strcmp(ns, lab_routers[r].netns) == 0)
			return lab_router_used(st, r);
	return false;
}

/* Router r's interface on link s: towards the site (out) or the prober. */
void
lab_router_if(int s, int r, bool out, char *buf, size_t len)
{
	snprintf(buf, len, "mp%s-%c%c", lab_sites[s].id, lab_routers[r].tag, out ? 'o' : 'i');
}

/* The address of segment seg's near (prober side) or far end on link s. */
void
lab_seg_addr(int s, int seg, bool far, bool v6, char *buf, size_t len)
{
	const struct lab_site_def *d = &lab_sites[s];
	unsigned int host = 4u * (unsigned int)seg + (far ? 2u : 1u);
	unsigned int a = d->base_v4 + host;

	if (v6)
		snprintf(buf, len, "%s%x", d->base_v6, host);
	else
		snprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff,
			 a & 0xff);
}

/* Segment seg's prefix on link s: "192.0.2.4/30". */
void
lab_seg_net(int s, int seg, bool v6, char *buf, size_t len)
{
	const struct lab_site_def *d = &lab_sites[s];
	unsigned int a = d->base_v4 + 4u * (unsigned int)seg;

	if (v6 && seg == 0)
		snprintf(buf, len, "%s/%d", d->base_v6, d->plen_v6);
	else if (v6)
		snprintf(buf, len, "%s%x/%d", d->base_v6, 4u * (unsigned int)seg, d->plen_v6);
	else
		snprintf(buf, len, "%u.%u.%u.%u/%d", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff,
			 a & 0xff, d->plen_v4);
}

/* The site's (reflector's) address on link s: the far end of its last segment. */
void
lab_site_addr(const struct lab_state *st, int s, bool v6, char *buf, size_t len)
{
	int hops[LAB_MAX_HOPS];

	lab_seg_addr(s, lab_link_hops(st, s, hops), true, v6, buf, len);
}

/* Where the site sends its replies: the last router, or the prober. */
void
lab_site_gateway(const struct lab_state *st, int s, bool v6, char *buf, size_t len)
{
	int hops[LAB_MAX_HOPS];

	lab_seg_addr(s, lab_link_hops(st, s, hops), false, v6, buf, len);
}

bool
lab_any_netns(void)
{
	size_t i;

	for (i = 0; i < LAB_N_NETNS; i++)
		if (mp_netns_exists(lab_all_netns[i]))
			return true;
	return false;
}

/* sysfs/procfs knobs must be written in place, not via tmp + rename. */
static int
lab_write_knob(const char *path, const char *value)
{
	size_t len = strlen(value);
	int fd, rc = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, value, len) != (ssize_t)len)
		rc = errno != 0 ? -errno : -EIO;
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	return rc;
}

struct lab_knob {
	const char *path;
	const char *value;
};

static int
lab_knob_write(void *arg)
{
	const struct lab_knob *k = arg;

	return lab_write_knob(k->path, k->value) == 0 ? 0 : 1;
}

/* Write a /proc/sys knob inside ns; -1 said why. */
static int
lab_ns_knob(const char *ns, const char *path, const char *value)
{
	struct lab_knob k = { .path = path, .value = value };

	if (mp_proc_call(ns, lab_knob_write, &k) != 0) {
		lab_err("step failed: %s=%s in netns %s", path, value, ns);
		return -1;
	}
	return 0;
}

/* A /proc/sys knob of one namespace: the knobs follow the opener's netns. */
int
lab_no_ipv6(const char *ns, const char *ifname)
{
	char path[PATH_MAX];

	if (!lab_path_exists("/proc/sys/net/ipv6"))
		return 0;	/* no IPv6 in this kernel: nothing to disable */
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", ifname);
	return lab_ns_knob(ns, path, "1");
}

/*
 * No duplicate address detection in the lab's namespaces: every address is
 * usable at once, link-local ones too, so a router's first neighbour
 * solicitation is not lost to a tentative address (a 1 s retry, a gap in
 * the first second of a run).
 */
static int
lab_no_dad(const char *ns)
{
	if (!lab_path_exists("/proc/sys/net/ipv6"))
		return 0;
	return lab_ns_knob(ns, "/proc/sys/net/ipv6/conf/all/accept_dad", "0") != 0 ||
	       lab_ns_knob(ns, "/proc/sys/net/ipv6/conf/default/accept_dad", "0") != 0 ? -1 : 0;
}

/* af_packet would see partial checksums and super-frames from the kernel side. */
static int
lab_offloads_off(const char *ns, const char *ifname)
{
	return lab_step(ns, MP_PROC_OUT_ERR, "ethtool -K %s tx off rx off gso off gro off tso off",
			ifname);
}

static int
lab_link_add(const char *a, const char *ns_a, const char *b, const char *ns_b)
{
	return lab_step(NULL, MP_PROC_OUT_ALL,
			"ip link add %s netns %s type veth peer name %s netns %s",
			a, ns_a, b, ns_b);
}

static int
lab_link_set(const char *ns, const char *ifname, const char *what)
{
	return lab_step(NULL, MP_PROC_OUT_ALL, "ip -n %s link set %s %s", ns, ifname, what);
}


/* One end of segment seg of link s: its namespace and interface. */
static void
lab_seg_end(const struct lab_state *st, int s, int seg, bool far, const char **ns,
	    char *ifname, size_t len)
{
	int hops[LAB_MAX_HOPS], n = lab_link_hops(st, s, hops), r;

	if (!far && seg == 0) {
		*ns = LAB_NS_ONPREM;
		snprintf(ifname, len, "%s", lab_sites[s].if_prober);
	} else if (far && seg == n) {
		*ns = lab_site_netns(st, s);
		snprintf(ifname, len, "%s", lab_sites[s].if_site);
	} else {
		r = hops[far ? seg : seg - 1];
		*ns = lab_routers[r].netns;
		lab_router_if(s, r, !far, ifname, len);
	}
}

/* The kernel addresses of one end of segment seg (IPv4 and IPv6). */
static int
lab_seg_addrs(const char *ns, const char *ifname, int s, int seg, bool far)
{
	const struct lab_site_def *d = &lab_sites[s];
	char v4[64], v6[64];

	lab_seg_addr(s, seg, far, false, v4, sizeof(v4));
	lab_seg_addr(s, seg, far, true, v6, sizeof(v6));
	return lab_step(NULL, MP_PROC_OUT_ALL, "ip -n %s addr add %s/%d dev %s", ns, v4,
			d->plen_v4, ifname) != 0 ||
	       lab_step(NULL, MP_PROC_OUT_ALL, "ip -n %s addr add %s/%d dev %s nodad", ns, v6,
			d->plen_v6, ifname) != 0 ? -1 : 0;
}

/*
 * Segment seg of link s: a veth pair, jumbo MTU (so a frame-size sweep
 * reaches 9000 bytes), no offloads, addresses on the kernel's ends. The
 * dataplane owns the prober's end, and a DPDK reflector the site's.
 */
static int
lab_seg_create(const struct lab_state *st, int s, int seg, int n)
{
	bool dpdk_site = seg == n && st->site[s].kind == LAB_KIND_DPDK;
	const char *ns_n, *ns_f;
	char if_n[16], if_f[16], mtu[32];

	lab_seg_end(st, s, seg, false, &ns_n, if_n, sizeof(if_n));
	lab_seg_end(st, s, seg, true, &ns_f, if_f, sizeof(if_f));
	snprintf(mtu, sizeof(mtu), "mtu %d", LAB_MTU);
	if (lab_link_add(if_n, ns_n, if_f, ns_f) != 0 || lab_link_set(ns_n, if_n, mtu) != 0 ||
	    lab_link_set(ns_f, if_f, mtu) != 0 || lab_offloads_off(ns_n, if_n) != 0 ||
	    lab_offloads_off(ns_f, if_f) != 0)
		return -1;
	if (seg == 0 ? lab_no_ipv6(ns_n, if_n) != 0 : lab_seg_addrs(ns_n, if_n, s, seg, false) != 0)
		return -1;
	if (dpdk_site ? lab_no_ipv6(ns_f, if_f) != 0 : lab_seg_addrs(ns_f, if_f, s, seg, true) != 0)
		return -1;
	return lab_link_set(ns_n, if_n, "up") != 0 || lab_link_set(ns_f, if_f, "up") != 0 ? -1 : 0;
}

/*
 * In ns, a route (IPv4 and IPv6) to segment to_seg of link s via an end of
 * via_seg; with src (a router's own addresses), what its ICMP errors on
 * that route come from.
 */
static int
lab_route(const char *ns, int s, int to_seg, int via_seg, bool via_far,
	  const struct lab_router_def *src)
{
	char net[64], via[64];
	int v6;

	for (v6 = 0; v6 <= 1; v6++) {
		lab_seg_net(s, to_seg, v6, net, sizeof(net));
		lab_seg_addr(s, via_seg, via_far, v6, via, sizeof(via));
		if (lab_step(NULL, MP_PROC_OUT_ALL, "ip -n %s %s route replace %s via %s%s%s", ns,
			     v6 ? "-6" : "-4", net, via, src != NULL ? " src " : "",
			     src != NULL ? (v6 ? src->id_v6 : src->id_v4) : "") != 0)
			return -1;
	}
	return 0;
}

/*
 * Router r's own address on lo, and its connected route to the prober's
 * segment of link s (its first router) made to take it as source. The
 * routed lab's customer edge router has none: it is the customer's, both
 * links' next hop, and answers from each link's own address.
 */
/*
 * A new IPv6 address is tentative until the kernel's DAD work has run, even
 * on lo with DAD off; that work is asynchronous, and on a busy machine a
 * route with "src" that address was refused ("Invalid source address").
 * Wait (at most 5 s) until no address of ns's lo is tentative.
 */
static int
lab_lo_v6_settled(const char *ns)
{
	char *const argv[] = { "ip", "-6", "-o", "addr", "show", "dev", "lo", "tentative", NULL };
	int i;

	for (i = 0; i < 100; i++) {
		char *out = mp_proc_capture(ns, argv);
		bool none = out != NULL && out[0] == '\0';

		free(out);
		if (none)
			return 0;
		lab_sleep_ms(50);
	}
	lab_err("an IPv6 address on lo of %s stays tentative", ns);
	return -1;
}

static int
lab_router_id(int r, int s, bool first)
{
	const struct lab_router_def *d = &lab_routers[r];
	char net[64], ifname[16];
	int v6;

	if (d->id_v4 == NULL)
		return 0;
	if (lab_step(NULL, MP_PROC_OUT_ALL, "ip -n %s addr replace %s/32 dev lo", d->netns,
		     d->id_v4) != 0 ||
	    lab_step(NULL, MP_PROC_OUT_ALL, "ip -n %s addr replace %s/128 dev lo", d->netns,
		     d->id_v6) != 0 ||
	    lab_lo_v6_settled(d->netns) != 0)
		return -1;
	if (!first)
		return 0;
	lab_router_if(s, r, false, ifname, sizeof(ifname));
	for (v6 = 0; v6 <= 1; v6++) {
		lab_seg_net(s, 0, v6, net, sizeof(net));
		if (lab_step(NULL, MP_PROC_OUT_ALL, "ip -n %s %s route replace %s dev %s src %s%s",
			     d->netns, v6 ? "-6" : "-4", net, ifname, v6 ? d->id_v6 : d->id_v4,
			     v6 ? " metric 256" : " proto kernel scope link") != 0)
			return -1;
	}
	return 0;
}

/*
 * Link s's routes: each router knows the prober's and the site's segments
 * beyond its own, and a kernel site (xdp or kernel reflector) answers the
 * prober through the last router. A DPDK site is told its gateway instead.
 * Replaced, not added: `lab restore` puts back what a carrier cut removed.
 */
int
lab_link_routes(const struct lab_state *st, int s)
{
	int hops[LAB_MAX_HOPS], n = lab_link_hops(st, s, hops), j;

	for (j = 0; j < n; j++) {
		const char *ns = lab_routers[hops[j]].netns;

		if (lab_router_id(hops[j], s, j == 0) != 0)
			return -1;
		if (j > 0 && lab_route(ns, s, 0, j, false, &lab_routers[hops[j]]) != 0)
			return -1;
		if (j + 1 < n && lab_route(ns, s, n, j + 1, true, NULL) != 0)
			return -1;
	}
	if (n > 0 && st->site[s].kind != LAB_KIND_DPDK &&
	    lab_route(lab_site_netns(st, s), s, 0, n, false, NULL) != 0)
		return -1;
	return 0;
}

/*
 * A router forwards, and every packet whose TTL runs out on it gets its
 * time exceeded back: no ICMP rate limit (per destination or in total),
 * so that hop lists of many probes are complete. The total limit is a
 * per-namespace knob only on newer kernels: set where there is one.
 */
static int
lab_router_sysctls(int r)
{
	static const struct lab_knob knobs[] = {
		{ "/proc/sys/net/ipv4/ip_forward", "1" },
		{ "/proc/sys/net/ipv4/icmp_ratelimit", "0" },
		{ "/proc/sys/net/ipv6/conf/all/forwarding", "1" },
		{ "/proc/sys/net/ipv6/icmp/ratelimit", "0" },
	};
	static const struct lab_knob optional[] = {
		{ "/proc/sys/net/ipv4/icmp_msgs_per_sec", "1000000" },
		{ "/proc/sys/net/ipv4/icmp_msgs_burst", "1000000" },
	};
	const char *ns = lab_routers[r].netns;
	size_t i;

	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		if ((strstr(knobs[i].path, "ipv6") == NULL || lab_path_exists("/proc/sys/net/ipv6")) &&
		    lab_ns_knob(ns, knobs[i].path, knobs[i].value) != 0)
			return -1;
	for (i = 0; i < sizeof(optional) / sizeof(optional[0]); i++)
		mp_proc_call(ns, lab_knob_write, (void *)(uintptr_t)&optional[i]);
	return 0;
}

int
lab_topology_create(const struct lab_state *st)
{
	int hops[LAB_MAX_HOPS], s, seg, n, r;
	size_t i;

	for (i = 0; i < LAB_N_NETNS; i++) {
		const char *ns = lab_all_netns[i];

		if (!lab_netns_wanted(st, ns))
			continue;
		if (lab_step(NULL, MP_PROC_OUT_ALL, "ip netns add %s", ns) != 0 ||
		    lab_step(NULL, MP_PROC_OUT_ALL, "ip -n %s link set lo up", ns) != 0 ||
		    lab_no_dad(ns) != 0)
			return -1;
	}
	for (s = 0; s < LAB_NSITES; s++)
		for (seg = 0, n = lab_link_hops(st, s, hops); seg <= n; seg++)
			if (lab_seg_create(st, s, seg, n) != 0)
				return -1;
	for (r = 0; r < LAB_NROUTERS; r++)
		if (lab_router_used(st, r) && lab_router_sysctls(r) != 0)
			return -1;
	for (s = 0; s < LAB_NSITES; s++)
		if (lab_link_routes(st, s) != 0)
			return -1;
	return 0;
}
