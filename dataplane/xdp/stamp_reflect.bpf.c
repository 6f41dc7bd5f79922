// SPDX-License-Identifier: BSD-3-Clause
/*
 * STAMP session-reflector (RFC 8762, unauthenticated, RFC 8972 SSID echoed)
 * in XDP: the request is turned into the reply in place and sent back out
 * of the interface it came in on (XDP_TX). Untagged, 802.1Q and QinQ;
 * IPv4 (options allowed, no fragments) and IPv6 (UDP right after the fixed
 * header). Everything that is not a STAMP request to our port, from an
 * allowed source, goes to the host stack untouched (XDP_PASS), counted.
 *
 * A request shorter than the 44-byte base packet (TWAMP-light senders send
 * 14 bytes) is answered with the base packet, as RFC 8762 section 4.6 says:
 * the frame is grown. That amplifies, so it is done only for allowed
 * sources and within a token bucket per source address (short_rate per
 * second, short_burst at once); refuse_short turns it off. Refused and
 * rate-limited requests are dropped (the stack would answer with ICMP).
 *
 * The lab impairment (impair.bpf.h) runs first, so a reflector interface
 * can also lose packets on purpose.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_core_read.h>

#include "stamp_xdp.h"
#include "impair.bpf.h"

#define SXDP_NSEC_PER_SEC	1000000000ull
/* The longest UDP datagram whose checksum we compute from scratch (jumbo). */
#define SXDP_SUM_MAX		(9000 + 8)
#define SXDP_ETH_ALEN		6

/* Load-time settings, written through the skeleton before load. */
const volatile __u16 stamp_port = SXDP_STAMP_PORT;
const volatile __u8 stateful = 0;
/* CLOCK_TAI - CLOCK_REALTIME (the kernel's TAI-UTC offset), in ns. */
const volatile __s64 tai_to_utc_ns = 0;
/* CLOCK_REALTIME - CLOCK_MONOTONIC at load, for kernels without the TAI helper. */
const volatile __s64 mono_to_utc_ns = 0;
const volatile __u16 errest = SXDP_ERREST_DEFAULT;
/* Attached in generic (skb) mode: see sxdp_csum_way(). */
const volatile __u8 xdp_generic = 1;
/* Requests shorter than 44 bytes: refuse them all, or answer at most this (0 = no limit). */
const volatile __u8 refuse_short = 0;
const volatile __u32 short_rate = SXDP_SHORT_RATE_DEFAULT;
const volatile __u32 short_burst = SXDP_SHORT_BURST_DEFAULT;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SXDP_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stamp_cnt SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct sxdp_lpm4_key);
	__type(value, __u8);
} allow4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct sxdp_lpm6_key);
	__type(value, __u8);
} allow6 SEC(".maps");

/* Stateful mode only; the loader shrinks it to one entry otherwise. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct sxdp_session_key);
	__type(value, __u32);
} sessions SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct sxdp_src_key);
	__type(value, struct sxdp_bucket);
} short_limit SEC(".maps");

static __always_inline void
sxdp_count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&stamp_cnt, &idx);

	if (v != NULL)
		*v += 1;
}

/*
 * Wall-clock time (UTC) in ns. The TAI clock follows every step and slew
 * of CLOCK_REALTIME, so it is preferred; without it (kernels before 6.1)
 * the monotonic clock plus the offset taken at load drifts with NTP
 * corrections made after load.
 */
static __always_inline __u64
sxdp_now_ns(void)
{
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_ktime_get_tai_ns))
		return bpf_ktime_get_tai_ns() - tai_to_utc_ns;
	return bpf_ktime_get_ns() + mono_to_utc_ns;
}

/* UTC ns as a 64-bit NTP timestamp (done only for packets we answer). */
static __always_inline __u64
sxdp_ntp(__u64 ns)
{
	__u64 sec = ns / SXDP_NSEC_PER_SEC;
	__u64 frac = ((ns - sec * SXDP_NSEC_PER_SEC) << 32) / SXDP_NSEC_PER_SEC;

	return ((sec + SXDP_NTP_UNIX_OFFSET) << 32) | frac;
}

