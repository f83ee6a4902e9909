#!/usr/bin/env bash
# tools-lock.t - the lockfile (issue 54): the lists a server serves,
# exported as a lock a repository keeps (mcp-aggregate tools --lock: the
# approved lists where a person approved them, mcp:{SLUG}:appr and
# apl:HEX, else first sight), and what every region serves checked
# against it (--check), as text, JSON and SARIF 2.1.0, the SARIF read by
# a validator (ajv) against the OASIS schema; mcp-guardrail --lock over
# mcp-serve's GET /api/status/SLUG/lists as CI runs it; mcp-probe --lock's
# posture, "held" for a list locked held (never approved, its text with
# findings: issue 60), never "matches".  A real SDK server (tests/fixtures/tools-lock.mjs) in four
# releases, one a change of each class, probed by the real probe, pushed
# into a real Redis.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/aggregate-lib.sh
source "$TOP/tests/aggregate-lib.sh"
# shellcheck source=tests/serve-lib.sh
source "$TOP/tests/serve-lib.sh"

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
# check [OPTIONS]: the check of $TMP/mcp-tools.lock (or $LOCK), its output in $got, its status in $rc.
check() {
	rc=0
	got=$(cd "$TMP" && mcp-aggregate tools "$@" --check "${LOCK:-mcp-tools.lock}" 2>"$TMP/check.err") || rc=$?
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

printf '# the fleet of this repository\nforecast\n' | mcp-aggregate tools --lock --slugs - >"$TMP/slugs.lock"
is "$(tail -n +2 "$TMP/slugs.lock" | cmp - <(tail -n +2 "$TMP/mcp-tools.lock") && echo same)" same "--slugs -: the slugs of a file, a line each, the same lock"
check
is "$rc" 0 "--check against what every region serves: exit 0"
like "$got" "mcp-tools.lock:2: forecast tools: matches in a b c" "each list matches, at its entry's line, the regions named"

# ------------------------------------------------------------ compatible
window 1 compatible base base
check
is "$rc" 0 "a compatible change in a: it passes (exit 0)"
like "$got" "forecast tools: compatible changes only \\(passes\\) in a" "said: compatible, a named"
like "$got" "compatible +get_radar added" "the tool added named"
like "$(cat "$TMP/check.err")" "passes" "the verdict: passes"

# ------------------------------------------------------------ review
window 2 review base base
check
is "$rc" 1 "a description rewritten in a: review, exit 1 (blocked)"
like "$got" "mcp-tools.lock:$(line_of get_forecast):   review +get_forecast: description changed" \
    "the review change at get_forecast's line of the lock"
like "$(cat "$TMP/check.err")" "deploy blocked" "the verdict: deploy blocked"

# ------------------------------------------------------------ breaking
window 3 breaking breaking review
check
is "$rc" 1 "a tool removed in a and b: breaking, exit 1"
like "$got" "forecast tools: DIFFERS \\(blocks\\) in a b" "a and b named together"
like "$got" "mcp-tools.lock:$(line_of delete_alert):   breaking +delete_alert removed" "the tool removed at its line"
like "$got" "forecast tools: DIFFERS \\(blocks\\) in c" "c's review named apart"
like "$got" "forecast resources: matches in a b c" "the resources match"

check --json
is "$rc:$(jq -c '[.state, [.results[] | select(.kind == "tools") | [.regions, .state, .class]]]' <<<"$got")" \
    '1:["differs",[[["a","b"],"differs","breaking"],[["c"],"differs","review"]]]' "--json: the report, by list served"

check --sarif
is "$rc" 1 "--sarif: exit 1"
printf '%s\n' "$got" >"$TMP/lock.sarif"
is "$(jq -c '[.version, (.runs[0].results | map(select(.ruleId == "mcp-lock/tool_removed")) | .[0] | [.level, .locations[0].physicalLocation.artifactLocation.uri, .locations[0].physicalLocation.region.startLine, .properties.regions])]' "$TMP/lock.sarif")" \
    "[\"2.1.0\",[\"error\",\"mcp-tools.lock\",$(line_of delete_alert),[\"a\",\"b\"]]]" \
    "SARIF: the tool removed an error at delete_alert's line, a and b named"
# validate FILE: ajv (draft-04, as the schema is) against the OASIS schema.
validate() {
	(cd "$TOP/tests" && node --input-type=module -e '
import fs from "node:fs";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const ok = ajv.validate(JSON.parse(fs.readFileSync(process.argv[1], "utf8")), JSON.parse(fs.readFileSync(process.argv[2], "utf8")));
console.log(ok ? "valid" : JSON.stringify(ajv.errors).slice(0, 600));
' "$TOP/tests/data/sarif-schema-2.1.0.json" "$1")
}
is "$(validate "$TMP/lock.sarif")" valid "the SARIF log is valid SARIF 2.1.0 (ajv, the OASIS schema)"
jq '.runs[0].results[0].level = "fatal"' "$TMP/lock.sarif" >"$TMP/bad.sarif"
unlike "$(validate "$TMP/bad.sarif")" '^valid$' "the validator refuses a log with a level SARIF does not have"

# ------------------------------------------------------------ the lock read
cp "$TMP/mcp-tools.lock" "$TMP/good.lock"
sed -i 's/"description":"Delete a weather alert"/"description":"Delete an alert"/' "$TMP/mcp-tools.lock"
check
is "$rc" 2 "a lock edited by hand (a description, its hash not): exit 2"
like "$(cat "$TMP/check.err")" ":$(line_of delete_alert): the item's def does not hash to its hash" "its file and line named"
cp "$TMP/good.lock" "$TMP/mcp-tools.lock"

# ------------------------------------------------------------ approved lists
# The approvals as mcp:{SLUG}:appr keeps them (field KIND or KIND:REGION,
# the approved text at apl:HEX), written here as the interface says.
HB=$(rcli hget 'mcp:{forecast}:hash' a | cut -d' ' -f2) HC=$(rcli hget 'mcp:{forecast}:hash' c | cut -d' ' -f2)
approve() { # approve FIELD HASH STATE
	rcli set "mcp:{forecast}:apl:${2#sha256:}" "$(rcli get "mcp:{forecast}:ls:${2#sha256:}")" >/dev/null
	rcli hset 'mcp:{forecast}:appr' "$1" "{\"hash\":\"$2\",\"state\":\"$3\",\"by\":\"ops@example.com\",\"at\":$(($(w 3) + 30))}" >/dev/null
}
approve t "$HB" approved
(cd "$TMP" && mcp-aggregate tools --lock forecast >approved.lock)
is "$?" 0 "an approved tool list: --lock exit 0"
is "$(jq -sc '[.[] | select(.def == null and .kind != null) | [.kind, .source, .hash == "'"$HB"'", .by]]' "$TMP/approved.lock")" \
    '[["tools","approved",true,"ops@example.com"],["resources","first_sight",false,null],["prompts","first_sight",false,null]]' \
    "the lock holds the approved tool list (who approved it said), the others at first sight"
LOCK=approved.lock check
is "$rc" 1 "against the approved list: c's review change blocks (exit 1)"
like "$got" "forecast tools: matches in a b" "a and b serve the approved list"
like "$got" "forecast tools: DIFFERS \\(blocks\\) in c" "c does not"
approve t:c "$HC" approved
(cd "$TMP" && mcp-aggregate tools --lock forecast >approved.lock)
is "$(jq -sc '[.[] | select(.def == null and .kind == "tools") | [.region, .source]]' "$TMP/approved.lock")" \
    '[[null,"approved"],["c","approved"]]' "c's own approval: an entry for c alone"
LOCK=approved.lock check
is "$rc" 0 "every region serves what was approved for it: exit 0"
rcli hdel 'mcp:{forecast}:appr' t:c >/dev/null
approve t "$HB" rejected
(cd "$TMP" && mcp-aggregate tools --lock forecast >rejected.lock 2>"$TMP/rej.err")
is "$?:$(cat "$TMP/rej.err")" "1:mcp-aggregate: forecast: tools: rejected, none approved: not locked" \
    "a tool list rejected and none approved: not locked, exit 1"
rcli del 'mcp:{forecast}:appr' >/dev/null

# ------------------------------------------------------------ the probe's posture
# posture REL [SLUG]: the result's state, lock and lock_differs of a probe with --lock.
# posture REL [SLUG]: the result's state, lock and lock_differs of a probe
# with --lock $TMP/mcp-tools.lock (or $LOCK), and the probe's exit status.
posture() {
	local out prc=0
	out=$(mcp-probe -r a -s "${2:-forecast}" --lock "$TMP/${LOCK:-mcp-tools.lock}" "http://127.0.0.1:$P/mcp/$1" 2>/dev/null) || prc=$?
	jq -c --argjson rc "$prc" 'select(.type == "result") | [.state, .lock, .lock_differs] + if $rc == 0 then [] else [$rc] end' <<<"$out"
}
is "$(posture base)" '["healthy","matches",[]]' "mcp-probe --lock: the release locked matches"
is "$(posture breaking)" '["healthy","differs",["tools"]]' "a tool removed: differs, the tools named; the target still healthy"
is "$(posture review)" '["healthy","differs",["tools"]]' "a description rewritten: differs"
is "$(posture base other)" '["healthy","not_locked",[]]' "a slug the lock does not hold: not_locked"
# A list no person approved whose text has a high or medium finding is
# locked held (trust.t): served as it is, it is not what a person
# approved, and the posture says so rather than "matches".
MCP_NOW=$(($(w 3) + 1)) mcp-probe -r a -s poisoned --list-max 256k "http://127.0.0.1:$P/mcp/review" 2>/dev/null | push
(cd "$TMP" && mcp-aggregate tools --lock poisoned >held.lock 2>held.err)
is "$?:$(jq -sc '[.[] | select(.def == null and .kind != null) | .source]' "$TMP/held.lock")" '1:["held","first_sight","first_sight"]' \
    "a tool list never approved whose text has findings: locked held (exit 1)"
is "$(LOCK=held.lock posture review poisoned)" '["healthy","held",[]]' \
    "mcp-probe --lock: the held list served as it is: held, not matches; the probe's exit status 0 (a posture)"
is "$(LOCK=held.lock posture base poisoned)" '["healthy","differs",["tools"]]' "another list served: differs, as before"
sed 's/"source":"held"/"by":"ops@example.com","source":"approved"/' "$TMP/held.lock" >"$TMP/approved-held.lock"
is "$(LOCK=approved-held.lock posture review poisoned)" '["healthy","matches",[]]' "that list approved by a person: matches"
mcp-probe -r a --lock "$TMP/lock.sarif" "http://127.0.0.1:$P/mcp/base" >/dev/null 2>"$TMP/p.err"
is "$?:$(cat "$TMP/p.err")" "2:mcp-probe: --lock: $TMP/lock.sarif:1: not a lock of version 1" "a file that is no lock: exit 2, said with its file and line"

# ------------------------------------------------------------ the guardrail
# mcp-guardrail --lock as a CI step runs it, against mcp-serve behind
# nginx: GET /api/status/SLUG/lists, checked by mcp-aggregate.
export PATH="$PATH:/usr/sbin"
if command -v nginx >/dev/null && command -v fcgiwrap >/dev/null; then
	MCP_NOW=$(($(w 3) + 95)) mcp-aggregate verdict forecast >/dev/null
	export SERVE_NOW=$(($(w 4) + 95))
	start_nginx_cgi "$BIN/mcp-serve" || skip_all "nginx and fcgiwrap did not start"
	U=$NGINX_CGI
	lists=$(curl -s "$U/api/status/forecast/lists")
	is "$(jq -c '[([.regions[] | select(.kind == "tools") | .region] | sort), (.lists | keys | length)]' <<<"$lists")" '[["a","b","c"],4]' \
	    "GET /api/status/SLUG/lists: each region's lists, and the text of each list served (two tool lists, a resource list, a prompt list)"
	is "$(curl -s -o /dev/null -w '%{http_code}' "$U/api/status/nosuch/lists")" 404 "an unknown slug: 404"
	cat >"$TMP/ci.sh" <<-EOF
		#!/usr/bin/env bash
		set -euo pipefail
		cd "$TMP"
		"$TOP/scripts/mcp-guardrail" -u "$U" --lock mcp-tools.lock --sarif guard.sarif
	EOF
	chmod +x "$TMP/ci.sh"
	grc=0
	MCP_AGGREGATE=$BIN/mcp-aggregate "$TMP/ci.sh" >"$TMP/ci.out" 2>&1 </dev/null || grc=$?
	is "$grc" 1 "the CI step fails: a tool removed in a and b, a description rewritten in c (exit 1)"
	like "$(cat "$TMP/ci.out")" "lock=mcp-tools.lock decision=block: a region serves what differs from the lock in a breaking or review way, deploy blocked" \
	    "said: the lock, the decision, why"
	like "$(cat "$TMP/ci.out")" "mcp-guardrail: mcp-tools.lock:$(line_of delete_alert):   breaking +delete_alert removed" "each difference named at its line"
	like "$(cat "$TMP/ci.out")" "forecast tools: DIFFERS \\(blocks\\) in a b" "with its regions"
	is "$(validate "$TMP/guard.sarif")" valid "its SARIF is valid SARIF 2.1.0"
	is "$(jq -c '[.runs[0].results[] | [.ruleId, .level, .locations[0].physicalLocation.region.startLine]] | sort' "$TMP/guard.sarif")" \
	    "$(jq -c '[.runs[0].results[] | [.ruleId, .level, .locations[0].physicalLocation.region.startLine]] | sort' "$TMP/lock.sarif")" \
	    "the same results as mcp-aggregate's SARIF from the store"
	GITHUB_ACTIONS=true MCP_AGGREGATE=$BIN/mcp-aggregate "$TMP/ci.sh" >"$TMP/gh.out" 2>&1 </dev/null
	like "$(cat "$TMP/gh.out")" "::error file=mcp-tools.lock,line=$(line_of delete_alert),title=mcp-guardrail%3A forecast tools%3A breaking::delete_alert removed in a, b" \
	    "GitHub Actions: an annotation at the line of the lock"

	window 4 compatible compatible compatible
	MCP_NOW=$(($(w 4) + 95)) mcp-aggregate verdict forecast >/dev/null
	grc=0
	MCP_AGGREGATE=$BIN/mcp-aggregate "$TMP/ci.sh" >"$TMP/ci.out" 2>&1 </dev/null || grc=$?
	is "$grc" 0 "every region serves a compatible change (a tool added, an optional property): the CI step passes"
	like "$(cat "$TMP/ci.out")" "decision=pass: every region serves the lock's lists, or compatible changes of them" "said: passes"
	like "$(cat "$TMP/ci.out")" "compatible changes only \\(passes\\) in a b c" "the compatible change said"
else
	diag "no nginx or fcgiwrap: the guardrail's case is skipped"
fi

done_testing
