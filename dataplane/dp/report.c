/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The record writer (see report.h): a connection to control's socket, the
 * numbered history of every record, and the resume handshake.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "mp_record.h"
#include "report.h"

static uint64_t
clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t
mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/* Number a line and keep it; the line as kept (owned by the history), or NULL. */
static const char *
report_push(struct report *r, char *line)
{
	struct mp_recid id = r->id;
	size_t len;

	id.rec = mp_history_next(&r->hist);
	line = mp_recid_stamp(line, &id);
	if (line == NULL)
		return NULL;
	mp_history_push(&r->hist, line, mono_ns());
	return mp_history_get(&r->hist, id.rec, &len);
}

/* A cJSON object as a malloc'd line with its newline; frees o. */
static char *
report_print(cJSON *o)
{
	char *s = cJSON_PrintUnformatted(o), *line;
	size_t n;

	cJSON_Delete(o);
	if (s == NULL)
		return NULL;
	n = strlen(s);
	line = realloc(s, n + 2);
	if (line == NULL) {
		free(s);
		return NULL;
	}
	line[n] = '\n';
	line[n + 1] = '\0';
	return line;
}

/*
 * Records first..first+n-1 are gone: the line that says so to this
 * connection (not a record of the history: each control that lacks them
 * hears it), or NULL.
 */
static char *
report_gap_line(const struct report *r, uint64_t first, uint64_t n)
{
	cJSON *o = cJSON_CreateObject();
	char detail[160], inst[24];

	snprintf(detail, sizeof(detail), "records %" PRIu64 "..%" PRIu64 " of this dataplane "
		 "are no longer kept: %" PRIu64 " records missing", first, first + n - 1, n);
	snprintf(inst, sizeof(inst), "%016" PRIx64, r->id.instance);
	cJSON_AddStringToObject(o, "type", "event");
	cJSON_AddStringToObject(o, "link", "dataplane");
	cJSON_AddStringToObject(o, "event", "history_gap");
	cJSON_AddStringToObject(o, "detail", detail);
	record_add_u64(o, "missing", n);
	record_add_u64(o, "first_missing", first);
	cJSON_AddStringToObject(o, "instance", inst);
	return report_print(o);
}

/* What a connection begins with: the hello (if made yet) and the gap notice (if any). */
static void
report_header(struct report *r, char *gap)
{
	size_t h = r->hello != NULL ? strlen(r->hello) : 0, g = gap != NULL ? strlen(gap) : 0;

	r->pending_off = 0;
	r->pending_rec = r->hello != NULL ? 1 : 0;
	r->pending = h + g > 0 ? malloc(h + g + 1) : NULL;
	if (r->pending != NULL) {
		memcpy(r->pending, r->hello != NULL ? r->hello : "", h);
		memcpy(r->pending + h, gap != NULL ? gap : "", g + 1);
	}
	free(gap);
}

/*
 * Begin sending on this connection: the hello, then the records after the
 * one control wrote last (all of them for another instance or none).
 */
static void
report_start(struct report *r, const struct mp_resume *rs)
{
	bool ours = rs->has_instance && rs->instance == r->id.instance;
	uint64_t next = mp_history_next(&r->hist), have = r->hist.first, want;

	/* a control ahead of our last record claims what we never wrote: nothing old */
	want = (ours ? (rs->after < next ? rs->after : next - 1) : 0) + 1;
	if (r->hello != NULL && want < 2)
		want = 2;	/* the hello is record 1, sent first whatever control has */
	report_header(r, want < have ? report_gap_line(r, want, have - want) : NULL);
	r->send_rec = want > have ? want : have;
	r->state = REPORT_STREAM;
	/* what the last control was sent but had not written: the hole resume fills */
	if (r->path != NULL && ours)
		fprintf(stderr, "metroprobe-dp: control attached: sending from record %" PRIu64
			" (it resumes; %" PRIu64 " of them sent before)\n", r->send_rec,
			r->hist.sent > rs->after ? r->hist.sent - rs->after : 0);
	else if (r->path != NULL)
		fprintf(stderr, "metroprobe-dp: control attached: sending from record %" PRIu64
			" (everything kept)\n", r->send_rec);
}

/* Control's line is in: parse it, and start. */
static void
report_resume_line(struct report *r, size_t len)
{
	struct mp_resume rs;
	char err[160];

	if (mp_resume_parse(r->in, len, &rs, err, sizeof(err)) != 0) {
		fprintf(stderr, "metroprobe-dp: control's resume line: %s; sending everything kept\n",
			err);
		memset(&rs, 0, sizeof(rs));
	}
	report_start(r, &rs);
}

