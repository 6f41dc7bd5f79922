/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The link specification's text: random valid specs encode and decode to
 * the same spec; the texts control gave the dataplane before this codec
 * decode to the values they always meant; every mistake names its key.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mp_link.h"
#include "mp_test.h"

static void
rnd_name(uint64_t *r, char *s, size_t max)
{
	static const char chars[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:=";
	size_t n = (size_t)rnd_range(r, 1, max - 1), i;

	for (i = 0; i < n; i++)
		s[i] = chars[rnd_range(r, 0, sizeof(chars) - 2)];
	s[n] = '\0';
}

static void
rnd_addr(uint64_t *r, uint8_t family, struct ip_addr *a)
{
	int i;

	a->family = family;
	for (i = 0; i < (family == 4 ? 4 : 16); i++)
		a->b[i] = (uint8_t)rnd_next(r);
}

/* The tags kv_vlans() gives: up to two, each of either TPID, with any PCP. */
static void
rnd_encap(uint64_t *r, struct pkt_encap *e)
{
	int i;

	e->nvlan = (uint8_t)rnd_range(r, 0, PKT_MAX_VLANS);
	for (i = 0; i < e->nvlan; i++) {
		e->vlan[i].tpid = rnd_range(r, 0, 1) ? TPID_8021AD : TPID_8021Q;
		e->vlan[i].tci = (uint16_t)(rnd_range(r, 0, 7) << 13 | rnd_range(r, 1, 4094));
	}
}

static void
rnd_rate(uint64_t *r, struct rate *rate)
{
	rate->kind = (enum rate_kind)rnd_range(r, RATE_PPS, RATE_LINE);
	switch (rate->kind) {
	case RATE_PCT:
		rate->value = rnd_range(r, 1, 1000000);
		break;
	case RATE_LINE:
		rate->value = 0;
		break;
	default:
		/* small and huge values both */
		rate->value = rnd_range(r, 0, 1) ? rnd_range(r, 1, 100000000) :
			rnd_range(r, 1, UINT64_MAX - 1);
		break;
	}
}

/* Distinct sizes, weights adding up to at most MIX_MAX_SCHED. */
static void
rnd_mix(uint64_t *r, struct frame_mix *m)
{
	uint32_t n = (uint32_t)rnd_range(r, 1, MIX_MAX_SIZES), i, j, left = MIX_MAX_SCHED;

	m->n = 0;
	for (i = 0; i < n; i++) {
		uint32_t size = (uint32_t)rnd_range(r, PKT_MIN_FRAME, PKT_MAX_FRAME);

		for (j = 0; j < m->n && m->size[j] != size; j++)
			;
		if (j < m->n)
			continue;
		m->size[m->n] = size;
		m->weight[m->n] = (uint32_t)rnd_range(r, 1, left - (n - i - 1));
		left -= m->weight[m->n];
		m->n++;
	}
}

/* Streams (half the specs have none): distinct names and SSIDs, lanes within bounds. */
static void
rnd_streams(uint64_t *r, struct mp_link_spec *s)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
	uint16_t i;
	size_t k, n;

	if (rnd_range(r, 0, 1) == 0)
		return;
	s->nstream = (uint16_t)rnd_range(r, 1, MP_MAX_QUEUES / s->queues);
	for (i = 0; i < s->nstream; i++) {
		struct mp_stream_spec *st = &s->stream[i];

		n = (size_t)rnd_range(r, 1, MP_STREAM_NAME_MAX - 4);
		for (k = 0; k < n; k++)
			st->name[k] = chars[rnd_range(r, 0, sizeof(chars) - 2)];
		snprintf(st->name + n, 4, "%u", i);	/* distinct */
		rnd_rate(r, &st->rate);
		rnd_mix(r, &st->mix);
		st->frame_size = frame_mix_max_size(&st->mix);
		st->dscp = (uint8_t)rnd_range(r, 0, 63);
		st->pcp = s->encap.nvlan == 0 || rnd_range(r, 0, 1) ? -1 : (int8_t)rnd_range(r, 0, 7);
		st->ssid = (uint16_t)(s->ssid + 1 + i);
	}
}

