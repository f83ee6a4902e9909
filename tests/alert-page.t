#!/usr/bin/env bash
# alert-page.t - mcp-alert's routes of the paging and phone services
# (issue 62): ntfy, Gotify, Pushover, Opsgenie, Splunk On-Call and
# Alertmanager, each through a receiver that checks what the service's
# documentation says it accepts and answers as it does
# (tests/fixtures/page-services.mjs): results pushed, decided by
# mcp-aggregate verdict and alerted, for a trigger, an acknowledgement and
# a resolve with the same identity at each service; hostile texts; a 429
# storm that loses nothing; routes test and test for every kind; the real
# Alertmanager when it is installed.  A private redis-server; time through
# MCP_NOW.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/alert-lib.sh"

command -v node >/dev/null || skip_all "node is not installed"
start_redis
export MCP_SPOOL=$TMP/spool
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }

# The services' secrets, each in a file of mode 600 (umask 077: alert-lib.sh).
NTFY_TOKEN=tk_ntfy0secret0token0for0tests00
GOTIFY_KEY=AgotifySecretAppKey0
PO_TOKEN=azGDORePK8gMaC0QOYAMyEEuzJnyUi
PO_USER=uQiRzpo4DXghDmr9QzzfQu27cmVRsG
GENIE_KEY=eb243592-faa2-4ba2-a551-1afdf565c889
VO_KEY=vo0rest0api0key0secret0
jq -n --arg a "$NTFY_TOKEN" --arg b "$GOTIFY_KEY" --arg c "$PO_TOKEN" --arg d "$PO_USER" \
    --arg e "$GENIE_KEY" --arg f "$VO_KEY" \
    '{ntfy:$a,gotify:$b,pushover_token:$c,pushover_user:$d,opsgenie:$e,victorops:$f}' >"$TMP/secrets.json"
SECRETS="$NTFY_TOKEN $GOTIFY_KEY $PO_TOKEN $PO_USER $GENIE_KEY $VO_KEY mcp-pages-7f3a"
node "$TOP/tests/fixtures/page-services.mjs" --port-file "$TMP/ps.port" --log "$TMP/ps.log" \
    --secrets "$TMP/secrets.json" 2>"$TMP/ps.err" &
bg_pid $!
wait_file "$TMP/ps.port" || { ok 1 "the services' receiver starts: $(cat "$TMP/ps.err")"; done_testing; }
PS=http://127.0.0.1:$(cat "$TMP/ps.port")
echo "$NTFY_TOKEN" >"$TMP/ntfy.key"
echo "$GOTIFY_KEY" >"$TMP/gotify.key"
echo "$PO_TOKEN" >"$TMP/po-token.key"
echo "$PO_USER" >"$TMP/po-user.key"
echo "$GENIE_KEY" >"$TMP/genie.key"
# The topic of an ntfy URL and the key of On-Call's are secrets: url_file=.
echo "$PS/mcp-pages-7f3a" >"$TMP/ntfy.url"
echo "$PS/victorops/integrations/generic/20131114/alert/$VO_KEY/ops-team" >"$TMP/vo.url"
cat >"$TMP/alert.conf" <<CONF
route ntfy   ntfy         url_file=$TMP/ntfy.url $TMP/ntfy.key
route gotify gotify       $PS/gotify $TMP/gotify.key
route po     pushover     $TMP/po-token.key $TMP/po-user.key $PS/1/messages.json
route og     opsgenie     $TMP/genie.key $PS/opsgenie
route vo     victorops    url_file=$TMP/vo.url
route am     alertmanager $PS/am/
status_page https://status.example.com/
retry_base 30s
group_by slug
CONF

# --- route lines: what is wrong is said, the line and the file named ----------------------
# conf_err LINE...: mcp-alert's complaint about a configuration of these lines.
conf_err() {
	printf '%s\n' "$@" >"$TMP/bad.conf"
	mcp-alert -c "$TMP/bad.conf" routes test 2>&1 >/dev/null | sed "s|$TMP|TMP|g"
}
echo "$GOTIFY_KEY" >"$TMP/open.key" && chmod 644 "$TMP/open.key"
printf 'tok en\n' >"$TMP/blank.key"
is "$(conf_err "route n ntfy https://ntfy.sh/")" \
    'mcp-alert: TMP/bad.conf:1: route "n": not an ntfy topic URL (https://HOST/TOPIC, TOPIC of [-_A-Za-z0-9]{1,64})' \
    "ntfy: a URL that names no topic"
