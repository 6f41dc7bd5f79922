#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The reflector of site a is killed mid-run: link a shows 100% loss from then
# on (once the loss timeout has passed), link b is unaffected, and the run
# still ends with a complete summary (the dataplane itself did not fail) whose
# verdict is an outage of link a (exit 3).
. "$(dirname "$0")/lib.sh"

lab_begin --reflector a:dpdk --reflector b:dpdk
pid=$("$MP" lab status --json | jq -r '.sites.a.pid')
[ -n "$pid" ] && [ "$pid" != null ] || fail "no reflector pid for site a in lab status"
"$MP" run "$TMP/lab.json" --duration 8 --out "$TMP/out" --quiet >"$TMP/run.log" 2>&1 &
RUN_PID=$!
sleep 3
kill_ns=$(date +%s%N)
kill -9 "$pid" || fail "cannot kill reflector $pid"
wait $RUN_PID
rc=$?
RUN_PID=
# complete (the dataplane did not fail), but not clean: exit 3, verdict outage
[ $rc = 3 ] || { cat "$TMP/run.log"; fail "run exited $rc, want 3 (complete, outage)"; }
[ "$(j .complete)" = true ] || fail "summary not complete"
[ "$(j .verdict)" = outage ] || fail "verdict $(j .verdict), want outage"
[ "$(j '.links[] | select(.name == "a") | .outage.count')" -ge 1 ] || fail "no outage of link a in the summary"
# Records of link a that start 1.5 s (loss timeout + margin) after the kill:
after=$((kill_ns + 1500000000))
jq -s --arg after "$after" '
	[.[] | select(.type == "interval" and .link == "a" and
		((.start_ns | tonumber) > ($after | tonumber)))] |
	{n: length, received: (map(.received) | add), lost: (map(.lost) | add),
	 sent: (map(.sent) | add)}' "$TMP/out/intervals.jsonl" >"$TMP/after.json"
n=$(jq .n "$TMP/after.json")
recv=$(jq .received "$TMP/after.json")
lost=$(jq .lost "$TMP/after.json")
[ "$n" -ge 20 ] || fail "only $n records of link a after the kill"
[ "$recv" = 0 ] || fail "link a received $recv replies after its reflector died"
[ "$lost" -gt 2000 ] || fail "link a lost only $lost probes after its reflector died"
lb=$(j '.links[] | select(.name == "b") | .lost')
[ "$lb" = 0 ] || fail "link b lost $lb probes"
ok "after the kill link a: $n records, 0 received, $lost lost; link b: 0 lost"
