#!/usr/bin/env bash
# store-full.t - the store keeps a reserve the lists cannot take (issue
# 61): forty registry entries serving new lists of 63 KiB at every probe
# (tools, resources, prompts: tests/gen-lists.mjs) beside an honest
# server, pushed through the real push for ten windows into a real
# noeviction Redis of 24 MB and of 40 MB, at the default MCP_LISTS_MAX and
# at 8M (in 24 MB the lists of 180 KiB, a window's batch 21 MB): every push stores its 41 results and spools nothing, every
# verdict is stored, the honest server's outage (windows 5 and 6) is paged
# to a receiver in its window and resolved, the lists are admitted before
# they are written and kept below the store's high-water mark (the index
# counting what is kept), a refusal for memory is paged once by
# mcp-alert's watchdog (mcp-uptime store-full, naming the lists) and
# resolved when the attacker stops, and the store is below its maxmemory.
# Before, the 24 MB store filled in window 2, push spooled from window 3
# and verdict stored nothing (exit 1).
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/aggregate-lib.sh
source "$TOP/tests/aggregate-lib.sh"

command -v node >/dev/null || skip_all "node is not installed"
start_receiver
umask 077
# Ten windows of the forty (hx-00001 ...), thirteen of the honest
# hl-00001 from three regions, down at its http step in windows 5 and 6.
node "$TOP/tests/gen-lists.mjs" --dir "$TMP/hx" --t0 "$T0" --minutes 10 --honest 0 --hostile 40 ||
    skip_all "gen-lists.mjs failed"
for r in eu-west-2 us-east-1 ap-southeast-1; do
	node "$TOP/tests/gen-lists.mjs" --dir "$TMP/hl-$r" --t0 "$T0" --minutes 13 --honest 1 \
	    --down hl-00001:5:6 --region $r
done

# run NAME MAXMEMORY [MCP_LISTS_MAX [KIB]]: the thirteen windows into a
# store of its own; with KIB, the forty's lists of KIB KiB (a window's
# batch 120 of them), made window by window.
run() {
	local d=$TMP/$1 k rc hx=$TMP/hx
	mkdir "$d"
	redis_in "$d" --maxmemory "$2" --maxmemory-policy noeviction
	export MCP_REDIS=unix://$d/redis.sock MCP_SPOOL=$d/spool
	if [ -n "${3:-}" ]; then export MCP_LISTS_MAX=$3; else unset MCP_LISTS_MAX; fi
	printf 'route hook webhook %s/hook/%s\nnotify P1,P2 always hook\noutage_windows 1\n' \
	    "$RECV" "$1" >"$d/alert.conf"
	: >"$d/rc"
	for k in $(seq 0 12); do
		if [ -n "${4:-}" ] && [ "$k" -lt 10 ]; then
			hx=$d/hx
			rm -rf "$hx"
			node "$TOP/tests/gen-lists.mjs" --dir "$hx/g" --t0 "$(w "$k")" --minutes 1 --honest 0 \
			    --hostile 40 --kib "$4" --m0 "$k"
			mv "$hx/g/0.jsonl" "$hx/$k.jsonl"
		fi
		{
		cat "$TMP"/hl-*/"$k.jsonl" "$hx/$k.jsonl" 2>/dev/null || :
		} | MCP_NOW=$(($(w "$k") + 30)) mcp-aggregate push -v 2>>"$d/push.err" >/dev/null
		rc=$?
		MCP_NOW=$(($(w "$k") + 95)) mcp-aggregate verdict >"$d/v$k" 2>>"$d/verdict.err"
		echo "$k $rc $? $(wc -l <"$d/v$k")" >>"$d/rc"
		MCP_NOW=$(($(w "$k") + 95)) mcp-alert -c "$d/alert.conf" <"$d/v$k" >/dev/null 2>>"$d/alert.err"
		echo "$k alert $?" >>"$d/rc"
		[ "$k" != 9 ] || redis-cli -s "$d/redis.sock" info memory >"$d/mem9"
	done
	redis-cli -s "$d/redis.sock" info memory >"$d/mem"
}

