#!/usr/bin/env bash
# gen-scenario.sh [-aq] [-c EXPIRY] [-f STEP] [-h HASH] [-J MAX] [-m MS] [-N SLUGS] [-n COUNT] [-o OFFSET] [-r REGION[,REGION...]] [-s SLUG] -t START - probe JSONL for tests
# Writes what mcp-probe would print (8 step records, then a result) for
# COUNT probes per slug and region, started at START + i*60 + OFFSET.
#   -a          the probes are auth-walled (they pass; no tool hash)
#   -c EXPIRY   results end with "cert_expires_at":EXPIRY (null when the
#               probe failed at tls or before); without -c they have none
#   -f STEP     the probes fail at STEP (state broken, later steps skipped)
#   -h HASH     tool hash (default sha256:aaaa...; null when tools_list is not reached);
#               "null" for a server that declares no tools (tools_list and
#               call skipped, no_tools)
#   -J MAX      durations spread over MS..MAX ms, whole, the same for the same
#               arguments (probe k of the run takes MS + 7919k mod (MAX - MS + 1))
#   -m MS       probe duration in ms (default 100)
#   -N SLUGS    SLUGS slugs named SLUG-00001 ... instead of one
#   -o OFFSET   seconds after the window start (default 2.5; may be negative)
#   -q          result records only, no step records
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
set -euo pipefail

slug=everything regions=us-east-1 start='' count=1 offset=2.5 fail='' hash='' ms=100 jmax=0 auth=0 nslugs=0 quiet=0 cert=''
while getopts ac:f:h:J:m:N:n:o:qr:s:t: c; do
	case $c in
	a) auth=1 ;;
	c) cert=$OPTARG ;;
	q) quiet=1 ;;
	f) fail=$OPTARG ;;
	h) hash=$OPTARG ;;
	J) jmax=$OPTARG ;;
	m) ms=$OPTARG ;;
	N) nslugs=$OPTARG ;;
	n) count=$OPTARG ;;
	o) offset=$OPTARG ;;
	r) regions=$OPTARG ;;
	s) slug=$OPTARG ;;
	t) start=$OPTARG ;;
	*) exit 2 ;;
	esac
done
[ -n "$start" ] || { echo "gen-scenario.sh: -t START is required" >&2; exit 2; }
printf -v pad '%064d' 0
[ -n "$hash" ] || hash=sha256:${pad//0/a}

awk -v slug="$slug" -v regions="$regions" -v start="$start" -v count="$count" \
    -v offset="$offset" -v fail="$fail" -v hash="$hash" -v ms="$ms" -v jmax="$jmax" -v auth="$auth" \
    -v nslugs="$nslugs" -v quiet="$quiet" -v cert="$cert" '
function emit(s, region, t,    i, st, status, detail, errj, failed, th, state, fin, id, d, ce) {
	failed = 0
	d = jmax > ms ? ms + (probe * 7919) % (jmax - ms + 1) : ms
	id = sprintf("%08x", ++probe)
	for (i = 1; i <= 8; i++) {
		status = "pass"; detail = "{}"; errj = "null"
		if (failed) {
			status = "skip"; detail = "{\"reason\":\"after_failure\"}"
		} else if (steps[i] == fail) {
			status = "fail"; failed = i
			errj = "{\"code\":\"timeout\",\"message\":\"test failure\"}"
		} else if (auth && i >= 6) {
			status = "skip"; detail = "{\"reason\":\"auth_walled\"}"
		} else if (hash == "null" && i >= 7) {
			status = "skip"; detail = "{\"reason\":\"no_tools\"}"
		}
		if (!quiet) printf "{\"v\":1,\"type\":\"step\",\"probe_id\":\"%s\",\"slug\":\"%s\",\"region\":\"%s\",\"url\":\"https://mcp.example.com/mcp\",\"probe_started_at\":%.3f,\"seq\":%d,\"step\":\"%s\",\"status\":\"%s\",\"ms\":%s,\"detail\":%s,\"error\":%s}\n", \
		    id, s, region, t, i, steps[i], status, d / 8, detail, errj
	}
	state = failed ? "broken" : (auth ? "auth-walled" : "healthy")
	th = (failed && failed <= 7) || auth || hash == "null" ? "null" : "\"" hash "\""
	fin = t + d / 1000
	ce = cert == "" ? "" : ",\"cert_expires_at\":" (failed && failed <= 3 ? "null" : cert)
	printf "{\"v\":1,\"type\":\"result\",\"probe_id\":\"%s\",\"slug\":\"%s\",\"region\":\"%s\",\"url\":\"https://mcp.example.com/mcp\",\"probe_started_at\":%.3f,\"probe_finished_at\":%.3f,\"state\":\"%s\",\"failed_step\":%s,\"posture\":\"%s\",\"transport\":\"streamable-http\",\"era\":\"legacy\",\"protocol_version\":\"2025-11-25\",\"http_status\":200,\"tool_count\":%d,\"tool_hash\":%s,\"ms\":%s%s}\n", \
	    id, s, region, t, fin, state, failed ? "\"" steps[failed] "\"" : "null", \
	    auth ? "auth-walled" : "open", th == "null" ? 0 : 13, th, d, ce
}
BEGIN {
	split("dns connect tls http auth initialize tools_list call", steps, " ")
	nr = split(regions, reg, /[ ,]+/)
	ns = nslugs > 0 ? nslugs : 1
	for (k = 0; k < count; k++)
		for (n = 1; n <= ns; n++)
			for (r = 1; r <= nr; r++)
				emit(nslugs > 0 ? sprintf("%s-%05d", slug, n) : slug, reg[r],
				    start + k * 60 + offset)
}'
