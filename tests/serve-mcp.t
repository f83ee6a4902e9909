#!/usr/bin/env bash
# test: long (a minute or so under load: the pipeline fills the store, then five SDK client runs)
# serve-mcp.t - mcp-serve's /mcp (issue 55) behind nginx, as a CGI (fcgiwrap)
# and as a FastCGI responder, over a store filled by the real pipeline
# (mcp-probe against the fixture, push, verdict, alert): the official SDK
# clients list and call every tool and read the resources in each era
# (SDK 1.x: initialize, 2025-11-25; SDK 2.x pinned to 2026-07-28 and in auto),
# and their answers are the JSON API's; mcp-probe judges the endpoint
# healthy in every era with the same tool hash each time; and hostile
# input (malformed JSON-RPC, batches, bodies too long, unknown methods and
# versions, mismatched headers, forged cursors) is a JSON-RPC error, never a
# crash, a 502 or a leak.  A reader's token adds the operator's view (each
# failing region's error code, the runners, silences, subscribers counted),
# none of it without one and no address, hook, key or token in any answer;
# one client past its bound is 429 while another is served.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/serve-lib.sh
source "$TOP/tests/serve-lib.sh"

[ -x "$BIN/mcp-serve" ] || skip_all "no $BIN/mcp-serve"
for t in nginx fcgiwrap spawn-fcgi; do
	command -v "$t" >/dev/null || command -v "/usr/sbin/$t" >/dev/null || skip_all "$t is not installed"
done
export PATH="$PATH:/usr/sbin"

start_redis
start_fixture
start_receiver
fill_store
is "$?:$(cat "$TMP/fill.err")" 0: "the pipeline fills the store"
start_nginx_cgi || { ok 1 "nginx and fcgiwrap start"; done_testing; }
start_nginx_fcgi || { ok 1 "nginx and the FastCGI responders start"; done_testing; }

MONTH=$(date -u -d "@$SERVE_NOW" +%Y-%m)
CALLS=$(jq -nc --arg m "$MONTH" '[["list_servers",{}],["list_servers",{"state":"down"}],
  ["server_status",{"slug":"down"}],["server_status",{"slug":"up"}],["server_status",{"slug":"nope"}],
  ["tool_changes",{"slug":"nope"}],
  ["incidents",{}],["incidents",{"slug":"down"}],["tool_changes",{"slug":"div"}],
  ["monthly_report",{"slug":"flaky","month":$m}],["list_servers",{"cursor":"~&limit=5"}],
  ["list_servers",{"region":"ap-southeast-1"}],["list_servers",{"region":"us-east-1","state":"down"}]]')
reader() { node "$TOP/tests/tools/mcp-reader.mjs" "$@" 2>>"$TMP/reader.err"; }
# A server's words as /mcp quotes them ({"untrusted": ..., "quoted": TEXT}), unquoted.
UNWRAP='walk(if type == "object" and has("untrusted") and has("quoted") then .quoted else . end)'
call() { jq -c --arg k "$1" '.calls[$k]' "$2"; }

