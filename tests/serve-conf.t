#!/usr/bin/env bash
# serve-conf.t - mcp-serve's configuration file and command line: a bad
# line answers 500 (the line in the log), never a part of the file;
# mcp-serve check [-c FILE], -h and -V from a shell, never from a request
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

[ -x "$BIN/mcp-serve" ] || skip_all "no $BIN/mcp-serve"
start_redis
# cgi [VAR=VALUE...] [-- ARGS]: one CGI request for /healthz; the answer in
# $TMP/o, the log in $TMP/e, the exit status in CX.
cgi() {
	local -a vars=() args=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do vars+=("$1"); shift; done
	[ $# -eq 0 ] || { shift; args=("$@"); }
	env -i PATH="$PATH" ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
	    GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET PATH_INFO=/healthz "${vars[@]}" \
	    "$BIN/mcp-serve" ${args[@]+"${args[@]}"} </dev/null >"$TMP/o" 2>"$TMP/e"
	CX=$?
}
status() { head -1 "$TMP/o" | tr -d '\r'; }

printf 'store %s\nregion home-lab 52.52 13.40 Berlin\n' "$MCP_REDIS" >"$TMP/good.conf"
printf 'store %s\nregion home-lab 52,52 13.40 Berlin\n' "$MCP_REDIS" >"$TMP/bad.conf"

# --- a request -----------------------------------------------------------------
cgi MCP_SERVE_CONF="$TMP/good.conf"
like "$CX:$(tail -1 "$TMP/o")" '^0:.*"store":"ok"' "a good file: its store is used"
cgi MCP_SERVE_CONF="$TMP/bad.conf"
is "$CX:$(status)" "0:Status: 500 Internal Server Error" "a bad line: 500, not the defaults without the store line"
is "$(tail -1 "$TMP/o")" '{"error":"server misconfigured"}' "a generic body"
is "$(cat "$TMP/e")" "mcp-serve: $TMP/bad.conf:2: region: bad latitude or longitude" \
    "the line and why in the web server's log"
cgi MCP_SERVE_CONF="$TMP/none.conf"
is "$(status):$(cat "$TMP/e")" "Status: 500 Internal Server Error:mcp-serve: $TMP/none.conf: No such file or directory" \
    "a file that cannot be read: the same"
cgi MCP_SERVE_CONF="$TMP/bad.conf" REQUEST_METHOD=HEAD
is "$(status):$(tail -c 1 "$TMP/o" | od -An -c | tr -d ' ')" "Status: 500 Internal Server Error:\\n" "HEAD: no body"
# An indexed query (RFC 3875 4.4) puts words in argv: a request is answered.
cgi MCP_SERVE_CONF="$TMP/good.conf" QUERY_STRING=check -- check
like "$CX:$(tail -1 "$TMP/o")" '^0:.*"store":"ok"' "argv words of a request are not a command"
cgi MCP_SERVE_CONF="$TMP/good.conf" -- --help
like "$CX:$(tail -1 "$TMP/o")" '^0:.*"store":"ok"' "nor is --help"

# --- from a shell ------------------------------------------------------------------
"$BIN/mcp-serve" --help >"$TMP/o" 2>"$TMP/e"
is "$?:$(cat "$TMP/o"):$(cat "$TMP/e")" "0:usage: mcp-serve
       mcp-serve check [-c FILE]
       mcp-serve -h | -V
See mcp-serve(8) for the manual.:" "--help: the usage and the manual on stdout, exit 0 (not an HTTP 404)"
if command -v mandoc >/dev/null; then
	s=$(MANWIDTH=200 mandoc -Tascii -O width=200 "$TOP/man/mcp-serve.8" | col -b |
	    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | grep -v spawn-fcgi | tr -s ' \n' '  ' | sed 's/^ *//;s/ *$//')
	is "$(sed '/^See /d' "$TMP/o" | sed 's/^usage: //' | tr -s ' \n' '  ' | sed 's/ *$//')" "$s" "usage() matches SYNOPSIS"
fi
"$BIN/mcp-serve" -h >/dev/null 2>&1
is "$?" 0 "-h"
is "$("$BIN/mcp-serve" -V 2>&1)" "mcp-serve $(cat "$TOP/VERSION")" "-V: the version"
"$BIN/mcp-serve" -x >/dev/null 2>"$TMP/e"
is "$?:$(head -2 "$TMP/e")" "2:mcp-serve: -x: unknown option
usage: mcp-serve" "a bad option: named, the usage, exit 2"
"$BIN/mcp-serve" check -c "$TMP/good.conf" >"$TMP/o" 2>&1
is "$?:$(cat "$TMP/o")" "0:" "check -c FILE: a good file, silent"
"$BIN/mcp-serve" check -c "$TMP/bad.conf" >"$TMP/o" 2>&1
is "$?:$(cat "$TMP/o")" "2:mcp-serve: $TMP/bad.conf:2: region: bad latitude or longitude" "check: a bad line, exit 2"
MCP_SERVE_CONF=$TMP/bad.conf "$BIN/mcp-serve" check >"$TMP/o" 2>&1
is "$?:$(cat "$TMP/o")" "2:mcp-serve: $TMP/bad.conf:2: region: bad latitude or longitude" "check: MCP_SERVE_CONF's file"
printf 'store bogus://x\n' >"$TMP/store.conf"
MCP_REDIS='' "$BIN/mcp-serve" check -c "$TMP/store.conf" >"$TMP/o" 2>&1
like "$?:$(cat "$TMP/o")" "^2:mcp-serve: bad store URL: unknown scheme" "check: the store URL it would use"
"$BIN/mcp-serve" check -c >/dev/null 2>&1
is "$?" 2 "check -c without a file: usage"

# --- the store's password -------------------------------------------------------------
# A file that holds it is kept as MCP_REDIS_PASSWORD_FILE would be: mode 600.
PW=pw-$(head -c 9 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf 'store redis://:%s@127.0.0.1:1/0\n' "$PW" >"$TMP/pw.conf"
chmod 640 "$TMP/pw.conf"
"$BIN/mcp-serve" check -c "$TMP/pw.conf" >"$TMP/o" 2>&1
is "$?:$(cat "$TMP/o")" "2:mcp-serve: $TMP/pw.conf: holds the store's password: accessible by group or others (chmod 600)" \
    "check: a file its group can read that holds the store's password: refused, exit 2"
cgi MCP_SERVE_CONF="$TMP/pw.conf"
is "$(status):$(tail -1 "$TMP/o"):$(cat "$TMP/e")" \
    "Status: 500 Internal Server Error:{\"error\":\"server misconfigured\"}:mcp-serve: $TMP/pw.conf: holds the store's password: accessible by group or others (chmod 600)" \
    "a request: 500, the reason in the log"
printf 'store unix://%s?db=0&password=%s\n' "$REDIS_SOCK" "$PW" >"$TMP/pw.conf"
chmod 604 "$TMP/pw.conf"
"$BIN/mcp-serve" check -c "$TMP/pw.conf" >"$TMP/o" 2>&1
is "$?:$(cat "$TMP/o")" "2:mcp-serve: $TMP/pw.conf: holds the store's password: accessible by group or others (chmod 600)" \
    "a password= in a unix:// URL, others can read: refused"
is "$(grep -c -- "$PW" "$TMP/o" "$TMP/e" | grep -vc ':0$')" 0 "the password is in no message"
chmod 600 "$TMP/pw.conf"
"$BIN/mcp-serve" check -c "$TMP/pw.conf" >"$TMP/o" 2>&1
is "$?:$(cat "$TMP/o")" "0:" "mode 600: taken"
chmod 644 "$TMP/good.conf"
"$BIN/mcp-serve" check -c "$TMP/good.conf" >"$TMP/o" 2>&1
is "$?:$(cat "$TMP/o")" "0:" "a store without a password in a file others can read: taken"

done_testing
