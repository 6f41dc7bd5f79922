/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * How the lab speaks and works: its error line, and one set-up step (a
 * command, maybe in a lab namespace) that names itself when it fails.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "lab_internal.h"

volatile sig_atomic_t lab_interrupted;
const char *lab_cmd_name = "lab";

void
lab_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "metroprobe %s%s: ", strcmp(lab_cmd_name, "lab") == 0 ? "" : "lab ",
		lab_cmd_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
lab_sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

bool
lab_path_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/*
 * One set-up step: run the command and, when it fails, say which one, so
 * that the user sees the step as well as the tool's own error above it.
 * In a namespace only the network namespace is entered, unlike `ip netns
 * exec`, so that BPF pins made by a loader land in the host's /sys/fs/bpf,
 * where `lab impair` and `lab down` find them.
 */
int
lab_step(const char *ns, enum mp_proc_out out, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = mp_proc_vrunf(ns, out, line, sizeof(line), fmt, ap);
	va_end(ap);
	if (rc == -EINVAL)
		return -EINVAL;
	if (lab_interrupted) {
		lab_err("interrupted");
		return -1;
	}
	if (rc == 0)
		return 0;
	lab_err("step failed: '%s'%s%s: %s", line, ns != NULL ? " in netns " : "",
		ns != NULL ? ns : "",
		rc == MP_PROC_NOT_FOUND ? "command not found" :
		rc == MP_PROC_NO_NETNS ? "cannot enter the namespace" :
		rc < 0 ? strerror(-rc) : "non-zero exit status");
	return -1;
}
