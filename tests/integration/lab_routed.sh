#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The routed lab (lab up --routed, docs/routed-lab.md): real FRR eBGP and
# BFD per link. A failed lab up (bgpd cannot start) leaves nothing; then
# lab up: both sessions Established and BFD up, the VNet routed over link
# a (preferred), the pinned link probes answered on both links, the VNet's
# reflector answering the CE. A blackhole on link a's far end: the CE's
# BFD notices within 2 s (the timers say 0.9 s), the VNet is routed over
# b and still answers; restored, routing goes back to a; the same with a
# carrier cut (the CE's port down). A bgpd killed by
# hand, then lab down: no FRR process, namespace or file is left. Last,
# --ipv6 on shared-conduit (sessions across two provider routers): the
# IPv6 sessions and BFD up as well, the VNet's reflector answering IPv6.
. "$(dirname "$0")/lib.sh"

need_routed
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
STAMP_PING="$(dirname "$0")/stamp_ping.py"

# nothing_left WHAT: no lab FRR daemon, namespace, FRR directory or state
nothing_left() {
	pgrep -f -- '-N mp-' >/dev/null && { pgrep -a -f -- '-N mp-'; fail "$1: FRR daemons left"; }
	ip netns list | grep -q '^mp-' && fail "$1: namespaces left: $(ip netns list | tr '\n' ' ')"
	ls -d /var/run/frr/mp-* >/dev/null 2>&1 && fail "$1: FRR directories left"
	[ -e /run/metroprobe/lab/state.json ] && fail "$1: the state file is left"
	return 0
}

# st FILTER: jq over lab status --json
st() { "$MP" lab status --json | jq -r "$1"; }

# via: the CE's interface towards the VNet's reflector
via() { ip -n mp-ce -j route get 10.1.0.4 from 10.0.0.1 | jq -r '.[0].dev'; }

# vnet_answers: the VNet's reflector answers STAMP from the CE's LAN
vnet_answers() {
	local got
	got=$(ip netns exec mp-ce python3 "$STAMP_PING" ${2:-10.0.0.1 10.1.0.4} 20 0.2)
	[ "$got" -ge 18 ] || fail "$1: the VNet's reflector answered $got of 20"
}

# --- a lab up that fails at bgpd leaves nothing behind (zebra and bfdd were running) ---
mkdir -p "$TMP/frr"
ln -s /usr/lib/frr/zebra "$TMP/frr/zebra"
ln -s /usr/lib/frr/bfdd "$TMP/frr/bfdd"
ln -s /bin/false "$TMP/frr/bgpd"
METROPROBE_FRR_DIR=$TMP/frr "$MP" lab up --routed --config-out "$TMP/x.json" >"$TMP/fail.log" 2>&1 &&
	fail "lab up with a bgpd that cannot start succeeded"
grep -q "bgpd" "$TMP/fail.log" || { cat "$TMP/fail.log"; fail "the failed lab up did not say what failed"; }
nothing_left "after a failed lab up"
ok "a lab up --routed that fails at bgpd removes its daemons, namespaces and files"

# --- up: sessions, BFD, the VNet over a ---
lab_begin --routed
st '.routing.links.a.bgp, .routing.links.a.bfd, .routing.links.b.bgp, .routing.links.b.bfd' |
	tr '\n' ' ' | grep -qx 'Established up Established up ' ||
	{ "$MP" lab status; fail "sessions not up after lab up --routed"; }
[ "$(st '.routing.vnet_via')" = a ] || fail "the VNet is not routed over link a (preferred)"
[ "$(st '[.routing.routers[].daemons[]] | all')" = true ] || fail "not every FRR daemon runs"
[ "$(via)" = mpa-eo ] || fail "the CE's kernel route to the VNet is not over link a: $(via)"
vnet_answers "over link a"
ok "lab up --routed: BGP Established and BFD up on both links, the VNet's reflector answers over a"

# --- the pinned link probes still reach their sites' reflectors ---
probe_run 3
[ "$RUN_RC" = 0 ] || { cat "$TMP/run.log"; fail "run on the routed lab exited $RUN_RC"; }
for l in a b; do
	s=$(j ".links[] | select(.name == \"$l\") | .sent")
	r=$(j ".links[] | select(.name == \"$l\") | .received")
	[ "$s" -gt 100 ] && [ "$r" -ge $((s * 99 / 100)) ] || fail "pinned link $l: received $r of $s"
