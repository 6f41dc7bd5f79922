#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Every option a parser accepts is in its --help: the long options are taken
# from the option tables in the source (struct option arrays, and the
# options and keys parsed by name), and each must appear in the --help text
# of the command that parses it. No root, no lab.
set -u
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
MP=$BUILD/control/metroprobe
DP=$BUILD/dataplane/dp/metroprobe-dp
XDP=$BUILD/dataplane/xdp/metroprobe-xdp
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# long options of the struct option array in function FUNC of FILE
opts_of() {
	awk -v fn="$2" '
		$0 ~ "^" fn "\\(" { in_fn = 1 }
		in_fn && /struct option/ { in_tab = 1 }
		in_tab && match($0, /\{ *"[a-z0-9-]+"/) {
			s = substr($0, RSTART, RLENGTH); gsub(/[{ "]/, "", s); print s
		}
		in_tab && /\{ *NULL/ { exit }' "$SRC/$1"
}
# "name" arguments of strcmp(WHAT, "name") / kv_get(&kv, "name") in function FUNC of FILE
names_of() {
	awk -v fn="$2" -v pat="$3" '
		$0 ~ "^" fn "\\(" { in_fn = 1; next }
		in_fn && /^}/ { exit }
		in_fn {
			line = $0
			while (match(line, pat)) {
				s = substr(line, RSTART, RLENGTH); sub(/.*"/, "", s)
				m = substr(line, RSTART, RLENGTH); sub(/"$/, "", m); sub(/.*"/, "", m)
				print m; line = substr(line, RSTART + RLENGTH)
			}
		}' "$SRC/$1"
}
# check WHAT HELPTEXT PREFIX NAMES...: each PREFIX+name is in HELPTEXT
check() {
	local what=$1 text=$2 prefix=$3 n
	shift 3
	[ $# -gt 0 ] || { fail "$what: found no options in the source (test out of date)"; return; }
	for n in "$@"; do
		[ "$n" = help ] && continue
		grep -qF -- "$prefix$n" <<<"$text" || fail "$what --help does not list $prefix$n"
	done
	echo "ok - $what: $# options listed"
}

check "metroprobe run" "$("$MP" run --help)" -- $(opts_of control/run.c run_parse)
check "metroprobe lab up" "$("$MP" lab up --help)" -- $(opts_of control/lab_up.c lab_up_parse)
check "metroprobe golive" "$("$MP" golive --help)" -- $(opts_of control/golive.c golive_parse)
check "metroprobe report" "$("$MP" report --help)" -- $(opts_of control/report_cmd.c report_parse)
check "metroprobe serve" "$("$MP" serve --help)" -- $(opts_of control/serve_cli.c serve_parse)
check "metroprobe lab cut" "$("$MP" lab cut --help)" -- $(opts_of control/lab_cut.c lab_cut_args)
check "metroprobe lab cut --method" "$("$MP" lab cut --help)" "--method " blackhole carrier
check "metroprobe drill" "$("$MP" drill --help)" -- $(opts_of control/drill.c drill_parse)
check "metroprobe drill --method" "$("$MP" drill --help)" "" blackhole carrier
check "metroprobe demo" "$("$MP" demo --help)" "" $(names_of control/main.c cmd_demo 'strcmp\(argv\[i\], "--[a-z-]+"' | grep -v -- --help)
check "metroprobe lab status" "$("$MP" lab status --help)" "" $(names_of control/lab_status.c lab_status 'strcmp\(argv\[i\], "--[a-z-]+"' | grep -v -- --help)
check "metroprobe catalog" "$("$MP" catalog --help)" "" $(names_of control/catalog_cmd.c catalog_main 'strcmp\(argv\[i\], "--[a-z-]+"' | grep -v -- --help)
check "metroprobe diversity" "$("$MP" diversity --help)" "" $(names_of control/diversity_cmd.c diversity_main 'strcmp\(argv\[i\], "--[a-z-]+"' | grep -v -- --help)
# impairment keys: the words lab_impair_parse compares, and its key table
keys="$(names_of control/lab_impair.c lab_impair_parse 'strcmp\(tok, "[a-z_]+"') $(sed -n '/^} lab_impair_keys\[\] = {/,/^};/p' "$SRC/control/lab_impair.c" | grep -o '{ "[a-z_]*"' | tr -d '{ "')"
check "metroprobe lab impair (keys)" "$("$MP" lab impair --help)" "" $keys
check "metroprobe lab up --impair (keys)" "$("$MP" lab up --help)" "" $(tr ' ' '\n' <<<"$keys" | grep -vx 'clear\|none')
help_main=$("$MP" --help)
check "metroprobe (commands)" "$help_main" "" $(awk '/commands\[\] = \{/,/^\};/' "$SRC/control/main.c" | grep -o '{ "[a-z]*"' | tr -d '{" ')
grep -q -- '--frame-size' <<<"$("$MP" run --help | head -1)" || fail "metroprobe run --help: the usage line lacks --frame-size"
grep -q -- '--sweep' <<<"$("$MP" run --help | head -2)" || fail "metroprobe run --help: the usage line lacks --sweep"
if [ -x "$DP" ]; then
	check "metroprobe-dp probe" "$("$DP" -- probe --help)" -- $(opts_of dataplane/dp/probe_args.c probe_args_parse)
	# the keys of the link decoder (kv_get, need, opt_uint and opt_u16 take them by name)
	check "metroprobe-dp probe --link (keys)" "$("$DP" -- probe --help)" "" \
		$(grep -oE '(kv_get|need|opt_uint|opt_u16)\(kv, "[a-z_]+"' "$SRC/dataplane/core/mp_link.c" |
		  sed 's/.*"\(.*\)"/\1=/')
	check "metroprobe-dp reflect" "$("$DP" -- reflect --help)" -- $(opts_of dataplane/dp/reflect_args.c reflect_args_parse)
fi
if [ -x "$XDP" ]; then
	check "metroprobe-xdp attach" "$("$XDP" attach --help 2>&1)" -- $(opts_of dataplane/xdp/metroprobe_xdp.c xdp_cmd_attach)
	check "metroprobe-xdp impair" "$("$XDP" impair --help 2>&1)" -- $(opts_of dataplane/xdp/metroprobe_xdp.c xdp_cmd_impair)
	check "metroprobe-xdp" "$("$XDP" --help 2>&1)" -- $(opts_of dataplane/xdp/metroprobe_xdp.c main)
	check "metroprobe-xdp stats" "$("$XDP" stats --help 2>&1)" -- $(opts_of dataplane/xdp/metroprobe_xdp.c xdp_parse_iface_only)
fi
[ $fails = 0 ] || exit 1
