#!/usr/bin/env bash
# test: alone (network namespaces and nftables)
# ingest-net.t - pattern A with no tunnel and no SSH: three runners, each
# in a network namespace whose only ways out are the deciding host's
# HTTPS port and the MCP servers it probes (nftables), and into which no
# one can dial (as behind a NAT).  Each holds a token file of its region,
# the CA of the door, mcp-probe and mcp-aggregate; nothing else.  The
# deciding host: nginx with TLS, mcp-aggregate ingest, mcp-serve, a real
# redis-server with a password on its TCP port.  Shown: the runners feed
# the fleet and the verdicts come out; the store, SSH and the runners are
# out of each other's reach; a stolen token harms its own region's
# results and nothing else; the deciding host down for ten minutes loses
# nothing; killed mid-batch, it loses nothing and counts nothing twice.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ingest-lib.sh
. "$TOP/tests/ingest-lib.sh"

export PATH="$PATH:/usr/sbin"
for t in nginx spawn-fcgi fcgiwrap nft jq; do
	command -v "$t" >/dev/null || skip_all "$t is not installed (scripts/deps installs it)"
done
[ "$(id -u)" = 0 ] && ip netns add "ingt$$probe" 2>/dev/null && ip netns del "ingt$$probe" ||
    skip_all "network namespaces need root and ip netns: the door itself is covered by ingest.t"

NET=10.$((64 + $$ % 128))
HOST=$NET.0.1
REGIONS="eu-west-2 us-east-1 ap-southeast-1"
declare -A NS=() ADDR=()
_ns=()
_net_cleanup() {
	local ns p
	for ns in "${_ns[@]}"; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null
	done
	ip addr del "$HOST/32" dev lo 2>/dev/null
	cleanup
}
trap _net_cleanup EXIT
trap 'exit 143' TERM
ip addr add "$HOST/32" dev lo

# runner_ns NAME I: a namespace joined to this one by a veth pair, its
# address $NET.I.2, its default route through $NET.I.1.
runner_ns() {
	local name=$1 i=$2 ns=ingt$$r$2
	ip netns add "$ns" || return 1
	_ns+=("$ns")
	NS[$name]=$ns
	ADDR[$name]=$NET.$i.2
	ip link add "it$$v$i" type veth peer name "it$$p$i" || return 1
	ip link set "it$$p$i" netns "$ns"
	ip addr add "$NET.$i.1/30" dev "it$$v$i"
	ip link set "it$$v$i" up
	ip netns exec "$ns" ip link set lo up
	ip netns exec "$ns" ip addr add "$NET.$i.2/30" dev "it$$p$i"
	ip netns exec "$ns" ip link set "it$$p$i" up
	ip netns exec "$ns" ip route add default via "$NET.$i.1"
}
# walls NAME PORTS: out, only to the host's PORTS; in, nothing that the
# runner did not start.
walls() {
	ip netns exec "${NS[$1]}" nft -f - <<-EOF
	table inet mcpt
	delete table inet mcpt
	table inet mcpt {
		chain output {
			type filter hook output priority 0; policy drop;
			oif lo accept
			ip daddr $HOST tcp dport { $2 } accept
		}
		chain input {
			type filter hook input priority 0; policy drop;
			iif lo accept
			ct state established,related accept
		}
	}
	EOF
}
in_ns() { local n=$1; shift; ip netns exec "${NS[$n]}" "$@"; }

i=0
for r in $REGIONS; do
	i=$((i + 1))
	runner_ns "$r" "$i" || skip_all "the namespace of $r could not be made"
done

# The deciding host: the store with a password on its TCP port (what a
# runner of before held), and the door.
RPORT=$(free_port)
start_redis --port "$RPORT" --bind "$HOST" --requirepass "store-password-$$"
export MCP_REDIS="unix://$REDIS_SOCK?password=store-password-$$"
rcli() { redis-cli -s "$REDIS_SOCK" --no-auth-warning -a "store-password-$$" "$@"; }
export MCP_SPOOL=$TMP/host-spool/aggregate.jsonl
node "$TOP/tests/fixtures/regional.mjs" --port-file "$TMP/calm.port" --host "$HOST" --tools v2 \
    2>"$TMP/calm.log" &
