#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The XDP reflector and impairment on a real veth pair, end to end, through
# the metroprobe-xdp CLI: two network namespaces of our own (mpt-xdp-*), the
# reflector attached on one side (through `ip netns exec`, whose fresh /sys
# has no bpffs), STAMP sent from the other side by a small Python sender
# (standard library only) that checks every reply field, the TTLs, and with
# checksum offload off the IP and UDP checksums of captured replies. Then
# loss 50 %, blackhole on/off, the stand-alone impair program, native mode,
# detach, and stale pins after the namespace vanished.
#
# usage: xdp_reflect.sh [PATH/TO/metroprobe-xdp]
# exit: 0 pass, 1 fail, 77 skip (reason printed)

set -u

XDP=${1:-}
NA="mpt-xdp-s$$"		# sender
NB="mpt-xdp-r$$"		# reflector
IF_A=veth-s
IF_B=veth-r
V4_A=198.18.62.1
V4_B=198.18.62.2
V4_OTHER=198.18.63.1		# on the sender, not in the allowlist
V6_A=fd00:6d70:7864::1
V6_B=fd00:6d70:7864::2
PIN=/sys/fs/bpf/metroprobe
ALT=/sys/fs/bpf/mpt-xdp-pins$$	# for --pin-dir
TMP=""
FAILS=0

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
ok() { echo "ok: $*"; }
die() { echo "FAIL: $*"; exit 1; }

cleanup() {
	set +e
	for ns in "$NA" "$NB"; do
		if ip netns list 2>/dev/null | grep -qw "$ns"; then
			for ifc in "$IF_A" "$IF_B"; do
				"$XDP" --netns "$ns" detach "$ifc" >/dev/null 2>&1
				"$XDP" --netns "$ns" impair-detach "$ifc" >/dev/null 2>&1
			done
			ip netns del "$ns" 2>/dev/null
		fi
		rm -rf "$PIN/$ns:"* 2>/dev/null
	done
	rm -rf "$ALT" 2>/dev/null
	[ -n "$TMP" ] && rm -rf "$TMP"
}

[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, XDP)"
command -v ip >/dev/null || skip "iproute2 (ip) not installed"
command -v python3 >/dev/null || skip "python3 not installed"
[ -r /sys/kernel/btf/vmlinux ] || skip "kernel without BTF (/sys/kernel/btf/vmlinux)"
if [ -z "$XDP" ]; then
	here=$(cd "$(dirname "$0")" && pwd)
	for c in "$here"/../../build*/dataplane/xdp/metroprobe-xdp /tmp/build*/dataplane/xdp/metroprobe-xdp \
		"$(command -v metroprobe-xdp 2>/dev/null)"; do
		if [ -n "$c" ] && [ -x "$c" ]; then XDP=$c; break; fi
	done
fi
[ -n "$XDP" ] && [ -x "$XDP" ] || skip "metroprobe-xdp not found (give its path as \$1)"
XDP=$(realpath "$XDP")

