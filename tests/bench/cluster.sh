#!/usr/bin/env bash
# cluster.sh BUILD_DIR - the deciding host's minute on one redis-server beside a Redis Cluster decided by two hosts
# BENCH_CLUSTER_SLUGS slugs (100,000 by default) x 5 regions, result
# records only, steady state (window 4 pushed and decided, windows 0 to 3
# stored: window 0 pushed, its slots copied into 1 to 3 inside Redis, as
# aggregate.sh does), into one redis-server and into a cluster of
# BENCH_CLUSTER_MASTERS masters (2 by default, no replicas), all on TCP
# 127.0.0.1.  One verdict pass over each, then two deciding hosts over the
# cluster: verdict --shard 1/2 and --shard 2/2 at once, their verdicts
# compared with the full pass's.  Each with its wall time, its CPU (user +
# system) and each Redis's CPU.  Every process shares this machine's
# cores: the cluster's gain (each master and each decider a machine of its
# own) shows only in the CPU figures, not in the wall times.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
set -euo pipefail
export LC_ALL=C

[ $# = 1 ] || { echo "usage: cluster.sh BUILD_DIR" >&2; exit 2; }
BIN=$(cd "$1" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/bench/util.sh
. "$TOP/tests/bench/util.sh"
SLUGS=${BENCH_CLUSTER_SLUGS:-100000}
M=${BENCH_CLUSTER_MASTERS:-2}
REGIONS=us-east-1,us-west-2,eu-west-2,ap-southeast-1,sa-east-1
T0=1795536000 # an hour's start
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
read -ra PORTS <<<"$(node -e 'const net = require("net"), ss = [], n = +process.argv[1]; let k = 0;
    for (let i = 0; i < n; i++) { const s = net.createServer(); ss.push(s);
        s.listen(0, "127.0.0.1", () => { if (++k === n) {
            console.log(ss.map((x) => x.address().port).join(" ")); ss.forEach((x) => x.close()); } }); }' $((1 + 2 * M)))"

# server PORT ARGS...: a redis-server of its own directory on 127.0.0.1:PORT.
declare -A RPID
server() {
	mkdir -p "$TMP/$1"
	redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no --dir "$TMP/$1" \
	    --logfile "$TMP/$1/log" --daemonize no "${@:2}" &
	pids+=($!)
	RPID[$1]=$!
	for _ in $(seq 100); do redis-cli -p "$1" ping >/dev/null 2>&1 && return; sleep 0.05; done
	echo "cluster: redis-server on $1 did not start" >&2
	exit 1
}
PLAIN=${PORTS[0]}
MASTERS=("${PORTS[@]:1:M}")
server "$PLAIN"
for i in $(seq 0 $((M - 1))); do
	server "${MASTERS[i]}" --cluster-enabled yes --cluster-port "${PORTS[1 + M + i]}" \
	    --cluster-config-file "$TMP/${MASTERS[i]}/nodes.conf"
done
# The slots in M equal runs, by hand: redis-cli --cluster create wants 3 masters.
for i in $(seq 0 $((M - 1))); do
	redis-cli -p "${MASTERS[i]}" cluster addslotsrange $((16384 * i / M)) $((16384 * (i + 1) / M - 1)) >/dev/null
	[ "$i" = 0 ] || redis-cli -p "${MASTERS[i]}" cluster meet 127.0.0.1 "${MASTERS[0]}" "${PORTS[1 + M]}" >/dev/null
done
for _ in $(seq 200); do
	ready=1
	for p in "${MASTERS[@]}"; do
		[ "$(redis-cli -p "$p" cluster info | grep -c -e '^cluster_state:ok' -e "^cluster_known_nodes:$M")" = 2 ] &&
		    [ "$(redis-cli --json -p "$p" cluster slots | jq length)" = "$M" ] &&
		    [ "$(redis-cli -p "$p" cluster countkeysinslot 0)" = 0 ] || ready=0
	done
	[ "$ready" = 0 ] || break
	sleep 0.1
done

# cpu PORT: that redis-server's CPU seconds so far (user + system).
cpu() { cpu_of "${RPID[$1]}"; }
# cpus PORT...: the CPU of each, space-separated.
cpus() { local p; for p in "$@"; do printf '%s ' "$(cpu "$p")"; done; }
# redis_cpu BEFORE AFTER: each server's CPU between, "a + b = sum" (one: "a").
redis_cpu() {
	paste -d' ' <(tr ' ' '\n' <<<"$1" | sed '/^$/d') <(tr ' ' '\n' <<<"$2" | sed '/^$/d') |
	    awk '{ d = $2 - $1; s += d; t = t (NR > 1 ? " + " : "") sprintf("%.2f", d) }
		END { printf "%s%s", t, (NR > 1 ? sprintf(" = %.2f", s) : "") }'
}
# timed OUT CMD...: CMD under /usr/bin/time, stdout to OUT; "wall cpu" into OUT.time.
timed() {
	local out=$1 e u s
	shift
	/usr/bin/time -f '%e %U %S' -o "$out.t" "$@" >"$out"
	read -r e u s <"$out.t"
	echo "$e $(calc "\"%.2f\", $u + $s")" >"$out.time"
}
# copy_slot PORT FROM TO...: on that server, every slug's results of
# window FROM copied into the windows TO of the same hour (the slots of
# rs:HOUR, its own keys).
copy_slot() {
	redis-cli -p "$1" eval "local cur, from, tos = '0', tonumber(ARGV[1]), {}
	for i = 2, #ARGV do tos[#tos + 1] = tonumber(ARGV[i]) end
	repeat
	  local r = redis.call('SCAN', cur, 'MATCH', 'mcp:{*}:rs:*', 'COUNT', 1000)
	  cur = r[1]
	  for _, k in ipairs(r[2]) do
	    local h = redis.call('HGETALL', k)
	    for j = 1, #h, 2 do
	      local v, slot = h[j + 1], string.sub(h[j + 1], from * 7 + 1, from * 7 + 7)
	      for _, t in ipairs(tos) do v = string.sub(v, 1, t * 7) .. slot .. string.sub(v, t * 7 + 8) end
	      redis.call('HSET', k, h[j], v)
	    end
	  end
	until cur == '0'" 0 "${@:2}" >/dev/null
}
win() { echo $((T0 + 60 * $1)); }
for w in 0 4; do
	"$TOP/tests/gen-scenario.sh" -q -s bench -N "$SLUGS" -r "$REGIONS" -t "$(win $w)" >"$TMP/w$w"
done
nres=$((SLUGS * 5))
ncpu=$(nproc)
echo "$SLUGS slugs x 5 regions, a minute's $nres results, steady state; one redis-server and a cluster of $M masters, all on this machine's $ncpu cores"

# store NAME URL PORT...: windows 0 to 4 pushed (4 timed) and window 4 decided, timed.
store() {
	local name=$1 url=$2 p c0 e c
	shift 2
	export MCP_REDIS=$url MCP_SPOOL=$TMP/spool.$name
	MCP_NOW=$(($(win 0) + 1)) "$BIN/mcp-aggregate" push <"$TMP/w0"
	for p in "$@"; do copy_slot "$p" 0 1 2 3; done
	c0=$(cpus "$@")
	MCP_NOW=$(($(win 4) + 1)) timed "$TMP/push.$name" "$BIN/mcp-aggregate" push <"$TMP/w4"
	read -r e c <"$TMP/push.$name.time"
	printf '  %-26s push   %7.2f s wall, its CPU %6.2f s; Redis CPU %s s\n' "$name" "$e" "$c" "$(redis_cpu "$c0" "$(cpus "$@")")"
	c0=$(cpus "$@")
	MCP_NOW=$(($(win 4) + 95)) timed "$TMP/v.$name" "$BIN/mcp-aggregate" verdict
	read -r e c <"$TMP/v.$name.time"
	printf '  %-26s verdict %6.2f s wall, its CPU %6.2f s; Redis CPU %s s\n' "$name" "$e" "$c" "$(redis_cpu "$c0" "$(cpus "$@")")"
	[ "$(wc -l <"$TMP/v.$name")" = "$SLUGS" ] || { echo "cluster: $name: $(wc -l <"$TMP/v.$name") verdicts" >&2; exit 1; }
}
store "one redis-server" "redis://127.0.0.1:$PLAIN" "$PLAIN"
store "cluster, $M masters" "redis-cluster://127.0.0.1:${MASTERS[0]}" "${MASTERS[@]}"
cmp -s "$TMP/v.one redis-server" "$TMP/v.cluster, $M masters" ||
    { echo "cluster: the verdicts of the cluster differ from one redis-server's" >&2; exit 1; }

# Two deciding hosts: a verdict process each, its share of the slots, at
# once, over window 5 (window 4's results copied into it inside Redis: a
# window not decided yet, as the full passes' was).
for p in "${MASTERS[@]}"; do copy_slot "$p" 4 5; done
c0=$(cpus "${MASTERS[@]}")
t=$(date +%s.%N)
for k in 1 2; do
	MCP_NOW=$(($(win 5) + 95)) timed "$TMP/share.$k" "$BIN/mcp-aggregate" verdict --shard $k/2 &
	shares[k]=$!
done
for k in 1 2; do wait "${shares[k]}"; done
wall=$(awk -v a="$t" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
for k in 1 2; do
	read -r e c <"$TMP/share.$k.time"
	printf '  %-26s verdict %6.2f s wall, its CPU %6.2f s, %d slugs\n' "host $k: --shard $k/2" "$e" "$c" "$(wc -l <"$TMP/share.$k")"
done
printf '  %-26s verdict %6.2f s wall; Redis CPU %s s\n' "both hosts at once" "$wall" "$(redis_cpu "$c0" "$(cpus "${MASTERS[@]}")")"
MCP_NOW=$(($(win 5) + 95)) "$BIN/mcp-aggregate" verdict >"$TMP/v.full5"
if [ "$(sort "$TMP/share.1" "$TMP/share.2" | md5sum)" = "$(sort "$TMP/v.full5" | md5sum)" ]; then
	echo "window 4: the verdicts of one redis-server and of the cluster are the same"
	echo "window 5: the two shares' verdicts together are a full pass's (run after), byte for byte"
else
	echo "cluster: the two shares' verdicts differ from the full pass's" >&2
	exit 1
fi
keys=()
for p in "${MASTERS[@]}"; do keys+=("$(redis-cli -p "$p" dbsize)"); done
echo "keys per master: ${keys[*]}"
