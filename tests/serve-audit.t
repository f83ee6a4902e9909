#!/usr/bin/env bash
# serve-audit.t - /audit.json and /audit: the saved registry audit through
# mcp-serve as a CGI behind nginx and fcgiwrap, over a store filled by the
# real push and verdict (MCP_NOW) and audited by the real mcp-aggregate
# audit --save, twice, so that the page has its movement: the JSON as
# saved, the caching headers and ETags (304, HEAD), 404 before any save,
# 503 for a store out of reach, 500 for a saved value that does not read,
# every registry string escaped in the page, its servers and remotes and
# what the last sync left out, the public censuses' buckets and the
# readiness, an audit saved before servers read as it was; and the page
# in headless Chromium (tests/browser/audit.mjs), with
# its screenshots.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/serve-lib.sh
source "$TOP/tests/serve-lib.sh"
# shellcheck source=tests/aggregate-lib.sh
source "$TOP/tests/aggregate-lib.sh"

[ -x "$BIN/mcp-serve" ] || skip_all "no $BIN/mcp-serve"
export PATH="$PATH:/usr/sbin"
for t in nginx fcgiwrap; do
	command -v "$t" >/dev/null || skip_all "$t is not installed"
done

start_redis
export MCP_SPOOL=$TMP/spool MCP_REDIS=unix://$REDIS_SOCK
SERVE_REDIS_DOWN=unix://$TMP/nobody.sock
rc() { redis-cli -s "$REDIS_SOCK" "$@"; }

# reg SLUG NAME-AS-JSON [STATE [REMOTE]]: one field of mcp:registry:servers.
reg() {
	rc hset mcp:registry:servers "$1" \
	    "{\"name\":$2,\"version\":\"1.0.0\",\"remote\":${4:-0},\"type\":\"streamable-http\",\"url\":\"https://mcp.example.com/mcp\",\"headers\":[],\"status\":\"active\",\"state\":\"${3:-probe}\",\"reason\":null,\"registry\":\"https://registry.modelcontextprotocol.io\",\"updated_at\":\"2026-11-20T10:00:00Z\",\"synced_at\":$T0}" >/dev/null
}
reg io.example.ok '"io.example/ok"'
reg io.example.far '"io.example/<script>alert(1)</script> & \"far\""'
reg io.example.vars '"io.example/vars"' needs-configuration
# A second remote of io.example/ok, broken: the server stays healthy.
reg io.example.ok-1 '"io.example/ok"' probe 1
{
	gen -s io.example.ok -r "$ALL" -n 10
	gen -s io.example.ok-1 -r "$ALL" -n 10 -f dns
	gen -s io.example.far -r "$FOUR_AP_LAST" -n 10
	gen -s io.example.far -r ap-southeast-1 -n 10 -f connect
} | registry_marks | push 2>/dev/null
run_windows 0 9

start_nginx_cgi || { ok 1 "nginx and fcgiwrap start"; done_testing; }
U=$NGINX_CGI

get "$U/audit.json"
is "$ST:$(body)" '404:{"error":"no audit saved"}' "/audit.json before any save: 404"
get "$U/audit"
is "$ST" 404 "/audit before any save: 404"

mcp-aggregate audit --period 10m --at $(($(w 9) + 95)) --save >/dev/null
gen -s io.example.far -r "$ALL" -n 10 -t "$(w 10)" | registry_marks | push 2>/dev/null
gen -s io.example.ok -r "$ALL" -n 10 -t "$(w 10)" | registry_marks | push 2>/dev/null
gen -s io.example.ok-1 -r "$ALL" -n 10 -t "$(w 10)" -f dns | registry_marks | push 2>/dev/null
run_windows 10 19
reg io.example.far2 '"io.example/far2"'
gen -s io.example.far2 -r "$FOUR_AP_LAST" -n 10 -t "$(w 10)" | registry_marks | push 2>/dev/null
gen -s io.example.far2 -r ap-southeast-1 -n 10 -t "$(w 10)" -f connect | registry_marks | push 2>/dev/null
run_windows 10 19 io.example.far2
rc hset mcp:registry:sync skipped 3 remotes_dropped 1 >/dev/null
mcp-aggregate audit --period 10m --at $(($(w 19) + 95)) --save >/dev/null
is "$(rc hexists mcp:registry:audit previous)" 1 "two audits saved"

