#!/usr/bin/env bash
# build: both (the plain build checks what the sanitizers cannot: peak memory, valgrind, the long walks)
# fleet-hosts.t - one mcp-probe run over a fleet of distinct servers, one a host
# 3,000 stateless legacy servers, each on its own loopback address
# (tests/fixtures/many.mjs): every target gets its own nine records, right
# and together; peak memory follows the jobs in flight, not the fleet
# (1,000 and 3,000 hosts at the same -j); the number in flight without -j
# is sized from the fleet, and lowered with a warning to what the limit of
# open files allows.  Correctness only: speed is make bench's.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

HOSTS=3000
# A listener and each connection take a descriptor of the server's.
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt $((HOSTS + 1000)) ]; then
	HOSTS=$(((hard - 1000) / 100 * 100))
	[ "$HOSTS" -ge 1500 ] || skip_all "the limit of open files ($hard) holds too few hosts"
	echo "# $HOSTS hosts: the limit of open files is $hard"
fi
node "$TOP/tests/fixtures/many.mjs" --hosts "$HOSTS" --net 78 --delay 20 \
    --port-file "$TMP/port" >"$TMP/many.log" 2>&1 &
bg_pid $!
wait_file "$TMP/port" 300 || skip_all "many.mjs did not start: $(cat "$TMP/many.log")"
port=$(cat "$TMP/port")
# targets N > file: the first N hosts, h0 at 127.78.0.1
targets() {
	awk -v n="$1" -v p="$port" 'BEGIN {
		for (i = 0; i < n; i++)
			printf "h%d http://127.78.%d.%d:%d/mcp\n", i, int(i / 250), i % 250 + 1, p }'
}
targets "$HOSTS" >"$TMP/all"
targets $((HOSTS / 3)) >"$TMP/small"

# The probe's peak RSS in kB, from wait4(2) (tests/bench/timed.c).
cc -O2 -o "$TMP/timed" "$TOP/tests/bench/timed.c" || skip_all "cc failed"
"$TMP/timed" "$TMP/time" mcp-probe -r test -j 250 -f "$TMP/all" >"$TMP/out" 2>"$TMP/err"
is "$?" 0 "exit 0: every server is healthy"
is "$(cat "$TMP/err")" "" "nothing on stderr"
is "$(wc -l <"$TMP/out")" $((HOSTS * 9)) "nine records for each of $HOSTS targets"
is "$(jq -r .probe_id "$TMP/out" | uniq | wc -l)" "$HOSTS" "each target's records are written together"
is "$(jq -r .probe_id "$TMP/out" | sort -u | wc -l)" "$HOSTS" "and each target has its own probe id"
is "$(jq -r 'select(.type == "result") | .state' "$TMP/out" | sort | uniq -c | awk '{ print $1, $2 }')" \
    "$HOSTS healthy" "every target is healthy"
# Each record names its own target: the slug and the address it was given.
is "$(jq -r '"\(.slug) \(.url)"' "$TMP/out" | sort -u | wc -l)" "$HOSTS" \
    "one slug and URL per target, across all its records"
is "$(jq -r '"\(.slug) \(.url)"' "$TMP/out" | sort -u | diff - <(sort -u "$TMP/all") &&
    echo same)" "same" "each slug goes with its own host"
is "$(jq -r 'select(.type == "step") | "\(.slug) \(.seq) \(.step) \(.status)"' "$TMP/out" |
    awk '{ n[$2 " " $3 " " $4]++ } END { for (k in n) print k, n[k] }' | sort -n | tr '\n' ' ')" \
    "1 dns pass $HOSTS 2 connect pass $HOSTS 3 tls skip $HOSTS 4 http pass $HOSTS 5 auth pass $HOSTS 6 initialize pass $HOSTS 7 tools_list pass $HOSTS 8 call pass $HOSTS " \
    "every target passed its own dns and connect, and every step after"
is "$(jq -r 'select(.type == "result") | .tool_hash' "$TMP/out" | sort -u | wc -l)" 1 \
    "one tool hash for the same tools on every host"

# Memory: the same jobs in flight over a third of the fleet.  The
# sanitizers keep freed memory in quarantine, so their RSS follows the
# allocations made, not the memory live: checked on the plain build only.
case $BIN in
*-san)
	echo "# RSS bound skipped in the sanitizer build: ASan's quarantine holds freed memory"
	;;
*)
	read -r _ _ rss_all <"$TMP/time"
	"$TMP/timed" "$TMP/time1" mcp-probe -r test -j 250 -f "$TMP/small" >/dev/null
	read -r _ _ rss_small <"$TMP/time1"
	diag "peak RSS -j 250: $rss_small kB over $((HOSTS / 3)) hosts, $rss_all kB over $HOSTS"
	ok "$((rss_all < 64 * 1024 ? 0 : 1))" "peak RSS over $HOSTS hosts at -j 250 under 64 MB ($rss_all kB)"
	# What a target costs before it is in flight (its line of the targets
	# file, parsed) is a few hundred bytes; 1 kB each is the bound.
	more=$((HOSTS - HOSTS / 3))
	ok "$((rss_all - rss_small < more ? 0 : 1))" \
	    "$more more targets cost under $more kB more ($((rss_all - rss_small)) kB)"
	;;
esac

# Without -j, a twentieth of the fleet in flight (at least 256); where the
# limit of open files cannot hold them, fewer, and a warning says why.
targets 6000 >"$TMP/big"
out=$(ulimit -n 1024 && mcp-probe -r test -n -f "$TMP/big" 2>&1)
is "$out" "mcp-probe: the fleet wants 300 targets in flight: only 192 fit in 1024 descriptors
mcp-probe: 6000 targets ok" "6,000 targets want 300 in flight; the limit of 1,024 files holds 192 (four fifths of it, four each)"
out=$(ulimit -n 1024 && mcp-probe -r test -n -f "$TMP/all" 2>&1)
is "$out" "mcp-probe: 3000 targets ok" "3,000 targets keep 256 in flight, no warning"

done_testing
