#!/usr/bin/env bash
# registry-slugs.t - whose slug is whose: a registry that squats an operator's slugs (issue 39,
# item 6), slugs that depend on the order or history of a sync (item 11)
# The registry is tests/fixtures/registry.mjs over a listing written here;
# the servers probed are the fixture's (healthy "open", broken "status500")
# on localhost; the pipelines are the real ones, the operator's own targets
# file and "targets | mcp-probe -f - | push", from two regions; the old
# slugs answer through mcp-serve behind nginx and fcgiwrap.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/serve-lib.sh
source "$TOP/tests/serve-lib.sh"

start_redis
start_fixture || exit 1
rm -f "$TMP/reg.port"
node "$TOP/tests/fixtures/registry.mjs" --fixture "$TMP/fix.json" --port-file "$TMP/reg.port" 2>"$TMP/reg.err" &
bg_pid $!
echo '{"entries":[]}' >"$TMP/fix.json"
wait_file "$TMP/reg.port" || { diag "registry did not start: $(cat "$TMP/reg.err")"; exit 1; }
REG=http://127.0.0.1:$(cat "$TMP/reg.port")
OK_URL=http://localhost:${FIX##*:}/open/mcp
BAD_URL=http://localhost:${FIX##*:}/status500/mcp
SOCK=$REDIS_SOCK

# db N: the store is database N (each case a store of its own).
db() { DB=$1; export MCP_REDIS="unix://$SOCK?db=$1"; }
rcli() { redis-cli -s "$SOCK" -n "$DB" "$@"; }
# ent NAME UPDATED [URL...]: one entry of the listing, a remote per URL
# (none: packages only).
ent() {
	local n=$1 u=$2
	shift 2
	jq -nc --arg n "$n" --arg u "$u" '{server: ({name: $n, version: "1.0.0"} +
	    (if ($ARGS.positional | length) > 0
	     then {remotes: [$ARGS.positional[] | {type: "streamable-http", url: .}]}
	     else {packages: [{registryType: "npm", identifier: "x"}]} end)),
	    _meta: {"io.modelcontextprotocol.registry/official": {status: "active", updatedAt: $u}}}' \
	    --args "$@"
}
# listing < ENTRIES: what the registry lists from now on.
listing() { jq -sc '{entries: .}' >"$TMP/fix.new" && mv "$TMP/fix.new" "$TMP/fix.json"; }
sync() { mcp-aggregate registry sync --allow-http "$@" "$REG" 2>"$TMP/sync.err"; }
# hashed NAME REMOTE: the hashed slug of the rule (mcp-aggregate(1)).
hashed() {
	local p
	p=$(printf '%s' "$1" | tr 'A-Z/' 'a-z.')
	printf '%s-%s' "$p" "$(printf '%s\0%s' "$1" "$2" | sha256sum | cut -c1-8)"
}
# operator K FILE: the operator's own targets probed in window K from two
# regions and pushed (PX: push's exit, $TMP/op.err its stderr).
operator() {
	local r
	for r in eu-west-2 us-east-1; do
		MCP_NOW=$(($(w "$1") + 1)) mcp-probe -r "$r" -t 5 -f "$2"
	done >"$TMP/op.$1" 2>/dev/null
	MCP_NOW=$(($(w "$1") + 2)) mcp-aggregate push <"$TMP/op.$1" 2>"$TMP/op.err"
	PX=$?
}
# registry K [TARGETS OPTIONS]: targets | mcp-probe | push in window K,
# from two regions (RX: push's exit, $TMP/reg.err its stderr).
registry() {
	local k=$1 r
	shift
	mcp-aggregate targets "$@" >"$TMP/t.$k"
	for r in eu-west-2 us-east-1; do
		MCP_NOW=$(($(w "$k") + 1)) mcp-probe -r "$r" --guard-allow 127.0.0.0/8 -t 5 -f "$TMP/t.$k"
	done >"$TMP/reg.$k" 2>/dev/null
	MCP_NOW=$(($(w "$k") + 2)) mcp-aggregate push <"$TMP/reg.$k" 2>"$TMP/reg.err"
	RX=$?
}
verdict() { MCP_NOW=$(($(w "$1") + 95)) mcp-aggregate verdict "$2" | jq -r .verdict; }
# states SLUG K: the state letter (h, a, b) of each region's result in window K.
states() { res_lines "$1" "$(w "$2")" | awk '{ printf "%s:%s ", $2, substr($4, 1, 1) }'; }

