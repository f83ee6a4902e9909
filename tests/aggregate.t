#!/usr/bin/env bash
# aggregate.t - mcp-aggregate verdict scenarios replayed through MCP_NOW
# Every scenario is probe JSONL from gen-scenario.sh, pushed into a private
# redis-server; then one verdict pass per window (window k starts at
# T0 + 60k) and the exact verdict records are compared.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/aggregate-lib.sh"

start_redis
export MCP_SPOOL=$TMP/spool

# --- the scenarios -----------------------------------------------------------

# All five regions pass.
gen -s s-green -r "$ALL" -n 5 >"$TMP/in"

# One region fails tls for 10 windows (an ISP routing fault).
{
	gen -s s-isp -r "$FOUR_NO_EU" -n 14
	gen -s s-isp -r eu-west-2 -n 2
	gen -s s-isp -r eu-west-2 -n 10 -t "$(w 2)" -f tls
	gen -s s-isp -r eu-west-2 -n 2 -t "$(w 12)"
} >>"$TMP/in"

# Two regions fail tools_list 30 s apart, across a window boundary, for
# two probes each.
{
	gen -s s-red2 -r ap-southeast-1,sa-east-1,us-west-2 -n 7
	gen -s s-red2 -r us-east-1 -n 2
	gen -s s-red2 -r us-east-1 -n 2 -t "$(w 2)" -o 40 -f tools_list
	gen -s s-red2 -r us-east-1 -n 3 -t "$(w 4)"
	gen -s s-red2 -r eu-west-2 -n 3
	gen -s s-red2 -r eu-west-2 -n 2 -t "$(w 3)" -o 10 -f tools_list
	gen -s s-red2 -r eu-west-2 -n 2 -t "$(w 5)"
} >>"$TMP/in"

# Back-fill with another lookback: us-east-1 fails in window 2 and
# eu-west-2 in window 3, then both fall silent.
{
	gen -s s-bf -r ap-southeast-1,sa-east-1,us-west-2 -n 8
	gen -s s-bf -r us-east-1 -n 2
	gen -s s-bf -r us-east-1 -t "$(w 2)" -f tools_list
	gen -s s-bf -r eu-west-2 -n 3
	gen -s s-bf -r eu-west-2 -t "$(w 3)" -f tools_list
} >>"$TMP/in"

# Three regions fail tools_list in one window.
{
	gen -s s-outage -r sa-east-1,us-west-2 -n 4
	gen -s s-outage -r ap-southeast-1,eu-west-2,us-east-1 -n 2
	gen -s s-outage -r ap-southeast-1,eu-west-2,us-east-1 -n 1 -t "$(w 2)" -f tools_list
	gen -s s-outage -r ap-southeast-1,eu-west-2,us-east-1 -n 1 -t "$(w 3)"
} >>"$TMP/in"

# Two regions fail different steps.
{
	gen -s s-diff -r ap-southeast-1,sa-east-1,us-west-2 -n 3
	gen -s s-diff -r eu-west-2,us-east-1 -n 2
	gen -s s-diff -r us-east-1 -n 1 -t "$(w 2)" -f tls
	gen -s s-diff -r eu-west-2 -n 1 -t "$(w 2)" -o 20 -f tools_list
} >>"$TMP/in"

# Two regions fail the same step 20 minutes apart.
{
	gen -s s-apart -r ap-southeast-1,sa-east-1,us-west-2 -n 27
	gen -s s-apart -r us-east-1 -n 2
	gen -s s-apart -r us-east-1 -n 1 -t "$(w 2)" -f tools_list
	gen -s s-apart -r us-east-1 -n 24 -t "$(w 3)"
	gen -s s-apart -r eu-west-2 -n 22
	gen -s s-apart -r eu-west-2 -n 1 -t "$(w 22)" -f tools_list
	gen -s s-apart -r eu-west-2 -n 4 -t "$(w 23)"
} >>"$TMP/in"

# A deploy at window 5; the EU edge serves the old tool list for 45 minutes.
{
	gen -s s-cdn -r "$ALL" -n 5 -h "$HA"
	gen -s s-cdn -r "$FOUR_NO_EU" -n 50 -t "$(w 5)" -h "$HB"
	gen -s s-cdn -r eu-west-2 -n 45 -t "$(w 5)" -h "$HA"
	gen -s s-cdn -r eu-west-2 -n 5 -t "$(w 50)" -h "$HB"
} >>"$TMP/in"