/* A spec the decoder could have made: every member within its range. */
static void
rnd_spec(uint64_t *r, struct mp_link_spec *s)
{
	uint8_t family = rnd_range(r, 0, 1) ? 4 : 6;

	mp_link_defaults(s, 0);
	rnd_name(r, s->name, sizeof(s->name));
	rnd_name(r, s->port_name, sizeof(s->port_name));
	rnd_addr(r, family, &s->ip);
	s->plen = (int)rnd_range(r, 0, family == 4 ? 32 : 128);
	rnd_addr(r, family, &s->next_hop);
	s->has_next_hop_mac = rnd_range(r, 0, 1);
	if (s->has_next_hop_mac)
		for (int i = 0; i < 6; i++)
			s->next_hop_mac[i] = (uint8_t)rnd_next(r);
	rnd_addr(r, family, &s->reflector);
	s->reflector_port = (uint16_t)rnd_range(r, 1, 65535);
	s->source_port = (uint16_t)rnd_range(r, 1, 65535);
	rnd_encap(r, &s->encap);
	rnd_rate(r, &s->rate);
	s->rate_link_bps = rnd_range(r, 0, 1) ? 0 : rnd_range(r, 1, UINT64_MAX - 1);
	rnd_mix(r, &s->mix);
	s->frame_size = frame_mix_max_size(&s->mix);
	s->dscp = (uint8_t)rnd_range(r, 0, 63);
	s->ssid = (uint16_t)rnd_range(r, 0, 65535);
	s->queues = (uint16_t)rnd_range(r, 1, MP_MAX_QUEUES);
	s->lcore = rnd_range(r, 0, 1) ? -1 : (int)rnd_range(r, 0, MP_LINK_LCORE_MAX);
	rnd_streams(r, s);
}

START_TEST(test_round_trip)
{
	uint64_t seed = 0x11c0de5eedull + (uint64_t)_i;
	char text[MP_LINK_TEXT_MAX], err[256];
	struct mp_link_spec s, back;
	int i;

	for (i = 0; i < 20000; i++) {
		rnd_spec(&seed, &s);
		ck_assert_int_eq(mp_link_encode(&s, text, sizeof(text)), 0);
		ck_assert_msg(mp_link_decode(text, 1, &back, err, sizeof(err)) == 0,
			      "'%s': %s", text, err);
		ck_assert_msg(memcmp(&s, &back, sizeof(s)) == 0, "'%s' decodes to another spec",
			      text);
	}
}
END_TEST

/*
 * What control's hand-written serialiser gave metroprobe-dp (main cede3fd)
 * for control/examples, tests/fuzz/corpus/config and test_config.c's base_cfg
 * (with "imix" and 4 queues).
 */
static const char *const old_texts[] = {
	"name=a,port=net_af_packet0,ip=192.0.2.1/30,next_hop=192.0.2.2,reflector=192.0.2.2,"
	"reflector_port=862,source_port=862,rate=1000pps,frame=128,dscp=46,ssid=1,queues=1,"
	"link_speed=10000000000bps",
	"name=zrh1,port=0000:3b:00.0,ip=198.51.100.1/30,next_hop=198.51.100.2,"
	"reflector=203.0.113.10,reflector_port=862,source_port=862,vlan=0x88a8:300.100,"
	"rate=0.1%,frame=128,dscp=46,ssid=1,queues=1",
	"name=a,port=net_null0,ip=2001:db8::1/127,next_hop=2001:db8::,reflector=2001:db8::,"
	"reflector_port=862,source_port=862,vlan=7,rate=1000pps,frame=128,dscp=0,ssid=1,queues=1",
	"name=b,port=net_null1,ip=198.51.100.1/31,next_hop=198.51.100.0,reflector=198.51.100.0,"
	"reflector_port=862,source_port=862,rate=line,frame=128,dscp=0,ssid=2,queues=1,"
	"link_speed=25000000000bps",
	"name=ams1,port=0000:03:00.0,ip=192.0.2.1/30,next_hop=192.0.2.2,"
	"next_hop_mac=02:00:00:00:00:02,reflector=198.51.100.10,reflector_port=4862,"
	"source_port=5862,vlan=0x88a8:10.100,rate=10Mbps,frame=64:7+570:4+1518:1,dscp=46,"
	"ssid=7,queues=4",
};

