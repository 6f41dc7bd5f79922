/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The long-running dataplane of serve, as a process: it is not control's
 * child (control may die and come back; systemd may run it as a unit of its
 * own), so it is known by a pid file, RUNDIR/NAME.pid, holding its pid and
 * its start time (/proc/PID/stat), so that a reused pid is not taken for it.
 *
 * dpsup_start() starts one detached: its own session (setsid), reparented
 * to init (a double fork), no PDEATHSIG, its output appended to the log,
 * in the link's network namespace; it writes the pid file itself before
 * exec, as dpsup_exec() does in the foreground for systemd's unit (exec
 * keeps the pid, so the file names the dataplane).
 */
#ifndef MP_DPSUP_H
#define MP_DPSUP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct dpsup_id {
	pid_t pid;			/* 0: none */
	uint64_t start;			/* its start time in clock ticks since boot */
};

/* A pid file's text ("PID START\n"; another process wrote it): 0, or -EINVAL. */
int dpsup_parse(const char *text, struct dpsup_id *id);
/* The pid file's dataplane, if the file is there and well formed: 0, else -errno. */
int dpsup_read(const char *pidfile, struct dpsup_id *id);
/* Is that process still running (and not a zombie, and the same start time)? */
bool dpsup_alive(const struct dpsup_id *id);
/*
 * Start argv detached (see above). 0 with *id set once the pid file names
 * it, or -errno.
 */
int dpsup_start(char *const argv[], const char *netns, const char *log_path,
		const char *pidfile, struct dpsup_id *id);
/* Become argv in the foreground, after writing the pid file. Returns only on failure (-errno). */
int dpsup_exec(char *const argv[], const char *netns, const char *pidfile);
/* SIGTERM (it drains its probes in flight and ends); 0 or -errno. */
int dpsup_stop(const struct dpsup_id *id);

#endif
