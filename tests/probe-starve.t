#!/usr/bin/env bash
# test: long (a minute or so under load: started before the rest)
# probe-starve.t - tarpits in the fleet: servers that take the connection and never answer
# (silent, after the TLS handshake, or trickling a byte a second), named to
# sort first and many more than -j, beside working servers: every working
# server healthy, every tarpit that had its whole timeout a classified
# timeout, the run over by its deadline (-d) with a result for every
# target; what the run could not judge (not started, ended to make room,
# cut by -d or SIGTERM) unjudged, never broken, and counted; the bounds of
# the slow targets
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

start_fixture || skip_all "fixture server did not start"
# pit MODE [FLAGS...]: a tarpit (tests/fixtures/tarpit.mjs) on 127.0.0.1;
# its port in $TMP/pit-MODE.port, a line in $TMP/pit-MODE.log a connection.
pit() {
	local m=$1
	shift
	node "$TOP/tests/fixtures/tarpit.mjs" --mode "$m" "$@" --log "$TMP/pit-$m.log" \
	    --port-file "$TMP/pit-$m.port" 2>"$TMP/pit-$m.err" &
	bg_pid $!
	wait_file "$TMP/pit-$m.port" || skip_all "tarpit.mjs --mode $m did not start: $(cat "$TMP/pit-$m.err")"
}
pit silent
pit tls --tls-cert "$TMP/certs/good.pem" --tls-key "$TMP/certs/good.key"
pit trickle
SILENT=http://127.0.0.1:$(cat "$TMP/pit-silent.port")/mcp
STALL=https://localhost:$(cat "$TMP/pit-tls.port")/mcp
TRICKLE=http://127.0.0.1:$(cat "$TMP/pit-trickle.port")/mcp
probe() { mcp-probe -r t --cacert "$TMP/certs/ca.pem" "$@"; }
# results FILE: "slug state failed_step code" of each result, sorted.
results() { jq -r 'select(.type == "result") | "\(.slug) \(.state) \(.failed_step) \(.error.code)"' "$1" | sort; }
# whole FILE: the number of targets whose records are not nine, together.
whole() { jq -r .probe_id "$1" | uniq -c | awk '$1 != 9' | wc -l; }
# pits N PREFIX URL: N tarpit targets.
pits() { for i in $(seq -w 1 "$1"); do echo "$2-$i $3"; done; }

# --- -d: the run's deadline, checked --------------------------------------------
for d in 0 -1 x 3601 1e9; do
	probe -d "$d" -f /dev/null >"$TMP/u.out" 2>"$TMP/u.err"
	is "$?:$(wc -c <"$TMP/u.out"):$(cat "$TMP/u.err")" \
	    "2:0:mcp-probe: -d: want seconds, more than 0 and at most 3600" "-d $d: a usage error, nothing on stdout"
done

# --- the attack: tarpits named to sort first, four times -j -----------------------
# 24 tarpits, listed first and named to sort first, and 16 working servers
# of four kinds.  -w 60: nothing but the deadline ends a tarpit's request;
# -t 8: every tarpit starts early enough to have its whole timeout (the
# run's 25 s cuts only those started after 16 s), so each is a failure.
# Before the run had a schedule of its own, the first six tarpits held the six places
# (-j 6) for a minute each and no working server started in the run's 25 s.
{
	pits 8 aa-silent "$SILENT"
	pits 8 ab-tls "$STALL"
	pits 8 ac-trickle "$TRICKLE"
	for i in $(seq -w 1 16); do
		case $((10#$i % 4)) in
		0) echo "zz-work-$i $FIX/open/mcp" ;;
		1) echo "zz-work-$i $FIX/stateless/mcp" ;;
		2) echo "zz-work-$i $FIX/json/mcp" ;;
		3) echo "zz-work-$i $FIX_TLS/primed/mcp" ;;
		esac
	done
} >"$TMP/fleet"
probe -j 6 -w 60 -t 8 -d 25 -f "$TMP/fleet" >"$TMP/out" 2>"$TMP/err"
is "$?" 1 "tarpits in the fleet: exit 1 (targets broken)"
is "$(jq -r 'select(.type == "result") | .slug' "$TMP/out" | sort | tr '\n' ' ')" \
    "$(cut -d' ' -f1 "$TMP/fleet" | sort | tr '\n' ' ')" "a result for every target"
is "$(whole "$TMP/out")" 0 "nine records for each, together"
is "$(results "$TMP/out" | grep -c '^zz-work-.* healthy null null$')" 16 "every working server is healthy"
is "$(results "$TMP/out" | grep '^aa-' | cut -d' ' -f2- | sort -u)" "broken http timeout" \
    "every silent tarpit: a timeout at http (the connection was made)"
is "$(results "$TMP/out" | grep '^ab-' | cut -d' ' -f2- | sort -u)" "broken http timeout" \
    "every tarpit that stalls after the TLS handshake: a timeout at http"
