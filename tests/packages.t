#!/usr/bin/env bash
# test: long (the packages built from a clean clone: a minute or two of both cores)
# timeout: 1500 (minutes of CPU: a busy machine stretches it past 600 s)
# build: plain (its checks are of the plain build: the sanitizer build skips it)
# packages.t - the Debian packages: built from a clean clone of HEAD (build-aux/deb),
# lintian clean, split by role, every file where policy puts it, and the
# version of VERSION in every tool, in the probe's User-Agent and in
# mcp-otlp's service.version.  The packages' life in a fresh Debian 12
# (install, the pipeline there, upgrade, remove, purge) and the
# byte-identical second build are make check-packages (tests/packages-life.sh).
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/otlp-lib.sh
. "$TOP/tests/otlp-lib.sh"
case $BIN in
*-san) skip_all "the sanitizer build: the packages are built from the tree, once" ;;
esac
for c in dpkg-buildpackage dh lintian git; do
	command -v "$c" >/dev/null || skip_all "$c is not installed (scripts/deps installs it)"
done
git -C "$TOP" rev-parse HEAD >/dev/null 2>&1 || skip_all "not a git checkout: the packages are built from a clone of HEAD"

V=$(cat "$TOP/VERSION")
ARCH=$(dpkg --print-architecture)
D=$TMP/deb
t0=$SECONDS
# MCP_PACKAGES_BUILT=DIR: the packages of HEAD that build-aux/deb left in DIR/v1.
if [ -n "${MCP_PACKAGES_BUILT:-}" ]; then
	cp -r "$MCP_PACKAGES_BUILT/v1" "$D"
else
	"$TOP/build-aux/deb" "$D" 2>"$TMP/deb.err"
fi
is "$?" 0 "build-aux/deb: dpkg-buildpackage -b from a clean clone of HEAD$(sed -n '$s/^/: /p' "$TMP/deb.err" 2>/dev/null)"
diag "the build: $((SECONDS - t0)) s"
is "$(cd "$D" && ls ./*.deb | sed 's|^\./||' | tr '\n' ' ')" \
    "mcp-uptime-decider_${V}_$ARCH.deb mcp-uptime-runner_${V}_$ARCH.deb " \
    "two packages, a runner's and the deciding host's, of VERSION's version"
R=$D/mcp-uptime-runner_${V}_$ARCH.deb
H=$D/mcp-uptime-decider_${V}_$ARCH.deb
[ -s "$R" ] && [ -s "$H" ] || {
	diag "$(tail -20 "$D/build.log" 2>/dev/null)"
	done_testing
	exit 1
}
like "$(grep -c 'mcp-deb' "$D/build.log")" '^[1-9]' "the build ran in the clone, not in the tree"
unlike "$(grep -E 'deps/(curl|cjson)|apt-get source|https?://' "$D/build.log" | grep -v '^dpkg-genchanges\|Format:' | head -3)" . \
    "the build links no deps/ and fetches nothing"

# --- lintian: no error, no warning (each one overridden names its reason) --
t0=$SECONDS
lintian --fail-on error,warning --no-tag-display-limit "$D"/mcp-uptime_"${V}"_"$ARCH".changes >"$TMP/lintian.out" 2>&1
rc=$?
diag "lintian: $((SECONDS - t0)) s"
is "$rc:$(grep -E '^[EW]: ' "$TMP/lintian.out")" "0:" "lintian: no error and no warning"
# A block of overrides begins with its reason, a comment.
for p in runner decider; do
	is "$(awk '/^#/ {c = 1; next} /^$/ {c = 0; next} !c {print}' "$TOP/debian/mcp-uptime-$p.lintian-overrides")" "" \
	    "mcp-uptime-$p: each lintian override follows its reason"
done

