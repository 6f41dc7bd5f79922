/* SPDX-License-Identifier: BSD-3-Clause */
/* The link specification's text: one encoder, one decoder (see mp_link.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mp_kv.h"
#include "mp_link.h"
#include "mp_stamp.h"

void
mp_link_defaults(struct mp_link_spec *s, int index)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->port_name, sizeof(s->port_name), "0");
	s->reflector_port = STAMP_UDP_PORT;
	s->source_port = STAMP_UDP_PORT;
	s->rate.kind = RATE_PPS;
	s->rate.value = 1000 * 1000;	/* milli-pps */
	s->mix.n = 1;
	s->mix.size[0] = 128;
	s->mix.weight[0] = 1;
	s->frame_size = 128;
	s->ssid = (uint16_t)(index + 1);
	s->queues = 1;
	s->lcore = -1;
}

int
mp_link_ssids(const struct mp_link_spec *s, uint16_t *out)
{
	int k;

	if (s->nstream == 0) {
		out[0] = s->ssid;
		return 1;
	}
	for (k = 0; k < s->nstream && k < MP_MAX_STREAMS; k++)
		out[k] = s->stream[k].ssid;
	return k;
}

/* --- Encoder --- */

struct link_text {
	char *buf;
	size_t len;
	size_t off;
	int rc;
};

static void __attribute__((format(printf, 2, 3)))
text_add(struct link_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->rc != 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->off, t->len - t->off, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= t->len - t->off) {
		t->rc = -ENOSPC;
		return;
	}
	t->off += (size_t)n;
}

static void
text_addr(struct link_text *t, const char *key, const struct ip_addr *a)
{
	char s[64];

	if (ip_addr_format(a, s, sizeof(s)) != 0) {
		t->rc = -EINVAL;
		return;
	}
	text_add(t, ",%s=%s", key, s);
}

/*
 * Tags as kv_vlans() reads them: each tag's id, its TPID in front when it
 * is not 802.1Q, its PCP behind when it is not 0.
 */
static void
text_vlans(struct link_text *t, const struct pkt_encap *e)
{
	int i;

	for (i = 0; i < e->nvlan; i++) {
		const struct pkt_vlan *v = &e->vlan[i];

		text_add(t, i == 0 ? ",vlan=" : ".");
		if (v->tpid != TPID_8021Q)
			text_add(t, "0x%04x:", v->tpid);
		text_add(t, "%u", v->tci & 0xfff);
		if (v->tci >> 13 != 0)
			text_add(t, "/%u", v->tci >> 13);
	}
}

/* streams=NAME/RATE/FRAME/DSCP/PCP/SSID;... (see mp_link.h) */
static void
text_streams(struct link_text *t, const struct mp_link_spec *s)
{
	char rate[64], mix[128];
	int i;

	for (i = 0; i < s->nstream; i++) {
		const struct mp_stream_spec *st = &s->stream[i];

		if (rate_format(&st->rate, rate, sizeof(rate)) != 0 ||
		    frame_mix_format(&st->mix, mix, sizeof(mix)) != 0) {
			t->rc = -EINVAL;
			return;
		}
		text_add(t, "%s%s/%s/%s/%u/", i == 0 ? ",streams=" : ";", st->name, rate, mix,
			 st->dscp);
		if (st->pcp < 0)
			text_add(t, "-");
		else
			text_add(t, "%d", st->pcp);
		text_add(t, "/%u", st->ssid);
	}
}

