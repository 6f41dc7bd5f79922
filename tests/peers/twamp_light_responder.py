#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""A TWAMP-light responder that answers like nokia/twampy (see
tests/vectors/README.md, exchanges 18702, 18703, 18706): 38-byte replies
that end after the Sender Error Estimate (no Sender TTL field), its own
sequence numbers per sender (0, 1, ...: stateful), one timestamp used as
both T2 and T3, Error Estimate 0x0001, bytes 14-15 zero; with --padding N,
N zero bytes after the 38 (so the Sender TTL reads 0). Requests of any
length from 14 bytes on are answered.

usage: twamp_light_responder.py [--addr ADDR] [--port N] [--padding N]
"""

import argparse
import struct
import sys

import peerlib

ERREST = 0x0001


def make_reply(req, own_seq, t, padding=0):
    """The reply to req; t is both T2 and T3. None below 14 bytes."""
    if len(req) < 14:
        return None
    return (struct.pack("!I", own_seq) + peerlib.ts_bytes(t) + struct.pack("!HH", ERREST, 0) +
            peerlib.ts_bytes(t) + req[0:4] + req[4:12] + req[12:14] + bytes(padding))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--addr", default="0.0.0.0")
    ap.add_argument("--port", type=int, default=862)
    ap.add_argument("--padding", type=int, default=0)
    a = ap.parse_args()
    s = peerlib.sock_for(a.addr, a.port)
    seqs = {}
    print("twamp-light responder on %s:%d padding %d" % (a.addr, a.port, a.padding), flush=True)
    while True:
        data, peer, _ttl = peerlib.recv_with_ttl(s)
        t = peerlib.ntp_now()
        n = seqs.get(peer, 0)
        rep = make_reply(data, n, t, a.padding)
        if rep is not None:
            seqs[peer] = n + 1
            s.sendto(rep, peer)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
