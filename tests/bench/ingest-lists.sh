#!/usr/bin/env bash
# ingest-lists.sh BUILD_DIR - the ingest's bytes a minute for a steady fleet with lists
# BENCH_LIST_SERVERS (20,000) servers of one region, each serving 24 tools
# of some 6 KB (tests/gen-lists.mjs: mcp-probe --list-max's output, less
# the step records push --to skips), for BENCH_LIST_MINUTES (4) minutes,
# through push --to, nginx with TLS and mcp-aggregate ingest (FastCGI)
# into a private redis-server; the runner's clock each minute's 55th
# second, the ingest's clock the runner's.  The bytes nginx received each
# minute (requests as sent, gzip), and the results stored that minute,
# for the build before (BENCH_BEFORE, when set) and this one, side by
# side.  The region's rate is unbounded (MCP_INGEST_RATE, BENCH_INGEST_RATE
# to set it), so that the build before shows what it sends, not what its
# 429s cut it to, and the lists' budget is set past the first minute's
# lists (MCP_INGEST_LISTS 1 GiB), so that the first minute takes them all
# and the others show the steady fleet.  Figures only.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
set -uo pipefail
export LC_ALL=C
[ $# = 1 ] || { echo "usage: ingest-lists.sh BUILD_DIR" >&2; exit 2; }
MCP_BIN=$(cd "$1" && pwd)
AFTER=$MCP_BIN
export MCP_BIN
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/ingest-lib.sh
. "$TOP/tests/ingest-lib.sh"
PATH=$PATH:/usr/sbin
N=${BENCH_LIST_SERVERS:-20000}
M=${BENCH_LIST_MINUTES:-4}
R=eu-west-2
for t in nginx spawn-fcgi node redis-server; do
	command -v "$t" >/dev/null || { echo "ingest-lists.sh: missing: $t (scripts/deps --bench installs it)" >&2; exit 1; }
done
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }

start_redis
T=$(($(date +%s) / 60 * 60 - 3600))
awk -v n="$N" 'BEGIN { for (i = 1; i <= n; i++) printf "hl-%05d https://hl-%05d.example/mcp\n", i, i }' \
    >"$INGEST_OVERRIDES"
node "$TOP/tests/gen-lists.mjs" --dir "$TMP/gen" --t0 "$T" --minutes "$M" --honest "$N" --region $R ||
    { echo "ingest-lists.sh: gen-lists.mjs failed" >&2; exit 1; }
INGEST_NOW='$http_x_runner_clock'
export MCP_INGEST_LISTS=$((1 << 30)) MCP_INGEST_RATE=${BENCH_INGEST_RATE:-100000000}

# measure BIN_DIR NAME: each minute's bytes and results stored into $TMP/NAME.
measure() {
	local m b
	BIN=$1 MCP_BIN=$1
	rcli flushall >/dev/null
	rm -f "$TMP/door/bytes.log"
	export MCP_SPOOL=$TMP/spool-$2/aggregate.jsonl
	start_ingest fcgi >/dev/null || { echo "ingest-lists.sh: the door did not start" >&2; exit 1; }
	token $R
	for m in $(seq 0 $((M - 1))); do
		MCP_NOW=$((T + 60 * m + 55)) "$BIN/mcp-aggregate" push -v --linger 0 --to "$INGEST/ingest/$R" \
		    --token-file "$TMP/tok.$R" --cacert "$INGEST_CA" <"$TMP/gen/$m.jsonl" 2>"$TMP/push.$2.$m"
		b=$(awk -v a=$((T + 60 * m)) -v b=$((T + 60 * m + 60)) '$1 >= a && $1 < b { n += $4 } END { print n + 0 }' \
		    "$INGEST_DIR/bytes.log")
		echo "$m $b $(sed -n 's/.*push: \([0-9]*\) results stored.*/\1/p' "$TMP/push.$2.$m")"
	done >"$TMP/$2"
	[ -z "${BENCH_DEBUG:-}" ] || cat "$TMP"/push.* >&2
	stop_ingest
}

echo "servers $N, lists of $(($(grep -m1 tools_list "$TMP/gen/0.jsonl" | wc -c) / 1024)) KiB a step, $M minutes"
[ -z "${BENCH_BEFORE:-}" ] || measure "$BENCH_BEFORE" before
measure "$AFTER" after
printf '%-8s %16s %16s %14s %14s\n' minute "bytes before" "bytes after" "stored before" "stored after"
for m in $(seq 0 $((M - 1))); do
	read -r _ ba sa < <(sed -n "$((m + 1))p" "$TMP/before" 2>/dev/null || true)
	read -r _ bb sb < <(sed -n "$((m + 1))p" "$TMP/after")
	printf '%-8s %16s %16s %14s %14s\n' "$m" "${ba:--}" "$bb" "${sa:--}" "${sb:-0}"
done
