#!/usr/bin/env bash
# report.t - the monthly reports and the history they read (mcp-store(7):
# tally, red, rgn; mcp-aggregate(1) report; mcp-serve(8) /report/SLUG and
# the status page's 90 days), over a real redis-server filled by the real
# push and verdict (MCP_NOW) in October and November 2025, then 400 days
# on.
#
# A month is 44,640 windows: deciding each through the real verdict would
# take many minutes.  So each day of a slug is first written whole as
# green in the documented layout of day:DAY (480 bytes, three windows a
# byte, base 6), every window the test decides for real left at 0; then the
# real verdict decides the window 00:00 of each day (whose first write
# counts the day whole into the tally, as it does for a day written before
# the tally) and every window of the events, from results pushed through
# the real push:
#   everything  Oct 3 10:00-10:21 and 10:24-10:25 red (two regions fail
#               http; one incident, 2 minutes apart); Oct 12 06:07-06:11
#               unknown (no region reports) and 05:00-05:02 never decided;
#               Oct 20 14:00-14:04 and 14:08-14:09 red (two incidents,
#               3 minutes apart); Sep 30 decided at 00:00 only
#   weather     Oct 8 12:00-13:00 in maintenance (mcp-alert maint), red
#               inside it; Oct 15 08:05-08:18 amber (one region fails)
#   files       red from Oct 31 23:50 to Nov 1 00:19, across the month;
#               November decided too
# Checked: the numbers of each report against what was written (minutes
# of each kind, uptime with maintenance left out, windows without data
# counted, incidents with start, end and duration, MTTR, each region), the
# text, JSON and CSV agreeing, a range of two months, the fleet's sums,
# the usage errors; the page /report/SLUG and the status page's 90 bars
# behind nginx (and in headless Chromium, with screenshots); then 400 days
# on, with every key of a shorter TTL deleted as it would have expired:
# October 2025 reported the same from tally, red and rgn (TTL 400 days),
# and the day 400 days before the newest one gone from the ring.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/serve-lib.sh
source "$TOP/tests/serve-lib.sh"

command -v redis-server >/dev/null || skip_all "redis-server is not installed"
start_redis
export MCP_SPOOL=$TMP/spool
rc() { redis-cli -s "$REDIS_SOCK" "$@"; }
REGIONS=ap-southeast-1,eu-west-2,us-east-1
D0=20362                 # 2025-10-01
T0=$((D0 * 86400))
NOW1=$(((D0 + 62) * 86400 + 43200)) # 2025-12-02 12:00: October and November whole
# at DAYINDEX POSITION: the start of that window (day D0 + DAYINDEX).
at() { echo $(((D0 + $1) * 86400 + 60 * $2)); }

# day SLUG DAYINDEX RANGE...: day:DAY of SLUG written whole as green but
# the windows of each RANGE (FROM-TO positions), left undecided (0): the
# layout of mcp-store(7), as a verdict writes it, with its TTL.
day() {
	local slug=$1 d=$2
	shift 2
	rc eval "local z = {}
	  for i = 2, #ARGV do
	    local a, b = string.match(ARGV[i], '^(%d+)-(%d+)$')
	    for p = tonumber(a), tonumber(b) do z[p] = true end
	  end
	  local t = {}
	  for i = 0, 479 do
	    local v = 0
	    for k = 2, 0, -1 do v = v * 6 + (z[3 * i + k] and 0 or 1) end
	    t[i + 1] = string.char(v)
	  end
	  return redis.call('SET', KEYS[1], table.concat(t), 'EX', ARGV[1])" \
	    1 "mcp:{$slug}:day:$((D0 + d))" 2678400 "$@" >/dev/null
}

# probes SLUG DAYINDEX FROM COUNT REGIONS [STEP]: COUNT probes a region
# from window FROM on, passing, or failing at STEP.
probes() {
	"$TOP/tests/gen-scenario.sh" -q -s "$1" -t "$(at "$2" "$3")" -n "$4" -r "$5" ${6:+-f "$6"}
}

# push: mcp-aggregate push, its clock a second past the latest start.
push() {
	local latest
	cat >"$TMP/push.in"
	latest=$(jq -r .probe_started_at "$TMP/push.in" | sort -g | tail -1)
	MCP_NOW=$(awk -v t="$latest" 'BEGIN { printf "%d", t + 1 }') mcp-aggregate push <"$TMP/push.in" 2>>"$TMP/fill.err" ||
	    echo "push failed" >>"$TMP/fill.err"
}

