/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pkt_parse on arbitrary bytes, with and without checksum verification;
 * whatever it accepts must have a layout inside the frame, and its UDP
 * payload goes on to both STAMP decoders.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mp_pkt.h"
#include "mp_stamp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(c) do { if (!(c)) abort(); } while (0)

static void
fuzz_check_accepted(const uint8_t *data, size_t size, const struct pkt_info *pi)
{
	const struct pkt_layout *lay = &pi->lay;

	FUZZ_ASSERT(pi->encap.nvlan <= PKT_MAX_VLANS);
	FUZZ_ASSERT(lay->frame_len <= size);
	FUZZ_ASSERT(lay->l3_off >= 14 && lay->l3_off == 14 + 4 * pi->encap.nvlan);
	FUZZ_ASSERT((size_t)lay->payload_off + lay->payload_len <= size);
	switch (pi->kind) {
	case PKT_KIND_UDP: {
		struct stamp_reply r;
		struct stamp_test t;
		const uint8_t *p = data + lay->payload_off;
		int rc;

		FUZZ_ASSERT(pi->src.family == 4 || pi->src.family == 6);
		FUZZ_ASSERT(pi->dst.family == pi->src.family);
		FUZZ_ASSERT(lay->l4_off >= lay->l3_off + 20);
		FUZZ_ASSERT(lay->payload_off == lay->l4_off + 8);
		FUZZ_ASSERT(lay->udp_csum_off == lay->l4_off + 6);
		/* The UDP length field says what the layout says. */
		FUZZ_ASSERT((size_t)(data[lay->l4_off + 4] << 8 | data[lay->l4_off + 5]) ==
			    (size_t)lay->payload_len + 8);
		rc = stamp_reply_decode(p, lay->payload_len, STAMP_UNAUTH, &r);
		FUZZ_ASSERT(rc == (lay->payload_len >= STAMP_MIN_REPLY_LEN ? 0 : -EINVAL));
		if (rc == 0)
			FUZZ_ASSERT(r.len <= lay->payload_len);
		rc = stamp_test_decode(p, lay->payload_len, STAMP_UNAUTH, &t);
		FUZZ_ASSERT(rc == (lay->payload_len >= STAMP_MIN_SENDER_LEN ? 0 : -EINVAL));
		break;
	}
	case PKT_KIND_ARP:
		FUZZ_ASSERT(pi->arp.op == 1 || pi->arp.op == 2);
		FUZZ_ASSERT((size_t)lay->l3_off + 28 <= size);
		break;
	case PKT_KIND_ND_NS:
	case PKT_KIND_ND_NA:
	case PKT_KIND_ICMP6_OTHER:
		if (pi->kind != PKT_KIND_ICMP6_OTHER) {
			FUZZ_ASSERT(pi->ttl == 255 && lay->payload_len >= 24);
			FUZZ_ASSERT(lay->l4_off == lay->l3_off + 40);
		} else {
			/* MLD comes behind a hop-by-hop options header */
			FUZZ_ASSERT(lay->l4_off >= lay->l3_off + 40);
		}
		FUZZ_ASSERT(pi->src.family == 6);
		FUZZ_ASSERT(lay->payload_off == lay->l4_off);
		break;
	case PKT_KIND_ICMP_ERROR:
		/* the quoted packet was ours in shape: a UDP datagram of the same family */
		FUZZ_ASSERT(pi->icmp.err < MP_ICMP_MAX);
		FUZZ_ASSERT(pi->src.family == 4 || pi->src.family == 6);
		FUZZ_ASSERT(pi->icmp.qsrc.family == pi->src.family);
		FUZZ_ASSERT(pi->icmp.qdst.family == pi->src.family);
		FUZZ_ASSERT(lay->l4_off >= lay->l3_off + (pi->src.family == 4 ? 20 : 40));
		break;
	case PKT_KIND_ICMP_OTHER:
		FUZZ_ASSERT(pi->src.family == 4);
		FUZZ_ASSERT(lay->l4_off >= lay->l3_off + 20);
		break;
	case PKT_KIND_L2_CONTROL:
		FUZZ_ASSERT(pi->ignored < MP_IGN_MAX);
		break;
	default:
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_info pi, pv;
	enum mp_reason r, rv;

	r = pkt_parse(data, size, 0, &pi);
	FUZZ_ASSERT((unsigned)r < MP_R_REASON_MAX);
	if (r == MP_OK)
		fuzz_check_accepted(data, size, &pi);
	rv = pkt_parse(data, size, PKT_VERIFY_CSUM, &pv);
	FUZZ_ASSERT((unsigned)rv < MP_R_REASON_MAX);
	if (rv == MP_OK) {
		fuzz_check_accepted(data, size, &pv);
		/* Verifying can only refuse more, never accept differently. */
		FUZZ_ASSERT(r == MP_OK && pi.kind == pv.kind);
		FUZZ_ASSERT(memcmp(&pi.lay, &pv.lay, sizeof(pi.lay)) == 0);
	}
	return 0;
}
