#!/usr/bin/env bash
# alert-ops.t - mcp-alert's commands for the operator (issue 26): incidents,
# ack SLUG [TRACK], routes test, silences, maint's refusals and table,
# check.  A private redis-server and the test receiver.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/alert-lib.sh"

# The store as mcp-store(7) asks for it, with an append-only file (check
# warns of a store without: alert-faults.t).
start_redis --appendonly yes
start_receiver
AT=$(w 100)
export MCP_NOW=$AT
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }
cat >"$TMP/alert.conf" <<CONF
route pd   pagerduty $TMP/pd.key $RECV/pd/v2/enqueue
route hook webhook   $RECV/hook
group_by slug
CONF
(umask 077 && echo R0UT1NGKEY0123456789abcdef012345 >"$TMP/pd.key")
ma() {
	mcp-alert -c "$TMP/alert.conf" "$@" <"$TMP/in" >"$TMP/out" 2>"$TMP/err"
	echo $?
}

# --- incidents, ack SLUG [TRACK] -------------------------------------------------------
{
	red api 0 2 http
	VD_EXTRA=',"error":"http_429"' red web 0 2 http
	green quiet 0 2
} >"$TMP/in"
ma >/dev/null
: >"$TMP/in"
is "$(ma incidents):$(cat "$TMP/out")" "0:SLUG                     TRACK            SEV  SINCE                STEP         ACKED REGIONS
api                      down             P1   2026-11-24T16:00:00Z http         no    eu-west-2,us-east-1
web                      rate-limited     P2   2026-11-24T16:00:00Z http         no    eu-west-2,us-east-1" \
    "incidents: a table of the open incidents, by slug"
is "$(ma incidents -j):$(jq -c '[.slug, .track, .severity, .since, .step, .regions, .acked, .dedup_key]' "$TMP/out")" \
    "0:[\"api\",\"down\",\"P1\",$(w 0),\"http\",[\"eu-west-2\",\"us-east-1\"],false,\"api:$(w 0)\"]
