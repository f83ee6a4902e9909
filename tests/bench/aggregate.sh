#!/usr/bin/env bash
# aggregate.sh BUILD_DIR - the deciding host's minute: mcp-aggregate push and verdict, with Redis's clock and floors
# 100,000 slugs x 5 regions (issue 48: a registry at scale, five regions)
# into a private redis-server on a unix socket: the push of a minute's
# 500,000 results and the verdict pass over them, steady state (the four
# windows before it stored), each with its wall time, its CPU and Redis's
# own (the time INFO commandstats counts, and the server's CPU), beside the
# goal (30 s together) and the floors: a Lua call doing nothing, a command
# made from Lua, a plain command.  Then, over 1,000 slugs, Redis's time by
# script (SLOWLOG) and the commands a result and a slug make; a day of
# latencies; the seed article's shell recipe on a sample, scaled.  With
# BENCH_BEFORE=DIR, DIR's mcp-aggregate (the build before issue 48) does
# the same work in the same run, its verdicts compared byte for byte with
# this build's over the same store, and its stored keys and values with
# this build's.  The earlier windows: window 0 pushed, its slots copied
# into windows 1 to 3 inside Redis (a push of 1.5 million results more
# would take minutes and change nothing the measured minute reads).
# BENCH_SLUGS and BENCH_SAMPLE change the sizes; BENCH_REGISTRY=1 makes the
# slugs a registry's (fields of mcp:registry:servers, as a sync writes
# them, and records that say "origin":"registry").
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
. "$(dirname "$0")/lib.sh"
SLUGS=${BENCH_SLUGS:-100000}
SAMPLE=${BENCH_SAMPLE:-50}
REGISTRY=${BENCH_REGISTRY:-0}
BEFORE=${BENCH_BEFORE:-}
REGIONS=us-east-1,us-west-2,eu-west-2,ap-southeast-1,sa-east-1
T0=1795536000 # an hour's start: windows 0 to 5 are minutes 0 to 5 of one hour
GOAL=30

now() { date +%s.%N; }
# secs START: seconds since START, 3 decimals.
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }

bench_redis
gen=$TOP/tests/gen-scenario.sh
rc() { redis-cli -s "$SOCK" "$@"; }
mark() { cat; }
if [ "$REGISTRY" = 1 ]; then
	rc eval "for s = 1, $SLUGS do
	  local n = string.format('%05d', s)
	  redis.call('HSET', 'mcp:registry:servers', 'bench-' .. n, '{\"name\":\"io.bench/server-' .. n ..
	    '\",\"version\":\"1.0.0\",\"remote\":0,\"type\":\"streamable-http\",\"url\":' ..
	    '\"https://s' .. n .. '.bench.example/mcp\",\"headers\":[],\"status\":\"active\",' ..
	    '\"state\":\"probe\",\"reason\":null,\"registry\":\"https://registry.example\",' ..
	    '\"updated_at\":\"2026-11-20T10:00:00Z\",\"synced_at\":1795536000}')
	end" 0 >/dev/null
	echo "registry: the $SLUGS slugs are fields of mcp:registry:servers, their records origin registry"
	mark() { sed 's/}$/,"origin":"registry"}/'; }
fi
[ -z "$BEFORE" ] || [ -x "$BEFORE/mcp-aggregate" ] || { echo "aggregate: BENCH_BEFORE=$BEFORE has no mcp-aggregate" >&2; exit 1; }

