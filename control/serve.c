/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * serve's loop (see serve.h): the output directory and the run directory,
 * the sinks, the connection on the stable socket (made again each time a
 * dataplane's stream ends), the signals, a one-second tick (the sinks, the
 * watchdog, the supervision), and the records: each interval record is
 * checked for a new dataplane instance (a gap) before the sinks get it.
 */
#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dpconn.h"
#include "loop.h"
#include "sdnotify.h"
#include "serve.h"
#include "sigwatch.h"
#include "util.h"

#define NS	1000000000ull

void
serve_event(struct serve *s, const char *event, cJSON *fields, const char *fmt, ...)
{
	char detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (fields == NULL)
		fields = cJSON_CreateObject();
	cJSON_AddStringToObject(fields, "detail", detail);
	sink_emit(&s->sinks.bus, "service", event, fields);
	sinks_drain(&s->sinks);
	sdn_status(detail);
}

/* A dataplane restart: nothing was measured from sp->start_ns to sp->end_ns. */
static void
serve_gap(struct serve *s, const struct dpgap_span *sp)
{
	cJSON *f = cJSON_CreateObject();
	char a[40], b[40], num[24];
	double len = (double)(sp->end_ns - sp->start_ns) / 1e9;

	mp_utc_iso(a, sizeof(a), sp->start_ns, 1);
	mp_utc_iso(b, sizeof(b), sp->end_ns, 1);
	cJSON_AddStringToObject(f, "start", a);
	cJSON_AddStringToObject(f, "end", b);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)sp->start_ns);
	cJSON_AddRawToObject(f, "start_unix_ns", num);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)sp->end_ns);
	cJSON_AddRawToObject(f, "end_unix_ns", num);
	cJSON_AddNumberToObject(f, "length_s", len);
	cJSON_AddNumberToObject(f, "old_pid", (double)sp->old_inst);
	cJSON_AddNumberToObject(f, "new_pid", (double)sp->new_inst);
	s->board.gaps++;
	s->board.gap_ns += sp->end_ns - sp->start_ns;
	serve_event(s, "gap", f, "no measurements for %.3f s, %s to %s: the dataplane was "
		    "restarted; a gap, not loss", len, a, b);
}

static void
serve_on_record(void *cookie, const struct dprec *rec)
{
	struct serve *s = cookie;
	const struct link_interval *li = rec->interval;
	struct dpgap_span sp;

	if (rec->type == DPREC_INTERVAL && rec->link >= 0) {
		if (s->records == 0 || !s->board.dataplane_up)
			serve_dp_identify(s);	/* who sends: the pid file may name a new one */
		if (dpgap_record(&s->gap, (uint64_t)s->dp.pid, (unsigned int)rec->link, li->seq,
				 li->start_unix_ns, li->end_unix_ns, &sp))
			serve_gap(s, &sp);
		s->records++;
		s->board.dataplane_up = true;
		s->board.last_record_unix_ns = rec->recv_unix_ns;
		s->board.duplicate_records = dpconn_state(s->conn)->duplicates;
		if (!s->ready) {
			s->ready = true;
			sdn_ready("probing: the dataplane's first record arrived");
			if (!s->o->quiet)
				printf("serve: the dataplane's records arrive; a line per %u s\n",
				       s->cfg->service.window_s);
		}
	}
	sinks_record(&s->sinks, rec);
}

static void serve_on_done(void *cookie);

/* Listen on the stable socket for the (next) dataplane. 0, or -1 (said why). */
static int
serve_listen(struct serve *s)
{
	struct dpconn_opts co = {
		.loop = s->loop, .attach_path = s->sock, .on_record = serve_on_record,
		.on_done = serve_on_done, .cookie = s,
		.resume_dir = s->out_dir,	/* a restarted serve goes on after its last record */
	};
	int i, rc;

	co.links.n = s->cfg->n_links;
	for (i = 0; i < s->cfg->n_links; i++)
		co.links.name[i] = s->cfg->links[i].name;
	s->conn = dpconn_create(&co);
	rc = s->conn != NULL ? dpconn_listen(s->conn) : -ENOMEM;
	if (rc == 0)
		rc = dpconn_attach(s->conn);
	if (rc == -EADDRINUSE)
		fprintf(stderr, "metroprobe: serve: another serve is attached on %s\n", s->sock);
	else if (rc != 0)
		fprintf(stderr, "metroprobe: serve: cannot listen on %s: %s\n", s->sock,
			strerror(-rc));
	return rc != 0 ? -1 : 0;
}

