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
