/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The XDP programs, run by the kernel on frames built here
 * (BPF_PROG_TEST_RUN): STAMP requests over IPv4/IPv6, untagged, 802.1Q and
 * QinQ must come back as XDP_TX with every reply field, address and
 * checksum right, the checksums verified with an RFC 1071 sum written
 * independently here; everything else must pass untouched and be counted.
 * The impairment's drop rates are checked against binomial and Markov-chain
 * confidence bounds. Needs root and BPF: otherwise it exits 77 (skip).
 */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "mp_stamp.h"
#include "stamp_xdp.h"
#include "xdp_user.h"
#include "stamp_reflect.skel.h"
#include "impair.skel.h"

/* The shared header must agree with the core codec's layout. */
_Static_assert(SXDP_STAMP_LEN == STAMP_UNAUTH_LEN, "length");
_Static_assert(SXDP_STAMP_PORT == STAMP_UDP_PORT, "port");
_Static_assert(SXDP_OFF_TS == STAMP_OFF_TS && SXDP_OFF_ERREST == STAMP_OFF_ERREST &&
	       SXDP_OFF_SSID == STAMP_OFF_SSID && SXDP_OFF_RX_TS == STAMP_OFF_RX_TS &&
	       SXDP_OFF_SENDER_SEQ == STAMP_OFF_SENDER_SEQ &&
	       SXDP_OFF_SENDER_TS == STAMP_OFF_SENDER_TS &&
	       SXDP_OFF_SENDER_ERREST == STAMP_OFF_SENDER_ERREST &&
	       SXDP_OFF_SENDER_TTL == STAMP_OFF_SENDER_TTL, "offsets");

#define CHECK(cond, ...) do {					\
	if (!(cond))						\
		ck_abort_msg(__VA_ARGS__);			\
} while (0)

#define T_FRAME_MAX	2048
#define T_NTP_UNIX	2208988800ull

