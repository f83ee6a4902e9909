#!/usr/bin/env bash
# aggregate-input.t - mcp-aggregate: bad input lines, duplicates, usage and exit status
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/aggregate-lib.sh"

start_redis
export MCP_SPOOL=$TMP/spool
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }

# --- malformed lines are reported with their number, good ones stored -------
good=$(gen -s s-bad -r us-east-1)
res=$(printf '%s\n' "$good" | tail -1)
{
	printf '%s\n' "$good"                                         # lines 1-9
	echo '{"v":1,"type":"result",'                                # 10 bad JSON
	printf '%s\n' "${res/\"state\":\"healthy\",/}"                # 11 no state
	printf '%s\n' "${res/\"slug\":\"s-bad\"/\"slug\":\"Bad Slug\"}" # 12 slug rule
	gen -s s-bad -r us-west-2 | head -1 | sed 's/"step":"dns"/"step":"ping"/' # 13 unknown step
	printf '%s\n' "${res/\"region\":\"us-east-1\"/\"region\":\"EU\"}" # 14 region rule
	printf '%s\n' "$res" | sed 's/"probe_started_at":[0-9.]*/"probe_started_at":"soon"/' # 15
	printf '%s\n' "${res/\"state\":\"healthy\",\"failed_step\":null/\"state\":\"broken\",\"failed_step\":\"ping\"}" # 16
	echo '{"v":1,"type":"verdict","slug":"s-bad"}'                # 17 not a probe record
	echo '[1,2]'                                                  # 18 not an object
	gen -s s-bad -r eu-west-2 | tail -1                           # 19 good
	printf '%s\n' "${res/\"slug\":\"s-bad\"/\"slug\":\"..\"}"     # 20 all dots
} >"$TMP/bad.jsonl"
push <"$TMP/bad.jsonl" >"$TMP/out" 2>"$TMP/err"
is "$?" 1 "bad lines: exit status 1"
is "$(cat "$TMP/err")" "mcp-aggregate: stdin:10: parse error
mcp-aggregate: stdin:11: missing \"state\"
mcp-aggregate: stdin:12: bad slug \"Bad Slug\": not [a-z0-9._-]{1,80}, not all dots
mcp-aggregate: stdin:13: bad step \"ping\": not a step of the contract
mcp-aggregate: stdin:14: bad region \"EU\": not [a-z0-9._-]{1,80}, not all dots
mcp-aggregate: stdin:15: probe_started_at: not a number
mcp-aggregate: stdin:16: bad failed_step \"ping\": a broken result names a step of the contract
mcp-aggregate: stdin:17: not a probe record (type \"verdict\")
mcp-aggregate: stdin:18: not a JSON object
mcp-aggregate: stdin:20: bad slug \"..\": not [a-z0-9._-]{1,80}, not all dots" "each bad line is reported with its line number"
is "$(cat "$TMP/out")" "" "push prints nothing on stdout"
is "$(res_regions s-bad "$T0")" "eu-west-2 us-east-1 " \
    "the good lines around them are stored"

# --- limits (LIMITS in mcp-aggregate(1)) ------------------------------------
NOW=$((T0 + 100))
# lim FIELD VALUE [GEN ARGS]: a result of slug s-lim whose FIELD is VALUE.
lim() {
	local f=$1 v=$2
	shift 2
	gen -q -s s-lim "$@" | sed -E "s/\"$f\":(\"[^\"]*\"|[^,}]*)/\"$f\":$v/"
}
# pushed_at NOW [ARGS]: push with the clock at NOW, the -v summary kept.
pushed_at() { MCP_NOW=$1 mcp-aggregate push -v "${@:2}" 2>"$TMP/err"; }
# summary STORED STEPS BAD: the -v line of a push without duplicates or spool.
summary() {
	echo "mcp-aggregate: push: $1 results stored, 0 duplicates ignored, $2 step records skipped, $3 bad lines, 0 spooled, 0 replayed from the spool"
}

# One start far ahead of the clock cannot empty the slug index (it was
# trimmed from the latest start pushed) nor be the first writer of windows
# to come; the index is trimmed from the clock.
{ gen -s s-keep1 -r us-east-1; gen -s s-keep2 -r eu-west-2; } | push
lim probe_started_at $((T0 + 40 * 86400)).5 -s s-future | pushed_at "$NOW"
is "$?:$(cat "$TMP/err")" "1:mcp-aggregate: stdin:1: probe_started_at $((T0 + 40 * 86400)).5 is more than 300 s ahead of the clock
$(summary 0 0 1)" "a start 40 days ahead is refused, naming the line and the value"
is "$(rcli zrange mcp:slugs 0 -1 | grep -c '^s-keep[12]$')" 2 "the other slugs stay in the index"
is "$(rcli --scan --pattern 'mcp:{s-future}:*' | wc -l | tr -d ' ')" 0 "nothing of the refused line is stored"
# A start ahead of the clock is taken in the window under way (it ends at
# T0 + 120), never in one that has not begun: its first writer would be
# whoever wrote before the runner that probes it.  A step record (nothing
# of it stored) may be 300 s ahead, not a millisecond more.
{
	gen -q -s s-lim -r us-east-1 -t $((T0 + 120)) -o -0.001
	gen -q -s s-lim -r eu-west-2 -t $((T0 + 120)) -o 0
	gen -s s-lim -r us-west-2 -t $((NOW + 300)) -o 0.001 | head -1
} | pushed_at "$NOW"
is "$?:$(cat "$TMP/err")" "1:mcp-aggregate: stdin:2: probe_started_at $((T0 + 120)): its window 2026-11-24T16:02:00Z has not begun on this host's clock: a result is of a window under way or past
mcp-aggregate: stdin:3: probe_started_at $((NOW + 300)).001 is more than 300 s ahead of the clock
mcp-aggregate: push: 1 results refused for a window not begun on this host's clock
$(summary 1 0 2)" "a start ahead of the clock is taken in the window under way, not in the next; step records 300 s ahead"
is "$(rcli hget "mcp:{audit}:count:$((NOW / 86400))" "future eu-west-2")" 1 \
    "...the result of a window not begun is counted (mcp:{audit}:count:DAY)"
{
	gen -q -s s-lim -r us-east-1 -t $((NOW - 30 * 86400)) -o 0
	gen -q -s s-lim -r eu-west-2 -t $((NOW - 30 * 86400)) -o -0.5
} | pushed_at "$NOW"
is "$?:$(cat "$TMP/err")" "1:mcp-aggregate: stdin:2: probe_started_at $((NOW - 30 * 86400 - 1)).5 is more than 30 days behind the clock
$(summary 1 0 1)" "a start 30 days behind the clock is taken, an older one refused"
rcli zadd mcp:slugs $((NOW - 25 * 86400)) s-stale >/dev/null
gen -q -s s-keep1 -r us-east-1 | pushed_at $((NOW + 10 * 86400))
is "$?:$(rcli zscore mcp:slugs s-stale):$(rcli zscore mcp:slugs s-keep1)" "0::$((T0 + 2)).5" \
    "the index is trimmed 30 days back from the clock, not from the starts pushed"
# The regions seen are trimmed from the clock too: a start a little ahead
# of it does not take the other regions with it.
gen -q -s s-seen -r us-east-1 -t $((T0 + 150)) -o 0 | push
gen -q -s s-seen -r eu-west-2 -t $((T0 + 2 * 86400 + 110)) | pushed_at $((T0 + 2 * 86400 + 100))
is "$?:$(rcli zrange "mcp:{s-seen}:seen" 0 -1 | tr '\n' ' ')" "0:us-east-1 eu-west-2 " \
    "a region seen two days before the clock stays"

# Every number that enters the store is bounded, and named short.
{
	lim ms 1e308 -r r1
	lim ms -1 -r r2
	lim ms '"fast"' -r r3
	lim ms 86400001 -r r4
	lim probe_started_at 1e308 -r r5
	lim probe_started_at -1 -r r6
	lim probe_started_at 1795536000000 -r r7
	lim probe_started_at '"soon"' -r r8
	lim ms 86400000 -r r9
	lim ms 7200000 -r r10
	lim ms null -r r11
} | pushed_at "$NOW"
is "$?:$(cat "$TMP/err")" "1:mcp-aggregate: stdin:1: ms 1e+308: out of range (0 to 86400000)
mcp-aggregate: stdin:2: ms -1: out of range (0 to 86400000)
mcp-aggregate: stdin:3: ms: not a number or null
mcp-aggregate: stdin:4: ms 86400001: out of range (0 to 86400000)
mcp-aggregate: stdin:5: probe_started_at 1e+308: not a time (0 to 253402300799)
mcp-aggregate: stdin:6: probe_started_at -1: not a time (0 to 253402300799)
mcp-aggregate: stdin:7: probe_started_at 1795536000000: not a time (0 to 253402300799)
mcp-aggregate: stdin:8: probe_started_at: not a number
$(summary 3 0 8)" "each bad number is refused, naming the line, the field and the value in short"
is "$(res_regions s-lim "$T0")" "r10 r11 r9 " "only the good ones are stored"
is "$(res_val s-lim "$T0" r9) | $(res_val s-lim "$T0" r10)" \
    "2500 h${HA:7:4} 3600000 | 2500 h${HA:7:4} 3600000" "a duration above an hour is kept as an hour"
is "$(MCP_NOW=$((T0 + 95)) mcp-aggregate verdict s-lim | grep -o '"latency_ms":[0-9]*')" \
    '"latency_ms":3600000' "so latency_ms is never more than mcp-alert(1) takes"
MCP_NOW=1e300 mcp-aggregate verdict s-lim >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/out"):$(cat "$TMP/err")" "2::mcp-aggregate: MCP_NOW: not a time (0 to 253402300799)" \
    "a clock past the year 9999 is a configuration error"

# Names: no NUL, and a bad one is named as JSON, cut to 100 bytes.
long=$(printf 'x%.0s' $(seq 300))
{
	lim slug '"good\\u0000x"'
	lim region '"us-east-1\\u0000"'
	printf '%s\n' "$(lim slug '"good"')" | sed 's/"good"/"go\x00od"/'
	lim slug '"Bad Slug!"'
	lim region '"us\\u001b[2Jeast"'
	lim slug "\"$long\""
	lim type '"verdict\\u0007"'
	lim state '"up"'
	lim tool_hash '"sha256: spaced"'
} | pushed_at "$NOW"
is "$?:$(cat "$TMP/err")" "1:mcp-aggregate: stdin:1: a string holds U+0000
mcp-aggregate: stdin:2: a string holds U+0000
mcp-aggregate: stdin:3: a NUL byte in the JSON text
mcp-aggregate: stdin:4: bad slug \"Bad Slug!\": not [a-z0-9._-]{1,80}, not all dots
mcp-aggregate: stdin:5: bad region \"us\\u001b[2Jeast\": not [a-z0-9._-]{1,80}, not all dots
mcp-aggregate: stdin:6: bad slug \"${long:0:100}\"...: not [a-z0-9._-]{1,80}, not all dots
mcp-aggregate: stdin:7: not a probe record (type \"verdict\\u0007\")
mcp-aggregate: stdin:8: bad state \"up\": not healthy, auth-walled, broken or unjudged
mcp-aggregate: stdin:9: bad tool_hash \"sha256: spaced\": not 1 to 128 printable ASCII characters
$(summary 0 0 9)" "a NUL anywhere is refused; a bad name is shown escaped and cut"
is "$(rcli --scan --pattern 'mcp:{good*' | wc -l | tr -d ' ')" 0 "no slug cut at its NUL is stored"

# A line over 1 MiB is reported and skipped; the records after it are stored.
{
	gen -s s-long -r us-east-1
	head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' x
	echo
	gen -s s-long -r eu-west-2
} | pushed_at "$NOW"
is "$?:$(cat "$TMP/err")" "1:mcp-aggregate: stdin:10: line too long (over 1048576 bytes)
$(summary 2 16 1)" "a 2 MiB line: reported with its number, counted, exit 1"
is "$(res_regions s-long "$T0")" "eu-west-2 us-east-1 " \
    "the records after it are stored"

# Standard output: push writes none; verdict's failures are said once.
gen -s s-out | push >/dev/full 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" 0: "push >/dev/full: nothing to write, no error"
closed_pipe env MCP_NOW=$((T0 + 95)) mcp-aggregate verdict s-out 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" 141: "verdict | true: ends by SIGPIPE, quietly"

# --- first writer wins ------------------------------------------------------
gen -s s-dup -r us-east-1 -o 5 | push
gen -s s-dup -r us-east-1 -o 5 | push -v 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "0:mcp-aggregate: push: 0 results stored, 1 duplicates ignored, 8 step records skipped, 0 bad lines, 0 spooled, 0 replayed from the spool" \
    "the same result again (a retry) is a duplicate, no error, counted (-v)"
gen -s s-dup -r us-east-1 -o 50 -f tls -m 7 | push -v 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "0:mcp-aggregate: stdin:9: conflict: us-east-1 of s-dup already has another result for the window 2026-11-24T16:00:00Z: this one is kept out (the first writer wins), counted and audited (mcp-aggregate status)
mcp-aggregate: push: 1 results conflicted with another of their window, kept out and counted (mcp-aggregate status)
mcp-aggregate: push: 0 results stored, 0 duplicates ignored, 8 step records skipped, 0 bad lines, 0 spooled, 0 replayed from the spool" \
    "another result of the window is a conflict: said, no error"
like "$(rcli lrange "mcp:{audit}:conflict" 0 0)" " s-dup us-east-1 $T0 -\$" \
    "...kept in the audit: the slug, region, window and writer (push)"
is "$(res_val s-dup "$T0" us-east-1)" "5000 h${HA:7:4} 100" "the first result stands"
is "$(MCP_NOW=$((T0 + 95)) mcp-aggregate verdict s-dup | grep -o '"verdict":"[a-z]*"')" \
    '"verdict":"green"' "the verdict is the first writer's"
printf '%s\n' "$(gen -s s-dup2 -r us-east-1 -o 40 -f tls)" "$(gen -s s-dup2 -r us-east-1 -o 1)" |
    push -v 2>"$TMP/err"
like "$(cat "$TMP/err")" ": 1 results stored, 0 duplicates ignored," \
    "first pushed wins, not earliest started"
like "$(cat "$TMP/err")" "stdin:18: conflict: us-east-1 of s-dup2 " "...the second is a conflict"
is "$(res_val s-dup2 "$T0" us-east-1 | cut -d' ' -f2,3)" "b tls" "the first pushed result stands"

# --- usage and configuration -----------------------------------------------
usage="usage: mcp-aggregate push [-v] [-r REGION] [-R URL] [-S FILE] [-t SECONDS]
       mcp-aggregate push [-v] [-r REGION] [-S FILE] [-t SECONDS] --to URL --token-file FILE [--cacert FILE] [--linger SECONDS]
       mcp-aggregate verdict [-F SLUGS] [-L SECONDS] [-P PERCENT] [-R URL] [-t SECONDS] [--shard K/N | SLUG ...]
       mcp-aggregate results [-R URL] [-t SECONDS] SLUG [FROM [TO]]
       mcp-aggregate status [--json] [-R URL] [-t SECONDS] [SLUG ...]
       mcp-aggregate report [-R URL] [-t SECONDS] [--json | --csv] [--month YYYY-MM | --from YYYY-MM [--to YYYY-MM]] [SLUG ...]
       mcp-aggregate audit [-R URL] [-t SECONDS] [--json] [--period DURATION] [--save] [--at EPOCH] [--dataset DIR]
       mcp-aggregate registry sync [-R URL] [-t SECONDS] [--full] [--allow-http] [--force] [--deadline SECONDS] [--cacert FILE] [URL]
       mcp-aggregate targets [-R URL] [-t SECONDS] [-o OVERRIDES] [--shard K/N]
       mcp-aggregate targets [-S FILE] [-t SECONDS] [--shard K/N] --from URL --token-file FILE [--cacert FILE]
       mcp-aggregate token [-R URL] [-t SECONDS] add REGION | list [REGION] | revoke [--take-back] REGION ID
       mcp-aggregate reader [-R URL] [-t SECONDS] add | list | revoke ID
       mcp-aggregate tools [-R URL] [-t SECONDS] [--json] [--diff | --history] SLUG [A [B]]
       mcp-aggregate tools [-R URL] [-t SECONDS] [--json] --approve | --reject [--region REGION] [--by WHO] [--kind tools | resources | prompts] SLUG
       mcp-aggregate tools [-R URL] [-t SECONDS] --lock [--slugs FILE] [SLUG ...]
       mcp-aggregate tools [-R URL] [-t SECONDS] [--json | --sarif] [--served FILE] --check LOCK
       mcp-aggregate fleet [-R URL] [-t SECONDS] [-g NAME=SLUG,SLUG...] [--json] [--save]
       mcp-aggregate ingest [-o OVERRIDES] [-R URL] [-t SECONDS]"
see="See mcp-aggregate(1) for the manual."
mcp-aggregate >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/out")" 2: "no subcommand: exit 2, nothing on stdout"
is "$(cat "$TMP/err")" "$usage
$see" "usage, and where the manual is"
mcp-aggregate results 'A B' 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "2:mcp-aggregate: A B: bad slug: not [a-z0-9._-]{1,80}, not all dots" "results checks its slug"
mcp-aggregate results s-dup "$((T0 + 90000))" "$T0" 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "2:mcp-aggregate: $((T0 + 90000)) $T0: TO before FROM, or more than 25 hours after it" \
    "results refuses a range backwards"
is "$(mcp-aggregate results s-dup "$((T0 - 60))" "$((T0 + 59))")" "$T0 us-east-1 5000 h${HA:7:4} 100" \
    "results prints WINDOW REGION VALUE, the windows of the range"
if command -v mandoc >/dev/null; then
	synopsis=$(mandoc -Tascii "$TOP/man/mcp-aggregate.1" | sed 's/.\x08//g' |
	    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | tr -s ' \n' ' ')
	is "$synopsis" "$(printf '%s\n' "$usage" | sed 's/^usage://' | tr -s ' \n' ' ')" \
	    "usage matches the SYNOPSIS of mcp-aggregate(1) word for word"
fi
mcp-aggregate frobnicate 2>"$TMP/err"
is "$?:$(head -1 "$TMP/err")" "2:mcp-aggregate: frobnicate: unknown command" "unknown subcommand: named, exit 2"
mcp-aggregate verdict -x 2>"$TMP/err"
is "$?:$(head -2 "$TMP/err")" "2:mcp-aggregate: verdict: -x: unknown option
usage: mcp-aggregate verdict [-F SLUGS] [-L SECONDS] [-P PERCENT] [-R URL] [-t SECONDS] [--shard K/N | SLUG ...]" \
    "unknown flag: named, the subcommand's usage, exit 2"
mcp-aggregate verdict -L 100 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "2:mcp-aggregate: -L 100: the lookback is 120 to 300 seconds" "-L below 120"
mcp-aggregate verdict -L 301 2>/dev/null
is "$?" 2 "-L above 300"
MCP_NOW=$((T0 + 95)) mcp-aggregate verdict -L 120 s-dup >/dev/null
is "$?" 0 "-L 120 is allowed"
mcp-aggregate verdict 'Bad Slug' 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "2:mcp-aggregate: Bad Slug: bad slug: not [a-z0-9._-]{1,80}, not all dots" \
    "a slug that breaks the rule is a usage error"
mcp-aggregate verdict -R 'http://x' 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "2:mcp-aggregate: bad store URL: unknown scheme (redis://, unix://, redis-sentinel://, redis-cluster://)" \
    "a bad store URL is a configuration error"
MCP_REDIS=redis://h:99999 mcp-aggregate push </dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "2:mcp-aggregate: bad store URL: bad host or port" "MCP_REDIS is checked too"

# --- runtime failures ------------------------------------------------------
mcp-aggregate verdict -R "unix://$TMP/nothing.sock" >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/out")" 1: "Redis unreachable: verdict exits 1, nothing on stdout"
like "$(cat "$TMP/err")" "^mcp-aggregate: redis: $TMP/nothing.sock: " "and says why"
MCP_NOW=$((T0 + 95)) mcp-aggregate verdict s-dup >/dev/full 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "1:mcp-aggregate: write stdout: No space left on device" ">/dev/full is an error"
MCP_NOW=$((T0 + 95)) mcp-aggregate verdict s-never-seen >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/out"):$(cat "$TMP/err")" \
    "1::mcp-aggregate: verdict: s-never-seen: no results stored for this slug" \
    "a named slug never seen: no verdict, named in an error"
MCP_NOW=$((T0 + 95)) mcp-aggregate verdict .. 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "2:mcp-aggregate: ..: bad slug: not [a-z0-9._-]{1,80}, not all dots" \
    "a slug of dots only is no slug"

# A server that accepts and never answers: the command timeout holds.
if command -v node >/dev/null; then
	node -e 'require("net").createServer(() => {}).listen(0, "127.0.0.1", function () {
		require("fs").writeFileSync(process.argv[1], String(this.address().port)) })' \
	    "$TMP/hole.port" &
	bg_pid $!
	wait_file "$TMP/hole.port"
	hole=redis://127.0.0.1:$(cat "$TMP/hole.port")
	start=$SECONDS
	mcp-aggregate verdict -t 0.5 -R "$hole" 2>"$TMP/err"
	is "$?:$((SECONDS - start < 4))" 1:1 "a silent server: verdict gives up after the -t timeout"
	is "$(cat "$TMP/err")" "mcp-aggregate: redis: ${hole#redis://}: timed out after 0.5 s" \
	    "with the reason"
	start=$SECONDS
	gen -s s-hole | push -t 0.5 -R "$hole" -S "$TMP/hole.spool" 2>/dev/null
	is "$?:$((SECONDS - start < 4)):$(wc -l <"$(spool_of "$TMP/hole.spool" "$hole")" | tr -d ' ')" 1:1:1 \
	    "a silent server: push spools after the timeout"
