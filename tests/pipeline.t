#!/usr/bin/env bash
# pipeline.t - the whole chain on real components: mcp-probe against the SDK
# fixture from two regions, mcp-aggregate push and verdict through a private
# redis-server, mcp-alert delivering to the test receiver.  Windows are
# simulated through MCP_NOW; every request is real.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/alert-lib.sh"

start_redis
start_fixture
start_receiver
printf 'route hook webhook %s/hook\nnotify * always hook\n' "$RECV" >"$TMP/alert.conf" && chmod 600 "$TMP/alert.conf"

# minute K URL...: probe each SLUG=URL from two regions at the start of
# window K, push the results, decide window K's verdict, run mcp-alert.
minute() {
	local k=$1 t p
	shift
	t=$(w "$k")
	for p in "$@"; do
		for r in eu-west-2 us-east-1; do
			MCP_NOW=$((t + 1)) mcp-probe -r "$r" -s "${p%%=*}" -t 5 "${p#*=}"
		done
	done | MCP_NOW=$((t + 2)) mcp-aggregate push 2>>"$TMP/push.err"
	MCP_NOW=$((t + 95)) mcp-aggregate verdict >"$TMP/verdicts" 2>>"$TMP/verdict.err"
	cat "$TMP/verdicts" >>"$TMP/all-verdicts"
	MCP_NOW=$((t + 96)) mcp-alert -c "$TMP/alert.conf" <"$TMP/verdicts" >>"$TMP/alerts" 2>>"$TMP/alert.err"
}

for k in 0 1 2; do
	minute "$k" "ok=$FIX/open/mcp" "rl=$FIX/status429/mcp" "down=$FIX/status500/mcp" "blip=$FIX/open/mcp"
done
is "$(cat "$TMP/push.err" "$TMP/verdict.err" "$TMP/alert.err")" "" "three minutes of probes, pushes, verdicts and alerts: no message"
is "$(jq -r 'select(.window == '"$(w 2)"') | [.slug, .verdict, .severity, .step // "-", .error // "-", .host] | join(" ")' "$TMP/all-verdicts" | sort)" \
    "blip green ok - - 127.0.0.1
down red alert http http_5xx 127.0.0.1
ok green ok - - 127.0.0.1
rl red alert http http_429 127.0.0.1" "the verdicts carry the error code and the host"
like "$(jq -r 'select(.slug == "ok" and .window == '"$(w 2)"') | .latency_ms' "$TMP/all-verdicts")" '^[0-9]+$' \
    "and the latency of the window"
is "$(jq -r '[.event, .severity, .dedup_key, .kind // "-"] | join(" ")' "$TMP/alerts" | sort)" \
    "trigger P1 down:$(w 0) -
trigger P2 rl:rate-limited:$(w 0) rate-limited" "the third window: a P1 for the 5xx, a P2 of its own for the 429"
is "$(jq -r 'select(.path == "/hook") | .body | fromjson | .dedup_key' "$RECV_LOG" | sort | tr '\n' ' ')" \
    "down:$(w 0) rl:rate-limited:$(w 0) " "both delivered to the webhook"

# The read side's copy of the open incidents (mcp-alert(1), "Redis keys").
rc() { redis-cli -s "$REDIS_SOCK" "$@"; }
is "$(rc hget 'mcp:{down}:incident' down | jq -r '[.event, .severity, .dedup_key] | join(" ")')" \
    "trigger P1 down:$(w 0)" "the open incident is in mcp:{down}:incident, as its trigger record"
is "$(rc hkeys 'mcp:{rl}:incident')" "rate-limited" "one field per track: the 429s are rate-limited"
is "$(rc exists 'mcp:{ok}:incident' 'mcp:{ok}:incidents')" "0" "a healthy slug has neither key"

: >"$TMP/alerts"
# Fixed at window 3: the verdicts pass from window 3 on (a region fails by
# its latest result), and three passing windows resolve both tracks.
# blip answers 500 in both regions for one minute, window 3.
for k in 3 4 5 6 7; do
	b=open
	[ "$k" = 3 ] && b=status500
	minute "$k" "ok=$FIX/open/mcp" "rl=$FIX/open/mcp" "down=$FIX/open/mcp" "blip=$FIX/$b/mcp"
done
is "$(jq -r '[.event, .dedup_key, (.duration_s|tostring)] | join(" ")' "$TMP/alerts" | sort)" \
    "resolve down:$(w 0) 180
resolve rl:rate-limited:$(w 0) 180" "fixed: three passing windows resolve both, with the outage's own duration (3 windows)"
is "$(jq -r 'select(.path == "/hook") | .body | fromjson | .event' "$RECV_LOG" | sort | uniq -c | awk '{ print $2 "=" $1 }' | tr '\n' ' ')" \
    "resolve=2 trigger=2 " "the receiver got two triggers and two resolves, nothing else"
is "$(rc exists 'mcp:{down}:incident')" "0" "resolved: the open incident is gone"
is "$(jq -r 'select(.slug == "down") | .verdict' "$TMP/all-verdicts" | tr '\n' ' ')" \
    "red red red green green green green green " "down: red for its three failing minutes, green from the first it answers"
is "$(jq -r 'select(.slug == "blip") | .verdict' "$TMP/all-verdicts" | tr '\n' ' ')" \
    "green green green red green green green green " "a one-minute blip in both regions: red for one window"
is "$(jq -r 'select(.slug == "blip" and .window == '"$(w 7)"') | .uptime_30d' "$TMP/all-verdicts"):$(jq -r 'select(.slug == "down" and .window == '"$(w 7)"') | .uptime_30d' "$TMP/all-verdicts")" \
    "87.5:62.5" "uptime_30d agrees: 7 of 8 windows up for the blip, 5 of 8 for three dead minutes"
is "$(jq -r 'select(.slug == "blip") | .event' "$TMP/alerts" | sort -u)" "" "the blip pages nobody"
is "$(rc lrange 'mcp:{down}:incidents' 0 -1 | jq -r '[.event, .dedup_key, .duration_s, .layer] | join(" ")')" \
    "resolve down:$(w 0) 180 http" "and its resolve heads the slug's incident history, with its root layer"
like "$(rc ttl 'mcp:{down}:incidents')" '^77[0-9]{5}$' "kept 90 days"

done_testing
