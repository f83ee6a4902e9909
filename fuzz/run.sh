#!/usr/bin/env bash
# run.sh BUILD SECONDS [NAME...] - run each libFuzzer harness for SECONDS over a scratch copy of its corpus
# BUILD is the directory make fuzz built (build-fuzz); NAME is a harness
# (sse, or fuzz_sse), all of them when none is named.  One line a
# harness: runs, exec/s, coverage (edges and features), corpus size and
# the finding, if any; an input that crashed, leaked or hung is kept in
# BUILD/findings/NAME/.  Exit 1 when any harness found something, 2 on
# usage.  FUZZ_FLAGS adds libFuzzer flags (say -jobs or -seed).
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 2 ] || ! [[ $2 =~ ^[0-9]+$ ]] || [ "$2" -lt 1 ]; then
	echo "usage: fuzz/run.sh BUILD SECONDS [NAME...]" >&2
	exit 2
fi
build=$1
secs=$2
shift 2
names=()
if [ $# -eq 0 ]; then
	for f in fuzz/fuzz_*.c; do
		names+=("$(basename "$f" .c)")
	done
else
	for n in "$@"; do
		names+=("fuzz_${n#fuzz_}")
	done
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/mcp-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
# The harnesses' own checks abort; leaks are findings too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

found=0
for name in "${names[@]}"; do
	bin=$build/$name
	if [ ! -x "$bin" ]; then
		printf '%-14s not built (%s)\n' "$name" "$bin"
		found=1
		continue
	fi
	short=${name#fuzz_}
	corpus=$scratch/$short
	mkdir -p "$corpus" "$scratch/art-$short"
	if [ -d "fuzz/corpus/$short" ]; then
		cp -R "fuzz/corpus/$short/." "$corpus/"
	fi
	flags=(-max_total_time="$secs" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048
	    -artifact_prefix="$scratch/art-$short/")
	[ -f "fuzz/$short.dict" ] && flags+=(-dict="fuzz/$short.dict")
	# shellcheck disable=SC2206 # FUZZ_FLAGS is a list of words on purpose
	flags+=(${FUZZ_FLAGS:-})
	log=$scratch/$short.log
	rc=0
	start=$SECONDS
	"$bin" "${flags[@]}" "$corpus" >"$log" 2>&1 || rc=$?
	took=$((SECONDS - start))
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	status=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$status")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$status")
	corp=$(sed -n 's/.* corp: \([^ ]*\).*/\1/p' <<<"$status")
	arts=("$scratch/art-$short"/*)
	if [ "$rc" = 0 ] && [ ! -e "${arts[0]}" ]; then
		finding=none
	else
		found=1
		mkdir -p "$build/findings/$short"
		finding=$(grep -m1 -E 'ERROR: |check failed|runtime error' "$log" |
		    sed 's/^==[0-9]*== *//' | cut -c1-120 || true)
		[ -n "$finding" ] || finding="exit status $rc"
		cp "$log" "$build/findings/$short/log"
		[ -e "${arts[0]}" ] && cp "${arts[@]}" "$build/findings/$short/"
		finding="$finding (kept in $build/findings/$short/)"
	fi
	printf '%-14s %4ss  runs %-10s exec/s %-7s cov %-5s ft %-6s corpus %-12s finding: %s\n' \
	    "$name" "$took" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$finding"
done
exit "$found"
