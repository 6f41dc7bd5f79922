#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The shipped systemd units (deploy/systemd): systemd-analyze verify passes
# on an instance of each, offline (no systemd as PID 1 needed), with every
# command they run pointed at this build, which must have those binaries;
# the control unit comes after and requires the dataplane's, with
# readiness and a watchdog; and serve accepts the options the units give it.
# No root, no lab, no lock.
set -u
BUILD=$(readlink -f "${1:-build}")
SRC=$(cd "$(dirname "$0")/../.." && pwd)
UNITS=$SRC/deploy/systemd
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
ok() { echo "ok - $*"; }

command -v systemd-analyze >/dev/null 2>&1 || skip "systemd-analyze is not installed"
T=$(mktemp -d /tmp/mp-units.XXXXXX)
trap 'rm -rf "$T"' EXIT
if ! systemd-analyze verify --man=no /dev/null >/dev/null 2>&1 &&
   ! systemd-analyze verify --help >/dev/null 2>&1; then
	skip "systemd-analyze verify does not run here"
fi

for u in metroprobe-dp@.service metroprobe@.service; do
	[ -f "$UNITS/$u" ] || fail "no $UNITS/$u"
	# every binary a unit runs is one this build makes
	for cmd in $(grep -h '^Exec[A-Za-z]*=' "$UNITS/$u" | sed 's/^[^=]*=[-@:+!]*//; s/ .*//'); do
		b=$(basename "$cmd")
		[ "$(dirname "$cmd")" = /usr/local/bin ] || fail "$u runs $cmd, not from /usr/local/bin"
		found=$(find "$BUILD" -maxdepth 3 -type f -name "$b" -perm -u+x | head -1)
		[ -n "$found" ] || fail "$u runs $b, which this build does not make"
	done
	sed "s|/usr/local/bin/metroprobe |$BUILD/control/metroprobe |" "$UNITS/$u" >"$T/$u"
	ln -s "$u" "$T/${u/@./@lab.}"
done
(cd "$T" && systemd-analyze verify --man=no ./metroprobe-dp@lab.service ./metroprobe@lab.service) \
	>"$T/verify.log" 2>&1
rc=$?
[ $rc = 0 ] || { cat "$T/verify.log"; fail "systemd-analyze verify: exit $rc"; }
[ ! -s "$T/verify.log" ] || { cat "$T/verify.log"; fail "systemd-analyze verify complained"; }
ok "systemd-analyze verify: both units clean"

# the order and the supervision the units promise
c=$UNITS/metroprobe@.service
d=$UNITS/metroprobe-dp@.service
grep -qx 'Requires=metroprobe-dp@%i.service' "$c" || fail "control does not require the dataplane"
grep -qx 'After=metroprobe-dp@%i.service' "$c" || fail "control does not start after the dataplane"
grep -qx 'Type=notify' "$c" || fail "control is not Type=notify"
grep -q '^WatchdogSec=[1-9]' "$c" || fail "control has no watchdog"
grep -q -- '--external-dataplane' "$c" || fail "control would start a dataplane of its own"
grep -q -- '--exec-dataplane' "$d" || fail "the dataplane unit does not run serve --exec-dataplane"
grep -q '^CapabilityBoundingSet=$' "$c" || fail "control keeps capabilities"
# every capability the dataplane keeps is explained in a comment
for cap in $(sed -n 's/^CapabilityBoundingSet=//p' "$d"); do
	grep -q "^#.*$cap" "$d" || fail "the dataplane unit keeps $cap without saying why"
done
ok "control: Type=notify, watchdog, after and requiring the dataplane; capabilities explained"

# serve takes the options the units give it
help=$("$BUILD/control/metroprobe" serve --help) || fail "serve --help"
for opt in $(grep -ho -- '--[a-z-]*' <(grep '^ExecStart=' "$c" "$d")); do
	grep -q -- "$opt" <<<"$help" || fail "serve --help lacks $opt, which a unit passes"
done
ok "serve knows the units' options"
