/* SPDX-License-Identifier: BSD-3-Clause */
/* `metroprobe catalog [--json]`: the ExpressRoute Metro catalog (metro.h). */
#ifndef MP_CATALOG_CMD_H
#define MP_CATALOG_CMD_H

#include <cjson/cJSON.h>

/* The whole catalog as JSON (what --json prints); caller frees. */
cJSON *mp_catalog_json(void);
int catalog_main(int argc, char **argv);

#endif
