#!/usr/bin/env bash
# registry.sh BUILD_DIR - registries of 20,000 and 100,000 servers shaped like the real one, synced and pulled
# For each size of BENCH_REG_SIZES (default "20000 100000"): a registry
# shaped like the real one (tests/fixtures/registry-gen.mjs --shaped: the
# shares measured from the official registry's listing, every version)
# served by tests/fixtures/registry.mjs --snapshot over loopback with the
# real paging (100 a page, the cursor name:version); "mcp-aggregate
# registry sync --full" crawls it into a fresh store; the same registry a
# day later (--day 2) is synced incrementally, then in a full pass again
# (the store full: the heaviest in memory); "mcp-aggregate targets"
# prints the targets file, whole and as one shard of 4.  Each beside the
# goals of issue 48 (sync 30 s, targets 2 s), with its CPU (user+sys),
# its peak RSS, the fixture server's CPU apart, and Redis's memory of the
# hash; with BENCH_BEFORE=DIR the same with DIR's mcp-aggregate (another
# store) beside.  Then the floods (issues 39 and 48): BENCH_REG_FLOOD
# hostile servers (default 600, about 164 MB of listing, 14 a page of
# 4 MiB) each at the bounds the sync had before issue 39 (4 remotes, URLs
# of 2 KB, 16 headers of 4 KB); 560 at the bounds of issue 39 (16 remotes
# of fields near 4 KB: past 32 MiB, too fat an entry); and 72,000 thin
# ones (one field just under 2 KiB each: past 128 MiB), each synced into a
# fresh store: the sync's peak memory, the store's bytes, what targets
# prints.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
. "$(dirname "$0")/lib.sh"
SIZES=${BENCH_REG_SIZES:-20000 100000}
BEFORE=${BENCH_BEFORE:+$(cd "$BENCH_BEFORE" && pwd)}

bench_redis
rc() { redis-cli -s "$SOCK" "$@"; }
reg_pid=
flood_pid=
trap 'kill $reg_pid $flood_pid 2>/dev/null; cleanup' EXIT

# serve ARGS...: the fixture registry on a fresh port; reg_pid, REG.
serve() {
	rm -f "$TMP/port"
	node "$TOP/tests/fixtures/registry.mjs" "$@" --port-file "$TMP/port" &
	reg_pid=$!
	for _ in $(seq 600); do [ -s "$TMP/port" ] && break; sleep 0.05; done
	REG=http://127.0.0.1:$(cat "$TMP/port")
}
unserve() {
	kill "$reg_pid"
	wait "$reg_pid" 2>/dev/null || true
	reg_pid=
}
# timed LABEL GOAL DB BIN ARGS...: mcp-aggregate of BIN against store db
# DB, its wall time beside GOAL, its CPU and peak RSS, and the fixture's
# CPU meanwhile; its standard error in $TMP/err, its output in $TMP/out.
timed() {
	local label=$1 goal=$2 db=$3 bin=$4 c0 c1 st=0
	shift 4
	c0=$(cpu_of "$reg_pid")
	MCP_REDIS="unix://$SOCK?db=$db" /usr/bin/time -f '%e %U %S %M' -o "$TMP/time" \
	    "$bin/mcp-aggregate" "$@" >"$TMP/out" 2>"$TMP/err" || st=$?
	c1=$(cpu_of "$reg_pid")
	read -r wall user sys rss < <(tail -1 "$TMP/time")
	printf '%-36s %6.2f s   (goal %s s)  cpu %.2f s, peak %d MB, fixture cpu %.2f s%s\n' \
	    "$label" "$wall" "$goal" "$(calc "$user + $sys")" $((rss / 1024)) \
	    "$(calc "$c1 - $c0")" "$([ "$st" = 0 ] || echo ", exit $st")"
}

