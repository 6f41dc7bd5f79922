#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# RFC 2544-style frame-size sweep on the lab, whose links carry jumbo frames
# (MTU 9000 on every hop): one run per size, a summary each, sweep.json, exit
# 0 when every size completes, 9000 included. Every row says the size
# actually sent: 64 is raised to 90 (the smallest untagged IPv4 STAMP frame),
# and the table, sweep.json and the summary say so.
. "$(dirname "$0")/lib.sh"
export METROPROBE_XDP=$(readlink -f "$BUILD/dataplane/xdp/metroprobe-xdp" 2>/dev/null)
[ -x "$BUILD/dataplane/xdp/metroprobe-xdp" ] || lab_args=(--reflector dpdk)

lab_begin "${lab_args[@]}"
# every hop: the routers of the default topology (diverse) too
for x in mp-onprem:mpa-p mp-onprem:mpb-p mp-site-a:mpa-r mp-site-b:mpb-r \
	 mp-rtr-a:mpa-ri mp-rtr-a:mpa-ro mp-rtr-b:mpb-ri mp-rtr-b:mpb-ro; do
	mtu=$(ip -n "${x%%:*}" -j link show "${x#*:}" | jq '.[0].mtu')
	[ "$mtu" -ge 9000 ] || fail "${x#*:} has MTU $mtu, want jumbo frames (>= 9000)"
done
ok "lab links carry jumbo frames"
rc=0
"$MP" run "$TMP/lab.json" --sweep=64,9000,1518 --duration 2 --out "$TMP/sweep" --quiet \
	>"$TMP/run.log" 2>&1 || rc=$?
[ $rc = 0 ] || { cat "$TMP/run.log"; tail -5 "$TMP/sweep/size-9000/dataplane.log"; fail "sweep exit $rc, want 0"; }
S="$TMP/sweep/sweep.json"
[ "$(jq '.sizes | map(.frame_size)' -c "$S")" = "[64,9000,1518]" ] || fail "sizes: $(jq -c '.sizes | map(.frame_size)' "$S")"
for size in 64 9000 1518; do
	x=$(jq -c --argjson s $size '.sizes[] | select(.frame_size == $s) |
		{exit, sent_size: .frame_size_sent, complete: .summary.complete,
		 lost: (.summary.links | map(.lost) | add), sent: (.summary.links | map(.sent) | add),
		 link_sizes: (.summary.links | map(.frame_size_sent))}' "$S")
	[ "$(jq '.exit == 0 and .complete and .lost == 0 and .sent > 3000' <<<"$x")" = true ] ||
		fail "size $size: $x"
	want=$size
	[ $size = 64 ] && want=90
	[ "$(jq ".sent_size == $want and (.link_sizes | all(. == $want))" <<<"$x")" = true ] ||
		fail "size $size: sent size is not $want: $x"
	ok "size $size: $x"
done
grep -qE '^64\(90\) +a ' "$TMP/run.log" || fail "the 64 row does not say 90 was sent: $(tail -10 "$TMP/run.log")"
grep -qE '^9000 +a .* yes$' "$TMP/run.log" || fail "no complete table line for 9000: $(tail -10 "$TMP/run.log")"
grep -q 'frame size 64: sent as 90-byte frames' "$TMP/run.log" || fail "the sweep does not say 64 was sent as 90"
ok "rows say the size sent: $(grep -E '^64\(90\) +a ' "$TMP/run.log")"
