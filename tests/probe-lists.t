#!/usr/bin/env bash
# probe-lists.t - the lists a probe carries: the tools_list step's tools as
# they were hashed (each hashed again here, with the canonicalize package,
# equals the record's hash), bounded by --list-max; resources and prompts
# read when a server declares them (server-everything, FastMCP, a server of
# resources only); the Server Card posture of --card (tests/fixtures/card.mjs).
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

# A server of resources and a prompt, no tools: skipped as before, its lists read.
start_supergateway stateless resources || skip_all "supergateway (resources-only child) did not start"
pr res "$SUPERGATEWAY_STATELESS_RESOURCES/mcp" -t 20
is "$(cat "$TMP/res.rc") $(result res '[.state, (.tool_hash // "-"), (.failed_step // "-")] | join(" ")')" "0 healthy - -" \
    "resources-only: healthy, no tool hash, as before"
is "$(list res | jq -c '[.reason, .resource_count, .prompt_count, .resources[0].uri, .prompts[0].name]')" \
    '["no_tools",1,1,"file:///readme.txt","greet"]' "resources-only: tools_list skipped (no_tools), its resource and prompt carried"
is "$(list res | jq -c .resources | rehash uri)" "$(result res .resource_hash)" "resources-only: the resource_hash is of detail.resources"
is "$(list res | jq -c .prompts | rehash name)" "$(result res .prompt_hash)" "resources-only: the prompt_hash is of detail.prompts"

mcp-probe -r t --list-max 300k "$EVERYTHING/mcp" >/dev/null 2>"$TMP/big.err"
is "$?" 2 "--list-max over 256k: a usage error"

done_testing
