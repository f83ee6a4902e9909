#!/usr/bin/env bash
# packages-life.sh - make check-packages: the Debian packages' life in a fresh Debian 12 root
# Builds the packages of HEAD twice (the two builds must be byte-identical)
# and once more as the next release (VERSION+1); makes a Debian 12 root
# with debootstrap from the mirror the machine's apt sources name; and
# there installs the runner's package with apt as an operator would (its
# dependencies first, then the packages with no network), then the
# deciding host's; runs the README's quick start and a minute of the
# per-region pipeline from the installed paths, by the installed units'
# own command lines as their users (systemd does not run in a chroot:
# sysusers and tmpfiles run as the maintainer scripts run them, the units
# are checked by systemd-analyze verify); upgrades; removes; purges; and
# checks the filesystem after each step.  TAP, as tests/*.t.  As root, a
# few minutes; DEBOOTSTRAP_CACHE (default /var/cache/mcp-uptime-debootstrap)
# keeps the downloaded packages between runs, and MCP_PACKAGES_BUILT=DIR
# takes the three builds from DIR/v1, DIR/v1b and DIR/v2 (build-aux/deb's).
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/debroot-lib.sh
. "$TOP/tests/debroot-lib.sh"
[ "$(id -u)" = 0 ] || skip_all "root is needed (debootstrap, chroot, mount)"
for c in debootstrap dpkg-buildpackage dh unshare chroot git node; do
	command -v "$c" >/dev/null || skip_all "$c is not installed (apt-get install debootstrap; scripts/deps the rest)"
done
V=$(cat "$TOP/VERSION")
V2=$V+1
ARCH=$(dpkg --print-architecture)
ROOT=$TMP/root
# The mirror of the machine's apt sources (deb822 or one-line).

# Nothing of the root may outlive the test: its processes, then its mounts,
# then lib.sh's cleanup removes $TMP.
teardown() {
	[ -s "$ROOT/run/mcp-redis.pid" ] && kill "$(cat "$ROOT/run/mcp-redis.pid")" 2>/dev/null
	mountpoint -q "$ROOT/proc" && umount "$ROOT/proc"
	mountpoint -q "$ROOT/proc" || cleanup
}
trap teardown EXIT

# --- three builds: the release twice (byte-identical), then the next ------
t0=$SECONDS
debroot_start "$ROOT"
# MCP_PACKAGES_BUILT=DIR: the three builds of a run before, DIR/v1, v1b and v2.
if [ -n "${MCP_PACKAGES_BUILT:-}" ]; then
	cp -r "$MCP_PACKAGES_BUILT"/v1 "$MCP_PACKAGES_BUILT"/v1b "$MCP_PACKAGES_BUILT"/v2 "$TMP"/
else
	"$TOP/build-aux/deb" "$TMP/v1" && "$TOP/build-aux/deb" "$TMP/v1b" && "$TOP/build-aux/deb" -V "$V2" "$TMP/v2"
fi
is "$?" 0 "three builds from clean clones: $V twice, $V2"
diag "the three builds: $((SECONDS - t0)) s"
for p in runner decider; do
	cmp "$TMP/v1/mcp-uptime-${p}_${V}_$ARCH.deb" "$TMP/v1b/mcp-uptime-${p}_${V}_$ARCH.deb"
	ok "$?" "mcp-uptime-$p: two builds of one commit are byte-identical"
done
wait "$DEBROOT_PID"
is "$?" 0 "debootstrap bookworm from $MIRROR$(tail -1 "$TMP/debootstrap.log" | sed 's/^/: /')"
diag "the builds and debootstrap: $((SECONDS - t0)) s"
[ -x "$ROOT/usr/bin/apt-get" ] || {
	done_testing
	exit 1
}

