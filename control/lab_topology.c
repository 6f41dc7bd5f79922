/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lab's shape: which namespaces, which veths (and bridges, with
 * --shared-conduit), their addresses, MTU and sysctls; and making them.
 *
 *   mp-onprem (prober)                        mp-site-a (Amsterdam, Equinix AM5)
 *     mpa-p  <------------ veth ------------>  mpa-r  192.0.2.2/30, 2001:db8:a::2/126
 *     mpb-p  <------------ veth ------------>  mpb-r  198.51.100.2/30, 2001:db8:b::2/126
 *                                             mp-site-b (Amsterdam2, Digital Realty AMS8)
 *
 * The sites are the two peering locations of LAB_METRO in the catalog
 * (metro.h), which names them.
 */
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lab_internal.h"
#include "netns.h"

const struct lab_site_def lab_sites[LAB_NSITES] = {
	{
		.id = "a", .loc = 0,
		.netns = LAB_NS_SITE_A, .if_prober = "mpa-p", .if_site = "mpa-r",
		.if_conduit_p = "mpa-cp", .if_conduit_s = "mpa-cs", .bridge = "mpa-br",
		.prober_v4 = "192.0.2.1", .site_v4 = "192.0.2.2", .net_v4 = "192.0.2.0/30",
		.prober_v6 = "2001:db8:a::1", .site_v6 = "2001:db8:a::2",
		.net_v6 = "2001:db8:a::/126", .plen_v4 = 30, .plen_v6 = 126,
		.prober_port = "net_af_packet0,iface=mpa-p", .ssid = 1,
	},
	{
		.id = "b", .loc = 1,
		.netns = LAB_NS_SITE_B, .if_prober = "mpb-p", .if_site = "mpb-r",
		.if_conduit_p = "mpb-cp", .if_conduit_s = "mpb-cs", .bridge = "mpb-br",
		.prober_v4 = "198.51.100.1", .site_v4 = "198.51.100.2",
		.net_v4 = "198.51.100.0/30",
		.prober_v6 = "2001:db8:b::1", .site_v6 = "2001:db8:b::2",
		.net_v6 = "2001:db8:b::/126", .plen_v4 = 30, .plen_v6 = 126,
		.prober_port = "net_af_packet1,iface=mpb-p", .ssid = 2,
	},
};

const char *const lab_all_netns[LAB_N_NETNS] = {
	LAB_NS_ONPREM, LAB_NS_SITE_A, LAB_NS_SITE_B, LAB_NS_CONDUIT,
};

/* Every interface name the lab uses, for the root namespace's clean-up. */
const char *const lab_root_ifs[LAB_N_ROOT_IFS] = {
	"mpa-p", "mpa-r", "mpa-cp", "mpa-cs", "mpa-br",
	"mpb-p", "mpb-r", "mpb-cp", "mpb-cs", "mpb-br",
};

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

static int
lab_disable_ipv6(void *arg)
{
	return lab_write_knob(arg, "1") == 0 ? 0 : 1;
}