# decide DAYINDEX FROM TO SLUG...: a verdict pass per window, at W + 95.
decide() {
	local d=$1 p
	for p in $(seq "$2" "$3"); do
		MCP_NOW=$(($(at "$d" "$p") + 95)) mcp-aggregate verdict "${@:4}" >>"$TMP/verdicts" 2>>"$TMP/fill.err" ||
		    echo "verdict failed: day $d position $p" >>"$TMP/fill.err"
	done
}

: >"$TMP/fill.err"
started=$SECONDS
# ------------------------------------------------------------ the days
# Each day: its background, then the window 00:00 decided from real
# results of the three regions (everything's Sep 30 too).
day everything -1 0-0
probes everything -1 0 1 "$REGIONS" | push
decide -1 0 0 everything
for d in $(seq 0 30); do
	z1=() z2=() z3=()
	case $d in
	2) z1=(590-629) ;;
	11) z1=(300-302 360-379) ;;
	19) z1=(835-855) ;;
	7) z2=(710-789) ;;
	14) z2=(480-509) ;;
	30) z3=(1420-1439) ;;
	esac
	day everything "$d" 0-0 "${z1[@]}"
	day weather "$d" 0-0 "${z2[@]}"
	day files "$d" 0-0 "${z3[@]}"
	for s in everything weather files; do probes "$s" "$d" 0 1 "$REGIONS"; done | push
	decide "$d" 0 0 everything weather files
done
for d in $(seq 31 60); do
	if [ "$d" = 31 ]; then day files 31 0-29; else day files "$d" 0-0; fi
	[ "$d" = 31 ] || { probes files "$d" 0 1 "$REGIONS" | push; decide "$d" 0 0 files; }
done

# ------------------------------------------------------------ the events
# everything, Oct 3 09:50-10:29: eu-west-2 and us-east-1 fail http
# 10:00-10:21 and 10:24-10:25.
{
	probes everything 2 590 40 ap-southeast-1
	probes everything 2 590 10 eu-west-2,us-east-1
	probes everything 2 600 22 eu-west-2,us-east-1 http
	probes everything 2 622 2 eu-west-2,us-east-1
	probes everything 2 624 2 eu-west-2,us-east-1 http
	probes everything 2 626 4 eu-west-2,us-east-1
} | push
decide 2 590 629 everything
# Oct 12 06:00-06:19: no region reports 06:05-06:11 (unknown 06:07-06:11).
{
	probes everything 11 360 5 "$REGIONS"
	probes everything 11 372 8 "$REGIONS"
} | push
decide 11 360 379 everything
# Oct 20 13:55-14:15: failing 14:00-14:04 and 14:08-14:09.
{
	probes everything 19 835 21 ap-southeast-1
	probes everything 19 835 5 eu-west-2,us-east-1
	probes everything 19 840 5 eu-west-2,us-east-1 http
	probes everything 19 845 3 eu-west-2,us-east-1
	probes everything 19 848 2 eu-west-2,us-east-1 http
	probes everything 19 850 6 eu-west-2,us-east-1
} | push
decide 19 835 855 everything
# weather, Oct 8 11:50-13:09: maintenance 12:00-13:00, two regions fail
# connect 12:10-12:30 inside it.
{
	probes weather 7 710 80 ap-southeast-1
	probes weather 7 710 20 eu-west-2,us-east-1
	probes weather 7 730 21 eu-west-2,us-east-1 connect
	probes weather 7 751 39 eu-west-2,us-east-1
} | push
MCP_NOW=$(at 7 700) mcp-alert -R "$MCP_REDIS" maint add weather --start "$(at 7 720)" \
    --end "$(at 7 780)" --reason "Database upgrade" 2>>"$TMP/fill.err" || echo "maint add failed" >>"$TMP/fill.err"
