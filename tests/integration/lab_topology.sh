#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The lab's topologies (lab up --topology): on each, a short run gets replies
# on both links, and the routers are really on the path: the Sender TTL the
# reflectors see is 255 less one per router, and a traceroute from each site
# to the prober draws time-exceeded from each router in turn (tests/
# integration/hops.py; IPv4, and IPv6 on shared-conduit). Then the routers
# are impaired on a running lab: rtr-a blackholed takes link a down and not
# b; the conduit blackholed takes both; a conduit flap schedule (down 1 s of
# every 3 s) shows as runs of intervals without a reply, on both links at
# once, as many as the schedule has within one.
. "$(dirname "$0")/lib.sh"

HOPS="$(dirname "$0")/hops.py"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

# sum of a summary field of LINK: lk LINK FIELD
lk() { j ".links[] | select(.name == \"$1\") | .$2"; }

# the forward TTL the reflector of LINK saw, per interval (min and max)
fwd_ttl() {
	jq -s -r --arg l "$1" '[.[] | select(.type == "interval" and .link == $l and .fwd_ttl.count > 0)
		| .fwd_ttl] | "\(map(.min) | min) \(map(.max) | max)"' "$TMP/out/intervals.jsonl"
}

# replies_both WHAT: the run was complete and both links got (almost) every reply
replies_both() {
	local l s r
	[ "$RUN_RC" = 0 ] || { cat "$TMP/run.log"; fail "$1: run exited $RUN_RC"; }
	for l in a b; do
		s=$(lk $l sent)
		r=$(lk $l received)
		[ "$s" -gt 1000 ] && [ "$r" -ge $((s * 99 / 100)) ] || fail "$1: link $l received $r of $s"
	done
}

