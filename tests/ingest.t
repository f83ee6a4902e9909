#!/usr/bin/env bash
# test: long (a minute or so under load: started before the rest)
# ingest.t - mcp-aggregate ingest behind real nginx with TLS, a real
# redis-server behind it, and push --to / targets --from on the runner's
# side: tokens (shown once, stored hashed, two a region, revoked, last
# use), the line-by-line answer, a batch sent again, a token or records of
# another region, slugs the fleet does not know, the clock, gzip, a body
# of 100 MB, too many lines, the rate of a region, clients that send a
# byte a second, the targets, the door down and killed mid-batch, spool
# slots shared by two runs, the CGI program, and no token in any log.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ingest-lib.sh
. "$TOP/tests/ingest-lib.sh"

export PATH="$PATH:/usr/sbin"
for t in nginx spawn-fcgi fcgiwrap jq; do
	command -v "$t" >/dev/null || skip_all "$t is not installed (scripts/deps installs it)"
done
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }
start_redis
export MCP_SPOOL=$TMP/spool/aggregate.jsonl
NOW=$(date +%s)
W=$((NOW / 60 * 60))
# The fleet: ing-00001 ... ing-00050, in the ingest's overrides file.
for i in $(seq 50); do
	printf 'ing-%05d https://mcp%d.example/mcp\n' "$i" "$i"
done >"$INGEST_OVERRIDES"
start_ingest fcgi || skip_all "nginx and the ingest did not start"
# gen REGION START [N] [ARGS]: probe output of ing-00001.. from REGION.
gen() { "$TOP/tests/gen-scenario.sh" -s "${5:-ing}" -N "${3:-20}" -r "$1" -t "$2" ${4:+"$4"}; }
# count STATUS FILE: the lines of an answer with that status.
count() { jq -r "select(.status == \"$1\") | .line" "$2" | wc -l; }

# ------------------------------------------------------------ tokens
out=$(mcp-aggregate token add eu-west-2 2>"$TMP/add.err")
is "$?" 0 "token add: exit 0"
like "$out" '^[0-9a-f]{8}\.[A-Za-z0-9_-]{43}$' "token add: the token alone on stdout, 8 hex digits, a dot, 43 of base64url"
tok_a=$out id_a=${out%%.*}
like "$(cat "$TMP/add.err")" "token $id_a of eu-west-2 added: it is shown once" "token add: its id said on stderr"
unlike "$(cat "$TMP/add.err")" "${tok_a#*.}" "token add: the secret is not on stderr"
hash=$(printf '%s' "$tok_a" | sha256sum | cut -d' ' -f1)
is "$(rcli hget mcp:ingest:tokens "eu-west-2 $id_a" | cut -d' ' -f1)" "sha256:$hash" \
    "the store keeps the token's SHA-256, under \"REGION ID\""