decide 7 710 789 weather
# Oct 15 08:00-08:29: eu-west-2 alone fails tools_list 08:05-08:18.
{
	probes weather 14 480 30 ap-southeast-1,us-east-1
	probes weather 14 480 5 eu-west-2
	probes weather 14 485 14 eu-west-2 tools_list
	probes weather 14 499 11 eu-west-2
} | push
decide 14 480 509 weather
# files, Oct 31 23:40 to Nov 1 00:29: eu-west-2 and us-east-1 fail dns
# from 23:50 to 00:19.
{
	probes files 30 1420 20 ap-southeast-1
	probes files 30 1420 10 eu-west-2,us-east-1
	probes files 30 1430 10 eu-west-2,us-east-1 dns
	probes files 31 0 30 ap-southeast-1
	probes files 31 0 20 eu-west-2,us-east-1 dns
	probes files 31 20 10 eu-west-2,us-east-1
} | push
decide 30 1420 1439 files
decide 31 0 29 files
# many, Oct 25 01:40: 17 regions report.
probes many 24 100 1 "$(seq -f 'r%02g' 1 17 | paste -sd, -)" | push
decide 24 100 100 many
is "$(grep -v '^mcp-alert: maint add: weather' "$TMP/fill.err")" "" "the store filled by push, verdict and mcp-alert maint, no message"
diag "the store filled in $((SECONDS - started)) s"

# ------------------------------------------------------------ the keys
TTL_YEAR=$((400 * 86400))
ttl=$(rc ttl 'mcp:{everything}:tally')
ok "$([ "$ttl" -gt $((TTL_YEAR - 600)) ] && [ "$ttl" -le $TTL_YEAR ]; echo $?)" "tally's TTL is 400 days ($ttl s)"
is "$(rc strlen 'mcp:{everything}:tally')" 4800 "tally: 400 records of 12 bytes"
ok "$([ "$(rc ttl 'mcp:{everything}:red')" -gt $((TTL_YEAR - 600)) ] && [ "$(rc ttl 'mcp:{everything}:rgn')" -gt $((TTL_YEAR - 600)) ]; echo $?)" \
    "red and rgn: TTL 400 days"
ttl=$(rc ttl "mcp:{everything}:day:$((D0 + 2))")
ok "$([ "$ttl" -le $((31 * 86400)) ]; echo $?)" "day:DAY keeps its 31 days ($ttl s)"
is "$(rc hget 'mcp:{everything}:red' $((D0 + 2)))" "600-625:24" \
    "red, Oct 3: one incident from 10:00 to 10:25, 24 red windows (2 apart join)"
is "$(rc hget 'mcp:{everything}:red' $((D0 + 19)))" "840-844:5 848-849:2" "red, Oct 20: two incidents, 3 apart"
is "$(rc hkeys 'mcp:{weather}:red')" "V" "weather: red inside maintenance is no incident (V alone keeps the key)"
is "$(rc hlen 'mcp:{everything}:rgn'):$(rc hstrlen 'mcp:{everything}:rgn' eu-west-2)" "4:84" \
    "rgn: three regions (and V), 14 months of 6 bytes each"
is "$(rc hlen 'mcp:{many}:rgn'):$(rc hexists 'mcp:{many}:rgn' r16):$(rc hexists 'mcp:{many}:rgn' r17)" "17:1:0" \
    "rgn: 16 regions at most, the 17th not counted"
# A window decided again (a back-fill, a second pass) counts nothing twice.
snap() { rc getrange 'mcp:{everything}:tally' $((($1 % 400) * 12)) $((($1 % 400) * 12 + 11)) | od -An -tx1; rc hgetall 'mcp:{everything}:rgn' | od -An -tx1 | md5sum; rc hget 'mcp:{everything}:red' "$1"; }
before=$(snap $((D0 + 2)))
decide 2 600 601 everything
decide 2 622 622 everything
is "$(snap $((D0 + 2)))" "$before" "Oct 3 decided again (red, red, green): the tally, red and rgn unchanged"

# ------------------------------------------------------------ the reports
R() { MCP_NOW=$NOW1 mcp-aggregate report "$@"; }
R --month 2025-10 --json everything weather files >"$TMP/oct.json" 2>"$TMP/oct.err"
is "$?:$(cat "$TMP/oct.err")" "0:" "report --month 2025-10 --json: exit 0, quiet"
j() { jq -c "select(.slug == \"$1\") | $2" "$TMP/oct.json"; }
is "$(j everything '[.period, .from, .to, .minutes, .green, .amber, .red, .unknown, .maintenance, .undecided, .no_data]')" \
    '["2025-10","2025-10-01T00:00:00Z","2025-11-01T00:00:00Z",44640,44601,0,31,5,0,3,8]' \
    "everything: 44,640 minutes: 31 down, 5 unknown and 3 undecided (8 without data), the rest green"
