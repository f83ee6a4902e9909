#!/usr/bin/env bash
# minute.sh BUILD_DIR - a registry's whole minute on one machine: targets, probe, push, verdict, alert
# BENCH_MINUTE_SERVERS (default 20,000) distinct servers on loopback
# (tests/fixtures/many.mjs, every answer 150 ms away, 5 % of them refusing
# connections), listed in mcp:registry:servers as a sync of a registry
# naming them would leave it (the sync itself refuses loopback literals,
# and its time is registry.sh's), then one minute of one runner as cron
# runs it:
#	mcp-aggregate targets | mcp-probe -r R -f - | mcp-aggregate push -r R
#	mcp-aggregate verdict | mcp-alert
# each stage timed, against the minute it must fit in (issue 35).  The
# servers share the machine's two cores with the tools: their CPU seconds
# are printed beside.  make bench runs 100,000 (about 5 minutes, 10 with
# BENCH_BEFORE=DIR: the same minute by DIR's binaries, on a Redis of its own).
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
. "$(dirname "$0")/lib.sh"
N=${BENCH_MINUTE_SERVERS:-20000}
T0=1795536000
now() { date +%s.%N; }
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null; cleanup' EXIT

bench_redis
nproc_many=$(((N + 4999) / 5000))
for k in $(seq 0 $((nproc_many - 1))); do
	count=$((N - k * 5000 < 5000 ? N - k * 5000 : 5000))
	# 127.77.X.Y below 60,000, 127.79.X.Y from there (a net holds 64,000).
	first=$((k * 5000)) net=77
	[ "$first" -lt 60000 ] || first=$((first - 60000)) net=79
	node "$TOP/tests/fixtures/many.mjs" --hosts "$count" --first "$first" --net "$net" --delay 150 \
	    --port-file "$TMP/many-$k" >"$TMP/many-$k.log" 2>&1 &
	pids+=($!)
done
ports=()
for k in $(seq 0 $((nproc_many - 1))); do
	for _ in $(seq 300); do [ -s "$TMP/many-$k" ] && break; sleep 0.1; done
	[ -s "$TMP/many-$k" ] || { cat "$TMP/many-$k.log" >&2; echo "minute.sh: many.mjs did not come up" >&2; exit 1; }
	ports+=("$(cat "$TMP/many-$k")")
done

