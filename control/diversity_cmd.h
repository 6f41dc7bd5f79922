/* SPDX-License-Identifier: BSD-3-Clause */
/* `metroprobe diversity DIR [--json]`: the site-diversity verdict of a recorded run. */
#ifndef MP_DIVERSITY_CMD_H
#define MP_DIVERSITY_CMD_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "diversity.h"

/*
 * The "diversity" object of the run recorded in dir, from its
 * intervals.jsonl and the facts of its summary.json; NULL with err set.
 */
cJSON *diversity_replay(const char *dir, struct div_result *r, char *err, size_t errlen);
int diversity_main(int argc, char **argv);

#endif
