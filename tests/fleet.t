#!/usr/bin/env bash
# test: alone (network namespaces, sshd or timing that a second test would disturb)
# fleet.t - one mcp-probe run over a fleet mixing every failure mode, all at once
# Each target gets its nine records, together; every mode gets its own
# verdict; and dead or slow targets do not hold back the others' records.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

start_fixture || skip_all "fixture server did not start"
start_modern || skip_all "modern fixture did not start"
printf '%s\n' "$FIXTURE_TOKEN" >"$TMP/token"
chmod 600 "$TMP/token"

# mode url-path want-state want-code
cat >"$TMP/modes" <<EOT
open /open/mcp healthy -
paginate /paginate/mcp healthy -
chatty /chatty/mcp healthy -
asks /asks/mcp healthy -
sse /sse/sse healthy -
walled /auth/mcp auth-walled -
nochallenge /auth-nochallenge/mcp broken auth_challenge_invalid
lost /session-lost/mcp broken session_lost
down /status500/mcp broken http_5xx
busy /status429/mcp broken http_429
empty /empty/mcp broken tools_empty
garbage /badjson/mcp broken tools_malformed
big /big/mcp broken body_too_large
hang /hang/mcp broken timeout
drip /drip/mcp broken timeout
mute /sse-mute/sse broken timeout
EOT
: >"$TMP/targets"
for rep in 1 2 3 4 5; do
	# Only the modes that end in a timeout get a short deadline: the others
	# keep the default 30 s, so that a loaded machine cannot turn them into
	# timeouts as well.
	while read -r mode path _ code; do
		t=
		[ "$code" = timeout ] && t=" timeout=4"
		echo "$mode-$rep $FIX$path$t" >>"$TMP/targets"
	done <"$TMP/modes"
	echo "creds-$rep $FIX/auth/mcp token_file=$TMP/token call=echo call_args={\"message\":\"x\"}" >>"$TMP/targets"
	echo "modern-$rep $MODERN/dual/mcp" >>"$TMP/targets"
	echo "tls-$rep $FIX_TLS/open/mcp" >>"$TMP/targets"
	echo "expired-$rep $FIX_EXPIRED/open/mcp" >>"$TMP/targets"
	echo "refused-$rep http://127.0.0.1:1/mcp" >>"$TMP/targets"
done
n=$(wc -l <"$TMP/targets")

mcp-probe -r test -j 200 --cacert "$TMP/certs/ca.pem" -f "$TMP/targets" >"$TMP/out" 2>"$TMP/err"
is "$?" 1 "exit 1: some targets are broken"
is "$(cat "$TMP/err")" "" "nothing on stderr"
is "$(wc -l <"$TMP/out")" $((n * 9)) "nine records for each of $n targets"
is "$(jq -r .probe_id "$TMP/out" | uniq | wc -l)" "$n" "each target's records are written together"

states() { jq -r 'select(.type == "result") | "\(.slug) \(.state) \(.error.code // "-")"' "$TMP/out"; }
bad=0
while read -r mode _ state code; do
	got=$(states | awk -v m="$mode" '$1 ~ "^" m "-[0-9]+$" { print $2, $3 }' | sort -u)
	[ "$got" = "$state $code" ] || {
		bad=$((bad + 1))
		diag "$mode: got '$got', want '$state $code'"
	}
done <"$TMP/modes"
is "$bad" 0 "every mode's five targets get its own state and error code"
is "$(states | awk '$1 ~ /^(creds|modern|tls)-/ { print $2 }' | sort -u)" healthy \
    "credentialed call, modern and TLS targets are healthy among them"
is "$(states | awk '$1 ~ /^expired-/ { print $3 }' | sort -u) $(states | awk '$1 ~ /^refused-/ { print $3 }' | sort -u)" \
    "tls_cert_expired connect_refused" "expired certificates and refused connections are classified"

