#!/usr/bin/env bash
# audit.t - mcp-aggregate audit: the registry's servers in their buckets
# Results are pushed through the real push and decided window by window by
# the real verdict (MCP_NOW), the registry's hash written as the sync
# writes it; then the buckets of the remotes and of the servers (a server
# takes its best remote's), the regional share and its regions, what the
# last sync left out, and the movement after a --save and a change (and
# against an audit saved per remote, as a version before saved it) are
# checked; then a fleet an hour old, its windows off any grid.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/aggregate-lib.sh"

start_redis
export MCP_SPOOL=$TMP/spool MCP_REDIS=unix://$REDIS_SOCK
rc() { redis-cli -s "$REDIS_SOCK" "$@"; }

# reg SLUG NAME [STATE [STATUS [REMOTE]]]: one field of mcp:registry:servers.
reg() {
	local state=${3:-probe} status=${4:-active} remote=${5:-0} url='"https://mcp.example.com/mcp"' reason=null
	[ "$state" = probe ] || reason="\"$state\""
	[ "$state" = local-only ] && { remote=null; url=null; }
	rc hset mcp:registry:servers "$1" \
	    "{\"name\":\"$2\",\"version\":\"1.0.0\",\"remote\":$remote,\"type\":\"streamable-http\",\"url\":$url,\"headers\":[],\"status\":\"$status\",\"state\":\"$state\",\"reason\":$reason,\"registry\":\"https://registry.modelcontextprotocol.io\",\"updated_at\":\"2026-11-20T10:00:00Z\",\"synced_at\":$T0}" >/dev/null
}

# key401 ARGS: probes that fail at auth with a 401 (as mcp-probe reports
# one: the step's code, and the result's error).
key401() {
	gen "$@" -f auth | sed -e 's/"code":"timeout"/"code":"auth_required"/' \
	    -e '/"type":"result"/s/}$/,"error":{"code":"auth_required","message":"HTTP 401 without a credential"}}/'
}

reg io.example.healthy io.example/healthy
reg io.example.walled io.example/walled
reg io.example.key401 io.example/key401
reg io.example.dns io.example/dns
reg io.example.tls io.example/tls
reg io.example.tools io.example/tools
reg io.example.regional io.example/regional
reg io.example.regional-1 io.example/regional probe active 1
reg io.example.cdn io.example/cdn
reg io.example.vars io.example/vars needs-configuration
reg io.example.stdio io.example/stdio local-only
reg io.example.inward io.example/inward refused
reg io.example.gone io.example/gone probe deleted
reg io.example.quiet io.example/quiet
# A server of three remotes: one broken, one healthy, one deleted.
reg io.example.two io.example/two
reg io.example.two-1 io.example/two probe active 1
reg io.example.two-2 io.example/two probe deleted 2
# A server whose first remote needs configuration, its second walled.
reg io.example.half io.example/half needs-configuration
reg io.example.half-1 io.example/half probe active 1

