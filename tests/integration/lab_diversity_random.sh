#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Site diversity (issue 10) under independent random loss: the diverse lab
# with 3% of the probes dropped at each site, each on its own (XDP, per
# packet), for 30 s at 100 ms intervals. Both links are impaired (more
# than 2% lost) in about half of the windows, in many episodes, but not
# together more than chance makes them: lift near 1, phi near 0, and the
# verdict is not SHARED-RISK.
. "$(dirname "$0")/lib.sh"

dv() { j ".diversity.$1"; }

lab_begin
"$MP" lab impair a loss=3 >/dev/null || fail "lab impair a loss=3"
"$MP" lab impair b loss=3 >/dev/null || fail "lab impair b loss=3"
probe_run 30
# 3% loss breaks lab.json's example SLA (1% per link over a minute): exit 5
[ "$RUN_RC" = 5 ] && [ "$(j .verdict)" = sla_breach ] ||
	{ cat "$TMP/run.log"; fail "run exited $RUN_RC, not 5 (the example SLA breached)"; }
v=$(dv verdict)
lift=$(dv shared_fate.lift)
phi=$(dv shared_fate.phi)
ea=$(dv shared_fate.episodes_a)
eb=$(dv shared_fate.episodes_b)
# the loss happened: about 3% on each link
for l in 0 1; do
	fcmp "$(j ".links[$l].loss_ratio") > 0.015 && $(j ".links[$l].loss_ratio") < 0.05" ||
		fail "link $l loss $(j ".links[$l].loss_ratio"), want about 0.03"
done
[ "$ea" -ge 10 ] && [ "$eb" -ge 10 ] || { j .diversity; fail "episodes $ea and $eb, want many"; }
# ~300 windows, each link impaired in ~58%: phi's standard error is ~0.06
fcmp "$lift > 0.8 && $lift < 1.25" || { j .diversity; fail "lift $lift, want near 1"; }
fcmp "$phi > -0.2 && $phi < 0.2" || { j .diversity; fail "phi $phi, want near 0"; }
[ "$v" != SHARED-RISK ] && [ "$v" != NOT-DIVERSE ] || { j .diversity; fail "verdict $v"; }
ok "independent 3% loss on both links: $v, lift $lift, phi $phi, episodes $ea and $eb"
