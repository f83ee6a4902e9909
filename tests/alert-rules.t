#!/usr/bin/env bash
# alert-rules.t - mcp-alert's tracks beside downtime and its clock: 429,
# cold start, post-maintenance, escalation steps, latency, error rate, and
# routing by time of day, against a private redis-server and the test
# receiver (tests/fixtures/receiver.mjs).
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/alert-lib.sh"

start_redis
start_receiver
AT=$(w 1000)
export MCP_NOW=$AT

# events: "event severity dedup_key" of each record of $TMP/out.
events() { jq -r '[.event, .severity, .dedup_key] | join(" ")' "$TMP/out"; }
# got PATH: the "event_action dedup_key" or "event dedup_key" of what the receiver got at PATH.
got() {
	jq -r --arg p "$1" 'select(.path == $p) | .body | fromjson |
	    if .event_action then "\(.event_action) \(.dedup_key)" else "\(.event) \(.dedup_key)" end' "$RECV_LOG"
}

# --- 429 ---------------------------------------------------------------------
{
	VD_EXTRA=',"error":"http_429"' red z1 0 1 http
	green z1 2 2
	VD_EXTRA=',"error":"http_429"' red z1 3 4 http
} >"$TMP/in"
is "$(ma):$(cat "$TMP/out" "$TMP/err")" "0:" "429 twice, a pass, 429 twice: nothing"
{
	VD_EXTRA=',"error":"http_429"' red z1 5 5 http
	green z1 6 8
} >"$TMP/in"
is "$(ma):$(cat "$TMP/err")" "0:" "a third 429 in a row, then 3 passing windows: exit 0"
is "$(events)" "trigger P2 z1:rate-limited:$(w 3)
resolve P2 z1:rate-limited:$(w 3)" "429 ×3: one P2 of its own kind, resolved"
is "$(jq -r 'select(.event == "trigger") | .summary + " | " + .kind' "$TMP/out")" \
    "z1: rate limited (http_429) at http in 3 consecutive windows | rate-limited" "the P2 says why"
{
	VD_EXTRA=',"error":"http_429"' red z2 0 5 http
	red z2 6 8 http
} >"$TMP/in"
ma >/dev/null
is "$(events)" "trigger P2 z2:rate-limited:$(w 0)
trigger P1 z2:$(w 6)
resolve P2 z2:rate-limited:$(w 0)" "429 is never downtime: downtime starts at the first real failure, and ends the 429 P2"

