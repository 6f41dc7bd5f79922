/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Run configuration: JSON (libcjson) to struct mp_config, validated against
 * the ExpressRoute Metro catalog. Every failure is -EINVAL with one line,
 * "JSON.path: what is wrong (what is expected)", so that a typo is found
 * without reading the source. Keys starting with '_' are comments and are
 * ignored; any other unknown key is an error (a misspelt optional key would
 * otherwise silently keep its default).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "cfg_parse.h"
#include "config.h"
#include "metro.h"
#include "mp_mix.h"
#include "stream_config.h"

#define CFG_DURATION_MAX_S	315576000u	/* 10 Julian years */
#define CFG_FILE_MAX		(1u << 20)

static void
cfg_link_defaults(struct mp_link_cfg *l, int index)
{
	memset(l, 0, sizeof(*l));
	mp_link_defaults(&l->spec, index);
	snprintf(l->rate_text, sizeof(l->rate_text), "1000pps");
	mp_link_cfg_set_frame(l, &l->mix);
}

void
mp_link_cfg_set_frame(struct mp_link_cfg *l, const struct frame_mix *mix)
{
	l->mix = *mix;
	l->frame_size = frame_mix_max_size(mix);
	frame_mix_format(mix, l->frame_mix, sizeof(l->frame_mix));
}

void
mp_config_defaults(struct mp_config *c)
{
	int i;

	memset(c, 0, sizeof(*c));
	c->duration_s = 20;
	c->interval_ms = 100;
	c->loss_timeout_ms = 1000;
	snprintf(c->out_dir, sizeof(c->out_dir), "out");
	snprintf(c->circuit, sizeof(c->circuit), "metro");
	snprintf(c->dp.binary, sizeof(c->dp.binary), "metroprobe-dp");
	c->dp.lcores[0] = '\0';
	c->dp.hugepages = true;
	snprintf(c->dp.rx_timestamps, sizeof(c->dp.rx_timestamps), "auto");
	c->dp.memory_mb = 256;
	c->n_links = 0;
	c->carrier.service = -1;
	c->carrier.interval_ms = CARRIER_INTERVAL_MS;
	for (i = 0; i < MP_MAX_LINKS; i++)
		cfg_link_defaults(&c->links[i], i);
}

/* --- Error reporting and typed getters (cfg_parse.h) --- */

int
cfg_fail(struct cfg_ctx *x, const char *path, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	if (x->err == NULL || x->errlen == 0)
		return -EINVAL;
	n = snprintf(x->err, x->errlen, "%s: ", path);
	if (n >= 0 && (size_t)n < x->errlen) {
		va_start(ap, fmt);
		vsnprintf(x->err + n, x->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	/* One line, printable: keys and values are echoed from untrusted text. */
	for (p = x->err; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return -EINVAL;
}

/* Append s to the path in buf (CFG_PATH_MAX bytes), truncating. */
static void
cfg_append(char *buf, const char *s)
{
	size_t used = strnlen(buf, CFG_PATH_MAX - 1);
	size_t n = strlen(s);

	if (n > CFG_PATH_MAX - 1 - used)
		n = CFG_PATH_MAX - 1 - used;
	memmove(buf + used, s, n);
	buf[used + n] = '\0';
}

/* buf = base.key (or key at the top level); buf may not alias base. */
void
cfg_join(char *buf, const char *base, const char *key)
{
	buf[0] = '\0';
	if (base[0] != '\0') {
		cfg_append(buf, base);
		cfg_append(buf, ".");
	}
	cfg_append(buf, key);
}

/* buf = base[i] */
void
cfg_index(char *buf, const char *base, int i)
{
	char num[16];

	snprintf(num, sizeof(num), "[%d]", i);
	buf[0] = '\0';
	cfg_append(buf, base);
	cfg_append(buf, num);
}

/* Levenshtein distance of two short strings (capped inputs), for "did you mean". */
static unsigned
cfg_edit_distance(const char *a, const char *b)
{
	unsigned d[33][33];
	size_t la = strlen(a), lb = strlen(b), i, j;

	if (la > 32 || lb > 32)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = (unsigned)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (unsigned)j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			unsigned best = d[i - 1][j - 1] +
				(tolower((unsigned char)a[i - 1]) !=
				 tolower((unsigned char)b[j - 1]));

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

/*
 * Every key of o must be in allowed (NULL-terminated) or start with '_',
 * and appear once: a typo in an optional key must not pass silently.
 */
int
cfg_check_keys(struct cfg_ctx *x, const cJSON *o, const char *base,
	       const char *const *allowed)
{
	const cJSON *it, *prev;
	char path[CFG_PATH_MAX];
	char list[256];
	size_t used;
	int k;

	cJSON_ArrayForEach(it, o) {
		const char *key = it->string != NULL ? it->string : "";
		const char *best = NULL;
		unsigned best_d = 3;

		cfg_join(path, base, key);
		for (prev = o->child; prev != it; prev = prev->next) {
			if (prev->string != NULL && strcmp(prev->string, key) == 0)
				return cfg_fail(x, path, "given twice (each key once)");
		}
		if (key[0] == '_')
			continue;
		for (k = 0; allowed[k] != NULL; k++) {
			unsigned d;

			if (strcmp(allowed[k], key) == 0)
				break;
			d = cfg_edit_distance(allowed[k], key);
			if (d < best_d) {
				best_d = d;
				best = allowed[k];
			}
		}
		if (allowed[k] != NULL)
			continue;
		if (best != NULL)
			return cfg_fail(x, path, "unknown key (did you mean \"%s\"?)", best);
		used = 0;
		list[0] = '\0';
		for (k = 0; allowed[k] != NULL && used < sizeof(list); k++) {
			int n = snprintf(list + used, sizeof(list) - used, "%s%s",
					 k ? ", " : "", allowed[k]);

			if (n < 0)
				break;
			used += (size_t)n;
		}
		return cfg_fail(x, path, "unknown key (expected one of: %s)", list);
	}
	return 0;
}

const char *
cfg_type_name(const cJSON *it)
{
	if (cJSON_IsString(it))
		return "a string";
	if (cJSON_IsNumber(it))
		return "a number";
	if (cJSON_IsBool(it))
		return "a boolean";
	if (cJSON_IsNull(it))
		return "null";
	if (cJSON_IsArray(it))
		return "an array";
	if (cJSON_IsObject(it))
		return "an object";
	return "invalid";
}

/*
 * String member into dst. Absent: -ENOENT when required is false (dst kept),
 * an error when it is true. `what` describes the expected value.
 */
int
cfg_str(struct cfg_ctx *x, const cJSON *o, const char *base, const char *key,
	bool required, char *dst, size_t dstlen, const char *what)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
	char path[CFG_PATH_MAX];
	size_t n;

	cfg_join(path, base, key);
	if (it == NULL) {
		if (required)
			return cfg_fail(x, path, "missing (%s)", what);
		return -ENOENT;
	}
	if (!cJSON_IsString(it))
		return cfg_fail(x, path, "%s, expected a string (%s)", cfg_type_name(it), what);
	n = strlen(it->valuestring);
	if (n >= dstlen)
		return cfg_fail(x, path, "too long (at most %zu characters)", dstlen - 1);
	memcpy(dst, it->valuestring, n + 1);
	return 0;
}

/* Integer member in lo..hi; absent keeps *out. */
int
cfg_uint(struct cfg_ctx *x, const cJSON *o, const char *base, const char *key,
	 uint64_t lo, uint64_t hi, uint64_t *out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
	char path[CFG_PATH_MAX];
	double d;

	if (it == NULL)
		return 0;
	cfg_join(path, base, key);
	if (!cJSON_IsNumber(it))
		return cfg_fail(x, path, "%s, expected a number (%" PRIu64 "..%" PRIu64 ")",
				cfg_type_name(it), lo, hi);
	d = it->valuedouble;
	if (!isfinite(d) || d != floor(d))
		return cfg_fail(x, path, "%g is not a whole number (%" PRIu64 "..%" PRIu64 ")",
				d, lo, hi);
	if (d < (double)lo || d > (double)hi)
		return cfg_fail(x, path, "%.0f out of range (%" PRIu64 "..%" PRIu64 ")",
				d, lo, hi);
	*out = (uint64_t)d;
	return 0;
}

int
cfg_u32(struct cfg_ctx *x, const cJSON *o, const char *base, const char *key,
	uint32_t lo, uint32_t hi, uint32_t *out)
{
	uint64_t v = *out;
	int rc = cfg_uint(x, o, base, key, lo, hi, &v);

	*out = (uint32_t)v;
	return rc;
}

int
cfg_bool(struct cfg_ctx *x, const cJSON *o, const char *base, const char *key,
	 bool *out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
	char path[CFG_PATH_MAX];

	if (it == NULL)
		return 0;
	cfg_join(path, base, key);
	if (!cJSON_IsBool(it))
		return cfg_fail(x, path, "%s, expected true or false", cfg_type_name(it));
	*out = cJSON_IsTrue(it);
	return 0;
}

/* Optional object member: NULL when absent, error when not an object. */
int
cfg_obj(struct cfg_ctx *x, const cJSON *o, const char *base, const char *key,
	const cJSON **out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
	char path[CFG_PATH_MAX];

	*out = NULL;
	if (it == NULL)
		return 0;
	cfg_join(path, base, key);
	if (!cJSON_IsObject(it))
		return cfg_fail(x, path, "%s, expected an object", cfg_type_name(it));
	*out = it;
	return 0;
}

/* --- Value syntax --- */

static bool
cfg_name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n >= MP_NAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return false;
	}
	return true;
}

static int
cfg_hex(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Exactly n hex digits at *s, advanced past them. */
static bool
cfg_hexn(const char **s, int n, unsigned *out)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < n; i++) {
		int h = cfg_hex((*s)[i]);

		if (h < 0)
			return false;
		v = v * 16 + (unsigned)h;
	}
	*s += n;
	*out = v;
	return true;
}

