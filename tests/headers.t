#!/usr/bin/env bash
# headers.t - credentials in any header (-H, --header-file, header=, header_file=)
# and the key-walled posture, against the recorder (what was sent, byte for
# byte), the SDK fixture's HTTP+SSE transport and the SDK v2 bearer wall.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

node "$TOP/tests/fixtures/recorder.mjs" --port-file "$TMP/rec.port" --log "$TMP/rec.log" \
    2>"$TMP/rec.err" &
bg_pid $!
wait_file "$TMP/rec.port" || skip_all "recorder did not start: $(cat "$TMP/rec.err")"
REC=http://127.0.0.1:$(cat "$TMP/rec.port")
start_fixture || skip_all "fixture server did not start"
start_modern || skip_all "modern fixture did not start"
KEY=kx81-HeaderSecret-Zp4q
printf '%s\n' "$KEY" >"$TMP/key"
chmod 600 "$TMP/key"
printf 'modern-token-456\n' >"$TMP/mtoken"
chmod 600 "$TMP/mtoken"

# --- usage -----------------------------------------------------------------
bad() {
	local desc=$1
	shift
	mcp-probe -r t "$@" "$REC/mcp" >"$TMP/u.out" 2>"$TMP/u.err"
	is "$? $(wc -c <"$TMP/u.out")" "2 0" "$desc: exit 2, nothing on stdout"
	like "$(cat "$TMP/u.err")" '^mcp-probe: ' "$desc: says why"
	unlike "$(cat "$TMP/u.err")" 'secret-value' "$desc: the value is never quoted"
}
bad "no colon" -H 'X-API-Key secret-value'
bad "a name that is no token" -H 'X API Key: secret-value'
bad "a header the probe sends itself" -H 'Mcp-Session-Id: secret-value'
bad "Content-Type" -H 'content-type: secret-value'
bad "a header given twice" -H 'X-A: secret-value' -H 'x-a: secret-value'
bad "a control character" -H "X-A: secret-value$(printf '\001')"
bad "an empty value" -H 'X-A:'
bad "Authorization with -T" -T "$TMP/key" -H 'Authorization: Bearer secret-value'
chmod 644 "$TMP/key"
bad "a header file readable by others" --header-file "X-API-Key:$TMP/key"
like "$(cat "$TMP/u.err")" 'accessible by group or others' "header file: the reason names the permission"
chmod 600 "$TMP/key"
bad "a missing header file" --header-file "X-API-Key:$TMP/nope"
printf 'a %s/mcp header=X-A:v\n' "$REC" >"$TMP/t1"
mcp-probe -r t -H 'X-B: secret-value' -f "$TMP/t1" >/dev/null 2>"$TMP/u.err"
is "$?" 2 "-H with -f: the headers go in the targets file"

# --- every request carries the headers; the values are never printed ---------
: >"$TMP/rec.log"
mcp-probe -r t -H 'X-Client: mcp-uptime-test' --header-file "X-API-Key:$TMP/key" "$REC/mcp" \
    >"$TMP/rec.out" 2>"$TMP/rec.err2"
is "$?" 0 "recorder with two headers: healthy"
is "$(jq -r 'select(.type == "result") | .posture' "$TMP/rec.out")" credentialed \
    "a header counts as a credential: posture credentialed"
n=$(wc -l <"$TMP/rec.log")
like "$n" '^[4-9]' "the probe made $n requests"
is "$(jq -r . "$TMP/rec.log" | grep -c "^X-API-Key: $KEY"$'\r''$')" "$n" "X-API-Key, read from its file, on every request"
is "$(jq -r . "$TMP/rec.log" | grep -c '^X-Client: mcp-uptime-test'$'\r''$')" "$n" "X-Client on every request"
unlike "$(cat "$TMP/rec.out" "$TMP/rec.err2")" "$KEY" "the key is in no record or message"

# The same from a targets file; a file shared by two targets is read once.
cat >"$TMP/targets" <<EOT
one $REC/mcp header_file=X-API-Key:$TMP/key header=X-Client:fleet
two $REC/mcp header_file=X-API-Key:$TMP/key
EOT
: >"$TMP/rec.log"
mcp-probe -r t -f "$TMP/targets" >"$TMP/fleet.out" 2>&1
is "$?" 0 "targets file with header= and header_file=: healthy"
is "$(jq -r . "$TMP/rec.log" | grep -c "^X-API-Key: $KEY"$'\r''$')" "$(wc -l <"$TMP/rec.log")" \
    "header_file=: on every request of both targets"
