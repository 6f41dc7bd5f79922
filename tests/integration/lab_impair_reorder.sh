#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Reordering and duplication, measured against what was injected, alone
# and together with a delay: site a delay_us=500,reorder=3,dup=2 (the
# combination whose reorder used to be ignored), site b reorder=3 alone.
# 2000 probes/s for 4 s. RFC 4737 counts a reply reordered when it comes
# after a higher sequence number: the reflector holds a reordered reply
# until the next one has left, so the reordered count is Binomial(received,
# 3%) and the duplicates Binomial(received, 2%); each must fall in its
# two-sided 99.9% interval. Nothing is lost. First: what cannot be done is
# refused at lab up with the reason, never silently dropped.
. "$(dirname "$0")/lib.sh"

refused() {
	local want=$1
	shift
	if (cd "$TMP" && "$MP" lab up --config-out "$TMP/lab.json" "$@") >"$TMP/refused.log" 2>&1; then
		fail "lab up $* was accepted"
	fi
	grep -q "$want" "$TMP/refused.log" ||
		fail "lab up $*: want an error naming '$want', got: $(cat "$TMP/refused.log")"
	ip netns list | grep -q '^mp-' && fail "lab up $* was refused but left namespaces"
	return 0
}
refused "jitter_us=300 exceeds delay_us=200" --reflector b:dpdk --impair b:delay_us=200,jitter_us=300
refused "reorder=60%: at most 50%" --reflector b:dpdk --impair b:reorder=60
refused "Gilbert-Elliott" --reflector b:dpdk --impair b:ge_p=1,ge_r=25

lab_begin --reflector a:dpdk --reflector b:dpdk --impair a:delay_us=500,reorder=3,dup=2 \
	--impair b:reorder=3
lab_rate 2000pps
probe_run 4
[ "$RUN_RC" = 0 ] || { cat "$TMP/run.log"; fail "run exited $RUN_RC"; }
msg=""
for l in a b; do
	read -r n r d lost < <(j ".links[] | select(.name == \"$l\") |
		\"\(.received) \(.reordered) \(.duplicates) \(.lost)\"")
	[ "$lost" = 0 ] || fail "link $l lost $lost probes (no loss was injected)"
	iv=$(binom_ok "$r" "$n" 0.03) || fail "link $l: $r of $n replies reordered, want $iv (3%)"
	msg="$msg link $l: reordered $r of $n (99.9% interval $iv)"
	if [ $l = a ]; then
		iv=$(binom_ok "$d" "$n" 0.02) || fail "link a: $d duplicates of $n, want $iv (2%)"
		msg="$msg, duplicates $d ($iv);"
	else
		[ "$d" = 0 ] || fail "link b: $d duplicates, none injected"
	fi
done
ok "$msg"
