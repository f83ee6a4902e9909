#!/usr/bin/env bash
# test: long (a minute or so under load: started before the rest)
# build: both (the plain build checks what the sanitizers cannot: peak memory, valgrind, the long walks)
# serve-cgi.t - mcp-serve run by hand as a CGI program, as cgit tests its
# CGI: the environment of a request set, stdin from /dev/null, the output
# parsed.  The cases a web server hides or refuses before the program runs:
# raw bytes in PATH_INFO, no PATH_INFO (REQUEST_URI, percent-decoded by
# mcp-serve), HEAD bodies, the Status lines, oversized variables, the
# config file (MCP_SERVE_CONF), the cities of other clouds' regions, and
# /healthz when the newest slugs have no verdict yet.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/serve-lib.sh
source "$TOP/tests/serve-lib.sh"

[ -x "$BIN/mcp-serve" ] || skip_all "no $BIN/mcp-serve"

start_redis
start_fixture
start_receiver
fill_store
is "$?:$(cat "$TMP/fill.err")" 0: "the pipeline fills the store: probes, pushes, verdicts and alerts, no message"
W7=$(iso "$(w 7)")
W0=$(iso "$(w 0)")

# cgi VAR=VALUE...: mcp-serve with only these CGI variables (after
# REQUEST_METHOD=GET, MCP_REDIS and MCP_NOW=$SERVE_NOW, which they may
# replace), stdin from /dev/null.  CX: its exit status; CS: the code of its
# Status line; CH, CB, CE: files with its header block (CR removed), its
# body (the bytes after the blank line) and its stderr.
CH=$TMP/cgi.h
CB=$TMP/cgi.b
CE=$TMP/cgi.err
cgi() {
	env -i PATH="$PATH" ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" \
	    REQUEST_METHOD=GET MCP_REDIS="$MCP_REDIS" MCP_NOW="$SERVE_NOW" "$@" \
	    "$BIN/mcp-serve" </dev/null >"$TMP/cgi.out" 2>"$CE"
	CX=$?
	perl -0777 -e 'my $d = <STDIN>; open(my $h, ">", $ARGV[0]); open(my $b, ">", $ARGV[1]);
	    if ($d =~ /\A(.*?)\r?\n\r?\n/s) { my ($x, $e) = ($1, $+[0]); $x =~ s/\r//g; print $h "$x\n"; print $b substr($d, $e) }
	    else { print $h "NO HEADER BLOCK\n" }' "$CH" "$CB" <"$TMP/cgi.out"
	CS=$(sed -n 's/^Status: \([0-9]*\).*/\1/p' "$CH")
	cat "$TMP/cgi.out" "$CE" >>"$TMP/cgi.all"
}
# ch NAME: a header of the last output.
ch() { RH=$CH hdr "$1"; }
cb() { cat "$CB"; }

# ------------------------------------------------------------ the output
cgi PATH_INFO=/api/embed-status/up
is "$CX:$CS:$(cat "$CE")" 0:200: "GET /api/embed-status/up: exit 0, Status 200, nothing on stderr"
is "$(head -1 "$CH")" "Status: 200 OK" "the Status line has its reason phrase"
is "$(RH=$CH no_hdrs status etag content-length)" "$EMBED_HDRS" "the headers of the contract, exact"
is "$(ch ETag):$(ch Content-Length)" "\"v1-$W7\":$(wc -c <"$CB")" "ETag, and Content-Length the body's length"
is "$(jq -r .state "$CB")" up "the body: up"
get_body=$(cb)

# Every status, its reason phrase; no header that belongs to the server.
while IFS='|' read -r status args; do
	# shellcheck disable=SC2086 # the variables are words
	cgi $args
	is "$CX:$(head -1 "$CH")" "0:Status: $status" "$args: Status: $status"
done <<-END
200 OK|PATH_INFO=/healthz
304 Not Modified|PATH_INFO=/api/embed-status/up HTTP_IF_NONE_MATCH=*
400 Bad Request|PATH_INFO=/api/status QUERY_STRING=limit=0
404 Not Found|PATH_INFO=/nope
405 Method Not Allowed|PATH_INFO=/api/embed-status/up REQUEST_METHOD=POST
503 Service Unavailable|PATH_INFO=/api/embed-status/up MCP_REDIS=unix://$TMP/nobody.sock
END
unlike "$(grep -ai '^\(transfer-encoding\|connection\|keep-alive\|status: [0-9]*\r\?$\)' "$TMP/cgi.all")" . \
    "no Transfer-Encoding, Connection or Keep-Alive header, no Status without a reason phrase"

# ------------------------------------------------------------ HEAD and 304
for r in /api/embed-status/up /api/embed-status/fresh /api/status/div/regions /api/status /metrics \
    /badge/down.svg /api/shields/up /healthz /api/embed-status/nosuch; do
	cgi PATH_INFO="$r"
	g=$(cat "$CH")
	gl=$(wc -c <"$CB")
	cgi PATH_INFO="$r" REQUEST_METHOD=HEAD
	is "$CX:$(cat "$CH")" "0:$g" "HEAD $r: the headers of GET"
	is "$(wc -c <"$CB"):$(ch Content-Length)" "0:$gl" "HEAD $r: no body at all, GET's Content-Length ($gl)"
done
for m in POST PUT; do
	cgi PATH_INFO=/api/embed-status/up REQUEST_METHOD="$m"
	is "$CS:$(cb)" '405:{"error":"method not allowed"}' "$m: 405 with its body"
done
cgi PATH_INFO=/api/embed-status/up REQUEST_METHOD=HEAD HTTP_IF_NONE_MATCH="\"v1-$W7\""
is "$CS:$(wc -c <"$CB")" 304:0 "HEAD with If-None-Match: 304, no body"
for inm in "\"v1-$W7\"" "W/\"v1-$W7\"" " W/\"v1-$W7\" " "\"x\",W/\"v1-$W7\"" "\"x\" , \"v1-$W7\"" '*' \
    "$(printf '"x%d", ' $(seq 2000))W/\"v1-$W7\""; do
	cgi PATH_INFO=/api/embed-status/up HTTP_IF_NONE_MATCH="$inm"
	is "$CX:$CS:$(wc -c <"$CB")" 0:304:0 "If-None-Match: ${inm:0:60} (${#inm} bytes): 304, no body"
done
is "$(cut -d: -f1 "$CH" | tr 'A-Z' 'a-z' | grep -E '^(etag|cache-control|vary|access-control-allow-origin)$' | sort | tr '\n' ' ')" \
    "access-control-allow-origin cache-control etag vary " "the 304: ETag, Cache-Control, Vary, Access-Control-Allow-Origin"
for inm in '' W/ '"' ',,,' "W/\"v1-$W7" "\"v1-$W7" "v1-$W7" "\"v1-$W7-\"" "\"v1-$W7\"x" "W/\"v1-$W7\"\"" 'W/*' "\"v1-$W0-stale\"" \
    "$(head -c 100000 /dev/zero | tr '\0' '"')" "$(head -c 100000 /dev/zero | tr '\0' ',')"; do
	cgi PATH_INFO=/api/embed-status/up HTTP_IF_NONE_MATCH="$inm"
	is "$CX:$CS:$(cb)" "0:200:$get_body" "If-None-Match: ${inm:0:40} (${#inm} bytes): no match, 200"
done

# ------------------------------------------------------------ paths
for p in $'/api/embed-status/up\xff' $'/api/embed-status/\xff' $'/api/embed-status/\xc3\xa9t\xc3\xa9' \
    $'/badge/\xffup.svg' $'/api/status/up\xff/regions' $'/api/embed-status/up\x01' $'/api/embed-status/up\t' \
    $'/api/embed-status/up\n' '/api/embed-status/../healthz' '/api/embed-status/up/../down' \
    "/api/embed-status/$(head -c 100000 /dev/zero | tr '\0' a)" "/$(head -c 100000 /dev/zero | tr '\0' /)" \
    '/api/embed-status/%75p' '//api/embed-status/up' '/api//embed-status/up' '/./api/embed-status/up'; do
	cgi PATH_INFO="$p"
	is "$CX:$CS:$(cb)" '0:404:{"error":"not found"}' "PATH_INFO $(printf '%q' "${p:0:50}") (${#p} bytes): 404"
done

# No PATH_INFO (or an empty one): the path of REQUEST_URI, decoded.
while IFS='|' read -r want uri; do
	cgi REQUEST_URI="$uri"
	is "$CX:$CS:$(jq -r '.state // .error' "$CB" 2>/dev/null)" "0:$want" "no PATH_INFO, REQUEST_URI $uri: $want"
done <<'END'
200:up|/api/embed-status/up
200:up|/api/embed-status/up?x=1&y=%ff
200:up|/api/embed-status/%75%70
200:up|/api/embed-status/%75%70?%00
404:not found|/api/embed-status/up%00
404:not found|/api/embed-status/%00up
404:not found|/api/embed-status/a%2fb
404:not found|/api/embed-status/up%2F
404:not found|/api/embed-status/%2e%2e%2fhealthz
404:not found|/api/embed-status/%2E%2E
404:not found|/api/embed-status/up%ff
404:not found|/api/embed-status/up%zz
404:not found|/api/embed-status/up%
404:not found|/api/embed-status/up%7
404:not found|/api/embed-status/%55P
404:not found|/api/embed-status/u+p
404:not found|/api/embed-status/up%20
END
cgi REQUEST_URI=/api/embed-status/up PATH_INFO=
is "$CS:$(jq -r .state "$CB")" 200:up "an empty PATH_INFO: REQUEST_URI"
cgi PATH_INFO=/api/embed-status/up REQUEST_URI=/cgi-bin/serve.cgi/api/embed-status/down
is "$CS:$(jq -r .state "$CB")" 200:up "PATH_INFO set: it wins over REQUEST_URI"
cgi
is "$CX:$CS" 0:200 "neither PATH_INFO nor REQUEST_URI: the path is /, the index of the status pages"
cgi REQUEST_URI='/api/status/up/regions?limit=abc'
is "$CS" 200 "REQUEST_URI's query is not the query string: regions ignore it"
cgi REQUEST_URI='/badge/up.svg?label=x' QUERY_STRING=label=%3C
like "$(cb)" 'aria-label="&lt;: up"' "the label comes from QUERY_STRING"

# ------------------------------------------------------------ methods
for m in POST PUT DELETE PATCH OPTIONS TRACE CONNECT get head '' 'GET ' GETX; do
	cgi PATH_INFO=/api/embed-status/up REQUEST_METHOD="$m" CONTENT_LENGTH=5 CONTENT_TYPE=text/plain
	is "$CX:$CS:$(ch Allow):$(cb)" '0:405:GET, HEAD:{"error":"method not allowed"}' "REQUEST_METHOD '$m': 405, Allow: GET, HEAD"
done

# ------------------------------------------------------------ query strings
cgi PATH_INFO=/badge/up.svg QUERY_STRING='label=a+b%2Bc'
like "$(cb)" 'aria-label="a b\+c: up"' "label=a+b%2Bc: a b+c"
cgi PATH_INFO=/badge/up.svg QUERY_STRING='label=%3C%26%3E%22%27'
xmllint --noout "$CB" 2>/dev/null
is "$CS:$?" 200:0 "label=<&>\"': well-formed SVG"
for q in "label=$(head -c 100000 /dev/zero | tr '\0' x)" "label=$(head -c 30000 /dev/zero | tr '\0' '&' | sed 's/&/%26/g')" \
    'label=%' 'label=%zz' 'label=%00x' 'label=%ff%fe' 'label=%C3' "theme=$(head -c 5000 /dev/zero | tr '\0' d)" \
    'theme=blue' "$(head -c 100000 /dev/zero | tr '\0' '&')" '=&=&label'; do
	cgi PATH_INFO=/badge/up.svg QUERY_STRING="$q"
	case $CS in
	200) xmllint --noout "$CB" 2>/dev/null ;;
	400) [ "$(cb)" = '{"error":"bad query"}' ] ;;
	*) false ;;
	esac
	is "$CX:$?" 0:0 "badge, QUERY_STRING ${q:0:40} (${#q} bytes): 200 and well-formed, or 400 ($CS)"
