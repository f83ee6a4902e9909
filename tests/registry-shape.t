#!/usr/bin/env bash
# registry-shape.t - registry-gen.mjs --shaped against the real registry's shape, synced as it is served
# A registry of 3,000 servers made by registry-gen.mjs --shaped is measured
# by registry-shape.mjs and checked against the proportions measured from
# the official registry's listing (the numbers of SHAPE in the generator,
# issue 48), and against the snapshots themselves when ../shared/realreg
# (or MCP_REALREG) is here; then served with the registry's own paging
# and synced, full and a day later.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"

REAL=${MCP_REALREG:-$TOP/../shared/realreg}/mcp-insights-servers-5d6e951.json.gz
gen_n() { node "$TOP/tests/fixtures/registry-gen.mjs" --shaped "$@"; }
gen() { gen_n 3000 "$@"; }
gen >"$TMP/day1.json"
gen --day 2 >"$TMP/day2.json"
node "$TOP/tests/fixtures/registry-shape.mjs" "$TMP/day1.json" >"$TMP/shape.json"

# near KEY WANT TOLERANCE [FILE]: a measure within its tolerance.
near() {
	local got
	got=$(jq -r "$1" "${4:-$TMP/shape.json}")
	is "$(awk -v g="$got" -v w="$2" -v t="$3" 'BEGIN { d = g - w; print (d < 0 ? -d : d) <= t }')" 1 \
	    "shape: $1 is $got, want $2 within $3"
}

is "$(cmp <(gen_n 300) <(gen_n 300) && echo same)" same "the same size and seed: the same bytes"
is "$(jq -r '.[].server.name' "$TMP/day1.json" | sort -u | cmp - <(jq -r '.[].server.name' "$TMP/day2.json" | sort -u) && echo same)" \
    same "a day later: the same servers"
is "$(jq '.servers' "$TMP/shape.json")" 3000 "3,000 servers"

# The numbers measured from the registry of 2025-12-18 (registry-shape.mjs), and the two of issue 48.
near .remote_only 0.45 0.03
near .largest_publisher_share 0.065 0.005
near .packages_only 0.49 0.03
near .neither 0.036 0.015
near .remotes_and_packages 0.024 0.01
near '.remote_type.sse' 0.208 0.03
near '.remotes_per_server["1"]' 0.39 0.03
near '.remotes_per_server["2"]' 0.075 0.02
near .remotes_max 30 0
near '.headers_per_remote["0"]' 0.485 0.04
near '.headers_per_remote["1"]' 0.50 0.04
near .headers_max 9 0
near '.header_kind["value-template"]' 0.668 0.05
near '.header_kind["required-no-value"]' 0.143 0.04
near .header_secret 0.606 0.05
near .name_length.p50 33 3
near .name_length.p100 75 3
near .url_length.p50 41 3
near .url_length.p100 80 0
near '.versions_per_server["0-1"]' 0.62 0.03
near .latest_share_of_entries 0.40 0.03
near '.servers_per_namespace["0-1"]' 0.913 0.02
near '.updated_within_days["30"]' 0.33 0.04
near '.updated_within_days["90"]' 0.84 0.04

# The same measures of the real snapshot, where it is here: the numbers above are its own.
if [ -r "$REAL" ]; then
	node "$TOP/tests/fixtures/registry-shape.mjs" "$REAL" >"$TMP/real.json"
	for k in .neither '.remote_type.sse' .remotes_max '.headers_per_remote["0"]' .headers_max \
	    '.header_kind["value-template"]' .name_length.p50 .url_length.p50 '.versions_per_server["0-1"]' \
	    '.servers_per_namespace["0-1"]' '.updated_within_days["30"]'; do
		near "$k" "$(jq -r "$k" "$TMP/real.json")" "$(jq -r "$k" "$TMP/real.json" | awk '{ print ($1 >= 2 ? 3 : 0.04) }')"
	done
else
	ok 0 "# SKIP no $REAL: the generated shape checked against the numbers alone"
fi

# Served with the registry's paging and synced: every latest version, a day later the new ones.
start_redis
cp "$TMP/day1.json" "$TMP/reg.json"
node "$TOP/tests/fixtures/registry.mjs" --snapshot "$TMP/reg.json" --port-file "$TMP/port" --log "$TMP/log" 2>"$TMP/reg.err" &
bg_pid $!
wait_file "$TMP/port" || { diag "registry did not start: $(cat "$TMP/reg.err")"; exit 1; }
REG=http://127.0.0.1:$(cat "$TMP/port")
mcp-aggregate registry sync "$REG" 2>"$TMP/err"
is "$?" 0 "sync of the shaped registry: exit 0"
active=$(jq '[.[] | ._meta[] | select(.isLatest and .status != "deleted")] | length' "$TMP/day1.json")
is "$(redis-cli -s "$REDIS_SOCK" hget mcp:registry:sync entries)" "$active" "every latest version not deleted read"
is "$(grep -c 'limit=100&version=latest' "$TMP/log")" $((active / 100 + 1)) "100 a page, the cursor name:version"
like "$(tail -1 "$TMP/err")" "registry: [0-9,]+ servers, [0-9,]+ remotes: [0-9,]+ targets, [0-9,]+ needs configuration, 0 refused, 0 dropped, [0-9]+ duplicates; [0-9,]+ local-only; 0 entries skipped" \
    "the summary: nothing refused, dropped or skipped"
cp "$TMP/day2.json" "$TMP/reg.json"
: >"$TMP/log"
mcp-aggregate registry sync "$REG" 2>"$TMP/err"
is "$?" 0 "a day later, incremental: exit 0"
is "$(redis-cli -s "$REDIS_SOCK" hget mcp:registry:sync entries)" \
    "$(jq '[.[] | ._meta[] | select(.isLatest and .updatedAt > "2026-11-01T00:00:00Z")] | length' "$TMP/day2.json")" \
    "a day later: the servers updated since read"
like "$(cat "$TMP/log")" "updated_since=" "a day later: updated_since asked"
done_testing
