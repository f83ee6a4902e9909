#!/usr/bin/env bash
# notices.t - the status page speaks to a server's users (issue 40): an
# operator posts an incident and its updates with mcp-alert post, and the
# readers who subscribed from the page get each by email, a webhook
# subscriber each signed the Standard Webhooks way (checked by the
# receiver), a Slack subscriber each as Slack's body; maintenance is told
# when announced, started and ended; a page opted in tells its automatic
# incidents.  The whole flow through real components: Redis, the SMTP
# server (aiosmtpd), the webhook receiver, nginx in front of mcp-serve as
# a CGI program (fcgiwrap) and as FastCGI responders (spawn-fcgi).  A
# receiver down loses nothing; mcp-alert run twice at once sends once; an
# unsubscribed address keeps nothing in the store.  mcp-alert runs at
# MCP_NOW, windows of tests/alert-lib.sh.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/alert-lib.sh
source "$TOP/tests/alert-lib.sh"
# shellcheck source=tests/notices-lib.sh
source "$TOP/tests/notices-lib.sh"

page_ready || skip_all "$WHY"
start_redis --appendonly yes
rc() { redis-cli -s "$REDIS_SOCK" "$@"; }
start_fixture
printf 'whsec_%s\n' "$(head -c 24 /dev/urandom | base64)" >"$TMP/hook.key"
start_receiver --verify "$TMP/hook.key"
M=$TMP/mail
start_sink "$M"
start_page || { ok 1 "nginx, fcgiwrap and spawn-fcgi start"; done_testing; }
probe_slugs 0 weather files
is "$(rc zcard mcp:slugs)" 2 "the pipeline knows weather and files"

cat >"$TMP/alert.conf" <<CONF
route mail email smtp://127.0.0.1:$SINK_PORT status@example.test ops@example.test
status_page $PAGE_CGI
subscriber_mail mail
subscriber_incidents files
retry_base 30s
CONF
NOW=$(w 2)
# run: mcp-alert at MCP_NOW=$NOW (the receiver's clock too): its exit status.
run() {
	curl -sf "$RECV/_control?now=$NOW" >/dev/null
	MCP_NOW=$NOW mcp-alert -c "$TMP/alert.conf" </dev/null >"$TMP/run.out" 2>"$TMP/run.err"
	echo $?
}
post() { MCP_NOW=$NOW mcp-alert -c "$TMP/alert.conf" post "$@" 2>"$TMP/post.err"; }

# --- a reader subscribes from the page --------------------------------------------------
is "$(MCP_NOW=$NOW mcp-alert -c "$TMP/alert.conf" check 2>&1)" "" "check: the subscribers' lines are good"
# sub BASE ADDRESS FIELDS...: the form posted, from the page's own origin.
sub() {
	local u=$1 a=$2
	shift 2
	req -H "Origin: $u" -H "X-Forwarded-For: ${CLIENT:-192.0.2.10}" --data-urlencode "email=$a" "$@" "$u/subscribe"
}
req "$PAGE_CGI/status/weather"
unlike "$(cat "$RB")" 'action="/subscribe"' "before mcp-alert has run with subscriber_mail: no form on the page"
sub "$PAGE_CGI" early@example.test -d slug=weather
is "$ST:$(rc llen 'mcp:{page}:requests')" "503:0" "and a request is refused (503), not queued for nobody"
is "$(run):$(cat "$TMP/run.err")" "0:" "mcp-alert runs: the page takes subscriptions"
is "$(rc ttl 'mcp:{page}:open' | awk '{ print ($1 > 86000) }')" 1 "for a day after this run"
req "$PAGE_CGI/status/weather"
like "$(cat "$RB")" '<form method="post" action="/subscribe"><input type="hidden" name="slug" value="weather">' \
    "the page has its form"
