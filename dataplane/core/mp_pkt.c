/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ethernet / 802.1Q / QinQ, IPv4 / IPv6, UDP framing, ARP and IPv6
 * neighbour discovery: builders for templates and slow-path replies, and
 * the parser every received frame goes through. Byte-wise big-endian
 * access throughout, so no alignment is assumed anywhere.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "mp_pkt.h"

#define PKT_ARP_LEN	28
#define PKT_FCS_LEN	4
#define PKT_ETH_MIN_NOFCS 60
#define TPID_9100	0x9100
#define IPPROTO_UDP_	17
#define IPPROTO_ICMP_	1
#define IPPROTO_IGMP_	2
#define IPPROTO_HOPOPTS_ 0
#define ICMP_UNREACH	3
#define ICMP_TIME_EXCEEDED 11
#define ICMP_PARAM_PROBLEM 12
#define ICMP6_UNREACH	1
#define ICMP6_TOO_BIG	2
#define ICMP6_TIME_EXCEEDED 3
#define ICMP6_PARAM_PROBLEM 4
#define ETHTYPE_LLDP	0x88cc
#define ETHTYPE_SLOW	0x8809	/* LACP, marker, OAM */
#define IPPROTO_ICMPV6_	58
#define IPPROTO_FRAG6_	44
#define ICMP6_ND_NS	135
#define ICMP6_ND_NA	136
#define ND_OPT_SLLA	1
#define ND_OPT_TLLA	2
#define ND_NA_FLAG_S	0x40
#define ND_NA_FLAG_O	0x20
#define ND_HDR_LEN	24
#define ND_OPT_LL_LEN	8

static inline uint16_t
pkt_get16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline void
pkt_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/*
 * csum_raw()'s native-order sum, folded, then swapped to network order: the
 * ones' complement sum commutes with byte swapping (RFC 1071 section 2(B)),
 * so this is exact for any alignment. Chunks summed by successive calls must
 * have even length, except the last.
 */
uint32_t
csum_add(uint32_t sum, const void *data, size_t len)
{
	uint16_t w16 = csum_raw_fold(csum_raw(data, (uint32_t)len));
	uint64_t acc;

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	w16 = (uint16_t)(w16 >> 8 | w16 << 8);
#endif
	acc = (uint64_t)sum + w16;
	acc = (acc & 0xffffffff) + (acc >> 32);
	return (uint32_t)acc;
}

uint16_t
csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Sum of the IPv4 or IPv6 pseudo-header of an upper-layer packet of l4_len bytes. */
static inline uint32_t
pkt_pseudo_sum(const uint8_t *ip, int family, uint8_t proto, uint32_t l4_len)
{
	if (family == 4)
		return csum_add(0, ip + 12, 8) + proto + l4_len;
	return csum_add(0, ip + 8, 32) + proto + (l4_len >> 16) + (l4_len & 0xffff);
}

static inline size_t
pkt_hdr_len(int family)
{
	return family == 4 ? PKT_IPV4_HLEN : PKT_IPV6_HLEN;
}

/* A tag's TPID; 0 means the usual one for its place (802.1ad outer, 802.1Q inner). */
static inline uint16_t
pkt_tpid(const struct pkt_encap *e, unsigned i)
{
	if (e->vlan[i].tpid != 0)
		return e->vlan[i].tpid;
	return (e->nvlan == 2 && i == 0) ? TPID_8021AD : TPID_8021Q;
}

static inline size_t
pkt_l2_len(const struct pkt_encap *e)
{
	return PKT_ETH_HLEN + (e == NULL ? 0 : (size_t)e->nvlan * PKT_VLAN_HLEN);
}

/* Ethernet header and tags; returns the L3 offset. */
static size_t
pkt_put_eth(uint8_t *buf, const uint8_t dst[ETH_ALEN_], const uint8_t src[ETH_ALEN_],
	    const struct pkt_encap *e, uint16_t ethertype)
{
	size_t off = 2 * ETH_ALEN_;
	unsigned i;

	memcpy(buf, dst, ETH_ALEN_);
	memcpy(buf + ETH_ALEN_, src, ETH_ALEN_);
	for (i = 0; e != NULL && i < e->nvlan; i++) {
		pkt_put16(buf + off, pkt_tpid(e, i));
		pkt_put16(buf + off + 2, e->vlan[i].tci);
		off += PKT_VLAN_HLEN;
	}
	pkt_put16(buf + off, ethertype);
	return off + 2;
}