# The registry's fields, 1,000 a script call; one in twenty names port 9
# (nothing listens there: a server down).
fill='
local from, n, ports = tonumber(ARGV[1]), tonumber(ARGV[2]), {}
for p in string.gmatch(ARGV[3], "%d+") do ports[#ports + 1] = p end
for i = from, from + n - 1 do
  local port = i % 20 == 7 and "9" or ports[math.floor(i / 5000) + 1]
  local f, net = i, 77
  if i >= 60000 then f, net = i - 60000, 79 end
  local url = string.format("http://127.%d.%d.%d:%s/d150/mcp", net, math.floor(f / 250), f % 250 + 1, port)
  redis.call("HSET", "mcp:registry:servers", string.format("io.bench.server-%05d", i),
    "{\"name\":\"io.bench/server-" .. i .. "\",\"version\":\"1.0.0\",\"remote\":0," ..
    "\"type\":\"streamable-http\",\"url\":\"" .. url .. "\",\"headers\":[],\"status\":\"active\"," ..
    "\"state\":\"probe\",\"reason\":null,\"registry\":\"https://registry.example\"," ..
    "\"updated_at\":\"2026-11-20T10:00:00Z\",\"synced_at\":1795536000}")
end
return n
'
fill() { # SOCKET
	for ((i = 0; i < N; i += 1000)); do
		redis-cli -s "$1" EVAL "$fill" 0 "$i" $((N - i < 1000 ? N - i : 1000)) "${ports[*]}" >/dev/null
	done
}
fill "$SOCK"

printf 'route log command %s/sink\n' "$TMP" >"$TMP/alert.conf"
printf '#!/bin/sh\ncat >>%s/paged\n' "$TMP" >"$TMP/sink"
chmod 600 "$TMP/alert.conf"
chmod 700 "$TMP/sink"

# fixture_cpu: the servers' CPU seconds (user + system) so far.
fixture_cpu() { cpu_of "${pids[@]:0:$nproc_many}"; }
# stage LABEL CMD...: CMD's wall and CPU time (of the whole pipeline, when CMD is bash -c).
stage() {
	local label=$1 t0 t1 f0 f1
	shift
	f0=$(fixture_cpu)
	t0=$(now)
	/usr/bin/time -f '%U %S %M' -o "$TMP/time" "$@"
	t1=$(now)
	f1=$(fixture_cpu)
	read -r u s m <"$TMP/time"
	wall=$(calc "\"%.2f\", $t1 - $t0")
	total=$(calc "\"%.2f\", ${total:-0} + $wall")
	printf '  %-40s %7.2f s  CPU %6.2f s  max RSS %7d kB  servers %6.2f s\n' "$label" "$wall" \
	    "$(calc "$u + $s")" "$m" "$(calc "$f1 - $f0")"
}
# minute DIR LABEL: the runner's minute by DIR's binaries, as its cron line streams it.
minute() {
	BIN=$1
	echo "$2:"
	total=0
	export BIN TMP
	stage "targets | probe -f - | push" bash -c 'set -o pipefail
	MCP_NOW='"$T0"' "$BIN/mcp-aggregate" targets |
	MCP_NOW='"$T0"' "$BIN/mcp-probe" -r bench --guard-allow 127.0.0.0/8 -f - 2>"$TMP/probe.err" |
	tee "$TMP/results" |
	MCP_NOW='"$T0"' "$BIN/mcp-aggregate" push -r bench -v 2>"$TMP/push.err"
	rc=$?; [ "$rc" = 0 ] || [ "$rc" = 1 ]'
	stage "verdict" bash -c 'MCP_NOW='$((T0 + 95))' "$BIN/mcp-aggregate" verdict >"$TMP/verdicts"'
	stage "alert" bash -c 'MCP_NOW='$((T0 + 95))' "$BIN/mcp-alert" -c "$TMP/alert.conf" <"$TMP/verdicts" >/dev/null'
	printf '  %-40s %7.2f s  (target <= 60 s: %s)\n' "the whole minute" "$total" \
	    "$(calc "\"%s\", $total <= 60 ? \"met\" : \"NOT met\"")"
	echo "  ($(tail -1 "$TMP/push.err" | sed 's/^mcp-aggregate: push: //'))"
	jq -r 'select(.type == "result") | .state' "$TMP/results" | sort | uniq -c |
	    awk '{ s = s sprintf("%s%s %s", NR > 1 ? ", " : "", $1, $2) } END { print "  (results: " s ")" }'
	awk -v n="$N" '{ print }' "$TMP/probe.err" | grep -v 'fit in' | head -2 | cut -c1-160 | sed 's/^/  (/; s/$/)/' || true
	jq -r '"\(.verdict) \(.severity)"' "$TMP/verdicts" | sort | uniq -c | awk '{ printf "  (verdicts: %s %s %s)\n", $1, $2, $3 }'
}
echo "a registry's minute, $N servers (150 ms away, 5 % down), one runner, one machine (servers: the fixture's CPU):"
minute "$BIN" "this build"
if [ -n "${BENCH_BEFORE:-}" ]; then
	# A Redis of its own, the same registry in it.
	redis-server --port 0 --unixsocket "$TMP/redis-b.sock" --unixsocketperm 700 --save '' \
	    --appendonly no --dir "$TMP" --daemonize no --logfile "$TMP/redis-b.log" &
	pids+=($!)
	for _ in $(seq 100); do redis-cli -s "$TMP/redis-b.sock" ping >/dev/null 2>&1 && break; sleep 0.05; done
	fill "$TMP/redis-b.sock"
	export MCP_REDIS=unix://$TMP/redis-b.sock MCP_SPOOL=$TMP/spool-b
	minute "$(cd "$BENCH_BEFORE" && pwd)" "before (075d3aa)"
fi
echo "  (load $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
