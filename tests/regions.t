#!/usr/bin/env bash
# test: alone (network namespaces, sshd or timing that a second test would disturb)
# timeout: 1500 (minutes of CPU: a busy machine stretches it past 600 s)
# build: plain (its checks are of the plain build: the sanitizer build skips it)
# regions.t - five regions on one machine, through the whole chain: network
# namespaces with their own sshd runners, real MCP servers, nftables faults,
# mcp-fleet once per simulated minute (MCP_NOW), push, verdict, mcp-alert
# delivering to a real receiver.  Four servers live through their stories
# at once, one slug each:
#   calm     healthy throughout
#   isp      ap-southeast-1's route to it dropped (minutes 3-9)
#   down     the server killed (minutes 5-7), then back
#   weather  a deploy at minute 3 renames a tool; eu-west-2's edge serves the
#            old list for 45 minutes
# and us-west-2's runner hangs (its SSH stops answering) in minutes 15-19.
# Then a day of probes losing 1 % at random in every region: not one page.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/fleet-lib.sh
. "$TOP/tests/fleet-lib.sh"
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }

case $BIN in
*-san) skip_all "the sanitizer build: this test is about the network and takes minutes; the same tools run under ASan and UBSan in mcp-fleet.t, pipeline.t, alert*.t and aggregate*.t" ;;
esac
[ -x /usr/sbin/sshd ] || skip_all "no sshd (openssh-server): scripts/deps installs it"
command -v nft >/dev/null || skip_all "no nft (nftables): scripts/deps installs it"
REGIONS="us-east-1 us-west-2 eu-west-2 ap-southeast-1 sa-east-1"
# shellcheck disable=SC2086 # the region names are words
regions_up $REGIONS || skip_all "the regions did not start"
[ "$REGIONS_NETNS" = 1 ] || skip_all "faults need network namespaces (root and ip netns): the namespace-free regions are covered by mcp-fleet.t"
start_redis
start_receiver || skip_all "the receiver did not start"

# serve NAME TOOLS [PORT]: a regional.mjs deployment on SERVER_IP.
serve() {
	rm -f "$TMP/$1.port"
	node "$TOP/tests/fixtures/regional.mjs" --port-file "$TMP/$1.port" --host "$SERVER_IP" \
	    --tools "$2" ${3:+--port "$3"} 2>>"$TMP/$1.log" &
	eval "PID_$1=$!"
	bg_pid $!
	# Node's start on a busy machine can take more than the usual 10 s.
	wait_file "$TMP/$1.port" 600
}
serve origin v2 && serve edge v1 && serve old v1 && serve isp v2 && serve down v2 ||
    skip_all "the MCP servers did not start"
url() { echo "http://$SERVER_IP:$(cat "$TMP/$1.port")/mcp"; }

# targets R WEATHER [ISP]: region R's targets file, weather served by
# WEATHER, isp's timeout ISP seconds (10).  10 s, not 2, which a busy
# machine's first answers took (a red window 0); while its route is
# dropped, ap-southeast-1 waits 3 s on it: the fault's seven minutes, not
# seventy seconds of the test's time.
targets() {
	{
		echo "calm $(url origin)"
		echo "isp $(url isp) timeout=${3:-10}"
		echo "down $(url down) timeout=10"
		echo "weather $(url "$2")"
	} >"$TMP/targets-$1"
}
for r in $REGIONS; do
	targets "$r" old
done

printf 'route hook webhook %s/hook\n' "$RECV" >"$TMP/alert.conf" && chmod 600 "$TMP/alert.conf"
# One SSH connection per runner for the whole test (persist), as an
# operator would run it every minute.  A region's deadline holds its SSH
# connection and mcp-probe's own margins (its -d ends a second and a half
# before; it starts a target only with two seconds left): 20 s, which a
# quiet machine never waits for (a run ends when its probes do).  With 5,
# a busy machine's first minute, its SSH masters still to open, left
# mcp-probe no time to start a target: every one "not started", at dns,
# in every region, and the first window red.  The hung runner's deadline
# alone is 5 s, in the minutes it hangs (conf 5).
# conf [HUNG]: the fleet's configuration, us-west-2's deadline HUNG seconds.
conf() {
	local c=("store $MCP_REDIS" "alert $TMP/alert.conf" "probe $RUNNER_BIN/mcp-probe" "deadline 20"
	    "persist 300") r
	for r in $REGIONS; do
		c+=("region $r ${REGION_DEST[$r]} targets=$TMP/targets-$r")
		[ -z "${1:-}" ] || [ "$r" != us-west-2 ] || c[-1]+=" deadline=$1"
	done
	fleet_conf "$TMP/fleet.conf" "${c[@]}"
}
conf

