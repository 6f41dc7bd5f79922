#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# metroprobe golive on the lab. Link a gets a known bottleneck, a token
# bucket of 20 Mb/s (lab impair a rate=20Mbps,burst=100000, XDP) under a
# committed_rate of 100 Mb/s on both links:
# - --dry-run prints the plan and runs nothing (no DIR, no dataplane);
# - --plan quick finishes, and report.json has every key of the schema
#   (docs/golive.md), checked with jq;
# - the throughput found on link a at 1518 and 64(90) bytes is within the
#   search's resolution of the limit: at most one resolution step (5% of the
#   100 Mb/s ceiling: 5 Mb/s) below 20 Mb/s, and above it by at most the
#   bucket's depth over a trial (800 kbit in 1 s: 0.8 Mb/s) plus 1%;
#   the bucket counts wire bits as the prober does, so nothing else is
#   between the two. The depth (65 frames of 1518 bytes) holds the
#   prober's bursts: 32 frames paced at once, and the catch-up after a
#   stall of the sender on a busy machine (a shallower bucket drops those
#   and the search lands a step lower);
# - frame loss at 100% of the ceiling is 1 - 20/100 (the bucket drops what
#   is over it, no more);
# - the verdict is FAIL, with link a's throughput below its committed rate
#   as the reason; the 64-byte rows say 90 bytes were sent;
# - Y.1564 runs after RFC 2544 with the sample services lab up writes
#   (CIR 16 Mb/s + EIR 4 Mb/s, inside link a's bucket) and a voice service
#   added on link a (2 Mb/s, 128 B, DSCP 46): all PASS; in the performance
#   test each service is its own stream at its CIR, link a's two streams
#   add up to the link;
# - Ctrl-C stops a run cleanly: exit 130 and a report of what was done;
# - run --sweep skips 9000 on a link set to MTU 1500, saying so, exit 0.
. "$(dirname "$0")/lib.sh"
XDP=$BUILD/dataplane/xdp/metroprobe-xdp
[ -x "$XDP" ] || skip "metroprobe-xdp was not built: the lab's rate limit is XDP"
export METROPROBE_XDP=$(readlink -f "$XDP")

lab_begin
# a second service on link a (voice: 2 Mb/s of 128-byte frames at DSCP 46), so
# that the performance test runs two streams on one link
# loss_timeout_ms 200: the lab's round trips are microseconds, and each
# trial waits that long for its last replies (1 s by default)
jq '.links[].committed_rate = "100Mbps" | .loss_timeout_ms = 200 |
	.y1564.services += [{name: "voice-a", link: "a", class: "voice", cir: "2Mbps",
		frame_size: 128, dscp: 46, policer: false,
		criteria: {ftd_us: 10000, fdv_us: 5000, flr: 0.001, avail: 0.999}}]' \
	"$TMP/lab.json" >"$TMP/gl.json" || fail "jq"
"$MP" lab impair a rate=20Mbps,burst=100000 >"$TMP/impair.log" 2>&1 ||
	{ cat "$TMP/impair.log"; fail "lab impair a rate=20Mbps"; }

# --dry-run: the plan, nothing run
"$MP" golive "$TMP/gl.json" --out "$TMP/dry" --dry-run >"$TMP/dry.log" 2>&1 ||
	{ cat "$TMP/dry.log"; fail "golive --dry-run exit $?"; }
grep -qE '^golive: plan quick, [0-9]+ steps, at most [0-9]+ trials, at most ' "$TMP/dry.log" ||
	fail "--dry-run does not print the plan: $(head -3 "$TMP/dry.log")"
grep -qE '^ +1\. a +throughput +64 ' "$TMP/dry.log" || fail "--dry-run: no step 1: $(cat "$TMP/dry.log")"
[ ! -e "$TMP/dry" ] || fail "--dry-run made $TMP/dry"
grep -q 'nothing was run' "$TMP/dry.log" || fail "--dry-run does not say nothing ran"
ok "--dry-run: $(head -1 "$TMP/dry.log")"

# above the committed rate: refused unless allowed
rc=0
"$MP" golive "$TMP/gl.json" --out "$TMP/over" --max-rate 200Mbps --dry-run >"$TMP/over.log" 2>&1 || rc=$?
[ $rc = 2 ] && grep -q -- '--allow-over-committed' "$TMP/over.log" ||
	fail "--max-rate above committed_rate: exit $rc, $(cat "$TMP/over.log")"
"$MP" golive "$TMP/gl.json" --out "$TMP/over" --max-rate 200Mbps --allow-over-committed \
	--dry-run >/dev/null 2>&1 || fail "--allow-over-committed is refused"
ok "rates above committed_rate refused without --allow-over-committed"

