#!/usr/bin/env bash
# probe-readiness.t - each server's readiness for 2026's clients (issue 68):
# mcp-probe --readiness against real servers nobody here wrote the protocol
# of: the official SDK v2's modern servers (tests/fixtures/modern.mjs: dual
# era, modern only, behind the SDK's own Origin guard, behind a proxy's
# careless CORS, behind a bearer wall) and the official server-everything
# (legacy Streamable HTTP, HTTP+SSE).  What each is graded and why, the
# checks' own requests (a version no server speaks, an Mcp-Method that
# lies, a foreign Origin, the legacy handshake), the hourly spread (each
# slug in the minute its SHA-256 names, MCP_NOW), MCP_READINESS; then the
# pipeline: three regions pushed to a private redis-server, one of them a
# hostile runner whose readiness alone decides nothing, the verdict's
# grade, mcp-aggregate status --json, and mcp-serve (as a CGI program):
# /api/status/SLUG/readiness, /badge/SLUG/readiness.svg, /metrics (by
# promtool when it is there) and the status page.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

command -v node >/dev/null || skip_all "node is not installed"
start_modern || skip_all "the modern fixture did not start"
start_everything streamableHttp || skip_all "server-everything did not start"
LEGACY=$EVERYTHING
start_everything sse || skip_all "server-everything (sse) did not start"
SSE=$EVERYTHING

# pr NAME URL [PROBE ARGS...]: probe as region t with --readiness=1 (every
# run graded), the records in $TMP/NAME.out.
pr() {
	local name=$1 url=$2
	shift 2
	mcp-probe -r t -s "$name" --readiness=1 "$@" "$url" >"$TMP/$name.out" 2>"$TMP/$name.err"
	echo "$?" >"$TMP/$name.rc"
}
# rd NAME JQ: of the result's readiness.
rd() { jq -c "select(.type == \"result\") | .readiness | $2" "$TMP/$1.out"; }
codes() { rd "$1" '[.reasons[].code] | join(",")' | tr -d '"'; }

pr guarded "$MODERN/guarded/mcp"
is "$(rd guarded .grade)" '"A"' "the SDK behind its own Origin guard: A"
is "$(rd guarded .eras)" '["modern","legacy"]' "  it speaks 2026-07-28 and still the legacy handshake"
is "$(rd guarded .checks)" \
    '{"unknown_version":"refused","method_mismatch":"refused","foreign_origin":"refused","legacy_handshake":"answered","tool_order":"stable"}' \
    "  an unknown version -32022, a lying Mcp-Method refused, a foreign Origin 403"
is "$(codes guarded)" "" "  no reason"
is "$(jq -r 'select(.type == "result") | .state' "$TMP/guarded.out")" healthy "  and its state is the steps' alone"

pr dual "$MODERN/dual/mcp"
is "$(rd dual .grade)" '"C"' "the same server without the guard: C"
is "$(codes dual)" origin_unprotected "  one reason: a foreign Origin served"
is "$(rd dual '.reasons[0] | [.severity, .spec]')" '["major","basic/transports/streamable-http"]' \
    "  a major one, on the transport's section"
like "$(rd dual '.reasons[0].fix')" "403" "  and what to do: 403"

pr modern-only "$MODERN/modern-only/mcp"
is "$(rd modern-only .eras)" '["modern"]' "a modern-only server: the era it speaks"
is "$(rd modern-only .checks.legacy_handshake)" '"refused"' "  the legacy handshake refused"

pr cors "$MODERN/cors-open/mcp"
is "$(rd cors .grade)" '"F"' "CORS that echoes any Origin with credentials: F"
like "$(codes cors)" "cors_credentials_any" "  cors_credentials_any"

pr careless "$MODERN/careless/mcp"
is "$(rd careless .grade)" '"D"' "a modern server careless of 2026-07-28 (hand-made): D"
is "$(codes careless)" \
    modern_session,result_type_missing,version_not_refused,method_header_ignored,origin_unprotected,deprecated_logging,cache_hints_missing,tool_name_duplicate,tool_header_invalid,invalid_args_protocol_error,tool_order_unstable \
    "  a session, no resultType, any version and any Mcp-Method served, no cache hints, a name twice, an x-mcp-header on an object, -32602 for missing arguments, another order each time"
