#!/usr/bin/env bash
# aggregate-input.t - mcp-aggregate: bad input lines, duplicates, usage and exit status
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
} >"$TMP/bad.jsonl"
mcp-aggregate push <"$TMP/bad.jsonl" >"$TMP/out" 2>"$TMP/err"
is "$?" 1 "bad lines: exit status 1"
is "$(cat "$TMP/err")" "mcp-aggregate: stdin:10: parse error
mcp-aggregate: stdin:11: missing \"state\"
mcp-aggregate: stdin:12: bad \"slug\": not [a-z0-9._-]{1,80}
mcp-aggregate: stdin:13: bad \"step\": not a step of the contract
mcp-aggregate: stdin:14: bad \"region\": not [a-z0-9._-]{1,80}
mcp-aggregate: stdin:15: missing or bad \"probe_started_at\"
mcp-aggregate: stdin:16: bad \"failed_step\": a broken result names a step of the contract
mcp-aggregate: stdin:17: not a probe record (type \"verdict\")
mcp-aggregate: stdin:18: not a JSON object" "each bad line is reported with its line number"
is "$(cat "$TMP/out")" "" "push prints nothing on stdout"
is "$(rcli hkeys "mcp:{s-bad}:res:$T0" | sort | tr '\n' ' ')" "eu-west-2 us-east-1 " \
    "the good lines around them are stored"

# --- first writer wins ------------------------------------------------------
gen -s s-dup -r us-east-1 -o 5 | mcp-aggregate push
gen -s s-dup -r us-east-1 -o 50 -f tls -m 7 | mcp-aggregate push -v 2>"$TMP/err"
is "$?" 0 "a late duplicate is no error"
is "$(cat "$TMP/err")" "mcp-aggregate: push: 0 results stored, 1 duplicates ignored, 8 step records skipped, 0 bad lines, 0 spooled, 0 replayed from the spool" \
    "the duplicate is counted (-v)"
is "$(rcli hget "mcp:{s-dup}:res:$T0" us-east-1)" "5000 h${HA:7:16} 100" "the first result stands"
is "$(MCP_NOW=$((T0 + 95)) mcp-aggregate verdict s-dup | grep -o '"verdict":"[a-z]*"')" \
    '"verdict":"green"' "the verdict is the first writer's"
printf '%s\n' "$(gen -s s-dup2 -r us-east-1 -o 40 -f tls)" "$(gen -s s-dup2 -r us-east-1 -o 1)" |
    mcp-aggregate push -v 2>"$TMP/err"
like "$(cat "$TMP/err")" ": 1 results stored, 1 duplicates ignored," \
    "first pushed wins, not earliest started"
is "$(rcli hget "mcp:{s-dup2}:res:$T0" us-east-1 | cut -d' ' -f2,3)" "b tls" "the first pushed result stands"

# --- usage and configuration -----------------------------------------------
usage="usage: mcp-aggregate push [-v] [-R URL] [-S FILE] [-t SECONDS]
       mcp-aggregate verdict [-L SECONDS] [-R URL] [-t SECONDS] [SLUG ...]"
mcp-aggregate >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/out")" 2: "no subcommand: exit 2, nothing on stdout"
is "$(cat "$TMP/err")" "$usage" "usage"
if command -v mandoc >/dev/null; then
	synopsis=$(mandoc -Tascii "$TOP/man/mcp-aggregate.1" | sed 's/.\x08//g' |
	    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | tr -s ' \n' ' ')
	is "$synopsis" "$(printf '%s\n' "$usage" | sed 's/^usage://' | tr -s ' \n' ' ')" \
	    "usage matches the SYNOPSIS of mcp-aggregate(1) word for word"
fi
mcp-aggregate frobnicate 2>/dev/null
is "$?" 2 "unknown subcommand: exit 2"
mcp-aggregate verdict -x 2>/dev/null
is "$?" 2 "unknown flag: exit 2"
mcp-aggregate verdict -L 100 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "2:mcp-aggregate: -L 100: the lookback is 120 to 300 seconds" "-L below 120"
mcp-aggregate verdict -L 301 2>/dev/null
is "$?" 2 "-L above 300"
MCP_NOW=$((T0 + 95)) mcp-aggregate verdict -L 120 s-dup >/dev/null
is "$?" 0 "-L 120 is allowed"
mcp-aggregate verdict 'Bad Slug' 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "2:mcp-aggregate: Bad Slug: bad slug: not [a-z0-9._-]{1,80}" \
    "a slug that breaks the rule is a usage error"
mcp-aggregate verdict -R 'http://x' 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "2:mcp-aggregate: bad store URL: unknown scheme (redis://, unix://, redis-sentinel://)" \
    "a bad store URL is a configuration error"
MCP_REDIS=redis://h:99999 mcp-aggregate push </dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "2:mcp-aggregate: bad store URL: bad host or port" "MCP_REDIS is checked too"

# --- runtime failures ------------------------------------------------------
mcp-aggregate verdict -R "unix://$TMP/nothing.sock" >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/out")" 1: "Redis unreachable: verdict exits 1, nothing on stdout"
like "$(cat "$TMP/err")" "^mcp-aggregate: redis: $TMP/nothing.sock: " "and says why"
MCP_NOW=$((T0 + 95)) mcp-aggregate verdict s-dup >/dev/full 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "1:mcp-aggregate: write stdout: No space left on device" ">/dev/full is an error"
MCP_NOW=$((T0 + 95)) mcp-aggregate verdict s-never-seen >"$TMP/out"
is "$(cat "$TMP/out")" "$(want s-never-seen 0 unknown stale - "" "" "" 0 '[]' null null - null -)" \
    "a named slug never seen: unknown, no p95, no uptime"

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
	is "$(cat "$TMP/err")" "mcp-aggregate: redis: ${hole#redis://}: Resource temporarily unavailable" \
	    "with the reason"
	start=$SECONDS
	gen -s s-hole | mcp-aggregate push -t 0.5 -R "$hole" -S "$TMP/hole.spool" 2>/dev/null
	is "$?:$((SECONDS - start < 4)):$(wc -l <"$TMP/hole.spool" | tr -d ' ')" 1:1:1 \
	    "a silent server: push spools after the timeout"
fi

# --- URLs: db, password -----------------------------------------------------
rcli config set requirepass s3cret >/dev/null
gen -s s-auth -r us-east-1 | mcp-aggregate push -R "unix://$REDIS_SOCK?db=3&password=s3cret"
is "$?" 0 "push with a password and a db"
is "$(rcli -a s3cret -n 3 --no-auth-warning hkeys "mcp:{s-auth}:res:$T0")" us-east-1 "stored in db 3"
mcp-aggregate verdict -R "unix://$REDIS_SOCK?password=wrong" 2>"$TMP/err"
is "$?" 1 "a wrong password fails"
like "$(cat "$TMP/err")" "^mcp-aggregate: redis: AUTH: WRONGPASS" "with Redis's reason"
rcli -a s3cret --no-auth-warning config set requirepass '' >/dev/null
rcli acl setuser agg on '>p@ss:w' '~*' '&*' +@all >/dev/null
gen -s s-acl -r us-east-1 | mcp-aggregate push -R "unix://$REDIS_SOCK?user=agg&password=p%40ss%3aw"
is "$?" 0 "AUTH with an ACL user and a percent-encoded password"
is "$(rcli hkeys "mcp:{s-acl}:res:$T0")" us-east-1 "stored as that user"

done_testing
