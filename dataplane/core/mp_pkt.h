/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ethernet II / 802.1Q / QinQ, IPv4 / IPv6, UDP framing of STAMP packets,
 * and the ARP / IPv6 neighbour discovery frames a port needs to live on a
 * peering VLAN. Pure functions over byte buffers: no I/O, no allocation.
 *
 * Frame sizes given to these functions include the 4-byte FCS, which the
 * NIC appends: the buffer written is frame_size - 4 bytes long.
 */
#ifndef MP_PKT_H
#define MP_PKT_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>

#include "mp_reason.h"

#define PKT_MAX_VLANS	2
#define ETH_ALEN_	6
#define TPID_8021Q	0x8100
#define TPID_8021AD	0x88a8
#define ETHTYPE_IPV4	0x0800
#define ETHTYPE_IPV6	0x86dd
#define ETHTYPE_ARP	0x0806
#define PKT_MIN_FRAME	64		/* with FCS */
#define PKT_MAX_FRAME	9018		/* 9000 B IP MTU + 14 + 4 FCS; + tags */
#define PKT_ETH_HLEN	14
#define PKT_VLAN_HLEN	4
#define PKT_IPV4_HLEN	20
#define PKT_IPV6_HLEN	40
#define PKT_UDP_HLEN	8

struct pkt_vlan {
	uint16_t tpid;		/* 0x8100 or 0x88a8 */
	uint16_t tci;		/* PCP(3) DEI(1) VID(12) */
};

/* vlan[0] is the outermost tag. */
struct pkt_encap {
	uint8_t nvlan;		/* 0, 1 (802.1Q) or 2 (QinQ) */
	struct pkt_vlan vlan[PKT_MAX_VLANS];
};

struct ip_addr {
	uint8_t family;		/* 4 or 6 (0 = none) */
	uint8_t b[16];		/* IPv4 in b[0..3] */
};

struct pkt_flow {
	uint8_t src_mac[ETH_ALEN_];
	uint8_t dst_mac[ETH_ALEN_];
	struct pkt_encap encap;
	struct ip_addr src;
	struct ip_addr dst;	/* same family as src */
	uint16_t sport;
	uint16_t dport;
	uint8_t dscp;		/* 0..63 */
	uint8_t ttl;		/* IPv4 TTL / IPv6 hop limit (255 recommended by RFC 8762) */
};

/* Where things are in a built or parsed frame (offsets from the frame start). */
struct pkt_layout {
	uint16_t l3_off;
	uint16_t l4_off;
	uint16_t payload_off;	/* STAMP starts here */
	uint16_t payload_len;	/* UDP payload bytes */
	uint16_t frame_len;	/* bytes in the buffer (no FCS) */
	uint16_t udp_csum_off;
};

/* Smallest frame (with FCS) that carries payload_len bytes of UDP payload. */
uint32_t pkt_min_frame_size(const struct pkt_encap *e, int family, uint32_t payload_len);

/*
 * Build a complete UDP frame of frame_size bytes (with FCS; the buffer gets
 * frame_size - 4): headers from f, then payload (payload_len bytes), then
 * zero padding to fill the frame (part of the UDP payload). IPv4 with DF set
 * and ID 0, IPv6 with flow label 0. IP and UDP checksums are computed.
 * Returns the number of bytes written, or -EINVAL (frame_size smaller than
 * pkt_min_frame_size(), larger than PKT_MAX_FRAME + 8, or cap too small).
 */
int pkt_build_udp(uint8_t *buf, size_t cap, const struct pkt_flow *f,
		  const uint8_t *payload, uint32_t payload_len,
		  uint32_t frame_size, struct pkt_layout *lay);

enum pkt_kind {
	PKT_KIND_UDP = 0,
	PKT_KIND_ARP,
	PKT_KIND_ND_NS,		/* ICMPv6 neighbour solicitation */
	PKT_KIND_ND_NA,		/* ICMPv6 neighbour advertisement */
	PKT_KIND_ICMP6_OTHER,	/* other ICMPv6 (RS, RA, MLD, ...): pi->icmp.type */
	PKT_KIND_ICMP_ERROR,	/* ICMP / ICMPv6 error quoting a UDP packet: pi->icmp */
	PKT_KIND_ICMP_OTHER,	/* ICMPv4 that is not an error (echo, ...) */
	PKT_KIND_L2_CONTROL,	/* not IP: STP/LLC, LLDP, LACP, or IGMP; pi->ignored says which */
};

