/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Control's event loop (control/loop.c): timers fire in order and on time,
 * periodic ones keep their phase, descriptors call back on readiness
 * (pipes), a callback may remove itself or another, and stop ends the run.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#include "loop.h"
#include "mp_test.h"

#define MS	UINT64_C(1000000)
/* a shared 2-vCPU machine: late is allowed, early never */
#define LATE_MAX	(40 * MS)

struct fired {
	uint64_t id[16];
	uint64_t at_ns[16];
	int n;
	int stop_after;		/* stop the loop after this many (0 = never) */
};

static void
on_timer(struct loop *l, uint64_t id, void *cookie)
{
	struct fired *f = cookie;

	if (f->n < 16) {
		f->id[f->n] = id;
		f->at_ns[f->n] = loop_now_ns();
	}
	f->n++;
	if (f->stop_after != 0 && f->n >= f->stop_after)
		loop_stop(l);
}

START_TEST(test_timers_in_order_on_time)
{
	struct loop *l = loop_create();
	struct fired f = { .stop_after = 4 };
	uint64_t seed = 9, t0, after[4], id[4];
	int i, j;

	ck_assert_ptr_nonnull(l);
	/* four one-shot timers added in random order of their deadlines */
	for (i = 0; i < 4; i++)
		after[i] = (uint64_t)(i + 1) * 15 * MS;
	for (i = 3; i > 0; i--) {
		uint64_t k = rnd_range(&seed, 0, (uint64_t)i), tmp = after[i];

		after[i] = after[k];
		after[k] = tmp;
	}
	t0 = loop_now_ns();
	for (i = 0; i < 4; i++)
		id[i] = loop_timer_add(l, after[i], 0, on_timer, &f);
	ck_assert_int_eq(loop_run(l), 0);
	ck_assert_int_eq(f.n, 4);
	for (j = 0; j < 4; j++) {
		/* the j-th to fire is the one due (j+1)*15 ms after t0 */
		for (i = 0; i < 4; i++)
			if (after[i] == (uint64_t)(j + 1) * 15 * MS)
				break;
		ck_assert_uint_eq(f.id[j], id[i]);
		ck_assert_uint_ge(f.at_ns[j], t0 + after[i]);
		ck_assert_uint_le(f.at_ns[j], t0 + after[i] + LATE_MAX);
	}
	/* a one-shot timer is gone once it ran */
	ck_assert_int_eq(loop_timer_del(l, id[0]), -ENOENT);
	loop_destroy(l);
}
END_TEST

START_TEST(test_periodic_keeps_phase)
{
	struct loop *l = loop_create();
	struct fired f = { .stop_after = 5 };
	uint64_t t0 = loop_now_ns(), id;
	int i;

	id = loop_timer_add(l, 10 * MS, 10 * MS, on_timer, &f);
	ck_assert_uint_ne(id, 0);
	ck_assert_int_eq(loop_run(l), 0);
	ck_assert_int_eq(f.n, 5);
	for (i = 0; i < 5; i++) {
		ck_assert_uint_eq(f.id[i], id);
		ck_assert_uint_ge(f.at_ns[i], t0 + (uint64_t)(i + 1) * 10 * MS);
		ck_assert_uint_le(f.at_ns[i], t0 + (uint64_t)(i + 1) * 10 * MS + LATE_MAX);
	}
	/* still armed after a stop; then cancelled */
	ck_assert_int_eq(loop_timer_del(l, id), 0);
	ck_assert_int_eq(loop_timer_del(l, id), -ENOENT);
	loop_destroy(l);
}
END_TEST

/* A late pass skips the periods it missed instead of running them in a burst. */
START_TEST(test_periodic_skips_missed)
{
	struct loop *l = loop_create();
	struct fired f = { 0 };

	loop_timer_add(l, 5 * MS, 5 * MS, on_timer, &f);
	usleep(32 * 1000);	/* six periods due */
	ck_assert_int_eq(loop_once(l, 0), 1);
	ck_assert_int_eq(f.n, 1);
	ck_assert_int_eq(loop_once(l, 0), 0);
	loop_destroy(l);
}
END_TEST

struct pipe_seen {
	int reads;
	int hups;
	int del_fd;		/* remove this fd from inside the callback (-1: none) */
	char last;
};

static void
on_pipe(struct loop *l, int fd, unsigned int ev, void *cookie)
{
	struct pipe_seen *s = cookie;
	char c;

	if (ev & LOOP_READ) {
		if (read(fd, &c, 1) == 1) {
			s->reads++;
			s->last = c;
		} else {
			s->hups++;
			loop_fd_del(l, fd);
		}
	} else if (ev & LOOP_HUP) {
		s->hups++;
		loop_fd_del(l, fd);
	}
	if (s->del_fd >= 0) {
		loop_fd_del(l, s->del_fd);
		s->del_fd = -1;
	}
}

