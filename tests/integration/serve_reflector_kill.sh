#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Drill: under serve, site a's reflector is killed (its XDP program
# detached: nothing answers link a's probes any more) and started again 4 s
# later. serve raises link_down for link a within 2 s of the kill, link_up
# once the reflector answers again with the outage's length (3.5 .. 6 s),
# and an sla_breach of the example SLA's loss objective of link a
# (a_loss_1m: 1% over a minute); link b stays up, no pair_down, and the
# endpoint's metroprobe_link_up says 0 for a while it is down. (sla_clear of
# the same objective needs the minute to roll by: lab_sla checks it.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"

XDP=$BUILD/dataplane/xdp/metroprobe-xdp
[ -x "$XDP" ] || skip "metroprobe-xdp was not built (no libbpf)"
command -v curl >/dev/null || skip "curl is not installed"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
reattach() { ip netns exec mp-site-a "$XDP" attach mpa-r --port 862 --allow 192.0.2.0/30 \
	--allow 2001:db8:a::/126 >/dev/null 2>&1; }

serve_begin --listen "127.0.0.1:$PORT"
wait_for 10 bash -c "curl -sf http://127.0.0.1:$PORT/metrics | grep -q '^metroprobe_link_up{link=\"a\".*} 1$'" ||
	fail "metroprobe_link_up of link a never 1 before the kill"
kill_ns=$(date +%s%N)
ip netns exec mp-site-a "$XDP" detach mpa-r >/dev/null 2>&1 || fail "cannot detach site a's reflector"
wait_for 5 ev link_down >/dev/null || { reattach; fail "no link_down 5 s after the reflector died"; }
down=$(ev link_down | head -1)
[ "$(jq -r .link <<<"$down")" = a ] || { reattach; fail "link_down of $(jq -r .link <<<"$down"), not a"; }
d_ms=$(( ($(jq -r .time_ns <<<"$down") - kill_ns) / 1000000 ))
[ "$d_ms" -ge 0 ] && [ "$d_ms" -le 2000 ] || { reattach; fail "link_down $d_ms ms after the kill (want <= 2000)"; }
curl -sf "http://127.0.0.1:$PORT/metrics" | grep -q '^metroprobe_link_up{link="a".*} 0$' ||
	{ reattach; fail "metroprobe_link_up of link a is not 0 while it is down"; }
ok "reflector a killed: link_down within $d_ms ms, metroprobe_link_up{link=\"a\"} 0"
sleep 3.5
reattach || fail "cannot start site a's reflector again"
wait_for 10 ev link_up >/dev/null || fail "no link_up 10 s after the reflector came back"
up=$(ev link_up | head -1)
len=$(jq -r .outage_s <<<"$up")
fcmp "$len >= 3.5 && $len <= 6" || fail "link_up says an outage of $len s (the reflector was gone ~4 s)"
ok "reflector back: link_up with an outage of $len s"
wait_for 5 ev sla_breach >/dev/null || fail "no sla_breach"
ev sla_breach | jq -e 'select(.objective == "a_loss_1m")' >/dev/null ||
	fail "no sla_breach of a_loss_1m: $(ev sla_breach | head -2)"
ev pair_down >/dev/null && fail "pair_down while link b was up"
[ -z "$(ev link_down | jq -r 'select(.link == "b")')" ] || fail "link b went down"
ok "sla_breach of a_loss_1m ($(ev sla_breach | jq -r 'select(.objective == "a_loss_1m") | .value' | head -1) > 0.01); link b up, no pair_down"
