/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `metroprobe serve CONFIG`: the continuous service. Control attaches on a
 * stable socket (SVC_RUN_DIR/NAME.sock, root-only) to a long-running
 * dataplane of its own process (started detached with --control-lost keep
 * when none runs, or run by systemd's metroprobe-dp@NAME unit), hands its
 * records to the sinks (the standard ones but the per-second live view,
 * plus the window sink and the status line), and supervises it: a
 * dataplane that died is restarted with back-off (1 s doubling to 60 s),
 * and its restart is reported as a gap. Runs until SIGTERM or SIGINT; the
 * dataplane stays up unless --stop-dataplane.
 *
 * serve_cli.c: the command line and the config's adjustments (default
 * rate, budget); serve.c: the loop and the records; serve_dp.c: the
 * dataplane's supervision.
 */
#ifndef MP_SERVE_H
#define MP_SERVE_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "backoff.h"
#include "board.h"
#include "config.h"
#include "dp_args.h"
#include "dp_prep.h"
#include "dpgap.h"
#include "dpsup.h"
#include "hostport.h"
#include "sink.h"

#define SERVE_LISTEN_DEFAULT	HOSTPORT_DEFAULT	/* hostport.h */
#define SERVE_BACKOFF_MIN_NS	1000000000ull	/* the first restart after 1 s */
#define SERVE_BACKOFF_MAX_NS	60000000000ull	/* doubling up to 60 s */
#define SERVE_STABLE_NS		60000000000ull	/* a minute up resets the back-off */

struct serve_opts {
	const char *config_path;
	const char *out_dir;		/* NULL: the config's out_dir */
	const char *listen;		/* NULL: SERVE_LISTEN_DEFAULT; "none": no endpoint */
	const char *socket;		/* NULL: the config's, or SVC_RUN_DIR/NAME.sock */
	const char *name;		/* NULL: the config's, or the config file's name */
	bool allow_rate;		/* links above the budget are run anyway */
	bool stop_dataplane;		/* SIGTERM stops the dataplane too */
	bool external;			/* another supervisor (systemd) starts the dataplane */
	bool exec_dataplane;		/* become the dataplane (systemd's dp unit) */
	bool quiet;
};

struct serve {
	struct mp_config *cfg;
	const struct serve_opts *o;
	char name[MP_NAME_MAX];
	char sock[108];
	char pidfile[PATH_MAX];
	char out_dir[PATH_MAX];
	char dp_log[PATH_MAX];
	char prefix[64];		/* EAL --file-prefix of the dataplane */
	struct dp_prep prep;
	struct dp_args args;
	struct loop *loop;
	struct dpconn *conn;
	struct sinks sinks;
	bool sinks_open;
	struct sink_env env;
	struct board board;
	const struct sink_ops *list[SINKS_MAX + 1];
	int sig_fd;
	uint64_t redial_timer, restart_timer, stop_timer;
	/* the dataplane instance */
	struct dpsup_id dp;
	uint64_t dp_up_since_ns;	/* monotonic: when it was started or found */
	bool dp_down_said;		/* its death was reported, a restart is due */
	unsigned int starts;		/* dataplanes this serve started */
	struct backoff backoff;
	struct dpgap gap;
	bool ready, stopping;
	uint64_t records;
	uint64_t start_unix_ns;
};

/* serve_cli.c */
int serve_main(int argc, char **argv);
/* serve.c: the service until stopped; the exit code. */
int serve_run(struct serve *s);
/* serve.c: an event of the service (link "service") to every sink now. */
void serve_event(struct serve *s, const char *event, cJSON *fields, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* serve_dp.c */
int serve_dp_args(struct serve *s);
void serve_dp_begin(struct serve *s);
void serve_dp_identify(struct serve *s);
void serve_dp_check(struct serve *s);
void serve_dp_stop(struct serve *s);

#endif
