#!/usr/bin/env bash
# aggregate-region.t - one region's word is a regional fact, never the
# fleet's (issue 45): a fleet of 300 servers probed from four regions, and
# sa-east-1's runner token in other hands.  It reports every server passing
# with a certificate that expires tomorrow, then every server with another
# tool list: neither pages any server, the region is one probe fault.  The
# controls hold: an edge serving an expiring certificate in one region is
# shown and named, a P3; two regions seeing it page P2; a stale edge in one
# region is amber cdn-cache-divergence, named, P2; a runner failing
# everything is one probe fault.  Results as a runner writes them
# (gen-scenario.sh), mcp-aggregate push and verdict into a private
# redis-server, the real mcp-alert over the verdicts.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/aggregate-lib.sh"

start_redis
export MCP_SPOOL=$TMP/spool
GOOD="ap-southeast-1 eu-west-2 us-east-1"
N=300
E=$((T0 + 60 * 86400))   # the fleet's certificates: 60 days
SOON=$((T0 + 2 * 86400)) # an edge's old certificate: 2 days, past the P2 tier (3 days)
TOMORROW=$((T0 + 86400)) # what the stolen token says

# window K HOSTILE: every region's results of window K pushed, sa-east-1's
# as HOSTILE says (ok: as the others; cert: passing, expiry tomorrow;
# hash: passing, another tool list; blind: failing every server at
# connect); then the verdict of window K.  The controls, in every window:
# c-edge (eu-west-2 sees an expiring certificate), c-two (eu-west-2 and
# us-east-1 see it), d-stale (us-east-1's edge serves the old tool list).
window() {
	local k=$1 t
	t=$(w "$1")
	{
		gen -q -s f -N "$N" -r "$GOOD" -c "$E" -t "$t"
		case $2 in
		ok) gen -q -s f -N "$N" -r sa-east-1 -c "$E" -t "$t" ;;
		cert) gen -q -s f -N "$N" -r sa-east-1 -c "$TOMORROW" -t "$t" ;;
		hash) gen -q -s f -N "$N" -r sa-east-1 -c "$E" -h "$HB" -t "$t" ;;
		blind) gen -q -s f -N "$N" -r sa-east-1 -c "$E" -f connect -t "$t" ;;
		esac
		gen -q -s c-edge -r "ap-southeast-1 sa-east-1 us-east-1" -c "$E" -t "$t"
		gen -q -s c-edge -r eu-west-2 -c "$SOON" -t "$t"
		gen -q -s c-two -r "ap-southeast-1 sa-east-1" -c "$E" -t "$t"
		gen -q -s c-two -r "eu-west-2 us-east-1" -c "$SOON" -t "$t"
		gen -q -s d-stale -r "ap-southeast-1 eu-west-2 sa-east-1" -c "$E" -t "$t"
		gen -q -s d-stale -r us-east-1 -c "$E" -h "$HB" -t "$t"
	} | push 2>>"$TMP/push.err" || echo "push $k: $?" >>"$TMP/push.err"
	MCP_NOW=$((t + 95)) mcp-aggregate verdict >"$TMP/v.$k" 2>>"$TMP/verdict.err" ||
	    echo "verdict $k: $?" >>"$TMP/verdict.err"
}
: >"$TMP/push.err"
: >"$TMP/verdict.err"
for k in 0 1 2 3; do window "$k" ok; done
for k in 4 5 6 7; do window "$k" cert; done
for k in 8 9 10 11; do window "$k" hash; done
for k in 12 13 14 15; do window "$k" blind; done
is "$(cat "$TMP/push.err" "$TMP/verdict.err")" "" "push and verdict of 16 windows of $N servers and 3 controls: quiet"

