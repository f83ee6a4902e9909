#!/usr/bin/env bash
# alert-group.t - a storm through mcp-alert (issue 34): the incidents that
# fail together reach each route as one notification of their group
# (group_by, group_interval), while each stays an incident of its own;
# routes are paced to their rate (Slack one a second), a 429's Retry-After
# is honored, routes deliver at once (a slow one delays no other), and a
# run stops delivering at delivery_budget, losing nothing.  A private
# redis-server and the test receiver (tests/fixtures/receiver.mjs); time
# through MCP_NOW.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/alert-lib.sh"

command -v node >/dev/null || skip_all "node is not installed"
start_redis
start_receiver
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }
bodies() { jq -c --arg p "$1" 'select(.path == $p) | .body | fromjson' "$RECV_LOG"; }
count() { jq -r --arg p "$1" 'select(.path == $p) | .n' "$RECV_LOG" | wc -l; }

(umask 077 && echo R0UT1NGKEY0123456789abcdef012345 >"$TMP/pd.key")
cat >"$TMP/alert.conf" <<CONF
route pd    pagerduty $TMP/pd.key $RECV/pd/v2/enqueue
route slack slack     $RECV/slack
route hook  webhook   $RECV/hook
CONF
ma() {
	mcp-alert -c "$TMP/alert.conf" <"$TMP/in" >"$TMP/out" 2>"$TMP/err"
	echo $?
}
slugs() { for i in $(seq -w "$1" "$2"); do echo "s$i"; done; }

# --- 40 servers fail together: one notification a route ------------------------
: >"$TMP/in"
for s in $(slugs 1 40); do red "$s" 0 2 tools_list "eu-west-2 sa-east-1 us-east-1" >>"$TMP/in"; done
MCP_NOW=$(w 3)
export MCP_NOW
is "$(ma):$(cat "$TMP/err")" "0:" "40 servers red on tools_list in 3 regions: exit 0, quiet"
is "$(jq -r 'select(.event == "trigger") | .dedup_key' "$TMP/out" | wc -l)" 40 \
    "stdout: 40 triggers, one an incident"
is "$(count /hook):$(count /pd/v2/enqueue):$(count /slack)" "1:1:1" "each route got one notification"
g=$(bodies /hook)
is "$(echo "$g" | jq -r '[.event, .severity, .slug, .group.key, .group.count, (.group.slugs | length), (.group.added | length), (.group.resolved | length)] | join(" ")')" \
    "trigger P1 P1/down/tools_list P1/down/tools_list 40 40 40 0" "the webhook: one trigger of the group, every member listed"
is "$(echo "$g" | jq -r '.group.slugs | sort | join(",")')" "$(slugs 1 40 | paste -sd,)" "the members are the 40 servers"
gid=$(echo "$g" | jq -r .dedup_key)
like "$gid" '^group:P1/down/tools_list:[0-9]+$' "the group's own dedup_key"
pd=$(bodies /pd/v2/enqueue)
is "$(echo "$pd" | jq -r '"\(.event_action) \(.dedup_key)"')" "trigger $gid" "PagerDuty: one event, keyed by the group"
like "$(echo "$pd" | jq -r .payload.summary)" '40 incidents open together: s0[0-9], .* and 20 more \(40 new' \
    "its summary names the first 20 and \"and 20 more\""
like "$(bodies /slack | jq -r .text)" '40 incidents open together' "Slack: one message for the group"
is "$(mcp-alert -c "$TMP/alert.conf" incidents -j | jq -r .slug | sort -u | wc -l)" 40 \
    "each server keeps its own incident (incidents lists 40)"
is "$(mcp-alert -c "$TMP/alert.conf" ack "s07:$(w 0)" | jq -r '"\(.event) \(.slug)"'; echo "rc=$?")" \
    "$(printf 'acknowledge s07\nrc=0')" "and is acknowledged alone"
# PagerDuty's events of the group: its acknowledge of s07 is s07's own.
pdg() { bodies /pd/v2/enqueue | jq -r 'select(.event_action != "acknowledge") | "\(.event_action) \(.dedup_key)"'; }

