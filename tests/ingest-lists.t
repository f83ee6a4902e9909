#!/usr/bin/env bash
# test: long (a minute or so under load: started before the rest)
# ingest-lists.t - results first, always (issue 53): an honest fleet of
# 300 servers serving lists of some 6 KB, and 3 hostile ones serving
# three lists of 63 KiB new every minute, through push --to, real nginx
# with TLS, the real ingest and a real redis-server, for an hour of
# minutes (MCP_NOW: the runner's clock, which the ingest takes as its
# own here through X-Runner-Clock).  Every result is stored in its
# minute, an honest server's outage is red in its windows, the honest
# lists cross once, the spool holds results only, and a list sent on its
# own is taken only when the store lacks it for a result of the region.
# The probe output is made by tests/gen-lists.mjs (what mcp-probe
# --list-max prints, the lists hashed as the probe hashes them), not by
# probing 303 servers 60 times.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ingest-lib.sh
. "$TOP/tests/ingest-lib.sh"

export PATH="$PATH:/usr/sbin"
for t in nginx spawn-fcgi fcgiwrap jq node; do
	command -v "$t" >/dev/null || skip_all "$t is not installed (scripts/deps installs it)"
done
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }
start_redis
export MCP_SPOOL=$TMP/spool/aggregate.jsonl
T=$(($(date +%s) / 60 * 60 - 7200))
R=eu-west-2
{
	for i in $(seq 300); do printf 'hl-%05d https://hl-%05d.example/mcp\n' "$i" "$i"; done
	for i in 1 2 3; do printf 'hx-%05d https://hx-%05d.example/mcp\n' "$i" "$i"; done
} >"$INGEST_OVERRIDES"
# The ingest's clock is the runner's (its X-Runner-Clock header).
INGEST_NOW='$http_x_runner_clock'
start_ingest fcgi || skip_all "nginx and the ingest did not start"
token $R && auth_header $R
G=$TMP/gen
# An hour of minutes; 15 under the sanitizers (the outage is minutes 8 to 12), three times slower.
M=60
! grep -q __asan_init "$BIN/mcp-aggregate" || M=15
node "$TOP/tests/gen-lists.mjs" --dir "$G" --t0 "$T" --minutes $M --honest 300 --hostile 3 \
    --region $R --down hl-00007:8:12 || { ok 1 "gen-lists.mjs runs"; done_testing; }
# pto MINUTE [ARGS]: the runner's push --to of a minute's probes, its clock
# at the minute's 55th second.
pto() {
	MCP_NOW=$((T + 60 * $1 + 55)) mcp-aggregate push -v --linger 0 --to "$INGEST/ingest/$R" \
	    --token-file "$TMP/tok.$R" --cacert "$INGEST_CA" "${@:2}" <"$G/$1.jsonl"
}
stored() { sed -n 's/.*push: \([0-9]*\) results stored.*/\1/p' "$1"; }
sent() { sed -n 's/.*push: lists: \([0-9]*\) sent.*/\1/p' "$1"; }
bytes() { awk -v a="$1" -v b="$2" '$1 >= a && $1 < b { n += $4 } END { print n + 0 }' "$INGEST_DIR/bytes.log"; }

# ------------------------------------------------------------ an hour of minutes
late='' lists='' spooled=0
for m in $(seq 0 $((M - 1))); do
	pto "$m" 2>"$TMP/push.$m"
	n=$(stored "$TMP/push.$m")
	[ "${n:-0}" = 303 ] || late="$late $m:${n:-0}"
	[ "$m" = 0 ] || lists="$lists$(sent "$TMP/push.$m") "
	spooled=$((spooled + $(cat "$TMP"/spool/aggregate.*.jsonl 2>/dev/null | wc -l)))
done
is "${late:- none}" " none" "303 servers, $M minutes through the ingest: every minute's 303 results stored in that minute (late minutes:count)"
is "$spooled" 0 "...nothing ever left in the spool"
like "$(cat "$TMP/push.0")" 'push: lists: 309 sent, 309 stored' \
    "the first minute: each list the store lacks sent once (300 honest, 9 hostile)"
is "$(echo "$lists" | tr ' ' '\n' | sort -u | tr '\n' ' ')" " 9 " \
    "...then only the hostile servers' 9 new lists a minute: no honest list crosses again"
b0=$(bytes "$T" $((T + 60))) b1=$(($(bytes $((T + 60)) $((T + 60 * M))) / (M - 1)))
diag "bytes nginx received: $b0 in the first minute, $b1 a minute after"
ok "$([ "$b1" -lt $((b0 / 2)) ] && echo 0 || echo 1)" \
    "...the bytes a minute after the first, results and the hostile lists, less than half the first's ($b1 of $b0)"

# The outage of hl-00007, minutes 8 to 12: red in those windows, green
# around them, each told in its minute.
verdict_at() { MCP_NOW=$((T + 60 * $1 + 58)) mcp-aggregate verdict hl-00007 | jq -r .verdict; }
is "$(verdict_at 7) $(verdict_at 9) $(verdict_at 12) $(verdict_at 14)" "green red red green" \
    "hl-00007's outage beside the hostile lists: red in its windows, green before and after"
is "$(mcp-aggregate results hl-00007 "$T" $((T + 60 * M - 60)) | awk '{print substr($4, 1, 1)}' | tr -d '\n')" \
    "$(printf 'h%.0s' $(seq 8))$(printf 'b%.0s' $(seq 5))$(printf 'h%.0s' $(seq $((M - 13))))" \
    "...its $M results each in its window: 8 healthy, 5 broken, $((M - 13)) healthy"