/* A /proc/sys knob of one namespace: the knobs follow the opener's netns. */
int
lab_no_ipv6(const char *ns, const char *ifname)
{
	char path[PATH_MAX];

	if (!lab_path_exists("/proc/sys/net/ipv6"))
		return 0;	/* no IPv6 in this kernel: nothing to disable */
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", ifname);
	if (mp_proc_call(ns, lab_disable_ipv6, path) != 0) {
		lab_err("step failed: sysctl net.ipv6.conf.%s.disable_ipv6=1 in netns %s",
			ifname, ns);
		return -1;
	}
	return 0;
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

/* The site's link through mp-conduit: two veths and a bridge between them. */
static int
lab_conduit_create(const struct lab_site_def *d)
{
	char master[64];

	snprintf(master, sizeof(master), "master %s", d->bridge);
	return lab_link_add(d->if_prober, LAB_NS_ONPREM, d->if_conduit_p, LAB_NS_CONDUIT) ||
	       lab_link_add(d->if_conduit_s, LAB_NS_CONDUIT, d->if_site, d->netns) ||
	       lab_step(NULL, MP_PROC_OUT_ALL, "ip -n %s link add %s type bridge stp_state 0 "
			"mcast_snooping 0", LAB_NS_CONDUIT, d->bridge) != 0 ||
	       lab_no_ipv6(LAB_NS_CONDUIT, d->bridge) != 0 ||
	       lab_no_ipv6(LAB_NS_CONDUIT, d->if_conduit_p) != 0 ||
	       lab_no_ipv6(LAB_NS_CONDUIT, d->if_conduit_s) != 0 ||
	       lab_offloads_off(LAB_NS_CONDUIT, d->if_conduit_p) != 0 ||
	       lab_offloads_off(LAB_NS_CONDUIT, d->if_conduit_s) != 0 ||
	       lab_link_set(LAB_NS_CONDUIT, d->if_conduit_p, master) != 0 ||
	       lab_link_set(LAB_NS_CONDUIT, d->if_conduit_s, master) != 0 ? -1 : 0;
}

/* Every interface of site d's link, in order: "ip -n NS link set IF WHAT". */
static int
lab_link_set_all(const struct lab_state *st, const struct lab_site_def *d, const char *what)
{
	return lab_link_set(LAB_NS_ONPREM, d->if_prober, what) != 0 ||
	       lab_link_set(d->netns, d->if_site, what) != 0 ||
	       (st->conduit &&
		(lab_link_set(LAB_NS_CONDUIT, d->if_conduit_p, what) != 0 ||
		 lab_link_set(LAB_NS_CONDUIT, d->if_conduit_s, what) != 0 ||
		 lab_link_set(LAB_NS_CONDUIT, d->bridge, what) != 0)) ? -1 : 0;
}

static int
lab_site_create(const struct lab_state *st, int s)
{
	const struct lab_site_def *d = &lab_sites[s];
	bool dpdk = st->site[s].kind == LAB_KIND_DPDK;
	char mtu[32];

	if (!st->conduit ? lab_link_add(d->if_prober, LAB_NS_ONPREM, d->if_site, d->netns) != 0 :
			   lab_conduit_create(d) != 0)
		return -1;
	/* Jumbo frames on every hop, so a frame-size sweep reaches 9000 bytes. */
	snprintf(mtu, sizeof(mtu), "mtu %d", LAB_MTU);
	if (lab_link_set_all(st, d, mtu) != 0)
		return -1;
	/* The dataplane owns the prober end (and a DPDK reflector its end). */
	if (lab_no_ipv6(LAB_NS_ONPREM, d->if_prober) != 0 ||
	    (dpdk && lab_no_ipv6(d->netns, d->if_site) != 0) ||
	    lab_offloads_off(LAB_NS_ONPREM, d->if_prober) != 0 ||
	    lab_offloads_off(d->netns, d->if_site) != 0)
		return -1;
	if (!dpdk &&
	    (lab_step(NULL, MP_PROC_OUT_ALL, "ip -n %s addr add %s/%d dev %s", d->netns,
		      d->site_v4, d->plen_v4, d->if_site) != 0 ||
	     lab_step(NULL, MP_PROC_OUT_ALL, "ip -n %s addr add %s/%d dev %s nodad", d->netns,
		      d->site_v6, d->plen_v6, d->if_site) != 0))
		return -1;
	return lab_link_set_all(st, d, "up");
}

int
lab_topology_create(const struct lab_state *st)
{
	size_t i;
	int s;

	for (i = 0; i < LAB_N_NETNS; i++) {
		const char *ns = lab_all_netns[i];

		if (!st->conduit && strcmp(ns, LAB_NS_CONDUIT) == 0)
			continue;
		if (lab_step(NULL, MP_PROC_OUT_ALL, "ip netns add %s", ns) != 0 ||
		    lab_step(NULL, MP_PROC_OUT_ALL, "ip -n %s link set lo up", ns) != 0)
			return -1;
	}
	for (s = 0; s < LAB_NSITES; s++)
		if (lab_site_create(st, s) != 0)
			return -1;
	return 0;
}
