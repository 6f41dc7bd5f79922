/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The connection to the dataplane: control listens on a unix socket, and
 * metroprobe-dp connects and writes its records as JSON lines (up to
 * 1 MiB each). Either control spawns the dataplane (a temporary socket,
 * fork/exec into the link's network namespace, its output in the dp log,
 * SIGTERM to it if control dies), or it attaches to one started by hand
 * with `--socket PATH --control-lost keep`: control listens on that stable
 * path, and the dataplane, which keeps its records while control is away
 * and reconnects every second, sends them when control is back.
 *
 * On each connection control first sends its resume line (mp_resume.h):
 * the last record written in resume_dir (resume.h), or none. The dataplane
 * answers with its hello, then the records after that one: a record that
 * was in the socket, or read but not yet written, when a control died
 * comes again. A record at or below the last written is dropped (counted
 * in duplicates); the hello is handed on marked again.
 *
 * Each line is decoded once (dprec.h) and handed to on_record; lines that
 * are too long or do not decode are counted, never fatal.
 *
 * Use: dpconn_create(); dpconn_listen(); then dpconn_spawn() (its command
 * line names dpconn_socket_path()) or dpconn_attach(); the loop does the
 * rest; dpconn_reap() on SIGCHLD, dpconn_stop() on Ctrl-C; on_done when
 * the dataplane is gone; dpconn_destroy().
 */
#ifndef MP_DPCONN_H
#define MP_DPCONN_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "dprec.h"
#include "loop.h"

#define DPCONN_LINE_MAX		(1u << 20)	/* one record; a full histogram is ~60 KB */
#define DPCONN_HELLO_TIMEOUT_S	30

typedef void dpconn_record_fn(void *cookie, const struct dprec *rec);
typedef void dpconn_done_fn(void *cookie);

struct dpconn_opts {
	struct loop *loop;		/* NULL: dpconn_feed() only (tests) */
	const char *attach_path;	/* NULL: spawn the dataplane */
	const char *resume_dir;		/* resume after the last record written there (resume.h) */
	struct dprec_links links;	/* the run's link names */
	dpconn_record_fn *on_record;
	dpconn_done_fn *on_done;	/* the dataplane exited, or ended its stream */
	void *cookie;
};

/* What the connection saw; the run's outcome is drawn from it. */
struct dpconn_state {
	uint64_t records;		/* interval records decoded */
	uint64_t bad_records;		/* lines that did not decode, or too long */
	uint64_t duplicates;		/* records dropped: written before (resume) */
	bool connected;
	bool got_hello;
	bool got_end;
	char end_reason[64];
	pid_t pid;			/* the spawned dataplane; 0 when attached */
	bool exited;
	int status;			/* waitpid() status once exited */
};

/* NULL on allocation failure. */
struct dpconn *dpconn_create(const struct dpconn_opts *o);
/*
 * Listen: on a new private socket (spawn) or on attach_path, which must
 * not have another control listening. 0, or -errno.
 */
int dpconn_listen(struct dpconn *c);
const char *dpconn_socket_path(const struct dpconn *c);
/*
 * fork/exec argv with its output in log_path, in netns ("" = ours), its own
 * process group, SIGTERM when control dies. 0, or -errno (fork failed).
 */
int dpconn_spawn(struct dpconn *c, char *const argv[], const char *netns, const char *log_path);
/* Wait for an attaching dataplane. 0, or -errno. */
int dpconn_attach(struct dpconn *c);
/* SIGCHLD: reap the dataplane; once it exited, read what is left and call on_done. */
void dpconn_reap(struct dpconn *c);
/*
 * Stop: a spawned dataplane gets SIGTERM (it drains its probes in flight and
 * ends) and SIGKILL if not gone within grace_ms + 5 s; an attached one is
 * left running, and control is done after reading what it has.
 */
void dpconn_stop(struct dpconn *c, unsigned int grace_ms);
/* SIGKILL a spawned dataplane (a second Ctrl-C). */
void dpconn_kill(struct dpconn *c);
/* Bytes as read from the socket: split into lines, decode, dispatch. */
void dpconn_feed(struct dpconn *c, const char *data, size_t n);
const struct dpconn_state *dpconn_state(const struct dpconn *c);
/* Kill and reap a dataplane still running, close and remove the socket. */
void dpconn_destroy(struct dpconn *c);

#endif
