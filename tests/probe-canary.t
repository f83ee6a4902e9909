#!/usr/bin/env bash
# probe-canary.t - a runner's own canary (mcp-probe --canary, issue 34):
# its records say whether it reached the canary, and mcp-aggregate sets
# aside a region whose canary failed whatever the thresholds: one region,
# three slugs.  Real components: the SDK fixture server, the test
# receiver as the canary, a private redis-server, mcp-serve's CGI.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/aggregate-lib.sh"

start_redis
start_fixture
start_receiver
export MCP_SPOOL=$TMP/spool
CLOSED=$(free_port)
DEAD=http://127.0.0.1:$CLOSED

# canaries FILE: the distinct canary values of FILE's records, and how many.
canaries() { jq -r '.canary // "absent"' "$1" | sort | uniq -c | sed 's/^ *//'; }

# --- mcp-probe ----------------------------------------------------------------
mcp-probe -r eu-west-2 -s fix --canary "http://ops:pw-s3cret@127.0.0.1:$CLOSED/ping?token=tok-s3cret&a=1" \
    "$FIX/open/mcp" >"$TMP/out" 2>"$TMP/err"
is "$?:$(canaries "$TMP/out")" "0:9 fail" \
    "a canary on a closed port: every record of the run (8 steps, 1 result) says canary fail; the server passes, exit 0"
is "$(cat "$TMP/err")" \
    "mcp-probe: canary http://127.0.0.1:$CLOSED/ping?token=REDACTED&a=1 failed: connect_refused: connection refused" \
    "stderr says it once, the reason classified, the URL without its userinfo and secret query values"
is "$(jq -r 'select(.type == "result") | .state' "$TMP/out")" healthy "the records are all there, as without a canary"

mcp-probe -r eu-west-2 -s fix --canary "$RECV/canary" "$FIX/open/mcp" >"$TMP/out" 2>"$TMP/err"
is "$?:$(canaries "$TMP/out"):$(cat "$TMP/err")" "0:9 ok:" "a canary that answers: canary ok on every record, stderr quiet"
is "$(jq -r 'select(.path == "/canary") | "\(.method) \(.headers["x-probe-region"])"' "$RECV_LOG")" "GET eu-west-2" \
    "the canary is one GET, with X-Probe-Region like every request of the probe"

recv_answer /canary404 404
mcp-probe -r eu-west-2 -s fix --canary "$RECV/canary404" "$FIX/open/mcp" >"$TMP/out" 2>"$TMP/err"
is "$(canaries "$TMP/out"):$(cat "$TMP/err")" "9 ok:" "an answer below 500 (404) is connectivity: ok"
recv_answer /canary503 503
mcp-probe -r eu-west-2 -s fix --canary "$RECV/canary503" "$FIX/open/mcp" >"$TMP/out" 2>"$TMP/err"
is "$(canaries "$TMP/out"):$(cat "$TMP/err")" \
    "9 fail:mcp-probe: canary $RECV/canary503 failed: http_5xx: HTTP 503" "a 5xx answer: fail"

mcp-probe -r eu-west-2 -s fix "$FIX/open/mcp" >"$TMP/out" 2>&1
is "$(canaries "$TMP/out")" "9 absent" "without --canary the records carry no canary field"
is "$(mcp-probe -r eu-west-2 --canary "ftp://127.0.0.1/" "$FIX/open/mcp" 2>&1 >"$TMP/out"; echo "rc=$?"):$(wc -c <"$TMP/out")" \
    "mcp-probe: --canary: the URL must start with http:// or https://
rc=2:0" "--canary with another scheme: a usage error, nothing on stdout"
is "$(mcp-probe -r eu-west-2 --canary "$RECV/a" --canary "$RECV/b" "$FIX/open/mcp" 2>&1 >"$TMP/out"; echo "rc=$?"):$(wc -c <"$TMP/out")" \
    "mcp-probe: --canary: one canary a run
rc=2:0" "two --canary: a usage error, not the last one silently"

