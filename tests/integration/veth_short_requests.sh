#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Our reflectors against a TWAMP-light sender like nokia/twampy (14-byte
# requests; tests/peers/twamp_light_sender.py, checked against the vectors)
# on a veth pair of our own: RFC 8762 section 4.6 says a reflector answers
# a request shorter than the 44-byte base packet with the base packet.
# For the XDP reflector and then the DPDK reflector: 14-byte requests over
# IPv4 (and IPv6 for XDP) come back as 44-byte replies that echo sequence
# number, T1 and error estimate; a 44-byte request with an RFC 8972 TLV
# comes back with the TLV; a source outside the allowlist gets nothing;
# the per-source rate limit bites at its bound (counted) and lets a slower
# stream through; --refuse-short answers none (counted would_amplify).
#
# usage: veth_short_requests.sh BUILD_DIR
# exit: 0 pass, 1 fail, 77 skip (reason printed)

set -u

BUILD=${1:-build}
XDP=$BUILD/dataplane/xdp/metroprobe-xdp
DP=$BUILD/dataplane/dp/metroprobe-dp
PEERS=$(cd "$(dirname "$0")/../peers" && pwd)
NA="mpt-short-s$$"		# sender
NB="mpt-short-r$$"		# reflector
IF_A=veth-s
IF_B=veth-r
V4_A=198.18.64.1
V4_B=198.18.64.2
V4_OTHER=198.18.65.1		# on the sender, not allowed
V6_A=fd00:6d70:7365::1
V6_B=fd00:6d70:7365::2
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
	if ip netns list 2>/dev/null | grep -qw "$NB"; then
		[ -x "$XDP" ] && "$XDP" --netns "$NB" detach "$IF_B" >/dev/null 2>&1
		[ -x "$XDP" ] && "$XDP" --netns "$NA" impair-detach "$IF_A" >/dev/null 2>&1
	fi
	rm -rf "/sys/fs/bpf/metroprobe/$NA:"* 2>/dev/null
	ip netns del "$NA" 2>/dev/null
	ip netns del "$NB" 2>/dev/null
	rm -rf "/sys/fs/bpf/metroprobe/$NB:"* 2>/dev/null
	[ -n "$TMP" ] && rm -rf "$TMP"
}

[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, XDP, DPDK)"
command -v python3 >/dev/null || skip "python3 is not installed"
command -v ip >/dev/null || skip "iproute2 (ip) is not installed"
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
TMP=$(mktemp -d /tmp/mpt-short.XXXXXX)

ip netns add "$NA" && ip netns add "$NB" &&
	ip -n "$NA" link add "$IF_A" type veth peer name "$IF_B" netns "$NB" ||
	skip "cannot create network namespaces and a veth pair here"
ip -n "$NA" addr add "$V4_A/24" dev "$IF_A"
ip -n "$NA" addr add "$V4_OTHER/24" dev "$IF_A"
ip -n "$NA" addr add "$V6_A/64" dev "$IF_A" nodad
ip -n "$NA" route add "$V4_B/32" dev "$IF_A" src "$V4_A" 2>/dev/null
for ns in "$NA" "$NB"; do
	ip -n "$ns" link set lo up
done
ip -n "$NA" link set "$IF_A" up
ip -n "$NB" link set "$IF_B" up
for _ in $(seq 50); do
	ip -n "$NA" link show "$IF_A" | grep -q LOWER_UP && break
	sleep 0.1
done

# send ARGS...: the sender in NA; its JSON result
send() { ip netns exec "$NA" python3 "$PEERS/twamp_light_sender.py" "$@" | tail -n 1; }
jget() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {"d": d}))' "$1"; }

# twampy_ok WHAT ADDR_SRC ADDR_DST: 40 TWAMP-light requests, 40 44-byte replies
twampy_ok() {
	local r
	r=$(send --src "$2" --dst "$3" --count 40 --interval 0.005 --expect-len 44)
	echo "$1: $r"
	[ "$(echo "$r" | jget 'd["received"] == 40 and d["bad"] == 0 and d["lens"] == {"44": 40}')" = True ] &&
		ok "$1: 40 14-byte requests, 40 44-byte replies, every field echoed" ||
		fail "$1: $r"
}

# none WHAT ARGS...: no reply at all
none() {
	local what=$1 r
	shift
	r=$(send "$@" --timeout 0.5)
	[ "$(echo "$r" | jget 'd["received"] + d["bad"]')" = 0 ] && ok "$what: no reply" ||
		fail "$what: answered: $r"
}

