/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Control's event loop: one thread, one poll over the descriptors that
 * modules register, and timers on the monotonic clock, in the spirit of
 * Redis ae.c. A signalfd, a timerfd, a listening socket, a connection or an
 * HTTP server's descriptors are all just descriptors with a callback.
 *
 * Callbacks run on the loop's thread, one at a time, and may add or remove
 * any descriptor or timer (their own included) and stop the loop. A
 * descriptor or timer removed during a pass is not called again in it.
 *
 * Use: loop_create(); loop_fd_add() / loop_timer_add() from the modules;
 * loop_run() until a callback calls loop_stop(); loop_destroy().
 */
#ifndef MP_LOOP_H
#define MP_LOOP_H

#include <stdbool.h>
#include <stdint.h>

/* Interest and readiness of a descriptor. */
#define LOOP_READ	0x1u
#define LOOP_WRITE	0x2u
#define LOOP_HUP	0x4u	/* readiness only: hang-up or error (always reported) */

struct loop;

/* A descriptor is ready: events is LOOP_READ, LOOP_WRITE and/or LOOP_HUP. */
typedef void loop_fd_fn(struct loop *l, int fd, unsigned int events, void *cookie);
/* A timer is due; id is what loop_timer_add() returned. */
typedef void loop_timer_fn(struct loop *l, uint64_t id, void *cookie);

/* An empty loop; NULL on allocation failure. */
struct loop *loop_create(void);
/* Frees the loop; closes nothing (each descriptor belongs to its module). */
void loop_destroy(struct loop *l);

/*
 * Watch fd for interest (LOOP_READ | LOOP_WRITE, or 0 for hang-ups only).
 * Adding an fd already watched replaces its interest, callback and cookie.
 * Returns 0, -EINVAL, or -ENOMEM.
 */
int loop_fd_add(struct loop *l, int fd, unsigned int interest, loop_fd_fn *fn, void *cookie);
/* Change the interest of a watched fd. 0, or -ENOENT. */
int loop_fd_interest(struct loop *l, int fd, unsigned int interest);
/* Stop watching fd. 0, or -ENOENT. */
int loop_fd_del(struct loop *l, int fd);

/*
 * Call fn after_ns from now, then every period_ns if that is not 0 (a
 * periodic timer keeps its phase: a late pass does not shift the ones after
 * it, and periods missed entirely are skipped, not run in a burst). Returns
 * the timer's id (never 0), or 0 on allocation failure.
 */
uint64_t loop_timer_add(struct loop *l, uint64_t after_ns, uint64_t period_ns,
			loop_timer_fn *fn, void *cookie);
/* Cancel a timer. 0, or -ENOENT (unknown, or a one-shot that already ran). */
int loop_timer_del(struct loop *l, uint64_t id);

/* Make loop_run() return after the callback that called this. */
void loop_stop(struct loop *l);
/*
 * Dispatch until loop_stop(). Returns 0, or -errno when poll fails for
 * another reason than a signal.
 */
int loop_run(struct loop *l);
/*
 * One pass: wait at most timeout_ns (or less, for the next timer) for
 * readiness, then run what is ready and what is due. Returns the number of
 * callbacks run, or -errno.
 */
int loop_once(struct loop *l, uint64_t timeout_ns);

/* CLOCK_MONOTONIC in ns: the clock of the timers. */
uint64_t loop_now_ns(void);

#endif
