#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The test peers against the captured packets of the implementations they
stand in for (tests/vectors/stamp-peers.json): for every captured request,
the peer's reply is the captured reply byte for byte once the timestamps
(T2, T3) are the captured ones; the sender's requests are the captured
requests once T1 is. Exit 0 pass, 1 fail.

usage: test_peers_vectors.py [VECTORS_JSON]
"""

import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import rfc8762_reflector  # noqa: E402
import twamp_light_responder  # noqa: E402
import twamp_light_sender  # noqa: E402

FAILS = []


def check(cond, what):
    print(("ok - " if cond else "FAIL: ") + what)
    if not cond:
        FAILS.append(what)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "vectors",
                                                               "stamp-peers.json")
    frames = json.load(open(path))
    check(len(frames) == 32, "32 frames in %s" % path)
    by_port = {}
    for f in frames:
        f["b"] = bytes.fromhex(f["udp_payload_hex"])
        by_port.setdefault(f["exchange_port"], []).append(f)

    # reflectors: pair each reply with its request (the echoed sequence number)
    peers = {18701: "rfc8762", 18704: "rfc8762", 18705: "rfc8762",
             18702: "twampy", 18703: "twampy6", 18706: "twampy"}
    for port, kind in sorted(peers.items()):
        reqs = {struct.unpack("!I", f["b"][:4])[0]: f for f in by_port[port]
                if f["direction"] == "sender->reflector"}
        own = 0
        for rep in (f for f in by_port[port] if f["direction"] == "reflector->sender"):
            want = rep["b"]
            t3, t2 = struct.unpack("!Q", want[4:12])[0], struct.unpack("!Q", want[16:24])[0]
            req = reqs[struct.unpack("!I", want[24:28])[0]]
            if kind == "rfc8762":
                got = rfc8762_reflector.make_reply(req["b"], t2, t3, req["ip_ttl"])
            else:
                check(t2 == t3, "frame %d: twampy's T2 == T3" % rep["frame"])
                got = twamp_light_responder.make_reply(req["b"], own, t2,
                                                       6 if kind == "twampy6" else 0)
                own += 1
            check(got == want, "frame %d (%s) from frame %d: %s" %
                  (rep["frame"], kind, req["frame"],
                   "identical" if got == want else "got %s" % (got or b"").hex()))

    # the sender's requests
    cases = {7: dict(size=14), 9: dict(size=14), 13: dict(size=44),
             19: dict(size=44, errest=0x0001, tlv=True),
             25: dict(size=44, errest=0x0001, ssid=0x0102),
             29: dict(size=44, errest=0x0001, ssid=0x0102)}
    for n, kw in sorted(cases.items()):
        f = frames[n - 1]
        seq, t1 = struct.unpack("!IQ", f["b"][:12])
        got = twamp_light_sender.make_request(seq, t1, **kw)
        check(got == f["b"], "request like frame %d: %s" %
              (n, "identical" if got == f["b"] else "got " + got.hex()))
    print("%d failed" % len(FAILS))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
