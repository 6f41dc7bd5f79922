# SPDX-License-Identifier: BSD-3-Clause
# What the serve drills share (source it after lib.sh): the lab's config as
# a service runs it (no rates: the service default; a service section),
# serve started on a private socket, and the cleanup of serve and of its
# detached dataplane, also on failure.

SOCK=""
SERVE_PID=""
HP_KNOB=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
HP_BEFORE=$(cat $HP_KNOB 2>/dev/null || echo 0)
# serve_cfg [JQ-EXPR]: $TMP/svc.json from the lab's config, edited by JQ-EXPR
serve_cfg() {
	jq "del(.links[].rate) | .service = {\"window_s\": 10} | ${1:-.}" "$TMP/lab.json" \
		>"$TMP/svc.json" || fail "cannot write svc.json"
}
# serve_start [serve options]: serve in the background on $TMP/run/lab.sock
serve_start() {
	SOCK=$TMP/run/lab.sock
	"$MP" serve "$TMP/svc.json" --name lab --socket "$SOCK" --out "$TMP/out" "$@" \
		>"$TMP/serve.log" 2>&1 &
	SERVE_PID=$!
}
dp_pid_of() { cut -d' ' -f1 "$TMP/run/lab.pid" 2>/dev/null; }
# lines FILE: its lines (0 when absent)
lines() { [ -f "$1" ] && wc -l <"$1" || echo 0; }
# at_least FILE N: FILE has N lines or more (wait_for runs it again each time)
at_least() { [ "$(lines "$1")" -ge "$2" ]; }
# wait_for SECONDS CMD...: until CMD succeeds; 1 on timeout
wait_for() {
	local t=$(($1 * 10))
	shift
	while [ $t -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		t=$((t - 1))
	done
	return 1
}
ev() { grep -h "\"event\":\"$1\"" "$TMP/out/events.jsonl" 2>/dev/null; }
# serve_begin [serve options]: the lab, serve on it, and 40 records in
serve_begin() {
	lab_begin
	HP_LAB=$(cat $HP_KNOB 2>/dev/null || echo 0)	# what the lab itself reserved
	trap serve_cleanup EXIT
	serve_cfg
	serve_start "$@"
	wait_for 40 at_least "$TMP/out/intervals.jsonl" 40 ||
		fail "no records from serve's dataplane in 40 s"
}
serve_cleanup() {
	local rc=$? p
	[ -n "$SERVE_PID" ] && kill -9 "$SERVE_PID" 2>/dev/null
	[ -n "${NOTIFY_PID:-}" ] && kill "$NOTIFY_PID" 2>/dev/null
	p=$(dp_pid_of)
	[ -n "$p" ] && kill -9 "$p" 2>/dev/null
	for p in $(pgrep -f -- "--file-prefix mp-serve-lab"); do kill -9 "$p" 2>/dev/null; done
	# the pages serve reserved stay with its dataplane, which outlives it: give them back
	for _ in $(seq 50); do pgrep -f -- "--file-prefix mp-serve-lab" >/dev/null || break; sleep 0.1; done
	[ "$(cat $HP_KNOB 2>/dev/null || echo 0)" -gt "$HP_BEFORE" ] && echo "$HP_BEFORE" >$HP_KNOB
	mountpoint -q "$TMP/out" 2>/dev/null && umount -l "$TMP/out"
	if [ $rc != 0 ] && [ $rc != 77 ]; then
		echo "--- serve.log ---"; tail -n 30 "$TMP/serve.log" 2>/dev/null
		echo "--- dataplane.log ---"; tail -n 10 "$TMP/out/dataplane.log" 2>/dev/null
	fi
	(exit $rc)
	lab_cleanup
}