# --- 20 windows of results ---------------------------------------------------
{
	gen -s io.example.healthy -r "$ALL" -n 20
	gen -s io.example.walled -r "$ALL" -n 20 -a
	key401 -s io.example.key401 -r "$ALL" -n 20
	gen -s io.example.dns -r "$ALL" -n 20 -f dns
	gen -s io.example.tls -r "$ALL" -n 20 -f tls
	gen -s io.example.tools -r "$ALL" -n 18 -f tools_list
	gen -s io.example.tools -r "$ALL" -n 2 -t "$(w 18)"
	# ap-southeast-1 cannot connect all along; the others pass.
	gen -s io.example.regional -r "$FOUR_AP_LAST" -n 20
	gen -s io.example.regional -r ap-southeast-1 -n 20 -f connect
	# sa-east-1 fails tls in 4 windows of 20 (20%), then passes.
	gen -s io.example.regional-1 -r ap-southeast-1,eu-west-2,us-east-1,us-west-2 -n 20
	gen -s io.example.regional-1 -r sa-east-1 -n 4 -f tls
	gen -s io.example.regional-1 -r sa-east-1 -n 16 -t "$(w 4)"
	# Two regions serve another tool list all along.
	gen -s io.example.cdn -r ap-southeast-1,eu-west-2,us-east-1 -n 20
	gen -s io.example.cdn -r sa-east-1,us-west-2 -n 20 -h "$HB"
	# A deleted server keeps its history; it is counted apart.
	gen -s io.example.gone -r "$ALL" -n 20
	gen -s io.example.two -r "$ALL" -n 20 -f dns
	gen -s io.example.two-1 -r "$ALL" -n 20
	gen -s io.example.two-2 -r "$ALL" -n 20 -f tls
	gen -s io.example.half-1 -r "$ALL" -n 20 -a
} >"$TMP/in"
registry_marks <"$TMP/in" | push 2>"$TMP/push.err"
is "$?:$(cat "$TMP/push.err")" "0:" "push of 20 windows exits 0 and is quiet"
run_windows 0 19

AT=$(($(w 19) + 95))
audit() { mcp-aggregate audit --period 20m --at "$AT" "$@"; }
audit --json >"$TMP/a1.json" 2>"$TMP/a1.err"
is "$?:$(cat "$TMP/a1.err")" "0:" "audit --json exits 0 and is quiet"
bucket() { jq -c --arg b "$2" '.buckets[$b] | [.count, .slugs]' "$1"; }
remotes() { jq -c --arg b "$2" '.buckets[$b].remotes' "$1"; }
is "$(bucket "$TMP/a1.json" healthy)" '[2,["io.example.healthy","io.example.two"]]' \
    "healthy: all five regions pass; a server with a healthy remote and a broken one"
is "$(remotes "$TMP/a1.json" healthy)" 2 "healthy remotes: io.example.healthy, io.example.two-1"
is "$(bucket "$TMP/a1.json" auth-walled)" \
    '[3,["io.example.half","io.example.key401","io.example.walled"]]' \
    "auth-walled: the probes' auth-walled results, 401s at the auth step, and a server whose other remote needs configuration"
is "$(bucket "$TMP/a1.json" broken:dns)" '[1,["io.example.dns"]]' "broken:dns: one server"
is "$(remotes "$TMP/a1.json" broken:dns)" 2 "broken:dns: two remotes, each in its own bucket"
is "$(bucket "$TMP/a1.json" broken:tls)" '[1,["io.example.tls"]]' "broken:tls (a deleted remote is no part of it)"
is "$(bucket "$TMP/a1.json" broken:tools_list)" '[1,["io.example.tools"]]' \
    "broken:tools_list: failing in most of the period though it passes at its end"
is "$(bucket "$TMP/a1.json" regionally-degraded)" '[1,["io.example.regional"]]' \
    "regionally-degraded: one server, its slug its remote 0's"
is "$(remotes "$TMP/a1.json" regionally-degraded)" 2 "regionally-degraded: both its remotes"
is "$(bucket "$TMP/a1.json" cdn-divergent)" '[1,["io.example.cdn"]]' "cdn-divergent"
is "$(bucket "$TMP/a1.json" needs-configuration)" '[1,["io.example.vars"]]' "needs-configuration"
is "$(bucket "$TMP/a1.json" local-only)" '[1,["io.example.stdio"]]' "local-only"
is "$(remotes "$TMP/a1.json" local-only)" 0 "local-only: a server with no remote"
is "$(bucket "$TMP/a1.json" refused)" '[1,["io.example.inward"]]' "refused"
is "$(bucket "$TMP/a1.json" unprobed)" '[1,["io.example.quiet"]]' "unprobed: listed, never probed"
is "$(jq -c '[.deleted.count, .deleted.slugs, .deleted.remotes, .total, .servers, .remotes]' "$TMP/a1.json")" \
    '[1,["io.example.gone"],2,14,14,16]' \
    "deleted servers and remotes counted apart; 14 servers, 16 remotes (one server has packages only)"