# A probe that started at :00 and finished at :31; a runner 30 s ahead.
{
	gen -s s-late -r "$FOUR_NO_EU" -n 2
	gen -s s-late -r eu-west-2 -n 2 -o 0 -m 31000
	gen -s s-skew -r ap-southeast-1,eu-west-2,us-west-2 -n 5
	gen -s s-skew -r us-east-1 -n 2 -o 40
	gen -s s-skew -r us-east-1 -n 2 -t "$(w 2)" -o 40 -f tools_list
	gen -s s-skew -r us-east-1 -n 1 -t "$(w 4)" -o 40
	gen -s s-skew -r sa-east-1 -n 2 -o 70
	gen -s s-skew -r sa-east-1 -n 2 -t "$(w 2)" -o 70 -f tools_list
	gen -s s-skew -r sa-east-1 -n 1 -t "$(w 4)" -o 70
} >>"$TMP/in"

# One region goes silent after window 4; all go silent after window 9.
{
	gen -s s-silent -r "$FOUR_AP_LAST" -n 10
	gen -s s-silent -r ap-southeast-1 -n 5
} >>"$TMP/in"

# A single-region deployment that fails connect in window 2.
{
	gen -s s-single -r us-east-1 -n 2
	gen -s s-single -r us-east-1 -n 1 -t "$(w 2)" -f connect
	gen -s s-single -r us-east-1 -n 2 -t "$(w 3)"
} >>"$TMP/in"

# Auth-walled everywhere: passing, with no tool hash.
gen -s s-auth -r "$ALL" -n 3 -a >>"$TMP/in"

# A server without tools (healthy, tool_hash null); from window 5 four
# regions see a tool list, the EU one still none.
{
	gen -s s-notools -r "$ALL" -n 5 -h null
	gen -s s-notools -r "$FOUR_NO_EU" -n 4 -t "$(w 5)" -h "$HA"
	gen -s s-notools -r eu-west-2 -n 4 -t "$(w 5)" -h null
} >>"$TMP/in"

# p95 over 20 passing durations (10..200 ms); failures and late duplicates
# do not count.
{
	for i in $(seq 0 19); do
		gen -s s-p95 -r us-east-1 -t "$(w "$i")" -m $((10 * (i + 1)))
	done
	gen -s s-p95 -r us-west-2 -t "$(w 0)" -f http -m 30000
	gen -s s-p95 -r us-east-1 -t "$(w 0)" -o 30 -m 30000
} >>"$TMP/in"

# p95 over 1,000 known durations (20..2999 ms), one a minute for 1,000
# minutes: 17 hourly histograms.
gen -q -s s-p95k -r us-east-1 -n 1000 -m 20 -J 2999 >"$TMP/p95k"
cat "$TMP/p95k" >>"$TMP/in"

push <"$TMP/in" 2>"$TMP/push.err"
is "$?" 0 "push of every scenario exits 0"
is "$(grep -v -e ': conflict: us-east-1 of s-p95 already has another result for the window ' \
    -e ': push: 1 results conflicted with another of their window' "$TMP/push.err")" "" \
    "push is quiet but for the late result of s-p95, a conflict it says"

run_windows 0 54

# --- the assertions ----------------------------------------------------------

P100=$(lat 100) P31000=$(lat 31000)

for i in 0 1 2 3 4; do
	is "$(got s-green "$i")" "$(want s-green "$i" green ok - "" "$ALL" "" 0 '[]' \
	    $P100 100 - 100 $EX)" "all regions pass: green (window $i)"
done

is "$(verdicts s-isp 0 13)" "g g a a a a a a a a a a g g" \
    "one region failing tls for 10 windows: amber for those 10, green from its first pass"
is "$(got s-isp 2)" "$(want s-isp 2 amber regional tls eu-west-2 "$ALL" "" 0 '[]' \
    $P100 100 - 100 $EX)" "ISP fault: the first amber record"
is "$(got s-isp 11)" "$(want s-isp 11 amber regional tls eu-west-2 "$ALL" "" 0 '[]' \
    $P100 100 - 100 $EX)" "ISP fault: amber while the region fails, never red"
is "$(got s-isp 12)" "$(want s-isp 12 green ok - "" "$ALL" "" 0 '[]' $P100 100 - 100 $EX)" \
    "ISP fault: green in the first window the region passes again (a pass ends the failure)"