# --- the split: a runner carries nothing of mcp-alert, mcp-serve or a web server
contents() { dpkg-deb -c "$1" | awk '{print $6}' | sed 's|^\./|/|'; }
contents "$R" >"$TMP/runner.files"
contents "$H" >"$TMP/decider.files"
has() { grep -qx -- "$2" "$TMP/$1.files"; }
for f in /usr/bin/mcp-probe /usr/bin/mcp-otlp /usr/bin/mcp-aggregate /usr/bin/mcp-fleet \
	/usr/lib/mcp-uptime/trust.sh /lib/systemd/system/mcp-runner@.timer /lib/systemd/system/mcp-probe@.timer \
	/etc/cron.d/mcp-uptime /etc/mcp-uptime/runner.env /etc/mcp-uptime/store.env /etc/mcp-uptime/targets \
	/usr/lib/sysusers.d/mcp-uptime-runner.conf /usr/lib/tmpfiles.d/mcp-uptime-runner.conf \
	/usr/share/man/man1/mcp-probe.1.gz /usr/share/man/man1/mcp-aggregate.1.gz /usr/share/man/man7/mcp.7.gz \
	/usr/share/doc/mcp-uptime-runner/copyright /usr/share/doc/mcp-uptime-runner/README.Debian; do
	has runner "$f"
	ok "$?" "runner: $f"
done
for f in /usr/bin/mcp-alert /usr/bin/mcp-serve /usr/bin/mcp-cred /usr/bin/mcp-guardrail \
	/lib/systemd/system/mcp-decide.timer /lib/systemd/system/mcp-serve.socket /lib/systemd/system/mcp-ingest.socket \
	/lib/systemd/system/mcp-fleet.timer /lib/systemd/system/mcp-registry.timer \
	/etc/mcp-uptime/nginx.conf /etc/mcp-uptime/nginx-site.conf /etc/mcp-uptime/lighttpd.conf /etc/mcp-uptime/decide.env \
	/etc/mcp-uptime/serve.env /etc/cron.d/mcp-uptime-decider /usr/share/doc/mcp-uptime-decider/README.Debian.gz \
	/usr/lib/sysusers.d/mcp-uptime-decider.conf /usr/share/man/man8/mcp-serve.8.gz \
	/usr/share/man/man5/mcp-alert.conf.5.gz /usr/share/doc/mcp-uptime-decider/copyright; do
	has decider "$f"
	ok "$?" "decider: $f"
done
is "$(grep -E 'mcp-(alert|serve|cred|guardrail)|nginx|lighttpd|decide|ingest|registry' "$TMP/runner.files")" "" \
    "the runner: nothing of mcp-alert, mcp-serve or a web server"
is "$(sort "$TMP/runner.files" "$TMP/decider.files" | grep -v '/$' | uniq -d)" "" "no file in both packages"
is "$(cat "$TMP/runner.files" "$TMP/decider.files" | grep -v '/$' |
	grep -Ev '^/(usr/bin|usr/lib/mcp-uptime|usr/lib/sysusers\.d|usr/lib/tmpfiles\.d|lib/systemd/system|usr/share/man/man[1-8]|usr/share/doc/mcp-uptime-(runner|decider)|usr/share/lintian/overrides|etc/mcp-uptime|etc/cron\.d)/')" "" \
    "every file in /usr/bin, /etc/mcp-uptime, the units', users', tmpfiles', manuals', docs' and overrides' places"
is "$(dpkg-deb -f "$R" Depends | tr ',' '\n' | grep -E 'fcgi|nginx|lighttpd|redis-server|alert')" "" \
    "the runner depends on no libfcgi, web server or Redis server"
like "$(dpkg-deb -f "$H" Depends)" "^mcp-uptime-runner \(= $V\)," "the deciding host's depends on the runner's of its version (mcp-aggregate)"
sbu() { dpkg-query -W -f='${source:Package} (= ${source:Version})' "$1"; }
is "$(dpkg-deb -f "$R" Static-Built-Using)" "$(sbu libfcgi-dev)" "runner: Static-Built-Using names the static libfcgi"
is "$(dpkg-deb -f "$H" Static-Built-Using)" "$(sbu libhiredis-dev), $(sbu libfcgi-dev)" \
    "decider: Static-Built-Using names the static libfcgi and hiredis"

# --- configuration as conffiles; the users, the directories, the units ----
ctl() { rm -rf "$TMP/ctl" && dpkg-deb -e "$1" "$TMP/ctl"; }
ctl "$R"
is "$(sort "$TMP/ctl/conffiles" | tr '\n' ' ')" "/etc/cron.d/mcp-uptime /etc/mcp-uptime/runner.env /etc/mcp-uptime/store.env /etc/mcp-uptime/targets " \
    "runner: its configuration is conffiles"
