#!/usr/bin/env bash
# alert-delivery.t - mcp-alert's deliveries: PagerDuty Events v2, Slack,
# webhook (its signatures: alert-webhook.t), command; the outbox in Redis
# through a receiver that is down, refuses, or hangs; kill -9 mid-stream.
# A private redis-server and the test receiver (tests/fixtures/receiver.mjs);
# time through MCP_NOW.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/alert-lib.sh"

start_redis
start_receiver
T=$(w 3)
export MCP_NOW=$T

ma() {
	mcp-alert -c "$TMP/alert.conf" "$@" <"$TMP/in" >"$TMP/out" 2>"$TMP/err"
	echo $?
}
# bodies PATH: the JSON bodies the receiver got at PATH, one per line.
bodies() { jq -c --arg p "$1" 'select(.path == $p) | .body | fromjson' "$RECV_LOG"; }
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }

PD_KEY=R0UT1NGKEY0123456789abcdef012345
HMAC_KEY=hmac-secret-for-tests
SLACK_PATH=/services/T000/B000/XXXXSLACKSECRETXXXX
(umask 077 && echo "  $PD_KEY  " >"$TMP/pd.key" && echo "$HMAC_KEY" >"$TMP/hook.key")
printf '#!/bin/sh\ncat >>"$1"\nls /proc/self/fd >"$1.fds"; echo "${MCP_REDIS:-unset}" >"$1.env"\n' >"$TMP/sink" && chmod +x "$TMP/sink"
cat >"$TMP/alert.conf" <<CONF
route pd    pagerduty $TMP/pd.key $RECV/pd/v2/enqueue
route slack slack     $RECV$SLACK_PATH
route hook  webhook   $RECV/hook $TMP/hook.key
route log   command   $TMP/sink $TMP/command.out
retry_base 30s
retry_max 2m
# Each incident told alone: the mechanics of one delivery (grouping: alert-group.t).
group_by slug
CONF

# --- shapes, one incident through every route ---------------------------------
red p1 0 2 http >"$TMP/in"
is "$(ma):$(cat "$TMP/err")" "0:" "a trigger delivered to four routes: exit 0, quiet"
trig=$(cat "$TMP/out")
pd=$(bodies /pd/v2/enqueue)
is "$(echo "$pd" | jq -c 'del(.payload.custom_details)')" \
    "{\"routing_key\":\"$PD_KEY\",\"event_action\":\"trigger\",\"dedup_key\":\"p1:$(w 0)\",\"payload\":{\"summary\":\"p1: http failing in 2 regions\",\"source\":\"p1\",\"severity\":\"critical\",\"timestamp\":\"2026-11-24T16:03:00Z\",\"component\":\"http\",\"group\":\"mcp-uptime\",\"class\":\"P1\"},\"client\":\"mcp-uptime\"}" \
    "PagerDuty: an Events v2 trigger, field by field"
is "$(echo "$pd" | jq -c .payload.custom_details)" "$(echo "$trig" | jq -c .)" "PagerDuty: custom_details is the alert record"
is "$(jq -r 'select(.path | endswith("/enqueue")) | .headers["content-type"]' "$RECV_LOG")" "application/json" \
    "PagerDuty: sent as JSON"
is "$(bodies "$SLACK_PATH" | jq -c .)" \
    "{\"text\":\"P1 trigger: p1: http failing in 2 regions\",\"blocks\":[{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":\"P1 trigger: p1\"}},{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"http failing in 2 regions\"}},{\"type\":\"context\",\"elements\":[{\"type\":\"mrkdwn\",\"text\":\"dedup_key \`p1:$(w 0)\` · step http\"}]}]}" \
    "Slack: text and Block Kit blocks, field by field, the slug said once"
