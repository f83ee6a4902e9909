#!/usr/bin/env bash
# rules-cost.sh BUILD_DIR - what the text rules cost a probe: mcp-probe beside the same probe without them
# The probe without the rules is this tree's mcp-probe built with
# -DMCP_SCAN_OFF (probe/probe.h: no list read by mcp-rules(7), findings
# always none) into BUILD_DIR-noscan, by this script alone (BENCH_NOSCAN=DIR
# gives one built already); nothing shipped is built so.  Measured side by
# side, each way in turn, on the same servers: one probe of server-everything
# (streamableHttp: its real list) in instructions (callgrind, repeatable) and
# CPU time (median of BENCH_RUNS probes), and two fleets in CPU time a probe
# (median of 3 runs): BENCH_SE probes of server-everything (-j 50), 100 of
# them in instructions too, and
# BENCH_RULES_FLEET distinct servers serving one tool each
# (tests/fixtures/many.mjs, -j 1000) beside libcurl's floor
# (tests/bench/floor.c), the latter also in instructions at 1,000 hosts.  "rules cost N %" is the probe with the
# rules over the probe without them, less one; "its floor" the probe that
# reads the text as the rules do (walk, normal form, hidden characters) but
# matches no rule on words, over the same probe without them.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tests/bench/util.sh
. tests/bench/util.sh
B=${1:-build}
NB=${BENCH_NOSCAN:-$B-noscan}
if [ -z "${BENCH_NOSCAN:-}" ]; then
	make -s -j2 B="$NB" CFLAGS="${CFLAGS:--O2 -g} -DMCP_SCAN_OFF" "$NB/mcp-probe" >/dev/null ||
	    { echo "rules-cost.sh: the build of $NB/mcp-probe failed" >&2; exit 1; }
fi
# The floor of the rules: the same probe with the text read (the JSON walked,
# each string in its normal form, the hidden characters found) but no rule
# on words matched (-DMCP_SCAN_WORDS_OFF, toolset/scanrules.c), into
# BUILD_DIR-words.
WB=${BENCH_WORDSOFF:-$B-words}
if [ -z "${BENCH_WORDSOFF:-}" ]; then
	make -s -j2 B="$WB" CFLAGS="${CFLAGS:--O2 -g} -DMCP_SCAN_WORDS_OFF" "$WB/mcp-probe" >/dev/null ||
	    { echo "rules-cost.sh: the build of $WB/mcp-probe failed" >&2; exit 1; }
fi
[ -x "$B/floor" ] || make -s B="$B" "$B/floor" >/dev/null
with=$PWD/$B/mcp-probe without=$PWD/$NB/mcp-probe read=$PWD/$WB/mcp-probe
runs=${BENCH_RUNS:-20}
tmp=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/timed" tests/bench/timed.c
# cost LABEL WITH WITHOUT UNIT SCALE: one line, both figures and the cost
cost() {
	awk -v l="$1" -v a="$2" -v b="$3" -v u="$4" -v s="${5:-1}" 'BEGIN {
		printf "  %-58s %10.3f %10.3f %8s  rules cost %.1f %%\n", l, a * s, b * s, u, (a / b - 1) * 100 }'
}
port_of() {
	for _ in $(seq 600); do [ -s "$1" ] && break; sleep 0.1; done
	cat "$1"
}

port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
PORT=$port node tests/node_modules/@modelcontextprotocol/server-everything/dist/index.js streamableHttp \
    >/dev/null 2>&1 &
pids+=($!)
url=http://127.0.0.1:$port/mcp
for _ in $(seq 100); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" && break; sleep 0.1; done
# A warm server (its first answers are slow: JIT).
for _ in 1 2 3 4 5; do "$with" -r bench -s everything "$url" >/dev/null || true; done
"$with" -r bench -s everything "$url" | jq -r 'select(.type == "result") |
    "server-everything: \(.tool_count) tools, findings \(.findings.count)"'
echo "the probe with the rules beside the probe without them ($NB, -DMCP_SCAN_OFF):"
printf '  %-58s %10s %10s %8s\n' "" with without unit

