#!/usr/bin/env bash
# registry-real.t - mcp-aggregate registry sync against the real MCP Registry's entries, over loopback
# The official registry's list API as a third party pulled it, 2025-12-11
# and 2025-12-18, and an excerpt of a static sub-registry (../shared/realreg,
# or MCP_REALREG), served by tests/fixtures/registry.mjs with the registry's
# own ListServers semantics (issue 39).  Nothing is probed: no host the
# entries name is contacted.  None of the data is copied into the tree.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"

REAL=${MCP_REALREG:-$TOP/../shared/realreg}
OLD=$REAL/mcp-insights-servers-719a9a6.json.gz # 2025-12-11
NEW=$REAL/mcp-insights-servers-5d6e951.json.gz # 2025-12-18
SUB=$REAL/subreg-lukas-ertl-allowlist-excerpt.json
for f in "$OLD" "$NEW" "$SUB"; do
	[ -r "$f" ] || skip_all "no $f: the real registry's snapshots are not here (MCP_REALREG names their directory)"
done

start_redis
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }
# The entries of a snapshot, every version, as one JSON array (its BOM dropped).
entries() { gzip -dc "$1" | sed '1s/^\xef\xbb\xbf//'; }
# The latest entry of each server.
latest() { entries "$1" | jq -c '[.[] | select(._meta["io.modelcontextprotocol.registry/official"].isLatest)]'; }
start_registry() { # start_registry NAME ARGS...: sets REG
	local name=$1
	shift
	rm -f "$TMP/$name.port"
	node "$TOP/tests/fixtures/registry.mjs" --port-file "$TMP/$name.port" --log "$TMP/$name.log" "$@" \
	    2>"$TMP/$name.err" &
	bg_pid $!
	wait_file "$TMP/$name.port" || { diag "registry did not start: $(cat "$TMP/$name.err")"; exit 1; }
}
sync() { mcp-aggregate registry sync "$@" 2>"$TMP/err"; }
# Each stored field not deleted: name, remote, state, url, headers, status (no slug, no time).
fields() { rcli hvals mcp:registry:servers | jq -r 'select(.status != "deleted") |
    [.name, (.remote | tostring), .state, (.url // ""), (.headers | tostring), .status] | @tsv' | sort; }
sh1() { rcli hget mcp:registry:sync "$1"; }

# The snapshot served is a copy in $TMP, swapped as the registry changes.
cp "$OLD" "$TMP/snap.json.gz"
start_registry reg --snapshot "$TMP/snap.json.gz"
REG=http://127.0.0.1:$(cat "$TMP/reg.port")
latest "$OLD" >"$TMP/old.json"
latest "$NEW" >"$TMP/new.json"

# --- the fixture serves the registry's own ListServers -----------------------------
page=$(curl -s "$REG/v0.1/servers")
is "$(jq '[(.servers | length), .metadata.count] | @text' <<<"$page")" '"[30,30]"' "fixture: limit 30 by default, count always present"
is "$(jq -r '[.servers[] | .server.name + " " + .server.version] | (. == sort)' <<<"$page")" true \
    "fixture: ordered by (server_name, version)"
is "$(jq -r '.metadata.nextCursor' <<<"$page")" "$(jq -r '.servers[-1].server | .name + ":" + .version' <<<"$page")" \
    "fixture: the cursor is the name:version of the page's last entry"
is "$(curl -s -o /dev/null -w '%{http_code} %{content_type}' "$REG/v0.1/servers?limit=101")" \
    "422 application/problem+json" "fixture: limit over 100 is 422 problem+json"
is "$(curl -s -o /dev/null -w '%{http_code}' "$REG/v0.1/servers?limit=0")" 422 "fixture: limit under 1 is 422"
# The last 100 servers by name: a full page, then an empty one.
cur=$(jq -r '[.[].server | .name + ":" + .version] | sort | .[-101]' "$TMP/old.json")
page=$(curl -s "$REG/v0.1/servers?version=latest&limit=100&cursor=$(jq -rn --arg c "$cur" '$c | @uri')")
is "$(jq -c '[(.servers | length), (.metadata.nextCursor | type)]' <<<"$page")" '[100,"string"]' \
    "fixture: a full last page still has a nextCursor"
page=$(curl -s "$REG/v0.1/servers?version=latest&limit=100&cursor=$(jq -rn --arg c "$(jq -r .metadata.nextCursor <<<"$page")" '$c | @uri')")
is "$page" '{"servers":[],"metadata":{"count":0}}' "fixture: then one more page, empty, without one"
t=$(jq -r '.[0]._meta["io.modelcontextprotocol.registry/official"].updatedAt' "$TMP/old.json")
n=$(jq --arg t "$t" '[.[] | select(._meta["io.modelcontextprotocol.registry/official"].updatedAt == $t)] | length' "$TMP/old.json")
is "$(curl -s "$REG/v0.1/servers?version=latest&limit=100&updated_since=$t" | jq --arg t "$t" \
    '[.servers[] | select(._meta["io.modelcontextprotocol.registry/official"].updatedAt == $t)] | length')" 0 \
    "fixture: updated_since is strict ($n entries at that very time left out)"

# --- 2025-12-11 into a fresh store, then 2025-12-18 incrementally, as cron would -------
sync "$REG"
is "$?" 0 "2025-12-11: exit 0"
is "$(tail -1 "$TMP/err")" \
    "mcp-aggregate: registry: 1,051 servers, 604 remotes: 417 targets, 152 needs configuration, 0 refused, 0 dropped, 35 duplicates; 580 local-only; 0 entries skipped" \
    "2025-12-11: the summary"
is "$(sh1 remotes)" "$(jq '[.[].server.remotes // [] | length] | add' "$TMP/old.json")" \
    "2025-12-11: every remote listed is counted"
is "$(grep -c 'limit=100&version=latest' "$TMP/reg.log")" 11 "2025-12-11: 11 pages (10 full, one of 51)"
cp "$NEW" "$TMP/snap.json.gz"
: >"$TMP/reg.log"
sync "$REG"
is "$?" 0 "2025-12-18, incremental: exit 0"
like "$(head -1 "$TMP/reg.log")" 'include_deleted=true&updated_since=2025-12-11T' \
    "2025-12-18, incremental: asked for what changed since 2025-12-11"
is "$(tail -1 "$TMP/err")" \
    "mcp-aggregate: registry: 1,108 servers, 621 remotes: 432 targets, 153 needs configuration, 0 refused, 0 dropped, 36 duplicates; 622 local-only; 0 entries skipped" \
    "2025-12-18, incremental: the summary"
fields >"$TMP/incremental"

# --- 2025-12-18 alone, into a fresh store ------------------------------------------------
rcli flushall >/dev/null
: >"$TMP/reg.log"
sync "$REG"
is "$?" 0 "2025-12-18, fresh: exit 0"
is "$(tail -1 "$TMP/err")" \
    "mcp-aggregate: registry: 1,108 servers, 621 remotes: 432 targets, 153 needs configuration, 0 refused, 0 dropped, 36 duplicates; 622 local-only; 0 entries skipped" \
    "2025-12-18, fresh: the summary"
is "$(grep -c 'limit=100&version=latest' "$TMP/reg.log")" 12 "2025-12-18, fresh: 12 pages (11 full, one of 8)"
fields >"$TMP/fresh"
is "$(diff "$TMP/incremental" "$TMP/fresh" && echo same)" same \
    "the incremental sync of 2025-12-18 stores what a fresh one does"
is "$(sh1 servers) $(sh1 remotes)" \
    "$(jq '[.[].server.name] | unique | length' "$TMP/new.json") $(jq '[.[].server.remotes // [] | length] | add' "$TMP/new.json")" \
    "mcp:registry:sync: every server and every remote of the listing counted"
is "$(($(sh1 targets) + $(rcli hvals mcp:registry:servers | jq -s '[.[] | select(.status != "deleted" and (.state == "needs-configuration" or .state == "refused"))] | length') + $(sh1 remotes_dropped) + $(sh1 remotes_duplicate)))" \
    "$(sh1 remotes)" "the remotes add up: targets, needs configuration, refused, dropped and duplicates"
is "$(sh1 remotes_dropped) $(sh1 skipped)" "0 0" "nothing dropped, nothing skipped"

# The state each remote should have, by the rule of mcp-aggregate(1): a required
# header without a usable value (none, or {a variable} with no default, or a
# blank) waits for the operator; anything else is probed.  Duplicates: the
# same URL and state as a remote of the same server before it.
jq -r '.[] | .server as $s | ($s.remotes // []) | to_entries[] |
    (if any(.value.headers[]?; .isRequired == true and
        (((.value // .default) == null) or ((.value // .default) | test("[{ ]")))) then "needs-configuration"
     else "probe" end) as $st |
    [$s.name, (.key | tostring), $st, .value.url] | @tsv' "$TMP/new.json" >"$TMP/want"
rcli hvals mcp:registry:servers | jq -r 'select(.status != "deleted" and .remote != null) |
    [.name, (.remote | tostring), .state, .url] | @tsv' | sort >"$TMP/got"
sort "$TMP/want" >"$TMP/want.s"
awk -F'\t' '{ k = $1 "\t" $3 "\t" $4; if (k in seen) print; seen[k] = 1 }' "$TMP/want" | sort >"$TMP/dups"
is "$(comm -23 "$TMP/got" "$TMP/want.s" | wc -l)" 0 "every stored remote has the state the rule gives it"
is "$(comm -13 "$TMP/got" "$TMP/want.s" | diff - "$TMP/dups" && echo same)" same \
    "every remote listed is stored, but for its duplicates (the same URL and state as one before it)"
is "$(wc -l <"$TMP/dups")" "$(sh1 remotes_duplicate)" "the duplicates counted are those"

# Big providers: kept whole (issue 39, item 9).
is "$(rcli hvals mcp:registry:servers | jq -r 'select(.name == "com.cloudflare.mcp/mcp" and .status != "deleted") | .state' | sort | uniq -c | tr -s ' ')" \
    " 30 probe" "Cloudflare: its 30 remotes kept, each a target"
is "$(rcli hvals mcp:registry:servers | jq -r 'select(.name == "com.infobip/mcp" and .status != "deleted") | .state' | sort | uniq -c | tr -s ' ' | tr '\n' ' ')" \
    " 8 needs-configuration  10 probe " "Infobip: its 18 remotes kept (its required API key: needs configuration)"

# Walls that are ours (issue 39, item 10).
mcp-aggregate targets >"$TMP/t" 2>"$TMP/terr"
is "$?:$(cat "$TMP/terr")" "0:" "targets: exit 0, nothing said"
is "$(wc -l <"$TMP/t")" "$(sh1 targets)" "targets: one line a target"
mcp-probe -r test -n -f - <"$TMP/t" >/dev/null 2>"$TMP/perr"
like "$?:$(cat "$TMP/perr")" '^0:mcp-probe: 432 targets ok$' "targets: mcp-probe takes the whole list (checked, nothing probed)"
secret=$(rcli hvals mcp:registry:servers | jq -s '[.[] | select(.status != "deleted" and (.reason // "" | test("^header .* is required and has no value$")))] | length')
is "$secret" 42 "42 remotes with a required header and no value: needs configuration"
is "$(rcli hvals mcp:registry:servers | jq -s '[.[] | select(.reason // "" | test("is required")) | select(.state != "needs-configuration")] | length')" 0 \
    "a required header that cannot be filled is never probed without it"
# An optional "Authorization: Bearer {...}" (109 of them smithery's), which no one fills.
bearer() { jq -r '.[].server.remotes // [] | .[] | select(any(.headers[]?; .isRequired != true and
    (.value // "" | test("^Bearer [{]")))) | .url' "$TMP/new.json"; }
is "$(bearer | wc -l)" 110 "110 remotes with an optional Bearer {variable} header"
is "$(bearer | sort -u | while read -r u; do grep -c " $u guard=public origin=registry\$" "$TMP/t"; done | grep -cx 1)" \
    "$(bearer | sort -u | wc -l)" "the optional header left out: each such URL a target, without a header"
is "$(grep -c '[{}]' "$TMP/t")" 0 "no {variable} reaches a targets line"
unprobed=$(rcli hvals mcp:registry:servers | jq -s '[.[] | select(.status != "deleted" and .remote != null and .state != "probe")] | length')
diag "stored remotes never probed: $unprobed of $(rcli hvals mcp:registry:servers | jq -s '[.[] | select(.status != "deleted" and .remote != null)] | length')"

# The operator's override gives the secret: that slug becomes a target.
slug=$(rcli hgetall mcp:registry:servers | paste - - | jq -R -r 'split("\t") | select(.[1] | fromjson |
    (.reason // "") | test("^header \"X-API-Key\" is required and has no value$")) | .[0]' | sort | head -1)
url=$(rcli hget mcp:registry:servers "$slug" | jq -r .url)
grep -q "^$slug " "$TMP/t"
is "$?" 1 "a needs-configuration slug ($slug) is not printed"
printf 'k3y\n' >"$TMP/key"
chmod 600 "$TMP/key"
printf '%s %s header_file=X-API-Key:%s\n' "$slug" "$url" "$TMP/key" >"$TMP/over"
mcp-aggregate targets -o "$TMP/over" >"$TMP/t2"
is "$(grep "^$slug " "$TMP/t2")" "$slug $url header_file=X-API-Key:$TMP/key origin=registry" \
    "an override giving the secret makes the slug a target"
is "$(($(wc -l <"$TMP/t2") - $(wc -l <"$TMP/t")))" 1 "the override adds that one target"
mcp-probe -r test -n -f - <"$TMP/t2" >/dev/null 2>"$TMP/perr"
like "$?:$(cat "$TMP/perr")" '^0:mcp-probe: 433 targets ok$' "the list with the override: mcp-probe takes it"

# --- slugs: the same in a store with history as in a fresh one (issue 39, item 11) ----
# The registry as it was when each server first published: every server's
# first version made its latest (10 servers of 2025-12-18 listed packages
# only then and remotes later; com.glean/mcp gained its remote between the
# two snapshots).  A store that synced that, then 2025-12-11, then
# 2025-12-18 (a full pass), gives each name and remote the slug a fresh
# store gives: the slug depends on them alone, not on what came first.
slugmap() { rcli hgetall mcp:registry:servers | paste - - | jq -R -r 'split("\t") |
    (.[1] | fromjson) as $v | select($v.status != "deleted") | [.[0], $v.name, ($v.remote | tostring)] | @tsv' | sort; }
slugmap >"$TMP/slugs.fresh"
entries "$NEW" | jq -c 'group_by(.server.name) | map(sort_by(._meta["io.modelcontextprotocol.registry/official"].publishedAt) |
    to_entries | map(.value._meta["io.modelcontextprotocol.registry/official"].isLatest = (.key == 0) | .value)) | flatten' |
    gzip >"$TMP/first.json.gz"
gained=$(entries "$NEW" | jq '[group_by(.server.name)[] | select((map((.server.remotes // []) | length > 0) | any) and
    (map((.server.remotes // []) | length == 0) | any))] | length')
is "$gained" 10 "2025-12-18: 10 servers listed packages only in one version and remotes in another"
rcli flushall >/dev/null
cp "$TMP/first.json.gz" "$TMP/snap.json.gz"
sync "$REG"
is "$?" 0 "each server's first version: exit 0"
cp "$OLD" "$TMP/snap.json.gz"
sync "$REG"
is "$?" 0 "then 2025-12-11, incremental: exit 0"
cp "$NEW" "$TMP/snap.json.gz"
sync --full "$REG"
is "$?:$(grep -c ' moved to ' "$TMP/err")" 0:0 "then 2025-12-18, a full pass: exit 0, no slug to move"
slugmap >"$TMP/slugs.history"
is "$(diff "$TMP/slugs.history" "$TMP/slugs.fresh" && echo same)" same \
    "every name and remote has the slug a fresh store gives it, whatever the store saw first"
is "$(awk -F'\t' '$1 ~ /-[0-9a-f]{8}$/' "$TMP/slugs.fresh" | wc -l) $(wc -l <"$TMP/slugs.fresh")" "0 1207" \
    "the real registry's 1,207 fields: no slug a hashed one"

# --- a static sub-registry: a 301 to its trailing slash, over https ------------------------
certs
start_registry sub --static "$SUB" --tls-cert "$TMP/certs/good.pem" --tls-key "$TMP/certs/good.key"
SUBREG=https://localhost:$(cat "$TMP/sub.port")
rcli flushall >/dev/null
sync --cacert "$TMP/certs/ca.pem" "$SUBREG"
is "$?" 0 "a static sub-registry: exit 0"
is "$(tail -1 "$TMP/err")" \
    "mcp-aggregate: registry: 2 servers, 2 remotes: 2 targets, 0 needs configuration, 0 refused, 0 dropped, 0 duplicates; 0 local-only; 0 entries skipped" \
    "a static sub-registry: the summary"
is "$(cut -d'?' -f1 "$TMP/sub.log" | tr '\n' ' ')" "/v0.1/servers /v0.1/servers/ " \
    "a static sub-registry: its 301 to /v0.1/servers/ followed, within its origin"
# Its names have no namespace (github-mcp-server): each is given the
# registry's own, its host's labels reversed (localhost here), so that no
# registry slug is a bare word.
is "$(rcli hvals mcp:registry:servers | jq -r '[.name, .url] | @tsv' | sort)" \
    "$(jq -r '.servers[].server | ["localhost/" + .name, .remotes[0].url] | @tsv' "$SUB" | sort)" \
    "a static sub-registry: its servers stored, each bare name in the registry's namespace"
is "$(rcli hkeys mcp:registry:servers | sort | tr '\n' ' ')" "localhost.github-mcp-server localhost.msdocs-mcp-server " \
    "a static sub-registry: no slug a bare word"

done_testing
