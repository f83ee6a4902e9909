#!/usr/bin/env bash
# alert.t - mcp-alert rules replayed through MCP_NOW against a private redis-server
# Verdict streams (window k starts at T0 + 60k) go through mcp-alert; the
# exact alert records are compared.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/alert-lib.sh"

start_redis
AT=$(w 1000)
export MCP_NOW=$AT


# --- confirmation, reminders, recovery, restart ------------------------------
red a1 0 1 http >"$TMP/in"
is "$(ma):$(cat "$TMP/out" "$TMP/err")" "0:" "2 failing windows: nothing"

# A restart replays windows it has decided: they change nothing.
red a1 0 2 http >"$TMP/in"
is "$(ma):$(cat "$TMP/err")" "0:" "3 failing windows: exit 0, quiet"
is "$(cat "$TMP/out")" "$(alert trigger P1 a1 0 http "eu-west-2 us-east-1" \
    "a1: http failing in 2 regions" "$AT")" "the third: one P1 trigger, dedup_key a1:start"

{
	red a1 1 100 http
	red a1 101 542 http
	green a1 543 545
} >"$TMP/in"
want=$(
	alert reminder P1 a1 0 http "eu-west-2 us-east-1" \
	    "a1: incident open for 4 hours 2 minutes (since 16:00 UTC); root layer: http" "$AT"
	alert reminder P1 a1 0 http "eu-west-2 us-east-1" \
	    "a1: incident open for 8 hours 2 minutes (since 16:00 UTC); root layer: http" "$AT"
	alert resolve P1 a1 0 http "eu-west-2 us-east-1" \
	    "a1 recovered after 9 hours 3 minutes (16:00–01:03 UTC); root layer: http in 543 windows; all layers now passing." \
	    "$AT" ',"duration_s":32580,"layer":"http"'
)
is "$(ma):$(cat "$TMP/err")" "0:" "9 more hours failing, then 3 passing windows: exit 0"
is "$(cat "$TMP/out")" "$want" "no new trigger, a reminder each 4 h, one resolve with the duration"

# Two processes on one stream decide each window once between them.
for s in k1 k2 k3; do red "$s" 0 59 dns; done >"$TMP/in2"
mcp-alert <"$TMP/in2" >"$TMP/out.a" 2>&1 &
pa=$!
mcp-alert <"$TMP/in2" >"$TMP/out.b" 2>&1
rb=$?
wait "$pa"
is "$?:$rb:$(grep -c '"event":"trigger"' "$TMP/out.a" "$TMP/out.b" | awk -F: '{ n += $2 } END { print n }')" \
    "0:0:3" "two concurrent mcp-alert: one trigger per slug, no error"

# --- hysteresis --------------------------------------------------------------
{
	red f1 0 2 tls
	for i in $(seq 3 2 61); do
		green f1 "$i" "$i"
		red f1 $((i + 1)) $((i + 1)) tls
	done
	green f1 63 65
	for i in $(seq 0 2 60); do
		red f2 "$i" "$i" tls
		green f2 $((i + 1)) $((i + 1))
	done
} >"$TMP/in"
want=$(
	alert trigger P1 f1 0 tls "eu-west-2 us-east-1" "f1: tls failing in 2 regions" "$AT"
	alert resolve P1 f1 0 tls "eu-west-2 us-east-1" \
	    "f1 recovered after 1 hour 3 minutes (16:00–17:03 UTC); root layer: tls in 33 windows; all layers now passing." \
	    "$AT" ',"duration_s":3780,"layer":"tls"'
)
is "$(ma):$(cat "$TMP/err")" "0:" "flapping for an hour: exit 0"
is "$(cat "$TMP/out")" "$want" "flapping holds one incident; alternation alone opens none"

# --- unknown verdicts neither advance nor break a run --------------------------
{
	red u1 0 0 http
	vd u1 1 unknown stale - '' ''
	red u1 2 2 http
	vd u1 3 unknown stale - '' ''
} >"$TMP/in"
is "$(ma):$(cat "$TMP/out" "$TMP/err")" "0:" "fail, stale, fail, stale: nothing"
red u1 4 4 http >"$TMP/in"
is "$(ma):$(cat "$TMP/out")" "0:$(alert trigger P1 u1 0 http "eu-west-2 us-east-1" "u1: http failing in 2 regions" "$AT")" \
    "the third failing window opens the incident from the first"

