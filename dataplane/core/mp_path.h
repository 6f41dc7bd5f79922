/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Path probes: TTL-limited STAMP probes that trace a link's path hop by
 * hop, Paris-traceroute style, and the matching of what comes back (an
 * ICMP / ICMPv6 error quoting one, or the reflector's STAMP reply) to the
 * probe it is about. Pure: no I/O; times are the caller's nanoseconds.
 *
 * A round traces `flows` flows. Flow f is one fixed 5-tuple (UDP source
 * port sport_base + f), so ECMP keeps it on one path, and the flows show
 * the ECMP alternatives between them. Within a flow the probes differ in
 * their TTL and in what no router hashes: a probe's identity (round, flow,
 * TTL) is its UDP checksum, which every ICMP error quotes (RFC 792: the IP
 * header and 8 bytes), made so by a balance word in the payload. The same
 * value is the IPv4 ID, and the low 16 bits of the STAMP sequence number
 * (path_probe_seq), which longer quotes and the reflector's reply carry.
 *
 * Path probes never use the measurement's source ports (sport_base is past
 * the link's lanes) nor its sequence space: they are not counted as sent,
 * lost or received, and neither their replies nor ICMP errors about them
 * reach the link's statistics.
 */
#ifndef MP_PATH_H
#define MP_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mp_pkt.h"
#include "mp_stamp.h"
#include "mp_stats.h"

#define PATH_MAX_FLOWS		8	/* 3 bits of the identity */
#define PATH_MAX_TTL		32	/* TTLs 1..32 (6 bits of the identity) */
#define PATH_DEFAULT_FLOWS	3
#define PATH_DEFAULT_MAX_TTL	16
/* the base STAMP packet, the balance word, two bytes zero */
#define PATH_PAYLOAD_LEN	(STAMP_UNAUTH_LEN + 4)
#define PATH_OFF_BALANCE	STAMP_UNAUTH_LEN

/* Identity of the probe (round, flow, ttl): its UDP checksum and IPv4 ID. Never 0. */
static inline uint16_t
path_probe_id(uint32_t round, unsigned flow, unsigned ttl)
{
	return (uint16_t)((round & 0x7f) << 9 | (flow & 7) << 6 | (ttl & 0x3f));
}

/* Its STAMP sequence number: the identity in the low 16 bits, the round above. */
static inline uint32_t
path_probe_seq(uint32_t round, unsigned flow, unsigned ttl)
{
	return round << 9 | (flow & 7) << 6 | (ttl & 0x3f);
}

/*
 * Build a path probe into buf: the UDP frame of f (its sport the flow's,
 * its ttl the probe's; the smallest frame for the payload), the STAMP test
 * packet stamp, and the identity id as UDP checksum (balanced in the
 * payload, so the checksum stays correct) and as IPv4 ID. Returns the
 * bytes written or -EINVAL.
 */
int path_probe_build(uint8_t *buf, size_t cap, const struct pkt_flow *f,
		     const uint8_t stamp[STAMP_UNAUTH_LEN], uint16_t id, struct pkt_layout *lay);

/* What a link's path probes are; set once. */
struct path_link {
	struct ip_addr src;		/* our address */
	struct ip_addr dst;		/* the reflector */
	uint16_t sport_base;		/* flow f sends from sport_base + f */
	uint16_t dport;			/* the reflector's port */
	uint8_t flows;			/* 1..PATH_MAX_FLOWS */
	uint8_t max_ttl;		/* 1..PATH_MAX_TTL */
};

enum path_hop_state {
	PATH_HOP_UNSENT = 0,
	PATH_HOP_SENT,			/* no answer (yet): "*" once the round is over */
	PATH_HOP_ROUTER,		/* time exceeded from addr */
	PATH_HOP_ERROR,			/* another ICMP error from addr (icmp_err): the flow ends */
	PATH_HOP_REFLECTOR,		/* the reflector's STAMP reply: the path is complete */
};

struct path_hop {
	uint64_t sent_ns;
	uint64_t rtt_ns;
	struct ip_addr addr;
	uint8_t state;			/* enum path_hop_state */
	uint8_t icmp_err;		/* PATH_HOP_ERROR: enum mp_icmp_err */
};

/* One round: every flow traced from TTL 1 until it ends or max_ttl. */
struct path_round {
	struct path_link lk;
	uint32_t round;
	uint8_t next_ttl;		/* the next TTL step to send */
	uint8_t end_ttl[PATH_MAX_FLOWS];	/* lowest TTL the reflector (or an error) answered; 0: none */
	bool closed;			/* over (path_round_close): answers now are late */
	uint32_t pending;		/* sent, not answered */
	uint64_t last_sent_ns;
	struct path_hop hop[PATH_MAX_FLOWS][PATH_MAX_TTL];	/* [flow][ttl - 1] */
};

/* A completed round as the dataplane hands it to control (record type "path"). */
struct path_record {
	char link[MP_LINK_NAME_MAX];
	uint32_t link_index;
	uint64_t start_unix_ns, end_unix_ns;
	struct path_round r;
};

/* 0, or -EINVAL when flows or max_ttl is out of range or the ports do not fit. */
int path_link_check(const struct path_link *lk);

void path_round_begin(struct path_round *r, const struct path_link *lk, uint32_t round);

/*
 * The next TTL step at now_ns: the flows that have not ended below *ttl,
 * into flows[], each marked sent. Returns how many; 0 when nothing is left
 * to send (every flow ended, or max_ttl sent).
 */
unsigned path_round_step(struct path_round *r, uint64_t now_ns, uint8_t *ttl,
			 uint8_t flows[PATH_MAX_FLOWS]);

/*
 * Over: nothing left to send, and every probe answered or the last one
 * sent at least timeout_ns ago.
 */
bool path_round_complete(const struct path_round *r, uint64_t now_ns, uint64_t timeout_ns);

/* The round is over: what still comes about it is no evidence (MP_R_PATH_UNKNOWN). */
static inline void
path_round_close(struct path_round *r)
{
	r->closed = true;
}

/* The last TTL of flow f to report: where it ended, else the highest sent. */
unsigned path_flow_last_ttl(const struct path_round *r, unsigned f);

/* Is port one of the flows' source ports? */
static inline bool
path_is_flow_port(const struct path_link *lk, uint16_t port)
{
	return (uint16_t)(port - lk->sport_base) < lk->flows;
}

/*
 * Does the ICMP error pi (PKT_KIND_ICMP_ERROR, to us) quote a packet of
 * one of lk's flows: from our address and a flow's port to the reflector's?
 */
bool path_quotes_flow(const struct path_link *lk, const struct pkt_info *pi);

/*
 * An ICMP error that path_quotes_flow(): a hop when it quotes a path probe
 * of this round in flight (identity from the quoted UDP checksum, checked
 * against the flow's port, the IPv4 ID, the UDP length and, when quoted,
 * the STAMP sequence number). Returns MP_OK, or the reason it is no
 * evidence (MP_R_PATH_*).
 */
enum mp_reason path_match_icmp(struct path_round *r, const struct pkt_info *pi, uint64_t t4_ns);

/*
 * The reflector's STAMP reply from src to flow port dport, echoing
 * sequence number seq: the path of that flow is complete at its TTL.
 * MP_OK, or MP_R_PATH_MISMATCH / MP_R_PATH_UNKNOWN.
 */
enum mp_reason path_match_reply(struct path_round *r, uint16_t dport, uint32_t seq,
				const struct ip_addr *src, uint64_t t4_ns);

#endif