# redis_cpu: the redis-server's CPU seconds so far (user + system).
# shellcheck disable=SC2154 # redis_pid is lib.sh's
redis_cpu() { cpu_of "$redis_pid"; }
# redis_busy: the microseconds INFO commandstats counts in scripts (EVALSHA
# and EVAL, their commands within), and the calls of every command (a
# script's own commands too: Redis 7 counts those).
redis_busy() { rc info commandstats | tr -d '\r' | awk -F'[=,:]' '/^cmdstat_/ { c += $3 } /^cmdstat_eval/ { u += $5 } END { print u + 0, c + 0 }'; }
# timed LABEL push|verdict W DIR: DIR's mcp-aggregate push of window W's
# results, or its verdict pass as of W (stdout to $TMP/out), timed: prints
# its wall time, its CPU, Redis's time in commands and Redis's CPU; sets
# WALL, RBUSY (s), RCALLS and OWNCPU.
timed() {
	local label=$1 c0 c1 b in=/dev/null at=$(($(win "$3") + 95))
	[ "$2" = verdict ] || in=$TMP/w$3 at=$(($(win "$3") + 1))
	rc config resetstat >/dev/null
	c0=$(redis_cpu)
	MCP_NOW=$at /usr/bin/time -f '%e %U %S' -o "$TMP/time" "$4/mcp-aggregate" "$2" <"$in" >"$TMP/out"
	c1=$(redis_cpu)
	read -r WALL u s <"$TMP/time"
	OWNCPU=$(calc "\"%.2f\", $u + $s")
	read -r b RCALLS <<<"$(redis_busy)"
	RBUSY=$(calc "\"%.2f\", $c1 - $c0")
	printf '  %-34s %6.2f s wall, its CPU %5.2f s; Redis: CPU %5.2f s, in scripts %5.2f s, %d commands\n' \
	    "$label" "$WALL" "$OWNCPU" "$RBUSY" "$(calc "\"%.2f\", $b / 1e6")" "$RCALLS"
}
# copy_slot FROM TO...: every slug's results of window FROM copied, inside
# Redis, into the windows TO of the same hour (the slots of rs:HOUR).
copy_slot() {
	rc eval "local from, tos = tonumber(ARGV[1]), {}
	for i = 2, #ARGV do tos[#tos + 1] = tonumber(ARGV[i]) end
	for _, s in ipairs(redis.call('ZRANGE', 'mcp:slugs', 0, -1)) do
	  local k = 'mcp:{' .. s .. '}:rs:' .. math.floor($T0 / 3600)
	  local h = redis.call('HGETALL', k)
	  for j = 1, #h, 2 do
	    local v, slot = h[j + 1], string.sub(h[j + 1], from * 7 + 1, from * 7 + 7)
	    for _, t in ipairs(tos) do v = string.sub(v, 1, t * 7) .. slot .. string.sub(v, t * 7 + 8) end
	    redis.call('HSET', k, h[j], v)
	  end
	end" 0 "$@" >/dev/null
}
win() { echo $((T0 + 60 * $1)); }
for w in 0 4 5; do "$gen" -q -s bench -N "$SLUGS" -r "$REGIONS" -t "$(win $w)" | mark >"$TMP/w$w"; done
IFS=, read -r -a regions <<<"$REGIONS"
for r in "${regions[@]}"; do
	"$gen" -q -s bench -N "$SLUGS" -r "$r" -t "$(win 6)" | mark >"$TMP/w6.$r"
done
nres=$((SLUGS * 5))
echo "$SLUGS slugs x 5 regions: a minute is $nres results (records of results only, as the runners' push --to sends them); goal: push and verdict within $GOAL s together"

echo "the windows before (each slug's first results: its latency histogram built, its indexes made):"
timed "push of window 0, $nres results" push 0 "$BIN"
if [ -n "$BEFORE" ]; then
	copy_slot 0 1 2 3
	echo "the build before (BENCH_BEFORE), window 4, the four before it stored:"
	timed "push, $nres results" push 4 "$BEFORE"
	bpush=$WALL bpush_r=$RBUSY
	timed "verdict pass" verdict 4 "$BEFORE"
	bverdict=$WALL bverdict_r=$RBUSY
	mv "$TMP/out" "$TMP/v.before"
	echo "this build, the same pass again over the same store:"
	timed "verdict pass (window 4 again)" verdict 4 "$BIN"
	if cmp -s "$TMP/v.before" "$TMP/out"; then
		echo "  the verdicts of both builds are the same, byte for byte ($(wc -l <"$TMP/out") records)"
	else
		echo "aggregate: the verdicts of window 4 differ between the builds" >&2
		diff <(head -c 2000 "$TMP/v.before") <(head -c 2000 "$TMP/out") >&2 || true
		exit 1
	fi
