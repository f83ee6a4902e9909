#!/usr/bin/env bash
# test: alone (network namespaces, sshd or timing that a second test would disturb)
# cluster.t - every tool over redis-cluster://, beside one plain redis-server
# A real Redis Cluster of six nodes (three masters, a replica each, a
# password on every node) on free ports of 127.0.0.1.  The same probe
# stream goes into the cluster and into one redis-server; mcp-aggregate
# verdict, mcp-alert and mcp-serve must say the same of both: while a slot
# is being migrated (ASK, TRYAGAIN and the spool), once it has moved (MOVED
# followed inside a running push), and after a master is killed mid-push
# and its replica promoted.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/aggregate-lib.sh"

command -v node >/dev/null || skip_all "node is needed to find free ports and for the receiver"
redis-server --version | grep -Eq 'v=(7|[89])\.' || skip_all "redis-server 7 or later is needed (cluster-port)"

# free_ports N: N distinct TCP ports of 127.0.0.1 nobody listens on now.
free_ports() {
	node -e 'const net = require("net"), n = +process.argv[1], ss = [];
	    let k = 0;
	    for (let i = 0; i < n; i++) {
	        const s = net.createServer(); ss.push(s);
	        s.listen(0, "127.0.0.1", () => { if (++k === n) {
	            console.log(ss.map((x) => x.address().port).join(" ")); ss.forEach((x) => x.close()); } });
	    }' "$1"
}
read -ra PORTS <<<"$(free_ports 12)"
[ "${#PORTS[@]}" = 12 ] || skip_all "no twelve free ports"
P=("${PORTS[@]:0:6}")
PW=pw-$$-sekrit-$RANDOM
# rc PORT ARGS...: redis-cli on a node; the password from the environment.
rc() { REDISCLI_AUTH=$PW redis-cli -p "$1" "${@:2}"; }
declare -A PID
for i in 0 1 2 3 4 5; do
	mkdir -p "$TMP/n$i"
	redis-server --port "${P[i]}" --cluster-port "${PORTS[i + 6]}" --bind 127.0.0.1 \
	    --cluster-enabled yes --cluster-config-file "$TMP/n$i/nodes.conf" \
	    --cluster-node-timeout 1000 --cluster-replica-validity-factor 0 \
	    --save '' --appendonly no --dir "$TMP/n$i" --logfile "$TMP/n$i/log" \
	    --requirepass "$PW" --masterauth "$PW" --repl-diskless-sync-delay 0 &
	PID[${P[i]}]=$!
	bg_pid $!
done
for p in "${P[@]}"; do
	wait_for 50 rc "$p" ping || skip_all "redis-server on $p did not start: $(tail -2 "$TMP"/n*/log)"
done
nodes=()
for p in "${P[@]}"; do nodes+=("127.0.0.1:$p"); done
REDISCLI_AUTH=$PW redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes \
    >"$TMP/create.log" 2>&1 || skip_all "redis-cli --cluster create failed: $(tail -3 "$TMP/create.log")"
cluster_ok() {
	local p
	for p in "$@"; do
		rc "$p" cluster info | grep -q '^cluster_state:ok' || return 1
	done
}
wait_for 200 cluster_ok "${P[@]}" || skip_all "the cluster did not reach cluster_state:ok"
# masters: the ports of the masters that serve slots now, as P[0] sees them.
masters() { rc "${P[0]}" cluster nodes | awk '$3 ~ /master/ && $3 !~ /fail/ && NF > 8 { sub(/@.*/, "", $2); sub(/.*:/, "", $2); print $2 }' | sort -n; }
# owner KEY: the port of the master of KEY's slot: the one that does not redirect.
owner() {
	local p
	for p in $(masters); do
		rc "$p" type "$1" 2>&1 | grep -Eq '^(MOVED|ASK) ' || { echo "$p"; return; }
	done
}
is "$(masters | wc -l)" 3 "six nodes, three masters (cluster_state:ok)"

