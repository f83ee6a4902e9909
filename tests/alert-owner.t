#!/usr/bin/env bash
# alert-owner.t - no run can take a delivery the deciding configuration owes
# its routes (issue 26): a hand run without -c, a staging configuration and
# a dry run against the store while the configured run pages; claim;
# --dry-run writes nothing.  A private redis-server and the test receiver.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/alert-lib.sh"

start_redis
start_receiver
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }
# got PATH: the events the receiver got at PATH, in order, one line.
got() { jq -r --arg p "$1" 'select(.path == $p) | .body | fromjson | .event' "$RECV_LOG" | tr '\n' ' '; }

# The same route name in both: staging must not deliver production's outbox.
printf 'route hook webhook %s/prod\nreminder_every 5m\n' "$RECV" >"$TMP/prod.conf"
printf 'route hook webhook %s/staging\nreminder_every 5m\n' "$RECV" >"$TMP/staging.conf"
printf 'fail_windows 2\n' >"$TMP/bare.conf"
PROD=$(realpath "$TMP/prod.conf")
STAGING=$(realpath "$TMP/staging.conf")

# The configured run, from cron, with nothing to read yet: it claims the store.
is "$(MCP_NOW=$(w 0) mcp-alert -c "$TMP/prod.conf" </dev/null 2>&1):$?" ":0" "the configured run: exit 0"
is "$(rcli get mcp:alert:owner)" "$PROD" "the store remembers the deciding configuration"

# Each minute: the verdict of window K, read by a hand run without -c, a
# staging configuration and a dry run before the configured run reads it.
# Window 0 green, 1-9 red (the trigger at 3, a reminder at 8), 10-12 green
# (the resolve at 12).
: >"$TMP/hand.rc" && : >"$TMP/staging.rc" && : >"$TMP/dry.rc" && : >"$TMP/prod.rc"
: >"$TMP/hand.out" && : >"$TMP/staging.out" && : >"$TMP/dry.out" && : >"$TMP/prod.out"
for k in $(seq 0 12); do
	if [ "$k" = 0 ] || [ "$k" -ge 10 ]; then green x "$k" "$k"; else red x "$k" "$k" http; fi >"$TMP/v"
	export MCP_NOW=$(($(w "$k") + 95))
	mcp-alert <"$TMP/v" >>"$TMP/hand.out" 2>"$TMP/hand.err"
	echo $? >>"$TMP/hand.rc"
	mcp-alert -c "$TMP/staging.conf" <"$TMP/v" >>"$TMP/staging.out" 2>"$TMP/staging.err"
	echo $? >>"$TMP/staging.rc"
	mcp-alert --dry-run -c "$TMP/staging.conf" <"$TMP/v" >>"$TMP/dry.out" 2>>"$TMP/dry.err"
	echo $? >>"$TMP/dry.rc"
	mcp-alert -c "$TMP/prod.conf" <"$TMP/v" >>"$TMP/prod.out" 2>>"$TMP/prod.err"
	echo $? >>"$TMP/prod.rc"
done
is "$(sort -u "$TMP/hand.rc" | tr '\n' ' '):$(cat "$TMP/hand.out")" "2 :" "the hand run without -c: refused every minute, nothing decided"
is "$(cat "$TMP/hand.err")" "mcp-alert: this store is decided by $PROD; a run with no configuration would take the deliveries it owes its routes: refused (--dry-run shows what it would do; \"mcp-alert -c CONFIG claim\" hands the store over)" \
    "it says which configuration decides, and how to look or hand over"
is "$(sort -u "$TMP/staging.rc" | tr '\n' ' '):$(cat "$TMP/staging.out")" "2 :" "the staging configuration: refused every minute"
like "$(cat "$TMP/staging.err")" "decided by $PROD; a run with $STAGING would take" "it names both configurations"
is "$(sort -u "$TMP/prod.rc" | tr '\n' ' '):$(cat "$TMP/prod.err")" "0 :" "the configured run: exit 0 every minute, quiet"
is "$(jq -r '"\(.event) \(.dedup_key)"' "$TMP/prod.out" | tr '\n' ' ')" \
    "trigger x:$(w 1) reminder x:$(w 1) resolve x:$(w 1) " "the configured run decides the trigger, the reminder and the resolve"
