#!/usr/bin/env bash
# rules-automata.t - the automata made at build time (build-aux/mkrules, re2c)
# find what the expressions of toolset/scanrules.c find: the corpus of
# tests/data/poison (and the real registry's texts when ../shared/realreg is
# at hand) read by tests/bench/scancorpus built twice from this tree, as
# shipped and with every expression decided by regexec(3) alone
# (-DMCP_SCAN_REGEX), each item's rules, severities and excerpts the same;
# and the generated matchers are the C of this tree's word table.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
command -v re2c >/dev/null || skip_all "re2c is not installed (scripts/deps installs it)"

# Both builds of the library, into the test's own directories (-O1: built for this test alone).
for v in auto regex; do
	flags="-O1 -g"
	[ "$v" = auto ] || flags="$flags -DMCP_SCAN_REGEX"
	make -s -C "$TOP" -j2 B="$TMP/build-$v" CFLAGS="$flags" "$TMP/build-$v/scancorpus" \
	    >"$TMP/make-$v.log" 2>&1
	is "$?" 0 "scancorpus built ($v)" || diag "$(tail -5 "$TMP/make-$v.log")"
done
like "$(head -3 "$TMP/build-auto/toolset/rulesdfa.c")" "build-aux/mkrules" "the matchers made by mkrules"
is "$(grep -c '^rx_[0-9]*(const unsigned char \*s)$' "$TMP/build-auto/toolset/rulesdfa.c")" \
    "$(grep -c '^static long$' "$TMP/build-auto/toolset/rules.re")" "one matcher an expression"
grep -q 'regcomp\|regexec' "$TMP/build-auto/toolset/rulesdfa.c"
is "$?" 1 "no expression compiled at run time in the matchers"

files=("$TOP"/tests/data/poison/poisoned/*.json "$TOP"/tests/data/poison/benign/*.json)
for r in "$TOP"/../shared/realreg/mcp-insights-servers-*.json.gz; do
	[ -f "$r" ] || continue
	gzip -dc "$r" | jq '{source:"realreg", poisoned:[], instructions:null,
	    tools:[.[] | .server | {name} + .], resources:[], prompts:[]}' >"$TMP/${r##*/}.json"
	files+=("$TMP/${r##*/}.json")
done
for v in auto regex; do
	"$TMP/build-$v/scancorpus" -n 1 "${files[@]}" | jq -c 'del(.cost) | select(.file)' >"$TMP/$v.jsonl"
done
n=$(wc -l <"$TMP/auto.jsonl")
found=$(jq -s 'map(select(.rules | length > 0)) | length' "$TMP/auto.jsonl")
[ "$n" -ge 600 ] && [ "$found" -ge 40 ]
ok $? "$n items read, $found with findings"
is "$(diff "$TMP/regex.jsonl" "$TMP/auto.jsonl" | head -20)" "" \
    "the same rules, severities and excerpts for every item, automata and regexec"
# The reference can fail: the excerpts are compared (a finding at another place differs).
jq -c 'if (.excerpts | length) > 0 then .excerpts[0] |= "x" + . else . end' "$TMP/auto.jsonl" >"$TMP/moved.jsonl"
! cmp -s "$TMP/regex.jsonl" "$TMP/moved.jsonl"
ok $? "a finding placed elsewhere is a difference"
done_testing