is "$(jq -c '.buckets.healthy.percent, .buckets["regionally-degraded"].percent' "$TMP/a1.json" | tr '\n' ' ')" \
    "14.29 7.14 " "percentages of the servers, two decimals"
is "$(jq -c '[.apart_count, .apart]' "$TMP/a1.json")" \
    '[2,[{"slug":"io.example.half","name":"io.example/half","bucket":"needs-configuration","server":"io.example.half","server_bucket":"auth-walled"},{"slug":"io.example.two","name":"io.example/two","bucket":"broken:dns","server":"io.example.two","server_bucket":"healthy"}]]' \
    "the remotes apart from their server's bucket"
is "$(jq -c '.regional[0] | [.slug, .name, .share, .regions, .healthy_from]' "$TMP/a1.json")" \
    '["io.example.regional","io.example/regional",100,[{"region":"ap-southeast-1","share":100}],["eu-west-2","sa-east-1","us-east-1","us-west-2"]]' \
    "the regional remote names the region that fails and those that pass"
is "$(jq -c '.regional[1] | [.slug, .share, .regions]' "$TMP/a1.json")" \
    '["io.example.regional-1",20,[{"region":"sa-east-1","share":20}]]' "a share of 20% of the windows"
is "$(jq -c '[.from, .to, .period, .share_percent, .movement, .sync]' "$TMP/a1.json")" \
    "[$(w 0),$(w 19),1200,10,null,{\"skipped\":0,\"remotes_dropped\":0}]" \
    "the period's windows; no movement without a saved audit; no sync hash: nothing left out"

rc hset mcp:registry:sync skipped 4 remotes_dropped 2 >/dev/null
audit >"$TMP/a1.txt"
like "$(head -1 "$TMP/a1.txt")" '^audit of 2026-11-24T16:00:00Z to 2026-11-24T16:20:00Z: 14 servers, 16 remotes$' \
    "the text says servers and remotes"
like "$(grep '^regionally-degraded' "$TMP/a1.txt")" '^regionally-degraded +1 +7.14% +2$' \
    "the text table: bucket, servers, percent, remotes"
like "$(grep '^deleted (apart)' "$TMP/a1.txt")" '^deleted \(apart\) +1 +2$' "deleted servers and remotes"
like "$(cat "$TMP/a1.txt")" 'A server takes the bucket of its best remote\.' "the text states the rule"
like "$(cat "$TMP/a1.txt")" 'The last registry sync skipped 4 entries and dropped 2 remotes\.' \
    "what the last sync left out"
like "$(grep '^io.example.regional ' "$TMP/a1.txt")" 'ap-southeast-1 \(100.0%\) +eu-west-2,sa-east-1' \
    "the text names the regions"
like "$(grep '^io.example.two ' "$TMP/a1.txt")" '^io.example.two +broken:dns +io.example.two \(healthy\)$' \
    "the text names a remote apart from its server"
like "$(cat "$TMP/a1.txt")" 'MOVEMENT: no saved audit' "the text says when there is nothing to compare"
is "$(audit --json | jq -c .sync)" '{"skipped":4,"remotes_dropped":2}' "the JSON says what the sync left out"
rc hdel mcp:registry:sync remotes_dropped >/dev/null
is "$(audit --json | jq -c .sync)" '{"skipped":4,"remotes_dropped":0}' "a field the sync did not write: 0"
rc del mcp:registry:sync >/dev/null

# --- save, change, and the movement ------------------------------------------
audit --save --json >"$TMP/s1.json"
is "$(rc hget mcp:registry:audit last)" "$(cat "$TMP/s1.json")" "--save keeps the audit as printed in last"
is "$(rc hexists mcp:registry:audit previous)" 0 "the first save has no previous"

