#!/usr/bin/env bash
# alert-storm.sh BUILD_DIR - an alert storm, mcp-alert beside Alertmanager
# BENCH_STORM_SLUGS servers (default 2000) behind one provider go down
# everywhere: every slug red "outage" at tools_list, failing now in 3 of 5
# regions, for 3 windows (fail_windows: the third pages P1), then green
# until resolved (pass_windows 3) and for a group_interval more.
# mcp-alert runs once a window, as cron runs it, on a private redis-server,
# with three routes (webhook, slack, pagerduty) pointed at one counting
# receiver (tests/bench/counter.mjs), grouped by severity, kind and step
# when the build knows group_by.  Alertmanager, the peer, gets the same
# storm through its API v2 (firing, then endsAt), routed to the same three
# kinds of receiver with group_by [severity, kind, step], group_wait 0s and
# group_interval 5m, as mcp-alert.  It runs in real time: its resolve goes
# out a group_interval after its first notification, so the run waits
# that long.  Printed side by side: notifications per route in the trigger
# and the resolve phase, the alerts they name, CPU seconds and peak RSS.
# Figures only.
#   BENCH_STORM_GROUP_WAIT, BENCH_STORM_GROUP_INTERVAL: in seconds, both
#     tools' (default 0 and 300);
#   BENCH_STORM_GROUP_BY: mcp-alert's labels (default "severity kind
#     step"; "slug" sends every incident alone).
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
umask 077

N=${BENCH_STORM_SLUGS:-2000}
GI=${BENCH_STORM_GROUP_INTERVAL:-300}
GW=${BENCH_STORM_GROUP_WAIT:-0}
GB=${BENCH_STORM_GROUP_BY:-severity kind step} # mcp-alert's; "slug": every incident alone
T0=1795536000
RED=3                            # fail_windows: the third red window pages
GREEN=$((3 + (GI + 59) / 60 + 1)) # pass_windows, then a group_interval more
ALL='"ap-southeast-1","eu-west-2","sa-east-1","us-east-1","us-west-2"'
FAILED='"eu-west-2","sa-east-1","us-east-1"'

pids=()
storm_cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || :; wait "$p" 2>/dev/null || :; done
	cleanup
}
trap storm_cleanup EXIT

