#!/usr/bin/env bash
# lists-fleet.t - the fleet's lists bounded (issue 53): forty churning
# registry entries (a hostile publisher's, a new slug each a minute, each
# serving three distinct lists of some 40 KB) pushed through the real push
# into a real Redis sized as mcp-store(7) "Sizing" says for the fleet and
# its bound (MCP_LISTS_MAX 8 MiB, maxmemory 24 MB: the bound, a batch of
# new lists stored before the eviction, and the rest; noeviction) cannot fill
# it: the lists stay within the bound, the registry's evicted first, the
# least recently seen first, an honest slug's list kept; push and status say
# what was evicted; and the honest slug's real outage is a red verdict that
# mcp-alert pages to a webhook receiver (tests/fixtures/receiver.mjs).
# Before the bound the store filled, and verdict printed nothing.  A
# verdict the store refuses (a store filled by hand, no lists in it) is
# still printed, the refusal said, the exit 1.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/aggregate-lib.sh
source "$TOP/tests/aggregate-lib.sh"

command -v node >/dev/null || skip_all "node is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"
start_redis --maxmemory 24mb --maxmemory-policy noeviction
start_receiver
export MCP_SPOOL=$TMP/spool MCP_LISTS_MAX=8M
umask 077
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }
printf 'route hook webhook %s/hook\nnotify P1,P2 always hook\noutage_windows 1\n' "$RECV" >"$TMP/alert.conf"

# The honest slug's list: one small tool list, from three regions.
jq -cn '[{name:"forecast",description:"The forecast for a city"}]' >"$TMP/honest.json"
HH=sha256:$(jq -cS 'sort_by(.name)' "$TMP/honest.json" | tr -d '\n' | sha256sum | cut -c1-64)
# honest K [FAIL]: its records of window K from three regions, with its
# list, or failing at connect with FAIL.
honest() {
	if [ -n "${2:-}" ]; then
		gen -t "$(w "$1")" -r a,b,c -s honest -q -f connect
		return
	fi
	jq -cn --argjson t "$(w "$1")" --arg h "$HH" --slurpfile l "$TMP/honest.json" '
	    ("a", "b", "c") as $r | {v:1,probe_id:"h-\($r)-\($t)",slug:"honest",region:$r,probe_started_at:($t+2.5)} |
	    (. + {type:"step",seq:3,step:"tools_list",status:"pass",ms:5,detail:{tool_count:1,tool_hash:$h,tools:$l[0]},error:null}),
	    (. + {type:"result",url:"https://honest.example.com/mcp",probe_finished_at:($t+2.6),state:"healthy",failed_step:null,posture:"open",transport:"streamable-http",era:"legacy",protocol_version:"2025-11-25",http_status:200,tool_count:1,tool_hash:$h,ms:100})'
}
# reg K: the forty entries of minute K (slugs rK-001 ... rK-040) the
# registry's in the store, as a registry sync would have written them.
reg() {
	local i
	for i in $(seq -f %03g 1 40); do echo "HSET mcp:registry:servers r$1-$i {}"; done | rcli >/dev/null
}
# $TMP/churn/K: their records, three distinct lists of some 40 KB each.
mkdir "$TMP/churn"
mapfile -t starts < <(for k in 0 1 2 3 4 5; do echo "$(w "$k").5"; done)
python3 "$TOP/tests/fixtures/churn-lists.py" "$TMP/churn" 40 40000 "${starts[@]}"

: >"$TMP/push.err"
for k in 0 1 2 3 4 5; do
	reg "$k"
	fail=''
	[ "$k" -lt 5 ] || fail=fail
	{ honest "$k" "$fail"; cat "$TMP/churn/$k"; } |
	    MCP_NOW=$(($(w "$k") + 30)) mcp-aggregate push 2>>"$TMP/push.err" >/dev/null
	echo "push $k: $?" >>"$TMP/push.rc"
done
is "$(sort -u "$TMP/push.rc" | cut -d' ' -f3 | sort -u)" 0 "six minutes of pushes, 240 churning slugs' lists (29 MB): every push exit 0, nothing spooled"
like "$(cat "$TMP/push.err")" '^mcp-aggregate: lists: the fleet.s past its bound of 8388608 bytes \(MCP_LISTS_MAX\): [0-9]+ lists of [0-9]+ slugs evicted \([0-9]+ of them the registry.s\)' \
    "push says on stderr what it evicted, and why"

