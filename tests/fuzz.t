#!/usr/bin/env bash
# test: long (a minute or so under load: started before the rest)
# timeout: 1500 (minutes of CPU: a busy machine stretches it past 600 s)
# build: plain (its checks are of the plain build: the sanitizer build skips it)
# fuzz.t - make fuzz, then each libFuzzer harness for a few seconds over its corpus, and numbers against node
# Runs in the pass of the plain build only (the harnesses carry their own
# sanitizers).  Each harness runs FUZZ_T_SECONDS (4) from a fixed seed
# over a copy of fuzz/corpus/NAME; an input of fuzz/crashes/ (a finding
# reported and not yet fixed) must no longer fail; numgen's doubles must
# be written as node's JSON.stringify writes them.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1

case $BIN in
*/build) ;;
*) skip_all "the fuzz harnesses run in the pass of build only, not $(basename "$BIN")" ;;
esac
if ! command -v "${FUZZ_CC:-clang}" >/dev/null; then
	# CI installs clang (scripts/deps): there it is a failure, never a skip.
	[ -n "${CI:-}" ] || skip_all "clang is not installed (scripts/deps installs it)"
	ok 1 "clang is installed (CI=$CI)"
	done_testing
fi

FB=$TOP/build-fuzz
secs=${FUZZ_T_SECONDS:-4}
# A make of its own, not a part of the make test that may have started this.
if ! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -j2 B=build FB="$FB" fuzz \
    >"$TMP/make.log" 2>&1; then
	ok 1 "make fuzz"
	sed 's/^/#   /' "$TMP/make.log" | tail -n 30
	done_testing
fi
built=("$FB"/fuzz_*)
ok 0 "make fuzz: ${#built[@]} harnesses and numgen"

for src in fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	out=$(FUZZ_FLAGS=-seed=1 fuzz/run.sh "$FB" "$secs" "$name" 2>&1)
	ok $? "$out"
done

# The reproducers of reported findings: each is an input of the harness its name starts with.
for f in fuzz/crashes/*; do
	case $f in */README) continue ;; esac
	name=$(basename "$f")
	harness=$FB/fuzz_${name%%-*}
	"$harness" "$f" >"$TMP/crash.log" 2>&1
	rc=$?
	ok "$rc" "fuzz/crashes/$name no longer fails ($(basename "$harness"))"
	[ "$rc" = 0 ] || grep -m1 -E 'check failed|ERROR: |runtime error' "$TMP/crash.log" |
	    sed 's/^/#   /'
done

# numgen against node: the ECMAScript form of 100,000 doubles of every kind.
if command -v node >/dev/null; then
	seed=${FUZZ_T_SEED:-$RANDOM}
	# shellcheck disable=SC2016 # the script is node's, not the shell's
	out=$("$FB/numgen" 100000 "$seed" | node -e '
const rl = require("readline").createInterface({input: process.stdin});
let n = 0, bad = 0;
rl.on("line", (l) => {
	const [hex, text] = l.split(" ");
	const want = JSON.stringify(Buffer.from(hex, "hex").readDoubleBE(0));
	n++;
	if (want !== text && bad++ < 3) console.log(`${hex}: ${text}, node says ${want}`);
});
rl.on("close", () => console.log(`${n} doubles, ${bad} written otherwise than by node`));
')
	like "$out" '^100000 doubles, 0 written' \
	    "numgen $seed: mcp_json_number writes doubles as JSON.stringify does (FUZZ_T_SEED=$seed)"
else
	ok 1 "node is not installed (scripts/deps installs it)"
fi

# The harnesses are held to the tree's own format and shell rules.
if command -v clang-format >/dev/null; then
	n=$(clang-format --dry-run -Werror fuzz/*.c fuzz/*.h 2>&1 | grep -c 'error:')
	is "$n" 0 "clang-format: fuzz/*.c formatted"
fi
if command -v shellcheck >/dev/null; then
	out=$(shellcheck -x fuzz/run.sh tests/fuzz.t 2>&1)
	is "$out" "" "shellcheck: fuzz/run.sh, tests/fuzz.t"
fi
done_testing
