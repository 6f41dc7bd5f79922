#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Impairments changed on a running lab, during a run: no probe lost (none
# of these impairments drops any) and each new delay takes effect.
# 1000 probes/s for 9 s:
#   2.5 s  site b (dpdk) delay_us=2000 -> 500: a live change, no restart
#   1.5 s  later b clear (delay 0: the queued replies still leave, in order)
#   1 s    later site a (xdp) delay_us=1000: handed over to a dpdk reflector
#          started beside XDP
# Each phase's median RTT must move by the change, within 60 us. A phase
# whose own spread (p75 - p25, a few us when quiet) is above 50 us was
# measured on a machine too busy for that: the attempt is run again (up
# to 3), as is one whose sender fell behind (exit 4, rate shortfall); lost
# probes fail at once.
. "$(dirname "$0")/lib.sh"

[ -x "$BUILD/dataplane/xdp/metroprobe-xdp" ] || skip "metroprobe-xdp was not built"
export METROPROBE_XDP=$(readlink -f "$BUILD/dataplane/xdp/metroprobe-xdp")

# phase LINK FROM_NS TO_NS: "p50 p75-p25" of LINK's intervals in [FROM, TO]
phase() { istats "$1" --after-ns "$2" --before-ns "$3" | jq -r '"\(.p50) \(.p75 - .p25)"'; }

impair() {
	"$MP" lab impair "$@" >"$TMP/impair.log" 2>&1 ||
		{ cat "$TMP/impair.log"; fail "lab impair $*"; }
	cat "$TMP/impair.log" >>"$TMP/impairs.log"
}

settle=300000000	# the replies queued before a change have left by then
for attempt in 1 2 3; do
	: >"$TMP/impairs.log"
	lab_begin --reflector a:xdp --reflector b:dpdk --impair b:delay_us=2000
	start=$(date +%s%N)
	"$MP" run "$TMP/lab.json" --duration 9 --out "$TMP/out" --quiet >"$TMP/run.log" 2>&1 &
	RUN_PID=$!
	sleep 2.5
	t0=$(date +%s%N); impair b delay_us=500; t1=$(date +%s%N)
	sleep 1.5
	t2=$(date +%s%N); impair b clear; t3=$(date +%s%N)
	sleep 1
	t4=$(date +%s%N); impair a delay_us=1000; t5=$(date +%s%N)
	RUN_RC=0
	wait $RUN_PID || RUN_RC=$?
	RUN_PID=
	if [ "$RUN_RC" = 4 ] && grep -q "verdict rate_shortfall" "$TMP/run.log"; then
		# the sender fell behind its schedule: a busy machine, as a wide spread is
		echo "attempt $attempt: rate shortfall (the machine is busy), again"
		grep "RATE SHORTFALL" "$TMP/run.log"
		lab_end
		continue
	fi
	[ "$RUN_RC" = 0 ] || { cat "$TMP/run.log"; fail "run exited $RUN_RC"; }
	grep -q "site b: impair delay_us=500 (dpdk reflector pid [0-9]*, changed live)" \
		"$TMP/impairs.log" || { cat "$TMP/impairs.log"; fail "b was not changed live"; }
	"$MP" lab status --json | jq -e '.sites.a.reflector == "dpdk"' >/dev/null ||
		fail "site a is not dpdk after the hand-over: $("$MP" lab status 2>&1 | grep "site a")"
	for l in a b; do
		lost=$(j ".links[] | select(.name == \"$l\") | .lost")
		sent=$(j ".links[] | select(.name == \"$l\") | .sent")
		[ "$lost" = 0 ] || fail "link $l lost $lost of $sent probes across the changes"
	done
	end=$(date +%s%N)
	read -r b0 s0 < <(phase b $((start + 500000000)) "$t0")
	read -r b1 s1 < <(phase b $((t1 + settle)) "$t2")
	read -r b2 s2 < <(phase b $((t3 + settle)) "$t4")
	read -r a0 s3 < <(phase a "$start" "$t4")
	read -r a1 s4 < <(phase a $((t5 + settle)) "$end")
	d1=$(awk "BEGIN { print $b0 - $b1 }")
	d2=$(awk "BEGIN { print $b1 - $b2 }")
	d3=$(awk "BEGIN { print $a1 - $a0 }")
	msg="b: median $b0 -> $b1 (-$d1, want -1500) -> $b2 us (-$d2, want -500); a (xdp -> dpdk): $a0 -> $a1 us (+$d3, want +1000); 0 lost"
	if fcmp "$s0 > 50 || $s1 > 50 || $s2 > 50 || $s4 > 50"; then
		echo "attempt $attempt: a phase's p75 - p25 is above 50 us ($s0 $s1 $s2 $s4): too noisy, again"
		echo "  ($msg)"
		lab_end
		continue
	fi
	fcmp "$d1 >= 1440 && $d1 <= 1560 && $d2 >= 440 && $d2 <= 560 && $d3 >= 940 && $d3 <= 1060" ||
		fail "$msg"
	ok "$msg"
	exit 0
done
skip "the machine was too busy in 3 attempts to resolve 60 us (0 lost held)"
