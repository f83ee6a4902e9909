#!/usr/bin/env bash
# test: alone (network namespaces)
# probe-guard-net.t - the guard of registry targets where the network
# matters (issue 39): a runner's own public addresses, with a service on
# 0.0.0.0 and [::] there, refused to a guarded target however it is named
# (an address, its IPv4-mapped form, a connect_to pin), one added while
# the probe runs too, while the operator's own targets still reach it;
# and the operator's ranges inside the IPv6 transition prefixes, and a
# site's own NAT64 prefix (--guard-nat64), against a server those
# addresses really lead to.  Two network namespaces of the test's own,
# joined by a veth pair: "run" is the runner (its public-looking
# addresses 1.2.3.4 and 2a00::1234 exist only there), "lan" the far side
# of its routes to 2001:db8:64::/96 (the site's NAT64 prefix), 64:ff9b::/96
# and 2002::/16.  No route leaves them: nothing leaves the machine.  The
# servers are regional.mjs (the SDK's McpServer) over TLS.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || skip_all "network namespaces need root (ip netns)"
RUN=mcpg$$run
LAN=mcpg$$lan
_net_cleanup() {
	local ns p
	cleanup
	for ns in "$RUN" "$LAN"; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
}
trap _net_cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
# What a test killed harder left behind (named by its pid) goes first.
for ns in $(ip netns list 2>/dev/null | sed -n 's/^\(mcpg[0-9]*\)\(run\|lan\).*/\1\2/p'); do
	pid=${ns#mcpg}
	pid=${pid%???}
	kill -0 "$pid" 2>/dev/null || ip netns del "$ns" 2>/dev/null
done
ip netns add "$RUN" 2>/dev/null && ip netns add "$LAN" || skip_all "ip netns add failed"
in_run() { ip netns exec "$RUN" "$@"; }
in_lan() { ip netns exec "$LAN" "$@"; }
{
	ip -n "$RUN" link set lo up &&
	    ip -n "$LAN" link set lo up &&
	    ip -n "$RUN" link add v type veth peer name v netns "$LAN" &&
	    ip -n "$RUN" addr add 1.2.3.4/32 dev v &&
	    ip -n "$RUN" addr add 2a00::1234/128 dev v nodad &&
	    ip -n "$RUN" addr add fd00:39::1/64 dev v nodad &&
	    ip -n "$LAN" addr add fd00:39::2/64 dev v nodad &&
	    ip -n "$LAN" addr add 2001:db8:64::a00:1/128 dev v nodad &&
	    ip -n "$LAN" addr add 64:ff9b::808:808/128 dev v nodad &&
	    ip -n "$LAN" addr add 2002:808:808::1/128 dev v nodad &&
	    ip -n "$RUN" link set v up &&
	    ip -n "$LAN" link set v up &&
	    ip -n "$RUN" route add 2001:db8:64::/96 via fd00:39::2 &&
	    ip -n "$RUN" route add 64:ff9b::/96 via fd00:39::2 &&
	    ip -n "$RUN" route add 2002::/16 via fd00:39::2 &&
	    ip -n "$LAN" route add default via fd00:39::1
} || skip_all "the namespaces' links and addresses could not be made"

certs_dir=$TMP/certs
bash "$TOP/tests/fixtures/certs.sh" "$certs_dir" \
    "DNS:runner.test,IP:1.2.3.4,IP:1.2.3.5,IP:5.6.7.8,IP:2a00::1234,IP:2001:db8:64::a00:1,IP:64:ff9b::808:808,IP:2002:808:808::1" ||
    skip_all "openssl could not make the certificates"
CA=(--cacert "$certs_dir/ca.pem")
# serve NAME NS HOST: regional.mjs over TLS in NS on HOST; its port in
# $TMP/NAME.port, each request it gets a line of $TMP/NAME.log.
serve() {
	ip netns exec "$2" node "$TOP/tests/fixtures/regional.mjs" --port-file "$TMP/$1.port" --host "$3" \
	    --tls-cert "$certs_dir/good.pem" --tls-key "$certs_dir/good.key" 2>"$TMP/$1.log" &
	bg_pid $!
	wait_file "$TMP/$1.port"
}
# A service of the runner's on every address (0.0.0.0; [::], dual-stack),
# and the far side's server.
serve own4 "$RUN" 0.0.0.0 && serve own6 "$RUN" :: && serve lan "$LAN" :: ||
    skip_all "the servers did not start: $(cat "$TMP"/*.log)"
O4=$(cat "$TMP/own4.port")
O6=$(cat "$TMP/own6.port")
L=$(cat "$TMP/lan.port")
# The number of requests a server has seen.
seen() { grep -c ' POST$' "$TMP/$1.log"; }

result() {
	jq -r --arg s "$2" 'select(.type == "result" and .slug == $s) |
	    "\(.state) \(.failed_step) \(.error.code)"' "$1"
}
message() { jq -r --arg s "$2" 'select(.type == "result" and .slug == $s) | .error.message' "$1"; }
# probe OUT [FLAGS...]: mcp-probe in the runner's namespace, the targets on stdin.
probe() {
	local out=$1
	shift
	in_run mcp-probe -r t -t 10 "${CA[@]}" "$@" -f - >"$TMP/$out" 2>"$TMP/$out.err"
}

# --- the runner's own addresses ------------------------------------------------------
cat >"$TMP/own.in" <<EOF
g-own4 https://1.2.3.4:$O4/mcp guard=public
g-own6 https://[2a00::1234]:$O6/mcp guard=public
g-mapped https://[::ffff:1.2.3.4]:$O6/mcp guard=public
g-pin https://runner.test:$O4/mcp guard=public connect_to=runner.test:$O4:1.2.3.4:$O4
g-any https://[::]:$O6/mcp guard=public
g-anyip https://5.6.7.8:$O4/mcp guard=public
EOF
# A local route to a whole range (AnyIP): every address of it is the runner's.
ip -n "$RUN" route add local 5.6.7.0/24 dev lo
probe own <"$TMP/own.in"
is "$(result "$TMP/own" g-own4) $(message "$TMP/own" g-own4)" \
    "broken connect address_refused 1.2.3.4 is an address of this runner" \
    "a guarded target to the runner's own public IPv4 address: refused, the class named"
is "$(result "$TMP/own" g-own6) $(message "$TMP/own" g-own6)" \
    "broken connect address_refused 2a00::1234 is an address of this runner" "its IPv6 address"
is "$(result "$TMP/own" g-mapped) $(message "$TMP/own" g-mapped)" \
    "broken connect address_refused ::ffff:1.2.3.4 (IPv4 1.2.3.4) is an address of this runner" \
    "the IPv4-mapped form of it"
is "$(result "$TMP/own" g-pin) $(message "$TMP/own" g-pin)" \
    "broken connect address_refused 1.2.3.4 is an address of this runner" \
    "a name pinned to it by connect_to"
is "$(result "$TMP/own" g-any) $(message "$TMP/own" g-any)" "broken connect address_refused :: is unspecified" \
    "[::], which Linux connects to this host, by its class"
is "$(result "$TMP/own" g-anyip) $(message "$TMP/own" g-anyip)" \
    "broken connect address_refused 5.6.7.8 is an address of this runner" \
    "an address of a local route to a range (AnyIP), on no interface"
is "$(seen own4) $(seen own6)" "0 0" "the runner's services saw no request"

printf 'own4 https://1.2.3.4:%s/mcp\nown6 https://[2a00::1234]:%s/mcp\nanyip https://5.6.7.8:%s/mcp\n' \
    "$O4" "$O6" "$O4" | probe mine
is "$(result "$TMP/mine" own4) $(result "$TMP/mine" own6) $(result "$TMP/mine" anyip)" \
    "healthy null null healthy null null healthy null null" \
    "the operator's own targets (no guard key) still reach them"
ok "$([ "$(seen own4)" -gt 0 ] && [ "$(seen own6)" -gt 0 ]; echo $?)" "… and the services saw them"
printf 'g-own4 https://1.2.3.4:%s/mcp guard=public\n' "$O4" | probe allow --guard-allow 1.2.3.4/32
is "$(result "$TMP/allow" g-own4)" "healthy null null" "--guard-allow 1.2.3.4/32 exempts it, as any refused address"

# An address that appears while the probe runs: the kernel is asked at each
# connection, no list read at the start.  With -j 1 the targets go one
# after the other: a guarded one to a server that accepts and never
# answers (the guard has judged an address, and holds its question's
# socket), then, once 1.2.3.5 is added, one to 1.2.3.5.  A run's order is
# its own (a random one): a run that took the late target first tells
# nothing, and is made again with the address taken away.
in_lan python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_INET6)
s.bind(("::", 0))
s.listen()
open(sys.argv[1] + ".tmp", "w").write("%d\n" % s.getsockname()[1])
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
held = []
while True:
    c, _ = s.accept()
    held.append(c)
    with open(sys.argv[2], "a") as f:
        f.write("accepted\n")