# Leftovers of an earlier run that was killed before it could clean up
# (its PID is in the names): take them away first.
for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^mpt-xdp-[sr][0-9]+$'); do
	pid=${ns#mpt-xdp-?}
	kill -0 "$pid" 2>/dev/null && continue
	for ifc in "$IF_A" "$IF_B"; do
		"$XDP" --netns "$ns" detach "$ifc" >/dev/null 2>&1
		"$XDP" --netns "$ns" impair-detach "$ifc" >/dev/null 2>&1
	done
	ip netns del "$ns" 2>/dev/null
	rm -rf "$PIN/$ns:"* 2>/dev/null
	echo "removed leftovers of an earlier run: $ns"
done
for d in /tmp/mpt-xdp.*; do
	[ -d "$d" ] || continue
	pid=${d#/tmp/mpt-xdp.}
	pid=${pid%%.*}
	kill -0 "$pid" 2>/dev/null || rm -rf "$d"
done

trap cleanup EXIT
trap 'exit 1' INT TERM HUP
TMP=$(mktemp -d "/tmp/mpt-xdp.$$.XXXXXX")

# --- the STAMP sender ---
cat >"$TMP/stamp.py" <<'PY'
import argparse, json, os, select, socket, struct, sys, time

NTP_UNIX = 2208988800
ERREST = 0x8001          # S=1, scale 0, mult 1: something to see copied back
IP_RECVTTL = getattr(socket, "IP_RECVTTL", 12)
IP_TTL_CMSG = getattr(socket, "IP_TTL", 2)
IPV6_RECVHOPLIMIT = getattr(socket, "IPV6_RECVHOPLIMIT", 51)
IPV6_HOPLIMIT = getattr(socket, "IPV6_HOPLIMIT", 52)
ETH_P_ALL = 3

def ntp_now():
    s, r = divmod(time.time_ns(), 10**9)
    return ((s + NTP_UNIX) << 32) | ((r << 32) // 10**9)

def ntp_ns(v):
    return ((v >> 32) - NTP_UNIX) * 10**9 + (((v & 0xffffffff) * 10**9) >> 32)

def csum(data):
    if len(data) & 1:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", required=True)
    ap.add_argument("--dst", required=True)
    ap.add_argument("--port", type=int, default=862)
    ap.add_argument("--count", type=int, default=10)
    ap.add_argument("--interval", type=float, default=0.001)
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--ttl", type=int, default=64)
    ap.add_argument("--ssid", type=int, default=0x4d50)
    ap.add_argument("--timeout", type=float, default=1.0)
    ap.add_argument("--capture")
    a = ap.parse_args()

    v6 = ":" in a.dst
    fam = socket.AF_INET6 if v6 else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((a.src, 0))
    if v6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, a.ttl)
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1)
    else:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, a.ttl)
        s.setsockopt(socket.IPPROTO_IP, IP_RECVTTL, 1)
    s.setblocking(False)
    sport = s.getsockname()[1]
    cap = None
    if a.capture:
        cap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        cap.bind((a.capture, 0))
        cap.setblocking(False)

    out = {"sent": 0, "received": 0, "bad": 0, "dup": 0, "errors": [],
           "csum_ok": 0, "csum_bad": 0, "captured": 0, "max_rtt_us": 0}
    sent = {}
    seen = set()
    pad = bytes((i * 13 + 1) & 0xff for i in range(max(0, a.size - 44)))

    def err(msg):
        out["bad"] += 1
        if len(out["errors"]) < 5:
            out["errors"].append(msg)

    def check(d, anc, t4):
        out["received"] += 1
        if len(d) != a.size:
            return err("reply of %d bytes to a %d-byte request" % (len(d), a.size))
        seq, t3, errest, ssid, t2, sseq, t1, serr, mbz1, sttl, mbz2 = \
            struct.unpack("!IQHHQIQHHB3s", d[:44])
        if sseq not in sent:
            return err("reply to unknown sender seq %d" % sseq)
        if sseq in seen:
            out["dup"] += 1
            return err("duplicate reply to %d" % sseq)
        seen.add(sseq)
        if seq != sseq:
            err("stateless reflector seq %d != sender seq %d" % (seq, sseq))
        if t1 != sent[sseq]:
            err("sender timestamp not echoed (seq %d)" % sseq)
        if serr != ERREST or ssid != a.ssid:
            err("sender error estimate 0x%04x / SSID 0x%04x not echoed" % (serr, ssid))
        if errest & 0xc000 or errest & 0xff == 0:
            err("reflector error estimate 0x%04x: want S=0 Z=0, multiplier > 0" % errest)
        if mbz1 != 0 or mbz2 != b"\0\0\0":
            err("MBZ bytes not zero")
        if sttl != a.ttl:
            err("sender TTL %d, sent with %d" % (sttl, a.ttl))
        if d[44:] != pad:
            err("padding changed")
        n1, n2, n3 = ntp_ns(t1), ntp_ns(t2), ntp_ns(t3)
        if not (n1 - 10**6 <= n2 <= n3 <= t4 + 10**6):
            err("timestamps out of order: T1 %d T2 %d T3 %d T4 %d" % (n1, n2, n3, t4))
        out["max_rtt_us"] = max(out["max_rtt_us"], (t4 - n1 - (n3 - n2)) // 1000)
        ttl = None
        for lvl, typ, data in anc:
            if (lvl, typ) in ((socket.IPPROTO_IP, IP_TTL_CMSG), (socket.IPPROTO_IPV6, IPV6_HOPLIMIT)):
                ttl = struct.unpack("i", data[:4])[0] if len(data) >= 4 else data[0]
        if ttl != 255:
            err("reply IP TTL/hop limit %s, want 255" % ttl)

    def drain(until):
        while True:
            left = until - time.monotonic()
            if left <= 0:
                return
            r, _, _ = select.select([s], [], [], left)
            if not r:
                return
            while True:
                try:
                    d, anc, _, _ = s.recvmsg(4096, 256)
                except BlockingIOError:
                    break
                check(d, anc, time.time_ns())

    next_t = time.monotonic()
    for i in range(a.count):
        t1 = ntp_now()
        sent[i] = t1
        s.sendto(struct.pack("!IQHH", i, t1, ERREST, a.ssid) + bytes(28) + pad, (a.dst, a.port))
        out["sent"] += 1
        next_t += a.interval
        drain(next_t)
    last = time.monotonic()
    while True:
        before = out["received"]
        drain(time.monotonic() + a.timeout)
        if out["received"] == before or time.monotonic() - last > 10:
            break

    while cap is not None:
        try:
            f, addr = cap.recvfrom(65535)
        except BlockingIOError:
            break
        o, et = 14, struct.unpack("!H", f[12:14])[0]
        while et in (0x8100, 0x88a8):
            et, o = struct.unpack("!H", f[o + 2:o + 4])[0], o + 4
        if et == 0x0800 and f[o + 9] == 17:
            ihl = (f[o] & 15) * 4
            l4, pseudo = o + ihl, f[o + 12:o + 20]
            iphdr_ok = csum(f[o:o + ihl]) == 0xffff
        elif et == 0x86dd and f[o + 6] == 17:
            l4, pseudo, iphdr_ok = o + 40, f[o + 8:o + 40], True
        else:
            continue
        sp, dp, ulen, c = struct.unpack("!HHHH", f[l4:l4 + 8])
        if sp != a.port or dp != sport:
            continue
        out["captured"] += 1
        ok = iphdr_ok and c != 0 and \
            csum(pseudo + struct.pack("!HH", 17, ulen) + f[l4:l4 + ulen]) == 0xffff
        out["csum_ok" if ok else "csum_bad"] += 1
    print(json.dumps(out))

main()
PY

ns_a() { ip netns exec "$NA" "$@"; }
ns_b() { ip netns exec "$NB" "$@"; }
# Run the sender in A; print its JSON result (last line).
stamp() { ns_a python3 "$TMP/stamp.py" "$@" | tail -n 1; }
jget() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {"d": d}))' "$1"; }
counter() { "$XDP" --netns "$NB" stats "$IF_B" --json | jget "$1"; }

