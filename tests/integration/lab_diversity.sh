#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The site-diversity verdict (issue 10) on the lab's topologies:
# (a) shared-conduit with the conduit flapping (down 1 s of every 3 s, 24 s
#     at 100 ms intervals): SHARED-RISK; both links down together as long as
#     the flaps within one interval (losses attributed to the windows their
#     probes were sent in); each episode raised as events while the run
#     goes, one line a window in pair.jsonl, and `metroprobe diversity DIR
#     --json` replays the run to the object in its summary.json;
# (b) diverse with rtr-a flapping alone: not SHARED-RISK, the pair always
#     available (link b rode through every flap);
# (d) diverse with link a blackholed for 5 s: pair availability 100%, not
#     SHARED-RISK;
# (c) standard: NOT-DIVERSE by configuration. The verdict never changes the
#     run's exit code.
. "$(dirname "$0")/lib.sh"

dv() { j ".diversity.$1"; }

# --- (a) shared-conduit, the conduit flapping ---
lab_begin --topology shared-conduit
"$MP" lab impair conduit flap=1/3 >/dev/null || fail "lab impair conduit flap=1/3"
probe_run 24
# the flaps are outages: exit 3 is the summary's verdict, not the diversity's
[ "$RUN_RC" = 3 ] || { cat "$TMP/run.log"; fail "(a) run exited $RUN_RC, want 3 (outage)"; }
grep -q '^diversity: SHARED-RISK' "$TMP/run.log" || { cat "$TMP/run.log"; fail "(a) no verdict printed"; }
[ "$(dv verdict)" = SHARED-RISK ] || { j .diversity; fail "(a) verdict $(dv verdict)"; }
joint=$(dv shared_fate.joint_impaired_s)
jdown=$(dv shared_fate.joint_down_s)
eps=$(dv 'shared_fate.episodes | length')
# every probe sent while the conduit is down is lost: the flaps' length is
# link a's lost probes at the lab's rate
rate=$(jq -r '.links[0].rate' "$TMP/lab.json" | sed 's/pps$//')
flaps=$(awk "BEGIN { print $(j '.links[0].lost') / $rate }")
fcmp "$jdown >= $flaps - 0.1 && $jdown <= $flaps + 0.1" ||
	{ j .diversity; fail "(a) both down $jdown s, the flaps $flaps s: not within one interval"; }
# whole windows: a flap out of step with the windows touches one more
fcmp "$joint >= $flaps - 0.1 && $joint <= $flaps + 0.1 * $eps + 0.1" ||
	{ j .diversity; fail "(a) joint impaired $joint s in $eps episodes, the flaps $flaps s"; }
n=$(grep -c '"event":"co_impairment"' "$TMP/out/events.jsonl")
ns=$(grep -c '"event":"co_impairment_start"' "$TMP/out/events.jsonl")
[ "$n" = "$eps" ] && [ "$ns" = "$n" ] && [ "$n" -ge 5 ] ||
	fail "(a) $n co_impairment events, $ns starts, $eps episodes"
# raised while the run went, not at its end
first=$(grep -m1 '"event":"co_impairment"' "$TMP/out/events.jsonl" | jq -r .t_unix_ns)
fcmp "$first < $(j .end_unix_ns) - 5e9" || fail "(a) the first episode was raised at the run's end"
[ "$(wc -l <"$TMP/out/pair.jsonl")" = "$(dv series.windows)" ] &&
	[ "$(grep -c '"both":true' "$TMP/out/pair.jsonl")" = "$(dv shared_fate.impaired_both)" ] ||
	fail "(a) pair.jsonl: $(wc -l <"$TMP/out/pair.jsonl") lines, $(dv series.windows) windows"
"$MP" diversity "$TMP/out" --json >"$TMP/replay.json" || fail "(a) metroprobe diversity failed"
jq -S . "$TMP/replay.json" >"$TMP/r1" && jq -S .diversity "$TMP/out/summary.json" >"$TMP/r2" &&
	cmp -s "$TMP/r1" "$TMP/r2" || { diff "$TMP/r1" "$TMP/r2"; fail "(a) the replay differs from summary.json"; }
"$MP" diversity "$TMP/out" | grep -q '^diversity: SHARED-RISK' || fail "(a) replay verdict"
# the path evidence names the conduit's router (203.0.113.3) as shared by both links
dv 'path.shared_hops[]' | grep -qx 203.0.113.3 ||
	{ j .diversity.path; fail "(a) the conduit 203.0.113.3 is not in path.shared_hops"; }
dv 'reasons[]' | grep -q 203.0.113.3 || { j .diversity.reasons; fail "(a) no reason names the conduit"; }
ok "(a) shared-conduit flapping: SHARED-RISK, flaps $flaps s, both down $jdown s ($joint s of whole windows), $n episodes raised live; the replay agrees"
lab_end

# --- (b) diverse, rtr-a flapping alone ---
lab_begin
"$MP" lab impair rtr-a flap=1/3 >/dev/null || fail "lab impair rtr-a flap=1/3"
rm -rf "$TMP/out"
probe_run 24
[ "$RUN_RC" = 3 ] || { cat "$TMP/run.log"; fail "(b) run exited $RUN_RC, want 3 (link a's outages)"; }
v=$(dv verdict)
[ "$v" != SHARED-RISK ] && [ "$v" != NOT-DIVERSE ] || { j .diversity; fail "(b) verdict $v"; }
[ "$(dv availability.pair)" = 1 ] || { j .diversity; fail "(b) pair availability $(dv availability.pair)"; }
[ "$(dv shared_fate.impaired_b)" -le 2 ] || { j .diversity; fail "(b) link b impaired"; }
[ "$(dv shared_fate.episodes_a)" -ge 5 ] || { j .diversity; fail "(b) link a's flaps not seen"; }
ok "(b) diverse, rtr-a flapping: $v, pair availability 1"
lab_end

# --- (d) diverse, link a blackholed for 5 s in the middle of a run ---
lab_begin
rm -rf "$TMP/out"
(sleep 4; "$MP" lab impair a blackhole=on >/dev/null; sleep 5; "$MP" lab impair a blackhole=off >/dev/null) &
bh=$!
probe_run 14
wait $bh
[ "$RUN_RC" = 3 ] || { cat "$TMP/run.log"; fail "(d) run exited $RUN_RC, want 3 (link a's outage)"; }
v=$(dv verdict)
[ "$v" != SHARED-RISK ] || { j .diversity; fail "(d) verdict $v for one link down"; }
[ "$(dv availability.pair)" = 1 ] || { j .diversity; fail "(d) pair availability $(dv availability.pair)"; }
fcmp "$(j .links[0].outage.longest_s) >= 4.5" || fail "(d) link a's outage $(j .links[0].outage.longest_s) s"
ok "(d) diverse, link a blackholed 5 s: $v, pair availability 1, link a down $(j .links[0].outage.longest_s) s"
lab_end

# --- (c) standard: one site ---
lab_begin --topology standard
rm -rf "$TMP/out"
probe_run 3
[ "$RUN_RC" = 0 ] || { cat "$TMP/run.log"; fail "(c) run exited $RUN_RC (the verdict must not change it)"; }
[ "$(dv verdict)" = NOT-DIVERSE ] || { j .diversity; fail "(c) verdict $(dv verdict)"; }
[ "$(dv configuration.circuit)" = standard ] && [ "$(dv configuration.distinct_locations)" = false ] ||
	fail "(c) configuration $(j .diversity.configuration)"
ok "(c) standard: NOT-DIVERSE by configuration, exit 0"
