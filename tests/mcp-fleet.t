#!/usr/bin/env bash
# test: alone (network namespaces, sshd or timing that a second test would disturb)
# mcp-fleet.t - the orchestrator over real sshd runners: configuration, dry run,
# streaming, deadlines (a hung sshd, a hung probe), refusals, the lock, the
# clock preflight, and a runner that speaks for another region
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/fleet-lib.sh
. "$TOP/tests/fleet-lib.sh"
fleet() { "$TOP/scripts/mcp-fleet" "$@"; }
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }

command -v sshd >/dev/null || [ -x /usr/sbin/sshd ] || skip_all "no sshd (openssh-server): scripts/deps installs it"
start_redis
regions_up east west hang refused || skip_all "the regions' sshd did not start"
[ "$REGIONS_NETNS" = 1 ] || diag "regions are loopback sshd ports: no namespaces here (not root)"
node "$TOP/tests/fixtures/regional.mjs" --port-file "$TMP/origin.port" --host "$SERVER_IP" \
    2>"$TMP/origin.log" &
bg_pid $!
wait_file "$TMP/origin.port" || skip_all "the MCP server did not start"
ORIGIN=http://$SERVER_IP:$(cat "$TMP/origin.port")/mcp
echo "weather $ORIGIN" >"$TMP/targets"
echo "news $ORIGIN" >>"$TMP/targets"
# The hang region's sshd accepts connections and never answers (stopped);
# the refused region's is gone.
kill -STOP "${SSHD_PID[hang]}"
kill "${SSHD_PID[refused]}"
wait "${SSHD_PID[refused]}" 2>/dev/null

# --- the configuration: every bad line named, nothing run --------------------
conf_err() {
	printf '%s\n' "$@" >"$TMP/bad.conf"
	local out
	out=$(fleet -c "$TMP/bad.conf" -n 2>&1 >/dev/null)
	echo "$out rc=$?"
}
is "$(conf_err 'region a host' 'deadline 0')" "mcp-fleet: $TMP/bad.conf:2: deadline: not a number of seconds (1 to 3600) rc=2" \
    "a deadline of 0 is refused, with the file and line"
is "$(conf_err 'region a host targets=/x;touch${IFS}/tmp/p')" \
    "mcp-fleet: $TMP/bad.conf:1: region a: bad word: only letters, digits and ._/:=@%+,- are allowed rc=2" \
    "a word a runner's shell would interpret is refused"
is "$(conf_err 'region a host -- -j 4 $(id)')" \
    "mcp-fleet: $TMP/bad.conf:1: region a: bad word: only letters, digits and ._/:=@%+,- are allowed rc=2" \
    "so are probe flags"
is "$(conf_err 'region a -oProxyCommand=x')" "mcp-fleet: $TMP/bad.conf:1: region a: a destination cannot start with - rc=2" \
    "a destination that ssh would take for an option is refused"
is "$(conf_err 'region EU host')" "mcp-fleet: $TMP/bad.conf:1: region EU: not [a-z0-9._-]{1,80} rc=2" "region names as the records'"
is "$(conf_err 'region a host' 'region a other')" "mcp-fleet: $TMP/bad.conf:2: region a: given twice rc=2" "a region twice"
is "$(conf_err 'region a host jobs=4')" \
    "mcp-fleet: $TMP/bad.conf:1: region a: unknown option jobs=4 (targets=, probe=, deadline=, token=, then -- and mcp-probe's flags) rc=2" \
    "an unknown region option"
is "$(conf_err '# nothing' 'store redis://x')" "mcp-fleet: $TMP/bad.conf: no region rc=2" "no region"
is "$(conf_err 'region a host' 'colour blue')" "mcp-fleet: $TMP/bad.conf:2: unknown setting colour rc=2" "an unknown setting"
# Nothing in the file runs a command on a runner, or becomes an option:
# the program is mcp-probe, no value starts with "-", the flags after --
# are mcp-probe's, each with its value.
notprobe="not mcp-probe (an absolute path to a file of that name, or mcp-probe)"
notflag="not a flag of mcp-probe's run (-e ERA, -j JOBS, -m BYTES, -t SECONDS, -w SECONDS, --list-max BYTES, --cacert FILE, --guard-allow CIDR, --guard-deny CIDR, --guard-nat64 PREFIX)"
is "$(conf_err 'probe rm' 'region a host')" "mcp-fleet: $TMP/bad.conf:1: probe: $notprobe rc=2" "probe rm is refused"
is "$(conf_err 'region a host probe=sed')" "mcp-fleet: $TMP/bad.conf:1: region a: probe: $notprobe rc=2" \
    "probe=sed is refused"
is "$(conf_err 'region a host probe=/tmp/x/mcp-probe.sh')" "mcp-fleet: $TMP/bad.conf:1: region a: probe: $notprobe rc=2" \
    "a file of another name is refused"
is "$(conf_err 'region a host probe=x=/bin/mcp-probe')" "mcp-fleet: $TMP/bad.conf:1: region a: probe: $notprobe rc=2" \
    "so is a path env(1) would take for a variable"
is "$(conf_err 'targets -rf' 'region a host')" "mcp-fleet: $TMP/bad.conf:1: targets: a value cannot start with - rc=2" \
    "a value that would be an option is refused"
is "$(conf_err 'region a host targets=--version')" \
    "mcp-fleet: $TMP/bad.conf:1: region a: targets: a value cannot start with - rc=2" "so is targets= of one"
