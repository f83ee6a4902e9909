#!/usr/bin/env bash
# days.t - the days before yesterday folded (mcp-store(7): day:DAY, days,
# tally, up), over a real redis-server filled by the real push and verdict
# (MCP_NOW) in October 2026.
#
# Each day of the slug "days280" is first written whole in the layout of
# day:DAY (480 bytes, three windows a byte, base 6), its window 00:00 left
# undecided: runs of every digit (maintenance too) and of the lengths the
# fold codes apart (1-4, 39-42, 295-298, 1,439), a green day, a day in
# maintenance, a flapping day, a day of short random runs.  Then the real
# verdict decides each day's 00:00 (counting the day whole into the tally),
# and folds the days before yesterday into mcp:{days280}:days: a slug's
# days are folded in the minutes from its own minute of the day (FNV-1a of
# its name mod 1,440, aggregate/verdict.c), and the slugs here (days280,
# old225, vd43) are named so that theirs is 00:00 (23:57 to 00:00).  Checked: the raw keys gone, each fold read back by a
# decoder written from mcp-store(7) alone equal to the day written, the
# sizes, a back-fill into a folded day (its old letter read from the fold,
# the tally and red moved once), and that every reader gives the same
# answer from the fold as from the same days raw (the store copied with
# each fold unfolded into day:DAY again, the layout of before): the
# verdict's uptime_30d, the report of the month, the status page's bars
# and the registry audit of the period.  A store of before (day:DAY for
# every day, up) is then decided on by this build, and up is read for the
# days its tally lacks.  With MCP_BEFORE=DIR (the build of before), the
# same days are also decided by DIR's push and verdict: its answers are
# the golden ones, and its store is folded by this build's next day.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/aggregate-lib.sh"

command -v redis-server >/dev/null || skip_all "redis-server is not installed"
start_redis
export MCP_SPOOL=$TMP/spool
rc() { redis-cli -s "$REDIS_SOCK" "$@"; }
D0=20727 # 2026-10-01
NOW=$(((D0 + 9) * 86400 + 3600))
BEFORE=${MCP_BEFORE:-}
[ -z "$BEFORE" ] || [ -x "$BEFORE/mcp-aggregate" ] || BEFORE=

# spec K: the runs "DIGIT:LENGTH ..." of day K, window 0 undecided first.
spec() {
	case $1 in
	0) echo "0:1 1:1 2:2 3:3 4:4 5:39 0:40 1:41 2:42 3:295 4:296 5:297 1:298" ;;
	1) echo "0:1 1:1439" ;;
	2) echo "0:1 5:1439" ;;
	3) echo "0:1" "$(for _ in $(seq 719); do printf '1:1 2:1 '; done)" "1:1" ;;
	4) echo "0:1 1:700 3:1 1:300" ;;
	5) echo "0:1" "$(awk 'BEGIN { srand(5); for (n = 1; n < 1440; n += l) {
	    l = 1 + int(rand() * 7); if (n + l > 1440) l = 1440 - n
	    printf "%d:%d ", int(rand() * 6), l } }')" ;;
	esac
}
# The days of mcp-store(7) read by the test's own Lua, not the tools':
# runs(f) the digits of a day's fold (480 packed bytes, or runs), t[0] to
# t[1439]; packed(t) those digits as day:DAY holds them, three a byte.
days_lua='local function runs(f)
    local t, p, k = {}, 0, 1
    if #f == 480 then
      for j = 1, 480 do
        local b = string.byte(f, j)
        t[p], t[p + 1], t[p + 2], p = b % 6, math.floor(b / 6) % 6, math.floor(b / 36), p + 3
      end
      return t
    end
    while k <= #f do
      local b = string.byte(f, k)
      local d, r = b % 6, math.floor(b / 6)
      if r < 40 then r, k = r + 1, k + 1
      elseif r == 40 then r, k = 41 + string.byte(f, k + 1), k + 2
      else r, k = string.byte(f, k + 1) * 256 + string.byte(f, k + 2), k + 3 end
      for _ = 1, r do t[p] = d; p = p + 1 end
    end
    return t
  end
  local function packed(t)
    local s = {}
    for i = 0, 479 do s[i + 1] = string.char((t[3 * i] or 0) + 6 * (t[3 * i + 1] or 0) + 36 * (t[3 * i + 2] or 0)) end
    return table.concat(s)
  end
