#!/usr/bin/env bash
# test: long (a minute or so under load: started before the rest)
# browser.t - what people see, in a real browser: Debian's headless
# Chromium, driven by puppeteer-core (tests/package-lock.json; it downloads
# no browser), against mcp-serve as a FastCGI responder behind nginx, over a
# store filled by the real pipeline (mcp-probe against the fixture from three
# regions, mcp-aggregate push and verdict, mcp-alert opening and resolving
# incidents).  The windows end at the real clock, and mcp-serve runs on the
# real clock, so that its verdicts are fresh.
#
# Checked (tests/browser/run.mjs, one browser for every case):
#   - the widget (embed.js) on a host page of another origin: each state x
#     style x theme (texts, colours, the link, data-mcp-uptime-state); the
#     pending state for an unknown slug, an API answering 500, one that
#     never answers (the 4-second timeout), one without the CORS header, a
#     body that is not JSON; two mounts and the script loaded twice; hostile
#     data-server values; no slug (the invite card);
#   - the status page of each state at 360 and 1280 px, light and dark, with
#     JavaScript on and off; the incident card, the 30 bars, the stale
#     banner, the CSP, no script, no host, hash or error text; /status;
#     the probe-fault banner of a region whose runner's canary fails;
#   - axe-core on the status pages and on the host page: no serious or
#     critical violation.
# Screenshots of every case: $MCP_BIN/screenshots/NAME.png (docs/screenshots/
# holds copies of two, made by hand from a run).
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"

[ -x "$BIN/mcp-serve" ] || skip_all "no $BIN/mcp-serve"
export PATH="$PATH:/usr/sbin"
for t in nginx spawn-fcgi redis-server; do
	command -v "$t" >/dev/null || skip_all "$t is not installed"
done
CHROMIUM=
for c in /usr/lib/chromium/chromium /usr/bin/chromium; do
	[ -x "$c" ] && CHROMIUM=$c && break
done
[ -n "$CHROMIUM" ] || skip_all "chromium is not installed (scripts/deps installs it)"
[ -d "$TOP/tests/node_modules/puppeteer-core" ] && [ -d "$TOP/tests/node_modules/axe-core" ] ||
    skip_all "puppeteer-core or axe-core missing: cd tests && npm ci"

start_redis
start_fixture
start_receiver

