#!/usr/bin/env bash
# memory.sh BUILD_DIR - the store's steady state, this layout beside the one before
# A fleet of BENCH_MEM_SLUGS slugs (default 100) x 5 regions, probed once a
# minute: one day of results pushed through the real mcp-aggregate push
# (durations spread over 50..800 ms, 1 % of the probes failing at
# tools_list with a code) and decided window by window through the real
# verdict, as cron runs them (MCP_NOW, 1,440 passes): each pass folds
# the hours older than the one before of the slugs of its minute
# (mcp:{SLUG}:rf, aggregate/fold.c), and its days before yesterday into
# mcp:{SLUG}:days, as it does in production.  The month is compressed:
# Redis's TTLs are the wall clock's, so the 29 days before are written
# as day:DAY before the day's first verdict (old_days), with their uptime
# counters for a layout that keeps them.  That is what a store holds in
# steady state: 30 days of history (two or three raw, the rest folded),
# two hours of raw results and 22 folded, 24 hours of latency.  The long history (tally, red, rgn: 400
# days) is written whole from its first day, so a day of it is its steady
# state, but for red, a field a day with incidents: its cost is measured
# apart.  Then the same through the mcp-aggregate of before: the one in
# $BENCH_BEFORE when set (the build of 075d3aa), else OLD (git, default
# 075d3aa) built into a temporary directory.  Prints each kind of key's
# bytes a slug and a result, scaled to 2,500, 20,000 and 100,000 slugs,
# beside the target (32 KB a slug; 20,000 under 700 MB); the tool lists
# (ls:HEX, lsi) apart, and Redis's own time in the fold script, a
# slug-hour (the slow log of every command of the passes from hour 2 on).
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
. "$(dirname "$0")/lib.sh"
SLUGS=${BENCH_MEM_SLUGS:-100}
OLD=${BENCH_MEM_OLD:-075d3aa}
REGIONS='us-east-1,us-west-2,eu-west-2,ap-southeast-1,sa-east-1'
T0=1795536000
DAY=1440
TARGET=32768

