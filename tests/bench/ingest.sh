#!/usr/bin/env bash
# ingest.sh BUILD_DIR - the ingest's CPU beside push's, on the same records
# A minute of a fleet: BENCH_SLUGS (4,000) slugs from 5 regions, 20,000
# results, each region's probe output as mcp-probe prints it (8 step
# records and a result a slug), into a private redis-server on a unix
# socket, emptied before each run.  Three ways, each BENCH_REPS (3) times,
# the CPU (user + system) of the deciding host's processes:
#   push       mcp-aggregate push -r REGION, the five regions at once,
#              run on the deciding host (the store's password and all);
#   push --to  five runners' mcp-aggregate push --to at once, over HTTPS
#              to nginx with TLS in front of mcp-aggregate ingest (a
#              FastCGI responder under spawn-fcgi -F 2): the deciding host
#              pays nginx and the responders (the runners' own CPU, on
#              their machines, is printed apart);
#   curl       the same door, each region's probe output as printed (step
#              records too) POSTed whole by curl with gzip.
# Redis's own CPU is printed for each too: the same scripts run either
# way.  Medians of the runs; figures only.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
set -uo pipefail
export LC_ALL=C
[ $# = 1 ] || { echo "usage: ingest.sh BUILD_DIR" >&2; exit 2; }
MCP_BIN=$(cd "$1" && pwd)
export MCP_BIN
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/ingest-lib.sh
. "$TOP/tests/ingest-lib.sh"
PATH=$PATH:/usr/sbin
SLUGS=${BENCH_SLUGS:-4000}
REPS=${BENCH_REPS:-3}
REGIONS="us-east-1 us-west-2 eu-west-2 ap-southeast-1 sa-east-1"
HZ=$(getconf CLK_TCK)
for t in nginx spawn-fcgi curl redis-server; do
	command -v "$t" >/dev/null || { echo "ingest.sh: missing: $t (scripts/deps --bench installs it)" >&2; exit 1; }
done

# ticks PID...: user + system ticks of the processes (and of their
# children they waited for).
ticks() {
	local p s=0 f
	for p in "$@"; do
		read -r -a f <"/proc/$p/stat" 2>/dev/null || continue
		# Fields 14-17 (utime stime cutime cstime), after the command in parentheses.
		s=$((s + f[13] + f[14] + f[15] + f[16]))
	done
	echo "$s"
}
redis_ticks() { rcli info cpu | awk -F: -v hz="$HZ" '/^used_cpu_(user|sys):/ { s += $2 } END { printf "%d", s * hz }'; }
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }
secs() { awk -v t="$1" -v hz="$HZ" 'BEGIN { printf "%.2f", t / hz }'; }
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }

start_redis
export MCP_SPOOL=$TMP/spool/aggregate.jsonl
awk -v n="$SLUGS" 'BEGIN { for (i = 1; i <= n; i++) printf "bench-%05d https://b%d.example/mcp\n", i, i }' \
    >"$INGEST_OVERRIDES"
start_ingest fcgi >/dev/null || { echo "ingest.sh: the door did not start" >&2; exit 1; }
W=$(($(date +%s) / 60 * 60))
for r in $REGIONS; do
	"$TOP/tests/gen-scenario.sh" -s bench -N "$SLUGS" -r "$r" -t "$W" -J 900 -m 40 >"$TMP/p.$r"
	gzip -1 -c "$TMP/p.$r" >"$TMP/p.$r.gz"
done
plain=()
for r in $REGIONS; do plain+=("$TMP/p.$r"); done
lines=$(cat "${plain[@]}" | grep -c .)
mb=$(($(cat "${plain[@]}" | wc -c) / 1048576))
ngx() { echo "$(cat "$INGEST_DIR/nginx.pid") $(pgrep -P "$(cat "$INGEST_DIR/nginx.pid")")"; }
door() { echo "$(ngx) $(cat "$INGEST_DIR/ingest.pid")"; }
fresh() { # an empty store, the tokens added again
	local r
	rcli flushall >/dev/null
	for r in $REGIONS; do token "$r" && auth_header "$r"; done
}