[\"web\",\"rate-limited\",\"P2\",$(w 0),\"http\",[\"eu-west-2\",\"us-east-1\"],false,\"web:rate-limited:$(w 0)\"]" "incidents -j: JSON lines"
is "$(ma ack api):$(jq -r '"\(.event) \(.dedup_key)"' "$TMP/out")" "0:acknowledge api:$(w 0)" \
    "ack SLUG: the downtime incident, no dedup key to dig out"
is "$(jq -r 'select(.path == "/pd/v2/enqueue") | .body | fromjson | "\(.event_action) \(.dedup_key)"' "$RECV_LOG" | tail -1)" \
    "acknowledge api:$(w 0)" "PagerDuty told"
is "$(ma ack web):$(cat "$TMP/err")" "1:mcp-alert: ack: web: no open downtime incident" "ack SLUG of a slug without downtime: exit 1, says so"
is "$(ma ack web rate-limited):$(jq -r .dedup_key "$TMP/out")" "0:web:rate-limited:$(w 0)" "ack SLUG TRACK"
is "$(ma ack web nosuch):$(cat "$TMP/err")" \
    "2:mcp-alert: ack: nosuch: not a track (down, rate-limited, latency, error-rate, tools-changed, tools-unreviewed, cert-expiry, token-expiry)" "ack of an unknown track: usage"
ma incidents -j >/dev/null
is "$(jq -r '"\(.slug) \(.acked)"' "$TMP/out" | tr '\n' ' ')" "api true web true " "incidents shows them acknowledged"

# --- maint catches mistakes -------------------------------------------------------------
: >"$TMP/in"
is "$(ma maint add everythng --for 1h --reason deploy):$(cat "$TMP/err")" \
    "2:mcp-alert: maint add: everythng: no such slug (never probed, no alert state); --force to add it anyway" \
    "maint add of a slug never seen: refused"
is "$(ma maint list -j):$(cat "$TMP/out")" "0:" "nothing added"
is "$(ma maint add newbie --force --for 1h --reason launch):$(cat "$TMP/err")" "0:" "--force adds it anyway"
is "$(ma maint add api --start "$(w 100)" --for 1h --reason deploy):$(cat "$TMP/err")" "0:" "a slug with a state: added, quietly"
is "$(ma maint add api --start "$(w 130)" --for 30m --reason rollback):$(cat "$TMP/err")" \
    "0:mcp-alert: maint add: api: replaces the window 2026-11-24T17:40:00Z to 2026-11-24T18:40:00Z (deploy)" \
    "a window that replaces one still to end: said"
is "$(ma maint add api --for 1h):$(cat "$TMP/err")" "2:mcp-alert: maint add: api: --reason TEXT is required" \
    "a missing --reason is named, not answered with the usage"
is "$(ma maint add api --reason x):$(cat "$TMP/err")" "2:mcp-alert: maint add: api: --end TIME or --for DURATION is required" \
    "so is a missing end"
is "$(ma maint list):$(cat "$TMP/out")" "0:SLUG                     START                END                  ACTIVE REASON
api                      2026-11-24T18:10:00Z 2026-11-24T18:40:00Z no     rollback
newbie                   2026-11-24T17:40:00Z 2026-11-24T18:40:00Z yes    launch" "maint list: a table"
is "$(ma maint list -j):$(jq -r '"\(.slug) \(.active)"' "$TMP/out" | tr '\n' ' ')" "0:api false newbie true " "maint list -j: JSON lines"

# --- routes test ------------------------------------------------------------------------
cat >"$TMP/routing.conf" <<CONF
route oncall    pagerduty $TMP/pd.key $RECV/pd/v2/enqueue
route team      webhook   $RECV/team
route sms       webhook   $RECV/sms
route log       command   true
business_hours  Mon-Fri 09:00-18:00 Europe/London
notify P1       business    team
notify P1       after-hours oncall
notify P2       always      team log
escalate 5m     sms
escalate 15m    sms oncall
CONF
nrecv=$(wc -l <"$RECV_LOG")
rt() { mcp-alert -c "$TMP/routing.conf" routes test "$@" 2>&1; echo "exit $?"; }
# 2026-11-24 is a Tuesday.
is "$(rt --severity P1 --at 2026-11-24T10:00:00Z)" "P1 at 2026-11-24T10:00:00Z: business hours (Europe/London)
told: team
unacknowledged after 5m: sms
unacknowledged after 15m: oncall, sms
exit 0" "routes test P1 in office hours: the routes told, the escalation steps"
is "$(rt --severity P1 --at 2026-11-24T22:00:00Z)" "P1 at 2026-11-24T22:00:00Z: outside business hours (Europe/London)
told: oncall
then: left to PagerDuty's own escalation
exit 0" "after hours: PagerDuty alone, left to its escalation"
is "$(rt --severity P3 --at 2026-11-24T22:00:00Z)" "P3 at 2026-11-24T22:00:00Z: outside business hours (Europe/London)
told: nobody
exit 1" "a severity no route is told of: says nobody, exit 1"
is "$(rt --severity P2 --at "$(w 135)" api | tail -2)" "api: in maintenance until 2026-11-24T18:40:00Z (rollback): held back, nobody told
exit 0" "routes test SLUG: its maintenance window holds it back"
is "$(rt --severity P9)" "mcp-alert: routes test: --severity P9: not P1, P2 or P3
exit 2" "a bad severity: usage"
is "$(wc -l <"$RECV_LOG")" "$nrecv" "routes test sent nothing"

# --- check ---------------------------------------------------------------------------------
# Without -c: $MCP_ALERT_CONF, else /etc/mcp-uptime/mcp-alert.conf, else /etc/mcp-alert.conf.
if [ ! -e /etc/mcp-uptime/mcp-alert.conf ] && [ ! -e /etc/mcp-alert.conf ]; then
	is "$(mcp-alert check 2>&1):$?" \
	    "mcp-alert: check: no configuration to check: /etc/mcp-uptime/mcp-alert.conf: No such file or directory (-c CONFIG):2" \
	    "check without -c and no /etc/mcp-uptime/mcp-alert.conf: says so, exit 2 (it used to check nothing)"
	is "$(mcp-alert </dev/null 2>"$TMP/e"; echo $?):$(cut -d';' -f1 "$TMP/e")" "2:mcp-alert: this store is decided by $(realpath "$TMP/alert.conf")" \
	    "a run without any configuration is refused"
fi
printf 'fail_windows 3\nbogus 1\n' >"$TMP/default.conf"
is "$(MCP_ALERT_CONF=$TMP/default.conf mcp-alert check 2>&1):$?" "mcp-alert: $TMP/default.conf:2: unknown key \"bogus\":2" \
    "check without -c checks \$MCP_ALERT_CONF"
is "$(MCP_ALERT_CONF=$TMP/alert.conf mcp-alert </dev/null 2>&1):$?" ":0" \
    "a run without -c reads the default configuration: the deciding one, not refused"
# URLs are secrets.
printf 'route hook webhook %s/hook\n' "$RECV" >"$TMP/open.conf" && chmod 644 "$TMP/open.conf"
is "$(mcp-alert -c "$TMP/open.conf" check 2>&1):$?" \
    "mcp-alert: $TMP/open.conf: holds the URL of a slack or webhook route, a secret, and group or others can read it (chmod 600, or url_file=PATH):2" \
    "a webhook URL in a configuration others can read: refused"
echo "$RECV/viafile" >"$TMP/hook.url"
printf 'route pd pagerduty %s/pd.key %s/pd/v2/enqueue\nroute hook webhook url_file=%s/hook.url\n' "$TMP" "$RECV" "$TMP" >"$TMP/file.conf"
chmod 644 "$TMP/file.conf"
is "$(mcp-alert -c "$TMP/file.conf" check 2>&1):$?" ":0" "url_file: the configuration itself may be readable"
n=$(wc -l <"$RECV_LOG")
mcp-alert -c "$TMP/file.conf" claim 2>/dev/null
is "$(MCP_NOW=$AT mcp-alert -c "$TMP/file.conf" test --route hook u1 2>&1 >/dev/null):$(tail -n +$((n + 1)) "$RECV_LOG" | jq -r .path)" \
    ":/viafile" "the URL read from url_file is the one posted to"
mcp-alert -c "$TMP/alert.conf" claim 2>/dev/null
chmod 644 "$TMP/hook.url"
like "$(mcp-alert -c "$TMP/file.conf" check 2>&1):$?" "^mcp-alert: $TMP/file.conf:2: $TMP/hook.url: accessible by group or others \\(chmod 600\\):2\$" \
    "a url_file others can read: refused"
is "$(grep -c "$RECV" <(mcp-alert -c "$TMP/file.conf" check 2>&1; mcp-alert -c "$TMP/open.conf" check 2>&1))" 0 "no URL in any message"
# Command routes.
printf 'route log command %s/nosuch\n' "$TMP" >"$TMP/cmd.conf"
is "$(mcp-alert -c "$TMP/cmd.conf" check 2>&1):$?" "mcp-alert: $TMP/cmd.conf:1: $TMP/nosuch: no such program:2" \
    "a command route whose program is missing: an error"
: >"$TMP/noexec" && chmod 600 "$TMP/noexec"
printf 'route log command %s/noexec\n' "$TMP" >"$TMP/cmd.conf"
is "$(mcp-alert -c "$TMP/cmd.conf" check 2>&1):$?" "mcp-alert: $TMP/cmd.conf:1: $TMP/noexec: not an executable file:2" \
    "or not executable: an error"
printf 'route log command no-such-program-anywhere\n' >"$TMP/cmd.conf"
is "$(mcp-alert -c "$TMP/cmd.conf" check 2>&1):$?" "mcp-alert: $TMP/cmd.conf:1: no-such-program-anywhere: no such program in PATH:2" \
    "or not in PATH: an error"
# Files that name programs to run, or hold secrets, are trusted as ssh(1)
# trusts its own: owned by the user or root, written by nobody else, nor
# is any directory above them (a sticky one, as /tmp, excepted).
printf 'route log command true\n' >"$TMP/trust.conf"
chmod 620 "$TMP/trust.conf"
is "$(mcp-alert -c "$TMP/trust.conf" check 2>&1):$?" \
    "mcp-alert: $TMP/trust.conf: writable by group or others: refusing a configuration that names programs to run and where alerts go:2" \
    "a configuration its group can write: refused, exit 2"
chmod 602 "$TMP/trust.conf"
like "$(mcp-alert -c "$TMP/trust.conf" check 2>&1):$?" "writable by group or others: refusing a configuration.*:2\$" \
    "one others can write: refused"
chmod 644 "$TMP/trust.conf"
mkdir -m 700 "$TMP/open" && cp "$TMP/trust.conf" "$TMP/open/a.conf" && chmod 777 "$TMP/open"
is "$(mcp-alert -c "$TMP/open/a.conf" check 2>&1):$?" \
    "mcp-alert: $TMP/open/a.conf: directory $TMP/open: writable by group or others: refusing a configuration that names programs to run and where alerts go:2" \
    "in a directory others can write (they could put another in its place): refused"
chmod 1777 "$TMP/open"
is "$(mcp-alert -c "$TMP/open/a.conf" check 2>&1 | grep -c refusing)" 0 "a sticky directory, as /tmp: taken"
chmod 700 "$TMP/open"
printf '#!/bin/sh\ncat >/dev/null\n' >"$TMP/prog" && chmod 775 "$TMP/prog"
printf 'route log command %s/prog\n' "$TMP" >"$TMP/cmd.conf"
is "$(mcp-alert -c "$TMP/cmd.conf" check 2>&1):$?" \
    "mcp-alert: $TMP/cmd.conf:1: $TMP/prog: writable by group or others: refusing a program to run:2" \
    "a command route's program its group can write: refused"
chmod 755 "$TMP/prog"
mkdir -m 700 "$TMP/bin" && cp "$TMP/prog" "$TMP/bin/mcp-test-prog" && chmod 777 "$TMP/bin"
printf 'route log command mcp-test-prog\n' >"$TMP/cmd.conf"
is "$(PATH=$TMP/bin:$PATH mcp-alert -c "$TMP/cmd.conf" check 2>&1):$?" \
    "mcp-alert: $TMP/cmd.conf:1: $TMP/bin/mcp-test-prog: directory $TMP/bin: writable by group or others: refusing a program to run:2" \
    "one found in PATH, in a directory others can write: refused, named by the file execvp would run"
chmod 700 "$TMP/bin"
is "$(PATH=$TMP/bin:$PATH mcp-alert -c "$TMP/cmd.conf" check 2>&1 | grep -c refusing)" 0 "that directory mode 700: taken"
if [ "$(id -u)" = 0 ]; then
	printf 'route log command %s/prog\n' "$TMP" >"$TMP/cmd.conf"
	chown 65534 "$TMP/cmd.conf"
	is "$(mcp-alert -c "$TMP/cmd.conf" check 2>&1):$?" \
	    "mcp-alert: $TMP/cmd.conf: owned by uid 65534, neither us (uid 0) nor root: refusing a configuration that names programs to run and where alerts go:2" \
	    "a configuration another user owns: refused"
	chown 0 "$TMP/cmd.conf" && chown 65534 "$TMP/prog"
	is "$(mcp-alert -c "$TMP/cmd.conf" check 2>&1):$?" \
	    "mcp-alert: $TMP/cmd.conf:1: $TMP/prog: owned by uid 65534, neither us (uid 0) nor root: refusing a program to run:2" \
	    "a program another user owns: refused"
	chown 0 "$TMP/prog"
	(umask 077 && echo R0UT1NGKEY0123456789abcdef012345 >"$TMP/other.key") && chown 65534 "$TMP/other.key"
	printf 'route pd pagerduty %s/other.key\n' "$TMP" >"$TMP/key.conf"
	is "$(mcp-alert -c "$TMP/key.conf" check 2>&1):$?" \
	    "mcp-alert: $TMP/key.conf:1: $TMP/other.key: owned by uid 65534, neither us (uid 0) nor root: refusing a secret another user could change:2" \
	    "a key file another user owns: refused"
	echo "$RECV/viafile" >"$TMP/other.url" && chown 65534 "$TMP/other.url"
	printf 'route hook webhook url_file=%s/other.url\n' "$TMP" >"$TMP/key.conf"
	is "$(mcp-alert -c "$TMP/key.conf" check 2>&1):$?" \
	    "mcp-alert: $TMP/key.conf:1: $TMP/other.url: owned by uid 65534, neither us (uid 0) nor root: refusing a secret another user could change:2" \
	    "a url_file another user owns (it would say where alerts go): refused"
else
	diag "ownership checks skipped: chown needs root"
fi

# Outboxes of routes no longer configured.
recv_answer /hook 500
red orphan 0 2 http >"$TMP/in"
ma >/dev/null
is "$(rcli llen mcp:alert:outbox:hook)" 1 "a delivery waits in the hook outbox"
printf 'route pd pagerduty %s/pd.key %s/pd/v2/enqueue\n' "$TMP" "$RECV" >"$TMP/nohook.conf"
is "$(mcp-alert -c "$TMP/nohook.conf" check 2>&1):$?" \
    "mcp-alert: check: the outbox of route \"hook\", no longer configured, holds 1 delivery that nobody will send:1" \
    "check: an outbox of a route no longer configured is reported, exit 1"
is "$(mcp-alert -c "$TMP/alert.conf" check 2>&1):$?" ":0" "the configuration that has the route: exit 0"
recv_answer /hook 200

# --- silences ------------------------------------------------------------------------------
: >"$TMP/in"
# recv: what /hook got, but the delivery the outbox test left to retry.
recv() { jq -r 'select(.path == "/hook") | .body | fromjson | select(.slug != "orphan") | "\(.event) \(.slug)"' "$RECV_LOG" | sort | tr '\n' ' '; }
: >"$RECV_LOG"
is "$(MCP_NOW=$(w 200) ma silence add 'slug=pay*' track=down --for 10m --reason 'known outage'):$(cat "$TMP/out")" \
    "0:silence 1 until 2026-11-24T19:30:00Z" "silence add slug=GLOB track=down --for 10m"
is "$(MCP_NOW=$(w 200) ma silence add 'slug=reg*' severity=P2 --for 24h --reason flaky):$(cat "$TMP/err")" \
    "0:mcp-alert: silence add: a silence of 86400 s is longer than maint_max (14400 s); capped" "a silence is capped as a window is"
is "$(ma silence add track=down --for 1h --reason x):$(head -1 "$TMP/err")" "2:mcp-alert: silence: add: slug=GLOB is required" \
    "slug= is required"
is "$(ma silence add slug=x --for 1h):$(head -1 "$TMP/err")" "2:mcp-alert: silence: add: --reason TEXT is required" \
    "so is --reason, named"
is "$(ma silence add slug=x colour=red --for 1h --reason x):$(cat "$TMP/err")" \
    "2:mcp-alert: silence add: colour=red: not a matcher (slug=GLOB, track=T, region=R, severity=P1|P2|P3)" "an unknown matcher"
{
	red pay1 200 202 http
	red other1 200 202 http
	for i in 200 201 202; do vd reg1 "$i" amber regional tls us-east-1; done
	red reg2 200 202 http
} >"$TMP/in"
is "$(MCP_NOW=$(($(w 202) + 95)) ma):$(jq -r '"\(.event) \(.slug) \(.silence // "-") \(.reason // "-")"' "$TMP/out" | sort | tr '\n' ' ')" \
    "0:suppressed pay1 1 known outage suppressed reg1 2 flaky trigger other1 - - trigger reg2 - - " \
    "what a silence matches is suppressed, naming it; the rest pages"
is "$(recv)" "trigger other1 trigger reg2 " "the receiver got only what no silence matched"
: >"$TMP/in"
is "$(MCP_NOW=$(w 203) ma silence list):$(cat "$TMP/out")" "0:ID   SLUG                     TRACK            REGION           SEV  UNTIL                REASON
1    pay*                     down             *                *    2026-11-24T19:30:00Z known outage
2    reg*                     *                *                P2   2026-11-24T23:20:00Z flaky" "silence list: a table"
is "$(MCP_NOW=$(w 203) ma silence list -j):$(jq -c '[.id, .slug, .severity]' "$TMP/out" | tr '\n' ' ')" \
    '0:[1,"pay*",""] [2,"reg*","P2"] ' "silence list -j"
is "$(ma silence expire 1):$(cat "$TMP/err")" "0:" "silence expire ID"
is "$(ma silence expire 1):$(cat "$TMP/err")" "1:mcp-alert: silence expire: 1: no such silence" "twice: exit 1"
is "$(MCP_NOW=$(w 203) ma silence list -j):$(jq -c .id "$TMP/out" | tr '\n' ' ')" "0:2 " "gone from the list"
red pay1 203 215 http >"$TMP/in"
MCP_NOW=$(($(w 215) + 95)) ma >/dev/null
is "$(jq -r '"\(.event) \(.slug)"' "$TMP/out"):$(recv)" "trigger pay1:trigger other1 trigger pay1 trigger reg2 " \
    "still failing 5 minutes after the silence's end: triggered after all, delivered"

done_testing