bench_redis
rc() { redis-cli -s "$SOCK" "$@"; }
used() { rc INFO memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p'; }
# cpu: Redis's own CPU time so far (INFO cpu: user + sys), in us.
cpu_us() { rc INFO cpu | awk -F: '/^used_cpu_(user|sys):/ { s += $2 } END { printf "%.0f", s * 1e6 }'; }
# folds: the calls of the fold script (EVALSHA of 47 keys) in the slow
# log, which logs every command while the threshold is 0: their count,
# Redis's own time in them and in every command (us), "N US ALL".
folds() {
	rc --json SLOWLOG GET -1 | jq -r 'map(select(.[3][0] == "EVALSHA" and .[3][2] == "47")) as $f |
	    "\($f | length) \($f | map(.[2]) | add // 0) \(map(.[2]) | add // 0)"'
}

# The day's probes, the same for both layouts: 99 % pass, 1 % fail.
gen=$TOP/tests/gen-scenario.sh
"$gen" -q -s mem -N "$SLUGS" -r "$REGIONS" -t "$T0" -n "$DAY" -m 50 -J 800 >"$TMP/ok"
"$gen" -q -s mem -N "$SLUGS" -r "$REGIONS" -t "$T0" -n "$DAY" -m 50 -J 800 -f tools_list |
    sed 's/,"ms":/,"error":{"code":"http_503","message":"Service Unavailable"},"ms":/' >"$TMP/bad"
paste -d '\n' "$TMP/ok" "$TMP/bad" | awk 'NR % 2 == 1 && (NR + 1) % 200 != 0 || NR % 2 == 0 && NR % 200 == 0' >"$TMP/day"
[ "$(grep -c '"state":"broken"' "$TMP/day")" = $((SLUGS * 5 * DAY / 100)) ] ||
    { echo "memory.sh: the generator's records changed: not 1 % failures" >&2; exit 1; }

# old_days: the 29 days before the day decided, as day:DAY (480 bytes,
# three windows a byte, base 6), written before its first verdict, so that
# a layout that folds the days before yesterday (mcp:{SLUG}:days) folds
# them in the passes of the day, at each slug's own minute, as in
# production: each day green but for 5 % of its windows amber, one in
# twenty scattered through it (a slug's own phase), the days as a store
# that sees a region fail now and then holds them (the 1 % of failing
# probes, over five regions).
old_days() {
	local i=0 s
	for s in $(seq -f 'mem-%05g' 1 "$SLUGS"); do
		rc EVAL "for k = 1, 29 do
		  local t = {}
		  for b = 0, 479 do
		    local x = 0
		    for j = 2, 0, -1 do
		      x = x * 6 + (((b * 3 + j + tonumber(ARGV[2])) % 20 == 0) and 2 or 1)
		    end
		    t[#t + 1] = string.char(x)
		  end
		  redis.call('SET', KEYS[1] .. (tonumber(ARGV[1]) - k), table.concat(t), 'EX', 2678400)
		end" 1 "mcp:{$s}:day:" $((T0 / 86400)) $((i++ % 20)) >/dev/null
	done
}

# fill AGG LABEL: one steady state through AGG; prints the figures, and
# leaves the bytes a slug (tool lists apart) in $TMP/slug.LABEL.
fill() {
	local agg=$1 label=$2 mem0 total k d s nres=$((SLUGS * 5 * DAY)) keys lists t0 cpu fold=0 nf=0 u us all c0=0 cf np wall=0 up sh
	rc FLUSHALL >/dev/null
	mem0=$(used)
	# shellcheck disable=SC2154 # redis_pid: lib.sh's redis-server
	t0=$(awk '{ print $14 + $15 }' "/proc/$redis_pid/stat")
	old_days
	MCP_NOW=$((T0 + 60 * DAY + 1)) "$agg" push <"$TMP/day"
	for k in $(seq 0 $((DAY - 1))); do
		# From hour 2 on, each pass folds the slugs of its minute: every
		# command of the pass in the slow log, and Redis's CPU.
		if [ "$k" = 120 ]; then
			rc CONFIG SET slowlog-log-slower-than 0 slowlog-max-len 100000 >/dev/null
			c0=$(cpu_us)
		fi
		[ "$k" -lt 120 ] || rc SLOWLOG RESET >/dev/null
		MCP_NOW=$((T0 + 60 * k + 95)) "$agg" verdict >/dev/null
		if [ "$k" -ge 120 ]; then
			read -r u us all < <(folds)
			nf=$((nf + u)) fold=$((fold + us)) wall=$((wall + all))
		fi
	done
	cf=$(($(cpu_us) - c0)) np=$((DAY - 120))
	rc CONFIG SET slowlog-log-slower-than 10000 slowlog-max-len 128 >/dev/null
	cpu=$(awk -v t0="$t0" '{ printf "%.1f", ($14 + $15 - t0) / 100 }' "/proc/$redis_pid/stat")
	# A layout that keeps the uptime's counters by day (up) has them for
	# the 29 days before too.
	d=$((T0 / 86400)) up=$(rc EXISTS 'mcp:{mem-00001}:up')
	if [ "$up" = 1 ]; then
		for s in $(seq -f 'mem-%05g' 1 "$SLUGS"); do
			for k in $(seq 1 29); do echo "HSET mcp:{$s}:up $((d - k)):u 1440 $((d - k)):n 1440"; done
		done | rc >/dev/null
	fi
	total=$(($(used) - mem0))
	# Each key's own bytes (MEMORY USAGE, SAMPLES 0: every element), by
	# kind; what used_memory holds beyond them (the key space's tables,
	# the scripts) is the store's own, and does not grow per slug.
	rc --scan | awk '{ k = $0; sub(/^mcp:\{[^}]*\}:/, "", k); sub(/:[0-9]+$/, "", k)
	    if ($0 !~ /^mcp:\{/) k = "8 the fleet'"'"'s, a key a window (fault:W runs:W ...)"
	    else if (k == "rs" || k == "codes") k = "1 results raw, rs:HOUR + codes"
	    else if (k == "rf") k = "2 results + latency folded, rf (22 hours)"
	    else if (k ~ /^lat/) k = "3 latency raw, lat:HOUR latsum latidx"
	    else if (k == "day" || k == "days") k = "4 history, day:DAY days (30 days)"
	    else if (k == "tally" || k == "red" || k == "rgn") k = "5 long history, tally red rgn (400 days)"
	    else if (k ~ /^ls:/ || k == "lsi") k = "7 tool lists, ls:HEX lsi (apart)"
	    else k = "6 the rest (seen, hash, verdict, up ...)"
	    print "MEMORY USAGE " $0 " SAMPLES 0" >"'"$TMP/cmds"'"; print k }' >"$TMP/kinds"
	rc <"$TMP/cmds" | paste -d '\t' - "$TMP/kinds" |
	    awk -F '\t' '{ b[$2] += $1 } END { for (k in b) print k "\t" b[k] }' | sort >"$TMP/shares"
	keys=$(awk -F '\t' '$1 !~ /^[78]/ { s += $2 } END { printf "%d", s }' "$TMP/shares")
	lists=$(awk -F '\t' '$1 ~ /^7/ { s += $2 } END { printf "%d", s }' "$TMP/shares")
	line() { # NAME BYTES FIXED
		printf '  %-42s %6s KB a slug %4s B a result | 2,500: %6s MB  20,000: %6s MB  100,000: %6s GB\n' "$1" \
		    "$(calc "\"%.1f\", $2 / 1024 / $SLUGS")" "$(calc "\"%.1f\", $2 / $nres")" \
		    "$(calc "\"%.0f\", ($2 / $SLUGS * 2500 + $3) / 1048576")" \
		    "$(calc "\"%.0f\", ($2 / $SLUGS * 20000 + $3) / 1048576")" \
		    "$(calc "\"%.2f\", ($2 / $SLUGS * 100000 + $3) / 1073741824")"
	}
	line 'every key but the tool lists' "$keys" $((total - keys - lists))
	while IFS=$'\t' read -r k b; do
		case $k in
		8*) printf '  %-42s %6s MB, whatever the fleet'"'"'s size (25 hours of windows; counted with the store'"'"'s own below)\n' \
		    "${k#? }" "$(calc "\"%.2f\", $b / 1048576")" ;;
		*) line "${k#? }" "$b" 0 ;;
		esac
	done <"$TMP/shares"
	printf '  used_memory %s MB: the keys and %s MB of the store'"'"'s own (its tables, scripts: once, not per slug); Redis CPU (user+sys) for the day: %s s\n' \
	    "$(calc "\"%.1f\", $total / 1048576")" "$(calc "\"%.1f\", ($total - $keys - $lists) / 1048576")" "$cpu"
	if [ "$nf" -gt 0 ]; then
		# A slug is folded once an hour, its script called in each of the
		# AGG_FOLD_SPAN minutes from its own (the later calls find it done):
		# the cost a slug-hour is all the calls' over the slug-hours.
		sh=$((SLUGS * np / 60))
		printf '  folding: Redis %s us a slug-hour by its clock (%d calls of the fold script in the slow log for %d slug-hours, wall time, the machine'"'"'s load in it), %s %% of the passes'"'"' Redis time\n' \
		    "$(calc "\"%.1f\", $fold / $sh")" "$nf" "$sh" "$(calc "\"%.1f\", 100 * $fold / $wall")"
		printf '    the passes: Redis CPU (INFO cpu) %s us a slug-minute; the fold'"'"'s share of it %s us a slug-hour: %s s of CPU an hour for 100,000 slugs, %s s in each minute'"'"'s pass\n' \
		    "$(calc "\"%.1f\", $cf / $np / $SLUGS")" "$(calc "\"%.1f\", $cf * $fold / $wall / $sh")" \
		    "$(calc "\"%.1f\", $cf * $fold / $wall / $sh * 100000 / 1e6")" "$(calc "\"%.2f\", $cf * $fold / $wall / $sh * 100000 / 1e6 / 60")"
	fi
	echo $((keys / SLUGS)) >"$TMP/slug.$label"
	echo $((keys * 20000 / SLUGS + total - keys - lists)) >"$TMP/total.$label"
}

