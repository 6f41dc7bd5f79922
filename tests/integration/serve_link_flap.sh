#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Drill: one link's interface taken down for 4 s and up again (the lab's
# veth on the prober's side of link a). What serve reports: link a's
# records go on (not a gap: the dataplane still measures) with probes sent
# or refused by the interface (tx_failed) and none answered, link b is
# untouched, no dataplane restart and no gap; link a answers again after it is up; serve and its
# dataplane run on (link_down/link_up events come from the SLA sink). Then
# SIGTERM with --stop-dataplane stops both and gives back the hugepages.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"

serve_begin --listen none --stop-dataplane
ns=$(jq -r '.links[0].netns' "$TMP/lab.json")
ifc=$(jq -r '.links[0].port' "$TMP/lab.json" | sed -n 's/.*iface=\([^,]*\).*/\1/p')
[ -n "$ifc" ] || skip "link a's port names no interface"
pid=$(dp_pid_of)
down_ns=$(date +%s%N)
ip netns exec "$ns" ip link set "$ifc" down || fail "cannot take $ifc down"
sleep 4
up_ns=$(date +%s%N)
ip netns exec "$ns" ip link set "$ifc" up || fail "cannot bring $ifc up"
ok "$ifc (link a) down for 4 s, up again"
# a's replies come back (ARP may take a moment)
answered() {
	jq -r --argjson t "$up_ns" 'select(.link == "a" and (.start_ns | tonumber) > $t and .received > 0) | .seq' \
		"$TMP/out/intervals.jsonl" | grep -q .
}
wait_for 30 answered || fail "link a does not answer again after its interface is up"
sum() {	# sum LINK FIELD: over the records wholly inside the down time
	jq -s --arg l "$1" --argjson a "$((down_ns + 500000000))" --argjson b "$up_ns" \
		"[.[] | select(.link == \$l and (.start_ns | tonumber) > \$a and (.end_ns | tonumber) < \$b) | .$2] | add // 0" \
		"$TMP/out/intervals.jsonl"
}
sa=$(sum a sent); fa=$(sum a tx_failed); ra=$(sum a received); sb=$(sum b sent); rb=$(sum b received)
na=$(sum a 'seq | 1')
echo "while down: a $na records, sent $sa, refused by the interface $fa, received $ra; b sent $sb received $rb"
[ "$na" -ge 20 ] || fail "link a has $na records in the 3.5 s it was down: a gap, where the dataplane measured"
[ $((sa + fa)) -gt 0 ] || fail "link a tried no probe while its interface was down"
[ "$ra" = 0 ] || fail "link a received $ra replies while its interface was down"
[ "$rb" -gt 0 ] && fcmp "$rb >= $sb * 0.95" || fail "link b lost replies while a was down"
[ "$(dp_pid_of)" = "$pid" ] && kill -0 "$pid" || fail "the dataplane was restarted or died"
! ev gap | grep -q . || fail "a gap event for an interface down (the dataplane never stopped)"
kill -0 "$SERVE_PID" || fail "serve is gone"
echo "events serve wrote meanwhile:"
jq -r --argjson t "$down_ns" 'select((.time_ns // "0" | tonumber) > $t) | "  \(.link) \(.event // .type) \(.detail // "")"' \
	"$TMP/out/events.jsonl" | head -10
ok "link a: sent without replies while down, answered after; link b untouched; no gap, no restart"

# --stop-dataplane: SIGTERM stops both, the dataplane's end record comes
# first, and the pages serve reserved for it are given back
kill -TERM "$SERVE_PID"
wait "$SERVE_PID"
rc=$?
SERVE_PID=""
[ $rc = 0 ] || fail "serve --stop-dataplane exited $rc on SIGTERM"
wait_for 10 bash -c "! kill -0 $pid 2>/dev/null" || fail "--stop-dataplane left the dataplane running"
grep -q '"type":"end"' "$TMP/out/events.jsonl" || fail "the dataplane's end record did not reach serve"
[ "$(cat $HP_KNOB)" = "$HP_LAB" ] || fail "nr_hugepages $(cat $HP_KNOB), $HP_LAB before serve"
ok "SIGTERM with --stop-dataplane: the dataplane ended (its end record written), pages given back, exit 0"
