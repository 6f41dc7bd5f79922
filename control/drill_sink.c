/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The drill's sink (drill.h): every interval record of the drill's links
 * goes to drill_measure; timers on the run's loop do the pre-check and the
 * cut, then the restore after the hold (or prompt the operator, reading
 * stdin on the loop so that Ctrl-C still works); each tick raises the
 * events of what became known (drill_detected, drill_service_gap,
 * drill_recovered) and ends the run once the cut link answers again (and
 * the service moved back) or the recovery time is over. close() restores
 * a link still cut (Ctrl-C, SIGTERM, a failed dataplane) and writes the
 * report. It must come first in the run's list: the events it raises in
 * close are drained to the other sinks before they close.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "drill.h"
#include "loop.h"
#include "sink.h"
#include "util.h"

struct drill *drill_active;

enum { DRILL_SAID_DETECTED = 1, DRILL_SAID_GAP = 2, DRILL_SAID_RECOVERED = 4,
       DRILL_SAID_BACK = 8 };

#define DRILL_SETTLE_NS	2000000000ull	/* recovered: probe this long more */

static const char *
drill_link_name(const struct drill *d, enum drill_role r)
{
	return d->link[r] >= 0 ? d->cfg->links[d->link[r]].name : "pair";
}

/* Raise an event on the cut link with fields (ms from the cut). */
static void
drill_emit(struct drill *d, const char *event, cJSON *f, const char *detail)
{
	if (f == NULL)
		f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "detail", detail);
	sink_emit(d->env->bus, drill_link_name(d, DRILL_CUT), event, f);
}

/* End the run the way Ctrl-C does (the dataplane drains); the drill knows it asked. */
static void
drill_stop(struct drill *d, const char *why)
{
	if (d->stop_asked)
		return;
	d->stop_asked = true;
	snprintf(d->stop_why, sizeof(d->stop_why), "%s", why);
	drill_note(d, mp_now_ns(), "drill ends: %s", why);
	kill(getpid(), SIGTERM);
}

static int
drill_role_of(const struct drill *d, int link)
{
	int r;

	for (r = 0; r < DRILL_ROLES; r++)
		if (d->link[r] == link && link >= 0)
			return r;
	return -1;
}

/* The pinned link named c as a role (cut, survivor), or unknown. */
static int
drill_carrier_role(const struct drill *d, const char *c)
{
	int i;

	for (i = 0; c != NULL && i < d->cfg->n_links; i++)
		if (strcmp(d->cfg->links[i].name, c) == 0 && drill_role_of(d, i) >= 0)
			return drill_role_of(d, i) == DRILL_SERVICE ? DRILL_CARRIER_UNKNOWN :
			       drill_role_of(d, i);
	return DRILL_CARRIER_UNKNOWN;
}

/*
 * Which link carried a service record: its "carried_by" when the record
 * has it, else the last service_carrier event's "to" (the carrier sink
 * adds carried_by to the line intervals.jsonl writes, not to the record
 * other sinks get).
 */
static int
drill_sink_carrier(const struct drill *d, const cJSON *rec)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(rec, "carried_by");

	if (c == NULL)
		return d->carrier_now;
	return drill_carrier_role(d, cJSON_GetStringValue(c));
}

static void
drill_on_interval(void *state, const struct dprec *r)
{
	struct drill *d = state;
	const struct link_interval *li = r->interval;
	struct drill_sample s;
	int role = drill_role_of(d, r->link);

	/* a stream's own record (issue 12) repeats part of its link's: skip it */
	if (role < 0 || li == NULL || cJSON_GetObjectItemCaseSensitive(r->json, "stream") != NULL)
		return;
	s = (struct drill_sample){
		.start_ns = li->start_unix_ns, .end_ns = li->end_unix_ns, .sent = li->c.sent,
		.received = li->c.received, .lost = li->c.lost,
		.carried_by = drill_sink_carrier(d, r->json),
	};
	drill_measure_add(&d->m, (enum drill_role)role, &s, &li->rtt, li->jitter_ns);
}

