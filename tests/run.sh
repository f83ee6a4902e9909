#!/usr/bin/env bash
# run.sh BUILD_DIR... - run every unit test and test script against each build
# Prints the TAP of each, then one closing line "N passed, N failed".
#
# TEST_JOBS (default 2) tests run at once: most of a test's time is spent
# waiting on servers, timeouts and clocks, not on a core.  A test whose
# first lines hold "# test: alone" (it changes the machine's network, or
# judges timing that a second test would disturb) runs with no other;
# those run first.  One whose first lines hold "# test: long" (a minute or
# so) starts before the rest, so that none of them is the last to start.
# Each test keeps its own temporary directory and free ports (tests/lib.sh).
#
# Given several builds, the unit tests (BUILD/test_*) run on each and a
# script once: on the last build (the sanitizers'), or on the first when
# its first lines hold "# build: plain", or on each for "# build: both"
# (memory bounds and valgrind are the plain build's).  TEST_EVERY_BUILD=1
# runs every script on every build.  Each line ends with the test's wall
# time and the CPU its processes took.
#
# A test is killed after TEST_TIMEOUT seconds (600), or after the number
# its first lines give as "# timeout: SECONDS": the few that take minutes
# of CPU, which a machine busy with other work stretches past 600.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
set -uo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.." || exit 2
[ $# -gt 0 ] || set -- build
pass=0
fail=0
failed_files=()
jobs_max=${TEST_JOBS:-2}
case $jobs_max in '' | *[!0-9]* | 0) jobs_max=1 ;; esac
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

labels=() cmds=() bins=() kind=() tmo=()
add() { # add LABEL BUILD KIND TIMEOUT CMD...: KIND alone, long or plain
	labels+=("$1")
	bins+=("$2")
	kind+=("$3")
	tmo+=("$4")
	shift 4
	cmds+=("$(printf '%q ' "$@")")
}

report() { # report INDEX SECONDS: count and print a finished test
	local i=$1 secs=$2 label=${labels[$1]} out=$dir/$1.out rc p f cpu
	rc=$(cat "$dir/$i.rc" 2>/dev/null || echo 1)
	[ "$rc" = 124 ] && echo "not ok - $label: killed after ${tmo[$i]} s" >>"$out"
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	if ! grep -Eq '^1\.\.[0-9]+' "$out"; then
		f=$((f + 1))
		echo "not ok - $label: no plan (exit $rc)" >>"$out"
	elif [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1
		echo "not ok - $label: exit status $rc" >>"$out"
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$f" = 0 ]; then
		cpu=$(awk 'NR == 2 { s = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); s += a[1] * 60 + a[2] } printf "%d", s + 0.5 }' "$dir/$i.cpu" 2>/dev/null)
		printf '%-40s ok   %3d tests  %3ds cpu %3ds%s\n' "$label" "$p" "$secs" "${cpu:-0}" \
		    "$(grep -m1 '^1\.\.0 # SKIP' "$out" | sed 's/^1\.\.0 # / /')"
		# A check left out is never silent: its reason is shown.
		grep -i '^# .*skipped' "$out" | sed 's/^/    /'
	else
		printf '%-40s FAIL %3d of %d\n' "$label" "$f" $((p + f))
		sed 's/^/    /' "$out"
		failed_files+=("$label")
	fi
}

first=$1 last=${!#}
for b in "$@"; do
	for t in "$b"/test_*; do
		[ -x "$t" ] && add "$t" "$b" plain "${TEST_TIMEOUT:-600}" "$t" tests/data
	done
	for t in tests/*.t; do
		# TESTS="a b" runs only tests/a.t and tests/b.t.
		case " ${TESTS:-$(basename "$t" .t)} " in
		*" $(basename "$t" .t) "*) ;;
		*) continue ;;
		esac
		# Given two builds (make test: build build-san), a script runs
		# once, on the last (the sanitizers'), unless it says
		# "# build: plain" (its checks are the plain build's: the first
		# only) or "# build: both".  TEST_EVERY_BUILD=1 runs each on all.
		if [ "$first" != "$last" ] && [ -z "${TEST_EVERY_BUILD:-}" ]; then
			case $(head -5 "$t" | grep -m1 '^# build: ') in
			'# build: both'*) ;;
			'# build: plain'*) [ "$b" = "$first" ] || continue ;;
			*) [ "$b" = "$last" ] || continue ;;
			esac
		fi
		k=plain
		case $(head -5 "$t" | grep -m1 '^# test: ') in
		'# test: alone'*) k=alone ;;
		'# test: long'*) k=long ;;
		esac
		s=$(head -5 "$t" | sed -n 's/^# timeout: \([0-9][0-9]*\).*/\1/p' | head -1)
		add "$b: $t" "$b" "$k" "${s:-${TEST_TIMEOUT:-600}}" bash "$t"
	done
done

declare -A pid_of=() start_of=() slot_of=() slot_used=()
running=0
reap() { # wait for one test to end and report it
	local p=
	wait -n -p p "${!pid_of[@]}" 2>/dev/null
	[ -n "$p" ] && [ -n "${pid_of[$p]+x}" ] || return 0
	report "${pid_of[$p]}" $((SECONDS - ${start_of[$p]}))
	unset "slot_used[${slot_of[$p]}]" "pid_of[$p]" "start_of[$p]" "slot_of[$p]"
	running=$((running - 1))
}

# The order: those that run alone first, one after another (in the middle
# of the run each would wait for the others to drain, a core idle); then
# the long ones ("# test: long"), so that no long test starts last and
# holds the run while the other core has nothing left to do; then the rest.
order=()
for k in alone long plain; do
	for i in "${!labels[@]}"; do
		[ "${kind[$i]}" != "$k" ] || order+=("$i")
	done
done
for i in "${order[@]}"; do
	limit=$jobs_max
	[ "${kind[$i]}" = alone ] && limit=1
	while [ "$running" -ge "$limit" ]; do reap; done
	# Each test running has a slot of its own: its range of ports (free_port).
	slot=0
	while [ -n "${slot_used[$slot]:-}" ]; do slot=$((slot + 1)); done
	(
		export MCP_BIN=$PWD/${bins[$i]} TEST_SLOT=$slot
		# One that runs alone also holds the machine's lock: two checkouts
		# tested on one machine never run two of them at once (network
		# namespaces, sshd and nftables are the machine's, not the run's).
		if [ "${kind[$i]}" = alone ]; then
			exec {lock}>>"${TMPDIR:-/tmp}/mcp-uptime-alone.lock"
			flock "$lock"
		fi
		# A hung test fails; it never stalls the run.
		eval "timeout -k 10 ${tmo[$i]} ${cmds[$i]}" </dev/null >"$dir/$i.out" 2>&1
		echo $? >"$dir/$i.rc"
		# The CPU its processes took (those it waited for): what the run
		# costs a machine, beside the wall time that waits on servers.
		times >"$dir/$i.cpu"
	) &
	pid_of[$!]=$i
	start_of[$!]=$SECONDS
	slot_of[$!]=$slot
	slot_used[$slot]=1
	running=$((running + 1))
	# One that runs alone holds the rest back until it ends.
	if [ "${kind[$i]}" = alone ]; then
		while [ "$running" -gt 0 ]; do reap; done
	fi
done
while [ "$running" -gt 0 ]; do reap; done

[ "${#failed_files[@]}" = 0 ] || printf 'failed: %s\n' "${failed_files[*]}"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