int
mp_link_encode(const struct mp_link_spec *s, char *buf, size_t len)
{
	struct link_text t = { .buf = buf, .len = len };
	char rate[64], mix[128], mac[24];

	if (len == 0)
		return -ENOSPC;
	buf[0] = '\0';
	if (rate_format(&s->rate, rate, sizeof(rate)) != 0 ||
	    frame_mix_format(&s->mix, mix, sizeof(mix)) != 0)
		return -EINVAL;
	text_add(&t, "name=%s,port=%s", s->name, s->port_name);
	text_addr(&t, "ip", &s->ip);
	text_add(&t, "/%d", s->plen);
	text_addr(&t, "next_hop", &s->next_hop);
	if (s->has_next_hop_mac) {
		mac_format(s->next_hop_mac, mac, sizeof(mac));
		text_add(&t, ",next_hop_mac=%s", mac);
	}
	text_addr(&t, "reflector", &s->reflector);
	text_add(&t, ",reflector_port=%u,source_port=%u", s->reflector_port, s->source_port);
	text_vlans(&t, &s->encap);
	text_add(&t, ",rate=%s,frame=%s,dscp=%u,ssid=%u,queues=%u", rate, mix, s->dscp,
		 s->ssid, s->queues);
	if (s->rate_link_bps != 0)
		text_add(&t, ",link_speed=%llubps", (unsigned long long)s->rate_link_bps);
	if (s->lcore >= 0)
		text_add(&t, ",lcore=%d", s->lcore);
	text_streams(&t, s);
	return t.rc;
}

/* --- Decoder --- */

struct link_err {
	char *buf;
	size_t len;
};

