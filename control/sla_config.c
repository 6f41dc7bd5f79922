/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cfg_parse.h"
#include "config.h"
#include "sla_config.h"
#include "window.h"

const char *const sla_metric_name[SLA_METRICS] = {
	"rtt_p50", "rtt_p99", "rtt_p999", "loss", "jitter", "availability",
};

static bool
metric_is_time(enum sla_metric m)
{
	return m != SLA_LOSS && m != SLA_AVAILABILITY;
}

/* "20ms" (time) or "0.5%" (ratio) to base units; -1 when it is not one. */
static double
parse_unit(const char *s, bool time)
{
	static const struct { const char *u; double f; } tu[] = {
		{ "ns", 1e-9 }, { "us", 1e-6 }, { "ms", 1e-3 }, { "s", 1.0 },
	};
	char *end;
	double v = strtod(s, &end);
	size_t i;

	if (end == s || !isfinite(v) || v < 0)
		return -1;
	if (!time)
		return strcmp(end, "%") == 0 ? v / 100.0 : -1;
	for (i = 0; i < sizeof(tu) / sizeof(tu[0]); i++)
		if (strcmp(end, tu[i].u) == 0)
			return v * tu[i].f;
	return -1;
}

/* Member key of o as a threshold of metric m; -ENOENT when absent. */
static int
threshold_of(struct cfg_ctx *x, const cJSON *o, const char *base, const char *key,
	     enum sla_metric m, double *out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
	bool time = metric_is_time(m);
	char path[CFG_PATH_MAX];
	double v = -1;

	cfg_join(path, base, key);
	if (it == NULL)
		return -ENOENT;
	if (cJSON_IsNumber(it))
		v = it->valuedouble;
	else if (cJSON_IsString(it))
		v = parse_unit(it->valuestring, time);
	if (!isfinite(v) || v < 0 || (!time && v > 1))
		return cfg_fail(x, path, "%s is not a %s", cJSON_IsString(it) ? it->valuestring :
				cfg_type_name(it), time ? "time (seconds, or \"20ms\", \"250us\")" :
				"ratio (0..1, or \"0.5%\")");
	*out = v;
	return 0;
}

/* A name among names, or -1. */
static int
index_of(const char *s, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

/* "immediate", or an object {type, n, x, y}. */
static int
reaction_of(struct cfg_ctx *x, const cJSON *o, const char *base, struct react_cfg *r)
{
	static const char *const keys[] = { "type", "n", "x", "y", NULL };
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, "reaction");
	char path[CFG_PATH_MAX], type[16] = "immediate";
	uint32_t n = 1, y = 5;
	int rc, t;

	cfg_join(path, base, "reaction");
	r->type = REACT_IMMEDIATE;
	r->n = 1;
	r->y = 1;
	if (it == NULL)
		return 0;
	if (cJSON_IsString(it)) {
		snprintf(type, sizeof(type), "%s", it->valuestring);
	} else if (cJSON_IsObject(it)) {
		if ((rc = cfg_check_keys(x, it, path, keys)) != 0 ||
		    (rc = cfg_str(x, it, path, "type", true, type, sizeof(type),
				  "immediate, consecutive, xofy or average")) != 0)
			return rc;
	} else {
		return cfg_fail(x, path, "%s, expected a string or an object", cfg_type_name(it));
	}
	t = index_of(type, react_type_name, REACT_TYPES);
	if (t < 0)
		return cfg_fail(x, path, "\"%s\" is not a reaction (immediate, consecutive, xofy, "
				"average)", type);
	r->type = (enum react_type)t;
	if (cJSON_IsObject(it)) {
		if (t == REACT_XOFY)
			n = 5;
		if ((rc = cfg_u32(x, it, path, t == REACT_XOFY ? "x" : "n", 1, REACT_HISTORY, &n)) != 0 ||
		    (rc = cfg_u32(x, it, path, "y", 1, REACT_HISTORY, &y)) != 0)
			return rc;
		if (t == REACT_XOFY && n > y)
			return cfg_fail(x, path, "x %u is more than y %u (X of the last Y)", n, y);
	}
	r->n = (uint8_t)n;
	r->y = (uint8_t)y;
	return 0;
}

