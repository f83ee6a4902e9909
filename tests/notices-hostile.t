#!/usr/bin/env bash
# notices-hostile.t - the status page's posts and subscriptions under
# attack (issue 40): a post holding HTML, script and bidi controls, and a
# store holding worse; a subscription flood from one client and across
# many addresses; tokens expired, used, forged or malformed; a 1 MB body;
# forms posted from another site; methods, types and lengths that are not
# the routes'.  Through nginx in front of mcp-serve as a CGI program
# (fcgiwrap) and as FastCGI responders, and mcp-serve alone as CGI.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/alert-lib.sh
source "$TOP/tests/alert-lib.sh"
# shellcheck source=tests/notices-lib.sh
source "$TOP/tests/notices-lib.sh"

page_ready || skip_all "$WHY"
start_redis
rc() { redis-cli -s "$REDIS_SOCK" "$@"; }
start_fixture
M=$TMP/mail
start_sink "$M"
start_page || { ok 1 "nginx, fcgiwrap and spawn-fcgi start"; done_testing; }
probe_slugs 0 weather files
cat >"$TMP/alert.conf" <<CONF
route mail email smtp://127.0.0.1:$SINK_PORT status@example.test ops@example.test
status_page $PAGE_CGI
subscriber_mail mail
CONF
NOW=$(w 2)
ma() { MCP_NOW=$NOW mcp-alert -c "$TMP/alert.conf" "$@"; }
ma </dev/null
is "$?" 0 "mcp-alert runs: the page takes subscriptions"
# sub BASE CLIENT ADDRESS FIELDS...: the form, from the page's origin, as client CLIENT.
sub() {
	local u=$1 cl=$2 a=$3
	shift 3
	req -H "Origin: $u" -H "X-Forwarded-For: $cl" --data-urlencode "email=$a" "$@" "$u/subscribe"
}

# --- a hostile post ---------------------------------------------------------------------
RLO=$(printf '\342\200\256') # U+202E RIGHT-TO-LEFT OVERRIDE
LRI=$(printf '\342\201\246') # U+2066 LEFT-TO-RIGHT ISOLATE
title="<script>alert(1)</script> ${RLO}gnp.exe"
text=$'<img src=x onerror=alert(1)> <a href="javascript:alert(2)">x</a>\nhttps://evil.test/"onmouseover=alert(3) javascript:alert(4) '"${LRI}"$'isolated\nhttps://ok.test/a?b=1&c=2.'
ma post new --slug weather --title "$title" --text "$text" >"$TMP/p.json"
is "$?:$(jq -r .title "$TMP/p.json")" "0:$title" "a post of HTML, script and bidi controls is taken, as written"
for page in "$PAGE_CGI/status/weather" "$PAGE_FCGI/status" ; do
	req "$page"
	b=$(tr '\n' ' ' <"$RB")
	is "$ST" 200 "$page: 200"
	unlike "$b" '<script|<img|<[a-z][^>]* on[a-z]+=|href="javascript:' "$page: no byte of it is markup"
	like "$b" "<h3 id=\"post-1-h\"><bdi>&lt;script&gt;alert\\(1\\)&lt;/script&gt; ${RLO}gnp.exe</bdi></h3>" \
	    "$page: the title escaped, isolated in <bdi>"
	like "$b" '<a href="https://evil.test/" rel="nofollow noopener noreferrer ugc">https://evil.test/</a>&quot;onmouseover=alert\(3\)' \
	    "$page: a URL ends at a quote: the rest is text"
	like "$b" '<a href="https://ok.test/a\?b=1&amp;c=2" rel="nofollow noopener noreferrer ugc">https://ok.test/a\?b=1&amp;c=2</a>\.' \
	    "$page: a URL made a link, escaped, its full stop left out"
	like "$b" 'javascript:alert\(4\)' "$page: javascript: is text, never a link"
	unlike "$(grep -o 'Content-Security-Policy: [^;]*' "$RH")" 'unsafe' "$page: and the CSP allows no script at all"
