/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * STAMP (RFC 8762) unauthenticated packets with the RFC 8972 SSID: encode
 * and decode, big-endian, byte by byte so that any alignment works.
 */
#include <errno.h>
#include <string.h>

#include "mp_stamp.h"
#include "mp_time.h"

static inline void
stamp_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
stamp_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void
stamp_put64(uint8_t *p, uint64_t v)
{
	stamp_put32(p, (uint32_t)(v >> 32));
	stamp_put32(p + 4, (uint32_t)v);
}

uint16_t
stamp_errest_pack(const struct stamp_errest *e)
{
	return (uint16_t)((e->synced ? 0x8000 : 0) | (e->ptp ? 0x4000 : 0) |
			  (e->scale & 0x3f) << 8 | e->mult);
}

void
stamp_errest_unpack(uint16_t v, struct stamp_errest *e)
{
	e->synced = (v & 0x8000) != 0;
	e->ptp = (v & 0x4000) != 0;
	e->scale = (v >> 8) & 0x3f;
	e->mult = (uint8_t)v;
}

/*
 * Rounded up: the estimate is a bound, and 1 * 2^-32 s must not read as a
 * perfect 0 ns clock.
 */
uint64_t
stamp_errest_ns(const struct stamp_errest *e)
{
	unsigned __int128 v = (unsigned __int128)e->mult << (e->scale & 0x3f);

	v = (v * NS_PER_S + ((UINT64_C(1) << 32) - 1)) >> 32;
	return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

/*
 * The stated error mult * 2^scale ticks (2^-32 s) must reach err_ns. A
 * smaller scale gives a finer value, and every multiple of 2^(s+1) is one
 * of 2^s, so the smallest scale whose multiplier fits in 8 bits gives the
 * smallest estimate. Every 64-bit ns value fits (the largest estimate is
 * 255 * 2^31 s), so the saturation after the loop is only a backstop.
 */
void
stamp_errest_from_ns(struct stamp_errest *e, uint64_t err_ns, bool synced, bool ptp)
{
	const unsigned __int128 need = (unsigned __int128)err_ns << 32;
	unsigned scale;

	e->synced = synced;
	e->ptp = ptp;
	for (scale = 0; scale < 64; scale++) {
		unsigned __int128 unit = (unsigned __int128)NS_PER_S << scale;
		unsigned __int128 mult = (need + unit - 1) / unit;

		if (mult <= 255) {
			e->scale = (uint8_t)scale;
			e->mult = mult == 0 ? 1 : (uint8_t)mult;
			return;
		}
	}
	e->scale = 63;
	e->mult = 255;
}

int
stamp_test_encode(uint8_t *p, size_t len, enum stamp_mode mode,
		  const struct stamp_test *t)
{
	if (mode == STAMP_AUTH)
		return -ENOTSUP;
	if (mode != STAMP_UNAUTH || p == NULL || t == NULL || len < STAMP_UNAUTH_LEN)
		return -EINVAL;
	stamp_put32(p + STAMP_OFF_SEQ, t->seq);
	stamp_put64(p + STAMP_OFF_TS, t->ts);
	stamp_put16(p + STAMP_OFF_ERREST, t->errest);
	stamp_put16(p + STAMP_OFF_SSID, t->ssid);
	memset(p + STAMP_OFF_RX_TS, 0, len - STAMP_OFF_RX_TS);
	return 0;
}

int
stamp_test_decode(const uint8_t *p, size_t len, enum stamp_mode mode,
		  struct stamp_test *t)
{
	if (mode == STAMP_AUTH)
		return -ENOTSUP;
	if (mode != STAMP_UNAUTH || p == NULL || t == NULL || len < STAMP_MIN_SENDER_LEN)
		return -EINVAL;
	t->seq = stamp_get32(p + STAMP_OFF_SEQ);
	t->ts = stamp_get64(p + STAMP_OFF_TS);
	t->errest = stamp_get16(p + STAMP_OFF_ERREST);
	t->ssid = len >= STAMP_OFF_SSID + 2 ? stamp_get16(p + STAMP_OFF_SSID) : 0;
	return 0;
}

int
stamp_reply_encode(uint8_t *p, size_t len, enum stamp_mode mode,
		   const struct stamp_reply *r)
{
	if (mode == STAMP_AUTH)
		return -ENOTSUP;
	if (mode != STAMP_UNAUTH || p == NULL || r == NULL || len < STAMP_UNAUTH_LEN)
		return -EINVAL;
	stamp_put32(p + STAMP_OFF_SEQ, r->seq);
	stamp_put64(p + STAMP_OFF_TS, r->ts);
	stamp_put16(p + STAMP_OFF_ERREST, r->errest);
	stamp_put16(p + STAMP_OFF_SSID, r->ssid);
	stamp_put64(p + STAMP_OFF_RX_TS, r->rx_ts);
	stamp_put32(p + STAMP_OFF_SENDER_SEQ, r->sender_seq);
	stamp_put64(p + STAMP_OFF_SENDER_TS, r->sender_ts);
	stamp_put16(p + STAMP_OFF_SENDER_ERREST, r->sender_errest);
	p[38] = 0;
	p[39] = 0;
	p[STAMP_OFF_SENDER_TTL] = r->sender_ttl;
	p[41] = 0;
	p[42] = 0;
	p[43] = 0;
	return 0;
}

/* Field table for a short reply: a field counts only when all of it is there. */
int
stamp_reply_decode(const uint8_t *p, size_t len, enum stamp_mode mode,
		   struct stamp_reply *r)
{
	uint32_t have = STAMP_HAVE_TS;

	if (mode == STAMP_AUTH)
		return -ENOTSUP;
	if (mode != STAMP_UNAUTH || p == NULL || r == NULL || len < STAMP_MIN_REPLY_LEN)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	r->seq = stamp_get32(p + STAMP_OFF_SEQ);
	r->ts = stamp_get64(p + STAMP_OFF_TS);
	if (len >= STAMP_OFF_ERREST + 2) {
		r->errest = stamp_get16(p + STAMP_OFF_ERREST);
		have |= STAMP_HAVE_ERREST;
	}
	if (len >= STAMP_OFF_SSID + 2) {
		r->ssid = stamp_get16(p + STAMP_OFF_SSID);
		have |= STAMP_HAVE_SSID;
	}
	if (len >= STAMP_OFF_RX_TS + 8) {
		r->rx_ts = stamp_get64(p + STAMP_OFF_RX_TS);
		have |= STAMP_HAVE_RX_TS;
	}
	if (len >= STAMP_OFF_SENDER_SEQ + 4) {
		r->sender_seq = stamp_get32(p + STAMP_OFF_SENDER_SEQ);
		have |= STAMP_HAVE_SENDER_SEQ;
	}
	if (len >= STAMP_OFF_SENDER_TS + 8) {
		r->sender_ts = stamp_get64(p + STAMP_OFF_SENDER_TS);
		have |= STAMP_HAVE_SENDER_TS;
	}
	if (len >= STAMP_OFF_SENDER_ERREST + 2) {
		r->sender_errest = stamp_get16(p + STAMP_OFF_SENDER_ERREST);
		have |= STAMP_HAVE_SENDER_ERREST;
	}
	if (len >= STAMP_OFF_SENDER_TTL + 1) {
		r->sender_ttl = p[STAMP_OFF_SENDER_TTL];
		have |= STAMP_HAVE_SENDER_TTL;
	}
	r->len = (uint16_t)(len < STAMP_UNAUTH_LEN ? len : STAMP_UNAUTH_LEN);
	r->have = have;
	return 0;
}
