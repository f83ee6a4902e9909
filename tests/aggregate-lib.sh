#!/usr/bin/env bash
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck disable=SC2034 # variables set here are read by the scripts that source it
# aggregate-lib.sh - scenario helpers for the tests/aggregate*.t scripts
# Sourced after lib.sh.  Window k starts at T0 + 60k; T0 is 2026-11-24T16:00:00Z.
T0=1795536000
ALL="ap-southeast-1 eu-west-2 sa-east-1 us-east-1 us-west-2"
FOUR_NO_EU="ap-southeast-1 sa-east-1 us-east-1 us-west-2"
FOUR_AP_LAST="eu-west-2 sa-east-1 us-east-1 us-west-2"
printf -v HA '%064d' 0
HB=sha256:${HA//0/b}
HA=sha256:${HA//0/a}
# The host of the URL that gen-scenario.sh writes.
EX=mcp.example.com

# spool_of BASE URL [REGION]: the spool file push uses for the store URL
# (without its password) and push -r REGION, BASE its -S: the first 16 hex
# digits of the SHA-256 of "URL" or "URL\nREGION" before BASE's .jsonl.
spool_of() {
	local key
	key=$(printf '%s%s' "$2" "${3:+$'\n'$3}" | sha256sum | cut -c1-16)
	case $1 in
	*.jsonl) echo "${1%.jsonl}.$key.jsonl" ;;
	*) echo "$1.$key" ;;
	esac
}

