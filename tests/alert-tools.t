#!/usr/bin/env bash
# alert-tools.t - a change of a server's tool list told by mcp-alert
# (issue 46): the seeds' story (get_data renamed fetch_data at 14:02 in
# four regions, eu-west-2's edge serving the old list until 14:47) is one
# page in words and one resolve; a compatible or review change is a note
# (P3), never PagerDuty; hostile tool names bounded and escaped in every
# delivery.  Verdicts written as mcp-aggregate writes them (drift[].change,
# tools_divergence); a private redis-server and the test receiver
# (tests/fixtures/receiver.mjs); time through MCP_NOW.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/alert-lib.sh"

command -v node >/dev/null || skip_all "node is not installed"
start_redis
start_receiver
# hm MM: 14:MM of the story's day, 2026-11-24.
hm() { echo $((T0 - 7200 + 60 * 10#$1)); }
export MCP_NOW
MCP_NOW=$(hm 50)
PD_KEY=R0UT1NGKEY0123456789abcdef012345
SLACK_PATH=/services/T000/B000/XXXXSLACKSECRETXXXX
echo "$PD_KEY" >"$TMP/pd.key"
printf '#!/bin/sh\ncat >>"$1"\n' >"$TMP/sink" && chmod +x "$TMP/sink"
cat >"$TMP/alert.conf" <<CONF
route pd    pagerduty $TMP/pd.key $RECV/pd/v2/enqueue
route slack slack     $RECV$SLACK_PATH
route hook  webhook   $RECV/hook
route log   command   $TMP/sink $TMP/command.out
route dig   webhook   $RECV/dig
digest dig 1h
notify P1,P2 always pd slack hook log
notify P3 always pd slack hook log dig
group_by slug
CONF
ma() {
	mcp-alert -c "$TMP/alert.conf" <"$TMP/in" >"$TMP/out" 2>"$TMP/err"
	echo $?
}
bodies() { jq -c --arg p "$1" 'select(.path == $p) | .body | fromjson' "$RECV_LOG"; }
A=sha256:$(printf 'a%.0s' $(seq 64))
B=sha256:$(printf 'b%.0s' $(seq 64))
C=sha256:$(printf 'c%.0s' $(seq 64))
FOUR='["ap-southeast-1","sa-east-1","us-east-1","us-west-2"]'

# summ CLASS ITEM...: a change summary as mcp_diff_summary writes it.
summ() {
	local cls=$1
	shift
	jq -nc --arg c "$cls" --argjson items "$(printf '%s\n' "$@" | jq -sc .)" \
	    '{class:$c,breaking:($c=="breaking"),counts:{breaking:([$items[]|select(.class=="breaking")]|length),
	      review:([$items[]|select(.class=="review")]|length),compatible:([$items[]|select(.class=="compatible")]|length)},
	      security:0,items:$items,more:0,text:"-"}'
}
RENAME=$(summ breaking '{"class":"breaking","kind":"tool_renamed","tool":"get_data","to":"fetch_data","inferred":true}')
# tv SLUG MM VERDICT SEVERITY DRIFT TDIV: a verdict of window 14:MM.
tv() {
	local div=null
	[ "$4" = divergence ] && div='"cdn-cache-divergence"'
	jq -nc --arg s "$1" --argjson w "$(hm "$2")" --arg v "$3" --arg sv "$4" --argjson div "$div" \
	    --argjson drift "$5" --argjson td "$6" --argjson all "$(jarr "$ALL")" \
	    '{v:1,type:"verdict",slug:$s,window:$w,as_of:($w|todate),verdict:$v,severity:$sv,step:null,
	      failed_regions:[],reporters:$all,missing:[],divergence:$div,drift:$drift,p95_ms:142,
	      uptime_30d:99.87,failing_now:[]} + (if $td == null then {} else {tools_divergence:$td} end)'
}
# drift REGIONS_JSON FROM TO CHANGE: one drift entry a region.
drift() { jq -c --arg f "$2" --arg t "$3" --argjson c "$4" '[.[] | {region:., from:$f, to:$t, kind:"tools", change:$c}]' <<<"$1"; }
tdiv() { jq -nc --argjson r "$1" --arg h "$2" --arg m "$3" --argjson c "$4" '[{regions:$r,hash:$h,majority:$m,change:$c}]'; }

