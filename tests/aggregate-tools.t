#!/usr/bin/env bash
# aggregate-tools.t - the lists a server serves kept as content, and read
# as changes (issue 46): push keeps each distinct tool list once by its
# hash, when its probe's result carries that hash; the verdict's drift
# entries and tools_divergence say what changed (the seeds' rename:
# get_data became fetch_data at the origin, the edge of region c still
# serving get_data), the change history keeps it, and mcp-aggregate tools
# prints it.  Hostile lists: one changing every minute for 40 minutes stays
# within 16 lists and 1 MiB, one whose hash is not its result's is not
# kept, one of 300 KiB is refused, names holding newlines, HTML and ANSI
# pass through JSON intact.  The ingest carries the lists too.  With a
# probe that prints its lists (mcp-probe --list-max), the real one against
# two real SDK servers (tests/fixtures/regional.mjs, origin v2, edge v1).
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/aggregate-lib.sh
source "$TOP/tests/aggregate-lib.sh"

start_redis
export MCP_SPOOL=$TMP/spool
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }

# rec SLUG REGION T LIST [HASH]: a tools_list step carrying the list (a
# file of a JSON array) as the probe prints it, and its result, whose
# tool_hash is the list's (JCS of the array sorted by name), or HASH.
rec() {
	local h id=$1-$2-$3
	jq -cS 'sort_by(.name)' "$4" | tr -d '\n' >"$TMP/canon"
	h=${5:-sha256:$(sha256sum <"$TMP/canon" | cut -c1-64)}
	jq -cn --arg id "$id" --arg s "$1" --arg r "$2" --argjson t "$3" --arg h "$h" --slurpfile l "$TMP/canon" \
	    '$l[0] as $l | {v:1,type:"step",probe_id:$id,slug:$s,region:$r,probe_started_at:$t,seq:3,step:"tools_list",status:"pass",ms:5,detail:{tool_count:($l|length),tool_hash:$h,tools:$l},error:null}'
	jq -cn --arg id "$id" --arg s "$1" --arg r "$2" --argjson t "$3" --arg h "$h" \
	    '{v:1,type:"result",probe_id:$id,slug:$s,region:$r,url:"https://mcp.example.com/mcp",probe_started_at:$t,probe_finished_at:($t+0.5),state:"healthy",failed_step:null,posture:"open",transport:"streamable-http",era:"legacy",protocol_version:"2025-11-25",http_status:200,tool_count:1,tool_hash:$h,ms:100}'
}
# hash_of LIST: the tool hash of a list file.
hash_of() { printf 'sha256:%s' "$(jq -cS 'sort_by(.name)' "$1" | tr -d '\n' | sha256sum | cut -c1-64)"; }
# verdict_of SLUG K: the verdict record of SLUG in window K.
verdict_of() { MCP_NOW=$(($(w "$2") + 95)) mcp-aggregate verdict "$1"; }

