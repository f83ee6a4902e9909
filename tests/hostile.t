#!/usr/bin/env bash
# hostile.t - mcp-probe against a server that attacks it (tests/fixtures/hostile.mjs)
# Each case is a finding of issue 11: a target that must fail alone and
# truthfully, never end the run, rewrite its records, leak a secret, reach
# another origin or take the memory of the run.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

node "$TOP/tests/fixtures/hostile.mjs" --port-file "$TMP/h.port" --port2-file "$TMP/h2.port" \
    --log "$TMP/other.log" 2>"$TMP/hostile.err" &
bg_pid $!
wait_file "$TMP/h.port" || skip_all "hostile fixture did not start: $(cat "$TMP/hostile.err")"
H=http://127.0.0.1:$(cat "$TMP/h.port")
wait_http "$H/health"
TOKEN=Zq7Kx9Wm3pLr8Tn2Vb5Hc4
printf '%s\n' "$TOKEN" >"$TMP/token"
chmod 600 "$TMP/token"

# result SLUG JQ: from the fleet run's result record of SLUG.
result() { jq -r --arg s "$1" "select(.type == \"result\" and .slug == \$s) | $2" "$TMP/fleet.out"; }

# --- 1. one target never ends the run --------------------------------------
# Values no record may hold (1e999 is infinity to cJSON, 1e308 and 1e300
# are finite but no version, ttl or code), each before a healthy target.
cat >"$TMP/targets" <<EOT
inf-versions $H/inf-versions/mcp
huge-versions $H/huge-versions/mcp
inf-ttl $H/inf-ttl/mcp
huge-ttl $H/huge-ttl/mcp
inf-32022 $H/inf-32022/mcp
huge-32022 $H/huge-32022/mcp
rpc-huge $H/rpc-huge/1e300/mcp
rpc-frac $H/rpc-huge/-32000.5/mcp
nul-desc $H/nul-desc/mcp
bad-escape $H/bad-escape/mcp
deep $H/deep/1001/mcp
s-broken $H/session/broken/mcp
s-type $H/session/type/mcp
s-state $H/session/state/mcp
s-step $H/session/step/mcp
s-fail $H/session/fail/mcp
s-v $H/session/v/mcp
many-tools $H/many-tools/3000/mcp
fat-pages $H/fat-pages/1000000/mcp
big-header $H/big-header/200000/mcp
many-headers $H/many-headers/100000/mcp
continue $H/continue/100000/mcp
zz-healthy $H/plain/mcp
EOT
mcp-probe -r t -j 1 -f "$TMP/targets" >"$TMP/fleet.out" 2>"$TMP/fleet.err"
is "$?" 1 "fleet: exit 1 (targets broken), not 2 (the run failed)"
is "$(cat "$TMP/fleet.err")" "" "fleet: nothing on stderr"
is "$(jq -r 'select(.type == "result") | .slug' "$TMP/fleet.out" | sort | tr '\n' ' ')" \
    "$(awk '{ print $1 }' "$TMP/targets" | sort | tr '\n' ' ')" "fleet: a result for every target"
is "$(jq -r .probe_id "$TMP/fleet.out" | uniq -c | awk '$1 != 9' | wc -l)" 0 \
    "fleet: nine records for each target, together"
is "$(result zz-healthy .state)" healthy "fleet: the target after them all is probed, healthy"
# Every record is one JSON object of the contract's shape: no server text
# changed a member's name or a state.
is "$(jq -c 'select((.type == "step" or .type == "result") and (.v == 1) and (.slug | type) == "string"
    and (if .type == "step" then (.status | IN("pass", "fail", "skip"))
         else (.state | IN("healthy", "auth-walled", "degraded", "broken")) end) | not)' "$TMP/fleet.out")" "" \
    "fleet: every record has its members, with values of the vocabulary"

is "$(result huge-versions .state)" healthy "1e308 and an object among the versions: still a modern server"
is "$(jq -c 'select(.slug == "huge-versions" and .step == "initialize") | .detail.supported_versions' "$TMP/fleet.out")" \
    '["2026-07-28"]' "only version strings are copied into the record"
is "$(result inf-ttl '.error.code + " " + .error.message')" \
    "tools_malformed tools/list answer is not JSON-RPC (a number outside the range of a double)" \
    "ttlMs 1e999: the list is malformed, and the reason says which number"
is "$(jq -c 'select(.slug == "huge-ttl" and .step == "tools_list") | [.status, .detail.ttl_ms]' "$TMP/fleet.out")" \
    '["pass",null]' "ttlMs 1e300: not copied (not an integer count of ms up to a day)"
