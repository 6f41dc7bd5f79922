/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `metroprobe catalog [--json]`: what metroprobe knows of ExpressRoute
 * Metro (metro.c), a table for people or JSON for tools. Both are built
 * from mp_metros alone; tests/unit/test_metro.c parses the JSON back.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_cmd.h"
#include "metro.h"

static cJSON *
catalog_metro_json(const struct mp_metro *m)
{
	cJSON *o = cJSON_CreateObject(), *locs, *provs;
	int i, n = mp_metro_n_providers(m);

	cJSON_AddStringToObject(o, "name", m->name);
	cJSON_AddStringToObject(o, "city", m->city);
	cJSON_AddNumberToObject(o, "zone", m->zone);
	cJSON_AddStringToObject(o, "azure_region", m->azure_region);
	cJSON_AddBoolToObject(o, "er_direct", m->er_direct);
	locs = cJSON_AddArrayToObject(o, "peering_locations");
	for (i = 0; i < MP_METRO_NSITES; i++) {
		cJSON *l = cJSON_CreateObject();

		cJSON_AddStringToObject(l, "name", m->sites[i].name);
		cJSON_AddStringToObject(l, "facility", m->sites[i].facility);
		cJSON_AddItemToArray(locs, l);
	}
	provs = cJSON_AddArrayToObject(o, "providers");
	for (i = 0; i < n; i++) {
		cJSON *p = cJSON_CreateObject();

		cJSON_AddStringToObject(p, "name", m->providers[i].name);
		cJSON_AddStringToObject(p, "status", m->providers[i].future ? "future" :
					"available");
		cJSON_AddItemToArray(provs, p);
	}
	return o;
}

cJSON *
mp_catalog_json(void)
{
	cJSON *root = cJSON_CreateObject(), *metros;
	const struct mp_metro *m;

	cJSON_AddStringToObject(root, "source", "Microsoft, About ExpressRoute Metro (preview), "
				"2024-06-03");
	metros = cJSON_AddArrayToObject(root, "metros");
	for (m = mp_metros; m->name != NULL; m++)
		cJSON_AddItemToArray(metros, catalog_metro_json(m));
	return root;
}

static void
catalog_table(FILE *f)
{
	const struct mp_metro *m;
	int i, n;

	fprintf(f, "%-16s %-11s %-23s %-4s %-18s %s\n", "METRO", "LOCATION", "FACILITY", "ZONE",
		"AZURE REGION", "ER DIRECT");
	for (m = mp_metros; m->name != NULL; m++) {
		for (i = 0; i < MP_METRO_NSITES; i++)
			fprintf(f, "%-16s %-11s %-23s %-4d %-18s %s\n", i == 0 ? m->name : "",
				m->sites[i].name, m->sites[i].facility, m->zone, m->azure_region,
				m->er_direct ? "yes" : "no");
		fprintf(f, "%-16s providers:", "");
		n = mp_metro_n_providers(m);
		for (i = 0; i < n; i++)
			fprintf(f, "%s %s%s", i ? "," : "", m->providers[i].name,
				m->providers[i].future ? " (future)" : "");
		fprintf(f, "\n");
	}
	fprintf(f, "(future): the provider will be available in the future.\n");
}

static void
catalog_usage(FILE *f)
{
	fprintf(f, "usage: metroprobe catalog [--json]\n"
		"The ExpressRoute Metro catalog metroprobe checks configs against and the\n"
		"lab names its sites after: each metro's two peering locations and their\n"
		"facilities, zone, local Azure region, ExpressRoute Direct, and service\n"
		"providers (\"future\": will be available in the future).\n"
		"  --json      print it as JSON\n"
		"  -h, --help  this help\n");
}

int
catalog_main(int argc, char **argv)
{
	bool json = false;
	cJSON *root;
	char *text;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			catalog_usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "metroprobe catalog: unknown argument '%s' (see --help)\n",
				argv[i]);
			return 2;
		}
	}
	if (!json) {
		catalog_table(stdout);
		return 0;
	}
	root = mp_catalog_json();
	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (text == NULL)
		return 1;
	printf("%s\n", text);
	free(text);
	return 0;
}