# --- severity by layer and by region -----------------------------------------
{
	for i in $(seq 0 31); do vd t1 "$i" red alert tools_list us-east-1 us-east-1; done
	for i in 0 1 2; do vd r1 "$i" amber regional tls us-east-1; done
	for i in 0 1 2; do vd d1 "$i" amber divergence - ''; done
	for i in 0 1 2; do vd o1 "$i" red outage dns "ap-southeast-1 eu-west-2 us-east-1"; done
} >"$TMP/in"
want=$(
	alert trigger P2 t1 0 tools_list us-east-1 "t1: tools_list failing in 1 region" "$AT"
	alert escalate P1 t1 0 tools_list us-east-1 \
	    "t1: tools_list unresolved after 30 minutes; escalated to P1" "$AT"
	alert trigger P2 r1 0 tls us-east-1 \
	    "r1: tls failing in 1 region; reachable from ap-southeast-1, eu-west-2, sa-east-1 and us-west-2, not from us-east-1" "$AT"
	alert trigger P2 d1 0 - "" \
	    "d1: cdn-cache-divergence: the regions serve different tool lists" "$AT"
	alert trigger P1 o1 0 dns "ap-southeast-1 eu-west-2 us-east-1" \
	    "o1: outage: dns failing in 3 regions" "$AT"
)
is "$(ma):$(cat "$TMP/err")" "0:" "tools_list, regional, divergence, outage: exit 0"
is "$(cat "$TMP/out")" "$want" "P2 escalated at 30 min; regional names regions; divergence tier; outage at its third window"

# --- maintenance -------------------------------------------------------------
: >"$TMP/in"
is "$(ma maint add m1 --force --start "$(w 0)" --end 2026-11-24T16:30:00Z --reason 'db upgrade'):$(cat "$TMP/out" "$TMP/err")" \
    "0:" "maint add with --start and --end"
{
	green m1 0 4
	red m1 5 24 connect
	green m1 25 27
} >"$TMP/in"
want=$(
	alert suppressed P1 m1 5 connect "eu-west-2 us-east-1" "m1: connect failing in 2 regions" \
	    "$AT" ',"suppressed":"trigger","maintenance":"db upgrade"'
	alert suppressed P1 m1 5 connect "eu-west-2 us-east-1" \
	    "m1 recovered after 20 minutes (16:05–16:25 UTC); root layer: connect in 20 windows; all layers now passing." \
	    "$AT" ',"duration_s":1200,"layer":"connect","suppressed":"resolve","maintenance":"db upgrade"'
)
is "$(ma):$(cat "$TMP/err")" "0:" "a 20-minute outage inside the window: exit 0"
is "$(cat "$TMP/out")" "$want" "only suppressed records"

: >"$TMP/in"
is "$(ma maint add m2 --force --start "$(w 0)" --for 24h --reason migration):$(cat "$TMP/out")" "0:" \
    "a 24-hour window is accepted"
is "$(cat "$TMP/err")" "mcp-alert: maint add: m2: a window of 86400 s is longer than 14400 s; capped at 14400 s" \
    "with a warning that it is capped at 4 hours"
is "$(ma maint list -j):$(cat "$TMP/err")" "0:" "maint list -j"
is "$(cat "$TMP/out")" "$(
	printf '{"v":1,"type":"maint","slug":"m1","start":%s,"end":%s,"reason":"db upgrade","active":false}\n' "$(w 0)" "$(w 30)"
	printf '{"v":1,"type":"maint","slug":"m2","start":%s,"end":%s,"reason":"migration","active":false}\n' "$(w 0)" "$(w 240)"
)" "lists both windows, the second capped"
is "$(ma maint end m2):$(cat "$TMP/err")" "0:" "maint end"
is "$(ma maint end m2):$(cat "$TMP/err")" "1:mcp-alert: maint end: m2: no maintenance window" "maint end twice: exit 1"
is "$(ma maint add m3 --reason x):$(cat "$TMP/out")" "2:" "maint add without an end: usage, exit 2"
is "$(ma maint add m3 --start "$(printf '9%.0s' $(seq 300))" --for 1h --reason x):$(cat "$TMP/err")" \
    "2:mcp-alert: maint add: --start $(printf '9%.0s' $(seq 300)): not a time" "a start past the year 9999: not a time"
is "$(ma maint add m3 --for 1h --reason $'db\xff'):$(cat "$TMP/err")" \
    "2:mcp-alert: maint add: --reason: not UTF-8 of at most 255 bytes" "a reason that is not UTF-8: refused"
is "$(ma maint add m3 --for 1h --reason "$(head -c 256 /dev/zero | tr '\0' x)"):$(cat "$TMP/err")" \
    "2:mcp-alert: maint add: --reason: not UTF-8 of at most 255 bytes" "a reason of 256 bytes: refused"