/*
 * PCI address "dddd:bb:dd.f" or "bb:dd.f", optionally followed by
 * ",devargs"; canonical "dddd:bb:dd.f" into canon.
 */
static bool
cfg_parse_bdf(const char *s, char *canon, size_t len)
{
	unsigned dom = 0, bus, dev, fn;
	const char *p = s;

	if (strlen(s) >= 7 && s[4] == ':') {
		if (!cfg_hexn(&p, 4, &dom) || *p++ != ':')
			return false;
	}
	if (!cfg_hexn(&p, 2, &bus) || *p++ != ':' || !cfg_hexn(&p, 2, &dev) ||
	    *p++ != '.' || *p < '0' || *p > '7')
		return false;
	fn = (unsigned)(*p++ - '0');
	if (dev > 0x1f || (*p != '\0' && *p != ','))
		return false;
	snprintf(canon, len, "%04x:%02x:%02x.%u", dom, bus, dev, fn);
	return true;
}

/* DPDK virtual device "net_<driver><n>[,args]"; its name into canon. */
static bool
cfg_parse_vdev(const char *s, char *canon, size_t len)
{
	size_t n;

	if (strncmp(s, "net_", 4) != 0)
		return false;
	n = strcspn(s, ",");
	if (n <= 4)
		return false;
	if (strspn(s + 4, "abcdefghijklmnopqrstuvwxyz0123456789_") != n - 4)
		return false;
	snprintf(canon, len, "%.*s", (int)n, s);
	return true;
}

/* Value of "key=" among the comma-separated devargs of a port, or "" */
static void
cfg_devarg(const char *port, const char *key, char *out, size_t len)
{
	const char *p = strchr(port, ',');
	size_t klen = strlen(key);

	out[0] = '\0';
	while (p != NULL) {
		p++;
		if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
			snprintf(out, len, "%.*s", (int)strcspn(p + klen + 1, ","),
				 p + klen + 1);
			return;
		}
		p = strchr(p, ',');
	}
}

/* A CPU list for EAL -l: "3", "0-1", "0,2-3". */
static bool
cfg_cpulist_ok(const char *s)
{
	const char *p = s;

	while (*p != '\0') {
		unsigned long a, b;
		char *end;

		if (!isdigit((unsigned char)*p))
			return false;
		a = strtoul(p, &end, 10);
		p = end;
		if (*p == '-') {
			p++;
			if (!isdigit((unsigned char)*p))
				return false;
			b = strtoul(p, &end, 10);
			p = end;
			if (b < a)
				return false;
		}
		if (a > 4096)
			return false;
		if (*p == ',') {
			p++;
			if (*p == '\0')
				return false;
		} else if (*p != '\0') {
			return false;
		}
	}
	return true;
}

/* Addresses a probe can be sent from or to: unicast, not loopback, not unspecified. */
static bool
cfg_ip_unicast(const struct ip_addr *a)
{
	static const uint8_t zero[16];

	if (a->family == 4)
		return a->b[0] != 0 && a->b[0] != 127 && a->b[0] < 224;
	if (memcmp(a->b, zero, 16) == 0 || a->b[0] == 0xff)
		return false;
	return !(memcmp(a->b, zero, 15) == 0 && a->b[15] == 1);
}

