#!/usr/bin/env bash
# probe-mem.sh BUILD_DIR - mcp-probe's peak memory for targets serving large lists, beside -m
# Figures only, no pass or fail.  Servers of tests/fixtures/biglist.mjs
# serve tool lists just under -m (one page; four pages), and one a list of
# arrays of zeros (the most a parsed tree costs a byte of JSON); one target
# alone, then twenty in flight at once (-j 20).  BENCH_BEFORE=DIR adds
# DIR's mcp-probe (the build before) in the same run.  Peak RSS and wall
# time from wait4(2) (tests/bench/timed.c).
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${1:-build}
tmp=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/timed" tests/bench/timed.c

# serve M BYTES: a fixture whose lists are BYTES long, for -m M; its base URL in $base.
serve() {
	rm -f "$tmp/port"
	node tests/fixtures/biglist.mjs --port-file "$tmp/port" --bytes "$2" 2>"$tmp/big.err" &
	pids+=($!)
	for _ in $(seq 600); do
		[ -s "$tmp/port" ] && break
		sleep 0.1
	done
	[ -s "$tmp/port" ] || { echo "probe-mem.sh: biglist.mjs did not start: $(cat "$tmp/big.err")" >&2; exit 1; }
	base=http://127.0.0.1:$(cat "$tmp/port")
}
# run LABEL PROBE M MODE N: "wall_s peak_MiB healthy/N" of one run of N targets of MODE.
run() {
	local i
	for i in $(seq "$5"); do echo "t$i $base/$4/mcp"; done >"$tmp/fleet"
	"$tmp/timed" "$tmp/time" "$2" -r bench -m "$3" -j "$5" -t 120 -w 110 -f "$tmp/fleet" \
	    >"$tmp/out" 2>/dev/null || true
	read -r wall _ rss <"$tmp/time"
	printf '%.1f %.1f %s/%s\n' "$wall" "$(echo "$rss / 1024" | bc -l)" \
	    "$(jq -r 'select(.type == "result" and .state == "healthy") | .slug' "$tmp/out" | wc -l)" "$5"
}
builds=("after $PWD/$B/mcp-probe")
[ -z "${BENCH_BEFORE:-}" ] || builds=("before $BENCH_BEFORE/mcp-probe" "${builds[@]}")

printf '%-6s %-7s %-30s %6s   %-7s %10s %8s %8s\n' -m list servers n build "peak MiB" "wall s" healthy
for m in 1M 4M; do
	bytes=$((${m%M} * 1000000 - 60000))
	serve "$m" "$bytes"
	for mode in one paged dense; do
		for n in 1 20; do
			[ "$mode" = dense ] && [ "$n" = 20 ] && continue
			for b in "${builds[@]}"; do
				read -r wall mb ok < <(run "${b%% *}" "${b#* }" "$m" "$mode" "$n")
				printf '%-6s %-7s %-30s %6s   %-7s %10s %8s %8s\n' "$m" "$((bytes / 1000)) kB" \
				    "$mode" "$n" "${b%% *}" "$mb" "$wall" "$ok"
			done
		done
	done
	kill "${pids[-1]}" 2>/dev/null || true
done
