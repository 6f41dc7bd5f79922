#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The SLA sink over the lab (issue 11): the healthy lab meets the example
# SLA lab up writes (run exits 0, summary.json's sla has nothing breached);
# then link a's reflector is blackholed for 4 s mid-run: link_down for a
# within 2 s of the blackhole's start (the event's time against when the
# test applied it), link_up after it with the outage's length, and the
# per-link loss objective over a minute (a_loss_1m) raises sla_breach and,
# once the minute has passed, sla_clear. Link b stays up throughout. Then
# both links blackholed for 3 s: pair_down within 2 s, pair_up with the
# outage's length.
. "$(dirname "$0")/lib.sh"

lab_begin
ev() { jq -c "select(.type == \"event\" and .source == \"control\" and $1)" "$TMP/out/events.jsonl"; }

# 1. healthy: the example SLA holds, exit 0
probe_run 8
[ $RUN_RC = 0 ] || { cat "$TMP/run.log"; fail "healthy lab with the example SLA exited $RUN_RC, want 0"; }
[ "$(j .sla.configured)" = true ] || fail "summary.json has no configured sla"
n=$(j '.sla.objectives | length')
[ "$n" -ge 8 ] || fail "summary.json's sla has $n objectives, want the example's 8"
[ "$(j '.sla.breached | length')" = 0 ] || fail "healthy lab breached: $(j -c .sla.breached)"
[ "$(j '[.sla.objectives[] | select(.ok == false)] | length')" = 0 ] || fail "an objective not ok"
[ "$(ev '(.event | test("link_down|sla_breach"))' | wc -l)" = 0 ] || fail "events on a healthy lab: $(ev 'true')"
ok "healthy lab: $n objectives met, exit 0"
rm -rf "$TMP/out"

# 2. link a blackholed 4 s
"$MP" run "$TMP/lab.json" --duration 80 --out "$TMP/out" --quiet >"$TMP/run.log" 2>&1 &
RUN_PID=$!
sleep 4
on_ns=$(date +%s%N)	# the blackhole takes effect after this, never before
"$MP" lab impair a blackhole=on >/dev/null || fail "lab impair a blackhole=on"
sleep 4
off_ns=$(date +%s%N)
"$MP" lab impair a blackhole=off >/dev/null || fail "lab impair a blackhole=off"
rc=0
wait $RUN_PID || rc=$?
RUN_PID=
[ -n "${MP_TEST_VERBOSE:-}" ] && { echo "on $on_ns off $off_ns"; ev 'true'; }
[ $rc = 3 ] || { cat "$TMP/run.log"; fail "run with a blackhole exited $rc, want 3 (outage)"; }

down=$(ev '.event == "link_down" and .link == "a"' | head -1)
[ -n "$down" ] || { ev 'true'; fail "no link_down for link a"; }
down_ns=$(jq -r .t_unix_ns <<<"$down")
lag=$(( (down_ns - on_ns) / 1000000 ))
[ "$lag" -ge 0 ] && [ "$lag" -le 2000 ] || fail "link_down $lag ms after the blackhole began, want within 2000"
ok "link_down for a $lag ms after the blackhole began"

up=$(ev '.event == "link_up" and .link == "a"' | head -1)
[ -n "$up" ] || fail "no link_up for link a"
up_ns=$(jq -r .t_unix_ns <<<"$up")
[ "$up_ns" -gt "$off_ns" ] || fail "link_up before the blackhole ended"
outage=$(jq -r .outage_s <<<"$up")
fcmp "$outage >= 3.5 && $outage <= 5.5" || fail "link_up says an outage of $outage s for a 4 s blackhole"
ok "link_up for a, outage $outage s"
[ "$(ev '(.event == "link_down" or .event == "pair_down") and .link != "a"' | wc -l)" = 0 ] ||
	fail "link b or the pair went down: $(ev '.event == "link_down" or .event == "pair_down"')"

breach=$(ev '.event == "sla_breach" and .objective == "a_loss_1m"' | head -1)
[ -n "$breach" ] || { ev 'true'; fail "no sla_breach for a_loss_1m"; }
fcmp "$(jq -r .value <<<"$breach") > $(jq -r .threshold <<<"$breach")" || fail "breach value not above threshold: $breach"
[ "$(jq -r .window <<<"$breach")" = 1m ] || fail "breach window: $breach"
clear=$(ev '.event == "sla_clear" and .objective == "a_loss_1m"' | head -1)
[ -n "$clear" ] || { ev 'true'; fail "no sla_clear for a_loss_1m"; }
[ "$(jq -r .t_unix_ns <<<"$clear")" -gt "$(jq -r .t_unix_ns <<<"$breach")" ] || fail "clear before breach"
fcmp "$(jq -r .value <<<"$clear") <= $(jq -r .falling <<<"$clear")" || fail "clear value above falling: $clear"
ok "sla_breach ($(jq -r .value <<<"$breach") > $(jq -r .threshold <<<"$breach")) and sla_clear ($(jq -r .value <<<"$clear")) for a_loss_1m"
[ "$(j '.sla.links.a.outages')" = 1 ] || fail "summary sla.links.a.outages $(j .sla.links.a.outages)"
rem=$(j '.sla.objectives[] | select(.name == "a_loss_1m") | .budget_remaining')
fcmp "$rem < 1" || fail "a_loss_1m budget_remaining $rem after a breach"
ok "summary: a had 1 outage, a_loss_1m budget remaining $rem"

# 3. both links blackholed 3 s: pair_down within 2 s, pair_up with the outage's length
rm -rf "$TMP/out"
"$MP" run "$TMP/lab.json" --duration 12 --out "$TMP/out" --quiet >"$TMP/run.log" 2>&1 &
RUN_PID=$!
sleep 4
on_ns=$(date +%s%N)
"$MP" lab impair a blackhole=on >/dev/null && "$MP" lab impair b blackhole=on >/dev/null ||
	fail "lab impair a, b blackhole=on"
both_ns=$(date +%s%N)	# both are blackholed from here on
sleep 3
"$MP" lab impair a blackhole=off >/dev/null && "$MP" lab impair b blackhole=off >/dev/null ||
	fail "lab impair a, b blackhole=off"
rc=0
wait $RUN_PID || rc=$?
RUN_PID=
[ $rc = 3 ] || { cat "$TMP/run.log"; fail "run with both blackholed exited $rc, want 3 (outage)"; }
pd=$(ev '.event == "pair_down" and .link == "pair"' | head -1)
[ -n "$pd" ] || { ev 'true'; fail "no pair_down"; }
lag=$(( ($(jq -r .t_unix_ns <<<"$pd") - both_ns) / 1000000 ))
[ "$lag" -le 2000 ] || fail "pair_down $lag ms after both links were blackholed, want within 2000"
pu=$(ev '.event == "pair_up" and .link == "pair"' | head -1)
[ -n "$pu" ] || { ev 'true'; fail "no pair_up"; }
outage=$(jq -r .outage_s <<<"$pu")
fcmp "$outage >= 2 && $outage <= 4.5" || fail "pair_up says an outage of $outage s for about 3 s"
[ "$(j '.sla.links.pair.outages')" = 1 ] || fail "summary sla.links.pair.outages $(j .sla.links.pair.outages)"
ok "pair_down $lag ms after both links were blackholed, pair_up after $outage s"
