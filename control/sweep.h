/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 2544-style frame-size sweep: one run per size, each in DIR/size-N,
 * then DIR/sweep.json and a table.
 */
#ifndef MP_SWEEP_H
#define MP_SWEEP_H

#include "config.h"
#include "run_once.h"

#define SWEEP_DEFAULT	"64,128,256,512,1024,1280,1518,9000"

/*
 * Sweep the sizes of list ("64,128,...") with cfg and opts (its out_dir,
 * or the config's, is DIR). Returns the worst exit code of the runs, 2 for
 * a size that is not one, 1 when DIR cannot be made.
 */
int sweep_run(const struct mp_config *cfg, const struct run_opts *opts, const char *list);

#endif
