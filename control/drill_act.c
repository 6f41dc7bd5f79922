/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cutting and restoring the drill's link (drill.h): in the routed lab by
 * lab_cut_apply / lab_cut_restore (the state file keeps the cut, so `lab
 * restore` can still undo it if the drill is killed), on real links by the
 * user's commands (/bin/sh -c, output to DIR/cut.log or restore.log, exit
 * status checked, killed after DRILL_CMD_TIMEOUT_S), or by the operator
 * (the prompt is the sink's; here it is only recorded).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "drill.h"
#include "lab_internal.h"
#include "util.h"

#define DRILL_CMD_TIMEOUT_S	60

void
drill_note(struct drill *d, uint64_t t_ns, const char *fmt, ...)
{
	va_list ap;

	if (d->n_tl == DRILL_TIMELINE_MAX)
		return;
	d->tl[d->n_tl].t_ns = t_ns;
	va_start(ap, fmt);
	vsnprintf(d->tl[d->n_tl].what, sizeof(d->tl[d->n_tl].what), fmt, ap);
	va_end(ap);
	d->n_tl++;
}

int
drill_lab_open(struct drill *d, const char *link_name, char *why, size_t len)
{
	struct lab_state *st = calloc(1, sizeof(*st));
	int s = lab_site_index(link_name);

	if (st == NULL || lab_state_load(st) != 0 || !st->complete || !st->routed) {
		snprintf(why, len, "the lab is not up with --routed (metroprobe lab up --routed)");
		free(st);
		return -1;
	}
	if (s < 0) {
		snprintf(why, len, "link '%s' is not a lab link (a or b)", link_name);
		free(st);
		return -1;
	}
	if (st->cut[s] != LAB_CUT_NONE) {
		snprintf(why, len, "lab link %s is already cut (%s): metroprobe lab restore %s first",
			 link_name, lab_cut_names[st->cut[s]], link_name);
		free(st);
		return -1;
	}
	if (mp_find_binary("metroprobe-xdp", d->xdp_bin, sizeof(d->xdp_bin)) != 0) {
		snprintf(why, len, "metroprobe-xdp not found (set METROPROBE_XDP=/path)");
		free(st);
		return -1;
	}
	d->lab = st;
	return 0;
}

/* sh -c cmd, its output appended to log; its exit status, or -1 when killed for time. */
static int
drill_shell(const char *cmd, const char *log)
{
	pid_t pid;
	int st, fd, i;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		setpgid(0, 0);
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0)
			dup2(fd, STDIN_FILENO);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	/* the loop waits meanwhile: the dataplane keeps its records until we read them */
	for (i = 0; i < DRILL_CMD_TIMEOUT_S * 100; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		usleep(10000);
	}
	kill(-pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

/* The lab's change, saved; 0 or -1. */
static int
drill_lab_do(struct drill *d, bool restore)
{
	struct lab_state *st = d->lab;
	int s = lab_site_index(d->cfg->links[d->link[DRILL_CUT]].name), rc;

	rc = restore ? lab_cut_restore(st, s, d->xdp_bin) :
	     lab_cut_apply(st, s, (enum lab_cut)d->lab_method, d->xdp_bin);
	return rc == 0 && lab_state_save(st) == 0 ? 0 : -1;
}

/* Do the cut (restore false) or the restore as the mode says, and record it. */
static int
drill_act(struct drill *d, bool restore, const char *why)
{
	struct drill_action *a = &d->act[d->n_act < 3 ? d->n_act++ : 3];
	const char *cmd = restore ? d->restore_cmd : d->cut_cmd;
	const char *name = d->cfg->links[d->link[DRILL_CUT]].name;
	int rc = 0;

	memset(a, 0, sizeof(*a));
	snprintf(a->what, sizeof(a->what), "%s", restore ? "restore" : "cut");
	snprintf(a->why, sizeof(a->why), "%s", why);
	a->exit_code = -1;
	a->begin_ns = mp_now_ns();
	if (d->mode == DRILL_MODE_LAB) {
		snprintf(a->how, sizeof(a->how), "lab %s", lab_cut_names[d->lab_method]);
		rc = drill_lab_do(d, restore);
	} else if (d->mode == DRILL_MODE_COMMANDS) {
		snprintf(a->how, sizeof(a->how), "command");
		strncat(a->command, cmd, sizeof(a->command) - 1);
		snprintf(a->log, sizeof(a->log), "%s/%s.log", d->out, restore ? "restore" : "cut");
		a->exit_code = drill_shell(cmd, a->log);
		rc = a->exit_code == 0 ? 0 : -1;
	} else {
		snprintf(a->how, sizeof(a->how), "operator (prompt)");
	}
	a->end_ns = mp_now_ns();
	a->ok = rc == 0;
	printf("drill: link %s %s%s by %s at %.3f (%s, took %.1f ms)%s\n", name,
	       a->ok ? "" : "NOT ", restore ? "restored" : "cut", a->how,
	       (double)a->end_ns / 1e9, why, (double)(a->end_ns - a->begin_ns) / 1e6,
	       a->exit_code > 0 ? " (the command failed: see its log)" :
	       a->exit_code == -1 && d->mode == DRILL_MODE_COMMANDS ? " (timed out)" : "");
	if (a->log[0] != '\0')
		printf("drill: %s command: %s (exit %d, output in %s)\n", a->what, a->command,
		       a->exit_code, a->log);
	drill_note(d, a->end_ns, "%s of link %s by %s %s (%s)", a->what, name, a->how,
		   a->ok ? "done" : "FAILED", why);
	return rc;
}

int
drill_cut_now(struct drill *d, const char *why)
{
	d->m.cut_begin_ns = mp_now_ns();
	/* the state is "cut" from the first step: a failed cut is restored all the same */
	d->cut = true;
	if (drill_act(d, false, why) != 0) {
		d->m.cut_ns = d->act[d->n_act - 1].end_ns;
		return -1;
	}
	d->m.cut_ns = d->act[d->n_act - 1].end_ns;
	return 0;
}

int
drill_restore_now(struct drill *d, const char *why)
{
	int rc;

	d->m.restore_begin_ns = mp_now_ns();
	rc = drill_act(d, true, why);
	d->m.restore_ns = d->act[d->n_act - 1].end_ns;
	d->restored = rc == 0;
	return rc;
}
