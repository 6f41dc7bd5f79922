/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Framing: byte-exact frames written out by hand (checksums worked out on
 * paper for the IPv4 one, and checked against tshark), build -> parse round
 * trips over every encapsulation, family and frame size, truncations,
 * corruptions, malformed headers, the checksum patch the fast path relies
 * on, and the address / MAC helpers.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mp_pkt.h"
#include "mp_stamp.h"
#include "mp_test.h"
#include "icmp_frame.h"

/*
 * Check's ck_assert_* report every passing assertion to the parent process;
 * loops of millions of checks use this instead, which only reports failures.
 */
#define CHECK(cond, ...) do {					\
	if (!(cond))						\
		ck_abort_msg(__VA_ARGS__);			\
} while (0)

static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t MAC_B[6] = { 0x02, 0, 0, 0, 0, 0x02 };

/*
 * Untagged IPv4 STAMP sender packet, 90-byte frame: 02:..:01 -> 02:..:02,
 * 192.0.2.1:50000 -> 192.0.2.2:862, DSCP EF (TOS 0xb8), TTL 255, DF, ID 0;
 * seq 1, T1 0xeeb1b99cc76d9b4e, error estimate 0x8001, SSID 0x1234.
 * IP checksum: 45b8+0048+0000+4000+ff11+c000+0201+c000+0202 = 0x30914,
 * folded 0x0917, complemented 0xf6e8. UDP: pseudo-header and UDP words sum
 * to 0x5e868, folded 0xe86d, complemented 0x1792.
 */
static const uint8_t VEC_V4[86] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
	0x45, 0xb8, 0x00, 0x48, 0x00, 0x00, 0x40, 0x00, 0xff, 0x11, 0xf6, 0xe8,
	0xc0, 0x00, 0x02, 0x01, 0xc0, 0x00, 0x02, 0x02,
	0xc3, 0x50, 0x03, 0x5e, 0x00, 0x34, 0x17, 0x92,
	0x00, 0x00, 0x00, 0x01, 0xee, 0xb1, 0xb9, 0x9c, 0xc7, 0x6d, 0x9b, 0x4e,
	0x80, 0x01, 0x12, 0x34,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/*
 * QinQ IPv6 STAMP reflector packet in a 128-byte frame: S-tag 0x88a8 VID
 * 100, C-tag 0x8100 PCP 5 VID 200; 2001:db8::1:862 -> 2001:db8::2:862,
 * traffic class 0xb8, hop limit 64; the 44-byte reply then 10 bytes of
 * zero padding (UDP length 62).
 */
static const uint8_t VEC_QINQ_V6[124] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x88, 0xa8, 0x00, 0x64, 0x81, 0x00, 0xa0, 0xc8, 0x86, 0xdd,
	0x6b, 0x80, 0x00, 0x00, 0x00, 0x3e, 0x11, 0x40,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
	0x03, 0x5e, 0x03, 0x5e, 0x00, 0x3e, 0xbf, 0x0e,
	0x00, 0x00, 0x00, 0x07, 0xee, 0xb1, 0xb9, 0x9d, 0xc8, 0xbc, 0x92, 0xea,
	0x00, 0x01, 0x00, 0xff, 0xee, 0xb1, 0xb9, 0x9d, 0xc8, 0xb4, 0xb6, 0xb8,
	0x00, 0x00, 0x00, 0x2a, 0xee, 0xb1, 0xb9, 0x9d, 0xc8, 0xab, 0xc1, 0x4f,
	0x80, 0x01, 0x00, 0x00, 0xff, 0x00, 0x00, 0x00,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
static const uint8_t VEC_QINQ_V6_STAMP[44] = {
	0x00, 0x00, 0x00, 0x07, 0xee, 0xb1, 0xb9, 0x9d, 0xc8, 0xbc, 0x92, 0xea,
	0x00, 0x01, 0x00, 0xff, 0xee, 0xb1, 0xb9, 0x9d, 0xc8, 0xb4, 0xb6, 0xb8,
	0x00, 0x00, 0x00, 0x2a, 0xee, 0xb1, 0xb9, 0x9d, 0xc8, 0xab, 0xc1, 0x4f,
	0x80, 0x01, 0x00, 0x00, 0xff, 0x00, 0x00, 0x00,
};

/* ARP request on 802.1Q VID 100: who has 192.0.2.2, tell 192.0.2.1; padded to 60. */
static const uint8_t VEC_ARP[60] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x81, 0x00, 0x00, 0x64, 0x08, 0x06,
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0xc0, 0x00, 0x02, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x02, 0x02,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* NS from 2001:db8::1 for 2001:db8::2, to ff02::1:ff00:2 / 33:33:ff:00:00:02. */
static const uint8_t VEC_NS[86] = {
	0x33, 0x33, 0xff, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x86, 0xdd,
	0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff, 0x00, 0x00, 0x02,
	0x87, 0x00, 0x1c, 0x27, 0x00, 0x00, 0x00, 0x00,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
	0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
};

/* NA from 2001:db8::1 (target) to 2001:db8::2, S and O set, target LL option. */
static const uint8_t VEC_NA[86] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x86, 0xdd,
	0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
	0x88, 0x00, 0x8a, 0x73, 0x60, 0x00, 0x00, 0x00,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	0x02, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
};

/* The oracle: RFC 1071 the slow way, one big-endian word at a time. */
static uint16_t
naive_sum(const uint8_t *p, size_t len, uint64_t acc)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		acc += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		acc += (uint32_t)p[len - 1] << 8;
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Checksum of an IPv4 header / an L4 packet with pseudo-header, computed naively. */
static uint16_t
naive_ip4_csum(const uint8_t *ip)
{
	uint8_t h[60];
	size_t hl = (size_t)(ip[0] & 0xf) * 4;

	memcpy(h, ip, hl);
	h[10] = h[11] = 0;
	return (uint16_t)~naive_sum(h, hl, 0);
}

static uint16_t
naive_l4_csum(const uint8_t *ip, int family, uint8_t proto, const uint8_t *l4,
	      size_t l4len, size_t csum_at)
{
	uint8_t pseudo[40];
	uint8_t *copy = malloc(l4len);
	uint16_t s;
	size_t plen;

	if (family == 4) {
		memcpy(pseudo, ip + 12, 8);
		pseudo[8] = 0;
		pseudo[9] = proto;
		pseudo[10] = (uint8_t)(l4len >> 8);
		pseudo[11] = (uint8_t)l4len;
		plen = 12;
	} else {
		memcpy(pseudo, ip + 8, 32);
		pseudo[32] = pseudo[33] = 0;
		pseudo[34] = (uint8_t)(l4len >> 8);
		pseudo[35] = (uint8_t)l4len;
		pseudo[36] = pseudo[37] = pseudo[38] = 0;
		pseudo[39] = proto;
		plen = 40;
	}
	memcpy(copy, l4, l4len);
	copy[csum_at] = copy[csum_at + 1] = 0;
	s = (uint16_t)~naive_sum(copy, l4len, naive_sum(pseudo, plen, 0));
	free(copy);
	return s;
}

static uint16_t
naive_udp_csum(const uint8_t *frame, const struct pkt_layout *lay, int family)
{
	uint16_t c = naive_l4_csum(frame + lay->l3_off, family, 17, frame + lay->l4_off,
				   rd16(frame + lay->l4_off + 4), 6);

	return c == 0 ? 0xffff : c;
}

static void
fix_ip4_csum(uint8_t *frame, size_t l3)
{
	uint16_t c = naive_ip4_csum(frame + l3);

	frame[l3 + 10] = (uint8_t)(c >> 8);
	frame[l3 + 11] = (uint8_t)c;
}

static void
fix_icmp6_csum(uint8_t *frame, size_t l3)
{
	size_t ilen = rd16(frame + l3 + 4);
	uint16_t c = naive_l4_csum(frame + l3, 6, 58, frame + l3 + 40, ilen, 2);

	frame[l3 + 42] = (uint8_t)(c >> 8);
	frame[l3 + 43] = (uint8_t)c;
}

