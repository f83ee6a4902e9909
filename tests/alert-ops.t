#!/usr/bin/env bash
# alert-ops.t - mcp-alert's commands for the operator (issue 26): incidents,
# ack SLUG [TRACK], routes test, silences, maint's refusals and table,
# check.  A private redis-server and the test receiver.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/alert-lib.sh"

start_redis
start_receiver
AT=$(w 100)
export MCP_NOW=$AT
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }
cat >"$TMP/alert.conf" <<CONF
route pd   pagerduty $TMP/pd.key $RECV/pd/v2/enqueue
route hook webhook   $RECV/hook
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
    "2:mcp-alert: ack: nosuch: not a track (down, rate-limited, latency, error-rate, cert-expiry, token-expiry)" "ack of an unknown track: usage"
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

done_testing
