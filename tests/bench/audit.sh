#!/usr/bin/env bash
# audit.sh BUILD_DIR - the time of mcp-aggregate audit over a registry of BENCH_AUDIT_SLUGS (100,000)
# The store is filled as a day of probing from five regions leaves it, by a
# Lua script inside Redis (pushing 144 million results would take hours):
# per slug the 25 hours of rs:HOUR (60 slots of 7 bytes, mcp-store(7)) of five regions,
# the verdict letters of the day and a latest verdict, and one field of
# mcp:registry:servers as the sync writes it; a tenth more fields are
# servers that are not probed (needs-configuration, local-only).  The mix:
# 60 % healthy, 10 % auth-walled, and 5 % each broken at dns, tls, auth
# (401), tools_list, regionally degraded (one region failing connect) and
# cdn-divergent.  Then the audit over 24 hours, and over 1 hour, timed
# (wall, its CPU user+sys and peak, Redis's CPU meanwhile: the scripts);
# the buckets are checked against the mix.  The goal of issue 48: 24 hours
# of 100,000 servers within 60 s.
#
# BENCH_AUDIT_LAYOUT: fold (the default) folds the store as the verdict's
# passes leave it (aggregate/fold.c): each slug's older hours into rf by
# the verdict passes of every fifth minute of the hour (each folds the
# slugs whose own minute is one of the five up to its), the clock's hour
# and the one before raw, then the verdict letters and latest verdicts set again to
# the mix.  raw keeps every hour raw (the layout of before issue 48, about
# 66 KB a slug, 6.6 GB for 100,000), and with BENCH_BEFORE=DIR, DIR's
# audit of the same store beside; the build before cannot read a folded
# hour, so the fold layout runs no before.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
SLUGS=${BENCH_AUDIT_SLUGS:-100000}
LAYOUT=${BENCH_AUDIT_LAYOUT:-fold}
case $LAYOUT in fold | raw) ;; *) echo "audit.sh: BENCH_AUDIT_LAYOUT is fold or raw, not $LAYOUT" >&2 && exit 2 ;; esac
BEFORE=${BENCH_BEFORE:+$(cd "$BENCH_BEFORE" && pwd)}
NOW=$((1795536000 + 12 * 3600 + 95))

bench_redis
rc() { redis-cli -s "$SOCK" "$@"; }

fill_lua='
local from, n, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local regions = {"ap-southeast-1", "eu-west-2", "sa-east-1", "us-east-1", "us-west-2"}
local function be5(x)
  local b = {}
  for i = 5, 1, -1 do b[i] = x % 256; x = math.floor(x / 256) end
  return string.char(unpack(b))
end
local function slots(x) return string.rep("\9\196" .. be5(x), 60) end
local H, A = slots(2^38 + 100 * 2^16 + 43690), slots(2 * 2^38 + 100 * 2^16)
local B = {}
for s = 1, 8 do B[s] = slots(3 * 2^38 + s * 2^34 + 2^26) end
local DAYC = {g = 1, a = 2, r = 3}
local to = math.floor((now - 95) / 60) * 60
local h0, h1, day = math.floor((to - 86400) / 3600), math.floor(to / 3600), math.floor(to / 86400)
for i = from, from + n - 1 do
  local slug = string.format("io.bench.server-%05d", i)
  local pre, kind = "mcp:{" .. slug .. "}:", i % 20
  local res, letter, step, div = H, "g", "null", "null"
  -- ARGV[4]: "results" the results alone, "meta" the rest alone, else both.
  if kind == 12 or kind == 13 then res = A
  elseif kind == 14 then res, letter, step = B[1], "r", "\"dns\""
  elseif kind == 15 then res, letter, step = B[3], "r", "\"tls\""
  elseif kind == 16 then res, letter, step = B[5], "r", "\"auth\""
  elseif kind == 18 then res, letter, step = B[7], "r", "\"tools_list\""
  elseif kind == 17 then letter = "a"
  elseif kind == 19 then letter, div = "a", "\"cdn-cache-divergence\"" end
  if ARGV[4] ~= "meta" then
  for h = h0, h1 do
    local kv = {}
    for r = 1, 5 do
      kv[#kv + 1] = regions[r]
      kv[#kv + 1] = (kind == 17 and r == 1) and B[2] or res
    end
    redis.call("HSET", pre .. "rs:" .. h, unpack(kv))
  end
  redis.call("HSET", pre .. "codes", "auth_required", 1)
  redis.call("ZADD", "mcp:slugs", to, slug)
  end
  if ARGV[4] ~= "results" then
  local packed = string.rep(string.char(43 * DAYC[letter]), 480)
  redis.call("SET", pre .. "day:" .. day, packed)
  redis.call("SET", pre .. "day:" .. (day - 1), packed)
  redis.call("SET", pre .. "verdict", "{\"v\":1,\"type\":\"verdict\",\"slug\":\"" .. slug ..
    "\",\"window\":" .. to .. ",\"step\":" .. step .. ",\"divergence\":" .. div .. "}")
  redis.call("HSET", "mcp:registry:servers", slug, "{\"name\":\"io.bench/server-" .. i ..
    "\",\"version\":\"1.0.0\",\"remote\":0,\"type\":\"streamable-http\",\"url\":\"https://" ..
    i .. ".example.com/mcp\",\"headers\":[],\"status\":\"active\",\"state\":\"probe\",\"reason\":null," ..
    "\"registry\":\"https://registry.modelcontextprotocol.io\",\"updated_at\":\"2026-11-20T10:00:00Z\",\"synced_at\":" .. now .. "}")
  if i % 10 == 0 then
    local st = i % 20 == 0 and "needs-configuration" or "local-only"
    redis.call("HSET", "mcp:registry:servers", "io.bench.package-" .. i, "{\"name\":\"io.bench/package-" .. i ..
      "\",\"version\":\"1.0.0\",\"remote\":null,\"type\":null,\"url\":null,\"headers\":[],\"status\":\"active\",\"state\":\"" ..
      st .. "\",\"reason\":\"bench\",\"registry\":\"https://registry.modelcontextprotocol.io\",\"updated_at\":\"2026-11-20T10:00:00Z\",\"synced_at\":" .. now .. "}")
  end
  end
end
return n
'
# fill WHAT: the fill script over every slug, 500 a call.
fill() {
	local i n
	for ((i = 0; i < SLUGS; i += 500)); do
		n=$((SLUGS - i < 500 ? SLUGS - i : 500))
		[ "$(rc EVAL "$fill_lua" 0 "$i" "$n" "$NOW" "$1")" = "$n" ] ||
		    { echo "audit.sh: the fill script failed" >&2 && exit 1; }
	done
}
mem() { rc INFO memory | sed -n 's/^used_memory_human:\(.*\)\r$/\1/p'; }
t0=$(date +%s.%N)
if [ "$LAYOUT" = raw ]; then
	fill all
else
	fill results
	# A verdict pass folds the slugs whose minute of the hour is one of the
	# AGG_FOLD_SPAN (5) up to its own: a pass every 5 minutes of the hour,
	# as a cron line of */5 would run them, folds every slug once.
	t2=$(date +%s.%N)
	hour=$(((NOW - 95) / 3600 * 3600))
	for m in $(seq 4 5 59); do
		MCP_NOW=$((hour + 60 * m + 95)) "$BIN/mcp-aggregate" verdict >/dev/null ||
		    { echo "audit.sh: the verdict pass of minute $m failed" >&2; exit 1; }
	done
	t3=$(date +%s.%N)
	fill meta
	raw=$(rc EVAL 'return #redis.call("KEYS", ARGV[1])' 0 'mcp:{io.bench.server-0000*}:rs:*')
	folded=$(rc EVAL 'return #redis.call("KEYS", ARGV[1])' 0 'mcp:{io.bench.server-0000*}:rf')
	[ "$raw:$folded" = 20:10 ] ||
	    { echo "audit.sh: not folded: $raw raw hours and $folded rf of 10 slugs (want 20 and 10)" >&2; exit 1; }
	echo "folded by 12 verdict passes in $(calc "\"%.1f\", $t3 - $t2") s: 2 hours raw and 23 in rf a slug (checked on 10)"
fi
t1=$(date +%s.%N)
echo "filled $SLUGS slugs (25 hours x 5 regions of results each, layout $LAYOUT) in $(calc "\"%.1f\", $t1 - $t0") s," \
    "used_memory $(mem)"

