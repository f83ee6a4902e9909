#!/usr/bin/env bash
# frameworks-smoke.sh - the FastMCP and mcp-proxy launchers of lib.sh start
# their servers, which answer initialize, and leave no process behind.
# Not part of the suite (not a .t): run it by hand, bash tests/frameworks-smoke.sh.
#
# It runs itself once more with a marker in the environment, which every
# process it starts inherits; once that run has exited, no process may still
# carry the marker.
if [ -z "${FRAMEWORKS_SMOKE_MARK:-}" ]; then
	mark=smoke-$$-$RANDOM
	FRAMEWORKS_SMOKE_MARK=$mark bash "${BASH_SOURCE[0]}"
	rc=$?
	sleep 0.5
	left=$(grep -lsz "^FRAMEWORKS_SMOKE_MARK=$mark\$" /proc/[0-9]*/environ |
	    cut -d/ -f3 | tr '\n' ' ')
	if [ -n "$left" ]; then
		echo "# left behind: $left"
		ps -o pid,ppid,args -p "${left// /,}0" 2>/dev/null | sed 's/^/# /'
		echo "not ok - no process left behind"
		exit 1
	fi
	echo "ok - no process left behind"
	exit "$rc"
fi

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

INIT='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"smoke","version":"1"}}}'

# init URL [CURL-ARGS...]: the status code and content type of initialize.
init() {
	local url=$1
	shift
	curl -s -o /dev/null -w '%{http_code} %{content_type}' --max-time 5 -X POST "$url" \
	    -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
	    "$@" -d "$INIT"
}

# sse URL [CURL-ARGS...]: the first event of the HTTP+SSE stream.
sse() {
	local url=$1
	shift
	curl -sN --max-time 1 -H 'Accept: text/event-stream' "$@" "$url" | head -1
}

KEY=smoke-key-789

start_fastmcp stateful
ok $? "start_fastmcp stateful"
like "$(init "$FASTMCP/mcp")" '^200 text/event-stream' "FastMCP stateful: initialize → 200 SSE"
is "$(sse "$FASTMCP/sse")" "event: endpoint" "FastMCP stateful: /sse opens with the endpoint event"

start_fastmcp stateless
ok $? "start_fastmcp stateless"
like "$(init "$FASTMCP_STATELESS/mcp")" '^200 text/event-stream' "FastMCP stateless: initialize → 200 SSE"

start_fastmcp stateful "$KEY"
ok $? "start_fastmcp stateful KEY"
like "$(init "$FASTMCP_KEYED/mcp")" '^401 application/json' "FastMCP keyed: no key → 401 JSON"
like "$(init "$FASTMCP_KEYED/mcp" -H "X-API-Key: $KEY")" '^200 ' "FastMCP keyed: X-API-Key → 200"
like "$(init "$FASTMCP_KEYED/mcp" -H "Authorization: Bearer $KEY")" '^200 ' "FastMCP keyed: Bearer → 200"

start_fastmcp stateless "$KEY" bare
ok $? "start_fastmcp stateless KEY bare"
is "$(init "$FASTMCP_STATELESS_BARE/mcp")" "401 " "FastMCP bare: no key → 401, no body"

start_mcp_proxy
ok $? "start_mcp_proxy"
like "$(init "$MCP_PROXY/mcp")" '^200 text/event-stream' "mcp-proxy: initialize → 200 SSE"
is "$(sse "$MCP_PROXY/sse")" "event: endpoint" "mcp-proxy: /sse opens with the endpoint event"

start_mcp_proxy "$KEY"
ok $? "start_mcp_proxy KEY"
like "$(init "$MCP_PROXY_KEYED/mcp")" '^401 application/json' "mcp-proxy keyed: no key → 401 JSON"
like "$(init "$MCP_PROXY_KEYED/mcp" -H "X-API-Key: $KEY")" '^200 ' "mcp-proxy keyed: X-API-Key → 200"
like "$(init "$MCP_PROXY_KEYED/mcp" -H "Authorization: Bearer $KEY")" '^401 ' "mcp-proxy keyed: Bearer → 401"

done_testing