is "$(jq -r 'select(.step == "tls" and (.slug | startswith("ab-"))) | .status' "$TMP/out" | sort -u)" pass \
    "its handshake passed"
is "$(results "$TMP/out" | grep '^ac-' | cut -d' ' -f2- | sort -u)" "broken http timeout" \
    "every trickling tarpit: a timeout at http, however many bytes it sent"
is "$(jq -r 'select(.type == "result" and (.slug | startswith("a"))) | .ms >= 7900' "$TMP/out" | sort -u)" true \
    "every tarpit had its whole timeout (-t 8): a tarpit is a failure, not the runner's limit"
is "$(jq -s '(map(select(.type == "result")) | (map(.probe_finished_at) | max) - (map(.probe_started_at) | min)) <= 25' "$TMP/out")" \
    true "every target finished within the run's 25 s, by the probe's own clock"
is "$(jq -rs 'map(select(.type == "result")) | (map(select(.slug | startswith("zz"))) | map(.probe_started_at) | min) <
    (map(select(.slug | startswith("a"))) | map(.probe_started_at) | max)' "$TMP/out")" true \
    "the order is the run's own: working servers started before the last tarpit (not the file's order, nor the names')"
is "$(cat "$TMP/err")" "" "nothing unjudged: the run judged every target, nothing to say"

# --- the boundary: a deadline cut by -d to end where the target's own would ----
# -t 5 -d 6: the run's cut (a second before its end) comes where the
# tarpit's own timeout does, less the milliseconds the run took to start it.
echo "aa-silent-1 $SILENT" >"$TMP/edge"
probe -w 60 -t 5 -d 6 -f "$TMP/edge" >"$TMP/out" 2>"$TMP/err"
is "$?:$(results "$TMP/out")" "1:aa-silent-1 broken http timeout" \
    "a tarpit whose cut deadline coincided with its own timeout is a timeout (exit 1)"
is "$(cat "$TMP/err")" "" "and nothing unjudged"

# --- a run too short for its fleet: the targets not started say so ------------------
{
	pits 6 aa-silent "$SILENT"
	echo "zz-work-1 $FIX/stateless/mcp"
	echo "zz-work-2 $FIX/json/mcp"
} >"$TMP/short"
probe -j 1 -w 60 -d 3 -f "$TMP/short" >"$TMP/out" 2>"$TMP/err"
is "$?" 1 "-d 3 with one place and six tarpits: exit 1"
is "$(jq -r 'select(.type == "result") | .slug' "$TMP/out" | wc -l):$(whole "$TMP/out")" 8:0 \
    "still a result, and nine records, for every target"
notstarted=$(jq -r 'select(.type == "result" and .error.message == "not started: the run'\''s deadline (-d 3) came first")
    | "\(.state) \(.failed_step) \(.error.code) \(.ms)"' "$TMP/out")
like "$(wc -l <<<"$notstarted")" '^[5-7]$' "those there was no time for: not started (a tarpit held the one place)"
is "$(sort -u <<<"$notstarted")" "unjudged null not_started 0" "each unjudged, not_started, no step failed, no time taken"
is "$(jq -r 'select(.type == "step" and .status == "fail") | .slug' "$TMP/out" | grep -c '^aa-')" 0 \
    "a tarpit not started or ended by the run has no step that failed"
is "$(jq -r 'select(.type == "step" and .status == "pass" and (.slug | startswith("aa-"))) | .step' "$TMP/out" |
    sort | tr '\n' ' ')" "connect dns " "the steps done keep their status (the tarpit in flight: dns, connect)"
is "$(jq -r 'select(.type == "step" and .status == "skip" and (.slug | startswith("aa-"))) | .detail.reason' "$TMP/out" |
    sort | uniq -c | awk '{ print $2 }' | tr '\n' ' ')" "plain_http unjudged " \
    "skipped as unjudged (tls: plain http)"
is "$(results "$TMP/out" | awk '$2 != "healthy" && $2 != "unjudged"' | wc -l)" 0 \
    "every other target healthy or unjudged: not one broken"
like "$(jq -r 'select(.type == "result" and .error.code == "run_ended") | .error.message' "$TMP/out")" \
    "; its deadline cut to [0-9.]+ s to end within the run's \(-d 3\)$" \
    "the tarpit in flight: ended by the run's end (run_ended), its message says its deadline was cut"
like "$(sed -n 1p "$TMP/err")" "^mcp-probe: [6-8] of 8 targets unjudged, the runner's limit and not the servers' failure: [5-7] not started, 0 ended to make room, 1 ended by the run's end \(the run's deadline \(-d 3\) came first\)$" \
    "the run counts the unjudged by reason"
like "$(sed -n 2p "$TMP/err")" "^mcp-probe: the runner is short: [0-9]+ % of its 8 targets unjudged \(more than 10 %\); too many targets for -j 1 in the run's 3 s: raise -j or -d; -d 3 leaves less than the targets' timeout \(30 s\) and 2 s: raise -d or lower -t$" \
    "and says the runner is short, and why, with the figures"

