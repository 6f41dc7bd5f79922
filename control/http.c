/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The HTTP server on the loop (http.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "hostport.h"
#include "http.h"
#include "loop.h"

struct http_server {
	struct loop *loop;
	struct MHD_Daemon *d;
	int epoll_fd;			/* MHD's; watched on the loop */
	uint64_t timer;			/* the pending MHD_get_timeout() timer; 0 none */
	int conns;			/* connections open now */
	const struct http_route *routes;
	int n_routes;
	void *cookie;
	char address[80];
};

static void http_rearm(struct http_server *s);

/* A reply of the server's own: a short text body. */
static enum MHD_Result
http_queue(struct MHD_Connection *c, const struct http_reply *rep, bool allow_header)
{
	struct MHD_Response *resp;
	enum MHD_Result rc;

	resp = MHD_create_response_from_buffer(rep->len, (void *)rep->body,
					       MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, rep->content_type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (allow_header)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	rc = MHD_queue_response(c, rep->status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static void
http_text(struct http_reply *rep, unsigned status, const char *body)
{
	rep->status = status;
	rep->content_type = "text/plain; charset=utf-8";
	rep->body = body;
	rep->len = strlen(body);
}

/* Every request: GET or HEAD of a known path, else 405 or 404. */
static enum MHD_Result
http_access(void *cls, struct MHD_Connection *c, const char *url, const char *method,
	    const char *version, const char *upload_data, size_t *upload_data_size,
	    void **con_cls)
{
	struct http_server *s = cls;
	struct http_reply rep;
	int i;

	(void)version;
	(void)upload_data;
	(void)con_cls;
	*upload_data_size = 0;		/* a body is never read: the reply does not depend on it */
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		http_text(&rep, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed: GET or HEAD\n");
		return http_queue(c, &rep, true);
	}
	for (i = 0; i < s->n_routes; i++) {
		if (strcmp(url, s->routes[i].path) != 0)
			continue;
		http_text(&rep, MHD_HTTP_INTERNAL_SERVER_ERROR, "no reply\n");
		s->routes[i].fn(s->cookie, url, &rep);
		return http_queue(c, &rep, false);
	}
	http_text(&rep, MHD_HTTP_NOT_FOUND, "not found (try /metrics, /healthz, /summary)\n");
	return http_queue(c, &rep, false);
}

/*
 * The connection limit is ours, not MHD's: MHD at its own limit stops
 * accepting, and with its edge-triggered epoll a client left in the
 * backlog then waits until another one connects, long after the slots
 * have freed. Here one over the limit is accepted and closed at once.
 */
static enum MHD_Result
http_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	(void)addr;
	(void)addrlen;
	return ((struct http_server *)cls)->conns < HTTP_CONN_MAX ? MHD_YES : MHD_NO;
}

static void
http_notify(void *cls, struct MHD_Connection *c, void **socket_context,
	    enum MHD_ConnectionNotificationCode toe)
{
	struct http_server *s = cls;

	(void)c;
	(void)socket_context;
	s->conns += toe == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1;
}

static void
http_on_timer(struct loop *l, uint64_t id, void *cookie)
{
	struct http_server *s = cookie;

	(void)l;
	(void)id;
	s->timer = 0;
	MHD_run(s->d);
	http_rearm(s);
}

static void
http_on_ready(struct loop *l, int fd, unsigned int events, void *cookie)
{
	struct http_server *s = cookie;

	(void)l;
	(void)fd;
	(void)events;
	MHD_run(s->d);
	http_rearm(s);
}

/* After every MHD_run: wake up again when MHD says it has work due. */
static void
http_rearm(struct http_server *s)
{
	MHD_UNSIGNED_LONG_LONG ms;

	if (s->timer != 0) {
		loop_timer_del(s->loop, s->timer);
		s->timer = 0;
	}
	if (MHD_get_timeout(s->d, &ms) == MHD_YES)
		s->timer = loop_timer_add(s->loop, (uint64_t)ms * 1000000ull, 0, http_on_timer, s);
}

/* The listening socket, so that its errors are ours to say. fd, or -errno. */
static int
http_listen_socket(const char *addr, char *name, size_t nlen, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sslen = 0;
	int fd, one = 1, e;

	if (hostport_parse(addr, &ss, &sslen, err, errlen) != 0)
		return -EINVAL;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "%s: socket: %s", addr, strerror(e));
		return -e;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sslen) != 0 || listen(fd, HTTP_CONN_MAX) != 0) {
		e = errno;
		snprintf(err, errlen, "%s: %s%s", addr, strerror(e),
			 e == EADDRINUSE ? " (something else listens there: choose another port)" :
			 e == EADDRNOTAVAIL ? " (no interface has that address)" : "");
		close(fd);
		return -e;
	}
	sslen = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &sslen);
	hostport_format(&ss, name, nlen);
	return fd;
}

static int
http_start(struct http_server *s, int fd, bool v6, char *err, size_t errlen)
{
	const union MHD_DaemonInfo *info;

	s->d = MHD_start_daemon(MHD_USE_EPOLL | (v6 ? MHD_USE_IPv6 : 0), 0, http_accept, s,
				http_access, s,
				MHD_OPTION_LISTEN_SOCKET, fd,
				MHD_OPTION_NOTIFY_CONNECTION, http_notify, s,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned int)HTTP_CONN_MAX + 4,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)HTTP_CONN_TIMEOUT_S,
				MHD_OPTION_END);
	if (s->d == NULL) {
		snprintf(err, errlen, "%s: libmicrohttpd would not start", s->address);
		close(fd);
		return -EIO;
	}
	info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_EPOLL_FD);
	s->epoll_fd = info != NULL ? info->epoll_fd : -1;
	if (s->epoll_fd < 0 ||
	    loop_fd_add(s->loop, s->epoll_fd, LOOP_READ, http_on_ready, s) != 0) {
		snprintf(err, errlen, "%s: cannot watch the server on the loop", s->address);
		return -EIO;
	}
	http_rearm(s);
	return 0;
}

int
http_open(struct loop *l, const char *addr, const struct http_route *routes, int n,
	  void *cookie, struct http_server **out, char *err, size_t errlen)
{
	struct http_server *s = calloc(1, sizeof(*s));
	int fd, rc;

	*out = NULL;
	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	s->loop = l;
	s->routes = routes;
	s->n_routes = n;
	s->cookie = cookie;
	s->epoll_fd = -1;
	fd = http_listen_socket(addr, s->address, sizeof(s->address), err, errlen);
	if (fd < 0) {
		free(s);
		return fd;
	}
	rc = http_start(s, fd, s->address[0] == '[', err, errlen);
	if (rc != 0) {
		http_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

const char *
http_address(const struct http_server *s)
{
	return s->address;
}

void
http_close(struct http_server *s)
{
	if (s == NULL)
		return;
	if (s->timer != 0)
		loop_timer_del(s->loop, s->timer);
	if (s->epoll_fd >= 0)
		loop_fd_del(s->loop, s->epoll_fd);
	if (s->d != NULL)
		MHD_stop_daemon(s->d);	/* closes the listening socket and every connection */
	free(s);
}
