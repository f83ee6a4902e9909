#!/usr/bin/env bash
# probe-progress.t - a loaded runner: working servers slower than the 2 s mark are slow, not stalled
# 100 distinct servers whose every answer is 450 ms away (a probe of one
# takes about 2.3 s: each outlasts the 2 s mark) and four silent tarpits,
# under a limit of 200 open files, so that the descriptors bound the run,
# as 20,000 bound a runner of 100,000 targets.  Before issue 48 a target
# 2 s in flight was slow however its answers came, and the slow targets'
# descriptors were taken back by ending the oldest of them "to make
# room": working servers, written unjudged.  Now only a target silent 2 s
# (no byte from its server) is stalled and may be ended; one making
# progress is waited for, the run starting no more until places come free.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

N=100
node "$TOP/tests/fixtures/many.mjs" --hosts "$N" --delay 450 --port-file "$TMP/many.port" \
    2>"$TMP/many.err" &
bg_pid $!
node "$TOP/tests/fixtures/tarpit.mjs" --mode silent --port-file "$TMP/pit.port" 2>"$TMP/pit.err" &
bg_pid $!
wait_file "$TMP/many.port" || skip_all "many.mjs did not start: $(cat "$TMP/many.err")"
wait_file "$TMP/pit.port" || skip_all "tarpit.mjs did not start: $(cat "$TMP/pit.err")"
port=$(cat "$TMP/many.port")
{
	for i in 1 2 3 4; do echo "aa-pit-$i http://127.0.0.1:$(cat "$TMP/pit.port")/mcp"; done
	awk -v n="$N" -v port="$port" 'BEGIN {
		for (i = 0; i < n; i++)
			printf "slow-%03d http://127.77.%d.%d:%d/mcp\n", i, int(i / 250), i % 250 + 1, port }'
} >"$TMP/fleet"

# Without -j: the default, fitted to the 200 descriptors.  -t 5: a tarpit
# that has its whole timeout is a timeout.
(
	ulimit -n 200
	mcp-probe -r t -t 5 -d 50 -f "$TMP/fleet" >"$TMP/out" 2>"$TMP/err"
)
is "$?" 1 "four tarpits among $N slow servers: exit 1 (the tarpits broken)"
is "$(jq -r 'select(.type == "result") | .slug' "$TMP/out" | sort -u | wc -l)" $((N + 4)) \
    "a result for every target"
is "$(jq -r 'select(.type == "result" and (.slug | startswith("slow-"))) | .state' "$TMP/out" | sort | uniq -c |
    awk '{ print $1, $2 }')" "$N healthy" "every working server healthy, none ended to make room"
is "$(jq -r 'select(.type == "result" and (.slug | startswith("slow-"))) | .ms > 2000' "$TMP/out" | sort -u)" \
    true "each took more than 2 s: every one outlasted the mark, and was waited for"
is "$(jq -r 'select(.type == "result" and (.slug | startswith("aa-"))) |
    "\(.state) \(.error.code)"' "$TMP/out" | sort -u | grep -cv '^broken timeout$\|^unjudged evicted$')" 0 \
    "each tarpit timed out, or was ended to make room (stalled: silent 2 s)"
is "$(jq -r 'select(.type == "result" and .error.code == "evicted") | .error.message |
    test("ended after [0-9.]+ s, ([2-9]|[1-9][0-9])[.][0-9] s without a byte, to make room")' "$TMP/out" |
    grep -c false)" 0 "each one ended to make room had been silent 2 s at least"
unlike "$(cat "$TMP/err")" "ended to make room: [1-9]|runner is short" "the run was not short"

done_testing
