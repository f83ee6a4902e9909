#!/usr/bin/env bash
# readiness-cost.sh BUILD_DIR - what grading readiness costs a runner: mcp-probe with --readiness beside it without
# A fleet of probes of one server, each way in turn: without --readiness,
# and with --readiness=1 (every target graded in every run: its few
# requests of its own on top of the minute's); the hourly grading the
# packages run (--readiness=60, a sixtieth of the fleet a minute) costs a
# sixtieth of the difference, which is the figure issue 68 bounds (5 % of
# a runner's work).  Two servers: the official SDK v2's modern server of
# both eras (tests/fixtures/modern.mjs dual: three server/discover and a
# legacy initialize, the most a target is asked) and server-everything
# (legacy: one ping).  CPU time a probe (median of 3 runs of BENCH_READY_N
# probes, -j 50) and, repeatable, instructions (callgrind, 100 probes).
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tests/bench/util.sh
. tests/bench/util.sh
B=${1:-build}
probe=$PWD/$B/mcp-probe
n=${BENCH_READY_N:-300}
tmp=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/timed" tests/bench/timed.c
# row LABEL EVERY NONE UNIT SCALE: both figures, every run's cost and the hourly one
row() {
	awk -v l="$1" -v a="$2" -v b="$3" -v u="$4" -v s="$5" 'BEGIN {
		printf "  %-44s %10.3f %10.3f %6s  every run +%.1f %%, hourly +%.2f %%\n",
		    l, a * s, b * s, u, (a / b - 1) * 100, (a / b - 1) * 100 / 60 }'
}

node tests/fixtures/modern.mjs --port-file "$tmp/modern.port" >/dev/null 2>&1 &
pids+=($!)
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
PORT=$port node tests/node_modules/@modelcontextprotocol/server-everything/dist/index.js streamableHttp \
    >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 300); do [ -s "$tmp/modern.port" ] && break; sleep 0.1; done
for _ in $(seq 100); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" && break; sleep 0.1; done
modern=http://127.0.0.1:$(cat "$tmp/modern.port")/dual/mcp
legacy=http://127.0.0.1:$port/mcp
# Warm servers (their first answers are slow: JIT).
for _ in 1 2 3 4 5; do "$probe" -r bench "$modern" >/dev/null || true; "$probe" -r bench "$legacy" >/dev/null || true; done
echo "mcp-probe with --readiness=1 (every target graded) beside it without:"
printf '  %-44s %10s %10s %6s\n' "" every none unit
for kind in modern legacy; do
	url=$modern
	[ "$kind" = legacy ] && url=$legacy
	for i in $(seq "$n"); do echo "s$i $url"; done >"$tmp/f.$kind"
	: >"$tmp/w" && : >"$tmp/o"
	for _ in 1 2 3; do
		timed "$probe" -r bench -j 50 --readiness=1 -f "$tmp/f.$kind" | awk '{ print $2 }' >>"$tmp/w"
		timed "$probe" -r bench -j 50 -f "$tmp/f.$kind" | awk '{ print $2 }' >>"$tmp/o"
	done
	label="$n probes of $kind ($([ "$kind" = modern ] && echo "SDK v2, both eras" || echo server-everything)), CPU"
	row "$label" "$(calc "\"%.9f\", $(median <"$tmp/w") / $n")" "$(calc "\"%.9f\", $(median <"$tmp/o") / $n")" ms 1000
	if command -v valgrind >/dev/null; then
		head -n 100 "$tmp/f.$kind" >"$tmp/f100"
		row "  100 of them, instructions a probe" "$(instr "$probe" -r bench -j 50 --readiness=1 -f "$tmp/f100")" \
		    "$(instr "$probe" -r bench -j 50 -f "$tmp/f100")" M 1e-8
	fi
done
