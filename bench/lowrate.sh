#!/bin/bash
# A/B, interleaved: round-trip times over a veth pair at 1000 pps with a
# busy-polling prober and reflector, against the default low-rate mode (the
# prober sleeps until its next deadline and polls only while replies are
# due; the reflector sleeps until shortly before the next request of a steady
# stream). The difference is the timing error the low-rate mode adds.
# usage: bench/lowrate.sh [BUILD_DIR]   (root; ~40 s)
set -u
BUILD=${1:-build}
DP=$BUILD/dataplane/dp/metroprobe-dp
[ -x "$DP" ] || { echo "usage: $0 BUILD_DIR (build first)" >&2; exit 2; }
# metroprobe-dp is started by hand: control reserves its hugepages (two at
# once, 42 + 48 pages) and gives them back at the end (unless bench/run does)
if [ -z "${MP_HUGEPAGES_HELD:-}" ] && [ -x "$BUILD/control/metroprobe" ]; then
	MP_HUGEPAGES_HELD=1 exec "$BUILD/control/metroprobe" hugepages --pages 128 -- "$0" "$@"
fi
cleanup() { pkill -f "iface=mplr-" ; sleep 0.5; ip netns del mplr-p 2>/dev/null; ip netns del mplr-r 2>/dev/null; }
TMPD=$(mktemp -d /tmp/mp-lowrate.XXXXXX)
trap 'cleanup; rm -rf "$TMPD"' EXIT
ip netns add mplr-p; ip netns add mplr-r
ip link add mplr-a type veth peer name mplr-b
ip link set mplr-a netns mplr-p; ip link set mplr-b netns mplr-r
for ns in mplr-p mplr-r; do ip -n $ns link set lo up; done
ip -n mplr-p link set mplr-a up; ip -n mplr-r link set mplr-b up
ip netns exec mplr-p sysctl -qw net.ipv6.conf.mplr-a.disable_ipv6=1
ip netns exec mplr-r sysctl -qw net.ipv6.conf.mplr-b.disable_ipv6=1
for m in busy low busy low busy low; do
	if [ $m = busy ]; then RB=--busy-poll; PB=--busy-poll; else RB=; PB=; fi
	ip netns exec mplr-r $DP --no-pci --in-memory -l 0 --file-prefix mplr-r --vdev net_af_packet0,iface=mplr-b -- reflect --ip 192.0.2.2/30 $RB >/dev/null 2>&1 &
	sleep 1
	ip netns exec mplr-p $DP --no-pci --in-memory --lcores 0@0,1@1 --file-prefix mplr-p --vdev net_af_packet0,iface=mplr-a -- probe --link name=a,port=net_af_packet0,ip=192.0.2.1/30,next_hop=192.0.2.2,rate=1000pps $PB --duration-ms 5000 --interval-ms 1000 2>/dev/null > $TMPD/lr.$m.jsonl
	pkill -f "iface=mplr-b"; sleep 0.5
	python3 - $m "$TMPD/lr.$m.jsonl" <<'PY'
import json,sys
recs=[json.loads(l) for l in open(sys.argv[2]) if '"interval"' in l]
b={}
n=0
for r in recs:
    for i,c in r['rtt']['buckets']:
        b[i]=b.get(i,0)+c; n+=c
def q(p):
    t=p*n; s=0
    for i in sorted(b):
        s+=b[i]
        if s>=t:
            # midpoint
            if i<128: return i
            e=(i>>7)+6; sub=(i&127)+128
            lo=sub<<(e-7); return lo+(1<<(e-7))/2
print(sys.argv[1], "n=%d p50=%.1fus p90=%.1fus p99=%.1fus"%(n,q(.5)/1000,q(.9)/1000,q(.99)/1000))
PY
done
