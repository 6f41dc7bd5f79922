/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A small HTTP server (libmicrohttpd) on control's loop: no thread of its
 * own, so a handler reads the run's state (the board, a sink's counters)
 * in the loop's thread, without locks. GET and HEAD only, routes by exact
 * path, bounded connections and a per-connection timeout, so that a slow
 * or idle client costs a descriptor, never the loop's time.
 *
 * MHD runs in its epoll mode: its one epoll descriptor goes on the loop
 * (readable: MHD_run), and a one-shot timer follows MHD_get_timeout()
 * after every run (connection timeouts, connections MHD has more to do
 * on). One descriptor, registered once, instead of MHD_get_fdset's set
 * that changes with every connection and would have to be diffed into
 * the loop after each run.
 */
#ifndef MP_HTTP_H
#define MP_HTTP_H

#include <stddef.h>

struct loop;
struct http_server;

#define HTTP_CONN_MAX		16	/* connections at once; one more is accepted and closed */
#define HTTP_CONN_TIMEOUT_S	5	/* an idle or slow connection is closed after this */

/* What a route answers: status, content type and body (copied by the server). */
struct http_reply {
	unsigned status;
	const char *content_type;
	const char *body;
	size_t len;
};

/*
 * Answer a GET (or HEAD: the same reply, the server drops the body) of
 * the route's path; fill rep. Runs in the loop's thread.
 */
typedef void http_route_fn(void *cookie, const char *path, struct http_reply *rep);

struct http_route {
	const char *path;		/* exact match, e.g. "/metrics" */
	http_route_fn *fn;
};

/*
 * Listen on addr (hostport.h: ADDR:PORT) and serve routes (n of them,
 * kept by pointer) on loop l. 0 with *out set, or -errno with err saying
 * why in one line ("127.0.0.1:9862: address already in use").
 */
int http_open(struct loop *l, const char *addr, const struct http_route *routes, int n,
	      void *cookie, struct http_server **out, char *err, size_t errlen);
/* The address it listens on, the real port when 0 was asked ("127.0.0.1:41234"). */
const char *http_address(const struct http_server *s);
/* Stop listening, close every connection, take everything off the loop. NULL: nothing. */
void http_close(struct http_server *s);

#endif