for how in fcgi cgi; do
	if [ "$how" = cgi ]; then U=$NGINX_CGI; else U=$NGINX_FCGI; fi
	# Every era through the FastCGI responder; the CGI, one process a
	# request, in the modern era (the costlier to check) alone.
	eras="sdk1 v2-modern v2-auto"
	[ "$how" = fcgi ] || eras=v2-modern
	for era in $eras; do
		reader "$U/mcp" "$era" "$CALLS" >"$TMP/$how.$era.json"
		is "$?" 0 "$how $era: the SDK client connects, lists, calls and reads"
	done
	is "$(jq -r '[.era, .version] | join(" ")' "$TMP/$how.v2-modern.json")" "modern 2026-07-28" "$how v2 pinned: 2026-07-28"
	if [ "$how" = fcgi ]; then
		is "$(jq -r '[.era, .version] | join(" ")' "$TMP/$how.sdk1.json")" "legacy 2025-11-25" "$how sdk1: initialize, 2025-11-25"
		is "$(jq -r '.era' "$TMP/$how.v2-auto.json")" "modern" "$how v2 auto: server/discover finds the modern era"
	fi
	is "$(jq -c '[.tools[] | .name]' "$TMP/$how.v2-modern.json")" \
	    '["list_servers","server_status","incidents","tool_changes","monthly_report","readiness"]' "$how: six tools"
	is "$(jq -c '[.tools[] | [.annotations.readOnlyHint, .annotations.openWorldHint, (.outputSchema.type)]] | unique' "$TMP/$how.v2-modern.json")" \
	    '[[true,false,"object"]]' "$how: every tool read only, closed world, with an output schema"
	for era in v2-modern v2-auto; do
		[ -f "$TMP/fcgi.sdk1.json" ] && [ -f "$TMP/$how.$era.json" ] || continue
		is "$(jq -cS 'del(.era, .version, .not_found)' "$TMP/$how.$era.json" | cksum)" "$(jq -cS 'del(.era, .version, .not_found)' "$TMP/fcgi.sdk1.json" | cksum)" \
		    "$how $era: the same tools, answers and resources as the legacy era"
	done
	f=$TMP/$how.v2-modern.json
	get "$U/api/status"
	is "$(call 'list_servers {}' "$f" | jq -c .slugs)" "$(jq -c .slugs "$RB")" "$how list_servers: GET /api/status's page"
	is "$(call 'list_servers {"state":"down"}' "$f" | jq -c '[.slugs[].slug]')" '["down"]' "$how list_servers state=down: the down one"
	is "$(call 'list_servers {}' "$f" | jq -c '.counts | [.up, .down, .degraded, .pending]')" '[2,1,2,4]' "$how list_servers: counts by state"
	get "$U/api/status/down/regions"
	is "$(call 'server_status {"slug":"down"}' "$f" | jq -c .regions)" "$(jq -c .regions "$RB")" \
	    "$how server_status: the regions of GET /api/status/SLUG/regions"
	get "$U/api/embed-status/down"
	is "$(call 'server_status {"slug":"down"}' "$f" | jq -c '[.state, .uptime_30d, .p95_ms, .as_of]')" \
	    "$(jq -c '[.state, .uptime_30d, .p95_ms, .as_of]' "$RB")" "$how server_status: the embed route's state, uptime, p95"
	is "$(call 'server_status {"slug":"down"}' "$f" | jq -c '[.failing_regions, .failing_step, (.since | type)]')" \
	    '[["eu-west-2","us-east-1"],"http","string"]' "$how server_status down: failing regions, step, since when"
	is "$(call 'server_status {"slug":"up"}' "$f" | jq -c '[.state, .failing_regions, .since]')" '["up",[],null]' \
	    "$how server_status up: nothing failing"
	is "$(call 'server_status {"slug":"nope"}' "$f")" '{"isError":"no server \"nope\" is monitored here; list_servers names the servers"}' \
	    "$how server_status of an unknown slug: a tool error naming the slug, and where the servers are named"
	is "$(call 'tool_changes {"slug":"nope"}' "$f")" "$(call 'server_status {"slug":"nope"}' "$f")" \
	    "$how tool_changes of an unknown slug: the same answer"
	get "$U/api/posts"
	is "$(call 'incidents {}' "$f" | jq -c 'del(.open, .recent)')" "$(jq -c . "$RB")" "$how incidents: GET /api/posts"
	is "$(call 'incidents {}' "$f" | jq -c '[.open[] | select(.slug == "down") | del(.slug)]')" \
	    "$(call 'incidents {"slug":"down"}' "$f" | jq -c .open)" "$how incidents of every server: down's open incident"
	is "$(call 'list_servers {"region":"ap-southeast-1"}' "$f" | jq -c '[.slugs[].slug]')" '["div"]' \
	    "$how list_servers region: the servers that region probed in the last 5 minutes"
	is "$(call 'list_servers {"region":"us-east-1","state":"down"}' "$f" | jq -c '[.slugs[].slug]')" '["down"]' \
	    "$how list_servers region and state"
	is "$(call 'incidents {"slug":"down"}' "$f" | jq -c '[.open[0].step, .open[0].regions, (.open[0].since | type)]')" \
	    '["http",["eu-west-2","us-east-1"],"string"]' "$how incidents down: the open incident"
	get "$U/api/status/div/tools"
	is "$(call 'tool_changes {"slug":"div"}' "$f" | jq -c "$UNWRAP")" "$(jq -c . "$RB")" \
	    "$how tool_changes: GET /api/status/SLUG/tools, each of the server's words quoted (tests/trust.t)"
	is "$(call 'tool_changes {"slug":"div"}' "$f" | jq -c '[.divergence[].change.items[]?.tool | .untrusted] | unique')" \
	    '["untrusted text from the monitored server"]' "$how tool_changes: the tools' names marked as the monitored server's"
	is "$(call "monthly_report {\"slug\":\"flaky\",\"month\":\"$MONTH\"}" "$f" | jq -c '[.slug, .month, (.minutes.down > 0), (.incidents | length > 0)]')" \
	    "[\"flaky\",\"$MONTH\",true,true]" "$how monthly_report: flaky's red minutes and incident"
	is "$(call 'list_servers {"cursor":"~&limit=5"}' "$f")" '{"isError":"bad cursor"}' "$how list_servers: a forged cursor refused"
	like "$(jq -c .resources "$f")" '"mcp-uptime://status/up"' "$how resources/list: a resource a server"
	first=$(jq -r '.resources[0] | sub("mcp-uptime://status/"; "")' "$f")
	get "$U/api/status/$first/regions"
	is "$(jq -c '.read.regions' "$f")" "$(jq -c .regions "$RB")" "$how resources/read: the server's status"
	is "$(jq -c .not_found "$TMP/fcgi.sdk1.json")|$(jq -c .not_found "$f")" '-32002|-32602' \
	    "$how resources/read of no server: -32002 (legacy), -32602 (2026-07-28)"
done

# mcp-probe, the project's own probe, in each era: healthy, the same tool hash.
for era in auto modern legacy; do
	for i in 1 $([ "$era" = auto ] && echo 2); do
		"$BIN/mcp-probe" -r local -e "$era" -t 10 "$NGINX_FCGI/mcp" 2>>"$TMP/probe.err" |
		    jq -c 'select(.type == "result") | [.state, .era, .tool_count, .tool_hash]' >"$TMP/probe.$era.$i"
	done
	is "$(jq -c '.[0:3]' "$TMP/probe.$era.1")" "[\"healthy\",\"$([ "$era" = legacy ] && echo legacy || echo modern)\",6]" \
	    "mcp-probe -e $era: healthy, six tools"
done
is "$(cat "$TMP/probe.auto.2")" "$(cat "$TMP/probe.auto.1")" "mcp-probe: the same answer twice"
is "$(jq -r '.[3]' "$TMP"/probe.*.1 | sort -u | wc -l)" 1 "mcp-probe: one tool hash across the eras"

# ------------------------------------------------------------ hostile input
# rpc [CURL ARGS...] BODY: a POST to /mcp; ST, RB as get sets them.
rpc() {
	local b=${*: -1}
	get -X POST -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
	    "${@:1:$#-1}" --data-binary "$b" "$U/mcp"
}
M=(-H 'MCP-Protocol-Version: 2026-07-28')
META='"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}'
# Through the FastCGI responder; the CGI (which must read through what it
# refuses) for the bound of the body.
how=fcgi U=$NGINX_FCGI
{
	rpc '{"jsonrpc":"2.0","id":1,"method":"tools/list"'
	is "$ST $(jq -c .error.code "$RB")" "400 -32700" "$how: malformed JSON: 400 -32700"
	rpc '[{"jsonrpc":"2.0","id":1,"method":"tools/list"}]'
	is "$ST $(jq -c .error.code "$RB")" "400 -32600" "$how: a batch: 400 -32600"
	rpc '{"jsonrpc":"2.0","id":null,"method":"tools/list"}'
	is "$ST $(jq -c .error.code "$RB")" "400 -32600" "$how: a null id: 400 -32600"
	rpc '{"jsonrpc":"2.0","id":1e300,"method":"tools/list"}'
	is "$ST $(jq -c .error.code "$RB")" "400 -32600" "$how: an id of 1e300 (no integer): 400 -32600"
	rpc '{"jsonrpc":"1.0","id":1,"method":"tools/list"}'
	is "$ST $(jq -c .error.code "$RB")" "400 -32600" "$how: not JSON-RPC 2.0: 400 -32600"
	rpc '{"jsonrpc":"2.0","id":1,"method":"tools/list"} {}'
	is "$ST $(jq -c .error.code "$RB")" "400 -32700" "$how: bytes after the message: 400 -32700"
	rpc '{"jsonrpc":"2.0","id":7,"method":"nope/nope"}'
	is "$ST $(jq -c '[.id, .error.code]' "$RB")" "200 [7,-32601]" "$how: an unknown method (legacy): -32601"
	rpc "${M[@]}" -H 'Mcp-Method: nope/nope' '{"jsonrpc":"2.0","id":7,"method":"nope/nope","params":{'"$META"'}}'
	is "$ST $(jq -c .error.code "$RB")" "404 -32601" "$how: an unknown method (2026-07-28): 404 -32601"
	rpc "${M[@]}" -H 'Mcp-Method: ping' '{"jsonrpc":"2.0","id":7,"method":"ping","params":{'"$META"'}}'
	is "$ST $(jq -c .error.code "$RB")" "404 -32601" "$how: ping, gone in 2026-07-28: 404 -32601"
	rpc -H 'MCP-Protocol-Version: 2099-01-01' -H 'Mcp-Method: tools/list' '{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2099-01-01"}}}'
	is "$ST $(jq -c '[.error.code, .error.data.supported, .error.data.requested]' "$RB")" '400 [-32022,["2026-07-28"],"2099-01-01"]' \
	    "$how: an unknown version (modern): 400 -32022 with the supported ones"
	rpc -H 'MCP-Protocol-Version: 2099-01-01' '{"jsonrpc":"2.0","id":1,"method":"tools/list"}'
	is "$ST $(jq -c .error.code "$RB")" "400 -32600" "$how: an unknown MCP-Protocol-Version (legacy): 400"
	rpc "${M[@]}" -H 'Mcp-Method: tools/list' '{"jsonrpc":"2.0","id":1,"method":"tools/list"}'
	is "$ST $(jq -c .error.code "$RB")" "400 -32602" "$how: 2026-07-28 without _meta: 400 -32602"
	rpc "${M[@]}" -H 'Mcp-Method: tools/list' '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_servers",'"$META"'}}'
	is "$ST $(jq -c .error.code "$RB")" "400 -32020" "$how: Mcp-Method not the method: 400 -32020"
	rpc "${M[@]}" -H 'Mcp-Method: tools/call' -H 'Mcp-Name: incidents' '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_servers",'"$META"'}}'
	is "$ST $(jq -c .error.code "$RB")" "400 -32020" "$how: Mcp-Name not the tool: 400 -32020"
	rpc "${M[@]}" -H 'Mcp-Method: tools/call' -H 'Mcp-Name: =?base64?bGlzdF9zZXJ2ZXJz?=' '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_servers",'"$META"'}}'
	is "$ST $(jq -c '.result.isError' "$RB")" "200 false" "$how: Mcp-Name in base64: answered"
	rpc '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"no_such_tool"}}'
	is "$(jq -c .error.code "$RB")" "-32602" "$how: an unknown tool: -32602"
	rpc '{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"cursor":"forged"}}'
	is "$(jq -c .error.code "$RB")" "-32602" "$how: tools/list with a forged cursor: -32602"
	rpc '{"jsonrpc":"2.0","id":1,"method":"resources/list","params":{"cursor":"~../../x"}}'
	is "$(jq -c .error.code "$RB")" "-32602" "$how: resources/list with a forged cursor: -32602"
	rpc '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"server_status","arguments":{"slug":"../../etc/passwd"}}}'
	is "$(jq -c .result.isError "$RB")" "true" "$how: a slug that is not one: a tool error"
	rpc '{"jsonrpc":"2.0","method":"notifications/initialized"}'
	is "$ST:$(wc -c <"$RB")" "202:0" "$how: a notification: 202, no body"
	rpc "${M[@]}" -H 'Mcp-Method: subscriptions/listen' '{"jsonrpc":"2.0","id":1,"method":"subscriptions/listen","params":{'"$META"'}}'
	is "$ST $(jq -c .error.code "$RB")" "400 -32600" "$how: a held stream declined"
	get -X POST -H 'Content-Type: text/plain' --data-binary '{}' "$U/mcp"
	is "$ST" 415 "$how: not JSON: 415"
	get -X POST -H 'Content-Type: application/json' -H 'Accept: text/html' --data-binary '{}' "$U/mcp"
	is "$ST" 406 "$how: Accept without JSON: 406"
	get -H 'Accept: text/event-stream' "$U/mcp"
	is "$ST|$(hdr Allow)" "405|POST" "$how: GET (no stream here): 405, Allow: POST"
	printf '{"jsonrpc":"2.0","id":1,"method":"tools/list","params":%s0%s}' "$(printf '[%.0s' $(seq 3000))" "$(printf ']%.0s' $(seq 3000))" >"$TMP/deep"
	get -X POST -H 'Content-Type: application/json' --data-binary @"$TMP/deep" "$U/mcp"
	like "$ST" '^4' "$how: 3,000 nested arrays: a 4xx"
}
head -c 600000 /dev/zero | tr '\0' ' ' >"$TMP/big"
for how in cgi fcgi; do
	if [ "$how" = cgi ]; then U=$NGINX_CGI; else U=$NGINX_FCGI; fi
	get -X POST -H 'Content-Type: application/json' --data-binary @"$TMP/big" "$U/mcp"
	is "$ST $(jq -c .error.code "$RB")" "413 -32600" "$how: 600 KB: 413 from mcp-serve, read through (no 502)"
	rpc '{"jsonrpc":"2.0","id":2,"method":"ping"}'
	is "$ST $(jq -c .result "$RB")" "200 {}" "$how: the next request is answered"
done
# ------------------------------------------------------------ who may ask what
U=$NGINX_FCGI
TOK=$(mcp-aggregate reader add 2>"$TMP/reader-add.err")
is "$?:${#TOK}" "0:53" "mcp-aggregate reader add: a token, shown once"
ID=${TOK%%.*}
is "$(mcp-aggregate reader list | awk '{ print $1 }')" "$ID" "reader list: its id, not the token"
unlike "$(redis_cmd HGETALL mcp:readers:tokens)" "${TOK#*.}" "the store keeps the token's hash only"
is "$(call 'server_status {"slug":"down"}' "$TMP/fcgi.sdk1.json" | jq -c 'has("operator")')" false "without a token: no operator's view"
# What the operator keeps and no public page shows, made by the real tools
# (a silence, a maintenance window, a webhook subscriber with its URL and
# key) and an email subscriber as the confirmation leaves it in the store:
# their secrets are random, so that no answer holds one by chance.
rnd() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
HOOK=p$(rnd 8) KEY=whsec_$(rnd 16) ADDR=r$(rnd 6)@example.org UNSUB=$(rnd 20) EID=e$(rnd 8)
printf '%s\n' "$KEY" >"$TMP/hook.key" && chmod 600 "$TMP/hook.key"
{
	MCP_NOW=$SERVE_NOW mcp-alert -c "$TMP/alert.conf" subscribers add webhook "http://127.0.0.1:9/$HOOK" \
	    --secret-file "$TMP/hook.key" --slug down --name ops >/dev/null &&
	    MCP_NOW=$SERVE_NOW mcp-alert -c "$TMP/alert.conf" silence add slug=do* track=down --for 2h \
	    --reason 'silenced: the op test' >/dev/null &&
	    MCP_NOW=$SERVE_NOW mcp-alert -c "$TMP/alert.conf" maint add flaky --for 1h --reason 'a disk swapped' &&
	    MCP_NOW=$SERVE_NOW mcp-alert -c "$TMP/alert.conf" post new --slug flaky --title 'Flaky, explained' \
		--text 'It was the disk.' --incident none &&
	    redis_cmd HSET "mcp:{page}:sub:$EID" kind email addr "$ADDR" ah "$(printf %s "$ADDR" | sha256sum | cut -c1-64)" \
		unsub "$UNSUB" since "$SERVE_NOW" slugs down &&
	    redis_cmd SADD 'mcp:{page}:subs' "$EID" && redis_cmd SADD 'mcp:{page}:subs:slug:down' "$EID"
} >/dev/null 2>"$TMP/op.err"
is "$?:$(cat "$TMP/op.err")" 0: "a silence, a maintenance window, a webhook and an email subscriber"
OPCALLS='[["server_status",{"slug":"down"}],["server_status",{"slug":"flaky"}],["server_status",{"slug":"up"}],
  ["server_status",{"slug":"down","operator":true}],["incidents",{}],["incidents",{"slug":"down"}],
  ["list_servers",{}],["tool_changes",{"slug":"div"}],["list_servers",{"cursor":"~down"}],["incidents",{"slug":"flaky"}]]'
