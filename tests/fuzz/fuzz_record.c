/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * record_interval_from_json on arbitrary JSON: never crashes, and any
 * record it accepts survives to_json -> from_json unchanged.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mp_record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct link_interval a, b;
	char err[256];
	cJSON *o, *again;
	int rc;

	o = cJSON_ParseWithLength((const char *)data, size);
	if (o == NULL)
		return 0;
	rc = record_interval_from_json(o, &a, err, sizeof(err));
	cJSON_Delete(o);
	if (rc != 0) {
		if (rc != -EINVAL || err[0] == '\0' || strchr(err, '\n') != NULL)
			abort();
		return 0;
	}
	again = record_interval_to_json(&a);
	if (again == NULL)
		return 0;	/* allocation failure */
	rc = record_interval_from_json(again, &b, err, sizeof(err));
	cJSON_Delete(again);
	if (rc != 0 || memcmp(&a, &b, sizeof(a)) != 0)
		abort();
	return 0;
}
