#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Reflection rate of the XDP reflector and of the DPDK reflector on the same
# veth pair with the same sender (metroprobe-dp probe on net_af_packet, busy
# polling, as fast as it can send), interleaved X D X D ..., medians.
#
#   xdp_reflect_pps / dpdk_reflect_pps   replies received by the sender per second
#   *_cpu: where the CPU went during the run, in CPUs (1.0 = one CPU busy):
#     reflector_process  the DPDK reflector process (user + system); 0 for XDP
#     softirq            all CPUs' softirq time: the kernel's packet path, where
#                        generic XDP runs (the XDP reflector's cost is in here)
#     sender_process     the sender (user + system; its sendto path is there)
#   *_cpu_ns_per_reply   (reflector_process + softirq) CPU time per reply
#
# usage: bench/reflect_rate.sh BUILD_DIR [SECONDS] [ROUNDS]   (root)
# Prints one JSON object on stdout; progress on stderr.
set -u
BUILD=${1:-build}
SECS=${2:-4}
ROUNDS=${3:-3}
DP=$BUILD/dataplane/dp/metroprobe-dp
XDP=$BUILD/dataplane/xdp/metroprobe-xdp
log() { echo "reflect_rate: $*" >&2; }
null_out() { jq -n -c --arg why "$1" '{xdp_reflect_pps: null, dpdk_reflect_pps: null, notes: [$why]}'; exit 0; }
[ "$(id -u)" = 0 ] || null_out "needs root"
[ -x "$DP" ] || null_out "no metroprobe-dp in $BUILD"
# metroprobe-dp is started by hand: control reserves its hugepages (two at
# once, 42 + 48 pages) and gives them back at the end (unless bench/run does)
if [ -z "${MP_HUGEPAGES_HELD:-}" ] && [ -x "$BUILD/control/metroprobe" ]; then
	MP_HUGEPAGES_HELD=1 exec "$BUILD/control/metroprobe" hugepages --pages 128 -- "$0" "$@"
fi
[ -x "$XDP" ] || null_out "no metroprobe-xdp in $BUILD (no libbpf/clang/bpftool/BTF)"

