/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `metroprobe lab status [--json]`: the namespaces and their interfaces
 * (from `ip -j addr`), each site's reflector and impairments, the config.
 * Exit 0 when the lab is up, LAB_EXIT_DOWN when down or partly there.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab_internal.h"
#include "netns.h"

/* Interfaces of a namespace from `ip -j addr`: name, MAC, state, addresses. */
static cJSON *
lab_ns_interfaces(const char *ns)
{
	char *argv[] = { "ip", "-j", "-n", (char *)(uintptr_t)ns, "addr", "show", NULL };
	char *text = mp_proc_capture(NULL, argv);
	cJSON *in, *out = cJSON_CreateArray(), *it;

	if (text == NULL)
		return out;
	in = cJSON_Parse(text);
	free(text);
	cJSON_ArrayForEach(it, in) {
		const char *name = lab_jstr(it, "ifname");
		cJSON *o, *addrs, *ai;

		if (name == NULL || strcmp(name, "lo") == 0)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", name);
		cJSON_AddStringToObject(o, "mac", lab_jstr(it, "address") != NULL ?
					lab_jstr(it, "address") : "");
		cJSON_AddStringToObject(o, "state", lab_jstr(it, "operstate") != NULL ?
					lab_jstr(it, "operstate") : "UNKNOWN");
		addrs = cJSON_AddArrayToObject(o, "addresses");
		cJSON_ArrayForEach(ai, cJSON_GetObjectItemCaseSensitive(it, "addr_info")) {
			const char *local = lab_jstr(ai, "local"), *scope = lab_jstr(ai, "scope");
			char a[128];

			if (local == NULL || (scope != NULL && strcmp(scope, "link") == 0))
				continue;
			snprintf(a, sizeof(a), "%s/%d", local, (int)lab_jnum(ai, "prefixlen", 0));
			cJSON_AddItemToArray(addrs, cJSON_CreateString(a));
		}
		cJSON_AddItemToArray(out, o);
	}
	cJSON_Delete(in);
	return out;
}

/* The routers of st's topology, each with its namespace and impairments. */
static void
lab_status_routers(cJSON *root, const struct lab_state *st)
{
	cJSON *routers = cJSON_AddObjectToObject(root, "routers");
	int r;

	for (r = 0; r < LAB_NROUTERS; r++) {
		cJSON *o;

		if (!lab_router_used(st, r))
			continue;
		o = cJSON_AddObjectToObject(routers, lab_routers[r].name);
		cJSON_AddStringToObject(o, "netns", lab_routers[r].netns);
		cJSON_AddItemToObject(o, "impair", lab_impair_json(&st->router[r].imp));
	}
}

/* Where link s lands (location, facility, netns, addresses) and the routers on its way. */
static void
lab_status_site_path(cJSON *o, const struct lab_state *st, int s)
{
	const struct mp_peering_location *loc = &lab_metro()->sites[lab_link_loc(st, s)];
	int hops[LAB_MAX_HOPS], i, n = lab_link_hops(st, s, hops);
	char v4[64], v6[64];
	cJSON *h;

	lab_site_addr(st, s, false, v4, sizeof(v4));
	lab_site_addr(st, s, true, v6, sizeof(v6));
	cJSON_AddStringToObject(o, "location", loc->name);
	cJSON_AddStringToObject(o, "facility", loc->facility);
	cJSON_AddStringToObject(o, "netns", lab_site_netns(st, s));
	cJSON_AddStringToObject(o, "address_v4", v4);
	cJSON_AddStringToObject(o, "address_v6", v6);
	h = cJSON_AddArrayToObject(o, "hops");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(h, cJSON_CreateString(lab_routers[hops[i]].name));
}

static cJSON *
lab_status_build(int *exit_code)
{
	cJSON *root = cJSON_CreateObject(), *nso, *sites;
	struct lab_state st;
	bool have_state, all = true, any = false;
	char when[64], log[PATH_MAX];
	size_t i;
	int rc, s;

	rc = lab_state_load(&st);
	have_state = rc == 0;
	nso = cJSON_CreateObject();
	for (i = 0; i < LAB_N_NETNS; i++) {
		const char *ns = lab_all_netns[i];
		bool present = mp_netns_exists(ns);
		bool wanted = lab_netns_wanted(&st, ns);
		cJSON *o;

		any = any || present;
		if (wanted && !present)
			all = false;
		if (!present && !wanted)
			continue;
		o = cJSON_AddObjectToObject(nso, ns);
		cJSON_AddBoolToObject(o, "present", present);
		cJSON_AddItemToObject(o, "interfaces",
				      present ? lab_ns_interfaces(ns) : cJSON_CreateArray());
	}
	any = any || have_state;
	*exit_code = all && any ? 0 : LAB_EXIT_DOWN;
	cJSON_AddBoolToObject(root, "up", *exit_code == 0);
	cJSON_AddStringToObject(root, "state", *exit_code == 0 ? "up" : any ? "partial" : "down");
	cJSON_AddStringToObject(root, "state_file", LAB_STATE_FILE);
	cJSON_AddBoolToObject(root, "state_file_ok", have_state);
	if (have_state) {
		lab_iso_time(st.started_s, when, sizeof(when));
		cJSON_AddStringToObject(root, "started", when);
		cJSON_AddBoolToObject(root, "complete", st.complete);
		cJSON_AddStringToObject(root, "config", st.config_path);
		cJSON_AddStringToObject(root, "topology", lab_topo_names[st.topo]);
		cJSON_AddBoolToObject(root, "shared_conduit", st.topo == LAB_TOPO_SHARED_CONDUIT);
		lab_status_routers(root, &st);
		cJSON_AddBoolToObject(root, "routed", st.routed);
		if (st.routed && *exit_code == 0)
			cJSON_AddItemToObject(root, "routing", lab_frr_status_json(&st));
		cJSON_AddBoolToObject(root, "hugepages_raised", st.hp.raised > 0);
		cJSON_AddNumberToObject(root, "hugepages_reserved", (double)st.hp.raised);
	}
	cJSON_AddItemToObject(root, "netns", nso);
	sites = cJSON_AddObjectToObject(root, "sites");
	for (s = 0; have_state && s < LAB_NSITES; s++) {
		const struct lab_site_def *d = &lab_sites[s];
		const struct lab_site *ls = &st.site[s];
		cJSON *o = cJSON_AddObjectToObject(sites, d->id);

		lab_status_site_path(o, &st, s);
		cJSON_AddStringToObject(o, "interface", d->if_site);
		cJSON_AddStringToObject(o, "prober_interface", d->if_prober);
		cJSON_AddStringToObject(o, "reflector", lab_kind_names[ls->kind]);
		if (ls->kind == LAB_KIND_DPDK) {
			bool alive = lab_reflector_alive(ls->pid, s);

			cJSON_AddNumberToObject(o, "pid", ls->pid);
			cJSON_AddBoolToObject(o, "alive", alive);
			cJSON_AddNumberToObject(o, "cpu", ls->cpu);
			cJSON_AddBoolToObject(o, "hugepages", ls->hugepages);
			lab_log_path(s, log, sizeof(log));
			cJSON_AddStringToObject(o, "log", log);
		}
		cJSON_AddItemToObject(o, "impair", lab_impair_json(&ls->imp));
	}
	return root;
}

