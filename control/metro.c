/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ExpressRoute Metro catalog: metros, their two peering locations and
 * facilities, zone, local Azure region, ExpressRoute Direct, and service
 * providers.
 */
#include <stddef.h>
#include <strings.h>

#include "metro.h"

/*
 * From Microsoft's "About ExpressRoute Metro": each metro is two peering
 * locations in one city, named City and City2. Providers marked with
 * footnote 1 there "will be available in the future" (future = true).
 */
const struct mp_metro mp_metros[] = {
	{
		.name = "Amsterdam Metro", .city = "Amsterdam",
		.azure_region = "West Europe", .zone = 1, .er_direct = true,
		.sites = {
			{ "Amsterdam", "Equinix AM5" },
			{ "Amsterdam2", "Digital Realty AMS8" },
		},
		.providers = {
			{ "Colt", true },
			{ "Console Connect", true },
			{ "Digital Realty", false },
			{ "Equinix", true },
			{ "euNetworks", false },
			{ "Megaport", false },
		},
	},
	{
		.name = "Singapore Metro", .city = "Singapore",
		.azure_region = "Southeast Asia", .zone = 2, .er_direct = true,
		.sites = {
			{ "Singapore", "Equinix SG1" },
			{ "Singapore2", "Global Switch Tai Seng" },
		},
		.providers = {
			{ "Console Connect", true },
			{ "Equinix", true },
			{ "Megaport", false },
		},
	},
	{
		.name = "Zurich Metro", .city = "Zurich",
		.azure_region = "Switzerland North", .zone = 1, .er_direct = true,
		.sites = {
			{ "Zurich", "Digital Realty ZUR2" },
			{ "Zurich2", "Equinix ZH5" },
		},
		.providers = {
			{ "Colt", true },
			{ "Digital Realty", true },
		},
	},
	{ .name = NULL },
};

const struct mp_metro *
mp_metro_find(const char *name)
{
	const struct mp_metro *m;

	if (name == NULL)
		return NULL;
	for (m = mp_metros; m->name != NULL; m++) {
		if (strcasecmp(name, m->name) == 0 || strcasecmp(name, m->city) == 0)
			return m;
	}
	return NULL;
}

const struct mp_metro *
mp_metro_of_location(const char *location, int *site)
{
	const struct mp_metro *m;
	int i;

	if (location == NULL)
		return NULL;
	for (m = mp_metros; m->name != NULL; m++) {
		for (i = 0; i < MP_METRO_NSITES; i++) {
			if (strcasecmp(location, m->sites[i].name) == 0) {
				if (site != NULL)
					*site = i;
				return m;
			}
		}
	}
	return NULL;
}

int
mp_metro_n_providers(const struct mp_metro *m)
{
	int n = 0;

	while (n < MP_METRO_MAX_PROVIDERS && m->providers[n].name != NULL)
		n++;
	return n;
}

enum mp_provider_status
mp_metro_provider(const struct mp_metro *m, const char *name)
{
	int i, n;

	if (m == NULL || name == NULL)
		return MP_PROVIDER_UNKNOWN;
	n = mp_metro_n_providers(m);
	for (i = 0; i < n; i++)
		if (strcasecmp(name, m->providers[i].name) == 0)
			return m->providers[i].future ? MP_PROVIDER_FUTURE : MP_PROVIDER_AVAILABLE;
	return MP_PROVIDER_UNKNOWN;
}

const char *
mp_provider_status_name(enum mp_provider_status st)
{
	switch (st) {
	case MP_PROVIDER_AVAILABLE:
		return "available";
	case MP_PROVIDER_FUTURE:
		return "future";
	default:
		return "unknown";
	}
}
