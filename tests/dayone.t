#!/usr/bin/env bash
# test: long (the packages built from a clean clone, a Debian 12 root: a few minutes)
# timeout: 1500 (debootstrap and the packages' build: a busy machine stretches them)
# build: plain (the packages are built from the tree, once)
# dayone.t - the README's one-host day, run as written by a newcomer, in a
# fresh Debian 12 root made by debootstrap: the packages of HEAD installed
# with apt beside Debian's own redis-server and nginx (their shipped
# configuration, untouched but for what the recipe says), then every
# command of the README's recipe.  No systemd runs in a chroot: the test
# stands in for it, and for nothing else.  The recipe's "systemctl" only
# records what it was asked; the test then starts redis-server and nginx
# by their units' command lines, mcp-serve.socket as a socket on
# mcp-serve's stdin (its unit's user, group and mode), and fires the
# enabled timers' services minute by minute: each unit's ExecStartPre and
# ExecStart, as its User=, in the environment its Environment= and
# EnvironmentFile= lines make (a DynamicUser= as nobody).  The tools'
# clock (MCP_NOW) puts those minutes in the past, so that ten of them take
# seconds.  Everything that serves or listens runs in a network namespace
# of its own: a real MCP server (server-everything) up, then down, then
# up; a receiver that checks what it gets as Slack's incoming webhooks
# take it.  What is checked: one store for every unit (Debian's Redis, as
# installed), the page through nginx up then down then up, the alert and
# its resolve delivered, /mcp answering, the secrets mode 600, and every
# system call mcp-serve makes allowed by its unit's SystemCallFilter=.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/debroot-lib.sh
. "$TOP/tests/debroot-lib.sh"
case $BIN in
*-san) skip_all "the sanitizer build: the packages are built from the tree, once" ;;
esac
[ "$(id -u)" = 0 ] || skip_all "root is needed (debootstrap, chroot, ip netns)"
for c in debootstrap dpkg-buildpackage dh chroot ip git node python3 strace systemd-analyze; do
	command -v "$c" >/dev/null || skip_all "$c is not installed (scripts/deps installs it)"
done
git -C "$TOP" rev-parse HEAD >/dev/null 2>&1 || skip_all "not a git checkout: the packages are built from a clone of HEAD"
NS=mcpday$$
ip netns add "$NS" 2>/dev/null || skip_all "no network namespace can be made here (ip netns add)"
ip netns del "$NS"
V=$(cat "$TOP/VERSION")
ARCH=$(dpkg --print-architecture)
ROOT=$TMP/root

# Nothing of the root may outlive the test: every process whose root it
# is, the namespace, the mounts; then lib.sh's cleanup removes $TMP.
teardown() {
	local p n
	exec 2>/dev/null # bash's word of each job killed
	for n in 1 2 3; do
		for p in /proc/[0-9]*; do
			[ "$(readlink "$p/root" 2>/dev/null)" = "$ROOT" ] && kill -9 "${p#/proc/}" 2>/dev/null
		done
		sleep 0.2
	done
	ip netns pids "$NS" 2>/dev/null | xargs -r kill -9 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	mountpoint -q "$ROOT/proc" && umount -l "$ROOT/proc"
	mountpoint -q "$ROOT/proc" || cleanup
}
trap teardown EXIT

# --- the packages of HEAD, and a Debian 12 root -------------------------------
t0=$SECONDS
debroot_start "$ROOT"
if [ -n "${MCP_PACKAGES_BUILT:-}" ]; then
	cp -r "$MCP_PACKAGES_BUILT/v1" "$TMP/deb"
else
	"$TOP/build-aux/deb" "$TMP/deb" 2>"$TMP/deb.err"
