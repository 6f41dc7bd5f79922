#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Path probes (metroprobe-dp probe --path-interval-ms) through two routers
# of our own: prober -- router1 -- router2 -- reflector, each a network
# namespace, veths between them, IPv4 and IPv6 forwarding on and ICMP rate
# limits off in the routers, the XDP reflector at the far end. For each
# family the path records must name router1, router2 and then the
# reflector (reached at TTL 3) for every flow, each flow from its own
# source port; the link's measurement must not see the path probes (sent
# equals received, nothing lost or invalid from them). Then a forged
# time-exceeded, sent from router1 and quoting a path probe we never sent
# (and one whose IPv4 ID disagrees with its checksum), must be counted
# invalid by its reason and never appear as a hop.
#
# usage: path_probe.sh BUILD_DIR
# exit: 0 pass, 1 fail, 77 skip (reason printed)

set -u

BUILD=${1:-build}
BUILD=$(cd "$BUILD" && pwd)
XDP=$BUILD/dataplane/xdp/metroprobe-xdp
DP=$BUILD/dataplane/dp/metroprobe-dp
MP=$BUILD/control/metroprobe
NP="mpt-path-p$$"		# prober
N1="mpt-path-r1$$"		# router1
N2="mpt-path-r2$$"		# router2
NR="mpt-path-f$$"		# reflector
TMP=""
DP_PID=""
FAILS=0

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
ok() { echo "ok - $*"; }
die() { echo "FAIL: $*"; exit 1; }

cleanup() {
	set +e
	[ -n "$DP_PID" ] && kill -9 "$DP_PID" 2>/dev/null
	if ip netns list 2>/dev/null | grep -qw "$NR"; then
		[ -x "$XDP" ] && "$XDP" --netns "$NR" detach rf0 >/dev/null 2>&1
	fi
	for ns in "$NP" "$N1" "$N2" "$NR"; do
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "/sys/fs/bpf/metroprobe/$NR:"* 2>/dev/null
	[ -n "$TMP" ] && rm -rf "$TMP"
}

[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, XDP, DPDK)"
command -v python3 >/dev/null || skip "python3 is not installed"
command -v ip >/dev/null || skip "iproute2 (ip) is not installed"
[ -x "$DP" ] || skip "$DP not built"
[ -x "$XDP" ] || skip "$XDP not built (the far end's reflector)"
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
TMP=$(mktemp -d /tmp/mpt-path.XXXXXX)

# ------------------------------------------------------------ topology
for ns in "$NP" "$N1" "$N2" "$NR"; do
	ip netns add "$ns" || skip "cannot create network namespaces here"
	ip -n "$ns" link set lo up
done
ip -n "$NP" link add pr0 type veth peer name r1a netns "$N1" &&
	ip -n "$N1" link add r1b type veth peer name r2a netns "$N2" &&
	ip -n "$N2" link add r2b type veth peer name rf0 netns "$NR" ||
	skip "cannot create veth pairs here"
addr() { ip -n "$1" addr add "$2" dev "$3" ${4:-}; ip -n "$1" link set "$3" up; }
ip -n "$NP" link set pr0 up		# the prober's: DPDK answers ARP/ND there
addr "$N1" 198.18.70.2/24 r1a; addr "$N1" fd00:70::2/64 r1a nodad
addr "$N1" 198.18.71.1/24 r1b; addr "$N1" fd00:71::1/64 r1b nodad
addr "$N2" 198.18.71.2/24 r2a; addr "$N2" fd00:71::2/64 r2a nodad
addr "$N2" 198.18.72.1/24 r2b; addr "$N2" fd00:72::1/64 r2b nodad
addr "$NR" 198.18.72.2/24 rf0; addr "$NR" fd00:72::2/64 rf0 nodad
ip -n "$N1" route add 198.18.72.0/24 via 198.18.71.2
ip -n "$N1" route add fd00:72::/64 via fd00:71::2
ip -n "$N2" route add 198.18.70.0/24 via 198.18.71.1
ip -n "$N2" route add fd00:70::/64 via fd00:71::1
ip -n "$NR" route add default via 198.18.72.1
ip -n "$NR" route add default via fd00:72::1
for ns in "$N1" "$N2"; do
	ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
		net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 ||
		skip "cannot enable forwarding in a namespace"