# The root as a machine of an operator (no daemon started by a package).
debroot_ready "$ROOT"
mkdir -p "$ROOT/tmp/debs"
cp -r "$TMP/v1" "$TMP/v2" "$ROOT/tmp/debs/"
inroot() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C DEBIAN_FRONTEND=noninteractive "$@"; }
# offline: the same with no network at all (a namespace of its own).
offline() { unshare -n chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C DEBIAN_FRONTEND=noninteractive "$@"; }
R1=/tmp/debs/v1/mcp-uptime-runner_${V}_$ARCH.deb
H1=/tmp/debs/v1/mcp-uptime-decider_${V}_$ARCH.deb
inroot apt-get update -qq >"$TMP/apt.log" 2>&1
deps=$(inroot apt-get install -s -y "$R1" "$H1" 2>>"$TMP/apt.log" | awk '/^Inst / {print $2}' | grep -v '^mcp-uptime-')
inroot apt-get install -y -qq $deps >>"$TMP/apt.log" 2>&1
is "$?" 0 "the packages' dependencies from Debian's archive: $(echo $deps | wc -w) packages"

# The root as it was before: every name but the package manager's books,
# the users' tables, caches and logs; after purge it must be so again.
snap() {
	(cd "$ROOT" && find . -xdev \( -path ./proc -o -path ./tmp -o -path ./dev -o -path ./run \
		-o -path ./var/cache -o -path ./var/lib/apt -o -path ./var/lib/dpkg -o -path ./var/log/apt \
		-o -name 'passwd*' -o -name 'group*' -o -name 'shadow*' -o -name 'gshadow*' -o -name 'subuid*' \
		-o -name 'subgid*' -o -path ./etc/ld.so.cache -o -path ./var/log/dpkg.log -o -path ./var/log/alternatives.log \) \
		-prune -o -print) | sort
}
snap >"$TMP/before"

# --- install: the runner's package as the README says, then the host's ----
offline apt-get install -y -qq "$R1" >"$TMP/install.log" 2>&1
is "$?" 0 "apt install ./mcp-uptime-runner_${V}_$ARCH.deb, with no network"
offline apt-get install -y -qq "$H1" >>"$TMP/install.log" 2>&1
is "$?" 0 "apt install ./mcp-uptime-decider_${V}_$ARCH.deb, with no network"
state() { inroot dpkg-query -W -f='${Package} ${Version} ${db:Status-Abbrev}\n' mcp-uptime-runner mcp-uptime-decider 2>/dev/null | tr -s ' ' | sed 's/ $//' | sort; }
is "$(state | tr '\n' ';')" "mcp-uptime-decider $V ii;mcp-uptime-runner $V ii;" "both installed, version $V"
versions() {
	local t
	for t in mcp-probe mcp-aggregate mcp-alert mcp-serve mcp-otlp mcp-fleet mcp-cred mcp-guardrail; do
		inroot "/usr/bin/$t" --version </dev/null 2>&1 | cut -d' ' -f1,2
	done | tr '\n' ';'
}
want_versions() { printf 'mcp-%s %s;' probe "$1" aggregate "$1" alert "$1" serve "$1" otlp "$1" fleet "$1" cred "$1" guardrail "$1"; }
is "$(versions)" "$(want_versions "$V")" "every tool in /usr/bin answers --version with $V"
is "$(inroot getent passwd mcp-probe mcp-alert mcp-fleet | cut -d: -f1,6,7 | tr '\n' ' ')" \
    "mcp-probe:/var/lib/mcp-uptime/runner:/usr/sbin/nologin mcp-alert:/:/usr/sbin/nologin mcp-fleet:/var/lib/mcp-uptime/fleet:/usr/sbin/nologin " \
    "the system users, made by sysusers.d"
like "$(inroot id -nG mcp-fleet)" '\bmcp-alert\b' "mcp-fleet is in mcp-alert's group (the alerts' log)"
dirs() { inroot stat -c '%n %a %U:%G' /var/lib/mcp-uptime /var/lib/mcp-uptime/runner /var/spool/mcp-uptime \
	/var/lib/mcp-uptime/fleet /var/log/mcp-uptime 2>&1 | tr '\n' ';'; }