' "$TMP/mute.port" "$TMP/mute.accepted" 2>"$TMP/mute.err" &
bg_pid $!
wait_file "$TMP/mute.port" || diag "the mute server did not start: $(cat "$TMP/mute.err")"
: >>"$TMP/mute.accepted"
before=$(seen own4)
printf 'mute https://[64:ff9b::808:808]:%s/mcp guard=public timeout=5\nlate https://1.2.3.5:%s/mcp guard=public\n' \
    "$(cat "$TMP/mute.port")" "$O4" >"$TMP/late.in"
started() { jq -r --arg s "$2" 'select(.type == "result" and .slug == $s) | .probe_started_at' "$1"; }
accepted() { [ "$(wc -l <"$TMP/mute.accepted")" -gt "$1" ]; }
order=
for try in 1 2 3 4 5 6 7 8; do
	ip -n "$RUN" addr del 1.2.3.5/32 dev v 2>/dev/null
	n=$(wc -l <"$TMP/mute.accepted")
	probe late -j 1 <"$TMP/late.in" &
	late_pid=$!
	wait_for 100 accepted "$n" && ip -n "$RUN" addr add 1.2.3.5/32 dev v
	wait "$late_pid"
	order=$(jq -n --argjson m "$(started "$TMP/late" mute)" --argjson l "$(started "$TMP/late" late)" \
	    'if $m < $l then "mute first" else "late first" end' -r 2>/dev/null)
	[ "$order" = "mute first" ] && break
	diag "try $try: the run took the late target first; again"