done
for _ in $(seq 50); do
	ip -n "$NP" link show pr0 | grep -q LOWER_UP && break
	sleep 0.1
done

out=$("$XDP" --netns "$NR" attach rf0 --allow 198.18.70.0/24 --allow fd00:70::/64 2>&1) || {
	case "$out" in
	*"loading the BPF program failed"*|*"Operation not permitted"*)
		skip "cannot load XDP programs here: $out" ;;
	esac
	die "XDP reflector: $out"
}

# ------------------------------------------------------------ prober
# probe FAMILY: the prober for 4 s with a path round every 500 ms; records in $TMP/rec.FAMILY
probe() {
	local fam=$1 link
	if [ "$fam" = 4 ]; then
		link="name=a,port=net_af_packet0,ip=198.18.70.1/24,next_hop=198.18.70.2,reflector=198.18.72.2,rate=200pps"
	else
		link="name=a,port=net_af_packet0,ip=fd00:70::1/64,next_hop=fd00:70::2,reflector=fd00:72::2,rate=200pps"
	fi
	"$MP" hugepages --pages 64 -- ip netns exec "$NP" "$DP" --no-pci --in-memory -l 0,1 \
		--file-prefix "mpt-path-$$" --vdev net_af_packet0,iface=pr0 -- probe \
		--link "$link" --duration-ms 4000 --interval-ms 500 --loss-timeout-ms 300 \
		--path-interval-ms 500 --path-flows 3 --path-max-ttl 8 \
		>"$TMP/rec.$fam" 2>"$TMP/dp.$fam.log" &
	DP_PID=$!
}

# forge FAMILY: from router1, two time-exceeded about path probes we never sent
forge() {
	ip netns exec "$N1" python3 - "$1" <<'EOF'
import socket, struct, sys, time

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

fam = sys.argv[1]
sport, dport, ulen = 863, 862, 8 + 48     # flow 0 of a one-queue link, source_port 862
# an identity of flow 0 at TTL 40: beyond --path-max-ttl, never sent
never = (5 << 9) | (0 << 6) | 40
udp = struct.pack("!HHHH", sport, dport, ulen, never)
if fam == "4":
    def quote(ipid, ck):
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ulen, ipid, 0x4000, 1, 17, 0,
                         socket.inet_aton("198.18.70.1"), socket.inet_aton("198.18.72.2"))
        return ip + struct.pack("!HHHH", sport, dport, ulen, ck)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    for q in (quote(never, never), quote(never ^ 0x100, (5 << 9) | 1)):
        body = struct.pack("!BBHI", 11, 0, 0, 0) + q
        body = body[:2] + struct.pack("!H", csum(body)) + body[4:]
        for _ in range(3):
            s.sendto(body, ("198.18.70.1", 0))
            time.sleep(0.05)
else:
    ip6 = struct.pack("!IHBB16s16s", 0x60000000, ulen, 17, 1,
                      socket.inet_pton(socket.AF_INET6, "fd00:70::1"),
                      socket.inet_pton(socket.AF_INET6, "fd00:72::2"))
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    body = struct.pack("!BBHI", 3, 0, 0, 0) + ip6 + udp    # the kernel sets the checksum
    for _ in range(3):
        s.sendto(body, ("fd00:70::1", 0))
        time.sleep(0.05)
EOF
}

