#!/usr/bin/env bash
# alert-webhook.t - mcp-alert's webhook deliveries signed as Standard
# Webhooks (issue 33), checked by a receiver as one would check them
# (tests/fixtures/receiver.mjs --verify, clients/node/webhook-verify), by
# the C twin (clients/c/mcp_webhook) and by openssl: every delivery verifies, a redelivery after a failed attempt
# keeps its webhook-id, a tampered body or timestamp is refused, a replay
# is refused (its id within 5 minutes, its time after).  A private
# redis-server; time through MCP_NOW and the receiver's /_control?now=.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/alert-lib.sh"

command -v node >/dev/null || skip_all "node is not installed"
command -v openssl >/dev/null || skip_all "openssl is not installed"
start_redis
KEY=whsec_$(head -c 32 /dev/urandom | base64 | tr -d '\n')
echo "$KEY" >"$TMP/hook.key"
start_receiver --verify "$TMP/hook.key"
T=$(w 3)
export MCP_NOW=$T
recv_now() { curl -sf "$RECV/_control?now=$1" >/dev/null; }
recv_now "$T"
cat >"$TMP/alert.conf" <<CONF
route hook  webhook $RECV/hook $TMP/hook.key
route plain webhook $RECV/plain
notify * always hook
retry_base 30s
# Each incident told alone: the mechanics of one delivery (grouping: alert-group.t).
group_by slug
CONF
ma() {
	mcp-alert -c "$TMP/alert.conf" "$@" <"$TMP/in" >"$TMP/out" 2>"$TMP/err"
	echo $?
}
# hdr N NAME: header NAME of the receiver's request N; body N: its body, as it came.
hdr() { jq -r --argjson n "$1" --arg h "$2" 'select(.n == $n) | .headers[$h] // "-"' "$RECV_LOG"; }
body() { jq -j --argjson n "$1" 'select(.n == $n) | .body' "$RECV_LOG"; }
last() { jq -r '.n' "$RECV_LOG" | tail -1; }
# v1 ID TS BODYFILE: the signature, by openssl with the key whsec_ encodes.
v1() {
	local hex
	hex=$(printf '%s' "${KEY#whsec_}" | base64 -d | od -An -tx1 | tr -d ' \n')
	printf 'v1,%s' "$({ printf '%s.%s.' "$1" "$2"; cat "$3"; } |
	    openssl dgst -sha256 -mac HMAC -macopt "hexkey:$hex" -binary | base64)"
}
# replay N [TS [BODYFILE]]: post request N again, as captured, or with
# another timestamp or body; prints the status the receiver answered.
replay() {
	local b=$TMP/replay.body
	body "$1" >"$b"
	curl -s -o /dev/null -w '%{http_code}' -X POST -H 'content-type: application/json' \
	    -H "webhook-id: $(hdr "$1" webhook-id)" -H "webhook-timestamp: ${2:-$(hdr "$1" webhook-timestamp)}" \
	    -H "webhook-signature: $(hdr "$1" webhook-signature)" --data-binary @"${3:-$b}" "$RECV/hook"
}
verdict() { jq -r "select(.n == $(last)) | \"\(.verify) \(.status)\"" "$RECV_LOG"; }

# --- a delivery, verified ----------------------------------------------------------
red p1 0 2 http >"$TMP/in"
is "$(ma):$(cat "$TMP/err")" "0:" "a trigger to a webhook with a key: exit 0, quiet"
is "$(jq -r '"\(.path) \(.verify) \(.status)"' "$RECV_LOG")" "/hook ok 200" "the receiver verifies it and takes it"
id=$(hdr 1 webhook-id)
like "$id" '^msg_[0-9a-f]{32}$' "webhook-id: msg_ and the delivery's id"
is "$(hdr 1 webhook-timestamp)" "$T" "webhook-timestamp: the time of the attempt, epoch seconds"
body 1 >"$TMP/b1"
is "$(hdr 1 webhook-signature)" "$(v1 "$id" "$T" "$TMP/b1")" \
    "webhook-signature: v1, and the base64 HMAC-SHA256 of ID.TIMESTAMP.BODY (openssl agrees)"
is "$(cat "$TMP/b1")" "$(cat "$TMP/out")" "the body is the alert record"
# The headers of before, deprecated, for the receivers written for them.
is "$(hdr 1 x-mcp-alert-id)" "${id#msg_}" "X-MCP-Alert-Id: the same id, without msg_ (deprecated)"
is "$(hdr 1 x-mcp-alert-signature)" "sha256=$(openssl dgst -sha256 -hmac "$KEY" <"$TMP/b1" | sed 's/^.*= //')" \
    "X-MCP-Alert-Signature: the body's HMAC alone, as before (deprecated)"

