#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# A constant delay, measured against what was injected: 2000 us added at
# site b (dpdk, nothing at a), 2000 probes/s for 4 s. A constant delay is
# FIFO: 0 reordered (equal release times keep their order) and nothing
# lost; median RTT of b minus median RTT of a is 2000 +- 50 us.
. "$(dirname "$0")/lib.sh"

lab_begin --reflector a:dpdk --reflector b:dpdk --impair b:delay_us=2000
lab_rate 2000pps
probe_run 4
[ "$RUN_RC" = 0 ] || { cat "$TMP/run.log"; fail "run exited $RUN_RC"; }
a=$(j '.links[] | select(.name == "a") | .rtt_us.p50')
b=$(j '.links[] | select(.name == "b") | .rtt_us.p50')
d=$(awk "BEGIN { print $b - $a }")
rb=$(j '.links[] | select(.name == "b") | .reordered')
lb=$(j '.links[] | select(.name == "b") | .lost')
nb=$(j '.links[] | select(.name == "b") | .received')
[ "$rb" = 0 ] || fail "a constant delay reordered $rb of $nb replies on link b"
[ "$lb" = 0 ] || fail "delay alone lost $lb probes on link b"
fcmp "$d >= 1950 && $d <= 2050" || fail "median RTT b - a = $d us (a $a, b $b), want 2000 +- 50"
ok "median RTT b - a = $d us (a $a us, b $b us), $nb replies, 0 reordered, 0 lost"