done
req "$PAGE_CGI/status/weather/feed.atom"
xmllint --noout "$RB" 2>"$TMP/xml.err"
is "$?:$(head -c 200 "$TMP/xml.err")" "0:" "the feed: well-formed XML"
like "$(cat "$RB")" '<title>&lt;script&gt;alert\(1\)&lt;/script&gt; .*\(Investigating\)</title>' "the feed: the title escaped"
req "$PAGE_FCGI/api/status/weather/posts"
is "$ST:$(jq -r '.posts[0].title' "$RB")" "200:$title" "the JSON: the title as written, its JSON escaped"
like "$(head -c 300 "$RB")" '"title":"<script>' "the JSON's markup is data (application/json, nosniff)"
is "$(rhdr X-Content-Type-Options):$(rhdr Content-Type)" "nosniff:application/json; charset=utf-8" "served as JSON, nosniff"

# What mcp-alert refuses: control characters, too long, not UTF-8.
is "$(ma post new --slug weather --title $'a\rBcc: x@evil.test' --text t 2>&1; echo "rc=$?")" \
    "mcp-alert: post: --title: a control character (U+000D) (UTF-8 of at most 200 bytes)
rc=2" "a title with CR: refused, exit 2"
like "$({ ma post new --slug weather --title t --text "$(head -c 2001 /dev/zero | tr '\0' x)" 2>&1; echo "rc=$?"; } | tr '\n' ' ')" \
    'text: 2001 bytes, more than 2000.*rc=2' "a text of 2001 bytes: refused"
like "$({ ma post new --slug weather --title "$(printf 'a\377b')" --text t 2>&1; echo "rc=$?"; } | tr '\n' ' ')" \
    'not UTF-8.*rc=2' "a title not UTF-8: refused"
like "$({ ma post new --slug nosuch --title t --text t 2>&1; echo "rc=$?"; } | tr '\n' ' ')" 'nosuch: no such slug.*rc=2' \
    "a slug never seen: refused (--force to post anyway)"

# What a store may hold that mcp-alert never writes: mcp-serve bounds and mends it.
big=$(head -c 9000 /dev/zero | tr '\0' y)
rc set 'mcp:{page}:post:77' "$(jq -cn --arg t "$big" '{v:1,type:"post",id:"77",title:"Bad\u0001store",state:"monitoring",all:true,slugs:[],created:1,updated:2,incident:null,updates:[{at:1,state:"monitoring",text:($t + "\u0002\u009b end")}]}')" >/dev/null
rc zadd 'mcp:{page}:posts:open' 2 77 >/dev/null
rc zadd 'mcp:{page}:posts' 2 77 >/dev/null
rc set 'mcp:{page}:post:78' '{"v":1,"type":"post","id":"78","title":"x","state":"gone","updates":[]}' >/dev/null
rc set 'mcp:{page}:post:79' "{\"v\":1,\"type\":\"post\",\"id\":\"79\",\"title\":\"$(printf 'inv\377alid')\",\"state\":\"monitoring\",\"all\":true,\"slugs\":[],\"created\":1,\"updated\":3,\"incident\":null,\"updates\":[{\"at\":1,\"state\":\"monitoring\",\"text\":\"t\"}]}" >/dev/null
rc zadd 'mcp:{page}:posts:open' 3 78 4 79 >/dev/null
req "$PAGE_CGI/status"
b=$(cat "$RB")
like "$b" 'id="post-77"' "a stored post with control characters is shown"
unlike "$b" $'\001|\002|\302\233' "its control characters are not"
is "$(grep -o 'y\{100,\}' "$RB" | awk '{ print length }')" 2000 "its text cut at 2000 bytes"
unlike "$b" 'id="post-78"' "a stored post that is not one is left out"
like "$b" "<bdi>inv$(printf '\357\277\275')alid</bdi>" "invalid UTF-8 is U+FFFD"
req "$PAGE_CGI/feed.atom"
xmllint --noout "$RB" 2>"$TMP/xml.err"
is "$?:$(head -c 200 "$TMP/xml.err")" "0:" "/feed.atom with those posts: still well-formed XML"
req "$PAGE_CGI/api/posts"
is "$(jq -r '[.posts[] | .id] | sort | join(" ")' "$RB")" "1 77 79" "/api/posts: the posts that are posts"
rc del 'mcp:{page}:post:77' 'mcp:{page}:post:78' 'mcp:{page}:post:79' >/dev/null

