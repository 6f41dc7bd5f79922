/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Names of the reasons a frame was not usable: the keys of the "invalid"
 * object of interval records, so they never change once released.
 */
#include "mp_reason.h"

const char *const mp_reason_names[MP_R_REASON_MAX] = {
	[MP_OK] = "ok",
	[MP_R_TRUNCATED] = "truncated",
	[MP_R_NOT_IP] = "not_ip",
	[MP_R_VLAN_MISMATCH] = "vlan_mismatch",
	[MP_R_BAD_IP_HEADER] = "bad_ip_header",
	[MP_R_IP_FRAGMENT] = "ip_fragment",
	[MP_R_BAD_IP_CHECKSUM] = "bad_ip_checksum",
	[MP_R_NOT_UDP] = "not_udp",
	[MP_R_BAD_UDP_LENGTH] = "bad_udp_length",
	[MP_R_BAD_UDP_CHECKSUM] = "bad_udp_checksum",
	[MP_R_WRONG_ADDRESS] = "wrong_address",
	[MP_R_WRONG_PORT] = "wrong_port",
	[MP_R_SHORT_STAMP] = "short_stamp",
	[MP_R_UNKNOWN_SSID] = "unknown_ssid",
	[MP_R_UNKNOWN_SEQ] = "unknown_seq",
	[MP_R_BAD_TIMESTAMP] = "bad_timestamp",
	[MP_R_NOT_ALLOWED] = "not_allowed",
	[MP_R_WOULD_AMPLIFY] = "would_amplify",
	[MP_R_BAD_ARP] = "bad_arp",
	[MP_R_BAD_ND] = "bad_nd",
	[MP_R_REDIRECT_FULL] = "redirect_full",
	[MP_R_RATE_LIMITED] = "rate_limited",
	[MP_R_NO_ROOM] = "no_room",
	[MP_R_BAD_ICMP] = "bad_icmp",
	[MP_R_ICMP_FOREIGN] = "icmp_foreign",
	[MP_R_PATH_SHORT_QUOTE] = "path_short_quote",
	[MP_R_PATH_UNKNOWN] = "path_unknown_probe",
	[MP_R_PATH_MISMATCH] = "path_quote_mismatch",
};

/* A new enum value without a name here fails the build, not a test. */
_Static_assert(MP_R_PATH_MISMATCH + 1 == MP_R_REASON_MAX,
	       "mp_reason_names[] must name every enum mp_reason value");

const char *const mp_icmp_err_names[MP_ICMP_MAX] = {
	[MP_ICMP_REFLECTOR_UNREACHABLE] = "reflector_unreachable",
	[MP_ICMP_HOST_UNREACHABLE] = "host_unreachable",
	[MP_ICMP_PROHIBITED] = "prohibited",
	[MP_ICMP_TOO_BIG] = "too_big",
	[MP_ICMP_TTL_EXCEEDED] = "ttl_exceeded",
	[MP_ICMP_OTHER_ERROR] = "other_error",
};
_Static_assert(MP_ICMP_OTHER_ERROR + 1 == MP_ICMP_MAX,
	       "mp_icmp_err_names[] must name every enum mp_icmp_err value");

const char *const mp_ignored_names[MP_IGN_MAX] = {
	[MP_IGN_ARP] = "arp",
	[MP_IGN_ND] = "nd",
	[MP_IGN_MLD] = "mld",
	[MP_IGN_ICMP] = "icmp",
	[MP_IGN_LLDP] = "lldp",
	[MP_IGN_STP] = "stp",
	[MP_IGN_LACP] = "lacp",
	[MP_IGN_IGMP] = "igmp",
};
_Static_assert(MP_IGN_IGMP + 1 == MP_IGN_MAX,
	       "mp_ignored_names[] must name every enum mp_ignored value");
