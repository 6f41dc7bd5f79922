#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# 2000 us added at site b: median RTT of b minus median RTT of a is
# 2000 +- 200 us.
. "$(dirname "$0")/lib.sh"

lab_begin --reflector a:dpdk --reflector b:dpdk --impair b:delay_us=2000
probe_run 6
[ "$RUN_RC" = 0 ] || { cat "$TMP/run.log"; fail "run exited $RUN_RC"; }
a=$(j '.links[] | select(.name == "a") | .rtt_us.p50')
b=$(j '.links[] | select(.name == "b") | .rtt_us.p50')
d=$(awk "BEGIN { print $b - $a }")
fcmp "$d >= 1800 && $d <= 2200" || fail "median RTT b - a = $d us (a $a, b $b), want 2000 +- 200"
lb=$(j '.links[] | select(.name == "b") | .lost')
[ "$lb" = 0 ] || fail "delay alone lost $lb probes on link b"
ok "median RTT b - a = $d us (a $a us, b $b us)"
