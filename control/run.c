/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `metroprobe run` and `metroprobe check`: their command lines. A run is
 * run_once() (run_once.c) with the config loaded and adjusted; a sweep is
 * one run per frame size (sweep.c).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board.h"
#include "config.h"
#include "hostport.h"
#include "dp_args.h"
#include "preflight.h"
#include "run.h"
#include "run_once.h"
#include "sweep.h"
#include "util.h"

int
run_load_config(const char *path, struct mp_config *cfg)
{
	char err[512];

	if (mp_config_load(path, cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "metroprobe: %s\n", err);	/* err names the file */
		return -EINVAL;
	}
	if (cfg->provider_warning[0] != '\0')
		fprintf(stderr, "metroprobe: warning: %s\n", cfg->provider_warning);
	return 0;
}

/* The dataplane binary check would name; "" in err when it is there. */
static void
check_find_dp(const struct mp_config *cfg, char *dp, size_t len, char *err, size_t errlen)
{
	const char *b = cfg->dp.binary;

	err[0] = '\0';
	if (strchr(b, '/') != NULL ? access(b, X_OK) == 0 : mp_find_binary(b, dp, len) == 0) {
		if (strchr(b, '/') != NULL)
			snprintf(dp, len, "%s", b);
		return;
	}
	snprintf(dp, len, "%s", b);
	snprintf(err, errlen, "dataplane.binary: %s not found%s", dp,
		 strchr(dp, '/') != NULL ? "" :
		 " (next to metroprobe, in the build tree, on PATH or METROPROBE_DP)");
}

static void
check_print(const struct mp_config *cfg, const char *dp)
{
	struct dp_args_opts o = {
		.binary = dp,
		.sock_path = "SOCKET",
		.no_huge = !cfg->dp.hugepages,
		.no_huge_mb = preflight_no_huge_mb(cfg),
	};
	struct dp_args a;
	int i;

	dp_args_build(&a, cfg, &o);
	printf("config ok: %s, links", cfg->metro);
	for (i = 0; i < cfg->n_links; i++)
		printf(" %s (%s)", cfg->links[i].name, link_kind_where(&cfg->links[i]));
	printf("\n");
	if (cfg->links[0].netns[0] != '\0')
		printf("netns: %s\n", cfg->links[0].netns);
	if (o.no_huge)
		printf("memory: --no-huge -m %ld\n", o.no_huge_mb);
	else if (preflight_all_vdev(cfg))
		printf("memory: %ld hugepages of 2 MB (run reserves them when fewer are free and it "
		       "is root; else it runs with --no-huge -m %ld)\n", preflight_hugepages(cfg),
		       o.no_huge_mb);
	else
		printf("memory: %ld hugepages of 2 MB (run reserves them when fewer are free and it "
		       "is root; PCI ports cannot do without)\n", preflight_hugepages(cfg));
	printf("dataplane:");
	for (i = 0; i < a.argc; i++)
		printf(" %s", a.argv[i]);
	printf("\n");
}

int
check_main(int argc, char **argv)
{
	struct mp_config *cfg;
	char dp[PATH_MAX], dp_err[PATH_MAX + 128], problems[2048];
	int rc = 0;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(argc == 2 ? stdout : stderr,
			"usage: metroprobe check CONFIG\n"
			"Validates CONFIG and what a run of it needs on this machine (the dataplane\n"
			"binary, each link's network namespace and interface, vdev kinds, PCI\n"
			"devices), and prints the dataplane command a run would start.\n"
			"Exit: 0 ok, 1 a run would fail here (one line saying why), 2 bad config.\n");
		return argc == 2 ? 0 : 2;
	}
	cfg = calloc(1, sizeof(*cfg));
	if (cfg == NULL)
		return 1;
	if (run_load_config(argv[1], cfg) != 0) {
		free(cfg);
		return 2;
	}
	check_find_dp(cfg, dp, sizeof(dp), dp_err, sizeof(dp_err));
	if (preflight_problems(cfg, dp_err, problems, sizeof(problems)) != 0) {
		fprintf(stderr, "metroprobe: %s: a run would fail here: %s\n", argv[1], problems);
		rc = 1;
	} else {
		check_print(cfg, dp);
	}
	free(cfg);
	return rc;
}