done
cgi PATH_INFO=/api/embed-status-prom QUERY_STRING='slug=%75p'
like "$(cb)" '^mcp_state\{slug="up"\} 1$' "prom: slug=%75p decoded"
cgi PATH_INFO=/api/embed-status-prom QUERY_STRING='x=1&slug=down&y'
like "$(cb)" '^mcp_state\{slug="down"\} 0$' "prom: the slug among other parameters"
for q in 'slug=%00up' 'slug=up%00' 'slug=UP' "slug=$(head -c 81 /dev/zero | tr '\0' a)" 'slug=a%2fb' 'slug=' 'slug=up%ff'; do
	cgi PATH_INFO=/api/embed-status-prom QUERY_STRING="$q"
	like "$CX:$CS" '^0:40[04]$' "prom: $q: 404 (or 400)"
done

# ------------------------------------------------------------ the store
# The commands of a request (redis INFO, less the INFO itself): the embed
# route GETs the verdict and the last probe, no more; the badge reads the
# maintenance window too; the slug index only for a slug with neither.
cmds() { redis-cli -s "$REDIS_SOCK" info commandstats | tr -d '\r' |
	awk -F'[:=,]' '/^cmdstat_/ && $1 != "cmdstat_info" { sub(/^cmdstat_/, "", $1); printf "%s=%s ", $1, $3 }'; }
