#!/usr/bin/env bash
# test: long (the packages built from a clean clone, a Debian 12 root, then about eight minutes of real time)
# timeout: 1800 (the packages, the root, and real minutes up, down, a reboot and up again)
# build: plain (the packages are built from the tree, once)
# nspawn.t - the README's one-host recipe under a real systemd: the
# packages of HEAD and a Debian 12 root with systemd made by mmdebstrap
# from the machine's Debian mirror, booted by systemd-nspawn -b (systemd
# 252 as its PID 1, --register=no --keep-unit: no machined, no systemd on
# the host needed) in a network namespace of the test's own, where a real
# MCP server (server-everything) and a receiver that takes what Slack's
# incoming webhooks take listen too.  Every command of the recipe runs as
# written in the booted system, the two names an operator replaces (the
# server's URL, Slack's webhook) replaced, then MCP_CLOCK=vouched added to
# runner.env as the README's paragraph after the recipe says (a
# container's clock is its host's).  dayone.t emulates systemd; here the
# units run as systemd runs them: their timers at real minute boundaries,
# their sandboxes, their users, their socket.  What is checked: no unit
# failed; / is the status page and /mcp answers, through nginx on port
# 80; mcp-serve.service's IPAddressDeny= enforced (a connection from its
# own cgroup to an address not loopback refused, loopback let through);
# no system call of mcp-serve refused by its SystemCallFilter= (a drop-in
# of the test's makes a refused call kill it, where the unit's EPERM
# would hide it); mcp-aggregate status up; the server stopped, Slack told
# "P1 trigger" in the third minute down; the server up again, then the
# container rebooted with the incident open: the store kept it (the
# recipe's append-only file), the boot paged nothing again, and the
# resolve came once, the outage as long as it was.  The apt cache of the
# root is kept in /var/cache/mcp-uptime-nspawn between runs.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck disable=SC2317 # functions called by wait_for and until_s
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/debroot-lib.sh
. "$TOP/tests/debroot-lib.sh"
case $BIN in
*-san) skip_all "the sanitizer build: the packages are built from the tree, once" ;;
esac
[ "$(id -u)" = 0 ] || skip_all "root is needed (mmdebstrap, systemd-nspawn, ip netns, cgroups)"
for c in systemd-nspawn mmdebstrap dpkg-buildpackage dh git ip nsenter node jq curl flock; do
	command -v "$c" >/dev/null || skip_all "$c is not installed (scripts/deps installs it)"
done
git -C "$TOP" rev-parse HEAD >/dev/null 2>&1 || skip_all "not a git checkout: the packages are built from a clone of HEAD"
debroot_mirror
NS=mcpnsp$$
NAME=mcpnspawn$$
ROOT=$TMP/root
CACHE=${NSPAWN_CACHE:-/var/cache/mcp-uptime-nspawn}
SLACK_PATH=/services/T000/B000/XXXX
# An address of the namespace that is not loopback: what IPAddressAllow=localhost refuses.
OTHER=192.0.2.1

# The container's cgroups: the test's own, in each hierarchy nspawn uses
# (cgroup2, where systemd attaches its BPF firewall, and on a hybrid host
# name=systemd), so that nspawn --keep-unit makes its payload/ and
# supervisor/ there and not at the root, and another run's nspawn is not
# this one's.  Nothing of them outlives the test.
CG2=
CGDIRS=()
if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
	CG2=/sys/fs/cgroup