/*
 * IPv4 host bits all zero (the subnet) or all one (broadcast) on a prefix
 * shorter than /31 (RFC 3021 point-to-point links use both addresses).
 */
static bool
cfg_ip4_special(const struct ip_addr *a, int plen)
{
	uint32_t v, host;

	if (a->family != 4 || plen >= 31)
		return false;
	v = (uint32_t)a->b[0] << 24 | (uint32_t)a->b[1] << 16 |
	    (uint32_t)a->b[2] << 8 | a->b[3];
	host = plen == 0 ? UINT32_MAX : (UINT32_C(1) << (32 - plen)) - 1;
	return (v & host) == 0 || (v & host) == host;
}

/* An address member (no prefix), into a; absent: -ENOENT. */
static int
cfg_addr(struct cfg_ctx *x, const cJSON *o, const char *base, const char *key,
	 bool required, struct ip_addr *a)
{
	char s[MP_STR_MAX], path[CFG_PATH_MAX];
	int plen, rc;

	rc = cfg_str(x, o, base, key, required, s, sizeof(s),
		     "an IPv4 or IPv6 address like 192.0.2.2");
	if (rc != 0)
		return rc;
	cfg_join(path, base, key);
	if (strchr(s, '/') != NULL)
		return cfg_fail(x, path, "\"%s\" has a prefix length (an address, like 192.0.2.2)", s);
	if (ip_addr_parse(s, a, &plen) != 0)
		return cfg_fail(x, path, "\"%s\" is not an IP address (like 192.0.2.2 or 2001:db8::2)", s);
	if (!cfg_ip_unicast(a))
		return cfg_fail(x, path, "%s is not a unicast address", s);
	return 0;
}

/* --- Sections --- */

static int
cfg_parse_dataplane(struct cfg_ctx *x, const cJSON *o, struct mp_dp_cfg *dp)
{
	static const char *const keys[] = {
		"binary", "lcores", "hugepages", "memory_mb", "eal_args", "rx_timestamps", NULL
	};
	const cJSON *args, *it;
	char path[CFG_PATH_MAX];
	int rc, i;

	if ((rc = cfg_check_keys(x, o, "dataplane", keys)) != 0)
		return rc;
	rc = cfg_str(x, o, "dataplane", "binary", false, dp->binary, sizeof(dp->binary),
		     "a path, or a name on PATH");
	if (rc != 0 && rc != -ENOENT)
		return rc;
	if (dp->binary[0] == '\0')
		return cfg_fail(x, "dataplane.binary", "empty (a path, or a name on PATH)");
	rc = cfg_str(x, o, "dataplane", "lcores", false, dp->lcores, sizeof(dp->lcores),
		     "a CPU list like \"0-1\"");
	if (rc != 0 && rc != -ENOENT)
		return rc;
	if (!cfg_cpulist_ok(dp->lcores))
		return cfg_fail(x, "dataplane.lcores",
				"\"%s\" is not a CPU list (like \"0-1\" or \"0,2\"; \"\" = automatic)",
				dp->lcores);
	if ((rc = cfg_bool(x, o, "dataplane", "hugepages", &dp->hugepages)) != 0 ||
	    (rc = cfg_u32(x, o, "dataplane", "memory_mb", 16, 1048576, &dp->memory_mb)) != 0)
		return rc;
	rc = cfg_str(x, o, "dataplane", "rx_timestamps", false, dp->rx_timestamps,
		     sizeof(dp->rx_timestamps), "\"auto\", \"device\" or \"software\"");
	if (rc != 0 && rc != -ENOENT)
		return rc;
	if (strcmp(dp->rx_timestamps, "auto") != 0 && strcmp(dp->rx_timestamps, "device") != 0 &&
	    strcmp(dp->rx_timestamps, "software") != 0)
		return cfg_fail(x, "dataplane.rx_timestamps",
				"\"%s\" is not auto, device or software", dp->rx_timestamps);

	args = cJSON_GetObjectItemCaseSensitive(o, "eal_args");
	if (args == NULL)
		return 0;
	if (!cJSON_IsArray(args))
		return cfg_fail(x, "dataplane.eal_args", "%s, expected an array of strings",
				cfg_type_name(args));
	if (cJSON_GetArraySize(args) > MP_MAX_EAL_ARGS)
		return cfg_fail(x, "dataplane.eal_args", "%d arguments, at most %d",
				cJSON_GetArraySize(args), MP_MAX_EAL_ARGS);
	i = 0;
	cJSON_ArrayForEach(it, args) {
		snprintf(path, sizeof(path), "dataplane.eal_args[%d]", i);
		if (!cJSON_IsString(it))
			return cfg_fail(x, path, "%s, expected a string", cfg_type_name(it));
		if (it->valuestring[0] == '\0')
			return cfg_fail(x, path, "empty (an EAL argument like \"--log-level=8\")");
		if (strlen(it->valuestring) >= MP_STR_MAX)
			return cfg_fail(x, path, "too long (at most %d characters)", MP_STR_MAX - 1);
		snprintf(dp->eal_args[i], MP_STR_MAX, "%s", it->valuestring);
		i++;
	}
	dp->n_eal_args = i;
	return 0;
}

static int
cfg_parse_tpid(struct cfg_ctx *x, const cJSON *it, const char *path, uint16_t *tpid)
{
	unsigned long v;
	char *end;

	if (cJSON_IsNumber(it)) {
		v = it->valuedouble >= 0 && it->valuedouble < 65536 ?
			(unsigned long)it->valuedouble : 0;
		if (it->valuedouble != (double)v)
			v = 0;
	} else if (cJSON_IsString(it)) {
		errno = 0;
		v = strtoul(it->valuestring, &end, 16);
		if (strncasecmp(it->valuestring, "0x", 2) != 0 || *end != '\0' || errno != 0)
			return cfg_fail(x, path, "\"%s\" is not 0x8100 or 0x88a8", it->valuestring);
	} else {
		return cfg_fail(x, path, "%s, expected \"0x8100\" or \"0x88a8\"", cfg_type_name(it));
	}
	if (v != TPID_8021Q && v != TPID_8021AD)
		return cfg_fail(x, path, "0x%lx is not 0x8100 (802.1Q) or 0x88a8 (802.1ad)", v);
	*tpid = (uint16_t)v;
	return 0;
}

/*
 * "vlan": [100] or [{"id":10,"tpid":"0x88a8","pcp":0},{"id":100}], outer
 * tag first. Default TPIDs: 802.1Q for one tag; 802.1ad outside and 802.1Q
 * inside for two (QinQ, as ExpressRoute Direct uses).
 */
