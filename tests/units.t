#!/usr/bin/env bash
# build: plain (its checks are of the plain build: the sanitizer build skips it)
# units.t - the deployment files of mcp-fleet(8): systemd units and timers that
# systemd-analyze accepts, cron lines that parse and name real commands, the
# example fleet.conf, mcp-fleet(8)'s SYNOPSIS, and make install/uninstall
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
case $BIN in
*-san) skip_all "the sanitizer build: units, cron lines and make install hold no C" ;;
esac
cd "$TOP" || exit 1
fleet=$TOP/scripts/mcp-fleet

units=(contrib/systemd/*.service contrib/systemd/*.socket contrib/systemd/*.timer)
timers=(contrib/systemd/*.timer)
# key UNIT KEY: the values of KEY= in UNIT, one a line.
key() { sed -n "s/^$2=//p" "$1"; }

# --- the units -------------------------------------------------------------
# verify checks that every Exec*= program exists: a copy of the units names
# the tools under test and scripts/mcp-fleet instead of /usr/local/bin.
if command -v systemd-analyze >/dev/null; then
	mkdir "$TMP/units"
	for u in "${units[@]}"; do
		sed -e "s|/usr/local/bin/mcp-fleet|$fleet|g" -e "s|/usr/local/bin/|$BIN/|g" "$u" >"$TMP/units/${u##*/}"
	done
	# --man=no: Documentation= is checked below, against man/, not man-db.
	out=$(cd "$TMP/units" && systemd-analyze verify --man=no ./* 2>&1)
	is "$?:$out" "0:" "systemd-analyze verify: ${#units[@]} units, no warning"
	for t in "${timers[@]}"; do
		cal=$(key "$t" OnCalendar)
		norm=$(systemd-analyze calendar "$cal" 2>&1 | sed -n 's/^ *Normalized form: //p')
		case $t in
		*/mcp-decide.timer) want='*-*-* *:*:40' ;;
		*/mcp-registry.timer) want='*-*-* *:17:00' ;; # hourly, not on the minute
		*) want='*-*-* *:*:00' ;;
		esac
		is "$norm" "$want" "${t##*/}: OnCalendar=$cal is $want"
	done
else
	diag "systemd-analyze verify and calendar skipped: no systemd-analyze here"
fi
for t in "${timers[@]}"; do
	# The hourly crawl of the registry is spread, not pinned to a second.
	[ "${t##*/}" = mcp-registry.timer ] && want="1min 300 true" || want="1s 0 false"
	is "$(key "$t" AccuracySec) $(key "$t" RandomizedDelaySec) $(key "$t" Persistent)" "$want" \
	    "${t##*/}: AccuracySec, RandomizedDelaySec, Persistent: $want"
	[ -f "${t%.timer}.service" ]
	ok $? "${t##*/}: its service is there"
