/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a run needs on this machine (see preflight.h).
 */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dp_args.h"
#include "hugepages.h"
#include "netns.h"
#include "proc.h"
#include "preflight.h"
#include "stream_config.h"

long
preflight_hugepages(const struct mp_config *c)
{
	struct hp_link_shape shape[MP_MAX_LINKS];
	int i;

	for (i = 0; i < c->n_links; i++) {
		shape[i].frame_size = mp_link_cfg_max_frame(&c->links[i]);
		shape[i].queues = mp_link_cfg_lanes(&c->links[i]);
	}
	return hp_probe_pages(shape, c->n_links);
}

long
preflight_no_huge_mb(const struct mp_config *c)
{
	long need = preflight_hugepages(c) * (long)(HP_PAGE_BYTES >> 20);

	return need > (long)c->dp.memory_mb ? need : (long)c->dp.memory_mb;
}

bool
preflight_all_vdev(const struct mp_config *c)
{
	int i;

	for (i = 0; i < c->n_links; i++)
		if (c->links[i].port_is_pci)
			return false;
	return true;
}

static int
iface_lookup(void *ifname)
{
	return if_nametoindex(ifname) != 0 ? 0 : 1;
}

/* Does interface ifname exist in network namespace ns ("" = ours)? */
static bool
iface_exists(const char *ns, const char *ifname)
{
	int rc;

	if (ns[0] == '\0')
		return if_nametoindex(ifname) != 0;
	rc = mp_proc_call(ns, iface_lookup, (void *)ifname);
	return rc == 0 || rc < 0;	/* rc < 0: cannot tell, let the run say */
}

/* The value of key=... in a vdev argument list, or "" */
static void
vdev_arg(const char *port, const char *key, char *out, size_t len)
{
	size_t kl = strlen(key);
	const char *p = strchr(port, ',');

	out[0] = '\0';
	while (p != NULL) {
		p++;
		if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
			size_t n = strcspn(p + kl + 1, ",");

			snprintf(out, len, "%.*s", (int)n, p + kl + 1);
			return;
		}
		p = strchr(p, ',');
	}
}

/* Each link's namespace, then its port: a PCI device, or a vdev and its interfaces. */
int
preflight_problems(const struct mp_config *cfg, const char *dp_err, char *out, size_t len)
{
	static const char *const kinds[] = {
		"net_af_packet", "net_af_xdp", "net_pcap", "net_tap", "net_memif", "net_ring",
		"net_null", "net_vhost", "net_virtio_user",
	};
	/* vdev kinds that name an existing kernel interface, and with which key */
	static const char *const if_keys[] = { "iface", "rx_iface", "tx_iface" };
	int n = 0, i;
	size_t k;

#define PROBLEM(...) do {							\
		size_t u = strlen(out);						\
		snprintf(out + u, len - u, "%s", n++ ? "; " : "");		\
		u = strlen(out);						\
		snprintf(out + u, len - u, __VA_ARGS__);			\
	} while (0)
	out[0] = '\0';
	if (dp_err[0] != '\0')
		PROBLEM("%s", dp_err);
	for (i = 0; i < cfg->n_links; i++) {
		const struct mp_link_cfg *l = &cfg->links[i];
		char dev[MP_STR_MAX], path[PATH_MAX], ifn[MP_STR_MAX];

		if (l->netns[0] != '\0') {
			if (!mp_netns_exists(l->netns)) {
				PROBLEM("links[%d].netns: no network namespace %s", i, l->netns);
				continue;
			}
		}
		if (l->port_is_pci) {
			snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", l->port);
			if (access(path, F_OK) != 0)
				PROBLEM("links[%d].port: no PCI device %s on this machine", i, l->port);
			continue;
		}
		dp_args_port_name(l, dev, sizeof(dev));
		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			if (strncmp(dev, kinds[k], strlen(kinds[k])) == 0)
				break;
		if (k == sizeof(kinds) / sizeof(kinds[0])) {
			PROBLEM("links[%d].port: '%s' is not a DPDK vdev kind this build knows", i, dev);
			continue;
		}
		if (strncmp(dev, "net_tap", 7) == 0)
			continue;	/* it makes its interface */
		for (k = 0; k < sizeof(if_keys) / sizeof(if_keys[0]); k++) {
			vdev_arg(l->port, if_keys[k], ifn, sizeof(ifn));
			if (ifn[0] != '\0' && !iface_exists(l->netns, ifn))
				PROBLEM("links[%d].port: no interface %s%s%s", i, ifn,
					l->netns[0] != '\0' ? " in netns " : "", l->netns);
		}
	}
#undef PROBLEM
	return n;
}
