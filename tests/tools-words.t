#!/usr/bin/env bash
# tools-words.t - what issue 54 found the tools' changes still get wrong,
# through the real pipeline: an SDK server (tests/fixtures/sdkmove.mjs)
# probed by mcp-probe, its lists pushed to a private redis-server, the
# verdict of mcp-aggregate, its tools --diff, and mcp-alert's words.  A
# server that moves to the SDK's registerTool ($schema and
# execution.taskSupport "forbidden" added) changes nothing an agent feels;
# an enum value removed is said with its quotes once, the changes beyond
# the first counted as they are, an optional property added named; a name
# holding a bidirectional override escaped on a terminal and made "?" in
# an alert, one past 64 bytes cut with an ellipsis.  Time through MCP_NOW.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/aggregate-lib.sh
source "$TOP/tests/aggregate-lib.sh"

command -v node >/dev/null || skip_all "node is not installed"
[ -d "$TOP/tests/node_modules/@modelcontextprotocol/sdk" ] || skip_all "no SDK: cd tests && npm ci"
start_redis
export MCP_SPOOL=$TMP/spool
node "$TOP/tests/fixtures/sdkmove.mjs" --port-file "$TMP/sdk.port" 2>"$TMP/sdk.err" &
bg_pid $!
wait_file "$TMP/sdk.port" 600 || skip_all "sdkmove.mjs did not start: $(cat "$TMP/sdk.err")"
URL=http://127.0.0.1:$(cat "$TMP/sdk.port")

# probe SLUG REGION K VERSION: the records of a probe of VERSION in window K.
probe() { MCP_NOW=$(($(w "$3") + 1)) mcp-probe -r "$2" -s "$1" "$URL/v/$4/mcp" 2>>"$TMP/probe.err"; }
# story SLUG V1 V2: regions a and b serve V1 in window 10, V2 in 11.
story() {
	{ probe "$1" a 10 "$2"; probe "$1" b 10 "$2"; } | push
	{ probe "$1" a 11 "$3"; probe "$1" b 11 "$3"; } | push
}
# verdict_of SLUG K: the verdict record of SLUG in window K.
verdict_of() { MCP_NOW=$(($(w "$2") + 95)) mcp-aggregate verdict "$1"; }
# said SLUG: what mcp-alert says of the verdict of window 11 (a page or a note).
printf 'route log command %s/sink %s/said\nnotify P1,P2,P3 always log\n' "$TMP" "$TMP" >"$TMP/alert.conf"
printf '#!/bin/sh\ncat >>"$1"\n' >"$TMP/sink" && chmod +x "$TMP/sink"
said() {
	verdict_of "$1" 11 >"$TMP/$1.verdict"
	MCP_NOW=$(($(w 11) + 96)) mcp-alert -c "$TMP/alert.conf" <"$TMP/$1.verdict" >"$TMP/$1.alert" 2>>"$TMP/alert.err"
	jq -r '.summary' "$TMP/$1.alert"
}

# ------------------------------------------------------------ the move to registerTool
story moved lowlevel registered
v=$(verdict_of moved 11)
is "$(jq -c '[.drift[] | [.region, .change.class, .change.counts]]' <<<"$v")" \
    '[["a","none",{"breaking":0,"review":0,"compatible":0}],["b","none",{"breaking":0,"review":0,"compatible":0}]]' \
    "the low-level server moved to registerTool (\$schema, execution added): a new hash, no change found"
txt=$(mcp-aggregate tools moved --diff 2>&1)
like "$txt" $'tools sha256:[0-9a-f]{12} -> sha256:[0-9a-f]{12}\nno change$' "tools --diff: the two lists, no change"
unlike "$txt" 'review|breaking|compatible' "  and no review item"

# ------------------------------------------------------------ the words
story units units3 units2
is "$(verdict_of units 11 | jq -c '[.drift[0].change.items[] | [.kind, .class, .path]]')" \
    '[["enum_value_removed","breaking","units"],["property_added_optional","compatible","lang"]]' \
    "kelvin removed from units (breaking), lang added (compatible)"
is "$(said units)" \
    'units: the tool list changed in a and b: removed "kelvin" from the values of "units" on weather: breaking for agents that send it (and 1 more change, 0 breaking)' \
    "the alert: the value's quotes once, the one more change not breaking"
story hint units2 hint
is "$(said hint)" \
    'hint: the tool list changed in a and b: added the optional "hint" to weather: compatible: nothing breaks for agents' \
    "an optional property added: named"

# ------------------------------------------------------------ names that hide or turn text
story names hint bidi
s=$(said names)
txt=$(mcp-aggregate tools names --diff)
like "$txt" 'compatible get\\xe2\\x80\\xaeatad\\xe2\\x80\\x8b_secret\\xf3\\xa0\\x81\\x81 added' \
    "tools --diff: a bidirectional override, a zero-width space and a tag character written \\xHH"
like "$txt" 'compatible long_x{56}…[^x]' "a name past 64 bytes: cut, an ellipsis after"
unlike "$txt" $'\xe2\x80\xae|\xe2\x80\x8b|\xf3\xa0\x81\x81' "  and not one of them on the terminal"
like "$s" 'added get\?atad\?_secret\?' "the alert: each made ?"
unlike "$s" $'\xe2\x80\xae|\xe2\x80\x8b|\xf3\xa0\x81\x81' "  and not one of them in it"

# The status page (mcp-serve as a CGI behind nginx) hides nothing either.
# shellcheck source=tests/serve-lib.sh
source "$TOP/tests/serve-lib.sh"
export PATH="$PATH:/usr/sbin"
# shellcheck disable=SC2034 # read by the launcher of serve-lib.sh
SERVE_NOW=$(($(w 11) + 100))
if command -v nginx >/dev/null && command -v fcgiwrap >/dev/null && start_nginx_cgi; then
	curl -s -o "$TMP/page" "$NGINX_CGI/status/names"
	like "$(cat "$TMP/page")" $'added get\xef\xbf\xbdatad\xef\xbf\xbd_secret\xef\xbf\xbd' \
	    "the page: each made U+FFFD in the name"
	unlike "$(cat "$TMP/page")" $'\xe2\x80\xae|\xe2\x80\x8b|\xf3\xa0\x81\x81' "  and not one of them on it"
	like "$(cat "$TMP/page")" 'added long_x{56}…<' "  the long name cut with its ellipsis"
	unlike "$(cat "$NGINX_CGI_LOG")" 'AddressSanitizer|runtime error' "no sanitizer report from mcp-serve"
else
	diag "no nginx or fcgiwrap: the page's case is skipped"
fi
unlike "$(cat "$TMP/probe.err" "$TMP/alert.err")" 'AddressSanitizer|runtime error' "no sanitizer report"

done_testing
