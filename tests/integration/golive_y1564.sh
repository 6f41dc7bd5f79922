#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# ITU-T Y.1564 in metroprobe golive on the lab (--tests y1564, the quick
# plan's 1 s steps, a 10 s performance test), with the sample services
# lab up writes (CIR 16 Mb/s, EIR 4 Mb/s, FTD 10 ms round trip):
# - link a gets a policer at CIR+EIR: lab impair a rate=20Mbps,burst=100000
#   (the XDP token bucket), and its service expects one ("policer": true,
#   "cbs": 100000, the bucket's depth). The CIR steps and CIR+EIR pass, and
#   the policing step at 125% of CIR+EIR (25 Mb/s) shows the policer: IR
#   capped at 20 Mb/s plus the depth over the step (0.8 Mb/s) plus the 5%
#   tolerance, about a fifth of the frames lost; the service PASSes;
# - link b gets 20 ms of delay (lab impair b delay_us=20000: a dpdk
#   reflector takes over), above the 10 ms FTD criterion: every CIR step
#   and the service FAIL with "FTD ... > 10000.0 us" as the reason, in the
#   service's reasons and in the run's; the performance test fails b and
#   passes a;
# - report.json has the keys of the schema (docs/y1564.md), the series of
#   the performance test covers both links;
# - --dry-run prints the Y.1564 steps; a CIR+EIR above the link's
#   committed_rate is refused (exit 2) unless --allow-over-committed.
. "$(dirname "$0")/lib.sh"
XDP=$BUILD/dataplane/xdp/metroprobe-xdp
[ -x "$XDP" ] || skip "metroprobe-xdp was not built: the lab's policer is XDP"
export METROPROBE_XDP=$(readlink -f "$XDP")

lab_begin
jq -e '.y1564.services | length == 2' "$TMP/lab.json" >/dev/null ||
	fail "lab up wrote no sample Y.1564 services: $(jq -c .y1564 "$TMP/lab.json")"
jq '(.y1564.services[] | select(.link == "a")) |= (.policer = true | .cbs = 100000)' \
	"$TMP/lab.json" >"$TMP/y.json" || fail "jq"

# the plan; and the committed rate guarded
"$MP" golive "$TMP/y.json" --out "$TMP/dry" --tests y1564 --dry-run >"$TMP/dry.log" 2>&1 ||
	{ cat "$TMP/dry.log"; fail "golive --dry-run --tests y1564"; }
grep -qE '^ +1\. a +y1564 +512 +up to  6 trials.*service business-a: CIR 16\.000 Mb/s, EIR 4\.000' \
	"$TMP/dry.log" && grep -qE '^ +3\. together y1564_perf' "$TMP/dry.log" ||
	fail "--dry-run does not show the Y.1564 steps: $(cat "$TMP/dry.log")"
jq '.y1564.services[0].cir = "99Mbps"' "$TMP/y.json" >"$TMP/over.json"
rc=0
"$MP" golive "$TMP/over.json" --out "$TMP/over" --dry-run >"$TMP/over.log" 2>&1 || rc=$?
[ $rc = 2 ] && grep -q 'CIR+EIR 103.000 Mb/s is above link a.s committed_rate' "$TMP/over.log" ||
	fail "CIR+EIR above committed_rate: exit $rc, $(cat "$TMP/over.log")"
"$MP" golive "$TMP/over.json" --out "$TMP/over" --dry-run --allow-over-committed >/dev/null 2>&1 ||
	fail "--allow-over-committed does not allow CIR+EIR above committed_rate"
ok "--dry-run shows the Y.1564 steps; CIR+EIR above committed_rate refused unless allowed"

"$MP" lab impair a rate=20Mbps,burst=100000 >"$TMP/impair.log" 2>&1 &&
	"$MP" lab impair b delay_us=20000 >>"$TMP/impair.log" 2>&1 ||
	{ cat "$TMP/impair.log"; fail "lab impair"; }

t0=$(date +%s)
rc=0
"$MP" golive "$TMP/y.json" --out "$TMP/gl" --tests y1564 --performance-s 10 >"$TMP/gl.log" 2>&1 || rc=$?
t1=$(date +%s)
R=$TMP/gl/report.json
[ -n "${MP_KEEP_REPORT:-}" ] && cp "$R" "$MP_KEEP_REPORT" && cp "$TMP/gl.log" "$MP_KEEP_REPORT.log"	# opt-in, to read a failure
[ -s "$R" ] || { tail -30 "$TMP/gl.log"; fail "no report.json (exit $rc)"; }
[ $rc = 1 ] || { tail -30 "$TMP/gl.log"; fail "golive exit $rc, want 1 (b's delay fails it)"; }
ok "golive --tests y1564 finished in $((t1 - t0)) s"
grep -qE '^\[step +1/3 +[0-9]+% <= *[0-9hms]+ left\] a +y1564 +business-a 25% +asked' "$TMP/gl.log" ||
	fail "no progress line: $(head -5 "$TMP/gl.log")"

