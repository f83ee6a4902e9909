#!/usr/bin/env bash
# probe.t - mcp-probe against real MCP servers: server-everything and the SDK fixture
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

start_fixture || skip_all "fixture server did not start"
start_everything streamableHttp || skip_all "server-everything did not start"
printf '%s\n' "$FIXTURE_TOKEN" >"$TMP/token"
chmod 600 "$TMP/token"
printf 'not-the-token\n' >"$TMP/wrong"
chmod 600 "$TMP/wrong"

# The shape every target's output must have (CONTRACT §2): eight steps in
# order, then the result; one probe id; a skip after the first failure.
SHAPE='length == 9
  and ([.[0:8][] | .type] | all(. == "step")) and .[8].type == "result"
  and ([.[0:8][] | .seq] == [1,2,3,4,5,6,7,8])
  and ([.[0:8][] | .step] == ["dns","connect","tls","http","auth","initialize","tools_list","call"])
  and ([.[] | .probe_id] | unique | length == 1)
  and all(.[]; .v == 1 and .region == "test" and (.probe_started_at | type) == "number")
  and ([.[0:8][] | .status] | (to_entries | map(select(.value == "fail")) | .[0].key) as $i
       | if $i == null then all(. != "fail") else (.[$i + 1:] | all(. == "skip")) end)
  and all(.[0:8][]; if .status == "fail" then (.error.code | type) == "string"
       else .error == null end)'

# pcase NAME URL EXIT STATE FAILED_STEP CODE [PROBE ARGS...]
pcase() {
	local name=$1 url=$2 want="$3 $4 $5 $6" rc got
	shift 6
	mcp-probe -r test -s "$name" "$@" "$url" >"$TMP/$name.out" 2>"$TMP/$name.err"
	rc=$?
	got="$rc $(tail -n 1 "$TMP/$name.out" |
	    jq -r '[.state, (.failed_step // "-"), (.error.code // "-")] | join(" ")')"
	is "$got" "$want" "$name: exit, state, failed step, error code"
	jq -se "$SHAPE" "$TMP/$name.out" >/dev/null
	ok $? "$name: eight steps and a result, in order, skips after the failure"
}

# field NAME JQ: a value from the named case's output (slurped).
field() { jq -sr "$2" "$TMP/$1.out"; }

# --- healthy servers --------------------------------------------------------
pcase everything "$EVERYTHING/mcp" 0 healthy - -
is "$(field everything '.[8] | [.posture, .transport, .era, .protocol_version, .http_status, .tool_count] | join(" ")')" \
    "open streamable-http legacy 2025-11-25 200 13" "everything: posture, transport, era, version, status, 13 tools"
want=$(cd "$TOP/tests" && node tools/toolhash.mjs "$EVERYTHING/mcp")
is "$(field everything '.[8] | "\(.tool_count) \(.tool_hash)"')" "$want" \
    "everything: tool_hash equals the SDK client's list, canonicalized independently"
is "$(field everything '.[7].detail.method')" "ping" "everything: call step pings when no tool is configured"
pcase everything-echo "$EVERYTHING/mcp" 0 healthy - - -c echo -a '{"message":"hi"}'
is "$(field everything-echo '.[7].detail.tool')" "echo" "everything: -c echo calls the tool"

pcase open "$FIX/open/mcp" 0 healthy - -
is "$(field open '.[5].detail.session')" "true" "open: a session was issued (and is not printed)"
pcase primed "$FIX/primed/mcp" 0 healthy - -
pcase chatty "$FIX/chatty/mcp" 0 healthy - -
is "$(field chatty '.[6].detail.tool_count')" 3 "chatty: notification and server request before the answer are skipped"
pcase stateless "$FIX/stateless/mcp" 0 healthy - -
is "$(field stateless '.[5].detail.session')" "false" "stateless: no session"
pcase json "$FIX/json/mcp" 0 healthy - -
like "$(field json '.[3].detail.content_type')" '^application/json' "json: answers read as application/json"
pcase paginate "$FIX/paginate/mcp" 0 healthy - -
is "$(field paginate '.[6].detail | "\(.pages) \(.tool_count)"')" "3 5" "paginate: three pages, five tools"
want=$(cd "$TOP/tests" && node tools/toolhash.mjs "$FIX/paginate/mcp")
is "$(field paginate '.[8] | "\(.tool_count) \(.tool_hash)"')" "$want" "paginate: hash over every page"
is "$(field open '.[8].tool_hash')" "$(field json '.[8].tool_hash')" "same tools, same hash over SSE and JSON replies"

# --- auth postures ----------------------------------------------------------
pcase auth-walled "$FIX/auth/mcp" 0 auth-walled - -
is "$(field auth-walled '[.[4].detail.posture, .[5].detail.reason, .[8].posture] | join(" ")')" \
    "auth-walled auth_walled auth-walled" "auth-walled: auth passes, later steps skip as auth_walled"
like "$(field auth-walled '.[4].detail.resource_metadata')" '/\.well-known/oauth-protected-resource/auth/mcp$' \
    "auth-walled: metadata found through the challenge"
