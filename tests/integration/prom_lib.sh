# SPDX-License-Identifier: BSD-3-Clause
# A real Prometheus for the scrape tests (source it after lib.sh): Debian's
# server on loopback with a temporary TSDB, scraping one target every second.

for t in prometheus promtool curl python3; do
	command -v $t >/dev/null 2>&1 || skip "$t is not installed (Debian: prometheus, curl)"
done
PROM_PID=
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
MP_PORT=$(free_port)
PROM_PORT=$(free_port)
[ "$MP_PORT" != "$PROM_PORT" ] || PROM_PORT=$(free_port)
prom_stop() { [ -n "$PROM_PID" ] && kill "$PROM_PID" 2>/dev/null && wait "$PROM_PID" 2>/dev/null; PROM_PID=; }
# prom_start: Prometheus on 127.0.0.1:$PROM_PORT scraping 127.0.0.1:$MP_PORT
prom_start() {
	cat >"$TMP/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: metroprobe
    static_configs:
      - targets: ['127.0.0.1:$MP_PORT']
YML
	promtool check config "$TMP/prometheus.yml" >"$TMP/promcfg.log" 2>&1 ||
		{ cat "$TMP/promcfg.log"; fail "promtool rejects the test's own prometheus.yml"; }
	prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/tsdb" \
		--web.listen-address="127.0.0.1:$PROM_PORT" --storage.tsdb.retention.time=1h \
		>"$TMP/prometheus.log" 2>&1 &
	PROM_PID=$!
}
# q PROMQL: the single value of an instant query (empty when none)
q() {
	curl -sf "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1" |
		jq -r '.data.result[0].value[1] // empty'
}