static int
cfg_parse_vlans(struct cfg_ctx *x, const cJSON *arr, const char *base,
		struct pkt_encap *e)
{
	static const char *const keys[] = { "id", "tpid", "pcp", NULL };
	char path[CFG_PATH_MAX], vpath[CFG_PATH_MAX], idpath[CFG_PATH_MAX];
	const cJSON *tag;
	int n, i = 0, rc;

	cfg_join(vpath, base, "vlan");
	if (!cJSON_IsArray(arr))
		return cfg_fail(x, vpath, "%s, expected an array of tags like [100] or "
				"[{\"id\":10,\"tpid\":\"0x88a8\"},{\"id\":100}]",
				cfg_type_name(arr));
	n = cJSON_GetArraySize(arr);
	if (n > PKT_MAX_VLANS)
		return cfg_fail(x, vpath, "%d tags, at most %d (802.1Q, or QinQ outer + inner)",
				n, PKT_MAX_VLANS);
	memset(e, 0, sizeof(*e));
	e->nvlan = (uint8_t)n;
	cJSON_ArrayForEach(tag, arr) {
		uint32_t id = 0, pcp = 0;
		uint16_t tpid = (n == 2 && i == 0) ? TPID_8021AD : TPID_8021Q;
		const cJSON *id_item;

		cfg_index(path, vpath, i);
		if (cJSON_IsNumber(tag)) {
			id_item = tag;
		} else if (cJSON_IsObject(tag)) {
			const cJSON *t;

			if ((rc = cfg_check_keys(x, tag, path, keys)) != 0)
				return rc;
			id_item = cJSON_GetObjectItemCaseSensitive(tag, "id");
			if (id_item == NULL)
				return cfg_fail(x, path, "missing \"id\" (VLAN id 1..4094)");
			t = cJSON_GetObjectItemCaseSensitive(tag, "tpid");
			if (t != NULL) {
				char tp[CFG_PATH_MAX];

				cfg_join(tp, path, "tpid");
				if ((rc = cfg_parse_tpid(x, t, tp, &tpid)) != 0)
					return rc;
			}
			if ((rc = cfg_u32(x, tag, path, "pcp", 0, 7, &pcp)) != 0)
				return rc;
			cfg_join(idpath, path, "id");
			memcpy(path, idpath, sizeof(path));
		} else {
			return cfg_fail(x, path, "%s, expected a VLAN id or {\"id\":..}",
					cfg_type_name(tag));
		}
		if (!cJSON_IsNumber(id_item))
			return cfg_fail(x, path, "%s, expected a VLAN id (1..4094)",
					cfg_type_name(id_item));
		if (id_item->valuedouble != floor(id_item->valuedouble) ||
		    id_item->valuedouble < 1 || id_item->valuedouble > 4094)
			return cfg_fail(x, path, "%g out of range (VLAN id 1..4094)",
					id_item->valuedouble);
		id = (uint32_t)id_item->valuedouble;
		e->vlan[i].tpid = tpid;
		e->vlan[i].tci = (uint16_t)(pcp << 13 | id);
		i++;
	}
	return 0;
}

static int
cfg_link_name(struct cfg_ctx *x, const cJSON *o, const char *base, struct mp_link_cfg *l)
{
	char path[CFG_PATH_MAX];
	int rc;

	if ((rc = cfg_str(x, o, base, "name", true, l->name, sizeof(l->name),
			  "a name like \"a\"")) != 0)
		return rc;
	cfg_join(path, base, "name");
	if (!cfg_name_ok(l->name))
		return cfg_fail(x, path, "\"%s\" is not a name (1..%d of A-Z a-z 0-9 _ -)",
				l->name, MP_NAME_MAX - 1);
	return 0;
}

/*
 * The peering location of a standard circuit or of two circuits: any name
 * (canonical when the catalog knows it). A standard circuit has both links
 * at one location; two circuits, at two.
 */
static int
cfg_link_location_free(struct cfg_ctx *x, const char *path, const char *s, int idx,
		       struct mp_config *c, const struct mp_metro **metro)
{
	struct mp_link_cfg *l = &c->links[idx];
	const struct mp_metro *m;
	bool same;
	int site = 0;

	m = mp_metro_of_location(s, &site);
	snprintf(l->location, sizeof(l->location), "%s", m != NULL ? m->sites[site].name : s);
	if (idx == 0 && *metro == NULL)
		*metro = m;
	if (idx != 1)
		return 0;
	same = strcasecmp(l->location, c->links[0].location) == 0;
	if (strcmp(c->circuit, "standard") == 0 && !same)
		return cfg_fail(x, path, "\"%s\": a standard circuit has both links at one peering "
				"location (links[0] is at %s; two locations: \"circuit\": \"metro\" "
				"or \"two-circuits\")", s, c->links[0].location);
	if (strcmp(c->circuit, "two-circuits") == 0 && same)
		return cfg_fail(x, path, "same peering location as links[0]; two circuits are at "
				"two locations (one location: \"circuit\": \"standard\")");
	return 0;
}

/* The peering location, against the metro (the first link's when none is named). */
static int
cfg_link_location(struct cfg_ctx *x, const cJSON *o, const char *base, int idx,
		  struct mp_config *c, const struct mp_metro **metro)
{
	struct mp_link_cfg *l = &c->links[idx];
	char s[MP_STR_MAX], path[CFG_PATH_MAX];
	const struct mp_metro *m;
	int site = 0, rc;

	if ((rc = cfg_str(x, o, base, "location", true, s, sizeof(l->location),
			  "a peering location like \"Amsterdam2\"")) != 0)
		return rc;
	cfg_join(path, base, "location");
	if (strcmp(c->circuit, "metro") != 0)
		return cfg_link_location_free(x, path, s, idx, c, metro);
	m = mp_metro_of_location(s, &site);
	if (*metro == NULL && m == NULL)
		return cfg_fail(x, path, "\"%s\" is not an ExpressRoute Metro peering location "
				"(Amsterdam, Amsterdam2, Singapore, Singapore2, Zurich, Zurich2)", s);
	if (*metro == NULL)
		*metro = m;
	if (m != *metro)
		return cfg_fail(x, path, "\"%s\" is not a peering location of %s (%s or %s)",
				s, (*metro)->name, (*metro)->sites[0].name,
				(*metro)->sites[1].name);
	snprintf(l->location, sizeof(l->location), "%s", m->sites[site].name);
	if (idx == 1 && strcmp(l->location, c->links[0].location) == 0)
		return cfg_fail(x, path, "same peering location as links[0]; a Metro pair needs %s "
				"and %s (one location: \"circuit\": \"standard\")",
				m->sites[0].name, m->sites[1].name);
	return 0;
}

