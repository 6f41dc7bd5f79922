/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Running helper programs (ip, ethtool, the XDP loader) from control: one
 * runner, optionally inside a named network namespace (netns.h: only the
 * network namespace is entered, so BPF pins and files stay the host's).
 */
#ifndef MP_PROC_H
#define MP_PROC_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

/* Where the child's output goes. */
enum mp_proc_out {
	MP_PROC_OUT_ALL,	/* inherit stdout and stderr */
	MP_PROC_OUT_ERR,	/* stdout to /dev/null (chatter), keep errors */
	MP_PROC_OUT_NONE,	/* both to /dev/null */
};

/* Exit statuses of the child that are the runner's, not the program's. */
#define MP_PROC_NO_NETNS	126	/* could not enter the namespace */
#define MP_PROC_NOT_FOUND	127	/* could not exec the program */

/*
 * Wait for pid (EINTR-safe). Returns its exit status (0..255), 128+signal,
 * or -errno.
 */
int mp_proc_wait(pid_t pid);

/*
 * Run argv (argv[0] a path or a name on $PATH) in netns ns (NULL: this
 * one) and wait. Returns the exit status as mp_proc_wait, MP_PROC_NO_NETNS
 * or MP_PROC_NOT_FOUND, or -errno if it could not be started.
 */
int mp_proc_run(const char *ns, enum mp_proc_out out, char *const argv[]);

/*
 * Split a command line on spaces into argv (no quoting); argv[argc] = NULL,
 * at most max - 1 words. Returns argc.
 */
int mp_proc_split(char *line, char **argv, int max);

/*
 * printf-style command line, split with mp_proc_split, run with
 * mp_proc_run. -EINVAL for an empty line. line (when not NULL) gets the
 * command as formatted, for messages.
 */
int mp_proc_vrunf(const char *ns, enum mp_proc_out out, char *line, size_t linelen,
		  const char *fmt, va_list ap);
int mp_proc_runf(const char *ns, enum mp_proc_out out, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Run argv in netns ns (NULL: this one) and return its stdout,
 * NUL-terminated (caller frees); stderr goes to /dev/null. NULL when it
 * cannot start or exits non-zero.
 */
char *mp_proc_capture(const char *ns, char *const argv[]);

/*
 * Call fn(arg) in a child inside netns ns (for what follows the caller's
 * namespace: /proc/sys knobs, interface lookups). The child exits with
 * fn's return value (0..125); MP_PROC_NO_NETNS when ns cannot be entered.
 * Returns that status as mp_proc_wait, or -errno.
 */
int mp_proc_call(const char *ns, int (*fn)(void *arg), void *arg);

#endif
