/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Impairments of a lab site: "loss=5,delay_us=200,..." parsed and checked
 * against what the site's reflector can do, shown, kept in the state, and
 * changed on a running lab (`lab impair`).
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab_internal.h"
#include "mp_rate.h"
#include "mp_tbucket.h"
#include "netns.h"
#include "util.h"

static int
lab_parse_pct(const char *v, double *out)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (end == v || errno != 0 || (*end != '\0' && strcmp(end, "%") != 0) ||
	    !(d >= 0.0 && d <= 100.0))
		return -EINVAL;
	*out = d;
	return 0;
}

static int
lab_parse_us(const char *v, uint32_t *out)
{
	char *end;
	unsigned long u;

	if (!isdigit((unsigned char)v[0]))
		return -EINVAL;
	errno = 0;
	u = strtoul(v, &end, 10);
	if (errno != 0 || *end != '\0' || u > LAB_MAX_DELAY_US)
		return -EINVAL;
	*out = (uint32_t)u;
	return 0;
}

static int
lab_parse_onoff(const char *v, bool *out)
{
	if (strcmp(v, "on") == 0 || strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
		*out = true;
	else if (strcmp(v, "off") == 0 || strcmp(v, "0") == 0 || strcmp(v, "false") == 0)
		*out = false;
	else
		return -EINVAL;
	return 0;
}

/*
 * "DOWN/PERIOD" in seconds (down for DOWN of every PERIOD, 0 < DOWN <
 * PERIOD <= LAB_MAX_FLAP_S, millisecond resolution), or "off".
 */
static int
lab_parse_flap(const char *v, struct lab_impair *imp)
{
	char *end;
	double down, period;

	if (strcmp(v, "off") == 0 || strcmp(v, "0") == 0) {
		imp->flap_down_ms = imp->flap_period_ms = 0;
		return 0;
	}
	errno = 0;
	down = strtod(v, &end);
	if (end == v || *end != '/' || errno != 0)
		return -EINVAL;
	v = end + 1;
	period = strtod(v, &end);
	if (end == v || *end != '\0' || errno != 0 || !(down >= 0.001) || !(period > down) ||
	    period > LAB_MAX_FLAP_S)
		return -EINVAL;
	imp->flap_down_ms = (uint32_t)(down * 1000 + 0.5);
	imp->flap_period_ms = (uint32_t)(period * 1000 + 0.5);
	return imp->flap_down_ms < imp->flap_period_ms ? 0 : -EINVAL;
}

/* A rate limit: "10Mbps", "5000pps", or off (none). */
static int
lab_parse_rate_limit(const char *v, struct lab_impair *imp)
{
	const char *why;
	struct rate r;

	if (strcmp(v, "off") == 0 || strcmp(v, "0") == 0) {
		imp->rate_limit[0] = '\0';
		return 0;
	}
	if (strlen(v) >= sizeof(imp->rate_limit) || rate_parse(v, &r, &why) != 0 ||
	    (r.kind != RATE_PPS && r.kind != RATE_BPS))
		return -EINVAL;
	snprintf(imp->rate_limit, sizeof(imp->rate_limit), "%s", v);
	return 0;
}

static int
lab_parse_burst(const char *v, uint64_t *out)
{
	char *end;
	unsigned long long u;

	if (!isdigit((unsigned char)v[0]))
		return -EINVAL;
	errno = 0;
	u = strtoull(v, &end, 10);
	if (errno != 0 || *end != '\0')
		return -EINVAL;
	*out = u;
	return 0;
}

int
lab_impair_tbucket(const struct lab_impair *imp, struct mp_tbucket_cfg *tb)
{
	struct rate r;
	const char *why;

	memset(tb, 0, sizeof(*tb));
	if (imp->rate_limit[0] == '\0')
		return 0;
	if (rate_parse(imp->rate_limit, &r, &why) != 0 ||
	    (r.kind != RATE_PPS && r.kind != RATE_BPS))
		return -EINVAL;
	if (r.kind == RATE_BPS)
		return mp_tbucket_config(tb, r.value, 1, imp->burst * 8) == 0 ? 0 : -EINVAL;
	return mp_tbucket_config(tb, r.value / 1000, 0, imp->burst) == 0 ? 0 : -EINVAL;
}

enum lab_val {
	LAB_VAL_PCT,	/* percent, 0..100 */
	LAB_VAL_US,	/* whole microseconds, 0..LAB_MAX_DELAY_US */
	LAB_VAL_ONOFF,
	LAB_VAL_FLAP,	/* DOWN/PERIOD seconds, or off */
	LAB_VAL_RATE,	/* a rate limit, or off */
	LAB_VAL_BURST,	/* whole bytes or packets */
};

/* The keys of an impairment list, and where each goes in struct lab_impair. */
static const struct lab_impair_key {
	const char *name;
	unsigned int bit;
	enum lab_val val;
	size_t off;
} lab_impair_keys[] = {
	{ "loss", LAB_IMP_LOSS, LAB_VAL_PCT, offsetof(struct lab_impair, loss_pct) },
	{ "delay_us", LAB_IMP_DELAY, LAB_VAL_US, offsetof(struct lab_impair, delay_us) },
	{ "jitter_us", LAB_IMP_JITTER, LAB_VAL_US, offsetof(struct lab_impair, jitter_us) },
	{ "dup", LAB_IMP_DUP, LAB_VAL_PCT, offsetof(struct lab_impair, dup_pct) },
	{ "reorder", LAB_IMP_REORDER, LAB_VAL_PCT, offsetof(struct lab_impair, reorder_pct) },
	{ "blackhole", LAB_IMP_BLACKHOLE, LAB_VAL_ONOFF, offsetof(struct lab_impair, blackhole) },
	{ "ge_p", LAB_IMP_GE, LAB_VAL_PCT, offsetof(struct lab_impair, ge_p) },
	{ "ge_r", LAB_IMP_GE, LAB_VAL_PCT, offsetof(struct lab_impair, ge_r) },
	{ "ge_k", LAB_IMP_GE, LAB_VAL_PCT, offsetof(struct lab_impair, ge_k) },
	{ "ge_h", LAB_IMP_GE, LAB_VAL_PCT, offsetof(struct lab_impair, ge_h) },
	{ "flap", LAB_IMP_FLAP, LAB_VAL_FLAP, 0 },
	{ "rate", LAB_IMP_RATE, LAB_VAL_RATE, 0 },
	{ "burst", LAB_IMP_RATE, LAB_VAL_BURST, offsetof(struct lab_impair, burst) },
};

#define LAB_IMPAIR_KEYS	"loss, delay_us, jitter_us, dup, reorder, blackhole, ge_p, ge_r, " \
			"ge_k, ge_h, flap, rate, burst"

/* Set one key of imp from its value text; err says why not. */
static int
lab_impair_set(const struct lab_impair_key *k, const char *val, struct lab_impair *imp,
	       unsigned int *mask, char *err, size_t errlen)
{
	void *field = (char *)imp + k->off;
	int rc;

	if (k->bit == LAB_IMP_GE && !(*mask & LAB_IMP_GE) && imp->ge_p == 0) {
		/* defaults of a new burst model: no loss when good, all when bad */
		imp->ge_k = 100;
		imp->ge_h = 0;
	}
	*mask |= k->bit;
	if (k->val == LAB_VAL_RATE) {
		if (lab_parse_rate_limit(val, imp) == 0)
			return 0;
		snprintf(err, errlen, "rate=%s: use bits or packets per second (10Mbps, 5000pps; "
			 "wire bits, as the prober's rate) or off", val);
		return -EINVAL;
	}
	if (k->val == LAB_VAL_BURST) {
		if (lab_parse_burst(val, field) == 0)
			return 0;
		snprintf(err, errlen, "burst=%s: whole bytes (a bit rate) or packets (pps); 0 = "
			 "the default", val);
		return -EINVAL;
	}
	if (k->val == LAB_VAL_FLAP) {
		if (lab_parse_flap(val, imp) == 0)
			return 0;
		snprintf(err, errlen, "flap=%s: use DOWN/PERIOD in seconds (down for DOWN of "
			 "every PERIOD, 0 < DOWN < PERIOD <= %d), or off", val, LAB_MAX_FLAP_S);
		return -EINVAL;
	}
	if (k->val == LAB_VAL_ONOFF) {
		if (lab_parse_onoff(val, field) == 0)
			return 0;
		snprintf(err, errlen, "%s=%s: use on or off", k->name, val);
		return -EINVAL;
	}
	rc = k->val == LAB_VAL_US ? lab_parse_us(val, field) : lab_parse_pct(val, field);
	if (k->bit == LAB_IMP_LOSS)
		imp->ge_p = 0;	/* plain loss replaces bursts */
	if (rc == 0)
		return 0;
	if (k->val == LAB_VAL_US)
		snprintf(err, errlen, "%s=%s: must be whole microseconds, 0..%u", k->name, val,
			 LAB_MAX_DELAY_US);
	else
		snprintf(err, errlen, "%s=%s: must be a percentage, 0..100", k->name, val);
	return -EINVAL;
}

/*
 * Parse "loss=5,delay_us=200,..." over imp (keys not named keep their value;
 * "clear" resets all). mask gets a bit per key named. err: one line.
 */
int
lab_impair_parse(const char *spec, struct lab_impair *imp, unsigned int *mask,
		 char *err, size_t errlen)
{
	char copy[512], *save = NULL, *tok;
	struct mp_tbucket_cfg tb;
	size_t k;

	if (snprintf(copy, sizeof(copy), "%s", spec) >= (int)sizeof(copy)) {
		snprintf(err, errlen, "impairment list too long");
		return -EINVAL;
	}
	for (tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		char *val = strchr(tok, '=');

		if (strcmp(tok, "clear") == 0 || strcmp(tok, "none") == 0) {
			memset(imp, 0, sizeof(*imp));
			*mask |= LAB_IMP_CLEAR;
			continue;
		}
		if (val == NULL) {
			snprintf(err, errlen, "'%s' is not KEY=VALUE (keys: " LAB_IMPAIR_KEYS
				 "; or 'clear')", tok);
			return -EINVAL;
		}
		*val++ = '\0';
		for (k = 0; k < sizeof(lab_impair_keys) / sizeof(lab_impair_keys[0]); k++)
			if (strcmp(tok, lab_impair_keys[k].name) == 0)
				break;
		if (k == sizeof(lab_impair_keys) / sizeof(lab_impair_keys[0])) {
			snprintf(err, errlen, "unknown impairment '%s' (keys: " LAB_IMPAIR_KEYS ")",
				 tok);
			return -EINVAL;
		}
		if (lab_impair_set(&lab_impair_keys[k], val, imp, mask, err, errlen) != 0)
			return -EINVAL;
	}
	if (*mask == 0) {
		snprintf(err, errlen, "no impairment given (e.g. loss=1,delay_us=200)");
		return -EINVAL;
	}
	if ((*mask & LAB_IMP_GE) && (imp->ge_p <= 0 || imp->ge_r <= 0)) {
		snprintf(err, errlen, "Gilbert-Elliott bursts need ge_p > 0 and ge_r > 0 "
			 "(percent; e.g. ge_p=1,ge_r=25 for bursts of 4 on average)");
		return -EINVAL;
	}
	if ((*mask & LAB_IMP_RATE) && lab_impair_tbucket(imp, &tb) != 0) {
		snprintf(err, errlen, "rate=%s,burst=%llu: the burst must hold one 9018-byte frame "
			 "(or 1 packet) and at most 2^32 bits; rate from 1 pps or 1 bps to 2^40",
			 imp->rate_limit, (unsigned long long)imp->burst);
		return -EINVAL;
	}
	if ((*mask & LAB_IMP_RATE) && imp->rate_limit[0] == '\0' && imp->burst != 0) {
		snprintf(err, errlen, "burst=%llu without a rate (give rate=10Mbps or rate=5000pps)",
			 (unsigned long long)imp->burst);
		return -EINVAL;
	}
	return 0;
}

bool
lab_impair_any(const struct lab_impair *imp)
{
	return imp->loss_pct > 0 || imp->dup_pct > 0 || imp->reorder_pct > 0 ||
	       imp->delay_us > 0 || imp->jitter_us > 0 || imp->blackhole || imp->ge_p > 0 ||
	       imp->flap_period_ms > 0 || imp->rate_limit[0] != '\0';
}

/*
 * Can a reflector of this kind apply imp, every part of it? Every
 * combination of loss, blackhole, delay, jitter, dup and reorder works on
 * a dpdk reflector; Gilbert-Elliott bursts only in XDP (xdp and kernel
 * sites). err: one line naming the key.
 */
int
lab_impair_validate(const struct lab_impair *imp, enum lab_kind kind, char *err, size_t errlen)
{
	if (imp->jitter_us > imp->delay_us) {
		snprintf(err, errlen, "jitter_us=%u exceeds delay_us=%u: jitter is uniform +-N "
			 "around the delay, which must stay >= 0", imp->jitter_us, imp->delay_us);
		return -EINVAL;
	}
	if (imp->reorder_pct > 50) {
		snprintf(err, errlen, "reorder=%g%%: at most 50%% (a reordered reply needs a next "
			 "reply to overtake it)", imp->reorder_pct);
		return -EINVAL;
	}
	if (kind == LAB_KIND_DPDK && imp->ge_p > 0) {
		snprintf(err, errlen, "Gilbert-Elliott bursts (ge_*) run in XDP and the dpdk "
			 "reflector has none: use loss=PCT, or an xdp site without delay, "
			 "jitter, dup and reorder");
		return -EINVAL;
	}
	if (kind == LAB_KIND_DPDK && imp->rate_limit[0] != '\0') {
		snprintf(err, errlen, "rate (a token bucket) runs in XDP and the dpdk reflector has "
			 "none: limit an xdp or kernel site, or a router");
		return -EINVAL;
	}
	if (kind != LAB_KIND_DPDK && imp->rate_limit[0] != '\0' && lab_impair_needs_dpdk(imp)) {
		snprintf(err, errlen, "rate (XDP) and delay, jitter, dup or reorder (dpdk "
			 "reflector only) cannot be combined on one site");
		return -EINVAL;
	}
	if (kind == LAB_KIND_DPDK && imp->flap_period_ms > 0) {
		snprintf(err, errlen, "flap runs in XDP and the dpdk reflector has none: flap "
			 "an xdp or kernel site, or a router");
		return -EINVAL;
	}
	if (kind != LAB_KIND_DPDK && imp->flap_period_ms > 0 && lab_impair_needs_dpdk(imp)) {
		snprintf(err, errlen, "flap (XDP) and delay, jitter, dup or reorder (dpdk "
			 "reflector only) cannot be combined on one site");
		return -EINVAL;
	}
	if (kind != LAB_KIND_DPDK && imp->ge_p > 0 && lab_impair_needs_dpdk(imp)) {
		snprintf(err, errlen, "Gilbert-Elliott bursts (XDP) and delay, jitter, dup or "
			 "reorder (dpdk reflector only) cannot be combined on one site");
		return -EINVAL;
	}
	return 0;
}

/* Does imp need the dpdk reflector (delay, jitter, dup or reorder)? */
bool
lab_impair_needs_dpdk(const struct lab_impair *imp)
{
	return imp->delay_us > 0 || imp->jitter_us > 0 || imp->dup_pct > 0 ||
	       imp->reorder_pct > 0;
}

void
lab_impair_str(const struct lab_impair *imp, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
#define LAB_APPEND(...) \
	do { \
		if (off < len) \
			off += (size_t)snprintf(buf + off, len - off, __VA_ARGS__); \
	} while (0)
	if (imp->blackhole)
		LAB_APPEND("%sblackhole", off ? " " : "");
	if (imp->loss_pct > 0)
		LAB_APPEND("%sloss=%g%%", off ? " " : "", imp->loss_pct);
	if (imp->delay_us > 0)
		LAB_APPEND("%sdelay_us=%u", off ? " " : "", imp->delay_us);
	if (imp->jitter_us > 0)
		LAB_APPEND("%sjitter_us=%u", off ? " " : "", imp->jitter_us);
	if (imp->dup_pct > 0)
		LAB_APPEND("%sdup=%g%%", off ? " " : "", imp->dup_pct);
	if (imp->reorder_pct > 0)
		LAB_APPEND("%sreorder=%g%%", off ? " " : "", imp->reorder_pct);
	if (imp->ge_p > 0)
		LAB_APPEND("%sbursts(ge_p=%g%% ge_r=%g%% ge_k=%g%% ge_h=%g%%)", off ? " " : "",
			   imp->ge_p, imp->ge_r, imp->ge_k, imp->ge_h);
	if (imp->flap_period_ms > 0)
		LAB_APPEND("%sflap=%g/%gs", off ? " " : "", imp->flap_down_ms / 1000.0,
			   imp->flap_period_ms / 1000.0);
	if (imp->rate_limit[0] != '\0')
		LAB_APPEND("%srate=%s", off ? " " : "", imp->rate_limit);
	if (imp->rate_limit[0] != '\0' && imp->burst > 0)
		LAB_APPEND(" burst=%llu", (unsigned long long)imp->burst);
#undef LAB_APPEND
	if (off == 0)
		snprintf(buf, len, "none");
}

cJSON *
lab_impair_json(const struct lab_impair *imp)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "loss", imp->loss_pct);
	cJSON_AddNumberToObject(o, "delay_us", imp->delay_us);
	cJSON_AddNumberToObject(o, "jitter_us", imp->jitter_us);
	cJSON_AddNumberToObject(o, "dup", imp->dup_pct);
	cJSON_AddNumberToObject(o, "reorder", imp->reorder_pct);
	cJSON_AddBoolToObject(o, "blackhole", imp->blackhole);
	cJSON_AddNumberToObject(o, "ge_p", imp->ge_p);
	cJSON_AddNumberToObject(o, "ge_r", imp->ge_r);
	cJSON_AddNumberToObject(o, "ge_k", imp->ge_k);
	cJSON_AddNumberToObject(o, "ge_h", imp->ge_h);
	cJSON_AddNumberToObject(o, "flap_down_ms", imp->flap_down_ms);
	cJSON_AddNumberToObject(o, "flap_period_ms", imp->flap_period_ms);
	cJSON_AddStringToObject(o, "rate", imp->rate_limit);
	cJSON_AddNumberToObject(o, "burst", (double)imp->burst);
	return o;
}