'
# The packing of mcp-store(7): KEYS[1] set (TTL ARGV[1]) to the runs of ARGV[2].
pack_lua=$days_lua'local t, p = {}, 0
  for d, n in string.gmatch(ARGV[2], "(%d):(%d+)") do
    for _ = 1, tonumber(n) do t[p] = tonumber(d); p = p + 1 end
  end
  return redis.call("SET", KEYS[1], packed(t), "EX", ARGV[1])'
# A decoder of the key days written from mcp-store(7): KEYS[1] days, ARGV
# the day: its fold as the 1,440 digits, "" for none; "len N" first.
unfold_lua=$days_lua'local s, want, i = redis.call("GET", KEYS[1]) or "", tonumber(ARGV[1]) % 65536, 1
  while i + 3 <= #s do
    local tag = string.byte(s, i) * 256 + string.byte(s, i + 1)
    local len = string.byte(s, i + 2) * 256 + string.byte(s, i + 3)
    if tag == want then
      local t, out = runs(string.sub(s, i + 4, i + 3 + len)), {}
      for j = 0, 1439 do out[j + 1] = t[j] or 0 end
      return "len " .. len .. " " .. table.concat(out)
    end
    i = i + 4 + len
  end
  return ""'
# digits K: the 1,440 digits spec K gives, window 0 green.
digits() { spec "$1" | tr ' ' '\n' | awk -F: 'NF == 2 { for (i = 0; i < $2; i++) printf "%s", $1 }
    END { printf "\n" }' | awk '{ s = "1" substr($0, 2); while (length(s) < 1440) s = s "0"; print s }'; }
# The window W of day K and position P, its probes from every region.
at() { echo $(((D0 + $1) * 86400 + 60 * $2)); }
probes() { "$TOP/tests/gen-scenario.sh" -q -s "$1" -t "$(at "$2" "$3")" -r "$ALL" -n 1 ${4:+-f "$4"}; }
# decide AGG URL SLUG K P [STEP [REGIONS]]: push and decide window P of
# day K, the REGIONS (all by default) failing at STEP.
decide() {
	{
		if [ -n "${6:-}" ]; then
			"$TOP/tests/gen-scenario.sh" -q -s "$3" -t "$(at "$4" "$5")" -r "${7:-$ALL}" -n 1 -f "$6"
			[ -z "${7:-}" ] || "$TOP/tests/gen-scenario.sh" -q -s "$3" -t "$(at "$4" "$5")" \
			    -r "$(echo "$ALL" | tr ' ' '\n' | grep -vx "$7" | paste -sd,)" -n 1
		else
			probes "$3" "$4" "$5"
		fi
	} | MCP_NOW=$(($(at "$4" "$5") + 1)) "$1" push -R "$2"
	MCP_NOW=$(($(at "$4" "$5") + 95)) "$1" verdict -R "$2" "$3"
}
# fill AGG URL SLUG K...: each day K written whole, then its 00:00 decided.
fill() {
	local agg=$1 url=$2 slug=$3 k
	shift 3
	for k in "$@"; do
		rcu "$url" EVAL "$pack_lua" 1 "mcp:{$slug}:day:$((D0 + k))" 2678400 "$(spec "$k")" >/dev/null
		decide "$agg" "$url" "$slug" "$k" 0 | jq -c '[.window, .verdict, .uptime_30d]'
	done
}
# rcu URL ARGS: redis-cli on the database of URL (unix://SOCK?db=N).
rcu() {
	local db=${1##*db=}
	[ "$db" != "$1" ] || db=0
	shift
	redis-cli -s "$REDIS_SOCK" -n "$db" "$@"
}
S1=unix://$REDIS_SOCK
S2="unix://$REDIS_SOCK?db=2"

# ------------------------------------------------------------ the fold
fill mcp-aggregate "$S1" days280 0 1 2 3 4 5 >"$TMP/v1"
decide mcp-aggregate "$S1" days280 7 0 | jq -c '[.window, .verdict, .uptime_30d]' >>"$TMP/v1"
rc get 'mcp:{days280}:days' | md5sum >"$TMP/days1.md5"
is "$(cat "$TMP/v1" | tr '\n' ' ')" "[$(at 0 0),\"green\",100] [$(at 1 0),\"green\",56.43] \
[$(at 2 0),\"green\",85.97] [$(at 3 0),\"green\",85.98] [$(at 4 0),\"green\",91.64] \
[$(at 5 0),\"green\",93.45] [$(at 7 0),\"green\",89.93] " "the verdicts of each day's 00:00, uptime_30d from the tally"
is "$(for k in 0 1 2 3 4 5 6 7; do rc exists "mcp:{days280}:day:$((D0 + k))"; done | tr -d '\n')" 00000001 \
    "the verdict of the slug's minute folds the days before yesterday: day:DAY of today alone"
is "$(rc type 'mcp:{days280}:days')" string "the folds: one string"
ttl=$(rc ttl 'mcp:{days280}:days')
ok "$([ "$ttl" -gt $((31 * 86400 - 600)) ] && [ "$ttl" -le $((31 * 86400)) ]; echo $?)" "days: TTL 31 days ($ttl s)"
lens=
for k in 0 1 2 3 4 5; do
	got=$(rc EVAL "$unfold_lua" 1 'mcp:{days280}:days' $((D0 + k)))
	is "${got#len * }" "$(digits "$k")" "day $k read back from its fold, window by window"
	lens="$lens$(echo "$got" | cut -d' ' -f2) "
done
is "$(echo "$lens" | cut -d' ' -f1-5)" "20 3 4 480 7" \
    "sizes: a green day 3 bytes, in maintenance 4, flapping 480 (the day packed), runs of every length 20 ($(echo "$lens" | cut -d' ' -f6) for day 5's random runs)"
ok "$(awk -v n="$(rc strlen 'mcp:{days280}:days')" -v l="$lens" 'BEGIN { split(l, a, " "); s = 0
    for (i in a) s += a[i] + 4; exit !(n == s) }'; echo $?)" "the key is its six records and nothing more"

# ------------------------------------------------------------ back-fill
# Day 4's red window 701, decided again green: its old letter is the fold's.
tally4() { rcu "$1" GETRANGE 'mcp:{days280}:tally' $((((D0 + 4) % 400) * 12)) $((((D0 + 4) % 400) * 12 + 11)) | od -An -tu2 --endian=big | xargs; }
before=$(tally4 "$S1")
decide mcp-aggregate "$S1" days280 4 701 | jq -c '[.window, .verdict]' >"$TMP/bf"
is "$(cat "$TMP/bf")" "[$(at 4 701),\"green\"]" "a window of a folded day decided again (a back-fill)"
got=$(rc EVAL "$unfold_lua" 1 'mcp:{days280}:days' $((D0 + 4)))
want=$(digits 4)
is "${got#len * }" "${want:0:701}1${want:702}" "the fold holds its new letter, the others kept"
is "$(rc exists "mcp:{days280}:day:$((D0 + 4))")" 0 "no day:DAY made again for it"
is "$(tally4 "$S1")" "$(echo "$before" | awk '{ $2 = $2 + 1; $4 = $4 - 1; print }')" \
    "the tally moved once: one green more, one red less"
is "$(rc hget 'mcp:{days280}:red' $((D0 + 4)))" "" "red: the day's incident gone"

# ------------------------------------------------------------ the readers
# The same store in the layout of before: every key copied into S2, each
# fold unfolded into its day:DAY again (mcp-store(7)'s layout, written by
# the test), no days.
unfold_all_lua=$days_lua'local s, i = redis.call("GET", KEYS[1]) or "", 1
  while i + 3 <= #s do
    local day = string.byte(s, i) * 256 + string.byte(s, i + 1)
    local len = string.byte(s, i + 2) * 256 + string.byte(s, i + 3)
    local f = string.sub(s, i + 4, i + 3 + len)
    redis.call("SET", ARGV[1] .. day, len == 480 and f or packed(runs(f)), "EX", 2678400)
    i = i + 4 + len
  end
  return redis.call("DEL", KEYS[1])'
rc --scan | while read -r k; do rc COPY "$k" "$k" DB 2 >/dev/null; done
rcu "$S2" EVAL "$unfold_all_lua" 1 'mcp:{days280}:days' 'mcp:{days280}:day:' >/dev/null
is "$(rcu "$S2" exists 'mcp:{days280}:days') $(rcu "$S2" --scan --pattern 'mcp:{days280}:day:*' | wc -l)" "0 7" \
    "S2: the same days, each a day:DAY"
reg() {
	rcu "$1" hset mcp:registry:servers days280 \
	    "{\"name\":\"io.example/days\",\"version\":\"1.0.0\",\"remote\":0,\"type\":\"streamable-http\",\"url\":\"https://mcp.example.com/mcp\",\"headers\":[],\"status\":\"active\",\"state\":\"probe\",\"reason\":null,\"registry\":\"https://registry.modelcontextprotocol.io\",\"updated_at\":\"2026-10-01T10:00:00Z\",\"synced_at\":$(at 0 0)}" >/dev/null
}
# page URL [BIN]: the status page of days, as mcp-serve prints it as a CGI.
page() {
	env -i PATH="$PATH" ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" \
	    REQUEST_METHOD=GET MCP_REDIS="$1" MCP_NOW="$NOW" PATH_INFO=/status/days280 QUERY_STRING=days=90 \
	    "${2:-$BIN}/mcp-serve" </dev/null
}
readers() { # URL [BIN]: the report of October, the page, the audit of the 9 days
	local agg=${2:-$BIN}/mcp-aggregate
	MCP_NOW=$NOW "$agg" report -R "$1" --month 2026-10 --json days280
	page "$1" "${2:-}" | md5sum
	"$agg" audit -R "$1" --period 9d --at "$NOW" --json | jq -c 'del(.at)'
}
reg "$S1"
reg "$S2"
readers "$S1" >"$TMP/r1"
readers "$S2" >"$TMP/r2"
is "$(wc -l <"$TMP/r1"):$(sed -n 4p "$TMP/r1" | jq -r '.servers')" 4:1 "the report, the page and the audit read"
like "$(page "$S1")" 'Uptime, last 90 days' "the page draws its bars"
is "$(diff "$TMP/r1" "$TMP/r2")" "" "from the folds as from the days raw: the report, the page (its bars), the audit"
rcu "$S1" DEL mcp:registry:servers >/dev/null
rcu "$S2" DEL mcp:registry:servers >/dev/null
# The verdict's uptime and old letter: day 8 decided, then windows of the
# folded days 4 and 3 (a back-fill), in both stores.
for u in "$S1" "$S2"; do
	{
		decide mcp-aggregate "$u" days280 8 0
		decide mcp-aggregate "$u" days280 4 900 tools_list
		decide mcp-aggregate "$u" days280 3 2
	} | jq -c '[.window, .verdict, .uptime_30d]'
done >"$TMP/v8"
is "$(sed -n 1,3p "$TMP/v8")" "$(sed -n 4,6p "$TMP/v8")" \
    "the verdicts the same, their uptime_30d from the tally, the old letters from the fold"
is "$(rcu "$S1" get 'mcp:{days280}:days' | md5sum)" "$(rcu "$S2" get 'mcp:{days280}:days' | md5sum)" \
    "and the days folded the same from day:DAY as from their folds"
is "$(rcu "$S1" exists 'mcp:{days280}:up')" 0 "up: no longer written"

# ------------------------------------------------------------ before
# A store of before: day:DAY for each day (and 1,440 letters for one, the
# layout before that), up for the days the tally lacks.
S3="unix://$REDIS_SOCK?db=3"
for k in 0 1 2 3; do
	rcu "$S3" EVAL "$pack_lua" 1 "mcp:{old225}:day:$((D0 + k))" 2678400 "$(spec "$k")" >/dev/null
done
rcu "$S3" SET "mcp:{old225}:day:$((D0 + 4))" "$(printf 'r%.0s' $(seq 1440))" EX 90000 >/dev/null
for k in 0 1 2 3 4; do rcu "$S3" HSET 'mcp:{old225}:up' "$((D0 + k)):u" 1000 "$((D0 + k)):n" 1200 >/dev/null; done
decide mcp-aggregate "$S3" old225 6 0 | jq -c '[.verdict, .uptime_30d]' >"$TMP/v3"
is "$(cat "$TMP/v3")" '["green",83.34]' "uptime_30d from up for the days the tally lacks: (5,000 + 1) / (6,000 + 1)"
is "$(for k in 0 1 2 3 4 5 6; do rcu "$S3" exists "mcp:{old225}:day:$((D0 + k))"; done | tr -d '\n')" 0000001 \
    "the days of before folded by the verdict of the slug's minute, the next day"
got=$(rcu "$S3" EVAL "$unfold_lua" 1 'mcp:{old225}:days' $((D0 + 4)))
is "$got" "len 3 $(printf '3%.0s' $(seq 1440))" "a day of 1,440 letters folded (3 bytes)"
got=$(rcu "$S3" EVAL "$unfold_lua" 1 'mcp:{old225}:days' $((D0 + 3)))
want=$(digits 3)
is "${got#len * }" "0${want:1}" "a packed day of before folded"

# A history decided by verdicts alone (each day's 00:00 green, 00:01 red,
# 00:02 amber), in S5 by this build; with MCP_BEFORE=DIR, in S4 by DIR's
# push and verdict (whose answers are these), its store then decided on
# and folded by this build, and DIR's report and page reading S5.
S4="unix://$REDIS_SOCK?db=4" S5="unix://$REDIS_SOCK?db=5"
calc() { awk -v u="$1" -v n="$2" 'BEGIN { print int(10000 * u / n + 0.5) / 100 }'; }
three() { # AGG URL
	local k
	for k in 0 1 2 3 4 5; do
		decide "$1" "$2" vd43 "$k" 0
		decide "$1" "$2" vd43 "$k" 1 tools_list
		decide "$1" "$2" vd43 "$k" 2 tools_list eu-west-2
	done | jq -c '[.verdict, .uptime_30d]' | tr '\n' ' '
}
three mcp-aggregate "$S5" >"$TMP/v5"
decide mcp-aggregate "$S5" vd43 7 0 | jq -c '[.verdict, .uptime_30d]' >>"$TMP/v5"
is "$(cat "$TMP/v5")" "$(for n in 1 2 3 4 5 6; do
	printf '["green",%s] ["red",%s] ["amber",%s] ' "$(calc $((2 * n - 1)) $((3 * n - 2)))" \
	    "$(calc $((2 * n - 1)) $((3 * n - 1)))" "$(calc $((2 * n)) $((3 * n)))"; done
    echo "[\"green\",$(calc 13 19)]")" "uptime_30d as the counters of before give it, day after day"
