# shellcheck shell=bash
# trust.sh - the files that run commands here, trusted as ssh trusts its own
# Sourced by mcp-fleet(8) and mcp-cred(8), which read the same fleet.conf
# and SSH configuration; see SECURITY CONSIDERATIONS in mcp-fleet(8).
#
# The sourcing script defines die MESSAGE (the message on stderr, exit
# $status, else 1), as both tools do.  Everything here refuses through it:
# a refusal is "prog: WHY: refused", exit 2 (trusted_all's STATUS).
#
# trusted FILE [WHAT]  FILE, named WHAT in a message, to be checked.
# trusted_all [STATUS] Check the files gathered by trusted; refuse (exit
#                      STATUS, default 2) the first that is not safe.
# ssh_trust FILE AT    The SSH configuration ssh will read: FILE (-F,
#                      given at AT, "CONF:LINE"), else the user's and the
#                      system's, each file it includes, and the keys and
#                      host keys they name, checked by ssh_conf; trusted_all
#                      is left to the caller for the files named.
# ssh_safe             ssh's options that forbid a local command and any
#                      forwarding, whatever a file says (an array).
# refuse WHY, home_init (sets home), me (the effective uid), owners.
# The names of the globals here (me, home, tr_files, tr_what, ssh_safe)
# are not to be taken by a caller's locals: bash's locals are dynamic, and
# would hide them from these functions.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.

# CONF, the SSH configuration and the files they name decide what runs on
# this host, as whom, and with which key: they are trusted as ssh trusts
# its own.  Each, and every directory above it, is owned by this user or
# root and writable by no one else; a directory with the sticky bit (/tmp)
# may be writable by all, as no one else can rename a file of ours there.
# The directories are those of the path as named, and of every symbolic
# link met on the way as the kernel follows it, each link owned by this
# user or root too: whoever can write where a link is, or own a link in a
# sticky directory, can point it elsewhere once the file is checked.
# A file that is missing is left to the program that reads it.  The files
# are gathered, then checked together: one stat(1) for all (and a
# readlink(1) a link), as a run starts every minute.
me=$EUID
tr_files=()
tr_what=()

# refuse WHY: a file that is not trusted; nothing runs (exit 2, or the
# STATUS of the trusted_all that calls it).
refuse() { status=${tr_status:-2} die "$*: refused"; }

# owners: who may own a trusted file, for a message.
owners() {
	if [ "$me" = 0 ]; then echo root; else echo "$(id -un) (uid $me) or root"; fi
}

# home_init: home, the home directory of this user as ssh finds ~ (its
# passwd entry), once.
home=
home_init() {
	[ -z "$home" ] || return 0
	home=$(getent passwd "$me" | cut -d: -f6) || true
	home=${home:-${HOME:-/}}
}

# trusted FILE [WHAT]: FILE, WHAT for the message, to be checked by
# trusted_all.
trusted() {
	[ -e "$1" ] && [ "$1" != /dev/null ] || return 0
	tr_files+=("$1")
	tr_what+=("${2:+$2 }")
}