is "$(jq -c 'select(.slug == "huge-32022" and .step == "initialize") | [.error.code, .detail.supported_versions]' "$TMP/fleet.out")" \
    '["version_unsupported",["2027-01-01"]]' "-32022 with 1e308 in supported: only the version string is kept"
is "$(result inf-32022 .state)" broken "-32022 with 1e999: broken, written"
is "$(result rpc-huge .error.message)" "JSON-RPC error without an integer code: huge" \
    "error code 1e300: no cast to int (UBSan float-cast-overflow in the san build)"
is "$(result rpc-frac .error.message)" "JSON-RPC error without an integer code: huge" \
    "error code -32000.5: not an integer code"

# --- 2. a server cannot rewrite its own records ------------------------------
for s in broken type state step fail v; do
	is "$(result "s-$s" '[.state, .failed_step, .error.code] | join(" ")')" \
	    "broken tools_list session_lost" "session id '$s': the record keeps its members and values"
done

# --- 3. the tool hash sees every byte: U+0000 is refused --------------------
is "$(result nul-desc '.error.code + " " + .error.message')" \
    "tools_malformed tools/list answer is not JSON-RPC (a string holds U+0000)" \
    "a tool description with \\u0000: tools_malformed, not a hash of its first part"
like "$(result deep .error.message)" 'nested deeper than 1000 levels' "1001 levels of JSON: says too deep"
is "$(result bad-escape '.error.code + " " + .error.message')" \
    "tools_malformed tools/list answer is not JSON-RPC (malformed JSON)" \
    "a \\uZZZZ escape (which cJSON reads as U+0000): malformed, not a hash of the first part"

# --- 8. the whole tool list is bounded -----------------------------------------
is "$(result many-tools '.error.code + " " + .error.message')" \
    "tools_too_large the tool list passed 10000 tools at page 4" "pages of 3000 tools: stopped past 10000"
is "$(result fat-pages '.error.code + " " + .error.message')" \
    "tools_too_large the tool list passed the -m size at page 5" "1 MB pages: stopped past -m (4 MiB) in all"

# --- 14. headers -------------------------------------------------------------------
for s in big-header many-headers continue; do
	is "$(result "$s" '.error.code + " " + .error.message')" \
	    "headers_too_large response headers passed 65536 bytes (1xx answers included)" \
	    "$s: headers_too_large, not out of memory or a closed connection"
done

# --- 9. a token echoed at every cut length leaves nothing behind ----------------
# The message is cut to 256 bytes (160 once): the token moves across the cut.
: >"$TMP/echo-targets"
for l in $(seq 120 250); do
	echo "msg-$l $H/echo-msg/$l/mcp token_file=$TMP/token" >>"$TMP/echo-targets"
	echo "ctype-$l $H/echo-ctype/$l/mcp token_file=$TMP/token" >>"$TMP/echo-targets"
done
mcp-probe -r t -j 8 -f "$TMP/echo-targets" >"$TMP/echo.out" 2>"$TMP/echo.err"
is "$(jq -r 'select(.type == "result") | .error.code' "$TMP/echo.out" | sort | uniq -c | awk '{ print $2 "=" $1 }' | tr '\n' ' ')" \
    "jsonrpc_error=131 not_mcp=131 " "echo: the server's text reached the records at every length"
# What each message must be: the whole text with the token starred, then cut.
is "$(jq -r --argjson n ${#TOKEN} 'select(.type == "result")
    | (.slug | split("-")) as [$kind, $l] | ("x" * ($l | tonumber)) as $pad
    | (if $kind == "msg" then "JSON-RPC error -32000: \($pad)\("*" * $n) tail"
       else "HTTP 200 text/x-\($pad)\("*" * $n) is not a JSON-RPC answer (malformed JSON)" end)[0:256] as $want
    | select(.error.message != $want) | .slug' "$TMP/echo.out")" "" \
    "echo: each message is the server's text with the token starred, then cut to 256 bytes"