# check NAME MAXMEMORY-BYTES: what every store must show.
check() {
	local d=$TMP/$1 kept idx used
	is "$(awk '$2 != "alert" && ($2 != 0 || $3 != 0) { print }' "$d/rc")" "" \
	    "$1: every push and every verdict exit 0"
	is "$(awk '$2 == "alert" && $3 != 0 { print }' "$d/rc")" "" "$1: every mcp-alert run exit 0"
	is "$(awk '$2 != "alert" { print $4 }' "$d/rc" | sort -u | tr '\n' ' ')" "41 " \
	    "$1: a verdict for each of the 41 slugs in every window"
	is "$(grep -o 'push: [0-9]* results stored' "$d/push.err" | awk '{ s += $2 } END { print s }'):$(ls "$d/spool"* 2>/dev/null | wc -l)" \
	    "439:0" "$1: every result stored (400 and 39), nothing spooled"
	is "$(grep -c 'printed but not stored' "$d/verdict.err")" 0 "$1: every verdict stored"
	is "$(mcp-aggregate history hl-00001 2>/dev/null | head -0; redis-cli -s "$d/redis.sock" exists 'mcp:{hx-00040}:verdict' 'mcp:{hl-00001}:verdict')" 2 \
	    "$1: the verdicts are in the store"
	kept=$(redis-cli -s "$d/redis.sock" --scan --pattern 'mcp:{*}:ls:*' | sed 's/^/STRLEN /' |
	    redis-cli -s "$d/redis.sock" | awk '{ s += $1 } END { print s + 0 }')
	idx=$(redis-cli -s "$d/redis.sock" hget 'mcp:lists:size:{mcp:lists}' '')
	ok "$([ "$idx" -ge "$kept" ] && [ "$idx" -le $((kept + kept / 5 + 1)) ] && echo 0 || echo 1)" \
	    "$1: the index counts what is kept, never less ($idx for $kept bytes of text)"
	used=$(awk -F: '/^used_memory:/ { print $2 + 0 }' "$d/mem9")
	ok "$([ "$used" -le $(($2 * 80 / 100)) ] && echo 0 || echo 1)" \
	    "$1: when the attacker stops the store has room: $used of $2 bytes used, 80% at most"
	used=$(awk -F: '/^used_memory_peak:/ { print $2 + 0 }' "$d/mem")
	ok "$([ "$used" -lt "$2" ] && echo 0 || echo 1)" \
	    "$1: nor did it reach its maxmemory at any time: its peak $used bytes (the verdict's reads of lists besides)"
	is "$(jq -r --arg c "$1" 'select(.path == "/hook/\($c)") | .body | fromjson |
	    select(.slug == "hl-00001") | "\(.event) \(.severity)"' "$RECV_LOG" | tr '\n' ' ')" \
	    "trigger P1 resolve P1 " "$1: the honest outage paged and resolved"
}

run small 24mb
run large 40mb
run small8 24mb 8M 180
run large8 40mb 8M
wait_for 100 test "$(grep -c 'hl-00001' "$RECV_LOG")" -ge 8
check small $((24 << 20))
check large $((40 << 20))
check small8 $((24 << 20))
check large8 $((40 << 20))

# Past the mark the lists are refused, said once through the watchdog.
for c in small large; do
	is "$(jq -r --arg c "$c" 'select(.path == "/hook/\($c)") | .body | fromjson |
	    select(.slug == "mcp-uptime") | "\(.event) \(.severity) \(.kind)"' "$RECV_LOG" | tr '\n' ' ')" \
	    "trigger P2 store-full resolve P2 store-full " "$c: the full store paged once by the watchdog, resolved when the attacker stops"
	like "$(jq -r --arg c "$c" 'select(.path == "/hook/\($c)") | .body | fromjson |
	    select(.slug == "mcp-uptime" and .event == "trigger") | .summary' "$RECV_LOG")" \
	    '^the store refuses writes for want of memory since 16:0[0-9] UTC: lists: the lists of [0-9]+ slugs \(hx-0000[0-9].*\), the store past 75% of its maxmemory.*: their new lists wait unread, held for review until a person answers' \
	    "$c: the page names what was refused"
	like "$(cat "$TMP/$c/push.err")" 'lists: the store past its high-water mark \([0-9]+ of [0-9]+ bytes used, 75% of its maxmemory\)' \
	    "$c: push says it on stderr"
	like "$(MCP_REDIS=unix://$TMP/$c/redis.sock MCP_NOW=$(($(w 12) + 95)) mcp-aggregate status 2>&1 >/dev/null)" \
	    'store: lists refused for want of memory, [0-9]+ since 2026-11-24T16:0[0-9]:[0-9]+Z, the last at 2026-11-24T16:09:30Z \(the lists of [0-9]+ slugs' \
	    "$c: and status tells it"
