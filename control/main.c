/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * metroprobe: the control process. A table of subcommands; each has --help.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drill.h"
#include "golive.h"
#include "mp_build.h"
#include "catalog_cmd.h"
#include "diversity_cmd.h"
#include "hugepages_cmd.h"
#include "lab.h"
#include "report_cmd.h"
#include "run.h"
#include "run_once.h"
#include "serve.h"

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

static void
demo_usage(void)
{
	printf("usage: metroprobe demo [--duration S] [--keep-lab]\n"
	       "Brings up the built-in lab (metroprobe lab up), probes both links\n"
	       "for S seconds (20) with metroprobe run lab.json, prints the summary,\n"
	       "and takes the lab down again (unless it was up before, or --keep-lab).\n"
	       "Needs root. Writes lab.json and out/ in the current directory.\n");
}

/* The demo's run: lab.json for dur seconds. */
static int
demo_run(const char *dur)
{
	struct run_opts o = { .config_path = "lab.json" };
	struct mp_config *cfg = calloc(1, sizeof(*cfg));
	int rc = 2;

	if (cfg == NULL)
		return 1;
	if (run_load_config(o.config_path, cfg) == 0 && run_set_duration(cfg, dur) == 0)
		rc = run_once(cfg, &o);
	free(cfg);
	return rc;
}

/*
 * The first thing a new user runs: a lab Metro up, both links probed for
 * 20 s with live lines, the summary, the lab down again (unless it was
 * already up, or --keep-lab).
 */
static int
cmd_demo(int argc, char **argv)
{
	char up0[] = "lab", up1[] = "up", down1[] = "down";
	char *upv[] = { up0, up1, NULL }, *downv[] = { up0, down1, NULL };
	const char *dur = "20";
	bool keep = false, was_up;
	sigset_t all;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--keep-lab") == 0) {
			keep = true;
		} else if (strcmp(argv[i], "--duration") == 0 && i + 1 < argc) {
			dur = argv[++i];
		} else {
			demo_usage();
			return strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0 ? 0 : 2;
		}
	}
	was_up = lab_is_up();
	if (was_up) {
		printf("metroprobe demo: a lab is already up; using it and ./lab.json\n");
	} else {
		rc = lab_main(2, upv);
		if (rc != 0)
			return rc;
	}
	rc = demo_run(dur);
	/* run blocks the stop signals while it works; lab down must not be cut short. */
	if (!was_up && !keep) {
		printf("\n");
		lab_main(2, downv);
	} else {
		printf("the lab is still up: metroprobe lab status; metroprobe lab down\n");
	}
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	return rc;
}

static const struct subcommand commands[] = {
	{ "demo", cmd_demo, "lab up, 20 s of probing with live lines, summary, lab down" },
	{ "run", run_main, "probe both links of a Metro pair from a JSON config" },
	{ "serve", serve_main, "watch both links until stopped: a service (docs/serve.md)" },
	{ "check", check_main, "validate a config and print what a run would do" },
	{ "golive", golive_main, "go-live acceptance: RFC 2544 per link and together, report.json" },
	{ "report", report_main, "a go-live DIR's report.json as one HTML page: report.html" },
	{ "drill", drill_main, "failover drill: cut a link, measure detection, service gap, recovery" },
	{ "lab", lab_main, "a whole Metro on this machine: lab up | down | status | impair" },
	{ "catalog", catalog_main, "the ExpressRoute Metro catalog: locations, facilities, providers" },
	{ "diversity", diversity_main, "a recorded run's site diversity: DIVERSE, SHARED-RISK, ..." },
	{ "hugepages", hugepages_main, "the 2 MB page pool; --pages N -- CMD: reserve, run, give back" },
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
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
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
