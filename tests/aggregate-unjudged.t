#!/usr/bin/env bash
# aggregate-unjudged.t - a busy runner does not report working servers broken (issue 45, item 9)
# A fleet of working servers (tests/fixtures/many.mjs, every answer 300 ms
# away) and one server down, probed from two regions: a window with room
# for all, then a window whose runs have too few jobs and too short a
# deadline for the fleet (-j 2 -d 4).  What the runs could not judge is
# unjudged (CONTRACT §2), pushed into a real redis-server, and the verdict
# counts it as that region not reporting, never as a failure: every
# working server stays green, the server down in both regions is red, and
# each runner is told to be short: on its standard error, in the
# verdict's runner_short, and by mcp-alert's watchdog (runner-short).
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/aggregate-lib.sh
. "$TOP/tests/aggregate-lib.sh"

start_redis
export MCP_SPOOL=$TMP/spool
N=24
node "$TOP/tests/fixtures/many.mjs" --hosts "$N" --net 79 --delay 300 \
    --port-file "$TMP/port" >"$TMP/many.log" 2>&1 &
bg_pid $!
wait_file "$TMP/port" 300 || skip_all "many.mjs did not start: $(cat "$TMP/many.log")"
port=$(cat "$TMP/port")
CLOSED=$(free_port)
{
	for i in $(seq 0 $((N - 1))); do
		printf 'server-%02d http://127.79.0.%d:%s/mcp\n' "$i" $((i + 1)) "$port"
	done
	echo "down http://127.0.0.1:$CLOSED/mcp"
} >"$TMP/fleet"
REGIONS="eu-west-2 us-east-1"

# run K FLAGS...: each region probes the fleet as window K's run and pushes.
run() {
	local k=$1 r
	shift
	for r in $REGIONS; do
		MCP_NOW=$(($(w "$k") + 5)) mcp-probe -r "$r" "$@" -f "$TMP/fleet" >"$TMP/p.$k.$r" 2>"$TMP/e.$k.$r"
		echo "$?" >"$TMP/rc.$k.$r"
		MCP_NOW=$(($(w "$k") + 30)) mcp-aggregate push -r "$r" <"$TMP/p.$k.$r" 2>>"$TMP/push.err" ||
		    echo "push $k $r: $?" >>"$TMP/push.err"
	done
	MCP_NOW=$(($(w "$k") + 95)) mcp-aggregate verdict >"$TMP/v.$k" 2>>"$TMP/verdict.err" ||
	    echo "verdict $k: $?" >>"$TMP/verdict.err"
}
: >"$TMP/push.err"
: >"$TMP/verdict.err"
# states K REGION: the distinct states of the working servers' results, counted.
states() {
	jq -r 'select(.type == "result" and .slug != "down") | "\(.state) \(.error.code)"' "$TMP/p.$1.$2" |
	    sort | uniq -c | sed 's/^ *//' | tr '\n' ' '
}
# vd K: the distinct "verdict severity failed_regions" of the working servers in window K.
vd() { grep -v '"slug":"down"' "$TMP/v.$1" | jq -r '"\(.verdict) \(.severity) f=\(.failed_regions | join(","))"' | sort | uniq -c | sed 's/^ *//'; }

# --- window 0: room for all -----------------------------------------------------
run 0 -j 32
is "$(states 0 eu-west-2)$(states 0 us-east-1)" "$N healthy null $N healthy null " "window 0: every working server healthy in both regions"
is "$(cat "$TMP/e.0.eu-west-2" "$TMP/e.0.us-east-1")" "" "nothing unjudged, nothing said"
is "$(vd 0)" "$N green ok f=" "window 0: every working server green"
is "$(jq -r 'select(.slug == "down") | "\(.verdict) \(.step) \(.failed_regions | join(","))"' "$TMP/v.0")" \
    "red connect eu-west-2,us-east-1" "the server down in both regions is red"

