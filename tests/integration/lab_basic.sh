#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The built-in lab, without the dataplane: kernel reflectors in both sites.
# lab up builds the namespaces and links (checked through `lab status --json`
# and independently through ip/sysfs/ARP), writes a valid lab.json, refuses a
# second `lab up`, and `lab down` removes everything, twice in a row; a lab up
# whose reflector fails leaves nothing behind.
#
# usage: lab_basic.sh /path/to/metroprobe
# exit: 0 pass, 1 fail, 77 skip (not root, or a tool or the kernel is missing)

set -u

BIN=${1:-}
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
	echo "usage: $0 /path/to/metroprobe" >&2
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: the lab needs root (network namespaces, veth pairs)"
	exit 77
fi
for tool in ip jq ethtool; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: $tool is not installed"
		exit 77
	fi
done
if ! ip netns add mp-probe-h5 2>/dev/null; then
	echo "SKIP: cannot create network namespaces here"
	exit 77
fi
ip netns del mp-probe-h5
if ip netns list | grep -q '^mp-' || [ -e /run/metroprobe/lab/state.json ]; then
	echo "SKIP: a lab is already up on this machine (not ours: not touching it)"
	exit 77
fi

HP=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
TMP=$(mktemp -d /tmp/lab_basic.XXXXXX)
cleanup() {
	"$BIN" lab down >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
	echo "FAIL: $*"
	exit 1
}
ok() {
	echo "ok - $*"
}

# Nothing of the lab exists: no mp-* namespace, no lab interface in the root
# namespace, no state file, no lab reflector process.
assert_gone() {
	local what=$1
	if ip netns list | grep -q '^mp-'; then
		fail "$what: namespaces left: $(ip netns list | grep '^mp-' | tr '\n' ' ')"
	fi
	if ls /sys/class/net | grep -Eq '^mp[ab]-'; then
		fail "$what: lab interfaces left in the root namespace"
	fi
	[ ! -e /run/metroprobe/lab/state.json ] || fail "$what: state.json left"
	if grep -lsa 'mp-la[b]-' /proc/[0-9]*/cmdline | grep -q .; then
		fail "$what: a lab reflector process is left"
	fi
}

# jq assertion on a JSON file: jqt FILE FILTER WHAT
jqt() {
	jq -e "$2" "$1" >/dev/null || fail "$3 (jq: $2)"
}

# The prober end has no kernel address: give it one for a moment and let ARP
# find the far end; the MAC learned over the wire must be the site end's.
arp_check() {
	local pif=$1 pip=$2 sip=$3 want=$4 got="" i
	ip -n mp-onprem addr add "$pip/30" dev "$pif" || fail "temporary address on $pif"
	for i in 1 2 3 4 5 6 7 8 9 10; do
		ip netns exec mp-onprem bash -c "echo probe > /dev/udp/$sip/862" 2>/dev/null
		got=$(ip -n mp-onprem -j neigh show "$sip" dev "$pif" | jq -r '.[0].lladdr // empty')
		[ -n "$got" ] && break
		sleep 0.2
	done
	ip -n mp-onprem addr del "$pip/30" dev "$pif"
	[ "$got" = "$want" ] || fail "ARP from $pif for $sip found '$got', want $want (mpa-r/mpb-r MAC)"
}

# The lab gives back the hugepages it raised only when nobody else uses any.
hp_idle() {
	awk '/^HugePages_Total:/ { t = $2 } /^HugePages_Free:/ { f = $2 }
		END { exit !(t == f) }' /proc/meminfo
}
HP_BEFORE=$(cat $HP 2>/dev/null || echo none)
HP_IDLE=no
hp_idle && HP_IDLE=yes

# --- help and usage errors create nothing ---
"$BIN" lab --help | grep -q 'up' || fail "lab --help"
for c in up down status impair; do
	"$BIN" lab $c --help >/dev/null || fail "lab $c --help"
done
"$BIN" lab up --reflector c:kernel 2>/dev/null
[ $? = 2 ] || fail "lab up --reflector c:kernel must be a usage error (2)"
"$BIN" lab up --reflector a:kernel --impair a:delay_us=5 2>"$TMP/err"
[ $? = 2 ] || fail "delay on a kernel reflector must be refused"
grep -q 'dpdk' "$TMP/err" || fail "delay refusal does not say it needs dpdk: $(cat "$TMP/err")"
assert_gone "after usage errors"
if command -v setpriv >/dev/null 2>&1; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN" lab status 2>"$TMP/err"
	rc=$?
	[ $rc = 1 ] && grep -q 'root' "$TMP/err" || fail "non-root lab status: rc $rc, $(cat "$TMP/err")"
