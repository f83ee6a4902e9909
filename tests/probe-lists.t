#!/usr/bin/env bash
# probe-lists.t - the lists a probe carries: the tools_list step's tools as
# they were hashed (each hashed again here, with the canonicalize package,
# equals the record's hash), bounded by --list-max; resources and prompts
# read when a server declares them (server-everything, FastMCP, a server of
# resources only); the Server Card posture of --card (tests/fixtures/card.mjs).
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

start_everything streamableHttp || skip_all "server-everything did not start"
start_fastmcp stateful || skip_all "FastMCP did not start"

# pr NAME URL [PROBE ARGS...]: probe, keep the records in $TMP/NAME.out.
pr() {
	local name=$1 url=$2
	shift 2
	mcp-probe -r t -s "$name" "$@" "$url" >"$TMP/$name.out" 2>"$TMP/$name.err"
	echo "$?" >"$TMP/$name.rc"
}
# list NAME: the tools_list step's detail.
list() { jq -c 'select(.step == "tools_list") | .detail' "$TMP/$1.out"; }
# result NAME JQ: a value of the result record.
result() { jq -r "select(.type == \"result\") | $2" "$TMP/$1.out"; }
# rehash KEY: the sha256 tag of the JSON array on stdin, sorted by KEY (as
# JavaScript compares strings: UTF-16 code units) and canonicalized (RFC 8785).
rehash() {
	(cd "$TOP/tests" && node --input-type=module -e '
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import canonicalize from "canonicalize";
const key = process.argv[1];
const v = JSON.parse(readFileSync(0, "utf8"));
v.sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0));
console.log("sha256:" + createHash("sha256").update(canonicalize(v), "utf8").digest("hex"));
' "$1")
}

# --- the tools, as hashed -------------------------------------------------------
for s in everything fastmcp; do
	case $s in
	everything) url=$EVERYTHING/mcp ;;
	fastmcp) url=$FASTMCP/mcp ;;
	esac
	pr "$s" "$url"
	is "$(cat "$TMP/$s.rc") $(result "$s" .state)" "0 healthy" "$s: healthy"
	h=$(result "$s" .tool_hash)
	is "$(list "$s" | jq -r '.tool_hash')" "$h" "$s: the step's tool_hash is the result's"
	is "$(list "$s" | jq -c '.tools' | rehash name)" "$h" \
	    "$s: detail.tools hashed again (canonicalize, sha256) is the tool_hash"
	is "$(list "$s" | jq '.tools | length')" "$(result "$s" .tool_count)" "$s: every tool is there"
	is "$(list "$s" | jq -c '[.tools[].name] == ([.tools[].name] | sort)')" true \
	    "$s: the tools sorted by name"
done

pr small "$EVERYTHING/mcp" --list-max 100
is "$(list small | jq -c '[.tools_omitted, (.tools_bytes > 100), has("tools")]')" \
    '["too_large",true,false]' "--list-max 100: the tools omitted as too large, their size said"