else
	copy_slot 0 1 2 3 4
fi
echo "this build, window 5, the four before it stored:"
timed "push, $nres results" push 5 "$BIN"
push_s=$WALL push_r=$RBUSY push_calls=$RCALLS
timed "verdict pass" verdict 5 "$BIN"
verdict_s=$WALL verdict_r=$RBUSY
[ "$(wc -l <"$TMP/out")" = "$SLUGS" ] || { echo "aggregate: $(wc -l <"$TMP/out") verdicts, not $SLUGS" >&2; exit 1; }
cp "$TMP/out" "$TMP/verdicts"
printf "a minute's work for %d slugs x 5 regions: push %s s + verdict %s s = %s s (goal %d s); Redis's CPU %s + %s = %s s\n" \
    "$SLUGS" "$push_s" "$verdict_s" "$(calc "\"%.2f\", $push_s + $verdict_s")" "$GOAL" \
    "$push_r" "$verdict_r" "$(calc "\"%.2f\", $push_r + $verdict_r")"
[ -z "$BEFORE" ] || printf "  the build before: push %s s + verdict %s s = %s s; Redis's CPU %s + %s = %s s\n" \
    "$bpush" "$bverdict" "$(calc "\"%.2f\", $bpush + $bverdict")" \
    "$bpush_r" "$bverdict_r" "$(calc "\"%.2f\", $bpush_r + $bverdict_r")"
printf '  commands Redis ran a result in the push: %s\n' "$(calc "\"%.1f\", $push_calls / $nres")"

# The deciding host's push as the regions bring it: a process each (a
# runner's push, or its requests to the ingest), at once, window 6.
c0=$(redis_cpu)
MCP_NOW=$(($(win 6) + 1)) /usr/bin/time -f '%e %U %S' -o "$TMP/time" bash -c '
	d=$1
	shift
	for r in "$@"; do "$0/mcp-aggregate" push <"$d/w6.$r" & done
	wait' "$BIN" "$TMP" "${regions[@]}"
read -r e u s <"$TMP/time"
printf '  push of window 6, five processes at once (a region each): %.2f s wall, their CPU %.2f s; Redis CPU %.2f s\n' \
    "$e" "$(calc "\"%.2f\", $u + $s")" "$(calc "\"%.2f\", $(redis_cpu) - $c0")"