is "$(MCP_NOW=1e300 ma):$(cat "$TMP/err")" "2:mcp-alert: MCP_NOW: later than 9999-12-31T23:59:59Z" \
    "a clock past the year 9999: refused"

# --- ack, test ---------------------------------------------------------------
: >"$TMP/in"
is "$(ma ack "t1:$(w 0)"):$(cat "$TMP/err")" "0:" "ack of an open incident"
is "$(cat "$TMP/out")" "$(alert acknowledge P1 t1 0 tools_list us-east-1 "t1: acknowledged; escalation stopped" "$AT")" \
    "prints an acknowledge record"
is "$(ma ack "t1:$(w 0)"):$(cat "$TMP/out" "$TMP/err")" "0:" "a second ack: exit 0, nothing new"
is "$(ma ack "t1:$(w 1)"):$(cat "$TMP/err")" "1:mcp-alert: ack: t1:$(w 1): no open incident with this key" \
    "ack of a key not open: exit 1"
is "$(ma test x1):$(cat "$TMP/err")" "1:mcp-alert: test: no route is told of a P1 now: nothing delivered" \
    "test with no route: exit 1, saying that nobody was told"
is "$(cat "$TMP/out")" "$(printf '{"v":1,"type":"alert","event":"test","severity":"P1","slug":"x1","dedup_key":"x1:test:%s","incident_started_at":%s,"step":null,"regions":[],"summary":"x1: test alert from mcp-alert test; nothing is failing","at":%s}' "$AT" "$AT" "$AT")" \
    "test: a test P1 record"

# --- config ------------------------------------------------------------------
printf '# thresholds\nfail_windows 2\n\nreminder_every 1h # hourly\nroute ops command true\nplatforms vercel.app fly.dev\n' >"$TMP/alert.conf"
red c1 0 1 auth >"$TMP/in"
# A configuration with routes decides a store of its own (mcp-alert(1), "The
# deciding configuration"): Redis database 1.
is "$(ma -R "$MCP_REDIS?db=1" -c "$TMP/alert.conf"):$(cat "$TMP/err")" "0:" "a config file"
is "$(cat "$TMP/out")" "$(alert trigger P1 c1 0 auth "eu-west-2 us-east-1" "c1: auth failing in 2 regions" "$AT")" \
    "fail_windows 2: a trigger after 2 windows"
# The example of mcp-alert.conf(5) is a good config.
# Its secret files are made here, as the page says: mode 600.
mandoc -Tascii "$TOP/man/mcp-alert.conf.5" | col -b | sed -n '/^EXAMPLES/,/^SEE ALSO/p' | sed '1d;$d' |
    sed "s|/etc/mcp-uptime/|$TMP/|g" >"$TMP/alert.conf"
