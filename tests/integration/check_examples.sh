#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Examples that run, and a check that says when a run would fail:
# - control/examples/lab.json is what `lab up --config-out` writes; with the
#   lab up, `check` says ok and a run of it completes;
# - every other shipped example: `check` either says ok or fails in one line
#   (the Zurich one here: its PCI devices do not exist on this machine);
# - `check` fails (exit 1, one line naming it) on a missing dataplane binary,
#   an interface that does not exist in the link's namespace, an unknown
#   vdev kind.
. "$(dirname "$0")/lib.sh"
EX=$(dirname "$0")/../../control/examples

lab_begin
[ "$(jq -S 'del(._comment)' "$EX/lab.json")" = "$(jq -S . "$TMP/lab.json")" ] ||
	fail "control/examples/lab.json differs from lab up --config-out: $(diff <(jq -S 'del(._comment)' "$EX/lab.json") <(jq -S . "$TMP/lab.json"))"
ok "examples/lab.json is what lab up makes"

for f in "$EX"/*.json; do
	rc=0
	"$MP" check "$f" >"$TMP/check.out" 2>"$TMP/check.err" || rc=$?
	case $(basename "$f") in
	lab.json)
		[ $rc = 0 ] || fail "check lab.json with the lab up: exit $rc: $(cat "$TMP/check.err")"
		grep -q '^config ok' "$TMP/check.out" || fail "check lab.json says no 'config ok'"
		;;
	zurich-direct-qinq.json)
		[ -e /sys/bus/pci/devices/0000:3b:00.0 ] && { ok "zurich: this machine has 0000:3b:00.0; not asserted"; continue; }
		[ $rc = 1 ] || fail "check zurich: exit $rc, want 1 (no such PCI devices here)"
		grep -q 'no PCI device 0000:3b:00.0' "$TMP/check.err" || fail "check zurich does not name the PCI device: $(cat "$TMP/check.err")"
		;;
	*)
		[ $rc = 0 ] || [ $rc = 1 ] || fail "check $f: exit $rc"
		;;
	esac
	if [ $rc != 0 ]; then
		[ "$(wc -l <"$TMP/check.err")" = 1 ] && [ ! -s "$TMP/check.out" ] ||
			fail "check $f: not one line: $(cat "$TMP/check.out" "$TMP/check.err")"
	fi
	ok "check $(basename "$f"): exit $rc $(head -c 200 "$TMP/check.err")"
done

rc=0
"$MP" run "$EX/lab.json" --duration 3 --out "$TMP/out" --quiet >"$TMP/run.log" 2>&1 || rc=$?
[ $rc = 0 ] || { cat "$TMP/run.log"; fail "run of examples/lab.json exited $rc"; }
[ "$(j '.links[0].received')" -gt 2000 ] || fail "run of examples/lab.json received $(j '.links[0].received')"
ok "examples/lab.json runs on the lab: exit 0"
# --quiet hides the live lines, not the summary table
grep -qE '^link +sent +received' "$TMP/run.log" || fail "--quiet run printed no summary table: $(cat "$TMP/run.log")"
grep -q ' recv ' "$TMP/run.log" && fail "--quiet run printed live lines"
ok "--quiet: no live lines, the summary table printed"

one_line_fail() {	# NAME WANT CMD...: exit 1, one line on stderr matching WANT
	local name=$1 want=$2 rc=0
	shift 2
	"$@" >"$TMP/c.out" 2>"$TMP/c.err" || rc=$?
	[ $rc = 1 ] || fail "$name: check exit $rc, want 1: $(cat "$TMP/c.out" "$TMP/c.err")"
	[ "$(wc -l <"$TMP/c.err")" = 1 ] && [ ! -s "$TMP/c.out" ] || fail "$name: not one line: $(cat "$TMP/c.out" "$TMP/c.err")"
	grep -q -- "$want" "$TMP/c.err" || fail "$name: does not say '$want': $(cat "$TMP/c.err")"
	ok "$name: $(cat "$TMP/c.err")"
}
METROPROBE_DP=/nonexistent/metroprobe-dp one_line_fail "missing binary" "dataplane.binary" "$MP" check "$EX/lab.json"
jq '.dataplane.binary = "/nonexistent/metroprobe-dp"' "$EX/lab.json" >"$TMP/nobin.json"
one_line_fail "missing binary path" "dataplane.binary: /nonexistent/metroprobe-dp not found" "$MP" check "$TMP/nobin.json"
jq '.links[1].port = "net_af_packet1,iface=mp-nope0"' "$EX/lab.json" >"$TMP/noif.json"
one_line_fail "missing interface" "links\[1\].port: no interface mp-nope0 in netns mp-onprem" "$MP" check "$TMP/noif.json"
jq '.links[0].port = "net_bogus0,iface=mpa-p"' "$EX/lab.json" >"$TMP/nokind.json"
one_line_fail "unknown vdev" "links\[0\].port: 'net_bogus0' is not a DPDK vdev kind" "$MP" check "$TMP/nokind.json"