is "$(rd careless '.checks | [.missing_arguments, .tool_order]')" '["protocol_error","changed"]' \
    "  its read-only tool called without its arguments, its list asked again"
is "$(jq -r 'select(.type == "result") | .state' "$TMP/careless.out")" healthy "  and it is still up: a posture changes no state"
is "$(rd guarded '.checks.tool_order')" '"stable"' "the SDK's list, asked again: the same order"

pr asks "$MODERN/asks/mcp" -c echo
is "$(jq -c 'select(.step == "call") | [.status, .detail.result_type]' "$TMP/asks.out"):$(jq -r 'select(.type == "result") | .state' "$TMP/asks.out")" \
    '["pass","input_required"]:healthy' "a call answered input_required (2026-07-28 MRTR) is alive, not down"
like "$(codes asks)" "elicitation_url_unsafe,input_request_undeclared" \
    "  its URL-mode elicitation to plain http off its domain flagged (never followed), and undeclared"
pr task "$MODERN/asks/mcp" -c batch
is "$(jq -c 'select(.step == "call") | [.status, .detail.result_type]' "$TMP/task.out")" '["pass","task"]' \
    "a call answered with a task handle: accepted, long-running, alive"

pr app "$MODERN/app/mcp"
is "$(rd app '[.apps[] | [.uri, (.findings // "-"), (if has("served") then .served else true end)]]')" \
    '[["ui://app/view","high",true],["ui://app/plain","-",true],["ui://app/missing","-",false]]' \
    "MCP Apps: each ui:// resource a tool names read; the hidden instruction in one's HTML found, the honest chart page quiet, the one not served said"
like "$(codes app)" "app_unreadable,app_csp_open,app_text_findings,versions_inconsistent" \
    "  app_unreadable, app_csp_open (connects to *), app_text_findings; and its -32022 names other versions than its server/discover"
unlike "$(codes guarded)$(codes dual)" versions_inconsistent "the SDK's server/discover and -32022 agree"
is "$(rd app '.apps[0] | [(.sha256 | length), .csp]')" '[64,["*","https://cdn.example.com"]]' "  its HTML hashed, its CSP's origins said"

pr legacy "$LEGACY/mcp"
is "$(rd legacy .grade)" '"D"' "server-everything (legacy Streamable HTTP): D"
is "$(codes legacy)" "legacy_only,origin_unprotected,deprecated_logging" \
    "  no 2026-07-28, a foreign Origin served (its ping), logging declared"
like "$(rd legacy '.reasons[2].message')" "2027-07-28" "  the deprecation's date said"
is "$(rd legacy .checks.missing_arguments)" '"tool_result"' "  a read-only tool called without its arguments answers a tool result"

pr sse "$SSE/sse"
is "$(rd sse .grade)" '"F"' "server-everything over HTTP+SSE alone: F"
is "$(rd sse .eras)" '["sse"]' "  its era: sse"
like "$(codes sse)" "^sse_only" "  sse_only first"

pr walled "$MODERN/bearer/mcp"
is "$(rd walled .)" "null" "a bearer wall without credentials: no grade (nothing was spoken with)"
echo modern-token-456 >"$TMP/token"
chmod 600 "$TMP/token"
pr keyed "$MODERN/bearer/mcp" -T "$TMP/token"
is "$(rd keyed .grade)" '"C"' "  with its token: graded as the server behind it"
unlike "$(cat "$TMP/keyed.out" "$TMP/keyed.err")" "modern-token-456" "  the token in no record"

# --- behind an OAuth wall: its authorization server's metadata ------------------
W0=$TMP/oauth
if oauth_material "$W0"; then
	node "$TOP/tests/fixtures/oauth-as.mjs" --port-file "$TMP/as.ports" --secret-file "$W0/secret" \
	    --client-key "$W0/ec.pub" --workload-key "$W0/wl.pub" --log "$TMP/as.log" 2>"$TMP/as.err" &
	bg_pid $!