is "$(j everything '[.uptime, .days_without_record]')" '[99.931,0]' \
    "everything: uptime 44,601 / 44,632 = 99.931 %, every day recorded"
is "$(j everything '[.incidents[] | [.start_at, .end_at, .duration_s, .down, .began_before, .went_on_after, .ongoing]]')" \
    '[["2025-10-03T10:00:00Z","2025-10-03T10:26:00Z",1560,24,false,false,false],["2025-10-20T14:00:00Z","2025-10-20T14:05:00Z",300,5,false,false,false],["2025-10-20T14:08:00Z","2025-10-20T14:10:00Z",120,2,false,false,false]]' \
    "everything: three incidents with start, end, duration and minutes down"
is "$(j everything '[.incident_count, .resolved, .mttr_s]')" '[3,3,660]' "everything: MTTR (26 + 5 + 2) / 3 minutes = 660 s"
is "$(j everything '[.regions[] | [.region, .uptime, .passed, .failed]]')" \
    '[["ap-southeast-1",100,105,0],["eu-west-2",70.476,74,31],["us-east-1",70.476,74,31]]' \
    "everything: each region's own probes (the windows decided for real): 74 of 105 passed"
is "$(j weather '[.green, .amber, .red, .maintenance, .no_data, .uptime, .incident_count, .mttr_s]')" \
    '[44566,14,0,60,0,100,0,null]' \
    "weather: 60 minutes in maintenance left out (red inside them), 14 degraded counted as up: 100 %"
is "$(j weather '[.regions[] | [.region, .passed, .failed]]')" '[["ap-southeast-1",81,0],["eu-west-2",67,14],["us-east-1",81,0]]' \
    "weather: no region counted in maintenance, eu-west-2's 14 failures"
is "$(j files '[.red, .uptime, .incident_count, .resolved, .mttr_s, (.incidents[0] | [.start_at, .end_at, .down, .went_on_after])]')" \
    '[10,99.978,1,0,null,["2025-10-31T23:50:00Z","2025-11-01T00:20:00Z",30,true]]' \
    "files: 10 minutes down in October, its incident going on into November, whole, and not in the MTTR"
jq -c 'select(.type == "report_summary") | del(.rule)' "$TMP/oct.json" >"$TMP/fleet.json"
is "$(jq -c '[.servers, .minutes, .green, .amber, .red, .unknown, .maintenance, .undecided, .incident_count, .resolved, .mttr_s, .uptime]' "$TMP/fleet.json")" \
    '[3,133920,133797,14,41,5,60,3,4,3,660,99.969]' "the fleet: the sums, uptime 133,811 / 133,852 = 99.969 %"
is "$(jq -s -c '[map(select(.type == "report")) | (map(.green) | add), (map(.red) | add), (map(.maintenance) | add)]' "$TMP/oct.json")" \
    '[133797,41,60]' "the fleet's counts are its servers' sums"
is "$(jq -r 'select(.type == "report_summary") | .rule | keys_unsorted | join(" ")' "$TMP/oct.json")" \
    "minutes down degraded maintenance no_data uptime incidents mttr regions fleet" "the JSON states the rule, each part"
like "$(jq -r 'select(.type == "report_summary") | .rule.no_data' "$TMP/oct.json")" 'left out of the uptime, and counted' \
    "the rule: windows without data left out and counted"

# The text and the CSV say the same.
R --month 2025-10 everything weather files >"$TMP/oct.txt"
is "$(awk '$1 == "everything" && NF == 8 { $1 = $1; print }' "$TMP/oct.txt")" \
    "everything 99.931% 31 0 0 8 3 11.0" "text: everything's row, as the JSON (MTTR in minutes)"
is "$(awk '$1 == "(all)"' "$TMP/oct.txt" | awk '{ print $2, $3, $4, $5, $7, $8 }')" "99.969% 41 14 60 4 11.0" "text: the fleet's row"
like "$(cat "$TMP/oct.txt")" 'incident: 2025-10-03 10:00 to 10:26 UTC, 26 min, 24 min down' "text: an incident"
like "$(cat "$TMP/oct.txt")" 'incident: 2025-10-31 23:50 to 2025-11-01 00:20 UTC, 30 min, 30 min down; went on past the period' \
    "text: the incident across the month's end"
