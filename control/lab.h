/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `metroprobe lab`: a whole ExpressRoute Metro on this machine. Network
 * namespaces for the on-premises prober side, provider routers and two
 * sites, veth pairs as the links' segments, a STAMP reflector in each
 * site, shared fate by choice of topology.
 */
#ifndef MP_LAB_H
#define MP_LAB_H

#include <stdbool.h>

/* Fixed names, so that `lab down` can always find what the lab made. */
#define LAB_STATE_DIR		"/run/metroprobe/lab"
#define LAB_STATE_FILE		LAB_STATE_DIR "/state.json"
#define LAB_NS_ONPREM		"mp-onprem"	/* the prober side (dataplane ports) */
#define LAB_NS_SITE_A		"mp-site-a"	/* Amsterdam, Equinix AM5 */
#define LAB_NS_SITE_B		"mp-site-b"	/* Amsterdam2, Digital Realty AMS8 */
#define LAB_NS_RTR_A		"mp-rtr-a"	/* link a's provider router */
#define LAB_NS_RTR_B		"mp-rtr-b"	/* link b's provider router */
#define LAB_NS_CONDUIT		"mp-conduit"	/* the router both links cross (shared-conduit) */
#define LAB_NS_CE		"mp-ce"		/* the routed lab's customer edge router */
#define LAB_NS_VNET		"mp-vnet"	/* the routed lab's VNet (gateway, reflector) */
#define LAB_DEFAULT_CONFIG	"lab.json"

/* Exit code of `lab status` when the lab is down (or only partly there). */
#define LAB_EXIT_DOWN		3

/*
 * Entry point of `metroprobe lab up|down|status|impair`; argv[0] == "lab".
 * Returns the process exit code: 0 ok, 1 failure, 2 usage, 3 status: down.
 */
int lab_main(int argc, char **argv);

/* True when a lab (or what is left of one) exists on this machine. */
bool lab_is_up(void);

#endif
