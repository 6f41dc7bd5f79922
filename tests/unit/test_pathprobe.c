/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Path probes (mp_path): identity encoding, probes built with their
 * identity as UDP checksum, ICMP / ICMPv6 errors quoting them matched with
 * 8-byte and long quotes, and what is refused: unknown, duplicate, spoofed,
 * truncated and foreign quotes, never evidence.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "mp_path.h"
#include "mp_pkt.h"
#include "mp_stamp.h"
#include "mp_test.h"
#include "icmp_frame.h"

#define SPORT_BASE	4000
#define RPORT		862

static const uint8_t ROUTER4[4] = { 10, 9, 0, 1 };
static const uint8_t ROUTER6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 9, [15] = 1 };

static void
link_init(struct path_link *lk, int family)
{
	memset(lk, 0, sizeof(*lk));
	lk->src.family = lk->dst.family = (uint8_t)family;
	if (family == 4) {
		const uint8_t s[4] = { 192, 0, 2, 1 }, d[4] = { 198, 51, 100, 2 };

		memcpy(lk->src.b, s, 4);
		memcpy(lk->dst.b, d, 4);
	} else {
		lk->src.b[0] = lk->dst.b[0] = 0x20;
		lk->src.b[1] = lk->dst.b[1] = 0x01;
		lk->src.b[15] = 1;
		lk->dst.b[14] = 0x51;
		lk->dst.b[15] = 2;
	}
	lk->sport_base = SPORT_BASE;
	lk->dport = RPORT;
	lk->flows = 3;
	lk->max_ttl = 16;
}

/* Path probe (round, flow, ttl) of lk into buf, as the dataplane sends it. */
static int
build_probe(uint8_t *buf, size_t cap, const struct path_link *lk, int nvlan, uint32_t round,
	    unsigned flow, unsigned ttl, struct pkt_layout *lay)
{
	uint8_t stamp[STAMP_UNAUTH_LEN];
	struct stamp_test t = { .seq = path_probe_seq(round, flow, ttl), .ts = 12345, .ssid = 7 };
	struct pkt_flow f;

	memset(&f, 0, sizeof(f));
	f.src_mac[0] = 2;
	f.dst_mac[0] = 4;
	f.encap.nvlan = (uint8_t)nvlan;
	f.encap.vlan[0].tci = 100;
	f.src = lk->src;
	f.dst = lk->dst;
	f.sport = (uint16_t)(lk->sport_base + flow);
	f.dport = lk->dport;
	f.ttl = (uint8_t)ttl;
	ck_assert_int_eq(stamp_test_encode(stamp, sizeof(stamp), STAMP_UNAUTH, &t), 0);
	return path_probe_build(buf, cap, &f, stamp, path_probe_id(round, flow, ttl), lay);
}

/* The ICMP error a router at from sends about probe buf, quoting quote bytes of its IP packet. */
static void
icmp_about(const uint8_t *probe, const struct pkt_layout *lay, size_t quote, int family,
	   const uint8_t *from, uint8_t type, uint8_t code, struct pkt_info *pi)
{
	static uint8_t out[2048];
	size_t n = icmp_error_frame(out, probe, lay->l3_off, quote, family, type, code, from);

	/* the tags are not in the error (it is built untagged): parse what is there */
	ck_assert_int_eq(pkt_parse(out, n, PKT_VERIFY_CSUM, pi), MP_OK);
	ck_assert_int_eq(pi->kind, PKT_KIND_ICMP_ERROR);
}

START_TEST(test_identity)
{
	uint64_t seed = 11;
	int i;

	for (i = 0; i < 10000; i++) {
		uint32_t round = (uint32_t)rnd_range(&seed, 0, 0x7fffff);
		unsigned flow = (unsigned)rnd_range(&seed, 0, PATH_MAX_FLOWS - 1);
		unsigned ttl = (unsigned)rnd_range(&seed, 1, PATH_MAX_TTL);
		uint16_t id = path_probe_id(round, flow, ttl);
		uint32_t seq = path_probe_seq(round, flow, ttl);

		ck_assert_uint_ne(id, 0);
		ck_assert_uint_eq(seq & 0xffff, id);
		ck_assert_uint_eq(seq >> 9, round);
		ck_assert_uint_eq((id >> 6) & 7, flow);
		ck_assert_uint_eq(id & 0x3f, ttl);
	}
}
END_TEST

