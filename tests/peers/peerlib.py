# SPDX-License-Identifier: BSD-3-Clause
"""What the test peers share: NTP timestamps, the STAMP / TWAMP-light
packet layouts they build, and a UDP socket that reports the IP TTL
(or hop limit) each request arrived with. Standard library only."""

import socket
import struct
import time

NTP_UNIX = 2208988800
IP_RECVTTL = getattr(socket, "IP_RECVTTL", 12)
IP_TTL = getattr(socket, "IP_TTL", 2)
IPV6_RECVHOPLIMIT = getattr(socket, "IPV6_RECVHOPLIMIT", 51)
IPV6_HOPLIMIT = getattr(socket, "IPV6_HOPLIMIT", 52)


def ntp_now():
    """Now as a 64-bit NTP timestamp (32.32)."""
    s, ns = divmod(time.time_ns(), 10**9)
    return ((s + NTP_UNIX) << 32) | ((ns << 32) // 10**9)


def ntp_ns(v):
    return ((v >> 32) - NTP_UNIX) * 10**9 + (((v & 0xffffffff) * 10**9) >> 32)


def ts_bytes(v):
    return struct.pack("!Q", v)


def sock_for(addr, port):
    """A UDP socket bound to addr:port that reports the received TTL."""
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1)
    else:
        s.setsockopt(socket.IPPROTO_IP, IP_RECVTTL, 1)
    s.bind((addr, port))
    return s


def recv_with_ttl(s, size=65535):
    """(data, peer, ttl); ttl 0 when the kernel did not say."""
    data, anc, _flags, peer = s.recvmsg(size, socket.CMSG_SPACE(4))
    ttl = 0
    for level, kind, val in anc:
        if (level, kind) in ((socket.IPPROTO_IP, IP_TTL), (socket.IPPROTO_IPV6, IPV6_HOPLIMIT)):
            ttl = val[0] if len(val) == 1 else struct.unpack("i", val[:4])[0]
    return data, peer, ttl


def decode_reply(p):
    """The reflector fields present in p (a short reply: what is there)."""
    r = {"len": len(p)}
    if len(p) >= 12:
        r["seq"], r["t3"] = struct.unpack("!IQ", p[:12])
    if len(p) >= 14:
        r["errest"] = struct.unpack("!H", p[12:14])[0]
    if len(p) >= 16:
        r["ssid"] = struct.unpack("!H", p[14:16])[0]
    if len(p) >= 24:
        r["t2"] = struct.unpack("!Q", p[16:24])[0]
    if len(p) >= 28:
        r["sender_seq"] = struct.unpack("!I", p[24:28])[0]
    if len(p) >= 36:
        r["t1"] = struct.unpack("!Q", p[28:36])[0]
    if len(p) >= 38:
        r["sender_errest"] = struct.unpack("!H", p[36:38])[0]
    if len(p) >= 41:
        r["sender_ttl"] = p[40]
    return r
