#!/usr/bin/env bash
# test: alone (network namespaces, sshd or timing that a second test would disturb)
# build: plain (its checks are of the plain build: the sanitizer build skips it)
# mcp-cred.t - the probe token to every runner over real sshd: the push (atomic,
# mode 0600, owned by the runner's user), a hung and a refused region, check's
# fingerprints, a rotation under a reader, the refusals (among them the
# files that decide where the token goes, and SSH directives that run a
# command here), and the token in no output, file or process list
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/fleet-lib.sh
. "$TOP/tests/fleet-lib.sh"
case $BIN in
*-san) skip_all "the sanitizer build: mcp-cred is bash and runs none of the C tools" ;;
esac
cred() { TMPDIR=$TMP/work "$TOP/scripts/mcp-cred" "$@"; }

command -v sshd >/dev/null || [ -x /usr/sbin/sshd ] || skip_all "no sshd (openssh-server): scripts/deps installs it"
regions_up east west south hang refused || skip_all "the regions' sshd did not start"
kill -STOP "${SSHD_PID[hang]}"
kill "${SSHD_PID[refused]}"
wait "${SSHD_PID[refused]}" 2>/dev/null
mkdir -p "$TMP/work"
user=${RUNNER_USER:-$(id -un)}
# Each runner's token directory, its user's.
for r in east west south hang refused; do
	mkdir -p "$TMP/cred/$r"
	chmod 700 "$TMP/cred/$r"
	[ -z "${RUNNER_USER:-}" ] || chown "$RUNNER_USER" "$TMP/cred/$r"