# --- failing_now: downtime is confirmed on failures that are still there -------
# now SLUG K VERDICT SEVERITY STEP FAILED NOW: a verdict with failing_now.
now() { VD_EXTRA=",\"failing_now\":$(jarr "$7")" vd "$@"; }
{
	# One lost probe in eu-west-2: failing for the 3 windows of the lookback.
	now n1 0 amber regional connect eu-west-2 eu-west-2
	now n1 1 amber regional connect eu-west-2 ''
	now n1 2 amber regional connect eu-west-2 ''
	green n1 3 3
	# One lost probe in each of three regions, in three windows in a row.
	now n2 0 amber regional connect eu-west-2 eu-west-2
	now n2 1 red alert connect "eu-west-2 us-east-1" us-east-1
	now n2 2 red outage connect "eu-west-2 sa-east-1 us-east-1" sa-east-1
	now n2 3 red alert connect "sa-east-1 us-east-1" ''
	now n2 4 amber regional connect sa-east-1 ''
	green n2 5 5
} >"$TMP/in"
is "$(ma):$(cat "$TMP/out" "$TMP/err")" "0:" \
    "lost probes, one region at a time, even three at once in the lookback: no page"
{
	now n3 0 amber regional connect eu-west-2 eu-west-2
	now n3 1 amber regional connect eu-west-2 eu-west-2
	now n3 2 amber regional connect eu-west-2 eu-west-2
} >"$TMP/in"
is "$(ma):$(events)" "0:trigger P2 n3:$(w 0)" "one region failing 3 windows in a row: a P2 from its first"
# An outage opens at the fail_windows-th window like any downtime (issue 26):
# the regions' agreement sets the severity, not the speed.
{
	# A one-minute restart seen by all five regions: failing in the lookback
	# for 3 windows, failing now in one.
	now b1 0 red outage connect "$ALL" "$ALL"
	now b1 1 red outage connect "$ALL" ''
	now b1 2 red outage connect "$ALL" ''
	green b1 3 3
	# Two minutes: still no page.
	now b2 0 red outage connect "$ALL" "$ALL"
	now b2 1 red outage connect "$ALL" "$ALL"
	now b2 2 red outage connect "$ALL" ''
	now b2 3 red outage connect "$ALL" ''
	green b2 4 4
} >"$TMP/in"
is "$(ma):$(cat "$TMP/out" "$TMP/err")" "0:" "a one- and a two-minute blip in five regions: no page"
now n4 0 red outage connect "eu-west-2 sa-east-1 us-east-1" "eu-west-2 sa-east-1 us-east-1" >"$TMP/in"
is "$(ma):$(events)" "0:" "three regions failing the step now: an outage, not yet a page"
now n4 1 red outage connect "eu-west-2 sa-east-1 us-east-1" "eu-west-2 sa-east-1 us-east-1" >"$TMP/in"
is "$(ma):$(events)" "0:" "its second window: not yet"
now n4 2 red outage connect "eu-west-2 sa-east-1 us-east-1" "eu-west-2 sa-east-1 us-east-1" >"$TMP/in"
is "$(ma):$(events)" "0:trigger P1 n4:$(w 0)" "its third window: P1, from the first"
printf 'outage_windows 1\n' >"$TMP/fast.conf"
now n9 0 red outage connect "$ALL" "$ALL" >"$TMP/in"
is "$(ma -c "$TMP/fast.conf"):$(events)" "0:trigger P1 n9:$(w 0)" "outage_windows 1: an outage pages at once"
now n10 0 red alert connect "eu-west-2 us-east-1" "eu-west-2 us-east-1" >"$TMP/in"
is "$(ma -c "$TMP/fast.conf"):$(events)" "0:" "outage_windows 1: two regions are no outage, no page yet"
printf 'fail_windows 2\noutage_windows 3\n' >"$TMP/bad.conf"
: >"$TMP/in"
is "$(ma -c "$TMP/bad.conf"):$(cat "$TMP/err")" \
    "2:mcp-alert: $TMP/bad.conf: outage_windows (3) is more than fail_windows (2)" "outage_windows above fail_windows: refused"
{
	now n5 0 red outage connect "$ALL" "$ALL"
	now n5 1 red outage connect "$ALL" "$ALL"
	now n5 2 red outage connect "$ALL" "$ALL"
	now n5 3 red outage connect "$ALL" ''
	now n5 4 red outage connect "$ALL" ''
	now n5 5 red alert connect "eu-west-2 us-east-1" ''
	green n5 6 6
} >"$TMP/in"
ma >/dev/null
is "$(jq -r '"\(.event) \(.severity) \(.duration_s // "-")"' "$TMP/out" | tr '\n' ' ')" "trigger P1 - resolve P1 180 " \
    "recovered from the first window no region fails now: 3 minutes, not the lookback's 5"
{
	now n6 0 amber regional tls us-east-1 us-east-1
	now n6 1 amber regional tls us-east-1 us-east-1
	now n6 2 amber regional tls us-east-1 us-east-1
	now n6 3 red alert tls "eu-west-2 us-east-1" us-east-1
	now n6 4 red alert tls "eu-west-2 us-east-1" "eu-west-2 us-east-1"
} >"$TMP/in"
ma >/dev/null
is "$(events | tr '\n' ' ')" "trigger P2 n6:$(w 0) escalate P1 n6:$(w 0) " \
    "a second region's lost probe does not make a regional P2 a P1; failing with it now does"
{
	now n8 0 amber regional connect eu-west-2 eu-west-2
	VD_EXTRA=',"error":"http_429","failing_now":["eu-west-2"]' vd n8 1 amber regional http eu-west-2
	now n8 2 amber regional connect eu-west-2 eu-west-2
} >"$TMP/in"
is "$(ma):$(events)" "0:" "a 429 window does not advance a region's run: two real failures, no page"
now n8 3 amber regional connect eu-west-2 eu-west-2 >"$TMP/in"
is "$(ma):$(events)" "0:trigger P2 n8:$(w 0)" "nor break it: the third opens the incident, from the run's first window"
VD_EXTRA=',"failing_now":["Bad Region"]' vd n7 0 amber regional connect eu-west-2 >"$TMP/in"
is "$(ma):$(cat "$TMP/err")" '1:mcp-alert: stdin:1: failing_now[0]: bad region "Bad Region": not [a-z0-9._-]{1,80}' \
    "failing_now is checked as every list of regions"

# --- the worst of the run, a window from the future ------------------------------
{
	red v1 0 1 connect
	vd v1 2 amber regional connect us-east-1
} >"$TMP/in"
is "$(ma):$(events)" "0:trigger P1 v1:$(w 0)" "red, red, then amber: the run's worst severity, P1"
{
	green v2 0 0
	vd v2 100000000 green ok - ''
	red v2 1 3 http
} >"$TMP/in"
is "$(ma):$(events)" "1:trigger P1 v2:$(w 1)" "a window far in the future: refused (exit 1), the slug not silenced"
is "$(cat "$TMP/err")" "mcp-alert: stdin:2: window $(w 100000000) is more than 300 s ahead of the clock" \
    "and reported with its line"

# --- cold start --------------------------------------------------------------
VD_EXTRA=',"host":"mcp-demo.vercel.app"' red s1 0 2 http >"$TMP/in"
is "$(ma):$(cat "$TMP/out" "$TMP/err")" "0:" "a serverless host never seen: its first failure does not count"
VD_EXTRA=',"host":"mcp-demo.vercel.app"' red s1 3 3 http >"$TMP/in"
is "$(ma):$(events)" "0:trigger P1 s1:$(w 1)" "the fourth window opens it, from the second"
VD_EXTRA=',"host":"api.example.com"' red s2 0 2 http >"$TMP/in"
is "$(ma):$(events)" "0:trigger P1 s2:$(w 0)" "any other host: 3 windows"
{
	VD_EXTRA=',"host":"x.onrender.com"' green s3 0 4
	VD_EXTRA=',"host":"x.onrender.com"' red s3 5 7 http
	VD_EXTRA=',"host":"fn.lambda-url.eu-west-1.on.aws"' green s4 0 0
	VD_EXTRA=',"host":"fn.lambda-url.eu-west-1.on.aws"' vd s4 1 unknown stale - '' ''
	VD_EXTRA=',"host":"fn.lambda-url.eu-west-1.on.aws"' red s4 15 18 http
} >"$TMP/in"
is "$(ma):$(events)" "0:trigger P1 s3:$(w 5)
trigger P1 s4:$(w 16)" "not idle: counts; idle 15 minutes on Lambda: the first failure does not"

# --- maintenance that the outage outlasts --------------------------------------
: >"$TMP/in"
ma maint add m5 --force --start "$(w 0)" --end "$(w 30)" --reason deploy >/dev/null
red m5 10 40 http >"$TMP/in"
is "$(ma):$(cat "$TMP/err")" "0:" "an outage from minute 10 to 40 of a window ending at 30: exit 0"
is "$(events)" "suppressed P1 m5:$(w 10)
trigger P1 m5:$(w 10)" "suppressed inside, then one post-maintenance trigger, same incident"
is "$(jq -r 'select(.event == "trigger") | .summary' "$TMP/out")" \
    "m5: http failing in 2 regions (post-maintenance: still failing 5 minutes after the window ended)" \
    "5 minutes after the window's end, it says so"
green m5 41 43 >"$TMP/in"
is "$(ma):$(events)" "0:resolve P1 m5:$(w 10)" "its recovery is announced"
: >"$TMP/in"
ma maint add m6 --force --start "$(w 0)" --end "$(w 30)" --reason deploy >/dev/null
{
	red m6 10 33 http
	green m6 34 36
} >"$TMP/in"
is "$(ma):$(events)" "0:suppressed P1 m6:$(w 10)
suppressed P1 m6:$(w 10)" "recovered within 5 minutes of the end: only suppressed records"

# An incident announced before a window starts: its resolve still goes out.
printf 'route hook webhook %s/m7\n' "$RECV" >"$TMP/m7.conf"
red m7 0 2 http >"$TMP/in"
ma -R "$MCP_REDIS?db=1" -c "$TMP/m7.conf" >/dev/null
: >"$TMP/in"
ma maint add m7 --start "$(w 3)" --end "$(w 60)" --reason fix >/dev/null
{
	red m7 3 10 http
	green m7 11 13
} >"$TMP/in"
is "$(ma -R "$MCP_REDIS?db=1" -c "$TMP/m7.conf"):$(events)" "0:resolve P1 m7:$(w 0)" \
    "an incident announced before the window: its resolve is not held back"
is "$(got /m7 | tr '\n' ' ')" "trigger m7:$(w 0) resolve m7:$(w 0) " "the receiver hears it ended"

# --- routes: escalation steps, time of day -------------------------------------
cat >"$TMP/esc.conf" <<CONF
route primary webhook $RECV/primary
route sms     webhook $RECV/sms
route second  webhook $RECV/second
route pd      pagerduty $TMP/pd.key $RECV/pd/v2/enqueue
business_hours Mon-Fri 09:00-18:00 Europe/London
notify P1 business primary
notify P1 after-hours pd
notify P2,P3 always primary
escalate 5m  sms
escalate 15m second
CONF
(umask 077 && echo pd-routing-key-0000 >"$TMP/pd.key")
red e1 0 2 connect >"$TMP/in"
T=$(w 3) # Tuesday 2026-11-24 16:03 UTC, 16:03 in London: business hours
MCP_NOW=$T ma -R "$MCP_REDIS?db=2" -c "$TMP/esc.conf" >/dev/null
is "$(events)" "trigger P1 e1:$(w 0)" "a P1 in business hours"
is "$(got /primary)" "trigger e1:$(w 0)" "goes to the primary route"
: >"$TMP/in"
MCP_NOW=$((T + 299)) ma -R "$MCP_REDIS?db=2" -c "$TMP/esc.conf" >/dev/null
is "$(cat "$TMP/out")" "" "T+4:59, no verdict: nothing"
MCP_NOW=$((T + 300)) ma -R "$MCP_REDIS?db=2" -c "$TMP/esc.conf" >/dev/null
is "$(jq -r '[.event, .severity, .dedup_key, (.escalation|tostring), .summary] | join(" | ")' "$TMP/out")" \
    "escalate | P1 | e1:$(w 0) | 1 | e1: P1 unacknowledged for 5 minutes; escalation step 1 of 2" \
    "T+5, unacknowledged, on the clock alone: step 1"
is "$(got /sms)" "escalate e1:$(w 0)" "to the sms route"
MCP_NOW=$((T + 600)) ma -R "$MCP_REDIS?db=2" -c "$TMP/esc.conf" >/dev/null
is "$(cat "$TMP/out")" "" "T+10: nothing new"
MCP_NOW=$((T + 900)) ma -R "$MCP_REDIS?db=2" -c "$TMP/esc.conf" >/dev/null
is "$(jq -r '.escalation' "$TMP/out"):$(got /second)" "2:escalate e1:$(w 0)" "T+15: step 2, to the secondary route"
MCP_NOW=$((T + 3600)) ma -R "$MCP_REDIS?db=2" -c "$TMP/esc.conf" >/dev/null
is "$(cat "$TMP/out")" "" "no step after the last"
green e1 3 5 >"$TMP/in"
MCP_NOW=$((T + 3660)) ma -R "$MCP_REDIS?db=2" -c "$TMP/esc.conf" >/dev/null
is "$(got /primary | tail -1):$(got /sms | tail -1):$(got /second | tail -1)" \
    "resolve e1:$(w 0):resolve e1:$(w 0):resolve e1:$(w 0)" "the resolve reaches every route told of the incident"

red e2 0 2 connect >"$TMP/in"
MCP_NOW=$T ma -R "$MCP_REDIS?db=2" -c "$TMP/esc.conf" >/dev/null
: >"$TMP/in"
MCP_NOW=$((T + 120)) ma -R "$MCP_REDIS?db=2" -c "$TMP/esc.conf" ack "e2:$(w 0)" >/dev/null
is "$(events)" "acknowledge P1 e2:$(w 0)" "ack at T+2"
for s in 300 900 1800; do MCP_NOW=$((T + s)) ma -R "$MCP_REDIS?db=2" -c "$TMP/esc.conf" >/dev/null; done
is "$(got /sms | grep -c e2):$(got /second | grep -c e2)" "0:0" "acknowledged: no escalation step"

# After hours in London (20:00 UTC is 20:00 GMT): PagerDuty, which escalates alone.
red e3 0 2 connect >"$TMP/in"
N=$((T + 4 * 3600))
MCP_NOW=$N ma -R "$MCP_REDIS?db=2" -c "$TMP/esc.conf" >/dev/null
is "$(got /pd/v2/enqueue):$(got /primary | grep -c e3)" "trigger e3:$(w 0):0" "after hours: PagerDuty, not primary"
: >"$TMP/in"
MCP_NOW=$((N + 900)) ma -R "$MCP_REDIS?db=2" -c "$TMP/esc.conf" >/dev/null
is "$(cat "$TMP/out"):$(got /sms | grep -c e3)" ":0" "routes with their own escalation get no steps"
red e4 0 2 tools_list us-east-1 >"$TMP/in"
MCP_NOW=$N ma -R "$MCP_REDIS?db=2" -c "$TMP/esc.conf" >/dev/null
is "$(events):$(got /primary | grep e4)" "trigger P2 e4:$(w 0):trigger e4:$(w 0)" "P2 after hours: the always line"

# --- latency ------------------------------------------------------------------
# The baseline is the mean of 30 days; 100 samples make one here.
printf 'latency_min_samples 100\n' >"$TMP/lat.conf"
{
	VD_EXTRA=',"latency_ms":100' green l1 0 99
	VD_EXTRA=',"latency_ms":350' green l1 100 101
	VD_EXTRA=',"latency_ms":100' green l1 102 102
	VD_EXTRA=',"latency_ms":350' green l1 103 105
	VD_EXTRA=',"latency_ms":100' green l1 106 108
} >"$TMP/in"
is "$(ma -c "$TMP/lat.conf"):$(cat "$TMP/err")" "0:" "latency: exit 0"
is "$(events)" "trigger P3 l1:latency:$(w 103)
resolve P3 l1:latency:$(w 103)" "3 windows above 3× the baseline: one P3; 3 normal ones resolve it"
like "$(jq -r 'select(.event == "trigger") | .summary' "$TMP/out")" \
    "^l1: latency 350 ms, above 3 times the 30-day baseline of 1[0-9][0-9] ms" "the P3 names latency and baseline"

# One number cannot blind the track: 1e308 is refused, and a window at the
# bound (an hour) joins the baseline at the line, 3 times it, not as itself.
{
	VD_EXTRA=',"latency_ms":100' green l2 0 99
	VD_EXTRA=',"latency_ms":1e308' green l2 100 100
	VD_EXTRA=',"latency_ms":3600000' green l2 101 101
	VD_EXTRA=',"latency_ms":350' green l2 102 104
} >"$TMP/in"
is "$(ma -c "$TMP/lat.conf"):$(cat "$TMP/err")" \
    "1:mcp-alert: stdin:101: latency_ms 1e+308: out of range (0 to 3600000)" \
    "latency_ms 1e308: refused, naming the field and the line"
is "$(events)" "trigger P3 l2:latency:$(w 101)" "an hour's latency once: the slow windows after it still alert"

# --- error rate -----------------------------------------------------------------
printf 'error_rate_min 20\nerror_rate 10\n' >"$TMP/er.conf"
{
	for i in $(seq 0 5 35); do
		red r9 "$i" "$i" http
		green r9 $((i + 1)) $((i + 4))
	done
} >"$TMP/in"
is "$(ma -c "$TMP/er.conf"):$(events)" "0:trigger P3 r9:error-rate:$(w 19)" \
    "one window in five failing, never 3 in a row: no downtime; at 20 windows, one error-rate P3"
like "$(jq -r .summary "$TMP/out")" '^r9: 20.0% of probes failing over the last 24 hours \(threshold 10%\)$' \
    "it gives the rate and the threshold"

# --- the state as stored (issue 48): the fields that changed ------------------
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }
green st1 0 0 >"$TMP/in"
ma >/dev/null
is "$(rcli hkeys 'mcp:{st1}:alert' | sort | tr '\n' ' ')" "ebk last seen " \
    "a slug seen passing once: only the fields that hold something are stored"
