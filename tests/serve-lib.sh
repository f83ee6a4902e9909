#!/usr/bin/env bash
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck disable=SC2034 # variables set here are read by the scripts that source it
# serve-lib.sh - mcp-serve behind real web servers, for the tests/serve*.t scripts
# Sourced after lib.sh.  Every server listens on a free port of 127.0.0.1,
# keeps its configuration, sockets, temp files and logs in $TMP and touches
# no system service or system path.
#
# What each launcher hands mcp-serve, per request:
#   MCP_REDIS  $MCP_REDIS as it is when the launcher runs
#   MCP_NOW    $SERVE_NOW when set (none otherwise)
# A request with the header X-Test-Env: NAME gets another set instead, for
# the cases a test cannot make otherwise with one running server:
#   far    MCP_NOW is $SERVE_NOW_FAR (the aggregator stopped long ago)
#   real   no MCP_NOW: the real clock
#   down   MCP_REDIS is $SERVE_REDIS_DOWN (a store nobody answers)
#   wrong  MCP_REDIS is $SERVE_REDIS_WRONG (the store with a wrong password)
# (the variables unset make the same as the default set).  Only mod_cgi
# and fcgiwrap start one process per request: the FastCGI responder takes
# MCP_REDIS from its first request or its environment, and keeps it.
#
# start_nginx_cgi [PROG]    nginx + fcgiwrap, PROG (default $BIN/mcp-serve)
#                           a CGI for every path. Sets NGINX_CGI (base URL),
#                           NGINX_CGI_LOG (nginx's error log, with the CGI's
#                           stderr, which fcgiwrap -f sends there).
# start_nginx_fcgi [PROG]   nginx + PROG as a FastCGI responder under
#                           spawn-fcgi (2 processes, the socket on their
#                           stdin, as libfcgi expects). Sets NGINX_FCGI,
#                           NGINX_FCGI_LOG (nginx's error log),
#                           NGINX_FCGI_ERR (the responders' stderr),
#                           NGINX_FCGI_PIDS (the responders' pids).
# start_lighttpd_cgi [PROG] lighttpd mod_cgi, PROG mounted at / through a
#                           rewrite to serve.cgi/PATH. Sets LIGHTTPD_CGI,
#                           LIGHTTPD_CGI_LOG (server.breakagelog, where
#                           lighttpd puts a CGI's stderr), LIGHTTPD_ERROR_LOG.
# Each returns 1 with a diag when its server does not answer, and registers
# every process it starts for the cleanup of lib.sh.

# The values of one environment set NAME (see above), as "VAR VALUE" lines;
# a VALUE empty means the variable is not passed.
_serve_env() {
	local redis=$MCP_REDIS now=${SERVE_NOW:-}
	case $1 in
	far) now=${SERVE_NOW_FAR:-$now} ;;
	real) now='' ;;
	down) redis=${SERVE_REDIS_DOWN:-$redis} ;;
	wrong) redis=${SERVE_REDIS_WRONG:-$redis} ;;
	esac
	printf 'MCP_REDIS %s\nMCP_NOW %s\n' "$redis" "$now"
	# The sanitizer build's options of lib.sh reach the CGI too (fcgiwrap
	# and mod_cgi pass it only what the server gives).
	printf 'ASAN_OPTIONS %s\nUBSAN_OPTIONS %s\n' "${ASAN_OPTIONS:-}" "${UBSAN_OPTIONS:-}"
}
_serve_sets="default far real down wrong"
_serve_vars="MCP_REDIS MCP_NOW ASAN_OPTIONS UBSAN_OPTIONS"

# _nginx_maps: nginx map blocks that set $serve_VAR by X-Test-Env, for
# each VAR of _serve_vars.
_nginx_maps() {
	local var set v
	for var in $_serve_vars; do
		printf '\tmap $http_x_test_env $serve_%s {\n' "$var"
		for set in $_serve_sets; do
			v=$(_serve_env "$set" | sed -n "s/^$var //p")
			printf '\t\t%s "%s";\n' "$set" "$v"
		done
		printf '\t}\n'
	done
}

# _nginx_start NAME PORT FASTCGI_PASS: write $TMP/NAME/nginx.conf and start
# nginx with it, in the foreground of a background job.  Every path goes to
# FASTCGI_PASS as a CGI request whose PATH_INFO is the decoded path ($uri).
_nginx_start() {
	local name=$1 port=$2 pass=$3 prog=$4 d=$TMP/$1
	{
		nginx_head "$d"
		cat <<-EOF
			gzip on;
			gzip_types application/json image/svg+xml text/plain;
			gzip_min_length 0;
		EOF
		_nginx_maps
		cat <<-EOF
			server {
				listen 127.0.0.1:$port;
				server_name localhost;
				location / {
					include /etc/nginx/fastcgi_params;
					fastcgi_param SCRIPT_FILENAME $prog;
					fastcgi_param PATH_INFO \$uri;
					fastcgi_param MCP_REDIS \$serve_MCP_REDIS if_not_empty;
					fastcgi_param MCP_NOW \$serve_MCP_NOW if_not_empty;
					fastcgi_param ASAN_OPTIONS \$serve_ASAN_OPTIONS if_not_empty;
					fastcgi_param UBSAN_OPTIONS \$serve_UBSAN_OPTIONS if_not_empty;
					fastcgi_pass $pass;
				}
			}
		}
		EOF
	} >"$d/nginx.conf"
	# -e: the error log from the start (nginx opens its built-in
	# /var/log/nginx/error.log before it reads the configuration otherwise).
	nginx -p "$d" -c "$d/nginx.conf" -e "$d/error.log" \
	    -g "daemon off; pid $d/nginx.pid; error_log $d/error.log info;" \
	    >>"$d/nginx.out" 2>&1 &
	bg_pid $!
	wait_http "http://127.0.0.1:$port/" || {
		diag "nginx ($name) did not start: $(tail -3 "$d/nginx.out" "$d/error.log")"
		return 1
	}
}

start_nginx_cgi() {
	local prog=${1:-$BIN/mcp-serve} d=$TMP/nginx-cgi port pid
	mkdir -p "$d"
	port=$(free_port)
	# fcgiwrap forks its two workers and leaves them running when it is
	# killed: each is registered too.  -f: the CGI's stderr goes over
	# FastCGI, into nginx's error log.
	fcgiwrap -f -c 2 -s "unix:$d/fcgiwrap.sock" 2>>"$d/fcgiwrap.err" &
	pid=$!
	bg_pid "$pid"
	wait_sock "$d/fcgiwrap.sock" || {
		diag "fcgiwrap did not start: $(tail -3 "$d/fcgiwrap.err")"
		return 1
	}
	_serve_children "$pid"
	_nginx_start nginx-cgi "$port" "unix:$d/fcgiwrap.sock" "$prog" || return 1
	NGINX_CGI=http://127.0.0.1:$port
	NGINX_CGI_LOG=$d/error.log
}

