/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One run (see run_once.h): set up what the dataplane needs (its binary,
 * hugepages, the output directory, the socket), start or attach to it, and
 * turn the loop: a signalfd (Ctrl-C, the child's exit), a one-second tick
 * for the sinks, and the dataplane connection, which hands each record to
 * the sinks. Then the outcome, which the sinks report.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mp_mix.h"
#include "board.h"
#include "dp_args.h"
#include "dp_prep.h"
#include "dpconn.h"
#include "dplog.h"
#include "loop.h"
#include "preflight.h"
#include "run_once.h"
#include "sigwatch.h"
#include "sink.h"
#include "util.h"

struct run {
	const struct mp_config *cfg;
	const struct run_opts *opts;
	char out_dir[PATH_MAX];
	char dp_log[PATH_MAX];
	struct dp_prep prep;		/* the binary, the hugepages (given back at the end) */
	struct dp_args dp_args;
	struct loop *loop;
	struct dpconn *conn;
	struct sink_env env;
	struct sinks sinks;
	bool sinks_open;
	int sig_fd;
	bool interrupted;
	uint64_t start_ns;
};

/* The connection hands each record to every sink. */
static void
run_on_record(void *cookie, const struct dprec *rec)
{
	struct run *r = cookie;

	if (r->opts->board != NULL)
		r->opts->board->duplicate_records = dpconn_state(r->conn)->duplicates;
	sinks_record(&r->sinks, rec);
}

static void
run_on_done(void *cookie)
{
	loop_stop(((struct run *)cookie)->loop);
}

static void
run_on_tick(struct loop *l, uint64_t id, void *cookie)
{
	(void)l;
	(void)id;
	sinks_tick(&((struct run *)cookie)->sinks, loop_now_ns());
}

/* Ctrl-C: stop sending (the dataplane drains in-flight probes); twice: kill. */
static void
run_interrupt(struct run *r)
{
	if (r->interrupted) {
		dpconn_kill(r->conn);
		return;
	}
	r->interrupted = true;
	if (!r->opts->quiet && r->opts->attach_path == NULL)
		printf("stopping: waiting up to %u ms for probes in flight\n",
		       r->cfg->loss_timeout_ms);
	else if (!r->opts->quiet)
		printf("stopping: the dataplane goes on probing; attach again with --attach %s\n",
		       r->opts->attach_path);
	dpconn_stop(r->conn, r->cfg->loss_timeout_ms);
}

static void
run_on_signal(struct loop *l, int fd, unsigned int ev, void *cookie)
{
	struct run *r = cookie;
	struct signalfd_siginfo si;

	(void)l;
	(void)ev;
	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			dpconn_reap(r->conn);
		else
			run_interrupt(r);
	}
}

/* The output directory, the sinks and the connection's socket. 0, or -1 (said why). */
static int
run_open(struct run *r)
{
	struct dpconn_opts co = {
		.attach_path = r->opts->attach_path,
		.resume_dir = r->opts->attach_path != NULL ? r->out_dir : NULL,
		.on_record = run_on_record,
		.on_done = run_on_done,
		.cookie = r,
	};
	int i, rc;

	if (mp_mkdir_p(r->out_dir, 0755) != 0) {
		fprintf(stderr, "metroprobe: cannot create %s: %s\n", r->out_dir, strerror(errno));
		return -1;
	}
	if (r->opts->attach_path == NULL)
		snprintf(r->dp_log, sizeof(r->dp_log), "%s/dataplane.log", r->out_dir);
	if ((r->loop = loop_create()) == NULL)
		return -1;
	r->env = (struct sink_env){
		.cfg = r->cfg, .config_path = r->opts->config_path, .out_dir = r->out_dir,
		.dp_log = r->dp_log, .attach_path = r->opts->attach_path,
		.quiet = r->opts->quiet, .console = stdout,
		.bus = &r->sinks.bus, .board = r->opts->board,
		.loop = r->loop, .listen = r->opts->listen,
	};
	if (sinks_open(&r->sinks, r->opts->sinks != NULL ? r->opts->sinks : sink_table,
		       &r->env) != 0)
		return -1;
	r->sinks_open = true;
	co.loop = r->loop;
	co.links.n = r->cfg->n_links;
	for (i = 0; i < r->cfg->n_links; i++)
		co.links.name[i] = r->cfg->links[i].name;
	r->conn = dpconn_create(&co);
	rc = r->conn != NULL ? dpconn_listen(r->conn) : -ENOMEM;
	if (rc == -EADDRINUSE)
		fprintf(stderr, "metroprobe: another metroprobe is attached on %s\n",
			r->opts->attach_path);
	else if (rc != 0)
		fprintf(stderr, "metroprobe: cannot create the record socket: %s\n", strerror(-rc));
	return rc != 0 ? -1 : 0;
}

