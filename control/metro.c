/* SPDX-License-Identifier: BSD-3-Clause */
/* The ExpressRoute Metro catalog: metros, their two peering locations. */
#include <stddef.h>
#include <strings.h>

#include "metro.h"

/*
 * From Microsoft's "About ExpressRoute Metro": each metro is two peering
 * locations in one city, named City and City2.
 */
const struct mp_metro mp_metros[] = {
	{
		.name = "Amsterdam Metro", .city = "Amsterdam",
		.azure_region = "West Europe",
		.sites = {
			{ "Amsterdam", "Equinix AM5" },
			{ "Amsterdam2", "Digital Realty AMS8" },
		},
	},
	{
		.name = "Singapore Metro", .city = "Singapore",
		.azure_region = "Southeast Asia",
		.sites = {
			{ "Singapore", "Equinix SG1" },
			{ "Singapore2", "Global Switch Tai Seng" },
		},
	},
	{
		.name = "Zurich Metro", .city = "Zurich",
		.azure_region = "Switzerland North",
		.sites = {
			{ "Zurich", "Digital Realty ZUR2" },
			{ "Zurich2", "Equinix ZH5" },
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
