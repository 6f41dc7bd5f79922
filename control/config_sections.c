/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config's sections parsed by modules of their own (cfg_parse.h).
 */
#include <stddef.h>

#include "cfg_parse.h"
#include "diversity_config.h"
#include "path_config.h"
#include "service_config.h"
#include "sla_config.h"
#include "y1564_config.h"

const struct cfg_section cfg_sections[] = {
	{ "path", path_config_parse },
	{ "sla", sla_config_parse },
	{ "diversity", diversity_config_parse },
	{ "provider", provider_config_parse },
	{ "service", service_config_parse },
	{ "y1564", y1564_config_parse },
	{ NULL, NULL },
};
