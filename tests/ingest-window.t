#!/usr/bin/env bash
# test: long (a minute or so under load: started before the rest)
# ingest-window.t - one region's stolen token against real nginx, the real
# ingest and a real redis-server, with a fleet of 300 (issue 45): results
# of windows not begun refused, counted, and the real runner's stored; a
# second, different result of a window counted and shown (the answer,
# status, the audit), a retry not; revoke --take-back; a burst of 30,000
# results held to the fleet's bound with 429 and Retry-After, the other
# regions answered, and push --to losing nothing.  The ingest's clock is
# set (MCP_NOW over FastCGI), so that no step waits for a minute to pass.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ingest-lib.sh
. "$TOP/tests/ingest-lib.sh"

export PATH="$PATH:/usr/sbin"
for t in nginx spawn-fcgi fcgiwrap jq; do
	command -v "$t" >/dev/null || skip_all "$t is not installed (scripts/deps installs it)"
done
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }
start_redis
export MCP_SPOOL=$TMP/spool/aggregate.jsonl
T=$(($(date +%s) / 60 * 60))
INGEST_NOW=$((T + 30))
# The fleet: fl-00001 ... fl-00300, in the ingest's overrides file.
for i in $(seq 300); do
	printf 'fl-%05d https://mcp%d.example/mcp\n' "$i" "$i"
done >"$INGEST_OVERRIDES"
start_ingest fcgi || skip_all "nginx and the ingest did not start"
# gen REGION START [ARGS]: results of the 300 servers from REGION.
gen() { "$TOP/tests/gen-scenario.sh" -s fl -N 300 -q -r "$1" -t "$2" "${@:3}"; }
count() { jq -r "select(.status == \"$1\") | .line" "$2" | wc -l; }
reason() { jq -r "select(.line == $1) | .status + \": \" + .reason" "$2"; }
# pto REGION CLOCK [ARGS]: push --to of REGION's runner, its clock CLOCK.
pto() {
	MCP_NOW=$2 mcp-aggregate push -v --to "$INGEST/ingest/$1" --token-file "$TMP/tok.$1" \
	    --cacert "$INGEST_CA" "${@:3}"
}

# The stolen token: an old one of eu-west-2, still valid; the runner has
# the other.  Each region has its own runner.
token eu-west-2 && mv "$TMP/tok.eu-west-2" "$TMP/tok.stolen"
id_s=$(cut -d. -f1 "$TMP/tok.stolen")
printf 'Authorization: Bearer %s\n' "$(cat "$TMP/tok.stolen")" >"$TMP/auth.stolen"
chmod 600 "$TMP/auth.stolen"
token eu-west-2 && token us-east-1 && token sa-east-1
id_r=$(cut -d. -f1 "$TMP/tok.eu-west-2")
for r in eu-west-2 us-east-1 sa-east-1; do auth_header "$r"; done
S=$TMP/auth.stolen

# ------------------------------------------------------------ windows not begun
# At T + 30: the window of T + 60 begins in 30 s (a runner's clock may be
# that much ahead: later, nothing stored); those of T + 120 to T + 240
# have not begun: refused, counted.
gen eu-west-2 $((T + 60)) -n 4 -f tls >"$TMP/future"
AUTH=$S post eu-west-2 "$TMP/future"
is "$ST:$(count later "$RB"):$(count refused "$RB"):$(count stored "$RB")" 200:300:900:0 \
    "a stolen token's 1,200 results of windows not begun: none stored (300 later, 900 refused)"
like "$(reason 1 "$RB")" "^later: its window begins in 30 s on the ingest's clock: send it again then$" \
    "...the window that begins in 30 s: later, why"
like "$(reason 301 "$RB")" "^refused: probe_started_at [0-9.]+: its window [0-9T:-]+Z has not begun on this host's clock" \
    "...a window further ahead: refused, why"
is "$(rcli hget "mcp:{audit}:count:$((INGEST_NOW / 86400))" "future eu-west-2")" 900 \
    "...the 900 refused are counted (mcp:{audit}:count:DAY)"
is "$(rcli --scan --pattern 'mcp:{fl-*}:rs:*' | wc -l | tr -d ' ')" 0 "...nothing of them in the store"

# The clock at T + 210: the runner's results of T + 60 and T + 120 are
# stored, not answered duplicate.
ingest_clock $((T + 210))
{ gen eu-west-2 $((T + 60)) -n 2; } | pto eu-west-2 $((T + 210)) 2>"$TMP/real.err"
is "$?" 0 "the real runner, once the windows began: exit 0"
like "$(tail -1 "$TMP/real.err")" 'push: 600 results stored, 0 duplicates ignored' \
    "...its 600 results stored, none a duplicate of the stolen token's"
