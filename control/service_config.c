/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config's "service" section (service_config.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cfg_parse.h"
#include "mp_rate.h"
#include "rotate.h"
#include "service_config.h"

static void
service_defaults(struct svc_cfg *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->default_rate, sizeof(s->default_rate), "%s", SVC_DEFAULT_RATE);
	s->budget_bps = SVC_DEFAULT_BUDGET_BPS;
	s->rotate_bytes = SVC_DEFAULT_ROTATE_BYTES;
	s->rotate_s = SVC_DEFAULT_ROTATE_S;
	s->keep_files = SVC_DEFAULT_KEEP_FILES;
	s->keep_s = SVC_DEFAULT_KEEP_S;
	s->window_s = SVC_DEFAULT_WINDOW_S;
}

/* A rate of the given kind (a probe rate in pps, a budget in bits/s). */
static int
service_rate(struct cfg_ctx *x, const cJSON *o, const char *key, enum rate_kind kind,
	     char *text, size_t len, struct rate *r)
{
	char path[CFG_PATH_MAX];
	const char *err = NULL;
	int rc = cfg_str(x, o, "service", key, false, text, len,
			 kind == RATE_PPS ? "a probe rate like \"10pps\"" : "bits/s like \"1Mbps\"");

	if (rc == -ENOENT)
		return 0;
	if (rc != 0)
		return rc;
	cfg_join(path, "service", key);
	if (rate_parse(text, r, &err) != 0 || r->kind != kind)
		return cfg_fail(x, path, "\"%s\" is not %s", text,
				kind == RATE_PPS ? "a probe rate in pps (\"10pps\")" :
				"a bandwidth in bits/s (\"1Mbps\", \"500kbps\")");
	return 0;
}

static int
service_names(struct cfg_ctx *x, const cJSON *o, struct svc_cfg *s)
{
	char path[CFG_PATH_MAX];
	size_t i;
	int rc;

	rc = cfg_str(x, o, "service", "name", false, s->name, sizeof(s->name),
		     "a name of [A-Za-z0-9_-], 1 to 31 characters");
	if (rc != 0 && rc != -ENOENT)
		return rc;
	for (i = 0; s->name[i] != '\0'; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-",
			   s->name[i]) == NULL) {
			cfg_join(path, "service", "name");
			return cfg_fail(x, path, "\"%s\" is not a name of [A-Za-z0-9_-]", s->name);
		}
	rc = cfg_str(x, o, "service", "socket", false, s->socket, sizeof(s->socket),
		     "an absolute path of at most 107 characters");
	if (rc != 0 && rc != -ENOENT)
		return rc;
	if (rc == 0 && s->socket[0] != '/') {
		cfg_join(path, "service", "socket");
		return cfg_fail(x, path, "\"%s\" is not an absolute path", s->socket);
	}
	return 0;
}

int
service_config_parse(struct cfg_ctx *x, const cJSON *o, struct mp_config *c)
{
	static const char *const keys[] = {
		"name", "socket", "default_rate", "budget", "rotate_bytes", "rotate_s",
		"keep_files", "keep_s", "window_s", NULL
	};
	struct svc_cfg *s = &c->service;
	char budget[64];
	struct rate r;
	int rc;

	service_defaults(s);
	if (o == NULL)
		return 0;
	if (!cJSON_IsObject(o))
		return cfg_fail(x, "service", "is %s (an object)", cfg_type_name(o));
	s->present = true;
	r.value = s->budget_bps;
	if ((rc = cfg_check_keys(x, o, "service", keys)) != 0 ||
	    (rc = service_names(x, o, s)) != 0 ||
	    (rc = service_rate(x, o, "default_rate", RATE_PPS, s->default_rate,
			       sizeof(s->default_rate), &r)) != 0)
		return rc;
	r.value = s->budget_bps;
	if ((rc = service_rate(x, o, "budget", RATE_BPS, budget, sizeof(budget), &r)) != 0)
		return rc;
	s->budget_bps = r.value;
	if ((rc = cfg_uint(x, o, "service", "rotate_bytes", 0, UINT64_MAX, &s->rotate_bytes)) ||
	    (rc = cfg_u32(x, o, "service", "rotate_s", 0, 366u * 86400u, &s->rotate_s)) ||
	    (rc = cfg_u32(x, o, "service", "keep_files", 0, 1000000, &s->keep_files)) ||
	    (rc = cfg_u32(x, o, "service", "keep_s", 0, 3660u * 86400u, &s->keep_s)) ||
	    (rc = cfg_u32(x, o, "service", "window_s", 1, 86400, &s->window_s)))
		return rc;
	return 0;
}

void
service_rot_policy(const struct svc_cfg *s, struct rot_policy *p)
{
	*p = (struct rot_policy){ 0 };
	if (!s->present)
		return;
	p->max_bytes = s->rotate_bytes;
	p->max_age_s = s->rotate_s;
	p->keep_files = s->keep_files;
	p->keep_age_s = s->keep_s;
}
