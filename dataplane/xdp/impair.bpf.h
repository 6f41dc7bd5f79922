/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Loss injection for lab links, shared by impair.bpf.c and
 * stamp_reflect.bpf.c: XDP allows one program per interface, so the
 * reflector carries the same logic and the same maps, and a lab site can
 * have both. Each object that includes this gets its own three maps:
 * impair_cfg (settings, changed while attached), impair_state (the
 * Gilbert-Elliott chain, per CPU), impair_cnt (per-CPU counters) and
 * impair_tb (the rate limit's token bucket, one for all CPUs).
 *
 * Only IPv4/IPv6 UDP is touched (optionally one port), so ARP, neighbour
 * discovery and everything else keep the link usable.
 */
#ifndef IMPAIR_BPF_H
#define IMPAIR_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "stamp_xdp.h"

#define IMPAIR_ETH_P_IP		0x0800
#define IMPAIR_ETH_P_IPV6	0x86dd
#define IMPAIR_ETH_P_8021Q	0x8100
#define IMPAIR_ETH_P_8021AD	0x88a8
#define IMPAIR_IPPROTO_UDP	17

/* An 802.1Q / 802.1ad tag (our own: not every kernel's BTF has vlan_hdr). */
struct impair_vlan_hdr {
	__be16 tci;
	__be16 proto;		/* the ethertype that follows */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct impair_cfg);
} impair_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct impair_state);
} impair_state SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, IMPAIR_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} impair_cnt SEC(".maps");

/*
 * The rate limit's bucket: one for all CPUs (a frame may arrive on any),
 * so a spin lock guards it.
 */
struct impair_tb {
	struct bpf_spin_lock lock;
	__u32 pad;
	struct mp_tbucket b;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct impair_tb);
} impair_tb SEC(".maps");

static __always_inline void
impair_count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&impair_cnt, &idx);

	if (v != NULL)
		*v += 1;
}

/*
 * Whether the frame is IPv4/IPv6 UDP (under up to two VLAN tags) that the
 * port filter selects. A non-first IPv4 fragment carries no ports, so it
 * matches only when every UDP packet is selected (port 0).
 */
static __always_inline int
impair_match(void *data, void *data_end, __u16 port)
{
	struct ethhdr *eth = data;
	struct udphdr *udp;
	__u16 proto;
	__u32 off;
	int i;

	if ((void *)(eth + 1) > data_end)
		return 0;
	proto = bpf_ntohs(eth->h_proto);
	off = sizeof(*eth);
#pragma unroll
	for (i = 0; i < 2; i++) {
		struct impair_vlan_hdr *vh = data + off;

		if (proto != IMPAIR_ETH_P_8021Q && proto != IMPAIR_ETH_P_8021AD)
			break;
		if ((void *)(vh + 1) > data_end)
			return 0;
		proto = bpf_ntohs(vh->proto);
		off += sizeof(*vh);
	}
	if (proto == IMPAIR_ETH_P_IP) {
		struct iphdr *ip = data + off;
		__u32 ihl;

		if ((void *)(ip + 1) > data_end || ip->protocol != IMPAIR_IPPROTO_UDP)
			return 0;
		if (ip->frag_off & bpf_htons(0x1fff))
			return port == 0;
		ihl = ip->ihl * 4;
		if (ihl < sizeof(*ip))
			return 0;
		udp = (void *)ip + ihl;
	} else if (proto == IMPAIR_ETH_P_IPV6) {
		struct ipv6hdr *ip6 = data + off;

		if ((void *)(ip6 + 1) > data_end || ip6->nexthdr != IMPAIR_IPPROTO_UDP)
			return 0;
		udp = (void *)(ip6 + 1);
	} else {
		return 0;
	}
	if (port == 0)
		return 1;
	if ((void *)(udp + 1) > data_end)
		return 0;
	return udp->source == bpf_htons(port) || udp->dest == bpf_htons(port);
}

/* One draw against a probability threshold (see IMPAIR_THR_ONE). */
static __always_inline int
impair_draw(__u64 thr)
{
	return (__u64)bpf_get_prandom_u32() < thr;
}

/*
 * The rate limit: 1 when a frame of len bytes is over it (counted), 0 when
 * it passes. Not inlined: its stack is not added to the reflector's
 * deepest call chain (the verifier's 512 bytes).
 */
static __noinline int
impair_over_rate(const struct impair_cfg *cfg, __u64 len)
{
	__u32 zero = 0;
	struct impair_tb *tb = bpf_map_lookup_elem(&impair_tb, &zero);
	__u64 now = bpf_ktime_get_ns();
	int pass;

	if (tb == NULL || cfg->rate.rate == 0)
		return 0;
	bpf_spin_lock(&tb->lock);
	pass = mp_tbucket_take(&tb->b, &cfg->rate, now, len);
	bpf_spin_unlock(&tb->lock);
	if (!pass)
		impair_count(IMPAIR_CNT_RATE_DROPPED);
	return !pass;
}

/*
 * Decide whether to drop this frame: all of it when blackholed or while a
 * flap is down, else by the loss model. The loss decision of the
 * Gilbert-Elliott model uses the state the chain is in, then the chain
 * moves: the stationary loss is (r (1-k) + p (1-h)) / (p + r) and a bad
 * spell lasts 1/r packets on average.
 */
static __always_inline int
impair_drop(void *data, void *data_end)
{
	__u32 zero = 0;
	struct impair_cfg *cfg = bpf_map_lookup_elem(&impair_cfg, &zero);
	struct impair_state *st;
	__u32 flags;
	int drop = 0;

	if (cfg == NULL)
		return 0;
	flags = cfg->flags;
	if (flags == 0 || ((flags & IMPAIR_F_ALL) == 0 && !impair_match(data, data_end, cfg->port)))
		return 0;
	impair_count(IMPAIR_CNT_SEEN);
	if (flags & IMPAIR_F_BLACKHOLE) {
		drop = 1;
	} else if ((flags & IMPAIR_F_FLAP) && cfg->flap_period_ns != 0 &&
		   bpf_ktime_get_ns() % cfg->flap_period_ns < cfg->flap_down_ns) {
		drop = 1;
	} else if (flags & IMPAIR_F_GE) {
		st = bpf_map_lookup_elem(&impair_state, &zero);
		if (st == NULL)
			return 0;
		if (st->bad) {
			drop = impair_draw(cfg->ge_bad_loss_thr);
			if (impair_draw(cfg->ge_r_thr))
				st->bad = 0;
		} else {
			drop = impair_draw(cfg->ge_good_loss_thr);
			if (impair_draw(cfg->ge_p_thr))
				st->bad = 1;
		}
	} else if (flags & IMPAIR_F_LOSS) {
		drop = impair_draw(cfg->loss_thr);
	}
	if (!drop && (flags & IMPAIR_F_RATE))
		drop = impair_over_rate(cfg, (__u64)(data_end - data));
	if (drop)
		impair_count(IMPAIR_CNT_DROPPED);
	return drop;
}

#endif
