#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""No function in control/ or dataplane/dp/ is over MAX lines.

A function is counted from its opening brace to its closing brace (both at
column 0, as the style puts them). The one exception is a parser ladder
(a getopt switch or a key-by-key parser) whose comment above the function
says so with the words "parser ladder": one case per option reads better
than the same ladder cut into pieces.

usage: function_length.py SOURCE_ROOT [MAX (80)]
"""
import glob
import os
import re
import sys

DIRS = ("control", "dataplane/dp")
NAME = re.compile(r"^(?:[A-Za-z_][\w \*]*\s)?\**([A-Za-z_]\w*)\s*\(")


def functions(path):
    """(name, first line, length, comment above) of each function in a file."""
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i] == "{" and i > 0:
            j = i - 1
            while j > 0 and not NAME.match(lines[j]):
                j -= 1
            m = NAME.match(lines[j])
            k = i + 1
            while k < len(lines) and lines[k] != "}":
                k += 1
            c = j - 1
            while c >= 0 and lines[c] and not lines[c].startswith("}"):
                c -= 1
            yield m.group(1) if m else "?", j + 1, k - i + 1, "\n".join(lines[c + 1:j])
            i = k
        i += 1


def main():
    root = sys.argv[1]
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 80
    bad = 0
    n = 0
    for d in DIRS:
        for path in sorted(glob.glob(os.path.join(root, d, "*.c"))):
            for name, line, length, comment in functions(path):
                n += 1
                if length <= limit:
                    continue
                rel = os.path.relpath(path, root)
                if "parser ladder" in comment:
                    print(f"ok - {rel}:{line} {name}: {length} lines, a parser ladder")
                    continue
                print(f"not ok - {rel}:{line} {name}: {length} lines (at most {limit})")
                bad += 1
    print(f"{n} functions in {', '.join(DIRS)}; {bad} over {limit} lines")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
