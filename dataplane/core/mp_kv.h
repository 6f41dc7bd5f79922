/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * "key=value,key=value" option strings: the link specification's text
 * (mp_link) and the dataplane's other options. Pure: no I/O.
 */
#ifndef MP_KV_H
#define MP_KV_H

#define KV_MAX	24

struct kv {
	int n;
	unsigned used;		/* bit i: key i was asked for */
	char *key[KV_MAX];
	char *val[KV_MAX];
	char buf[2048];
};

/* Split s (copied) into pairs. Returns 0 or -EINVAL (err says why). */
int kv_parse(struct kv *kv, const char *s, const char **err);
/* Value of key, or NULL; marks it used. */
const char *kv_get(struct kv *kv, const char *key);
/* First key never asked for (a typo), or NULL. */
const char *kv_unused(const struct kv *kv);
/* Parse an unsigned decimal in [min, max]; 0 or -EINVAL. */
int kv_u64(const char *s, unsigned long long min, unsigned long long max,
	   unsigned long long *out);
/* Percent "5", "0.5", "5%" -> parts per million in [0, 1e6]. */
int kv_pct_ppm(const char *s, unsigned long long *ppm);
/*
 * VLAN list into encap, outer tag first, tags separated by ".", each
 * "[0xTPID:]ID[/PCP]" (TPID 0x8100 by default, or 0x88a8; PCP 0 by default):
 * "100", "100/5", "10.100", "0x88a8:10.100", "0x88a8:300/3.100/3".
 */
struct pkt_encap;
int kv_vlans(const char *s, struct pkt_encap *e);

#endif
