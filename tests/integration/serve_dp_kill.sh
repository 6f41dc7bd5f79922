#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Drill: serve's dataplane killed with SIGKILL. serve says it is down,
# restarts it (back-off: the first restart after 1 s), and reports a `gap`
# event whose length is the time from the old instance's last record to the
# new one's first, as the records themselves show (within 1 ms), and that
# began when the dataplane was killed (within 0.5 s: the last record ended
# at most a few 100 ms intervals before the kill). Probing resumes on both
# links. The gap is no loss: summary.json counts it under gaps/gap_s, its
# loss ratios stay those of a clean lab (under 1%). serve's SIGTERM leaves
# the dataplane running.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"

serve_begin --listen none
old=$(dp_pid_of)
[ -n "$old" ] && kill -0 "$old" || fail "no pid file naming a running dataplane"
ev dataplane_start | grep -q "\"pid\":$old" || fail "no dataplane_start event for pid $old"
ok "serve started the dataplane (pid $old) and records arrive"

kill_ns=$(date +%s%N)
kill -9 "$old"
wait_for 30 ev gap >/dev/null || fail "no gap event 30 s after the kill"
new=$(dp_pid_of)
[ "$new" != "$old" ] && kill -0 "$new" || fail "no new dataplane (pid file: $new)"
ev dataplane_down | grep -q "\"pid\":$old" || fail "no dataplane_down event for pid $old"
ev dataplane_down | grep -q '"restart_in_s":1' || fail "the first restart is not after 1 s"
ok "dataplane $old killed; serve said so and restarted it as $new"

gap=$(ev gap | head -1)
len=$(jq -r .length_s <<<"$gap")
gs=$(jq -r .start_unix_ns <<<"$gap")
ge=$(jq -r .end_unix_ns <<<"$gap")
# the records' own account: the old instance's newest end, the new one's first start
rec_s=$(jq -r "select((.end_ns | tonumber) <= $ge) | .end_ns" "$TMP/out/intervals.jsonl" | sort -n | tail -1)
rec_e=$(jq -r "select((.start_ns | tonumber) >= $ge) | .start_ns" "$TMP/out/intervals.jsonl" | sort -n | head -1)
fcmp "($rec_s - $gs)^2 < 1e12 && ($rec_e - $ge)^2 < 1e12" ||
	fail "gap $gs..$ge, records say $rec_s..$rec_e"
fcmp "($ge - $gs) / 1e9 - $len < 0.001 && ($ge - $gs) / 1e9 - $len > -0.001" ||
	fail "gap length $len s, its ends say $(((ge - gs) / 1000000)) ms"
fcmp "($kill_ns - $gs) / 1e9 < 0.5 && ($kill_ns - $gs) / 1e9 > -0.1" ||
	fail "the gap began $(((kill_ns - gs) / 1000000)) ms before the kill (want 0..500)"
fcmp "$len > 1 && $len < 30" || fail "gap of $len s (the restart waits 1 s; under 30 s)"
ok "gap event: $len s, from the old instance's last record (killed $(((kill_ns - gs) / 1000000)) ms after it) to the new one's first"

n=$(lines "$TMP/out/intervals.jsonl")
both_after() {	# records of both links started at or after $1
	[ "$(jq -r "select((.start_ns | tonumber) >= $1) | .link" "$TMP/out/intervals.jsonl" | sort -u | wc -l)" = 2 ]
}
wait_for 20 both_after "$ge" ||
	fail "probing did not resume on both links"
wait_for 20 at_least "$TMP/out/intervals.jsonl" $((n + 40)) || fail "records stopped after the restart"
ok "probing resumed on both links"

kill -TERM "$SERVE_PID"
wait_for 20 bash -c "! kill -0 $SERVE_PID 2>/dev/null" || fail "serve did not stop on SIGTERM"
wait "$SERVE_PID"
rc=$?
SERVE_PID=""
[ $rc = 0 ] || fail "serve exited $rc on SIGTERM, want 0"
kill -0 "$new" || fail "serve's SIGTERM stopped the dataplane"
for l in 0 1; do
	g=$(jq -r ".links[$l].gaps" "$TMP/out/summary.json")
	gsum=$(jq -r ".links[$l].gap_s" "$TMP/out/summary.json")
	loss=$(jq -r ".links[$l].loss_ratio" "$TMP/out/summary.json")
	[ "$g" -ge 1 ] || fail "summary.json links[$l]: gaps $g, want the restart's"
	fcmp "$gsum >= $len - 0.3" || fail "summary.json links[$l]: gap_s $gsum < the gap's $len s"
	fcmp "$loss < 0.01" || fail "summary.json links[$l]: loss ratio $loss: the gap counted as loss?"
done
ok "summary.json: the gap under gaps/gap_s, loss ratios $(jq -c '[.links[].loss_ratio]' "$TMP/out/summary.json"); serve exit 0; the dataplane runs on"