reader "$U/mcp" v2-modern "$OPCALLS" "$TOK" >"$TMP/op.json"
is "$?" 0 "with a reader's token: the SDK client calls every tool"
reader "$U/mcp" v2-modern "$OPCALLS" >"$TMP/public.json"
reader "$U/mcp" sdk1 "$OPCALLS" >"$TMP/public1.json"
is "$(call 'server_status {"slug":"down"}' "$TMP/op.json" | jq -c '.operator.verdict | [.verdict, .step, .failed_regions]')" \
    '["red","http",["eu-west-2","us-east-1"]]' "with a reader's token: the operator's view (the verdict record)"
op() { call "server_status {\"slug\":\"$1\"}" "$TMP/op.json" | jq -c ".operator | $2"; }
is "$(op down '[.regions[] | select(.state == "down") | [.region, .step, .error]]')" \
    '[["eu-west-2","http","http_5xx"],["us-east-1","http","http_5xx"]]' "operator: each failing region's step and error code"
is "$(op down '[.host, (.newest_verdict | test("^20[0-9-]+T[0-9:]+Z$"))]')" '["127.0.0.1",true]' \
    "operator: the server's host and the newest verdict's time"
is "$(op down '[.runners[] | [.region, (.last_window | type), (.short | type)]] | sort')" \
    '[["ap-southeast-1","string","null"],["eu-west-2","string","null"],["us-east-1","string","null"]]' \
    "operator: each runner's last window, none short (the watchdog's)"