hook=$(jq -c 'select(.path == "/hook")' "$RECV_LOG")
is "$(echo "$hook" | jq -r .body)" "$trig" "webhook: the body is the alert record"
sig=$(echo "$hook" | jq -r '.headers["x-mcp-alert-signature"]')
want=$(echo "$hook" | jq -j .body | openssl dgst -sha256 -hmac "$HMAC_KEY" | sed 's/^.*= //')
is "$sig" "sha256=$want" "webhook: the HMAC-SHA256 signature verifies"
like "$(echo "$hook" | jq -r '.headers["x-mcp-alert-id"]')" '^[0-9a-f]{32}$' "webhook: a delivery id"
is "$(cat "$TMP/command.out")" "$trig" "command: the record on its stdin"
is "$(sort -n "$TMP/command.out.fds" | tr '\n' ' '):$(cat "$TMP/command.out.env")" "0 1 2 3 :unset" \
    "command: no descriptor of mcp-alert (the Redis connection) and no MCP_REDIS inherited"
is "$(rcli --scan --pattern 'mcp:alert:outbox:*' | wc -l)" 0 "every outbox is empty"

# A reminder is not for PagerDuty; the resolve threads to the same dedup_key.
# The clock follows the windows: none may be ahead of it by more than 5 minutes.
red p1 3 243 http >"$TMP/in"
MCP_NOW=$(w 244) ma >/dev/null
is "$(jq -r .event "$TMP/out")" "reminder" "4 hours on: a reminder"
is "$(bodies /pd/v2/enqueue | wc -l):$(bodies /hook | jq -r .event | tail -1)" "1:reminder" \
    "it goes to the webhook, not to PagerDuty"
green p1 244 246 >"$TMP/in"
MCP_NOW=$(w 247) ma >/dev/null
is "$(bodies /pd/v2/enqueue | tail -1 | jq -c .)" \
    "{\"routing_key\":\"$PD_KEY\",\"event_action\":\"resolve\",\"dedup_key\":\"p1:$(w 0)\"}" \
    "PagerDuty: the resolve, with the same dedup_key"
like "$(bodies "$SLACK_PATH" | tail -1 | jq -r .text)" '^P1 resolve: p1: recovered after 4 hours 4 minutes' \
    "Slack: the resolve with its duration"

# mcp-alert test: a test P1 through the routing.
: >"$TMP/in"
is "$(ma test t9):$(cat "$TMP/err")" "0:" "test: exit 0"
is "$(bodies /pd/v2/enqueue | tail -1 | jq -r '[.event_action, .dedup_key, .payload.severity, .payload.summary] | join(" | ")')" \
    "trigger | t9:test:$T | info | [TEST] t9: test alert from mcp-alert test; nothing is failing" \
    "PagerDuty gets it marked as a test"
is "$(bodies /hook | tail -1 | jq -r .event)" "test" "the webhook too"
# Sent at once, outside the outbox: a failure is said and exits 1 (issue 26).
n=$(wc -l <"$RECV_LOG")
is "$(ma test --route hook --severity P2 t10):$(cat "$TMP/err")" "0:" "test --route hook --severity P2: exit 0"
is "$(tail -n +$((n + 1)) "$RECV_LOG" | jq -r '.path + " " + (.body | fromjson | .severity)' | tr '\n' ' ')" "/hook P2 " \
    "that route alone, at that severity"
recv_answer /hook 500
is "$(ma test --route hook t11):$(cat "$TMP/err")" "1:mcp-alert: test: route hook: not delivered: HTTP 500" \
    "a delivery that fails: exit 1, saying which route and why"
is "$(rcli llen mcp:alert:outbox:hook)" 0 "and nothing is left to retry for a day"
n=$(wc -l <"$RECV_LOG")
is "$(ma test t12):$(grep -c 'not delivered' "$TMP/err")" "1:1" "test to every P1 route, one failing: exit 1, that one named"
is "$(tail -n +$((n + 1)) "$RECV_LOG" | jq -r .path | sort | tr '\n' ' ')" \
    "$(printf '%s\n' "$SLACK_PATH" /hook /pd/v2/enqueue | sort | tr '\n' ' ')" \
    "the other routes got it"
is "$(tail -1 "$TMP/command.out" | jq -r '"\(.event) \(.slug)"')" "test t12" \
    "the command route too, declared after the failing one: still tried"