rcli --rdb "$TMP/store.rdb" >/dev/null 2>&1
is "$(test -s "$TMP/store.rdb" && grep -acF -e "${tok_a#*.}" "$TMP/store.rdb")" 0 "the store's dump holds no token"
tok_b=$(mcp-aggregate token add eu-west-2 2>/dev/null)
is "$?:${#tok_b}" 0:52 "a second token of eu-west-2: two valid at once, for a rotation"
mcp-aggregate token add eu-west-2 >"$TMP/third.out" 2>"$TMP/third.err"
is "$?:$(wc -c <"$TMP/third.out")" 1:0 "a third: exit 1, nothing printed"
like "$(cat "$TMP/third.err")" 'eu-west-2 has 2 tokens already: revoke one first' "a third: why"
mcp-aggregate token list >"$TMP/list"
is "$(awk '{print $1, $2}' "$TMP/list" | sort | tr '\n' ' ')" \
    "$(printf '%s\n' "eu-west-2 $id_a" "eu-west-2 ${tok_b%%.*}" | sort | tr '\n' ' ')" "token list: region and id"
like "$(head -1 "$TMP/list")" '^eu-west-2 [0-9a-f]{8} 20[0-9-]{8}T[0-9:]{8}Z -$' "token list: created, never used (-)"
unlike "$(cat "$TMP/list")" "${tok_a#*.}|${tok_b#*.}|sha256" "token list: neither secret nor hash"
mcp-aggregate token revoke eu-west-2 "${tok_b%%.*}" 2>"$TMP/rev.err"
is "$?:$(mcp-aggregate token list eu-west-2 | wc -l)" 0:1 "token revoke: one token left"
mcp-aggregate token revoke eu-west-2 "${tok_b%%.*}" 2>/dev/null
is "$?" 1 "token revoke of a token revoked: exit 1"
mcp-aggregate token add 'Bad Region' >/dev/null 2>&1
is "$?" 2 "token add of a bad region: exit 2"
mcp-aggregate token revoke eu-west-2 xyz >/dev/null 2>&1
is "$?" 2 "token revoke of a bad id: exit 2"
printf '%s\n' "$tok_a" >"$TMP/tok.eu-west-2"
chmod 600 "$TMP/tok.eu-west-2"
token us-east-1 && token ap-southeast-1
tok_b=$(cat "$TMP/tok.us-east-1")
for r in eu-west-2 us-east-1 ap-southeast-1; do auth_header "$r"; done
printf 'Authorization: Bearer %s\n' "$(sed 's/\(.\)$/x/' "$TMP/tok.eu-west-2")" >"$TMP/auth.wrong"

# ------------------------------------------------------------ the answer
gen eu-west-2 "$W" >"$TMP/b1"
post eu-west-2 "$TMP/b1"
is "$ST" 200 "POST /ingest/eu-west-2: 200"
is "$(count stored "$RB"):$(count checked "$RB")" 20:160 "each result stored, each step record checked"
is "$(tail -1 "$RB")" '{"done":true,"lines":180,"stored":20,"duplicate":0,"checked":160,"refused":0,"later":0,"conflict":0}' \
    "the last line: done, with the counts"
is "$(answers "$RB" | sed -n '9p;18p')" "$(printf '9 stored\n18 stored')" "the answer names each line: 9 and 18 the results"
is "$(res_regions ing-00007 "$W")" "eu-west-2 " "the result is in the store, as push -r stores it"
like "$(mcp-aggregate token list eu-west-2)" "^eu-west-2 $id_a [^ ]+ 20[0-9-]{8}T[0-9:]{8}Z$" "token list: its last use shown"
rcli hget "mcp:{ing-00007}:latsum" n >"$TMP/n1"
store_dump >"$TMP/dump1"
post eu-west-2 "$TMP/b1"
is "$ST:$(count duplicate "$RB"):$(count stored "$RB")" 200:20:0 "the same batch again: every result a duplicate"
store_dump >"$TMP/dump2"
is "$(diff "$TMP/dump1" "$TMP/dump2" | head -5)" "" "the same batch again: the store unchanged, counters and all"
is "$(rcli hget "mcp:{ing-00007}:latsum" n)" "$(cat "$TMP/n1")" "the latency count not counted twice"

# ------------------------------------------------------------ regions
AUTH=$TMP/auth.us-east-1 post eu-west-2 "$TMP/b1"
is "$ST:$(jq -r .error "$RB")" "401:a token of eu-west-2 is needed" "a token of us-east-1 for eu-west-2: 401"
gen eu-west-2 $((W - 60)) >"$TMP/b0"
ST=$(curl -sS -o "$RB" -w '%{http_code}' -D "$TMP/h401" --cacert "$INGEST_CA" --data-binary @"$TMP/b0" "$INGEST/ingest/eu-west-2")
is "$ST:$(tr -d '\r' <"$TMP/h401" | grep -i '^www-authenticate')" '401:WWW-Authenticate: Bearer realm="mcp-ingest"' "no token: 401 with a Bearer challenge"
AUTH=$TMP/auth.wrong post eu-west-2 "$TMP/b0"
is "$ST" 401 "a token with one character changed: 401"
echo 'Authorization: Bearer ../../etc' >"$TMP/auth.bad"
AUTH=$TMP/auth.bad post eu-west-2 "$TMP/b0"
is "$ST" 401 "a token of no form: 401"
is "$(res_regions ing-00007 $((W - 60)))" "" "nothing stored by a refused token"
like "$(cat "$INGEST_LOG")" 'FastCGI sent in stderr: "mcp-aggregate: ingest: eu-west-2: a request without a token of the region, from 127\.0\.0\.1"' \
    "a refused token is in the web server's error log, with the client's address (and never the token)"
gen us-east-1 "$W" >"$TMP/bu"
post eu-west-2 "$TMP/bu"
is "$ST:$(count refused "$RB"):$(jq -r 'select(.line == 9) | .reason' "$RB")" \
    '200:180:bad region "us-east-1": not the token'"'"'s region eu-west-2' \
    "records of us-east-1 with a token of eu-west-2: each refused, the reason given"
is "$(res_regions ing-00007 "$W")" "eu-west-2 " "...and none of them stored"
store_dump >"$TMP/dump3"
is "$(diff "$TMP/dump2" "$TMP/dump3" | head -5)" "" "...the store unchanged"

# ------------------------------------------------------------ slugs
# zz-00002's records as a registry target's are ("origin":"registry",
# as mcp-aggregate targets | mcp-probe marks them: push takes a registry
# slug's results from no one else).
gen eu-west-2 "$W" 2 -q zz | jq -c 'if .slug == "zz-00002" then .origin = "registry" else . end' >"$TMP/bz"
post_final eu-west-2 "$TMP/bz"
like "$(jq -r 'select(.line == 1) | .status + ": " + .reason' "$RB")" \
    '^refused: bad slug "zz-00001": not a target of the fleet' "a slug the fleet does not know: refused"
rcli zscore mcp:slugs zz-00001 >"$TMP/zs"
is "$(cat "$TMP/zs")" "" "...and not in the slug index"
rcli hset mcp:registry:servers zz-00002 '{"status":"active","state":"probe","url":"https://mcp.example.com/mcp"}' >/dev/null
post_final eu-west-2 "$TMP/bz"
is "$(answers "$RB" | tr '\n' ' ')" "1 refused 2 stored " "a slug the registry just added is known: stored"
# A registry server that is not probed (deleted, waiting for a secret) or
# one the operator took out (!SLUG) is no target: a token cannot make it
# red from its region alone, where no other region probes it.
gen eu-west-2 "$W" 3 -q zy | jq -c '.origin = "registry"' >"$TMP/by"
rcli hset mcp:registry:servers zy-00001 '{"status":"deleted","state":"probe","url":"https://mcp.example.com/mcp"}' \
    zy-00002 '{"status":"active","state":"needs-configuration","url":"https://mcp.example.com/mcp"}' \
    zy-00003 '{"status":"active","state":"probe","url":"https://mcp.example.com/mcp"}' >/dev/null
echo '!zy-00003' >>"$INGEST_OVERRIDES"
post_final eu-west-2 "$TMP/by"
is "$(answers "$RB" | tr '\n' ' ')" "1 refused 2 refused 3 refused " \
    "a registry server deleted, one needing configuration, one the overrides take out: refused"
is "$(rcli zscore mcp:slugs zy-00001)$(rcli zscore mcp:slugs zy-00002)$(rcli zscore mcp:slugs zy-00003)" "" "...none of them in the slug index"
# The host every verdict shows is the target's: a result naming another
# is stored without it.
# (Its start the latest: the host of the latest result is kept.)
rcli hdel 'mcp:{zz-00002}:meta' host_at >/dev/null
gen eu-west-2 $((W - 60)) 2 -q zz | jq -c 'if .slug == "zz-00002" then .origin = "registry" | .url = "https://phish.example/mcp" else empty end' >"$TMP/phish"
post_final eu-west-2 "$TMP/phish"
is "$(answers "$RB" | tr '\n' ' ')" "1 stored " "a result whose url names another host: stored"
is "$(rcli hget 'mcp:{zz-00002}:meta' host)" mcp.example.com "...and the host shown is still the target's"

# ------------------------------------------------------------ the clock
gen eu-west-2 $((W + 600)) 1 -q >"$TMP/ahead"
post eu-west-2 "$TMP/ahead"
like "$(jq -r 'select(.line == 1) | .status + ": " + .reason' "$RB")" \
    '^refused: probe_started_at [0-9.]+ is more than 300 s ahead of the clock$' "a start 10 minutes ahead: refused, why"
gen eu-west-2 $((W - 26 * 3600)) 1 -q >"$TMP/old"
post eu-west-2 "$TMP/old"
like "$(jq -r 'select(.line == 1) | .status + ": " + .reason' "$RB")" \
    '^refused: probe_started_at [0-9.]+ is more than 25 hours behind the ingest.s clock$' "a start 26 hours old: refused over the ingest"
gen eu-west-2 $((W - 120)) 2 -q >"$TMP/skew"
post eu-west-2 "$TMP/skew" -H "X-Runner-Clock: $((NOW - 600))"
is "$(count later "$RB"):$(count stored "$RB")" 2:0 "a runner whose clock is 10 minutes behind: every line later (kept by the runner), none stored"
# The event, not a band: the seconds said are the machine's, however busy.
like "$(jq -r 'select(.line == 1) | .reason' "$RB")" "^the runner's clock is [0-9]+ s behind the ingest's \\(at most 60 s\\): fix its NTP$" \
    "...and told why"

# ------------------------------------------------------------ bodies
gen eu-west-2 $((W - 120)) >"$TMP/b2"
gzip -c "$TMP/b2" >"$TMP/b2.gz"
post eu-west-2 "$TMP/b2.gz" -H 'Content-Encoding: gzip'
is "$ST:$(count stored "$RB")" 200:20 "a gzip body: inflated and stored"
head -c 3000 /dev/urandom >"$TMP/junk"
post eu-west-2 "$TMP/junk" -H 'Content-Encoding: gzip'
is "$ST" 400 "a gzip body that is not gzip: 400"
head -c 40000000 /dev/zero | gzip -c >"$TMP/bomb.gz"
post eu-west-2 "$TMP/bomb.gz" -H 'Content-Encoding: gzip'
is "$ST:$(jq -r .error "$RB")" "413:more than 33554432 bytes once inflated" "40 KB of gzip that inflate to 40 MB: 413, inflated no further"
post eu-west-2 "$TMP/b2" -H 'Content-Encoding: br'
is "$ST" 415 "Content-Encoding: br: 415"
ST=$(head -c 100000000 /dev/zero | curl -sS -o "$TMP/big.out" -w '%{http_code}' --cacert "$INGEST_CA" \
    -H @"$TMP/auth.eu-west-2" --data-binary @- "$INGEST/ingest/eu-west-2" 2>/dev/null)
is "$ST" 413 "a body of 100 MB: 413 from nginx (client_max_body_size 8m)"
like "$(cat "$INGEST_LOG")" 'client intended to send too large body: 100000000 bytes' "...refused on its Content-Length, the ingest never asked"
GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=POST PATH_INFO=/ingest/eu-west-2 CONTENT_LENGTH=100000000 \
    HTTP_AUTHORIZATION="Bearer $tok_a" timeout 10 mcp-aggregate </dev/zero >"$TMP/cgi413" 2>&1
like "$(head -1 "$TMP/cgi413")" '^Status: 413' "the ingest alone, told of 100 MB: 413 without reading a byte of it"
# A CGI program reads its body within 30 seconds in all, whatever the
# client does: one that sends 6 bytes of 100 and then nothing is answered
# 408 at that deadline (a web server that streams bodies to CGI programs
# hands the ingest such a client), never held while the client lingers.
# It waits its 30 s beside the rest of the test (judged at its end).
(
	start=$SECONDS
	GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=POST PATH_INFO=/ingest/eu-west-2 CONTENT_LENGTH=100 \
	    HTTP_AUTHORIZATION="Bearer $tok_a" timeout 80 mcp-aggregate \
	    < <(printf '{"v":1'; exec timeout 90 sleep 90) >"$TMP/cgi408" 2>&1
	echo $((SECONDS - start)) >"$TMP/cgi408.took"
) &
cgi408=$!
awk 'BEGIN { for (i = 0; i <= 100000; i++) print "" }' >"$TMP/lines"
post eu-west-2 "$TMP/lines"
is "$ST:$(jq -r .error "$RB")" "413:100001 lines: at most 100000 a body" "a body of 100,001 lines: 413"
# A line is at most 1 MiB (a probe's result is a few hundred bytes, a
# tools_list step with its lists a few hundred KiB): one longer is refused
# unparsed, so that a few huge lines cannot hold the ingest (a parsed line
# takes some 40 times its bytes).
# A region of its own: the line's 1.1 MB are a minute of the rate.
token us-west-2 && auth_header us-west-2
{ gen us-west-2 $((W - 480)) 1 -q; awk 'BEGIN { printf "{\"v\":1,\"type\":\"result\",\"x\":["; for (i = 0; i < 550000; i++) printf "1,"; print "1]}" }'; } >"$TMP/long"
post us-west-2 "$TMP/long"
is "$ST:$(answers "$RB" | tr '\n' ' ')$(jq -r 'select(.line == 2) | .reason' "$RB")" \
    "200:1 stored 2 refused line too long (over 1048576 bytes)" "a line of 1.1 MB: refused unparsed, the others stored"

# ------------------------------------------------------------ the rate
# A region's bound follows the fleet: twice its targets a minute (a result
# each a window), and 2,048 lines more (a request of push --to at its
# bounds): two bodies of 1,000 lines fit, a third not.
fleet=$(mcp-aggregate targets -o "$INGEST_OVERRIDES" | wc -l)
bound=$((2 * fleet + 2048))
[ "$(date +%S | sed 's/^0//')" -lt 45 ] || sleep $((61 - $(date +%S | sed 's/^0//')))
head -1000 "$TMP/lines" >"$TMP/l1k"
post ap-southeast-1 "$TMP/l1k"
s1=$ST
post ap-southeast-1 "$TMP/l1k"
s2=$ST
post ap-southeast-1 "$TMP/l1k" -D "$TMP/h429"
is "$s1:$s2:$ST" 200:200:429 "ap-southeast-1: two bodies of 1,000 lines, then 429 (a fleet of $fleet: $bound a minute)"
like "$(tr -d '\r' <"$TMP/h429" | grep -i '^retry-after:')" '^Retry-After: [0-9]+$' "...with Retry-After"
like "$(jq -r .error "$RB")" "ap-southeast-1 sent more than $bound lines \\(of 4096 bytes at most\\) this minute" "...and why"
head -$((bound + 1)) "$TMP/lines" >"$TMP/lbig"
post eu-west-2 "$TMP/lbig"
is "$ST:$(jq -r .error "$RB")" "413:a body of $((bound + 1)) lines of the rate: eu-west-2 takes $bound a minute" \
    "a body of more lines than the region's bound: 413, never a 429 to send again forever"
gen us-east-1 "$W" >"$TMP/bu"
post us-east-1 "$TMP/bu"
is "$ST:$(count stored "$RB")" 200:20 "us-east-1 meanwhile: stored, its own rate"
# A long line is charged its bytes too (a line for each 4,096): a body of
# N lines of 65,000 bytes is 16 N lines of the rate; two of more than half
# the bound pass no bound, where their lines would.
token sa-east-1 && auth_header sa-east-1
nh=$((bound / 32 + 1))
yes "$(head -c 65000 /dev/zero | tr '\0' x)" | head -$nh | gzip -c >"$TMP/heavy.gz"
[ "$(date +%S | sed 's/^0//')" -lt 50 ] || sleep $((61 - $(date +%S | sed 's/^0//')))
heavy=
for i in 1 2; do
	post sa-east-1 "$TMP/heavy.gz" -H 'Content-Encoding: gzip'
	heavy="$heavy$ST "
done
is "$heavy" "200 429 " "sa-east-1: a body of $nh lines of 65 KB fits the minute ($((16 * nh)) lines of the rate), a second is 429 ($bound a minute)"

# ------------------------------------------------------------ slow clients
# Four clients send a body a byte a second (more than the 2 responders);
# one sends a byte and stops.  nginx reads the body whole before the
# ingest sees it: the runners are answered at once.
for i in 1 2 3 4; do
	(for _ in $(seq 40); do printf x; sleep 1; done) |
	    curl -sS -o /dev/null -w '%{http_code}' --cacert "$INGEST_CA" -H @"$TMP/auth.eu-west-2" \
	        -T - -X POST "$INGEST/ingest/eu-west-2" >"$TMP/slow.$i" 2>&1 &
	bg_pid $!
done
stall_at=$SECONDS
(printf x; sleep 30) | curl -sS -o /dev/null -w '%{http_code}' --cacert "$INGEST_CA" \
    -H @"$TMP/auth.eu-west-2" -T - -X POST "$INGEST/ingest/eu-west-2" >"$TMP/stall" 2>&1 &
bg_pid $!
# The five connected before the runner's batch is sent.
connected() { [ "$(ss -Htn state established "( dport = :${INGEST##*:} )" | wc -l)" -ge 5 ]; }
wait_for 300 connected
gen eu-west-2 $((W - 180)) >"$TMP/b3"
start=$EPOCHREALTIME
post eu-west-2 "$TMP/b3"
took=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
is "$ST:$(count stored "$RB")" 200:20 "four clients at a byte a second: a runner's batch stored all the same"
ok "$(awk -v t="$took" 'BEGIN { print (t < 30) ? 0 : 1 }')" "...in ${took} s, while the slow clients still send (40 s)"
is "$(cat "$TMP"/slow.* | tr -d '\n')" "" "...while the slow clients are still sending"
wait_for 200 grep -q '"POST /ingest/eu-west-2 HTTP/1.1" 408 ' "$INGEST_ACCESS"
took=$((SECONDS - stall_at))
ok "$([ "$took" -lt 28 ] && echo 0 || echo 1)" "a client silent after one byte: cut off by nginx with 408 in ${took} s (client_body_timeout 5 s), not held for its 30 s"

# ------------------------------------------------------------ the targets
get_t() {
	ST=$(curl -sS -o "$TMP/targets.out" -w '%{http_code}' --cacert "$INGEST_CA" "$@" 2>&1)
}
mcp-aggregate targets -o "$INGEST_OVERRIDES" >"$TMP/targets.local"
get_t -H @"$TMP/auth.us-east-1" "$INGEST/targets/us-east-1"
is "$ST:$(diff "$TMP/targets.local" "$TMP/targets.out" && echo same)" 200:same "GET /targets/us-east-1: the targets as mcp-aggregate targets prints them"
mcp-aggregate targets -o "$INGEST_OVERRIDES" --shard 2/3 >"$TMP/targets.local"
get_t -H @"$TMP/auth.us-east-1" "$INGEST/targets/us-east-1?shard=2/3"
is "$ST:$(diff "$TMP/targets.local" "$TMP/targets.out" && echo same)" 200:same "?shard=2/3: shard 2 of 3, as --shard 2/3"
get_t -H @"$TMP/auth.us-east-1" "$INGEST/targets/us-east-1?shard=4/3"
is "$ST" 400 "?shard=4/3: 400"
get_t -H @"$TMP/auth.us-east-1" "$INGEST/targets/eu-west-2"
is "$ST" 401 "the targets of eu-west-2 with a token of us-east-1: 401"
get_t -D "$TMP/h405" -X POST -H @"$TMP/auth.us-east-1" "$INGEST/targets/us-east-1"
is "$ST:$(tr -d '\r' <"$TMP/h405" | grep -i '^allow:')" "405:Allow: GET, HEAD" "POST /targets: 405, Allow: GET, HEAD"
get_t -D "$TMP/h405" -H @"$TMP/auth.us-east-1" "$INGEST/ingest/us-east-1"
is "$ST:$(tr -d '\r' <"$TMP/h405" | grep -i '^allow:')" "405:Allow: POST" "GET /ingest: 405, Allow: POST"
get_t -X POST -H @"$TMP/auth.us-east-1" "$INGEST/ingest/Bad%20Region"
is "$ST" 404 "/ingest/Bad Region: 404"
get_t -D "$TMP/h405" -X POST "$INGEST/api/status"
is "$ST:$(tr -d '\r' <"$TMP/h405" | grep -i '^allow:')" "405:Allow: GET, HEAD" "mcp-serve's routes stay GET and HEAD: POST /api/status 405"

# ------------------------------------------------------------ push --to
start_fixture || { ok 1 "the fixture starts: $(cat "$TMP/fixture.err")"; done_testing; }
printf 'fx-open %s/open/mcp\nfx-down %s/status500/mcp\n' "$FIX" "$FIX" >>"$INGEST_OVERRIDES"
# runner REGION MINUTE [PUSH ARGS]: a runner's minute: targets, probe,
# push; the probe's clock MINUTE minutes ago (the runner's own stays the
# real one: the ingest checks it), so that each run has a window of its own.
runner() {
	local r=$1 m=$2
	shift 2
	mcp-aggregate targets --from "$INGEST/targets/$r" --token-file "$TMP/tok.$r" --cacert "$INGEST_CA" \
	    2>>"$TMP/runner.err" | grep '^fx-' |
	    MCP_NOW=$((W - 60 * m + 1)) mcp-probe -r "$r" -t 5 -f - 2>>"$TMP/runner.err" |
	    mcp-aggregate push -v --to "$INGEST/ingest/$r" --token-file "$TMP/tok.$r" --cacert "$INGEST_CA" "$@"
	# push's status (mcp-probe's is 1: fx-down is broken).
	return "${PIPESTATUS[3]}"
}
runner us-east-1 10 2>"$TMP/push.err"
is "$?" 0 "probe | push --to: exit 0"
like "$(tail -1 "$TMP/push.err")" '^mcp-aggregate: push: 2 results stored, 0 duplicates ignored, 16 step records skipped' \
    "push --to -v: 2 results stored, the step records checked and kept here"
is "$(mcp-aggregate results fx-open | awk '{print $2, substr($4, 1, 1)}'):$(mcp-aggregate results fx-down | awk '{print $2, $4, $5}')" \
    "us-east-1 h:us-east-1 b http" "fx-open healthy, fx-down broken at http, from us-east-1"
like "$(mcp-aggregate targets --from "$INGEST/targets/us-east-1" --token-file "$TMP/tok.us-east-1" \
    --cacert "$INGEST_CA" 2>/dev/null | tail -2 | cut -d' ' -f1 | tr '\n' ' ')" 'fx-open fx-down' "targets --from: the ingest's list"
# The door down: the runner keeps everything in its spool, and says so.
stop_ingest
runner us-east-1 9 --linger 1 2>"$TMP/push.err"
is "$?" 1 "push --to with the deciding host down: exit 1"
# The 2 results, and nothing else: fx-open's tools_list step, which
# carries its tool list, is held by the run, never spooled.
like "$(cat "$TMP/push.err")" "spool: $TMP/spool/aggregate\\.[0-9a-f]{16}\\.jsonl: 2 records for $INGEST/ingest/us-east-1 kept for the next push" \
    "...the 2 results kept in the spool, not the step with its tool list"
like "$(cat "$TMP/runner.err")" 'targets: the list of the last run' "targets --from with the host down: the last list"
spool=$(ls "$TMP"/spool/aggregate.*.jsonl)
is "$(wc -l <"$spool")" 2 "the spool holds them"
restart_ingest
runner us-east-1 8 2>"$TMP/push.err"
is "$?:$(wc -c <"$spool")" 0:0 "the next run: exit 0, the spool emptied"
like "$(tail -1 "$TMP/push.err")" 'push: 4 results stored, .* 2 replayed from the spool$' "...the spool's records sent first, and stored"
is "$(mcp-aggregate results fx-open | awk '{print $2}' | sort | uniq -c | awk '{print $1}')" 3 "fx-open: three windows of us-east-1, nothing lost"

# Two runs at once while the host is down: each its own slot; the next
# run sends both.
stop_ingest
gen eu-west-2 $((W - 240)) 10 >"$TMP/c1"
gen eu-west-2 $((W - 300)) 10 >"$TMP/c2"
(sleep 2; cat "$TMP/c1") | mcp-aggregate push --to "$INGEST/ingest/eu-west-2" --token-file "$TMP/tok.eu-west-2" \
    --cacert "$INGEST_CA" --linger 0 2>/dev/null &
p1=$!
(sleep 2; cat "$TMP/c2") | mcp-aggregate push --to "$INGEST/ingest/eu-west-2" --token-file "$TMP/tok.eu-west-2" \
    --cacert "$INGEST_CA" --linger 0 2>/dev/null
wait $p1
is "$(cat "$TMP"/spool/aggregate.*.jsonl | grep -c '"region":"eu-west-2"')" 20 "two runs at once, the host down: 20 results in the spool"
is "$(ls "$TMP"/spool/aggregate.*.1.jsonl | wc -l)" 1 "...one of them in a second slot"
restart_ingest
mcp-aggregate push -v --to "$INGEST/ingest/eu-west-2" --token-file "$TMP/tok.eu-west-2" \
    --cacert "$INGEST_CA" </dev/null 2>"$TMP/push.err"
like "$(tail -1 "$TMP/push.err")" 'push: 20 results stored, .* 20 replayed from the spool$' "the next run sends both slots"
is "$(cat "$TMP"/spool/aggregate.*.jsonl | wc -c)" 0 "...and empties them"
for f in "$TMP"/spool/aggregate.*.jsonl; do
	case $f in "$spool" | *.1.jsonl) ;; *) eu=$f ;; esac
done
pto() { mcp-aggregate push -v --to "$INGEST/ingest/eu-west-2" --token-file "$TMP/tok.eu-west-2" --cacert "$INGEST_CA" "$@"; }

# A spool mended after a crash may hold NUL bytes: the line holding them
# is one line, refused by the ingest, and the rest sent.
gen eu-west-2 $((W - 540)) 3 -q >"$TMP/n3"
{ head -1 "$TMP/n3"; printf '{"v":1,\0\0\0\0\n'; tail -2 "$TMP/n3"; } >"$eu"
pto </dev/null 2>"$TMP/nul.err"
rc=$?
is "$rc:$(wc -c <"$eu")" 1:0 "a spool line holding NUL bytes: exit 1 (one refused), no crash, the spool emptied"
like "$(tail -1 "$TMP/nul.err")" 'push: 3 results stored, 0 duplicates ignored, .* 1 refused by the ingest' "...the three others stored"
# A line longer than any batch (a spool written by hand) is dropped and
# said, never sent forever.
gen eu-west-2 $((W - 600)) 1 -q >"$TMP/n1"
{ head -c 3145728 /dev/zero | tr '\0' x; echo; cat "$TMP/n1"; } >"$eu"
timeout 60 bash -c "$(declare -f pto); INGEST=$INGEST TMP=$TMP INGEST_CA=$INGEST_CA pto --linger 5" </dev/null 2>"$TMP/long.err"
rc=$?
is "$rc:$(wc -c <"$eu")" 1:0 "a spool line of 3 MiB: exit 1 at once (not a run spinning), the spool emptied"
like "$(cat "$TMP/long.err")" "spool: $eu:1: a line of 3145729 bytes, more than the ingest takes: dropped" "...the line named, dropped"
like "$(tail -1 "$TMP/long.err")" 'push: 1 results stored' "...the record after it stored"
# A record longer than the ingest takes never enters the spool.
jq -c '.padding = ("x" * 1100000)' "$TMP/n1" | pto 2>"$TMP/big.err"
is "$?:$(wc -c <"$eu")" 1:0 "a record of 1.1 MB from stdin: exit 1, nothing spooled"
like "$(head -1 "$TMP/big.err")" '^mcp-aggregate: stdin:1: line too long \(over 1048576 bytes\)$' "...why, with its line"
# The runner's clock 10 minutes off: the ingest answers later, and the
# runner keeps the records until the clocks agree.
gen eu-west-2 $((W - 1200)) 2 -q >"$TMP/sk"
MCP_NOW=$((NOW - 600)) pto --linger 2 <"$TMP/sk" 2>"$TMP/sk.err"
is "$?:$(wc -l <"$eu")" 1:2 "a runner whose clock is 600 s behind: exit 1, its 2 results kept in the spool"
like "$(cat "$TMP/sk.err")" "2 of 2 lines to send again: \"the runner's clock is [0-9]+ s behind the ingest's \(at most 60 s\): fix its NTP\"" "...told why"
pto </dev/null 2>"$TMP/sk.err"
like "$?:$(tail -1 "$TMP/sk.err")" '^0:.*push: 2 results stored, .* 2 replayed from the spool$' "...the clock right again: the next run stores them"

# ------------------------------------------------------------ killed mid-batch
# 20,000 results in one body; the host killed while it stores them, then
# the body sent again (its answer lost): the store is what one push of
# the same records makes, every counter once.
awk 'BEGIN { for (i = 1; i <= 20000; i++) printf "kill-%05d https://mcp.example.com/mcp\nkil2-%05d https://mcp.example.com/mcp\n", i, i }' >>"$INGEST_OVERRIDES"
# The responders read the targets afresh: one that read them less than 5 s
# ago would answer the 20,000 new slugs later (send again), by design.
restart_ingest
gen eu-west-2 $((W - 60)) 20000 -q kill >"$TMP/k"
gzip -c "$TMP/k" >"$TMP/k.gz"
MCP_REDIS="unix://$REDIS_SOCK?db=1" MCP_SPOOL=$TMP/ref.jsonl mcp-aggregate push <"$TMP/k"
(post eu-west-2 "$TMP/k.gz" -H 'Content-Encoding: gzip'; echo "$ST $(head -c 300 "$RB" | tr '\n' ' ')" >"$TMP/k.first") &
pk=$!
wait_for 1200 bash -c "[ \$(redis-cli -s $REDIS_SOCK zcount mcp:slugs $((W - 60)) $((W - 1))) -ge 2000 ]"
stop_ingest
wait $pk
mid=$(rcli zcount mcp:slugs $((W - 60)) $((W - 1)))
ok "$([ "$mid" -ge 2000 ] && [ "$mid" -lt 20000 ] && echo 0 || echo 1)" "the host killed mid-batch: $mid of 20,000 stored"
[ "$mid" -ge 2000 ] || echo "#   the body's answer: $(cat "$TMP/k.first")"
restart_ingest
post eu-west-2 "$TMP/k.gz" -H 'Content-Encoding: gzip'
is "$ST:$(($(count stored "$RB") + $(count duplicate "$RB")))" 200:20000 "the batch sent again: 20,000 answered"
# The slug index is written after each result's script: a result stored
# as the host died may have missed its index entry (written again with
# its duplicate), never the other way round.
dup=$(count duplicate "$RB")
ok "$([ "$dup" -ge "$mid" ] && [ "$dup" -le $((mid + 512)) ] && echo 0 || echo 1)" \
    "...those stored before the kill ($dup) are duplicates"
# dump_kill DB: the keys of the kill and kil2 slugs, and their entries
# of the slug index; not which token wrote each result (rw:HOUR), which
# the ingest keeps and a local push has none of.
dump_kill() {
	store_dump "$1" 'mcp:{kil*' | sed 's/^ *[0-9]*) //' | grep -v '}:rw:'
	redis-cli -s "$REDIS_SOCK" -n "$1" zrangebyscore mcp:slugs $((W - 180)) $((W - 1)) withscores | paste - - | sort
}
dump_kill 0 >"$TMP/kill0"
dump_kill 1 >"$TMP/kill1"
is "$(wc -l <"$TMP/kill0"):$(diff "$TMP/kill1" "$TMP/kill0" | head -3)" "$(wc -l <"$TMP/kill1"):" \
    "...and the store is what one local push of them makes: no counter twice"

# push --to killed under: its batches sent again until answered.
gen eu-west-2 $((W - 120)) 6000 -q kil2 >"$TMP/k2"
MCP_REDIS="unix://$REDIS_SOCK?db=1" MCP_SPOOL=$TMP/ref.jsonl mcp-aggregate push <"$TMP/k2"
mcp-aggregate push -v --to "$INGEST/ingest/eu-west-2" --token-file "$TMP/tok.eu-west-2" \
    --cacert "$INGEST_CA" <"$TMP/k2" 2>"$TMP/pk.err" &
pk=$!
wait_for 300 bash -c "[ \$(redis-cli -s $REDIS_SOCK zcount mcp:slugs $((W - 120)) $((W - 61))) -ge 1 ]"
stop_ingest
sleep 1
restart_ingest
wait $pk
is "$?" 0 "push --to, the host killed under it and started again: exit 0"
like "$(tail -1 "$TMP/pk.err")" 'push: [0-9]+ results stored, [0-9]+ duplicates ignored' "...$(tail -1 "$TMP/pk.err" | cut -d, -f1-2)"
dump_kill 0 >"$TMP/kill0"
dump_kill 1 >"$TMP/kill1"
is "$(diff "$TMP/kill1" "$TMP/kill0" | head -3)" "" "...every result once, as one local push"

# ------------------------------------------------------------ the runner's guards
chmod 644 "$TMP/tok.eu-west-2"
mcp-aggregate push --to "$INGEST/ingest/eu-west-2" --token-file "$TMP/tok.eu-west-2" </dev/null 2>"$TMP/g.err"
is "$?" 2 "a token file others may read: exit 2"
like "$(cat "$TMP/g.err")" 'token file .*/tok\.eu-west-2: .*(group|others)' "...why, naming the file"
chmod 600 "$TMP/tok.eu-west-2"
mcp-aggregate push --to "http://192.0.2.1:${INGEST##*:}/ingest/eu-west-2" --token-file "$TMP/tok.eu-west-2" </dev/null 2>/dev/null
is "$?" 2 "an http:// URL to another host: exit 2 (no token in clear on a network)"
mcp-aggregate push -r us-east-1 --to "$INGEST/ingest/eu-west-2" --token-file "$TMP/tok.eu-west-2" </dev/null 2>/dev/null
is "$?" 2 "-r us-east-1 with the URL of eu-west-2: exit 2"
gen us-east-1 "$W" 1 >"$TMP/f"
mcp-aggregate push --to "$INGEST/ingest/eu-west-2" --token-file "$TMP/tok.eu-west-2" --cacert "$INGEST_CA" \
    <"$TMP/f" 2>"$TMP/g.err"
is "$?" 1 "records of another region: exit 1"
like "$(head -1 "$TMP/g.err")" 'stdin:1: bad region "us-east-1": not -r eu-west-2' "...refused on the runner, never sent"

# ------------------------------------------------------------ the CGI program
stop_ingest
INGEST_DIR_FCGI=$INGEST_DIR
start_ingest cgi || skip_all "nginx and fcgiwrap did not start"
gen eu-west-2 $((W - 360)) 5 >"$TMP/b4"
post eu-west-2 "$TMP/b4"
is "$ST:$(count stored "$RB")" 200:5 "under fcgiwrap, a CGI program: stored"
post eu-west-2 "$TMP/b4"
is "$ST:$(count duplicate "$RB")" 200:5 "...the same again: duplicates"
AUTH=$TMP/auth.us-east-1 post eu-west-2 "$TMP/b4"
is "$ST" 401 "...a token of another region: 401"
get_t -H @"$TMP/auth.us-east-1" "$INGEST/targets/us-east-1?shard=1%2F2"
is "$ST:$(wc -l <"$TMP/targets.out")" "200:$(mcp-aggregate targets -o "$INGEST_OVERRIDES" --shard 1/2 | wc -l)" "...GET /targets?shard=1%2F2"

# The CGI body of 6 bytes of 100 started above.
wait "$cgi408"
took=$(cat "$TMP/cgi408.took")
is "$(grep -m1 "^Status:" "$TMP/cgi408" | tr -d '\r')" "Status: 408 Request Timeout" "a CGI body of 6 bytes of 100, then silence: 408"
# The events, not a band: not before the deadline, and before the client
# has gone (90 s; timeout 80 s), however busy the machine.
ok "$([ "$took" -ge 29 ] && [ "$took" -lt 80 ] && echo 0 || echo 1)" "...at its 30 s deadline (${took} s), not held while the client lingers"

# ------------------------------------------------------------ secrets
# Each secret a fixed string of its own (-e): one may begin with "-".
secrets=()
while read -r s; do secrets+=(-e "$s"); done < <(cat "$TMP"/tok.* | cut -d. -f2)
leaks=$(grep -rlF "${secrets[@]}" "$TMP" --exclude='tok.*' --exclude='auth.*' --exclude='*.sh' 2>/dev/null | grep -v "/node_modules/")
is "$leaks" "" "no token in any log, answer, spool or output (nginx's logs, the ingest's, the runners')"
like "$(cat "$INGEST_DIR_FCGI/access.log")" '"POST /ingest/eu-west-2 HTTP/1.1" 200' "the access log was written (and scanned)"
done_testing