is "$(op down '[.runners[] | select(.region == "eu-west-2") | .last_result | test("^20[0-9-]+T[0-9:]+Z$")]')" '[true]' \
    "operator: a runner's last result"
is "$(op down '[.silences[] | [.slug, .track, .reason]]')" '[["do*","down","silenced: the op test"]]' \
    "operator: the silence that matches, with its reason"
is "$(op up '.silences')" '[]' "operator: no silence of another server"
is "$(op flaky '.maintenance_reason')" '"a disk swapped"' "operator: the maintenance window's reason"
is "$(call 'incidents {}' "$TMP/public.json" | jq -c '[.recent[] | select(.slug == "flaky") | del(.slug)]')" \
    "$(call 'incidents {"slug":"flaky"}' "$TMP/public.json" | jq -c '.recent')" \
    "incidents of every server: the resolved ones of a server posted about, as its own answer gives them"
is "$(call 'incidents {"slug":"flaky"}' "$TMP/public.json" | jq -c '.recent | length > 0')" true "flaky has a resolved incident"
is "$(op down '.subscribers')" '{"of_server":2,"of_every_server":0,"all":2,"hooks":1}' "operator: the subscribers, counted"
is "$(call 'server_status {"slug":"down"}' "$TMP/op.json" | jq -c 'del(.operator)')" \
    "$(call 'server_status {"slug":"down"}' "$TMP/public.json")" "operator: the public answer beside it, the same"