is "$(conf_err "route g gotify $PS/gotify $TMP/open.key")" \
    "mcp-alert: TMP/bad.conf:1: TMP/open.key: accessible by group or others (chmod 600)" "a token file others can read"
is "$(conf_err "route a alertmanager $PS/am $TMP/blank.key")" \
    "mcp-alert: TMP/bad.conf:1: TMP/blank.key: not a token: a blank or a character that is not ASCII" \
    "a token that would break its header"
is "$(conf_err "route p pushover $TMP/po-token.key")" \
    'mcp-alert: TMP/bad.conf:1: route "p": wrong number of arguments for pushover' "pushover: a user key wanted"
is "$(conf_err "route o opsgenie $TMP/genie.key" "digest o 1h")" \
    'mcp-alert: TMP/bad.conf:2: digest: route "o": a route of incidents has no digest' "no digest for a route of incidents"

# req PATH-PREFIX: the requests the services got at paths starting so, one JSON line each.
req() { jq -c --arg p "$1" 'select(.path | startswith($p))' "$TMP/ps.log"; }
state() { curl -sf "$PS/_state"; }
refused() { jq -r 'select(.error != null) | "\(.path): \(.error)"' "$TMP/ps.log"; }
ntfy_b() { req / | jq -c 'select(.path == "/") | .body | fromjson'; }

# window SLUG K [STEP]: window K of SLUG probed from five regions, two of
# them failing at STEP when given, and pushed as a runner pushes.
window() {
	local t
	t=$(w "$2")
	{
		"$TOP/tests/gen-scenario.sh" -q -s "$1" -r ap-southeast-1,sa-east-1,us-west-2 -t "$t"
		"$TOP/tests/gen-scenario.sh" -q -s "$1" -r eu-west-2,us-east-1 -t "$t" ${3:+-f "$3"}
	} | MCP_NOW=$((t + 30)) mcp-aggregate push 2>>"$TMP/pipe.err"
}
# decide K SLUG...: window K decided by mcp-aggregate verdict and told by
# mcp-alert (its records in $TMP/out, its stderr in $TMP/err); the status.
decide() {
	local k=$1
	shift
	MCP_NOW=$(($(w "$k") + 95)) mcp-aggregate verdict "$@" 2>>"$TMP/pipe.err" |
	    MCP_NOW=$(($(w "$k") + 95)) mcp-alert -c "$TMP/alert.conf" >"$TMP/out" 2>"$TMP/err"
	echo $?
}

# --- a trigger, through the pipeline, to every service ----------------------------
for k in 0 1 2; do
	window weather "$k" http
	rc=$(decide "$k" weather)
done
is "$rc:$(cat "$TMP/err" "$TMP/pipe.err")" "0:" "three failing windows: exit 0, quiet"
is "$(jq -r '"\(.event) \(.severity) \(.dedup_key)"' "$TMP/out")" "trigger P1 weather:$(w 0)" "the trigger's record"
KEY=weather:$(w 0)
is "$(refused)" "" "every service accepted its request"
is "$(jq -r '.path' "$TMP/ps.log" | sort | tr '\n' ' ')" \
    "/ /1/messages.json /am/api/v2/alerts /gotify/message /opsgenie/v2/alerts /victorops/integrations/generic/20131114/alert/$VO_KEY/ops-team " \
    "one request to each of the six"

n=$(ntfy_b)
is "$(echo "$n" | jq -c '[.topic, .title, .priority, .tags, .click, .markdown]')" \
    '["mcp-pages-7f3a","P1 trigger: weather",5,["rotating_light","mcp-uptime"],"https://status.example.com/status/weather",false]' \
    "ntfy: JSON published to the root, the topic, title, priority 5, click to the status page, no markdown"
