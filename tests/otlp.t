#!/usr/bin/env bash
# otlp.t - mcp-otlp against a real OTLP receiver (tests/tools/otlp-receiver.mjs,
# which decodes with OpenTelemetry's own generated protobuf root): real
# probes of server-everything (legacy), the SDK v2 fixture (modern), the
# fixture's failing and auth-walled servers, piped through mcp-otlp; then
# the collector down, hanging, answering 429, 503 and 400.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/otlp-lib.sh
source "$TOP/tests/otlp-lib.sh"

otlp_ready
start_redis
# The metrics are tests/otlp-metrics.t's: here, by their variable, the traces alone.
export OTEL_METRICS_EXPORTER=none
# The probe's bearer token: random, and starting with "-".
FIXTURE_TOKEN=-tok$RANDOM$RANDOM$RANDOM
export FIXTURE_TOKEN
start_fixture || skip_all "fixture did not start"
start_everything streamableHttp || skip_all "server-everything did not start"
start_modern || skip_all "modern fixture did not start"
printf '%s\n' "$FIXTURE_TOKEN" >"$TMP/token" && chmod 600 "$TMP/token"

answer() { curl -sf "$OTLP/_control?status=$1${2:+&retry_after=$2}" >/dev/null; }
requests() { wc -l <"$OTLP_LOG"; }
# past N: the receiver has had more than N requests (for wait_for: counted at each try).
past() { [ "$(requests)" -gt "$1" ]; }
start_otlp || skip_all "OTLP receiver did not start"

probe_eight "$TMP/probe.jsonl"
is "$(jq -r 'select(.step == "call" and .status == "fail") | .detail.tool' "$TMP/probe.jsonl"):$(jq -r 'select(.step == "initialize" and .status == "fail") | "\(.detail.rpc_code) \(.error.message | capture("JSON-RPC error (?<c>-?[0-9]+):").c)"' "$TMP/probe.jsonl")" \
    "fail:-32601 -32601" "the probe's records: a failed call names its tool, a JSON-RPC error its code (detail.tool, detail.rpc_code)"

# The collector's key from a file only its owner reads; the resource's own attributes.
printf 'x-otlp-key=k%%3Dsecret\n' >"$TMP/otlp.headers" && chmod 600 "$TMP/otlp.headers"
run_otlp() {
	OTEL_EXPORTER_OTLP_ENDPOINT=$OTLP/ OTEL_RESOURCE_ATTRIBUTES='deployment.environment=test,team=a%2Cb' \
	    mcp-otlp --header-file "$TMP/otlp.headers"
}
run_otlp <"$TMP/probe.jsonl" >"$TMP/out.jsonl" 2>"$TMP/otlp-run.err"
is "$?" 0 "mcp-otlp: exit 0"
is "$(cat "$TMP/otlp-run.err")" "" "and nothing on stderr"
ok "$(cmp -s "$TMP/probe.jsonl" "$TMP/out.jsonl"; echo $?)" "every record passed on byte for byte"
is "$(requests)" 1 "one request for the run's traces"
L=$(head -1 "$OTLP_LOG")
is "$(jq -r '[.path, .status, .error, .headers["content-encoding"], .headers["content-type"], .headers["x-otlp-key"]] | join(" ")' <<<"$L")" \
    "/v1/traces 200  gzip application/x-protobuf k=secret" \
    "POST /v1/traces, gzip, protobuf, decoded; the key of the header file sent, percent-decoded"
S=$(jq -c '.spans[]' <<<"$L")
spans() { jq -r "select(.resource[\"mcp_uptime.region\"] and .attrs) | $1" <<<"$S"; }
# The spans of a slug: its probe_id is its trace id.
names() {
	local id
	id=$(jq -r "select(.type == \"result\" and .slug == \"$1\") | .probe_id" "$TMP/probe.jsonl")
	jq -r "select(.traceId == \"$id\") | .name" <<<"$S" | tr '\n' '|'
}
is "$(names ev)" "dns lookup|connect|POST|auth|initialize|tools/list|tools/call echo|probe ev|" \
    "legacy: a span a step that ran (no tls for http://), named by the conventions, then the root"
