#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""A session-sender that sends like nokia/twampy and the independent sender
of tests/vectors (exchanges 18702, 18703, 18704, 18705): TWAMP-light 14-byte
requests (sequence, T1, Error Estimate 0x3fff) by default; --size N pads
with zeros to N bytes; --ssid puts an RFC 8972 SSID in bytes 14-15;
--tlv appends an RFC 8972 Class-of-Service TLV (type 4, length 4) to a
44-byte packet. It checks every reply against the request it answers (the
echoed sequence number, T1 and Error Estimate; T1 <= T2 <= T3 on one host)
and prints one JSON line: sent, received, reply lengths, bad replies.

usage: twamp_light_sender.py --dst ADDR [--src ADDR] [--port N] [--count N]
         [--interval S] [--size N] [--ssid N] [--tlv] [--errest 0xNNNN]
         [--timeout S] [--expect-len N]
"""

import argparse
import json
import select
import socket
import struct
import sys
import time

import peerlib

TLV_COS = bytes.fromhex("00040004b8000000")


def make_request(seq, t1, size=14, errest=0x3fff, ssid=None, tlv=False):
    """One session-sender packet of size bytes (+ 8 with the TLV)."""
    if tlv:
        size = max(size, 44)
    p = struct.pack("!IQH", seq, t1, errest)
    if ssid is not None and size >= 16:
        p += struct.pack("!H", ssid)
    p += bytes(max(0, size - len(p)))
    return p[:size] + (TLV_COS if tlv else b"")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dst", required=True)
    ap.add_argument("--src", default=None)
    ap.add_argument("--port", type=int, default=862)
    ap.add_argument("--sport", type=int, default=0)
    ap.add_argument("--count", type=int, default=10)
    ap.add_argument("--interval", type=float, default=0.01)
    ap.add_argument("--size", type=int, default=14)
    ap.add_argument("--ssid", type=lambda v: int(v, 0), default=None)
    ap.add_argument("--tlv", action="store_true")
    ap.add_argument("--errest", type=lambda v: int(v, 0), default=0x3fff)
    ap.add_argument("--timeout", type=float, default=1.0)
    ap.add_argument("--expect-len", type=int, default=None)
    a = ap.parse_args()

    fam = socket.AF_INET6 if ":" in a.dst else socket.AF_INET
    s = peerlib.sock_for(a.src or ("::" if fam == socket.AF_INET6 else "0.0.0.0"), a.sport)
    # back-to-back bursts must not overflow the receive buffer
    try:
        s.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_RCVBUFFORCE", 33), 8 << 20)
    except OSError:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    sent = {}
    res = {"sent": 0, "received": 0, "lens": {}, "bad": 0, "duplicates": 0,
           "stateful": 0, "ssid_echoed": 0, "sender_ttl": {}, "why_bad": []}
    seen = set()

    def take(data):
        r = peerlib.decode_reply(data)
        res["lens"][str(len(data))] = res["lens"].get(str(len(data)), 0) + 1
        why = None
        q = sent.get(r.get("sender_seq"))
        if q is None:
            why = "unknown sender seq %s" % r.get("sender_seq")
        elif r.get("t1") != q[0]:
            why = "T1 not echoed"
        elif r.get("sender_errest") != a.errest:
            why = "error estimate not echoed"
        elif not (q[0] <= r.get("t2", 0) <= r.get("t3", 0)):
            why = "T1 <= T2 <= T3 broken"
        elif a.expect_len is not None and len(data) != a.expect_len:
            why = "length %d, not %d" % (len(data), a.expect_len)
        if why is not None:
            res["bad"] += 1
            if len(res["why_bad"]) < 5:
                res["why_bad"].append(why)
            return
        if r["sender_seq"] in seen:
            res["duplicates"] += 1
            return
        seen.add(r["sender_seq"])
        res["received"] += 1
        res["stateful"] += r["seq"] != r["sender_seq"]
        res["ssid_echoed"] += a.ssid is not None and r.get("ssid") == a.ssid
        if "sender_ttl" in r:
            k = str(r["sender_ttl"])
            res["sender_ttl"][k] = res["sender_ttl"].get(k, 0) + 1

    def drain(until):
        while True:
            left = until - time.monotonic()
            if left <= 0:
                return
            rd, _, _ = select.select([s], [], [], left)
            if not rd:
                return
            data, _peer, _ttl = peerlib.recv_with_ttl(s)
            take(data)

    t0 = time.monotonic()
    for seq in range(a.count):
        t1 = peerlib.ntp_now()
        sent[seq] = (t1,)
        try:
            s.sendto(make_request(seq, t1, a.size, a.errest, a.ssid, a.tlv), (a.dst, a.port))
            res["sent"] += 1
        except OSError as e:
            res["why_bad"].append("send: %s" % e)
        if a.interval > 0:
            drain(time.monotonic() + a.interval)
    res["send_s"] = round(time.monotonic() - t0, 6)
    drain(time.monotonic() + a.timeout)
    print(json.dumps(res), flush=True)


if __name__ == "__main__":
    sys.exit(main())
