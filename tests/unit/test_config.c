/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Config parser and Metro catalog: a full valid config gives the right
 * struct, a minimal one the documented defaults, and each kind of mistake
 * gives -EINVAL and one line starting with the JSON path of the mistake.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "dp_args.h"
#include "metro.h"
#include "mp_test.h"

#ifndef MP_SOURCE_ROOT
#define MP_SOURCE_ROOT "."
#endif

/* Line 3 is duration_s: the not-JSON case below depends on it. */
static const char base_cfg[] =
	"{\n"
	"  \"metro\": \"Amsterdam Metro\",\n"
	"  \"duration_s\": 60,\n"
	"  \"interval_ms\": 250,\n"
	"  \"loss_timeout_ms\": 2000,\n"
	"  \"out_dir\": \"/tmp/mp-out\",\n"
	"  \"_comment\": \"keys starting with _ are comments\",\n"
	"  \"dataplane\": {\n"
	"    \"binary\": \"/usr/local/bin/metroprobe-dp\",\n"
	"    \"lcores\": \"0-2\",\n"
	"    \"hugepages\": false,\n"
	"    \"memory_mb\": 512,\n"
	"    \"eal_args\": [\"--log-level=lib.eal:8\", \"--iova-mode=va\"],\n"
	"    \"rx_timestamps\": \"device\"\n"
	"  },\n"
	"  \"links\": [\n"
	"    {\n"
	"      \"name\": \"ams1\",\n"
	"      \"location\": \"Amsterdam\",\n"
	"      \"netns\": \"mp-onprem\",\n"
	"      \"port\": \"0000:03:00.0\",\n"
	"      \"ip\": \"192.0.2.1/30\",\n"
	"      \"next_hop\": \"192.0.2.2\",\n"
	"      \"next_hop_mac\": \"02:00:00:00:00:02\",\n"
	"      \"reflector\": \"198.51.100.10\",\n"
	"      \"reflector_port\": 4862,\n"
	"      \"source_port\": 5862,\n"
	"      \"vlan\": [{\"id\": 10, \"pcp\": 5}, {\"id\": 100, \"tpid\": \"0x8100\"}],\n"
	"      \"rate\": \"10Mbps\",\n"
	"      \"frame_size\": 256,\n"
	"      \"dscp\": 46,\n"
	"      \"ssid\": 7\n"
	"    },\n"
	"    {\n"
	"      \"name\": \"ams2\",\n"
	"      \"location\": \"amsterdam2\",\n"
	"      \"netns\": \"mp-onprem\",\n"
	"      \"port\": \"net_af_packet1,iface=eth2\",\n"
	"      \"link_speed\": \"10Gbps\",\n"
	"      \"ip\": \"2001:db8:1::1/126\",\n"
	"      \"next_hop\": \"2001:db8:1::2\",\n"
	"      \"vlan\": [200],\n"
	"      \"rate\": \"5%\",\n"
	"      \"_note\": \"second site\"\n"
	"    }\n"
	"  ]\n"
	"}\n";

static const char minimal_cfg[] =
	"{\"links\":["
	"{\"name\":\"a\",\"location\":\"Zurich\",\"port\":\"net_null0\","
	"\"ip\":\"192.0.2.1/30\",\"next_hop\":\"192.0.2.2\"},"
	"{\"name\":\"b\",\"location\":\"Zurich2\",\"port\":\"net_null1\","
	"\"ip\":\"198.51.100.1/31\",\"next_hop\":\"198.51.100.0\"}]}";

/* base_cfg with the first occurrence of from replaced by to. */
static char *
edit(const char *text, const char *from, const char *to)
{
	const char *p = strstr(text, from);
	size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
	char *out;

	ck_assert_msg(p != NULL, "test bug: \"%s\" not in the config", from);
	out = malloc(n);
	ck_assert_ptr_nonnull(out);
	memcpy(out, text, (size_t)(p - text));
	strcpy(out + (p - text), to);
	strcat(out, p + strlen(from));
	return out;
}

