/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ExpressRoute Metro catalog (control/metro.c): every fact of the
 * seed table (Microsoft's "About ExpressRoute Metro", the locations
 * table), the lookups, and the JSON `metroprobe catalog --json` prints,
 * parsed back and compared with the catalog field by field.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_cmd.h"
#include "metro.h"
#include "mp_test.h"

/* The seed table, written out again by hand: the catalog must say exactly this. */
static const struct {
	const char *metro, *city, *region;
	int zone;
	bool er_direct;
	const char *loc[2], *fac[2];
	const char *prov;	/* "Name:a|f;..." a: available, f: future */
} seed[] = {
	{ "Amsterdam Metro", "Amsterdam", "West Europe", 1, true,
	  { "Amsterdam", "Amsterdam2" }, { "Equinix AM5", "Digital Realty AMS8" },
	  "Colt:f;Console Connect:f;Digital Realty:a;Equinix:f;euNetworks:a;Megaport:a" },
	{ "Singapore Metro", "Singapore", "Southeast Asia", 2, true,
	  { "Singapore", "Singapore2" }, { "Equinix SG1", "Global Switch Tai Seng" },
	  "Console Connect:f;Equinix:f;Megaport:a" },
	{ "Zurich Metro", "Zurich", "Switzerland North", 1, true,
	  { "Zurich", "Zurich2" }, { "Digital Realty ZUR2", "Equinix ZH5" },
	  "Colt:f;Digital Realty:f" },
};
#define N_SEED	(sizeof(seed) / sizeof(seed[0]))

/* Each "Name:x" of a seed row, checked against metro m in order; returns the count. */
static int
check_providers(const struct mp_metro *m, const char *spec)
{
	char copy[256], *save = NULL, *tok;
	int n = 0;

	snprintf(copy, sizeof(copy), "%s", spec);
	for (tok = strtok_r(copy, ";", &save); tok != NULL; tok = strtok_r(NULL, ";", &save)) {
		char *colon = strchr(tok, ':');

		*colon = '\0';
		ck_assert_int_lt(n, MP_METRO_MAX_PROVIDERS);
		ck_assert_str_eq(m->providers[n].name, tok);
		ck_assert_int_eq(m->providers[n].future, colon[1] == 'f');
		ck_assert_int_eq(mp_metro_provider(m, tok), colon[1] == 'f' ?
				 MP_PROVIDER_FUTURE : MP_PROVIDER_AVAILABLE);
		n++;
	}
	return n;
}

START_TEST(test_every_fact_of_the_seed)
{
	size_t i, n = 0;
	int s;

	for (i = 0; mp_metros[i].name != NULL; i++)
		n++;
	ck_assert_uint_eq(n, N_SEED);
	for (i = 0; i < N_SEED; i++) {
		const struct mp_metro *m = &mp_metros[i];

		ck_assert_str_eq(m->name, seed[i].metro);
		ck_assert_str_eq(m->city, seed[i].city);
		ck_assert_str_eq(m->azure_region, seed[i].region);
		ck_assert_int_eq(m->zone, seed[i].zone);
		ck_assert_int_eq(m->er_direct, seed[i].er_direct);
		for (s = 0; s < MP_METRO_NSITES; s++) {
			ck_assert_str_eq(m->sites[s].name, seed[i].loc[s]);
			ck_assert_str_eq(m->sites[s].facility, seed[i].fac[s]);
		}
		ck_assert_int_eq(check_providers(m, seed[i].prov), mp_metro_n_providers(m));
	}
}
END_TEST

