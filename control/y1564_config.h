/* SPDX-License-Identifier: BSD-3-Clause */
/* The config's "y1564" section (y1564_config.c; the services golive tests). */
#ifndef MP_Y1564_CONFIG_H
#define MP_Y1564_CONFIG_H

#include "cfg_parse.h"

int y1564_config_parse(struct cfg_ctx *x, const cJSON *o, struct mp_config *c);

#endif
