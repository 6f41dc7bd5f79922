#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# 5% drop at site b only: link b loses 3.5-6.5%, link a below 0.5%.
# 10 000 probes per link: the binomial standard deviation at 5% is 0.22%.
. "$(dirname "$0")/lib.sh"

lab_begin --reflector a:dpdk --reflector b:dpdk --impair b:loss=5
probe_run 10
[ "$RUN_RC" = 0 ] || { cat "$TMP/run.log"; fail "run exited $RUN_RC"; }
la=$(j '.links[] | select(.name == "a") | .loss_ratio * 100')
lb=$(j '.links[] | select(.name == "b") | .loss_ratio * 100')
fcmp "$lb >= 3.5 && $lb <= 6.5" || fail "link b loss $lb% not within 3.5..6.5%"
fcmp "$la < 0.5" || fail "link a loss $la% not below 0.5%"
ok "link b loss $lb%, link a loss $la%"
