/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ExpressRoute Metro catalog (one place: the config validates against
 * it, the lab names its sites after it, `metroprobe catalog` prints it).
 * Source: Microsoft's "About ExpressRoute Metro (preview)", the table of
 * ExpressRoute Metro locations (ms.date 06/03/2024).
 */
#ifndef MP_METRO_H
#define MP_METRO_H

#include <stdbool.h>

/* Peering locations per metro: a metro is two sites in one city. */
#define MP_METRO_NSITES		2
/* Service providers per metro, at most (the table lists up to six). */
#define MP_METRO_MAX_PROVIDERS	8

struct mp_peering_location {
	const char *name;		/* "Amsterdam2" */
	const char *facility;		/* "Digital Realty AMS8" (the location address) */
};

struct mp_metro_provider {
	const char *name;		/* "Megaport" */
	bool future;			/* "will be available in the future" (footnote 1) */
};

struct mp_metro {
	const char *name;		/* "Amsterdam Metro" */
	const char *city;		/* "Amsterdam" */
	const char *azure_region;	/* the local Azure region: "West Europe" */
	int zone;			/* ExpressRoute pricing zone: 1 */
	bool er_direct;			/* ExpressRoute Direct offered */
	struct mp_peering_location sites[MP_METRO_NSITES];
	struct mp_metro_provider providers[MP_METRO_MAX_PROVIDERS];	/* name NULL ends */
};

/* What the catalog says of a service provider in one metro. */
enum mp_provider_status {
	MP_PROVIDER_UNKNOWN,		/* not listed for this metro */
	MP_PROVIDER_AVAILABLE,
	MP_PROVIDER_FUTURE,		/* listed, "available in the future" */
};

/* Find a metro by "Amsterdam Metro", "Amsterdam", or (case-insensitive) city. */
const struct mp_metro *mp_metro_find(const char *name);
/* The metro and site index of a peering location ("Zurich2"), or NULL. */
const struct mp_metro *mp_metro_of_location(const char *location, int *site);
/* A service provider in metro m (case-insensitive name); m NULL: unknown. */
enum mp_provider_status mp_metro_provider(const struct mp_metro *m, const char *name);
/* How many providers m lists. */
int mp_metro_n_providers(const struct mp_metro *m);
/* "available", "future", "unknown". */
const char *mp_provider_status_name(enum mp_provider_status st);
/* NULL-terminated list, for --help and errors. */
extern const struct mp_metro mp_metros[];

#endif