static int
cfg_link_netns(struct cfg_ctx *x, const cJSON *o, const char *base, struct mp_link_cfg *l)
{
	char path[CFG_PATH_MAX];
	int rc;

	rc = cfg_str(x, o, base, "netns", false, l->netns, sizeof(l->netns),
		     "a network namespace name");
	if (rc == -ENOENT)
		return 0;
	if (rc != 0)
		return rc;
	cfg_join(path, base, "netns");
	if (l->netns[0] == '\0' || strchr(l->netns, '/') != NULL ||
	    strcmp(l->netns, ".") == 0 || strcmp(l->netns, "..") == 0)
		return cfg_fail(x, path, "\"%s\" is not a namespace name (as in ip netns list)",
				l->netns);
	return 0;
}

/* The port: a vdev or a PCI address; the dataplane finds it by its device name. */
static int
cfg_link_port(struct cfg_ctx *x, const cJSON *o, const char *base, struct mp_link_cfg *l)
{
	char path[CFG_PATH_MAX], canon[MP_STR_MAX];
	size_t n;
	int rc;

	if ((rc = cfg_str(x, o, base, "port", true, l->port, sizeof(l->port),
			  "a vdev like \"net_af_packet0,iface=eth1\" or a PCI address like \"0000:03:00.0\"")) != 0)
		return rc;
	cfg_join(path, base, "port");
	if (l->port[0] == '\0')
		return cfg_fail(x, path, "empty (a vdev like \"net_af_xdp0,iface=eth1\" or a PCI address like \"0000:03:00.0\")");
	if (cfg_parse_bdf(l->port, canon, sizeof(canon)))
		l->port_is_pci = true;
	else if (cfg_parse_vdev(l->port, canon, sizeof(canon)))
		l->port_is_pci = false;
	else
		return cfg_fail(x, path, "\"%s\" is neither a DPDK vdev (net_<driver><n>[,args]) "
				"nor a PCI address (dddd:bb:dd.f or bb:dd.f)", l->port);
	/* the device name: a vdev's before its first comma, or the PCI address as given */
	n = strcspn(l->port, ",");
	if (n >= sizeof(l->port_name))
		return cfg_fail(x, path, "device name of %zu characters, at most %zu", n,
				sizeof(l->port_name) - 1);
	memcpy(l->port_name, l->port, n);
	l->port_name[n] = '\0';
	return 0;
}

static int
cfg_link_speed(struct cfg_ctx *x, const cJSON *o, const char *base, struct mp_link_cfg *l)
{
	char s[MP_STR_MAX], path[CFG_PATH_MAX];
	const char *rerr = NULL;
	struct rate sp;
	int rc;

	rc = cfg_str(x, o, base, "link_speed", false, s, sizeof(s), "a speed like \"10Gbps\"");
	if (rc == -ENOENT)
		return 0;
	if (rc != 0)
		return rc;
	cfg_join(path, base, "link_speed");
	if (rate_parse(s, &sp, &rerr) != 0 || sp.kind != RATE_BPS || sp.value == 0)
		return cfg_fail(x, path, "\"%s\" is not a speed (like 10Gbps or 100Gbps)", s);
	l->rate_link_bps = sp.value;
	return 0;
}

/* Our address with its prefix length. */
static int
cfg_link_ip(struct cfg_ctx *x, const cJSON *o, const char *base, struct mp_link_cfg *l)
{
	char s[MP_STR_MAX], path[CFG_PATH_MAX];
	int plen = 0, rc;

	if ((rc = cfg_str(x, o, base, "ip", true, s, sizeof(s),
			  "our address with its prefix length, like \"192.0.2.1/30\"")) != 0)
		return rc;
	cfg_join(path, base, "ip");
	if (ip_addr_parse(s, &l->ip, &plen) != 0)
		return cfg_fail(x, path, "\"%s\" is not an address with prefix length "
				"(like 192.0.2.1/30 or 2001:db8::1/126)", s);
	if (strchr(s, '/') == NULL)
		return cfg_fail(x, path, "\"%s\" has no prefix length (like %s/30)", s, s);
	if (plen < 1 || plen > (l->ip.family == 4 ? 32 : 128))
		return cfg_fail(x, path, "prefix length %d out of range (1..%d)", plen,
				l->ip.family == 4 ? 32 : 128);
	if (!cfg_ip_unicast(&l->ip))
		return cfg_fail(x, path, "\"%s\" is not a unicast address", s);
	if (cfg_ip4_special(&l->ip, plen))
		return cfg_fail(x, path, "\"%s\" is the subnet or broadcast address of its prefix", s);
	l->plen = plen;
	return 0;
}

/* A far end's address: of ip's family, and not ip. */
static int
cfg_far_end(struct cfg_ctx *x, const char *path, const struct ip_addr *a,
	    const struct mp_link_cfg *l, const char *what)
{
	if (a->family != l->ip.family)
		return cfg_fail(x, path, "IPv%d, but ip is IPv%d (one address family per link)",
				a->family, l->ip.family);
	if (ip_addr_equal(a, &l->ip))
		return cfg_fail(x, path, "same as ip (%s)", what);
	return 0;
}

/* The far ends: next hop (on ip's subnet), reflector (default: the next hop). */
static int
cfg_link_peers(struct cfg_ctx *x, const cJSON *o, const char *base, struct mp_link_cfg *l)
{
	char path[CFG_PATH_MAX];
	int rc;

	if ((rc = cfg_addr(x, o, base, "next_hop", true, &l->next_hop)) != 0)
		return rc;
	cfg_join(path, base, "next_hop");
	if ((rc = cfg_far_end(x, path, &l->next_hop, l,
			      "the next hop is the other end of the link")) != 0)
		return rc;
	if (!ip_addr_same_prefix(&l->next_hop, &l->ip, l->plen))
		return cfg_fail(x, path, "not in the subnet of ip (/%d); the next hop must be on the link",
				l->plen);
	if (cfg_ip4_special(&l->next_hop, l->plen))
		return cfg_fail(x, path, "is the subnet or broadcast address of ip's prefix");

	rc = cfg_addr(x, o, base, "reflector", false, &l->reflector);
	if (rc == -ENOENT) {
		l->reflector = l->next_hop;
		return 0;
	}
	if (rc != 0)
		return rc;
	cfg_join(path, base, "reflector");
	return cfg_far_end(x, path, &l->reflector, l, "the reflector is the far end");
}

