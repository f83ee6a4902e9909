#!/usr/bin/env bash
# alert-watchdog.t - mcp-alert's watchdog of the probes (issue 26): a region
# silent for every slug for 5 minutes raises one P2, resolved when it
# reports again; every region silent raises one P1, "monitoring is blind";
# the heartbeat route is told while mcp-alert runs and not after.  A
# private redis-server and the test receiver.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/alert-lib.sh"

start_redis
start_receiver
# got: "event dedup_key" of each record the receiver got at /hook, sorted.
got() { jq -r 'select(.path == "/hook") | .body | fromjson | "\(.event) \(.dedup_key)"' "$RECV_LOG" | sort; }
# wd FILE: "event severity dedup_key" of the watchdog's records in FILE, sorted.
wd() {
	jq -r 'select(.kind == "runner-silent" or .kind == "monitoring-blind") | "\(.event) \(.severity) \(.dedup_key)"' "$1" | sort
}
# gv SLUG K REPORTERS MISSING: a green verdict; uv SLUG K: unknown, every region missing.
gv() { vd "$1" "$2" green ok - '' "$3" | jq -c --argjson m "$(jarr "$4")" '.missing = $m'; }
uv() { vd "$1" "$2" unknown stale - '' | jq -c --argjson m "$(jarr "$ALL")" '.reporters = [] | .missing = $m'; }
printf 'route hook webhook %s/hook\n' "$RECV" >"$TMP/alert.conf"
FOUR="ap-southeast-1 sa-east-1 us-east-1 us-west-2"

# Two slugs each minute, as cron runs it at W + 95.  Windows 0-4: every
# region reports; 5-11: eu-west-2 is missing (its runner stopped); 12-19:
# it reports again; 20-29: every runner stopped (unknown verdicts); 30-32:
# back.  The verdicts alone, without the store's results: a region that
# reports in window 4 and is missing in 5 had its last result between
# 16:02 and 16:03 (the lookback of 3 minutes), silent from 16:02 as far
# as mcp-alert can tell.
: >"$TMP/all.out" && : >"$TMP/rc"
for k in $(seq 0 32); do
	for s in a b; do
		if [ "$k" -ge 5 ] && [ "$k" -le 11 ]; then
			gv "$s" "$k" "$FOUR" eu-west-2
		elif [ "$k" -ge 20 ] && [ "$k" -le 29 ]; then
			uv "$s" "$k"
		else
			gv "$s" "$k" "$ALL" ''
		fi
	done >"$TMP/v"
	MCP_NOW=$(($(w "$k") + 95)) mcp-alert -c "$TMP/alert.conf" <"$TMP/v" >"$TMP/out" 2>>"$TMP/err"
	echo "$?" >>"$TMP/rc"
	sed "s/^/$k /" "$TMP/out" >>"$TMP/k.out"
	cat "$TMP/out" >>"$TMP/all.out"
	[ "$k" = 5 ] && cp "$TMP/all.out" "$TMP/at5"
	[ "$k" = 20 ] && cp "$TMP/all.out" "$TMP/at20"
done
is "$(sort -u "$TMP/rc" | tr '\n' ' '):$(cat "$TMP/err")" "0 :" "every run: exit 0, quiet"
is "$(wd "$TMP/at5")" "" "eu-west-2 silent 4 minutes 35 s at window 5's run: nothing yet"
is "$(grep '^6 ' "$TMP/k.out" | cut -d' ' -f2- | wd /dev/stdin)" "trigger P2 eu-west-2:runner-silent:$(w 2)" \
    "silent 5 minutes 35 s for every slug at window 6's run: one P2 for the region, not one per slug"
is "$(jq -r 'select(.kind == "runner-silent" and .event == "trigger") | "\(.summary) \(.incident_started_at) \(.at)"' "$TMP/all.out" | head -1)" \
    "runner eu-west-2 silent since 16:02 UTC: no result for any slug for 5 minutes $(w 2) $(($(w 6) + 95))" \
    "the P2 says which runner, since when"
is "$(grep '^12 ' "$TMP/k.out" | cut -d' ' -f2- | wd /dev/stdin)" "resolve P2 eu-west-2:runner-silent:$(w 2)" \
    "resolved in the first window it reports again"