/* Every probe parses with correct checksums, its identity in the UDP checksum and IPv4 ID. */
START_TEST(test_build)
{
	int family = _i % 2 ? 6 : 4, nvlan = _i / 2;
	uint64_t seed = 23 + (uint64_t)_i;
	struct path_link lk;
	int k;

	link_init(&lk, family);
	for (k = 0; k < 2000; k++) {
		uint32_t round = (uint32_t)rnd_range(&seed, 0, 100000);
		unsigned flow = (unsigned)rnd_range(&seed, 0, 2), ttl = (unsigned)rnd_range(&seed, 1, 16);
		uint8_t buf[256];
		struct pkt_layout lay;
		struct pkt_info pi;
		struct stamp_test t;
		int n = build_probe(buf, sizeof(buf), &lk, nvlan, round, flow, ttl, &lay);
		uint16_t id = path_probe_id(round, flow, ttl);

		ck_assert_int_gt(n, 0);
		ck_assert_int_eq(pkt_parse(buf, (size_t)n, PKT_VERIFY_CSUM, &pi), MP_OK);
		ck_assert_int_eq(pi.kind, PKT_KIND_UDP);
		ck_assert_uint_eq(pi.ttl, ttl);
		ck_assert_uint_eq(pi.sport, SPORT_BASE + flow);
		ck_assert_uint_eq(pi.lay.payload_len, PATH_PAYLOAD_LEN);
		ck_assert_uint_eq((unsigned)(buf[lay.udp_csum_off] << 8 | buf[lay.udp_csum_off + 1]), id);
		if (family == 4)
			ck_assert_uint_eq((unsigned)(buf[lay.l3_off + 4] << 8 | buf[lay.l3_off + 5]), id);
		ck_assert_int_eq(stamp_test_decode(buf + lay.payload_off, STAMP_UNAUTH_LEN,
						   STAMP_UNAUTH, &t), 0);
		ck_assert_uint_eq(t.seq, path_probe_seq(round, flow, ttl));
	}
}
END_TEST

/*
 * A round: TTL steps, time exceeded from a router with an 8-byte quote
 * (RFC 792) and with the whole probe quoted (RFC 1812 / ICMPv6), the
 * reflector's reply, and the round complete.
 */
START_TEST(test_round_quotes)
{
	int family = _i ? 6 : 4;
	const uint8_t *router = family == 4 ? ROUTER4 : ROUTER6;
	size_t hl = family == 4 ? PKT_IPV4_HLEN : PKT_IPV6_HLEN;
	struct path_round r;
	struct path_link lk;
	struct pkt_layout lay;
	struct pkt_info pi;
	uint8_t buf[256], flows[PATH_MAX_FLOWS], ttl = 0;
	int n;

	link_init(&lk, family);
	path_round_begin(&r, &lk, 77);
	ck_assert_uint_eq(path_round_step(&r, 1000, &ttl, flows), 3);
	ck_assert_uint_eq(ttl, 1);
	ck_assert(!path_round_complete(&r, 1000, 500));
	/* flow 1, TTL 1: an 8-byte quote */
	n = build_probe(buf, sizeof(buf), &lk, 0, 77, 1, 1, &lay);
	ck_assert_int_gt(n, 0);
	icmp_about(buf, &lay, hl + 8, family, router, family == 4 ? 11 : 3, 0, &pi);
	ck_assert(path_quotes_flow(&lk, &pi));
	ck_assert_uint_eq(pi.icmp.qhave, PKT_Q_UDP_HDR);
	ck_assert_int_eq(path_match_icmp(&r, &pi, 1400), MP_OK);
	ck_assert_uint_eq(r.hop[1][0].state, PATH_HOP_ROUTER);
	ck_assert_uint_eq(r.hop[1][0].rtt_ns, 400);
	ck_assert_mem_eq(r.hop[1][0].addr.b, router, family == 4 ? 4 : 16);
	/* the same again: answered already, no evidence */
	ck_assert_int_eq(path_match_icmp(&r, &pi, 1500), MP_R_PATH_UNKNOWN);
	/* flow 0, TTL 1: the whole probe quoted (its STAMP sequence checked too) */
	n = build_probe(buf, sizeof(buf), &lk, 0, 77, 0, 1, &lay);
	icmp_about(buf, &lay, (size_t)n - lay.l3_off, family, router, family == 4 ? 11 : 3, 0, &pi);
	ck_assert_uint_eq(pi.icmp.qhave, PKT_Q_UDP_HDR | PKT_Q_STAMP_SEQ);
	ck_assert_int_eq(path_match_icmp(&r, &pi, 1100), MP_OK);
	/* TTL 2: the reflector answers flow 0 and flow 2; flow 1 sees nothing */
	ck_assert_uint_eq(path_round_step(&r, 2000, &ttl, flows), 3);
	ck_assert_uint_eq(ttl, 2);
	ck_assert_int_eq(path_match_reply(&r, SPORT_BASE + 0, path_probe_seq(77, 0, 2), &lk.dst,
					  2100), MP_OK);
	ck_assert_int_eq(path_match_reply(&r, SPORT_BASE + 2, path_probe_seq(77, 2, 2), &lk.dst,
					  2200), MP_OK);
	/* a reply echoing another flow's sequence, or another round's */
	ck_assert_int_eq(path_match_reply(&r, SPORT_BASE + 1, path_probe_seq(77, 2, 2), &lk.dst,
					  2200), MP_R_PATH_MISMATCH);
	ck_assert_int_eq(path_match_reply(&r, SPORT_BASE + 1, path_probe_seq(76, 1, 2), &lk.dst,
					  2200), MP_R_PATH_UNKNOWN);
	ck_assert_uint_eq(r.end_ttl[0], 2);
	ck_assert_uint_eq(r.end_ttl[2], 2);
	/* only flow 1 goes on, up to max_ttl */
	ck_assert_uint_eq(path_round_step(&r, 3000, &ttl, flows), 1);
	ck_assert_uint_eq(flows[0], 1);
	ck_assert_uint_eq(ttl, 3);
	while (path_round_step(&r, 4000, &ttl, flows) != 0)
		;
	ck_assert_uint_eq(ttl, 16);
	ck_assert_uint_eq(path_flow_last_ttl(&r, 1), 16);
	ck_assert_uint_eq(path_flow_last_ttl(&r, 0), 2);
	ck_assert(!path_round_complete(&r, 4100, 500));
	ck_assert(path_round_complete(&r, 4500, 500));
}
END_TEST

