#!/usr/bin/env bash
# registry.sh BUILD_DIR - a registry of BENCH_REG_SERVERS servers (default 20,000) synced and pulled
# The fixture registry (tests/fixtures/registry.mjs) serves registry-gen.mjs's
# entries over loopback, 100 a page; "mcp-aggregate registry sync" crawls
# them into a fresh store (a full pass), then again (incremental), and
# "mcp-aggregate targets" prints the targets file, whole and as one shard
# of 4.  The goals of issue 35: a sync within 30 s, targets within 2 s.
. "$(dirname "$0")/lib.sh"
N=${BENCH_REG_SERVERS:-20000}

bench_redis
node "$TOP/tests/fixtures/registry-gen.mjs" --count "$N" >"$TMP/fix.json"
node "$TOP/tests/fixtures/registry.mjs" --fixture "$TMP/fix.json" --port-file "$TMP/port" &
reg_pid=$!
trap 'kill $reg_pid 2>/dev/null; cleanup' EXIT
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.05; done
REG=http://127.0.0.1:$(cat "$TMP/port")
now() { date +%s.%N; }

timed() { # timed LABEL GOAL CMD...: the wall time of CMD beside its goal
	local label=$1 goal=$2 t0 t1
	shift 2
	t0=$(now)
	"$@"
	t1=$(now)
	printf '%-34s %6.2f s   (goal %s s)\n' "$label" "$(calc "$t1 - $t0")" "$goal"
}
timed "sync, full pass, $N servers" 30 "$BIN/mcp-aggregate" registry sync --full "$REG" 2>"$TMP/sync.err"
tail -1 "$TMP/sync.err"
timed "sync, incremental" 30 "$BIN/mcp-aggregate" registry sync "$REG" 2>/dev/null
timed "targets, all" 2 sh -c "'$BIN/mcp-aggregate' targets >'$TMP/t'"
echo "  $(wc -l <"$TMP/t") targets printed"
timed "targets --shard 1/4" 2 sh -c "'$BIN/mcp-aggregate' targets --shard 1/4 >'$TMP/t1'"
echo "  $(wc -l <"$TMP/t1") targets printed"
echo "  mcp:registry:servers: $(redis-cli -s "$SOCK" memory usage mcp:registry:servers samples 0) bytes"