static void
flow_init(struct pkt_flow *f, int family, int nvlan, uint16_t outer_tpid)
{
	memset(f, 0, sizeof(*f));
	memcpy(f->src_mac, MAC_A, 6);
	memcpy(f->dst_mac, MAC_B, 6);
	f->encap.nvlan = (uint8_t)nvlan;
	f->encap.vlan[0].tpid = outer_tpid;
	f->encap.vlan[0].tci = 0x0064;
	f->encap.vlan[1].tpid = TPID_8021Q;
	f->encap.vlan[1].tci = 0xa0c8;
	f->src.family = f->dst.family = (uint8_t)family;
	if (family == 4) {
		const uint8_t s[4] = { 192, 0, 2, 1 }, d[4] = { 192, 0, 2, 2 };

		memcpy(f->src.b, s, 4);
		memcpy(f->dst.b, d, 4);
	} else {
		const uint8_t s[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
		const uint8_t d[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

		memcpy(f->src.b, s, 16);
		memcpy(f->dst.b, d, 16);
	}
	f->sport = 50000;
	f->dport = STAMP_UDP_PORT;
	f->dscp = 46;
	f->ttl = 255;
}

START_TEST(test_csum_rfc1071)
{
	/* RFC 1071 section 3's example: the words sum to 0xddf2. */
	static const uint8_t ex[8] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	static const uint8_t odd[3] = { 0x01, 0x02, 0x03 };
	uint8_t big[9001];

	ck_assert_uint_eq(csum_fold(csum_add(0, ex, 8)), 0x220d);
	ck_assert_uint_eq((uint16_t)~csum_fold(csum_add(0, ex, 8)), 0xddf2);
	/* Chunks of even length chain. */
	ck_assert_uint_eq(csum_fold(csum_add(csum_add(0, ex, 2), ex + 2, 6)), 0x220d);
	/* Odd length: the last byte is the high byte of a padded word. */
	ck_assert_uint_eq((uint16_t)~csum_fold(csum_add(0, odd, 3)), 0x0402);
	ck_assert_uint_eq(csum_fold(csum_add(0, NULL, 0)), 0xffff);
	/* Large sums and a large starting sum fold without loss. */
	memset(big, 0xff, sizeof(big));
	ck_assert_uint_eq(csum_fold(csum_add(0, big, sizeof(big))),
			  (uint16_t)~naive_sum(big, sizeof(big), 0));
	ck_assert_uint_eq(csum_fold(csum_add(0xffffffffu, big, 9000)),
			  (uint16_t)~naive_sum(big, 9000, 0xffffffffu));
}
END_TEST

START_TEST(test_csum_random_alignment)
{
	uint8_t buf[1100];
	unsigned i, off, len;

	srand(1071);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rand();
	for (off = 0; off < 8; off++)
		for (len = 0; len < 1024; len++) {
			uint16_t want = (uint16_t)~naive_sum(buf + off, len, 0);

			CHECK(csum_fold(csum_add(0, buf + off, len)) == want, "off %u len %u",
			      off, len);
		}
}
END_TEST

START_TEST(test_vector_v4)
{
	struct pkt_flow f;
	struct pkt_layout lay;
	struct pkt_info pi;
	uint8_t buf[128];
	int n;

	flow_init(&f, 4, 0, 0);
	ck_assert_uint_eq(pkt_min_frame_size(&f.encap, 4, 44), 90);
	n = pkt_build_udp(buf, sizeof(buf), &f, VEC_V4 + 42, 44, 90, &lay);
	ck_assert_int_eq(n, 86);
	ck_assert_mem_eq(buf, VEC_V4, 86);
	ck_assert_uint_eq(lay.l3_off, 14);
	ck_assert_uint_eq(lay.l4_off, 34);
	ck_assert_uint_eq(lay.payload_off, 42);
	ck_assert_uint_eq(lay.payload_len, 44);
	ck_assert_uint_eq(lay.frame_len, 86);
	ck_assert_uint_eq(lay.udp_csum_off, 40);
	/* The independent checksum routine agrees with the hand-worked values. */
	ck_assert_uint_eq(naive_ip4_csum(VEC_V4 + 14), 0xf6e8);
	ck_assert_uint_eq(naive_udp_csum(VEC_V4, &lay, 4), 0x1792);

	ck_assert_int_eq(pkt_parse(VEC_V4, 86, PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_int_eq(pi.kind, PKT_KIND_UDP);
	ck_assert_mem_eq(pi.src_mac, MAC_A, 6);
	ck_assert_mem_eq(pi.dst_mac, MAC_B, 6);
	ck_assert_uint_eq(pi.encap.nvlan, 0);
	ck_assert_uint_eq(pi.ethertype, ETHTYPE_IPV4);
	ck_assert(ip_addr_equal(&pi.src, &f.src));
	ck_assert(ip_addr_equal(&pi.dst, &f.dst));
	ck_assert_uint_eq(pi.ttl, 255);
	ck_assert_uint_eq(pi.tos, 0xb8);
	ck_assert_uint_eq(pi.sport, 50000);
	ck_assert_uint_eq(pi.dport, 862);
	ck_assert_mem_eq(&pi.lay, &lay, sizeof(lay));
}
END_TEST

START_TEST(test_vector_qinq_v6)
{
	struct pkt_flow f;
	struct pkt_layout lay;
	struct pkt_info pi;
	uint8_t buf[256];
	int n;

	flow_init(&f, 6, 2, TPID_8021AD);
	f.sport = 862;
	f.ttl = 64;
	ck_assert_uint_eq(pkt_min_frame_size(&f.encap, 6, 44), 118);
	n = pkt_build_udp(buf, sizeof(buf), &f, VEC_QINQ_V6_STAMP, 44, 128, &lay);
	ck_assert_int_eq(n, 124);
	ck_assert_mem_eq(buf, VEC_QINQ_V6, 124);
	ck_assert_uint_eq(lay.l3_off, 22);
	ck_assert_uint_eq(lay.l4_off, 62);
	ck_assert_uint_eq(lay.payload_off, 70);
	ck_assert_uint_eq(lay.payload_len, 54);
	ck_assert_uint_eq(lay.udp_csum_off, 68);
	ck_assert_uint_eq(naive_udp_csum(VEC_QINQ_V6, &lay, 6), 0xbf0e);
	/* TPID 0 means the usual pair: the same bytes. */
	f.encap.vlan[0].tpid = 0;
	f.encap.vlan[1].tpid = 0;
	ck_assert_int_eq(pkt_build_udp(buf, sizeof(buf), &f, VEC_QINQ_V6_STAMP, 44, 128, &lay),
			 124);
	ck_assert_mem_eq(buf, VEC_QINQ_V6, 124);

	ck_assert_int_eq(pkt_parse(VEC_QINQ_V6, 124, PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_uint_eq(pi.encap.nvlan, 2);
	ck_assert_uint_eq(pi.encap.vlan[0].tpid, 0x88a8);
	ck_assert_uint_eq(pi.encap.vlan[0].tci, 100);
	ck_assert_uint_eq(pi.encap.vlan[1].tpid, 0x8100);
	ck_assert_uint_eq(pi.encap.vlan[1].tci, 0xa0c8);
	ck_assert_uint_eq(pi.ethertype, ETHTYPE_IPV6);
	ck_assert_uint_eq(pi.tos, 0xb8);
	ck_assert_uint_eq(pi.ttl, 64);
	ck_assert_uint_eq(pi.src.family, 6);
	ck_assert_mem_eq(pi.src.b, VEC_QINQ_V6 + 30, 16);
	ck_assert_mem_eq(pi.dst.b, VEC_QINQ_V6 + 46, 16);
	ck_assert_mem_eq(&pi.lay, &lay, sizeof(lay));
}
END_TEST

START_TEST(test_vector_arp)
{
	const uint8_t spa[4] = { 192, 0, 2, 1 }, tpa[4] = { 192, 0, 2, 2 };
	struct pkt_encap e = { .nvlan = 1, .vlan = { { TPID_8021Q, 100 } } };
	struct pkt_info pi;
	uint8_t buf[128];

	ck_assert_int_eq(pkt_build_arp(buf, sizeof(buf), &e, 1, MAC_A, NULL, MAC_A, spa,
				       NULL, tpa), 60);
	ck_assert_mem_eq(buf, VEC_ARP, 60);
	ck_assert_int_eq(pkt_parse(VEC_ARP, 60, PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_int_eq(pi.kind, PKT_KIND_ARP);
	ck_assert_uint_eq(pi.encap.nvlan, 1);
	ck_assert_uint_eq(pi.encap.vlan[0].tci, 100);
	ck_assert_uint_eq(pi.arp.op, 1);
	ck_assert_mem_eq(pi.arp.sha, MAC_A, 6);
	ck_assert_mem_eq(pi.arp.spa, spa, 4);
	ck_assert_mem_eq(pi.arp.tpa, tpa, 4);
	ck_assert_int_eq(pi.arp.tha[0] | pi.arp.tha[5], 0);
	/* The reply: unicast, 60 bytes untagged too. */
	ck_assert_int_eq(pkt_build_arp(buf, sizeof(buf), NULL, 2, MAC_B, MAC_A, MAC_B, tpa,
				       MAC_A, spa), 60);
	ck_assert_int_eq(pkt_parse(buf, 60, 0, &pi), MP_OK);
	ck_assert_uint_eq(pi.arp.op, 2);
	ck_assert_mem_eq(pi.dst_mac, MAC_A, 6);
	ck_assert_mem_eq(pi.arp.tha, MAC_A, 6);
	ck_assert_mem_eq(pi.arp.spa, tpa, 4);
	/* A reply needs its destinations; bad op, small buffer. */
	ck_assert_int_eq(pkt_build_arp(buf, sizeof(buf), NULL, 2, MAC_B, NULL, MAC_B, tpa,
				       MAC_A, spa), -EINVAL);
	ck_assert_int_eq(pkt_build_arp(buf, sizeof(buf), NULL, 3, MAC_B, MAC_A, MAC_B, tpa,
				       MAC_A, spa), -EINVAL);
	ck_assert_int_eq(pkt_build_arp(buf, 59, NULL, 1, MAC_B, NULL, MAC_B, tpa, NULL, spa),
			 -EINVAL);
}
END_TEST

START_TEST(test_vector_nd)
{
	const uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	const uint8_t b[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	const uint8_t sn[16] = { 0xff, 0x02, [11] = 0x01, 0xff, 0x00, 0x00, 0x02 };
	const uint8_t unspec[16] = { 0 };
	uint8_t buf[256], ip[16], mac[6];
	struct pkt_info pi;

	pkt_solicited_node(b, ip, mac);
	ck_assert_mem_eq(ip, sn, 16);
	ck_assert_mem_eq(mac, VEC_NS, 6);

	ck_assert_int_eq(pkt_build_nd(buf, sizeof(buf), NULL, false, MAC_A, a, NULL, NULL, b),
			 86);
	ck_assert_mem_eq(buf, VEC_NS, 86);
	ck_assert_uint_eq(rd16(VEC_NS + 56), 0x1c27);
	ck_assert_uint_eq(naive_l4_csum(VEC_NS + 14, 6, 58, VEC_NS + 54, 32, 2), 0x1c27);
	ck_assert_int_eq(pkt_parse(VEC_NS, 86, PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_int_eq(pi.kind, PKT_KIND_ND_NS);
	ck_assert_mem_eq(pi.nd.target, b, 16);
	ck_assert(pi.nd.has_lladdr);
	ck_assert_mem_eq(pi.nd.lladdr, MAC_A, 6);
	ck_assert_uint_eq(pi.ttl, 255);
	ck_assert_mem_eq(pi.src.b, a, 16);
	ck_assert_mem_eq(pi.dst.b, sn, 16);

	ck_assert_int_eq(pkt_build_nd(buf, sizeof(buf), NULL, true, MAC_A, a, MAC_B, b, a), 86);
	ck_assert_mem_eq(buf, VEC_NA, 86);
	ck_assert_uint_eq(naive_l4_csum(VEC_NA + 14, 6, 58, VEC_NA + 54, 32, 2), 0x8a73);
	ck_assert_int_eq(pkt_parse(VEC_NA, 86, 0, &pi), MP_OK);
	ck_assert_int_eq(pi.kind, PKT_KIND_ND_NA);
	ck_assert_uint_eq(pi.nd.flags, 0x60);
	ck_assert_mem_eq(pi.nd.target, a, 16);
	ck_assert(pi.nd.has_lladdr);
	ck_assert_mem_eq(pi.nd.lladdr, MAC_A, 6);

	/* Tagged NS; DAD NS (unspecified source) carries no link-layer option. */
	{
		struct pkt_encap e = { .nvlan = 2, .vlan = { { 0x88a8, 5 }, { 0x8100, 6 } } };

		ck_assert_int_eq(pkt_build_nd(buf, sizeof(buf), &e, false, MAC_A, a, NULL,
					      NULL, b), 94);
		ck_assert_int_eq(pkt_parse(buf, 94, 0, &pi), MP_OK);
		ck_assert_int_eq(pi.kind, PKT_KIND_ND_NS);
		ck_assert_uint_eq(pi.encap.vlan[1].tci, 6);
	}
	ck_assert_int_eq(pkt_build_nd(buf, sizeof(buf), NULL, false, MAC_A, unspec, NULL, NULL,
				      b), 78);
	ck_assert_int_eq(pkt_parse(buf, 78, 0, &pi), MP_OK);
	ck_assert_int_eq(pi.kind, PKT_KIND_ND_NS);
	ck_assert(!pi.nd.has_lladdr);
	/* An unsolicited NA to all-nodes has S clear. */
	{
		const uint8_t all[16] = { 0xff, 0x02, [15] = 1 };
		const uint8_t allmac[6] = { 0x33, 0x33, 0, 0, 0, 1 };

		ck_assert_int_eq(pkt_build_nd(buf, sizeof(buf), NULL, true, MAC_A, a, allmac,
					      all, a), 86);
		ck_assert_int_eq(pkt_parse(buf, 86, 0, &pi), MP_OK);
		ck_assert_uint_eq(pi.nd.flags, 0x20);
	}
	ck_assert_int_eq(pkt_build_nd(buf, sizeof(buf), NULL, true, MAC_A, a, NULL, b, a),
			 -EINVAL);
	ck_assert_int_eq(pkt_build_nd(buf, 85, NULL, false, MAC_A, a, NULL, NULL, b), -EINVAL);
}
END_TEST

START_TEST(test_min_frame_size)
{
	struct pkt_encap none = { 0 }, q = { .nvlan = 1 }, qq = { .nvlan = 2 }, bad = { .nvlan = 3 };
	struct pkt_flow f;
	uint8_t buf[9100];

	ck_assert_uint_eq(pkt_min_frame_size(&none, 4, 44), 90);
	ck_assert_uint_eq(pkt_min_frame_size(NULL, 4, 44), 90);
	ck_assert_uint_eq(pkt_min_frame_size(&none, 6, 44), 110);
	ck_assert_uint_eq(pkt_min_frame_size(&q, 4, 44), 94);
	ck_assert_uint_eq(pkt_min_frame_size(&qq, 6, 44), 118);
	/* The Ethernet minimum. */
	ck_assert_uint_eq(pkt_min_frame_size(&none, 4, 0), 64);
	ck_assert_uint_eq(pkt_min_frame_size(&none, 4, 14), 64);
	ck_assert_uint_eq(pkt_min_frame_size(&none, 4, 19), 65);
	ck_assert_uint_eq(pkt_min_frame_size(&q, 4, 14), 64);
	ck_assert_uint_eq(pkt_min_frame_size(&bad, 4, 44), 0);
	ck_assert_uint_eq(pkt_min_frame_size(&none, 5, 44), 0);

	flow_init(&f, 4, 0, 0);
	ck_assert_int_eq(pkt_build_udp(buf, sizeof(buf), &f, VEC_V4 + 42, 44, 89, NULL), -EINVAL);
	ck_assert_int_eq(pkt_build_udp(buf, 85, &f, VEC_V4 + 42, 44, 90, NULL), -EINVAL);
	ck_assert_int_eq(pkt_build_udp(buf, 86, &f, VEC_V4 + 42, 44, 90, NULL), 86);
	ck_assert_int_eq(pkt_build_udp(buf, sizeof(buf), &f, VEC_V4 + 42, 44, 9026, NULL), 9022);
	ck_assert_int_eq(pkt_build_udp(buf, sizeof(buf), &f, VEC_V4 + 42, 44, 9027, NULL),
			 -EINVAL);
	ck_assert_int_eq(pkt_build_udp(buf, sizeof(buf), &f, NULL, 44, 90, NULL), -EINVAL);
	f.dscp = 64;
	ck_assert_int_eq(pkt_build_udp(buf, sizeof(buf), &f, VEC_V4 + 42, 44, 90, NULL), -EINVAL);
	f.dscp = 0;
	f.dst.family = 6;
	ck_assert_int_eq(pkt_build_udp(buf, sizeof(buf), &f, VEC_V4 + 42, 44, 128, NULL), -EINVAL);
	f.encap.nvlan = 3;
	f.dst.family = 4;
	ck_assert_int_eq(pkt_build_udp(buf, sizeof(buf), &f, VEC_V4 + 42, 44, 128, NULL), -EINVAL);
}
END_TEST

struct encap_case {
	int nvlan;
	uint16_t outer;
};

static const struct encap_case ENCAPS[] = {
	{ 0, 0 }, { 1, TPID_8021Q }, { 1, TPID_8021AD }, { 2, TPID_8021AD },
	{ 2, TPID_8021Q }, { 2, 0x9100 },
};
#define N_ENCAPS (sizeof(ENCAPS) / sizeof(ENCAPS[0]))

/* Build then parse, and check every field and every payload byte. */
static void
roundtrip_one(const struct pkt_flow *f, const uint8_t *payload, uint32_t plen, uint32_t size,
	      uint8_t *buf, size_t cap)
{
	struct pkt_layout lay;
	struct pkt_info pi;
	enum mp_reason r;
	size_t i;
	int n;

	n = pkt_build_udp(buf, cap, f, payload, plen, size, &lay);
	CHECK(n == (int)size - 4, "size %u: built %d", size, n);
	CHECK(lay.frame_len == size - 4, "size %u: frame_len %u", size, lay.frame_len);
	r = pkt_parse(buf, (size_t)n, PKT_VERIFY_CSUM, &pi);
	CHECK(r == MP_OK, "size %u: parse %s", size, mp_reason_names[r]);
	CHECK(pi.kind == PKT_KIND_UDP, "size %u: kind", size);
	CHECK(memcmp(&pi.lay, &lay, sizeof(lay)) == 0, "size %u: layout", size);
	CHECK(memcmp(pi.src_mac, f->src_mac, 6) == 0 && memcmp(pi.dst_mac, f->dst_mac, 6) == 0,
	      "size %u: MACs", size);
	CHECK(pi.encap.nvlan == f->encap.nvlan, "size %u: nvlan", size);
	for (i = 0; i < f->encap.nvlan; i++)
		CHECK(pi.encap.vlan[i].tpid == f->encap.vlan[i].tpid &&
		      pi.encap.vlan[i].tci == f->encap.vlan[i].tci, "size %u: tag %zu", size, i);
	CHECK(ip_addr_equal(&pi.src, &f->src) && ip_addr_equal(&pi.dst, &f->dst),
	      "size %u: addresses", size);
	CHECK(pi.ttl == f->ttl && pi.tos == (unsigned)f->dscp << 2, "size %u: ttl/tos", size);
	CHECK(pi.sport == f->sport && pi.dport == f->dport, "size %u: ports", size);
	CHECK(lay.payload_off + lay.payload_len == n, "size %u: payload end", size);
	CHECK(memcmp(buf + lay.payload_off, payload, plen) == 0, "size %u: payload", size);
	for (i = lay.payload_off + plen; i < (size_t)n; i++)
		CHECK(buf[i] == 0, "size %u: padding byte %zu", size, i);
	/* Spot-check the checksums against the oracle, sparsely (it is slow). */
	if ((size & 63) == 0 || size < 130) {
		CHECK(rd16(buf + lay.udp_csum_off) == naive_udp_csum(buf, &lay, f->src.family),
		      "size %u: UDP checksum", size);
		if (f->src.family == 4)
			CHECK(rd16(buf + lay.l3_off + 10) == naive_ip4_csum(buf + lay.l3_off),
			      "size %u: IP checksum", size);
	}
}

START_TEST(test_roundtrip_all_sizes)
{
	static uint8_t buf[PKT_MAX_FRAME + 8];
	uint8_t payload[44];
	struct pkt_flow f;
	unsigned e, fam, i;
	uint32_t size, min;

	srand(8762);
	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)rand();
	for (e = 0; e < N_ENCAPS; e++) {
		for (fam = 4; fam <= 6; fam += 2) {
			flow_init(&f, (int)fam, ENCAPS[e].nvlan, ENCAPS[e].outer);
			f.dscp = (uint8_t)(e * 11 % 64);
			f.ttl = (uint8_t)(fam * 40 + e);
			f.sport = (uint16_t)(1024 + e);
			min = pkt_min_frame_size(&f.encap, (int)fam, sizeof(payload));
			ck_assert_int_eq(pkt_build_udp(buf, sizeof(buf), &f, payload,
						       sizeof(payload), min - 1, NULL), -EINVAL);
			for (size = min; size <= PKT_MAX_FRAME + 8; size++)
				roundtrip_one(&f, payload, sizeof(payload), size, buf,
					      size - 4);
		}
	}
	/* Payloads shorter than STAMP (TWAMP-light 14 bytes), and none. */
	flow_init(&f, 6, 1, TPID_8021Q);
	roundtrip_one(&f, payload, 14, 64 + 62, buf, sizeof(buf));
	flow_init(&f, 4, 0, 0);
	roundtrip_one(&f, payload, 0, 64, buf, sizeof(buf));
}
END_TEST

/* A frame cut short anywhere inside its IP packet is never accepted. */
static void
check_truncations(const uint8_t *frame, size_t len, size_t valid_from)
{
	struct pkt_info pi;
	size_t cut;

	for (cut = 0; cut < len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		enum mp_reason r0, r1;

		memcpy(copy, frame, cut);
		r0 = pkt_parse(copy, cut, 0, &pi);
		r1 = pkt_parse(copy, cut, PKT_VERIFY_CSUM, &pi);
		if (cut < valid_from)
			CHECK(r0 != MP_OK && r1 != MP_OK && r0 < MP_R_REASON_MAX,
			      "truncated to %zu of %zu accepted", cut, len);
		else
			CHECK(r0 == MP_OK && r1 == MP_OK, "%zu of %zu: %s", cut, len,
			      mp_reason_names[r0]);
		free(copy);
	}
}

START_TEST(test_truncations)
{
	static uint8_t buf[1600];
	uint8_t payload[44] = { 1, 2, 3 };
	struct pkt_flow f;
	unsigned e, fam;
	int n;

	check_truncations(VEC_V4, sizeof(VEC_V4), sizeof(VEC_V4));
	check_truncations(VEC_QINQ_V6, sizeof(VEC_QINQ_V6), sizeof(VEC_QINQ_V6));
	check_truncations(VEC_ARP, sizeof(VEC_ARP), 18 + 28);
	check_truncations(VEC_NS, sizeof(VEC_NS), sizeof(VEC_NS));
	check_truncations(VEC_NA, sizeof(VEC_NA), sizeof(VEC_NA));
	for (e = 0; e < N_ENCAPS; e++) {
		for (fam = 4; fam <= 6; fam += 2) {
			flow_init(&f, (int)fam, ENCAPS[e].nvlan, ENCAPS[e].outer);
			n = pkt_build_udp(buf, sizeof(buf), &f, payload, 44, 1518, NULL);
			ck_assert_int_eq(n, 1514);
			check_truncations(buf, (size_t)n, (size_t)n);
		}
	}
}
END_TEST

/* Every byte the checksums cover, flipped, is caught. */
static void
check_flips(const uint8_t *frame, size_t len, int family, size_t l3, size_t csum_off)
{
	static const uint8_t masks[] = { 0x01, 0x80, 0xff };
	uint8_t *copy = malloc(len);
	struct pkt_info pi;
	size_t i, m;

	for (i = l3; i < len; i++) {
		/* IPv6 traffic class, flow label and hop limit are not covered. */
		if (family == 6 && (i - l3 < 4 || i - l3 == 7))
			continue;
		for (m = 0; m < sizeof(masks); m++) {
			enum mp_reason r;

			memcpy(copy, frame, len);
			copy[i] ^= masks[m];
			r = pkt_parse(copy, len, PKT_VERIFY_CSUM, &pi);
			if (family == 4 && (i == csum_off || i == csum_off + 1) &&
			    rd16(copy + csum_off) == 0) {
				CHECK(r == MP_OK, "zero checksum refused");	/* none */
				continue;
			}
			/* A flipped ICMPv6 type may make an NS some other ICMPv6. */
			CHECK(r != MP_OK || pi.kind == PKT_KIND_ICMP6_OTHER,
			      "flip 0x%02x at %zu accepted", masks[m], i);
		}
	}
	free(copy);
}

START_TEST(test_corruptions)
{
	static uint8_t buf[1600];
	uint8_t payload[44];
	struct pkt_layout lay;
	struct pkt_flow f;
	unsigned e, fam, i;
	int n;

	check_flips(VEC_V4, sizeof(VEC_V4), 4, 14, 40);
	check_flips(VEC_QINQ_V6, sizeof(VEC_QINQ_V6), 6, 22, 68);
	check_flips(VEC_NS, sizeof(VEC_NS), 6, 14, 56);
	check_flips(VEC_NA, sizeof(VEC_NA), 6, 14, 56);
	srand(768);
	for (e = 0; e < N_ENCAPS; e++) {
		for (fam = 4; fam <= 6; fam += 2) {
			for (i = 0; i < sizeof(payload); i++)
				payload[i] = (uint8_t)rand();
			flow_init(&f, (int)fam, ENCAPS[e].nvlan, ENCAPS[e].outer);
			n = pkt_build_udp(buf, sizeof(buf), &f, payload, 44, 200, &lay);
			ck_assert_int_gt(n, 0);
			check_flips(buf, (size_t)n, (int)fam, lay.l3_off, lay.udp_csum_off);
		}
	}
}
END_TEST

/* A built frame to damage: returns its length and layout. */
static int
base_frame(uint8_t *buf, size_t cap, int family, int nvlan, struct pkt_layout *lay)
{
	uint8_t payload[44] = { 0, 0, 0, 9 };
	struct pkt_flow f;

	flow_init(&f, family, nvlan, TPID_8021AD);
	return pkt_build_udp(buf, cap, &f, payload, 44,
			     pkt_min_frame_size(&f.encap, family, 44), lay);
}

static enum mp_reason
parse_v(const uint8_t *buf, size_t len)
{
	struct pkt_info pi;

	return pkt_parse(buf, len, PKT_VERIFY_CSUM, &pi);
}

START_TEST(test_reasons_l2)
{
	uint8_t buf[256], big[256];
	struct pkt_layout lay;
	struct pkt_info pi;
	int n;

	n = base_frame(buf, sizeof(buf), 4, 0, &lay);
	buf[12] = 0x88;
	buf[13] = 0xb5;		/* local experimental: not IP, not link control */
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_NOT_IP);
	ck_assert_int_eq(parse_v(buf, 13), MP_R_TRUNCATED);

	/* Three tags: more than a link of ours carries. */
	n = base_frame(buf, sizeof(buf), 4, 2, &lay);
	memcpy(big, buf, 12);
	big[12] = 0x81;
	big[13] = 0x00;
	big[14] = 0x00;
	big[15] = 0x07;
	memcpy(big + 16, buf + 12, (size_t)n - 12);
	ck_assert_int_eq(parse_v(big, (size_t)n + 4), MP_R_VLAN_MISMATCH);

	/* 0x9100 is accepted as the outer tag only. */
	n = base_frame(buf, sizeof(buf), 4, 2, &lay);
	buf[12] = 0x91;
	buf[13] = 0x00;
	ck_assert_int_eq(pkt_parse(buf, (size_t)n, PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_uint_eq(pi.encap.vlan[0].tpid, 0x9100);
	ck_assert_uint_eq(pi.encap.nvlan, 2);
	buf[12] = 0x88;
	buf[13] = 0xa8;
	buf[16] = 0x91;
	buf[17] = 0x00;
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_NOT_IP);

	/* Trailing bytes (Ethernet padding of a short frame) are ignored. */
	n = base_frame(buf, sizeof(buf), 4, 0, &lay);
	memset(buf + n, 0xee, 20);
	ck_assert_int_eq(pkt_parse(buf, (size_t)n + 20, PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_uint_eq(pi.lay.payload_len, 44);
	n = base_frame(buf, sizeof(buf), 6, 1, &lay);
	memset(buf + n, 0xee, 7);
	ck_assert_int_eq(pkt_parse(buf, (size_t)n + 7, PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_uint_eq(pi.lay.payload_len, 44);
}
END_TEST

START_TEST(test_reasons_ipv4)
{
	uint8_t buf[256], opt[256];
	struct pkt_layout lay;
	struct pkt_info pi;
	int n;

	n = base_frame(buf, sizeof(buf), 4, 1, &lay);
#define RESET() do { base_frame(buf, sizeof(buf), 4, 1, &lay); } while (0)
	buf[18] = 0x55;		/* version 5 */
	fix_ip4_csum(buf, 18);
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_BAD_IP_HEADER);
	RESET();
	buf[18] = 0x44;		/* IHL 4 */
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_BAD_IP_HEADER);
	RESET();
	buf[21] += 1;		/* total length one past the frame */
	fix_ip4_csum(buf, 18);
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_TRUNCATED);
	RESET();
	buf[20] = 0;
	buf[21] = 27;		/* total length < 20 + 8 */
	fix_ip4_csum(buf, 18);
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_BAD_IP_HEADER);
	buf[21] = 19;		/* total length < IHL * 4 */
	fix_ip4_csum(buf, 18);
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_BAD_IP_HEADER);
	RESET();
	buf[21] -= 2;		/* IP shorter than UDP says */
	fix_ip4_csum(buf, 18);
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_BAD_UDP_LENGTH);
	RESET();
	buf[24] = 0x20;		/* MF */
	fix_ip4_csum(buf, 18);
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_IP_FRAGMENT);
	RESET();
	buf[24] = 0x40;
	buf[25] = 0x01;		/* offset 8, DF kept */
	fix_ip4_csum(buf, 18);
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_IP_FRAGMENT);
	RESET();
	buf[27] = 6;		/* TCP */
	fix_ip4_csum(buf, 18);
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_NOT_UDP);
	RESET();
	buf[28] ^= 1;		/* header checksum */
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_BAD_IP_CHECKSUM);
	ck_assert_int_eq(pkt_parse(buf, (size_t)n, 0, &pi), MP_OK);
	RESET();
	buf[lay.l4_off + 4] = 0;
	buf[lay.l4_off + 5] = 7;	/* UDP length < 8 */
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_BAD_UDP_LENGTH);
	RESET();
	buf[lay.l4_off + 5] += 1;	/* UDP length > IP payload */
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_BAD_UDP_LENGTH);
	RESET();
	buf[lay.payload_off + 10] ^= 0x40;
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_BAD_UDP_CHECKSUM);
	ck_assert_int_eq(pkt_parse(buf, (size_t)n, 0, &pi), MP_OK);
	buf[lay.udp_csum_off] = buf[lay.udp_csum_off + 1] = 0;	/* none: accepted */
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_OK);

	/* Options: IHL 6 with four NOP/EOL bytes, accepted and skipped. */
	RESET();
	memcpy(opt, buf, 38);
	opt[38] = 1;
	opt[39] = 1;
	opt[40] = 1;
	opt[41] = 0;
	memcpy(opt + 42, buf + 38, (size_t)n - 38);
	opt[18] = 0x46;
	opt[21] += 4;
	fix_ip4_csum(opt, 18);
	ck_assert_int_eq(pkt_parse(opt, (size_t)n + 4, PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_uint_eq(pi.lay.l4_off, 42);
	ck_assert_uint_eq(pi.lay.payload_off, 50);
	ck_assert_uint_eq(pi.lay.udp_csum_off, 48);
	ck_assert_uint_eq(pi.lay.payload_len, 44);
	ck_assert_uint_eq(opt[pi.lay.payload_off + 3], 9);
	/* IHL 15 claims 60 bytes of header that are not there. */
	opt[18] = 0x4f;
	fix_ip4_csum(opt, 18);
	ck_assert_int_ne(parse_v(opt, (size_t)n + 4), MP_OK);
	ck_assert_int_ne(parse_v(opt, 18 + 40), MP_OK);
#undef RESET
}
END_TEST

START_TEST(test_reasons_ipv6)
{
	uint8_t buf[256];
	struct pkt_layout lay;
	struct pkt_info pi;
	int n;

#define RESET() do { n = base_frame(buf, sizeof(buf), 6, 0, &lay); } while (0)
	RESET();
	buf[14] = 0x40;		/* version 4 in an IPv6 EtherType */
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_BAD_IP_HEADER);
	RESET();
	buf[19] += 1;		/* payload length past the frame */
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_TRUNCATED);
	RESET();
	buf[19] -= 1;		/* shorter than the UDP length */
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_BAD_UDP_LENGTH);
	RESET();
	buf[18] = 0;
	buf[19] = 4;		/* no room for a UDP header */
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_BAD_IP_HEADER);
	RESET();
	buf[20] = 44;		/* fragment header */
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_IP_FRAGMENT);
	buf[20] = 0;		/* hop-by-hop, whose header would be the UDP header: too long */
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_BAD_IP_HEADER);
	buf[20] = 6;
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_NOT_UDP);
	RESET();
	buf[lay.udp_csum_off] = buf[lay.udp_csum_off + 1] = 0;	/* mandatory over IPv6 */
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_BAD_UDP_CHECKSUM);
	ck_assert_int_eq(pkt_parse(buf, (size_t)n, 0, &pi), MP_OK);
	RESET();
	buf[lay.payload_off + 43] ^= 1;
	ck_assert_int_eq(parse_v(buf, (size_t)n), MP_R_BAD_UDP_CHECKSUM);
	/* Hop limit and traffic class are reported as received. */
	RESET();
	buf[21] = 3;
	buf[14] = 0x6f;
	buf[15] = 0xc0;
	ck_assert_int_eq(pkt_parse(buf, (size_t)n, PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_uint_eq(pi.ttl, 3);
	ck_assert_uint_eq(pi.tos, 0xfc);
#undef RESET
}
END_TEST

START_TEST(test_reasons_arp)
{
	uint8_t buf[64];
	struct pkt_info pi;

#define RESET() memcpy(buf, VEC_ARP, 60)
	RESET();
	buf[19] = 6;		/* hardware type IEEE 802 */
	ck_assert_int_eq(parse_v(buf, 60), MP_R_BAD_ARP);
	RESET();
	buf[20] = 0x86;
	buf[21] = 0xdd;
	ck_assert_int_eq(parse_v(buf, 60), MP_R_BAD_ARP);
	RESET();
	buf[22] = 8;
	ck_assert_int_eq(parse_v(buf, 60), MP_R_BAD_ARP);
	RESET();
	buf[23] = 16;
	ck_assert_int_eq(parse_v(buf, 60), MP_R_BAD_ARP);
	RESET();
	buf[25] = 3;		/* RARP request */
	ck_assert_int_eq(parse_v(buf, 60), MP_R_BAD_ARP);
	buf[25] = 0;
	ck_assert_int_eq(parse_v(buf, 60), MP_R_BAD_ARP);
	RESET();
	buf[25] = 2;
	ck_assert_int_eq(pkt_parse(buf, 46, 0, &pi), MP_OK);	/* unpadded */
	ck_assert_uint_eq(pi.arp.op, 2);
#undef RESET
}
END_TEST

START_TEST(test_reasons_nd)
{
	uint8_t buf[256];
	struct pkt_info pi;

#define RESET() memcpy(buf, VEC_NS, 86)
	RESET();
	buf[21] = 64;		/* hop limit: off-link, or forged */
	ck_assert_int_eq(parse_v(buf, 86), MP_R_BAD_ND);
	RESET();
	buf[55] = 1;		/* code */
	fix_icmp6_csum(buf, 14);
	ck_assert_int_eq(parse_v(buf, 86), MP_R_BAD_ND);
	RESET();
	buf[57] ^= 1;		/* checksum, checked even without PKT_VERIFY_CSUM */
	ck_assert_int_eq(pkt_parse(buf, 86, 0, &pi), MP_R_BAD_ND);
	RESET();
	buf[19] = 20;		/* shorter than an NS */
	fix_icmp6_csum(buf, 14);
	ck_assert_int_eq(parse_v(buf, 86), MP_R_BAD_ND);
	RESET();
	buf[19] = 3;		/* not even an ICMPv6 header */
	ck_assert_int_eq(parse_v(buf, 86), MP_R_TRUNCATED);
	RESET();
	buf[79] = 0;		/* option length 0 (RFC 4861: discard) */
	fix_icmp6_csum(buf, 14);
	ck_assert_int_eq(parse_v(buf, 86), MP_R_BAD_ND);
	RESET();
	buf[79] = 2;		/* option runs past the packet */
	fix_icmp6_csum(buf, 14);
	ck_assert_int_eq(parse_v(buf, 86), MP_R_BAD_ND);
	RESET();
	buf[19] = 25;		/* one byte of a 2-byte option header */
	fix_icmp6_csum(buf, 14);
	ck_assert_int_eq(parse_v(buf, 86), MP_R_BAD_ND);
	RESET();
	buf[62] = 0xff;		/* multicast target */
	fix_icmp6_csum(buf, 14);
	ck_assert_int_eq(parse_v(buf, 86), MP_R_BAD_ND);

	/* An unknown option before the source link-layer one is skipped. */
	memcpy(buf, VEC_NS, 78);
	buf[78] = 14;		/* nonce option, 8 bytes */
	buf[79] = 1;
	memset(buf + 80, 0x5a, 6);
	memcpy(buf + 86, VEC_NS + 78, 8);
	buf[19] = 40;
	fix_icmp6_csum(buf, 14);
	ck_assert_int_eq(pkt_parse(buf, 94, 0, &pi), MP_OK);
	ck_assert(pi.nd.has_lladdr);
	ck_assert_mem_eq(pi.nd.lladdr, MAC_A, 6);
	/* An NS's target link-layer option is not its source address. */
	memcpy(buf, VEC_NS, 86);
	buf[78] = 2;
	fix_icmp6_csum(buf, 14);
	ck_assert_int_eq(pkt_parse(buf, 86, 0, &pi), MP_OK);
	ck_assert(!pi.nd.has_lladdr);

	/* Other ICMPv6 (an echo request, hop limit 64) is passed up. */
	RESET();
	buf[21] = 64;
	buf[54] = 128;
	fix_icmp6_csum(buf, 14);
	ck_assert_int_eq(pkt_parse(buf, 86, PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_int_eq(pi.kind, PKT_KIND_ICMP6_OTHER);
	ck_assert_uint_eq(pi.lay.l4_off, 54);
	ck_assert_uint_eq(pi.lay.payload_len, 32);
#undef RESET
}
END_TEST

/*
 * The fast path builds a template with seq and T1 zero, then per packet
 * writes them and patches the UDP checksum with csum_patch(): the result
 * must equal a full recomputation, for every family and encapsulation.
 */
START_TEST(test_csum_patch)
{
	uint8_t tmpl[300], buf[300], stamp[44] = { 0 };
	struct pkt_layout lay;
	struct pkt_flow f;
	unsigned e, fam, it, i;
	uint16_t t_csum, got, want;
	uint32_t delta;
	int n;

	srand(8972);
	for (e = 0; e < N_ENCAPS; e++) {
		for (fam = 4; fam <= 6; fam += 2) {
			flow_init(&f, (int)fam, ENCAPS[e].nvlan, ENCAPS[e].outer);
			f.sport = (uint16_t)rand();
			stamp[14] = (uint8_t)rand();	/* SSID */
			stamp[13] = 0x01;
			n = pkt_build_udp(tmpl, sizeof(tmpl), &f, stamp, 44,
					  pkt_min_frame_size(&f.encap, (int)fam, 44) +
					  (uint32_t)rand() % 100, &lay);
			ck_assert_int_gt(n, 0);
			t_csum = rd16(tmpl + lay.udp_csum_off);
			for (it = 0; it < 50000; it++) {
				uint8_t *p;

				memcpy(buf, tmpl, (size_t)n);
				p = buf + lay.payload_off;
				for (i = 0; i < 12; i++)
					p[i] = (uint8_t)rand();
				/* Hit the edges: all zero, all ones. */
				if (it == 0)
					memset(p, 0, 12);
				if (it == 1)
					memset(p, 0xff, 12);
				delta = csum_add(0, p, 12);
				got = csum_patch(t_csum, delta);
				want = naive_udp_csum(buf, &lay, (int)fam);
				CHECK(got == want, "patched 0x%04x, recomputed 0x%04x", got, want);
				buf[lay.udp_csum_off] = (uint8_t)(got >> 8);
				buf[lay.udp_csum_off + 1] = (uint8_t)got;
				if ((it & 1023) == 0) {
					struct pkt_info pi;

					CHECK(pkt_parse(buf, (size_t)n, PKT_VERIFY_CSUM,
							&pi) == MP_OK, "patched frame refused");
				}
			}
		}
	}
}
END_TEST

/*
 * A template whose checksum came out as 0xffff (the sum was zero) patches
 * correctly too: choose the ports so that the template's sum is all ones.
 */
START_TEST(test_csum_patch_ffff_template)
{
	uint8_t tmpl[128], buf[128], stamp[44] = { 0 };
	struct pkt_layout lay;
	struct pkt_flow f;
	uint16_t c;
	int n = 0, found = 0;
	unsigned sport, it, i;

	flow_init(&f, 4, 0, 0);
	for (sport = 0; sport < 65536 && !found; sport++) {
		f.sport = (uint16_t)sport;
		n = pkt_build_udp(tmpl, sizeof(tmpl), &f, stamp, 44, 90, &lay);
		c = rd16(tmpl + lay.udp_csum_off);
		found = c == 0xffff;
	}
	ck_assert_msg(found, "no sport gives a 0xffff template checksum");
	srand(1);
	for (it = 0; it < 10000; it++) {
		memcpy(buf, tmpl, (size_t)n);
		for (i = 0; i < 12; i++)
			buf[lay.payload_off + i] = (uint8_t)rand();
		CHECK(csum_patch(0xffff, csum_add(0, buf + lay.payload_off, 12)) ==
		      naive_udp_csum(buf, &lay, 4), "iteration %u", it);
	}
}
END_TEST

START_TEST(test_ip_addr)
{
	static const char *const bad[] = {
		"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4/",
		"1.2.3.4/33", "1.2.3.4/-1", "1.2.3.4/+1", "1.2.3.4/1a", "1.2.3.4/0001",
		"2001:db8::1/129", "2001:db8:::1", "2001:db8::g", "fe80::1%eth0", "::1/",
		"1.2.3.4/24/1", "hello", "0x01020304", "/24",
		"1111:2222:3333:4444:5555:6666:7777:8888:9999",
	};
	struct ip_addr a, b;
	char s[64];
	size_t i;
	int plen;

	ck_assert_int_eq(ip_addr_parse("192.0.2.1", &a, &plen), 0);
	ck_assert_uint_eq(a.family, 4);
	ck_assert_int_eq(plen, 32);
	ck_assert_uint_eq(a.b[0], 192);
	ck_assert_uint_eq(a.b[3], 1);
	ck_assert_int_eq(ip_addr_parse("192.0.2.1/30", &a, &plen), 0);
	ck_assert_int_eq(plen, 30);
	ck_assert_int_eq(ip_addr_parse("0.0.0.0/0", &a, &plen), 0);
	ck_assert_int_eq(plen, 0);
	ck_assert_int_eq(ip_addr_parse("2001:db8::1", &a, NULL), 0);
	ck_assert_uint_eq(a.family, 6);
	ck_assert_uint_eq(a.b[1], 0x01);
	ck_assert_uint_eq(a.b[15], 0x01);
	ck_assert_int_eq(ip_addr_parse("2001:DB8::1/127", &b, &plen), 0);
	ck_assert_int_eq(plen, 127);
	ck_assert(ip_addr_equal(&a, &b));
	ck_assert_int_eq(ip_addr_parse("::ffff:192.0.2.1", &a, &plen), 0);
	ck_assert_uint_eq(a.family, 6);
	ck_assert_int_eq(plen, 128);
	/* A prefix with nowhere to put it is an error, not silently dropped. */
	ck_assert_int_eq(ip_addr_parse("192.0.2.1/30", &a, NULL), -EINVAL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(ip_addr_parse(bad[i], &a, &plen) == -EINVAL, "accepted \"%s\"",
			      bad[i]);
	ck_assert_int_eq(ip_addr_parse(NULL, &a, &plen), -EINVAL);

	ck_assert_int_eq(ip_addr_parse("2001:db8:0:0:0:0:0:1", &a, NULL), 0);
	ck_assert_int_eq(ip_addr_format(&a, s, sizeof(s)), 0);
	ck_assert_str_eq(s, "2001:db8::1");
	ck_assert_int_eq(ip_addr_format(&a, s, 5), -ENOSPC);
	ck_assert_int_eq(ip_addr_parse("198.51.100.254", &a, NULL), 0);
	ck_assert_int_eq(ip_addr_format(&a, s, sizeof(s)), 0);
	ck_assert_str_eq(s, "198.51.100.254");
	a.family = 0;
	ck_assert_int_eq(ip_addr_format(&a, s, sizeof(s)), -EINVAL);

	/* Equality looks at the family and the address bytes only. */
	ck_assert_int_eq(ip_addr_parse("192.0.2.1", &a, NULL), 0);
	b = a;
	b.b[10] = 0x77;
	ck_assert(ip_addr_equal(&a, &b));
	b.b[3] = 2;
	ck_assert(!ip_addr_equal(&a, &b));
	ck_assert_int_eq(ip_addr_parse("::c000:201", &b, NULL), 0);
	ck_assert(!ip_addr_equal(&a, &b));

	ck_assert_int_eq(ip_addr_parse("192.0.2.1", &a, NULL), 0);
	ck_assert_int_eq(ip_addr_parse("192.0.2.2", &b, NULL), 0);
	ck_assert(ip_addr_same_prefix(&a, &b, 30));
	ck_assert(ip_addr_same_prefix(&a, &b, 0));
	ck_assert(!ip_addr_same_prefix(&a, &b, 31));
	ck_assert(!ip_addr_same_prefix(&a, &b, 32));
	ck_assert(!ip_addr_same_prefix(&a, &b, 33));
	ck_assert(!ip_addr_same_prefix(&a, &b, -1));
	ck_assert(ip_addr_same_prefix(&a, &a, 32));
	ck_assert_int_eq(ip_addr_parse("192.0.3.1", &b, NULL), 0);
	ck_assert(ip_addr_same_prefix(&a, &b, 23));
	ck_assert(!ip_addr_same_prefix(&a, &b, 24));
	ck_assert_int_eq(ip_addr_parse("2001:db8::1", &a, NULL), 0);
	ck_assert_int_eq(ip_addr_parse("2001:db8::8001", &b, NULL), 0);
	ck_assert(ip_addr_same_prefix(&a, &b, 112));
	ck_assert(!ip_addr_same_prefix(&a, &b, 113));
	ck_assert(ip_addr_same_prefix(&a, &a, 128));
	ck_assert(!ip_addr_same_prefix(&a, &a, 129));
	ck_assert_int_eq(ip_addr_parse("192.0.2.1", &b, NULL), 0);
	ck_assert(!ip_addr_same_prefix(&a, &b, 0));
}
END_TEST

START_TEST(test_mac)
{
	static const char *const bad[] = {
		"", "02:00:00:00:00", "02:00:00:00:00:01:02", "02:00:00:00:00:0g",
		"02-00:00:00:00:01", "2:0:0:0:0:1", "02:00:00:00:00:01 ", "0200.0000.0001",
		"02:00:00:00:00:1", "02::00:00:00:00:01", "+2:00:00:00:00:01",
	};
	const uint8_t want[6] = { 0x02, 0xab, 0xcd, 0xef, 0x00, 0x01 };
	uint8_t mac[6];
	char s[18];
	size_t i;

	ck_assert_int_eq(mac_parse("02:ab:cd:ef:00:01", mac), 0);
	ck_assert_mem_eq(mac, want, 6);
	memset(mac, 0, 6);
	ck_assert_int_eq(mac_parse("02-AB-Cd-eF-00-01", mac), 0);
	ck_assert_mem_eq(mac, want, 6);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(mac_parse(bad[i], mac) == -EINVAL, "accepted \"%s\"", bad[i]);
	ck_assert_int_eq(mac_parse(NULL, mac), -EINVAL);
	ck_assert_int_eq(mac_format(want, s, sizeof(s)), 0);
	ck_assert_str_eq(s, "02:ab:cd:ef:00:01");
	ck_assert_int_eq(mac_format(want, s, 17), -ENOSPC);
}
END_TEST

static void
pcap_put32(FILE *f, uint32_t v)
{
	fwrite(&v, 4, 1, f);
}

/*
 * An independent check where tshark exists: write the built frames to a
 * pcap and let Wireshark's dissectors verify every checksum.
 */
START_TEST(test_tshark)
{
	static uint8_t frames[16][1600];
	int lens[16], nframes = 0, i;
	char path[] = "/tmp/mp_test_pkt_XXXXXX";
	char cmd[512], line[512];
	uint8_t payload[44] = { 0, 0, 0, 1 };
	struct pkt_flow f;
	unsigned e, good = 0, bad = 0;
	FILE *fp, *p;
	int fd;

	if (access("/usr/bin/tshark", X_OK) != 0) {
		fprintf(stderr, "test_tshark: tshark not installed, skipping\n");
		return;
	}
	for (e = 0; e < N_ENCAPS; e++) {
		flow_init(&f, 4, ENCAPS[e].nvlan, ENCAPS[e].outer);
		lens[nframes] = pkt_build_udp(frames[nframes], 1600, &f, payload, 44,
					      e == 0 ? 64 + 26 : 1518, NULL);
		nframes++;
		flow_init(&f, 6, ENCAPS[e].nvlan, ENCAPS[e].outer);
		lens[nframes] = pkt_build_udp(frames[nframes], 1600, &f, payload, 44,
					      e == 0 ? 111 : 1001, NULL);
		nframes++;
	}
	{
		const uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
		const uint8_t b[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
		struct pkt_encap q = { .nvlan = 1, .vlan = { { TPID_8021Q, 42 } } };

		lens[nframes] = pkt_build_nd(frames[nframes], 1600, &q, false, MAC_A, a, NULL,
					     NULL, b);
		nframes++;
		lens[nframes] = pkt_build_nd(frames[nframes], 1600, NULL, true, MAC_A, a, MAC_B,
					     b, a);
		nframes++;
	}
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "wb");
	pcap_put32(fp, 0xa1b2c3d4);
	pcap_put32(fp, 2 | 4 << 16);
	pcap_put32(fp, 0);
	pcap_put32(fp, 0);
	pcap_put32(fp, 65535);
	pcap_put32(fp, 1);
	for (i = 0; i < nframes; i++) {
		ck_assert_int_gt(lens[i], 0);
		pcap_put32(fp, (uint32_t)i);
		pcap_put32(fp, 0);
		pcap_put32(fp, (uint32_t)lens[i]);
		pcap_put32(fp, (uint32_t)lens[i]);
		fwrite(frames[i], 1, (size_t)lens[i], fp);
	}
	fclose(fp);
	snprintf(cmd, sizeof(cmd),
		 "tshark -r %s -V -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE "
		 "2>/dev/null", path);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	while (fgets(line, sizeof(line), p) != NULL) {
		if (strstr(line, "[correct]") != NULL)
			good++;
		if (strstr(line, "incorrect") != NULL || strstr(line, "Malformed") != NULL ||
		    strstr(line, "Bad checksum") != NULL)
			bad++;
	}
	pclose(p);
	unlink(path);
	/* 6 IPv4 headers + 12 UDP + 2 ICMPv6 checksums. */
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_eq(good, 6 + 12 + 2);
}
END_TEST


START_TEST(test_icmp_errors)
{
	static const uint8_t from4[4] = { 192, 0, 2, 2 }, from6[16] = { 0x20, 0x01, 0x0d, 0xb8,
		[15] = 0x09 };
	uint8_t f[256], v6[128];
	struct pkt_info pi;
	struct pkt_flow fl;
	size_t n;

	/* IPv4 port unreachable quoting 20 + 8 bytes of VEC_V4's probe */
	n = icmp_error_frame(f, VEC_V4, 14, 28, 4, 3, 3, from4);
	ck_assert_int_eq(pkt_parse(f, n, PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_int_eq(pi.kind, PKT_KIND_ICMP_ERROR);
	ck_assert_int_eq(pi.icmp.err, MP_ICMP_REFLECTOR_UNREACHABLE);
	ck_assert_str_eq(mp_icmp_err_names[pi.icmp.err], "reflector_unreachable");
	ck_assert_mem_eq(pi.src.b, from4, 4);
	ck_assert_mem_eq(pi.icmp.qsrc.b, VEC_V4 + 26, 4);
	ck_assert_mem_eq(pi.icmp.qdst.b, VEC_V4 + 30, 4);
	ck_assert_uint_eq(pi.icmp.qsport, 50000);
	ck_assert_uint_eq(pi.icmp.qdport, 862);
	/* the whole probe quoted (Linux quotes up to 576 bytes): the same */
	n = icmp_error_frame(f, VEC_V4, 14, 72, 4, 3, 3, from4);
	ck_assert_int_eq(pkt_parse(f, n, PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_uint_eq(pi.icmp.qdport, 862);
	/* time exceeded, host unreachable, prohibited, frag needed */
	n = icmp_error_frame(f, VEC_V4, 14, 28, 4, 11, 0, from4);
	ck_assert_int_eq(pkt_parse(f, n, PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_int_eq(pi.icmp.err, MP_ICMP_TTL_EXCEEDED);
	n = icmp_error_frame(f, VEC_V4, 14, 28, 4, 3, 1, from4);
	ck_assert_int_eq(pkt_parse(f, n, PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_int_eq(pi.icmp.err, MP_ICMP_HOST_UNREACHABLE);
	n = icmp_error_frame(f, VEC_V4, 14, 28, 4, 3, 13, from4);
	ck_assert_int_eq(pkt_parse(f, n, PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_int_eq(pi.icmp.err, MP_ICMP_PROHIBITED);
	n = icmp_error_frame(f, VEC_V4, 14, 28, 4, 3, 4, from4);
	ck_assert_int_eq(pkt_parse(f, n, PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_int_eq(pi.icmp.err, MP_ICMP_TOO_BIG);
	/* a quote too short for the UDP ports, and a bad checksum */
	n = icmp_error_frame(f, VEC_V4, 14, 22, 4, 3, 3, from4);
	ck_assert_int_eq(pkt_parse(f, n, PKT_VERIFY_CSUM, &pi), MP_R_BAD_ICMP);
	n = icmp_error_frame(f, VEC_V4, 14, 28, 4, 3, 3, from4);
	f[n - 1] ^= 1;
	ck_assert_int_eq(pkt_parse(f, n, PKT_VERIFY_CSUM, &pi), MP_R_BAD_ICMP);
	/* echo request: not an error, ordinary traffic */
	n = icmp_error_frame(f, VEC_V4, 14, 28, 4, 8, 0, from4);
	ck_assert_int_eq(pkt_parse(f, n, PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_int_eq(pi.kind, PKT_KIND_ICMP_OTHER);
	ck_assert_int_eq(pkt_ignored_kind(&pi), MP_IGN_ICMP);

	/* ICMPv6 port unreachable quoting a whole IPv6 probe */
	memset(&fl, 0, sizeof(fl));
	memcpy(fl.src_mac, MAC_A, 6);
	memcpy(fl.dst_mac, MAC_B, 6);
	ck_assert_int_eq(ip_addr_parse("2001:db8::1", &fl.src, NULL), 0);
	ck_assert_int_eq(ip_addr_parse("2001:db8::2", &fl.dst, NULL), 0);
	fl.sport = 863;
	fl.dport = 862;
	fl.ttl = 255;
	ck_assert_int_gt(pkt_build_udp(v6, sizeof(v6), &fl, NULL, 0, 128, NULL), 0);
	n = icmp_error_frame(f, v6, 14, 124 - 14, 6, 1, 4, from6);
	ck_assert_int_eq(pkt_parse(f, n, PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_int_eq(pi.kind, PKT_KIND_ICMP_ERROR);
	ck_assert_int_eq(pi.icmp.err, MP_ICMP_REFLECTOR_UNREACHABLE);
	ck_assert_mem_eq(pi.src.b, from6, 16);
	ck_assert_mem_eq(pi.icmp.qsrc.b, fl.src.b, 16);
	ck_assert_mem_eq(pi.icmp.qdst.b, fl.dst.b, 16);
	ck_assert_uint_eq(pi.icmp.qsport, 863);
	ck_assert_uint_eq(pi.icmp.qdport, 862);
	n = icmp_error_frame(f, v6, 14, 48, 6, 3, 0, from6);
	ck_assert_int_eq(pkt_parse(f, n, PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_int_eq(pi.icmp.err, MP_ICMP_TTL_EXCEEDED);
	n = icmp_error_frame(f, v6, 14, 48, 6, 2, 0, from6);
	ck_assert_int_eq(pkt_parse(f, n, PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_int_eq(pi.icmp.err, MP_ICMP_TOO_BIG);
	f[n - 1] ^= 1;
	ck_assert_int_eq(pkt_parse(f, n, PKT_VERIFY_CSUM, &pi), MP_R_BAD_ICMP);
	/* MLD report and router advertisement: ordinary link traffic */
	n = icmp_error_frame(f, v6, 14, 48, 6, 143, 0, from6);
	ck_assert_int_eq(pkt_parse(f, n, PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_int_eq(pkt_ignored_kind(&pi), MP_IGN_MLD);
	n = icmp_error_frame(f, v6, 14, 48, 6, 134, 0, from6);
	ck_assert_int_eq(pkt_parse(f, n, PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_int_eq(pkt_ignored_kind(&pi), MP_IGN_ND);
}
END_TEST

/* An MLDv2 report: hop-by-hop options (router alert), then ICMPv6 143: ignored as mld. */
START_TEST(test_mld_hop_by_hop)
{
	static const uint8_t f[] = {
		0x33, 0x33, 0, 0, 0, 0x16, 0x02, 0, 0, 0, 0, 0x02, 0x86, 0xdd,
		0x60, 0, 0, 0, 0, 16, 0, 1,			/* next header 0: hop-by-hop */
		0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
		0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x16,
		58, 0, 5, 2, 0, 0, 1, 0,			/* -> ICMPv6; router alert, PadN */
		143, 0, 0, 0, 0, 0, 0, 0,			/* MLDv2 report, no records */
	};
	uint8_t igmp[96];
	struct pkt_info pi;

	ck_assert_int_eq(pkt_parse(f, sizeof(f), PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_int_eq(pi.kind, PKT_KIND_ICMP6_OTHER);
	ck_assert_int_eq(pkt_ignored_kind(&pi), MP_IGN_MLD);
	ck_assert_str_eq(mp_ignored_names[MP_IGN_MLD], "mld");
	/* a hop-by-hop header longer than the packet */
	memcpy(igmp, f, sizeof(f));
	igmp[55] = 3;
	ck_assert_int_eq(pkt_parse(igmp, sizeof(f), 0, &pi), MP_R_BAD_IP_HEADER);
	/* IPv4 IGMP: ordinary link traffic too */
	memcpy(igmp, VEC_V4, 34);
	igmp[23] = 2;
	igmp[16] = 0;
	igmp[17] = 28;
	igmp[24] = igmp[25] = 0;
	{
		uint16_t cs = csum_fold(csum_add(0, igmp + 14, 20));

		igmp[24] = (uint8_t)(cs >> 8);
		igmp[25] = (uint8_t)cs;
	}
	memset(igmp + 34, 0, 8);
	ck_assert_int_eq(pkt_parse(igmp, 42, PKT_VERIFY_CSUM, &pi), MP_OK);
	ck_assert_int_eq(pkt_ignored_kind(&pi), MP_IGN_IGMP);
}
END_TEST

/* LLDP, STP (802.3 length + LLC), LACP: link control, ignored by kind; others not IP. */
START_TEST(test_l2_control)
{
	uint8_t f[64] = { 0x01, 0x80, 0xc2, 0, 0, 0x0e, 0x02, 0, 0, 0, 0, 0x01 };
	struct pkt_info pi;

	f[12] = 0x88;
	f[13] = 0xcc;
	ck_assert_int_eq(pkt_parse(f, 60, 0, &pi), MP_OK);
	ck_assert_int_eq(pkt_ignored_kind(&pi), MP_IGN_LLDP);
	f[12] = 0x00;
	f[13] = 0x26;
	ck_assert_int_eq(pkt_parse(f, 60, 0, &pi), MP_OK);
	ck_assert_int_eq(pkt_ignored_kind(&pi), MP_IGN_STP);
	f[12] = 0x88;
	f[13] = 0x09;
	ck_assert_int_eq(pkt_parse(f, 60, 0, &pi), MP_OK);
	ck_assert_int_eq(pkt_ignored_kind(&pi), MP_IGN_LACP);
	f[12] = 0x88;
	f[13] = 0xb5;
	ck_assert_int_eq(pkt_parse(f, 60, 0, &pi), MP_R_NOT_IP);
	ck_assert_str_eq(mp_ignored_names[MP_IGN_STP], "stp");
}
END_TEST

static Suite *
pkt_suite(void)
{
	Suite *s = suite_create("pkt");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_csum_rfc1071);
	tcase_add_test(tc, test_csum_random_alignment);
	tcase_add_test(tc, test_vector_v4);
	tcase_add_test(tc, test_vector_qinq_v6);
	tcase_add_test(tc, test_vector_arp);
	tcase_add_test(tc, test_vector_nd);
	tcase_add_test(tc, test_min_frame_size);
	tcase_add_test(tc, test_roundtrip_all_sizes);
	tcase_add_test(tc, test_truncations);
	tcase_add_test(tc, test_corruptions);
	tcase_add_test(tc, test_reasons_l2);
	tcase_add_test(tc, test_reasons_ipv4);
	tcase_add_test(tc, test_reasons_ipv6);
	tcase_add_test(tc, test_reasons_arp);
	tcase_add_test(tc, test_reasons_nd);
	tcase_add_test(tc, test_csum_patch);
	tcase_add_test(tc, test_csum_patch_ffff_template);
	tcase_add_test(tc, test_ip_addr);
	tcase_add_test(tc, test_mac);
	tcase_add_test(tc, test_tshark);
	tcase_add_test(tc, test_icmp_errors);
	tcase_add_test(tc, test_l2_control);
	tcase_add_test(tc, test_mld_hop_by_hop);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(pkt_suite)
