#!/usr/bin/env bash
# otlp-metrics.t - mcp-otlp's OTLP metrics against a real OTLP receiver
# (tests/tools/otlp-receiver.mjs, OpenTelemetry's own generated protobuf
# root): real probes of server-everything (legacy), the SDK v2 fixture
# (modern), the fixture's failing and auth-walled servers, and a real
# verdict of mcp-aggregate, piped through mcp-otlp; the conventions'
# mcp.client.operation.duration and the suite's own metrics.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/otlp-lib.sh
source "$TOP/tests/otlp-lib.sh"

otlp_ready
start_redis
FIXTURE_TOKEN=-tok$RANDOM$RANDOM$RANDOM
export FIXTURE_TOKEN
start_fixture || skip_all "fixture did not start"
start_everything streamableHttp || skip_all "server-everything did not start"
start_modern || skip_all "modern fixture did not start"
printf '%s\n' "$FIXTURE_TOKEN" >"$TMP/token" && chmod 600 "$TMP/token"

start_otlp || skip_all "OTLP receiver did not start"
export OTEL_EXPORTER_OTLP_ENDPOINT=$OTLP

probe_eight "$TMP/probe.jsonl"
NRES=$(grep -c '"type":"result"' "$TMP/probe.jsonl")

mcp-otlp <"$TMP/probe.jsonl" >"$TMP/out.jsonl" 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "0:" "mcp-otlp: exit 0, nothing on stderr"
ok "$(cmp -s "$TMP/probe.jsonl" "$TMP/out.jsonl"; echo $?)" "every record passed on byte for byte"
is "$(jq -r .path "$OTLP_LOG" | sort | tr '\n' ' ')" "/v1/metrics /v1/traces " \
    "one request for the traces, one to OTEL_EXPORTER_OTLP_ENDPOINT/v1/metrics"
M=$(jq -c 'select(.path == "/v1/metrics")' "$OTLP_LOG")
is "$(jq -r '[.status, .error, .headers["content-encoding"], .headers["content-type"]] | join(" ")' <<<"$M")" \
    "200  gzip application/x-protobuf" "decoded as an ExportMetricsServiceRequest: gzip, protobuf"
P=$(jq -c '.points[]' <<<"$M")
pts() { jq -r "$1" <<<"$P"; }
H='select(.name == "mcp.client.operation.duration")'