static int
cfg_link_mac(struct cfg_ctx *x, const cJSON *o, const char *base, struct mp_link_cfg *l)
{
	static const uint8_t zero[6];
	char s[MP_STR_MAX], path[CFG_PATH_MAX];
	int rc;

	rc = cfg_str(x, o, base, "next_hop_mac", false, s, sizeof(s),
		     "a MAC like \"02:00:00:00:00:02\"");
	if (rc == -ENOENT)
		return 0;
	if (rc != 0)
		return rc;
	cfg_join(path, base, "next_hop_mac");
	if (mac_parse(s, l->next_hop_mac) != 0)
		return cfg_fail(x, path, "\"%s\" is not a MAC address (like 02:00:00:00:00:02)", s);
	if ((l->next_hop_mac[0] & 1) != 0 || memcmp(l->next_hop_mac, zero, 6) == 0)
		return cfg_fail(x, path, "%s is not a unicast MAC address", s);
	l->has_next_hop_mac = true;
	return 0;
}

/* UDP ports and VLAN tags. */
static int
cfg_link_udp_vlan(struct cfg_ctx *x, const cJSON *o, const char *base, struct mp_link_cfg *l)
{
	const cJSON *it;
	uint32_t u;
	int rc;

	u = l->reflector_port;
	if ((rc = cfg_u32(x, o, base, "reflector_port", 1, 65535, &u)) != 0)
		return rc;
	l->reflector_port = (uint16_t)u;
	u = l->source_port;
	if ((rc = cfg_u32(x, o, base, "source_port", 1, 65535, &u)) != 0)
		return rc;
	l->source_port = (uint16_t)u;
	it = cJSON_GetObjectItemCaseSensitive(o, "vlan");
	if (it != NULL && (rc = cfg_parse_vlans(x, it, base, &l->encap)) != 0)
		return rc;
	return 0;
}

static int
cfg_link_rate(struct cfg_ctx *x, const cJSON *o, const char *base, struct mp_link_cfg *l)
{
	char path[CFG_PATH_MAX];
	const char *rerr = NULL;
	bool hint;
	int rc;

	rc = cfg_str(x, o, base, "rate", false, l->rate_text, sizeof(l->rate_text),
		     "a rate like \"1000pps\", \"10Mbps\", \"5%\" or \"line\"");
	if (rc == -ENOENT)
		return 0;
	if (rc != 0)
		return rc;
	l->rate_given = true;
	cfg_join(path, base, "rate");
	if (rate_parse(l->rate_text, &l->rate, &rerr) != 0) {
		/* rate_parse's reason may already carry the examples */
		hint = rerr == NULL || strchr(rerr, '(') == NULL;
		return cfg_fail(x, path, "\"%s\" is not a rate%s%s%s", l->rate_text,
				rerr != NULL ? ": " : "", rerr != NULL ? rerr : "",
				hint ? " (use 1000pps, 10Mbps, 5%, line)" : "");
	}
	if ((l->rate.kind == RATE_PCT || l->rate.kind == RATE_LINE) &&
	    !l->port_is_pci && l->rate_link_bps == 0)
		return cfg_fail(x, path, "\"%s\" is relative to the link speed: set %s.link_speed "
				"(a vdev port cannot report its speed)", l->rate_text, base);
	return 0;
}

/*
 * What the provider's policer or gateway allows on the link (golive's
 * ceiling; above it only with --allow-over-committed): bits (wire) or
 * packets per second. Optional.
 */
static int
cfg_link_committed(struct cfg_ctx *x, const cJSON *o, const char *base, struct mp_link_cfg *l)
{
	char path[CFG_PATH_MAX];
	const char *rerr = NULL;
	int rc;

	rc = cfg_str(x, o, base, "committed_rate", false, l->committed_rate_text,
		     sizeof(l->committed_rate_text), "a rate like \"100Mbps\" or \"10000pps\"");
	if (rc == -ENOENT)
		return 0;
	if (rc != 0)
		return rc;
	cfg_join(path, base, "committed_rate");
	if (rate_parse(l->committed_rate_text, &l->committed_rate, &rerr) != 0 ||
	    (l->committed_rate.kind != RATE_BPS && l->committed_rate.kind != RATE_PPS) ||
	    l->committed_rate.value == 0)
		return cfg_fail(x, path, "\"%s\" is not a committed rate (use bits or packets per "
				"second: 100Mbps, 10000pps)", l->committed_rate_text);
	return 0;
}

int
cfg_frame_size(struct cfg_ctx *x, const cJSON *o, const char *base, uint32_t dflt,
	       struct frame_mix *mix)
{
	const cJSON *fs = cJSON_GetObjectItemCaseSensitive(o, "frame_size");
	char path[CFG_PATH_MAX];
	const char *merr = NULL;
	int rc;

	memset(mix, 0, sizeof(*mix));
	mix->n = 1;
	mix->weight[0] = 1;
	mix->size[0] = dflt;
	if (cJSON_IsString(fs)) {
		cfg_join(path, base, "frame_size");
		if (frame_mix_parse(fs->valuestring, PKT_MIN_FRAME, PKT_MAX_FRAME, mix,
				    &merr) != 0)
			return cfg_fail(x, path, "\"%s\": %s", fs->valuestring, merr);
		return 0;
	}
	if ((rc = cfg_u32(x, o, base, "frame_size", PKT_MIN_FRAME, PKT_MAX_FRAME,
			  &mix->size[0])) != 0)
		return rc;
	return 0;
}

/* A frame size, or a mix: "imix", "64:7+570:4+1518:1". */
static int
cfg_link_frame(struct cfg_ctx *x, const cJSON *o, const char *base, struct mp_link_cfg *l)
{
	struct frame_mix mix;
	int rc;

	if ((rc = cfg_frame_size(x, o, base, l->frame_size, &mix)) != 0)
		return rc;
	mp_link_cfg_set_frame(l, &mix);
	return 0;
}

/* DSCP, SSID, queues. */
static int
cfg_link_numbers(struct cfg_ctx *x, const cJSON *o, const char *base, struct mp_link_cfg *l)
{
	char path[CFG_PATH_MAX];
	uint32_t u;
	int rc;

	u = l->dscp;
	if ((rc = cfg_u32(x, o, base, "dscp", 0, 63, &u)) != 0)
		return rc;
	l->dscp = (uint8_t)u;
	u = l->ssid;
	if ((rc = cfg_u32(x, o, base, "ssid", 0, 65535, &u)) != 0)
		return rc;
	l->ssid = (uint16_t)u;
	u = l->queues;
	if ((rc = cfg_u32(x, o, base, "queues", 1, MP_MAX_QUEUES, &u)) != 0)
		return rc;
	l->queues = (uint16_t)u;
	if ((uint32_t)l->source_port + l->queues - 1 > 65535) {
		cfg_join(path, base, "queues");
		return cfg_fail(x, path, "%u queues send from source ports %u..%u: past 65535",
				l->queues, l->source_port, l->source_port + l->queues - 1);
	}
	return 0;
}