T0=$((($(date +%s) + 86400) / 60 * 60))
# minute K: one run of mcp-fleet at T0 + 60 K + 50 s: its probes are of
# window K, its verdicts of window K - 1 (complete at its end + 35 s).
: >"$TMP/verdicts"
: >"$TMP/alerts"
: >"$TMP/runs"
minute() {
	local k=$1 start=$EPOCHREALTIME rc
	MCP_NOW=$((T0 + 60 * k + 50)) "$TOP/scripts/mcp-fleet" -v -c "$TMP/fleet.conf" \
	    >>"$TMP/alerts" 2>"$TMP/run.err"
	rc=$?
	cat "$TMP/fleet-state/run/verdicts.jsonl" >>"$TMP/verdicts"
	echo "$k $rc $(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') $(tr '\n' '|' <"$TMP/run.err")" >>"$TMP/runs"
}
# v SLUG WINDOW [JQ]: the verdict of SLUG for window T0 + 60 WINDOW.
v() {
	jq -c --arg s "$1" --argjson w $((T0 + 60 * $2)) \
	    "select(.slug == \$s and .window == \$w) | ${3:-[.verdict, .severity, .failed_regions]}" "$TMP/verdicts"
}
# vs SLUG FROM TO [JQ]: the verdicts of windows FROM..TO, distinct, in order.
vs() {
	local w
	for w in $(seq "$2" "$3"); do
		v "$1" "$w" "${4:-}"
	done | uniq | tr '\n' ' '
}
alerts() { jq -r --arg s "$1" 'select(.slug == $s) | "\(.event) \(.severity)"' "$TMP/alerts" | tr '\n' ','; }

for k in $(seq 0 52); do
	case $k in
	3)
		region_nft ap-southeast-1 "ip daddr $SERVER_IP tcp dport $(cat "$TMP/isp.port") drop"
		# The deploy: the origin serves the new list; every region but
		# eu-west-2 sees it, eu-west-2's edge keeps the old one.
		for r in $REGIONS; do
			if [ "$r" = eu-west-2 ]; then targets "$r" edge; else targets "$r" origin; fi
		done
		targets ap-southeast-1 origin 3
		;;
	5)
		down_port=$(cat "$TMP/down.port")
		# shellcheck disable=SC2154 # set by serve
		kill "$PID_down"
		wait "$PID_down" 2>/dev/null
		;;
	8) serve down v2 "$down_port" ;;
	10)
		region_nft ap-southeast-1 ""
		targets ap-southeast-1 origin
		;;
	15)
		conf 5
		region_nft us-west-2 "tcp sport 22 drop"
		;;
	20)
		region_nft us-west-2 ""
		conf
		;;
	48) targets eu-west-2 origin ;;
	esac
	minute "$k"
done
diag "53 simulated minutes: $(awk '{ s += $3 } END { printf "%.0f", s }' "$TMP/runs") s"

# --- calm: green all along, no alert ---------------------------------------------
is "$(vs calm 0 51 '.verdict')" '"green" ' "calm: green in every window, the hung runner's included"
is "$(alerts calm)" "" "calm: no alert"
is "$(v calm 14 .reporters)" '["ap-southeast-1","eu-west-2","sa-east-1","us-east-1","us-west-2"]' "calm: five regions report"