START_TEST(test_lookups)
{
	const struct mp_metro *ams = mp_metro_find("Amsterdam Metro"), *m;
	int site = -1;

	ck_assert_ptr_nonnull(ams);
	ck_assert_ptr_eq(mp_metro_find("amsterdam"), ams);
	ck_assert_ptr_eq(mp_metro_find("AMSTERDAM METRO"), ams);
	ck_assert_ptr_null(mp_metro_find("Amsterdam2"));	/* a location, not a metro */
	ck_assert_ptr_null(mp_metro_find("London"));
	ck_assert_ptr_null(mp_metro_find(NULL));
	m = mp_metro_of_location("zurich2", &site);
	ck_assert_ptr_eq(m, mp_metro_find("Zurich"));
	ck_assert_int_eq(site, 1);
	m = mp_metro_of_location("Singapore", &site);
	ck_assert_str_eq(m->name, "Singapore Metro");
	ck_assert_int_eq(site, 0);
	ck_assert_ptr_null(mp_metro_of_location("Amsterdam3", &site));
	ck_assert_ptr_null(mp_metro_of_location("Amsterdam Metro", NULL));
	ck_assert_ptr_null(mp_metro_of_location(NULL, NULL));
	/* providers: per metro, case-insensitive, future or not */
	ck_assert_int_eq(mp_metro_provider(ams, "megaport"), MP_PROVIDER_AVAILABLE);
	ck_assert_int_eq(mp_metro_provider(ams, "Equinix"), MP_PROVIDER_FUTURE);
	ck_assert_int_eq(mp_metro_provider(ams, "AT&T"), MP_PROVIDER_UNKNOWN);
	ck_assert_int_eq(mp_metro_provider(ams, ""), MP_PROVIDER_UNKNOWN);
	ck_assert_int_eq(mp_metro_provider(mp_metro_find("Zurich"), "euNetworks"),
			 MP_PROVIDER_UNKNOWN);
	ck_assert_int_eq(mp_metro_provider(mp_metro_find("Zurich"), "Digital Realty"),
			 MP_PROVIDER_FUTURE);
	ck_assert_int_eq(mp_metro_provider(NULL, "Megaport"), MP_PROVIDER_UNKNOWN);
	ck_assert_int_eq(mp_metro_provider(ams, NULL), MP_PROVIDER_UNKNOWN);
	ck_assert_str_eq(mp_provider_status_name(MP_PROVIDER_AVAILABLE), "available");
	ck_assert_str_eq(mp_provider_status_name(MP_PROVIDER_FUTURE), "future");
	ck_assert_str_eq(mp_provider_status_name(MP_PROVIDER_UNKNOWN), "unknown");
}
END_TEST

/* One metro object of the JSON against the catalog's entry. */
static void
check_metro_json(const cJSON *o, const struct mp_metro *m)
{
	const cJSON *locs = cJSON_GetObjectItemCaseSensitive(o, "peering_locations");
	const cJSON *provs = cJSON_GetObjectItemCaseSensitive(o, "providers");
	int i;

	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(o, "name")->valuestring, m->name);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(o, "city")->valuestring, m->city);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(o, "azure_region")->valuestring,
			 m->azure_region);
	ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(o, "zone")->valueint, m->zone);
	ck_assert_int_eq(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "er_direct")),
			 m->er_direct);
	ck_assert_int_eq(cJSON_GetArraySize(locs), MP_METRO_NSITES);
	for (i = 0; i < MP_METRO_NSITES; i++) {
		const cJSON *l = cJSON_GetArrayItem(locs, i);

		ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(l, "name")->valuestring,
				 m->sites[i].name);
		ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(l, "facility")->valuestring,
				 m->sites[i].facility);
	}
	ck_assert_int_eq(cJSON_GetArraySize(provs), mp_metro_n_providers(m));
	for (i = 0; i < cJSON_GetArraySize(provs); i++) {
		const cJSON *p = cJSON_GetArrayItem(provs, i);
		const char *name = cJSON_GetObjectItemCaseSensitive(p, "name")->valuestring;

		ck_assert_str_eq(name, m->providers[i].name);
		ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(p, "status")->valuestring,
				 mp_provider_status_name(mp_metro_provider(m, name)));
	}
}

START_TEST(test_json_round_trips)
{
	cJSON *made = mp_catalog_json(), *back, *metros;
	char *text = cJSON_Print(made), *again;
	int i;

	ck_assert_ptr_nonnull(text);
	back = cJSON_Parse(text);
	ck_assert_ptr_nonnull(back);
	ck_assert(cJSON_Compare(made, back, true));
	metros = cJSON_GetObjectItemCaseSensitive(back, "metros");
	ck_assert_int_eq(cJSON_GetArraySize(metros), (int)N_SEED);
	for (i = 0; i < cJSON_GetArraySize(metros); i++)
		check_metro_json(cJSON_GetArrayItem(metros, i), &mp_metros[i]);
	/* printing what was parsed gives the same text */
	again = cJSON_Print(back);
	ck_assert_str_eq(again, text);
	free(again);
	free(text);
	cJSON_Delete(back);
	cJSON_Delete(made);
}
END_TEST

static Suite *
metro_suite(void)
{
	Suite *s = suite_create("metro");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_every_fact_of_the_seed);
	tcase_add_test(tc, test_lookups);
	tcase_add_test(tc, test_json_round_trips);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(metro_suite)