is "$(verdicts s-red2 0 6)" "g g a r a g g" "two regions 30 s apart: red while both fail"
is "$(got s-red2 2)" "$(want s-red2 2 amber regional tools_list us-east-1 "$ALL" "" 0 '[]' \
    $P100 100 - 100 $EX)" "the first failure alone is amber"
is "$(got s-red2 3)" "$(want s-red2 3 red alert tools_list "eu-west-2 us-east-1" "$ALL" "" 0 '[]' \
    $P100 75 - 100 $EX)" "two regions failing tools_list: red alert"
is "$(got s-red2 4)" "$(want s-red2 4 amber regional tools_list eu-west-2 "$ALL" "" 0 '[]' \
    $P100 80 - 100 $EX)" "us-east-1 passes again: amber, eu-west-2 alone"

is "$(verdicts s-outage 0 5)" "g g r g g g" "three regions failing one window: red for that window"
is "$(got s-outage 2)" "$(want s-outage 2 red outage tools_list \
    "ap-southeast-1 eu-west-2 us-east-1" "$ALL" "" 0 '[]' $P100 66.67 - 100 $EX)" \
    "three regions failing: red outage"

is "$(got s-diff 2)" "$(want s-diff 2 amber regional tls "eu-west-2 us-east-1" "$ALL" "" 0 '[]' \
    $P100 100 - 100 $EX)" "two regions failing different steps: amber"
is "$(verdicts s-diff 0 4)" "g g a a a" "different steps never red"

is "$(verdicts s-apart 0 26)" "g g a g g g g g g g g g g g g g g g g g g g a g g g g" \
    "the same step 20 minutes apart: two amber periods, never red"

is "$(verdicts s-cdn 3 6)" "g g a a" "divergence from the first window after the deploy"
is "$(got s-cdn 5)" "$(want s-cdn 5 amber divergence - "" "$ALL" "" 1 \
    "[$(drift ap-southeast-1 "$HA" "$HB"),$(drift sa-east-1 "$HA" "$HB"),$(drift us-east-1 "$HA" "$HB"),$(drift us-west-2 "$HA" "$HB")]" \
    $P100 100 - 100 $EX eu-west-2)" "deploy window: cdn-cache-divergence, a drift entry per updated region, the edge that differs named"
is "$(got s-cdn 30)" "$(want s-cdn 30 amber divergence - "" "$ALL" "" 1 '[]' $P100 100 - 100 $EX eu-west-2)" \
    "the EU edge still serves the old list, named"
is "$(verdicts s-cdn 5 49 | tr ' ' '\n' | sort -u | tr '\n' ' ')" "a " "45 minutes of divergence"
is "$(got s-cdn 50)" "$(want s-cdn 50 green ok - "" "$ALL" "" 0 "[$(drift eu-west-2 "$HA" "$HB")]" \
    $P100 100 - 100 $EX)" "the edge catches up: green, with its own drift entry"
is "$(grep -ho '"drift":\[[^]]*\]' "$TMP"/v.* | grep -c region | tr -d ' ')" 2 \
    "drift is reported in the windows of the changes only"

like "$(res_regions s-late "$(w 0)")" "eu-west-2 " \
    "a probe started at :00 and finished at :31 lands in the :00 window"
is "$(got s-late 0)" "$(want s-late 0 green ok - "" "$ALL" "" 0 '[]' $P31000 100 - 100 $EX)" \
    "and counts as a reporter of that window"
is "$(got s-skew 2)" "$(want s-skew 2 amber regional tools_list us-east-1 "$ALL" "" 0 '[]' \
    $P100 100 - 100 $EX)" "a runner 30 s ahead: its failure is stamped in the next window"
is "$(got s-skew 3)" "$(want s-skew 3 red alert tools_list "sa-east-1 us-east-1" "$ALL" "" 0 '[]' \
    $P100 75 - 100 $EX)" "and is still within the lookback: red"

is "$(got s-silent 6)" "$(want s-silent 6 green ok - "" "$ALL" "" 0 '[]' $P100 100 - 100 $EX)" \
    "a region still in the lookback is no missing runner"
is "$(got s-silent 7)" "$(want s-silent 7 green ok - "" "$FOUR_AP_LAST" ap-southeast-1 0 '[]' \
    $P100 100 - 100 $EX)" "a silent region is listed in missing"