for f in public public1; do
	is "$(jq -c '[.calls[] | .. | objects | select(has("operator") or has("subscribers") or has("silences") or has("runners"))] | length' "$TMP/$f.json")" 0 \
	    "$f: without a token, no operator's field in any answer (an argument or a cursor that asks for one included)"
	unlike "$(cat "$TMP/$f.json")" 'http_5xx|silenced: the op test|newest_verdict|"host"' "$f: no error code, silence, host or verdict time"
done
for f in op public public1; do
	unlike "$(cat "$TMP/$f.json")" "$HOOK|$KEY|${KEY#whsec_}|$ADDR|$UNSUB|${TOK#*.}" "$f: no subscriber's address, hook, key or token"
done
rpc -H "Authorization: Bearer 00000000.$(printf 'A%.0s' $(seq 44))" '{"jsonrpc":"2.0","id":1,"method":"tools/list"}'
is "$ST" 401 "a token never made: 401"
like "$(hdr WWW-Authenticate)" "^Bearer error=\"invalid_token\", resource_metadata=\"$U/.well-known/oauth-protected-resource/mcp\"" \
    "the challenge names the protected-resource metadata"
get "$U/.well-known/oauth-protected-resource/mcp"
is "$ST $(jq -c '[.resource, .bearer_methods_supported]' "$RB")" "200 [\"$U/mcp\",[\"header\"]]" "RFC 9728 metadata: the resource and how a token is sent"
mcp-aggregate reader revoke "$ID" 2>/dev/null
rpc -H "Authorization: Bearer $TOK" '{"jsonrpc":"2.0","id":1,"method":"tools/list"}'
is "$ST" 401 "a revoked token: 401"

