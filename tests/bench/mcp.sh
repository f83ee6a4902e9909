#!/usr/bin/env bash
# mcp.sh BUILD_DIR [BEFORE_DIR] - mcp-serve's /mcp beside the JSON API it reads (issue 55)
# A private redis-server holds BENCH_SLUGS (100,000) slugs, filled by the
# real tools (probe results of one window from 2 to 5 regions through
# mcp-aggregate push, then mcp-aggregate verdict).  mcp-serve runs as two
# FastCGI responders (spawn-fcgi -F 2) behind nginx.  For one healthy
# slug, a tools/call of server_status (POST /mcp, the legacy era, and the
# same at 2026-07-28) beside GET /api/status/SLUG/regions, which answers
# the same regions: the responders' CPU a request (the goal: the call
# within 1.5 times the GET) and requests a second under a steady load
# (wrk -t2 -c50, BENCH_DURATION 5s), BENCH_REPS (3) runs interleaved,
# each request a client of its own (so the per-client bound of /mcp
# counts every request and refuses none),
# medians.  With BEFORE_DIR, the mcp-serve of that build as well, on the
# same store behind the same nginx (two more responders, each build's
# runs interleaved with the other's): the figures side by side.  Figures
# only; exits non-zero when a tool is missing or an answer is not what the
# bench expects.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
set -euo pipefail
export LC_ALL=C
PATH=$PATH:/usr/sbin:/sbin

