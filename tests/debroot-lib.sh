#!/usr/bin/env bash
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck disable=SC2034 # variables set here are read by the scripts that source it
# debroot-lib.sh - a fresh Debian 12 root for the packages' tests
# (tests/dayone.t, tests/packages-life.sh, tests/nspawn.t).  Sourced after
# lib.sh; as root.
#
# debroot_mirror       the mirror of the machine's apt sources (deb822 or
#                      one-line) in MIRROR, or skip_all.
# debroot_start ROOT   debroot_mirror, then debootstrap of
#                      bookworm's minbase into ROOT started in the
#                      background (DEBROOT_PID), its packages kept in
#                      DEBOOTSTRAP_CACHE (/var/cache/mcp-uptime-debootstrap)
#                      between runs, its log in $TMP/debootstrap.log.
# debroot_ready ROOT   once it ended: the root as an operator's machine,
#                      Debian's archive as its sources, the machine's
#                      resolver, no daemon started by a package (no init
#                      runs: policy-rc.d says no), /proc mounted.

debroot_mirror() {
	MIRROR=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1)
	[ -n "$MIRROR" ] || MIRROR=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list 2>/dev/null)
	[ -n "$MIRROR" ] || skip_all "no Debian mirror in the machine's apt sources"
}

debroot_start() {
	local cache=${DEBOOTSTRAP_CACHE:-/var/cache/mcp-uptime-debootstrap}
	debroot_mirror
	mkdir -p "$cache"
	debootstrap --variant=minbase --cache-dir="$cache" bookworm "$1" "$MIRROR" >"$TMP/debootstrap.log" 2>&1 &
	DEBROOT_PID=$!
}

debroot_ready() {
	local root=$1
	cp /etc/resolv.conf "$root/etc/resolv.conf"
	rm -f "$root/etc/apt/sources.list"
	cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/" 2>/dev/null ||
		grep -E '^deb .*(debian|debian-security) ' /etc/apt/sources.list >"$root/etc/apt/sources.list"
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
	chmod 755 "$root/usr/sbin/policy-rc.d"
	mount -t proc proc "$root/proc"
}
