#!/usr/bin/env bash
# era.t - every era and transport: modern 2026-07-28, legacy Streamable HTTP, legacy HTTP+SSE
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

start_fixture || skip_all "fixture server did not start"
start_modern || skip_all "modern fixture did not start"
start_everything sse || skip_all "server-everything (sse) did not start"
EV_SSE=$EVERYTHING
start_everything streamableHttp || skip_all "server-everything did not start"
EV_HTTP=$EVERYTHING

# ecase NAME URL EXIT "STATE ERA TRANSPORT FAILED_STEP CODE" [ARGS...]
ecase() {
	local name=$1 url=$2 want="$3 $4" rc
	shift 4
	mcp-probe -r test -s "$name" "$@" "$url" >"$TMP/$name.out" 2>"$TMP/$name.err"
	rc=$?
	is "$rc $(tail -n 1 "$TMP/$name.out" | jq -r '[.state, (.era // "-"), (.transport // "-"),
	    (.failed_step // "-"), (.error.code // "-")] | join(" ")')" "$want" \
	    "$name: exit, state, era, transport, failed step, code"
}
field() { jq -sr "$2" "$TMP/$1.out"; }
hash() { field "$1" '.[8].tool_hash'; }

# --- the official reference server on both of its transports ------------------
ecase ev-sse "$EV_SSE/sse" 0 "healthy legacy sse - -"
ecase ev-http "$EV_HTTP/mcp" 0 "healthy legacy streamable-http - -"
is "$(hash ev-sse)" "$(hash ev-http)" "server-everything: the same tool hash over HTTP+SSE and Streamable HTTP"
want=$(cd "$TOP/tests" && node tools/toolhash.mjs "$EV_SSE/sse" sse)
is "$(field ev-sse '.[8] | "\(.tool_count) \(.tool_hash)"')" "$want" "HTTP+SSE: hash equals the SDK client's list"
is "$(field ev-sse '[.[3].detail.attempts[].request] | join(",")')" "server/discover,initialize,GET event-stream" \
    "HTTP+SSE found after modern and legacy POSTs were refused"
is "$(field ev-http '[.[3].detail.attempts[] | "\(.request)=\(.status)"] | join(",")')" \
    "server/discover=400,initialize=200" "Streamable HTTP found after the modern attempt"
ecase ev-forced-sse "$EV_SSE/sse" 0 "healthy legacy sse - -" -e sse
is "$(field ev-forced-sse '.[3].detail.attempts // [] | length')" 0 "-e sse: straight to the stream"

# --- modern fixture (SDK v2) ------------------------------------------------
ecase dual "$MODERN/dual/mcp" 0 "healthy modern streamable-http - -"
is "$(field dual '[.[5].detail.protocol_version, .[7].status, .[7].detail.reason] | join(" ")')" \
    "2026-07-28 skip not_configured" "modern: server/discover as initialize, no call configured: skip"
ecase dual-legacy "$MODERN/dual/mcp" 0 "healthy legacy streamable-http - -" -e legacy
is "$(hash dual)" "$(hash dual-legacy)" "dual-era server: the same tool hash in both eras"
ecase dual-json "$MODERN/dual-json/mcp" 0 "healthy modern streamable-http - -"
ecase dual-sse "$MODERN/dual-sse/mcp" 0 "healthy modern streamable-http - -"
is "$(hash dual-json) $(hash dual-sse)" "$(hash dual) $(hash dual)" "modern: the same hash over JSON and SSE replies"
ecase modern-only "$MODERN/modern-only/mcp" 0 "healthy modern streamable-http - -"
ecase modern-only-legacy "$MODERN/modern-only/mcp" 1 "broken modern streamable-http initialize version_unsupported" -e legacy
is "$(field modern-only-legacy '.[5].detail.supported_versions | join(",")')" "2026-07-28" \
    "modern-only: the supported versions are reported"
ecase modern-call "$MODERN/dual/mcp" 0 "healthy modern streamable-http - -" -c echo -a '{"text":"hi"}'
is "$(field modern-call '.[7].detail.tool')" echo "modern: tools/call with Mcp-Name"
ecase modern-pages "$MODERN/paginate/mcp" 0 "healthy modern streamable-http - -"
is "$(field modern-pages '.[6].detail.pages')" 2 "modern: pagination followed"
ecase modern-ttl "$MODERN/ttl/mcp" 0 "healthy modern streamable-http - -"
is "$(field modern-ttl '.[6].detail | "\(.ttl_ms) \(.cache_scope)"')" "60000 public" "modern: ttlMs and cacheScope reported"
ecase modern-as-sse "$MODERN/dual/mcp" 1 "broken - - http http_4xx" -e sse
ecase legacy-as-modern "$FIX/open/mcp" 1 "broken - - http http_4xx" -e modern

# --- version negotiation (-32022) and servers without tools ----------------------
ecase retry "$MODERN/retry-32022/mcp" 0 "healthy modern streamable-http - -"
is "$(field retry '[.[3].detail.attempts[] | "\(.request)=\(.status)/\(.rpc_error // "-")"] | join(",")')" \
    "server/discover=400/-32022,server/discover=200/-" "-32022 naming 2026-07-28: asked once more, then modern"
ecase listed "$MODERN/legacy-listed/mcp" 0 "healthy legacy streamable-http - -"
is "$(field listed '.[5].detail.protocol_version')" 2025-11-25 \
    "-32022 naming only legacy versions: the legacy handshake, with the newest of them"
ecase listed-modern "$MODERN/legacy-listed/mcp" 1 "broken legacy streamable-http initialize version_unsupported" -e modern
like "$(field listed-modern '.[8].error.message')" '^the probe offered 2026-07-28 .*; the server supports 2025-06-18, 2025-11-25$' \
    "-e modern: version_unsupported names what each side offered"
ecase old-legacy "$MODERN/old-legacy/mcp" 0 "healthy legacy streamable-http - -"
is "$(field old-legacy '([.[3].detail.attempts[].request] | join(",")) + " " + .[5].detail.protocol_version')" \
    "server/discover,initialize,initialize 2025-03-26" "-32022 to initialize naming an older legacy version: initialize again with it"
ecase no-init "$MODERN/no-init/mcp" 1 "broken legacy streamable-http initialize jsonrpc_error"
like "$(field no-init '.[8].error.message')" '-32601' "-32601 to initialize after -32601 to server/discover stays a failure"
ecase mismatch "$MODERN/version-mismatch/mcp" 1 "broken modern streamable-http initialize version_unsupported"
is "$(field mismatch '[.[5].detail.offered, (.[5].detail.supported_versions | join(","))] | join(" ")')" \
    "2026-07-28 2027-01-01" "a server of a later revision only: version_unsupported, both sides in the detail"
for e in auto legacy; do
	ecase "no-tools-$e" "$MODERN/no-tools/mcp" 0 "healthy $([ $e = auto ] && echo modern || echo legacy) streamable-http - -" -e "$e"
	is "$(field "no-tools-$e" '[.[6].status, .[6].detail.reason, .[7].status, .[7].detail.reason, .[8].tool_count, .[8].tool_hash] | map(tostring) | join(" ")')" \
	    "skip no_tools skip no_tools null null" "$e: capabilities without tools: tools_list and call skipped, no tool count or hash"
done
ecase no-tools-call "$MODERN/no-tools/mcp" 1 "broken modern streamable-http call http_404" -c echo
# a configured call is still made: the server's own answer (404 -32601) decides it
# (probe.t: a server that declares tools and lists none stays tools_empty)

# --- legacy fixture: detection, and HTTP+SSE edge cases ----------------------------
ecase v1-stateless "$FIX/stateless/mcp" 0 "healthy legacy streamable-http - -"
ecase v1-sse "$FIX/sse/sse" 0 "healthy legacy sse - -" -c echo -a '{"message":"hi"}'
is "$(field v1-sse '.[7].status')" pass "HTTP+SSE: tools/call answered on the stream"
ecase sse-mute "$FIX/sse-mute/sse" 1 "broken legacy sse initialize timeout" -t 60 -w 3
ok "$(awk -v ms="$(field sse-mute '.[5].ms')" 'BEGIN { exit !(ms >= 2900 && ms < 30000) }'; echo $?)" \
    "HTTP+SSE: an answer that never comes on the stream is a timeout at its wait ($(field sse-mute '.[5].ms') ms)"
ecase sse-foreign "$FIX/sse-foreign/sse" 1 "broken - - http not_mcp"
like "$(field sse-foreign '.[8].error.message')" 'another origin' "HTTP+SSE: an endpoint on another origin is refused"
# The stream's own wait (-w) ends it, counted from the GET, not the target's
# deadline: under load the two POSTs before it may take much of a short -t,
# and a stream whose headers never came is a timeout, not a stream without
# an endpoint.
ecase sse-noendpoint "$FIX/sse-noendpoint/sse" 1 "broken - - http not_mcp" -t 60 -w 3
ecase asks "$FIX/asks/mcp" 0 "healthy legacy streamable-http - -" -t 5
ok "$(awk -v ms="$(field asks '.[8].ms')" 'BEGIN { exit !(ms < 2000) }'; echo $?)" \
    "a server that waits for the client's answer to its ping gets it ($(field asks '.[8].ms') ms)"
ecase sse-asks "$FIX/sse-asks/sse" 0 "healthy legacy sse - -" -t 5
ecase walled-modern "$FIX/auth/mcp" 0 "auth-walled - - - -"
is "$(field walled-modern '.[3].detail.attempts // [] | length')" 0 "a 401 is a posture, never a fallback"

# --- no secret in anything printed ---------------------------------------------
leaks=0
for s in $(awk '$1 == "session" { print $2 }' "$FIXTURE_LOG" | sort -u); do
	grep -lF -- "$s" "$TMP"/*.out "$TMP"/*.err >/dev/null 2>&1 && leaks=$((leaks + 1))
done
is "$leaks" 0 "no HTTP+SSE session id (it rides in the endpoint URL) in any output"

done_testing
