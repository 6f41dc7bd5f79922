/* SPDX-License-Identifier: BSD-3-Clause */
/* The config's "diversity" section (diversity_config.c) and "provider" key (provider_config.c). */
#ifndef MP_DIVERSITY_CONFIG_H
#define MP_DIVERSITY_CONFIG_H

#include "cfg_parse.h"

int diversity_config_parse(struct cfg_ctx *x, const cJSON *o, struct mp_config *c);
int provider_config_parse(struct cfg_ctx *x, const cJSON *o, struct mp_config *c);

#endif