done
# Two tokens, written by builtins: never on a command line.
tok1=mcpt1-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
tok2=mcpt2-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$tok1" >"$TMP/tok1"
printf '%s' "$tok2" >"$TMP/tok2"
chmod 600 "$TMP/tok1" "$TMP/tok2"
fp1=$(head -c ${#tok1} "$TMP/tok1" | sha256sum | cut -c1-12)
fp2=$(sha256sum <"$TMP/tok2" | cut -c1-12)
region() { echo "region $1 ${REGION_DEST[$1]} token=$TMP/cred/$1/token${2:+ $2}"; }
fleet_conf "$TMP/all.conf" "deadline 3" "connect_timeout 30" \
    "$(region east)" "$(region west "-- -j 4")" "$(region south)" "$(region hang)" "$(region refused)"
fleet_conf "$TMP/up.conf" "deadline 5" "$(region east)" "$(region west)" "$(region south)"
fleet_conf "$TMP/two.conf" "deadline 5" "$(region east)" "$(region west)"

# Every process list while a push runs, for the token.
ps_watch() {
	while :; do
		ps -eo args >>"$TMP/ps.log"
		sleep 0.02
	done
}

# --- usage and the configuration ------------------------------------------------
cred -x 2>"$TMP/out.usage"
is "$?:$(cat "$TMP/out.usage")" "2:mcp-cred: -x: unknown option
usage: mcp-cred [-n] [-c CONF] push TOKEN_FILE | check [TOKEN_FILE]
See mcp-cred(8) for the manual." "usage: the option named, the manual"
cred -c "$TMP/all.conf" push 2>/dev/null
is "$?" 2 "push without a token file: usage"
if command -v mandoc >/dev/null; then
	s=$(MANWIDTH=200 mandoc -Tascii -O width=200 "$TOP/man/mcp-cred.8" | col -b |
	    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | tr -s ' \n' '  ' | sed 's/^ *//;s/ *$//')
	is "$(sed -n 's/^usage: //p' "$TMP/out.usage")" "$s" "usage() matches SYNOPSIS"
else
	diag "mcp-cred(8)'s SYNOPSIS skipped: no mandoc here"
fi
conf_err() {
	printf '%s\n' "$@" >"$TMP/bad.conf"
	local out
	out=$(cred -c "$TMP/bad.conf" -n push "$TMP/tok1" 2>&1 >/dev/null)
	echo "$out rc=$?"
}
is "$(conf_err 'region a host token=etc/token')" "mcp-cred: $TMP/bad.conf:1: region a: token: not an absolute path rc=2" \
    "token= is an absolute path"
is "$(conf_err 'region a host token=/x;id')" \
    "mcp-cred: $TMP/bad.conf:1: region a: bad word: only letters, digits and ._/:=@%+,- are allowed rc=2" \
    "mcp-fleet's plain-word rule"
is "$(conf_err 'region a -oProxyCommand=x')" "mcp-cred: $TMP/bad.conf:1: region a: a destination cannot start with - rc=2" \
    "a destination ssh would take for an option"
is "$(conf_err 'region a host' 'deadline 0')" "mcp-cred: $TMP/bad.conf:2: deadline: not a number of seconds (1 to 3600) rc=2" \
    "mcp-fleet's settings, checked as it checks them"
is "$(conf_err 'store redis://x')" "mcp-cred: $TMP/bad.conf: no region rc=2" "no region"
is "$(conf_err 'region a host -- --guard-allow 10.0.0.0/8 --guard-deny 10.9.0.0/16 --guard-nat64 2001:db8:64::/96')" \
    " rc=0" "the guard's flags after --, as mcp-fleet takes them"
is "$(conf_err 'region a host -- --guard-nat64 -x')" \
    "mcp-cred: $TMP/bad.conf:1: region a: --guard-nat64 -x: not an address range (CIDR) rc=2" "… each with a range"
"$TOP/scripts/mcp-fleet" -n -c "$TMP/all.conf" >/dev/null 2>"$TMP/out.fleet"
is "$?:$(cat "$TMP/out.fleet")" "0:" "mcp-fleet accepts the same file, token= and all"

# --- the local token: refused as ssh refuses a key ------------------------------
refuse() {
	local f=$TMP/bad.tok out
	printf "$1" >"$f"
	chmod "${2:-600}" "$f"
	out=$(cred -c "$TMP/up.conf" push "$f" 2>&1)
	echo "$? $out"
}
is "$(refuse 'abc\n' 640)" "1 mcp-cred: $TMP/bad.tok: mode 640: group or others can access it (chmod 600)" \
    "a token group can read"
is "$(refuse 'abc\ndef\n')" "1 mcp-cred: $TMP/bad.tok: not one line (a NUL, CR or newline inside)" "two lines"
is "$(refuse 'abc\r\n')" "1 mcp-cred: $TMP/bad.tok: not one line (a NUL, CR or newline inside)" "a CR"
is "$(refuse 'ab\0c')" "1 mcp-cred: $TMP/bad.tok: not one line (a NUL, CR or newline inside)" "a NUL"
is "$(refuse '\n')" "1 mcp-cred: $TMP/bad.tok: empty" "a newline alone"
is "$(refuse ' abc')" "1 mcp-cred: $TMP/bad.tok: blanks around the token" "blanks around it"
mkdir "$TMP/tokdir"
is "$(cred -c "$TMP/up.conf" push "$TMP/tokdir" 2>&1; echo "rc=$?")" "mcp-cred: $TMP/tokdir: not a regular file
rc=1" "a directory"
mkdir -m 777 "$TMP/opentok"
cp "$TMP/tok1" "$TMP/opentok/tok"
is "$(cred -c "$TMP/up.conf" push "$TMP/opentok/tok" 2>&1; echo "rc=$?")" \
    "mcp-cred: token $TMP/opentok/tok: in $TMP/opentok, writable by its group or others (mode 777): refused
rc=1" "a token in a directory others can write: they could swap it before the push"
rm -rf "$TMP/opentok"
is "$(ls -A "$TMP/cred/east")" "" "nothing refused reached a runner"

# --- the files that decide where the token goes: trusted as mcp-fleet trusts them
# A spy first on PATH notes every ssh that mcp-cred starts, then runs the
# real one: a refused file starts none, and a directive that slipped
# through would run, and leave $TMP/pwned.
mkdir -m 700 "$TMP/tr" "$TMP/spy"
printf '#!/bin/sh\necho started >>%s/ssh.log\nexec %s "$@"\n' "$TMP" "$(command -v ssh)" >"$TMP/spy/ssh"
chmod 755 "$TMP/spy/ssh"
spy() {
	: >"$TMP/ssh.log"
	PATH=$TMP/spy:$PATH cred "$@"
}
# trust_err CONF: a push of CONF through the spy; its status, its
# message and the number of ssh it started.
trust_err() {
	local out
	out=$(spy -c "$1" push "$TMP/tok1" 2>&1)
	echo "$? $out; ssh: $(grep -c . "$TMP/ssh.log")"
}
spy -c "$TMP/up.conf" check >/dev/null 2>&1
is "$?:$(grep -c . "$TMP/ssh.log")" 0:3 "the spy sees the ssh of an accepted configuration, one per region"
fleet_conf "$TMP/tr/g.conf" "$(region east)"
chmod 664 "$TMP/tr/g.conf"
is "$(trust_err "$TMP/tr/g.conf")" "2 mcp-cred: $TMP/tr/g.conf: writable by its group or others (mode 664): refused; ssh: 0" \
    "a fleet.conf its group can write: exit 2, no ssh"
printf 'ssh_config %s\n%s\n' "$TMP/tr/ssh" "$(region east)" >"$TMP/tr/s.conf"
cp "$SSH_CONFIG" "$TMP/tr/ssh"
chmod 664 "$TMP/tr/ssh"
is "$(trust_err "$TMP/tr/s.conf")" \
    "2 mcp-cred: $TMP/tr/s.conf:1: ssh_config $TMP/tr/ssh: writable by its group or others (mode 664): refused; ssh: 0" \
    "an ssh_config its group can write: exit 2, no ssh"
chmod 600 "$TMP/tr/ssh"
mkdir -m 777 "$TMP/tr/drop"
ln -s "$TMP/tr/ssh" "$TMP/tr/drop/ssh"
printf 'ssh_config %s\n%s\n' "$TMP/tr/drop/ssh" "$(region east)" >"$TMP/tr/l.conf"
is "$(trust_err "$TMP/tr/l.conf")" \
    "2 mcp-cred: $TMP/tr/l.conf:1: ssh_config $TMP/tr/drop/ssh: in $TMP/tr/drop, writable by its group or others (mode 777): refused; ssh: 0" \
    "one named through a link in a directory others can write: exit 2, no ssh"
# ssh_with LINES...: the test's SSH configuration, then LINES, as
# s.conf's ssh_config.
ssh_with() {
	{
		cat "$SSH_CONFIG"
		printf '%s\n' "$@"
	} >"$TMP/tr/ssh"
	chmod 600 "$TMP/tr/ssh"
	trust_err "$TMP/tr/s.conf"
}
n=$(($(wc -l <"$SSH_CONFIG") + 1))
runs="runs a command on this host: refused; ssh: 0"
is "$(ssh_with 'Host *' "  ProxyCommand touch $TMP/pwned")" "2 mcp-cred: $TMP/tr/ssh:$((n + 1)): ProxyCommand $runs" \
    "a ProxyCommand: exit 2, no ssh"
is "$(ssh_with "LocalCommand touch $TMP/pwned")" "2 mcp-cred: $TMP/tr/ssh:$n: LocalCommand $runs" \
    "a LocalCommand: exit 2, no ssh"
is "$(ssh_with "Match exec \"touch $TMP/pwned\"" '  User x')" "2 mcp-cred: $TMP/tr/ssh:$n: Match exec $runs" \
    "a Match exec: exit 2, no ssh"
is "$(ssh_with "KnownHostsCommand=/bin/sh -c 'touch $TMP/pwned'")" "2 mcp-cred: $TMP/tr/ssh:$n: KnownHostsCommand $runs" \
    "a KnownHostsCommand: exit 2, no ssh"
printf 'Host *\n  ProxyCommand touch %s/pwned\n' "$TMP" >"$TMP/tr/inc"
is "$(ssh_with "Include $TMP/tr/inc")" "2 mcp-cred: $TMP/tr/inc:2: ProxyCommand $runs" "in a file it includes too"
[ ! -e "$TMP/pwned" ]
ok $? "none of those commands ran"
is "$(ssh_with 'Host jumped.example' '  ProxyJump probe@bastion:2222' 'PermitLocalCommand no')" \
    "0 east: token $fp1 written to $TMP/cred/east/token; ssh: 1" \
    "a plain ProxyJump (another host's) and PermitLocalCommand no pass: the push goes"
rm -f "$TMP/cred/east/token"

# --- dry run -------------------------------------------------------------------
cred -n -c "$TMP/all.conf" push "$TMP/tok1" >"$TMP/out.dry" 2>&1
is "$?:$(wc -l <"$TMP/out.dry")" 0:5 "-n: one line per region"
like "$(grep '^west: ' "$TMP/out.dry")" \
    "^west: token $fp1 \\(${#tok1} bytes\\) to $TMP/cred/west/token on ${REGION_DEST[west]}: timeout -k 2 3 ssh -T -o BatchMode=yes .* ${REGION_DEST[west]} SCRIPT <$TMP/tok1$" \
    "the fingerprint, the size, the path and the ssh command, the token on its stdin"
like "$(grep '^west: ' "$TMP/out.dry")" \
    " -o PermitLocalCommand=no -o KnownHostsCommand=none -o ForwardAgent=no -o ForwardX11=no -o ClearAllForwardings=yes -F $SSH_CONFIG " \
    "ssh's own options rule out a local command and any forwarding, whatever the configuration"
is "$(ls -A "$TMP/cred/east")" "" "a dry run writes nothing"

# --- push: three regions reached, one hung, one refused ---------------------------
ps_watch &
watch=$!
start=$EPOCHREALTIME
cred -c "$TMP/all.conf" push "$TMP/tok1" >"$TMP/out.push1" 2>"$TMP/err.push1"
rc=$?
secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", b - a }')
is "$rc" 1 "a region hung and one refused: exit 1"
[ "$secs" -le 6 ]
ok $? "the push ends near the 3 s deadline (took $secs s)"
is "$(cat "$TMP/out.push1")" "east: token $fp1 written to $TMP/cred/east/token
west: token $fp1 written to $TMP/cred/west/token
south: token $fp1 written to $TMP/cred/south/token" "the three reachable regions got it, said on stdout"
is "$(grep -c . "$TMP/err.push1")" 2 "two regions reported"
is "$(grep '^mcp-cred: hang: ' "$TMP/err.push1")" "mcp-cred: hang: cut at its 3 s deadline" "the hung one: cut at its deadline"
like "$(grep '^mcp-cred: refused: ' "$TMP/err.push1")" "^mcp-cred: refused: ssh failed: .*Connection refused" \
    "the refused one: ssh's reason"
good=0
for r in east west south; do
	f=$TMP/cred/$r/token
	IFS= read -r got <"$f"
	[ "$got" = "$tok1" ] && [ "$(stat -c '%s %a %U' "$f")" = "${#tok1} 600 $user" ] &&
	    [ "$(ls -A "$TMP/cred/$r")" = token ] && good=$((good + 1))
done
is "$good" 3 "each holds the token, without the newline, mode 600, owned by $user, no temporary file left"
is "$(ls -A "$TMP/cred/hang" "$TMP/cred/refused")" "$TMP/cred/hang:

$TMP/cred/refused:" "the others hold nothing"

# --- check ---------------------------------------------------------------------
cred -c "$TMP/all.conf" check >"$TMP/out.check1" 2>"$TMP/err.check1"
is "$?" 1 "check: unreachable regions: exit 1"
is "$(cat "$TMP/out.check1")" "east: $fp1
west: $fp1
south: $fp1" "one fingerprint per region, the first 12 hex of the file's SHA-256"
is "$(grep -c '^mcp-cred: \(hang\|refused\): ' "$TMP/err.check1")" 2 "the unreachable named"
is "$(cred -c "$TMP/up.conf" check "$TMP/tok1" 2>&1; echo "rc=$?")" "east: $fp1 current
west: $fp1 current
south: $fp1 current
rc=0" "check TOKEN_FILE: all current, exit 0"

# --- rotation: a reader sees the old token or the new, whole -----------------------
ino=$(stat -c %i "$TMP/cred/east/token")
reader() {
	local f=$TMP/cred/east/token x n=0 old=0 new=0 bad=0
	while [ ! -e "$TMP/reader.stop" ]; do
		x=
		IFS= read -r x <"$f" || :
		n=$((n + 1))
		if [ "$x" = "$tok1" ]; then
			old=$((old + 1))
		elif [ "$x" = "$tok2" ]; then
			new=$((new + 1))
		else
			bad=$((bad + 1))
		fi
	done
	echo "$n $old $new $bad" >"$TMP/reader.out"
}
reader &
rpid=$!
sleep 0.3
cred -c "$TMP/two.conf" push "$TMP/tok2" >"$TMP/out.push2" 2>&1
is "$?" 0 "the new token to two regions: exit 0"
sleep 0.3
touch "$TMP/reader.stop"
wait "$rpid"
kill "$watch"
wait "$watch" 2>/dev/null
read -r n old new bad <"$TMP/reader.out"
is "$bad" 0 "a reader during the push always read a whole token ($n reads: $old old, $new new)"
[ "$old" -gt 0 ] && [ "$new" -gt 0 ]
ok $? "it read across the replacement"
[ "$(stat -c %i "$TMP/cred/east/token")" != "$ino" ]
ok $? "a new file took the old one's name (another inode)"
IFS= read -r got <"$TMP/cred/east/token"
[ "$got" = "$tok2" ] && [ "$(stat -c '%a %U' "$TMP/cred/east/token")" = "600 $user" ]
ok $? "the new token, mode 600, the runner's user's"
cred -c "$TMP/up.conf" check "$TMP/tok2" >"$TMP/out.check2" 2>&1
is "$?:$(cat "$TMP/out.check2")" "1:east: $fp2 current
west: $fp2 current
south: $fp1 stale" "check TOKEN_FILE: the region left behind is stale, exit 1"

# --- on the runner: what is not ours is not replaced -------------------------------
ln -s "$TMP/cred/south/token" "$TMP/cred/south/link"
fleet_conf "$TMP/link.conf" "deadline 5" "region south ${REGION_DEST[south]} token=$TMP/cred/south/link"
cred -c "$TMP/link.conf" push "$TMP/tok2" >"$TMP/out.link" 2>&1
is "$?:$(cat "$TMP/out.link")" "1:mcp-cred: south: $TMP/cred/south/link: a symbolic link: refused" "a symbolic link is refused"
IFS= read -r got <"$TMP/cred/south/token"
[ -L "$TMP/cred/south/link" ] && [ "$got" = "$tok1" ] && [ "$(ls -A "$TMP/cred/south" | wc -l)" = 2 ]
ok $? "the link and what it points to are as they were, no temporary file"
if [ -n "${RUNNER_USER:-}" ]; then
	cp "$TMP/cred/west/token" "$TMP/cred/west/roots"
	fleet_conf "$TMP/root.conf" "deadline 5" "region west ${REGION_DEST[west]} token=$TMP/cred/west/roots"
	cred -c "$TMP/root.conf" push "$TMP/tok1" >"$TMP/out.root" 2>&1
	is "$?:$(cat "$TMP/out.root")" \
	    "1:mcp-cred: west: $TMP/cred/west/roots: owned by uid 0, not by $RUNNER_USER (uid $(id -u "$RUNNER_USER")): refused" \
	    "a token owned by another user is refused"
	IFS= read -r got <"$TMP/cred/west/roots"
	is "$(stat -c %U "$TMP/cred/west/roots"):$([ "$got" = "$tok2" ] && echo same)" root:same "and kept"
	rm -f "$TMP/cred/west/roots"
else
	diag "a target owned by another user skipped: not root"
fi
chmod 777 "$TMP/cred/west"
cred -c "$TMP/two.conf" push "$TMP/tok1" >"$TMP/out.open" 2>&1
is "$?:$(grep west "$TMP/out.open")" "1:mcp-cred: west: $TMP/cred/west: writable by its group or others: refused" \
    "a directory others can write is refused"
chmod 700 "$TMP/cred/west"
chmod 770 "$TMP/cred/west"
cred -c "$TMP/two.conf" push "$TMP/tok1" >"$TMP/out.group" 2>&1
is "$?:$(grep west "$TMP/out.group")" "1:mcp-cred: west: $TMP/cred/west: writable by its group or others: refused" \
    "a directory its group can write is refused"
chmod 700 "$TMP/cred/west"
is "$(conf_err 'region a host probe=sed')" \
    "mcp-cred: $TMP/bad.conf:1: region a: probe: not mcp-probe (an absolute path to a file of that name, or mcp-probe) rc=2" \
    "mcp-fleet's rule for the program a runner runs"

# A runner's bytes reach the terminal made visible: a runner whose
# sha256sum says something with control characters, and fails.
mkdir -p "$TMP/loud"
printf '#!/bin/sh\nprintf "\\033]0;title\\007\\033[2Jall regions ok\\n" >&2\nexit 1\n' >"$TMP/loud/sha256sum"
chmod 755 "$TMP/loud/sha256sum"
mkdir -p "$TMP/cred/here"
cp "$TMP/tok1" "$TMP/cred/here/token"
fleet_conf "$TMP/here.conf" "deadline 5" "region here - token=$TMP/cred/here/token"
PATH=$TMP/loud:$PATH cred -c "$TMP/here.conf" check >"$TMP/out.loud" 2>&1
is "$?:$(tr -cd '\000-\010\013-\037\177' <"$TMP/out.loud" | wc -c)" 1:0 \
    "a runner's control characters do not reach the terminal"
is "$(cat "$TMP/out.loud")" 'mcp-cred: here: ^[]0;title^G^[[2Jall regions ok' "they are shown as cat -v shows them"
rm -rf "$TMP/cred/here"

# --- the token nowhere but in the token files --------------------------------------
like "$(cat "$TMP/ps.log")" "ssh -T -o BatchMode=yes" "the process lists were taken while ssh ran ($(grep -c '^ssh -T' "$TMP/ps.log") lines)"
is "$(grep -rlF -e "$tok1" -e "${tok1:12:16}" -e "$tok2" -e "${tok2:12:16}" "$TMP" | sort | tr '\n' ' ')" \
    "$TMP/cred/east/token $TMP/cred/south/token $TMP/cred/west/token $TMP/tok1 $TMP/tok2 " \
    "no output, log, error or process list holds the token or a piece of it: only the token files"
is "$(ls -A "$TMP/work")" "" "no scratch file of mcp-cred is left"

done_testing