verdict_of() { # NAME BYTES-A-SLUG TOTAL-20000
	local w=within
	[ "$2" -le "$TARGET" ] && [ "$3" -le $((700 * 1048576)) ] || w=OVER
	printf '%s: %s KB a slug, %s the 32 KB target; 20,000 slugs: %s MB (target under 700 MB); 100,000: %s GB\n' \
	    "$1" "$(calc "\"%.1f\", $2 / 1024")" "$w" "$(calc "\"%.0f\", $3 / 1048576")" \
	    "$(calc "\"%.2f\", $2 * 100000 / 1073741824")"
}

printf 'memory, steady state: %d slugs x 5 regions, one probe a minute, 30 days of history and a day of results (%d results, %d verdict passes), scaled; target 32 KB a slug, 20,000 under 700 MB (shared 2-core machine)\n' \
    "$SLUGS" $((SLUGS * 5 * DAY)) "$DAY"
echo "this layout (rs:HOUR raw 2 hours, rf folded):"
fill "$BIN/mcp-aggregate" now
verdict_of 'this layout' "$(cat "$TMP/slug.now")" "$(cat "$TMP/total.now")"
# red at its worst: a field for each of the 400 days, one incident a
# day, then 24 (a value past 64 bytes: Redis keeps the hash as a table).
d=$((T0 / 86400))
for n in 1 24; do
	v=$(for k in $(seq 0 $((n - 1))); do printf '%d-%d:%d ' $((k * 50)) $((k * 50 + 20)) 21; done | sed 's/ $//')
	for k in $(seq 0 399); do printf 'HSET mcp:{worst}:red %d "%s"\n' $((d - k)) "$v"; done | rc >/dev/null
	printf 'red, %2d incident%s every day of the 400: %s KB a slug\n' "$n" "$([ "$n" = 1 ] && echo ' ' || echo s)" \
	    "$(calc "\"%.1f\", $(rc MEMORY USAGE 'mcp:{worst}:red' SAMPLES 0) / 1024")"
	rc DEL 'mcp:{worst}:red' >/dev/null
