#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# `metroprobe serve` scraped by a real Prometheus (Debian's, on loopback, a
# temporary TSDB, every second): the lab with 5% loss at site b, serve at
# its default service rate (10 probes/s per link) with its endpoint on a
# free port; `promtool check metrics` on a live scrape of serve; after 15 s
# serve is stopped (SIGTERM: it writes summary.json) and, through
# Prometheus' query API, the last stored probes sent / lost counters of each
# link agree with serve's summary.json: at most 2 s of counts behind (one
# scrape interval and one record interval: 20 probes at 10/s; lost: 2 s of
# lost at the link's loss ratio, at least 5).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"
. "$(dirname "$0")/prom_lib.sh"
prom_serve_cleanup() {
	local rc=$?
	prom_stop
	(exit $rc)
	serve_cleanup
}

lab_begin --impair b:loss=5
trap prom_serve_cleanup EXIT
prom_start
serve_cfg
serve_start --listen "127.0.0.1:$MP_PORT"
wait_for 40 at_least "$TMP/out/intervals.jsonl" 40 || fail "no records from serve's dataplane in 40 s"
curl -sf "http://127.0.0.1:$MP_PORT/metrics" >"$TMP/scrape.txt" || fail "GET /metrics of serve failed"
promtool check metrics <"$TMP/scrape.txt" >"$TMP/promtool.log" 2>&1 ||
	{ cat "$TMP/promtool.log"; fail "promtool check metrics rejects serve's scrape"; }
ok "promtool check metrics passes on a live scrape of serve ($(wc -l <"$TMP/scrape.txt") lines)"
sleep 15
kill -TERM "$SERVE_PID"
wait "$SERVE_PID"
rc=$?
SERVE_PID=
[ $rc = 0 ] || fail "serve exited $rc on SIGTERM"
[ "$(q 'max_over_time(up{job="metroprobe"}[5m])')" = 1 ] || fail "prometheus never scraped serve"
for link in a b; do
	s_sent=$(j ".links[] | select(.name == \"$link\") | .sent")
	s_lost=$(j ".links[] | select(.name == \"$link\") | .lost")
	s_ratio=$(j ".links[] | select(.name == \"$link\") | .loss_ratio")
	p_sent=$(q "last_over_time(metroprobe_probes_sent_total{link=\"$link\"}[5m])")
	p_lost=$(q "last_over_time(metroprobe_probes_lost_total{link=\"$link\"}[5m])")
	[ -n "$p_sent" ] && [ -n "$p_lost" ] || fail "link $link: no sent/lost series in prometheus"
	tol_lost=$(awk -v l="$s_ratio" 'BEGIN { t = 20 * l * 3; print (t < 5 ? 5 : int(t)) }')
	fcmp "$s_sent - $p_sent >= 0 && $s_sent - $p_sent <= 20" ||
		fail "link $link: sent summary $s_sent, prometheus $p_sent (allowed 0..20 behind)"
	fcmp "$s_lost - $p_lost >= 0 && $s_lost - $p_lost <= $tol_lost" ||
		fail "link $link: lost summary $s_lost, prometheus $p_lost (allowed 0..$tol_lost behind)"
	ok "link $link: sent $s_sent / $p_sent, lost $s_lost / $p_lost (serve's summary / prometheus)"
done
fcmp "$(j '.links[] | select(.name == "b") | .loss_ratio') > 0.01" || fail "link b's 5% loss not seen"