start_nginx_fcgi() {
	local prog=${1:-$BIN/mcp-serve} d=$TMP/nginx-fcgi port p n=50
	# SCRIPT_FILENAME names the responder itself, unless SERVE_FCGI_SCRIPT
	# names another (a responder that runs scripts: fcgiwrap).
	local script=${SERVE_FCGI_SCRIPT:-$prog}
	mkdir -p "$d"
	port=$(free_port)
	# spawn-fcgi binds the socket, forks the responders (socket on their
	# stdin) and exits; their pids are in the pid file, one a line.
	spawn-fcgi -s "$d/fcgi.sock" -M 0666 -F 2 -P "$d/fcgi.pid" -- "$prog" \
	    >>"$d/spawn.out" 2>>"$d/fcgi.err"
	while [ "$(wc -l <"$d/fcgi.pid" 2>/dev/null || echo 0)" -lt 2 ] && [ "$n" -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	NGINX_FCGI_PIDS=$(cat "$d/fcgi.pid" 2>/dev/null)
	for p in $NGINX_FCGI_PIDS; do
		bg_pid "$p"
	done
	[ -n "$NGINX_FCGI_PIDS" ] || {
		diag "spawn-fcgi did not start $prog: $(tail -3 "$d/spawn.out" "$d/fcgi.err")"
		return 1
	}
	_nginx_start nginx-fcgi "$port" "unix:$d/fcgi.sock" "$script" || return 1
	NGINX_FCGI=http://127.0.0.1:$port
	NGINX_FCGI_LOG=$d/error.log
	NGINX_FCGI_ERR=$d/fcgi.err
}

# _lighttpd_env SET: a setenv.add-environment line for one environment set.
_lighttpd_env() {
	local var v s=''
	while read -r var v; do
		[ -n "$v" ] && s="$s${s:+, }\"$var\" => \"$v\""
	done < <(_serve_env "$1")
	printf 'setenv.add-environment = ( %s )\n' "$s"
}

start_lighttpd_cgi() {
	local prog=${1:-$BIN/mcp-serve} d=$TMP/lighttpd port set
	mkdir -p "$d/docroot" "$d/tmp"
	port=$(free_port)
	# The program is the document root's serve.cgi; every URL is rewritten to
	# /serve.cgi/URL, so PATH_INFO is the path (decoded by lighttpd) and the
	# query string stays as it came.
	ln -sf "$prog" "$d/docroot/serve.cgi"
	{
		cat <<-EOF
		server.modules = ( "mod_rewrite", "mod_setenv", "mod_cgi" )
		server.document-root = "$d/docroot"
		server.bind = "127.0.0.1"
		server.port = $port
		server.errorlog = "$d/error.log"
		server.breakagelog = "$d/cgi.log"
		server.upload-dirs = ( "$d/tmp" )
		server.follow-symlink = "enable"
		cgi.assign = ( ".cgi" => "" )
		url.rewrite-once = ( "^/(.*)\$" => "/serve.cgi/\$1" )
		EOF
		_lighttpd_env default
		for set in $_serve_sets; do
			[ "$set" = default ] && continue
			printf '$REQUEST_HEADER["X-Test-Env"] == "%s" {\n\t%s}\n' "$set" "$(_lighttpd_env "$set")"
		done
	} >"$d/lighttpd.conf"
	lighttpd -D -f "$d/lighttpd.conf" >>"$d/lighttpd.out" 2>&1 &
	bg_pid $!
	LIGHTTPD_CGI=http://127.0.0.1:$port
	LIGHTTPD_CGI_LOG=$d/cgi.log
	LIGHTTPD_ERROR_LOG=$d/error.log
	: >"$LIGHTTPD_CGI_LOG"
	wait_http "$LIGHTTPD_CGI/" || {
		diag "lighttpd did not start: $(tail -3 "$d/lighttpd.out" "$d/error.log")"
		return 1
	}
}

# wait_sock PATH [TENTHS]: wait until the unix socket PATH exists.
wait_sock() { wait_for "${2:-100}" test -S "$1"; }

# _serve_children PID: register the children PID has now (fcgiwrap's
# workers, which outlive it).
_serve_children() {
	local c
	wait_for 20 pgrep -P "$1"
	for c in $(pgrep -P "$1"); do
		bg_pid "$c"
	done
}

# ------------------------------------------------------------ the store
# The windows of the scenario: T0 is a whole minute half an hour before the
# real clock (the tools are all given MCP_NOW), window k starts at T0 + 60k.
T0=$(( $(date +%s) / 60 * 60 - 1800 ))
w() { echo $((T0 + 60 * $1)); }
# iso EPOCH: ISO-8601 UTC.
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
# The clock mcp-serve is given: 100 s after window 7 starts, 5 s after its
# verdict.  FAR: an hour later, every verdict stale.
SERVE_NOW=$(( $(w 7) + 100 ))
SERVE_NOW_FAR=$(( $(w 7) + 3700 ))
# The slugs of fill_store and what each answers at SERVE_NOW.
SLUGS="up degraded down div flaky fresh stale gone bad"

# fill_store: the scenario, through the real pipeline: mcp-probe against the
# fixture ($FIX), from two or three regions, mcp-aggregate push and verdict
# as cron would run them (W + 95), mcp-alert after each verdict pass
# (deliveries to the receiver, $RECV).  Needs start_fixture, start_receiver
# and MCP_REDIS.  At SERVE_NOW:
#   up        green: eu-west-2, us-east-1 pass; ap-southeast-1 probed only
#             in window 0 (missing)
#   degraded  amber regional: eu-west-2 fails at http (HTTP 500)
#   down      red: eu-west-2 and us-east-1 fail at http
#   div       amber divergence: us-east-1 lists 5 tools (/paginate), the
#             two other regions 3 (/open)
#   flaky     green; red in windows 0-2, unknown in 3: 4 up of 7 decided
#   fresh     probed in window 7, never decided: pending, no verdict
#   stale     decided in window 0 only: pending, the verdict stale
#   gone      probed in window 0, decided in 7: unknown, pending
#   bad       decided in window 7, its stored verdict then made unreadable
# plus, with PAGES=N, N slugs page-00001... pushed (never decided), for
# the pagination of /api/status.
fill_store() {
	local k targets r slugs rc=0
	export MCP_SPOOL=$TMP/spool.jsonl
	printf 'route hook webhook %s/hook\nnotify * always hook\n' "$RECV" >"$TMP/alert.conf" && chmod 600 "$TMP/alert.conf"
	: >"$TMP/fill.err"
	for k in 0 1 2 3 4 5 6 7; do
		targets=$TMP/targets.$k
		: >"$targets.eu-west-2"
		: >"$targets.us-east-1"
		: >"$targets.ap-southeast-1"
		if [ "$k" = 0 ]; then
			for r in eu-west-2 us-east-1; do
				printf 'stale %s/open/mcp\ngone %s/open/mcp\nflaky %s/status500/mcp\n' \
				    "$FIX" "$FIX" "$FIX" >>"$targets.$r"
			done
			printf 'up %s/open/mcp\n' "$FIX" >>"$targets.ap-southeast-1"
		fi
		if [ "$k" -ge 4 ]; then
			for r in eu-west-2 us-east-1; do
				printf 'up %s/open/mcp\nflaky %s/open/mcp\ndown %s/status500/mcp\n' \
				    "$FIX" "$FIX" "$FIX" >>"$targets.$r"
			done
			printf 'degraded %s/status500/mcp\ndiv %s/open/mcp\n' "$FIX" "$FIX" >>"$targets.eu-west-2"
			printf 'degraded %s/open/mcp\ndiv %s/paginate/mcp\n' "$FIX" "$FIX" >>"$targets.us-east-1"
			printf 'div %s/open/mcp\n' "$FIX" >>"$targets.ap-southeast-1"
		fi
		if [ "$k" = 7 ]; then
			printf 'fresh %s/open/mcp\nbad %s/open/mcp\n' "$FIX" "$FIX" >>"$targets.eu-west-2"
		fi
		for r in eu-west-2 us-east-1 ap-southeast-1; do
			[ -s "$targets.$r" ] || continue
			MCP_NOW=$(($(w "$k") + 1)) mcp-probe -r "$r" -t 5 -f "$targets.$r" 2>>"$TMP/fill.err"
		done >"$TMP/probes.$k"
		MCP_NOW=$(($(w "$k") + 2)) mcp-aggregate push <"$TMP/probes.$k" 2>>"$TMP/fill.err" || rc=1
		case $k in
		0) slugs="stale gone flaky up" ;;
		[123]) slugs="flaky" ;;
		[456]) slugs="flaky up degraded down div" ;;
		7) slugs="flaky up degraded down div gone bad" ;;
		esac
		# shellcheck disable=SC2086 # the slugs are words
		MCP_NOW=$(($(w "$k") + 95)) mcp-aggregate verdict $slugs >"$TMP/verdicts.$k" 2>>"$TMP/fill.err" || rc=1
		MCP_NOW=$(($(w "$k") + 96)) mcp-alert -c "$TMP/alert.conf" <"$TMP/verdicts.$k" \
		    >>"$TMP/alerts" 2>>"$TMP/fill.err" || rc=1
	done
	# An unreadable verdict: what a reader meets when a writer is cut off.
	redis_cmd SET 'mcp:{bad}:verdict' '{"v":1,"type":"verdict","slug":"bad","window":' >/dev/null || rc=1
	if [ "${PAGES:-0}" -gt 0 ]; then
		"$TOP/tests/gen-scenario.sh" -q -t "$(w 7)" -N "$PAGES" -s page -r eu-west-2 |
		    MCP_NOW=$(($(w 7) + 5)) mcp-aggregate push 2>>"$TMP/fill.err" || rc=1
	fi
	return "$rc"
}