is "$(got /prod)" "trigger reminder resolve " "the receiver got every trigger, reminder and resolve, exactly once"
is "$(got /staging)" "" "staging delivered nothing, not even production's outbox of the same name"
# The dry run read each window before the configured run decided it: it
# says what that run was about to decide and send.
is "$(sort -u "$TMP/dry.rc" | tr '\n' ' ')" "0 " "the dry run: exit 0 every minute"
is "$(jq -r .event "$TMP/dry.out" | tr '\n' ' ')" "trigger reminder resolve " "the dry run printed what would be decided"
is "$(cat "$TMP/dry.err")" "mcp-alert: dry run: would send trigger P1 x:$(w 1) to hook
mcp-alert: dry run: would send reminder P1 x:$(w 1) to hook
mcp-alert: dry run: would send resolve P1 x:$(w 1) to hook" "and what would be sent to which route"
is "$(rcli get mcp:alert:owner):$(rcli --scan --pattern 'mcp:alert:outbox:*' | wc -l)" "$PROD:0" \
    "the store still decided by production, every outbox empty"

# --- a dry run writes nothing ------------------------------------------------------
{
	red y 0 9 http
	green y 10 12
} >"$TMP/in"
MCP_NOW=$(w 13) mcp-alert -R "$MCP_REDIS?db=1" -n -c "$TMP/prod.conf" <"$TMP/in" >"$TMP/out" 2>"$TMP/err"
is "$?:$(jq -r .event "$TMP/out" | tr '\n' ' ')" "0:trigger reminder resolve " \
    "a dry run over a stream decides as the run would (its states kept in memory)"
is "$(grep -c 'would send' "$TMP/err"):$(rcli -n 1 dbsize)" "3:0" "and writes nothing to the store, not even a claim"
is "$(got /prod)" "trigger reminder resolve " "nor delivers"

# --- other commands, another configuration, claim -------------------------------------
red z 0 2 http >"$TMP/in"
MCP_NOW=$(w 3) mcp-alert -c "$TMP/prod.conf" <"$TMP/in" >"$TMP/out" 2>&1
is "$(jq -r .event "$TMP/out")" "trigger" "a second incident, decided by production"
for cmd in "ack z:$(w 0)" "test z" "token $TMP/nothing"; do
	# shellcheck disable=SC2086 # the command's words
	MCP_NOW=$(w 4) mcp-alert -c "$TMP/staging.conf" $cmd </dev/null >"$TMP/out" 2>"$TMP/err"
	is "$?:$(cat "$TMP/out")" "2:" "staging's $cmd: refused"
done
MCP_NOW=$(w 4) mcp-alert -c "$TMP/bare.conf" </dev/null >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/out")" "2:" "a configuration without routes: refused too"
is "$(MCP_NOW=$(w 4) mcp-alert -c "$TMP/staging.conf" maint add z --for 1h --reason move 2>&1):$?" ":0" \
    "maint, which decides nothing, is not refused"
is "$(mcp-alert claim 2>&1 | head -1):$(mcp-alert claim >/dev/null 2>&1; echo $?)" \
    "mcp-alert: claim: -c CONFIG is required:2" "claim without -c: usage, the store is never handed to no configuration"
is "$(mcp-alert -n -c "$TMP/prod.conf" maint list 2>&1):$?" \
    "mcp-alert: maint: --dry-run: maint decides nothing; it is not dry-run:2" "maint --dry-run: refused"
is "$(mcp-alert -c "$TMP/staging.conf" claim 2>&1):$?" "mcp-alert: $STAGING decides this store from now on:0" \
    "claim: staging decides from now on"
is "$(rcli get mcp:alert:owner)" "$STAGING" "the store says so"
MCP_NOW=$(w 5) mcp-alert -c "$TMP/prod.conf" </dev/null >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/out")" "2:" "production is refused in its turn"
is "$(mcp-alert -c "$TMP/prod.conf" claim 2>&1):$?" "mcp-alert: $PROD decides this store from now on:0" "and claims it back"
: >"$RECV_LOG"
green z 3 5 >"$TMP/in"
MCP_NOW=$(w 6) mcp-alert -c "$TMP/prod.conf" <"$TMP/in" >"$TMP/out" 2>&1
is "$(jq -r .event "$TMP/out" | tr '\n' ' '):$(got /prod)" "resolve :resolve " \
    "back in its hands, production resolves the incident it announced, to its route"

done_testing
