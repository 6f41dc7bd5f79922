#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The prober against reflectors nobody here wrote: the lab's site b left to
# the kernel (--reflector b:kernel) and a test peer started in mp-site-b
# that answers like a third-party implementation (tests/peers, checked
# byte for byte against tests/vectors): an RFC 8762 reflector without RFC
# 8972 (SSID zero, trailing bytes echoed, stateless), a TWAMP-light
# responder with 38-byte replies (own sequence numbers, T2 == T3, no
# Sender TTL), and the same padded to 44 bytes (Sender TTL 0). Link b must
# measure as well as link a: ~0 loss, a real round trip, no invalid replies,
# and the summary must say what each reflector does. Last, both sites run
# the RFC 8762 peer: two links, both SSIDs unechoed, each reply on its link.
. "$(dirname "$0")/lib.sh"

PEERS=$(cd "$(dirname "$0")/../peers" && pwd)
command -v python3 >/dev/null || skip "python3 is not installed"
PEER_PIDS=""
trap 'rc=$?; for p in $PEER_PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; (exit $rc); lab_cleanup' EXIT

# peer_start SITE PROGRAM [ARGS...]: a peer on UDP 862 in mp-site-SITE
peer_start() {
	local site=$1 prog=$2
	shift 2
	ip netns exec "mp-site-$site" python3 -u "$PEERS/$prog" --port 862 "$@" \
		>"$TMP/peer-$site.log" 2>&1 &
	PEER_PIDS="$PEER_PIDS $!"
	for _ in $(seq 50); do
		grep -q " on " "$TMP/peer-$site.log" && return 0
		sleep 0.1
	done
	cat "$TMP/peer-$site.log"
	fail "peer $prog did not start in mp-site-$site"
}

peers_stop() {
	for p in $PEER_PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	PEER_PIDS=""
}

# link_measured IDX WHAT: ~0 loss, a real round trip, nothing invalid
link_measured() {
	local l=$1 what=$2 name sent recv lost inv p50
	name=$(j ".links[$l].name")
	sent=$(j ".links[$l].sent")
	recv=$(j ".links[$l].received")
	lost=$(j ".links[$l].lost")
	# frames of the sites' kernels that are not UDP (IGMP, ICMPv6) are
	# not replies: only the others count against the link here
	inv=$(j "[.links[$l].invalid_by_reason | to_entries[] | select(.key != \"not_udp\") | .value] | add // 0")
	p50=$(j ".links[$l].rtt_us.p50")
	[ "$sent" -ge 4000 ] || fail "$what: link $name sent only $sent in 5 s at 1000 pps"
	[ "$inv" = 0 ] || fail "$what: link $name: $inv invalid replies: $(jq -c ".links[$l].invalid_by_reason" "$TMP/out/summary.json")"
	fcmp "$recv >= 0.99 * $sent" || fail "$what: link $name received $recv of $sent (lost $lost)"
	fcmp "$lost <= 0.01 * $sent" || fail "$what: link $name lost $lost of $sent"
	[ "$(j ".links[$l].rtt_samples")" = "$recv" ] || fail "$what: link $name: RTT samples != received"
	fcmp "$p50 > 0 && $p50 < 20000" || fail "$what: link $name median RTT $p50 us is implausible"
	ok "$what: link $name $sent sent, $recv received, $lost lost, median RTT $p50 us"
}

# feature IDX JQ-EXPR WANT
feature() {
	local got
	got=$(jq -c ".links[$1].reflector | $2" "$TMP/out/summary.json")
	[ "$got" = "$3" ] || fail "link $1 reflector $2: $got, want $3 (reflector: $(jq -c ".links[$1].reflector" "$TMP/out/summary.json"))"
}

lab_begin --reflector b:kernel

