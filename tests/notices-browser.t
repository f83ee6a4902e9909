#!/usr/bin/env bash
# notices-browser.t - a reader on the status page, in a real browser
# (Debian's headless Chromium, puppeteer-core), JavaScript off: the page of
# a server with its posts (an open one, its updates newest first; a
# resolved one in the history) and its maintenance to come; the form
# submitted; the link of the confirmation message that mcp-alert sent
# (aiosmtpd) followed and its button pressed; a notice received; its
# unsubscribe link followed.  mcp-serve as FastCGI and as CGI behind
# nginx, on the real clock.  axe-core on the pages.  Screenshots:
# $MCP_BIN/screenshots-notices/ (status-posts-*, subscribe-*, unsubscribe-page;
# not screenshots/, which browser.t empties);
# docs/screenshots/ holds copies of three, made by hand from a run.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/notices-lib.sh
source "$TOP/tests/notices-lib.sh"

page_ready || skip_all "$WHY"
CHROMIUM=
for c in /usr/lib/chromium/chromium /usr/bin/chromium; do
	[ -x "$c" ] && CHROMIUM=$c && break
done
[ -n "$CHROMIUM" ] || skip_all "chromium is not installed (scripts/deps installs it)"
[ -d "$TOP/tests/node_modules/puppeteer-core" ] && [ -d "$TOP/tests/node_modules/axe-core" ] ||
    skip_all "puppeteer-core or axe-core missing: cd tests && npm ci"

start_redis
rc() { redis-cli -s "$REDIS_SOCK" "$@"; }
start_fixture
M=$TMP/mail
start_sink "$M"
start_page || { ok 1 "nginx, fcgiwrap and spawn-fcgi start"; done_testing; }
# Windows that end at the real clock, so that the page is fresh.
T2=$((($(date +%s) - 5) / 60 * 60))
w() { echo $((T2 - 120 + 60 * $1)); }
for k in 0 1 2; do probe_slugs "$k" weather files; done
is "$(curl -s "$PAGE_FCGI/api/embed-status/weather" | jq -r .state)" up "weather is up, on the real clock"

cat >"$TMP/alert.conf" <<CONF
route mail email smtp://127.0.0.1:$SINK_PORT status@example.test ops@example.test
status_page $PAGE_CGI
subscriber_mail mail
CONF
chmod 600 "$TMP/alert.conf"
ma() { mcp-alert -c "$TMP/alert.conf" "$@"; }
run() { ma </dev/null >/dev/null 2>>"$TMP/run.err"; }
past=$(ma post new --slug weather --title 'Slow tool listings' --text 'tools/list took 4 s from Sydney.' | jq -r .id)
ma post resolve "$past" --text 'A cache in front of the server was cold; warmed.' >/dev/null
open=$(ma post new --slug weather --title 'Errors on tools/call' --text 'Some calls of forecast fail with HTTP 500. We are looking into it.' | jq -r .id)
ma post update "$open" --state identified --text 'A bad deploy of the weather API; rolling back. Details: https://example.test/incidents/42.' >/dev/null
ma maint add weather --start "$(($(date +%s) + 3 * 3600))" --for 1h --reason 'Database upgrade to PostgreSQL 17' 2>/dev/null
run
is "$(ma post list | awk 'NR > 1 { print $1, $2 }' | tr '\n' ' ')" "$open identified " "post list: the open post"

SHOTS=$BIN/screenshots-notices
mkdir -p "$SHOTS"
# browse PHASE [VAR=VALUE...]: the browser cases of that phase, numbered here.
browse() {
	local st name detail node_rc=none phase=$1
	shift
	while IFS=$'\t' read -r st name detail; do
		case $st in
		ok) ok 0 "$name" ;;
		'not ok')
			ok 1 "$name"
			[ -z "$detail" ] || printf '#   %s\n' "$detail"
			;;
		exit) node_rc=$name ;;
		*) printf '# %s\n' "$name" ;;
		esac
	done < <(cd "$TOP/tests" && env PHASE="$phase" PAGE="$PAGE_FCGI" SLUG=weather EMAIL=reader@example.test \
	    POST_OPEN="$open" POST_PAST="$past" CHROMIUM="$CHROMIUM" SHOTS="$SHOTS" "$@" \
	    node browser/notices.mjs 2>"$TMP/node.err"; printf 'exit\t%s\n' "$?")
	is "$node_rc" 0 "browser/notices.mjs $phase ran to its end"
	[ "$node_rc" = 0 ] || diag "$(tail -20 "$TMP/node.err")"
}

browse page
is "$(rc llen 'mcp:{page}:requests')" 1 "the form's request waits for mcp-alert"
run
n=$(mto "$M" reader@example.test | tail -1)
link=$(mbody "$M" "$n" | grep -o "$PAGE_CGI/subscribe/confirm?t=[0-9a-f]*")
like "$link" 't=[0-9a-f]{40}$' "the confirmation message came, with its link"
browse confirm LINK="$link"
sid=$(rc get "mcp:{page}:addr:$(printf reader@example.test | sha256sum | cut -c1-64)")
is "$(rc hget "mcp:{page}:sub:$sid" slugs)" weather "reader@example.test follows weather"
ma post update "$open" --state monitoring --text 'Rolled back; watching the error rate.' >/dev/null
run
n=$(mto "$M" reader@example.test | tail -1)
is "$(mval "$M" "$n" Subject)" "[weather] Errors on tools/call: Monitoring" "the reader receives the update"
unsub=$(mval "$M" "$n" List-Unsubscribe | tr -d '<>')
browse unsub LINK="$unsub"
is "$(rc exists "mcp:{page}:sub:$sid")" 0 "and, unsubscribed by the button, is kept no more"
is "$(cat "$TMP/run.err")" "" "mcp-alert said nothing"
unlike "$(cat "$PAGE_LOG" "$PAGE_FCGI_ERR")" 'AddressSanitizer|runtime error' "no sanitizer report"
diag "screenshots in $SHOTS"
done_testing
