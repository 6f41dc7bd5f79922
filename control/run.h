/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef MP_RUN_H
#define MP_RUN_H

#include "config.h"

/* `metroprobe run CONFIG [--duration S] [--out DIR] ...`; argv[0] == "run". */
int run_main(int argc, char **argv);
/* `metroprobe check CONFIG`: validate and print the dataplane command line. */
int check_main(int argc, char **argv);
/* Load a config for a run. 0, or -EINVAL (said why, naming the file). */
int run_load_config(const char *path, struct mp_config *cfg);
/* --duration S onto cfg. 0, or -EINVAL (said why). */
int run_set_duration(struct mp_config *cfg, const char *text);

#endif
