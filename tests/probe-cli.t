#!/usr/bin/env bash
# build: both (the plain build checks what the sanitizers cannot: peak memory, valgrind, the long walks)
# probe-cli.t - mcp-probe's contract at the edges: usage, configuration, pipes, fleets, secrets
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

start_fixture || skip_all "fixture server did not start"
printf '  %s  \n' "$FIXTURE_TOKEN" >"$TMP/token"
chmod 600 "$TMP/token"

# usage_case DESC ARGS...: exit 2, nothing on stdout, one diagnostic line.
usage_case() {
	local desc=$1 rc
	shift
	mcp-probe "$@" >"$TMP/u.out" 2>"$TMP/u.err"
	rc=$?
	is "$rc $(wc -c <"$TMP/u.out")" "2 0" "$desc: exit 2, nothing on stdout"
	like "$(head -n 1 "$TMP/u.err")" '^(usage: mcp-probe|mcp-probe: )' "$desc: says why on stderr"
}

usage_case "no arguments"
usage_case "no region" "$FIX/open/mcp"
usage_case "bad region" -r EU "$FIX/open/mcp"
usage_case "URL and -f" -r t -f /dev/null "$FIX/open/mcp"
usage_case "not a URL" -r t ftp://example/
usage_case "bad slug" -r t -s 'No Caps' "$FIX/open/mcp"
usage_case "bad -t" -r t -t 0 "$FIX/open/mcp"
usage_case "bad -a" -r t -c echo -a '[1]' "$FIX/open/mcp"
usage_case "missing targets file" -r t -f "$TMP/nope"
usage_case "unreadable --cacert" -r t --cacert "$TMP/nope" "$FIX/open/mcp"
chmod 644 "$TMP/token"
usage_case "token file readable by others" -r t -T "$TMP/token" "$FIX/open/mcp"
like "$(cat "$TMP/u.err")" 'accessible by group or others' "token file: the reason names the permission"
chmod 600 "$TMP/token"
mkfifo -m 600 "$TMP/fifo"
# A FIFO must not hold the probe at its open (nobody writes to it here).
timeout 10 mcp-probe -r t -T "$TMP/fifo" "$FIX/open/mcp" >"$TMP/u.out" 2>"$TMP/u.err"
is "$?:$(cat "$TMP/u.err")" "2:mcp-probe: token file $TMP/fifo: not a regular file" \
    "a FIFO as the token file: refused at once, not waited on"

cat >"$TMP/bad-targets" <<EOT
# a comment
good $FIX/open/mcp

BAD $FIX/open/mcp
EOT
usage_case "bad line in a targets file" -r t -f "$TMP/bad-targets"
like "$(cat "$TMP/u.err")" 'bad-targets:4: bad slug' "targets file: the error names the line"
printf 'a %s/open/mcp colour=blue\n' "$FIX" >"$TMP/bad-key"
usage_case "unknown key" -r t -f "$TMP/bad-key"
printf 'a %s/open/mcp\na %s/json/mcp\n' "$FIX" "$FIX" >"$TMP/dup"
usage_case "duplicate slug" -r t -f "$TMP/dup"
printf 'a %s/open/mcp\n# two servers, one slug\n\na %s/json/mcp\n' "$FIX" "$FIX" >"$TMP/dup"
mcp-probe -r t -n -f "$TMP/dup" >/dev/null 2>"$TMP/u.err"
is "$?:$(cat "$TMP/u.err")" "2:mcp-probe: $TMP/dup:4: slug \"a\" given twice, on lines 1 and 4" \
    "duplicate slug: a configuration error naming both lines"

# The default slug: host, a port given, path (mcp-probe(1), -s).
dslug() { mcp-probe -r t -t 0.2 "$1" 2>/dev/null | jq -r 'select(.type == "result") | .slug'; }
is "$(dslug "$FIX/a/mcp") $(dslug "$FIX/b/mcp")" \
    "127.0.0.1-${FIX##*:}-a-mcp 127.0.0.1-${FIX##*:}-b-mcp" "two servers on one host get two default slugs"
is "$(dslug 'https://User:pw@MCP.Example.com/?api_key=x')" mcp.example.com \
    "default slug: no userinfo, no query, lower case; no path adds nothing"
long="https://h.example/$(printf 'segment/%.0s' $(seq 12))mcp"
like "$(dslug "$long")" '^h\.example-segment-segment-.*-[0-9a-f]{8}$' "default slug past 80 characters: cut, and a hash of the whole"
is "$(dslug "$long" | wc -c)" 81 "default slug past 80 characters: 80 long"
# Nothing of a line may hide past a NUL byte, or past a length cap.
printf 'a %s/open/mcp\0 era=sse\n' "$FIX" >"$TMP/nul"
usage_case "a NUL byte in a targets line" -r t -f "$TMP/nul"
like "$(cat "$TMP/u.err")" 'nul:1: a NUL byte$' "targets file: the NUL byte is named, with its line"
{ printf 'a %s/open/mcp\nb %s/open/mcp #' "$FIX" "$FIX"; head -c 1100000 /dev/zero | tr '\0' x; echo; } >"$TMP/long"
usage_case "a 1 MB targets line" -r t -f "$TMP/long"
like "$(cat "$TMP/u.err")" 'long:2: line too long \(over 1048576 bytes\)$' "targets file: the long line is named"