# calls ARGS: cgi ARGS; CALLS: the commands it sent, by name, sorted.
calls() {
	local a b
	a=$(cmds)
	cgi "$@"
	b=$(cmds)
	CALLS=$(awk -v a="$a" -v b="$b" 'BEGIN { n = split(a, x, " "); for (i = 1; i <= n; i++) { split(x[i], kv, "="); c[kv[1]] = kv[2] }
		n = split(b, x, " "); for (i = 1; i <= n; i++) { split(x[i], kv, "="); if (kv[2] - c[kv[1]] > 0) print kv[1] ":" kv[2] - c[kv[1]] } }' |
	    sort | tr '\n' ' ')
}
calls PATH_INFO=/api/embed-status/up
is "$CALLS:$CS" "get:1 zrevrange:1 :200" "embed: GET and ZREVRANGE, one round trip"
calls PATH_INFO=/api/embed-status/up HTTP_IF_NONE_MATCH="\"v1-$W7\""
is "$CALLS:$CS" "get:1 zrevrange:1 :304" "the 304: the same two"
calls PATH_INFO=/badge/up.svg
is "$CALLS:$CS" "get:1 hmget:1 zrevrange:1 :200" "the badge: and the maintenance window"
calls PATH_INFO=/api/embed-status/nobody
is "$CALLS:$CS" "get:1 zrevrange:1 zscore:1 :404" "a slug with neither a verdict nor a probe: the slug index too (404)"
redis-cli -s "$REDIS_SOCK" zadd mcp:slugs 0 indexed-only >/dev/null
calls PATH_INFO=/api/embed-status/indexed-only
is "$CALLS:$CS:$(jq -r .state "$CB")" "get:1 zrevrange:1 zscore:1 :200:pending" "a slug in the index alone: known, pending"
redis-cli -s "$REDIS_SOCK" zrem mcp:slugs indexed-only >/dev/null