done
is "$order" "mute first" "a run that took the mute target first (in $try tries)"
is "$(result "$TMP/late" mute)" "broken tls timeout" "the first target held the run, connected"
is "$(result "$TMP/late" late) $(message "$TMP/late" late)" \
    "broken connect address_refused 1.2.3.5 is an address of this runner" \
    "an address added to the runner during the run is refused at once"
is "$(seen own4)" "$before" "… and its service saw nothing"

# --- the operator's ranges in the transition prefixes; a site's NAT64 prefix ---------
cat >"$TMP/lan.in" <<EOF
site https://[2001:db8:64::a00:1]:$L/mcp guard=public
wk https://[64:ff9b::808:808]:$L/mcp guard=public
6to4 https://[2002:808:808::1]:$L/mcp guard=public
EOF
probe lan0 <"$TMP/lan.in"
is "$(result "$TMP/lan0" site) $(result "$TMP/lan0" wk) $(result "$TMP/lan0" 6to4)" \
    "healthy null null healthy null null healthy null null" \
    "without the operator's word, the site's NAT64 address of 10.0.0.1 is public, and all three are reached"
n=$(seen lan)
probe lan1 --guard-nat64 2001:db8:64::/96 --guard-deny 64:ff9b::/96 --guard-deny 2002::/16 <"$TMP/lan.in"
is "$(result "$TMP/lan1" site) $(message "$TMP/lan1" site)" \
    "broken connect address_refused 2001:db8:64::a00:1 (IPv4 10.0.0.1) is private" \
    "--guard-nat64 2001:db8:64::/96: the address is judged by the IPv4 address it carries"
is "$(result "$TMP/lan1" wk) $(message "$TMP/lan1" wk)" \
    "broken connect address_refused 64:ff9b::808:808 (IPv4 8.8.8.8) is in the denied range 64:ff9b::/96" \
    "--guard-deny 64:ff9b::/96 matches the address as connected"
is "$(result "$TMP/lan1" 6to4) $(message "$TMP/lan1" 6to4)" \
    "broken connect address_refused 2002:808:808::1 (IPv4 8.8.8.8) is in the denied range 2002::/16" \
    "--guard-deny 2002::/16 too"
is "$(seen lan)" "$n" "the server saw none of them"
probe lan2 --guard-deny 8.8.8.0/24 --guard-nat64 2001:db8:64::/96 --guard-allow 10.0.0.1 <"$TMP/lan.in"
is "$(result "$TMP/lan2" wk) $(result "$TMP/lan2" 6to4)" \
    "broken connect address_refused broken connect address_refused" \
    "an IPv4 range matches the address unwrapped (NAT64 and 6to4)"
is "$(result "$TMP/lan2" site)" "healthy null null" \
    "an allowed IPv4 address through the site's NAT64 prefix is reached"

done_testing