# --- a fleet from a targets file --------------------------------------------
cat >"$TMP/targets" <<EOT
# slug   url                              options
open     $FIX/open/mcp
json     $FIX/json/mcp       # trailing comment
walled   $FIX/auth/mcp
creds    $FIX/auth/mcp      token_file=$TMP/token
echo     $FIX/open/mcp      call=echo call_args={"message":"hi#1"}
slow     $FIX/hang/mcp      timeout=2
down     $FIX/status500/mcp
paged    $FIX/paginate/mcp
EOT
mcp-probe -r t -f "$TMP/targets" -n >"$TMP/n.out" 2>"$TMP/n.err"
is "$? $(wc -c <"$TMP/n.out")" "0 0" "-n: checks the targets file, probes nothing"
like "$(cat "$TMP/n.err")" '8 targets ok' "-n: says how many targets"

mcp-probe -r t -j 3 -f "$TMP/targets" >"$TMP/fleet.out" 2>"$TMP/fleet.err"
is "$?" 1 "fleet: exit 1 when a target is broken"
is "$(wc -l <"$TMP/fleet.out")" 72 "fleet: nine records for each of eight targets"
is "$(jq -r .probe_id "$TMP/fleet.out" | uniq | wc -l)" 8 "fleet: each target's records are written together"
is "$(jq -r 'select(.type == "result") | "\(.slug)=\(.state)"' "$TMP/fleet.out" | sort | tr '\n' ' ')" \
    "creds=healthy down=broken echo=healthy json=healthy open=healthy paged=healthy slow=broken walled=auth-walled " \
    "fleet: every target's state"
is "$(jq -r 'select(.type == "result" and .slug == "slow") | .error.code' "$TMP/fleet.out")" timeout \
    "fleet: per-target timeout= applies"
is "$(jq -r 'select(.slug == "echo" and .step == "call") | .status' "$TMP/fleet.out")" pass \
    "fleet: call= and call_args= (with a # inside) reach the tool"
is "$(jq -r 'select(.type == "result") | .slug' "$TMP/fleet.out" | tail -n 1)" slow \
    "fleet: a slow target does not hold back the others' records"
is "$(cat "$TMP/fleet.err")" "" "fleet: nothing on stderr"

# --- pipes ------------------------------------------------------------------
mcp-probe -r t "$FIX/open/mcp" | head -n 1 >"$TMP/head.out" 2>"$TMP/head.err"
is "$(jq -r .step "$TMP/head.out") $(wc -c <"$TMP/head.err")" "dns 0" "| head -1: first record, quiet end"
mcp-probe -r t -f "$TMP/targets" 2>"$TMP/pipe.err" | head -n 1 >/dev/null
is "$(cat "$TMP/pipe.err")" "" "| head -1 on a fleet: no error message"
mcp-probe -r t "$FIX/open/mcp" >/dev/full 2>"$TMP/full.err"
is "$?" 1 ">/dev/full: exit 1"
like "$(cat "$TMP/full.err")" '^mcp-probe: write stdout: No space left on device$' ">/dev/full: says so"

# --- MCP_NOW sets probe_started_at ---------------------------------------------
MCP_NOW=1795536000.123 mcp-probe -r t "$FIX/open/mcp" >"$TMP/now.out"
is "$(jq -r .probe_started_at "$TMP/now.out" | sort -u)" 1795536000.123 "MCP_NOW: every record carries it"

# --- secrets never leave the probe ---------------------------------------------
mcp-probe -r t -T "$TMP/token" "$FIX/auth/mcp" >"$TMP/secret1.out" 2>&1
mcp-probe -r t -T "$TMP/token" "$FIX/session-lost/mcp" >"$TMP/secret2.out" 2>&1
mcp-probe -r t "http://user:hunter2pass@127.0.0.1:${FIX##*:}/open/mcp" >"$TMP/secret3.out" 2>&1
is "$(jq -r .url "$TMP/secret3.out" | sort -u)" "$FIX/open/mcp" "URL userinfo is not printed"
sessions=$(awk '$1 == "session" { print $2 }' "$FIXTURE_LOG" | sort -u)
ok "$([ -n "$sessions" ]; echo $?)" "the fixture handed out session ids ($(printf '%s\n' "$sessions" | wc -l))"
leaks=0
for s in $sessions "$FIXTURE_TOKEN" hunter2pass; do
	grep -rlF -- "$s" "$TMP"/*.out "$TMP"/*.err >/dev/null 2>&1 && leaks=$((leaks + 1))
done
is "$leaks" 0 "no token, session id or password in anything this script printed"

# --- the region header: every request the probe made carried it ------------
is "$(grep -c '^region - ' "$FIXTURE_LOG")" 0 "X-Probe-Region on every request (only the probe talked to the fixture here)"
like "$(grep -c '^region t DELETE ' "$FIXTURE_LOG")" '^[1-9]' "X-Probe-Region on the closing DELETE"
like "$(grep -c '^region t GET /\.well-known/' "$FIXTURE_LOG")" '^[1-9]' "X-Probe-Region on metadata fetches"

# --- valgrind: no leak for a healthy probe (plain build) ---------------------------
if case $(ldd "$BIN/mcp-probe" 2>/dev/null) in *libasan*) true ;; *) false ;; esac; then
	diag "valgrind skipped: $BIN is the ASan build (LeakSanitizer checks it instead)"
elif ! command -v valgrind >/dev/null; then
	ok 1 "valgrind is not installed"
else
	valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
	    mcp-probe -r t -T "$TMP/token" "$FIX/auth/mcp" >/dev/null 2>"$TMP/vg.err"
	is "$?" 0 "valgrind: no leak or error for a healthy credentialed probe"
	valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
	    mcp-probe -r t -t 2 "$FIX/hang-list/mcp" >/dev/null 2>>"$TMP/vg.err"
	is "$?" 1 "valgrind: no leak or error for a probe that times out"
	[ -s "$TMP/vg.err" ] && sed 's/^/# /' "$TMP/vg.err" | head -20
fi

done_testing
