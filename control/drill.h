/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `metroprobe drill CONFIG --link a|b`: a failover drill. While both pinned
 * links (and the service stream, when the config has one) are probed at a
 * steady rate, one link is cut (in the routed lab by itself; on real links
 * by the user's commands or by the operator at a prompt), held, restored,
 * and probed until it recovers. What it measured goes to DIR/drill.json.
 *
 *   drill.c         the command: options, the config, the safety checks
 *   drill_sink.c    the run's sink: records to drill_measure, the timers
 *                   that cut and restore, events, the stop
 *   drill_act.c     cutting and restoring: the lab, a command, a prompt
 *   drill_report.c  drill.json and the console summary
 *   drill_measure.c the arithmetic (pure)
 */
#ifndef MP_DRILL_H
#define MP_DRILL_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "drill_measure.h"

enum drill_mode { DRILL_MODE_LAB, DRILL_MODE_COMMANDS, DRILL_MODE_PROMPT };

/* A cut or a restore as it was done. */
struct drill_action {
	char what[16];			/* "cut", "restore" */
	char how[64];			/* "lab blackhole", "command", "prompt" */
	char command[1024];		/* what ran ("" for the lab and the prompt) */
	char log[PATH_MAX];		/* its output */
	uint64_t begin_ns, end_ns;	/* UNIX */
	int exit_code;			/* -1: not a command */
	bool ok;
	char why[128];			/* why now: "hold over", "interrupted", ... */
};

#define DRILL_TIMELINE_MAX	64
#define DRILL_ROUTE_MAX		32

struct drill_moment {
	uint64_t t_ns;			/* UNIX */
	char what[200];
};

struct drill {
	/* what the command was asked */
	const char *config_path;
	char out[PATH_MAX];
	struct mp_config *cfg;
	int link[DRILL_ROLES];		/* config link index of each role; -1: none */
	char no_service_why[160];	/* why there is no service stream */
	enum drill_mode mode;
	int lab_method;			/* enum lab_cut */
	const char *cut_cmd, *restore_cmd;
	unsigned int pre_s, hold_s, recover_s, interval_ms;
	double precheck_loss;		/* the survivor may lose this much before the cut */
	char load[96];			/* the survivor's rate: as configured, or committed */
	int n_obj;
	struct drill_objective obj[DRILL_OBJECTIVES_MAX];
	bool obj_default;		/* no sla objective for the survivor: ours */
	/* what happened */
	struct drill_measure m;
	uint64_t start_ns, end_ns;
	bool cut, restored, refused, stop_asked, prompting, failed;
	char stop_why[64];		/* why the drill ended its run */
	char refused_why[256], failed_why[256];
	int n_act;
	struct drill_action act[4];
	int n_tl;
	struct drill_moment tl[DRILL_TIMELINE_MAX];
	unsigned int announced;		/* DRILL_SAID_* events already raised */
	int carrier_now;		/* the service's carrier by the last service_carrier event */
	uint64_t recovered_ns;		/* monotonic: recovery first seen */
	bool recover_timeout;
	void *lab;			/* struct lab_state in lab mode (drill_act.c) */
	int route_fd;			/* lab: netlink in mp-ce (drill_route.c); -1 none */
	int route_ifindex[2];		/* the CE's port of the cut and surviving link */
	int n_route;
	struct { uint64_t t_ns; int via; } route[DRILL_ROUTE_MAX];	/* via: role, -1 gone */
	char xdp_bin[PATH_MAX];
	const struct sink_env *env;
};

/* The drill the sink of this run serves (set by drill.c around run_once). */
extern struct drill *drill_active;
extern const struct sink_ops drill_sink_ops;

/* --- drill_act.c --- */
/* Lab mode: the routed lab's state; 0, or -1 with why. */
int drill_lab_open(struct drill *d, const char *link_name, char *why, size_t len);
/* Cut / restore now (by the lab, a command); 0 or -1. Recorded in d->act. */
int drill_cut_now(struct drill *d, const char *why);
int drill_restore_now(struct drill *d, const char *why);
/* A line on the drill's timeline (printf-style). */
void drill_note(struct drill *d, uint64_t t_ns, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* --- drill_route.c (the routed lab only) --- */
struct loop;
int drill_route_open(struct drill *d);
void drill_route_read(struct loop *l, int fd, unsigned int ev, void *cookie);
int64_t drill_route_after(const struct drill *d, uint64_t from, int via);

/* --- drill_report.c --- */
int drill_report_write(struct drill *d);
/* A go-live report.json in dir takes the new drill.json as "failover": 1 done, 0 none, -errno. */
int drill_report_golive(const char *dir);
void drill_report_print(const struct drill *d);
/* The exit code of the drill: 0, 1, 4 (refused), 5 (survivor below its SLA), 130. */
int drill_exit_code(const struct drill *d, bool interrupted);

/* --- drill.c --- */
int drill_main(int argc, char **argv);

#endif