start_redis
PLAIN=$MCP_REDIS
CLUSTER="redis-cluster://:$PW@127.0.0.1:${P[0]},127.0.0.1:${P[1]}"
# Its URL without the password: what names its spool, and messages say.
CLUSTER_PUBLIC="redis-cluster://127.0.0.1:${P[0]},127.0.0.1:${P[1]}"
start_receiver
printf 'route hook webhook %s/plain\nnotify * always hook\n' "$RECV" >"$TMP/plain.conf" && chmod 600 "$TMP/plain.conf"
printf 'route hook webhook %s/cluster\nnotify * always hook\n' "$RECV" >"$TMP/cluster.conf" && chmod 600 "$TMP/cluster.conf"

# on NAME CMD...: CMD with the store and spool of NAME (plain or cluster),
# stderr appended to $TMP/NAME.err.
on() {
	local url=$PLAIN
	[ "$1" = plain ] || url=$CLUSTER
	MCP_REDIS=$url MCP_SPOOL=$TMP/$1.spool "${@:2}" 2>>"$TMP/$1.err"
}
# verdicts NAME FIRST LAST: the verdict passes of those windows into $TMP/NAME.v.K.
verdicts() {
	local i
	for i in $(seq "$2" "$3"); do
		MCP_NOW=$(($(w "$i") + 95)) on "$1" mcp-aggregate verdict >"$TMP/$1.v.$i"
	done
}
# same_verdicts FIRST LAST DESC
same_verdicts() {
	local i diffs=''
	for i in $(seq "$1" "$2"); do
		diffs=$diffs$(diff "$TMP/plain.v.$i" "$TMP/cluster.v.$i")
	done
	is "$diffs:$(cat "$TMP/cluster.v.$1" | wc -l)" ":$NSLUGS" "$3"
}

# --- the same stream into both ----------------------------------------------------
{
	gen -q -s ok -N 12 -r "$ALL" -n 6
	gen -q -s half -r eu-west-2,us-east-1 -n 6 -f tools_list
	gen -q -s half -r ap-southeast-1,sa-east-1,us-west-2 -n 6
	gen -q -s down -r "$ALL" -n 6 -f http
	gen -q -s late -r "$ALL" -n 3
} >"$TMP/in.0"
NSLUGS=15
for s in plain cluster; do on "$s" push <"$TMP/in.0"; done
is "$(cat "$TMP/plain.err" "$TMP/cluster.err")" "" "six windows of 15 slugs pushed into both: no message"
for s in plain cluster; do verdicts "$s" 0 5; done
same_verdicts 0 5 "verdicts of windows 0..5: the same from the cluster as from one redis-server"
ok "$(grep -q '"verdict":"green"' "$TMP/cluster.v.5" && grep -q '"verdict":"red"' "$TMP/cluster.v.5"; echo $?)" \
    "and they are not all alike (green and red among them)"

# Two deciding hosts, each its share of the slots (verdict --shard), at
# once: window 5 decided again, exactly as the full pass decided it, though
# the shares' slot ranges are not the masters'.
for k in 1 2; do
	MCP_NOW=$(($(w 5) + 95)) on cluster mcp-aggregate verdict --shard $k/2 >"$TMP/share.$k" &
	share[k]=$!
done
wait "${share[1]}"
r1=$?
wait "${share[2]}"
is "$r1/$?/$(sort "$TMP/share.1" "$TMP/share.2" | diff - <(sort "$TMP/cluster.v.5"))" "0/0/" \
    "verdict --shard 1/2 and 2/2 at once: the full pass's verdicts of window 5, byte for byte"
is "$(jq -r .slug "$TMP/share.1" "$TMP/share.2" | sort | uniq -d):$(($(wc -l <"$TMP/share.1") > 0))" ":1" \
    "no slug decided by both shares, and each decides some"

spread=0
for p in $(masters); do
	n=$(rc "$p" --scan --pattern 'mcp:{*}:verdict' | wc -l)
	[ "$n" = 0 ] || spread=$((spread + 1))
	total=$((${total:-0} + n))