{
	gen -s io.example.healthy -r "$ALL" -n 20 -t "$(w 20)" -f tools_list
	gen -s io.example.regional -r "$ALL" -n 20 -t "$(w 20)"
	gen -s io.example.regional-1 -r "$ALL" -n 20 -t "$(w 20)"
	gen -s io.example.walled -r "$ALL" -n 20 -t "$(w 20)" -a
	key401 -s io.example.key401 -r "$ALL" -n 20 -t "$(w 20)"
	gen -s io.example.dns -r "$ALL" -n 20 -t "$(w 20)" -f dns
	gen -s io.example.tls -r "$ALL" -n 20 -t "$(w 20)" -f tls
	gen -s io.example.tools -r "$ALL" -n 20 -t "$(w 20)"
	gen -s io.example.cdn -r "$ALL" -n 20 -t "$(w 20)"
	gen -s io.example.two -r "$ALL" -n 20 -t "$(w 20)" -f dns
	gen -s io.example.two-1 -r "$ALL" -n 20 -t "$(w 20)"
	gen -s io.example.half-1 -r "$ALL" -n 20 -t "$(w 20)" -a
} | registry_marks | push 2>/dev/null
run_windows 20 39
reg io.example.dns io.example/dns probe deleted
# A registry name is anyone's: one with an escape sequence.
reg io.example.fresh 'io.example/fresh\u001b[2J' needs-configuration
AT=$(($(w 39) + 95))
audit >"$TMP/a2.txt"
like "$(cat "$TMP/a2.txt")" 'regionally-degraded +healthy +1' "the text movement table: a server of two remotes moved once"
like "$(cat "$TMP/a2.txt")" 'io.example.healthy +io.example/healthy +healthy +broken:tools_list' \
    "the text list of servers that moved"
like "$(grep '^io.example.fresh ' "$TMP/a2.txt")" 'io.example/fresh\?\[2J +new +needs-configuration' \
    "a control byte of a registry name is shown as ?"
is "$(grep -c $'\e' "$TMP/a2.txt")" 0 "no escape reaches the terminal"
audit --save --json >"$TMP/s2.json" 2>"$TMP/s2.err"
is "$?:$(cat "$TMP/s2.err")" "0:" "the second audit exits 0"
is "$(rc hget mcp:registry:audit previous)" "$(cat "$TMP/s1.json")" "the last audit moved to previous"
is "$(rc hget mcp:registry:audit last)" "$(cat "$TMP/s2.json")" "the new one is last"
is "$(jq -c '.movement.table' "$TMP/s2.json")" \
    '[{"from":"healthy","to":"broken:tools_list","count":1},{"from":"broken:dns","to":"deleted","count":1},{"from":"broken:tools_list","to":"healthy","count":1},{"from":"regionally-degraded","to":"healthy","count":1},{"from":"cdn-divergent","to":"healthy","count":1},{"from":"new","to":"needs-configuration","count":1}]' \
    "the bucket-to-bucket table"
is "$(jq -c '.movement.moved[] | select(.slug == "io.example.healthy")' "$TMP/s2.json")" \
    '{"slug":"io.example.healthy","name":"io.example/healthy","from":"healthy","to":"broken:tools_list"}' \
    "a server that moved: slug, registry name, from, to"
is "$(jq -r '.movement.previous_as_of' "$TMP/s2.json")" "$(jq -r .as_of "$TMP/s1.json")" \
    "the movement names the audit it compares with"

# An audit saved per remote, as a version before saved it: each of its
# slugs counts for the server that holds it now.
rc hset mcp:registry:audit last '{"v":1,"type":"audit","as_of":"2026-11-24T16:19:00Z","total":5,"buckets":{"healthy":{"count":1,"slugs":["io.example.two-1"]},"broken:dns":{"count":1,"slugs":["io.example.two"]},"regionally-degraded":{"count":2,"slugs":["io.example.regional","io.example.regional-1"]},"auth-walled":{"count":1,"slugs":["io.example.was"]}},"deleted":{"count":0,"slugs":[]},"regional":[],"movement":null}' >/dev/null
audit --json >"$TMP/old.json" 2>"$TMP/old.err"
is "$?:$(cat "$TMP/old.err")" "0:" "an audit against one saved per remote exits 0"
is "$(jq -c '[.movement.table[] | select(.from != "new")]' "$TMP/old.json")" \
    '[{"from":"auth-walled","to":"gone","count":1},{"from":"regionally-degraded","to":"healthy","count":1}]' \
    "its remotes count as their servers: two regional remotes one server, a broken remote beside a healthy one no move"
