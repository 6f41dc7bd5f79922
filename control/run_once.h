/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One run of a config: the dataplane spawned (or attached to), its records
 * handed to the sinks, until it ends or Ctrl-C; then the outcome, the
 * summary and the exit code. What `run`, each size of a sweep and `demo`
 * call, with the config already loaded and adjusted.
 */
#ifndef MP_RUN_ONCE_H
#define MP_RUN_ONCE_H

#include <stdbool.h>

#include "config.h"
#include "sink.h"

struct run_opts {
	const char *config_path;	/* named in summary.json and in messages */
	const char *out_dir;		/* NULL: the config's out_dir */
	const char *attach_path;	/* NULL: spawn the dataplane; else attach on this socket */
	bool quiet;			/* no live lines or events */
	const struct sink_ops *const *sinks;	/* NULL: sink_table */
	struct board *board;		/* NULL: none (sinks write theirs only when given) */
	const char *listen;		/* ADDR:PORT of the HTTP endpoint; NULL: none */
};

/*
 * Returns the run's exit code: 0 complete, 1 failed, 3 complete with an
 * outage (or every probe lost), 4 complete with a rate shortfall, 130
 * interrupted.
 */
int run_once(const struct mp_config *cfg, const struct run_opts *opts);
/*
 * One frame size or mix (imix, 64:7+570:4+1518:1) for every link of cfg,
 * as frame_size in the config. 0, or -EINVAL with *err saying why.
 */
int run_set_frame_size(struct mp_config *cfg, const char *spec, const char **err);

#endif
