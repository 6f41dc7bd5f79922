#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The lab's default reflectors (XDP) probed by metroprobe-dp:
# 1. loss injected in XDP at site b matches its probability within the 99.9%
#    binomial confidence interval, and link a stays clean;
# 2. a blackhole switched on at site a mid-run shows as 100% loss on link a
#    only (once the loss timeout has passed), and switched off, recovers.
. "$(dirname "$0")/lib.sh"
XDP=$BUILD/dataplane/xdp/metroprobe-xdp
[ -x "$XDP" ] || skip "metroprobe-xdp was not built (no libbpf/clang/bpftool/BTF)"
export METROPROBE_XDP=$(readlink -f "$XDP")

lab_begin --impair b:loss=10
for s in a b; do
	kind=$("$MP" lab status --json | jq -r ".sites.$s.reflector")
	[ "$kind" = xdp ] || fail "site $s reflector is $kind, want the xdp default"
done
ok "both sites answer with the XDP reflector"

probe_run 8
[ "$RUN_RC" = 0 ] || { cat "$TMP/run.log"; fail "run exited $RUN_RC"; }
n=$(j '.links[] | select(.name == "b") | .received + .lost')
lost=$(j '.links[] | select(.name == "b") | .lost')
awk -v n="$n" -v k="$lost" 'BEGIN { p = 0.10; sd = sqrt(n * p * (1 - p));
	exit !(n > 5000 && k >= n * p - 3.29 * sd && k <= n * p + 3.29 * sd) }' ||
	fail "link b lost $lost of $n, outside the 99.9% interval of 10%"
la=$(j '.links[] | select(.name == "a") | .lost')
[ "$la" = 0 ] || fail "link a lost $la probes"
ok "link b lost $lost of $n (10% configured, within the 99.9% interval); link a 0"

"$MP" lab impair b clear >/dev/null || fail "lab impair b clear"
"$MP" run "$TMP/lab.json" --duration 12 --out "$TMP/out" --quiet >"$TMP/run.log" 2>&1 &
RUN_PID=$!
sleep 3
on_ns=$(date +%s%N)
"$MP" lab impair a blackhole=on >/dev/null || fail "lab impair a blackhole=on"
sleep 4
off_ns=$(date +%s%N)
"$MP" lab impair a blackhole=off >/dev/null || fail "lab impair a blackhole=off"
wait $RUN_PID
rc=$?
RUN_PID=
[ $rc = 3 ] || { cat "$TMP/run.log"; fail "run with a blackhole exited $rc, want 3 (outage)"; }
window() { # LINK FROM_NS TO_NS -> {n, received, lost}
	jq -s --arg l "$1" --arg from "$2" --arg to "$3" '
		[.[] | select(.type == "interval" and .link == $l and
			(.start_ns | tonumber) >= ($from | tonumber) and
			(.end_ns | tonumber) <= ($to | tonumber))] |
		{n: length, received: (map(.received) | add // 0), lost: (map(.lost) | add // 0)}' \
		"$TMP/out/intervals.jsonl"
}
during=$(window a $((on_ns + 1200000000)) "$off_ns")
after=$(window a $((off_ns + 300000000)) $((off_ns + 4000000000)))
[ "$(jq .n <<<"$during")" -ge 20 ] || fail "too few records during the blackhole: $during"
[ "$(jq .received <<<"$during")" = 0 ] || fail "link a received replies during the blackhole: $during"
[ "$(jq .lost <<<"$during")" -gt 2000 ] || fail "link a did not lose during the blackhole: $during"
[ "$(jq .received <<<"$after")" -gt 2000 ] || fail "link a did not recover: $after"
lb=$(j '.links[] | select(.name == "b") | .lost')
[ "$lb" = 0 ] || fail "link b lost $lb probes while a was blackholed"
ok "blackhole on link a: $(jq -c . <<<"$during") during, $(jq -c . <<<"$after") after; link b 0 lost"