# The seeds' two lists: v1 (get_data) and v2 (fetch_data, the same schema).
cat >"$TMP/v1.json" <<'EOF'
[{"name":"get_data","description":"The forecast for a city","inputSchema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},
 {"name":"alerts","description":"Weather alerts for a region","inputSchema":{"type":"object","properties":{"region":{"type":"string"}},"required":["region"]}}]
EOF
jq 'map(if .name == "get_data" then .name = "fetch_data" else . end)' "$TMP/v1.json" >"$TMP/v2.json"
H1=$(hash_of "$TMP/v1.json") H2=$(hash_of "$TMP/v2.json")

# ------------------------------------------------------------ the rename
# Window 0: a, b, c serve v1.  Windows 1-2: the origin (a, b) serves v2,
# c's edge still v1.  Window 3: c catches up.
{ rec weather a "$(w 0)" "$TMP/v1.json"; rec weather b "$(w 0)" "$TMP/v1.json"; rec weather c "$(w 0)" "$TMP/v1.json"; } |
    push -v 2>"$TMP/push0.err"
is "$?" 0 "push: three results with their lists: exit 0"
like "$(cat "$TMP/push0.err")" '3 results stored.*; 1 lists stored' "push -v: the list stored once, for three results"
is "$(rcli get "mcp:{weather}:ls:${H1#sha256:}")" "$(jq -cS 'sort_by(.name)' "$TMP/v1.json" | tr -d '\n')" \
    "mcp:{weather}:ls:HEX holds the list's canonical text"
is "$(rcli zrange 'mcp:{weather}:lsi' 0 -1)" "t:${H1#sha256:}" "mcp:{weather}:lsi: its member t:HEX"
ttl=$(rcli ttl "mcp:{weather}:ls:${H1#sha256:}")
ok "$([ "$ttl" -gt $((30 * 86400)) ] && [ "$ttl" -le $((31 * 86400)) ] && echo 0 || echo 1)" "the list expires 31 days after it was last seen (TTL $ttl)"
for k in 1 2; do
	{ rec weather a "$(w $k)" "$TMP/v2.json"; rec weather b "$(w $k)" "$TMP/v2.json"; rec weather c "$(w $k)" "$TMP/v1.json"; } |
	    push 2>>"$TMP/push.err"
done
is "$(rcli zcard 'mcp:{weather}:lsi'):$(cat "$TMP/push.err")" "2:" "two lists kept, the second sent once; push quiet"

v=$(verdict_of weather 1)
is "$(jq -c '[.verdict, .divergence, .divergent_regions]' <<<"$v")" '["amber","cdn-cache-divergence",["c"]]' \
    "window 1: amber cdn-cache-divergence, c named"
is "$(jq -c '[.drift[] | [.region, .kind, .change.items[0].kind, .change.items[0].tool, .change.items[0].to, .change.items[0].inferred, .change.class, .change.breaking]]' <<<"$v")" \
    '[["a","tools","tool_renamed","get_data","fetch_data",true,"breaking",true],["b","tools","tool_renamed","get_data","fetch_data",true,"breaking",true]]' \
    "each drift entry carries the change: get_data renamed fetch_data, inferred, breaking"
is "$(jq -c '.tools_divergence' <<<"$v" | jq -c '[.[] | [.regions, .hash, .majority, .change.items[0].kind, .change.text]]')" \
    "[[[\"c\"],\"$H1\",\"$H2\",\"tool_renamed\",\"get_data renamed fetch_data (inferred: same input schema)\"]]" \
    "tools_divergence: c serves the old list; the change from it to the majority's is the rename"
ok "$([ "$(jq -c '.drift[0].change' <<<"$v" | wc -c)" -le 2048 ] && echo 0 || echo 1)" "a change's summary is at most 2 KiB"

txt=$(mcp-aggregate tools weather --diff)
is "$?" 0 "tools --diff: exit 0"
like "$txt" 'get_data renamed fetch_data' "tools --diff: the stale region's list against the majority's, get_data renamed fetch_data"
jq -e '.diff' <<<"$(mcp-aggregate tools --json --diff weather c a)" >/dev/null
is "$?" 0 "tools --diff c a --json parses, with the whole diff"
txt=$(mcp-aggregate tools weather)
like "$txt" 'c +tools +sha256:[0-9a-f]+ +2: alerts get_data' "tools: c's list by name"
like "$txt" 'a +tools +sha256:[0-9a-f]+ +2: alerts fetch_data' "tools: a's list by name"
is "$(mcp-aggregate tools --json weather | jq -c '[.agree, ([.regions[] | select(.region == "c") | .names] | .[0])]')" \
    '[false,["alerts","get_data"]]' "tools --json: the regions disagree, c serves alerts and get_data"

{ rec weather a "$(w 3)" "$TMP/v2.json"; rec weather b "$(w 3)" "$TMP/v2.json"; rec weather c "$(w 3)" "$TMP/v2.json"; } | push
v=$(verdict_of weather 2)
is "$(jq -c '.drift' <<<"$v")" '[]' "window 2: no drift"
v=$(verdict_of weather 3)
is "$(jq -c '[.verdict, [.drift[] | .region], .tools_divergence]' <<<"$v")" '["green",["c"],null]' \
    "window 3: c catches up: green, its own drift entry, no tools_divergence"
h=$(rcli zrange 'mcp:{weather}:tch' 0 -1)
is "$(jq -c '[.at, .last, .kind, .from, .to, .regions, .change.items[0].kind]' <<<"$h")" \
    "[$(w 1),$(w 3),\"tools\",\"$H1\",\"$H2\",[\"c\",\"a\",\"b\"],\"tool_renamed\"]" \
    "mcp:{weather}:tch: one entry for the change, its regions merged, first and last window"
like "$(mcp-aggregate tools --history weather)" "^2026-11-24T16:01:00Z to 2026-11-24T16:03:00Z tools .* c a b: get_data renamed fetch_data" \
    "tools --history: the change in words"
is "$(mcp-aggregate tools --history --json weather | jq -c 'length')" 1 "tools --history --json parses"
mcp-aggregate tools weather --diff "${H1#sha256:}" nosuch >/dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "1:mcp-aggregate: weather: nosuch: no region, hash or kept list of that name" \
    "tools --diff: an unknown list is exit 1, said"
mcp-aggregate tools >/dev/null 2>&1
is "$?" 2 "tools without a slug: usage, exit 2"

# ------------------------------------------------------------ a type become Optional
# pydantic's Optional of a model (issue 60): a property's type become an
# anyOf of a $ref to a wider schema and null.  The change is that widening
# alone, compatible, not besides it a keyword the diff does not read (review).
cat >"$TMP/o1.json" <<'EOF'
[{"name":"lookup","description":"Look a city up","inputSchema":{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}}]
EOF
cat >"$TMP/o2.json" <<'EOF'
[{"name":"lookup","description":"Look a city up","inputSchema":{"type":"object","$defs":{"Q":{"type":["string","integer"]}},"properties":{"q":{"anyOf":[{"$ref":"#/$defs/Q"},{"type":"null"}],"default":null}},"required":["q"]}}]
EOF
rec optional a "$(w 0)" "$TMP/o1.json" | push
rec optional a "$(w 1)" "$TMP/o2.json" | push
v=$(verdict_of optional 1)
is "$(jq -c '[.drift[] | [.region, .change.class, .change.breaking, [.change.items[] | [.kind, .path, .class]]]]' <<<"$v")" \
    '[["a","compatible",false,[["schema_changed","q","compatible"],["property_type_changed","q","compatible"]]]]' \
    "a type become anyOf [\$ref to a wider type, null], a default added: compatible both, no review"
like "$(mcp-aggregate tools optional --diff "$(hash_of "$TMP/o1.json" | cut -c8-)" "$(hash_of "$TMP/o2.json" | cut -c8-)")" \
    'property "q" type changed: string to string\|integer\|null' "tools --diff: the types the \$ref and the null make"

# ------------------------------------------------------------ a $ref to a nullable sibling
# zod for a schema used twice, here nullable (z.string().min(1).nullable()
# as from and to): the first property an anyOf of it and null, the second
# a $ref to the first.  Both widened, compatible, and nothing besides for
# the $ref (the build before said a review too, and "string to any").
cat >"$TMP/s1.json" <<'EOF'
[{"name":"route","description":"A route between two cities","inputSchema":{"type":"object","properties":{"from":{"type":"string","minLength":1},"to":{"type":"string","minLength":1}},"required":["from","to"],"additionalProperties":false}}]
EOF
cat >"$TMP/s2.json" <<'EOF'
[{"name":"route","description":"A route between two cities","inputSchema":{"type":"object","properties":{"from":{"anyOf":[{"type":"string","minLength":1},{"type":"null"}]},"to":{"$ref":"#/properties/from"}},"required":["from","to"],"additionalProperties":false,"$schema":"http://json-schema.org/draft-07/schema#"}}]
EOF
rec sibling a "$(w 0)" "$TMP/s1.json" | push
rec sibling a "$(w 1)" "$TMP/s2.json" | push
v=$(verdict_of sibling 1)
is "$(jq -c '[.drift[] | [.region, .change.class, .change.breaking, [.change.items[] | [.kind, .path, .class]]]]' <<<"$v")" \
    '[["a","compatible",false,[["property_type_changed","from","compatible"],["property_type_changed","to","compatible"]]]]' \
    "a type become a \$ref to a nullable sibling (zod): the widening alone, compatible"
like "$(mcp-aggregate tools sibling --diff "$(hash_of "$TMP/s1.json" | cut -c8-)" "$(hash_of "$TMP/s2.json" | cut -c8-)")" \
    'property "to" type changed: string to string\|null$' "tools --diff: the types the sibling's union makes"

# ------------------------------------------------------------ resources
# A server's resources, kept and told like its tools: a resource added.
# rres REGION T LIST: a step with the tools of v2 and the resources LIST, and its result.
rres() {
	local rh
	jq -cS 'sort_by(.uri)' "$3" | tr -d '\n' >"$TMP/rcanon"
	rh=sha256:$(sha256sum <"$TMP/rcanon" | cut -c1-64)
	rec docs "$1" "$2" "$TMP/v2.json" |
	    jq -c --arg rh "$rh" --slurpfile l "$TMP/rcanon" \
	        'if .type == "step" then .detail.resources = $l[0] | .detail.resource_hash = $rh else .resource_hash = $rh end'
}
echo '[{"uri":"file:///readme","name":"readme"}]' >"$TMP/r1.json"
echo '[{"uri":"file:///readme","name":"readme"},{"uri":"file:///changes","name":"changes"}]' >"$TMP/r2.json"
{ rres a "$(w 0)" "$TMP/r1.json"; rres b "$(w 0)" "$TMP/r1.json"; } | push
{ rres a "$(w 1)" "$TMP/r2.json"; rres b "$(w 1)" "$TMP/r1.json"; } | push
is "$(rcli zrange 'mcp:{docs}:lsi' 0 -1 | cut -c1-2 | sort | tr '\n' ' ')" "r: r: t: " \
    "resources kept beside the tools, members r:HEX"
v=$(verdict_of docs 1)
is "$(jq -c '[.drift[] | [.region, .kind, .change.items[0].kind, .change.class]]' <<<"$v")" \
    '[["a","resources","resource_added","compatible"]]' "a resource added: a drift entry of kind resources, compatible"
like "$(mcp-aggregate tools docs)" 'a +resources +sha256:[0-9a-f]+ +2: file:///changes file:///readme' \
    "tools: a region's resources by URI"

# ------------------------------------------------------------ not kept
# A list whose text does not hash to the result's tool hash is not kept.
{ rec lie a "$(w 0)" "$TMP/v1.json" "$H2"; } | push 2>"$TMP/lie.err"
is "$(rcli exists "mcp:{lie}:ls:${H1#sha256:}" "mcp:{lie}:ls:${H2#sha256:}"):$(rcli zcard 'mcp:{lie}:lsi')" "0:0" \
    "a list that does not hash to its result's tool_hash is not stored"
like "$(cat "$TMP/lie.err")" "the tools of its tools_list step hash to $H1, not to the result's $H2: not kept" \
    "push says so"
# Then results alone (a probe run with --list-max 0): a drift between two
# lists never kept.
rec lie a "$(w 1)" "$TMP/v1.json" | tail -1 | push
v=$(verdict_of lie 1)
is "$(jq -c '[.drift[] | [.change, .change_unknown]][0]' <<<"$v")" '[null,"not_kept"]' \
    "a drift from a list never kept: change null, change_unknown not_kept"
mcp-aggregate tools lie --diff "$H2" "$H1" >/dev/null 2>"$TMP/err"
is "$?" 1 "tools --diff of a list not kept: exit 1"
like "$(cat "$TMP/err")" 'not kept \(the probe did not print it' "and why"

# A list of 300 KiB is refused, with its reason.
jq -n '[{name: "big", description: ("x" * 307200), inputSchema: {type: "object"}}]' >"$TMP/big.json"
rec big a "$(w 0)" "$TMP/big.json" | push 2>"$TMP/big.err"
is "$?" 1 "a list of 300 KiB: push exits 1"
like "$(cat "$TMP/big.err")" 'detail.tools: a list of 307[0-9]+ bytes \(canonical JSON\): push keeps lists of at most 262144 bytes' \
    "refused, with the reason"
is "$(rcli zcard 'mcp:{big}:lsi'):$(mcp-aggregate results big "$(w 0)" | wc -l)" "0:1" "not kept; its result is stored all the same"

# ------------------------------------------------------------ churn
# A list changing every minute for 40 minutes, 100 KiB each: at most 16
# lists and 1 MiB a slug, the oldest evicted with its key.
for k in $(seq 0 39); do
	jq -n --arg n "t$k" '[{name: $n, description: ("y" * 100000), inputSchema: {type: "object"}}]' >"$TMP/c.json"
	rec churn a "$(w "$k")" "$TMP/c.json"
done | push 2>"$TMP/churn.err"
is "$?" 0 "40 lists in 40 minutes: push exit 0"
n=$(rcli zcard 'mcp:{churn}:lsi')
bytes=0 mem=0
for m in $(rcli zrange 'mcp:{churn}:lsi' 0 -1); do
	bytes=$((bytes + $(rcli strlen "mcp:{churn}:ls:${m#t:}")))
	mem=$((mem + $(rcli memory usage "mcp:{churn}:ls:${m#t:}")))
done
keys=$(rcli --scan --pattern 'mcp:{churn}:ls:*' | wc -l)
ok "$([ "$n" -le 16 ] && [ "$bytes" -le 1048576 ] && [ "$keys" = "$n" ] && echo 0 || echo 1)" \
    "churn: $n lists, $bytes bytes of text, $mem bytes of Redis memory: within 16 lists and 1 MiB, no key left behind"
like "$(rcli zrange 'mcp:{churn}:lsi' -1 -1)" "^t:$(hash_of "$TMP/c.json" | cut -c8-)$" "the newest list is kept"
for k in $(seq 0 39); do
	jq -n --arg n "s$k" '[{name: $n, inputSchema: {type: "object"}}]' >"$TMP/s.json"
	rec small a "$(w "$k")" "$TMP/s.json"
done | push
is "$(rcli zcard 'mcp:{small}:lsi'):$(rcli --scan --pattern 'mcp:{small}:ls:*' | wc -l)" "16:16" \
    "40 small lists: the 16 last seen kept, the others' keys deleted"

# ------------------------------------------------------------ hostile text
printf '%s\n' '[{"name":"get_data\n<script>alert(1)</script>\u001b[31mred","description":"<b>x</b>","inputSchema":{"type":"object"}}]' >"$TMP/h1.json"
printf '%s\n' '[{"name":"fetch\u0007data","description":"<b>x</b>","inputSchema":{"type":"object"}}]' >"$TMP/h2.json"
{ rec hostile a "$(w 0)" "$TMP/h1.json"; rec hostile b "$(w 0)" "$TMP/h1.json"; } | push
{ rec hostile a "$(w 1)" "$TMP/h2.json"; rec hostile b "$(w 1)" "$TMP/h1.json"; } | push
v=$(verdict_of hostile 1)
is "$(jq -r '.drift[0].change.items[0].tool' <<<"$v")" "$(jq -r '.[0].name' "$TMP/h1.json")" \
    "a name with a newline, HTML and ANSI passes through the verdict's JSON intact"
is "$(mcp-aggregate tools --json hostile | jq -r '.regions[] | select(.region == "b") | .names[0]')" \
    "$(jq -r '.[0].name' "$TMP/h1.json")" "and through tools --json"
txt=$(mcp-aggregate tools hostile)
like "$txt" 'get_data\\x0a<script>alert\(1\)</script>\\x1b\[31mred' "tools' text shows its control bytes as \\xNN"
is "$(printf '%s' "$txt" | tr -d '\n' | grep -c $'\x1b')" 0 "and no raw escape reaches the terminal"

# ------------------------------------------------------------ the ingest
export PATH="$PATH:/usr/sbin"
if command -v nginx >/dev/null && command -v spawn-fcgi >/dev/null; then
	# shellcheck source=tests/ingest-lib.sh
	source "$TOP/tests/ingest-lib.sh"
	NOW=$(date +%s)
	WI=$((NOW / 60 * 60 - 120))
	printf 'viaingest https://mcp.example.com/mcp\n' >"$INGEST_OVERRIDES"
	if start_ingest fcgi; then
		token eu-west-2
		rec viaingest eu-west-2 "$WI" "$TMP/v2.json" |
		    mcp-aggregate push -v --to "$INGEST/ingest/eu-west-2" --token-file "$TMP/tok.eu-west-2" \
		        --cacert "$INGEST_CA" 2>"$TMP/relay.err"
		is "$?" 0 "push --to: a result and its tools_list step with its list: exit 0"
		is "$(rcli get "mcp:{viaingest}:ls:${H2#sha256:}" | jq -c 'map(.name)')" '["alerts","fetch_data"]' \
		    "the list reaches the store through the ingest"
	else
		ok 1 "the ingest did not start"
	fi
else
	diag "no nginx or spawn-fcgi: the ingest's case is skipped"
fi

# ------------------------------------------------------------ the real probe
# Two real SDK servers: the origin (v2) probed from a and b, the stale edge
# (v1) from c; needs a probe that prints its lists (detail.tools).
serve() {
	node "$TOP/tests/fixtures/regional.mjs" --port-file "$TMP/$1.port" --tools "$2" 2>>"$TMP/$1.log" &
	bg_pid $!
	wait_file "$TMP/$1.port" 600
}
if [ -d "$TOP/tests/node_modules/@modelcontextprotocol/sdk" ] && serve origin v2 && serve edge v1; then
	url() { echo "http://127.0.0.1:$(cat "$TMP/$1.port")/mcp"; }
	probe() { MCP_NOW=$(($(w "$2") + 1)) mcp-probe -r "$1" -s real "$(url "$3")" 2>/dev/null; }
	probe a 10 origin >"$TMP/real.probe"
	if jq -se 'map(select(.step == "tools_list") | .detail.tools) | .[0]' "$TMP/real.probe" >/dev/null; then
		# Window 10, before the deploy: every region sees v1 (the edge).
		# Windows 11 and 12: a and b the origin's v2, c still the edge's v1.
		{ probe a 10 edge; probe b 10 edge; probe c 10 edge; } | push
		for k in 11 12; do
			{ probe a $k origin; probe b $k origin; probe c $k edge; } | push
		done
		v=$(verdict_of real 11)
		is "$(jq -c '[[.drift[] | .region, .change.items[0].kind, .change.breaking], .divergent_regions, .tools_divergence[0].regions, .tools_divergence[0].change.items[0].kind]' <<<"$v")" \
		    '[["a","tool_renamed",true,"b","tool_renamed",true],["c"],["c"],"tool_renamed"]' \
		    "the real probe: the origin's regions drift by a rename, breaking; c's edge named, the rename told"
		like "$(mcp-aggregate tools real --diff)" 'get_data renamed fetch_data' "tools --diff over the real probe's lists"
	else
		diag "this mcp-probe prints no lists (detail.tools): the real probe's case waits for it"
		diag "$(head -c 600 "$TMP/real.probe")"
	fi
else
	diag "no node modules or the SDK servers did not start: the real probe's case is skipped"
fi

done_testing
