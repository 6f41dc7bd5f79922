/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The connection to the dataplane (see dpconn.h): its socket, its process
 * when control spawned it, and the line framing of its record stream.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dpconn.h"
#include "netns.h"
#include "resume.h"
#include "util.h"

struct dpconn {
	struct dpconn_opts o;
	struct dpconn_state st;
	char sock_dir[PATH_MAX];	/* the private socket's directory (spawn) */
	char sock_path[PATH_MAX];
	char lock_path[PATH_MAX + 8];	/* attach: held while this control listens */
	int listen_fd, conn_fd, lock_fd;
	char *buf;			/* the line being received */
	size_t buf_len;
	bool skipping;			/* inside a line too long: drop up to its end */
	bool done;
	struct link_interval *li;	/* where intervals are decoded (large) */
	struct resume_point rp;		/* the last record written */
	uint64_t hello_timer, kill_timer;
};

static void dpconn_on_listen(struct loop *l, int fd, unsigned int ev, void *cookie);

struct dpconn *
dpconn_create(const struct dpconn_opts *o)
{
	struct dpconn *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->o = *o;
	c->listen_fd = c->conn_fd = c->lock_fd = -1;
	c->buf = malloc(DPCONN_LINE_MAX + 1);
	c->li = malloc(sizeof(*c->li));
	if (c->buf == NULL || c->li == NULL) {
		dpconn_destroy(c);
		return NULL;
	}
	return c;
}

const struct dpconn_state *
dpconn_state(const struct dpconn *c)
{
	return &c->st;
}

const char *
dpconn_socket_path(const struct dpconn *c)
{
	return c->sock_path;
}

/* The dataplane is gone, or control is done with it: tell the run, once. */
static void
dpconn_done(struct dpconn *c)
{
	if (c->done)
		return;
	c->done = true;
	if (c->o.loop != NULL && c->kill_timer != 0)
		loop_timer_del(c->o.loop, c->kill_timer);
	if (c->o.loop != NULL && c->hello_timer != 0)
		loop_timer_del(c->o.loop, c->hello_timer);
	c->kill_timer = c->hello_timer = 0;
	if (c->o.on_done != NULL)
		c->o.on_done(c->o.cookie);
}

/* Written before (resume): true to drop it; the hello goes on, marked again. */
static bool
dpconn_seen(struct dpconn *c, struct dprec *r)
{
	struct mp_recid id = {
		.instance = r->instance, .start_ns = r->instance_start_ns, .rec = r->rec,
	};

	if (!resume_seen(&c->rp, &id))
		return false;
	if (r->type == DPREC_HELLO) {
		c->rp.duplicates--;
		r->again = true;
		return false;
	}
	c->st.duplicates = c->rp.duplicates;
	return true;
}

/* One whole line: decode it once, count it, hand it on. */
static void
dpconn_line(struct dpconn *c, const char *line)
{
	struct dprec r;
	char err[256];

	if (dprec_decode(line, &c->o.links, mp_now_ns(), c->li, &r, err, sizeof(err)) != 0) {
		c->st.bad_records++;
		if (r.type == DPREC_INTERVAL || r.type == DPREC_PATH)
			fprintf(stderr, "metroprobe: bad record from the dataplane: %s\n", err);
		return;
	}
	if (dpconn_seen(c, &r)) {
		dprec_release(&r);
		return;
	}
	switch (r.type) {
	case DPREC_HELLO:
		c->st.got_hello = true;
		break;
	case DPREC_INTERVAL:
		c->st.records++;
		break;
	case DPREC_END:
		c->st.got_end = true;
		snprintf(c->st.end_reason, sizeof(c->st.end_reason), "%s", r.end_reason);
		break;
	default:
		break;
	}
	if (c->o.on_record != NULL)
		c->o.on_record(c->o.cookie, &r);
	dprec_release(&r);
}