/* "30d", "6h": the budget period. */
static int
period_of(struct cfg_ctx *x, const cJSON *o, uint32_t *out)
{
	char s[16], *end;
	unsigned long v;
	int rc = cfg_str(x, o, "sla", "period", false, s, sizeof(s), "a period, \"30d\" or \"24h\"");

	if (rc == -ENOENT)
		return 0;
	if (rc != 0)
		return rc;
	v = strtoul(s, &end, 10);
	if (end != s && strcmp(end, "d") == 0)
		v *= 86400;
	else if (end != s && strcmp(end, "h") == 0)
		v *= 3600;
	else
		v = 0;
	if (v < 3600 || v > 30 * 86400)
		return cfg_fail(x, "sla.period", "\"%s\" is not a period from 1h to 30d "
				"(\"30d\", \"7d\", \"24h\")", s);
	*out = (uint32_t)v;
	return 0;
}

/* The link, metric and window of objective o (path base). link: -2 for "*". */
static int
objective_what(struct cfg_ctx *x, const cJSON *o, const char *base, const struct mp_config *c,
	       struct sla_objective *ob)
{
	char link[MP_NAME_MAX] = "*", metric[24], window[16], path[CFG_PATH_MAX];
	int rc, i;

	rc = cfg_str(x, o, base, "link", false, link, sizeof(link), "a link's name, \"*\" or \"pair\"");
	if (rc != 0 && rc != -ENOENT)
		return rc;
	ob->link = strcmp(link, "pair") == 0 ? SLA_PAIR : -2;
	for (i = 0; strcmp(link, "*") != 0 && ob->link == -2 && i < c->n_links; i++)
		if (strcmp(link, c->links[i].name) == 0)
			ob->link = i;
	cfg_join(path, base, "link");
	if (ob->link == -2 && strcmp(link, "*") != 0)
		return cfg_fail(x, path, "\"%s\" is not a link (a link's name, \"*\" or \"pair\")", link);
	if (ob->link == SLA_PAIR && c->n_links < 2)
		return cfg_fail(x, path, "\"pair\" needs two links");
	if ((rc = cfg_str(x, o, base, "metric", true, metric, sizeof(metric),
			  "rtt_p50, rtt_p99, rtt_p999, loss, jitter or availability")) != 0 ||
	    (rc = cfg_str(x, o, base, "window", true, window, sizeof(window),
			  "1m, 5m, 1h, 24h or 30d")) != 0)
		return rc;
	i = index_of(metric, sla_metric_name, SLA_METRICS);
	cfg_join(path, base, "metric");
	if (i < 0)
		return cfg_fail(x, path, "\"%s\" is not a metric (rtt_p50, rtt_p99, rtt_p999, loss, "
				"jitter, availability)", metric);
	ob->metric = (enum sla_metric)i;
	ob->window = win_parse(window);
	cfg_join(path, base, "window");
	if (ob->window < 0)
		return cfg_fail(x, path, "\"%s\" is not a window (1m, 5m, 1h, 24h, 30d)", window);
	return 0;
}

/* max (or min for availability), falling, target. */
static int
objective_limits(struct cfg_ctx *x, const cJSON *o, const char *base, double target,
		 struct sla_objective *ob)
{
	bool low = ob->metric == SLA_AVAILABILITY;
	const char *want = low ? "min" : "max", *other = low ? "max" : "min";
	char path[CFG_PATH_MAX];
	const cJSON *t;
	int rc;

	cfg_join(path, base, other);
	if (cJSON_GetObjectItemCaseSensitive(o, other) != NULL)
		return cfg_fail(x, path, "%s has a \"%s\", not a \"%s\"",
				sla_metric_name[ob->metric], want, other);
	rc = threshold_of(x, o, base, want, ob->metric, &ob->threshold);
	cfg_join(path, base, want);
	if (rc == -ENOENT)
		return cfg_fail(x, path, "missing (the objective's threshold)");
	if (rc != 0)
		return rc;
	ob->react.low_is_bad = low;
	ob->react.rising = ob->threshold;
	ob->react.falling = ob->threshold;
	rc = threshold_of(x, o, base, "falling", ob->metric, &ob->react.falling);
	cfg_join(path, base, "falling");
	if (rc != 0 && rc != -ENOENT)
		return rc;
	if (low ? ob->react.falling < ob->threshold : ob->react.falling > ob->threshold)
		return cfg_fail(x, path, "on the wrong side of the threshold (%s %s it)",
				low ? "at or above" : "at or below", want);
	ob->target = target;
	t = cJSON_GetObjectItemCaseSensitive(o, "target");
	cfg_join(path, base, "target");
	if (t != NULL && (!cJSON_IsNumber(t) || !(t->valuedouble > 0 && t->valuedouble < 1)))
		return cfg_fail(x, path, "expected a number between 0 and 1 (0.999)");
	if (t != NULL)
		ob->target = t->valuedouble;
	return 0;
}

