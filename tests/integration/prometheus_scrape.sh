#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The metrics endpoint scraped by a real Prometheus server. The lab with 5%
# loss at site b; `metroprobe run --listen` for 20 s; `promtool check
# metrics` on a live scrape; Prometheus (Debian's, on loopback, a temporary
# TSDB, scraping every second) stores the series; through its HTTP query
# API, the last stored probes sent / lost counters and the loss ratio of
# each link agree with metroprobe's own summary.json.
#
# How close: the endpoint closes when the run ends, so Prometheus' last
# sample can miss what came after its last scrape: at most one scrape
# interval (1 s) plus one record interval (1 s) of counts. So, per link,
# 0 <= summary - prometheus <= 2 s of the link's rate (2000 probes at the
# lab's 1000 pps) for sent, and 2 s of lost at the link's loss ratio (with
# a floor of 20) for lost; the loss ratios within 0.005.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/prom_lib.sh"
prom_cleanup() {
	local rc=$?
	prom_stop
	(exit $rc)
	lab_cleanup
}
trap prom_cleanup EXIT

lab_begin --reflector a:dpdk --reflector b:dpdk --impair b:loss=5

prom_start

"$MP" run "$TMP/lab.json" --duration 20 --out "$TMP/out" --quiet \
	--listen "127.0.0.1:$MP_PORT" >"$TMP/run.log" 2>&1 &
RUN_PID=$!

# the endpoint answers, and its dataplane is fresh
for i in $(seq 100); do
	curl -sf "http://127.0.0.1:$MP_PORT/healthz" >"$TMP/health" 2>/dev/null && break
	kill -0 "$RUN_PID" 2>/dev/null || { cat "$TMP/run.log"; fail "the run ended early"; }
	sleep 0.2
done
[ "$i" -lt 100 ] || fail "/healthz never said 200: $(curl -s "http://127.0.0.1:$MP_PORT/healthz")"
ok "/healthz: $(cat "$TMP/health")"

sleep 3
curl -sf -D "$TMP/headers" "http://127.0.0.1:$MP_PORT/metrics" >"$TMP/scrape.txt" ||
	fail "GET /metrics failed"
grep -qi '^Content-Type: text/plain; version=0.0.4' "$TMP/headers" ||
	fail "/metrics Content-Type: $(grep -i content-type "$TMP/headers")"
promtool check metrics <"$TMP/scrape.txt" >"$TMP/promtool.log" 2>&1 ||
	{ cat "$TMP/promtool.log"; fail "promtool check metrics rejects a live scrape"; }
ok "promtool check metrics passes on a live scrape ($(wc -l <"$TMP/scrape.txt") lines)"
curl -sf "http://127.0.0.1:$MP_PORT/summary" | jq -e '.links | length == 2' >/dev/null ||
	fail "/summary is not the run so far"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$MP_PORT/metrics")
[ "$code" = 405 ] || fail "POST /metrics answered $code, not 405"

wait "$RUN_PID"
RUN_RC=$?
RUN_PID=
[ "$RUN_RC" = 0 ] || { cat "$TMP/run.log"; fail "run exited $RUN_RC"; }
kill -0 "$PROM_PID" 2>/dev/null || { tail -20 "$TMP/prometheus.log"; fail "prometheus died"; }

up=$(q 'max_over_time(up{job="metroprobe"}[5m])')
[ "$up" = 1 ] || fail "prometheus never scraped the endpoint (up = '$up'); $(tail -3 "$TMP/prometheus.log")"
dpup=$(q 'max_over_time(metroprobe_dataplane_up[5m])')
[ "$dpup" = 1 ] || fail "metroprobe_dataplane_up was never 1 in prometheus ('$dpup')"

for link in a b; do
	s_sent=$(j ".links[] | select(.name == \"$link\") | .sent")
	s_lost=$(j ".links[] | select(.name == \"$link\") | .lost")
	s_ratio=$(j ".links[] | select(.name == \"$link\") | .loss_ratio")
	p_sent=$(q "last_over_time(metroprobe_probes_sent_total{link=\"$link\"}[5m])")
	p_lost=$(q "last_over_time(metroprobe_probes_lost_total{link=\"$link\"}[5m])")
	p_recv=$(q "last_over_time(metroprobe_probes_received_total{link=\"$link\"}[5m])")
	p_ratio=$(q "last_over_time(metroprobe_probes_lost_total{link=\"$link\"}[5m]) /
		(last_over_time(metroprobe_probes_lost_total{link=\"$link\"}[5m]) +
		 last_over_time(metroprobe_probes_received_total{link=\"$link\"}[5m]))")
	[ -n "$p_sent" ] && [ -n "$p_lost" ] && [ -n "$p_ratio" ] ||
		fail "link $link: prometheus has no sent/lost series ('$p_sent' '$p_lost' '$p_ratio')"
	rate=$(jq -r ".links[] | select(.name == \"$link\") | .rate" "$TMP/lab.json" | tr -dc 0-9)
	tol_sent=$((2 * rate))
	tol_lost=$(awk -v r="$rate" -v l="$s_ratio" 'BEGIN { t = 2 * r * l * 3; print (t < 20 ? 20 : int(t)) }')
	fcmp "$s_sent - $p_sent >= 0 && $s_sent - $p_sent <= $tol_sent" ||
		fail "link $link: sent summary $s_sent, prometheus $p_sent (allowed 0..$tol_sent behind)"
	fcmp "$s_lost - $p_lost >= 0 && $s_lost - $p_lost <= $tol_lost" ||
		fail "link $link: lost summary $s_lost, prometheus $p_lost (allowed 0..$tol_lost behind)"
	fcmp "$p_ratio - $s_ratio < 0.005 && $s_ratio - $p_ratio < 0.005" ||
		fail "link $link: loss ratio summary $s_ratio, prometheus $p_ratio"
	ok "link $link: sent $s_sent / $p_sent, lost $s_lost / $p_lost (received $p_recv), loss ratio $s_ratio / $p_ratio (summary / prometheus)"
done
fcmp "$(j '.links[] | select(.name == "b") | .loss_ratio') > 0.03" ||
	fail "link b's 5% loss is not in the summary: the comparison proves little"
rtt=$(q 'last_over_time(metroprobe_rtt_seconds_count{link="a"}[5m])')
fcmp "${rtt:-0} > 0" || fail "no round-trip histogram in prometheus"
ok "prometheus stored the rtt histogram ($rtt samples on link a)"
