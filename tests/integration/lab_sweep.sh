#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# RFC 2544-style frame-size sweep: one run per size, a summary each, and
# sweep.json; a size the lab's 1500-byte links cannot carry (9000) fails on
# its own, is reported as such, and does not stop the sweep.
. "$(dirname "$0")/lib.sh"
export METROPROBE_XDP=$(readlink -f "$BUILD/dataplane/xdp/metroprobe-xdp" 2>/dev/null)
[ -x "$BUILD/dataplane/xdp/metroprobe-xdp" ] || lab_args=(--reflector dpdk)

lab_begin "${lab_args[@]}"
rc=0
"$MP" run "$TMP/lab.json" --sweep=128,9000,1518 --duration 2 --out "$TMP/sweep" --quiet \
	>"$TMP/run.log" 2>&1 || rc=$?
[ $rc = 1 ] || { cat "$TMP/run.log"; fail "sweep exit $rc, want 1 (the 9000-byte run fails)"; }
S="$TMP/sweep/sweep.json"
[ "$(jq '.sizes | map(.frame_size)' -c "$S")" = "[128,9000,1518]" ] || fail "sizes: $(jq -c '.sizes | map(.frame_size)' "$S")"
for size in 128 1518; do
	x=$(jq -c --argjson s $size '.sizes[] | select(.frame_size == $s) |
		{exit, complete: .summary.complete, lost: (.summary.links | map(.lost) | add),
		 sent: (.summary.links | map(.sent) | add)}' "$S")
	[ "$(jq '.exit == 0 and .complete and .lost == 0 and .sent > 3000' <<<"$x")" = true ] ||
		fail "size $size: $x"
	ok "size $size: $x"
done
x=$(jq -c '.sizes[] | select(.frame_size == 9000) | {exit, complete: .summary.complete}' "$S")
[ "$(jq '.exit != 0 and .complete != true' <<<"$x")" = true ] || fail "size 9000: $x"
grep -q "larger than port" "$TMP/sweep/size-9000/dataplane.log" || fail "size 9000: no reason in its log"
grep -qE '^1518 +a ' "$TMP/run.log" || fail "no table line for 1518: $(tail -8 "$TMP/run.log")"
ok "size 9000 fails on the 1500-byte lab links and says why; the sweep went on"