static const uint8_t T_MAC_SENDER[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
static const uint8_t T_MAC_REFL[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0b };
static const uint8_t T_V4_SENDER[4] = { 192, 0, 2, 10 };
static const uint8_t T_V4_REFL[4] = { 192, 0, 2, 1 };
static const uint8_t T_V4_STRANGER[4] = { 198, 51, 100, 7 };
static const uint8_t T_V6_SENDER[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10 };
static const uint8_t T_V6_REFL[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01 };
static const uint8_t T_V6_STRANGER[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x07 };

enum t_csum {
	T_CSUM_FULL = 0,
	T_CSUM_ZERO,		/* "no checksum" (IPv4) */
	T_CSUM_PARTIAL,		/* what a local socket leaves over a veth: pseudo-header sum */
};

/* One request to build; zero fields get sensible defaults in t_req_default(). */
struct t_req {
	int family;
	int nvlan;
	uint16_t tpid[2];
	uint16_t vid[2];
	int ihl;			/* IPv4 header words */
	uint16_t frag_off;
	const uint8_t *src;
	const uint8_t *dst;
	uint16_t sport, dport;
	uint8_t ttl;
	uint32_t seq;
	uint64_t ts;
	uint16_t errest, ssid;
	size_t plen;			/* UDP payload bytes */
	enum t_csum csum;
};

struct t_frame {
	uint8_t b[T_FRAME_MAX];
	size_t len;
	size_t l3, l4, pay;
};

static void
t_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void
t_put32(uint8_t *p, uint32_t v)
{
	t_put16(p, v >> 16);
	t_put16(p + 2, v & 0xffff);
}

static void
t_put64(uint8_t *p, uint64_t v)
{
	t_put32(p, v >> 32);
	t_put32(p + 4, v & 0xffffffff);
}

static uint16_t
t_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
t_get32(const uint8_t *p)
{
	return (uint32_t)t_get16(p) << 16 | t_get16(p + 2);
}

static uint64_t
t_get64(const uint8_t *p)
{
	return (uint64_t)t_get32(p) << 32 | t_get32(p + 4);
}

/* RFC 1071, big-endian 16-bit words, odd byte padded with zero. */
static uint32_t
t_sum(uint32_t s, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t
t_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* The pseudo-header sum of the frame's IP header (UDP, length ulen). */
static uint32_t
t_pseudo(const struct t_frame *f, int family, uint16_t ulen)
{
	uint32_t s = 17 + ulen;

	if (family == 4)
		return t_sum(s, f->b + f->l3 + 12, 8);
	return t_sum(s, f->b + f->l3 + 8, 32);
}

static void
t_req_default(struct t_req *r, int family)
{
	memset(r, 0, sizeof(*r));
	r->family = family;
	r->ihl = 5;
	r->src = family == 4 ? T_V4_SENDER : T_V6_SENDER;
	r->dst = family == 4 ? T_V4_REFL : T_V6_REFL;
	r->sport = 40001;
	r->dport = 862;
	r->ttl = family == 4 ? 61 : 57;
	r->seq = 0x01020304;
	r->ts = 0xeeb3fa8e27d1db69ull;
	r->errest = 0x8280;
	r->ssid = 0xbeef;
	r->plen = 64;		/* 44 + 20 bytes of padding */
}

static void
t_build(struct t_frame *f, const struct t_req *r)
{
	size_t o, i, alen = r->family == 4 ? 4 : 16;
	uint16_t ulen = (uint16_t)(8 + r->plen);
	uint8_t *p;
	int v;

	memset(f, 0, sizeof(*f));
	memcpy(f->b, T_MAC_REFL, 6);
	memcpy(f->b + 6, T_MAC_SENDER, 6);
	o = 12;
	for (v = 0; v < r->nvlan; v++) {
		t_put16(f->b + o, r->tpid[v]);
		t_put16(f->b + o + 2, r->vid[v]);
		o += 4;
	}
	t_put16(f->b + o, r->family == 4 ? 0x0800 : 0x86dd);
	o += 2;
	f->l3 = o;
	p = f->b + o;
	if (r->family == 4) {
		p[0] = (uint8_t)(0x40 | r->ihl);
		p[1] = 0x88;			/* DSCP AF41 */
		t_put16(p + 2, (uint16_t)(r->ihl * 4 + ulen));
		t_put16(p + 4, 0x1234);
		t_put16(p + 6, r->frag_off);
		p[8] = r->ttl;
		p[9] = 17;
		memcpy(p + 12, r->src, 4);
		memcpy(p + 16, r->dst, 4);
		for (i = 20; i < (size_t)r->ihl * 4; i++)
			p[i] = 0x01;		/* NOP options */
		t_put16(p + 10, (uint16_t)~t_fold(t_sum(0, p, (size_t)r->ihl * 4)));
		o += (size_t)r->ihl * 4;
	} else {
		p[0] = 0x60;
		p[1] = 0x0a;
		p[3] = 0x42;			/* traffic class / flow label bits */
		t_put16(p + 4, ulen);
		p[6] = 17;
		p[7] = r->ttl;
		memcpy(p + 8, r->src, alen);
		memcpy(p + 24, r->dst, alen);
		o += 40;
	}
	f->l4 = o;
	p = f->b + o;
	t_put16(p, r->sport);
	t_put16(p + 2, r->dport);
	t_put16(p + 4, ulen);
	o += 8;
	f->pay = o;
	p = f->b + o;
	for (i = 0; i < r->plen; i++)
		p[i] = (uint8_t)(i * 7 + 3);	/* padding pattern */
	if (r->plen >= 4)
		t_put32(p, r->seq);
	if (r->plen >= 12)
		t_put64(p + 4, r->ts);
	if (r->plen >= 14)
		t_put16(p + 12, r->errest);
	if (r->plen >= 16)
		t_put16(p + 14, r->ssid);
	for (i = 16; i < 44 && i < r->plen; i++)
		p[i] = 0;			/* MBZ */
	o += r->plen;
	f->len = o;
	if (r->csum == T_CSUM_FULL) {
		uint16_t c = (uint16_t)~t_fold(t_sum(t_pseudo(f, r->family, ulen),
						     f->b + f->l4, ulen));

		t_put16(f->b + f->l4 + 6, c == 0 ? 0xffff : c);
	} else if (r->csum == T_CSUM_PARTIAL) {
		t_put16(f->b + f->l4 + 6, t_fold(t_pseudo(f, r->family, ulen)));
	}
}

/* --- running programs --- */

static int
t_run(int prog_fd, const uint8_t *in, size_t len, uint8_t *out, uint32_t *out_len)
{
	LIBBPF_OPTS(bpf_test_run_opts, o,
		.data_in = in,
		.data_size_in = (__u32)len,
		.data_out = out,
		.data_size_out = T_FRAME_MAX,
		.repeat = 1);
	int err;

	err = bpf_prog_test_run_opts(prog_fd, &o);
	ck_assert_msg(err == 0, "BPF_PROG_TEST_RUN failed: %s", strerror(errno));
	*out_len = o.data_size_out;
	return (int)o.retval;
}

static uint64_t
t_counter(struct bpf_map *m, uint32_t idx)
{
	uint64_t v = 0;

	ck_assert_int_eq(xdp_percpu_sum(bpf_map__fd(m), idx, &v), 0);
	return v;
}

static void
t_allow4(struct stamp_reflect *s, const uint8_t *a, uint32_t plen)
{
	struct sxdp_lpm4_key k = { .prefixlen = plen };
	uint8_t one = 1;

	memcpy(k.addr, a, 4);
	ck_assert_int_eq(bpf_map__update_elem(s->maps.allow4, &k, sizeof(k), &one, 1,
					      BPF_ANY), 0);
}

static void
t_allow6(struct stamp_reflect *s, const uint8_t *a, uint32_t plen)
{
	struct sxdp_lpm6_key k = { .prefixlen = plen };
	uint8_t one = 1;

	memcpy(k.addr, a, 16);
	ck_assert_int_eq(bpf_map__update_elem(s->maps.allow6, &k, sizeof(k), &one, 1,
					      BPF_ANY), 0);
}

/*
 * A reflector allowing 192.0.2.0/24 and 2001:db8:1::/48 (not the strangers),
 * with the given handling of requests shorter than 44 bytes.
 */
static struct stamp_reflect *
t_reflect_load_short(uint16_t port, bool stateful, bool generic, bool refuse_short,
		     uint32_t short_rate, uint32_t short_burst)
{
	struct stamp_reflect *s = stamp_reflect__open();
	int64_t tai_ns, mono_ns;

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(xdp_clock_offsets(&tai_ns, &mono_ns), 0);
	s->rodata->stamp_port = port;
	s->rodata->stateful = stateful;
	s->rodata->xdp_generic = generic;
	s->rodata->refuse_short = refuse_short;
	s->rodata->short_rate = short_rate;
	s->rodata->short_burst = short_burst;
	s->rodata->tai_to_utc_ns = tai_ns;
	s->rodata->mono_to_utc_ns = mono_ns;
	ck_assert_msg(stamp_reflect__load(s) == 0, "loading stamp_reflect failed");
	t_allow4(s, T_V4_SENDER, 24);
	t_allow6(s, T_V6_SENDER, 48);
	return s;
}

static struct stamp_reflect *
t_reflect_load(uint16_t port, bool stateful, bool generic)
{
	return t_reflect_load_short(port, stateful, generic, false, SXDP_SHORT_RATE_DEFAULT,
				    SXDP_SHORT_BURST_DEFAULT);
}

static uint64_t
t_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t
t_ntp_to_ns(uint64_t ntp)
{
	return ((ntp >> 32) - T_NTP_UNIX) * 1000000000ull +
	       (((ntp & 0xffffffffull) * 1000000000ull) >> 32);
}

static bool
t_udp_valid(const uint8_t *b, const struct t_frame *f, int family)
{
	struct t_frame tmp;
	uint16_t ulen = t_get16(b + f->l4 + 4);

	memcpy(tmp.b, b, f->len);
	tmp.l3 = f->l3;
	return t_fold(t_sum(t_pseudo(&tmp, family, ulen), b + f->l4, ulen)) == 0xffff;
}

/*
 * Everything a reply must be, given its request: same length and framing,
 * addresses and ports swapped, TTL 255, the STAMP reflector fields, T2 and
 * T3 on the wall clock between before_ns and after_ns (give or take 1 s),
 * padding untouched, and a valid IPv4 header checksum.
 */
static void
t_check_reply(const struct t_frame *req, const struct t_req *r, const uint8_t *out,
	      uint32_t out_len, uint64_t before_ns, uint64_t after_ns, uint32_t want_seq)
{
	const uint8_t *ip = out + req->l3, *rip = req->b + req->l3;
	const uint8_t *u = out + req->l4, *ru = req->b + req->l4;
	const uint8_t *s = out + req->pay, *rs = req->b + req->pay;
	size_t alen = r->family == 4 ? 4 : 16, i;
	struct stamp_reply rep;
	uint64_t t2, t3;

	ck_assert_uint_eq(out_len, req->len);
	ck_assert_mem_eq(out, req->b + 6, 6);
	ck_assert_mem_eq(out + 6, req->b, 6);
	ck_assert_mem_eq(out + 12, req->b + 12, req->l3 - 12);	/* tags, ethertype */
	if (r->family == 4) {
		ck_assert_mem_eq(ip, rip, 8);			/* up to the TTL */
		ck_assert_uint_eq(ip[8], 255);
		ck_assert_uint_eq(ip[9], 17);
		ck_assert_mem_eq(ip + 12, rip + 16, 4);
		ck_assert_mem_eq(ip + 16, rip + 12, 4);
		ck_assert_mem_eq(ip + 20, rip + 20, (size_t)r->ihl * 4 - 20);
		ck_assert_uint_eq(t_fold(t_sum(0, ip, (size_t)r->ihl * 4)), 0xffff);
	} else {
		ck_assert_mem_eq(ip, rip, 7);
		ck_assert_uint_eq(ip[7], 255);
		ck_assert_mem_eq(ip + 8, rip + 24, alen);
		ck_assert_mem_eq(ip + 24, rip + 8, alen);
	}
	ck_assert_mem_eq(u, ru + 2, 2);
	ck_assert_mem_eq(u + 2, ru, 2);
	ck_assert_mem_eq(u + 4, ru + 4, 2);

	/* RFC 8762 4.3.1, offsets written out rather than taken from headers. */
	ck_assert_uint_eq(t_get32(s + 0), want_seq);
	t3 = t_get64(s + 4);
	ck_assert_uint_eq(t_get16(s + 12) & 0xc000, 0);		/* S = 0, Z = 0 */
	ck_assert_uint_ne(t_get16(s + 12) & 0xff, 0);		/* multiplier */
	ck_assert_mem_eq(s + 14, rs + 14, 2);			/* SSID echoed */
	t2 = t_get64(s + 16);
	ck_assert_mem_eq(s + 24, rs + 0, 4);			/* sender seq */
	ck_assert_mem_eq(s + 28, rs + 4, 8);			/* sender timestamp */
	ck_assert_mem_eq(s + 36, rs + 12, 2);			/* sender error estimate */
	ck_assert_uint_eq(s[38], 0);
	ck_assert_uint_eq(s[39], 0);
	ck_assert_uint_eq(s[40], r->ttl);			/* sender TTL */
	ck_assert_uint_eq(s[41] | s[42] | s[43], 0);
	for (i = 44; i < r->plen; i++)
		CHECK(s[i] == rs[i], "padding byte %zu changed: 0x%02x -> 0x%02x", i, rs[i], s[i]);
	CHECK(t2 <= t3, "T2 0x%016llx after T3 0x%016llx", (unsigned long long)t2,
	      (unsigned long long)t3);
	CHECK(t_ntp_to_ns(t2) + 1000000000ull >= before_ns &&
	      t_ntp_to_ns(t3) <= after_ns + 1000000000ull,
	      "T2/T3 not within 1 s of the wall clock: T2 %llu ns, T3 %llu ns, now %llu ns",
	      (unsigned long long)t_ntp_to_ns(t2), (unsigned long long)t_ntp_to_ns(t3),
	      (unsigned long long)before_ns);

	/* The core codec, written separately, must read the same reply. */
	ck_assert_int_eq(stamp_reply_decode(s, 44, STAMP_UNAUTH, &rep), 0);
	ck_assert_uint_eq(rep.sender_seq, r->seq);
	ck_assert_uint_eq(rep.sender_ts, r->ts);
	ck_assert_uint_eq(rep.sender_errest, r->errest);
	ck_assert_uint_eq(rep.ssid, r->ssid);
	ck_assert_uint_eq(rep.sender_ttl, r->ttl);
	ck_assert_uint_eq(rep.rx_ts, t2);
	ck_assert_uint_eq(rep.ts, t3);
}

/* Reflect one request; check the reply and that it was counted. */
static void
t_reflect_ok(struct stamp_reflect *sk, const struct t_req *r, uint32_t want_seq,
	     uint8_t *out)
{
	struct t_frame f;
	uint64_t before, after, n0;
	uint32_t out_len;
	int ret;

	t_build(&f, r);
	n0 = t_counter(sk->maps.stamp_cnt, SXDP_CNT_REFLECTED);
	before = t_now_ns();
	ret = t_run(bpf_program__fd(sk->progs.stamp_reflect), f.b, f.len, out, &out_len);
	after = t_now_ns();
	ck_assert_int_eq(ret, XDP_TX);
	t_check_reply(&f, r, out, out_len, before, after, want_seq);
	ck_assert_uint_eq(t_counter(sk->maps.stamp_cnt, SXDP_CNT_REFLECTED), n0 + 1);
}

/* A frame the reflector must hand to the stack unchanged, counted in cnt. */
static void
t_pass(struct stamp_reflect *sk, const uint8_t *in, size_t len, enum sxdp_counter cnt)
{
	uint8_t out[T_FRAME_MAX];
	uint32_t out_len;
	uint64_t n0 = t_counter(sk->maps.stamp_cnt, cnt);
	int ret;

	ret = t_run(bpf_program__fd(sk->progs.stamp_reflect), in, len, out, &out_len);
	ck_assert_int_eq(ret, XDP_PASS);
	ck_assert_uint_eq(out_len, len);
	ck_assert_mem_eq(out, in, len);
	ck_assert_uint_eq(t_counter(sk->maps.stamp_cnt, cnt), n0 + 1);
}

static void
t_reflect_check_udp(const struct t_req *r, bool generic)
{
	struct stamp_reflect *sk = t_reflect_load(862, false, generic);
	uint8_t out[T_FRAME_MAX];
	struct t_frame f;

	t_build(&f, r);
	t_reflect_ok(sk, r, r->seq, out);
	CHECK(t_udp_valid(out, &f, r->family), "reply UDP checksum 0x%04x is wrong",
	      t_get16(out + f.l4 + 6));
	ck_assert_uint_ne(t_get16(out + f.l4 + 6), 0);
	stamp_reflect__destroy(sk);
}

/* --- reflection --- */

START_TEST(test_v4_untagged)
{
	struct t_req r;

	t_req_default(&r, 4);
	t_reflect_check_udp(&r, true);
}
END_TEST

START_TEST(test_v6_untagged)
{
	struct t_req r;

	t_req_default(&r, 6);
	t_reflect_check_udp(&r, true);
}
END_TEST

START_TEST(test_v4_dot1q)
{
	struct t_req r;

	t_req_default(&r, 4);
	r.nvlan = 1;
	r.tpid[0] = 0x8100;
	r.vid[0] = 0x2064;		/* PCP 1, VID 100 */
	t_reflect_check_udp(&r, true);
}
END_TEST

START_TEST(test_v6_qinq)
{
	struct t_req r;

	t_req_default(&r, 6);
	r.nvlan = 2;
	r.tpid[0] = 0x88a8;
	r.vid[0] = 200;
	r.tpid[1] = 0x8100;
	r.vid[1] = 300;
	t_reflect_check_udp(&r, true);
}
END_TEST

START_TEST(test_v4_qinq_8100)
{
	struct t_req r;

	t_req_default(&r, 4);
	r.nvlan = 2;
	r.tpid[0] = 0x8100;
	r.vid[0] = 10;
	r.tpid[1] = 0x8100;
	r.vid[1] = 20;
	r.plen = 44;			/* no padding at all */
	t_reflect_check_udp(&r, true);
}
END_TEST

START_TEST(test_v4_options)
{
	struct t_req r;

	t_req_default(&r, 4);
	r.ihl = 7;			/* 8 bytes of options */
	r.nvlan = 1;
	r.tpid[0] = 0x8100;
	r.vid[0] = 7;
	t_reflect_check_udp(&r, true);
}
END_TEST

/* IPv4 without a UDP checksum: the reply gets a real one, odd length too. */
START_TEST(test_v4_zero_csum)
{
	struct t_req r;
	size_t lens[] = { 44, 45, 64, 1401 };
	size_t i;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		t_req_default(&r, 4);
		r.csum = T_CSUM_ZERO;
		r.plen = lens[i];
		t_reflect_check_udp(&r, true);
	}
}
END_TEST

START_TEST(test_odd_length_incremental)
{
	struct t_req r;

	t_req_default(&r, 6);
	r.plen = 77;
	t_reflect_check_udp(&r, false);
	t_req_default(&r, 4);
	r.plen = 1399;
	t_reflect_check_udp(&r, true);
}
END_TEST

/*
 * A request whose checksum offload is still pending (the field holds the
 * pseudo-header sum, as a local socket leaves it on a veth). Generic mode:
 * the skb keeps that state, so the field must stay for the completion,
 * and completing it must give a valid checksum. Native mode: the frame
 * loses the state, so the reply must carry a full valid checksum.
 */
START_TEST(test_partial_csum)
{
	struct stamp_reflect *sk;
	uint8_t out[T_FRAME_MAX];
	struct t_frame f;
	struct t_req r;
	uint16_t ulen, c;
	int fam;

	for (fam = 4; fam <= 6; fam += 2) {
		t_req_default(&r, fam);
		r.csum = T_CSUM_PARTIAL;
		r.plen = 45;
		t_build(&f, &r);

		sk = t_reflect_load(862, false, true);
		t_reflect_ok(sk, &r, r.seq, out);
		ck_assert_mem_eq(out + f.l4 + 6, f.b + f.l4 + 6, 2);
		ulen = t_get16(out + f.l4 + 4);
		/* What the offload does: complement of the sum from the UDP header on. */
		c = (uint16_t)~t_fold(t_sum(0, out + f.l4, ulen));
		t_put16(out + f.l4 + 6, c == 0 ? 0xffff : c);
		CHECK(t_udp_valid(out, &f, fam), "IPv%d: completed checksum is wrong", fam);
		stamp_reflect__destroy(sk);

		sk = t_reflect_load(862, false, false);
		t_reflect_ok(sk, &r, r.seq, out);
		CHECK(t_udp_valid(out, &f, fam), "IPv%d native: checksum 0x%04x is wrong", fam,
		      t_get16(out + f.l4 + 6));
		stamp_reflect__destroy(sk);
	}
}
END_TEST

/* A full checksum that happens to equal the pseudo-header sum is still full. */
START_TEST(test_csum_collision)
{
	struct stamp_reflect *sk = t_reflect_load(862, false, true);
	uint8_t out[T_FRAME_MAX];
	struct t_frame f;
	struct t_req r;
	uint16_t ulen, pseudo;
	uint32_t i;

	t_req_default(&r, 4);
	/* Search the sender timestamp for a packet whose checksum is the pseudo sum. */
	for (i = 0; i < 1u << 20; i++) {
		r.ts = 0xeeb3fa8e00000000ull | i;
		t_build(&f, &r);
		ulen = t_get16(f.b + f.l4 + 4);
		pseudo = t_fold(t_pseudo(&f, 4, ulen));
		if (t_get16(f.b + f.l4 + 6) == pseudo)
			break;
	}
	ck_assert_uint_lt(i, 1u << 20);
	t_reflect_ok(sk, &r, r.seq, out);
	CHECK(t_udp_valid(out, &f, 4), "checksum equal to the pseudo sum was not updated");
	stamp_reflect__destroy(sk);
}
END_TEST

START_TEST(test_custom_port)
{
	struct stamp_reflect *sk = t_reflect_load(8620, false, true);
	uint8_t out[T_FRAME_MAX];
	struct t_frame f;
	struct t_req r;

	t_req_default(&r, 6);
	r.dport = 8620;
	t_reflect_ok(sk, &r, r.seq, out);
	r.dport = 862;
	t_build(&f, &r);
	t_pass(sk, f.b, f.len, SXDP_CNT_PASSED);
	stamp_reflect__destroy(sk);
}
END_TEST

/* Stateful: one counter per session, from 0; the sender's number is echoed. */
START_TEST(test_stateful)
{
	struct stamp_reflect *sk = t_reflect_load(862, true, true);
	uint8_t out[T_FRAME_MAX];
	struct t_req a, b;
	uint32_t i;

	t_req_default(&a, 4);
	t_req_default(&b, 4);
	b.ssid = 0x1234;
	for (i = 0; i < 3; i++) {
		a.seq = 1000 + i * 10;
		t_reflect_ok(sk, &a, i, out);
	}
	b.seq = 77;
	t_reflect_ok(sk, &b, 0, out);
	a.seq = 5;
	t_reflect_ok(sk, &a, 3, out);
	t_req_default(&b, 6);
	t_reflect_ok(sk, &b, 0, out);
	stamp_reflect__destroy(sk);
}
END_TEST

/* --- what must pass --- */

START_TEST(test_pass_wrong_port_and_others)
{
	struct stamp_reflect *sk = t_reflect_load(862, false, true);
	static const uint8_t arp[60] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x0a, 0x08, 0x06,
		0, 1, 0x08, 0, 6, 4, 0, 1, 0x02, 0, 0, 0, 0, 0x0a, 192, 0, 2, 10,
		0, 0, 0, 0, 0, 0, 192, 0, 2, 1,
	};
	struct t_frame f;
	struct t_req r;

	t_req_default(&r, 4);
	r.dport = 863;
	t_build(&f, &r);
	t_pass(sk, f.b, f.len, SXDP_CNT_PASSED);
	t_req_default(&r, 4);
	r.sport = 862;			/* a reply coming back is not a request */
	r.dport = 40001;
	t_build(&f, &r);
	t_pass(sk, f.b, f.len, SXDP_CNT_PASSED);
	t_pass(sk, arp, sizeof(arp), SXDP_CNT_PASSED);
	/* TCP to port 862 */
	t_req_default(&r, 4);
	t_build(&f, &r);
	f.b[f.l3 + 9] = 6;
	t_pass(sk, f.b, f.len, SXDP_CNT_PASSED);
	/* IPv6 with a hop-by-hop header first: not parsed, passed */
	t_req_default(&r, 6);
	t_build(&f, &r);
	f.b[f.l3 + 6] = 0;
	t_pass(sk, f.b, f.len, SXDP_CNT_PASSED);
	/* a later IPv4 fragment */
	t_req_default(&r, 4);
	r.frag_off = 0x00b9;
	t_build(&f, &r);
	t_pass(sk, f.b, f.len, SXDP_CNT_PASSED);
	stamp_reflect__destroy(sk);
}
END_TEST

