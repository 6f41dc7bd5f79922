/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * metroprobe's run configuration (JSON, read with libcjson) and the
 * built-in ExpressRoute Metro catalog it is checked against.
 *
 * {
 *   "metro": "Amsterdam Metro",          catalog name, or "Amsterdam"
 *   "duration_s": 20,                    0 = until Ctrl-C (continuous)
 *   "interval_ms": 100,                  10..60000
 *   "loss_timeout_ms": 1000,             1..60000
 *   "out_dir": "out",
 *   "dataplane": {                       all optional
 *     "binary": "metroprobe-dp",         path or name on PATH / next to metroprobe
 *     "lcores": "0-1",                   CPU list for EAL -l (first = main lcore)
 *     "hugepages": true,                 false = --no-huge (slower, no DMA: vdevs only)
 *     "memory_mb": 256,
 *     "eal_args": ["--log-level=lib.eal:8"],
 *     "rx_timestamps": "auto"            t4 from: auto (the device's RX stamp
 *                                        where the port offers the offload),
 *                                        device (also net_pcap), software
 *   },
 *   "path": {"interval_ms": 10000},      path probes: the hops of each link
 *                                        (path_config.h; on by default)
 *   "links": [ two objects (and a "kind": "service" link third: link_kind.h):
 *     {
 *       "name": "a",                     [A-Za-z0-9_-]{1,31}, unique
 *       "location": "Amsterdam",         peering location (catalog)
 *       "netns": "mp-onprem",            optional: run the dataplane in this netns
 *       "port": "net_af_packet0,iface=mpa0" | "0000:03:00.0",
 *                                        a vdev (net_*), or a PCI address
 *       "link_speed": "10Gbps",          optional; needed for "N%" and "line" on vdevs
 *       "ip": "192.0.2.1/30",            our address on the peering subnet
 *       "next_hop": "192.0.2.2",         gateway; ARP/ND resolves its MAC
 *       "next_hop_mac": "02:..",         optional static MAC instead of ARP/ND
 *       "reflector": "192.0.2.2",        default: next_hop
 *       "reflector_port": 862,
 *       "source_port": 862,              our UDP port (default 862)
 *       "vlan": [100] | [{"id":10,"tpid":"0x88a8","pcp":0},{"id":100}],
 *       "rate": "1000pps",               pps, bps (wire), %, or "line"
 *       "frame_size": 128,               64..9018, raised to the STAMP minimum;
 *                                        or a mix: "imix", "64:7+570:4+1518:1"
 *       "dscp": 46,
 *       "ssid": 1,                       RFC 8972 SSID, 0..65535, unique per link
 *       "queues": 1                      queue pairs (worker lcores) for this link;
 *                                        queue q sends from source_port + q
 *       "committed_rate": "100Mbps"      optional: what the policer allows (golive's
 *                                        ceiling); wire bits or pps
 *       "streams": [{"name": "voice", "rate": "2Mbps", "frame_size": 128,
 *                    "dscp": 46, "pcp": 5, "ssid": 11}, ...]
 *                                        optional (stream_config.c): 1..8 streams,
 *                                        each paced and accounted on its own; what
 *                                        one leaves out it takes from the link (SSID:
 *                                        the link's + 100 x its index); streams x
 *                                        queues <= 8 lanes
 *     }, { ... } ],
 *   "provider": "Megaport",              optional; checked against the metro's
 *                                        providers (provider_config.c)
 *   "diversity": { "loss_ratio": 0.02, ... }   optional (diversity_config.c)
 *   "y1564": { "services": [...] }       optional: golive's Y.1564 (y1564_config.c)
 * }
 */
#ifndef MP_CONFIG_H
#define MP_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "mp_link.h"
#include "mp_mix.h"
#include "mp_pkt.h"
#include "mp_rate.h"
#include "sla_config.h"
#include "path_config.h"
#include "service_config.h"
#include "link_kind.h"
#include "y1564.h"

#define MP_NAME_MAX		32
#define MP_STR_MAX		256
#define MP_MAX_EAL_ARGS		32

/*
 * A stream (issue 12): one service class on a link, paced and accounted on
 * its own. "links[].streams": [{"name": "voice", "rate": "2Mbps",
 * "frame_size": 128 | "imix", "dscp": 46, "pcp": 5, "ssid": 11}, ...];
 * what a stream leaves out it takes from its link. A link without "streams"
 * is one stream (n_streams 0): its own rate, frame_mix, dscp and ssid.
 */
/* MP_MAX_STREAMS, MP_STREAM_NAME_MAX: mp_link.h (the dataplane's bounds too) */

struct mp_stream_cfg {
	char name[MP_STREAM_NAME_MAX];	/* [A-Za-z0-9_-], unique in its link */
	char rate_text[64];		/* as configured */
	struct rate rate;
	char frame_mix[128];		/* "128", or a mix "64:7+570:4+1518:1" */
	uint8_t dscp;
	int8_t pcp;			/* VLAN priority of the outer tag; -1: the link's */
	uint16_t ssid;			/* RFC 8972 SSID, unique among the link's streams */
};

/*
 * A link: the specification the dataplane is given (mp_link.h; its members
 * by name, l->rate, or whole as l->spec for mp_link_encode) and what only
 * control needs.
 */
struct mp_link_cfg {
	MP_LINK_SPEC_EMBED;
	char location[64];
	char netns[64];			/* "" = current namespace */
	char port[MP_STR_MAX];		/* vdev args or PCI address; port_name is its device */
	bool port_is_pci;
	char rate_text[64];		/* as configured, for what control prints */
	bool rate_given;		/* the config names a rate (serve's default is lower) */
	char frame_mix[128];		/* "128", or a mix "64:7+570:4+1518:1" */
	char committed_rate_text[64];	/* "" = none; golive's ceiling */
	struct rate committed_rate;	/* RATE_BPS or RATE_PPS, when the text is set */
	uint8_t kind;			/* LINK_KIND_PINNED or _SERVICE (link_kind.h) */
	int n_streams;			/* 0: the link is one stream (above) */
	struct mp_stream_cfg streams[MP_MAX_STREAMS];
};

struct mp_dp_cfg {
	char binary[MP_STR_MAX];
	char lcores[64];
	bool hugepages;
	uint32_t memory_mb;
	int n_eal_args;
	char eal_args[MP_MAX_EAL_ARGS][MP_STR_MAX];
	char rx_timestamps[16];		/* "auto", "device" or "software" */
};

/* The "diversity" section (diversity_config.c): how the pair is judged. */
struct mp_diversity_cfg {
	double loss_ratio;		/* an interval is impaired with more lost than this */
	uint32_t rtt_excess_us;		/* or its median round trip this far above the floor */
	uint32_t parity_us;		/* delay parity bound */
	uint32_t min_episodes;		/* impairment episodes per link before a verdict */
	uint32_t keep_s;		/* the series the verdict covers: the last keep_s */
};

struct mp_config {
	/*
	 * The kind of pair (Microsoft's resiliency levels): "metro", one circuit
	 * at the two peering locations of one metro (the default); "standard",
	 * one circuit with both links at one peering location; "two-circuits",
	 * two circuits at two peering locations, any cities. Locations outside
	 * the catalog are accepted for the last two (facility unknown).
	 */
	char circuit[16];
	char metro[64];			/* catalog name, canonical ("Amsterdam Metro"); "" when none */
	uint32_t duration_s;		/* 0 = continuous */
	uint32_t duration_ms;		/* > 0: instead of duration_s (golive's short trials) */
	uint32_t interval_ms;
	uint32_t loss_timeout_ms;
	char out_dir[MP_STR_MAX];
	struct mp_dp_cfg dp;
	int n_links;
	struct mp_link_cfg links[MP_MAX_LINKS];
	struct sla_config sla;		/* the "sla" section (sla_config.h) */
	struct mp_path_cfg path;	/* "path": path probes (path_config.h) */
	struct mp_diversity_cfg diversity;
	char provider[64];		/* "provider" (provider_config.c); "" none */
	char provider_warning[192];	/* what run and check print on stderr; "" none */
	struct svc_cfg service;		/* the "service" section (service_config.h) */
	struct carrier_cfg carrier;	/* the service link's, if any (link_kind.h) */
	struct y1564_cfg y1564;		/* "y1564": golive's services (y1564_config.c) */
};

/* Defaults for everything optional. */
void mp_config_defaults(struct mp_config *c);
/*
 * Parse and validate a config from JSON text. Returns 0, or -EINVAL with
 * err holding one line: the JSON path and what is wrong, e.g.
 * "links[1].rate: \"10 furlongs\" is not a rate (use 1000pps, 10Mbps, 5%, line)".
 */
int mp_config_parse(const char *json, struct mp_config *c, char *err, size_t errlen);
/* Read the file and parse it; errors name the file or the JSON path. */
int mp_config_load(const char *path, struct mp_config *c, char *err, size_t errlen);
/* Send frames of this size or mix on link l (frame_size in the config, or --frame-size). */
void mp_link_cfg_set_frame(struct mp_link_cfg *l, const struct frame_mix *mix);

#endif
