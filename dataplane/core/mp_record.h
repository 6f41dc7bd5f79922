/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interval records: the JSON-lines schema between metroprobe-dp and
 * metroprobe, also the format of intervals.jsonl (so a run can be replayed).
 *
 *   {"type":"interval","v":1,"link":"a","link_index":0,"seq":12,
 *    ("stream":"voice", in a stream's record: the link's streams each have
 *    theirs besides the link's own, which is their merge; issue 12)
 *    "start_ns":..., "end_ns":..., "queues":1, "clock":"tsc",
 *    "sent":..,"tx_failed":..,"tx_skipped":..,"tx_wire_bytes":..,
 *    "received":..,"lost":..,"late":..,"duplicates":..,"reordered":..,
 *    "other_link":..,"rx_frames":..,"arp_nd":..,
 *    "invalid":{"truncated":0,...},          (only nonzero reasons)
 *    "ignored":{"nd":2,...},                  (ordinary link traffic, nonzero kinds)
 *    "icmp_errors":{"reflector_unreachable":9,...},  (ICMP errors quoting our probes)
 *    "rtt":{"count":..,"sum_ns":..,"min_ns":..,"max_ns":..,"clamped":..,
 *           "layout":"log2-sub128-ns","buckets":[[idx,count],...]},
 *    "residence_ns":{"count":..,"sum":..,"min":..,"max":..},
 *    "fwd_ttl":{...same...}, "jitter_ns":.., "rate_millipps":..,  (the configured
 *    rate in thousandths of a probe per second; "rate_mpps" in older records)
 *    "outstanding":..,"overdue":..,"overdue_after_ns":..,"no_reply_ns":..,
 *    (gauges at the interval's end; see mp_stats.h; absent in old records: 0)
 *    "reflector":{"replies":..,"ssid_echoed":..,"ssid_zero":..,"stateful":..,
 *                 "t2_eq_t3":..,"ptp":..,"no_sender_ttl":..,"sender_ttl_zero":..,
 *                 "trailer":..,"bytes_min":..,"bytes_max":..}}
 *                                      (only when replies > 0; mp_reflseen.h)
 *
 * Other record types (written by the dataplane as plain cJSON objects):
 *   {"type":"hello","v":1,"pid":..,"tsc_hz":..,"links":[{"name":..,"port":..,"mac":..}]}
 *   {"type":"event","link":"a","event":"next_hop_resolved"|"next_hop_changed"|
 *        "next_hop_lost"|"link_down"|"link_up","detail":"..."}
 *   {"type":"end","reason":"duration"|"signal"|"control_lost"|"error","detail":".."}
 *
 * Every record the dataplane writes ends with its number (mp_resume.h):
 *   ...,"instance":"9f3c0a17d2b84e65","instance_start_ns":"1764874063123456789","rec":42}
 * the dataplane's random id and start (CLOCK_REALTIME), and the record's
 * number, 1 (the hello), 2, ... per instance. A control that restarts
 * resumes after the last one it wrote; absent in records of older
 * dataplanes and in events control raises itself.
 *
 * Path records (record_path_*; one per link per completed round of path
 * probes, only with --path-interval-ms; mp_path.h):
 *   {"type":"path","v":1,"link":"a","link_index":0,"round":3,
 *    "start_ns":..,"end_ns":..,"reflector":"192.0.2.2","reflector_port":862,
 *    "max_ttl":16,
 *    "flows":[{"flow":0,"source_port":864,"reached":true,"reached_ttl":3,
 *              "hops":[{"ttl":1,"addr":"10.0.1.1","rtt_ns":41000},
 *                      {"ttl":2,"addr":"*"},
 *                      {"ttl":3,"addr":"192.0.2.2","rtt_ns":52000,"reflector":true}]},
 *             ...]}
 *   A hop is "*" where its TTL had no answer; "icmp":"host_unreachable"
 *   (enum mp_icmp_err) on a hop that answered with another ICMP error, which
 *   ends the flow unreached. "reached_ttl" only when reached.
 */
#ifndef MP_RECORD_H
#define MP_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "mp_path.h"
#include "mp_stats.h"

#define MP_RECORD_VERSION	1

const char *mp_clock_name(enum mp_clock c);

/* New cJSON object for li; NULL on allocation failure. */
cJSON *record_interval_to_json(const struct link_interval *li);
/*
 * Fill li from a parsed interval record. Returns 0, or -EINVAL with err
 * naming the field ("rtt.buckets[3]: index 9999 out of range").
 * Unknown keys are ignored (forward compatible); missing counters are 0.
 */
int record_interval_from_json(const cJSON *o, struct link_interval *li,
			      char *err, size_t errlen);
/*
 * An exact JSON integer for any uint64: raw number text, never through a
 * double (which would print 1796376980551096100 as 1.7963769805510961e+18).
 * record_add_u64() adds it to o under key; both return NULL on failure.
 */
cJSON *record_json_u64(uint64_t v);
cJSON *record_add_u64(cJSON *o, const char *key, uint64_t v);
/*
 * A uint64 member of o: a JSON number (integral, 0..2^53) or a string of
 * decimal digits, at most max. 0; -ENOENT when absent; -EINVAL with err
 * saying why ("rec: -1 is negative ...").
 */
int record_get_u64(const cJSON *o, const char *key, uint64_t max, uint64_t *out,
		   char *err, size_t errlen);
/* A path record (schema above); NULL on allocation failure. */
cJSON *record_path_to_json(const struct path_record *pr);
/*
 * Fill pr from a parsed path record: 0, or -EINVAL with err naming the
 * field. The probes' send times are not in the record (0), nor pending.
 */
int record_path_from_json(const cJSON *o, struct path_record *pr, char *err, size_t errlen);
/* One record as a single line with a trailing newline; caller frees. */
char *record_interval_line(const struct link_interval *li);

#endif
