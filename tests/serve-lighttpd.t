#!/usr/bin/env bash
# serve-lighttpd.t - mcp-serve as a CGI program under lighttpd mod_cgi,
# mounted at / by a rewrite, over a Redis that wants a password
# (requirepass, reached over TCP): the checks of serve.t; the password is
# never in an answer, nor in lighttpd's error log, also when it is wrong.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/serve-lib.sh
source "$TOP/tests/serve-lib.sh"

[ -x "$BIN/mcp-serve" ] || skip_all "no $BIN/mcp-serve"
export PATH="$PATH:/usr/sbin"
command -v lighttpd >/dev/null || skip_all "lighttpd is not installed"

PASS=pw-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
WRONG=pw-wrong-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
port=$(free_port)
mkdir -p "$TMP/pw"
redis_in "$TMP/pw" --port "$port" --bind 127.0.0.1 --requirepass "$PASS"
export MCP_REDIS="redis://:$PASS@127.0.0.1:$port"
is "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>&1)" "NOAUTH Authentication required." "the store wants a password"

start_fixture
start_receiver
fill_store
is "$?:$(cat "$TMP/fill.err")" 0: "the pipeline fills the store through the password: probes, pushes, verdicts and alerts"
NSLUGS=9
SERVE_REDIS_DOWN=redis://127.0.0.1:$(free_port)
SERVE_REDIS_WRONG="redis://:$WRONG@127.0.0.1:$port"
start_lighttpd_cgi || { ok 1 "lighttpd starts"; done_testing; }

SUITE_SWITCH=1 SUITE_SWITCH_QUICK=1 serve_suite lighttpd-cgi "$LIGHTTPD_CGI" "$LIGHTTPD_CGI_LOG"

# The store by host name, the request run by hand: mcp-serve linked
# static-pie (deps/cjson) resolves it itself (serve/resolve.c; the other
# names it knows are in tests/serve-resolve.t).
if getent ahostsv4 localhost >/dev/null 2>&1; then
	out=$(env -i GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET PATH_INFO=/api/embed-status/up \
	    MCP_NOW="$SERVE_NOW" MCP_REDIS="redis://:$PASS@localhost:$port" "$BIN/mcp-serve" </dev/null 2>&1)
	like "$out" $'^Status: 200 OK\r' "the store by host name (redis://localhost:PORT): 200 ($(file -b "$BIN/mcp-serve" | cut -d, -f1-2))"
else
	diag "the store by host name skipped: localhost does not resolve to an IPv4 address"
fi

kill "$REDIS_PID"
wait "$REDIS_PID" 2>/dev/null
L=lighttpd-cgi QUICK=1 store_down_checks "redis stopped"

n=$(cat "$TMP"/resp/*.h "$TMP"/resp/*.b | grep -caF -e "$PASS" -e "$WRONG")
is "$n" 0 "the password, right or wrong, is in none of the $_rq answers"
like "$(cat "$LIGHTTPD_CGI_LOG")" '^serve\.cgi: ' "lighttpd's log of CGI stderr (server.breakagelog) has mcp-serve's messages (named by its argv[0], serve.cgi)"
is "$(cat "$LIGHTTPD_CGI_LOG" "$LIGHTTPD_ERROR_LOG" "$TMP/lighttpd/lighttpd.out" | grep -cF -e "$PASS" -e "$WRONG")" 0 \
    "nor in lighttpd's logs"
done_testing
