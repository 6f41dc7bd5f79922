/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Record numbers and the resume line (see mp_resume.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mp_record.h"
#include "mp_resume.h"

/* 1..16 hex digits; 0, or -EINVAL. */
static int
resume_hex64(const char *s, uint64_t *out)
{
	size_t i, n = strlen(s);
	uint64_t v = 0;

	if (n == 0 || n > 16)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		char c = s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -EINVAL;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

static int
resume_fields(const cJSON *o, struct mp_resume *r, char *err, size_t errlen)
{
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(o, "type");
	const cJSON *inst = cJSON_GetObjectItemCaseSensitive(o, "instance");
	int rc;

	if (!cJSON_IsString(type) || strcmp(type->valuestring, "resume") != 0) {
		snprintf(err, errlen, "type: not \"resume\"");
		return -EINVAL;
	}
	if (inst != NULL) {
		if (!cJSON_IsString(inst) || resume_hex64(inst->valuestring, &r->instance) != 0) {
			snprintf(err, errlen, "instance: not 1 to 16 hex digits");
			return -EINVAL;
		}
		r->has_instance = true;
	}
	rc = record_get_u64(o, "after", UINT64_MAX, &r->after, err, errlen);
	if (rc == -ENOENT)
		return 0;
	if (rc == 0 && !r->has_instance) {
		snprintf(err, errlen, "after: without an instance");
		return -EINVAL;
	}
	return rc;
}

int
mp_resume_parse(const char *line, size_t len, struct mp_resume *r, char *err, size_t errlen)
{
	cJSON *o;
	int rc;

	memset(r, 0, sizeof(*r));
	if (len >= MP_RESUME_LINE_MAX) {
		snprintf(err, errlen, "longer than %d bytes", MP_RESUME_LINE_MAX - 1);
		return -EINVAL;
	}
	o = cJSON_ParseWithLength(line, len);
	if (!cJSON_IsObject(o)) {
		snprintf(err, errlen, "not a JSON object");
		cJSON_Delete(o);
		return -EINVAL;
	}
	rc = resume_fields(o, r, err, errlen);
	cJSON_Delete(o);
	if (rc != 0) {
		memset(r, 0, sizeof(*r));
		return -EINVAL;
	}
	return 0;
}

int
mp_resume_format(const struct mp_resume *r, char *buf, size_t len)
{
	int n;

	/* above 2^53 a JSON number is not exact: a string of digits then */
	const char *q = r->after > (1ull << 53) ? "\"" : "";

	if (r->has_instance)
		n = snprintf(buf, len, "{\"type\":\"resume\",\"instance\":\"%016" PRIx64
			     "\",\"after\":%s%" PRIu64 "%s}\n", r->instance, q, r->after, q);
	else
		n = snprintf(buf, len, "{\"type\":\"resume\"}\n");
	return n < 0 || (size_t)n >= len ? -ENOSPC : n;
}

int
mp_recid_from_json(const cJSON *o, struct mp_recid *id)
{
	const cJSON *inst = cJSON_GetObjectItemCaseSensitive(o, "instance");
	char err[128];
	int rc;

	memset(id, 0, sizeof(*id));
	rc = record_get_u64(o, "rec", UINT64_MAX, &id->rec, err, sizeof(err));
	if (rc != 0)
		return rc;
	if (!cJSON_IsString(inst) || resume_hex64(inst->valuestring, &id->instance) != 0 ||
	    record_get_u64(o, "instance_start_ns", UINT64_MAX, &id->start_ns, err,
			   sizeof(err)) != 0 || id->rec == 0) {
		memset(id, 0, sizeof(*id));
		return -EINVAL;
	}
	return 0;
}

static int
recid_cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

int
mp_recid_cmp(const struct mp_recid *a, const struct mp_recid *b)
{
	int c = recid_cmp_u64(a->start_ns, b->start_ns);

	if (c == 0)
		c = recid_cmp_u64(a->instance, b->instance);
	return c != 0 ? c : recid_cmp_u64(a->rec, b->rec);
}

char *
mp_recid_stamp(char *line, const struct mp_recid *id)
{
	size_t n = line != NULL ? strlen(line) : 0;
	char tail[128], *out;
	int t;

	if (n < 3 || line[0] != '{' || line[n - 1] != '\n' || line[n - 2] != '}') {
		free(line);
		return NULL;
	}
	/* an empty object takes no comma before the fields */
	t = snprintf(tail, sizeof(tail), "%s\"instance\":\"%016" PRIx64 "\","
		     "\"instance_start_ns\":\"%" PRIu64 "\",\"rec\":%" PRIu64 "}\n",
		     n == 3 ? "" : ",", id->instance, id->start_ns, id->rec);
	out = realloc(line, n - 2 + (size_t)t + 1);
	if (out == NULL) {
		free(line);
		return NULL;
	}
	memcpy(out + n - 2, tail, (size_t)t + 1);
	return out;
}
