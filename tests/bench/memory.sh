#!/usr/bin/env bash
# memory.sh BUILD_DIR - the store's steady state, this layout beside the one before
# A fleet of BENCH_MEM_SLUGS slugs (default 100) x 5 regions, probed once a
# minute: one day of results pushed through the real mcp-aggregate push
# (durations spread over 50..800 ms, 1 % of the probes failing at
# tools_list with a code) and decided window by window through the real
# verdict, as cron runs them (MCP_NOW, 1,440 passes).  The month is
# compressed: Redis's TTLs are the wall clock's, so the 29 days before are
# the decided day's history copied under their names (COPY, the same
# encoding and size) with their uptime counters.  That is what a store
# holds in steady state: 30 days of history, a day of results for
# back-fill, 24 hours of latency histograms.  The long history (tally,
# red, rgn: 400 days) is written whole from its first day (the tally's
# 400 records, each region's 14 months), so a day of it is its steady
# state, but for red, a field a day with incidents: its cost is measured
# apart, for a slug with an incident every one of the 400 days, and with
# 24 (the most a day keeps).  Then the same through the
# mcp-aggregate of OLD (git, default ae5f5fd, the last with the 16-byte
# slots of rh:HOUR and the 1,440 letters of day:DAY), built from the
# repository into a temporary directory.  Prints used_memory, bytes per
# slug and per result, the share of each kind of key, and the keys scaled
# to 20,000 slugs (a registry) beside the target: at most 100 KB a slug,
# so that 20,000 fit in 2 GB.
. "$(dirname "$0")/lib.sh"
SLUGS=${BENCH_MEM_SLUGS:-100}
OLD=${BENCH_MEM_OLD:-ae5f5fd}
REGIONS=us-east-1,us-west-2,eu-west-2,ap-southeast-1,sa-east-1
T0=1795536000
DAY=1440

bench_redis
rc() { redis-cli -s "$SOCK" "$@"; }
used() { rc INFO memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p'; }

# The day's probes, the same for both layouts: 99 % pass, 1 % fail.
gen=$TOP/tests/gen-scenario.sh
"$gen" -q -s mem -N "$SLUGS" -r "$REGIONS" -t "$T0" -n "$DAY" -m 50 -J 800 >"$TMP/ok"
"$gen" -q -s mem -N "$SLUGS" -r "$REGIONS" -t "$T0" -n "$DAY" -m 50 -J 800 -f tools_list |
    sed 's/,"ms":/,"error":{"code":"http_503","message":"Service Unavailable"},"ms":/' >"$TMP/bad"
paste -d '\n' "$TMP/ok" "$TMP/bad" | awk 'NR % 2 == 1 && (NR + 1) % 200 != 0 || NR % 2 == 0 && NR % 200 == 0' >"$TMP/day"
[ "$(grep -c '"state":"broken"' "$TMP/day")" = $((SLUGS * 5 * DAY / 100)) ] ||
    { echo "memory.sh: the generator's records changed: not 1 % failures" >&2; exit 1; }

# fill AGG HISTKEY RESKEY: one steady state through AGG; prints the figures.
fill() {
	local agg=$1 hist=$2 res=$3 mem0 total k d s nres=$((SLUGS * 5 * DAY)) keys b up
	rc FLUSHALL >/dev/null
	mem0=$(used)
	MCP_NOW=$((T0 + 60 * DAY + 1)) "$agg" push <"$TMP/day"
	for k in $(seq 0 $((DAY - 1))); do
		MCP_NOW=$((T0 + 60 * k + 95)) "$agg" verdict >/dev/null
	done
	d=$((T0 / 86400)) up=$(rc EXISTS 'mcp:{mem-00001}:up')
	for s in $(seq -f 'mem-%05g' 1 "$SLUGS"); do
		for k in $(seq 1 29); do
			echo "COPY mcp:{$s}:$hist:$d mcp:{$s}:$hist:$((d - k))"
			[ "$up" = 0 ] || echo "HSET mcp:{$s}:up $((d - k)):u 1440 $((d - k)):n 1440"
		done
	done | rc >/dev/null
	# The next day's first pass: a layout that folds the days before
	# yesterday (mcp:{SLUG}:days) does so then, as in production.
	MCP_NOW=$(((d + 2) * 86400 + 95)) "$agg" verdict >/dev/null
	total=$(($(used) - mem0))
	# Each key's own bytes (MEMORY USAGE, SAMPLES 0: every element), by
	# kind; what used_memory holds beyond them (the key space's tables,
	# the scripts) is the store's own, and does not grow per slug.
	rc --scan | awk -v hist="$hist" -v res="$res" '{ k = $0; sub(/^mcp:\{[^}]*\}:/, "", k)
	    sub(/:[0-9]+$/, "", k)
	    if (k == res || k == "codes") k = "1 results, " res (res == "res" ? ":W" : ":HOUR + codes") " (25 h)"
	    else if (k == hist || k == "days") k = "2 history, " hist ":DAY days (30 days)"
	    else if (k == "tally" || k == "red" || k == "rgn") k = "3 long history, tally red rgn (400 days)"
	    else if (k ~ /^lat/) k = "4 latencies, lat* (24 h)"
	    else k = "5 the rest (seen, hash, verdict, up ...)"
	    print "MEMORY USAGE " $0 " SAMPLES 0" >"'"$TMP/cmds"'"; print k }' >"$TMP/kinds"
	rc <"$TMP/cmds" | paste -d '\t' - "$TMP/kinds" |
	    awk -F '\t' '{ b[$2] += $1 } END { for (k in b) print k "\t" b[k] }' | sort >"$TMP/shares"
	keys=$(awk -F '\t' '{ s += $2 } END { printf "%d", s }' "$TMP/shares")
	line() { # NAME BYTES FIXED
		printf '  %-40s %6s MB %5s KB per slug %4s B per result   20,000 slugs: %5s GB\n' "$1" \
		    "$(calc "\"%.1f\", $2 / 1048576")" "$(calc "\"%.0f\", $2 / 1024 / $SLUGS")" \
		    "$(calc "\"%.0f\", $2 / $nres")" \
		    "$(calc "\"%.2f\", ($2 / $SLUGS * 20000 + $3) / 1073741824")"
	}
	line 'every key' "$keys" $((total - keys))
	while IFS=$'\t' read -r k b; do line "${k#? }" "$b" 0; done <"$TMP/shares"
	printf '  used_memory %s MB: the keys and %s MB of the store'"'"'s own (its tables, scripts: once, not per slug)\n' \
	    "$(calc "\"%.1f\", $total / 1048576")" "$(calc "\"%.1f\", ($total - $keys) / 1048576")"
	echo $(((keys * 20000 / SLUGS) + total - keys)) >"$TMP/total"
	echo $((keys / SLUGS)) >"$TMP/slug"
}

