#!/usr/bin/env bash
# probe-cloak.t - a server that answers the monitor one tool list and a real
# client another (issue 54): mcp-probe --as PROFILE and cloak=PROFILE read
# the list once more as that client (its clientInfo and User-Agent, a session
# of its own) against tests/fixtures/cloak.mjs (the official SDK), an honest
# server says same, a cloaking one differs, one that fails or never answers
# the second read unknown and stays healthy, in its own time; the credential
# goes only where the steps' requests went; then the real pipeline: two
# regions pushed into a private redis-server, the verdict's cloaking naming
# both identities and the regions, mcp-alert's note tools-cloaking at the
# test receiver, told once.  What differs named (issue 60): the tools the
# client alone is shown, the monitor alone, and each another way, escaped
# and cut (a list of hostile names), in the result, the verdict and the note.  Windows through MCP_NOW.  Over the legacy
# HTTP+SSE transport too: a stream of the read's own, its endpoint's rules
# the steps', closed at the end; a stream that names no endpoint, or one
# elsewhere, or never answers: unknown, in the read's budget.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/aggregate-lib.sh"

command -v node >/dev/null || skip_all "node is not installed"
node "$TOP/tests/fixtures/cloak.mjs" --port-file "$TMP/cloak.port" --log "$TMP/cloak.log" 2>"$TMP/cloak.err" &
bg_pid $!
wait_file "$TMP/cloak.port" || skip_all "cloak fixture did not start: $(cat "$TMP/cloak.err")"
FIX=http://127.0.0.1:$(cat "$TMP/cloak.port")
: >"$TMP/cloak.log"