rc hset mcp:registry:audit last "$(cat "$TMP/s2.json")" >/dev/null

# --- ambers, red without a step, names a terminal must not get, a flood ------
# The registry anew: the saved audit's servers are gone but for one that
# changes bucket between two of them (io.example.healthy, now refused).
rc del mcp:registry:servers >/dev/null
reg io.example.healthy io.example/healthy refused
reg io.example.amberfail io.example/amberfail
reg io.example.amberonly io.example/amberonly
reg io.example.amberok io.example/amberok
reg io.example.redonly io.example/redonly
reg io.example.oldfail io.example/oldfail
reg io.example.oldok io.example/oldok
reg io.a.bidi 'io.example/\u009b31m\u202eevil\u2066' needs-configuration
# letters SLUG LETTER N...: the verdict letters of windows N (w N), set
# in the packed day string of mcp-store(7) (3 a byte in base 6: g 1, a 2, r 3).
letters_lua='
local s = redis.call("GET", KEYS[1]) or string.rep("\0", 480)
local dg = ({g = 1, a = 2, r = 3})[ARGV[1]]
for i = 2, #ARGV do
  local m = (tonumber(ARGV[i]) % 86400) / 60
  local b, q = math.floor(m / 3) + 1, m % 3
  local v = s:byte(b)
  v = v + (dg - math.floor(v / 6 ^ q) % 6) * 6 ^ q
  s = s:sub(1, b - 1) .. string.char(v) .. s:sub(b + 1)
end
redis.call("SET", KEYS[1], s)
'
letters() {
	local slug=$1 l=$2 i ws=()
	shift 2
	for i; do ws+=("$(w "$i")"); done
	rc EVAL "$letters_lua" 1 "mcp:{$slug}:day:$((ws[0] / 86400))" "$l" "${ws[@]}" >/dev/null
}
# old SLUG: a runner of before's day of 1,440 letters, green but for
# windows 40 to 42, amber.
old() {
	local lo=$((($(w 40) - T0 / 86400 * 86400) / 60))
	rc set "mcp:{$1}:day:$((T0 / 86400))" \
	    "$(head -c "$lo" /dev/zero | tr '\0' g)aaa$(head -c $((1437 - lo)) /dev/zero | tr '\0' g)" >/dev/null
}
old io.example.oldfail
old io.example.oldok
{
	gen -s io.example.oldfail -r "$ALL" -n 3 -t "$(w 40)" -f tls
	gen -s io.example.oldfail -r "$ALL" -n 17 -t "$(w 43)"
	gen -s io.example.oldok -r "$ALL" -n 20 -t "$(w 40)"
	# Every region fails in 3 windows of 20, those the letters call amber.
	gen -s io.example.amberfail -r "$ALL" -n 3 -t "$(w 40)" -f tls
	gen -s io.example.amberfail -r "$ALL" -n 17 -t "$(w 43)"
	gen -s io.example.amberok -r "$ALL" -n 20 -t "$(w 40)"
} | registry_marks | push 2>/dev/null
letters io.example.amberfail g {43..59}
letters io.example.amberfail a {40..42}
letters io.example.amberok g {43..59}
letters io.example.amberok a {40..42}
# Letters alone, the results expired: 1 window in 7 amber; red all along.
letters io.example.amberonly g {40..59}
letters io.example.amberonly a 40 47 54
letters io.example.redonly r {40..59}
# 1,500 new servers with names of 300 bytes.
long=$(printf '\\u00e9%.0s' $(seq 150))
for ((i = 0; i < 1500; i++)); do
	printf "HSET mcp:registry:servers io.a.flood-%04d '{\"name\":\"io.a/%04d%s\",\"status\":\"active\",\"state\":\"needs-configuration\"}'\n" "$i" "$i" "$long"