/* The inverse of lab_impair_json (absent keys read as no impairment). */
void
lab_impair_from_json(const cJSON *imp, struct lab_impair *out)
{
	out->loss_pct = lab_jnum(imp, "loss", 0);
	out->delay_us = (uint32_t)lab_jnum(imp, "delay_us", 0);
	out->jitter_us = (uint32_t)lab_jnum(imp, "jitter_us", 0);
	out->dup_pct = lab_jnum(imp, "dup", 0);
	out->reorder_pct = lab_jnum(imp, "reorder", 0);
	out->blackhole = lab_jbool(imp, "blackhole");
	out->ge_p = lab_jnum(imp, "ge_p", 0);
	out->ge_r = lab_jnum(imp, "ge_r", 0);
	out->ge_k = lab_jnum(imp, "ge_k", 100);
	out->ge_h = lab_jnum(imp, "ge_h", 0);
	out->flap_down_ms = (uint32_t)lab_jnum(imp, "flap_down_ms", 0);
	out->flap_period_ms = (uint32_t)lab_jnum(imp, "flap_period_ms", 0);
	snprintf(out->rate_limit, sizeof(out->rate_limit), "%s",
		 cJSON_IsString(cJSON_GetObjectItemCaseSensitive(imp, "rate")) ?
		 cJSON_GetObjectItemCaseSensitive(imp, "rate")->valuestring : "");
	out->burst = (uint64_t)lab_jnum(imp, "burst", 0);
}

