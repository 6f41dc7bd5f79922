# SPDX-License-Identifier: BSD-3-Clause
# Shared helpers of the lab integration tests. Source it; then call
# lab_begin [lab up options...]. Every test: exit 0 pass, 1 fail, 77 skip.
#
# usage of a test: TEST.sh BUILD_DIR

set -u
BUILD=${1:-${MP_BUILD:-build}}
MP=$BUILD/control/metroprobe
DP=$BUILD/dataplane/dp/metroprobe-dp
export METROPROBE_DP=$(readlink -f "$DP" 2>/dev/null || echo "$DP")

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok - $*"; }

[ -x "$MP" ] || fail "no $MP (build first)"
[ "$(id -u)" = 0 ] || skip "the lab needs root (namespaces, veths, hugepages)"
[ -x "$DP" ] || skip "metroprobe-dp was not built (no DPDK)"
for t in ip jq ethtool; do
	command -v $t >/dev/null 2>&1 || skip "$t is not installed"
done
if ip netns list | grep -q '^mp-' || [ -e /run/metroprobe/lab/state.json ]; then
	skip "a lab is already up on this machine (not ours: not touching it)"
fi

TMP=$(mktemp -d /tmp/mp-itest.XXXXXX)
lab_cleanup() {
	local rc=$?
	[ -n "${RUN_PID:-}" ] && kill -9 "$RUN_PID" 2>/dev/null
	"$MP" lab down >/dev/null 2>&1
	if [ $rc != 0 ] && [ $rc != 77 ] && [ -d "$TMP/out" ]; then
		echo "--- dataplane log tail ---"
		tail -n 15 "$TMP/out/dataplane.log" 2>/dev/null
	fi
	rm -rf "$TMP"
	exit $rc
}
trap lab_cleanup EXIT
trap 'exit 1' INT TERM

# need_routed: skip unless the routed lab can run (metroprobe-xdp, FRRouting)
need_routed() {
	local xdp=$BUILD/dataplane/xdp/metroprobe-xdp
	[ -x "$xdp" ] || skip "metroprobe-xdp was not built (the routed lab needs it)"
	export METROPROBE_XDP=$(readlink -f "$xdp")
	[ -x /usr/lib/frr/bgpd ] && [ -x /usr/lib/frr/bfdd ] && command -v vtysh >/dev/null 2>&1 ||
		skip "FRRouting is not installed (apt-get install frr): the routed lab needs it"
}

# lab_begin [options of lab up]
lab_begin() {
	(cd "$TMP" && "$MP" lab up --config-out "$TMP/lab.json" "$@") >"$TMP/labup.log" 2>&1 ||
		{ cat "$TMP/labup.log"; fail "lab up $*"; }
}

# probe_run SECONDS [extra run options]: runs in the foreground; sets RUN_RC.
probe_run() {
	local secs=$1
	shift
	RUN_RC=0
	"$MP" run "$TMP/lab.json" --duration "$secs" --out "$TMP/out" --quiet "$@" \
		>"$TMP/run.log" 2>&1 || RUN_RC=$?
}

# j FILTER: jq over the summary
j() { jq -r "$1" "$TMP/out/summary.json"; }

# float comparisons: fcmp "a < b"
fcmp() { awk "BEGIN { exit !($1) }"; }

# lab_rate RATE: probe both links of the lab config at RATE (e.g. 2000pps)
lab_rate() {
	jq --arg r "$1" '.links[].rate = $r' "$TMP/lab.json" >"$TMP/lab.json.new" &&
		mv "$TMP/lab.json.new" "$TMP/lab.json" || fail "cannot set the rate in lab.json"
}

# istats LINK [--after-ns T] [--before-ns T]: merged interval numbers (JSON)
istats() {
	local link=$1
	shift
	python3 "$(dirname "$0")/interval_stats.py" "$TMP/out/intervals.jsonl" "$link" "$@"
}

# binom_ok X N P: is X within the two-sided 99.9% interval of Binomial(N, P)?
# (normal approximation, +1 for the discreteness). Prints the interval.
binom_ok() {
	awk -v x="$1" -v n="$2" -v p="$3" 'BEGIN {
		m = n * p; h = 3.29 * sqrt(n * p * (1 - p)) + 1
		printf "%.0f..%.0f", m - h, m + h
		exit !(x >= m - h && x <= m + h)
	}'
}

# lab_end: remove the lab and the run's output (between attempts)
lab_end() {
	"$MP" lab down >/dev/null 2>&1
	rm -rf "$TMP/out"
}

# too_noisy P75_US: is the undelayed reference link's 75th percentile RTT
# (a few us on a quiet machine) above 50 us? Then the machine is too busy
# (other work on the 2 vCPUs, the reflectors woken late) to resolve the
# tens of us these tests assert: the attempt is measured again.
too_noisy() { fcmp "$1 > 50"; }

# attached_dp PREFIX DURATION_MS SOCKET: a dataplane to start by hand for
# run --attach: the command line a run of lab.json would use (from check),
# on SOCKET, with --control-lost keep and file prefix PREFIX, for
# DURATION_MS. Sets sock, args, pages, ns; dp_pid finds it; it (and its
# hugepages wrapper) is killed at exit, before the lab goes.
attached_dp() {
	DP_PREFIX=$1
	trap attached_dp_cleanup EXIT
	"$MP" check "$TMP/lab.json" >"$TMP/check.log" || { cat "$TMP/check.log"; fail "check lab.json"; }
	local cmd
	cmd=$(sed -n 's/^dataplane: //p' "$TMP/check.log")
	pages=$(sed -n 's/^memory: \([0-9]*\) hugepages.*/\1/p' "$TMP/check.log")
	sock=$3
	args=$(sed -e "s|--socket SOCKET|--socket $sock|" -e "s|--control-lost exit|--control-lost keep|" \
		-e "s|--file-prefix [^ ]*|--file-prefix $DP_PREFIX|" \
		-e "s|--duration-ms [0-9]*|--duration-ms $2|" <<<"$cmd")
	grep -q -- "--control-lost keep" <<<"$args" || fail "no --control-lost in the dataplane command: $cmd"
	ns=$(jq -r '.links[0].netns // ""' "$TMP/lab.json")
	[ -n "$ns" ] || fail "lab.json has no netns for link 0"
}
dp_pid() { pgrep -f -- "--file-prefix $DP_PREFIX" | tail -1; }
attached_dp_cleanup() {
	local rc=$? p
	for p in $(pgrep -f -- "--file-prefix $DP_PREFIX"); do kill -9 "$p" 2>/dev/null; done
	(exit $rc)
	lab_cleanup
}
