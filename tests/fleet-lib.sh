#!/usr/bin/env bash
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck disable=SC2034 # variables set here are read by the scripts that source it
# fleet-lib.sh - regions on one machine, each with a real sshd, for the mcp-fleet tests
# Sourced after lib.sh.
#
# regions_up NAME...   One region per NAME.  As root (ip netns works): a
#                      network namespace per region, joined to this one by
#                      a veth pair, its own address 10.NET.N.2, its sshd on
#                      port 22 there, and an nftables table of its own
#                      (region_nft).  The servers of the tests listen on
#                      SERVER_IP (10.NET.0.1, on lo here), which every
#                      region reaches through its veth link.  Otherwise
#                      (REGIONS_NETNS=0): one sshd per region on a port of
#                      127.0.0.1 and SERVER_IP 127.0.0.1: no faults.
#                      Sets REGION_DEST[NAME] (an ssh destination),
#                      REGION_NS[NAME] (the namespace, or ""),
#                      SSHD_PID[NAME], SSH_CONFIG (ssh -F), REGIONS_NETNS,
#                      RUNNER_BIN: the directory of the mcp-probe the
#                      runners run, a copy of $BIN's in $TMP/bin (mode
#                      755): the checkout may be one the runners' user
#                      cannot enter (root's home, a mktemp -d).
#                      As root the runners log in as a user made for the
#                      test (RUNNER_USER, shell /bin/sh, removed at the
#                      end), not as root: root's shell start-up files are
#                      the machine's, and may do anything (pyenv's rehash
#                      lock once hung every session here).  $TMP is then
#                      open to it (mode 755) for the targets files and
#                      logs of the tests.
# region_nft NAME RULES  Replace the region's nftables rules: RULES is the
#                      body of the chain "output" (hook output) of table
#                      inet mcpt in its namespace, e.g. "ip daddr
#                      10.NET.0.1 drop".  "" removes them.  NET is 64 to
#                      191, of the test's pid: two suites that run at once
#                      on one machine do not share addresses.
# region_exec NAME CMD...  Run CMD in the region's namespace.
# fleet_conf FILE [SETTINGS...]  The start of an mcp-fleet configuration
#                      using SSH_CONFIG, with SETTINGS lines after.

declare -A REGION_DEST=() REGION_NS=() SSHD_PID=()
SERVER_IP=127.0.0.1
_net=10.$((64 + $$ % 128))
_ns_prefix=mcpt$$
_ns_list=()

# Namespaces are removed, and their sshd killed, whatever the test did.
_fleet_cleanup() {
	local ns p
	# mcp-fleet's SSH connection masters (persist)
	pkill -f "^ssh: $TMP/" 2>/dev/null
	for p in "${SSHD_PID[@]}"; do
		kill -CONT "$p" 2>/dev/null
		kill "$p" 2>/dev/null
	done
	for ns in "${_ns_list[@]}"; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
	if [ "${REGIONS_NETNS:-0}" = 1 ]; then
		ip addr del "$SERVER_IP/32" dev lo 2>/dev/null
	fi
	if [ -n "${RUNNER_USER:-}" ]; then
		pkill -KILL -u "$RUNNER_USER" 2>/dev/null
		userdel "$RUNNER_USER" 2>/dev/null
	fi
	cleanup
}
trap _fleet_cleanup EXIT
# Killed by the runner's timeout, the test still cleans up.
trap 'exit 143' TERM
trap 'exit 130' INT