done
ok "$([ "$spread" -ge 2 ] && [ "$total" = "$NSLUGS" ]; echo $?)" \
    "the slugs' keys spread over $spread masters, each verdict key on one ($total of $NSLUGS)"
for k in 'mcp:{ok-00003}:verdict' 'mcp:{late}:rs:'"$(($(w 1) / 3600))" mcp:slugs; do
	is "$(rc "$(owner "$k")" exists "$k")" 1 "$k is on the master of its slot (CLUSTER KEYSLOT)"
done

# mcp-alert: the verdicts of the six windows, on one clock.
for s in plain cluster; do
	cat "$TMP/$s".v.{0..5} | MCP_NOW=$(($(w 5) + 96)) on "$s" mcp-alert -c "$TMP/$s.conf" >"$TMP/$s.alerts"
done
n=$(wc -l <"$TMP/cluster.alerts")
is "$(diff "$TMP/plain.alerts" "$TMP/cluster.alerts"):$([ "$n" -gt 0 ]; echo $?)" ":0" \
    "mcp-alert: the same alert records from both ($n)"
bodies() { jq -r --arg p "/$1" 'select(.path == $p) | .body' "$RECV_LOG"; }
is "$(diff <(bodies plain) <(bodies cluster)):$(bodies cluster | wc -l)" ":$n" \
    "the receiver got the same bodies from both"
for s in plain cluster; do
	MCP_NOW=$(w 5) on "$s" mcp-alert maint add ok-00002 --for 2h --reason deploy >/dev/null
	MCP_NOW=$(w 5) on "$s" mcp-alert maint add down --for 1h --reason move >/dev/null
	MCP_NOW=$(w 5) on "$s" mcp-alert maint list -j >"$TMP/$s.maint"
done
is "$(diff "$TMP/plain.maint" "$TMP/cluster.maint"):$(wc -l <"$TMP/cluster.maint")" ":2" \
    "mcp-alert maint list: the windows of every master (SCAN on each), as from one server"
# Window 5 lies in both windows now: decided again, it is kept as maintenance.
for s in plain cluster; do verdicts "$s" 5 5; done
same_verdicts 5 5 "window 5 decided again in maintenance: the same from both"
is "$(grep -c '"maintenance":{"start"' "$TMP/cluster.v.5")" 2 "and both carry their maintenance window"

# mcp-serve as a CGI program: the read routes.
serve() {
	env -i PATH="$PATH" ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" \
	    REQUEST_METHOD=GET MCP_NOW="$(($(w "$2") + 100))" PATH_INFO="${3%%\?*}" \
	    QUERY_STRING="$([ "${3#*\?}" = "$3" ] || echo "${3#*\?}")" \
	    MCP_REDIS="$([ "$1" = plain ] && echo "$PLAIN" || echo "$CLUSTER")" \
	    "$BIN/mcp-serve" </dev/null 2>>"$TMP/$1.err"
}
ROUTES="/api/embed-status/ok-00001 /api/embed-status/down /badge/half.svg /api/shields/late
/api/status /api/status/half/regions /metrics /healthz /api/embed-status-prom?slug=down
/status /status/half /status/down/feed.atom"
same_routes() { # K
	local r diffs='' n=0
	for r in $ROUTES; do
		serve plain "$1" "$r" >"$TMP/plain.page"
		serve cluster "$1" "$r" >"$TMP/cluster.page"
		diffs=$diffs$(diff "$TMP/plain.page" "$TMP/cluster.page")
		grep -q '^Status: 200' "$TMP/cluster.page" && n=$((n + 1))
		grep -q '^Status: 200' "$TMP/cluster.page" || diag "$r: $(head -1 "$TMP/cluster.page")"
	done
	is "$diffs:$n" ":12" "mcp-serve: the same answers from both to the 12 read routes, all 200 (window $1)"
}
same_routes 5
is "$(cat "$TMP/plain.err" "$TMP/cluster.err")" "" "verdict, alert and serve: no message"

