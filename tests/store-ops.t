#!/usr/bin/env bash
# store-ops.t - the store client as an operator meets it: a store that
# accepts connections and never answers (every tool says "timed out after
# N s", within its bound), and the store's password kept out of argv
# (MCP_REDIS_PASSWORD_FILE; an -R password blanked in the process list)
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

# With an append-only file, as mcp-store(7) asks: check says nothing of the store then.
start_redis --appendonly yes
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }
# secs START: the seconds since START ($EPOCHREALTIME), whole tenths.
secs() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
within() { awk -v s="$1" -v m="$2" 'BEGIN { exit !(s <= m) }'; }

# --- a store that accepts and never answers ---------------------------------
node -e 'const s = require("net").createServer(() => {});
s.listen(0, "127.0.0.1", () => require("fs").writeFileSync(process.argv[1], s.address().port + "\n"))' \
    "$TMP/mute.port" &
bg_pid $!
wait_file "$TMP/mute.port" || skip_all "the mute server did not start"
MUTE=redis://127.0.0.1:$(cat "$TMP/mute.port")
# mcp-alert (5 s a command, a second round on a new link: 10 s) meanwhile.
mcp-alert -R "$MUTE" maint list >/dev/null 2>"$TMP/alert.err" &
alert=$!

t0=$EPOCHREALTIME
mcp-aggregate verdict -t 1 -R "$MUTE" >/dev/null 2>"$TMP/err"
rc=$? s=$(secs "$t0")
is "$rc:$(cat "$TMP/err")" "1:mcp-aggregate: redis: 127.0.0.1:$(cat "$TMP/mute.port"): timed out after 1 s" \
    "verdict: timed out after 1 s (-t 1)"
within "$s" 2.5
ok $? "within its bound (took $s s)"
mcp-aggregate results -t 0.5 -R "$MUTE" weather 1800000000 1800000060 >/dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "1:mcp-aggregate: redis: 127.0.0.1:$(cat "$TMP/mute.port"): timed out after 0.5 s" \
    "results: the same, -t 0.5"
echo '{"v":1}' | mcp-aggregate push -t 1 -r x -S "$TMP/spool" -R "$MUTE" >/dev/null 2>"$TMP/err"
like "$(head -1 "$TMP/err")" "^mcp-aggregate: redis: 127.0.0.1:[0-9]+: timed out after 1 s" "push: the same"
for route in /healthz /api/status; do
	t0=$EPOCHREALTIME
	out=$(MCP_REDIS=$MUTE REQUEST_METHOD=GET PATH_INFO=$route mcp-serve 2>"$TMP/err" | head -1 | tr -d '\r')
	s=$(secs "$t0")
	is "$out" "Status: 503 Service Unavailable" "mcp-serve $route: 503"
	is "$(cat "$TMP/err")" "mcp-serve: redis: 127.0.0.1:$(cat "$TMP/mute.port"): timed out after 2 s" \
	    "its log says it timed out"
	within "$s" 2.9
	ok $? "within mcp-serve(8)'s 2 s, not twice that (took $s s)"
done
wait "$alert"
is "$?:$(cat "$TMP/alert.err")" "1:mcp-alert: redis: 127.0.0.1:$(cat "$TMP/mute.port"): timed out after 5 s" \
    "mcp-alert: timed out after 5 s"

# --- the password: from a file, never in argv -------------------------------
pw=pw-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$pw" >"$TMP/pw"
chmod 600 "$TMP/pw"
rcli config set requirepass "$pw" >/dev/null
MCP_REDIS_PASSWORD_FILE=$TMP/pw mcp-aggregate verdict >/dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "0:" "MCP_REDIS_PASSWORD_FILE: AUTH with its first line"
: >"$TMP/empty.conf"
chmod 600 "$TMP/empty.conf"
MCP_REDIS_PASSWORD_FILE=$TMP/pw mcp-alert -c "$TMP/empty.conf" check 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "0:" "mcp-alert takes it too"
like "$(MCP_REDIS_PASSWORD_FILE=$TMP/pw REQUEST_METHOD=GET PATH_INFO=/healthz mcp-serve 2>&1 | tail -1)" '"store":"ok"' \
    "and mcp-serve"
MCP_REDIS_PASSWORD_FILE=$TMP/none mcp-aggregate verdict 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "2:mcp-aggregate: bad store URL: MCP_REDIS_PASSWORD_FILE $TMP/none: No such file or directory" \
    "a missing password file: exit 2 before any work"
: >"$TMP/empty"
chmod 600 "$TMP/empty"
MCP_REDIS_PASSWORD_FILE=$TMP/empty mcp-aggregate verdict 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "2:mcp-aggregate: bad store URL: MCP_REDIS_PASSWORD_FILE $TMP/empty: nothing on its first line" "an empty one"
cp -p "$TMP/pw" "$TMP/pw-open"
chmod 640 "$TMP/pw-open"
MCP_REDIS_PASSWORD_FILE=$TMP/pw-open mcp-aggregate verdict 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "2:mcp-aggregate: bad store URL: MCP_REDIS_PASSWORD_FILE $TMP/pw-open: accessible by group or others (chmod 600)" \
    "one its group can read is refused, as every secret file of the suite"
MCP_REDIS_PASSWORD_FILE=$TMP/pw mcp-aggregate verdict -R "unix://$REDIS_SOCK?password=wrong" 2>"$TMP/err"
like "$?:$(cat "$TMP/err")" "^1:mcp-aggregate: redis: AUTH: WRONGPASS" "a password in the URL comes first"
# An -R password is blanked in the process list at once: push waits on its
# input, and /proc shows its arguments meanwhile.
mkfifo "$TMP/in"
mcp-aggregate push -r x -R "unix://$REDIS_SOCK?db=2&password=$pw" <"$TMP/in" >/dev/null 2>"$TMP/push.err" &
pid=$!
exec 7>"$TMP/in"
# Until it has blanked it (no fixed time: a busy machine may run it late;
# never blanked, the comparison below fails after 10 s).
wait_for 100 grep -q 'password=\*' "/proc/$pid/cmdline"
args=$(tr '\0' ' ' <"/proc/$pid/cmdline")
exec 7>&-
wait "$pid"
is "$?:$(cat "$TMP/push.err")" "0:" "push -R with a password in it works"
is "$args" "mcp-aggregate push -r x -R unix://$REDIS_SOCK?db=2&password=$(printf '%*s' ${#pw} '' | tr ' ' '*') " \
    "and its process list shows the password as stars"
mcp-alert -c "$TMP/empty.conf" -R "unix://$REDIS_SOCK?password=$pw" check 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "0:" "mcp-alert -R: the same"
rcli -a "$pw" --no-auth-warning config set requirepass '' >/dev/null

done_testing