setup_topology() {
	ip netns add "$NA" || return 1
	ip netns add "$NB" || return 1
	ip -n "$NA" link add "$IF_A" type veth peer name "$IF_B" netns "$NB" || return 1
	ip -n "$NA" addr add "$V4_A/24" dev "$IF_A"
	ip -n "$NA" addr add "$V4_OTHER/24" dev "$IF_A"
	ip -n "$NA" addr add "$V6_A/64" dev "$IF_A" nodad
	ip -n "$NB" addr add "$V4_B/24" dev "$IF_B"
	ip -n "$NB" addr add "$V6_B/64" dev "$IF_B" nodad
	ip -n "$NA" link set lo up
	ip -n "$NB" link set lo up
	ip -n "$NA" link set "$IF_A" up
	ip -n "$NB" link set "$IF_B" up
}

setup_topology || skip "cannot create network namespaces and a veth pair here"
# Give the link a moment to come up.
for _ in $(seq 50); do
	ip -n "$NA" link show "$IF_A" | grep -q LOWER_UP && break
	sleep 0.1
done

# 1. attach through `ip netns exec` (fresh /sys: no bpffs there)
out=$(ns_b "$XDP" attach "$IF_B" --allow 198.18.62.0/24 --allow fd00:6d70:7864::/64 2>&1)
rc=$?
echo "$out"
if [ $rc -ne 0 ]; then
	case "$out" in
	*"loading the BPF program failed"*|*"Operation not permitted"*) skip "cannot load XDP programs here: $out" ;;
	esac
	die "attach failed"