# --- window 1: too few jobs and too short a deadline for the fleet ----------------
run 1 -j 2 -d 4
is "$(cat "$TMP/rc.1.eu-west-2") $(cat "$TMP/rc.1.us-east-1")" "1 1" "each short run exits 1: targets unjudged"
for r in $REGIONS; do
	uj=$(jq -r 'select(.type == "result" and .state == "unjudged") | .slug' "$TMP/p.1.$r" | wc -l)
	ok "$([ "$uj" -ge 5 ] && echo 0 || echo 1)" "$r: the run could not judge most of the fleet ($uj unjudged)"
	like "$(states 1 "$r")" "^([0-9]+ healthy null )?([0-9]+ unjudged (not_started|run_ended) )+$" \
	    "$r: every working server healthy or unjudged, not one broken"
	is "$(jq -r 'select(.type == "result" and .state == "unjudged") | "\(.failed_step) \(.error.code | test("^(not_started|run_ended)$"))"' "$TMP/p.1.$r" | sort -u)" \
	    "null true" "$r: unjudged results name no failed step, and say why"
	like "$(sed -n 1p "$TMP/e.1.$r")" "^mcp-probe: $uj of $((N + 1)) targets unjudged, the runner's limit and not the servers' failure: [0-9]+ not started, 0 ended to make room, [0-9]+ ended by the run's end \(the run's deadline \(-d 4\) came first\)$" \
	    "$r: the run counts them on stderr"
	like "$(sed -n 2p "$TMP/e.1.$r")" "^mcp-probe: the runner is short: [0-9]+ % of its $((N + 1)) targets unjudged \(more than 10 %\); too many targets for -j 2 in the run's 4 s: raise -j or -d; -d 4 leaves less than the targets' timeout \(30 s\) and 2 s: raise -d or lower -t$" \
	    "$r: and says the runner is short, and why"
done
is "$(cat "$TMP/push.err" "$TMP/verdict.err")" "" "push and verdict: quiet, the unjudged results taken"
MCP_NOW=$(($(w 1) + 30)) mcp-aggregate push -v -r eu-west-2 <"$TMP/p.1.eu-west-2" 2>"$TMP/push.again"
like "$(cat "$TMP/push.again")" "push: 0 results stored, $((N + 1)) duplicates ignored, " \
    "pushed again: every result, unjudged ones too, a duplicate: the first writer of its window stands"
is "$(vd 1)" "$N green ok f=" \
    "window 1: every working server still green: an unjudged result is its region not reporting, never a failure"
is "$(jq -r 'select(.slug == "down") | "\(.verdict) \(.failed_regions | join(","))"' "$TMP/v.1")" \
    "red eu-west-2,us-east-1" "the server down in both regions is still red"

# A record that breaks the rule of the state is refused, and named.
rec=$(jq -c 'select(.type == "result" and .state == "unjudged")' "$TMP/p.1.eu-west-2" | head -1)
{
	jq -c '.error.code = "tired"' <<<"$rec"
	jq -c '.failed_step = "dns"' <<<"$rec"
	jq -c 'del(.error)' <<<"$rec"
} | MCP_NOW=$(($(w 1) + 30)) mcp-aggregate push -r eu-west-2 >/dev/null 2>"$TMP/bad.err"
is "$?:$(cat "$TMP/bad.err")" '1:mcp-aggregate: stdin:1: bad error.code "tired": an unjudged result says not_started, evicted or run_ended
mcp-aggregate: stdin:2: bad failed_step "dns": only a broken result has one
mcp-aggregate: stdin:3: bad error.code: an unjudged result says not_started, evicted or run_ended' \
    "an unjudged result without its reason, or naming a failed step, is refused (exit 1)"

# The store: unjudged results kept apart, the runs' counts by region and window.
uj_eu=$(jq -r 'select(.type == "result" and .state == "unjudged") | .slug' "$TMP/p.1.eu-west-2" | wc -l)
h=$(($(w 1) / 3600))
is "$(redis-cli -s "$REDIS_SOCK" --scan --pattern "mcp:{*}:uj:$h" | wc -l)" \
    "$(cat "$TMP/p.1.eu-west-2" "$TMP/p.1.us-east-1" | jq -r 'select(.type == "result" and .state == "unjudged") | .slug' | sort -u | wc -l)" \
    "push kept each unjudged slug's mark in mcp:{SLUG}:uj:HOUR"
is "$(redis-cli -s "$REDIS_SOCK" hget "mcp:runs:$(w 1)" eu-west-2:n)" $((N + 1)) "mcp:runs:W counts the region's results"
is "$(redis-cli -s "$REDIS_SOCK" hmget "mcp:runs:$(w 1)" eu-west-2:not_started eu-west-2:run_ended | awk '{ s += $1 } END { print s }')" \
    "$uj_eu" "and its unjudged ones by reason"