# --- one region, three slugs: the canary alone makes it a probe fault ---------
printf 'down-1 %s/mcp\ndown-2 %s/mcp\ndown-3 %s/mcp\n' "$DEAD" "$DEAD" "$DEAD" >"$TMP/down.targets"
mcp-probe -r solo -f "$TMP/down.targets" --canary "$DEAD/" >"$TMP/blind.jsonl" 2>"$TMP/err"
is "$?:$(jq -r 'select(.type == "result") | "\(.slug) \(.state) \(.canary)"' "$TMP/blind.jsonl" | sort | tr '\n' ' ')" \
    "1:down-1 broken fail down-2 broken fail down-3 broken fail " "a blind runner: every target broken, every record canary fail"
# The same failures from a runner whose canary passed, and healthy targets.
printf 'ctl-1 %s/mcp\nctl-2 %s/mcp\n' "$DEAD" "$DEAD" >"$TMP/ctl.targets"
mcp-probe -r other -f "$TMP/ctl.targets" --canary "$RECV/canary" >"$TMP/ctl.jsonl" 2>/dev/null
printf 'up-1 %s/open/mcp\nup-2 %s/open/mcp\n' "$FIX" "$FIX" >"$TMP/up.targets"
mcp-probe -r third -f "$TMP/up.targets" --canary "$RECV/canary" >"$TMP/up.jsonl" 2>/dev/null
cat "$TMP/blind.jsonl" "$TMP/ctl.jsonl" "$TMP/up.jsonl" | mcp-aggregate push 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "0:" "push: the records of the three runners"
W=$(jq -s 'map(.probe_started_at) | max | . / 60 | floor * 60' "$TMP/blind.jsonl" "$TMP/ctl.jsonl" "$TMP/up.jsonl")
is "$(redis-cli -s "$REDIS_SOCK" hget "mcp:canary:$W" solo):$(redis-cli -s "$REDIS_SOCK" hget "mcp:canary:$W" other)" "fail:ok" \
    "the window's canaries are kept by region (mcp:canary:W)"
MCP_NOW=$((W + 95)) mcp-aggregate verdict >"$TMP/v" 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "0:" "verdict: exit 0, quiet"
# vd SLUG: "verdict severity probe_fault failed_regions reporters" of SLUG's verdict.
vd() { jq -r --arg s "$1" 'select(.slug == $s) | "\(.verdict) \(.severity) pf=\(.probe_fault|join(",")) f=\(.failed_regions|join(",")) r=\(.reporters|join(","))"' "$TMP/v"; }
is "$(vd down-1)" "unknown stale pf=solo f= r=" \
    "a single region whose canary failed, three slugs: a probe fault, its failures count for nothing (no red)"
is "$(jq -c 'select(.slug == "down-2") | .probe_fault_detail' "$TMP/v")" \
    '[{"region":"solo","failed":0,"probed":3,"step":null,"canary":"fail"}]' \
    "the detail says it was the runner's own canary"
is "$(vd ctl-1)" "red alert pf=solo f=other r=other" \
    "the same failures from a runner whose canary passed: red, as a single region failing"
is "$(vd up-1)" "green ok pf=solo f= r=third" "a region whose canary passed and whose servers pass: green"
is "$(MCP_NOW=$((W + 95)) mcp-aggregate verdict -F 0 down-3 | jq -r '"\(.verdict) \(.probe_fault|join(","))"')" \
    "unknown solo" "-F 0 turns the comparison off, not the canary"
is "$(redis-cli -s "$REDIS_SOCK" hget "mcp:fault:$W" solo)" "3 0 1 - canary" \
    "the window's judgment keeps why the region is blind"

# --- mcp-alert: one probe-fault incident, which says it was the canary --------
printf 'route hook webhook %s/hook\n' "$RECV" >"$TMP/alert.conf"
chmod 600 "$TMP/alert.conf"
MCP_NOW=$((W + 95)) mcp-alert -c "$TMP/alert.conf" <"$TMP/v" >"$TMP/alerts" 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "0:" "mcp-alert over the window: exit 0, quiet"
is "$(jq -r 'select(.kind == "probe-fault") | "\(.event) \(.severity) \(.slug) \(.summary)"' "$TMP/alerts" | sed 's/since [0-9:]* UTC/since HH:MM UTC/')" \
    "trigger P2 solo probe solo blind since HH:MM UTC: its runner's own canary failed (3 slugs probed); its results are left out" \
    "one P2 probe-fault incident for the region, saying its runner's own canary failed"