# tr_walk FILE: the path the kernel takes to FILE as named (from $PWD
# when relative), each symbolic link on it followed: into tr_w the
# directories it passes through from / on, each link it meets and, last,
# the file it reaches; their kinds (d, l, f) into tr_k.  1 when it does not
# lead to a file (a missing part, more than 40 links).
tr_walk() {
	local rest=$1 cur=/ c p t links=0
	tr_w=(/)
	tr_k=(d)
	[[ $rest == /* ]] || rest=$PWD/$rest
	while :; do
		rest=${rest#"${rest%%[!/]*}"}
		[ -n "$rest" ] || break
		c=${rest%%/*}
		rest=${rest:${#c}}
		case $c in
		.) continue ;;
		..)
			cur=${cur%/*}
			cur=${cur:-/}
			continue
			;;
		esac
		p=${cur%/}/$c
		if [ -L "$p" ]; then
			links=$((links + 1))
			[ "$links" -le 40 ] && t=$(readlink -- "$p") || return 1
			tr_w+=("$p")
			tr_k+=(l)
			[[ $t != /* ]] || cur=/
			rest=$t$rest
			continue
		fi
		[ -e "$p" ] || return 1
		cur=$p
		tr_w+=("$p")
		tr_k+=(d)
	done
	if [ "${tr_w[-1]}" = "$cur" ]; then
		tr_k[-1]=f
	else
		tr_w+=("$cur")
		tr_k+=(f)
	fi
}

# trusted_all [STATUS]: refuse the first file gathered by trusted that is
# not safe, that is under a directory that is not, or that is reached
# through a link that is not, exit STATUS (2).  Each file's path is
# checked from the file back to /.
# shellcheck disable=SC2120 # mcp-fleet passes no STATUS, mcp-cred does
trusted_all() {
	local i j d uid mode at tr_status=${1:-2}
	local -a paths=() w=() k=() first=() tr_w tr_k
	local -A t_uid=() t_mode=()
	[ ${#tr_files[@]} -gt 0 ] || return 0
	for i in "${!tr_files[@]}"; do
		tr_walk "${tr_files[i]}" || refuse "${tr_what[i]}${tr_files[i]}: cannot be resolved"
		first+=(${#w[@]})
		w+=("${tr_w[@]}")
		k+=("${tr_k[@]}")
		for d in "${tr_w[@]}"; do
			[ -n "${t_uid[$d]+x}" ] || paths+=("$d")
			t_uid[$d]=
		done
	done
	first+=(${#w[@]})
	while read -r uid mode d; do
		t_uid[$d]=$uid
		t_mode[$d]=$mode
	done < <(stat -c '%u %a %n' -- "${paths[@]}")
	for i in "${!tr_files[@]}"; do
		for ((j = first[i + 1] - 1; j >= first[i]; j--)); do
			d=${w[j]}
			uid=${t_uid[$d]:-}
			mode=${t_mode[$d]:-}
			case ${k[j]} in
			f) at="${tr_what[i]}${tr_files[i]}:" ;;
			d) at="${tr_what[i]}${tr_files[i]}: in $d," ;;
			l) at="${tr_what[i]}${tr_files[i]}: through the link $d," ;;
			esac
			[ -n "$uid" ] || refuse "${tr_what[i]}${tr_files[i]}: $d: cannot be read"
			[ "$uid" = "$me" ] || [ "$uid" = 0 ] || refuse "$at owned by uid $uid, not by $(owners)"
			# A link's own mode means nothing; a sticky directory keeps
			# others from renaming what is ours in it.
			if [ "${k[j]}" != l ] && ((8#$mode & 8#022)) && { [ "${k[j]}" = f ] || ! ((8#$mode & 8#1000)); }; then
				refuse "$at writable by its group or others (mode $mode)"
			fi
		done
	done
	tr_files=()
	tr_what=()
}

# jump_ok VALUE: a ProxyJump of plain [user@]host[:port] hops, none of
# them an option: ssh builds a command of it, run by a shell here.
jump_ok() {
	local h
	local -a hops
	[[ $1 =~ ^[][A-Za-z0-9@._:,-]+$ ]] || return 1
	IFS=, read -ra hops <<<"$1"
	for h in "${hops[@]}"; do
		[[ -n $h && $h != -* && $h != *@-* ]] || return 1
	done
}

# ssh_conf FILE SYSTEM DEPTH: FILE, a configuration that ssh reads (from
# /etc/ssh when SYSTEM is 1), and the files it includes, DEPTH deep: a
# directive that runs a command on this host, or loads code into ssh, is
# refused with its line, in a Host or Match block or not; the keys and
# host keys it names must be trusted.  Keywords as ssh_config(5) reads
# them: any case, "Key value" or "Key=value", quotes dropped.
ssh_conf() {
	local f=$1 sys=$2 depth=$3 n=0 line key k val uv v1 w g at
	local -a words
	[ -e "$f" ] || return 0
	# Trusted before it is read: what it says counts only then.
	trusted "$f" "ssh configuration"
	trusted_all
	[ -r "$f" ] || refuse "ssh configuration $f: cannot be read"
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		[[ $line =~ ^[[:space:]]*([^[:space:]=]+)[[:space:]]*=?[[:space:]]*(.*[^[:space:]])?[[:space:]]*$ ]] ||
		    continue
		key=${BASH_REMATCH[1]}
		val=${BASH_REMATCH[2]}
		[[ $key != \#* ]] || continue
		k=${key//\"/}
		k=${k,,}
		uv=${val//\"/}
		# The first word: a comment may follow a one-word value.
		read -r v1 _ <<<"$uv" || true
		v1=${v1,,}
		at="$f:$n: $key"
		case $k in
		proxycommand | knownhostscommand)
			[ "${uv,,}" = none ] || refuse "$at runs a command on this host"
			;;
		localcommand) refuse "$at runs a command on this host" ;;
		permitlocalcommand)
			[ "$v1" != yes ] || refuse "$at $val would let LocalCommand run a command on this host"
			;;
		proxyjump)
			jump_ok "$v1" || refuse "$at $val: not a plain [user@]host[:port] list"
			;;
		pkcs11provider)
			[ "$v1" = none ] || refuse "$at loads a library into ssh on this host"
			;;
		securitykeyprovider)
			[ "$v1" = internal ] || refuse "$at loads a library into ssh on this host"
			;;
		match)
			if [[ ${uv,,} =~ (^|[[:space:]])!?exec([[:space:]=]|$) ]]; then
				refuse "$at exec runs a command on this host"
			fi
			;;
		include)
			[ "$depth" -lt 16 ] || refuse "$at: includes nested more than 16 deep"
			read -ra words <<<"$uv"
			for w in "${words[@]}"; do
				case $w in
				\~/*) home_init && w=$home/${w#\~/} ;;
				\~*) refuse "$at $w: another user's home is not checked" ;;
				/*) ;;
				*) if [ "$sys" = 1 ]; then w=/etc/ssh/$w; else home_init && w=$home/.ssh/$w; fi ;;
				esac
				while IFS= read -r g; do
					ssh_conf "$g" "$sys" $((depth + 1))
				done < <(compgen -G "$w" || true)
			done
			;;
		identityfile | certificatefile | userknownhostsfile | globalknownhostsfile | revokedhostkeys)
			read -ra words <<<"$uv"
			for w in "${words[@]}"; do
				[[ $w != \~/* && $w != *%d* ]] || home_init
				case $w in \~/*) w=$home/${w#\~/} ;; esac
				w=${w//'%d'/$home}
				[[ $w != *%u* ]] || w=${w//'%u'/$(id -un)}
				# Another token or a variable: the file depends on the host.
				[[ $w != *[%\$]* && ${w,,} != none ]] || continue
				trusted "$w" "$at"
			done
			;;
		esac
	done <"$f"
}


# ssh_trust FILE AT: the SSH configuration ssh will read: FILE, -F's, given
# at AT ("CONF:LINE"), else the user's and the system's.
ssh_trust() {
	if [ -n "$1" ]; then
		[ -e "$1" ] || status=2 die "$2: ssh_config $1: no such file"
		trusted "$1" "$2: ssh_config"
		ssh_conf "$1" 0 0
	else
		home_init
		ssh_conf "$home/.ssh/config" 0 0
		ssh_conf /etc/ssh/ssh_config 1 0
	fi
}

# ssh keeps the first value it obtains for an option, ours before any
# file's: whatever an SSH configuration says, no LocalCommand or
# KnownHostsCommand runs here, and a runner, which others may reach, gets
# no agent, X11 or port forwarded back to this host.  ProxyCommand=none is
# not given, as ssh would then drop a ProxyJump too (the first of the two
# wins): ssh_conf refuses ProxyCommand in the files ssh reads instead.
# shellcheck disable=SC2034 # read by the scripts that source this
ssh_safe=(-o PermitLocalCommand=no -o KnownHostsCommand=none -o ForwardAgent=no -o ForwardX11=no
    -o ClearAllForwardings=yes)
