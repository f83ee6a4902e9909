#!/usr/bin/env bash
# aggregate-spool.t - mcp-aggregate push: Redis killed between two pushes
# Records are spooled, replayed on the next push, and the verdicts are the
# same as those of a run without the outage.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/aggregate-lib.sh"

# The store under test persists (AOF, fsync always) so it survives kill -9.
AOF=$TMP/aof
mkdir -p "$AOF"
start_aof() {
	redis_in "$AOF" --appendonly yes --appendfsync always
	AOF_PID=$REDIS_PID
}

# Two slugs over 10 windows; a red period in windows 4-6 (the outage).
{
	gen -s s-one -r "$ALL" -n 4
	gen -s s-two -r "$ALL" -n 4 -m 120
} >"$TMP/part1"
{
	gen -s s-one -r ap-southeast-1,sa-east-1,us-west-2 -n 3 -t "$(w 4)"
	gen -s s-one -r eu-west-2,us-east-1 -n 3 -t "$(w 4)" -f tools_list
	gen -s s-two -r "$ALL" -n 3 -t "$(w 4)" -m 140
} >"$TMP/part2"
{
	gen -s s-one -r us-east-1 -t "$(w 4)" -o 30   # a late duplicate of a spooled result
	gen -s s-one -r "$ALL" -n 3 -t "$(w 7)"
	gen -s s-two -r "$ALL" -n 3 -t "$(w 7)"
} >"$TMP/part3"

# The reference: the same records, no outage.
start_redis
cat "$TMP/part1" "$TMP/part2" "$TMP/part3" | push -S "$TMP/ref.spool" 2>/dev/null
is "$?" 0 "reference run without an outage: stored"
run_windows 0 9
for i in $(seq 0 9); do mv "$TMP/v.$i" "$TMP/ref.$i"; done

# The run with an outage between two pushes.
export MCP_REDIS=unix://$AOF/redis.sock
BASE=$TMP/spool/d/aggregate.jsonl
SPOOL=$(spool_of "$BASE" "$MCP_REDIS")
start_aof
push -S "$BASE" <"$TMP/part1"
is "$?" 0 "first push: stored"
# kill -9, reaped with the shell's own "Killed" notice kept off stderr.
exec 3>&2 2>/dev/null
kill -9 "$AOF_PID"
wait "$AOF_PID"
exec 2>&3 3>&-
push -S "$BASE" <"$TMP/part2" >"$TMP/out" 2>"$TMP/err"
is "$?" 1 "Redis down: push exits 1"
is "$(cat "$TMP/out")" "" "and prints nothing on stdout"
like "$(cat "$TMP/err")" "^mcp-aggregate: redis: $AOF/redis.sock: .*
mcp-aggregate: spool: $SPOOL: 30 records for $MCP_REDIS kept for the next push$" \
    "and says where the records were spooled, for which store"
is "$(wc -l <"$SPOOL" | tr -d ' ')" 30 "the spool holds the 30 results (directories created)"
is "$(stat -c %a "$SPOOL")" 600 "the spool is private"
is "$(stat -c %a "$TMP/spool" "$TMP/spool/d" | tr '\n' ' ')" "700 700 " "and so are the directories push made"

gen -s s-one -r us-east-1 -t "$(w 9)" | push -S /dev/null/spool 2>"$TMP/err"
is "$?" 1 "Redis down and no spool: exit 1"
like "$(cat "$TMP/err")" "^mcp-aggregate: spool: /dev/null/spool\\.[0-9a-f]{16}: Not a directory" "with the reason"

# A push to another store that is up leaves them for their own.
MCP_REDIS="unix://$TMP/redis.sock?db=5" push -v -S "$BASE" <"$TMP/part3" 2>"$TMP/err"
like "$(cat "$TMP/err")" ", 0 replayed from the spool$" "a push to another store replays none of them"
is "$(wc -l <"$SPOOL" | tr -d ' ')" 30 "they stay in their store's spool"
is "$(res_val -R "unix://$TMP/redis.sock?db=5" s-two "$(w 4)" us-east-1)" "" "and reach no other store"

start_aof
push -v -S "$BASE" <"$TMP/part3" 2>"$TMP/err"
is "$?" 0 "Redis back: the next push exits 0"
is "$(tail -1 "$TMP/err")" "mcp-aggregate: push: 60 results stored, 0 duplicates ignored, 248 step records skipped, 0 bad lines, 0 spooled, 30 replayed from the spool" \
    "the spool is replayed first, in order, still first-writer-wins"
like "$(head -1 "$TMP/err")" '^mcp-aggregate: stdin:9: conflict: us-east-1 of s-one already has another result for the window ' \
    "...the later, different result of s-one's window kept out, said"
is "$(wc -c <"$SPOOL" | tr -d ' ')" 0 "the spool is empty afterwards"
is "$(res_val -R "unix://$AOF/redis.sock" s-one "$(w 4)" us-east-1 | cut -d' ' -f2,3)" "b tools_list" \
    "the spooled result stands over the later duplicate"

run_windows 0 9
same_verdicts 0 9
is "$?" 0 "verdicts identical to the run without the outage"
is "$(verdicts s-one 0 9)" "g g g g r r r g g g" "and they saw the red period, windows 4-6"