like "$(mcp-aggregate tools hl-00007 2>&1)" 'tool_00' "the honest lists kept in the store (mcp-aggregate tools)"

# ------------------------------------------------------------ the spool
# The door down: the spool holds the minute's results, and only them.
stop_ingest
node "$TOP/tests/gen-lists.mjs" --dir "$G/next" --t0 $((T + 60 * M)) --minutes 2 --honest 300 \
    --hostile 3 --region $R || { ok 1 "gen-lists.mjs runs"; done_testing; }
mv "$G/next/0.jsonl" "$G/$M.jsonl" && mv "$G/next/1.jsonl" "$G/$((M + 1)).jsonl"
pto $M 2>"$TMP/down.err"
is "$?" 1 "push --to with the door down: exit 1"
spool=$(ls "$TMP"/spool/aggregate.*.jsonl)
is "$(jq -r .type "$spool" | sort | uniq -c | awk '{print $1, $2}')" "303 result" \
    "...the spool holds the 303 results, no step record and no list"
restart_ingest
pto $((M + 1)) 2>"$TMP/up.err"
like "$?:$(tail -1 "$TMP/up.err")" '^0:.*push: 606 results stored, .* 303 replayed from the spool$' \
    "the door back: the spool's results first, then the minute's, all stored"
is "$(wc -c <"$spool")" 0 "...the spool emptied"

# ------------------------------------------------------------ lists sent on their own
# A list is taken only when the ingest said the store lacks it for a
# result of the region, and only when it hashes to its hash.
h=$(jq -r 'select(.type == "step" and .step == "tools_list") | .detail.tool_hash' "$G/$((M + 1)).jsonl" | head -1)
l=$(jq -c 'select(.type == "step" and .step == "tools_list") | .detail.tools' "$G/$((M + 1)).jsonl" | head -1)
printf '{"v":1,"type":"list","region":"%s","slug":"hl-00001","kind":"tools","hash":"%s","list":%s}\n' $R "$h" "$l" >"$TMP/l1"
post $R "$TMP/l1" --url-query lists
is "$ST:$(jq -r 'select(.line) | .status + ": " + .reason' "$RB")" \
    "200:refused: not a list the ingest said the store lacks for a result of $R (in the last 900 s)" \
    "a list the store holds, sent again: refused"
printf '{"v":1,"type":"list","region":"%s","slug":"hl-00002","kind":"tools","hash":"sha256:%064d","list":%s}\n' $R 0 "$l" >"$TMP/l2"
post $R "$TMP/l2" --url-query lists
is "$(jq -r 'select(.line) | .status + ": " + .reason' "$RB")" "refused: list: it does not hash to its hash" \
    "a list that does not hash to its hash: refused"

# An older runner's body (steps with their lists beside the results): its
# results stored, its lists kept, their bytes charged to the lists.
rcli --scan --pattern 'mcp:{hl-0001?}:*' | xargs redis-cli -s "$REDIS_SOCK" del >/dev/null
grep -E '"slug":"hl-0001[0-9]"' "$G/$((M + 1)).jsonl" >"$TMP/old"
post $R "$TMP/old"
is "$ST:$(jq -r .stored "$RB" | tail -1):$(jq -r .checked "$RB" | tail -1)" 200:10:10 \
    "an older runner's body, steps and lists with the results: 10 stored, 10 steps checked"
is "$(rcli --scan --pattern 'mcp:{hl-0001?}:ls:*' | wc -l)" 10 "...the 10 lists its steps carried kept"
# The same past the lists' budget (2 MiB a minute here): 13 hostile
# steps of 190 KB, their lists not kept, unread; every result stored.
sed -i 's|fastcgi_param MCP_INGEST_OVERRIDES|fastcgi_param MCP_INGEST_LISTS 2097152;\n&|' "$INGEST_DIR/nginx.conf"
for i in $(seq 4 13); do printf 'hx-%05d https://hx-%05d.example/mcp\n' "$i" "$i"; done >>"$INGEST_OVERRIDES"
restart_ingest
node "$TOP/tests/gen-lists.mjs" --dir "$G/old" --t0 $((T + 60 * M + 120)) --minutes 1 --honest 10 \
    --hostile 13 --region $R || { ok 1 "gen-lists.mjs runs"; done_testing; }
post $R "$G/old/0.jsonl" -H "X-Runner-Clock: $((T + 60 * M + 175))"
is "$ST:$(tail -1 "$RB" | jq -c '[.stored, .checked, .refused, .later]')" "200:[23,23,0,0]" \
    "an older runner's body past the lists' budget: its 23 results stored, its 23 steps checked"
like "$(cat "$INGEST_LOG" "$INGEST_ERR")" "$R: [0-9]+ bytes of tools_list steps over the region's lists a minute: their lists not kept" \
    "...and the ingest's log says so"
is "$(rcli --scan --pattern 'mcp:{hx-0001?}:ls:*' | wc -l)" 0 "...none of their lists kept"

# No token in any log.
ok "$(grep -lF "$(cut -d. -f2 "$TMP/tok.$R")" "$INGEST_LOG" "$INGEST_ERR" "$TMP"/push.* >/dev/null && echo 1 || echo 0)" \
    "no token in the logs"
done_testing
