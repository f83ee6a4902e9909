#!/usr/bin/env bash
# hostile-oauth.t - the probe's OAuth credentials against hostile servers
# (tests/fixtures/thief.mjs) beside a real authorization server
# (tests/fixtures/oauth-as.mjs): a server naming a thief's authorization
# server, a 2025-03-26 origin claiming the real issuer with a thief's token
# endpoint (RFC 8414 3.3: refused, nothing asked or sent), one claiming to
# be its own issuer (unpinned and pinned), a pinned server whose
# metadata claims another issuer, a tarpit that never answers a token
# request, a token lifetime of 1e308, a token of another target's resource
# planted in the cache.  The thief logs every byte it is sent and replays
# what it captures at the real server: no secret, assertion or token of
# ours may reach it.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

W=$TMP/w
oauth_material "$W" && (umask 077 && printf 'decoy-not-the-secret\n' >"$W/decoy") ||
    skip_all "openssl could not make the keys"
SECRET=$(cat "$W/secret")
node "$TOP/tests/fixtures/oauth-as.mjs" --port-file "$TMP/ports" --secret-file "$W/secret" \
    --client-key "$W/ec.pub" --workload-key "$W/wl.pub" --log "$TMP/as.log" 2>"$TMP/as.err" &
bg_pid $!
wait_file "$TMP/ports" || skip_all "oauth-as.mjs did not start: $(cat "$TMP/as.err")"
read -r A R _ <"$TMP/ports"
AS=http://127.0.0.1:$A
RS=http://127.0.0.1:$R
touch "$TMP/as.log" "$TMP/thief.log"
node "$TOP/tests/fixtures/thief.mjs" --port-file "$TMP/tports" --log "$TMP/thief.log" \
    --real-as "$AS" 2>"$TMP/thief.err" &
bg_pid $!
wait_file "$TMP/tports" || skip_all "thief.mjs did not start: $(cat "$TMP/thief.err")"
read -r TP PP WP HP OP SP <"$TMP/tports"
THIEF=http://127.0.0.1:$TP
TARPIT=http://127.0.0.1:$PP
WRONG=http://127.0.0.1:$WP
H=http://127.0.0.1:$HP

# A workload JWT for the JWT bearer grant, aud the real issuer.
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
h=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
p=$(printf '{"iss":"https://idp.test","sub":"w","aud":"%s","iat":%s,"exp":%s}' "$AS" "$now" $((now + 600)) | b64url)
s=$(printf '%s.%s' "$h" "$p" | openssl dgst -sha256 -sign "$W/wl.key" | b64url)
(umask 077 && printf '%s.%s.%s\n' "$h" "$p" "$s" >"$W/jwt")

probe() {
	local name=$1
	shift
	mcp-probe -r t "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
	rc=$?
}
field() { jq -r "$2" <<<"$(grep "\"${3:-result}\"" "$TMP/$1.out" | head -1)"; }
on() { jq -c --arg k "$1" 'select(.on == $k)' "$TMP/thief.log" | wc -l | tr -d ' '; }
posts() { jq -c --arg k "$1" 'select(.on == $k and .method == "POST" and (.path | test("token")))' "$TMP/thief.log" | wc -l | tr -d ' '; }
grants() { wc -l <"$TMP/as.log" | tr -d ' '; }
SEC=(--oauth-client probe-client --oauth-secret-file "$W/secret")
KEY=(--oauth-client probe-client --oauth-key-file "$W/ec.key")

# --- 1. a server naming a thief's authorization server ------------------------------
probe foreign "${SEC[@]}" --oauth-issuer "$AS" "$H/foreign/mcp"
is "$rc $(field foreign '.state + " " + .failed_step + " " + .error.code')" \
    "1 broken auth oauth_issuer_mismatch" "metadata naming another authorization server: broken, oauth_issuer_mismatch"
