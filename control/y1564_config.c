/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config's "y1564" section: the services `metroprobe golive` tests
 * (docs/y1564.md). Optional; without it golive runs no Y.1564.
 *
 *   "y1564": {
 *     "step_ms": 5000,            each configuration step (default: the plan's)
 *     "performance_s": 900,       the service performance test (the plan's)
 *     "ir_tolerance": 0.05,       IR may fall this share short of the rate
 *                                 offered, or go this share over CIR+EIR
 *     "services": [{
 *       "name": "voice",          [A-Za-z0-9_-]{1,31}, unique
 *       "link": "a",              a link's name
 *       "class": "EF",            a label (default: the name)
 *       "cir": "20Mbps",          wire bits (as "rate") or pps; required
 *       "eir": "5Mbps",           default 0: no EIR step
 *       "cbs": 100000, "ebs": 0,  bytes: the policer's bursts (policing allowance)
 *       "frame_size": 128,        a size or a mix (default: the link's)
 *       "dscp": 46, "pcp": 5,     default: the link's; pcp needs a VLAN tag
 *       "policer": true,          a policer at CIR+EIR is expected: judge the
 *                                 policing step (false: report it only)
 *       "criteria": {"ftd_us": 10000, "fdv_us": 2000, "flr": 0.001 | "0.1%",
 *                    "avail": 0.999 | "99.9%"}   round trip; avail optional
 *     }]
 *   }
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_parse.h"
#include "y1564.h"
#include "y1564_config.h"

/* A ratio: 0..1, or a string "0.1%". */
static int
y1564_cfg_ratio(struct cfg_ctx *x, const cJSON *o, const char *base, const char *key,
		double *out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
	char path[CFG_PATH_MAX], *end;
	double v = -1;

	if (it == NULL)
		return -ENOENT;
	cfg_join(path, base, key);
	if (cJSON_IsNumber(it))
		v = it->valuedouble;
	else if (cJSON_IsString(it)) {
		v = strtod(it->valuestring, &end);
		v = end != it->valuestring && strcmp(end, "%") == 0 ? v / 100.0 : -1;
	}
	if (!isfinite(v) || v < 0 || v > 1)
		return cfg_fail(x, path, "%s is not a ratio (0..1, or \"0.1%%\")",
				cJSON_IsString(it) ? it->valuestring : cfg_type_name(it));
	*out = v;
	return 0;
}

/* A positive number of microseconds. */
static int
y1564_cfg_us(struct cfg_ctx *x, const cJSON *o, const char *base, const char *key, double *out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
	char path[CFG_PATH_MAX];

	cfg_join(path, base, key);
	if (it == NULL)
		return cfg_fail(x, path, "missing (microseconds of round trip)");
	if (!cJSON_IsNumber(it) || !(it->valuedouble > 0 && it->valuedouble <= 60e6))
		return cfg_fail(x, path, "%s is not a time in microseconds (0 < us <= 60000000)",
				cJSON_IsNumber(it) ? "out of range" : cfg_type_name(it));
	*out = it->valuedouble;
	return 0;
}

static int
y1564_cfg_criteria(struct cfg_ctx *x, const cJSON *o, const char *base, struct y1564_criteria *c)
{
	static const char *const keys[] = { "ftd_us", "fdv_us", "flr", "avail", NULL };
	char path[CFG_PATH_MAX], flr[CFG_PATH_MAX];
	const cJSON *cr;
	int rc;

	cfg_join(path, base, "criteria");
	if ((rc = cfg_obj(x, o, base, "criteria", &cr)) != 0)
		return rc;
	if (cr == NULL)
		return cfg_fail(x, path, "missing: the acceptance criteria {\"ftd_us\", \"fdv_us\", "
				"\"flr\", \"avail\"}");
	if ((rc = cfg_check_keys(x, cr, path, keys)) != 0 ||
	    (rc = y1564_cfg_us(x, cr, path, "ftd_us", &c->ftd_us)) != 0 ||
	    (rc = y1564_cfg_us(x, cr, path, "fdv_us", &c->fdv_us)) != 0)
		return rc;
	rc = y1564_cfg_ratio(x, cr, path, "flr", &c->flr);
	if (rc == -ENOENT) {
		cfg_join(flr, path, "flr");
		return cfg_fail(x, flr, "missing (a loss ratio, 0..1 or \"0.1%%\")");
	}
	if (rc != 0)
		return rc;
	c->avail = Y1564_AVAIL_DEFAULT;
	rc = y1564_cfg_ratio(x, cr, path, "avail", &c->avail);
	return rc == -ENOENT ? 0 : rc;
}

/* cir or eir: bits or packets per second. */
static int
y1564_cfg_rate(struct cfg_ctx *x, const cJSON *o, const char *base, const char *key,
	       bool required, char *text, size_t len, struct rate *r)
{
	char path[CFG_PATH_MAX];
	const char *why = NULL;
	int rc;

	rc = cfg_str(x, o, base, key, required, text, len, "a rate: \"20Mbps\" or \"5000pps\"");
	if (rc == -ENOENT) {
		*r = (struct rate){ .kind = RATE_BPS, .value = 0 };
		return 0;
	}
	if (rc != 0)
		return rc;
	cfg_join(path, base, key);
	if (rate_parse(text, r, &why) != 0 || (r->kind != RATE_BPS && r->kind != RATE_PPS) ||
	    (required && r->value == 0))
		return cfg_fail(x, path, "\"%s\" is not a rate in bits or packets per second "
				"(\"20Mbps\", \"5000pps\")%s", text, required ? ", above 0" : "");
	return 0;
}

static int
y1564_cfg_link(struct cfg_ctx *x, const cJSON *o, const char *base, const struct mp_config *c,
	       struct y1564_service *s)
{
	char name[MP_NAME_MAX], path[CFG_PATH_MAX];
	int rc, i;

	if ((rc = cfg_str(x, o, base, "link", true, name, sizeof(name), "a link's name")) != 0)
		return rc;
	for (i = 0; i < c->n_links; i++)
		if (strcmp(c->links[i].name, name) == 0)
			break;
	cfg_join(path, base, "link");
	if (i == c->n_links)
		return cfg_fail(x, path, "\"%s\" is not a link of this config", name);
	s->link = i;
	return 0;
}

static int
y1564_cfg_frame(struct cfg_ctx *x, const cJSON *o, const char *base, struct y1564_service *s)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, "frame_size");
	char path[CFG_PATH_MAX];
	struct frame_mix m;
	const char *err = NULL;

	s->frame_mix[0] = '\0';
	if (it == NULL)
		return 0;
	cfg_join(path, base, "frame_size");
	if (cJSON_IsNumber(it) && it->valuedouble >= 0 && it->valuedouble < 1e6)
		snprintf(s->frame_mix, sizeof(s->frame_mix), "%.0f", it->valuedouble);
	else if (cJSON_IsString(it))
		snprintf(s->frame_mix, sizeof(s->frame_mix), "%s", it->valuestring);
	else
		return cfg_fail(x, path, "%s, expected a size (128) or a mix (\"imix\")",
				cfg_type_name(it));
	if (frame_mix_parse(s->frame_mix, PKT_MIN_FRAME, PKT_MAX_FRAME, &m, &err) != 0)
		return cfg_fail(x, path, "\"%s\": %s", s->frame_mix, err != NULL ? err : "not a size");
	return 0;
}

/* dscp, pcp: -1 when absent (the link's); pcp only on a tagged link. */
static int
y1564_cfg_marks(struct cfg_ctx *x, const cJSON *o, const char *base, const struct mp_config *c,
		struct y1564_service *s)
{
	uint32_t dscp = UINT32_MAX, pcp = UINT32_MAX;
	char path[CFG_PATH_MAX];
	int rc;

	if ((rc = cfg_u32(x, o, base, "dscp", 0, 63, &dscp)) != 0 ||
	    (rc = cfg_u32(x, o, base, "pcp", 0, 7, &pcp)) != 0)
		return rc;
	s->dscp = dscp == UINT32_MAX ? -1 : (int)dscp;
	s->pcp = pcp == UINT32_MAX ? -1 : (int)pcp;
	cfg_join(path, base, "pcp");
	if (s->pcp >= 0 && c->links[s->link].encap.nvlan == 0)
		return cfg_fail(x, path, "link %s has no VLAN tag to carry a priority (give the "
				"link a \"vlan\", or leave pcp out)", c->links[s->link].name);
	return 0;
}

static int
y1564_cfg_name(struct cfg_ctx *x, const cJSON *o, const char *base, const struct y1564_cfg *y,
	       struct y1564_service *s)
{
	char path[CFG_PATH_MAX];
	const char *p;
	int rc, i;

	if ((rc = cfg_str(x, o, base, "name", true, s->name, sizeof(s->name),
			  "a name, [A-Za-z0-9_-]{1,31}")) != 0)
		return rc;
	cfg_join(path, base, "name");
	for (p = s->name; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
			break;
	if (*p != '\0' || s->name[0] == '\0')
		return cfg_fail(x, path, "\"%s\" is not a name ([A-Za-z0-9_-]{1,31})", s->name);
	for (i = 0; i < y->n; i++)
		if (strcmp(y->svc[i].name, s->name) == 0)
			return cfg_fail(x, path, "\"%s\" names services[%d] too", s->name, i);
	rc = cfg_str(x, o, base, "class", false, s->cls, sizeof(s->cls), "a label");
	if (rc == -ENOENT)
		memcpy(s->cls, s->name, sizeof(s->cls));
	return rc == -ENOENT ? 0 : rc;
}

static int
y1564_cfg_service(struct cfg_ctx *x, const cJSON *o, const char *base, const struct mp_config *c,
		  const struct y1564_cfg *y, struct y1564_service *s)
{
	static const char *const keys[] = {
		"name", "link", "class", "cir", "eir", "cbs", "ebs", "frame_size", "dscp", "pcp",
		"policer", "criteria", NULL,
	};
	int rc;

	memset(s, 0, sizeof(*s));
	s->policer = true;
	if (!cJSON_IsObject(o))
		return cfg_fail(x, base, "%s, expected an object {\"name\", \"link\", \"cir\", "
				"\"criteria\", ...}", cfg_type_name(o));
	if ((rc = cfg_check_keys(x, o, base, keys)) != 0 ||
	    (rc = y1564_cfg_name(x, o, base, y, s)) != 0 ||
	    (rc = y1564_cfg_link(x, o, base, c, s)) != 0 ||
	    (rc = y1564_cfg_rate(x, o, base, "cir", true, s->cir_text, sizeof(s->cir_text),
				 &s->cir)) != 0 ||
	    (rc = y1564_cfg_rate(x, o, base, "eir", false, s->eir_text, sizeof(s->eir_text),
				 &s->eir)) != 0 ||
	    (rc = cfg_uint(x, o, base, "cbs", 0, 1ull << 32, &s->cbs_bytes)) != 0 ||
	    (rc = cfg_uint(x, o, base, "ebs", 0, 1ull << 32, &s->ebs_bytes)) != 0 ||
	    (rc = y1564_cfg_frame(x, o, base, s)) != 0 ||
	    (rc = y1564_cfg_marks(x, o, base, c, s)) != 0 ||
	    (rc = cfg_bool(x, o, base, "policer", &s->policer)) != 0)
		return rc;
	if (s->eir_text[0] == '\0')
		snprintf(s->eir_text, sizeof(s->eir_text), "0");
	return y1564_cfg_criteria(x, o, base, &s->crit);
}

static int
y1564_cfg_services(struct cfg_ctx *x, const cJSON *arr, const struct mp_config *c,
		   struct y1564_cfg *y)
{
	char path[CFG_PATH_MAX];
	const cJSON *o;
	int rc;

	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0)
		return cfg_fail(x, "y1564.services", "%s, expected an array of services",
				arr == NULL ? "missing" : cJSON_IsArray(arr) ? "empty" :
				cfg_type_name(arr));
	if (cJSON_GetArraySize(arr) > Y1564_MAX_SERVICES)
		return cfg_fail(x, "y1564.services", "%d services, at most %d",
				cJSON_GetArraySize(arr), Y1564_MAX_SERVICES);
	cJSON_ArrayForEach(o, arr) {
		cfg_index(path, "y1564.services", y->n);
		if ((rc = y1564_cfg_service(x, o, path, c, y, &y->svc[y->n])) != 0)
			return rc;
		y->n++;
	}
	return 0;
}

int
y1564_config_parse(struct cfg_ctx *x, const cJSON *o, struct mp_config *c)
{
	static const char *const keys[] = {
		"services", "step_ms", "performance_s", "ir_tolerance", NULL,
	};
	struct y1564_cfg *y = &c->y1564;
	int rc;

	memset(y, 0, sizeof(*y));
	y->ir_tolerance = Y1564_IR_TOLERANCE;
	if (o == NULL)
		return 0;
	if (!cJSON_IsObject(o))
		return cfg_fail(x, "y1564", "%s, expected an object {\"services\": [...]}",
				cfg_type_name(o));
	if ((rc = cfg_check_keys(x, o, "y1564", keys)) != 0 ||
	    (rc = cfg_u32(x, o, "y1564", "step_ms", 100, 3600000, &y->step_ms)) != 0 ||
	    (rc = cfg_u32(x, o, "y1564", "performance_s", 1, 7 * 86400, &y->performance_s)) != 0)
		return rc;
	rc = y1564_cfg_ratio(x, o, "y1564", "ir_tolerance", &y->ir_tolerance);
	if (rc != 0 && rc != -ENOENT)
		return rc;
	return y1564_cfg_services(x, cJSON_GetObjectItemCaseSensitive(o, "services"), c, y);
}
