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

int
kv_vlans(const char *s, struct pkt_encap *e)
{
	char buf[64], *save = NULL, *tok;
	uint16_t tpid = TPID_8021Q;
	const char *colon = strchr(s, ':');

	memset(e, 0, sizeof(*e));
	if (colon != NULL) {
		unsigned long long t;

		if ((size_t)(colon - s) >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, s, (size_t)(colon - s));
		buf[colon - s] = '\0';
		if (kv_u64(buf, 0, 0xffff, &t) != 0 || (t != TPID_8021Q && t != TPID_8021AD))
			return -EINVAL;
		tpid = (uint16_t)t;
		s = colon + 1;
	}
	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ".", &save); tok != NULL; tok = strtok_r(NULL, ".", &save)) {
		unsigned long long id;

		if (e->nvlan >= PKT_MAX_VLANS || kv_u64(tok, 1, 4094, &id) != 0)
			return -EINVAL;
		e->vlan[e->nvlan].tpid = e->nvlan == 0 ? tpid : TPID_8021Q;
		e->vlan[e->nvlan].tci = (uint16_t)id;
		e->nvlan++;
	}
	/* A single tag is always 802.1Q; a QinQ outer tag keeps the asked TPID. */
	if (e->nvlan == 1)
		e->vlan[0].tpid = colon != NULL ? tpid : TPID_8021Q;
	return e->nvlan > 0 ? 0 : -EINVAL;
}
