#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The service stream (docs/service-stream.md) over the routed lab (real FRR
# BGP and BFD): lab up --routed writes a third link, "svc", kind service,
# from mps-p via the CE to the VNet's reflector. A run of lab.json probes
# it along with the pinned links: it is answered, and its interval records
# say carried_by "a" (the link the CE's BGP prefers: local preference 200
# on a) while routing says a. Link a blackholed mid-run: after BFD and BGP
# the records say "b" and a service_carrier event says so; restored, they
# say "a" again; never "b" before the cut. summary.json's service_stream
# gives both links time. The pinned link b is answered throughout.
. "$(dirname "$0")/lib.sh"

need_routed

lab_begin --routed
[ "$(jq -r '.links[2].name + " " + .links[2].kind' "$TMP/lab.json")" = "svc service" ] ||
	fail "lab up --routed wrote no service link into lab.json"
[ "$("$MP" lab status --json | jq -r .routing.vnet_via)" = a ] ||
	fail "the lab does not route the VNet over a (preferred) after lab up"
ok "lab up --routed: lab.json has the service link svc; the CE routes the VNet over a"

# the run: 20 s; link a blackholed at ~7 s, restored at ~13 s
"$MP" run "$TMP/lab.json" --duration 20 --out "$TMP/out" --quiet >"$TMP/run.log" 2>&1 &
RUN_PID=$!
sleep 7
cut=$("$MP" lab cut a --method blackhole) || fail "lab cut a"
t_cut=$(echo "$cut" | sed -n 's/.* at \([0-9.]*\) .*/\1/p')
sleep 6
"$MP" lab restore a >"$TMP/restore.log" || fail "lab restore a"
t_restore=$(sed -n 's/.* at \([0-9.]*\) .*/\1/p' "$TMP/restore.log")
wait $RUN_PID
rc=$?
RUN_PID=
# 3: complete with an outage (link a's, the cut's); 5: an SLA objective of a missed
[ $rc = 0 ] || [ $rc = 3 ] || [ $rc = 5 ] || { cat "$TMP/run.log"; fail "run on the routed lab exited $rc"; }
[ "$(jq -r .complete "$TMP/out/summary.json")" = true ] || fail "the run did not complete"
[ -n "$t_cut" ] && [ -n "$t_restore" ] || fail "lab cut/restore printed no time ($cut)"

# carried_by per second of the service link: "T CARRIER" (T: the record's end, UNIX s)
jq -r 'select(.link == "svc") | "\((.end_ns | tonumber) / 1e9) \(.carried_by)"' \
	"$TMP/out/intervals.jsonl" >"$TMP/carriers"
n=$(wc -l <"$TMP/carriers")
[ "$n" -ge 10 ] || fail "only $n interval records of the service link"
grep -vq ' \(a\|b\|null\)$' "$TMP/carriers" && fail "a carried_by that is not a, b or null"
sent=$(jq -r '.links[] | select(.name == "svc") | .sent' "$TMP/out/summary.json")
recv=$(jq -r '.links[] | select(.name == "svc") | .received' "$TMP/out/summary.json")
[ "$sent" -gt 1000 ] && [ "$recv" -ge $((sent * 80 / 100)) ] ||
	fail "the service stream: $recv of $sent answered"
ok "the service stream is answered through the CE: $recv of $sent (the cut's gap included)"

before=$(awk -v c="$t_cut" '$1 < c' "$TMP/carriers" | awk '$2 != "null"' | cut -d' ' -f2 | sort -u | tr '\n' ' ')
[ "$before" = "a " ] || { cat "$TMP/carriers"; fail "before the cut carried_by said '$before', not only a"; }
during=$(awk -v c="$t_cut" -v r="$t_restore" '$1 > c + 3 && $1 < r' "$TMP/carriers" | cut -d' ' -f2 | sort -u | tr '\n' ' ')
[ "$during" = "b " ] || { cat "$TMP/carriers"; fail "3 s after the cut carried_by said '$during', not b"; }
after=$(awk -v r="$t_restore" '$1 > r + 4' "$TMP/carriers" | cut -d' ' -f2 | sort -u | tr '\n' ' ')
[ "$after" = "a " ] || { cat "$TMP/carriers"; fail "4 s after the restore carried_by said '$after', not a"; }
ok "carried_by: a before the cut, b once BFD and BGP moved the route, a after the restore"

jq -r 'select(.event == "service_carrier") | "\(.from) \(.to)"' "$TMP/out/events.jsonl" >"$TMP/ev"
grep -q ' b$' "$TMP/ev" || { cat "$TMP/ev"; fail "no service_carrier event to b"; }
[ "$(grep -v ' null$' "$TMP/ev" | tail -1 | cut -d' ' -f2)" = a ] ||
	{ cat "$TMP/ev"; fail "the last service_carrier event is not back to a"; }
jq -e '.service_stream.link == "svc" and .service_stream.carried_s.a > 5 and
	.service_stream.carried_s.b > 2 and .service_stream.changes >= 2' \
	"$TMP/out/summary.json" >/dev/null ||
	{ jq .service_stream "$TMP/out/summary.json"; fail "summary.json's service_stream"; }
b_sent=$(jq -r '.links[] | select(.name == "b") | .sent' "$TMP/out/summary.json")
b_recv=$(jq -r '.links[] | select(.name == "b") | .received' "$TMP/out/summary.json")
[ "$b_recv" -ge $((b_sent * 99 / 100)) ] || fail "pinned link b: $b_recv of $b_sent during a's cut"
ok "service_carrier events a -> b -> a ($(tr '\n' ',' <"$TMP/ev")); summary: $(jq -c .service_stream.carried_s "$TMP/out/summary.json")"