/*
 * An ICMP error and the packet it quotes. RFC 792 routers quote the IP
 * header and 8 bytes of UDP; RFC 1812 ones up to 576 bytes, ICMPv6 as much
 * as fits in 1280: what is there besides the ports is flagged in qhave.
 */
#define PKT_Q_UDP_HDR	(1u << 0)	/* quoted UDP length and checksum */
#define PKT_Q_STAMP_SEQ	(1u << 1)	/* the first 4 bytes of the quoted UDP payload */

struct pkt_icmp {
	uint8_t type, code;
	uint8_t err;		/* enum mp_icmp_err (errors only) */
	uint8_t qhave;		/* PKT_Q_* */
	struct ip_addr qsrc;	/* the quoted packet's addresses and UDP ports */
	struct ip_addr qdst;
	uint16_t qsport, qdport;
	uint16_t qipid;		/* IPv4: the quoted packet's ID (0 for IPv6) */
	uint16_t qulen, qucsum;	/* PKT_Q_UDP_HDR */
	uint32_t qseq;		/* PKT_Q_STAMP_SEQ: a STAMP sender's sequence number */
};

struct pkt_arp {
	uint16_t op;		/* 1 request, 2 reply */
	uint8_t sha[ETH_ALEN_];
	uint8_t spa[4];
	uint8_t tha[ETH_ALEN_];
	uint8_t tpa[4];
};

struct pkt_nd {
	uint8_t target[16];
	uint8_t lladdr[ETH_ALEN_];	/* source (NS) or target (NA) link-layer option */
	bool has_lladdr;
	uint8_t flags;			/* NA: R S O in the top bits of the first byte */
};

struct pkt_info {
	enum pkt_kind kind;
	uint8_t dst_mac[ETH_ALEN_];
	uint8_t src_mac[ETH_ALEN_];
	struct pkt_encap encap;
	uint16_t ethertype;	/* after the tags */
	struct ip_addr src;
	struct ip_addr dst;
	uint8_t ttl;		/* IPv4 TTL / IPv6 hop limit as received */
	uint8_t tos;		/* IPv4 TOS / IPv6 traffic class */
	uint16_t sport;
	uint16_t dport;
	struct pkt_layout lay;
	uint8_t ignored;	/* PKT_KIND_L2_CONTROL: enum mp_ignored */
	union {
		struct pkt_arp arp;
		struct pkt_nd nd;
		struct pkt_icmp icmp;
	};
};

/* pkt_parse() flags */
#define PKT_VERIFY_CSUM	(1u << 0)	/* check IPv4 header and UDP checksums */

/*
 * Parse a received frame (without FCS). Returns MP_OK with *pi filled, or
 * the reason the frame is not usable. Never reads outside frame[0..len).
 * UDP checksum 0 over IPv4 means "none" and is accepted; over IPv6 it is
 * MP_R_BAD_UDP_CHECKSUM (RFC 8200).
 */
enum mp_reason pkt_parse(const uint8_t *frame, size_t len, unsigned flags,
			 struct pkt_info *pi);

/*
 * What ordinary link traffic that no one took is, for the "ignored" counters:
 * MP_IGN_* for ARP, ND, MLD, non-error ICMP and L2 control frames, or -1
 * (not ordinary link traffic: an invalid frame).
 */
int pkt_ignored_kind(const struct pkt_info *pi);

/*
 * Ones' complement sum helpers (RFC 1071). csum_add() accumulates 16-bit
 * words in network order into a 32-bit sum; csum_fold() folds and
 * complements it into the checksum field value.
 */
uint32_t csum_add(uint32_t sum, const void *data, size_t len);
uint16_t csum_fold(uint32_t sum);

