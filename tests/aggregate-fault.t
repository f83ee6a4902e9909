#!/usr/bin/env bash
# aggregate-fault.t - no publisher can blind a region for everyone (issue
# 39): twelve registry entries of one publisher fail only the probes of
# eu-west-2 and us-east-1 (their X-Probe-Region), as many as the rest of
# the fleet, while one server outside that set is really down from those
# two regions.  Then a runner that is truly blind (sa-east-1: every target
# refused) in the same fleet.  Real components: regional.mjs servers on the
# official SDK, mcp-probe run as four regions, mcp-aggregate push and
# verdict into a private redis-server, mcp-alert over the verdicts with its
# state in that store.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/aggregate-lib.sh"

start_redis
export MCP_SPOOL=$TMP/spool
REGIONS="ap-southeast-1 eu-west-2 sa-east-1 us-east-1"
H=12 # hostile entries, as many as the rest: 11 healthy servers and the victim

# serve NAME [ARGS]: a regional.mjs server on 127.0.0.1.
serve() {
	node "$TOP/tests/fixtures/regional.mjs" --port-file "$TMP/$1.port" "${@:2}" 2>"$TMP/$1.log" &
	bg_pid $!
	wait_file "$TMP/$1.port" || {
		diag "$1 did not start: $(cat "$TMP/$1.log")"
		return 1
	}
}
# The publisher's server fails eu-west-2 at http and us-east-1 at
# tools_list: two steps, so its entries are amber, never red.
serve evil --fail eu-west-2:http,us-east-1:tools && serve good && serve victim ||
    skip_all "the MCP servers did not start"
url() { echo "http://127.0.0.1:$(cat "$TMP/$1.port")/mcp"; }
CLOSED=$(free_port)

# line SLUG SERVER REFUSED(0|1): a target line; refused, its route from
# the region ends at a closed port (connect refused).
line() {
	local port
	port=$(cat "$TMP/$2.port")
	if [ "$3" = 1 ]; then
		echo "$1 $(url "$2") connect_to=127.0.0.1:$port:127.0.0.1:$CLOSED"
	else
		echo "$1 $(url "$2")"
	fi
}
# targets VICTIM_DOWN(0|1) BLIND(0|1): a region's targets file; blind,
# every target of the region is refused.
targets() {
	local i
	for i in $(seq -w 1 "$H"); do line "evil-$i" evil "$2"; done
	for i in $(seq -w 1 $((H - 1))); do line "good-$i" good "$2"; done
	line victim victim $(($1 | $2))
}

# window K BLIND_REGION|-: each region probes the fleet as window K's run
# (MCP_NOW: its probe_started_at) and pushes; then the verdict of K.
window() {
	local k=$1 r down blind
	for r in $REGIONS; do
		down=0 blind=0
		case $r in eu-west-2 | us-east-1) down=1 ;; esac
		[ "$r" = "$2" ] && blind=1
		targets "$down" "$blind" >"$TMP/targets.$r"
		MCP_NOW=$(($(w "$k") + 5)) mcp-probe -r "$r" -f "$TMP/targets.$r" >"$TMP/p.$k.$r" 2>>"$TMP/probe.err"
		MCP_NOW=$(($(w "$k") + 30)) mcp-aggregate push -r "$r" <"$TMP/p.$k.$r" 2>>"$TMP/push.err" ||
		    echo "push $k $r: $?" >>"$TMP/push.err"
	done
	MCP_NOW=$(($(w "$k") + 95)) mcp-aggregate verdict >"$TMP/v.$k" 2>>"$TMP/verdict.err" ||
	    echo "verdict $k: $?" >>"$TMP/verdict.err"
}
for k in 0 1 2 3; do window "$k" -; done

# results K REGION: "state step" of the region's results in window K, counted.
results() { jq -r 'select(.type == "result") | "\(.slug | sub("-[0-9]+$"; "")) \(.state) \(.failed_step)"' "$TMP/p.$1.$2" | sort | uniq -c | sed 's/^ *//' | tr '\n' ' '; }
is "$(results 0 eu-west-2)" "12 evil broken http 11 good healthy null 1 victim broken connect " \
    "eu-west-2 sees the publisher's 12 entries fail at http and the victim refused, the rest up"
is "$(results 0 us-east-1)" "12 evil broken tools_list 11 good healthy null 1 victim broken connect " \
    "us-east-1 sees the 12 fail at tools_list and the victim refused"
is "$(results 0 ap-southeast-1)$(results 0 sa-east-1)" \
    "12 evil healthy null 11 good healthy null 1 victim healthy null 12 evil healthy null 11 good healthy null 1 victim healthy null " \
    "ap-southeast-1 and sa-east-1 see every server up"