recv_answer /hook 200
n=$(wc -l <"$RECV_LOG")
is "$(ma test --help):$(cat "$TMP/out")" \
    "0:usage: mcp-alert [-n] [-c CONFIG] [-R URL] test [--route NAME] [--severity P] SLUG
See mcp-alert(1) for the manual." "test --help: its usage and the manual, exit 0"
is "$(ma test --bogus x; cat "$TMP/err" | head -1)" "2
mcp-alert: test: --bogus: unknown option" "test --bogus: a usage error"
is "$(ma test --route nosuch x):$(cat "$TMP/err")" "2:mcp-alert: test: --route nosuch: no such route in the configuration" \
    "test --route of no route: a usage error"
is "$(wc -l <"$RECV_LOG")" "$n" "none of them paged anyone"

# --- a receiver gets only what was checked --------------------------------------
# Regions that are not names (invalid UTF-8, a surrogate, an object) are
# refused with their line; the command gets the record's bytes as they are.
: >"$TMP/command.out"
{
	VD_FAILED='["eu-west-2",{"us-east-1":1}]' red u8 0 0 http
	VD_FAILED=$'["eu-west-2","\xed\xa0\x80"]' red u8 1 1 http
	VD_FAILED=$'["eu-west-2","us-east-1\xff"]' red u8 2 2 http
	red u8 3 3 http
} >"$TMP/in"
MCP_NOW=$(w 4) ma >/dev/null
is "$(sed 's/^mcp-alert: \([^ ]*\) \([^:]*\):.*/\1 \2/' "$TMP/err" | tr '\n' ' ')" \
    "stdin:1: failed_regions[1] stdin:2: failed_regions[1] stdin:3: failed_regions[1] " \
    "bad regions: each line refused"
ok "$(iconv -f UTF-8 -t UTF-8 "$TMP/command.out" >/dev/null 2>&1; echo $?)" "what the command got is UTF-8"
is "$(grep -c u8 "$TMP/command.out")" 0 "and holds no record of the refused lines"

# Jobs in the outbox that mcp-alert did not write (a count of attempts past
# an int, no record) are given up with a message, never printed as records.
: >"$TMP/in"
rcli rpush mcp:alert:outbox:hook '{"rec":{}}' \
    '{"id":"x","route":"hook","n":1e300,"first":0,"next":0,"rec":{"v":1,"type":"alert"}}' >/dev/null
is "$(ma):$(cat "$TMP/out")" "0:" "jobs that are not mcp-alert's: exit 0, no record printed"
is "$(grep -c 'not delivered after 1 attempt (not a job of mcp-alert)' "$TMP/err"):$(rcli llen mcp:alert:outbox:hook)" \
    "2:0" "each reported and moved out of the outbox"
is "$(rcli lrange mcp:alert:dead 0 -1 | jq -r .error | tr '\n' ' ')" "not a job of mcp-alert not a job of mcp-alert " \
    "into mcp:alert:dead"
rcli del mcp:alert:dead >/dev/null

# --- a receiver down for 10 minutes ----------------------------------------------
recv_answer /hook 500
: >"$RECV_LOG"
{
	red d1 0 2 connect
	green d1 3 5
	red d2 0 2 dns
} >"$TMP/in"
is "$(ma):$(grep -c 'route hook: trigger d1:.*HTTP 500; attempt 1, next in 30 s' "$TMP/err")" "0:1" \
    "the webhook answers 500: exit 0, a warning"
: >"$TMP/in"
for s in $(seq 30 30 600); do MCP_NOW=$((T + s)) ma >/dev/null; done
n500=$(jq -r 'select(.path == "/hook") | .status' "$RECV_LOG" | sort | uniq -c | awk '{ print $2 "=" $1 }' | tr '\n' ' ')
like "$n500" '^500=[5-9] $' "down for 10 minutes: retried with backoff (30 s, 60 s, 120 s, ...), no more"
is "$(rcli llen mcp:alert:outbox:hook)" 3 "three deliveries wait, in the outbox"
is "$(bodies /pd/v2/enqueue | jq -r '"\(.event_action) \(.dedup_key)"' | tr '\n' ' ')" \
    "trigger d1:$(w 0) resolve d1:$(w 0) trigger d2:$(w 0) " "the other routes did not wait for it"