# pr NAME URL [PROBE ARGS...]: probe as region t, the records in $TMP/NAME.out.
pr() {
	local name=$1 url=$2
	shift 2
	mcp-probe -r t -s "$name" "$@" "$url" >"$TMP/$name.out" 2>"$TMP/$name.err"
	echo "$?" >"$TMP/$name.rc"
}
# result NAME JQ: a value of the result record.
result() { jq -r "select(.type == \"result\") | $2" "$TMP/$1.out"; }
# ck NAME: exit, state, and the cloaking's profile, client, state and error code.
ck() {
	echo "$(cat "$TMP/$1.rc") $(result "$1" '[.state, (.cloaking | if . == null then "-" else
	    (.profile, .client, .user_agent, .state, (.error.code // "-")) end)] | join(" ")')"
}
# seen PATH JQ: the fixture's log of PATH's requests, each through JQ.
seen() { jq -r --arg p "$1" "select(.path == \$p) | $2" "$TMP/cloak.log"; }

# --- the probe ------------------------------------------------------------------
pr honest "$FIX/honest/mcp" --as cursor
is "$(ck honest)" "0 healthy cursor cursor-vscode node same -" "an honest server, read as Cursor: same"
is "$(result honest '.cloaking.client_hash == .tool_hash and .cloaking.monitor_hash == .tool_hash')" true \
    "same: both hashes are the result's tool_hash"

pr cloak "$FIX/cloak/mcp" --as cursor
is "$(ck cloak)" "0 healthy cursor cursor-vscode node differs -" "a server that lies to Cursor: differs, and healthy"
is "$(result cloak '[.tool_count, .cloaking.client_tool_count, .cloaking.monitor_hash == .tool_hash,
    .cloaking.client_hash != .tool_hash, .cloaking.monitor] | map(tostring) | join(" ")')" \
    "2 3 true true mcp-probe/0.1.0" "the monitor's two tools, the client's three: both hashes, both identities"
is "$(seen /cloak/mcp 'select(.ua == "node") | [.http, (.method // "-"), (.client // "-")] | join(" ")')" \
    "POST initialize cursor-vscode
POST notifications/initialized -
POST tools/list -
DELETE - -" "the second read: initialize as cursor-vscode with Node's User-Agent, the list, its own session closed"
is "$(seen /cloak/mcp 'select(.ua != "node") | .client // empty' | sort -u)" "mcp-probe" \
    "the steps still ask as mcp-probe"

is "$(result cloak '.cloaking | [.client_only, .monitor_only, .changed, .names_more] | tojson')" '[["sync_notes"],[],[],0]' \
    "differs: the tool the client alone is shown named (issue 60), sync_notes"
is "$(result honest '.cloaking | [has("client_only"), has("names_more")] | tojson')" '[false,false]' "same: nothing named"
# A server that shows the client a list of another shape: what each alone is
# shown, and what both are shown differently, named; its names escaped and cut.
pr twist "$FIX/twist/mcp" --as cursor
is "$(result twist '.cloaking | [.state, (.client_only | length), .client_only[2:], .monitor_only, .changed, .names_more] | tojson')" \
    '["differs",5,["t1","t2","t3"],["list_notes"],["add_note"],2]' \
    "seven tools the client alone is shown (five named, two counted), list_notes the monitor alone, add_note each another way"
is "$(result twist '.cloaking.client_only[0]')" 'evil\u{001B}[2J\u{202E}\u{E0072}\u{E0075}\u{E006E}\u{E0020}…' \
    "a name of an escape sequence, an override and tag characters: written \\u{XXXX}, cut at 64 bytes with an ellipsis"
is "$(result twist '.cloaking.client_only[1] | [length, (test("^n{64}…$"))] | tojson')" '[65,true]' "a name of 300 bytes: its first 64 and an ellipsis"
LC_ALL=C grep -q -e $'\x1b' -e $'\xe2\x80\xae' -e $'\xf3\xa0' "$TMP/twist.out"
is "$?" 1 "no escape, override or tag character raw in the records"
pr ua "$FIX/ua/mcp" --as claude-desktop
is "$(ck ua)" "0 healthy claude-desktop claude-ai node differs -" \
    "a server that tells clients apart by User-Agent alone: differs"

: >"$TMP/cloak.log"
pr plain "$FIX/cloak/mcp"
is "$(ck plain)" "0 healthy -" "without --as: no cloaking member"
is "$(jq -r 'select(.ua != "mcp-probe/0.1.0") | .path' "$TMP/cloak.log")" "" "and no request but the monitor's"

pr fail "$FIX/fail/mcp" --as vscode
is "$(ck fail)" "0 healthy vscode Visual Studio Code node unknown http_5xx" \
    "the second read refused (503): unknown, the server healthy"
is "$(result fail '[.cloaking.client_hash, .cloaking.error.message] | map(. // "-") | join(" ")')" \
    "- initialize answered HTTP 503" "unknown: no client hash, why said"

start=$(date +%s.%N)
pr hang "$FIX/hang/mcp" --as sdk -t 30 -w 1
took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
is "$(ck hang)" "0 healthy sdk example-client node unknown timeout" \
    "the second read never answered: unknown (timeout), the server healthy"
is "$(result hang '.ms < 1000')" true "its result's time is the steps' alone ($(result hang .ms) ms)"
awk -v t="$took" 'BEGIN { exit !(t < 15) }'
ok $? "the read's own budget (-w 1) ended it, not the target's 30 s ($took s)"

# --- the legacy HTTP+SSE transport (2024-11-05): a stream of the read's own ----
# sse NAME: the result's transport, then what ck says.
sse() { echo "$(result "$1" .transport) $(ck "$1")"; }
: >"$TMP/cloak.log"
pr sse-honest "$FIX/honest/sse" --as cursor
is "$(sse sse-honest)" "sse 0 healthy cursor cursor-vscode node same -" "HTTP+SSE, an honest server read as Cursor: same"
pr sse-cloak "$FIX/cloak/sse" --as cursor
is "$(sse sse-cloak)" "sse 0 healthy cursor cursor-vscode node differs -" "HTTP+SSE, a server that lies to Cursor: differs"
is "$(result sse-cloak '[.tool_count, .cloaking.client_tool_count, .cloaking.monitor_hash == .tool_hash,
    .cloaking.client_hash != .tool_hash] | map(tostring) | join(" ")')" "2 3 true true" \
    "the monitor's two tools, the client's three"
is "$(result sse-cloak .cloaking.client_hash)" "$(result cloak .cloaking.client_hash)" \
    "the client's list hashed as over Streamable HTTP: the same three tools, the same hash"
# The server sees the stream's end when the probe closes it: waited for, not slept.
wait_for 50 grep -q '"path":"/cloak/sse","http":"CLOSED".*"ua":"node"' "$TMP/cloak.log"
is "$(seen /cloak/sse 'select(.ua == "node") | [.http, (.method // "-"), (.client // "-")] | join(" ")')
$(seen /cloak/message 'select(.ua == "node") | [.http, (.method // "-"), (.client // "-")] | join(" ")')" \
    "GET - -