START_TEST(test_pass_not_allowed)
{
	struct stamp_reflect *sk = t_reflect_load(862, false, true);
	struct t_frame f;
	struct t_req r;

	t_req_default(&r, 4);
	r.src = T_V4_STRANGER;
	t_build(&f, &r);
	t_pass(sk, f.b, f.len, SXDP_CNT_NOT_ALLOWED);
	t_req_default(&r, 6);
	r.src = T_V6_STRANGER;
	r.nvlan = 1;
	r.tpid[0] = 0x8100;
	r.vid[0] = 5;
	t_build(&f, &r);
	t_pass(sk, f.b, f.len, SXDP_CNT_NOT_ALLOWED);
	stamp_reflect__destroy(sk);
}
END_TEST

/* An empty allowlist answers nobody. */
START_TEST(test_pass_empty_allowlist)
{
	struct stamp_reflect *sk = stamp_reflect__open_and_load();
	struct t_frame f;
	struct t_req r;

	ck_assert_ptr_nonnull(sk);
	t_req_default(&r, 4);
	t_build(&f, &r);
	t_pass(sk, f.b, f.len, SXDP_CNT_NOT_ALLOWED);
	stamp_reflect__destroy(sk);
}
END_TEST

/* A frame the reflector must drop, counted in cnt. */
static void
t_drop(struct stamp_reflect *sk, const uint8_t *in, size_t len, enum sxdp_counter cnt)
{
	uint8_t out[T_FRAME_MAX];
	uint32_t out_len;
	uint64_t n0 = t_counter(sk->maps.stamp_cnt, cnt);

	ck_assert_int_eq(t_run(bpf_program__fd(sk->progs.stamp_reflect), in, len, out, &out_len),
			 XDP_DROP);
	ck_assert_uint_eq(t_counter(sk->maps.stamp_cnt, cnt), n0 + 1);
}

