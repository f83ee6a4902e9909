#!/usr/bin/env bash
# floor.t - the bench's floors (tests/bench/floor.c) measure what they claim
# They send mcp-probe's own requests, byte for byte, in its order, finish
# every target against a real fixture, and count a failure as one.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

floor=$BIN/floor
[ -x "$floor" ] || skip_all "$floor is not built (make all builds it)"

node "$TOP/tests/fixtures/recorder.mjs" --port-file "$TMP/rec.port" --log "$TMP/rec.log" \
    2>"$TMP/rec.err" &
bg_pid $!
wait_file "$TMP/rec.port" || skip_all "recorder did not start: $(cat "$TMP/rec.err")"
rec=http://127.0.0.1:$(cat "$TMP/rec.port")/mcp

# What each client sends one target, as the recorder read it.
: >"$TMP/rec.log"
mcp-probe -r bench "$rec" >"$TMP/probe.out"
is "$(jq -r 'select(.type == "result") | .state' "$TMP/probe.out")" healthy \
    "mcp-probe: the recorder is a healthy legacy server"
cp "$TMP/rec.log" "$TMP/probe.log"
is "$(wc -l <"$TMP/probe.log")" 5 "mcp-probe sends it five requests"
echo "t1 $rec" >"$TMP/one"
for mode in raw curl; do
	: >"$TMP/rec.log"
	"$floor" "$mode" "$TMP/one" 2>"$TMP/floor.err"
	is "$?" 0 "floor $mode: exit 0 against the recorder"
	out=$(diff "$TMP/probe.log" "$TMP/rec.log")
	is "$out" "" "floor $mode: the same requests as mcp-probe, byte for byte, in order"
done

# A fleet of a real SDK fixture, as the bench runs it.
start_fixture || skip_all "fixture server did not start"
for n in $(seq 60); do echo "t$n $FIX/stateless/mcp"; done >"$TMP/fleet"
for mode in raw curl; do
	"$floor" "$mode" "$TMP/fleet" 8 2>"$TMP/floor.err"
	is "$?" 0 "floor $mode: 60 targets of the SDK fixture, 8 at a time, exit 0"
	is "$(cat "$TMP/floor.err")" "60 targets, 0 failed" "floor $mode: says all 60 were answered"
done

# Nobody listening: every target fails, and says so.
dead=http://127.0.0.1:$(free_port)/mcp
for n in 1 2 3; do echo "d$n $dead"; done >"$TMP/dead"
for mode in raw curl; do
	"$floor" "$mode" "$TMP/dead" 2>"$TMP/floor.err"
	is "$?" 1 "floor $mode: exit 1 when targets fail"
	is "$(cat "$TMP/floor.err")" "3 targets, 3 failed" "floor $mode: counts each failed target"
done

# A server that never answers: the raw floor gives up after 5 s of silence
# and counts the target as failed, not as done.
echo "h1 $FIX/hang/mcp" >"$TMP/hang"
"$floor" raw "$TMP/hang" 2>"$TMP/floor.err"
is "$?" 1 "floor raw: exit 1 when a target never answers"
is "$(cat "$TMP/floor.err")" "1 targets, 1 failed" "floor raw: counts the silent target as failed"

"$floor" raw /nonexistent 2>"$TMP/floor.err"
is "$?" 2 "floor: an unreadable targets file is a usage error"
done_testing
