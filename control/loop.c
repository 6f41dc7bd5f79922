/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The event loop (see loop.h): ppoll over a small array of descriptors,
 * timers kept unsorted (control has a handful; ae.c does the same).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "loop.h"

struct loop_file {
	int fd;
	unsigned int interest;
	uint64_t gen;		/* which registration of fd this is */
	loop_fd_fn *fn;
	void *cookie;
};

struct loop_timer {
	uint64_t id;
	uint64_t when_ns;
	uint64_t period_ns;	/* 0: one-shot */
	loop_timer_fn *fn;
	void *cookie;
};

struct loop {
	struct loop_file *files;
	unsigned int n_files, cap_files;
	struct loop_timer *timers;
	unsigned int n_timers, cap_timers;
	uint64_t next_gen;
	uint64_t next_timer_id;
	bool stop;
	/* one pass's view of the descriptors, rebuilt each pass */
	struct pollfd *pfd;
	uint64_t *pfd_gen;
	unsigned int cap_pfd;
};

uint64_t
loop_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct loop *
loop_create(void)
{
	struct loop *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	l->next_gen = 1;
	l->next_timer_id = 1;
	return l;
}

void
loop_destroy(struct loop *l)
{
	if (l == NULL)
		return;
	free(l->files);
	free(l->timers);
	free(l->pfd);
	free(l->pfd_gen);
	free(l);
}

/* Room for one more element of size sz in *arr (cap grows by doubling). */
static int
loop_grow(void **arr, unsigned int n, unsigned int *cap, size_t sz)
{
	unsigned int nc;
	void *p;

	if (n < *cap)
		return 0;
	nc = *cap != 0 ? *cap * 2 : 8;
	p = realloc(*arr, (size_t)nc * sz);
	if (p == NULL)
		return -ENOMEM;
	*arr = p;
	*cap = nc;
	return 0;
}

static struct loop_file *
loop_file_find(struct loop *l, int fd)
{
	unsigned int i;

	for (i = 0; i < l->n_files; i++)
		if (l->files[i].fd == fd)
			return &l->files[i];
	return NULL;
}

int
loop_fd_add(struct loop *l, int fd, unsigned int interest, loop_fd_fn *fn, void *cookie)
{
	struct loop_file *f;

	if (fd < 0 || fn == NULL)
		return -EINVAL;
	f = loop_file_find(l, fd);
	if (f == NULL) {
		if (loop_grow((void **)&l->files, l->n_files, &l->cap_files, sizeof(*f)) != 0)
			return -ENOMEM;
		f = &l->files[l->n_files++];
		f->fd = fd;
		f->gen = l->next_gen++;
	}
	f->interest = interest & (LOOP_READ | LOOP_WRITE);
	f->fn = fn;
	f->cookie = cookie;
	return 0;
}

int
loop_fd_interest(struct loop *l, int fd, unsigned int interest)
{
	struct loop_file *f = loop_file_find(l, fd);

	if (f == NULL)
		return -ENOENT;
	f->interest = interest & (LOOP_READ | LOOP_WRITE);
	return 0;
}

int
loop_fd_del(struct loop *l, int fd)
{
	struct loop_file *f = loop_file_find(l, fd);

	if (f == NULL)
		return -ENOENT;
	*f = l->files[--l->n_files];
	return 0;
}

uint64_t
loop_timer_add(struct loop *l, uint64_t after_ns, uint64_t period_ns, loop_timer_fn *fn,
	       void *cookie)
{
	struct loop_timer *t;

	if (fn == NULL ||
	    loop_grow((void **)&l->timers, l->n_timers, &l->cap_timers, sizeof(*t)) != 0)
		return 0;
	t = &l->timers[l->n_timers++];
	t->id = l->next_timer_id++;
	t->when_ns = loop_now_ns() + after_ns;
	t->period_ns = period_ns;
	t->fn = fn;
	t->cookie = cookie;
	return t->id;
}

int
loop_timer_del(struct loop *l, uint64_t id)
{
	unsigned int i;

	for (i = 0; i < l->n_timers; i++) {
		if (l->timers[i].id == id) {
			l->timers[i] = l->timers[--l->n_timers];
			return 0;
		}
	}
	return -ENOENT;
}

void
loop_stop(struct loop *l)
{
	l->stop = true;
}

/* The earliest timer's deadline, or UINT64_MAX without timers. */
static uint64_t
loop_next_deadline(const struct loop *l)
{
	uint64_t when = UINT64_MAX;
	unsigned int i;

	for (i = 0; i < l->n_timers; i++)
		if (l->timers[i].when_ns < when)
			when = l->timers[i].when_ns;
	return when;
}

