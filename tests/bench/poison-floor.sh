#!/usr/bin/env bash
# poison-floor.sh BUILD_DIR - why the text rules' goals (mcp-rules(7), issue 67) are not met together: held-out figures and the floor of lowering whole rules
# The corpora held out (tests/data/poison/README): the second half by the
# files' order of each of benign2 to benign8 (real lists of servers, not
# tuned on item by item), heldout2 (poisoned items written by class, its
# items never read) and the published proofs of concept (poisoned/); an
# item is found, or flagged, when a rule finds it above low.  Printed: the
# figures now, and the floor of lowering whole rules to low
# (poison-floor.mjs): of every set of rules lowered, the fewest honest
# items above low that keeps both goals of finding, the most of heldout2
# found that brings the honest to at most 1 %, and the path of lowering
# one rule at a time.  The rules were tuned by lowering shapes of a rule,
# not whole rules; this is what their words alone trade.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
[ -x "$BIN/scancorpus" ] || { echo "poison-floor.sh: $BIN/scancorpus: make $BIN/scancorpus" >&2; exit 2; }
C=$TOP/tests/data/poison
held=()
for d in benign2 benign3 benign4 benign5 benign6 benign7 benign8; do
	i=0
	for f in "$C/$d"/*.json; do
		[ $((i % 2)) = 1 ] && held+=("$f")
		i=$((i + 1))
	done
done
# k: honest (a held-out real list's item), h2 (heldout2's poisoned), pub
# (a published proof of concept); v: the rules that find it above low.
above='([.rules, .severities] | transpose | map(select(.[1] != "low") | .[0]) | unique)'
{
	"$BIN/scancorpus" -n 1 "${held[@]}" |
	    jq -c "select(.item != null and (.poisoned | not)) | {k: \"honest\", v: $above}"
	"$BIN/scancorpus" -n 1 "$C"/heldout2/*/*.json |
	    jq -c "select(.item != null and .poisoned) | {k: \"h2\", v: $above}"
	"$BIN/scancorpus" -n 1 "$C"/poisoned/*.json |
	    jq -c "select(.item != null and .poisoned) | {k: \"pub\", v: $above}"
} >"$TMP/items.jsonl"

node "$TOP/tests/bench/poison-floor.mjs" "$TMP/items.jsonl" "${#held[@]}"
