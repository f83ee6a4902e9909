#!/usr/bin/env bash
# aggregate-fields.t - mcp-aggregate verdict: the members error, latency_ms and host
# Probe records as mcp-probe prints them (gen-scenario.sh, with the error
# code and URL set here) go through a private redis-server; the verdicts
# are decided through MCP_NOW and their last three members compared.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/aggregate-lib.sh"

start_redis
export MCP_SPOOL=$TMP/spool
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }
URL=https://mcp.example.com/mcp

# probe CODE URL GEN-ARGS...: gen-scenario.sh records with URL as their
# url and, as mcp-probe writes them, the error of the failed step in its
# step record and at the end of the result record: code CODE (- for a
# null code); "error":null in a passing result.
probe() {
	local code=$1 url=$2
	shift 2
	gen "$@" | jq -c --arg c "$code" --arg u "$url" '
		(if $c == "-" then null else $c end) as $code
		| .url = $u
		| if .status == "fail" or .state == "broken" then
			.error = {code: $code, message: "test failure"}
		  elif .type == "result" then .error = null
		  else . end'
}

# fields SLUG K: the members error, latency_ms and host of SLUG's verdict of window K.
fields() { got "$1" "$2" | sed -n 's/.*,\("error":.*\),"cert_expires_at":.*}$/\1/p'; }

# f ERROR|- LATENCY HOST|-: those members as expected.
f() { printf '"error":%s,"latency_ms":%s,"host":%s' "$(jstr "$1")" "$2" "$(jstr "$3")"; }

# --- error ------------------------------------------------------------------

# http_429 on two regions: red, and its code.
{
	probe - "$URL" -s s-429 -r "$ALL" -n 2
	probe - "$URL" -s s-429 -r ap-southeast-1,sa-east-1,us-west-2 -t "$(w 2)"
	probe http_429 "$URL" -s s-429 -r eu-west-2,us-east-1 -t "$(w 2)" -f tools_list
} >"$TMP/in"

# Mixed codes at the failing step within the lookback: the most frequent,
# though not the first by name; a null code counts for none.
{
	probe - "$URL" -s s-mixed -r "$ALL"
	probe http_5xx "$URL" -s s-mixed -r ap-southeast-1 -t "$(w 1)" -f tools_list
	probe - "$URL" -s s-mixed -r eu-west-2,sa-east-1,us-east-1,us-west-2 -t "$(w 1)"
	probe http_5xx "$URL" -s s-mixed -r ap-southeast-1 -t "$(w 2)" -f tools_list
	probe timeout "$URL" -s s-mixed -r eu-west-2,sa-east-1,us-east-1 -t "$(w 2)" -f tools_list
	probe - "$URL" -s s-mixed -r us-west-2 -t "$(w 2)" -f tools_list
} >>"$TMP/in"

# A tie: the first by name, whatever the order of the push.
{
	probe tools_malformed "$URL" -s s-tie -r us-east-1 -t "$(w 2)" -f tools_list
	probe jsonrpc_error "$URL" -s s-tie -r eu-west-2 -t "$(w 2)" -f tools_list
	probe - "$URL" -s s-tie -r us-west-2 -t "$(w 2)"
} >>"$TMP/in"

# Amber on two steps: the code of the step reported, though another step's
# code is more frequent.
{
	probe tools_empty "$URL" -s s-steps -r us-east-1 -n 2 -t "$(w 1)" -f tools_list
	probe tls_cert_expired "$URL" -s s-steps -r eu-west-2 -t "$(w 2)" -f tls
	probe - "$URL" -s s-steps -r us-west-2 -t "$(w 2)"
} >>"$TMP/in"

# No code, or one that is not a code: none; the failure still counts.
{
	probe - "$URL" -s s-nocode -r eu-west-2 -t "$(w 2)" -f tools_list
	probe 'HTTP 429' "$URL" -s s-nocode -r us-east-1 -t "$(w 2)" -f tools_list
} >>"$TMP/in"

# --- latency_ms -------------------------------------------------------------

# An odd count in window 3, from :00.000 to :59.999, auth-walled included;
# a failure, and a result of window 2 within the lookback, left out.
{
	probe - "$URL" -s s-odd -r ap-southeast-1 -t "$(w 3)" -o 0 -m 300
	probe - "$URL" -s s-odd -r eu-west-2 -t "$(w 3)" -o 59.999 -m 100.4
	probe - "$URL" -s s-odd -r sa-east-1 -t "$(w 3)" -m 200 -a
	probe connect_refused "$URL" -s s-odd -r us-east-1 -t "$(w 3)" -m 5 -f connect
	probe - "$URL" -s s-odd -r us-west-2 -t "$(w 3)" -o -0.001 -m 1
} >>"$TMP/in"

