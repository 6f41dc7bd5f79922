/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The receive fast path against the generic one: every reply it accepts,
 * the generic path accepts with the same fields; the replies it must accept
 * (our own, over every encapsulation and family, padded or not, with or
 * without a UDP checksum over IPv4) it does accept; and a million random
 * corruptions never make it accept what the generic path refuses.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mp_fastrx.h"
#include "mp_pkt.h"
#include "mp_stamp.h"
#include "mp_test.h"

#define CHECK(cond, ...) do {					\
	if (!(cond))						\
		ck_abort_msg(__VA_ARGS__);			\
} while (0)

struct setup {
	struct pkt_encap e;
	struct ip_addr local, remote;
	uint16_t lport, rport;
};

static void
setup_make(struct setup *s, int family, int nvlan)
{
	memset(s, 0, sizeof(*s));
	s->e.nvlan = (uint8_t)nvlan;
	s->e.vlan[0].tci = 100;
	s->e.vlan[1].tci = 200;
	ck_assert_int_eq(ip_addr_parse(family == 4 ? "192.0.2.1" : "2001:db8::1", &s->local, NULL), 0);
	ck_assert_int_eq(ip_addr_parse(family == 4 ? "192.0.2.2" : "2001:db8::2", &s->remote, NULL), 0);
	s->lport = 50001;
	s->rport = 862;
}

/* A reply as a reflector sends it: fields, then zero padding to the frame size. */
static int
reply_build(const struct setup *s, uint8_t *buf, size_t cap, uint32_t frame_size,
	    const struct stamp_reply *r)
{
	struct pkt_flow f;
	struct pkt_layout lay;
	uint8_t payload[STAMP_UNAUTH_LEN];

	ck_assert_int_eq(stamp_reply_encode(payload, sizeof(payload), STAMP_UNAUTH, r), 0);
	memset(&f, 0, sizeof(f));
	f.src_mac[0] = 0x02;
	f.dst_mac[0] = 0x02;
	f.dst_mac[5] = 1;
	f.encap = s->e;
	f.src = s->remote;
	f.dst = s->local;
	f.sport = s->rport;
	f.dport = s->lport;
	f.ttl = 64;
	f.dscp = 46;
	return pkt_build_udp(buf, cap, &f, payload, sizeof(payload), frame_size, &lay);
}

/* The generic path of the prober, as link_rx_one() takes it. */
static bool
generic_accepts(const struct setup *s, const uint8_t *d, size_t len, struct stamp_reply *r)
{
	struct pkt_info pi;

	if (pkt_parse(d, len, PKT_VERIFY_CSUM, &pi) != MP_OK || pi.kind != PKT_KIND_UDP)
		return false;
	if (!encap_matches(&s->e, &pi.encap) || !ip_addr_equal(&pi.dst, &s->local) ||
	    !ip_addr_equal(&pi.src, &s->remote) || pi.dport != s->lport || pi.sport != s->rport)
		return false;
	if (stamp_reply_decode(d + pi.lay.payload_off, pi.lay.payload_len, STAMP_UNAUTH, r) != 0)
		return false;
	return (r->have & (STAMP_HAVE_SENDER_SEQ | STAMP_HAVE_SENDER_TS)) ==
	       (STAMP_HAVE_SENDER_SEQ | STAMP_HAVE_SENDER_TS);
}

static void
same_fields(const struct stamp_reply *a, const struct stamp_reply *b)
{
	CHECK(a->seq == b->seq && a->ts == b->ts && a->errest == b->errest &&
	      a->ssid == b->ssid && a->rx_ts == b->rx_ts && a->sender_seq == b->sender_seq &&
	      a->sender_ts == b->sender_ts && a->sender_errest == b->sender_errest &&
	      a->sender_ttl == b->sender_ttl && a->len == b->len && a->have == b->have,
	      "fast and generic paths decode different fields (seq %u/%u)", a->seq, b->seq);
}