fi
ok "help, usage errors, root check"

# --- lab up with kernel reflectors ---
"$BIN" lab up --reflector a:kernel --reflector b:kernel --config-out "$TMP/lab.json" \
	>"$TMP/up.out" 2>&1 || fail "lab up: $(cat "$TMP/up.out")"
"$BIN" lab status --json >"$TMP/st.json"
[ $? = 0 ] || fail "lab status after up must exit 0"
S="$TMP/st.json"
jqt "$S" '.up == true and .state == "up"' "status: up"
jqt "$S" ".config == \"$TMP/lab.json\"" "status: config path"
jqt "$S" '.netns | keys == ["mp-onprem", "mp-site-a", "mp-site-b"]' "status: namespaces"
jqt "$S" '[.netns["mp-onprem"].interfaces[].name] | sort == ["mpa-p", "mpb-p"]' \
	"status: prober interfaces"
jqt "$S" '[.netns["mp-onprem"].interfaces[].addresses[]] | length == 0' \
	"status: prober ends must have no kernel address"
jqt "$S" '.netns["mp-site-a"].interfaces[] | select(.name == "mpa-r") | .addresses
	| (index("192.0.2.2/30") != null) and (index("2001:db8:a::2/126") != null)' \
	"status: site a addresses"
jqt "$S" '.netns["mp-site-b"].interfaces[] | select(.name == "mpb-r") | .addresses
	| (index("198.51.100.2/30") != null) and (index("2001:db8:b::2/126") != null)' \
	"status: site b addresses"
jqt "$S" '[.netns[].interfaces[].mac | test("^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")] | all' \
	"status: MACs"
jqt "$S" '.sites.a.reflector == "kernel" and .sites.b.reflector == "kernel" and
	.sites.a.location == "Amsterdam" and .sites.b.location == "Amsterdam2"' "status: sites"
ok "lab status --json describes the lab"

# Independently of status: the namespaces, sysctls and offloads themselves.
for ns in mp-onprem mp-site-a mp-site-b; do
	ip netns list | grep -q "^$ns\b" || fail "netns $ns missing"
done
for ifc in mpa-p mpb-p; do
	v=$(ip netns exec mp-onprem cat /proc/sys/net/ipv6/conf/$ifc/disable_ipv6)
	[ "$v" = 1 ] || fail "IPv6 must be disabled on $ifc (is $v)"
	ip -n mp-onprem -j link show "$ifc" | jq -e '.[0].flags | index("UP") != null' >/dev/null ||
		fail "$ifc is not up"
