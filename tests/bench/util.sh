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
