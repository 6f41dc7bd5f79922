/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * metroprobe-dp: the DPDK fast path. One binary, one engine per mode:
 *   metroprobe-dp [EAL options] -- probe   [options]   send and time STAMP
 *   metroprobe-dp [EAL options] -- reflect [options]   answer STAMP
 * The only program of the project that links DPDK. main() picks the engine
 * (struct dp_engine) by name, starts EAL and the clock, and hands over.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "mp_build.h"
#include "dp.h"

volatile bool dp_force_quit;

/* The engines, by mode name. */
static const struct dp_engine *const engines[] = {
	&probe_engine,
	&reflect_engine,
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: metroprobe-dp [EAL options] -- probe|reflect [options]\n\n");
	for (i = 0; i < RTE_DIM(engines); i++) {
		const char *s = engines[i]->summary, *nl;

		/* the summary's lines, indented under the name */
		fprintf(f, "  %-8s ", engines[i]->name);
		while ((nl = strchr(s, '\n')) != NULL) {
			fprintf(f, "%.*s\n           ", (int)(nl - s), s);
			s = nl + 1;
		}
		fprintf(f, "%s\n", s);
	}
	fprintf(f,
		"\n"
		"EAL options are DPDK's (-l, --vdev, -a, --no-pci, --in-memory, --file-prefix ...).\n"
		"Without PCI devices named with -a, pass --no-pci: this program never touches a\n"
		"PCI NIC it was not given.\n"
		"Run 'metroprobe-dp -- probe --help' or '-- reflect --help' for mode options.\n"
		"version %s\n", MP_VERSION);
}

static const struct dp_engine *
engine_find(const char *name)
{
	size_t i;

	for (i = 0; i < RTE_DIM(engines); i++)
		if (strcmp(engines[i]->name, name) == 0)
			return engines[i];
	return NULL;
}

static void
on_signal(int sig)
{
	(void)sig;
	dp_force_quit = true;
}

/* Free hugepages of every size, or -1 if the kernel does not say. */
static long
free_hugepages(void)
{
	static const char *const sizes[] = { "hugepages-2048kB", "hugepages-1048576kB" };
	long total = -1;
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char path[128];
		FILE *f;
		long n;

		snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/%s/free_hugepages", sizes[i]);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		if (fscanf(f, "%ld", &n) == 1)
			total = (total < 0 ? 0 : total) + n;
		fclose(f);
	}
	return total;
}

static bool
has_arg(int argc, char **argv, const char *a)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], a) == 0)
			return true;
	return false;
}

/* "--help" or "-h" among the mode's arguments: the engine prints its usage, without EAL. */
static bool
wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return false;
}

int
main(int argc, char **argv)
{
	const struct dp_engine *engine;
	int n, rc;

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("metroprobe-dp %s\n", MP_VERSION);
		return 0;
	}
	/* Refuse early, before EAL probes anything, if no mode was given. */
	for (n = 1; n < argc && strcmp(argv[n], "--") != 0; n++)
		;
	if (n + 1 >= argc) {
		usage(stderr);
		return 2;
	}
	engine = engine_find(argv[n + 1]);
	if (engine == NULL) {
		fprintf(stderr, "metroprobe-dp: unknown mode '%s' (probe or reflect)\n", argv[n + 1]);
		return 2;
	}
	if (wants_help(argc - n - 1, argv + n + 1))
		return engine->main(argc - n - 1, argv + n + 1);

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);

	rc = rte_eal_init(argc, argv);
	if (rc < 0) {
		long free_pages = free_hugepages();

		/* the cause first: EAL ends with EACCES when it merely found no pages */
		if (free_pages == 0 && !has_arg(argc, argv, "--no-huge"))
			fprintf(stderr, "metroprobe-dp: no free hugepages: reserve some (echo 64 > "
				"/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages; metroprobe "
				"run does it as root) or run with --no-huge (config: \"dataplane\": "
				"{\"hugepages\": false})\n");
		fprintf(stderr, "metroprobe-dp: EAL init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	argc -= rc;
	argv += rc;
	/* argv[0] is now "--"'s replacement: the program name, then the mode. */
	if (argc < 2) {
		usage(stderr);
		rte_eal_cleanup();
		return 2;
	}
	dp_clock_init();
	rc = engine->main(argc - 1, argv + 1);
	rte_eal_cleanup();
	return rc;
}