# --- item 6: a registry that squats the operator's slugs ----------------------------
# The operator's own servers, billing and com.acme.billing, are broken; the
# registry lists a healthy "billing" and "com.acme/billing".
printf 'billing %s\ncom.acme.billing %s\n' "$BAD_URL" "$BAD_URL" >"$TMP/own"
{
	ent billing 2026-11-01T00:00:00Z "$OK_URL"
	ent com.acme/billing 2026-11-01T00:00:00Z "$OK_URL"
} | listing
HB=$(hashed com.acme/billing 0)

# The operator's slugs known first: the registry gets the hashed slug.
db 1
operator 1 "$TMP/own"
is "$PX:$(cat "$TMP/op.err")" 0: "operator first: its results pushed"
sync
is "$?" 0 "operator first: sync, exit 0"
is "$(rcli hget mcp:registry:servers 127.0.0.1.billing | jq -r .name)" 127.0.0.1/billing \
    "a name without a namespace: given the registry's own (its host), never the operator's bare slug"
like "$(tail -1 "$TMP/sync.err")" ' 0 entries skipped$' "a name without a namespace: taken, not skipped"
is "$(rcli hkeys mcp:registry:servers | sort | tr '\n' ' ')" "127.0.0.1.billing $HB " \
    "operator first: com.acme/billing gets the hashed slug, never the operator's"
registry 1
is "$RX:$(cat "$TMP/reg.err")" 0: "operator first: the registry's results pushed"
is "$(grep "^$HB " "$TMP/t.1" | cut -d' ' -f1,3-)" "$HB guard=public-http origin=registry" "targets: the registry's line says origin=registry"
is "$(jq -r 'select(.type == "result") | .origin' "$TMP/reg.1" | sort -u)" registry \
    "mcp-probe: its records say \"origin\":\"registry\""
is "$(jq -r 'select(.type == "result") | .origin // "none"' "$TMP/op.1" | sort -u)" none \
    "mcp-probe: the operator's records say no origin"
is "$(states com.acme.billing 1)" "eu-west-2:b us-east-1:b " "operator first: the operator's slug holds its broken results only"
is "$(states billing 1)" "eu-west-2:b us-east-1:b " "operator first: billing holds the operator's only"
is "$(states "$HB" 1)" "eu-west-2:h us-east-1:h " "operator first: the registry's healthy results under its own slug"
is "$(verdict 1 com.acme.billing) $(verdict 1 billing) $(verdict 1 "$HB")" "red red green" \
    "operator first: the operator's verdicts stay red, the squatter's green is its own"
sync
is "$?:$(rcli hkeys mcp:registry:servers | sort | tr '\n' ' ')" "0:127.0.0.1.billing $HB " "operator first: the next sync keeps the slugs"

# The registry's slug given first: push refuses the operator's results for it.
db 2
sync
is "$?:$(rcli hkeys mcp:registry:servers | sort | tr '\n' ' ')" "0:127.0.0.1.billing com.acme.billing " "registry first: com.acme/billing gets the plain slug"
registry 1
is "$RX:$(cat "$TMP/reg.err")" 0: "registry first: the registry's results pushed"
operator 1 "$TMP/own"
is "$PX" 1 "registry first: push of the operator's results: exit 1"
is "$(grep -c 'slug "com.acme.billing" is the registry.s, and this result is not from its targets (no "origin":"registry"): name the target otherwise, or replace the registry.s target of that slug in the overrides of mcp-aggregate targets -o$' "$TMP/op.err")" 2 \
    "registry first: each refused result said, with what to do"
like "$(head -1 "$TMP/op.err")" '^mcp-aggregate: stdin:[0-9]+: slug ' "registry first: the refusal names its line"
is "$(states com.acme.billing 1)" "eu-west-2:h us-east-1:h " "registry first: nothing of the operator's under the registry's slug"
is "$(states billing 1)" "eu-west-2:b us-east-1:b " "registry first: the operator's other slug stored"
# What the message says to do: name the target otherwise...
printf 'billing %s\nacme-billing %s\n' "$BAD_URL" "$BAD_URL" >"$TMP/own2"
operator 2 "$TMP/own2"
is "$PX:$(cat "$TMP/op.err")" 0: "the operator's target named otherwise: pushed"
is "$(verdict 2 acme-billing) $(verdict 2 billing)" "red red" "the operator's verdicts red"
# ... or replace the registry's target in the overrides: then it is the registry slug's.
printf '# mine\ncom.acme.billing %s timeout=5 # the operator'"'"'s\n' "$BAD_URL" >"$TMP/over"
registry 3 -o "$TMP/over"
is "$(grep '^com.acme.billing ' "$TMP/t.3")" "com.acme.billing $BAD_URL timeout=5 origin=registry # the operator's" \
    "an override of a registry slug: printed with origin=registry, before its comment"
