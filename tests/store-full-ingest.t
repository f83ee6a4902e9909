#!/usr/bin/env bash
# store-full-ingest.t - the reserve the lists cannot take, through the
# ingest (issue 61): forty entries serving new lists of 63 KiB at every
# probe (tests/gen-lists.mjs) beside an honest server, ten windows sent
# by push --to through real nginx with TLS and the real ingest into a
# noeviction redis-server of 24 MB at the default MCP_LISTS_MAX, the
# verdict and mcp-alert run as the deciding host runs them: every result
# stored in its window and nothing spooled, every verdict stored, the
# honest server's outage paged and resolved, the lists sent on their own
# admitted one by one before they are written against the store's
# high-water mark (the least recently seen evicted for them), the index
# counting what is kept, and the store's peak below its maxmemory.
# Before, the store filled in the third window (its peak 28 MB).
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
start_redis --maxmemory 24mb --maxmemory-policy noeviction
start_receiver
export MCP_SPOOL=$TMP/spool/aggregate.jsonl
T=$(($(date +%s) / 60 * 60 - 7200))
REGIONS="eu-west-2 us-east-1 ap-southeast-1"
{
	echo "hl-00001 https://hl-00001.example/mcp"
	for i in $(seq -f %05g 1 40); do echo "hx-$i https://hx-$i.example/mcp"; done
} >"$INGEST_OVERRIDES"
INGEST_NOW='$http_x_runner_clock'
start_ingest fcgi || skip_all "nginx and the ingest did not start"
# Thirteen minutes in seconds: nginx's limit a client (20 requests a
# second) would answer the lists' requests 429 before the store is the
# point; the limit raised.
sed -i 's|rate=20r/s|rate=2000r/s|; s|burst=40 |burst=2000 |' "$INGEST_DIR/nginx.conf"
restart_ingest
for r in $REGIONS; do token "$r"; done
node "$TOP/tests/gen-lists.mjs" --dir "$TMP/hx" --t0 "$T" --minutes 10 --honest 0 --hostile 40 \
    --region eu-west-2 || skip_all "gen-lists.mjs failed"
for r in $REGIONS; do
	node "$TOP/tests/gen-lists.mjs" --dir "$TMP/hl-$r" --t0 "$T" --minutes 13 --honest 1 \
	    --down hl-00001:5:6 --region "$r"
done
( umask 077 && printf 'route hook webhook %s/hook\nnotify P1,P2 always hook\noutage_windows 1\n' "$RECV" >"$TMP/alert.conf" )

: >"$TMP/rc"
for k in $(seq 0 12); do
	for r in $REGIONS; do
		{
			cat "$TMP/hl-$r/$k.jsonl"
			[ "$r" != eu-west-2 ] || [ ! -e "$TMP/hx/$k.jsonl" ] || cat "$TMP/hx/$k.jsonl"
		} | MCP_NOW=$((T + 60 * k + 55)) mcp-aggregate push -v --linger 0 --to "$INGEST/ingest/$r" \
		    --token-file "$TMP/tok.$r" --cacert "$INGEST_CA" 2>>"$TMP/push.$r" >/dev/null
		echo "push $k $r $?" >>"$TMP/rc"
	done
	MCP_NOW=$((T + 60 * k + 95)) mcp-aggregate verdict >"$TMP/v$k" 2>>"$TMP/verdict.err"
	echo "verdict $k $? $(wc -l <"$TMP/v$k")" >>"$TMP/rc"
	MCP_NOW=$((T + 60 * k + 95)) mcp-alert -c "$TMP/alert.conf" <"$TMP/v$k" >/dev/null 2>>"$TMP/alert.err"
	echo "alert $k $?" >>"$TMP/rc"
done
is "$(awk '$1 == "push" && $4 != 0' "$TMP/rc")" "" "thirteen windows of push --to from three regions: every one exit 0"
is "$(cat "$TMP"/push.* | grep -o 'push: [0-9]* results stored' | awk '{ s += $2 } END { print s }'):$(cat "$TMP"/spool/aggregate.*.jsonl 2>/dev/null | wc -l)" \
    439:0 "every result stored (400 and 39), nothing left in the spool"
is "$(awk '$1 == "verdict" && ($3 != 0 || $4 != 41)' "$TMP/rc"):$(grep -c 'not stored' "$TMP/verdict.err")" ":0" \
    "every verdict pass exit 0, 41 verdicts each, all stored"
is "$(awk '$1 == "alert" && $3 != 0' "$TMP/rc")" "" "every mcp-alert run exit 0"
wait_for 100 test "$(grep -c 'hl-00001' "$RECV_LOG")" -ge 2
is "$(jq -r '.body | fromjson | select(.slug == "hl-00001") | "\(.event) \(.severity)"' "$RECV_LOG" | tr '\n' ' ')" \
    "trigger P1 resolve P1 " "the honest outage paged and resolved"
# One list a request, each admitted alone: the lists seen least recently
# make room for it, and none is refused.
ok "$([ "$(rcli hget 'mcp:lists:count:{mcp:lists}' slugs)" -gt 0 ] && echo 0 || echo 1)" \
    "the ingest's lists admitted against the store's mark: the least recently seen evicted ($(rcli hget 'mcp:lists:count:{mcp:lists}' slugs) slugs)"
n=$(rcli zcard 'mcp:{hx-00040}:lsi')
ok "$([ "$n" -ge 3 ] && [ "$(rcli exists mcp:store:full)" = 0 ] && echo 0 || echo 1)" \
    "...the latest seen keeps its latest lists ($n), nothing refused for memory"
is "$(jq -r '.body | fromjson | select(.slug == "mcp-uptime") | .kind' "$RECV_LOG")" "" \
    "...so nothing paged for it"
kept=$(rcli --scan --pattern 'mcp:{*}:ls:*' | sed 's/^/STRLEN /' | rcli | awk '{ s += $1 } END { print s + 0 }')
idx=$(rcli hget 'mcp:lists:size:{mcp:lists}' '')
ok "$([ "$idx" -ge "$kept" ] && [ "$idx" -le $((kept + kept / 5 + 1)) ] && echo 0 || echo 1)" \
    "the index counts what is kept, never less ($idx for $kept bytes of text)"
peak=$(rcli info memory | awk -F: '/^used_memory_peak:/ { print $2 + 0 }')
ok "$([ "$peak" -lt $((24 << 20)) ] && echo 0 || echo 1)" "the store never reached its maxmemory: its peak $peak bytes"

done_testing