static void
sample_reply(struct stamp_reply *r, uint32_t i)
{
	memset(r, 0, sizeof(*r));
	r->seq = 7 + i;
	r->ts = 0xeeb1b99cc76d9b4eull + i;
	r->errest = 0x8001;
	r->ssid = 0x1234;
	r->rx_ts = 0xeeb1b99cc76d0000ull + i;
	r->sender_seq = 1000 + i;
	r->sender_ts = 0xeeb1b99cc7600000ull + 3 * i;
	r->sender_errest = 0x8002;
	r->sender_ttl = 250;
}

START_TEST(accepts_own_replies)
{
	static const uint32_t sizes[] = { 0, 128, 256, 1518, 9018 };
	static uint8_t buf[9100];
	int family, nvlan;
	unsigned k;

	for (family = 4; family <= 6; family += 2)
		for (nvlan = 0; nvlan <= 2; nvlan++)
			for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
				struct setup s;
				struct rx_match mt;
				struct stamp_reply r, fast, gen;
				uint32_t fs;
				int len;

				setup_make(&s, family, nvlan);
				ck_assert_int_eq(rx_match_init(&mt, &s.e, &s.local, &s.remote,
							       s.lport, s.rport), 0);
				fs = sizes[k] ? sizes[k] :
				     pkt_min_frame_size(&s.e, family, STAMP_UNAUTH_LEN);
				sample_reply(&r, k);
				len = reply_build(&s, buf, sizeof(buf), fs, &r);
				ck_assert_int_gt(len, 0);
				ck_assert_msg(generic_accepts(&s, buf, (size_t)len, &gen),
					      "generic refuses v%d nvlan %d size %u", family, nvlan, fs);
				ck_assert_msg(rx_match_reply(&mt, buf, (uint32_t)len, false, &fast),
					      "fast path refuses v%d nvlan %d size %u", family, nvlan, fs);
				same_fields(&fast, &gen);
				/* Ethernet padding after the IP packet is allowed */
				ck_assert(rx_match_reply(&mt, buf, (uint32_t)len + 6, false, &fast));
				/* the PCP of a tag may change on the way */
				if (nvlan > 0) {
					buf[14] |= 0xe0;
					ck_assert(rx_match_reply(&mt, buf, (uint32_t)len, false, &fast));
				}
			}
}
END_TEST

START_TEST(refuses_what_is_not_ours)
{
	static uint8_t buf[256], c[256];
	struct setup s;
	struct rx_match mt;
	struct stamp_reply r, fast;
	int len;

	setup_make(&s, 4, 1);
	ck_assert_int_eq(rx_match_init(&mt, &s.e, &s.local, &s.remote, s.lport, s.rport), 0);
	sample_reply(&r, 1);
	len = reply_build(&s, buf, sizeof(buf), 128, &r);
	ck_assert_int_gt(len, 0);
	ck_assert(rx_match_reply(&mt, buf, (uint32_t)len, false, &fast));
	/* another lane's port, another VLAN, another source, a fragment, a bad checksum */
	memcpy(c, buf, sizeof(c));
	c[18 + 20 + 3] ^= 1;
	ck_assert(!rx_match_reply(&mt, c, (uint32_t)len, false, &fast));
	memcpy(c, buf, sizeof(c));
	c[15] ^= 1;
	ck_assert(!rx_match_reply(&mt, c, (uint32_t)len, false, &fast));
	memcpy(c, buf, sizeof(c));
	c[18 + 12] ^= 1;
	ck_assert(!rx_match_reply(&mt, c, (uint32_t)len, false, &fast));
	memcpy(c, buf, sizeof(c));
	c[18 + 6] |= 0x20;
	ck_assert(!rx_match_reply(&mt, c, (uint32_t)len, false, &fast));
	memcpy(c, buf, sizeof(c));
	c[len - 1] ^= 0x40;
	ck_assert(!rx_match_reply(&mt, c, (uint32_t)len, false, &fast));
	/* ... unless the NIC says it checked the checksums: then they are not read */
	ck_assert(rx_match_reply(&mt, c, (uint32_t)len, true, &fast));
	/* truncated */
	ck_assert(!rx_match_reply(&mt, buf, (uint32_t)len - 1, false, &fast));
	/* untagged frame to a tagged match */
	setup_make(&s, 4, 0);
	len = reply_build(&s, buf, sizeof(buf), 128, &r);
	ck_assert(!rx_match_reply(&mt, buf, (uint32_t)len, false, &fast));
	/* mixed families are refused at set-up */
	setup_make(&s, 4, 0);
	ck_assert_int_eq(ip_addr_parse("2001:db8::2", &s.remote, NULL), 0);
	ck_assert_int_ne(rx_match_init(&mt, &s.e, &s.local, &s.remote, 1, 2), 0);
}
END_TEST

