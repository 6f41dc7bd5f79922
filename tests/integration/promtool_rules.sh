#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The shipped Prometheus and Grafana files (deploy/): the alert and
# recording rules pass `promtool check rules` and their unit tests
# (`promtool test rules`), the example scrape config passes `promtool check
# config`, and the Grafana dashboard is JSON whose queries name only
# metrics metroprobe exports (the names in control/'s source) or recording
# rules the rules file defines. Needs no lab and no lock.
#
# usage: promtool_rules.sh SOURCE_ROOT
set -u
SRC=${1:-.}
fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok - $*"; }
command -v promtool >/dev/null 2>&1 || { echo "SKIP: promtool is not installed (Debian: prometheus)"; exit 77; }
command -v jq >/dev/null 2>&1 || { echo "SKIP: jq is not installed"; exit 77; }

P=$SRC/deploy/prometheus
G=$SRC/deploy/grafana/metroprobe.json
promtool check rules "$P/metroprobe.rules.yml" || fail "promtool check rules"
(cd "$P" && promtool test rules metroprobe.rules.test.yml) || fail "promtool test rules"
promtool check config "$P/prometheus.yml" || fail "promtool check config (the example)"
ok "rules pass check and their unit tests; the example config is valid"

# What the code exports: every "metroprobe_..." string in control/*.c.
exported=$(grep -oh '"metroprobe_[a-z0-9_]*"' "$SRC"/control/*.c | tr -d '"' | sort -u)
[ -n "$exported" ] || fail "no metric names found in $SRC/control"
recorded=$(grep -o 'record: *[a-z_:0-9]*' "$P/metroprobe.rules.yml" | sed 's/record: *//' | sort -u)

# known NAME: an exported metric (a histogram's _bucket/_sum/_count too),
# or a recording rule of ours
known() {
	local n=$1 base
	base=$(sed -E 's/_(bucket|sum|count)$//' <<<"$n")
	grep -qx -- "$n" <<<"$exported" || grep -qx -- "$base" <<<"$exported" ||
		grep -qx -- "$n" <<<"$recorded"
}

jq -e . "$G" >/dev/null || fail "$G is not JSON"
exprs=$(jq -r '.. | objects | select(has("expr")) | .expr' "$G")
[ -n "$exprs" ] || fail "the dashboard has no queries"
names=$(grep -oE 'metroprobe(:[a-z0-9_]+:[a-z0-9_]+|_[a-z0-9_]+)' <<<"$exprs" | sort -u)
n=0
for m in $names; do
	known "$m" || fail "the dashboard queries $m, which metroprobe does not export"
	n=$((n + 1))
done
ok "the dashboard's queries name $n metrics, all exported (or recorded by our rules)"

rule_names=$(grep -E '^\s+expr:|^\s+(metroprobe|\*)' "$P/metroprobe.rules.yml" |
	grep -oE 'metroprobe_[a-z0-9_]+' | sort -u)
for m in $rule_names; do
	known "$m" || fail "the rules use $m, which metroprobe does not export"
done
ok "the rules use $(wc -w <<<"$rule_names") exported metrics"

# every query parses as PromQL: as recording rules, with the dashboard's
# variables filled in, through promtool check rules
TMPR=$(mktemp /tmp/mp-dashrules.XXXXXX.yml)
trap 'rm -f "$TMPR"' EXIT
{
	echo "groups:"
	echo "  - name: dashboard"
	echo "    rules:"
	i=0
	while IFS= read -r e; do
		i=$((i + 1))
		e=${e//\$__rate_interval/1m}
		e=${e//\$instance/.*}
		e=${e//\$link/a}
		echo "      - record: dashboard:query_$i:check"
		echo "        expr: $(jq -Rn --arg e "$e" '$e')"
	done <<<"$exprs"
} >"$TMPR"
promtool check rules "$TMPR" >/dev/null || { promtool check rules "$TMPR"; fail "a dashboard query is not valid PromQL"; }
ok "the dashboard's $i queries are valid PromQL"

# every panel of the links row repeats per link, side by side
jq -e '[.panels[] | select(.repeat == "link")] | length >= 3' "$G" >/dev/null ||
	fail "the dashboard does not show the links side by side"
ok "the dashboard repeats its link panels per link"
