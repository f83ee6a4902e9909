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
#     step"; "slug" sends every incident alone);
#   BENCH_STORM_BIG: the slugs of a second storm, mcp-alert's alone (default
#     10000, 0 for none): each run's CPU and wall time against its minute,
#     Redis's CPU and memory;
#   BENCH_BEFORE=DIR: DIR's mcp-alert (the build before) through the same
#     storms in the same run, beside.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
umask 077

N=${BENCH_STORM_SLUGS:-2000}
BIG=${BENCH_STORM_BIG:-10000} # the storm of mcp-alert alone; 0: none
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
# verdicts K COLOUR N: window K's verdict of each of N slugs.
verdicts() {
	awk -v n="$3" -v w="$((T0 + 60 * $1))" -v c="$2" -v all="$ALL" -v f="$FAILED" 'BEGIN {
		as_of = strftime("%Y-%m-%dT%H:%M:%SZ", w, 1)
		for (i = 0; i < n; i++)
			if (c == "red")
				printf "{\"v\":1,\"type\":\"verdict\",\"slug\":\"s%d\",\"window\":%d,\"as_of\":\"%s\",\"verdict\":\"red\",\"severity\":\"outage\",\"step\":\"tools_list\",\"failed_regions\":[%s],\"failing_now\":[%s],\"reporters\":[%s],\"missing\":[],\"divergence\":null,\"drift\":[],\"p95_ms\":142,\"uptime_30d\":99.9}\n", i, w, as_of, f, f, all
			else
				printf "{\"v\":1,\"type\":\"verdict\",\"slug\":\"s%d\",\"window\":%d,\"as_of\":\"%s\",\"verdict\":\"green\",\"severity\":\"ok\",\"step\":null,\"failed_regions\":[],\"failing_now\":[],\"reporters\":[%s],\"missing\":[],\"divergence\":null,\"drift\":[],\"p95_ms\":142,\"uptime_30d\":99.9}\n", i, w, as_of, all
	}'
}
echo "routing-key-of-the-bench" >"$TMP/pd.key"
# conf TAG BIN: the configuration of a storm whose routes post under /TAG/,
# grouped when BIN knows group_by (TAG.grouped: 1 or 0).
conf() {
	{
		echo "route hook webhook $RECV/$1/webhook"
		echo "route chat slack $RECV/$1/slack"
		echo "route pd pagerduty $TMP/pd.key $RECV/$1/pd/v2/enqueue"
	} >"$TMP/$1.routes"
	{
		echo "group_by $GB"
		echo "group_wait $([ "$GW" = 0 ] && echo 0 || echo "${GW}s")"
		echo "group_interval ${GI}s"
		cat "$TMP/$1.routes"
	} >"$TMP/$1.conf"
	echo 1 >"$TMP/$1.grouped"
	if ! "$2/mcp-alert" -c "$TMP/$1.conf" check 2>"$TMP/check.err"; then
		grep -q 'unknown key "group_' "$TMP/check.err" || { cat "$TMP/check.err" >&2; exit 1; }
		cp "$TMP/$1.routes" "$TMP/$1.conf"
		echo 0 >"$TMP/$1.grouped"
	fi
}
# phase TAG BIN N FIRST LAST COLOUR NAME: BIN's mcp-alert once a window;
# adds up its CPU seconds in TAG.NAME.cpu, keeps its largest RSS (kB) in
# TAG.NAME.rss and a run's longest wall and CPU seconds in TAG.NAME.run.
phase() {
	local k u s m e cpu=0 rss=0 runw=0 runc=0
	for k in $(seq "$4" "$5"); do
		verdicts "$k" "$6" "$3" >"$TMP/in"
		MCP_NOW=$((T0 + 60 * k + 95)) /usr/bin/time -f '%U %S %M %e' -o "$TMP/time" \
		    "$2/mcp-alert" -c "$TMP/$1.conf" <"$TMP/in" >>"$TMP/$1.alerts" 2>>"$TMP/$1.err"
		read -r u s m e <"$TMP/time"
		cpu=$(calc "\"%.2f\", $cpu + $u + $s")
		[ "$m" -le "$rss" ] || rss=$m
		runw=$(calc "\"%.2f\", ($e > $runw ? $e : $runw)")
		runc=$(calc "\"%.2f\", ($u + $s > $runc ? $u + $s : $runc)")
		calc "\"%.2f/%.2f \", $u + $s, $e" >>"$TMP/$1.runs"
	done
	echo "$cpu" >"$TMP/$1.$7.cpu"
	echo "$rss" >"$TMP/$1.$7.rss"
	echo "$runw $runc" >"$TMP/$1.$7.run"
}
# storm TAG BIN N: N slugs down and recovered, through BIN's mcp-alert on an
# empty store; its figures in $TMP/TAG.*: the phases' (above), the
# receiver's counts after the trigger phase (TAG.trig.ROUTE), Redis's CPU
# (TAG.redis) and memory with every incident open (TAG.mem, bytes above
# the empty store's), the wall seconds (TAG.wall) and the records printed.
storm() {
	local r0 m0 t r
	redis-cli -s "$SOCK" flushall >/dev/null
	conf "$1" "$2"
	m0=$(redis-cli -s "$SOCK" info memory | awk -F: '/^used_memory:/ { print $2 + 0 }')
	r0=$(cpu_of "$redis_pid")
	t=$(date +%s.%N)
	phase "$1" "$2" "$3" 0 $((RED - 1)) red trig
	redis-cli -s "$SOCK" info memory | awk -F: -v m0="$m0" '/^used_memory:/ { print $2 - m0 }' >"$TMP/$1.mem"
	for r in webhook slack pd/v2/enqueue; do
		echo "$(count "/$1/$r") $(count "/$1/$r" members)" >"$TMP/$1.trig.$(basename "$r")"
	done
	phase "$1" "$2" "$3" "$RED" $((RED + GREEN - 1)) green res
	calc "\"%.1f\", $(date +%s.%N) - $t" >"$TMP/$1.wall"
	calc "\"%.2f\", $(cpu_of "$redis_pid") - $r0" >"$TMP/$1.redis"
	grep -c '"type":"alert"' "$TMP/$1.alerts" >"$TMP/$1.records" || :
}
storm ma "$BIN" "$N"
# The floor of a run a window: mcp-alert started and ended with nothing to read.
# (the runs together, each alone is below time(1)'s hundredth of a second)
# shellcheck disable=SC2016 # expanded by the inner shell
/usr/bin/time -f '%U %S' -o "$TMP/time" bash -c 'for _ in $(seq "$1"); do "$2/mcp-alert" -c "$3" </dev/null || :; done' \
    - $((RED + GREEN)) "$BIN" "$TMP/ma.conf" >/dev/null 2>&1