is "$(got s-silent 12)" "$(want s-silent 12 unknown stale - "" "" "$ALL" 0 '[]' \
    $P100 100 - null $EX)" "every region silent: unknown"

is "$(verdicts s-single 0 4)" "g g r g g" "a single-region deployment that fails: red while it fails"
is "$(got s-single 2)" "$(want s-single 2 red alert connect us-east-1 us-east-1 "" 0 '[]' \
    $P100 66.67 - null $EX)" "single region: red alert on its step"

is "$(got s-auth 2)" "$(want s-auth 2 green ok - "" "$ALL" "" 0 '[]' $P100 100 - 100 $EX)" \
    "auth-walled results count as passing"
is "$(verdicts s-notools 2 8)" "g g g g g g g" \
    "a server without tools: green; null hashes beside hashed ones are no divergence"
is "$(got s-notools 4)" "$(want s-notools 4 green ok - "" "$ALL" "" 0 '[]' $P100 100 - 100 $EX)" \
    "a server without tools everywhere: green, no divergence, no drift"
is "$(got s-notools 5 | jq -c '[.divergence, .drift]')" "[null,[]]" \
    "tools appearing after null hashes: no drift entry (a null hash is no list to drift from)"

# Durations of 100 ms (31 s for s-late's slow probes) fall in buckets 95
# and 212: p95_ms reports their upper bounds 1.05^95 and 1.05^212, rounded.
is "$P100 $P31000 $(lat 1) $(lat 1.01) $(lat 190)" "103 31055 1 1 194" \
    "the bucket rule: 100 ms reports 103, 31000 ms 31055, up to 1.05 ms 1, 190 ms 194"
is "$(got s-p95 19 | grep -o '"p95_ms":[0-9a-z]*')" "\"p95_ms\":$(lat 190)" \
    "p95_ms: the bucket of the nearest-rank 95th percentile (190 ms); no failure, no duplicate"
exact=$(grep -o '"ms":[0-9]*' "$TMP/p95k" | cut -d: -f2 | sort -n | sed -n 950p)
got=$(p95 s-p95k 999)
is "$got" "$(lat "$exact")" "1,000 durations over 17 hours: p95_ms by the bucket rule (exact $exact ms)"
ok "$(awk -v g="$got" -v e="$exact" 'BEGIN { print (g >= e && g <= e * 1.05 + 0.5 ? 0 : 1) }')" \
    "and within 5 % above the exact nearest-rank value: $got ms for $exact ms"

# The histogram covers the hour of the clock when a passing result was
# last pushed (here, as on a probe host, that of its start) and the 23
# before it: older hours leave, late results count while their hour is in.
H0=$(w 0) H23=$(w 1380) H24=$(w 1440)
{
	gen -s s-roll -r us-east-1 -t "$H0" -m 5000
	gen -s s-roll -r us-east-1 -t "$H23" -m 300
} | push
is "$(p95 s-roll 1380)" "$(lat 5000)" "hours 0 and 23 count together"
gen -s s-roll -r us-east-1 -t "$H24" -n 10 | push
is "$(p95 s-roll 1449)" "$(lat 300)" "hour 24: hour 0 has left the 24 hours"
is "$(redis-cli -s "$REDIS_SOCK" exists "mcp:{s-roll}:lat:$((H0 / 3600))")" 0 \
    "and its histogram is deleted"
is "$(redis-cli -s "$REDIS_SOCK" zrange "mcp:{s-roll}:latidx" 0 -1 | tr '\n' ' ')" "95 117 " \
    "the bucket index follows: 5000 ms (bucket 175) left with its hour"
{
	gen -s s-roll -r eu-west-2 -t "$H0" -m 9000
	gen -s s-roll -r eu-west-2 -t "$H23" -m 3000
} | push
is "$(p95 s-roll 1449)" "$(lat 3000)" "a late result of hour 23 counts, one of hour 0 does not"

# An hour that expired before it left is not subtracted: the sum is built
# again from the hours still there.
{
	gen -s s-expire -r us-east-1 -t "$(w 60)" -m 5000
	gen -s s-expire -r us-east-1 -t "$(w 120)"
} | push
redis-cli -s "$REDIS_SOCK" del "mcp:{s-expire}:lat:$(($(w 60) / 3600))" >/dev/null
gen -s s-expire -r us-east-1 -t "$(w 1500)" | push
is "$(p95 s-expire 1500)" "$P100" "an expired hour leaves the sum with it"

