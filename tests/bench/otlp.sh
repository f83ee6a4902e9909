#!/usr/bin/env bash
# otlp.sh BUILD_DIR - a minute of 20,000 probes as OpenTelemetry traces:
# mcp-otlp beside the official OpenTelemetry JavaScript SDK exporting the
# same spans, in one run
# The records are tests/gen-scenario.sh's: 20,000 probes of distinct slugs
# from one region, BENCH_OTLP_FAIL of them (1,000) failing at tools_list,
# the rest healthy; a probe is a root span and a span per step that ran
# (9 spans healthy, 8 failed).  Both exporters send OTLP/HTTP, protobuf,
# gzip, to the same receiver, tests/bench/otlp-sink.mjs: it decodes each
# request by OpenTelemetry's own definitions and counts its spans, and
# writes nothing (the test receiver's JSON log would be the bottleneck).
# The peer is tests/bench/otel-sdk.mjs: BatchSpanProcessor (its default
# 512 spans an export, BENCH_OTLP_BATCH; its queue large enough that
# nothing is dropped) and OTLPTraceExporter, its concurrencyLimit raised
# to the minute's batches (at its default, 30, forceFlush loses the
# batches past the 30th: that run is shown too, untimed, as is mcp-otlp's
# at its default -m, 64 MiB, which holds the minute's traces read at once).  Each is timed by
# tests/bench/timed.c: wall, CPU (user + system) and peak RSS of its own
# process; the receiver runs on the same cores.  BENCH_OTLP_PROBES sets
# the size (20000).  Exits 1 when a receiver's count is not what was sent.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1
probes=${BENCH_OTLP_PROBES:-20000}
fails=${BENCH_OTLP_FAIL:-$((probes / 20))}
batch=${BENCH_OTLP_BATCH:-512}
sink_pid=
trap '[ -z "$sink_pid" ] || kill "$sink_pid" 2>/dev/null; cleanup' EXIT

cc -O2 -o "$TMP/timed" tests/bench/timed.c
# The minute's records, the probes at its start (as one runner's minute).
t0=$(($(date +%s) / 60 * 60))
{
	tests/gen-scenario.sh -s fleet -N $((probes - fails)) -r eu-west-2 -J 2000 -t "$t0"
	[ "$fails" = 0 ] || tests/gen-scenario.sh -s broken -N "$fails" -r eu-west-2 -f tools_list -t "$t0"
} >"$TMP/records"
results=$(grep -c '"type":"result"' "$TMP/records")
ran=$(grep '"type":"step"' "$TMP/records" | grep -vc '"status":"skip"')
want=$((results + ran))

node tests/bench/otlp-sink.mjs --port-file "$TMP/port" 2>"$TMP/sink.err" &
sink_pid=$!
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
[ -s "$TMP/port" ] || { cat "$TMP/sink.err" >&2; echo "otlp.sh: the receiver did not start" >&2; exit 1; }
sink=http://127.0.0.1:$(cat "$TMP/port")
count() { curl -s "$sink/_count"; }
reset() { curl -s -o /dev/null "$sink/_reset"; }

# mcp-otlp: a queue large enough for the minute (-m), time enough to send
# it after the records end (-w); exit 0 is every trace sent.
rc=0
"$TMP/timed" "$TMP/t-otlp" "$BIN/mcp-otlp" -e "$sink/v1/traces" --no-metrics -m 1073741824 -w 600 \
    <"$TMP/records" >/dev/null 2>"$TMP/otlp.err" || rc=$?
count >"$TMP/c-otlp"
otlp_note="exit $rc"
[ -s "$TMP/otlp.err" ] && otlp_note="exit $rc: $(head -c 300 "$TMP/otlp.err")"
reset
# Again at the default -m (64 MiB), untimed: the records come faster than
# they can be sent, and the queue holds what waits.
"$BIN/mcp-otlp" -e "$sink/v1/traces" --no-metrics -w 600 <"$TMP/records" >/dev/null 2>"$TMP/otlp32.err" || true
count >"$TMP/c-otlp32"
reset
# The SDK's peer: the same records, the same receiver.
rc=0
"$TMP/timed" "$TMP/t-sdk" node tests/bench/otel-sdk.mjs -e "$sink/v1/traces" -b "$batch" \
    -c $((want / batch + 2)) "$TMP/records" >/dev/null 2>"$TMP/sdk.err" || rc=$?
count >"$TMP/c-sdk"
reset
node tests/bench/otel-sdk.mjs -e "$sink/v1/traces" -b "$batch" "$TMP/records" >/dev/null 2>"$TMP/sdk30.err" || true
count >"$TMP/c-sdk30"
sdk_note="exit $rc: $(tail -n 1 "$TMP/sdk.err" | head -c 300)"
[ "$rc" = 0 ] || sed -n 1,20p "$TMP/sdk.err" >&2

echo "a minute of $probes probes ($fails failing) as traces, $want spans, one region," \
    "OTLP/HTTP protobuf gzip to one receiver:"
printf '  %-40s %8s %8s %8s %14s %11s %9s\n' "" spans "wall s" "CPU s" "CPU µs/probe" "max RSS MB" requests
status=0
row() { # label time-file count-file
	local w c m got req
	read -r w c m <"$2"
	got=$(jq -r .spans "$3") req=$(jq -r .requests "$3")
	awk -v l="$1" -v s="$got" -v w="$w" -v c="$c" -v m="$m" -v n="$probes" -v r="$req" 'BEGIN {
		printf "  %-40s %8d %8.2f %8.2f %14.1f %11.1f %9d\n", l, s, w, c, c * 1e6 / n, m / 1024, r }'
	if [ "$got" != "$want" ] || [ "$(jq -r .roots "$3")" != "$results" ] || [ "$(jq -r .errors "$3")" != 0 ]; then
		echo "  MISMATCH: $1: the receiver counted $(cat "$3"), not $want spans of $results probes"
		status=1
	fi
}
row "mcp-otlp" "$TMP/t-otlp" "$TMP/c-otlp"
row "OpenTelemetry JS SDK 1.30.1 ($(node --version))" "$TMP/t-sdk" "$TMP/c-sdk"
awk -v a="$(cut -d' ' -f2 "$TMP/t-otlp")" -v b="$(cut -d' ' -f2 "$TMP/t-sdk")" \
    -v ma="$(cut -d' ' -f3 "$TMP/t-otlp")" -v mb="$(cut -d' ' -f3 "$TMP/t-sdk")" 'BEGIN {
	printf "  SDK / mcp-otlp: CPU %.1fx, max RSS %.1fx\n", b / (a > 0 ? a : 0.001), mb / ma }'
[ "$status" = 1 ] || echo "  the receiver counted $want spans and $results root spans from each: every span arrived"
echo "  (bytes sent, gzipped: mcp-otlp $(jq -r .bytes "$TMP/c-otlp"), SDK $(jq -r .bytes "$TMP/c-sdk");" \
    "unzipped $(jq -r .raw "$TMP/c-otlp") and $(jq -r .raw "$TMP/c-sdk"))"
echo "  (mcp-otlp $otlp_note; the SDK $sdk_note)"
echo "  (mcp-otlp at its default -m, 64 MiB: $(jq -r .roots "$TMP/c-otlp32") of $results probes' traces arrived;" \
    "$(head -c 200 "$TMP/otlp32.err"))"
echo "  (the SDK at its default concurrencyLimit, 30: $(jq -r .spans "$TMP/c-sdk30") of $want spans arrived;" \
    "$(tail -n 1 "$TMP/sdk30.err" | head -c 200))"
exit "$status"
