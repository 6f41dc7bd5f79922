/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config `lab up` writes for `metroprobe run` (--config-out, default
 * lab.json; schema: config.h): both links from the prober's namespace,
 * over IPv4 or (--ipv6) IPv6, next_hop the first router and reflector the
 * site behind it. The standard topology puts both links at one peering
 * location; the routed lab adds its service link (kind "service"). Built as JSON data; control/examples/lab.json is the default
 * (diverse, IPv4) one, and tests/unit/test_lab_config.c parses every
 * variant with mp_config_parse.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab_internal.h"
#include "util.h"

static cJSON *
lab_config_link(const struct lab_state *st, int s)
{
	const struct lab_site_def *d = &lab_sites[s];
	cJSON *o = cJSON_CreateObject();
	bool ipv6 = st->ipv6;
	char ip[64], next_hop[64], refl[64];

	if (ipv6)
		snprintf(ip, sizeof(ip), "%s/%d", d->prober_v6, d->plen_v6);
	else
		snprintf(ip, sizeof(ip), "%s/%d", d->prober_v4, d->plen_v4);
	cJSON_AddStringToObject(o, "name", d->id);
	cJSON_AddStringToObject(o, "location", lab_metro()->sites[lab_link_loc(st, s)].name);
	cJSON_AddStringToObject(o, "netns", LAB_NS_ONPREM);
	cJSON_AddStringToObject(o, "port", d->prober_port);
	cJSON_AddStringToObject(o, "link_speed", "10Gbps");
	cJSON_AddStringToObject(o, "ip", ip);
	/* the first router (or the site when there is none), then the site beyond it */
	lab_seg_addr(s, 0, true, ipv6, next_hop, sizeof(next_hop));
	lab_site_addr(st, s, ipv6, refl, sizeof(refl));
	cJSON_AddStringToObject(o, "next_hop", next_hop);
	cJSON_AddStringToObject(o, "reflector", refl);
	cJSON_AddNumberToObject(o, "reflector_port", LAB_STAMP_PORT);
	cJSON_AddNumberToObject(o, "source_port", LAB_STAMP_PORT);
	cJSON_AddStringToObject(o, "rate", "1000pps");
	cJSON_AddStringToObject(o, "committed_rate", "100Mbps");	/* golive's ceiling */
	cJSON_AddNumberToObject(o, "frame_size", 128);
	cJSON_AddNumberToObject(o, "dscp", 46);
	cJSON_AddNumberToObject(o, "ssid", d->ssid);
	return o;
}

/*
 * The routed lab's service link (docs/service-stream.md): from mps-p over
 * the CE's LAN to the VNet's reflector, the link the CE's BGP picks. Its
 * path rounds every 500 ms tell which link carried it (the MSEE answers
 * from its site address, which link a's or b's own path shows).
 */
static cJSON *
lab_config_service(const struct lab_state *st)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "name", LAB_SERVICE_LINK);
	cJSON_AddStringToObject(o, "kind", "service");
	cJSON_AddStringToObject(o, "netns", LAB_NS_ONPREM);
	cJSON_AddStringToObject(o, "port", "net_af_packet2,iface=mps-p");
	cJSON_AddStringToObject(o, "link_speed", "10Gbps");
	cJSON_AddStringToObject(o, "ip", st->ipv6 ? "2001:db8:10::2/64" : "10.0.0.2/24");
	cJSON_AddStringToObject(o, "next_hop", st->ipv6 ? LAB_ONPREM_CE6 : LAB_ONPREM_CE);
	cJSON_AddStringToObject(o, "reflector", st->ipv6 ? LAB_VNET_REFLECTOR6 : LAB_VNET_REFLECTOR);
	cJSON_AddNumberToObject(o, "reflector_port", LAB_STAMP_PORT);
	cJSON_AddNumberToObject(o, "source_port", LAB_STAMP_PORT);
	cJSON_AddStringToObject(o, "rate", "1000pps");
	cJSON_AddNumberToObject(o, "frame_size", 128);
	cJSON_AddNumberToObject(o, "dscp", 46);
	cJSON_AddNumberToObject(o, "ssid", LAB_NSITES + 1);
	cJSON_AddNumberToObject(o, "carrier_interval_ms", 500);
	return o;
}

/*
 * An example SLA the healthy lab meets (docs/sla.md): per link, round trip
 * and loss over a minute, availability over a day; for the pair, loss over
 * five minutes and availability over 30 days. Not written for a lab
 * brought up with impairments (--impair), whose runs are meant to miss it.
 */
