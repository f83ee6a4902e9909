#!/usr/bin/env bash
# serve-resolve.t - the store's host name, as mcp-serve resolves it: a
# numeric IPv4 and IPv6 address, localhost, and, in a mount namespace of
# its own where /etc/hosts and /etc/resolv.conf are the test's, a name of
# the hosts file and names in DNS (tests/fixtures/dns.mjs answers), a
# search domain, an unknown name and a nameserver that is not there.  The
# static-pie mcp-serve resolves them itself (serve/resolve.c), the
# others through glibc: the same answers.  The static one never reads
# nsswitch.conf nor loads a shared library to do it.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"

[ -x "$BIN/mcp-serve" ] || skip_all "no $BIN/mcp-serve"
if case $(readelf -lW "$BIN/mcp-serve") in *INTERP*) true ;; *) false ;; esac; then
	static=
	kind="dynamically linked, glibc's resolver"
else
	static=1
	kind="static-pie, serve/resolve.c"
fi
diag "mcp-serve: $kind"

port=$(free_port)
bind=127.0.0.1
v6=
if grep -q ' lo$' /proc/net/if_inet6 2>/dev/null; then
	bind="127.0.0.1 ::1"
	v6=1
fi
redis_in "$TMP" --port "$port" --bind "$bind"

# req HOST [CMD...]: the first line mcp-serve answers with the store at
# HOST:port, run as CGI (under CMD when given); its stderr in $TMP/err.
# An unknown slug is 404 when the store is reached, 503 when it is not.
req() {
	local host=$1
	shift
	"$@" env -i GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET PATH_INFO=/api/embed-status/none \
	    MCP_REDIS="redis://$host:$port" ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" \
	    "$BIN/mcp-serve" </dev/null 2>"$TMP/err" | head -n 1 | tr -d '\r'
}
R=$'Status: 404 Not Found'
U=$'Status: 503 Service Unavailable'

is "$(req 127.0.0.1)" "$R" "the store at 127.0.0.1"
is "$(req localhost)" "$R" "the store at localhost"
if [ -n "$v6" ]; then
	is "$(req '[::1]')" "$R" "the store at [::1]"
else
	diag "the store at [::1] skipped: no IPv6 on lo"
fi
if [ -n "$static" ]; then
	is "$(req store.localhost)" "$R" "the store at store.localhost: loopback, never asked of DNS (RFC 6761)"
	if ! command -v strace >/dev/null; then
		diag "the files it opens skipped: strace is not installed (scripts/deps installs it)"
	elif ! strace -o /dev/null true 2>/dev/null; then
		diag "the files it opens skipped: strace cannot trace here (ptrace is not allowed)"
	else
		is "$(req localhost strace -f -qq -e trace=%file -o "$TMP/strace")" "$R" "localhost, under strace"
		# What mcp-serve opens, not env(1) before it.
		# (The program's own path: env's arguments name mcp-serve too.)
		awk '/execve\("[^"]*mcp-serve"/ { on = 1 } on' "$TMP/strace" >"$TMP/opened"
		is "$(grep -o '"/etc/[a-z.]*"' "$TMP/opened" | sort -u | tr '\n' ' ')" '"/etc/hosts" ' \
		    "it reads /etc/hosts, not nsswitch.conf, and no other file of /etc"
		is "$(grep -c '\.so' "$TMP/opened")" 0 "no shared library, no NSS module opened"
	fi
fi

# In a mount namespace of its own: the test's /etc/hosts and resolv.conf.
if [ "$(id -u)" != 0 ] || ! unshare -m --propagation private true 2>/dev/null; then
	diag "the hosts file and DNS skipped: a mount namespace needs root and unshare(1)"
	done_testing
fi
ns_run() {
	unshare -m --propagation private sh -c \
	    'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/resolv.conf && shift 2 && exec "$@"' \
	    sh "$TMP/hosts" "$TMP/resolv.conf" "$@"
}
net=127.$((RANDOM % 200 + 20)).$((RANDOM % 250 + 1))
dnsaddr=$net.53
node "$TOP/tests/fixtures/dns.mjs" "$dnsaddr" 53 store.dns.test=127.0.0.1 store.corp.test=127.0.0.1 \
    >"$TMP/dns.log" 2>&1 &
bg_pid $!
if ! wait_for 50 grep -q ready "$TMP/dns.log"; then
	ok 1 "dns.mjs on $dnsaddr port 53: $(cat "$TMP/dns.log")"
	done_testing
fi
printf '127.0.0.1 localhost\n127.0.0.1 store.hosts.test\n' >"$TMP/hosts"
printf 'nameserver %s\nsearch corp.test\noptions timeout:2\n' "$dnsaddr" >"$TMP/resolv.conf"

is "$(req store.hosts.test ns_run)" "$R" "a name of /etc/hosts"
is "$(req store.dns.test ns_run)" "$R" "a name in DNS"
is "$(req store ns_run)" "$R" "a name of the search domain (store.corp.test)"
is "$(req nx.dns.test ns_run)" "$U" "an unknown name: 503"
like "$(cat "$TMP/err")" 'redis: nx\.dns\.test:[0-9]+: Name or service not known' "and why"
unlike "$(cat "$TMP/dns.log")" 'query (store\.hosts\.test|localhost)' "no DNS query for the names of /etc/hosts"

# A nameserver that is not there: refused at once, not a wait.
printf 'nameserver %s.54\n' "$net" >"$TMP/resolv.conf"
start=$(date +%s%N)
is "$(req store.dns.test ns_run)" "$U" "no nameserver at $net.54: 503"
ms=$((($(date +%s%N) - start) / 1000000))
like "$(cat "$TMP/err")" 'redis: store\.dns\.test:[0-9]+: Temporary failure in name resolution' "and why"
ok "$([ "$ms" -lt 1500 ] && echo 0 || echo 1)" "without waiting out the timeout ($ms ms)"

done_testing
