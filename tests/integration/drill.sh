#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The failover drill (docs/drill.md) on the routed lab (real FRR eBGP, BFD
# 300 ms x 3). A blackhole drill of link a: its pinned probes unanswered
# within 100 ms of the cut's start (the far end drops them at once; the
# lab's cut takes some 30 ms, two XDP programs), the CE's route
# to the VNet over b after 500..3000 ms (BFD's 900 ms, less up to one
# transmit interval, plus zebra and bgpd: measured 767..959 ms by
# bench/routed_convergence.py; the tolerance leaves room for a busy 2-vCPU
# machine), back over a after the restore, b carrying its own probes
# without loss meanwhile, drill.json with the agreed keys, the events, and
# link a answering again after the drill. A carrier drill: the route moves
# within 500 ms, sooner than the blackhole's. With a service link in the
# lab's config (issue 13's "kind": "service"), its gap must match the same
# bounds; without one that part is skipped, saying so. Last, Ctrl-C during
# the hold: exit 130, the link restored (the report says why), answering.
. "$(dirname "$0")/lib.sh"

need_routed

lab_begin --routed
SVC=$(jq '[.links[] | select(.kind == "service")] | length' "$TMP/lab.json")

# dj DIR FILTER: jq over DIR/drill.json
dj() { jq -r "$2" "$TMP/$1/drill.json"; }
# in_range V LO HI: LO <= V <= HI (V a number, not null)
in_range() { [ "$1" != null ] && fcmp "$1 >= $2 && $1 <= $3"; }

# drill NAME ARGS...: a drill of link a into $TMP/NAME; sets DRILL_RC
drill() {
	local name=$1
	shift
	DRILL_RC=0
	"$MP" drill "$TMP/lab.json" --link a --out "$TMP/$name" --hold-s 3 --recover-s 20 "$@" \
		>"$TMP/$name.log" 2>&1 || DRILL_RC=$?
}

# answers_again WHAT: the lab shows link a not cut, and its pinned probes are answered
answers_again() {
	[ "$("$MP" lab status --json | jq -r '.routing.links.a.cut')" = none ] ||
		fail "$1: lab status says link a is still cut"
	probe_run 2
	local s r
	s=$(j '.links[] | select(.name == "a") | .sent')
	r=$(j '.links[] | select(.name == "a") | .received')
	[ "$s" -gt 100 ] && [ "$r" -ge $((s * 99 / 100)) ] || fail "$1: link a received $r of $s after the drill"
}

