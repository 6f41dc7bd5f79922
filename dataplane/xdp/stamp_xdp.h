/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the XDP programs (stamp_reflect.bpf.c, impair.bpf.c) and their
 * loader share: the STAMP field offsets (they mirror dataplane/core/mp_stamp.h,
 * which a BPF object cannot include), map keys and values, counter indices
 * and the impairment settings. Kernel fixed-width types only, so that the
 * header compiles both against vmlinux.h and against the uapi headers.
 */
#ifndef STAMP_XDP_H
#define STAMP_XDP_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#include "mp_tbucket.h"

#define SXDP_STAMP_PORT		862
#define SXDP_STAMP_LEN		44	/* unauthenticated sender and reflector */

/* Session-sender fields. */
#define SXDP_OFF_SEQ		0
#define SXDP_OFF_TS		4
#define SXDP_OFF_ERREST		12
#define SXDP_OFF_SSID		14
/* Session-reflector fields (seq, T3 and errest reuse the offsets above). */
#define SXDP_OFF_RX_TS		16
#define SXDP_OFF_SENDER_SEQ	24
#define SXDP_OFF_SENDER_TS	28
#define SXDP_OFF_SENDER_ERREST	36
#define SXDP_OFF_MBZ1		38	/* 2 bytes */
#define SXDP_OFF_SENDER_TTL	40
#define SXDP_OFF_MBZ2		41	/* 3 bytes */

/*
 * The reflector's Error Estimate (RFC 4656 4.1.2): S=0 (we do not know
 * whether the host clock follows UTC), Z=0 (NTP format), Scale=15,
 * Multiplier=132: 132 * 2^15 * 2^-32 s = 1.007 ms, the smallest estimate
 * >= 1 ms, a fair bound for a host clock kept by NTP on a LAN.
 */
#define SXDP_ERREST_DEFAULT	((15u << 8) | 132u)

/* Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
#define SXDP_NTP_UNIX_OFFSET	2208988800ull

/* The reflector's per-CPU counters: one slot of stamp_cnt per outcome. */
enum sxdp_counter {
	SXDP_CNT_REFLECTED = 0,	/* answered with XDP_TX */
	SXDP_CNT_PASSED,	/* not STAMP to our port: handed to the stack */
	SXDP_CNT_NOT_ALLOWED,	/* STAMP from a source outside the allowlist */
	SXDP_CNT_MALFORMED,	/* truncated or inconsistent headers, fragments */
	SXDP_CNT_SHORT,		/* refused (dropped): < 44 B with refuse_short, or < 14 B */
	SXDP_CNT_PADDED,	/* < 44 B answered with the 44-byte base packet (also reflected) */
	SXDP_CNT_RATE_LIMITED,	/* < 44 B over the per-source rate: dropped */
	SXDP_CNT_NO_ROOM,	/* < 44 B, the frame could not be grown: dropped */
	SXDP_CNT_MAX,
};

/* The shortest request answered: TWAMP-light's seq, timestamp, error estimate. */
#define SXDP_MIN_SENDER_LEN	14
/* Requests shorter than the base packet a source may have answered: per s, burst. */
#define SXDP_SHORT_RATE_DEFAULT		1000
#define SXDP_SHORT_BURST_DEFAULT	100

/* Key of the per-source token buckets (LRU_HASH): IPv4 in the first 4 bytes. */
struct sxdp_src_key {
	__u8 addr[16];
	__u32 family;
};

/* Tokens in ns-requests: one request costs 1e9, a ns adds short_rate. */
struct sxdp_bucket {
	__u64 tokens;
	__u64 last_ns;
};

/* Allowlist keys (BPF_MAP_TYPE_LPM_TRIE): prefix length, then the address. */
struct sxdp_lpm4_key {
	__u32 prefixlen;
	__u8 addr[4];
};

struct sxdp_lpm6_key {
	__u32 prefixlen;
	__u8 addr[16];
};

/*
 * Stateful mode: one reflector sequence counter per session, identified as
 * RFC 8972 suggests by the sender's address and port, our address and the
 * SSID. Addresses are IPv4 in the first 4 bytes, the rest zero.
 */
struct sxdp_session_key {
	__u8 saddr[16];
	__u8 daddr[16];
	__u16 sport;		/* network order */
	__u16 ssid;		/* network order */
	__u32 family;		/* 4 or 6 */
};

/* Impairment counters (per CPU): UDP packets that matched, and drops. */
enum impair_counter {
	IMPAIR_CNT_SEEN = 0,
	IMPAIR_CNT_DROPPED,
	IMPAIR_CNT_RATE_DROPPED,	/* of those dropped: over the rate limit */
	IMPAIR_CNT_MAX,
};

#define IMPAIR_F_LOSS		(1u << 0)	/* independent loss, loss_thr */
#define IMPAIR_F_GE		(1u << 1)	/* Gilbert-Elliott bursts */
#define IMPAIR_F_BLACKHOLE	(1u << 2)	/* drop every matching packet */
#define IMPAIR_F_FLAP		(1u << 3)	/* drop all while the flap schedule is down */
#define IMPAIR_F_RATE		(1u << 4)	/* drop what is over the token bucket's rate */
/* Every frame, not only the UDP the port selects: a far end gone dark (blackhole all). */
#define IMPAIR_F_ALL		(1u << 5)

/*
 * Probabilities are thresholds on a 32-bit random number: an event
 * happens when bpf_get_prandom_u32() < thr, so thr = P * 2^32, and
 * 2^32 (hence 64 bits) means "always".
 */
#define IMPAIR_THR_ONE		(1ull << 32)

/* The one entry of impair_cfg (ARRAY): changed by the loader while attached. */
struct impair_cfg {
	__u32 flags;		/* IMPAIR_F_* */
	__u16 port;		/* host order; matches UDP source or destination; 0 = all UDP */
	__u16 pad;
	__u64 loss_thr;		/* IMPAIR_F_LOSS */
	__u64 ge_p_thr;		/* P(good -> bad) */
	__u64 ge_r_thr;		/* P(bad -> good) */
	__u64 ge_good_loss_thr;	/* 1 - k */
	__u64 ge_bad_loss_thr;	/* 1 - h */
	/*
	 * IMPAIR_F_FLAP: down (everything dropped) while CLOCK_MONOTONIC mod
	 * flap_period_ns < flap_down_ns. In step with the clock, not with the
	 * moment it was set, so every interface given the same schedule (a
	 * router's links) goes down and up together; no process keeps time.
	 */
	__u64 flap_down_ns;
	__u64 flap_period_ns;
	/* IMPAIR_F_RATE: the token bucket's rate and depth (mp_tbucket.h) */
	struct mp_tbucket_cfg rate;
};

/* Gilbert-Elliott chain state, one per CPU (PERCPU_ARRAY, one entry). */
struct impair_state {
	__u32 bad;		/* 0 good, 1 bad */
	__u32 pad;
};

#endif