# fold_minute SLUG: the minute of the hour whose pass folds SLUG (the
# FNV-1a hash of its name mod 60, fold.c).
fold_minute() {
	local h=2166136261 i c
	for ((i = 0; i < ${#1}; i++)); do
		printf -v c '%d' "'${1:i:1}"
		h=$((((h ^ c) * 16777619) & 0xffffffff))
	done
	echo $((h % 60))
}

# w K: the start of window K.
w() { echo $((T0 + 60 * $1)); }

# gen ARGS: gen-scenario.sh starting at T0 unless -t says otherwise.
gen() { "$TOP/tests/gen-scenario.sh" -t "$T0" "$@"; }

# push [ARGS]: mcp-aggregate push as a probe host runs it, right after the
# probes it reads: unless MCP_NOW is set, the clock is one second past the
# latest probe_started_at of the input (T0 for none).  push takes no start
# ahead of its clock, nor one 30 days behind it.
push() {
	local latest
	cat >"$TMP/push.in"
	latest=$(grep -o '"probe_started_at":[0-9.]*' "$TMP/push.in" | cut -d: -f2 | sort -g | tail -1)
	MCP_NOW=${MCP_NOW:-$(awk -v t="${latest:-$T0}" 'BEGIN { printf "%d", t + 1 }')} \
	    mcp-aggregate push "$@" <"$TMP/push.in"
}

# registry_marks: the probe records of standard input, those of the
# store's registry slugs (mcp:registry:servers, written by hand) marked
# "origin":"registry" as "mcp-aggregate targets | mcp-probe" marks them,
# for push, which takes a registry slug's results from those only.
registry_marks() {
	local slugs
	slugs=$(redis-cli -s "$REDIS_SOCK" hkeys mcp:registry:servers | jq -Rsc 'split("\n") | map(select(. != "") | {(.): true}) | add // {}')
	jq -c --argjson reg "$slugs" 'if $reg[.slug] then .origin = "registry" else . end'
}

# run_windows FIRST LAST: one verdict pass per window, as cron would run it
# at W + 95, the records of window K in $TMP/v.K.
run_windows() {
	local i rc=0 errs=''
	for i in $(seq "$1" "$2"); do
		MCP_NOW=$(($(w "$i") + 95)) mcp-aggregate verdict "${@:3}" >"$TMP/v.$i" 2>"$TMP/v.err" || rc=1
		errs=$errs$(cat "$TMP/v.err")
	done
	is "$rc:$errs" "0:" "verdict passes of windows $1..$2 exit 0 and are quiet"
}

# got SLUG K: the verdict record of SLUG in window K, without its last
# member, failing_now, which now_of reads and want leaves out.
got() { grep -F "\"slug\":\"$1\"," "$TMP/v.$2" | strip_now; }
# The review of the lists (issue 54), the last member, goes first.
strip_now() { sed -e 's/,"review":{.*}}$/}/' -e 's/,"failing_now":\[[^]]*\],"maintenance":null,"probe_fault":\[\]}$/}/'; }

# now_of SLUG K: failing_now of SLUG's verdict in window K.
now_of() { grep -F "\"slug\":\"$1\"," "$TMP/v.$2" | jq -c .failing_now; }

# verdicts SLUG FIRST LAST: the first letters of the verdicts, g a r u.
verdicts() {
	local i out=()
	for i in $(seq "$2" "$3"); do
		out+=("$(got "$1" "$i" | sed -n 's/.*"verdict":"\(.\).*/\1/p')")
	done
	echo "${out[*]}"
}

# drift REGION FROM TO: one drift entry, of a tool list not kept (the
# scenarios print none).
drift() { printf '{"region":"%s","from":"%s","to":"%s","kind":"tools","change":null,"change_unknown":"not_kept"}' "$1" "$2" "$3"; }

# jstr S: S as a JSON string, or null for -.
jstr() { if [ "$1" = - ]; then echo null; else echo "\"$1\""; fi; }

# want SLUG K VERDICT SEVERITY STEP|- FAILED REPORTERS MISSING DIVERGENCE(0|1) DRIFT P95 UPTIME
#      ERROR|- LATENCY HOST|- [DIVERGENT]  (no certificate: cert_expires_at null,
#      cert_regions [], cert_regional []; DIVERGENT the regions of divergent_regions)
want() {
	local win div tdiv
	win=$(w "$2")
	div=null
	[ "$9" = 0 ] || div='"cdn-cache-divergence"'
	# With divergence, tools_divergence: the divergent regions serve HA, the
	# others HB (the list the others left: behind), and no list is kept (the
	# scenarios print none).
	tdiv=''
	[ "$9" = 0 ] || tdiv=$(printf ',"tools_divergence":[{"regions":%s,"hash":"%s","majority":"%s","change":null,"change_unknown":"not_kept","direction":"behind"}]' \
	    "$(jarr "${16:-}")" "$HA" "$HB")
	printf '{"v":1,"type":"verdict","slug":"%s","window":%s,"as_of":"%s","verdict":"%s","severity":"%s","step":%s,"failed_regions":%s,"reporters":%s,"missing":%s,"divergence":%s,"drift":%s,"p95_ms":%s,"uptime_30d":%s,"error":%s,"latency_ms":%s,"host":%s,"cert_expires_at":null,"cert_regions":[],"cert_regional":[],"divergent_regions":%s%s}\n' \
	    "$1" "$win" "$(date -u -d "@$win" +%Y-%m-%dT%H:%M:%SZ)" "$3" "$4" "$(jstr "$5")" \
	    "$(jarr "$6")" "$(jarr "$7")" "$(jarr "$8")" "$div" "${10}" "${11}" "${12}" \
	    "$(jstr "${13}")" "${14}" "$(jstr "${15}")" "$(jarr "${16:-}")" "$tdiv"
}

# lat MS: the p95_ms that a duration of MS reports, by the rule of
# mcp-aggregate(1): bucket b with 1.05^(b-1) < MS <= 1.05^b (0 up to 1 ms),
# reported as 1.05^b rounded.
lat() {
	awk -v ms="$1" 'BEGIN {
		b = 0
		if (ms > 1) {
			b = int(log(ms) / log(1.05))
			while (1.05 ^ b < ms) b++
			while (b > 0 && 1.05 ^ (b - 1) >= ms) b--
		}
		printf "%d\n", int(1.05 ^ b + 0.5)
	}'
}

# p95 SLUG K: the p95_ms of SLUG's verdict of window K, computed now.
p95() {
	MCP_NOW=$(($(w "$2") + 95)) mcp-aggregate verdict "$1" | sed -n 's/.*"p95_ms":\([0-9a-z]*\).*/\1/p'
}

# same_verdicts FIRST LAST: windows FIRST..LAST decided now ($TMP/v.N) are
# the reference run's ($TMP/ref.N); 0 when they all are, a diff otherwise.
same_verdicts() {
	local i same=0
	for i in $(seq "$1" "$2"); do
		cmp -s "$TMP/ref.$i" "$TMP/v.$i" || {
			same=1
			diff -u "$TMP/ref.$i" "$TMP/v.$i" | sed 's/^/# /'
		}
	done
	return "$same"
}