# push -r: its own spool, and what is replayed is held to -r as well.
EU=$(spool_of "$BASE" "$MCP_REDIS" eu-west-2)
mkdir -p "${EU%/*}"
gen -s s-r -r us-east-1 -t "$(w 5)" | grep '"type":"result"' >"$EU"
gen -s s-r -r eu-west-2 -t "$(w 5)" | push -v -r eu-west-2 -S "$BASE" >/dev/null 2>"$TMP/err"
is "$?" 1 "push -r eu-west-2 over a spool holding a us-east-1 record: exit 1"
like "$(cat "$TMP/err")" "^mcp-aggregate: $EU:1: bad region \"us-east-1\": not -r eu-west-2" \
    "the replayed record of another region is refused"
is "$(res_regions s-r "$(w 5)")" "eu-west-2 " "only its own region is stored"
# A push with no store given names the one it spooled for.
gen -s s-d -r us-east-1 -t "$(w 5)" | MCP_REDIS="" push -S "$TMP/d.jsonl" 2>"$TMP/err" >/dev/null
like "$(tail -1 "$TMP/err")" "^mcp-aggregate: spool: $(spool_of "$TMP/d.jsonl" redis://127.0.0.1:6379): 1 records for redis://127.0.0.1:6379 kept for the next push$" \
    "without MCP_REDIS: the default store, named"


# --- a spool that is not push's own: never followed, read or emptied ---------
# The victim: a file of the user's that a link in place of the spool, or
# of its directory, would have push append to, or read and then empty.
victim=$TMP/victim.jsonl
gen -s s-v -r us-east-1 -t "$(w 6)" | grep '"type":"result"' >"$victim"
cp "$victim" "$TMP/victim.orig"
unchanged() { cmp -s "$1" "$TMP/victim.orig"; }
DOWN=unix://$TMP/down.sock
VB=$TMP/vspool/aggregate.jsonl
mkdir -p "$TMP/vspool"
# spool_err URL: push a record to the store URL with its spool of base VB
# in the way, cut after 20 s; "STATUS:the spool's message".
gen -s s-w -r us-east-1 -t "$(w 7)" >"$TMP/w.in"
spool_err() {
	MCP_REDIS=$1 MCP_NOW=$(($(w 7) + 1)) timeout 20 mcp-aggregate push -S "$VB" \
	    <"$TMP/w.in" >/dev/null 2>"$TMP/err"
	echo "$?:$(grep ': spool: ' "$TMP/err")"
}
VS=$(spool_of "$VB" "$DOWN")
ln -s "$victim" "$VS"
is "$(spool_err "$DOWN")" "1:mcp-aggregate: spool: $VS: a symbolic link: refused" \
    "Redis down, the spool a symbolic link: refused, exit 1"
unchanged "$victim"
ok $? "the file it names is unchanged, byte for byte"
rm "$VS"
VU=$(spool_of "$VB" "$MCP_REDIS")
ln -s "$victim" "$VU"
is "$(spool_err "$MCP_REDIS")" "1:mcp-aggregate: spool: $VU: a symbolic link: refused" \
    "Redis up, the spool to replay a symbolic link: refused, exit 1"
unchanged "$victim"
ok $? "the file it names is neither read nor emptied"
is "$(res_val s-v "$(w 6)" us-east-1)" "" "none of its records is stored"
like "$(res_val s-w "$(w 7)" us-east-1)" "^[0-9]+ h" "the records of standard input are"
rm "$VU"
# A hard link is a second name too; a file others can write, another's.
ln "$victim" "$VU"
is "$(spool_err "$MCP_REDIS")" "1:mcp-aggregate: spool: $VU: 2 names (hard links): refused" "a hard link: refused"
unchanged "$victim"
ok $? "and the file is unchanged"
rm "$VU"
cp "$victim" "$VU"
chmod 664 "$VU"
is "$(spool_err "$MCP_REDIS")" "1:mcp-aggregate: spool: $VU: writable by its group or others (mode 664): refused" \
    "a spool its group can write: refused"
unchanged "$VU"
ok $? "neither read nor emptied"
chmod 600 "$VU"
if [ "$(id -u)" = 0 ]; then
	chown 65534 "$VU"
	is "$(spool_err "$MCP_REDIS")" "1:mcp-aggregate: spool: $VU: owned by uid 65534, not by uid 0: refused" \
	    "a spool of another user: refused"
	unchanged "$VU"
	ok $? "neither read nor emptied"
else
	diag "a spool of another user: skipped, not root (chown)"
fi
rm "$VU"
mkfifo -m 600 "$VU"
is "$(spool_err "$MCP_REDIS")" \
    "1:mcp-aggregate: spool: $VU: not a regular file: refused" "a FIFO: refused, without waiting for a writer"
rm "$VU"
# The directory's final component a link: no file made or read through it.
mkdir "$TMP/vdir"
ln -s "$TMP/vdir" "$TMP/vlink"
VB=$TMP/vlink/aggregate.jsonl
is "$(spool_err "$DOWN")" "1:mcp-aggregate: spool: $(spool_of "$VB" "$DOWN"): its directory $TMP/vlink is a symbolic link: refused" \
    "Redis down, the spool's directory a symbolic link: refused"
is "$(ls -A "$TMP/vdir")" "" "nothing is made in the directory it names"
VL=$(spool_of "$VB" "$MCP_REDIS")
cp "$victim" "$TMP/vdir/${VL##*/}"
is "$(spool_err "$MCP_REDIS")" "1:mcp-aggregate: spool: $VL: its directory $TMP/vlink is a symbolic link: refused" \
    "Redis up: the spool behind the link is not replayed"
unchanged "$TMP/vdir/${VL##*/}"
ok $? "neither read nor emptied"

done_testing