/* The stream ended (out of the connection's own callback): listen afresh. */
static void
serve_on_redial(struct loop *l, uint64_t id, void *cookie)
{
	struct serve *s = cookie;

	(void)id;
	s->redial_timer = 0;
	dpconn_destroy(s->conn);
	s->conn = NULL;
	s->board.dataplane_up = false;
	if (serve_listen(s) != 0)
		loop_stop(l);
}

static void
serve_on_done(void *cookie)
{
	struct serve *s = cookie;

	if (s->stopping) {
		loop_stop(s->loop);
		return;
	}
	if (s->redial_timer == 0)
		s->redial_timer = loop_timer_add(s->loop, 1, 0, serve_on_redial, s);
}

static void
serve_on_stop_timeout(struct loop *l, uint64_t id, void *cookie)
{
	(void)id;
	(void)cookie;
	fprintf(stderr, "metroprobe: serve: the dataplane did not end its stream; leaving\n");
	loop_stop(l);
}

/* SIGTERM, Ctrl-C: leave (the dataplane stays, unless --stop-dataplane); twice: now. */
static void
serve_stop(struct serve *s)
{
	if (s->stopping || !s->o->stop_dataplane || s->conn == NULL ||
	    !dpconn_state(s->conn)->connected) {
		if (s->o->stop_dataplane && !s->stopping)
			serve_dp_stop(s);
		s->stopping = true;
		loop_stop(s->loop);
		return;
	}
	s->stopping = true;
	sdn_stopping();
	serve_dp_stop(s);
	/* its end record and what it still has, then the stream closes (serve_on_done) */
	s->stop_timer = loop_timer_add(s->loop, (s->cfg->loss_timeout_ms + 5000ull) * 1000000ull,
				       0, serve_on_stop_timeout, s);
}

static void
serve_on_signal(struct loop *l, int fd, unsigned int ev, void *cookie)
{
	struct serve *s = cookie;
	struct signalfd_siginfo si;

	(void)l;
	(void)ev;
	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGINT || si.ssi_signo == SIGTERM)
			serve_stop(s);
		else if (si.ssi_signo == SIGHUP && !s->o->quiet)
			printf("serve: SIGHUP ignored (SIGTERM stops serve)\n");
	}
}

static void
serve_on_tick(struct loop *l, uint64_t id, void *cookie)
{
	struct serve *s = cookie;

	(void)l;
	(void)id;
	sdn_watchdog();
	serve_dp_check(s);
	sinks_tick(&s->sinks, loop_now_ns());
}

/* The standard sinks but the per-second live view, then the window and the status line. */
static void
serve_sink_list(struct serve *s)
{
	int i, n = 0;

	for (i = 0; sink_table[i] != NULL && n < SINKS_MAX - 2; i++)
		if (sink_table[i] != &sink_live_ops)
			s->list[n++] = sink_table[i];
	s->list[n++] = &sink_window_ops;
	s->list[n++] = &sink_status_ops;
	s->list[n] = NULL;
}

static void
serve_board(struct serve *s)
{
	int i;

	s->board.n_links = s->cfg->n_links;
	for (i = 0; i < s->cfg->n_links && i < BOARD_LINKS_MAX; i++) {
		snprintf(s->board.link[i].name, sizeof(s->board.link[i].name), "%s",
			 s->cfg->links[i].name);
		snprintf(s->board.link[i].location, sizeof(s->board.link[i].location), "%s",
			 s->cfg->links[i].location);
		s->board.link[i].up = BOARD_UNKNOWN;
	}
	s->board.pair_up = BOARD_UNKNOWN;
	s->board.output_ok = true;
}

