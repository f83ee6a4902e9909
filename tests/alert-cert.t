#!/usr/bin/env bash
# alert-cert.t - mcp-alert's cert-expiry track: a P3 at 14 days, a P2 at 3,
# one incident per certificate, resolved by a renewal; no page for an
# expired certificate (the outage pages).  Verdicts written here, then the
# real pipeline: mcp-probe against the fixture's TLS ports (certificates of
# 10 and 90 days made here, the clock moved by MCP_NOW), mcp-aggregate and
# mcp-alert, delivering to the test receiver, through a private redis-server.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/alert-lib.sh"

start_redis
start_receiver
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }
DAY=1440 # windows
E=$(($(w 0) + 20 * 86400))

# cv SLUG K EXPIRY|null [VERDICT ARGS...]: a verdict of window K (green
# unless VERDICT ARGS say otherwise, as for vd) whose certificate expires at
# EXPIRY, served in $CR (default eu-west-2 us-east-1).
cv() {
	local s=$1 k=$2 e=$3
	shift 3
	[ $# -gt 0 ] || set -- green ok - ''
	VD_EXTRA=",\"host\":\"mcp.example.com\",\"cert_expires_at\":$e,\"cert_regions\":$(jarr "${CR-eu-west-2 us-east-1}")" \
	    vd "$s" "$k" "$@"
}
# run K: mcp-alert on $TMP/in with the clock at the end of window K.
run() { MCP_NOW=$(($(w "$1") + 95)) ma "${@:2}"; }
# events: "event severity dedup_key" of each record of $TMP/out.
events() { jq -r '[.event, .severity, .dedup_key] | join(" ")' "$TMP/out"; }

# --- tiers, dedup, expiry, renewal ---------------------------------------------------
cv c1 0 "$E" >"$TMP/in"
is "$(run 0):$(cat "$TMP/out" "$TMP/err")" "0:" "20 days left: nothing"
k=$((6 * DAY))
cv c1 "$k" "$E" >"$TMP/in"
cat "$TMP/in" >"$TMP/c1.all"
is "$(run $k):$(cat "$TMP/err")" "0:" "14 days left: exit 0, quiet"
is "$(cat "$TMP/out")" \
    "{\"v\":1,\"type\":\"alert\",\"event\":\"trigger\",\"severity\":\"P3\",\"slug\":\"c1\",\"dedup_key\":\"c1:cert-expiry:$E\",\"incident_started_at\":$(w $k),\"step\":\"tls\",\"regions\":[\"eu-west-2\",\"us-east-1\"],\"summary\":\"c1: the TLS certificate of mcp.example.com expires in 14 days (2026-12-14T16:00:00Z)\",\"at\":$(($(w $k) + 95)),\"kind\":\"cert-expiry\",\"expires_at\":$E}" \
    "a P3 trigger: step tls, the regions that serve it, kind cert-expiry, expires_at, the expiry in its dedup_key"
for i in 1 2; do cv c1 $((k + i)) "$E"; done >"$TMP/in"
cat "$TMP/in" >>"$TMP/c1.all"
is "$(run $((k + 2))):$(cat "$TMP/out")" "0:" "the next windows, in another run: nothing (dedup)"
k=$((17 * DAY))
for i in 0 1 2; do cv c1 $((k + i)) "$E"; done >"$TMP/in"
cat "$TMP/in" >>"$TMP/c1.all"
run $((k + 2)) >/dev/null
is "$(events)" "escalate P2 c1:cert-expiry:$E" "3 days left: escalated to P2 within the incident, once"
is "$(jq -r .summary "$TMP/out")" "c1: the TLS certificate of mcp.example.com expires in 3 days (2026-12-14T16:00:00Z)" \
    "its summary"
k=$((20 * DAY + 1))
{
	for i in 0 1 2; do
		VD_EXTRA=',"error":"tls_cert_expired"' cv c1 $((k + i)) "$E" red outage tls "$ALL"
	done
} >"$TMP/in"
cat "$TMP/in" >>"$TMP/c1.all"
run $((k + 2)) >/dev/null
is "$(events)" "trigger P1 c1:$(w $k)" "expired: the outage pages (P1 at tls), the certificate track says nothing more"
NEW=$((E + 90 * 86400))
k=$((20 * DAY + 100))
for i in 0 1 2; do cv c1 $((k + i)) "$NEW"; done >"$TMP/in"
cat "$TMP/in" >>"$TMP/c1.all"
run $((k + 2)) >/dev/null
is "$(events)" "resolve P1 c1:$(w $((20 * DAY + 1)))
resolve P2 c1:cert-expiry:$E" "renewed, 3 windows in a row: the outage and the certificate's incident resolve"
is "$(jq -c 'select(.kind == "cert-expiry") | [.summary, .duration_s, .expires_at]' "$TMP/out")" \
    "[\"c1: the TLS certificate of mcp.example.com expiring 2026-12-14T16:00:00Z was renewed; the earliest served now expires 2027-03-14T16:00:00Z\",$((14 * 86400 + 100 * 60)),$E]" \
    "the resolve: what was renewed, duration_s from the trigger to the first window of the renewal"
for i in 3 4; do cv c1 $((k + i)) "$NEW"; done >"$TMP/in"
cat "$TMP/in" >>"$TMP/c1.all"
is "$(run $((k + 4))):$(cat "$TMP/out")" "0:" "the renewed certificate, 90 days left: nothing"
is "$(rcli hexists "mcp:{c1}:incident" cert-expiry):$(rcli llen "mcp:{c1}:incidents")" "0:1" \
    "the public incident keys hold only the outage: an expiry to come is not one"

# The same stream again, and into an empty store on another clock: the rules
# go by the windows, so a replay or a back-fill decides as the live run did.
cp "$TMP/c1.all" "$TMP/in"
is "$(run $((k + 4))):$(cat "$TMP/out")" "0:" "the stream replayed: every window already decided, nothing"
rcli del "mcp:{c1}:alert" >/dev/null
MCP_NOW=$(($(w $((k + 4))) + 86400)) ma >/dev/null
is "$(jq -r 'select(.kind == "cert-expiry") | [.event, .severity, .dedup_key, .incident_started_at, .summary] | join(" ")' "$TMP/out" | md5sum)" \
    "$(printf '%s\n' "trigger P3 c1:cert-expiry:$E $(w $((6 * DAY))) c1: the TLS certificate of mcp.example.com expires in 14 days (2026-12-14T16:00:00Z)" \
        "escalate P2 c1:cert-expiry:$E $(w $((6 * DAY))) c1: the TLS certificate of mcp.example.com expires in 3 days (2026-12-14T16:00:00Z)" \
        "resolve P2 c1:cert-expiry:$E $(w $((6 * DAY))) c1: the TLS certificate of mcp.example.com expiring 2026-12-14T16:00:00Z was renewed; the earliest served now expires 2027-03-14T16:00:00Z" | md5sum)" \
    "replayed into an empty state a day later: the same trigger, escalate and resolve"

# --- one incident per certificate ------------------------------------------------------
OLD=$((E - 5 * 86400))
k=$((6 * DAY))
{
	cv c2 "$k" "$E"
	CR=eu-west-2 cv c2 $((k + 1)) "$OLD"
	cv c2 $((k + 2)) "$E"
	CR=eu-west-2 cv c2 $((k + 3)) "$OLD"
	cv c2 $((k + 4)) "$E"
	cv c2 $((k + 5)) "$E"
} >"$TMP/in"
run $((k + 5)) >/dev/null
is "$(events)" "trigger P3 c2:cert-expiry:$E
resolve P3 c2:cert-expiry:$E
trigger P3 c2:cert-expiry:$OLD" \
    "an edge shows an older certificate: its own incident, the other's ended; flapping between the two opens nothing more"
is "$(jq -r 'select(.event == "resolve") | .summary' "$TMP/out"):$(jq -c 'select(.dedup_key == "c2:cert-expiry:'$OLD'") | .regions' "$TMP/out")" \
    "c2: the TLS certificate of mcp.example.com expiring 2026-12-14T16:00:00Z was replaced by one expiring earlier; the earliest served now expires 2026-12-09T16:00:00Z:[\"eu-west-2\"]" \
    "the resolve says so, the new trigger names the region of the old certificate"

# --- no certificate ----------------------------------------------------------------------
{
	green c3 0 2
	cv c3 3 null
	VD_EXTRA=',"cert_expires_at":null' green c3 4 4
} >"$TMP/in"
is "$(run 4):$(cat "$TMP/out" "$TMP/err")" "0:" "http:// (no certificate, or a null one): nothing"
{
	cv c4 "$((6 * DAY))" "$E"
	CR='' cv c4 $((6 * DAY + 1)) null red alert tls "$ALL"
	CR='' cv c4 $((6 * DAY + 2)) null red alert tls "$ALL"
	cv c4 $((6 * DAY + 3)) null
	cv c4 $((6 * DAY + 4)) null
} >"$TMP/in"
run $((6 * DAY + 4)) >/dev/null
is "$(events)" "trigger P3 c4:cert-expiry:$E" "no certificate while failing, or passing for 2 windows: the incident holds"
CR='' cv c4 $((6 * DAY + 5)) null >"$TMP/in"
run $((6 * DAY + 5)) >/dev/null
is "$(events):$(jq -r .summary "$TMP/out")" \
    "resolve P3 c4:cert-expiry:$E:c4: no TLS certificate seen for a day while the server passes; the TLS certificate of mcp.example.com expiring 2026-12-14T16:00:00Z is no longer served" \
    "passing without any certificate for 3 windows (a move to http://): resolved"
cv c5 0 "$(($(w 0) - 60))" >"$TMP/in"
is "$(run 0):$(cat "$TMP/out")" "0:" "first seen already expired: nothing (the outage pages)"

# --- maintenance --------------------------------------------------------------------------
k=$((6 * DAY))
: >"$TMP/in"
MCP_NOW=$(w $k) ma maint add c6 --force --start "$(w $k)" --for 1h --reason "cert rollout" >/dev/null
cv c6 $k "$E" >"$TMP/in"
run $k >/dev/null
is "$(jq -r '[.event, .suppressed, .maintenance] | join(" ")' "$TMP/out")" "suppressed trigger cert rollout" \
    "in a maintenance window: the trigger is held back"
for i in 30 65; do cv c6 $((k + i)) "$E"; done >"$TMP/in"
run $((k + 65)) >/dev/null
is "$(events)" "trigger P3 c6:cert-expiry:$E" "still expiring after the window and its grace: triggered after all"

# --- acknowledge ----------------------------------------------------------------------------
: >"$TMP/in"
is "$(run $((k + 65)) ack "c6:cert-expiry:$E"):$(jq -r '[.event, .dedup_key] | join(" ")' "$TMP/out")" "0:acknowledge c6:cert-expiry:$E" \
    "ack SLUG:cert-expiry:EXPIRY acknowledges it"
is "$(run $((k + 65)) ack "c6:cert-expiry:$(w $k)"):$(cat "$TMP/err")" \
    "1:mcp-alert: ack: c6:cert-expiry:$(w $k): no open incident with this key" "the start is not its key"

# --- thresholds ---------------------------------------------------------------------------------
printf 'cert_expiry_p3 7d\ncert_expiry_p2 1d\n' >"$TMP/short.conf"
{
	cv c7 "$((10 * DAY))" "$E"
	cv c7 "$((13 * DAY))" "$E"
	cv c7 "$((19 * DAY))" "$E"
} >"$TMP/in"
run $((19 * DAY)) -c "$TMP/short.conf" >/dev/null
is "$(events)" "trigger P3 c7:cert-expiry:$E
escalate P2 c7:cert-expiry:$E" "cert_expiry_p3 7d, cert_expiry_p2 1d: a P3 at 7 days, a P2 at 1"
for bad in 'cert_expiry_p2 14d' 'cert_expiry_p3 2d' 'token_expiry_p1 7d' 'cert_expiry_p3 0'; do
	echo "$bad" >"$TMP/bad.conf"
	printf '%s|%s\n' "$(mcp-alert -c "$TMP/bad.conf" check 2>&1)" "$?"
done >"$TMP/conf.out"
is "$(cat "$TMP/conf.out")" "mcp-alert: $TMP/bad.conf: cert_expiry_p2 (1209600 s) is not shorter than cert_expiry_p3 (1209600 s)|2
mcp-alert: $TMP/bad.conf: cert_expiry_p2 (259200 s) is not shorter than cert_expiry_p3 (172800 s)|2
mcp-alert: $TMP/bad.conf: token_expiry_p1 (604800 s) is not shorter than token_expiry_p2 (604800 s)|2
mcp-alert: $TMP/bad.conf:1: cert_expiry_p3: not a duration (N, Ns, Nm, Nh, Nd): 0|2" \
    "tiers out of order, or not a duration: a configuration error"

# --- one region alone (issue 45) -----------------------------------------------------------------
# cr SLUG K FLEET|null REGION EXPIRY: a green verdict whose certificate
# expires at FLEET (in eu-west-2 and us-east-1), REGION alone seeing one
# that expires at EXPIRY (cert_regional).
cr() {
	VD_EXTRA=",\"host\":\"mcp.example.com\",\"cert_expires_at\":$3,\"cert_regions\":$(jarr "eu-west-2 us-east-1"),\"cert_regional\":[{\"region\":\"$4\",\"expires_at\":$5}]" \
	    vd "$1" "$2" green ok - ''
}
k=$((6 * DAY))
SOON=$(($(w $k) + 86400))
{
	cr r1 "$k" "$E" sa-east-1 "$SOON"
	cr r1 $((k + 1)) "$E" sa-east-1 "$SOON"
	cr r1 $((k + 2)) "$E" sa-east-1 $((SOON - 3600))
	cr r2 "$k" null ap-southeast-1 "$SOON"
} >"$TMP/in"
run $((k + 2)) >/dev/null
is "$(events)" "trigger P3 r1:cert-expiry:$SOON
resolve P3 r1:cert-expiry:$SOON
trigger P3 r1:cert-expiry:$((SOON - 3600))
trigger P3 r2:cert-expiry:$SOON" \
    "one region alone seeing a certificate expire in a day: a P3 for it, never the P2; the server's own expiry (14 days) waits its tier"
is "$(jq -c 'select(.event == "trigger") | .regions' "$TMP/out" | sort -u | tr '\n' ' ')" '["ap-southeast-1"] ["sa-east-1"] ' \
    "each names the one region"
k=$((17 * DAY))
for i in 0 1 2; do cr r1 $((k + i)) "$E" sa-east-1 $((SOON - 3600)); done >"$TMP/in"
run $((k + 2)) >/dev/null
is "$(events)" "resolve P3 r1:cert-expiry:$((SOON - 3600))
trigger P2 r1:cert-expiry:$E" "the expiry two regions see reaching 3 days pages P2, whatever one region says"
k=$((6 * DAY))
{
	cv r3 "$k" "$E"
	cr r3 $((k + 1)) "$E" sa-east-1 $(($(w $k) - 60))
} >"$TMP/in"
run $((k + 1)) >/dev/null
is "$(events)" "trigger P3 r3:cert-expiry:$E" \
    "a region keeping a certificate already expired (its handshakes fail there): the server's own incident holds"

# --- what a verdict may bring -------------------------------------------------------------------
{
	VD_EXTRA=',"cert_expires_at":1e308' green c8 0 0
	VD_EXTRA=',"cert_expires_at":1796400000.5' green c8 1 1
	VD_EXTRA=',"cert_expires_at":"soon"' green c8 2 2
	VD_EXTRA=',"cert_expires_at":253402300800' green c8 3 3
	VD_EXTRA=',"cert_expires_at":1796400000,"cert_regions":["Bad Region"]' green c8 4 4
	VD_EXTRA=',"cert_expires_at":1796400000,"cert_regions":"eu-west-2"' green c8 5 5
	VD_EXTRA=',"cert_regional":{}' green c8 6 6
	VD_EXTRA=',"cert_regional":[{"region":"Bad Region","expires_at":1796400000}]' green c8 6 6
	VD_EXTRA=',"cert_regional":[{"region":"eu-west-2","expires_at":1e308}]' green c8 6 6
	VD_EXTRA=',"cert_regional":[{"region":"eu-west-2"}]' green c8 6 6
	VD_EXTRA=",\"cert_expires_at\":$(($(w 6) + 86400)),\"cert_regions\":[]" green c8 6 6
} >"$TMP/in"
is "$(run 6):$(cat "$TMP/err")" "1:mcp-alert: stdin:1: cert_expires_at 1e+308: out of range (0 to 253402300799)
mcp-alert: stdin:2: cert_expires_at 1796400000.5: not whole seconds
mcp-alert: stdin:3: cert_expires_at: not a number or null
mcp-alert: stdin:4: cert_expires_at 253402300800: out of range (0 to 253402300799)
mcp-alert: stdin:5: cert_regions[0]: bad region \"Bad Region\": not [a-z0-9._-]{1,80}
mcp-alert: stdin:6: verdict without cert_regions (an array of regions)
mcp-alert: stdin:7: cert_regional: not an array of at most 64 regions
mcp-alert: stdin:8: cert_regional[0]: bad region \"Bad Region\"
mcp-alert: stdin:9: cert_regional[0]: expires_at 1e+308: out of range (0 to 253402300799)
mcp-alert: stdin:10: cert_regional[0]: without expires_at" \
    "a bad certificate expiry or region: the verdict refused whole, named (exit 1)"
is "$(events)" "trigger P2 c8:cert-expiry:$(($(w 6) + 86400))" "the verdict after them is decided"
VD_EXTRA=",\"host\":\"Evil <b>host</b>\",\"cert_expires_at\":$(($(w 6) + 86400))" green c9 6 6 >"$TMP/in"
run 6 >/dev/null
is "$(jq -r .summary "$TMP/out")" "c9: the TLS certificate expires in 24 hours (2026-11-25T16:06:00Z)" \
    "a host mcp-aggregate would not write is not named"

# --- the real pipeline ---------------------------------------------------------------------------
# Certificates of the test CA for localhost, made now: 10 days, and a renewal of 90.
certs
d=$TMP/certs
cat >"$TMP/leaf.ext" <<EOF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1
EOF
openssl req -new -key "$d/good.key" -subj /CN=localhost -out "$TMP/leaf.csr" 2>/dev/null
for n in 10 90; do
	openssl x509 -req -in "$TMP/leaf.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -days "$n" -sha256 \
	    -set_serial "0x$(openssl rand -hex 8)" -extfile "$TMP/leaf.ext" -out "$d/d$n.pem" 2>/dev/null
done
export FIXTURE_LOG=$TMP/fixture.log FIXTURE_TOKEN=test-token-123
node "$TOP/tests/fixtures/fixture.mjs" --port-file "$TMP/fix.port" \
    --tls-cert "$d/d10.pem" --tls-key "$d/good.key" --tls-port-file "$TMP/d10.port" \
    --tls2-cert "$d/d90.pem" --tls2-key "$d/good.key" --tls2-port-file "$TMP/d90.port" \
    --tls3-cert "$d/expired.pem" --tls3-key "$d/expired.key" --tls3-port-file "$TMP/exp.port" \
    2>"$TMP/fixture.err" &
bg_pid $!
wait_file "$TMP/exp.port" && wait_file "$TMP/fix.port" || diag "fixture: $(cat "$TMP/fixture.err")"
SOON=https://localhost:$(cat "$TMP/d10.port")/open/mcp
RENEWED=https://localhost:$(cat "$TMP/d90.port")/open/mcp
EXPIRED=https://localhost:$(cat "$TMP/exp.port")/open/mcp
PLAIN=http://127.0.0.1:$(cat "$TMP/fix.port")/open/mcp
wait_http "${PLAIN%/open/mcp}/health"
notafter() { date -u -d "$(openssl x509 -in "$1" -noout -enddate | cut -d= -f2)" +%s; }
D10=$(notafter "$d/d10.pem")
D90=$(notafter "$d/d90.pem")
cat >"$TMP/alert.conf" <<CONF
route hook  webhook   $RECV/hook
route pd    pagerduty $TMP/pd.key $RECV/pd/v2/enqueue
route slack slack     $RECV/slack
CONF
(umask 077 && echo R0UT1NGKEY0123456789abcdef012345 >"$TMP/pd.key")
W0=$(($(date +%s) / 60 * 60))

# minute K "REGION SLUG URL"...: at window K of W0, each URL probed from its
# region for its slug and pushed; then window K decided for the slugs p1,
# p-http and p-exp, and alerted: the alert records in $TMP/out.
minute() {
	local k=$1 t=$((W0 + 60 * $1)) r s u
	shift
	for a in "$@"; do
		read -r r s u <<<"$a"
		MCP_NOW=$((t + 5)) mcp-probe --cacert "$d/ca.pem" -r "$r" -s "$s" "$u" 2>>"$TMP/pipe.err" |
		    tee -a "$TMP/probe.out" | MCP_NOW=$((t + 6)) mcp-aggregate push -r "$r" 2>>"$TMP/pipe.err"
	done
	MCP_NOW=$((t + 95)) mcp-aggregate verdict p1 p-http p-exp >"$TMP/v.$k" 2>>"$TMP/pipe.err"
	MCP_NOW=$((t + 95)) mcp-alert -c "$TMP/alert.conf" <"$TMP/v.$k" >"$TMP/out" 2>>"$TMP/pipe.err"
}
minute 0 "eu-west-2 p1 $SOON" "us-east-1 p1 $SOON" "eu-west-2 p-http $PLAIN" "eu-west-2 p-exp $EXPIRED"
is "$(jq -c 'select(.type == "result") | [.slug, .state, .error.code, .cert_expires_at]' "$TMP/probe.out")" \
    "[\"p1\",\"healthy\",null,$D10]
[\"p1\",\"healthy\",null,$D10]
[\"p-http\",\"healthy\",null,null]
[\"p-exp\",\"broken\",\"tls_cert_expired\",null]" \
    "mcp-probe: cert_expires_at is the certificate's notAfter; null for http:// and for an expired certificate"
is "$(jq -c 'select(.step == "tls" and .slug == "p1") | .detail.not_after' "$TMP/probe.out" | sort -u)" "$D10" \
    "and the tls step's not_after"
is "$(jq -c '[.slug, .verdict, .cert_expires_at, .cert_regions]' "$TMP/v.0")" \
    "[\"p1\",\"green\",$D10,[\"eu-west-2\",\"us-east-1\"]]
[\"p-http\",\"green\",null,[]]
[\"p-exp\",\"red\",null,[]]" "the verdicts: p1's certificate from both regions; none for the others"
is "$(events)" "trigger P3 p1:cert-expiry:$D10" "10 days left: a P3 for p1 alone"
hook() { jq -c 'select(.path == "/hook") | .body | fromjson' "$RECV_LOG"; }
is "$(hook | jq -c '[.event, .severity, .kind, .expires_at, .regions, .step]')" \
    "[\"trigger\",\"P3\",\"cert-expiry\",$D10,[\"eu-west-2\",\"us-east-1\"],\"tls\"]" \
    "delivered to the webhook: the record"
is "$(jq -c 'select(.path == "/pd/v2/enqueue") | .body | fromjson | [.event_action, .dedup_key, .payload.severity, .payload.component, .payload.class, .payload.custom_details.kind]' "$RECV_LOG")" \
    "[\"trigger\",\"p1:cert-expiry:$D10\",\"warning\",\"tls\",\"P3\",\"cert-expiry\"]" \
    "to PagerDuty: a warning, component tls, the dedup_key"
like "$(jq -r 'select(.path == "/slack") | .body | fromjson | .text' "$RECV_LOG")" \
    "^P3 trigger: p1: the TLS certificate of localhost expires in (9|10) days \\($(date -u -d "@$D10" +%Y-%m-%dT%H:%M:%SZ)\\)$" \
    "to Slack: the summary, with the host"
k=$((8 * DAY))
minute $k "eu-west-2 p1 $SOON" "us-east-1 p1 $SOON"
is "$(events)" "escalate P2 p1:cert-expiry:$D10" "8 days on (MCP_NOW): 2 days left, escalated to P2"
minute $((k + 1)) "eu-west-2 p1 $SOON" "us-east-1 p1 $RENEWED"
is "$(jq -c 'select(.slug == "p1") | [.cert_expires_at, .cert_regions, .cert_regional]' "$TMP/v.$((k + 1))"):$(cat "$TMP/out")" \
    "[$D90,[\"us-east-1\"],[{\"region\":\"eu-west-2\",\"expires_at\":$D10}]]:" \
    "one region renewed, one still serving the old one: the old one is that region's, the incident holds, nothing"
minute $((k + 2)) "eu-west-2 p1 $RENEWED"
minute $((k + 3))
is "$(cat "$TMP/out")" "" "both renewed, 2 windows: not yet"
minute $((k + 4))
is "$(events):$(jq -r .summary "$TMP/out")" \
    "resolve P2 p1:cert-expiry:$D10:p1: the TLS certificate of localhost expiring $(date -u -d "@$D10" +%Y-%m-%dT%H:%M:%SZ) was renewed; the earliest served now expires $(date -u -d "@$D90" +%Y-%m-%dT%H:%M:%SZ)" \
    "the third window: resolved"
is "$(hook | jq -r .event | tr '\n' ' '):$(jq -r 'select(.path == "/pd/v2/enqueue") | .body | fromjson | .event_action' "$RECV_LOG" | tr '\n' ' ')" \
    "trigger escalate resolve :trigger trigger resolve " "each route got the incident: trigger, escalate, resolve"
is "$(cat "$TMP/pipe.err")" "" "the pipeline said nothing on stderr"

done_testing