static void
lab_impair_usage(FILE *f)
{
	fprintf(f,
		"usage: metroprobe lab impair SITE|ROUTER KEY=VALUE[,KEY=VALUE...]\n"
		"Change the impairments of a running lab. SITE is a or b; ROUTER is rtr-a,\n"
		"rtr-b (diverse, shared-conduit, standard) or conduit (shared-conduit).\n"
		"  loss=PCT  delay_us=N  jitter_us=N  dup=PCT  reorder=PCT  blackhole=on|off\n"
		"  ge_p=PCT,ge_r=PCT[,ge_k=PCT,ge_h=PCT]  Gilbert-Elliott loss bursts (XDP):\n"
		"            P(good->bad), P(bad->good), delivery when good (100) and bad (0)\n"
		"  flap=DOWN/PERIOD  down (all dropped) for DOWN seconds of every PERIOD,\n"
		"            in step with the clock (XDP); flap=off stops it\n"
		"  rate=RATE[,burst=N]  a token bucket (XDP): what is over RATE is dropped;\n"
		"            10Mbps counts wire bits as the prober's rate does, or 5000pps;\n"
		"            burst in bytes (bit rates) or packets (pps), default 10 ms of\n"
		"            the rate, at least 32 9018-byte frames; rate=off removes it\n"
		"  clear     (or none) reset all impairments of the site or router\n"
		"Keys not named keep their value. Nothing is restarted and no probe is lost\n"
		"to the change: a dpdk reflector takes the new values while it runs (SIGHUP\n"
		"and its impair file); xdp and kernel reflectors take loss, blackhole, ge_*,\n"
		"flap and rate through metroprobe-xdp impair. An xdp site given delay,\n"
		"jitter, dup or reorder is handed over to a dpdk reflector started beside it\n"
		"(which then stays). A router takes loss, blackhole, ge_*, flap and rate (XDP\n"
		"on its interfaces from the prober): it drops the probes of every link that\n"
		"crosses it, so\n"
		"'conduit blackhole=on' takes both links down together.\n");
}