is "$(echo "$n" | jq -r .message)" "weather: http failing in 2 regions
Status page: https://status.example.com/status/weather
dedup_key: $KEY" "ntfy: the message says the summary, the status page and the dedup key"
is "$(jq -r 'select(.path == "/") | .headers.authorization' "$TMP/ps.log")" "Bearer $NTFY_TOKEN" "ntfy: the token of the protected topic as a Bearer"
g=$(req /gotify | jq -c '.body | fromjson')
is "$(echo "$g" | jq -c '[.title, .priority, .extras]')" \
    '["P1 trigger: weather",8,{"client::display":{"contentType":"text/plain"},"client::notification":{"click":{"url":"https://status.example.com/status/weather"}}}]' \
    "Gotify: title, priority 8, plain text, a tap opens the status page"
is "$(req /gotify | jq -r '.headers["x-gotify-key"]')" "$GOTIFY_KEY" "Gotify: the application token in X-Gotify-Key"
p=$(req /1/messages.json)
is "$(echo "$p" | jq -r '.headers["content-type"]')" "application/x-www-form-urlencoded" "Pushover: a form"
is "$(echo "$p" | jq -r .body | tr '&' '\n' | grep -v -e '^message=' | sort | tr '\n' ' ')" \
    "priority=1 title=P1%20trigger%3A%20weather token=$PO_TOKEN url=https%3A%2F%2Fstatus.example.com%2Fstatus%2Fweather url_title=Status%20page user=$PO_USER " \
    "Pushover: token, user, title, priority 1 (high, not 2: no receipt to acknowledge), the status page"
o=$(req /opsgenie | jq -c '.body | fromjson')
is "$(echo "$o" | jq -c '[.message, .alias, .priority, .source, .entity, .details.status_page]')" \
    "[\"weather: http failing in 2 regions\",\"$KEY\",\"P1\",\"mcp-uptime\",\"weather\",\"https://status.example.com/status/weather\"]" \
    "Opsgenie: a create, the dedup key its alias, P1"
is "$(req /opsgenie | jq -r .headers.authorization)" "GenieKey $GENIE_KEY" "Opsgenie: Authorization: GenieKey"
v=$(req /victorops | jq -c '.body | fromjson')
is "$(echo "$v" | jq -c '[.message_type, .entity_id, .entity_display_name, .state_start_time, .monitoring_tool]')" \
    "[\"CRITICAL\",\"$KEY\",\"P1 trigger: weather\",$(w 0),\"mcp-uptime\"]" \
    "Splunk On-Call: CRITICAL, the dedup key its entity_id"
a=$(req /am | jq -c '.body | fromjson | .[0]')
is "$(echo "$a" | jq -c '[.labels, .startsAt, .endsAt, .generatorURL]')" \
    "[{\"alertname\":\"MCPDown\",\"slug\":\"weather\",\"severity\":\"P1\",\"kind\":\"down\",\"dedup_key\":\"$KEY\",\"source\":\"mcp-uptime\"},\"2026-11-24T16:00:00Z\",\"2026-11-24T16:07:35Z\",\"https://status.example.com/status/weather\"]" \
    "Alertmanager: its labels, startsAt the incident's start, endsAt four minutes on, the status page"
is "$(state | jq -c '[.opsgenie[].status, .victorops[].state, (.alertmanager | length)]')" '["open","triggered",1]' \
    "the services hold one open incident each"

# Secrets never in what mcp-alert says nor in the store (its outboxes, its
# dead letters, the alerts kept for Alertmanager).
dump() {
	local k
	rcli --scan | while read -r k; do
		case $(rcli type "$k") in
		string) rcli get "$k" ;; list) rcli lrange "$k" 0 -1 ;; hash) rcli hgetall "$k" ;;
		set) rcli smembers "$k" ;; zset) rcli zrange "$k" 0 -1 ;;
		esac
	done
}
leaks() {
	local s
	for s in $SECRETS; do grep -l -F -- "$s" "$@" 2>/dev/null | sed "s|^|$s in |"; done
}
dump >"$TMP/store.txt"
is "$(leaks "$TMP/out" "$TMP/err" "$TMP/store.txt")" "" "no token, key or secret topic in the records, stderr or store"
like "$(rcli hget mcp:alert:am:am "$KEY")" '"alertname":"MCPDown"' "Alertmanager's firing alert kept in the store"

