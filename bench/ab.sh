#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Interleaved A/B of two builds' fast paths, for a change that must not make
# them slower: TX on net_null at line rate (64 B) and the whole probe loop
# over the in-process ring pair, the same commands as bench/run's probe_tx
# and probe_ring measurements, A B A B ... (this VM changes speed by 1.6x
# every minute or so: only numbers taken side by side compare), then the
# median cycles per probe of each.
#
# usage: sudo bench/ab.sh BUILD_A BUILD_B [ROUNDS (6)] [MS (3000)]
#   e.g. git worktree add /tmp/base main && meson setup /tmp/base/build /tmp/base &&
#        ninja -C /tmp/base/build && sudo bench/ab.sh /tmp/base/build build
set -u
[ $# -ge 2 ] || { sed -n '3,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
A=$1 B=$2 ROUNDS=${3:-6} MS=${4:-3000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MP=$B/control/metroprobe
for d in "$A" "$B"; do
	[ -x "$d/dataplane/dp/metroprobe-dp" ] || { echo "ab.sh: no $d/dataplane/dp/metroprobe-dp" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "ab.sh: needs root (DPDK, hugepages)" >&2; exit 2; }
OUT=$(mktemp -d /tmp/mp-ab.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

tx() {
	"$1/dataplane/dp/metroprobe-dp" --no-pci --in-memory --lcores 0@0,1@1 --file-prefix "mpab$$" \
		--log-level lib.eal:5 --vdev "net_null0,no-rx=1" -- probe \
		--link "name=a,port=net_null0,ip=192.0.2.1/30,next_hop=192.0.2.2,next_hop_mac=02:00:00:00:00:02,rate=line,link_speed=100Gbps,frame=64" \
		--busy-poll --duration-ms "$MS" --loss-timeout-ms 10 2>/dev/null |
		jq -r 'select(.type == "end") | .workers[0] | .work_cycles / .sent'
}
loop() {
	"$1/dataplane/dp/metroprobe-dp" --no-pci --in-memory --lcores 0@0,1@1 --file-prefix "mpab$$" \
		--log-level lib.eal:5 -- probe --ring-pair \
		--host-reflector port=net_ring_ring_b,ip=192.0.2.2/30 \
		--link "name=a,port=net_ring_ring_a,ip=192.0.2.1/30,next_hop=192.0.2.2,next_hop_mac=02:00:00:00:00:02,rate=line,link_speed=10Gbps,frame=64" \
		--busy-poll --duration-ms "$MS" --loss-timeout-ms 100 2>/dev/null |
		jq -r 'select(.type == "end") | .workers[0] | .work_cycles / .rx_frames'
}
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "null"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

run_all() {
	local r
	for r in $(seq 1 "$ROUNDS"); do
		echo "round $r/$ROUNDS" >&2
		tx "$A" >>"$OUT/tx_a"; tx "$B" >>"$OUT/tx_b"
		loop "$A" >>"$OUT/loop_a"; loop "$B" >>"$OUT/loop_b"
	done
}
# one dataplane at a time; the ring pair holds both ends' pools (64 pages is too
# few for it): 256, as bench/run, reserved and given back (metroprobe hugepages)
if [ -x "$MP" ]; then
	export -f tx loop run_all
	export A B ROUNDS MS OUT
	"$MP" hugepages --pages 256 -- bash -c run_all
else
	run_all		# pages reserved by hand
fi
printf 'tx_cycles_per_probe:   A %s  B %s  (%s rounds)\n' "$(median <"$OUT/tx_a")" "$(median <"$OUT/tx_b")" "$ROUNDS"
printf 'loop_cycles_per_probe: A %s  B %s\n' "$(median <"$OUT/loop_a")" "$(median <"$OUT/loop_b")"