/*
 * A request of r->plen < 44 bytes (in a frame of extra more bytes: Ethernet
 * padding) must come back as the 44-byte base packet (RFC 8762 4.6): lengths
 * fixed, the request's fields echoed, the SSID only if the request had one,
 * checksums right (or, for a pending offload in generic mode, the new
 * pseudo-header sum).
 */
static void
t_short_ok(struct stamp_reflect *sk, const struct t_req *r, size_t extra, bool generic)
{
	uint8_t out[T_FRAME_MAX], in[T_FRAME_MAX];
	const uint8_t *s, *u;
	struct t_frame f;
	struct stamp_reply rep;
	uint64_t n_pad, n_refl;
	uint32_t out_len;
	int ret;

	t_build(&f, r);
	memcpy(in, f.b, f.len);
	memset(in + f.len, 0x5a, extra);
	n_pad = t_counter(sk->maps.stamp_cnt, SXDP_CNT_PADDED);
	n_refl = t_counter(sk->maps.stamp_cnt, SXDP_CNT_REFLECTED);
	ret = t_run(bpf_program__fd(sk->progs.stamp_reflect), in, f.len + extra, out, &out_len);
	ck_assert_int_eq(ret, XDP_TX);
	ck_assert_uint_eq(out_len, f.pay + 44);
	ck_assert_uint_eq(t_counter(sk->maps.stamp_cnt, SXDP_CNT_PADDED), n_pad + 1);
	ck_assert_uint_eq(t_counter(sk->maps.stamp_cnt, SXDP_CNT_REFLECTED), n_refl + 1);
	ck_assert_mem_eq(out, f.b + 6, 6);
	ck_assert_mem_eq(out + 6, f.b, 6);
	u = out + f.l4;
	ck_assert_uint_eq(t_get16(u + 4), 52);
	if (r->family == 4) {
		ck_assert_uint_eq(t_get16(out + f.l3 + 2), (unsigned)r->ihl * 4 + 52);
		ck_assert_uint_eq(out[f.l3 + 8], 255);
		ck_assert_mem_eq(out + f.l3 + 12, r->dst, 4);
		ck_assert_mem_eq(out + f.l3 + 16, r->src, 4);
		ck_assert_uint_eq(t_fold(t_sum(0, out + f.l3, (size_t)r->ihl * 4)), 0xffff);
	} else {
		ck_assert_uint_eq(t_get16(out + f.l3 + 4), 52);
		ck_assert_uint_eq(out[f.l3 + 7], 255);
		ck_assert_mem_eq(out + f.l3 + 8, r->dst, 16);
		ck_assert_mem_eq(out + f.l3 + 24, r->src, 16);
	}
	ck_assert_uint_eq(t_get16(u), r->dport);
	ck_assert_uint_eq(t_get16(u + 2), r->sport);
	if (r->csum == T_CSUM_PARTIAL && generic) {
		struct t_frame tmp;

		memcpy(tmp.b, out, out_len);
		tmp.l3 = f.l3;
		ck_assert_uint_eq(t_get16(u + 6), t_fold(t_pseudo(&tmp, r->family, 52)));
	} else {
		CHECK(t_udp_valid(out, &f, r->family), "padded reply UDP checksum 0x%04x is wrong",
		      t_get16(u + 6));
	}
	s = out + f.pay;
	ck_assert_int_eq(stamp_reply_decode(s, 44, STAMP_UNAUTH, &rep), 0);
	ck_assert_uint_eq(rep.seq, r->seq);
	ck_assert_uint_eq(rep.sender_seq, r->seq);
	ck_assert_uint_eq(rep.sender_ts, r->ts);
	ck_assert_uint_eq(rep.sender_errest, r->errest);
	/* bytes 14-15: the request's where it had them, zero after its end */
	ck_assert_uint_eq(s[14], r->plen > 14 ? f.b[f.pay + 14] : 0);
	ck_assert_uint_eq(s[15], r->plen > 15 ? f.b[f.pay + 15] : 0);
	if (r->plen >= 16)
		ck_assert_uint_eq(rep.ssid, r->ssid);
	ck_assert_uint_eq(rep.sender_ttl, r->ttl);
	ck_assert_uint_eq(s[38] | s[39] | s[41] | s[42] | s[43], 0);
	ck_assert_uint_ne(rep.rx_ts, 0);
	ck_assert(rep.rx_ts <= rep.ts);
}