# Redis's CPU seconds so far (user+sys, its main thread and the rest).
rcpu() { rc INFO cpu | awk -F: '/^used_cpu_(user|sys):/ { s += $2 } END { printf "%.2f", s }'; }
# audit ARGS...: the wall time of BIN's audit (AUDIT_BIN, else BIN), its CPU and peak, Redis's CPU.
audit() {
	local t0 t1 r0 r1 user sys rss
	t0=$(date +%s.%N)
	r0=$(rcpu)
	MCP_NOW=$NOW /usr/bin/time -f '%U %S %M' -o "$TMP/time" "${AUDIT_BIN:-$BIN}/mcp-aggregate" audit "$@" >"$TMP/audit.json"
	t1=$(date +%s.%N)
	r1=$(rcpu)
	read -r user sys rss < <(tail -1 "$TMP/time")
	calc "\"%.2f s (goal 60 s): its cpu %.2f s, peak %d MB; Redis's cpu %.2f s\", $t1 - $t0, $user + $sys, $rss / 1024, $r1 - $r0"
}
rc CONFIG RESETSTAT >/dev/null
echo "audit --period 24h of $SLUGS slugs: $(audit --json)"
rc INFO commandstats | sed -n 's/^cmdstat_\(evalsha\|hgetall\|get\):calls=\([0-9]*\),usec=\([0-9]*\),usec_per_call=\([0-9.]*\).*/redis: \1: \2 calls, \4 us a call/p'
rc CONFIG RESETSTAT >/dev/null
want=$((SLUGS / 20))
got=$(jq -c '[.buckets.healthy.count, .buckets["auth-walled"].count, .buckets["broken:dns"].count,
    .buckets["broken:tls"].count, .buckets["broken:tools_list"].count,
    .buckets["regionally-degraded"].count, .buckets["cdn-divergent"].count,
    .buckets["needs-configuration"].count + .buckets["local-only"].count]' "$TMP/audit.json")
[ "$got" = "[$((want * 12)),$((want * 3)),$want,$want,$want,$want,$want,$((SLUGS / 10))]" ] ||
    { echo "audit.sh: the buckets are not the mix: $got" >&2; exit 1; }
[ -z "$BEFORE" ] || [ "$LAYOUT" = fold ] || echo "before: audit --period 24h of $SLUGS slugs: $(AUDIT_BIN=$BEFORE audit --json)"
echo "audit --period 1h of $SLUGS slugs: $(audit --json --period 1h)"
echo "audit --save (text) of $SLUGS slugs: $(audit --save)"
echo "audit with the movement of $SLUGS slugs: $(audit --json)"
echo "the saved audit (mcp:registry:audit last): $(rc HSTRLEN mcp:registry:audit last) bytes"
rc INFO commandstats | sed -n 's/^cmdstat_\(evalsha\|hgetall\|get\):calls=\([0-9]*\),usec=\([0-9]*\),usec_per_call=\([0-9.]*\).*/redis: \1: \2 calls, \4 us a call/p'
