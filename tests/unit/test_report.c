/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The dataplane's record writer (dataplane/dp/report.c, which needs no
 * DPDK: compiled in here) against a fake control on a real unix socket:
 * every record numbered; a control that resumes after record N gets the
 * hello and N+1.. (also records it had been sent but not written, the hole
 * a killed control left before); a control that says nothing gets, after
 * the wait, what no control had; a resume point older than the history
 * gets what is left and a history_gap notice with the count; a bad resume
 * line is said and everything kept is sent.
 */
#include <check.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../dataplane/dp/report.c"
#include "mp_test.h"

static char dir[64], path[128];

static int
srv_listen(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	snprintf(dir, sizeof(dir), "/tmp/mp-test-report.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s", dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(fd, 4), 0);
	return fd;
}

static void
srv_done(int lfd)
{
	close(lfd);
	unlink(path);
	rmdir(dir);
}

static void
say(int fd, const char *s)
{
	ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

/* Lines control receives within timeout_ms, driving the writer meanwhile. */
struct got {
	int n;
	uint64_t rec[64];
	char type[64][16], event[64][24];
	char buf[65536];
	size_t len;
};

static void
got_line(struct got *g, const char *line)
{
	cJSON *o = cJSON_Parse(line), *t, *e;
	struct mp_recid id;

	ck_assert_ptr_nonnull(o);
	ck_assert_int_lt(g->n, 64);
	g->rec[g->n] = mp_recid_from_json(o, &id) == 0 ? id.rec : 0;
	t = cJSON_GetObjectItem(o, "type");
	e = cJSON_GetObjectItem(o, "event");
	snprintf(g->type[g->n], 16, "%s", t != NULL ? t->valuestring : "?");
	snprintf(g->event[g->n], 24, "%s", e != NULL ? e->valuestring : "");
	g->n++;
	cJSON_Delete(o);
}

static void
receive(struct report *r, int fd, struct got *g, int want, int timeout_ms)
{
	int waited = 0;

	memset(g, 0, sizeof(*g));
	while (g->n < want && waited < timeout_ms) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;
		char *nl;

		report_poll(r);
		if (poll(&p, 1, 10) == 0) {
			waited += 10;
			continue;
		}
		n = read(fd, g->buf + g->len, sizeof(g->buf) - g->len - 1);
		ck_assert_int_gt(n, 0);
		g->len += (size_t)n;
		g->buf[g->len] = '\0';
		while ((nl = strchr(g->buf, '\n')) != NULL) {
			*nl = '\0';
			got_line(g, g->buf);
			g->len -= (size_t)(nl + 1 - g->buf);
			memmove(g->buf, nl + 1, g->len + 1);
		}
	}
}

static void
hello(struct report *r)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "type", "hello");
	report_hello(r, o);
}

static void
events(struct report *r, int n)
{
	while (n-- > 0)
		report_event(r, "a", "next_hop_resolved", "x");
}

/* control is killed; the writer finds out and connects again at once */
static int
reconnect(struct report *r, int lfd, int cfd)
{
	close(cfd);
	report_poll(r);
	ck_assert_int_eq(r->state, REPORT_DOWN);
	r->next_retry_ns = 0;
	report_poll(r);
	ck_assert_int_eq(r->state, REPORT_AWAIT);
	return accept(lfd, NULL, NULL);
}

/* A writer connected to a fake control: the hello and n events queued. */
struct fix {
	int lfd, cfd;
	struct report r;
};

static void
fix_start(struct fix *f, int n)
{
	f->lfd = srv_listen();
	ck_assert_int_eq(report_open(&f->r, path), 0);
	f->cfd = accept(f->lfd, NULL, NULL);
	hello(&f->r);
	events(&f->r, n);
}

static void
fix_end(struct fix *f)
{
	close(f->cfd);
	report_close(&f->r);
	srv_done(f->lfd);
}

/* control resumes after record `after` of this dataplane */
static void
say_after(struct fix *f, uint64_t after)
{
	struct mp_resume rs = { .has_instance = true, .instance = f->r.id.instance, .after = after };
	char line[MP_RESUME_LINE_MAX];

	ck_assert_int_gt(mp_resume_format(&rs, line, sizeof(line)), 0);
	say(f->cfd, line);
}