START_TEST(test_full_config)
{
	struct mp_config c;
	char err[512] = "";
	const struct mp_link_cfg *a = &c.links[0], *b = &c.links[1];
	static const uint8_t v4_ip[4] = { 192, 0, 2, 1 };
	static const uint8_t v4_nh[4] = { 192, 0, 2, 2 };
	static const uint8_t v4_refl[4] = { 198, 51, 100, 10 };
	static const uint8_t v6_nh[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0,
					   0, 0, 0, 0, 0, 0, 0, 2 };
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 2 };

	ck_assert_msg(mp_config_parse(base_cfg, &c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(err, "");
	ck_assert_str_eq(c.metro, "Amsterdam Metro");
	ck_assert_uint_eq(c.duration_s, 60);
	ck_assert_uint_eq(c.interval_ms, 250);
	ck_assert_uint_eq(c.loss_timeout_ms, 2000);
	ck_assert_str_eq(c.out_dir, "/tmp/mp-out");
	ck_assert_str_eq(c.dp.binary, "/usr/local/bin/metroprobe-dp");
	ck_assert_str_eq(c.dp.lcores, "0-2");
	ck_assert(!c.dp.hugepages);
	ck_assert_uint_eq(c.dp.memory_mb, 512);
	ck_assert_str_eq(c.dp.rx_timestamps, "device");
	ck_assert_int_eq(c.dp.n_eal_args, 2);
	ck_assert_str_eq(c.dp.eal_args[0], "--log-level=lib.eal:8");
	ck_assert_str_eq(c.dp.eal_args[1], "--iova-mode=va");
	ck_assert_int_eq(c.n_links, 2);

	ck_assert_str_eq(a->name, "ams1");
	ck_assert_str_eq(a->location, "Amsterdam");
	ck_assert_str_eq(a->netns, "mp-onprem");
	ck_assert_str_eq(a->port, "0000:03:00.0");
	ck_assert(a->port_is_pci);
	ck_assert_uint_eq(a->rate_link_bps, 0);
	ck_assert_uint_eq(a->ip.family, 4);
	ck_assert_mem_eq(a->ip.b, v4_ip, 4);
	ck_assert_int_eq(a->plen, 30);
	ck_assert_uint_eq(a->next_hop.family, 4);
	ck_assert_mem_eq(a->next_hop.b, v4_nh, 4);
	ck_assert(a->has_next_hop_mac);
	ck_assert_mem_eq(a->next_hop_mac, mac, 6);
	ck_assert_uint_eq(a->reflector.family, 4);
	ck_assert_mem_eq(a->reflector.b, v4_refl, 4);
	ck_assert_uint_eq(a->reflector_port, 4862);
	ck_assert_uint_eq(a->source_port, 5862);
	/* the tags as configured are what the dataplane sends, PCP included */
	ck_assert_uint_eq(a->encap.nvlan, 2);
	ck_assert_uint_eq(a->encap.vlan[0].tpid, 0x88a8);	/* QinQ outer default */
	ck_assert_uint_eq(a->encap.vlan[0].tci, (5u << 13) | 10u);
	ck_assert_uint_eq(a->encap.vlan[1].tpid, 0x8100);
	ck_assert_uint_eq(a->encap.vlan[1].tci, 100);
	ck_assert_int_eq(a->rate.kind, RATE_BPS);
	ck_assert_uint_eq(a->rate.value, 10000000);
	ck_assert_str_eq(a->rate_text, "10Mbps");
	ck_assert_uint_eq(a->frame_size, 256);
	ck_assert_uint_eq(a->dscp, 46);
	ck_assert_uint_eq(a->ssid, 7);

	ck_assert_str_eq(b->name, "ams2");
	ck_assert_str_eq(b->location, "Amsterdam2");	/* canonical spelling */
	ck_assert(!b->port_is_pci);
	ck_assert_str_eq(b->port, "net_af_packet1,iface=eth2");
	ck_assert_uint_eq(b->rate_link_bps, 10000000000ull);
	ck_assert_uint_eq(b->ip.family, 6);
	ck_assert_int_eq(b->plen, 126);
	ck_assert_mem_eq(b->next_hop.b, v6_nh, 16);
	ck_assert(!b->has_next_hop_mac);
	ck_assert(ip_addr_equal(&b->reflector, &b->next_hop));	/* default */
	ck_assert_uint_eq(b->reflector_port, 862);
	ck_assert_uint_eq(b->source_port, 862);
	ck_assert_uint_eq(b->encap.nvlan, 1);
	ck_assert_uint_eq(b->encap.vlan[0].tpid, 0x8100);
	ck_assert_uint_eq(b->encap.vlan[0].tci, 200);
	ck_assert_int_eq(b->rate.kind, RATE_PCT);
	ck_assert_uint_eq(b->rate.value, 50000);	/* ppm */
	ck_assert_uint_eq(b->frame_size, 128);
	ck_assert_uint_eq(b->dscp, 0);
	ck_assert_uint_eq(b->ssid, 2);			/* 1 + link index */
}
END_TEST

START_TEST(test_defaults)
{
	struct mp_config c;
	char err[512] = "";

	ck_assert_msg(mp_config_parse(minimal_cfg, &c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(c.metro, "Zurich Metro");	/* inferred from the locations */
	ck_assert_uint_eq(c.duration_s, 20);
	ck_assert_uint_eq(c.interval_ms, 100);
	ck_assert_uint_eq(c.loss_timeout_ms, 1000);
	ck_assert_str_eq(c.out_dir, "out");
	ck_assert_str_eq(c.dp.binary, "metroprobe-dp");
	ck_assert_str_eq(c.dp.lcores, "");
	ck_assert(c.dp.hugepages);
	ck_assert_uint_eq(c.dp.memory_mb, 256);
	ck_assert_str_eq(c.dp.rx_timestamps, "auto");
	ck_assert_int_eq(c.dp.n_eal_args, 0);
	ck_assert_str_eq(c.links[0].netns, "");
	ck_assert(ip_addr_equal(&c.links[0].reflector, &c.links[0].next_hop));
	ck_assert_uint_eq(c.links[0].reflector_port, 862);
	ck_assert_uint_eq(c.links[0].source_port, 862);
	ck_assert_int_eq(c.links[0].rate.kind, RATE_PPS);
	ck_assert_uint_eq(c.links[0].rate.value, 1000000);	/* 1000 pps in milli-pps */
	ck_assert_str_eq(c.links[0].rate_text, "1000pps");
	ck_assert_uint_eq(c.links[0].frame_size, 128);
	ck_assert_uint_eq(c.links[0].dscp, 0);
	ck_assert_uint_eq(c.links[0].ssid, 1);
	ck_assert_uint_eq(c.links[1].ssid, 2);
	ck_assert_uint_eq(c.links[0].encap.nvlan, 0);
	ck_assert_int_eq(c.links[1].plen, 31);	/* RFC 3021: .0 is a host */

	/* mp_config_defaults alone */
	memset(&c, 0x5a, sizeof(c));
	mp_config_defaults(&c);
	ck_assert_uint_eq(c.duration_s, 20);
	ck_assert_int_eq(c.n_links, 0);
	ck_assert_uint_eq(c.links[1].ssid, 2);
	ck_assert_uint_eq(c.links[1].reflector_port, 862);
}
END_TEST

/* Accepted edge values that must be kept as written. */
START_TEST(test_good_edges)
{
	struct mp_config c;
	char err[512] = "";
	char *t, *u;

	/* Below the STAMP minimum for QinQ: not an error here, kept as configured. */
	t = edit(base_cfg, "\"frame_size\": 256", "\"frame_size\": 64");
	ck_assert_msg(mp_config_parse(t, &c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(c.links[0].frame_size, 64);
	free(t);
	/* "line" on a PCI port needs no link_speed (the port reports it). */
	t = edit(base_cfg, "\"rate\": \"10Mbps\"", "\"rate\": \"line\"");
	ck_assert_msg(mp_config_parse(t, &c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(c.links[0].rate.kind, RATE_LINE);
	free(t);
	/* duration 0 = continuous; metro by city; short PCI form; 9018 frame. */
	t = edit(base_cfg, "\"duration_s\": 60", "\"duration_s\": 0");
	u = edit(t, "\"Amsterdam Metro\"", "\"amsterdam\"");
	free(t);
	t = edit(u, "\"0000:03:00.0\"", "\"03:00.1\"");
	free(u);
	u = edit(t, "\"frame_size\": 256", "\"frame_size\": 9018");
	free(t);
	ck_assert_msg(mp_config_parse(u, &c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(c.duration_s, 0);
	ck_assert_str_eq(c.metro, "Amsterdam Metro");
	ck_assert(c.links[0].port_is_pci);
	ck_assert_uint_eq(c.links[0].frame_size, 9018);
	free(u);
	/* A frame-size mix: kept as text, frame_size is its largest. */
	t = edit(base_cfg, "\"frame_size\": 256", "\"frame_size\": \"imix\"");
	ck_assert_msg(mp_config_parse(t, &c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(c.links[0].frame_mix, "64:7+570:4+1518:1");
	ck_assert_uint_eq(c.links[0].frame_size, 1518);
	ck_assert_str_eq(c.links[1].frame_mix, "128");
	free(t);
	/* One tag given as an object with 802.1ad. */
	t = edit(base_cfg, "[200]", "[{\"id\": 4094, \"tpid\": \"0x88A8\", \"pcp\": 7}]");
	ck_assert_msg(mp_config_parse(t, &c, err, sizeof(err)) == 0, "%s", err);
	/* a single 802.1ad tag is sent as one, with its PCP (cede3fd sent 802.1Q, PCP 0) */
	ck_assert_uint_eq(c.links[1].encap.nvlan, 1);
	ck_assert_uint_eq(c.links[1].encap.vlan[0].tpid, 0x88a8);
	ck_assert_uint_eq(c.links[1].encap.vlan[0].tci, (7u << 13) | 4094u);
	free(t);
}
END_TEST

struct bad_case {
	const char *from;	/* replaced in base_cfg (NULL: text is the whole input) */
	const char *to;
	const char *want;	/* expected start of err */
};

static const struct bad_case bad_cases[] = {
	/* not JSON, with the place */
	{ "\"duration_s\": 60,", "\"duration_s\": 60,,", "(json): not valid JSON at line 3, column " },
	{ NULL, "[1, 2]", "(top level): an array, expected an object" },
	{ NULL, "", "(json): not valid JSON at line 1, column 1" },
	{ NULL, "{\"links\": []} trailing", "(json): not valid JSON at line 1, column 15" },
	/* unknown and repeated keys */
	{ "\"duration_s\"", "\"duraton_s\"", "duraton_s: unknown key (did you mean \"duration_s\"?)" },
	{ "\"dscp\": 46", "\"dcsp\": 46", "links[0].dcsp: unknown key (did you mean \"dscp\"?)" },
	{ "\"hugepages\"", "\"huge\"", "dataplane.huge: unknown key" },
	{ "\"pcp\": 5", "\"prio\": 5", "links[0].vlan[0].prio: unknown key (expected one of: id, tpid, pcp)" },
	{ "\"dscp\": 46,", "\"dscp\": 46, \"dscp\": 1,", "links[0].dscp: given twice" },
	/* a raw newline in a key (cJSON takes it): the error stays one line */
	{ "\"dscp\": 46", "\"ds\ncp\": 46", "links[0].ds?cp: unknown key (did you mean \"dscp\"?)" },
	/* types */
	{ "\"interval_ms\": 250", "\"interval_ms\": \"250\"", "interval_ms: a string, expected a number" },
	{ "\"hugepages\": false", "\"hugepages\": \"no\"", "dataplane.hugepages: a string, expected true or false" },
	{ "\"dataplane\": {", "\"dataplane\": 5, \"_x\": {", "dataplane: a number, expected an object" },
	{ "\"name\": \"ams1\"", "\"name\": 1", "links[0].name: a number, expected a string" },
	{ "\"ssid\": 7", "\"ssid\": 1.5", "links[0].ssid: 1.5 is not a whole number" },
	/* metro, links, names, locations */
	{ "\"Amsterdam Metro\"", "\"Paris Metro\"",
	  "metro: \"Paris Metro\" is not an ExpressRoute Metro (Amsterdam Metro, Singapore Metro, Zurich Metro)" },
	{ "\"links\": [", "\"links\": [{\"name\": \"c\"}, {\"name\": \"d\"},", "links: 4 given; a Metro is a pair: exactly 2 links" },
	{ "\"links\": [", "\"_links\": [", "links: missing" },
	{ "\"name\": \"ams2\"", "\"name\": \"ams1\"", "links[1].name: \"ams1\" is also the name of links[0]" },
	{ "\"name\": \"ams1\"", "\"name\": \"ams 1\"", "links[0].name: \"ams 1\" is not a name" },
	{ "\"rate\": \"5%\",", "\"rate\": \"5%\", \"ssid\": 7,", "links[1].ssid: 7 is also the SSID of links[0]" },
	{ "\"amsterdam2\"", "\"Zurich2\"",
	  "links[1].location: \"Zurich2\" is not a peering location of Amsterdam Metro (Amsterdam or Amsterdam2)" },
	{ "\"amsterdam2\"", "\"Amsterdam\"",
	  "links[1].location: same peering location as links[0]; a Metro pair needs Amsterdam and Amsterdam2" },
	{ "\"location\": \"Amsterdam\",", "\"location\": 5,", "links[0].location: a number, expected a string" },
	/* the kind of pair */
	{ "\"metro\": \"Amsterdam Metro\",", "\"circuit\": \"dual\", \"metro\": \"Amsterdam Metro\",",
	  "circuit: \"dual\" is not a kind of pair" },
	{ "\"metro\": \"Amsterdam Metro\",", "\"circuit\": \"standard\", \"metro\": \"Amsterdam Metro\",",
	  "links[1].location: \"amsterdam2\": a standard circuit has both links at one peering location" },
	{ "\"name\": \"ams2\"", "\"circuit\": \"standard\", \"name\": \"ams2\"",
	  "links[1].circuit: unknown key" },
	/* ports and namespaces */
	{ "\"0000:03:00.0\"", "\"\"", "links[0].port: empty" },
	{ "\"0000:03:00.0\"", "\"eth0\"", "links[0].port: \"eth0\" is neither a DPDK vdev" },
	{ "\"0000:03:00.0\"", "\"0000:03:20.0\"", "links[0].port: \"0000:03:20.0\" is neither" },
	{ "\"net_af_packet1,iface=eth2\"", "\"03:00.0\"", "links[1].port: same port as links[0]" },
	{ "\"0000:03:00.0\"", "\"net_af_packet0,iface=eth2\"", "links[1].port: same port as links[0]" },
	{ "\"netns\": \"mp-onprem\"", "\"netns\": \"other\"",
	  "links[1].netns: \"mp-onprem\" differs from links[0].netns \"other\"" },
	/* addresses */
	{ "\"192.0.2.1/30\"", "\"192.0.2.1\"", "links[0].ip: \"192.0.2.1\" has no prefix length" },
	{ "\"192.0.2.1/30\"", "\"192.0.2.300/30\"", "links[0].ip: \"192.0.2.300/30\" is not an address" },
	{ "\"192.0.2.1/30\"", "\"192.0.2.1/33\"", "links[0].ip: " },
	{ "\"next_hop\": \"192.0.2.2\"", "\"next_hop\": \"192.0.2.9\"", "links[0].next_hop: not in the subnet of ip (/30)" },
	{ "\"next_hop\": \"192.0.2.2\"", "\"next_hop\": \"192.0.2.1\"", "links[0].next_hop: same as ip" },
	{ "\"next_hop\": \"192.0.2.2\"", "\"next_hop\": \"192.0.2.3\"", "links[0].next_hop: is the subnet or broadcast" },
	{ "\"next_hop\": \"192.0.2.2\"", "\"next_hop\": \"2001:db8::2\"", "links[0].next_hop: IPv6, but ip is IPv4" },
	{ "\"next_hop\": \"192.0.2.2\"", "\"next_hop\": \"192.0.2.2/30\"", "links[0].next_hop: \"192.0.2.2/30\" has a prefix" },
	{ "\"198.51.100.10\"", "\"2001:db8::10\"", "links[0].reflector: IPv6, but ip is IPv4" },
	{ "\"02:00:00:00:00:02\"", "\"02:00:00:00:00\"", "links[0].next_hop_mac: \"02:00:00:00:00\" is not a MAC" },
	{ "\"02:00:00:00:00:02\"", "\"ff:ff:ff:ff:ff:ff\"", "links[0].next_hop_mac: ff:ff:ff:ff:ff:ff is not a unicast MAC" },
	/* VLANs */
	{ "\"id\": 10,", "\"id\": 0,", "links[0].vlan[0].id: 0 out of range (VLAN id 1..4094)" },
	{ "[200]", "[4095]", "links[1].vlan[0]: 4095 out of range (VLAN id 1..4094)" },
	{ "[200]", "[1, 2, 3]", "links[1].vlan: 3 tags, at most 2" },
	{ "[200]", "[{\"pcp\": 1}]", "links[1].vlan[0]: missing \"id\"" },
	{ "\"tpid\": \"0x8100\"", "\"tpid\": \"0x9100\"", "links[0].vlan[1].tpid: 0x9100 is not 0x8100" },
	{ "\"tpid\": \"0x8100\"", "\"tpid\": \"8100\"", "links[0].vlan[1].tpid: \"8100\" is not 0x8100 or 0x88a8" },
	{ "\"pcp\": 5", "\"pcp\": 8", "links[0].vlan[0].pcp: 8 out of range (0..7)" },
	/* rates and sizes */
	{ "\"10Mbps\"", "\"10 furlongs\"", "links[0].rate: \"10 furlongs\" is not a rate" },
	{ "\"link_speed\": \"10Gbps\",", "", "links[1].rate: \"5%\" is relative to the link speed: set links[1].link_speed" },
	{ "\"link_speed\": \"10Gbps\"", "\"link_speed\": \"1000pps\"", "links[1].link_speed: \"1000pps\" is not a speed" },
	{ "\"frame_size\": 256", "\"frame_size\": 63", "links[0].frame_size: 63 out of range (64..9018)" },
	{ "\"frame_size\": 256", "\"frame_size\": 9019", "links[0].frame_size: 9019 out of range (64..9018)" },
	{ "\"frame_size\": 256", "\"frame_size\": \"64:0\"", "links[0].frame_size: \"64:0\": a weight is not a number" },
	{ "\"frame_size\": 256", "\"frame_size\": \"big\"", "links[0].frame_size: \"big\": a size is not a number" },
	{ "\"frame_size\": 256", "\"frame_size\": \"64+20000\"", "links[0].frame_size: \"64+20000\": a frame size is out of range" },
	{ "\"dscp\": 46", "\"dscp\": 64", "links[0].dscp: 64 out of range (0..63)" },
	{ "\"dscp\": 46", "\"dscp\": 46, \"queues\": 0", "links[0].queues: 0 out of range (1..8)" },
	{ "\"dscp\": 46", "\"dscp\": 46, \"queues\": 9", "links[0].queues: 9 out of range (1..8)" },
	{ "\"ssid\": 7", "\"ssid\": 65536", "links[0].ssid: 65536 out of range (0..65535)" },
	{ "\"reflector_port\": 4862", "\"reflector_port\": 0", "links[0].reflector_port: 0 out of range (1..65535)" },
	{ "\"source_port\": 5862", "\"source_port\": 65536", "links[0].source_port: 65536 out of range (1..65535)" },
	/* run-wide numbers */
	{ "\"interval_ms\": 250", "\"interval_ms\": 5", "interval_ms: 5 out of range (10..60000)" },
	{ "\"interval_ms\": 250", "\"interval_ms\": 60001", "interval_ms: 60001 out of range (10..60000)" },
	{ "\"loss_timeout_ms\": 2000", "\"loss_timeout_ms\": 0", "loss_timeout_ms: 0 out of range (1..60000)" },
	{ "\"duration_s\": 60", "\"duration_s\": -1", "duration_s: -1 out of range (0..315576000)" },
	{ "\"duration_s\": 60", "\"duration_s\": 400000000", "duration_s: 400000000 out of range" },
	{ "\"/tmp/mp-out\"", "\"\"", "out_dir: empty" },
	/* dataplane */
	{ "\"--iova-mode=va\"", "7", "dataplane.eal_args[1]: a number, expected a string" },
	{ "[\"--log-level=lib.eal:8\", \"--iova-mode=va\"]", "\"--log-level\"", "dataplane.eal_args: a string, expected an array" },
	{ "\"0-2\"", "\"two\"", "dataplane.lcores: \"two\" is not a CPU list" },
	{ "\"memory_mb\": 512", "\"memory_mb\": 0", "dataplane.memory_mb: 0 out of range" },
	{ "\"device\"", "\"hardware\"", "dataplane.rx_timestamps: \"hardware\" is not auto, device or software" },
	{ "\"device\"", "1", "dataplane.rx_timestamps: a number, expected" },
	{ "\"/usr/local/bin/metroprobe-dp\"", "\"\"", "dataplane.binary: empty" },
};

static void
check_bad(const char *text, const char *want)
{
	struct mp_config c;
	char err[512];
	int rc;

	memset(err, 0, sizeof(err));
	rc = mp_config_parse(text, &c, err, sizeof(err));
	ck_assert_msg(rc == -EINVAL, "accepted (rc %d), wanted \"%s...\"", rc, want);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "\n  got  \"%s\"\n  want \"%s...\"",
		      err, want);
	ck_assert_msg(strchr(err, '\n') == NULL, "more than one line: %s", err);
}

START_TEST(test_bad_config)
{
	const struct bad_case *b = &bad_cases[_i];
	char *text;

	if (b->from == NULL) {
		check_bad(b->to, b->want);
		return;
	}
	text = edit(base_cfg, b->from, b->to);
	check_bad(text, b->want);
	free(text);
}
END_TEST

/* links[].committed_rate: golive's ceiling, bits or packets per second */
START_TEST(test_committed_rate)
{
	struct mp_config c;
	char err[512] = "", *text;

	text = edit(minimal_cfg, "\"port\":\"net_null0\",",
		    "\"port\":\"net_null0\",\"committed_rate\":\"100Mbps\",");
	ck_assert_int_eq(mp_config_parse(text, &c, err, sizeof(err)), 0);
	free(text);
	ck_assert_str_eq(c.links[0].committed_rate_text, "100Mbps");
	ck_assert(c.links[0].committed_rate.kind == RATE_BPS &&
		  c.links[0].committed_rate.value == 100000000);
	ck_assert_str_eq(c.links[1].committed_rate_text, "");
	ck_assert_uint_eq(c.duration_ms, 0);
	text = edit(minimal_cfg, "\"port\":\"net_null0\",",
		    "\"port\":\"net_null0\",\"committed_rate\":\"5%\",");
	check_bad(text, "links[0].committed_rate: \"5%\" is not a committed rate");
	free(text);
	text = edit(minimal_cfg, "\"port\":\"net_null0\",",
		    "\"port\":\"net_null0\",\"committed_rate\":100,");
	check_bad(text, "links[0].committed_rate: ");
	free(text);
}
END_TEST

/* standard and two-circuits pairs: what a Metro pair refuses, they take */
START_TEST(test_circuits)
{
	struct mp_config c;
	char err[512], *t, *u;

	/* one circuit, both links at Amsterdam */
	t = edit(base_cfg, "\"metro\": \"Amsterdam Metro\",", "\"circuit\": \"standard\",");
	u = edit(t, "\"amsterdam2\"", "\"amsterdam\"");
	ck_assert_msg(mp_config_parse(u, &c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(c.circuit, "standard");
	ck_assert_str_eq(c.links[0].location, "Amsterdam");
	ck_assert_str_eq(c.links[1].location, "Amsterdam");	/* the catalog's spelling */
	ck_assert_str_eq(c.metro, "Amsterdam Metro");
	free(u);
	/* a location the catalog does not know: taken as written, no metro */
	{
		char *v = edit(t, "\"amsterdam2\"", "\"Frankfurt\"");

		u = edit(v, "\"Amsterdam\",", "\"Frankfurt\",");
		free(v);
	}
	ck_assert_msg(mp_config_parse(u, &c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(c.links[1].location, "Frankfurt");
	ck_assert_str_eq(c.metro, "");
	free(u);
	free(t);
	/* two circuits, two cities; then one location, refused */
	t = edit(base_cfg, "\"metro\": \"Amsterdam Metro\",", "\"circuit\": \"two-circuits\",");
	u = edit(t, "\"amsterdam2\"", "\"Zurich2\"");
	ck_assert_msg(mp_config_parse(u, &c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(c.circuit, "two-circuits");
	ck_assert_str_eq(c.links[1].location, "Zurich2");
	free(u);
	u = edit(t, "\"amsterdam2\"", "\"Amsterdam\"");
	ck_assert_int_eq(mp_config_parse(u, &c, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strstr(err, "links[1].location: same peering location as links[0]; two "
			  "circuits are at two locations") == err, "%s", err);
	free(u);
	free(t);
	/* no key: a Metro pair */
	ck_assert_msg(mp_config_parse(base_cfg, &c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(c.circuit, "metro");
}
END_TEST

START_TEST(test_bad_misc)
{
	char many[4096], *text;
	struct mp_config c;
	char err[64];
	size_t n;
	int i;

	/* metro missing and a location from no metro */
	text = edit(minimal_cfg, "\"Zurich\"", "\"Paris\"");
	check_bad(text, "links[0].location: \"Paris\" is not an ExpressRoute Metro peering location");
	free(text);
	/* too many EAL arguments */
	n = (size_t)snprintf(many, sizeof(many), "\"eal_args\": [");
	for (i = 0; i < MP_MAX_EAL_ARGS + 1; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, "%s\"-v\"", i ? "," : "");
	snprintf(many + n, sizeof(many) - n, "]");
	text = edit(base_cfg, "\"eal_args\": [\"--log-level=lib.eal:8\", \"--iova-mode=va\"]", many);
	check_bad(text, "dataplane.eal_args: 33 arguments, at most 32");
	free(text);
	/* a small buffer is filled and terminated; NULL buffers are fine */
	memset(err, 'x', sizeof(err));
	ck_assert_int_eq(mp_config_parse("[]", &c, err, 8), -EINVAL);
	ck_assert_str_eq(err, "(top le");
	ck_assert_int_eq(mp_config_parse("[]", &c, NULL, 0), -EINVAL);
	ck_assert_int_eq(mp_config_parse(NULL, &c, err, sizeof(err)), -EINVAL);
}
END_TEST

START_TEST(test_load)
{
	char path[] = "/tmp/mp-test-config-XXXXXX";
	struct mp_config c;
	char err[512];
	char *text;
	FILE *f;
	int fd;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fputs(base_cfg, f);
	fclose(f);
	ck_assert_msg(mp_config_load(path, &c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(c.links[1].name, "ams2");

	/* a bad file names itself, then the path */
	text = edit(base_cfg, "\"dscp\": 46", "\"dscp\": 99");
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	free(text);
	ck_assert_int_eq(mp_config_load(path, &c, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, ": links[0].dscp: 99 out of range"));
	ck_assert(strncmp(err, path, strlen(path)) == 0);

	/* a NUL byte inside */
	f = fopen(path, "w");
	fwrite("{}\0{}", 1, 5, f);
	fclose(f);
	ck_assert_int_eq(mp_config_load(path, &c, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "NUL byte at offset 2"));
	unlink(path);

	ck_assert_int_eq(mp_config_load(path, &c, err, sizeof(err)), -ENOENT);
	ck_assert(strncmp(err, path, strlen(path)) == 0);
}
END_TEST

START_TEST(test_catalog)
{
	const struct mp_metro *m;
	int site = -1, n;

	for (n = 0; mp_metros[n].name != NULL; n++)
		;
	ck_assert_int_eq(n, 3);
	m = mp_metro_find("Amsterdam Metro");
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->azure_region, "West Europe");
	ck_assert_str_eq(m->sites[0].name, "Amsterdam");
	ck_assert_str_eq(m->sites[0].facility, "Equinix AM5");
	ck_assert_str_eq(m->sites[1].name, "Amsterdam2");
	ck_assert_str_eq(m->sites[1].facility, "Digital Realty AMS8");
	ck_assert_ptr_eq(mp_metro_find("amsterdam"), m);
	ck_assert_ptr_eq(mp_metro_find("Amsterdam"), m);

	m = mp_metro_find("Singapore");
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->name, "Singapore Metro");
	ck_assert_str_eq(m->azure_region, "Southeast Asia");
	ck_assert_str_eq(m->sites[0].facility, "Equinix SG1");
	ck_assert_str_eq(m->sites[1].facility, "Global Switch Tai Seng");

	m = mp_metro_of_location("Zurich2", &site);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->name, "Zurich Metro");
	ck_assert_str_eq(m->azure_region, "Switzerland North");
	ck_assert_int_eq(site, 1);
	ck_assert_str_eq(m->sites[1].facility, "Equinix ZH5");
	ck_assert_str_eq(m->sites[0].facility, "Digital Realty ZUR2");
	ck_assert_ptr_eq(mp_metro_of_location("Zurich", &site), m);
	ck_assert_int_eq(site, 0);

	ck_assert_ptr_null(mp_metro_find("Paris"));
	ck_assert_ptr_null(mp_metro_find(NULL));
	ck_assert_ptr_null(mp_metro_of_location("Amsterdam3", &site));
	ck_assert_ptr_null(mp_metro_of_location("Amsterdam Metro", NULL));
}
END_TEST

/* The shipped examples parse, and say what they claim to. */
START_TEST(test_examples)
{
	struct mp_config c;
	char err[512];

	ck_assert_msg(mp_config_load(MP_SOURCE_ROOT "/control/examples/lab.json", &c, err,
				     sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(c.metro, "Amsterdam Metro");
	ck_assert(!c.links[0].port_is_pci);
	ck_assert_str_eq(c.links[0].netns, c.links[1].netns);

	ck_assert_msg(mp_config_load(MP_SOURCE_ROOT "/control/examples/zurich-direct-qinq.json",
				     &c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(c.metro, "Zurich Metro");
	ck_assert_uint_eq(c.duration_s, 0);
	ck_assert(c.links[0].port_is_pci && c.links[1].port_is_pci);
	ck_assert_uint_eq(c.links[1].encap.nvlan, 2);
	ck_assert_uint_eq(c.links[1].encap.vlan[0].tpid, 0x88a8);
	ck_assert_uint_eq(c.links[1].encap.vlan[0].tci, 301);
	ck_assert_uint_eq(c.links[1].encap.vlan[1].tpid, 0x8100);
	ck_assert_uint_eq(c.links[1].encap.vlan[1].tci, 100);
	ck_assert_int_eq(c.links[0].rate.kind, RATE_PCT);
	ck_assert_uint_eq(c.links[0].rate.value, 1000);		/* 0.1% in ppm */
}
END_TEST

/* Each link's spec as metroprobe-dp reads it back from the command line control builds. */
static void
check_handover(const struct mp_config *c, const char *const *old_texts)
{
	static struct dp_args a;
	const struct dp_args_opts o = { .binary = "metroprobe-dp" };
	struct mp_link_spec s;
	char err[256];
	int i, k = 0;

	ck_assert_int_eq(dp_args_build(&a, c, &o), 0);
	for (i = 0; i + 1 < a.argc; i++) {
		if (strcmp(a.argv[i], "--link") != 0)
			continue;
		ck_assert_int_lt(k, c->n_links);
		ck_assert_msg(mp_link_decode(a.argv[i + 1], k, &s, err, sizeof(err)) == 0,
			      "'%s': %s", a.argv[i + 1], err);
		ck_assert_msg(memcmp(&s, &c->links[k].spec, sizeof(s)) == 0,
			      "links[%d]: '%s' is not its spec", k, a.argv[i + 1]);
		/* and what control gave it before the codec means the same */
		if (old_texts != NULL) {
			ck_assert_int_eq(mp_link_decode(old_texts[k], k, &s, err, sizeof(err)), 0);
			ck_assert_msg(memcmp(&s, &c->links[k].spec, sizeof(s)) == 0,
				      "links[%d]: the old '%s' meant another spec than '%s'", k,
				      old_texts[k], a.argv[i + 1]);
		}
		k++;
	}
	ck_assert_int_eq(k, c->n_links);
}

/*
 * control's --link texts at main cede3fd, for the configs below (lab.json's
 * with the reflectors behind the routed lab's routers, as it has them since)
 */
static const char *const lab_texts[] = {
	"name=a,port=net_af_packet0,ip=192.0.2.1/30,next_hop=192.0.2.2,reflector=192.0.2.6,"
	"reflector_port=862,source_port=862,rate=1000pps,frame=128,dscp=46,ssid=1,queues=1,"
	"link_speed=10000000000bps",
	"name=b,port=net_af_packet1,ip=198.51.100.1/30,next_hop=198.51.100.2,"
	"reflector=198.51.100.6,reflector_port=862,source_port=862,rate=1000pps,frame=128,"
	"dscp=46,ssid=2,queues=1,link_speed=10000000000bps",
};
static const char *const qinq_texts[] = {
	"name=zrh1,port=0000:3b:00.0,ip=198.51.100.1/30,next_hop=198.51.100.2,"
	"reflector=203.0.113.10,reflector_port=862,source_port=862,vlan=0x88a8:300.100,"
	"rate=0.1%,frame=128,dscp=46,ssid=1,queues=1",
	"name=zrh2,port=0000:3b:00.1,ip=198.51.100.5/30,next_hop=198.51.100.6,"
	"reflector=203.0.113.11,reflector_port=862,source_port=862,vlan=0x88a8:301.100,"
	"rate=0.1%,frame=128,dscp=46,ssid=2,queues=1",
};
/* base_cfg with "imix" and 4 queues; its PCP 5, which cede3fd dropped, is now sent */
static const char *const base_texts[] = {
	"name=ams1,port=0000:03:00.0,ip=192.0.2.1/30,next_hop=192.0.2.2,"
	"next_hop_mac=02:00:00:00:00:02,reflector=198.51.100.10,reflector_port=4862,"
	"source_port=5862,vlan=0x88a8:10/5.100,rate=10Mbps,frame=64:7+570:4+1518:1,dscp=46,"
	"ssid=7,queues=4",
	"name=ams2,port=net_af_packet1,ip=2001:db8:1::1/126,next_hop=2001:db8:1::2,"
	"reflector=2001:db8:1::2,reflector_port=862,source_port=862,vlan=200,rate=5%,"
	"frame=128,dscp=0,ssid=2,queues=1,link_speed=10000000000bps",
};

START_TEST(test_handover)
{
	struct mp_config c;
	struct frame_mix mix;
	const char *merr = NULL;
	char err[512], *t;

	ck_assert_msg(mp_config_load(MP_SOURCE_ROOT "/control/examples/lab.json", &c, err,
				     sizeof(err)) == 0, "%s", err);
	check_handover(&c, lab_texts);
	ck_assert_msg(mp_config_load(MP_SOURCE_ROOT "/control/examples/zurich-direct-qinq.json",
				     &c, err, sizeof(err)) == 0, "%s", err);
	check_handover(&c, qinq_texts);
	t = edit(base_cfg, "\"frame_size\": 256", "\"frame_size\": \"imix\", \"queues\": 4");
	ck_assert_msg(mp_config_parse(t, &c, err, sizeof(err)) == 0, "%s", err);
	check_handover(&c, base_texts);
	free(t);
	ck_assert_msg(mp_config_parse(minimal_cfg, &c, err, sizeof(err)) == 0, "%s", err);
	check_handover(&c, NULL);
	/* a single 802.1ad tag with PCP: both reach the dataplane */
	t = edit(base_cfg, "[200]", "[{\"id\": 4094, \"tpid\": \"0x88A8\", \"pcp\": 7}]");
	ck_assert_msg(mp_config_parse(t, &c, err, sizeof(err)) == 0, "%s", err);
	check_handover(&c, NULL);
	free(t);
	/* --frame-size for every link, as run does */
	ck_assert_int_eq(frame_mix_parse("64:3+9000", PKT_MIN_FRAME, PKT_MAX_FRAME, &mix, &merr), 0);
	mp_link_cfg_set_frame(&c.links[0], &mix);
	mp_link_cfg_set_frame(&c.links[1], &mix);
	ck_assert_str_eq(c.links[1].frame_mix, "64:3+9000:1");
	ck_assert_uint_eq(c.links[1].frame_size, 9000);
	check_handover(&c, NULL);
}
END_TEST

static Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_add_test(tc, test_full_config);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_good_edges);
	tcase_add_loop_test(tc, test_bad_config, 0,
			    (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	tcase_add_test(tc, test_bad_misc);
	tcase_add_test(tc, test_circuits);
	tcase_add_test(tc, test_load);
	tcase_add_test(tc, test_catalog);
	tcase_add_test(tc, test_examples);
	tcase_add_test(tc, test_handover);
	tcase_add_test(tc, test_committed_rate);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(config_suite)