fi
case "$out" in *"mode generic"*) ok "attach says mode generic" ;; *) fail "attach did not print the mode" ;; esac
[ -e "$PIN/$NB:$IF_B/reflect/link" ] && ok "link pinned in the host bpffs" ||
	fail "no pin at $PIN/$NB:$IF_B/reflect/link"
ip -n "$NB" link show "$IF_B" | tr "\n" " " | grep -q "xdpgeneric.*prog/xdp" && ok "xdpgeneric on $IF_B" || fail "no XDP on $IF_B"

out=$(ns_b "$XDP" attach "$IF_B" --allow 0.0.0.0/0 2>&1)
[ $? -ne 0 ] && case "$out" in *"already attached"*) true ;; *) false ;; esac &&
	ok "second attach refused: $out" || fail "second attach not refused clearly: $out"

# stats from inside ip netns exec and through --netns must see the same pins
ns_b "$XDP" stats "$IF_B" >/dev/null && [ "$(counter 'd["reflect"]["port"]')" = 862 ] &&
	ok "stats works both ways" || fail "stats through ip netns exec / --netns"

# 2. IPv4 and IPv6 probes: every reply right
r=$(stamp --src "$V4_A" --dst "$V4_B" --count 200 --size 64 --ttl 64)
echo "IPv4: $r"
[ "$(echo "$r" | jget 'd["received"] == 200 and d["bad"] == 0')" = True ] &&
	ok "200/200 IPv4 replies, all fields right" || fail "IPv4 replies: $r"
r=$(stamp --src "$V6_A" --dst "$V6_B" --count 100 --size 111 --ttl 37)
echo "IPv6: $r"
[ "$(echo "$r" | jget 'd["received"] == 100 and d["bad"] == 0')" = True ] &&
	ok "100/100 IPv6 replies, all fields right" || fail "IPv6 replies: $r"
[ "$(counter 'd["reflect"]["counters"]["reflected"]')" = 300 ] &&
	ok "reflected counter 300" || fail "reflected counter $(counter 'd["reflect"]["counters"]')"

# 3. short (TWAMP-light 14 bytes): answered with 44 (RFC 8762 4.6), counted;
#    not allowed: no reply, counted
ns_a python3 -c "
import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('$V4_A', 0)); s.sendto(bytes(14), ('$V4_B', 862))"
r=$(stamp --src "$V4_OTHER" --dst "$V4_B" --count 3 --timeout 0.3)
sleep 0.2
[ "$(echo "$r" | jget 'd["received"]')" = 0 ] && ok "no reply to a source outside the allowlist" ||
	fail "answered a source outside the allowlist: $r"
[ "$(counter 'd["reflect"]["counters"]["padded"]')" = 1 ] && ok "short request answered padded" ||
	fail "padded counter: $(counter 'd["reflect"]["counters"]')"
[ "$(counter 'd["reflect"]["counters"]["not_allowed"]')" = 3 ] && ok "not_allowed counted" ||
	fail "not_allowed counter: $(counter 'd["reflect"]["counters"]')"

# 4. checksums on the wire: with TX checksum offload off on the sender the
#    request carries a full checksum, and the captured reply must too.
if command -v ethtool >/dev/null && ns_a ethtool -K "$IF_A" tx off >/dev/null 2>&1; then
	for pair in "$V4_A $V4_B 64" "$V6_A $V6_B 91"; do
		set -- $pair
		r=$(stamp --src "$1" --dst "$2" --count 50 --size "$3" --capture "$IF_A")
		echo "checksums $1: $r"
		[ "$(echo "$r" | jget 'd["received"] == 50 and d["csum_ok"] == 50 and d["csum_bad"] == 0')" = True ] &&
			ok "50 captured replies to $1 with valid checksums" || fail "checksums to $1: $r"
	done
	ns_a ethtool -K "$IF_A" tx on >/dev/null 2>&1
else
	echo "note: ethtool cannot turn TX checksum offload off; wire checksums not checked"