fi
if wait_file "$TMP/as.ports"; then
	read -r ASP RSP _ <"$TMP/as.ports"
	RS=http://127.0.0.1:$RSP
	for m in cc nomd dcr cimd far static; do pr "w-$m" "$RS/$m/mcp"; done
	is "$(rd w-cc '[.grade, .eras, .checks.authorization_server, .issuer]')" \
	    "[\"B\",[],\"metadata\",\"http://127.0.0.1:$ASP\"]" \
	    "behind an OAuth wall: its authorization server's metadata read, its issuer said, B"
	is "$(codes w-cc)" as_iss_unsupported "  it does not say it returns iss (RFC 9207)"
	is "$(rd w-nomd '[.grade, .checks.authorization_server]')" '["C","no_metadata"]' \
	    "  an authorization server with no metadata at any place: C"
	is "$(codes w-dcr)" as_iss_unsupported,dcr_only "  one that registers clients by DCR alone: dcr_only"
	is "$(rd w-cimd '[.grade, .issuer]')" "[\"A\",\"http://127.0.0.1:$ASP/cimd\"]" \
	    "  one with CIMD that returns iss: A"
	is "$(rd w-far .)" null "  one off loopback over plain HTTP: not asked, nothing learnt, no grade"
	is "$(rd w-static .)" null "  a wall of a static key: no grade"
	is "$(jq -r 'select(.type == "result") | .state' "$TMP/w-cc.out")" auth-walled "  and the state stays auth-walled"
else
	diag "oauth-as.mjs did not start: $(cat "$TMP/as.err" 2>/dev/null): the OAuth wall not checked"
fi

