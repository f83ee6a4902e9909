#!/usr/bin/env bash
# otlp-trace.t - the server's side joins the probe's trace (issue 47): with
# --traceparent (or traceparent=1 in the targets file) mcp-probe sends the
# W3C traceparent of each MCP step's span, in params._meta and the
# traceparent header, to an MCP server built on the official TypeScript SDK
# and instrumented with the official OpenTelemetry JS SDK
# (tests/fixtures/traced.mjs).  Its SERVER spans and the probe's spans (the
# records through mcp-otlp) reach one real OTLP receiver
# (tests/tools/otlp-receiver.mjs): the server's spans are in the probe's
# trace, children of the step spans mcp-otlp sent.  Without the option,
# nothing is sent: the server's spans are roots of traces of their own, and
# the requests are those of today.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/otlp-lib.sh
source "$TOP/tests/otlp-lib.sh"

for m in otlp-transformer/build/src/generated/root.js sdk-trace-node exporter-trace-otlp-proto; do
	[ -e "$TOP/tests/node_modules/@opentelemetry/$m" ] ||
		skip_all "@opentelemetry/$m is not installed (npm ci in tests/)"
done
export OTEL_METRICS_EXPORTER=none

start_otlp || skip_all "OTLP receiver did not start"

FLOG=$TMP/fixture.log
: >"$FLOG"
node "$TOP/tests/fixtures/traced.mjs" --port-file "$TMP/traced.port" --otlp "$OTLP" --log "$FLOG" \
    2>"$TMP/traced.err" &
bg_pid $!
wait_file "$TMP/traced.port" || skip_all "traced fixture did not start: $(cat "$TMP/traced.err")"
URL=http://127.0.0.1:$(cat "$TMP/traced.port")/mcp
wait_http "${URL%/mcp}/health" || skip_all "traced fixture does not answer"

# The fixture's spans the receiver has had (each exported as it ends).
server_spans() {
	jq -c '.spans[]? | select(.resource["service.name"] == "traced-fixture")' "$OTLP_LOG"
}
# have N: the receiver has N spans of the fixture, at least.
have() { [ "$(server_spans | wc -l)" -ge "$1" ]; }

# probe NAME ARGS...: one probe, its records to NAME.jsonl, what the fixture got to NAME.log.
probe() {
	local name=$1
	shift
	: >"$FLOG"
	mcp-probe -r eu-west-2 -t 10 "$@" >"$TMP/$name.jsonl" 2>"$TMP/$name.err"
	cp "$FLOG" "$TMP/$name.log"
}
probe leg -s leg -e legacy --traceparent -c echo -a '{"message":"hi"}' "$URL"
printf 'file %s traceparent=1 call=echo call_args={"message":"hi"}\n' "$URL" >"$TMP/file.targets"
probe file -f "$TMP/file.targets"
probe plain -s plain -c echo -a '{"message":"hi"}' "$URL"
is "$(cat "$TMP"/{leg,file,plain}.jsonl | jq -r 'select(.type == "result") | .state' | tr '\n' ' ')" \
    "healthy healthy healthy " "three probes of the traced fixture: --traceparent, traceparent=1, neither"
pid() { jq -r 'select(.type == "result") | .probe_id' "$TMP/$1.jsonl"; }
LEG=$(pid leg) FILE=$(pid file) PLAIN=$(pid plain)

# 3 spans for the legacy probe, 4 for each auto one (server/discover, then initialize).
wait_for 200 have 11
is "$(server_spans | wc -l)" 11 "the fixture exported a SERVER span a request: 3 + 4 + 4"
cat "$TMP"/{leg,file,plain}.jsonl | OTEL_EXPORTER_OTLP_ENDPOINT=$OTLP mcp-otlp >/dev/null 2>"$TMP/mcp-otlp.err"
is "$?:$(cat "$TMP/mcp-otlp.err")" "0:" "mcp-otlp sent the probes' traces to the same receiver"
jq -c '.spans[]? | select(.resource["service.name"] != "traced-fixture")' "$OTLP_LOG" >"$TMP/probe-spans"
jq -c '.spans[]? | select(.resource["service.name"] == "traced-fixture")' "$OTLP_LOG" >"$TMP/server-spans"

