/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config's sections parsed by modules of their own (cfg_parse.h).
 */
#include <stddef.h>

#include "cfg_parse.h"
#include "service_config.h"

const struct cfg_section cfg_sections[] = {
	{ "service", service_config_parse },
	{ NULL, NULL },
};
