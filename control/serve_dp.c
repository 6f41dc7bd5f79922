/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * serve's supervision of its long-running dataplane (see serve.h): found
 * running through the pid file, or started detached; checked each second;
 * when it died (its pid gone), said so and restarted after the back-off
 * (1 s, doubling to 60 s; reset after a minute up), unless another
 * supervisor (systemd) starts it (--external-dataplane).
 */
#include <stdio.h>
#include <string.h>

#include "dpconn.h"
#include "loop.h"
#include "preflight.h"
#include "serve.h"

#define NS	1000000000ull

int
serve_dp_args(struct serve *s)
{
	struct dp_args_opts o = {
		.binary = s->prep.binary,
		.sock_path = s->sock,
		.no_huge = s->prep.no_huge,
		.no_huge_mb = preflight_no_huge_mb(s->cfg),
		.keep = true,
		.file_prefix = s->prefix,
	};
	int rc = dp_args_build(&s->args, s->cfg, &o);

	if (rc != 0)
		fprintf(stderr, "metroprobe: serve: the dataplane's command line: %s\n",
			strerror(-rc));
	return rc;
}

static cJSON *
serve_dp_fields(const struct serve *s)
{
	cJSON *f = cJSON_CreateObject();

	cJSON_AddNumberToObject(f, "pid", (double)s->dp.pid);
	return f;
}

/* Start a dataplane, detached. On failure the next check finds it dead. */
static void
serve_dp_start(struct serve *s)
{
	int rc;

	s->dp = (struct dpsup_id){ 0 };
	s->dp_up_since_ns = loop_now_ns();
	s->dp_down_said = false;
	/* once: a dead dataplane's pages are free again for the next one */
	if (s->starts == 0 && dp_prep_hugepages(s->cfg, "serve", &s->prep) != 0)
		return;
	if (serve_dp_args(s) != 0)
		return;
	rc = dpsup_start(s->args.argv, s->cfg->links[0].netns, s->dp_log, s->pidfile, &s->dp);
	s->starts++;
	if (rc != 0) {
		serve_event(s, "dataplane_start_failed", NULL, "could not start %s: %s (log %s)",
			    s->args.argv[0], strerror(-rc), s->dp_log);
		return;
	}
	serve_event(s, "dataplane_start", serve_dp_fields(s), "started the dataplane, pid %d "
		    "(start %u of this serve), log %s", (int)s->dp.pid, s->starts, s->dp_log);
}

void
serve_dp_begin(struct serve *s)
{
	struct dpsup_id id;

	s->dp_up_since_ns = loop_now_ns();
	if (dpsup_read(s->pidfile, &id) == 0 && dpsup_alive(&id)) {
		s->dp = id;
		serve_event(s, "dataplane_found", serve_dp_fields(s), "attaching to the running "
			    "dataplane, pid %d (%s)", (int)id.pid, s->pidfile);
		return;
	}
	if (s->o->external) {
		serve_event(s, "dataplane_wait", NULL, "no dataplane runs (%s): waiting for its "
			    "supervisor (systemd's metroprobe-dp@%s) to start one", s->pidfile,
			    s->name);
		s->dp_down_said = true;
		return;
	}
	serve_dp_start(s);
}

void
serve_dp_identify(struct serve *s)
{
	struct dpsup_id id;

	if (dpsup_read(s->pidfile, &id) != 0 || id.pid == s->dp.pid || !dpsup_alive(&id))
		return;
	s->dp = id;
	s->dp_up_since_ns = loop_now_ns();
	s->dp_down_said = false;
	serve_event(s, "dataplane_found", serve_dp_fields(s), "a new dataplane runs, pid %d",
		    (int)id.pid);
}

static void
serve_on_restart(struct loop *l, uint64_t id, void *cookie)
{
	struct serve *s = cookie;

	(void)l;
	(void)id;
	s->restart_timer = 0;
	serve_dp_start(s);
}

/* It died: say so once, and restart it after the back-off. */
static void
serve_dp_dead(struct serve *s)
{
	uint64_t ran = loop_now_ns() - s->dp_up_since_ns, wait;
	cJSON *f = serve_dp_fields(s);

	s->dp_down_said = true;
	s->board.dataplane_up = false;
	cJSON_AddNumberToObject(f, "ran_s", (double)ran / 1e9);
	if (s->o->external) {
		serve_event(s, "dataplane_down", f, "the dataplane (pid %d) is gone after %.1f s; "
			    "waiting for its supervisor to start it again", (int)s->dp.pid,
			    (double)ran / 1e9);
		return;
	}
	wait = backoff_next(&s->backoff, ran);
	cJSON_AddNumberToObject(f, "restart_in_s", (double)wait / 1e9);
	cJSON_AddNumberToObject(f, "deaths_in_a_row", (double)s->backoff.deaths);
	serve_event(s, "dataplane_down", f, "the dataplane (pid %d) is gone after %.1f s; "
		    "restarting it in %.0f s (back-off %.0f..%.0f s, %llu in a row)",
		    (int)s->dp.pid, (double)ran / 1e9, (double)wait / 1e9,
		    (double)SERVE_BACKOFF_MIN_NS / 1e9, (double)SERVE_BACKOFF_MAX_NS / 1e9,
		    (unsigned long long)s->backoff.deaths);
	s->restart_timer = loop_timer_add(s->loop, wait, 0, serve_on_restart, s);
}

void
serve_dp_check(struct serve *s)
{
	bool connected = s->conn != NULL && dpconn_state(s->conn)->connected;

	if (s->stopping || s->restart_timer != 0)
		return;
	serve_dp_identify(s);
	if (dpsup_alive(&s->dp)) {
		s->board.dataplane_up = connected;
		return;
	}
	/* a socket still open is the dataplane's own word that it lives (pid unknown) */
	if (connected && s->dp.pid == 0)
		return;
	if (!s->dp_down_said)
		serve_dp_dead(s);
}

void
serve_dp_stop(struct serve *s)
{
	if (dpsup_stop(&s->dp) == 0 && !s->o->quiet)
		printf("serve: stopping the dataplane (pid %d)\n", (int)s->dp.pid);
}
