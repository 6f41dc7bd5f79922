#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Count the IPv4 UDP frames arriving on an interface, by DSCP and length.

usage: dscp_count.py IFACE SECONDS UDP_DPORT [READY_FILE]

A raw AF_PACKET socket (what tcpdump would use; no capture tool needed)
takes the frames arriving at IFACE (not those it sends) for SECONDS, and
counts those of UDP destination port UDP_DPORT by "DSCP:LENGTH" (the frame
as received, without FCS; VLAN tags skipped, their outer PCP kept as
"pcp" counts). Prints {"DSCP:LEN": n, ..., "pcp": {"P": n}}. READY_FILE
is created once the socket is open. Run it in the interface's namespace.
"""
import json
import os
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
PACKET_HOST = 0


def classify(frame, dport):
    """(dscp, pcp or None) of an IPv4 UDP frame to dport, else None."""
    off, pcp = 12, None
    et = struct.unpack_from("!H", frame, off)[0]
    while et in (0x8100, 0x88A8) and len(frame) >= off + 6:
        tci = struct.unpack_from("!H", frame, off + 2)[0]
        if pcp is None:
            pcp = tci >> 13
        off += 4
        et = struct.unpack_from("!H", frame, off)[0]
    off += 2
    if et != 0x0800 or len(frame) < off + 28:
        return None
    ihl = (frame[off] & 0x0F) * 4
    if frame[off + 9] != 17 or len(frame) < off + ihl + 8:
        return None
    if struct.unpack_from("!H", frame, off + ihl + 2)[0] != dport:
        return None
    return frame[off + 1] >> 2, pcp


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    iface, secs, dport = argv[1], float(argv[2]), int(argv[3])
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((iface, 0))
    s.settimeout(0.2)
    if len(argv) > 4:
        open(argv[4], "w").close()
    counts, pcps = {}, {}
    end = time.monotonic() + secs
    while time.monotonic() < end:
        try:
            frame, addr = s.recvfrom(65535)
        except socket.timeout:
            continue
        if addr[2] != PACKET_HOST:
            continue
        c = classify(frame, dport)
        if c is None:
            continue
        key = "%d:%d" % (c[0], len(frame))
        counts[key] = counts.get(key, 0) + 1
        if c[1] is not None:
            pcps[str(c[1])] = pcps.get(str(c[1]), 0) + 1
    counts["pcp"] = pcps
    print(json.dumps(counts, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