/* IPv6 fixed header: traffic class, flow label 0. */
static void
pkt_put_ip6(uint8_t *ip, uint8_t tclass, uint16_t plen, uint8_t nh, uint8_t hlim,
	    const uint8_t src[16], const uint8_t dst[16])
{
	ip[0] = (uint8_t)(0x60 | tclass >> 4);
	ip[1] = (uint8_t)(tclass << 4);
	ip[2] = 0;
	ip[3] = 0;
	pkt_put16(ip + 4, plen);
	ip[6] = nh;
	ip[7] = hlim;
	memcpy(ip + 8, src, 16);
	memcpy(ip + 24, dst, 16);
}

uint32_t
pkt_min_frame_size(const struct pkt_encap *e, int family, uint32_t payload_len)
{
	uint64_t n;

	if ((family != 4 && family != 6) || (e != NULL && e->nvlan > PKT_MAX_VLANS))
		return 0;
	n = pkt_l2_len(e) + pkt_hdr_len(family) + PKT_UDP_HLEN + (uint64_t)payload_len +
		PKT_FCS_LEN;
	if (n > UINT32_MAX)
		return 0;
	return n < PKT_MIN_FRAME ? PKT_MIN_FRAME : (uint32_t)n;
}

int
pkt_build_udp(uint8_t *buf, size_t cap, const struct pkt_flow *f,
	      const uint8_t *payload, uint32_t payload_len,
	      uint32_t frame_size, struct pkt_layout *lay)
{
	size_t len, l3, l4, udp_len;
	uint32_t min, sum;
	uint16_t csum;
	uint8_t *ip, *udp;
	int family;

	if (buf == NULL || f == NULL || (payload == NULL && payload_len != 0))
		return -EINVAL;
	family = f->src.family;
	if (f->dst.family != family || f->dscp > 63)
		return -EINVAL;
	min = pkt_min_frame_size(&f->encap, family, payload_len);
	if (min == 0 || frame_size < min || frame_size > PKT_MAX_FRAME + 8 ||
	    cap < frame_size - PKT_FCS_LEN)
		return -EINVAL;
	len = frame_size - PKT_FCS_LEN;
	l3 = pkt_put_eth(buf, f->dst_mac, f->src_mac, &f->encap,
			 family == 4 ? ETHTYPE_IPV4 : ETHTYPE_IPV6);
	ip = buf + l3;
	l4 = l3 + pkt_hdr_len(family);
	udp = buf + l4;
	udp_len = len - l4;
	if (family == 4) {
		ip[0] = 0x45;
		ip[1] = (uint8_t)(f->dscp << 2);
		pkt_put16(ip + 2, (uint16_t)(len - l3));
		pkt_put16(ip + 4, 0);		/* ID: DF is set, never fragmented */
		pkt_put16(ip + 6, 0x4000);	/* DF */
		ip[8] = f->ttl;
		ip[9] = IPPROTO_UDP_;
		pkt_put16(ip + 10, 0);
		memcpy(ip + 12, f->src.b, 4);
		memcpy(ip + 16, f->dst.b, 4);
		pkt_put16(ip + 10, csum_fold(csum_add(0, ip, PKT_IPV4_HLEN)));
	} else {
		pkt_put_ip6(ip, (uint8_t)(f->dscp << 2), (uint16_t)udp_len, IPPROTO_UDP_,
			    f->ttl, f->src.b, f->dst.b);
	}
	pkt_put16(udp, f->sport);
	pkt_put16(udp + 2, f->dport);
	pkt_put16(udp + 4, (uint16_t)udp_len);
	pkt_put16(udp + 6, 0);
	if (payload_len != 0)
		memcpy(udp + PKT_UDP_HLEN, payload, payload_len);
	memset(udp + PKT_UDP_HLEN + payload_len, 0, udp_len - PKT_UDP_HLEN - payload_len);
	sum = pkt_pseudo_sum(ip, family, IPPROTO_UDP_, (uint32_t)udp_len);
	csum = csum_fold(csum_add(sum, udp, udp_len));
	pkt_put16(udp + 6, csum == 0 ? 0xffff : csum);
	if (lay != NULL) {
		lay->l3_off = (uint16_t)l3;
		lay->l4_off = (uint16_t)l4;
		lay->payload_off = (uint16_t)(l4 + PKT_UDP_HLEN);
		lay->payload_len = (uint16_t)(udp_len - PKT_UDP_HLEN);
		lay->frame_len = (uint16_t)len;
		lay->udp_csum_off = (uint16_t)(l4 + 6);
	}
	return (int)len;
}