# --- 5 more join a minute later: held to the group's interval -------------------
: >"$TMP/in"
for s in $(slugs 41 45); do red "$s" 1 3 tools_list "eu-west-2 sa-east-1 us-east-1" >>"$TMP/in"; done
MCP_NOW=$(w 4)
export MCP_NOW
is "$(ma):$(jq -r .event "$TMP/out" | sort | uniq -c | awk '{ print $2 "=" $1 }')" "0:trigger=5" \
    "5 more servers fail a minute later: 5 triggers on stdout"
is "$(count /hook):$(pdg | wc -l)" "1:1" "no notification yet: the group told its route less than 5 minutes ago"
is "$(rcli llen mcp:alert:outbox:hook)" 5 "the 5 wait in the outbox"
: >"$TMP/in"
MCP_NOW=$(($(w 3) + 299)) ma >/dev/null
is "$(count /hook)" 1 "still held at 4 m 59 s"
MCP_NOW=$(($(w 3) + 300)) ma >/dev/null
g=$(bodies /hook | tail -1)
is "$(echo "$g" | jq -r '[.event, .dedup_key == "'"$gid"'", .group.count, (.group.added | sort | join(",")), (.group.resolved | length)] | join(" ")')" \
    "trigger true 45 s41,s42,s43,s44,s45 0" "at group_interval: one notification, 45 members, the 5 added"
is "$(pdg | wc -l):$(pdg | tail -1)" "2:trigger $gid" \
    "PagerDuty: the same dedup_key, so the same incident there"
is "$(rcli llen mcp:alert:outbox:hook):$(rcli llen mcp:alert:outbox:pd)" "0:0" "the outboxes are empty"

# --- they recover: the group resolves when its last member does ---------------
: >"$TMP/in"
for s in $(slugs 1 45); do green "$s" 9 11 >>"$TMP/in"; done
MCP_NOW=$(w 12)
export MCP_NOW
is "$(ma):$(jq -r 'select(.event == "resolve") | .slug' "$TMP/out" | wc -l)" "0:45" "45 recoveries: 45 resolves on stdout"
g=$(bodies /hook | tail -1)
is "$(echo "$g" | jq -r '[.event, .dedup_key == "'"$gid"'", .group.count, (.group.resolved | length)] | join(" ")')" \
    "resolve true 0 45" "the last member recovered: the group's resolve at once, not an interval later"
is "$(pdg | tr '\n' ' ')" \
    "trigger $gid trigger $gid resolve $gid " "PagerDuty: 3 events in all for 45 servers, one incident"
is "$(count /hook):$(count /slack)" "3:3" "the webhook and Slack: 3 notifications each for 90 incident events"
is "$(rcli hlen mcp:alert:groups:hook)" 0 "the group is forgotten once resolved"

# --- a group of one is the member's own record -------------------------------------
: >"$RECV_LOG"
red solo1 13 15 dns >"$TMP/in"
MCP_NOW=$(w 16) ma >/dev/null
is "$(bodies /hook | jq -r '[.slug, .dedup_key, has("group")] | join(" ")')" "solo1 solo1:$(w 13) false" \
    "one server alone: its plain record, its own dedup_key, no group"
green solo1 16 18 >"$TMP/in"
MCP_NOW=$(w 19) ma >/dev/null
is "$(bodies /pd/v2/enqueue | jq -r '"\(.event_action) \(.dedup_key)"' | tr '\n' ' ')" \
    "trigger solo1:$(w 13) resolve solo1:$(w 13) " "and its resolve, as without grouping"

# --- one run's storm, its input coming in two bursts: told in that run -------------
printf 'route hook webhook %s/burst\n' "$RECV" >"$TMP/burst.conf"
: >"$RECV_LOG"
for s in $(slugs 1 30); do red "e$s" 0 2 connect; done >"$TMP/b1"
for s in $(slugs 31 60); do red "e$s" 0 2 connect; done >"$TMP/b2"
{ cat "$TMP/b1"; sleep 1; cat "$TMP/b2"; } | MCP_NOW=$(w 3) mcp-alert -R "$MCP_REDIS?db=6" -c "$TMP/burst.conf" >"$TMP/burst.out" 2>"$TMP/err"
n=$(count /burst)
is "$((n >= 1 && n <= 2)):$(jq -r 'select(.event == "trigger") | .slug' "$TMP/burst.out" | wc -l)" "1:60" \
    "60 servers, their verdicts in two bursts a second apart: $n notification(s), not 60, and not one held for 5 minutes"
