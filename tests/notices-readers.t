#!/usr/bin/env bash
# test: long (a minute or so under load: started before the rest)
# notices-readers.t - no reader shuts the form to the others, and nothing
# the store holds confirms or unsubscribes anybody (issue 45, items 5-7):
# fifty clients from fifty IPv6 /64s, in one /48 and then in fifty /48s,
# flood the form, and a reader from elsewhere still subscribes; a victim
# whose address a stranger asked for first still subscribes, to what she
# chose; the outbox read with mcp-serve's own Redis user while the mail
# relay is down gives no token that confirms; after a one-click
# unsubscription no key holds the address, the outbox included.  Real
# nginx (realip from X-Forwarded-For plays the clients), fcgiwrap and
# FastCGI, redis-server and aiosmtpd.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/alert-lib.sh
source "$TOP/tests/alert-lib.sh"
# shellcheck source=tests/notices-lib.sh
source "$TOP/tests/notices-lib.sh"

page_ready || skip_all "$WHY"
start_redis
rc() { redis-cli -s "$REDIS_SOCK" "$@"; }
start_fixture
M=$TMP/mail
start_sink "$M"
start_page || { ok 1 "nginx, fcgiwrap and spawn-fcgi start"; done_testing; }
probe_slugs 0 weather files
conf() {
	cat >"$TMP/alert.conf" <<-CONF
		route mail email smtp://127.0.0.1:$1 status@example.test ops@example.test
		status_page $PAGE_CGI
		subscriber_mail mail
	CONF
}
conf "$SINK_PORT"
NOW=$(w 2)
ma() { MCP_NOW=$NOW mcp-alert -c "$TMP/alert.conf" "$@"; }
ma </dev/null
is "$?" 0 "mcp-alert runs: the page takes subscriptions"
# sub CLIENT ADDRESS FIELDS...: the form, from the page's origin, as client CLIENT.
sub() {
	local cl=$1 a=$2
	shift 2
	req -H "Origin: $PAGE_FCGI" -H "X-Forwarded-For: $cl" --data-urlencode "email=$a" "$@" "$PAGE_FCGI/subscribe"
}
# flood NAME CLIENT...: ten requests from each client, each for another
# address, one after another as sub() sends them, in one curl (a config of
# a request each, joined by "next": one process, one connection); the
# codes in $TMP/flood.NAME, a line each.
flood() {
	local n=$1 c i
	shift
	for c in "$@"; do
		for i in $(seq 10); do
			printf 'url = "%s/subscribe"\nheader = "Origin: %s"\nheader = "X-Forwarded-For: %s"\n' \
			    "$PAGE_FCGI" "$PAGE_FCGI" "$c"
			printf 'data-urlencode = "email=flood-%s-%s-%s@example.test"\ndata = "all=1"\n' \
			    "$n" "${c//:/}" "$i"
			printf 'output = "/dev/null"\nwrite-out = "%%{http_code}\\n"\nnext\n'
		done
	done >"$TMP/flood.$n.conf"
	curl -sS -m 600 -K "$TMP/flood.$n.conf" >"$TMP/flood.$n" 2>"$TMP/flood.$n.err"
}
# token ADDRESS: the token of the newest confirmation sent to it.
token() { mbody "$M" "$(mto "$M" "$1" | tail -1)" 2>/dev/null | grep -o 't=[0-9a-f]\{40\}' | tail -1 | cut -c3-; }
# until_mail ADDRESS: mcp-alert run until a message reaches it (five runs at most).
until_mail() {
	local i
	for i in 1 2 3 4 5; do
		ma </dev/null >/dev/null 2>>"$TMP/alert.err"
		[ -n "$(mto "$M" "$1")" ] && return 0
	done
	return 1
}
confirm() { req -H "X-Forwarded-For: ${2:-192.0.2.200}" -d "t=$1" "$PAGE_CGI/subscribe/confirm"; }
newhour() { rc --scan --pattern 'mcp:{page}:limit:*' | while read -r k; do rc del "$k" >/dev/null; done; }