# Where a push and a verdict spend the store's time: Redis's own clock for
# each script (SLOWLOG, everything logged) over 1,000 slugs of the same
# windows, pushed into fresh databases (1 for this build, 2 for the one
# before), and the commands each makes (INFO commandstats).
scripts_time() { # LABEL: each script's mean time since the last reset,
	# told apart by its arguments (push.c: 13 keys; verdict.c: read 2 keys
	# and 7 words, judge.c 2 keys and 10, write 6, stats 4; the floors)
	rc --json slowlog get 10000000 |
	    jq -r '.[] | select(.[3][0] == "EVALSHA" or .[3][0] == "EVAL") | "\(.[3][2])/\(.[3] | length) \(.[2])"' |
	    awk -v l="$1" 'BEGIN { name["0/3"] = "a Lua call doing nothing"
		name["1/4"] = "a Lua call making 25 commands"; name["2/7"] = "read (the 5 windows)"
		name["2/10"] = "judge (probe faults)"; name["6/18"] = "write (the history)"
		name["4/10"] = "stats (p95, uptime)"; name["1/5"] = "newest"; name["1/6"] = "newest" }
	    { k = $1; if (!(k in name)) { split(k, a, "/"); k = a[1] } n[k]++; s[k] += $2 }
	    END { for (k in n) if (n[k] >= 100) printf "  %-18s %-32s %6d calls %7.1f us each\n", l,
		(k in name) ? name[k] : (k == 13 ? "push" : k == 6 ? "write (the history)" : k " keys"),
		n[k], s[k] / n[k] }' | sort
}
# digest DB: every key of DB, its type, whether it has a TTL, and the SHA-1
# of its value (a hash's fields sorted): what two builds stored.
digest() {
	rc -n "$1" eval "local cur, keys, out = '0', {}, {}
	repeat
	  local r = redis.call('SCAN', cur, 'COUNT', 1000)
	  cur = r[1]
	  for _, k in ipairs(r[2]) do keys[#keys + 1] = k end
	until cur == '0'
	table.sort(keys)
	for _, k in ipairs(keys) do
	  local t, v = redis.call('TYPE', k).ok, {}
	  if t == 'string' then v = {redis.call('GET', k)}
	  elseif t == 'hash' then
	    local h = redis.call('HGETALL', k)
	    for i = 1, #h, 2 do v[#v + 1] = h[i] .. '=' .. h[i + 1] end
	    table.sort(v)
	  elseif t == 'zset' then v = redis.call('ZRANGE', k, 0, -1, 'WITHSCORES')
	  elseif t == 'set' then v = redis.call('SMEMBERS', k); table.sort(v)
	  elseif t == 'list' then v = redis.call('LRANGE', k, 0, -1) end
	  out[#out + 1] = k .. ' ' .. t .. ' ' .. (redis.call('TTL', k) > 0 and 'ttl' or 'none') ..
	    ' ' .. redis.sha1hex(table.concat(v, '\n'))
	end
	return out" 0
}
"$gen" -q -s bench -N 1000 -r "$REGIONS" -t "$T0" -n 4 >"$TMP/fill1k"
"$gen" -q -s bench -N 1000 -r "$REGIONS" -t "$(win 4)" >"$TMP/probe1k"
n1k=5000
# small DB BIN: 1,000 slugs into db DB by BIN, measured by script.
small() {
	rc -n "$1" flushdb >/dev/null
	MCP_REDIS="$MCP_REDIS?db=$1" MCP_NOW=$(($(win 4) + 1)) "$2/mcp-aggregate" push <"$TMP/fill1k"
	rc config set slowlog-log-slower-than 0 >/dev/null
	rc config set slowlog-max-len 10000000 >/dev/null
	rc slowlog reset >/dev/null
	rc config resetstat >/dev/null
	c0=$(redis_cpu)
	MCP_REDIS="$MCP_REDIS?db=$1" MCP_NOW=$(($(win 4) + 1)) "$2/mcp-aggregate" push <"$TMP/probe1k"
	read -r _ c <<<"$(redis_busy)"
	PCMDS=$(calc "\"%.1f\", $c / $n1k")
	scripts_time "push, a result:"
	printf '  %-18s %s commands a result, Redis CPU %s us a result (its slowlog too)\n' "" \
	    "$(calc "\"%.1f\", $c / $n1k")" "$(calc "\"%.1f\", ($(redis_cpu) - $c0) * 1e6 / $n1k")"
	digest "$1" >"$TMP/pushed.$1"
	rc slowlog reset >/dev/null
	rc config resetstat >/dev/null
	c0=$(redis_cpu)
	MCP_REDIS="$MCP_REDIS?db=$1" MCP_NOW=$(($(win 4) + 95)) "$2/mcp-aggregate" verdict >"$TMP/v1k.$1"
	read -r _ c <<<"$(redis_busy)"
	VCMDS=$(calc "\"%.1f\", $c / 1000")
	scripts_time "verdict, a slug:"
	printf '  %-18s %s commands a slug, Redis CPU %s us a slug\n' "" \
	    "$(calc "\"%.1f\", $c / 1000")" "$(calc "\"%.1f\", ($(redis_cpu) - $c0) * 1e6 / 1000")"
	digest "$1" >"$TMP/decided.$1"
	rc config set slowlog-log-slower-than 10000 >/dev/null
}
echo "the store's time per script (Redis's clock), 1,000 slugs x 5 regions, 5 windows:"
small 1 "$BIN"
pcmds=$PCMDS vcmds=$VCMDS
if [ -n "$BEFORE" ]; then
	echo "the build before:"
	small 2 "$BEFORE"
	for f in pushed decided; do
		cmp -s "$TMP/$f.1" "$TMP/$f.2" ||
		    { echo "aggregate: the keys $f differ between the builds:" >&2; diff "$TMP/$f.2" "$TMP/$f.1" | head >&2; exit 1; }
	done
	cmp -s "$TMP/v1k.1" "$TMP/v1k.2" || { echo "aggregate: the 1,000 verdicts differ between the builds" >&2; exit 1; }
	echo "  both builds stored the same keys and values ($(wc -l <"$TMP/decided.1") keys after push and verdict) and printed the same verdicts"