/* ARP for IPv4 over Ethernet only: the one kind a peering VLAN carries. */
static enum mp_reason
pkt_parse_arp(const uint8_t *a, size_t avail, struct pkt_info *pi)
{
	uint16_t op;

	if (avail < PKT_ARP_LEN)
		return MP_R_TRUNCATED;
	op = pkt_get16(a + 6);
	if (pkt_get16(a) != 1 || pkt_get16(a + 2) != ETHTYPE_IPV4 || a[4] != ETH_ALEN_ ||
	    a[5] != 4 || (op != 1 && op != 2))
		return MP_R_BAD_ARP;
	pi->kind = PKT_KIND_ARP;
	pi->arp.op = op;
	memcpy(pi->arp.sha, a + 8, ETH_ALEN_);
	memcpy(pi->arp.spa, a + 14, 4);
	memcpy(pi->arp.tha, a + 18, ETH_ALEN_);
	memcpy(pi->arp.tpa, a + 24, 4);
	pi->lay.payload_off = pi->lay.l3_off;
	pi->lay.payload_len = PKT_ARP_LEN;
	return MP_OK;
}

/* An ICMP(v6) error's kind by type and code (RFC 792, RFC 1812, RFC 4443). */
static int
pkt_icmp_err_kind(int family, uint8_t type, uint8_t code)
{
	if (family == 4) {
		switch (type) {
		case ICMP_UNREACH:
			switch (code) {
			case 3:
				return MP_ICMP_REFLECTOR_UNREACHABLE;
			case 0: case 1: case 6: case 7:
				return MP_ICMP_HOST_UNREACHABLE;
			case 4:
				return MP_ICMP_TOO_BIG;
			case 9: case 10: case 13:
				return MP_ICMP_PROHIBITED;
			default:
				return MP_ICMP_OTHER_ERROR;
			}
		case ICMP_TIME_EXCEEDED:
			return MP_ICMP_TTL_EXCEEDED;
		case ICMP_PARAM_PROBLEM:
			return MP_ICMP_OTHER_ERROR;
		default:
			return -1;
		}
	}
	switch (type) {
	case ICMP6_UNREACH:
		switch (code) {
		case 4:
			return MP_ICMP_REFLECTOR_UNREACHABLE;
		case 0: case 3:
			return MP_ICMP_HOST_UNREACHABLE;
		case 1: case 5: case 6:
			return MP_ICMP_PROHIBITED;
		default:
			return MP_ICMP_OTHER_ERROR;
		}
	case ICMP6_TOO_BIG:
		return MP_ICMP_TOO_BIG;
	case ICMP6_TIME_EXCEEDED:
		return MP_ICMP_TTL_EXCEEDED;
	case ICMP6_PARAM_PROBLEM:
		return MP_ICMP_OTHER_ERROR;
	default:
		return -1;
	}
}

/*
 * An ICMP(v6) error (its 8-byte header at icmp, ilen bytes in all): the
 * packet it quotes must be a UDP one, with its IP header and at least the
 * UDP ports (IPv4 routers quote 8 bytes of it). Fills pi->icmp.
 */
