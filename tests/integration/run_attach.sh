#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# run --attach: a dataplane started by hand on a stable socket path with
# --control-lost keep; control attached; control killed (SIGKILL) and a new
# control attached on the same path and output directory; the interval
# records continue without a gap or a repeat across the two controls (the
# dataplane kept what it measured while no control was there and sent what
# follows the last record written), and the second control's run ends
# complete when the dataplane ends. run_resume.sh is the harder drill.
. "$(dirname "$0")/lib.sh"

lab_begin
HP_KNOB=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
hp_before=$(cat $HP_KNOB 2>/dev/null || echo 0)
# the dataplane's command line as a run would start it, on our socket, for 14 s
attached_dp mp-run-attach 14000 "$TMP/dp.sock"

# a dataplane needs a control listening when it starts: the first control
"$MP" run "$TMP/lab.json" --attach "$sock" --out "$TMP/out" --quiet >"$TMP/run1.log" 2>&1 &
RUN_PID=$!
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || { cat "$TMP/run1.log"; fail "run --attach does not listen on $sock"; }
# shellcheck disable=SC2086
"$MP" hugepages --pages "${pages:-0}" -- ip netns exec "$ns" $args >"$TMP/dp.log" 2>&1 &
HP_PID=$!

lines() { [ -f "$1" ] && wc -l <"$1" || echo 0; }
for _ in $(seq 100); do [ "$(lines "$TMP/out/intervals.jsonl")" -ge 6 ] && break; sleep 0.1; done
[ "$(lines "$TMP/out/intervals.jsonl")" -ge 6 ] ||
	{ cat "$TMP/run1.log" "$TMP/dp.log"; fail "the first control got no records"; }
kill -9 $RUN_PID
wait $RUN_PID 2>/dev/null
RUN_PID=
n1=$(lines "$TMP/out/intervals.jsonl")
ok "first control attached: $n1 interval records, then killed"

# records pile up in the dataplane while no control is there
sleep 3
kill -0 "$(dp_pid)" 2>/dev/null || { cat "$TMP/dp.log"; fail "the dataplane ended when control was killed"; }
rc=0
timeout 40 "$MP" run "$TMP/lab.json" --attach "$sock" --out "$TMP/out" --quiet >"$TMP/run2.log" 2>&1 || rc=$?
wait $HP_PID 2>/dev/null
[ $rc = 0 ] || { cat "$TMP/run2.log"; tail -5 "$TMP/dp.log"; fail "the second control: exit $rc, want 0"; }
n2=$(($(lines "$TMP/out/intervals.jsonl") - n1))
[ "$(jq -r .complete "$TMP/out/summary.json")" = true ] || fail "the second run is not complete"
[ "$(jq -r .dataplane_attached "$TMP/out/summary.json")" = "$sock" ] ||
	fail "summary.json does not name the socket it attached on"
[ "$(jq -r .records "$TMP/out/summary.json")" = "$n2" ] || fail "summary records != $n2 lines"
grep -q '"type":"end","reason":"duration"' "$TMP/out/events.jsonl" ||
	fail "the dataplane's end record did not reach the second control"
# the dataplane sends its hello first to each control; it is written once
head -n 1 "$TMP/out/events.jsonl" | grep -q '"type":"hello"' ||
	fail "events.jsonl does not begin with the dataplane's hello"
[ "$(grep -c '"type":"hello"' "$TMP/out/events.jsonl")" = 1 ] || fail "the hello is written twice"
[ "$(jq '[.links[].frame_size_sent] | map(select(. != null)) | length' "$TMP/out/summary.json")" = 2 ] ||
	fail "the second control's summary lacks frame_size_sent (from the hello)"

# the sequence per link across the two controls: every number once, none missing
for link in $(jq -r '.links[].name' "$TMP/lab.json"); do
	seqs=$(jq -r --arg l "$link" 'select(.link == $l) | .seq' "$TMP/out/intervals.jsonl")
	first=$(sort -n <<<"$seqs" | head -1)
	last=$(sort -n <<<"$seqs" | tail -1)
	n=$(wc -l <<<"$seqs")
	dups=$(sort -n <<<"$seqs" | uniq -d | head -3 | tr '\n' ' ')
	[ -z "$dups" ] || fail "link $link: records repeated across the controls: $dups"
	[ $((last - first + 1)) = "$n" ] ||
		fail "link $link: $n records for seq $first..$last: a gap ($(sort -n <<<"$seqs" | tr '\n' ' '))"
	in2=$(tail -n +$((n1 + 1)) "$TMP/out/intervals.jsonl" | jq -r --arg l "$link" 'select(.link == $l) | .seq' | head -1)
	last1=$(head -n "$n1" "$TMP/out/intervals.jsonl" | jq -r --arg l "$link" 'select(.link == $l) | .seq' | tail -1)
	[ "$in2" = $((last1 + 1)) ] || fail "link $link: the second control starts at $in2, not $((last1 + 1))"
	ok "link $link: seq $first..$last without a gap ($last1 in the first control, $in2 next)"
done
# the backlog: records of the seconds without a control reached the second one
gone=$(jq -r '.start_unix_ns' "$TMP/out/summary.json")
early=$(tail -n +$((n1 + 1)) "$TMP/out/intervals.jsonl" |
	jq -r --argjson t "$gone" 'select((.end_ns | tonumber) < $t) | .seq' | wc -l)
[ "$early" -ge 2 ] || fail "only $early records measured before the second control came: no backlog"
ok "the second control got $early records measured while no control was there, $n2 in all, exit 0"

hp_after=$(cat $HP_KNOB 2>/dev/null || echo 0)
[ "$hp_after" = "$hp_before" ] || fail "nr_hugepages $hp_before before, $hp_after after"
ok "nr_hugepages back to $hp_before"
