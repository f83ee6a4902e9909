#!/usr/bin/env bash
# alert-faults.t - faults lose nothing (issue 34): a page queued by a run
# goes out in that run; Redis restarted mid-incident, with and without
# AOF; mcp-alert killed with SIGKILL mid-delivery.  A private
# redis-server and the test receiver (tests/fixtures/receiver.mjs).
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/alert-lib.sh"

start_redis
start_receiver
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }
# keys PATH: "event dedup_key" of each body the receiver accepted (2xx) at PATH, in order.
keys() { jq -r --arg p "$1" 'select(.path == $p and .status < 300) | .body | fromjson | "\(.event) \(.dedup_key)"' "$RECV_LOG"; }
# Each incident told alone: these are the mechanics of one delivery (grouping: alert-group.t).
printf 'route hook webhook %s/hook\ngroup_by slug\n' "$RECV" >"$TMP/alert.conf"

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
printf 'route hook webhook %s/hook\nroute beat webhook %s/beat\nheartbeat beat 1m\ngroup_by slug\n' "$RECV" "$RECV" >"$TMP/beat.conf"
for i in 0 1 2; do
	rcli -n 1 del mcp:alert:heartbeat >/dev/null
	MCP_NOW=$(w $((i + 20))).0007 mcp-alert -R "$MCP_REDIS?db=1" -c "$TMP/beat.conf" </dev/null 2>>"$TMP/err1"
	echo "$(keys /beat | wc -l)"
done >"$TMP/beats"
is "$(tr '\n' ' ' <"$TMP/beats"):$(cat "$TMP/err1")" "1 2 3 :" "each run's heartbeat delivered in that run"

# --- Redis restarted mid-incident, with an append-only file -------------------
# A store of its own, as mcp-store(7) asks for it: appendonly yes.
AOF=$TMP/aof
mkdir "$AOF"
redis_in "$AOF" --appendonly yes
A="unix://$AOF/redis.sock"
printf 'route hook webhook %s/aof\nretry_base 30s\ngroup_by slug\n' "$RECV" >"$TMP/aof.conf"
# run K VERDICTS...: mcp-alert on the store URL $U at window K's run, its
# stderr kept in $TMP/err.$U_NAME.
run() {
	local k=$1
	shift
	printf '%s\n' "$@" | MCP_NOW=$(($(w "$k") + 95)) mcp-alert -R "$U" -c "$CONF" >>"$TMP/$NAME.out" 2>>"$TMP/$NAME.err"
	echo $? >>"$TMP/$NAME.rc"
}
U=$A CONF=$TMP/aof.conf NAME=aof
for k in 0 1 2; do run "$k" "$(red p "$k" "$k" http)"; done
is "$(keys /aof)" "trigger p:$(w 0)" "the incident paged"
# q's trigger is queued while the receiver fails: it waits in the outbox.
recv_answer /aof 503
for k in 3 4 5; do run "$k" "$(red p "$k" "$k" http)" "$(red q "$k" "$k" http)"; done
is "$(redis-cli -s "$AOF/redis.sock" llen mcp:alert:outbox:hook)" 1 "q's trigger queued, undelivered"
redis-cli -s "$AOF/redis.sock" shutdown >/dev/null 2>&1 </dev/null
wait_for 50 sh -c "! redis-cli -s '$AOF/redis.sock' ping"
redis_in "$AOF" --appendonly yes
is "$(redis-cli -s "$AOF/redis.sock" llen mcp:alert:outbox:hook)" 1 "Redis restarted: the queued delivery is still there"
recv_answer /aof 200
for k in 6 7 8 9; do run "$k" "$(red p "$k" "$k" http)" "$(green q "$k" "$k")"; done
for k in 10 11 12; do run "$k" "$(green p "$k" "$k")"; done
is "$(keys /aof)" "trigger p:$(w 0)
trigger q:$(w 3)
resolve q:$(w 3)
resolve p:$(w 0)" "after the restart: the queued trigger delivered, no second trigger of p, both resolves"
is "$(sort -u "$TMP/aof.rc" | tr '\n' ' '):$(cat "$TMP/aof.err")" \
    "0 :mcp-alert: route hook: trigger q:$(w 3): HTTP 503; attempt 1, next in 30 s" "exit 0 each run; only the failed attempt said"