done
for u in "${units[@]}"; do
	for d in $(key "$u" Documentation); do
		p=${d#man:}
		[ -f "man/${p%(*}.$(echo "$p" | tr -dc 0-9)" ]
		ok $? "${u##*/}: Documentation=$d is in man/"
	done
done
s=contrib/systemd/mcp-probe@.service
is "$(key "$s" ExecStartPre)" "/usr/local/bin/mcp-fleet clock --local" "a runner's clock is its preflight"
like "$(key "$s" ExecStart)" "mcp-probe -r %i -f [^ ]+ -d [0-9]+ \| [^ ]*mcp-aggregate push -r %i'$" \
    "a runner pushes its region only, the instance name as written (%i, not %I)"
is "$(key "$s" EnvironmentFile | tr '\n' ' ')" "-/etc/mcp-uptime/store.env -/etc/mcp-uptime/runner.env " \
    "a runner's store from store.env, then runner.env"
s=contrib/systemd/mcp-runner@.service
like "$(key "$s" ExecStart)" "mcp-probe -r %i -f - -d [0-9]+ \| [^ ]*mcp-aggregate push --to \"\\\$MCP_INGEST/ingest/%i\" --token-file \"\\\$CREDENTIALS_DIRECTORY/token\" \\\$\\\$\\{MCP_CACERT:\\+--cacert \"\\\$MCP_CACERT\"\\}'\$" \
    "a runner that only dials out ends its run in time (-d) and sends its region's records to the ingest of its region, the token a credential"
is "$(key "$s" LoadCredential)" "token:/etc/mcp-uptime/token" "...its token file handed over by systemd"
is "$(key contrib/systemd/mcp-ingest.service ExecStart)" "/usr/local/bin/mcp-aggregate ingest" "the ingest: a FastCGI responder on mcp-ingest.socket"
is "$(key contrib/systemd/mcp-fleet.service StateDirectory)" mcp-uptime/fleet "mcp-fleet's state directory"
like "$(key "$s" ExecStart)" "targets --from [^|]* \\\$\\\$\\{MCP_CACERT:\\+--cacert \"\\\$MCP_CACERT\"\\} \\|" \
    "...and its targets are asked with the same CA as its records are sent (MCP_CACERT of runner.env)"

# --- one store for every unit ----------------------------------------------------
# Each unit that reads or writes the store reads /etc/mcp-uptime/store.env
# first, and none sets MCP_REDIS itself: one place, whose default (unset)
# is what Debian's redis-server serves.
for u in mcp-decide mcp-fleet mcp-ingest mcp-probe@ mcp-registry mcp-serve; do
	is "$(key "contrib/systemd/$u.service" EnvironmentFile | head -1):$(grep -c '^Environment=MCP_REDIS' "contrib/systemd/$u.service")" \
	    "-/etc/mcp-uptime/store.env:0" "$u.service: the store from store.env, read first, and no MCP_REDIS of its own"
done
# The units that face the internet (nginx hands them every request) are
# no more exposed than the one that takes no request.
if systemd-analyze security --help 2>/dev/null | grep -q -- --offline; then
	exposure() {
		sed "s|/usr/local/bin/|$BIN/|g" "contrib/systemd/$1" >"$TMP/$1"
		systemd-analyze security --offline=yes --no-pager "$TMP/$1" 2>/dev/null |
		    sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p'
	}
	d=$(exposure mcp-decide.service)
	for u in mcp-serve.service mcp-ingest.service; do
		e=$(exposure "$u")
		awk -v e="$e" -v d="$d" 'BEGIN { exit !(e != "" && d != "" && e + 0 <= d + 0 && e + 0 <= 2) }'
		ok $? "$u: exposure $e (systemd-analyze security), at most mcp-decide.service's $d and 2.0"
	done
else
	diag "systemd-analyze security --offline: not in this systemd"
fi

# --- the cron lines ----------------------------------------------------------
# A job is "#" (commented out) or nothing, five time fields, a user and a
# command; the other lines are comments, blank, or NAME=value.
# fields_ok F LO HI: a cron time field of numbers from LO to HI.
fields_ok() {
	local f=$1 lo=$2 hi=$3 part n parts
	[[ $f =~ ^[0-9*/,-]+$ ]] || return 1
	read -ra parts <<<"${f//[,\/-]/ }"
	for part in "${parts[@]}"; do
		[ "$part" = '*' ] && continue
		[[ $part =~ ^[0-9]+$ ]] || return 1
		n=$((10#$part))
		[ "$n" -ge "$lo" ] && [ "$n" -le "$hi" ] || return 1
	done
}
jobs=0
bad=()
users=()
for cron in contrib/cron/mcp-uptime contrib/cron/mcp-uptime-decider; do
while IFS= read -r line; do
	case $line in
	'' | '# '* | '#' | '#'[A-Za-z_]*=*) continue ;;
	[A-Za-z_]*=*)
		[[ $line =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || bad+=("$line")
		continue
		;;
	esac
	read -r mi ho dm mo dw user cmd <<<"${line#\#}"
	if fields_ok "$mi" 0 59 && fields_ok "$ho" 0 23 && fields_ok "$dm" 1 31 && fields_ok "$mo" 1 12 &&
	    fields_ok "$dw" 0 7 && [[ $user =~ ^[a-z_][a-z0-9_-]*$ ]] && [ -n "$cmd" ]; then
		jobs=$((jobs + 1))
		users+=("$user")
		# Each command of the line: the first word after | ; && ||.
		while read -r w _; do
			case $w in
			'') ;;
			mcp-*) [ -x "scripts/$w" ] || [ -x "$BIN/$w" ] || bad+=("$w: not in scripts/ or $BIN") ;;
			*) command -v "$w" >/dev/null || bad+=("$w: not found") ;;
			esac
		done < <(sed 's/&&\|||\|[|;]/\n/g' <<<"$cmd")
	else
		bad+=("$line")
	fi
done <"$cron"
done
is "$jobs:${bad[*]}" "9:" "contrib/cron: 9 jobs of five time fields, a user and a command, each command there"
# The runner's package carries /etc/cron.d/mcp-uptime: it names nothing
# the runner does not have (mcp-alert, the fleet's run, the registry's sync).
is "$(grep -E '^#?[0-9*]' contrib/cron/mcp-uptime | grep -oE 'mcp-alert|mcp-fleet( *>|$)|registry sync|mcp-aggregate (verdict|fleet|audit)' | sort -u | tr '\n' ' ')" "" \
    "the runners' cron lines need only mcp-probe, mcp-aggregate push and targets, mcp-otlp and mcp-fleet clock"
