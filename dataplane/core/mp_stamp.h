/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * STAMP test packets (RFC 8762) with the RFC 8972 SSID, TWAMP-light
 * compatible. All multi-byte fields are big-endian on the wire.
 *
 * Unauthenticated session-sender packet (44 bytes + padding/TLVs):
 *   0 seq(4)  4 timestamp(8)  12 error estimate(2)  14 SSID(2)  16 MBZ(28)
 * Unauthenticated session-reflector packet (44 bytes + padding/TLVs):
 *   0 seq(4)  4 timestamp T3(8)  12 error estimate(2)  14 SSID(2)
 *   16 receive timestamp T2(8)  24 sender seq(4)  28 sender timestamp T1(8)
 *   36 sender error estimate(2)  38 MBZ(2)  40 sender TTL(1)  41 MBZ(3)
 *
 * The authenticated layouts (112 bytes, HMAC) are described by
 * enum stamp_mode so the codec can grow into them; encode/decode of
 * STAMP_AUTH return -ENOTSUP today.
 */
#ifndef MP_STAMP_H
#define MP_STAMP_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

enum stamp_mode {
	STAMP_UNAUTH = 0,
	STAMP_AUTH,
};

#define STAMP_UDP_PORT		862
#define STAMP_UNAUTH_LEN	44	/* both sender and reflector */
#define STAMP_AUTH_LEN		112
#define STAMP_MAX_LEN		9000
/* The shortest packets seen from TWAMP-light senders: seq, timestamp, error estimate. */
#define STAMP_MIN_SENDER_LEN	14
/* A reflection needs at least seq and T3 to be of any use. */
#define STAMP_MIN_REPLY_LEN	12

/* Field offsets, for the fast path that patches templates in place. */
#define STAMP_OFF_SEQ		0
#define STAMP_OFF_TS		4
#define STAMP_OFF_ERREST	12
#define STAMP_OFF_SSID		14
#define STAMP_OFF_RX_TS		16
#define STAMP_OFF_SENDER_SEQ	24
#define STAMP_OFF_SENDER_TS	28
#define STAMP_OFF_SENDER_ERREST	36
#define STAMP_OFF_SENDER_TTL	40

/* Big-endian field reads (the codec and the receive fast path). */
static inline uint16_t
stamp_get16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline uint32_t
stamp_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t
stamp_get64(const uint8_t *p)
{
	return (uint64_t)stamp_get32(p) << 32 | stamp_get32(p + 4);
}

/* Error Estimate (RFC 4656 section 4.1.2): S(1) Z(1) Scale(6) Multiplier(8). */
struct stamp_errest {
	bool synced;		/* S: clock synchronised to UTC */
	bool ptp;		/* Z: timestamps are PTPv2 truncated, not NTP */
	uint8_t scale;		/* 0..63 */
	uint8_t mult;		/* 1..255 (0 is invalid per RFC 4656) */
};

uint16_t stamp_errest_pack(const struct stamp_errest *e);
void stamp_errest_unpack(uint16_t v, struct stamp_errest *e);
/* The error it states, mult * 2^scale * 2^-32 s, in ns (saturating). */
uint64_t stamp_errest_ns(const struct stamp_errest *e);
/* The smallest estimate that is >= err_ns. */
void stamp_errest_from_ns(struct stamp_errest *e, uint64_t err_ns, bool synced, bool ptp);

struct stamp_test {
	uint32_t seq;
	uint64_t ts;		/* T1 */
	uint16_t errest;	/* packed */
	uint16_t ssid;
};

/* Bits of stamp_reply.have: fields that were fully present in the packet. */
#define STAMP_HAVE_TS		(1u << 0)
#define STAMP_HAVE_ERREST	(1u << 1)
#define STAMP_HAVE_SSID		(1u << 2)
#define STAMP_HAVE_RX_TS	(1u << 3)
#define STAMP_HAVE_SENDER_SEQ	(1u << 4)
#define STAMP_HAVE_SENDER_TS	(1u << 5)
#define STAMP_HAVE_SENDER_ERREST (1u << 6)
#define STAMP_HAVE_SENDER_TTL	(1u << 7)

struct stamp_reply {
	uint32_t seq;		/* reflector's own sequence number */
	uint64_t ts;		/* T3 */
	uint16_t errest;	/* reflector's, packed; its Z says T2/T3's format */
	uint16_t ssid;
	uint64_t rx_ts;		/* T2 */
	uint32_t sender_seq;
	uint64_t sender_ts;	/* T1 as echoed */
	uint16_t sender_errest;
	uint8_t sender_ttl;
	uint16_t len;		/* bytes present (before any padding we ignore) */
	uint32_t have;		/* STAMP_HAVE_* */
};

/*
 * How a reply's SSID (bytes 14-15) relates to our session's. RFC 8762 has
 * those bytes MBZ, so a reflector without RFC 8972 support sends them as
 * zero (or a short reply lacks them): that is "not supported by the
 * reflector", and the reply is matched by what else identifies it (ports,
 * addresses, echoed sequence number and T1), not refused.
 */
enum stamp_ssid_match {
	STAMP_SSID_OURS = 0,	/* echoed */
	STAMP_SSID_NONE,	/* zero or absent: a reflector without RFC 8972 */
	STAMP_SSID_OTHER,	/* another session's */
};

static inline enum stamp_ssid_match
stamp_reply_ssid_match(const struct stamp_reply *r, uint16_t ours)
{
	if (r->ssid == ours)
		return STAMP_SSID_OURS;
	return r->ssid == 0 ? STAMP_SSID_NONE : STAMP_SSID_OTHER;
}

/*
 * Write a session-sender packet into p[0..len): fields, then zeros for MBZ
 * and padding. len >= STAMP_UNAUTH_LEN. Returns 0 or -EINVAL/-ENOTSUP.
 */
int stamp_test_encode(uint8_t *p, size_t len, enum stamp_mode mode,
		      const struct stamp_test *t);
/*
 * Read a session-sender packet of len bytes (>= STAMP_MIN_SENDER_LEN; a
 * TWAMP-light sender may omit the SSID and MBZ). Missing fields read as 0.
 * Returns 0 or -EINVAL (too short) / -ENOTSUP.
 */
int stamp_test_decode(const uint8_t *p, size_t len, enum stamp_mode mode,
		      struct stamp_test *t);
/*
 * Write a session-reflector packet into p[0..len), len >= STAMP_UNAUTH_LEN.
 * Only the 44 bytes of fields are written (MBZ bytes zeroed); bytes after
 * them are left as they are, so a reflector that builds its reply in the
 * request's buffer echoes padding and TLVs unchanged.
 */
int stamp_reply_encode(uint8_t *p, size_t len, enum stamp_mode mode,
		       const struct stamp_reply *r);
/*
 * Read a session-reflector packet. Per RFC 8762 section 4.6 a shorter
 * packet is read as far as its fields go; missing fields are 0 and their
 * STAMP_HAVE_* bits clear. Returns 0, or -EINVAL below STAMP_MIN_REPLY_LEN.
 */
int stamp_reply_decode(const uint8_t *p, size_t len, enum stamp_mode mode,
		       struct stamp_reply *r);

#endif