is "$RX:$(states com.acme.billing 3)" "0:eu-west-2:b us-east-1:b " "an override of a registry slug: its results are the slug's"
# origin=registry on a line that is not a registry slug's
printf 'acme-billing %s origin=registry\n' "$BAD_URL" >"$TMP/over2"
mcp-aggregate targets -o "$TMP/over2" >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/err"):$(wc -c <"$TMP/out")" \
    "2:mcp-aggregate: $TMP/over2:1: origin=registry, but the registry has no slug acme-billing:0" \
    "targets: origin=registry on a line of no registry slug: exit 2, nothing printed"
operator 4 "$TMP/over2"
is "$PX" 1 "push: a result that says origin registry for a slug not the registry's: exit 1"
like "$(head -1 "$TMP/op.err")" 'stdin:[0-9]+: slug "acme-billing" is not the registry.s in this store, and this result says it comes from the registry.s targets' \
    "push: said"
is "$(states acme-billing 4)" "" "push: nothing of it stored"
jq -c '.origin = "operator"' "$TMP/op.4" | mcp-aggregate push 2>"$TMP/err"
like "$?:$(head -1 "$TMP/err")" '^1:mcp-aggregate: stdin:1: bad origin "operator": not registry$' "push: an origin other than registry: a bad record"
printf 'x %s origin=operator\n' "$BAD_URL" | mcp-probe -r eu-west-2 -f - >/dev/null 2>"$TMP/err"
like "$?:$(cat "$TMP/err")" '^2:.*origin must be registry' "mcp-probe: origin= takes registry only"

# --- item 11: a server that had packages only gains a remote -----------------------------
P=io.github.acme.gains
H=$(hashed io.github.acme/gains 0)
one() { ent io.github.acme/gains 2026-11-01T00:00:00Z; ent io.github.other/x 2026-11-01T00:00:00Z "$OK_URL"; }
two() { ent io.github.acme/gains 2026-11-05T00:00:00Z "$OK_URL"; ent io.github.other/x 2026-11-01T00:00:00Z "$OK_URL"; }
db 3
one | listing
sync
is "$?:$(rcli hget mcp:registry:servers $P | jq -r .state)" 0:local-only "packages only: local-only, the plain slug"
two | listing
sync
is "$?" 0 "a remote gained: sync, exit 0"
rcli hkeys mcp:registry:servers | sort >"$TMP/gained"
db 4
sync
rcli hkeys mcp:registry:servers | sort >"$TMP/fresh"
is "$(cat "$TMP/gained")" "$(cat "$TMP/fresh")" "the remote's slug is the one a fresh store gives"
is "$(cat "$TMP/fresh" | tr '\n' ' ')" "io.github.acme.gains io.github.other.x " "and it is the plain one"
db 3
is "$(rcli hget mcp:registry:servers $P | jq -r '[.remote, .status, .state] | @tsv')" $'0\tactive\tprobe' \
    "the field replaced in place: remote 0, active, probe"
mcp-aggregate audit --json >"$TMP/audit" 2>"$TMP/err"
is "$(jq -r .deleted.count "$TMP/audit")" 0 "the audit counts nothing deleted"

# A store as the code of before left it: the remote under the hashed slug,
# the packages' field deleted under the plain one, probed for a window.
db 5
field() { # field REMOTE STATUS STATE URL
	jq -nc --arg r "$REG" --argjson rem "$1" --arg st "$2" --arg state "$3" --arg u "$4" '{name: "io.github.acme/gains",
	    version: "1.0.0", remote: $rem, type: (if $rem == null then null else "streamable-http" end),
	    url: (if $u == "" then null else $u end), headers: [], status: $st, state: $state,
	    reason: (if $state == "local-only" then "packages only: run locally, not probed from afar" else null end),
	    registry: $r, updated_at: "2026-11-01T00:00:00Z", synced_at: 1795000000}'
}
rcli hset mcp:registry:servers $P "$(field null deleted local-only '')" "$H" "$(field 0 active probe "$OK_URL")" \
    io.github.other.x "$(rcli -n 4 hget mcp:registry:servers io.github.other.x)" >/dev/null