is "$(conf_err 'region a host -- -j 4 /etc/passwd')" "mcp-fleet: $TMP/bad.conf:1: region a: /etc/passwd: $notflag rc=2" \
    "a word after -- that is no flag of mcp-probe is refused"
is "$(conf_err 'region a host -- -f /x')" "mcp-fleet: $TMP/bad.conf:1: region a: -f: $notflag rc=2" \
    "a flag mcp-fleet sets itself is refused"
is "$(conf_err 'region a host -- --cacert -rf')" "mcp-fleet: $TMP/bad.conf:1: region a: --cacert -rf: a value cannot start with - rc=2" \
    "a flag's value cannot be an option"
is "$(conf_err 'region a host -- -j x')" "mcp-fleet: $TMP/bad.conf:1: region a: -j x: not a number rc=2" "-j takes a number"
is "$(conf_err 'region a host -- -t')" "mcp-fleet: $TMP/bad.conf:1: region a: -t needs a value rc=2" "a flag without its value"
is "$(conf_err 'region a host -- --list-max 64m')" \
    "mcp-fleet: $TMP/bad.conf:1: region a: --list-max 64m: not a size (a number, or k) rc=2" \
    "--list-max takes a size"
is "$(conf_err 'region a host -- --guard-nat64 64:ff9b:1::')" \
    "mcp-fleet: $TMP/bad.conf:1: region a: --guard-nat64 64:ff9b:1::: not an address range (CIDR) rc=2" \
    "--guard-nat64 takes a prefix"
is "$(conf_err 'store -oops' 'region a host')" "mcp-fleet: $TMP/bad.conf:1: store: a value cannot start with - rc=2" \
    "every setting's value"
fleet -c "$TMP/none.conf" 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "2:mcp-fleet: $TMP/none.conf: cannot read" "a missing configuration"
fleet -x 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "2:mcp-fleet: -x: unknown option
usage: mcp-fleet [-nv] [-c CONF] [run | check | clock [-m SECONDS] [--local]]
See mcp-fleet(8) for the manual." "usage: the option named, the manual"

# --- the files that run commands here: trusted as ssh trusts its own ---------
# CONF, the SSH configuration and what they name: owned by us or root,
# writable by no one else, nor are the directories above them.
trust_err() {
	local out
	out=$(fleet -n -c "$1" 2>&1 >/dev/null)
	echo "$out rc=$?"
}
mkdir -m 700 "$TMP/t"
printf 'region here -\n' >"$TMP/t/g.conf"
chmod 664 "$TMP/t/g.conf"
is "$(trust_err "$TMP/t/g.conf")" "mcp-fleet: $TMP/t/g.conf: writable by its group or others (mode 664): refused rc=2" \
    "a configuration its group can write is refused"
mkdir -m 777 "$TMP/t/open"
printf 'region here -\n' >"$TMP/t/open/o.conf"
is "$(trust_err "$TMP/t/open/o.conf")" \
    "mcp-fleet: $TMP/t/open/o.conf: in $TMP/t/open, writable by its group or others (mode 777): refused rc=2" \
    "so is one in a directory others can write"
chmod 1777 "$TMP/t/open"
is "$(trust_err "$TMP/t/open/o.conf")" " rc=0" "unless the directory is sticky, as /tmp"
if [ "$(id -u)" = 0 ]; then
	printf 'region here -\n' >"$TMP/t/n.conf"
	chown 65534 "$TMP/t/n.conf"
	is "$(trust_err "$TMP/t/n.conf")" "mcp-fleet: $TMP/t/n.conf: owned by uid 65534, not by root: refused rc=2" \
	    "a configuration another user owns is refused"
else
	diag "a configuration of another user: skipped, not root (chown)"
fi
# The files it names: the SSH configuration, the keys and host keys that
# names, the alert configuration, the store's password, and the targets and
# probe of a region run here.
cp "$SSH_CONFIG" "$TMP/t/ssh"
chmod 664 "$TMP/t/ssh"
printf 'ssh_config %s\nregion a host\n' "$TMP/t/ssh" >"$TMP/t/s.conf"
is "$(trust_err "$TMP/t/s.conf")" \
    "mcp-fleet: $TMP/t/s.conf:1: ssh_config $TMP/t/ssh: writable by its group or others (mode 664): refused rc=2" \
    "an ssh_config its group can write"
chmod 644 "$TMP/t/ssh"
# The path as named: a link to the good file from a directory others can
# write, or a directory of the path that is such a link, could be pointed
# elsewhere once the file is checked.
mkdir -m 777 "$TMP/t/drop"
ln -s "$TMP/t/ssh" "$TMP/t/drop/ssh"
printf 'ssh_config %s\nregion a host\n' "$TMP/t/drop/ssh" >"$TMP/t/l.conf"
is "$(trust_err "$TMP/t/l.conf")" \
    "mcp-fleet: $TMP/t/l.conf:1: ssh_config $TMP/t/drop/ssh: in $TMP/t/drop, writable by its group or others (mode 777): refused rc=2" \
    "an ssh_config named through a link in a directory others can write"
ln -s "$TMP/t" "$TMP/t/drop/dir"
printf 'ssh_config %s\nregion a host\n' "$TMP/t/drop/dir/ssh" >"$TMP/t/l.conf"
is "$(trust_err "$TMP/t/l.conf")" \
    "mcp-fleet: $TMP/t/l.conf:1: ssh_config $TMP/t/drop/dir/ssh: in $TMP/t/drop, writable by its group or others (mode 777): refused rc=2" \
    "one whose path goes through such a directory (a link to a good one)"