# fleet K: the distinct "verdict severity cert_expires_at divergence
# probe_fault" of the fleet's verdicts of window K, counted.
fleet() {
	jq -r 'select(.slug | startswith("f-")) | "\(.verdict) \(.severity) \(.cert_expires_at) \(.divergence) pf=\(.probe_fault | join(","))"' "$TMP/v.$1" |
	    sort | uniq -c | sed 's/^ *//'
}
# ctl SLUG K: what a control's verdict of window K says of it, sa-east-1
# left out of cert_regions (it is in them when it is not set aside).
ctl() {
	jq -c --arg s "$1" 'select(.slug == $s) | [.verdict, .severity, .cert_expires_at, (.cert_regions | map(select(. != "sa-east-1"))), .cert_regional, .divergence, .divergent_regions]' "$TMP/v.$2"
}
is "$(fleet 3)" "$N green ok $E null pf=" "every region honest: $N servers green, their certificate the fleet's"

# --- one token: every server passing, its certificate expiring tomorrow -----------
is "$(fleet 4)" "$N green ok $E null pf=sa-east-1" \
    "sa-east-1 reports a certificate expiring tomorrow for every server: set aside as a probe fault; no server's expiry is tomorrow"
is "$(fleet 5)$(fleet 6)$(fleet 7)" "$(fleet 4)$(fleet 4)$(fleet 4)" "and so in every window"
is "$(jq -c 'select(.slug == "f-00001") | .probe_fault_detail' "$TMP/v.4")" \
    "[{\"region\":\"sa-east-1\",\"failed\":$N,\"probed\":$((N + 3)),\"step\":null,\"cert\":$N}]" \
    "its detail: the $N servers counted against it, each a certificate far earlier than the others'"

# --- one token: every server passing with another tool list -------------------------
is "$(fleet 8)" "$N green ok $E null pf=sa-east-1" \
    "sa-east-1 reports another tool hash for every server: a probe fault, no server diverges"
is "$(fleet 9)$(fleet 10)$(fleet 11)" "$(fleet 8)$(fleet 8)$(fleet 8)" "and so in every window"
is "$(jq -c 'select(.slug == "f-00001") | .probe_fault_detail[0] | [.failed, .hash]' "$TMP/v.8")" "[$N,$N]" \
    "its detail: the $N servers whose tool hash differs from what the others agree on"

# --- the control: a runner failing everything ----------------------------------------
is "$(fleet 12)" "$N green ok $E null pf=sa-east-1" "a runner failing every server: one probe fault, as before"
is "$(jq -c 'select(.slug == "f-00001") | .probe_fault_detail' "$TMP/v.12")" \
    "[{\"region\":\"sa-east-1\",\"failed\":$N,\"probed\":$((N + 3)),\"step\":\"connect\"}]" \
    "its detail: the $N it failed at connect"

# --- the controls, in every window ---------------------------------------------------------
for k in 3 7 11 15; do
	ctl c-edge "$k"
done >"$TMP/edge"
is "$(sort -u "$TMP/edge")" \
    "[\"green\",\"ok\",$E,[\"ap-southeast-1\",\"us-east-1\"],[{\"region\":\"eu-west-2\",\"expires_at\":$SOON}],null,[]]" \
    "one edge serving an expiring certificate in eu-west-2: shown and named as that region's (cert_regional), not the server's expiry"
is "$(ctl c-two 3)" \
    "[\"green\",\"ok\",$SOON,[\"eu-west-2\",\"us-east-1\"],[],null,[]]" \
    "two regions seeing the expiring certificate: the server's expiry, both named"
for k in 3 7 11 15; do ctl d-stale "$k"; done >"$TMP/stale"
is "$(sort -u "$TMP/stale")" "[\"amber\",\"divergence\",$E,$(jarr "ap-southeast-1 eu-west-2 us-east-1"),[],\"cdn-cache-divergence\",[\"us-east-1\"]]" \
    "one stale edge for one server: amber cdn-cache-divergence, us-east-1 named, whatever sa-east-1 does"

# --- mcp-alert, its state in the same store -----------------------------------------------
: >"$TMP/alert.conf"
chmod 600 "$TMP/alert.conf"
: >"$TMP/alert.err"
for k in $(seq 0 15); do
	MCP_NOW=$(($(w "$k") + 95)) mcp-alert -c "$TMP/alert.conf" <"$TMP/v.$k" >"$TMP/a.$k" 2>>"$TMP/alert.err" ||
	    echo "mcp-alert $k: $?" >>"$TMP/alert.err"
