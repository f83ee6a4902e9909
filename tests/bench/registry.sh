#!/usr/bin/env bash
# registry.sh BUILD_DIR - a registry of BENCH_REG_SERVERS servers (default 20,000) synced and pulled
# The fixture registry (tests/fixtures/registry.mjs) serves registry-gen.mjs's
# entries over loopback, 100 a page; "mcp-aggregate registry sync" crawls
# them into a fresh store (a full pass), then again (incremental), and
# "mcp-aggregate targets" prints the targets file, whole and as one shard
# of 4.  The goals of issue 35: a sync within 30 s, targets within 2 s.
# Then a flood (issue 39): BENCH_REG_FLOOD hostile servers (default 600,
# about 164 MB of listing, 14 a page of 4 MiB) each at the bounds the sync
# had before (4 remotes, URLs of 2 KB, 16 headers of 4 KB), then 480 and
# 560 at the bounds of now (16 remotes of fields near 4 KB: just under and
# over the 32 MiB of a store), each synced into a fresh store: the sync's
# peak memory, the store's bytes, the bytes targets prints.
. "$(dirname "$0")/lib.sh"
N=${BENCH_REG_SERVERS:-20000}

bench_redis
node "$TOP/tests/fixtures/registry-gen.mjs" --count "$N" >"$TMP/fix.json"
node "$TOP/tests/fixtures/registry.mjs" --fixture "$TMP/fix.json" --port-file "$TMP/port" &
reg_pid=$!
flood_pid=
trap 'kill $reg_pid $flood_pid 2>/dev/null; cleanup' EXIT
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

# flood LABEL GEN-ARGS PAGE: a hostile registry synced into store db 1, measured.
flood() {
	local label=$1 gen=$2 page=$3 rc=0
	node "$TOP/tests/fixtures/registry-gen.mjs" $gen >"$TMP/flood.json"
	rm -f "$TMP/fport"
	node "$TOP/tests/fixtures/registry.mjs" --fixture "$TMP/flood.json" --port-file "$TMP/fport" \
	    --page "$page" &
	flood_pid=$!
	for _ in $(seq 100); do [ -s "$TMP/fport" ] && break; sleep 0.05; done
	redis-cli -s "$SOCK" -n 1 flushdb >/dev/null
	/usr/bin/time -f '%M' -o "$TMP/rss" "$BIN/mcp-aggregate" registry sync -R "unix://$SOCK?db=1" \
	    "http://127.0.0.1:$(cat "$TMP/fport")" 2>"$TMP/flood.err" || rc=$?
	printf '%-34s %s MB listing, exit %s, peak %s MB\n' "$label" \
	    "$(($(wc -c <"$TMP/flood.json") / 1000000))" "$rc" "$(($(tail -1 "$TMP/rss") / 1024))"
	echo "  $(grep -v 'Command exited' "$TMP/flood.err" | tail -1 | cut -c1-150)"
	echo "  mcp:registry:servers: $(redis-cli -s "$SOCK" -n 1 memory usage mcp:registry:servers samples 0) bytes;" \
	    "targets prints $("$BIN/mcp-aggregate" targets -R "unix://$SOCK?db=1" 2>/dev/null | wc -c) bytes"
	kill "$flood_pid"
	wait "$flood_pid" 2>/dev/null || true
	flood_pid=
}
F=${BENCH_REG_FLOOD:-600}
flood "flood, $F servers at the old bounds" "--flood $F" 14
flood "flood, 480 servers at the new bounds" "--flood-fit 480" 60
flood "flood, 560 servers at the new bounds" "--flood-fit 560" 60