recv_answer /hook 200
for s in $(seq 630 30 900); do MCP_NOW=$((T + s)) ma >/dev/null; done
is "$(jq -r 'select(.path == "/hook" and .status == 200) | .body | fromjson | "\(.event) \(.dedup_key)"' "$RECV_LOG" | tr '\n' ' ')" \
    "trigger d1:$(w 0) resolve d1:$(w 0) trigger d2:$(w 0) " "up again: every alert delivered once, in order"
is "$(rcli llen mcp:alert:outbox:hook)" 0 "the outbox is empty"

# --- PagerDuty 400: not retried, reported ----------------------------------------
recv_answer /pd/v2/enqueue 400
: >"$RECV_LOG"
red b1 0 2 http >"$TMP/in"
is "$(ma)" 0 "PagerDuty answers 400: exit 0"
is "$(grep 'route pd' "$TMP/err")" \
    "mcp-alert: route pd: trigger b1:$(w 0) not delivered after 1 attempt (HTTP 400); kept in mcp:alert:dead" \
    "reported on stderr"
is "$(jq -c 'select(.event == "undelivered") | [.undelivered, .dedup_key, .route, .attempts, .error]' "$TMP/out")" \
    "[\"trigger\",\"b1:$(w 0)\",\"pd\",1,\"HTTP 400\"]" "and as an undelivered alert record"
: >"$TMP/in"
for s in 60 600 3600; do MCP_NOW=$((T + s)) ma >/dev/null; done
is "$(jq -r 'select(.path | endswith("/enqueue")) | .status' "$RECV_LOG" | tr '\n' ' ')" "400 " "never retried"
is "$(rcli lrange mcp:alert:dead 0 -1 | jq -r '[.route, .rec.dedup_key, .error] | join(" ")')" \
    "pd b1:$(w 0) HTTP 400" "kept in mcp:alert:dead"

# PagerDuty 429 (and 5xx): retried.
recv_answer /pd/v2/enqueue 429
: >"$RECV_LOG"
red q1 0 2 http >"$TMP/in"
ma >/dev/null
recv_answer /pd/v2/enqueue 202
: >"$TMP/in"
MCP_NOW=$((T + 30)) ma >/dev/null
is "$(jq -r 'select(.path | endswith("/enqueue")) | "\(.status) \(.body | fromjson | .dedup_key)"' "$RECV_LOG" | tr '\n' ' ')" \
    "429 q1:$(w 0) 202 q1:$(w 0) " "PagerDuty 429: retried after the backoff, delivered"

# --- give up after a day -------------------------------------------------------
recv_answer /hook 503
red g1 0 2 http >"$TMP/in"
ma >/dev/null
: >"$TMP/in"
MCP_NOW=$((T + 86399)) ma >/dev/null
is "$(grep -c 'not delivered' "$TMP/err")" 0 "still retrying at 23:59:59"
MCP_NOW=$((T + 86399 + 120)) ma >/dev/null
like "$(grep 'route hook' "$TMP/err")" "trigger g1:$(w 0) not delivered after [0-9]+ attempts \\(HTTP 503\\)" \
    "the first attempt after give_up (24 h): given up, reported"
recv_answer /hook 200

# --- a hanging receiver --------------------------------------------------------
# Each configuration with routes of its own decides a store of its own
# (mcp-alert(1), "The deciding configuration"): here, Redis databases 1 and 2.
printf 'route hang webhook %s/hang\ndelivery_timeout 2s\n' "$RECV" >"$TMP/hang.conf"
recv_answer /hang hang
red h1 0 2 http >"$TMP/in"
s0=$(date +%s)
mcp-alert -R "$MCP_REDIS?db=1" -c "$TMP/hang.conf" <"$TMP/in" >"$TMP/out" 2>"$TMP/err"
rc=$?
is "$rc:$(( $(date +%s) - s0 < 8 ))" "0:1" "a receiver that never answers: given up at delivery_timeout"
like "$(cat "$TMP/err")" "route hang: trigger h1:$(w 0): Timeout was reached; attempt 1" "a timeout, to be retried"
is "$(rcli -n 1 llen mcp:alert:outbox:hang)" 1 "the delivery waits in the outbox"