CLOSED - -
POST initialize cursor-vscode
POST notifications/initialized -
POST tools/list -" "its own stream with Node's User-Agent, initialize as cursor-vscode on its endpoint, the list, the stream closed"
is "$(seen /cloak/message 'select(.ua != "node") | .client // empty' | sort -u)" "mcp-probe" \
    "the steps still ask as mcp-probe"
pr sse-ua "$FIX/ua/sse" --as claude-desktop
is "$(sse sse-ua)" "sse 0 healthy claude-desktop claude-ai node differs -" \
    "HTTP+SSE, told apart by User-Agent alone: differs"
# The comparison changes nothing of the probe's own: what it says without --as.
pr sse-plain "$FIX/cloak/sse"
fields='[.state, .failed_step, .posture, .transport, .era, .protocol_version, .http_status, .tool_count, .tool_hash, .error] | tojson'
is "$(result sse-cloak "$fields")" "$(result sse-plain "$fields")" "the probe's own result, with --as and without, the same"

start=$(date +%s.%N)
pr sse-noend "$FIX/noendpoint/sse" --as sdk -t 30 -w 1
took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
is "$(sse sse-noend) $(result sse-noend .cloaking.error.message)" \
    "sse 0 healthy sdk example-client node unknown timeout GET event-stream: Timeout was reached" \
    "a stream that never names its endpoint to the client: unknown (timeout), the server healthy"
is "$(result sse-noend '.ms < 1000')" true "its result's time is the steps' alone ($(result sse-noend .ms) ms)"
awk -v t="$took" 'BEGIN { exit !(t >= 1 && t < 15) }'
ok $? "the read's own budget (-w 1) ended it, not the target's 30 s ($took s)"
start=$(date +%s.%N)
pr sse-deadline "$FIX/noendpoint/sse" --as sdk -t 2 -w 30
took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
is "$(sse sse-deadline) $(awk -v t="$took" 'BEGIN { print (t < 10) ? "in time" : "late" }')" \
    "sse 0 healthy sdk example-client node unknown timeout in time" \
    "with a budget past the target's deadline (-t 2 -w 30), the deadline ends it: unknown (timeout) in $took s"
pr sse-hang "$FIX/hang/sse" --as vscode -t 30 -w 1
is "$(sse sse-hang)" "sse 0 healthy vscode Visual Studio Code node unknown timeout" \
    "the client's initialize accepted and never answered on the stream: unknown (timeout)"
: >"$TMP/cloak.log"
pr sse-foreign "$FIX/foreign/sse" --as cursor
is "$(sse sse-foreign) $(result sse-foreign .cloaking.error.message)" \
    "sse 0 healthy cursor cursor-vscode node unknown not_mcp the endpoint event names another origin" \
    "an endpoint on another origin for the client: refused as the steps' would be, unknown (not_mcp)"
is "$(seen /foreign/message 'select(.ua == "node") | .method')" "" "and nothing posted anywhere"

# The credential: a token (that may start with '-') goes where the steps' went, no further.
tok=-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$tok" >"$TMP/token" && chmod 600 "$TMP/token"
: >"$TMP/cloak.log"
pr tok "$FIX/cloak/mcp" --as mcp-remote -T "$TMP/token"
is "$(ck tok)" "0 healthy mcp-remote claude-ai (via mcp-remote 0.15.1) node differs -" \
    "with a token, as mcp-remote: differs"
is "$(jq -r --arg a "Bearer $tok" '[.path, (.authorization == $a)] | map(tostring) | join(" ")' "$TMP/cloak.log" | sort -u)" \
    "/cloak/mcp true" "every request, the second read's too, carried it to the target's URL and nowhere else"
is "$(grep -c -F -e "$tok" "$TMP/tok.out" "$TMP/tok.err" | cut -d: -f2 | tr '\n' ' ')" "0 0 " "never in a record or a message"
: >"$TMP/cloak.log"
pr sse-tok "$FIX/cloak/sse" --as mcp-remote -T "$TMP/token"
is "$(sse sse-tok)" "sse 0 healthy mcp-remote claude-ai (via mcp-remote 0.15.1) node differs -" \
    "HTTP+SSE with a token, as mcp-remote: differs"