# Every target starts at once (-j 200) and its records are written as it
# finishes, so the records come in the order the targets finished: a fast
# target's records never wait for a slow one's.  The order is by the time
# each was decided; a legacy target's records also wait for its DELETE, at
# most 2 s (slow under a sanitizer, with the fixture busy), hence the slack
# of 2.5 s.  A record held back by a timeout target would be later still:
# those end at 4 s.
back=$(jq -s '[.[] | select(.type == "result") | .probe_finished_at] |
    [range(1; length) as $i | .[$i - 1] - .[$i]] | max * 1000 | round' "$TMP/out")
# On a machine loaded past that (the sanitizer build beside other work),
# every target is slow, its DELETE too: the slack grows to half again the
# slowest target that does not time out, which a record held back for the
# timeouts (at 4 s, behind fast targets of some ms) still exceeds.
slowest=$(jq -s '[.[] | select(.type == "result" and .error.code != "timeout") | .ms] | max // 0 | floor' "$TMP/out")
slack=$((slowest * 3 / 2 > 2500 ? slowest * 3 / 2 : 2500))
ok "$([ "$back" -le "$slack" ]; echo $?)" \
    "records are written in the order the targets finished (worst step back: $back ms, slack $slack ms)"
last_fast=$(jq -r 'select(.type == "result") | .error.code // "ok"' "$TMP/out" | grep -vn '^timeout$' | tail -n 1 | cut -d: -f1)
first_slow=$(jq -r 'select(.type == "result") | .error.code // "ok"' "$TMP/out" | grep -n '^timeout$' | head -n 1 | cut -d: -f1)
diag "last record of a fast target #$last_fast, first of a timeout #$first_slow"
is "$(jq -r 'select(.type == "result" and .error.code == "timeout") | .ms <= 4500' "$TMP/out" | sort -u)" true \
    "every timeout within its own 4 s deadline"
# A late one is named, with the step and message that ended it.
jq -r 'select(.error.code == "timeout" and .ms > 4500) |
    "late \(.type): \(.slug) \(.step // "") \(.ms) ms: \(.error.message)"' "$TMP/out" |
    while read -r l; do diag "$l"; done

# Sockets come and go under the loop: kept-alive ones parked between
# requests, and a server that closes every connection after its answer,
# so that new sockets reuse the numbers of closed ones.  A socket the loop
# failed to watch again would end in a timeout.
: >"$TMP/churn"
for i in $(seq 40); do
	echo "close-$i $FIX/close/mcp" >>"$TMP/churn"
	echo "kept-$i $FIX/stateless/mcp" >>"$TMP/churn"
done
mcp-probe -r test -j 8 -f "$TMP/churn" >"$TMP/churn.out" 2>"$TMP/churn.err"
is "$?" 0 "80 targets, half on a server that closes every connection: exit 0"
is "$(jq -r 'select(.type == "result") | .state' "$TMP/churn.out" | sort | uniq -c | awk '{ print $1, $2 }')" \
    "80 healthy" "every one of them healthy"

# A host name that is not localhost goes through libcurl's threaded
# resolver, whose socketpair libcurl closes itself, unseen by the run loop.
# The loop must take it out of epoll when libcurl says so, not keep it
# parked: a parked entry would make the next socket with its number look
# watched already.  strace shows what epoll was told.  Port 1: nothing
# listens, nothing is sent anywhere but this machine.
name=
for h in "$(hostname)" "$(timeout 3 hostname -f 2>/dev/null)"; do
	case $h in '' | localhost) continue ;; esac
	case $(timeout 3 getent ahostsv4 "$h" | awk 'NR == 1 { print $1 }') in
	127.*) name=$h && break ;;
	esac
done
if [ -z "$name" ]; then
	diag "resolver socket check skipped: no host name here resolves to 127.0.0.0/8 but localhost"
elif ! command -v strace >/dev/null; then
	diag "resolver socket check skipped: strace is not installed (scripts/deps installs it)"
elif ! strace -o /dev/null true 2>/dev/null; then
	diag "resolver socket check skipped: strace cannot trace here (ptrace is not allowed)"
else
	printf 'r1 http://%s:1/mcp\nr2 http://%s:1/mcp\n' "$name" "$name" >"$TMP/resolved"
	strace -f -qq -e trace=socketpair,epoll_ctl,close -o "$TMP/strace" \
	    mcp-probe -r test -j 1 -f "$TMP/resolved" >"$TMP/resolved.out" 2>"$TMP/resolved.err"
	is "$(jq -r 'select(.type == "result") | .error.code' "$TMP/resolved.out" | sort -u)" \
	    connect_refused "a name through the threaded resolver ($name): resolved, then refused"
	# The resolver's end that epoll watched: added, deleted, then closed.
	fd=$(awk '/epoll_ctl\(.*EPOLL_CTL_ADD/ { sub(/.*EPOLL_CTL_ADD, /, ""); sub(/,.*/, ""); print; exit }' "$TMP/strace")
	is "$(awk -v fd="$fd" '$0 ~ "EPOLL_CTL_ADD, " fd "," { on = 1 }
	    on && ($0 ~ "EPOLL_CTL_(ADD|DEL), " fd "[,)]" || $0 ~ "close\\(" fd "\\)") {
	    if ($0 ~ /ADD/) print "add"; else if ($0 ~ /DEL/) print "del"; else print "close" }' "$TMP/strace" | head -n 3 | tr '\n' ' ')" \
	    "add del close " "the resolver's socket leaves epoll before libcurl closes it"
	is "$(grep -c 'ENOENT' "$TMP/strace")" 0 "no epoll_ctl on a socket epoll no longer holds"
fi

diag "slowest timeout: $(jq -r 'select(.type == "result" and .error.code == "timeout") | .ms' "$TMP/out" | sort -g | tail -n 1) ms"
done_testing