like "$(field foreign .error.message)" "$THIEF, not the pinned $AS" "the message names both"
is "$(on T)" 0 "the thief was not even asked for its metadata"
probe foreignk "${KEY[@]}" --oauth-issuer "$AS" "$H/foreign/mcp"
probe foreignj --oauth-assertion-file "$W/jwt" --oauth-issuer "$AS" "$H/foreign/mcp"
is "$(field foreignk .error.code) $(field foreignj .error.code) $(on T)" \
    "oauth_issuer_mismatch oauth_issuer_mismatch 0" "private_key_jwt and the JWT bearer grant: the same, nothing sent"

# --- a server naming the thief and the real one: the pinned one is used ---------------
g=$(grants)
probe both "${SEC[@]}" --oauth-issuer "$AS" "$H/both/mcp"
is "$rc $(field both '.state + " " + .posture') $(field both '.detail | .issuer + " " + .resource' auth)" \
    "0 healthy oauth-client $AS $H/both/mcp" "both named: the pinned one asked, for the server's own resource"
is "$(($(grants) - g)) $(on T)" "1 0" "one grant at the real server, nothing to the thief"

# --- 2. 2025-03-26 origins ------------------------------------------------------------
# RFC 8414 section 3.3: metadata fetched from the origin's well-known place
# is the origin's, and may name no other issuer; one that claims the
# pinned issuer is refused, and the pinned server is never asked for a
# token for it.
g=$(grants)
probe claim "${KEY[@]}" --oauth-issuer "$AS" "http://127.0.0.1:$OP/mcp"
is "$rc $(field claim '.state + " " + .failed_step + " " + .error.code')" "1 broken auth oauth_issuer_mismatch" \
    "an origin whose own metadata claims the pinned issuer: broken at auth, oauth_issuer_mismatch"
is "$(field claim .error.message)" \
    "the authorization server metadata at http://127.0.0.1:$OP/.well-known/oauth-authorization-server names the issuer $AS, not the one it was fetched for (RFC 8414 section 3.3): no credential sent" \
    "the message names the place and the issuer it claims"
is "$(($(grants) - g))" 0 "no token request reached the pinned server"
is "$(jq -r 'select(.on == "O") | .headers.authorization // empty' "$TMP/thief.log" | wc -l | tr -d ' ') $(on T)" "0 0" \
    "the origin was sent no token, the thief's token endpoint nothing"
probe claims "${SEC[@]}" --oauth-issuer "$AS" "http://127.0.0.1:$OP/mcp"
is "$rc $(field claims .error.code) $(($(grants) - g))" "1 oauth_issuer_mismatch 0" \
    "with a client secret: the same, nothing asked"
probe self "${KEY[@]}" --oauth-issuer "$AS" "http://127.0.0.1:$SP/mcp"
is "$rc $(field self .error.code)" "1 oauth_issuer_mismatch" "an origin whose metadata names itself: oauth_issuer_mismatch"
like "$(field self .error.message)" "names the issuer http://127.0.0.1:$SP, not the pinned $AS" "naming both"
is "$(posts S)" 0 "nothing was posted to its token endpoint"
# The honest 2025-03-26 server, its own authorization server, pinned as
# such (on purpose: a decoy secret): its metadata names its origin.
probe selfpin --oauth-client probe-client --oauth-secret-file "$W/decoy" --oauth-issuer "http://127.0.0.1:$SP" \
    "http://127.0.0.1:$SP/mcp"
is "$rc $(field selfpin .state) $(field selfpin '.detail.token_endpoint' auth)" "0 healthy http://127.0.0.1:$SP/token" \
    "an origin whose metadata names itself, pinned: healthy, its own token endpoint asked"

