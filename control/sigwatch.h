/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The stop signals through the loop, for the commands that turn one (run,
 * serve): SIGINT, SIGTERM, SIGHUP and SIGCHLD blocked and read from a
 * signalfd, so that a handler never runs between two lines of a sink.
 */
#ifndef MP_SIGWATCH_H
#define MP_SIGWATCH_H

#include "loop.h"

/* The signalfd, watched with fn (which reads struct signalfd_siginfo), or -1. */
int sigwatch_open(struct loop *l, loop_fd_fn *fn, void *cookie);

#endif
