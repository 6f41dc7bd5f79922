#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# What the dataplane's record history costs: a run on the lab (2 links,
# 100 ms intervals; with JITTER_US, site b's reflector adds that much
# jitter, for wider RTT histograms and so longer records) whose end record
# says what the history holds (records, bytes of lines); from that the
# bytes per record, and the memory 10 minutes of history take at 2 and at
# 16 links of 100 ms intervals: records x (line bytes + 16 of malloc
# overhead) + the ring's 24 bytes x REPORT_HISTORY_MAX slots.
#
# usage: sudo flock /run/mp-lab.lock bench/resume_history.sh [BUILD (build)] [SECONDS (60)] [JITTER_US (0)]
set -u
BUILD=$(readlink -f "${1:-build}") SECS=${2:-60} JITTER=${3:-0}
MP=$BUILD/control/metroprobe
[ "$(id -u)" = 0 ] || { echo "resume_history.sh: needs root (the lab)" >&2; exit 2; }
[ -x "$MP" ] || { echo "resume_history.sh: no $MP" >&2; exit 2; }
export METROPROBE_DP=$BUILD/dataplane/dp/metroprobe-dp
OUT=$(mktemp -d /tmp/mp-rh.XXXXXX)
trap '"$MP" lab down >/dev/null 2>&1; rm -rf "$OUT"' EXIT
(cd "$OUT" && "$MP" lab up --config-out "$OUT/lab.json") >"$OUT/up.log" 2>&1 || { cat "$OUT/up.log"; exit 1; }
[ "$JITTER" = 0 ] || "$MP" lab impair b "delay_us=$((JITTER * 2)),jitter_us=$JITTER" >/dev/null ||
	{ echo "resume_history.sh: lab impair failed" >&2; exit 1; }
jq '.interval_ms = 100' "$OUT/lab.json" >"$OUT/l.json" && mv "$OUT/l.json" "$OUT/lab.json"
"$MP" run "$OUT/lab.json" --duration "$SECS" --out "$OUT/run" --quiet >/dev/null 2>&1
ring=$(awk '/define REPORT_HISTORY_MAX/ { gsub(/[()u]/, "", $3); split($3, a, "<<"); print a[1] * 2 ^ a[2] * 24 }' \
	"$(dirname "$0")/../dataplane/dp/report.h")
jq -s --argjson ring "$ring" --argjson jitter "$JITTER" '
	(map(select(.type == "end"))[0].history) as $h
	| ($h.bytes / $h.records) as $bpr
	| {jitter_us: $jitter, history_records: $h.records, history_bytes: $h.bytes,
	   history_bytes_per_record: ($bpr | floor),
	   history_10min_bytes_2links_100ms: ((2 * 10 * 600 * ($bpr + 16) + $ring) | floor),
	   history_10min_bytes_16links_100ms: ((16 * 10 * 600 * ($bpr + 16) + $ring) | floor)}' \
	"$OUT/run/events.jsonl"
jq -s '{interval_record_bytes_max: (map(tostring | length) | max)}' "$OUT/run/intervals.jsonl"