# --- isp: one region's route dropped ---------------------------------------------
is "$(vs isp 0 2 .verdict)" '"green" ' "isp: green before the fault"
is "$(vs isp 3 9)" '["amber","regional",["ap-southeast-1"]] ' \
    "isp: amber naming ap-southeast-1 in every window of the fault"
is "$(v isp 5 '[.step, .error]')" '["connect","connect_timeout"]' "isp: failing at connect, by timeout (the packets are dropped)"
is "$(alerts isp)" "trigger P2,resolve P2," "isp: one P2, never a P1, resolved after the route is back"
like "$(jq -r 'select(.slug == "isp" and .event == "trigger") | .summary' "$TMP/alerts")" \
    "reachable from eu-west-2, sa-east-1, us-east-1 and us-west-2, not from ap-southeast-1" \
    "isp: the page says where from"

# --- down: the server killed -------------------------------------------------------
is "$(v down 5)" '["red","outage",["ap-southeast-1","eu-west-2","sa-east-1","us-east-1","us-west-2"]]' \
    "down: red outage in the first window"
is "$(v down 5 .step)" '"connect"' "down: at connect"
is "$(alerts down)" "trigger P1,resolve P1," "down: one P1 and one resolve"
is "$(jq -r 'select(.slug == "down" and .event == "trigger") | .incident_started_at' "$TMP/alerts")" $((T0 + 300)) \
    "down: the incident starts at the first failing window"
is "$(jq -r 'select(.slug == "down" and .event == "resolve") | .duration_s' "$TMP/alerts")" 180 \
    "down: resolved with the duration of the outage (3 minutes)"
is "$(jq -c 'select(.path == "/hook") | .body | fromjson | select(.slug == "down") | .event' "$RECV_LOG" | tr '\n' ' ')" \
    '"trigger" "resolve" ' "down: the receiver got the trigger and the resolve, once each"

# --- weather: the EU edge serves the old tool list for 45 minutes --------------------
is "$(vs weather 0 2 '[.verdict, .divergence]')" '["green",null] ' "weather: one list everywhere before the deploy"
is "$(v weather 3 '[.verdict, .severity, .divergence]')" '["amber","divergence","cdn-cache-divergence"]' \
    "weather: cdn-cache-divergence from the deploy's first window"
is "$(v weather 3 '[.drift[].region]')" '["ap-southeast-1","sa-east-1","us-east-1","us-west-2"]' \
    "weather: a drift for each region that sees the new list"
is "$(vs weather 4 47 .divergence)" '"cdn-cache-divergence" ' "weather: divergent for the 45 minutes"
is "$(v weather 48 '[.verdict, .divergence, [.drift[].region]]')" '["green",null,["eu-west-2"]]' \
    "weather: the edge catches up: green, and eu-west-2's own drift"
is "$(alerts weather)" "trigger P2,resolve P2," "weather: one incident (P2), resolved"
# The rename is breaking, so the incident is the change of the tools
# (tools-changed, issue 46), the stale edge's divergence its story.
is "$(jq -r 'select(.slug == "weather") | .kind' "$TMP/alerts" | sort -u)" tools-changed \
    "weather: the incident is the change of its tools"
like "$(jq -r 'select(.slug == "weather" and .event == "trigger") | .summary' "$TMP/alerts")" \
    'eu-west-2 still serves get_data; the other regions renamed it fetch_data: breaking' \
    "weather: the page says who serves what, in words"

# --- the hung runner ----------------------------------------------------------------
for k in 15 16 17 18 19; do
	read -r _ rc secs _ < <(grep "^$k " "$TMP/runs")
	# Cut at its own 5 s, not held to the others' 20 s (which none waits for).
	awk -v s="$secs" 'BEGIN { exit !(s < 20) }'
	ok $? "minute $k: the run ends on time with us-west-2 hung ($secs s)"
done
like "$(grep '^16 ' "$TMP/runs")" "^16 1 .*us-west-2: .*cut at its 5 s deadline" "the hung runner is reported, exit 1"
is "$(v calm 16 '[.verdict, .missing]')" '["green",[]]' "within the lookback its last results still count"
is "$(v calm 18 '[.verdict, .reporters, .missing]')" \
    '["green",["ap-southeast-1","eu-west-2","sa-east-1","us-east-1"],["us-west-2"]]' \
    "then it is missing, and the verdict stays green: no false red"