done
ok "the pinned probes of both links are answered by their sites' reflectors across the CE"

# --- blackhole at link a's far end: BFD notices, the VNet moves to b ---
"$MP" lab cut a --method blackhole >"$TMP/cut.log" || { cat "$TMP/cut.log"; fail "lab cut a"; }
t0=$(date +%s%N)
bfd=up
while [ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 2000 ]; do
	bfd=$(vtysh -N mp-ce -c 'show bfd peers json' 2>/dev/null |
		jq -r '.[] | select(.peer == "192.0.2.10") | .status')
	[ "$bfd" != up ] && break
	sleep 0.05
done
[ "$bfd" != up ] || fail "the CE's BFD to MSEE-A still up 2 s after the blackhole"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
for i in $(seq 40); do [ "$(via)" = mpb-eo ] && break; sleep 0.05; done
[ "$(via)" = mpb-eo ] || fail "the CE's route to the VNet did not move to link b"
[ "$(st '.routing.vnet_via + " " + .routing.links.a.cut')" = "b blackhole" ] ||
	fail "lab status does not show the cut and the VNet over b"
vnet_answers "over link b, a blackholed"
ok "blackhole on link a: the CE's BFD down after ~$ms ms (bound 2000), the VNet over b and answering"

# --- restore: back to a ---
"$MP" lab restore a >/dev/null || fail "lab restore a"
for i in $(seq 150); do
	[ "$(st '.routing.links.a.bgp + " " + .routing.links.a.bfd + " " + .routing.vnet_via')" = \
		"Established up a" ] && break
	sleep 0.2
done
[ "$(st '.routing.vnet_via + " " + .routing.links.a.cut')" = "a none" ] ||
	{ "$MP" lab status; fail "after lab restore a the VNet is not back on a"; }
[ "$(via)" = mpa-eo ] || fail "the CE's kernel route did not come back to link a"
ok "lab restore a: the session and BFD come back, the VNet is routed over a again"

# --- the CE's port on link a down (carrier): the VNet over b, then back ---
"$MP" lab cut a --method carrier >/dev/null || fail "lab cut a --method carrier"
for i in $(seq 40); do [ "$(via)" = mpb-eo ] && break; sleep 0.05; done
[ "$(via)" = mpb-eo ] || fail "carrier cut of a: the CE's route to the VNet did not move to b"
vnet_answers "over link b, a's port down"
"$MP" lab restore a >/dev/null || fail "lab restore a (carrier)"
for i in $(seq 150); do [ "$(st '.routing.vnet_via')" = a ] && break; sleep 0.2; done
[ "$(via)" = mpa-eo ] || fail "after restoring the carrier cut the VNet is not back on a"
ok "carrier cut of link a: the VNet over b; restored, over a again"

# --- a crashed bgpd, then lab down: nothing left ---
kill -9 "$(cat /var/run/frr/mp-ce/bgpd.pid)" || fail "cannot kill the CE's bgpd"
sleep 0.2
[ "$(st '.routing.routers.ce.daemons.bgpd')" = false ] || fail "lab status misses the dead bgpd"
"$MP" lab down >"$TMP/down.log" 2>&1 || { cat "$TMP/down.log"; fail "lab down after a bgpd crash"; }
nothing_left "after lab down"
ok "a bgpd killed by hand, then lab down: no FRR daemon, namespace or file left"

# --- IPv6 too, across the shared conduit and a provider router (3 hops) ---
lab_begin --routed --ipv6 --topology shared-conduit
st '.routing.links[] | .bgp, .bfd, .bgp6, .bfd6' | sort | uniq -c | tr -s ' \n' ' ' |
	grep -qx ' 4 Established 4 up ' || { "$MP" lab status; fail "--ipv6: sessions not all up"; }
vnet_answers "IPv6, over link a" "2001:db8:10::1 2001:db8:100::4"
[ "$(ip -n mp-ce -6 -j route get 2001:db8:100::4 | jq -r '.[0].dev')" = mpa-eo ] ||
	fail "--ipv6: the CE's IPv6 route to the VNet is not over link a"
"$MP" lab down >/dev/null 2>&1 || fail "lab down (IPv6)"
nothing_left "after lab down (IPv6)"
ok "--routed --ipv6 on shared-conduit: IPv4 and IPv6 sessions and BFD up, the VNet answers IPv6"
