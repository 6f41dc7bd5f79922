#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The systemd arrangement without systemd: the dataplane as its own "unit"
# (serve --exec-dataplane: it waits for control's socket, writes the pid
# file, and execs metroprobe-dp with the same pid) started first, control
# after it with --external-dataplane; control finds it through the pid file. Killed with SIGKILL, control says it is down and does NOT start one
# itself (the unit's Restart= does); when the "unit" starts it again,
# control finds the new pid and reports the gap between the two.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"

lab_begin
trap serve_cleanup EXIT
serve_cfg
mkdir -p "$TMP/run" "$TMP/out"
chmod 700 "$TMP/run"
SOCK=$TMP/run/lab.sock
DPW=""
unit_dp() {	# the dataplane's unit: serve --exec-dataplane in the background
	"$MP" serve "$TMP/svc.json" --name lab --socket "$SOCK" --exec-dataplane \
		>>"$TMP/dp-unit.log" 2>&1 &
	DPW=$!
}
unit_dp
sleep 2
kill -0 "$DPW" && [ ! -e "$TMP/run/lab.pid" ] || { cat "$TMP/dp-unit.log"; fail "--exec-dataplane did not wait for control"; }
grep -q "waiting for control's socket" "$TMP/dp-unit.log" || fail "--exec-dataplane does not say it waits"
# systemd's notification socket, played by a datagram listener
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a") as f:
    while True:
        f.write(s.recv(4096).decode().replace("\n", " ") + "\n")
        f.flush()
' "$TMP/notify.sock" "$TMP/notify.log" &
NOTIFY_PID=$!
wait_for 5 test -S "$TMP/notify.sock" || fail "no notify socket"
NOTIFY_SOCKET=$TMP/notify.sock "$MP" serve "$TMP/svc.json" --name lab --socket "$SOCK" \
	--out "$TMP/out" --listen none --external-dataplane >"$TMP/serve.log" 2>&1 &
SERVE_PID=$!
wait_for 10 test -s "$TMP/run/lab.pid" || { cat "$TMP/dp-unit.log"; fail "no pid file from --exec-dataplane"; }
[ "$(dp_pid_of)" = "$DPW" ] || fail "the pid file names $(dp_pid_of), the exec'd dataplane is $DPW"
tr '\0' ' ' <"/proc/$DPW/cmdline" | grep -q -- "--control-lost keep" || fail "the dataplane does not keep its records"
ok "--exec-dataplane waited for control's socket, then became metroprobe-dp (pid $DPW, the pid file's)"
wait_for 40 at_least "$TMP/out/intervals.jsonl" 40 || fail "control got no records from the dataplane"
wait_for 5 ev dataplane_found >/dev/null || true
ev dataplane_found | grep -q "\"pid\":$DPW" || fail "control did not report finding pid $DPW"
wait_for 5 grep -q 'READY=1' "$TMP/notify.log" || fail "no READY=1 to the notify socket"
wait_for 5 grep -q 'WATCHDOG=1' "$TMP/notify.log" || fail "no WATCHDOG=1 from the tick"
ok "control attached to the running dataplane; sd_notify READY=1 ($(grep -m1 READY "$TMP/notify.log" | cut -c1-60)...) and WATCHDOG=1"

kill -9 "$DPW"
wait_for 10 ev dataplane_down >/dev/null || fail "no dataplane_down after the kill"
ev dataplane_down | grep -q "waiting for its supervisor" || fail "dataplane_down does not wait for the supervisor"
sleep 3
! ev dataplane_start | grep -q . || fail "control started a dataplane itself (--external-dataplane)"
[ -z "$(pgrep -f -- '--file-prefix mp-serve-lab')" ] || fail "a dataplane runs that nobody started"
ok "killed: control says so and waits for the supervisor"

unit_dp
wait_for 30 ev gap >/dev/null || fail "no gap event after the unit restarted the dataplane"
ev dataplane_found | grep -q "\"pid\":$DPW" || fail "control did not find the new pid $DPW"
len=$(ev gap | jq -r .length_s)
fcmp "$len > 3 && $len < 40" || fail "gap of $len s (killed, 3 s without, then a restart)"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID"
rc=$?
SERVE_PID=""
[ $rc = 0 ] || fail "control exited $rc on SIGTERM"
kill -0 "$DPW" || fail "control's SIGTERM stopped the dataplane"
grep -q 'STOPPING=1' "$TMP/notify.log" || fail "no STOPPING=1 on SIGTERM"
kill "$NOTIFY_PID"
ok "restarted by its unit as $DPW: control found it and reported a gap of $len s; control stopped, exit 0"
