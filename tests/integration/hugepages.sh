#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# From the fresh-boot state (nr_hugepages 0; restored on exit):
#  1. the lab's two DPDK reflectors and a prober run together; lab up raises
#     the reflectors' pages, run raises its own (not counting the lab's),
#     the run is complete with both links answered, run gives back exactly
#     its raise, lab down the lab's: nr_hugepages ends at 0, no ledger left
#     (also when the lab's state file was lost);
#  2. where raising is impossible (a read-only nr_hugepages, through
#     METROPROBE_HUGEPAGES_SYSFS) the run says so in one line and runs with
#     --no-huge, complete, both links answered;
#  3. where the pages are not there after all (the module is told they are
#     free, the kernel has none) the first line is the real cause ("no free
#     hugepages"), not "Permission denied".
#
# usage: hugepages.sh BUILD_DIR       exit: 0 pass, 1 fail, 77 skip
. "$(dirname "$0")/lib.sh"

KNOB=/sys/kernel/mm/hugepages/hugepages-2048kB
LEDGER=/run/metroprobe/hugepages.leases
[ -w $KNOB/nr_hugepages ] || skip "no writable 2 MB hugepage pool ($KNOB)"
NR0=$(cat $KNOB/nr_hugepages)
FR0=$(cat $KNOB/free_hugepages)
[ "$NR0" = "$FR0" ] ||
	skip "$((NR0 - FR0)) hugepages in use by other programs: cannot start from the fresh-boot state"
[ -e $LEDGER ] && skip "another metroprobe holds hugepages ($LEDGER)"

FAKE=""
hp_cleanup() {
	local rc=$?
	[ -n "${RUN_PID:-}" ] && kill -9 "$RUN_PID" 2>/dev/null
	"$MP" lab down >/dev/null 2>&1
	[ -n "$FAKE" ] && umount "$FAKE" 2>/dev/null
	echo "$NR0" >$KNOB/nr_hugepages
	(exit $rc)
	lab_cleanup
}
trap hp_cleanup EXIT

nr() { cat $KNOB/nr_hugepages; }
echo 0 >$KNOB/nr_hugepages
[ "$(nr)" = 0 ] || skip "cannot set nr_hugepages to 0"
ok "nr_hugepages 0 (was $NR0)"

# --- 1. DPDK reflectors and a prober, each with its own pages ---
# a file of ours (think: the lock of `flock LOCK metroprobe ...`) must not be
# held by the reflectors or the dataplane, which may outlive us
exec 7>"$TMP/held-by-caller"
lab_begin --reflector a:dpdk --reflector b:dpdk
grep -q '^hugepages: reserved [0-9]* pages of 2 MB for the DPDK reflectors (nr_hugepages 0 -> ' \
	"$TMP/labup.log" || { cat "$TMP/labup.log"; fail "lab up did not reserve the reflectors' pages"; }
grep -q 'no hugepages' "$TMP/labup.log" && fail "a reflector ran without hugepages"
LAB_NR=$(nr)
[ "$LAB_NR" -gt 0 ] || fail "nr_hugepages is 0 with two DPDK reflectors up"
grep -qx "lab 0 $LAB_NR" $LEDGER || fail "the ledger does not hold the lab's raise: $(cat $LEDGER)"
ok "lab up reserved $LAB_NR pages for two DPDK reflectors (ledger: lab 0 $LAB_NR)"

"$MP" run "$TMP/lab.json" --duration 4 --out "$TMP/out" --quiet >"$TMP/run.log" 2>&1 &
RUN_PID=$!
exec 7>&-
PEAK=0
LEAK=""
while kill -0 $RUN_PID 2>/dev/null; do
	n=$(nr)
	[ "$n" -gt "$PEAK" ] && PEAK=$n
	for p in $(pgrep -P $RUN_PID) $(pgrep -x metroprobe-dp); do
		ls -l /proc/$p/fd 2>/dev/null | grep -q held-by-caller && LEAK="$LEAK $p"
	done
	sleep 0.2
done
wait $RUN_PID
RUN_RC=$?
RUN_PID=""
cat "$TMP/run.log" | grep -E '^(hugepages|metroprobe):' | sed 's/^/# /'
[ $RUN_RC = 0 ] || { cat "$TMP/run.log"; fail "run exit $RUN_RC"; }
[ "$(j .complete)" = true ] || fail "run not complete"
for l in 0 1; do
	[ "$(j ".links[$l].received")" -gt 3000 ] || fail "link $l: $(j ".links[$l].received") replies"
done
RAISED=$(sed -n 's/^hugepages: reserved \([0-9]*\) pages of 2 MB for the dataplane.*/\1/p' "$TMP/run.log")
[ -n "$RAISED" ] || fail "run did not say it reserved pages"
[ "$PEAK" = $((LAB_NR + RAISED)) ] ||
	fail "nr_hugepages peaked at $PEAK during the run, expected $LAB_NR + $RAISED"
