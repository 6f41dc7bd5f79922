/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The command line control gives metroprobe-dp for a config: EAL arguments
 * (lcores, devices, memory) and the prober's, one --link per link.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dp_args.h"

#define AF_PACKET_SLOT_FRAME	1900	/* the largest frame af_packet's default slot holds, about */
/*
 * af_packet ring slot for a frame: the frame and its tpacket header (66 B),
 * a page multiple so that a block holds whole slots back to back (the PMD
 * assumes it), and no more than the dataplane's jumbo mbuf room (the same).
 */
#define AF_PACKET_SLOT(f)	(((f) + 128u + 4095u) & ~4095u)
#define AF_PACKET_BLOCK(f)	AF_PACKET_SLOT(f)

static void
add_arg(struct dp_args *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
add_arg(struct dp_args *r, const char *fmt, ...)
{
	va_list ap;

	if (r->argc >= DP_ARGS_MAX - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(r->store[r->argc], sizeof(r->store[0]), fmt, ap);
	va_end(ap);
	r->argv[r->argc] = r->store[r->argc];
	r->argc++;
	r->argv[r->argc] = NULL;
}

/* The device name DPDK gives a port: a vdev's name before its first comma, or the PCI address. */
void
dp_args_port_name(const struct mp_link_cfg *l, char *out, size_t len)
{
	const char *comma = strchr(l->port, ',');
	size_t n = comma != NULL ? (size_t)(comma - l->port) : strlen(l->port);

	snprintf(out, len, "%.*s", (int)n, l->port);
}

static void
format_vlans(const struct pkt_encap *e, char *out, size_t len)
{
	if (e->nvlan == 0)
		out[0] = '\0';
	else if (e->nvlan == 1)
		snprintf(out, len, ",vlan=%u", e->vlan[0].tci & 0xfff);
	else
		snprintf(out, len, ",vlan=0x%04x:%u.%u", e->vlan[0].tpid, e->vlan[0].tci & 0xfff,
			 e->vlan[1].tci & 0xfff);
}

int
dp_args_build(struct dp_args *r, const struct mp_config *c, const struct dp_args_opts *o)
{
	bool any_pci = false;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int i;

	r->argc = 0;
	add_arg(r, "%s", o->binary);
	if (c->dp.lcores[0] != '\0') {
		add_arg(r, "-l");
		add_arg(r, "%s", c->dp.lcores);
	} else {
		/*
		 * Main lcore on CPU 0 (it sleeps). One worker lcore per link when
		 * there are CPUs for it; otherwise one worker on the last CPU
		 * serves both links: two worker threads on one CPU would delay
		 * each other's replies while one of them polls.
		 */
		char map[128];

		if (ncpu >= c->n_links + 2)
			snprintf(map, sizeof(map), "0@0,1@1,2@2");
		else
			snprintf(map, sizeof(map), "0@0,1@%ld", ncpu > 1 ? ncpu - 1 : 0);
		if (c->n_links == 1 && ncpu >= 3)
			snprintf(map, sizeof(map), "0@0,1@1");
		add_arg(r, "--lcores");
		add_arg(r, "%s", map);
	}
	for (i = 0; i < c->n_links; i++) {
		if (c->links[i].port_is_pci) {
			add_arg(r, "-a");
			add_arg(r, "%s", c->links[i].port);
			any_pci = true;
		} else if (strncmp(c->links[i].port, "net_af_packet", 13) == 0) {
			/*
			 * af_packet takes its queue count as a device argument, and
			 * its ring slots hold 2048-byte frames unless told otherwise:
			 * bigger slots for jumbo frames.
			 */
			const char *p = c->links[i].port;
			char q[32] = "", fr[48] = "";

			if (c->links[i].queues > 1 && strstr(p, "qpairs=") == NULL)
				snprintf(q, sizeof(q), ",qpairs=%u", c->links[i].queues);
			if (c->links[i].frame_size > AF_PACKET_SLOT_FRAME &&
			    strstr(p, "framesz=") == NULL && strstr(p, "blocksz=") == NULL)
				snprintf(fr, sizeof(fr), ",framesz=%u,blocksz=%u",
					 AF_PACKET_SLOT(c->links[i].frame_size),
					 AF_PACKET_BLOCK(c->links[i].frame_size));
			add_arg(r, "--vdev");
			add_arg(r, "%s%s%s", p, q, fr);
		} else {
			add_arg(r, "--vdev");
			add_arg(r, "%s", c->links[i].port);
		}
	}
	/* Never touch a PCI NIC that was not named. */
	if (!any_pci)
		add_arg(r, "--no-pci");
	if (!o->no_huge) {
		/* anonymous hugepages (MAP_HUGETLB): no hugetlbfs mount, no files */
		add_arg(r, "--in-memory");
	} else {
		add_arg(r, "--no-huge");
		add_arg(r, "-m");
		add_arg(r, "%ld", o->no_huge_mb);
	}
	add_arg(r, "--file-prefix");
	add_arg(r, "mp-run-%d", (int)getpid());
	add_arg(r, "--log-level");
	add_arg(r, "lib.eal:5");
	for (i = 0; i < c->dp.n_eal_args; i++)
		add_arg(r, "%s", c->dp.eal_args[i]);
	add_arg(r, "--");
	add_arg(r, "probe");
	add_arg(r, "--rx-timestamps");
	add_arg(r, "%s", c->dp.rx_timestamps);
	if (o->sock_path != NULL && o->sock_path[0] != '\0') {
		add_arg(r, "--socket");
		add_arg(r, "%s", o->sock_path);
	}
	/* and stop when control goes away (a later service mode may keep it) */
	add_arg(r, "--control-lost");
	add_arg(r, "exit");
	add_arg(r, "--interval-ms");
	add_arg(r, "%u", c->interval_ms);
	add_arg(r, "--loss-timeout-ms");
	add_arg(r, "%u", c->loss_timeout_ms);
	add_arg(r, "--duration-ms");
	add_arg(r, "%llu", (unsigned long long)c->duration_s * 1000ull);
	for (i = 0; i < c->n_links; i++) {
		const struct mp_link_cfg *l = &c->links[i];
		char ip[64], nh[64], refl[64], dev[MP_STR_MAX], vl[64], mac[40] = "", speed[48] = "";

		dp_args_port_name(l, dev, sizeof(dev));
		ip_addr_format(&l->ip, ip, sizeof(ip));
		ip_addr_format(&l->next_hop, nh, sizeof(nh));
		ip_addr_format(&l->reflector, refl, sizeof(refl));
		format_vlans(&l->encap, vl, sizeof(vl));
		if (l->has_next_hop_mac) {
			char m[24];

			mac_format(l->next_hop_mac, m, sizeof(m));
			snprintf(mac, sizeof(mac), ",next_hop_mac=%s", m);
		}
		if (l->link_speed_bps != 0)
			snprintf(speed, sizeof(speed), ",link_speed=%llubps",
				 (unsigned long long)l->link_speed_bps);
		add_arg(r, "--link");
		add_arg(r, "name=%s,port=%s,ip=%s/%d,next_hop=%s%s,reflector=%s,reflector_port=%u,"
			"source_port=%u%s,rate=%s,frame=%s,dscp=%u,ssid=%u,queues=%u%s",
			l->name, dev, ip, l->prefix_len, nh, mac, refl, l->reflector_port,
			l->source_port, vl, l->rate_text, l->frame_mix, l->dscp, l->ssid, l->queues,
			speed);
	}
	return 0;
}
