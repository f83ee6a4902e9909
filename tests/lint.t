#!/usr/bin/env bash
# test: long (a minute or so under load: started before the rest)
# timeout: 1500 (minutes of CPU: a busy machine stretches it past 600 s)
# build: plain (its checks are of the plain build: the sanitizer build skips it)
# lint.t - the tree is lint clean: man pages, shell scripts, C formatting; install works
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
case $BIN in
*-san) skip_all "the sanitizer build: lint reads the source, which the pass of build has read" ;;
esac
cd "$TOP" || exit 1

if command -v mandoc >/dev/null; then
	for m in man/*.[1-8]; do
		[ -e "$m" ] || continue
		out=$(mandoc -Tlint -Wwarning "$m" 2>&1)
		is "$out" "" "mandoc -Tlint $m"
	done
else
	ok 1 "mandoc is not installed (scripts/deps installs it)"
fi

# Every source file of the tree's own carries the licence's notice (LICENSE:
# ISC), as debian/copyright says of them.
missing=$(git ls-files -- '*.[ch]' '*.mjs' 'man/*.[1-8]' scripts tests/'*.t' tests/'*.sh' build-aux 2>/dev/null |
    while read -r f; do grep -q 'ISC licence: see LICENSE' "$f" || echo "$f"; done)
is "${missing:-none}" none "every source file carries the ISC notice (Copyright (c) 2026 The mcp-uptime authors)"

# scripts/lib/ is a directory: the files in it instead.
scripts=()
for f in scripts/* scripts/lib/*.sh tests/*.sh tests/*.t tests/*/*.sh .ci/run; do
	[ ! -f "$f" ] || scripts+=("$f")
done
# On every core: shellcheck takes a minute or two of one.
out=$(printf '%s\0' "${scripts[@]}" | xargs -0 -n 16 -P "$(nproc)" shellcheck -S warning 2>&1)
is "$out" "" "shellcheck -S warning: ${#scripts[@]} scripts"

mapfile -t csrc < <(ls build-aux/mkrules.c lib/*.[ch] toolset/*.[ch] probe/*.[ch] aggregate/*.[ch] registry/*.[ch] alertd/*.[ch] alertd/routes/*.[ch] otlp/*.[ch] tests/unit/*.c tests/bench/*.c 2>/dev/null)
out=$(clang-format --dry-run -Werror "${csrc[@]}" 2>&1 | grep -c 'error:')
is "$out" 0 "clang-format: ${#csrc[@]} C files formatted"

# Each tool's usage() is its SYNOPSIS: compare the words.
for tool in mcp-probe mcp-aggregate mcp-alert mcp-otlp; do
	[ -e "man/$tool.1" ] && [ -x "$BIN/$tool" ] || continue
	u=$("$BIN/$tool" -h 2>&1 </dev/null | sed '/^See /d;s/^usage: //' | tr -s ' \n' '  ')
	s=$(MANWIDTH=200 mandoc -Tascii -O width=200 "man/$tool.1" | col -bx |
	    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | tr -s ' \n' '  ')
	is "$(echo "$u" | sed 's/^ *//;s/ *$//')" "$(echo "$s" | sed 's/^ *//;s/ *$//')" "$tool: usage() matches SYNOPSIS"
done

make -s install DESTDIR="$TMP/root" PREFIX=/usr >"$TMP/install.log" 2>&1
is "$?" 0 "make install DESTDIR=… PREFIX=/usr"
ok "$([ -x "$TMP/root/usr/bin/mcp-probe" ] && [ -f "$TMP/root/usr/share/man/man1/mcp-probe.1" ]; echo $?)" \
    "install: binary in bin, page in man1"
is "$(grep -h '^libdir=' "$TMP/root/usr/bin/mcp-fleet" "$TMP/root/usr/bin/mcp-cred" | tr '\n' ' ')" \
    "libdir=/usr/lib/mcp-uptime libdir=/usr/lib/mcp-uptime " "install: the scripts name the library's directory"
ok "$([ -f "$TMP/root/usr/lib/mcp-uptime/trust.sh" ]; echo $?)" "install: their library in /usr/lib/mcp-uptime"
make -s uninstall DESTDIR="$TMP/root" PREFIX=/usr >/dev/null 2>&1
ok "$([ ! -e "$TMP/root/usr/bin/mcp-probe" ] && [ ! -e "$TMP/root/usr/lib/mcp-uptime" ]; echo $?)" \
    "uninstall removes them"
# Installed under a prefix, as they are run: the scripts source their
# library there, and refuse what it refuses.
make -s install PREFIX="$TMP/p" >/dev/null 2>&1
printf 'region here -\n' >"$TMP/here.conf"
is "$("$TMP/p/bin/mcp-cred" -n -c "$TMP/here.conf" check 2>&1; echo "rc=$?")" \
    "here: would read /etc/mcp-uptime/token on -
rc=0" "the installed mcp-cred finds its library"
chmod 666 "$TMP/here.conf"
is "$("$TMP/p/bin/mcp-fleet" -n -c "$TMP/here.conf" 2>&1; echo "rc=$?")" \
    "mcp-fleet: $TMP/here.conf: writable by its group or others (mode 666): refused
rc=2" "the installed mcp-fleet finds it, and refuses a file others can write"

done_testing
