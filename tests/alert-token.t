#!/usr/bin/env bash
# alert-token.t - mcp-alert token: the probe credential's expiry watchdog.
# Tokens written here (JWTs, and opaque ones with a FILE.expires beside
# them), the clock moved by MCP_NOW as an hourly cron job would see it; the
# alerts go through the routes to the test receiver, with a private
# redis-server.  No output, delivery or stored value holds any part of a token.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/alert-lib.sh"

start_redis
start_receiver
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }
NOW=$(w 0)
DAY=86400
b64u() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
SIG=$(printf 'the-signature-of-a-secret-credential' | b64u)
# jwt EXP: a JWT whose exp is EXP.
jwt() {
	printf '%s.%s.%s' "$(printf '{"alg":"RS256","typ":"JWT"}' | b64u)" \
	    "$(printf '{"sub":"mcp-probe","aud":"mcp","exp":%s}' "$1" | b64u)" "$SIG"
}
# put FILE TEXT: a token file as an operator writes it, mode 600.
put() { (umask 077 && printf '%s\n' "$2" >"$1"); }
fpr() { printf '%s' "$1" | sha256sum | cut -c1-12; }
TOKENS=()

(umask 077 && echo R0UT1NGKEY0123456789abcdef012345 >"$TMP/pd.key")
printf '#!/bin/sh\ncat >>"$1"\n' >"$TMP/sink" && chmod +x "$TMP/sink"
cat >"$TMP/alert.conf" <<CONF
route hook  webhook   $RECV/hook
route pd    pagerduty $TMP/pd.key $RECV/pd/v2/enqueue
route slack slack     $RECV/slack
route log   command   $TMP/sink $TMP/command.out
escalate 5m hook
CONF
# wd DAYS ARGS: mcp-alert token ARGS with the clock DAYS days after NOW
# (a fraction allowed), stdout in $TMP/out, stderr in $TMP/err, both kept;
# prints the exit status.
wd() {
	local t
	t=$(awk -v n="$NOW" -v d="$1" 'BEGIN { printf "%d", n + d * 86400 }')
	shift
	MCP_NOW=$t mcp-alert -c "$TMP/alert.conf" token "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
	echo $?
	cat "$TMP/out" >>"$TMP/all.out"
	cat "$TMP/err" >>"$TMP/all.err"
}
events() { jq -r '[.event, .severity, .dedup_key] | join(" ")' "$TMP/out"; }

# --- the tiers of a JWT ---------------------------------------------------------------
EXP=$((NOW + 40 * DAY))
T1=$(jwt $EXP)
TOKENS+=("$T1")
put "$TMP/probe.token" "$T1"
F1=$(fpr "$T1")
is "$(wd 0 "probe=$TMP/probe.token"):$(cat "$TMP/out" "$TMP/err")" "0:" "40 days left: nothing, exit 0"
is "$(wd 10 "probe=$TMP/probe.token"):$(cat "$TMP/err")" "0:" "30 days left: exit 0, quiet"
is "$(cat "$TMP/out")" \
    "{\"v\":1,\"type\":\"alert\",\"event\":\"trigger\",\"severity\":\"P3\",\"slug\":\"probe\",\"dedup_key\":\"probe:token-expiry:$EXP\",\"incident_started_at\":$((NOW + 10 * DAY)),\"step\":null,\"regions\":[],\"summary\":\"probe: token $F1 expires in 30 days (2027-01-03T16:00:00Z)\",\"at\":$((NOW + 10 * DAY)),\"kind\":\"token-expiry\",\"expires_at\":$EXP,\"fingerprint\":\"$F1\"}" \
    "a P3: kind token-expiry, the expiry from the JWT's exp, the token named by its fingerprint"
wd 10.05 "probe=$TMP/probe.token" >/dev/null
is "$(cat "$TMP/out")" "" "an hour later: nothing (each tier once)"
wd 33 "probe=$TMP/probe.token" >/dev/null
is "$(events)" "escalate P2 probe:token-expiry:$EXP" "7 days: escalated to P2 within the incident"
wd 33.5 "probe=$TMP/probe.token" >/dev/null
is "$(cat "$TMP/out")" "" "and only once"
wd 39 "probe=$TMP/probe.token" >/dev/null
is "$(events):$(jq -r .summary "$TMP/out")" \
    "escalate P1 probe:token-expiry:$EXP:probe: token $F1 expires in 24 hours (2027-01-03T16:00:00Z)" "1 day: P1"