static enum mp_reason
pkt_parse_icmp_error(int family, const uint8_t *icmp, size_t ilen, int err, struct pkt_info *pi)
{
	const uint8_t *q = icmp + 8;
	size_t qlen = ilen - 8, qhl;

	memset(&pi->icmp, 0, sizeof(pi->icmp));
	pi->icmp.type = icmp[0];
	pi->icmp.code = icmp[1];
	pi->icmp.err = (uint8_t)err;
	if (family == 4) {
		if (qlen < PKT_IPV4_HLEN || (q[0] & 0xf0) != 0x40)
			return MP_R_BAD_ICMP;
		qhl = (size_t)(q[0] & 0x0f) * 4;
		if (qhl < PKT_IPV4_HLEN || qlen < qhl + 4)
			return MP_R_BAD_ICMP;
		if (q[9] != IPPROTO_UDP_)
			return MP_R_ICMP_FOREIGN;
		pi->icmp.qsrc.family = pi->icmp.qdst.family = 4;
		pi->icmp.qipid = pkt_get16(q + 4);
		memcpy(pi->icmp.qsrc.b, q + 12, 4);
		memcpy(pi->icmp.qdst.b, q + 16, 4);
	} else {
		if (qlen < PKT_IPV6_HLEN || (q[0] & 0xf0) != 0x60)
			return MP_R_BAD_ICMP;
		qhl = PKT_IPV6_HLEN;
		if (qlen < qhl + 4)
			return MP_R_BAD_ICMP;
		if (q[6] != IPPROTO_UDP_)
			return MP_R_ICMP_FOREIGN;
		pi->icmp.qsrc.family = pi->icmp.qdst.family = 6;
		memcpy(pi->icmp.qsrc.b, q + 8, 16);
		memcpy(pi->icmp.qdst.b, q + 24, 16);
	}
	pi->icmp.qsport = pkt_get16(q + qhl);
	pi->icmp.qdport = pkt_get16(q + qhl + 2);
	if (qlen >= qhl + PKT_UDP_HLEN) {
		pi->icmp.qhave |= PKT_Q_UDP_HDR;
		pi->icmp.qulen = pkt_get16(q + qhl + 4);
		pi->icmp.qucsum = pkt_get16(q + qhl + 6);
	}
	if (qlen >= qhl + PKT_UDP_HLEN + 4) {
		pi->icmp.qhave |= PKT_Q_STAMP_SEQ;
		pi->icmp.qseq = (uint32_t)pkt_get16(q + qhl + 8) << 16 | pkt_get16(q + qhl + 10);
	}
	pi->kind = PKT_KIND_ICMP_ERROR;
	return MP_OK;
}

int
pkt_ignored_kind(const struct pkt_info *pi)
{
	switch (pi->kind) {
	case PKT_KIND_ARP:
		return MP_IGN_ARP;
	case PKT_KIND_ND_NS:
	case PKT_KIND_ND_NA:
		return MP_IGN_ND;
	case PKT_KIND_ICMP6_OTHER:
		switch (pi->icmp.type) {
		case 130: case 131: case 132: case 143:
			return MP_IGN_MLD;
		case 133: case 134: case 137:
			return MP_IGN_ND;
		default:
			return MP_IGN_ICMP;
		}
	case PKT_KIND_ICMP_OTHER:
		return MP_IGN_ICMP;
	case PKT_KIND_L2_CONTROL:
		return pi->ignored;
	default:
		return -1;
	}
}

/*
 * ICMPv6: neighbour solicitations and advertisements are validated as
 * RFC 4861 sections 7.1.1/7.1.2 ask (hop limit 255, code 0, length,
 * checksum, option lengths); other types are passed up unchecked.
 */
static enum mp_reason
pkt_parse_icmp6(const uint8_t *ip, const uint8_t *icmp, size_t ilen, struct pkt_info *pi)
{
	uint8_t type, want_opt;
	size_t off;

	if (ilen < 4)
		return MP_R_TRUNCATED;
	type = icmp[0];
	if (type < 128 && ilen >= 8) {
		int err = pkt_icmp_err_kind(6, type, icmp[1]);

		if (err >= 0) {
			if (csum_fold(csum_add(pkt_pseudo_sum(ip, 6, IPPROTO_ICMPV6_,
							      (uint32_t)ilen), icmp, ilen)) != 0)
				return MP_R_BAD_ICMP;
			return pkt_parse_icmp_error(6, icmp, ilen, err, pi);
		}
	}
	if (type != ICMP6_ND_NS && type != ICMP6_ND_NA) {
		pi->kind = PKT_KIND_ICMP6_OTHER;
		memset(&pi->icmp, 0, sizeof(pi->icmp));
		pi->icmp.type = type;
		pi->icmp.code = icmp[1];
		return MP_OK;
	}
	if (ip[7] != 255 || icmp[1] != 0 || ilen < ND_HDR_LEN)
		return MP_R_BAD_ND;
	if (csum_fold(csum_add(pkt_pseudo_sum(ip, 6, IPPROTO_ICMPV6_, (uint32_t)ilen),
			       icmp, ilen)) != 0)
		return MP_R_BAD_ND;
	if (icmp[8] == 0xff)		/* multicast target */
		return MP_R_BAD_ND;
	memset(&pi->nd, 0, sizeof(pi->nd));
	memcpy(pi->nd.target, icmp + 8, 16);
	if (type == ICMP6_ND_NA) {
		pi->kind = PKT_KIND_ND_NA;
		pi->nd.flags = icmp[4] & 0xe0;
		want_opt = ND_OPT_TLLA;
	} else {
		pi->kind = PKT_KIND_ND_NS;
		want_opt = ND_OPT_SLLA;
	}
	for (off = ND_HDR_LEN; off < ilen; ) {
		size_t olen;

		if (ilen - off < 2)
			return MP_R_BAD_ND;
		olen = (size_t)icmp[off + 1] * 8;
		if (olen == 0 || olen > ilen - off)
			return MP_R_BAD_ND;
		if (icmp[off] == want_opt && olen >= ND_OPT_LL_LEN) {
			memcpy(pi->nd.lladdr, icmp + off + 2, ETH_ALEN_);
			pi->nd.has_lladdr = true;
		}
		off += olen;
	}
	return MP_OK;
}