leak=0
for i in $(seq 0 $((${#TOKEN} - 4))); do
	grep -qF -- "${TOKEN:i:4}" "$TMP/echo.out" "$TMP/echo.err" && leak=$((leak + 1))
done
is "$leak" 0 "echo: no 4 characters of the token in any record, at any cut"
# The token in a tool's text that a condition shows (cut to 80 characters
# in its message): starred before that cut too.
: >"$TMP/call-targets"
for l in $(seq 40 80); do
	echo "call-$l $H/echo-call/$l/mcp token_file=$TMP/token call=echo expect=[CALL].text==nope" >>"$TMP/call-targets"
done
mcp-probe -r t -j 8 -f "$TMP/call-targets" >"$TMP/call.out" 2>"$TMP/call.err"
is "$(jq -r 'select(.type == "result") | .error.code' "$TMP/call.out" | sort | uniq -c | awk '{ print $2 "=" $1 }')" \
    "expect_failed=41" "echo-call: the condition failed at every length, its message showing the text"
leak=0
for i in $(seq 0 $((${#TOKEN} - 4))); do
	grep -qF -- "${TOKEN:i:4}" "$TMP/call.out" "$TMP/call.err" && leak=$((leak + 1))
done
is "$leak" 0 "echo-call: no 4 characters of the token in a condition's message, at any cut"

# The URL's password is sent as Basic auth: echoed, raw or decoded, it is scrubbed.
mcp-probe -r t "http://probe-user:pw-SECRET-55@127.0.0.1:${H##*:}/echo-auth/mcp" >"$TMP/pw.out" 2>&1
like "$(jq -r 'select(.type == "result") | .error.message' "$TMP/pw.out")" ': Basic \*+=* probe-user:\*+ rejected$' \
    "echo-auth: the Basic credential and the password are starred in the server's message"
unlike "$(cat "$TMP/pw.out")" "pw-SECRET-55|$(printf 'probe-user:pw-SECRET-55' | base64)" "echo-auth: neither is printed"

# --- 12. no discovery document from another origin ----------------------------
mcp-probe -r t "$H/xorigin/a/mcp" >"$TMP/x1.out" 2>&1
mcp-probe -r t -T "$TMP/token" "$H/xorigin/b/mcp" >"$TMP/x2.out" 2>&1
mcp-probe -r t -H "X-API-Key: $TOKEN" "$H/xorigin/c/mcp" >>"$TMP/x2.out" 2>&1
is "$(jq -r 'select(.type == "result") | .error.code' "$TMP/x1.out")" auth_challenge_invalid \
    "resource_metadata at another origin: not a usable challenge"
like "$(jq -r 'select(.type == "result") | .error.message' "$TMP/x1.out")" \
    'oauth-protected-resource/a: at another origin than the server.s: not fetched' "and says it was not fetched"
is "$(cat "$TMP/other.log" 2>/dev/null)" "" "the other origin got no request (no port-scan oracle, no token sent)"
unlike "$(cat "$TMP/x1.out" "$TMP/x2.out")" "$TOKEN" "no token in the output"

# --- 13. stdout that fails ---------------------------------------------------------
mcp-probe -V >/dev/full 2>"$TMP/v.err"
is "$?:$(cat "$TMP/v.err")" "1:mcp-probe: write stdout: No space left on device" "-V >/dev/full: exit 1, says so"
mcp-probe -h >/dev/full 2>"$TMP/h.err"
is "$?:$(cat "$TMP/h.err")" "1:mcp-probe: write stdout: No space left on device" "-h >/dev/full: exit 1, says so"
mcp-probe -r t -j 4 -f "$TMP/targets" >/dev/full 2>"$TMP/full.err"
is "$?:$(cat "$TMP/full.err")" "1:mcp-probe: write stdout: No space left on device" \
    "fleet >/dev/full: one message, no 'Success' after it"
mcp-probe -r t -j 4 -f "$TMP/targets" 2>"$TMP/pipe.err" | true
is "$(cat "$TMP/pipe.err")" "" "fleet | true: quiet (no Broken pipe)"

# --- a key in the URL's query: printed as REDACTED, scrubbed from server text ---------
mcp-probe -r t --redact-param Session "$H/echo-url/mcp?api_key=Qk4Vz8Wm2Lp&X-Amz-Signature=Rt5Yh7Ju3Ko%2Fx&session=Sn6Dx2Fq9&page=2" \
    >"$TMP/url.out" 2>"$TMP/url.err"
is "$(jq -r .url "$TMP/url.out" | sort -u)" \
    "$H/echo-url/mcp?api_key=REDACTED&X-Amz-Signature=REDACTED&session=REDACTED&page=2" \
    "query values named key, sig and by --redact-param are printed as REDACTED; others stay"
like "$(jq -r 'select(.type == "result") | .error.message' "$TMP/url.out")" 'no tools for /echo-url/mcp\?api_key=\*+&X-Amz-Signature=\*+&session=\*+&page=2 ' \
    "the server's echo of the query is scrubbed"
is "$(grep -c -e Qk4Vz8Wm2Lp -e Rt5Yh7Ju3Ko -e Sn6Dx2Fq9 "$TMP/url.out" "$TMP/url.err" | awk -F: '{ n += $2 } END { print n }')" 0 \
    "no query secret, raw or decoded, in any record or message"
mcp-probe -r t --redact-param 'a=b' "$H/plain/mcp" >"$TMP/url2.out" 2>"$TMP/url2.err"
is "$?:$(wc -c <"$TMP/url2.out")" "2:0" "--redact-param with a = is a usage error"

done_testing