like "$(cat "$TMP/oct.txt")" $'Rule:\n  Each minute of the period is one window' "text: the rule at its end"
like "$(cat "$TMP/oct.txt")" 'In maintenance: the minutes decided while a maintenance window' "text: maintenance in the rule"
R --month 2025-10 --csv everything weather files >"$TMP/oct.csv"
is "$(head -1 "$TMP/oct.csv" | tr -d '\r')" \
    "kind,slug,region,period,from,to,minutes,uptime,green,amber,red,unknown,maintenance,undecided,incidents,mttr_s,start,end,duration_s,down,passed,failed,note" \
    "CSV: the header"
is "$(grep '^server,everything,' "$TMP/oct.csv" | tr -d '\r')" \
    "server,everything,,2025-10,2025-10-01T00:00:00Z,2025-11-01T00:00:00Z,44640,99.931,44601,0,31,5,0,3,3,660,,,,,,," \
    "CSV: everything's row, as the JSON"
is "$(grep '^server,weather,' "$TMP/oct.csv" | cut -d, -f8,15,16 | tr -d '\r')" "100.000,0," \
    "CSV: no incident, no MTTR: its field empty"
is "$(R --month 2024-01 --csv everything | grep '^server,' | cut -d, -f7,8,14 | tr -d '\r')" "44640,,44640" \
    "CSV: a month of no data, its uptime empty and every minute undecided"
is "$(grep -c '^incident,everything,' "$TMP/oct.csv"):$(grep '^region,everything,eu-west-2' "$TMP/oct.csv" | cut -d, -f8,21,22)" \
    "3:70.476,74,31" "CSV: its incidents and regions, as the JSON"
is "$(grep '^incident,files,' "$TMP/oct.csv" | cut -d, -f17-20,23 | tr -d '\r')" \
    "2025-10-31T23:50:00Z,2025-11-01T00:20:00Z,1800,30,went on after" "CSV: the incident across the month's end"
like "$(grep '^fleet,' "$TMP/oct.csv")" '^fleet,,,2025-10,.*,133920,99.969,133797,14,41,5,60,3,4,660,,,,,,,"Each minute of the period' \
    "CSV: the fleet's row with the rule"
is "$(python3 -c 'import csv,sys; r = list(csv.reader(open(sys.argv[1], newline=""))); print(len(r), {len(x) for x in r})' "$TMP/oct.csv")" \
    "21 {23}" "CSV: every row of 23 fields, as Python's csv reads them"

# A range, and November alone.
R --from 2025-10 --to 2025-11 --json files >"$TMP/range.json"
is "$(jq -c 'select(.type == "report") | [.period, .minutes, .red, .incident_count, .resolved, .mttr_s, .incidents[0].down, .incidents[0].went_on_after]' "$TMP/range.json")" \
    '["2025-10..2025-11",87840,30,1,1,1800,30,false]' \
    "files, October to November: 87,840 minutes, 30 down, one incident ended in the range, MTTR 30 min"
R --month 2025-11 --json files >"$TMP/nov.json"
is "$(jq -c 'select(.type == "report") | [.minutes, .red, .uptime, .resolved, .mttr_s, .incidents[0].began_before, (.regions[] | select(.region == "eu-west-2") | [.passed, .failed])]' "$TMP/nov.json")" \
    '[43200,20,99.954,1,1800,true,[39,20]]' \
    "files, November: 20 minutes down, the incident begun in October counted whole in the MTTR"
R --month 2025-09 --json everything >"$TMP/sep.json"
is "$(jq -c 'select(.type == "report") | [.days_without_record, .green, .undecided]' "$TMP/sep.json")" \
    '[29,1440,41760]' "everything, September: only Sep 30 recorded"

# The index, every slug of it, and the usage.
MCP_NOW=$NOW1 mcp-aggregate report --month 2025-11 --json >"$TMP/all.json"
is "$(jq -r 'select(.type == "report") | .slug' "$TMP/all.json" | tr '\n' ' ')" "$(rc zrange mcp:slugs 0 -1 | sort | tr '\n' ' ')" \
    "no slug named: every slug of the index, by name"