/* One link: its members in the order of the config's documentation, first mistake wins. */
static int
cfg_parse_link(struct cfg_ctx *x, const cJSON *o, int idx, struct mp_config *c,
	       const struct mp_metro **metro)
{
	static const char *const keys[] = {
		"name", "location", "netns", "port", "link_speed", "ip", "next_hop",
		"next_hop_mac", "reflector", "reflector_port", "source_port", "vlan",
		"rate", "frame_size", "dscp", "ssid", "queues", "committed_rate", "streams",
		"kind", "carriers", "carrier_interval_ms", NULL
	};
	struct mp_link_cfg *l = &c->links[idx];
	char base[CFG_PATH_MAX];
	int rc;

	snprintf(base, sizeof(base), "links[%d]", idx);
	if (!cJSON_IsObject(o))
		return cfg_fail(x, base, "%s, expected an object", cfg_type_name(o));
	if ((rc = cfg_check_keys(x, o, base, keys)) != 0 ||
	    (rc = cfg_link_name(x, o, base, l)) != 0 ||
	    (rc = link_kind_parse(x, o, base, idx, c)) != 0 ||
	    (l->kind == LINK_KIND_PINNED &&
	     (rc = cfg_link_location(x, o, base, idx, c, metro)) != 0) ||
	    (rc = cfg_link_netns(x, o, base, l)) != 0 ||
	    (rc = cfg_link_port(x, o, base, l)) != 0 ||
	    (rc = cfg_link_speed(x, o, base, l)) != 0 ||
	    (rc = cfg_link_ip(x, o, base, l)) != 0 ||
	    (rc = cfg_link_peers(x, o, base, l)) != 0 ||
	    (rc = cfg_link_mac(x, o, base, l)) != 0 ||
	    (rc = cfg_link_udp_vlan(x, o, base, l)) != 0 ||
	    (rc = cfg_link_rate(x, o, base, l)) != 0 ||
	    (rc = cfg_link_frame(x, o, base, l)) != 0 ||
	    (rc = cfg_link_committed(x, o, base, l)) != 0)
		return rc;
	if ((rc = cfg_link_numbers(x, o, base, l)) != 0)
		return rc;
	return cfg_link_streams(x, o, base, l);
}

/* What links[j] must not share with links[i] (i < j). */
static int
cfg_check_two(struct cfg_ctx *x, const struct mp_config *c, int i, int j)
{
	const struct mp_link_cfg *a = &c->links[i], *b = &c->links[j];
	char ca[MP_STR_MAX], cb[MP_STR_MAX], ia[MP_STR_MAX], ib[MP_STR_MAX];
	char pj[CFG_PATH_MAX], pi[CFG_PATH_MAX];
	bool same;

	snprintf(pi, sizeof(pi), "links[%d]", i);
	snprintf(pj, sizeof(pj), "links[%d].", j);
	if (strcmp(a->name, b->name) == 0)
		return cfg_fail(x, strcat(pj, "name"), "\"%s\" is also the name of %s (names must "
				"differ)", b->name, pi);
	if (a->ssid == b->ssid)
		return cfg_fail(x, strcat(pj, "ssid"), "%u is also the SSID of %s (SSIDs must differ)",
				b->ssid, pi);
	if (a->port_is_pci)
		cfg_parse_bdf(a->port, ca, sizeof(ca));
	else
		cfg_parse_vdev(a->port, ca, sizeof(ca));
	if (b->port_is_pci)
		cfg_parse_bdf(b->port, cb, sizeof(cb));
	else
		cfg_parse_vdev(b->port, cb, sizeof(cb));
	same = a->port_is_pci == b->port_is_pci && strcasecmp(ca, cb) == 0;
	if (!same && !a->port_is_pci && !b->port_is_pci) {
		/* Two vdevs on one kernel interface are one port too. */
		cfg_devarg(a->port, "iface", ia, sizeof(ia));
		cfg_devarg(b->port, "iface", ib, sizeof(ib));
		same = ia[0] != '\0' && strcmp(ia, ib) == 0;
	}
	if (same)
		return cfg_fail(x, strcat(pj, "port"), "same port as %s (each link needs its own "
				"port)", pi);
	if (strcmp(a->netns, b->netns) != 0)
		return cfg_fail(x, strcat(pj, "netns"), "\"%s\" differs from %s.netns \"%s\" "
				"(the dataplane is one process in one namespace)", b->netns, pi,
				a->netns);
	return 0;
}

/* Every two links: names, SSIDs and ports apart, one namespace. */
static int
cfg_check_pair(struct cfg_ctx *x, const struct mp_config *c)
{
	int i, j, rc;

	for (j = 1; j < c->n_links; j++)
		for (i = 0; i < j; i++)
			if ((rc = cfg_check_two(x, c, i, j)) != 0)
				return rc;
	return 0;
}