like "$(jq -r . "$TMP/rec.log" | grep -c '^X-Client: fleet')" '^[4-9]' "header=: on the requests of its target"
unlike "$(cat "$TMP/fleet.out")" "$KEY" "fleet: the key is in no record"

# HTTP+SSE: the stream's GET and every POST to the endpoint carry them.
: >"$FIXTURE_LOG"
mcp-probe -r t -H "Authorization: Bearer $FIXTURE_TOKEN" "$FIX/sse/sse" >"$TMP/sse.out" 2>&1
is "$(jq -r 'select(.type == "result") | "\(.state) \(.transport)"' "$TMP/sse.out")" "healthy sse" \
    "HTTP+SSE with an Authorization header: healthy"
like "$(grep -c "^token $FIXTURE_TOKEN\$" "$FIXTURE_LOG")" '^[3-9]' \
    "the header reached the stream and the endpoint ($(grep -c '^token ' "$FIXTURE_LOG") requests)"
is "$(grep '^token ' "$FIXTURE_LOG" | grep -vc "^token $FIXTURE_TOKEN\$")" 0 \
    "no request went without it"

# --- key-walled: a standard challenge and no OAuth metadata anywhere ------------
mcp-probe -r t "$MODERN/bearer/mcp" >"$TMP/kw.out"
is "$?:$(jq -r 'select(.type == "result") | "\(.state) \(.posture) \(.failed_step)"' "$TMP/kw.out")" \
    "0:auth-walled key-walled null" "SDK v2 bearer wall without metadata: key-walled, up (exit 0)"
is "$(jq -c 'select(.step == "auth") | [.detail.scheme, (.detail.missing | map(sub("^http://[^/]*"; "")))]' "$TMP/kw.out")" \
    '["Bearer",["/.well-known/oauth-protected-resource/bearer/mcp","/.well-known/oauth-protected-resource","/.well-known/oauth-authorization-server"]]' \
    "key-walled: the detail names the scheme and the discovery documents that were missing"
is "$(jq -r 'select(.step == "initialize") | .detail.reason' "$TMP/kw.out")" auth_walled "key-walled: later steps skipped as auth_walled"
mcp-probe -r t -T "$TMP/mtoken" "$MODERN/bearer/mcp" >"$TMP/kw2.out"
is "$?:$(jq -r 'select(.type == "result") | "\(.state) \(.posture) \(.era) \(.tool_count)"' "$TMP/kw2.out")" \
    "0:healthy credentialed modern 2" "the bearer wall with its token: healthy, the tool list read"
mcp-probe -r t -e legacy -H 'Authorization: Bearer modern-token-456' "$MODERN/bearer/mcp" >"$TMP/kw3.out"
is "$?:$(jq -r 'select(.type == "result") | "\(.state) \(.posture) \(.era) \(.tool_count)"' "$TMP/kw3.out")" \
    "0:healthy credentialed legacy 2" "the same token as a header, legacy era: healthy"
mcp-probe -r t -H 'Authorization: Bearer nope-nope' -H 'X-Trace: 1' "$MODERN/bearer/mcp" >"$TMP/kw4.out"
is "$?:$(jq -r 'select(.type == "result") | "\(.error.code) \(.error.message)"' "$TMP/kw4.out")" \
    "1:auth_rejected HTTP 401: the credential was rejected (Authorization, X-Trace)" \
    "a rejected header: auth_rejected, naming the headers sent, not their values"
unlike "$(cat "$TMP/kw4.out")" 'nope-nope' "the rejected value is not printed"
# OAuth announced and broken stays broken: the fixture's dead resource_metadata.
mcp-probe -r t "$FIX/auth-badmeta/mcp" >"$TMP/bm.out"
is "$(jq -r 'select(.type == "result") | "\(.state) \(.error.code)"' "$TMP/bm.out")" \
    "broken auth_challenge_invalid" "a challenge whose resource_metadata does not answer: broken"
mcp-probe -r t "$FIX/auth-nochallenge/mcp" >"$TMP/nc.out"
is "$(jq -r 'select(.type == "result") | "\(.state) \(.error.code)"' "$TMP/nc.out")" \
    "broken auth_challenge_invalid" "a 401 with no challenge at all: broken"
mcp-probe -r t "$FIX/auth-emptyas/mcp" >"$TMP/ea.out"
is "$(jq -r 'select(.type == "result") | "\(.state) \(.error.code)"' "$TMP/ea.out")" \
    "broken auth_challenge_invalid" "metadata that is JSON but names no authorization server: broken"

done_testing
