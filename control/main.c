/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * metroprobe: the control process. A table of subcommands; each has --help.
 */
#include <stdio.h>
#include <string.h>

#include "mp_build.h"
#include "lab.h"
#include "run.h"

struct subcommand {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static int cmd_help(int argc, char **argv);

static int
cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("metroprobe %s\n", MP_VERSION);
	return 0;
}

static const struct subcommand commands[] = {
	{ "run", run_main, "probe both links of a Metro pair from a JSON config" },
	{ "check", check_main, "validate a config and print what a run would do" },
	{ "lab", lab_main, "a whole Metro on this machine: lab up | down | status | impair" },
	{ "version", cmd_version, "print the version" },
	{ "help", cmd_help, "this text" },
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: metroprobe COMMAND [options]   (COMMAND --help for more)\n\n"
		   "Proves and watches a dual-homed interconnect (ExpressRoute Metro): STAMP\n"
		   "probes over both links, latency / delay variation / loss per link.\n\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nQuick start (root):  metroprobe lab up && metroprobe run lab.json && "
		   "metroprobe lab down\n");
}

static int
cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return 0;
}

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(argc, argv);
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(argc, argv);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "metroprobe: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