is "$(mcp-aggregate results fl-00007 $((T + 60)) $((T + 120)) | awk '{print $2, substr($4, 1, 1)}' | tr '\n' ' ')" \
    "eu-west-2 h eu-west-2 h " "...healthy, as the runner saw"

# ------------------------------------------------------------ a conflict
# The stolen token writes the window of T and, in the window under way
# (T + 180), 10 servers failing, before the runner: it is the first
# writer (10 of 300 failing in one region is no probe fault: amber).  The
# runner's results of the 10 are kept out, counted and shown, never
# dropped in silence.
{ gen eu-west-2 "$T" -f tls; gen eu-west-2 $((T + 180)) -f tls -N 10; } >"$TMP/forged"
AUTH=$S post eu-west-2 "$TMP/forged"
is "$ST:$(count stored "$RB")" 200:310 "the stolen token writes windows T and T + 180 first: 310 stored"
AUTH=$S post eu-west-2 "$TMP/forged"
is "$ST:$(count duplicate "$RB"):$(count conflict "$RB")" 200:310:0 "...the same again (a retry): duplicates, no conflict"
gen eu-west-2 $((T + 180)) >"$TMP/real180"
post eu-west-2 "$TMP/real180"
is "$ST:$(count conflict "$RB"):$(count stored "$RB")" 200:10:290 "the runner's own results of T + 180: 10 conflicts, 290 stored"
like "$(reason 7 "$RB")" "^conflict: eu-west-2 of fl-00007 already has another result for the window [0-9T:-]+Z: this one is kept out \(the first writer wins\), counted and audited" \
    "...each named in the answer, with why"
like "$(tail -1 "$RB")" '"conflict":10}$' "...counted in the answer's last line"
mcp-aggregate status fl-00007 >/dev/null 2>"$TMP/status.err"
like "$(cat "$TMP/status.err")" "status: eu-west-2: 10 results kept out as conflicts .*, 900 refused for a window not begun" \
    "mcp-aggregate status shows the conflicts and the windows not begun"
is "$(rcli llen "mcp:{audit}:conflict"):$(rcli ttl "mcp:{audit}:conflict" | awk '{print ($1 > 0)}')" 10:1 \
    "the audit trail holds each, and expires"
like "$(rcli lrange "mcp:{audit}:conflict" 0 -1 | grep -F -e " fl-00007 ")" "^[0-9]+ fl-00007 eu-west-2 $((T + 180)) $id_r\$" \
    "...NOW SLUG REGION WINDOW and the writer kept out (the runner's token)"
{ gen us-east-1 "$T"; gen us-east-1 $((T + 180)); } >"$TMP/us"
post us-east-1 "$TMP/us"
is "$ST:$(count stored "$RB")" 200:600 "us-east-1's runner: its results of T and T + 180 stored"

# ------------------------------------------------------------ take back
# Window T is decided (its verdict written); T + 180 is not.  The token
# revoked with --take-back: what it wrote for T + 180 is gone, the
# runner's result kept out in its place, and the verdict decides from the
# real results.
MCP_NOW=$((T + 95)) mcp-aggregate verdict >/dev/null 2>&1
is "$(rcli get mcp:verdict:newest)" "$T" "window T decided"
MCP_NOW=$((T + 210)) mcp-aggregate token revoke --take-back eu-west-2 "$id_s" 2>"$TMP/rev.err"
is "$?" 0 "token revoke --take-back: exit 0"
like "$(cat "$TMP/rev.err")" "token $id_s of eu-west-2: 10 results of windows not yet decided taken back" \
    "...10 results taken back, said"
AUTH=$S post eu-west-2 "$TMP/forged"
is "$ST" 401 "...the token writes no more: 401"
is "$(mcp-aggregate results fl-00007 $((T + 180)) | awk '{print $2, substr($4, 1, 1)}' | sort | tr '\n' ' ')" \
    "eu-west-2 h us-east-1 h " "the forged window T + 180 holds the runner's results, not the stolen token's"
is "$(mcp-aggregate results fl-00007 "$T" | awk '{print $2, substr($4, 1, 1)}' | sort | tr '\n' ' ')" \
    "eu-west-2 b us-east-1 h " "...a decided window is left as it was decided"
MCP_NOW=$((T + 275)) mcp-aggregate verdict >"$TMP/v180" 2>/dev/null
is "$(jq -r .verdict "$TMP/v180" | sort | uniq -c | awk '{print $2, $1}' | tr '\n' ' ')" "green 300 " \
    "the verdict of T + 180 decides from the real results: 300 green"
is "$(rcli ttl "mcp:{fl-00007}:rw:$(((T + 180) / 3600))" | awk '{print ($1 > 0)}')" 1 \
    "...which token wrote each result is kept beside it, and expires"