run_push() {
	local r t0
	t0=$(redis_ticks)
	local w=()
	for r in $REGIONS; do
		/usr/bin/time -f '%U %S' -o "$TMP/time.$r" mcp-aggregate push -r "$r" <"$TMP/p.$r" &
		w+=($!)
	done
	wait "${w[@]}"
	host=$(cat "$TMP"/time.* | awk -v hz="$HZ" '{ s += ($1 + $2) * hz } END { printf "%d", s }')
	red=$(($(redis_ticks) - t0))
}
run_to() {
	local r t0 h0 n0 pids w=()
	pids=$(door)
	# shellcheck disable=SC2086 # the pids are words
	h0=$(ticks $pids)
	# shellcheck disable=SC2046 # the pids are words
	n0=$(ticks $(ngx))
	t0=$(redis_ticks)
	for r in $REGIONS; do
		MCP_SPOOL=$TMP/runner-$r/spool.jsonl /usr/bin/time -f '%U %S' -o "$TMP/rtime.$r" \
		    mcp-aggregate push --to "$INGEST/ingest/$r" --token-file "$TMP/tok.$r" --cacert "$INGEST_CA" \
		    <"$TMP/p.$r" 2>>"$TMP/to.err" &
		w+=($!)
	done
	wait "${w[@]}"
	# shellcheck disable=SC2086
	host=$(($(ticks $pids) - h0))
	# shellcheck disable=SC2046
	nginx=$(($(ticks $(ngx)) - n0))
	red=$(($(redis_ticks) - t0))
	runners=$(cat "$TMP"/rtime.* | awk -v hz="$HZ" '{ s += ($1 + $2) * hz } END { printf "%d", s }')
}
run_curl() {
	local r t0 h0 n0 pids w=()
	pids=$(door)
	# shellcheck disable=SC2086
	h0=$(ticks $pids)
	# shellcheck disable=SC2046 # the pids are words
	n0=$(ticks $(ngx))
	t0=$(redis_ticks)
	for r in $REGIONS; do
		curl -sS -o "$TMP/ans.$r" --cacert "$INGEST_CA" -H @"$TMP/auth.$r" -H 'Content-Encoding: gzip' \
		    --data-binary @"$TMP/p.$r.gz" "$INGEST/ingest/$r" &
		w+=($!)
	done
	wait "${w[@]}"
	# shellcheck disable=SC2086
	host=$(($(ticks $pids) - h0))
	# shellcheck disable=SC2046
	nginx=$(($(ticks $(ngx)) - n0))
	red=$(($(redis_ticks) - t0))
	# shellcheck disable=SC2046
	[ -z "${BENCH_SPLIT:-}" ] || echo "nginx $(ticks $(cat "$INGEST_DIR/nginx.pid") $(pgrep -P "$(cat "$INGEST_DIR/nginx.pid")")) ingest $(ticks $(cat "$INGEST_DIR/ingest.pid"))" >&2
}
stored() { rcli zcard mcp:slugs; }

declare -a P_H P_R T_H T_R T_U T_N C_H C_R C_N
for _ in $(seq "$REPS"); do
	fresh
	run_push
	[ "$(stored)" = "$SLUGS" ] || echo "ingest.sh: push stored $(stored) slugs, not $SLUGS" >&2
	P_H+=("$host") P_R+=("$red")
	fresh
	run_to
	[ "$(stored)" = "$SLUGS" ] || echo "ingest.sh: push --to stored $(stored) slugs, not $SLUGS" >&2
	T_H+=("$host") T_R+=("$red") T_U+=("$runners") T_N+=("$nginx")
	fresh
	run_curl
	[ "$(stored)" = "$SLUGS" ] || echo "ingest.sh: curl stored $(stored) slugs, not $SLUGS" >&2
	C_H+=("$host") C_R+=("$red") C_N+=("$nginx")
done
ph=$(median "${P_H[@]}") th=$(median "${T_H[@]}") ch=$(median "${C_H[@]}")
printf '%d results from 5 regions (%d lines, %d MB of probe output), %d runs each, median CPU (user + system):\n' \
    $((SLUGS * 5)) "$lines" "$mb" "$REPS"
printf '  %-46s %6s s   redis %s s\n' "push -r REGION on the deciding host:" "$(secs "$ph")" "$(secs "$(median "${P_R[@]}")")"
printf '  %-46s %6s s   redis %s s   (%.2fx push; the runners: %s s)\n' "push --to: nginx + TLS + ingest (FastCGI):" \
    "$(secs "$th")" "$(secs "$(median "${T_R[@]}")")" "$(awk -v a="$th" -v b="$ph" 'BEGIN { print a / b }')" \
    "$(secs "$(median "${T_U[@]}")")"
printf '  %-46s %6s s   redis %s s   (%.2fx push)\n' "curl, the probe output whole, gzip: the same:" \
    "$(secs "$ch")" "$(secs "$(median "${C_R[@]}")")" "$(awk -v a="$ch" -v b="$ph" 'BEGIN { print a / b }')"
printf '  of which nginx: push --to %s s, curl %s s\n' "$(secs "$(median "${T_N[@]}")")" "$(secs "$(median "${C_N[@]}")")"
printf '  runs (ticks of 1/%d s): push %s; push --to %s; curl %s\n' "$HZ" "${P_H[*]}" "${T_H[*]}" "${C_H[*]}"