# rate_bites WHAT: 300 back to back at --short-rate 100 --short-burst 20: the
# burst and what 100/s adds while sending, no more; then 50/s all through.
# Prints "answered sent" for the caller's counters.
rate_bites() {
	local r n s
	r=$(send --src "$V4_A" --dst "$V4_B" --count 300 --interval 0 --timeout 0.5)
	n=$(echo "$r" | jget 'd["received"]')
	s=$(echo "$r" | jget 'd["send_s"]')
	echo "$1: back to back: $r" >&2
	if awk "BEGIN { exit !($n >= 20 && $n <= 20 + 100 * ($s + 0.05) + 2) }"; then
		ok "$1: $n of 300 answered in ${s}s at 100/s with a burst of 20" >&2
	else
		fail "$1: $n of 300 answered in ${s}s: not the bound of 20 + 100/s" >&2
	fi
	sleep 0.3
	r=$(send --src "$V4_A" --dst "$V4_B" --count 25 --interval 0.02 --expect-len 44)
	[ "$(echo "$r" | jget 'd["received"]')" = 25 ] && ok "$1: a 50/s stream all answered" >&2 ||
		fail "$1: a 50/s stream under the rate was limited: $r" >&2
	echo "$((n + 25)) 325"
}

# ------------------------------------------------------------------ XDP
if [ ! -x "$XDP" ]; then
	echo "XDP part skipped: $XDP not built"
else
	ip -n "$NB" addr add "$V4_B/24" dev "$IF_B"
	ip -n "$NB" addr add "$V6_B/64" dev "$IF_B" nodad
	xstat() { "$XDP" --netns "$NB" stats "$IF_B" --json | jget "$1"; }
	attach() {
		"$XDP" --netns "$NB" detach "$IF_B" >/dev/null 2>&1
		out=$("$XDP" --netns "$NB" attach "$IF_B" --allow 198.18.64.0/24 \
			--allow fd00:6d70:7365::/64 "$@" 2>&1) || {
			case "$out" in
			*"loading the BPF program failed"*|*"Operation not permitted"*)
				skip "cannot load XDP programs here: $out" ;;
			esac
			die "attach $*: $out"
		}
	}
	attach
	twampy_ok "XDP IPv4" "$V4_A" "$V4_B"
	twampy_ok "XDP IPv6" "$V6_A" "$V6_B"
	r=$(send --src "$V4_A" --dst "$V4_B" --count 10 --size 30 --ssid 0x0102 --expect-len 44)
	[ "$(echo "$r" | jget 'd["received"] == 10 and d["bad"] == 0 and d["ssid_echoed"] == 10')" = True ] &&
		ok "XDP: 30-byte requests padded to 44, SSID echoed" || fail "XDP 30 bytes: $r"
	r=$(send --src "$V4_A" --dst "$V4_B" --count 10 --size 44 --errest 0x0001 --tlv --expect-len 52)
	[ "$(echo "$r" | jget 'd["received"] == 10 and d["bad"] == 0')" = True ] &&
		ok "XDP: 44 bytes + TLV answered with 52, TLV echoed" || fail "XDP TLV: $r"
	none "XDP: source outside the allowlist" --src "$V4_OTHER" --dst "$V4_B" --count 5
	[ "$(xstat 'd["reflect"]["counters"]["padded"]')" = 90 ] && ok "XDP: padded 90" ||
		fail "XDP padded counter: $(xstat 'd["reflect"]["counters"]')"
	[ "$(xstat 'd["reflect"]["counters"]["not_allowed"]')" = 5 ] && ok "XDP: not_allowed 5" ||
		fail "XDP not_allowed: $(xstat 'd["reflect"]["counters"]')"

	attach --short-rate 100 --short-burst 20
	[ "$(xstat '(d["reflect"]["short_rate"], d["reflect"]["short_burst"], d["reflect"]["refuse_short"])')" = "(100, 20, False)" ] &&
		ok "XDP stats show the short-request settings" ||
		fail "XDP stats settings: $("$XDP" --netns "$NB" stats "$IF_B" --json)"
	set -- $(rate_bites "XDP")
	lim=$(xstat 'd["reflect"]["counters"]["rate_limited"]')
	pad=$(xstat 'd["reflect"]["counters"]["padded"]')
	[ "$pad" = "$1" ] && [ $((pad + lim)) = "$2" ] &&
		ok "XDP: rate_limited $lim + padded $pad = $2 requests" ||
		fail "XDP: rate_limited $lim, padded $pad, answered $1 of $2"

	attach --refuse-short
	none "XDP --refuse-short" --src "$V4_A" --dst "$V4_B" --count 20 --interval 0.005
	[ "$(xstat 'd["reflect"]["counters"]["would_amplify"]')" = 20 ] &&
		ok "XDP --refuse-short: would_amplify 20" ||
		fail "XDP --refuse-short counters: $(xstat 'd["reflect"]["counters"]')"
	# native mode: the frame grows in the driver's buffer, the checksum of a
	# request whose offload was pending is computed (the peer needs an XDP
	# program of its own to receive XDP_TX frames from a veth: pass-through)
	"$XDP" --netns "$NB" detach "$IF_B" >/dev/null 2>&1
	if "$XDP" --netns "$NB" attach "$IF_B" --mode native --allow 198.18.64.0/24 \
		--allow fd00:6d70:7365::/64 2>&1 | grep -q "mode native"; then
		"$XDP" --netns "$NA" impair "$IF_A" --mode native --blackhole on --port 9 >/dev/null ||
			fail "native pass-through on $IF_A"
		twampy_ok "XDP native IPv4" "$V4_A" "$V4_B"
		twampy_ok "XDP native IPv6" "$V6_A" "$V6_B"
		"$XDP" --netns "$NA" impair-detach "$IF_A" >/dev/null 2>&1
	else
		echo "note: native XDP not available on veth here; native mode not checked"
	fi
	"$XDP" --netns "$NB" detach "$IF_B" >/dev/null 2>&1
	ip -n "$NB" addr flush dev "$IF_B"
