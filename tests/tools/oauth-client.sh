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
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
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
# The operator pins the authorization server their credentials belong to
# (--oauth-issuer).  The suite's listens on a port it picks at each run and
# its context does not name it, so the operator's one-time look-up is done
# here, before the probe and without it: the challenge's resource_metadata,
# then the first authorization server that metadata names.
url=${!#}
rm_url=$(curl -s -o /dev/null -D - -X POST -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' \
    -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"operator","version":"1"}}}' \
    "$url" | sed -n 's/^[Ww][Ww][Ww]-[Aa]uthenticate:.*resource_metadata="\([^"]*\)".*/\1/p' | tr -d '\r')
[ -n "$rm_url" ] && issuer=$(curl -s "$rm_url" | jq -r '.authorization_servers[0] // empty')
[ -n "${issuer:-}" ] && opts+=(--oauth-issuer "$issuer")
out=${OUT:-/dev/null}
err=/dev/null
[ "$out" = /dev/null ] || err=$out.err
"${PROBE:-mcp-probe}" -r conformance "${opts[@]}" "$@" >>"$out" 2>>"$err"