/*
 * One pass, front to back, each length checked before the bytes it covers
 * are read. Runs on every received frame: no loops but the tag walk, no
 * division, checksums only when asked.
 */
enum mp_reason
pkt_parse(const uint8_t *frame, size_t len, unsigned flags, struct pkt_info *pi)
{
	const uint8_t *ip, *udp;
	size_t off, avail, ip_len, l4_len, hl, ulen;
	uint16_t et, ucsum;
	uint8_t proto;
	int family;

	memset(pi, 0, offsetof(struct pkt_info, arp));
	if (len < PKT_ETH_HLEN)
		return MP_R_TRUNCATED;
	memcpy(pi->dst_mac, frame, ETH_ALEN_);
	memcpy(pi->src_mac, frame + ETH_ALEN_, ETH_ALEN_);
	off = 2 * ETH_ALEN_;
	et = pkt_get16(frame + off);
	while (et == TPID_8021Q || et == TPID_8021AD ||
	       (et == TPID_9100 && pi->encap.nvlan == 0)) {
		if (pi->encap.nvlan == PKT_MAX_VLANS)
			return MP_R_VLAN_MISMATCH;
		if (len - off < 2 + PKT_VLAN_HLEN)
			return MP_R_TRUNCATED;
		pi->encap.vlan[pi->encap.nvlan].tpid = et;
		pi->encap.vlan[pi->encap.nvlan].tci = pkt_get16(frame + off + 2);
		pi->encap.nvlan++;
		off += PKT_VLAN_HLEN;
		et = pkt_get16(frame + off);
	}
	off += 2;
	pi->ethertype = et;
	pi->lay.l3_off = (uint16_t)off;
	pi->lay.frame_len = (uint16_t)(len > UINT16_MAX ? UINT16_MAX : len);
	ip = frame + off;
	avail = len - off;

	if (et == ETHTYPE_IPV4) {
		if (avail < PKT_IPV4_HLEN)
			return MP_R_TRUNCATED;
		hl = (size_t)(ip[0] & 0x0f) * 4;
		if ((ip[0] & 0xf0) != 0x40 || hl < PKT_IPV4_HLEN)
			return MP_R_BAD_IP_HEADER;
		ip_len = pkt_get16(ip + 2);
		if (ip_len > avail)
			return MP_R_TRUNCATED;
		if (ip_len < hl)
			return MP_R_BAD_IP_HEADER;
		if ((flags & PKT_VERIFY_CSUM) && csum_fold(csum_add(0, ip, hl)) != 0)
			return MP_R_BAD_IP_CHECKSUM;
		if (pkt_get16(ip + 6) & 0x3fff)	/* MF or fragment offset */
			return MP_R_IP_FRAGMENT;
		family = 4;
		proto = ip[9];
		pi->ttl = ip[8];
		pi->tos = ip[1];
		pi->src.family = 4;
		pi->dst.family = 4;
		memcpy(pi->src.b, ip + 12, 4);
		memcpy(pi->dst.b, ip + 16, 4);
	} else if (et == ETHTYPE_IPV6) {
		if (avail < PKT_IPV6_HLEN)
			return MP_R_TRUNCATED;
		if ((ip[0] & 0xf0) != 0x60)
			return MP_R_BAD_IP_HEADER;
		hl = PKT_IPV6_HLEN;
		ip_len = PKT_IPV6_HLEN + (size_t)pkt_get16(ip + 4);
		if (ip_len > avail)
			return MP_R_TRUNCATED;
		family = 6;
		proto = ip[6];
		pi->ttl = ip[7];
		pi->tos = (uint8_t)(ip[0] << 4 | ip[1] >> 4);
		pi->src.family = 6;
		pi->dst.family = 6;
		memcpy(pi->src.b, ip + 8, 16);
		memcpy(pi->dst.b, ip + 24, 16);
	} else if (et == ETHTYPE_ARP) {
		return pkt_parse_arp(ip, avail, pi);
	} else if (et < 0x0600 || et == ETHTYPE_LLDP || et == ETHTYPE_SLOW) {
		/* link control traffic: a length (802.3 LLC: STP, CDP), LLDP, LACP */
		pi->kind = PKT_KIND_L2_CONTROL;
		pi->ignored = et < 0x0600 ? MP_IGN_STP : et == ETHTYPE_LLDP ? MP_IGN_LLDP : MP_IGN_LACP;
		return MP_OK;
	} else {
		return MP_R_NOT_IP;
	}

	/*
	 * IPv6 hop-by-hop options (MLD reports carry a router alert in one):
	 * step over them to the upper layer. No other extension header is.
	 */
	if (family == 6 && proto == IPPROTO_HOPOPTS_) {
		size_t el;

		if (ip_len - hl < 8)
			return MP_R_BAD_IP_HEADER;
		el = ((size_t)ip[hl + 1] + 1) * 8;
		if (ip_len - hl < el)
			return MP_R_BAD_IP_HEADER;
		proto = ip[hl];
		hl += el;
	}
	pi->lay.l4_off = (uint16_t)(off + hl);
	l4_len = ip_len - hl;
	udp = ip + hl;
	if (proto != IPPROTO_UDP_) {
		if (family == 6 && proto == IPPROTO_ICMPV6_) {
			pi->lay.payload_off = pi->lay.l4_off;
			pi->lay.payload_len = (uint16_t)l4_len;
			return pkt_parse_icmp6(ip, udp, l4_len, pi);
		}
		if (family == 4 && proto == IPPROTO_IGMP_) {
			/* multicast group membership: ordinary link traffic */
			pi->kind = PKT_KIND_L2_CONTROL;
			pi->ignored = MP_IGN_IGMP;
			return MP_OK;
		}
		if (family == 4 && proto == IPPROTO_ICMP_) {
			int err;

			pi->lay.payload_off = pi->lay.l4_off;
			pi->lay.payload_len = (uint16_t)l4_len;
			if (l4_len < 8)
				return MP_R_TRUNCATED;
			err = pkt_icmp_err_kind(4, udp[0], udp[1]);
			if (err < 0) {
				pi->kind = PKT_KIND_ICMP_OTHER;
				return MP_OK;
			}
			if ((flags & PKT_VERIFY_CSUM) && csum_fold(csum_add(0, udp, l4_len)) != 0)
				return MP_R_BAD_ICMP;
			return pkt_parse_icmp_error(4, udp, l4_len, err, pi);
		}
		return family == 6 && proto == IPPROTO_FRAG6_ ? MP_R_IP_FRAGMENT : MP_R_NOT_UDP;
	}
	if (l4_len < PKT_UDP_HLEN)
		return MP_R_BAD_IP_HEADER;
	ulen = pkt_get16(udp + 4);
	if (ulen != l4_len)
		return MP_R_BAD_UDP_LENGTH;
	if (flags & PKT_VERIFY_CSUM) {
		ucsum = pkt_get16(udp + 6);
		if (ucsum == 0) {
			if (family == 6)
				return MP_R_BAD_UDP_CHECKSUM;
		} else if (csum_fold(csum_add(pkt_pseudo_sum(ip, family, IPPROTO_UDP_,
							     (uint32_t)ulen),
					      udp, ulen)) != 0) {
			return MP_R_BAD_UDP_CHECKSUM;
		}
	}
	pi->kind = PKT_KIND_UDP;
	pi->sport = pkt_get16(udp);
	pi->dport = pkt_get16(udp + 2);
	pi->lay.payload_off = (uint16_t)(pi->lay.l4_off + PKT_UDP_HLEN);
	pi->lay.payload_len = (uint16_t)(ulen - PKT_UDP_HLEN);
	pi->lay.udp_csum_off = (uint16_t)(pi->lay.l4_off + 6);
	return MP_OK;
}