# Nobody acknowledged the P1 tier: the escalation steps run on the clock.
MCP_NOW=$((NOW + 39 * DAY + 360)) mcp-alert -c "$TMP/alert.conf" </dev/null >"$TMP/out" 2>>"$TMP/all.err"
cat "$TMP/out" >>"$TMP/all.out"
is "$(jq -r '[.event, .escalation, .dedup_key, .fingerprint, .summary] | join(" ")' "$TMP/out")" \
    "escalate 1 probe:token-expiry:$EXP $F1 probe: P1 unacknowledged for 6 minutes; escalation step 1 of 1" \
    "a P1 token nobody acknowledged: the escalation step, as for any P1"
wd 40.01 "probe=$TMP/probe.token" >/dev/null
is "$(events):$(jq -r .summary "$TMP/out")" \
    "escalate P1 probe:token-expiry:$EXP:probe: token $F1 has expired (2027-01-03T16:00:00Z)" "expired: once more"
wd 40.02 "probe=$TMP/probe.token" >/dev/null
is "$(cat "$TMP/out")" "" "and no more"

MCP_NOW=$((NOW + 40 * DAY + 7200)) mcp-alert -c "$TMP/alert.conf" ack "probe:token-expiry:$EXP" \
    </dev/null >"$TMP/out" 2>>"$TMP/all.err"
cat "$TMP/out" >>"$TMP/all.out"
is "$(jq -r '[.event, .dedup_key, .expires_at] | join(" ")' "$TMP/out")" \
    "acknowledge probe:token-expiry:$EXP $EXP" "ack NAME:token-expiry:EXPIRY acknowledges it"

# --- rotation --------------------------------------------------------------------------
EXP2=$((NOW + 130 * DAY))
T2=$(jwt $EXP2)
TOKENS+=("$T2")
put "$TMP/probe.token" "$T2"
F2=$(fpr "$T2")
wd 40.1 "probe=$TMP/probe.token" >/dev/null
is "$(events):$(jq -r '[.summary, .duration_s, .fingerprint] | join(" | ")' "$TMP/out")" \
    "resolve P1 probe:token-expiry:$EXP:probe: token $F1 expiring 2027-01-03T16:00:00Z was rotated; token $F2 expires 2027-04-03T16:00:00Z | $((30 * DAY + 8640)) | $F1" \
    "a new token with a later expiry: resolved, both named by fingerprint"
wd 41 "probe=$TMP/probe.token" >/dev/null
is "$(cat "$TMP/out")" "" "the new token, 89 days left: nothing"
is "$(rcli sismember mcp:alert:open probe):$(rcli exists "mcp:{probe}:incident")" "0:0" \
    "nothing open, and nothing on the public keys"

# --- an opaque token and FILE.expires -----------------------------------------------------
T3=opaque-0123456789abcdef-credential
TOKENS+=("$T3")
put "$TMP/opaque" "$T3"
echo "2026-11-29T16:00:00Z" >"$TMP/opaque.expires"
is "$(wd 0 "$TMP/opaque"):$(events)" "0:trigger P2 opaque:token-expiry:$((NOW + 5 * DAY))" \
    "no JWT: the time of FILE.expires, 5 days left: a P2 at once; named by the file"
T4=opaque-fedcba9876543210-credential
TOKENS+=("$T4")
put "$TMP/opaque" "$T4"
is "$(wd 1 "$TMP/opaque"):$(cat "$TMP/out")" "0:" "a new token, FILE.expires left as it was: not a rotation"
wd 4.5 "$TMP/opaque" >/dev/null
is "$(jq -r '[.event, .severity, .fingerprint] | join(" ")' "$TMP/out")" "escalate P1 $(fpr "$T4")" \
    "its next tier names the token now in the file"
echo "$((NOW + 95 * DAY))" >"$TMP/opaque.expires"
wd 4.6 "$TMP/opaque" >/dev/null
is "$(events)" "resolve P1 opaque:token-expiry:$((NOW + 5 * DAY))" "FILE.expires later (epoch seconds): resolved"