# A state as the build before issue 48 wrote it, all sixteen fields, a
# downtime incident open: read, resolved, its empty fields left as they were.
E='0 0 0 0 0 0 - - 0 0.000 0 0.000 0 0 0 - 0,0,0,0,0,0,0,0,0 []'
rcli hset 'mcp:{st2}:alert' last "$(w 2)" seen "$(w 2)" \
    down "3 0 $(w 0) 0 1 $(w 0) P1 http 0 0.000 $(w 2) 0.000 0 0 0 - 0,0,0,3,0,0,0,0,0 [\"eu-west-2\",\"us-east-1\"]" \
    rl "$E" slow "$E" erate "$E" tools "$E" cert "$E" token "$E" lat - now "$(w 2)" ebk - \
    certx '0 0 -' tokenx '0 0 -' toolsx '- - - - -' >/dev/null
green st2 3 5 >"$TMP/in"
is "$(ma):$(events)" "0:resolve P1 st2:$(w 0)" "a state of the layout before: its open incident resolved"
is "$(rcli hget 'mcp:{st2}:alert' down):$(rcli hget 'mcp:{st2}:alert' rl):$(rcli hget 'mcp:{st2}:alert' last)" \
    "$E:$E:$(w 5)" "the track that changed written, the others as they were"

done_testing