# the quick plan
t0=$(date +%s)
rc=0
"$MP" golive "$TMP/gl.json" --out "$TMP/gl" --plan quick --performance-s 5 >"$TMP/gl.log" 2>&1 || rc=$?
t1=$(date +%s)
R=$TMP/gl/report.json
[ -s "$R" ] || { tail -20 "$TMP/gl.log"; fail "no report.json (exit $rc)"; }
[ $rc = 1 ] || { tail -20 "$TMP/gl.log"; fail "golive exit $rc, want 1 (FAIL: link a is limited)"; }
ok "golive --plan quick finished in $((t1 - t0)) s (plan: at most $(jq .plan.max_s "$R") s)"
grep -qE '^\[step +1/[0-9]+ +[0-9]+% <= *[0-9hms]+ left\] a +throughput +64\(90\) +asked' "$TMP/gl.log" ||
	fail "no progress line: $(head -20 "$TMP/gl.log")"

# the schema: every required key
jq -e '
	(.schema == "metroprobe-golive-report/1") and
	(.verdict == "PASS" or .verdict == "FAIL") and (.reasons | type == "array" and length > 0) and
	(.complete == true) and (.interrupted == false) and (.steps_done == .steps_planned) and
	(.plan | .name == "quick" and (.steps | length) > 0 and .max_s > 0 and .resolution > 0) and
	(.links | length == 2) and
	(.links | all(.name and (.committed_rate == "100Mbps") and .mtu > 0 and
		(.y1564.services | length >= 1) and
		(.rfc2544 | (.throughput | length > 0) and (.latency | length > 0) and
			(.frame_loss | length > 0) and (.back_to_back | length > 0)) and
		(.rfc2544.throughput | all(has("frame_size") and (.frame_size_sent | type == "number") and
			(.rate_pps | type == "number") and (.rate_bps | type == "number") and
			(.loss_ratio | type == "number") and (.trials | length > 0))) and
		(.rfc2544.latency | all((.min_us, .p50_us, .p99_us, .max_us | type == "number") and
			.min_us <= .p50_us and .p50_us <= .p99_us and .p99_us <= .max_us and .reps > 0)) and
		(.rfc2544.frame_loss | all(.steps | length >= 2 and .[0].load_pct == 100 and
			all(has("load_pct") and has("loss_ratio") and has("sent_pps")))) and
		(.rfc2544.back_to_back | all(has("frames") and has("duration_ms") and .method and .note)))) and
	(.together.rfc2544.throughput | length > 0 and all(.per_link | length == 2)) and
	(.performance | (.services | length == 3) and (.series | length > 0)) and has("diversity") and
	(.config.path | type == "string") and (.config.json.links | length == 2) and
	(.versions.metroprobe | type == "string")' "$R" >/dev/null ||
	fail "report.json lacks keys of the schema: $(jq -c '{verdict, reasons, complete, links: [.links[] | {name, t: .rfc2544.throughput[0]}]}' "$R")"
ok "report.json has every key of the schema"

# Y.1564 with lab up's sample services (docs/y1564.md; golive_y1564.sh tests
# a policer and a delay): under link a's 20 Mb/s bucket the 16 Mb/s CIR and
# 20 Mb/s CIR+EIR steps pass, and the healthy lab passes the performance test
jq -e '[.links[].y1564.services[] | .verdict] == ["PASS", "PASS", "PASS"] and
	(.performance.verdict == "PASS") and (.links | all(.y1564.verdict == "PASS"))' "$R" >/dev/null ||
	fail "Y.1564 on the lab: $(jq -c '[.links[].y1564.services[] | {name, verdict, reasons}], .performance.reasons' "$R")"
ok "Y.1564 sample services PASS on the lab, performance test $(jq .performance.duration_s "$R") s PASS"
# the performance test: each service its own stream, at its CIR (IR within 5%),
# link a's two streams in the trial's summary.json, the link their sum
jq -e '[.performance.services[] | {key: "\(.link)/\(.name)", value: .ir_bps}] | from_entries |
	(.["a/business-a"] - 16e6 | fabs) < 0.8e6 and (.["a/voice-a"] - 2e6 | fabs) < 0.1e6 and
	(.["b/business-b"] - 16e6 | fabs) < 0.8e6' "$R" >/dev/null ||
	fail "performance test IR per service: $(jq -c '[.performance.services[] | {link, name, ir_bps}]' "$R")"
PS=$TMP/gl/$(jq -r .performance.trial_dir "$R")/summary.json
jq -e '.links[0] as $a | ($a.streams | map(.name) | sort) == ["business-a", "voice-a"] and
	($a.streams | map(.sent) | add) == $a.sent and
	($a.streams[] | select(.name == "voice-a") | .dscp == 46)' "$PS" >/dev/null ||
	fail "performance trial's link a streams: $(jq -c '[.links[0].streams[]? | {name, sent, dscp}], .links[0].sent' "$PS")"
ok "performance test: 3 services at CIR, link a as two streams (business-a, voice-a) summing to the link"

