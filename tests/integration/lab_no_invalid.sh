#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Ordinary link traffic is not invalid: on a clean lab (the default XDP
# reflectors, whose site ends run the kernel's IPv6 with its MLD reports and
# neighbour discovery), IPv4 and IPv6 runs count no invalid frame at all;
# what the link carries besides our replies is counted apart, by kind
# (links[].ignored), and the live lines show no "inv".
. "$(dirname "$0")/lib.sh"

clean_run() {	# FAMILY
	rm -rf "$TMP/out"
	RUN_RC=0
	"$MP" run "$TMP/lab.json" --duration 5 --out "$TMP/out" >"$TMP/run.log" 2>&1 || RUN_RC=$?
	[ "$RUN_RC" = 0 ] || { cat "$TMP/run.log"; fail "$1: run exited $RUN_RC"; }
	for l in 0 1; do
		inv=$(j ".links[$l].invalid")
		[ "$inv" = 0 ] || fail "$1: link $(j ".links[$l].name") has $inv invalid frames: $(jq -c ".links[$l].invalid_by_reason" "$TMP/out/summary.json")"
	done
	grep -E '^(a|b) .* inv [0-9]' "$TMP/run.log" && fail "$1: a live line shows invalid frames"
	ign=$(jq -c '[.links[] | {(.name): .ignored}] | add' "$TMP/out/summary.json")
	[ "$(jq '[.links[].received] | min' "$TMP/out/summary.json")" -gt 4000 ] || fail "$1: too few replies"
	ok "$1: both links 0 invalid; ignored: $ign"
}

lab_begin
clean_run IPv4
"$MP" lab down >/dev/null 2>&1
lab_begin --ipv6
clean_run IPv6
