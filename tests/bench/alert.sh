#!/usr/bin/env bash
# alert.sh BUILD_DIR - mcp-alert figures beside Alertmanager
# BENCH_ALERT_SLUGS slugs (default 2000) fail together for BENCH_ALERT_WINDOWS
# windows (default 5): mcp-alert reads the verdicts (a private redis-server
# on a unix socket), opens one incident per slug and delivers each trigger
# to a webhook (tests/fixtures/receiver.mjs).  Alertmanager, the peer, gets
# the same firing alerts once a window (as Prometheus resends them), grouped
# by slug, group_wait 0s, and notifies the same receiver.  Printed: wall
# time until every slug's notification arrived, CPU seconds and peak RSS of
# the tool.  With BENCH_BEFORE=DIR, DIR's mcp-alert (the build before) is
# measured the same way in the same run.  Figures only.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
set -euo pipefail
export LC_ALL=C

[ $# = 1 ] || { echo "usage: alert.sh BUILD_DIR" >&2; exit 2; }
BIN=$(cd "$1" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/bench/util.sh
. "$TOP/tests/bench/util.sh"
N=${BENCH_ALERT_SLUGS:-2000}
W=${BENCH_ALERT_WINDOWS:-5}
T0=1795536000
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mcp-bench.XXXXXX")
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || :; wait "$p" 2>/dev/null || :; done
	rm -rf "$TMP"
}
trap cleanup EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# wait_count PATH N: until the receiver has N requests at PATH (120 s at most).
wait_count() {
	for _ in $(seq 1200); do
		[ "$(grep -c "\"path\":\"$1\"" "$TMP/recv.log" || :)" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

SOCK=$TMP/redis.sock
redis-server --port 0 --unixsocket "$SOCK" --unixsocketperm 700 --save '' --appendonly no \
    --dir "$TMP" --daemonize no --logfile "$TMP/redis.log" &
pids+=($!)
node "$TOP/tests/fixtures/receiver.mjs" --port-file "$TMP/recv.port" --log "$TMP/recv.log" &
pids+=($!)
for _ in $(seq 100); do
	redis-cli -s "$SOCK" ping >/dev/null 2>&1 && [ -s "$TMP/recv.port" ] && break
	sleep 0.05
done
RECV=http://127.0.0.1:$(cat "$TMP/recv.port")
export MCP_REDIS=unix://$SOCK MCP_NOW=$((T0 + 60 * W + 95))

# The verdicts: every slug red at tools_list in two regions, window by window.
awk -v n="$N" -v w="$W" -v t0="$T0" 'BEGIN {
	for (k = 0; k < w; k++)
		for (i = 0; i < n; i++)
			printf "{\"v\":1,\"type\":\"verdict\",\"slug\":\"s%d\",\"window\":%d,\"as_of\":\"x\",\"verdict\":\"red\",\"severity\":\"alert\",\"step\":\"http\",\"failed_regions\":[\"eu-west-2\",\"us-east-1\"],\"reporters\":[\"eu-west-2\",\"us-east-1\",\"us-west-2\"],\"missing\":[],\"divergence\":null,\"drift\":[],\"p95_ms\":142,\"uptime_30d\":99.9,\"error\":\"http_5xx\",\"latency_ms\":null,\"host\":\"mcp.example.com\"}\n", i, t0 + 60 * k
}' >"$TMP/verdicts"
umask 077

echo "$N slugs failing for $W windows ($((N * W)) verdicts), one webhook notification per slug:"
# ma_run LABEL BIN PATH: BIN's mcp-alert on an empty store, its webhook at PATH.
ma_run() {
	local t wall u s rss
	redis-cli -s "$SOCK" flushall >/dev/null
	# Every incident alone, as Alertmanager's group_by [slug] below (grouping is mcp-alert's default).
	printf 'group_by slug\nroute hook webhook %s%s\n' "$RECV" "$3" >"$TMP/alert.conf"
	t=$(now)
	/usr/bin/time -f '%U %S %M' -o "$TMP/time" "$2/mcp-alert" -c "$TMP/alert.conf" <"$TMP/verdicts" >"$TMP/alerts"
	wait_count "$3" "$N"
	wall=$(secs "$t")
	read -r u s rss <"$TMP/time"
	printf '  %-22s %8s s wall  %6.2f s CPU  %7.1f MB max RSS  (%d triggers, %d notifications)\n' \
	    "$1" "$wall" "$(awk -v a="$u" -v b="$s" 'BEGIN { print a + b }')" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" \
	    "$(grep -c '"event":"trigger"' "$TMP/alerts")" "$(grep -c "\"path\":\"$3\"" "$TMP/recv.log")"
}
ma_run mcp-alert "$BIN" /mcp-alert
if [ -n "${BENCH_BEFORE:-}" ] && [ -x "$BENCH_BEFORE/mcp-alert" ]; then
	ma_run "  the build before" "$BENCH_BEFORE" /mcp-alert-before
fi

AM=$(command -v prometheus-alertmanager || command -v alertmanager || :)
# shellcheck source=tests/bench/am.sh
. "$(dirname "$0")/am.sh"
if [ -z "$AM" ]; then
	echo "  Alertmanager: not installed (apt-get install prometheus-alertmanager); no peer figures"
	exit 0
fi
port=$(free_port)
cat >"$TMP/am.yml" <<YML
route:
  receiver: hook
  group_by: [slug]
  group_wait: 0s
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: hook
    webhook_configs:
      - url: $RECV/alertmanager
        send_resolved: false
YML
am_start "$port"
for k in $(seq 0 $((W - 1))); do
	awk -v n="$N" -v k="$k" 'BEGIN {
		printf "["
		for (i = 0; i < n; i++)
			printf "%s{\"labels\":{\"alertname\":\"MCPDown\",\"slug\":\"s%d\",\"severity\":\"P1\",\"step\":\"http\"},\"annotations\":{\"summary\":\"s%d: http failing in 2 regions\"}}", i ? "," : "", i, i
		printf "]"
	}' >"$TMP/am-$k.json"
done
c0=$(cpu_of "$am")
t=$(now)
for k in $(seq 0 $((W - 1))); do
	curl -sf -H 'Content-Type: application/json' --data-binary "@$TMP/am-$k.json" \
	    "http://127.0.0.1:$port/api/v2/alerts" >/dev/null
done
ok=1
wait_count /alertmanager "$N" || ok=0
wall=$(secs "$t")
c1=$(cpu_of "$am")
rss=$(awk '/VmHWM/ { print $2 / 1024 }' "/proc/$am/status")
printf '  %-22s %8s s wall  %6.2f s CPU  %7.1f MB max RSS  (%d notifications%s)\n' \
    "Alertmanager $("$AM" --version 2>&1 | awk '/version/ { print $3; exit }')" "$wall" \
    "$(awk -v a="$c0" -v b="$c1" 'BEGIN { print b - a }')" "$rss" \
    "$(grep -c '"path":"/alertmanager"' "$TMP/recv.log")" "$([ $ok = 1 ] || echo ', gave up waiting at 120 s')"
echo "  (mcp-alert also confirms over windows and keeps each incident in Redis; Alertmanager"
echo "   gets alerts already confirmed, as from Prometheus's for:, and keeps them in memory.)"
