#!/usr/bin/env bash
# probe-fault.t - a blind probe is one incident about the probe (issue 34):
# 330 servers and 5 regions through mcp-aggregate push and verdict into a
# private redis-server, mcp-serve's CGI over the store, and each window's
# verdicts through mcp-alert to the test receiver.  eu-west-2 fails every server at connect (its runner is
# blind) in windows 3-5, eu-west-2 and ap-southeast-1 in 8-9; 30 servers
# of one provider fail in us-east-1 alone in windows 3-7.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/aggregate-lib.sh"
source "$TOP/tests/alert-lib.sh"

start_redis
start_receiver
export MCP_SPOOL=$TMP/spool
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }
N=300
EU="ap-southeast-1,sa-east-1,us-east-1,us-west-2"
NO_AP_EU="sa-east-1,us-east-1,us-west-2"

# probes K: window K's probe records, fleet-NNNNN (300) and prov-NNNNN (30).
probes() {
	local k=$1 t
	t=$(w "$k")
	if [ "$k" -ge 3 ] && [ "$k" -le 5 ]; then
		gen -q -s fleet -N "$N" -r "$EU" -t "$t"
		gen -q -s fleet -N "$N" -r eu-west-2 -t "$t" -f connect
		gen -q -s prov -N 30 -r eu-west-2 -t "$t" -f connect
	elif [ "$k" -ge 8 ] && [ "$k" -le 9 ]; then
		gen -q -s fleet -N "$N" -r "$NO_AP_EU" -t "$t"
		gen -q -s fleet -N "$N" -r ap-southeast-1,eu-west-2 -t "$t" -f connect
		gen -q -s prov -N 30 -r ap-southeast-1,eu-west-2 -t "$t" -f connect
	else
		gen -q -s fleet -N "$N" -r "${ALL// /,}" -t "$t"
		[ "$k" -ge 6 ] && [ "$k" -le 7 ] && gen -q -s prov -N 30 -r eu-west-2 -t "$t"
	fi
	if [ "$k" -ge 3 ] && [ "$k" -le 7 ]; then
		gen -q -s prov -N 30 -r ap-southeast-1,sa-east-1,us-west-2 -t "$t"
		gen -q -s prov -N 30 -r us-east-1 -t "$t" -f tls
	elif [ "$k" -ge 8 ] && [ "$k" -le 9 ]; then
		gen -q -s prov -N 30 -r "$NO_AP_EU" -t "$t"
	else
		gen -q -s prov -N 30 -r "${ALL// /,}" -t "$t"
	fi
}
for k in $(seq 0 10); do probes "$k" >"$TMP/in.$k"; done

# push FIRST LAST: windows FIRST..LAST as their runners push them.
push_windows() {
	local k
	for k in $(seq "$1" "$2"); do
		MCP_NOW=$(($(w "$k") + 30)) mcp-aggregate push <"$TMP/in.$k" 2>&1 || echo "push $k: $?"
	done
}
is "$(push_windows 0 5)" "" "push: windows 0-5 of 330 slugs x 5 regions"
run_windows 0 5

# mcp-serve while eu-west-2 is blind (window 5 the newest decided): the
# region is a probe fault, the server up.
serve() {
	env -i PATH="$PATH" ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
	    REQUEST_METHOD=GET MCP_REDIS="$MCP_REDIS" MCP_NOW=$(($(w 5) + 100)) PATH_INFO="$1" \
	    mcp-serve </dev/null | sed '1,/^\r*$/d'
}
is "$(serve /api/status/fleet-00001/regions | jq -r '.regions[] | "\(.region) \(.state) \(.step)"')" \
    "ap-southeast-1 up null
eu-west-2 probe-fault connect
sa-east-1 up null
us-east-1 up null
us-west-2 up null" "region detail: eu-west-2 a probe fault (at connect), not down"
is "$(serve /api/embed-status/fleet-00001 | jq -r .state)" up "the server is up"
serve /status/fleet-00001 >"$TMP/page.html"
is "$(grep -o '<td class="probe-fault"><span class="dot" aria-hidden="true"></span> probe fault</td>' "$TMP/page.html" | wc -l):$(grep -c 'Up: every region passes' "$TMP/page.html")" \
    "1:1" "status page: eu-west-2 shown as probe fault, the server up"
is "$(grep -o '<p class="banner fault".*set aside[^<]*</p>' "$TMP/page.html")" \
    '<p class="banner fault" role="note">Probe fault in <span class="nw">London (eu-west-2)</span>: its results are set aside; the server is judged by the other regions.</p>' \
    "status page: a banner names the blind region and says its results are set aside"
is "$(grep -o -e 'banner fault' -e 'class="headline [a-z]*' "$TMP/page.html" | tr '\n' ' ')" \
    'banner fault class="headline up ' "the banner comes above the headline, which stays up"
is "$(serve /api/status | jq -r '.slugs[] | select(.slug == "fleet-00001") | .state')" up \
    "/api/status: the server up, not degraded by the blind region"
