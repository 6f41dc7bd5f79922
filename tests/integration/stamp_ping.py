#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# A few unauthenticated STAMP requests (RFC 8762, the 44-byte base packet)
# from SRC to DST:862 (IPv4 or IPv6), one at a time; prints how many were
# answered.
# usage: stamp_ping.py SRC DST [COUNT] [TIMEOUT_S]   (run inside a netns)
import socket
import struct
import sys


def main():
    src, dst = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    timeout = float(sys.argv[4]) if len(sys.argv) > 4 else 0.2
    s = socket.socket(socket.AF_INET6 if ":" in dst else socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    s.settimeout(timeout)
    got = 0
    for seq in range(count):
        s.sendto(struct.pack("!I", seq) + bytes(40), (dst, 862))
        try:
            while True:
                data, peer = s.recvfrom(2048)
                # the reply carries our sequence number at offset 24 (RFC 8762 4.3.1)
                if peer[0] == dst and len(data) >= 28 and \
                        struct.unpack("!I", data[24:28])[0] == seq:
                    got += 1
                    break
        except socket.timeout:
            pass
    print(got)


if __name__ == "__main__":
    main()
