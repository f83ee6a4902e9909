#!/usr/bin/env bash
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck disable=SC2034 # variables set here are read by the scripts that source it
# alert-lib.sh - verdict streams and alert records for the tests/alert*.t scripts
# Sourced after lib.sh.  Window k starts at T0 + 60k; T0 is 2026-11-24T16:00:00Z.
T0=1795536000
# A configuration holding a Slack or webhook URL must be unreadable by
# others (mcp-alert.conf(5)): the scripts' files are made mode 600.
umask 077
ALL="ap-southeast-1 eu-west-2 sa-east-1 us-east-1 us-west-2"

# w K: the start of window K.
w() { echo $((T0 + 60 * $1)); }

# vd SLUG K VERDICT SEVERITY STEP|- FAILED [REPORTERS]: one verdict record;
# $VD_EXTRA (members with a leading comma) is added at its end, and
# $VD_FAILED, when set, is the JSON text of failed_regions instead of FAILED.
vd() {
	local step=null div=null
	[ "$5" = - ] || step="\"$5\""
	[ "$4" = divergence ] && div='"cdn-cache-divergence"'
	printf '{"v":1,"type":"verdict","slug":"%s","window":%s,"as_of":"%s","verdict":"%s","severity":"%s","step":%s,"failed_regions":%s,"reporters":%s,"missing":[],"divergence":%s,"drift":[],"p95_ms":142,"uptime_30d":99.87%s}\n' \
	    "$1" "$(w "$2")" "$(date -u -d "@$(w "$2")" +%Y-%m-%dT%H:%M:%SZ)" "$3" "$4" "$step" \
	    "${VD_FAILED:-$(jarr "$6")}" "$(jarr "${7:-$ALL}")" "$div" "${VD_EXTRA:-}"
}

# green SLUG FIRST LAST / red SLUG FIRST LAST STEP [FAILED]: runs of windows.
green() {
	local i
	for i in $(seq "$2" "$3"); do vd "$1" "$i" green ok - ''; done
}
red() {
	local i
	for i in $(seq "$2" "$3"); do vd "$1" "$i" red alert "$4" "${5:-eu-west-2 us-east-1}"; done
}

# alert EVENT SEV SLUG START_K STEP|- REGIONS SUMMARY AT [EXTRA]: one alert record.
alert() {
	local step=null
	[ "$5" = - ] || step="\"$5\""
	printf '{"v":1,"type":"alert","event":"%s","severity":"%s","slug":"%s","dedup_key":"%s:%s","incident_started_at":%s,"step":%s,"regions":%s,"summary":"%s","at":%s%s}\n' \
	    "$1" "$2" "$3" "$3" "$(w "$4")" "$(w "$4")" "$step" "$(jarr "$6")" "$7" "$8" "${9:-}"
}

# ma ARGS: mcp-alert with stdin from $TMP/in, stdout in $TMP/out, stderr in
# $TMP/err; prints the exit status.
ma() {
	mcp-alert "$@" <"$TMP/in" >"$TMP/out" 2>"$TMP/err"
	echo $?
}