fi
is "$?" 0 "the packages of HEAD, built from a clean clone$(tail -1 "$TMP/deb.err" 2>/dev/null | sed 's/^/: /')"
wait "$DEBROOT_PID"
is "$?" 0 "debootstrap bookworm$(tail -1 "$TMP/debootstrap.log" | sed 's/^/: /')"
diag "the build and debootstrap: $((SECONDS - t0)) s"
[ -x "$ROOT/usr/bin/apt-get" ] && [ -s "$TMP/deb/mcp-uptime-runner_${V}_$ARCH.deb" ] || {
	done_testing
	exit 1
}

# The root as an operator's machine (no daemon started by a package: the
# test starts them below, as their units would); apt answers yes, as the
# operator would at its prompt.
debroot_ready "$ROOT"
printf 'APT::Get::Assume-Yes "true";\n' >"$ROOT/etc/apt/apt.conf.d/90yes"
inroot() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LC_ALL=C DEBIAN_FRONTEND=noninteractive HOME=/root "$@"; }
# innet: the same, in the namespace where everything that listens runs.
innet() { ip netns exec "$NS" chroot "$ROOT" /usr/bin/env -i \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C HOME=/root "$@"; }
inroot apt-get update -qq >"$TMP/apt.log" 2>&1
# systemd's stand-ins, not the operator's: spawn-fcgi puts a listening
# socket on mcp-serve's stdin, as mcp-serve.socket does.
inroot apt-get install -qq --no-install-recommends spawn-fcgi >>"$TMP/apt.log" 2>&1
is "$?" 0 "the root: Debian's archive reached"

# The recipe's "systemctl": what it was asked, for the test to do.
mkdir -p "$ROOT/usr/local/sbin"
cat >"$ROOT/usr/local/sbin/systemctl" <<'EOF'
#!/bin/sh
# The test's stand-in for systemd (dayone.t): it records, the test acts.
echo "$*" >>/run/systemctl.log
EOF
chmod 755 "$ROOT/usr/local/sbin/systemctl"

