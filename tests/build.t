#!/usr/bin/env bash
# build: plain (its checks are of the plain build: the sanitizer build skips it)
# build.t - the tools and the build's helpers kept apart: scripts/ holds
# the tools only (none named as a command of the system), make install
# installs the tools and nothing else, objects compiled for one libcurl
# are compiled again when the other is linked, and mcp-serve is linked
# without shared libraries when deps/cjson is there, quietly, and
# without glibc's NSS
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
case $BIN in
*-san) skip_all "the sanitizer build: the build's own checks run once, with the plain build" ;;
esac
SYSPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

shadows=
for f in "$TOP"/scripts/*; do
	n=${f##*/}
	if PATH=$SYSPATH command -v "$n" >/dev/null 2>&1; then
		shadows+=" $n"
	fi
done
is "$shadows" "" "no file of scripts/ shadows a command of the system (scripts/ on PATH for mcp-guardrail)"
[ -x "$TOP/build-aux/curl" ] && [ ! -e "$TOP/scripts/curl" ]
ok $? "the libcurl build is build-aux/curl"

make -s -C "$TOP" B="$BIN" DESTDIR="$TMP/inst" PREFIX=/usr install >"$TMP/out" 2>&1
is "$?:$(cat "$TMP/out")" "0:" "make install"
is "$(ls "$TMP/inst/usr/bin" | tr '\n' ' ')" "mcp-aggregate mcp-alert mcp-cred mcp-fleet mcp-guardrail mcp-otlp mcp-probe mcp-serve " \
    "it installs the tools, and no build helper"

# One object of a build of its own, then the other libcurl: compiled again.
if [ -s "$TOP/deps/curl/lib/libcurl.a" ]; then
	obj=$TMP/b/lib/buf.o
	make -s -C "$TOP" B="$TMP/b" "$obj" >"$TMP/out" 2>&1
	is "$?:$(cat "$TMP/out")" "0:" "an object compiled for deps/curl's libcurl"
	make -q -C "$TOP" B="$TMP/b" "$obj"
	is "$?" 0 "up to date for it"
	make -q -C "$TOP" B="$TMP/b" CURL_DIR= "$obj"
	is "$?" 1 "not for the system's libcurl: it is compiled again"
	make -s -C "$TOP" B="$TMP/b" CURL_DIR= "$obj" >/dev/null 2>&1
	# Written in the same tick of the file system's clock as the flags
	# the next make writes (a jiffy, or a second): dated so, at once.
	touch -d '+1 hour' "$obj"
	make -q -C "$TOP" B="$TMP/b" "$obj"
	is "$?" 1 "and again when the static libcurl appears, even in the same tick of the clock"
else
	diag "the libcurl switch skipped: no deps/curl (build-aux/curl builds it)"
fi

# mcp-serve, exec'd once per request: static-pie with deps/cjson (no
# loader, no shared library), else cJSON shared (CJSON_DIR=).
if [ -s "$TOP/deps/cjson/lib/libcjson.a" ]; then
	is "$(readelf -lW "$BIN/mcp-serve" | grep -c 'INTERP'):$(readelf -dW "$BIN/mcp-serve" | grep -c NEEDED)" 0:0 \
	    "mcp-serve with deps/cjson: no program interpreter, no shared library"
	# A first build of it, as a newcomer's: glibc's getaddrinfo and
	# gethostbyname are wrapped (serve/resolve.c), so ld has nothing to
	# warn of, and no NSS code is linked for a copied binary to load.
	make -s -C "$TOP" B="$TMP/q" "$TMP/q/mcp-serve" >"$TMP/out" 2>&1
	is "$?:$(cat "$TMP/out")" "0:" "mcp-serve static-pie from scratch: the build prints nothing (no linker warning)"
	nm "$TMP/q/mcp-serve" >"$TMP/nm"
	is "$(grep -c ' T __wrap_getaddrinfo$' "$TMP/nm"):$(grep -Ec ' (getaddrinfo|gethostbyname)$| __nss_' "$TMP/nm")" \
	    "1:0" "its getaddrinfo is serve/resolve.c's, and no NSS code is in it"
	make -s -C "$TOP" B="$TMP/s" CJSON_DIR= "$TMP/s/mcp-serve" >"$TMP/out" 2>&1
	is "$?:$(readelf -dW "$TMP/s/mcp-serve" | grep -o 'libcjson[^]]*')" "0:libcjson.so.1" \
	    "CJSON_DIR=: cJSON shared"
else
	diag "mcp-serve's static link skipped: no deps/cjson (build-aux/cjson builds it)"
fi

done_testing