# An unjudged result for a window its region has judged already is a
# duplicate, as any second result of the window: answered so, counted nowhere.
jq -c 'select(.type == "result" and .state == "healthy") | .state = "unjudged" | .failed_step = null |
    .tool_hash = null | .error = {code: "evicted", message: "ended to make room"}' "$TMP/p.1.eu-west-2" | head -1 |
    MCP_NOW=$(($(w 1) + 30)) mcp-aggregate push -v -r eu-west-2 2>"$TMP/push.late"
like "$(cat "$TMP/push.late")" "push: 0 results stored, 1 duplicates ignored, " \
    "an unjudged result after its region's real one of the window: a duplicate"
is "$(redis-cli -s "$REDIS_SOCK" hmget "mcp:runs:$(w 1)" eu-west-2:n eu-west-2:evicted | tr '\n' ' ')" "$((N + 1))  " \
    "and not counted among the region's results or its unjudged ones"

# mcp-aggregate status: the slugs, then the runners of the window.
MCP_NOW=$(($(w 1) + 95)) mcp-aggregate status >"$TMP/status" 2>&1
is "$(grep -c '^server-.* up ' "$TMP/status")" "$N" "status: every working server up"
like "$(grep '^eu-west-2 ' "$TMP/status")" "^eu-west-2 +$((N + 1)) +$uj_eu +[0-9]+ +0 +[0-9]+ +short: too few jobs or too short a deadline$" \
    "status shows each region's results and unjudged ones of the window, by reason, and that it is short"

# A second run of the same window, with room: its real results take the
# slots the unjudged ones left empty (the first writer of a slot wins).
slug=$(jq -r 'select(.type == "result" and .state == "unjudged" and .slug != "down") | .slug' "$TMP/p.1.eu-west-2" | head -1)
why=$(jq -r --arg s "$slug" 'select(.type == "result" and .slug == $s) | .error.code' "$TMP/p.1.eu-west-2")
is "$(MCP_NOW=$(($(w 1) + 20)) mcp-aggregate results "$slug" "$(w 1)" "$(w 1)" | awk '$2 == "eu-west-2" { print $3, $4 }')" \
    "unjudged $why" "mcp-aggregate results shows the region's unjudged result of the window, and why"
MCP_NOW=$(($(w 1) + 20)) mcp-probe -r eu-west-2 -j 32 -f "$TMP/fleet" >"$TMP/p.1b" 2>/dev/null
MCP_NOW=$(($(w 1) + 40)) mcp-aggregate push -v -r eu-west-2 <"$TMP/p.1b" 2>"$TMP/push.1b"
like "$(cat "$TMP/push.1b")" "push: [1-9][0-9]* results stored" "a later run's real results of the same window are stored"
is "$(MCP_NOW=$(($(w 1) + 40)) mcp-aggregate results "$slug" "$(w 1)" "$(w 1)" | awk '$2 == "eu-west-2" { print substr($4, 1, 1) }')" \
    h "$slug: the real (healthy) result stands where the unjudged one was not written"

# --- the verdict names the short runners, and the watchdog tells the operator ------
rs() { jq -c 'select(.slug == "server-00") | .runner_short | map({region, short: (.unjudged * 100 > .results * 10)})' "$TMP/v.$1"; }
is "$(rs 1)" '[{"region":"eu-west-2","short":true},{"region":"us-east-1","short":true}]' \
    "the verdict of window 1 names both short runners in runner_short"
is "$(jq -r 'select(.slug == "server-00") | .runner_short[0] | "\(.region) \(.results) \(.unjudged) \(.not_started + .evicted + .run_ended)"' "$TMP/v.1")" \
    "eu-west-2 $((N + 1)) $uj_eu $uj_eu" "with the figures: results, unjudged, and each reason"
is "$(jq -c 'select(.slug == "server-00") | has("runner_short")' "$TMP/v.0")" false "window 0: no runner short, no field"

