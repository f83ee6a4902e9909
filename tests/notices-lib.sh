#!/usr/bin/env bash
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck disable=SC2034 # variables set here are read by the scripts that source it
# notices-lib.sh - the status page's posts and subscriptions end to end, for tests/notices*.t
# Sourced after lib.sh.  Real components only, on loopback:
#   start_sink DIR         an SMTP server (tests/fixtures/smtp-sink.py on
#                          Debian's python3-aiosmtpd) keeping each message
#                          in DIR; SINK_PID, SINK_PORT.
#   start_page             mcp-serve behind nginx twice: as a CGI program
#                          under fcgiwrap (PAGE_CGI) and as FastCGI
#                          responders under spawn-fcgi (PAGE_FCGI).  nginx
#                          takes the client's address from X-Forwarded-For
#                          (the realip module, as behind a proxy), so that
#                          one test plays many clients; a body up to 2 MB
#                          reaches mcp-serve, which must refuse it itself.
#                          A request's X-MCP-Now header is its MCP_NOW.
#   page_ready             0 when start_page can run here, else why in WHY.
# Mail:  mails DIR (how many), mhdr DIR N NAME..., mval DIR N NAME, mbody DIR N.
# HTTP:  req [CURL ARGS] URL: ST (status), RH (headers), RB (body file).

PY=
for _p in /usr/bin/python3 python3; do
	command -v "$_p" >/dev/null && "$_p" -c 'import aiosmtpd' 2>/dev/null && PY=$_p && break
done
export PATH="$PATH:/usr/sbin"

page_ready() {
	local t
	WHY=
	[ -n "$PY" ] || WHY="aiosmtpd is not installed (Debian: python3-aiosmtpd)"
	for t in nginx fcgiwrap spawn-fcgi redis-server node; do
		command -v "$t" >/dev/null || WHY="$t is not installed"
	done
	[ -x "$BIN/mcp-serve" ] || WHY="no $BIN/mcp-serve"
	[ -z "$WHY" ]
}

start_sink() {
	local d=$1 port=${2:-0}
	mkdir -p "$d" && rm -f "$d/port"
	"$PY" "$TOP/tests/fixtures/smtp-sink.py" "$d" "$port" 2>>"$d/log" &
	SINK_PID=$!
	bg_pid "$SINK_PID"
	wait_file "$d/port" || diag "the SMTP server did not start: $(cat "$d/log")"
	SINK_PORT=$(cat "$d/port")
}
mails() { find "$1" -name '*.eml' | wc -l; }
mhdr() { "$PY" "$TOP/tests/fixtures/smtp-sink.py" --show "$1/$2.eml" "${@:3}"; }
mval() { mhdr "$1" "$2" "$3" | sed "s/^$3: //"; }
mbody() { "$PY" "$TOP/tests/fixtures/smtp-sink.py" --show "$1/$2.eml"; }
# mto DIR ADDR: the numbers of the messages to ADDR, in order, one a line.
mto() {
	local f
	for f in $(cd "$1" && ls | sed -n 's/\.env$//p' | sort -n); do
		jq -e --arg a "$2" '.rcpt_tos == [$a]' "$1/$f.env" >/dev/null && echo "$f"
	done
}

_rq=0
req() {
	_rq=$((_rq + 1))
	mkdir -p "$TMP/resp"
	RH=$TMP/resp/$_rq.h
	RB=$TMP/resp/$_rq.b
	: >"$RB"
	ST=$(curl -sS -m 30 -D "$RH.raw" -o "$RB" -w '%{http_code}' "$@" 2>"$TMP/resp/$_rq.err")
	tr -d '\r' <"$RH.raw" >"$RH"
	rm -f "$RH.raw"
}
rhdr() {
	awk -v n="$1" 'BEGIN { n = tolower(n) }
	    { i = index($0, ":"); if (i && tolower(substr($0, 1, i - 1)) == n) { v = substr($0, i + 1); sub(/^[ \t]+/, "", v); print v } }' "$RH"
}