is "$(list small | jq -r .tool_hash)" "$(result everything .tool_hash)" "--list-max 100: the hash all the same"
pr none "$EVERYTHING/mcp" --list-max 0
is "$(list none | jq -c '[has("tools"), has("tools_omitted")]')" '[false,false]' "--list-max 0: no list at all"
# --- resources and prompts, as the capabilities declare them --------------------
for k in resource:uri prompt:name; do
	n=${k%%:*} key=${k#*:}
	h=$(result everything ".${n}_hash")
	like "$h" '^sha256:[0-9a-f]{64}$' "everything declares ${n}s: the result's ${n}_hash"
	is "$(list everything | jq -r ".${n}_hash")" "$h" "everything: the step's ${n}_hash is the result's"
	is "$(list everything | jq -c ".${n}s" | rehash "$key")" "$h" \
	    "everything: detail.${n}s hashed again, sorted by $key, is the ${n}_hash"
	is "$(list everything | jq ".${n}s | length")" "$(list everything | jq ".${n}_count")" \
	    "everything: ${n}_count ${n}s"
done
like "$(list everything | jq -r .resource_count)" '^[1-9][0-9]*$' "everything: its resources counted"
is "$(list small | jq -c '[.resources_omitted, .prompts_omitted, (.resource_hash == "'"$(result everything .resource_hash)"'")]')" \
    '["too_large","too_large",true]' "--list-max 100: resources and prompts omitted too, hashed all the same"
is "$(result fastmcp '[.resource_hash, .prompt_hash] | map(. // "-") | join(" ")')" "- -" \
    "FastMCP declares neither: no resource_hash nor prompt_hash"
is "$(list fastmcp | jq -c '[has("resources"), has("prompts"), has("resources_error")]')" '[false,false,false]' \
    "FastMCP: nothing asked for, nothing said"

# The same lists over HTTP+SSE: the same hashes.
start_everything sse || skip_all "server-everything (sse) did not start"
pr ev-sse "$EVERYTHING/sse"
is "$(result ev-sse '[.transport, .tool_hash, .resource_hash, .prompt_hash] | join(" ")')" \
    "sse $(result everything '[.tool_hash, .resource_hash, .prompt_hash] | join(" ")')" \
    "everything over HTTP+SSE: the same tool, resource and prompt hashes"

# The modern era (mcp-proxy in front of server-everything): the same lists.
start_mcp_proxy || skip_all "mcp-proxy did not start"
pr mp "$MCP_PROXY/mcp"
is "$(result mp '[.era, .resource_hash, .prompt_hash] | join(" ")')" \
    "modern $(result everything '[.resource_hash, .prompt_hash] | join(" ")')" \
    "server-everything behind mcp-proxy, modern era: the same resource and prompt hashes"

# A server of resources and a prompt, no tools: skipped as before, its lists read.
start_supergateway stateless resources || skip_all "supergateway (resources-only child) did not start"
pr res "$SUPERGATEWAY_STATELESS_RESOURCES/mcp" -t 20
is "$(cat "$TMP/res.rc") $(result res '[.state, (.tool_hash // "-"), (.failed_step // "-")] | join(" ")')" "0 healthy - -" \
    "resources-only: healthy, no tool hash, as before"
is "$(list res | jq -c '[.reason, .resource_count, .prompt_count, .resources[0].uri, .prompts[0].name]')" \
    '["no_tools",1,1,"file:///readme.txt","greet"]' "resources-only: tools_list skipped (no_tools), its resource and prompt carried"
is "$(list res | jq -c .resources | rehash uri)" "$(result res .resource_hash)" "resources-only: the resource_hash is of detail.resources"
is "$(list res | jq -c .prompts | rehash name)" "$(result res .prompt_hash)" "resources-only: the prompt_hash is of detail.prompts"

# --- the Server Card (--card, card=) ----------------------------------------------
node "$TOP/tests/fixtures/card.mjs" --port-file "$TMP/card.port" --log "$TMP/card.log" \
    --resources broken --description 'Echoes its message (desc-Secret-8812)' 2>"$TMP/card.err" &
bg_pid $!
wait_file "$TMP/card.port" || skip_all "card fixture did not start: $(cat "$TMP/card.err")"
CARD=http://127.0.0.1:$(cat "$TMP/card.port")
wait_http "$CARD/health"
printf 'card-Token-5521-secret\n' >"$TMP/token"
chmod 600 "$TMP/token"

# A server whose resources/list fails: said, the step and the target unharmed.
pr broken "$CARD/mcp"
is "$(cat "$TMP/broken.rc") $(result broken .state) $(list broken | jq -c '[.resources_error.code, .tool_count]')" \
    '0 healthy ["jsonrpc_error",1]' "resources/list refused: resources_error, the step passes"
is "$(result broken '[.resource_hash, .card] | map(. // "-") | join(" ")')" "- -" \
    "resources refused: no resource_hash; without --card no card member"
is "$(grep -c server-card "$TMP/card.log")" 0 "without --card no card is asked for"
# A resources/list never answered takes half the time left, not the call's.
curl -sf "$CARD/_control?mode=new&at=url&resources=hang" >/dev/null
pr hang "$CARD/mcp" -t 4
is "$(cat "$TMP/hang.rc") $(result hang .state) $(list hang | jq -r .resources_error.code)" "0 healthy timeout" \
    "resources/list never answered: a timeout said, the call made all the same, healthy"
curl -sf "$CARD/_control?mode=new&at=url&resources=broken" >/dev/null

# A list that holds a secret of the probe's is not carried, nor scrubbed.
pr echoed "$CARD/mcp" -H 'X-API-Key: desc-Secret-8812'
is "$(list echoed | jq -c '[.tools_omitted, has("tools"), (.tool_hash == "'"$(result broken .tool_hash)"'")]')" \
    '["secret",false,true]' "a header's value in a tool's description: tools_omitted secret, the hash kept"
unlike "$(cat "$TMP/echoed.out")" 'desc-Secret-8812' "  and the value is nowhere in the records"

# card MODE AT [PROBE ARGS...]: the fixture's card set, a probe with --card as
# $TMP/card-MODE-AT.out; prints exit, state, card, the place found (its path)
# and the problems.
card() {
	local mode=$1 at=$2 name=card-$1-$2
	shift 2
	curl -sf "$CARD/_control?mode=$mode&at=$at" >/dev/null || echo "control failed"
	pr "$name" "$CARD/mcp" --card -T "$TMP/token" -H 'X-API-Key: card-Key-7734-secret' "$@"
	printf '%s %s' "$(cat "$TMP/$name.rc")" "$(result "$name" \
	    '[.state, (.card // "-"), (.card_url // "-" | sub("^http://[^/]*"; "")), (.card_problems // [] | join("; "))] | join(" ")')"
}
is "$(card new url)" "0 healthy present /mcp/server-card " "the current shape at <url>/server-card: present"
is "$(card templated url)" "0 healthy present /mcp/server-card " "a templated remote URL matches the probed one: present"
is "$(card new mcpjson)" "0 healthy present /.well-known/mcp.json " "the last place, after three 404s: present"
is "$(card old wk)" "0 healthy present /.well-known/mcp/server-card.json " \
    "the shape in the wild at /.well-known/mcp/server-card.json: present"
like "$(card badjson url)" '^0 healthy invalid /mcp/server-card not a JSON object' "JSON that does not parse: invalid"
is "$(card incomplete url)" "0 healthy invalid /mcp/server-card no \$schema (a string); no version (a string)" \
    "the current shape without \$schema nor version: invalid, each missing member said (remotes are optional)"
is "$(card inconsistent url)" '0 healthy inconsistent /mcp/server-card version "9.9.9" is not the server'"'"'s own "2.1.0"; supportedProtocolVersions lacks 2025-11-25, the version the server negotiated; no remote is the probed URL' \
    "another version, no negotiated protocol, a remote elsewhere: inconsistent, each said"
# The extension's schema as published, and its discovery (issue 54).
is "$(card published url)" "0 healthy present /mcp/server-card " \
    "the schema as published (each remote its own supportedProtocolVersions, no top-level one): present"
is "$(card minimal url)" "0 healthy present /mcp/server-card " "the published schema's smallest card, no remotes: present"
is "$(card misnamed url)" '0 healthy inconsistent /mcp/server-card name "example-org/other" is not the server'"'"'s own "carded"' \
    "a card named for another server: inconsistent, said"
like "$(card echo url)" '^0 healthy inconsistent /mcp/server-card version "x{85}Bearer \*{8}' \
    "a card giving the token back where a problem quotes it (cut at 100 characters): starred before the cut"
# (8 characters: 4 would find "card" of server-card in any record)
tok=$(cat "$TMP/token")
leak=0
for i in $(seq 0 $((${#tok} - 8))); do
	grep -qF -- "${tok:i:8}" "$TMP/card-echo-url.out" && leak=$((leak + 1))
done
is "$leak" 0 "  no 8 characters of it in the records"
is "$(card published catalog)" "0 healthy present /cards/carded.json " \
    "the card the MCP Catalog names (beside another origin's, not asked): present"
is "$(jq -r 'select(.path | test("catalog|/cards/|elsewhere")) | "\(.method) \(.path) \(.accept)"' "$TMP/card.log" | sort -u | tr '\n' ';')" \
    "GET /.well-known/mcp/catalog.json application/mcp-server-card+json, application/json;GET /cards/carded.json application/mcp-server-card+json, application/json;" \
    "the catalog read, its card asked for as application/mcp-server-card+json, nothing of another origin"
is "$(card big url)" "0 healthy invalid /mcp/server-card the card passed 65536 bytes" "a card past 64 KiB: invalid, not read"
is "$(card none url)" "0 healthy absent - " "404 at every place: absent"
like "$(card hang url -t 30 -w 1)" '^0 healthy - - .*server-card: ' "no answer at any place: still healthy, card null, why said"
# Pinned (-C): the card is asked for where the target's requests go.
curl -sf "$CARD/_control?mode=new&at=url" >/dev/null
port=${CARD##*:}
pr pinned "http://card.invalid:$port/mcp" --card -C "card.invalid:$port:127.0.0.1:$port"
is "$(result pinned '[.state, .card, .card_url, (.card_problems | join("; "))] | join(" ")')" \
    "healthy inconsistent http://card.invalid:$port/mcp/server-card no remote is the probed URL" \
    "pinned with -C: the card read through the pin (its remote is not the probed URL)"
is "$(jq -r 'select(.path | test("server-card|well-known")) | "\(.authorization) \(.key)"' "$TMP/card.log" | sort -u)" "null null" \
    "no token nor header of the target reaches a card place"
is "$(jq -r 'select(.path == "/mcp" and .authorization != null) | .authorization' "$TMP/card.log" | sort -u)" "Bearer card-Token-5521-secret" \
    "(the token went to the endpoint)"
unlike "$(cat "$TMP"/card-*.out)" 'card-(Token-5521|Key-7734)' "no secret in any record"

# Target keys: card=1 asks for it, card=0 turns the run's --card off.
curl -sf "$CARD/_control?mode=new&at=url" >/dev/null
printf 'on %s card=1\noff %s card=0\nplain %s\n' "$CARD/mcp" "$CARD/mcp" "$CARD/mcp" >"$TMP/targets"
mcp-probe -r t -f "$TMP/targets" >"$TMP/keys.out" 2>"$TMP/keys.err"
is "$(jq -r 'select(.type == "result") | "\(.slug)=\(.card // "-")"' "$TMP/keys.out" | sort | tr '\n' ' ')" \
    "off=- on=present plain=- " "card=1 alone reads the card"
mcp-probe -r t --card -f "$TMP/targets" >"$TMP/keys2.out" 2>"$TMP/keys2.err"
is "$(jq -r 'select(.type == "result") | "\(.slug)=\(.card // "-")"' "$TMP/keys2.out" | sort | tr '\n' ' ')" \
    "off=- on=present plain=present " "--card reads every card but card=0's"
printf 'x %s card=yes\n' "$CARD/mcp" >"$TMP/bad-targets"
mcp-probe -r t -n -f "$TMP/bad-targets" >/dev/null 2>"$TMP/bad.err"
is "$?" 2 "card=yes: a usage error"
like "$(cat "$TMP/bad.err")" 'card must be 0 or 1' "  that says what card= takes"

mcp-probe -r t --list-max 300k "$EVERYTHING/mcp" >/dev/null 2>"$TMP/big.err"
is "$?" 2 "--list-max over 256k: a usage error"

done_testing
