#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Two queue pairs per link (two lanes, each with its own source port and
# sequence space): both lanes send, every reply is accounted to the lane
# that sent its probe even when the port delivers it to the other queue
# (af_packet's fanout does not know our lanes), and the link's interval
# records merge both lanes ("queues": 2).
. "$(dirname "$0")/lib.sh"
export METROPROBE_XDP=$(readlink -f "$BUILD/dataplane/xdp/metroprobe-xdp" 2>/dev/null)
[ -x "$BUILD/dataplane/xdp/metroprobe-xdp" ] || lab_args=(--reflector dpdk)

lab_begin "${lab_args[@]}"
jq '.links[0].queues = 2 | .links[1].queues = 2' "$TMP/lab.json" >"$TMP/q2.json"
"$MP" run "$TMP/q2.json" --duration 5 --out "$TMP/out" --quiet >"$TMP/run.log" 2>&1 ||
	{ cat "$TMP/run.log"; fail "run failed"; }
for l in a b; do
	s=$(j ".links[] | select(.name == \"$l\") | {sent, received, lost, invalid}")
	[ "$(jq '.lost == 0 and .received == .sent and .sent > 4500' <<<"$s")" = true ] ||
		fail "link $l: $s"
	lanes=$(jq -s --arg l "$l" '[.[] | select(.type == "end") | .workers[].lanes[] | select(.link == $l)]' \
		"$TMP/out/events.jsonl")
	[ "$(jq length <<<"$lanes")" = 2 ] || fail "link $l: want 2 lanes, got $lanes"
	[ "$(jq 'map(.sent) | add' <<<"$lanes")" = "$(jq .sent <<<"$s")" ] ||
		fail "link $l: lanes sent $(jq -c 'map(.sent)' <<<"$lanes"), link sent $(jq .sent <<<"$s")"
	[ "$(jq 'all(.sent > 2000)' <<<"$lanes")" = true ] || fail "link $l: a lane did not send: $lanes"
	# what one lane handed over, the other took
	[ "$(jq 'map(.redirected_out) | add' <<<"$lanes")" = "$(jq 'map(.redirected_in) | add' <<<"$lanes")" ] ||
		fail "link $l: redirects do not balance: $lanes"
	q=$(jq -s --arg l "$l" '[.[] | select(.type == "interval" and .link == $l) | .queues] | unique' "$TMP/out/intervals.jsonl")
	[ "$q" = "$(printf '[\n  2\n]')" ] || fail "link $l: records say queues $q"
	ok "link $l: $(jq -c . <<<"$s"); lanes $(jq -c 'map({queue, sent, redirected_in})' <<<"$lanes")"
done
