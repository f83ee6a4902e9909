#!/usr/bin/env bash
# errors.t - issue 59's messages, each saying what is wrong and what to do:
# a targets file's errors all at once in one form (FILE:LINE: reason), an
# empty one refused, a file that cannot be opened said as err(3) says it,
# a slug that no list is known of, the slug said once to Slack (a real
# receiver), and server_status of an unknown slug (mcp-serve as a CGI).
# A private redis-server and the test receiver (tests/fixtures/receiver.mjs).
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/alert-lib.sh
source "$TOP/tests/alert-lib.sh"

for t in redis-server jq node; do
	command -v "$t" >/dev/null || skip_all "$t is not installed"
done

# --- the targets file ------------------------------------------------------------
# probe ARGS: mcp-probe -r t, stdout in $TMP/out, stderr in $TMP/err; prints the exit status.
probe() {
	mcp-probe -r t "$@" >"$TMP/out" 2>"$TMP/err"
	echo $?
}
printf 'a http://x\nb\nc http://y\nd\ne\n' >"$TMP/t1"
is "$(probe -f "$TMP/t1"):$(wc -c <"$TMP/out")" "2:0" "bad on lines 2, 4 and 5: exit 2, nothing probed"
is "$(cat "$TMP/err")" "mcp-probe: $TMP/t1:2: no URL after the slug: a line is SLUG URL [key=value ...]
mcp-probe: $TMP/t1:4: no URL after the slug: a line is SLUG URL [key=value ...]
mcp-probe: $TMP/t1:5: no URL after the slug: a line is SLUG URL [key=value ...]" \
    "...each of the three said, with the file and its line"

# Errors of the line and errors of the checks after it, in one form, every one.
cat >"$TMP/t2" <<EOF
# a comment, then a good line
good http://127.0.0.1:1/mcp
BAD http://127.0.0.1:1/mcp
url http://[::1/mcp
key http://127.0.0.1:1/mcp colour=blue
good http://127.0.0.1:1/mcp
conn http://127.0.0.1:1/mcp connect_to=a:b
tok http://127.0.0.1:1/mcp token_file=$TMP/no-token
args http://127.0.0.1:1/mcp call_args={}
EOF
is "$(probe -n -f "$TMP/t2"):$(wc -c <"$TMP/out")" "2:0" "-n, a file of many errors: exit 2"
is "$(cat "$TMP/err")" "mcp-probe: $TMP/t2:3: bad slug \"BAD\": want [a-z0-9._-]{1,80}, not all dots
mcp-probe: $TMP/t2:5: unknown key \"colour\"
mcp-probe: $TMP/t2:6: slug \"good\" given twice, on lines 2 and 6
mcp-probe: $TMP/t2:4: url: not an http:// or https:// URL
mcp-probe: $TMP/t2:7: conn: connect_to must be HOST:PORT:ADDR:PORT
mcp-probe: $TMP/t2:8: token file $TMP/no-token: No such file or directory
mcp-probe: $TMP/t2:9: args: call arguments without a tool to call" \
    "...every one said as FILE:LINE: reason, those of the lines first, then those of the checks"

printf 'a http://x\na http://y\n' | mcp-probe -r t -n -f - >/dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" '2:mcp-probe: stdin:2: slug "a" given twice, on lines 1 and 2' \
    "-f -: the errors name stdin"