/* Quotes of probes we never sent, or whose fields disagree: refused by reason. */
START_TEST(test_refused)
{
	int family = _i ? 6 : 4;
	const uint8_t *router = family == 4 ? ROUTER4 : ROUTER6;
	size_t hl = family == 4 ? PKT_IPV4_HLEN : PKT_IPV6_HLEN;
	struct path_round r;
	struct path_link lk, other;
	struct pkt_layout lay;
	struct pkt_info pi;
	uint8_t buf[256], flows[PATH_MAX_FLOWS], ttl = 0;
	int n;

	link_init(&lk, family);
	path_round_begin(&r, &lk, 5);
	path_round_step(&r, 1000, &ttl, flows);
	/* TTL 2 was never sent */
	n = build_probe(buf, sizeof(buf), &lk, 0, 5, 0, 2, &lay);
	icmp_about(buf, &lay, hl + 8, family, router, family == 4 ? 11 : 3, 0, &pi);
	ck_assert_int_eq(path_match_icmp(&r, &pi, 1100), MP_R_PATH_UNKNOWN);
	/* another round's TTL 1 */
	n = build_probe(buf, sizeof(buf), &lk, 0, 4, 0, 1, &lay);
	icmp_about(buf, &lay, hl + 8, family, router, family == 4 ? 11 : 3, 0, &pi);
	ck_assert_int_eq(path_match_icmp(&r, &pi, 1100), MP_R_PATH_UNKNOWN);
	/* the identity of flow 2 on flow 0's port: spoofed */
	n = build_probe(buf, sizeof(buf), &lk, 0, 5, 0, 1, &lay);
	icmp_about(buf, &lay, (size_t)n - lay.l3_off, family, router, family == 4 ? 11 : 3, 0, &pi);
	pi.icmp.qucsum = path_probe_id(5, 2, 1);
	ck_assert_int_eq(path_match_icmp(&r, &pi, 1100), MP_R_PATH_MISMATCH);
	/* the right checksum, a quoted STAMP sequence of another probe */
	icmp_about(buf, &lay, (size_t)n - lay.l3_off, family, router, family == 4 ? 11 : 3, 0, &pi);
	pi.icmp.qseq = path_probe_seq(5, 0, 1) ^ 1;
	ck_assert_int_eq(path_match_icmp(&r, &pi, 1100), MP_R_PATH_MISMATCH);
	pi.icmp.qseq = path_probe_seq(5 + 128, 0, 1);	/* the same identity, another round */
	ck_assert_uint_eq(pi.icmp.qseq & 0xffff, path_probe_id(5, 0, 1));
	ck_assert_int_eq(path_match_icmp(&r, &pi, 1100), MP_R_PATH_UNKNOWN);
	/* another UDP length */
	icmp_about(buf, &lay, (size_t)n - lay.l3_off, family, router, family == 4 ? 11 : 3, 0, &pi);
	pi.icmp.qulen += 2;
	ck_assert_int_eq(path_match_icmp(&r, &pi, 1100), MP_R_PATH_MISMATCH);
	if (family == 4) {
		/* an IPv4 ID that is not the checksum */
		icmp_about(buf, &lay, hl + 8, family, router, 11, 0, &pi);
		pi.icmp.qipid ^= 1;
		ck_assert_int_eq(path_match_icmp(&r, &pi, 1100), MP_R_PATH_MISMATCH);
	}
	/* a truncated quote: the ports but no checksum */
	icmp_about(buf, &lay, hl + 4, family, router, family == 4 ? 11 : 3, 0, &pi);
	ck_assert(path_quotes_flow(&lk, &pi));
	ck_assert_int_eq(path_match_icmp(&r, &pi, 1100), MP_R_PATH_SHORT_QUOTE);
	/* nothing of that was evidence: flow 0's TTL 1 is still unanswered */
	ck_assert_uint_eq(r.hop[0][0].state, PATH_HOP_SENT);
	ck_assert_uint_eq(r.pending, 3);
	/* a probe to another reflector port, or from a port of no flow: not ours */
	other = lk;
	other.dport = RPORT + 1;
	n = build_probe(buf, sizeof(buf), &other, 0, 5, 0, 1, &lay);
	icmp_about(buf, &lay, hl + 8, family, router, family == 4 ? 11 : 3, 0, &pi);
	ck_assert(!path_quotes_flow(&lk, &pi));
	other = lk;
	other.sport_base = SPORT_BASE + 3;
	n = build_probe(buf, sizeof(buf), &other, 0, 5, 0, 1, &lay);
	icmp_about(buf, &lay, hl + 8, family, router, family == 4 ? 11 : 3, 0, &pi);
	ck_assert(!path_quotes_flow(&lk, &pi));
	/* a destination unreachable about a probe in flight ends its flow, unreached */
	n = build_probe(buf, sizeof(buf), &lk, 0, 5, 1, 1, &lay);
	icmp_about(buf, &lay, hl + 8, family, router, family == 4 ? 3 : 1, family == 4 ? 1 : 3, &pi);
	ck_assert_int_eq(path_match_icmp(&r, &pi, 1100), MP_OK);
	ck_assert_uint_eq(r.hop[1][0].state, PATH_HOP_ERROR);
	ck_assert_uint_eq(r.hop[1][0].icmp_err, MP_ICMP_HOST_UNREACHABLE);
	ck_assert_uint_eq(r.end_ttl[1], 1);
	(void)n;
}
END_TEST

START_TEST(test_link_check)
{
	struct path_link lk;

	link_init(&lk, 4);
	ck_assert_int_eq(path_link_check(&lk), 0);
	lk.flows = 0;
	ck_assert_int_ne(path_link_check(&lk), 0);
	lk.flows = PATH_MAX_FLOWS + 1;
	ck_assert_int_ne(path_link_check(&lk), 0);
	lk.flows = 3;
	lk.max_ttl = PATH_MAX_TTL + 1;
	ck_assert_int_ne(path_link_check(&lk), 0);
	lk.max_ttl = 16;
	lk.sport_base = 65534;
	ck_assert_int_ne(path_link_check(&lk), 0);
}
END_TEST

static Suite *
pathprobe_suite(void)
{
	Suite *s = suite_create("pathprobe");
	TCase *tc = tcase_create("pathprobe");

	tcase_add_test(tc, test_identity);
	tcase_add_loop_test(tc, test_build, 0, 6);
	tcase_add_loop_test(tc, test_round_quotes, 0, 2);
	tcase_add_loop_test(tc, test_refused, 0, 2);
	tcase_add_test(tc, test_link_check);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(pathprobe_suite)