# What a test killed harder left behind (named by its pid) goes first:
# its addresses would shadow ours.
_fleet_stale() {
	local x pid
	for x in $(ip -o link show 2>/dev/null | sed -n 's/^[0-9]*: \(mt[0-9]*v[0-9]*\)@.*/\1/p'); do
		pid=${x#mt}
		pid=${pid%v*}
		kill -0 "$pid" 2>/dev/null || ip link del "$x" 2>/dev/null
	done
	for x in $(ip netns list 2>/dev/null | sed -n 's/^\(mcpt[0-9]*r[0-9]*\).*/\1/p'); do
		pid=${x#mcpt}
		pid=${pid%r*}
		kill -0 "$pid" 2>/dev/null || ip netns del "$x" 2>/dev/null
	done
}

_ssh_keys() {
	local d=$TMP/ssh user
	user=$(id -un)
	if [ "$(id -u)" = 0 ]; then
		RUNNER_USER=mcpt$$
		useradd --system --password "*" --no-create-home --home-dir "$TMP" --shell /bin/sh "$RUNNER_USER" ||
		    return 1
		user=$RUNNER_USER
		chmod 755 "$TMP"
	fi
	mkdir -p "$d"
	chmod 755 "$d"
	ssh-keygen -q -t ed25519 -N '' -f "$d/host" -C host
	ssh-keygen -q -t ed25519 -N '' -f "$d/id" -C fleet
	cp "$d/id.pub" "$d/authorized_keys"
	chmod 644 "$d/authorized_keys"
	: >"$d/known_hosts"
	cat >"$TMP/ssh/config" <<-EOF
	Host *
		User $user
		IdentityFile $d/id
		IdentitiesOnly yes
		UserKnownHostsFile $d/known_hosts
		GlobalKnownHostsFile /dev/null
		StrictHostKeyChecking yes
		PasswordAuthentication no
		KbdInteractiveAuthentication no
	EOF
	SSH_CONFIG=$TMP/ssh/config
}

# _sshd NAME ADDR PORT [NS]: an sshd for NAME; returns when it accepts.
_sshd() {
	local name=$1 addr=$2 port=$3 ns=${4:-} d=$TMP/ssh n=100
	cat >"$d/sshd_$name" <<-EOF
	ListenAddress $addr
	Port $port
	HostKey $d/host
	PidFile $d/sshd_$name.pid
	AuthorizedKeysFile $d/authorized_keys
	StrictModes no
	UsePAM no
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	PermitRootLogin prohibit-password
	AcceptEnv none
	LogLevel ERROR
	EOF
	mkdir -p /run/sshd 2>/dev/null
	if [ -n "$ns" ]; then
		ip netns exec "$ns" /usr/sbin/sshd -D -e -f "$d/sshd_$name" 2>"$d/sshd_$name.log" &
	else
		/usr/sbin/sshd -D -e -f "$d/sshd_$name" 2>"$d/sshd_$name.log" &
	fi
	SSHD_PID[$name]=$!
	echo "$addr $(cut -d' ' -f1,2 "$d/host.pub")" >>"$d/known_hosts"
	[ "$port" = 22 ] || echo "[$addr]:$port $(cut -d' ' -f1,2 "$d/host.pub")" >>"$d/known_hosts"
	while [ "$n" -gt 0 ]; do
		if [ -n "$ns" ]; then
			ip netns exec "$ns" bash -c "exec 3<>/dev/tcp/$addr/$port" 2>/dev/null && return 0
		else
			(exec 3<>"/dev/tcp/$addr/$port") 2>/dev/null && return 0
		fi
		sleep 0.05
		n=$((n - 1))
	done
	diag "sshd for $name did not start: $(cat "$d/sshd_$name.log")"
	return 1
}

# _runner_bin: mcp-probe where the runners reach it; 1 (and why) if they
# cannot run it there.
_runner_bin() {
	local out
	RUNNER_BIN=$TMP/bin
	mkdir -p "$RUNNER_BIN"
	cp "$BIN/mcp-probe" "$RUNNER_BIN/mcp-probe" || return 1
	chmod 755 "$RUNNER_BIN" "$RUNNER_BIN/mcp-probe"
	[ -n "${RUNNER_USER:-}" ] || return 0
	if ! out=$(su -s /bin/sh -c "$RUNNER_BIN/mcp-probe -V" "$RUNNER_USER" 2>&1 </dev/null); then
		diag "the runners' user $RUNNER_USER cannot run $RUNNER_BIN/mcp-probe (is ${TMPDIR:-/tmp} open to it?): $out"
		return 1
	fi
}

regions_up() {
	local name i=0 ns port
	_ssh_keys || return 1
	_runner_bin || return 1
	if [ -z "${REGIONS_NETNS:-}" ]; then
		REGIONS_NETNS=0
		if [ "$(id -u)" = 0 ] && ip netns add "${_ns_prefix}probe" 2>/dev/null; then
			ip netns del "${_ns_prefix}probe"
			REGIONS_NETNS=1
		fi
	fi
	if [ "$REGIONS_NETNS" = 1 ]; then
		_fleet_stale
		SERVER_IP=$_net.0.1
		ip addr add "$SERVER_IP/32" dev lo 2>/dev/null
	fi
	for name in "$@"; do
		i=$((i + 1))
		if [ "$REGIONS_NETNS" = 1 ]; then
			ns=${_ns_prefix}r$i
			ip netns add "$ns" || return 1
			_ns_list+=("$ns")
			REGION_NS[$name]=$ns
			ip link add "mt$$v$i" type veth peer name "mt$$p$i" || return 1
			ip link set "mt$$p$i" netns "$ns"
			ip addr add "$_net.$i.1/30" dev "mt$$v$i"
			ip link set "mt$$v$i" up
			ip netns exec "$ns" ip link set lo up
			ip netns exec "$ns" ip addr add "$_net.$i.2/30" dev "mt$$p$i"
			ip netns exec "$ns" ip link set "mt$$p$i" up
			ip netns exec "$ns" ip route add default via "$_net.$i.1"
			_sshd "$name" "$_net.$i.2" 22 "$ns" || return 1
			REGION_DEST[$name]=$_net.$i.2
		else
			port=$(free_port)
			REGION_NS[$name]=
			_sshd "$name" 127.0.0.1 "$port" || return 1
			REGION_DEST[$name]=$name
			# Host * sets no HostName or Port: this block's apply.
			printf 'Host %s\n\tHostName 127.0.0.1\n\tPort %s\n' "$name" "$port" >>"$SSH_CONFIG"
		fi
	done
}

region_exec() {
	local name=$1
	shift
	if [ -n "${REGION_NS[$name]}" ]; then
		ip netns exec "${REGION_NS[$name]}" "$@"
	else
		"$@"
	fi
}

region_nft() {
	local name=$1 rules=$2
	[ -n "${REGION_NS[$name]}" ] || return 1
	ip netns exec "${REGION_NS[$name]}" nft -f - <<-EOF
	table inet mcpt
	delete table inet mcpt
	table inet mcpt {
		chain output {
			type filter hook output priority 0; policy accept;
			$rules
		}
	}
	EOF
}

fleet_conf() {
	local f=$1
	shift
	{
		echo "ssh_config $SSH_CONFIG"
		echo "state $TMP/fleet-state"
		# Decide at once: these runs are not on a minute's start.
		echo "decide_at 0"
		printf '%s\n' "$@"
	} >"$f"
}