START_TEST(test_old_texts)
{
	static const uint8_t refl[4] = { 203, 0, 113, 10 }, mac[6] = { 2, 0, 0, 0, 0, 2 };
	struct mp_link_spec s, back;
	char text[MP_LINK_TEXT_MAX], err[256];
	size_t i;

	for (i = 0; i < sizeof(old_texts) / sizeof(old_texts[0]); i++) {
		ck_assert_msg(mp_link_decode(old_texts[i], 0, &s, err, sizeof(err)) == 0,
			      "'%s': %s", old_texts[i], err);
		ck_assert_int_eq(mp_link_encode(&s, text, sizeof(text)), 0);
		ck_assert_int_eq(mp_link_decode(text, 0, &back, err, sizeof(err)), 0);
		ck_assert_msg(memcmp(&s, &back, sizeof(s)) == 0, "'%s' re-encoded as '%s'",
			      old_texts[i], text);
	}
	/* the values they meant */
	ck_assert_int_eq(mp_link_decode(old_texts[0], 0, &s, err, sizeof(err)), 0);
	ck_assert_str_eq(s.name, "a");
	ck_assert_str_eq(s.port_name, "net_af_packet0");
	ck_assert_int_eq(s.plen, 30);
	ck_assert(ip_addr_equal(&s.reflector, &s.next_hop));
	ck_assert_int_eq(s.rate.kind, RATE_PPS);
	ck_assert_uint_eq(s.rate.value, 1000000);
	ck_assert_uint_eq(s.rate_link_bps, 10000000000ull);
	ck_assert_uint_eq(s.frame_size, 128);
	ck_assert_uint_eq(s.dscp, 46);
	ck_assert_int_eq(s.lcore, -1);
	ck_assert_int_eq(mp_link_decode(old_texts[1], 0, &s, err, sizeof(err)), 0);
	ck_assert_mem_eq(s.reflector.b, refl, 4);
	ck_assert_uint_eq(s.encap.nvlan, 2);
	ck_assert_uint_eq(s.encap.vlan[0].tpid, TPID_8021AD);
	ck_assert_uint_eq(s.encap.vlan[0].tci, 300);
	ck_assert_uint_eq(s.encap.vlan[1].tpid, TPID_8021Q);
	ck_assert_uint_eq(s.encap.vlan[1].tci, 100);
	ck_assert_int_eq(s.rate.kind, RATE_PCT);
	ck_assert_uint_eq(s.rate.value, 1000);
	ck_assert_uint_eq(s.rate_link_bps, 0);
	ck_assert_int_eq(mp_link_decode(old_texts[2], 0, &s, err, sizeof(err)), 0);
	ck_assert_uint_eq(s.ip.family, 6);
	ck_assert_int_eq(s.plen, 127);
	ck_assert_uint_eq(s.encap.nvlan, 1);
	ck_assert_uint_eq(s.encap.vlan[0].tpid, TPID_8021Q);
	ck_assert_uint_eq(s.encap.vlan[0].tci, 7);
	/* since the PCP and each tag's TPID are carried: a single S-tag, PCPs */
	ck_assert_int_eq(mp_link_decode("name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,"
					"vlan=0x88a8:300/3.0x8100:100/5", 0, &s, err, sizeof(err)), 0);
	ck_assert_uint_eq(s.encap.nvlan, 2);
	ck_assert_uint_eq(s.encap.vlan[0].tpid, TPID_8021AD);
	ck_assert_uint_eq(s.encap.vlan[0].tci, 3u << 13 | 300u);
	ck_assert_uint_eq(s.encap.vlan[1].tpid, TPID_8021Q);
	ck_assert_uint_eq(s.encap.vlan[1].tci, 5u << 13 | 100u);
	ck_assert_int_eq(mp_link_decode("name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,"
					"vlan=0x88a8:4094", 0, &s, err, sizeof(err)), 0);
	ck_assert_uint_eq(s.encap.nvlan, 1);
	ck_assert_uint_eq(s.encap.vlan[0].tpid, TPID_8021AD);
	ck_assert_uint_eq(s.encap.vlan[0].tci, 4094);
	ck_assert_int_eq(mp_link_decode(old_texts[3], 1, &s, err, sizeof(err)), 0);
	ck_assert_int_eq(s.rate.kind, RATE_LINE);
	ck_assert_int_eq(mp_link_decode(old_texts[4], 0, &s, err, sizeof(err)), 0);
	ck_assert(s.has_next_hop_mac);
	ck_assert_mem_eq(s.next_hop_mac, mac, 6);
	ck_assert_uint_eq(s.reflector_port, 4862);
	ck_assert_uint_eq(s.source_port, 5862);
	ck_assert_uint_eq(s.mix.n, 3);
	ck_assert_uint_eq(s.frame_size, 1518);
	ck_assert_uint_eq(s.ssid, 7);
	ck_assert_uint_eq(s.queues, 4);
}
END_TEST