# check FAMILY R1 R2 REFL: the path records and the link's records
check() {
	local fam=$1 r
	r=$(python3 - "$TMP/rec.$fam" "$2" "$3" "$4" <<'EOF'
import json, sys
path, hops_want = sys.argv[1], sys.argv[2:]
paths, inv, sent, recv, lost, end = [], {}, 0, 0, 0, None
for line in open(path):
    try:
        d = json.loads(line)
    except ValueError:
        continue
    if d.get("type") == "path":
        paths.append(d)
    elif d.get("type") == "interval":
        sent += d["sent"]; recv += d["received"]; lost += d["lost"]
        for k, v in d.get("invalid", {}).items():
            inv[k] = inv.get(k, 0) + v
    elif d.get("type") == "end":
        end = d
bad = []
if len(paths) < 3:
    bad.append("only %d path records" % len(paths))
for p in paths:
    ports = [f["source_port"] for f in p["flows"]]
    if ports != [863, 864, 865]:
        bad.append("round %d: source ports %s" % (p["round"], ports))
    for f in p["flows"]:
        addrs = [h["addr"] for h in f["hops"]]
        if not f["reached"] or f.get("reached_ttl") != 3 or addrs != hops_want or \
           not f["hops"][-1].get("reflector") or any(h.get("rtt_ns", 0) <= 0 for h in f["hops"]):
            bad.append("round %d flow %d: %s" % (p["round"], f["flow"], json.dumps(f)))
pp = [l.get("path_probes") for w in (end or {}).get("workers", []) for l in w.get("lanes", [])
      if l.get("path_probes")]
print(json.dumps({"paths": len(paths), "sent": sent, "received": recv, "lost": lost,
                  "invalid": inv, "path_probes": pp, "bad": bad[:3]}))
EOF
)
	echo "IPv$fam: $r"
	echo "IPv$fam: first path record: $(grep -m1 '"type":"path"' "$TMP/rec.$fam")"
	echo "$r" | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if not d["bad"] else 1)' &&
		ok "IPv$fam: every round, every flow: $2 then $3 then the reflector $4 at TTL 3" ||
		fail "IPv$fam: hop lists: $r"
	echo "$r" | python3 -c '
import json,sys; d=json.load(sys.stdin)
sys.exit(0 if d["sent"] > 0 and d["sent"] == d["received"] and d["lost"] == 0 else 1)' &&
		ok "IPv$fam: the measurement saw no path probe (sent == received, none lost)" ||
		fail "IPv$fam: the measurement was disturbed: $r"
	echo "$r" >"$TMP/sum.$fam"
}

for fam in 4 6; do
	if [ "$fam" = 4 ]; then
		R1=198.18.70.2 R2=198.18.71.2 RF=198.18.72.2
	else
		R1=fd00:70::2 R2=fd00:71::2 RF=fd00:72::2
	fi
	probe "$fam"
	sleep 2.5
	forge "$fam" || fail "IPv$fam: could not send the forged time-exceeded"
	wait "$DP_PID"
	rc=$?
	DP_PID=""
	[ "$rc" = 0 ] || { tail -n 20 "$TMP/dp.$fam.log"; fail "IPv$fam: metroprobe-dp exited $rc"; continue; }
	check "$fam" "$R1" "$R2" "$RF"
	r=$(cat "$TMP/sum.$fam")
	want='d["invalid"].get("path_unknown_probe", 0) >= 3'
	[ "$fam" = 4 ] && want="$want"' and d["invalid"].get("path_quote_mismatch", 0) >= 3'
	echo "$r" | python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if $want else 1)" &&
		ok "IPv$fam: forged time-exceeded counted invalid (path_unknown_probe$([ "$fam" = 4 ] && echo ", path_quote_mismatch")), never a hop" ||
		fail "IPv$fam: forged time-exceeded not counted as invalid: $r"
	grep -q '"addr":"'"$R1"'"' "$TMP/rec.$fam" || fail "IPv$fam: no record names router1"
done

[ "$FAILS" = 0 ] || die "$FAILS check(s) failed"
echo "PASS"