int
pkt_build_arp(uint8_t *buf, size_t cap, const struct pkt_encap *e,
	      uint16_t op, const uint8_t src_mac[ETH_ALEN_],
	      const uint8_t dst_mac[ETH_ALEN_], const uint8_t sha[ETH_ALEN_],
	      const uint8_t spa[4], const uint8_t tha[ETH_ALEN_],
	      const uint8_t tpa[4])
{
	static const uint8_t bcast[ETH_ALEN_] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[ETH_ALEN_];
	size_t off, len;
	uint8_t *a;

	if (buf == NULL || src_mac == NULL || sha == NULL || spa == NULL || tpa == NULL ||
	    (op != 1 && op != 2) || (e != NULL && e->nvlan > PKT_MAX_VLANS))
		return -EINVAL;
	/* A request goes to broadcast and asks for an unknown tha by default. */
	if (dst_mac == NULL)
		dst_mac = op == 1 ? bcast : NULL;
	if (tha == NULL)
		tha = op == 1 ? zero : NULL;
	if (dst_mac == NULL || tha == NULL)
		return -EINVAL;
	len = pkt_l2_len(e) + PKT_ARP_LEN;
	if (len < PKT_ETH_MIN_NOFCS)
		len = PKT_ETH_MIN_NOFCS;
	if (cap < len)
		return -EINVAL;
	off = pkt_put_eth(buf, dst_mac, src_mac, e, ETHTYPE_ARP);
	a = buf + off;
	pkt_put16(a, 1);
	pkt_put16(a + 2, ETHTYPE_IPV4);
	a[4] = ETH_ALEN_;
	a[5] = 4;
	pkt_put16(a + 6, op);
	memcpy(a + 8, sha, ETH_ALEN_);
	memcpy(a + 14, spa, 4);
	memcpy(a + 18, tha, ETH_ALEN_);
	memcpy(a + 24, tpa, 4);
	memset(a + PKT_ARP_LEN, 0, len - off - PKT_ARP_LEN);
	return (int)len;
}

