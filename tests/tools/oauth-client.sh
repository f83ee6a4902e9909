#!/usr/bin/env bash
# oauth-client.sh ARGS... URL - the conformance suite's client for its OAuth
# machine-to-machine scenarios: mcp-probe with the credentials of
# MCP_CONFORMANCE_CONTEXT (client_id, client_secret, private_key_pem,
# valid_jwt) written to files only their owner may read, never to argv.
#
# env PROBE   the mcp-probe to run (default: mcp-probe on PATH)
# env OUT     a file the probe's records are appended to (default /dev/null);
#             its stderr goes to OUT.err
# Exit: the probe's (0 healthy), which the suite judges.
set -uo pipefail
d=$(mktemp -d "${TMPDIR:-/tmp}/oauth-client.XXXXXX") || exit 2
trap 'rm -rf "$d"' EXIT
umask 077
ctx=${MCP_CONFORMANCE_CONTEXT:-'{}'}
opts=()
get() { jq -r --arg k "$1" '.[$k] // empty' <<<"$ctx"; }
[ -n "$(get client_id)" ] && opts+=(--oauth-client "$(get client_id)")
if [ -n "$(get client_secret)" ]; then
	get client_secret >"$d/secret"
	opts+=(--oauth-secret-file "$d/secret")
elif [ -n "$(get private_key_pem)" ]; then
	get private_key_pem >"$d/key"
	opts+=(--oauth-key-file "$d/key")
fi
if [ -n "$(get valid_jwt)" ]; then
	get valid_jwt >"$d/jwt"
	opts+=(--oauth-assertion-file "$d/jwt")
fi
out=${OUT:-/dev/null}
err=/dev/null
[ "$out" = /dev/null ] || err=$out.err
"${PROBE:-mcp-probe}" -r conformance "${opts[@]}" "$@" >>"$out" 2>>"$err"