kept=$(rcli --scan --pattern 'mcp:{*}:ls:*' | sed 's/^/STRLEN /' | rcli | awk '{ s += $1 } END { print s + 0 }')
ok "$([ "$kept" -gt 0 ] && [ "$kept" -le 8388608 ] && echo 0 || echo 1)" "the fleet's lists within the bound: $kept bytes of text kept, at most 8 MiB"
is "$(rcli hget 'mcp:lists:size:{mcp:lists}' '')" "$kept" "the index counts what is kept"
is "$(rcli get "mcp:{honest}:ls:${HH#sha256:}" | jq -r '.[0].name')" forecast "the honest slug's list is kept: the registry's are evicted first"
is "$(rcli exists 'mcp:{r0-001}:lsi' 'mcp:{r1-040}:lsi' 'mcp:{r2-001}:lsi' 'mcp:{r3-020}:lsi'):$(rcli --scan --pattern 'mcp:{r[0-3]-*}:ls:*' | wc -l)" 0:0 \
    "the least recently seen first: the lists of minutes 0 to 3 are gone"
is "$(for i in 001 020 040; do rcli zcard "mcp:{r5-$i}:lsi"; done | tr '\n' ' ')" "3 3 3 " "the latest minute's entries keep their three lists"
st=$(MCP_NOW=$(($(w 5) + 95)) mcp-aggregate status 2>&1 >/dev/null)
like "$st" '^mcp-aggregate: lists: the lists of [0-9]+ slugs evicted past the fleet.s bound of 8388608 bytes \(MCP_LISTS_MAX\), [0-9]+ of them the registry.s, [0-9]+ bytes, the last at 2026-11-24T16:05:.*\(r[45]-0' \
    "status tells the operator what was evicted, the last slugs named"
mem=$(rcli info memory | awk -F: '/^used_memory:/ { print $2 + 0 }')
ok "$([ "$mem" -lt $((16 << 20)) ] && echo 0 || echo 1)" "the store is not full: $mem bytes used, under 16 MB of its 24"

# The honest slug's outage: red, and paged.
v=$(MCP_NOW=$(($(w 5) + 95)) mcp-aggregate verdict 2>"$TMP/v.err")
is "$?" 0 "verdict over the fleet: exit 0"
is "$(jq -r 'select(.slug == "honest") | "\(.verdict) \(.step)"' <<<"$v")" "red connect" "the honest slug's outage is red"
is "$(jq -r .slug <<<"$v" | wc -l)" 241 "a verdict for each of the 241 slugs"
MCP_NOW=$(($(w 5) + 95)) mcp-alert -c "$TMP/alert.conf" <<<"$v" >"$TMP/alert.out" 2>"$TMP/alert.err"
is "$?" 0 "mcp-alert: exit 0"
wait_for 50 grep -q honest "$RECV_LOG"
is "$(jq -r 'select(.path == "/hook") | .body | fromjson | select(.slug == "honest") | "\(.event) \(.severity)"' "$RECV_LOG")" "trigger P1" \
    "the receiver got the honest slug's page"

# A store full all the same (its maxmemory set below what it holds) of
# what is not lists (the lists deleted: with lists, the verdict has them
# evicted and stores, tests/store-full.t): the verdicts are printed, the
# refusal said, exit 1.
rcli --scan --pattern 'mcp:{*}:ls*' | sed 's/^/UNLINK /' | rcli >/dev/null
rcli unlink mcp:lists 'mcp:lists:size:{mcp:lists}' >/dev/null
rcli config set maxmemory $(($(rcli info memory | awk -F: '/^used_memory:/ { print $2 + 0 }') - (1 << 20))) >/dev/null
like "$(rcli set filler x)" '^OOM' "the store full refuses writes"
v=$(MCP_NOW=$(($(w 5) + 95)) mcp-aggregate verdict 2>"$TMP/v.err")
is "$?" 1 "verdict into a full store: exit 1"
is "$(jq -r 'select(.slug == "honest") | .verdict' <<<"$v"):$(jq -r .slug <<<"$v" | wc -l)" "red:241" \
    "every verdict still printed, the honest slug's red"
like "$(cat "$TMP/v.err")" 'verdict: 241 verdicts of window 1795536300 printed but not stored: OOM' \
    "what could not be written is said"

done_testing