# --- sent again while it fires: Alertmanager does not resolve it ---------------------
: >"$TMP/ps.log"
rcli del mcp:alert:am:am:sent >/dev/null # the minute since the last sending is over
: >"$TMP/in"
MCP_NOW=$(($(w 3) + 95)) mcp-alert -c "$TMP/alert.conf" <"$TMP/in" >"$TMP/out" 2>"$TMP/err"
is "$?:$(jq -r .path "$TMP/ps.log" | tr '\n' ' ')" "0:/am/api/v2/alerts " "a minute on: Alertmanager alone hears of it again"
is "$(req /am | jq -c '.body | fromjson | [length, .[0].labels.dedup_key, .[0].startsAt, .[0].endsAt]')" \
    "[1,\"$KEY\",\"2026-11-24T16:00:00Z\",\"2026-11-24T16:08:35Z\"]" "the same labels and start, endsAt moved on"
MCP_NOW=$(($(w 3) + 100)) mcp-alert -c "$TMP/alert.conf" <"$TMP/in" >"$TMP/out" 2>"$TMP/err"
is "$(wc -l <"$TMP/ps.log")" 1 "not again within the minute"

# --- acknowledged with mcp-alert ack ----------------------------------------------------
: >"$TMP/ps.log"
MCP_NOW=$(($(w 3) + 100)) mcp-alert -c "$TMP/alert.conf" ack weather >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "0:" "mcp-alert ack weather: exit 0"
is "$(refused)" "" "every acknowledgement accepted"
is "$(jq -r '.path + .query' "$TMP/ps.log" | sort | tr '\n' ' ')" \
    "/am/api/v2/silences /opsgenie/v2/alerts/weather%3A$(w 0)/acknowledge?identifierType=alias /victorops/integrations/generic/20131114/alert/$VO_KEY/ops-team " \
    "Opsgenie acknowledges the alias, On-Call its entity, Alertmanager gets a silence; the phones nothing"
is "$(state | jq -c '[.opsgenie[].acknowledged, .victorops[].state, (.silences[0].matchers | map("\(.name)=\(.value)"))]')" \
    "[true,\"acknowledged\",[\"alertname=MCPDown\",\"dedup_key=$KEY\"]]" \
    "held as acknowledged by each; the silence matches this incident alone"

# --- the resolve, through the pipeline ------------------------------------------------------
: >"$TMP/ps.log"
for k in 4 5 6; do
	window weather "$k"
	rc=$(decide "$k" weather)
done
is "$rc:$(cat "$TMP/err")" "0:" "three passing windows: exit 0, quiet"
is "$(jq -r .event "$TMP/out")" "resolve" "the resolve's record"
is "$(refused)" "" "every service accepted the resolve"
is "$(state | jq -c '[.opsgenie[].status, .victorops[].state]')" '["closed","resolved"]' \
    "Opsgenie closed the alias, On-Call recovered the entity: the same identity"
is "$(req /opsgenie | jq -r '.path + .query')" "/opsgenie/v2/alerts/weather%3A$(w 0)/close?identifierType=alias" \
    "Opsgenie: close by alias"
is "$(req /am | jq -c '.body | fromjson | .[0] | [.labels.dedup_key, .labels.severity, .endsAt]')" \
    "[\"$KEY\",\"P1\",\"$(date -u -d "@$(($(w 6) + 95))" +%Y-%m-%dT%H:%M:%SZ)\"]" \
    "Alertmanager: the same labels, endsAt now"
is "$(rcli hlen mcp:alert:am:am)" 0 "nothing fires any more: nothing is sent again"
is "$(ntfy_b | jq -c '[.title, .priority, .tags[0]]')" '["P1 resolve: weather",2,"white_check_mark"]' \
    "ntfy: the resolve, quiet"

# --- routes test and test, every kind --------------------------------------------------------
: >"$TMP/ps.log"
export MCP_NOW=$(($(w 7) + 95))
is "$(mcp-alert -c "$TMP/alert.conf" routes test --severity P2 | tail -1)" "told: ntfy, gotify, po, og, vo, am" \
    "routes test: every kind told"
{ grep -v -e '^route ntfy' -e '^route gotify' -e '^route po' "$TMP/alert.conf"; echo "escalate 15m og"; } >"$TMP/own.conf"
is "$(mcp-alert -c "$TMP/own.conf" routes test | tail -1)" "then: left to the escalation of the services told" \
    "routes test: Opsgenie, On-Call and Alertmanager escalate on their own, as PagerDuty"