: >"$TMP/alert.conf"
chmod 600 "$TMP/alert.conf"
: >"$TMP/alert.err"
for k in 0 1; do
	MCP_NOW=$(($(w "$k") + 95)) mcp-alert -c "$TMP/alert.conf" <"$TMP/v.$k" >"$TMP/a.$k" 2>>"$TMP/alert.err" ||
	    echo "mcp-alert $k: $?" >>"$TMP/alert.err"
done
is "$(cat "$TMP/alert.err")" "" "mcp-alert over windows 0-1: quiet"
is "$(jq -r 'select(.kind == "runner-short") | "\(.event) \(.severity) \(.slug) \(.regions | join(","))"' "$TMP/a.1" | sort)" \
    "trigger P2 eu-west-2 eu-west-2
trigger P2 us-east-1 us-east-1" "the watchdog opens one runner-short P2 for each short region"
like "$(jq -r 'select(.kind == "runner-short" and .slug == "eu-west-2") | .summary' "$TMP/a.1")" \
    "^runner eu-west-2 short since [0-9:]+ UTC: $uj_eu of $((N + 1)) results unjudged \([0-9]+ not started, 0 ended to make room, [0-9]+ ended by the run's end\): too few jobs \(-j\) or too short a deadline \(-d\) for its targets; its unjudged results are left out$" \
    "its summary names the figures and what to raise"
is "$(MCP_NOW=$(($(w 1) + 95)) mcp-alert -c "$TMP/alert.conf" incidents | awk '$2 == "runner-short" { print $1 }' | tr '\n' ' ')" \
    "eu-west-2 us-east-1 " "mcp-alert incidents lists them"

# --- window 2: room again: the runners judge their fleet, the incidents resolve ---
run 2 -j 32
is "$(vd 2)" "$N green ok f=" "window 2: every working server green"
MCP_NOW=$(($(w 2) + 95)) mcp-alert -c "$TMP/alert.conf" <"$TMP/v.2" >"$TMP/a.2" 2>>"$TMP/alert.err"
is "$(jq -r 'select(.kind == "runner-short") | "\(.event) \(.slug)"' "$TMP/a.2" | sort)" \
    "resolve eu-west-2
resolve us-east-1" "each runner-short incident resolves in the first window the region is not short"
like "$(jq -r 'select(.kind == "runner-short" and .slug == "us-east-1") | .summary' "$TMP/a.2")" \
    "^runner us-east-1 judges its targets again after " "saying so"
is "$(jq -r 'select(.slug | startswith("server-")) | .slug' "$TMP/a.0" "$TMP/a.1" "$TMP/a.2" | wc -l)" 0 \
    "nothing about the working servers"

# --- windows 3-10: eu-west-2 runs every window but judges nothing ------------------
# A runner that pushes every minute and can judge none of its targets is
# short, one runner-short incident: not also "silent" (no result for any
# slug), which sends the operator after a runner that is running.
for k in 3 4 5 6 7 8 9 10; do
	for r in $REGIONS; do
		jq -c --argjson d $((60 * (k - 2))) --arg r "$r" 'select(.type == "result") |
		    .probe_started_at += $d |
		    if $r == "eu-west-2" then .state = "unjudged" | .failed_step = null | .tool_hash = null |
		        .cert_expires_at = null | .error = {code: "not_started", message: "not started"} else . end' \
		    "$TMP/p.2.$r" | MCP_NOW=$(($(w "$k") + 30)) mcp-aggregate push -r "$r" 2>>"$TMP/push.err"
	done
	MCP_NOW=$(($(w "$k") + 95)) mcp-aggregate verdict >"$TMP/v.$k" 2>>"$TMP/verdict.err"
	MCP_NOW=$(($(w "$k") + 95)) mcp-alert -c "$TMP/alert.conf" <"$TMP/v.$k" >"$TMP/a.$k" 2>>"$TMP/alert.err"
done
is "$(cat "$TMP/push.err" "$TMP/verdict.err" "$TMP/alert.err")" "" "windows 3-10, eu-west-2 judging nothing: quiet"
is "$(for k in 3 4 5 6 7 8 9 10; do jq -r 'select(.slug | startswith("server-") | not) | "\(.event) \(.severity) \(.kind) \(.slug)"' "$TMP/a.$k"; done)" \
    "trigger P2 runner-short eu-west-2" \
    "a runner that judges nothing in eight windows: one runner-short incident, not runner-silent as well"

done_testing