# --- /audit.json ----------------------------------------------------------
get "$U/audit.json"
is "$ST" 200 "/audit.json: 200"
is "$(body)" "$(rc hget mcp:registry:audit last)" "the body is the saved audit, byte for byte"
is "$(hdr Content-Type)" "application/json; charset=utf-8" "JSON"
is "$(hdr Cache-Control)" "public, max-age=60, stale-while-revalidate=300" "the API's caching"
is "$(hdr Access-Control-Allow-Origin)" "*" "CORS"
ETAG=$(hdr ETag)
like "$ETAG" '^"audit-[0-9a-f]{16}"$' "an ETag of the saved text"
get -H "If-None-Match: $ETAG" "$U/audit.json"
is "$ST:$(wc -c <"$RB")" "304:0" "If-None-Match: 304, no body"
get -H "If-None-Match: W/$ETAG" -H 'Accept-Encoding: gzip' "$U/audit.json"
is "$ST" 304 "a weak tag (nginx's gzip) matches too"
len=$(rc hget mcp:registry:audit last | head -c -1 | wc -c)
get -I "$U/audit.json"
is "$ST:$(hdr Content-Length):$(hdr ETag)" "200:$len:$ETAG" "HEAD: the headers of GET"
get "$U/audit.json"
is "$(jq -c '[.regional[].slug, .movement.table]' "$RB")" \
    '["io.example.far2",[{"from":"regionally-degraded","to":"healthy","count":1},{"from":"new","to":"regionally-degraded","count":1}]]' \
    "the movement of the saved audit"

# --- /audit ---------------------------------------------------------------
get "$U/audit"
is "$ST" 200 "/audit: 200"
is "$(hdr Content-Type)" "text/html; charset=utf-8" "HTML"
is "$(hdr Cache-Control)" "public, max-age=60" "the pages' caching"
like "$(hdr Content-Security-Policy)" "default-src 'none'" "the pages' CSP"
PTAG=$(hdr ETag)
like "$PTAG" '^"audit-page-[0-9a-f]{16}"$' "an ETag of its own"
page=$(body)
like "$page" '<h1>Registry audit</h1>' "the heading"
like "$page" '<tr><td>regionally-degraded</td><td class="num">1</td><td class="num">25.00%</td><td class="num">1</td></tr>' \
    "the buckets with servers, percentages and remotes"
like "$page" '<p class="sub">4 servers with 5 remotes: a server takes the bucket of its best remote.</p>' \
    "the servers and the remotes, and the rule"
like "$page" '<th>Total</th><th class="num">4</th><th class="num">100%</th><th class="num">5</th>' \
    "the totals of both"
like "$page" '<p class="sub">The last registry sync skipped 3 entries and dropped 1 remotes.</p>' \
    "what the last sync left out"
like "$page" '<tr><td><a href="/status/io.example.ok-1">io.example.ok-1</a></td><td><bdi>io.example/ok</bdi></td><td>broken:dns</td><td><a href="/status/io.example.ok">io.example.ok</a></td><td>healthy</td></tr>' \
    "a remote apart from its server, both linked"
like "$page" '<td><a href="/status/io.example.far2">io.example.far2</a></td><td><bdi>io.example/far2</bdi></td><td class="num">100.00%</td><td>ap-southeast-1 \(100.00%\)</td><td>eu-west-2, sa-east-1, us-east-1, us-west-2</td>' \
    "the regionally degraded server with its regions"
like "$page" '<tr><td>regionally-degraded</td><td>healthy</td><td class="num">1</td></tr>' "the movement table"
like "$page" '<section><h2>As the public censuses count</h2><p class="sub">[^<]* shares of the 3 servers probed\.</p>' \
    "the public censuses' buckets, shares of the servers probed"
like "$page" '<tr><td>regionally-degraded</td><td class="num">1</td><td class="num">33\.33%</td></tr>' \
    "  a census bucket: servers, share"
like "$page" '<h2>Readiness for 2026.s clients</h2><p class="sub">0 of 4 servers graded' \
    "the readiness: none graded here (the probes said none)"
like "$page" '<tr><td>ungraded</td><td class="num">4</td><td class="num">100\.00%</td></tr>' "  all ungraded"
like "$page" '<td><bdi>io.example/&lt;script&gt;alert\(1\)&lt;/script&gt; &amp; &quot;far&quot;</bdi></td><td>regionally-degraded</td><td>healthy</td>' \
    "a server that moved, its hostile registry name escaped and isolated (bdi)"