grep -q "^hugepages: gave back the $RAISED pages this run reserved" "$TMP/run.log" ||
	fail "run did not say it gave back its $RAISED pages"
[ "$(nr)" = "$LAB_NR" ] || fail "nr_hugepages $(nr) after the run, expected the lab's $LAB_NR"
ok "run reserved $RAISED pages beside the lab's $LAB_NR, complete, both links answered, gave back its own"
[ -z "$LEAK" ] || fail "processes of the run or the lab hold the caller's file: $(tr ' ' '\n' <<<"$LEAK" | sort -nu | xargs)"
ok "neither the dataplane nor the lab's reflectors hold a file of their caller"

"$MP" lab down >"$TMP/labdown.log" 2>&1 || fail "lab down"
[ "$(nr)" = 0 ] || { cat "$TMP/labdown.log"; fail "nr_hugepages $(nr) after lab down, expected 0"; }
[ -e $LEDGER ] && fail "ledger left behind: $(cat $LEDGER)"
ok "lab down gave back the lab's pages: nr_hugepages 0, no ledger"

# the same when the lab's state file is lost: the ledger knows the raise
lab_begin --reflector a:dpdk
[ "$(nr)" -gt 0 ] || fail "no pages reserved for one DPDK reflector"
rm -f /run/metroprobe/lab/state.json
"$MP" lab down >"$TMP/labdown.log" 2>&1 || fail "lab down without state"
[ "$(nr)" = 0 ] || { cat "$TMP/labdown.log"; fail "nr_hugepages $(nr) after lab down without state"; }
[ -e $LEDGER ] && fail "ledger left behind: $(cat $LEDGER)"
ok "lab down without its state file gave back the lab's pages from the ledger"

# --- 2. raising impossible: one line, --no-huge, complete ---
lab_begin
FAKE=$TMP/fake-sysfs
mkdir -p "$FAKE"
echo 0 >"$FAKE/nr_hugepages"
echo 0 >"$FAKE/free_hugepages"
echo 0 >"$FAKE/resv_hugepages"
mount --bind "$FAKE" "$FAKE" && mount -o remount,ro,bind "$FAKE" "$FAKE" ||
	fail "cannot make a read-only fake pool"
METROPROBE_HUGEPAGES_SYSFS=$FAKE probe_run 3
[ $RUN_RC = 0 ] || { cat "$TMP/run.log"; fail "run exit $RUN_RC without hugepages"; }
[ "$(grep -c '^hugepages:' "$TMP/run.log")" = 1 ] ||
	{ cat "$TMP/run.log"; fail "expected exactly one hugepages line"; }
grep '^hugepages:' "$TMP/run.log" | grep -q 'cannot raise nr_hugepages.*Read-only file system.*--no-huge -m 256' ||
	fail "the fallback line does not say why and what: $(grep '^hugepages:' "$TMP/run.log")"
grep -q 'EAL: .*hugepages' "$TMP/out/dataplane.log" &&
	fail "the dataplane looked for hugepages: $(grep -m1 'EAL: .*hugepages' "$TMP/out/dataplane.log")"
[ "$(j .complete)" = true ] || fail "fallback run not complete"
for l in 0 1; do
	[ "$(j ".links[$l].received")" -gt 2000 ] || fail "fallback link $l: $(j ".links[$l].received") replies"
done
[ "$(nr)" = 0 ] || fail "the fallback touched the real pool: nr_hugepages $(nr)"
ok "no way to raise: '$(grep '^hugepages:' "$TMP/run.log" | cut -c1-90)...'; complete, both links answered"
umount "$FAKE"

# --- 3. no pages after all: the first line names the cause ---
printf '0\n' >"$FAKE/nr_hugepages"
printf '100000\n' >"$FAKE/free_hugepages"	# "plenty free": nothing is raised
METROPROBE_HUGEPAGES_SYSFS=$FAKE probe_run 2
FAKE=""
[ $RUN_RC = 1 ] || { cat "$TMP/run.log"; fail "run exit $RUN_RC with no pages, expected 1"; }
FIRST=$(grep -m1 '^metroprobe' "$TMP/run.log")
echo "$FIRST" | grep -q '^metroprobe: no free hugepages for the dataplane (it needs [0-9]* pages of 2 MB' ||
	{ cat "$TMP/run.log"; fail "first message: $FIRST"; }
echo "$FIRST" | grep -q 'Permission denied' && fail "the first message still says Permission denied"
ok "with no pages the first message is the cause: '$(echo "$FIRST" | cut -c1-80)...'"
