/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ExpressRoute Metro catalog (one place: the config validates against
 * it, the lab names its sites after it).
 */
#ifndef MP_METRO_H
#define MP_METRO_H

/* Peering locations per metro: a metro is two sites in one city. */
#define MP_METRO_NSITES	2

struct mp_peering_location {
	const char *name;		/* "Amsterdam2" */
	const char *facility;		/* "Digital Realty AMS8" */
};

struct mp_metro {
	const char *name;		/* "Amsterdam Metro" */
	const char *city;		/* "Amsterdam" */
	const char *azure_region;	/* "West Europe" */
	struct mp_peering_location sites[MP_METRO_NSITES];
};

/* Find a metro by "Amsterdam Metro", "Amsterdam", or (case-insensitive) city. */
const struct mp_metro *mp_metro_find(const char *name);
/* The metro and site index of a peering location ("Zurich2"), or NULL. */
const struct mp_metro *mp_metro_of_location(const char *location, int *site);
/* NULL-terminated list, for --help and errors. */
extern const struct mp_metro mp_metros[];

#endif
