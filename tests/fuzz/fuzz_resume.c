/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The dataplane's parser of control's resume line (mp_resume_parse), and
 * the record numbers control reads from the dataplane (mp_recid_from_json),
 * on arbitrary bytes: never crash; a refusal says why in one line; a line
 * accepted survives format -> parse unchanged.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mp_resume.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_recid(const uint8_t *data, size_t size)
{
	cJSON *o = cJSON_ParseWithLength((const char *)data, size);
	struct mp_recid id;
	int rc;

	if (o == NULL)
		return;
	rc = mp_recid_from_json(o, &id);
	if (rc != 0 && rc != -ENOENT && rc != -EINVAL)
		abort();
	if (rc == 0 && id.rec == 0)
		abort();
	cJSON_Delete(o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mp_resume r, back;
	char err[160], line[MP_RESUME_LINE_MAX];
	int rc, n;

	fuzz_recid(data, size);
	err[0] = '\0';
	rc = mp_resume_parse((const char *)data, size, &r, err, sizeof(err));
	if (rc != 0) {
		if (rc != -EINVAL || err[0] == '\0' || strchr(err, '\n') != NULL)
			abort();
		return 0;
	}
	if (!r.has_instance && r.after != 0)
		abort();
	n = mp_resume_format(&r, line, sizeof(line));
	if (n <= 0 || line[n - 1] != '\n')
		abort();
	if (mp_resume_parse(line, (size_t)n - 1, &back, err, sizeof(err)) != 0 ||
	    memcmp(&r, &back, sizeof(r)) != 0)
		abort();
	return 0;
}