# ------------------------------------------------------------ per-client bounds
# One client (127.0.0.2) past its 600 requests of the minute (MCP_NOW
# holds the minute still) is answered 429 while another (127.0.0.3, the
# same /24) is served.
pings() { # IP N: N pings from IP, one connection, the status of each
	local url i
	url=()
	for ((i = 0; i < $2; i++)); do url+=(-o /dev/null "$U/mcp"); done
	curl -sS -m 60 --interface "$1" -H 'Content-Type: application/json' \
	    --data-binary '{"jsonrpc":"2.0","id":1,"method":"ping"}' -w '%{http_code}\n' "${url[@]}"
}
U=$NGINX_FCGI
is "$(pings 127.0.0.2 600 | sort | uniq -c | awk '{ print $2 "x" $1 }' | paste -sd' ')" "200x600" \
    "600 requests of one client in its minute: answered"
# The CGI after the responder: one count in the store for both.
for how in fcgi cgi; do
	if [ "$how" = cgi ]; then U=$NGINX_CGI; else U=$NGINX_FCGI; fi
	get --interface 127.0.0.2 -X POST -H 'Content-Type: application/json' --data-binary '{"jsonrpc":"2.0","id":1,"method":"ping"}' "$U/mcp"
	is "$ST $(jq -c '[.error.code, (.error.data.retry_after > 0)]' "$RB")|$(hdr Retry-After | grep -Ec '^[1-9][0-9]?$')" "429 [-32000,true]|1" \
	    "$how: the next is 429, a JSON-RPC error, with Retry-After"
	get --interface 127.0.0.3 -X POST -H 'Content-Type: application/json' --data-binary '{"jsonrpc":"2.0","id":1,"method":"ping"}' "$U/mcp"
	is "$ST $(jq -c .result "$RB")" "200 {}" "$how: another client is served meanwhile"