static void
drill_on_event(void *state, const struct dprec *r)
{
	struct drill *d = state;
	const char *from, *to;

	if (r->event == NULL || strcmp(r->event, "service_carrier") != 0)
		return;
	from = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r->json, "from"));
	to = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r->json, "to"));
	d->carrier_now = drill_carrier_role(d, to);
	drill_note(d, r->recv_unix_ns, "service carried by %s (was %s)", to ? to : "none",
		   from ? from : "none");
}

static void drill_on_restore_timer(struct loop *l, uint64_t id, void *cookie);

/* The operator pressed Enter: cut, or restore. */
static void
drill_on_stdin(struct loop *l, int fd, unsigned int ev, void *cookie)
{
	struct drill *d = cookie;
	char buf[256];
	ssize_t n = read(fd, buf, sizeof(buf));

	(void)ev;
	if ((n > 0 && memchr(buf, '\n', (size_t)n) == NULL) || (n < 0 && errno == EAGAIN))
		return;
	loop_fd_del(l, fd);
	d->prompting = false;
	if (n <= 0 && !d->cut) {
		/* no operator any more: nothing is cut without one */
		d->refused = true;
		snprintf(d->refused_why, sizeof(d->refused_why), "stdin closed at the prompt");
		drill_stop(d, d->refused_why);
	} else if (n <= 0 && !d->restored) {
		drill_restore_now(d, "stdin closed at the prompt");
		drill_emit(d, "drill_restore", NULL, "restored: stdin closed");
	} else if (!d->cut) {
		drill_cut_now(d, "the operator pressed Enter");
		drill_emit(d, "drill_cut", NULL, "cut by the operator");
		loop_timer_add(l, (uint64_t)d->hold_s * 1000000000ull, 0, drill_on_restore_timer, d);
	} else if (!d->restored) {
		drill_restore_now(d, "the operator pressed Enter");
		drill_emit(d, "drill_restore", NULL, "restored by the operator");
	}
}

static void
drill_prompt(struct drill *d, struct loop *l, bool restore)
{
	const char *name = drill_link_name(d, DRILL_CUT);

	if (restore)
		printf("\n>>> drill: RESTORE link %s now, then press Enter <<<\n", name);
	else
		printf("\n>>> drill: CUT link %s now, then press Enter (Ctrl-C: stop, nothing cut) <<<\n",
		       name);
	fflush(stdout);
	d->prompting = true;
	loop_fd_add(l, STDIN_FILENO, LOOP_READ, drill_on_stdin, d);
}

static void
drill_on_restore_timer(struct loop *l, uint64_t id, void *cookie)
{
	struct drill *d = cookie;
	cJSON *f;

	(void)id;
	if (d->restored || d->stop_asked)
		return;
	if (d->mode == DRILL_MODE_PROMPT) {
		drill_prompt(d, l, true);
		return;
	}
	if (drill_restore_now(d, "the hold is over") != 0) {
		d->failed = true;
		snprintf(d->failed_why, sizeof(d->failed_why), "the restore failed");
		drill_stop(d, "the restore failed");
	}
	f = cJSON_CreateObject();
	cJSON_AddBoolToObject(f, "ok", d->restored);
	drill_emit(d, "drill_restore", f, d->restored ? "link restored" : "restore FAILED");
}

/* Before the cut: is the survivor healthy (and the cut link answering)? */
static bool
drill_precheck(struct drill *d)
{
	const struct drill_series *v = &d->m.s[DRILL_SURVIVOR];
	uint64_t from, to;
	char why[200];
	cJSON *f;

	if (v->n == 0) {
		snprintf(d->refused_why, sizeof(d->refused_why),
			 "the surviving link %s gave no records before the cut",
			 drill_link_name(d, DRILL_SURVIVOR));
		return false;
	}
	/* the first second is the dataplane's start (ARP): not judged */
	from = v->v[0].start_ns + 1000000000ull;
	to = v->v[v->n - 1].end_ns;
	if (!drill_healthy(&d->m, DRILL_SURVIVOR, from, to, d->precheck_loss, why, sizeof(why))) {
		snprintf(d->refused_why, sizeof(d->refused_why),
			 "the surviving link %s is not healthy: %s",
			 drill_link_name(d, DRILL_SURVIVOR), why);
		return false;
	}
	if (!drill_healthy(&d->m, DRILL_CUT, from, to, 1.0, why, sizeof(why))) {
		snprintf(d->refused_why, sizeof(d->refused_why),
			 "the link to cut, %s, is not answering (nothing to measure): %s",
			 drill_link_name(d, DRILL_CUT), why);
		return false;
	}
	f = cJSON_CreateObject();
	cJSON_AddNumberToObject(f, "checked_ms", (double)(to - from) / 1e6);
	drill_emit(d, "drill_precheck", f, "the surviving link is healthy");
	drill_note(d, mp_now_ns(), "pre-check: %s healthy over %.1f s (loss <= %.2f%%, answering)",
		   drill_link_name(d, DRILL_SURVIVOR), (double)(to - from) / 1e9,
		   d->precheck_loss * 100);
	return true;
}

