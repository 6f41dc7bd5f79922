#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Run one libFuzzer target for $FUZZ_SECONDS on a scratch copy of its seed
# corpus (so the tree is not littered); a crash fails the test and leaves
# the reproducer in the printed directory. A crash exits 1: libFuzzer's own
# default (77) is what meson reads as a skip, and hid two crashes once.
# usage: run-libfuzzer.sh FUZZ_EXE SEED_CORPUS_DIR
set -u
exe=$(readlink -f "$1")
seeds=$(readlink -f "$2")
work=$(mktemp -d /tmp/mp-fuzz.XXXXXX)
trap 'rc=$?; [ $rc = 0 ] && rm -rf "$work"; exit $rc' EXIT
mkdir "$work/corpus"
cp -r "$seeds"/. "$work/corpus/" 2>/dev/null
cd "$work" || exit 1
"$exe" -max_total_time="${FUZZ_SECONDS:-20}" -print_final_stats=1 -artifact_prefix="$work/" -error_exitcode=1 \
	-timeout=10 -rss_limit_mb=2048 corpus 2>&1 | tail -n 15
rc=${PIPESTATUS[0]}
[ $rc = 0 ] || echo "fuzzer failed (exit $rc); reproducer in $work"
exit $rc