is "$(jq -s 'map(select(.store_reset)) | length' "$TMP/aof.out")" 0 "no record marked store_reset"
is "$(U=$A mcp-alert -R "$A" -c "$TMP/aof.conf" check 2>&1):$?" ":0" "check: a store with an append-only file, quiet"

# --- Redis restarted without persistence ---------------------------------------
# A long-running mcp-alert (its input a fifo): the marker it saw is gone.
NOP=$TMP/nop
mkdir "$NOP"
redis_in "$NOP"
N="unix://$NOP/redis.sock"
printf 'route hook webhook %s/nop\ngroup_by slug\n' "$RECV" >"$TMP/nop.conf"
is "$(mcp-alert -R "$N" -c "$TMP/nop.conf" check 2>&1):$?" \
    "mcp-alert: check: the store keeps no append-only file (appendonly no): a restart of Redis loses the open incidents and the queued deliveries, and pages the incidents again as new (see mcp-store(7)):0" \
    "check warns of a store without an append-only file"
mkfifo "$TMP/fifo"
MCP_NOW=$(w 30) mcp-alert -R "$N" -c "$TMP/nop.conf" <"$TMP/fifo" >"$TMP/nop.out" 2>"$TMP/nop.err" &
pid=$!
bg_pid "$pid"
exec 7>"$TMP/fifo"
red r 0 2 http >&7
wait_for 100 sh -c "grep -q '/nop' '$RECV_LOG'"
is "$(keys /nop):$(cat "$TMP/nop.err")" "trigger r:$(w 0):" "the incident paged, nothing said"
redis-cli -s "$NOP/redis.sock" shutdown nosave >/dev/null 2>&1 </dev/null
wait_for 50 sh -c "! redis-cli -s '$NOP/redis.sock' ping"
redis_in "$NOP" 7>&- # not a writer of the fifo
red r 3 5 http >&7
wait_for 100 sh -c "[ \$(grep -c '/nop' '$RECV_LOG') -ge 2 ]"
exec 7>&-
wait "$pid"
is "$?:$(keys /nop | tr '\n' ' ')" "0:trigger r:$(w 0) trigger r:$(w 3) " "the store forgot the incident: it pages again"
is "$(jq -r 'select(.path == "/nop") | .body | fromjson | "\(.store_reset // false) \(.summary)"' "$RECV_LOG" | tail -1)" \
    "true r: http failing in 2 regions (mcp-alert's store lost its state at 16:30 UTC: this may repeat an earlier page)" \
    "the second trigger carries store_reset, and its summary says so"
is "$(jq -r 'select(.path == "/nop") | .body | fromjson | keys_unsorted | .[-1]' "$RECV_LOG" | tail -1)" store_reset \
    "store_reset comes last, an addition after at (mcp(7))"
is "$(cat "$TMP/nop.err")" \
    "mcp-alert: the store lost mcp-alert's state (its marker of 2026-11-24T16:30:00Z is gone): the incidents still open page again as new, marked store_reset" \
    "said once on stderr"
# A cron run later (the loss was seen at 16:30): an incident begun after
# it is not marked.
red r2 31 33 http | MCP_NOW=$(($(w 33) + 95)) mcp-alert -R "$N" -c "$TMP/nop.conf" >"$TMP/nop2.out" 2>"$TMP/nop2.err"
is "$(jq -r '"\(.event) \(.dedup_key) \(.store_reset // false)"' "$TMP/nop2.out"):$(cat "$TMP/nop2.err")" \
    "trigger r2:$(w 31) false:" "a later run: an incident begun after the loss is not marked, nothing said"

# A store kept by snapshots only (RDB, no append-only file), restarted
# between two runs: the state is the snapshot's.
RDB=$TMP/rdb
mkdir "$RDB"
redis_in "$RDB" --save '3600 1'
U="unix://$RDB/redis.sock" CONF=$TMP/nop.conf NAME=rdb
for k in 0 1 2; do run "$k" "$(red s "$k" "$k" http)"; done
redis-cli -s "$RDB/redis.sock" shutdown save >/dev/null 2>&1 </dev/null
wait_for 50 sh -c "! redis-cli -s '$RDB/redis.sock' ping"
redis_in "$RDB" --save '3600 1'
for k in 3 4; do run "$k" "$(red s "$k" "$k" http)" "$(red s2 "$k" "$k" http)"; done
is "$(cat "$TMP/rdb.err")" \
    "mcp-alert: the store restarted without an append-only file: mcp-alert's state is a snapshot's, what changed after it is lost; the incidents still open page again as new, marked store_reset" \
    "a store restarted from a snapshot: said once"
is "$(jq -r 'select(.slug == "s") | "\(.event) \(.store_reset // false)"' "$TMP/rdb.out" | tr '\n' ' ')" \
    "trigger false " "the incident the snapshot kept does not page again"

# --- mcp-alert killed mid-delivery -----------------------------------------------
# A slow receiver (3 s an answer): mcp-alert killed with SIGKILL while the
# second of five triggers waits for its answer.  The next run delivers
# what is left; a trigger received twice carries the same webhook-id and
# dedup_key both times.
printf 'route slow webhook %s/slow\ndelivery_timeout 5s\ngroup_by slug\n' "$RECV" >"$TMP/slow.conf"
curl -sf "$RECV/_control?path=/slow&delay=3000" >/dev/null
for i in 1 2 3 4 5; do red "k$i" 0 2 http; done >"$TMP/k.in"
MCP_NOW=$(($(w 2) + 95)) mcp-alert -R "$MCP_REDIS?db=2" -c "$TMP/slow.conf" <"$TMP/k.in" >"$TMP/k.out" 2>"$TMP/k.err" &
pid=$!
wait_for 150 sh -c "[ \$(grep -c '\"/slow\"' '$RECV_LOG') -ge 2 ]"
kill -9 "$pid"
wait "$pid" 2>/dev/null
is "$(grep -c '"/slow"' "$RECV_LOG"):$(rcli -n 2 llen mcp:alert:outbox:slow)" "2:4" \
    "killed during the second delivery: it is still queued, with the three after it"
curl -sf "$RECV/_control?path=/slow&delay=0" >/dev/null
# The dead process's lock on the route lapses after delivery_timeout + 5 s.
wait_for 150 sh -c "[ \$(redis-cli -s '$REDIS_SOCK' -n 2 exists mcp:alert:lock:slow) = 0 ]"
MCP_NOW=$(($(w 3) + 95)) mcp-alert -R "$MCP_REDIS?db=2" -c "$TMP/slow.conf" </dev/null >>"$TMP/k.out" 2>>"$TMP/k.err"
is "$?:$(cat "$TMP/k.err"):$(rcli -n 2 llen mcp:alert:outbox:slow)" "0::0" "the next run delivers the rest: exit 0, quiet, the outbox empty"
slow() { jq -r 'select(.path == "/slow") | "\(.body | fromjson | .dedup_key) \(.headers["webhook-id"])"' "$RECV_LOG"; }
is "$(slow | cut -d' ' -f1 | sort -u | tr '\n' ' ')" \
    "$(for i in 1 2 3 4 5; do printf 'k%s:%s ' "$i" "$(w 0)"; done)" "every trigger received"
is "$(slow | cut -d' ' -f1 | sort | uniq -d)" "k2:$(w 0)" "the one in flight when killed received twice"
is "$(slow | sort -u | cut -d' ' -f1 | uniq -d)" "" "each dedup_key always with the same webhook-id"
is "$(slow | wc -l)" 6 "nothing else repeated"

done_testing