for u in $(printf '%s\n' "${users[@]}" | sort -u); do
	grep -qx "User=$u" contrib/systemd/*.service
	ok $? "contrib/cron: the user $u is a unit's user too"
done

# --- the example configuration ------------------------------------------------
out=$("$fleet" -n -c contrib/fleet.conf.example 2>&1)
is "$?:$(grep -c '^[a-z0-9.-]*: timeout ' <<<"$out")" 0:5 "mcp-fleet -n accepts contrib/fleet.conf.example: five regions"
is "$("$fleet" -n -c contrib/fleet.conf.example check 2>&1)" "contrib/fleet.conf.example: 5 regions" "and check -n"
# A run on a host without mcp-alert (a runner of mcp-uptime-runner alone)
# says so at once, and runs nothing.
out=$(env PATH=/usr/bin:/bin "$fleet" -c contrib/fleet.conf.example 2>&1)
is "$?:$out" "1:mcp-fleet: mcp-alert is not installed: a run decides and alerts on the deciding host (the package mcp-uptime-decider); a runner needs only \"mcp-fleet clock --local\"" \
    "mcp-fleet run without mcp-alert: refused, and why"

# --- mcp-fleet(8) --------------------------------------------------------------
if command -v mandoc >/dev/null; then
	u=$("$fleet" -h 2>&1 | sed '/^See /d' | sed 's/^usage: //')
	s=$(MANWIDTH=200 mandoc -Tascii -O width=200 man/mcp-fleet.8 | col -b |
	    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | tr -s ' \n' '  ' | sed 's/^ *//;s/ *$//')
	is "$u" "$s" "mcp-fleet: usage() matches SYNOPSIS"
else
	diag "mcp-fleet(8)'s SYNOPSIS skipped: no mandoc here"
fi

# --- make install and uninstall ------------------------------------------------
# The binaries under test, never rebuilt here (-o).
mk() { make -s B="$BIN" -o "$BIN/mcp-probe" -o "$BIN/mcp-aggregate" -o "$BIN/mcp-alert" \
    -o "$BIN/mcp-serve" -o "$BIN/mcp-otlp" DESTDIR="$TMP/root" PREFIX=/usr "$@" >"$TMP/make.log" 2>&1; }
files=(
	usr/bin/mcp-probe usr/bin/mcp-aggregate usr/bin/mcp-alert usr/bin/mcp-serve usr/bin/mcp-otlp usr/share/man/man1/mcp-otlp.1
	usr/bin/mcp-fleet usr/bin/mcp-guardrail usr/bin/mcp-cred usr/share/man/man8/mcp-cred.8
	usr/share/man/man8/mcp-fleet.8 usr/share/man/man8/mcp-serve.8 usr/share/man/man7/mcp.7
	usr/lib/systemd/system/mcp-fleet.service usr/lib/systemd/system/mcp-fleet.timer
	usr/lib/systemd/system/mcp-probe@.service usr/lib/systemd/system/mcp-probe@.timer
	usr/lib/systemd/system/mcp-decide.service usr/lib/systemd/system/mcp-decide.timer
	usr/lib/systemd/system/mcp-serve.service usr/lib/systemd/system/mcp-serve.socket
	usr/share/doc/mcp-uptime/examples/mcp-uptime usr/share/doc/mcp-uptime/examples/fleet.conf.example
)
mk install
is "$?" 0 "make install DESTDIR=… PREFIX=/usr"
missing=()
for f in "${files[@]}"; do
	[ -f "$TMP/root/$f" ] || missing+=("$f")
done
is "${missing[*]}" "" "it installs the ${#files[@]} files named"
is "$(stat -c %a "$TMP/root/usr/bin/mcp-fleet") $(stat -c %a "$TMP/root/usr/lib/systemd/system/mcp-fleet.service")" \
    "755 644" "scripts mode 755, units 644"
is "$(grep -l /usr/local/bin "$TMP/root/usr/lib/systemd/system/"*)" "" "the units installed name /usr/bin, not /usr/local/bin"
grep -q '^ExecStartPre=/usr/bin/mcp-fleet clock --local$' "$TMP/root/usr/lib/systemd/system/mcp-probe@.service"
ok $? "as ExecStartPre=/usr/bin/mcp-fleet"
mk uninstall
is "$?:$(cd "$TMP/root" && find . -type f | sort)" "0:" "make uninstall removes every file it installed"

done_testing