is "$(dirs)" "/var/lib/mcp-uptime 755 root:root;/var/lib/mcp-uptime/runner 700 mcp-probe:mcp-probe;/var/spool/mcp-uptime 1777 root:root;/var/lib/mcp-uptime/fleet 700 mcp-fleet:mcp-fleet;/var/log/mcp-uptime 770 mcp-alert:mcp-alert;" \
    "the state, spool and log directories, made by tmpfiles.d"
is "$(inroot stat -c '%n %a' /etc/mcp-uptime/runner.env /etc/mcp-uptime/store.env /etc/mcp-uptime/decide.env /etc/mcp-uptime/serve.env /etc/mcp-uptime/targets | tr '\n' ';')" \
    "/etc/mcp-uptime/runner.env 600;/etc/mcp-uptime/store.env 600;/etc/mcp-uptime/decide.env 600;/etc/mcp-uptime/serve.env 600;/etc/mcp-uptime/targets 644;" "the configuration in /etc/mcp-uptime"
is "$(find "$ROOT/etc/systemd/system" -name 'mcp-*' 2>/dev/null)" "" "no unit enabled: the operator enables them"
is "$(for p in /proc/[0-9]*; do readlink "$p/exe"; done 2>/dev/null | grep "^$ROOT/usr/bin/mcp-")" "" \
    "no unit started: no program of the packages runs"
if [ -x "$ROOT/usr/bin/systemd-analyze" ]; then
	inroot systemd-analyze verify --man=no mcp-decide.service mcp-decide.timer mcp-fleet.service mcp-fleet.timer \
	    mcp-ingest.service mcp-ingest.socket mcp-registry.service mcp-registry.timer mcp-serve.service \
	    mcp-serve.socket mcp-probe@eu-west-2.service mcp-probe@eu-west-2.timer mcp-runner@eu-west-2.service \
	    mcp-runner@eu-west-2.timer >"$TMP/verify.out" 2>&1
	is "$?:$(grep -v 'redis-server.service\|time-sync.target\|network-online.target' "$TMP/verify.out")" "0:" \
	    "systemd-analyze verify: every unit"
fi

# --- the quick start, from the installed paths ------------------------------
start_everything || skip_all "server-everything did not start"
inroot redis-server --port 0 --unixsocket /run/mcp.sock --unixsocketperm 777 --save '' \
    --daemonize yes --pidfile /run/mcp-redis.pid >/dev/null
wait_for 100 test -S "$ROOT/run/mcp.sock"
as() { # as USER VAR=VALUE... COMMAND: a command of the root, as USER
	local u=$1
	shift
	inroot runuser -u "$u" -- /usr/bin/env "$@"
}
# The tools' clock: the quick start's window A ten minutes back, the
# pipeline's B two minutes after it, each decided 100 s after it starts.
now=$(date +%s)
A=$((now / 60 * 60 - 600))
B=$((A + 120))
as mcp-probe MCP_REDIS=unix:///run/mcp.sock MCP_NOW=$((A + 1)) /bin/sh -c \
    "mcp-probe -r local -s everything $EVERYTHING/mcp | mcp-aggregate push" 2>"$TMP/qs.err"
is "$?" 0 "quick start: mcp-probe | mcp-aggregate push, as mcp-probe"
is "$(as mcp-alert MCP_REDIS=unix:///run/mcp.sock MCP_NOW=$((A + 100)) mcp-aggregate verdict | jq -c '{slug, verdict, reporters}')" \
    '{"slug":"everything","verdict":"green","reporters":["local"]}' "quick start: the verdict, green"

# --- a minute of the pipeline: the units' own command lines -----------------
unit_line() { # unit_line UNIT KEY INSTANCE: the value of KEY=, %i as INSTANCE
	sed -n "s/^$2=//p" "$ROOT/lib/systemd/system/$1" | sed "s/%i/$3/g"
}
printf 'everything %s/mcp\n' "$EVERYTHING" >>"$ROOT/etc/mcp-uptime/targets"
printf 'MCP_REDIS=unix:///run/mcp.sock\n' >>"$ROOT/etc/mcp-uptime/runner.env"
printf 'MCP_REDIS=unix:///run/mcp.sock\n' >>"$ROOT/etc/mcp-uptime/decide.env"
# mcp-alert's configuration: /etc/mcp-uptime/mcp-alert.conf, else the
# /etc/mcp-alert.conf of the releases before the packages.
printf 'bogus 1\n' >"$ROOT/etc/mcp-alert.conf"
is "$(inroot mcp-alert check 2>&1)" 'mcp-alert: /etc/mcp-alert.conf:1: unknown key "bogus"' \
    "mcp-alert without -c: /etc/mcp-alert.conf when /etc/mcp-uptime/mcp-alert.conf is not there"
