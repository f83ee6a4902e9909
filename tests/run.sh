#!/usr/bin/env bash
# run.sh BUILD_DIR... - run every unit test and test script against each build
# Prints the TAP of each, then one closing line "N passed, N failed".
set -uo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.." || exit 2
[ $# -gt 0 ] || set -- build
pass=0
fail=0
failed_files=()
out=$(mktemp)
trap 'rm -f "$out"' EXIT

run_one() {
	local label=$1
	shift
	local start=$SECONDS p f rc
	# A hung test fails; it never stalls the run.
	timeout -k 10 "${TEST_TIMEOUT:-600}" "$@" </dev/null >"$out" 2>&1
	rc=$?
	[ "$rc" = 124 ] && echo "not ok - $label: killed after ${TEST_TIMEOUT:-600} s" >>"$out"
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
		printf '%-40s ok   %3d tests  %3ds%s\n' "$label" "$p" $((SECONDS - start)) \
		    "$(grep -m1 '^1\.\.0 # SKIP' "$out" | sed 's/^1\.\.0 # / /')"
		# A check left out is never silent: its reason is shown.
		grep -i '^# .*skipped' "$out" | sed 's/^/    /'
	else
		printf '%-40s FAIL %3d of %d\n' "$label" "$f" $((p + f))
		sed 's/^/    /' "$out"
		failed_files+=("$label")
	fi
}

for b in "$@"; do
	export MCP_BIN=$PWD/$b
	for t in "$b"/test_*; do
		[ -x "$t" ] && run_one "$t" "$t" tests/data
	done
	for t in tests/*.t; do
		# TESTS="a b" runs only tests/a.t and tests/b.t.
		case " ${TESTS:-$(basename "$t" .t)} " in
		*" $(basename "$t" .t) "*) ;;
		*) continue ;;
		esac
		run_one "$b: $t" bash "$t"
	done
done
[ "${#failed_files[@]}" = 0 ] || printf 'failed: %s\n' "${failed_files[*]}"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
