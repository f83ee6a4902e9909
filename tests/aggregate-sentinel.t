#!/usr/bin/env bash
# test: alone (network namespaces, sshd or timing that a second test would disturb)
# aggregate-sentinel.t - mcp-aggregate over redis-sentinel://, the master killed mid-run
# A real Sentinel, master and replica on 127.0.0.1; the master is killed
# while a push is reading its input; push and verdict follow the failover.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/aggregate-lib.sh"

command -v node >/dev/null || skip_all "node is needed to find free ports"
PM=$(free_port)
PR=$(free_port)
PS=$(free_port)
[ "$PM" != "$PR" ] && [ "$PR" != "$PS" ] && [ "$PM" != "$PS" ] || skip_all "no three free ports"

start_server() { # NAME PORT ARGS...
	local name=$1 port=$2
	shift 2
	mkdir -p "$TMP/$name"
	redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
	    --dir "$TMP/$name" --daemonize no --logfile "$TMP/$name/log" "$@" &
	SERVER_PID=$!
	bg_pid "$SERVER_PID"
}
role_of() { redis-cli -p "$1" role 2>/dev/null | head -1; }
replica_synced() {
	redis-cli -p "$PR" info replication | grep -q '^master_link_status:up'
}
sentinel_knows_replica() {
	redis-cli -p "$PS" sentinel replicas m | grep -qx "127.0.0.1:$PR"
}
in_sync() {
	local a b
	a=$(redis-cli -p "$PM" info replication | sed -n 's/^master_repl_offset:\([0-9]*\).*/\1/p')
	b=$(redis-cli -p "$PR" info replication | sed -n 's/^slave_repl_offset:\([0-9]*\).*/\1/p')
	[ -n "$a" ] && [ "$a" = "$b" ]
}

start_server master "$PM" --repl-diskless-sync-delay 0
wait_for 50 redis-cli -p "$PM" ping
PM_PID=$SERVER_PID
start_server replica "$PR" --replicaof 127.0.0.1 "$PM"
# Sentinel learns the replicas from the master's INFO, every 10 s after
# the first: start it once the replica is attached.
wait_for 100 replica_synced || skip_all "the replica did not sync: $(tail -3 "$TMP/replica/log")"
cat >"$TMP/sentinel.conf" <<EOF
port $PS
bind 127.0.0.1
dir $TMP
logfile $TMP/sentinel.log
sentinel monitor m 127.0.0.1 $PM 1
sentinel down-after-milliseconds m 300
sentinel failover-timeout m 3000
EOF
redis-server "$TMP/sentinel.conf" --sentinel &
bg_pid $!
wait_for 150 sentinel_knows_replica ||
    skip_all "sentinel did not come up: $(tail -3 "$TMP/sentinel.log")"

# The reference: the same records into a plain store.
{
	gen -s s-ha -r "$ALL" -n 5
	gen -s s-ha -r eu-west-2,us-east-1 -t "$(w 5)" -f tools_list
	gen -s s-ha -r ap-southeast-1,sa-east-1,us-west-2 -t "$(w 5)"
	gen -s s-ha -r "$ALL" -n 4 -t "$(w 6)"
} >"$TMP/all"
head -n $((25 * 9)) "$TMP/all" >"$TMP/part1"
tail -n +$((25 * 9 + 1)) "$TMP/all" >"$TMP/part2"
start_redis
push <"$TMP/all"
run_windows 0 9
for i in $(seq 0 9); do mv "$TMP/v.$i" "$TMP/ref.$i"; done

export MCP_REDIS=redis-sentinel://127.0.0.1:$PS/m
export MCP_SPOOL=$TMP/spool
is "$(role_of "$PM"):$(role_of "$PR")" master:slave "master and replica are up"

# One push reads from a FIFO: part 1, then the master dies, then part 2.
mkfifo "$TMP/fifo"
MCP_NOW=$(($(w 9) + 3)) mcp-aggregate push -v <"$TMP/fifo" 2>"$TMP/push.err" &
push_pid=$!
exec 4>"$TMP/fifo"
cat "$TMP/part1" >&4
part1_stored() { [ "$(res_regions -R "redis://127.0.0.1:$PM" s-ha "$(w 4)" | wc -w)" = 5 ]; }
wait_for 100 part1_stored
is "$(res_regions -R "redis://127.0.0.1:$PM" s-ha "$(w 4)" | wc -w | tr -d ' ')" 5 \
    "part 1 reached the master while push runs"
wait_for 50 in_sync
exec 3>&2 2>/dev/null
kill -9 "$PM_PID"
wait "$PM_PID"
exec 2>&3 3>&-
cat "$TMP/part2" >&4
exec 4>&-
wait "$push_pid"
is "$?" 0 "push followed the failover: exit 0"
diag "$(cat "$TMP/push.err")"
like "$(cat "$TMP/push.err")" "push: 50 results stored, 0 duplicates ignored, 400 step records skipped, 0 bad lines, 0 spooled" \
    "every record stored, none spooled"
is "$(role_of "$PR")" master "Sentinel promoted the replica"

run_windows 0 9
same_verdicts 0 9
is "$?" 0 "verdicts continue: the same as without the failover"
is "$(verdicts s-ha 0 9)" "g g g g g r g g g g" "including the red window pushed after the failover"
is "$(redis-cli -p "$PR" get "mcp:{s-ha}:verdict" | grep -o '"window":[0-9]*')" "\"window\":$(w 9)" \
    "the current verdict is on the new master"

done_testing