static int __attribute__((format(printf, 2, 3)))
link_fail(struct link_err *e, const char *fmt, ...)
{
	va_list ap;

	if (e->buf != NULL && e->len > 0) {
		va_start(ap, fmt);
		vsnprintf(e->buf, e->len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* A required key's value, or NULL with the error set. */
static const char *
need(struct kv *kv, const char *key, struct link_err *e)
{
	const char *v = kv_get(kv, key);

	if (v == NULL)
		link_fail(e, "%s is required", key);
	return v;
}

/* An optional whole number in lo..hi: 0 (absent: *found false), or -EINVAL. */
static int
opt_uint(struct kv *kv, const char *key, unsigned long long lo, unsigned long long hi,
	 unsigned long long *u, bool *found, struct link_err *e)
{
	const char *v = kv_get(kv, key);

	*found = v != NULL;
	if (v != NULL && kv_u64(v, lo, hi, u) != 0)
		return link_fail(e, "bad %s '%s' (%llu..%llu)", key, v, lo, hi);
	return 0;
}

static int
decode_name_port(struct kv *kv, struct mp_link_spec *s, struct link_err *e)
{
	const char *v;

	if ((v = need(kv, "name", e)) == NULL)
		return -EINVAL;
	if (v[0] == '\0' || strlen(v) >= sizeof(s->name))
		return link_fail(e, "bad name '%s' (1..%zu characters)", v, sizeof(s->name) - 1);
	snprintf(s->name, sizeof(s->name), "%s", v);
	if ((v = kv_get(kv, "port")) != NULL) {
		if (v[0] == '\0' || strlen(v) >= sizeof(s->port_name))
			return link_fail(e, "bad port '%s' (a DPDK device name or port id)", v);
		snprintf(s->port_name, sizeof(s->port_name), "%s", v);
	}
	return 0;
}

/* An address of ip's family, without a prefix length. */
static int
decode_peer(const char *key, const char *v, const struct mp_link_spec *s, struct ip_addr *a,
	    struct link_err *e)
{
	if (ip_addr_parse(v, a, NULL) != 0 || a->family != s->ip.family)
		return link_fail(e, "bad %s '%s' (an IPv%d address, like ip's)", key, v,
				 s->ip.family);
	return 0;
}

static int
decode_addrs(struct kv *kv, struct mp_link_spec *s, struct link_err *e)
{
	const char *v;

	if ((v = need(kv, "ip", e)) == NULL)
		return -EINVAL;
	if (ip_addr_parse(v, &s->ip, &s->plen) != 0 || strchr(v, '/') == NULL)
		return link_fail(e, "bad ip '%s' (ADDR/PLEN)", v);
	if ((v = need(kv, "next_hop", e)) == NULL ||
	    decode_peer("next_hop", v, s, &s->next_hop, e) != 0)
		return -EINVAL;
	if ((v = kv_get(kv, "next_hop_mac")) != NULL) {
		if (mac_parse(v, s->next_hop_mac) != 0)
			return link_fail(e, "bad next_hop_mac '%s' (like 02:00:00:00:00:02)", v);
		s->has_next_hop_mac = true;
	}
	s->reflector = s->next_hop;
	if ((v = kv_get(kv, "reflector")) != NULL &&
	    decode_peer("reflector", v, s, &s->reflector, e) != 0)
		return -EINVAL;
	if ((v = kv_get(kv, "vlan")) != NULL && kv_vlans(v, &s->encap) != 0)
		return link_fail(e, "bad vlan '%s' (ID, OUTER.INNER, or 0x88a8:OUTER.INNER)", v);
	return 0;
}

static int
decode_rate_frame(struct kv *kv, struct mp_link_spec *s, struct link_err *e)
{
	const char *v, *why = NULL;
	struct rate speed;

	if ((v = kv_get(kv, "rate")) != NULL && rate_parse(v, &s->rate, &why) != 0)
		return link_fail(e, "bad rate '%s': %s", v, why);
	if ((v = kv_get(kv, "link_speed")) != NULL) {
		if (rate_parse(v, &speed, &why) != 0 || speed.kind != RATE_BPS)
			return link_fail(e, "bad link_speed '%s' (e.g. 10Gbps)", v);
		s->rate_link_bps = speed.value;
	}
	if ((v = kv_get(kv, "frame")) != NULL) {
		if (frame_mix_parse(v, PKT_MIN_FRAME, PKT_MAX_FRAME, &s->mix, &why) != 0)
			return link_fail(e, "bad frame '%s': %s", v, why);
		s->frame_size = frame_mix_max_size(&s->mix);
	}
	return 0;
}

static int
opt_u16(struct kv *kv, const char *key, unsigned long long lo, unsigned long long hi,
	uint16_t *out, struct link_err *e)
{
	unsigned long long u;
	bool found;

	if (opt_uint(kv, key, lo, hi, &u, &found, e) != 0)
		return -EINVAL;
	if (found)
		*out = (uint16_t)u;
	return 0;
}

static int
decode_numbers(struct kv *kv, struct mp_link_spec *s, struct link_err *e)
{
	unsigned long long u;
	bool found;

	if (opt_u16(kv, "reflector_port", 1, 65535, &s->reflector_port, e) != 0 ||
	    opt_u16(kv, "source_port", 1, 65535, &s->source_port, e) != 0 ||
	    opt_u16(kv, "ssid", 0, 65535, &s->ssid, e) != 0 ||
	    opt_u16(kv, "queues", 1, MP_MAX_QUEUES, &s->queues, e) != 0)
		return -EINVAL;
	if (opt_uint(kv, "dscp", 0, 63, &u, &found, e) != 0)
		return -EINVAL;
	if (found)
		s->dscp = (uint8_t)u;
	if (opt_uint(kv, "lcore", 0, MP_LINK_LCORE_MAX, &u, &found, e) != 0)
		return -EINVAL;
	if (found)
		s->lcore = (int)u;
	return 0;
}

static bool
stream_name_ok(const char *v, size_t n)
{
	size_t i;

	if (n == 0 || n >= MP_STREAM_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
		      (v[i] >= '0' && v[i] <= '9') || v[i] == '_' || v[i] == '-'))
			return false;
	return true;
}

/* One stream's NAME/RATE/FRAME/DSCP/PCP/SSID (f: its text, split in place). */
static int
decode_stream(char *f, struct mp_stream_spec *st, int i, int nvlan, struct link_err *e)
{
	char *part[6], *save = NULL, *tok;
	const char *why = NULL;
	unsigned long long u;
	int n = 0;

	for (tok = strtok_r(f, "/", &save); tok != NULL && n < 6; tok = strtok_r(NULL, "/", &save))
		part[n++] = tok;
	if (n != 6 || tok != NULL)
		return link_fail(e, "bad streams[%d]: NAME/RATE/FRAME/DSCP/PCP/SSID", i);
	if (!stream_name_ok(part[0], strlen(part[0])))
		return link_fail(e, "bad streams[%d] name '%s' ([A-Za-z0-9_-]{1,31})", i, part[0]);
	snprintf(st->name, sizeof(st->name), "%s", part[0]);
	if (rate_parse(part[1], &st->rate, &why) != 0)
		return link_fail(e, "bad streams[%d] rate '%s': %s", i, part[1], why);
	if (frame_mix_parse(part[2], PKT_MIN_FRAME, PKT_MAX_FRAME, &st->mix, &why) != 0)
		return link_fail(e, "bad streams[%d] frame '%s': %s", i, part[2], why);
	st->frame_size = frame_mix_max_size(&st->mix);
	if (kv_u64(part[3], 0, 63, &u) != 0)
		return link_fail(e, "bad streams[%d] dscp '%s' (0..63)", i, part[3]);
	st->dscp = (uint8_t)u;
	st->pcp = -1;
	if (strcmp(part[4], "-") != 0) {
		if (kv_u64(part[4], 0, 7, &u) != 0)
			return link_fail(e, "bad streams[%d] pcp '%s' (0..7, or -)", i, part[4]);
		if (nvlan == 0)
			return link_fail(e, "bad streams[%d] pcp '%s': no vlan tag to carry it", i,
					 part[4]);
		st->pcp = (int8_t)u;
	}
	if (kv_u64(part[5], 0, 65535, &u) != 0)
		return link_fail(e, "bad streams[%d] ssid '%s' (0..65535)", i, part[5]);
	st->ssid = (uint16_t)u;
	return 0;
}

static int
decode_streams(struct kv *kv, struct mp_link_spec *s, struct link_err *e)
{
	const char *v = kv_get(kv, "streams");
	char buf[MP_LINK_TEXT_MAX], *save = NULL, *tok;
	int i, j;

	if (v == NULL)
		return 0;
	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, ";", &save); tok != NULL; tok = strtok_r(NULL, ";", &save)) {
		if (s->nstream >= MP_MAX_STREAMS)
			return link_fail(e, "bad streams: more than %d", MP_MAX_STREAMS);
		if (decode_stream(tok, &s->stream[s->nstream], s->nstream, s->encap.nvlan, e) != 0)
			return -EINVAL;
		s->nstream++;
	}
	if (s->nstream == 0)
		return link_fail(e, "bad streams '%s' (NAME/RATE/FRAME/DSCP/PCP/SSID;...)", v);
	for (i = 0; i < s->nstream; i++)
		for (j = 0; j < i; j++)
			if (strcmp(s->stream[i].name, s->stream[j].name) == 0 ||
			    s->stream[i].ssid == s->stream[j].ssid)
				return link_fail(e, "bad streams: streams[%d] and [%d] share a name "
						 "or an ssid", j, i);
	if ((unsigned)s->nstream * s->queues > MP_MAX_QUEUES)
		return link_fail(e, "bad streams: %u streams x %u queues is more than %d lanes",
				 s->nstream, s->queues, MP_MAX_QUEUES);
	return 0;
}

int
mp_link_decode(const char *text, int index, struct mp_link_spec *s, char *err, size_t errlen)
{
	struct link_err e = { .buf = err, .len = errlen };
	const char *why = NULL, *unused;
	struct kv kv;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	mp_link_defaults(s, index);
	if (text == NULL || kv_parse(&kv, text, &why) != 0)
		return link_fail(&e, "%s", why != NULL ? why : "no text");
	if (decode_name_port(&kv, s, &e) != 0 || decode_addrs(&kv, s, &e) != 0 ||
	    decode_rate_frame(&kv, s, &e) != 0 || decode_numbers(&kv, s, &e) != 0 ||
	    decode_streams(&kv, s, &e) != 0)
		return -EINVAL;
	/* a key asked for by no one is a typo (or one given twice) */
	unused = kv_unused(&kv);
	if (unused != NULL)
		return link_fail(&e, "unknown key '%s'", unused);
	return 0;
}
