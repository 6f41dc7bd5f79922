/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * record_interval_from_json and record_path_from_json on arbitrary JSON:
 * never crash, and any record they accept survives to_json -> from_json
 * unchanged.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mp_record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A refusal must say why, in one line. */
static void
fuzz_refused(int rc, const char *err)
{
	if (rc != -EINVAL || err[0] == '\0' || strchr(err, '\n') != NULL)
		abort();
}

static void
fuzz_path(const cJSON *o)
{
	static struct path_record a, b;
	char err[256];
	cJSON *again;
	int rc;

	rc = record_path_from_json(o, &a, err, sizeof(err));
	if (rc != 0) {
		fuzz_refused(rc, err);
		return;
	}
	again = record_path_to_json(&a);
	if (again == NULL)
		return;		/* allocation failure */
	rc = record_path_from_json(again, &b, err, sizeof(err));
	cJSON_Delete(again);
	if (rc != 0 || memcmp(&a, &b, sizeof(a)) != 0)
		abort();
}

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
	fuzz_path(o);
	rc = record_interval_from_json(o, &a, err, sizeof(err));
	cJSON_Delete(o);
	if (rc != 0) {
		fuzz_refused(rc, err);
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