read -r u s <"$TMP/time"
empty_cpu=$(calc "\"%.2f\", $u + $s")
if [ -n "${BENCH_BEFORE:-}" ] && [ -x "$BENCH_BEFORE/mcp-alert" ]; then
	storm mb "$BENCH_BEFORE" "$N"
fi

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
	kill -0 "$am" 2>/dev/null || { am_fail=$(tail -1 "$TMP/am.log"); AM=; }
fi
if [ -n "$AM" ]; then
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
	c0=$(cpu_of "$am")
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
	am_cpu=$(calc "\"%.2f\", $(cpu_of "$am") - $c0")
	am_rss=$(awk '/VmHWM/ { print $2 }' "/proc/$am/status")
	am_ver=$("$AM" --version 2>&1 | awk '/version/ { print $3; exit }')
fi

# --- the tables --------------------------------------------------------------
# row LABEL COLUMN...
row() {
	local l=$1
	shift
	printf '  %-44s' "$l"
	printf ' %22s' "$@"
	printf '\n'
}
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
# events TOOL: the webhook's notifications by event (status).
events() { curl -sf "$RECV/_counts" | jq -r --arg p "/$1/webhook" '.[$p].events // {} | to_entries | map("\(.value) \(.key)") | join(", ")'; }
# ma_rows N TAG...: the notifications of the storms of N slugs of mcp-alert
# TAG..., and of Alertmanager (am) when named.
ma_rows() {
	local n=$1 r name path p t v=()
	shift
	for t in "$@"; do
		if [ "$t" = am ]; then v+=("$([ -n "$AM" ] && echo $((2 * n)) || echo -)"); else v+=($((n * (RED + GREEN)))); fi
	done
	row "verdicts read / alerts posted" "${v[@]}"
	for r in webhook:webhook slack:slack pagerduty:pd/v2/enqueue; do
		name=${r%%:*} path=${r#*:}
		for p in trig:trigger res:resolve; do
			v=()
			for t in "$@"; do
				if [ "$t" = am ] && [ -z "$AM" ]; then v+=(-); continue; fi
				v+=("$(phase_n "$t" "${p%%:*}" "$(basename "$path")" "$path")")
			done
			row "$name notifications, ${p#*:}$([ "$name" = webhook ] && echo ' (alerts named)')" "${v[@]}"
		done
	done
	v=()
	for t in "$@"; do
		if [ "$t" = am ] && [ -z "$AM" ]; then v+=(-); else v+=("$(events "$t")"); fi
	done
	row "webhook notifications by event (status)" "${v[@]}"
}
# val TAG FILE: a figure of mcp-alert TAG's storm, or "-" for Alertmanager.
val() { if [ -s "$TMP/$1.$2" ]; then cat "$TMP/$1.$2"; else echo -; fi; }
# ma_costs TAG...: CPU, memory and time of mcp-alert TAG... (and am, last).
ma_costs() {
	local t c=() r=() w=() ph=() rc=() rd=() m=() rm=()
	for t in "$@"; do
		if [ "$t" = am ]; then
			c+=("${am_cpu:--}") r+=("$([ -n "$AM" ] && calc "\"%.1f\", $am_rss / 1024" || echo -)")
			w+=("${am_wall:--}") ph+=("") rc+=("") rd+=("") m+=("") rm+=("")
			continue
		fi
		c+=("$(calc "\"%.2f\", $(val "$t" trig.cpu) + $(val "$t" res.cpu)")")
		ph+=("$(val "$t" trig.cpu) / $(val "$t" res.cpu)")
		rc+=("$(awk '{ if ($2 > c) c = $2; if ($1 > w) w = $1 } END { printf "%.2f / %.2f", c, w }' "$TMP/$t.trig.run" "$TMP/$t.res.run")")
		rd+=("$(val "$t" redis)")
		r+=("$(sort -n "$TMP/$t.trig.rss" "$TMP/$t.res.rss" | tail -1 | awk '{ printf "%.1f", $1 / 1024 }')")
		m+=("$(awk '{ printf "%.1f", $1 / 1048576 }' "$TMP/$t.mem")")
		rm+=("$(calc "\"%.2f\", $(val "$t" trig.cpu) + $(val "$t" res.cpu) + $(val "$t" redis)")")
		w+=("$(val "$t" wall)")
	done
	row "CPU seconds (user+sys)" "${c[@]}"
	row "  of which trigger / resolve phase" "${ph[@]}"
	row "  the longest run: CPU / wall seconds" "${rc[@]}"
	row "  redis-server, mcp-alert's store" "${rd[@]}"
	row "  mcp-alert and its redis-server" "${rm[@]}"
	row "max RSS (MB)" "${r[@]}"
	row "  redis-server's memory, all open (MB)" "${m[@]}"
	row "wall seconds" "${w[@]}"
}
cols=(ma) heads=("mcp-alert")
[ ! -s "$TMP/mb.wall" ] || cols+=(mb) heads+=("the build before")
echo "$N slugs down everywhere (outage at tools_list, 3 of 5 regions), then recovered:"
if [ "$(cat "$TMP/ma.grouped")" = 0 ]; then
	echo "  (mcp-alert without grouping: this build predates group_by)"
else
	echo "  (mcp-alert: group_by $GB, group_wait $GW s, group_interval $GI s; Alertmanager: group_by [severity, kind, step])"
fi
row "" "${heads[@]}" "Alertmanager ${am_ver:-(absent)}"
ma_rows "$N" "${cols[@]}" am
ma_costs "${cols[@]}" am
echo "  mcp-alert: $((RED + GREEN)) runs, one a window (simulated clock), $(cat "$TMP/ma.records") alert records printed;"
echo "    the same $((RED + GREEN)) runs with nothing to read (starting and ending): $empty_cpu s CPU."
if [ -n "${am_cpu:-}" ]; then
	calc "\"  goal: mcp-alert's CPU below Alertmanager's in the same run: %.2f s against %.2f s (%s)\\n\", \
	    $(val ma trig.cpu) + $(val ma res.cpu), $am_cpu, ($(val ma trig.cpu) + $(val ma res.cpu) < $am_cpu ? \"met\" : \"not met\")"
fi
if [ -n "${am_fail:-}" ]; then
	echo "  Alertmanager: did not start: $am_fail"
elif [ -z "$AM" ]; then
	echo "  Alertmanager: not installed (apt-get install prometheus-alertmanager); no peer figures"
else
	echo "  Alertmanager: real time; the resolve waits for group_interval (${GI}s) after its first notification;"
	echo "  with group_wait ${GW}s its first notification names the alerts it had taken in by then;"
	echo "  its CPU and RSS are over the whole run, the wait included."
	[ $am_ok = 1 ] || echo "  Alertmanager: gave up waiting for a notification (see its figures)"
	echo "  (mcp-alert confirms over windows itself and keeps each incident in Redis; Alertmanager"
	echo "   gets alerts already confirmed, as from Prometheus's for:, and keeps them in memory.)"
fi
[ ! -s "$TMP/ma.err" ] || { echo "  mcp-alert's standard error (first lines):"; head -5 "$TMP/ma.err" | sed 's/^/    /'; }

# --- the storm of BIG --------------------------------------------------------
[ "$BIG" -gt 0 ] || exit 0
storm mk "$BIN" "$BIG"
cols=(mk) heads=("mcp-alert")
if [ -s "$TMP/mb.wall" ]; then
	storm mbk "$BENCH_BEFORE" "$BIG"
	cols+=(mbk) heads+=("the build before")
fi
echo
echo "$BIG slugs down everywhere, then recovered (the same storm, mcp-alert alone; a run a minute must end within it):"
row "" "${heads[@]}"
ma_rows "$BIG" "${cols[@]}"
ma_costs "${cols[@]}"
for t in "${cols[@]}"; do
	echo "  each run's CPU/wall seconds, $([ "$t" = mk ] && echo mcp-alert || echo the build before): $(cat "$TMP/$t.runs")"
	awk -v t="$t" '{ for (i = 1; i <= NF; i++) { split($i, a, "/"); if (a[2] + 0 > w) w = a[2] + 0 } }
	    END { printf "    the longest %.2f s of its 60 s minute (%s)\n", w, w < 60 ? "met" : "not met" }' "$TMP/$t.runs"
done
[ ! -s "$TMP/mk.err" ] || { echo "  mcp-alert's standard error (first lines):"; head -5 "$TMP/mk.err" | sed 's/^/    /'; }