static cJSON *
lab_config_sla(void)
{
	static const char *const obj[] = {
		"{\"link\":\"*\",\"metric\":\"rtt_p99\",\"window\":\"1m\",\"max\":\"20ms\"}",
		"{\"link\":\"*\",\"metric\":\"loss\",\"window\":\"1m\",\"max\":\"1%\","
		"\"falling\":\"0.5%\",\"reaction\":{\"type\":\"consecutive\",\"n\":2}}",
		"{\"link\":\"*\",\"metric\":\"availability\",\"window\":\"24h\",\"min\":\"99.9%\"}",
		"{\"link\":\"pair\",\"metric\":\"loss\",\"window\":\"5m\",\"max\":\"0.5%\"}",
		"{\"link\":\"pair\",\"metric\":\"availability\",\"window\":\"30d\","
		"\"min\":\"99.99%\",\"target\":0.9999}",
	};
	cJSON *sla = cJSON_CreateObject(), *arr;
	size_t i;

	cJSON_AddStringToObject(sla, "period", "30d");
	arr = cJSON_AddArrayToObject(sla, "objectives");
	for (i = 0; i < sizeof(obj) / sizeof(obj[0]); i++)
		cJSON_AddItemToArray(arr, cJSON_Parse(obj[i]));
	return sla;
}

/*
 * A sample Y.1564 service per link (docs/y1564.md), so that `metroprobe
 * golive lab.json` runs Y.1564 on the lab as it is: 16 Mb/s committed and
 * 4 Mb/s excess, well inside the links' committed_rate, in 512-byte
 * frames (3 400 frames/s at CIR: a busy 2-CPU machine's prober keeps that
 * up beside a polling dpdk reflector; at 128 bytes it fell 5% short). The lab has no
 * policer unless `lab impair SITE rate=20Mbps` puts one there, so the
 * policing step is reported, not judged ("policer": false; set it true
 * with a bucket in place). The criteria are round trip, loose enough for
 * a busy 2-CPU machine.
 */
static cJSON *
lab_config_y1564(void)
{
	cJSON *y = cJSON_CreateObject(), *arr;
	int s;

	arr = cJSON_AddArrayToObject(y, "services");
	for (s = 0; s < LAB_NSITES; s++) {
		cJSON *o = cJSON_CreateObject(), *c;
		char name[32];

		snprintf(name, sizeof(name), "business-%s", lab_sites[s].id);
		cJSON_AddStringToObject(o, "name", name);
		cJSON_AddStringToObject(o, "link", lab_sites[s].id);
		cJSON_AddStringToObject(o, "class", "business");
		cJSON_AddStringToObject(o, "cir", "16Mbps");
		cJSON_AddStringToObject(o, "eir", "4Mbps");
		cJSON_AddNumberToObject(o, "frame_size", 512);
		cJSON_AddBoolToObject(o, "policer", false);
		c = cJSON_AddObjectToObject(o, "criteria");
		cJSON_AddNumberToObject(c, "ftd_us", 10000);
		cJSON_AddNumberToObject(c, "fdv_us", 5000);
		cJSON_AddNumberToObject(c, "flr", 0.001);
		cJSON_AddNumberToObject(c, "avail", 0.999);
		cJSON_AddItemToArray(arr, o);
	}
	return y;
}

/* Whether lab up was told to impair a site or a router. */
static bool
lab_config_impaired(const struct lab_state *st)
{
	int i;

	for (i = 0; i < LAB_NSITES; i++)
		if (lab_impair_any(&st->site[i].imp))
			return true;
	for (i = 0; i < LAB_NROUTERS; i++)
		if (lab_impair_any(&st->router[i].imp))
			return true;
	return false;
}

/* A ready config for `metroprobe run` against the lab st describes. */
cJSON *
lab_config_json(const struct lab_state *st)
{
	cJSON *root = cJSON_CreateObject(), *dp, *links;
	int s;

	/* the standard topology is one circuit at one peering location */
	if (st->topo == LAB_TOPO_STANDARD)
		cJSON_AddStringToObject(root, "circuit", "standard");
	cJSON_AddStringToObject(root, "metro", lab_metro()->name);
	cJSON_AddNumberToObject(root, "duration_s", 20);
	cJSON_AddStringToObject(root, "out_dir", "out");
	dp = cJSON_AddObjectToObject(root, "dataplane");
	cJSON_AddStringToObject(dp, "lcores", "0-1");
	links = cJSON_AddArrayToObject(root, "links");
	for (s = 0; s < LAB_NSITES; s++)
		cJSON_AddItemToArray(links, lab_config_link(st, s));
	if (st->routed)
		cJSON_AddItemToArray(links, lab_config_service(st));
	/* the example SLA is the healthy lab's: a lab brought up impaired is meant to miss it */
	if (!lab_config_impaired(st))
		cJSON_AddItemToObject(root, "sla", lab_config_sla());
	cJSON_AddItemToObject(root, "y1564", lab_config_y1564());
	return root;
}

/* The file's text (with a final newline); caller frees; NULL: no memory. */
char *
lab_config_text(const struct lab_state *st)
{
	cJSON *root = lab_config_json(st);
	char *text = cJSON_Print(root), *full;
	size_t len;

	cJSON_Delete(root);
	if (text == NULL)
		return NULL;
	len = strlen(text);
	full = malloc(len + 2);
	if (full != NULL) {
		memcpy(full, text, len);
		full[len] = '\n';
		full[len + 1] = '\0';
	}
	free(text);
	return full;
}

int
lab_config_write(const char *path, const struct lab_state *st)
{
	char *text = lab_config_text(st);
	int rc;

	if (text == NULL)
		return -ENOMEM;
	rc = mp_write_file(path, text, strlen(text));
	free(text);
	return rc;
}