# --- methods, types, lengths ------------------------------------------------------------
for u in "$PAGE_CGI" "$PAGE_FCGI"; do
	for m in PUT DELETE PATCH; do
		req -X "$m" -d 'x=1' "$u/subscribe"
		is "$ST|$(rhdr Allow)" "405|GET, HEAD, POST" "$u: $m /subscribe: 405, Allow: GET, HEAD, POST"
	done
	req -X POST -d 'x=1' "$u/api/posts"
	is "$ST|$(rhdr Allow)" "405|GET, HEAD" "$u: POST /api/posts: 405, Allow: GET, HEAD"
	req -X POST -d 'x=1' "$u/status/weather"
	is "$ST|$(rhdr Allow)" "405|GET, HEAD" "$u: POST /status/weather: 405, Allow: GET, HEAD"
	req -H "Origin: $u" -H 'Content-Type: text/plain' -d 'email=a@example.test&all=1' "$u/subscribe"
	is "$ST" 415 "$u: a body that is not a form: 415"
	req -H "Origin: $u" -F 'email=a@example.test' -F all=1 "$u/subscribe"
	is "$ST" 415 "$u: multipart: 415"
done

# --- a 1 MB body ------------------------------------------------------------------------
head -c 1000000 /dev/zero | tr '\0' a >"$TMP/big"
for u in "$PAGE_CGI" "$PAGE_FCGI"; do
	for r in /subscribe /subscribe/confirm "/unsubscribe?s=e0123456789abcdef&t=$(printf '%040d' 0)"; do
		t0=$(date +%s%N)
		req -H "Origin: $u" -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "@$TMP/big" "$u$r"
		ms=$((($(date +%s%N) - t0) / 1000000))
		is "$ST" 413 "$u: 1 MB to ${r%%\?*}: 413"
		like "$(cat "$RB")" '<h1>Not done</h1>' "$u: the answer is mcp-serve's, not the web server's ($ms ms)"
	done
done
# (a bare 502 would match a port: the error log names the listener's, 20502 in one run)
unlike "$(cat "$PAGE_LOG")" 'upstream prematurely closed|\[(error|crit|alert|emerg)\]' "nginx saw no broken answer"
is "$(rc llen 'mcp:{page}:requests')" 0 "and nothing was queued"
# mcp-serve alone: it answers on the declared length, before the body comes.
mkfifo "$TMP/slow"
(head -c 4096 "$TMP/big"; sleep 3; tail -c +4097 "$TMP/big") >"$TMP/slow" &
slow=$!
env -i GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=POST PATH_INFO=/subscribe CONTENT_LENGTH=1000000 \
    CONTENT_TYPE=application/x-www-form-urlencoded MCP_REDIS="$MCP_REDIS" \
    ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" "$BIN/mcp-serve" <"$TMP/slow" >"$TMP/cgi.out" &