else
	[ "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ] && CG2=/sys/fs/cgroup/unified
	[ -d /sys/fs/cgroup/systemd ] && CGDIRS+=("/sys/fs/cgroup/systemd/$NAME")
fi
[ -z "$CG2" ] || CGDIRS+=("$CG2/$NAME")

# shellcheck disable=SC2317 # called by the trap
teardown() {
	local d p i
	exec 2>/dev/null # bash's word of each job killed
	# SIGTERM: nspawn has the container's systemd power off.
	if [ -n "${NSPAWN_PID:-}" ] && kill -0 "$NSPAWN_PID"; then
		kill -TERM "$NSPAWN_PID"
		for ((i = 0; i < 50; i++)); do kill -0 "$NSPAWN_PID" || break; sleep 0.1; done
	fi
	# Whatever is left in the test's cgroups, then in its namespace, by pid.
	for i in 1 2 3; do
		for d in "${CGDIRS[@]}"; do
			[ -d "$d" ] || continue
			find "$d" -name cgroup.procs -exec cat {} + | while read -r p; do kill -9 "$p"; done
		done
		ip netns pids "$NS" | xargs -r kill -9
		sleep 0.2
	done
	ip netns del "$NS"
	for d in "${CGDIRS[@]}"; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \;
	done
	rmdir "/run/systemd/nspawn/propagate/$NAME" "/run/systemd/nspawn/propagate/${NAME}p"
	# Never a removal through a mount left in the root.
	grep -q " ${ROOT}[/ ]" /proc/self/mountinfo || cleanup
}
trap teardown EXIT

for d in "${CGDIRS[@]}"; do
	mkdir "$d" || skip_all "no cgroup of the test's own can be made ($d)"
done
# nspawn LOG ARGS...: systemd-nspawn in the test's cgroups, in the
# background (NSPAWN_PID), its output in LOG.
nspawn() {
	local log=$1 d
	shift
	(
		for d in "${CGDIRS[@]}"; do
			echo "$BASHPID" >"$d/cgroup.procs" || exit 97
		done
		exec systemd-nspawn --register=no --keep-unit "$@"
	) </dev/null >>"$log" 2>&1 &
	NSPAWN_PID=$!
}
# Can nspawn make a container here at all (namespaces, mounts)? The
# machine's own /usr, on a root of tmpfs, runs /bin/true.
nspawn "$TMP/nspawn-try.log" -q -M "${NAME}p" -D / --volatile=yes /bin/true
wait "$NSPAWN_PID" || skip_all "systemd-nspawn cannot make a container here: $(grep -v 'propagate' "$TMP/nspawn-try.log" | tail -1)"
NSPAWN_PID=
ip netns add "$NS" 2>/dev/null || skip_all "no network namespace can be made here (ip netns add)"

# --- the packages of HEAD, and a Debian 12 root with systemd ----------------------------
# Both at once.  The root: bookworm's minbase, systemd as its init, dbus,
# curl; apt's lists and cache kept, its cache filled from $CACHE first.
t0=$SECONDS
if [ -n "${MCP_PACKAGES_BUILT:-}" ]; then
	cp -r "$MCP_PACKAGES_BUILT/v1" "$TMP/deb"
else
	"$TOP/build-aux/deb" "$TMP/deb" 2>"$TMP/deb.err" &
	DEB_PID=$!
fi
mkdir -p "$CACHE" "$TMP/archives"
flock -s "$CACHE/.lock" find "$CACHE" -maxdepth 1 -name '*.deb' -exec cp -l -t "$TMP/archives" {} + 2>/dev/null ||
	flock -s "$CACHE/.lock" find "$CACHE" -maxdepth 1 -name '*.deb' -exec cp -t "$TMP/archives" {} +
# shellcheck disable=SC2016 # the hook's "$1" is mmdebstrap's
mmdebstrap --variant=minbase --include=systemd,systemd-sysv,dbus,curl,ca-certificates \
    --skip=essential/unlink,cleanup/apt \
    --setup-hook='mkdir -p "$1/var/cache/apt/archives"' \
    --setup-hook="sync-in $TMP/archives /var/cache/apt/archives" \
    bookworm "$ROOT" "$MIRROR" >"$TMP/mmdebstrap.log" 2>&1
is "$?" 0 "mmdebstrap: a Debian 12 root with systemd, from $MIRROR$(tail -1 "$TMP/mmdebstrap.log" | sed 's/^/: /')"
if [ -n "${DEB_PID:-}" ]; then
	wait "$DEB_PID"
	is "$?" 0 "the packages of HEAD, built from a clean clone$(tail -1 "$TMP/deb.err" 2>/dev/null | sed 's/^/: /')"
fi
diag "the build and the root: $((SECONDS - t0)) s"
if ! [ -x "$ROOT/lib/systemd/systemd" ] || ! ls "$TMP"/deb/mcp-uptime-runner_*.deb >/dev/null 2>&1; then
	done_testing
fi

# The packages where the recipe's "apt install ./build/deb/..." finds
# them, from root's home; what apt will fetch for them fetched now, by
# the machine's network: the namespace has none (the container installs
# from its apt cache, as from the mirror).  The cache keeps what this run
# used, nothing older.
mkdir -p "$ROOT/root/build/deb"
cp "$TMP"/deb/mcp-uptime-runner_*.deb "$TMP"/deb/mcp-uptime-decider_*.deb "$ROOT/root/build/deb/"
chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C DEBIAN_FRONTEND=noninteractive \
    sh -c 'cd /root && apt-get install -y -qq --download-only ./build/deb/mcp-uptime-runner_*.deb ./build/deb/mcp-uptime-decider_*.deb' \
    >"$TMP/download.log" 2>&1
is "$?" 0 "what the recipe installs, in the root's apt cache$(tail -1 "$TMP/download.log" | sed 's/^/: /')"
(
	flock 9
	for f in "$ROOT"/var/cache/apt/archives/*.deb; do
		[ -e "$CACHE/${f##*/}" ] || cp "$f" "$CACHE/"
	done
	for f in "$CACHE"/*.deb; do
		[ -e "$ROOT/var/cache/apt/archives/${f##*/}" ] || rm -f "$f"
	done
) 9>>"$CACHE/.lock"
# apt answers yes, as the operator would at its prompt.
printf 'APT::Get::Assume-Yes "true";\n' >"$ROOT/etc/apt/apt.conf.d/90yes"
# The test's one addition to the units: a system call mcp-serve.service's
# SystemCallFilter= refuses kills it (SIGSYS), where the unit's
# SystemCallErrorNumber=EPERM would let it pass unseen.
mkdir -p "$ROOT/etc/systemd/system/mcp-serve.service.d"
printf '[Service]\nSystemCallErrorNumber=kill\n' >"$ROOT/etc/systemd/system/mcp-serve.service.d/nspawn-test.conf"