for r in ntfy gotify po og vo am; do
	mcp-alert -c "$TMP/alert.conf" test --route "$r" "t-$r" >/dev/null 2>>"$TMP/err.test"
	echo "$r $?"
done >"$TMP/test.rc"
is "$(tr '\n' ' ' <"$TMP/test.rc"):$(cat "$TMP/err.test")" "ntfy 0 gotify 0 po 0 og 0 vo 0 am 0 :" \
    "mcp-alert test --route: delivered to each kind, exit 0"
is "$(refused)" "" "each test accepted"
is "$(ntfy_b | jq -r .title):$(req /gotify | jq -r '.body | fromjson | .title')" \
    "[TEST] P1 test: t-ntfy:[TEST] P1 test: t-gotify" "the phones: marked as a test"
is "$(req /opsgenie | jq -r '.body | fromjson | "\(.priority) \(.message)"')" \
    "P5 [TEST] t-og: test alert from mcp-alert test; nothing is failing" "Opsgenie: a test is P5"
is "$(req /victorops | jq -r '.body | fromjson | .message_type')" "INFO" "On-Call: a test is INFO, no incident"
is "$(req /am | jq -r '.body | fromjson | .[0] | "\(.labels.alertname) \(.endsAt)"')" \
    "MCPTest $(date -u -d "@$((MCP_NOW + 300))" +%Y-%m-%dT%H:%M:%SZ)" "Alertmanager: MCPTest, ending by itself in five minutes"
is "$(rcli hlen mcp:alert:am:am)" 0 "a test is not kept firing"
echo "wrong-$GENIE_KEY" >"$TMP/wrong.key"
printf 'route og opsgenie %s %s/opsgenie\n' "$TMP/wrong.key" "$PS" >"$TMP/wrong.conf"
is "$(mcp-alert -R "$MCP_REDIS?db=2" -c "$TMP/wrong.conf" test t-wrong 2>&1 >/dev/null)" "mcp-alert: test: route og: not delivered: HTTP 401" \
    "a key Opsgenie refuses: not delivered, said without the key"
unset MCP_NOW

# --- hostile texts ----------------------------------------------------------------------------
# A change of tools whose names hold newlines, a header of their own, markup,
# mentions and 10 KB, in a verdict as mcp-aggregate writes it.
A=sha256:$(printf 'a%.0s' $(seq 64))
B=sha256:$(printf 'b%.0s' $(seq 64))
BIG=$(head -c 10240 /dev/zero | tr '\0' 'x')
EVIL=$(jq -nc --arg big "$BIG" '{class:"breaking",breaking:true,counts:{breaking:1,review:0,compatible:0},security:0,
  items:[{class:"breaking",kind:"tool_renamed",tool:"get\r\nX-Injected: 1\r\n\r\n@everyone <!channel> **bold** <b>x</b>",to:$big,inferred:true}],more:0,text:"-"}')
jq -nc --argjson w "$(w 8)" --argjson c "$EVIL" --arg a "$A" --arg b "$B" --argjson all "$(jarr "$ALL")" \
    '{v:1,type:"verdict",slug:"evil",window:$w,as_of:($w|todate),verdict:"amber",severity:"divergence",step:null,
      failed_regions:[],reporters:$all,missing:[],divergence:"cdn-cache-divergence",
      drift:[$all[] | select(. != "eu-west-2") | {region:., from:$a, to:$b, kind:"tools", change:$c}],
      p95_ms:142,uptime_30d:99.87,failing_now:[],
      tools_divergence:[{regions:["eu-west-2"],hash:$a,majority:$b,change:$c}]}' >"$TMP/in"
: >"$TMP/ps.log"
MCP_NOW=$(($(w 8) + 95)) mcp-alert -c "$TMP/alert.conf" <"$TMP/in" >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/err"):$(jq -r '"\(.event) \(.kind)"' "$TMP/out")" "0::trigger tools-changed" \
    "a change of tools with hostile names: a trigger, exit 0, quiet"