void
dpconn_feed(struct dpconn *c, const char *data, size_t n)
{
	while (n > 0) {
		const char *nl = memchr(data, '\n', n);
		size_t take = nl != NULL ? (size_t)(nl - data) : n;
		size_t used = take + (nl != NULL ? 1 : 0);

		if (c->skipping) {
			c->skipping = nl == NULL;
		} else if (c->buf_len + take > DPCONN_LINE_MAX) {
			/* counted once, and the rest of that line is not taken for a record */
			c->st.bad_records++;
			c->buf_len = 0;
			c->skipping = nl == NULL;
		} else {
			memcpy(c->buf + c->buf_len, data, take);
			c->buf_len += take;
			if (nl != NULL) {
				c->buf[c->buf_len] = '\0';
				c->buf_len = 0;
				dpconn_line(c, c->buf);
			}
		}
		data += used;
		n -= used;
	}
}

static void
dpconn_close_conn(struct dpconn *c)
{
	if (c->conn_fd < 0)
		return;
	if (c->o.loop != NULL)
		loop_fd_del(c->o.loop, c->conn_fd);
	close(c->conn_fd);
	c->conn_fd = -1;
	c->st.connected = false;
	c->buf_len = 0;		/* a partial line: the dataplane re-sends it whole */
	c->skipping = false;
}

/* Read what is there. Returns -1 at end of stream or on error, else 0. */
static int
dpconn_read(struct dpconn *c)
{
	char chunk[65536];

	for (;;) {
		ssize_t n = read(c->conn_fd, chunk, sizeof(chunk));

		if (n == 0)
			return -1;
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		dpconn_feed(c, chunk, (size_t)n);
	}
}

static void
dpconn_on_conn(struct loop *l, int fd, unsigned int ev, void *cookie)
{
	struct dpconn *c = cookie;

	(void)fd;
	(void)ev;
	if (dpconn_read(c) == 0)
		return;
	dpconn_close_conn(c);
	/* an attached dataplane closes its end only when it ends */
	if (c->o.attach_path != NULL) {
		dpconn_done(c);
		return;
	}
	loop_fd_add(l, c->listen_fd, LOOP_READ, dpconn_on_listen, c);
}

/* Who may feed us records: our own child, or (attached) a process of our user or root. */
static bool
dpconn_peer_ok(const struct dpconn *c, int fd)
{
	struct ucred cred;
	socklen_t cl = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) != 0)
		return false;
	if (c->o.attach_path == NULL)
		return cred.pid == c->st.pid;
	return cred.uid == geteuid() || cred.uid == 0;
}

/*
 * The first line on a connection: where this control resumes (a new
 * socket takes it whole). A dataplane already gone cannot read it, but
 * what it wrote can still be read: not an error.
 */
static void
dpconn_send_resume(struct dpconn *c, int fd)
{
	char line[MP_RESUME_LINE_MAX];
	int n = resume_line(&c->rp, line, sizeof(line));

	if (n > 0 && send(fd, line, (size_t)n, MSG_NOSIGNAL) != n)
		fprintf(stderr, "metroprobe: cannot send the resume line to the dataplane: %s\n",
			strerror(errno));
}