unlike "$page" '<script' "no script element anywhere"
get -H "If-None-Match: $PTAG" "$U/audit"
is "$ST" 304 "the page's ETag: 304"

# --- a store out of reach, a value that does not read ---------------------
get -H 'X-Test-Env: down' "$U/audit.json"
is "$ST:$(hdr Retry-After)" "503:30" "/audit.json with the store out of reach: 503"
get -H 'X-Test-Env: down' "$U/audit"
is "$ST" 503 "/audit likewise"

# --- the page in a browser ------------------------------------------------
CHROMIUM=
for c in /usr/lib/chromium/chromium /usr/bin/chromium; do
	[ -x "$c" ] && CHROMIUM=$c && break
done
if [ -n "$CHROMIUM" ] && [ -d "$TOP/tests/node_modules/puppeteer-core" ]; then
	SHOTS=$BIN/screenshots
	mkdir -p "$SHOTS"
	export CHROMIUM SHOTS BASE=$U
	node_rc=none
	while IFS=$'\t' read -r st name detail; do
		case $st in
		ok) ok 0 "browser: $name" ;;
		'not ok')
			ok 1 "browser: $name"
			[ -z "$detail" ] || printf '#   %s\n' "$detail"
			;;
		exit) node_rc=$name ;;
		esac
	done < <(cd "$TOP/tests" && node browser/audit.mjs 2>"$TMP/node.err"; printf 'exit\t%s\n' "$?")
	is "$node_rc" 0 "browser/audit.mjs ran to its end"
	[ "$node_rc" = 0 ] || diag "$(tail -5 "$TMP/node.err")"
	ok "$([ -s "$SHOTS/audit-1280.png" ] && [ -s "$SHOTS/audit-360.png" ]; echo $?)" \
	    "screenshots in $SHOTS/audit-*.png"
else
	diag "no chromium or puppeteer-core: the browser checks are skipped"
fi

# --- a saved audit whose lists were cut, one too large ---------------------
rc hset mcp:registry:audit last '{"v":1,"type":"audit","as_of":"2026-11-24T16:19:00Z","period":600,"total":1,"buckets":{"regionally-degraded":{"count":1500,"percent":100,"slugs":[]}},"deleted":{"count":0,"slugs":[]},"regional":[{"slug":"io.example.far","name":"io.example/\u202efar","share":50,"regions":[],"healthy_from":[]}],"movement":{"previous_as_of":"2026-11-23T16:19:00Z","table":[{"from":"new","to":"regionally-degraded","count":2500}],"moved":[{"slug":"io.example.far","name":"io.example/\u202efar","from":"new","to":"regionally-degraded"}],"moved_count":2500}}' >/dev/null
get "$U/audit"
page=$(body)
is "$ST" 200 "a saved audit whose lists were cut: 200"
like "$page" $'<td><bdi>io.example/\xe2\x80\xaefar</bdi></td><td class="num">50.00%</td>' \
    "a bidi override of a registry name is isolated in its cell"
unlike "$page" 'Remotes' "an audit saved before servers: no column of remotes"
like "$page" '<p class="sub">And 1499 more, of smaller shares \(the audit lists 1\).</p>' \
    "the regional servers the audit leaves out are counted"
like "$page" '<p class="sub">And 2499 more, counted in the table above; <a href="/audit.json">/audit.json</a> lists 1 in all' \
    "so are the servers that moved"
{
	printf '{"v":1,"pad":"'
	head -c $((8 * 1048576)) /dev/zero | tr '\0' x
	printf '"}'
} | rc -x hset mcp:registry:audit last >/dev/null
get "$U/audit.json"
is "$ST" 500 "a saved audit past 8 MB is not served"
get "$U/audit"
is "$ST" 500 "nor its page"
like "$(cat "$NGINX_CGI_LOG")" 'mcp-serve: mcp:registry:audit last: 8388624 bytes, past 8388608' "and mcp-serve says why"

rc hset mcp:registry:audit last '{"v":1,' >/dev/null
get "$U/audit.json"
is "$ST" 500 "a saved value that does not read: 500, not served as JSON"
get "$U/audit"
is "$ST" 500 "nor as a page"
like "$(cat "$NGINX_CGI_LOG")" 'mcp-serve: mcp:registry:audit last: ' "and mcp-serve says why"
done_testing