done
# A store past its maxmemory all the same (set below what it holds, the
# small one's lists in it): push, verdict and mcp-alert each have the
# lists evicted (DEL, and a script Redis runs there) and store.
export MCP_REDIS=unix://$TMP/small/redis.sock MCP_SPOOL=$TMP/small/spool
unset MCP_LISTS_MAX
full() {
	redis-cli -s "$TMP/small/redis.sock" config set maxmemory \
	    $(($(redis-cli -s "$TMP/small/redis.sock" info memory | awk -F: '/^used_memory:/ { print $2 + 0 }') - (1 << 20))) >/dev/null
	redis-cli -s "$TMP/small/redis.sock" set filler x
}
for r in eu-west-2 us-east-1 ap-southeast-1; do
	node "$TOP/tests/gen-lists.mjs" --dir "$TMP/down-$r" --t0 "$(w 13)" --minutes 1 --honest 1 \
	    --down hl-00001:0:0 --region $r
done
like "$(full)" '^OOM' "a store past its maxmemory refuses writes"
cat "$TMP"/down-*/0.jsonl | MCP_NOW=$(($(w 13) + 30)) mcp-aggregate push -v 2>"$TMP/small/push13.err" >/dev/null
is "$?:$(ls "$TMP/small/spool"* 2>/dev/null | wc -l)" 0:0 "push into it: exit 0, nothing spooled"
like "$(cat "$TMP/small/push13.err")" 'push: 3 results stored' "...its results stored once the lists made room"
like "$(full)" '^OOM' "the store past its maxmemory again"
MCP_NOW=$(($(w 13) + 95)) mcp-aggregate verdict >"$TMP/small/v13" 2>"$TMP/small/v13.err"
is "$?:$(jq -r 'select(.slug == "hl-00001") | .verdict' "$TMP/small/v13")" 0:red "verdict into it: exit 0, the honest server red"
is "$(redis-cli -s "$TMP/small/redis.sock" get mcp:verdict:newest)" "$(w 13)" "...the verdicts stored"
like "$(full)" '^OOM' "the store past its maxmemory again"
MCP_NOW=$(($(w 13) + 95)) mcp-alert -c "$TMP/small/alert.conf" <"$TMP/small/v13" >/dev/null 2>"$TMP/small/alert13.err"
is "$?" 0 "mcp-alert into it: exit 0"
like "$(cat "$TMP/small/alert13.err")" 'the store refused for memory: the lists of [0-9]+ slugs evicted, tried again' \
    "...said: the lists evicted, tried again"
wait_for 50 test "$(grep -c 'hook/small' "$RECV_LOG")" -ge 8
is "$(jq -r 'select(.path == "/hook/small") | .body | fromjson |
    select(.slug == "hl-00001" and .incident_started_at >= '"$(w 13)"') | "\(.event) \(.severity)"' "$RECV_LOG")" "trigger P1" \
    "...the honest server's new outage paged"
is "$(jq -r 'select(.path == "/hook/small") | .body | fromjson | select(.slug == "mcp-uptime" and .event == "trigger") | .summary' "$RECV_LOG" | tail -1 | grep -o 'alert: mcp-alert.s state and deliveries\|results: [0-9]* results refused' | sort | tr '\n' ' ')" \
    "alert: mcp-alert's state and deliveries results: 3 results refused " \
    "...and the full store paged again, naming the results and mcp-alert's state refused"

# A store full of what is not lists (its maxmemory set below what it
# holds, 256 KiB less, an honest list of 6 KB all it has to evict): the verdict is printed, not stored, and said;
# mcp-alert keeps its state and the page it owes past maxmemory (scripts
# that declare allow-oom), the page delivered, the full store paged; room
# back, the next windows are stored and the resolve paged: no page lost.
mkdir "$TMP/bare"
redis_in "$TMP/bare" --maxmemory 24mb --maxmemory-policy noeviction
export MCP_REDIS=unix://$TMP/bare/redis.sock MCP_SPOOL=$TMP/bare/spool
( umask 077 && printf 'route hook webhook %s/hook/bare\nnotify P1,P2 always hook\noutage_windows 1\n' "$RECV" >"$TMP/bare/alert.conf" )
for r in eu-west-2 us-east-1 ap-southeast-1; do
	node "$TOP/tests/gen-lists.mjs" --dir "$TMP/bare/hl-$r" --t0 "$T0" --minutes 9 --honest 1 \
	    --down hl-00001:5:5 --region "$r"