fi

# ------------------------------------------------------------------ DPDK
# The reflector owns 198.18.64.2 (ARP included) through net_af_packet; the
# kernel side of the veth keeps no address.
dp_start() {
	: >"$TMP/dp.log"
	ip netns exec "$NB" "$DP" --no-pci --no-huge -m 128 -l 0 --file-prefix "mpt-short-$$" \
		--vdev "net_af_packet0,iface=$IF_B" -- reflect --ip "$V4_B/24" --ip "$V6_B/64" "$@" \
		>"$TMP/dp.log" 2>&1 &
	DP_PID=$!
	for _ in $(seq 100); do
		grep -q "reflector ready" "$TMP/dp.log" && return 0
		kill -0 "$DP_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$TMP/dp.log"
	die "metroprobe-dp reflect $* did not start"
}
# dp_stop: stop it and print its final stats line. Called as $(dp_stop), in a
# subshell, where `wait` cannot wait for the reflector (not its child) and
# returns at once: poll until it is gone, or the line could be read too early.
dp_stop() {
	local i
	kill -INT "$DP_PID" 2>/dev/null
	for i in $(seq 200); do
		kill -0 "$DP_PID" 2>/dev/null || break
		sleep 0.05
	done
	wait "$DP_PID" 2>/dev/null
	DP_PID=""
	grep '"reflector_final"' "$TMP/dp.log" | tail -n 1
}

if [ ! -x "$DP" ]; then
	echo "DPDK part skipped: $DP not built (no DPDK)"
elif ! ip netns exec "$NA" ethtool -K "$IF_A" tx off >/dev/null 2>&1; then
	# af_packet would see the sender's pending (partial) checksums as bad
	fail "DPDK part: cannot switch TX checksum offload off on the sender (ethtool)"
else
	dp_start
	twampy_ok "DPDK IPv4" "$V4_A" "$V4_B"
	twampy_ok "DPDK IPv6" "$V6_A" "$V6_B"
	r=$(send --src "$V4_A" --dst "$V4_B" --count 10 --size 30 --ssid 0x0102 --expect-len 44)
	[ "$(echo "$r" | jget 'd["received"] == 10 and d["bad"] == 0 and d["ssid_echoed"] == 10')" = True ] &&
		ok "DPDK: 30-byte requests padded to 44, SSID echoed" || fail "DPDK 30 bytes: $r"
	r=$(send --src "$V4_A" --dst "$V4_B" --count 10 --size 44 --errest 0x0001 --tlv --expect-len 52)
	[ "$(echo "$r" | jget 'd["received"] == 10 and d["bad"] == 0')" = True ] &&
		ok "DPDK: 44 bytes + TLV answered with 52, TLV echoed" || fail "DPDK TLV: $r"
	none "DPDK: source outside the allowlist" --src "$V4_OTHER" --dst "$V4_B" --count 5
	st=$(dp_stop)
	echo "DPDK stats: $st"
	[ "$(echo "$st" | jget 'd["short_padded"]')" = 90 ] && ok "DPDK: short_padded 90" ||
		fail "DPDK short_padded: $st"
	[ "$(echo "$st" | jget 'd["invalid"]["not_allowed"]')" = 5 ] && ok "DPDK: not_allowed 5" ||
		fail "DPDK not_allowed: $st"

	dp_start --short-rate 100 --short-burst 20
	set -- $(rate_bites "DPDK")
	st=$(dp_stop)
	lim=$(echo "$st" | jget 'd["invalid"]["rate_limited"]')
	pad=$(echo "$st" | jget 'd["short_padded"]')
	[ "$pad" = "$1" ] && [ $((pad + lim)) = "$2" ] &&
		ok "DPDK: rate_limited $lim + short_padded $pad = $2 requests" ||
		fail "DPDK: rate_limited $lim, padded $pad, answered $1 of $2: $st"

	dp_start --refuse-short
	none "DPDK --refuse-short" --src "$V4_A" --dst "$V4_B" --count 20 --interval 0.005
	st=$(dp_stop)
	[ "$(echo "$st" | jget 'd["invalid"]["would_amplify"]')" = 20 ] &&
		ok "DPDK --refuse-short: would_amplify 20" || fail "DPDK --refuse-short: $st"
fi

[ "$FAILS" = 0 ] || die "$FAILS checks failed"
echo "PASS"