static void
run_usage(FILE *f)
{
	fprintf(f,
		"usage: metroprobe run CONFIG [--duration S] [--out DIR] [--quiet] [--frame-size F] "
		"[--listen ADDR:PORT]\n"
		"       metroprobe run CONFIG --sweep[=LIST] [--duration S] [--out DIR] [--quiet]\n"
		"       metroprobe run CONFIG --attach SOCKET [--out DIR] [--quiet]\n"
		"Probes both links of the config's Metro pair. Prints one line per link per\n"
		"second, then a summary table; writes DIR/intervals.jsonl (one record per link\n"
		"per interval), DIR/events.jsonl, DIR/summary.json and DIR/dataplane.log.\n"
		"  --duration S   seconds to probe (overrides duration_s; 0 = until Ctrl-C)\n"
		"  --out DIR      output directory (overrides out_dir)\n"
		"  --quiet        no live lines or events (the summary table is still printed)\n"
		"  --frame-size F frame size (or mix: imix, 64:7+570:4+1518:1) for every link\n"
		"  --sweep[=LIST] one run per frame size (default " SWEEP_DEFAULT "),\n"
		"                 RFC 2544 style, each in DIR/size-N; DIR/sweep.json and a table\n"
		"  --attach SOCKET  do not start the dataplane: listen on SOCKET for one started\n"
		"                 by hand (metroprobe-dp ... -- probe --socket SOCKET --control-lost\n"
		"                 keep ...), which keeps its records while no control is there and\n"
		"                 sends them when one attaches again; the run lasts until the\n"
		"                 dataplane ends, or Ctrl-C, which leaves it running (no --duration,\n"
		"                 --frame-size or --sweep: they are the dataplane's). DIR's files are\n"
		"                 appended to: a control started again (after kill -9 too) resumes\n"
		"                 after the last record written there, nothing lost or repeated\n"
		"  --listen ADDR:PORT  serve /metrics (Prometheus), /healthz and /summary over\n"
		"                 HTTP while the run goes (e.g. " HOSTPORT_DEFAULT ", [::1]:9862)\n"
		"Exit: 0 complete, 1 the run failed, 2 bad config or usage, 3 complete but a link\n"
		"had an outage or lost every probe, 4 complete but a link did not reach its rate\n"
		"(more than 2%% of the probes due not sent), 130 interrupted.\n");
}

/* What the command line asked for beyond the config. */
struct run_cli {
	const char *out, *dur, *frame, *sweep, *attach, *listen;
	bool quiet;
};

int
run_set_duration(struct mp_config *cfg, const char *text)
{
	char *end;
	unsigned long v = strtoul(text, &end, 10);

	if (*text == '\0' || *end != '\0' || v > 10ul * 366 * 86400) {
		fprintf(stderr, "metroprobe: --duration: '%s' is not a number of seconds\n", text);
		return -EINVAL;
	}
	cfg->duration_s = (uint32_t)v;
	return 0;
}

/* --frame-size and --duration, onto the loaded config. 0, or 2 (said why). */
static int
run_adjust(struct mp_config *cfg, const struct run_cli *cli)
{
	const char *err = NULL;
	struct sockaddr_storage ss;
	socklen_t sslen;
	char err2[192];

	if (cli->attach != NULL && (cli->dur != NULL || cli->frame != NULL || cli->sweep != NULL)) {
		fprintf(stderr, "metroprobe: --attach: the attached dataplane has its own duration "
			"and frame sizes (no --duration, --frame-size or --sweep)\n");
		return 2;
	}
	if (cli->frame != NULL && run_set_frame_size(cfg, cli->frame, &err) != 0) {
		fprintf(stderr, "metroprobe: --frame-size '%s': %s\n", cli->frame, err);
		return 2;
	}
	if (cli->dur != NULL && run_set_duration(cfg, cli->dur) != 0)
		return 2;
	if (cli->listen != NULL && hostport_parse(cli->listen, &ss, &sslen, err2, sizeof(err2)) != 0) {
		fprintf(stderr, "metroprobe: --listen %s\n", err2);
		return 2;
	}
	return 0;
}

/* Options into cli. -1 to go on, else the exit code (help, usage). */
static int
run_parse(int argc, char **argv, struct run_cli *cli)
{
	static const struct option opts[] = {
		{ "duration", required_argument, NULL, 'd' },
		{ "out", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "frame-size", required_argument, NULL, 'f' },
		{ "sweep", optional_argument, NULL, 's' },
		{ "attach", required_argument, NULL, 'a' },
		{ "listen", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "d:o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cli->dur = optarg;
			break;
		case 'o':
			cli->out = optarg;
			break;
		case 'q':
			cli->quiet = true;
			break;
		case 'f':
			cli->frame = optarg;
			break;
		case 's':
			cli->sweep = optarg != NULL ? optarg : SWEEP_DEFAULT;
			break;
		case 'a':
			cli->attach = optarg;
			break;
		case 'l':
			cli->listen = optarg;
			break;
		case 'h':
			run_usage(stdout);
			return 0;
		default:
			run_usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		run_usage(stderr);
		return 2;
	}
	return -1;
}

/* The run's board, for the endpoint (--listen): large, and one per process. */
static struct board run_board;

int
run_main(int argc, char **argv)
{
	struct run_cli cli = { 0 };
	struct run_opts o = { 0 };
	struct mp_config *cfg;
	int rc = run_parse(argc, argv, &cli);

	if (rc >= 0)
		return rc;
	cfg = calloc(1, sizeof(*cfg));
	if (cfg == NULL)
		return 1;
	o.config_path = argv[optind];
	o.out_dir = cli.out;
	o.quiet = cli.quiet;
	o.attach_path = cli.attach;
	o.listen = cli.listen;
	if (cli.listen != NULL) {
		o.board = &run_board;	/* what the endpoint shows of the sinks' judgement */
		run_board.pair_up = BOARD_UNKNOWN;
	}
	if (run_load_config(o.config_path, cfg) != 0)
		rc = 2;
	else if (run_adjust(cfg, &cli) != 0)
		rc = 2;
	else if (cli.sweep != NULL)
		rc = sweep_run(cfg, &o, cli.sweep);
	else
		rc = run_once(cfg, &o);
	free(cfg);
	return rc;
}