# --- the namespace: the server, the receiver, the container -------------------------------
ip -n "$NS" link set lo up && ip -n "$NS" addr add "$OTHER/32" dev lo
ok $? "a network namespace of the test's own: whatever listens, listens there (and $OTHER, not loopback)"
MCP_SRV=$TOP/tests/node_modules/@modelcontextprotocol/server-everything/dist/index.js
start_server() {
	ip netns exec "$NS" env PORT=3001 node "$MCP_SRV" streamableHttp >>"$TMP/everything.log" 2>&1 &
	SRV_PID=$!
	wait_for 150 ip netns exec "$NS" curl -s -o /dev/null --max-time 1 http://127.0.0.1:3001/
}
stop_server() {
	kill "$SRV_PID" 2>/dev/null
	wait "$SRV_PID" 2>/dev/null
}
start_server
ok $? "server-everything, the official MCP server, at the recipe's target"
RECV_LOG=$TMP/receiver.log
: >"$RECV_LOG"
ip netns exec "$NS" node "$TOP/tests/fixtures/receiver.mjs" --port 3002 --port-file "$TMP/recv.port" \
    --log "$RECV_LOG" >"$TMP/recv.err" 2>&1 &
wait_file "$TMP/recv.port" 150
is "$(cat "$TMP/recv.port" 2>/dev/null)" 3002 "a receiver at the recipe's Slack webhook"