fi

# 5. loss 50 %: 1000 probes, replies inside the 99.9 % binomial interval
#    (500 +- 52), and every request accounted for (dropped + received).
ns_b "$XDP" impair "$IF_B" --loss 50 || fail "impair --loss 50"
seen0=$(counter 'd["impair"]["counters"]["seen"]')
drop0=$(counter 'd["impair"]["counters"]["dropped"]')
r=$(stamp --src "$V4_A" --dst "$V4_B" --count 1000 --interval 0.0005)
echo "loss 50%: $r"
got=$(echo "$r" | jget 'd["received"]')
seen=$(( $(counter 'd["impair"]["counters"]["seen"]') - seen0 ))
drop=$(( $(counter 'd["impair"]["counters"]["dropped"]') - drop0 ))
echo "measured: $got of 1000 replies ($(( (1000 - got) / 10 ))% loss); impair seen $seen dropped $drop"
[ "$got" -ge 448 ] && [ "$got" -le 552 ] && ok "loss 50%: $got/1000 replies" ||
	fail "loss 50%: $got/1000 replies, outside 448..552"
[ "$seen" = 1000 ] && [ $((drop + got)) = 1000 ] && ok "impair counters add up" ||
	fail "impair counters: seen $seen dropped $drop received $got"
[ "$(echo "$r" | jget 'd["bad"]')" = 0 ] || fail "bad replies under loss: $r"

# 6. blackhole on: nothing; off: everything again
ns_b "$XDP" impair "$IF_B" --loss 0 --blackhole on >/dev/null || fail "impair --blackhole on"
r=$(stamp --src "$V4_A" --dst "$V4_B" --count 50 --timeout 0.5)
[ "$(echo "$r" | jget 'd["received"]')" = 0 ] && ok "blackhole on: no replies" || fail "blackhole on: $r"
ip -n "$NA" neigh flush dev "$IF_A"
stamp --src "$V4_A" --dst "$V4_B" --count 3 --timeout 0.5 >/dev/null
ip -n "$NA" neigh show dev "$IF_A" | grep -q "$V4_B" && ok "ARP still resolves under the UDP blackhole" ||
	fail "the blackhole broke ARP"
ns_b "$XDP" impair "$IF_B" --blackhole off >/dev/null || fail "impair --blackhole off"
r=$(stamp --src "$V6_A" --dst "$V6_B" --count 50)
[ "$(echo "$r" | jget 'd["received"] == 50 and d["bad"] == 0')" = True ] &&
	ok "blackhole off: 50/50 replies" || fail "blackhole off: $r"
ns_b "$XDP" impair-detach "$IF_B" | grep -q "reflector stays" && ok "impair-detach clears the reflector's impairment" ||
	fail "impair-detach on the reflector"

# 7. the stand-alone impair program on the sender's side drops the replies
#    (port filter 862), while ARP keeps working
ns_a "$XDP" impair "$IF_A" --loss 100 --port 862 | grep -q "impair program attached" &&
	ok "impair program attached on $IF_A" || fail "impair attach on $IF_A"
ip -n "$NA" neigh flush dev "$IF_A"
r=$(stamp --src "$V4_A" --dst "$V4_B" --count 20 --timeout 0.5)
[ "$(echo "$r" | jget 'd["received"]')" = 0 ] && ok "impair program: replies dropped" || fail "impair program: $r"
ip -n "$NA" neigh show dev "$IF_A" | grep -q "$V4_B" && ok "ARP resolved through the impair program" ||
	fail "ARP did not resolve"
out=$(ns_a "$XDP" attach "$IF_A" 2>&1)
[ $? -ne 0 ] && case "$out" in *"impair-detach"*) true ;; *) false ;; esac &&
	ok "reflector attach refused over the impair program" || fail "attach over impair: $out"
ns_a "$XDP" impair-detach "$IF_A" >/dev/null || fail "impair-detach $IF_A"
[ ! -e "$PIN/$NA:$IF_A" ] && ok "impair pins removed" || fail "impair pins left in $PIN/$NA:$IF_A"
r=$(stamp --src "$V4_A" --dst "$V4_B" --count 20)
[ "$(echo "$r" | jget 'd["received"]')" = 20 ] && ok "replies back after impair-detach" || fail "after impair-detach: $r"