# Even counts: the lower median, of whole milliseconds.
{
	probe - "$URL" -s s-even -r ap-southeast-1 -m 400
	probe - "$URL" -s s-even -r eu-west-2 -m 100
	probe - "$URL" -s s-even -r sa-east-1 -m 300
	probe - "$URL" -s s-even -r us-east-1 -m 200
	probe timeout "$URL" -s s-even -r us-west-2 -m 1 -f http
	probe - "$URL" -s s-even -r eu-west-2 -t "$(w 1)" -m 250.7
	probe - "$URL" -s s-even -r us-east-1 -t "$(w 1)" -m 150
} >>"$TMP/in"

# --- host -------------------------------------------------------------------

# Lowercased, no userinfo, no port; the host of the latest start wins,
# whatever the order of the push.
{
	probe - "https://User:secret@MCP.Example.COM:8443/mcp" -s s-host -r us-east-1
	probe - "https://New.Example.ORG/mcp?x=1" -s s-host -r eu-west-2 -t "$(w 2)"
	probe - "https://old.example.net/mcp" -s s-host -r us-east-1 -t "$(w 1)"
	probe - "http://[::1]:8080/mcp" -s s-host6 -r us-east-1
	probe - "not a URL" -s s-nohost -r us-east-1
} >>"$TMP/in"

push <"$TMP/in" 2>"$TMP/push.err"
is "$?:$(cat "$TMP/push.err")" 0: "push of every scenario exits 0 and is quiet"
is "$(res_val s-429 "$(w 2)" us-east-1) | $(res_val s-429 "$(w 2)" \
    us-west-2) | $(res_val s-odd "$(w 3)" sa-east-1)" \
    "2500 b tools_list http_429 | 2500 h${HA:7:4} 100 | 2500 a 200" \
    "stored: the error code of a failure, the whole ms of a passing result"
is "$(res_val s-nocode "$(w 2)" us-east-1)" "2500 b tools_list" \
    "a code that is not [a-z0-9_]{1,40} is stored as none, the result all the same"
is "$(res_val s-odd "$(w 3)" eu-west-2)" "59999 h${HA:7:4} 100" \
    "a duration is rounded to whole ms"

run_windows 0 3

is "$(got s-429 2)" "$(want s-429 2 red alert tools_list "eu-west-2 us-east-1" "$ALL" "" 0 '[]' \
    "$(lat 100)" 66.67 http_429 100 $EX)" \
    "http_429 on two regions: the whole record, the three members last"
is "$(fields s-429 0)" "$(f - 100 $EX)" "green: no error"
is "$(fields s-mixed 2)" "$(f timeout null $EX)" \
    "mixed codes: the most frequent in the lookback (3 timeout, 2 http_5xx, 1 null)"
is "$(got s-mixed 2 | grep -o '"severity":"[a-z]*","step":"[a-z_]*"')" \
    '"severity":"outage","step":"tools_list"' "(an outage of tools_list)"
is "$(fields s-mixed 1)" "$(f http_5xx 100 $EX)" "one region's code: its code"
is "$(fields s-tie 2)" "$(f jsonrpc_error 100 $EX)" "a tie: the first by name"
is "$(fields s-steps 2)" "$(f tls_cert_expired 100 $EX)" \
    "amber on two steps: the code of the step reported (tls), not the most frequent"
is "$(fields s-nocode 2)" "$(f - null $EX)" "no valid code: null, and red all the same"
is "$(verdicts s-nocode 2 2)" r "(red)"

is "$(fields s-odd 3)" "$(f connect_refused 200 $EX)" \
    "latency_ms: the median of 300, 100.4 and 200 (auth-walled); a failure and :59.999 before left out"
is "$(fields s-even 0)" "$(f timeout 200 $EX)" \
    "latency_ms of four: the lower median, 200 of 100..400; the failure left out"
is "$(fields s-even 1)" "$(f timeout 150 $EX)" \
    "latency_ms of 150 and 250.7: 150 (and the failure before still in the lookback)"
is "$(fields s-even 3)" "$(f - null $EX)" "no result in the window: null"

is "$(fields s-host 2)" "$(f - 100 new.example.org)" \
    "host: the latest start's, lowercased, though an older one was pushed after it"