MCP_NOW=$NOW1 mcp-aggregate report --month 2025-10 nosuch 2>"$TMP/err" >/dev/null
is "$?:$(cat "$TMP/err")" "1:mcp-aggregate: report: nosuch: no history stored for this slug" "a slug without history: named, exit 1"
for a in "--month 2025-13" "--month 2026-01" "--month 2025-10 --from 2025-09" "--to 2025-10" \
    "--from 2025-11 --to 2025-10" "--from 2024-01 --to 2025-10" "--json --csv" "--month 2025-10 Bad_Slug"; do
	# shellcheck disable=SC2086 # the words of a
	MCP_NOW=$NOW1 mcp-aggregate report $a >/dev/null 2>"$TMP/err"
	is "$?" 2 "report $a: a usage error ($(head -1 "$TMP/err"))"
done
mcp-aggregate report --month 2025-10 everything >/dev/full 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "1:mcp-aggregate: write stdout: No space left on device" "a full stdout is said, exit 1"

# ------------------------------------------------------------ the pages
if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then
	export PATH="$PATH:/usr/sbin"
	SERVE_NOW=$NOW1
	SERVE_NOW_FAR=$((D0 * 86400 + 399 * 86400 + 3600))
	start_nginx_cgi || { ok 1 "nginx and fcgiwrap start"; done_testing; }
	U=$NGINX_CGI
	get "$U/report/everything?month=2025-10"
	page=$(body)
	is "$ST:$(hdr Content-Type)" "200:text/html; charset=utf-8" "/report/everything?month=2025-10: a page"
	like "$(hdr Content-Security-Policy)" "default-src 'none'" "the page's CSP"
	like "$page" '<div class="fact"><b>99.931%</b><span>uptime</span></div>' "the page: the CLI's uptime"
	like "$page" '<b>31 minutes</b><span>down \(red\)</span>' "the page: 31 minutes down"
	like "$page" '<b>11 minutes</b><span>mean time to recover</span>' "the page: MTTR 11 minutes"
	is "$(grep -o '<tr><td>2025-[^<]*</td>' <<<"$page" | tr '\n' ' ')" \
	    "<tr><td>2025-10-03 10:00 UTC</td> <tr><td>2025-10-20 14:00 UTC</td> <tr><td>2025-10-20 14:08 UTC</td> " \
	    "the page: the three incidents"
	is "$(grep -o '<li class="bar[^"]*"' <<<"$page" | sort | uniq -c | awk '{ $1 = $1; print }' | tr '\n' ',')" \
	    '1 <li class="bar warn",30 <li class="bar",' "the page: 31 bars, each a day with data, Oct 3 below 99.5 %"
	like "$page" '<li>Uptime: the green and amber minutes over the green, amber and red ones.</li>' "the page states the rule"
	like "$page" 'Singapore \(ap-southeast-1\)</span></td><td class="num">100.000%' "the page: each region by its city"
	like "$page" '<a href="/report/everything\?month=2025-09">&larr; September 2025</a>' "the page links the month before"
	get "$U/report/everything"
	like "$(body)" '<title>everything: uptime report, November 2025</title>' "/report/everything: the month before the clock's"
	get "$U/report/weather?month=2025-10"
	like "$(body)" '<b>1 hour 0 min</b><span>in maintenance, not counted</span>' "weather's page: an hour in maintenance, not counted"
	for q in "month=2025-1" "month=2025-10x" "month=%00"; do
		get "$U/report/everything?$q"
		is "$ST" 400 "/report/everything?$q: 400"
	done
	get "$U/report/everything?month=2026-01"
	is "$ST" 404 "a month not begun: 404"
	get "$U/report/nosuch?month=2025-10"
	is "$ST" 404 "a slug the store does not know: 404"
	get -X POST "$U/report/everything"
	is "$ST:$(hdr Allow)" "405:GET, HEAD" "POST: 405"
	get "$U/status/everything?days=90"
	page=$(body)
	is "$ST" 200 "/status/everything?days=90: 200"
	is "$(grep -o '<li class="bar[^"]*"' <<<"$page" | wc -l):$(grep -o '<li class="bar nodata"' <<<"$page" | wc -l)" "90:58" \
	    "90 bars: Sep 30 and October have data (from the tally), the rest does not"
	like "$page" '<h2>Uptime, last 90 days</h2>' "the heading says 90 days"
	like "$page" '<a href="/status/everything\?days=90" aria-current="page">90 days</a>' "the 90-day link is the current one"
	get "$U/status/everything"
	is "$(grep -o '<li class="bar[^"]*"' "$RB" | wc -l)" 30 "without ?days: 30 bars"
	get "$U/status/everything?days=60"
	is "$ST" 400 "?days=60: 400"

	if [ -x /usr/lib/chromium/chromium ] || [ -x /usr/bin/chromium ]; then
		if [ -d "$TOP/tests/node_modules/puppeteer-core" ]; then
			SHOTS=$BIN/screenshots
			mkdir -p "$SHOTS"
			export SHOTS BASE=$U CHROMIUM
			CHROMIUM=$(ls /usr/lib/chromium/chromium /usr/bin/chromium 2>/dev/null | head -1)
			node_rc=none
			while IFS=$'\t' read -r st name detail; do
				case $st in
				ok) ok 0 "browser: $name" ;;
				'not ok')
					ok 1 "browser: $name"
					[ -z "$detail" ] || printf '#   %s\n' "$detail"
					;;
				exit) node_rc=$name ;;
				esac
			done < <(cd "$TOP/tests" && node browser/report.mjs 2>"$TMP/node.err"; printf 'exit\t%s\n' "$?")
			is "$node_rc" 0 "browser/report.mjs ran to its end"
			[ "$node_rc" = 0 ] || diag "$(tail -5 "$TMP/node.err")"
			ok "$([ -s "$SHOTS/report-1280.png" ] && [ -s "$SHOTS/status-90-1280.png" ] && [ -s "$SHOTS/report.pdf" ]; echo $?)" \
			    "screenshots and the printed PDF in $SHOTS"
		else
			diag "puppeteer-core missing: the browser checks skipped"
		fi
	else
		diag "no chromium: the browser checks skipped"
	fi