(cd "$TMP/t" && printf 'ssh_config drop/../ssh\nregion a host\n' >r.conf && trust_err r.conf) >"$TMP/t/r.out"
is "$(cat "$TMP/t/r.out")" \
    "mcp-fleet: r.conf:1: ssh_config drop/../ssh: in $TMP/t/drop, writable by its group or others (mode 777): refused rc=2" \
    "a relative path, from the working directory, through it"
ln -s "$TMP/t/ssh" "$TMP/t/good-link"
printf 'ssh_config %s\nregion a host\n' "$TMP/t/good-link" >"$TMP/t/l.conf"
is "$(trust_err "$TMP/t/l.conf")" " rc=0" "a link of ours in a directory of ours to it is followed"
if [ "$(id -u)" = 0 ]; then
	mkdir -m 1777 "$TMP/t/sticky"
	ln -s "$TMP/t/ssh" "$TMP/t/sticky/ssh"
	chown -h 65534 "$TMP/t/sticky/ssh"
	printf 'ssh_config %s\nregion a host\n' "$TMP/t/sticky/ssh" >"$TMP/t/l.conf"
	is "$(trust_err "$TMP/t/l.conf")" \
	    "mcp-fleet: $TMP/t/l.conf:1: ssh_config $TMP/t/sticky/ssh: through the link $TMP/t/sticky/ssh, owned by uid 65534, not by root: refused rc=2" \
	    "a link another user owns in a sticky directory (which they may replace)"
else
	diag "a link of another user's: skipped, not root (chown -h)"
fi
cp "$TMP/ssh/id" "$TMP/t/id"
chmod 666 "$TMP/t/id"
printf 'Host *\n\tIdentityFile %s\n' "$TMP/t/id" >>"$TMP/t/ssh"
is "$(trust_err "$TMP/t/s.conf")" \
    "mcp-fleet: $TMP/t/ssh:$(wc -l <"$TMP/t/ssh"): IdentityFile $TMP/t/id: writable by its group or others (mode 666): refused rc=2" \
    "a key it names that others can write"
chmod 600 "$TMP/t/id"
for w in alert store_password_file; do
	printf 'x\n' >"$TMP/t/$w"
	chmod 620 "$TMP/t/$w"
	printf 'region here -\n%s %s\n' "$w" "$TMP/t/$w" >"$TMP/t/w.conf"
	is "$(trust_err "$TMP/t/w.conf")" \
	    "mcp-fleet: $TMP/t/w.conf:2: $w $TMP/t/$w: writable by its group or others (mode 620): refused rc=2" "$w: the same"
done
printf 'weather http://x/mcp\n' >"$TMP/t/targets"
chmod 646 "$TMP/t/targets"
printf 'region here - targets=%s\n' "$TMP/t/targets" >"$TMP/t/w.conf"
is "$(trust_err "$TMP/t/w.conf")" \
    "mcp-fleet: $TMP/t/w.conf: region here: targets $TMP/t/targets: writable by its group or others (mode 646): refused rc=2" \
    "the targets of a region run here"
printf 'region a host targets=%s\nssh_config %s\n' "$TMP/t/targets" "$TMP/t/ssh" >"$TMP/t/w.conf"
is "$(trust_err "$TMP/t/w.conf")" " rc=0" "not those of a runner, a file there"

# An SSH configuration that would run a command here is refused, whatever
# the case, form and block; every file it includes too.
ssh_err() {
	{
		cat "$SSH_CONFIG"
		printf '%s\n' "$@"
	} >"$TMP/t/ssh"
	local out
	out=$(fleet -n -c "$TMP/t/s.conf" 2>&1 >/dev/null)
	echo "$out rc=$?"
}
n=$(($(wc -l <"$SSH_CONFIG") + 1))
runs="runs a command on this host: refused rc=2"
is "$(ssh_err 'Host east' '  ProxyCommand nc %h %p')" "mcp-fleet: $TMP/t/ssh:$((n + 1)): ProxyCommand $runs" "ProxyCommand"
is "$(ssh_err 'proxycommand=sh -c id')" "mcp-fleet: $TMP/t/ssh:$n: proxycommand $runs" "in lower case, as Key=value"
is "$(ssh_err '	LocalCommand id')" "mcp-fleet: $TMP/t/ssh:$n: LocalCommand $runs" "LocalCommand"
is "$(ssh_err 'PermitLocalCommand = yes')" \
    "mcp-fleet: $TMP/t/ssh:$n: PermitLocalCommand yes would let LocalCommand run a command on this host: refused rc=2" \
    "PermitLocalCommand yes"
is "$(ssh_err 'KnownHostsCommand /usr/bin/id %H')" "mcp-fleet: $TMP/t/ssh:$n: KnownHostsCommand $runs" "KnownHostsCommand"
is "$(ssh_err 'Match exec "true"' '  User x')" "mcp-fleet: $TMP/t/ssh:$n: Match exec $runs" "Match exec"
is "$(ssh_err 'Match host east !EXEC "false"')" "mcp-fleet: $TMP/t/ssh:$n: Match exec $runs" "Match ... !exec"
is "$(ssh_err 'ProxyJump $(touch${IFS}/tmp/p)')" \
    "mcp-fleet: $TMP/t/ssh:$n: ProxyJump \$(touch\${IFS}/tmp/p): not a plain [user@]host[:port] list: refused rc=2" \
    "a ProxyJump a shell would interpret"