is "$(rcli hget "mcp:{s-host}:meta" host)" new.example.org "kept in mcp:{SLUG}:meta"
ttl=$(rcli ttl "mcp:{s-host}:meta")
ok "$((ttl > 30 * 86400 ? 0 : 1))" "with the long TTL (31 days): $ttl s"
is "$(fields s-host 0)" "$(f - 100 new.example.org)" "in a back-fill too: the latest host"
probe - "HTTP://Latest.Example.COM:443/" -s s-host -r sa-east-1 -t "$(w 3)" | push
is "$(rcli hget "mcp:{s-host}:meta" host)" latest.example.com "a newer start moves it"
is "$(fields s-host6 0)" "$(f - 100 ::1)" "an IPv6 literal: without brackets and port"
is "$(fields s-nohost 0)" "$(f - 100 -)" "a URL without a host: null, the result stored"
MCP_NOW=$(($(w 0) + 95)) mcp-aggregate verdict s-never s-host >"$TMP/never" 2>"$TMP/never.err"
is "$?:$(cat "$TMP/never.err"):$(jq -r .slug "$TMP/never")" \
    "1:mcp-aggregate: verdict: s-never: no results stored for this slug:s-host" \
    "a slug never pushed: named in an error, no verdict; the others decided, exit 1"
is "$(rcli exists "mcp:{s-never}:verdict" "mcp:{s-never}:day:$(($(w 0) / 86400))")" 0 \
    "and nothing of it is stored"

# --- failing_now ---------------------------------------------------------------
# eu-west-2 loses one probe (window 1) and us-east-1 fails from window 2 on:
# a region fails by its latest result in the lookback (CONTRACT §3), so
# eu-west-2 is over in window 2, and failed_regions and failing_now agree.
{
	gen -s s-now -r "$ALL" -n 1
	gen -s s-now -r "ap-southeast-1 sa-east-1 us-east-1 us-west-2" -n 1 -o 62.5
	gen -s s-now -r eu-west-2 -f connect -o 62.5
	gen -s s-now -r "ap-southeast-1 eu-west-2 sa-east-1 us-west-2" -n 3 -o 122.5
	gen -s s-now -r us-east-1 -f tools_list -n 3 -o 122.5
} | push
run_windows 0 4 s-now >/dev/null
for k in 0 1 2 3 4; do
	printf '%s %s\n' "$(got s-now "$k" | jq -c .failed_regions)" "$(now_of s-now "$k")"
done >"$TMP/now"
is "$(cat "$TMP/now")" '[] []
["eu-west-2"] ["eu-west-2"]
["us-east-1"] ["us-east-1"]
["us-east-1"] ["us-east-1"]
["us-east-1"] ["us-east-1"]' "failed_regions and failing_now: the regions whose latest result of the lookback failed"

# --- values of before -------------------------------------------------------

# Window 1 holds values in the slim format of before ("OFFSET hID",
# "OFFSET b STEP": no duration, no code), as the previous push wrote them;
# window 2 values of now.  Verdicts read both.
key="mcp:{s-prev}:res:$(w 1)"
rcli hset "$key" ap-southeast-1 "2500 h${HA:7:16}" eu-west-2 "3000 a" \
    us-east-1 "10000 b tools_list" >/dev/null
rcli expire "$key" 90000 >/dev/null
{
	probe - "$URL" -s s-prev -r ap-southeast-1 -t "$(w 2)" -m 80
	probe - "$URL" -s s-prev -r eu-west-2 -t "$(w 2)" -m 120 -a
	probe http_429 "$URL" -s s-prev -r sa-east-1 -t "$(w 2)" -f tools_list
} | push
run_windows 1 2 s-prev
is "$(got s-prev 1)" "$(want s-prev 1 amber regional tools_list us-east-1 \
    "ap-southeast-1 eu-west-2 us-east-1" "" 0 '[]' "$(lat 120)" 100 - null $EX)" \
    "values of before alone: read, with no code and no duration (sa-east-1 reports later: not missing)"
is "$(got s-prev 2)" "$(want s-prev 2 red alert tools_list "sa-east-1 us-east-1" \
    "ap-southeast-1 eu-west-2 sa-east-1 us-east-1" "" 0 '[]' "$(lat 120)" 50 http_429 80 $EX)" \
    "a failure of before and one of now: red, the code of the one that has one"

# --- maintenance -------------------------------------------------------------
# Two regions fail tools_list in windows 2-4; a maintenance window
# (mcp-alert maint) covers windows 2 and 3.  The verdicts say what was
# seen; the history keeps those two windows as maintenance (m), which
# uptime_30d leaves out, numerator and denominator.
{
	gen -s s-maint -r ap-southeast-1,sa-east-1,us-west-2 -n 6
	gen -s s-maint -r eu-west-2,us-east-1 -n 2
	gen -s s-maint -r eu-west-2,us-east-1 -n 3 -t "$(w 2)" -f tools_list
	gen -s s-maint -r eu-west-2,us-east-1 -t "$(w 5)"
} | push
MCP_NOW=$(w 1) mcp-alert -R "unix://$REDIS_SOCK" maint add s-maint --start "$(w 2)" \
    --end "$(w 4)" --reason 'database "upgrade" <v2>'