/* What check finds would make DPDK fail less clearly: say it, and stop. */
static int
run_preflight(struct run *r)
{
	char problems[2048];
	struct run_outcome o = { .end_reason = "cannot_start", .verdict = "ok", .exit_code = 1 };

	if (preflight_problems(r->cfg, "", problems, sizeof(problems)) == 0)
		return 0;
	fprintf(stderr, "metroprobe: %s: the run cannot start here: %s\n", r->opts->config_path,
		problems);
	o.start_unix_ns = o.stop_unix_ns = mp_now_ns();
	sinks_close(&r->sinks, &o);
	r->sinks_open = false;
	return -1;
}

/* Signals through the loop; the one-second tick. */
static int
run_watch(struct run *r)
{
	r->sig_fd = sigwatch_open(r->loop, run_on_signal, r);
	if (r->sig_fd < 0 ||
	    loop_timer_add(r->loop, 1000000000ull, 1000000000ull, run_on_tick, r) == 0)
		return -1;
	return 0;
}

static void
run_header(const struct run *r)
{
	const struct mp_config *c = r->cfg;
	int i;

	if (r->opts->quiet)
		return;
	printf("metroprobe: %s, links", c->metro);
	for (i = 0; i < c->n_links; i++)
		printf(" %s (%s, %s)", c->links[i].name, link_kind_where(&c->links[i]),
		       c->links[i].rate_text);
	if (r->opts->attach_path != NULL)
		printf(", attached to the dataplane on %s (until it ends, or Ctrl-C)",
		       r->opts->attach_path);
	else if (c->duration_s)
		printf(", %u s", c->duration_s);
	else
		printf(", until Ctrl-C");
	printf("\n");
}

/* Start the dataplane, or wait for it to attach. 0, or -1 (said why). */
static int
run_start(struct run *r)
{
	struct dp_args_opts o = {
		.binary = r->prep.binary,
		.sock_path = dpconn_socket_path(r->conn),
		.no_huge = r->prep.no_huge,
		.no_huge_mb = preflight_no_huge_mb(r->cfg),
	};
	int rc;

	if (r->opts->attach_path != NULL) {
		if (run_watch(r) != 0)
			return -1;
		run_header(r);
		r->start_ns = mp_now_ns();
		return dpconn_attach(r->conn) == 0 ? 0 : -1;
	}
	dp_args_build(&r->dp_args, r->cfg, &o);
	if (run_watch(r) != 0)
		return -1;
	run_header(r);
	r->start_ns = mp_now_ns();
	rc = dpconn_spawn(r->conn, r->dp_args.argv, r->cfg->links[0].netns, r->dp_log);
	if (rc != 0) {
		fprintf(stderr, "metroprobe: fork: %s\n", strerror(-rc));
		return -1;
	}
	return 0;
}

static void
run_print_log_tail(const char *path)
{
	char *log = mp_read_file(path, NULL), *p;
	int lines = 0;

	if (log == NULL)
		return;
	for (p = log + strlen(log); p > log; p--)
		if (*p == '\n' && ++lines > 12)
			break;
	fprintf(stderr, "--- last lines of %s ---\n%s\n", path, p == log ? p : p + 1);
	free(log);
}

/* Why an incomplete run ended: the cause the dataplane's log gives first. */
static void
run_say_failed(const struct run *r, const struct run_outcome *o)
{
	char *log, cause[768];

	if (r->dp_log[0] != '\0') {
		log = mp_read_file(r->dp_log, NULL);
		/* first the cause EAL gave, not the errno it ended with */
		if (dplog_cause(log, r->prep.no_huge ? 0 : r->prep.hp_pages, cause,
				sizeof(cause)) == 0)
			fprintf(stderr, "metroprobe: %s\n", cause);
		free(log);
	}
	fprintf(stderr, "metroprobe: the dataplane failed (%s", o->end_reason);
	if (o->dp_exited && WIFEXITED(o->dp_status))
		fprintf(stderr, ", exit %d", WEXITSTATUS(o->dp_status));
	else if (o->dp_exited && WIFSIGNALED(o->dp_status))
		fprintf(stderr, ", killed by signal %d", WTERMSIG(o->dp_status));
	fprintf(stderr, "); the run is incomplete\n");
	if (r->dp_log[0] != '\0')
		run_print_log_tail(r->dp_log);
}

