#!/usr/bin/env bash
# aggregate.sh BUILD_DIR - mcp-aggregate push and verdict figures beside the seed article's shell recipe
# 20,000 slugs x 5 regions (a public registry from one runner) into a private redis-server on a unix socket:
# results pushed per second, seconds per verdict pass (also with a full
# day's latency histogram per slug); then the same data through the shell
# recipe (redis-cli and jq per key) on a sample of slugs, scaled.  The
# store's memory is memory.sh's.  Prints figures only.  BENCH_SLUGS,
# BENCH_WINDOWS and BENCH_SAMPLE change the sizes.  BENCH_REGISTRY=1 makes
# the slugs a registry's (fields of mcp:registry:servers, as a sync writes
# them, and records that say "origin":"registry"), which push reads
# before its first result.
. "$(dirname "$0")/lib.sh"
SLUGS=${BENCH_SLUGS:-20000}
WINDOWS=${BENCH_WINDOWS:-5}
SAMPLE=${BENCH_SAMPLE:-50}
REGISTRY=${BENCH_REGISTRY:-0}
REGIONS=us-east-1,us-west-2,eu-west-2,ap-southeast-1,sa-east-1
T0=1795536000

now() { date +%s.%N; }
# secs START: seconds since START, 3 decimals.
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }

bench_redis
agg=$BIN/mcp-aggregate
gen=$TOP/tests/gen-scenario.sh
mark() { cat; }
if [ "$REGISTRY" = 1 ]; then
	redis-cli -s "$SOCK" eval "for s = 1, $SLUGS do
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

# The windows before the measured one fill the lookback, as in steady state.
# push refuses starts ahead of its clock: MCP_NOW is the probe host's clock.
last=$((T0 + 60 * (WINDOWS - 1)))
nres=$((SLUGS * 5))
if [ "$WINDOWS" -gt 1 ]; then
	"$gen" -q -s bench -N "$SLUGS" -r "$REGIONS" -t "$T0" -n $((WINDOWS - 1)) | mark >"$TMP/fill"
	t=$(now)
	MCP_NOW=$((last + 1)) "$agg" push <"$TMP/fill"
	s=$(secs "$t")
	printf 'push (result records only): %d results in %s s: %s results/s\n' \
	    $((nres * (WINDOWS - 1))) "$s" "$(calc "\"%.0f\", $nres * ($WINDOWS - 1) / $s")"
fi
"$gen" -s bench -N "$SLUGS" -r "$REGIONS" -t "$last" | mark >"$TMP/probe"
lines=$(wc -l <"$TMP/probe")
t=$(now)
MCP_NOW=$((last + 1)) "$agg" push <"$TMP/probe"
push_s=$(secs "$t")
push_rate=$(calc "\"%.0f\", $nres / $push_s")
printf 'push (probe output): %d results (%d lines) in %s s: %s results/s, %s lines/s\n' \
    "$nres" "$lines" "$push_s" "$push_rate" "$(calc "\"%.0f\", $lines / $push_s")"

# A push of one result, start to end: what a push costs before its first
# record (its connection, its script, the registry's slugs read).
grep -m1 '"type":"result"' "$TMP/probe" >"$TMP/one"
runs=()
for _ in $(seq 11); do
	t=$(now)
	MCP_NOW=$((last + 1)) "$agg" push <"$TMP/one"
	runs+=("$(secs "$t")")
done
printf 'push of one result: %s s (median of 11)\n' "$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 6p)"

# time_verdicts: three verdict passes as of the last window; sets runs.
time_verdicts() {
	local t
	runs=()
	for _ in 1 2 3; do
		t=$(now)
		MCP_NOW=$((last + 95)) "$agg" verdict >"$TMP/verdicts"
		runs+=("$(secs "$t")")
	done
}

time_verdicts
verdict_s=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p)
printf 'verdict: one pass over %d slugs x 5 regions (%d windows stored): %s s (median of %s)\n' \
    "$(wc -l <"$TMP/verdicts")" "$WINDOWS" "$verdict_s" "${runs[*]}"
printf "a minute's work for %d slugs x 5 regions: push %s s + verdict %s s = %s s of the 60 s window\n" \
    "$SLUGS" "$push_s" "$verdict_s" "$(calc "\"%.2f\", $push_s + $verdict_s")"

