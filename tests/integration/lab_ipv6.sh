#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# IPv6 end to end: neighbor discovery both ways (the prober resolves the
# next hop, the DPDK reflector at site a resolves and answers for its own
# address), STAMP over IPv6 to a DPDK reflector (a) and the XDP one (b).
. "$(dirname "$0")/lib.sh"

args=(--ipv6 --reflector a:dpdk)
[ -x "$BUILD/dataplane/xdp/metroprobe-xdp" ] || args+=(--reflector b:dpdk)
export METROPROBE_XDP=$(readlink -f "$BUILD/dataplane/xdp/metroprobe-xdp" 2>/dev/null)
lab_begin "${args[@]}"
jq -e '.links[0].ip | test(":")' "$TMP/lab.json" >/dev/null || fail "lab.json is not IPv6"
probe_run 4
[ "$RUN_RC" = 0 ] || { cat "$TMP/run.log"; fail "run exited $RUN_RC"; }
for l in a b; do
	s=$(j ".links[] | select(.name == \"$l\") | {sent, received, lost, p50: .rtt_us.p50}")
	[ "$(jq .lost <<<"$s")" = 0 ] || fail "link $l lost probes over IPv6: $s"
	[ "$(jq .received <<<"$s")" -ge 3000 ] || fail "link $l: too few replies: $s"
	grep -q "\"link\":\"$l\",\"event\":\"next_hop_resolved\",\"detail\":\"2001:db8:" \
		"$TMP/out/events.jsonl" || fail "no IPv6 next_hop_resolved event for link $l"
	ok "link $l over IPv6: $(jq -c . <<<"$s")"
done
