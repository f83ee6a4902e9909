#!/usr/bin/env bash
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck disable=SC2034 # variables set here are read by the scripts that source it
# otlp-lib.sh - what tests/otlp*.t share: the OTLP receiver built on
# OpenTelemetry's own generated protobuf root (tests/tools/otlp-receiver.mjs),
# and the eight probes of real servers whose records they send.
# Sourced after tests/lib.sh.

# otlp_ready: skips the script when the receiver's packages are missing.
otlp_ready() {
	[ -e "$TOP/tests/node_modules/@opentelemetry/otlp-transformer/build/src/generated/root.js" ] ||
		skip_all "@opentelemetry/otlp-transformer is not installed (npm ci in tests/)"
}

# start_otlp: the receiver; OTLP is its base URL, OTLP_LOG one line a request.
start_otlp() {
	OTLP_LOG=$TMP/otlp.log
	: >"$OTLP_LOG"
	node "$TOP/tests/tools/otlp-receiver.mjs" --port-file "$TMP/otlp.port" --log "$OTLP_LOG" \
	    2>"$TMP/otlp.err" &
	bg_pid $!
	wait_file "$TMP/otlp.port" || {
		diag "receiver did not start: $(cat "$TMP/otlp.err")"
		return 1
	}
	OTLP=http://127.0.0.1:$(cat "$TMP/otlp.port")
	wait_http "$OTLP/_control"
}

# probe_eight FILE: the records of eight probes of real servers, each in
# the state it is there for (the fixture, server-everything and the modern
# fixture started, $TMP/token the fixture's token), into FILE, started in
# the window T ten minutes back; checked.
probe_eight() {
	T=$(($(date +%s) / 60 * 60 - 600))
	{
		_probe8 -s ev -c echo -a '{"message":"hi"}' "$EVERYTHING/mcp"
		_probe8 -s modern -c echo -a '{"text":"hi"}' "$MODERN/dual/mcp"
		_probe8 -s pinged "$FIX/open/mcp"
		_probe8 -s down "$FIX/status500/mcp"
		_probe8 -s walled "$FIX/auth/mcp"
		_probe8 -s cred -T "$TMP/token" "$FIX/auth/mcp"
		_probe8 -s toolerr -c fail "$FIX/open/mcp"
		_probe8 -s noinit "$MODERN/no-init/mcp"
	} >"$1" 2>"$TMP/probe.err"
	is "$(jq -r 'select(.type == "result") | "\(.slug) \(.state)"' "$1" | tr '\n' ' ')" \
	    "ev healthy modern healthy pinged healthy down broken walled auth-walled cred healthy toolerr broken noinit broken " \
	    "eight probes of real servers, each in the state it is there for"
}
_probe8() { MCP_NOW=$((T + 1)) mcp-probe -r eu-west-2 -t 10 "$@"; }