sub "$PAGE_CGI" reader1@example.test -d slug=weather
is "$ST:$(rhdr Cache-Control)" "200:no-store" "POST /subscribe through nginx and fcgiwrap: 200, no-store"
like "$(cat "$RB")" '<h1>Check your inbox</h1>' "the page says to check the inbox"
sub "$PAGE_FCGI" Reader2@Example.TEST -d all=1
is "$ST" 200 "POST /subscribe through nginx and FastCGI: 200"
is "$(rc llen 'mcp:{page}:requests')" 2 "two requests wait for mcp-alert"
is "$(mails "$M")" 0 "mcp-serve sends no mail itself"
is "$(run)" 0 "mcp-alert: exit 0"
is "$(cat "$TMP/run.err")" "" "and quiet"
is "$(mails "$M")" 2 "two confirmation messages, at the next run of mcp-alert"
c1=$(mto "$M" reader1@example.test)
c2=$(mto "$M" reader2@example.test)
is "$c1:$c2" "1:2" "one to each address (the second lower-cased)"
is "$(mval "$M" "$c1" Subject)" "Confirm your subscription to weather" "Subject: what it confirms"
is "$(mval "$M" "$c2" Subject)" "Confirm your subscription to every server" "every server"
is "$(mval "$M" "$c1" List-Unsubscribe)" "-" "no List-Unsubscribe: the address is not subscribed"
link1=$(mbody "$M" "$c1" | grep -o "$PAGE_CGI/subscribe/confirm?t=[0-9a-f]*")
link2=$(mbody "$M" "$c2" | grep -o "$PAGE_CGI/subscribe/confirm?t=[0-9a-f]*")
like "$link1" '\?t=[0-9a-f]{40}$' "the link holds a token of 160 bits"
t1=${link1##*t=}
t2=${link2##*t=}
is "$(rc keys 'mcp:{page}:pending:*' | sort | tr '\n' ' ')" \
    "$(printf 'mcp:{page}:pending:%s\n' "$(printf %s "$t1" | sha256sum | cut -c1-64)" "$(printf %s "$t2" | sha256sum | cut -c1-64)" | sort | tr '\n' ' ')" \
    "the store keeps each token's SHA-256 only"
rc --scan >"$TMP/keys"
dump() { while read -r k; do rc --raw dump "$k"; done <"$TMP/keys"; }
unlike "$(dump | tr -d '\0' | tr -c '[:print:]' '.')" "$t1|$t2" "no key or value of the store holds a token"
is "$(rc llen 'mcp:{page}:outbox:mail')" 0 "the mail outbox is empty: the token left with the message"
sub "$PAGE_CGI" reader1@example.test -d slug=weather
cp "$RB" "$TMP/again.b"
is "$ST" 200 "the same address again: 200"
is "$(run):$(mails "$M")" "0:2" "and nothing sent: one confirmation an address a day"

# --- the confirmation -------------------------------------------------------------------
req "$link1"
is "$ST:$(rhdr Cache-Control)" "200:no-store" "GET of the link: 200, no-store (it holds the token)"
like "$(cat "$RB")" "<input type=\"hidden\" name=\"t\" value=\"$t1\">" "a page with a button: the token in the form"
is "$(rc exists "mcp:{page}:pending:$(printf %s "$t1" | sha256sum | cut -c1-64)")" 1 \
    "the GET confirms nothing (a mail scanner that follows links subscribes nobody)"
req -d "t=$t1" "$PAGE_FCGI/subscribe/confirm"
is "$ST" 200 "POST /subscribe/confirm: 200"
like "$(tr '\n' ' ' <"$RB")" '<h1>You are subscribed</h1>.*weather' "subscribed to weather"
req -d "t=$t1" "$PAGE_CGI/subscribe/confirm"
is "$ST" 410 "the same token again: 410, used"
like "$(cat "$RB")" 'This link has expired' "the page says the link has expired"
req -d "t=$t2" "$PAGE_CGI/subscribe/confirm"
like "$ST:$(tr '\n' ' ' <"$RB")" '^200:.*every server' "the second reader confirms: every server"
is "$(rc scard 'mcp:{page}:subs')" 2 "two subscribers"
s1=$(rc get "mcp:{page}:addr:$(printf reader1@example.test | sha256sum | cut -c1-64)")
like "$s1" '^e[0-9a-f]{16}$' "reader1's subscriber, found by its address's hash"
is "$(rc hget "mcp:{page}:sub:$s1" slugs)" weather "following weather"

# --- a webhook subscriber and a Slack one ---------------------------------------------
chmod 600 "$TMP/hook.key"
MCP_NOW=$NOW mcp-alert -c "$TMP/alert.conf" subscribers add webhook "$RECV/hook" \
    --secret-file "$TMP/hook.key" --slug weather --name ops >"$TMP/w.json"
is "$?:$(jq -r '[.kind, .name, (.slugs | join(",")), has("secret")] | join(" ")' "$TMP/w.json")" \
    "0:webhook ops weather false" "subscribers add webhook: its record, no secret printed (it came from a file)"
MCP_NOW=$NOW mcp-alert -c "$TMP/alert.conf" subscribers add slack "$RECV/slack" --all >"$TMP/k.json"
like "$(jq -r .id "$TMP/k.json")" '^k[0-9a-f]{16}$' "subscribers add slack: its id"
MCP_NOW=$NOW mcp-alert -c "$TMP/alert.conf" subscribers list >"$TMP/list"
is "$(tail -n +2 "$TMP/list" | awk '{print $2}' | sort | tr '\n' ' ')" "email email slack webhook " \
    "subscribers list: two addresses, a webhook, a Slack channel"
unlike "$(cat "$TMP/list")" '/hook|/slack' "the list shows a hook's host, not its URL"

# --- a post and its updates reach every subscriber -----------------------------------
NOW=$(w 3)
post new --slug weather --title 'Weather tools failing' --text 'Investigating tools/list errors.' >"$TMP/p.json"
is "$?:$(jq -r '[.id, .state, .title] | join("|")' "$TMP/p.json")" "0:1|investigating|Weather tools failing" \
    "post new: the post, id 1"
is "$(run):$(cat "$TMP/run.err")" "0:" "mcp-alert delivers: exit 0, quiet"
p1=$(mto "$M" reader1@example.test | tail -1)
is "$(mails "$M"):$(mto "$M" reader2@example.test | wc -l)" 4:2 "a message to each reader"
is "$(mval "$M" "$p1" Subject)" "[weather] Weather tools failing: Investigating" "Subject: the slug, the title, the state"
is "$(mval "$M" "$p1" List-Unsubscribe-Post)" "List-Unsubscribe=One-Click" "List-Unsubscribe-Post: One-Click (RFC 8058)"
unsub1=$(mval "$M" "$p1" List-Unsubscribe | tr -d '<>')
like "$unsub1" "^$PAGE_CGI/unsubscribe\\?s=$s1&t=[0-9a-f]{40}\$" "List-Unsubscribe: the page's unsubscribe link"
like "$(mbody "$M" "$p1" | tr '\n' ' ')" "Investigating tools/list errors\\..*$PAGE_CGI/status/weather#post-1.*Unsubscribe.*$PAGE_CGI/unsubscribe" \
    "the body: the text, the post's link, the unsubscribe link"
root=$(mval "$M" "$p1" Message-ID)
hooks() { jq -c "select(.path == \"/hook\")" "$RECV_LOG"; }
slack() { jq -c "select(.path == \"/slack\")" "$RECV_LOG"; }
is "$(hooks | wc -l):$(hooks | jq -r .verify)" "1:ok" "the webhook: one delivery, its signature checked by the receiver"
is "$(hooks | jq -r '.body | fromjson | [.type, .event, .post, .state, .title, .url] | join("|")')" \
    "notice|post|1|investigating|Weather tools failing|$PAGE_CGI/status/weather#post-1" "the webhook's body: the notice record"
is "$(slack | wc -l):$(slack | jq -r '.body | fromjson | .text' | head -1)" "1:*[weather] Weather tools failing: Investigating*" \
    "Slack: one message, its text"
post update 1 --state identified --text 'A bad deploy; rolling back.' >/dev/null
is "$(run):$(mails "$M"):$(hooks | wc -l):$(slack | wc -l)" "0:6:2:2" "post update: one more to each"
u1=$(mto "$M" reader1@example.test | tail -1)
is "$(mval "$M" "$u1" Subject)|$(mval "$M" "$u1" In-Reply-To)" "[weather] Weather tools failing: Identified|$root" \
    "an update answers the post's first message (one thread)"
post resolve 1 --text 'Rolled back; all regions pass.' >/dev/null
is "$(run):$(mails "$M"):$(hooks | wc -l)" "0:8:3" "post resolve: one more to each"
is "$(hooks | tail -1 | jq -r '.body | fromjson | [.event, .state] | join(" ")')" "resolve resolved" "the webhook is told resolve"
is "$(MCP_NOW=$NOW mcp-alert -c "$TMP/alert.conf" post show 1 | jq -r '[.state, (.updates | length)] | join(" ")')" \
    "resolved 3" "post show: resolved, three updates"

# --- a receiver down loses nothing ------------------------------------------------------
recv_answer /hook 503
kill "$SINK_PID" && wait "$SINK_PID" 2>/dev/null
NOW=$(w 5)
post new --slug weather --title 'Latency in eu-west-2' --text 'Slow answers from London.' >/dev/null
is "$(run)" 0 "the SMTP server and the webhook receiver down: exit 0"
like "$(cat "$TMP/run.err")" 'subscriber e[0-9a-f]{16}: [0-9a-f]+: .*attempt 1, next in 30 s' "the failure said, and its retry"
is "$(rc llen 'mcp:{page}:outbox:mail'):$(rc llen "mcp:{page}:outbox:$(jq -r .id "$TMP/w.json")")" "2:1" \
    "the deliveries wait in their outboxes"
start_sink "$M" "$SINK_PORT"
recv_answer /hook 200
is "$(run):$(mails "$M")" "0:8" "back, but the retries are not due yet: nothing sent"
NOW=$(($(w 5) + 45))
is "$(run):$(mails "$M")" "0:10" "their time come: both messages sent"
is "$(hooks | jq -r .status | tr '\n' ' ')" "200 200 200 503 200 " "the webhook: 503, then the same delivery taken"
is "$(hooks | tail -2 | jq -r '.headers["webhook-id"]' | sort -u | wc -l)" 1 "with the same webhook-id (a receiver can drop a copy)"
is "$(rc llen 'mcp:{page}:outbox:mail')" 0 "nothing waits"

# --- two runs at once send once ---------------------------------------------------------
NOW=$(w 6)
post update 2 --text 'Still slow; the provider is on it.' >/dev/null
before=$(mails "$M")
hb=$(hooks | wc -l)
curl -sf "$RECV/_control?now=$NOW" >/dev/null
MCP_NOW=$NOW mcp-alert -c "$TMP/alert.conf" </dev/null >/dev/null 2>"$TMP/r1.err" &
a=$!
MCP_NOW=$NOW mcp-alert -c "$TMP/alert.conf" </dev/null >/dev/null 2>"$TMP/r2.err" &
b=$!
wait "$a"
ra=$?
wait "$b"
is "$ra:$?" "0:0" "two runs of mcp-alert at once: both exit 0"
# Whichever run missed a lock leaves its outbox to a later run.
is "$(run)" 0 "and a third"
is "$(($(mails "$M") - before)):$(($(hooks | wc -l) - hb))" "2:1" "each reader got the update once, and the webhook once"

# --- maintenance: announced, started, ended ---------------------------------------------
NOW=$(w 7)
MCP_NOW=$NOW mcp-alert -c "$TMP/alert.conf" maint add weather --start "$(w 67)" --for 1h \
    --reason 'Database upgrade' 2>/dev/null
is "$(run)" 0 "maint add for later: the run"
m1=$(mto "$M" reader2@example.test | tail -1)
like "$(mval "$M" "$m1" Subject)" '^Maintenance scheduled: weather, 2026-11-24 17:07 UTC to 2026-11-24 18:07 UTC$' \
    "announced: Maintenance scheduled, its times"
like "$(mbody "$M" "$m1")" 'Database upgrade' "the reason in the body"
is "$(hooks | tail -1 | jq -r '.body | fromjson | .event')" maintenance-scheduled "the webhook is told too"
req -H "X-MCP-Now: $NOW" "$PAGE_CGI/status/weather"
like "$(tr '\n' ' ' <"$RB")" '<h2>Maintenance scheduled</h2><p>from <time datetime="2026-11-24T17:07:00Z">' \
    "the page shows it ahead of time, as scheduled"
req -H "X-MCP-Now: $NOW" "$PAGE_FCGI/status/weather/feed.atom"
like "$(cat "$RB")" '<id>urn:mcp-uptime:maint:weather:[0-9]+</id><title>weather: maintenance from 2026-11-24T17:07:00Z' \
    "and the feed"
n=$(mails "$M")
is "$(run):$(mails "$M")" "0:$n" "told once: a run later, nothing more"
NOW=$(($(w 67) + 5))
is "$(run)" 0 "its start: the run"
like "$(mval "$M" "$(mto "$M" reader2@example.test | tail -1)" Subject)" '^Maintenance started: weather' "started: told"
NOW=$(($(w 127) + 5))
is "$(run)" 0 "its end: the run"
like "$(mval "$M" "$(mto "$M" reader2@example.test | tail -1)" Subject)" '^Maintenance ended: weather' "ended: told"
is "$(rc zcard 'mcp:{page}:maint:due'):$(rc hlen 'mcp:{page}:maint:told')" "0:0" "nothing more to tell of it"
MCP_NOW=$NOW mcp-alert -c "$TMP/alert.conf" maint add files --start "$(w 200)" --for 30m --reason 'Moving racks' 2>/dev/null
is "$(run)" 0 "another window for later, on files"
like "$(mval "$M" "$(mto "$M" reader2@example.test | tail -1)" Subject)" '^Maintenance scheduled: files' "announced"
MCP_NOW=$NOW mcp-alert -c "$TMP/alert.conf" maint end files
is "$(run)" 0 "maint end before it began: the run"
like "$(mval "$M" "$(mto "$M" reader2@example.test | tail -1)" Subject)" '^Maintenance ended: files' "told as ended (called off)"
req -H "X-MCP-Now: $NOW" "$PAGE_CGI/status/files"
unlike "$(cat "$RB")" 'Maintenance scheduled' "and the page no longer shows it"

# --- the automatic incidents of a page opted in ---------------------------------------
NOW=$(($(w 130)))
n1=$(mto "$M" reader1@example.test | wc -l)
red files 128 130 http >"$TMP/in"
curl -sf "$RECV/_control?now=$NOW" >/dev/null
MCP_NOW=$NOW mcp-alert -c "$TMP/alert.conf" <"$TMP/in" >"$TMP/alerts" 2>"$TMP/run.err"
is "$?:$(jq -r .event "$TMP/alerts" | tr '\n' ' ')" "0:trigger " "files fails three windows: a trigger"
i2=$(mto "$M" reader2@example.test | tail -1)
like "$(mval "$M" "$i2" Subject)" '^\[files\] files: http failing in 2 regions' "reader2 (every server) is told of it"
is "$(mto "$M" reader1@example.test | wc -l)" "$n1" "reader1 (weather) is not"
is "$(slack | tail -1 | jq -r '.body | fromjson | .text' | head -1)" "*[files] files: http failing in 2 regions*" "nor is Slack left out"
green files 131 133 >"$TMP/in"
NOW=$(w 133)
MCP_NOW=$NOW mcp-alert -c "$TMP/alert.conf" <"$TMP/in" >"$TMP/alerts" 2>"$TMP/run.err"
like "$(mval "$M" "$(mto "$M" reader2@example.test | tail -1)" Subject)" '^\[files\] files recovered' "and of its end"

# --- unsubscribe: one click, nothing kept ---------------------------------------------
req "$unsub1"
is "$ST:$(rhdr Cache-Control)" "200:no-store" "GET of the unsubscribe link: a page with a button"
is "$(rc exists "mcp:{page}:sub:$s1")" 1 "the GET unsubscribes nobody"
req -F 'List-Unsubscribe=One-Click' "$unsub1"
is "$ST" 200 "RFC 8058 one-click POST (multipart, as a mail provider sends it): 200"
like "$(cat "$RB")" '<h1>You are unsubscribed</h1>' "the page says so"
cp "$RB" "$TMP/gone.b"
is "$(rc exists "mcp:{page}:sub:$s1"):$(rc sismember 'mcp:{page}:subs:slug:weather' "$s1")" "0:0" "the subscriber is gone"
rc --scan >"$TMP/keys"
unlike "$(cat "$TMP/keys"; dump | tr -d '\0' | tr -c '[:print:]' '.')" 'reader1@example\.test' \
    "no key or value of the store holds the address"
req -F 'List-Unsubscribe=One-Click' "$unsub1"
is "$ST" 200 "the same POST again: 200"
cmp -s "$RB" "$TMP/gone.b"
ok $? "the same page: unsubscribed or never subscribed, one answer"
NOW=$(w 140)
n1=$(mto "$M" reader1@example.test | wc -l)
post new --slug weather --title 'One more' --text 'Text.' >/dev/null
is "$(run):$(mto "$M" reader1@example.test | wc -l)" "0:$n1" "a post after: nothing to reader1"
like "$(mval "$M" "$(mto "$M" reader2@example.test | tail -1)" Subject)" 'One more' "reader2 still gets it"

# --- the relay down: a reader's second notice waits behind the first -------------------
# The first fails and holds the reader back by its subscriber id; the second,
# compared with it, must find the map's own copy, not the first job's freed
# JSON (a heap use-after-free under ASan, issue 45).
kill "$SINK_PID" && wait "$SINK_PID" 2>/dev/null
NOW=$(w 142)
n2=$(mto "$M" reader2@example.test | wc -l)
post new --slug files --title 'Held one' --text 'First.' >"$TMP/h.json"
post update "$(jq -r .id "$TMP/h.json")" --text 'Held two.' >/dev/null
is "$(run)" 0 "the SMTP server down, a reader with two notices: exit 0"
unlike "$(cat "$TMP/run.err")" 'AddressSanitizer|runtime error' "the second, held back, read no freed memory"
start_sink "$M" "$SINK_PORT"
NOW=$(($(w 142) + 45))
is "$(run):$(($(mto "$M" reader2@example.test | wc -l) - n2))" "0:2" "back, and due: both sent"
like "$(mval "$M" "$(mto "$M" reader2@example.test | tail -2 | head -1)" Subject)" 'Held one' "in their order"

# --- the embed route is still the contract's five fields ---------------------------------
req "$PAGE_CGI/api/embed-status/weather"
is "$(jq -c 'keys' "$RB")" '["as_of","last_probe_ago","p95_ms","state","uptime_30d"]' "the embed JSON: exactly its five fields"
unlike "$(cat "$TMP/run.err" "$PAGE_LOG" "$PAGE_FCGI_ERR")" 'AddressSanitizer|runtime error' "no sanitizer report"
done_testing