# The 24 hours end at the clock's hour, not at the latest start pushed: a
# result pushed a day late rolls them on, and counts for nothing.
gen -s s-clock -r us-east-1 -t "$(w 0)" -m 5000 | push
is "$(p95 s-clock 0)" "$(lat 5000)" "a result of hour 0 pushed at once counts"
gen -s s-clock -r eu-west-2 -t "$(w 0)" -m 300 | MCP_NOW=$(($(w 1440) + 10)) mcp-aggregate push
is "$?:$(p95 s-clock 1440):$(redis-cli -s "$REDIS_SOCK" exists "mcp:{s-clock}:lat:$(($(w 0) / 3600))")" \
    0:null:0 "one of hour 0 pushed a day later: hour 0 has left the 24 hours by the clock"

# Silent regions: a region fails by its latest result in the lookback,
# and is missing once that has left it.
is "$(verdicts s-bf 0 6)" "g g a r r a g" "regions that fail and fall silent: failing for the lookback"
is "$(got s-bf 5)" "$(want s-bf 5 amber regional tools_list eu-west-2 \
    "ap-southeast-1 eu-west-2 sa-east-1 us-west-2" us-east-1 0 '[]' $P100 66.67 - 100 $EX)" \
    "us-east-1's failure has left the lookback: missing, not failing"

# A region's first result lies in a window not yet decided: it is not
# missing from the verdict of the window before.
gen -s s-first -r us-east-1 -t "$(w 61)" | push
is "$(MCP_NOW=$(($(w 60) + 95)) mcp-aggregate verdict s-first | jq -c '[.verdict, .missing]')" \
    '["unknown",[]]' "a region that has just reported is not missing from the window before its first"
gen -s s-first -r eu-west-2 -t "$(w 58)" | push
is "$(MCP_NOW=$(($(w 62) + 95)) mcp-aggregate verdict s-first | jq -c '[.verdict, .missing]')" \
    '["green",["eu-west-2"]]' "a region silent for the lookback by the clock is missing"

# Back-fill: a changed rule (here: the lookback) replayed over history.
MCP_NOW=$(($(w 5) + 95)) mcp-aggregate verdict -L 300 s-bf >"$TMP/bf"
is "$(strip_now <"$TMP/bf")" "$(want s-bf 5 red alert tools_list "eu-west-2 us-east-1" "$ALL" "" 0 '[]' $P100 \
    70 - 100 $EX)" \
    "back-fill: MCP_NOW in the past recomputes that window from the stored results"
is "$(hist_at s-bf "$(w 5)")" r \
    "back-fill rewrites the history"
like "$(redis-cli -s "$REDIS_SOCK" get "mcp:{s-bf}:verdict")" "\"window\":$(w 54)," \
    "back-fill leaves a newer current verdict alone"
d=$(($(w 5) / 86400))
is "$(redis-cli -s "$REDIS_SOCK" strlen "mcp:{s-bf}:day:$d") $(redis-cli -s "$REDIS_SOCK" exists \
    "mcp:{s-bf}:hist:$d")" "480 0" "the history of a day is one string of 480 bytes, three windows a byte, no hash"

# A window decided by a version of before, in the hash hist:DAY, and
# decided again now: its letter moves to day:DAY; the tally, beginning
# with the day, counts it once, and the verdict's uptime takes the old
# letter back from the counters of before (up, read for the days the
# tally lacks).
gen -s s-mig -r "$ALL" -t "$(w 8)" | push
redis-cli -s "$REDIS_SOCK" hset "mcp:{s-mig}:hist:$d" "$(w 8)" r >/dev/null
redis-cli -s "$REDIS_SOCK" expire "mcp:{s-mig}:hist:$d" 90000 >/dev/null
redis-cli -s "$REDIS_SOCK" hset "mcp:{s-mig}:up" "$d:n" 1 >/dev/null
redis-cli -s "$REDIS_SOCK" expire "mcp:{s-mig}:up" 90000 >/dev/null
MCP_NOW=$(($(w 8) + 95)) mcp-aggregate verdict s-mig >"$TMP/mig"
is "$(hist_at s-mig "$(w 8)") $(tally_of s-mig "$d")" "g 1 0 0 0 0" \
    "a window of the old hist:DAY decided again: the day counted once"