T=mprr$$
NS_S=$T-s
NS_R=$T-r
WORK=$(mktemp -d /tmp/mp-reflect-rate.XXXXXX)
cleanup() {
	pkill -f -- "--file-prefix $T-" 2>/dev/null
	sleep 0.3
	ip netns exec "$NS_R" "$XDP" detach "${T}r" >/dev/null 2>&1
	ip netns del "$NS_S" 2>/dev/null
	ip netns del "$NS_R" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ip netns add "$NS_S" && ip netns add "$NS_R" || null_out "cannot create namespaces"
ip link add "${T}s" netns "$NS_S" type veth peer name "${T}r" netns "$NS_R"
for ns in "$NS_S" "$NS_R"; do ip -n "$ns" link set lo up; done
ip -n "$NS_S" link set "${T}s" up
ip -n "$NS_R" link set "${T}r" up
ip netns exec "$NS_S" sysctl -qw "net.ipv6.conf.${T}s.disable_ipv6=1"
for x in "$NS_S:${T}s" "$NS_R:${T}r"; do
	ip netns exec "${x%%:*}" ethtool -K "${x#*:}" tx off rx off gso off gro off tso off >/dev/null 2>&1
done
RMAC=$(ip -n "$NS_R" -j link show "${T}r" | jq -r '.[0].address')

# cpu_ticks PID: utime + stime of PID in clock ticks; softirq_ticks: all CPUs'.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
softirq_ticks() { awk '/^cpu / { print $8 }' /proc/stat; }
HZ_TICKS=$(getconf CLK_TCK)

# run KIND: one measurement; appends a JSON line to $WORK/KIND.jsonl
run() {
	local kind=$1 rpid="" spid out s0 s1 r0=0 r1=0 q0 q1
	out="$WORK/$kind.$RANDOM.out"
	if [ "$kind" = xdp ]; then
		ip -n "$NS_R" addr add 192.0.2.2/30 dev "${T}r" 2>/dev/null
		ip netns exec "$NS_R" "$XDP" attach "${T}r" --port 862 --allow 192.0.2.0/30 >/dev/null 2>&1 ||
			{ log "xdp attach failed"; return 1; }
	else
		ip -n "$NS_R" addr flush dev "${T}r"
		ip netns exec "$NS_R" "$DP" -l 0 --no-pci --in-memory --file-prefix "$T-r" \
			--log-level lib.eal:4 --vdev "net_af_packet0,iface=${T}r" -- \
			reflect --ip 192.0.2.2/30 --busy-poll >"$WORK/refl.out" 2>&1 &
		rpid=$!
		for _ in $(seq 50); do grep -q "reflector ready" "$WORK/refl.out" && break; sleep 0.1; done
	fi
	ip netns exec "$NS_S" "$DP" --lcores 0@0,1@1 --no-pci --in-memory --file-prefix "$T-s" \
		--log-level lib.eal:4 --vdev "net_af_packet0,iface=${T}s" -- probe \
		--link "name=a,port=net_af_packet0,ip=192.0.2.1/30,next_hop=192.0.2.2,next_hop_mac=$RMAC,rate=line,link_speed=10Gbps,frame=128" \
		--busy-poll --duration-ms $((SECS * 1000)) --loss-timeout-ms 200 >"$out" 2>"$out.err" &
	spid=$!
	sleep 1
	s0=$(cpu_ticks "$spid")
	q0=$(softirq_ticks)
	[ -n "$rpid" ] && r0=$(cpu_ticks "$rpid")
	sleep $((SECS - 2))
	s1=$(cpu_ticks "$spid")
	q1=$(softirq_ticks)
	[ -n "$rpid" ] && r1=$(cpu_ticks "$rpid")
	wait "$spid"
	if [ -n "$rpid" ]; then
		kill "$rpid" 2>/dev/null
		wait "$rpid" 2>/dev/null
	else
		ip netns exec "$NS_R" "$XDP" detach "${T}r" >/dev/null 2>&1
	fi
	jq -s -c --arg kind "$kind" --argjson secs "$SECS" --argjson w $((SECS - 2)) --argjson hz "$HZ_TICKS" \
		--argjson s $((s1 - s0)) --argjson q $((q1 - q0)) --argjson r $((r1 - r0)) '
		[.[] | select(.type == "interval")] as $iv |
		($iv | map(.received) | add // 0) as $recv |
		{kind: $kind, received: $recv, sent: ($iv | map(.sent) | add // 0),
		 lost: ($iv | map(.lost) | add // 0),
		 reflect_pps: ($recv / $secs),
		 cpu: {reflector_process: ($r / $hz / $w), softirq: ($q / $hz / $w),
		       sender_process: ($s / $hz / $w)}} |
		. + {cpu_ns_per_reply: (if .reflect_pps > 0 then
			(.cpu.reflector_process + .cpu.softirq) * 1e9 / .reflect_pps else null end)}' \
		"$out" >>"$WORK/$kind.jsonl"
	log "$kind: $(tail -1 "$WORK/$kind.jsonl")"
}

for round in $(seq "$ROUNDS"); do
	run xdp
	run dpdk
done
med() { jq -s -c "map($2) | sort | if length == 0 then null else .[(length - 1) / 2 | floor] end" "$WORK/$1.jsonl" 2>/dev/null || echo null; }
cpu_med() {
	jq -n -c --argjson r "$(med "$1" .cpu.reflector_process)" --argjson q "$(med "$1" .cpu.softirq)" \
		--argjson s "$(med "$1" .cpu.sender_process)" \
		'{reflector_process: $r, softirq: $q, sender_process: $s}'
}
jq -n -c \
	--argjson xp "$(med xdp .reflect_pps)" --argjson dp "$(med dpdk .reflect_pps)" \
	--argjson xc "$(cpu_med xdp)" --argjson dc "$(cpu_med dpdk)" \
	--argjson xn "$(med xdp .cpu_ns_per_reply)" --argjson dn "$(med dpdk .cpu_ns_per_reply)" \
	--argjson rx "$(jq -s -c . "$WORK/xdp.jsonl" 2>/dev/null || echo '[]')" \
	--argjson rd "$(jq -s -c . "$WORK/dpdk.jsonl" 2>/dev/null || echo '[]')" '
	{xdp_reflect_pps: $xp, dpdk_reflect_pps: $dp,
	 xdp_cpu: $xc, dpdk_cpu: $dc,
	 xdp_cpu_ns_per_reply: $xn, dpdk_cpu_ns_per_reply: $dn,
	 setup: "veth pair, sender metroprobe-dp probe on net_af_packet (busy poll, CPU 1, 128-byte frames, as fast as it sends); XDP reflector in generic mode (a veth peer without XDP needs it) / metroprobe-dp reflect --busy-poll on net_af_packet, CPU 0",
	 runs: {xdp: $rx, dpdk: $rd}}'