printf 'memory, steady state: %d slugs x 5 regions, one probe a minute, 30 days of history and a day of results (%d results, %d verdict passes), scaled to 20,000 slugs; target 100 KB a slug, 2 GB\n' \
    "$SLUGS" $((SLUGS * 5 * DAY)) "$DAY"
echo "this layout (rs:HOUR, day:DAY packed):"
fill "$BIN/mcp-aggregate" day rs
now_total=$(cat "$TMP/total") now_slug=$(cat "$TMP/slug")
if [ "$now_slug" -le 102400 ]; then
	printf 'this layout: %s KB a slug, within the 100 KB target; 20,000 slugs: %s GB\n' \
	    "$(calc "\"%.0f\", $now_slug / 1024")" "$(calc "\"%.2f\", $now_total / 1073741824")"
else
	printf 'this layout: %s KB a slug, OVER the 100 KB target; 20,000 slugs: %s GB\n' \
	    "$(calc "\"%.0f\", $now_slug / 1024")" "$(calc "\"%.2f\", $now_total / 1073741824")"
fi
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
if git -C "$TOP" cat-file -e "$OLD^{commit}" 2>/dev/null; then
	mkdir "$TMP/old"
	git -C "$TOP" archive "$OLD" | tar -x -C "$TMP/old"
	if make -C "$TMP/old" -j2 build/mcp-aggregate CURL_DIR= >"$TMP/old.log" 2>&1; then
		echo "the layout before ($OLD: rh:HOUR, day:DAY of 1,440 letters):"
		fill "$TMP/old/build/mcp-aggregate" day rh
		printf '20,000 slugs: %s GB in this layout, %s GB in the one before (%s %%); target 2 GB\n' \
		    "$(calc "\"%.2f\", $now_total / 1073741824")" "$(calc "\"%.2f\", $(cat "$TMP/total") / 1073741824")" \
		    "$(calc "\"%.1f\", 100 * $now_total / $(cat "$TMP/total")")"
	else
		echo "the layout before: $OLD does not build here (see make's output), not measured"
		tail -5 "$TMP/old.log"
	fi
else
	echo "the layout before: commit $OLD is not in this repository (a tarball?), not measured"
fi