/* TWAMP-light's 14-byte request and others below 44 bytes: the base packet back. */
START_TEST(test_short_padded)
{
	static const size_t plens[] = { 14, 15, 16, 20, 43 };
	bool generic = _i & 1;
	struct stamp_reflect *sk = t_reflect_load(862, false, generic);
	struct t_req r;
	size_t i;
	int fam;

	for (fam = 4; fam <= 6; fam += 2) {
		for (i = 0; i < sizeof(plens) / sizeof(plens[0]); i++) {
			t_req_default(&r, fam);
			r.plen = plens[i];
			t_short_ok(sk, &r, 0, generic);
			r.csum = T_CSUM_PARTIAL;
			t_short_ok(sk, &r, 0, generic);
		}
		/* a 60-byte frame: Ethernet padding after the IP datagram */
		t_req_default(&r, fam);
		r.plen = 14;
		t_short_ok(sk, &r, fam == 4 ? 4 : 0, generic);
		/* tagged, and with IP options */
		r.nvlan = 1;
		r.tpid[0] = 0x8100;
		r.vid[0] = 100;
		if (fam == 4)
			r.ihl = 7;
		t_short_ok(sk, &r, 0, generic);
	}
	stamp_reflect__destroy(sk);
}
END_TEST

/* --refuse-short, below 14 bytes, and strangers: no reply, counted, dropped or passed. */
START_TEST(test_short_refused)
{
	struct stamp_reflect *sk = t_reflect_load_short(862, false, true, true, 1000, 100);
	struct t_frame f;
	struct t_req r;

	t_req_default(&r, 4);
	r.plen = 14;
	t_build(&f, &r);
	t_drop(sk, f.b, f.len, SXDP_CNT_SHORT);
	t_req_default(&r, 6);
	r.plen = 43;
	t_build(&f, &r);
	t_drop(sk, f.b, f.len, SXDP_CNT_SHORT);
	ck_assert_uint_eq(t_counter(sk->maps.stamp_cnt, SXDP_CNT_PADDED), 0);
	stamp_reflect__destroy(sk);

	sk = t_reflect_load(862, false, true);
	t_req_default(&r, 4);
	r.plen = 13;
	t_build(&f, &r);
	t_drop(sk, f.b, f.len, SXDP_CNT_SHORT);
	t_req_default(&r, 4);
	r.plen = 14;
	r.src = T_V4_STRANGER;
	t_build(&f, &r);
	t_pass(sk, f.b, f.len, SXDP_CNT_NOT_ALLOWED);
	ck_assert_uint_eq(t_counter(sk->maps.stamp_cnt, SXDP_CNT_PADDED), 0);
	stamp_reflect__destroy(sk);
}
END_TEST

/* The per-source bucket: a burst of 3 answered, then dropped; others unaffected. */
START_TEST(test_short_rate_limit)
{
	static const uint8_t other[4] = { 192, 0, 2, 11 };
	struct stamp_reflect *sk = t_reflect_load_short(862, false, true, false, 1, 3);
	uint8_t out[T_FRAME_MAX];
	struct t_frame f;
	struct t_req r;
	int i;

	t_req_default(&r, 4);
	r.plen = 14;
	for (i = 0; i < 3; i++)
		t_short_ok(sk, &r, 0, true);
	t_build(&f, &r);
	for (i = 0; i < 4; i++)
		t_drop(sk, f.b, f.len, SXDP_CNT_RATE_LIMITED);
	ck_assert_uint_eq(t_counter(sk->maps.stamp_cnt, SXDP_CNT_RATE_LIMITED), 4);
	ck_assert_uint_eq(t_counter(sk->maps.stamp_cnt, SXDP_CNT_PADDED), 3);
	/* full-size requests of the same source are not limited */
	t_req_default(&r, 4);
	t_reflect_ok(sk, &r, r.seq, out);
	/* another source has its own bucket */
	t_req_default(&r, 4);
	r.plen = 14;
	r.src = other;
	t_short_ok(sk, &r, 0, true);
	t_req_default(&r, 6);
	r.plen = 14;
	t_short_ok(sk, &r, 0, true);
	stamp_reflect__destroy(sk);
}
END_TEST