/* Control said nothing in time: what no control had yet, as before resume existed. */
static void
report_start_legacy(struct report *r)
{
	struct mp_resume rs = {
		.has_instance = true, .instance = r->id.instance, .after = r->hist.sent,
	};

	report_start(r, &rs);
}

/*
 * Records go only to a control of root or of our own user: another user
 * listening on the path (a stale socket's directory made writable, say)
 * gets nothing. Said once per refused uid.
 */
static bool
report_peer_ok(struct report *r, int fd)
{
	struct ucred c;
	socklen_t cl = sizeof(c);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &c, &cl) != 0)
		return false;
	if (c.uid == 0 || c.uid == geteuid())
		return true;
	if (r->refused_uid != (int64_t)c.uid)
		fprintf(stderr, "metroprobe-dp: the control listening on %s runs as uid %u, "
			"neither root nor ours (%u): not sending it records\n", r->path,
			(unsigned)c.uid, (unsigned)geteuid());
	r->refused_uid = c.uid;
	return false;
}

static int
report_connect(struct report *r)
{
	struct sockaddr_un sa;
	int fd;

	if (r->path == NULL) {
		struct mp_resume all = { 0 };

		r->fd = 1;
		report_start(r, &all);
		return 0;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(r->path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, r->path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	if (!report_peer_ok(r, fd)) {
		close(fd);
		return -EPERM;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	r->fd = fd;
	r->lost_since_ns = 0;
	r->state = REPORT_AWAIT;
	r->in_len = 0;
	r->await_until_ns = mono_ns() + REPORT_RESUME_WAIT_MS * 1000000ull;
	return 0;
}

/* A random id for this instance; the time and pid if the kernel has no randomness for us. */
static uint64_t
report_instance_id(void)
{
	uint64_t id = 0;

	if (getrandom(&id, sizeof(id), GRND_NONBLOCK) != sizeof(id))
		id = clock_ns(CLOCK_REALTIME) * 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid();
	return id != 0 ? id : 1;
}

int
report_open(struct report *r, const char *path)
{
	int rc;

	memset(r, 0, sizeof(*r));
	r->path = path;
	r->fd = -1;
	r->refused_uid = -1;
	r->id.instance = report_instance_id();
	r->id.start_ns = clock_ns(CLOCK_REALTIME);
	rc = mp_history_init(&r->hist, REPORT_HISTORY_MAX, REPORT_HISTORY_BYTES,
			     REPORT_HISTORY_KEEP_S * 1000000000ull);
	if (rc != 0)
		return rc;
	rc = report_connect(r);
	if (rc != 0) {
		fprintf(stderr, "metroprobe-dp: cannot connect to control socket %s: %s\n",
			path, strerror(-rc));
		mp_history_free(&r->hist);
	}
	return rc;
}

void
report_line(struct report *r, char *line)
{
	if (line == NULL)
		return;
	report_push(r, line);
	report_poll(r);
}

void
report_json(struct report *r, cJSON *o)
{
	report_line(r, report_print(o));
}

void
report_hello(struct report *r, cJSON *o)
{
	char *line = report_print(o);
	const char *kept;

	if (line == NULL)
		return;
	kept = report_push(r, line);
	free(r->hello);
	r->hello = kept != NULL ? strdup(kept) : NULL;
	report_poll(r);
}

void
report_interval(struct report *r, const struct link_interval *li)
{
	report_line(r, record_interval_line(li));
}

void
report_event(struct report *r, const char *link, const char *event, const char *detail)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "type", "event");
	cJSON_AddStringToObject(o, "link", link);
	cJSON_AddStringToObject(o, "event", event);
	cJSON_AddStringToObject(o, "detail", detail);
	report_json(r, o);
}

void
report_end(struct report *r, const char *reason, const char *detail, cJSON *workers)
{
	cJSON *o = cJSON_CreateObject(), *h;

	if (workers != NULL)
		cJSON_AddItemToObject(o, "workers", workers);

	cJSON_AddStringToObject(o, "type", "end");
	cJSON_AddStringToObject(o, "reason", reason);
	cJSON_AddStringToObject(o, "detail", detail);
	record_add_u64(o, "records_dropped", r->hist.dropped);
	h = cJSON_AddObjectToObject(o, "history");
	record_add_u64(h, "records", r->hist.next - r->hist.first);
	record_add_u64(h, "bytes", r->hist.bytes);
	report_json(r, o);
}

/* Control went away: keep the history, reconnect later. */
static void
report_lost(struct report *r)
{
	if (r->fd > 1)
		close(r->fd);
	r->fd = -1;
	r->state = REPORT_DOWN;
	free(r->pending);
	r->pending = NULL;	/* a line partly written is sent whole on the next connection */
	r->next_retry_ns = mono_ns() + 1000000000ull;
	if (r->lost_since_ns == 0)
		r->lost_since_ns = mono_ns();
}

uint64_t
report_lost_ns(const struct report *r)
{
	return r->lost_since_ns != 0 ? mono_ns() - r->lost_since_ns : 0;
}

/* Bytes of control's resume line; a line too long is refused like a bad one. */
static void
report_take(struct report *r, const char *buf, size_t n)
{
	const char *nl = memchr(buf, '\n', n);
	size_t take = nl != NULL ? (size_t)(nl - buf) : n;

	if (r->in_len + take >= sizeof(r->in)) {
		report_resume_line(r, sizeof(r->in));	/* says why, sends everything */
		return;
	}
	memcpy(r->in + r->in_len, buf, take);
	r->in_len += take;
	if (nl != NULL)
		report_resume_line(r, r->in_len);
}

/* What control wrote: its resume line, then nothing (ignored). -1 at its end. */
static int
report_read(struct report *r)
{
	char buf[512];

	for (;;) {
		ssize_t n = recv(r->fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n == 0)
			return -1;
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		if (r->state == REPORT_AWAIT)
			report_take(r, buf, (size_t)n);
	}
}

/* Write line (len bytes) as far as the socket takes it; the rest becomes pending. 0, or -1. */
static int
report_write_line(struct report *r, const char *line, size_t len, uint64_t rec)
{
	ssize_t w;

	do {
		w = write(r->fd, line, len);
	} while (w < 0 && errno == EINTR);
	if (w < 0 && errno == EAGAIN)
		w = 0;
	if (w < 0)
		return -1;
	if ((size_t)w == len) {
		mp_history_sent(&r->hist, rec);
		return 0;
	}
	r->pending = strdup(line + w);
	r->pending_off = 0;
	r->pending_rec = rec;
	return r->pending != NULL ? 0 : -1;
}

/* The pending rest first, then the history from send_rec on. */
static void
report_write(struct report *r)
{
	while (r->state == REPORT_STREAM) {
		const char *line;
		size_t len;
		uint64_t rec;

		if (r->pending != NULL) {
			char *p = r->pending;

			r->pending = NULL;
			rec = r->pending_rec;
			if (report_write_line(r, p, strlen(p), rec) != 0) {
				free(p);
				report_lost(r);
				return;
			}
			free(p);
			if (r->pending != NULL)
				return;
			continue;
		}
		if (r->send_rec < r->hist.first)
			r->send_rec = r->hist.first;	/* evicted while we were slow: counted dropped */
		if (r->send_rec >= mp_history_next(&r->hist))
			return;
		rec = r->send_rec++;
		line = mp_history_get(&r->hist, rec, &len);
		if (report_write_line(r, line, len, rec) != 0) {
			report_lost(r);
			return;
		}
		if (r->pending != NULL)
			return;
	}
}

void
report_poll(struct report *r)
{
	uint64_t now = mono_ns();

	if (r->fd > 1 && report_read(r) != 0) {
		report_lost(r);
		return;
	}
	if (r->fd < 0) {
		if (now < r->next_retry_ns || report_connect(r) != 0) {
			if (now >= r->next_retry_ns)
				r->next_retry_ns = now + 1000000000ull;
			return;
		}
		if (report_read(r) != 0) {
			report_lost(r);
			return;
		}
	}
	if (r->state == REPORT_AWAIT && now >= r->await_until_ns)
		report_start_legacy(r);
	report_write(r);
}

static bool
report_busy(const struct report *r)
{
	return r->state == REPORT_AWAIT || r->pending != NULL ||
	       r->send_rec < mp_history_next(&r->hist);
}

void
report_close(struct report *r)
{
	uint64_t until = mono_ns() + 2000000000ull;

	while (r->hist.e != NULL && r->fd >= 0 && report_busy(r) && mono_ns() < until) {
		struct pollfd p = { .fd = r->fd, .events = POLLIN | POLLOUT };

		if (r->state == REPORT_AWAIT)
			p.events = POLLIN;
		poll(&p, 1, 100);
		report_poll(r);
	}
	if (r->fd > 1)
		close(r->fd);
	r->fd = -1;
	free(r->pending);
	r->pending = NULL;
	mp_history_free(&r->hist);
	free(r->hello);
	r->hello = NULL;
}
