/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config's "provider" key: the service provider the circuit is
 * ordered through (optional; an ExpressRoute Direct circuit has none),
 *
 *   "provider": "Megaport",
 *
 * checked against the catalog's providers of the metro of each link's
 * peering location (metro.h). A provider the metro does not list is a
 * config error naming it and the metro's list; one listed as "available in
 * the future" is a warning, not an error (the circuit cannot be ordered
 * through it there yet, but a config written ahead of time is fine):
 * c->provider_warning, which run and check print on stderr. Locations
 * outside the catalog (a standard or two-circuits pair) are not checked.
 */
#include <stdio.h>
#include <string.h>

#include "diversity_config.h"
#include "metro.h"

/* "Colt, Equinix, ..." */
static void
provider_list(const struct mp_metro *m, char *buf, size_t len)
{
	size_t used = 0;
	int i, n = mp_metro_n_providers(m);

	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i > 0 ? ", " : "",
					 m->providers[i].name);
}

/* The metro of link i, unless a link before it is in the same one (checked already). */
static const struct mp_metro *
provider_metro(const struct mp_config *c, int i)
{
	const struct mp_metro *m = mp_metro_of_location(c->links[i].location, NULL), *p;
	int j;

	for (j = 0; m != NULL && j < i; j++) {
		p = mp_metro_of_location(c->links[j].location, NULL);
		if (p == m)
			return NULL;
	}
	return m;
}

int
provider_config_parse(struct cfg_ctx *x, const cJSON *o, struct mp_config *c)
{
	const struct mp_metro *m;
	char list[256];
	int i;

	c->provider[0] = c->provider_warning[0] = '\0';
	if (o == NULL)
		return 0;
	if (!cJSON_IsString(o) || o->valuestring[0] == '\0' ||
	    strlen(o->valuestring) >= sizeof(c->provider))
		return cfg_fail(x, "provider", "%s, expected a service provider's name (\"Megaport\")",
				cJSON_IsString(o) ? "an empty or too long string" : cfg_type_name(o));
	snprintf(c->provider, sizeof(c->provider), "%s", o->valuestring);
	for (i = 0; i < c->n_links; i++) {
		if ((m = provider_metro(c, i)) == NULL)
			continue;
		switch (mp_metro_provider(m, c->provider)) {
		case MP_PROVIDER_UNKNOWN:
			provider_list(m, list, sizeof(list));
			return cfg_fail(x, "provider", "\"%s\" is not a provider of %s (the catalog "
					"lists %s)", c->provider, m->name, list);
		case MP_PROVIDER_FUTURE:
			snprintf(c->provider_warning, sizeof(c->provider_warning),
				 "provider: %s is listed for %s as \"available in the future\": "
				 "circuits through it cannot be ordered there yet", c->provider,
				 m->name);
			break;
		default:
			break;
		}
	}
	return 0;
}