# redis_cmd ARGS: redis-cli against $MCP_REDIS (a unix socket or a
# redis:// URL, its password passed in the environment, not argv).
redis_cmd() {
	case $MCP_REDIS in
	unix://*) redis-cli -s "${MCP_REDIS#unix://}" "$@" ;;
	redis://*)
		local rest=${MCP_REDIS#redis://} auth='' hp
		case $rest in *@*) auth=${rest%%@*}; rest=${rest#*@} ;; esac
		hp=${rest%%/*}
		if [ -n "$auth" ]; then
			REDISCLI_AUTH=${auth#*:} redis-cli --no-auth-warning -h "${hp%:*}" -p "${hp##*:}" "$@"
		else
			redis-cli -h "${hp%:*}" -p "${hp##*:}" "$@"
		fi
		;;
	esac
}

# ------------------------------------------------------------ requests
# get [CURL ARGS...] URL: one request.  Sets ST (the status code) and RH and
# RB (files: the header block, CR removed, and the body as sent, never
# decompressed).  Every answer stays in $TMP/resp for the scans at the end.
_rq=0
get() {
	_rq=$((_rq + 1))
	mkdir -p "$TMP/resp"
	RH=$TMP/resp/$_rq.h
	RB=$TMP/resp/$_rq.b
	: >"$RB"
	ST=$(curl -sS -m 20 --path-as-is -D "$RH.raw" -o "$RB" -w '%{http_code}' "$@" 2>"$TMP/resp/$_rq.err")
	tr -d '\r' <"$RH.raw" >"$RH"
	rm -f "$RH.raw"
	# A body, and where it came from, for the scans.
	printf '%s\n' "${@: -1}" >"$TMP/resp/$_rq.url"
}

# hdr NAME: the value of the header NAME in $RH ("" when absent; the
# values of a header sent twice joined by a newline).
hdr() {
	awk -v n="$1" 'BEGIN { n = tolower(n) }
	    { i = index($0, ":"); if (i && tolower(substr($0, 1, i - 1)) == n) { v = substr($0, i + 1); sub(/^[ \t]+/, "", v); print v } }' "$RH"
}

# hdrs: the header lines of $RH but the status line and those the web
# server owns or varies per answer (Date, Server, Connection, Keep-Alive,
# Transfer-Encoding), sorted, names lower-cased.
hdrs() {
	sed 1d "$RH" | grep -v '^$' | awk '{ i = index($0, ":"); print tolower(substr($0, 1, i - 1)) substr($0, i) }' |
	    grep -Eiv '^(date|server|connection|keep-alive|transfer-encoding):' | sort
}

# body: the body of the last answer.
body() { cat "$RB"; }

# ------------------------------------------------------------ the checks
# serve_suite LABEL BASE LOG: the checks of serve/SPEC.md against the
# scenario of fill_store, through the server at BASE whose error log (with
# mcp-serve's stderr) is LOG.  SUITE_GZIP=1: the server compresses (nginx);
# SUITE_SWITCH=1: X-Test-Env selects the store per request (a CGI server);
# NSLUGS: the slugs in the index (9, plus PAGES).
serve_suite() {
	L=$1 U=$2 ELOG=$3
	W7=$(iso "$(w 7)")
	W0=$(iso "$(w 0)")
	local part t
	for part in embed conditional head methods not_found query regions list prom badge shields healthz \
	    gzip store_switch real_clock leaks; do
		case $part in
		gzip) [ "${SUITE_GZIP:-0}" = 1 ] || continue ;;
		store_switch) [ "${SUITE_SWITCH:-0}" = 1 ] || continue ;;
		esac
		t=$SECONDS
		"suite_$part"
		diag "$L: $part: $((SECONDS - t)) s"
	done
	unlike "$(cat "$ELOG")" 'AddressSanitizer|LeakSanitizer|runtime error' "$L: no sanitizer report in the error log"
}

# The embed answers at SERVE_NOW: slug state etag as_of uptime(raw) ago;
# - is not checked.
embed_want() {
	cat <<-EOF
	up up "v1-$W7" $W7 100.00 1m
	degraded degraded "v1-$W7" $W7 100.00 1m
	down down "v1-$W7" $W7 0.00 1m
	div degraded "v1-$W7" $W7 100.00 1m
	flaky up "v1-$W7" $W7 57.14 1m
	fresh pending "v1-none" null null 1m
	stale pending "v1-$W0-stale" $W0 100.00 8m
	gone pending "v1-$W7" $W7 100.00 8m
	bad pending - null - 1m
	EOF
}

# The headers of a 200 of the embed route, the ETag and length aside.
EMBED_HDRS='access-control-allow-origin: *
cache-control: public, max-age=60, stale-while-revalidate=300
content-type: application/json; charset=utf-8
vary: Accept-Encoding
x-content-type-options: nosniff'

# no_hdrs NAMES...: the headers of $RH without those named, as hdrs.
no_hdrs() {
	local re
	re=$(printf '%s|' "$@")
	hdrs | grep -Eiv "^(${re%|}|accept-ranges):"
}

suite_embed() {
	local slug state etag asof up ago len
	while read -r slug state etag asof up ago; do
		get "$U/api/embed-status/$slug"
		is "$ST" 200 "$L: /api/embed-status/$slug: 200"
		len=$(wc -c <"$RB")
		is "$(no_hdrs etag content-length)" "$EMBED_HDRS" "$L: $slug: the headers of the contract, exact"
		is "$(hdr Content-Length)" "$len" "$L: $slug: Content-Length is the body's ($len)"
		[ "$etag" = - ] || is "$(hdr ETag)" "$etag" "$L: $slug: ETag $etag"
		is "$(jq -c 'keys_unsorted | sort' "$RB")" '["as_of","last_probe_ago","p95_ms","state","uptime_30d"]' \
		    "$L: $slug: the five fields and nothing else"
		is "$(jq -r '[.state, (.as_of // "null"), .last_probe_ago] | join(" ")' "$RB")" "$state $asof $ago" \
		    "$L: $slug: $state, as_of $asof, last probe $ago ago"
		[ "$up" = - ] || like "$(body)" "\"uptime_30d\":${up//./\\.}[,}]" "$L: $slug: uptime_30d $up (two decimals)"
		like "$(jq -r '.p95_ms' "$RB")" '^([0-9]+|null)$' "$L: $slug: p95_ms an integer or null"
	done < <(embed_want)
	get "$U/api/embed-status/down"
	is "$(jq -r .p95_ms "$RB")" null "$L: down: p95_ms null (no passing probe)"
	get "$U/api/embed-status/nosuch"
	is "$ST:$(body)" '404:{"error":"not found"}' "$L: an unknown slug: 404 {\"error\":\"not found\"}"
	is "$(hdr Content-Type)" "application/json; charset=utf-8" "$L: the 404 is JSON"
	is "$(hdr ETag)" "" "$L: the 404 has no ETag"
}

suite_conditional() {
	local inm
	for inm in "\"v1-$W7\"" "W/\"v1-$W7\"" "\"nope\", W/\"v1-$W7\"" "\"a\",\"v1-$W7\"" '*'; do
		get -H "If-None-Match: $inm" "$U/api/embed-status/up"
		is "$ST:$(wc -c <"$RB")" 304:0 "$L: If-None-Match: $inm: 304, no body"
	done
	is "$(hdr ETag)" "\"v1-$W7\"" "$L: the 304 carries the ETag"
	is "$(hdr Cache-Control)|$(hdr Vary)|$(hdr Access-Control-Allow-Origin)" \
	    "public, max-age=60, stale-while-revalidate=300|Accept-Encoding|*" "$L: and Cache-Control, Vary, Access-Control-Allow-Origin"
	for inm in '"v1-none"' "\"v1-$W0\"" "W/\"v1-$W7-stale\"" "\"v1-${W7}x\"" "v1-$W7"; do
		get -H "If-None-Match: $inm" "$U/api/embed-status/up"
		is "$ST" 200 "$L: If-None-Match: $inm (another tag, or not a tag): 200"
	done
	get -H "If-None-Match: \"v1-$W0-stale\"" "$U/api/embed-status/stale"
	is "$ST" 304 "$L: stale: its -stale tag gets 304"
	get -H "If-None-Match: \"v1-$W0\"" "$U/api/embed-status/stale"
	is "$ST" 200 "$L: stale: the tag of the fresh verdict gets 200"
	get -H 'If-None-Match: "v1-none"' "$U/api/embed-status/fresh"
	is "$ST" 304 "$L: fresh: \"v1-none\" gets 304"
	get -H "If-None-Match: \"v1-$W7\"" "$U/badge/up.svg"
	is "$ST:$(wc -c <"$RB")" 304:0 "$L: the badge answers If-None-Match too"
}

suite_head() {
	local r g gl
	for r in /api/embed-status/up /api/embed-status/fresh /badge/down.svg /api/shields/up /api/status/up/regions /healthz /metrics /api/embed-status/nosuch; do
		get "$U$r"
		g=$(hdrs)
		gl=$(wc -c <"$RB")
		# (The server drops a body of HEAD anyway: serve-cgi.t checks that
		# mcp-serve sends none.)
		get -I "$U$r"
		is "$(hdrs)" "$g" "$L: HEAD $r: the headers of GET"
		is "$(hdr Content-Length)" "$gl" "$L: HEAD $r: the Content-Length of GET's body ($gl)"
	done
}

suite_methods() {
	local m r
	for m in POST PUT DELETE PATCH OPTIONS; do
		for r in /api/embed-status/up /badge/up.svg; do
			get -X "$m" -d 'x=1' "$U$r"
			is "$ST|$(hdr Allow)|$(body)" '405|GET, HEAD|{"error":"method not allowed"}' \
			    "$L: $m $r: 405, Allow: GET, HEAD"
		done
	done
	for r in /api/status/up/regions /api/status /metrics /api/embed-status-prom?slug=up /api/shields/up /healthz /api/nope; do
		get -X POST -d '' "$U$r"
		is "$ST|$(hdr Allow)" '405|GET, HEAD' "$L: POST $r: 405, Allow: GET, HEAD"
	done
}

suite_not_found() {
	local p s81 s80
	s81=$(printf 'a%.0s' $(seq 81))
	s80=$(printf 'a%.0s' $(seq 80))
	for p in /api/embed-status/UP /api/embed-status/Up /api/embed-status/up/ /api/embed-status/ \
	    /api/embed-status "/api/embed-status/$s81" "/api/embed-status/$s80" /api/embed-status/a%2fb \
	    /api/embed-status/%2e%2e \
	    /api/embed-status/up%20 /api/embed-status/up%2f /api/embed-status/u%2Ap /api/embed-status/up.svg/x \
	    /api/embed-status-x/up /api/status/up/regions/x /api/status/UP/regions /api/status/nosuch/regions \
	    /api/status/x /badge/UP.svg /badge/up /badge/up.png /badge/..%2fup.svg /api/shields/UP \
	    /api/shields/up/x /api/nope /index.html /healthz/x /metricsx /api/embed-status-prom/up \
	    "/api/embed-status-prom?slug=nosuch" "/api/embed-status-prom?slug=UP" "/api/embed-status-prom?slug=$s81"; do
		get "$U$p"
		is "$ST:$(body)" '404:{"error":"not found"}' "$L: $p: 404 JSON"
	done
	get "$U/api/embed-status/%75p"
	is "$ST:$(jq -r .state "$RB")" 200:up "$L: /api/embed-status/%75p: the slug decoded, up"
	# "/" is the index of the status pages, where a newcomer looks first;
	# a path the web server resolves to it (nginx: "..%2f.." climbs to /)
	# is that page or a 404, never anything a slug names.
	get "$U/"
	is "$ST:$(hdr Content-Type)" '200:text/html; charset=utf-8' "$L: /: the index of the status pages"
	like "$(body)" '<h1>MCP servers</h1>' "$L: /: the same page as /status"
	get "$U/api/embed-status/..%2f.."
	if [ "$ST" = 200 ]; then
		like "$(body)" '<h1>MCP servers</h1>' "$L: /api/embed-status/..%2f..: resolved to / by the web server: the index"
	else
		is "$ST:$(body)" '404:{"error":"not found"}' "$L: /api/embed-status/..%2f..: 404 JSON"
	fi
	# nginx and lighttpd refuse %00 in a path themselves (400); mcp-serve's
	# own answer is checked in serve-cgi.t.
	for p in /api/embed-status/up%00 /api/embed-status/%00up /badge/up%00.svg; do
		get "$U$p"
		like "$ST" '^40[04]$' "$L: $p: 400 (the server) or 404"
		unlike "$(body)" '"state"|svg' "$L: $p: no status in the answer"
	done
}

suite_query() {
	local r q ref
	for r in /api/embed-status/up /api/status/div/regions /api/status /metrics "/api/embed-status-prom?slug=up" \
	    /badge/up.svg /api/shields/down /healthz /api/embed-status/fresh; do
		get "$U$r"
		ref=$ST:$(body)
		case $r in
		*\?*) q='&x=1&%zz=%&y' ;;
		*) q='?x=1&%zz=%&y&&=' ;;
		esac
		get "$U$r$q"
		is "$ST:$(body)" "$ref" "$L: $r$q: the answer without the query"
		[ "$r" = /healthz ] || is "$ST" 200 "$L: $r$q: 200"
	done
}

# regions_of SLUG: GET SLUG's regions; REG is region city state step
# hash_differs latency(int|null), a line per region.
regions_of() {
	get "$U/api/status/$1/regions"
	REG=$(jq -r '.regions[] | [.region, (.city // "null"), .state, (.step // "null"), (.hash_differs | tostring),
	    (if .latency_ms == null then "null" elif (.latency_ms | type) == "number" and .latency_ms == (.latency_ms | floor) then "int" else "bad" end)] | join(" ")' "$RB")
	cat "$RB" >>"$TMP/regions.all"
}

suite_regions() {
	local w71 w01
	w71=$(iso $(($(w 7) + 1)))
	w01=$(iso $(($(w 0) + 1)))
	: >"$TMP/regions.all"
	regions_of up
	is "$REG" "ap-southeast-1 Singapore missing null false null
eu-west-2 London up null false int
us-east-1 N. Virginia up null false int" "$L: up: regions by name; ap-southeast-1 missing (probed only 8 minutes ago)"
	is "$ST|$(no_hdrs content-length)" "200|$EMBED_HDRS" "$L: regions: the cache headers of the embed route, no ETag"
	is "$(jq -c 'keys_unsorted | sort' "$RB")" '["as_of","maintenance","regions","slug"]' "$L: regions: slug, as_of, regions"
	is "$(jq -c '[.regions[] | keys_unsorted | sort] | unique' "$RB")" \
	    '[["city","hash_differs","last_probe_ago","last_probe_at","latency_ms","region","state","step","tool_hash"]]' \
	    "$L: regions: the nine fields of a region and nothing else"
	is "$(jq -r '[.slug, .as_of] + [.regions[] | .last_probe_at, .last_probe_ago] | join(" ")' "$RB")" \
	    "up $W7 $w01 8m $w71 1m $w71 1m" "$L: up: as_of, last_probe_at and _ago per region"
	regions_of down
	is "$REG" "eu-west-2 London down http null null
us-east-1 N. Virginia down http null null" "$L: down: both regions down at http, no hash, no latency"
	regions_of degraded
	is "$REG" "eu-west-2 London down http null null
us-east-1 N. Virginia up null false int" "$L: degraded: eu-west-2 down at http, us-east-1 up"
	regions_of div
	is "$REG" "ap-southeast-1 Singapore up null false int
eu-west-2 London up null false int
us-east-1 N. Virginia up null true int" "$L: div: us-east-1's tool list differs (hash_differs true), the others' not"
	regions_of fresh
	is "$REG" "eu-west-2 London up null false int" "$L: fresh (no verdict): its one region, up"
	is "$(jq -r '.as_of' "$RB")" null "$L: fresh: as_of null"
	# The tool list's hash (issue 46: /api/status/SLUG/tools says what differs), no other.
	unlike "$(jq -c 'del(.regions[].tool_hash)' "$TMP/regions.all")" 'sha256|127\.0\.0\.1|http_5xx|HTTP 500|[0-9a-f]{16}|/mcp' \
	    "$L: regions: no hash but the tool list's, no host, error code or message"
	get "$U/api/status/nosuch/regions"
	is "$ST" 404 "$L: regions of an unknown slug: 404"
}

# list_entry SLUG: the entry of SLUG in the answer $RB, without its slug.
list_entry() { jq -c --arg s "$1" '.slugs[] | select(.slug == $s) | del(.slug, .maintenance)' "$RB"; }

suite_list() {
	local slug want q n
	get "$U/api/status"
	is "$ST:$(hdr Content-Type)" "200:application/json; charset=utf-8" "$L: /api/status: 200 JSON"
	is "$(jq -c 'keys_unsorted | sort' "$RB")" '["next","slugs"]' "$L: /api/status: slugs and next"
	if [ "${NSLUGS:-9}" -le 100 ]; then
		is "$(jq -r '.slugs[].slug' "$RB" | sort | tr '\n' ' ')" "$(echo "$SLUGS" | tr ' ' '\n' | sort | tr '\n' ' ')" \
		    "$L: /api/status: every slug, in one page"
		is "$(jq -r .next "$RB")" null "$L: /api/status: next null on the last page"
		cp "$RB" "$TMP/list.json"
		for slug in $SLUGS; do
			get "$U/api/embed-status/$slug"
			want=$(jq -c . "$RB")
			RB=$TMP/list.json
			is "$(list_entry "$slug")" "$want" "$L: /api/status: $slug as the embed route says"
		done
		is "$(jq -c '[.slugs[] | keys_unsorted | sort] | unique' "$TMP/list.json")" \
		    '[["as_of","last_probe_ago","maintenance","p95_ms","slug","state","uptime_30d"]]' "$L: /api/status: the fields of an entry"
	fi
	for q in limit=0 limit=1001 limit=abc limit=-1 limit= limit=1.5 cursor=abc cursor=-1 'cursor=1x' \
	    'limit=10&cursor=x' "limit=$(printf '9%.0s' $(seq 30))" "cursor=$(printf '9%.0s' $(seq 30))"; do
		get "$U/api/status?$q"
		is "$ST:$(body)" '400:{"error":"bad query"}' "$L: /api/status?$q: 400 bad query"
	done
	for q in limit=1 limit=1000 cursor=0 'limit=5&cursor=0'; do
		get "$U/api/status?$q"
		is "$ST" 200 "$L: /api/status?$q: 200"
	done
	[ "${NSLUGS:-9}" -gt 100 ] || return 0
	# A fleet of more than a page: follow next.
	: >"$TMP/pages"
	q=0
	n=0
	while [ "$n" -lt 40 ]; do
		get "$U/api/status?limit=50&cursor=$q"
		[ "$ST" = 200 ] || break
		n=$((n + 1))
		jq -r '.slugs[].slug' "$RB" >>"$TMP/pages"
		q=$(jq -r .next "$RB")
		[ "$q" = null ] && break
	done
	is "$ST:$q" 200:null "$L: /api/status?limit=50: next leads to a last page (after $n pages)"
	ok "$([ "$n" -gt 1 ] && echo 0 || echo 1)" "$L: /api/status?limit=50: $NSLUGS slugs take more than one page ($n)"
	is "$(sort "$TMP/pages" | uniq -d | wc -l):$(sort -u "$TMP/pages" | wc -l)" "0:$NSLUGS" \
	    "$L: the pages hold every slug once"
	get "$U/api/status"
	is "$(jq '.slugs | length' "$RB"):$(jq -r '.next | type' "$RB")" "100:string" \
	    "$L: /api/status of $NSLUGS slugs: one page of the default limit, 100, and a next cursor"
}

PROM_TYPE='text/plain; version=0.0.4; charset=utf-8'

# prom_lint: the exposition in $RB is well formed: each family has one HELP
# and one TYPE line before its samples, no series twice, names mcp_.
prom_lint() {
	awk '
	/^# HELP / { if (help[$3]++) bad = bad " help:" $3; next }
	/^# TYPE / { if (type[$3]++) bad = bad " type:" $3; if ($4 != "gauge" && $4 != "counter") bad = bad " kind:" $3; next }
	/^#/ { next }
	/^$/ { bad = bad " empty-line"; next }
	{ name = $1; sub(/\{.*/, "", name)
	  if (!help[name] || !type[name]) bad = bad " undeclared:" name
	  if (name !~ /^mcp_[a-z0-9_]+$/) bad = bad " name:" name
	  if (seen[$1]++) bad = bad " twice:" $1
	  if (NF != 2 || $2 !~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/) bad = bad " value:" $0 }
	END { print bad == "" ? "ok" : bad }' "$RB"
}

