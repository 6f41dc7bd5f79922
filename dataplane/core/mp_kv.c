/* SPDX-License-Identifier: BSD-3-Clause */
/* key=value option strings (see mp_kv.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mp_pkt.h"
#include "mp_kv.h"

int
kv_parse(struct kv *kv, const char *s, const char **err)
{
	char *save = NULL, *tok;

	memset(kv, 0, sizeof(*kv));
	if (strlen(s) >= sizeof(kv->buf)) {
		*err = "option string too long";
		return -EINVAL;
	}
	strcpy(kv->buf, s);
	for (tok = strtok_r(kv->buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');

		if (eq == NULL || eq == tok) {
			*err = "expected key=value";
			return -EINVAL;
		}
		if (kv->n >= KV_MAX) {
			*err = "too many keys";
			return -EINVAL;
		}
		*eq = '\0';
		kv->key[kv->n] = tok;
		kv->val[kv->n] = eq + 1;
		kv->n++;
	}
	return 0;
}

const char *
kv_get(struct kv *kv, const char *key)
{
	int i;

	for (i = 0; i < kv->n; i++)
		if (strcmp(kv->key[i], key) == 0) {
			kv->used |= 1u << i;
			return kv->val[i];
		}
	return NULL;
}

const char *
kv_unused(const struct kv *kv)
{
	int i;

	for (i = 0; i < kv->n; i++)
		if (!(kv->used & (1u << i)))
			return kv->key[i];
	return NULL;
}

int
kv_u64(const char *s, unsigned long long min, unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (s == NULL || *s == '\0' || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int
kv_pct_ppm(const char *s, unsigned long long *ppm)
{
	char *end;
	double v;

	if (s == NULL || *s == '\0')
		return -EINVAL;
	v = strtod(s, &end);
	if (*end == '%')
		end++;
	if (*end != '\0' || !(v >= 0.0 && v <= 100.0))
		return -EINVAL;
	*ppm = (unsigned long long)(v * 10000.0 + 0.5);
	return 0;
}

/* One tag, "[0xTPID:]ID[/PCP]": TPID 0x8100 or 0x88a8 (default 0x8100), PCP 0..7. */
static int
kv_vlan_tag(char *tok, struct pkt_vlan *v)
{
	unsigned long long tpid = TPID_8021Q, id, pcp = 0;
	char *colon = strchr(tok, ':'), *slash;

	if (colon != NULL) {
		*colon = '\0';
		if (kv_u64(tok, 0, 0xffff, &tpid) != 0 || (tpid != TPID_8021Q && tpid != TPID_8021AD))
			return -EINVAL;
		tok = colon + 1;
	}
	slash = strchr(tok, '/');
	if (slash != NULL) {
		*slash = '\0';
		if (kv_u64(slash + 1, 0, 7, &pcp) != 0)
			return -EINVAL;
	}
	if (kv_u64(tok, 1, 4094, &id) != 0)
		return -EINVAL;
	v->tpid = (uint16_t)tpid;
	v->tci = (uint16_t)(pcp << 13 | id);
	return 0;
}

int
kv_vlans(const char *s, struct pkt_encap *e)
{
	char buf[64], *save = NULL, *tok;

	memset(e, 0, sizeof(*e));
	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ".", &save); tok != NULL; tok = strtok_r(NULL, ".", &save)) {
		if (e->nvlan >= PKT_MAX_VLANS || kv_vlan_tag(tok, &e->vlan[e->nvlan]) != 0)
			return -EINVAL;
		e->nvlan++;
	}
	return e->nvlan > 0 ? 0 : -EINVAL;
}