is "$(refused)" "" "every service accepted it: within each one's limits"
is "$(jq -r '.headers | keys[]' "$TMP/ps.log" | grep -ci injected)" 0 "no header of a server's text"
like "$(ntfy_b | jq -r .message)" "Review it: mcp-aggregate tools evil, then mcp-aggregate tools evil --approve, or --reject
Status page: https://status.example.com/status/evil" "ntfy: what to run, then the status page"
is "$(req /opsgenie | jq -r '.body | fromjson | .message | length <= 130')" true "Opsgenie: its message within 130"
is "$(ntfy_b | jq -r '.title'):$(ntfy_b | jq -r '.message' | grep -c .)" "P2 trigger: evil:5" \
    "ntfy: the title the slug's; the message five lines: summary, what to run, link, key, and that the names are the server's"
is "$(ntfy_b | jq -r '.message' | tail -1)" "the tool names above are the monitored server's own text: untrusted data, not instructions" \
    "...the names marked as the monitored server's, untrusted"
# A server that names its tool with the very words of the line: the line stays.
jq -c '.slug = "evil2" | .drift[].change.items[0].tool = "mcp-aggregate tools evil2 --approve" |
    .tools_divergence[0].change.items[0].tool = "mcp-aggregate tools evil2 --approve"' "$TMP/in" >"$TMP/in2"
: >"$TMP/ps.log"
MCP_NOW=$(($(w 8) + 95)) mcp-alert -c "$TMP/alert.conf" <"$TMP/in2" >/dev/null 2>&1
like "$(ntfy_b | jq -r .message)" "Review it: mcp-aggregate tools evil2, then mcp-aggregate tools evil2 --approve, or --reject" \
    "ntfy: what to run is said though the server named its tool with those words"

# A record of 10 KB with newlines and a header in it, queued as mcp-alert
# queues: what each sender does with text it did not cut itself.
HUGE=$(printf 'line one\r\nX-Injected: yes\r\n\r\n@everyone <script>alert(1)</script> %s \xf0\x9f\x94\xa5' "$BIG")
: >"$TMP/ps.log"
now=$(($(w 9) + 5))
for r in ntfy gotify po og vo am; do
	jq -nc --arg r "$r" --arg s "$HUGE" --argjson t "$now" \
	    '{id:("h-" + $r),route:$r,n:0,first:$t,next:$t,rec:{v:1,type:"alert",event:"trigger",severity:"P1",slug:"hostile",
	      dedup_key:"hostile:1",incident_started_at:$t,step:null,regions:[],summary:$s,at:$t}}' |
	    rcli -x rpush "mcp:alert:outbox:$r" >/dev/null
done
: >"$TMP/in"
MCP_NOW=$now mcp-alert -c "$TMP/alert.conf" <"$TMP/in" >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "0:" "a 10 KB summary with CR, LF and a header: delivered, quiet"
is "$(refused)" "" "every service accepted it"
is "$(jq -r .path "$TMP/ps.log" | wc -l):$(rcli llen mcp:alert:dead)" "6:0" "once to each, nothing dead"
is "$(jq -r '.headers | keys[]' "$TMP/ps.log" | grep -ci injected)" 0 "no header made of it"
m=$(ntfy_b | jq -r .message)
is "$(printf '%s' "$m" | wc -c | awk '{print ($1 <= 4096)}'):$(printf '%s\n' "$m" | wc -l)" "1:3" \
    "ntfy: at most 4,096 bytes (no attachment), three lines: the summary one"
like "$m" '^line one  X-Injected: yes    @everyone <script>alert\(1\)</script> x+…' "ntfy: the controls spaces, cut with …"
is "$(printf '%s\n' "$m" | tail -1)" "dedup_key: hostile:1" "the dedup key kept past the cut"
po=$(req /1/messages.json | jq -r '.body')
is "$(node -e 'const p=new URLSearchParams(process.argv[1]);console.log(p.get("message").length<=1024,p.get("message").split("\n").length)' "$po")" \
    "true 3" "Pushover: at most 1,024 characters, three lines: the summary one"
is "$(req /opsgenie | jq -r '.body | fromjson | [(.message|length) <= 130, (.description|length) <= 15000, (.message|test("\n")|not)] | join(" ")')" \
    "true true true" "Opsgenie: message within 130 on one line, description within 15,000"
is "$(req /am | jq -r '.body | fromjson | .[0].annotations.summary | length <= 1024 and (test("\n")|not)')" true \
    "Alertmanager: the summary annotation bounded, one line"
is "$(iconv -f UTF-8 -t UTF-8 "$TMP/ps.log" >/dev/null && echo utf8)" utf8 "every body valid UTF-8: no character cut in two"

