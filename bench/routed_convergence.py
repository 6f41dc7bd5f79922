#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
#
# How fast the routed lab's customer edge (mp-ce) leaves a cut link: the
# time from `metroprobe lab cut a --method M` taking effect (the UNIX time
# it prints) to the CE's kernel getting its new route to the VNet (over
# link b; the timestamp `ip -ts monitor route` prints for it), for M =
# blackhole (only BFD, 300 ms x 3, can tell) and carrier (the CE's port
# goes down); the cut held HOLD seconds (long enough for every BFD session
# to expire: the sessions must come back), then `lab restore a` and the
# time until the route is back on a. ROUNDS rounds, the two methods
# interleaved (their order swapped every round), routing fully up and
# settled for 2 s before every cut. A cut whose route does not move or
# come back is reported (with the CE's BGP and BFD state) and counted.
#
# usage: sudo flock /run/mp-lab.lock bench/routed_convergence.py BUILD [ROUNDS (5)] [HOLD (3)]
# It makes its own lab (lab up --routed) and removes it.
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

VNET = "10.1.0.0/24"
TS = re.compile(r"^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)\]\s*(.*)$")


def sh(*args, check=True):
    return subprocess.run(args, check=check, capture_output=True, text=True).stdout


class Monitor:
    """`ip -ts -n mp-ce monitor route`: the CE's route changes, timestamped."""

    def __init__(self):
        self.p = subprocess.Popen(["ip", "-ts", "-n", "mp-ce", "monitor", "route"],
                                  stdout=subprocess.PIPE, text=True, bufsize=1)
        os.set_blocking(self.p.stdout.fileno(), False)
        self.buf = ""

    def lines(self):
        try:
            chunk = self.p.stdout.read()
        except (BlockingIOError, TypeError):
            chunk = None
        if chunk:
            self.buf += chunk
        out, _, self.buf = self.buf.rpartition("\n")
        return out.splitlines() if out else []

    def first_new_route(self, after, dev, timeout_s):
        """The time of the first route to the VNet over dev stamped after `after`."""
        end = time.time() + timeout_s
        while time.time() < end:
            for line in self.lines():
                m = TS.match(line)
                if m is None or VNET not in m.group(2) or m.group(2).startswith("Deleted") \
                        or f"dev {dev} " not in m.group(2) + " " or "linkdown" in m.group(2):
                    continue
                t = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f").timestamp()
                if t >= after:
                    return t
            time.sleep(0.01)
        return None

    def close(self):
        self.p.kill()
        self.p.wait()


def route_dev():
    out = json.loads(sh("ip", "-n", "mp-ce", "-j", "route", "get", "10.1.0.4",
                        "from", "10.0.0.1"))
    return out[0].get("dev")


def wait_up(mp, timeout_s=60):
    end = time.time() + timeout_s
    while time.time() < end:
        r = json.loads(sh(mp, "lab", "status", "--json", check=False) or "{}").get("routing", {})
        a = r.get("links", {}).get("a", {})
        if a.get("bgp") == "Established" and a.get("bfd") == "up" and r.get("vnet_via") == "a":
            return True
        time.sleep(0.2)
    return False


def cut_time(text):
    m = re.search(r" at (\d+\.\d+) \(applied in ([\d.]+) ms\)", text)
    return float(m.group(1)), float(m.group(2))


def one(mp, mon, method, hold_s):
    """One cut, hold and restore of link a: (move ms, back ms, command ms); None if it failed."""
    t_cut, cmd_ms = cut_time(sh(mp, "lab", "cut", "a", "--method", method))
    t_move = mon.first_new_route(t_cut - 0.005, "mpb-eo", 10)
    dev = route_dev()
    time.sleep(max(0.0, t_cut + hold_s - time.time()))
    t_rest, _ = cut_time(sh(mp, "lab", "restore", "a"))
    t_back = mon.first_new_route(t_rest - 0.005, "mpa-eo", 60)
    if t_move is None or dev != "mpb-eo" or t_back is None or route_dev() != "mpa-eo":
        print(f"  FAILED {method}: moved {t_move}, via {dev} during the cut, back {t_back}, "
              f"via {route_dev()} now", flush=True)
        for cmd in ("show bgp summary", "show bfd peers brief"):
            print(sh("vtysh", "-N", "mp-ce", "-c", cmd, check=False), flush=True)
        return None
    return (t_move - t_cut) * 1e3, (t_back - t_rest) * 1e3, cmd_ms


def main():
    if len(sys.argv) < 2:
        print("usage: sudo flock /run/mp-lab.lock bench/routed_convergence.py BUILD [ROUNDS]",
              file=sys.stderr)
        sys.exit(2)
    build, rounds = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5
    hold_s = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0
    failed = 0
    mp = os.path.join(build, "control", "metroprobe")
    os.environ.setdefault("METROPROBE_XDP", os.path.abspath(
        os.path.join(build, "dataplane", "xdp", "metroprobe-xdp")))
    tmp = tempfile.mkdtemp(prefix="mp-conv.")
    res = {"blackhole": [], "carrier": []}
    sh(mp, "lab", "up", "--routed", "--config-out", os.path.join(tmp, "lab.json"))
    mon = Monitor()
    try:
        for r in range(rounds):
            order = ["blackhole", "carrier"] if r % 2 == 0 else ["carrier", "blackhole"]
            for method in order:
                if not wait_up(mp, 120):
                    raise RuntimeError("routing did not come back up between cuts")
                time.sleep(2)
                r1 = one(mp, mon, method, hold_s)
                if r1 is None:
                    failed += 1
                    continue
                move, back, cmd = r1
                res[method].append((move, back))
                print(f"round {r + 1} {method:9s}: CE route to the VNet on link b after "
                      f"{move:7.1f} ms; back on a {back:7.1f} ms after restore "
                      f"(cut command {cmd:.1f} ms)", flush=True)
    finally:
        mon.close()
        sh(mp, "lab", "down", check=False)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{rounds} rounds, cut held {hold_s:g} s, {failed} cut(s) failed")
    for method, v in res.items():
        if not v:
            continue
        moves = [m for m, _ in v]
        backs = [b for _, b in v]
        print(f"{method:9s}: n={len(v)} failover median {statistics.median(moves):.0f} ms "
              f"(min {min(moves):.0f}, max {max(moves):.0f}); back on a after restore "
              f"median {statistics.median(backs):.0f} ms (min {min(backs):.0f}, "
              f"max {max(backs):.0f})")


if __name__ == "__main__":
    main()
