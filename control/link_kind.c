/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A link's "kind" and a service link's carrier keys (link_kind.h): the
 * parts of links[] config.c leaves to this file.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cfg_parse.h"
#include "link_kind.h"

/* One pinned link's addresses: "a": ["192.0.2.2", ...]. */
static int
link_kind_addrs(struct cfg_ctx *x, const cJSON *arr, const char *path, struct carrier_cfg *cc,
		int pinned)
{
	const cJSON *it;
	char p[CFG_PATH_MAX];
	int i = 0;

	if (!cJSON_IsArray(arr))
		return cfg_fail(x, path, "%s, expected an array of hop addresses",
				cfg_type_name(arr));
	cJSON_ArrayForEach(it, arr) {
		struct ip_addr *a = &cc->addr[pinned][cc->n_addr[pinned]];

		cfg_index(p, path, i++);
		if (cc->n_addr[pinned] == CARRIER_ADDRS_MAX)
			return cfg_fail(x, p, "more than %d addresses", CARRIER_ADDRS_MAX);
		if (!cJSON_IsString(it) || ip_addr_parse(it->valuestring, a, NULL) != 0)
			return cfg_fail(x, p, "%s is not an IPv4 or IPv6 address",
					cJSON_IsString(it) ? it->valuestring : cfg_type_name(it));
		cc->n_addr[pinned]++;
	}
	return 0;
}

/* "carriers": {LINK: [ADDR, ...]}, LINK a pinned link's name (both are parsed by now). */
static int
link_kind_carriers(struct cfg_ctx *x, const cJSON *o, const char *base, struct mp_config *c)
{
	const cJSON *m, *it;
	char path[CFG_PATH_MAX], p[CFG_PATH_MAX];
	int rc, k;

	if ((rc = cfg_obj(x, o, base, "carriers", &m)) != 0 || m == NULL)
		return rc;
	cfg_join(path, base, "carriers");
	cJSON_ArrayForEach(it, m) {
		cfg_join(p, path, it->string);
		for (k = 0; k < 2 && strcmp(it->string, c->links[k].name) != 0; k++)
			;
		if (k == 2)
			return cfg_fail(x, p, "\"%s\" is not a pinned link (%s or %s)", it->string,
					c->links[0].name, c->links[1].name);
		if ((rc = link_kind_addrs(x, it, p, &c->carrier, k)) != 0)
			return rc;
	}
	return 0;
}

int
link_kind_parse(struct cfg_ctx *x, const cJSON *o, const char *base, int idx,
		struct mp_config *c)
{
	struct mp_link_cfg *l = &c->links[idx];
	char kind[16] = "pinned", path[CFG_PATH_MAX];
	int rc;

	rc = cfg_str(x, o, base, "kind", false, kind, sizeof(kind), "\"pinned\" or \"service\"");
	if (rc != 0 && rc != -ENOENT)
		return rc;
	cfg_join(path, base, "kind");
	if (strcmp(kind, "pinned") == 0) {
		l->kind = LINK_KIND_PINNED;
		if (cJSON_GetObjectItemCaseSensitive(o, "carriers") != NULL ||
		    cJSON_GetObjectItemCaseSensitive(o, "carrier_interval_ms") != NULL)
			return cfg_fail(x, path, "\"pinned\": carriers and carrier_interval_ms "
					"are a service link's (\"kind\": \"service\")");
		return 0;
	}
	if (strcmp(kind, "service") != 0)
		return cfg_fail(x, path, "\"%s\" is not a kind of link (\"pinned\": over one link "
				"to its site's reflector; \"service\": through the customer's "
				"routing)", kind);
	if (idx != LINK_SERVICE_INDEX)
		return cfg_fail(x, path, "\"service\": the service link comes third, after the "
				"two pinned links of the pair (links[0], links[1])");
	if (cJSON_GetObjectItemCaseSensitive(o, "location") != NULL) {
		cfg_join(path, base, "location");
		return cfg_fail(x, path, "a service link has no peering location (the customer's "
				"routing picks the link)");
	}
	l->kind = LINK_KIND_SERVICE;
	c->carrier.service = idx;
	if ((rc = cfg_u32(x, o, base, "carrier_interval_ms", 100, 60000,
			  &c->carrier.interval_ms)) != 0)
		return rc;
	return link_kind_carriers(x, o, base, c);
}

int
link_kind_count(struct cfg_ctx *x, int n)
{
	if (n < 2 || n > MP_MAX_LINKS)
		return cfg_fail(x, "links", "%d given; a Metro is a pair: exactly 2 links, one per "
				"peering location (and at most one \"kind\": \"service\" link, "
				"third)", n);
	return 0;
}

int
link_kind_check(struct cfg_ctx *x, const struct mp_config *c)
{
	if (c->n_links == 3 && c->links[LINK_SERVICE_INDEX].kind != LINK_KIND_SERVICE)
		return cfg_fail(x, "links[2].kind", "a third link must be \"kind\": \"service\" "
				"(a Metro pair is exactly 2 pinned links)");
	return 0;
}

const char *
link_kind_where(const struct mp_link_cfg *l)
{
	return l->kind == LINK_KIND_SERVICE ? "service" : l->location;
}

int
link_kind_pinned(const struct mp_config *c)
{
	int i, n = 0;

	for (i = 0; i < c->n_links; i++)
		n += c->links[i].kind == LINK_KIND_PINNED;
	return n;
}

uint32_t
link_kind_path_interval(const struct mp_config *c)
{
	uint32_t p = c->path.interval_ms;

	if (c->carrier.service < 0)
		return p;
	return p == 0 || p > c->carrier.interval_ms ? c->carrier.interval_ms : p;
}
