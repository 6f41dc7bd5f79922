#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Outputs a reader can follow while a run goes on: during a continuous run
# (duration 0), at any moment, every line of intervals.jsonl and
# events.jsonl is a whole JSON record ending in a newline, and events.jsonl
# has the hello and the next-hop events as soon as they were made.
. "$(dirname "$0")/lib.sh"

lab_begin
"$MP" run "$TMP/lab.json" --duration 0 --out "$TMP/out" >"$TMP/run.log" 2>&1 &
RUN_PID=$!
# wait for the first event line on the terminal
for i in $(seq 100); do
	grep -q '^event: ' "$TMP/run.log" && break
	sleep 0.1
done
grep -q '^event: ' "$TMP/run.log" || { cat "$TMP/run.log"; fail "no event printed within 10 s"; }
sleep 0.2
[ -s "$TMP/out/events.jsonl" ] || fail "events.jsonl is empty although an event was printed"
grep -q '"next_hop_resolved"' "$TMP/out/events.jsonl" ||
	fail "the printed event is not in events.jsonl: $(cat "$TMP/out/events.jsonl")"
ok "events.jsonl has the printed event at once"
# sample both files while the run goes on
for k in $(seq 20); do
	for f in intervals events; do
		p="$TMP/out/$f.jsonl"
		cp "$p" "$TMP/snap.jsonl"
		[ -s "$TMP/snap.jsonl" ] || fail "sample $k: $f.jsonl is empty"
		[ "$(tail -c 1 "$TMP/snap.jsonl" | od -An -c | tr -d ' ')" = '\n' ] ||
			fail "sample $k: $f.jsonl ends in half a line"
		jq -c . "$TMP/snap.jsonl" >/dev/null 2>&1 || fail "sample $k: $f.jsonl has a line jq cannot parse"
	done
	sleep 0.13
done
n=$(wc -l <"$TMP/out/intervals.jsonl")
ok "20 samples over 3 s: every line of both files whole ($n interval records so far)"
kill -INT $RUN_PID
wait $RUN_PID
RUN_PID=

# Numbers: 64-bit times and counts are exact integer literals, never doubles
# (1.7963769805510961e+18); fields are named after their unit.
S="$TMP/out/summary.json"
grep -Eq '"start_unix_ns":[[:space:]]*[0-9]{19},' "$S" || fail "start_unix_ns is not a 19-digit integer: $(grep start_unix_ns "$S")"
grep -Eq '"end_unix_ns":[[:space:]]*[0-9]{19},' "$S" || fail "end_unix_ns is not a 19-digit integer"
grep -Eq '[0-9]e[+-]?[0-9]' "$S" && fail "summary.json has a number with an exponent: $(grep -E '[0-9]e[+-]?[0-9]' "$S")"
[ "$(jq '.start_unix_ns | type' "$S")" = '"number"' ] || fail "start_unix_ns is not a JSON number"
grep -q '"rate_mpps"' "$TMP/out/events.jsonl" "$TMP/out/intervals.jsonl" && fail "a record still says rate_mpps (milli-pps)"
[ "$(jq -s 'map(select(.type == "hello"))[0].links[0].rate_millipps' "$TMP/out/events.jsonl")" = 1000000 ] ||
	fail "hello: links[0].rate_millipps is not 1000000 for 1000 probes/s"
ok "summary.json: start_unix_ns $(jq .start_unix_ns "$S") exact, no exponents; rate_millipps"