done
# decide K: push, verdict and mcp-alert of window K; "PUSH VERDICT ALERT" exit statuses.
decide() {
	local a b c
	cat "$TMP"/bare/hl-*/"$1.jsonl" | MCP_NOW=$(($(w "$1") + 30)) mcp-aggregate push 2>>"$TMP/bare/push.err"
	a=$?
	MCP_NOW=$(($(w "$1") + 95)) mcp-aggregate verdict >"$TMP/bare/v$1" 2>>"$TMP/bare/verdict.err"
	b=$?
	MCP_NOW=$(($(w "$1") + 95)) mcp-alert -c "$TMP/bare/alert.conf" <"$TMP/bare/v$1" >/dev/null 2>>"$TMP/bare/alert.err"
	c=$?
	echo "$a $b $c"
}
for k in 0 1 2 3 4; do decide "$k" >/dev/null; done
cat "$TMP"/bare/hl-*/5.jsonl | MCP_NOW=$(($(w 5) + 30)) mcp-aggregate push 2>/dev/null
redis-cli -s "$TMP/bare/redis.sock" config set maxmemory \
    $(($(redis-cli -s "$TMP/bare/redis.sock" info memory | awk -F: '/^used_memory:/ { print $2 + 0 }') - (256 << 10))) >/dev/null
like "$(redis-cli -s "$TMP/bare/redis.sock" set filler x)" '^OOM' \
    "a store past its maxmemory, the honest server's one list all it has to evict"
MCP_NOW=$(($(w 5) + 95)) mcp-aggregate verdict >"$TMP/bare/v5" 2>"$TMP/bare/v5.err"
is "$?:$(jq -r 'select(.slug == "hl-00001") | .verdict' "$TMP/bare/v5")" 1:red \
    "verdict into it: the outage red, printed, not stored (exit 1)"
MCP_NOW=$(($(w 5) + 95)) mcp-alert -c "$TMP/bare/alert.conf" <"$TMP/bare/v5" >/dev/null 2>"$TMP/bare/alert5.err"
is "$?" 0 "mcp-alert into it: exit 0"
like "$(cat "$TMP/bare/alert5.err")" 'the store refused for memory, and holds no lists to evict: its state and pages kept past maxmemory' \
    "...said: its state and pages kept past maxmemory"
wait_for 50 grep -q 'hook/bare' "$RECV_LOG"
wait_for 50 test "$(grep -c 'hook/bare' "$RECV_LOG")" -ge 2
is "$(jq -r 'select(.path == "/hook/bare") | .body | fromjson | "\(.slug) \(.event) \(.severity)"' "$RECV_LOG" | sort | tr '\n' ' ')" \
    "hl-00001 trigger P1 mcp-uptime trigger P2 " "...the outage paged, and the full store"
like "$(jq -r 'select(.path == "/hook/bare") | .body | fromjson | select(.slug == "mcp-uptime") | .summary' "$RECV_LOG")" \
    'refuses writes for want of memory since .*verdicts: 1 verdicts of window 1795536300, printed' \
    "...naming the verdicts refused"
redis-cli -s "$TMP/bare/redis.sock" config set maxmemory 24mb >/dev/null
is "$(for k in 6 7 8; do decide "$k"; done | tr '\n' ' ')" "0 0 0 0 0 0 0 0 0 " "room back: windows 6 to 8 pushed, decided, alerted (exit 0)"
wait_for 50 test "$(grep -c 'hook/bare' "$RECV_LOG")" -ge 4
is "$(jq -r 'select(.path == "/hook/bare") | .body | fromjson | "\(.slug) \(.event)"' "$RECV_LOG" | tr '\n' ' ')" \
    "hl-00001 trigger mcp-uptime trigger hl-00001 resolve mcp-uptime resolve " \
    "...the outage resolved and the full store too: each page once, none lost"

# Through the real probe: the store filled to its mark by windows 0 to
# 2, then window 3 probed, forty churning servers (new lists of 60 KiB at
# every request: tests/fixtures/toolshift.mjs) beside an honest one.
start_toolshift
mkdir "$TMP/probe"
redis_in "$TMP/probe" --maxmemory 24mb --maxmemory-policy noeviction
export MCP_REDIS=unix://$TMP/probe/redis.sock MCP_SPOOL=$TMP/probe/spool
unset MCP_LISTS_MAX
for k in 0 1 2; do
	cat "$TMP"/hl-*/"$k.jsonl" "$TMP/hx/$k.jsonl" |
	    MCP_NOW=$(($(w "$k") + 30)) mcp-aggregate push 2>/dev/null
