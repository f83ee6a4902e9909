#!/usr/bin/env bash
# aggregate-cert.t - mcp-aggregate: each region's certificate expiry, and the verdict's cert_expires_at and cert_regions
# Probe records as gen-scenario.sh writes them (-c: the certificate's
# expiry) through a private redis-server; time through MCP_NOW.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/aggregate-lib.sh"

start_redis
export MCP_SPOOL=$TMP/spool
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }
E=$((T0 + 10 * 86400)) # 2026-12-04T16:00:00Z
OLD=$((E - 5 * 86400))
NEW=$((E + 80 * 86400))

# cert SLUG K: cert_expires_at and cert_regions of SLUG's verdict of window K.
# (Since issue 45 the expiry that pages is one at least two regions see.)
cert() { got "$1" "$2" | jq -c '[.cert_expires_at, .cert_regions]'; }

# --- the earliest of the regions' latest ------------------------------------------
gen -s c-same -r "$ALL" -c "$E" | push
gen -s c-cdn -r "$FOUR_NO_EU" -c "$NEW" | push
gen -s c-cdn -r eu-west-2 -c "$OLD" | push
gen -s c-none -r "$ALL" | push
gen -s c-http -r "$ALL" -c null | push
gen -s c-one -r eu-west-2 -c "$OLD" | push
run_windows 0 0
is "$(cert c-one 0):$(got c-one 0 | jq -c .cert_regional)" "[$OLD,[\"eu-west-2\"]]:[]" \
    "a deployment of one region: its own certificate is the server's, as before"
is "$(cert c-same 0)" "[$E,$(jarr "$ALL")]" "every region the same certificate: its expiry, every region"
is "$(cert c-cdn 0)" "[$NEW,$(jarr "$FOUR_NO_EU")]" \
    "an edge still serving an old certificate in one region: the expiry two regions see, and where"
is "$(got c-cdn 0 | jq -c .cert_regional)" "[{\"region\":\"eu-west-2\",\"expires_at\":$OLD}]" \
    "and the edge's earlier one shown as that region's own (cert_regional)"
is "$(cert c-none 0)" "[null,[]]" "results without cert_expires_at (an older probe): null, []"
is "$(cert c-http 0)" "[null,[]]" "cert_expires_at null (http://): null, []"
is "$(rcli exists "mcp:{c-none}:cert" "mcp:{c-http}:cert")" 0 "and no key is written for them"

# --- a region's latest by start -----------------------------------------------------
gen -s c-cdn -r eu-west-2 -c "$NEW" -t "$(w 1)" | push
gen -s c-cdn -r eu-west-2 -c "$OLD" -o 30 | push        # window 0 again: a duplicate
gen -s c-cdn -r eu-west-2 -c "$OLD" -t "$(w -1)" | push # stored, but older than the latest
run_windows 1 1
is "$(cert c-cdn 1)" "[$NEW,$(jarr "$ALL")]" \
    "the edge renewed: the later certificate everywhere; a duplicate or an older start pushed late changes nothing"
is "$(rcli hget "mcp:{c-cdn}:cert" eu-west-2)" "$(($(w 1) + 2)).5 $NEW" "stored as STARTED EXPIRY"
gen -s c-cdn -r us-east-1 -f tls -c "$OLD" -t "$(w 2)" | push
gen -s c-cdn -r us-west-2 -f tools_list -c "$E" -t "$(w 2)" | push
run_windows 2 2
is "$(cert c-cdn 2):$(got c-cdn 2 | jq -c '[.cert_regional[] | [.region, .expires_at]]')" \
    "[$NEW,$(jarr "ap-southeast-1 eu-west-2 sa-east-1 us-east-1")]:[[\"us-west-2\",$E]]" \
    "a handshake that fails keeps the region's last certificate; a later step's failure brings its own (one region's: regional)"

# --- 24 hours -------------------------------------------------------------------------
gen -s c-day -r eu-west-2 -c "$OLD" | push
MCP_NOW=$(($(w 1441) + 1)) gen -s c-day -r us-east-1 -c "$E" -t "$(w 1441)" | push
MCP_NOW=$(($(w 1439) + 95)) mcp-aggregate verdict c-day >"$TMP/v.1439"
MCP_NOW=$(($(w 1440) + 95)) mcp-aggregate verdict c-day >"$TMP/v.1440"
is "$(cert c-day 1439)" "[$OLD,[\"eu-west-2\"]]" \
    "a region's certificate counts for the 24 hours up to the window's end, and a later start"
is "$(cert c-day 1440)" "[$E,[\"us-east-1\"]]" "a day later, only the regions that showed one since"

# --- what is kept is bounded ---------------------------------------------------------
for i in $(seq 1 20); do gen -q -s c-many -r "r$i" -c "$E"; done | push
MCP_NOW=$(($(w 1500) + 1)) gen -q -s c-many -r r-late -c "$NEW" -t "$(w 1500)" | push
is "$(rcli hkeys "mcp:{c-many}:cert")" "r-late" \
    "past 16 regions, those not written for 25 hours are forgotten by the next write"
ttl=$(rcli ttl "mcp:{c-many}:cert")
[ "$ttl" -gt 89000 ] && [ "$ttl" -le 93600 ]
ok $? "its TTL is 25 hours from the end of the hour, renewed by a write that adds a region ($ttl s)"

# --- hostile values ---------------------------------------------------------------------
res=$(gen -q -s c-bad -r us-east-1 -c "$E")
for v in 1e308 -1 1.5 '"soon"' 253402300800 true; do
	printf '%s\n' "${res/\"cert_expires_at\":$E/\"cert_expires_at\":$v}"
done >"$TMP/bad"
gen -q -s c-bad -r eu-west-2 -c 253402300799 >>"$TMP/bad"
push <"$TMP/bad" >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/out")" "1:" "bad certificate expiries: exit 1, nothing on stdout"
is "$(cat "$TMP/err")" "mcp-aggregate: stdin:1: cert_expires_at 1e+308: out of range (0 to 253402300799)
mcp-aggregate: stdin:2: cert_expires_at -1: out of range (0 to 253402300799)
mcp-aggregate: stdin:3: cert_expires_at 1.5: not whole seconds
mcp-aggregate: stdin:4: cert_expires_at: not a number or null
mcp-aggregate: stdin:5: cert_expires_at 253402300800: out of range (0 to 253402300799)
mcp-aggregate: stdin:6: cert_expires_at: not a number or null" \
    "each refused whole, the field and the value named"
is "$(res_regions c-bad "$T0" | sed "s/ $//"):$(rcli hgetall "mcp:{c-bad}:cert" | tr '\n' ' ')" \
    "eu-west-2:eu-west-2 $(($(w 0) + 2)).5 253402300799 " "the line after them is stored, 9999-12-31 included"

done_testing