static void
drill_on_pre_timer(struct loop *l, uint64_t id, void *cookie)
{
	struct drill *d = cookie;
	cJSON *f;

	const struct drill_series *v = &d->m.s[DRILL_SURVIVOR];

	(void)id;
	if (d->stop_asked)
		return;
	/* pre_s of records, not of waiting for the dataplane to start (up to 30 s more) */
	if ((v->n == 0 || v->v[v->n - 1].end_ns - v->v[0].start_ns < (uint64_t)d->pre_s *
	     1000000000ull) && mp_now_ns() - d->start_ns < (d->pre_s + 30ull) * 1000000000ull) {
		loop_timer_add(l, 200000000ull, 0, drill_on_pre_timer, d);
		return;
	}
	if (!drill_precheck(d)) {
		d->refused = true;
		printf("drill: REFUSED, nothing was cut: %s\n", d->refused_why);
		drill_emit(d, "drill_refused", NULL, d->refused_why);
		drill_stop(d, "refused by the pre-check");
		return;
	}
	if (d->mode == DRILL_MODE_PROMPT) {
		drill_prompt(d, l, false);
		return;
	}
	f = cJSON_CreateObject();
	if (drill_cut_now(d, "the pre-check passed") != 0) {
		d->failed = true;
		snprintf(d->failed_why, sizeof(d->failed_why), "the cut failed");
		drill_restore_now(d, "the cut failed");
		drill_stop(d, "the cut failed");
	}
	cJSON_AddBoolToObject(f, "ok", !d->failed);
	drill_emit(d, "drill_cut", f, d->failed ? "cut FAILED (restored)" : "link cut");
	if (!d->failed)
		loop_timer_add(l, (uint64_t)d->hold_s * 1000000000ull, 0, drill_on_restore_timer, d);
}

static int
drill_sink_open(const struct sink_env *env, void **state)
{
	struct drill *d = drill_active;

	if (d == NULL)
		return -EINVAL;
	d->env = env;
	d->start_ns = mp_now_ns();
	d->route_fd = d->mode == DRILL_MODE_LAB ? drill_route_open(d) : -1;
	if (d->route_fd >= 0)
		loop_fd_add(env->loop, d->route_fd, LOOP_READ, drill_route_read, d);
	drill_note(d, d->start_ns, "probing starts");
	if (loop_timer_add(env->loop, (uint64_t)d->pre_s * 1000000000ull, 0, drill_on_pre_timer,
			   d) == 0)
		return -ENOMEM;
	*state = d;
	return 0;
}

/* An event with key = ns in ms; on the timeline at the moment it measured (at, UNIX ns). */
static void
drill_emit_ms(struct drill *d, const char *event, const char *key, int64_t ns, int64_t at,
	      const char *fmt)
{
	cJSON *f = cJSON_CreateObject();
	char detail[160];

	cJSON_AddNumberToObject(f, key, (double)(ns / 1000) / 1e3);
	snprintf(detail, sizeof(detail), fmt, (double)ns / 1e6);
	drill_note(d, (uint64_t)at, "%s", detail);
	drill_emit(d, event, f, detail);
}