cgi PATH_INFO=/api/embed-status/up MCP_REDIS="unix://$TMP/nobody.sock"
is "$CS:$(ch Retry-After):$(ch Cache-Control):$(cb)" '503:30:no-store:{"error":"store unavailable"}' \
    "no store: 503, Retry-After: 30, no-store"
like "$(cat "$CE")" 'nobody\.sock' "the store's error text is on stderr"
cgi PATH_INFO=/api/embed-status/up MCP_REDIS="redis://:sekrit-pw@127.0.0.1:$(free_port)"
is "$CS:$(cat "$TMP/cgi.out" "$CE" | grep -c sekrit)" 503:0 \
    "no store at a URL with a password: 503, the password neither in the answer nor on stderr"
cgi PATH_INFO=/api/embed-status/up MCP_REDIS="bogus://x"
like "$CS" '^(500|503)$' "a store URL of no known scheme: 500 or 503 ($CS)"
unlike "$(cb)" 'bogus' "and the URL is not in the answer"

# MCP_SERVE_CONF: the store when MCP_REDIS is not set, and cities.
cat >"$TMP/serve.conf" <<END
# mcp-serve's config, as an operator writes it

store $MCP_REDIS
region eu-west-2 51.5 -0.12 Greater London
region lab-1 0 0 Testville
END
# The line of SPEC.md, a comment after the store URL.
printf 'store %s      # used when MCP_REDIS is not set\n' "$MCP_REDIS" >"$TMP/comment.conf"
cgi PATH_INFO=/api/embed-status/up MCP_REDIS= MCP_SERVE_CONF="$TMP/comment.conf"
is "$CS:$(jq -r .state "$CB")" 200:up "MCP_SERVE_CONF: 'store URL   # comment', SPEC.md's line: the URL before the comment"
cgi PATH_INFO=/api/status/up/regions MCP_REDIS= MCP_SERVE_CONF="$TMP/serve.conf"
is "$CX:$CS:$(jq -r '[.regions[].city] | join(",")' "$CB" 2>/dev/null)" "0:200:Singapore,Greater London,N. Virginia" \
    "MCP_SERVE_CONF: its store (MCP_REDIS empty), eu-west-2's city replaced"
