#!/usr/bin/env bash
# alert-faults.t - faults lose nothing (issue 34): a page queued by a run
# goes out in that run; Redis restarted mid-incident, with and without
# AOF; mcp-alert killed with SIGKILL mid-delivery.  A private
# redis-server and the test receiver (tests/fixtures/receiver.mjs).
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/alert-lib.sh"

start_redis
start_receiver
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }
# keys PATH: "event dedup_key" of each body the receiver got at PATH, in order.
keys() { jq -r --arg p "$1" 'select(.path == $p) | .body | fromjson | "\(.event) \(.dedup_key)"' "$RECV_LOG"; }
printf 'route hook webhook %s/hook\n' "$RECV" >"$TMP/alert.conf"

# --- a page queued by a run goes out in that run ------------------------------
# A job is due when it is queued.  Its due time, read from the clock and
# rounded to the nearest millisecond, lay after the run's own clock when
# the clock's fraction of a millisecond was .5 or more (about one run in
# four in production, where the delivery follows within a fraction of a
# millisecond), and the trigger waited for the next run.  Here the clock
# is MCP_NOW, each run's with another fraction of a millisecond.
: >"$TMP/late"
for i in $(seq 0 9); do
	red "s$i" "$i" $((i + 2)) http |
	    MCP_NOW=$(w $((i + 3))).0${i}05 mcp-alert -c "$TMP/alert.conf" >/dev/null 2>>"$TMP/err1"
	n=$(keys /hook | grep -c "^trigger s$i:")
	[ "$n" = 1 ] || echo "run $i (MCP_NOW $(w $((i + 3))).0${i}05): $n" >>"$TMP/late"
done
is "$(cat "$TMP/late"):$(cat "$TMP/err1")" ":" "10 runs, each trigger received during its own run"
is "$(keys /hook | grep -c '^trigger ')" 10 "and each once"
is "$(rcli llen mcp:alert:outbox:hook)" 0 "nothing left in the outbox"
# The heartbeat, queued and delivered by the same run (its key, whose TTL
# runs on Redis's clock, removed before each).
printf 'route hook webhook %s/hook\nroute beat webhook %s/beat\nheartbeat beat 1m\n' "$RECV" "$RECV" >"$TMP/beat.conf"
for i in 0 1 2; do
	rcli -n 1 del mcp:alert:heartbeat >/dev/null
	MCP_NOW=$(w $((i + 20))).0007 mcp-alert -R "$MCP_REDIS?db=1" -c "$TMP/beat.conf" </dev/null 2>>"$TMP/err1"
	echo "$(keys /beat | wc -l)"
done >"$TMP/beats"
is "$(tr '\n' ' ' <"$TMP/beats"):$(cat "$TMP/err1")" "1 2 3 :" "each run's heartbeat delivered in that run"

done_testing
