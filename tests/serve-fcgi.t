#!/usr/bin/env bash
# serve-fcgi.t - mcp-serve as a FastCGI responder (libfcgi) started by
# spawn-fcgi, two processes, behind nginx: the checks of serve.t on the
# same scenario; then Redis stops under the responders (each keeps its
# connection) and comes back: 503 while it is away, the answers of before
# once it is back, from the same processes.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/serve-lib.sh
source "$TOP/tests/serve-lib.sh"

[ -x "$BIN/mcp-serve" ] || skip_all "no $BIN/mcp-serve"
export PATH="$PATH:/usr/sbin"
for t in nginx spawn-fcgi; do
	command -v "$t" >/dev/null || skip_all "$t is not installed"
done

start_redis
start_fixture
start_receiver
fill_store
is "$?:$(cat "$TMP/fill.err")" 0: "the pipeline fills the store: probes, pushes, verdicts and alerts, no message"
NSLUGS=9
start_nginx_fcgi || { ok 1 "spawn-fcgi and nginx start"; done_testing; }
pids=$NGINX_FCGI_PIDS

SUITE_GZIP=1 serve_suite nginx-fcgi "$NGINX_FCGI" "$NGINX_FCGI_LOG"

alive() {
	local p n=0
	for p in $pids; do
		kill -0 "$p" 2>/dev/null && n=$((n + 1))
	done
	echo "$n"
}
is "$(alive)" 2 "both responders served every request so far, still the same two processes"

# A responder keeps the summary of the records it read (read.c): a record
# that changes is read again, and the old bytes back give the old answer.
states() { # N: the states of N embed requests, over both responders
	local i out=()
	for i in $(seq "$1"); do
		get "$NGINX_FCGI/api/embed-status/up"
		out+=("$ST:$(jq -r .state "$RB" 2>/dev/null)")
	done
	echo "${out[*]}"
}
rec=$(redis_cmd GET 'mcp:{up}:verdict')
is "$(states 4)" "200:up 200:up 200:up 200:up" "the record as stored: up, every time"
redis_cmd SET 'mcp:{up}:verdict' "${rec/\"verdict\":\"green\"/\"verdict\":\"red\"}" >/dev/null
is "$(states 4)" "200:down 200:down 200:down 200:down" "the record changed to red: down at once, from both responders"
redis_cmd SET 'mcp:{up}:verdict' "${rec%\}}" >/dev/null
is "$(states 2)" "200:pending 200:pending" "the record unreadable: pending"
redis_cmd SET 'mcp:{up}:verdict' "$rec" >/dev/null
is "$(states 4)" "200:up 200:up 200:up 200:up" "the first bytes back: up again"

# Redis stops under the responders, then comes back with its data.
redis_cmd SAVE >/dev/null
kill "$REDIS_PID"
wait "$REDIS_PID" 2>/dev/null
L=nginx-fcgi store_down_checks "redis stopped"
like "$(cat "$NGINX_FCGI_ERR" "$NGINX_FCGI_LOG")" 'mcp-serve: ' "the store's error is on the responders' stderr"
redis_in "$TMP"
get "$NGINX_FCGI/api/embed-status/up"
want=$(body)
is "$ST:$(jq -r .state "$RB")" 200:up "Redis back: the embed route answers again"
bad=0
for i in $(seq 1 12); do
	get "$NGINX_FCGI/api/embed-status/up"
	[ "$ST:$(body)" = "200:$want" ] || bad=$((bad + 1))
	get "$NGINX_FCGI/healthz"
	[ "$ST" = 200 ] || bad=$((bad + 1))
done
is "$bad" 0 "Redis back: 24 more requests over both responders, all answered as before"
is "$(alive)" 2 "the same two responders, neither restarted"
unlike "$(cat "$NGINX_FCGI_ERR")" 'AddressSanitizer|LeakSanitizer|runtime error' "no sanitizer report from the responders"
done_testing
