/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `metroprobe lab`: one machine holds a whole Metro. Network namespaces
 * for the on-premises prober side (mp-onprem), the metro's two sites
 * (mp-site-a, mp-site-b) and the provider routers between (mp-rtr-a,
 * mp-rtr-b, and mp-conduit before both in the shared-conduit topology:
 * shared fate on purpose), veth pairs between them. The
 * prober ends carry no kernel addresses: the DPDK dataplane owns them
 * through net_af_packet and answers ARP/ND itself. Each site runs a STAMP
 * reflector: metroprobe-dp (DPDK), the XDP reflector, or the user's own.
 *
 * This file is the command table; each command and concept has its file
 * (lab_internal.h lists them).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lab_internal.h"

struct lab_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct lab_cmd lab_cmds[] = {
	{ "up", lab_up, "create the lab (namespaces, links, reflectors) and lab.json" },
	{ "down", lab_down, "remove everything the lab made (safe to repeat)" },
	{ "status", lab_status, "show the lab [--json]; exit 0 up, 3 down" },
	{ "impair", lab_impair, "impair a site or router: impair a loss=1, impair rtr-a flap=2/5" },
	{ "cut", lab_cut, "cut a routed lab's link: cut a --method blackhole|carrier" },
	{ "restore", lab_restore, "undo lab cut: restore a" },
};

static void
lab_usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: metroprobe lab up|down|status|impair [options]\n"
		"A whole ExpressRoute Metro on this machine: netns mp-onprem (prober),\n"
		"mp-site-a (%s) and mp-site-b (%s), provider routers\n"
		"between them (topologies diverse, shared-conduit, standard, direct), a\n"
		"STAMP reflector per site. Needs root.\n", lab_site_location(0), lab_site_location(1));
	for (i = 0; i < sizeof(lab_cmds) / sizeof(lab_cmds[0]); i++)
		fprintf(f, "  %-7s %s\n", lab_cmds[i].name, lab_cmds[i].summary);
	fprintf(f, "Run 'metroprobe lab COMMAND --help' for its options.\n");
}

int
lab_main(int argc, char **argv)
{
	const struct lab_cmd *cmd = NULL;
	size_t i;
	int a;

	if (argc < 2) {
		lab_usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		lab_usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(lab_cmds) / sizeof(lab_cmds[0]); i++)
		if (strcmp(argv[1], lab_cmds[i].name) == 0)
			cmd = &lab_cmds[i];
	if (cmd == NULL) {
		lab_err("unknown command '%s' (up, down, status, impair, cut, restore; see --help)",
			argv[1]);
		return 2;
	}
	lab_cmd_name = cmd->name;
	for (a = 2; a < argc; a++)
		if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0)
			return cmd->fn(2, (char *[]){ argv[1], "--help", NULL });
	if (geteuid() != 0) {
		lab_err("must be root (the lab creates network namespaces, veth pairs and "
			"hugepages); try sudo");
		return 1;
	}
	return cmd->fn(argc - 1, argv + 1);
}