is "$(bodies /burst | jq -r '.group.added[]' | sort | paste -sd' ')" "$(for s in $(slugs 1 60); do echo "e$s"; done | paste -sd' ')" \
    "every one of the 60 told in that run"

# --- group_by slug: every incident alone ------------------------------------------
printf 'route hook webhook %s/hook2\ngroup_by slug\n' "$RECV" >"$TMP/slug.conf"
: >"$RECV_LOG"
: >"$TMP/in"
for s in a1 a2 a3; do red "$s" 0 2 http >>"$TMP/in"; done
MCP_NOW=$(w 3) mcp-alert -R "$MCP_REDIS?db=1" -c "$TMP/slug.conf" <"$TMP/in" >/dev/null 2>&1
is "$(bodies /hook2 | jq -r .dedup_key | tr '\n' ' ')" "a1:$(w 0) a2:$(w 0) a3:$(w 0) " \
    "group_by slug: three servers, three records"
printf 'group_by region\n' >"$TMP/bad.conf"
is "$(mcp-alert -c "$TMP/bad.conf" check 2>&1; echo "rc=$?")" \
    "$(printf 'mcp-alert: %s:1: group_by: unknown label "region" (severity, kind, step or slug)\nrc=2' "$TMP/bad.conf")" \
    "group_by: an unknown label is refused, naming the file and line"

# --- incidents told alone (before grouping) resolve alone -------------------------
printf 'route hook webhook %s/was\ngroup_by slug\n' "$RECV" >"$TMP/was.conf"
: >"$RECV_LOG"
for s in f1 f2 f3; do red "$s" 0 2 http; done >"$TMP/in"
MCP_NOW=$(w 3) mcp-alert -R "$MCP_REDIS?db=7" -c "$TMP/was.conf" <"$TMP/in" >/dev/null 2>&1
printf 'route hook webhook %s/was\n' "$RECV" >"$TMP/was.conf"
for s in f1 f2 f3; do green "$s" 3 5; done >"$TMP/in"
MCP_NOW=$(w 6) mcp-alert -R "$MCP_REDIS?db=7" -c "$TMP/was.conf" <"$TMP/in" >/dev/null 2>&1
is "$(bodies /was | jq -r '"\(.event) \(.dedup_key) \(has("group"))"' | tr '\n' ' ')" \
    "trigger f1:$(w 0) false trigger f2:$(w 0) false trigger f3:$(w 0) false resolve f1:$(w 0) false resolve f2:$(w 0) false resolve f3:$(w 0) false " \
    "3 incidents told alone, then grouping turned on: each resolves under its own dedup_key (a receiver's incident is closed by its key)"

# --- pacing: Slack one a second, and routes at once --------------------------------
cat >"$TMP/pace.conf" <<CONF
route slack slack   $RECV/slack3
route hook  webhook $RECV/hook3
group_by slug
CONF
: >"$RECV_LOG"
: >"$TMP/in"
for s in b1 b2 b3 b4 b5; do red "$s" 0 2 http >>"$TMP/in"; done
s0=$(date +%s%N)
MCP_NOW=$(w 3) mcp-alert -R "$MCP_REDIS?db=2" -c "$TMP/pace.conf" <"$TMP/in" >/dev/null 2>"$TMP/err"
ms=$((($(date +%s%N) - s0) / 1000000))
ts=$(jq -r 'select(.path == "/slack3") | .t' "$RECV_LOG" | paste -sd' ')
gaps=$(echo "$ts" | awk '{ m = 1e9; for (i = 2; i <= NF; i++) if ($i - $(i-1) < m) m = $i - $(i-1); print m }')
is "$(count /slack3):$((gaps >= 950))" "5:1" "Slack, 5 messages: at most one a second (shortest gap ${gaps} ms)"
is "$((ms < 8000))" 1 "the run took ${ms} ms: the 4 s of pacing, no more"
last_hook=$(jq -r 'select(.path == "/hook3") | .t' "$RECV_LOG" | tail -1)
second_slack=$(echo "$ts" | awk '{ print $2 }')
is "$(count /hook3):$((last_hook < second_slack))" "5:1" "the webhook's 5 went out while Slack waited its turn"

