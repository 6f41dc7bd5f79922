#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Streams (issue 12) over the lab: link a carries two streams, "voice"
# (2000 pps, 128-byte frames, DSCP 46) and "bulk" (500 pps, 1024 bytes,
# DSCP 10), link b none. Each stream sends its own rate (within 5% of rate
# x the run's sending time, and nothing lost on the clean lab), with its
# own frame size; the frames arriving at site a's reflector carry each
# stream's DSCP at its length (counted by a raw socket there: no stream's
# frames with the other's marking); link a's object is the sum of its
# streams (sent, received, lost, RTT samples); intervals.jsonl has each
# stream's records with "link" and "stream"; link b's object, a single
# stream, has no "streams". Site a's reflector is the DPDK one: frames
# XDP reflects never reach a packet socket.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed (the DSCP count)"

SECS=5
lab_begin --reflector a:dpdk --reflector b:dpdk
jq '.links[0].streams = [
	{"name": "voice", "rate": "2000pps", "frame_size": 128, "dscp": 46},
	{"name": "bulk", "rate": "500pps", "frame_size": 1024, "dscp": 10}]' \
	"$TMP/lab.json" >"$TMP/streams.json" || fail "cannot add streams to lab.json"
"$MP" lab status --json >"$TMP/status.json" 2>/dev/null
ns=$(jq -r '.sites.a.netns' "$TMP/status.json")
ifc=$(jq -r '.sites.a.interface' "$TMP/status.json")
[ -n "$ns" ] && [ "$ns" != null ] && [ -n "$ifc" ] && [ "$ifc" != null ] ||
	fail "lab status names no netns/interface for site a: $(jq -c .sites.a "$TMP/status.json")"
ip netns exec "$ns" python3 "$(dirname "$0")/dscp_count.py" "$ifc" $((SECS + 4)) 862 \
	"$TMP/cap.ready" >"$TMP/cap.json" 2>"$TMP/cap.err" &
cap=$!
for _ in $(seq 50); do [ -e "$TMP/cap.ready" ] && break; sleep 0.1; done
[ -e "$TMP/cap.ready" ] || { cat "$TMP/cap.err"; fail "the capture in $ns on $ifc did not start"; }
"$MP" run "$TMP/streams.json" --duration $SECS --out "$TMP/out" --quiet >"$TMP/run.log" 2>&1 ||
	{ cat "$TMP/run.log"; fail "run with streams failed"; }
wait $cap || { cat "$TMP/cap.err"; fail "the capture failed"; }

a=$(j '.links[] | select(.name == "a")')
[ "$(jq '.streams | length' <<<"$a")" = 2 ] || fail "link a: want 2 streams, got $(jq -c .streams <<<"$a")"
[ "$(j '.links[] | select(.name == "b") | has("streams")')" = false ] ||
	fail "link b (no streams configured) has \"streams\" in summary.json"
# the sending time: from the dataplane's first to its last interval of link a
span=$(jq -s '[.[] | select(.type == "interval" and .link == "a" and (has("stream") | not) and .sent > 0)] |
	((map(.end_ns | tonumber) | max) - (map(.start_ns | tonumber) | min)) / 1e9' "$TMP/out/intervals.jsonl")
fcmp "$span > $SECS - 1" || fail "link a sent for only $span s"
check_stream() {	# NAME PPS FRAME DSCP
	local s
	s=$(jq --arg n "$1" '.streams[] | select(.name == $n)' <<<"$a")
	[ -n "$s" ] || fail "no stream $1 in link a's summary"
	local sent lost recv fs
	sent=$(jq .sent <<<"$s"); lost=$(jq .lost <<<"$s"); recv=$(jq .received <<<"$s")
	fs=$(jq .frame_size_sent <<<"$s")
	fcmp "$sent >= $2 * $span * 0.95 && $sent <= $2 * $span * 1.05" ||
		fail "stream $1 sent $sent in $span s, want $2/s +- 5%"
	[ "$lost" = 0 ] && [ "$recv" = "$sent" ] || fail "stream $1: sent $sent received $recv lost $lost"
	[ "$fs" = "$3" ] || fail "stream $1 sent $fs-byte frames, want $3"
	[ "$(jq .dscp <<<"$s")" = "$4" ] || fail "stream $1: summary dscp $(jq .dscp <<<"$s")"
	# on the wire: this DSCP at this length (without FCS), nearly every probe
	local wire
	wire=$(jq --arg k "$4:$(($3 - 4))" '.[$k] // 0' "$TMP/cap.json")
	fcmp "$wire >= $sent * 0.9 && $wire <= $sent" ||
		fail "stream $1: $wire frames of DSCP $4 and $3 bytes at the reflector, $sent sent ($(cat "$TMP/cap.json"))"
	ok "stream $1: sent $sent in $span s ($2/s +- 5%), $fs-byte frames, $wire with DSCP $4 at the reflector"
}
check_stream voice 2000 128 46
check_stream bulk 500 1024 10
# no frame of one stream carries the other's marking
bad=$(jq '[to_entries[] | select(.key == "46:1020" or .key == "10:124") | .value] | add // 0' "$TMP/cap.json")
[ "$bad" = 0 ] || fail "$bad frames with the other stream's DSCP: $(cat "$TMP/cap.json")"
for k in sent received lost rtt_samples; do
	sum=$(jq "[.streams[].$k] | add" <<<"$a")
	[ "$(jq ".$k" <<<"$a")" = "$sum" ] || fail "link a $k $(jq ".$k" <<<"$a") != its streams' sum $sum"
done
ok "link a's sent, received, lost, rtt_samples are the sums of its streams'"
n=$(jq -s '[.[] | select(.type == "interval" and .link == "a" and .stream != null) | .stream] | unique' \
	"$TMP/out/intervals.jsonl" | jq -c .)
[ "$n" = '["bulk","voice"]' ] || fail "intervals.jsonl streams of link a: $n"
nb=$(jq -s '[.[] | select(.type == "interval" and .link == "b" and has("stream"))] | length' \
	"$TMP/out/intervals.jsonl")
[ "$nb" = 0 ] || fail "link b has $nb stream records"
ok "intervals.jsonl: link a's streams $n, none for link b"