# cpu PID: user + system seconds of a process so far.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
# count PATH [n|members]: what the receiver counted at PATH.
count() { curl -sf "$RECV/_counts" | jq -r --arg p "$1" --arg f "${2:-n}" '.[$p][$f] // 0'; }
# settle SECONDS PATH MIN...: until each PATH has at least its MIN requests
# (SECONDS at most), then until no count moves for 2 s.  1 if it gave up.
settle() {
	local end=$((SECONDS + $1)) a ok last='' now stable=0 i
	shift
	a=("$@")
	while :; do
		ok=1
		for ((i = 0; i < ${#a[@]}; i += 2)); do
			[ "$(count "${a[i]}")" -ge "${a[i + 1]}" ] || ok=0
		done
		[ $ok = 1 ] && break
		[ $SECONDS -lt "$end" ] || return 1
		sleep 0.5
	done
	while [ $stable -lt 4 ]; do
		now=$(curl -sf "$RECV/_counts")
		if [ "$now" = "$last" ]; then stable=$((stable + 1)); else stable=0; fi
		last=$now
		sleep 0.5
	done
}

bench_redis
node "$TOP/tests/bench/counter.mjs" --port-file "$TMP/recv.port" &
pids+=($!)
for _ in $(seq 100); do [ -s "$TMP/recv.port" ] && break; sleep 0.05; done
RECV=http://127.0.0.1:$(cat "$TMP/recv.port")

# --- mcp-alert ---------------------------------------------------------------
# verdicts K COLOUR: window K's verdict of every slug.
verdicts() {
	awk -v n="$N" -v w="$((T0 + 60 * $1))" -v c="$2" -v all="$ALL" -v f="$FAILED" 'BEGIN {
		as_of = strftime("%Y-%m-%dT%H:%M:%SZ", w, 1)
		for (i = 0; i < n; i++)
			if (c == "red")
				printf "{\"v\":1,\"type\":\"verdict\",\"slug\":\"s%d\",\"window\":%d,\"as_of\":\"%s\",\"verdict\":\"red\",\"severity\":\"outage\",\"step\":\"tools_list\",\"failed_regions\":[%s],\"failing_now\":[%s],\"reporters\":[%s],\"missing\":[],\"divergence\":null,\"drift\":[],\"p95_ms\":142,\"uptime_30d\":99.9}\n", i, w, as_of, f, f, all
			else
				printf "{\"v\":1,\"type\":\"verdict\",\"slug\":\"s%d\",\"window\":%d,\"as_of\":\"%s\",\"verdict\":\"green\",\"severity\":\"ok\",\"step\":null,\"failed_regions\":[],\"failing_now\":[],\"reporters\":[%s],\"missing\":[],\"divergence\":null,\"drift\":[],\"p95_ms\":142,\"uptime_30d\":99.9}\n", i, w, as_of, all
	}'
}
echo "routing-key-of-the-bench" >"$TMP/pd.key"
{
	echo "route hook webhook $RECV/ma/webhook"
	echo "route chat slack $RECV/ma/slack"
	echo "route pd pagerduty $TMP/pd.key $RECV/ma/pd/v2/enqueue"
} >"$TMP/routes.conf"
{
	echo "group_by $GB"
	echo "group_wait $([ "$GW" = 0 ] && echo 0 || echo "${GW}s")"
	echo "group_interval ${GI}s"
	cat "$TMP/routes.conf"
} >"$TMP/alert.conf"
grouped=1
if ! "$BIN/mcp-alert" -c "$TMP/alert.conf" check 2>"$TMP/check.err"; then
	grep -q 'unknown key "group_' "$TMP/check.err" || { cat "$TMP/check.err" >&2; exit 1; }
	cp "$TMP/routes.conf" "$TMP/alert.conf"
	grouped=0
fi

# phase FIRST LAST COLOUR NAME: mcp-alert once a window; adds up its CPU
# seconds in NAME.cpu and keeps its largest RSS in NAME.rss (kB).
phase() {
	local k u s m cpu=0 rss=0
	for k in $(seq "$1" "$2"); do
		verdicts "$k" "$3" >"$TMP/in"
		MCP_NOW=$((T0 + 60 * k + 95)) /usr/bin/time -f '%U %S %M' -o "$TMP/time" \
		    "$BIN/mcp-alert" -c "$TMP/alert.conf" <"$TMP/in" >>"$TMP/alerts" 2>>"$TMP/alert.err"
		read -r u s m <"$TMP/time"
		cpu=$(calc "\"%.2f\", $cpu + $u + $s")
		[ "$m" -le "$rss" ] || rss=$m
	done
	echo "$cpu" >"$TMP/$4.cpu"
	echo "$rss" >"$TMP/$4.rss"
}
r0=$(cpu "$redis_pid")
t=$SECONDS
phase 0 $((RED - 1)) red trig
for r in webhook slack pd/v2/enqueue; do
	echo "$(count "/ma/$r") $(count "/ma/$r" members)" >"$TMP/ma.trig.$(basename "$r")"
done
phase "$RED" $((RED + GREEN - 1)) green res
ma_wall=$((SECONDS - t))
r1=$(cpu "$redis_pid")
ma_cpu=$(calc "\"%.2f\", $(cat "$TMP/trig.cpu") + $(cat "$TMP/res.cpu")")
ma_rss=$(sort -n "$TMP/trig.rss" "$TMP/res.rss" | tail -1)
records=$(grep -c '"type":"alert"' "$TMP/alerts" || :)

# --- Alertmanager ------------------------------------------------------------
AM=$(command -v prometheus-alertmanager || command -v alertmanager || :)
# shellcheck source=tests/bench/am.sh
. "$(dirname "$0")/am.sh"
am_ok=0
if [ -n "$AM" ]; then
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	cat >"$TMP/am.yml" <<YML
route:
  receiver: hook
  group_by: [severity, kind, step]
  group_wait: ${GW}s
  group_interval: ${GI}s
  repeat_interval: 4h
  routes:
    - {receiver: hook, continue: true}
    - {receiver: chat, continue: true}
    - {receiver: pd}
receivers:
  - name: hook
    webhook_configs:
      - {url: "$RECV/am/webhook", send_resolved: true}
  - name: chat
    slack_configs:
      - {api_url: "$RECV/am/slack", channel: "#ops", send_resolved: true}
  - name: pd
    pagerduty_configs:
      - {routing_key: routing-key-of-the-bench, url: "$RECV/am/pd/v2/enqueue", send_resolved: true}
YML
	am_start "$port"
	# amjson START END: every slug's alert, from START to END (ISO-8601).
	amjson() {
		awk -v n="$N" -v s="$1" -v e="$2" 'BEGIN {
			printf "["
			for (i = 0; i < n; i++)
				printf "%s{\"labels\":{\"alertname\":\"MCPDown\",\"slug\":\"s%d\",\"severity\":\"P1\",\"kind\":\"downtime\",\"step\":\"tools_list\"},\"annotations\":{\"summary\":\"s%d: outage: tools_list failing in 3 regions\"},\"startsAt\":\"%s\",\"endsAt\":\"%s\"}", i ? "," : "", i, i, s, e
			printf "]"
		}'
	}
	iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
	start=$(date +%s)
	amjson "$(iso "$start")" "$(iso $((start + 3600)))" >"$TMP/am-fire.json"
	post() {
		curl -sf -H 'Content-Type: application/json' --data-binary "@$1" \
		    "http://127.0.0.1:$port/api/v2/alerts" >/dev/null
	}
	c0=$(cpu "$am")
	t=$SECONDS
	post "$TMP/am-fire.json"
	am_ok=1
	settle $((GW + 60)) /am/webhook 1 /am/slack 1 /am/pd/v2/enqueue 1 || am_ok=0
	for r in webhook slack pd/v2/enqueue; do
		echo "$(count "/am/$r") $(count "/am/$r" members)" >"$TMP/am.trig.$(basename "$r")"
	done
	amjson "$(iso "$start")" "$(iso "$(date +%s)")" >"$TMP/am-res.json"
	post "$TMP/am-res.json"
	settle $((GI + 90)) /am/webhook $(($(cut -d' ' -f1 "$TMP/am.trig.webhook") + 1)) \
	    /am/slack $(($(cut -d' ' -f1 "$TMP/am.trig.slack") + 1)) \
	    /am/pd/v2/enqueue $(($(cut -d' ' -f1 "$TMP/am.trig.enqueue") + 1)) || am_ok=0
	am_wall=$((SECONDS - t))
	am_cpu=$(calc "\"%.2f\", $(cpu "$am") - $c0")
	am_rss=$(awk '/VmHWM/ { print $2 }' "/proc/$am/status")
	am_ver=$("$AM" --version 2>&1 | awk '/version/ { print $3; exit }')
fi

# --- the table ---------------------------------------------------------------
# row LABEL MCP AM
row() { printf '  %-44s %22s %22s\n' "$1" "$2" "$3"; }
# phase_n TOOL PHASE FILE PATH: the requests in a phase, and for the
# webhook the alerts they named.
phase_n() {
	local n m n0 m0
	read -r n m <"$TMP/$1.trig.$3"
	if [ "$2" = res ]; then
		n0=$n m0=$m
		n=$(($(count "/$1/$4") - n0)) m=$(($(count "/$1/$4" members) - m0))
	fi
	if [ "$3" = webhook ]; then echo "$n ($m)"; else echo "$n"; fi
}
echo "$N slugs down everywhere (outage at tools_list, 3 of 5 regions), then recovered:"
if [ $grouped = 0 ]; then
	echo "  (mcp-alert without grouping: this build predates group_by)"
else
	echo "  (mcp-alert: group_by $GB, group_wait $GW s, group_interval $GI s; Alertmanager: group_by [severity, kind, step])"
fi
row "" "mcp-alert" "Alertmanager ${am_ver:-(absent)}"
row "verdicts read / alerts posted" "$((N * (RED + GREEN)))" "$([ -n "$AM" ] && echo $((2 * N)) || echo -)"
for r in webhook:webhook slack:slack pagerduty:pd/v2/enqueue; do
	name=${r%%:*} path=${r#*:}
	for p in trig:trigger res:resolve; do
		row "$name notifications, ${p#*:}$([ "$name" = webhook ] && echo ' (alerts named)')" "$(phase_n ma "${p%%:*}" "$(basename "$path")" "$path")" \
		    "$([ -n "$AM" ] && phase_n am "${p%%:*}" "$(basename "$path")" "$path" || echo -)"
	done
done
# events TOOL: the webhook's notifications by event (status).
events() { curl -sf "$RECV/_counts" | jq -r --arg p "/$1/webhook" '.[$p].events // {} | to_entries | map("\(.value) \(.key)") | join(", ")'; }
row "webhook notifications by event (status)" "$(events ma)" "$([ -n "$AM" ] && events am || echo -)"
row "CPU seconds (user+sys)" "$ma_cpu" "${am_cpu:--}"
row "  of which trigger / resolve phase" "$(cat "$TMP/trig.cpu") / $(cat "$TMP/res.cpu")" ""
row "  redis-server, mcp-alert's store" "$(calc "\"%.2f\", $r1 - $r0")" ""
row "max RSS (MB)" "$(calc "\"%.1f\", $ma_rss / 1024")" "$([ -n "$AM" ] && calc "\"%.1f\", $am_rss / 1024" || echo -)"
row "wall seconds" "$ma_wall" "${am_wall:--}"
echo "  mcp-alert: $((RED + GREEN)) runs, one a window (simulated clock), $records alert records printed."
if [ -z "$AM" ]; then
	echo "  Alertmanager: not installed (apt-get install prometheus-alertmanager); no peer figures"
else
	echo "  Alertmanager: real time; the resolve waits for group_interval (${GI}s) after its first notification;"
	echo "  with group_wait ${GW}s its first notification names the alerts it had taken in by then;"
	echo "  its CPU and RSS are over the whole run, the wait included."
	[ $am_ok = 1 ] || echo "  Alertmanager: gave up waiting for a notification (see its figures)"
	echo "  (mcp-alert confirms over windows itself and keeps each incident in Redis; Alertmanager"
	echo "   gets alerts already confirmed, as from Prometheus's for:, and keeps them in memory.)"
fi
[ ! -s "$TMP/alert.err" ] || { echo "  mcp-alert's standard error (first lines):"; head -5 "$TMP/alert.err" | sed 's/^/    /'; }
