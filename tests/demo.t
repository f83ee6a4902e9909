#!/usr/bin/env bash
# build: plain (its checks are of the plain build: the sanitizer build skips it)
# demo.t - scripts/demo as a newcomer runs it: the servers, five regions
# through mcp-fleet, 16 simulated minutes.  It must page exactly what its
# script breaks (billing dies for three minutes, weather's edge goes
# stale), never the official server-everything, and leave no process
# behind.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"

case $BIN in
*-san) skip_all "the sanitizer build: scripts/demo builds and runs the plain build; its tools run under the sanitizers in mcp-fleet.t, pipeline.t and serve*.t" ;;
esac
command -v nginx >/dev/null || skip_all "no nginx: scripts/deps installs it"

"$TOP/scripts/demo" </dev/null >"$TMP/out" 2>"$TMP/err"
is "$?" 0 "scripts/demo exits 0"
work=$(sed -n 's/^demo: stopped everything it started; logs and state are in //p' "$TMP/err")
ok "$([ -d "$work" ]; echo $?)" "it names its state directory ($work)"
[ -d "$work" ] || { diag "$(tail -20 "$TMP/err")"; done_testing; }

# The table: a row per simulated minute, the three servers' verdicts.
awk '$1 ~ /^[0-9][0-9]:[0-9][0-9]$/' "$TMP/out" >"$TMP/rows"
is "$(wc -l <"$TMP/rows" | tr -d ' ')" 15 "a row for each decided minute (15 of 16: the first decides no probe)"
is "$(awk '{ print $2 }' "$TMP/rows" | sort -u | tr '\n' ' ')" "green " "everything is green in every row"
is "$(grep -c ' red outage connect in 5 regions$' "$TMP/rows")" 3 "billing is red for its three dead minutes, no longer"
is "$(grep -c 'amber divergence cdn-cache-divergence' "$TMP/rows")" 7 "weather diverges for the seven minutes of its stale edge"

# What the receiver got.
jq -r '.body | fromjson | [.event, .severity, .slug] | join(" ")' "$work/received.jsonl" >"$TMP/got"
is "$(sort "$TMP/got" | tr '\n' ',')" "resolve P1 billing,resolve P2 weather,trigger P1 billing,trigger P2 weather," \
    "the receiver got the two incidents opened and resolved, nothing else"
is "$(grep -c everything "$TMP/got")" 0 "nothing about everything, which was never down"
is "$(jq -r 'select(.slug == "everything") | .event' "$work/alerts.jsonl" | sort -u | tr '\n' ' ')" "" \
    "mcp-alert decided nothing about everything"

# Nothing of the demo is left running: every process it started names its
# state directory (its sockets, port files, configuration).
is "$(pgrep -af -- "$work/" | grep -v pgrep)" "" "no process of the demo is left"
rm -rf "$work"
done_testing