install -m 600 -o "$(inroot id -u mcp-alert)" /dev/null "$ROOT/etc/mcp-uptime/mcp-alert.conf"
printf 'bogus 2\n' >"$ROOT/etc/mcp-uptime/mcp-alert.conf"
is "$(inroot mcp-alert check 2>&1)" 'mcp-alert: /etc/mcp-uptime/mcp-alert.conf:1: unknown key "bogus"' \
    "mcp-alert without -c: /etc/mcp-uptime/mcp-alert.conf first"
: >"$ROOT/etc/mcp-uptime/mcp-alert.conf"
rm -f "$ROOT/etc/mcp-alert.conf"
is "$(inroot test -f /usr/share/doc/mcp-uptime-decider/examples/mcp-alert.conf.example && echo yes)" yes \
    "the decider's package has mcp-alert.conf's example"
# A unit's command line is read by sh as systemd reads these: words and
# single quotes.
for r in eu-west-2 us-east-1; do
	# shellcheck disable=SC2046 # the file's lines are words VAR=VALUE
	as mcp-probe $(grep -v '^#' "$ROOT/etc/mcp-uptime/runner.env") \
	    "$(unit_line mcp-probe@.service Environment "$r")" MCP_NOW=$((B + 1)) \
	    /bin/sh -c "$(unit_line mcp-probe@.service ExecStart "$r")" 2>>"$TMP/units.err"
	is "$?" 0 "mcp-probe@$r.service's ExecStart, as mcp-probe, its spool in its state directory"
done
# shellcheck disable=SC2046
out=$(as mcp-alert $(grep -v '^#' "$ROOT/etc/mcp-uptime/decide.env") MCP_NOW=$((B + 100)) \
    /bin/sh -c "$(unit_line mcp-decide.service ExecStart x)" 2>>"$TMP/units.err")