done
{
	echo "hl-00001 $TS/v/v1/mcp"
	for i in $(seq -f %02g 1 40); do echo "ts-$i $TS/v/churn/mcp?kb=60&s=$i"; done
} >"$TMP/probe/targets"
MCP_NOW=$(($(w 3) + 1)) mcp-probe -r eu-west-2 -t 10 --list-max 200k -f "$TMP/probe/targets" \
    >"$TMP/probe/out" 2>"$TMP/probe/probe.err"
is "$(jq -r 'select(.type == "result") | .state' "$TMP/probe/out" | sort | uniq -c | awk '{ print $1, $2 }')" "41 healthy" \
    "the real probe: 41 servers probed, healthy, the forty with new lists of 60 KiB"
MCP_NOW=$(($(w 3) + 30)) mcp-aggregate push -v <"$TMP/probe/out" 2>"$TMP/probe/push.err" >/dev/null
is "$?" 0 "push of the probe's output into the store at its mark: exit 0"
like "$(cat "$TMP/probe/push.err")" 'push: 41 results stored, .*, 0 spooled, .*; 4[0-9] lists stored' \
    "every result stored, nothing spooled, the new lists stored"
like "$(cat "$TMP/probe/push.err")" 'lists: the store past its high-water mark \([0-9]+ of 25165824 bytes used, 75% of its maxmemory\): [0-9]+ lists of [0-9]+ slugs evicted' \
    "...the lists seen least recently evicted to make room, before they were written"
used=$(redis-cli -s "$TMP/probe/redis.sock" info memory | awk -F: '/^used_memory:/ { print $2 + 0 }')
ok "$([ "$used" -le $(((24 << 20) * 80 / 100)) ] && echo 0 || echo 1)" "the store has room: $used bytes used of 24 MB, 80% at most"
v=$(MCP_NOW=$(($(w 3) + 95)) mcp-aggregate verdict 2>"$TMP/probe/v.err")
is "$?:$(jq -r 'select(.slug | startswith("ts-")) | .verdict' <<<"$v" 2>/dev/null | sort | uniq -c | awk '{ print $1, $2 }')" \
    "0:40 green" "the verdicts stored (exit 0), the forty green"

# Seen in the same second: the forty's lists of window 0 stored, the
# store set just past its mark, then the honest server's list of the same
# second admitted.  The forty's are taken out for it, not the list being
# written, whose name sorts first (before, hl-00001 refused and paged).
mkdir "$TMP/tie"
redis_in "$TMP/tie" --maxmemory 24mb --maxmemory-policy noeviction
export MCP_REDIS=unix://$TMP/tie/redis.sock MCP_SPOOL=$TMP/tie/spool
MCP_NOW=$(($(w 0) + 30)) mcp-aggregate push <"$TMP/hx/0.jsonl" 2>/dev/null
used=$(redis-cli -s "$TMP/tie/redis.sock" info memory | awk -F: '/^used_memory:/ { print $2 + 0 }')
redis-cli -s "$TMP/tie/redis.sock" config set maxmemory $((used * 100 / 75 - (16 << 10))) >/dev/null
MCP_NOW=$(($(w 0) + 30)) mcp-aggregate push -v <"$TMP/hl-eu-west-2/0.jsonl" 2>"$TMP/tie/push.err" >/dev/null
is "$?:$(redis-cli -s "$TMP/tie/redis.sock" exists mcp:store:full)" 0:0 \
    "a list admitted past the mark, in the second the forty's were: exit 0, nothing refused"
is "$(redis-cli -s "$TMP/tie/redis.sock" zcard 'mcp:{hl-00001}:lsi'):$(redis-cli -s "$TMP/tie/redis.sock" zscore mcp:lists hx-00001)" 1: \
    "...its list stored, the first of the forty's taken out for it"
like "$(cat "$TMP/tie/push.err")" 'lists: the store past its high-water mark .*: [0-9]+ lists of [1-9][0-9]* slugs evicted' \
    "...and said"

# At 8M the bound governs: nothing refused for memory, nothing paged for it.
is "$(jq -r 'select(.path | test("/(small|large)8$")) | .body | fromjson | select(.slug == "mcp-uptime") | .kind' "$RECV_LOG")" "" \
    "8M: the bound keeps the lists below the mark, no store-full page"

done_testing
