/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The prober's receive fast path against its generic path. Byte 0 picks
 * the set-up (IPv4/IPv6, 0-2 VLAN tags) and the mode: bit 7 clear, the rest
 * of the input is a frame; bit 7 set, the rest is XORed over a valid reply
 * of 130 bytes (byte 1 its length, then the bytes), so the fuzzer starts next
 * to frames the fast path accepts. Whatever the fast path accepts, the
 * generic path must accept with the same fields.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mp_fastrx.h"
#include "mp_pkt.h"
#include "mp_stamp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(c) do { if (!(c)) abort(); } while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_encap e;
	struct ip_addr local, remote;
	struct rx_match mt;
	struct stamp_reply fast, gen;
	struct pkt_info pi;
	struct pkt_flow f;
	struct pkt_layout lay;
	uint8_t payload[STAMP_UNAUTH_LEN] = { 0 };
	uint8_t *frame;
	size_t len, i;
	int family;
	bool ok;

	if (size < 2)
		return 0;
	family = (data[0] & 1) ? 6 : 4;
	memset(&e, 0, sizeof(e));
	e.nvlan = (uint8_t)((data[0] >> 1) % 3);
	e.vlan[0].tci = 100;
	e.vlan[1].tci = 200;
	ip_addr_parse(family == 4 ? "192.0.2.1" : "2001:db8::1", &local, NULL);
	ip_addr_parse(family == 4 ? "192.0.2.2" : "2001:db8::2", &remote, NULL);
	FUZZ_ASSERT(rx_match_init(&mt, &e, &local, &remote, 50001, 862) == 0);
	if (data[0] & 0x80) {
		len = data[1];
		frame = malloc(len + 1);
		if (frame == NULL)
			return 0;
		memset(&f, 0, sizeof(f));
		f.encap = e;
		f.src = remote;
		f.dst = local;
		f.sport = 862;
		f.dport = 50001;
		f.ttl = 64;
		for (i = 0; i < STAMP_UNAUTH_LEN; i++)
			payload[i] = (uint8_t)(i * 7);
		{
			uint8_t full[134];
			int n = pkt_build_udp(full, sizeof(full), &f, payload, sizeof(payload), 134, &lay);

			FUZZ_ASSERT(n == 130);
			memset(frame, 0, len + 1);
			memcpy(frame, full, len < 130 ? len : 130);
		}
		for (i = 2; i < size && i - 2 < len; i++)
			frame[i - 2] ^= data[i];
	} else {
		len = size - 1;
		frame = malloc(len);
		if (frame == NULL)
			return 0;
		memcpy(frame, data + 1, len);
	}
	if (rx_match_reply(&mt, frame, (uint32_t)len, false, &fast)) {
		ok = pkt_parse(frame, len, PKT_VERIFY_CSUM, &pi) == MP_OK &&
		     pi.kind == PKT_KIND_UDP && encap_matches(&e, &pi.encap) &&
		     ip_addr_equal(&pi.dst, &local) && ip_addr_equal(&pi.src, &remote) &&
		     pi.dport == 50001 && pi.sport == 862 &&
		     stamp_reply_decode(frame + pi.lay.payload_off, pi.lay.payload_len,
					STAMP_UNAUTH, &gen) == 0;
		FUZZ_ASSERT(ok);
		FUZZ_ASSERT(fast.seq == gen.seq && fast.ts == gen.ts && fast.errest == gen.errest &&
			    fast.ssid == gen.ssid && fast.rx_ts == gen.rx_ts &&
			    fast.sender_seq == gen.sender_seq && fast.sender_ts == gen.sender_ts &&
			    fast.sender_errest == gen.sender_errest &&
			    fast.sender_ttl == gen.sender_ttl && fast.have == gen.have);
	}
	free(frame);
	return 0;
}