fi

# The floors: a Lua call that does nothing, one making 25 commands
# (HINCRBY), and the same command sent plainly, pipelined.
nop=$(rc script load "return 1")
cmds=$(rc script load "for i = 1, 25 do redis.call('HINCRBY', KEYS[1], 'f' .. i, 1) end return 1")
rc config set slowlog-log-slower-than 0 >/dev/null
rc slowlog reset >/dev/null
for _ in $(seq 1000); do echo "EVALSHA $nop 0"; echo "EVALSHA $cmds 1 bench-floor"; done | rc -n 2 >/dev/null
scripts_time "floors:" | tee "$TMP/floors"
# mean SHA: the mean time of that script's calls in the slowlog, us.
mean() { rc --json slowlog get 10000000 | jq --arg s "$1" '[.[] | select(.[3][1] == $s) | .[2]] | add / length'; }
fnop=$(mean "$nop") f25=$(mean "$cmds")
rc config set slowlog-log-slower-than 10000 >/dev/null
rc config resetstat >/dev/null
for i in $(seq 100000); do printf 'HINCRBY bench-plain f%d 1\r\n' $((i % 25)); done | rc -n 2 --pipe >/dev/null
plain=$(rc info commandstats | tr -d '\r' | awk -F'[=,:]' '/^cmdstat_hincrby:/ { print $7 }')
printf '  %-18s %-32s %6d calls %7.1f us each (INFO commandstats; its reading and parsing not counted)\n' \
    "floors:" "a plain command (HINCRBY)" 100000 "$plain"
# The floor of the minute: the commands the work makes (measured above),
# each at a command's cost from Lua, with a Lua call's for each call.
lcmd=$(calc "\"%.2f\", ($f25 - $fnop) / 25")
fpush=$(calc "\"%.1f\", $nres * ($fnop + ($pcmds - 1) * $lcmd) / 1e6")
fverdict=$(calc "\"%.1f\", $SLUGS * (4 * $fnop + ($vcmds - 4) * $lcmd) / 1e6")
printf 'the floor of the minute at %d slugs: a command from Lua %s us, a Lua call %.1f us; push %s commands a result: %s s, verdict %s a slug (4 Lua calls): %s s; together %s s of Redis (goal %d s)\n' \
    "$SLUGS" "$lcmd" "$fnop" "$pcmds" "$fpush" "$vcmds" "$fverdict" "$(calc "\"%.1f\", $fpush + $fverdict")" "$GOAL"
rc -n 1 flushdb >/dev/null
rc -n 2 flushdb >/dev/null