# The C receiver's check agrees.
CC=${CC:-cc}
# shellcheck disable=SC2046 # pkg-config prints words
if command -v "$CC" >/dev/null && pkg-config --exists libcrypto 2>/dev/null &&
    "$CC" -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -o "$TMP/webhook_check" "$TOP/clients/c/test/webhook_check.c" \
        "$TOP/clients/c/mcp_webhook.c" $(pkg-config --cflags --libs libcrypto) 2>"$TMP/cc.err"; then
	cw() { "$TMP/webhook_check" "$TMP/hook.key" "$(hdr "$1" webhook-id)" "${3:-$(hdr "$1" webhook-timestamp)}" \
	    "$(hdr "$1" webhook-signature)" "$2" "$4"; }
	is "$(cw 1 "$TMP/b1" "" "$T")" ok "clients/c: mcp_webhook verifies it"
	sed 's/"trigger"/"resolve"/' "$TMP/b1" | tr -d '\n' >"$TMP/b1.t"
	is "$(cw 1 "$TMP/b1.t" "" "$T")" signature "clients/c: its body changed: refused"
	is "$(cw 1 "$TMP/b1" $((T + 1)) "$T")" signature "clients/c: its timestamp changed: refused"
	is "$(cw 1 "$TMP/b1" "" $((T + 301)))" too-old "clients/c: more than 5 minutes later: refused"
else
	diag "clients/c checks skipped: no $CC or libcrypto ($(head -c 300 "$TMP/cc.err" 2>/dev/null))"
fi

# --- replays and forgeries ---------------------------------------------------------------
is "$(replay 1):$(verdict)" "200:seen 200" "the delivery posted again: refused as taken before (answered 200, dropped)"
printf '%s' "$(sed 's/"trigger"/"resolve"/' "$TMP/b1")" >"$TMP/tampered"
is "$(replay 1 "" "$TMP/tampered"):$(verdict)" "401:signature 401" "its body changed (trigger made resolve): refused"
is "$(replay 1 $((T + 1))):$(verdict)" "401:signature 401" "its timestamp changed: refused"
recv_now $((T + 301))
is "$(replay 1):$(verdict)" "401:too-old 401" "replayed more than 5 minutes later: refused by its time"
recv_now "$T"

# --- a redelivery keeps its id ------------------------------------------------------------
recv_answer /hook 500
red r1 0 2 http >"$TMP/in"
ma >/dev/null
n1=$(last)
is "$(verdict)" "ok 500" "the receiver fails (500) a delivery it verified"
: >"$TMP/in"
recv_answer /hook 200
recv_now $((T + 30))
MCP_NOW=$((T + 30)) ma >/dev/null
n2=$(last)
is "$(verdict)" "ok 200" "the retry 30 s on: verified, taken"
is "$(hdr "$n2" webhook-id)" "$(hdr "$n1" webhook-id)" "with the webhook-id of the failed attempt"
is "$(hdr "$n1" webhook-timestamp) $(hdr "$n2" webhook-timestamp)" "$T $((T + 30))" \
    "and the time of each attempt"
is "$(body "$n1" | md5sum)" "$(body "$n2" | md5sum)" "the same body"
is "$(replay "$n1"):$(verdict)" "200:seen 200" "the failed attempt posted again: its id is taken now, dropped"
recv_now "$T"

# --- what is sent at once, and a route without a key ---------------------------------------
: >"$TMP/in"
is "$(ma test --route hook t1):$(verdict)" "0:ok 200" "test --route: signed too"
is "$(ma test --route plain t2):$(hdr "$(last)" webhook-signature):$(verdict)" "1:-:headers 401" \
    "a route without a key: no signature (a receiver that wants one refuses it)"
like "$(hdr "$(last)" webhook-id) $(hdr "$(last)" webhook-timestamp)" "^msg_[0-9a-f]{32} $T\$" "but an id and a time"

# --- keys ---------------------------------------------------------------------------------
for bad in whsec_ 'whsec_not base64!' whsec_abc; do
	echo "$bad" >"$TMP/bad.key"
	printf 'route hook webhook %s/hook %s/bad.key\n' "$RECV" "$TMP" >"$TMP/bad.conf"
	is "$(mcp-alert -c "$TMP/bad.conf" check 2>&1):$?" \
	    "mcp-alert: $TMP/bad.conf:1: $TMP/bad.key: not a key: whsec_ and base64, or any other text (at most 512 bytes):2" \
	    "a key \"${bad:0:9}…\" that is not one: refused"
done
cat "$TMP"/*.err "$TMP/out" "$TMP/err" >"$TMP/all"
is "$(grep -c -- "${KEY#whsec_}" "$TMP/all")" 0 "the key is in no message or output"

done_testing
