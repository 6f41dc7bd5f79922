/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netns.h"
#include "proc.h"

#define PROC_MAX_ARGS	64
#define PROC_MAX_LINE	2048
#define PROC_CHUNK	65536

int
mp_proc_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* In the child: descriptor target to /dev/null. */
static void
proc_null(int target)
{
	int fd = open("/dev/null", O_WRONLY);

	if (fd < 0)
		return;
	dup2(fd, target);
	close(fd);
}

/*
 * fork(); the child (0 returned) is in netns ns (NULL: this one) or has
 * exited MP_PROC_NO_NETNS. -errno when fork fails.
 */
static pid_t
proc_fork_in(const char *ns)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0 && ns != NULL && mp_netns_enter(ns) != 0)
		_exit(MP_PROC_NO_NETNS);
	return pid;
}

int
mp_proc_run(const char *ns, enum mp_proc_out out, char *const argv[])
{
	pid_t pid = proc_fork_in(ns);

	if (pid < 0)
		return pid;
	if (pid == 0) {
		if (out != MP_PROC_OUT_ALL)
			proc_null(1);
		if (out == MP_PROC_OUT_NONE)
			proc_null(2);
		execvp(argv[0], argv);
		_exit(MP_PROC_NOT_FOUND);
	}
	return mp_proc_wait(pid);
}

int
mp_proc_split(char *line, char **argv, int max)
{
	char *save = NULL, *tok;
	int argc = 0;

	for (tok = strtok_r(line, " ", &save); tok != NULL && argc < max - 1;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	return argc;
}

int
mp_proc_vrunf(const char *ns, enum mp_proc_out out, char *line, size_t linelen,
	      const char *fmt, va_list ap)
{
	char copy[PROC_MAX_LINE], *argv[PROC_MAX_ARGS];

	vsnprintf(copy, sizeof(copy), fmt, ap);
	if (line != NULL)
		snprintf(line, linelen, "%s", copy);
	if (mp_proc_split(copy, argv, PROC_MAX_ARGS) == 0)
		return -EINVAL;
	return mp_proc_run(ns, out, argv);
}

int
mp_proc_runf(const char *ns, enum mp_proc_out out, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = mp_proc_vrunf(ns, out, NULL, 0, fmt, ap);
	va_end(ap);
	return rc;
}

/* Read fd to its end into a growing buffer; NULL when out of memory. */
static char *
proc_read_all(int fd)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;

	for (;;) {
		ssize_t r;

		if (cap - len < 4096) {
			char *nb = realloc(buf, cap + PROC_CHUNK);

			if (nb == NULL)
				break;
			buf = nb;
			cap += PROC_CHUNK;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	if (buf != NULL)
		buf[len] = '\0';
	return buf;
}

char *
mp_proc_capture(const char *ns, char *const argv[])
{
	int pfd[2], status;
	char *buf;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) != 0)
		return NULL;
	pid = proc_fork_in(ns);
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return NULL;
	}
	if (pid == 0) {
		dup2(pfd[1], 1);
		proc_null(2);
		execvp(argv[0], argv);
		_exit(MP_PROC_NOT_FOUND);
	}
	close(pfd[1]);
	buf = proc_read_all(pfd[0]);
	close(pfd[0]);
	status = mp_proc_wait(pid);
	if (status != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

int
mp_proc_call(const char *ns, int (*fn)(void *arg), void *arg)
{
	pid_t pid = proc_fork_in(ns);

	if (pid < 0)
		return pid;
	if (pid == 0)
		_exit(fn(arg));
	return mp_proc_wait(pid);
}
