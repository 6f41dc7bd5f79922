/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Named network namespaces (`ip netns` names, /var/run/netns/NAME). Only
 * the network namespace is entered, unlike `ip netns exec`: BPF pins and
 * files stay the host's.
 */
#ifndef MP_NETNS_H
#define MP_NETNS_H

#include <stdbool.h>
#include <stddef.h>

#define MP_NETNS_DIR	"/var/run/netns"

/* Whether the named namespace exists. */
bool mp_netns_exists(const char *name);
/* Move the calling thread into the named namespace: 0 or -errno. */
int mp_netns_enter(const char *name);

#endif
