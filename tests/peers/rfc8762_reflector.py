#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""A session-reflector that answers like yuu61/RFC8762-CLI (see
tests/vectors/README.md, exchanges 18701, 18704, 18705): plain RFC 8762,
unauthenticated, stateless (its sequence number is the sender's), Error
Estimate 0x0001, bytes 14-15 zero (no RFC 8972: the SSID is not echoed),
the received IP TTL as Sender TTL, and everything after the 44-byte base
packet (padding, TLVs) echoed verbatim.

usage: rfc8762_reflector.py [--addr ADDR] [--port N]   (runs until killed)
"""

import argparse
import struct
import sys

import peerlib

ERREST = 0x0001


def make_reply(req, t2, t3, ttl):
    """The reply to req (>= 44 bytes); None for what it would not answer."""
    if len(req) < 44:
        return None
    seq = req[0:4]
    return (seq + peerlib.ts_bytes(t3) + struct.pack("!HH", ERREST, 0) +
            peerlib.ts_bytes(t2) + seq + req[4:12] + req[12:14] + b"\0\0" +
            bytes([ttl & 0xff]) + b"\0\0\0" + req[44:])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--addr", default="0.0.0.0")
    ap.add_argument("--port", type=int, default=862)
    a = ap.parse_args()
    s = peerlib.sock_for(a.addr, a.port)
    print("rfc8762 reflector on %s:%d" % (a.addr, a.port), flush=True)
    while True:
        data, peer, ttl = peerlib.recv_with_ttl(s)
        t2 = peerlib.ntp_now()
        rep = make_reply(data, t2, peerlib.ntp_now(), ttl)
        if rep is not None:
            s.sendto(rep, peer)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
