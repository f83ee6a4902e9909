#!/usr/bin/env bash
# tools-lock.t - the lockfile (issue 54): the lists a server serves,
# exported as a lock a repository keeps (mcp-aggregate tools --lock: the
# approved lists where a person approved them, mcp:{SLUG}:appr and
# apl:HEX, else first sight), and what every region serves checked
# against it (--check), as text, JSON and SARIF 2.1.0, the SARIF read by
# a validator (ajv) against the OASIS schema; mcp-guardrail --lock over
# mcp-serve's GET /api/status/SLUG/lists as CI runs it; mcp-probe --lock's
# posture.  A real SDK server (tests/fixtures/tools-lock.mjs) in four
# releases, one a change of each class, probed by the real probe, pushed
# into a real Redis.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/aggregate-lib.sh
source "$TOP/tests/aggregate-lib.sh"

[ -d "$TOP/tests/node_modules/@modelcontextprotocol/sdk" ] || skip_all "no node modules (scripts/deps)"
start_redis
export MCP_SPOOL=$TMP/spool
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }

node "$TOP/tests/fixtures/tools-lock.mjs" --port-file "$TMP/port" 2>"$TMP/node.log" &
bg_pid $!
wait_file "$TMP/port" 600 || skip_all "the SDK server did not start: $(head -c 300 "$TMP/node.log")"
P=$(cat "$TMP/port")

# probe REGION K RELEASE: the real probe's records of the release, in window K.
probe() { MCP_NOW=$(($(w "$2") + 1)) mcp-probe -r "$1" -s forecast --list-max 256k "http://127.0.0.1:$P/mcp/$3" 2>/dev/null; }
# window K REL_A REL_B REL_C: regions a, b and c probed and pushed.
window() { { probe a "$1" "$2"; probe b "$1" "$3"; probe c "$1" "$4"; } | push; }
# check [OPTIONS]: the check of $TMP/mcp-tools.lock, its output in $out, its status in $rc.
check() {
	rc=0
	out=$(cd "$TMP" && mcp-aggregate tools "$@" --check mcp-tools.lock 2>"$TMP/check.err") || rc=$?
}
# line_of NAME: the line of the lock holding the tools entry of NAME.
line_of() { grep -n "\"kind\":\"tools\",\"name\":\"$1\"" "$TMP/mcp-tools.lock" | cut -d: -f1; }

# ------------------------------------------------------------ the export
window 0 base base base
mcp-aggregate tools --lock forecast >"$TMP/mcp-tools.lock" 2>"$TMP/lock.err"
is "$?:$(cat "$TMP/lock.err")" "0:" "tools --lock: exit 0, quiet"
is "$(jq -sc '[.[1:][] | select(.def == null) | [.kind, .source, .regions, .count]]' "$TMP/mcp-tools.lock")" \
    '[["tools","first_sight",["a","b","c"],3],["resources","first_sight",["a","b","c"],1],["prompts","first_sight",["a","b","c"],1]]' \
    "never approved: each kind's list as the regions serve it, said first_sight, with its regions"
is "$(jq -sr '[.[] | select(.kind == "tools" and .def == null) | .hash] | .[0]' "$TMP/mcp-tools.lock")" \
    "$(rcli hget 'mcp:{forecast}:hash' a | cut -d' ' -f2)" "the tools entry's hash is the list's hash as the probe hashed it"
# Each line is JCS (keys sorted, no space: jq -cS writes these lines alike).
is "$(tail -n +2 "$TMP/mcp-tools.lock" | jq -cS . | diff - <(tail -n +2 "$TMP/mcp-tools.lock") && echo same)" same \
    "each line of the lock is canonical JSON"
h=$(jq -r 'select(.name == "delete_alert") | .hash' "$TMP/mcp-tools.lock")
is "$h" "sha256:$(jq -cjS 'select(.name == "delete_alert") | .def' "$TMP/mcp-tools.lock" | sha256sum | cut -c1-64)" \
    "an item's hash is the SHA-256 of its definition's JCS"

check
is "$rc" 0 "--check against what every region serves: exit 0"
like "$out" "mcp-tools.lock:2: forecast tools: matches in a b c" "each list matches, at its entry's line, the regions named"

# ------------------------------------------------------------ compatible
window 1 compatible base base
check
is "$rc" 0 "a compatible change in a: it passes (exit 0)"
like "$out" "forecast tools: compatible changes only \\(passes\\) in a" "said: compatible, a named"
like "$out" "compatible +get_radar added" "the tool added named"
like "$(cat "$TMP/check.err")" "passes" "the verdict: passes"

# ------------------------------------------------------------ review
window 2 review base base
check
is "$rc" 1 "a description rewritten in a: review, exit 1 (blocked)"
like "$out" "mcp-tools.lock:$(line_of get_forecast):   review +get_forecast: description changed" \
    "the review change at get_forecast's line of the lock"
like "$(cat "$TMP/check.err")" "deploy blocked" "the verdict: deploy blocked"

# ------------------------------------------------------------ breaking
window 3 breaking breaking review
check
is "$rc" 1 "a tool removed in a and b: breaking, exit 1"
like "$out" "forecast tools: DIFFERS \\(blocks\\) in a b" "a and b named together"
like "$out" "mcp-tools.lock:$(line_of delete_alert):   breaking +delete_alert removed" "the tool removed at its line"
like "$out" "forecast tools: DIFFERS \\(blocks\\) in c" "c's review named apart"
like "$out" "forecast resources: matches in a b c" "the resources match"

check --json
is "$rc:$(jq -c '[.state, [.results[] | select(.kind == "tools") | [.regions, .state, .class]]]' <<<"$out")" \
    '1:["differs",[[["a","b"],"differs","breaking"],[["c"],"differs","review"]]]' "--json: the report, by list served"

check --sarif
is "$rc" 1 "--sarif: exit 1"
printf '%s\n' "$out" >"$TMP/lock.sarif"
is "$(jq -c '[.version, (.runs[0].results | map(select(.ruleId == "mcp-lock/tool_removed")) | .[0] | [.level, .locations[0].physicalLocation.artifactLocation.uri, .locations[0].physicalLocation.region.startLine, .properties.regions])]' "$TMP/lock.sarif")" \
    "[\"2.1.0\",[\"error\",\"mcp-tools.lock\",$(line_of delete_alert),[\"a\",\"b\"]]]" \
    "SARIF: the tool removed an error at delete_alert's line, a and b named"
done_testing
