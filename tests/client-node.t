#!/usr/bin/env bash
# build: plain (its checks are of the plain build: the sanitizer build skips it)
# client-node.t - the Node liveness client (clients/node) under node's own
# test runner: its unit tests, and its live tests against mcp-serve behind
# nginx and fcgiwrap over a store the real pipeline filled (304s counted
# in nginx's access log, a state change through the pipeline, the breaker
# on a fake clock, nginx killed mid-run).  Each test of node's is one
# check here.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/serve-lib.sh
source "$TOP/tests/serve-lib.sh"
case $BIN in
*-san) skip_all "the sanitizer build: the client is JavaScript; the mcp-serve it reads runs under the sanitizers in serve*.t" ;;
esac

command -v node >/dev/null || skip_all "node is not installed"
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] || skip_all "node $major: the client needs Node 20 (global fetch, node --test)"
live_api_ready

if [ "$live" = 1 ]; then
	start_live_api
else
	diag "live tests skipped: $why"
	unset MCP_UPTIME_URL MCP_TEST_ACCESS_LOG MCP_TEST_FLIP MCP_TEST_API_PID
fi

cd "$TOP/clients/node" || exit 1
node --test --test-concurrency=1 --test-reporter=tap test/ >"$TMP/node.tap" 2>"$TMP/node.err"
rc=$?
# Node's top-level results become checks here; a failure's details follow.
n=0
while IFS= read -r line; do
	if [[ $line =~ ^(not\ )?ok\ [0-9]+\ -\ (.*)$ ]]; then
		n=$((n + 1))
		desc=${BASH_REMATCH[2]}
		if [ -z "${BASH_REMATCH[1]}" ]; then
			ok 0 "node: $desc"
			case $desc in *' # SKIP '*) diag "skipped: ${desc#* # SKIP }" ;; esac
		else
			ok 1 "node: $desc"
			fail=1
		fi
	elif [ "${fail:-0}" = 1 ] && [[ $line =~ ^\ +(error|expected|actual|location):\ (.*)$ ]]; then
		diag "  ${BASH_REMATCH[1]}: ${BASH_REMATCH[2]}"
	elif [[ $line =~ ^[^\ ] ]]; then
		fail=0
	fi
done <"$TMP/node.tap"
[ -s "$TMP/node.err" ] && diag "node's stderr: $(head -c 2000 "$TMP/node.err")"
ok "$([ "$n" -ge 17 ]; echo $?)" "node ran every test file ($n tests)"
is "$rc" 0 "node --test exits 0"
[ "$live" = 0 ] || is "$(cat "$TMP/window.err")" "" "the pipeline's flip: no message"
done_testing