[ $# = 1 ] || [ $# = 2 ] || { echo "usage: mcp.sh BUILD_DIR [BEFORE_DIR]" >&2; exit 2; }
BIN=$(cd "$1" && pwd)
SETS=now
if [ $# = 2 ]; then
	BEFORE=$(cd "$2" && pwd)
	SETS="now before"
fi
TOP=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/bench/util.sh
. "$TOP/tests/bench/util.sh"
SLUGS=${BENCH_SLUGS:-100000}
DUR=${BENCH_DURATION:-5s}
REPS=${BENCH_REPS:-3}
REGIONS=us-east-1,us-west-2,eu-west-2,ap-southeast-1,sa-east-1
SLUG=bench-00002 # a healthy slug with 4 regions
for t in nginx spawn-fcgi wrk redis-server redis-cli curl jq; do
	command -v "$t" >/dev/null || { echo "mcp.sh: missing: $t" >&2; exit 1; }
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/mcp-bench-mcp.XXXXXX")
chmod 755 "$TMP"
redis_pid='' nginx_pid=''
cleanup() {
	local p
	[ -z "$nginx_pid" ] || { kill "$nginx_pid" 2>/dev/null; wait "$nginx_pid" 2>/dev/null || true; }
	for p in $(cat "$TMP"/f.*.pids 2>/dev/null); do kill "$p" 2>/dev/null || true; done
	[ -z "$redis_pid" ] || { kill "$redis_pid" 2>/dev/null; wait "$redis_pid" 2>/dev/null || true; }
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
die() { echo "mcp.sh: $*" >&2; exit 1; }
wait_for() {
	for _ in $(seq 200); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done
	die "timed out waiting for: $*"
}

W=$(( $(date +%s) / 60 * 60 - 120 ))
NOW=$((W + 100))
SOCK=$TMP/redis.sock
redis-server --port 0 --unixsocket "$SOCK" --unixsocketperm 700 --save '' --appendonly no \
    --dir "$TMP" --daemonize no --logfile "$TMP/redis.log" &
redis_pid=$!
wait_for redis-cli -s "$SOCK" ping
export MCP_REDIS=unix://$SOCK
t0=$(date +%s)
"$TOP/tests/gen-scenario.sh" -q -s bench -N "$SLUGS" -r "$REGIONS" -t "$W" -m 50 -J 800 |
    awk -v regs="$REGIONS" 'BEGIN { n = split(regs, r, ","); for (i = 1; i <= n; i++) idx[r[i]] = i }
	{ match($0, /"slug":"bench-[0-9]+"/); s = substr($0, RSTART + 14, RLENGTH - 15) + 0
	  match($0, /"region":"[^"]*"/); g = substr($0, RSTART + 10, RLENGTH - 11)
	  if (idx[g] <= 2 + s % 4) print }' |
    MCP_NOW=$((W + 61)) "$BIN/mcp-aggregate" push
MCP_NOW=$NOW "$BIN/mcp-aggregate" verdict >/dev/null
[ "$(redis-cli -s "$SOCK" zcard mcp:slugs)" = "$SLUGS" ] || die "the store does not hold $SLUGS slugs"
echo "store: $SLUGS slugs, filled by push and verdict in $(( $(date +%s) - t0 )) s"

for set in $SETS; do
	b=$BIN
	[ "$set" = now ] || b=$BEFORE
	MCP_NOW=$NOW spawn-fcgi -s "$TMP/f.$set.sock" -M 0666 -F 2 -P "$TMP/f.$set.pids" -- "$b/mcp-serve" \
	    >"$TMP/spawn.out" 2>&1 || { cat "$TMP/spawn.out" >&2; die "spawn-fcgi failed"; }
	wait_for test -S "$TMP/f.$set.sock"
done
PORT=$((20000 + RANDOM % 20000))
mkdir "$TMP/nginx"
# Debian's fastcgi_params but REMOTE_ADDR, which is the bench's client.
grep -v REMOTE_ADDR /etc/nginx/fastcgi_params >"$TMP/nginx/params"
cat >>"$TMP/nginx/params" <<'EOT'
fastcgi_param REMOTE_ADDR $bench_client;
fastcgi_param PATH_INFO $uri;
EOT
cat >"$TMP/nginx/nginx.conf" <<EOT
worker_processes 2;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	keepalive_requests 1000000;
	# Each request a client of its own (an IPv6 /48 from its request_id):
	# the per-client bound of /mcp counts every request and refuses none.
	map \$request_id \$bench_client {
		"~^(?<a>....)(?<b>....)(?<c>....)(?<d>....)" "fd00:\$a:\$b:\$c:\$d::1";
	}
	client_body_temp_path $TMP/nginx/body;
	fastcgi_temp_path $TMP/nginx/fastcgi;
	proxy_temp_path $TMP/nginx/proxy;
	uwsgi_temp_path $TMP/nginx/uwsgi;
	scgi_temp_path $TMP/nginx/scgi;
	server {
		listen 127.0.0.1:$PORT;
		location / {
			include $TMP/nginx/params;
			fastcgi_param MCP_REDIS $MCP_REDIS;
			fastcgi_param MCP_NOW $NOW;
			fastcgi_pass unix:$TMP/f.now.sock;
		}
	}
	server {
		listen 127.0.0.1:$((PORT + 1));
		location / {
			include $TMP/nginx/params;
			fastcgi_param MCP_REDIS $MCP_REDIS;
			fastcgi_param MCP_NOW $NOW;
			fastcgi_pass unix:$TMP/f.before.sock;
		}
	}
}
EOT
nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -g 'daemon off;' 2>"$TMP/nginx/out" &
nginx_pid=$!
url_of() { [ "$1" = now ] && echo "http://127.0.0.1:$PORT" || echo "http://127.0.0.1:$((PORT + 1))"; }
U=$(url_of now)
wait_for curl -sf "$U/healthz"

CALL='{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"server_status","arguments":{"slug":"'$SLUG'"}}}'
MODERN='{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"server_status","arguments":{"slug":"'$SLUG'"},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}'
# The same regions, or the bench measures nothing.
for set in $SETS; do
	U=$(url_of "$set")
	a=$(curl -sf "$U/api/status/$SLUG/regions" | jq -c .regions)
	b=$(curl -sf -H 'Content-Type: application/json' -d "$CALL" "$U/mcp" | jq -c .result.structuredContent.regions)
	[ -n "$a" ] && [ "$a" = "$b" ] || die "$set: server_status does not answer GET /api/status/$SLUG/regions's regions"
done
lua() { # FILE BODY [HEADERS...]: a wrk script that POSTs BODY
	local f=$1 body=$2 h
	shift 2
	{
		echo 'wrk.method = "POST"'
		printf 'wrk.body = [==[%s]==]\n' "$body"
		echo 'wrk.headers["Content-Type"] = "application/json"'
		for h in "$@"; do printf 'wrk.headers["%s"] = "%s"\n' "${h%%: *}" "${h#*: }"; done
	} >"$f"
}
lua "$TMP/legacy.lua" "$CALL"
lua "$TMP/modern.lua" "$MODERN" 'MCP-Protocol-Version: 2026-07-28' 'Mcp-Method: tools/call' "Mcp-Name: server_status"
# run SET ID ARGS...: one wrk run against SET's responders; appends
# "req/s cpu-ms-a-request" to TMP/SET.ID.
run() {
	local set=$1 id=$2 c0 c1 pids
	shift 2
	pids=$(paste -sd' ' "$TMP/f.$set.pids")
	# shellcheck disable=SC2086 # the PIDs are words
	c0=$(cpu_of $pids)
	wrk -t2 -c50 -d"$DUR" "$@" >"$TMP/wrk.out" 2>&1 || { cat "$TMP/wrk.out" >&2; die "wrk failed"; }
	# shellcheck disable=SC2086
	c1=$(cpu_of $pids)
	awk -v c0="$c0" -v c1="$c1" '/requests in/ { n = $1 } /^Requests\/sec:/ { r = $2 }
	    /Non-2xx or 3xx/ { bad = $NF }
	    END { if (bad > 0) { print "non-2xx answers: " bad > "/dev/stderr"; exit 1 }
	          printf "%.0f %.3f\n", r, (c1 - c0) * 1000 / n }' "$TMP/wrk.out" >>"$TMP/$set.$id" ||
	    die "wrk $*: answers that are not 200"
}
median() { sort -g -k"$1","$1" "$2" | awk -v c="$1" '{ v[NR] = $c } END { print v[int((NR + 1) / 2)] }'; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for set in $SETS; do
	U=$(url_of "$set")
	wrk -t2 -c50 -d1s "$U/api/status/$SLUG/regions" >/dev/null 2>&1 || true
	wrk -t2 -c50 -d1s -s "$TMP/legacy.lua" "$U/mcp" >/dev/null 2>&1 || true
done
for _ in $(seq "$REPS"); do
	for set in $SETS; do
		U=$(url_of "$set")
		run "$set" get "$U/api/status/$SLUG/regions"
		run "$set" legacy -s "$TMP/legacy.lua" "$U/mcp"
		run "$set" modern -s "$TMP/modern.lua" "$U/mcp"
	done
done
echo "FastCGI (spawn-fcgi -F 2) behind nginx, $SLUGS slugs, wrk -t2 -c50 -d$DUR, $REPS runs, medians:"
for set in $SETS; do
	[ "$SETS" = now ] || echo "  mcp-serve of $([ "$set" = now ] && echo "$BIN" || echo "$BEFORE"):"
	printf '  %-58s %8s %14s\n' "" "req/s" "CPU ms a req"
	printf '  %-58s %8s %14s\n' "GET /api/status/$SLUG/regions" "$(median 1 "$TMP/$set.get")" "$(median 2 "$TMP/$set.get")"
	printf '  %-58s %8s %14s\n' "POST /mcp tools/call server_status (2025-11-25)" "$(median 1 "$TMP/$set.legacy")" "$(median 2 "$TMP/$set.legacy")"
	printf '  %-58s %8s %14s\n' "POST /mcp tools/call server_status (2026-07-28)" "$(median 1 "$TMP/$set.modern")" "$(median 2 "$TMP/$set.modern")"
	for e in legacy modern; do
		awk -v m="$(median 2 "$TMP/$set.$e")" -v g="$(median 2 "$TMP/$set.get")" -v e="$e" 'BEGIN {
			r = m / g; printf "    %s call / GET, CPU a request: %.2fx (goal <= 1.5x: %s)\n", e, r, r <= 1.5 ? "met" : "MISSED" }'
	done
done
