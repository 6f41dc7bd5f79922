#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# A rate the lab cannot reach (link a at 1 Mpps over af_packet on a 2-vCPU
# VM): the live lines say "RATE SHORTFALL", the summary has a line for it and
# links[].rate_shortfall (configured and achieved probes/s, skipped), the
# verdict is rate_shortfall and the run exits 4. Link b (1000 probes/s) has none.
. "$(dirname "$0")/lib.sh"

lab_begin
jq '.links[0].rate = "1Mpps" | .links[0].frame_size = 64' "$TMP/lab.json" >"$TMP/fast.json"
rc=0
"$MP" run "$TMP/fast.json" --duration 4 --out "$TMP/out" >"$TMP/run.log" 2>&1 || rc=$?
[ $rc = 4 ] || { cat "$TMP/run.log"; fail "run exited $rc, want 4 (rate shortfall)"; }
grep -Eq '^a .*RATE SHORTFALL: [0-9.]+% of the rate sent' "$TMP/run.log" ||
	{ cat "$TMP/run.log"; fail "no live line of link a says RATE SHORTFALL"; }
grep -Eq '^b .*RATE SHORTFALL' "$TMP/run.log" && fail "link b (1000 pps) shows a shortfall"
grep -q '^link a: RATE SHORTFALL: [0-9]* probes/s achieved of 1000000 configured' "$TMP/run.log" ||
	{ cat "$TMP/run.log"; fail "the summary does not say link a fell short"; }
[ "$(j .verdict)" = rate_shortfall ] || fail "verdict $(j .verdict)"
[ "$(j .complete)" = true ] || fail "summary not complete"
conf=$(j '.links[0].rate_shortfall.configured_pps')
ach=$(j '.links[0].rate_shortfall.achieved_pps')
skipped=$(j '.links[0].rate_shortfall.skipped')
sent=$(j '.links[0].sent')
[ "$conf" = 1000000 ] || fail "configured_pps $conf"
fcmp "$ach < 990000 && $ach > 0" || fail "achieved_pps $ach"
[ "$(j '.links[1].rate_shortfall')" = null ] || fail "link b has a rate_shortfall"
ok "link a: $ach of $conf probes/s ($sent sent, $skipped skipped), exit 4, said live and in the summary"
