#!/usr/bin/env bash
# build: both (the plain build checks what the sanitizers cannot: peak memory, valgrind, the long walks)
# probe-memory.t - a probe's memory whatever its servers serve: ten
# targets in flight, two more than the run's 8 places (two wait for one),
# each serving lists of 4 MB (tests/fixtures/biglist.mjs: tools in one
# page, in four, with resources and prompts as large, and a list of arrays
# of zeros, whose parsed tree costs the most a byte), stay within the
# bound mcp-probe(1) states (Fleets, LIMITS): the places times 8 times
# -m, a small bound for each target besides, and the process itself.
# Before, each target held its list as two trees and its text at once
# until it ended, and the list of zeros alone took 320 MB.  The records
# are as they were: every hash is the list's, hashed again here.  A
# working server whose time runs out waiting for a place is unjudged.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

node "$TOP/tests/fixtures/biglist.mjs" --port-file "$TMP/port" 2>"$TMP/big.err" &
bg_pid $!
wait_file "$TMP/port" 300 || skip_all "biglist.mjs did not start: $(cat "$TMP/big.err")"
base=http://127.0.0.1:$(cat "$TMP/port")

# The lists the fixture serves, fetched and hashed here as probe-lists.t
# hashes one: sorted by their key (as JavaScript compares strings: UTF-16
# code units), canonical (RFC 8785), SHA-256; with their sizes and counts.
(cd "$TOP/tests" && node --input-type=module -e '
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
const base = process.argv[1];
for (const [mode, method, member, key] of [["one", "tools/list", "tools", "name"],
    ["lists", "resources/list", "resources", "uri"], ["lists", "prompts/list", "prompts", "name"]]) {
	const res = await fetch(base + "/" + mode + "/mcp", { method: "POST",
	    headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
	    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method }) });
	const v = (await res.json()).result[member];
	v.sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0));
	const c = canonicalize(v);
	console.log("sha256:" + createHash("sha256").update(c, "utf8").digest("hex"), Buffer.byteLength(c), v.length);
}' "$base") >"$TMP/want" 2>"$TMP/want.err"
{ read -r thash tbytes tcount && read -r rhash rbytes rcount && read -r phash pbytes pcount; } <"$TMP/want" ||
    diag "the lists hashed here: $(cat "$TMP/want" "$TMP/want.err")"
ok "$([ "${tbytes:-0}" -gt 3900000 ] && [ "${rbytes:-0}" -gt 3900000 ] && [ "${pbytes:-0}" -gt 3900000 ]; echo $?)" \
    "the fixture's lists are 4 MB each ($tbytes, $rbytes, $pbytes bytes)"

{
	for i in 1 2 3 4 5 6; do echo "one-$i $base/one/mcp"; done
	for i in 1 2; do echo "paged-$i $base/paged/mcp"; done
	echo "lists-1 $base/lists/mcp"
	echo "dense-1 $base/dense/mcp"
} >"$TMP/fleet"
/usr/bin/time -f '%M' -o "$TMP/rss" mcp-probe -r t -j 10 -t 60 -w 50 -f "$TMP/fleet" \
    >"$TMP/out" 2>"$TMP/err"
is "$?" 1 "10 targets of 4 MB lists: exit 1 (the one of zeros is broken)"

# r SLUG JQ: a value of SLUG's result record; l SLUG JQ: of its tools_list detail.
r() { jq -r "select(.type == \"result\" and .slug == \"$1\") | $2" "$TMP/out"; }
l() { jq -r "select(.step == \"tools_list\" and .slug == \"$1\") | .detail | $2" "$TMP/out"; }

bad=
for s in one-1 one-2 one-3 one-4 one-5 one-6 paged-1 paged-2 lists-1; do
	got="$(r "$s" '[.state, .tool_count, .tool_hash] | join(" ")') $(l "$s" '[.tools_omitted, .tools_bytes] | join(" ")')"
	[ "$got" = "healthy $tcount $thash too_large $tbytes" ] || bad="$bad $s($got)"
done
is "${bad:-none}" none \
    "9 targets healthy, each with all $tcount tools, the list's hash, omitted as too_large with its size"
is "$(r lists-1 '[.resource_hash, .prompt_hash] | join(" ")') $(l lists-1 '[.resource_count, .prompt_count, .resources_omitted, .resources_bytes, .prompts_omitted, .prompts_bytes] | join(" ")')" \
    "$rhash $phash $rcount $pcount too_large $rbytes too_large $pbytes" \
    "resources and prompts of 4 MB: their hashes, counts, omitted with their sizes"
is "$(r dense-1 '[.state, .failed_step, .error.code] | join(" ")')" "broken tools_list tools_too_large" \
    "a list of arrays of zeros: its tree passes its bound, tools_too_large"
like "$(r dense-1 .error.message)" 'parsed form passed its memory bound' "and the message says why"

# The bound (mcp-probe(1) LIMITS), for -m 4M: 256 MiB / (8 x 4 MiB) = 8
# places of 8 x 4 MiB, 2.25 MiB a target without one (10), and 24 MiB for
# the process itself (about 5 MiB alone; libcurl, OpenSSL and 10 targets'
# connections besides).
kib=$(tail -n 1 "$TMP/rss")
bound=$(((8 * 8 * 4096) + 10 * 2304 + 24 * 1024))
case $(ldd "$(command -v mcp-probe)") in
*libasan*)
	# ASan's shadow memory and its quarantine of freed blocks are not the probe's.
	diag "a sanitizer build: its peak ($kib KiB) is not checked against $bound KiB"
	ok 0 "# SKIP the bound is the plain build's"
	;;
*) ok "$([ "$kib" -le "$bound" ]; echo $?)" "peak memory $kib KiB, within the bound of $bound KiB" ;;
esac
# A target whose time runs out while it waits for a place is unjudged
# (evicted), never a timeout: with -m 64M the run has 2 places, both held
# by servers whose answers never end; a working server's 4 MB list waits.
printf '%s\n' "hold-1 $base/hold/mcp timeout=8" "hold-2 $base/hold/mcp timeout=8" \
    "late-1 $base/late/mcp timeout=3" >"$TMP/fleet2"
mcp-probe -r t -j 3 -m 64M -w 50 -f "$TMP/fleet2" >"$TMP/out2" 2>"$TMP/err2"
r2() { jq -r "select(.type == \"result\" and .slug == \"$1\") | $2" "$TMP/out2"; }
is "$(r2 late-1 '[.state, .failed_step, .error.code] | join(" ")')" "unjudged  evicted" \
    "a working server whose time ran out waiting for one of the run's places: unjudged, evicted"
like "$(r2 late-1 .error.message)" "waiting for one of the run's 2 places" "and its message says so"
done_testing
