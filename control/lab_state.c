/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lab's state file (LAB_STATE_FILE): what `lab up` made and started,
 * saved after every stage so that `lab down`, `lab status` and `lab impair`
 * know what is there. JSON, read back with defaults for what is missing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lab_internal.h"
#include "mp_record.h"
#include "util.h"

void
lab_state_init(struct lab_state *st)
{
	int s;

	memset(st, 0, sizeof(*st));
	for (s = 0; s < LAB_NSITES; s++)
		st->site[s].kind = LAB_KIND_DPDK;
}

double
lab_jnum(const cJSON *o, const char *key, double def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : def;
}

bool
lab_jbool(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

const char *
lab_jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

void
lab_iso_time(long long t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "?");
}

/* The state as the file holds it. */
cJSON *
lab_state_json(const struct lab_state *st)
{
	cJSON *root = cJSON_CreateObject(), *hp, *sites, *ns, *routers;
	char when[64], log[PATH_MAX];
	size_t i;
	int s, r;

	lab_iso_time(st->started_s, when, sizeof(when));
	cJSON_AddNumberToObject(root, "version", 1);
	record_add_u64(root, "started_s", st->started_s);
	cJSON_AddStringToObject(root, "started", when);
	cJSON_AddBoolToObject(root, "complete", st->complete);
	cJSON_AddStringToObject(root, "topology", lab_topo_names[st->topo]);
	cJSON_AddBoolToObject(root, "shared_conduit", st->topo == LAB_TOPO_SHARED_CONDUIT);
	cJSON_AddBoolToObject(root, "ipv6", st->ipv6);
	cJSON_AddBoolToObject(root, "routed", st->routed);
	cJSON_AddStringToObject(root, "config", st->config_path);
	ns = cJSON_AddArrayToObject(root, "netns");
	for (i = 0; i < LAB_N_NETNS; i++)
		if (lab_netns_wanted(st, lab_all_netns[i]))
			cJSON_AddItemToArray(ns, cJSON_CreateString(lab_all_netns[i]));
	routers = cJSON_AddObjectToObject(root, "routers");
	for (r = 0; r < LAB_NROUTERS; r++)
		if (lab_router_used(st, r))
			cJSON_AddItemToObject(cJSON_AddObjectToObject(routers, lab_routers[r].name),
					      "impair", lab_impair_json(&st->router[r].imp));
	hp = cJSON_AddObjectToObject(root, "hugepages");
	cJSON_AddBoolToObject(hp, "ok", st->hp_ok);
	cJSON_AddNumberToObject(hp, "need", (double)st->hp.need);
	cJSON_AddNumberToObject(hp, "before", (double)st->hp.before);
	cJSON_AddNumberToObject(hp, "raised", (double)st->hp.raised);
	sites = cJSON_AddObjectToObject(root, "sites");
	for (s = 0; s < LAB_NSITES; s++) {
		const struct lab_site *ls = &st->site[s];
		cJSON *o = cJSON_AddObjectToObject(sites, lab_sites[s].id);

		cJSON_AddStringToObject(o, "reflector", lab_kind_names[ls->kind]);
		cJSON_AddNumberToObject(o, "pid", ls->pid);
		cJSON_AddNumberToObject(o, "cpu", ls->cpu);
		cJSON_AddBoolToObject(o, "hugepages", ls->hugepages);
		lab_log_path(s, log, sizeof(log));
		if (ls->kind == LAB_KIND_DPDK)
			cJSON_AddStringToObject(o, "log", log);
		cJSON_AddItemToObject(o, "impair", lab_impair_json(&ls->imp));
		cJSON_AddStringToObject(o, "cut", lab_cut_names[st->cut[s]]);
	}
	return root;
}