# --- the seeds' story ----------------------------------------------------------
{
	tv weather 00 green ok '[]' null
	tv weather 01 green ok '[]' null
	tv weather 02 amber divergence "$(drift "$FOUR" "$A" "$B" "$RENAME")" "$(tdiv '["eu-west-2"]' "$A" "$B" "$RENAME")"
	for m in $(seq 3 46); do
		tv weather "$m" amber divergence '[]' "$(tdiv '["eu-west-2"]' "$A" "$B" "$RENAME")"
	done
	tv weather 47 green ok "$(drift '["eu-west-2"]' "$A" "$B" "$RENAME")" null
	tv weather 48 green ok '[]' null
} >"$TMP/in"
is "$(ma):$(cat "$TMP/err")" "0:" "the story's 49 verdicts: exit 0, quiet"
is "$(jq -r '"\(.event) \(.severity) \(.kind // "down") \(.incident_started_at)"' "$TMP/out" | tr '\n' ' ')" \
    "trigger P2 tools-changed $(hm 02) resolve P2 tools-changed $(hm 02) " \
    "one trigger (tools-changed, P2) at 14:02 and one resolve; no divergence incident of its own"
WORDS="weather: eu-west-2 still serves get_data; the other regions renamed it fetch_data: breaking for agents that call get_data"
is "$(jq -r 'select(.event == "trigger") | .summary' "$TMP/out")" "$WORDS" "the page says it in words"
is "$(jq -c 'select(.event == "trigger") | [.dedup_key, .tool_hash, .change_class, .regions]' "$TMP/out")" \
    "[\"weather:tools-changed:$(hm 02)\",\"$B\",\"breaking\",$FOUR]" \
    "its dedup_key, the new list's hash, its class, the regions that took it"
is "$(jq -r 'select(.event == "resolve") | "\(.duration_s) \(.summary)"' "$TMP/out")" \
    "2700 weather: tools-changed ended after 45 minutes (14:02–14:47 UTC); every region serves one tool list again." \
    "resolved at 14:47, when eu-west-2 serves the new list"
is "$(bodies /pd/v2/enqueue | jq -r '"\(.event_action) \(.dedup_key) \(.payload.severity // "-")"' | tr '\n' ' ')" \
    "trigger weather:tools-changed:$(hm 02) error resolve weather:tools-changed:$(hm 02) - " \
    "PagerDuty: one trigger, one resolve, one dedup_key"
is "$(bodies /pd/v2/enqueue | jq -r 'select(.event_action == "trigger") | .payload.summary')" "$WORDS" \
    "PagerDuty: the words"
# Slack's header names the slug; its section is the words past it (the slug once).
is "$(bodies "$SLACK_PATH" | jq -r '.blocks[1].text.text' | head -1)" "${WORDS#weather: }" "Slack: the words"
is "$(bodies /hook | jq -r .summary | head -1)" "$WORDS" "webhook: the words"
is "$(wc -l <"$TMP/command.out")" 2 "command: the trigger and the resolve, no more"
is "$(mcp-alert -c "$TMP/alert.conf" incidents </dev/null | grep -c tools-changed)" 0 "no incident open after"

# The same list seen again later (a replayed drift): no second page.
tv weather 49 green ok "$(drift '["us-east-1"]' "$A" "$B" "$RENAME")" null >"$TMP/in"
: >"$RECV_LOG"
is "$(ma):$(cat "$TMP/out")" "0:" "a region taking the list again after the incident: told already, no page"

# --- a divergence alone, worded --------------------------------------------------
REQ=$(summ breaking '{"class":"breaking","kind":"property_added_required","tool":"forecast","path":"units"}')
{
	for m in 00 01 02; do tv seam "$m" amber divergence '[]' "$(tdiv '["eu-west-2","sa-east-1"]' "$A" "$B" "$REQ")"; done
} >"$TMP/in"
: >"$RECV_LOG"
is "$(ma):$(jq -r '"\(.event) \(.summary)"' "$TMP/out")" \
    '0:trigger seam: cdn-cache-divergence: eu-west-2 and sa-east-1 still serve the old forecast; the other regions made "units" required on forecast: breaking for agents that do not send it' \
    "a divergence with no drift in sight: its own incident, in words"

# A change not known (the lists were not kept): said so, never paged nor noted.
UNK='[{"regions":["us-east-1"],"hash":"'$A'","majority":"'$B'","change":null,"change_unknown":"not_kept"}]'
UNKD=$(jq -c '[.[] | {region:., from:"'$A'", to:"'$B'", kind:"tools", change:null, change_unknown:"not_kept"}]' <<<"$FOUR")
{
	tv blind 00 amber divergence "$UNKD" "$UNK"
	for m in 01 02; do tv blind "$m" amber divergence '[]' "$UNK"; done
} >"$TMP/in"
: >"$RECV_LOG"
is "$(ma):$(jq -r '"\(.event) \(.kind // "down") \(.summary)"' "$TMP/out")" \
    '0:trigger down blind: cdn-cache-divergence: us-east-1 serves another tool list than the other regions (what changed is not known: not_kept)' \
    "a change not known: the divergence says so and why; the drift pages nobody"

# --- compatible and review: notes, never PagerDuty ------------------------------
ADD=$(summ compatible '{"class":"compatible","kind":"tool_added","tool":"get_alerts"}')
DESC=$(summ review '{"class":"review","kind":"description_changed","tool":"get_data","security":true}')
ANNO=$(summ review '{"class":"review","kind":"annotation_changed","tool":"delete_file","path":"destructiveHint","before":"false","after":"true","security":true}')
ALL5=$(jarr "$ALL")
{
	tv calc 10 green ok "$(drift "$ALL5" "$A" "$B" "$ADD")" null
	tv calc 11 green ok "$(drift '["eu-west-2"]' "$A" "$B" "$ADD")" null
	tv calc 12 green ok "$(drift "$ALL5" "$B" "$C" "$DESC")" null
	tv anno 12 green ok "$(drift "$ALL5" "$A" "$B" "$ANNO")" null
} >"$TMP/in"
: >"$RECV_LOG"
: >"$TMP/command.out"
is "$(ma):$(cat "$TMP/err")" "0:" "compatible and review changes: exit 0, quiet"
is "$(jq -r '"\(.event) \(.severity) \(.kind) \(.change_class)"' "$TMP/out" | tr '\n' ' ')" \
    "note P3 tools-note compatible note P3 tools-note review note P3 tools-note review " \
    "a note a new list (the fifth region's catching up tells nothing new); no incident"
is "$(jq -r .summary "$TMP/out")" "calc: the tool list changed in ap-southeast-1, eu-west-2, sa-east-1, us-east-1 and us-west-2: added get_alerts: compatible: nothing breaks for agents
calc: the tool list changed in ap-southeast-1, eu-west-2, sa-east-1, us-east-1 and us-west-2: changed the description of get_data: review it (what the model reads)
anno: the tool list changed in ap-southeast-1, eu-west-2, sa-east-1, us-east-1 and us-west-2: turned destructiveHint on for delete_file: review it" \
    "each note in words"
is "$(grep -c . < <(bodies /pd/v2/enqueue))" 0 "PagerDuty hears of none"
is "$(bodies /hook | jq -r .event | tr '\n' ' '):$(wc -l <"$TMP/command.out")" "note note note :3" \
    "the webhook and the command route take each note"

# A route with a digest collects the notes (P3) as it does other notices.
is "$(grep -c . < <(bodies /dig)):$(redis-cli -s "$REDIS_SOCK" llen mcp:alert:digest:dig)" "0:3" \
    "a route with a digest: the notes wait for it"

# A divergence whose change is only compatible (a tool added at the origin,
# an edge not yet serving it): agents calling what they called before do
# not break, so it is P3 (its routes, never the night's page); a breaking
# one is P2 (seam, above).
{
	for m in 00 01 02; do tv plus "$m" amber divergence '[]' "$(tdiv '["eu-west-2"]' "$A" "$B" "$ADD")"; done
} >"$TMP/in"
: >"$RECV_LOG"
is "$(ma):$(jq -r '"\(.event) \(.severity)"' "$TMP/out")" "0:trigger P3" \
    "a compatible divergence: a P3 incident, not a P2 page"

# --- hostile names ---------------------------------------------------------------
BIG=$(head -c 10240 /dev/zero | tr '\0' 'x')
EVIL=$(jq -nc --arg big "$BIG" '{class:"breaking",breaking:true,counts:{breaking:2,review:0,compatible:0},security:0,
  items:[{class:"breaking",kind:"tool_renamed",tool:"get\ndata<script>alert(1)</script>&\u202e\u0007",to:$big,inferred:true}],more:0,text:"-"}')
{
	tv evil 02 amber divergence "$(drift "$FOUR" "$A" "$B" "$EVIL")" "$(tdiv '["eu-west-2"]' "$A" "$B" "$EVIL")"
} >"$TMP/in"
: >"$RECV_LOG"
: >"$TMP/command.out"
is "$(ma):$(cat "$TMP/err")" "0:" "a change whose names are hostile: exit 0, quiet"
sum=$(jq -r .summary "$TMP/out")
is "$(jq -r '.summary | length < 400' "$TMP/out")" true "the summary is bounded (a 10 KB name cut)"
is "$(printf '%s' "$sum" | grep -c .)" 1 "one line: a newline in a name is not one"
like "$sum" '^evil: eu-west-2 still serves get\?data<script>alert\(1\)</script>&\?\?; the other regions renamed it x{60,64}…: breaking for agents that call get\?data<script>' \
    "the names cut and their controls, bidi override and bell made ?"
is "$(bodies /pd/v2/enqueue | jq -r '.payload.summary | length <= 1024')" true "PagerDuty: bounded"
slack=$(bodies "$SLACK_PATH" | jq -r '.blocks[1].text.text')
like "$slack" '&lt;script&gt;alert\(1\)&lt;/script&gt;&amp;' "Slack: the HTML of a name escaped"
unlike "$slack" '<script>' "Slack: no raw markup"
is "$(bodies /hook | jq -r .summary)" "$sum" "webhook: the record, as JSON (escaped by JSON)"
is "$(jq -c . "$TMP/command.out" >/dev/null && echo json)" json "command: valid JSON"
is "$(LC_ALL=C.UTF-8 jq -r .summary "$TMP/command.out" | iconv -f UTF-8 -t UTF-8 >/dev/null && echo utf8)" utf8 \
    "valid UTF-8 (a name cut between whole characters)"

# --- grouped as everything else ---------------------------------------------------
# A library upgrade renames a tool on 30 servers at once: one notification
# for the group (the default group_by), each server its own incident.
redis-cli -s "$REDIS_SOCK" del mcp:alert:owner >/dev/null
printf 'route hook webhook %s/grp\n' "$RECV" >"$TMP/group.conf"
for i in $(seq -w 1 30); do tv "fleet$i" 20 green ok "$(drift "$ALL5" "$A" "$B" "$RENAME")" null; done >"$TMP/in"
: >"$RECV_LOG"
mcp-alert -c "$TMP/group.conf" <"$TMP/in" >"$TMP/out" 2>"$TMP/err"
is "$(jq -r 'select(.event == "trigger") | .kind' "$TMP/out" | sort | uniq -c | tr -s ' '):$(cat "$TMP/err")" \
    " 30 tools-changed:" "30 servers, 30 tools-changed incidents"
is "$(bodies /grp | jq -r '"\(.event) \(.group.key) \(.group.count)"')" "trigger P2/tools-changed/- 30" \
    "one notification for their group"
done_testing