is "$(names modern)" "dns lookup|connect|POST|auth|server/discover|tools/list|tools/call echo|probe modern|" \
    "modern: server/discover"
is "$(names pinged)" "dns lookup|connect|POST|auth|initialize|tools/list|ping|probe pinged|" \
    "legacy with no tool configured: ping"
is "$(names down)" "dns lookup|connect|POST|probe down|" "broken at http: no span for the skipped steps"
is "$(names walled)" "dns lookup|connect|POST|auth|probe walled|" "auth-walled: the steps after auth skipped"
is "$(jq -r 'select(.type == "result") | .probe_id' "$TMP/probe.jsonl" | sort | tr '\n' ' ')" \
    "$(spans '.traceId' | sort -u | tr '\n' ' ')" "one trace a probe, its id the probe_id"
is "$(spans 'select(.parentSpanId == "") | "\(.name) \(.kind)"' | sort | tr '\n' '|')" \
    "probe cred SPAN_KIND_INTERNAL|probe down SPAN_KIND_INTERNAL|probe ev SPAN_KIND_INTERNAL|probe modern SPAN_KIND_INTERNAL|probe noinit SPAN_KIND_INTERNAL|probe pinged SPAN_KIND_INTERNAL|probe toolerr SPAN_KIND_INTERNAL|probe walled SPAN_KIND_INTERNAL|" \
    "one root a trace"
is "$(jq -rs '. as $all | ([.[] | select(.parentSpanId == "") | {key: .traceId, value: .spanId}] | from_entries) as $r
    | [$all[] | select(.parentSpanId != "") | .traceId as $t | select(.parentSpanId != $r[$t] or .kind != "SPAN_KIND_CLIENT")] | length' <<<"$S")" 0 \
    "every step span a CLIENT child of its probe's root"
ID=$(jq -r 'select(.type == "result" and .slug == "ev") | .probe_id' "$TMP/probe.jsonl")
is "$(spans "select(.traceId == \"$ID\" and .name == \"connect\") | .spanId")" \
    "$(printf '%s' "$ID/connect" | sha256sum | cut -c1-16)" "a step's span id: SHA-256 of probe_id/step, its first 8 bytes"
is "$(spans "select(.traceId == \"$ID\" and .parentSpanId == \"\") | .spanId")" \
    "$(printf '%s' "$ID/probe" | sha256sum | cut -c1-16)" "the root's: of probe_id/probe"
# Status ERROR exactly when the step failed: the failed steps of the records against the ERROR spans.
is "$(spans 'select(.status.code == "STATUS_CODE_ERROR" and .parentSpanId != "") | "\(.attrs["mcp_uptime.step"]) \(.status.message)"' | sort | tr '\n' '|')" \
    "$(jq -r 'select(.type == "step" and .status == "fail") | "\(.step) \(.error.code)"' "$TMP/probe.jsonl" | sort | tr '\n' '|')" \
    "a step span is ERROR exactly when its step failed"
