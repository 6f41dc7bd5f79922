#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# A reflector that is not there: site b's end left to the kernel with nothing
# listening on the STAMP port answers every probe with an ICMP port
# unreachable (rate-limited by the kernel). They are recognised as errors
# about our probes: counted as icmp_errors.reflector_unreachable on link b,
# not as invalid frames; an event names the source address, the live line
# and the summary say so. IPv4 and IPv6 (ICMPv6).
. "$(dirname "$0")/lib.sh"

check_family() {	# FAMILY SITE_ADDR
	local fam=$1 addr=$2
	probe_run 4 --quiet
	cp "$TMP/run.log" "$TMP/run-quiet.log"
	rm -rf "$TMP/out"
	RUN_RC=0
	"$MP" run "$TMP/lab.json" --duration 4 --out "$TMP/out" >"$TMP/run.log" 2>&1 || RUN_RC=$?
	[ "$RUN_RC" = 3 ] || { cat "$TMP/run.log"; fail "$fam: run exited $RUN_RC, want 3 (link b lost everything)"; }
	n=$(j '.links[] | select(.name == "b") | .icmp_errors.reflector_unreachable // 0')
	[ "$n" -gt 0 ] || { cat "$TMP/run.log"; fail "$fam: no reflector_unreachable counted on link b: $(j '.links[1]')"; }
	inv=$(j '.links[] | select(.name == "b") | .invalid')
	[ "$inv" = 0 ] || fail "$fam: link b has $inv invalid frames: $(j '.links[1].invalid_by_reason')"
	[ "$(j '.links[] | select(.name == "a") | .icmp_errors | length')" = 0 ] || fail "$fam: ICMP errors on link a"
	[ "$(jq -s --arg a "$addr" 'map(select(.type == "event" and .event == "icmp_error" and .link == "b" and
		(.detail | startswith("reflector_unreachable from " + $a + " ")))) | length' \
		"$TMP/out/events.jsonl")" = 1 ] ||
		fail "$fam: no icmp_error event naming $addr: $(grep icmp "$TMP/out/events.jsonl")"
	grep -q "^event: link b icmp_error reflector_unreachable from $addr" "$TMP/run.log" ||
		fail "$fam: the event is not printed"
	grep -Eq '^b .* reflector_unreachable [0-9]+' "$TMP/run.log" || fail "$fam: no live line of b shows it"
	grep -q "link b: $n ICMP reflector_unreachable from $addr" "$TMP/run.log" ||
		{ cat "$TMP/run.log"; fail "$fam: the summary does not say it"; }
	ok "$fam: link b $n reflector_unreachable from $addr, 0 invalid, event, live line and summary"
}

# site b's address in the default topology (diverse), behind its router rtr-b:
# the port unreachable comes from there, through the router
lab_begin --reflector b:kernel
check_family IPv4 198.51.100.6
"$MP" lab down >/dev/null 2>&1
rm -rf "$TMP/out"
lab_begin --reflector b:kernel --ipv6
check_family IPv6 2001:db8:b::6
