#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Drill: serve (control) killed with SIGKILL three times, and started again
# on the same output directory and socket. The dataplane runs on through
# each kill (it is its own process) and keeps its records; each new serve
# resumes after the last record its files hold. At the end intervals.jsonl
# has, per link, every interval sequence number exactly once (no hole, no
# repeat), every record number (rec) of the one dataplane instance once, and
# no gap event: a control restart is not a gap. The last serve has its
# endpoint: the records the dataplane sent again that a serve had written
# before (dropped by the resume filter) are counted in
# metroprobe_resume_duplicate_records_total and in summary.json's
# resume.duplicate_records, and are 0: the dataplane honours the resume line,
# re-sending only what the killed serve had not written.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"

command -v curl >/dev/null || skip "curl is not installed"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
serve_begin --listen none
dp=$(dp_pid_of)
[ -n "$dp" ] && kill -0 "$dp" || fail "no pid file naming a running dataplane"
for i in 1 2 3; do
	n=$(lines "$TMP/out/intervals.jsonl")
	wait_for 20 at_least "$TMP/out/intervals.jsonl" $((n + 15 + RANDOM % 20)) ||
		fail "serve $i: records stopped"
	kill -9 "$SERVE_PID"
	wait "$SERVE_PID" 2>/dev/null
	sleep 0.$((RANDOM % 9 + 1))	# records pile up in the dataplane meanwhile
	kill -0 "$dp" || fail "the dataplane died with serve $i"
	if [ $i = 3 ]; then serve_start --listen "127.0.0.1:$PORT"; else serve_start --listen none; fi
	mv "$TMP/serve.log" "$TMP/serve$i.log" 2>/dev/null
	ok "serve $i killed after $(lines "$TMP/out/intervals.jsonl") interval lines; started again"
done
n=$(lines "$TMP/out/intervals.jsonl")
wait_for 20 at_least "$TMP/out/intervals.jsonl" $((n + 30)) || fail "no records after the last restart"
dupm=$(curl -sf --max-time 2 "http://127.0.0.1:$PORT/metrics" |
	sed -n 's/^metroprobe_resume_duplicate_records_total \([0-9]*\)$/\1/p')
[ -n "$dupm" ] || fail "no metroprobe_resume_duplicate_records_total in /metrics"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID"
SERVE_PID=""
dups=$(jq -r '.resume.duplicate_records // "absent"' "$TMP/out/summary.json")
[ "$dups" = 0 ] && [ "$dupm" = 0 ] ||
	fail "records sent again that serve had written: summary.json $dups, /metrics $dupm (want 0 and 0)"
ok "resume: 0 records sent twice (summary.json resume.duplicate_records, /metrics)"
[ "$(dp_pid_of)" = "$dp" ] || fail "the dataplane changed: $(dp_pid_of), not $dp"
for l in a b; do
	seqs=$(jq -r "select(.type == \"interval\" and .link == \"$l\") | .seq" "$TMP/out/intervals.jsonl" | sort -n)
	first=$(head -1 <<<"$seqs")
	last=$(tail -1 <<<"$seqs")
	dups=$(uniq -d <<<"$seqs" | head -5 | tr '\n' ' ')
	[ -z "$dups" ] || fail "link $l: intervals written twice: seq $dups"
	[ "$(wc -l <<<"$seqs")" = $((last - first + 1)) ] ||
		fail "link $l: $(wc -l <<<"$seqs") intervals for seq $first..$last: a hole"
	ok "link $l: seq $first..$last, each exactly once, across 4 serves"
done
recs=$(cat "$TMP/out/intervals.jsonl" "$TMP/out/events.jsonl" "$TMP/out/paths.jsonl" 2>/dev/null |
	jq -r 'select(.rec != null) | "\(.instance) \(.rec)"' | sort -u -k2n)
[ "$(cut -d' ' -f1 <<<"$recs" | sort -u | wc -l)" = 1 ] || fail "records of more than one dataplane instance"
dups=$(cat "$TMP/out/intervals.jsonl" "$TMP/out/events.jsonl" "$TMP/out/paths.jsonl" 2>/dev/null |
	jq -r 'select(.rec != null) | .rec' | sort -n | uniq -d | head -5 | tr '\n' ' ')
[ -z "$dups" ] || fail "records written twice: rec $dups"
ev gap >/dev/null && fail "a gap event for a control restart: $(ev gap | head -1)"
ok "every record of the dataplane once, no gap event"