# --- a slot migrated: ASK while it moves, MOVED once it has ------------------------
A=ok-00001
slot=$(rc "${P[0]}" cluster keyslot "mcp:{$A}:verdict")
SRC=$(owner "mcp:{$A}:verdict")
DST=$(masters | grep -vx "$SRC" | head -1)
rc "$DST" cluster setslot "$slot" importing "$(rc "$SRC" cluster myid)" >/dev/null
rc "$SRC" cluster setslot "$slot" migrating "$(rc "$DST" cluster myid)" >/dev/null
# What the verdict pass reads and writes together moves first.
mapfile -t moving < <(rc "$SRC" cluster getkeysinslot "$slot" 100 | grep -E ':(verdict|up|days|tally|red|rgn|latsum|latidx|day:[0-9]+|rs:[0-9]+)$')
rc "$SRC" migrate 127.0.0.1 "$DST" "" 0 5000 AUTH "$PW" KEYS "${moving[@]}" >/dev/null
asking() { rc "$DST" info commandstats | sed -n 's/^cmdstat_asking:calls=\([0-9]*\).*/\1/p'; }
ask0=$(asking)
ask0=${ask0:-0}
verdicts cluster 5 5
# The review's read is one script of five keys (appr, pin, hash, lhash,
# tch), some of which a slug may not have: a slot being migrated answers it
# TRYAGAIN, whichever side holds them.  That costs the migrating slug its
# review for the windows the move lasts, never its verdict (mcp-alert
# keeps an open review incident as it was): the rest is the same.
novr() { jq -c --arg a "$A" 'if .slug == $a then del(.review) else . end' "$1"; }
is "$(diff <(novr "$TMP/plain.v.5") <(novr "$TMP/cluster.v.5"))::$(cat "$TMP/cluster.err")" "::" \
    "slot $slot migrating ($SRC to $DST, ${#moving[@]} keys moved): window 5 decided again, the same (but $A's review)"
ok "$([ "$ask0" -lt "$(asking)" ]; echo $?)" "through ASK: $DST was sent ASKING ($ask0 -> $(asking))"

# Window 6: A's results from two regions while the slot moves: its Lua
# call holds keys on both sides (TRYAGAIN), so push spools them.
gen -q -s "$A" -r eu-west-2,us-east-1 -t "$(w 6)" >"$TMP/a.6"
on plain push <"$TMP/a.6"
MCP_NOW=$(($(w 6) + 1)) on cluster mcp-aggregate push <"$TMP/a.6"
like "$(cat "$TMP/cluster.err")" "redis: .*TRYAGAIN" "results of a slug in a half-moved slot: TRYAGAIN"
like "$(cat "$TMP/cluster.err")" "spool: $(spool_of "$TMP/cluster.spool" "$CLUSTER_PUBLIC"): 2 records for $CLUSTER_PUBLIC kept" \
    "kept in the spool of the cluster, named without its password"
: >"$TMP/cluster.err"
# The rest of window 6, read by one push while the migration ends: the
# slot's map is stale inside it, and A's last three results meet MOVED.
{
	gen -q -s ok -N 12 -r "$ALL" -t "$(w 6)" | grep -v "\"$A\""
	gen -q -s half -r "$ALL" -t "$(w 6)"
	gen -q -s down -r "$ALL" -t "$(w 6)" -f http
} >"$TMP/b.6"
gen -q -s "$A" -r ap-southeast-1,sa-east-1,us-west-2 -t "$(w 6)" >"$TMP/c.6"
cat "$TMP/b.6" "$TMP/c.6" | on plain push
finish_migration() {
	local keys p
	while keys=$(rc "$SRC" cluster getkeysinslot "$slot" 100) && [ -n "$keys" ]; do
		# shellcheck disable=SC2086 # the keys are words
		rc "$SRC" migrate 127.0.0.1 "$DST" "" 0 5000 AUTH "$PW" KEYS $keys >/dev/null
	done
	for p in $(masters); do rc "$p" cluster setslot "$slot" node "$(rc "$DST" cluster myid)" >/dev/null; done
}
{
	cat "$TMP/b.6"
	sleep 0.5
	finish_migration
	wait_for 50 cluster_ok "${P[@]}"
	rc "$DST" script flush >/dev/null # and NOSCRIPT there: loaded again, sent again
	cat "$TMP/c.6"
} | MCP_NOW=$(($(w 6) + 1)) on cluster mcp-aggregate push -v -S "$TMP/other.spool"
like "$(cat "$TMP/cluster.err")" "^[^ ]+ push: 68 results stored, 0 duplicates ignored, 0 step records skipped, 0 bad lines, 0 spooled, 0 replayed from the spool$" \
    "slot $slot moved to $DST mid-push: MOVED (and NOSCRIPT) followed inside the round, nothing spooled, no message"
