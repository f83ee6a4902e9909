#!/usr/bin/env bash
# windows-lib.sh - the minute of the pipeline a test of real servers plays
# through MCP_NOW, window after window (tests/trust.t, tests/review-hold.t):
# the test sets w (window K's start), REGIONS, TMP/targets, TMP/alert.conf
# and a state function writing what each server serves in window K.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.

# probe K [TARGETS]: window K probed from each region (state K written
# first, through a rename the fixture reads at every request) and pushed.
probe() {
	local k=$1 targets=${2:-$TMP/targets} t r
	t=$(w "$k")
	state "$k" >"$TMP/state.new"
	mv "$TMP/state.new" "$TMP/state"
	for r in $REGIONS; do
		MCP_NOW=$((t + 1)) mcp-probe -r "$r" -t 10 -f "$targets" 2>>"$TMP/probe.err"
	done >"$TMP/probes.$k"
	MCP_NOW=$((t + 2)) mcp-aggregate push <"$TMP/probes.$k" 2>>"$TMP/push.err"
}
# decide K: window K's verdict and alerts.
decide() {
	local t
	t=$(w "$1")
	MCP_NOW=$((t + 95)) mcp-aggregate verdict >"$TMP/v.$1" 2>>"$TMP/verdict.err"
	MCP_NOW=$((t + 96)) mcp-alert -c "$TMP/alert.conf" <"$TMP/v.$1" >"$TMP/a.$1" 2>>"$TMP/alert.err"
}
# agg K ARGS...: mcp-aggregate ARGS at the end of window K.
agg() {
	local k=$1
	shift
	MCP_NOW=$(($(w "$k") + 97)) mcp-aggregate "$@"
}
# v SLUG K [FILTER]: jq FILTER (default .review) of SLUG's verdict of window K.
v() { jq -c --arg s "$1" "select(.slug == \$s) | ${3:-.review}" "$TMP/v.$2"; }
