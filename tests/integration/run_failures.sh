#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Failures are reported as what they are, never as 0% loss:
# - a bad config: one line naming the JSON path, exit 2;
# - a port whose interface does not exist: non-zero exit, complete false;
# - the dataplane killed mid-run: non-zero exit, complete false;
# - Ctrl-C (SIGINT): a clean stop that still writes the summary.
. "$(dirname "$0")/lib.sh"

# 1. bad config
printf '{"links": [{"name": "a", "rate": "10 furlongs"}]}' >"$TMP/bad.json"
rc=0
"$MP" run "$TMP/bad.json" >"$TMP/bad.log" 2>&1 || rc=$?
[ $rc = 2 ] || fail "bad config: exit $rc, want 2"
[ "$(wc -l <"$TMP/bad.log")" = 1 ] || fail "bad config: want one line, got: $(cat "$TMP/bad.log")"
grep -q 'links' "$TMP/bad.log" || fail "bad config: error does not name the path: $(cat "$TMP/bad.log")"
ok "bad config: $(cat "$TMP/bad.log")"

lab_begin --reflector a:dpdk --reflector b:dpdk

# 2. missing interface
jq '.links[0].port = "net_af_packet0,iface=mp-nonexistent0"' "$TMP/lab.json" >"$TMP/noif.json"
rc=0
"$MP" run "$TMP/noif.json" --duration 3 --out "$TMP/noif" --quiet >"$TMP/noif.log" 2>&1 || rc=$?
[ $rc != 0 ] || fail "missing interface: exit 0"
[ "$(jq .complete "$TMP/noif/summary.json")" = false ] || fail "missing interface: complete is not false"
grep -q 'no interface mp-nonexistent0 in netns mp-onprem' "$TMP/noif.log" ||
	fail "missing interface: the error does not name it: $(cat "$TMP/noif.log")"
[ "$(jq -r .end_reason "$TMP/noif/summary.json")" = cannot_start ] || fail "missing interface: end_reason $(jq -r .end_reason "$TMP/noif/summary.json")"
ok "missing interface: exit $rc, complete false, $(grep -o 'no interface.*' "$TMP/noif.log")"

# 3. the dataplane dies mid-run
"$MP" run "$TMP/lab.json" --duration 10 --out "$TMP/out" --quiet >"$TMP/run.log" 2>&1 &
RUN_PID=$!
sleep 3
dp=$(pgrep -f -- "--file-prefix mp-run-$RUN_PID" | head -1)
[ -n "$dp" ] || fail "no dataplane process of run $RUN_PID"
kill -9 "$dp"
rc=0
wait $RUN_PID || rc=$?
RUN_PID=
[ $rc != 0 ] || fail "dataplane killed: run exited 0"
[ "$(j .complete)" = false ] || fail "dataplane killed: complete is not false"
[ "$(j .end_reason)" = dataplane_failed ] || fail "end_reason $(j .end_reason)"
ok "dataplane killed: exit $rc, complete false, end_reason dataplane_failed"

# 4. Ctrl-C
rm -rf "$TMP/out"
"$MP" run "$TMP/lab.json" --duration 30 --out "$TMP/out" --quiet >"$TMP/run.log" 2>&1 &
RUN_PID=$!
sleep 3
kill -INT $RUN_PID
t0=$(date +%s)
rc=0
wait $RUN_PID || rc=$?
RUN_PID=
t1=$(date +%s)
[ $rc = 130 ] || fail "Ctrl-C: exit $rc, want 130"
[ -s "$TMP/out/summary.json" ] || fail "Ctrl-C: no summary"
[ "$(j .end_reason)" = interrupted ] || fail "Ctrl-C: end_reason $(j .end_reason)"
[ $((t1 - t0)) -le 5 ] || fail "Ctrl-C: took $((t1 - t0)) s to stop"
sent=$(j '.links[0].sent')
[ "$sent" -gt 1000 ] || fail "Ctrl-C: summary has only $sent probes sent"
[ "$(j '.links[0].lost')" = 0 ] || fail "Ctrl-C: in-flight probes counted lost"
ok "Ctrl-C: stopped in $((t1 - t0)) s, summary with $sent probes, none lost"