like "$(cat "$TMP/mig")" '"uptime_30d":100,' "and the verdict's uptime counts it once"

# A store upgraded mid-day: windows 0-4 hold results in the value format
# of before, "STARTED STATE STEP HASH MS" with the full hash, written here
# as the earlier push wrote them (with the seen and hash keys it kept);
# windows 5 on are pushed now, in the slim format.  Verdicts read both.
# old_res SLUG K REGION STATE STEP HASH: a result of window K, old format.
old_res() {
	local t key
	key="mcp:{$1}:res:$(w "$2")" t=$(($(w "$2") + 2)).5
	{
		echo "HSET $key $3 '$t $4 $5 $6 100'"
		echo "EXPIRE $key 90000"
		echo "ZADD mcp:{$1}:seen GT $t $3"
		echo "EXPIRE mcp:{$1}:seen 90000"
		[ "$6" = - ] || echo "HSET mcp:{$1}:hash $3 '$t $6'"
		echo "EXPIRE mcp:{$1}:hash 2678400"
	} | redis-cli -s "$REDIS_SOCK" >/dev/null
}
for k in 0 1 2 3 4; do
	for r in $ALL; do
		old_res s-up-hash "$k" "$r" h - "$HA"
		old_res s-up-div "$k" "$r" h - "$HA"
		if [ "$k" = 4 ] && [ "$r" = us-east-1 ]; then
			old_res s-up-red "$k" "$r" b tools_list -
		else
			old_res s-up-red "$k" "$r" h - "$HA"
		fi
	done
done
{
	gen -s s-up-red -r ap-southeast-1,sa-east-1,us-west-2 -n 2 -t "$(w 5)"
	gen -s s-up-red -r us-east-1 -t "$(w 6)"
	gen -s s-up-red -r eu-west-2 -t "$(w 5)" -o 10 -f tools_list
	gen -s s-up-hash -r "$FOUR_NO_EU" -n 2 -t "$(w 5)" -h "$HA"
	gen -s s-up-div -r "$FOUR_NO_EU" -n 2 -t "$(w 5)" -h "$HB"
} | push
is "$?" 0 "push into a store that holds old-format results"
is "$(res_val s-up-div "$(w 5)" us-east-1) $(res_val s-up-red "$(w 5)" eu-west-2)" \
    "2500 h${HB:7:4} 100 10000 b tools_list" \
    "push writes the packed slot: start offset in ms, state, hash id and duration, or step"
is "$(redis-cli -s "$REDIS_SOCK" exists "mcp:{s-up-div}:res:$(w 5)") $(redis-cli -s "$REDIS_SOCK" \
    hstrlen "mcp:{s-up-div}:rs:$(($(w 5) / 3600))" us-east-1)" "0 420" \
    "no res:W is written; a region's hour is one string of 60 slots of 7 bytes"
run_windows 3 6 s-up-red s-up-hash s-up-div
is "$(got s-up-red 3)" "$(want s-up-red 3 green ok - "" "$ALL" "" 0 '[]' $P100 100 - 100 $EX)" \
    "old-format results alone: green"
is "$(got s-up-red 4)" "$(want s-up-red 4 amber regional tools_list us-east-1 "$ALL" "" 0 '[]' \
    $P100 100 - 100 $EX)" "an old-format failure: amber"
is "$(got s-up-red 5)" "$(want s-up-red 5 red alert tools_list "eu-west-2 us-east-1" "$ALL" "" 0 \
    '[]' $P100 66.67 - 100 $EX)" "an old-format and a new-format failure of one step: red alert"
is "$(verdicts s-up-hash 3 6)" "g g g g" \
    "one tool list in the old format (full hash) and the new (hash id): no divergence"
is "$(got s-up-hash 5)" "$(want s-up-hash 5 green ok - "" "$ALL" "" 0 '[]' $P100 100 - 100 $EX)" \
    "the region still on its old-format result reports"
is "$(got s-up-div 5)" "$(want s-up-div 5 amber divergence - "" "$ALL" "" 1 \
    "[$(drift ap-southeast-1 "$HA" "$HB"),$(drift sa-east-1 "$HA" "$HB"),$(drift us-east-1 "$HA" "$HB"),$(drift us-west-2 "$HA" "$HB")]" \
    $P100 100 - 100 $EX eu-west-2)" "an old-format hash against a new one: divergence, drift with full hashes"