awk '/systemd-sysusers/ {print NR, "sysusers"} /systemd-tmpfiles/ {print NR, "tmpfiles"}' "$TMP/ctl/postinst" >"$TMP/order"
is "$(awk '{print $2}' "$TMP/order" | uniq | tr '\n' ' ')" "sysusers tmpfiles " "runner: postinst makes the user, then its directories"
unlike "$(cat "$TMP/ctl"/p* 2>/dev/null)" 'apt-get|curl|wget|https?://' "runner: no maintainer script reaches the network"
ctl "$H"
is "$(sort "$TMP/ctl/conffiles" | tr '\n' ' ')" \
    "/etc/cron.d/mcp-uptime-decider /etc/mcp-uptime/decide.env /etc/mcp-uptime/fleet.env /etc/mcp-uptime/ingest.env /etc/mcp-uptime/lighttpd.conf /etc/mcp-uptime/nginx-site.conf /etc/mcp-uptime/nginx.conf /etc/mcp-uptime/serve.env " \
    "decider: its configuration is conffiles"
is "$(grep -c 'deb-systemd-helper debian-installed' "$TMP/ctl/postinst"):$(grep -c 'was-enabled' "$TMP/ctl/postinst")" "5:5" \
    "decider: postinst enables none of its 5 units (each only as it was, once the operator enabled it)"
like "$(cat "$TMP/ctl/postinst")" "try-restart .*'mcp-serve.service'" "decider: an upgrade restarts the units running (mcp-serve's responders)"
like "$(cat "$TMP/ctl/prerm")" 'stop mcp-decide.timer' "decider: remove stops the units"
unlike "$(cat "$TMP/ctl"/p* 2>/dev/null)" 'apt-get|curl |wget|https?://' "decider: no maintainer script reaches the network"

# --- what the packages hold runs: the version, everywhere it is written --
mkdir -p "$TMP/root"
dpkg-deb -x "$R" "$TMP/root" && dpkg-deb -x "$H" "$TMP/root"
P=$TMP/root/usr/bin
for t in mcp-probe mcp-aggregate mcp-alert mcp-serve mcp-otlp mcp-fleet mcp-cred mcp-guardrail; do
	like "$("$P/$t" --version 2>&1 </dev/null)" "^$t $V( |$)" "$t --version: the package's version"
done
# The runner's package names nothing it does not carry: its cron table
# runs no mcp-alert, no fleet run, no registry sync.
is "$(dpkg-deb --fsys-tarfile "$R" | tar -xO ./etc/cron.d/mcp-uptime | grep -E '^#?[0-9*]' | grep -cE 'mcp-alert|mcp-fleet( *>|$)|registry sync')" 0 \
    "runner: its cron table names no program of the deciding host's"
is "$(grep -l /usr/local/bin/ "$TMP"/root/lib/systemd/system/* "$TMP"/root/etc/cron.d/* 2>/dev/null)" "" \
    "the units and the cron table name the installed paths, not /usr/local"
is "$(sed -n 's/^Exec[A-Za-z]*=//p' "$TMP"/root/lib/systemd/system/*.service | grep -o '/usr/bin/[a-z-]*' | sort -u |
	while read -r x; do [ -x "$TMP/root$x" ] || echo "$x"; done)" "" "every program a unit runs is in the packages"

start_receiver || skip_all "receiver did not start"
"$P/mcp-probe" -r local -s ua "$RECV/mcp" >/dev/null 2>&1
is "$(jq -r '.headers["user-agent"]' "$RECV_LOG" | sort -u)" "mcp-probe/$V" "the probe's User-Agent: mcp-probe/VERSION"
if [ -e "$TOP/tests/node_modules/@opentelemetry/otlp-transformer/build/src/generated/root.js" ] && start_otlp; then
	"$P/mcp-probe" -r local -s ua "$RECV/mcp" 2>/dev/null |
	    OTEL_EXPORTER_OTLP_ENDPOINT=$OTLP/ "$P/mcp-otlp" --no-metrics >/dev/null 2>"$TMP/otlp.err"
	is "$(jq -r '.spans[]?.resource["service.version"]' "$OTLP_LOG" | sort -u)" "$V" \
	    "mcp-otlp's resource: service.version is VERSION"
	is "$(jq -r '.headers["user-agent"]' "$OTLP_LOG" | sort -u)" "mcp-otlp/$V" "mcp-otlp's User-Agent: mcp-otlp/VERSION"
else
	diag "the OTLP receiver's packages are missing (npm ci in tests/): service.version skipped"
fi

done_testing