# --- a slow route delays no other -------------------------------------------------
cat >"$TMP/slow.conf" <<CONF
route slow webhook $RECV/slow
route fast webhook $RECV/fast
group_by slug
CONF
recv_answer /slow 200 delay=1500
: >"$RECV_LOG"
: >"$TMP/in"
for s in c1 c2 c3; do red "$s" 0 2 http >>"$TMP/in"; done
MCP_NOW=$(w 3) mcp-alert -R "$MCP_REDIS?db=3" -c "$TMP/slow.conf" <"$TMP/in" >/dev/null 2>"$TMP/err"
first_slow=$(jq -r 'select(.path == "/slow") | .t' "$RECV_LOG" | head -1)
last_fast=$(jq -r 'select(.path == "/fast") | .t' "$RECV_LOG" | tail -1)
is "$(count /slow):$(count /fast):$((last_fast - first_slow < 1000))" "3:3:1" \
    "a receiver answering in 1.5 s: the other route's 3 went out within its first answer"

# --- Retry-After --------------------------------------------------------------------
printf 'route hook webhook %s/busy\nretry_base 10s\ngroup_by slug\n' "$RECV" >"$TMP/busy.conf"
recv_answer /busy 429 retry_after=30
: >"$RECV_LOG"
red r1 0 2 http >"$TMP/in"
mb() { mcp-alert -R "$MCP_REDIS?db=4" -c "$TMP/busy.conf" <"$TMP/in" >/dev/null 2>"$TMP/err"; }
MCP_NOW=$(w 3) mb
like "$(cat "$TMP/err")" "route hook: trigger r1:$(w 0): HTTP 429; attempt 1, next in 30 s \\(Retry-After\\)" \
    "429 with Retry-After: 30: the next attempt 30 s on, not at retry_base"
: >"$TMP/in"
recv_answer /busy 200
MCP_NOW=$(($(w 3) + 10)) mb
MCP_NOW=$(($(w 3) + 20)) mb
is "$(count /busy)" 1 "not tried again at 10 s or 20 s"
MCP_NOW=$(($(w 3) + 30)) mb
is "$(jq -r 'select(.path == "/busy") | .status' "$RECV_LOG" | tr '\n' ' ')" "429 200 " "delivered at 30 s"
recv_answer /busy 503 retry_after=999999
red r2 1 3 http >"$TMP/in"
MCP_NOW=$(w 4) mb
like "$(cat "$TMP/err")" "next in 3600 s \\(Retry-After\\)" "a Retry-After of 11 days is taken as an hour at most"

# --- delivery_budget: a run stops, the rest goes out next run ----------------------
cat >"$TMP/budget.conf" <<CONF
route slack slack $RECV/slack5
group_by slug
delivery_budget 2s
CONF
: >"$RECV_LOG"
: >"$TMP/in"
for s in $(seq 1 8); do red "d$s" 0 2 http >>"$TMP/in"; done
s0=$(date +%s%N)
mbud() { mcp-alert -R "$MCP_REDIS?db=5" -c "$TMP/budget.conf" <"$TMP/in" >/dev/null 2>"$TMP/err"; }
MCP_NOW=$(w 3) mbud
ms=$((($(date +%s%N) - s0) / 1000000))
n1=$(count /slack5)
is "$((n1 >= 2 && n1 <= 4)):$((ms < 5000))" "1:1" "delivery_budget 2s at one a second: $n1 sent, the run over in ${ms} ms"
is "$(redis-cli -s "$REDIS_SOCK" -n 5 llen mcp:alert:outbox:slack)" $((8 - n1)) "the rest waits in the outbox"
: >"$TMP/in"
for k in 1 2 3 4; do MCP_NOW=$(($(w 3) + 60 * k)) mbud; done
is "$(bodies /slack5 | jq -r .text | sed 's/.*trigger: \(d[0-9]\).*/\1/' | sort | paste -sd' ')" "d1 d2 d3 d4 d5 d6 d7 d8" \
    "the next runs send the rest: each of the 8 once"

is "$(cat "$TMP"/*err "$TMP"/out | grep -c R0UT1NGKEY)" 0 "no output or message holds the routing key"
done_testing
