/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include "mp_fastrx.h"

/* Set mask bytes [off, off + n) to the byte m. */
static void
mask_set(uint8_t *mask, size_t off, size_t n, uint8_t m)
{
	memset(mask + off, m, n);
}

int
rx_match_init(struct rx_match *mt, const struct pkt_encap *e,
	      const struct ip_addr *local, const struct ip_addr *remote,
	      uint16_t local_port, uint16_t remote_port)
{
	uint8_t frame[256], mask[8 * RX_MATCH_WORDS];
	uint8_t payload[STAMP_UNAUTH_LEN];
	static const uint8_t proto[2] = { 0, 17 };
	struct pkt_flow f;
	struct pkt_layout lay;
	uint16_t w;
	size_t off, i, hl;
	int len;

	if (mt == NULL || e == NULL || local == NULL || remote == NULL ||
	    local->family != remote->family || (local->family != 4 && local->family != 6) ||
	    e->nvlan > PKT_MAX_VLANS)
		return -EINVAL;
	memset(mt, 0, sizeof(*mt));
	memset(&f, 0, sizeof(f));
	memset(payload, 0, sizeof(payload));
	f.encap = *e;
	f.src = *remote;
	f.dst = *local;
	f.sport = remote_port;
	f.dport = local_port;
	f.ttl = 255;
	len = pkt_build_udp(frame, sizeof(frame), &f, payload, sizeof(payload),
			    pkt_min_frame_size(e, local->family, STAMP_UNAUTH_LEN), &lay);
	if (len < 0)
		return -EINVAL;
	memset(mask, 0, sizeof(mask));
	/* MACs: not compared (the generic path does not either). Tags: TPID and VID. */
	off = 2 * ETH_ALEN_;
	for (i = 0; i < e->nvlan; i++) {
		mask_set(mask, off, 2, 0xff);
		mask[off + 2] = 0x0f;
		mask[off + 3] = 0xff;
		off += 4;
	}
	mask_set(mask, off, 2, 0xff);		/* ethertype */
	off += 2;
	if (off != lay.l3_off)
		return -EINVAL;
	if (local->family == 4) {
		hl = PKT_IPV4_HLEN;
		mask[off] = 0xff;		/* version 4, IHL 5: no options */
		mask[off + 6] = 0x3f;		/* MF and fragment offset zero */
		mask[off + 7] = 0xff;
		mask[off + 9] = 0xff;		/* UDP */
		mask_set(mask, off + 12, 8, 0xff);	/* addresses */
	} else {
		hl = PKT_IPV6_HLEN;
		mask[off] = 0xf0;		/* version 6 */
		mask[off + 6] = 0xff;		/* next header UDP: no extension headers */
		mask_set(mask, off + 8, 32, 0xff);
	}
	mask_set(mask, off + hl, 4, 0xff);	/* UDP ports */
	if (off + hl + PKT_UDP_HLEN > sizeof(mask))
		return -EINVAL;
	memcpy(mt->want, frame, sizeof(mt->want));
	memcpy(mt->mask, mask, sizeof(mt->mask));
	for (i = 0; i < RX_MATCH_WORDS; i++)
		mt->want[i] &= mt->mask[i];
	mt->l3_off = (uint16_t)off;
	mt->l4_off = (uint16_t)(off + hl);
	mt->need_len = (uint16_t)(off + hl + PKT_UDP_HLEN + STAMP_UNAUTH_LEN);
	if (mt->need_len < sizeof(mask))
		return -EINVAL;	/* cannot happen: 14 + 20 + 8 + 44 = 86 > 72 */
	mt->family = local->family;
	/* pseudo-header: both addresses as they sit in the frame, and the protocol */
	mt->addr_sum = csum_raw(frame + off + (local->family == 4 ? 12 : 8),
				local->family == 4 ? 8 : 32);
	memcpy(&w, proto, 2);
	mt->addr_sum += w;
	return 0;
}