START_TEST(test_pass_malformed)
{
	struct stamp_reflect *sk = t_reflect_load(862, false, true);
	struct t_frame f;
	struct t_req r;

	/* frame cut short: the IP total length says more than is there */
	t_req_default(&r, 4);
	t_build(&f, &r);
	t_pass(sk, f.b, f.len - 10, SXDP_CNT_MALFORMED);
	/* cut inside the UDP header */
	t_pass(sk, f.b, f.l4 + 4, SXDP_CNT_MALFORMED);
	/* cut inside the IPv4 header */
	t_pass(sk, f.b, f.l3 + 12, SXDP_CNT_MALFORMED);
	/* UDP length larger than the IP payload */
	t_build(&f, &r);
	t_put16(f.b + f.l4 + 4, (uint16_t)(8 + r.plen + 1));
	t_pass(sk, f.b, f.len, SXDP_CNT_MALFORMED);
	/* UDP length below 8 */
	t_build(&f, &r);
	t_put16(f.b + f.l4 + 4, 7);
	t_pass(sk, f.b, f.len, SXDP_CNT_MALFORMED);
	/* IHL below 5 */
	t_build(&f, &r);
	f.b[f.l3] = 0x44;
	t_pass(sk, f.b, f.len, SXDP_CNT_MALFORMED);
	/* a first fragment (more fragments) to our port */
	r.frag_off = 0x2000;
	t_build(&f, &r);
	t_pass(sk, f.b, f.len, SXDP_CNT_MALFORMED);
	/* IPv6 cut short, and a truncated VLAN tag */
	t_req_default(&r, 6);
	t_build(&f, &r);
	t_pass(sk, f.b, f.len - 1, SXDP_CNT_MALFORMED);
	r.nvlan = 1;
	r.tpid[0] = 0x8100;
	t_build(&f, &r);
	t_pass(sk, f.b, 15, SXDP_CNT_MALFORMED);
	stamp_reflect__destroy(sk);
}
END_TEST

/* --- impairment --- */

static void
t_impair_set(struct bpf_map *cfg_map, const struct impair_cfg *cfg)
{
	__u32 key = 0;

	ck_assert_int_eq(bpf_map__update_elem(cfg_map, &key, sizeof(key), cfg, sizeof(*cfg),
					      BPF_ANY), 0);
}

static int
t_run_ret(int prog_fd, const uint8_t *in, size_t len)
{
	uint8_t out[T_FRAME_MAX];
	uint32_t out_len;

	return t_run(prog_fd, in, len, out, &out_len);
}

/* Run the frame n times in the kernel; returns the drops counted. */
static uint64_t
t_run_repeat(int prog_fd, struct bpf_map *cnt, const uint8_t *in, size_t len, uint32_t n)
{
	LIBBPF_OPTS(bpf_test_run_opts, o,
		.data_in = in,
		.data_size_in = (__u32)len,
		.repeat = n);
	uint64_t seen0 = t_counter(cnt, IMPAIR_CNT_SEEN);
	uint64_t drop0 = t_counter(cnt, IMPAIR_CNT_DROPPED);

	ck_assert_int_eq(bpf_prog_test_run_opts(prog_fd, &o), 0);
	ck_assert_uint_eq(t_counter(cnt, IMPAIR_CNT_SEEN) - seen0, n);
	return t_counter(cnt, IMPAIR_CNT_DROPPED) - drop0;
}

static const uint8_t T_ARP[60] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x0a, 0x08, 0x06,
	0, 1, 0x08, 0, 6, 4, 0, 1,
};

START_TEST(test_impair_loss_all_and_arp)
{
	struct impair *sk = impair__open_and_load();
	struct impair_cfg cfg = { .flags = IMPAIR_F_LOSS, .loss_thr = IMPAIR_THR_ONE };
	struct t_frame f4, f6;
	struct t_req r;
	int fd;

	ck_assert_ptr_nonnull(sk);
	fd = bpf_program__fd(sk->progs.impair);
	t_req_default(&r, 4);
	t_build(&f4, &r);
	t_req_default(&r, 6);
	r.nvlan = 2;
	r.tpid[0] = 0x88a8;
	r.tpid[1] = 0x8100;
	t_build(&f6, &r);
	/* nothing set: everything passes, nothing counted */
	ck_assert_int_eq(t_run_ret(fd, f4.b, f4.len), XDP_PASS);
	ck_assert_uint_eq(t_counter(sk->maps.impair_cnt, IMPAIR_CNT_SEEN), 0);
	t_impair_set(sk->maps.impair_cfg, &cfg);
	ck_assert_int_eq(t_run_ret(fd, f4.b, f4.len), XDP_DROP);
	ck_assert_int_eq(t_run_ret(fd, f6.b, f6.len), XDP_DROP);
	ck_assert_int_eq(t_run_ret(fd, T_ARP, sizeof(T_ARP)), XDP_PASS);
	f4.b[f4.l3 + 9] = 6;		/* TCP */
	ck_assert_int_eq(t_run_ret(fd, f4.b, f4.len), XDP_PASS);
	ck_assert_uint_eq(t_counter(sk->maps.impair_cnt, IMPAIR_CNT_SEEN), 2);
	ck_assert_uint_eq(t_counter(sk->maps.impair_cnt, IMPAIR_CNT_DROPPED), 2);
	impair__destroy(sk);
}
END_TEST

/*
 * The rate limit in the kernel: of 100 frames sent at once (microseconds,
 * no refill worth a frame at 1 pps or 1 b/s), what the bucket's depth holds
 * passes (10 frames; or one 9018-byte frame's wire bits, 72 304, in small
 * frames) and the rest is dropped, counted as rate drops; off, all pass.
 */
START_TEST(test_impair_rate_limit)
{
	struct impair_cfg cfg = { .flags = IMPAIR_F_RATE };
	struct impair *sk = NULL;
	struct t_frame f;
	struct t_req r;
	uint64_t burst, held;
	int fd = -1, per_bit;

	t_req_default(&r, 4);
	t_build(&f, &r);
	for (per_bit = 0; per_bit < 2; per_bit++) {
		/* a new program for each: its bucket starts full */
		if (sk != NULL)
			impair__destroy(sk);
		sk = impair__open_and_load();
		ck_assert_ptr_nonnull(sk);
		fd = bpf_program__fd(sk->progs.impair);
		burst = per_bit ? (MP_TB_FRAME_MAX + 20) * 8 : 10;
		ck_assert_int_eq(mp_tbucket_config(&cfg.rate, 1, (unsigned int)per_bit, burst), 0);
		t_impair_set(sk->maps.impair_cfg, &cfg);
		held = burst / mp_tbucket_units(&cfg.rate, f.len);
		ck_assert_uint_eq(t_run_repeat(fd, sk->maps.impair_cnt, f.b, f.len, 100), 100 - held);
		ck_assert_uint_eq(t_counter(sk->maps.impair_cnt, IMPAIR_CNT_RATE_DROPPED), 100 - held);
	}
	cfg.flags = 0;
	t_impair_set(sk->maps.impair_cfg, &cfg);
	ck_assert_int_eq(t_run_ret(fd, f.b, f.len), XDP_PASS);
	impair__destroy(sk);
}
END_TEST