static int
dpconn_accept(struct dpconn *c)
{
	int fd = accept4(c->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (!dpconn_peer_ok(c, fd)) {
		close(fd);
		return -EPERM;
	}
	dpconn_send_resume(c, fd);
	c->conn_fd = fd;
	c->st.connected = true;
	if (c->o.loop != NULL) {
		/* one stream at a time: the next is accepted when this one ends */
		loop_fd_del(c->o.loop, c->listen_fd);
		loop_fd_add(c->o.loop, fd, LOOP_READ, dpconn_on_conn, c);
	}
	return 0;
}

static void
dpconn_on_listen(struct loop *l, int fd, unsigned int ev, void *cookie)
{
	(void)l;
	(void)fd;
	(void)ev;
	dpconn_accept(cookie);
}

/*
 * One control at a time on an attach path: it holds an flock on PATH.lock
 * (a connection to test the socket would look like a dataplane to the
 * control that has it). 0, or -EADDRINUSE while another control holds it.
 */
static int
dpconn_lock(struct dpconn *c)
{
	snprintf(c->lock_path, sizeof(c->lock_path), "%s.lock", c->o.attach_path);
	c->lock_fd = open(c->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (c->lock_fd < 0) {
		c->lock_path[0] = '\0';
		return -errno;
	}
	if (flock(c->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		close(c->lock_fd);
		c->lock_fd = -1;
		c->lock_path[0] = '\0';
		return errno == EWOULDBLOCK ? -EADDRINUSE : -errno;
	}
	return 0;
}

/* The last record the output directory has: the dataplane sends what follows it. */
static int
dpconn_resume_point(struct dpconn *c)
{
	int rc = resume_scan(c->o.resume_dir, &c->rp, stderr);

	if (rc != 0)
		fprintf(stderr, "metroprobe: cannot read %s for the last record written: %s\n",
			c->o.resume_dir, strerror(-rc));
	else if (c->rp.known)
		fprintf(stderr, "metroprobe: resuming after record %llu of dataplane %016llx\n",
			(unsigned long long)c->rp.last.rec,
			(unsigned long long)c->rp.last.instance);
	return rc;
}

int
dpconn_listen(struct dpconn *c)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int rc;

	if (c->o.resume_dir != NULL && (rc = dpconn_resume_point(c)) != 0)
		return rc;
	if (c->o.attach_path != NULL) {
		if (strlen(c->o.attach_path) >= sizeof(sa.sun_path))
			return -ENAMETOOLONG;
		rc = dpconn_lock(c);
		if (rc != 0)
			return rc;
		snprintf(c->sock_path, sizeof(c->sock_path), "%s", c->o.attach_path);
		unlink(c->sock_path);	/* a stale one, from a control that was killed */
	} else {
		snprintf(c->sock_dir, sizeof(c->sock_dir), "/tmp/metroprobe.XXXXXX");
		if (mkdtemp(c->sock_dir) == NULL) {
			c->sock_dir[0] = '\0';
			return -errno;
		}
		snprintf(c->sock_path, sizeof(c->sock_path), "%s/records.sock", c->sock_dir);
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", c->sock_path);
	c->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->listen_fd < 0)
		return -errno;
	if (bind(c->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    chmod(c->sock_path, 0600) != 0 || listen(c->listen_fd, 4) != 0)
		return -errno;
	return 0;
}

int
dpconn_attach(struct dpconn *c)
{
	return loop_fd_add(c->o.loop, c->listen_fd, LOOP_READ, dpconn_on_listen, c);
}

/* In the child: become the dataplane. Never returns. */
static void
dpconn_exec(char *const argv[], const char *netns, const char *log_path, pid_t parent)
{
	int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), rc;
	sigset_t none;

	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
	}
	/*
	 * Nothing of our caller's: a lock it holds (flock FILE metroprobe
	 * run) would otherwise be held by a dataplane that outlives us.
	 */
	close_range(3, ~0u, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Its own process group: a Ctrl-C reaches control, which stops it in order. */
	setpgid(0, 0);
	/*
	 * A run's dataplane must not outlive control: SIGTERM when we die
	 * (the dataplane then drains and ends). If control died before
	 * this line, the signal will never come: give up now.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
		_exit(125);
	if (netns[0] != '\0' && (rc = mp_netns_enter(netns)) != 0) {
		fprintf(stderr, "metroprobe: cannot enter netns %s: %s\n", netns, strerror(-rc));
		_exit(126);
	}
	execv(argv[0], argv);
	fprintf(stderr, "metroprobe: exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static void
dpconn_on_hello_timeout(struct loop *l, uint64_t id, void *cookie)
{
	struct dpconn *c = cookie;

	(void)id;
	c->hello_timer = 0;
	if (c->st.got_hello || c->st.exited)
		return;
	fprintf(stderr, "metroprobe: the dataplane did not start within %d s\n",
		DPCONN_HELLO_TIMEOUT_S);
	kill(c->st.pid, SIGKILL);
	if (c->kill_timer != 0)
		loop_timer_del(l, c->kill_timer);
	c->kill_timer = 0;
}

int
dpconn_spawn(struct dpconn *c, char *const argv[], const char *netns, const char *log_path)
{
	pid_t parent = getpid(), pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		dpconn_exec(argv, netns, log_path, parent);
	c->st.pid = pid;
	if (c->o.loop == NULL)
		return 0;
	c->hello_timer = loop_timer_add(c->o.loop, DPCONN_HELLO_TIMEOUT_S * 1000000000ull, 0,
					dpconn_on_hello_timeout, c);
	return loop_fd_add(c->o.loop, c->listen_fd, LOOP_READ, dpconn_on_listen, c);
}

/* Read the rest of the stream of a dataplane that is gone or left alone. */
static void
dpconn_drain(struct dpconn *c)
{
	if (c->conn_fd < 0 && c->listen_fd >= 0)
		dpconn_accept(c);
	if (c->conn_fd >= 0 && dpconn_read(c) < 0)
		dpconn_close_conn(c);
}

void
dpconn_reap(struct dpconn *c)
{
	int st;

	if (c->st.pid <= 0 || c->st.exited || waitpid(c->st.pid, &st, WNOHANG) != c->st.pid)
		return;
	c->st.exited = true;
	c->st.status = st;
	dpconn_drain(c);
	dpconn_done(c);
}

static void
dpconn_on_kill_timeout(struct loop *l, uint64_t id, void *cookie)
{
	struct dpconn *c = cookie;

	(void)l;
	(void)id;
	c->kill_timer = 0;
	fprintf(stderr, "metroprobe: the dataplane did not stop; killing it\n");
	dpconn_kill(c);
}

void
dpconn_stop(struct dpconn *c, unsigned int grace_ms)
{
	if (c->st.pid <= 0) {
		dpconn_drain(c);
		dpconn_done(c);
		return;
	}
	if (c->st.exited)
		return;
	kill(c->st.pid, SIGTERM);
	if (c->o.loop != NULL && c->kill_timer == 0)
		c->kill_timer = loop_timer_add(c->o.loop, (grace_ms + 5000ull) * 1000000ull, 0,
					       dpconn_on_kill_timeout, c);
}

void
dpconn_kill(struct dpconn *c)
{
	if (c->st.pid > 0 && !c->st.exited)
		kill(c->st.pid, SIGKILL);
}

void
dpconn_destroy(struct dpconn *c)
{
	if (c == NULL)
		return;
	if (c->st.pid > 0 && !c->st.exited) {
		kill(c->st.pid, SIGKILL);
		waitpid(c->st.pid, NULL, 0);
		c->st.exited = true;
	}
	if (c->o.loop != NULL) {
		if (c->hello_timer != 0)
			loop_timer_del(c->o.loop, c->hello_timer);
		if (c->kill_timer != 0)
			loop_timer_del(c->o.loop, c->kill_timer);
		if (c->listen_fd >= 0)
			loop_fd_del(c->o.loop, c->listen_fd);
	}
	dpconn_close_conn(c);
	if (c->listen_fd >= 0)
		close(c->listen_fd);
	if (c->sock_path[0] != '\0')
		unlink(c->sock_path);
	if (c->sock_dir[0] != '\0')
		rmdir(c->sock_dir);
	if (c->lock_fd >= 0) {
		unlink(c->lock_path);
		close(c->lock_fd);
	}
	free(c->buf);
	free(c->li);
	free(c);
}