START_TEST(test_defaults)
{
	struct mp_link_spec s;
	char err[256], text[MP_LINK_TEXT_MAX];

	ck_assert_int_eq(mp_link_decode("name=x,ip=192.0.2.1/30,next_hop=192.0.2.2", 1, &s,
					err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
	ck_assert_str_eq(s.port_name, "0");
	ck_assert(ip_addr_equal(&s.reflector, &s.next_hop));
	ck_assert_uint_eq(s.reflector_port, 862);
	ck_assert_uint_eq(s.source_port, 862);
	ck_assert_uint_eq(s.encap.nvlan, 0);
	ck_assert_int_eq(s.rate.kind, RATE_PPS);
	ck_assert_uint_eq(s.rate.value, 1000000);
	ck_assert_uint_eq(s.rate_link_bps, 0);
	ck_assert_uint_eq(s.frame_size, 128);
	ck_assert_uint_eq(s.mix.n, 1);
	ck_assert_uint_eq(s.dscp, 0);
	ck_assert_uint_eq(s.ssid, 2);			/* link index + 1 */
	ck_assert_uint_eq(s.queues, 1);
	ck_assert_int_eq(s.lcore, -1);
	/* the optional keys at their defaults are left out or written plainly */
	ck_assert_int_eq(mp_link_encode(&s, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "name=x,port=0,ip=192.0.2.1/30,next_hop=192.0.2.2,"
			 "reflector=192.0.2.2,reflector_port=862,source_port=862,rate=1kpps,"
			 "frame=128,dscp=0,ssid=2,queues=1");
	/* a tag's TPID in front when not 802.1Q, its PCP behind when not 0 */
	s.encap.nvlan = 1;
	s.encap.vlan[0].tpid = TPID_8021AD;
	s.encap.vlan[0].tci = (5u << 13) | 10;
	s.lcore = 3;
	ck_assert_int_eq(mp_link_encode(&s, text, sizeof(text)), 0);
	ck_assert_ptr_nonnull(strstr(text, ",vlan=0x88a8:10/5,"));
	ck_assert_ptr_nonnull(strstr(text, ",lcore=3"));
	ck_assert_int_eq(mp_link_encode(&s, text, 40), -ENOSPC);
	ck_assert_int_eq(mp_link_encode(&s, text, 0), -ENOSPC);
}
END_TEST

static const struct {
	const char *text;
	const char *err;	/* the start of the error */
} bad[] = {
	{ "", "name is required" },
	{ "name", "expected key=value" },
	{ "=a", "expected key=value" },
	{ "name=,ip=192.0.2.1/30,next_hop=192.0.2.2", "bad name ''" },
	{ "name=0123456789012345678901234567890123,ip=192.0.2.1/30,next_hop=192.0.2.2",
	  "bad name '0123456789012345678901234567890123'" },
	{ "name=a,port=,ip=192.0.2.1/30,next_hop=192.0.2.2", "bad port ''" },
	{ "name=a,next_hop=192.0.2.2", "ip is required" },
	{ "name=a,ip=192.0.2.1,next_hop=192.0.2.2", "bad ip '192.0.2.1' (ADDR/PLEN)" },
	{ "name=a,ip=192.0.2.1/33,next_hop=192.0.2.2", "bad ip '192.0.2.1/33'" },
	{ "name=a,ip=192.0.2.1/30", "next_hop is required" },
	{ "name=a,ip=192.0.2.1/30,next_hop=2001:db8::2", "bad next_hop '2001:db8::2'" },
	{ "name=a,ip=192.0.2.1/30,next_hop=192.0.2.2/30", "bad next_hop '192.0.2.2/30'" },
	{ "name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,next_hop_mac=02:00",
	  "bad next_hop_mac '02:00'" },
	{ "name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,reflector=x", "bad reflector 'x'" },
	{ "name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,reflector_port=0", "bad reflector_port '0'" },
	{ "name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,source_port=65536",
	  "bad source_port '65536'" },
	{ "name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,vlan=4095", "bad vlan '4095'" },
	{ "name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,vlan=0x9100:1.2", "bad vlan '0x9100:1.2'" },
	{ "name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,vlan=100/8", "bad vlan '100/8'" },
	{ "name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,vlan=100/", "bad vlan '100/'" },
	{ "name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,vlan=1.2.3", "bad vlan '1.2.3'" },
	{ "name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,rate=10 furlongs",
	  "bad rate '10 furlongs': " },
	{ "name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,link_speed=5%", "bad link_speed '5%'" },
	{ "name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,frame=63", "bad frame '63': " },
	{ "name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,frame=64:0", "bad frame '64:0': " },
	{ "name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,dscp=64", "bad dscp '64' (0..63)" },
	{ "name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,ssid=-1", "bad ssid '-1'" },
	{ "name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,queues=9", "bad queues '9' (1..8)" },
	{ "name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,lcore=x", "bad lcore 'x'" },
	{ "name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,frame_sz=64", "unknown key 'frame_sz'" },
	{ "name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,name=b", "unknown key 'name'" },
#define L_ "name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,streams="
	{ L_ "v/1000pps/128/46/-", "bad streams[0]: NAME/RATE/FRAME/DSCP/PCP/SSID" },
	{ L_ "v/1000pps/128/46/-/1/2", "bad streams[0]: NAME" },
	{ L_ "v.x/1000pps/128/46/-/1", "bad streams[0] name 'v.x'" },
	{ L_ "v/1000pps/128/46/-/1;w/9 furlongs/128/0/-/2", "bad streams[1] rate '9 furlongs'" },
	{ L_ "v/1000pps/63/46/-/1", "bad streams[0] frame '63'" },
	{ L_ "v/1000pps/128/64/-/1", "bad streams[0] dscp '64' (0..63)" },
	{ L_ "v/1000pps/128/46/5/1", "bad streams[0] pcp '5': no vlan tag" },
	{ "name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,vlan=7,streams=v/1pps/128/46/8/1",
	  "bad streams[0] pcp '8' (0..7, or -)" },
	{ L_ "v/1pps/128/46/-/70000", "bad streams[0] ssid '70000'" },
	{ L_ "v/1pps/128/46/-/1;v/1pps/128/46/-/2", "bad streams: streams[0] and [1] share" },
	{ L_ "v/1pps/128/46/-/1;w/1pps/128/46/-/1", "bad streams: streams[0] and [1] share" },
	{ L_ ";", "bad streams ';'" },
	{ "name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,queues=5,streams=v/1pps/128/0/-/1;"
	  "w/1pps/128/0/-/2", "bad streams: 2 streams x 5 queues" },
#undef L_
};

/* streams= decodes to what it says; a text without it is one stream (nstream 0). */
START_TEST(test_streams)
{
	struct mp_link_spec s;
	char err[256], text[MP_LINK_TEXT_MAX];

	ck_assert_int_eq(mp_link_decode("name=a,ip=192.0.2.1/30,next_hop=192.0.2.2,vlan=100/3,"
					"streams=voice/2Mbps/128/46/5/11;data/500pps/imix/0/-/12",
					0, &s, err, sizeof(err)), 0);
	ck_assert_uint_eq(s.nstream, 2);
	ck_assert_str_eq(s.stream[0].name, "voice");
	ck_assert_int_eq(s.stream[0].rate.kind, RATE_BPS);
	ck_assert_uint_eq(s.stream[0].rate.value, 2000000);
	ck_assert_uint_eq(s.stream[0].frame_size, 128);
	ck_assert_uint_eq(s.stream[0].dscp, 46);
	ck_assert_int_eq(s.stream[0].pcp, 5);
	ck_assert_uint_eq(s.stream[0].ssid, 11);
	ck_assert_str_eq(s.stream[1].name, "data");
	ck_assert_uint_eq(s.stream[1].mix.n, 3);
	ck_assert_uint_eq(s.stream[1].frame_size, 1518);
	ck_assert_int_eq(s.stream[1].pcp, -1);
	ck_assert_int_eq(mp_link_encode(&s, text, sizeof(text)), 0);
	ck_assert_ptr_nonnull(strstr(text, ",streams=voice/2Mbps/128/46/5/11;data/500pps/64:7+570:4+1518:1/0/-/12"));
	ck_assert_int_eq(mp_link_decode(old_texts[0], 0, &s, err, sizeof(err)), 0);
	ck_assert_uint_eq(s.nstream, 0);
	ck_assert_int_eq(mp_link_encode(&s, text, sizeof(text)), 0);
	ck_assert_ptr_null(strstr(text, "streams="));
}
END_TEST

START_TEST(test_bad_texts)
{
	struct mp_link_spec s;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 'x';
		ck_assert_int_eq(mp_link_decode(bad[i].text, 0, &s, err, sizeof(err)), -EINVAL);
		ck_assert_msg(strncmp(err, bad[i].err, strlen(bad[i].err)) == 0,
			      "'%s': '%s', expected '%s...'", bad[i].text, err, bad[i].err);
	}
	/* no room for the error: still -EINVAL */
	ck_assert_int_eq(mp_link_decode("name=a", 0, &s, NULL, 0), -EINVAL);
}
END_TEST

static Suite *
link_suite(void)
{
	Suite *s = suite_create("link");
	TCase *tc = tcase_create("codec");

	tcase_add_loop_test(tc, test_round_trip, 0, 4);
	tcase_add_test(tc, test_old_texts);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_bad_texts);
	tcase_add_test(tc, test_streams);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(link_suite)