is "$(serve /api/status/prov-00001/regions | jq -r '.regions[] | select(.region == "us-east-1") | "\(.state) \(.step)"')" \
    "down tls" "a server failing in us-east-1 alone is down there, not a probe fault"
is "$(push_windows 6 10)" "" "push: windows 6-10"
run_windows 6 10

# pf K: the distinct "verdict severity probe_fault failed_regions reporters missing" of the fleet in window K.
pf() {
	grep '"slug":"fleet-' "$TMP/v.$1" | jq -r '"\(.verdict) \(.severity) \(.probe_fault|join(",")) f=\(.failed_regions|join(",")) r=\(.reporters|length) m=\(.missing|join(","))"' | sort | uniq -c | sed 's/^ *//'
}
pv() { grep '"slug":"prov-' "$TMP/v.$1" | jq -r '"\(.verdict) \(.severity) \(.probe_fault|join(",")) f=\(.failed_regions|join(","))"' | sort | uniq -c | sed 's/^ *//'; }
is "$(pf 2)" "300 green ok  f= r=5 m=" "all regions pass: green, probe_fault []"
is "$(grep -c '"probe_fault":\[\]}$' <(sed -e 's/,"review":{.*}}$/}/' "$TMP/v.2"))" 330 \
    "probe_fault [] ends every record of a window without a blind region (the review of its lists, when there is one, after it)"
is "$(pf 3)" "300 green ok eu-west-2 f= r=4 m=" \
    "eu-west-2 fails every server at connect, the others pass: every verdict green, eu-west-2 a probe fault, neither failing, reporting nor missing"
is "$(pf 4)$(pf 5)" "300 green ok eu-west-2 f= r=4 m=300 green ok eu-west-2 f= r=4 m=" "and so in every window it stays blind"
is "$(grep '"slug":"fleet-00001"' "$TMP/v.3" | jq -c .probe_fault_detail)" \
    '[{"region":"eu-west-2","failed":330,"probed":330,"step":"connect"}]' "the verdicts say what the blind region failed, and at which step"
is "$(pv 3)" "30 amber regional eu-west-2 f=us-east-1" \
    "one provider's 30 servers failing in us-east-1 alone while its other 300 pass: amber regional, as before"
is "$(pf 6)" "300 green ok  f= r=5 m=" "eu-west-2 passes again: no probe fault in the first window it does"
is "$(pv 6)" "30 amber regional  f=us-east-1" "the provider's servers still amber in us-east-1, no probe fault"
is "$(pf 8)" "300 green ok ap-southeast-1,eu-west-2 f= r=3 m=" "two blind regions at once: both probe faults, no server red"
is "$(pf 10)" "300 green ok  f= r=5 m=" "both pass again"
is "$(rcli hget "mcp:fault:$(w 3)" eu-west-2):$(rcli hget "mcp:fault:$(w 3)" us-east-1)" "330 330 1 connect:330 30 0 tls" \
    "the window's judgment is kept: probed, failed where another region passed, blind, step"


# --- mcp-alert: one incident per blind region, none per server ----------------------
printf 'route hook webhook %s/hook\n' "$RECV" >"$TMP/alert.conf"
chmod 600 "$TMP/alert.conf"
: >"$TMP/rc"
for k in $(seq 0 10); do
	MCP_NOW=$(($(w "$k") + 95)) mcp-alert -c "$TMP/alert.conf" <"$TMP/v.$k" >"$TMP/out" 2>>"$TMP/err"
	echo "$?" >>"$TMP/rc"
	sed "s/^/$k /" "$TMP/out" >>"$TMP/k.out"
done
is "$(sort -u "$TMP/rc" | tr '\n' ' '):$(cat "$TMP/err")" "0 :" "mcp-alert over each window: exit 0, quiet"
# ev: "K event severity kind dedup_key" of each record.
ev() { while read -r k rec; do printf '%s %s\n' "$k" "$(jq -r '"\(.event) \(.severity) \(.kind) \(.dedup_key)"' <<<"$rec")"; done <"$TMP/k.out"; }
ev >"$TMP/ev"
is "$(grep -c -v -e ' prov-' "$TMP/ev")" 6 "no record about any fleet server: only the probe-fault incidents"
is "$(grep probe-fault "$TMP/ev")" "3 trigger P2 probe-fault eu-west-2:probe-fault:$(w 3)
6 resolve P2 probe-fault eu-west-2:probe-fault:$(w 3)
8 trigger P2 probe-fault ap-southeast-1:probe-fault:$(w 8)
8 trigger P2 probe-fault eu-west-2:probe-fault:$(w 8)
10 resolve P2 probe-fault ap-southeast-1:probe-fault:$(w 8)
10 resolve P2 probe-fault eu-west-2:probe-fault:$(w 8)" \
    "one P2 probe-fault per blind region, resolved in the first window it passes again; two blind regions, two incidents"