bg_pid $!
wait_file "$TMP/calm.port" || skip_all "the MCP server did not start: $(cat "$TMP/calm.log")"
GONE=$(free_port) # nobody listens there: broken at connect, from everywhere
{
	printf 'calm http://%s:%s/mcp timeout=5\n' "$HOST" "$(cat "$TMP/calm.port")"
	printf 'gone http://%s:%s/mcp timeout=5\n' "$HOST" "$GONE"
	awk 'BEGIN { for (i = 1; i <= 6000; i++) printf "big-%05d https://mcp.example.com/mcp\n", i }'
} >"$INGEST_OVERRIDES"
start_ingest fcgi "$HOST" || skip_all "the door did not start"
DOOR=${INGEST##*:}
for r in $REGIONS; do
	walls "$r" "$DOOR, $(cat "$TMP/calm.port"), $GONE" || skip_all "nftables refused the rules"
	token "$r"
	# What a runner holds: its token file, the CA, its spool.  Nothing else.
	mkdir -p "$TMP/runner-$r"
	cp "$TMP/tok.$r" "$TMP/runner-$r/token" && cp "$INGEST_CA" "$TMP/runner-$r/ca.pem"
done

# ------------------------------------------------------------ the walls
r=eu-west-2
# Dropped: a connect that would hang; one let through the kernel completes at once.
in_ns "$r" timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$RPORT" 2>/dev/null
is "$?" 124 "from a runner, the store's port does not answer (dropped)"
in_ns "$r" timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/22" 2>/dev/null
is "$?" 124 "from a runner, no SSH to the deciding host"
in_ns "$r" curl -s -o /dev/null -w '%{http_code}' --max-time 10 --cacert "$INGEST_CA" "$INGEST/healthz" >"$TMP/hz"
like "$(cat "$TMP/hz")" '^(200|503)$' "from a runner, the door's HTTPS port answers"
in_ns "$r" python3 -m http.server --bind "${ADDR[$r]}" 8088 >/dev/null 2>&1 &
bg_pid $!
wait_for 50 in_ns "$r" bash -c "exec 3<>/dev/tcp/${ADDR[$r]}/8088"
timeout 2 bash -c "exec 3<>/dev/tcp/${ADDR[$r]}/8088" 2>/dev/null
is "$?" 124 "into a runner, nobody dials: a port it listens on does not answer from outside"

# ------------------------------------------------------------ a minute
NOW=$(date +%s)
W=$((NOW / 60 * 60))
# minute R M [PUSH ARGS]: runner R's cron line, its probes started M
# minutes before the current one (the runner's clock, which the door
# checks, is the real one).
minute() {
	local r=$1 m=$2 d
	d=$TMP/runner-$r
	shift 2
	in_ns "$r" env MCP_SPOOL="$d/spool/aggregate.jsonl" bash -c '
	    mcp-aggregate targets --from "$1/targets/$2" --token-file "$3/token" --cacert "$3/ca.pem" |
	    grep -v "^big-" | MCP_NOW=$4 mcp-probe -r "$2" -f - | tee "$3/probe.$4" |
	    mcp-aggregate push --to "$1/ingest/$2" --token-file "$3/token" --cacert "$3/ca.pem" -v "${@:5}"
	    exit "${PIPESTATUS[3]}"' - "$INGEST" "$r" "$d" $((W - 60 * m + 1)) "$@" \
	    2>>"$d/err"
}
# each M [PUSH ARGS]: every region's minute M at once.
each() {
	local r pids=()
	for r in $REGIONS; do
		minute "$r" "$@" &
		pids+=($!)
	done
	wait "${pids[@]}"
}
each 3
for r in $REGIONS; do
	is "$(res_regions calm $((W - 180)) | grep -c "$r")" 1 "$r's runner, from behind its walls: its result of calm stored"
done
MCP_NOW=$((W - 180 + 95)) mcp-aggregate verdict calm gone >"$TMP/v3"
is "$(jq -r '.slug + " " + .verdict + " " + (.reporters | length | tostring)' "$TMP/v3" | tr '\n' ' ')" \
    "calm green 3 gone red 3 " "the verdicts: calm green, gone red, three regions reporting"

# ------------------------------------------------------------ a stolen token
# us-east-1's token in other hands: it cannot speak for eu-west-2, cannot
# make slugs, and what it can do to its own region's results the
# two-of-N rule absorbs.
cp "$TMP/runner-us-east-1/token" "$TMP/stolen"
"$TOP/tests/gen-scenario.sh" -q -s calm -r eu-west-2 -t $((W - 120)) -f connect >"$TMP/forged-eu"
in_ns eu-west-2 mcp-aggregate push --to "$INGEST/ingest/eu-west-2" --token-file "$TMP/stolen" \
    --cacert "$INGEST_CA" --linger 0 <"$TMP/forged-eu" 2>"$TMP/stolen.err"
like "$(cat "$TMP/stolen.err")" 'the ingest refused the token \(401\)' "us-east-1's token for eu-west-2: refused"
printf 'Authorization: Bearer %s\n' "$(cat "$TMP/stolen")" >"$TMP/auth.stolen"
chmod 600 "$TMP/auth.stolen"
AUTH=$TMP/auth.stolen post us-east-1 "$TMP/forged-eu"
is "$(jq -r 'select(.status == "refused") | .line' "$RB" | wc -l)" 1 \
    "eu-west-2's records sent to us-east-1's door with its token: refused"
"$TOP/tests/gen-scenario.sh" -q -s evil -r us-east-1 -t $((W - 120)) -f tools_list >"$TMP/evil"
AUTH=$TMP/auth.stolen post_final us-east-1 "$TMP/evil"
like "$(jq -r 'select(.line == 1) | .reason' "$RB")" 'not a target of the fleet' "a slug of its own making: refused"
is "$(rcli zscore mcp:slugs evil)" "" "...no slug made"
"$TOP/tests/gen-scenario.sh" -q -s calm -r us-east-1 -t $((W - 120)) -f tools_list >"$TMP/forged-us"
AUTH=$TMP/auth.stolen post us-east-1 "$TMP/forged-us"
is "$(jq -r 'select(.line == 1) | .status' "$RB")" stored "us-east-1's own result of calm, forged broken: stored (its region's)"
minute eu-west-2 2 & p1=$!
minute ap-southeast-1 2
wait $p1
MCP_NOW=$((W - 120 + 95)) mcp-aggregate verdict calm >"$TMP/v2"
is "$(jq -r '.verdict + " " + .severity + " " + (.failed_regions | join(","))' "$TMP/v2")" \
    "amber regional us-east-1" "calm: amber, one region failing: no page for one region's forged results"

# ------------------------------------------------------------ a flood without a token
# Anyone who knows a region's name (every verdict names its reporters)
# floods /ingest/eu-west-2 with no token, from another machine: nginx's
# zone counts the flood against its own address, and eu-west-2's runner
# is answered all the same.
for _ in $(seq 100); do
	printf 'url = "%s/ingest/eu-west-2"\noutput = "/dev/null"\n' "$INGEST"
done >"$TMP/flood.cfg"
# 100 requests at a time, 20 at once, until the runner has been answered.
in_ns us-east-1 bash -c 'until [ -e "$1.stop" ]; do
	curl -s -Z --parallel-max 20 --cacert "$2" -X POST --data x -w "%{http_code}\n" -K "$1.cfg" 2>/dev/null
done' - "$TMP/flood" "$INGEST_CA" >"$TMP/flood" &
pf=$!
wait_for 600 bash -c "[ \$(grep -c 429 '$TMP/flood') -ge 20 ]"
printf 'Authorization: Bearer %s\n' "$(cat "$TMP/runner-eu-west-2/token")" >"$TMP/auth.eu-west-2"
chmod 600 "$TMP/auth.eu-west-2"
"$TOP/tests/gen-scenario.sh" -q -s calm -r eu-west-2 -t $((W - 1200)) >"$TMP/calm-eu"
fl=$(in_ns eu-west-2 curl -s -o "$TMP/flood.answer" -w '%{http_code}' --cacert "$INGEST_CA" \
    -H @"$TMP/auth.eu-west-2" --data-binary @"$TMP/calm-eu" "$INGEST/ingest/eu-west-2")
touch "$TMP/flood.stop"
wait $pf
is "$fl:$(jq -r 'select(.line == 1) | .status' "$TMP/flood.answer")" 200:stored \
    "a tokenless flood of /ingest/eu-west-2 from another address: eu-west-2's runner stored all the same"
ok "$([ "$(grep -c 429 "$TMP/flood")" -ge 20 ] && echo 0 || echo 1)" \
    "...while the flood went on, held to its own address ($(grep -c 429 "$TMP/flood") of $(wc -l <"$TMP/flood") answered 429)"

# ------------------------------------------------------------ ten minutes down
# The host is down for minutes 13 to 4 before now: every runner runs its
# minute regardless, keeps its results, and sends them when the host is
# back, before its own.
stop_ingest
for m in $(seq 13 -1 4); do
	each "$m" --linger 1
done
for r in $REGIONS; do
	like "$(tail -2 "$TMP/runner-$r/err" | head -1)" 'kept for the next push' "$r: the host down, its results kept in its spool"
done
like "$(cat "$TMP/runner-eu-west-2/err")" 'targets: the list of the last run' "...and its targets from the last list"
restart_ingest
each 1
for r in $REGIONS; do
	like "$(tail -1 "$TMP/runner-$r/err")" 'push: 22 results stored, 0 duplicates ignored, .* 0 spooled, 20 replayed from the spool' \
	    "$r: back, the ten minutes sent first, then its own: all stored once"
done
n=0
for m in $(seq 13 -1 1); do
	k=$(res_lines calm $((W - 60 * m)) | wc -l)
	n=$((n + k))
done
# Minutes 13 to 4 and 1, three regions each; 3 and 2 as above.
is "$n" 39 "calm: every region's result of every minute, none lost"
[ "$n" = 39 ] || for m in $(seq 13 -1 1); do diag "minute $m: $(res_regions calm $((W - 60 * m)))"; done
[ "$n" = 39 ] || for r in $REGIONS; do
	diag "$r: $(grep -v "Failed to connect\|last run\|kept for" "$TMP/runner-$r/err")"
	diag "$r: minute 2: $(wc -l <"$TMP/runner-$r/probe.$((W - 119))") lines: $(grep '"type":"result"' "$TMP/runner-$r/probe.$((W - 119))")"
done

# ------------------------------------------------------------ killed mid-batch
"$TOP/tests/gen-scenario.sh" -q -s big -N 6000 -r ap-southeast-1 -t $((W - 60)) >"$TMP/big"
MCP_REDIS="unix://$REDIS_SOCK?db=1&password=store-password-$$" MCP_SPOOL=$TMP/ref.jsonl mcp-aggregate push <"$TMP/big"
in_ns ap-southeast-1 env MCP_SPOOL="$TMP/runner-ap-southeast-1/spool/aggregate.jsonl" \
    mcp-aggregate push -v --to "$INGEST/ingest/ap-southeast-1" --token-file "$TMP/runner-ap-southeast-1/token" \
    --cacert "$INGEST_CA" <"$TMP/big" 2>"$TMP/big.err" &
pb=$!
wait_for 300 bash -c "[ \$(redis-cli -s $REDIS_SOCK --no-auth-warning -a store-password-$$ zcount mcp:slugs $((W - 60)) $((W - 1))) -ge 1 ]"
stop_ingest
mid=$(rcli zcount mcp:slugs $((W - 60)) $((W - 1)))
sleep 2
restart_ingest
wait $pb
is "$?" 0 "the host killed under a runner's batch ($mid of 6,000 stored), then back: the runner ends well"
bigdump() {
	redis-cli -s "$REDIS_SOCK" --no-auth-warning -a "store-password-$$" -n "$1" --no-raw eval "$_dump_lua" 0 'mcp:{big-*' mcp:ingest: |
	    sed 's/^ *[0-9]*) //' | grep -v '}:rw:' # which token wrote each: the ingest's alone
}
bigdump 0 >"$TMP/big0"
bigdump 1 >"$TMP/big1"
is "$(wc -l <"$TMP/big0"):$(diff "$TMP/big1" "$TMP/big0" | head -3)" "$(wc -l <"$TMP/big1"):" \
    "every result stored once, as one local push of them: no counter twice"

# ------------------------------------------------------------ secrets
# Each secret a fixed string of its own (-e): one may begin with "-".
secrets=()
while read -r s; do secrets+=(-e "$s"); done < <(cat "$TMP"/tok.* | cut -d. -f2)
# (The door's nginx.conf names the store, password and all: it is the
# deciding host's.)
is "$(grep -rlF "${secrets[@]}" -e store-password "$TMP" --exclude='tok.*' --exclude='auth.*' --exclude=token \
    --exclude=stolen --exclude=nginx.conf 2>/dev/null)" "" "no token and no store password in any log, spool or output"
# A failure says what the door said.
[ "$_failed" = 0 ] || diag "the ingest's stderr: $(tail -20 "$INGEST_ERR") nginx: $(grep -v '\[info\]\|\[notice\]' "$INGEST_LOG" | tail -5)"
done_testing