# one N BIN DB WHO: the sync and targets of N servers by BIN into store db DB.
one() {
	local n=$1 bin=$2 db=$3 who=$4
	rc -n "$db" flushdb >/dev/null
	cp "$TMP/day1.json" "$TMP/reg.json"
	curl -s "$REG/v0.1/servers?limit=1&version=latest" >/dev/null # the fixture reads the file
	timed "$who: sync --full, $n" 30 "$db" "$bin" registry sync --full "$REG"
	echo "  $(grep -v 'Command exited' "$TMP/err" | tail -1 | cut -c1-200)"
	echo "  mcp:registry:servers: $(rc -n "$db" memory usage mcp:registry:servers samples 0) bytes of Redis," \
	    "$(rc -n "$db" hget mcp:registry:sync bytes) of fields"
	cp "$TMP/day2.json" "$TMP/reg.json"
	curl -s "$REG/v0.1/servers?limit=1&version=latest" >/dev/null
	timed "$who: sync, incremental (a day)" 30 "$db" "$bin" registry sync "$REG"
	echo "  $(rc -n "$db" hget mcp:registry:sync entries) entries read"
	timed "$who: sync --full, the store full" 30 "$db" "$bin" registry sync --full "$REG"
	echo "  $(grep -v 'Command exited' "$TMP/err" | tail -1 | cut -c1-200)"
	timed "$who: targets, all" 2 "$db" "$bin" targets
	echo "  $(wc -l <"$TMP/out") targets printed, $(wc -c <"$TMP/out") bytes"
	timed "$who: targets --shard 1/4" 2 "$db" "$bin" targets --shard 1/4
	echo "  $(wc -l <"$TMP/out") targets printed"
}

for n in $SIZES; do
	t0=$(date +%s.%N)
	node "$TOP/tests/fixtures/registry-gen.mjs" --shaped "$n" >"$TMP/day1.json"
	node "$TOP/tests/fixtures/registry-gen.mjs" --shaped "$n" --day 2 >"$TMP/day2.json"
	echo "== a registry of $n servers shaped like the real one: $(($(wc -c <"$TMP/day1.json") / 1000000)) MB of listing," \
	    "every version (made in $(calc "\"%.0f\", $(date +%s.%N) - $t0") s)"
	cp "$TMP/day1.json" "$TMP/reg.json"
	serve --snapshot "$TMP/reg.json"
	one "$n" "$BIN" 0 now
	[ -z "$BEFORE" ] || one "$n" "$BEFORE" 2 before
	unserve
	rc -n 2 flushdb >/dev/null
done

# flood LABEL GEN-ARGS PAGE: a hostile registry synced into store db 1, measured.
flood() {
	local label=$1 gen=$2 page=$3 b
	# shellcheck disable=SC2086 # GEN-ARGS are words
	node "$TOP/tests/fixtures/registry-gen.mjs" $gen >"$TMP/flood.json"
	serve --fixture "$TMP/flood.json" --page "$page"
	for b in "$BIN" $BEFORE; do
		rc -n 1 flushdb >/dev/null
		timed "$label$([ "$b" = "$BIN" ] || echo ' (before)')" - 1 "$b" registry sync "$REG"
		echo "  $(($(wc -c <"$TMP/flood.json") / 1000000)) MB listing; $(grep -v 'Command exited' "$TMP/err" | tail -1 | cut -c1-160)"
		echo "  mcp:registry:servers: $(rc -n 1 memory usage mcp:registry:servers samples 0) bytes;" \
		    "targets prints $(MCP_REDIS="unix://$SOCK?db=1" "$b/mcp-aggregate" targets 2>/dev/null | wc -c) bytes"
	done
	unserve
}
F=${BENCH_REG_FLOOD:-600}
flood "flood, $F at the bounds of before" "--flood $F" 14
flood "flood, 560 fat, past 32 MiB" "--flood-fit 560" 60
T=${BENCH_REG_THIN:-72000}
flood "flood, $T thin, past 128 MiB" "--flood-thin $T" 100