# hops_are NS DEST WANT...: the hop list from NS towards DEST starts with WANT
hops_are() {
	local ns=$1 dest=$2 got
	shift 2
	got=$(ip netns exec "$ns" python3 "$HOPS" "$dest" $(($# + 1)) | head -n $# | tr '\n' ' ')
	[ "$got" = "$* " ] || fail "hops from $ns to $dest: '$got', want '$* '"
}

# router impairments a topology cannot take are refused before anything is made
"$MP" lab up --impair conduit:blackhole=on --config-out "$TMP/x.json" >/dev/null 2>&1
[ $? = 2 ] || fail "lab up --impair conduit: on diverse (no conduit) must be a usage error"
"$MP" lab up --topology shared-conduit --impair rtr-a:delay_us=5 --config-out "$TMP/x.json" \
	>/dev/null 2>&1
[ $? = 2 ] || fail "a delay on a router must be refused"
"$MP" lab up --topology mesh --config-out "$TMP/x.json" >/dev/null 2>&1
[ $? = 2 ] || fail "an unknown topology must be a usage error"
ip netns list | grep -q '^mp-' && fail "a refused lab up made namespaces"
ok "lab up refuses router impairments its topology cannot take, and unknown topologies"

# --- diverse (the default): one router per link ---
lab_begin
"$MP" lab status --json | jq -e '.topology == "diverse" and .sites.a.hops == ["rtr-a"] and
	.sites.b.hops == ["rtr-b"] and .sites.a.location != .sites.b.location' >/dev/null ||
	fail "diverse: lab status"
probe_run 3
replies_both diverse
[ "$(fwd_ttl a)" = "254 254" ] && [ "$(fwd_ttl b)" = "254 254" ] ||
	fail "diverse: forward TTL a $(fwd_ttl a), b $(fwd_ttl b), want 254 (one router)"
hops_are mp-site-a 192.0.2.1 192.0.2.5 '*'
hops_are mp-site-b 198.51.100.1 198.51.100.5 '*'
ok "diverse: replies on both links, one router on each (TTL 254, hops rtr-a / rtr-b)"

# rtr-a blackholed: link a down, link b untouched
"$MP" lab impair rtr-a blackhole=on >/dev/null || fail "lab impair rtr-a blackhole=on"
"$MP" lab status --json | jq -e '.routers["rtr-a"].impair.blackhole == true' >/dev/null ||
	fail "lab status does not show rtr-a blackholed"
rm -rf "$TMP/out"
probe_run 3
[ "$(lk a received)" = 0 ] || fail "rtr-a blackholed: link a received $(lk a received)"
s=$(lk b sent)
[ "$(lk b received)" -ge $((s * 99 / 100)) ] || fail "rtr-a blackholed: link b received $(lk b received) of $s"
"$MP" lab impair rtr-a blackhole=off >/dev/null || fail "lab impair rtr-a blackhole=off"
"$MP" lab impair conduit blackhole=on >/dev/null 2>&1 && fail "diverse has no conduit to impair"
ok "diverse: rtr-a blackholed takes down link a only"
lab_end

# --- shared-conduit: the conduit, then each link's own router ---
lab_begin --topology shared-conduit
"$MP" lab status --json | jq -e '.sites.a.hops == ["conduit", "rtr-a"] and
	.sites.b.hops == ["conduit", "rtr-b"]' >/dev/null || fail "shared-conduit: lab status"
probe_run 3
replies_both shared-conduit
[ "$(fwd_ttl a)" = "253 253" ] && [ "$(fwd_ttl b)" = "253 253" ] ||
	fail "shared-conduit: forward TTL a $(fwd_ttl a), b $(fwd_ttl b), want 253 (two routers)"
# from the site: its router (192.0.2.9), then the conduit (192.0.2.5); both links cross it
hops_are mp-site-a 192.0.2.1 192.0.2.9 192.0.2.5 '*'
hops_are mp-site-b 198.51.100.1 198.51.100.9 198.51.100.5 '*'
hops_are mp-site-b 2001:db8:b::1 2001:db8:b::9 2001:db8:b::5 '*'
ok "shared-conduit: replies on both links, conduit and own router on each (TTL 253, hops)"

# the conduit blackholed: both links down together
"$MP" lab impair conduit blackhole=on >/dev/null || fail "lab impair conduit blackhole=on"
rm -rf "$TMP/out"
probe_run 3
[ "$(lk a received)" = 0 ] && [ "$(lk b received)" = 0 ] ||
	fail "conduit blackholed: received a $(lk a received), b $(lk b received)"
"$MP" lab impair conduit blackhole=off >/dev/null || fail "lab impair conduit blackhole=off"
ok "shared-conduit: the conduit blackholed takes down both links"

# a flap schedule: down 1 s of every 3 s, 12 s: four down periods (one more or
# less where the run's ends cut one), on both links in the same intervals
"$MP" lab impair conduit flap=1/3 >/dev/null || fail "lab impair conduit flap=1/3"
rm -rf "$TMP/out"
probe_run 12
python3 - "$TMP/out/intervals.jsonl" <<'PY' || fail "conduit flap: see above"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
ivs = {l: [r for r in recs if r.get("type") == "interval" and r["link"] == l] for l in "ab"}
def downs(l):
    """(first, last) interval seq of each run of intervals that sent and got nothing"""
    runs, start, prev = [], None, None
    for r in ivs[l]:
        zero = r["sent"] > 0 and r["received"] == 0
        if zero and start is None:
            start = r["seq"]
        if not zero and start is not None:
            runs.append((start, prev))
            start = None
        prev = r["seq"]
    if start is not None:
        runs.append((start, prev))
    return runs
a, b = downs("a"), downs("b")
print("# down runs a:", a, "b:", b)
ok = 3 <= len(a) <= 5 and len(a) == len(b)
ok = ok and all(abs(x[0] - y[0]) <= 1 and abs(x[1] - y[1]) <= 1 for x, y in zip(a, b))
# each down period is about 1 s: 10 intervals of 100 ms (8..10 entirely without replies)
ok = ok and all(7 <= r[1] - r[0] + 1 <= 10 for r in a[1:-1])
sys.exit(0 if ok else 1)
PY
ok "shared-conduit: a conduit flap of 1 s every 3 s: down periods together on both links"
lab_end

# --- shared-conduit over IPv6 ---
lab_begin --topology shared-conduit --ipv6
probe_run 3
replies_both "shared-conduit IPv6"
[ "$(fwd_ttl a)" = "253 253" ] || fail "shared-conduit IPv6: hop limit at the reflector $(fwd_ttl a)"
ok "shared-conduit over IPv6: replies on both links through two routers"
lab_end

# --- standard: both links into one site ---
lab_begin --topology standard
"$MP" lab status --json | jq -e '.sites.a.netns == "mp-site-a" and .sites.b.netns == "mp-site-a" and
	.sites.a.location == .sites.b.location' >/dev/null || fail "standard: lab status"
ip netns list | grep -q '^mp-site-b\b' && fail "standard: mp-site-b exists"
jq -e '.links[0].location == .links[1].location' "$TMP/lab.json" >/dev/null ||
	fail "standard: lab.json has two locations"
jq -e '.circuit == "standard"' "$TMP/lab.json" >/dev/null || fail "standard: lab.json is not a standard circuit"
"$MP" check "$TMP/lab.json" >/dev/null || fail "standard: metroprobe check refuses lab.json"
probe_run 3
replies_both standard
hops_are mp-site-a 192.0.2.1 192.0.2.5 '*'
hops_are mp-site-a 198.51.100.1 198.51.100.5 '*'
ok "standard: both links into mp-site-a, each through its router, replies on both"
lab_end

echo "PASS: lab_topology"
exit 0