is "$(ssh_err 'ProxyJump bastion,-oProxyCommand')" \
    "mcp-fleet: $TMP/t/ssh:$n: ProxyJump bastion,-oProxyCommand: not a plain [user@]host[:port] list: refused rc=2" \
    "a ProxyJump hop that ssh would take for an option"
is "$(ssh_err 'PKCS11Provider /tmp/evil.so')" \
    "mcp-fleet: $TMP/t/ssh:$n: PKCS11Provider loads a library into ssh on this host: refused rc=2" "PKCS11Provider"
printf 'Host *\n  ProxyCommand sh -c id\n' >"$TMP/t/inc"
is "$(ssh_err "Include $TMP/t/i?c")" "mcp-fleet: $TMP/t/inc:2: ProxyCommand $runs" "in a file it includes (globbed)"
chmod 664 "$TMP/t/inc"
is "$(ssh_err "Include $TMP/t/inc")" \
    "mcp-fleet: ssh configuration $TMP/t/inc: writable by its group or others (mode 664): refused rc=2" \
    "an included file is trusted as the configuration"
is "$(ssh_err 'Host east' '  ProxyJump probe@bastion:2222,[::1]:22' 'ProxyCommand none' 'PermitLocalCommand no' \
    '# ProxyCommand sh -c id' 'Match host east' 'PermitLocalCommand no # a comment')" " rc=0" \
    "a plain ProxyJump, none, no and comments pass"
fleet_conf "$TMP/t/f.conf" "region west ${REGION_DEST[west]}"
like "$(fleet -n -c "$TMP/t/f.conf")" "ssh .* -o PermitLocalCommand=no -o KnownHostsCommand=none -o ForwardAgent=no -o ForwardX11=no -o ClearAllForwardings=yes .*-- ${REGION_DEST[west]} " \
    "ssh's own options rule out a local command and any forwarding, whatever the configuration"

# --- a run: three regions, one here, two over SSH -----------------------------
fleet_conf "$TMP/fleet.conf" "store $MCP_REDIS" "probe $RUNNER_BIN/mcp-probe" "targets $TMP/targets" \
    "region east ${REGION_DEST[east]}" "region west ${REGION_DEST[west]} -- -j 4 -t 20" "region here -"
fleet -n -c "$TMP/fleet.conf" >"$TMP/dry" 2>&1
is "$?:$(wc -l <"$TMP/dry")" 0:4 "--dry-run (-n): one line per region and the decision"
like "$(grep '^west: ' "$TMP/dry")" "ssh -n -o BatchMode=yes .* -- ${REGION_DEST[west]} '.*exec timeout -k 1 \"\\\$d\" env $RUNNER_BIN/mcp-probe -r west -f $TMP/targets -d \"\\\$\\(\\(d - 1\\)\\)\\.5\" -j 4 -t 20' \\| mcp-aggregate push -v -r west\$" \
    "a region: ssh with its flags, the probe's own deadline half a second before its timeout, piped into push -r REGION"
like "$(grep '^here: ' "$TMP/dry")" "^here: timeout -k 2 50 sh -c '.*' \\| mcp-aggregate push" "a region here: no ssh"
is "$(tail -1 "$TMP/dry")" "then: mcp-aggregate verdict | mcp-alert (store $MCP_REDIS)" \
    "then verdict | alert, the store in their environment"
[ ! -e "$TMP/fleet-state" ]
ok $? "a dry run runs nothing and creates nothing"
is "$(fleet --dry-run -c "$TMP/fleet.conf" 2>&1)" "$(cat "$TMP/dry")" "--dry-run is -n"

now=$(date +%s)
fleet -v -c "$TMP/fleet.conf" >"$TMP/out" 2>"$TMP/err"
is "$?" 0 "a run of healthy regions: exit 0"
for r in east west here; do
	like "$(grep "^mcp-fleet: $r: " "$TMP/err")" "^mcp-fleet: $r: [0-9.]+ s, 18 records, 2 results stored$" \
	    "-v: $r's time and records"
done
# The probes start a moment after now: perhaps in the next minute's window.
w=$((now / 60 * 60))
is "$(mcp-aggregate results weather "$w" "$((w + 60))" | awk '{ print $2 }' | sort | tr '\n' ' ')" \
    "east here west " "every region's result is stored"
is "$(grep -c '^west POST' "$TMP/origin.log")" 10 "the server saw the west runner (X-Probe-Region)"
is "$(cat "$TMP/out")" "" "no alert: nothing on standard output"
[ -s "$TMP/fleet-state/run/verdicts.jsonl" ]
ok $? "the run's verdicts are kept in the state directory"
is "$(stat -c %a "$TMP/fleet-state/run")" 700 "in a directory of its own, mode 700"

# --- a hung sshd and a refused one -------------------------------------------
fleet_conf "$TMP/fleet2.conf" "store $MCP_REDIS" "probe $RUNNER_BIN/mcp-probe" "targets $TMP/targets" "deadline 6" \
    "connect_timeout 30" "region east ${REGION_DEST[east]}" "region hang ${REGION_DEST[hang]}" \
    "region refused ${REGION_DEST[refused]}"
