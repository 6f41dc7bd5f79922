/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `metroprobe serve`: its command line, and the config as the service runs
 * it: the default rate for links without one, the bandwidth budget, the
 * instance's name, socket and pid file (see serve.h).
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ratebudget.h"
#include "preflight.h"
#include "run.h"
#include "serve.h"

static void
serve_usage(FILE *f)
{
	fprintf(f,
		"usage: metroprobe serve CONFIG [--listen ADDR:PORT] [--out DIR] [--name NAME]\n"
		"                        [--socket PATH] [--allow-rate] [--stop-dataplane]\n"
		"                        [--external-dataplane] [--quiet]\n"
		"       metroprobe serve CONFIG --exec-dataplane [--name NAME] [--socket PATH]\n"
		"Watches both links continuously until SIGTERM or Ctrl-C. The dataplane is a\n"
		"process of its own that outlives serve: serve attaches to it on a stable socket\n"
		"(service.socket, default " SVC_RUN_DIR "/NAME.sock, root-only), or starts one\n"
		"(detached, --control-lost keep, its log DIR/dataplane.log) when none runs, and\n"
		"restarts one that died with back-off (1 s doubling to 60 s; a dataplane restart\n"
		"is reported as a gap event, never as loss). A line per minute on the console;\n"
		"DIR/intervals.jsonl and DIR/events.jsonl (rotated: service.rotate_bytes,\n"
		"rotate_s, keep_files, keep_s), DIR/window.json (the last completed minute,\n"
		"rewritten atomically), DIR/summary.json at exit.\n"
		"Links without a rate probe at service.default_rate (" SVC_DEFAULT_RATE "); a link\n"
		"above service.budget (default 1Mbps on the wire) is refused.\n"
		"  --listen ADDR:PORT  the HTTP endpoint (/metrics, /healthz, /summary);\n"
		"                 default " SERVE_LISTEN_DEFAULT ", none: no endpoint\n"
		"  --out DIR      output directory (overrides out_dir)\n"
		"  --name NAME    the instance (service.name; default the config file's name)\n"
		"  --socket PATH  the dataplane's socket (service.socket)\n"
		"  --allow-rate   run links above the service budget anyway\n"
		"  --stop-dataplane  on SIGTERM stop the dataplane too (it stays up otherwise,\n"
		"                 keeping its records for the next serve)\n"
		"  --external-dataplane  never start or restart the dataplane: systemd's\n"
		"                 metroprobe-dp@NAME unit does (serve still reports gaps)\n"
		"  --exec-dataplane  become the dataplane of CONFIG in the foreground (what\n"
		"                 metroprobe-dp@NAME.service runs): hugepages, then, once\n"
		"                 control's socket is there, the pid file and exec\n"
		"  --quiet        no console lines (the files and the endpoint stay)\n"
		"Exit: 0 stopped by a signal, 1 cannot run, 2 bad config or usage (also a\n"
		"link above the budget).\n");
}

/* Options into o. -1 to go on, else the exit code (help, usage). */
static int
serve_parse(int argc, char **argv, struct serve_opts *o)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "out", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, 'n' },
		{ "socket", required_argument, NULL, 's' },
		{ "allow-rate", no_argument, NULL, 'A' },
		{ "stop-dataplane", no_argument, NULL, 'S' },
		{ "external-dataplane", no_argument, NULL, 'E' },
		{ "exec-dataplane", no_argument, NULL, 'X' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			o->listen = optarg;
			break;
		case 'o':
			o->out_dir = optarg;
			break;
		case 'n':
			o->name = optarg;
			break;
		case 's':
			o->socket = optarg;
			break;
		case 'A':
			o->allow_rate = true;
			break;
		case 'S':
			o->stop_dataplane = true;
			break;
		case 'E':
			o->external = true;
			break;
		case 'X':
			o->exec_dataplane = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			serve_usage(stdout);
			return 0;
		default:
			serve_usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		serve_usage(stderr);
		return 2;
	}
	o->config_path = argv[optind];
	return -1;
}