# --- the real lists of 119 servers (tests/data/poison/benign, served as written) --
(cd "$TOP/tests" && exec node fixtures/poison.mjs --port-file "$TMP/poison.port") 2>"$TMP/poison.err" &
bg_pid $!
if wait_file "$TMP/poison.port"; then
	PU=http://127.0.0.1:$(cat "$TMP/poison.port")
	for f in "$TOP"/tests/data/poison/benign/*.json; do
		n=$(basename "$f" .json)
		echo "$n $PU/corpus/benign/$n/mcp"
	done >"$TMP/corpus.targets"
	mcp-probe -r t --readiness=1 -f "$TMP/corpus.targets" -t 20 2>/dev/null |
	    jq -r 'select(.type == "result") | [.slug, (.readiness.reasons // [] | map(.code) | join(","))] | @tsv' >"$TMP/corpus.tsv"
	is "$(wc -l <"$TMP/corpus.tsv")" "$(wc -l <"$TMP/corpus.targets")" "the real lists: every one graded"
	# What the lists say (not the fixture that serves them: its era, Origin and calls are its own).
	lists_reasons() { cut -f2 "$TMP/corpus.tsv" | tr ',' '\n' | grep -E "$1" | sort | uniq -c | awk '{ print $2 "=" $1 }' | tr '\n' ' '; }
	is "$(lists_reasons 'tool_name|tool_header|icon_unsafe|cache_hints')" "" \
	    "  no name outside the charset, none twice, no x-mcp-header dropped, no unsafe icon in any"
	is "$(awk -F'\t' '$2 ~ /lethal_trifecta/ { print $1 }' "$TMP/corpus.tsv")" resembling \
	    "  the lethal trifecta in one list alone: the honest one written to have it (fetch, read_file, send_email)"
	like "$(lists_reasons destructive)" '^destructive_unauthenticated=[0-9]+ $' \
	    "  writing tools open to anyone, where the lists have them: $(lists_reasons destructive)"
else
	diag "poison.mjs did not start: $(cat "$TMP/poison.err"): the real lists not graded"
fi

# --- spread over the period: each slug in the minute its SHA-256 names --------
slot_of() { echo $((0x$(printf '%s' "$1" | sha256sum | cut -c1-8) % ${2:-60})); }
S=$(slot_of guarded)
T=$((1795536000 + 60 * S)) # a whole hour's first minute, plus the slot
MCP_NOW=$((T + 5)) mcp-probe -r t -s guarded --readiness "$MODERN/guarded/mcp" >"$TMP/in.out" 2>&1
MCP_NOW=$((T + 65)) mcp-probe -r t -s guarded --readiness "$MODERN/guarded/mcp" >"$TMP/next.out" 2>&1
is "$(jq -r 'select(.type == "result") | .readiness.grade' "$TMP/in.out")" A \
    "--readiness (hourly): graded in minute $S of the hour, the one its slug's SHA-256 names"
is "$(jq -r 'select(.type == "result") | .readiness' "$TMP/next.out")" null "  and not the minute after"
MCP_NOW=$((T + 65)) MCP_READINESS=1 mcp-probe -r t -s guarded "$MODERN/guarded/mcp" >"$TMP/env.out" 2>&1
is "$(jq -r 'select(.type == "result") | .readiness.grade' "$TMP/env.out")" A "MCP_READINESS=1: every run"
MCP_READINESS=0 mcp-probe -r t -s guarded "$MODERN/guarded/mcp" >"$TMP/off.out" 2>&1
is "$(jq -r 'select(.type == "result") | .readiness' "$TMP/off.out")" null "MCP_READINESS=0: never"
out=$(MCP_READINESS=often mcp-probe -r t "$MODERN/guarded/mcp" 2>&1)
is "$?" 2 "MCP_READINESS=often: a usage error"
like "$out" "MCP_READINESS=often: want minutes" "  that says what it wants"
out=$(mcp-probe -r t --readiness=0 "$MODERN/guarded/mcp" 2>&1)
is "$?" 2 "--readiness=0: a usage error (the option asks for grading)"

# --- the pipeline -------------------------------------------------------------
start_redis
W=$(($(date +%s) / 60 * 60))
printf 'guarded %s\ndual %s\nlegacy %s\n' "$MODERN/guarded/mcp" "$MODERN/dual/mcp" "$LEGACY/mcp" >"$TMP/targets"
for r in eu-west-2 us-east-1; do
	MCP_NOW=$((W + 1)) mcp-probe -r "$r" --readiness=1 -f "$TMP/targets" >"$TMP/$r.jsonl" 2>/dev/null
	MCP_NOW=$((W + 30)) mcp-aggregate push -r "$r" <"$TMP/$r.jsonl" 2>"$TMP/push-$r.err"
	is "$?" 0 "push -r $r: three results with their readiness"
done
# A hostile runner: its dual says CORS is open (no other region does), its
# legacy carries a reason no build knows.
jq -c 'if .type == "result" and .slug == "dual" then .region = "ap-south-1" |
        .readiness.reasons += [{"code":"cors_credentials_any","severity":"critical"}]
    elif .type == "result" and .slug == "legacy" then .region = "ap-south-1" |
        .readiness.reasons += [{"code":"made_up","severity":"critical"}]
    else .region = "ap-south-1" end' "$TMP/eu-west-2.jsonl" >"$TMP/hostile.jsonl"
MCP_NOW=$((W + 30)) mcp-aggregate push -r ap-south-1 <"$TMP/hostile.jsonl" 2>"$TMP/push-h.err"
is "$?" 0 "a hostile region's results taken (their readiness is only a posture)"
is "$(redis-cli -s "$REDIS_SOCK" hget 'mcp:{legacy}:ready' ap-south-1)" "" \
    "  a readiness naming a reason no build knows is stored without it"
MCP_NOW=$((W + 100)) mcp-aggregate verdict >"$TMP/verdicts" 2>"$TMP/verdict.err"
v() { jq -c "select(.slug == \"$1\") | .readiness | $2" "$TMP/verdicts"; }
is "$(v guarded .grade)" '"A"' "the verdict: guarded A"
is "$(v dual '[.grade, [.reasons[].code]]')" '["C",["origin_unprotected"]]' \
    "  dual C: the hostile region's CORS, one of three, decides nothing"
is "$(v dual .regions)" 3 "  of the 3 regions that said"
is "$(v legacy .grade)" '"D"' "  legacy D"
is "$(v legacy '.reasons[0] | [.code, .regions]')" '["legacy_only",2]' \
    "  each reason with the regions that found it"
# A list that says cacheScope public, served different by two regions (a stale edge).
{
	MCP_NOW=$((W + 1)) mcp-probe -r eu-west-2 -s cdn --readiness=1 "$MODERN/ttl/mcp"
	MCP_NOW=$((W + 1)) mcp-probe -r us-east-1 -s cdn --readiness=1 "$MODERN/asks/mcp"
} 2>/dev/null | MCP_NOW=$((W + 30)) mcp-aggregate push 2>>"$TMP/push-cdn.err"
MCP_NOW=$((W + 100)) mcp-aggregate verdict cdn >"$TMP/v.cdn" 2>>"$TMP/verdict.err"
is "$(jq -c '[.divergence, (.readiness.reasons | map(.code) | index("public_cache_divergent") != null)]' "$TMP/v.cdn")" \
    '["cdn-cache-divergence",true]' "a list said cacheScope public, served different by the regions: public_cache_divergent"
is "$(MCP_NOW=$((W + 100)) mcp-aggregate status --json dual | jq -c '.readiness | [.grade, .reasons[0].code]')" \
    '["C","origin_unprotected"]' "mcp-aggregate status --json: the readiness"

cgi() { GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET PATH_INFO=$1 QUERY_STRING=${2:-} \
    MCP_NOW=$((W + 110)) mcp-serve | sed '1,/^\r\{0,1\}$/d'; }
j=$(cgi /api/status/dual/readiness)
is "$(jq -c '[.slug, .grade, .eras, [.reasons[].code]]' <<<"$j")" \
    '["dual","C",["modern","legacy"],["origin_unprotected"]]' "/api/status/dual/readiness"
like "$(jq -r '.reasons[0].message' <<<"$j")" "DNS rebinding" "  each reason with what is wrong"
like "$(jq -r '.checked_at' <<<"$j")" '^20[0-9][0-9]-[01][0-9]-[0-3][0-9]T' "  and when it was checked"
is "$(cgi /api/status/nosuch/readiness | jq -r .error)" "not found" "  an unknown slug: 404"
like "$(cgi /badge/legacy/readiness.svg)" 'aria-label="readiness: D"' "/badge/legacy/readiness.svg: D"
like "$(cgi /badge/guarded/readiness.svg)" 'class="up"' "  an A is green"
m=$(cgi /metrics)
like "$m" 'mcp_readiness_grade\{slug="dual"\} 3' "/metrics: mcp_readiness_grade (C is 3)"
like "$m" 'mcp_readiness_grade\{slug="guarded"\} 5' "  A is 5"
PROMTOOL=$TOP/deps/prometheus/usr/bin/promtool
if [ -x "$PROMTOOL" ]; then
	printf '%s\n' "$m" | "$PROMTOOL" check metrics >"$TMP/promtool" 2>&1
	is "$?" 0 "  promtool check metrics takes it$(head -2 "$TMP/promtool" | tr '\n' ' ' | sed 's/^/: /')"
else
	diag "promtool is missing (scripts/deps unpacks it): the metrics' format not checked"
fi
# mcp_call TOOL ARGS: /mcp's tools/call answer, as an agent reads it.
mcp_call() {
	local body
	body=$(jq -nc --arg n "$1" --argjson a "$2" '{jsonrpc:"2.0",id:1,method:"tools/call",params:{name:$n,arguments:$a}}')
	printf '%s' "$body" | env -i PATH="$PATH" ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
	    MCP_REDIS="$MCP_REDIS" MCP_NOW=$((W + 110)) GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=POST PATH_INFO=/mcp \
	    CONTENT_TYPE=application/json CONTENT_LENGTH=${#body} HTTP_ACCEPT='application/json, text/event-stream' \
	    HTTP_MCP_PROTOCOL_VERSION=2025-06-18 SERVER_NAME=localhost SERVER_PORT=80 REMOTE_ADDR=127.0.0.1 \
	    SERVER_PROTOCOL=HTTP/1.1 mcp-serve | sed '1,/^\r\{0,1\}$/d'
}
a=$(mcp_call readiness '{"slug":"legacy"}')
is "$(jq -c '.result | [.isError, .structuredContent.grade, [.structuredContent.reasons[].code]]' <<<"$a")" \
    '[false,"D",["legacy_only","origin_unprotected","deprecated_logging"]]' "/mcp: the tool readiness answers an agent"
is "$(jq -c '.result | [.isError, .content[0].text]' <<<"$(mcp_call readiness '{"slug":"nope"}')")" \
    '[true,"no server \"nope\" is monitored here; list_servers names the servers"]' "  of an unknown slug: says so"
p=$(cgi /status/legacy)
like "$p" '<section class="readiness"' "the status page: a readiness section"
like "$p" 'grade-D">D<' "  the grade"
like "$p" '<b>legacy_only</b> \(major\)' "  each reason, what to do with it"

# --- a grade that worsens: a note, once; never a page ---------------------------
start_receiver || skip_all "receiver did not start"
printf '%s\n' "0123456789abcdef0123456789abcdef" >"$TMP/pd.key"
cat >"$TMP/alert.conf" <<CONF
route pd pagerduty $TMP/pd.key $RECV/pd/v2/enqueue
route hook webhook $RECV/hook
notify * always pd hook
status_page https://status.example.test
subscriber_incidents guarded
CONF
chmod 600 "$TMP/alert.conf" "$TMP/pd.key"
# guarded's subscribers: a webhook of theirs (the status page's subscribers).
MCP_NOW=$((W + 101)) mcp-alert -c "$TMP/alert.conf" subscribers add webhook "$RECV/subscriber" --slug guarded \
    >"$TMP/sub.json" 2>"$TMP/sub.err"
is "$?:$(jq -r .kind "$TMP/sub.json")" 0:webhook "a subscriber of guarded: a webhook"
MCP_NOW=$((W + 101)) mcp-alert -c "$TMP/alert.conf" <"$TMP/verdicts" >"$TMP/alerts.0" 2>"$TMP/alert.err"
is "$(jq -r 'select(.kind == "readiness-worse") | .kind' "$TMP/alerts.0")" "" \
    "mcp-alert: a first grade is told nothing"
# The next minute every region finds guarded's Origin unguarded: A to C.
for r in eu-west-2 us-east-1 ap-south-1; do
	f=$TMP/$r.jsonl
	[ "$r" = ap-south-1 ] && f=$TMP/hostile.jsonl
	jq -c --arg r "$r" '.probe_started_at += 60 | .region = $r |
	    if .type == "result" and .slug == "guarded" then
	        .readiness.reasons += [{"code":"origin_unprotected","severity":"major"}] else . end' "$f" |
	    MCP_NOW=$((W + 90)) mcp-aggregate push -r "$r" 2>>"$TMP/push2.err"
done
MCP_NOW=$((W + 160)) mcp-aggregate verdict guarded >"$TMP/verdicts.1" 2>>"$TMP/verdict.err"
is "$(jq -r '.readiness.grade' "$TMP/verdicts.1")" C "the next verdict: guarded C"
MCP_NOW=$((W + 161)) mcp-alert -c "$TMP/alert.conf" <"$TMP/verdicts.1" >"$TMP/alerts.1" 2>>"$TMP/alert.err"
is "$(jq -r 'select(.kind == "readiness-worse") | [.event, .severity] | join(" ")' "$TMP/alerts.1")" "note P3" \
    "the grade worse: the note readiness-worse (P3)"
is "$(jq -r 'select(.kind == "readiness-worse") | .summary' "$TMP/alerts.1")" \
    "guarded: readiness-worse: its readiness for 2026's clients is now C, was A: origin_unprotected (major): a request with a foreign Origin is served: a web page the user visits can reach it (DNS rebinding)" \
    "  its words: the grade, the one before, the reason that is new"
is "$(jq -r '.path' "$RECV_LOG" | grep -v /subscriber | sort | uniq -c | awk '{ print $2 "=" $1 }' | tr '\n' ' ')" "/hook=1 " \
    "  delivered to the webhook once, never paged (PagerDuty)"
MCP_NOW=$((W + 163)) mcp-alert -c "$TMP/alert.conf" </dev/null >/dev/null 2>>"$TMP/alert.err"
wait_for 100 grep -q '"path":"/subscriber"' "$RECV_LOG"
is "$(jq -r 'select(.path == "/subscriber") | .body | fromjson | [.event, (.slugs | join(",")), .title] | join(" | ")' "$RECV_LOG")" \
    "readiness-worse | guarded | guarded: readiness-worse: its readiness for 2026's clients is now C, was A: origin_unprotected (major): a request with a foreign Origin is served: a web page the user visits can reach it (DNS rebinding)" \
    "  and the server's subscribers are told (a notice, its own words), once"
MCP_NOW=$((W + 162)) mcp-alert -c "$TMP/alert.conf" <"$TMP/verdicts.1" >"$TMP/alerts.2" 2>>"$TMP/alert.err"
is "$(jq -r 'select(.kind == "readiness-worse") | .kind' "$TMP/alerts.2")" "" "  the same grade again: told nothing"
is "$(cat "$TMP/push2.err" "$TMP/alert.err")" "" "  push and mcp-alert said nothing on stderr"

# --- the authorization server's issuer that changes: a page ----------------------
iss_minute() { # K ISSUER: every region's guarded in window W+60K says ISSUER
	for r in eu-west-2 us-east-1 ap-south-1; do
		jq -c --arg r "$r" --arg i "$2" --argjson k "$1" '.probe_started_at += 60 * $k | .region = $r |
		    if .type == "result" and .slug == "guarded" then .readiness.issuer = $i else . end' \
		    "$TMP/eu-west-2.jsonl" | MCP_NOW=$((W + 60 * $1 + 30)) mcp-aggregate push -r "$r" 2>>"$TMP/push3.err"
	done
	MCP_NOW=$((W + 60 * $1 + 100)) mcp-aggregate verdict guarded >"$TMP/vi.$1" 2>>"$TMP/verdict.err"
	MCP_NOW=$((W + 60 * $1 + 101)) mcp-alert -c "$TMP/alert.conf" <"$TMP/vi.$1" >"$TMP/ai.$1" 2>>"$TMP/alert.err"
}
iss_minute 2 https://login.example.com
is "$(jq -r '.readiness.issuer' "$TMP/vi.2")" https://login.example.com "the verdict: the issuer the regions agree on"
is "$(jq -r 'select(.kind == "auth-issuer-changed") | .kind' "$TMP/ai.2")" "" "  a first issuer: told nothing"
iss_minute 3 https://login.example.net
is "$(jq -r 'select(.kind == "auth-issuer-changed") | [.event, .severity, .summary] | join(" | ")' "$TMP/ai.3")" \
    'trigger | P2 | guarded: auth-issuer-changed: its authorization server'"'"'s issuer is now "https://login.example.net", was "https://login.example.com": every client must register again (2026-07-28, SEP-2352)' \
    "the issuer changed: auth-issuer-changed (P2), the new issuer and the old"
is "$(jq -r '.path' "$RECV_LOG" | grep -v /subscriber | sort | uniq -c | awk '{ print $2 "=" $1 }' | tr '\n' ' ')" "/hook=2 /pd/v2/enqueue=1 " \
    "  a page: PagerDuty too (a trigger a person resolves)"
unlike "$(W=$((W + 180)) cgi /status/guarded)" "auth-issuer-changed|class=\"incident\"" "  and not an incident of the public page (the server works)"
is "$(W=$((W + 180)) cgi /api/status/guarded/readiness | jq -r .issuer)" https://login.example.net \
    "  /api/status/guarded/readiness names the issuer"
iss_minute 4 https://login.example.net
is "$(grep -c '"path":"/subscriber"' "$RECV_LOG")" 1 "  the subscribers told of the worse grade once, and of no issuer (their server works)"
is "$(jq -r 'select(.kind == "auth-issuer-changed") | .kind' "$TMP/ai.4")" "" "  the same issuer again: told nothing"
is "$(cat "$TMP/push3.err" "$TMP/alert.err")" "" "  push and mcp-alert said nothing on stderr"


# --- an MCP App that changes: a note, once ----------------------------------------
for r in eu-west-2 us-east-1; do
	MCP_NOW=$((W + 1)) mcp-probe -r "$r" -s appx --readiness=1 "$MODERN/app/mcp" 2>/dev/null >"$TMP/appx.$r"
	MCP_NOW=$((W + 30)) mcp-aggregate push -r "$r" <"$TMP/appx.$r" 2>>"$TMP/push4.err"
done
MCP_NOW=$((W + 100)) mcp-aggregate verdict appx >"$TMP/va.0" 2>>"$TMP/verdict.err"
is "$(jq -c '[.readiness.apps[] | [.uri, (.html | length), (.csp | length)]]' "$TMP/va.0")" \
    '[["ui://app/view",16,16],["ui://app/plain",16,16]]' "the verdict: each app as the regions read it (its HTML's and CSP's hashes)"
MCP_NOW=$((W + 101)) mcp-alert -c "$TMP/alert.conf" <"$TMP/va.0" >"$TMP/aa.0" 2>>"$TMP/alert.err"
is "$(jq -r 'select(.kind == "app-changed") | .kind' "$TMP/aa.0")" "" "  an app first seen: told nothing"
# The next minute the view's HTML is another in every region.
for r in eu-west-2 us-east-1; do
	jq -c '.probe_started_at += 60 | if .type == "result" then .readiness.apps[0].sha256 = ("f" * 64) else . end' \
	    "$TMP/appx.$r" | MCP_NOW=$((W + 90)) mcp-aggregate push -r "$r" 2>>"$TMP/push4.err"
done
MCP_NOW=$((W + 160)) mcp-aggregate verdict appx >"$TMP/va.1" 2>>"$TMP/verdict.err"
MCP_NOW=$((W + 161)) mcp-alert -c "$TMP/alert.conf" <"$TMP/va.1" >"$TMP/aa.1" 2>>"$TMP/alert.err"
is "$(jq -r 'select(.kind == "app-changed") | [.event, .severity, .summary] | join(" | ")' "$TMP/aa.1")" \
    "note | P3 | appx: app-changed: the MCP App ui://app/view changed its HTML: review what a host renders beside the agent" \
    "the view's HTML changed: the note app-changed (P3), naming the app"
MCP_NOW=$((W + 162)) mcp-alert -c "$TMP/alert.conf" <"$TMP/va.1" >"$TMP/aa.2" 2>>"$TMP/alert.err"
is "$(jq -r 'select(.kind == "app-changed") | .kind' "$TMP/aa.2")" "" "  the same again: told nothing"
is "$(cat "$TMP/push4.err")" "" "  push said nothing on stderr"

# --- mcp-guardrail: a deploy gated on a grade, and SARIF for CI -------------------
# shellcheck source=tests/serve-lib.sh
. "$TOP/tests/serve-lib.sh"
if command -v nginx >/dev/null || command -v /usr/sbin/nginx >/dev/null; then
	export PATH="$PATH:/usr/sbin"
	SERVE_NOW=$((W + 200)) start_nginx_cgi "$BIN/mcp-serve" || skip_all "nginx and fcgiwrap did not start"
	G=$TOP/scripts/mcp-guardrail
	out=$(MCP_UPTIME_URL=$NGINX_CGI "$G" -g B dual guarded -S "$TMP/ready.sarif" 2>&1)
	rc=$?
	is "$rc" 1 "mcp-guardrail -g B: dual (C) blocks the deploy"
	like "$out" "slug=dual readiness=C decision=block: upstream dual is graded C for 2026's clients \(origin_unprotected major\), below B" \
	    "  its log line: the grade and the reasons' codes"
	like "$out" "slug=guarded readiness=A decision=pass: upstream guarded is graded A, at B or better" \
	    "  guarded, A again (its Origin guarded in the minutes since), passes"
	is "$(jq -c '[.version, (.runs[0].tool.driver.rules | map(.id)), (.runs[0].results | map([.ruleId, .level, .locations[0].logicalLocations[0].name]))]' "$TMP/ready.sarif")" \
	    '["2.1.0",["origin_unprotected"],[["origin_unprotected","error","dual"]]]' \
	    "  --sarif: SARIF 2.1.0, a result for each reason of a slug below the bar, its rule the code"
	out=$(MCP_UPTIME_URL=$NGINX_CGI "$G" -g C dual 2>&1)
	is "$?" 0 "mcp-guardrail -g C: dual (C) passes"
	like "$out" "readiness=C decision=pass: upstream dual is graded C \(origin_unprotected major\), at C or better" "  and says so"
	out=$(MCP_UPTIME_URL=$NGINX_CGI "$G" -g A nosuch 2>&1)
	is "$?" 1 "  an unknown slug blocks (its state: not found)"
	out=$(MCP_UPTIME_URL=$NGINX_CGI "$G" -g E dual 2>&1)
	is "$?" 2 "  -g E: a usage error"
else
	diag "nginx is not installed: mcp-guardrail -g not checked"
fi

done_testing