# Where a push and a verdict spend the store's time: Redis's own clock for
# each script (SLOWLOG, everything logged) over 1,000 slugs of the same
# window pushed again into a fresh database, beside two floors: a Lua call
# that does nothing, and one that makes 25 commands (HINCRBY), as many as
# the push script makes for a result.
scripts_time() { # LABEL: the mean time of each script since the last reset,
	# named by its number of keys (verdict.c: read 2, write 6 (3 before
	# the long history), stats 4; push.c: 11; the floors 0 and 1)
	redis-cli -s "$SOCK" --json slowlog get 10000000 |
	    jq -r '.[] | select(.[3][0] == "EVALSHA") | "\(.[3][2]) \(.[2])"' |
	    awk -v l="$1" 'BEGIN { name[0] = "a Lua call doing nothing"
		name[1] = "a Lua call making 25 commands"; name[2] = "read (the 5 windows)"
		name[3] = "write (the history, before the long one)"; name[6] = "write (the history)"
		name[4] = "stats (p95, uptime)"; name[11] = "push" }
	    { n[$1]++; s[$1] += $2 }
	    END { for (k in n) printf "  %-18s %-32s %6d calls %7.1f us each\n", l, name[k], n[k],
		s[k] / n[k] }' | sort
}
"$gen" -q -s bench -N 1000 -r "$REGIONS" -t "$T0" -n $((WINDOWS - 1)) >"$TMP/fill1k"
"$gen" -s bench -N 1000 -r "$REGIONS" -t "$last" >"$TMP/probe1k"
redis-cli -s "$SOCK" -n 1 flushdb >/dev/null
MCP_REDIS="$MCP_REDIS?db=1" MCP_NOW=$((last + 1)) "$agg" push <"$TMP/fill1k"
redis-cli -s "$SOCK" config set slowlog-log-slower-than 0 >/dev/null
redis-cli -s "$SOCK" config set slowlog-max-len 10000000 >/dev/null
redis-cli -s "$SOCK" slowlog reset >/dev/null
echo "the store's time per script (Redis's clock), 1,000 slugs x 5 regions, $WINDOWS windows:"
MCP_REDIS="$MCP_REDIS?db=1" MCP_NOW=$((last + 1)) "$agg" push <"$TMP/probe1k"
scripts_time "push, a result:"
redis-cli -s "$SOCK" slowlog reset >/dev/null
MCP_REDIS="$MCP_REDIS?db=1" MCP_NOW=$((last + 95)) "$agg" verdict >/dev/null
scripts_time "verdict, a slug:"
nop=$(redis-cli -s "$SOCK" script load "return 1")
cmds=$(redis-cli -s "$SOCK" script load "for i = 1, 25 do redis.call('HINCRBY', KEYS[1], 'f' .. i, 1) end return 1")
redis-cli -s "$SOCK" slowlog reset >/dev/null
for _ in $(seq 1000); do echo "EVALSHA $nop 0"; echo "EVALSHA $cmds 1 bench-floor"; done |
    redis-cli -s "$SOCK" -n 2 >/dev/null
scripts_time "floors:"
redis-cli -s "$SOCK" config set slowlog-log-slower-than 10000 >/dev/null
redis-cli -s "$SOCK" -n 1 flushdb >/dev/null
redis-cli -s "$SOCK" -n 2 flushdb >/dev/null

# A day of latencies: each slug's 24-hour histogram as a day of probes
# leaves it (7,200 results in 100 buckets, 47 ms to 6 s), then a pass.
redis-cli -s "$SOCK" eval "for s = 1, $SLUGS do
	local k = string.format('mcp:{bench-%05d}:lat', s)
	local f, z = {'hour', $((last / 3600)), 'n', 7200}, {}
	for b = 80, 179 do f[#f + 1] = b; f[#f + 1] = 72; z[#z + 1] = b; z[#z + 1] = b end
	for h = $((last / 3600 - 23)), $((last / 3600)) do f[#f + 1] = 'n:' .. h; f[#f + 1] = 300 end
	redis.call('HSET', k .. 'sum', unpack(f))
	redis.call('ZADD', k .. 'idx', unpack(z))
end" 0 >/dev/null
time_verdicts
printf 'verdict: the same with a full day of latencies (100 buckets per slug): %s s (median of %s)\n' \
    "$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p)" "${runs[*]}"

# The seed article's recipe, steps 3 to 7, per slug, on the same probe output.
mkdir "$TMP/recipe"
awk -v n="$SAMPLE" -v d="$TMP/recipe" -F'"slug":"bench-' '
	{ s = substr($2, 1, 5) + 0; if (s > n) next
	  match($0, /"region":"[^"]*"/); r = substr($0, RSTART + 10, RLENGTH - 11)
	  print > (d "/" s "-" r ".jsonl") }' "$TMP/probe"
IFS=, read -r -a regions <<<"$REGIONS"
rc() { redis-cli -s "$SOCK" "$@"; }
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
printf 'mcp-aggregate vs shell recipe: push %sx, verdict pass %sx faster\n' \
    "$(calc "\"%.0f\", $push_rate / $rstore_rate")" "$(calc "\"%.0f\", $rverdict_full / $verdict_s")"