# --- SIGTERM: the run ends at once, every target with its records -----------------
{
	pits 6 aa-silent "$SILENT"
	for i in 1 2 3 4; do echo "zz-work-$i $FIX/stateless/mcp"; done
} >"$TMP/term"
: >"$TMP/pit-silent.log"
mcp-probe -r t -j 2 -w 60 -f "$TMP/term" >"$TMP/out" 2>"$TMP/err" &
pid=$!
# Once a tarpit holds a place, the run would last a minute (-w 60).
wait_for 300 test -s "$TMP/pit-silent.log"
kill -TERM "$pid"
wait "$pid"
is "$?" 1 "SIGTERM: the run ends as a deadline would end it (exit 1, targets unjudged), not killed"
is "$(jq -r 'select(.type == "result") | .slug' "$TMP/out" | wc -l):$(whole "$TMP/out")" 10:0 \
    "a result, and nine records, for every target"
like "$(jq -r 'select(.type == "result" and (.slug | startswith("aa"))) | .error.message' "$TMP/out" | sort -u)" \
    "the run was ended \(SIGTERM\)" "a tarpit in flight or not started: its record says the run was ended"
is "$(results "$TMP/out" | grep '^aa-' | cut -d' ' -f2-3 | sort -u)" "unjudged null" \
    "every tarpit unjudged: the run ended, not the server"
like "$(cat "$TMP/err")" "^mcp-probe: [0-9]+ of 10 targets unjudged, .*\(the run was ended \(SIGTERM\)\)"$'\n'"mcp-probe: the runner is short: .*; SIGTERM came first: give the run the time it needs$" \
    "and the run says so"

# --- the stalled targets' own bounds --------------------------------------------
# Four times -j of them at the most: with -j 1, the fifth tarpit to stall
# (silent 2 s, 10 s into the run) ends the first.
pits 6 aa-silent "$SILENT" >"$TMP/slow"
probe -j 1 -w 60 -d 12.5 -f "$TMP/slow" >"$TMP/out" 2>"$TMP/err"
is "$?:$(whole "$TMP/out")" 1:0 "six tarpits, one place: exit 1, nine records each"
like "$(jq -r 'select(.type == "result") | .error.message' "$TMP/out" | grep -c 'to make room')" '^[12]$' \
    "the stalled target silent longest was ended to make room"
like "$(jq -r 'select(.type == "result") | .error.message' "$TMP/out" | grep 'to make room' | head -1)" \
    '^no complete answer in time \([0-9]+ ms\); ended after 1[0-9][.][0-9] s, 1[0-9][.][0-9] s without a byte, to make room: 4 targets stalled at once at the most \(4 times -j\)$' \
    "a timeout at the step it was in, with the reason"
is "$(jq -r 'select(.type == "result" and (.error.message | test("to make room"))) | "\(.state) \(.failed_step) \(.error.code)"' "$TMP/out" | sort -u)" \
    "unjudged null evicted" "unjudged, evicted: its timeout had not run out"
is "$(jq -r 'select(.type == "step" and .step == "http") | "\(.status) \(.detail.reason)"' "$TMP/out" | sort -u)" \
    "skip unjudged" "the step it was in: skipped as unjudged, not failed"
like "$(cat "$TMP/err")" "mcp-probe: 6 of 6 targets unjudged, .*: 0 not started, [12] ended to make room, " \
    "the run says how many"
like "$(cat "$TMP/err")" "the runner is short: .*; stalled targets crowded out the others \(at most 4 times -j 1 of them, and the descriptors\): raise -j or the limit of open files" \
    "and that -j is too small for them"

# And the descriptors: at 100, -j 8 is cut to 7 (four fifths of the 36
# the targets may hold, four each), and the stalled tarpits make do with
# the rest: those silent 5 s are ended when a working server needs room.
{
	pits 16 aa-silent "$SILENT"
	for i in $(seq -w 1 8); do echo "zz-work-$i $FIX/stateless/mcp"; done
} >"$TMP/fds"
(
	ulimit -n 100
	probe -j 8 -w 60 -d 10 -f "$TMP/fds" >"$TMP/out" 2>"$TMP/err"
)
is "$?:$(whole "$TMP/out")" 1:0 "100 descriptors, 16 tarpits and -j 8: exit 1, nine records each"
is "$(results "$TMP/out" | grep -c '^zz-work-.* healthy null null$')" 8 "every working server is healthy"
like "$(cat "$TMP/err")" "mcp-probe: 16 of 24 targets unjudged, .*: 0 not started, [0-9]+ ended to make room, [0-9]+ ended by the run's end" \
    "the stalled tarpits ended to make room (silent 5 s) or by the run's end, each working server started"

done_testing