/* What became known since the last tick, as events (once each). */
static void
drill_announce(struct drill *d, const struct drill_result *r)
{
	if (!(d->announced & DRILL_SAID_DETECTED) && r->detection_ns != DRILL_NONE) {
		d->announced |= DRILL_SAID_DETECTED;
		drill_emit_ms(d, "drill_detected", "detection_ms", r->detection_ns, r->stopped_ns,
			      "the cut link's probes stopped being answered %.0f ms after the cut");
	}
	if (!(d->announced & DRILL_SAID_GAP) && r->gap.found) {
		d->announced |= DRILL_SAID_GAP;
		drill_emit_ms(d, "drill_service_gap", "service_gap_ms",
			      r->gap.end_ns - r->gap.start_ns, r->gap.start_ns,
			      "the service stream's gap begins: %.0f ms");
	}
	if (!(d->announced & DRILL_SAID_RECOVERED) && r->recovery_ns != DRILL_NONE) {
		d->announced |= DRILL_SAID_RECOVERED;
		drill_emit_ms(d, "drill_recovered", "recovery_ms", r->recovery_ns, r->answered_ns,
			      "the cut link answers again %.0f ms after the restore");
	}
	if (!(d->announced & DRILL_SAID_BACK) && r->moved_back_ns != DRILL_NONE) {
		d->announced |= DRILL_SAID_BACK;
		drill_emit_ms(d, "drill_service_back", "service_back_ms", r->moved_back_ns,
			      (int64_t)d->m.restore_begin_ns + r->moved_back_ns,
			      "the service moved back to the cut link %.0f ms after the restore");
	}
}

static void
drill_on_tick(void *state, uint64_t now_ns)
{
	struct drill *d = state;
	struct drill_result r;
	bool back;

	if (!d->cut || d->stop_asked)
		return;
	drill_measure_result(&d->m, &r);
	drill_announce(d, &r);
	if (!d->restored)
		return;
	back = d->link[DRILL_SERVICE] < 0 || r.moved_back_ns != DRILL_NONE;
	/* in the lab, also until the CE routes the VNet over the restored link again */
	back &= d->route_fd < 0 || drill_route_after(d, d->m.restore_begin_ns,
						     DRILL_CUT) != DRILL_NONE;
	if (r.recovery_ns != DRILL_NONE && back && d->recovered_ns == 0)
		d->recovered_ns = now_ns;
	if (d->recovered_ns != 0 && now_ns - d->recovered_ns >= DRILL_SETTLE_NS) {
		drill_stop(d, "recovered");
	} else if (mp_now_ns() - d->m.restore_ns >= (uint64_t)d->recover_s * 1000000000ull) {
		d->recover_timeout = true;
		drill_stop(d, "the recovery time is over");
	}
}

static int
drill_sink_close(void *state, struct run_outcome *o)
{
	struct drill *d = state;

	if (d->prompting)
		loop_fd_del(d->env->loop, STDIN_FILENO);
	if (d->route_fd >= 0) {
		drill_route_read(d->env->loop, d->route_fd, LOOP_READ, d);
		loop_fd_del(d->env->loop, d->route_fd);
		close(d->route_fd);
		d->route_fd = -1;
	}
	if (d->cut && !d->restored && (d->n_act == 0 ||
				       strcmp(d->act[d->n_act - 1].what, "restore") != 0)) {
		const char *why = o == NULL ? "the run failed" : d->stop_asked ?
				  "the drill ended before the hold was over" :
				  strcmp(o->end_reason, "interrupted") == 0 ?
				  "interrupted (Ctrl-C or SIGTERM)" : "the run ended early";

		printf("drill: restoring link %s: %s\n", drill_link_name(d, DRILL_CUT), why);
		drill_restore_now(d, why);
		drill_emit(d, "drill_restore", NULL, why);
	}
	/* the other sinks are still open: hand them the events raised since the last record */
	sinks_drain((struct sinks *)((char *)d->env->bus - offsetof(struct sinks, bus)));
	d->end_ns = mp_now_ns();
	drill_note(d, d->end_ns, "probing ends");
	return 0;
}

const struct sink_ops drill_sink_ops = {
	.name = "drill",
	.open = drill_sink_open,
	.on_interval = drill_on_interval,
	.on_event = drill_on_event,
	.on_tick = drill_on_tick,
	.close = drill_sink_close,
};
