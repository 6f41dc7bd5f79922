#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Nothing outlives what made it:
# - control killed with SIGKILL during a duration-0 run: its dataplane stops
#   within 2.5 s (PR_SET_PDEATHSIG, and the dataplane's --control-lost exit);
# - the dataplane alone, its control socket closed: with --control-lost exit
#   it ends after the grace period, with --control-lost keep it goes on;
# - lab down with a process still inside a site namespace: exit non-zero,
#   naming that process; once it is gone, lab down exits 0.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "python3 is not installed (the test's socket peer)"

lab_begin
dp_of() { pgrep -f -- "--file-prefix mp-run-$1" | head -1; }
gone_within() {	# PID MAX_TENTHS: 0 when PID is gone in time; prints tenths waited
	local t=0
	while kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" | cut -c1)" != Z ]; do
		[ $t -ge "$2" ] && { echo $t; return 1; }
		sleep 0.1
		t=$((t + 1))
	done
	echo $t
}

HP_KNOB=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
hp_before=$(cat $HP_KNOB 2>/dev/null || echo 0)

# 1. kill -9 of control during a continuous run
"$MP" run "$TMP/lab.json" --duration 0 --out "$TMP/out" --quiet >"$TMP/run.log" 2>&1 &
RUN_PID=$!
sleep 3
dp=$(dp_of $RUN_PID)
[ -n "$dp" ] || { cat "$TMP/run.log"; fail "no dataplane process of run $RUN_PID"; }
kill -9 $RUN_PID
wait $RUN_PID 2>/dev/null
RUN_PID=
if ! t=$(gone_within "$dp" 25); then
	kill -9 "$dp"
	fail "dataplane $dp still runs (parent $(ps -o ppid= -p "$dp")) 2.5 s after control was killed"
fi
ok "control killed: its dataplane ended $((t * 100)) ms later"

# 2. the dataplane on its own: control's socket closes and control never comes back
cmd=$("$MP" check "$TMP/lab.json" | sed -n 's/^dataplane: //p')
[ -n "$cmd" ] || fail "check printed no dataplane command line"
grep -q -- '--control-lost exit' <<<"$cmd" || fail "run does not pass --control-lost exit: $cmd"
# a socket peer that accepts, reads for 2 s and goes away
peer() {
	python3 - "$1" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(1)
c, _ = s.accept()
c.settimeout(0.2)
end = time.time() + 2
while time.time() < end:
    try:
        c.recv(65536)
    except socket.timeout:
        pass
c.close(); s.close()
PY
}
for mode in exit keep; do
	sock="$TMP/ctl-$mode.sock"
	rm -f "$sock"
	peer "$sock"
	peer_pid=$!
	while [ ! -S "$sock" ]; do sleep 0.05; done
	args=$(sed -e "s|--socket SOCKET|--socket $sock|" -e "s|--control-lost exit|--control-lost $mode|" \
		-e "s|--file-prefix [^ ]*|--file-prefix mp-run-orph$mode|" -e 's|--duration-ms [0-9]*|--duration-ms 0|' <<<"$cmd")
	# shellcheck disable=SC2086
	ip netns exec mp-onprem $args >"$TMP/dp-$mode.log" 2>&1 &
	dp=$!
	wait $peer_pid
	# the peer is gone now: exit after the 1 s grace plus the 1 s drain
	if [ $mode = exit ]; then
		t=$(gone_within "$dp" 40) || { kill -9 "$dp"; cat "$TMP/dp-$mode.log"; fail "--control-lost exit: still running 4 s after control left"; }
		grep -q 'control has been gone' "$TMP/dp-$mode.log" || fail "--control-lost exit: it does not say why it stopped"
		ok "--control-lost exit: ended $((t * 100)) ms after control left"
	else
		sleep 4
		kill -0 "$dp" 2>/dev/null || { cat "$TMP/dp-$mode.log"; fail "--control-lost keep: the dataplane ended"; }
		kill -TERM "$dp"
		gone_within "$dp" 50 >/dev/null || kill -9 "$dp"
		ok "--control-lost keep: still probing 4 s after control left"
	fi
	wait "$dp" 2>/dev/null
done

# 3. lab down with a process left inside a site namespace
ip netns exec mp-site-a sleep 300 &
squatter=$!
sleep 0.3
rc=0
"$MP" lab down >"$TMP/down.log" 2>&1 || rc=$?
kill $squatter 2>/dev/null
wait $squatter 2>/dev/null
[ $rc != 0 ] || { cat "$TMP/down.log"; fail "lab down exited 0 with a process inside mp-site-a"; }
grep -q "survived: process $squatter (sleep) inside mp-site-a" "$TMP/down.log" ||
	{ cat "$TMP/down.log"; fail "lab down does not name the process that survived"; }
grep -q 'lab is down' "$TMP/down.log" && fail "lab down says 'lab is down' although something survived"
ok "lab down with a survivor: exit $rc, '$(grep -m1 survived "$TMP/down.log")'"
rc=0
"$MP" lab down >"$TMP/down2.log" 2>&1 || rc=$?
[ $rc = 0 ] || { cat "$TMP/down2.log"; fail "lab down after the survivor left: exit $rc"; }
ok "lab down once it is gone: exit 0"
# the pages the killed run had raised: lab down gave them back (its pid is gone)
hp_after=$(cat $HP_KNOB 2>/dev/null || echo 0)
[ "$hp_after" = "$hp_before" ] ||
	{ cat "$TMP/down2.log"; fail "nr_hugepages $hp_before before, $hp_after after: the killed run's raise was kept"; }
ok "nr_hugepages back to $hp_before: the killed run's raise was given back"
