#!/usr/bin/env bash
# fold.t - the results and latency of an hour older than the one before,
# folded into mcp:{SLUG}:rf by the verdict's pass of an hour's first
# window (mcp-store(7)): read by results, the verdict's back-fill, the
# audit, mcp-serve's chart as they read the raw slots, but for the
# offsets within the minute and each result's MS; a late result into a
# folded hour; latsum's hour leaving the 24 read from the fold; a store of
# the build before (MCP_TEST_BEFORE, a build directory) folded and read.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/aggregate-lib.sh"

start_redis
export MCP_SPOOL=$TMP/spool
rc() { redis-cli -s "$REDIS_SOCK" "$@"; }
H0=$((T0 / 3600))
M=$(fold_minute f)
RE='"name":"io.ex/f","version":"1.0.0","remote":0,"type":"streamable-http","url":"https://mcp.example.com/mcp","headers":[],"status":"active","state":"probe","reason":null,"registry":"https://registry.modelcontextprotocol.io","updated_at":"2026-11-20T10:00:00Z"'

# Three hours of slug f: us-east-1 changes its tool list mid-hour,
# eu-west-2 breaks at tools_list with a code and is auth-walled for a
# while, ap-southeast-1 probes now and then (empty slots).
{
	gen -q -s f -r us-east-1 -n 30 -m 50 -J 800 -h "$HA"
	gen -q -s f -r us-east-1 -n 150 -m 60 -J 700 -h "$HB" -t "$(w 30)"
	gen -q -s f -r eu-west-2 -n 10 -m 80 -J 400
	gen -q -s f -r eu-west-2 -n 3 -t "$(w 10)" -f tools_list |
	    sed 's/,"ms":/,"error":{"code":"http_503","message":"Service Unavailable"},"ms":/'
	gen -q -s f -r eu-west-2 -n 27 -m 90 -J 300 -t "$(w 13)"
	gen -q -s f -r eu-west-2 -n 2 -a -t "$(w 40)"
	gen -q -s f -r eu-west-2 -n 138 -m 70 -J 500 -t "$(w 42)"
	gen -q -s f -r ap-southeast-1 -n 3 -m 200 -t "$(w 5)"
	gen -q -s f -r ap-southeast-1 -n 1 -t "$(w 50)" -f dns
	gen -q -s f -r ap-southeast-1 -n 60 -m 150 -J 900 -t "$(w 100)"
} >"$TMP/day"
MCP_NOW=$(($(w 180) + 1)) mcp-aggregate push <"$TMP/day"
rc hset mcp:registry:servers f "{$RE,\"synced_at\":$T0}" >/dev/null
run_windows 0 59

# snap NAME: what every reader makes of hour 0, the audit of it, the chart.
snap() {
	mcp-aggregate results f "$(w 0)" "$(w 59)" >"$TMP/$1.res"
	MCP_NOW=$(w 60) mcp-aggregate audit --period 1h --at "$(w 60)" --json >"$TMP/$1.audit"
	env -i PATH="$PATH" ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
	    REQUEST_METHOD=GET MCP_REDIS="$MCP_REDIS" MCP_NOW=$(($(w 120) + 100)) PATH_INFO=/status/f \
	    mcp-serve </dev/null | grep -o '<tr><td>1[678]:00</td>\(<td class="num">[^<]*</td>\)*' >"$TMP/$1.chart"
}
snap raw
n0=$(rc hget 'mcp:{f}:latsum' n)
run_windows 120 $((120 + M - 1))
is "$(rc exists "mcp:{f}:rs:$H0" "mcp:{f}:lat:$H0"):$(rc hexists 'mcp:{f}:rf' "$H0")" 2:0 "hour 0 raw before f's minute ($M) of hour 2"
run_windows $((120 + M)) $((120 + M))
is "$(rc exists "mcp:{f}:rs:$H0" "mcp:{f}:lat:$H0"):$(rc exists "mcp:{f}:rs:$((H0 + 1))" "mcp:{f}:rs:$((H0 + 2))")" \
    "0:2" "the pass of f's minute of hour 2 folds hour 0 (its raw keys gone), the hour before stays raw"
like "$(rc ttl 'mcp:{f}:rf')" '^(8[0-9]|90)[0-9]{3}$' "rf lives 25 hours"
is "$(rc hlen 'mcp:{f}:rf'):$(rc hget 'mcp:{f}:rf' R | tr ' ' '\n' | sort | tr '\n' ' ')" "3:ap-southeast-1 eu-west-2 us-east-1 " \
    "rf: the hour and the regions' names"
like "$(rc hstrlen 'mcp:{f}:rf' "$H0")" '^[0-9]{2,3}$' "hour 0 of 3 regions in less than 1,000 bytes (raw: 3 x 420 + the histogram)"
snap fold

# Every state, ids changing mid-hour, the code, empty slots: the same
# lines, the offset a dash and no MS.
sed -E 's/^([0-9]+ [^ ]+) [0-9]+ ([ha][0-9a-f]*)( [0-9]+)?$/\1 - \2/; s/^([0-9]+ [^ ]+) [0-9]+ b /\1 - b /' \
    "$TMP/raw.res" >"$TMP/raw.want"
is "$(diff "$TMP/raw.want" "$TMP/fold.res" && wc -l <"$TMP/fold.res")" 124 \
    "results of the folded hour: every line as from the raw slots, without offset and MS"
is "$(grep -c " - h${HA:7:4}\$" "$TMP/fold.res"):$(grep -c " - h${HB:7:4}\$" "$TMP/fold.res"):$(grep -c ' - b tools_list http_503$' "$TMP/fold.res"):$(grep -c ' - a$' "$TMP/fold.res"):$(grep -c ' - b dns$' "$TMP/fold.res")" \
    "88:30:3:2:1" "the folded hour: both ids, the failure's code, auth-walled, the region probed now and then"
