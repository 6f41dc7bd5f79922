#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The control-restart drill: a dataplane started by hand on the lab with
# --control-lost keep (100 ms intervals); control attached on its socket,
# killed with SIGKILL again and again (at a random moment; right after a
# record landed; and stopped first, so that records sit written in the
# socket but unread: the hole a killed control used to leave), and started
# again on the same output directory. At the end intervals.jsonl has, per
# link, every interval seq exactly once, none missing; and every record
# number (rec) of the dataplane is in intervals.jsonl, events.jsonl or paths.jsonl
# exactly once. The dataplane's log shows that records sent to a killed
# control were sent again.
#
# RESUME_SEPARATE_DIRS=1 gives each control its own directory and checks
# their concatenation: how a build without resume (which truncates a
# directory it writes) can be put to the same drill.
. "$(dirname "$0")/lib.sh"

KILLS=${RESUME_KILLS:-6}
SEPARATE=${RESUME_SEPARATE_DIRS:-0}
lab_begin

jq '.interval_ms = 100' "$TMP/lab.json" >"$TMP/lab.json.new" && mv "$TMP/lab.json.new" "$TMP/lab.json"
dur_ms=$((KILLS * 2500 + 6000))
attached_dp mp-run-resume $dur_ms "$TMP/dp.sock"
grep -q -- "--interval-ms 100" <<<"$args" || fail "the dataplane does not run 100 ms intervals: $args"

dirs=()
start_control() {
	local d="$TMP/out"
	[ "$SEPARATE" = 1 ] && d="$TMP/out.$1"
	dirs+=("$d")
	"$MP" run "$TMP/lab.json" --attach "$sock" --out "$d" --quiet >"$TMP/run.$1.log" 2>&1 &
	RUN_PID=$!
	OUT=$d
}
size() { stat -c %s "$OUT/intervals.jsonl" 2>/dev/null || echo 0; }
start_control 0
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || { cat "$TMP/run.0.log"; fail "run --attach does not listen on $sock"; }
# shellcheck disable=SC2086
"$MP" hugepages --pages "${pages:-0}" -- ip netns exec "$ns" $args >"$TMP/dp.log" 2>&1 &
HP_PID=$!

how=("random" "after a record landed" "stopped with records in its socket")
for i in $(seq "$KILLS"); do
	# records reach this control first
	s0=$(size)
	for _ in $(seq 100); do [ "$(size)" -gt "$s0" ] && break; sleep 0.05; done
	[ "$(size)" -gt "$s0" ] || { cat "$TMP/run.$((i - 1)).log"; tail "$TMP/dp.log"; fail "control $((i - 1)) got no records"; }
	k=$((i % 3))
	case $k in
	0) sleep "0.$((RANDOM % 1000))" ;;
	1) s0=$(size); for _ in $(seq 3000); do [ "$(size)" = "$s0" ] || break; done ;;
	2) kill -STOP $RUN_PID; sleep "0.$((3 + RANDOM % 5))" ;;
	esac
	kill -9 $RUN_PID
	wait $RUN_PID 2>/dev/null
	ok "control $((i - 1)) killed (${how[$k]}), $(wc -l <"$OUT/intervals.jsonl") interval lines"
	sleep "$((RANDOM % 2)).$((RANDOM % 10))"
	kill -0 "$(dp_pid)" 2>/dev/null || { cat "$TMP/dp.log"; fail "the dataplane ended when control was killed"; }
	start_control "$i"
done
# the last control runs until the dataplane ends
rc=0
for _ in $(seq $((dur_ms / 100 + 300))); do kill -0 $RUN_PID 2>/dev/null || break; sleep 0.1; done
kill -0 $RUN_PID 2>/dev/null && { kill -9 $RUN_PID; fail "the last control did not end with the dataplane"; }
wait $RUN_PID || rc=$?
RUN_PID=
wait $HP_PID 2>/dev/null
[ $rc = 0 ] || { cat "$TMP/run.$KILLS.log"; tail -5 "$TMP/dp.log"; fail "the last control: exit $rc, want 0"; }
all_i() { for d in "${dirs[@]}"; do cat "$d/intervals.jsonl"; done; }
all_e() { for d in "${dirs[@]}"; do cat "$d/events.jsonl"; done; }
all_p() { for d in "${dirs[@]}"; do cat "$d/paths.jsonl" 2>/dev/null; done; }
[ "$SEPARATE" = 1 ] || all_i() { cat "$TMP/out/intervals.jsonl"; }
[ "$SEPARATE" = 1 ] || all_e() { cat "$TMP/out/events.jsonl"; }
[ "$SEPARATE" = 1 ] || all_p() { cat "$TMP/out/paths.jsonl" 2>/dev/null; }
all_e | grep -q '"type":"end","reason":"duration"' || fail "the dataplane's end record is not in events.jsonl"

# missing NUMBERS FIRST LAST: the first ten of FIRST..LAST not in NUMBERS
missing() { seq "$2" "$3" | awk 'NR == FNR { h[$1] = 1; next } !($1 in h)' <(echo "$1") - |
	head -10 | tr '\n' ' '; }

# per link: every interval seq exactly once, none missing
for link in $(jq -r '.links[].name' "$TMP/lab.json"); do
	seqs=$(all_i | jq -r --arg l "$link" 'select(.link == $l) | .seq' | sort -n)
	first=$(head -1 <<<"$seqs")
	last=$(tail -1 <<<"$seqs")
	n=$(wc -l <<<"$seqs")
	dups=$(uniq -d <<<"$seqs" | head -5 | tr '\n' ' ')
	[ -z "$dups" ] || fail "link $link: intervals written twice: seq $dups"
	[ "$first" = 0 ] || fail "link $link: the first interval is seq $first, not 0"
	[ $((last - first + 1)) = "$n" ] ||
		fail "link $link: $n intervals for seq $first..$last: missing $(missing "$seqs" "$first" "$last")"
	ok "link $link: seq $first..$last, each exactly once, across $((KILLS + 1)) controls"
done

# every record of the dataplane exactly once
recs=$( (all_i; all_e; all_p) | jq -r 'select(.rec != null) | .rec' | sort -n)
[ -n "$recs" ] || fail "no numbered records (rec) in the output"
[ "$(jq -r 'select(.rec != null) | .instance' < <(all_i; all_e; all_p) | sort -u | wc -l)" = 1 ] ||
	fail "records of more than one dataplane instance"
nr=$(wc -l <<<"$recs")
last=$(tail -1 <<<"$recs")
dups=$(uniq -d <<<"$recs" | head -5 | tr '\n' ' ')
[ -z "$dups" ] || fail "records written twice: rec $dups"
[ "$(head -1 <<<"$recs")" = 1 ] && [ "$nr" = "$last" ] ||
	fail "$nr records for rec 1..$last: missing $(missing "$recs" 1 "$last")"
ok "rec 1..$last: every record of the dataplane exactly once"

# the drill did hit the hole: records sent to a killed control came again
again=$(sed -n 's/.*(it resumes; \([0-9]*\) of them sent before).*/\1/p' "$TMP/dp.log" |
	awk '{ s += $1 } END { print s + 0 }')
[ "$again" -ge 1 ] || fail "no kill caught a record sent but not written: the drill proved nothing"
ok "$again records were sent to a control that was killed before writing them, and came again"
