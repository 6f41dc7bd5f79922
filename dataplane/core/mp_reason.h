/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Why a received frame was not a valid reflection (or request). Every frame
 * a prober or reflector receives ends in exactly one counter: a valid
 * reflection, ARP/ND handled, or one of these reasons. Names are the keys of
 * the "invalid" object of interval records: append, never renumber.
 */
#ifndef MP_REASON_H
#define MP_REASON_H

enum mp_reason {
	MP_OK = 0,
	MP_R_TRUNCATED,		/* shorter than its headers say */
	MP_R_NOT_IP,		/* EtherType neither IPv4, IPv6 nor ARP */
	MP_R_VLAN_MISMATCH,	/* VLAN tags not those of the link */
	MP_R_BAD_IP_HEADER,	/* version, IHL, total/payload length */
	MP_R_IP_FRAGMENT,	/* fragments are not reassembled */
	MP_R_BAD_IP_CHECKSUM,
	MP_R_NOT_UDP,		/* IP but not UDP (nor ICMPv6 ND) */
	MP_R_BAD_UDP_LENGTH,
	MP_R_BAD_UDP_CHECKSUM,
	MP_R_WRONG_ADDRESS,	/* not to our address, or not from the peer */
	MP_R_WRONG_PORT,	/* not our UDP ports */
	MP_R_SHORT_STAMP,	/* UDP payload too short for STAMP */
	MP_R_UNKNOWN_SSID,	/* SSID of no session of ours */
	MP_R_UNKNOWN_SEQ,	/* never sent, or older than the window */
	MP_R_BAD_TIMESTAMP,	/* echoed T1 or T2/T3 not plausible */
	MP_R_NOT_ALLOWED,	/* reflector: source not in the allowlist */
	MP_R_WOULD_AMPLIFY,	/* reflector: request shorter than 44 B, refused (--refuse-short) */
	MP_R_BAD_ARP,
	MP_R_BAD_ND,
	MP_R_REDIRECT_FULL,	/* prober: a reply for another queue found its ring full */
	MP_R_RATE_LIMITED,	/* reflector: short request over its source's rate */
	MP_R_NO_ROOM,		/* reflector: a short request's buffer could not grow */
	MP_R_BAD_ICMP,		/* ICMP/ICMPv6 error: bad checksum, or its quote unreadable */
	MP_R_ICMP_FOREIGN,	/* an ICMP error about a packet that is not one of our probes */
	MP_R_PATH_SHORT_QUOTE,	/* an ICMP error about a path probe flow that quotes too little
				   of it (no UDP checksum: its identity) to tell which */
	MP_R_PATH_UNKNOWN,	/* an ICMP error or reply about a path probe flow whose identity
				   is no path probe in flight (never sent, another round,
				   answered already): spoofed or stale, never evidence */
	MP_R_PATH_MISMATCH,	/* a quoted path probe whose fields disagree (UDP checksum,
				   IPv4 ID, length, STAMP sequence): forged or rewritten */
	MP_R_REASON_MAX
};

extern const char *const mp_reason_names[MP_R_REASON_MAX];

/*
 * ICMP and ICMPv6 errors that quote one of our probes: what the path or the
 * far end says about them. Counted per link by kind, never as invalid.
 * Names are the keys of the "icmp_errors" object: append, never renumber.
 */
enum mp_icmp_err {
	MP_ICMP_REFLECTOR_UNREACHABLE = 0,	/* port unreachable: nothing listens */
	MP_ICMP_HOST_UNREACHABLE,	/* net / host / address unreachable, no route */
	MP_ICMP_PROHIBITED,		/* administratively prohibited, policy */
	MP_ICMP_TOO_BIG,		/* fragmentation needed / packet too big */
	MP_ICMP_TTL_EXCEEDED,		/* time exceeded in transit (a loop, or too far) */
	MP_ICMP_OTHER_ERROR,		/* other unreachable codes, parameter problem */
	MP_ICMP_MAX
};

extern const char *const mp_icmp_err_names[MP_ICMP_MAX];

/*
 * Ordinary link traffic that is neither ours nor broken: counted apart
 * ("ignored" by kind), never as invalid. Append, never renumber.
 */
enum mp_ignored {
	MP_IGN_ARP = 0,		/* ARP not for us */
	MP_IGN_ND,		/* neighbour discovery not for us: NS, NA, RS, RA, redirect */
	MP_IGN_MLD,		/* IPv6 multicast listener discovery */
	MP_IGN_ICMP,		/* ICMP / ICMPv6 that is not an error (echo, ...) */
	MP_IGN_LLDP,
	MP_IGN_STP,		/* 802.3 LLC frames: spanning tree, CDP, ... */
	MP_IGN_LACP,		/* slow protocols: LACP, marker, OAM */
	MP_IGN_IGMP,		/* IPv4 multicast group membership */
	MP_IGN_MAX
};

extern const char *const mp_ignored_names[MP_IGN_MAX];

#endif
