#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# An outage is visible as one, at once: link a blackholed mid-run (XDP
# reflectors). The first live line of link a printed a second or more after
# the blackhole began shows the probes outstanding past their round trip
# ("out N") and "OUTAGE: no replies for X s", before the loss timeout has made
# them lost; link b's lines do not. The summary names the outage of link a
# (summary.json links[].outage, verdict "outage", a line) and the run exits 3
# (complete, not clean). The interval records carry outstanding/overdue.
. "$(dirname "$0")/lib.sh"

lab_begin
stamp() { while IFS= read -r l; do echo "$(date +%s%N) $l"; done; }
"$MP" run "$TMP/lab.json" --duration 9 --out "$TMP/out" > >(stamp >"$TMP/run.log") 2>&1 &
RUN_PID=$!
sleep 3
on_ns=$(date +%s%N)	# (the impairment takes effect after this, never before)
"$MP" lab impair a blackhole=on >/dev/null || fail "lab impair a blackhole=on"
echo "$(date +%s%N) blackhole on" >>"$TMP/marks"
sleep 3
"$MP" lab impair a blackhole=off >/dev/null || fail "lab impair a blackhole=off"
rc=0
wait $RUN_PID || rc=$?
RUN_PID=
sleep 0.2
first=$(awk -v t=$((on_ns + 1000000000)) '$1 >= t && $2 == "a" { print; exit }' "$TMP/run.log")
[ -n "$first" ] || { cat "$TMP/run.log"; fail "no live line of link a after the blackhole"; }
[ -n "${MP_TEST_VERBOSE:-}" ] && { echo "on $on_ns"; cat "$TMP/marks" "$TMP/run.log"; }
grep -q 'OUTAGE: no replies for' <<<"$first" || { cat "$TMP/run.log"; fail "first line a second into the outage does not say OUTAGE: $first"; }
grep -Eq ' out [1-9][0-9]*' <<<"$first" || fail "first line of the outage shows no outstanding probes: $first"
ok "a second into the blackhole: ${first#* }"
if awk '$2 == "b"' "$TMP/run.log" | grep -q OUTAGE; then
	fail "link b (not blackholed) shows an OUTAGE"
fi
[ $rc = 3 ] || { cat "$TMP/run.log"; fail "run with an outage exited $rc, want 3"; }
[ "$(j .complete)" = true ] || fail "summary not complete"
[ "$(j .verdict)" = outage ] || fail "verdict $(j .verdict), want outage"
longest=$(j '.links[] | select(.name == "a") | .outage.longest_s')
fcmp "$longest >= 2.5 && $longest <= 4.5" || fail "link a outage longest_s $longest for a 3 s blackhole"
[ "$(j '.links[] | select(.name == "b") | .outage')" = null ] || fail "link b has an outage in the summary"
grep -q 'link a: OUTAGE: no replies for up to' "$TMP/run.log" || fail "no summary line names the outage of link a"
grep -q 'complete, verdict outage' "$TMP/run.log" || fail "the last line does not give the verdict"
ok "summary: link a outage longest ${longest} s, verdict outage, exit 3"
n=$(jq -s '[.[] | select(.type == "interval" and .link == "a" and .overdue > 0)] | length' "$TMP/out/intervals.jsonl")
[ "$n" -ge 20 ] || fail "only $n interval records of link a with overdue probes"
ok "$n interval records of link a with overdue probes"

# every probe lost: the same verdict, said as such
"$MP" lab impair b blackhole=on >/dev/null || fail "lab impair b blackhole=on"
rc=0
"$MP" run "$TMP/lab.json" --duration 3 --out "$TMP/out2" --quiet >"$TMP/run2.log" 2>&1 || rc=$?
[ $rc = 3 ] || { cat "$TMP/run2.log"; fail "run with link b 100% lost exited $rc, want 3"; }
grep -q 'link b: OUTAGE: no replies at all, 100% loss' "$TMP/run2.log" ||
	{ cat "$TMP/run2.log"; fail "--quiet run does not say link b lost everything"; }
[ "$(jq '.links[] | select(.name == "b") | .all_lost' "$TMP/out2/summary.json")" = true ] ||
	fail "summary: link b all_lost is not true"
ok "link b 100% lost: exit 3, said in the summary even with --quiet"