/* Line and column of a byte offset, for parse errors. */
static void
cfg_where(const char *json, size_t off, unsigned *line, unsigned *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && json[i] != '\0'; i++) {
		if (json[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* Where the text stops being JSON, with a few characters from there. */
static int
cfg_json_error(struct cfg_ctx *x, const char *json, const char *end)
{
	size_t off = end != NULL && end >= json ? (size_t)(end - json) : 0;
	unsigned line, col;
	char near[24];
	size_t k;

	cfg_where(json, off, &line, &col);
	for (k = 0; k + 1 < sizeof(near) && json[off + k] != '\0' && json[off + k] != '\n'; k++)
		near[k] = isprint((unsigned char)json[off + k]) ? json[off + k] : '?';
	near[k] = '\0';
	return cfg_fail(x, "(json)", "not valid JSON at line %u, column %u (offset %zu)%s%s%s",
			line, col, off, k ? " near \"" : "", near, k ? "\"" : "");
}

/* The members of the top level but the links; the metro, if named, into *metro. */
static int
cfg_parse_top(struct cfg_ctx *x, const cJSON *root, struct mp_config *c,
	      const struct mp_metro **metro)
{
	const cJSON *dp;
	char s[MP_STR_MAX];
	int rc;

	rc = cfg_str(x, root, "", "circuit", false, c->circuit, sizeof(c->circuit),
		     "\"metro\", \"standard\" or \"two-circuits\"");
	if (rc != 0 && rc != -ENOENT)
		return rc;
	if (strcmp(c->circuit, "metro") != 0 && strcmp(c->circuit, "standard") != 0 &&
	    strcmp(c->circuit, "two-circuits") != 0)
		return cfg_fail(x, "circuit", "\"%s\" is not a kind of pair (\"metro\": two peering "
				"locations of one metro; \"standard\": one location; "
				"\"two-circuits\": two locations, any cities)", c->circuit);
	rc = cfg_str(x, root, "", "metro", false, s, sizeof(s), "a metro like \"Amsterdam Metro\"");
	if (rc == 0) {
		*metro = mp_metro_find(s);
		if (*metro == NULL)
			return cfg_fail(x, "metro", "\"%s\" is not an ExpressRoute Metro "
					"(Amsterdam Metro, Singapore Metro, Zurich Metro)", s);
	} else if (rc != -ENOENT) {
		return rc;
	}
	if ((rc = cfg_u32(x, root, "", "duration_s", 0, CFG_DURATION_MAX_S, &c->duration_s)) != 0 ||
	    (rc = cfg_u32(x, root, "", "interval_ms", 10, 60000, &c->interval_ms)) != 0 ||
	    (rc = cfg_u32(x, root, "", "loss_timeout_ms", 1, 60000, &c->loss_timeout_ms)) != 0)
		return rc;
	rc = cfg_str(x, root, "", "out_dir", false, c->out_dir, sizeof(c->out_dir),
		     "a directory for results");
	if (rc != 0 && rc != -ENOENT)
		return rc;
	if (c->out_dir[0] == '\0')
		return cfg_fail(x, "out_dir", "empty (a directory for results, like \"out\")");
	if ((rc = cfg_obj(x, root, "", "dataplane", &dp)) != 0)
		return rc;
	if (dp != NULL)
		return cfg_parse_dataplane(x, dp, &c->dp);
	return 0;
}

/* The pair of links, each checked against the metro, then against each other. */
static int
cfg_parse_links(struct cfg_ctx *x, const cJSON *root, struct mp_config *c,
		const struct mp_metro **metro)
{
	const cJSON *links, *it;
	int rc, i = 0, n;

	links = cJSON_GetObjectItemCaseSensitive(root, "links");
	if (links == NULL)
		return cfg_fail(x, "links", "missing (the two links of the Metro pair)");
	if (!cJSON_IsArray(links))
		return cfg_fail(x, "links", "%s, expected an array of 2 links", cfg_type_name(links));
	n = cJSON_GetArraySize(links);
	if ((rc = link_kind_count(x, n)) != 0)
		return rc;
	cJSON_ArrayForEach(it, links) {
		if ((rc = cfg_parse_link(x, it, i, c, metro)) != 0)
			return rc;
		i++;
	}
	c->n_links = n;
	if ((rc = link_kind_check(x, c)) != 0 || (rc = cfg_check_pair(x, c)) != 0)
		return rc;
	return cfg_streams_check_links(x, c);
}

/* The top level's keys: the fixed ones, then each section's. */
static void
cfg_top_keys(const char **keys, const char *const *fixed, size_t n_fixed)
{
	size_t n = 0, i;

	for (i = 0; i < n_fixed && n < CFG_KEYS_MAX - 1; i++)
		keys[n++] = fixed[i];
	for (i = 0; cfg_sections[i].key != NULL && n < CFG_KEYS_MAX - 1; i++)
		keys[n++] = cfg_sections[i].key;
	keys[n] = NULL;
}

/* Each section present at the top level, once the links are known; absent ones keep defaults. */
static int
cfg_parse_sections(struct cfg_ctx *x, const cJSON *root, struct mp_config *c)
{
	const struct cfg_section *sec;
	int rc;

	for (sec = cfg_sections; sec->key != NULL; sec++)
		if ((rc = sec->parse(x, cJSON_GetObjectItemCaseSensitive(root, sec->key), c)) != 0)
			return rc;
	return 0;
}

int
mp_config_parse(const char *json, struct mp_config *c, char *err, size_t errlen)
{
	static const char *const fixed[] = {
		"circuit", "metro", "duration_s", "interval_ms", "loss_timeout_ms", "out_dir",
		"dataplane", "links",
	};
	const char *keys[CFG_KEYS_MAX];
	struct cfg_ctx x = { .err = err, .errlen = errlen };
	const struct mp_metro *metro = NULL;
	const char *end = NULL;
	cJSON *root;
	int rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (c == NULL)
		return -EINVAL;
	cfg_top_keys(keys, fixed, sizeof(fixed) / sizeof(fixed[0]));
	mp_config_defaults(c);
	if (json == NULL)
		return cfg_fail(&x, "(config)", "no text");
	root = cJSON_ParseWithOpts(json, &end, 1);
	if (root == NULL)
		return cfg_json_error(&x, json, end);
	if (!cJSON_IsObject(root))
		rc = cfg_fail(&x, "(top level)", "%s, expected an object { \"links\": [...], ... }",
			      cfg_type_name(root));
	else if ((rc = cfg_check_keys(&x, root, "", keys)) == 0 &&
		 (rc = cfg_parse_top(&x, root, c, &metro)) == 0 &&
		 (rc = cfg_parse_links(&x, root, c, &metro)) == 0 &&
		 (rc = cfg_parse_sections(&x, root, c)) == 0)
		snprintf(c->metro, sizeof(c->metro), "%s", metro != NULL ? metro->name : "");
	cJSON_Delete(root);
	return rc;
}

int
mp_config_load(const char *path, struct mp_config *c, char *err, size_t errlen)
{
	char inner[512];
	char *text = NULL;
	size_t n;
	FILE *f;
	int rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (path == NULL || c == NULL)
		return -EINVAL;
	f = fopen(path, "rb");
	if (f == NULL) {
		rc = -errno;
		if (err != NULL)
			snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	text = malloc(CFG_FILE_MAX + 1);
	if (text == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	n = fread(text, 1, CFG_FILE_MAX + 1, f);
	if (ferror(f)) {
		rc = -EIO;
		if (err != NULL)
			snprintf(err, errlen, "%s: read error", path);
		goto out;
	}
	if (n > CFG_FILE_MAX) {
		rc = -EINVAL;
		if (err != NULL)
			snprintf(err, errlen, "%s: larger than %u bytes, not a config", path,
				 CFG_FILE_MAX);
		goto out;
	}
	text[n] = '\0';
	if (strlen(text) != n) {
		rc = -EINVAL;
		if (err != NULL)
			snprintf(err, errlen, "%s: NUL byte at offset %zu, not a JSON text", path,
				 strlen(text));
		goto out;
	}
	rc = mp_config_parse(text, c, inner, sizeof(inner));
	if (rc != 0 && err != NULL)
		snprintf(err, errlen, "%s: %s", path, inner);
out:
	free(text);
	fclose(f);
	return rc;
}
