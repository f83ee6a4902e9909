#!/usr/bin/env bash
# lists.sh BUILD_DIR - what keeping the tool lists costs (issue 46): push and verdict of a fleet's minute with the lists the probe prints beside the hashes alone
# BENCH_LIST_SLUGS slugs (2,000 by default) x 5 regions, each slug its own
# list of 10 tools (some 3 KB), 4 windows of steady state then the
# measured one, in which BENCH_LIST_CHANGED slugs (100) change their list
# (a drift each region, read and diffed by the verdict).  Two stores, one
# run: A the hashes alone (mcp-probe --list-max 0), B the lists; B's first
# minute stores every list, its minutes after only say they were seen.
# The records are a tools_list step and a result per probe: the other
# steps cost the same either way.  Prints figures only.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
. "$(dirname "$0")/lib.sh"
SLUGS=${BENCH_LIST_SLUGS:-2000}
CHANGED=${BENCH_LIST_CHANGED:-100}
T0=1795536000
W=5
last=$((T0 + 60 * (W - 1)))
agg=$BIN/mcp-aggregate

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
bench_redis

for c in 0 1; do
	node "$TOP/tests/bench/lists-gen.mjs" "$SLUGS" "$T0" "$W" "$CHANGED" "$c" >"$TMP/all.$c"
	# The steady windows, and the measured one.
	grep -v "\"probe_id\":\"[^\"]*-$((W - 1))\"" "$TMP/all.$c" >"$TMP/fill.$c"
	grep "\"probe_id\":\"[^\"]*-$((W - 1))\"" "$TMP/all.$c" >"$TMP/last.$c"
done
nres=$((SLUGS * 5))
# push_time DB FILE: seconds to push FILE into database DB.
push_time() {
	local t
	t=$(now)
	MCP_REDIS="$MCP_REDIS?db=$1" MCP_NOW=$((last + 30)) "$agg" push <"$2"
	secs "$t"
}
verdict_time() {
	local t
	t=$(now)
	MCP_REDIS="$MCP_REDIS?db=$1" MCP_NOW=${MCP_NOW:-$((last + 95))} "$agg" verdict >"$TMP/v.$1"
	secs "$t"
}
# First minute of each: B stores every list (its text sent once a slug).
for c in 0 1; do
	grep "\"probe_id\":\"[^\"]*-0\"" "$TMP/fill.$c" >"$TMP/first.$c"
	grep -v "\"probe_id\":\"[^\"]*-0\"" "$TMP/fill.$c" >"$TMP/rest.$c"
done
a_first=$(push_time 1 "$TMP/first.0")
b_first=$(push_time 2 "$TMP/first.1")
push_time 1 "$TMP/rest.0" >/dev/null
push_time 2 "$TMP/rest.1" >/dev/null
a_push=$(push_time 1 "$TMP/last.0")
b_push=$(push_time 2 "$TMP/last.1")
a_v=$(verdict_time 1)
b_v=$(verdict_time 2)
printf 'a minute of %d slugs x 5 regions (%d results), %d slugs changing their list:\n' "$SLUGS" "$nres" "$CHANGED"
printf '  %-44s %12s %12s\n' '' 'hash alone' 'lists kept'
printf '  %-44s %10s B %10s B\n' 'input (tools_list steps and results)' "$(wc -c <"$TMP/last.0")" "$(wc -c <"$TMP/last.1")"
printf '  %-44s %10s s %10s s\n' 'push, the first minute (every list stored)' "$a_first" "$b_first"
printf '  %-44s %10s s %10s s\n' "push, a minute ($CHANGED lists new)" "$a_push" "$b_push"
printf '  %-44s %10s s %10s s\n' "verdict, the same minute ($CHANGED slugs drift)" "$a_v" "$b_v"
printf '  %-44s %10s   %10s\n' 'drift entries with a change told' \
    "$(jq -c '.drift[] | select(.change != null)' "$TMP/v.1" | wc -l)" "$(jq -c '.drift[] | select(.change != null)' "$TMP/v.2" | wc -l)"
# lists_bytes DB: the keys of lists and the bytes of their text.
lists_bytes() {
	redis-cli -s "$SOCK" -n "$1" --scan --pattern 'mcp:{*}:ls:*' | sed 's/^/STRLEN /' |
	    redis-cli -s "$SOCK" -n "$1" | awk '{ k++; t += $1 } END { printf "%d keys, %d B", k, t }'
}
printf '  %-44s %12s %s\n' 'lists kept' '0' "$(lists_bytes 2)"
# A verdict of the next minute, no drift: the green slugs cost nothing more.
# median3 DB: the median of three passes.
median3() {
	local r=()
	for _ in 1 2 3; do r+=("$(MCP_NOW=$((last + 155)) verdict_time "$1")"); done
	printf '%s\n' "${r[@]}" | sort -n | sed -n 2p
}
a_v2=$(median3 1)
b_v2=$(median3 2)
printf '  %-44s %10s s %10s s\n' 'verdict, a minute without drift (median of 3)' "$a_v2" "$b_v2"
printf '  push per result with its list: %s us more than with its hash alone (a steady minute)\n' \
    "$(calc "\"%.1f\", ($b_push - $a_push) * 1000000 / $nres")"
