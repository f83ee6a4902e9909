#!/usr/bin/env bash
# starve.sh BUILD_DIR - a minute's run with tarpits in the fleet: does every working server still get its result?
# BENCH_STARVE_SERVERS (default 20,000) distinct servers on loopback, every
# answer 150 ms away (tests/fixtures/many.mjs), of which
# BENCH_STARVE_TARPITS (default 5,000) are tarpits that take the connection
# and never answer (tests/fixtures/tarpit.mjs), named to sort first and
# listed first.  One mcp-probe run over all of them, as a runner of
# mcp-fleet(8) runs it (-d 48.5, what a region deadline of 50 s gives), the
# default -j, beside its floor: the working servers alone, without the
# tarpits.  BENCH_STARVE_BEFORE=DIR (or BENCH_BEFORE) adds the same run by
# the mcp-probe of another build (the one before issue 48).  make bench
# runs 100,000 servers, 2,000 of them tarpits (about 6 minutes).  The servers share the machine's two cores with the probe.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
. "$(dirname "$0")/lib.sh"
N=${BENCH_STARVE_SERVERS:-20000}
T=${BENCH_STARVE_TARPITS:-5000}
W=$((N - T))
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null; cleanup' EXIT

# up NAME CMD...: a fixture whose port file is $TMP/NAME.port.
names=()
up() {
	local name=$1
	shift
	"$@" --port-file "$TMP/$name.port" >"$TMP/$name.log" 2>&1 &
	pids+=($!)
	names+=("$name")
}
# Working server n is at 127.77.X.Y below 60,000, 127.79.X.Y from there (a
# net holds 64,000 addresses).
for ((k = 0; k * 5000 < W; k++)); do
	first=$((k * 5000)) net=77
	[ "$first" -lt 60000 ] || first=$((first - 60000)) net=79
	up "many-$k" node "$TOP/tests/fixtures/many.mjs" --hosts $((W - k * 5000 < 5000 ? W - k * 5000 : 5000)) \
	    --first "$first" --net "$net" --delay 150
done
# A tarpit listener and each connection it holds take a descriptor.
for ((k = 0; k * 5000 < T; k++)); do
	up "pit-$k" node "$TOP/tests/fixtures/tarpit.mjs" --mode silent \
	    --hosts $((T - k * 5000 < 5000 ? T - k * 5000 : 5000)) --first $((k * 5000))
done
for f in "${names[@]}"; do
	for _ in $(seq 600); do [ -s "$TMP/$f.port" ] && break; sleep 0.1; done
	[ -s "$TMP/$f.port" ] || { cat "$TMP/$f.log" >&2; echo "starve.sh: $f did not come up" >&2; exit 1; }
done
# list PREFIX NET PORTS N: N targets, 5,000 a port of PORTS; from 60,000 on NET + 2.
list() {
	awk -v pre="$1" -v net="$2" -v p="$3" -v n="$4" -v path="$5" 'BEGIN {
		split(p, port, " ")
		for (i = 0; i < n; i++) {
			f = i < 60000 ? i : i - 60000
			printf "%s-%06d http://127.%d.%d.%d:%s%s\n", pre, i, i < 60000 ? net : net + 2,
			    int(f / 250), f % 250 + 1, port[int(i / 5000) + 1], path
		}
	}'
}
ports() { for ((k = 0; k * 5000 < $2; k++)); do printf '%s ' "$(cat "$TMP/$1-$k.port")"; done; }
list aaa-tarpit 78 "$(ports pit "$T")" "$T" /mcp >"$TMP/pits"
list server 77 "$(ports many "$W")" "$W" /d150/mcp >"$TMP/working"
cat "$TMP/pits" "$TMP/working" >"$TMP/all"

# timed (tests/bench/timed.c): wall and CPU time and peak RSS from wait4(2).
cc -O2 -o "$TMP/timed" "$TOP/tests/bench/timed.c"
# run LABEL PROBE TARGETS [FLAGS...]: one run, as a row: the time to its
# last record (the last result's probe_finished_at, on the same clock as
# the start) and to its exit, its CPU and memory, the results, those of the
# working servers that are healthy, and the tarpits' that are broken.
run() {
	local label=$1 probe=$2 targets=$3 t0 wall cpu m
	shift 3
	t0=$(date +%s.%N)
	"$TMP/timed" "$TMP/time" "$probe" -r bench --guard-allow 127.0.0.0/8 -f "$targets" "$@" \
	    >"$TMP/out" 2>"$TMP/err" || true
	read -r wall cpu m <"$TMP/time"
	jq -r 'select(.type == "result") | "\(.slug[0:3]) \(.state) \(.probe_finished_at)"' "$TMP/out" |
	    awk -v t0="$t0" -v w="$wall" -v l="$label" -v cpu="$cpu" -v m="$m" '
		{ n++; if ($1 == "ser" && $2 == "healthy") h++; if ($1 == "aaa" && $2 == "broken") b++
		  if ($2 == "unjudged") u++; if ($1 == "ser" && $2 == "broken") wb++
		  if ($1 == "ser" && $2 == "healthy" && $3 - t0 <= 48.5) in_time++
		  if ($3 > last) last = $3; if ($1 == "ser" && $3 > lastw) lastw = $3 }
		END { printf "  %-34s %6.1f %6.1f %6.1f %6.1f %7d %7d %7d %5d %8d %6d %7d\n", l, lastw - t0,
		    last - t0, w, cpu, n, h, in_time, b, u, wb, m }'
	sed 's/^/    (/; s/$/)/' "$TMP/err" | head -3
}
echo "a minute's run with tarpits: $N distinct servers 150 ms away, $T of them tarpits named to sort first, default -j:"
printf '  %-34s %6s %6s %6s %6s %7s %7s %7s %5s %8s %6s %7s\n' "" work last exit CPU results healthy "by 48.5" pits unjudged wbroke "RSS kB"
run "mcp-probe -d 48.5, all $N" "$BIN/mcp-probe" "$TMP/all" -d 48.5
run "floor: the $W working alone" "$BIN/mcp-probe" "$TMP/working" -d 48.5
before=${BENCH_STARVE_BEFORE:-${BENCH_BEFORE:-}}
if [ -n "$before" ]; then
	run "before (075d3aa) -d 48.5, all $N" "$before/mcp-probe" "$TMP/all" -d 48.5
fi
echo "  (seconds from the start: work, to the last working server's result; last, to the last result"
echo "  (probe_finished_at); exit, to the process's end.  healthy: of the $W working; by 48.5: of them,"
echo "  those whose result came within 48.5 s, before a region deadline of 50 s cuts; pits: tarpits"
echo "  broken, of $T; unjudged: the results the run could not judge (not started, ended to make room,"
echo "  cut by -d), the runner's limit; wbroke: working servers broken (none, unless the machine fails"
echo "  them); RSS: the peak)"