: >"$TMP/cluster.err"

# --- a master killed mid-push: its replica takes over -----------------------------
VICTIM=$(masters | grep -vx "${P[0]}" | head -1)
in_sync() {
	local a b rp
	rp=$(rc "$VICTIM" info replication | sed -n 's/^slave0:.*port=\([0-9]*\).*/\1/p')
	a=$(rc "$VICTIM" info replication | sed -n 's/^master_repl_offset:\([0-9]*\).*/\1/p')
	b=$(rc "$rp" info replication | sed -n 's/^slave_repl_offset:\([0-9]*\).*/\1/p')
	[ -n "$a" ] && [ "$a" = "$b" ]
}
gen -q -s ok -N 12 -r "$ALL" -t "$(w 7)" >"$TMP/in.7"
gen -q -s half -r "$ALL" -t "$(w 7)" -f tools_list >>"$TMP/in.7"
gen -q -s down -r "$ALL" -t "$(w 7)" >>"$TMP/in.7"
on plain push <"$TMP/in.7"
head -n 30 "$TMP/in.7" >"$TMP/d.7"
tail -n +31 "$TMP/in.7" >"$TMP/e.7"
start=$SECONDS
disown "${PID[$VICTIM]}" # no "Killed" from bash: its death is the point
{
	cat "$TMP/d.7"
	sleep 0.5
	wait_for 50 in_sync
	kill -9 "${PID[$VICTIM]}"
	cat "$TMP/e.7"
} | MCP_NOW=$(($(w 7) + 1)) on cluster mcp-aggregate push -v
rc_push=$?
diag "the push across the failover took $((SECONDS - start)) s"
like "$rc_push:$(tail -1 "$TMP/cluster.err")" "^0:[^ ]+ push: [0-9]+ results stored, [0-9]+ duplicates ignored, 0 step records skipped, 0 bad lines, 0 spooled, 2 replayed from the spool$" \
    "master $VICTIM killed mid-push: the push reconnects to the promoted replica, spools nothing, and replayed the spool first"
[ "$rc_push" = 0 ] || diag "$(sed 's/^/  /' "$TMP/cluster.err")"
like "$(head -n -1 "$TMP/cluster.err")" "redis: .*$VICTIM" "the link failure was reported"
: >"$TMP/cluster.err"
is "$(masters | wc -l):$(masters | grep -cx "$VICTIM")" 3:0 "three masters again, the killed one not among them"
is "$(wc -c <"$(spool_of "$TMP/cluster.spool" "$CLUSTER_PUBLIC")")" 0 "the spool is empty"

for s in plain cluster; do verdicts "$s" 6 7; done
same_verdicts 6 7 "verdicts of windows 6 and 7, after the migration and the failover: the same as one redis-server"
for s in plain cluster; do
	cat "$TMP/$s".v.{6,7} | MCP_NOW=$(($(w 7) + 96)) on "$s" mcp-alert -c "$TMP/$s.conf" >"$TMP/$s.alerts"