# --- the recipe, as the README writes it ------------------------------------------
# The block between "<!-- one-host -->" and "<!-- /one-host -->", its
# fences left out; the two names an operator replaces (the server's URL,
# Slack's webhook) replaced by the namespace's own, and the packages'
# paths by where they are here.
mkdir -p "$ROOT/root/deb"
cp "$TMP/deb"/*.deb "$ROOT/root/deb/"
SLACK_PATH=/services/T000/B000/XXXX
sed -n '/^<!-- one-host -->$/,/^<!-- \/one-host -->$/p' "$TOP/README.md" | sed '1d;$d' | grep -v '^```' >"$TMP/recipe"
lines=$(wc -l <"$TMP/recipe")
like "$lines" '^([2-3][0-9]|40)$' "the README's one-host recipe: $lines lines (20 to 40), $(grep -cv '^\(#.*\|\)$' "$TMP/recipe") commands"
grep -q 'https://mcp.example.com/mcp' "$TMP/recipe" && grep -q "https://hooks.slack.com$SLACK_PATH" "$TMP/recipe"
ok $? "the recipe names the server and Slack's webhook the test replaces"
sed -e "s|https://mcp.example.com/mcp|http://127.0.0.1:3001/mcp|" \
    -e "s|https://hooks.slack.com$SLACK_PATH|http://127.0.0.1:3002$SLACK_PATH|" \
    -e "s|\./build/deb/|/root/deb/|g" "$TMP/recipe" >"$ROOT/root/recipe.sh"
(cd "$ROOT/root" && inroot /bin/bash -eux /root/recipe.sh) >"$TMP/recipe.log" 2>&1
rc=$?
is "$rc" 0 "the recipe ran as written, every command$( [ "$rc" = 0 ] || tail -3 "$TMP/recipe.log" | tr '\n' ' ' | sed 's/^/: /')"
state() { inroot dpkg-query -W -f='${Package}:${db:Status-Abbrev}\n' mcp-uptime-runner mcp-uptime-decider redis-server nginx 2>&1 | tr -d ' ' | sort | tr '\n' ' '; }
is "$(state)" "mcp-uptime-decider:ii mcp-uptime-runner:ii nginx:ii redis-server:ii " \
    "installed: both packages, and the redis-server and nginx they recommend"
enabled=$(sed -n 's/^enable --now //p' "$ROOT/run/systemctl.log" 2>/dev/null | tr ' ' '\n' | grep . | sort | tr '\n' ' ')
is "$enabled" "mcp-decide.timer mcp-probe@local.timer mcp-serve.socket " "the recipe enables the probe's and the decider's timers and the page's socket"
is "$(inroot stat -c '%n %a %U' /etc/mcp-uptime/slack.url /etc/mcp-uptime/mcp-alert.conf /etc/mcp-uptime/store.env 2>&1 | tr '\n' ';')" \
    "/etc/mcp-uptime/slack.url 600 mcp-alert;/etc/mcp-uptime/mcp-alert.conf 600 mcp-alert;/etc/mcp-uptime/store.env 600 root;" \
    "the webhook's URL, mcp-alert.conf and the store's setting: mode 600"

# --- systemd's part: the services, as their units say ---------------------------------
# unit NAME INSTANCE [N]: the unit's settings the test needs, one a line:
# "env VAR=VALUE" in the order systemd applies them, "user U", "group G",
# and a socket's "listenstream", "socketuser", "socketgroup",
# "socketmode"; with N, the words of its Nth command (ExecStartPre= lines,
# then ExecStart=, from 0), NUL-separated, and status 1 past the last.
cat >"$TMP/unit.py" <<'EOF'
import os, shlex, sys
root, name, inst = sys.argv[1], sys.argv[2], sys.argv[3]
want = int(sys.argv[4]) if len(sys.argv) > 4 else -1
def lines(path):
    out, cont = [], ''
    for l in open(path):
        l = l.rstrip('\n')
        if l.endswith('\\'):
            cont += l[:-1] + ' '
            continue
        l, cont = cont + l, ''
        if l and l[0] not in '#;[' and '=' in l:
            k, v = l.split('=', 1)
            out.append((k.strip(), v.strip()))
    return out
def spec(w):
    return w.replace('%i', inst).replace('%%', '%').replace('$$', '$')
def envfile(p):
    opt = p.startswith('-')
    p = root + p.lstrip('-')
    if not os.path.exists(p):
        if not opt:
            print('missing', p)
        return
    for l in open(p):
        l = l.strip()
        if not l or l[0] in '#;' or '=' not in l:
            continue
        k, v = l.split('=', 1)
        if len(v) >= 2 and v[0] == v[-1] and v[0] in '"\'':
            v = v[1:-1]
        print('env', k.strip() + '=' + v)
unit = name.replace('@' + inst + '.', '@.') if inst else name
u = lines(root + '/lib/systemd/system/' + unit)
if want >= 0:
    ex = [v for k, v in u if k == 'ExecStartPre'] + [v for k, v in u if k == 'ExecStart']
    if want < len(ex):
        sys.stdout.write('\0'.join(spec(w) for w in shlex.split(ex[want].lstrip('-@+!'))))
    sys.exit(0 if want < len(ex) else 1)
for k, v in u:
    if k == 'Environment':
        for w in shlex.split(v):
            print('env', spec(w))
for k, v in u:
    if k == 'EnvironmentFile':
        envfile(v)
for k, v in u:
    if k in ('User', 'Group'):
        print(k.lower(), v)
    elif k in ('ListenStream', 'SocketUser', 'SocketGroup', 'SocketMode'):
        print(k.lower(), v)
    elif k == 'DynamicUser' and v == 'yes':
        print('user nobody')
        print('group nogroup')
EOF
unit() { python3 "$TMP/unit.py" "$ROOT" "$1" "${2:-}" ${3:+"$3"}; }
# run_unit NAME INSTANCE [VAR=VALUE...]: its ExecStartPre and ExecStart,
# in order, as its user, in its environment with VARs added; the
# output in $TMP/NAME.out, the errors in $TMP/NAME.err; the first
# failure's status.
run_unit() {
	local name=$1 inst=$2 u g n=0
	shift 2
	local -a env=() argv
	mapfile -t env < <(unit "$name" "$inst" | sed -n 's/^env //p')
	u=$(unit "$name" "$inst" | sed -n 's/^user //p')
	g=$(unit "$name" "$inst" | sed -n 's/^group //p')
	env+=("HOME=/" "USER=$u" "LOGNAME=$u" "$@")
	while unit "$name" "$inst" "$n" >"$TMP/argv"; do
		mapfile -d '' -t argv <"$TMP/argv"
		innet runuser -u "$u" -g "${g:-$u}" -- /usr/bin/env -i \
		    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
		    "${env[@]}" "${argv[@]}" >>"$TMP/$name.out" 2>>"$TMP/$name.err" || return
		n=$((n + 1))
	done
}

ip netns add "$NS" && ip -n "$NS" link set lo up
ok $? "a network namespace of the test's own: whatever listens, listens there"
# redis-server and nginx as their Debian units start them (the packages
# would have started them at their install).
mkdir -p "$ROOT/run/redis" && inroot chown redis:redis /run/redis && chmod 2755 "$ROOT/run/redis"
innet runuser -u redis -g redis -- /usr/bin/redis-server /etc/redis/redis.conf --supervised no --daemonize no \
    >"$TMP/redis.out" 2>&1 &
wait_for 100 innet redis-cli ping
ok $? "Debian's redis-server as installed: its /etc/redis/redis.conf, 127.0.0.1:6379"
is "$(innet redis-cli config get appendonly 2>&1 | tail -1)" yes \
    "the store keeps an append-only file, as the recipe sets it: a restart loses no incident"
innet runuser -u mcp-alert -- mcp-alert check >"$TMP/check.out" 2>&1
is "$?:$(grep -c 'append-only' "$TMP/check.out")" "0:0" "mcp-alert check, the store up: no warning of a store that forgets"
innet /usr/sbin/nginx -t -q -g 'daemon on; master_process on;' >"$TMP/nginx.err" 2>&1 &&
	innet /usr/sbin/nginx -g 'daemon on; master_process on;' >>"$TMP/nginx.err" 2>&1
is "$?:$(cat "$TMP/nginx.err")" "0:" "nginx as installed, with the recipe's site: its configuration tested, then started"
# The world: a real MCP server and Slack's receiver, in the namespace.
MCP_SRV=$TOP/tests/node_modules/@modelcontextprotocol/server-everything/dist/index.js
start_server() {
	ip netns exec "$NS" env PORT=3001 node "$MCP_SRV" streamableHttp >>"$TMP/everything.log" 2>&1 &
	SRV_PID=$!
	wait_for 150 ip netns exec "$NS" curl -s -o /dev/null --max-time 1 http://127.0.0.1:3001/
}
start_server
ok $? "server-everything, the official MCP server, at the recipe's target"
ip netns exec "$NS" node "$TOP/tests/fixtures/receiver.mjs" --port 3002 --port-file "$TMP/recv.port" \
    --log "$TMP/slack.log" >"$TMP/recv.err" 2>&1 &
wait_file "$TMP/recv.port" 150
is "$(cat "$TMP/recv.port" 2>/dev/null)" 3002 "a receiver at the recipe's Slack webhook"
: >>"$TMP/slack.log"

# mcp-serve.socket: its socket, by its unit's user, group and mode, on
# the stdin of mcp-serve as its service runs it; MCP_NOW, the tools'
# clock, is the only thing added.  serve_at EPOCH starts it anew.
stop_serve() { # mcp-serve itself (strace, when it watches, ends with it)
	local p
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/exe" 2>/dev/null)" = "$ROOT/usr/bin/mcp-serve" ] && kill "${p#/proc/}" 2>/dev/null
	done
	[ -z "${SERVE_PID:-}" ] || wait "$SERVE_PID" 2>/dev/null
	SERVE_PID=
}
serve_at() {
	local sock su sg sm u
	stop_serve
	sock=$(unit mcp-serve.socket | sed -n 's/^listenstream //p')
	su=$(unit mcp-serve.socket | sed -n 's/^socketuser //p')
	sg=$(unit mcp-serve.socket | sed -n 's/^socketgroup //p')
	sm=$(unit mcp-serve.socket | sed -n 's/^socketmode //p')
	u=$(unit mcp-serve.service | sed -n 's/^user //p')
	rm -f "$ROOT$sock"
	local -a env=()
	mapfile -t env < <(unit mcp-serve.service | sed -n 's/^env //p')
	${STRACE:+strace -f -qq -o "$TMP/serve.strace"} ip netns exec "$NS" chroot "$ROOT" /usr/bin/spawn-fcgi -n \
	    -s "$sock" -U "$su" -G "$sg" -M "$sm" -u "$u" -g nogroup -- \
	    /usr/bin/env -i PATH=/usr/bin:/bin "${env[@]}" MCP_NOW="$1" /usr/bin/mcp-serve >>"$TMP/serve.err" 2>&1 &
	SERVE_PID=$!
	wait_for 100 test -S "$ROOT$sock"
}
page() { innet curl -s --max-time 10 "http://127.0.0.1$1"; }
mcp_call() { # mcp_call TOOL ARGS-JSON: the tool's text, over /mcp through nginx
	innet curl -s --max-time 10 -H 'Content-Type: application/json' \
	    -H 'Accept: application/json, text/event-stream' -H 'MCP-Protocol-Version: 2025-06-18' \
	    --data "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"$1\",\"arguments\":$2}}" \
	    http://127.0.0.1/mcp
}

# --- the minutes: up, down for four, up again ---------------------------------------
# Each minute W: mcp-probe@local.service at W + 1, mcp-decide.service at
# W + 100 (its window decided at second 40 of the minute after).
now=$(date +%s)
A=$((now / 60 * 60 - 1800))
minute() { # minute W: the enabled timers' services of window W
	run_unit mcp-probe@local.service local MCP_NOW=$(($1 + 1)) || echo "probe $1: $?" >>"$TMP/fails"
	run_unit mcp-decide.service "" MCP_NOW=$(($1 + 100)) || echo "decide $1: $?" >>"$TMP/fails"
}
for i in 0 1 2; do minute $((A + i * 60)); done
is "$(cat "$TMP/fails" 2>/dev/null)" "" "three minutes of mcp-probe@local.service and mcp-decide.service, as their users: every run exits 0"
diag "$(sort -u "$TMP/mcp-probe@local.service.err" 2>/dev/null | head -5)"
like "$(innet redis-cli -p 6379 --scan --pattern 'mcp:{everything}:*' 2>&1 | sort | head -3 | tr '\n' ' ')" '^mcp:\{everything\}:' \
    "the verdicts are in Debian's redis-server, the store every unit reads by default"
STRACE=1 serve_at $((A + 2 * 60 + 100))
is "$(page /api/embed-status/everything | jq -r .state 2>&1)" up "the page's JSON through nginx: everything up"
like "$(page /status/everything)" 'everything' "the status page through nginx names the server"
like "$(page /)" 'href="/status/everything"' "http://HOST/ is the status page, as the README says (not a 404)"
like "$(mcp_call server_status '{"slug":"everything"}')" '\\"state\\":\\"up\\"|"state":"up"' "/mcp through nginx: server_status says everything is up"
# Every system call mcp-serve made is one its unit's filter allows.
stop_serve
calls() { # calls @SET: the system calls of a set of systemd's, its sets within expanded
	local w
	systemd-analyze syscall-filter --no-pager "$1" | sed '1d' | while read -r w _; do
		case $w in
		'#'* | '') ;;
		@*) calls "$w" ;;
		*) echo "$w" ;;
		esac
	done
}
allowed() { # the unit's SystemCallFilter=: @system-service less @privileged and @resources
	calls @system-service | sort -u >"$TMP/sys.allow"
	{ calls @privileged; calls @resources; } | sort -u >"$TMP/sys.deny"
	comm -23 "$TMP/sys.allow" "$TMP/sys.deny"
}
grep -q '^SystemCallFilter=@system-service$' "$ROOT/lib/systemd/system/mcp-serve.service" &&
	grep -q '^SystemCallFilter=~@privileged @resources$' "$ROOT/lib/systemd/system/mcp-serve.service"
ok $? "mcp-serve.service filters its system calls: @system-service, less @privileged and @resources"
# The calls of mcp-serve's own process (after spawn-fcgi's exec of env, then of mcp-serve).
awk '/ execve\("\/usr\/bin\/mcp-serve"/ {p[$1] = 1} ($1 in p) && match($0, /^[0-9]+ +[a-z_0-9]+\(/) {s = substr($0, RSTART, RLENGTH - 1); sub(/^[0-9]+ +/, "", s); print s}' \
    "$TMP/serve.strace" 2>/dev/null | sort -u >"$TMP/sys.used"
like "$(wc -l <"$TMP/sys.used")" '^[1-9][0-9]' "strace saw mcp-serve answer the page, the JSON and /mcp ($(wc -l <"$TMP/sys.used") calls)"
is "$(comm -23 "$TMP/sys.used" <(allowed) | tr '\n' ' ')" "" "every one is allowed by the unit's filter"

kill "$SRV_PID" 2>/dev/null
wait "$SRV_PID" 2>/dev/null
sent() { grep -c '"path":"'"$SLACK_PATH"'"' "$TMP/slack.log"; }
said_in() { # said_in FIRST LAST N: the minutes FIRST to LAST; the first after which Slack has N messages
	local i said=
	for ((i = $1; i <= $2; i++)); do
		minute $((A + i * 60))
		[ -z "$said" ] && [ "$(sent)" -ge "$3" ] && said=$i
	done
	echo "$said"
}
# Slack is told once the outage is confirmed (fail_windows, 3 by
# default): in the third minute down, never before.
is "$(said_in 3 6 1)" 5 "Slack is told in the third minute down (the outage confirmed), not before"
hook=$(grep -m1 '"path":"'"$SLACK_PATH"'"' "$TMP/slack.log")
is "$(jq -r '.method + " " + (.headers["content-type"] // "")' <<<"$hook" 2>&1)" "POST application/json" \
    "the alert reached Slack's webhook: a POST of JSON"
text=$(jq -r '.body | fromjson | .text // ([.blocks[]?.text.text] | join(" "))' <<<"$hook" 2>&1)
like "$text" 'everything' "...a Slack message (text or blocks) that names the server: $text"
unlike "$text" 'everything: everything' "...once"
serve_at $((A + 6 * 60 + 100))
is "$(page /api/embed-status/everything | jq -r .state 2>&1)" down "the page's JSON: everything down"
like "$(mcp_call server_status '{"slug":"everything"}')" '\\"state\\":\\"down\\"|"state":"down"' "/mcp: server_status says everything is down"

start_server
ok $? "server-everything started again"
is "$(said_in 7 10 2)" 9 "the resolve in the third minute up (its end confirmed), not before"
resolve=$(grep '"path":"'"$SLACK_PATH"'"' "$TMP/slack.log" | tail -1 | jq -r '.body | fromjson | .text // ([.blocks[]?.text.text] | join(" "))' 2>&1)
like "$resolve" 'everything.*recovered after 4 minutes' "the resolve reached Slack, the outage as long as it lasted (minutes 3 to 6): $resolve"
unlike "$resolve" 'everything: everything' "...the server named once"
serve_at $((A + 10 * 60 + 100))
is "$(page /api/embed-status/everything | jq -r .state 2>&1)" up "the page's JSON: everything up again"
is "$(sent)" 2 "two messages in all: the trigger and its resolve"
is "$(cat "$TMP/fails" 2>/dev/null)" "" "every run of the units exited 0"

# --- a second region, tried on this host: a runner that only dials out ----------------
# The steps of README.Debian, in its order: the ingest knows the targets
# and is enabled; a token of the region, written by token add mode 600
# whatever the umask; the runner's env file names the ingest (plain
# http:// on loopback); its timer enabled.
innet /bin/sh -c 'umask 022 &&
	echo MCP_INGEST_OVERRIDES=/etc/mcp-uptime/targets >>/etc/mcp-uptime/ingest.env &&
	mcp-aggregate token add local2 >/etc/mcp-uptime/token &&
	echo MCP_INGEST=http://127.0.0.1 >>/etc/mcp-uptime/runner.env' 2>"$TMP/token.err"
is "$?:$(inroot stat -c '%a %U' /etc/mcp-uptime/token)" "0:600 root" "token add local2 >/etc/mcp-uptime/token under umask 022: mode 600"
unlike "$(cat "$TMP/token.err")" "$(cut -c10- "$ROOT/etc/mcp-uptime/token")" "...and the secret only in that file"
# mcp-ingest.socket, as mcp-serve.socket above; the runner's credential
# where systemd's LoadCredential= puts it, readable by the unit's user.
# The ingest takes the clock of its request (a runner more than 60 s off
# is refused): this minute is the real one.
isock=$(unit mcp-ingest.socket | sed -n 's/^listenstream //p')
mapfile -t ienv < <(unit mcp-ingest.service | sed -n 's/^env //p')
ip netns exec "$NS" chroot "$ROOT" /usr/bin/spawn-fcgi -n -s "$isock" \
    -U "$(unit mcp-ingest.socket | sed -n 's/^socketuser //p')" -G "$(unit mcp-ingest.socket | sed -n 's/^socketgroup //p')" \
    -M "$(unit mcp-ingest.socket | sed -n 's/^socketmode //p')" -u nobody -g nogroup -- \
    /usr/bin/env -i PATH=/usr/bin:/bin "${ienv[@]}" /usr/bin/mcp-aggregate ingest >>"$TMP/ingest.err" 2>&1 &
wait_for 100 test -S "$ROOT$isock"
ok $? "mcp-ingest.socket: its socket, mcp-aggregate ingest on it"
cred=/run/credentials/mcp-runner@local2.service
mkdir -p "$ROOT$cred"
install -m 400 -o "$(inroot id -u mcp-probe)" "$ROOT/etc/mcp-uptime/token" "$ROOT$cred/token"
: >"$TMP/fails"
# The probe's window is the minute it started in: this one, or the next
# should the minute turn before it starts (a loaded machine).
W=$(($(date +%s) / 60 * 60))
run_unit mcp-runner@local2.service local2 CREDENTIALS_DIRECTORY=$cred
is "$?" 0 "mcp-runner@local2.service as its unit runs it: targets from the ingest, probe, push --to http://127.0.0.1$(tail -1 "$TMP/mcp-runner@local2.service.err" 2>/dev/null | sed 's/^/: /')"
like "$(innet runuser -u mcp-alert -- mcp-aggregate results everything $W $((W + 60)) 2>&1 | awk '$2 == "local2" {print $2, $4}' | tr '\n' ' ')" \
    '^local2 h[^ ]* $' "the runner's result of the minute, in the store through the ingest: region local2, healthy"
# No secret in what the units printed.
unlike "$(cat "$TMP"/*.out "$TMP"/*.err 2>/dev/null)" 'T000/B000/XXXX' "the webhook's URL appears in no output of the units"

done_testing