done

# ------------------------------------------------------------ published
get -H 'Accept: application/mcp-server-card+json' "$U/mcp/server-card"
is "$ST|$(hdr Content-Type)" "200|application/mcp-server-card+json" "the Server Card at <endpoint>/server-card"
is "$(jq -c '[.version, .remotes[0].url, .remotes[0].type, .supportedProtocolVersions]' "$RB")" \
    "[$(jq -c .server.version "$TMP/fcgi.sdk1.json"),\"$U/mcp\",\"streamable-http\",[\"2026-07-28\",\"2025-11-25\",\"2025-06-18\"]]" \
    "the card: the server's version, its endpoint, its versions"
get "$U/.well-known/mcp/catalog.json"
is "$(jq -c '.entries[0] | [.type, .url]' "$RB")" "[\"application/mcp-server-card+json\",\"$U/mcp/server-card\"]" "the MCP Catalog lists the card"
get "$U/mcp/server.json"
is "$(jq -c '[.name, .version, .remotes[0].url]' "$RB")" "[\"1.0.0.127/mcp-uptime\",$(jq -c .server.version "$TMP/fcgi.sdk1.json"),\"$U/mcp\"]" \
    "server.json for the MCP Registry"
is "$("$BIN/mcp-probe" -r local --card -t 10 "$U/mcp" 2>/dev/null | jq -c 'select(.type == "result") | [.state, .card]')" \
    '["healthy","present"]' "mcp-probe --card: the card present and consistent with the endpoint"

unlike "$(cat "$TMP"/nginx-*/error.log "$NGINX_FCGI_ERR" "$TMP"/resp/*.b "$TMP/reader.err")" "${TOK#*.}" "the token in no answer and no log"
unlike "$(cat "$TMP"/nginx-*/error.log "$NGINX_FCGI_ERR")" 'AddressSanitizer|runtime error|upstream prematurely|signal' \
    "no crash, no sanitizer report, no upstream cut short"
unlike "$(cat "$TMP"/resp/*.b)" '[Rr]edis|\.sock|ECONN' "no store detail in any answer"
done_testing
