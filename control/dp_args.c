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
#include "stream_config.h"

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

void
dp_args_port_name(const struct mp_link_cfg *l, char *out, size_t len)
{
	snprintf(out, len, "%s", l->port_name);
}

/*
 * Main lcore on CPU 0 (it sleeps). One worker lcore per link when there are
 * CPUs for it; otherwise one worker on the last CPU serves both links: two
 * worker threads on one CPU would delay each other's replies while one of
 * them polls.
 */
static void
add_lcores(struct dp_args *r, const struct mp_config *c)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	char map[128];

	if (c->dp.lcores[0] != '\0') {
		add_arg(r, "-l");
		add_arg(r, "%s", c->dp.lcores);
		return;
	}
	if (ncpu >= c->n_links + 2)
		snprintf(map, sizeof(map), "0@0,1@1,2@2");
	else
		snprintf(map, sizeof(map), "0@0,1@%ld", ncpu > 1 ? ncpu - 1 : 0);
	if (c->n_links == 1 && ncpu >= 3)
		snprintf(map, sizeof(map), "0@0,1@1");
	add_arg(r, "--lcores");
	add_arg(r, "%s", map);
}

/* -a for a PCI port, --vdev for the others; never touch a PCI NIC that was not named. */
static void
add_devices(struct dp_args *r, const struct mp_config *c)
{
	bool any_pci = false;
	int i;

	for (i = 0; i < c->n_links; i++) {
		const struct mp_link_cfg *l = &c->links[i];

		if (l->port_is_pci) {
			add_arg(r, "-a");
			add_arg(r, "%s", l->port);
			any_pci = true;
		} else if (strncmp(l->port, "net_af_packet", 13) == 0) {
			/*
			 * af_packet takes its queue count as a device argument, and
			 * its ring slots hold 2048-byte frames unless told otherwise:
			 * bigger slots for jumbo frames.
			 */
			char q[32] = "", fr[48] = "";

			uint32_t frame = mp_link_cfg_max_frame(l);

			if (mp_link_cfg_lanes(l) > 1 && strstr(l->port, "qpairs=") == NULL)
				snprintf(q, sizeof(q), ",qpairs=%u", mp_link_cfg_lanes(l));
			if (frame > AF_PACKET_SLOT_FRAME &&
			    strstr(l->port, "framesz=") == NULL && strstr(l->port, "blocksz=") == NULL)
				snprintf(fr, sizeof(fr), ",framesz=%u,blocksz=%u",
					 AF_PACKET_SLOT(frame), AF_PACKET_BLOCK(frame));
			add_arg(r, "--vdev");
			add_arg(r, "%s%s%s", l->port, q, fr);
		} else {
			add_arg(r, "--vdev");
			add_arg(r, "%s", l->port);
		}
	}
	if (!any_pci)
		add_arg(r, "--no-pci");
}

int
dp_args_build(struct dp_args *r, const struct mp_config *c, const struct dp_args_opts *o)
{
	char link[MP_LINK_TEXT_MAX];
	struct mp_link_spec spec;
	int i, rc;

	r->argc = 0;
	add_arg(r, "%s", o->binary);
	add_lcores(r, c);
	add_devices(r, c);
	if (!o->no_huge) {
		/* anonymous hugepages (MAP_HUGETLB): no hugetlbfs mount, no files */
		add_arg(r, "--in-memory");
	} else {
		add_arg(r, "--no-huge");
		add_arg(r, "-m");
		add_arg(r, "%ld", o->no_huge_mb);
	}
	add_arg(r, "--file-prefix");
	if (o->file_prefix != NULL)
		add_arg(r, "%s", o->file_prefix);
	else
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
	/* and stop when control goes away, unless serve keeps it */
	add_arg(r, "--control-lost");
	add_arg(r, "%s", o->keep ? "keep" : "exit");
	add_arg(r, "--interval-ms");
	add_arg(r, "%u", c->interval_ms);
	add_arg(r, "--loss-timeout-ms");
	add_arg(r, "%u", c->loss_timeout_ms);
	add_arg(r, "--duration-ms");
	add_arg(r, "%llu", c->duration_ms > 0 ? (unsigned long long)c->duration_ms :
		(unsigned long long)c->duration_s * 1000ull);
	for (i = 0; i < c->n_links; i++) {
		/* the spec with the link's streams (stream_config.c) */
		if ((rc = mp_link_cfg_spec(&c->links[i], &spec, link, sizeof(link))) != 0 ||
		    (rc = mp_link_encode(&spec, link, sizeof(link))) != 0)
			return rc;
		add_arg(r, "--link");
		add_arg(r, "%s", link);
	}
	if (link_kind_path_interval(c) > 0) {
		add_arg(r, "--path-interval-ms");
		add_arg(r, "%u", link_kind_path_interval(c));
		add_arg(r, "--path-max-ttl");
		add_arg(r, "%u", c->path.max_ttl);
		add_arg(r, "--path-flows");
		add_arg(r, "%u", c->path.flows);
	}
	return 0;
}