/* Ones' complement sum of len bytes, native order, not folded (< 2^47 for any frame). */
static inline uint64_t
csum_raw(const uint8_t *p, uint32_t len)
{
	uint64_t a = 0, b = 0;
	uint32_t w0, w1;
	uint16_t h;

	while (len >= 16) {
		uint32_t w2, w3;

		memcpy(&w0, p, 4);
		memcpy(&w1, p + 4, 4);
		memcpy(&w2, p + 8, 4);
		memcpy(&w3, p + 12, 4);
		a += (uint64_t)w0 + w2;
		b += (uint64_t)w1 + w3;
		p += 16;
		len -= 16;
	}
	if (len >= 8) {
		memcpy(&w0, p, 4);
		memcpy(&w1, p + 4, 4);
		a += w0;
		b += w1;
		p += 8;
		len -= 8;
	}
	if (len >= 4) {
		memcpy(&w0, p, 4);
		a += w0;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		memcpy(&h, p, 2);
		b += h;
		p += 2;
		len -= 2;
	}
	if (len != 0) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		a += p[0];
#else
		a += (uint32_t)p[0] << 8;
#endif
	}
	return a + b;
}

/* Fold a raw sum to 16 bits; a correct checksum over its data folds to 0xffff. */
static inline uint16_t
csum_raw_fold(uint64_t s)
{
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/*
 * Fast path: a template's UDP checksum was computed with the patched fields
 * all zero; `delta` is csum_add(0, patched bytes) of the new field values.
 * Returns the new checksum field value (never 0: 0xffff per RFC 768).
 */
static inline uint16_t
csum_patch(uint16_t template_csum, uint32_t delta)
{
	uint32_t s = (uint16_t)~template_csum;

	s += delta;
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (uint16_t)~s;
	return s == 0 ? 0xffff : (uint16_t)s;
}

/*
 * ARP frame (padded to the 60-byte minimum). op 1 = request (dst_mac is
 * broadcast, tha zero), 2 = reply. Returns bytes written or -EINVAL.
 */
int pkt_build_arp(uint8_t *buf, size_t cap, const struct pkt_encap *e,
		  uint16_t op, const uint8_t src_mac[ETH_ALEN_],
		  const uint8_t dst_mac[ETH_ALEN_], const uint8_t sha[ETH_ALEN_],
		  const uint8_t spa[4], const uint8_t tha[ETH_ALEN_],
		  const uint8_t tpa[4]);

/*
 * IPv6 neighbour solicitation (advert = false: to the target's
 * solicited-node multicast group, with our link-layer address option) or
 * advertisement (advert = true: to dst_ip/dst_mac, Solicited and Override
 * set, with the target link-layer option). Hop limit 255, checksum set.
 */
int pkt_build_nd(uint8_t *buf, size_t cap, const struct pkt_encap *e,
		 bool advert, const uint8_t src_mac[ETH_ALEN_],
		 const uint8_t src_ip[16], const uint8_t dst_mac[ETH_ALEN_],
		 const uint8_t dst_ip[16], const uint8_t target[16]);

/* Solicited-node multicast address and its MAC (33:33:ff:xx:xx:xx). */
void pkt_solicited_node(const uint8_t target[16], uint8_t ip[16], uint8_t mac[ETH_ALEN_]);

/* "192.0.2.1", "2001:db8::1"; with prefix "192.0.2.1/30" -> *plen (else 32/128). */
int ip_addr_parse(const char *s, struct ip_addr *a, int *plen);
int ip_addr_format(const struct ip_addr *a, char *buf, size_t len);
/* Per received frame on the fast path: word compares, no memcmp call. */
static inline bool
ip_addr_equal(const struct ip_addr *a, const struct ip_addr *b)
{
	uint64_t x[2], y[2];
	uint32_t u, v;

	if (a->family != b->family)
		return false;
	if (a->family == 4) {
		memcpy(&u, a->b, 4);
		memcpy(&v, b->b, 4);
		return u == v;
	}
	if (a->family == 6) {
		memcpy(x, a->b, 16);
		memcpy(y, b->b, 16);
		return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
	}
	return true;
}
/* Same VLAN IDs, outermost first (PCP and DEI may differ on the way). */
static inline bool
encap_matches(const struct pkt_encap *want, const struct pkt_encap *got)
{
	int i;

	if (want->nvlan != got->nvlan)
		return false;
	for (i = 0; i < want->nvlan; i++)
		if ((want->vlan[i].tci & 0xfff) != (got->vlan[i].tci & 0xfff))
			return false;
	return true;
}
/* a and b in the same prefix of plen bits. */
bool ip_addr_same_prefix(const struct ip_addr *a, const struct ip_addr *b, int plen);
/* "02:00:00:00:00:01" */
int mac_parse(const char *s, uint8_t mac[ETH_ALEN_]);
int mac_format(const uint8_t mac[ETH_ALEN_], char *buf, size_t len);

#endif