# the schema
jq -e '
	(.links | length == 2) and (.links | all(.rfc2544.throughput == [])) and
	(.links | all(.y1564 | (.verdict | type == "string") and (.reasons | type == "array") and
		(.services | length == 1) and (.services | all(
			(.name, .link, .class, .verdict | type == "string") and (.reasons | type == "array") and
			(.cir_bps == 16000000) and (.eir_bps == 4000000) and
			(.criteria | .ftd_us == 10000 and .fdv_us == 5000 and .flr == 0.001 and .avail == 0.999) and
			(.steps | length == 6) and ([.steps[].step] == ["25%", "50%", "75%", "100%", "CIR+EIR", "policing"]) and
			(.steps | all(has("load_pct") and (.ir_bps | type == "number") and has("ftd_us") and
				has("fdv_us") and (.flr | type == "number") and has("avail") and
				(.verdict | type == "string") and (.reason | type == "string"))))))) and
	(.performance | (.duration_s == 10) and (.verdict == "FAIL") and (.reasons | length > 0) and
		(.services | length == 2) and
		(.services | all(has("link") and has("name") and has("ir_bps") and has("ftd_us") and
			has("fdv_us") and has("flr") and has("avail") and has("verdict") and has("reasons"))) and
		(.series | length > 0) and ([.series[].link] | unique == ["a", "b"]) and
		(.series | all(has("t_s") and has("rtt_p50_us") and has("rtt_p99_us") and
			has("loss_ratio") and has("ir_bps"))))' "$R" >/dev/null ||
	fail "report.json lacks keys of the schema: $(jq -c '{links: [.links[] | .y1564 | {verdict, s: [.services[]? | {name, verdict, n: (.steps | length)}]}], p: (.performance | {verdict, n: (.series | length)})}' "$R")"
ok "report.json has the Y.1564 keys of the schema"

# link a: the CIR steps pass, the policer shows in the policing step
A='.links[0].y1564.services[0]'
jq -e "$A | .verdict == \"PASS\" and ([.steps[0:5][].verdict] | all(. == \"PASS\"))" "$R" >/dev/null ||
	fail "link a's service under a 20 Mb/s policer: $(jq -c "$A | [.steps[] | {step, verdict, reason}]" "$R")"
ir=$(jq "$A.steps[5].ir_bps" "$R")
flr=$(jq "$A.steps[5].flr" "$R")
fcmp "$ir <= (20e6 * 1.05 + 800e3) && $ir >= 18e6 && $flr >= 0.1 && $flr <= 0.3" ||
	fail "policing step on a (25 Mb/s into a 20 Mb/s bucket): IR $ir, FLR $flr; want IR <= 21.8e6, FLR about 0.2"
jq -e "$A.steps[5] | .verdict == \"PASS\" and (.reason | test(\"^policed\"))" "$R" >/dev/null ||
	fail "policing step verdict: $(jq -c "$A.steps[5]" "$R")"
ok "link a: CIR steps pass; policing step at 25 Mb/s: IR $ir b/s, FLR $flr (policed at 20 Mb/s)"

# link b: 20 ms of delay over a 10 ms FTD criterion fails it, with the reason
B='.links[1].y1564.services[0]'
jq -e "$B | .verdict == \"FAIL\" and (.reasons | any(test(\"^25% FAIL: FTD [0-9.]+ us > 10000.0 us\"))) and
	([.steps[0:4][] | .verdict] | all(. == \"FAIL\")) and ([.steps[0:4][].ftd_us] | all(. > 19000))" \
	"$R" >/dev/null || fail "link b's delayed service: $(jq -c "$B | {verdict, reasons}" "$R")"
jq -e '.verdict == "FAIL" and (.reasons | any(test("^y1564 b/business-b: step 100%: FTD")))' "$R" >/dev/null ||
	fail "the run's verdict and reasons: $(jq -c '{verdict, reasons}' "$R")"
jq -e '.links[1].y1564.verdict == "FAIL" and .links[0].y1564.verdict != "FAIL" and
	(.performance.services[] | select(.link == "a") | .verdict == "PASS") and
	(.performance.services[] | select(.link == "b") | .verdict == "FAIL" and (.reasons[0] | test("FTD")))' \
	"$R" >/dev/null || fail "per link and performance verdicts: $(jq -c '{l: [.links[].y1564.verdict], p: .performance.services}' "$R")"
ok "link b: FTD $(jq "$B.steps[3].ftd_us" "$R") us > 10000 us fails the service: $(jq -r "$B.reasons[0]" "$R")"