registry 1
is "$RX:$(cut -d' ' -f1 "$TMP/t.1" | sort | tr '\n' ' ')" "0:$H io.github.other.x " "the old store: the remote probed under $H"
is "$(verdict 1 "$H")" green "the old store: $H green"
sync
is "$?" 0 "the old store synced: exit 0"
like "$(cat "$TMP/sync.err")" "registry: $H moved to $P: one server \(\"io.github.acme/gains\"\), its first remote and its packages" \
    "the move is said"
is "$(rcli hkeys mcp:registry:servers | sort | tr '\n' ' ')" "$(tr '\n' ' ' <"$TMP/fresh")" "the old store: the slugs of a fresh store"
is "$(rcli hget mcp:registry:servers $P | jq -r '[.remote, .status, .state, .url] | @tsv')" $'0\tactive\tprobe\t'"$OK_URL" \
    "the old store: the remote's field under the plain slug"
is "$(rcli hgetall 'mcp:registry:aliases:{mcp:registry:servers}' | tr '\n' ' ')" "$H $P " "the old slug kept as an alias"
is "$(rcli zscore mcp:slugs "$H")|$(rcli zscore mcp:slugs:lex "$H")" "|" "the old slug leaves the slug index: listed no more, decided no more"
registry 2
is "$RX:$(cut -d' ' -f1 "$TMP/t.2" | sort | tr '\n' ' ')" "0:$P io.github.other.x " "targets never prints the alias"
is "$(verdict 2 "$P")" green "the new slug probed: green"
sync
is "$?:$(grep -c moved "$TMP/sync.err"):$(rcli hget 'mcp:registry:aliases:{mcp:registry:servers}' "$H")" "0:0:$P" \
    "the next sync: nothing more to move, the alias kept"
printf '%s %s token_file=/etc/mcp/t\n' "$H" "$OK_URL" >"$TMP/over3"
mcp-aggregate targets -o "$TMP/over3" >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "0:mcp-aggregate: $TMP/over3:1: $H moved to $P: write $P (results under the old slug are shown by none of its routes, which lead to the new one)" \
    "targets: an override of the old slug is named, with the slug to write"
is "$(grep "^$H " "$TMP/out")" "$H $OK_URL token_file=/etc/mcp/t origin=registry" "and printed as the registry's"
mcp-aggregate audit --json >"$TMP/audit" 2>"$TMP/err"
is "$(jq -r .deleted.count "$TMP/audit")" 0 "the old store: the audit counts nothing deleted"
# A runner's targets of before: results for the old slug, the registry's, still taken.
MCP_NOW=$(($(w 2) + 30)) mcp-aggregate push <"$TMP/reg.1" 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" 0: "push: the registry's results for the old slug taken"
jq -c 'del(.origin)' "$TMP/reg.1" | MCP_NOW=$(($(w 2) + 30)) mcp-aggregate push 2>"$TMP/err"
like "$?:$(grep -m1 "slug \"$H\"" "$TMP/err")" "^1:.*slug \"$H\" is the registry's" "push: another's result for the old slug refused (whatever order the run gave its targets)"
sync
is "$?:$(rcli zscore mcp:slugs "$H")|$(rcli zscore mcp:slugs:lex "$H")" "0:|" \
    "a sync takes the old slug out of the index again (a runner of before pushed it)"

