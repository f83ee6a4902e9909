#!/usr/bin/env bash
# util.sh - sourced by the bench scripts, lib.sh among them: helpers with
# no side effect (no argument checked, no trap, nothing started).
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.

# calc EXPR: awk arithmetic.
calc() { awk "BEGIN { printf $1 }"; }

# cpu_of PID...: the CPU seconds (user + system) the processes have used so
# far, those gone left out; the fields are counted after the command's
# closing parenthesis, so a command with blanks in its name reads the same.
cpu_of() {
	local p
	for p in "$@"; do cat "/proc/$p/stat" 2>/dev/null || true; done |
	    awk -v t="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); split($0, a, " "); s += a[12] + a[13] }
		END { printf "%.2f", s / t }'
}

# The helpers of a script that compares one command run two ways, in its
# own directory $tmp (made by the script, $tmp/timed built from timed.c):
# timed CMD...: "wall_s cpu_s maxrss_kb" of one run
# shellcheck disable=SC2154 # $tmp is the sourcing script's
timed() {
	"$tmp/timed" "$tmp/time" "$@" >/dev/null 2>"$tmp/stderr" || true
	cat "$tmp/time"
}
# median: the median of the numbers on standard input, one a line
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# instr CMD...: the instructions callgrind counts in one run
instr() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" >/dev/null 2>"$tmp/cg.err" || true
	awk '/Collected :/ { print $NF }' "$tmp/cg.err"
}
