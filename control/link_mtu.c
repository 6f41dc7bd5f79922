/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A link's MTU and the frame sizes it carries (see link_mtu.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link_mtu.h"
#include "proc.h"

#define LINK_MTU_L2	18u	/* Ethernet header 14 and FCS 4 */
#define LINK_MTU_TAG	4u

uint32_t
link_mtu_max_frame(uint32_t mtu, int n_tags)
{
	return mtu + LINK_MTU_L2 + LINK_MTU_TAG * (uint32_t)(n_tags > 0 ? n_tags : 0);
}

bool
link_mtu_carries(uint32_t mtu, uint32_t frame_size, int n_tags)
{
	return frame_size <= link_mtu_max_frame(mtu, n_tags);
}

uint32_t
link_mtu_parse(const char *line)
{
	const char *p = line != NULL ? strstr(line, " mtu ") : NULL;
	unsigned long v;
	char *end;

	if (p == NULL)
		return 0;
	v = strtoul(p + 5, &end, 10);
	return end != p + 5 && v > 0 && v < 1000000 ? (uint32_t)v : 0;
}

uint32_t
link_mtu_get(const struct mp_link_cfg *l, bool *known)
{
	const char *p = strstr(l->port, "iface=");
	char ifname[64], *argv[] = { "ip", "-o", "link", "show", "dev", ifname, NULL }, *out;
	uint32_t mtu = 0;
	size_t n;

	*known = false;
	if (p == NULL || l->port_is_pci)
		return LINK_MTU_DEFAULT;
	p += strlen("iface=");
	n = strcspn(p, ",");
	if (n == 0 || n >= sizeof(ifname))
		return LINK_MTU_DEFAULT;
	memcpy(ifname, p, n);
	ifname[n] = '\0';
	out = mp_proc_capture(l->netns[0] != '\0' ? l->netns : NULL, argv);
	mtu = link_mtu_parse(out);
	free(out);
	if (mtu == 0)
		return LINK_MTU_DEFAULT;
	*known = true;
	return mtu;
}