is "$(redis-cli -s "$REDIS_SOCK" hget "mcp:{s-up-div}:res:$(w 4)" eu-west-2)" \
    "$(($(w 4) + 2)).5 h - $HA 100" "old-format results are read, never rewritten"

# A runner not yet upgraded writes the 16-byte slots of rh:HOUR (written
# here as its push wrote them: OFFSET, letter, step or kind of id, code,
# MS, the 64-bit id) beside the 7-byte slots of rs:HOUR of the upgraded
# ones.  Every reader takes both; a result stays its first writer's.
# old_slot SLUG K REGION h|b: eu-west-2 passes (hash HA), or fails
# tools_list, in window K, as the push of before stored it.
old_slot() {
	redis-cli -s "$REDIS_SOCK" eval "
	  local pos, pre = (tonumber(ARGV[2]) % 3600) / 60 * 16, ARGV[4]
	  local cur = redis.call('HGET', KEYS[1], ARGV[1]) or string.rep('\\0', 960)
	  local s = struct.pack('>I2c1BBI3', 10000, 'b', 7, 0, 16777215) .. string.rep('\\0', 8)
	  if ARGV[3] == 'h' then
	    s = struct.pack('>I2c1BBI3', 2500, 'h', 1, 0, 120) .. string.rep('\\170', 8)
	  end
	  redis.call('HSET', KEYS[1], ARGV[1], string.sub(cur, 1, pos) .. s .. string.sub(cur, pos + 17))
	  redis.call('EXPIRE', KEYS[1], 90000)
	  redis.call('ZADD', pre .. 'seen', 'GT', ARGV[2] + 2.5, ARGV[1])
	  return redis.call('EXPIRE', pre .. 'seen', 90000)" 1 "mcp:{$1}:rh:$(($(w "$2") / 3600))" \
	    "$3" "$(w "$2")" "$4" "mcp:{$1}:" >/dev/null
}
for k in 3 4 5; do old_slot s-mixed "$k" eu-west-2 h; done
old_slot s-mixed 5 us-east-1 b
{
	gen -s s-mixed -r ap-southeast-1,sa-east-1,us-west-2 -n 3 -t "$(w 3)" -h "$HA"
	gen -s s-mixed -r us-east-1 -n 2 -t "$(w 3)" -h "$HA"
	gen -s s-mixed -r eu-west-2 -t "$(w 4)" -f tls
} | push >/dev/null
is "$(res_val s-mixed "$(w 4)" eu-west-2) | $(res_val s-mixed "$(w 4)" us-west-2) | $(res_val s-mixed \
    "$(w 5)" us-east-1)" "2500 h${HA:7:4} 120 | 2500 h${HA:7:4} 100 | 10000 b tools_list" \
    "a slot of rh:HOUR of before is read with its id cut to 16 bits; a later push of its window is a duplicate"
run_windows 3 5 s-mixed
is "$(verdicts s-mixed 3 5)" "g g a" \
    "results of an old runner and of upgraded ones decide together: one tool list, no divergence"
like "$(got s-mixed 5)" '"failed_regions":\["us-east-1"\]' "the old runner's failure counts"
like "$(got s-mixed 5)" '"missing":\[\]' "the old runner's region is not missing"

# mcp-serve's latency chart reads both: the hour's p95 of all regions
# and of each (eu-west-2's 120 ms in the slots of before).
if [ -x "$BIN/mcp-serve" ]; then
	env -i PATH="$PATH" ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
	    REQUEST_METHOD=GET MCP_REDIS="$MCP_REDIS" MCP_NOW=$(($(w 5) + 100)) PATH_INFO=/status/s-mixed \
	    mcp-serve </dev/null >"$TMP/page"
	is "$(grep -o '<tr><td>16:00</td>\(<td class="num">[^<]*</td>\)*' "$TMP/page" | grep -o '[0-9]* ms' |
	    tr '\n' ' ')" "120 ms 100 ms 120 ms 100 ms 100 ms 100 ms " \
	    "mcp-serve's latency table: the slots of rs:HOUR and of the rh:HOUR of before"
fi

