#!/usr/bin/env bash
# build: both (the plain build checks what the sanitizers cannot: peak memory, valgrind, the long walks)
# input-limits.t - the configuration and targets readers hold at most a
# line's limit (1 MiB) of a line, and a read that fails (no memory
# included) is an error, exit 2: never taken for the end of the file
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

# Under a memory limit as a small host has it (a sanitizer build reserves
# far more address space than any limit allows: no limit there).
limited() {
	case $BIN in
	*-san) "$@" ;;
	*) (ulimit -v 300000 && "$@") ;;
	esac
}

limited mcp-probe -r x -n -f /dev/zero >"$TMP/out" 2>&1
is "$?:$(cat "$TMP/out")" "2:mcp-probe: /dev/zero:1: line too long (over 1048576 bytes)" \
    "mcp-probe -n -f /dev/zero: a line too long, exit 2 (not \"0 targets ok\")"
# mcp-alert trusts only a configuration no one else may write (issue 33):
# /dev/zero is refused as such; an endless line is shown with a file.
limited mcp-alert -c /dev/zero check >"$TMP/out" 2>&1
like "$?:$(cat "$TMP/out")" "^2:mcp-alert: /dev/zero: writable by group or others" \
    "mcp-alert -c /dev/zero check: a file others may write is no configuration, exit 2"
(umask 077 && head -c 1100000 /dev/zero | tr '\0' x >"$TMP/long")
limited mcp-alert -c "$TMP/long" check >"$TMP/out" 2>&1
is "$?:$(cat "$TMP/out")" "2:mcp-alert: $TMP/long:1: line too long (over 1048576 bytes)" \
    "mcp-alert -c with a line over 1 MiB: a line too long, exit 2"
mcp-probe -r x -n -f /proc/self/mem >"$TMP/out" 2>&1
is "$?:$(cat "$TMP/out")" "2:mcp-probe: /proc/self/mem:1: Input/output error" "a read error is an error"
mcp-alert -c /proc/self/mem check >"$TMP/out" 2>&1
is "$?:$(cat "$TMP/out")" "2:mcp-alert: /proc/self/mem:1: Input/output error" "for mcp-alert too"
mcp-probe -r x -n -f "$TMP" >"$TMP/out" 2>&1
is "$?:$(cat "$TMP/out")" "2:mcp-probe: $TMP:1: Is a directory" "a directory"
# A line of exactly the limit is read; one byte more is too long.
{
	printf 'a http://127.0.0.1:1/mcp #'
	head -c $((1048576 - 26)) /dev/zero | tr '\0' x
	printf '\n'
} >"$TMP/max"
mcp-probe -r x -n -f "$TMP/max" >"$TMP/out" 2>&1
is "$?:$(cat "$TMP/out")" "0:mcp-probe: 1 targets ok" "a line of 1 MiB is read"
{ printf 'x'; cat "$TMP/max"; } >"$TMP/over"
mcp-probe -r x -n -f "$TMP/over" >"$TMP/out" 2>&1
is "$?:$(cat "$TMP/out")" "2:mcp-probe: $TMP/over:1: line too long (over 1048576 bytes)" "one byte more is not"

done_testing