# --- 5. a jammed form -----------------------------------------------------------------
mapfile -t one48 < <(for i in $(seq 50); do echo "2001:db8:a:$i::1"; done)
flood one48 "${one48[@]}"
is "$(grep -c '^200$' "$TMP/flood.one48")" 30 "fifty /64s of one /48, ten requests each: 30 taken (the /48's hour)"
is "$(sort -u "$TMP/flood.one48" | tr '\n' ' ')" "200 429 " "the rest 429"
sub 2001:db8:beef:1::1 reader-a@example.test -d slug=weather
is "$ST" 200 "then a reader from elsewhere: 200"
until_mail reader-a@example.test
ok $? "and her confirmation is sent"
confirm "$(token reader-a@example.test)"
like "$ST:$(tr '\n' ' ' <"$RB")" '^200:.*You are subscribed.*weather' "she confirms: subscribed to weather"

newhour
mapfile -t many48 < <(for i in $(seq 100 149); do echo "2001:db8:$i::1"; done)
flood many48 "${many48[@]}"
taken=$(grep -c '^200$' "$TMP/flood.many48")
is "$taken" 180 "fifty /64s in fifty /48s: the page's 100, then each /48's first 2 of its hour (180 taken)"
sub 198.51.100.77 reader-b@example.test -d slug=weather
is "$ST" 200 "then a reader from elsewhere: 200"
sub 2001:db8:ffff:2::1 reader-c@example.test -d all=1
is "$ST" 200 "and another, over IPv6: 200"
until_mail reader-b@example.test
ok $? "her confirmation is sent"
confirm "$(token reader-b@example.test)"
like "$ST:$(tr '\n' ' ' <"$RB")" '^200:.*You are subscribed' "she confirms"
is "$(($(grep -rl --include='*.eml' 'flood-' "$M" | wc -l) <= 30 + taken))" 1 \
    "mail to addresses nobody confirmed: one a request taken, no more"

# --- 6. a stolen turn -------------------------------------------------------------------
newhour
sub 203.0.113.9 victim@example.test -d slug=files
is "$ST" 200 "a stranger asks for the victim's address first (files)"
sub 192.0.2.50 victim@example.test -d slug=weather
is "$ST" 200 "then the victim herself (weather)"
ma </dev/null 2>>"$TMP/alert.err"
is "$(mto "$M" victim@example.test | wc -l)" 2 "both are sent a confirmation"
v=$(mto "$M" victim@example.test | tail -1)
is "$(mval "$M" "$v" Subject)" "Confirm your subscription to weather" "the victim's own names what she asked"
confirm "$(token victim@example.test)"
like "$ST:$(tr '\n' ' ' <"$RB")" '^200:.*You are subscribed.*weather' "she confirms it: subscribed to weather"
vid=$(rc get "mcp:{page}:addr:$(printf victim@example.test | sha256sum | cut -c1-64)")
is "$(rc hget "mcp:{page}:sub:$vid" slugs)" weather "following weather, not what the stranger chose"
for c in 203.0.113.10 198.51.100.200 2001:db8:77::1 2001:db8:78::1; do
	sub "$c" victim@example.test -d slug=files
done
ma </dev/null 2>>"$TMP/alert.err"
is "$(mto "$M" victim@example.test | wc -l)" 3 "strangers from four more networks: one more message, three in the day"