pcase auth-wellknown "$FIX/auth-wellknown/mcp" 0 auth-walled - -
pcase auth-token "$FIX/auth/mcp" 0 healthy - - -T "$TMP/token"
is "$(field auth-token '.[8].posture')" "credentialed" "token accepted: credentialed"
pcase auth-wrong "$FIX/auth/mcp" 1 broken auth auth_rejected -T "$TMP/wrong"
pcase auth-nochallenge "$FIX/auth-nochallenge/mcp" 1 broken auth auth_challenge_invalid
pcase auth-badmeta "$FIX/auth-badmeta/mcp" 1 broken auth auth_challenge_invalid
pcase auth-emptyas "$FIX/auth-emptyas/mcp" 1 broken auth auth_challenge_invalid
pcase auth-otherres "$FIX/auth-otherres/mcp" 1 broken auth auth_challenge_invalid
like "$(field auth-otherres '.[4].error.message')" '^the metadata names another resource \(http://[^ ]*/auth/mcp, not http://[^ ]*/auth-otherres/mcp\)$' \
    "metadata for another resource (RFC 9728 3.3): broken at auth, never up"
pcase scope "$FIX/scope/mcp" 1 broken auth auth_insufficient_scope -T "$TMP/token"

# --- sessions and HTTP failures ---------------------------------------------
pcase session-lost "$FIX/session-lost/mcp" 1 broken initialize session_lost
pcase session-lost-400 "$FIX/session-lost-400/mcp" 1 broken initialize session_lost
pcase status500 "$FIX/status500/mcp" 1 broken http http_5xx
pcase status503 "$FIX/status503/mcp" 1 broken http http_5xx
pcase status429 "$FIX/status429/mcp" 1 broken http http_429
pcase status404 "$FIX/status404/mcp" 1 broken http http_404
pcase redirect "$FIX/redirect/mcp" 1 broken http http_redirect
like "$(field redirect '.[3].detail.location')" '/open/mcp$' "redirect: not followed, location reported"
pcase notmcp "$FIX/notmcp/mcp" 1 broken http not_mcp

# --- broken tool lists and calls ----------------------------------------------
pcase empty "$FIX/empty/mcp" 1 broken tools_list tools_empty
pcase noschema "$FIX/noschema/mcp" 1 broken tools_list tools_malformed
pcase badjson "$FIX/badjson/mcp" 1 broken tools_list tools_malformed
pcase badutf8 "$FIX/badutf8/mcp" 1 broken tools_list tools_malformed
pcase big "$FIX/big/mcp" 1 broken tools_list body_too_large
pcase iserror "$FIX/iserror/mcp" 1 broken call call_failed -c fail
pcase unknown-tool "$FIX/open/mcp" 1 broken call call_failed -c no-such-tool

# --- silence and slowness: classified within the deadline --------------------
pcase hang "$FIX/hang/mcp" 1 broken http timeout -t 2
ms=$(field hang '.[8].ms')
ok "$(awk -v ms="$ms" 'BEGIN { exit !(ms <= 2500) }'; echo $?)" "hang: result within the 2 s deadline ($ms ms)"
# A later step's silence is ended by the request's own wait (-w), counted
# from that request: the steps before it, slow on a loaded machine, take
# nothing from it.  A drip of a byte a second does not extend it.
pcase hang-list "$FIX/hang-list/mcp" 1 broken tools_list timeout -t 60 -w 3
pcase drip "$FIX/drip/mcp" 1 broken tools_list timeout -t 60 -w 3
for c in hang-list drip; do
	ms=$(field "$c" '.[6].ms')
	ok "$(awk -v ms="$ms" 'BEGIN { exit !(ms >= 2900 && ms < 30000) }'; echo $?)" \
	    "$c: tools_list ended by its 3 s wait, long before the 60 s deadline ($ms ms)"
done
pcase refused "http://127.0.0.1:$(free_port)/mcp" 1 broken connect connect_refused
pcase nxdomain "http://no-such-host.invalid/mcp" 1 broken dns dns_nxdomain

# --- TLS --------------------------------------------------------------------
pcase tls "$FIX_TLS/open/mcp" 0 healthy - - --cacert "$TMP/certs/ca.pem"
is "$(field tls '.[2].status')" "pass" "tls: handshake verified against the private CA"
like "$(field tls '.[2].detail.days_left')" '^3[0-9][0-9]$' "tls: days until the certificate expires"
pcase tls-untrusted "$FIX_TLS/open/mcp" 1 broken tls tls_cert_invalid
pcase tls-expired "$FIX_EXPIRED/open/mcp" 1 broken tls tls_cert_expired --cacert "$TMP/certs/ca.pem"
pcase tls-self "$FIX_SELF/open/mcp" 1 broken tls tls_cert_invalid --cacert "$TMP/certs/ca.pem"

# --- connect_to: pin a name to an address ----------------------------------
port=${FIX##*:}
pcase pinned "http://localhost:1/open/mcp" 0 healthy - - -C "localhost:1:127.0.0.1:$port"
is "$(field pinned '.[0].detail.pinned')" "127.0.0.1:$port" "connect_to: the dns step names the pinned address"

# --- region header on every request ------------------------------------------
like "$(grep -c '^region test ' "$FIXTURE_LOG" 2>/dev/null || echo 0)" '^[1-9]' \
    "fixture saw X-Probe-Region on requests"

done_testing