# sample NAME{LABELS}: the value of that series in $RB, "absent" when none.
sample() { awk -v s="$1" '$1 == s { print $2; f = 1 } END { if (!f) print "absent" }' "$RB"; }

suite_prom() {
	local slug p95
	for slug in up flaky degraded down fresh stale; do
		get "$U/api/embed-status-prom?slug=$slug"
		is "$ST|$(hdr Content-Type)|$(hdr Cache-Control)" "200|$PROM_TYPE|no-cache" "$L: prom $slug: 200, text 0.0.4, no-cache"
		is "$(prom_lint)" ok "$L: prom $slug: HELP and TYPE once per family, no series twice"
	done
	get "$U/api/embed-status-prom?slug=up"
	is "$(sample 'mcp_state{slug="up"}') $(sample 'mcp_uptime_30d_ratio{slug="up"}') $(sample 'mcp_last_probe_age_seconds{slug="up"}')" \
	    "1 1 99" "$L: prom up: state 1, ratio 1, last probe 99 s ago"
	p95=$(sample 'mcp_p95_latency_seconds{slug="up"}')
	cp "$RB" "$TMP/prom-up"
	get "$U/api/embed-status/up"
	is "$p95" "$(jq -r '.p95_ms / 1000' "$RB")" "$L: prom up: p95 in seconds, the embed route's p95_ms / 1000"
	get "$U/api/embed-status-prom?slug=flaky"
	is "$(sample 'mcp_uptime_30d_ratio{slug="flaky"}')" 0.5714 "$L: prom flaky: ratio 0.5714 (57.14 %)"
	get "$U/api/embed-status-prom?slug=degraded"
	is "$(sample 'mcp_state{slug="degraded"}')" 0.5 "$L: prom degraded: state 0.5"
	get "$U/api/embed-status-prom?slug=down"
	is "$(sample 'mcp_state{slug="down"}') $(sample 'mcp_uptime_30d_ratio{slug="down"}') $(sample 'mcp_p95_latency_seconds{slug="down"}')" \
	    "0 0 absent" "$L: prom down: state 0, ratio 0, no p95 series"
	get "$U/api/embed-status-prom?slug=fresh"
	is "$(sample 'mcp_state{slug="fresh"}') $(sample 'mcp_uptime_30d_ratio{slug="fresh"}') $(sample 'mcp_last_probe_age_seconds{slug="fresh"}')" \
	    "-1 absent 99" "$L: prom fresh: state -1, no ratio, last probe 99 s"
	get "$U/api/embed-status-prom?slug=stale"
	is "$(sample 'mcp_state{slug="stale"}') $(sample 'mcp_last_probe_age_seconds{slug="stale"}')" "-1 519" \
	    "$L: prom stale: state -1, last probe 519 s"
	get "$U/api/embed-status-prom?slug=%75p"
	is "$ST:$(sample 'mcp_state{slug="up"}')" 200:1 "$L: prom: the slug parameter percent-decoded"
	get "$U/api/embed-status-prom"
	like "$ST" '^40[04]$' "$L: prom without a slug: 400 or 404"

	get "$U/metrics"
	is "$ST|$(hdr Content-Type)|$(hdr Cache-Control)" "200|$PROM_TYPE|no-cache" "$L: /metrics: 200, text 0.0.4, no-cache"
	is "$(prom_lint)" ok "$L: /metrics: HELP and TYPE once per family, no series twice"
	is "$(for slug in $SLUGS; do sample "mcp_state{slug=\"$slug\"}"; done | tr '\n' ' ')" "1 0.5 0 0.5 1 -1 -1 -1 -1 " \
	    "$L: /metrics: mcp_state of every slug ($SLUGS)"
	is "$(sample mcp_slugs)" "${NSLUGS:-9}" "$L: /metrics: mcp_slugs ${NSLUGS:-9}"
	is "$(sample 'mcp_verdict_age_seconds{slug="up"}') $(sample 'mcp_verdict_age_seconds{slug="stale"}') $(sample 'mcp_verdict_age_seconds{slug="fresh"}')" \
	    "100 520 absent" "$L: /metrics: verdict ages (window 7: 100 s, window 0: 520 s, none)"
	is "$(sample 'mcp_divergence{slug="div"}') $(sample 'mcp_divergence{slug="up"}') $(sample 'mcp_divergence{slug="degraded"}')" \
	    "1 0 0" "$L: /metrics: mcp_divergence 1 for the cdn-cache-divergence only"
	is "$(grep '^mcp_region_up{' "$RB" | grep -E 'slug="(up|degraded|down|div)"' | sort | tr '\n' ' ')" \
	    'mcp_region_up{slug="degraded",region="eu-west-2"} 0 mcp_region_up{slug="degraded",region="us-east-1"} 1 mcp_region_up{slug="div",region="ap-southeast-1"} 1 mcp_region_up{slug="div",region="eu-west-2"} 1 mcp_region_up{slug="div",region="us-east-1"} 1 mcp_region_up{slug="down",region="eu-west-2"} 0 mcp_region_up{slug="down",region="us-east-1"} 0 mcp_region_up{slug="up",region="eu-west-2"} 1 mcp_region_up{slug="up",region="us-east-1"} 1 ' \
	    "$L: /metrics: mcp_region_up of the verdicts' reporting regions (not up's missing ap-southeast-1)"
	is "$(grep -c '^mcp_last_probe_age_seconds{' "$RB")" "${NSLUGS:-9}" "$L: /metrics: a last probe age for every slug"
	is "$(grep -v '^#' "$RB" | grep -F 'slug="up"' | grep -vE '^mcp_region_up' | sort)" "$({ grep -v '^#' "$TMP/prom-up"
	    echo 'mcp_divergence{slug="up"} 0'; echo 'mcp_verdict_age_seconds{slug="up"} 100'; } | sort)" "$L: /metrics: up's series are those of its prom route, and its age and divergence"
}