# --- refusals --------------------------------------------------------------------------------
put "$TMP/loose" "$T1"
chmod 640 "$TMP/loose"
put "$TMP/bare" "$T3"
echo "next tuesday" >"$TMP/odd.expires"
put "$TMP/odd" "$T3"
T5=$(printf '%s.%s.%s' "$(printf '{"alg":"none"}' | b64u)" "$(printf '{"sub":"x"}' | b64u)" "$SIG")
TOKENS+=("$T5")
put "$TMP/noexp" "$T5"
is "$(wd 0 "$TMP/loose" "$TMP/missing" "$TMP/bare" "$TMP/odd" "$TMP/noexp" "probe=$TMP/probe.token")" 1 \
    "bad token files: exit 1"
is "$(cat "$TMP/err")" "mcp-alert: token: $TMP/loose: accessible by group or others (chmod 600)
mcp-alert: token: $TMP/missing: No such file or directory
mcp-alert: token: $TMP/bare: no expiry known: not a JWT (three parts joined by dots), and no $TMP/bare.expires
mcp-alert: token: $TMP/odd: $TMP/odd.expires: not epoch seconds or an ISO 8601 time with a zone
mcp-alert: token: $TMP/noexp: no expiry known: a JWT without an exp claim, and no $TMP/noexp.expires" \
    "each named with the reason, never with the token"
if [ "$(id -u)" = 0 ]; then
	put "$TMP/theirs" "$T1"
	chown 65534 "$TMP/theirs"
	is "$(wd 0 "$TMP/theirs"):$(cat "$TMP/err")" \
	    "1:mcp-alert: token: $TMP/theirs: owned by uid 65534, neither us (uid 0) nor root" \
	    "a token file another user owns (and could replace): refused"
else
	ok 0 "# skipped: a file of another owner needs root to make"
fi
for a in "Bad=$TMP/probe.token" "$TMP/Probe.Token" "=$TMP/x" "x="; do
	printf '%s|%s\n' "$(mcp-alert token "$a" 2>&1)" "$?"
done >"$TMP/usage"
is "$(cut -d'|' -f2 "$TMP/usage" | tr '\n' ' ')" "2 2 2 2 " "a name that is not a slug: usage, exit 2"
is "$(mcp-alert token 2>&1 | head -1):$(mcp-alert token >/dev/null 2>&1; echo $?)" \
    "mcp-alert: token: want [NAME=]FILE:2" "token without a file: usage"

# --- delivered, and never the token ------------------------------------------------------------
is "$(jq -r 'select(.path == "/hook") | .body | fromjson | .event' "$RECV_LOG" | tr '\n' ' ')" \
    "trigger escalate escalate escalate escalate resolve trigger escalate resolve " \
    "the webhook got every notice: each tier once, the clock's step, the resolves"
is "$(jq -r 'select(.path == "/pd/v2/enqueue") | .body | fromjson | "\(.event_action) \(.payload.severity // "-")"' "$RECV_LOG" | tr '\n' ' ')" \
    "trigger warning trigger error trigger critical trigger critical acknowledge - resolve - trigger error trigger critical resolve - " \
    "PagerDuty: one incident per token, its severity rising, acknowledged, resolved"
is "$(wc -l <"$TMP/command.out"):$(jq -r 'select(.path == "/slack") | .body | fromjson | .text' "$RECV_LOG" | head -1)" \
    "8:P3 trigger: probe: token $F1 expires in 30 days (2027-01-03T16:00:00Z)" \
    "Slack and the command too"
rcli --scan | while read -r key; do
	case $(rcli type "$key") in
	string) rcli get "$key" ;;
	hash) rcli hgetall "$key" ;;
	list) rcli lrange "$key" 0 -1 ;;
	set) rcli smembers "$key" ;;
	zset) rcli zrange "$key" 0 -1 withscores ;;
	esac
done >"$TMP/store.dump"
leaks=0
for t in "${TOKENS[@]}"; do
	for part in "$t" "$SIG" "$(printf '%s' "$t" | cut -d. -f2)" "${t:0:12}" "${t: -12}"; do
		[ -n "$part" ] || continue
		for f in "$TMP/all.out" "$TMP/all.err" "$TMP/usage" "$RECV_LOG" "$TMP/command.out" \
		    "$TMP/store.dump" "$TMP/receiver.err" "$TMP/redis.log"; do
			if grep -qF -- "$part" "$f"; then
				diag "found in $f: part of a token"
				leaks=$((leaks + 1))
			fi
		done
	done
done
is "$leaks:$(wc -c <"$TMP/all.out" | awk '$1 > 1000 { print "some" }')" "0:some" \
    "no token, nor its payload, signature, head or tail, in any record, message, delivery or stored value"

done_testing
