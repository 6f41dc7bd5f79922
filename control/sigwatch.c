/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The stop signals through the loop (sigwatch.h).
 */
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "sigwatch.h"

int
sigwatch_open(struct loop *l, loop_fd_fn *fn, void *cookie)
{
	sigset_t mask;
	int fd;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (loop_fd_add(l, fd, LOOP_READ, fn, cookie) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}