/* Random corruptions: whatever the fast path accepts, the generic path accepts alike. */
START_TEST(differential_corruptions)
{
	static uint8_t buf[512], c[512];
	uint32_t i, accepted = 0, seed = 12345;
	int family, nvlan;

	for (family = 4; family <= 6; family += 2)
		for (nvlan = 0; nvlan <= 2; nvlan++) {
			struct setup s;
			struct rx_match mt;
			struct stamp_reply r, fast, gen;
			int len;

			setup_make(&s, family, nvlan);
			ck_assert_int_eq(rx_match_init(&mt, &s.e, &s.local, &s.remote,
						       s.lport, s.rport), 0);
			sample_reply(&r, (uint32_t)nvlan);
			len = reply_build(&s, buf, sizeof(buf), 160, &r);
			ck_assert_int_gt(len, 0);
			for (i = 0; i < 200000; i++) {
				uint32_t n, k, clen = (uint32_t)len;

				memcpy(c, buf, sizeof(c));
				seed = seed * 1103515245u + 12345u;
				n = 1 + (seed >> 16) % 3;
				for (k = 0; k < n; k++) {
					seed = seed * 1103515245u + 12345u;
					/* mostly headers, where the checks are */
					c[(seed >> 8) % ((seed & 1) ? 80u : (uint32_t)len)] ^=
						(uint8_t)(1u << ((seed >> 24) & 7));
				}
				seed = seed * 1103515245u + 12345u;
				if ((seed >> 16) % 8 == 0)
					clen = (seed >> 4) % (uint32_t)len;
				/* a corruption that keeps the checksum right: fix it up sometimes */
				if (family == 4 && (seed >> 20) % 4 == 0) {
					c[mt.l4_off + 6] = 0;
					c[mt.l4_off + 7] = 0;
				}
				if (rx_match_reply(&mt, c, clen, false, &fast)) {
					accepted++;
					CHECK(generic_accepts(&s, c, clen, &gen),
					      "fast path accepts a frame the generic path refuses "
					      "(v%d nvlan %d iteration %u)", family, nvlan, i);
					same_fields(&fast, &gen);
				}
			}
		}
	/* a test that accepted nothing would prove nothing */
	ck_assert_uint_gt(accepted, 1000);
}
END_TEST

START_TEST(csum_raw_matches_csum_add)
{
	uint8_t b[300];
	uint32_t i, len, seed = 99;

	for (i = 0; i < sizeof(b); i++) {
		seed = seed * 1103515245u + 12345u;
		b[i] = (uint8_t)(seed >> 16);
	}
	for (len = 0; len < sizeof(b); len++) {
		uint16_t want = (uint16_t)~csum_fold(csum_add(0, b, len));
		uint16_t got = csum_raw_fold(csum_raw(b, len));

		/* csum_add gives network order, csum_raw native order */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		got = (uint16_t)(got >> 8 | got << 8);
#endif
		/* 0x0000 and 0xffff are the same number in ones' complement */
		if (want == 0xffff)
			want = 0;
		if (got == 0xffff)
			got = 0;
		ck_assert_msg(want == got, "len %u: csum_add %04x csum_raw %04x", len, want, got);
	}
}
END_TEST

static Suite *
fastrx_suite(void)
{
	Suite *s = suite_create("fastrx");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, accepts_own_replies);
	tcase_add_test(tc, refuses_what_is_not_ours);
	tcase_add_test(tc, differential_corruptions);
	tcase_add_test(tc, csum_raw_matches_csum_add);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(fastrx_suite)