# 1. RFC 8762 without RFC 8972 (like yuu61/RFC8762-CLI)
peer_start b rfc8762_reflector.py
probe_run 5
[ "$RUN_RC" = 0 ] || { cat "$TMP/run.log"; fail "run exited $RUN_RC"; }
link_measured 0 "rfc8762 peer"
link_measured 1 "rfc8762 peer"
feature 1 '.ssid_echoed' false
feature 1 '.stateful' false
feature 1 '.counts.ssid_zero == .replies' true
feature 1 '.reply_bytes_min' 82
feature 1 '.tlvs_echoed' true
feature 1 '.sender_ttl_seen' true
feature 1 '.t2_equals_t3' false
feature 1 '.timestamp_format' '"ntp"'
# our own XDP reflector at site a echoes the SSID and the TTL
feature 0 '.ssid_echoed' true
feature 0 '.stateful' false
ok "summary: rfc8762 peer $(jq -c '.links[1].reflector' "$TMP/out/summary.json")"
# the Sender TTL it saw: the probes' 255 less one for rtr-b, the one router of
# the lab's default topology (diverse) between the prober and site b
[ "$(jq -s '[.[] | select(.type == "interval" and .link == "b") | .fwd_ttl.max // 0] | max' \
	"$TMP/out/intervals.jsonl")" = 254 ] || fail "link b forward TTL not 254 (255, one router)"
peers_stop

# 2. TWAMP-light responder, 38-byte replies (like nokia/twampy). Its own
#    sequence numbers start at 0 per sender, as ours do (RFC 8762): a
#    first run makes them differ, so the second can see that it is stateful.
peer_start b twamp_light_responder.py
probe_run 1
# this time not --quiet: the printed summary says it too
RUN_RC=0
"$MP" run "$TMP/lab.json" --duration 5 --out "$TMP/out" >"$TMP/run.log" 2>&1 || RUN_RC=$?
grep -qx "reflector b: SSID not echoed (no RFC 8972), stateful, replies of 38 bytes, no Sender TTL, T2 == T3, ntp timestamps" \
	"$TMP/run.log" || { tail -n 8 "$TMP/run.log"; fail "printed summary without the reflector line"; }
[ "$RUN_RC" = 0 ] || { cat "$TMP/run.log"; fail "run exited $RUN_RC"; }
link_measured 1 "twampy-like responder"
feature 1 '.ssid_echoed' false
feature 1 '.stateful' true
feature 1 '.reply_bytes_min' 38
feature 1 '.reply_bytes_max' 38
feature 1 '.sender_ttl_seen' false
feature 1 '.counts.no_sender_ttl == .replies' true
feature 1 '.t2_equals_t3' true
feature 1 '.tlvs_echoed' false
# T2 == T3: no residence time, the whole round trip is the path's
[ "$(j '.links[1].residence_us.max')" = 0 ] || fail "residence $(jq -c ".links[1].residence_us" "$TMP/out/summary.json") with T2 == T3"
ok "summary: twampy-like $(jq -c '.links[1].reflector' "$TMP/out/summary.json")"
peers_stop

# 3. the same padded to 44 bytes: the Sender TTL field is there and 0
peer_start b twamp_light_responder.py --padding 6
probe_run 1
probe_run 5
[ "$RUN_RC" = 0 ] || { cat "$TMP/run.log"; fail "run exited $RUN_RC"; }
link_measured 1 "padded twampy-like responder"
feature 1 '.reply_bytes_min' 44
feature 1 '.counts.sender_ttl_zero == .replies' true
feature 1 '.sender_ttl_seen' false
feature 1 '.stateful' true
ok "summary: padded twampy-like $(jq -c '.links[1].reflector' "$TMP/out/summary.json")"
peers_stop
"$MP" lab down >/dev/null 2>&1

# 4. both links to SSID-less reflectors: each reply counted on its own link
lab_begin --reflector a:kernel --reflector b:kernel
peer_start a rfc8762_reflector.py
peer_start b rfc8762_reflector.py
probe_run 5
[ "$RUN_RC" = 0 ] || { cat "$TMP/run.log"; fail "run exited $RUN_RC"; }
for l in 0 1; do
	link_measured $l "two rfc8762 peers"
	feature $l '.ssid_echoed' false
	[ "$(j ".links[$l].returned_via_other_link")" = 0 ] || fail "link $l: replies counted on the other link"
done
peers_stop
ok "third-party reflectors measured"