(umask 077 && echo 0123456789abcdef0123456789abcdef >"$TMP/pagerduty.key" && echo s3cret >"$TMP/webhook.key" &&
	echo https://hooks.slack.com/services/T0/B0/x >"$TMP/slack.url" && echo 'mailer:s3cret' >"$TMP/smtp.cred")
: >"$TMP/in"
is "$(ma -R "$MCP_REDIS?db=2" -c "$TMP/alert.conf"):$(cat "$TMP/out" "$TMP/err")" "0:" "the example of mcp-alert.conf(5) is accepted"
for bad in 'foo 1' 'fail_windows 0' 'reminder_every 4x' 'route ops sms 555' 'route ops slack' 'pass_windows 1 2' \
    'notify P1 always nobody' 'notify P4 always ops' 'notify P1 weekends ops' 'escalate 5m nobody' \
    'business_hours Mon-Fri 9-18' 'business_hours Mon-Fri 09:00-18:00 Mars/Olympus' 'business_hours Xyz 09:00-18:00' \
    'route pd pagerduty /nonexistent/key' 'latency_factor 1' 'error_rate 100' 'route ops command' \
    'business_hours Mon-Fri +9:00-18:00' 'business_hours Mon-Fri 09:00-18:+5' 'business_hours Mon-Fri 0x9:0-18:00' \
    'notify , always ops' 'notify P1,,P2 always ops' 'notify P1, always ops'; do
	printf 'route ops command true\n\n%s\n' "$bad" >"$TMP/alert.conf"
	like "$(ma -c "$TMP/alert.conf"):$(cat "$TMP/out"):$(cat "$TMP/err")" \
	    "^2::mcp-alert: $TMP/alert.conf:3: " "bad config line \"$bad\": exit 2 naming line 3, nothing run"
done
printf 'fail_windows 3\nfoo 1\n' >"$TMP/alert.conf"
is "$(ma -c "$TMP/alert.conf"):$(cat "$TMP/err")" "2:mcp-alert: $TMP/alert.conf:2: unknown key \"foo\"" \
    "unknown key: the message"
printf 'business_hours Mon-Fri +9:00-18:00\n' >"$TMP/alert.conf"
is "$(ma -c "$TMP/alert.conf"):$(cat "$TMP/err")" \
    "2:mcp-alert: $TMP/alert.conf:1: business_hours: \"+9:00-18:00\": not HH:MM-HH:MM" \
    "a time with a sign: not HH:MM"
printf 'fail_windows 3\nfail_windows\0 2\n' >"$TMP/alert.conf"
is "$(ma -c "$TMP/alert.conf"):$(cat "$TMP/err")" "2:mcp-alert: $TMP/alert.conf:2: a NUL byte" \
    "a NUL byte: said as such, naming the line"
{
	printf 'fail_windows 3\n# '
	head -c 1048576 /dev/zero | tr '\0' x
	printf '\nfail_windows 2\n'
} >"$TMP/alert.conf"
is "$(ma -c "$TMP/alert.conf"):$(cat "$TMP/err")" \
    "2:mcp-alert: $TMP/alert.conf:2: line too long (over 1048576 bytes)" "a line over 1 MiB: too long"

# --- bad input ---------------------------------------------------------------
{
	red b1 0 0 http
	echo '{"v":1,"type":"verdict"'
	echo '{"v":1,"type":"verdict","slug":"B A D","window":1}'
	red b1 1 2 http
} >"$TMP/in"
is "$(ma)" 1 "malformed verdict lines: exit 1"
like "$(cat "$TMP/err")" "^mcp-alert: stdin:2: .*
mcp-alert: stdin:3: bad slug \"B A D\": not \\[a-z0-9._-\\]\\{1,80\\}$" "each reported with its line number"
is "$(cat "$TMP/out")" "$(alert trigger P1 b1 0 http "eu-west-2 us-east-1" "b1: http failing in 2 regions" "$AT")" \
    "the rest processed"

# --- hostile input: each line refused names itself; the slug still alerts -------
# hostile ERROR DESC: the line in $TMP/bad is refused as "stdin:1: ERROR", and
# the real verdicts of slug $s after it (windows 0 to 2) open an incident.
hostile() {
	{
		cat "$TMP/bad"
		red "$s" 0 2 http
	} >"$TMP/in"
	is "$(ma):$(cat "$TMP/err")" "1:mcp-alert: stdin:1: $1" "$2: refused, naming the line"
	is "$(jq -r '[.event, .severity, .dedup_key] | join(" ")' "$TMP/out")" "trigger P1 $s:$(w 0)" \
	    "$2: the slug still alerts"
	cat "$TMP/out" >>"$TMP/hostile.out"
}
: >"$TMP/hostile.out"
s=h1 && vd "$s" 2380 green ok - '' >"$TMP/bad"
hostile "window $(w 2380) is more than 300 s ahead of the clock" "a window 23 hours ahead (it would mute the slug)"
s=h2 && vd "$s" 0 green ok - '' | sed 's/"window":[0-9]*/"window":1e308/' >"$TMP/bad"
hostile "window 1e+308: not a time (0 to 253402300799)" "window 1e308"
s=h3 && vd "$s" 0 green ok - '' | sed 's/"window":[0-9]*/"window":-60/' >"$TMP/bad"
hostile "window -60: not a time (0 to 253402300799)" "a negative window"
s=h4 && VD_EXTRA=',"latency_ms":1e308' vd "$s" 0 green ok - '' >"$TMP/bad"
hostile "latency_ms 1e+308: out of range (0 to 3600000)" "latency_ms 1e308"
s=h5 && VD_EXTRA=',"latency_ms":"fast"' vd "$s" 0 green ok - '' >"$TMP/bad"
hostile "latency_ms: not a number or null" "latency_ms a string"
s=h6 && vd 'good\u0000x' 0 green ok - '' >"$TMP/bad"
hostile "a string holds U+0000" "a slug good\\u0000x"
s=h7 && vd "$s" 0 green ok - '' | sed 's/"green"/"gr\x00een"/' >"$TMP/bad"
hostile "a NUL byte in the JSON text" "a raw NUL byte"
s=h8 && vd 'Bad Slug!' 0 green ok - '' >"$TMP/bad"
hostile 'bad slug "Bad Slug!": not [a-z0-9._-]{1,80}' "the slug Bad Slug!"
s=h9 && vd 'x\u001b[2J\"' 0 green ok - '' >"$TMP/bad"
hostile 'bad slug "x\u001b[2J\"": not [a-z0-9._-]{1,80}' "a slug with an escape sequence: named JSON-escaped"
long=$(head -c 1000 /dev/zero | tr '\0' a)
s=h10 && vd "$long" 0 green ok - '' >"$TMP/bad"
hostile "bad slug \"${long:0:100}\"...: not [a-z0-9._-]{1,80}" "a 1000-byte slug: named, cut"
s=h11 && VD_FAILED=$'["eu-west-2","us-east-1\xff"]' vd "$s" 0 red alert http '' >"$TMP/bad"
hostile $'failed_regions[1]: bad region "us-east-1\xef\xbf\xbd": not [a-z0-9._-]{1,80}' \
    "a region of invalid UTF-8: named with U+FFFD"
s=h12 && VD_FAILED=$'["\xed\xa0\x80"]' vd "$s" 0 red alert http '' >"$TMP/bad"
hostile $'failed_regions[0]: bad region "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd": not [a-z0-9._-]{1,80}' \
    "a region holding a surrogate as UTF-8"
s=h13 && VD_FAILED='["\ud800"]' vd "$s" 0 red alert http '' >"$TMP/bad"
hostile "parse error" "a region holding a lone surrogate escaped"
s=h14 && VD_FAILED='["eu-west-2",{"us-east-1":1}]' vd "$s" 0 red alert http '' >"$TMP/bad"
hostile "failed_regions[1]: not a string" "an object among the regions"
s=h15 && VD_FAILED="[\"$long\"]" vd "$s" 0 red alert http '' >"$TMP/bad"
hostile "failed_regions[0]: bad region \"${long:0:100}\"...: not [a-z0-9._-]{1,80}" "a 1 KB region"
s=h16 && VD_FAILED=$(jarr "$(seq -f 'r%g' 65)") vd "$s" 0 red alert http '' >"$TMP/bad"
hostile "failed_regions: 65 regions, more than 64" "65 regions"
s=h17 && vd "$s" 0 amber regional http us-east-1 'eu-west-2 US-EAST-1' >"$TMP/bad"
hostile 'reporters[1]: bad region "US-EAST-1": not [a-z0-9._-]{1,80}' "a bad region among the reporters"
s=h18 && {
	printf '{"v":1,"type":"verdict","slug":"%s","window":%s,"x":"' "$s" "$(w 0)"
	head -c 2097152 /dev/zero | tr '\0' a
	printf '"}\n'
} >"$TMP/bad"
hostile "line too long (over 1048576 bytes)" "a line of 2 MiB"
s=h19 && printf '{"v":1,"type":"step","slug":"%s"}\n' "$s" >"$TMP/bad"
hostile 'a "step" record, not a verdict' "a record of another type"
ok "$(iconv -f UTF-8 -t UTF-8 "$TMP/hostile.out" >/dev/null 2>&1; echo $?)" "all that was printed is UTF-8"

vd h0 1005 green ok - '' >"$TMP/in"
is "$(ma):$(cat "$TMP/out" "$TMP/err")" "0:" "a window 5 minutes ahead of the clock: accepted"

# --- the list of regions is kept whole ----------------------------------------
# 64 regions of 80 bytes: the trigger and the resolve carry all of them.
regions=$(for i in $(seq -w 64); do printf 'r%s-%s ' "$i" "$(head -c 76 /dev/zero | tr '\0' x)"; done)
{
	red g64 0 2 http "$regions"
	green g64 3 5
} >"$TMP/in"
is "$(ma):$(cat "$TMP/err")" "0:" "64 regions of 80 bytes: exit 0"
is "$(jq -r '[.event, (.regions | length), (.regions == ($r | split(" ") | map(select(. != ""))))] | join(" ")' \
    --arg r "$regions" "$TMP/out")" "trigger 64 true
resolve 64 true" "the trigger and the resolve list them all"
like "$(jq -r 'select(.event == "trigger") | .summary' "$TMP/out")" "failing in 64 regions$" "as many as the summary counts"

# --- stdout ----------------------------------------------------------------------
mcp-alert -h >/dev/full 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "1:mcp-alert: write stdout: No space left on device" "-h >/dev/full: exit 1, one message"
red full 0 2 http >"$TMP/in"
mcp-alert <"$TMP/in" >/dev/full 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "1:mcp-alert: write stdout: No space left on device" \
    "records to /dev/full: exit 1, said once"
# The reader is gone before the verdicts come: the write finds a closed pipe.
red pipe 0 2 http | closed_pipe mcp-alert 2>"$TMP/err"
is "${PIPESTATUS[1]}:$(cat "$TMP/err")" "141:" "mcp-alert | true: ends by SIGPIPE, as a filter does, without a word"

done_testing
