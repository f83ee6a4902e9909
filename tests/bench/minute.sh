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
# servers share the machine's two cores with the tools.
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
	node "$TOP/tests/fixtures/many.mjs" --hosts "$count" --first $((k * 5000)) --delay 150 \
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
  local url = string.format("http://127.77.%d.%d:%s/d150/mcp", math.floor(i / 250), i % 250 + 1, port)
  redis.call("HSET", "mcp:registry:servers", string.format("io.bench.server-%05d", i),
    "{\"name\":\"io.bench/server-" .. i .. "\",\"version\":\"1.0.0\",\"remote\":0," ..
    "\"type\":\"streamable-http\",\"url\":\"" .. url .. "\",\"headers\":[],\"status\":\"active\"," ..
    "\"state\":\"probe\",\"reason\":null,\"registry\":\"https://registry.example\"," ..
    "\"updated_at\":\"2026-11-20T10:00:00Z\",\"synced_at\":1795536000}")
end
return n
'
for ((i = 0; i < N; i += 1000)); do
	redis-cli -s "$SOCK" EVAL "$fill" 0 "$i" $((N - i < 1000 ? N - i : 1000)) "${ports[*]}" >/dev/null
done
printf 'route log command %s/sink\n' "$TMP" >"$TMP/alert.conf"
printf '#!/bin/sh\ncat >>%s/paged\n' "$TMP" >"$TMP/sink"
chmod 600 "$TMP/alert.conf"
chmod 700 "$TMP/sink"

# stage LABEL CMD...: CMD's wall and CPU time (of the whole pipeline, when CMD is bash -c).
stage() {
	local label=$1 t0 t1
	shift
	t0=$(now)
	/usr/bin/time -f '%U %S %M' -o "$TMP/time" "$@"
	t1=$(now)
	read -r u s m <"$TMP/time"
	wall=$(calc "\"%.2f\", $t1 - $t0")
	total=$(calc "\"%.2f\", ${total:-0} + $wall")
	printf '  %-52s %7.2f s  CPU %6.2f s  max RSS %6d kB\n' "$label" "$wall" "$(calc "$u + $s")" "$m"
}
echo "a registry's minute, $N servers (150 ms away, 5 % down), one runner, one machine:"
total=0
export BIN TMP
# The runner's minute, as its cron line streams it.
stage "targets | probe -f - | push" bash -c 'set -o pipefail
	MCP_NOW='"$T0"' "$BIN/mcp-aggregate" targets |
	MCP_NOW='"$T0"' "$BIN/mcp-probe" -r bench --guard-allow 127.77.0.0/16 -f - |
	MCP_NOW='"$T0"' "$BIN/mcp-aggregate" push -r bench -v 2>"$TMP/push.err"
	rc=$?; [ "$rc" = 0 ] || [ "$rc" = 1 ]'
stage "verdict" bash -c 'MCP_NOW='$((T0 + 95))' "$BIN/mcp-aggregate" verdict >"$TMP/verdicts"'
stage "alert" bash -c 'MCP_NOW='$((T0 + 95))' "$BIN/mcp-alert" -c "$TMP/alert.conf" <"$TMP/verdicts" >/dev/null'
printf '  %-52s %7.2f s  (target <= 60 s: %s)\n' "the whole minute" "$total" \
    "$(calc "\"%s\", $total <= 60 ? \"met\" : \"NOT met\"")"
echo "  ($(tail -1 "$TMP/push.err" | sed 's/^mcp-aggregate: push: //'))"
jq -r '"\(.verdict) \(.severity)"' "$TMP/verdicts" | sort | uniq -c | awk '{ printf "  (verdicts: %s %s %s)\n", $1, $2, $3 }'
