/* SPDX-License-Identifier: BSD-3-Clause */
/* The config's "path" section (see path_config.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cfg_parse.h"
#include "mp_path.h"
#include "mp_pkt.h"
#include "path_config.h"

static int
path_config_expected(struct cfg_ctx *x, const cJSON *o, struct mp_path_cfg *p)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, "expected_shared"), *it;
	char path[CFG_PATH_MAX];
	struct ip_addr a;
	int i = 0;

	if (arr == NULL)
		return 0;
	if (!cJSON_IsArray(arr))
		return cfg_fail(x, "path.expected_shared", "%s, not an array of addresses",
				cfg_type_name(arr));
	cJSON_ArrayForEach(it, arr) {
		cfg_index(path, "path.expected_shared", i++);
		if (!cJSON_IsString(it) || ip_addr_parse(it->valuestring, &a, NULL) != 0)
			return cfg_fail(x, path, "not an address (\"192.0.2.1\", \"2001:db8::1\")");
		if (p->n_expected == PATH_CFG_EXPECTED_MAX)
			return cfg_fail(x, path, "more than %d addresses", PATH_CFG_EXPECTED_MAX);
		snprintf(p->expected_shared[p->n_expected++], PATH_CFG_ADDR_MAX, "%s",
			 it->valuestring);
	}
	return 0;
}

int
path_config_parse(struct cfg_ctx *x, const cJSON *o, struct mp_config *c)
{
	static const char *const keys[] = {
		"interval_ms", "max_ttl", "flows", "expected_shared", NULL,
	};
	struct mp_path_cfg *p = &c->path;
	int rc;

	memset(p, 0, sizeof(*p));
	p->interval_ms = PATH_CFG_INTERVAL_MS;
	p->max_ttl = PATH_DEFAULT_MAX_TTL;
	p->flows = PATH_DEFAULT_FLOWS;
	if (o == NULL || cJSON_IsTrue(o))
		return 0;
	if (cJSON_IsFalse(o)) {
		p->interval_ms = 0;
		return 0;
	}
	if (!cJSON_IsObject(o))
		return cfg_fail(x, "path", "%s, not an object, true or false", cfg_type_name(o));
	if ((rc = cfg_check_keys(x, o, "path", keys)) != 0 ||
	    (rc = cfg_u32(x, o, "path", "interval_ms", 0, 86400000, &p->interval_ms)) != 0 ||
	    (rc = cfg_u32(x, o, "path", "max_ttl", 1, PATH_MAX_TTL, &p->max_ttl)) != 0 ||
	    (rc = cfg_u32(x, o, "path", "flows", 1, PATH_MAX_FLOWS, &p->flows)) != 0)
		return rc;
	return path_config_expected(x, o, p);
}