# A day of latencies: each slug's 24-hour histogram as a day of probes
# leaves it (7,200 results in 100 buckets, 47 ms to 6 s), then a pass.
last=$(win 5)
rc eval "for _, s in ipairs(redis.call('ZRANGE', 'mcp:slugs', 0, -1)) do
	local k = 'mcp:{' .. s .. '}:lat'
	local f, z = {'hour', $((last / 3600)), 'n', 7200}, {}
	for b = 80, 179 do f[#f + 1] = b; f[#f + 1] = 72; z[#z + 1] = b; z[#z + 1] = b end
	for h = $((last / 3600 - 23)), $((last / 3600)) do f[#f + 1] = 'n:' .. h; f[#f + 1] = 300 end
	redis.call('HSET', k .. 'sum', unpack(f))
	redis.call('ZADD', k .. 'idx', unpack(z))
end" 0 >/dev/null
echo "the same pass with a full day of latencies (100 buckets a slug):"
timed "verdict pass" verdict 5 "$BIN"
# The seed article's recipe, steps 3 to 7, per slug, on the same probe output.
mkdir "$TMP/recipe"
awk -v n="$SAMPLE" -v d="$TMP/recipe" -F'"slug":"bench-' '
	{ s = substr($2, 1, 5) + 0; if (s > n) next
	  match($0, /"region":"[^"]*"/); r = substr($0, RSTART + 10, RLENGTH - 11)
	  print > (d "/" s "-" r ".jsonl") }' "$TMP/w5"
recipe_store() { # SLUG: step 3, one SET NX and one SADD per region
	local slug region
	printf -v slug 'bench-%05d' "$1"
	for region in "${regions[@]}"; do
		rc SET "probe:${slug}:${last}:${region}" \
		    "$(jq -sc . <"$TMP/recipe/$1-$region.jsonl")" NX EX 86400 >/dev/null
		rc SADD "probe:${slug}:${last}:reporters" "$region" >/dev/null
	done
}
recipe_verdict() { # SLUG: steps 4 to 7
	local slug reporters n region results failed_steps step
	local verdict=green fail_step='' fail_count=0 hashes divergence=''
	local -A step_failures=()
	printf -v slug 'bench-%05d' "$1"
	reporters=$(rc SMEMBERS "probe:${slug}:${last}:reporters")
	n=$(echo "$reporters" | wc -l)
	for region in $reporters; do
		results=$(rc GET "probe:${slug}:${last}:${region}")
		failed_steps=$(echo "$results" | jq -r '.[] | select(.status=="fail") | .step')
		for step in $failed_steps; do
			step_failures["$step"]=$((${step_failures["$step"]:-0} + 1))
		done
	done
	for step in "${!step_failures[@]}"; do
		if ((step_failures[$step] >= 2)); then
			verdict=red fail_step=$step fail_count=${step_failures[$step]}
			break
		fi
	done
	hashes=$(for region in $reporters; do
		rc GET "probe:${slug}:${region}:tool-hash"
	done | sort -u | wc -l)
	if ((hashes > 1)); then divergence=cdn-cache-divergence; fi
	rc SET "probe:${slug}:verdict" \
	    "{\"window\":$last,\"verdict\":\"$verdict\",\"step\":\"$fail_step\",\"failed_regions\":$fail_count,\"reporters\":$n,\"divergence\":\"$divergence\"}" \
	    EX 86400 >/dev/null
}
t=$(now)
for i in $(seq "$SAMPLE"); do recipe_store "$i"; done
rstore_s=$(secs "$t")
t=$(now)
for i in $(seq "$SAMPLE"); do recipe_verdict "$i"; done
rverdict_s=$(secs "$t")
scale=$(calc "\"%g\", $SLUGS / $SAMPLE")
rstore_rate=$(calc "\"%.1f\", $SAMPLE * 5 / $rstore_s")
rverdict_full=$(calc "\"%.1f\", $rverdict_s * $SLUGS / $SAMPLE")
printf 'shell recipe (redis-cli and jq per key), measured on %d slugs, scaled x%s to %d:\n' \
    "$SAMPLE" "$scale" "$SLUGS"
printf '  store (step 3): %d results in %s s: %s results/s\n' $((SAMPLE * 5)) "$rstore_s" "$rstore_rate"
printf '  verdict (steps 4-7): %d slugs in %s s: %s s per pass over %d slugs\n' \
    "$SAMPLE" "$rverdict_s" "$rverdict_full" "$SLUGS"
push_rate=$(calc "\"%.0f\", $nres / $push_s")
printf 'mcp-aggregate vs shell recipe: push %sx, verdict pass %sx faster\n' \
    "$(calc "\"%.0f\", $push_rate / $rstore_rate")" "$(calc "\"%.0f\", $rverdict_full / $verdict_s")"