# common NAME METHOD: what every completed drill's report must say
common() {
	local n=$1 k
	for k in cut_link cut_method detection_ms service_gap_ms service_lost service_link_before \
		 service_link_during service_link_after surviving_link_sla_ok recovery_ms timeline \
		 resolution actions lab_routing; do
		[ "$(dj "$n" "has(\"$k\")")" = true ] || fail "$n: drill.json has no $k"
	done
	[ "$(dj "$n" '[.cut_link, .cut_method, .cut, .restored, .refused] | map(tostring) | join(" ")')" = \
	  "a $2 true true false" ] || fail "$n: $(dj "$n" '[.cut_link, .cut_method, .cut, .restored, .refused]')"
	[ "$(dj "$n" '[.actions[] | select(.ok)] | length')" = 2 ] || fail "$n: not 2 actions done: $(dj "$n" .actions)"
	[ "$(dj "$n" .resolution.interval_ms)" = 10 ] || fail "$n: resolution not 10 ms"
	in_range "$(dj "$n" .detection_ms)" 0 100 ||
		fail "$n: link a's probes stopped $(dj "$n" .detection_ms) ms after the cut began (0..100 expected)"
	in_range "$(dj "$n" .recovery_ms)" 0 5000 ||
		fail "$n: link a answered $(dj "$n" .recovery_ms) ms after the restore"
	[ "$(dj "$n" .surviving_link_sla_ok)" = true ] ||
		fail "$n: link b missed its SLA during the cut: $(dj "$n" .surviving_link_sla)"
	[ "$(dj "$n" .lab_routing.back_ms)" != null ] || fail "$n: the CE's route never came back over a"
	for k in drill_precheck drill_cut drill_detected drill_restore drill_recovered; do
		grep -q "\"event\":\"$k\"" "$TMP/$n/events.jsonl" || fail "$n: no $k event in events.jsonl"
	done
	if [ "$SVC" -gt 0 ]; then
		[ "$(dj "$n" '[.service_link_before, .service_link_during, .service_link_after] | join(" ")')" = "a b a" ] ||
			fail "$n: the service was not carried a, b, a: $(dj "$n" '[.service_link_before, .service_link_during, .service_link_after]')"
		[ "$(dj "$n" .service_lost)" -gt 0 ] || fail "$n: the service lost nothing"
	else
		[ "$(dj "$n" .service_gap_ms)" = null ] && [ "$(dj "$n" .service_reason)" != null ] ||
			fail "$n: no service link, yet service_gap_ms is not null with a reason"
	fi
}

# --- blackhole: BFD must notice ---
drill bh --method blackhole
[ "$DRILL_RC" = 0 ] || { cat "$TMP/bh.log"; fail "the blackhole drill exited $DRILL_RC"; }
common bh blackhole
BH=$(dj bh .lab_routing.failover_ms)
in_range "$BH" 500 3000 || { cat "$TMP/bh.log"; fail "blackhole: the CE's route moved to b after $BH ms (BFD 300 ms x 3: 500..3000 expected)"; }
ok "blackhole drill: link a silent $(dj bh .detection_ms) ms after the cut, the VNet over b after $BH ms (500..3000), back $(dj bh .lab_routing.back_ms) ms after the restore, b within its SLA"
if [ "$SVC" -gt 0 ]; then
	in_range "$(dj bh .service_gap_ms)" 500 3000 || fail "blackhole: service gap $(dj bh .service_gap_ms) ms (500..3000 expected)"
	ok "blackhole drill: the service stream's gap $(dj bh .service_gap_ms) ms, $(dj bh .service_lost) probes lost"
else
	echo "skip - service gap checks: the lab's config has no service link (kind: service)"
fi
answers_again "after the blackhole drill"

# --- carrier: the CE sees its port go down ---
drill ca --method carrier
[ "$DRILL_RC" = 0 ] || { cat "$TMP/ca.log"; fail "the carrier drill exited $DRILL_RC"; }
common ca carrier
CA=$(dj ca .lab_routing.failover_ms)
in_range "$CA" 0 500 && fcmp "$CA < $BH" ||
	fail "carrier: the CE's route moved to b after $CA ms (0..500, and below the blackhole's $BH expected)"
ok "carrier drill: link a silent $(dj ca .detection_ms) ms after the cut, the VNet over b after $CA ms (blackhole: $BH ms), back $(dj ca .lab_routing.back_ms) ms after the restore"
if [ "$SVC" -gt 0 ]; then
	G=$(dj ca .service_gap_ms)
	in_range "$G" 0 500 && fcmp "$G < $(dj bh .service_gap_ms)" || fail "carrier: service gap $G ms"
	ok "carrier drill: the service stream's gap $G ms"
fi
answers_again "after the carrier drill"

# --- the user's commands (as on real links): run, logged, exit status checked ---
drill cmd --hold-s 2 --yes --cut-command "$MP lab cut a --method blackhole" \
	--restore-command "$MP lab restore a"
[ "$DRILL_RC" = 0 ] || { cat "$TMP/cmd.log"; fail "the drill by commands exited $DRILL_RC"; }
[ "$(dj cmd '[.mode, .cut_method, (.actions | map(.exit_code) | map(tostring) | join(","))] | join(" ")')" = "commands command 0,0" ] ||
	fail "drill by commands: $(dj cmd '[.mode, .cut_method, .actions]')"
grep -q "cut by blackhole" "$TMP/cmd/cut.log" && grep -q "restored from blackhole" "$TMP/cmd/restore.log" ||
	fail "the commands' output is not in cut.log and restore.log"
in_range "$(dj cmd .detection_ms)" 0 500 || fail "drill by commands: detection $(dj cmd .detection_ms) ms"
ok "drill by --cut-command/--restore-command: both ran (exit 0, output logged), link a silent $(dj cmd .detection_ms) ms after"
answers_again "after the drill by commands"

# a cut command that fails: the restore runs all the same, the drill fails
drill bad --hold-s 2 --yes --cut-command "echo no such router; exit 3" --restore-command "echo restored"
[ "$DRILL_RC" = 1 ] || { cat "$TMP/bad.log"; fail "a failing cut command: exit $DRILL_RC, not 1"; }
[ "$(dj bad '[.failed, .restored, .actions[0].exit_code, .actions[1].what] | map(tostring) | join(" ")')" = "true true 3 restore" ] ||
	fail "a failing cut command: $(dj bad '[.failed, .restored, .actions]')"
ok "a cut command that exits 3: the drill restores anyway and exits 1"

# --- Ctrl-C during the hold: restored, and said so ---
"$MP" drill "$TMP/lab.json" --link a --out "$TMP/int" --hold-s 60 >"$TMP/int.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
	grep -q "link a cut by" "$TMP/int.log" && break
	sleep 0.2
done
grep -q "link a cut by" "$TMP/int.log" || { kill -INT $pid; wait $pid; cat "$TMP/int.log"; fail "the drill did not cut"; }
sleep 1
kill -INT $pid
rc=0
wait $pid || rc=$?
[ "$rc" = 130 ] || { cat "$TMP/int.log"; fail "interrupted drill exited $rc, not 130"; }
grep -q "restoring link a: interrupted" "$TMP/int.log" || { cat "$TMP/int.log"; fail "the interrupted drill did not say it restores"; }
[ "$(dj int '.restored')" = true ] && dj int '.actions[1].why' | grep -q interrupted ||
	fail "drill.json of the interrupted drill: $(dj int '[.restored, .actions]')"
answers_again "after the interrupted drill"
ok "Ctrl-C during the hold: exit 130, link a restored ($(dj int '.actions[1].why')) and answering"

# --- the pre-check: a surviving link that does not answer is refused, nothing cut ---
"$MP" lab impair b blackhole=on >/dev/null || fail "lab impair b blackhole=on"
drill ref --method blackhole
"$MP" lab impair b blackhole=off >/dev/null || fail "lab impair b blackhole=off"
[ "$DRILL_RC" = 4 ] || { cat "$TMP/ref.log"; fail "a drill with b dark exited $DRILL_RC, not 4"; }
[ "$(dj ref '[.refused, .cut, (.actions | length)] | map(tostring) | join(" ")')" = "true false 0" ] ||
	fail "refused drill: $(dj ref '[.refused, .cut, .actions]')"
[ "$("$MP" lab status --json | jq -r '.routing.links.a.cut')" = none ] || fail "the refused drill cut link a"
ok "pre-check: link b dark, the drill refused ($(dj ref .refused_reason)) and cut nothing"