start=$EPOCHREALTIME
fleet -v -c "$TMP/fleet2.conf" >/dev/null 2>"$TMP/err"
rc=$?
secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", b - a }')
is "$rc" 1 "a region cut or refused: exit 1"
# At the deadline, never the 30 s connect timeout: a loaded machine adds
# seconds to the ssh and the push that follow the cut, so the bound is 20 s.
[ "$secs" -le 20 ]
ok $? "the run ends at the 6 s deadline of the hung region, not at the 30 s connect timeout (took $secs s)"
like "$(grep 'mcp-fleet: hang: ' "$TMP/err")" "^mcp-fleet: hang: [0-9.]+ s, 0 records, 0 results stored; cut at its 6 s deadline$" \
    "the hung region is cut at its deadline and says so"
like "$(grep 'mcp-fleet: refused: ' "$TMP/err")" "^mcp-fleet: refused: [0-9.]+ s, 0 records, 0 results stored; ssh failed: .*Connection refused" \
    "the refused region says why"
like "$(grep 'mcp-fleet: east: ' "$TMP/err")" "east: [0-9.]+ s, 18 records, [02] results stored$" \
    "the healthy region is not held back (its results stored, or the window's already)"
is "$(pgrep -fc "ssh .*${REGION_DEST[hang]} " || true)" 0 "no ssh to the hung region is left running"

# --- a target that hangs: the probe's own deadline ends it, every record kept ---
# A server that accepts connections and never answers.
node -e 'const s = require("net").createServer(() => {});
s.listen(0, process.argv[1], () => require("fs").writeFileSync(process.argv[2], s.address().port + "\n"))' \
    "$SERVER_IP" "$TMP/mute.port" &
bg_pid $!
wait_file "$TMP/mute.port"
{
	echo "fast $ORIGIN"
	echo "lost http://$SERVER_IP:$(cat "$TMP/origin.port")/nothing-here"
	echo "stuck http://$SERVER_IP:$(cat "$TMP/mute.port")/mcp timeout=600"
} >"$TMP/targets-stuck"
# no_stuck_probe: no mcp-probe of the stuck targets is running (its end
# may come a moment after the run's).
no_stuck_probe() { ! pgrep -f "mcp-probe -r east -f $TMP/targets-stuck" >/dev/null; }
# stuck_result T: the stuck target's results stored in the window of T and the next.
stuck_result() { mcp-aggregate results stuck $(($1 / 60 * 60)) $(($1 / 60 * 60 + 60)); }
fleet_conf "$TMP/fleet3.conf" "store $MCP_REDIS" "probe $RUNNER_BIN/mcp-probe" "deadline 5" \
    "region east ${REGION_DEST[east]} targets=$TMP/targets-stuck"
start=$(($(date +%s) + 1800))
MCP_NOW=$start fleet -v -c "$TMP/fleet3.conf" >/dev/null 2>"$TMP/err"
is "$?" 0 "a runner whose target hangs: a good run (exit 0), not a cut"
like "$(cat "$TMP/err")" "east: [0-9.]+ s, 27 records, 3 results stored$" \
    "the records of every target are stored, the hung one's too"
# run_ended; or, on a machine so loaded that the 5 s ran out before the
# probe reached it, not_started: either way the run's end, never its own 600 s.
like "$(stuck_result "$start")" " east unjudged (run_ended|not_started)$" \
    "the hung target is unjudged: its deadline (timeout=600) cut to the run's (-d) before its own ran out"
wait_for 100 no_stuck_probe
is "$(pgrep -fc "mcp-probe -r east -f $TMP/targets-stuck" || true)" 0 \
    "no mcp-probe is left running on the runner"

