#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Path (issue 10, item 4) over the lab: short runs with a round of path
# probes every second put both links' hop lists in summary.json's
# diversity.path, the records in paths.jsonl, and `metroprobe diversity
# DIR` replays them to the same object.
# (a) diverse: no provider router shared; when rtr-a starts answering from
#     another address in the middle of the run, a path_change event of
#     link a says old and new;
# (b) shared-conduit: the conduit (203.0.113.3, the lab's routers answer
#     from their own addresses) in shared_hops, named first hop and not
#     expected, and the verdict SHARED-RISK with a reason naming it;
# (c) standard: hop lists on both links (NOT-DIVERSE by configuration);
#     with "path": false no paths.jsonl, path null with its reason, and the
#     replay still works.
. "$(dirname "$0")/lib.sh"

CONDUIT=203.0.113.3
pj() { j ".diversity.path$1"; }

# path rounds every second
path_every_second() {
	jq '.path = {"interval_ms": 1000}' "$TMP/lab.json" >"$TMP/lab.json.new" &&
		mv "$TMP/lab.json.new" "$TMP/lab.json" || fail "cannot set path in lab.json"
}

# both_lists WHAT: each link's hop list has a router and ends at its reflector
both_lists() {
	local l refl last n
	for l in a b; do
		refl=$(jq -r --arg l $l '.links[] | select(.name == $l) | .reflector' "$TMP/lab.json")
		n=$(pj ".$l | length")
		last=$(pj ".$l[-1]")
		[ "$n" -ge 2 ] && [ "$last" = "$refl" ] ||
			{ j .diversity.path; fail "$1: link $l's hops $(pj ".$l | join(\" \")"), want routers then $refl"; }
		[ "$(pj ".rounds.$l")" -ge 2 ] || fail "$1: link $l had $(pj ".rounds.$l") rounds"
	done
	[ -s "$TMP/out/paths.jsonl" ] || fail "$1: no paths.jsonl"
}

# replay_same WHAT: metroprobe diversity DIR --json gives the run's path object
replay_same() {
	"$MP" diversity "$TMP/out" --json >"$TMP/replay.json" || fail "$1: metroprobe diversity failed"
	jq -S .path "$TMP/replay.json" >"$TMP/r1" && jq -S .diversity.path "$TMP/out/summary.json" >"$TMP/r2" &&
		cmp -s "$TMP/r1" "$TMP/r2" || { diff "$TMP/r1" "$TMP/r2"; fail "$1: the replay's path differs"; }
}

# --- (a) diverse, and a path change in the middle of the run ---
lab_begin
path_every_second
( sleep 3
  ip -n mp-rtr-a addr add 203.0.113.9/32 dev lo &&
  ip -n mp-rtr-a route replace 192.0.2.0/30 dev mpa-ri src 203.0.113.9 proto kernel scope link
) >"$TMP/change.log" 2>&1 &
CH_PID=$!
probe_run 6
wait $CH_PID || { cat "$TMP/change.log"; fail "(a) could not change rtr-a's source address"; }
[ "$RUN_RC" = 0 ] || { cat "$TMP/run.log"; fail "(a) run exited $RUN_RC"; }
both_lists "(a) diverse"
pj '.shared_hops[]' | grep -q '^203\.0\.113\.' && fail "(a) diverse shares a provider router: $(pj .shared_hops)"
[ "$(pj '.shared_hops | length')" = 0 ] || fail "(a) diverse shares hops: $(pj .shared_hops)"
[ "$(j .diversity.verdict)" != SHARED-RISK ] || { j .diversity; fail "(a) verdict SHARED-RISK"; }
jq -e -s 'map(select(.event == "path_change" and .link == "a" and (.old | index("203.0.113.1"))
	and (.new | index("203.0.113.9")))) | length >= 1' "$TMP/out/events.jsonl" >/dev/null ||
	{ grep path_change "$TMP/out/events.jsonl"; fail "(a) no path_change of link a from 203.0.113.1 to .9"; }
grep '"event":"path_change"' "$TMP/out/events.jsonl" | grep -q '"link":"b"' &&
	fail "(a) a path change of link b, which did not change"
[ "$(pj '.changes[0].link')" = a ] || fail "(a) diversity.path.changes: $(pj .changes)"
replay_same "(a)"
ok "(a) diverse: hops a $(pj '.a | join(" ")'), b $(pj '.b | join(" ")'), none shared; rtr-a's new address a path_change"
lab_end

# --- (b) shared-conduit: the conduit shared, named ---
lab_begin --topology shared-conduit
path_every_second
probe_run 4
[ "$RUN_RC" = 0 ] || { cat "$TMP/run.log"; fail "(b) run exited $RUN_RC"; }
both_lists "(b) shared-conduit"
[ "$(pj '.shared_hops | join(" ")')" = "$CONDUIT" ] || fail "(b) shared_hops $(pj .shared_hops), want $CONDUIT"
[ "$(pj .first_hop_shared.addr)" = "$CONDUIT" ] && [ "$(pj .first_hop_shared.expected)" = false ] ||
	fail "(b) first_hop_shared $(pj .first_hop_shared)"
[ "$(j .diversity.verdict)" = SHARED-RISK ] || { j .diversity; fail "(b) verdict $(j .diversity.verdict)"; }
j '.diversity.reasons[]' | grep -qF "$CONDUIT" || fail "(b) no reason names $CONDUIT: $(j .diversity.reasons)"
grep -q "^diversity: SHARED-RISK" "$TMP/run.log" || fail "(b) the verdict is not printed"
replay_same "(b)"
ok "(b) shared-conduit: $CONDUIT on both links, SHARED-RISK: $(j '.diversity.reasons[0]')"
lab_end

# --- (c) standard; and without path probes ---
lab_begin --topology standard
path_every_second
probe_run 4
[ "$RUN_RC" = 0 ] || { cat "$TMP/run.log"; fail "(c) run exited $RUN_RC"; }
both_lists "(c) standard"
[ "$(j .diversity.verdict)" = NOT-DIVERSE ] || fail "(c) verdict $(j .diversity.verdict)"
ok "(c) standard: hops a $(pj '.a | join(" ")'), b $(pj '.b | join(" ")')"
rm -rf "$TMP/out"
jq '.path = false' "$TMP/lab.json" >"$TMP/off.json" || fail "cannot write off.json"
RUN_RC=0
"$MP" run "$TMP/off.json" --duration 2 --out "$TMP/out" --quiet >"$TMP/run.log" 2>&1 || RUN_RC=$?
[ "$RUN_RC" = 0 ] || { cat "$TMP/run.log"; fail "(c) path off: run exited $RUN_RC"; }
[ -e "$TMP/out/paths.jsonl" ] && fail "(c) path off: paths.jsonl written"
[ "$(j .diversity.path)" = null ] && [ -n "$(j '.diversity.path_reason // empty')" ] ||
	fail "(c) path off: path $(j .diversity.path), reason $(j .diversity.path_reason)"
"$MP" diversity "$TMP/out" --json | jq -e '.path == null and (.path_reason | length > 0)' >/dev/null ||
	fail "(c) path off: the replay without paths.jsonl"
ok "(c) path off: no paths.jsonl, path null ($(j .diversity.path_reason)); the replay agrees"
lab_end

echo "PASS: lab_path"
exit 0
