#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Drill: serve's output file system fills up (a 256 KiB tmpfs as --out).
# serve says so (an output_error event on its console: events.jsonl has no
# room for it), keeps running, and so does its dataplane; nothing in the
# files is half a line; when space returns, writing resumes and an
# output_resumed event in events.jsonl counts the lines lost, which are at
# least the interval records missing from intervals.jsonl (never silently
# dropped). With an HTTP endpoint in the build, its /metrics is read too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"

command -v mountpoint >/dev/null || skip "mountpoint is not installed"
lab_begin
trap serve_cleanup EXIT
mkdir -p "$TMP/out"
mount -t tmpfs -o size=256k tmpfs "$TMP/out" || skip "cannot mount a tmpfs"
serve_cfg
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
serve_start --listen "127.0.0.1:$port"
full() { grep -q 'event: service output_error' "$TMP/serve.log"; }
wait_for 90 full || fail "no output_error event while $TMP/out filled up"
grep 'event: service output_error' "$TMP/serve.log" | head -1
ok "the file system is full, and serve said so"

# a few seconds full: serve and the dataplane go on
sleep 4
kill -0 "$SERVE_PID" || fail "serve died on a full file system"
kill -0 "$(dp_pid_of)" || fail "the dataplane died on a full file system"
metrics=$(curl -s --max-time 2 "http://127.0.0.1:$port/metrics" || true)
if [ -n "$metrics" ]; then
	grep -E '^metroprobe_output' <<<"$metrics" | head -3
	grep -qE '^metroprobe_output[a-z_]* ' <<<"$metrics" ||
		fail "/metrics has no metroprobe_output* metric for the full file system"
	ok "/metrics says the output fails"
else
	echo "(no HTTP endpoint in this build: the metric is not checked)"
fi

! ev output_resumed | grep -q . || fail "output_resumed while the file system is still full"
mount -o remount,size=16m "$TMP/out" || fail "cannot grow the tmpfs"
wait_for 20 ev output_resumed >/dev/null || fail "no output_resumed event after space returned"
[ "$(ev output_resumed | wc -l)" = 1 ] && [ "$(grep -c 'event: service output_error' "$TMP/serve.log")" = 1 ] ||
	fail "output_error / output_resumed more than once for one full episode"
res=$(ev output_resumed)
lost=$(jq -r .lines_lost_total <<<"$res")
[ "$lost" -gt 0 ] || fail "output_resumed counts $lost lines lost"
n=$(lines "$TMP/out/intervals.jsonl")
wait_for 10 at_least "$TMP/out/intervals.jsonl" $((n + 20)) || fail "intervals.jsonl does not grow again"
ok "space returned: writing resumed, $lost lines counted lost ($(jq -r .detail <<<"$res"))"

# every line whole; the records missing from the file were counted
for f in "$TMP"/out/*.jsonl; do
	jq -c . "$f" >/dev/null 2>&1 || fail "$f has a line that is not whole JSON"
done
missing=0
for link in a b; do
	seqs=$(jq -r --arg l $link 'select(.link == $l) | .seq' "$TMP/out/intervals.jsonl" | sort -n)
	m=$(( $(tail -1 <<<"$seqs") - $(head -1 <<<"$seqs") + 1 - $(wc -l <<<"$seqs") ))
	missing=$((missing + m))
done
[ $missing -gt 0 ] || fail "no interval record is missing from intervals.jsonl: was the disk full?"
[ $missing -le "$lost" ] || fail "$missing records missing from intervals.jsonl, only $lost counted lost"
kill -0 "$SERVE_PID" || fail "serve is gone"
ok "every line whole; the $missing records missing from intervals.jsonl are among the $lost counted"
