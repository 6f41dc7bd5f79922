/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "mp_record.h"
#include "report.h"

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * A new control after a reconnect: the hello goes in front of the backlog
 * (the oldest record makes room if the backlog is full; counted dropped).
 */
static void
report_hello_again(struct report *r)
{
	char *copy;

	if (r->hello == NULL || (copy = strdup(r->hello)) == NULL)
		return;
	if (r->q_tail - r->q_head >= REPORT_BACKLOG) {
		free(r->q[r->q_head % REPORT_BACKLOG]);
		r->q[r->q_head % REPORT_BACKLOG] = NULL;
		r->q_head++;
		r->dropped++;
	}
	r->q_head--;
	r->q[r->q_head % REPORT_BACKLOG] = copy;
}

static int
report_connect(struct report *r)
{
	struct sockaddr_un sa;
	int fd;

	if (r->path == NULL) {
		r->fd = 1;
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
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	r->fd = fd;
	r->lost_since_ns = 0;
	r->q_off = 0;	/* a partly written line is re-sent whole on a new connection */
	if (r->connected_once)
		report_hello_again(r);
	r->connected_once = true;
	return 0;
}

int
report_open(struct report *r, const char *path)
{
	int rc;

	memset(r, 0, sizeof(*r));
	r->path = path;
	r->fd = -1;
	r->q = calloc(REPORT_BACKLOG, sizeof(*r->q));
	if (r->q == NULL)
		return -ENOMEM;
	rc = report_connect(r);
	if (rc != 0) {
		fprintf(stderr, "metroprobe-dp: cannot connect to control socket %s: %s\n",
			path, strerror(-rc));
		free(r->q);
		r->q = NULL;
	}
	return rc;
}

void
report_line(struct report *r, char *line)
{
	if (line == NULL)
		return;
	if (r->q_tail - r->q_head >= REPORT_BACKLOG) {
		free(r->q[r->q_head % REPORT_BACKLOG]);
		r->q[r->q_head % REPORT_BACKLOG] = NULL;
		r->q_head++;
		r->q_off = 0;
		r->dropped++;
	}
	r->q[r->q_tail++ % REPORT_BACKLOG] = line;
	report_poll(r);
}

void
report_json(struct report *r, cJSON *o)
{
	char *s = cJSON_PrintUnformatted(o), *line;
	size_t n;

	cJSON_Delete(o);
	if (s == NULL)
		return;
	n = strlen(s);
	line = realloc(s, n + 2);
	if (line == NULL) {
		free(s);
		return;
	}
	line[n] = '\n';
	line[n + 1] = '\0';
	report_line(r, line);
}

void
report_hello(struct report *r, cJSON *o)
{
	char *s = cJSON_PrintUnformatted(o);

	if (s != NULL) {
		free(r->hello);
		r->hello = malloc(strlen(s) + 2);
		if (r->hello != NULL)
			sprintf(r->hello, "%s\n", s);
		free(s);
	}
	report_json(r, o);
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
	cJSON *o = cJSON_CreateObject();

	if (workers != NULL)
		cJSON_AddItemToObject(o, "workers", workers);

	cJSON_AddStringToObject(o, "type", "end");
	cJSON_AddStringToObject(o, "reason", reason);
	cJSON_AddStringToObject(o, "detail", detail);
	record_add_u64(o, "records_dropped", r->dropped);
	report_json(r, o);
}

/* Control went away: keep the backlog, reconnect later. */
static void
report_lost(struct report *r)
{
	if (r->fd > 1)
		close(r->fd);
	r->fd = -1;
	r->next_retry_ns = mono_ns() + 1000000000ull;
	if (r->lost_since_ns == 0)
		r->lost_since_ns = mono_ns();
}

uint64_t
report_lost_ns(const struct report *r)
{
	return r->lost_since_ns != 0 ? mono_ns() - r->lost_since_ns : 0;
}

void
report_poll(struct report *r)
{
	if (r->fd > 1) {
		char c;

		/* Control never writes to us: a readable socket is its end, EOF. */
		if (recv(r->fd, &c, 1, MSG_DONTWAIT | MSG_PEEK) == 0) {
			report_lost(r);
			return;
		}
	}
	if (r->fd < 0) {
		uint64_t now = mono_ns();

		if (now < r->next_retry_ns || report_connect(r) != 0) {
			if (now >= r->next_retry_ns)
				r->next_retry_ns = now + 1000000000ull;
			return;
		}
	}
	while (r->q_head != r->q_tail) {
		char *line = r->q[r->q_head % REPORT_BACKLOG];
		size_t len = strlen(line);
		ssize_t w = write(r->fd, line + r->q_off, len - r->q_off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return;
			report_lost(r);
			return;
		}
		r->q_off += (size_t)w;
		if (r->q_off < len)
			return;
		free(line);
		r->q[r->q_head % REPORT_BACKLOG] = NULL;
		r->q_head++;
		r->q_off = 0;
	}
}

void
report_close(struct report *r)
{
	uint64_t until = mono_ns() + 2000000000ull;

	while (r->q != NULL && r->q_head != r->q_tail && r->fd >= 0 && mono_ns() < until) {
		struct pollfd p = { .fd = r->fd, .events = POLLOUT };

		poll(&p, 1, 100);
		report_poll(r);
	}
	if (r->fd > 1)
		close(r->fd);
	r->fd = -1;
	while (r->q != NULL && r->q_head != r->q_tail) {
		free(r->q[r->q_head % REPORT_BACKLOG]);
		r->q_head++;
	}
	free(r->q);
	r->q = NULL;
	free(r->hello);
	r->hello = NULL;
}