void
pkt_solicited_node(const uint8_t target[16], uint8_t ip[16], uint8_t mac[ETH_ALEN_])
{
	static const uint8_t prefix[13] = {
		0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff
	};
	uint8_t low[3] = { target[13], target[14], target[15] };

	if (ip != NULL) {
		memcpy(ip, prefix, sizeof(prefix));
		memcpy(ip + 13, low, 3);
	}
	if (mac != NULL) {
		mac[0] = 0x33;
		mac[1] = 0x33;
		mac[2] = 0xff;
		memcpy(mac + 3, low, 3);
	}
}

/*
 * NS: to the solicited-node group, with our link-layer address unless the
 * source is unspecified (DAD, RFC 4861 section 7.2.2 forbids it there).
 * NA: to dst, with our link-layer address as the target option; S is
 * cleared when dst is multicast (section 7.2.4: an unsolicited advert).
 */
int
pkt_build_nd(uint8_t *buf, size_t cap, const struct pkt_encap *e,
	     bool advert, const uint8_t src_mac[ETH_ALEN_],
	     const uint8_t src_ip[16], const uint8_t dst_mac[ETH_ALEN_],
	     const uint8_t dst_ip[16], const uint8_t target[16])
{
	static const uint8_t unspec[16];
	uint8_t mcast_ip[16], mcast_mac[ETH_ALEN_];
	size_t off, ilen, len;
	uint8_t *ip, *icmp;
	bool with_opt = true;

	if (buf == NULL || src_mac == NULL || src_ip == NULL || target == NULL ||
	    (e != NULL && e->nvlan > PKT_MAX_VLANS))
		return -EINVAL;
	if (advert) {
		if (dst_mac == NULL || dst_ip == NULL)
			return -EINVAL;
	} else {
		pkt_solicited_node(target, mcast_ip, mcast_mac);
		dst_ip = mcast_ip;
		dst_mac = mcast_mac;
		with_opt = memcmp(src_ip, unspec, 16) != 0;
	}
	ilen = ND_HDR_LEN + (with_opt ? ND_OPT_LL_LEN : 0);
	len = pkt_l2_len(e) + PKT_IPV6_HLEN + ilen;
	if (cap < len)
		return -EINVAL;
	off = pkt_put_eth(buf, dst_mac, src_mac, e, ETHTYPE_IPV6);
	ip = buf + off;
	pkt_put_ip6(ip, 0, (uint16_t)ilen, IPPROTO_ICMPV6_, 255, src_ip, dst_ip);
	icmp = ip + PKT_IPV6_HLEN;
	icmp[0] = advert ? ICMP6_ND_NA : ICMP6_ND_NS;
	icmp[1] = 0;
	pkt_put16(icmp + 2, 0);
	icmp[4] = advert ? (uint8_t)(ND_NA_FLAG_O | (dst_ip[0] == 0xff ? 0 : ND_NA_FLAG_S)) : 0;
	icmp[5] = 0;
	icmp[6] = 0;
	icmp[7] = 0;
	memcpy(icmp + 8, target, 16);
	if (with_opt) {
		icmp[24] = advert ? ND_OPT_TLLA : ND_OPT_SLLA;
		icmp[25] = 1;
		memcpy(icmp + 26, src_mac, ETH_ALEN_);
	}
	pkt_put16(icmp + 2, csum_fold(csum_add(pkt_pseudo_sum(ip, 6, IPPROTO_ICMPV6_,
								(uint32_t)ilen),
					       icmp, ilen)));
	return (int)len;	/* >= 78 bytes: never needs Ethernet padding */
}