done
for pair in mp-onprem:mpa-p mp-site-a:mpa-r mp-onprem:mpb-p mp-site-b:mpb-r; do
	ns=${pair%%:*}
	ifc=${pair#*:}
	ip netns exec "$ns" ethtool -k "$ifc" | grep -q '^rx-checksumming: off' ||
		fail "rx checksum offload still on for $ifc"
	ip netns exec "$ns" ethtool -k "$ifc" | grep -q '^tx-checksumming: off' ||
		fail "tx checksum offload still on for $ifc"
	ip netns exec "$ns" ethtool -k "$ifc" | grep -q '^generic-receive-offload: off' ||
		fail "GRO still on for $ifc"
done
MAC_A=$(jq -r '.netns["mp-site-a"].interfaces[] | select(.name == "mpa-r") | .mac' "$S")
MAC_B=$(jq -r '.netns["mp-site-b"].interfaces[] | select(.name == "mpb-r") | .mac' "$S")
arp_check mpa-p 192.0.2.1 192.0.2.2 "$MAC_A"
arp_check mpb-p 198.51.100.1 198.51.100.2 "$MAC_B"
ok "namespaces, sysctls, offloads, and both links carry frames to the right site"

# --- lab.json ---
C="$TMP/lab.json"
jqt "$C" '.metro == "Amsterdam Metro" and .duration_s == 20 and .out_dir == "out" and
	.dataplane.lcores == "0-1" and (.links | length) == 2' "lab.json: top level"
jqt "$C" '.links[0] | .name == "a" and .location == "Amsterdam" and .netns == "mp-onprem" and
	.port == "net_af_packet0,iface=mpa-p" and .link_speed == "10Gbps" and
	.ip == "192.0.2.1/30" and .next_hop == "192.0.2.2" and .reflector_port == 862 and
	.source_port == 862 and .rate == "1000pps" and .frame_size == 128 and .dscp == 46 and
	.ssid == 1' "lab.json: link a"
jqt "$C" '.links[1] | .name == "b" and .location == "Amsterdam2" and .netns == "mp-onprem" and
	.port == "net_af_packet1,iface=mpb-p" and .ip == "198.51.100.1/30" and
	.next_hop == "198.51.100.2" and .ssid == 2' "lab.json: link b"
# and the config checker `metroprobe run` trusts, with this lab up
"$BIN" check "$C" >"$TMP/check.out" 2>&1 ||
	fail "metroprobe check lab.json: exit $?: $(cat "$TMP/check.out")"
grep -q '^config ok' "$TMP/check.out" || fail "metroprobe check lab.json: $(cat "$TMP/check.out")"
ok "lab.json passes metroprobe check"
ok "lab.json"

# --- a second lab up fails cleanly and leaves the lab alone ---
"$BIN" lab up --reflector a:kernel --reflector b:kernel --config-out "$TMP/lab2.json" \
	>/dev/null 2>"$TMP/err"
rc=$?
[ $rc != 0 ] || fail "a second lab up must fail"
grep -q 'already up' "$TMP/err" || fail "second lab up: $(cat "$TMP/err")"
[ ! -e "$TMP/lab2.json" ] || fail "a failed lab up wrote a config"
"$BIN" lab status >/dev/null || fail "the lab must still be up after a refused lab up"
ok "lab up twice is refused"

# Impairments a kernel reflector cannot do are refused with a clear error.
"$BIN" lab impair a jitter_us=10 2>"$TMP/err"
[ $? = 2 ] || fail "jitter on a kernel reflector must be refused"
"$BIN" lab impair c loss=1 2>/dev/null
[ $? = 2 ] || fail "unknown site must be a usage error"
ok "lab impair refuses what it cannot do"

# --- lab down, twice ---
"$BIN" lab down >"$TMP/down.out" 2>&1 || fail "lab down: $(cat "$TMP/down.out")"
grep -q 'lab is down' "$TMP/down.out" || fail "lab down does not say so"
assert_gone "after lab down"
"$BIN" lab status --json >"$TMP/st.json"
[ $? = 3 ] || fail "lab status must exit 3 when down"
jqt "$TMP/st.json" '.up == false and .state == "down"' "status when down"
"$BIN" lab down >"$TMP/down.out" 2>&1 || fail "a second lab down must succeed"
grep -q 'lab is down' "$TMP/down.out" || fail "second lab down does not say 'lab is down'"
ok "lab down removes everything, and is idempotent"

# --- lab down without the state file still finds everything by name ---
"$BIN" lab up --reflector kernel --shared-conduit --config-out "$TMP/lab.json" \
	>"$TMP/up.out" 2>&1 || fail "lab up --shared-conduit: $(cat "$TMP/up.out")"
"$BIN" lab status --json >"$TMP/st.json" || fail "status with a conduit"
jqt "$TMP/st.json" '[.netns["mp-conduit"].interfaces[].name] | sort ==
	["mpa-br", "mpa-cp", "mpa-cs", "mpb-br", "mpb-cp", "mpb-cs"]' "conduit interfaces"
rm -f /run/metroprobe/lab/state.json
"$BIN" lab down >"$TMP/down.out" 2>&1 || fail "lab down without state: $(cat "$TMP/down.out")"
assert_gone "after lab down without state.json"
ok "shared conduit; lab down without state.json"

# --- a lab up that fails half way leaves nothing behind ---
METROPROBE_DP=/bin/false "$BIN" lab up --reflector a:dpdk --reflector b:kernel \
	--config-out "$TMP/lab3.json" >"$TMP/up.out" 2>&1
rc=$?
[ $rc != 0 ] || fail "lab up with a failing reflector must fail"
grep -q 'reflector' "$TMP/up.out" || fail "the failure does not name the reflector: $(cat "$TMP/up.out")"
assert_gone "after a failed lab up"
[ ! -e "$TMP/lab3.json" ] || fail "a failed lab up wrote a config"
HP_AFTER=$(cat $HP 2>/dev/null || echo none)
if [ "$HP_IDLE" = yes ] && hp_idle; then
	[ "$HP_AFTER" = "$HP_BEFORE" ] ||
		fail "nr_hugepages was $HP_BEFORE before, $HP_AFTER after a failed lab up"
	ok "a failed lab up cleans up (nr_hugepages back to $HP_BEFORE)"
else
	echo "# another program uses hugepages: the lab rightly leaves nr_hugepages alone;" \
		"restore not checked"
	ok "a failed lab up cleans up"
fi

echo "PASS: lab_basic"
exit 0
