#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Frame-size mixes end to end: simple IMIX (64:7+570:4+1518:1) on link a,
# a user mix on link b. 64-byte frames are raised to the 90-byte STAMP
# minimum and the run says so; every probe comes back; the wire bytes per
# probe are the mix's mean: (7*110 + 4*590 + 1538) / 12 = 389 on link a.
. "$(dirname "$0")/lib.sh"
export METROPROBE_XDP=$(readlink -f "$BUILD/dataplane/xdp/metroprobe-xdp" 2>/dev/null)
[ -x "$BUILD/dataplane/xdp/metroprobe-xdp" ] || lab_args=(--reflector dpdk)

lab_begin "${lab_args[@]}"
jq '.links[0].frame_size = "imix" | .links[1].frame_size = "128:3+1280:1"' "$TMP/lab.json" >"$TMP/mix.json"
"$MP" run "$TMP/mix.json" --duration 4 --out "$TMP/out" >"$TMP/run.log" 2>&1 || { cat "$TMP/run.log"; fail "run failed"; }
grep -q "note: link a frame size 64:7+570:4+1518:1 raised to 90:7+570:4+1518:1" "$TMP/run.log" ||
	fail "the run did not say that 64-byte frames were raised: $(head -5 "$TMP/run.log")"
grep -q '"frame_size_raised"' "$TMP/out/events.jsonl" || fail "no frame_size_raised event"
tot() { jq -s --arg l "$1" '[.[] | select(.type == "interval" and .link == $l)] |
	{sent: (map(.sent) | add), wire: (map(.tx_wire_bytes) | add), recv: (map(.received) | add)}' \
	"$TMP/out/intervals.jsonl"; }
a=$(tot a)
b=$(tot b)
for x in "$a" "$b"; do
	[ "$(jq '.sent == .recv and .sent > 3000' <<<"$x")" = true ] || fail "probes lost or missing: $x"
done
awk -v s="$(jq .sent <<<"$a")" -v w="$(jq .wire <<<"$a")" 'BEGIN { m = w / s; exit !(m > 388 && m < 390) }' ||
	fail "link a: mean wire bytes $(jq '.wire / .sent' <<<"$a"), want 389"
# link b: (3 * 148 + 1300) / 4 = 436
awk -v s="$(jq .sent <<<"$b")" -v w="$(jq .wire <<<"$b")" 'BEGIN { m = w / s; exit !(m > 435 && m < 437) }' ||
	fail "link b: mean wire bytes $(jq '.wire / .sent' <<<"$b"), want 436"
ok "imix on a: $(jq -c . <<<"$a"); 128:3+1280:1 on b: $(jq -c . <<<"$b")"
