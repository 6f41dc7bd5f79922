#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Merge a link's interval records of a run into one line of numbers.

usage: interval_stats.py INTERVALS.jsonl LINK [--after-ns T] [--before-ns T]

Only intervals that start at or after --after-ns and end at or before
--before-ns (unix ns) are merged. Prints a JSON object: sent, received,
lost, late, duplicates, reordered, intervals, and RTT quantiles in us
(min, p1, p5, p10, p25, p50, p75, p90, p95, p99, max) from the merged
histogram (bucket midpoints, within 0.4%: mp_hist.h).
"""
import json
import sys

SUB_BITS = 7
SUB = 1 << SUB_BITS


def bucket_mid_ns(i):
    """The inverse of hist_index(): the middle of bucket i, in ns."""
    if i < SUB:
        return float(i)
    e = (i >> SUB_BITS) + SUB_BITS - 1
    lower = (SUB + (i & (SUB - 1))) << (e - SUB_BITS)
    return lower + (1 << (e - SUB_BITS)) / 2.0


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    path, link = argv[1], argv[2]
    after, before = 0, 1 << 64
    i = 3
    while i < len(argv):
        if argv[i] == '--after-ns':
            after = int(argv[i + 1])
        elif argv[i] == '--before-ns':
            before = int(argv[i + 1])
        else:
            sys.exit('unknown option ' + argv[i])
        i += 2
    keys = ('sent', 'received', 'lost', 'late', 'duplicates', 'reordered')
    tot = dict.fromkeys(keys, 0)
    tot['intervals'] = 0
    buckets = {}
    lo, hi = None, None
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if r.get('type') != 'interval' or r.get('link') != link:
                continue
            if int(r['start_ns']) < after or int(r['end_ns']) > before:
                continue
            tot['intervals'] += 1
            for k in keys:
                tot[k] += r.get(k, 0)
            rtt = r['rtt']
            for idx, n in rtt['buckets']:
                buckets[idx] = buckets.get(idx, 0) + n
            if rtt['count'] > 0:
                lo = rtt['min_ns'] if lo is None else min(lo, rtt['min_ns'])
                hi = rtt['max_ns'] if hi is None else max(hi, rtt['max_ns'])
    n = sum(buckets.values())
    out = dict(tot)
    if n > 0:
        out['min'] = lo / 1000.0
        out['max'] = hi / 1000.0
        order = sorted(buckets)
        for q in (1, 5, 10, 25, 50, 75, 90, 95, 99):
            want = q / 100.0 * n
            acc = 0
            for idx in order:
                acc += buckets[idx]
                if acc >= want:
                    out['p%d' % q] = round(bucket_mid_ns(idx) / 1000.0, 3)
                    break
    print(json.dumps(out))


if __name__ == '__main__':
    main(sys.argv)