/* Router r's impairment: XDP on its interface from the prober, on each link it carries. */
int
lab_router_impair(const struct lab_state *st, int r, const char *xdp_bin,
		  const struct lab_impair *imp)
{
	int hops[LAB_MAX_HOPS], s, i, n;
	char ifname[16];

	for (s = 0; s < LAB_NSITES; s++)
		for (i = 0, n = lab_link_hops(st, s, hops); i < n; i++) {
			if (hops[i] != r)
				continue;
			lab_router_if(s, r, false, ifname, sizeof(ifname));
			if (lab_xdp_impair_if(lab_routers[r].netns, ifname, xdp_bin, imp, true) != 0)
				return -1;
		}
	return 0;
}

static int
lab_impair_router_cmd(struct lab_state *st, int r, const char *spec)
{
	struct lab_impair imp = st->router[r].imp;
	unsigned int mask = 0;
	char err[256], imps[128], bin[PATH_MAX];

	if (!lab_router_used(st, r)) {
		lab_err("this lab (topology %s) has no router %s", lab_topo_names[st->topo],
			lab_routers[r].name);
		return 1;
	}
	if (lab_impair_parse(spec, &imp, &mask, err, sizeof(err)) != 0) {
		lab_err("%s", err);
		return 2;
	}
	if ((mask & ~LAB_IMP_XDP_OK) != 0 || lab_impair_needs_dpdk(&imp)) {
		lab_err("router %s: a router takes loss, blackhole, ge_*, flap and rate only "
			"(delay, jitter, dup and reorder: impair a dpdk site)", lab_routers[r].name);
		return 2;
	}
	if (mp_find_binary("metroprobe-xdp", bin, sizeof(bin)) != 0) {
		lab_err("metroprobe-xdp not found: router impairments need the XDP loader "
			"(build with -Dxdp=enabled or set METROPROBE_XDP=/path)");
		return 1;
	}
	if (lab_router_impair(st, r, bin, &imp) != 0)
		return 1;
	st->router[r].imp = imp;
	if (lab_state_save(st) != 0)
		return 1;
	lab_impair_str(&imp, imps, sizeof(imps));
	printf("router %s: impair %s%s\n", lab_routers[r].name, imps,
	       r == LAB_ROUTER_CONDUIT && imp.blackhole ? " (both links are down)" : "");
	return 0;
}