done
is "$(cat "$TMP/alert.err")" "" "mcp-alert over the 16 windows: exit 0, quiet"
# ev FIRST LAST: "event severity kind slug" of the records of windows FIRST..LAST.
ev() {
	local k
	for k in $(seq "$1" "$2"); do
		jq -r '"\(.event) \(.severity) \(.kind) \(.slug)"' "$TMP/a.$k"
	done
}
is "$(ev 0 15 | grep -c ' f-')" 0 "nothing about any of the $N servers: no certificate page, no divergence page"
is "$(ev 4 15)" "trigger P2 probe-fault sa-east-1" "the stolen token: exactly one probe-fault incident, for its region"
# What the operator reads: the region disagreed with the others, it failed
# nothing; a stale CDN edge of that region over most of the fleet reads the same.
is "$(jq -r 'select(.kind == "probe-fault") | .summary' "$TMP/a.4" | sed 's/since [0-9:]* UTC/since HH:MM UTC/')" \
    "probe sa-east-1 blind since HH:MM UTC: disagrees with the other regions on $N of $((N + 3)) slugs ($N a certificate expiring a day or more before theirs), as a CDN edge of its region or its token in other hands would; its results are left out" \
    "its incident says what it disagreed on, not that it failed them"
is "$(ev 0 15 | grep -v -e ' f-' -e probe-fault | sort)" "trigger P2 cert-expiry c-two
trigger P2 null d-stale
trigger P3 cert-expiry c-edge" \
    "the controls: two regions' expiring certificate pages P2; one edge's is a P3, never the P2; the stale edge's divergence P2 as before"
is "$(jq -c 'select(.slug == "c-edge") | [.regions, .expires_at]' "$TMP/a.0")" "[[\"eu-west-2\"],$SOON]" \
    "the edge's P3 names its region and its expiry"

# --- two regions only: the token reports a certificate LATER than the honest region's ----
# With one other region there is no majority: one region against one cannot
# tell which is right, so neither is set aside for what it reports passing
# (else the token, reporting certificates far later than the honest
# region's, makes the honest one the "early" one, sets it aside, and is
# left alone to decide every server: its failures page as red).
redis-cli -s "$REDIS_SOCK" flushall >/dev/null
N2=40
LATER=$((T0 + 5 * 365 * 86400))
two() {
	local k=$1 t
	t=$(w "$k")
	{
		gen -q -s f -N "$N2" -r eu-west-2 -c "$E" -t "$t"
		if [ "$2" = fail ]; then
			gen -q -s f -N 10 -r sa-east-1 -f connect -t "$t"
			gen -q -s f -N "$N2" -r sa-east-1 -c "$LATER" -t "$t" | tail -n +11
		else
			gen -q -s f -N "$N2" -r sa-east-1 -c "$LATER" -t "$t"
		fi
	} | push 2>>"$TMP/push2.err" || echo "push $k: $?" >>"$TMP/push2.err"
	MCP_NOW=$((t + 95)) mcp-aggregate verdict >"$TMP/v.$k" 2>>"$TMP/push2.err" || echo "verdict $k: $?" >>"$TMP/push2.err"
}
: >"$TMP/push2.err"
two 20 ok
two 21 fail
is "$(cat "$TMP/push2.err")" "" "two regions, two windows: quiet"
is "$(jq -r '.probe_fault | join(",")' "$TMP/v.20" "$TMP/v.21" | sort -u)" "" \
    "two regions: the honest one is not set aside for a certificate earlier than the token's"
is "$(jq -r '"\(.verdict) \(.severity)"' "$TMP/v.21" | sort | uniq -c | sed 's/^ *//')" "10 amber regional
30 green ok" \
    "the token failing 10 servers: amber there, never red"

done_testing
