#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Both links clean, DPDK reflectors in both sites: no loss, RTT samples on
# both links, every probe accounted, a complete summary.
. "$(dirname "$0")/lib.sh"

lab_begin --reflector a:dpdk --reflector b:dpdk
probe_run 8
[ "$RUN_RC" = 0 ] || { cat "$TMP/run.log"; fail "run exited $RUN_RC"; }
[ "$(j .complete)" = true ] || fail "summary not complete"
for l in 0 1; do
	name=$(j ".links[$l].name")
	sent=$(j ".links[$l].sent")
	recv=$(j ".links[$l].received")
	lost=$(j ".links[$l].lost")
	n=$(j ".links[$l].rtt_samples")
	[ "$sent" -ge 7000 ] || fail "link $name sent only $sent in 8 s at 1000 pps"
	[ "$lost" = 0 ] || fail "link $name lost $lost on a clean link"
	[ "$recv" = "$sent" ] || fail "link $name: received $recv of $sent"
	[ "$n" = "$recv" ] || fail "link $name: $n RTT samples for $recv replies"
	p50=$(j ".links[$l].rtt_us.p50")
	fcmp "$p50 > 0 && $p50 < 5000" || fail "link $name median RTT $p50 us is implausible"
	[ "$(j ".links[$l].invalid")" = 0 ] || fail "link $name: invalid replies on a clean lab"
	ok "link $name: $sent sent, $recv received, 0 lost, median RTT $p50 us"
done
# intervals.jsonl holds one record per link per interval
nrec=$(jq -s '[.[] | select(.type == "interval")] | length' "$TMP/out/intervals.jsonl")
[ "$nrec" -ge 150 ] || fail "only $nrec interval records for 8 s at 100 ms x 2 links"
ok "$nrec interval records"