printf 'x\033[2J http://x\n' | mcp-probe -r t -n -f - >/dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" '2:mcp-probe: stdin:1: bad slug "x\u001b[2J": want [a-z0-9._-]{1,80}, not all dots' \
    "a word of the line quoted as a JSON string: no escape sequence reaches the terminal"

# An empty file probes nothing: refused, not "0 targets ok".
printf '# nothing yet\n\n   \n' >"$TMP/empty"
want="no target, only blank lines and comments: write one target per line, SLUG URL [key=value ...] (mcp-probe(1), TARGETS FILE)"
is "$(probe -f "$TMP/empty"):$(wc -c <"$TMP/out"):$(cat "$TMP/err")" "2:0:mcp-probe: $TMP/empty: $want" \
    "a file of comments and blank lines: refused, exit 2, saying what to write"
is "$(probe -n -f "$TMP/empty"):$(cat "$TMP/err")" "2:mcp-probe: $TMP/empty: $want" "-n too"
: >"$TMP/zero"
is "$(probe -n -f - <"$TMP/zero"):$(cat "$TMP/err")" "2:mcp-probe: stdin: $want" "an empty standard input too"
printf 'a http://127.0.0.1:1/mcp\n' >"$TMP/one"
is "$(probe -n -f "$TMP/one"):$(cat "$TMP/err")" "0:mcp-probe: 1 targets ok" "one target: ok"

# --- a file that cannot be opened: PROG: FILE: reason --------------------------------
is "$(probe -f "$TMP/nope"):$(cat "$TMP/err")" "2:mcp-probe: $TMP/nope: No such file or directory" \
    "mcp-probe -f: the file, a blank, the reason"
mcp-aggregate push -S "$TMP/spool.jsonl" --to https://127.0.0.1:1/ingest/r --token-file "$TMP/nope" \
    </dev/null >/dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "2:mcp-aggregate: token file $TMP/nope: No such file or directory" \
    "mcp-aggregate push --token-file: the file named"
mcp-aggregate targets -S "$TMP/spool" --from https://127.0.0.1:1/targets/r --token-file "$TMP/nope" \
    >/dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "2:mcp-aggregate: token file $TMP/nope: No such file or directory" \
    "mcp-aggregate targets --from: the file named (a spool not ending in .jsonl is no 'path too long')"
mcp-otlp -e http://127.0.0.1:1 --header-file "$TMP/nope" </dev/null >/dev/null 2>"$TMP/err"
is "$?:$(head -1 "$TMP/err")" "2:mcp-otlp: header file $TMP/nope: No such file or directory" \
    "mcp-otlp --header-file: the file named"

# --- mcp-alert.conf: every wrong line at once, each FILE:LINE --------------------------
printf 'bogus 1\nfail_windows x\nfail_windows 3\nroute team slack\n' >"$TMP/alert.conf"
chmod 600 "$TMP/alert.conf"
mcp-alert -c "$TMP/alert.conf" check 2>"$TMP/err"
is "$?:$(tr '\n' '|' <"$TMP/err")" \
    "2:mcp-alert: $TMP/alert.conf:1: unknown key \"bogus\"|mcp-alert: $TMP/alert.conf:2: fail_windows: not a count from 1 to 10000: x|mcp-alert: $TMP/alert.conf:4: route \"team\": wrong number of arguments for slack|" \
    "mcp-alert.conf bad on lines 1, 2 and 4: each said, with its file and line, exit 2"

# --- a slug no list is known of ------------------------------------------------------
start_redis
mcp-aggregate tools nope >/dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "1:mcp-aggregate: nope: no tool, resource or prompt list known for this slug (none served in 31 days): is the slug right? see mcp-aggregate status" \
    "tools of an unknown slug: exit 1, what is wrong and where to look"
mcp-aggregate tools --approve --by alice nope >/dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "1:mcp-aggregate: nope: nothing to approve: no tool, resource or prompt list served in 31 days: is the slug right? see mcp-aggregate status" \
    "--approve of an unknown slug: no \"no region serves no list\""
mcp-aggregate tools --reject --by alice --kind prompts --region eu nope >/dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "1:mcp-aggregate: nope: nothing to reject: region eu served no prompts list in 31 days: is the region right? see mcp-aggregate tools nope" \
    "--reject --region --kind: the region and the kind named"
mcp-aggregate tools --lock nope >/dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "1:mcp-aggregate: nope: not locked: no list approved, nor served in 31 days: is the slug right? see mcp-aggregate status" \
    "--lock of an unknown slug"

# --- mcp-serve: server_status of an unknown slug, as a CGI ------------------------------
# mcp_call TOOL ARGS: the text of the tools/call answer of /mcp.
mcp_call() {
	local body
	body=$(jq -nc --arg n "$1" --argjson a "$2" '{jsonrpc:"2.0",id:1,method:"tools/call",params:{name:$n,arguments:$a}}')
	printf '%s' "$body" | env -i PATH="$PATH" ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
	    MCP_REDIS="$MCP_REDIS" GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=POST PATH_INFO=/mcp \
	    CONTENT_TYPE=application/json CONTENT_LENGTH=${#body} HTTP_ACCEPT='application/json, text/event-stream' \
	    HTTP_MCP_PROTOCOL_VERSION=2025-06-18 SERVER_NAME=localhost SERVER_PORT=80 REMOTE_ADDR=127.0.0.1 \
	    SERVER_PROTOCOL=HTTP/1.1 mcp-serve | sed '1,/^\r\{0,1\}$/d' | jq -c '[.result.isError, .result.content[0].text]'
}
is "$(mcp_call server_status '{"slug":"nope"}')" \
    '[true,"no server \"nope\" is monitored here; list_servers names the servers"]' \
    "server_status of an unknown slug: says so, with the slug and where the servers are named"
is "$(mcp_call monthly_report '{"slug":"nope"}')" \
    '[true,"no report of \"nope\": no server of that slug is monitored here (list_servers names the servers), or the month has not begun"]' \
    "monthly_report of an unknown slug"

# --- Slack: the slug once --------------------------------------------------------------
start_receiver || { ok 1 "the receiver starts"; done_testing; }
MCP_NOW=$(w 3)
export MCP_NOW
printf 'route slack slack %s/slack\ngroup_by slug\n' "$RECV" >"$TMP/alert.conf"
red weather 0 2 http >"$TMP/in"
mcp-alert -c "$TMP/alert.conf" <"$TMP/in" >"$TMP/alerts" 2>"$TMP/err"
is "$?:$(cat "$TMP/err"):$(jq -r .summary "$TMP/alerts")" "0::weather: http failing in 2 regions" \
    "a trigger; its record's summary keeps the slug (CONTRACT.md)"
slack=$(jq -c 'select(.path == "/slack") | .body | fromjson | [.text, .blocks[0].text.text, .blocks[1].text.text]' "$RECV_LOG")
is "$slack" '["P1 trigger: weather: http failing in 2 regions","P1 trigger: weather","http failing in 2 regions"]' \
    "Slack: the slug once in the text, once in the header, not again in the summary"

done_testing
