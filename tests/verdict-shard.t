#!/usr/bin/env bash
# verdict-shard.t - mcp-aggregate verdict --shard K/N (issue 48): the shares
# of a pass, run at once, decide every slug once, and exactly as one full
# pass does, the probe-fault judgment included: sa-east-1 fails 40 slugs
# the other regions pass, a region blind only over the whole fleet (-F 30:
# each share sees some 20 of them).  A share whose partner never comes
# counts the partner's share itself.  Real redis-server, generated probe
# output (tests/gen-scenario.sh).
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"

start_redis
export MCP_SPOOL=$TMP/spool
T=1795536000
gen=$TOP/tests/gen-scenario.sh
for k in 0 1 2 3 4; do
	"$gen" -q -s s -N 40 -r us-east-1,eu-west-2 -t $((T + 60 * k))
	"$gen" -q -s s -N 40 -r sa-east-1 -f connect -t $((T + 60 * k))
done >"$TMP/in"
MCP_NOW=$((T + 241)) mcp-aggregate push <"$TMP/in"
is "$?" 0 "push: 5 windows of 40 slugs x 3 regions"
W=$((T + 240))
v() { MCP_NOW=$((W + 95)) mcp-aggregate verdict -F 30 "$@"; }
# slugs FILE: the slugs of a pass's records, sorted.
slugs() { jq -r .slug "$1" | sort; }

v >"$TMP/full" 2>"$TMP/full.err"
is "$?/$(wc -l <"$TMP/full")" "0/40" "a full pass: 40 verdicts"
is "$(jq -r '.probe_fault | join(",")' "$TMP/full" | sort -u)" "sa-east-1" \
    "the full pass sets sa-east-1 aside (40 failures over the fleet, -F 30)"
redis-cli -s "$REDIS_SOCK" del "mcp:fault:$W" >/dev/null

v --shard 1/2 >"$TMP/s1" 2>"$TMP/s1.err" &
p1=$!
v --shard 2/2 >"$TMP/s2" 2>"$TMP/s2.err" &
p2=$!
wait "$p1"
r1=$?
wait "$p2"
is "$r1/$?" "0/0" "two shares at once: both exit 0"
is "$(cat "$TMP/s1.err" "$TMP/s2.err")" "" "and say nothing"
n1=$(wc -l <"$TMP/s1") n2=$(wc -l <"$TMP/s2")
[ "$n1" -gt 5 ] && [ "$n2" -gt 5 ] && [ $((n1 + n2)) = 40 ]; ok $? "the shares split the slugs ($n1 + $n2)"
is "$(comm -12 <(slugs "$TMP/s1") <(slugs "$TMP/s2"))" "" "no slug decided twice"
is "$(sort "$TMP/s1" "$TMP/s2" | md5sum)" "$(sort "$TMP/full" | md5sum)" \
    "their verdicts are the full pass's, byte for byte (sa-east-1 set aside by the fleet's counts)"
is "$(redis-cli -s "$REDIS_SOCK" hget "mcp:fault:$W" sa-east-1 | cut -d' ' -f1-3)" "40 40 1" \
    "the judgment kept is the fleet's (probed 40, failed 40, blind)"

# A share alone: its partner's counts never come; it counts them itself.
redis-cli -s "$REDIS_SOCK" del "mcp:fault:$W" "mcp:fault:$W:parts" >/dev/null
v --shard 2/2 >"$TMP/alone" 2>"$TMP/alone.err"
is "$?" 0 "a share alone: exit 0"
like "$(cat "$TMP/alone.err")" "share 1/2 kept no counts of the probe faults in 1[0-9] s: counted here" \
    "it says it counted the missing share"
is "$(sort "$TMP/alone")" "$(sort "$TMP/s2")" "and decides its share as before"

MCP_NOW=$((W + 95)) mcp-aggregate verdict --shard 1/2 s-00001 2>/dev/null
is "$?" 2 "--shard with named slugs: a usage error"
MCP_NOW=$((W + 95)) mcp-aggregate verdict --shard 3/2 2>"$TMP/usage.err"
is "$?/$(cat "$TMP/usage.err")" "2/mcp-aggregate: --shard 3/2: want K/N, 1 <= K <= N <= 1000" "--shard 3/2: refused"
done_testing