done | rc >/dev/null
AT=$(($(w 59) + 95))
audit --json >"$TMP/a4.json" 2>"$TMP/a4.err"
is "$?:$(cat "$TMP/a4.err")" "0:" "the audit of the flood exits 0 and is quiet"
is "$(bucket "$TMP/a4.json" cdn-divergent)" '[2,["io.example.amberok","io.example.oldok"]]' \
    "cdn-divergent: ambers where every region's results pass (packed days, and 1,440 letters)"
is "$(jq -c '[.buckets.healthy.slugs, .buckets.unprobed.count]' "$TMP/a4.json")" \
    '[["io.example.amberfail","io.example.amberonly","io.example.oldfail"],0]' \
    "ambers where a region fails, or with no results read, are no divergence"
is "$(bucket "$TMP/a4.json" broken:unknown)" '[1,["io.example.redonly"]]' \
    "red all along, no result and no verdict: broken:unknown, not unprobed"
is "$(jq -c '.movement | [(.moved | length), .moved_count]' "$TMP/a4.json")" '[1000,1523]' \
    "the saved list of servers that moved: 1,000 of 1,523"
is "$(jq -c '[.movement.moved[] | select(.from != "new" and .to != "gone")]' "$TMP/a4.json")" \
    '[{"slug":"io.example.healthy","name":"io.example/healthy","from":"broken:tools_list","to":"refused"}]' \
    "a server that changed between two buckets is listed before the new ones"
is "$(jq '[.movement.moved[].name // "" | utf8bytelength] | max' "$TMP/a4.json")" 128 \
    "a registry name is kept to 128 bytes"
like "$(jq -r '.movement.moved[] | select(.slug == "io.a.flood-0000") | .name' "$TMP/a4.json")" \
    '^io\.a/0000(é)+…$' "cut at a character, an ellipsis after"
size=$(wc -c <"$TMP/a4.json")
ok "$([ "$size" -lt 250000 ]; echo $?)" "1,508 servers, 1,523 moved: $size bytes, under 250,000"
audit >"$TMP/a4.txt"
like "$(grep '^io.a.bidi ' "$TMP/a4.txt")" 'io.example/\?31m\?evil\? +new +needs-configuration' \
    "a C1 control, a bidi override and an isolate of a registry name are shown as ?"
is "$(grep -c $'\xc2\x9b\|\xe2\x80\xae\|\xe2\x81\xa6' "$TMP/a4.txt")" 0 "none reaches the terminal"
like "$(tail -1 "$TMP/a4.txt")" '^\(523 more moved: the table counts them all\)$' "the text says how many more moved"

# --- usage and errors --------------------------------------------------------
mcp-aggregate audit --period 0 >/dev/null 2>"$TMP/e"
is "$?" 2 "a bad --period is a usage error"
like "$(cat "$TMP/e")" '^mcp-aggregate: --period 0: ' "and says why"
mcp-aggregate audit extra >/dev/null 2>&1
is "$?" 2 "an operand is a usage error"
mcp-aggregate audit >/dev/full 2>"$TMP/e"
is "$?:$(cat "$TMP/e")" "1:mcp-aggregate: write stdout: No space left on device" "a full stdout is said"
reg io.example.healthy io.example/healthy
rc hset mcp:registry:servers 'Bad Slug' '{}' >/dev/null
rc hset mcp:registry:servers io.example.junk 'not json' >/dev/null
audit --json >"$TMP/a3.json" 2>"$TMP/a3.err"
is "$?" 1 "fields that do not read: exit 1"
is "$(wc -l <"$TMP/a3.err")" 2 "each is named once"
is "$(jq .total "$TMP/a3.json")" 1508 "the rest is audited"
mcp-aggregate audit -R unix://"$TMP/none.sock" >/dev/null 2>"$TMP/e"
is "$?" 1 "no store: exit 1"