is "$?" 0 "mcp-decide.service's ExecStart, as mcp-alert: verdict | mcp-alert"
status_of() { as mcp-alert MCP_REDIS=unix:///run/mcp.sock MCP_NOW=$((B + 100)) mcp-aggregate status -j; }
is "$(status_of | jq -r 'select(.slug == "everything") | .state' 2>&1)" "up" "the minute decided: everything up"
is "$(as mcp-alert MCP_REDIS=unix:///run/mcp.sock mcp-aggregate results everything "$B" "$B" | awk '{print $2}' | sort -u | tr '\n' ' ')" \
    "eu-west-2 us-east-1 " "both regions' results of the minute in the store"
diag "the alerts of the minute: ${out:-none}; $(cat "$TMP/units.err")"

# --- the operator's state, then the upgrade --------------------------------
tok=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
install -m 600 -o "$(inroot id -u mcp-probe)" /dev/null "$ROOT/etc/mcp-uptime/token"
printf '%s\n' "$tok" >"$ROOT/etc/mcp-uptime/token"
as mcp-probe MCP_REDIS=unix:///run/nothing.sock MCP_NOW=$((now - 60)) /bin/sh -c \
    "mcp-probe -r local -s everything $EVERYTHING/mcp | mcp-aggregate push -t 1" >/dev/null 2>&1
spool() { (cd "$ROOT" && find var/spool/mcp-uptime -type f | sort | xargs -r sha256sum); }
like "$(spool)" 'aggregate\.' "a push with no store left its records in the spool"
keep() { # what an upgrade keeps: the operator's files, the spool, the store
	(cd "$ROOT" && sha256sum etc/mcp-uptime/targets etc/mcp-uptime/runner.env etc/mcp-uptime/token)
	spool
	inroot redis-cli -s /run/mcp.sock dbsize
}
keep >"$TMP/kept"
offline apt-get install -y -qq /tmp/debs/v2/mcp-uptime-runner_"${V2}"_"$ARCH".deb \
    /tmp/debs/v2/mcp-uptime-decider_"${V2}"_"$ARCH".deb >"$TMP/upgrade.log" 2>&1
is "$?" 0 "the upgrade to $V2, with no network"
is "$(state | tr '\n' ';')" "mcp-uptime-decider $V2 ii;mcp-uptime-runner $V2 ii;" "both at $V2"
is "$(versions)" "$(want_versions "$V2")" "every tool answers --version with $V2"
is "$(keep)" "$(cat "$TMP/kept")" "the upgrade kept the configuration, the token, the spool and the store"
is "$(find "$ROOT/etc/mcp-uptime" -name '*.dpkg-*')" "" "no conffile question: the operator's edits stand"
is "$(dirs)" "/var/lib/mcp-uptime 755 root:root;/var/lib/mcp-uptime/runner 700 mcp-probe:mcp-probe;/var/spool/mcp-uptime 1777 root:root;/var/lib/mcp-uptime/fleet 700 mcp-fleet:mcp-fleet;/var/log/mcp-uptime 770 mcp-alert:mcp-alert;" \
    "the directories as they were"
is "$(status_of | jq -r 'select(.slug == "everything") | .state' 2>&1)" "up" \
    "the upgraded mcp-aggregate reads the store as it was"

# --- remove: the programs go, the configuration and the state stay ----------
offline apt-get remove -y -qq mcp-uptime-decider mcp-uptime-runner >"$TMP/remove.log" 2>&1
is "$?" 0 "apt remove, with no network"
is "$(state | tr '\n' ';')" "mcp-uptime-decider $V2 rc;mcp-uptime-runner $V2 rc;" "removed, the configuration left"
is "$(ls "$ROOT"/usr/bin/mcp-* "$ROOT"/lib/systemd/system/mcp-* 2>/dev/null)" "" "no program, no unit"
is "$(cd "$ROOT" && ls -d etc/cron.d/mcp-uptime* etc/mcp-uptime/* | tr '\n' ' ')" \
    "etc/cron.d/mcp-uptime etc/cron.d/mcp-uptime-decider etc/mcp-uptime/decide.env etc/mcp-uptime/fleet.env etc/mcp-uptime/ingest.env etc/mcp-uptime/lighttpd.conf etc/mcp-uptime/nginx-site.conf etc/mcp-uptime/nginx.conf etc/mcp-uptime/runner.env etc/mcp-uptime/serve.env etc/mcp-uptime/store.env etc/mcp-uptime/targets etc/mcp-uptime/token " \
    "the configuration kept"
is "$(dirs)" "/var/lib/mcp-uptime 755 root:root;/var/lib/mcp-uptime/runner 700 mcp-probe:mcp-probe;/var/spool/mcp-uptime 1777 root:root;/var/lib/mcp-uptime/fleet 700 mcp-fleet:mcp-fleet;/var/log/mcp-uptime 770 mcp-alert:mcp-alert;" \
    "the state kept"

# --- purge: nothing of the packages' own is left ----------------------------
inroot dpkg --purge mcp-uptime-decider mcp-uptime-runner >"$TMP/purge.log" 2>&1
is "$?" 0 "dpkg --purge"
is "$(state)" "" "purged"
rm -f "$ROOT/etc/mcp-uptime/mcp-alert.conf"
snap >"$TMP/after"
is "$(diff "$TMP/before" "$TMP/after" | grep '^[<>]' | tr '\n' ' ')" "> ./etc/mcp-uptime > ./etc/mcp-uptime/token " \
    "purge left only the operator's own file (the token) of all it had"
is "$(inroot getent passwd mcp-probe mcp-alert mcp-fleet | cut -d: -f1 | tr '\n' ' ')" "mcp-probe mcp-alert mcp-fleet " \
    "the system users are kept, as Debian keeps them"

done_testing