is "$(cat "$TMP/push.err" "$TMP/verdict.err")" "" "push and verdict of windows 0-3: quiet"

# vd K: the distinct "group verdict severity step failed_regions probe_fault" of window K.
vd() { jq -r '"\(.slug | sub("-[0-9]+$"; "")) \(.verdict) \(.severity) \(.step) f=\(.failed_regions | join(",")) pf=\(.probe_fault | join(","))"' "$TMP/v.$1" | sort | uniq -c | sed 's/^ *//'; }
is "$(vd 0)" "12 evil amber regional http f=eu-west-2,us-east-1 pf=
11 good green ok null f= pf=
1 victim red alert connect f=eu-west-2,us-east-1 pf=" \
    "a hostile set as large as the rest: the victim down from two regions is red with both; the publisher's entries amber regional; no region a probe fault"
is "$(vd 1)$(vd 2)$(vd 3)" "$(vd 0)$(vd 0)$(vd 0)" "and so in every window"
is "$(redis-cli -s "$REDIS_SOCK" hget "mcp:fault:$(w 0)" eu-west-2):$(redis-cli -s "$REDIS_SOCK" hget "mcp:fault:$(w 0)" us-east-1)" \
    "24 13 0 http:24 13 0 tools_list" \
    "the judgment kept: each of the two regions failed 13 of the 24 it probed, passed the other 11: not blind"

# The same fleet, and sa-east-1's runner truly blind: every target refused.
for k in 4 5 6 7; do window "$k" sa-east-1; done
is "$(results 4 sa-east-1)" "12 evil broken connect 11 good broken connect 1 victim broken connect " \
    "sa-east-1's runner is blind: every target refused at connect"
is "$(cat "$TMP/push.err" "$TMP/verdict.err")" "" "push and verdict of windows 4-7: quiet"
is "$(vd 4)" "12 evil amber regional http f=eu-west-2,us-east-1 pf=sa-east-1
11 good green ok null f= pf=sa-east-1
1 victim red alert connect f=eu-west-2,us-east-1 pf=sa-east-1" \
    "a truly blind runner: sa-east-1 a probe fault, the servers green, the victim and the publisher's entries as before"
is "$(vd 5)$(vd 6)$(vd 7)" "$(vd 4)$(vd 4)$(vd 4)" "and so in every window it stays blind"
is "$(jq -c 'select(.slug == "good-01") | .probe_fault_detail' "$TMP/v.4")" \
    '[{"region":"sa-east-1","failed":24,"probed":24,"step":"connect"}]' "the detail: 24 of 24 failed at connect"

# --- mcp-alert, its state in the same store -----------------------------------
: >"$TMP/alert.conf"
chmod 600 "$TMP/alert.conf"
: >"$TMP/alert.err"
for k in $(seq 0 7); do
	MCP_NOW=$(($(w "$k") + 95)) mcp-alert -c "$TMP/alert.conf" <"$TMP/v.$k" >"$TMP/a.$k" 2>>"$TMP/alert.err" ||
	    echo "mcp-alert $k: $?" >>"$TMP/alert.err"
done
is "$(cat "$TMP/alert.err")" "" "mcp-alert over windows 0-7: exit 0, quiet"
# ev FIRST LAST: "K event severity kind slug regions" of the records of windows FIRST..LAST.
ev() {
	local k
	for k in $(seq "$1" "$2"); do
		jq -r --arg k "$k" '"\($k) \(.event) \(.severity) \(.kind) \(.slug) \(.regions | join(","))"' "$TMP/a.$k"
	done
}
is "$(ev 0 3 | grep ' victim ')" "2 trigger P1 null victim eu-west-2,us-east-1" \
    "the victim's outage pages: one P1 at its third failing window, naming the two regions"
is "$(jq -r 'select(.slug == "victim") | .summary' "$TMP/a.2")" "victim: connect failing in 2 regions" \
    "its summary: connect failing in 2 regions"
is "$(ev 0 3 | grep ' evil-' | cut -d' ' -f1-3,6 | sort | uniq -c | sed 's/^ *//')" "12 2 trigger P2 eu-west-2,us-east-1" \
    "the publisher's entries open what they are: a P2 each, regional"
is "$(ev 0 3 | grep -c ' good-')" 0 "nothing about the healthy servers"
is "$(ev 4 7)" "4 trigger P2 probe-fault sa-east-1 sa-east-1" \
    "the blind runner: exactly one P2 probe-fault incident, none per server"
is "$(MCP_NOW=$(($(w 7) + 95)) mcp-alert -c "$TMP/alert.conf" incidents | grep -c -e probe-fault -e good-)" 1 \
    "open: the one probe-fault incident, no healthy server's"

done_testing