static void
lab_status_print(const cJSON *root)
{
	const cJSON *ns, *it, *site, *addr;
	const char *state = lab_jstr(root, "state");
	char imps[128];

	if (strcmp(state, "down") == 0) {
		printf("lab is down\n");
		return;
	}
	if (strcmp(state, "partial") == 0)
		printf("lab is partly there (run 'metroprobe lab down' to clean up)\n");
	else if (lab_jstr(root, "started") != NULL)
		printf("lab is up since %s%s\n", lab_jstr(root, "started"),
		       lab_jbool(root, "complete") ? "" : " (lab up still running, or it died)");
	else
		printf("lab is up\n");
	if (!lab_jbool(root, "state_file_ok"))
		printf("  state: %s is missing or unreadable\n", LAB_STATE_FILE);
	else
		printf("  config: %s\n", lab_jstr(root, "config"));
	cJSON_ArrayForEach(ns, cJSON_GetObjectItemCaseSensitive(root, "netns")) {
		printf("  netns %s%s\n", ns->string, lab_jbool(ns, "present") ? "" : ": MISSING");
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(ns, "interfaces")) {
			const cJSON *addrs = cJSON_GetObjectItemCaseSensitive(it, "addresses");

			printf("    %-7s %s %-14s", lab_jstr(it, "name"), lab_jstr(it, "mac"),
			       lab_jstr(it, "state"));
			if (cJSON_GetArraySize(addrs) == 0)
				printf(" (no addresses)");
			cJSON_ArrayForEach(addr, addrs)
				printf(" %s", addr->valuestring);
			printf("\n");
		}
	}
	if (lab_jstr(root, "topology") != NULL)
		printf("  topology: %s\n", lab_jstr(root, "topology"));
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(root, "routers")) {
		struct lab_impair ii;

		lab_impair_from_json(cJSON_GetObjectItemCaseSensitive(it, "impair"), &ii);
		lab_impair_str(&ii, imps, sizeof(imps));
		printf("  router %s (netns %s): impair %s\n", it->string, lab_jstr(it, "netns"),
		       imps);
	}
	lab_frr_status_print(cJSON_GetObjectItemCaseSensitive(root, "routing"));
	cJSON_ArrayForEach(site, cJSON_GetObjectItemCaseSensitive(root, "sites")) {
		const cJSON *imp = cJSON_GetObjectItemCaseSensitive(site, "impair");
		struct lab_impair ii;

		lab_impair_from_json(imp, &ii);
		lab_impair_str(&ii, imps, sizeof(imps));
		printf("  site %s: %s (%s) at %s, reflector %s", site->string,
		       lab_jstr(site, "location"), lab_jstr(site, "facility"),
		       lab_jstr(site, "address_v4"), lab_jstr(site, "reflector"));
		if (strcmp(lab_jstr(site, "reflector"), "dpdk") == 0)
			printf(" pid %d %s, log %s", (int)lab_jnum(site, "pid", 0),
			       lab_jbool(site, "alive") ? "alive" : "NOT RUNNING",
			       lab_jstr(site, "log"));
		printf(", impair %s\n", imps);
	}
}

int
lab_status(int argc, char **argv)
{
	bool json = false;
	cJSON *root;
	char *text;
	int i, code;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("usage: metroprobe lab status [--json]\n"
			       "Show the lab: namespaces, interfaces with MAC and addresses, each "
			       "site's\nreflector (kind, pid, alive) and impairments, the config "
			       "path.\n  --json  one JSON object, for scripts\n"
			       "Exit status: 0 up, %d down (or partly there).\n", LAB_EXIT_DOWN);
			return 0;
		} else {
			lab_err("unexpected argument '%s' (see --help)", argv[i]);
			return 2;
		}
	}
	root = lab_status_build(&code);
	if (json) {
		text = cJSON_Print(root);
		if (text != NULL)
			printf("%s\n", text);
		free(text);
	} else {
		lab_status_print(root);
	}
	cJSON_Delete(root);
	return code;
}