# _page_location: a location that hands every request to the socket $1.
_page_location() {
	cat <<-EOF
		location / {
			include /etc/nginx/fastcgi_params;
			fastcgi_param SCRIPT_FILENAME $BIN/mcp-serve;
			fastcgi_param PATH_INFO \$uri;
			fastcgi_param MCP_REDIS $MCP_REDIS;
			fastcgi_param MCP_NOW \$http_x_mcp_now if_not_empty;
			fastcgi_param ASAN_OPTIONS "$ASAN_OPTIONS";
			fastcgi_param UBSAN_OPTIONS "$UBSAN_OPTIONS";
			fastcgi_pass unix:$1;
		}
	EOF
}

start_page() {
	local d=$TMP/page n=50 p pc pf
	mkdir -p "$d"
	fcgiwrap -f -c 2 -s "unix:$d/cgi.sock" 2>>"$d/fcgiwrap.err" &
	p=$!
	bg_pid "$p"
	wait_for 100 test -S "$d/cgi.sock" || { diag "fcgiwrap did not start"; return 1; }
	wait_for 20 pgrep -P "$p"
	for n in $(pgrep -P "$p"); do bg_pid "$n"; done
	spawn-fcgi -s "$d/fcgi.sock" -M 0600 -F 2 -P "$d/fcgi.pid" -- \
	    /usr/bin/env MCP_REDIS="$MCP_REDIS" "$BIN/mcp-serve" >>"$d/spawn.out" 2>>"$d/fcgi.err"
	n=50
	while [ "$(wc -l <"$d/fcgi.pid" 2>/dev/null || echo 0)" -lt 2 ] && [ "$n" -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	for p in $(cat "$d/fcgi.pid" 2>/dev/null); do bg_pid "$p"; done
	pc=$(free_port)
	pf=$(free_port)
	{
		nginx_head "$d"
		cat <<-EOF
			client_max_body_size 2m;
			set_real_ip_from 127.0.0.1;
			real_ip_header X-Forwarded-For;
			server {
				listen 127.0.0.1:$pc;
				$(_page_location "$d/cgi.sock")
			}
			server {
				listen 127.0.0.1:$pf;
				$(_page_location "$d/fcgi.sock")
			}
		}
		EOF
	} >"$d/nginx.conf"
	nginx -p "$d" -c "$d/nginx.conf" -e "$d/error.log" \
	    -g "daemon off; pid $d/nginx.pid; error_log $d/error.log info;" >>"$d/nginx.out" 2>&1 &
	bg_pid $!
	PAGE_CGI=http://127.0.0.1:$pc
	PAGE_FCGI=http://127.0.0.1:$pf
	PAGE_LOG=$d/error.log
	PAGE_FCGI_ERR=$d/fcgi.err
	wait_http "$PAGE_CGI/healthz" && wait_http "$PAGE_FCGI/healthz" || {
		diag "nginx did not start: $(tail -3 "$d/nginx.out" "$d/error.log")"
		return 1
	}
}

# probe_slugs K SLUG...: the slugs probed against the fixture's /open from
# two regions in window K, pushed and decided, as the pipeline would.
probe_slugs() {
	local k=$1 s r
	shift
	for r in eu-west-2 us-east-1; do
		for s in "$@"; do printf '%s %s/open/mcp\n' "$s" "$FIX"; done >"$TMP/targets.$r"
		MCP_NOW=$(($(w "$k") + 1)) mcp-probe -r "$r" -t 5 -f "$TMP/targets.$r"
	done >"$TMP/probes.$k" 2>>"$TMP/probe.err"
	MCP_NOW=$(($(w "$k") + 2)) mcp-aggregate push <"$TMP/probes.$k" &&
	    MCP_NOW=$(($(w "$k") + 95)) mcp-aggregate verdict "$@" >/dev/null
}