# --- a pinned server whose metadata claims another issuer (RFC 8414 3.3) -------------
probe wrong "${SEC[@]}" --oauth-issuer "$WRONG" "$RS/cc/mcp"
is "$rc $(field wrong .error.code)" "1 oauth_issuer_mismatch" "the pinned server's metadata claims the real issuer: refused"
is "$(posts W)" 0 "no token request was made to it"
probe wrong2 "${SEC[@]}" --oauth-issuer "$AS/" "$RS/cc/mcp"
is "$(field wrong2 .error.code)" "oauth_issuer_mismatch" "the issuer is compared byte for byte: a trailing slash is another issuer"

# --- 3. a token minted for one server is never another's ------------------------------
mkdir -m 700 "$TMP/cache"
cat >"$TMP/fleet" <<EOF
good $RS/cc/mcp oauth_client=probe-client oauth_secret_file=$W/secret oauth_issuer=$AS
evil $H/both/mcp oauth_client=probe-client oauth_secret_file=$W/secret oauth_issuer=$AS
EOF
probe fleet -f "$TMP/fleet" --oauth-cache "$TMP/cache" -j 1
is "$rc $(grep -c '"type":"result".*"state":"healthy"' "$TMP/fleet.out")" "0 2" "a good and a hostile server, one client: both healthy"
good=$(grep -l "$RS/cc/mcp" "$TMP/cache"/* | head -1)
GOOD_TOKEN=$(sed -n 5p "$good")
evil_tokens=$(jq -r 'select(.on == "H") | .headers.authorization // empty' "$TMP/thief.log" | sort -u)
like "$GOOD_TOKEN" '^[A-Za-z0-9_-]{20,}$' "the good server's token is cached"
unlike "$evil_tokens" "$GOOD_TOKEN" "the hostile server never saw it"
is "$(grep -c "\"resource\":\"$H/both/mcp\"" "$TMP/as.log") $(grep -c "\"resource\":\"$RS/cc/mcp\"" "$TMP/as.log")" \
    "2 1" "each token asked for its own server's resource"
stolen=$(printf '%s\n' "$evil_tokens" | tail -1 | sed 's/^Bearer //')
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $stolen" \
    -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    -d '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' "$RS/cc/mcp")
is "$code" 401 "a token the hostile server got does not open the good one (audience)"

# A token of the good server planted under the hostile one's key: never sent.
key=$(printf '%s\0%s\0%s\0%s\0%s\0' "$AS" probe-client "$H/both/mcp" "" client_secret_basic | sha256sum | cut -c1-64)
(umask 077 && printf 'mcp-probe-token 2\n%s\n%s\n%s\n%s\n' "$(($(date +%s) + 3000))" "$AS" "$RS/cc/mcp" "$GOOD_TOKEN" >"$TMP/cache/$key")
probe planted "${SEC[@]}" --oauth-issuer "$AS" --oauth-cache "$TMP/cache" "$H/both/mcp"
is "$rc $(field planted '.detail.token_from' auth)" "0 grant" \
    "a cached token stored for another resource is not taken: a new grant"
evil_tokens=$(jq -r 'select(.on == "H") | .headers.authorization // empty' "$TMP/thief.log" | sort -u)
unlike "$evil_tokens" "$GOOD_TOKEN" "the planted token never reached the hostile server"
probe parent "${SEC[@]}" --oauth-issuer "$AS" "$H/parent/mcp"
is "$rc $(field parent '.detail.resource' auth) $(tail -1 "$TMP/as.log" | jq -r .resource)" \
    "0 $H/parent/mcp $H/parent/mcp" \
    "metadata claiming the whole origin as its resource: the token is still asked for the server's own URI"
cp "$good" "$TMP/cut"
head -c -1 "$TMP/cut" >"$good"
probe cut "${SEC[@]}" --oauth-issuer "$AS" --oauth-cache "$TMP/cache" "$RS/cc/mcp"
is "$rc $(field cut '.detail.token_from' auth)" "0 grant" "a cache file cut short (no final newline) is no token"
probe steal "${SEC[@]}" --oauth-issuer "$AS" "$H/steal/mcp"
is "$rc $(field steal .error.code)" "1 auth_challenge_invalid" \
    "metadata claiming another server's resource: refused before any grant"

# --- 8. an absurd lifetime, from a server pinned on purpose (a decoy secret) ----------
mkdir -m 700 "$TMP/c2"
probe decoy --oauth-client probe-client --oauth-secret-file "$W/decoy" --oauth-issuer "$THIEF" \
    --oauth-cache "$TMP/c2" "$H/self/mcp"
is "$rc $(field decoy .state) $(field decoy '.detail.token_expires_in // "none"' auth)" "0 healthy none" \
    "expires_in 1e308: the token is used, no lifetime is recorded"
is "$(find "$TMP/c2" -type f | wc -l | tr -d ' ')" 0 "and it is kept for this run only: nothing in the cache directory"
unlike "$(cat "$TMP/decoy.out")" '-9223372036854775|e\+308' "no absurd number in any record"
is "$(jq -r 'select(.on == "replay") | .status' "$TMP/thief.log" | sort -u)" 401 \
    "the only credential the thief ever captured (the decoy, sent on purpose) opened nothing when replayed"

# --- 5. a tarpit among healthy targets: only its own target waits ----------------------
{
	printf 'tarpit %s/tarpit/mcp oauth_client=probe-client oauth_secret_file=%s oauth_issuer=%s timeout=4\n' \
	    "$H" "$W/decoy" "$TARPIT"
	for i in $(seq 1 40); do
		printf 'ok%s %s/cc/mcp oauth_client=probe-client oauth_secret_file=%s oauth_issuer=%s\n' \
		    "$i" "$RS" "$W/secret" "$AS"
	done
} >"$TMP/tarfleet"
t0=$(date +%s%N)
probe tar -f "$TMP/tarfleet" -j 8
t1=$(date +%s%N)
is "$(grep -c '"type":"result".*"state":"healthy"' "$TMP/tar.out")" 40 "40 healthy targets beside the tarpit: all healthy"
is "$(grep '"slug":"tarpit"' "$TMP/tar.out" | grep '"type":"result"' | jq -r '.failed_step + " " + .error.code')" \
    "auth oauth_grant_failed" "the tarpit's own target: oauth_grant_failed"
like "$(grep '"slug":"tarpit"' "$TMP/tar.out" | grep '"type":"result"' | jq -r .error.message)" 'Timeout' "a timeout"
ms=$(((t1 - t0) / 1000000))
ok "$([ "$ms" -lt 6000 ]; echo $?)" "the run ended with the tarpit's deadline (4 s), not after every target's ($ms ms)"
ok "$([ "$(posts P)" -ge 1 ]; echo $?)" "the tarpit was asked (a decoy secret)"

# --- byte for byte: nothing of ours reached any hostile listener ------------------------
all=$(cat "$TMP/thief.log")
enc=$(jq -rn --arg s "$SECRET" '$s | @uri')
basic=$(printf 'probe-client:%s' "$SECRET" | base64 -w0)
unlike "$all" "$SECRET" "the client secret never reached a hostile server"
unlike "$all" "$enc" "nor percent-encoded"
unlike "$all" "$basic" "nor as HTTP Basic"
unlike "$all" "$(cut -c1-60 "$W/jwt")" "the workload assertion never did"
unlike "$all" 'client_assertion' "no client assertion was sent to any of them"
unlike "$all" "$(sed -n 2p "$W/ec.key")" "nor any of the key"
is "$(jq -r 'select(.method == "POST" and (.path | test("token"))) | .on' "$TMP/thief.log" | sort | uniq -c | awk '{print $2 $1}' | tr '\n' ' ')" \
    "P1 S1 T1 " "token requests reached only the three servers pinned on purpose, once each, with the decoy"
outs=$(cat "$TMP"/*.out "$TMP"/*.err)
unlike "$outs" "$SECRET" "no output names the secret"
unlike "$outs" "$GOOD_TOKEN" "nor a token"

done_testing