/*
 * A dpdk site takes the change live; a reflector that died, or predates
 * live changes, is restarted with it.
 */
static int
lab_impair_dpdk(struct lab_state *st, int s, const struct lab_impair *imp, const char *imps)
{
	struct lab_site *ls = &st->site[s];
	pid_t old = ls->pid;
	char bin[PATH_MAX];
	int rc;

	if (lab_reflector_alive(old, s) && lab_pid_has_arg(old, "--impair-file")) {
		if (lab_dpdk_update(st, s, imp) != 0)
			return 1;
		ls->imp = *imp;
		if (lab_state_save(st) != 0)
			return 1;
		printf("site %s: impair %s (dpdk reflector pid %d, changed live)\n",
		       lab_sites[s].id, imps, (int)old);
		return 0;
	}
	/* Dead, or too old to take live changes: a new one it must be. */
	if (mp_find_binary("metroprobe-dp", bin, sizeof(bin)) != 0) {
		lab_err("metroprobe-dp not found (set METROPROBE_DP=/path)");
		return 1;
	}
	printf("site %s: restarting the dpdk reflector (%s) with impair %s\n",
	       lab_sites[s].id, lab_reflector_alive(old, s) ?
	       "it predates live changes" : "it is not running", imps);
	if (lab_reflector_alive(old, s) && lab_kill_pids(&old, 1) != 0) {
		lab_err("the old reflector (pid %d) does not stop", (int)old);
		return 1;
	}
	ls->pid = 0;
	ls->imp = *imp;
	rc = lab_dpdk_start(st, s, bin);
	if (rc != 0 && ls->pid > 0 && lab_pid_alive(ls->pid))
		lab_kill_pids(&ls->pid, 1);
	if (rc != 0)
		ls->pid = 0;
	if (lab_state_save(st) != 0 || rc != 0)
		return 1;
	printf("site %s: reflector pid %d ready\n", lab_sites[s].id, (int)ls->pid);
	return 0;
}