# --- 7. tokens in clear -----------------------------------------------------------------
acl=$(mandoc -Tascii "$TOP/man/mcp-serve.8" | col -b | sed -n '/ACL SETUSER/,/^ *$/p' | tr -d '\\\n' | tr -s ' ')
like "$acl" 'ACL SETUSER mcp-serve on >PASSWORD' "mcp-serve(8) gives the ACL of its Redis user"
# shellcheck disable=SC2086 # the words of the documented command
rc ${acl//>PASSWORD/>pw-$$} >/dev/null
rs() { redis-cli -s "$REDIS_SOCK" --user mcp-serve --pass "pw-$$" --no-auth-warning "$@"; }
kill "$SINK_PID" && wait "$SINK_PID" 2>/dev/null
NOW=$(w 4)
newhour
sub 192.0.2.60 out@example.test -d slug=weather
ma </dev/null 2>"$TMP/down.err"
like "$(cat "$TMP/down.err")" 'confirmation: .*attempt 1' "the mail relay down: the confirmation waits for a retry"
is "$(rs llen 'mcp:{page}:outbox:mail')" 1 "in the outbox, which mcp-serve's user can read"
{
	rs lrange 'mcp:{page}:outbox:mail' 0 -1
	rs lrange 'mcp:{page}:requests' 0 -1
	rs hgetall "mcp:{page}:ask:$(printf out@example.test | sha256sum | cut -c1-64)"
} >"$TMP/read"
like "$(cat "$TMP/read")" '"ask":"[0-9a-f]{64}"' "the job names the address by its hash"
unlike "$(cat "$TMP/read")" '"to"|"token"' "and holds no address, no token"
rc --scan >"$TMP/keys"
dump() { while read -r k; do rc --raw dump "$k"; done <"$TMP/keys" | tr -d '\0' | tr -c '[:print:]' '\n'; }
grep -o '[0-9a-f]\{32,\}' "$TMP/read" | sort -u >"$TMP/hex"
n=0
bad=0
while read -r h; do
	for t in "${h:0:40}" "${h: -40}"; do
		n=$((n + 1))
		confirm "$t" 192.0.2.61
		[ "$ST" = 410 ] || bad=$((bad + 1))
	done
done <"$TMP/hex"
is "$bad" 0 "every hex string read there, posted as a token ($n tries): 410, none confirms"
is "$(rc exists "mcp:{page}:addr:$(printf out@example.test | sha256sum | cut -c1-64)")" 0 "out@example.test is not subscribed"
start_sink "$M" "$SINK_PORT"
NOW=$(($(w 4) + 45))
until_mail out@example.test
ok $? "the relay back: the confirmation sent at its retry"
confirm "$(token out@example.test)"
is "$ST" 200 "and its token, made as it was sent, confirms"
oid=$(rc get "mcp:{page}:addr:$(printf out@example.test | sha256sum | cut -c1-64)")

# Subscribed, with a notice delivered (its unsubscribe link), then things queued for it.
ma post new --slug weather --title 'Weather slow' --text 'Looking.' >/dev/null
ma </dev/null 2>>"$TMP/alert.err"
un=$(mval "$M" "$(mto "$M" out@example.test | tail -1)" List-Unsubscribe | tr -d '<>')
like "$un" "/unsubscribe\\?s=$oid&t=[0-9a-f]{40}\$" "a notice came, with its unsubscribe link"
kill "$SINK_PID" && wait "$SINK_PID" 2>/dev/null
ma post update 1 --text 'Still looking.' >/dev/null
sub 198.51.100.61 out@example.test -d slug=files
ma </dev/null 2>>"$TMP/alert.err"
ah=$(printf out@example.test | sha256sum | cut -c1-64)
mine() { rc lrange 'mcp:{page}:outbox:mail' 0 -1 | grep -c -F -e "\"sub\":\"$oid\"" -e "\"ask\":\"$ah\""; }
is "$(mine)" 2 "the relay down again: its notice and a confirmation wait in the outbox"
sub 2001:db8:61::1 out@example.test -d all=1
is "$(rc llen 'mcp:{page}:requests')" 1 "and a request for the address waits for mcp-alert"
req -H 'X-Forwarded-For: 192.0.2.62' -d 'List-Unsubscribe=One-Click' "${un/$PAGE_CGI/$PAGE_FCGI}"
like "$ST:$(tr '\n' ' ' <"$RB")" '^200:.*You are unsubscribed' "one-click unsubscribe: 200"
rc --scan >"$TMP/keys"
is "$( (cat "$TMP/keys"; dump) | grep -c -F -e out@example.test -e "$ah")" 0 \
    "no key holds the address or its hash ($(wc -l <"$TMP/keys") keys scanned, values dumped)"
is "$(mine):$(rc llen 'mcp:{page}:requests')" "0:0" "its jobs and requests removed"
start_sink "$M" "$SINK_PORT"
before=$(mto "$M" out@example.test | wc -l)
NOW=$(w 6)
ma </dev/null 2>>"$TMP/alert.err"
is "$(mto "$M" out@example.test | wc -l)" "$before" "and nothing is sent to it any more"
unlike "$(cat "$PAGE_LOG" "$PAGE_FCGI_ERR" "$TMP/alert.err")" 'AddressSanitizer|runtime error|NOPERM' \
    "no sanitizer report, no command refused"
done_testing