is "$(v calm 22 .missing)" '[]' "back once it answers"

# --- a day of 1 % loss in every region ----------------------------------------------
# The fault, real: 20 % of the connections from sa-east-1 are reset.
region_nft sa-east-1 "ip daddr $SERVER_IP tcp flags syn numgen random mod 100 < 20 reject with tcp reset"
{
	for i in $(seq 60); do
		echo "loss-$i $(url origin)"
	done
} >"$TMP/targets-loss"
region_exec sa-east-1 "$BIN/mcp-probe" -r sa-east-1 -j 20 -f "$TMP/targets-loss" 2>/dev/null |
    jq -r 'select(.type == "result" and .state == "broken") | "\(.failed_step) \(.error.code)"' |
    sort | uniq -c >"$TMP/loss"
region_nft sa-east-1 ""
like "$(cat "$TMP/loss")" "^ +[0-9]+ connect connect_refused$" \
    "a lost connection fails the probe at connect (connect_refused), and nothing else does"
diag "loss sample: $(tr -s ' \n' ' ' <"$TMP/loss")of 60"
# The day, compressed: 1440 windows, each region's probe failing as above
# with probability 1 %, by a seeded generator, through push, verdict and
# mcp-alert.  (The chance of a page by the rules is about 1 in 70 days:
# three regions losing a probe in the same minute.)
D0=$((T0 + 7 * 86400))
awk -v seed=15 -v n=1440 -v regions="$REGIONS" 'BEGIN {
	srand(seed); k = split(regions, r, " ")
	for (w = 0; w < n; w++) for (i = 1; i <= k; i++) if (rand() < 0.01) print w, r[i]
}' >"$TMP/losses"
diag "losses in the day: $(wc -l <"$TMP/losses") of $((1440 * 5)) probes"
{
	tests/gen-scenario.sh -q -s lossy -r "${REGIONS// /,}" -n 1440 -t "$D0" |
	    awk 'NR == FNR { lost[$1 " " $2] = 1; next }
		{ match($0, /"region":"[^"]*"/); r = substr($0, RSTART + 10, RLENGTH - 11)
		  match($0, /"probe_started_at":[0-9.]*/); w = int((substr($0, RSTART + 19, RLENGTH - 19) - d0) / 60)
		  if (!((w " " r) in lost)) print }' d0="$D0" "$TMP/losses" -
	while read -r w r; do
		tests/gen-scenario.sh -q -s lossy -r "$r" -f connect -o $((60 * w + 3)) -t "$D0" |
		    sed 's/"error":{"code":"[a-z_]*"/"error":{"code":"connect_refused"/'
	done <"$TMP/losses"
} >"$TMP/day.jsonl"
MCP_NOW=$((D0 + 86400)) mcp-aggregate push <"$TMP/day.jsonl"
is "$?:$(res_regions lossy "$((D0 + 600))" | wc -w | tr -d ' ')" 0:5 "the day is stored"
seq 0 1439 | xargs -P 2 -I{} sh -c 'MCP_NOW=$(('"$D0"' + 60 * {} + 95)) mcp-aggregate verdict lossy' |
    jq -s -c 'sort_by(.window)[]' >"$TMP/day.verdicts"
is "$(wc -l <"$TMP/day.verdicts")" 1440 "1440 verdicts"
jq -r '.window' "$TMP/day.verdicts" | sort -c -n
ok $? "in window order"
# Two regions losing a probe within 3 minutes of each other make a red
# window by the two-of-N rule; neither is failing for long.
diag "red windows in the day: $(jq -r 'select(.verdict == "red") | .window' "$TMP/day.verdicts" | wc -l)"
MCP_NOW=$((D0 + 86400)) mcp-alert -c "$TMP/alert.conf" <"$TMP/day.verdicts" >"$TMP/day.alerts"
is "$(cat "$TMP/day.alerts")" "" "a day of 1 % loss: not one page"

done_testing
