#!/usr/bin/env bash
# store-full.sh BUILD_DIR - the store's peak memory under forty churning entries (issue 61), against its maxmemory and MCP_LISTS_MAX
# Forty entries serving a new tools, resources and prompts list of 63 KiB
# at every probe (tests/gen-lists.mjs) beside an honest server, ten
# windows through the real push and verdict (MCP_NOW), into a noeviction
# redis-server of 24, 40 and 256 MB at the default bound and at 8M.  For
# each: the peak of used_memory (Redis's used_memory_peak: the moments
# between two samples too, client buffers included), the text the index
# counts at its peak and at the end, the windows whose push failed
# (spooled) or whose verdict was not stored.  With
# BENCH_FULL_BEFORE=DIR, DIR's binaries (the build before) the same way.
# Prints figures only.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
. "$(dirname "$0")/lib.sh"
T0=1795536000
node "$TOP/tests/gen-lists.mjs" --dir "$TMP/gen" --t0 $T0 --minutes 10 --honest 1 --hostile 40 \
    --down hl-00001:5:6 >/dev/null
batch=$(jq -r 'select(.type == "step") | .detail | [.tools, .resources, .prompts] | map(tojson | length) | add' \
    "$TMP/gen/0.jsonl" | awk '{ s += $1 } END { print s }')
echo "a window's new lists: $(calc "$batch / 1e6" | xargs printf '%.1f') MB of text"

# one BIN MAXMEMORY [LISTS_MAX]: a line of figures.
one() {
	local bin=$1 d k peak idx peakidx=0 spooled='' unstored='' sock
	d=$(mktemp -d "$TMP/r.XXXXXX") sock=$d/redis.sock
	redis-server --port 0 --unixsocket "$sock" --unixsocketperm 700 --save '' --appendonly no \
	    --dir "$d" --daemonize no --logfile "$d/redis.log" --maxmemory "$2" \
	    --maxmemory-policy noeviction &
	local pid=$!
	for _ in $(seq 100); do redis-cli -s "$sock" ping >/dev/null 2>&1 && break; sleep 0.05; done
	for k in $(seq 0 9); do
		MCP_REDIS=unix://$sock MCP_SPOOL=$d/spool MCP_LISTS_MAX=${3:-64M} MCP_NOW=$((T0 + 60 * k + 30)) \
		    "$bin/mcp-aggregate" push <"$TMP/gen/$k.jsonl" >/dev/null 2>&1 || spooled="$spooled $k"
		MCP_REDIS=unix://$sock MCP_LISTS_MAX=${3:-64M} MCP_NOW=$((T0 + 60 * k + 95)) \
		    "$bin/mcp-aggregate" verdict >/dev/null 2>&1 || unstored="$unstored $k"
		idx=$(redis-cli -s "$sock" hget 'mcp:lists:size:{mcp:lists}' '')
		[ "${idx:-0}" -le "$peakidx" ] || peakidx=${idx:-0}
	done
	# Redis's own peak: the moments between two samples too.
	peak=$(redis-cli -s "$sock" info memory | awk -F: '/^used_memory_peak:/ { print $2 + 0 }')
	kill "$pid"
	wait "$pid" 2>/dev/null || :
	printf '%-7s %-4s peak %5.1f MB used (%3.0f%%), text %5.1f MB at its peak, %5.1f at the end; push failed in:%s; verdict not stored in:%s\n' \
	    "$2" "${3:-64M}" "$(calc "$peak / 1e6")" "$(calc "100 * $peak / ${2%mb} / 1048576")" \
	    "$(calc "$peakidx / 1e6")" "$(calc "${idx:-0} / 1e6")" "${spooled:- none}" "${unstored:- none}"
}

for b in "$BIN" ${BENCH_FULL_BEFORE:+"$BENCH_FULL_BEFORE"}; do
	[ "$b" = "$BIN" ] && echo "this build:" || echo "the build before (BENCH_FULL_BEFORE):"
	for m in 24mb 40mb 256mb; do
		one "$b" $m
		one "$b" $m 8M
	done
done