# --- a 429 storm: nothing lost ------------------------------------------------------------------
# Twelve servers fail at once; every service answers its first three
# requests 429 with Retry-After: 7.  Runs every 8 seconds until every
# outbox is empty: each service gets every incident, nothing is dead.
VO_PATH=/victorops/integrations/generic/20131114/alert/$VO_KEY/ops-team
for p in / /gotify/message /1/messages.json /opsgenie/v2/alerts "$VO_PATH" /am/api/v2/alerts; do
	curl -sf "$PS/_control?path=$p&status=429&retry_after=7&count=3" >/dev/null
done
: >"$TMP/ps.log"
: >"$TMP/storm.err"
slugs=$(seq -f 'storm-%05g' 1 12 | tr '\n' ' ')
for k in 10 11 12; do
	t=$(w "$k")
	# Every region fails: the servers are down (a region alone failing every slug is blind).
	"$TOP/tests/gen-scenario.sh" -q -N 12 -s storm -r "${ALL// /,}" -t "$t" -f connect |
	    MCP_NOW=$((t + 30)) mcp-aggregate push 2>>"$TMP/pipe.err"
	# shellcheck disable=SC2086 # the slugs, a word each
	MCP_NOW=$((t + 95)) mcp-aggregate verdict $slugs 2>>"$TMP/pipe.err" |
	    MCP_NOW=$((t + 95)) mcp-alert -c "$TMP/alert.conf" >>"$TMP/storm.out" 2>>"$TMP/storm.err"
done
is "$(jq -r 'select(.event == "trigger") | .slug' "$TMP/storm.out" | sort -u | wc -l)" 12 "twelve triggers"
outboxes() { for r in ntfy gotify po og vo am; do rcli llen "mcp:alert:outbox:$r"; done | paste -sd+ | bc; }
left=$(outboxes)
runs=0
now=$(($(w 12) + 95))
while [ "$left" -gt 0 ] && [ "$runs" -lt 20 ]; do
	now=$((now + 8))
	MCP_NOW=$now mcp-alert -c "$TMP/alert.conf" </dev/null >>"$TMP/storm.out" 2>>"$TMP/storm.err"
	left=$(outboxes)
	runs=$((runs + 1))
done
is "$left:$(rcli llen mcp:alert:dead)" "0:0" "every outbox emptied, nothing dead ($runs runs after the storm's)"
is "$(jq -r 'select(.status == 429) | .path' "$TMP/ps.log" | sort | uniq -c | awk '{print $1}' | sort -u)" 3 \
    "each service answered 429 three times"
like "$(cat "$TMP/storm.err")" 'attempt 1, next in 7 s \(Retry-After\)' "Retry-After honoured: the next attempt 7 s on"
is "$(grep -v -e 'next in 7 s (Retry-After)' "$TMP/storm.err")" "" "no other complaint"
accepted() { jq -r --arg p "$1" 'select(.path == $p and .status < 300) | .body' "$TMP/ps.log"; }
keys_in() { grep -o 'storm-[0-9]*:[0-9][0-9]*' | sort -u | wc -l; }
is "$(accepted / | keys_in) $(accepted /gotify/message | keys_in) $(accepted /1/messages.json | sed 's/%3A/:/g' | keys_in)" \
    "12 12 12" "the phones: each incident told once accepted"
is "$(state | jq -r '[([.opsgenie | to_entries[] | select(.key | startswith("storm-")) | select(.value.status == "open")] | length),
    ([.victorops | to_entries[] | select(.key | startswith("storm-")) | select(.value.state == "triggered")] | length),
    ([.alertmanager[] | select(.labels.slug | startswith("storm-"))] | length)] | join(" ")')" \
    "12 12 12" "Opsgenie, On-Call and Alertmanager: twelve open incidents each"
is "$(jq -r 'select(.status < 300) | .path' "$TMP/ps.log" | sort | uniq -c | awk '{print $1}' | sort -u | tr '\n' ' ')" "12 " \
    "and no incident told twice"

# --- the real Alertmanager -----------------------------------------------------------------------
AM_BIN=$(command -v prometheus-alertmanager || command -v alertmanager || true)
if [ -z "$AM_BIN" ]; then
	diag "skipped: the real Alertmanager: prometheus-alertmanager is not installed (scripts/deps --bench installs it)"
	done_testing
	exit 0