# inside CMD...: CMD in the booted container (its PID 1's namespaces), as root.
inside() {
	nsenter -t "$LEADER" -a /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	    LC_ALL=C HOME=/root DEBIAN_FRONTEND=noninteractive "$@"
}
leader() { # LEADER: nspawn's child that is PID 1 in its own namespace
	local c
	for c in $(<"/proc/$NSPAWN_PID/task/$NSPAWN_PID/children"); do
		if awk '$1 == "NSpid:" && NF > 2 && $NF == 1 { f = 1 } END { exit !f }' "/proc/$c/status" 2>/dev/null; then
			LEADER=$c
			return 0
		fi
	done
	return 1
}
booted() { # the container's systemd has finished starting: its state in STATE
	STATE=$(inside systemctl is-system-running --wait 2>/dev/null)
	case $STATE in
	running | degraded | maintenance) return 0 ;;
	esac
	return 1
}
# boot LOG: the root booted under nspawn in the namespace, until its
# systemd says it has started.  nspawn's own system call filter refuses
# bpf() to the container unless it is let through: without it systemd
# finds no BPF firewall, and IPAddressDeny= is silently not enforced.
boot() {
	local d
	for d in "${CGDIRS[@]}"; do
		find "$d" -mindepth 1 -depth -type d -exec rmdir {} \; 2>/dev/null
	done
	nspawn "$1" -M "$NAME" -D "$ROOT" -b --console=read-only --network-namespace-path="/run/netns/$NS" \
	    --system-call-filter=bpf
	wait_for 600 leader && wait_for 1800 booted
}
# until_s SECONDS CMD...: until CMD succeeds, tried every second; 1 if it never does.
until_s() {
	local n=$1
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$n" -gt 0 ] || return 1
		sleep 1
		n=$((n - 1))
	done
}
failed_units() { inside systemctl list-units --failed --plain --no-legend 2>&1 | awk '{ printf "%s ", $1 }'; }

t1=$SECONDS
boot "$TMP/boot1.log"
ok $? "the root booted by systemd-nspawn -b --register=no --keep-unit: systemd is PID 1 ($(inside systemctl --version 2>/dev/null | head -1 | cut -d' ' -f1-2))"
is "${STATE:-}" running "systemctl is-system-running: running$( [ "${STATE:-}" = running ] || echo ": failed: $(failed_units)")"
diag "the boot: $((SECONDS - t1)) s"
# apt-daily may run at a first boot: the recipe's apt waits for no lock.
apt_idle() { ! inside systemctl show -p ActiveState --value apt-daily.service apt-daily-upgrade.service | grep -qx 'activating\|active\|deactivating'; }
until_s 300 apt_idle

# --- the recipe, as the README writes it ------------------------------------------
# The block between "<!-- one-host -->" and "<!-- /one-host -->", its
# fences left out; the server's URL and Slack's webhook replaced by the
# namespace's own.  It runs from root's home, where ./build/deb is.
sed -n '/^<!-- one-host -->$/,/^<!-- \/one-host -->$/p' "$TOP/README.md" | sed '1d;$d' | grep -v '^```' >"$TMP/recipe"
grep -q 'https://mcp.example.com/mcp' "$TMP/recipe" && grep -q "https://hooks.slack.com$SLACK_PATH" "$TMP/recipe" &&
	grep -q '^apt install \./build/deb/' "$TMP/recipe"
ok $? "the README's one-host recipe ($(grep -cv '^\(#.*\|\)$' "$TMP/recipe") commands): the server and the webhook the test replaces, apt install ./build/deb/"
sed -e "s|https://mcp.example.com/mcp|http://127.0.0.1:3001/mcp|" \
    -e "s|https://hooks.slack.com$SLACK_PATH|http://127.0.0.1:3002$SLACK_PATH|" "$TMP/recipe" >"$ROOT/root/recipe.sh"
inside sh -c 'cd /root && exec bash -eux recipe.sh' >"$TMP/recipe.log" 2>&1
rc=$?
is "$rc" 0 "the recipe ran as written in the booted system, every command$( [ "$rc" = 0 ] || tail -3 "$TMP/recipe.log" | tr '\n' ' ' | sed 's/^/: /')"
# The README's paragraph after the recipe: a container's clock is its
# host's, which the operator vouches for.
diag "before the vouch: $(inside runuser -u mcp-probe -- mcp-fleet clock --local 2>&1 | tail -1)"
inside sh -c 'echo MCP_CLOCK=vouched >>/etc/mcp-uptime/runner.env'
ok $? "MCP_CLOCK=vouched added to /etc/mcp-uptime/runner.env, as the README says after the recipe"
is "$(inside systemctl is-active mcp-probe@local.timer mcp-decide.timer mcp-serve.socket redis-server.service nginx.service 2>&1 | tr '\n' ' ')" \
    "active active active active active " "active: the probe's and the decider's timers, the page's socket, Debian's redis-server and nginx"