START_TEST(test_fd_readiness)
{
	struct loop *l = loop_create();
	struct pipe_seen s = { .del_fd = -1 };
	int p[2];

	ck_assert_int_eq(pipe2(p, O_NONBLOCK), 0);
	ck_assert_int_eq(loop_fd_add(l, p[0], LOOP_READ, on_pipe, &s), 0);
	/* nothing written: a pass times out without a callback */
	ck_assert_int_eq(loop_once(l, 5 * MS), 0);
	ck_assert_int_eq(write(p[1], "x", 1), 1);
	ck_assert_int_eq(loop_once(l, 1000 * MS), 1);
	ck_assert_int_eq(s.reads, 1);
	ck_assert_int_eq(s.last, 'x');
	/* write interest on the other end: a pipe with room is writable */
	ck_assert_int_eq(loop_fd_add(l, p[1], LOOP_WRITE, on_pipe, &s), 0);
	ck_assert_int_eq(loop_once(l, 1000 * MS), 1);
	ck_assert_int_eq(loop_fd_del(l, p[1]), 0);
	ck_assert_int_eq(loop_fd_del(l, p[1]), -ENOENT);
	/* the writer closes: the reader sees end of file and removes itself */
	close(p[1]);
	ck_assert_int_eq(loop_once(l, 1000 * MS), 1);
	ck_assert_int_eq(s.hups, 1);
	ck_assert_int_eq(loop_fd_del(l, p[0]), -ENOENT);
	close(p[0]);
	loop_destroy(l);
}
END_TEST

/* Two descriptors ready in one pass; the first callback removes the second. */
START_TEST(test_remove_during_callback)
{
	struct loop *l = loop_create();
	struct pipe_seen s1 = { .del_fd = -1 }, s2 = { .del_fd = -1 };
	int a[2], b[2];

	ck_assert_int_eq(pipe2(a, O_NONBLOCK), 0);
	ck_assert_int_eq(pipe2(b, O_NONBLOCK), 0);
	ck_assert_int_eq(loop_fd_add(l, a[0], LOOP_READ, on_pipe, &s1), 0);
	ck_assert_int_eq(loop_fd_add(l, b[0], LOOP_READ, on_pipe, &s2), 0);
	s1.del_fd = b[0];
	s2.del_fd = a[0];
	ck_assert_int_eq(write(a[1], "1", 1), 1);
	ck_assert_int_eq(write(b[1], "2", 1), 1);
	/* whichever runs first removes the other: exactly one callback */
	ck_assert_int_eq(loop_once(l, 1000 * MS), 1);
	ck_assert_int_eq(s1.reads + s2.reads, 1);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
	loop_destroy(l);
}
END_TEST

struct cancel {
	uint64_t other;
	int n;
};

static void
on_cancel(struct loop *l, uint64_t id, void *cookie)
{
	struct cancel *c = cookie;

	(void)id;
	c->n++;
	loop_timer_del(l, c->other);
}

/* A timer due in the same pass as another can still be cancelled by it. */
START_TEST(test_timer_removed_by_earlier)
{
	struct loop *l = loop_create();
	struct cancel c = { 0 };

	loop_timer_add(l, 1 * MS, 0, on_cancel, &c);
	c.other = loop_timer_add(l, 2 * MS, 0, on_cancel, &c);
	usleep(5 * 1000);
	ck_assert_int_eq(loop_once(l, 0), 1);
	ck_assert_int_eq(c.n, 1);
	ck_assert_int_eq(loop_once(l, 0), 0);
	loop_destroy(l);
}
END_TEST

static void
on_self_cancel(struct loop *l, uint64_t id, void *cookie)
{
	int *n = cookie;

	if (++*n == 3)
		loop_timer_del(l, id);
}

static void
on_stop(struct loop *l, uint64_t id, void *cookie)
{
	(void)id;
	(void)cookie;
	loop_stop(l);
}

/* A periodic timer that cancels itself on its third run; stop ends the run. */
START_TEST(test_self_cancel_and_stop)
{
	struct loop *l = loop_create();
	int n = 0;

	loop_timer_add(l, 2 * MS, 2 * MS, on_self_cancel, &n);
	loop_timer_add(l, 50 * MS, 0, on_stop, NULL);
	ck_assert_int_eq(loop_run(l), 0);
	ck_assert_int_eq(n, 3);
	/* the loop runs again after a stop */
	loop_timer_add(l, 1 * MS, 0, on_stop, NULL);
	ck_assert_int_eq(loop_run(l), 0);
	ck_assert_int_eq(loop_fd_add(l, -1, LOOP_READ, NULL, NULL), -EINVAL);
	loop_destroy(l);
}
END_TEST

static Suite *
loop_suite(void)
{
	Suite *s = suite_create("loop");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_timers_in_order_on_time);
	tcase_add_test(tc, test_periodic_keeps_phase);
	tcase_add_test(tc, test_periodic_skips_missed);
	tcase_add_test(tc, test_fd_readiness);
	tcase_add_test(tc, test_remove_during_callback);
	tcase_add_test(tc, test_timer_removed_by_earlier);
	tcase_add_test(tc, test_self_cancel_and_stop);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(loop_suite)