is "$(jq -r 'select(.slug | startswith("down-")) | .slug' "$TMP/alerts" | wc -l)" 0 "no incident about the servers it could not reach"

# --- mcp-serve: the status page names the blind region ------------------------
serve() {
	env -i PATH="$PATH" ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
	    REQUEST_METHOD=GET MCP_REDIS="$MCP_REDIS" MCP_NOW=$((W + 100)) PATH_INFO="$1" \
	    mcp-serve </dev/null | sed '1,/^\r*$/d'
}
serve /status/down-1 >"$TMP/page.html"
is "$(grep -o '<p class="banner fault".*set aside[^<]*</p>' "$TMP/page.html")" \
    "<p class=\"banner fault\" role=\"note\">Probe fault in <span class=\"nw\">solo</span>: its results are set aside; no other region reports, so the server's state is not known.</p>" \
    "/status/SLUG: a banner names the blind region; no other region reports"
is "$(serve /api/embed-status/down-1 | jq -r .state)" pending "the server is pending, neither down nor degraded"
is "$(grep -c 'Probe fault in' <(serve /status/ctl-1))" 0 "no banner on the page of a server the blind region does not probe"

# --- a hostile canary value -----------------------------------------------------
gen -q -s hostile -r eu-west-2 -t "$(w 0)" | sed 's/"v":1,/"v":1,"canary":"maybe",/' >"$TMP/bad.jsonl"
gen -q -s hostile -r eu-west-2 -t "$(w 0)" | sed 's/"v":1,/"v":1,"canary":["fail"],/' >>"$TMP/bad.jsonl"
gen -q -s fine -r eu-west-2 -t "$(w 0)" | sed 's/"v":1,/"v":1,"canary":"ok",/' >>"$TMP/bad.jsonl"
MCP_NOW=$(($(w 0) + 30)) mcp-aggregate push -v <"$TMP/bad.jsonl" >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" '1:mcp-aggregate: stdin:1: bad canary "maybe": not ok or fail
mcp-aggregate: stdin:2: bad canary: not ok or fail
mcp-aggregate: push: 1 results stored, 0 duplicates ignored, 0 step records skipped, 2 bad lines, 0 spooled, 0 replayed from the spool' \
    "a canary that is not ok or fail: the record is reported by its line and skipped, exit 1"
is "$(res_regions hostile "$(w 0)")|$(res_regions fine "$(w 0)")|$(redis-cli -s "$REDIS_SOCK" hget "mcp:canary:$(w 0)" eu-west-2)" \
    "|eu-west-2 |ok" "nothing of the refused records is stored"

# Two runners of one region in one window, one of them blind: fail stands,
# whichever is pushed first, in one batch or in two.
for c in ok fail ok; do gen -q -s "mix-$c" -N 3 -r us-west-2 -t "$(w 0)" | sed "s/\"v\":1,/\"v\":1,\"canary\":\"$c\",/"; done >"$TMP/mix.jsonl"
MCP_NOW=$(($(w 0) + 30)) mcp-aggregate push <"$TMP/mix.jsonl" 2>"$TMP/err"
gen -q -s late -r ap-south-1 -t "$(w 0)" | sed 's/"v":1,/"v":1,"canary":"fail",/' | MCP_NOW=$(($(w 0) + 30)) mcp-aggregate push 2>>"$TMP/err"
gen -q -s late2 -r ap-south-1 -t "$(w 0)" | sed 's/"v":1,/"v":1,"canary":"ok",/' | MCP_NOW=$(($(w 0) + 30)) mcp-aggregate push 2>>"$TMP/err"
is "$(cat "$TMP/err")|$(redis-cli -s "$REDIS_SOCK" hget "mcp:canary:$(w 0)" us-west-2)|$(redis-cli -s "$REDIS_SOCK" hget "mcp:canary:$(w 0)" ap-south-1)" \
    "|fail|fail" "one failed canary of a region in a window stands against the ok ones, before or after it"

done_testing
