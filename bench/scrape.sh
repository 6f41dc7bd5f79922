#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# scrape_seconds: how long one GET /metrics takes, against `metroprobe run
# --listen` on the lab (two links at the lab's 1000 pps, the records
# flowing while it is scraped). A Python client times each request from
# sending it to the last byte of the reply: on one kept-alive connection,
# as Prometheus scrapes (scrape_seconds), and on a new connection each
# (scrape_new_connection_seconds); 5 rounds of 100 of each, interleaved,
# the median of every request. The client's own time is included, so these
# are upper bounds; scrape_floor_seconds is the same for a 404 (a reply of
# a few bytes, interleaved with the scrapes on the same connection): the
# client's and HTTP's own cost, which scrape_seconds less it leaves the
# exposition's (building and sending 13 kB).
# Prints one JSON object as the last line.
#
# usage: bench/scrape.sh [BUILD_DIR]   (root; the lab; ~40 s; run it under
#        flock /run/mp-lab.lock when others share the machine)
set -u
BUILD=$(readlink -f "${1:-build}")
MP=$BUILD/control/metroprobe
export METROPROBE_DP=$BUILD/dataplane/dp/metroprobe-dp
[ -x "$MP" ] && [ -x "$METROPROBE_DP" ] || { echo "usage: $0 BUILD_DIR (build first)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "$0: the lab needs root" >&2; exit 2; }
if ip netns list | grep -q '^mp-' || [ -e /run/metroprobe/lab/state.json ]; then
	echo "$0: a lab is already up (not ours)" >&2
	exit 2
fi
TMPD=$(mktemp -d /tmp/mp-scrape.XXXXXX)
RUN_PID=
cleanup() {
	[ -n "$RUN_PID" ] && kill -INT "$RUN_PID" 2>/dev/null && wait "$RUN_PID" 2>/dev/null
	"$MP" lab down >/dev/null 2>&1
	rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$TMPD" && "$MP" lab up --config-out "$TMPD/lab.json") >"$TMPD/labup.log" 2>&1 ||
	{ cat "$TMPD/labup.log" >&2; exit 1; }
"$MP" run "$TMPD/lab.json" --duration 0 --out "$TMPD/out" --quiet --listen "127.0.0.1:$PORT" \
	>"$TMPD/run.log" 2>&1 &
RUN_PID=$!
for i in $(seq 100); do
	curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
	sleep 0.2
done
sleep 3	# a few records in: every family has its samples

python3 - "$PORT" <<'PY'
import http.client, json, os, socket, statistics, sys, time
port = int(sys.argv[1])
def timed(conn, path="/metrics", status=200):
    t0 = time.perf_counter()
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read()
    t = time.perf_counter() - t0
    assert r.status == status, r.status
    return t, body
keep, fresh, floor, body = [], [], [], b""
for rnd in range(5):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    for i in range(100):
        t, body = timed(c)
        keep.append(t)
        floor.append(timed(c, "/nothing-here", 404)[0])
    c.close()
    for i in range(100):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        t, body = timed(c)
        fresh.append(t)
        c.close()
lines = body.decode().splitlines()
series = sum(1 for l in lines if l and not l.startswith("#"))
q = lambda v, p: sorted(v)[int(p * (len(v) - 1))]
out = {
    "scrape_seconds": round(statistics.median(keep), 7),
    "scrape_seconds_p90": round(q(keep, 0.9), 7),
    "scrape_new_connection_seconds": round(statistics.median(fresh), 7),
    "scrape_floor_seconds": round(statistics.median(floor), 7),
    "scrape_bytes": len(body),
    "scrape_series": series,
    "requests": len(keep) + len(fresh),
    "links": 2,
    "loadavg": os.getloadavg()[0],
}
print(json.dumps(out))
PY
