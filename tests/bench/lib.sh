#!/usr/bin/env bash
# lib.sh - sourced by the bench scripts that want one private redis-server:
# checks the one argument, BUILD_DIR; sets BIN (its absolute path), TOP and
# TMP (removed at exit, with the redis-server); bench_redis; and util.sh's
# calc and cpu_of.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck disable=SC2034 # BIN and TOP are read by the scripts that source it
set -euo pipefail
export LC_ALL=C

[ $# = 1 ] || { echo "usage: $(basename "$0") BUILD_DIR" >&2; exit 2; }
BIN=$(cd "$1" && pwd)
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mcp-bench.XXXXXX")
redis_pid=
cleanup() {
	[ -z "$redis_pid" ] || { kill "$redis_pid" 2>/dev/null; wait "$redis_pid" 2>/dev/null; }
	rm -rf "$TMP"
}
trap cleanup EXIT

# shellcheck source=tests/bench/util.sh
. "$TOP/tests/bench/util.sh"

# bench_redis: a redis-server on the unix socket SOCK=$TMP/redis.sock, no
# persistence; exports MCP_REDIS and MCP_SPOOL (under $TMP).
bench_redis() {
	SOCK=$TMP/redis.sock
	redis-server --port 0 --unixsocket "$SOCK" --unixsocketperm 700 --save '' --appendonly no \
	    --dir "$TMP" --daemonize no --logfile "$TMP/redis.log" &
	redis_pid=$!
	for _ in $(seq 100); do redis-cli -s "$SOCK" ping >/dev/null 2>&1 && break; sleep 0.05; done
	export MCP_REDIS=unix://$SOCK MCP_SPOOL=$TMP/spool
}