fi

# --- push -r: a runner speaks for its own region only ----------------------
{
	gen -s s-own -r eu-west-2
	gen -s s-own -r us-east-1 | tail -1
	gen -s s-own -r us-east-1 | head -1
} | push -r eu-west-2 2>"$TMP/err"
is "$?" 1 "push -r: a record of another region is an error"
is "$(cat "$TMP/err")" 'mcp-aggregate: stdin:10: bad region "us-east-1": not -r eu-west-2
mcp-aggregate: stdin:11: bad region "us-east-1": not -r eu-west-2' "reported with its line number, step or result"
is "$(res_regions s-own "$T0" | sed "s/ $//")" eu-west-2 "only the region's own result is stored"
mcp-aggregate push -r 'EU WEST' </dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" '2:mcp-aggregate: -r EU WEST: bad region: not [a-z0-9._-]{1,80}, not all dots' "push -r checks its region"

# --- URLs: db, password -----------------------------------------------------
rcli config set requirepass s3cret >/dev/null
gen -s s-auth -r us-east-1 | push -R "unix://$REDIS_SOCK?db=3&password=s3cret"
is "$?" 0 "push with a password and a db"
is "$(res_regions -R "unix://$REDIS_SOCK?db=3&password=s3cret" s-auth "$T0" | sed "s/ $//")" \
    us-east-1 "stored in db 3"
mcp-aggregate verdict -R "unix://$REDIS_SOCK?password=wrong" 2>"$TMP/err"
is "$?" 1 "a wrong password fails"
like "$(cat "$TMP/err")" "^mcp-aggregate: redis: AUTH: WRONGPASS" "with Redis's reason"
rcli -a s3cret --no-auth-warning config set requirepass '' >/dev/null
rcli acl setuser agg on '>p@ss:w' '~*' '&*' +@all >/dev/null
gen -s s-acl -r us-east-1 | push -R "unix://$REDIS_SOCK?user=agg&password=p%40ss%3aw"
is "$?" 0 "AUTH with an ACL user and a percent-encoded password"
is "$(res_regions s-acl "$T0" | sed "s/ $//")" us-east-1 "stored as that user"

done_testing