START_TEST(test_resume_after_kill)
{
	struct fix f;
	struct got g;
	int i;

	fix_start(&f, 3);
	say(f.cfd, "{\"type\":\"resume\"}\n");
	receive(&f.r, f.cfd, &g, 4, 2000);
	ck_assert_int_eq(g.n, 4);
	for (i = 0; i < 4; i++)
		ck_assert_uint_eq(g.rec[i], (uint64_t)i + 1);
	ck_assert_str_eq(g.type[0], "hello");
	/* control wrote records 1 and 2 only, and was killed; two more meanwhile */
	events(&f.r, 2);
	f.cfd = reconnect(&f.r, f.lfd, f.cfd);
	say_after(&f, 2);
	receive(&f.r, f.cfd, &g, 5, 2000);
	ck_assert_int_eq(g.n, 5);
	ck_assert_str_eq(g.type[0], "hello");
	ck_assert_uint_eq(g.rec[0], 1);
	for (i = 1; i < 5; i++)
		ck_assert_uint_eq(g.rec[i], (uint64_t)i + 2);
	/* a control claiming more than was ever written: live records only */
	f.cfd = reconnect(&f.r, f.lfd, f.cfd);
	say_after(&f, UINT64_MAX);
	usleep(10000);
	report_poll(&f.r);	/* the line taken before record 7 is made */
	events(&f.r, 1);
	receive(&f.r, f.cfd, &g, 2, 2000);
	ck_assert_int_eq(g.n, 2);
	ck_assert_uint_eq(g.rec[0], 1);
	ck_assert_uint_eq(g.rec[1], 7);
	/* another dataplane's instance: everything kept */
	f.cfd = reconnect(&f.r, f.lfd, f.cfd);
	say(f.cfd, "{\"type\":\"resume\",\"instance\":\"1234\",\"after\":5}\n");
	receive(&f.r, f.cfd, &g, 7, 2000);
	ck_assert_int_eq(g.n, 7);
	ck_assert_uint_eq(g.rec[6], 7);
	fix_end(&f);
}
END_TEST

START_TEST(test_silent_control)
{
	struct fix f;
	struct got g;

	fix_start(&f, 2);
	/* nothing for REPORT_RESUME_WAIT_MS: then the records, as before resume */
	receive(&f.r, f.cfd, &g, 1, 100);
	ck_assert_int_eq(g.n, 0);
	receive(&f.r, f.cfd, &g, 3, 2000);
	ck_assert_int_eq(g.n, 3);
	ck_assert_uint_eq(g.rec[2], 3);
	events(&f.r, 1);
	receive(&f.r, f.cfd, &g, 1, 2000);
	f.cfd = reconnect(&f.r, f.lfd, f.cfd);
	events(&f.r, 1);
	/* what no control had: record 5 after the hello */
	receive(&f.r, f.cfd, &g, 2, 2000);
	ck_assert_int_eq(g.n, 2);
	ck_assert_uint_eq(g.rec[0], 1);
	ck_assert_uint_eq(g.rec[1], 5);
	fix_end(&f);
}
END_TEST

START_TEST(test_history_gap)
{
	struct fix f;
	struct got g;

	fix_start(&f, 0);
	/* a history of 4 records: of 1..10, 7..10 kept */
	mp_history_free(&f.r.hist);
	ck_assert_int_eq(mp_history_init(&f.r.hist, 4, 1 << 20, 600ull * 1000000000ull), 0);
	free(f.r.hello);
	f.r.hello = NULL;
	hello(&f.r);
	events(&f.r, 9);
	say_after(&f, 2);
	receive(&f.r, f.cfd, &g, 6, 2000);
	ck_assert_int_eq(g.n, 6);
	ck_assert_uint_eq(g.rec[0], 1);
	ck_assert_str_eq(g.event[1], "history_gap");
	ck_assert_uint_eq(g.rec[1], 0);		/* a notice to this control, not a record */
	ck_assert_uint_eq(g.rec[2], 7);
	ck_assert_uint_eq(g.rec[5], 10);
	fix_end(&f);
}
END_TEST

START_TEST(test_bad_resume_line)
{
	struct fix f;
	struct got g;

	fix_start(&f, 2);
	say(f.cfd, "{\"type\":\"resume\",\"after\":\"x\"}\n");
	receive(&f.r, f.cfd, &g, 3, 250);	/* well before the wait for a silent control */
	ck_assert_int_eq(g.n, 3);
	fix_end(&f);
}
END_TEST

/*
 * A control of another user (not root) listening on the path gets nothing:
 * root only (the child drops to nobody to listen); skipped otherwise.
 */
START_TEST(test_peer_other_user)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int ready[2], done[2];
	struct report r;
	char c;
	pid_t pid;

	if (geteuid() != 0) {
		printf("test_peer_other_user: skipped, needs root to listen as another user\n");
		return;
	}
	snprintf(dir, sizeof(dir), "/tmp/mp-test-report.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chmod(dir, 0777), 0);
	snprintf(path, sizeof(path), "%s/s", dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(done), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fd;

		close(done[1]);
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(1);
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 4) != 0 ||
		    chmod(path, 0777) != 0)
			_exit(2);
		c = 'y';
		if (write(ready[1], &c, 1) != 1 || read(done[0], &c, 1) < 0)
			_exit(3);
		_exit(0);
	}
	close(done[0]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	ck_assert_int_eq(report_open(&r, path), -EPERM);
	ck_assert_int_eq(r.refused_uid, 65534);
	close(done[1]);
	waitpid(pid, NULL, 0);
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("writer");

	tcase_add_test(tc, test_resume_after_kill);
	tcase_add_test(tc, test_silent_control);
	tcase_add_test(tc, test_history_gap);
	tcase_add_test(tc, test_bad_resume_line);
	tcase_add_test(tc, test_peer_other_user);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(report_suite)