is "$(jq -r 'select(.kind == "runner-silent" and .event == "resolve") | "\(.summary) \(.duration_s)"' "$TMP/all.out" | head -1)" \
    "runner eu-west-2 reporting again after 10 minutes (16:02–16:12 UTC) 600" "with how long it was silent"
is "$(wd "$TMP/at20" | grep -c -v "eu-west-2:runner-silent:$(w 2)")" 0 "every runner stopped, window 20: nothing more yet"
want=$(for r in $ALL; do echo "trigger P2 $r:runner-silent:$(w 17)"; done
	echo "trigger P1 mcp-uptime:monitoring-blind:$(w 17)")
is "$(grep '^21 ' "$TMP/k.out" | cut -d' ' -f2- | wd /dev/stdin)" "$(echo "$want" | sort)" \
    "every region silent 5 minutes 35 s: a P2 per region and one P1"
is "$(jq -r 'select(.kind == "monitoring-blind" and .event == "trigger") | .summary' "$TMP/all.out")" \
    "monitoring is blind: no region has reported since 16:17 UTC (5 regions silent)" "the P1 says monitoring is blind"
want=$(for r in $ALL; do echo "resolve P2 $r:runner-silent:$(w 17)"; done
	echo "resolve P1 mcp-uptime:monitoring-blind:$(w 17)")
is "$(grep '^30 ' "$TMP/k.out" | cut -d' ' -f2- | wd /dev/stdin)" "$(echo "$want" | sort)" "all resolved when the runners are back"
is "$(wd "$TMP/all.out" | wc -l)" 14 "nothing else from the watchdog"
is "$(got | uniq -d)" "" "the receiver got no record twice"
is "$(got | wc -l):$(got | grep -c trigger)" "14:7" "and every trigger and resolve of the watchdog"
is "$(redis-cli -s "$REDIS_SOCK" --scan --pattern 'mcp:{*}:incident*' | grep -v '{[ab]}' | wc -l)" 0 \
    "the read side's incidents hold none of them (their slugs are no servers)"
is "$(grep -c '"slug":"[ab]"' "$TMP/all.out")" 0 "the verdicts' slugs, green or unknown, raised nothing"

# runner_silent: a longer silence before the P2.
printf 'route hook webhook %s/hook\nrunner_silent 10m\n' "$RECV" >"$TMP/slow.conf"
for k in $(seq 100 111); do
	if [ "$k" -le 100 ]; then gv c "$k" "$ALL" ''; else gv c "$k" "$FOUR" eu-west-2; fi >"$TMP/v"
	MCP_NOW=$(($(w "$k") + 95)) mcp-alert -R "$MCP_REDIS?db=1" -c "$TMP/slow.conf" <"$TMP/v" 2>&1 | sed "s/^/$k /"
done >"$TMP/slow.out"
is "$(cut -d' ' -f2- "$TMP/slow.out" | wd /dev/stdin):$(cut -d' ' -f1 "$TMP/slow.out")" \
    "trigger P2 eu-west-2:runner-silent:$(w 98):107" "runner_silent 10m: the P2 after 10 minutes (and 35 s)"

# A store that never saw the regions report (mcp-alert new, the runners
# already dead): silent at least since the lookback of the first verdict
# that named them missing began (15:58).
for k in $(seq 0 5); do
	uv d "$k" >"$TMP/v"
	MCP_NOW=$(($(w "$k") + 95)) mcp-alert -R "$MCP_REDIS?db=3" -c "$TMP/alert.conf" <"$TMP/v" 2>&1 | sed "s/^/$k /"
done >"$TMP/fresh.out"
is "$(cut -d' ' -f1 "$TMP/fresh.out" | sort -u):$(cut -d' ' -f2- "$TMP/fresh.out" | wd /dev/stdin | grep -c trigger)" "2:6" \
    "never reported, no result since 15:58: a P2 per region and the P1 at window 2's run (16:03:35)"