# One probe: instructions (median of 3) and CPU time (median of $runs).
if command -v valgrind >/dev/null; then
	: >"$tmp/iw" && : >"$tmp/io"
	for _ in 1 2 3; do
		instr "$with" -r bench -s everything "$url" >>"$tmp/iw"
		instr "$without" -r bench -s everything "$url" >>"$tmp/io"
	done
	cost "one probe of server-everything, instructions" "$(median <"$tmp/iw")" "$(median <"$tmp/io")" M 1e-6
	: >"$tmp/ir"
	for _ in 1 2 3; do instr "$read" -r bench -s everything "$url" >>"$tmp/ir"; done
	cost "  its floor: the text read, no rule on words ($WB)" "$(median <"$tmp/ir")" "$(median <"$tmp/io")" M 1e-6
fi
: >"$tmp/cw" && : >"$tmp/co"
for _ in $(seq "$runs"); do
	timed "$with" -r bench -s everything "$url" | awk '{ print $2 }' >>"$tmp/cw"
	timed "$without" -r bench -s everything "$url" | awk '{ print $2 }' >>"$tmp/co"
done
cost "one probe of server-everything, CPU (median of $runs)" "$(median <"$tmp/cw")" "$(median <"$tmp/co")" ms 1000

# fleet LABEL N TARGETS JOBS [floor]: CPU a probe, median of 3 runs each
# way, and libcurl's floor (the same requests as a legacy stateless probe)
fleet() {
	local w c f
	: >"$tmp/fw" && : >"$tmp/fo" && : >"$tmp/ff"
	for _ in 1 2 3; do
		timed "$with" -r bench -j "$4" -f "$3" | awk '{ print $2 }' >>"$tmp/fw"
		timed "$without" -r bench -j "$4" -f "$3" | awk '{ print $2 }' >>"$tmp/fo"
		[ -z "${5:-}" ] || timed "$PWD/$B/floor" curl "$3" "$4" | awk '{ print $2 }' >>"$tmp/ff"
	done
	w=$(median <"$tmp/fw") c=$(median <"$tmp/fo") f=$(median <"$tmp/ff")
	cost "$1, CPU a probe" "$(calc "\"%.9f\", $w / $2")" "$(calc "\"%.9f\", $c / $2")" ms 1000
	[ -z "${5:-}" ] || awk -v f="$f" -v n="$2" 'BEGIN {
		printf "  %-58s %10.3f %21s\n", "  (its floor, libcurl alone, CPU a probe)", f * 1000 / n, "ms" }'
}
se=${BENCH_SE:-500}
for i in $(seq "$se"); do echo "se$i $url"; done >"$tmp/se"
fleet "$se probes of server-everything (-j 50)" "$se" "$tmp/se" 50
if command -v valgrind >/dev/null; then
	head -n 100 "$tmp/se" >"$tmp/se100"
	o100=$(instr "$without" -r bench -j 50 -f "$tmp/se100")
	cost "100 probes of server-everything, instructions a probe" \
	    "$(instr "$with" -r bench -j 50 -f "$tmp/se100")" "$o100" M 1e-8
	cost "  its floor: the text read, no rule on words" "$(instr "$read" -r bench -j 50 -f "$tmp/se100")" "$o100" M 1e-8
fi

n=${BENCH_RULES_FLEET:-5000}
for k in $(seq 0 $(((n - 1) / 5000))); do
	count=$((n - k * 5000 < 5000 ? n - k * 5000 : 5000))
	node tests/fixtures/many.mjs --hosts "$count" --first $((k * 5000)) --net 77 \
	    --port-file "$tmp/many-$k" >"$tmp/many-$k.log" 2>&1 &
	pids+=($!)
done
ports=()
for k in $(seq 0 $(((n - 1) / 5000))); do ports+=("$(port_of "$tmp/many-$k")"); done
# distinct N: targets on the first N addresses (127.77.X.Y)
distinct() {
	awk -v n="$1" -v p="${ports[*]}" 'BEGIN { split(p, port, " ")
		for (i = 0; i < n; i++)
			printf "h%d http://127.77.%d.%d:%d/mcp\n", i, int(i / 250), i % 250 + 1, port[int(i / 5000) + 1] }'
}
distinct "$n" >"$tmp/d"
fleet "$n distinct servers, one tool each (-j 1000)" "$n" "$tmp/d" 1000 floor
if command -v valgrind >/dev/null; then
	distinct 1000 >"$tmp/d1000"
	cost "1000 distinct servers, instructions a probe" "$(instr "$with" -r bench -j 1000 -f "$tmp/d1000")" \
	    "$(instr "$without" -r bench -j 1000 -f "$tmp/d1000")" M 1e-9
fi