is "$(cmp "$TMP/raw.audit" "$TMP/fold.audit" && echo same)" same "the audit of the folded hour: the same before and after the fold"
is "$(cmp "$TMP/raw.chart" "$TMP/fold.chart" && wc -l <"$TMP/fold.chart")" 3 "mcp-serve's chart: each region-hour's p95 the same before and after the fold"
is "$(rc hget 'mcp:{f}:latsum' n)" "$n0" "the fold leaves latsum alone"

# The verdict of a window of the folded hour decided again: the same
# verdict, its results read from the fold (starts at the whole minute).
for k in 11 41 51; do
	MCP_NOW=$(($(w "$k") + 95)) mcp-aggregate verdict f >"$TMP/b.$k"
	is "$(jq -c '[.verdict, .failed_regions, .missing]' "$TMP/b.$k")" \
	    "$(jq -c '[.verdict, .failed_regions, .missing]' "$TMP/v.$k")" "back-fill of window $((k - 1)) from the fold: the verdict decided from the raw slots"
done

# A late result into the folded hour: a raw slot read beside the fold; a
# second, different result of a folded window changes nothing (a
# conflict, tests/take-back.t); the late one stays raw.
{
	gen -q -s f -r ap-southeast-1 -m 321 -t "$(w 20)" -h "$HB"
	gen -q -s f -r us-east-1 -t "$(w 3)" -f dns
} | registry_marks | MCP_NOW=$(($(w 121) + 1)) mcp-aggregate push 2>/dev/null
is "$(res_val f "$(w 20)" ap-southeast-1):$(res_val f "$(w 3)" us-east-1)" "2500 h${HB:7:4} 321:- h${HA:7:4}" \
    "a late result into a folded hour: raw, with its offset and MS; another of a folded one kept out"
run_windows $((180 + M)) $((180 + M))
is "$(rc exists "mcp:{f}:rs:$H0"):$(res_val f "$(w 20)" ap-southeast-1):$(res_val f "$(w 21)" ap-southeast-1):$(rc hget 'mcp:{f}:rf' F)" \
    "1:2500 h${HB:7:4} 321::$((H0 + 1))" "the next hour's fold leaves the late result raw, folds hour 1"

# The hour leaving latsum's 24 is subtracted from its fold: n counts the
# hours left (1 and 2, folded and raw), and the new result.
n1=$(rc hget 'mcp:{f}:latsum' "n:$((H0 + 1))") n2=$(rc hget 'mcp:{f}:latsum' "n:$((H0 + 2))")
gen -q -s f -r us-east-1 -t "$(w 1440)" | registry_marks | MCP_NOW=$(($(w 1440) + 5)) mcp-aggregate push
is "$(rc hget 'mcp:{f}:latsum' n):$(rc hget 'mcp:{f}:latsum' "n:$H0")" "$((n1 + n2 + 1)):" \
    "hour 0 leaving the 24 hours: subtracted from its fold"
is "$(rc eval "local c, n = redis.call('HGETALL', KEYS[1]), 0
  for i = 1, #c, 2 do if tonumber(c[i]) then n = n + c[i + 1] end end return n" 1 'mcp:{f}:latsum')" \
    "$((n1 + n2 + 1))" "latsum's buckets add up to its count"

# A fold that is not one (a store is hostile): read as no result, the
# page drawn, the verdict decided.
rc hset 'mcp:{f}:rf' "$((H0 + 1))" $'\x01\x85\xff' R '  x' >/dev/null
env -i PATH="$PATH" ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
    REQUEST_METHOD=GET MCP_REDIS="$MCP_REDIS" MCP_NOW=$(($(w 180) + 100)) PATH_INFO=/status/f \
    mcp-serve </dev/null >"$TMP/bad.page"
is "$?:$(grep -c '<tr><td>17:00</td><td class="num">&ndash;</td>' "$TMP/bad.page"):$(mcp-aggregate results f "$(w 60)" "$(w 119)" | wc -l)" \
    "0:1:0" "a fold cut short: no result of its hour, the page and results still answer"
MCP_NOW=$(($(w 70) + 95)) mcp-aggregate verdict f >"$TMP/bad.v"
is "$?:$(jq -r .verdict "$TMP/bad.v")" "0:unknown" "a verdict of its hour: unknown, no result read"

# A store written by the build before: its raw hours folded by this
# build's verdict, and read as before.
before=${MCP_TEST_BEFORE:-$TOP/build-before/src-075d3aa/build}
if [ -x "$before/mcp-aggregate" ]; then
	export MCP_REDIS="unix://$REDIS_SOCK?db=1"
	MCP_NOW=$(($(w 180) + 1)) "$before/mcp-aggregate" push <"$TMP/day"
	rc -n 1 hset mcp:registry:servers f "{$RE,\"synced_at\":$T0}" >/dev/null
	for k in $(seq 0 59); do MCP_NOW=$(($(w "$k") + 95)) "$before/mcp-aggregate" verdict >/dev/null; done
	run_windows $((120 + M)) $((120 + M))
	snap old
	is "$(rc -n 1 exists "mcp:{f}:rs:$H0"):$(cmp "$TMP/fold.res" "$TMP/old.res" && cmp "$TMP/raw.audit" "$TMP/old.audit" &&
	    cmp "$TMP/raw.chart" "$TMP/old.chart" && echo same)" "0:same" \
	    "a store of the build before: folded by this build, its results, audit and chart as this build's"
else
	ok 0 "# SKIP no build of before: MCP_TEST_BEFORE=DIR names one (make bench makes build-before/)"
fi
done_testing