static __always_inline __u16
sxdp_fold(__u64 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

/* RFC 1624 eqn. 3: the checksum after words changed by delta = sum(~old + new). */
static __always_inline __u16
sxdp_csum_update(__u16 check, __u64 delta)
{
	return (__u16)~sxdp_fold((__u64)(__u16)~check + delta);
}

struct sxdp_sum_arg {
	struct xdp_md *ctx;
	__u32 off;		/* next byte, from ctx->data */
	__u32 end;
	__u64 sum;
	int err;
};

/* bpf_loop step: add up to 64 more bytes to the sum. */
static long
sxdp_sum_step(__u32 i, void *varg)
{
	struct sxdp_sum_arg *a = varg;
	__u64 buf[8] = {};
	__u32 len;
	int k;

	if (a->off >= a->end)
		return 1;
	len = a->end - a->off;
	if (len > sizeof(buf))
		len = sizeof(buf);
	if (len == 0)		/* cannot happen; the verifier wants to see it */
		return 1;
	if (bpf_xdp_load_bytes(a->ctx, a->off, buf, len) < 0) {
		a->err = 1;
		return 1;
	}
	/* Bytes past len stay zero, which pads an odd last byte correctly. */
#pragma unroll
	for (k = 0; k < 8; k++)
		a->sum += (buf[k] & 0xffffffff) + (buf[k] >> 32);
	a->off += len;
	return 0;
}

/*
 * Ones' complement sum of len packet bytes at off, in memory byte order
 * (RFC 1071 1.2.B: the folded result is right in either order once stored
 * back). A bpf_loop, because a bounded loop over a jumbo frame is more
 * than the verifier will walk. Returns -1 if the bytes are not there.
 */
static __always_inline int
sxdp_sum_pkt(struct xdp_md *ctx, __u32 off, __u32 len, __u64 *sum)
{
	struct sxdp_sum_arg a = { .ctx = ctx, .off = off, .end = off + len };

	bpf_loop((SXDP_SUM_MAX + 63) / 64, sxdp_sum_step, &a, 0);
	if (a.err || a.off != a.end)
		return -1;
	*sum = a.sum;
	return 0;
}

/* The reflector sequence number, network order: the sender's, or per session. */
static __always_inline __u32
sxdp_seq(struct sxdp_session_key *key, __u32 sender_seq)
{
	__u32 one = 1, *v;

	if (!stateful)
		return sender_seq;
	v = bpf_map_lookup_elem(&sessions, key);
	if (v != NULL)
		return bpf_htonl(__sync_fetch_and_add(v, 1));
	if (bpf_map_update_elem(&sessions, key, &one, BPF_NOEXIST) == 0)
		return 0;
	/* Another CPU created the session between lookup and update. */
	v = bpf_map_lookup_elem(&sessions, key);
	if (v != NULL)
		return bpf_htonl(__sync_fetch_and_add(v, 1));
	return 0;
}

/*
 * May this source have one more short request answered? A token bucket per
 * source address; CPUs race on it without a lock, which can let a few more
 * through at once, never a sustained excess.
 */
static __always_inline bool
sxdp_short_take(struct sxdp_src_key *k)
{
	__u64 cap = (__u64)short_burst * SXDP_NSEC_PER_SEC, now = bpf_ktime_get_ns();
	struct sxdp_bucket nb, *b;
	__u64 el, t;

	if (short_rate == 0)
		return true;
	b = bpf_map_lookup_elem(&short_limit, k);
	if (b == NULL) {
		if (cap < SXDP_NSEC_PER_SEC)
			return false;
		nb.tokens = cap - SXDP_NSEC_PER_SEC;
		nb.last_ns = now;
		bpf_map_update_elem(&short_limit, k, &nb, BPF_ANY);
		return true;
	}
	el = now - b->last_ns;
	/* a full bucket after cap / rate ns; el * rate stays below 2^64 */
	if (el >= cap / short_rate)
		t = cap;
	else
		t = b->tokens + el * short_rate;
	if (t > cap)
		t = cap;
	b->last_ns = now;
	if (t < SXDP_NSEC_PER_SEC) {
		b->tokens = t;
		return false;
	}
	b->tokens = t - SXDP_NSEC_PER_SEC;
	return true;
}

/*
 * Whether a request of plen < 44 payload bytes from k is answered; the
 * counter that says why not otherwise.
 */
static __always_inline enum sxdp_counter
sxdp_short_ok(struct sxdp_src_key *k, __u32 plen)
{
	if (refuse_short || plen < SXDP_MIN_SENDER_LEN)
		return SXDP_CNT_SHORT;
	if (!sxdp_short_take(k))
		return SXDP_CNT_RATE_LIMITED;
	return SXDP_CNT_PADDED;
}

/* Headers before the payload: Ethernet, two tags, IPv4 with options, UDP (90). */
#define SXDP_HDR_MAX		96

/*
 * Make the plen-byte payload at pay_off (14 <= plen < 44) the 44-byte base
 * packet: the request's bytes, then zeros, and the frame ending there
 * (Ethernet padding after the IP datagram goes). The frame grows at its
 * tail; where the buffer has no tailroom (native mode on a veth: the
 * sender's skb) and head_ok, it grows at its head instead and the headers
 * move up (not with a pending checksum offload in generic mode: the skb's
 * checksum start would then point into the moved bytes). Packet pointers
 * are stale afterwards. Returns 0, or -1 when the frame cannot grow.
 */
static __always_inline int
sxdp_grow(struct xdp_md *ctx, __u32 pay_off, __u32 plen, bool head_ok)
{
	__u8 buf[SXDP_STAMP_LEN] = {};
	__u8 hdr[SXDP_HDR_MAX];
	int delta;

	if (plen < SXDP_MIN_SENDER_LEN || plen >= SXDP_STAMP_LEN)
		return -1;
	if (bpf_xdp_load_bytes(ctx, pay_off, buf, plen) < 0)
		return -1;
	delta = (int)(pay_off + SXDP_STAMP_LEN) - (int)(ctx->data_end - ctx->data);
	if (delta != 0 && bpf_xdp_adjust_tail(ctx, delta) < 0) {
		if (!head_ok || delta < 0 || pay_off == 0 || pay_off > SXDP_HDR_MAX)
			return -1;
		if (bpf_xdp_load_bytes(ctx, 0, hdr, pay_off) < 0 ||
		    bpf_xdp_adjust_head(ctx, -delta) < 0)
			return -1;
		if (bpf_xdp_store_bytes(ctx, 0, hdr, pay_off) < 0)
			return -1;
	}
	if (bpf_xdp_store_bytes(ctx, pay_off, buf, SXDP_STAMP_LEN) < 0)
		return -1;
	return 0;
}

/*
 * Rewrite the 44-byte session-sender packet at p into the reflector's
 * reply and return the change in its ones' complement sum (for the UDP
 * checksum). Works in 16-bit words: the payload starts at an even offset
 * in every framing we accept, and the stack stays small. T3 is taken last,
 * just before the bytes are written.
 */
static __always_inline __u64
sxdp_fill(__u8 *p, void *data_end, __u32 seq_be, __u8 ttl, __u64 t2_ns)
{
	__u64 newq[6] = {};
	__u16 *pw = (__u16 *)p, *nw = (__u16 *)newq;
	__u64 t2_be = bpf_cpu_to_be64(sxdp_ntp(t2_ns)), t3_be, delta = 0;
	int i;

	if (p + SXDP_STAMP_LEN > (__u8 *)data_end)
		return 0;
	/* Sum the old words first, so that none of them stays live. */
#pragma unroll
	for (i = 0; i < SXDP_STAMP_LEN / 2; i++)
		delta += (__u16)~pw[i];
	/* Keep clang from deferring that sum (and spilling 22 words) to the end. */
	asm volatile("" : "+r"(delta) : : "memory");
	__builtin_memcpy(&nw[SXDP_OFF_SEQ / 2], &seq_be, 4);
	nw[SXDP_OFF_ERREST / 2] = bpf_htons(errest);
	nw[SXDP_OFF_SSID / 2] = pw[SXDP_OFF_SSID / 2];
	__builtin_memcpy(&nw[SXDP_OFF_RX_TS / 2], &t2_be, 8);
#pragma unroll
	for (i = 0; i < 2; i++)
		nw[SXDP_OFF_SENDER_SEQ / 2 + i] = pw[SXDP_OFF_SEQ / 2 + i];
#pragma unroll
	for (i = 0; i < 4; i++)
		nw[SXDP_OFF_SENDER_TS / 2 + i] = pw[SXDP_OFF_TS / 2 + i];
	nw[SXDP_OFF_SENDER_ERREST / 2] = pw[SXDP_OFF_ERREST / 2];
	((__u8 *)newq)[SXDP_OFF_SENDER_TTL] = ttl;
	t3_be = bpf_cpu_to_be64(sxdp_ntp(sxdp_now_ns()));
	__builtin_memcpy(&nw[SXDP_OFF_TS / 2], &t3_be, 8);
#pragma unroll
	for (i = 0; i < SXDP_STAMP_LEN / 2; i++) {
		delta += nw[i];
		pw[i] = nw[i];
	}
	return delta;
}

static __always_inline void
sxdp_swap_mac(struct ethhdr *eth)
{
	__u8 tmp[SXDP_ETH_ALEN];

	__builtin_memcpy(tmp, eth->h_dest, SXDP_ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, SXDP_ETH_ALEN);
	__builtin_memcpy(eth->h_source, tmp, SXDP_ETH_ALEN);
}

enum sxdp_csum_way {
	SXDP_CSUM_INCR = 0,	/* incremental update over the rewritten bytes */
	SXDP_CSUM_KEEP,		/* leave the field: checksum offload is pending */
	SXDP_CSUM_FULL,		/* compute from scratch */
};

/*
 * Decide, on the request, how to set the reply's UDP checksum. Addresses
 * and ports only swap places, so the pseudo-header and header sums do not
 * change and an incremental update over the 44 rewritten bytes is exact.
 * Two requests need more: one without a checksum (0: legal over IPv4 only)
 * gets a full one, and one sent by a local socket over a veth still has
 * its checksum offload pending (CHECKSUM_PARTIAL: the field holds only the
 * pseudo-header sum, which is the reply's too). In generic (skb) mode the
 * skb keeps that state, so the field is left for whoever completes it; in
 * native mode the frame loses it, so the checksum is computed. A full
 * checksum equal to the pseudo-header sum by chance (1 in 65536) is told
 * apart by verifying it.
 */
static __always_inline enum sxdp_csum_way
sxdp_csum_way(struct xdp_md *ctx, void *data, struct udphdr *udp, __u32 ulen,
	      __u64 pseudo)
{
	__u64 sum;

	if (udp->check == 0)
		return SXDP_CSUM_FULL;
	if (udp->check != sxdp_fold(pseudo))
		return SXDP_CSUM_INCR;
	if (sxdp_sum_pkt(ctx, (void *)udp - data, ulen, &sum) == 0 &&
	    sxdp_fold(pseudo + sum) == 0xffff)
		return SXDP_CSUM_INCR;
	return xdp_generic ? SXDP_CSUM_KEEP : SXDP_CSUM_FULL;
}

static __always_inline void
sxdp_csum_set(struct xdp_md *ctx, void *data, struct udphdr *udp, __u32 ulen,
	      __u64 pseudo, __u64 delta, enum sxdp_csum_way way)
{
	__u64 sum;
	__u16 c;

	if (way == SXDP_CSUM_KEEP)
		return;
	if (way == SXDP_CSUM_INCR) {
		c = sxdp_csum_update(udp->check, delta);
	} else {
		udp->check = 0;
		if (sxdp_sum_pkt(ctx, (void *)udp - data, ulen, &sum) < 0)
			return;
		c = (__u16)~sxdp_fold(pseudo + sum);
	}
	udp->check = c == 0 ? 0xffff : c;
}

/*
 * The checksum of a grown reply: computed in full, unless the request's
 * offload was pending (generic mode, a local sender): then the field holds
 * the new pseudo-header sum for whoever completes it, over the new length.
 */
static __always_inline enum sxdp_csum_way
sxdp_csum_padded(struct udphdr *udp, __u64 pseudo, enum sxdp_csum_way way)
{
	if (way != SXDP_CSUM_KEEP)
		return SXDP_CSUM_FULL;
	udp->check = sxdp_fold(pseudo);
	return SXDP_CSUM_KEEP;
}

/* Pseudo-header sum without the addresses: protocol and UDP length. */
static __always_inline __u64
sxdp_pseudo_tail(__u32 ulen)
{
	return (__u64)bpf_htons(IMPAIR_IPPROTO_UDP) + bpf_htons((__u16)ulen);
}

static __noinline enum sxdp_counter
sxdp_reflect4(struct xdp_md *ctx, void *data, void *data_end, __u32 off, __u64 t2_ns)
{
	struct ethhdr *eth = data;
	struct iphdr *ip = data + off;
	struct sxdp_lpm4_key lkey = { .prefixlen = 32 };
	struct sxdp_session_key skey = {};
	enum sxdp_csum_way way;
	struct udphdr *udp;
	enum sxdp_counter short_cnt = SXDP_CNT_MAX;
	__u32 ihl, tot, ulen, seq_be, a;
	__u16 old_w, new_w, port;
	__u64 delta, pseudo, paddr;
	__u8 *payload;

	if ((void *)(ip + 1) > data_end)
		return SXDP_CNT_MALFORMED;
	if (ip->protocol != IMPAIR_IPPROTO_UDP)
		return SXDP_CNT_PASSED;
	ihl = ip->ihl * 4;
	if (ip->version != 4 || ihl < sizeof(*ip))
		return SXDP_CNT_MALFORMED;
	/* A later fragment has no UDP header: nothing we can tell is ours. */
	if (ip->frag_off & bpf_htons(0x1fff))
		return SXDP_CNT_PASSED;
	udp = (void *)ip + ihl;
	if ((void *)(udp + 1) > data_end)
		return SXDP_CNT_MALFORMED;
	if (udp->dest != bpf_htons(stamp_port))
		return SXDP_CNT_PASSED;
	/* A first fragment to our port: a request we cannot reflect whole. */
	if (ip->frag_off & bpf_htons(0x2000))
		return SXDP_CNT_MALFORMED;
	tot = bpf_ntohs(ip->tot_len);
	ulen = bpf_ntohs(udp->len);
	if (tot < ihl + sizeof(*udp) || (void *)ip + tot > data_end ||
	    ulen < sizeof(*udp) || ulen > tot - ihl || ulen > SXDP_SUM_MAX)
		return SXDP_CNT_MALFORMED;
	__builtin_memcpy(lkey.addr, &ip->saddr, 4);
	if (bpf_map_lookup_elem(&allow4, &lkey) == NULL)
		return SXDP_CNT_NOT_ALLOWED;
	if (ulen - sizeof(*udp) < SXDP_STAMP_LEN) {
		struct sxdp_src_key src = { .family = 4 };

		__builtin_memcpy(src.addr, &ip->saddr, 4);
		short_cnt = sxdp_short_ok(&src, ulen - sizeof(*udp));
		if (short_cnt != SXDP_CNT_PADDED)
			return short_cnt;
	} else {
		payload = (__u8 *)(udp + 1);
		if (payload + SXDP_STAMP_LEN > (__u8 *)data_end)
			return SXDP_CNT_MALFORMED;
	}

	paddr = (__u64)(ip->saddr & 0xffff) + (ip->saddr >> 16) +
		(ip->daddr & 0xffff) + (ip->daddr >> 16);
	pseudo = paddr + sxdp_pseudo_tail(ulen);
	way = sxdp_csum_way(ctx, data, udp, ulen, pseudo);
	if (short_cnt == SXDP_CNT_PADDED) {
		if (sxdp_grow(ctx, off + ihl + sizeof(*udp), ulen - sizeof(*udp),
			      way != SXDP_CSUM_KEEP) < 0)
			return SXDP_CNT_NO_ROOM;
		ulen = sizeof(*udp) + SXDP_STAMP_LEN;
		pseudo = paddr + sxdp_pseudo_tail(ulen);
	}
	/* The verifier forgets packet bounds across the helper calls above. */
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	ip = data + off;
	if ((void *)(ip + 1) > data_end)
		return SXDP_CNT_MALFORMED;
	udp = (void *)ip + ihl;
	if ((void *)(udp + 1) > data_end)
		return SXDP_CNT_MALFORMED;
	payload = (__u8 *)(udp + 1);
	if (payload + SXDP_STAMP_LEN > (__u8 *)data_end)
		return SXDP_CNT_MALFORMED;
	if (short_cnt == SXDP_CNT_PADDED) {
		__u16 old_len = ip->tot_len, new_len = bpf_htons((__u16)(ihl + ulen));

		ip->tot_len = new_len;
		ip->check = sxdp_csum_update(ip->check, (__u16)~old_len + (__u32)new_len);
		udp->len = bpf_htons((__u16)ulen);
		way = sxdp_csum_padded(udp, pseudo, way);
	}

	__builtin_memcpy(skey.saddr, &ip->saddr, 4);
	__builtin_memcpy(skey.daddr, &ip->daddr, 4);
	skey.sport = udp->source;
	__builtin_memcpy(&skey.ssid, payload + SXDP_OFF_SSID, 2);
	skey.family = 4;
	__builtin_memcpy(&seq_be, payload + SXDP_OFF_SEQ, 4);
	seq_be = sxdp_seq(&skey, seq_be);

	delta = sxdp_fill(payload, data_end, seq_be, ip->ttl, t2_ns);
	sxdp_swap_mac(eth);
	a = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = a;
	port = udp->source;
	udp->source = udp->dest;
	udp->dest = port;
	__builtin_memcpy(&old_w, &ip->ttl, 2);
	ip->ttl = 255;
	__builtin_memcpy(&new_w, &ip->ttl, 2);
	ip->check = sxdp_csum_update(ip->check, (__u16)~old_w + (__u32)new_w);
	sxdp_csum_set(ctx, data, udp, ulen, pseudo, delta, way);
	return short_cnt == SXDP_CNT_PADDED ? SXDP_CNT_PADDED : SXDP_CNT_REFLECTED;
}

static __noinline enum sxdp_counter
sxdp_reflect6(struct xdp_md *ctx, void *data, void *data_end, __u32 off, __u64 t2_ns)
{
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6 = data + off;
	struct sxdp_lpm6_key lkey = { .prefixlen = 128 };
	struct sxdp_session_key skey = {};
	enum sxdp_csum_way way;
	struct in6_addr a;
	struct udphdr *udp;
	enum sxdp_counter short_cnt = SXDP_CNT_MAX;
	__u32 plen, ulen, seq_be;
	__u64 delta, pseudo, paddr;
	__u8 *payload;
	__u16 port;
	int i;

	if ((void *)(ip6 + 1) > data_end)
		return SXDP_CNT_MALFORMED;
	if (ip6->version != 6)
		return SXDP_CNT_MALFORMED;
	if (ip6->nexthdr != IMPAIR_IPPROTO_UDP)
		return SXDP_CNT_PASSED;
	udp = (void *)(ip6 + 1);
	if ((void *)(udp + 1) > data_end)
		return SXDP_CNT_MALFORMED;
	if (udp->dest != bpf_htons(stamp_port))
		return SXDP_CNT_PASSED;
	plen = bpf_ntohs(ip6->payload_len);
	ulen = bpf_ntohs(udp->len);
	if ((void *)udp + plen > data_end || ulen < sizeof(*udp) || ulen > plen ||
	    ulen > SXDP_SUM_MAX)
		return SXDP_CNT_MALFORMED;
	__builtin_memcpy(lkey.addr, &ip6->saddr, 16);
	if (bpf_map_lookup_elem(&allow6, &lkey) == NULL)
		return SXDP_CNT_NOT_ALLOWED;
	if (ulen - sizeof(*udp) < SXDP_STAMP_LEN) {
		struct sxdp_src_key src = { .family = 6 };

		__builtin_memcpy(src.addr, &ip6->saddr, 16);
		short_cnt = sxdp_short_ok(&src, ulen - sizeof(*udp));
		if (short_cnt != SXDP_CNT_PADDED)
			return short_cnt;
	}

	paddr = 0;
#pragma unroll
	for (i = 0; i < 4; i++)
		paddr += (__u64)ip6->saddr.in6_u.u6_addr32[i] +
			 ip6->daddr.in6_u.u6_addr32[i];
	pseudo = paddr + sxdp_pseudo_tail(ulen);
	way = sxdp_csum_way(ctx, data, udp, ulen, pseudo);
	if (short_cnt == SXDP_CNT_PADDED) {
		if (sxdp_grow(ctx, off + sizeof(*ip6) + sizeof(*udp), ulen - sizeof(*udp),
			      way != SXDP_CSUM_KEEP) < 0)
			return SXDP_CNT_NO_ROOM;
		ulen = sizeof(*udp) + SXDP_STAMP_LEN;
		pseudo = paddr + sxdp_pseudo_tail(ulen);
	}
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	ip6 = data + off;
	if ((void *)(ip6 + 1) > data_end)
		return SXDP_CNT_MALFORMED;
	udp = (void *)(ip6 + 1);
	if ((void *)(udp + 1) > data_end)
		return SXDP_CNT_MALFORMED;
	payload = (__u8 *)(udp + 1);
	if (payload + SXDP_STAMP_LEN > (__u8 *)data_end)
		return SXDP_CNT_MALFORMED;
	if (short_cnt == SXDP_CNT_PADDED) {
		ip6->payload_len = bpf_htons((__u16)ulen);
		udp->len = bpf_htons((__u16)ulen);
		way = sxdp_csum_padded(udp, pseudo, way);
	}

	__builtin_memcpy(skey.saddr, &ip6->saddr, 16);
	__builtin_memcpy(skey.daddr, &ip6->daddr, 16);
	skey.sport = udp->source;
	__builtin_memcpy(&skey.ssid, payload + SXDP_OFF_SSID, 2);
	skey.family = 6;
	__builtin_memcpy(&seq_be, payload + SXDP_OFF_SEQ, 4);
	seq_be = sxdp_seq(&skey, seq_be);

	delta = sxdp_fill(payload, data_end, seq_be, ip6->hop_limit, t2_ns);
	sxdp_swap_mac(eth);
	a = ip6->saddr;
	ip6->saddr = ip6->daddr;
	ip6->daddr = a;
	port = udp->source;
	udp->source = udp->dest;
	udp->dest = port;
	ip6->hop_limit = 255;
	sxdp_csum_set(ctx, data, udp, ulen, pseudo, delta, way);
	return short_cnt == SXDP_CNT_PADDED ? SXDP_CNT_PADDED : SXDP_CNT_REFLECTED;
}

SEC("xdp")
int
stamp_reflect(struct xdp_md *ctx)
{
	__u64 t2_ns = sxdp_now_ns();	/* receive time, first thing */
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	enum sxdp_counter res;
	__u16 proto;
	__u32 off;
	int i;

	if (impair_drop(data, data_end))
		return XDP_DROP;
	if ((void *)(eth + 1) > data_end) {
		sxdp_count(SXDP_CNT_PASSED);
		return XDP_PASS;
	}
	proto = bpf_ntohs(eth->h_proto);
	off = sizeof(*eth);
#pragma unroll
	for (i = 0; i < 2; i++) {
		struct impair_vlan_hdr *vh = data + off;

		if (proto != IMPAIR_ETH_P_8021Q && proto != IMPAIR_ETH_P_8021AD)
			break;
		if ((void *)(vh + 1) > data_end) {
			sxdp_count(SXDP_CNT_MALFORMED);
			return XDP_PASS;
		}
		proto = bpf_ntohs(vh->proto);
		off += sizeof(*vh);
	}
	if (proto == IMPAIR_ETH_P_IP)
		res = sxdp_reflect4(ctx, data, data_end, off, t2_ns);
	else if (proto == IMPAIR_ETH_P_IPV6)
		res = sxdp_reflect6(ctx, data, data_end, off, t2_ns);
	else
		res = SXDP_CNT_PASSED;
	if (res == SXDP_CNT_PADDED) {
		sxdp_count(SXDP_CNT_PADDED);
		res = SXDP_CNT_REFLECTED;
	}
	sxdp_count(res);
	if (res == SXDP_CNT_SHORT || res == SXDP_CNT_RATE_LIMITED || res == SXDP_CNT_NO_ROOM)
		return XDP_DROP;
	return res == SXDP_CNT_REFLECTED ? XDP_TX : XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