# the bottleneck found: within the resolution below, the bucket's depth above
for size in 1518 64; do
	bps=$(jq --argjson s $size '.links[0].rfc2544.throughput[] | select(.frame_size == $s) | .rate_bps' "$R")
	[ -n "$bps" ] || fail "no throughput of link a at $size"
	fcmp "$bps >= 20e6 - 5e6 && $bps <= (20e6 + 800e3) * 1.01" ||
		fail "link a at $size: $bps b/s found, the limit is 20e6 (resolution 5e6)"
	ok "link a at $size bytes: $bps b/s found under a 20 Mb/s limit"
done
# above the limit, what is over it is dropped: 1 - 20/100 of the frames at the 100 Mb/s ceiling
l=$(jq '.links[0].rfc2544.frame_loss[0].steps[0] | select(.load_pct == 100) | .loss_ratio' "$R")
fcmp "${l:-0} >= 0.78 && ${l:-0} <= 0.81" || fail "frame loss at 100% of 100 Mb/s through 20 Mb/s: $l, want 0.8"
ok "frame loss at 100 Mb/s through the 20 Mb/s bucket: $l (1 - 20/100 = 0.8)"
jq -e '.links[0].rfc2544.throughput[] | select(.frame_size == 64) | .frame_size_sent == 90' "$R" >/dev/null ||
	fail "the 64-byte row does not say 90 were sent"
b=$(jq '.links[1].rfc2544.throughput[] | select(.frame_size == 1518) | .rate_bps' "$R")
fcmp "$b >= 95e6" || fail "link b (no limit) at 1518: $b b/s, want the 100 Mb/s ceiling"
ok "link b, not limited, carries its committed rate at 1518: $b b/s"
jq -e '.verdict == "FAIL" and (.reasons | any(test("^a: throughput at .* below link a.s committed_rate 100Mbps")))' \
	"$R" >/dev/null || fail "verdict and reasons: $(jq -c '{verdict, reasons}' "$R")"
ok "verdict FAIL: $(jq -r '.reasons[0]' "$R")"

# Ctrl-C: stops cleanly, the report covers what was done
"$MP" golive "$TMP/gl.json" --out "$TMP/int" --plan quick >"$TMP/int.log" 2>&1 &
RUN_PID=$!
sleep 8
kill -INT $RUN_PID
rc=0
wait $RUN_PID || rc=$?
RUN_PID=
[ $rc = 130 ] || { tail "$TMP/int.log"; fail "golive after Ctrl-C: exit $rc, want 130"; }
jq -e '.interrupted == true and .complete == false and .verdict == "FAIL" and
	.steps_done < .steps_planned and (.links[0].rfc2544.throughput | length >= 1)' \
	"$TMP/int/report.json" >/dev/null || fail "report after Ctrl-C: $(jq -c '{interrupted, complete, steps_done}' "$TMP/int/report.json")"
ok "Ctrl-C: exit 130, report of $(jq .steps_done "$TMP/int/report.json") steps"

# run --sweep on a link whose MTU cannot carry a size: skipped, said, exit 0
ip -n mp-onprem link set mpa-p mtu 1500 || fail "cannot set mpa-p's MTU"
rc=0
"$MP" run "$TMP/lab.json" --sweep=9000,64 --duration 1 --out "$TMP/sweep" --quiet \
	>"$TMP/sweep.log" 2>&1 || rc=$?
[ $rc = 0 ] || { tail -20 "$TMP/sweep.log"; fail "sweep with a 1500-byte link: exit $rc, want 0"; }
grep -q '=== frame size 9000: skipped: link a carries frames up to 1518 bytes (MTU 1500)' "$TMP/sweep.log" ||
	fail "the sweep does not say 9000 is skipped: $(grep -i skip "$TMP/sweep.log")"
jq -e '.sizes[0].skipped and (.sizes[1].frame_size == 64) and (.sizes[1].frame_size_sent == 90)' \
	"$TMP/sweep/sweep.json" >/dev/null || fail "sweep.json: $(jq -c '.sizes | map({frame_size, skipped, frame_size_sent})' "$TMP/sweep/sweep.json")"
grep -qE '^64\(90\) +a ' "$TMP/sweep.log" || fail "the 64 row does not say 90 was sent"
ok "sweep: 9000 skipped on a 1500-byte link, 64 labelled 64(90), exit 0"

# the report's page, in headless Chromium (report_html.sh, on this run's DIR:
# one golive for both); a chromium that is missing is a skip of that part only
"$MP" lab down >/dev/null 2>&1
rc=0
REPORT_HTML_DIR=$TMP/gl "$(dirname "$0")/report_html.sh" "$BUILD" || rc=$?
[ $rc = 0 ] || [ $rc = 77 ] || fail "report_html.sh on this run's report: exit $rc"
