/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which frame sizes a link carries: its interface's MTU against a frame's
 * IP packet (the frame without Ethernet header, VLAN tags and FCS), so
 * that a sweep or a go-live run skips 9000-byte frames on a 1500-byte link
 * and says so, instead of failing.
 */
#ifndef MP_LINK_MTU_H
#define MP_LINK_MTU_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

#define LINK_MTU_DEFAULT	1500	/* what a port we cannot ask is taken to carry */

/* Does an MTU of mtu carry frames of frame_size bytes (with FCS) with n_tags VLAN tags? */
bool link_mtu_carries(uint32_t mtu, uint32_t frame_size, int n_tags);
/* The largest frame (with FCS) an MTU of mtu carries. */
uint32_t link_mtu_max_frame(uint32_t mtu, int n_tags);
/* The MTU in "... mtu 1500 ..." (ip link's line); 0 when there is none. */
uint32_t link_mtu_parse(const char *ip_link_line);
/*
 * The MTU of link l's interface: a vdev with iface=NAME is asked in the
 * link's netns (ip link); otherwise (a PCI port, whose MTU the dataplane
 * sets) LINK_MTU_DEFAULT, and *known is false: callers then skip nothing.
 */
uint32_t link_mtu_get(const struct mp_link_cfg *l, bool *known);

#endif