# The old slug answers 301 from mcp-serve behind nginx.
live_api_ready
if [ "$live" = 1 ]; then
	SERVE_NOW=$(($(w 2) + 100))
	start_nginx_cgi "$BIN/mcp-serve" || { ok 1 "nginx and fcgiwrap start"; done_testing; }
	U=$NGINX_CGI
	CACHE_API_WANT='public, max-age=60, stale-while-revalidate=300'
	while read -r path want; do
		get "$U$path"
		is "$ST|$(hdr Location)|$(hdr Cache-Control)|$(body)" \
		    "301|$want|$CACHE_API_WANT|{\"moved_to\":\"$P\"}" "mcp-serve: $path: 301 to $want"
	done <<-EOF
	/status/$H $P
	/status/$H/feed.atom ../$P/feed.atom
	/badge/$H.svg?theme=dark $P.svg?theme=dark
	/api/embed-status/$H $P
	/api/shields/$H $P
	/api/status/$H/regions ../$P/regions
	/api/embed-status-prom?slug=$H embed-status-prom?slug=$P
	EOF
	get -I "$U/api/embed-status/$H"
	is "$ST|$(hdr Location)" "301|$P" "mcp-serve: HEAD: 301 and Location"
	get -L "$U/api/embed-status/$H"
	is "$ST|$(jq -c 'keys' "$RB")|$(jq -r .state "$RB")" '200|["as_of","last_probe_ago","p95_ms","state","uptime_30d"]|up' \
	    "mcp-serve: followed, the embed route's 200 and its five fields on the new slug"
	get -L "$U/api/status/$H/regions"
	is "$ST|$(jq -r .slug "$RB")" "200|$P" "mcp-serve: followed, the new slug's regions"
	get -L "$U/badge/$H.svg?theme=dark"
	is "$ST|$(hdr Content-Type | tail -1)" "200|image/svg+xml" "mcp-serve: followed, the new slug's badge"
	get -L "$U/api/embed-status-prom?slug=$H"
	is "$ST|$(grep '^mcp_state{' "$RB")" "200|mcp_state{slug=\"$P\"} 1" "mcp-serve: followed, the new slug's Prometheus line"
	get -L "$U/status/$H"
	is "$ST|$(grep -o '<h1>[^<]*</h1>' "$RB")" "200|<h1>$P</h1>" "mcp-serve: followed, the new slug's page"
	get "$U/api/embed-status/$P"
	is "$ST|$(hdr Location)" "200|" "mcp-serve: the new slug answers itself"
	get "$U/api/status"
	is "$ST|$(jq -r '[.slugs[].slug] | join(" ")' "$RB")" "200|$P io.github.other.x" "mcp-serve: /api/status lists the new slug, not the old"
else
	diag "nginx or fcgiwrap missing ($why): the 301s of mcp-serve skipped"
fi

# --- item 11: contested slugs, decided the same in both orders ---------------------------
contenders() {
	ent io.github.collide/same 2026-11-01T00:00:00Z "$OK_URL"
	for i in $(seq 1 120); do ent "io.github.fill/s$i" 2026-11-01T00:00:00Z "$OK_URL"; done
	ent io.github.Collide/Same 2026-11-01T00:00:00Z "$OK_URL"
	ent x/y-1 2026-11-01T00:00:00Z "$OK_URL"
	ent x/y 2026-11-01T00:00:00Z "$OK_URL" "$BAD_URL"
	ent a.b/c 2026-11-01T00:00:00Z "$OK_URL"
	ent a/b.c 2026-11-01T00:00:00Z "$OK_URL"
}
owners() { rcli hgetall mcp:registry:servers | paste - - | jq -Rr 'split("\t") | "\(.[0]) \(.[1] | fromjson | "\(.name) \(.remote)")"' | sort; }
db 6
contenders | listing
sync
is "$?" 0 "contenders, in one order (on two pages): sync"
owners >"$TMP/order1"
db 7
contenders | tac | listing
sync
is "$?" 0 "contenders, in the other: sync"
owners >"$TMP/order2"
is "$(diff "$TMP/order1" "$TMP/order2" && echo same)" same "contested slugs: the same owners in both orders"
is "$(grep -E '^(io\.github\.collide\.same|x\.y-1|a\.b\.c) ' "$TMP/order1" | tr '\n' ' ')" \
    "a.b.c a.b/c 0 io.github.collide.same io.github.Collide/Same 0 x.y-1 x/y 1 " \
    "the bytewise-smallest (name, remote) takes the plain slug"
is "$(grep -cE "^($(hashed io.github.collide/same 0)|$(hashed x/y-1 0)|$(hashed a/b.c 0)) " "$TMP/order1")" 3 \
    "the others the hashed one"
# History: a slug already given stays with its owner.
db 8
ent io.github.collide/same 2026-11-01T00:00:00Z "$OK_URL" | listing
sync
contenders | listing
sync --full
is "$?:$(rcli hget mcp:registry:servers io.github.collide.same | jq -r .name)" 0:io.github.collide/same \
    "a plain slug given in an earlier sync stays with its owner"
is "$(rcli hget mcp:registry:servers "$(hashed io.github.Collide/Same 0)" | jq -r .name)" io.github.Collide/Same \
    "the smaller name that came later gets the hashed one"

done_testing