fi
port=$(free_port)
AMURL=http://127.0.0.1:$port
printf 'route:\n  receiver: blackhole\n  group_wait: 1s\nreceivers:\n  - name: blackhole\n' >"$TMP/am.yml"
"$AM_BIN" --config.file="$TMP/am.yml" --storage.path="$TMP/amdata" --web.listen-address="127.0.0.1:$port" \
    --cluster.listen-address= --log.level=warn >"$TMP/am.log" 2>&1 &
bg_pid $!
wait_http "$AMURL/-/ready" 150 || { ok 1 "Alertmanager starts: $(tail -3 "$TMP/am.log")"; done_testing; exit 0; }
printf 'route real alertmanager %s\nstatus_page https://status.example.com\ngroup_by slug\n' "$AMURL" >"$TMP/real.conf"
R5="$MCP_REDIS?db=5"
# Its clock is the system's: windows of the last ten minutes, mcp-alert on the real clock.
RT=$(($(date +%s) / 60 * 60 - 600))
# rwin K [STEP]: window K of realam, failing at STEP in every region when given, pushed, decided, told.
rwin() {
	local t=$((RT + 60 * $1))
	"$TOP/tests/gen-scenario.sh" -q -s realam -r "${ALL// /,}" -t "$t" ${2:+-f "$2"} |
	    MCP_NOW=$((t + 30)) mcp-aggregate push -R "$R5" 2>>"$TMP/pipe.err"
	MCP_NOW=$((t + 95)) mcp-aggregate verdict -R "$R5" realam 2>>"$TMP/pipe.err" |
	    mcp-alert -R "$R5" -c "$TMP/real.conf" >>"$TMP/real.out" 2>>"$TMP/real.err"
}
amq() { curl -sf -G "$AMURL/api/v2/$1" --data-urlencode 'filter=slug="realam"' "${@:2}"; }
before=$(date +%s) # the sends are after it
for k in 0 1 2; do rwin "$k" http; done
RKEY=realam:$RT
is "$(jq -r '"\(.event) \(.dedup_key)"' "$TMP/real.out"):$(cat "$TMP/real.err")" "trigger $RKEY:" "real Alertmanager: the trigger taken"
is "$(amq alerts | jq -c '[.[] | [.labels.alertname, .labels.dedup_key, .status.state, .startsAt[:19]]]')" \
    "[[\"MCPDown\",\"$RKEY\",\"active\",\"$(date -u -d "@$RT" +%Y-%m-%dT%H:%M:%S)\"]]" \
    "real Alertmanager: one alert, active, our labels, from the incident's start"
ends=$(amq alerts | jq -r '.[0].endsAt | sub("\\.[0-9]+"; "") | fromdate')
# endsAt is four minutes past the send, whenever that was on a busy machine.
ok "$([ "$ends" -ge $((before + 180)) ]; echo $?)" "real Alertmanager: it lasts minutes unless sent again (endsAt $((ends - before)) s after the sends began)"
mcp-alert -R "$R5" -c "$TMP/real.conf" ack "$RKEY" >>"$TMP/real.out" 2>>"$TMP/real.err"
is "$?:$(cat "$TMP/real.err")" "0:" "mcp-alert ack: exit 0"
is "$(curl -sf "$AMURL/api/v2/silences" | jq -c '[.[] | select(.status.state == "active") | [.createdBy, (.matchers | map("\(.name)=\(.value)"))]]')" \
    "[[\"mcp-alert\",[\"alertname=MCPDown\",\"dedup_key=$RKEY\"]]]" "real Alertmanager: the ack an active silence of the alert"
wait_for 50 test "$(amq alerts | jq -r '.[0].status.state')" = suppressed
is "$(amq alerts | jq -r '.[0].status.state')" suppressed "real Alertmanager: the alert silenced"
for k in 3 4 5; do rwin "$k"; done
is "$(jq -r .event "$TMP/real.out" | tr '\n' ' '):$(cat "$TMP/real.err")" "trigger acknowledge resolve :" "the resolve"
wait_for 50 test "$(amq alerts | jq length)" = 0
is "$(amq alerts | jq length)" 0 "real Alertmanager: resolved, no longer listed"

done_testing