/* Add ob, once per link for "*", with its name; checks names are unique. */
static int
objective_add(struct cfg_ctx *x, const cJSON *o, const char *base, struct mp_config *c,
	      struct sla_objective *ob)
{
	struct sla_config *s = &c->sla;
	char name[SLA_NAME_MAX] = "", path[CFG_PATH_MAX];
	int first = ob->link == -2 ? 0 : ob->link, last = ob->link == -2 ? c->n_links - 1 : ob->link;
	int rc, l, j;

	rc = cfg_str(x, o, base, "name", false, name, sizeof(name) - MP_NAME_MAX, "a name");
	if (rc != 0 && rc != -ENOENT)
		return rc;
	cfg_join(path, base, "name");
	for (l = first; l <= last; l++) {
		struct sla_objective *d = &s->o[s->n];
		const char *ln = l == SLA_PAIR ? "pair" : c->links[l].name;

		if (s->n == SLA_OBJECTIVES_MAX)
			return cfg_fail(x, base, "too many objectives (at most %d, with \"*\" "
					"counted once per link)", SLA_OBJECTIVES_MAX);
		*d = *ob;
		d->link = l;
		if (name[0] == '\0')
			snprintf(d->name, sizeof(d->name), "%s_%s_%s", ln,
				 sla_metric_name[ob->metric], win_name[ob->window]);
		else if (ob->link == -2)
			snprintf(d->name, sizeof(d->name), "%s_%s", name, ln);
		else
			snprintf(d->name, sizeof(d->name), "%s", name);
		for (j = 0; j < s->n; j++)
			if (strcmp(s->o[j].name, d->name) == 0)
				return cfg_fail(x, path, "\"%s\" is the name of another objective "
						"(names are unique)", d->name);
		s->n++;
	}
	return 0;
}

static int
objective_parse(struct cfg_ctx *x, const cJSON *o, const char *base, double target,
		struct mp_config *c)
{
	static const char *const keys[] = {
		"name", "link", "metric", "window", "max", "min", "falling", "reaction", "target",
		NULL
	};
	struct sla_objective ob;
	int rc;

	memset(&ob, 0, sizeof(ob));
	if (!cJSON_IsObject(o))
		return cfg_fail(x, base, "%s, expected an object", cfg_type_name(o));
	if ((rc = cfg_check_keys(x, o, base, keys)) != 0 ||
	    (rc = objective_what(x, o, base, c, &ob)) != 0 ||
	    (rc = objective_limits(x, o, base, target, &ob)) != 0 ||
	    (rc = reaction_of(x, o, base, &ob.react)) != 0)
		return rc;
	return objective_add(x, o, base, c, &ob);
}

int
sla_config_parse(struct cfg_ctx *x, const cJSON *o, struct mp_config *c)
{
	static const char *const keys[] = { "period", "target", "objectives", NULL };
	const cJSON *arr, *t, *it;
	char path[CFG_PATH_MAX];
	double target = 0.999;
	int rc, i = 0;

	memset(&c->sla, 0, sizeof(c->sla));
	c->sla.period_s = 30 * 86400;
	if (o == NULL)
		return 0;
	if (!cJSON_IsObject(o))
		return cfg_fail(x, "sla", "%s, expected an object", cfg_type_name(o));
	c->sla.configured = true;
	if ((rc = cfg_check_keys(x, o, "sla", keys)) != 0 || (rc = period_of(x, o, &c->sla.period_s)) != 0)
		return rc;
	t = cJSON_GetObjectItemCaseSensitive(o, "target");
	if (t != NULL && (!cJSON_IsNumber(t) || !(t->valuedouble > 0 && t->valuedouble < 1)))
		return cfg_fail(x, "sla.target", "expected a number between 0 and 1 (0.999)");
	if (t != NULL)
		target = t->valuedouble;
	arr = cJSON_GetObjectItemCaseSensitive(o, "objectives");
	if (arr != NULL && !cJSON_IsArray(arr))
		return cfg_fail(x, "sla.objectives", "%s, expected an array", cfg_type_name(arr));
	cJSON_ArrayForEach(it, arr) {
		cfg_index(path, "sla.objectives", i++);
		if ((rc = objective_parse(x, it, path, target, c)) != 0)
			return rc;
	}
	return 0;
}
