/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One link, as control hands it to the dataplane: the specification, its
 * text and the limits both sides share.
 *
 * Control fills a struct mp_link_spec from its JSON config and puts it on
 * the dataplane's command line with mp_link_encode(); the dataplane reads it
 * back with mp_link_decode() and resolves the port name to a port itself.
 * The text is one key=value list (mp_kv):
 *
 *   name=a,port=net_af_packet0,ip=192.0.2.1/30,next_hop=192.0.2.2,
 *   reflector=192.0.2.2,reflector_port=862,source_port=862,rate=1000pps,
 *   frame=128,dscp=0,ssid=1,queues=1[,next_hop_mac=..][,vlan=..]
 *   [,link_speed=10000000000bps][,lcore=N]
 *   [,streams=NAME/RATE/FRAME/DSCP/PCP/SSID;NAME/...]
 *
 * streams= (issue 12) lists the link's streams, each paced and accounted
 * on its own, ';' between streams, '/' between a stream's fields; PCP is
 * "-" where the stream keeps the outer tag's. Without it the link is one
 * stream made of its own rate, frame, dscp and ssid (every older text).
 *
 * Whatever decodes encodes to a text that decodes to the same spec
 * (tests/unit/test_link.c, tests/fuzz/fuzz_link.c). Pure: no I/O.
 */
#ifndef MP_LINK_H
#define MP_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mp_mix.h"
#include "mp_pkt.h"
#include "mp_rate.h"
#include "mp_stats.h"

#define MP_MAX_LINKS		3	/* a Metro pair, and a service link (link_kind.h) */
#define MP_MAX_QUEUES		8	/* queue pairs (lanes, worker lcores) per link */
#define MP_LINK_PORT_MAX	64	/* a DPDK device name (RTE_ETH_NAME_MAX_LEN) */
#define MP_LINK_TEXT_MAX	2048	/* an encoded spec, with its NUL (a struct kv holds it) */
#define MP_LINK_LCORE_MAX	65535	/* the decoder's bound; the dataplane checks its own */
#define MP_MAX_STREAMS		8	/* streams per link (streams x queues <= MP_MAX_QUEUES) */
#define MP_STREAM_NAME_MAX	32

/* One stream of a link as the dataplane is given it: what it sends and how it is marked. */
struct mp_stream_spec {
	char name[MP_STREAM_NAME_MAX];	/* [A-Za-z0-9_-]{1,31} */
	struct rate rate;
	struct frame_mix mix;
	uint32_t frame_size;		/* the largest of the mix */
	uint8_t dscp;
	int8_t pcp;			/* PCP of the outer tag, 0..7; -1: the tag's own */
	uint16_t ssid;
};

/*
 * The members of a link specification. They are listed once here so that a
 * wrapper (control's struct mp_link_cfg, the prober's struct probe_link_cfg)
 * can hold them both as a struct mp_link_spec, for the codec, and by name
 * (l->rate, not l->spec.rate): MP_LINK_SPEC_EMBED.
 */
#define MP_LINK_SPEC_MEMBERS						\
	char name[MP_LINK_NAME_MAX];					\
	struct ip_addr ip;			/* ours, on the peering subnet */ \
	int plen;							\
	struct ip_addr next_hop;		/* ARP/ND resolves its MAC */	\
	bool has_next_hop_mac;			/* or it is given: */	\
	uint8_t next_hop_mac[6];					\
	struct ip_addr reflector;					\
	uint16_t reflector_port;					\
	uint16_t source_port;			/* queue q sends from source_port + q */ \
	struct pkt_encap encap;			/* tag ids and TPIDs; no PCP */ \
	struct rate rate;						\
	uint32_t frame_size;			/* the largest of the mix */ \
	struct frame_mix mix;						\
	uint8_t dscp;							\
	uint16_t ssid;				/* RFC 8972 */		\
	uint64_t rate_link_bps;			/* link speed for %/line rates, 0 = the port's */ \
	uint16_t queues;			/* 1..MP_MAX_QUEUES */	\
	int lcore;				/* -1 = the dataplane picks */ \
	/* last: the members above keep the offsets the prober had them at */ \
	char port_name[MP_LINK_PORT_MAX];	/* DPDK device name or port id ("0") */ \
	/* streams= (0: the link is one stream of the members above) */ \
	uint16_t nstream;						\
	struct mp_stream_spec stream[MP_MAX_STREAMS]

struct mp_link_spec {
	MP_LINK_SPEC_MEMBERS;
};

/* In a struct: the spec as `spec`, and each of its members by its own name. */
#define MP_LINK_SPEC_EMBED						\
	union {								\
		struct mp_link_spec spec;				\
		struct {						\
			MP_LINK_SPEC_MEMBERS;				\
		};							\
	}

/* The SSIDs the link puts on the wire into out[MP_MAX_STREAMS]: its streams', or its own. */
int mp_link_ssids(const struct mp_link_spec *s, uint16_t *out);

/* The defaults of everything optional; link index i gets SSID i + 1. */
void mp_link_defaults(struct mp_link_spec *s, int index);
/*
 * Spec to text. Returns 0, or -ENOSPC when len is too small, -EINVAL when a
 * member cannot be written (an address family that is not 4 or 6).
 */
int mp_link_encode(const struct mp_link_spec *s, char *buf, size_t len);
/*
 * Text to spec, with the defaults of mp_link_defaults(s, index) for what the
 * text leaves out. Returns 0, or -EINVAL with err naming the key and its
 * value ("bad next_hop '192.0.2' (an address of ip's family)", "unknown key
 * 'frame_sz'", "ip is required").
 */
int mp_link_decode(const char *text, int index, struct mp_link_spec *s,
		   char *err, size_t errlen);

#endif