env -i PATH="$PATH" ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" REQUEST_METHOD=GET \
    PATH_INFO=/api/embed-status/up MCP_NOW="$SERVE_NOW" MCP_SERVE_CONF="$TMP/serve.conf" "$BIN/mcp-serve" </dev/null >"$TMP/o" 2>&1
like "$(cat "$TMP/o")" '"state":"up"' "MCP_SERVE_CONF: its store, MCP_REDIS unset"
cgi PATH_INFO=/api/embed-status/up MCP_REDIS="unix://$TMP/nobody.sock" MCP_SERVE_CONF="$TMP/serve.conf"
is "$CS" 503 "MCP_REDIS set wins over the config's store"
cgi PATH_INFO=/api/embed-status/up MCP_SERVE_CONF="$TMP/no-such.conf"
like "$CX:$CS" '^0:(200|500|503)$' "a config file that is not there: no crash ($CS)"

# Regions of other clouds, and one of no cloud (its city from the config).
t=$(($(w 7) + 3))
for r in europe-west2 uksouth lhr lab-1; do
	MCP_NOW=$t mcp-probe -r "$r" -s lab -t 5 "$FIX/open/mcp"
done >"$TMP/lab.jsonl"
MCP_NOW=$((t + 1)) mcp-aggregate push <"$TMP/lab.jsonl" 2>>"$TMP/lab.err"
MCP_NOW=$(($(w 7) + 95)) mcp-aggregate verdict lab >/dev/null 2>>"$TMP/lab.err"
is "$(cat "$TMP/lab.err")" "" "slug lab probed from GCP, Azure, Fly.io and an unknown region"
cgi PATH_INFO=/api/status/lab/regions
is "$(jq -r '[.regions[] | .region + "=" + (.city // "null")] | join(" ")' "$CB")" \
    "europe-west2=London lab-1=null lhr=London uksouth=London" "built-in cities of GCP europe-west2, Azure uksouth, Fly.io lhr; none for lab-1"
cgi PATH_INFO=/api/status/lab/regions MCP_SERVE_CONF="$TMP/serve.conf"
is "$(jq -r '.regions[] | select(.region == "lab-1") | .city' "$CB")" Testville "lab-1's city from the config file"

# ------------------------------------------------------------ maintenance
# A window registered with mcp-alert maint: shown while in force by the
# badge, the shields endpoint, /api/status and the regions detail; the
# five fields of the embed route keep the verdict's state.
MCP_NOW=$SERVE_NOW mcp-alert -R "$MCP_REDIS" maint add down --start $((SERVE_NOW - 60)) --for 1h \
    --reason 'db "upgrade" <v2>' 2>"$TMP/maint.err"
is "$?:$(cat "$TMP/maint.err")" 0: "a maintenance window for down, in force"
until_iso=$(iso $((SERVE_NOW - 60 + 3600)))
cgi PATH_INFO=/api/embed-status/down
is "$(jq -c 'keys_unsorted' "$CB"):$(jq -r .state "$CB"):$(ch ETag)" \
    "[\"state\",\"uptime_30d\",\"p95_ms\",\"last_probe_ago\",\"as_of\"]:down:\"v1-$W7\"" \
    "the embed route: the five fields, the verdict's state (down), its ETag"
