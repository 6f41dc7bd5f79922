#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""A small traceroute: UDP datagrams to DEST with TTL (hop limit) 1, 2, ...
and the ICMP / ICMPv6 time-exceeded each draws, printed one hop address a
line ("*" when none came). Run it inside a namespace (ip netns exec NS).
Stops at MAX_TTL or when DEST itself answers (port unreachable).

usage: hops.py DEST [MAX_TTL]
"""
import select
import socket
import sys
import time

PORT = 33434


def probe(dest, ttl, v6):
    fam = socket.AF_INET6 if v6 else socket.AF_INET
    icmp = socket.socket(fam, socket.SOCK_RAW,
                         socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP)
    udp = socket.socket(fam, socket.SOCK_DGRAM)
    try:
        if v6:
            udp.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, ttl)
        else:
            udp.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
        udp.sendto(b"metroprobe-hops", (dest, PORT + ttl))
        end = time.monotonic() + 1.0
        while time.monotonic() < end:
            r, _, _ = select.select([icmp], [], [], end - time.monotonic())
            if not r:
                break
            data, addr = icmp.recvfrom(2048)
            # IPv4 raw sockets see the IP header; ICMPv6 ones do not
            off = 0 if v6 else (data[0] & 0x0F) * 4
            typ = data[off]
            if (v6 and typ == 3) or (not v6 and typ == 11):
                return addr[0], False
            if (v6 and typ == 1) or (not v6 and typ == 3):
                return addr[0], True
        return "*", False
    finally:
        icmp.close()
        udp.close()


def main():
    dest = sys.argv[1]
    max_ttl = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    v6 = ":" in dest
    for ttl in range(1, max_ttl + 1):
        hop, done = probe(dest, ttl, v6)
        print(hop, flush=True)
        if done:
            break


if __name__ == "__main__":
    main()