/* Directories, sinks, the socket, signals, the tick. 0, or -1 (said why). */
static int
serve_open(struct serve *s)
{
	char dir[sizeof(s->sock)];
	const char *listen = s->o->listen != NULL ? s->o->listen : SERVE_LISTEN_DEFAULT;

	snprintf(dir, sizeof(dir), "%s", s->sock);
	if (mp_mkdir_p(s->out_dir, 0755) != 0 || mp_mkdir_p(dirname(dir), 0700) != 0) {
		fprintf(stderr, "metroprobe: serve: cannot create %s: %s\n",
			access(s->out_dir, W_OK) != 0 ? s->out_dir : s->sock, strerror(errno));
		return -1;
	}
	if ((s->loop = loop_create()) == NULL)
		return -1;
	serve_sink_list(s);
	serve_board(s);
	s->env = (struct sink_env){
		.cfg = s->cfg, .config_path = s->o->config_path, .out_dir = s->out_dir,
		.dp_log = s->dp_log, .attach_path = s->sock, .quiet = s->o->quiet, .service = true,
		.console = stdout, .bus = &s->sinks.bus, .board = &s->board, .loop = s->loop,
		.listen = strcmp(listen, "none") == 0 ? NULL : listen,
	};
	if (sinks_open(&s->sinks, s->list, &s->env) != 0)
		return -1;
	s->sinks_open = true;
	if (serve_listen(s) != 0)
		return -1;
	s->sig_fd = sigwatch_open(s->loop, serve_on_signal, s);
	if (s->sig_fd < 0 || loop_timer_add(s->loop, NS, NS, serve_on_tick, s) == 0)
		return -1;
	return 0;
}

static void
serve_header(const struct serve *s)
{
	const struct mp_config *c = s->cfg;
	int i;

	if (s->o->quiet)
		return;
	printf("metroprobe serve %s: %s, links", s->name, c->metro);
	for (i = 0; i < c->n_links; i++)
		printf(" %s (%s, %s)", c->links[i].name, link_kind_where(&c->links[i]),
		       c->links[i].rate_text);
	printf("; dataplane socket %s; output %s; endpoint %s; until SIGTERM\n", s->sock,
	       s->out_dir, s->env.listen != NULL ? s->env.listen : "none");
	fflush(stdout);
}

/* The loop has ended: the summary through the sinks. */
static int
serve_finish(struct serve *s)
{
	struct run_outcome o = {
		.complete = true, .end_reason = "stopped", .verdict = "ok",
		.start_unix_ns = s->start_unix_ns, .stop_unix_ns = mp_now_ns(),
		.records = s->records,
		.bad_records = s->conn != NULL ? dpconn_state(s->conn)->bad_records : 0,
		.duplicate_records = s->conn != NULL ? dpconn_state(s->conn)->duplicates : 0,
	};

	sdn_stopping();
	sinks_close(&s->sinks, &o);
	s->sinks_open = false;
	if (!s->o->quiet)
		printf("serve %s stopped: %llu records, %llu dataplane gaps; the dataplane %s\n",
		       s->name, (unsigned long long)s->records, (unsigned long long)s->board.gaps,
		       s->o->stop_dataplane ? "was stopped" : "goes on (serve attaches again)");
	return o.exit_code == 1 ? 1 : 0;
}

static void
serve_close(struct serve *s)
{
	if (s->sinks_open)
		sinks_close(&s->sinks, NULL);
	dpconn_destroy(s->conn);	/* attached: the dataplane is left running */
	if (s->o->stop_dataplane)
		dp_prep_release(&s->prep);
	if (s->sig_fd >= 0)
		close(s->sig_fd);
	loop_destroy(s->loop);
}

int
serve_run(struct serve *s)
{
	int rc = 1;

	s->start_unix_ns = mp_now_ns();
	backoff_init(&s->backoff, SERVE_BACKOFF_MIN_NS, SERVE_BACKOFF_MAX_NS, SERVE_STABLE_NS);
	dpgap_init(&s->gap);
	if (geteuid() != 0)
		fprintf(stderr, "metroprobe: warning: not root; DPDK usually needs root\n");
	if (!s->o->external && dp_prep_find(s->cfg, &s->prep) != 0)
		goto out;
	if (serve_open(s) != 0)
		goto out;
	serve_header(s);
	serve_dp_begin(s);
	loop_run(s->loop);
	rc = serve_finish(s);
out:
	serve_close(s);
	return rc;
}
