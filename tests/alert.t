#!/usr/bin/env bash
# alert.t - mcp-alert rules replayed through MCP_NOW against a private redis-server
# Verdict streams (window k starts at T0 + 60k) go through mcp-alert; the
# exact alert records are compared.
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
	    "$AT" ',"duration_s":32580'
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
	    "$AT" ',"duration_s":3780'
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
	vd o1 0 red outage dns "ap-southeast-1 eu-west-2 us-east-1"
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
is "$(cat "$TMP/out")" "$want" "P2 escalated at 30 min; regional names regions; divergence tier; outage at once"

# --- maintenance -------------------------------------------------------------
: >"$TMP/in"
is "$(ma maint add m1 --start "$(w 0)" --end 2026-11-24T16:30:00Z --reason 'db upgrade'):$(cat "$TMP/out" "$TMP/err")" \
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
	    "$AT" ',"duration_s":1200,"suppressed":"resolve","maintenance":"db upgrade"'
)
is "$(ma):$(cat "$TMP/err")" "0:" "a 20-minute outage inside the window: exit 0"
is "$(cat "$TMP/out")" "$want" "only suppressed records"

: >"$TMP/in"
is "$(ma maint add m2 --start "$(w 0)" --for 24h --reason migration):$(cat "$TMP/out")" "0:" \
    "a 24-hour window is accepted"
is "$(cat "$TMP/err")" "mcp-alert: maint add: m2: a window of 86400 s is longer than 14400 s; capped at 14400 s" \
    "with a warning that it is capped at 4 hours"
is "$(ma maint list):$(cat "$TMP/err")" "0:" "maint list"
is "$(cat "$TMP/out")" "$(
	printf '{"v":1,"type":"maint","slug":"m1","start":%s,"end":%s,"reason":"db upgrade","active":false}\n' "$(w 0)" "$(w 30)"
	printf '{"v":1,"type":"maint","slug":"m2","start":%s,"end":%s,"reason":"migration","active":false}\n' "$(w 0)" "$(w 240)"
)" "lists both windows, the second capped"
is "$(ma maint end m2):$(cat "$TMP/err")" "0:" "maint end"
is "$(ma maint end m2):$(cat "$TMP/err")" "1:mcp-alert: maint end: m2: no maintenance window" "maint end twice: exit 1"
is "$(ma maint add m3 --reason x):$(cat "$TMP/out")" "2:" "maint add without an end: usage, exit 2"

# --- ack, test ---------------------------------------------------------------
: >"$TMP/in"
is "$(ma ack "t1:$(w 0)"):$(cat "$TMP/err")" "0:" "ack of an open incident"
is "$(cat "$TMP/out")" "$(alert acknowledge P1 t1 0 tools_list us-east-1 "t1: acknowledged; escalation stopped" "$AT")" \
    "prints an acknowledge record"
is "$(ma ack "t1:$(w 0)"):$(cat "$TMP/out" "$TMP/err")" "0:" "a second ack: exit 0, nothing new"
is "$(ma ack "t1:$(w 1)"):$(cat "$TMP/err")" "1:mcp-alert: ack: t1:$(w 1): no open incident with this key" \
    "ack of a key not open: exit 1"
is "$(ma test x1):$(cat "$TMP/err")" "0:" "test: exit 0"
is "$(cat "$TMP/out")" "$(printf '{"v":1,"type":"alert","event":"test","severity":"P1","slug":"x1","dedup_key":"x1:test:%s","incident_started_at":%s,"step":null,"regions":[],"summary":"x1: test alert from mcp-alert test; nothing is failing","at":%s}' "$AT" "$AT" "$AT")" \
    "test: a test P1 record"

# --- config ------------------------------------------------------------------
printf '# thresholds\nfail_windows 2\n\nreminder_every 1h # hourly\nroute ops command true\nplatforms vercel.app fly.dev\n' >"$TMP/alert.conf"
red c1 0 1 auth >"$TMP/in"
is "$(ma -c "$TMP/alert.conf"):$(cat "$TMP/err")" "0:" "a config file"
is "$(cat "$TMP/out")" "$(alert trigger P1 c1 0 auth "eu-west-2 us-east-1" "c1: auth failing in 2 regions" "$AT")" \
    "fail_windows 2: a trigger after 2 windows"
# The example of mcp-alert.conf(5) is a good config.
# Its secret files are made here, as the page says: mode 600.
mandoc -Tascii "$TOP/man/mcp-alert.conf.5" | col -b | sed -n '/^EXAMPLES/,/^SEE ALSO/p' | sed '1d;$d' |
    sed "s|/etc/mcp-uptime/|$TMP/|g" >"$TMP/alert.conf"
(umask 077 && echo 0123456789abcdef0123456789abcdef >"$TMP/pagerduty.key" && echo s3cret >"$TMP/webhook.key")
: >"$TMP/in"
is "$(ma -c "$TMP/alert.conf"):$(cat "$TMP/out" "$TMP/err")" "0:" "the example of mcp-alert.conf(5) is accepted"
for bad in 'foo 1' 'fail_windows 0' 'reminder_every 4x' 'route ops sms 555' 'route ops slack' 'pass_windows 1 2' \
    'notify P1 always nobody' 'notify P4 always ops' 'notify P1 weekends ops' 'escalate 5m nobody' \
    'business_hours Mon-Fri 9-18' 'business_hours Mon-Fri 09:00-18:00 Mars/Olympus' 'business_hours Xyz 09:00-18:00' \
    'route pd pagerduty /nonexistent/key' 'latency_factor 1' 'error_rate 100' 'route ops command'; do
	printf 'route ops command true\n\n%s\n' "$bad" >"$TMP/alert.conf"
	like "$(ma -c "$TMP/alert.conf"):$(cat "$TMP/out"):$(cat "$TMP/err")" \
	    "^2::mcp-alert: $TMP/alert.conf:3: " "bad config line \"$bad\": exit 2 naming line 3, nothing run"
done
printf 'fail_windows 3\nfoo 1\n' >"$TMP/alert.conf"
is "$(ma -c "$TMP/alert.conf"):$(cat "$TMP/err")" "2:mcp-alert: $TMP/alert.conf:2: unknown key \"foo\"" \
    "unknown key: the message"

# --- bad input ---------------------------------------------------------------
{
	red b1 0 0 http
	echo '{"v":1,"type":"verdict"'
	echo '{"v":1,"type":"verdict","slug":"B A D","window":1}'
	red b1 1 2 http
} >"$TMP/in"
is "$(ma)" 1 "malformed verdict lines: exit 1"
like "$(cat "$TMP/err")" "^mcp-alert: stdin:2: .*
mcp-alert: stdin:3: not a verdict record with a slug and a window$" "each reported with its line number"
is "$(cat "$TMP/out")" "$(alert trigger P1 b1 0 http "eu-west-2 us-east-1" "b1: http failing in 2 regions" "$AT")" \
    "the rest processed"

done_testing
