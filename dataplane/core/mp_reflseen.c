/* SPDX-License-Identifier: BSD-3-Clause */
#include "mp_reflseen.h"

void
refl_seen_merge(struct refl_seen *dst, const struct refl_seen *src)
{
	if (src->replies == 0)
		return;
	if (dst->replies == 0 || src->bytes_min < dst->bytes_min)
		dst->bytes_min = src->bytes_min;
	if (src->bytes_max > dst->bytes_max)
		dst->bytes_max = src->bytes_max;
	dst->replies += src->replies;
	dst->ssid_echoed += src->ssid_echoed;
	dst->ssid_zero += src->ssid_zero;
	dst->stateful += src->stateful;
	dst->t2_eq_t3 += src->t2_eq_t3;
	dst->ptp += src->ptp;
	dst->no_sender_ttl += src->no_sender_ttl;
	dst->sender_ttl_zero += src->sender_ttl_zero;
	dst->trailer += src->trailer;
}

void
refl_usual_fold(struct refl_seen *f, struct refl_usual *u)
{
	if (u->n == 0)
		return;
	f->replies += u->n;
	if (u->ssid != 0)
		f->ssid_echoed += u->n;
	if (u->plen > STAMP_UNAUTH_LEN)
		f->trailer += u->n;
	if (f->bytes_min == 0 || u->plen < f->bytes_min)
		f->bytes_min = u->plen;
	if (u->plen > f->bytes_max)
		f->bytes_max = u->plen;
	u->n = 0;
}

void
refl_seen_note_slow(struct refl_seen *f, struct refl_usual *u, const struct stamp_reply *r,
		    uint32_t payload_len)
{
	/* a usual reply of another length: it becomes the usual length */
	if (refl_is_usual(r, u->ssid) && payload_len != 0) {
		refl_usual_fold(f, u);
		u->plen = payload_len;
		u->n = 1;
		return;
	}
	refl_seen_add(f, r, payload_len, u->ssid);
}