# --- a fleet an hour old, its windows off any grid ---------------------------
# The default period of 24 hours over a registry whose history is an hour
# or less: a runner every sixth minute from window 61 (61, 67 ... 115:
# none a multiple of 6), and one that started five minutes ago (windows
# 115 to 119).  Every window that holds a result is read.
rc del mcp:registry:servers >/dev/null
for s in ok walled far; do
	reg "io.young.$s" "io.young/$s"
	reg "io.new.$s" "io.new/$s"
done
# A remote whose required key the operator's overrides give: probed, and
# filed by its results; another with no results stays needs-configuration.
reg io.young.keyed io.young/keyed needs-configuration
reg io.young.vars io.young/vars needs-configuration
# A server of two remotes: the second's slug leads back to it.
reg io.young.two io.young/two probe active 0
reg io.young.two-1 io.young/two probe active 1
{
	for k in $(seq 61 6 115); do
		gen -s io.young.ok -r "$ALL" -t "$(w "$k")"
		gen -s io.young.walled -r "$ALL" -t "$(w "$k")" -a
		gen -s io.young.far -r "$FOUR_AP_LAST" -t "$(w "$k")"
		gen -s io.young.far -r ap-southeast-1 -t "$(w "$k")" -f connect
		gen -s io.young.keyed -r "$ALL" -t "$(w "$k")"
		gen -s io.young.two -r "$ALL" -t "$(w "$k")"
		gen -s io.young.two-1 -r "$ALL" -t "$(w "$k")"
	done
	gen -s io.new.ok -r "$ALL" -t "$(w 115)" -n 5
	gen -s io.new.walled -r "$ALL" -t "$(w 115)" -n 5 -a
	gen -s io.new.far -r "$FOUR_AP_LAST" -t "$(w 115)" -n 5
	gen -s io.new.far -r ap-southeast-1 -t "$(w 115)" -n 5 -f connect
} | registry_marks | push 2>/dev/null
run_windows 60 119
mcp-aggregate audit --json --at $(($(w 119) + 95)) >"$TMP/y.json" 2>"$TMP/y.err"
is "$?:$(cat "$TMP/y.err")" "0:" "the audit of a young fleet exits 0 and is quiet"
is "$(jq -c '[.period, .buckets.healthy.slugs]' "$TMP/y.json")" \
    '[86400,["io.new.ok","io.young.keyed","io.young.ok","io.young.two"]]' \
    "24 hours: healthy, the servers that are, one whose key the overrides give among them"
is "$(bucket "$TMP/y.json" needs-configuration)" '[1,["io.young.vars"]]' \
    "needs-configuration: the remote with no result"
is "$(jq -c '.buckets.healthy.members' "$TMP/y.json")" \
    '[{"slug":"io.young.two","name":"io.young/two","slugs":["io.young.two","io.young.two-1"]}]' \
    "a server of two remotes: the slugs of both, its name (one of one remote is its slug)"
is "$(jq -c '[.buckets[].members[].slugs[]] | index("io.young.two-1") != null' "$TMP/y.json")" true \
    "the second remote's slug is found in the JSON"
is "$(bucket "$TMP/y.json" auth-walled)" '[2,["io.new.walled","io.young.walled"]]' \
    "auth-walled from ten windows every sixth minute, and from five"
is "$(bucket "$TMP/y.json" regionally-degraded)" '[2,["io.new.far","io.young.far"]]' \
    "regionally-degraded likewise"
is "$(jq -c '[.regional[] | [.slug, .share, .regions]]' "$TMP/y.json")" \
    '[["io.new.far",100,[{"region":"ap-southeast-1","share":100}]],["io.young.far",100,[{"region":"ap-southeast-1","share":100}]]]' \
    "the share is of the windows with a result"

done_testing
