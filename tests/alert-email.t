#!/usr/bin/env bash
# alert-email.t - mcp-alert's email route (issue 34) against a real SMTP
# server on loopback (tests/fixtures/smtp-sink.py, aiosmtpd): a trigger is
# one message, its resolve a reply in its thread; a server down keeps the
# delivery in the outbox until it is back; AUTH with a credentials file
# that must be mode 600 and is never printed; no header made of a record's
# text; the P3 notices of a route with a digest collected into one
# message an interval.  A private redis-server; time through MCP_NOW.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/alert-lib.sh"

PY=
for p in python3 /usr/bin/python3; do
	command -v "$p" >/dev/null && "$p" -c 'import aiosmtpd' 2>/dev/null && PY=$p && break
done
[ -n "$PY" ] || skip_all "aiosmtpd is not installed (Debian: python3-aiosmtpd)"
start_redis --appendonly yes
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }
T=$(w 3)
export MCP_NOW=$T

# sink DIR [PORT] [OPTIONS...]: the SMTP server, keeping what it gets in
# DIR; SINK_PID, SINK_PORT.
sink() {
	local d=$1 port=${2:-0}
	shift $(($# > 1 ? 2 : 1))
	mkdir -p "$d" && rm -f "$d/port"
	"$PY" "$TOP/tests/fixtures/smtp-sink.py" "$d" "$port" "$@" 2>>"$d/log" &
	SINK_PID=$!
	bg_pid "$SINK_PID"
	wait_file "$d/port" || echo "# the SMTP server did not start: $(cat "$d/log")"
	SINK_PORT=$(cat "$d/port")
}
stop() { kill "$1" && wait "$1" 2>/dev/null; }
# n DIR: the messages DIR holds; hdr DIR N NAME...: headers of message N,
# decoded, "Name: value" a line; val DIR N NAME: one's value; body DIR N.
n() { find "$1" -name '*.eml' | wc -l; }
hdr() { "$PY" "$TOP/tests/fixtures/smtp-sink.py" --show "$1/$2.eml" "${@:3}"; }
val() { hdr "$1" "$2" "$3" | sed "s/^$3: //"; }
body() { "$PY" "$TOP/tests/fixtures/smtp-sink.py" --show "$1/$2.eml"; }
env_of() { jq -c "$3" "$1/$2.env"; }
ma() {
	mcp-alert -c "$TMP/alert.conf" "$@" <"$TMP/in" >"$TMP/out" 2>"$TMP/err"
	echo $?
}
# mid KEY: the Message-ID of a trigger of dedup_key KEY, from alerts@example.test.
mid() { echo "<mcp-alert.$(printf '%s' "$1" | sha256sum | cut -c1-32)@example.test>"; }

M=$TMP/mail
sink "$M"
cat >"$TMP/alert.conf" <<CONF
route mail email smtp://127.0.0.1:$SINK_PORT alerts@example.test oncall@example.test,lead@example.test
retry_base 30s
CONF

# --- the configuration ---------------------------------------------------------------
: >"$TMP/in"
# The libcurl linked must speak SMTP: build-aux/curl builds it so since issue 34.
if ma check >/dev/null && grep -q 'has no smtp' "$TMP/err"; then
	skip_all "this mcp-alert's libcurl has no SMTP (run build-aux/curl again)"
fi
is "$(ma check):$(cat "$TMP/err")" "0:" "check: an email route is a good route"
bad() {
	printf 'route m email %s\n' "$1" >"$TMP/bad.conf"
	mcp-alert -c "$TMP/bad.conf" check </dev/null 2>&1
}
like "$(bad "http://127.0.0.1:25 a@example.test b@example.test")" 'route "m": http://127.0.0.1:25: not an smtp:// or smtps:// URL' \
    "an http URL: refused"
like "$(bad "smtp://me:pw@127.0.0.1:25 a@example.test b@example.test")" 'a user in the URL' \
    "a user and password in the URL: refused (credentials FILE holds them)"
like "$(bad "smtp://127.0.0.1:25/x a@example.test b@example.test")" 'nothing after' "a path: refused"
like "$(bad "smtp://127.0.0.1:25 a@example.test b@example.test,x<y>@example.test")" \
    'x<y>@example.test: not an address' "an address with < >: refused"
like "$(bad "smtp://127.0.0.1:25 a@example.test b@example.test,nobody")" 'nobody: not an address' \
    "a list with a name that is no address: refused"
like "$(bad "smtp://127.0.0.1:25 a@example.test $(printf 'x%.0s' $(seq 250))@example.test")" 'not an address' \
    "an address past 254 bytes: refused"
like "$(bad "smtp://127.0.0.1:25 a@example.test b@example.test credentials")" 'want email URL FROM TO' \
    "credentials without its FILE: refused"
printf 'route pd pagerduty %s\ndigest pd 1h\n' "$TMP/alert.conf" >"$TMP/bad.conf"
like "$(mcp-alert -c "$TMP/bad.conf" check </dev/null 2>&1)" 'a pagerduty route has no digest' \
    "digest on a PagerDuty route: refused (its P3s would never reach it)"

# --- a trigger: one message ---------------------------------------------------------
red p1 0 2 http >"$TMP/in"
is "$(ma):$(cat "$TMP/err")" "0:" "a trigger to an email route: exit 0, quiet"
trig=$(cat "$TMP/out")
is "$(n "$M")" 1 "the server got one message"
is "$(env_of "$M" 1 .)" '{"mail_from":"alerts@example.test","rcpt_tos":["oncall@example.test","lead@example.test"],"login":null}' \
    "envelope: MAIL FROM the sender, RCPT TO each address"
is "$(val "$M" 1 Subject)" "[P1] p1: http failing in 2 regions" "Subject: [severity] and the summary"
is "$(val "$M" 1 From):$(val "$M" 1 To)" "alerts@example.test:oncall@example.test, lead@example.test" "From and To"
is "$(val "$M" 1 Message-ID)" "$(mid "p1:$(w 0)")" \
    "Message-ID: made of the dedup_key alone (the same on a redelivery)"
is "$(val "$M" 1 In-Reply-To)" "-" "a trigger answers nothing"
is "$(val "$M" 1 Date)" "Tue, 24 Nov 2026 16:03:00 +0000" "Date: the time of the record"
is "$(grep -aE '^(MIME-Version|Content-Type|Content-Transfer-Encoding|Auto-Submitted|X-MCP-Alert-Dedup-Key):' "$M/1.eml" | tr -d '\r' | tr '\n' '|')" \
    "MIME-Version: 1.0|Content-Type: text/plain; charset=utf-8|Content-Transfer-Encoding: quoted-printable|Auto-Submitted: auto-generated|X-MCP-Alert-Dedup-Key: p1:$(w 0)|" \
    "MIME-Version, text/plain in UTF-8, quoted-printable, Auto-Submitted, the dedup_key"
body "$M" 1 >"$TMP/b1"
is "$(tail -1 "$TMP/b1")" "$trig" "the body ends with the alert record as printed"
like "$(sed -n 3,12p "$TMP/b1" | tr '\n' '|')" '^Event: +P1 trigger\|Service: +p1\|Incident: +p1:1795536000\|Started: +2026-11-24T16:00:00Z\|Step: +http\|Regions: +eu-west-2, us-east-1\|At:' \
    "and begins with it readable: event, service, incident, start, step, regions"
is "$(grep -c $'\r$' "$M/1.eml")" "$(wc -l <"$M/1.eml")" "every line of the message ends in CRLF"
is "$(awk 'length > 78' "$M/1.eml" | wc -l)" 0 "no line longer than 78 (quoted-printable)"
is "$(rcli llen mcp:alert:outbox:mail)" 0 "the outbox is empty"

# --- the resolve: a reply in its thread -------------------------------------------
green p1 3 5 >"$TMP/in"
is "$(MCP_NOW=$(w 6) ma):$(cat "$TMP/err")" "0:" "the resolve: exit 0"
is "$(n "$M")" 2 "a second message"
like "$(val "$M" 2 Subject)" '^\[P1 resolve\] p1 recovered after ' "Subject: [P1 resolve] and its summary"
is "$(val "$M" 2 In-Reply-To):$(val "$M" 2 References)" "$(val "$M" 1 Message-ID):$(val "$M" 1 Message-ID)" \
    "In-Reply-To and References: the trigger's Message-ID"
m2=$(val "$M" 2 Message-ID)
like "$m2" '^<mcp-alert\.[0-9a-f]{32}@example\.test>$' "a Message-ID of its own"
[ "$m2" != "$(val "$M" 1 Message-ID)" ]
ok $? "not the trigger's"

# --- the server down: kept in the outbox, sent when it is back -----------------------
stop "$SINK_PID"
red d1 0 2 http >"$TMP/in"
is "$(ma)" 0 "the server down: exit 0"
like "$(cat "$TMP/err")" "route mail: trigger d1:$(w 0): Couldn't connect to server; attempt 1, next in 30 s" \
    "a warning: which delivery, why, when again"
is "$(rcli llen mcp:alert:outbox:mail)" 1 "the delivery waits in the outbox"
sink "$M" "$SINK_PORT"
: >"$TMP/in"
is "$(MCP_NOW=$((T + 10)) ma):$(n "$M")" "0:2" "the server back, 10 s on: not yet (backoff)"
is "$(MCP_NOW=$((T + 31)) ma):$(cat "$TMP/err"):$(rcli llen mcp:alert:outbox:mail)" "0::0" \
    "31 s on: delivered, quietly, the outbox empty"
is "$(n "$M"):$(val "$M" 3 Subject):$(val "$M" 3 Message-ID)" "3:[P1] d1: http failing in 2 regions:$(mid "d1:$(w 0)")" \
    "nothing lost: the message, with the Message-ID it would have had"

# --- a recipient refused for good ------------------------------------------------------
stop "$SINK_PID"
sink "$M" "$SINK_PORT" --reject lead@example.test
red r1 0 2 http >"$TMP/in"
is "$(ma)" 0 "RCPT TO refused (550): exit 0"
like "$(cat "$TMP/err")" "route mail: trigger r1:$(w 0) not delivered after 1 attempt \\(SMTP 550: " \
    "reported as not delivered: SMTP 550"
is "$(jq -r 'select(.event == "undelivered") | .route' "$TMP/out"):$(rcli llen mcp:alert:outbox:mail):$(n "$M")" \
    "mail:0:3" "an undelivered record; nothing retried, nothing sent"
stop "$SINK_PID"
sink "$M" "$SINK_PORT"

# --- no header made of a record's text ------------------------------------------------
# A record as a store someone else wrote to could hold it: CR and LF in the
# summary and the dedup_key.
job='{"id":"0123456789abcdef0123456789abcdef","route":"mail","n":0,"first":'$T',"next":'$T',"rec":{"v":1,"type":"alert","event":"trigger","severity":"P1\r\nX-Sev: 1","slug":"x1","dedup_key":"x1:1\r\nBcc: evil@evil.test","summary":"x1: down\r\nBcc: evil@evil.test\r\nX-Injected: yes\r\n\r\nbody?","at":'$T'}}'
rcli rpush mcp:alert:outbox:mail "$job" >/dev/null
: >"$TMP/in"
is "$(ma):$(n "$M")" "0:4" "a record with CR LF in its summary: delivered"
is "$(hdr "$M" 4 Bcc X-Injected X-Sev | tr '\n' '|')" "Bcc: -|X-Injected: -|X-Sev: -|" "no header of its making"
is "$(val "$M" 4 Subject)" "[P1  X-Se] x1: down  Bcc: evil@evil.test  X-Injected: yes    body?" \
    "the summary on the Subject line, CR and LF as spaces"
is "$(val "$M" 4 X-MCP-Alert-Dedup-Key)" "x1:1  Bcc: evil@evil.test" "the dedup_key too"
is "$(env_of "$M" 4 .rcpt_tos)" '["oncall@example.test","lead@example.test"]' "the envelope: the route's addresses only"
# Not ASCII: RFC 2047 words, which decode to the summary, cut at 200 bytes.
sum="x2: l'échéance du certificat — $(printf 'ü%.0s' $(seq 120))"
job='{"id":"1123456789abcdef0123456789abcdef","route":"mail","n":0,"first":'$T',"next":'$T',"rec":{"v":1,"type":"alert","event":"trigger","severity":"P3","slug":"x2","dedup_key":"x2:1","summary":"'$sum'","at":'$T'}}'
rcli rpush mcp:alert:outbox:mail "$job" >/dev/null
is "$(ma):$(n "$M")" "0:5" "a summary in UTF-8: delivered"
like "$(grep -a '^Subject:' "$M/5.eml")" '^Subject: =\?UTF-8\?B\?' "the Subject in encoded words"
want=$(printf '[P3] %s' "$sum" | head -c 200 | iconv -f UTF-8 -t UTF-8 -c)
is "$(val "$M" 5 Subject)" "$want" "which decode to it, cut at 200 bytes, never inside a character"
is "$(LC_ALL=C.UTF-8 grep -c 'l.échéance' <(body "$M" 5))" 2 "the body in UTF-8: the text and the record"

# A group of incidents: the first 20 members listed, and how many more.
slugs=$(seq -f 'g%02g' 1 25 | jq -R . | jq -sc .)
job='{"id":"2123456789abcdef0123456789abcdef","route":"mail","n":0,"first":'$T',"next":'$T',"rec":{"v":1,"type":"alert","event":"trigger","severity":"P1","slug":"grp-a","dedup_key":"grp-a:1","summary":"25 servers failing","at":'$T',"group":{"key":"grp-a","count":25,"slugs":'$slugs',"added":'$slugs',"resolved":[]}}}'
rcli rpush mcp:alert:outbox:mail "$job" >/dev/null
is "$(ma):$(n "$M")" "0:6" "a group's trigger: delivered"
body "$M" 6 >"$TMP/bg"
is "$(sed -n '/^25 incidents in the group:/,/^Added:/p' "$TMP/bg" | tr -s ' ' | tr '\n' '|')" \
    "25 incidents in the group:| $(seq -f 'g%02g' 1 20 | tr '\n' '|' | sed 's/|/| /g')and 5 more|Added: $(seq -f 'g%02g' 1 20 | tr '\n' ',' | sed 's/,/, /g')and 5 more|" \
    "its body lists the first 20 members and how many more, and those added"
is "$(grep -c '^Group: *grp-a$' "$TMP/bg")" 1 "and names the group"

# --- AUTH with a credentials file -------------------------------------------------------
A=$TMP/auth
sink "$A" 0 --auth 'mailer:s3cret pass:word'
printf 'mailer\ns3cret pass:word\n' >"$TMP/cred"
cat >"$TMP/auth.conf" <<CONF
route mail email smtp://127.0.0.1:$SINK_PORT alerts@example.test oncall@example.test credentials $TMP/cred
retry_base 30s
# each incident alone, so that each login is a message of its own (grouping: alert-group.t)
group_by slug
CONF
rcli flushall >/dev/null
red a1 0 2 http >"$TMP/in"
mcp-alert -c "$TMP/auth.conf" <"$TMP/in" >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "0:" "AUTH with USER and PASSWORD on two lines: exit 0, quiet"
is "$(n "$A"):$(env_of "$A" 1 .login):$(cat "$A/auth.log")" '1:"mailer":PLAIN mailer ok' \
    "the server took the login, and the message"
printf 'mailer:s3cret pass:word\n' >"$TMP/cred"
red a2 0 2 http >"$TMP/in"
mcp-alert -c "$TMP/auth.conf" <"$TMP/in" >/dev/null 2>"$TMP/err"
is "$?:$(n "$A")" "0:2" "USER:PASSWORD on one line (the password may hold a colon)"
printf 'mailer:wrong\n' >"$TMP/cred"
red a3 0 2 http >"$TMP/in"
mcp-alert -c "$TMP/auth.conf" <"$TMP/in" >"$TMP/out" 2>"$TMP/err"
is "$?:$(n "$A"):$(rcli llen mcp:alert:outbox:mail)" "0:2:1" \
    "a wrong password: not sent, kept in the outbox (the operator's to fix)"
like "$(cat "$TMP/err")" "route mail: trigger a3:$(w 0): SMTP 535: Login denied; attempt 1" "said so"
unlike "$(cat "$TMP/err" "$TMP/out")" 'wrong|s3cret' "the password is not printed"
printf 'mailer:s3cret pass:word\n' >"$TMP/cred"
chmod 640 "$TMP/cred"
mcp-alert -c "$TMP/auth.conf" check </dev/null >"$TMP/out" 2>"$TMP/err"
is "$?" 2 "a credentials file group can read: the configuration is refused"
like "$(cat "$TMP/err")" "$TMP/cred: accessible by group or others \\(chmod 600\\)" "saying why"
unlike "$(cat "$TMP/err" "$TMP/out")" 's3cret' "without the password"
chmod 600 "$TMP/cred"
stop "$SINK_PID"

# --- STARTTLS off loopback ---------------------------------------------------------------
IP=$(ip -4 -o addr show scope global 2>/dev/null | awk '{sub(/\/.*/, "", $4); print $4; exit}')
if [ -n "$IP" ]; then
	O=$TMP/off
	sink "$O" 0 --host "$IP"
	cat >"$TMP/off.conf" <<CONF
route mail email smtp://$IP:$SINK_PORT alerts@example.test oncall@example.test
CONF
	rcli flushall >/dev/null
	red o1 0 2 http >"$TMP/in"
	mcp-alert -c "$TMP/off.conf" <"$TMP/in" >/dev/null 2>"$TMP/err"
	is "$?:$(n "$O")" "0:0" "smtp:// off loopback to a server without STARTTLS: nothing sent in the clear"
	like "$(cat "$TMP/err")" "route mail: trigger o1:$(w 0): .*SSL.*; attempt 1" "said, and kept to retry"
	stop "$SINK_PID"
else
	ok 0 "# SKIP no address off loopback"
	ok 0 "# SKIP no address off loopback"
fi

# --- the P3 digest ------------------------------------------------------------------------
sink "$M" "$SINK_PORT"
cat >"$TMP/alert.conf" <<CONF
route mail email smtp://127.0.0.1:$SINK_PORT alerts@example.test oncall@example.test
digest mail 1h
retry_base 30s
CONF
rcli flushall >/dev/null
before=$(n "$M")
E=$(($(w 0) + 14 * 86400 - 3600))
# cv SLUG K: a verdict of window K whose certificate expires at E (a P3 notice).
cv() {
	VD_EXTRA=",\"host\":\"mcp.example.com\",\"cert_expires_at\":$E,\"cert_regions\":[\"eu-west-2\"]" vd "$1" "$2" green ok - ''
}
for s in c1 c2 c3; do cv $s 0; done >"$TMP/in"
MCP_NOW=$(($(w 0) + 95))
is "$(ma):$(cat "$TMP/err")" "0:" "three P3 notices (certificates expiring) on a route with a digest: exit 0"
is "$(jq -r '[.event, .severity] | join(" ")' "$TMP/out" | sort | uniq -c | tr -s ' ')" " 3 trigger P3" \
    "three P3 triggers printed"
is "$(($(n "$M") - before)):$(rcli llen mcp:alert:digest:mail):$(rcli llen mcp:alert:outbox:mail)" "0:3:0" \
    "not sent: kept for the digest"
red p9 0 2 http >"$TMP/in"
is "$(MCP_NOW=$(w 3) ma):$(($(n "$M") - before)):$(val "$M" "$(n "$M")" Subject)" "0:1:[P1] p9: http failing in 2 regions" \
    "a P1 on the same route: sent at once"
: >"$TMP/in"
is "$(MCP_NOW=$(($(w 0) + 95 + 3599)) ma):$(($(n "$M") - before)):$(rcli llen mcp:alert:digest:mail)" "0:1:3" \
    "the oldest has waited less than the interval: nothing more"
is "$(MCP_NOW=$(($(w 0) + 95 + 3600)) ma):$(cat "$TMP/err"):$(($(n "$M") - before))" "0::2" \
    "an hour after the first: one message"
d=$(n "$M")
is "$(val "$M" "$d" Subject)" "[P3 digest] 3 P3 notices since 2026-11-24T16:01:35Z" "Subject: the digest, how many, since when"
body "$M" "$d" >"$TMP/bd"
is "$(grep -o 'c[123]:cert-expiry:[0-9]*' "$TMP/bd" | sort -u | tr '\n' ' ')" \
    "c1:cert-expiry:$E c2:cert-expiry:$E c3:cert-expiry:$E " "it lists the three incidents"
is "$(grep -c '^{"v":1,"type":"alert","event":"trigger","severity":"P3"' "$TMP/bd")" 3 "and their three records"
is "$(val "$M" "$d" In-Reply-To)" "-" "a digest answers nothing"
is "$(rcli llen mcp:alert:digest:mail):$(rcli llen mcp:alert:outbox:mail)" "0:0" "the digest list and the outbox are empty"
is "$(MCP_NOW=$(($(w 0) + 95 + 7200)) ma):$(($(n "$M") - before))" "0:2" "an hour later, nothing new: no digest"

# The digest goes through the outbox: the server down, it waits there.
stop "$SINK_PID"
for s in c4 c5; do cv $s 120; done >"$TMP/in"
MCP_NOW=$(($(w 0) + 95 + 7200)) ma >/dev/null
: >"$TMP/in"
is "$(MCP_NOW=$(($(w 0) + 95 + 10800)) ma):$(rcli llen mcp:alert:digest:mail):$(rcli llen mcp:alert:outbox:mail)" "0:0:1" \
    "the server down when the digest is due: the digest waits in the outbox"
sink "$M" "$SINK_PORT"
is "$(MCP_NOW=$(($(w 0) + 95 + 10900)) ma):$(cat "$TMP/err"):$(rcli llen mcp:alert:outbox:mail)" "0::0" \
    "the server back: delivered"
d=$(n "$M")
is "$(val "$M" "$d" Subject):$(grep -o 'c[45]:cert-expiry:[0-9]*' <(body "$M" "$d") | sort -u | tr '\n' ' ')" \
    "[P3 digest] 2 P3 notices since 2026-11-24T18:01:35Z:c4:cert-expiry:$E c5:cert-expiry:$E " \
    "with both notices"

# A route whose digest line is gone: what waited for it goes out at the next run.
cv c6 183 >"$TMP/in"
MCP_NOW=$(($(w 0) + 95 + 11000)) ma >/dev/null
sed -i '/^digest/d' "$TMP/alert.conf"
: >"$TMP/in"
is "$(MCP_NOW=$(($(w 0) + 95 + 11001)) ma):$(rcli llen mcp:alert:digest:mail):$(val "$M" "$(n "$M")" Subject)" \
    "0:0:[P3 digest] 1 P3 notice since 2026-11-24T19:04:55Z" "the digest line removed: its notices sent at once"

# --dry-run says where a notice would go.
printf 'digest mail 1h\n' >>"$TMP/alert.conf"
cv c7 0 >"$TMP/in"
MCP_NOW=$(($(w 0) + 95)) ma -n >/dev/null
like "$(cat "$TMP/err")" "dry run: would send trigger P3 c7:cert-expiry:$E to mail \\(in its digest\\)" \
    "--dry-run: a notice for the digest said so"

# A change of tools: the names are the server's, and the mail says so under them.
sed -i '/^digest/d' "$TMP/alert.conf"
A=sha256:$(printf 'a%.0s' $(seq 64)) B=sha256:$(printf 'b%.0s' $(seq 64))
jq -nc --argjson w "$(w 9)" --arg a "$A" --arg b "$B" --argjson all "$(jarr "$ALL")" \
    '{v:1,type:"verdict",slug:"named",window:$w,as_of:($w|todate),verdict:"green",severity:"ok",step:null,
      failed_regions:[],reporters:$all,missing:[],divergence:null,p95_ms:142,uptime_30d:99.87,failing_now:[],
      drift:[$all[] | {region:., from:$a, to:$b, kind:"tools", change:{class:"breaking",breaking:true,
        counts:{breaking:1,review:0,compatible:0},security:0,more:0,text:"-",
        items:[{class:"breaking",kind:"tool_removed",tool:"https://evil.example/pay"}]}}]}' >"$TMP/in"
n0=$(n "$M")
MCP_NOW=$(($(w 9) + 95)) ma >/dev/null
body "$M" $((n0 + 1)) >"$TMP/bt"
like "$(head -3 "$TMP/bt" | tr '\n' '|')" 'removed https\[:\]//evil\[\.\]example/pay.*\|\|the tool names above are the monitored server.s own text: untrusted data' \
    "a change of tools by mail: the URL made inert, the names said to be the server's, untrusted"

done_testing