# --- a probe cut at the deadline: SIGTERM ends its run, nothing is lost ---------
# A probe that knows no -d (one of before): the runner's timeout(1) cuts
# it, and its SIGTERM ends the run as -d would.
mkdir -m 755 "$TMP/nod"
cat >"$TMP/nod/mcp-probe" <<EOF
#!/usr/bin/env bash
# mcp-probe without -d: the rest of its command line, to the real one.
a=()
while [ \$# -gt 0 ]; do
	[ "\$1" != -d ] || { shift 2; continue; }
	a+=("\$1")
	shift
done
exec $RUNNER_BIN/mcp-probe "\${a[@]}"
EOF
chmod 755 "$TMP/nod/mcp-probe"
fleet_conf "$TMP/fleet3b.conf" "store $MCP_REDIS" "probe $TMP/nod/mcp-probe" "deadline 5" \
    "region east ${REGION_DEST[east]} targets=$TMP/targets-stuck"
start=$(($(date +%s) + 3600))
MCP_NOW=$start fleet -v -c "$TMP/fleet3b.conf" >/dev/null 2>"$TMP/err"
is "$?" 1 "a runner whose probe is cut at its deadline: exit 1"
like "$(cat "$TMP/err")" "east: [0-9.]+ s, 27 records, 3 results stored; cut at its 5 s deadline$" \
    "the cut loses nothing: every target's records are stored, the hung one's too"
like "$(stuck_result "$start")" " east unjudged run_ended$" "the hung target is unjudged, cut by the run's end"
wait_for 100 no_stuck_probe
is "$(pgrep -fc "mcp-probe -r east -f $TMP/targets-stuck" || true)" 0 \
    "no mcp-probe is left running on the runner"

# --- one run at a time ----------------------------------------------------------
fleet_conf "$TMP/fleet4.conf" "store $MCP_REDIS" "probe $RUNNER_BIN/mcp-probe" "deadline 6" "interval 2" \
    "region east ${REGION_DEST[east]} targets=$TMP/targets-stuck"
# The first run writes lock.who once it holds the lock: waited for.
rm -f "$TMP/fleet-state/lock.who"
fleet -c "$TMP/fleet4.conf" >/dev/null 2>"$TMP/err1" &
first=$!
wait_file "$TMP/fleet-state/lock.who" 300
fleet -c "$TMP/fleet4.conf" >/dev/null 2>"$TMP/err2"
is "$?" 1 "a run while another holds the lock: exit 1"
like "$(cat "$TMP/err2")" "^mcp-fleet: skipped: the run of [0-9:]+ \\(pid [0-9]+\\) still holds $TMP/fleet-state/lock$" \
    "and says which run holds it"
wait "$first"
like "$(cat "$TMP/err1")" "the run of [0-9:]+ took [0-9.]+ s, past the next one's start \\(2 s\\)" \
    "a run longer than the interval says it overlapped the next"

# --- the state directory: never written through a link ----------------------
# A victim: a file of ours that a link in the state directory would have
# a run write, or a directory it would fill.
printf 'precious\n' >"$TMP/victim"
cp "$TMP/victim" "$TMP/victim.orig"
for f in lock.who lock run; do
	rm -rf "${TMP:?}/fleet-state/$f"
	ln -s "$TMP/victim" "$TMP/fleet-state/$f"
	fleet -c "$TMP/fleet.conf" >/dev/null 2>"$TMP/err"
	is "$?:$(cat "$TMP/err")" "2:mcp-fleet: $TMP/fleet-state/$f: a symbolic link: refused" "$f a symbolic link: refused"
	cmp -s "$TMP/victim" "$TMP/victim.orig"
	ok $? "the file it names is unchanged, byte for byte"
	rm "$TMP/fleet-state/$f"
done
mkdir "$TMP/elsewhere"
ln -s "$TMP/elsewhere" "$TMP/state-link"
fleet_conf "$TMP/fleet9.conf" "state $TMP/state-link" "probe $RUNNER_BIN/mcp-probe" "targets $TMP/targets" "region here -"
fleet -c "$TMP/fleet9.conf" >/dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "2:mcp-fleet: state directory $TMP/state-link: a symbolic link: refused" \
    "a state directory that is a symbolic link: refused"
is "$(ls -A "$TMP/elsewhere")" "" "nothing is written where it points"
chmod 770 "$TMP/fleet-state"
fleet -c "$TMP/fleet.conf" >/dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "2:mcp-fleet: state directory $TMP/fleet-state: writable by its group or others (mode 770): refused" \
    "a state directory its group can write: refused"
chmod 700 "$TMP/fleet-state"
fleet_conf "$TMP/fleet9.conf" "state $TMP/new/state" "store $MCP_REDIS" "probe $RUNNER_BIN/mcp-probe" \
    "targets $TMP/targets" "region here -"
MCP_NOW=$((now + 18000)) fleet -c "$TMP/fleet9.conf" >/dev/null 2>&1
is "$?:$(stat -c %a "$TMP/new" "$TMP/new/state" "$TMP/new/state/run" | tr '\n' ' ')" "0:700 700 700 " \
    "the directories it makes are mode 700"
like "$(stat -c '%a %F' "$TMP/new/state/lock.who"):$(cat "$TMP/new/state/lock.who")" \
    "^600 regular file:[0-9:]+ \\(pid [0-9]+\\)$" "lock.who: a regular file, mode 600"
is "$(find "$TMP/new/state" -name '.lock.who.*' | wc -l)" 0 "no temporary file is left beside it"

# --- a runner cannot speak for another region --------------------------------
mkdir -m 755 "$TMP/forger"
cat >"$TMP/forger/mcp-probe" <<EOF
#!/bin/sh
# A runner whose probe claims to be another region.
exec $RUNNER_BIN/mcp-probe -r east -f $TMP/targets
EOF
chmod 755 "$TMP/forger/mcp-probe"
fleet_conf "$TMP/fleet5.conf" "store $MCP_REDIS" "targets $TMP/targets" \
    "region west ${REGION_DEST[west]} probe=$TMP/forger/mcp-probe"
MCP_NOW=$((now + 3600)) fleet -c "$TMP/fleet5.conf" >/dev/null 2>"$TMP/err"
is "$?" 1 "a runner's records of another region: exit 1"
like "$(cat "$TMP/err")" "west: .*push exited 1: mcp-aggregate: stdin:[0-9]+: bad region \"east\": not -r west" "push -r refused them"
is "$(res_regions weather "$(((now + 3600) / 60 * 60))")" "" "nothing of them is stored"

# --- targets store: the targets pulled from the store, handed to each runner ------
# The registry's servers as mcp-aggregate registry sync leaves them
# (mcp-store(7) mcp:registry:servers), the operator's overrides beside.
regfield() { # regfield SLUG NAME URL
	printf '{"name":"%s","version":"1.0.0","remote":0,"type":"streamable-http","url":"%s","headers":[],"status":"active","state":"probe","reason":null,"registry":"https://registry.example","updated_at":"2026-11-20T10:00:00Z","synced_at":1795536000}' "$2" "$3"
}
rcli hset mcp:registry:servers io.example.weather "$(regfield io.example.weather io.example/weather "$ORIGIN")" \
    io.example.news "$(regfield io.example.news io.example/news "$ORIGIN")" \
    io.example.gone "$(regfield io.example.gone io.example/gone "$ORIGIN")" >/dev/null
printf '%s\n' "io.example.news $ORIGIN" '!io.example.gone' "own $ORIGIN" >"$TMP/over"
fleet_conf "$TMP/fleet10.conf" "store $MCP_REDIS" "probe $RUNNER_BIN/mcp-probe" "targets store" \
    "overrides $TMP/over" "region east ${REGION_DEST[east]}" \
    "region here - -- --guard-allow ${SERVER_IP%.*}.0/24 --guard-nat64 2001:db8:64::/96"
fleet -n -c "$TMP/fleet10.conf" >"$TMP/dry" 2>&1
like "$(grep '^east: mcp-aggregate' "$TMP/dry")" "^east: mcp-aggregate targets -o $TMP/over >RUN/targets, its standard input$" \
    "dry run: the targets from the store, into the runner's standard input"
like "$(grep '^east: timeout' "$TMP/dry")" "ssh -n .*mcp-probe -r east -f - -d \"[^\"]*\"' \\|" "its probe reads them there (-f -)"
fleet -c "$TMP/fleet10.conf" check >"$TMP/out" 2>&1
is "$?:$(cat "$TMP/out")" "0:$TMP/fleet10.conf: 2 regions
east: 3 targets ok
here: 3 targets ok" "check: the runners read the store's targets"
MCP_NOW=$((now + 21600)) fleet -v -c "$TMP/fleet10.conf" >/dev/null 2>"$TMP/err"
is "$?" 0 "a run on the store's targets: exit 0"
w10=$(((now + 21600) / 60 * 60))
is "$(res_regions own "$w10")" "east here " "the operator's extra target probed from every region"
is "$(res_val io.example.news "$w10" east | awk '{ print $2 }' | cut -c1)" "h" \
    "an override replaces the registry's line: the operator's own, unguarded"
is "$(res_regions io.example.gone "$w10")" "" "an excluded slug is not probed"
like "$(res_val io.example.weather "$w10" east)" "^[0-9]+ b connect address_refused$" \
    "the registry's target is guarded on the runner: its private address refused"
like "$(res_val io.example.weather "$w10" here)" "^[0-9]+ h" "and probed where the region allows the range (--guard-allow)"
is "$(cut -d' ' -f1 "$TMP/fleet-state/run/targets" | tr '\n' ' ')" "io.example.news io.example.weather own " \
    "the list, made once a run on this host, is kept in the run's directory"
fleet_conf "$TMP/fleet11.conf" "store unix://$TMP/no-such.sock" "probe $RUNNER_BIN/mcp-probe" "targets store" \
    "region east ${REGION_DEST[east]}" "region here -"
MCP_NOW=$((now + 25200)) fleet -c "$TMP/fleet11.conf" >/dev/null 2>"$TMP/err"
is "$?" 1 "the store down: exit 1"
is "$(grep -c 'not run: the targets from the store could not be had' "$TMP/err")" 2 \
    "each region that takes them says it was not run"
like "$(cat "$TMP/err")" "the targets from the store: " "and why"

# --- the tools' clock reaches the runners ----------------------------------------
MCP_NOW=$((now + 7200 + 30)) fleet -c "$TMP/fleet.conf" >/dev/null 2>&1
is "$(res_regions weather "$(((now + 7230) / 60 * 60))")" "east here west " \
    "MCP_NOW is the probes' clock on every runner (compressed time)"

# --- a runner's bytes reach the operator's terminal made visible -----------------
mkdir -m 755 "$TMP/loud"
printf '#!/bin/sh\nprintf "\\033]0;title\\007\\033[2Jall regions ok\\n" >&2\nexit 3\n' >"$TMP/loud/mcp-probe"
chmod 755 "$TMP/loud/mcp-probe"
fleet_conf "$TMP/fleet6.conf" "store $MCP_REDIS" "targets $TMP/targets" "probe $TMP/loud/mcp-probe" \
    "region west ${REGION_DEST[west]}" "region here -"
fleet -c "$TMP/fleet6.conf" >/dev/null 2>"$TMP/err"
is "$?" 1 "runners whose probe fails: exit 1"
is "$(tr -cd '\000-\010\013-\037\177' <"$TMP/err" | wc -c)" 0 "no control character of a runner reaches the terminal"
like "$(grep 'west: ' "$TMP/err")" 'mcp-probe exited 3: \^\[\]0;title\^G\^\[\[2Jall regions ok$' \
    "they are shown as cat -v shows them (over ssh)"
like "$(grep 'here: ' "$TMP/err")" 'mcp-probe exited 3: \^\[\]0;title\^G\^\[\[2Jall regions ok$' "and here"
fleet -c "$TMP/fleet6.conf" check >"$TMP/out" 2>&1
is "$?:$(tr -cd '\000-\010\013-\037\177' <"$TMP/out" | wc -c)" 1:0 "check: the same"
like "$(cat "$TMP/out")" 'west: \^\[\]0;title\^G' "made visible"

# --- the store's password: never on a command line ---------------------------------
pw=pw-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$pw" >"$TMP/store.pw"
chmod 600 "$TMP/store.pw"
rcli config set requirepass "$pw" >/dev/null
fleet_conf "$TMP/fleet7.conf" "store unix://$REDIS_SOCK?password=$pw" "probe $RUNNER_BIN/mcp-probe" \
    "targets $TMP/targets" "region west ${REGION_DEST[west]}" "region here -"
fleet_conf "$TMP/fleet8.conf" "store unix://$REDIS_SOCK" "store_password_file $TMP/store.pw" \
    "probe $RUNNER_BIN/mcp-probe" "targets $TMP/targets" "region west ${REGION_DEST[west]}" "region here -"
fleet -n -c "$TMP/fleet7.conf" >"$TMP/dry7" 2>&1
is "$(tail -1 "$TMP/dry7")" "then: mcp-aggregate verdict | mcp-alert (store unix://$REDIS_SOCK?password=***)" \
    "a dry run shows the store without its password"
ps_watch() {
	while :; do
		ps -eo args >>"$TMP/ps.log"
		sleep 0.02
	done
}
ps_watch &
watcher=$!
MCP_NOW=$((now + 10800)) fleet -c "$TMP/fleet7.conf" >/dev/null 2>"$TMP/err7"
rc7=$?
MCP_NOW=$((now + 14400)) MCP_REDIS=unix://$REDIS_SOCK fleet -c "$TMP/fleet8.conf" >/dev/null 2>"$TMP/err8"
rc8=$?
kill "$watcher"
wait "$watcher" 2>/dev/null
is "$rc7:$(cat "$TMP/err7")" "0:" "a run with the store's password in the store line"
is "$rc8:$(cat "$TMP/err8")" "0:" "a run with store_password_file"
is "$(MCP_REDIS="unix://$REDIS_SOCK?password=$pw" res_regions weather "$(((now + 14400) / 60 * 60))")" "here west " \
    "both stored their results"
like "$(cat "$TMP/ps.log")" "mcp-aggregate push -v -r west" "the process lists were taken while push ran"
is "$(grep -c -- "$pw" "$TMP/ps.log")" 0 "no process list holds the password"
rcli -a "$pw" --no-auth-warning config set requirepass '' >/dev/null

# --- check: every runner reachable and its targets readable -----------------------
fleet -c "$TMP/fleet.conf" check >"$TMP/out" 2>&1
is "$?:$(cat "$TMP/out")" "0:$TMP/fleet.conf: 3 regions
east: 2 targets ok
west: 2 targets ok
here: 2 targets ok" "check: each runner reads its targets"
fleet -c "$TMP/fleet2.conf" check >"$TMP/out" 2>&1
is "$?" 1 "check: an unreachable runner fails"
like "$(cat "$TMP/out")" "refused: .*Connection refused" "and is named"

# --- clock: the preflight of a runner ---------------------------------------------
# chronyc's answers as recorded on synchronised and drifting hosts
# (chronyc -c tracking: the fifth field is the offset in seconds).
mkdir -p "$TMP/chrony"
chrony_says() {
	printf '#!/bin/sh\necho "%s"\n' "$1" >"$TMP/chrony/chronyc"
	chmod 755 "$TMP/chrony/chronyc"
}
chrony_says 'A9FEA97B,169.254.169.123,4,1795437000.1,0.000041775,-0.000009,0.000021,-4.221,0.002,0.031,0.000359,0.000062,1024.0,Normal'
PATH=$TMP/chrony:$PATH fleet clock --local >"$TMP/out" 2>&1
is "$?" 0 "clock --local: 41 us off: good"
like "$(cat "$TMP/out")" ": clock: 0.000041775 s off true time \\(chrony\\)$" "and says by how much"
chrony_says 'A9FEA97B,169.254.169.123,4,1795437000.1,-2.513000000,-0.0001,0.02,-4.2,0.002,0.031,0.0003,0.00006,1024.0,Normal'
PATH=$TMP/chrony:$PATH fleet clock --local >"$TMP/out" 2>&1
is "$?" 1 "2.5 s off: refused (exit 1), for ExecStartPre="
like "$(cat "$TMP/out")" "clock: -2.513000000 s off true time \\(chrony\\), more than 1 s: windows would be wrong" "with the reason"
PATH=$TMP/chrony:$PATH fleet clock --local -m 3 >/dev/null 2>&1
is "$?" 0 "-m 3 allows it"
chrony_says '00000000,,0,0.0,0.000000000,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,Not synchronised'
PATH=$TMP/chrony:$PATH fleet clock --local >"$TMP/out" 2>&1
is "$?:$(cat "$TMP/out")" "1:mcp-fleet: $(uname -n): clock: chrony is not synchronised" "an unsynchronised chrony is refused"
# A host whose clock is its host's: timedatectl as a container booted on
# a host whose kernel no NTP disciplines answers; the operator vouches.
rm -f "$TMP/chrony/chronyc"
printf '#!/bin/sh\necho no\n' >"$TMP/chrony/timedatectl"
chmod 755 "$TMP/chrony/timedatectl"
PATH=$TMP/chrony:$PATH fleet clock --local >"$TMP/out" 2>&1
is "$?" 1 "timedatectl's no: refused"
like "$(cat "$TMP/out")" "not synchronised \\(timedatectl\\): enable chrony or systemd-timesyncd; a container's clock is its host's: if the host keeps time, MCP_CLOCK=vouched in /etc/mcp-uptime/runner.env" \
    "and the refusal says how to vouch for a container's clock"
MCP_CLOCK=vouched PATH=$TMP/chrony:$PATH fleet clock --local >"$TMP/out" 2>&1
is "$?:$(cat "$TMP/out")" "0:$(uname -n): clock: vouched for by the operator (MCP_CLOCK=vouched), not checked" \
    "MCP_CLOCK=vouched: not asked, and said so"
MCP_CLOCK=vouch PATH=$TMP/chrony:$PATH fleet clock --local >"$TMP/out" 2>&1
is "$?:$(cat "$TMP/out")" '1:mcp-fleet: MCP_CLOCK=vouch: not understood ("vouched", or unset)' \
    "a typo in MCP_CLOCK: refused, named, not taken for a vouch"

done_testing