# The probe-fault judgment of a full pass reads the old runner's slots
# too: eu-west-2, still writing rh:HOUR, fails tools_list for all ten
# slugs of a store of their own (database 3) where the upgraded regions
# pass them: blind.
for i in $(seq -f '%05g' 1 10); do
	redis-cli -s "$REDIS_SOCK" -n 3 eval "
	  local pos = (tonumber(ARGV[1]) % 3600) / 60 * 16
	  local s = struct.pack('>I2c1BBI3', 10000, 'b', 7, 0, 16777215) .. string.rep('\\0', 8)
	  redis.call('HSET', KEYS[1], 'eu-west-2', string.rep('\\0', pos) .. s ..
	    string.rep('\\0', 960 - pos - 16))
	  redis.call('EXPIRE', KEYS[1], 90000)
	  redis.call('ZADD', 'mcp:slugs', ARGV[1] + 10, ARGV[2])
	  return redis.call('ZADD', 'mcp:{' .. ARGV[2] .. '}:seen', ARGV[1] + 10, 'eu-west-2')" \
	    1 "mcp:{j-$i}:rh:$(($(w 7) / 3600))" "$(w 7)" "j-$i" >/dev/null
done
gen -s j -N 10 -r "$FOUR_NO_EU" -t "$(w 7)" | MCP_REDIS="$MCP_REDIS?db=3" push
MCP_REDIS="$MCP_REDIS?db=3" MCP_NOW=$(($(w 7) + 95)) mcp-aggregate verdict >"$TMP/judge"
is "$(redis-cli -s "$REDIS_SOCK" -n 3 hget "mcp:fault:$(w 7)" eu-west-2) $(grep -c '"verdict":"green"' "$TMP/judge")" \
    "10 10 1 tools_list 10" "the judgment counts the failures in the old runner's slots: it is blind, the slugs green"

# A day:DAY of before, 1,440 letters, is packed on its next write: the
# letters of the other windows kept, the day counted whole into the tally
# (its first verdict), the uptime moved from the old letter of the window
# decided again in the counters of before.
d=$(($(w 30) / 86400)) p=$((($(w 30) % 86400) / 60))
redis-cli -s "$REDIS_SOCK" eval "local s = string.rep('\\0', 1440)
  s = string.sub(s, 1, ARGV[1]) .. 'ram' .. string.sub(s, ARGV[1] + 4)
  redis.call('SET', KEYS[1], s, 'EX', 90000)
  redis.call('HSET', KEYS[2], ARGV[2] .. ':u', 1, ARGV[2] .. ':n', 2, ARGV[2] .. ':m', 1)
  return redis.call('EXPIRE', KEYS[2], 90000)" \
    2 "mcp:{s-oldday}:day:$d" "mcp:{s-oldday}:up" "$p" "$d" >/dev/null
is "$(hist_at s-oldday "$(w 30)")$(hist_at s-oldday "$(w 31)")$(hist_at s-oldday "$(w 32)")" ram \
    "the 1,440 letters of before are read"
gen -s s-oldday -r "$ALL" -t "$(w 30)" | push
MCP_NOW=$(($(w 30) + 95)) mcp-aggregate verdict s-oldday >/dev/null
is "$(redis-cli -s "$REDIS_SOCK" strlen "mcp:{s-oldday}:day:$d") $(hist_at s-oldday "$(w 29)")$(hist_at \
    s-oldday "$(w 30)")$(hist_at s-oldday "$(w 31)")$(hist_at s-oldday "$(w 32)") $(tally_of s-oldday "$d")" \
    "480 gam 1 1 0 0 1" "decided again: packed into 480 bytes, the other letters kept, the day counted once"

# Everything expires on its own.
redis-cli -s "$REDIS_SOCK" --scan >"$TMP/keys"
n=$(sed 's/^/TTL /' "$TMP/keys" | redis-cli -s "$REDIS_SOCK" | awk '$1 <= 0' | wc -l | tr -d ' ')
is "$n" 0 "every key has a TTL"
is "$(grep -v -e '^mcp:{[a-z0-9._-]*}:' -e '^mcp:fault:[0-9]*$' -e '^mcp:runs:[0-9]*$' "$TMP/keys" | sort | tr '\n' ' ')" "mcp:slugs mcp:slugs:lex mcp:verdict:newest " \
    "every key but the slug and name indexes, the newest window decided and the windows' probe-fault judgments and runs' counts carries its slug as a hash tag"

done_testing
