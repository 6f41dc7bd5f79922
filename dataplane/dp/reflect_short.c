/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mp_stamp.h"
#include "reflect_short.h"

int
reflect_short_init(struct reflect_short *rs, uint64_t ticks_per_s)
{
	rs->lim = malloc(sizeof(*rs->lim));
	if (rs->lim == NULL)
		return -ENOMEM;
	if (srclimit_init(rs->lim, rs->rate, rs->burst, ticks_per_s) != 0) {
		free(rs->lim);
		rs->lim = NULL;
		return -EINVAL;
	}
	return 0;
}

void
reflect_short_free(struct reflect_short *rs)
{
	free(rs->lim);
	rs->lim = NULL;
}

static inline void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

enum mp_reason
reflect_short_pad(struct reflect_short *rs, struct rte_mbuf *m, struct pkt_info *pi,
		  uint64_t now_tsc)
{
	uint32_t plen = pi->lay.payload_len, end = pi->lay.payload_off + plen;
	uint32_t grow = STAMP_UNAUTH_LEN - plen;
	uint8_t *d;

	if (rs->refuse)
		return MP_R_WOULD_AMPLIFY;
	if (plen < STAMP_MIN_SENDER_LEN)
		return MP_R_SHORT_STAMP;
	if (!srclimit_take(rs->lim, &pi->src, now_tsc))
		return MP_R_RATE_LIMITED;
	if (m->nb_segs != 1 || rte_pktmbuf_data_len(m) < end)
		return MP_R_NO_ROOM;
	/* drop what follows the datagram (Ethernet padding), then grow */
	if (rte_pktmbuf_data_len(m) > end &&
	    rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_data_len(m) - end)) != 0)
		return MP_R_NO_ROOM;
	if (rte_pktmbuf_append(m, (uint16_t)grow) == NULL)
		return MP_R_NO_ROOM;
	d = rte_pktmbuf_mtod(m, uint8_t *);
	memset(d + end, 0, grow);
	if (pi->src.family == 4)
		put16(d + pi->lay.l3_off + 2,
		      (uint16_t)(pi->lay.payload_off - pi->lay.l3_off + STAMP_UNAUTH_LEN));
	else
		put16(d + pi->lay.l3_off + 4, (uint16_t)(pi->lay.payload_off - pi->lay.l3_off -
							 PKT_IPV6_HLEN + STAMP_UNAUTH_LEN));
	put16(d + pi->lay.l4_off + 4, PKT_UDP_HLEN + STAMP_UNAUTH_LEN);
	pi->lay.payload_len = STAMP_UNAUTH_LEN;
	pi->lay.frame_len = (uint16_t)rte_pktmbuf_data_len(m);
	rs->padded++;
	return MP_OK;
}