is "$(for k in 0 1 2 3 4 5; do rcu "$S5" exists "mcp:{vd43}:day:$((D0 + k))"; done | tr -d '\n')" 000000 "folded"
if [ -n "$BEFORE" ]; then
	three "$BEFORE/mcp-aggregate" "$S4" >"$TMP/v4"
	decide mcp-aggregate "$S4" vd43 7 0 | jq -c '[.verdict, .uptime_30d]' >>"$TMP/v4"
	is "$(cat "$TMP/v4")" "$(cat "$TMP/v5")" "the build of before: the same verdicts, then this build's on its store"
	is "$(rcu "$S4" exists 'mcp:{vd43}:up') $(for k in 0 1 2 3 4 5; do rcu "$S4" exists "mcp:{vd43}:day:$((D0 + k))"; done | tr -d '\n')" \
	    "1 000000" "its days folded by this build (its up read until it expires)"
	is "$(rcu "$S4" get 'mcp:{vd43}:days' | md5sum)" "$(rcu "$S5" get 'mcp:{vd43}:days' | md5sum)" "into the same folds"
	rcu "$S5" DEL 'mcp:{vd43}:up' >/dev/null
	for b in "$BIN" "$BEFORE"; do
		MCP_NOW=$NOW "$b/mcp-aggregate" report -R "$S5" --month 2026-10 --json vd43 | md5sum
		env -i PATH="$PATH" REQUEST_METHOD=GET MCP_REDIS="$S5" MCP_NOW="$NOW" PATH_INFO=/status/vd43 \
		    QUERY_STRING=days=90 "$b/mcp-serve" </dev/null | md5sum
	done >"$TMP/rb"
	is "$(sed -n 3,4p "$TMP/rb")" "$(sed -n 1,2p "$TMP/rb")" \
	    "the report and the page of before read this build's store (no up) as this build does"
else
	diag "MCP_BEFORE unset: the build of before not run (its answers are the ones above)"
fi

done_testing