int
lab_impair(int argc, char **argv)
{
	struct lab_state st;
	struct lab_impair imp;
	struct lab_site *ls;
	unsigned int mask = 0;
	char err[256], imps[128], bin[PATH_MAX];
	int s, rc;

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		lab_impair_usage(stdout);
		return 0;
	}
	if (argc != 3) {
		lab_err("usage: metroprobe lab impair SITE|ROUTER KEY=VALUE,... (see --help)");
		return 2;
	}
	rc = lab_state_load(&st);
	if (rc != 0 || !mp_netns_exists(LAB_NS_ONPREM)) {
		lab_err("%s", rc == -EINVAL ? "the lab state is unreadable (metroprobe lab down, "
			"then up)" : "lab is not up (metroprobe lab up first)");
		return 1;
	}
	if (lab_router_index(argv[1]) >= 0)
		return lab_impair_router_cmd(&st, lab_router_index(argv[1]), argv[2]);
	s = lab_site_index(argv[1]);
	if (s < 0) {
		lab_err("unknown site or router '%s' (a, b, rtr-a, rtr-b or conduit)", argv[1]);
		return 2;
	}
	ls = &st.site[s];
	imp = ls->imp;
	if (lab_impair_parse(argv[2], &imp, &mask, err, sizeof(err)) != 0) {
		lab_err("%s", err);
		return 2;
	}
	lab_impair_str(&imp, imps, sizeof(imps));
	if (lab_impair_validate(&imp, ls->kind, err, sizeof(err)) != 0) {
		lab_err("site %s: %s", lab_sites[s].id, err);
		return 2;
	}
	if (ls->kind == LAB_KIND_DPDK)
		return lab_impair_dpdk(&st, s, &imp, imps);
	if (lab_impair_needs_dpdk(&imp)) {
		if (ls->kind == LAB_KIND_KERNEL) {
			lab_err("site %s's reflector is your own (kernel): delay, jitter, dup and "
				"reorder need the dpdk reflector (lab up --reflector %s:dpdk)",
				lab_sites[s].id, lab_sites[s].id);
			return 2;
		}
		return lab_xdp_to_dpdk(&st, s, &imp) == 0 ? 0 : 1;
	}
	if (mp_find_binary("metroprobe-xdp", bin, sizeof(bin)) != 0) {
		lab_err("metroprobe-xdp not found: loss and blackhole with the %s reflector need "
			"the XDP loader (build with -Dxdp=enabled or set METROPROBE_XDP=/path)",
			lab_kind_names[ls->kind]);
		return 1;
	}
	if (lab_xdp_impair(&st, s, bin, &imp, (mask & (LAB_IMP_BLACKHOLE | LAB_IMP_CLEAR)) != 0) != 0)
		return 1;
	ls->imp = imp;
	if (lab_state_save(&st) != 0)
		return 1;
	printf("site %s: impair %s\n", lab_sites[s].id, imps);
	return 0;
}