is "$(spans 'select(.parentSpanId == "") | "\(.attrs["mcp_uptime.slug"]) \(.status.code) \(.attrs["mcp_uptime.state"]) \(.attrs["mcp_uptime.failed_step"] // "-") \(.attrs["error.type"] // "-")"' | sort | tr '\n' '|')" \
    "cred STATUS_CODE_OK healthy - -|down STATUS_CODE_ERROR broken http http_5xx|ev STATUS_CODE_OK healthy - -|modern STATUS_CODE_OK healthy - -|noinit STATUS_CODE_ERROR broken initialize jsonrpc_error|pinged STATUS_CODE_OK healthy - -|toolerr STATUS_CODE_ERROR broken call call_failed|walled STATUS_CODE_OK auth-walled - -|" \
    "the root: the verdict in its status, state, failed step and error code"
is "$(spans 'select(.name == "tools/call echo" and .attrs["mcp.protocol.version"] == "2026-07-28") | .attrs | [.["mcp.method.name"], .["gen_ai.tool.name"], .["server.address"], .["server.port"] > 0, .["network.transport"], .["network.protocol.name"]] | map(tostring) | join(" ")')" \
    "tools/call echo 127.0.0.1 true tcp http" "tools/call: the conventions' attributes, the modern protocol version"
is "$(spans 'select(.attrs["mcp_uptime.slug"] == "modern") | .attrs | [.["mcp_uptime.era"], .["mcp_uptime.transport"], .["mcp.protocol.version"]] | join(" ")')" \
    "modern streamable-http 2026-07-28" "the root: era, transport, protocol version"
is "$(spans 'select(.name == "tools/call fail") | "\(.attrs["error.type"]) \(.attrs["gen_ai.tool.name"])"')" \
    "tool_error fail" "isError: error.type tool_error, the tool named though the call failed"
is "$(spans 'select(.attrs["mcp_uptime.step"] == "initialize" and .status.code == "STATUS_CODE_ERROR") | [.attrs["error.type"], .attrs["rpc.response.status_code"], .attrs["mcp_uptime.error_code"]] | join(" ")')" \
    "$(jq -r 'select(.step == "initialize" and .status == "fail") | .error.message | capture("JSON-RPC error (?<c>-?[0-9]+):").c as $c | "\($c) \($c) jsonrpc_error"' "$TMP/probe.jsonl")" \
    "a JSON-RPC error: its code as error.type and rpc.response.status_code"
is "$(spans 'select(.name == "POST" and .attrs["mcp_uptime.step"] == "http" and .status.code == "STATUS_CODE_ERROR") | [.attrs["http.request.method"], .attrs["http.response.status_code"], .attrs["error.type"]] | map(tostring) | join(" ")')" \
    "POST 500 http_5xx" "http: the HTTP conventions' attributes"
is "$(spans '.resource | [.["service.name"], .["cloud.region"], .["mcp_uptime.region"], .["host.name"], .["deployment.environment"], .team] | join(" ")' | sort -u)" \
    "mcp-uptime eu-west-2 eu-west-2 $(hostname) test a,b" \
    "the resource: service.name, the region, the runner's host, OTEL_RESOURCE_ATTRIBUTES"
is "$(jq -r '[.start, .end] | map(tonumber) | select(.[1] < .[0])' <<<"$S")" "" "no span ends before it starts"
is "$(spans "select(.traceId == \"$ID\" and .parentSpanId == \"\") | .start")" \
    "$(jq -r "select(.type == \"result\" and .slug == \"ev\") | .probe_started_at * 1000 | round | tostring + \"000000\"" "$TMP/probe.jsonl")" \
    "the root starts at probe_started_at"
is "$(grep -cF -e "$FIXTURE_TOKEN" "$OTLP_LOG" "$TMP/otlp-run.err" "$TMP/out.jsonl" | grep -vc ':0$')" 0 \
    "the probe's bearer token is nowhere in what the collector got, nor on stderr"
is "$(grep -c 'mcp.session.id\|mcp-session-id' "$OTLP_LOG")" 0 "no session id"

# OTEL_SERVICE_NAME and -H.
OTEL_SERVICE_NAME=probes-eu OTEL_EXPORTER_OTLP_HEADERS='x-env=e' \
    mcp-otlp -e "$OTLP/v1/traces" -H 'x-flag: f' <"$TMP/probe.jsonl" >/dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "0:" "-e, -H, OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_HEADERS"
is "$(tail -1 "$OTLP_LOG" | jq -r '[.headers["x-env"], .headers["x-flag"], (.spans | map(.resource["service.name"]) | unique[])] | join(" ")')" \
    "e f probes-eu" "the headers of the variable and of -H; the service's name"

# A header file others may read is refused: the records still pass on.
chmod 644 "$TMP/otlp.headers"
out=$(run_otlp <"$TMP/probe.jsonl" 2>"$TMP/err")
is "$?" 2 "a header file readable by others: exit 2"
like "$(cat "$TMP/err")" "^mcp-otlp: header file $TMP/otlp.headers: .*(group|others)" "and says why, naming the file"
is "$(printf '%s\n' "$out" | wc -l)" "$(wc -l <"$TMP/probe.jsonl")" "the records passed on all the same"
chmod 600 "$TMP/otlp.headers"
is "$(requests)" 2 "nothing sent"

# --- the collector down, hanging, 429, 503, 400 -----------------------------
export OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=$OTLP/v1/traces
NREC=$(wc -l <"$TMP/probe.jsonl")
NTRACE=$(grep -c '"type":"result"' "$TMP/probe.jsonl")

# Down: nothing listens.  The records pass, the traces are spooled, the run ends.
dead=$(free_port)
OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://127.0.0.1:$dead/v1/traces mcp-otlp -s "$TMP/spool" -w 1 \
    <"$TMP/probe.jsonl" >"$TMP/out" 2>"$TMP/err"
is "$?" 0 "collector down: exit 0 (the traces spooled)"
is "$(wc -l <"$TMP/out")" "$NREC" "every record passed on"
like "$(cat "$TMP/err")" "^mcp-otlp: traces: 0 sent \(0 spans\), $NTRACE spooled, 0 dropped .*: last error: .*(onnect|refused)" \
    "stderr counts what is spooled, and why"
# The next run sends the spool first.
mcp-otlp -s "$TMP/spool" </dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "0:" "the collector back: the next run sends the spool"
is "$(tail -1 "$OTLP_LOG" | jq '.spans | map(select(.parentSpanId == "")) | length')" "$NTRACE" "all the spooled traces"
is "$(wc -c <"$TMP/spool")" 0 "and empties it"

# Bounded: 4 KiB of spool holds only the newest traces; the others are counted.
OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://127.0.0.1:$dead/v1/traces mcp-otlp -s "$TMP/spool" -m 4096 -w 0 \
    <"$TMP/probe.jsonl" >/dev/null 2>"$TMP/err"
is "$?" 1 "spool full: exit 1"
ok "$([ "$(wc -c <"$TMP/spool")" -le 4096 ] && [ -s "$TMP/spool" ]; echo $?)" "the spool stays within -m ($(wc -c <"$TMP/spool") bytes)"
like "$(cat "$TMP/err")" "spooled, [1-9][0-9]* dropped \([0-9]+ spans; [1-9][0-9]* past the spool's bound" "what was dropped counted"
rm -f "$TMP/spool"

# Hanging: the records reach the push at once; the push ends at stdin's end,
# not at the collector's; mcp-otlp gives up after -w.
answer hang
n0=$(requests)
mkfifo "$TMP/in" "$TMP/mid"
mcp-otlp -s "$TMP/spool" -t 60 -w 3 <"$TMP/in" >"$TMP/mid" 2>"$TMP/err" &
otlp_pid=$!
bg_pid $otlp_pid
tee "$TMP/pushed" <"$TMP/mid" | MCP_NOW=$((T + 2)) mcp-aggregate push 2>"$TMP/push.err" &
push_pid=$!
exec {w}>"$TMP/in"
head -9 "$TMP/probe.jsonl" >&$w
ok "$(wait_for 100 grep -q '"type":"result"' "$TMP/pushed"; echo $?)" "collector hanging: the first probe's records passed on at once"
ok "$(wait_for 100 past "$n0"; echo $?)" "its trace sent while stdin is still open"
tail -n +10 "$TMP/probe.jsonl" >&$w
exec {w}>&-
wait "$push_pid"
is "$?" 0 "the push ended with its stdin"
ok "$(kill -0 "$otlp_pid" 2>/dev/null; echo $?)" "while mcp-otlp still waited on the collector"
is "$(res_regions ev "$T")$(res_regions noinit "$T")" "eu-west-2 eu-west-2 " "the push stored every probe"
wait "$otlp_pid"
is "$?" 0 "mcp-otlp ended after -w"
like "$(cat "$TMP/err")" "[1-9][0-9]* spooled, 0 dropped" "what was in flight spooled"
rm -f "$TMP/spool"

# SIGTERM (a runner's deadline) while the collector hangs: the traces go to the spool.
n0=$(requests)
mcp-otlp -s "$TMP/spool" -t 60 -w 60 <"$TMP/in" >/dev/null 2>"$TMP/err" &
otlp_pid=$!
bg_pid $otlp_pid
exec {w}>"$TMP/in"
cat "$TMP/probe.jsonl" >&$w
ok "$(wait_for 100 past "$n0"; echo $?)" "SIGTERM: the trace in flight first"
kill -TERM "$otlp_pid"
wait "$otlp_pid"
is "$?" 0 "SIGTERM: mcp-otlp ends at once, exit 0"
exec {w}>&-
like "$(cat "$TMP/err")" "0 sent .* $NTRACE spooled, 0 dropped" "every trace spooled"
ok "$([ -s "$TMP/spool" ]; echo $?)" "in the spool file"
rm -f "$TMP/spool"

# 429 with Retry-After: 1 s: the next attempt comes no sooner.
answer 429 1
n0=$(requests)
mcp-otlp -w 30 <"$TMP/probe.jsonl" >/dev/null 2>"$TMP/err" &
pid=$!
bg_pid $pid
ok "$(wait_for 100 past "$n0"; echo $?)" "429: the first attempt"
answer 200
wait "$pid"
is "$?:$(cat "$TMP/err")" "0:mcp-otlp: traces: $NTRACE sent ($(jq '.spans | length' <<<"$L") spans), 0 spooled, 0 dropped (0 spans; 0 past the spool's bound, 0 refused, 0 unsent, 0 never ended): last error: HTTP 429" \
    "429: sent on the retry; stderr says so"
is "$(tail -2 "$OTLP_LOG" | jq -r .status | tr '\n' ' ')" "429 200 " "one 429, then 200"
ok "$(tail -2 "$OTLP_LOG" | jq -s '.[1].t - .[0].t >= 1000' | grep -q true; echo $?)" "Retry-After honoured: a second at least between them"

# 429 with a Retry-After past -w: no second attempt, the run ends.
answer 429 120
n0=$(requests)
mcp-otlp -w 5 <"$TMP/probe.jsonl" >/dev/null 2>"$TMP/err"
is "$?" 1 "Retry-After past -w, no spool: exit 1"
is "$(($(requests) - n0))" 1 "one attempt only"
like "$(cat "$TMP/err")" "0 sent .* $NTRACE dropped .* $NTRACE unsent.*HTTP 429" "the unsent counted as dropped"

# 503 without Retry-After: the backoff, then the retry.
answer 503
n0=$(requests)
mcp-otlp -w 30 <"$TMP/probe.jsonl" >/dev/null 2>"$TMP/err" &
pid=$!
bg_pid $pid
ok "$(wait_for 100 past "$n0"; echo $?)" "503: the first attempt"
answer 200
wait "$pid"
is "$?" 0 "503: retried"
is "$(tail -2 "$OTLP_LOG" | jq -r .status | tr '\n' ' ')" "503 200 " "one 503, then 200"

# 400: refused, not retried; counted.
answer 400
n0=$(requests)
mcp-otlp -w 5 <"$TMP/probe.jsonl" >"$TMP/out" 2>"$TMP/err"
is "$?" 1 "400: exit 1"
is "$(($(requests) - n0)) $(wc -l <"$TMP/out")" "1 $NREC" "no retry; the records passed on"
like "$(cat "$TMP/err")" "$NTRACE dropped .* $NTRACE refused.*HTTP 400" "the refused counted"
answer 200

# Usage.
mcp-otlp -m 10 </dev/null >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/out")" "2:" "-m too small: usage error, nothing on stdout"
done_testing