# ------------------------------------------------------------ the store
# Eight windows; the last one is the latest whole minute at least 5 s
# old, so that its probes (at W + 1) are in the past.  The aggregator and
# mcp-alert run at W + 95 and W + 96 as cron would, a little ahead of the
# clock for the last window.  mcp-serve calls a verdict older than 300 s
# pending: the browser cases have some four minutes.
T7=$(( ($(date +%s) - 5) / 60 * 60 ))
T0=$((T7 - 7 * 60))
w() { echo $((T0 + 60 * $1)); }
# The slugs, by what they show (names that read well on a screenshot).
S_UP=everything      # up: three regions pass
S_DEG=weather        # degraded: eu-west-2 fails at http (HTTP 500)
S_DOWN=files         # down: eu-west-2 and us-east-1 fail at http; incident open
S_PEND=new-server    # pending: probed in the last window, never decided
S_REC=search         # up again: failed in windows 0-2, its incident resolved in 7
S_MAINT=billing      # in maintenance from window 4: down there (eu-west-2, us-east-1), not counted
S_FAULT=notes        # up: three regions pass; sa-east-1 fails it, blind (its runner's canary fails)
CLOSED=$(free_port)
printf 'route hook webhook %s/hook\nnotify * always hook\n' "$RECV" >"$TMP/alert.conf" && chmod 600 "$TMP/alert.conf"
export MCP_SPOOL=$TMP/spool.jsonl
: >"$TMP/fill.err"
fill_rc=0
for k in 0 1 2 3 4 5 6 7; do
	for r in eu-west-2 us-east-1 ap-southeast-1; do
		f=$TMP/targets.$k.$r
		printf '%s %s/open/mcp\n%s %s/open/mcp\n' "$S_UP" "$FIX" "$S_FAULT" "$FIX" >"$f"
		if [ "$r" = eu-west-2 ]; then
			printf '%s %s/status500/mcp\n' "$S_DEG" "$FIX" >>"$f"
		else
			printf '%s %s/open/mcp\n' "$S_DEG" "$FIX" >>"$f"
		fi
		if [ "$r" = ap-southeast-1 ]; then
			printf '%s %s/open/mcp\n' "$S_DOWN" "$FIX" >>"$f"
		else
			printf '%s %s/status500/mcp\n' "$S_DOWN" "$FIX" >>"$f"
			if [ "$k" -le 2 ]; then
				printf '%s %s/status500/mcp\n' "$S_REC" "$FIX" >>"$f"
			else
				printf '%s %s/open/mcp\n' "$S_REC" "$FIX" >>"$f"
			fi
		fi
		[ "$k" = 7 ] && [ "$r" = eu-west-2 ] && printf '%s %s/open/mcp\n' "$S_PEND" "$FIX" >>"$f"
		if [ "$k" -ge 4 ] && [ "$r" != ap-southeast-1 ]; then
			printf '%s %s/status500/mcp\n' "$S_MAINT" "$FIX" >>"$f"
		else
			printf '%s %s/open/mcp\n' "$S_MAINT" "$FIX" >>"$f"
		fi
		MCP_NOW=$(($(w "$k") + 1)) mcp-probe -r "$r" -t 5 -f "$f" 2>>"$TMP/fill.err"
	done >"$TMP/probes.$k"
	# A runner that cannot reach its canary: it says so, on stderr and in every record.
	printf '%s http://127.0.0.1:%s/mcp\n' "$S_FAULT" "$CLOSED" >"$TMP/targets.$k.sa-east-1"
	MCP_NOW=$(($(w "$k") + 1)) mcp-probe -r sa-east-1 -t 5 -f "$TMP/targets.$k.sa-east-1" \
	    --canary "http://127.0.0.1:$CLOSED/" >>"$TMP/probes.$k" 2>>"$TMP/canary.err"
	MCP_NOW=$(($(w "$k") + 2)) mcp-aggregate push <"$TMP/probes.$k" 2>>"$TMP/fill.err" || fill_rc=1
	[ "$k" = 3 ] && MCP_NOW=$(($(w 3) + 30)) mcp-alert -R "$MCP_REDIS" maint add "$S_MAINT" \
	    --start "$(w 4)" --for 2h --reason "Database upgrade to PostgreSQL 17" 2>>"$TMP/fill.err"
	MCP_NOW=$(($(w "$k") + 95)) mcp-aggregate verdict "$S_UP" "$S_DEG" "$S_DOWN" "$S_REC" "$S_MAINT" "$S_FAULT" \
	    >"$TMP/verdicts.$k" 2>>"$TMP/fill.err" || fill_rc=1
	MCP_NOW=$(($(w "$k") + 96)) mcp-alert -c "$TMP/alert.conf" <"$TMP/verdicts.$k" \
	    >>"$TMP/alerts" 2>>"$TMP/fill.err" || fill_rc=1
done
is "$fill_rc:$(cat "$TMP/fill.err")" 0: "the pipeline fills the store: probes, pushes, verdicts and alerts, no message"
is "$(sort -u "$TMP/canary.err")" "mcp-probe: canary http://127.0.0.1:$CLOSED/ failed: connect_refused: connection refused" \
    "sa-east-1's runner says each window that its canary failed"
rc() { redis-cli -s "$REDIS_SOCK" "$@"; }
is "$(jq -r '[.slug, .verdict, .severity] | join(" ")' "$TMP/verdicts.7" | sort | tr '\n' ',')" \
    "$S_MAINT red alert,$S_UP green ok,$S_DOWN red alert,$S_FAULT green ok,$S_REC green ok,$S_DEG amber regional," \
    "the last window's verdicts: red (in maintenance), green, red, green (sa-east-1 a probe fault), green, amber"
is "$(jq -r 'select(.slug == "'"$S_FAULT"'") | .probe_fault | join(",")' "$TMP/verdicts.7")" sa-east-1 \
    "$S_FAULT: sa-east-1 is a probe fault"
is "$(jq -r 'select(.slug == "'"$S_MAINT"'") | .event' "$TMP/alerts" | sort -u | tr '\n' ' ')" "suppressed " \
    "$S_MAINT: its outage inside the maintenance window pages nobody (suppressed)"
is "$(rc hkeys "mcp:{$S_DOWN}:incident")" down "$S_DOWN: an open downtime incident"
is "$(rc lrange "mcp:{$S_REC}:incidents" 0 -1 | jq -r .event)" resolve "$S_REC: a resolved incident in its history"