/*
 * How the run went. Spawned: complete when the dataplane exited 0 after its
 * end record. Attached: when its end record says it went its whole course.
 */
static void
run_outcome(const struct run *r, struct run_outcome *o)
{
	const struct dpconn_state *st = dpconn_state(r->conn);

	*o = (struct run_outcome){
		.dp_exited = st->exited, .dp_status = st->status,
		.start_unix_ns = r->start_ns, .stop_unix_ns = mp_now_ns(),
		.records = st->records, .bad_records = st->bad_records, .verdict = "ok",
		.duplicate_records = st->duplicates,
	};
	if (r->interrupted)
		o->end_reason = "interrupted";
	else if (r->opts->attach_path != NULL && st->got_end)
		o->end_reason = strcmp(st->end_reason, "duration") == 0 ? "duration" :
				"dataplane_failed";
	else if (r->opts->attach_path == NULL &&
		 (!st->exited || !WIFEXITED(st->status) || WEXITSTATUS(st->status) != 0))
		o->end_reason = "dataplane_failed";
	else if (!st->got_end)
		o->end_reason = "dataplane_no_end";
	else
		o->end_reason = "duration";
	o->complete = strcmp(o->end_reason, "duration") == 0;
	o->exit_code = o->complete ? 0 : r->interrupted ? 130 : 1;
}

/* The loop has ended: the outcome, through the sinks; the closing line. */
static int
run_finish(struct run *r)
{
	struct run_outcome o;

	run_outcome(r, &o);
	if (!o.complete && !r->interrupted)
		run_say_failed(r, &o);
	sinks_close(&r->sinks, &o);
	r->sinks_open = false;
	printf("\n%s%s%s: %s/summary.json %s/intervals.jsonl %s/events.jsonl%s%s\n",
	       o.complete ? "complete" : "INCOMPLETE", strcmp(o.verdict, "ok") != 0 ? ", verdict " : "",
	       strcmp(o.verdict, "ok") != 0 ? o.verdict : "", r->out_dir, r->out_dir, r->out_dir,
	       r->dp_log[0] != '\0' ? " " : "", r->dp_log);
	return o.exit_code;
}

/* Undo what the run set up, the dataplane first (it holds the hugepages). */
static void
run_close(struct run *r)
{
	char path[PATH_MAX];
	bool spawned = r->conn != NULL && dpconn_state(r->conn)->pid > 0;

	if (r->sinks_open)
		sinks_close(&r->sinks, NULL);
	dpconn_destroy(r->conn);	/* kills and reaps a dataplane still running */
	dp_prep_release(&r->prep);
	if (spawned) {
		/* EAL leaves its (empty, with --in-memory) runtime directory behind */
		snprintf(path, sizeof(path), "/var/run/dpdk/mp-run-%d", (int)getpid());
		rmdir(path);
	}
	if (r->sig_fd >= 0)
		close(r->sig_fd);
	loop_destroy(r->loop);
}

int
run_once(const struct mp_config *cfg, const struct run_opts *opts)
{
	struct run *r = calloc(1, sizeof(*r));
	int rc = 1;

	if (r == NULL)
		return 1;
	r->cfg = cfg;
	r->opts = opts;
	r->sig_fd = -1;
	snprintf(r->out_dir, sizeof(r->out_dir), "%s",
		 opts->out_dir != NULL ? opts->out_dir : cfg->out_dir);
	if (geteuid() != 0)
		fprintf(stderr, "metroprobe: warning: not root; DPDK usually needs root "
			"(hugepages, raw sockets)\n");
	if (opts->attach_path == NULL && dp_prep_find(cfg, &r->prep) != 0)
		goto out;
	if (run_open(r) != 0)
		goto out;
	if (opts->attach_path == NULL &&
	    (run_preflight(r) != 0 || dp_prep_hugepages(cfg, "run", &r->prep) != 0))
		goto out;
	if (run_start(r) != 0)
		goto out;
	loop_run(r->loop);
	rc = run_finish(r);
out:
	run_close(r);
	free(r);
	return rc;
}

int
run_set_frame_size(struct mp_config *cfg, const char *spec, const char **err)
{
	struct frame_mix mix;
	int i;

	if (frame_mix_parse(spec, PKT_MIN_FRAME, PKT_MAX_FRAME, &mix, err) != 0)
		return -EINVAL;
	for (i = 0; i < cfg->n_links; i++)
		mp_link_cfg_set_frame(&cfg->links[i], &mix);
	return 0;
}
