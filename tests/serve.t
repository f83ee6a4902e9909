#!/usr/bin/env bash
# serve.t - mcp-serve as a CGI program behind nginx and fcgiwrap, over a
# store filled by the real pipeline (mcp-probe against the fixture from
# three regions, mcp-aggregate push and verdict, mcp-alert): every route of
# serve/SPEC.md, the headers of CONTRACT §5, ETags and 304 (nginx's gzip
# makes them weak), HEAD, 405, 404 for malformed paths, query strings, a
# store out of reach, and a slug index of more than one page.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/serve-lib.sh
source "$TOP/tests/serve-lib.sh"

[ -x "$BIN/mcp-serve" ] || skip_all "no $BIN/mcp-serve"
for t in nginx fcgiwrap; do
	command -v "$t" >/dev/null || command -v "/usr/sbin/$t" >/dev/null || skip_all "$t is not installed"
done
export PATH="$PATH:/usr/sbin"

start_redis
start_fixture
start_receiver
PAGES=200 fill_store
is "$?:$(cat "$TMP/fill.err")" 0: "the pipeline fills the store: probes, pushes, verdicts and alerts, no message"
NSLUGS=209
# A store nobody answers: a socket path where no Redis listens.
SERVE_REDIS_DOWN=unix://$TMP/nobody.sock
start_nginx_cgi || { ok 1 "nginx and fcgiwrap start"; done_testing; }

SUITE_GZIP=1 SUITE_SWITCH=1 serve_suite nginx-cgi "$NGINX_CGI" "$NGINX_CGI_LOG"

# The store stops for real: the next requests find it gone.
kill "$REDIS_PID"
wait "$REDIS_PID" 2>/dev/null
QUICK=1 store_down_checks "redis stopped"
like "$(cat "$NGINX_CGI_LOG")" 'FastCGI sent in stderr: "mcp-serve: ' "nginx's error log has mcp-serve's message"
done_testing