# ------------------------------------------------------------ the bound
# sa-east-1's token sends 30,000 results at once, in 15 bodies of 2,000.
# The fleet of 300 makes 300 a minute: the bound is twice that and 2,048
# (one request of push --to at its bounds): 2,648.  The first body fits;
# every other is 429 with Retry-After, refused before its body is read.
ingest_clock $((T + 600))
gen sa-east-1 $((T - 5400)) -n 100 | split -l 2000 - "$TMP/flood."
codes=
for f in "$TMP"/flood.*; do
	t0=$EPOCHREALTIME
	post sa-east-1 "$f" -D "$f.h"
	codes="$codes$ST "
	echo "$ST $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')" >>"$TMP/flood.times"
done
diag "a body of 2,000 taken in $(awk '$1 == 200 { print $2 }' "$TMP/flood.times") s; the 14 refused (429) in $(awk '$1 == 429 { n++; s += $2 } END { printf "%.3f s each on average", s / n }' "$TMP/flood.times")"
is "$codes" "200 $(printf '429 %.0s' $(seq 14))" "30,000 results from one token: one body of 2,000 taken, then 429 (2,648 a minute)"
like "$(tr -d '\r' <"$TMP/flood.ab.h" | grep -i '^retry-after:')" '^Retry-After: [0-9]+$' "...with Retry-After"
like "$(jq -r .error "$RB")" '^sa-east-1 sent more than 2648 lines' "...and why"
stored=0
for i in $(seq -f %05g 300); do
	stored=$((stored + $(mcp-aggregate results "fl-$i" $((T - 5400)) $((T + 540)) | grep -c ' sa-east-1 ')))
done
is "$stored" 2000 "...2,000 of the 30,000 stored"
# The token sends 600 more: 2,600 of 2,648 this minute.
head -600 "$TMP/flood.ab" >"$TMP/flood600"
post sa-east-1 "$TMP/flood600"
is "$ST:$(count stored "$RB")" 200:600 "...600 more fit the bound"
gen us-east-1 $((T + 540)) >"$TMP/us540"
post us-east-1 "$TMP/us540"
is "$ST:$(count stored "$RB")" 200:300 "us-east-1 meanwhile: answered and stored, its own bound"
# The region's own runner, in the flooded minute: answered 429, it keeps
# its results in its spool and loses none; the next minute they go.
gen sa-east-1 $((T + 540)) >"$TMP/sa540"
pto sa-east-1 $((T + 600)) --linger 3 <"$TMP/sa540" 2>"$TMP/sa.err"
is "$?" 1 "sa-east-1's runner in the flooded minute: exit 1"
like "$(cat "$TMP/sa.err")" "429, the region's rate" "...told 429"
like "$(cat "$TMP/sa.err")" "300 records for .* kept for the next push" "...its 300 results kept in its spool"
ingest_clock $((T + 660))
pto sa-east-1 $((T + 660)) </dev/null 2>"$TMP/sa.err"
like "$?:$(tail -1 "$TMP/sa.err")" '^0:.*push: 300 results stored, .* 300 replayed from the spool$' \
    "...the next minute: all 300 stored, none lost"
# ------------------------------------------------------------ a region's word
# Through the ingest, a stolen token of a fourth region, ap-south-1,
# reports every server passing with a certificate that expires tomorrow
# and another tool list.  The three honest regions see a certificate of 90
# days and one list.  What the token sends is its region's word: the
# region is set aside as a probe fault, and no server's verdict takes its
# certificate or its list (before, every one of the 300 took tomorrow's
# expiry, which pages P2, and was amber cdn-cache-divergence).
W=$((T + 720))
ingest_clock $((W + 30))
token ap-south-1 && auth_header ap-south-1
for r in us-east-1 eu-west-2 sa-east-1; do
	gen "$r" "$W" -c $((W + 90 * 86400)) >"$TMP/word.$r"
	post "$r" "$TMP/word.$r"
	is "$ST:$(count stored "$RB")" 200:300 "$r's runner: its 300 results of the window, a certificate of 90 days"
done
gen ap-south-1 "$W" -c $((W + 86400)) -h "sha256:$(printf 'b%.0s' $(seq 64))" >"$TMP/word.forged"
post ap-south-1 "$TMP/word.forged"
is "$ST:$(count stored "$RB")" 200:300 "the stolen token of ap-south-1: its 300 results stored, its region's word"
MCP_NOW=$((W + 95)) mcp-aggregate verdict >"$TMP/vword" 2>"$TMP/vword.err"
is "$(jq -r '"\(.verdict) \(.probe_fault | join(",")) \(.divergence) \(.cert_expires_at == '$((W + 90 * 86400))')"' "$TMP/vword" | sort | uniq -c | awk '{$1 = $1} 1')" \
    "300 green ap-south-1 null true" \
    "every server green, ap-south-1 a probe fault, no divergence, the certificate the honest regions see"
done_testing
