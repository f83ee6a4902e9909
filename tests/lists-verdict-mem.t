#!/usr/bin/env bash
# lists-verdict-mem.t - the verdict's memory for lists is bounded per batch
# (issue 53): twenty slugs whose three lists (of some 150 KB each) all
# changed in the window, pushed through the real push into a real Redis,
# decided in one pass: each drift entry says its change, and the pass's
# peak resident memory (/usr/bin/time) is that of a pass over eight of
# them, not twenty times a slug's lists (the verdict reads and diffs
# AGG_VLIST_GROUP, 8, slugs' lists at a time and frees each slug's once
# its record is made; before, a batch held the lists of all its slugs).
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/aggregate-lib.sh
source "$TOP/tests/aggregate-lib.sh"

command -v python3 >/dev/null || skip_all "python3 is not installed"
[ -x /usr/bin/time ] || skip_all "/usr/bin/time is not installed"
# ASan's quarantine would hold what the verdict frees: peaks not its own.
export ASAN_OPTIONS=$ASAN_OPTIONS:quarantine_size_mb=0
start_redis
export MCP_SPOOL=$TMP/spool
mkdir "$TMP/d"
CHURN_SLUGS=d python3 "$TOP/tests/fixtures/churn-lists.py" "$TMP/d" 20 150000 "$(w 0).5" "$(w 1).5"
for k in 0 1; do
	MCP_NOW=$(($(w "$k") + 30)) mcp-aggregate push <"$TMP/d/$k" 2>>"$TMP/push.err"
	echo "$?" >>"$TMP/push.rc"
done
is "$(sort -u "$TMP/push.rc"):$(cat "$TMP/push.err")" 0: "twenty slugs' lists of two minutes pushed (17 MB): exit 0, quiet"

# peak ARGS: the verdict's records of window 1 in $TMP/v, its peak RSS in KB on stdout.
peak() {
	MCP_NOW=$(($(w 1) + 95)) /usr/bin/time -f %M -o "$TMP/rss" mcp-aggregate verdict "$@" >"$TMP/v" 2>"$TMP/v.err"
	echo "$?" >"$TMP/v.rc"
	tail -1 "$TMP/rss"
}
eight=$(peak $(seq -f d-%03g 1 8))
is "$(cat "$TMP/v.rc"):$(jq -r .slug "$TMP/v" | wc -l)" 0:8 "a pass over eight of them: exit 0, eight verdicts"
all=$(peak)
is "$(cat "$TMP/v.rc"):$(jq -r .slug "$TMP/v" | wc -l):$(cat "$TMP/v.err")" 0:20: "a pass over all twenty: exit 0, twenty verdicts, quiet"
is "$(jq -c '[.drift[] | [.kind, .change.class // .change_unknown]] | sort' "$TMP/v" | sort -u)" \
    '[["prompts","review"],["resources","review"],["tools","review"]]' \
    "each slug's three drift entries say their change (every description changed: review)"
diag "peak RSS: 8 slugs $eight KB, 20 slugs $all KB"
ok "$([ "$all" -lt $((eight + 12 * 1024)) ] && echo 0 || echo 1)" \
    "the pass over twenty drifting slugs peaks within 12 MB of the pass over eight ($all KB against $eight KB): bounded by the group, not the batch"

done_testing
