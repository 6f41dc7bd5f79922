#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# What the service costs: metroprobe serve on the built-in lab, its CPU and
# its dataplane's, at 10 and at 1000 probes/s per link, interleaved (10,
# 1000, 10, 1000, ...: this VM changes speed every minute or so), medians
# over ROUNDS; and serve's resident memory when its first window is in and
# after a soak of SOAK seconds at 1000 pps (flat is the goal; the 10-minute
# figure: SOAK=600), sampled every 10 s: growth_bytes_per_hour is the
# least-squares slope of those samples (less at the mercy of one page than
# the two ends), times 3600. CPU is utime + stime over a window of MEASURE
# seconds after the first records, as a percentage of one core.
#
# usage: sudo bench/serve.sh [BUILD_DIR (build)] [ROUNDS (3)] [MEASURE (20)] [SOAK (60)]
# Prints progress on stderr and one JSON object as the last line of stdout:
#   {"serve_control_cpu_pct": {"10": x, "1000": y}, "serve_dp_cpu_pct": {...},
#    "serve_rss_bytes": {"start": a, "after_soak": b, "soak_s": SOAK,
#                        "growth_bytes_per_hour": g, "samples": [[t_s, bytes], ...]}, "runs": [...]}
# Takes the lab lock itself (flock /run/mp-lab.lock), one run at a time.
set -u
BUILD=$(readlink -f "${1:-build}")
ROUNDS=${2:-3} MEASURE=${3:-20} SOAK=${4:-60}
MP=$BUILD/control/metroprobe
export METROPROBE_DP=$BUILD/dataplane/dp/metroprobe-dp
[ -x "$MP" ] && [ -x "$METROPROBE_DP" ] || { echo "serve.sh: build $BUILD first" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "serve.sh: needs root (the lab, DPDK)" >&2; exit 2; }
if [ -z "${MP_LOCK_HELD:-}" ]; then
	MP_LOCK_HELD=1 exec flock /run/mp-lab.lock "$0" "$@"
fi
T=$(mktemp -d /tmp/mp-bench-serve.XXXXXX)
HP_KNOB=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
HP_BEFORE=$(cat $HP_KNOB)
SP=""
stop_all() {
	[ -n "$SP" ] && kill -TERM "$SP" 2>/dev/null && wait "$SP" 2>/dev/null
	SP=""
	for p in $(pgrep -f -- "--file-prefix mp-serve-bench"); do kill -9 "$p"; done
	sleep 1
}
cleanup() {
	stop_all
	"$MP" lab down >/dev/null 2>&1
	[ "$(cat $HP_KNOB)" -gt "$HP_BEFORE" ] && echo "$HP_BEFORE" >$HP_KNOB
	rm -rf "$T"
}
trap cleanup EXIT
(cd "$T" && "$MP" lab up --config-out "$T/lab.json") >"$T/labup.log" 2>&1 ||
	{ cat "$T/labup.log" >&2; exit 1; }

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
rss() { awk '/^VmRSS/ { print $2 * 1024 }' "/proc/$1/status"; }
dp_pid() { cut -d' ' -f1 "$T/run/bench.pid"; }
HZ=$(getconf CLK_TCK)
# start RATE: serve on the lab at RATE per link, until its records come
start() {
	jq --arg r "$1" '.links[].rate = $r | .service = {"window_s": 10}' "$T/lab.json" >"$T/svc.json"
	"$MP" serve "$T/svc.json" --name bench --socket "$T/run/bench.sock" --out "$T/out" \
		--listen none --allow-rate --stop-dataplane >"$T/serve.log" 2>&1 &
	SP=$!
	for _ in $(seq 300); do
		[ -s "$T/out/intervals.jsonl" ] && [ -s "$T/run/bench.pid" ] && return 0
		sleep 0.1
	done
	cat "$T/serve.log" >&2
	return 1
}
# measure: CPU % of serve and of its dataplane over MEASURE seconds
measure() {
	local d c0 d0 c1 d1
	d=$(dp_pid)
	sleep 3
	c0=$(ticks "$SP"); d0=$(ticks "$d")
	sleep "$MEASURE"
	c1=$(ticks "$SP"); d1=$(ticks "$d")
	echo "$(awk -v a="$c0" -v b="$c1" -v h="$HZ" -v s="$MEASURE" 'BEGIN { printf "%.3f", (b - a) / h / s * 100 }')" \
	     "$(awk -v a="$d0" -v b="$d1" -v h="$HZ" -v s="$MEASURE" 'BEGIN { printf "%.3f", (b - a) / h / s * 100 }')"
}
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "null"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

runs="[]"
for r in $(seq 1 "$ROUNDS"); do
	for rate in 10 1000; do
		rm -rf "$T/out"
		start "${rate}pps" || exit 1
		read -r c d < <(measure)
		echo "round $r/$ROUNDS ${rate}pps: control $c%, dataplane $d%" >&2
		runs=$(jq -c --arg r "$rate" --argjson c "$c" --argjson d "$d" '. + [{"pps": ($r | tonumber), "control_cpu_pct": $c, "dp_cpu_pct": $d}]' <<<"$runs")
		stop_all
	done
done
# the soak: memory when the first window is in, and SOAK seconds later
rm -rf "$T/out"
start 1000pps || exit 1
for _ in $(seq 200); do [ -s "$T/out/window.json" ] && break; sleep 0.1; done
rss0=$(rss "$SP")
echo "soak: ${SOAK}s at 1000pps, rss at start $rss0" >&2
t0=$(date +%s.%N)
samples="0 $rss0"
next=10
while [ "$next" -le "$SOAK" ]; do
	sleep "$(awk -v t0="$t0" -v n="$next" -v now="$(date +%s.%N)" 'BEGIN { d = t0 + n - now; print (d > 0 ? d : 0) }')"
	samples="$samples
$next $(rss "$SP")"
	next=$((next + 10))
done
[ $((SOAK % 10)) = 0 ] || { sleep $((SOAK % 10)); samples="$samples
$SOAK $(rss "$SP")"; }
rss1=$(rss "$SP")
echo "soak: rss after $rss1" >&2
stop_all
# the least-squares slope of rss over the samples, per hour
growth=$(awk 'NF == 2 { n++; sx += $1; sy += $2; sxx += $1 * $1; sxy += $1 * $2 }
	END { d = n * sxx - sx * sx; printf "%.0f", (d > 0 ? (n * sxy - sx * sy) / d * 3600 : 0) }' <<<"$samples")
samples_json=$(awk 'NF == 2 { printf "%s[%d,%d]", (NR > 1 ? "," : ""), $1, $2 }' <<<"$samples")
med() { jq -r --argjson p "$1" ".[] | select(.pps == \$p) | .$2" <<<"$runs" | median; }
jq -cn --argjson runs "$runs" --argjson c10 "$(med 10 control_cpu_pct)" --argjson c1k "$(med 1000 control_cpu_pct)" \
	--argjson d10 "$(med 10 dp_cpu_pct)" --argjson d1k "$(med 1000 dp_cpu_pct)" \
	--argjson r0 "$rss0" --argjson r1 "$rss1" --argjson soak "$SOAK" --argjson g "$growth" \
	--argjson samples "[$samples_json]" \
	'{"serve_control_cpu_pct": {"10": $c10, "1000": $c1k}, "serve_dp_cpu_pct": {"10": $d10, "1000": $d1k},
	  "serve_rss_bytes": {"start": $r0, "after_soak": $r1, "soak_s": $soak,
	  "growth_bytes_per_hour": $g, "samples": $samples}, "runs": $runs}'