# joined ID: each server span of trace ID as "name <- the step and name of its parent among the probe's spans".
joined() {
	jq -rn --arg id "$1" --slurpfile p "$TMP/probe-spans" --slurpfile s "$TMP/server-spans" '
	    ($p | map(select(.traceId == $id)) | map({key: .spanId, value: "\(.attrs["mcp_uptime.step"]) \(.name)"}) | from_entries) as $by
	    | $s[] | select(.traceId == $id) | "\(.name) <- \($by[.parentSpanId] // "none")"' | sort | tr '\n' '|'
}
is "$(joined "$LEG")" \
    "initialize <- initialize initialize|tools/call echo <- call tools/call echo|tools/list <- tools_list tools/list|" \
    "--traceparent: the server's spans in the probe's trace (the probe_id), each a child of its step's span"
is "$(joined "$FILE")" \
    "initialize <- initialize initialize|server/discover <- initialize initialize|tools/call echo <- call tools/call echo|tools/list <- tools_list tools/list|" \
    "traceparent=1: the same; server/discover and initialize both under the initialize step"
is "$(jq -r --arg id "$PLAIN" 'select(.traceId == $id)' "$TMP/server-spans" | wc -l)" 0 \
    "without the option: none of the server's spans in the probe's trace"
is "$(jq -r 'select(.parentSpanId == "") | .name' "$TMP/server-spans" | sort | tr '\n' '|')" \
    "initialize|server/discover|tools/call echo|tools/list|" \
    "its four server spans are roots of traces of their own, the only roots the server has"
# What was sent, as the fixture logged it.
want() { printf '00-%s-%s-01' "$1" "$(printf '%s' "$1/$2" | sha256sum | cut -c1-16)"; }
is "$(jq -r '"\(.method) \(.meta == .header) \(.meta)"' "$TMP/leg.log" | tr '\n' '|')" \
    "initialize true $(want "$LEG" initialize)|notifications/initialized true $(want "$LEG" initialize)|tools/list true $(want "$LEG" tools_list)|tools/call true $(want "$LEG" call)|" \
    "each request: traceparent 00-probe_id-SHA-256(probe_id/step)[0..8]-01, in params._meta and the header alike"
is "$(jq -r '"\(.method) \(.header) \(.meta) \(.body.params._meta // {} | has("traceparent"))"' "$TMP/plain.log" | tr '\n' '|')" \
    "server/discover null null false|initialize null null false|notifications/initialized null null false|tools/list null null false|tools/call null null false|" \
    "without the option: no traceparent header, no _meta.traceparent"
# The requests with traceparent=1, once it is taken out, are the plain probe's.
strip='del(.params._meta.traceparent) | if .params._meta == {} then del(.params._meta) else . end
    | if .params == {} then del(.params) else . end'
is "$(jq -c ".body | $strip" "$TMP/file.log")" "$(jq -c '.body' "$TMP/plain.log")" \
    "with the option, the bodies differ from today's by the traceparent alone"
is "$(grep -c traceparent "$TMP/plain.log")" 0 "and today's carry none, anywhere"

mcp-probe -r eu -n -f - <<<"bad $URL traceparent=yes" 2>"$TMP/bad.err"
is "$?:$(cat "$TMP/bad.err")" "2:mcp-probe: stdin:1: traceparent must be 0 or 1" "traceparent= is 0 or 1"
mcp-probe -r eu -n -f - <<<"zero $URL traceparent=0" 2>/dev/null
is "$?" 0 "traceparent=0 is the default said aloud"

done_testing