is "$?" 0 "a maintenance window for windows 2 and 3"
run_windows 0 5 s-maint
is "$(verdicts s-maint 0 5)" "g g r r r g" "the verdicts in maintenance say what the regions saw"
hist=''
for k in 0 1 2 3 4 5; do hist="$hist$(hist_at s-maint "$(w "$k")")"; done
is "$hist" ggmmrg "the history keeps the windows in maintenance as m"
is "$(got s-maint 2 | jq -c '[.maintenance, .uptime_30d]')" \
    "[{\"start\":$(w 2),\"end\":$(w 4),\"reason\":\"database \\\"upgrade\\\" <v2>\"},100]" \
    "a verdict in maintenance carries the window; its uptime leaves it out"
is "$(got s-maint 4 | jq -c '[.maintenance, .uptime_30d]')" "[null,66.67]" \
    "the first window after it: no maintenance, counted down"
is "$(got s-maint 5 | jq -c .uptime_30d)" 75 "uptime_30d: 3 up of the 4 windows outside maintenance"
is "$(tally_of s-maint "$(($(w 0) / 86400))" | cut -d' ' -f5)" 2 "the day counts its windows in maintenance"
MCP_NOW=$(($(w 2) + 95)) mcp-aggregate verdict s-maint >/dev/null
is "$(hist_at s-maint "$(w 2)")$(tally_of s-maint "$(($(w 0) / 86400))" | cut -d' ' -f5)" m2 \
    "a window in maintenance decided again counts once"

# --- status: the operator's table ------------------------------------------
{
	gen -s s-st-up -r "$ALL" -n 3 -m 140
	gen -s s-st-down -r ap-southeast-1,sa-east-1,us-west-2 -n 3
	gen -s s-st-down -r eu-west-2,us-east-1 -n 3 -f tools_list
} | push
run_windows 0 2 s-st-up s-st-down
MCP_NOW=$(($(w 2) + 100)) mcp-alert -R "unix://$REDIS_SOCK" maint add s-st-down --for 1h --reason 'fix "it"'
MCP_NOW=$(($(w 2) + 100)) mcp-aggregate status s-st-up s-st-down >"$TMP/st" 2>"$TMP/st.err"
is "$?:$(cat "$TMP/st.err")" 1: "status: exit 1, a slug listed is not up"
until=$(date -u -d "@$(($(w 2) + 100 + 3600))" +%H:%M)
is "$(cat "$TMP/st")" "SLUG       STATE        STEP        REGIONS              DIVERGENCE  MAINTENANCE    UPTIME      P95  LAST
s-st-up    up           -           -                    -           -             100.00%    $(lat 140)ms  1m
s-st-down  down         tools_list  eu-west-2,us-east-1  -           until $until     0.00%    $(lat 100)ms  1m" \
    "status: a line per slug, its state, what fails where, maintenance, uptime, p95, last probe"
MCP_NOW=$(($(w 2) + 100)) mcp-aggregate status -j s-st-down >"$TMP/st"
is "$(jq -c '[.state, .step, .failed_regions, .maintenance.reason, .uptime_30d, .last_probe_ago]' "$TMP/st")" \
    '["down","tools_list",["eu-west-2","us-east-1"],"fix \"it\"",0,"1m"]' "status -j: JSON lines"
MCP_NOW=$(($(w 2) + 100)) mcp-aggregate status s-st-up >/dev/null
is "$?" 0 "status of slugs that are up: exit 0"
MCP_NOW=$(($(w 2) + 500)) mcp-aggregate status -j s-st-up | jq -r .state >"$TMP/st"
is "$(cat "$TMP/st")" pending "a verdict older than 5 minutes: pending, as the read side says"
MCP_NOW=$(($(w 2) + 100)) mcp-aggregate status s-st-up s-nothing >"$TMP/st" 2>"$TMP/st.err"
is "$?:$(cat "$TMP/st.err"):$(wc -l <"$TMP/st")" "1:mcp-aggregate: status: s-nothing: no results stored for this slug:2" \
    "a slug with no results: named, exit 1, the others listed"

# Everything expires on its own.
rcli --scan >"$TMP/keys"
n=$(sed 's/^/TTL /' "$TMP/keys" | rcli | awk '$1 <= 0' | wc -l | tr -d ' ')
is "$n" 0 "every key has a TTL"

done_testing