is "$(inside redis-cli config get appendonly 2>&1 | tail -1)" yes "the store keeps an append-only file, as the recipe set it"

# --- the page, /mcp, and mcp-serve's sandbox -----------------------------------------
page() { inside curl -s --max-time 10 "http://127.0.0.1$1"; }
mcp_post() { # mcp_post METHOD PARAMS-JSON: /mcp through nginx
	inside curl -s --max-time 10 -H 'Content-Type: application/json' \
	    -H 'Accept: application/json, text/event-stream' -H 'MCP-Protocol-Version: 2025-06-18' \
	    --data "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":$2}" http://127.0.0.1/mcp
}
like "$(page /)" '<title>MCP servers: status</title>' "curl http://127.0.0.1/ in the container: the status page, through nginx on port 80"
like "$(mcp_post tools/list '{}')" '"server_status"' "/mcp answers through nginx: tools/list names server_status"
is "$(inside systemctl is-active mcp-serve.service 2>&1)" active "mcp-serve.service started by its socket"
like "$(inside systemctl show -p DropInPaths --value mcp-serve.service 2>&1)" 'nspawn-test\.conf' \
    "...with the test's drop-in: a system call its filter refuses would kill it"
unlike "$(inside systemctl show -p SystemCallErrorNumber --value mcp-serve.service 2>&1)" '^1$' "...not EPERM"
# (each list in no set order)
is "$(inside systemctl show -p IPAddressDeny -p IPAddressAllow mcp-serve.service 2>&1 |
    awk -F= '{ n = split($2, a, " "); for (i = 1; i <= n; i++) print $1 " " a[i] }' | sort | tr '\n' ';')" \
    "IPAddressAllow 127.0.0.0/8;IPAddressAllow ::1/128;IPAddressDeny 0.0.0.0/0;IPAddressDeny ::/0;" \
    "mcp-serve.service: IPAddressDeny=any, IPAddressAllow=localhost"
# in_unit UNIT CMD...: CMD in the unit's own cgroup (the one its BPF
# firewall is attached to), in the namespace.
in_unit() {
	local cg=$CG2/$NAME/payload/system.slice/$1
	shift
	# shellcheck disable=SC2016 # $0 and $$ are the inner shell's
	sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$cg" nsenter --net="/run/netns/$NS" "$@"
}
if [ -z "$CG2" ]; then
	diag "IPAddressDeny= skipped: no cgroup2 hierarchy on this machine, no BPF firewall"
elif [ -r /proc/config.gz ] && ! zgrep -q '^CONFIG_CGROUP_BPF=y' /proc/config.gz; then
	diag "IPAddressDeny= skipped: this kernel has no CONFIG_CGROUP_BPF"
else
	is "$(nsenter --net="/run/netns/$NS" curl -s -o /dev/null --max-time 5 -w '%{http_code}' "http://$OTHER:3001/")" 404 \
	    "the server at $OTHER:3001, not loopback, answers the namespace"
	is "$(in_unit mcp-serve.service curl -s -o /dev/null --connect-timeout 3 --max-time 5 -w '%{http_code}' "http://$OTHER:3001/")" 000 \
	    "...but not mcp-serve.service's cgroup: its IPAddressDeny= is enforced (systemd's BPF firewall)"
	is "$(in_unit mcp-serve.service curl -s -o /dev/null --max-time 5 -w '%{http_code}' http://127.0.0.1:3001/)" 404 \
	    "...which lets loopback through (IPAddressAllow=localhost)"
fi