# 8. native mode: the peer needs an XDP program of its own to receive
#    XDP_TX frames from a veth; a pass-through one (blackhole on port 9 only)
ns_b "$XDP" detach "$IF_B" >/dev/null || fail "detach before native"
if ns_b "$XDP" attach "$IF_B" --mode native --allow 198.18.62.0/24 --allow fd00:6d70:7864::/64 2>&1 | grep -q "mode native"; then
	ns_a "$XDP" impair "$IF_A" --mode native --blackhole on --port 9 >/dev/null ||
		fail "native pass-through on $IF_A"
	for pair in "$V4_A $V4_B" "$V6_A $V6_B"; do
		set -- $pair
		r=$(stamp --src "$1" --dst "$2" --count 50 --capture "$IF_A")
		echo "native $1: $r"
		[ "$(echo "$r" | jget 'd["received"] == 50 and d["bad"] == 0 and d["csum_bad"] == 0')" = True ] &&
			ok "native mode: 50/50 replies to $1, checksums valid" || fail "native mode to $1: $r"
	done
	ns_a "$XDP" impair-detach "$IF_A" >/dev/null
else
	echo "note: native XDP not available on veth here; native mode not checked"
fi

# 9. detach removes everything
ns_b "$XDP" detach "$IF_B" >/dev/null || fail "detach"
[ ! -e "$PIN/$NB:$IF_B" ] && ok "pins removed" || fail "pins left: $(ls -R "$PIN/$NB:$IF_B" 2>&1)"
ip -n "$NB" link show "$IF_B" | grep -q "prog/xdp" && fail "XDP still on $IF_B" || ok "XDP gone from $IF_B"
"$XDP" --netns "$NB" stats "$IF_B" >/dev/null 2>&1 && fail "stats after detach succeeded" ||
	ok "stats after detach fails"

# 10. a pin directory of one's own (--pin-dir), through ip netns exec and --netns
ns_b "$XDP" --pin-dir "$ALT" attach "$IF_B" --allow 198.18.62.0/24 >/dev/null &&
	[ -e "$ALT/$NB:$IF_B/reflect/link" ] && ok "--pin-dir: pinned in $ALT" || fail "--pin-dir attach"
r=$(stamp --src "$V4_A" --dst "$V4_B" --count 10)
[ "$(echo "$r" | jget 'd["received"]')" = 10 ] && ok "--pin-dir: reflecting" || fail "--pin-dir: $r"
[ "$("$XDP" --pin-dir "$ALT" --netns "$NB" stats "$IF_B" --json | jget 'd["reflect"]["counters"]["reflected"]')" = 10 ] &&
	ok "--pin-dir: stats through --netns" || fail "--pin-dir: stats"
ns_b "$XDP" --pin-dir "$ALT" detach "$IF_B" >/dev/null && [ ! -e "$ALT/$NB:$IF_B" ] &&
	ok "--pin-dir: detached, pins removed" || fail "--pin-dir: detach"
rmdir "$ALT" 2>/dev/null

# 11. the namespace vanishes under an attached reflector: the next attach on
#     a new interface of the same name clears the stale pins
ns_b "$XDP" attach "$IF_B" --allow 198.18.62.0/24 >/dev/null || fail "re-attach"
ip netns del "$NA"
ip netns del "$NB"
setup_topology || die "re-creating the topology"
out=$(ns_b "$XDP" attach "$IF_B" --allow 198.18.62.0/24 2>&1)
[ $? -eq 0 ] && case "$out" in *stale*) true ;; *) false ;; esac &&
	ok "stale pins cleared on attach" || fail "attach over stale pins: $out"
sleep 0.5
r=$(stamp --src "$V4_A" --dst "$V4_B" --count 20)
[ "$(echo "$r" | jget 'd["received"]')" = 20 ] && ok "reflecting after the re-attach" || fail "after re-attach: $r"

if [ "$FAILS" -ne 0 ]; then
	echo "xdp_reflect: $FAILS check(s) failed"
	exit 1
fi
echo "xdp_reflect: all checks passed"
exit 0