# What no page may show: the servers' URLs, error codes and messages, tool
# hashes and probe ids, from the probes themselves.
cat "$TMP"/probes.* | jq -r 'select(.type == "result") | .url, .probe_id, (.error // {} | .code, .message),
    (.tool_hash // empty | ., sub("^sha256:"; "")[0:16])' | grep -v '^null$' | sort -u |
    jq -R . | jq -s '. + ["127.0.0.1", "localhost", "sha256", "status500", "/mcp"]' >"$TMP/secrets.json"

# ------------------------------------------------------------ the servers
# mcp-serve as a FastCGI responder (spawn-fcgi: two processes, the socket
# on their stdin), on the real clock.  One nginx, a server per origin:
#   API     every path to mcp-serve: the widget's API and the status pages
#   FAR     the same with MCP_NOW an hour after the last window: stale data
#   HOST    the host pages ($TMP/host), another origin
#   E500    embed.js from mcp-serve, /api/ answers 500 (with the CORS header)
#   HANG    embed.js from mcp-serve, /api/ proxied to a listener that accepts
#           and never answers
#   NOCORS  mcp-serve with its Access-Control-Allow-Origin hidden
#   BADJSON /api/ answers 200 with a body that is not JSON
#   FAKE    /api/ answers 200 JSON with a state the contract does not have
d=$TMP/www
mkdir -p "$d/tmp" "$TMP/host"
spawn-fcgi -s "$d/fcgi.sock" -M 0600 -F 2 -P "$d/fcgi.pid" -- \
    /usr/bin/env MCP_REDIS="$MCP_REDIS" "$BIN/mcp-serve" >>"$d/spawn.out" 2>>"$d/fcgi.err"
n=50
while [ "$(wc -l <"$d/fcgi.pid" 2>/dev/null || echo 0)" -lt 2 ] && [ "$n" -gt 0 ]; do
	sleep 0.1
	n=$((n - 1))
done
for p in $(cat "$d/fcgi.pid" 2>/dev/null); do
	bg_pid "$p"
done
node -e 'const s = require("net").createServer(c => c.on("error", () => {}));
	s.listen(0, "127.0.0.1", () => require("fs").writeFileSync(process.argv[1], String(s.address().port)))' \
    "$d/hang.port" &
bg_pid $!
wait_file "$d/hang.port" || diag "the silent listener did not start"
declare -A PORT
for o in API FAR HOST E500 HANG NOCORS BADJSON FAKE; do
	PORT[$o]=$(free_port)
done
FAR_NOW=$(($(w 7) + 3700))
# fcgi LOCATION [EXTRA]: a location that hands every request to mcp-serve.
fcgi() {
	cat <<-EOF
		location $1 {
			include /etc/nginx/fastcgi_params;
			fastcgi_param SCRIPT_FILENAME $BIN/mcp-serve;
			fastcgi_param PATH_INFO \$uri;
			fastcgi_param MCP_REDIS $MCP_REDIS;
			fastcgi_param ASAN_OPTIONS "$ASAN_OPTIONS";
			fastcgi_param UBSAN_OPTIONS "$UBSAN_OPTIONS";
			fastcgi_pass unix:$d/fcgi.sock;
			${2:-}
		}
	EOF
}
# srv NAME BODY: a server block on NAME's port.
srv() { printf 'server {\n\tlisten 127.0.0.1:%s;\n%s\n}\n' "${PORT[$1]}" "$2"; }
{
	nginx_head "$d"
	cat <<-EOF
		include /etc/nginx/mime.types;
		gzip on;
		gzip_types application/json text/css text/javascript image/svg+xml;
	EOF
	srv API "$(fcgi /)"
	srv FAR "$(fcgi / "fastcgi_param MCP_NOW $FAR_NOW;")"
	srv HOST "root $TMP/host;"
	srv E500 "$(fcgi "= /embed.js")
		location /api/ {
			add_header Access-Control-Allow-Origin * always;
			default_type application/json;
			return 500 '{\"error\":\"store unavailable\"}';
		}"
	srv HANG "$(fcgi "= /embed.js")
		location /api/ {
			proxy_pass http://127.0.0.1:$(cat "$d/hang.port");
			proxy_read_timeout 60s;
		}"
	srv NOCORS "$(fcgi / 'fastcgi_hide_header Access-Control-Allow-Origin;')"
	srv BADJSON "$(fcgi "= /embed.js")
		location /api/ {
			add_header Access-Control-Allow-Origin * always;
			default_type application/json;
			return 200 '<html>not json';
		}"
	srv FAKE "$(fcgi "= /embed.js")
		location /api/ {
			add_header Access-Control-Allow-Origin * always;
			default_type application/json;
			return 200 '{\"state\":\"green\",\"uptime_30d\":100,\"p95_ms\":1,\"last_probe_ago\":\"1s\",\"as_of\":null}';
		}"
	echo '}'
} >"$d/nginx.conf"
nginx -p "$d" -c "$d/nginx.conf" -e "$d/error.log" \
    -g "daemon off; pid $d/nginx.pid; error_log $d/error.log info;" >>"$d/nginx.out" 2>&1 &
bg_pid $!
for o in API FAR HOST E500 HANG NOCORS BADJSON FAKE; do
	printf -v "$o" 'http://127.0.0.1:%s' "${PORT[$o]}"
done
wait_http "$API/healthz" && wait_http "$HOST/"
is "$(curl -s "$API/healthz" | jq -r .status)" ok "nginx and mcp-serve answer: /healthz ok"
for s in "$S_UP:up" "$S_DEG:degraded" "$S_DOWN:down" "$S_PEND:pending" "$S_REC:up"; do
	is "$(curl -s "$API/api/embed-status/${s%:*}" | jq -r .state)" "${s#*:}" \
	    "/api/embed-status/${s%:*} on the real clock: ${s#*:}"
done
h=$(curl -s -D - -o /dev/null "$NOCORS/api/embed-status/$S_UP" | tr -d '\r')
ok "$(printf '%s' "$h" | grep -q '^HTTP/1.1 200' && ! printf '%s' "$h" | grep -qi '^access-control-allow-origin' && echo 0 || echo 1)" \
    "the NOCORS origin: mcp-serve's 200, its Access-Control-Allow-Origin hidden"

# ------------------------------------------------------------ the host pages
# host NAME TITLE BODY: $TMP/host/NAME.html, a plain page of another origin.
host() {
	cat >"$TMP/host/$1.html" <<-EOF
	<!doctype html>
	<html lang="en"><head><meta charset="utf-8">
	<meta name="viewport" content="width=device-width, initial-scale=1">
	<title>$2</title>
	<style>
	body { font: 16px/1.5 "DejaVu Sans", sans-serif; margin: 0 auto; max-width: 1180px; padding: 16px 24px; color: #1f2328; }
	.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(270px, 1fr)); gap: 12px; margin: 8px 0 20px; }
	.dark { background: #010409; color: #e6edf3; padding: 12px; border-radius: 8px; }
	p.badges > span { margin-right: 10px; }
	${4:-}
	</style></head>
	<body><main><h1>$2</h1>
	$3
	</main></body></html>
	EOF
}
# mount SLUG STYLE THEME [ID]: one widget mount.
mount() {
	if [ -n "${4:-}" ]; then
		printf '<div id="mcp-uptime-embed" data-server="%s" data-style="%s" data-theme="%s"></div>\n' "$1" "$2" "$3"
	else
		printf '<div class="mcp-uptime-embed" data-server="%s" data-style="%s" data-theme="%s"></div>\n' "$1" "$2" "$3"
	fi
}
script() { printf '<script async src="%s/embed.js"></script>\n' "$1"; }
ALL="$S_UP $S_DEG $S_DOWN $S_PEND"
cards() { local s; for s in $ALL; do mount "$s" card "$1"; done; }
badges() { local s; for s in $ALL; do printf '<span>%s</span>' "$(mount "$s" badge "$1" | sed 's/<div/<span/; s/<\/div>/<\/span>/')"; done; }
# Every state, style and theme on one page, by class.
host widgets "An MCP server's docs page" "<p>Four servers, each state, as cards and as badges, light and dark.</p>
<h2>Cards, light</h2><div class=\"grid\">$(cards light)</div>
<div class=\"dark\"><h2>Cards, dark</h2><div class=\"grid\">$(cards dark)</div></div>
<h2>Badges, light</h2><p class=\"badges\">$(badges light)</p>
<div class=\"dark\"><h2>Badges, dark</h2><p class=\"badges\">$(badges dark)</p></div>
$(script "$API")"
# One mount by id, no style or theme: a card, light.
host single "Docs" "<p>Status:</p>$(mount "$S_UP" '' '' id | sed 's/ data-style="" data-theme=""//')$(script "$API")"
# Pending, whatever goes wrong: the slug is a real one that is up.
host unknown "Unknown slug" "$(mount nosuch-server card light id)$(script "$API")"
for o in E500 HANG NOCORS BADJSON FAKE FAR; do
	host "$(echo "$o" | tr 'A-Z' 'a-z')" "API: $o" "$(mount "$S_UP" card light id)$(script "${!o}")"
done
# Two mounts, the script twice.
host twice "Twice" "$(mount "$S_UP" card light)$(mount "$S_DOWN" badge dark)$(script "$API")$(script "$API")"
# What a page's author (or a pasted snippet) may put in data-server.
A100=$(printf 'A%.0s' $(seq 100))
host hostile "Hostile data-server" "<div class=\"mcp-uptime-embed\" data-server=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\"></div>
<div class=\"mcp-uptime-embed\" data-server=\"../../x\" data-style=\"badge\"></div>
<div class=\"mcp-uptime-embed\" data-server=\"$A100\"></div>
$(script "$API")"
# No slug: the invite card (no attribute, an empty one, one that sanitises to nothing).
host invite "Invite" "<div id=\"mcp-uptime-embed\"></div><div class=\"mcp-uptime-embed\" data-server=\"\" data-theme=\"dark\"></div>
<div class=\"mcp-uptime-embed\" data-server=\"!!! ???\"></div>$(script "$API")"
# A host page whose own styles would break a widget that did not protect itself.
host hostcss "Hostile styles" "<div class=\"mine\">the host's own div</div>$(mount "$S_UP" card light id)
<p class=\"mine2\">the host's own paragraph</p>$(script "$API")" \
    '* { box-sizing: content-box; margin: 30px; padding: 9px; line-height: 3; letter-spacing: 3px; }
	div { border: 4px solid #ff00ff; font-size: 30px; text-decoration: underline; }
	a { color: #ff00ff; text-decoration: line-through; } span { display: block; }'
# The same with floating spans (span { float: left }, a rule some themes have).
host hostfloat "Floating spans" "<p>Before.</p>$(mount "$S_UP" card light id)<p>After.</p>$(script "$API")" \
    'span { float: left; }'

# ------------------------------------------------------------ the browser
SHOTS=$BIN/screenshots
rm -rf "$SHOTS"
mkdir -p "$SHOTS"
started=$SECONDS
export API FAR HOST E500 HANG NOCORS BADJSON FAKE SHOTS CHROMIUM S_UP S_DEG S_DOWN S_PEND S_REC S_MAINT S_FAULT
export SECRETS=$TMP/secrets.json VERDICT_AT=$T7 A100
node_rc=none
while IFS=$'\t' read -r st name detail; do
	case $st in
	ok) ok 0 "$name" ;;
	'not ok')
		ok 1 "$name"
		[ -z "$detail" ] || printf '#   %s\n' "$detail"
		;;
	exit) node_rc=$name ;;
	*) printf '# %s\n' "$name" ;;
	esac