# --- the minutes: up, down three, up again, with a reboot -----------------------------
# done_in UNIT: how many runs of UNIT ended well in this boot.
done_in() { inside journalctl -q -b -o cat -u "$1" 2>/dev/null | grep -c '^Finished '; }
at_least() { [ "$("$2" "$3")" -ge "$1" ]; }
state() { inside mcp-aggregate status 2>/dev/null | awk '$1 == "everything" { print $2 }'; }
state_is() { [ "$(state)" = "$1" ]; }
json_state() { page /api/embed-status/everything | jq -r .state 2>&1; }
said() { jq -r 'select(.path == "'"$SLACK_PATH"'") | .body | fromjson | .text // ([.blocks[]?.text.text] | join(" "))' "$RECV_LOG" 2>&1; }
# The first probe the clock lets run: the server up in its minute.
t2=$SECONDS
until_s 150 at_least 1 done_in mcp-probe@local.service
ok $? "mcp-probe@local.service ran to its end at the minute, as mcp-probe"
# The server stopped at once: the probe's next three minutes find it down.
stop_server
n=$(done_in mcp-probe@local.service)
until_s 150 state_is up
is "$(state)" up "mcp-aggregate status: everything up, $((SECONDS - t2)) s after the recipe"
is "$(json_state)" up "the page's JSON through nginx: everything up"
like "$(page /)" 'href="/status/everything"' "http://HOST/ is the status page of the servers watched: everything's"
like "$(mcp_post tools/call '{"name":"server_status","arguments":{"slug":"everything"}}')" '\\"state\\":\\"up\\"|"state":"up"' \
    "/mcp through nginx: server_status says everything is up"
is "$(failed_units)" "" "systemctl --failed: none"
# Started again once the third minute down is probed: its verdict, due
# at second 40 of the next minute, confirms the outage.
until_s 300 at_least $((n + 3)) done_in mcp-probe@local.service
start_server
ok $? "server-everything started again, after its third minute down was probed"
wait_for 1500 grep -q 'P1 trigger: everything' "$RECV_LOG"
ok $? "Slack is told, in the third minute down"
is "$(json_state)" down "the page's JSON: everything down"
like "$(said)" '^P1 trigger: everything: connect failing in 1 region' "...'P1 trigger: everything: connect failing in 1 region', as the README says: $(said | head -1)"

# The reboot, the incident open.
inside systemctl reboot >/dev/null 2>&1
wait "$NSPAWN_PID"
is "$?" 133 "systemctl reboot in the container: nspawn ends, its status 133 (a reboot asked)"
t3=$SECONDS
boot "$TMP/boot2.log"
ok $? "the same root booted again ($((SECONDS - t3)) s)"
is "${STATE:-}" running "systemctl is-system-running: running$( [ "${STATE:-}" = running ] || echo ": failed: $(failed_units)")"
until_s 150 at_least 1 done_in mcp-decide.service
ok $? "mcp-decide.service ran to its end after the boot: a verdict"
is "$(grep -c 'P1 trigger: everything' "$RECV_LOG"):$(grep -c 'P1 resolve: everything' "$RECV_LOG")" 1:0 \
    "...and nothing paged again: the store kept the open incident through the reboot"
wait_for 3000 grep -q 'P1 resolve: everything' "$RECV_LOG"
ok $? "the resolve, in the third minute up"
like "$(said | tail -1)" 'everything.*recovered after 3 minutes' "...the outage as long as it lasted (three minutes): $(said | tail -1)"
is "$(grep -c 'P1 trigger: everything' "$RECV_LOG"):$(grep -c 'P1 resolve: everything' "$RECV_LOG")" 1:1 \
    "one trigger and one resolve in all"
is "$(state)" up "mcp-aggregate status: everything up again"
is "$(json_state)" up "the page's JSON, after the reboot: everything up"
like "$(page /)" 'href="/status/everything"' "/ is the status page after the reboot"
is "$(failed_units)" "" "systemctl --failed: none"

# --- the journal of both boots ---------------------------------------------------------
inside journalctl -q -o short-iso --no-pager >"$TMP/journal" 2>&1
is "$(inside journalctl -q --list-boots 2>/dev/null | wc -l)" 2 "the journal holds both boots"
is "$(grep -E 'status=31/SYS|SIGSYS|code=dumped' "$TMP/journal" | head -3)" "" \
    "no unit killed by a system call its filter refuses (mcp-serve.service: SIGSYS, its filter's refusal)"
is "$(inside systemctl show -p Result --value mcp-serve.service 2>&1)" success "mcp-serve.service: result success"
is "$(grep -c 'T000/B000/XXXX' "$TMP/journal")" 0 "the webhook's URL appears nowhere in the journal"
diag "the minutes, from the recipe's end: $((SECONDS - t2)) s; in all: $((SECONDS - t0)) s"

done_testing