is "$(jq -r --arg a "Bearer $tok" 'select(.http != "CLOSED") | [.path, .ua, (.authorization == $a)] | map(tostring) | join(" ")' "$TMP/cloak.log" | sort -u)" \
    "/cloak/message mcp-probe/0.1.0 true
/cloak/message node true
/cloak/sse mcp-probe/0.1.0 true
/cloak/sse node true" "its stream and its endpoint carried it, as the steps' did, and nothing went elsewhere"
is "$(grep -c -F -e "$tok" "$TMP/sse-tok.out" "$TMP/sse-tok.err" | cut -d: -f2 | tr '\n' ' ')" "0 0 " "never in a record or a message"

# The targets file: cloak= per target, cloak=off over --as.
cat >"$TMP/targets" <<EOF
t-claude $FIX/cloak/mcp cloak=claude-desktop
t-off $FIX/cloak/mcp cloak=off
t-run $FIX/honest/mcp
EOF
mcp-probe -r t -f "$TMP/targets" --as sdk >"$TMP/file.out" 2>"$TMP/file.err"
is "$?:$(jq -r 'select(.type == "result") | [.slug, (.cloaking | if . == null then "-" else "\(.profile) \(.state)" end)] | join(" ")' "$TMP/file.out" | sort | tr '\n' ',')" \
    "0:t-claude claude-desktop differs,t-off -,t-run sdk same," "cloak=claude-desktop, cloak=off, and --as for the rest"
printf 't-bad %s/cloak/mcp cloak=copilot\n' "$FIX" >"$TMP/bad"
mcp-probe -r t -f "$TMP/bad" >"$TMP/bad.out" 2>"$TMP/bad.err"
is "$?:$(wc -c <"$TMP/bad.out"):$(cat "$TMP/bad.err")" \
    "2:0:mcp-probe: $TMP/bad:1: t-bad: cloak=copilot: want claude-desktop, cursor, vscode, mcp-remote or sdk, or off" \
    "an unknown profile in the targets file: exit 2, nothing on stdout"
mcp-probe -r t --as copilot "$FIX/cloak/mcp" >"$TMP/bad.out" 2>"$TMP/bad.err"
is "$?:$(cat "$TMP/bad.err")" "2:mcp-probe: --as copilot: want claude-desktop, cursor, vscode, mcp-remote or sdk" \
    "--as an unknown profile: exit 2"

# --- the pipeline: two regions, a real Redis, the verdict, mcp-alert -------------
start_redis
source "$TOP/tests/alert-lib.sh"
start_receiver || skip_all "receiver did not start"
printf '%s\n' "$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$TMP/pd.key"
cat >"$TMP/alert.conf" <<CONF
route pd pagerduty $TMP/pd.key $RECV/pd/v2/enqueue
route hook webhook $RECV/hook
notify * always pd hook
CONF
chmod 600 "$TMP/alert.conf" "$TMP/pd.key"
# minute K: eu-west-2 reaches the cloaking server, us-east-1 an honest edge
# (the same slug), both as Cursor; pushed, window K decided, mcp-alert run.
minute() {
	local t
	t=$(w "$1")
	{
		MCP_NOW=$((t + 1)) mcp-probe -r eu-west-2 -s notes --as cursor -t 5 "$FIX/cloak/mcp"
		MCP_NOW=$((t + 1)) mcp-probe -r us-east-1 -s notes --as cursor -t 5 "$FIX/honest/mcp"
	} | MCP_NOW=$((t + 2)) mcp-aggregate push 2>>"$TMP/push.err"
	MCP_NOW=$((t + 95)) mcp-aggregate verdict notes >"$TMP/v.$1" 2>>"$TMP/verdict.err"
	MCP_NOW=$((t + 96)) mcp-alert -c "$TMP/alert.conf" <"$TMP/v.$1" >>"$TMP/alerts" 2>>"$TMP/alert.err"
}
minute 0
minute 1
is "$(cat "$TMP/push.err" "$TMP/verdict.err" "$TMP/alert.err")" "" "two minutes probed, pushed, decided, alerted: no message"
is "$(jq -r '[.verdict, .severity, (.divergence // "-")] | join(" ")' "$TMP/v.0")" "green ok -" \
    "the monitor sees one list everywhere: green, no divergence"
