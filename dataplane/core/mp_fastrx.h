/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The prober's receive fast path: is this frame a reflection of one of our
 * own probes, with good checksums and every STAMP field present? Instead of
 * walking the headers, one masked compare of the first 72 bytes against the
 * reply we expect (encapsulation, addresses, ports, protocol, no fragment),
 * two length checks, the checksums (unless the NIC verified them) and fixed
 * offset loads of the STAMP fields.
 *
 * Contract, checked by a differential unit test and fuzz target: when
 * rx_match_reply() returns true, the generic path (pkt_parse with checksum
 * verification, encap_matches, address and port checks, stamp_reply_decode)
 * accepts the frame too and decodes the same fields. When it returns false
 * the frame may still be valid (another lane's reply, ARP, IP options, a
 * short STAMP packet, a tag with another TPID): the caller then takes the
 * generic path, which says what the frame is.
 */
#ifndef MP_FASTRX_H
#define MP_FASTRX_H

#include <stdint.h>
#include <stdbool.h>
#include <string.h>

#include "mp_pkt.h"
#include "mp_stamp.h"

#define RX_MATCH_WORDS	9	/* 72 bytes: QinQ + IPv6 + UDP headers (unrolled below) */

struct rx_match {
	uint64_t want[RX_MATCH_WORDS];
	uint64_t mask[RX_MATCH_WORDS];
	uint16_t l3_off;	/* 14, 18 or 22 */
	uint16_t l4_off;
	uint16_t need_len;	/* headers + a whole unauthenticated STAMP reply */
	uint8_t family;
	uint64_t addr_sum;	/* native-order sum of the pseudo-header's addresses and protocol */
};

/*
 * Expect replies from remote:remote_port to local:local_port with the
 * encapsulation e (same TPIDs; VLAN IDs compared, PCP and DEI not).
 * Returns 0, or -EINVAL for mixed families or bad encapsulation.
 */
int rx_match_init(struct rx_match *mt, const struct pkt_encap *e,
		  const struct ip_addr *local, const struct ip_addr *remote,
		  uint16_t local_port, uint16_t remote_port);

/*
 * d[0..len) is a received frame. csum_verified: the NIC checked the IP
 * header and UDP checksums and found them good. On true *r holds the
 * reply's fields, as stamp_reply_decode() gives them.
 */
static inline __attribute__((always_inline)) bool
rx_match_reply(const struct rx_match *mt, const uint8_t *d, uint32_t len,
	       bool csum_verified, struct stamp_reply *r)
{
	const uint8_t *ip, *udp, *s;
	uint64_t diff = 0, w;
	uint32_t ulen;
	uint16_t ucsum, ulen_w;

	if (len < mt->need_len)
		return false;
	/* unrolled: nine independent loads, compares and ORs */
#define RX_WORD(i) do {						\
		memcpy(&w, d + 8 * (i), 8);				\
		diff |= (w ^ mt->want[i]) & mt->mask[i];		\
	} while (0)
	RX_WORD(0); RX_WORD(1); RX_WORD(2); RX_WORD(3); RX_WORD(4);
	RX_WORD(5); RX_WORD(6); RX_WORD(7); RX_WORD(8);
#undef RX_WORD
	if (diff != 0)
		return false;
	ip = d + mt->l3_off;
	udp = d + mt->l4_off;
	ulen = stamp_get16(udp + 4);
	if (mt->family == 4) {
		uint32_t ip_len = stamp_get16(ip + 2);

		if (ip_len > len - mt->l3_off || ulen + PKT_IPV4_HLEN != ip_len)
			return false;
	} else {
		uint32_t plen = stamp_get16(ip + 4);

		if (plen + PKT_IPV6_HLEN > len - mt->l3_off || ulen != plen)
			return false;
	}
	if (ulen < PKT_UDP_HLEN + STAMP_UNAUTH_LEN)
		return false;
	if (!csum_verified) {
		if (mt->family == 4 && csum_raw_fold(csum_raw(ip, PKT_IPV4_HLEN)) != 0xffff)
			return false;
		memcpy(&ucsum, udp + 6, 2);
		memcpy(&ulen_w, udp + 4, 2);
		/* no UDP checksum: fine over IPv4, the generic path says why not over IPv6 */
		if (ucsum == 0 ? mt->family == 6 :
		    csum_raw_fold(mt->addr_sum + ulen_w + csum_raw(udp, ulen)) != 0xffff)
			return false;
	}
	s = udp + PKT_UDP_HLEN;
	r->seq = stamp_get32(s + STAMP_OFF_SEQ);
	r->ts = stamp_get64(s + STAMP_OFF_TS);
	r->errest = stamp_get16(s + STAMP_OFF_ERREST);
	r->ssid = stamp_get16(s + STAMP_OFF_SSID);
	r->rx_ts = stamp_get64(s + STAMP_OFF_RX_TS);
	r->sender_seq = stamp_get32(s + STAMP_OFF_SENDER_SEQ);
	r->sender_ts = stamp_get64(s + STAMP_OFF_SENDER_TS);
	r->sender_errest = stamp_get16(s + STAMP_OFF_SENDER_ERREST);
	r->sender_ttl = s[STAMP_OFF_SENDER_TTL];
	r->len = STAMP_UNAUTH_LEN;
	r->have = STAMP_HAVE_TS | STAMP_HAVE_ERREST | STAMP_HAVE_SSID | STAMP_HAVE_RX_TS |
		  STAMP_HAVE_SENDER_SEQ | STAMP_HAVE_SENDER_TS | STAMP_HAVE_SENDER_ERREST |
		  STAMP_HAVE_SENDER_TTL;
	return true;
}

#endif