START_TEST(test_impair_blackhole_port)
{
	struct impair *sk = impair__open_and_load();
	struct impair_cfg cfg = { .flags = IMPAIR_F_BLACKHOLE, .port = 862 };
	struct t_frame f;
	struct t_req r;
	int fd;

	ck_assert_ptr_nonnull(sk);
	fd = bpf_program__fd(sk->progs.impair);
	t_impair_set(sk->maps.impair_cfg, &cfg);
	t_req_default(&r, 4);
	t_build(&f, &r);
	ck_assert_int_eq(t_run_ret(fd, f.b, f.len), XDP_DROP);		/* to 862 */
	r.sport = 862;
	r.dport = 40001;
	t_build(&f, &r);
	ck_assert_int_eq(t_run_ret(fd, f.b, f.len), XDP_DROP);		/* from 862 */
	r.sport = 5000;
	r.dport = 5001;
	t_build(&f, &r);
	ck_assert_int_eq(t_run_ret(fd, f.b, f.len), XDP_PASS);		/* other UDP */
	cfg.port = 0;
	t_impair_set(sk->maps.impair_cfg, &cfg);
	ck_assert_int_eq(t_run_ret(fd, f.b, f.len), XDP_DROP);
	/* blackhole off, nothing else set: all passes again */
	cfg.flags = 0;
	t_impair_set(sk->maps.impair_cfg, &cfg);
	ck_assert_int_eq(t_run_ret(fd, f.b, f.len), XDP_PASS);
	ck_assert_int_eq(t_run_ret(fd, T_ARP, sizeof(T_ARP)), XDP_PASS);
	impair__destroy(sk);
}
END_TEST

static uint64_t
t_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

START_TEST(test_parse_flap)
{
	uint64_t d = 7, p = 7;

	ck_assert_int_eq(xdp_parse_flap("2/5", &d, &p), 0);
	ck_assert_uint_eq(d, 2000000000ull);
	ck_assert_uint_eq(p, 5000000000ull);
	ck_assert_int_eq(xdp_parse_flap("0.25/1.5", &d, &p), 0);
	ck_assert_uint_eq(d, 250000000ull);
	ck_assert_uint_eq(p, 1500000000ull);
	ck_assert_int_eq(xdp_parse_flap("off", &d, &p), 0);
	ck_assert(d == 0 && p == 0);
	ck_assert_int_eq(xdp_parse_flap("5/5", &d, &p), -EINVAL);	/* never up */
	ck_assert_int_eq(xdp_parse_flap("0/5", &d, &p), -EINVAL);
	ck_assert_int_eq(xdp_parse_flap("2/3601", &d, &p), -EINVAL);
	ck_assert_int_eq(xdp_parse_flap("2", &d, &p), -EINVAL);
	ck_assert_int_eq(xdp_parse_flap("2/5s", &d, &p), -EINVAL);
	ck_assert_int_eq(xdp_parse_flap("-1/5", &d, &p), -EINVAL);
}
END_TEST

/*
 * A flap schedule drops everything while CLOCK_MONOTONIC mod period is
 * below down (bpf_ktime_get_ns is that clock), passes otherwise: each run
 * whose start and end fall in one phase must show that phase's verdict.
 */
START_TEST(test_impair_flap)
{
	struct impair *sk = impair__open_and_load();
	struct impair_cfg cfg = { .flags = IMPAIR_F_FLAP };
	const uint64_t period = 20000000, down = 8000000;	/* 8 of every 20 ms */
	unsigned int i, n_down = 0, n_up = 0;
	struct t_frame f;
	struct t_req r;
	int fd;

	ck_assert_ptr_nonnull(sk);
	fd = bpf_program__fd(sk->progs.impair);
	t_req_default(&r, 4);
	t_build(&f, &r);
	/* always down, never down: a period far longer than the clock has run */
	cfg.flap_period_ns = 1ull << 62;
	cfg.flap_down_ns = cfg.flap_period_ns - 1;
	t_impair_set(sk->maps.impair_cfg, &cfg);
	ck_assert_int_eq(t_run_ret(fd, f.b, f.len), XDP_DROP);
	ck_assert_int_eq(t_run_ret(fd, T_ARP, sizeof(T_ARP)), XDP_PASS);
	cfg.flap_down_ns = 1;
	t_impair_set(sk->maps.impair_cfg, &cfg);
	ck_assert_int_eq(t_run_ret(fd, f.b, f.len), XDP_PASS);
	/* a period of 0 is no schedule */
	cfg.flap_period_ns = 0;
	t_impair_set(sk->maps.impair_cfg, &cfg);
	ck_assert_int_eq(t_run_ret(fd, f.b, f.len), XDP_PASS);
	/* the schedule against the clock */
	cfg.flap_period_ns = period;
	cfg.flap_down_ns = down;
	t_impair_set(sk->maps.impair_cfg, &cfg);
	for (i = 0; i < 400; i++) {
		uint64_t t0 = t_mono_ns(), t1;
		int ret = t_run_ret(fd, f.b, f.len);

		t1 = t_mono_ns();
		if (t1 - t0 < down && (t0 % period < down) == (t1 % period < down) &&
		    t1 / period == t0 / period) {
			bool is_down = t0 % period < down;

			ck_assert_int_eq(ret, is_down ? XDP_DROP : XDP_PASS);
			n_down += is_down;
			n_up += !is_down;
		}
		usleep(500);
	}
	/* both phases were seen (40 % down) */
	ck_assert_uint_gt(n_down, 40);
	ck_assert_uint_gt(n_up, 40);
	impair__destroy(sk);
}
END_TEST

/* 30 % over 20000 packets: inside the two-sided 99.9 % binomial interval. */
START_TEST(test_impair_probability)
{
	struct impair *sk = impair__open_and_load();
	struct impair_cfg cfg = { .flags = IMPAIR_F_LOSS };
	const uint32_t n = 20000;
	const double p = 0.30, z = 3.2905;
	double mean = n * p, sd = sqrt(n * p * (1 - p));
	struct t_frame f;
	struct t_req r;
	uint64_t drops;

	ck_assert_ptr_nonnull(sk);
	cfg.loss_thr = xdp_prob_to_thr(p);
	t_impair_set(sk->maps.impair_cfg, &cfg);
	t_req_default(&r, 6);
	t_build(&f, &r);
	drops = t_run_repeat(bpf_program__fd(sk->progs.impair), sk->maps.impair_cnt, f.b,
			     f.len, n);
	CHECK(fabs((double)drops - mean) <= z * sd,
	      "%llu drops of %u at 30%%: outside %.0f +- %.0f", (unsigned long long)drops, n,
	      mean, z * sd);
	impair__destroy(sk);
}
END_TEST

/*
 * Gilbert-Elliott: mean loss (r (1-k) + p (1-h)) / (p + r). Successive
 * losses are correlated (lag-j correlation at most lambda^j, lambda =
 * 1 - p - r), which widens the interval by sqrt((1+lambda)/(1-lambda)).
 */
static void
t_ge_mean(struct impair *sk, double p, double r, double k, double h, uint32_t n)
{
	struct impair_cfg cfg = { .flags = IMPAIR_F_GE };
	double loss = (r * (1 - k) + p * (1 - h)) / (p + r);
	double lambda = fabs(1 - p - r);
	double sd = sqrt(loss * (1 - loss) / n * (1 + lambda) / (1 - lambda));
	struct t_frame f;
	struct t_req q;
	double got;

	cfg.ge_p_thr = xdp_prob_to_thr(p);
	cfg.ge_r_thr = xdp_prob_to_thr(r);
	cfg.ge_good_loss_thr = xdp_prob_to_thr(1 - k);
	cfg.ge_bad_loss_thr = xdp_prob_to_thr(1 - h);
	t_impair_set(sk->maps.impair_cfg, &cfg);
	t_req_default(&q, 4);
	t_build(&f, &q);
	got = (double)t_run_repeat(bpf_program__fd(sk->progs.impair), sk->maps.impair_cnt,
				   f.b, f.len, n) / n;
	CHECK(fabs(got - loss) <= 4.5 * sd,
	      "GE p=%g r=%g k=%g h=%g: loss %.5f, stationary %.5f +- %.5f", p, r, k, h, got,
	      loss, 4.5 * sd);
}