is "$(grep '"event":"trigger"' "$TMP/k.out" | grep '"kind":"probe-fault"' | head -1 | cut -d' ' -f2- | jq -r '"\(.slug) \(.step) \(.regions) \(.summary)"')" \
    'eu-west-2 connect ["eu-west-2"] probe eu-west-2 blind since 16:03 UTC: failed 330 of 330 slugs at connect that other regions pass; its results are left out' \
    "the incident names the region, how many slugs it failed and at which step"
is "$(grep '"event":"resolve"' "$TMP/k.out" | grep '"kind":"probe-fault"' | head -1 | cut -d' ' -f2- | jq -r '"\(.summary) \(.duration_s)"')" \
    "probe eu-west-2 sees again after 3 minutes (16:03–16:06 UTC) 180" "the resolve says for how long"
is "$(grep -c -e runner-silent -e monitoring-blind "$TMP/ev")" 0 "a blind region is not a silent one"
got_hook() { jq -r 'select(.path == "/hook") | .body | fromjson | "\(.event) \(.kind) \(.dedup_key)"' "$RECV_LOG" | grep probe-fault | sort; }
six() { [ "$(got_hook | wc -l)" = 6 ]; }
wait_for 100 six
is "$(got_hook | wc -l)" 6 "the route got the 6 probe-fault records, once each"
is "$(mcp-alert -c "$TMP/alert.conf" incidents | grep -c probe-fault)" 0 "no probe-fault incident left open"
is "$(rcli --scan --pattern 'mcp:{eu-west-2}:*' | wc -l)" 0 "the read side keeps no incident of the region (no server of that name)"
is "$(mcp-alert -c "$TMP/alert.conf" silence add slug='*' track=probe-fault --for 1h --reason test >/dev/null; echo $?)" 0 \
    "silence add track=probe-fault: a track a silence may name"

# A verdict record's counts are the aggregator's, but mcp-alert reads them
# as any input: a count past any fleet is no count (the sanitizer build
# aborted on the cast of 1e300 before).
head -1 "$TMP/v.3" | jq -c '.probe_fault = ["xx-test-1"] |
    .probe_fault_detail = [{region: "xx-test-1", failed: 1e300, probed: 1e300, step: "connect", hash: 1e300}]' >"$TMP/huge"
said=$(MCP_NOW=$(($(w 3) + 95)) mcp-alert -c "$TMP/alert.conf" <"$TMP/huge" 2>&1)
is "$?:$(jq -r 'select(.kind == "probe-fault") | "\(.event) \(.slug)"' <<<"$said" 2>/dev/null)" "0:trigger xx-test-1" \
    "a probe_fault_detail of absurd counts: the incident opens all the same, mcp-alert exits 0"
unlike "$said" '1e\+?300|[0-9]{12,}' "and no absurd number reaches its summary"

# A pass over named slugs decides by the full pass's judgment, or judges
# over every known slug when none is kept.
MCP_NOW=$(($(w 4) + 95)) mcp-aggregate verdict fleet-00007 prov-00002 >"$TMP/named"
is "$(cat "$TMP/named")" "$(grep -e '"slug":"fleet-00007"' -e '"slug":"prov-00002"' "$TMP/v.4")" \
    "verdict SLUG...: the records of the full pass"
rcli del "mcp:fault:$(w 4)" >/dev/null
MCP_NOW=$(($(w 4) + 95)) mcp-aggregate verdict fleet-00007 prov-00002 >"$TMP/named"
is "$(cat "$TMP/named")" "$(grep -e '"slug":"fleet-00007"' -e '"slug":"prov-00002"' "$TMP/v.4")" \
    "with no judgment kept: judged again over every known slug, the same records"
# Thresholds.
is "$(MCP_NOW=$(($(w 4) + 95)) mcp-aggregate verdict -F 0 fleet-00007 | jq -r '"\(.verdict) \(.severity) \(.failed_regions|join(",")) \(.probe_fault)"')" \
    "amber regional eu-west-2 []" "-F 0: no judgment, eu-west-2's failures count as before"
is "$(MCP_NOW=$(($(w 4) + 95)) mcp-aggregate verdict -F 331 | grep -c '"probe_fault":\[\]')" 330 \
    "-F 331: more slugs than eu-west-2 failed, no probe fault"
is "$(MCP_NOW=$(($(w 3) + 95)) mcp-aggregate verdict -P 99 | jq -r .probe_fault[] | sort | uniq -c | sed 's/^ *//')" \
    "330 eu-west-2" "-P 99: eu-west-2 failed 330 and passed none, more than 99 %"
is "$(MCP_NOW=$(($(w 3) + 95)) mcp-aggregate verdict -P 50 | jq -r .probe_fault[] | sort | uniq -c | sed 's/^ *//')" \
    "330 eu-west-2" "-P 50: us-east-1's 30 failures beside 300 passes are not more than half"
for p in 49 100 0 75x; do
	is "$(mcp-aggregate verdict -P "$p" 2>&1; echo "rc=$?")" \
	    "mcp-aggregate: -P $p: want a whole number from 50 to 99
rc=2" "-P $p: outside 50..99, a usage error"
done
MCP_NOW=$(($(w 3) + 95)) mcp-aggregate verdict >/dev/null

done_testing
