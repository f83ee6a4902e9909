#!/usr/bin/env bash
# run.sh BUILD_DIR - make bench: each tool's figures beside a peer, in one run
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${1:-build}

# Today's figures beside the new ones, in the same run: the build before
# issue 48 (BENCH_BEFORE_REV), made once from the repository into
# build-before/ (kept between runs; it needs git and this checkout's
# history), its binaries given to each script as BENCH_BEFORE.  Set
# BENCH_BEFORE to a directory of binaries to use those, or to the empty
# string to measure this build alone.
BEFORE_REV=${BENCH_BEFORE_REV:-075d3aa}
if [ -z "${BENCH_BEFORE+set}" ]; then
	BENCH_BEFORE=
	if git rev-parse -q --verify "$BEFORE_REV^{commit}" >/dev/null 2>&1; then
		src=build-before/src-$BEFORE_REV
		if [ ! -x "$src/build/mcp-aggregate" ]; then
			rm -rf "$src" && mkdir -p "$src"
			git archive "$BEFORE_REV" | tar -x -C "$src"
			ln -s "$PWD/deps" "$src/deps"
			echo "== building $BEFORE_REV, the build before, into $src (once)"
			make -C "$src" -j2 all >"$src.log" 2>&1 ||
			    { echo "run.sh: the build of $BEFORE_REV failed: $src.log" >&2; exit 1; }
		fi
		BENCH_BEFORE=$PWD/$src/build
	else
		echo "== $BEFORE_REV is not in this checkout's history: no figures of the build before"
	fi
fi
export BENCH_BEFORE
echo "== mcp-probe"
BENCH_DISTINCT=${BENCH_DISTINCT:-1000 5000 20000 100000} tests/bench/probe.sh "$B"
echo
echo "== the text rules' cost: mcp-probe beside the same probe built without them"
tests/bench/rules-cost.sh "$B"
echo
echo "== readiness's cost: mcp-probe with --readiness beside it without"
tests/bench/readiness-cost.sh "$B"
echo
echo "== mcp-probe's memory for targets serving large lists, beside -m"
tests/bench/probe-mem.sh "$B"
echo
echo "== mcp-aggregate: a minute of 100,000 servers from 5 regions"
tests/bench/aggregate.sh "$B"
echo
echo "== the tool lists kept beside the hashes alone"
tests/bench/lists.sh "$B"
echo
echo "== the text rules (mcp-rules(7)) on the poisoned and benign lists"
tests/bench/poison.sh "$B"
echo
echo "== the text rules' goals held out, and the floor of lowering whole rules"
tests/bench/poison-floor.sh "$B"
echo
echo "== the ingest beside push: 20,000 results a minute from 5 regions"
tests/bench/ingest.sh "$B"
echo
echo "== the ingest's bytes a minute, a steady fleet with lists"
tests/bench/ingest-lists.sh "$B"
echo
echo "== mcp-aggregate audit of a registry of 100,000 servers"
tests/bench/audit.sh "$B"
echo
echo "== the store's memory"
tests/bench/memory.sh "$B"
echo
echo "== the store's peak memory under forty churning entries, against maxmemory and MCP_LISTS_MAX"
tests/bench/store-full.sh "$B"
echo
echo "== mcp-alert"
tests/bench/alert.sh "$B"
echo
echo "== mcp-alert in an alert storm"
tests/bench/alert-storm.sh "$B"
echo
echo "== mcp-serve"
tests/bench/serve.sh "$B"
echo
echo "== mcp-serve's /mcp: a tools/call beside the JSON API it reads, 100,000 servers"
tests/bench/mcp.sh "$B"
echo
echo "== mcp-aggregate on a Redis Cluster"
tests/bench/cluster.sh "$B"
echo
echo "== the MCP Registry: sync and targets, 20,000 and 100,000 servers"
tests/bench/registry.sh "$B"
echo
echo "== a registry's whole minute on one machine, 100,000 servers"
BENCH_MINUTE_SERVERS=${BENCH_MINUTE_SERVERS:-100000} tests/bench/minute.sh "$B"
echo
echo "== a minute's run with tarpits in the fleet"
BENCH_STARVE_SERVERS=${BENCH_STARVE_SERVERS:-100000} BENCH_STARVE_TARPITS=${BENCH_STARVE_TARPITS:-2000} \
    tests/bench/starve.sh "$B"
echo
echo "== mcp-otlp"
tests/bench/otlp.sh "$B"