/* The inverse of lab_state_json over an initialised st (absent keys keep defaults). */
void
lab_state_from_json(const cJSON *root, struct lab_state *st)
{
	const cJSON *sites, *hp, *routers;
	const char *topo = lab_jstr(root, "topology");
	int s, r, t = topo != NULL ? lab_topo_parse(topo) : -1;

	st->started_s = (long long)lab_jnum(root, "started_s", 0);
	st->complete = lab_jbool(root, "complete");
	/* a state without a topology is of a lab before routers: direct, or the conduit */
	if (t < 0)
		t = lab_jbool(root, "shared_conduit") ? LAB_TOPO_SHARED_CONDUIT : LAB_TOPO_DIRECT;
	st->topo = (enum lab_topo)t;
	st->ipv6 = lab_jbool(root, "ipv6");
	st->routed = lab_jbool(root, "routed");
	if (lab_jstr(root, "config") != NULL)
		snprintf(st->config_path, sizeof(st->config_path), "%s", lab_jstr(root, "config"));
	hp = cJSON_GetObjectItemCaseSensitive(root, "hugepages");
	st->hp_ok = lab_jbool(hp, "ok");
	snprintf(st->hp.owner, sizeof(st->hp.owner), "lab");
	st->hp.need = (long)lab_jnum(hp, "need", 0);
	st->hp.before = (long)lab_jnum(hp, "before", -1);
	st->hp.raised = cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(hp, "raised")) ?
				(long)lab_jnum(hp, "raised", 0) : 0;
	sites = cJSON_GetObjectItemCaseSensitive(root, "sites");
	for (s = 0; s < LAB_NSITES; s++) {
		const cJSON *o = cJSON_GetObjectItemCaseSensitive(sites, lab_sites[s].id);
		const cJSON *imp = cJSON_GetObjectItemCaseSensitive(o, "impair");
		struct lab_site *ls = &st->site[s];
		const char *kind = lab_jstr(o, "reflector");
		int k = kind != NULL ? lab_kind_parse(kind) : -1;

		ls->kind = k >= 0 ? (enum lab_kind)k : LAB_KIND_DPDK;
		ls->pid = (pid_t)lab_jnum(o, "pid", 0);
		ls->cpu = (int)lab_jnum(o, "cpu", 0);
		ls->hugepages = lab_jbool(o, "hugepages");
		lab_impair_from_json(imp, &ls->imp);
		st->cut[s] = lab_jstr(o, "cut") != NULL && lab_cut_parse(lab_jstr(o, "cut")) > 0 ?
			     lab_cut_parse(lab_jstr(o, "cut")) : LAB_CUT_NONE;
	}
	routers = cJSON_GetObjectItemCaseSensitive(root, "routers");
	for (r = 0; r < LAB_NROUTERS; r++) {
		const cJSON *o = cJSON_GetObjectItemCaseSensitive(routers, lab_routers[r].name);

		lab_impair_from_json(cJSON_GetObjectItemCaseSensitive(o, "impair"),
				     &st->router[r].imp);
	}
}

int
lab_state_save(const struct lab_state *st)
{
	cJSON *root = lab_state_json(st);
	char *text;
	int rc;

	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (text == NULL)
		return -ENOMEM;
	rc = mp_write_file(LAB_STATE_FILE, text, strlen(text));
	free(text);
	if (rc != 0)
		lab_err("cannot write %s: %s", LAB_STATE_FILE, strerror(-rc));
	return rc;
}

/* 0, -ENOENT (no state), or -EINVAL (unreadable: treated as lost). */
int
lab_state_load(struct lab_state *st)
{
	cJSON *root;
	char *text;

	lab_state_init(st);
	text = mp_read_file(LAB_STATE_FILE, NULL);
	if (text == NULL)
		return errno == ENOENT ? -ENOENT : -EINVAL;
	root = cJSON_Parse(text);
	free(text);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return -EINVAL;
	}
	lab_state_from_json(root, st);
	cJSON_Delete(root);
	return 0;
}

bool
lab_is_up(void)
{
	return lab_path_exists(LAB_STATE_FILE) || lab_any_netns();
}