cgi=$!
wait_for 20 grep -q '^Status: 413' "$TMP/cgi.out"
ok $? "CGI alone: the 413 is written while the body is still coming (within 2 s of a 3 s stall)"
kill -0 "$slow" 2>/dev/null
ok $? "the sender had not finished then"
wait "$cgi"
is "$?" 0 "mcp-serve then drains what comes and exits 0"
wait "$slow" 2>/dev/null
out=$(printf 'email=a%%40example.test&all=1' | env -i GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=POST PATH_INFO=/subscribe \
    CONTENT_TYPE=application/x-www-form-urlencoded HTTP_ORIGIN=http://h HTTP_HOST=h MCP_REDIS="$MCP_REDIS" \
    ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" "$BIN/mcp-serve" | head -1 | tr -d '\r')
is "$out" "Status: 411 Length Required" "CGI alone: a POST without CONTENT_LENGTH: 411"

# --- forms from elsewhere (CSRF) --------------------------------------------------------
u=$PAGE_CGI
csrf() { req -H "X-Forwarded-For: 198.51.100.9" "$@" --data-urlencode "email=csrf@example.test" -d all=1 "$u/subscribe"; }
csrf -H 'Origin: http://evil.test'
is "$ST" 403 "Origin of another site: 403"
csrf -H "Origin: ${PAGE_FCGI}"
is "$ST" 403 "Origin of the same host, another port: 403"
csrf -H 'Origin: null'
is "$ST" 403 "Origin: null: 403"
csrf
is "$ST" 403 "no Origin, no Referer: 403"
csrf -H "Origin: $u" -H 'Sec-Fetch-Site: cross-site'
is "$ST" 403 "Sec-Fetch-Site: cross-site: 403"
csrf -H "Referer: $u/status/weather"
is "$ST" 200 "no Origin, the Referer of the page: 200"
is "$(rc llen 'mcp:{page}:requests')" 1 "one request queued, from the only good form"

# --- what an address is -----------------------------------------------------------------
for a in 'a@b' 'no-at.example.test' '"q"@example.test' 'a@example.test,b@example.test' \
    "$(printf 'x%.0s' $(seq 70))@example.test" $'a@example.test\r\nBcc: x@evil.test' 'a@-x.test' '<a@example.test>'; do
	sub "$PAGE_CGI" 198.51.100.10 "$a" -d all=1
	is "$ST" 400 "address $(printf %q "$a"): 400"
done
long="$(printf 'a%.0s' $(seq 60))@$(printf 'b%.0s' $(seq 60)).$(printf 'c%.0s' $(seq 60)).$(printf 'd%.0s' $(seq 60)).test"
sub "$PAGE_CGI" 198.51.100.10 "${long}x$(printf 'e%.0s' $(seq 40))" -d all=1
is "$ST" 400 "an address past 254 bytes whose first 254 would be one: 400, never cut to fit"
sub "$PAGE_CGI" 198.51.100.12 fields@example.test -d all=1 -d 'an_unknown_field_of_any_length=1'
is "$ST" 200 "a field that is not the form's: passed over"
sub "$PAGE_CGI" 198.51.100.11 ok@example.test -d slug=nosuch
is "$ST:$(grep -o 'No server is named nosuch here' "$RB")" "400:No server is named nosuch here" "an unknown server: 400, said"
sub "$PAGE_CGI" 198.51.100.11 ok@example.test -d slug=WEATHER
is "$ST" 400 "a slug that is not one: 400"
sub "$PAGE_CGI" 198.51.100.11 ok@example.test -d "slugs=$(seq -f 's%g' 33 | tr '\n' ' ')"
is "$ST" 400 "33 servers: 400 (32 at most)"
sub "$PAGE_CGI" 198.51.100.11 ok@example.test
is "$ST" 400 "no server chosen: 400"

# --- the same answer whether or not an address is subscribed ---------------------------
rc del 'mcp:{page}:requests' >/dev/null
sub "$PAGE_CGI" 198.51.100.20 known@example.test -d slug=weather
is "$(MCP_NOW=$NOW mcp-alert -c "$TMP/alert.conf" </dev/null; echo $?)" 0 "mcp-alert sends the confirmation"
tok=$(mbody "$M" "$(mto "$M" known@example.test | tail -1)" | grep -o 't=[0-9a-f]\{40\}' | cut -c3-)
req -d "t=$tok" "$PAGE_FCGI/subscribe/confirm"
is "$ST" 200 "known@example.test is subscribed"
rc del "mcp:{page}:ask:$(printf known@example.test | sha256sum | cut -c1-64)" >/dev/null
sub "$PAGE_CGI" 198.51.100.21 known@example.test -d slug=weather
cp "$RB" "$TMP/known.b"
known=$ST
sub "$PAGE_CGI" 198.51.100.22 unknown@example.test -d slug=weather
is "$known:$ST" "200:200" "a subscribed address and another: both 200"
cmp -s "$RB" "$TMP/known.b"
ok $? "byte for byte the same page"

# A hostile post by mail: its title one header line whatever it holds, its text plain.
ma post new --slug weather --title "$title" --text "$text" >/dev/null
ma </dev/null
h=$(mto "$M" known@example.test | tail -1)
is "$(mval "$M" "$h" Subject)" "[weather] $title: Investigating" "Subject: the title as written, decoded (RFC 2047)"
is "$(grep -ac '^Subject:' "$M/$h.eml"):$(sed '/^\r$/q' "$M/$h.eml" | grep -acv '^[A-Za-z-]*: \|^ ')" "1:1" \
    "one Subject, and every header line a header or its folding (the blank line aside)"
like "$(mhdr "$M" "$h" Content-Type)" 'text/plain; charset="?utf-8' "the body is plain text"
like "$(mbody "$M" "$h")" '<img src=x onerror=alert\(1\)>' "where the text is what its author wrote"

# --- tokens: expired, used, forged, malformed -----------------------------------------
conf() { req -H "X-Forwarded-For: 198.51.100.30" -d "t=$1" "$PAGE_CGI/subscribe/confirm"; }
rc del 'mcp:{page}:requests' >/dev/null
sub "$PAGE_CGI" 198.51.100.31 late@example.test -d slug=files
MCP_NOW=$NOW mcp-alert -c "$TMP/alert.conf" </dev/null
late=$(mbody "$M" "$(mto "$M" late@example.test | tail -1)" | grep -o 't=[0-9a-f]\{40\}' | cut -c3-)
lk="mcp:{page}:pending:$(printf %s "$late" | sha256sum | cut -c1-64)"
is "$(rc ttl "$lk" | awk '{ print ($1 > 86000 && $1 <= 86400) }')" 1 "a pending confirmation expires in 24 hours"
rc pexpire "$lk" 1 >/dev/null
wait_for 20 test "$(rc exists "$lk")" = 0
conf "$late"
is "$ST" 410 "the link after its time: 410"
conf "$tok"
is "$ST" 410 "a link used already: 410"
conf "$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')"
is "$ST" 410 "a forged token: 410"
for t in '' abc "$(printf '%040d' 0 | tr 0 G)" "${tok^^}" "${tok}0"; do
	conf "$t"
	is "$ST" 410 "a malformed token ($(printf %q "$t")): 410"
done
sid=$(rc get "mcp:{page}:addr:$(printf known@example.test | sha256sum | cut -c1-64)")
for q in "s=$sid&t=$(printf '%040d' 1)" "s=e0000000000000000&t=$(printf '%040d' 1)" "s=$sid" "s=$sid&t=x"; do
	req -H "X-Forwarded-For: 198.51.100.32" -d 'List-Unsubscribe=One-Click' "$PAGE_FCGI/unsubscribe?$q"
	like "$ST:$(grep -c 'You are unsubscribed' "$RB")" '^(200:1|400:0)$' "unsubscribe ?$q: the usual page (or 400 when not whole)"
done
is "$(rc exists "mcp:{page}:sub:$sid")" 1 "and the subscriber is still there"
req "$PAGE_CGI/unsubscribe?s=$sid&t=$(printf '%040d' 1)&x=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"
is "$ST:$(grep -o '<form[^>]*>' "$RB")" "200:<form method=\"post\" action=\"/unsubscribe?s=$sid&t=$(printf '%040d' 1)\">" \
    "the unsubscribe page's form posts to the link as checked, not to the query as sent"

# --- floods -----------------------------------------------------------------------------
rc del 'mcp:{page}:requests' >/dev/null
codes=''
for i in $(seq 11); do
	sub "$PAGE_FCGI" 203.0.113.5 "flood$i@example.test" -d all=1
	codes="$codes$ST "
done
is "$codes" "200 200 200 200 200 200 200 200 200 200 429 " "one client: 10 requests an hour, then 429"
like "$(rhdr Retry-After)" '^[0-9]+$' "with Retry-After ($(rhdr Retry-After) s)"
is "$(rc llen 'mcp:{page}:requests')" 10 "ten requests queued"
sub "$PAGE_FCGI" 203.0.113.6 other@example.test -d all=1
is "$ST" 200 "another client: 200"
codes=''
for c in 2001:db8:1:2::1 2001:db8:1:2:ffff::9; do
	for i in 1 2 3 4 5 6; do
		sub "$PAGE_CGI" "$c" "six$i-${c//:/}@example.test" -d all=1
		codes="$codes$ST "
	done
done
is "$codes" "200 200 200 200 200 200 200 200 200 200 429 429 " "two IPv6 addresses of one /64: one client"
sub "$PAGE_CGI" 2001:db8:1:3::1 v6other@example.test -d all=1
is "$ST" 200 "another /64: 200"
rc del 'mcp:{page}:requests' >/dev/null
for c in 203.0.113.40 203.0.113.41 203.0.113.42; do
	sub "$PAGE_CGI" "$c" same@example.test -d all=1
done
is "$ST:$(rc llen 'mcp:{page}:requests')" "200:1" "one address from three clients of one /24: one request (one message an address a network a day)"
# Across many addresses and many networks: the page's 100 an hour, past which only a
# network's first 2 of its hour are taken.
taken=$(rc get 'mcp:{page}:limit:all')
queued=$(rc llen 'mcp:{page}:requests')
codes=''
n=0
for c in $(seq 1 60); do
	for i in $(seq 10); do
		[ $((taken + n)) -ge 100 ] && break 2
		sub "$PAGE_FCGI" "10.9.$c.1" "many$c-$i@example.test" -d all=1
		n=$((n + 1))
		[ "$ST" = 200 ] || codes="$codes$ST@$((taken + n)) "
	done
done
is "$codes" "" "many clients and addresses: 100 taken in an hour"
sub "$PAGE_FCGI" 10.9.1.2 over@example.test -d all=1
is "$ST" 503 "then a network past its first 2 of the hour: 503"
is "$(rhdr Retry-After | awk '{ print ($1 > 0 && $1 <= 3600) }')" 1 "with Retry-After"
sub "$PAGE_FCGI" 10.10.1.1 newnet@example.test -d all=1
is "$ST" 200 "a network new in the hour: still taken"
is "$(rc llen 'mcp:{page}:requests')" "$((queued + n + 1))" "every request taken waits for mcp-alert, no more"
# --- the Redis user mcp-serve(8) documents is enough ----------------------------------
acl=$(mandoc -Tascii "$TOP/man/mcp-serve.8" | col -b | sed -n '/ACL SETUSER/,/^ *$/p' | tr -d '\\\n' | tr -s ' ')
like "$acl" 'ACL SETUSER mcp-serve on >PASSWORD' "mcp-serve(8) gives the ACL of its Redis user"
# shellcheck disable=SC2086 # the words of the documented command
rc ${acl//>PASSWORD/>pw-$$} >/dev/null
is "$(rc acl getuser mcp-serve | head -2 | tail -1)" on "the user made as documented"
U="unix://$REDIS_SOCK?user=mcp-serve&password=pw-$$"
rc del 'mcp:{page}:limit:all' >/dev/null # the flood's hour
acgi() {
	env -i GATEWAY_INTERFACE=CGI/1.1 MCP_REDIS="$U" REQUEST_METHOD="$1" PATH_INFO="$2" QUERY_STRING="${3:-}" \
	    CONTENT_LENGTH="${#4}" CONTENT_TYPE=application/x-www-form-urlencoded HTTP_ORIGIN=http://h \
	    HTTP_HOST=h REMOTE_ADDR=192.0.2.77 ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" \
	    "$BIN/mcp-serve" <<<"$4" 2>>"$TMP/acl.err" | head -1 | tr -d '\r'
}
is "$(acgi GET /status/weather '' '')" "Status: 200 OK" "as that user: a status page with its posts"
is "$(acgi GET /api/posts '' '')" "Status: 200 OK" "/api/posts"
is "$(acgi POST /subscribe '' 'email=acl%40example.test&slug=weather')" "Status: 200 OK" "a subscription"
is "$(rc llen 'mcp:{page}:requests' | awk '{ print ($1 > 0) }')" 1 "queued by the scripts the user may run"
is "$(acgi POST /subscribe/confirm '' "t=$(printf '%040d' 7)")" "Status: 410 Gone" "a confirmation"
is "$(acgi POST /unsubscribe "s=$sid&t=$(printf '%040d' 7)" 'List-Unsubscribe=One-Click')" "Status: 200 OK" "an unsubscription"
is "$(grep -c NOPERM "$TMP/acl.err")" 0 "no command refused to it"
# --- a post of every character XML 1.0 excludes: every feed and page still well-formed --
# mcp-alert takes the noncharacters (U+FFFE, U+FFFF, U+FDD0, U+10FFFF) in
# a title and a text; the store may hold the rest: every C0 control, DEL,
# C1, a lone surrogate, invalid UTF-8.
nonchars=$(printf '\357\277\276 \357\277\277 \357\267\220 \364\217\277\277')
ma post new --slug weather --title "odd $nonchars end" --text "$nonchars"$'\nline' >"$TMP/x.json"
is "$?:$(jq -r .title "$TMP/x.json")" "0:odd $nonchars end" "a post of U+FFFE, U+FFFF and other noncharacters: taken as written"
ctl=$(jq -nr '[range(1; 32), 127, 128, 159] | implode | @json' | sed 's/^"//; s/"$//')
rc set 'mcp:{page}:post:90' "{\"v\":1,\"type\":\"post\",\"id\":\"90\",\"title\":\"ctl $ctl $(printf '\355\240\200 \377 \357\277\276') end\",\"state\":\"monitoring\",\"all\":true,\"slugs\":[],\"created\":5,\"updated\":6,\"incident\":null,\"updates\":[{\"at\":5,\"state\":\"monitoring\",\"text\":\"t $ctl $(printf '\355\277\277\357\277\277')\"}]}" >/dev/null
rc zadd 'mcp:{page}:posts:open' 6 90 >/dev/null
rc zadd 'mcp:{page}:posts' 6 90 >/dev/null
# xmlchars FILE: what in FILE is not XML 1.0 text (invalid UTF-8, an excluded character, a noncharacter).
xmlchars() {
	python3 - "$1" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
try:
    t = b.decode("utf-8")
except UnicodeDecodeError as e:
    sys.exit(print("not UTF-8 at byte %d" % e.start))
for c in t:
    o = ord(c)
    if (o < 0x20 and c not in "\t\n\r") or 0x7f <= o < 0xa0 or 0xfdd0 <= o <= 0xfdef or o & 0xfffe == 0xfffe:
        sys.exit(print("U+%04X" % o))
PY
}
for u in "$PAGE_CGI/feed.atom" "$PAGE_FCGI/status/weather/feed.atom"; do
	req "$u"
	is "$ST" 200 "$u: 200"
	like "$(cat "$RB")" "odd $(printf '\357\277\275') $(printf '\357\277\275') $(printf '\357\277\275') $(printf '\357\277\275') end" \
	    "$u: each noncharacter of the title is U+FFFD"
	xmllint --noout "$RB" 2>"$TMP/xml.err"
	is "$?:$(head -c 200 "$TMP/xml.err")" "0:" "$u: well-formed to xmllint"
	is "$(python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$RB" 2>&1 | tail -1)" "" \
	    "$u: well-formed to python's expat"
	is "$(xmlchars "$RB")" "" "$u: no character XML excludes, no noncharacter"
done
for u in "$PAGE_FCGI/status/weather" "$PAGE_CGI/report/weather" "$PAGE_CGI/status"; do
	req "$u"
	is "$ST:$(xmlchars "$RB")" "200:" "$u: no character XML excludes, no noncharacter"
done
like "$(cat "$RB")" "ctl $(printf '\357\277\275')" "the stored post is shown, mended"

unlike "$(cat "$PAGE_LOG" "$PAGE_FCGI_ERR")" 'AddressSanitizer|runtime error' "no sanitizer report"
done_testing