is "$(jq -c '.cloaking | [.state, .profile, .client, .user_agent, .monitor, .regions, .same_regions, .unknown_regions]' "$TMP/v.0")" \
    '["differs","cursor","cursor-vscode","node","mcp-probe/0.1.0",["eu-west-2"],["us-east-1"],[]]' \
    "the verdict's cloaking: differs, both identities, the region that lies and the one that does not"
is "$(jq -r '.cloaking | [.monitor_hash, .client_hash] | join(" ")' "$TMP/v.0")" \
    "$(result cloak '[.cloaking.monitor_hash, .cloaking.client_hash] | join(" ")')" "and both lists' hashes, the probe's"
is "$(jq -c '.cloaking | [.client_only, .monitor_only, .changed, .names_more]' "$TMP/v.0")" '[["sync_notes"],[],[],0]' \
    "and the tool the client alone is shown, as the region that saw it says"
is "$(jq -r '[.event, .severity, .kind // "-", .dedup_key] | join(" ")' "$TMP/alerts")" \
    "note P2 tools-cloaking notes:tools-cloaking:$(w 0)" "mcp-alert: one note tools-cloaking (P2), not told again in window 1"
is "$(jq -r '.summary' "$TMP/alerts")" \
    "notes: tools-cloaking: the client cursor-vscode (User-Agent node, profile cursor) is served another tool list than the monitor mcp-probe/0.1.0 in eu-west-2 ($(result cloak '.cloaking.client_hash[0:19]')… instead of $(result cloak '.cloaking.monitor_hash[0:19]')…); shown the client alone: sync_notes" \
    "its words name both identities, the region and the tool the client alone is shown"
is "$(jq -r '.path' "$RECV_LOG" | sort | uniq -c | awk '{ print $2 "=" $1 }' | tr '\n' ' ')" "/hook=1 " \
    "delivered to the webhook once, never to PagerDuty"
is "$(jq -r 'select(.path == "/hook") | .body | fromjson | [.kind, .event] | join(" ")' "$RECV_LOG")" \
    "tools-cloaking note" "the webhook's body says the kind"
# The twisted list through the pipeline: its names in the verdict as the
# probe wrote them, in the note cleaned and cut, the rest counted.
t=$(w 2)
MCP_NOW=$((t + 1)) mcp-probe -r eu-west-2 -s twist --as cursor -t 5 "$FIX/twist/mcp" |
    MCP_NOW=$((t + 2)) mcp-aggregate push 2>>"$TMP/push.err"
MCP_NOW=$((t + 95)) mcp-aggregate verdict twist >"$TMP/v.twist" 2>>"$TMP/verdict.err"
MCP_NOW=$((t + 96)) mcp-alert -c "$TMP/alert.conf" <"$TMP/v.twist" >"$TMP/alerts.twist" 2>>"$TMP/alert.err"
is "$(jq -c '.cloaking | [.client_only, .monitor_only, .changed, .names_more]' "$TMP/v.twist")" \
    "$(result twist '.cloaking | [.client_only, .monitor_only, .changed, .names_more] | tojson')" \
    "the verdict names what differs as the probe did, escaped and cut"
like "$(jq -r '.summary' "$TMP/alerts.twist")" \
    ' in eu-west-2 \(.*\); shown the client alone: evil\\u\{001B\}\[2J\\u\{202E\}[^,]*…, n+…, t1; the monitor alone: list_notes; shown each another way: add_note; 4 more$' \
    "the note: three names of each kind, cut, then how many more"
is "$(jq -r '[.kind, (.untrusted | test("untrusted"))] | join(" ")' "$TMP/alerts.twist")" "tools-cloaking true" \
    "said to be the monitored server's text, untrusted"
LC_ALL=C grep -q -e $'\x1b' -e $'\xe2\x80\xae' -e $'\xf3\xa0' "$TMP/v.twist" "$TMP/alerts.twist" "$RECV_LOG"
is "$?" 1 "no escape, override or tag character raw in the verdict, the alert or what the webhook got"
is "$(cat "$TMP/push.err" "$TMP/verdict.err" "$TMP/alert.err")" "" "and no message"
done_testing