# The conventions' histogram.
is "$(pts "$H | [.type, .unit, .temporality, (.explicitBounds | map(tostring) | join(\",\"))] | join(\" \")" | sort -u)" \
    "histogram s AGGREGATION_TEMPORALITY_DELTA 0.01,0.02,0.05,0.1,0.2,0.5,1,2,5,10,30,60,120,300" \
    "mcp.client.operation.duration: a histogram in seconds, DELTA, the conventions' bounds"
is "$(pts "$H | .count" | paste -sd+ | bc)" \
    "$(jq -r 'select(.type == "step" and .status != "skip" and (.step == "initialize" or .step == "tools_list" or .step == "call")) | .step' "$TMP/probe.jsonl" | wc -l)" \
    "its counts sum to the MCP steps that ran"
is "$(pts "$H | select((.bucketCounts | add) != .count or (.bucketCounts | length) != 15)" | wc -l)" 0 \
    "15 buckets a point, summing to its count"
is "$(pts "$H | .attrs | tojson" | sort | uniq -d)" "" "one point a set of attributes"
is "$(pts "$H | .attrs | \"\(.[\"mcp.method.name\"]) \(.[\"error.type\"] // \"-\")\"" | sort -u | tr '\n' '|')" \
    "initialize -|initialize -32601|ping -|server/discover -|tools/call -|tools/call tool_error|tools/list -|" \
    "by mcp.method.name (server/discover for the modern era) and error.type (the JSON-RPC code, tool_error)"
is "$(pts "$H | select(.attrs[\"mcp.method.name\"] == \"server/discover\") | .attrs | [.[\"server.address\"], .[\"server.port\"] > 0, .[\"network.transport\"], .[\"mcp.protocol.version\"]] | map(tostring) | join(\" \")")" \
    "127.0.0.1 true tcp 2026-07-28" "server.address, server.port, network.transport, mcp.protocol.version"
# Compared within 0.01 ms, not each rounded: 14.5 ms is 0.0145 s, whose
# double times 1000 is 14.4999..., and a rounding on each side once made
# 14 of one and 15 of the other.
sum_s=$(pts "$H | select(.attrs[\"mcp.method.name\"] == \"tools/call\" and .attrs[\"error.type\"] == null) | .sum" | jq -s 'add * 1000')
sum_ms=$(jq -s 'map(select(.step == "call" and .status == "pass" and .detail.method != "ping") | .ms) | add' "$TMP/probe.jsonl")
is "$(jq -n --argjson a "$sum_s" --argjson b "$sum_ms" '($a - $b) | fabs < 0.01 and $b > 0')" true \
    "the sum: the steps' durations, in seconds ($sum_s ms against the steps' $sum_ms)"

# The suite's own.
is "$(pts 'select(.name == "mcp_uptime.probe.state" and .value == 1) | "\(.attrs["mcp_uptime.slug"]) \(.attrs["mcp_uptime.region"]) \(.attrs["mcp_uptime.state"])"' | tr '\n' '|')" \
    "$(jq -r 'select(.type == "result") | "\(.slug) \(.region) \(.state)"' "$TMP/probe.jsonl" | tr '\n' '|')" \
    "mcp_uptime.probe.state: 1 for each result's state"
is "$(pts 'select(.name == "mcp_uptime.probe.state") | "\(.type) \(.unit)"' | sort | uniq -c | awk '{ print $1, $2, $3 }')" \
    "$((3 * NRES)) gauge 1" "a gauge: a point for each of healthy, auth-walled, broken a result"
is "$(pts 'select(.name == "mcp_uptime.probe.duration") | "\(.attrs["mcp_uptime.slug"]) \(.unit) \(.value * 1000 | round)"' | tr '\n' '|')" \
    "$(jq -r 'select(.type == "result") | "\(.slug) s \(.ms | round)"' "$TMP/probe.jsonl" | tr '\n' '|')" \
    "mcp_uptime.probe.duration: each result's ms, in seconds"
is "$(pts 'select(.name == "mcp_uptime.probe.results") | "\(.type) \(.monotonic) \(.temporality) \(.unit)"' | sort -u)" \
    "sum true AGGREGATION_TEMPORALITY_DELTA {result}" "mcp_uptime.probe.results: a monotonic DELTA sum"
is "$(pts 'select(.name == "mcp_uptime.probe.results") | "\(.attrs["mcp_uptime.slug"]) \(.attrs["mcp_uptime.region"]) \(.attrs["mcp_uptime.state"]) \(.value)"' | sort | tr '\n' '|')" \
    "$(jq -r 'select(.type == "result") | "\(.slug) \(.region) \(.state) 1"' "$TMP/probe.jsonl" | sort | tr '\n' '|')" \
    "by slug, region and state: a result each"
is "$(pts '.resource | [.["service.name"], .["host.name"]] | join(" ")' | sort -u)" "mcp-uptime $(hostname)" \
    "the resource: service.name, host.name"
is "$(grep -cF -e "$FIXTURE_TOKEN" "$OTLP_LOG" "$TMP/err" | grep -vc ':0$')" 0 "the bearer token is in no attribute"
is "$(pts '.attrs | keys[]' | sort -u | tr '\n' ' ')" \
    "error.type mcp.method.name mcp.protocol.version mcp_uptime.region mcp_uptime.slug mcp_uptime.state network.transport server.address server.port " \
    "these attributes and no others (no session id, no URL path)"

# A result with a certificate (an https:// server's, as mcp-probe writes it).
jq -c 'select(.type == "result" and .slug == "ev") | .cert_expires_at = (.probe_started_at | floor) + 86400 * 30 + 43200' \
    "$TMP/probe.jsonl" | mcp-otlp --no-traces >/dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "0:" "--no-traces: exit 0"
L=$(tail -1 "$OTLP_LOG")
is "$(jq -r .path <<<"$L")" "/v1/metrics" "--no-traces: the metrics alone"
is "$(jq -r '.points[] | select(.name == "mcp_uptime.tls.cert.days_left") | "\(.type) \(.unit) \(.attrs["mcp_uptime.slug"]) \(.value * 10 | round)"' <<<"$L")" \
    "gauge d ev 305" "mcp_uptime.tls.cert.days_left: from the probe to cert_expires_at, in days"

# The verdicts: mcp-aggregate verdict | mcp-otlp, as the alerting pipe has it.
MCP_NOW=$((T + 2)) mcp-aggregate push <"$TMP/probe.jsonl" 2>"$TMP/push.err"
is "$?" 0 "the probes pushed"
n0=$(wc -l <"$OTLP_LOG")
MCP_NOW=$((T + 95)) mcp-aggregate verdict ev down walled 2>"$TMP/verdict.err" | mcp-otlp >"$TMP/v.jsonl" 2>"$TMP/err"
is "$(jq -r '"\(.slug) \(.verdict)"' "$TMP/v.jsonl" | tr '\n' ' ')" "ev green down red walled green " \
    "the verdicts passed on"
L=$(tail -n +$((n0 + 1)) "$OTLP_LOG" | jq -c 'select(.path == "/v1/metrics")')
is "$(jq -r '.points[] | select(.name == "mcp_uptime.verdict" and .value == 1) | "\(.type) \(.attrs["mcp_uptime.slug"]) \(.attrs["mcp_uptime.state"])"' <<<"$L" | tr '\n' '|')" \
    "gauge ev up|gauge down down|gauge walled up|" "mcp_uptime.verdict: 1 for each verdict's state (up, degraded, down, pending)"
is "$(jq '[.points[] | select(.name == "mcp_uptime.verdict")] | length' <<<"$L")" 12 "a point for each of the four states"
# A verdict with drift (a region's tool list changed in its window), as mcp-aggregate writes it.
jq -c 'select(.slug == "ev") | .drift = [{"region": "eu-west-2", "from": "sha256:aa", "to": "sha256:bb"}]' "$TMP/v.jsonl" |
	mcp-otlp --no-traces >/dev/null 2>"$TMP/err"
is "$(tail -1 "$OTLP_LOG" | jq -r '.points[] | select(.name == "mcp_uptime.tools.changes") | "\(.type) \(.monotonic) \(.unit) \(.attrs["mcp_uptime.slug"]) \(.attrs["mcp_uptime.region"]) \(.value)"')" \
    "sum true {change} ev eu-west-2 1" "mcp_uptime.tools.changes: a drift entry counted, by slug and region"

# Off: OTEL_METRICS_EXPORTER=none, --no-metrics; the cumulative preference.
n0=$(wc -l <"$OTLP_LOG")
OTEL_METRICS_EXPORTER=none mcp-otlp <"$TMP/probe.jsonl" >/dev/null 2>&1
mcp-otlp --no-metrics <"$TMP/probe.jsonl" >/dev/null 2>&1
is "$(tail -n +$((n0 + 1)) "$OTLP_LOG" | jq -r .path | tr '\n' ' ')" "/v1/traces /v1/traces " \
    "OTEL_METRICS_EXPORTER=none and --no-metrics: the traces alone"
OTEL_TRACES_EXPORTER=none OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=cumulative \
    OTEL_EXPORTER_OTLP_METRICS_ENDPOINT=$OTLP/other/metrics mcp-otlp <"$TMP/probe.jsonl" >/dev/null 2>&1
L=$(tail -1 "$OTLP_LOG")
is "$(jq -r '[.path, (.points | map(.temporality // empty) | unique | join(","))] | join(" ")' <<<"$L")" \
    "/other/metrics AGGREGATION_TEMPORALITY_CUMULATIVE" \
    "OTEL_TRACES_EXPORTER=none; OTEL_EXPORTER_OTLP_METRICS_ENDPOINT; the cumulative temporality asked for"

# A pipe that stays open: an export every OTEL_METRIC_EXPORT_INTERVAL while stdin lasts.
mkfifo "$TMP/in"
n0=$(wc -l <"$OTLP_LOG")
OTEL_METRIC_EXPORT_INTERVAL=1000 mcp-otlp --no-traces <"$TMP/in" >/dev/null 2>"$TMP/err" &
pid=$!
bg_pid $pid
exec {w}>"$TMP/in"
cat "$TMP/probe.jsonl" >&$w
metrics_past() { [ "$(tail -n +$((n0 + 1)) "$OTLP_LOG" | grep -c '"path":"/v1/metrics"')" -gt 0 ]; }
ok "$(wait_for 100 metrics_past; echo $?)" "OTEL_METRIC_EXPORT_INTERVAL=1000: an export while stdin is still open"
# states_out: the results' states the exports so far carried (an export
# may come before every line is read, on a busy machine: the next has the rest).
states_out() {
	tail -n +$((n0 + 1)) "$OTLP_LOG" | jq -s '[.[] | select(.path == "/v1/metrics") | .points[] |
	    select(.name == "mcp_uptime.probe.state" and .value == 1)] | length'
}
all_states() { [ "$(states_out)" = "$NRES" ]; }
wait_for 100 all_states
is "$(states_out)" "$NRES" "every result read exported while stdin is still open"
exec {w}>&-
wait "$pid"
is "$?:$(cat "$TMP/err")" "0:" "then the end of stdin: exit 0"

# The collector down: the metrics spooled beside the traces, sent by the next run.
dead=$(free_port)
OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$dead mcp-otlp -s "$TMP/spool" -w 0 <"$TMP/probe.jsonl" >/dev/null 2>"$TMP/err"
like "$(cat "$TMP/err")" "metrics: 0 sent \(0 points\), 1 spooled, 0 dropped" "collector down: the metrics spooled, and said so"
ok "$([ -s "$TMP/spool.metrics" ]; echo $?)" "in SPOOL.metrics"
n0=$(wc -l <"$OTLP_LOG")
mcp-otlp -s "$TMP/spool" </dev/null >/dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "0:" "the next run sends them"
is "$(tail -n +$((n0 + 1)) "$OTLP_LOG" | jq -r 'select(.path == "/v1/metrics") | [.points[] | select(.name == "mcp_uptime.probe.state")] | length')" \
    "$((3 * NRES))" "every point of the spooled export"
done_testing