# badge_colour: the colour the state half of the badge in $RB is painted
# with (a fill attribute, or its class looked up in the style, light).
badge_colour() {
	local cls fill
	# The state half: the rect that starts right of the label (an x).
	fill=$(grep -o '<rect [^>]*>' "$RB" | grep ' x="' | grep -v 'url(' | tail -1)
	cls=$(printf '%s' "$fill" | sed -n 's/.*class="\([^"]*\)".*/\1/p')
	if [ -n "$cls" ]; then
		sed -n 's/.*<style>\(.*\)<\/style>.*/\1/p' "$RB" | sed 's/@media.*//' |
		    grep -o "\.$cls{fill:#[0-9a-fA-F]*}" | head -1 | grep -o '#[0-9a-fA-F]*'
	else
		printf '%s' "$fill" | sed -n 's/.*fill="\([^"]*\)".*/\1/p'
	fi
}

suite_badge() {
	local slug state c colours=''
	for slug in up:up degraded:degraded down:down fresh:pending; do
		state=${slug#*:}
		slug=${slug%:*}
		get "$U/badge/$slug.svg"
		is "$ST|$(hdr Content-Type)" "200|image/svg+xml" "$L: /badge/$slug.svg: 200 image/svg+xml"
		xmllint --noout "$RB" 2>"$TMP/xmllint.err"
		is "$?:$(head -c 300 "$TMP/xmllint.err")" 0: "$L: $slug badge: well-formed XML"
		like "$(body)" "^<svg [^>]*role=\"img\"" "$L: $slug badge: role=img"
		like "$(body)" "aria-label=\"mcp: $state\"" "$L: $slug badge: aria-label \"mcp: $state\""
		like "$(body)" "<title>mcp: $state</title>" "$L: $slug badge: <title>mcp: $state</title>"
		like "$(body)" 'textLength="[0-9.]+"' "$L: $slug badge: text widths from the table (textLength)"
		like "$(body)" 'prefers-color-scheme' "$L: $slug badge: no theme: follows prefers-color-scheme"
		c=$(badge_colour)
		like "$c" '^#[0-9a-fA-F]{3,6}$' "$L: $slug badge: the $state half has a colour ($c)"
		colours="$colours$c "
		if [ "$state" = pending ]; then
			is "$(hdr Cache-Control)|$(hdr ETag)" 'public, max-age=10|"v1-none"' "$L: pending badge: max-age=10, the embed route's ETag"
		else
			is "$(hdr Cache-Control)|$(hdr ETag)" "public, max-age=60, stale-while-revalidate=300|\"v1-$W7\"" \
			    "$L: $slug badge: the embed route's cache headers and ETag"
		fi
	done
	is "$(echo "$colours" | tr ' ' '\n' | grep -v '^$' | tr 'A-F' 'a-f' | sort -u | wc -l)" 4 "$L: four states, four colours ($colours)"
	get "$U/badge/stale.svg"
	is "$(hdr Cache-Control)|$(hdr ETag)" "public, max-age=10|\"v1-$W0-stale\"" "$L: stale badge: pending, max-age=10, the -stale ETag"
	get "$U/badge/up.svg?label=%3C%26%3E%22%27"
	xmllint --noout "$RB" 2>/dev/null
	is "$ST:$?" 200:0 "$L: ?label=<&>\"': well-formed XML"
	like "$(body)" 'aria-label="&lt;&amp;&gt;(&quot;|&#34;|&#x22;)(&apos;|'"'"'|&#39;|&#x27;): up"' "$L: ?label=<&>\"': escaped in aria-label"
	like "$(body)" '<title>&lt;&amp;&gt;("|&quot;|&#34;)('"'"'|&apos;|&#39;): up</title>' "$L: and in <title>"
	get "$U/badge/up.svg?label=my+server"
	like "$(body)" 'aria-label="my server: up"' "$L: ?label=my+server: + is a space"
	# SPEC.md does not say whether a label may be more than ASCII (the width
	# table): either it is taken, or refused as a bad query.
	get "$U/badge/up.svg?label=%E2%9C%93ok"
	like "$ST:$(body)" "^(200:.*aria-label=\"$(printf '\342\234\223')ok: up\"|400:\\{\"error\":\"bad query\"\\})" \
	    "$L: ?label=%E2%9C%93ok: a UTF-8 label taken, or 400 ($ST)"
	get "$U/badge/up.svg?theme=dark"
	cp "$RB" "$TMP/dark.svg"
	xmllint --noout "$RB" 2>/dev/null
	is "$ST:$?" 200:0 "$L: ?theme=dark: 200, well-formed"
	get "$U/badge/up.svg?theme=light"
	xmllint --noout "$RB" 2>/dev/null
	is "$ST:$?" 200:0 "$L: ?theme=light: 200, well-formed"
	ok "$(cmp -s "$RB" "$TMP/dark.svg" && echo 1 || echo 0)" "$L: the dark badge differs from the light one"
	unlike "$(cat "$RB" "$TMP/dark.svg")" 'prefers-color-scheme' "$L: a theme named: no media query"
	get "$U/badge/nosuch.svg"
	like "$ST" '^(404|200)$' "$L: /badge/nosuch.svg: $ST"
}

suite_shields() {
	local slug want
	while read -r slug want; do
		get "$U/api/shields/$slug"
		is "$ST:$(jq -cS . "$RB")" "200:$(printf '%s' "$want" | jq -cS .)" "$L: /api/shields/$slug: $want"
	done <<-EOF
	up {"schemaVersion":1,"label":"mcp","message":"up","color":"brightgreen","cacheSeconds":300}
	degraded {"schemaVersion":1,"label":"mcp","message":"degraded","color":"yellow","cacheSeconds":300}
	div {"schemaVersion":1,"label":"mcp","message":"degraded","color":"yellow","cacheSeconds":300}
	down {"schemaVersion":1,"label":"mcp","message":"down","color":"red","isError":true,"cacheSeconds":300}
	fresh {"schemaVersion":1,"label":"mcp","message":"pending","color":"lightgrey","cacheSeconds":300}
	stale {"schemaVersion":1,"label":"mcp","message":"pending","color":"lightgrey","cacheSeconds":300}
	EOF
	is "$(hdr Content-Type)" "application/json; charset=utf-8" "$L: shields: JSON"
	get "$U/api/shields/nosuch"
	is "$ST" 404 "$L: /api/shields/nosuch: 404"
}

suite_healthz() {
	# In serve.t the 200 slugs of the pages are pushed after the verdicts:
	# /healthz reads the newest window decided (mcp:verdict:newest), not
	# their verdicts, which they do not have.  serve-cgi.t has the case alone.
	get "$U/healthz"
	# The newest result: the last probe of window 7 (W7 + 1 s), or a later
	# push of the script's own (serve-cgi.t's lab slug, W7 + 3 s).
	is "$ST|$(body | sed 's/"newest_result_age_s":9[79]}$/"newest_result_age_s":N}/')|$(hdr Cache-Control)" \
	    "200|{\"status\":\"ok\",\"store\":\"ok\",\"slugs\":${NSLUGS:-9},\"newest_verdict_age_s\":100,\"newest_result_age_s\":N}|no-store" \
	    "$L: /healthz: 200 ok, ${NSLUGS:-9} slugs, newest verdict 100 s, newest result 97 or 99 s, no-store"
	get -H 'X-Test-Env: far' "$U/healthz"
	is "$ST|$(jq -r '[.status, .store, .newest_verdict_age_s] | join(" ")' "$RB")|$(hdr Cache-Control)" \
	    "503|verdicts-stale ok 3700|no-store" "$L: /healthz an hour later: 503 verdicts-stale"
	get -H 'X-Test-Env: far' "$U/api/embed-status/up"
	is "$(jq -r .state "$RB"):$(hdr ETag)" "pending:\"v1-$W7-stale\"" "$L: an hour later: up is pending, ETag -stale"
	get -H 'X-Test-Env: far' "$U/metrics"
	is "$(sample 'mcp_state{slug="up"}') $(sample 'mcp_verdict_age_seconds{slug="up"}')" "-1 3700" \
	    "$L: /metrics an hour later: up -1, verdict age 3700"
}

suite_gzip() {
	local plain
	get "$U/api/embed-status/up"
	plain=$(body)
	get -H 'Accept-Encoding: gzip' "$U/api/embed-status/up"
	is "$ST|$(hdr Content-Encoding)|$(hdr ETag)" "200|gzip|W/\"v1-$W7\"" "$L: gzip: nginx compresses and makes the ETag weak"
	is "$(gzip -dc <"$RB")" "$plain" "$L: gzip: the same body"
	is "$(hdr Vary)" "Accept-Encoding" "$L: gzip: one Vary: Accept-Encoding"
	get -H 'Accept-Encoding: gzip' -H "If-None-Match: W/\"v1-$W7\"" "$U/api/embed-status/up"
	is "$ST:$(wc -c <"$RB")" 304:0 "$L: gzip: the weak tag sent back: 304"
	get -H 'Accept-Encoding: gzip' -H "If-None-Match: W/\"v1-$W7\"" "$U/badge/up.svg"
	is "$ST" 304 "$L: gzip: the badge's weak tag: 304"
	get -H 'Accept-Encoding: gzip' "$U/badge/up.svg"
	gzip -dc <"$RB" | xmllint --noout - 2>/dev/null
	is "$(hdr Content-Encoding):$?" gzip:0 "$L: gzip: the badge compressed, well-formed"
}

# store_down_checks HOW [CURL ARGS]: every route with the store out of
# reach (HOW says how): 503, no-store, no Redis error text in the answer.
# With QUICK=1 only the embed route, the badge and /healthz (where the same
# cases are checked in full elsewhere).
store_down_checks() {
	local how=$1 r first=$_rq i bodies='' json=(/api/embed-status/up /api/status/up/regions /api/status /api/shields/up)
	local prom=(/metrics "/api/embed-status-prom?slug=up")
	shift
	[ "${QUICK:-0}" = 1 ] && json=(/api/embed-status/up) && prom=()
	for r in "${json[@]}"; do
		get "$@" "$U$r"
		is "$ST|$(body)|$(hdr Cache-Control)|$(hdr Retry-After)" '503|{"error":"store unavailable"}|no-store|30' \
		    "$L: $how: $r: 503 store unavailable, no-store, Retry-After: 30"
	done
	for r in "${prom[@]}"; do
		get "$@" "$U$r"
		is "$ST|$(hdr Cache-Control)|$(hdr Retry-After)" '503|no-store|30' "$L: $how: $r: 503, no-store, Retry-After: 30"
		unlike "$(body)" 'mcp_state' "$L: $how: $r: no state"
	done
	get "$@" "$U/badge/up.svg"
	is "$ST|$(hdr Content-Type)|$(hdr Cache-Control)" '503|image/svg+xml|no-store' "$L: $how: badge: 503 svg, no-store"
	like "$(body)" 'aria-label="mcp: pending"' "$L: $how: badge: a pending badge"
	if [ "${QUICK:-0}" != 1 ]; then
		get "$@" -H "If-None-Match: \"v1-$W7\"" "$U/api/embed-status/up"
		is "$ST" 503 "$L: $how: If-None-Match with the current tag: still 503, never a 304"
		get "$@" -I "$U/api/embed-status/up"
		is "$ST:$(hdr Cache-Control)" 503:no-store "$L: $how: HEAD: 503, no-store"
	fi
	get "$@" "$U/healthz"
	is "$ST|$(jq -r '[.status, .store] | join(" ")' "$RB")|$(hdr Cache-Control)" '503|store-unreachable down|no-store' \
	    "$L: $how: /healthz: 503 store-unreachable"
	for i in $(seq $((first + 1)) "$_rq"); do
		bodies=$bodies$(cat "$TMP/resp/$i.b")
	done
	unlike "$bodies" '[Rr]edis|refused|No such file|ECONN|NOAUTH|WRONGPASS|timed out|\.sock|127\.0\.0\.1:[0-9]' \
	    "$L: $how: no store error text in any answer"
}

# SUITE_SWITCH_QUICK=1: the store out of reach checked on three routes only
# (the script stops Redis itself later).
suite_store_switch() {
	local before
	before=$(wc -l <"$ELOG")
	QUICK=${SUITE_SWITCH_QUICK:-0} store_down_checks "store unreachable" -H 'X-Test-Env: down'
	like "$(tail -n +$((before + 1)) "$ELOG")" '(mcp-serve|serve\.cgi): ' "$L: the store's error went to the server's error log"
	if [ -n "${SERVE_REDIS_WRONG:-}" ]; then
		store_down_checks "wrong password" -H 'X-Test-Env: wrong'
	fi
}

suite_real_clock() {
	get -H 'X-Test-Env: real' "$U/api/embed-status/up"
	is "$(jq -r .state "$RB"):$(hdr ETag)" "pending:\"v1-$W7-stale\"" \
	    "$L: the real clock (no MCP_NOW), window 7 some 20 minutes old: pending, -stale"
}

# suite_leaks: no embed, badge or shields answer (nor a 404 or 405) holds a
# region, a step, a hash, an error or a host.
suite_leaks() {
	local f bad=''
	for f in "$TMP"/resp/*.url; do
		grep -Eq '/(api/embed-status|badge|api/shields)/' "$f" || continue
		if grep -Eq 'eu-west-2|us-east-1|ap-southeast-1|"(dns|connect|tls|http|auth|initialize|tools_list|call)"|>(dns|connect|tls|http|auth|initialize|tools_list|call)<|sha256|[0-9a-f]{16}|http_5xx|HTTP 500|127\.0\.0\.1|localhost|/mcp' \
		    "${f%.url}.b"; then
			bad="$bad $(cat "$f")"
		fi
	done
	is "$bad" "" "$L: no region, step, hash, error or host in any embed, badge or shields answer"
}

# window SLUG K PATH: SLUG probed from two regions against the fixture's
# PATH in window K, pushed, and decided at its W + 95, as cron would.
window() {
	local slug=$1 k=$2 path=$3 r
	for r in eu-west-2 us-east-1; do
		printf '%s %s/%s/mcp\n' "$slug" "$FIX" "$path" >"$TMP/t.$slug.$k.$r"
		MCP_NOW=$(($(w "$k") + 1)) mcp-probe -r "$r" -t 5 -f "$TMP/t.$slug.$k.$r"
	done >"$TMP/p.$slug.$k" 2>>"$TMP/window.err"
	MCP_NOW=$(($(w "$k") + 2)) mcp-aggregate push <"$TMP/p.$slug.$k" 2>>"$TMP/window.err" &&
		MCP_NOW=$(($(w "$k") + 95)) mcp-aggregate verdict "$slug" >"$TMP/v.$slug.$k" 2>>"$TMP/window.err"
}

# live_api_ready: live=1 when start_live_api can run here (mcp-serve built,
# nginx and fcgiwrap installed), else live=0 and why says what is missing.
live_api_ready() {
	local t
	live=1
	why=''
	[ -x "$BIN/mcp-serve" ] || { live=0; why="no $BIN/mcp-serve"; }
	for t in nginx fcgiwrap; do
		command -v "$t" >/dev/null || command -v "/usr/sbin/$t" >/dev/null || { live=0; why="$t is not installed"; }
	done
	export PATH="$PATH:/usr/sbin"
}

# start_live_api: the store filled by the real pipeline, the slug
# "recover" red in window 5, and mcp-serve behind nginx: exports
# MCP_UPTIME_URL, MCP_TEST_ACCESS_LOG, MCP_TEST_API_PID, and
# MCP_TEST_FLIP, a command that makes "recover" green in window 8 (with
# what it needs exported: the clients' tests run it from node).
start_live_api() {
	start_redis
	start_fixture
	start_receiver
	fill_store
	is "$?:$(cat "$TMP/fill.err")" 0: "the pipeline fills the store"
	window recover 5 status500
	is "$(jq -r .verdict "$TMP/v.recover.5")" red "recover: red in window 5"
	start_nginx_cgi "$BIN/mcp-serve" || { ok 1 "nginx and fcgiwrap start"; done_testing; }
	export MCP_UPTIME_URL=$NGINX_CGI
	export MCP_TEST_ACCESS_LOG=$TMP/nginx-cgi/access.log
	MCP_TEST_API_PID=$(cat "$TMP/nginx-cgi/nginx.pid")
	export MCP_TEST_API_PID
	export -f window w
	export T0 FIX TMP MCP_REDIS
	export MCP_TEST_FLIP='window recover 8 open'
}