/*
 * Wait for readiness: at most timeout_ns, and no later than the next timer.
 * Fills l->pfd (with each entry's registration in pfd_gen); returns the
 * number of entries, or -errno.
 */
static int
loop_wait(struct loop *l, uint64_t timeout_ns)
{
	uint64_t now = loop_now_ns(), until = loop_next_deadline(l), wait_ns;
	struct timespec ts, *tsp = &ts;
	unsigned int i;

	if (l->cap_pfd < l->n_files) {
		struct pollfd *p = realloc(l->pfd, l->n_files * sizeof(*p));
		uint64_t *g = p != NULL ? realloc(l->pfd_gen, l->n_files * sizeof(*g)) : NULL;

		if (p != NULL)
			l->pfd = p;
		if (g == NULL)
			return -ENOMEM;
		l->pfd_gen = g;
		l->cap_pfd = l->n_files;
	}
	for (i = 0; i < l->n_files; i++) {
		const struct loop_file *f = &l->files[i];

		l->pfd[i].fd = f->fd;
		l->pfd[i].events = (short)(((f->interest & LOOP_READ) ? POLLIN : 0) |
					   ((f->interest & LOOP_WRITE) ? POLLOUT : 0));
		l->pfd[i].revents = 0;
		l->pfd_gen[i] = f->gen;
	}
	wait_ns = until <= now ? 0 : until - now;
	if (timeout_ns < wait_ns)
		wait_ns = timeout_ns;
	if (wait_ns == UINT64_MAX) {
		tsp = NULL;
	} else {
		ts.tv_sec = (time_t)(wait_ns / 1000000000ull);
		ts.tv_nsec = (long)(wait_ns % 1000000000ull);
	}
	if (ppoll(l->pfd, l->n_files, tsp, NULL) < 0)
		return errno == EINTR ? 0 : -errno;
	return (int)i;
}

/* Run the callbacks of the ready descriptors that are still registered. */
static int
loop_dispatch_files(struct loop *l, int n)
{
	int i, ran = 0;

	for (i = 0; i < n && !l->stop; i++) {
		const struct pollfd *p = &l->pfd[i];
		struct loop_file *f;
		unsigned int ev = 0;

		if (p->revents == 0)
			continue;
		f = loop_file_find(l, p->fd);
		/* removed, or closed and registered anew, by an earlier callback */
		if (f == NULL || f->gen != l->pfd_gen[i])
			continue;
		if (p->revents & POLLIN)
			ev |= LOOP_READ;
		if (p->revents & POLLOUT)
			ev |= LOOP_WRITE;
		if (p->revents & (POLLHUP | POLLERR | POLLNVAL))
			ev |= LOOP_HUP;
		ev &= f->interest | LOOP_HUP;
		if (ev == 0)
			continue;
		f->fn(l, p->fd, ev, f->cookie);
		ran++;
	}
	return ran;
}

/*
 * Run the due timers, earliest first. A timer added by a callback waits for
 * the next pass; a periodic one moves to its next period before it runs, so
 * it can remove itself.
 */
static int
loop_dispatch_timers(struct loop *l)
{
	uint64_t now = loop_now_ns(), last_id = l->next_timer_id;
	int ran = 0;

	while (!l->stop) {
		struct loop_timer *t = NULL, fire;
		unsigned int i;

		for (i = 0; i < l->n_timers; i++) {
			struct loop_timer *c = &l->timers[i];

			if (c->when_ns <= now && c->id < last_id &&
			    (t == NULL || c->when_ns < t->when_ns ||
			     (c->when_ns == t->when_ns && c->id < t->id)))
				t = c;
		}
		if (t == NULL)
			break;
		fire = *t;
		if (t->period_ns == 0) {
			*t = l->timers[--l->n_timers];
		} else {
			t->when_ns += t->period_ns;
			if (t->when_ns <= now)
				t->when_ns += ((now - t->when_ns) / t->period_ns + 1) * t->period_ns;
		}
		fire.fn(l, fire.id, fire.cookie);
		ran++;
	}
	return ran;
}

int
loop_once(struct loop *l, uint64_t timeout_ns)
{
	int n = loop_wait(l, timeout_ns), ran;

	if (n < 0)
		return n;
	ran = loop_dispatch_files(l, n);
	return ran + loop_dispatch_timers(l);
}

int
loop_run(struct loop *l)
{
	int rc = 0;

	while (!l->stop) {
		rc = loop_once(l, UINT64_MAX);
		if (rc < 0)
			break;
		rc = 0;
	}
	l->stop = false;
	return rc;
}
