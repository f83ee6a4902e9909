#!/usr/bin/env bash
# take-back.t - a folded hour remembers its conflicts, and a stolen token's
# results in the gaps of decided hours are taken back (issue 53).  Results
# pushed by the real push, decided and folded by the real verdict's passes
# (MCP_NOW), a stolen token writing through the real ingest (a CGI request,
# as nginx would make it) into a private redis-server: a second, different
# result of a window of a folded hour is a conflict, audited, its retry a
# duplicate; what the token wrote into a region's gaps of a folded hour and
# of a decided hour folded since is kept raw, and token revoke --take-back
# removes it, the runner's own result kept out in its place.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/aggregate-lib.sh"

command -v redis-server >/dev/null || skip_all "redis-server is not installed"
start_redis
export MCP_SPOOL=$TMP/spool
rc() { redis-cli -s "$REDIS_SOCK" "$@"; }
S=tb
H0=$((T0 / 3600))
M=$(fold_minute $S)
printf '%s https://mcp.example.com/mcp\n' "$S" >"$TMP/targets"
# ingest REGION TOKEN FILE CLOCK: the ingest's answer's last line, as a CGI request.
ingest() {
	GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=POST PATH_INFO="/ingest/$1" \
	    CONTENT_LENGTH=$(wc -c <"$3") HTTP_AUTHORIZATION="Bearer $2" \
	    MCP_INGEST_OVERRIDES=$TMP/targets MCP_NOW=$4 \
	    mcp-aggregate <"$3" 2>>"$TMP/ingest.err" | sed '1,/^\r$/d' | tail -1
}
res() { mcp-aggregate results "$S" "$(w "$1")" | awk '{print $2, substr($4, 1, 1)}' | sort | tr '\n' ' '; }

# Hour 0: us-east-1 in every window, eu-west-2 in all but 20 to 29 (a
# gap); decided, then folded by the pass of minute M of hour 2.
{
	gen -q -s $S -r us-east-1 -n 60
	gen -q -s $S -r eu-west-2 -n 20
	gen -q -s $S -r eu-west-2 -n 30 -t "$(w 30)"
} | MCP_NOW=$(($(w 59) + 2)) mcp-aggregate push 2>"$TMP/push.err"
MCP_NOW=$(($(w 59) + 95)) mcp-aggregate verdict >/dev/null 2>>"$TMP/verdict.err"
MCP_NOW=$(($(w $((120 + M))) + 95)) mcp-aggregate verdict >/dev/null 2>>"$TMP/verdict.err"
is "$(rc exists "mcp:{$S}:rs:$H0"):$(rc hexists "mcp:{$S}:rf" "$H0")" 0:1 "hour 0 decided and folded"

# ------------------------------------------------------------ a folded hour's conflict
C=$(($(w $((120 + M))) + 100))
gen -q -s $S -r eu-west-2 -n 1 -t "$(w 5)" -f tls >"$TMP/other"
MCP_NOW=$C mcp-aggregate push <"$TMP/other" 2>"$TMP/c.err"
like "$(cat "$TMP/c.err")" "stdin:1: conflict: eu-west-2 of $S already has another result for the window" \
    "a different second result of a window of a folded hour: a conflict, said"
is "$(rc lrange 'mcp:{audit}:conflict' 0 -1 | awk '{print $2, $3, $4, $5}')" "$S eu-west-2 $(w 5) -" \
    "...audited: slug, region, window, writer"
is "$(rc hget "mcp:{audit}:count:$((C / 86400))" "conflict eu-west-2")" 1 "...counted"
is "$(res 5)" "eu-west-2 h us-east-1 h " "...and kept out: the folded result stands"
gen -q -s $S -r eu-west-2 -n 1 -t "$(w 5)" | MCP_NOW=$C mcp-aggregate push -v 2>"$TMP/d.err"
like "$(cat "$TMP/d.err")" "push: 0 results stored, 1 duplicates ignored" "the same result again: a duplicate"
is "$(rc llen 'mcp:{audit}:conflict')" 1 "...not audited"

# ------------------------------------------------------------ the token's late results
# A stolen token of eu-west-2 writes its gap in the folded hour (windows
# 20 to 29, failing) and window 121, decided (newest is 120 + M) and not
# yet folded; the runner's own result of window 25, sent after, is kept out.
tok=$(mcp-aggregate token add eu-west-2 2>>"$TMP/token.err")
id=${tok%%.*}
gen -q -s $S -r eu-west-2 -n 10 -t "$(w 20)" -f tls >"$TMP/forged"
gen -q -s $S -r eu-west-2 -n 1 -t "$(w 121)" -f tls >>"$TMP/forged"
is "$(ingest eu-west-2 "$tok" "$TMP/forged" "$C" | jq -c '[.stored, .conflict]')" "[11,0]" \
    "the stolen token fills eu-west-2's gaps of decided hours: 11 stored"
is "$(res 25)" "eu-west-2 b us-east-1 h " "...window 25 holds its forged result"
gen -q -s $S -r eu-west-2 -n 1 -t "$(w 25)" | MCP_NOW=$C mcp-aggregate push 2>/dev/null
# The decided hour 2 folded by the pass of minute M of hour 4: the token's
# late result stays raw beside the fold.
MCP_NOW=$(($(w $((240 + M))) + 95)) mcp-aggregate verdict >/dev/null 2>>"$TMP/verdict.err"
is "$(rc hexists "mcp:{$S}:rf" $((H0 + 2))):$(rc hexists "mcp:{$S}:rs:$((H0 + 2))" eu-west-2):$(res 121)" \
    "1:1:eu-west-2 b " "hour 2 folded; the token's result of window 121 kept raw beside the fold"
R=$(($(w $((240 + M))) + 100))
MCP_NOW=$R mcp-aggregate token revoke --take-back eu-west-2 "$id" 2>"$TMP/rev.err"
is "$?" 0 "token revoke --take-back: exit 0"
like "$(cat "$TMP/rev.err")" "token $id of eu-west-2: 0 results of windows not yet decided taken back, and 11 it wrote into windows decided already" \
    "...11 results of decided windows taken back, said"
is "$(res 21):$(res 29):$(res 121)" "us-east-1 h :us-east-1 h :" \
    "the gaps hold nothing of the token, in the folded hour and in the one folded since"
is "$(res 25)" "eu-west-2 h us-east-1 h " "...window 25 the runner's own result, kept out before"
is "$(res 5):$(res 19)" "eu-west-2 h us-east-1 h :eu-west-2 h us-east-1 h " "the runner's results of hour 0 untouched"
is "$(cat "$TMP/push.err" "$TMP/verdict.err" "$TMP/ingest.err")" "" "push, verdict, ingest: quiet"
done_testing
