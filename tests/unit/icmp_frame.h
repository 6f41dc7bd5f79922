/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests' ICMP and ICMPv6 errors quoting a built frame (test_pkt, test_pathprobe). */
#ifndef MP_TEST_ICMP_FRAME_H
#define MP_TEST_ICMP_FRAME_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mp_pkt.h"

/*
 * An ICMP error from `from` to the probe's sender quoting the first `quote`
 * bytes of the probe's IP packet (ip, at l3 of frame); checksums computed.
 */
static size_t
icmp_error_frame(uint8_t *out, const uint8_t *frame, size_t l3, size_t quote, int family,
		 uint8_t type, uint8_t code, const uint8_t *from)
{
	const uint8_t *ip = frame + l3;
	size_t hl = family == 4 ? 20 : 40, ilen = 8 + quote, n;
	uint8_t *o = out;
	uint32_t sum;
	uint16_t cs;

	memcpy(o, frame + 6, 6);		/* back to the probe's sender */
	memcpy(o + 6, frame, 6);
	memcpy(o + 12, frame + 12, 2);
	o += 14;
	memset(o, 0, hl);
	if (family == 4) {
		o[0] = 0x45;
		o[2] = (uint8_t)((hl + ilen) >> 8);
		o[3] = (uint8_t)(hl + ilen);
		o[8] = 64;
		o[9] = 1;
		memcpy(o + 12, from, 4);
		memcpy(o + 16, ip + 12, 4);	/* to the probe's source */
		cs = csum_fold(csum_add(0, o, 20));
		o[10] = (uint8_t)(cs >> 8);
		o[11] = (uint8_t)cs;
	} else {
		o[0] = 0x60;
		o[4] = (uint8_t)(ilen >> 8);
		o[5] = (uint8_t)ilen;
		o[6] = 58;
		o[7] = 64;
		memcpy(o + 8, from, 16);
		memcpy(o + 24, ip + 8, 16);
	}
	n = 14 + hl;
	memset(out + n, 0, 8);
	out[n] = type;
	out[n + 1] = code;
	memcpy(out + n + 8, ip, quote);
	if (family == 4) {
		sum = csum_add(0, out + n, ilen);
	} else {
		uint8_t ph[40] = { 0 };

		memcpy(ph, o + 8, 32);
		ph[34] = (uint8_t)(ilen >> 8);
		ph[35] = (uint8_t)ilen;
		ph[39] = 58;
		sum = csum_add(csum_add(0, ph, 40), out + n, ilen);
	}
	cs = csum_fold(sum);
	out[n + 2] = (uint8_t)(cs >> 8);
	out[n + 3] = (uint8_t)cs;
	return n + ilen;
}

#endif
