/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In the routed lab, the drill also watches routing itself: the customer
 * edge's kernel route to the VNet (10.1.0.0/24), through a netlink socket
 * opened inside mp-ce and subscribed to IPv4 route changes. When zebra
 * replaces it (BFD down, bgpd withdrew the path over the cut link), the
 * change's outgoing interface says which link the VNet is reached over
 * now: what bench/routed_convergence.py times with `ip monitor route`.
 * Real links have no such view; the service stream is what measures there.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "drill.h"
#include "lab_internal.h"
#include "loop.h"
#include "netns.h"
#include "util.h"

/* The CE's port of each role's link, by ifindex in mp-ce. */
static void
drill_route_ifindex(struct drill *d)
{
	char ifname[16];
	int r, s;

	for (r = DRILL_CUT; r <= DRILL_SURVIVOR; r++) {
		s = lab_site_index(d->cfg->links[d->link[r]].name);
		lab_router_if(s, LAB_ROUTER_CE, true, ifname, sizeof(ifname));
		d->route_ifindex[r] = s >= 0 ? (int)if_nametoindex(ifname) : 0;
	}
}

/* The netlink socket inside mp-ce; -1 (routing not watched) on any failure. */
int
drill_route_open(struct drill *d)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_IPV4_ROUTE };
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), fd = -1;

	if (self < 0)
		return -1;
	if (mp_netns_enter(LAB_NS_CE) == 0) {
		fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
		if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
			close(fd);
			fd = -1;
		}
		drill_route_ifindex(d);
		if (setns(self, CLONE_NEWNET) != 0) {
			/* nothing else of the run may happen inside the CE */
			fprintf(stderr, "metroprobe drill: cannot leave %s: %s\n", LAB_NS_CE,
				strerror(errno));
			_exit(1);
		}
	}
	close(self);
	return fd;
}

/* One route message: the VNet's route over which link now (role), or -1 gone, -2 not it. */
static int
drill_route_msg(const struct drill *d, struct nlmsghdr *h)
{
	struct rtmsg *rt = NLMSG_DATA(h);
	int len = (int)RTM_PAYLOAD(h), oif = 0, r;
	struct rtattr *a;
	struct in_addr dst = { 0 }, vnet;

	if ((h->nlmsg_type != RTM_NEWROUTE && h->nlmsg_type != RTM_DELROUTE) ||
	    rt->rtm_family != AF_INET || rt->rtm_dst_len != 24 || rt->rtm_table != RT_TABLE_MAIN)
		return -2;
	for (a = RTM_RTA(rt); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == RTA_DST && RTA_PAYLOAD(a) == 4)
			memcpy(&dst, RTA_DATA(a), 4);
		else if (a->rta_type == RTA_OIF && RTA_PAYLOAD(a) == 4)
			memcpy(&oif, RTA_DATA(a), 4);
	}
	inet_pton(AF_INET, LAB_VNET_REFLECTOR, &vnet);
	if ((ntohl(dst.s_addr) ^ ntohl(vnet.s_addr)) >> 8 != 0)
		return -2;
	if (h->nlmsg_type == RTM_DELROUTE)
		return -1;
	for (r = DRILL_CUT; r <= DRILL_SURVIVOR; r++)
		if (oif != 0 && oif == d->route_ifindex[r])
			return r;
	return -2;
}

/* Route changes: each one of the VNet's on the timeline and in d->route[]. */
void
drill_route_read(struct loop *l, int fd, unsigned int ev, void *cookie)
{
	struct drill *d = cookie;
	char buf[16384] __attribute__((aligned(4)));
	struct nlmsghdr *h;
	ssize_t n;
	int via;

	(void)l;
	(void)ev;
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		uint64_t now = mp_now_ns();
		int left = (int)n;

		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			via = drill_route_msg(d, h);
			if (via == -2 || d->n_route == DRILL_ROUTE_MAX)
				continue;
			d->route[d->n_route].t_ns = now;
			d->route[d->n_route++].via = via;
			drill_note(d, now, "the CE's route to the VNet %s%s", via < 0 ? "withdrawn" :
				   "now over link ", via < 0 ? "" :
				   d->cfg->links[d->link[via]].name);
		}
	}
}

/* The first change to via at or after from (UNIX ns), counted from it; or DRILL_NONE. */
int64_t
drill_route_after(const struct drill *d, uint64_t from, int via)
{
	int i;

	for (i = 0; from != 0 && i < d->n_route; i++)
		if (d->route[i].t_ns >= from && d->route[i].via == via)
			return (int64_t)(d->route[i].t_ns - from);
	return DRILL_NONE;
}