# --- kill -9 mid-stream ----------------------------------------------------------
: >"$RECV_LOG"
mkfifo "$TMP/fifo"
mcp-alert -c "$TMP/alert.conf" <"$TMP/fifo" >"$TMP/k.out" 2>"$TMP/k.err" &
pid=$!
exec 7>"$TMP/fifo"
red k9 0 2 http >&7
# Killed once the trigger went out (a kill inside a delivery is the
# receiver's webhook-id to sort out: see mcp-alert(1)).
for _ in $(seq 100); do
	grep -q trigger "$TMP/k.out" && [ "$(rcli exists mcp:alert:lock:hook)$(rcli llen mcp:alert:outbox:hook)" = 00 ] && break
	sleep 0.1
done
kill -9 "$pid"
wait "$pid" 2>/dev/null
exec 7>&-
is "$(jq -r .event "$TMP/k.out")" "trigger" "killed after its trigger"
{
	red k9 0 9 http
	green k9 10 12
} >"$TMP/in"
MCP_NOW=$(w 13) ma >/dev/null
is "$(jq -r '"\(.event) \(.dedup_key)"' "$TMP/out")" "resolve k9:$(w 0)" \
    "restarted on the whole stream: no second trigger, the same incident resolves"
is "$(bodies /hook | jq -r '"\(.event) \(.dedup_key)"' | tr '\n' ' ')" "trigger k9:$(w 0) resolve k9:$(w 0) " \
    "the receiver got one trigger and one resolve"

# --- a long-running filter retries without new input ------------------------------
unset MCP_NOW
printf 'route tick webhook %s/slow\ntick 1s\nretry_base 1s\nretry_max 1s\n' "$RECV" >"$TMP/tick.conf"
recv_answer /slow 500
mkfifo "$TMP/fifo2"
mcp-alert -R "$MCP_REDIS?db=2" -c "$TMP/tick.conf" <"$TMP/fifo2" >"$TMP/l.out" 2>"$TMP/l.err" &
pid=$!
exec 8>"$TMP/fifo2"
T0=$(($(date +%s) / 60 * 60 - 600)) red l1 0 2 http >&8 # windows of the real clock
for _ in $(seq 100); do grep -q trigger "$TMP/l.out" && break; sleep 0.1; done
recv_answer /slow 200
for _ in $(seq 100); do [ "$(rcli -n 2 llen mcp:alert:outbox:tick)" = 0 ] && break; sleep 0.1; done
is "$(rcli -n 2 llen mcp:alert:outbox:tick):$(jq -r 'select(.path == "/slow") | .status' "$RECV_LOG" | tail -1)" "0:200" \
    "left running on an open pipe, it delivers once the receiver is back"
exec 8>&-
wait "$pid"
is "$?" 0 "and exits 0 at the end of its input"
export MCP_NOW=$T

# --- secrets -------------------------------------------------------------------------
cat "$TMP"/*.out "$TMP"/*.err "$TMP/out" "$TMP/err" >"$TMP/all-output"
for secret in "$PD_KEY" "$HMAC_KEY" XXXXSLACKSECRETXXXX; do
	is "$(grep -c -- "$secret" "$TMP/all-output")" 0 "no output or message holds the secret ${secret:0:6}…"
done
printf 'route s slack %s\n' "https://hooks.slack.com$SLACK_PATH x" >"$TMP/bad.conf"
is "$(mcp-alert -c "$TMP/bad.conf" check 2>&1):$?" \
    "mcp-alert: $TMP/bad.conf:1: route \"s\": wrong number of arguments for slack:2" "a bad route line: exit 2"
chmod 644 "$TMP/pd.key"
is "$(mcp-alert -c "$TMP/alert.conf" check 2>&1):$?" \
    "mcp-alert: $TMP/alert.conf:1: $TMP/pd.key: accessible by group or others (chmod 600):2" \
    "a routing key readable by others is refused"

done_testing
