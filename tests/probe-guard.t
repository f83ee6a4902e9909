#!/usr/bin/env bash
# probe-guard.t - the guard of registry targets (mcp-probe guard=public,
# issue 35): a guarded target connects to public addresses only, checked
# on the address actually connected to (a name, a connect_to pin, the
# IPv4-mapped and -compatible forms, the metadata address), https only
# unless guard=public-http, no userinfo; --guard-allow, --guard-deny and
# --guard-nat64's usage (probe-guard-net.t has their matching and the
# runner's own addresses, in network namespaces);
# the HTTP+SSE stream and the OAuth requests guarded too; and -f - (the
# targets from standard input, --check -f - too).  Real components: the
# SDK fixture server (plain and TLS), the OAuth authorization server
# fixture (tests/fixtures/oauth-as.mjs).
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"

start_fixture || skip_all "the fixture server did not start"
P=${FIX##*:}
TP=${FIX_TLS##*:}
CA=(--cacert "$TMP/certs/ca.pem")

# result FILE SLUG: "state failed-step code" of SLUG's result.
result() {
	jq -r --arg s "$2" 'select(.type == "result" and .slug == $s) |
	    "\(.state) \(.failed_step) \(.error.code)"' "$1"
}
# message FILE SLUG: the error message of SLUG's result.
message() { jq -r --arg s "$2" 'select(.type == "result" and .slug == $s) | .error.message' "$1"; }
# step FILE SLUG STEP: "status" of one step record of SLUG.
step() { jq -r --arg s "$2" --arg t "$3" 'select(.type == "step" and .slug == $s and .step == $t) | .status' "$1"; }
# valid FILE N: every line is a JSON object with "v":1, and there are N targets of 9 records.
valid() {
	local lines objs
	lines=$(wc -l <"$1")
	objs=$(jq -c 'select(type == "object" and .v == 1)' "$1" 2>/dev/null | wc -l)
	[ "$lines" = "$objs" ] && [ "$lines" = $(($2 * 9)) ]
}

cat >"$TMP/fleet" <<EOF
# the operator's own target: today's freedom
own $FIX/open/mcp
g-http $FIX/open/mcp guard=public-http
g-name $FIX_TLS/open/mcp guard=public
g-pin https://mcp.example.test/open/mcp guard=public connect_to=mcp.example.test:443:127.0.0.1:$TP
g-mapped http://[::ffff:127.0.0.1]:$P/open/mcp guard=public-http
g-compat http://[::127.0.0.1]:$P/open/mcp guard=public-http
g-zero http://0.0.0.0:$P/open/mcp guard=public-http
g-meta https://169.254.169.254/mcp guard=public
g-plain $FIX/open/mcp guard=public
g-user http://probe:pw-s3cret@127.0.0.1:$P/open/mcp guard=public-http
g-sse $FIX/sse/sse guard=public-http era=sse
EOF

# --- refused: the targets file from a pipe ------------------------------------------
: >"$FIXTURE_LOG"
cat "$TMP/fleet" | mcp-probe -r t -t 10 "${CA[@]}" -f - >"$TMP/out" 2>"$TMP/err"
rc=$?
is "$rc:$(cat "$TMP/err")" "1:" "-f - reads the targets from a pipe; guarded targets broken: exit 1, stderr quiet"
ok "$(valid "$TMP/out" 11; echo $?)" "every record is a JSON object, 11 targets of 9 records each"
is "$(result "$TMP/out" own)" "healthy null null" "the operator's own target on 127.0.0.1 is up"
is "$(result "$TMP/out" g-http)" "broken connect address_refused" \
    "the same server as a guarded target: the connect step fails, address_refused"
is "$(message "$TMP/out" g-http)" "127.0.0.1 is loopback" "the record says which address class"
is "$(step "$TMP/out" g-http dns) $(step "$TMP/out" g-http tls) $(step "$TMP/out" g-http http)" \
    "pass skip skip" "the dns step passed, the later steps are skipped"
is "$(result "$TMP/out" g-name)" "broken connect address_refused" \
    "a name that resolves to loopback (localhost) is refused on the address connected to"
like "$(message "$TMP/out" g-name)" '^(127\.0\.0\.1|::1) is loopback$' "… $(message "$TMP/out" g-name)"
is "$(result "$TMP/out" g-pin) $(message "$TMP/out" g-pin)" "broken connect address_refused 127.0.0.1 is loopback" \
    "a public-looking name pinned by connect_to to 127.0.0.1 is refused"
is "$(result "$TMP/out" g-mapped) $(message "$TMP/out" g-mapped)" \
    "broken connect address_refused ::ffff:127.0.0.1 (IPv4 127.0.0.1) is loopback" \
    "an IPv4-mapped ::ffff:127.0.0.1 URL is refused, the IPv4 address named"
is "$(result "$TMP/out" g-compat) $(message "$TMP/out" g-compat)" \
    "broken connect address_refused ::127.0.0.1 (IPv4 127.0.0.1) is loopback" \
    "an IPv4-compatible ::127.0.0.1 URL is refused"
is "$(result "$TMP/out" g-zero) $(message "$TMP/out" g-zero)" "broken connect address_refused 0.0.0.0 is unspecified" \
    "0.0.0.0 (which Linux connects to this host) is refused"
is "$(result "$TMP/out" g-meta) $(message "$TMP/out" g-meta)" \
    "broken connect address_refused 169.254.169.254 is link-local (cloud metadata)" \
    "the cloud metadata address is refused"
is "$(jq -r 'select(.step == "dns" and .slug == "g-meta") | .detail.address' "$TMP/out")" 169.254.169.254 \
    "the dns step names the address refused"
is "$(jq -r 'select(.type == "result" and .slug == "g-meta") | .ms < 1000' "$TMP/out")" true \
    "at once: no packet waits for an answer from it"
is "$(result "$TMP/out" g-plain)" "broken connect address_refused" "http:// under guard=public is refused"
is "$(message "$TMP/out" g-plain)" "plain HTTP: a guarded target (guard=public) is probed over https only" \
    "… saying guard=public takes https only"
is "$(result "$TMP/out" g-user) $(message "$TMP/out" g-user)" \
    "broken connect address_refused a user name or password in the URL of a guarded target" \
    "a URL with userinfo is refused"
unlike "$(cat "$TMP/out" "$TMP/err")" 'pw-s3cret' "the password is in no record"
is "$(result "$TMP/out" g-sse)" "broken connect address_refused" "the HTTP+SSE stream of a guarded target is refused too"
is "$(grep -c '^session ' "$FIXTURE_LOG")" 1 "the server saw one session: the operator's target's, none of the guarded"

# --- --guard-allow: the test suite's own addresses ----------------------------------
mcp-probe -r t -t 10 "${CA[@]}" --guard-allow 127.0.0.0/8 -f - <"$TMP/fleet" >"$TMP/allow" 2>"$TMP/err"
ok "$(valid "$TMP/allow" 11; echo $?)" "--guard-allow 127.0.0.0/8: every record is JSON"
is "$(result "$TMP/allow" g-http)" "healthy null null" "a guarded target on 127.0.0.1 is let through and up"
is "$(result "$TMP/allow" g-name)" "healthy null null" \
    "localhost over https: ::1 refused (not allowed), 127.0.0.1 taken, up"
is "$(step "$TMP/allow" g-mapped connect)" pass "::ffff:127.0.0.1 is in 127.0.0.0/8: connected"
is "$(result "$TMP/allow" g-sse)" "healthy null null" "the HTTP+SSE transport, stream and endpoint, works under the guard"
is "$(result "$TMP/allow" g-meta) $(result "$TMP/allow" g-plain) $(result "$TMP/allow" g-user)" \
    "broken connect address_refused broken connect address_refused broken connect address_refused" \
    "the metadata address, plain HTTP and userinfo are still refused"
is "$(result "$TMP/allow" own)" "healthy null null" "the operator's target is as before"

# --- --guard-deny: a denied range inside an allowed one -----------------------------
printf 'own %s/open/mcp\ng-http %s/open/mcp guard=public-http\n' "$FIX" "$FIX" |
    mcp-probe -r t -t 10 --guard-allow 127.0.0.0/8 --guard-deny 127.0.0.1/32 -f - >"$TMP/deny" 2>"$TMP/err"
is "$(result "$TMP/deny" g-http) $(message "$TMP/deny" g-http)" \
    "broken connect address_refused 127.0.0.1 is in the denied range 127.0.0.1/32" \
    "--guard-deny 127.0.0.1/32 inside --guard-allow 127.0.0.0/8: the longer range decides, refused"
is "$(result "$TMP/deny" own)" "healthy null null" "--guard-deny applies to guarded targets only"

# --- OAuth: the authorization server and its token endpoint are guarded too -----------
W=$TMP/w
if oauth_material "$W"; then
	node "$TOP/tests/fixtures/oauth-as.mjs" --port-file "$TMP/ports" --secret-file "$W/secret" \
	    --client-key "$W/ec.pub" --workload-key "$W/wl.pub" --log "$TMP/as.log" 2>"$TMP/as.err" &
	bg_pid $!
	wait_file "$TMP/ports" || diag "oauth-as.mjs did not start: $(cat "$TMP/as.err")"
	read -r A R _ <"$TMP/ports"
	touch "$TMP/as.log"
	AS=http://127.0.0.1:$A
	RS=http://127.0.0.1:$R
	C="oauth_client=probe-client oauth_secret_file=$W/secret"
	cat >"$TMP/oauth" <<-EOF
	cc $RS/cc/mcp $C oauth_issuer=$AS guard=public-http
	priv $RS/priv/mcp $C oauth_issuer=https://10.9.9.9 guard=public-http
	privte $RS/privte/mcp $C oauth_issuer=$AS/privte guard=public-http
	EOF
	mcp-probe -r t -t 10 --guard-allow 127.0.0.1/32 -f - <"$TMP/oauth" >"$TMP/oa" 2>"$TMP/err"
	ok "$(valid "$TMP/oa" 3; echo $?)" "OAuth targets: every record is JSON"
	is "$(result "$TMP/oa" cc)" "healthy null null" "a guarded OAuth target: discovery and the grant work through the guard"
	is "$(result "$TMP/oa" priv)" "broken auth address_refused" \
		"the server's metadata names an authorization server on a private address: the auth step fails"
	is "$(message "$TMP/oa" priv)" "the metadata of the authorization server https://10.9.9.9: 10.9.9.9 is private" \
		"… its metadata is never fetched"
	is "$(result "$TMP/oa" privte)" "broken auth address_refused" \
		"the authorization server names a token endpoint at the metadata address: refused"
	is "$(message "$TMP/oa" privte)" \
		"the token endpoint https://169.254.169.254/token: 169.254.169.254 is link-local (cloud metadata)" \
		"… the credential never sent"
	is "$(grep -c '"ok":true' "$TMP/as.log")" 1 "the authorization server granted one token: the cc target's"
	unlike "$(cat "$TMP/oa" "$TMP/err")" "$(cat "$W/secret")" "the client secret is in no record"
else
	diag "OAuth checks skipped: openssl could not make the keys"
fi

# --- a proxy of the environment: never for a guarded target ---------------------------
# A proxy would resolve and connect to the server's names itself, where the
# guard sees nothing; the operator's own targets keep using it.
printf 'own %s/open/mcp\ng-http %s/open/mcp guard=public-http\n' "$FIX" "$FIX" |
    http_proxy=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 ALL_PROXY=socks5h://127.0.0.1:9 NO_PROXY='' \
    mcp-probe -r t -t 10 --guard-allow 127.0.0.0/8 -f - >"$TMP/proxy" 2>"$TMP/err"
is "$(result "$TMP/proxy" g-http)" "healthy null null" "a guarded target goes to its server, not to the proxy of the environment"
is "$(result "$TMP/proxy" own | cut -d' ' -f1,2)" "broken connect" "the operator's target still goes through it (here a dead one)"

# --- -f - and --check ----------------------------------------------------------------
is "$(mcp-probe -r t --check -f - <"$TMP/fleet" 2>&1 >"$TMP/chk"; echo "rc=$?"):$(wc -c <"$TMP/chk")" \
    "mcp-probe: 11 targets ok
rc=0:0" "--check -f - checks the targets from standard input, nothing on stdout"
is "$(printf 'a %s/open/mcp\nb %s/open/mcp guard=private\n' "$FIX" "$FIX" |
    mcp-probe -r t -n -f - 2>&1 >"$TMP/chk"; echo "rc=$?"):$(wc -c <"$TMP/chk")" \
    "mcp-probe: stdin:2: guard must be public or public-http
rc=2:0" "a bad guard= value from standard input: exit 2, the line named as stdin:2"
is "$(printf 'a %s/open/mcp guard=public guard=public\n' "$FIX" | mcp-probe -r t -n -f - 2>&1; echo "rc=$?")" \
    "mcp-probe: stdin:1: guard given twice
rc=2" "guard= given twice"
(cd "$TMP" && printf 'from-file %s/open/mcp\n' "$FIX" >./-)
is "$(cd "$TMP" && printf 'a %s/open/mcp\nb %s/open/mcp\n' "$FIX" "$FIX" | mcp-probe -r t -n -f - 2>&1)" \
    "mcp-probe: 2 targets ok" "-f - is standard input, not a file named \"-\""
is "$(cd "$TMP" && mcp-probe -r t -n -f ./- 2>&1)" "mcp-probe: 1 targets ok" "a file named \"-\" is ./-"

# --- usage ---------------------------------------------------------------------------
while IFS='|' read -r r why; do
	is "$(mcp-probe -r t --guard-deny "$r" -f "$TMP/fleet" 2>&1 >"$TMP/u"; echo "rc=$?"):$(wc -c <"$TMP/u")" \
	    "mcp-probe: --guard-deny $r: $why
rc=2:0" "--guard-deny $r: a usage error"
done <<'EOF'
10.0.0.1/8|bits set past the prefix length
10.0.0.0/33|the prefix length must be 0 to 32
fc00::/129|the prefix length must be 0 to 128
example.com|not an address: want A.B.C.D/N or IPv6/N
EOF
is "$(mcp-probe -r t --guard-allow 10.0.0.0/8x -f "$TMP/fleet" 2>&1; echo "rc=$?")" \
    "mcp-probe: --guard-allow 10.0.0.0/8x: the prefix length must be 0 to 32
rc=2" "--guard-allow with a bad prefix: a usage error"
while IFS='|' read -r r why; do
	is "$(mcp-probe -r t --guard-nat64 "$r" -f "$TMP/fleet" 2>&1 >"$TMP/u"; echo "rc=$?"):$(wc -c <"$TMP/u")" \
	    "mcp-probe: --guard-nat64 $r: $why
rc=2:0" "--guard-nat64 $r: a usage error"
done <<'EOF'
2001:db8::/33|a NAT64 prefix is 32, 40, 48, 56, 64 or 96 bits long (RFC 6052)
10.0.0.0/8|not a NAT64 prefix: want IPv6/N
2001:db8::|not a NAT64 prefix: want IPv6/N
2001:db8::1/96|bits set past the prefix length
EOF
is "$(mcp-probe -r t --guard-nat64 2001:db8:64::/96 --guard-nat64 64:ff9b:1::/48 -n -f "$TMP/fleet" 2>&1; echo "rc=$?")" \
    "mcp-probe: 11 targets ok
rc=0" "--guard-nat64 of RFC 6052's lengths are taken, repeated"

done_testing