cgi PATH_INFO=/badge/down.svg
is "$CS:$(grep -o 'aria-label="[^"]*"' "$CB"):$(grep -c 'class="maintenance"' "$CB"):$(ch ETag)" \
    "200:aria-label=\"mcp: maintenance\":1:\"v1-$W7-maint\"" "the badge: maintenance, its colour, a tag of its own"
cgi PATH_INFO=/api/shields/down
is "$(jq -c '[.message, .color, .isError]' "$CB")" '["maintenance","blue",null]' "shields: maintenance, blue"
cgi PATH_INFO=/api/status
is "$(jq -c '.slugs[] | select(.slug == "down") | .maintenance' "$CB")" \
    "{\"reason\":\"db \\\"upgrade\\\" <v2>\",\"until\":\"$until_iso\"}" "/api/status carries the window"
is "$(jq -c '[.slugs[] | select(.slug != "down") | .maintenance] | unique' "$CB")" '[null]' \
    "and null for every other slug"
cgi PATH_INFO=/api/status/down/regions
is "$(jq -c '.maintenance.until' "$CB")" "\"$until_iso\"" "the regions detail carries it"
cgi PATH_INFO=/status/down
like "$(cb)" "<h2>Scheduled maintenance</h2><p>Until <time datetime=\"$until_iso\">[^<]*</time>: db &quot;upgrade&quot; &lt;v2&gt;\\.</p>" \
    "the status page: a notice with the reason, escaped, and until when"
MCP_NOW=$SERVE_NOW mcp-alert -R "$MCP_REDIS" maint end down
cgi PATH_INFO=/badge/down.svg
is "$(grep -o 'aria-label="[^"]*"' "$CB"):$(ch ETag)" "aria-label=\"mcp: down\":\"v1-$W7\"" \
    "the window ended (maint end): the badge says down again"

# ------------------------------------------------------------ /healthz
cgi PATH_INFO=/healthz
is "$CS:$(cb)" '200:{"status":"ok","store":"ok","slugs":10,"newest_verdict_age_s":100,"newest_result_age_s":97}' \
    "/healthz: 200, 10 slugs, newest verdict 100 s, newest result 97 s (the late push)"
cgi PATH_INFO=/healthz MCP_NOW=$((SERVE_NOW + 200))
is "$CS:$(jq -r '[.status, .newest_verdict_age_s] | join(" ")' "$CB")" "200:ok 300" "/healthz, the newest verdict 300 s old: ok"
cgi PATH_INFO=/healthz MCP_NOW=$((SERVE_NOW + 201))
is "$CS:$(jq -r '[.status, .newest_verdict_age_s] | join(" ")' "$CB")" "503:verdicts-stale 301" "/healthz, 301 s: 503 verdicts-stale"
cgi PATH_INFO=/api/embed-status/up MCP_NOW=$((SERVE_NOW + 200))
is "$(jq -r .state "$CB"):$(ch ETag)" "up:\"v1-$W7\"" "the embed route, the verdict 300 s old: still up"
cgi PATH_INFO=/api/embed-status/up MCP_NOW=$((SERVE_NOW + 201))
is "$(jq -r .state "$CB"):$(ch ETag)" "pending:\"v1-$W7-stale\"" "301 s: pending, the -stale ETag"
# Three servers join the fleet: pushed, not decided yet (the next verdict
# pass will).  The verdicts of the others are as fresh as they were.
for s in new1 new2 new3; do
	MCP_NOW=$(($(w 7) + 30)) mcp-probe -r eu-west-2 -s "$s" -t 5 "$FIX/open/mcp"
done | MCP_NOW=$(($(w 7) + 31)) mcp-aggregate push
cgi PATH_INFO=/healthz
# /healthz reads the newest window mcp-aggregate verdict decided
# (mcp:verdict:newest), not the verdicts of the slugs probed last, which
# have none yet.
is "$CS:$(cb)" '200:{"status":"ok","store":"ok","slugs":13,"newest_verdict_age_s":100,"newest_result_age_s":70}' \
    "/healthz: three new slugs not yet decided: still 200 ok, newest verdict 100 s"
# The probes stop (issue 26): verdicts go on being decided, unknown, and
# /healthz says probes-stale once no result has come for 5 minutes.
MCP_NOW=$(($(w 10) + 95)) mcp-aggregate verdict >/dev/null 2>&1
cgi PATH_INFO=/healthz MCP_NOW=$(($(w 10) + 100))
is "$CS:$(cb)" '200:{"status":"ok","store":"ok","slugs":13,"newest_verdict_age_s":100,"newest_result_age_s":250}' \
    "/healthz: verdicts of window 10, no result for 250 s: still ok"
MCP_NOW=$(($(w 11) + 95)) mcp-aggregate verdict >/dev/null 2>&1
cgi PATH_INFO=/healthz MCP_NOW=$(($(w 11) + 100))
is "$CS:$(cb)" '503:{"status":"probes-stale","store":"ok","slugs":13,"newest_verdict_age_s":100,"newest_result_age_s":310}' \
    "/healthz: verdicts fresh, no result for 310 s: 503 probes-stale"

# ------------------------------------------------------------ pagination
# 1,000 slugs walked with limit 1, 2 and 7 while more are pushed: every
# slug of the walk's start once, no page over its limit, no name twice.
"$TOP/tests/gen-scenario.sh" -q -s walk -N 1000 -r eu-west-2 -t "$(w 7)" | MCP_NOW=$(($(w 7) + 31)) mcp-aggregate push 2>/dev/null
cgi PATH_INFO=/api/status QUERY_STRING=limit=1000
jq -r '.slugs[].slug' "$CB" >"$TMP/all"
cgi PATH_INFO=/api/status QUERY_STRING='limit=1000&cursor=~'"$(tail -1 "$TMP/all")"
jq -r '.slugs[].slug' "$CB" >>"$TMP/all"
walk() { # LIMIT: the pages, a line each: COUNT NAMES... (a page that fails: "status")
	local q='' n=0 extra=0 page
	while :; do
		page=$(env -i PATH="$PATH" ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" \
		    REQUEST_METHOD=GET MCP_REDIS="$MCP_REDIS" MCP_NOW="$SERVE_NOW" PATH_INFO=/api/status \
		    QUERY_STRING="limit=$1${q:+&cursor=$q}" "$BIN/mcp-serve" </dev/null |
		    sed '1,/^\r$/d' | jq -r '"\(.slugs | length) \([.slugs[].slug] | join(" "))\t\(.next // "")"')
		[ -n "$page" ] || { echo status; return; }
		echo "${page%%$'\t'*}"
		q=${page#*$'\t'}
		n=$((n + 1))
		# Slugs join the fleet as the walk goes on.
		if [ $((n % 97)) = 0 ]; then
			extra=$((extra + 1))
			"$TOP/tests/gen-scenario.sh" -q -s "added-$1-$extra" -r eu-west-2 -t "$(w 7)" |
			    MCP_NOW=$(($(w 7) + 31)) mcp-aggregate push 2>/dev/null
		fi
		[ -n "$q" ] || return
	done
}
# A walk of limit 1 is 1,000 requests: the plain build walks all three,
# the sanitizer build limit 7 (the same code, a seventh of the requests).
limits="1 2 7"
case $BIN in
*-san)
	limits=7
	echo "# limit 1 and 2 skipped in the sanitizer build: 1,500 more requests of the same code"
	;;
esac
for lim in $limits; do
	walk "$lim" >"$TMP/walk.$lim"
	tr ' ' '\n' <"$TMP/walk.$lim" | grep -v '^[0-9]*$' | grep -v '^$' >"$TMP/names.$lim"
	is "$(awk -v l="$lim" '$1 > l || $1 != NF - 1' "$TMP/walk.$lim" | wc -l):$(sort "$TMP/names.$lim" | uniq -d | wc -l):$(comm -23 <(sort "$TMP/all") <(sort "$TMP/names.$lim") | wc -l)" \
	    "0:0:0" "limit=$lim: $(wc -l <"$TMP/walk.$lim") pages, none over $lim, no slug twice, all $(wc -l <"$TMP/all") of the start listed"
done

is "$(grep -ac 'AddressSanitizer\|runtime error\|LeakSanitizer' "$TMP/cgi.all")" 0 "no sanitizer report"
done_testing