# Through mcp-aggregate: eu-west-2's runner stops after its probes of
# 16:02:17 (T); the store holds each region's last result, so the page
# says since when to the second and comes within runner_silent and a
# minute of T, not before runner_silent.
export MCP_SPOOL=$TMP/spool
T=$(($(w 2) + 17))
for k in $(seq 0 9); do
	{
		"$TOP/tests/gen-scenario.sh" -q -N 3 -s x -r "${FOUR// /,}" -t "$(w "$k")"
		[ "$k" -gt 2 ] || "$TOP/tests/gen-scenario.sh" -q -N 3 -s x -r eu-west-2 -t "$(w "$k")" -o 17
	} | MCP_NOW=$(($(w "$k") + 30)) mcp-aggregate push -R "$MCP_REDIS?db=4"
	MCP_NOW=$(($(w "$k") + 95)) mcp-aggregate verdict -R "$MCP_REDIS?db=4" >"$TMP/v"
	MCP_NOW=$(($(w "$k") + 95)) mcp-alert -R "$MCP_REDIS?db=4" -c "$TMP/alert.conf" <"$TMP/v" 2>&1 |
	    sed "s/^/$k /"
	jq -r '"\(.window) \(.missing | join(","))"' "$TMP/v" | sort -u >>"$TMP/agg.missing"
done >"$TMP/agg.out"
is "$(grep -c "^$(w 5) eu-west-2$" "$TMP/agg.missing"):$(grep -c "^$(w 4) eu-west-2$" "$TMP/agg.missing")" "1:0" \
    "the verdicts name eu-west-2 missing from window 5 (its last result out of the lookback)"
page=$(cut -d' ' -f2- "$TMP/agg.out" | jq -c 'select(.kind == "runner-silent")')
is "$(echo "$page" | jq -r '"\(.event) \(.incident_started_at) \(.summary)"')" \
    "trigger $T runner eu-west-2 silent since 16:02 UTC: no result for any slug for 5 minutes" \
    "one P2, silent since the region's last result (the store's), to the second"
at=$(echo "$page" | jq -r .at)
ok "$([ "$at" -le $((T + 300 + 60)) ] && [ "$at" -ge $((T + 300)) ]; echo $?)" \
    "the page comes within runner_silent and a minute of the last result, not before: $((at - T)) s after it"
is "$(grep -c -v '"kind":"runner-silent"' "$TMP/agg.out")" 0 "nothing else, no warning"

# --- the heartbeat ---------------------------------------------------------------------
printf 'route hook webhook %s/hook\nroute beat webhook %s/beat\nheartbeat beat 2s\ntick 1s\n' \
    "$RECV" "$RECV" >"$TMP/beat.conf"
beats() { jq -r 'select(.path == "/beat") | .body | fromjson | .event' "$RECV_LOG" | wc -l; }
mkfifo "$TMP/fifo"
mcp-alert -R "$MCP_REDIS?db=2" -c "$TMP/beat.conf" <"$TMP/fifo" >"$TMP/beat.out" 2>"$TMP/beat.err" &
pid=$!
exec 7>"$TMP/fifo"
has_beat() { [ "$(beats)" -ge 1 ]; }
wait_for 100 has_beat
sleep 5
n=$(beats)
# The first, then one every 2 s (the key's TTL), never one per tick (1 s): 2 to 4.
ok "$([ "$n" -ge 2 ] && [ "$n" -le 4 ]; echo $?)" "heartbeats while it runs, one every 2 s: $n in 5 s after the first"
is "$(jq -r 'select(.path == "/beat") | .body | fromjson | "\(.event) \(.slug) \(.summary)"' "$RECV_LOG" | sort -u)" \
    "heartbeat mcp-alert mcp-alert is running (a heartbeat every 2 s)" "a heartbeat record"
exec 7>&-
wait "$pid"
is "$?:$(cat "$TMP/beat.out" "$TMP/beat.err")" "0:" "it ends with its input, exit 0, and prints no heartbeat"
n=$(beats)
sleep 5
is "$(beats)" "$n" "no heartbeat after it stopped"
printf 'route hook slack https://hooks.slack.com/x\nheartbeat hook 1m\n' >"$TMP/bad.conf"
is "$(mcp-alert -c "$TMP/bad.conf" check 2>&1):$?" \
    "mcp-alert: $TMP/bad.conf:2: heartbeat: route \"hook\": not a webhook or command route:2" "heartbeat: a webhook or command route"

printf 'route hook webhook %s/hook\nlookback 6m\n' "$RECV" >"$TMP/lb.conf"
is "$(mcp-alert -c "$TMP/lb.conf" check 2>&1):$?" \
    "mcp-alert: $TMP/lb.conf:2: lookback: from 2m to 5m, as mcp-aggregate -L: 6m:2" "lookback: mcp-aggregate's range"

done_testing