done < <(cd "$TOP/tests" && node browser/run.mjs 2>"$TMP/run.err"; printf 'exit\t%s\n' "$?")
is "$node_rc" 0 "browser/run.mjs ran to its end"
[ "$node_rc" = 0 ] || diag "$(tail -20 "$TMP/run.err")"
diag "the browser cases took $((SECONDS - started)) s; screenshots in $SHOTS"

# ------------------------------------------------------------ the rest
# The Atom feed the page links: the open incident, the resolved one.
curl -s -D "$TMP/feed.h" -o "$TMP/feed.xml" "$API/status/$S_DOWN/feed.atom"
like "$(tr -d '\r' <"$TMP/feed.h")" $'Content-Type: application/atom\\+xml' "/status/$S_DOWN/feed.atom: Atom"
is "$(grep -o '<entry>' "$TMP/feed.xml" | wc -l)" 1 "$S_DOWN's feed: one entry, its open incident"
like "$(cat "$TMP/feed.xml")" "<title>$S_DOWN: incident, the HTTP response</title>" "$S_DOWN's feed: what fails, in words"
curl -s -o "$TMP/feed2.xml" "$API/status/$S_REC/feed.atom"
like "$(cat "$TMP/feed2.xml")" "<title>$S_REC: resolved, the HTTP response \\([0-9]+ minutes?\\)</title>" \
    "$S_REC's feed: the resolved incident, with its duration"
unlike "$(cat "$d/error.log" "$d/fcgi.err")" 'AddressSanitizer|LeakSanitizer|runtime error' "no sanitizer report from mcp-serve"
done_testing