/* Prefix length: decimal digits only, no sign, no spaces, 0..max. */
static int
pkt_parse_plen(const char *s, int max, int *plen)
{
	int v = 0;

	if (*s == '\0' || strlen(s) > 3)
		return -EINVAL;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (*s - '0');
	}
	if (v > max)
		return -EINVAL;
	*plen = v;
	return 0;
}

int
ip_addr_parse(const char *s, struct ip_addr *a, int *plen)
{
	char tmp[INET6_ADDRSTRLEN + 8];
	struct ip_addr out;
	const char *slash;
	size_t alen;
	int p, max;

	if (s == NULL || a == NULL)
		return -EINVAL;
	slash = strchr(s, '/');
	alen = slash != NULL ? (size_t)(slash - s) : strlen(s);
	if (alen == 0 || alen >= sizeof(tmp) || (slash != NULL && plen == NULL))
		return -EINVAL;
	memcpy(tmp, s, alen);
	tmp[alen] = '\0';
	memset(&out, 0, sizeof(out));
	if (memchr(tmp, ':', alen) != NULL) {
		if (inet_pton(AF_INET6, tmp, out.b) != 1)
			return -EINVAL;
		out.family = 6;
		max = 128;
	} else {
		if (inet_pton(AF_INET, tmp, out.b) != 1)
			return -EINVAL;
		out.family = 4;
		max = 32;
	}
	p = max;
	if (slash != NULL && pkt_parse_plen(slash + 1, max, &p) != 0)
		return -EINVAL;
	if (plen != NULL)
		*plen = p;
	*a = out;
	return 0;
}

int
ip_addr_format(const struct ip_addr *a, char *buf, size_t len)
{
	if (a == NULL || buf == NULL || (a->family != 4 && a->family != 6))
		return -EINVAL;
	if (inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->b, buf, (socklen_t)len) == NULL)
		return -ENOSPC;
	return 0;
}


bool
ip_addr_same_prefix(const struct ip_addr *a, const struct ip_addr *b, int plen)
{
	int max, full, rest;

	if (a->family != b->family || (a->family != 4 && a->family != 6))
		return false;
	max = a->family == 4 ? 32 : 128;
	if (plen < 0 || plen > max)
		return false;
	full = plen / 8;
	rest = plen % 8;
	if (memcmp(a->b, b->b, (size_t)full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a->b[full] ^ b->b[full]) & (uint8_t)(0xff00 >> rest)) == 0;
}

static int
pkt_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly six two-digit hex groups, all separated by ':' or all by '-'. */
int
mac_parse(const char *s, uint8_t mac[ETH_ALEN_])
{
	uint8_t out[ETH_ALEN_];
	char sep;
	int i, hi, lo;

	if (s == NULL || mac == NULL || strlen(s) != 17)
		return -EINVAL;
	sep = s[2];
	if (sep != ':' && sep != '-')
		return -EINVAL;
	for (i = 0; i < ETH_ALEN_; i++) {
		const char *g = s + 3 * i;

		hi = pkt_hexval(g[0]);
		lo = pkt_hexval(g[1]);
		if (hi < 0 || lo < 0 || (i < ETH_ALEN_ - 1 && g[2] != sep))
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(mac, out, ETH_ALEN_);
	return 0;
}

int
mac_format(const uint8_t mac[ETH_ALEN_], char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	int i;

	if (mac == NULL || buf == NULL)
		return -EINVAL;
	if (len < 18)
		return -ENOSPC;
	for (i = 0; i < ETH_ALEN_; i++) {
		buf[3 * i] = hex[mac[i] >> 4];
		buf[3 * i + 1] = hex[mac[i] & 0xf];
		buf[3 * i + 2] = i == ETH_ALEN_ - 1 ? '\0' : ':';
	}
	return 0;
}
