#!/usr/bin/env bash
# cluster.sh BUILD_DIR - mcp-aggregate push and verdict on a three-master Redis Cluster beside one redis-server
# BENCH_CLUSTER_SLUGS slugs (100,000 by default) x 5 regions, one window,
# result records only: pushed into one redis-server and into a cluster of
# three masters (no replicas), all on TCP 127.0.0.1, then one verdict
# pass over each.  Prints records/s and seconds for each, side by side.
set -euo pipefail
export LC_ALL=C

[ $# = 1 ] || { echo "usage: cluster.sh BUILD_DIR" >&2; exit 2; }
BIN=$(cd "$1" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
SLUGS=${BENCH_CLUSTER_SLUGS:-100000}
REGIONS=us-east-1,us-west-2,eu-west-2,ap-southeast-1,sa-east-1
T0=1795536000
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mcp-bench.XXXXXX")
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT

command -v node >/dev/null || { echo "cluster: node is needed to find free ports; skipped"; exit 0; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
calc() { awk "BEGIN { printf $1 }"; }
read -ra PORTS <<<"$(node -e 'const net = require("net"), ss = []; let k = 0;
    for (let i = 0; i < 7; i++) { const s = net.createServer(); ss.push(s);
        s.listen(0, "127.0.0.1", () => { if (++k === 7) {
            console.log(ss.map((x) => x.address().port).join(" ")); ss.forEach((x) => x.close()); } }); }')"

# server PORT ARGS...: a redis-server of its own directory on 127.0.0.1:PORT.
server() {
	mkdir -p "$TMP/$1"
	redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no --dir "$TMP/$1" \
	    --logfile "$TMP/$1/log" --daemonize no "${@:2}" &
	pids+=($!)
	for _ in $(seq 100); do redis-cli -p "$1" ping >/dev/null 2>&1 && return; sleep 0.05; done
	echo "cluster: redis-server on $1 did not start" >&2
	exit 1
}
server "${PORTS[0]}"
for i in 1 2 3; do
	server "${PORTS[i]}" --cluster-enabled yes --cluster-port "${PORTS[i + 3]}" \
	    --cluster-config-file "$TMP/${PORTS[i]}/nodes.conf"
done
redis-cli --cluster create "127.0.0.1:${PORTS[1]}" "127.0.0.1:${PORTS[2]}" "127.0.0.1:${PORTS[3]}" \
    --cluster-replicas 0 --cluster-yes >"$TMP/create.log" 2>&1
for _ in $(seq 200); do
	redis-cli -p "${PORTS[1]}" cluster info | grep -q '^cluster_state:ok' && break
	sleep 0.1
done

"$TOP/tests/gen-scenario.sh" -q -s bench -N "$SLUGS" -r "$REGIONS" -t "$T0" >"$TMP/in"
nres=$((SLUGS * 5))
printf '%d slugs x 5 regions, one window: %d result records\n' "$SLUGS" "$nres"
printf '%-34s %12s %10s %14s\n' store "push rec/s" "push s" "verdict pass s"
# run NAME URL: push and one verdict pass; their figures on one line.
run() {
	local t push_s verdict_s
	export MCP_REDIS=$2 MCP_SPOOL=$TMP/spool.$1
	t=$(now)
	MCP_NOW=$((T0 + 1)) "$BIN/mcp-aggregate" push <"$TMP/in"
	push_s=$(secs "$t")
	t=$(now)
	MCP_NOW=$((T0 + 95)) "$BIN/mcp-aggregate" verdict >"$TMP/v.$1"
	verdict_s=$(secs "$t")
	[ "$(wc -l <"$TMP/v.$1")" = "$SLUGS" ] || { echo "cluster: $1: $(wc -l <"$TMP/v.$1") verdicts" >&2; exit 1; }
	printf '%-34s %12s %10s %14s\n' "$1" "$(calc "\"%.0f\", $nres / $push_s")" "$push_s" "$verdict_s"
}
run "one redis-server (TCP)" "redis://127.0.0.1:${PORTS[0]}"
run "cluster, 3 masters (TCP)" "redis-cluster://127.0.0.1:${PORTS[1]}"
cmp -s "$TMP/v.one redis-server (TCP)" "$TMP/v.cluster, 3 masters (TCP)" &&
    echo "the verdicts of both are the same" || echo "the verdicts differ" >&2
keys=()
for i in 1 2 3; do keys+=("$(redis-cli -p "${PORTS[i]}" dbsize)"); done
echo "keys per master: ${keys[*]}"