done
is "$(diff "$TMP/plain.alerts" "$TMP/cluster.alerts"):$(diff <(bodies plain) <(bodies cluster))" ":" \
    "mcp-alert over windows 6 and 7: the same records and bodies"
same_routes 7
is "$(cat "$TMP/plain.err" "$TMP/cluster.err")" "" "no message from any of them"

# --- a window written by the runner that probed it -------------------------------
# The ingest as a CGI program over the cluster: a stolen token writes the
# window first, the runner's results are kept out and audited (in the
# {audit} slot), and the token revoked with --take-back gives the window
# back to them.  Every key a result's script touches is in its slug's slot.
printf 'au-%05d https://mcp.example.com/mcp\n' 1 2 3 >"$TMP/au.targets"
ingest_cgi() { # ingest_cgi REGION TOKEN FILE: the body of the ingest's answer
	GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=POST PATH_INFO="/ingest/$1" \
	    CONTENT_LENGTH=$(wc -c <"$3") HTTP_AUTHORIZATION="Bearer $2" \
	    MCP_INGEST_OVERRIDES=$TMP/au.targets MCP_NOW=$(($(w 20) + 30)) MCP_REDIS=$CLUSTER \
	    mcp-aggregate <"$3" 2>>"$TMP/cluster.err" | sed '1,/^\r$/d'
}
tok_s=$(on cluster mcp-aggregate token add eu-west-2)
tok_r=$(on cluster mcp-aggregate token add eu-west-2)
gen -q -s au -N 3 -r eu-west-2 -t "$(w 20)" -f tls >"$TMP/au.forged"
gen -q -s au -N 3 -r eu-west-2 -t "$(w 20)" >"$TMP/au.real"
is "$(ingest_cgi eu-west-2 "$tok_s" "$TMP/au.forged" | tail -1 | jq -c '[.stored, .conflict]')" "[3,0]" \
    "the ingest over the cluster: the stolen token's 3 results stored first"
is "$(ingest_cgi eu-west-2 "$tok_r" "$TMP/au.real" | tail -1 | jq -c '[.stored, .conflict]')" "[0,3]" \
    "...the runner's 3 kept out as conflicts"
is "$(REDISCLI_AUTH=$PW redis-cli -c -p "${P[0]}" llen 'mcp:{audit}:conflict')" 3 "...audited in the {audit} slot"
MCP_NOW=$(($(w 20) + 30)) on cluster mcp-aggregate token revoke --take-back eu-west-2 "${tok_s%%.*}"
like "$?:$(tail -1 "$TMP/cluster.err")" "^0:.*token ${tok_s%%.*} of eu-west-2: 3 results of windows not yet decided taken back" \
    "token revoke --take-back over the cluster: 3 taken back"
is "$(for i in 1 2 3; do on cluster mcp-aggregate results "au-0000$i" "$(w 20)"; done | awk '{print $2, substr($4, 1, 1)}' | tr '\n' ' ')" \
    "eu-west-2 h eu-west-2 h eu-west-2 h " "...the window holds the runner's results"

# --- the password ------------------------------------------------------------------
MCP_NOW=$(($(w 7) + 95)) mcp-aggregate verdict -R "redis-cluster://:not-$PW@127.0.0.1:${P[0]}" \
    >/dev/null 2>"$TMP/wrong.err"
like "$?:$(cat "$TMP/wrong.err")" "^1:.*(WRONGPASS|invalid)" "a wrong password: refused, exit 1"
mcp-aggregate verdict -R "redis-cluster://:$PW@127.0.0.1:${P[0]}/3" >/dev/null 2>>"$TMP/wrong.err"
like "$?:$(tail -1 "$TMP/wrong.err")" "^2:.*a cluster has database 0 only" "/3 in a cluster URL: a usage error"
is "$(grep -rlF -- "$PW" "$TMP"/*.err "$TMP"/*.alerts "$TMP"/*.v.* "$TMP"/*.page "$TMP"/*.maint "$RECV_LOG" | wc -l)" 0 \
    "the cluster's password is in no output, message or delivery"

done_testing