START_TEST(test_impair_ge_mean)
{
	struct impair *sk = impair__open_and_load();

	ck_assert_ptr_nonnull(sk);
	t_ge_mean(sk, 0.05, 0.25, 1.0, 0.0, 200000);	/* 1/6 */
	t_ge_mean(sk, 0.02, 0.10, 0.99, 0.3, 200000);	/* 0.1250 */
	impair__destroy(sk);
}
END_TEST

/*
 * Bursts: with k = 1 and h = 0 a loss run is a stay in the bad state,
 * geometric with mean 1/r; independent loss at the same rate would give
 * runs of 1/(1 - loss) = 1.2. One CPU, so that one chain is observed.
 */
START_TEST(test_impair_ge_bursts)
{
	struct impair *sk = impair__open_and_load();
	struct impair_cfg cfg = { .flags = IMPAIR_F_GE };
	const double p = 0.05, r = 0.25;
	const uint32_t n = 20000;
	uint32_t i, runs = 0, run_pkts = 0;
	bool in_run = false;
	double mean, sd;
	cpu_set_t cpus;
	struct t_frame f;
	struct t_req q;
	int fd;

	ck_assert_ptr_nonnull(sk);
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	ck_assert_int_eq(sched_setaffinity(0, sizeof(cpus), &cpus), 0);
	cfg.ge_p_thr = xdp_prob_to_thr(p);
	cfg.ge_r_thr = xdp_prob_to_thr(r);
	cfg.ge_bad_loss_thr = IMPAIR_THR_ONE;
	t_impair_set(sk->maps.impair_cfg, &cfg);
	fd = bpf_program__fd(sk->progs.impair);
	t_req_default(&q, 4);
	t_build(&f, &q);
	for (i = 0; i < n; i++) {
		bool drop = t_run_ret(fd, f.b, f.len) == XDP_DROP;

		if (drop) {
			run_pkts++;
			if (!in_run)
				runs++;
		}
		in_run = drop;
	}
	ck_assert_uint_gt(runs, 100);
	mean = (double)run_pkts / runs;
	sd = sqrt((1 - r) / (r * r) / runs);
	CHECK(fabs(mean - 1 / r) <= 5 * sd, "mean loss run %.3f packets over %u runs, "
	      "expected %.3f +- %.3f", mean, runs, 1 / r, 5 * sd);
	impair__destroy(sk);
}
END_TEST

/* The reflector applies the same impairment before reflecting. */
START_TEST(test_reflect_impair)
{
	struct stamp_reflect *sk = t_reflect_load(862, false, true);
	struct impair_cfg cfg = { .flags = IMPAIR_F_LOSS, .loss_thr = IMPAIR_THR_ONE };
	uint8_t out[T_FRAME_MAX];
	struct t_frame f;
	struct t_req r;
	int fd = bpf_program__fd(sk->progs.stamp_reflect);

	t_req_default(&r, 4);
	t_build(&f, &r);
	t_impair_set(sk->maps.impair_cfg, &cfg);
	ck_assert_int_eq(t_run_ret(fd, f.b, f.len), XDP_DROP);
	ck_assert_int_eq(t_run_ret(fd, T_ARP, sizeof(T_ARP)), XDP_PASS);
	ck_assert_uint_eq(t_counter(sk->maps.impair_cnt, IMPAIR_CNT_DROPPED), 1);
	ck_assert_uint_eq(t_counter(sk->maps.stamp_cnt, SXDP_CNT_REFLECTED), 0);
	cfg.flags = IMPAIR_F_BLACKHOLE;
	cfg.port = 9;			/* only the discard port: STAMP goes through */
	t_impair_set(sk->maps.impair_cfg, &cfg);
	t_reflect_ok(sk, &r, r.seq, out);
	cfg.port = 0;
	t_impair_set(sk->maps.impair_cfg, &cfg);
	ck_assert_int_eq(t_run_ret(fd, f.b, f.len), XDP_DROP);
	cfg.flags = 0;
	t_impair_set(sk->maps.impair_cfg, &cfg);
	t_reflect_ok(sk, &r, r.seq, out);
	stamp_reflect__destroy(sk);
}
END_TEST

static Suite *
xdp_suite(void)
{
	Suite *s = suite_create("xdp");
	TCase *tc = tcase_create("reflect");
	TCase *ti = tcase_create("impair");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_v4_untagged);
	tcase_add_test(tc, test_v6_untagged);
	tcase_add_test(tc, test_v4_dot1q);
	tcase_add_test(tc, test_v6_qinq);
	tcase_add_test(tc, test_v4_qinq_8100);
	tcase_add_test(tc, test_v4_options);
	tcase_add_test(tc, test_v4_zero_csum);
	tcase_add_test(tc, test_odd_length_incremental);
	tcase_add_test(tc, test_partial_csum);
	tcase_add_test(tc, test_csum_collision);
	tcase_add_test(tc, test_custom_port);
	tcase_add_test(tc, test_stateful);
	tcase_add_test(tc, test_pass_wrong_port_and_others);
	tcase_add_test(tc, test_pass_not_allowed);
	tcase_add_test(tc, test_pass_empty_allowlist);
	tcase_add_loop_test(tc, test_short_padded, 0, 2);
	tcase_add_test(tc, test_short_refused);
	tcase_add_test(tc, test_short_rate_limit);
	tcase_add_test(tc, test_pass_malformed);
	tcase_add_test(tc, test_reflect_impair);
	suite_add_tcase(s, tc);
	tcase_set_timeout(ti, 60);
	tcase_add_test(ti, test_impair_loss_all_and_arp);
	tcase_add_test(ti, test_impair_blackhole_port);
	tcase_add_test(ti, test_impair_rate_limit);
	tcase_add_test(ti, test_impair_flap);
	tcase_add_test(ti, test_parse_flap);
	tcase_add_test(ti, test_impair_probability);
	tcase_add_test(ti, test_impair_ge_mean);
	tcase_add_test(ti, test_impair_ge_bursts);
	suite_add_tcase(s, ti);
	return s;
}

static int
t_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

/*
 * Whether this process may load and run XDP programs at all: a two-
 * instruction program tells "no BPF here" (skip) apart from our programs
 * being rejected (a failure the tests must show).
 */
static int
t_bpf_usable(char *why, size_t len)
{
	struct bpf_insn prog[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd;

	if (geteuid() != 0) {
		snprintf(why, len, "needs root (BPF_PROG_TEST_RUN of XDP programs)");
		return 0;
	}
	fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "probe", "GPL", prog, 2, NULL);
	if (fd < 0) {
		snprintf(why, len, "cannot load an XDP program here: %s", strerror(errno));
		return 0;
	}
	close(fd);
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
		snprintf(why, len, "no kernel BTF (/sys/kernel/btf/vmlinux)");
		return 0;
	}
	return 1;
}

int
main(void)
{
	char why[256];
	SRunner *sr;
	int failed;

	libbpf_set_print(t_quiet);
	if (!t_bpf_usable(why, sizeof(why))) {
		printf("SKIP: %s\n", why);
		return 77;
	}
	sr = srunner_create(xdp_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