done
before=
if [ -n "${BENCH_BEFORE:-}" ] && [ -x "$BENCH_BEFORE/mcp-aggregate" ]; then
	before=$BENCH_BEFORE/mcp-aggregate
elif git -C "$TOP" cat-file -e "$OLD^{commit}" 2>/dev/null; then
	mkdir "$TMP/old"
	git -C "$TOP" archive "$OLD" | tar -x -C "$TMP/old"
	if make -C "$TMP/old" -j2 build/mcp-aggregate CURL_DIR= >"$TMP/old.log" 2>&1; then
		before=$TMP/old/build/mcp-aggregate
	else
		echo "the layout before: $OLD does not build here (see make's output), not measured"
		tail -5 "$TMP/old.log"
	fi
else
	echo "the layout before: commit $OLD is not in this repository (a tarball?), not measured"
fi
if [ -n "$before" ]; then
	echo "the layout before (${BENCH_BEFORE:-$OLD}: rs:HOUR raw 25 hours, lat:HOUR):"
	fill "$before" old
	verdict_of 'the layout before' "$(cat "$TMP/slug.old")" "$(cat "$TMP/total.old")"
	printf '20,000 slugs: %s MB in this layout, %s MB in the one before (%s %%)\n' \
	    "$(calc "\"%.0f\", $(cat "$TMP/total.now") / 1048576")" "$(calc "\"%.0f\", $(cat "$TMP/total.old") / 1048576")" \
	    "$(calc "\"%.1f\", 100 * $(cat "$TMP/total.now") / $(cat "$TMP/total.old")")"
fi