else
	diag "nginx is not installed: the page checks skipped"
fi

# ------------------------------------------------------------ 400 days on
# Redis's TTLs run on the real clock: the keys that would have expired
# in 400 days (day:DAY, up, verdict, the results: 31 days or less) are
# deleted; tally, red and rgn (400 days) stay.
n=$(rc eval "local n = 0
  for _, k in ipairs(redis.call('KEYS', '*')) do
    local t = redis.call('TTL', k)
    if t >= 0 and t < tonumber(ARGV[1]) then redis.call('DEL', k); n = n + 1 end
  end
  return n" 0 $((TTL_YEAR - 86400)))
is "$(rc --scan --pattern 'mcp:{everything}:*' | sort | tr '\n' ' ')" \
    "mcp:{everything}:red mcp:{everything}:rgn mcp:{everything}:tally " \
    "every key of a shorter life deleted ($n), tally, red and rgn left"
NOW2=$(((D0 + 399) * 86400 + 3600)) # 2026-11-04 01:00
probes everything 399 0 1 "$REGIONS" | push
decide 399 0 0 everything
MCP_NOW=$NOW2 mcp-aggregate report --month 2025-10 --json everything weather files >"$TMP/oct2.json"
is "$(diff "$TMP/oct.json" "$TMP/oct2.json")" "" \
    "2026-11-04, 400 days after 2025-10-01: October 2025 reported the same, from tally, red and rgn alone"
MCP_NOW=$NOW2 mcp-aggregate report --month 2025-09 --json everything >"$TMP/sep2.json"
is "$(jq -c 'select(.type == "report") | [.days_without_record, .green]' "$TMP/sep2.json")" '[30,0]' \
    "Sep 30 2025, 400 days before the newest day, is gone from the ring: its record was overwritten"
MCP_NOW=$NOW2 mcp-aggregate report --month 2026-11 --json everything >"$TMP/now.json"
is "$(jq -c 'select(.type == "report") | [.minutes, .green, .undecided, .days_without_record]' "$TMP/now.json")" '[4379,1,4378,3]' \
    "November 2026 so far, to 00:59 of the 4th: 4,379 minutes, one decided"
if [ -n "${U:-}" ]; then
	get -H 'X-Test-Env: far' "$U/report/everything?month=2025-10"
	is "$ST" 200 "the page of October 2025, 400 days on: 200"
	like "$(body)" '<b>99.931%</b><span>uptime</span>' "the page of October 2025, 400 days on: the same uptime"
fi
unlike "$(cat "${NGINX_CGI_LOG:-/dev/null}")" 'AddressSanitizer|LeakSanitizer|runtime error' "no sanitizer report from mcp-serve"
done_testing
