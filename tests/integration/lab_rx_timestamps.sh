#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Device RX timestamps, calibrated against the TSC. net_pcap is the one PMD
# here whose frames carry a receive stamp (the kernel's, in us); it hands
# frames over in batches about 1 ms apart, so a software t4 taken after the
# receive burst carries that wait. The calibration needs some frames read
# right after they were stamped: at 1000 pps the probes are phase-locked to
# pcap's 1 ms hand-over and every frame waits about as long (measured: p50 of
# 0.2-0.8 ms), so the rate here is 1237 pps, whose phase sweeps the
# millisecond (measured: p50 4-6 us, calibration spread ~5 us).
# The same lab links, probed over net_pcap:
# 1. --rx-timestamps device: the lanes report device-stamped replies and a
#    calibrated clock (spread under 100 us), nothing is lost to the stamps,
#    and the median round trip is under 100 us and a fifth of the software
#    one (the batching wait is gone);
# 2. the default (auto) does not use them: net_pcap does not offer the
#    offload, and the hello record says software.
. "$(dirname "$0")/lib.sh"
HIST=$BUILD/bench/bench_hist
[ -x "$HIST" ] || skip "bench_hist was not built"
lab_begin

# --no-huge: started by hand, not through metroprobe run, so nobody reserves
# hugepages for it (a fresh machine has none); net_pcap needs no DMA memory.
# The lab's default topology (diverse) has a router on each link: next_hop is
# the router, reflector the site behind it (as in the lab's lab.json).
pcap_run() { # MODE OUT
	timeout 60 ip netns exec mp-onprem "$DP" --no-pci --no-huge -m 256 --lcores 0@0,1@1 \
		--file-prefix "mp-rxts-$$" --log-level=error \
		--vdev net_pcap0,iface=mpa-p --vdev net_pcap1,iface=mpb-p -- probe \
		--link "name=a,port=net_pcap0,ip=192.0.2.1/30,next_hop=192.0.2.2,reflector=192.0.2.6,rate=1237pps,frame=128" \
		--link "name=b,port=net_pcap1,ip=198.51.100.1/30,next_hop=198.51.100.2,reflector=198.51.100.6,rate=1237pps,frame=128" \
		--duration-ms 6000 --rx-timestamps "$1" >"$2" 2>"$2.err" ||
		{ tail -5 "$2.err"; fail "metroprobe-dp over net_pcap ($1) failed"; }
}
pcap_run device "$TMP/dev.jsonl"
pcap_run auto "$TMP/auto.jsonl"
dev=$("$HIST" --skip 20 <"$TMP/dev.jsonl")
sw=$("$HIST" --skip 20 <"$TMP/auto.jsonl")
ts=$(jq -s -c '[.[] | select(.type == "end") | .workers[].lanes[] | .rx_timestamps]' "$TMP/dev.jsonl")
[ "$(jq 'length == 2 and all(.device_stamped > 1000 and .calibrated and .spread_ns < 100000)' <<<"$ts")" = true ] ||
	fail "device mode: lanes did not use calibrated device stamps: $ts"
[ "$(jq '.lost == 0 and .received > 10000' <<<"$dev")" = true ] || fail "device mode: $dev"
[ "$(jq -s '.[0].rtt_p50_ns < 100000 and .[0].rtt_p50_ns * 5 < .[1].rtt_p50_ns' <<<"$dev $sw")" = true ] ||
	fail "device-stamped p50 $(jq .rtt_p50_ns <<<"$dev") ns is not below software $(jq .rtt_p50_ns <<<"$sw") ns"
ok "device stamps: p50 $(jq .rtt_p50_ns <<<"$dev") ns against software $(jq .rtt_p50_ns <<<"$sw") ns; lanes $(jq -c 'map({device_stamped, software_stamped, ppm: (.ppm | floor), spread_ns, refused})' <<<"$ts")"
h=$(jq -s -c '[.[] | select(.type == "hello") | .links[].rx_timestamps]' "$TMP/auto.jsonl")
[ "$h" = '["software","software"]' ] || fail "auto on net_pcap: hello says $h"
[ "$(jq -s '[.[] | select(.type == "end") | .workers[].lanes[] | has("rx_timestamps")] | any' "$TMP/auto.jsonl")" = false ] ||
	fail "auto on net_pcap used device stamps"
[ "$(jq -s '[.[] | select(.type == "interval") | .clock] | unique' -c "$TMP/dev.jsonl")" != '["tsc"]' ] ||
	fail "device mode: no interval record says hw_rx"
ok "auto leaves net_pcap's stamps alone (it does not offer the offload); device-mode records say hw_rx"

# 3. the same through metroprobe run: dataplane.rx_timestamps in the config
jq '.links[0].port = "net_pcap0,iface=mpa-p" | .links[1].port = "net_pcap1,iface=mpb-p" |
    .links[].rate = "1237pps" | .dataplane.rx_timestamps = "device"' "$TMP/lab.json" >"$TMP/pcap.json"
"$MP" run "$TMP/pcap.json" --duration 4 --out "$TMP/out" --quiet >"$TMP/run.log" 2>&1 ||
	{ cat "$TMP/run.log"; fail "metroprobe run with rx_timestamps device failed"; }
clocks=$(jq -s -c '[.[] | select(.type == "interval") | .clock] | group_by(.) | map({(.[0]): length}) | add' \
	"$TMP/out/intervals.jsonl")
[ "$(jq '.hw_rx > 10' <<<"$clocks")" = true ] || fail "metroprobe run: interval clocks $clocks"
[ "$(jq '[.links[].lost] | add' "$TMP/out/summary.json")" = 0 ] ||
	fail "metroprobe run: lost $(jq -c '[.links[] | {name, lost}]' "$TMP/out/summary.json")"
ok "metroprobe run with \"rx_timestamps\": \"device\": interval clocks $clocks, nothing lost"