/* The instance's name: --name, service.name, or CONFIG's file name without .json. */
static int
serve_name(struct serve *s)
{
	char tmp[PATH_MAX], *b, *dot;
	size_t i;

	snprintf(tmp, sizeof(tmp), "%s", s->o->config_path);
	b = basename(tmp);
	if ((dot = strstr(b, ".json")) != NULL && dot[5] == '\0')
		*dot = '\0';
	snprintf(s->name, sizeof(s->name), "%s", s->o->name != NULL ? s->o->name :
		 s->cfg->service.name[0] != '\0' ? s->cfg->service.name : b);
	for (i = 0; s->name[i] != '\0'; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-",
			   s->name[i]) == NULL)
			break;
	if (s->name[0] == '\0' || s->name[i] != '\0') {
		fprintf(stderr, "metroprobe: serve: the instance name '%s' is not [A-Za-z0-9_-] "
			"(set service.name or --name)\n", s->name);
		return -1;
	}
	return 0;
}

/* Name, socket, pid file (beside the socket), output directory, dataplane log. */
static int
serve_paths(struct serve *s)
{
	const char *sock = s->o->socket != NULL ? s->o->socket : s->cfg->service.socket;
	char dir[sizeof(s->sock)];

	if (serve_name(s) != 0)
		return -1;
	if (sock[0] != '\0' && strlen(sock) >= sizeof(s->sock)) {
		fprintf(stderr, "metroprobe: serve: --socket %s: longer than %zu characters\n", sock,
			sizeof(s->sock) - 1);
		return -1;
	}
	if (sock[0] != '\0')
		snprintf(s->sock, sizeof(s->sock), "%s", sock);
	else
		snprintf(s->sock, sizeof(s->sock), "%s/%s.sock", SVC_RUN_DIR, s->name);
	snprintf(dir, sizeof(dir), "%s", s->sock);
	snprintf(s->pidfile, sizeof(s->pidfile), "%s/%s.pid", dirname(dir), s->name);
	snprintf(s->out_dir, sizeof(s->out_dir), "%s",
		 s->o->out_dir != NULL ? s->o->out_dir : s->cfg->out_dir);
	snprintf(s->dp_log, sizeof(s->dp_log), "%s/dataplane.log", s->out_dir);
	snprintf(s->prefix, sizeof(s->prefix), "mp-serve-%s", s->name);
	return 0;
}

/* The service's rates: the default for links without one, then the budget. 0, or 2. */
static int
serve_rates(struct serve *s)
{
	char msg[512];

	s->cfg->duration_s = 0;		/* a service runs until stopped */
	ratebudget_apply_default(s->cfg);
	if (ratebudget_check(s->cfg, msg, sizeof(msg)) == 0)
		return 0;
	if (!s->o->allow_rate) {
		fprintf(stderr, "metroprobe: %s: %s\n", s->o->config_path, msg);
		return 2;
	}
	fprintf(stderr, "metroprobe: warning (--allow-rate): %s\n", msg);
	return 0;
}

/* systemd's dataplane unit: the dataplane of CONFIG, in the foreground, as this process. */
static int
serve_exec_dataplane(struct serve *s)
{
	struct stat st;
	int rc, i;

	if (dp_prep_find(s->cfg, &s->prep) != 0 ||
	    dp_prep_hugepages(s->cfg, "serve", &s->prep) != 0 || serve_dp_args(s) != 0)
		return 1;
	/*
	 * metroprobe-dp connects to control at its start: when control is not
	 * listening yet (systemd starts this unit first), wait for its socket.
	 * Only its presence: a connection would look like a dataplane to it.
	 */
	for (i = 0; stat(s->sock, &st) != 0 || !S_ISSOCK(st.st_mode); i++) {
		if (i == 0)
			printf("serve: waiting for control's socket %s\n", s->sock);
		fflush(stdout);
		usleep(100000);
	}
	fflush(NULL);
	rc = dpsup_exec(s->args.argv, s->cfg->links[0].netns, s->pidfile);
	fprintf(stderr, "metroprobe: cannot start %s: %s\n", s->args.argv[0], strerror(-rc));
	return 1;
}

int
serve_main(int argc, char **argv)
{
	struct serve_opts o = { 0 };
	struct serve *s;
	int rc = serve_parse(argc, argv, &o);

	if (rc >= 0)
		return rc;
	s = calloc(1, sizeof(*s));
	if (s == NULL || (s->cfg = calloc(1, sizeof(*s->cfg))) == NULL) {
		free(s);
		return 1;
	}
	s->o = &o;
	s->sig_fd = -1;
	if (run_load_config(o.config_path, s->cfg) != 0 || serve_paths(s) != 0)
		rc = 2;
	else if ((rc = serve_rates(s)) != 0)
		;
	else if (o.exec_dataplane)
		rc = serve_exec_dataplane(s);
	else
		rc = serve_run(s);
	free(s->cfg);
	free(s);
	return rc;
}
