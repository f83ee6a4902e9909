#!/usr/bin/env bash
# ground.t - a tool list ground to the honest list's first 16 bits still
# diverges (issue 53).  A server built with the official SDK
# (tests/fixtures/grind.mjs) grinds a poisoned list (an instruction to read
# ~/.ssh/id_rsa, destructiveHint turned on) until its tool_hash begins
# with the honest list's 4 hex digits, and serves it to one region of
# three; the real mcp-probe probes it as each region, the real push and
# verdict decide it in a private redis-server: amber with a divergence, as
# the same list unground is, and the probe-fault judgment counts the
# poisoned region's other hash for both (and for the third server, whose
# names hold controls: it serves poison another description).  mcp-aggregate tools shows a
# server's C1 controls and bidirectional overrides escaped.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"

command -v redis-server >/dev/null || skip_all "redis-server is not installed"
start_redis
export MCP_SPOOL=$TMP/spool
rc() { redis-cli -s "$REDIS_SOCK" "$@"; }
node "$TOP/tests/fixtures/grind.mjs" --port-file "$TMP/g.port" --log "$TMP/g.log" 2>"$TMP/g.err" &
bg_pid $!
wait_file "$TMP/g.port" 300 || skip_all "grind.mjs did not start: $(cat "$TMP/g.err")"
G=http://127.0.0.1:$(cat "$TMP/g.port")
diag "$(cat "$TMP/g.log")"
T0=$((($(date +%s) / 86400 + 1) * 86400 + 14 * 3600))
w() { echo $((T0 + 60 * $1)); }
REGIONS="a b poison"
printf 'ground %s/ground/mcp\nplain %s/plain/mcp\nnasty %s/nasty/mcp\n' "$G" "$G" "$G" >"$TMP/targets"

# window K: the three regions probe the three servers at W + 1, push at
# W + 2, the verdict of W at W + 95 (in $TMP/v.K).
window() {
	local t r
	t=$(w "$1")
	for r in $REGIONS; do
		MCP_NOW=$((t + 1)) mcp-probe -r "$r" -f "$TMP/targets" 2>>"$TMP/probe.err"
	done >"$TMP/p.$1"
	MCP_NOW=$((t + 2)) mcp-aggregate push <"$TMP/p.$1" 2>>"$TMP/push.err"
	MCP_NOW=$((t + 95)) mcp-aggregate verdict >"$TMP/v.$1" 2>>"$TMP/verdict.err"
}
: >"$TMP/push.err"
: >"$TMP/verdict.err"
window 0
hash_of() { jq -r --arg s "$1" --arg r "$2" 'select(.type == "result" and .slug == $s and .region == $r) | .tool_hash' "$TMP/p.0"; }
hp=$(hash_of ground poison) ha=$(hash_of ground a)
ok "$([ "${hp:0:11}" = "${ha:0:11}" ] && [ "$hp" != "$ha" ] && echo 0 || echo 1)" \
    "the probe sees the ground list in poison with the honest one's first 16 bits ($hp, $ha)"
is "$(cat "$TMP/push.err" "$TMP/verdict.err")" "" "push and verdict: quiet"
vd() { jq -c --arg s "$1" 'select(.slug == $s) | [.verdict, .divergence, .divergent_regions]' "$TMP/v.0"; }
is "$(vd plain)" '["amber","cdn-cache-divergence",["poison"]]' "the poisoned list unground: amber, poison diverges"
is "$(vd ground)" '["amber","cdn-cache-divergence",["poison"]]' "the poisoned list ground to the honest prefix: amber, poison diverges, as unground"
td() { jq -c --arg s "$1" 'select(.slug == $s) | [.tools_divergence[] | [.regions, .hash, .majority, .change.class]]' "$TMP/v.0"; }
is "$(td ground)" "[[[\"poison\"],\"$hp\",\"$ha\",\"review\"]]" \
    "...tools_divergence names poison's ground list whole, and the change from it"
fault() { rc hget "mcp:fault:$(w 0)" poison; }
like "$(fault)" ' hash=3( |$)' \
    "the probe-fault judgment counts poison's other hash for the three servers, the ground one too: $(fault)"

# The slug's ids: the honest hash keeps its prefix, the ground one has
# another (mcp-store(7) "IDS").
id() { rc hget "mcp:{ground}:ids" "h:$1" | cut -d' ' -f1; }
is "$(id "$ha")" "${ha:7:4}" "the honest list keeps its first 4 hex digits as its id"
like "$(id "$hp")" '^[0-9a-f]{4}$' "the ground list has an id of its own: $(id "$hp")"
isnt() { ok "$([ "$1" != "$2" ] && echo 0 || echo 1)" "$3"; }
isnt "$(id "$hp")" "$(id "$ha")" "...not the honest list's"
is "$(rc hget "mcp:{ground}:ids" "i:$(id "$hp")")" "$hp" "...and it stands for the ground hash alone"

# mcp-aggregate tools: the server's names and descriptions, their C1
# controls (U+0085, U+009B) and bidirectional overrides (U+202E, U+202C,
# U+2066, U+2069) and line separator (U+2028) as \xNN.
mcp-aggregate tools nasty >"$TMP/nasty.txt" 2>"$TMP/nasty.err"
is "$?" 0 "tools nasty: exit 0"
like "$(cat "$TMP/nasty.txt")" 'evil\\xe2\\x80\\xaeexe\.txt' "...U+202E in a name escaped"
like "$(cat "$TMP/nasty.txt")" 'plain\\xc2\\x85tool' "...U+0085 (C1) in a name escaped"
is "$(LC_ALL=C grep -c $'\xc2[\x80-\x9f]\|\xe2\x80[\xa8-\xae]\|\xe2\x81[\xa6-\xa9]' "$TMP/nasty.txt")" 0 \
    "...no C1 control, separator or bidirectional format character printed raw"
mcp-aggregate tools --diff nasty a poison >"$TMP/nd.txt" 2>"$TMP/nd.err"
is "$?" 0 "tools --diff nasty a poison: exit 0"
like "$(cat "$TMP/nd.txt")" 'plain\\xc2\\x85tool: description changed' \
    "...the changed tool named escaped"
is "$(LC_ALL=C grep -c $'\xc2[\x80-\x9f]\|\xe2\x80[\xa8-\xae]\|\xe2\x81[\xa6-\xa9]' "$TMP/nd.txt")" 0 \
    "...none printed raw"
done_testing
