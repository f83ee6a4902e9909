#!/usr/bin/env bash
# tools-review.t - issue 54's approved lists and review incidents on real
# components: one SDK server whose lists change per region and over time
# (tests/fixtures/toolshift.mjs), mcp-probe as three regions
# (X-Probe-Region), mcp-aggregate push and verdict through a private
# redis-server, mcp-alert delivering to the test receiver, mcp-serve's
# page and API behind nginx (a CGI through fcgiwrap).  Windows are
# simulated through MCP_NOW (k minutes after 14:00 of tomorrow).
#
#   weather  v3; approved by alice after 14:00.  14:02 eu-west-2 serves v4
#            (a description rewritten: review); the incident stays open,
#            reminds, is acknowledged; carol approves eu-west-2's list
#            alone after 14:05.  14:07 v4 everywhere: unreviewed in the
#            two other regions; bob rejects it.  14:09 v1 (a tool renamed:
#            breaking); alice approves it after 14:09.
#   files    resources only, never approved: pinned at first sight;
#            14:02 a resource removed (breaking), which pages.
# v4's alerts description asks the model to read ~/.ssh/id_rsa: a change
# that adds a finding (MCPU-P103, high), which the note and the incident
# of 14:02 say, as P2, once.  At 14:07 the page in headless Chromium
# (tests/browser/review.mjs: screenshots in $MCP_BIN/screenshots-tools/)
# and tool_changes through /mcp with the official SDK client, which
# validates its structuredContent against the tool's outputSchema.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/serve-lib.sh
source "$TOP/tests/serve-lib.sh"

export PATH="$PATH:/usr/sbin"
for t in redis-server jq nginx fcgiwrap; do
	command -v "$t" >/dev/null || skip_all "$t is not installed"
done

REGIONS="us-east-1 us-west-2 eu-west-2"
T0=$((($(date +%s) / 86400 + 1) * 86400 + 14 * 3600))
w() { echo $((T0 + 60 * $1)); }
rc() { redis-cli -s "$REDIS_SOCK" "$@"; }

start_redis
start_receiver || skip_all "the receiver did not start"
start_toolshift
pd_hook_conf "$TMP/alert.conf"
echo "reminder_every 3m" >>"$TMP/alert.conf"
chmod 600 "$TMP/alert.conf" "$TMP/pd.key"
printf 'weather %s/d/weather/mcp\nfiles %s/d/files/mcp\n' "$TS" "$TS" >"$TMP/targets"
# The page and the API read at the end of 14:07, and of 14:10 (X-Test-Env: far).
# shellcheck disable=SC2034 # read by the launcher of serve-lib.sh
SERVE_NOW=$(($(w 7) + 100)) SERVE_NOW_FAR=$(($(w 10) + 100))
start_nginx_cgi || skip_all "nginx and mcp-serve did not start"
P=$NGINX_CGI
CHROMIUM=
for c in /usr/lib/chromium/chromium /usr/bin/chromium; do
	[ -x "$c" ] && CHROMIUM=$c && break
done
SHOTS=$BIN/screenshots-tools
mkdir -p "$SHOTS"

# state K: what each region is served in window K.
state() {
	local k=$1 weather files='{"*":"resources2"}'
	case $k in
	0 | 1) weather='{"*":"v3"}' ;;
	2 | 3 | 4 | 5 | 6) weather='{"*":"v3","eu-west-2":"v4"}' ;;
	7 | 8) weather='{"*":"v4"}' ;;
	*) weather='{"*":"v1"}' ;;
	esac
	[ "$k" -lt 2 ] || files='{"*":"resources"}'
	printf '{"weather":%s,"files":%s}\n' "$weather" "$files" >"$TMP/state.new"
	mv "$TMP/state.new" "$TMP/state"
}
# minute K: window K probed from each region, pushed, decided, alerted.
minute() {
	local k=$1 t r
	t=$(w "$k")
	state "$k"
	# The regions probe at once, as their runners would.
	local pids=()
	for r in $REGIONS; do
		MCP_NOW=$((t + 1)) mcp-probe -r "$r" -t 10 -f "$TMP/targets" >"$TMP/probe.$r" 2>>"$TMP/probe.err" &
		pids+=($!)
	done
	wait "${pids[@]}"
	for r in $REGIONS; do cat "$TMP/probe.$r"; done >"$TMP/probes.$k"
	MCP_NOW=$((t + 2)) mcp-aggregate push <"$TMP/probes.$k" 2>>"$TMP/push.err"
	MCP_NOW=$((t + 95)) mcp-aggregate verdict >"$TMP/v.$k" 2>>"$TMP/verdict.err"
	MCP_NOW=$((t + 96)) mcp-alert -c "$TMP/alert.conf" <"$TMP/v.$k" >"$TMP/a.$k" 2>>"$TMP/alert.err"
}
# answer K ARGS: mcp-aggregate tools ARGS at the end of window K.
answer() {
	local k=$1
	shift
	MCP_NOW=$(($(w "$k") + 97)) mcp-aggregate tools "$@"
}
# v SLUG K [JQ]: the verdict of SLUG in window K, through JQ.
v() { jq -c --arg s "$1" "select(.slug == \$s) | ${3:-.review}" "$TMP/v.$2" 2>/dev/null; }
# ak SLUG K [JQ]: SLUG's alert records of window K of the lists' kinds
# (the divergence of 14:02 to 14:06 is a downtime incident's story).
ak() {
	jq -c --arg s "$1" "select(.slug == \$s and (.kind // \"\" | startswith(\"tools-\"))) | ${3:-[.event, .severity, .kind]}" \
	    "$TMP/a.$2" 2>/dev/null | tr '\n' ' '
}
hook() { jq -c --arg s "$1" 'select(.path == "/hook") | .body | fromjson | select(.slug == $s)' "$RECV_LOG"; }
pd() { jq -r --arg k "$1" 'select(.path == "/pd/v2/enqueue") | .body | fromjson | select(.dedup_key == $k) | .event_action' "$RECV_LOG" | tr '\n' ' '; }

started=$SECONDS
for k in 0 1 2 3 4 5 6 7 8 9 10; do
	minute "$k"
	case $k in
	0)
		answer 0 weather --approve --by alice >"$TMP/approve.0" 2>&1
		echo "exit $?" >>"$TMP/approve.0"
		rc HGET "mcp:{weather}:appr" t >"$TMP/t.0"
		h0=$(jq -r .hash "$TMP/t.0")
		rc GET "mcp:{weather}:apl:${h0#sha256:}" | head -c -1 | sha256sum | cut -c1-64 >"$TMP/apl.0"
		rc TTL "mcp:{weather}:apl:${h0#sha256:}" >>"$TMP/apl.0"
		;;
	3)
		MCP_NOW=$(($(w 3) + 98)) mcp-alert -c "$TMP/alert.conf" ack weather tools-unreviewed \
		    >"$TMP/ack.3" 2>&1
		echo "exit $?" >>"$TMP/ack.3"
		# The track's tenth field: when it was acknowledged (mcp-alert(1), Redis keys).
		rc HGET "mcp:{weather}:alert" review | awk '{ printf "%d", $10 }' >"$TMP/acked.3"
		# The review incident open, acknowledged: the public page's incidents.
		rc HKEYS "mcp:{weather}:incident" | sort | tr '\n' ' ' >"$TMP/inc.3"
		curl -s -o "$TMP/page.3" "$P/status/weather"
		;;
	5)
		answer 5 weather --approve --region eu-west-2 --by carol --kind tools >"$TMP/approve.5" 2>&1
		echo "exit $?" >>"$TMP/approve.5"
		rc HEXISTS "mcp:{weather}:appr" t:eu-west-2 >>"$TMP/approve.5"
		rc HGET "mcp:{weather}:appr" t | jq -r .by >>"$TMP/approve.5"
		;;
	7)
		curl -s -o "$TMP/page.7" "$P/status/weather"
		curl -s -o "$TMP/api.7" "$P/api/status/weather/tools"
		seen=$SECONDS
		if [ -n "$CHROMIUM" ] && [ -d "$TOP/tests/node_modules/puppeteer-core" ]; then
			(cd "$TOP/tests" && BASE=$P SLUG=weather RULE=MCPU-P103 SHOTS=$SHOTS CHROMIUM=$CHROMIUM \
			    node browser/review.mjs >"$TMP/browser.7" 2>"$TMP/browser.err"; echo "exit $?" >>"$TMP/browser.7")
		fi
		node "$TOP/tests/tools/mcp-reader.mjs" "$P/mcp" v2-modern '[["tool_changes",{"slug":"weather"}]]' \
		    >"$TMP/mcp.7" 2>"$TMP/mcp.err"
		echo "$?" >"$TMP/mcp.rc"
		echo $((SECONDS - seen)) >"$TMP/seen.s"
		answer 7 weather --reject --by bob --json >"$TMP/reject.7" 2>"$TMP/reject.7.err"
		;;
	9) answer 9 weather --approve --by alice >/dev/null 2>&1 ;;
	esac
done
diag "11 windows of 2 servers from 3 regions: $((SECONDS - started)) s"
is "$(sort -u "$TMP/push.err" "$TMP/verdict.err" "$TMP/alert.err" | head -5)" "" "push, verdict and mcp-alert said nothing"

# ------------------------------------------------------------ the answers kept
diag "$(head -2 "$TMP/approve.0")"
like "$(cat "$TMP/approve.0")" '^weather: tools approved sha256:[0-9a-f]{12} \(every region\) by alice' \
    "tools --approve: says what it approved"
like "$(cat "$TMP/approve.0")" 'weather: prompts approved' "every kind served: the prompts too"
is "$(jq -c '[.state, .by, .at, (.hash | test("^sha256:[0-9a-f]{64}$"))]' "$TMP/t.0")" "[\"approved\",\"alice\",$(($(w 0) + 97)),true]" \
    "mcp:{weather}:appr t: the hash, approved, by whom and when"
h1=$(jq -r .hash "$TMP/t.0")
is "$(head -1 "$TMP/apl.0")" "${h1#sha256:}" "the approved list's text kept at apl:HEX, hashing to its name"
is "$(tail -1 "$TMP/apl.0")" -1 "with no TTL"
like "$(head -1 "$TMP/approve.5")" '^weather: tools approved sha256:[0-9a-f]{12} \(eu-west-2\) by carol$' \
    "--approve --region eu-west-2 --kind tools: that region's tools alone"
is "$(tail -3 "$TMP/approve.5" | tr '\n' ' ')" "exit 0 1 alice " "exit 0; a region's answer is its own field, every region's stays"
is "$(jq -c '[.state, .by, ([.lists[] | [.kind, .region]])]' "$TMP/reject.7" 2>/dev/null)" \
    '["rejected","bob",[["tools",null],["prompts",null]]]' "tools --reject --json: what it rejected"
is "$(rc HEXISTS "mcp:{weather}:appr" t:eu-west-2)" 0 "the region serving the majority's list again loses its own answer"
h3=$(rc HGET "mcp:{weather}:appr" t | jq -r .hash)
is "$(rc EXISTS "mcp:{weather}:apl:${h1#sha256:}"):$(rc EXISTS "mcp:{weather}:apl:${h3#sha256:}")" "0:1" \
    "a list no answer names any more is let go, the one answered now kept"
answer 10 weather --approve --region nowhere >/dev/null 2>"$TMP/nowhere.err"
is "$?:$(grep -c 'nothing to approve: region nowhere served no tool, resource or prompt list' "$TMP/nowhere.err")" "1:1" "--region naming no region serving a list: exit 1, said"
answer 10 weather --approve --by $'a\tb' >/dev/null 2>&1
is "$?" 2 "--by with a control character: a usage error"

# ------------------------------------------------------------ the verdicts
is "$(v weather 1 '[.review.tools.state, .review.tools.answered.by, .review.prompts.state]')" '["approved","alice","approved"]' \
    "14:01: tools and prompts approved, by alice"
is "$(v weather 2 '.review.tools | [.state, .regions, .class, .since, .changes[0].class]')" \
    "[\"unreviewed\",[\"eu-west-2\"],\"review\",$(w 2),\"review\"]" "14:02: eu-west-2's change unreviewed since 14:02, review"
like "$(v weather 2 '.review.tools.changes[0].text')" 'alerts.*description' "and the change in words"
is "$(v weather 4 '.review.tools | [.state, .regions, .since]')" "[\"unreviewed\",[\"eu-west-2\"],$(w 2)]" \
    "14:04: still unreviewed, since 14:02"
is "$(v weather 6 '.review.tools | [.state, .answered.by]')" '["approved","carol"]' "14:06: eu-west-2's list approved by carol"
is "$(v weather 7 '.review.tools | [.state, .regions]')" '["unreviewed",["us-east-1","us-west-2"]]' \
    "14:07: v4 everywhere: unreviewed where alice's answer stands, not in eu-west-2"
is "$(v weather 8 '.review.tools | [.state, .answered.by, .regions]')" '["rejected","bob",["eu-west-2","us-east-1","us-west-2"]]' \
    "14:08: rejected by bob, in every region"
is "$(v weather 9 '.review.tools | [.state, .class]')" '["unreviewed","breaking"]' "14:09: v1 after the rejection: unreviewed, breaking"
is "$(v weather 10 '.review.tools.state')" '"approved"' "14:10: approved again"
is "$(v files 0 '.review | [keys, .resources.state, (.resources.pinned | test("^sha256:")), .resources.pinned_at]')" \
    "[[\"resources\"],\"pinned\",true,$(w 0)]" "files, never approved: pinned at first sight, said with when"
is "$(rc HGET "mcp:{files}:pin" r | jq -c '[.at]')" "[$(w 0)]" "the pin kept in mcp:{files}:pin"
is "$(v files 2 '.review.resources | [.state, .class, .since, (.changes | length)]')" "[\"changed\",\"breaking\",$(w 2),1]" \
    "14:02: files changed since first sight: what changed said"
is "$(v files 3 '.review.resources | [.state, .changes[0].class]')" '["changed","breaking"]' \
    "and still at 14:03, from the history"

# ------------------------------------------------------------ the incidents
is "$(ak weather 1)" "" "14:01: nothing to tell while the lists are approved"
is "$(ak weather 2)" '["note","P2","tools-note"] ["trigger","P2","tools-unreviewed"] ' \
    "14:02: an unreviewed review-class change is an incident of its own, beside the note; P2, as it adds a high finding"
is "$(v weather 2 '.findings.added | [.rules, .class, .security]')" '[["MCPU-P103"],"review",true]' \
    "the verdict of 14:02: the change added MCPU-P103, review with security"
is "$(ak weather 2 '[.kind, .security, .findings.rules, .findings.worst, .findings.at]')" \
    "[\"tools-note\",true,[\"MCPU-P103\"],\"high\",$(v weather 2 '.findings.added.at')] [\"tools-unreviewed\",true,[\"MCPU-P103\"],\"high\",$(v weather 2 '.findings.added.at')] " \
    "the note and the incident: security, the rules added, the worst, when"
is "$(tr ' ' '\n' <"$TMP/inc.3" | grep -c tools-unrev)" 0 \
    "14:03: the review incident open is the operator's: the public page's incidents (mcp:{weather}:incident: $(cat "$TMP/inc.3")) do not hold it"
is "$(grep -c 'class="incident"' "$TMP/page.3")" "$(wc -w <"$TMP/inc.3")" \
    "14:03: /status/weather shows no incident card for the change waiting for review, only those of the server"
for k in note unreviewed; do
	like "$(jq -r --arg k "tools-$k" 'select(.kind == $k) | .summary' "$TMP/a.2")" \
	    '; security: adds MCPU-P103 \(high, local files of credentials and keys named\) in (London \()?eu-west-2' \
	    "tools-$k's summary says it: the rule, its severity and line, where"
done
is "$(jq -rs '[.[] | select(.security)] | length' "$TMP"/a.*)" 2 \
    "said once: no record of a later window has security (the added set is told by its at)"
is "$(hook weather | jq -c 'select(.security) | [.kind, .findings.rules[0]]' | tr '\n' ' ')" \
    '["tools-note","MCPU-P103"] ["tools-unreviewed","MCPU-P103"] ' "the webhook heard both, with the findings"
is "$(pd "weather:tools-unreviewed:$(w 2)"):$(pd "$(jq -r 'select(.kind == "tools-note") | .dedup_key' "$TMP/a.2")")" \
    "trigger acknowledge resolve :" "PagerDuty: the incident, P2, pages (acknowledged, resolved); the note does not (it never resolves)"
key=$(jq -r 'select(.kind == "tools-unreviewed") | .dedup_key' "$TMP/a.2")
is "$key" "weather:tools-unreviewed:$(w 2)" "its dedup_key"
like "$(jq -r 'select(.kind == "tools-unreviewed") | .summary' "$TMP/a.2")" \
    'tools changed at 14:02 UTC and no one has reviewed it \(review; the store.s rules found MCPU-P103 \(high\) in the list eu-west-2 serves, which the list answered had not\).*--approve --by NAME' \
    "its summary asks for an answer, and says the finding its list has that the answered one had not"
is "$(ak weather 3)" "" "14:03: it stays open: no new trigger, no resolve"
is "$(tail -1 "$TMP/ack.3")" "exit 0" "mcp-alert ack weather tools-unreviewed: exit 0"
is "$(cat "$TMP/acked.3")" "$(($(w 3) + 98))" "the incident is acknowledged in the state, when"
is "$(ak weather 5)" '["reminder","P2","tools-unreviewed"] ' "14:05: a reminder (reminder_every 3m)"
like "$(ak weather 6 '[.event, .kind, .summary]')" 'resolve","tools-unreviewed",".*answered: tools approved by carol' \
    "14:06: answered, it resolves, naming who"
is "$(ak weather 7 'select(.kind == "tools-unreviewed") | [.event, .severity, .regions]')" \
    '["trigger","P2",["us-east-1","us-west-2"]] ' "14:07: a new incident for the regions whose answer it differs from (P2: their list has a high finding alice's had not)"
like "$(ak weather 8 'select(.kind == "tools-unreviewed") | [.event, .summary]')" 'resolve.*rejected by bob' \
    "14:08: a rejection answers it too"
is "$(ak weather 9 'select(.event == "trigger") | [.severity, .kind]')" '["P2","tools-changed"] ["P2","tools-unreviewed"] ' \
    "14:09: a breaking change pages (tools-changed) and is unreviewed (P2)"
bkey=$(jq -r 'select(.kind == "tools-unreviewed") | .dedup_key' "$TMP/a.9")
is "$(pd "$bkey")" "" "the review incident does not page twice: PagerDuty has tools-changed's"
like "$(ak weather 10 'select(.kind == "tools-unreviewed") | [.event, .summary]')" 'resolve.*approved by alice' \
    "14:10: approved, it resolves"
is "$(hook weather | jq -r 'select(.kind == "tools-unreviewed") | .event' | tr '\n' ' ')" \
    "trigger reminder resolve trigger resolve trigger resolve " "the webhook heard each, once"
is "$(ak files 2 'select(.event == "trigger") | [.severity, .kind]')" '["P2","tools-changed"] ' \
    "files: a resource removed is breaking and pages, as a tool would"
like "$(ak files 2 'select(.event == "trigger") | .summary')" 'resource list changed' "said as the resource list"
is "$(jq -rs '[.[] | select(.slug == "files" and .kind == "tools-unreviewed")] | length' "$TMP"/a.*)" 0 \
    "files, pinned at first sight, opens no review incident: no person was asked"
# ------------------------------------------------------------ the page and the API
is "$(jq -c '.review.tools | [.state, .regions, .class, .since, .by]' "$TMP/api.7" 2>/dev/null)" \
    "[\"unreviewed\",[\"us-east-1\",\"us-west-2\"],\"review\",$(w 7),\"alice\"]" \
    "/api/status/weather/tools at 14:07: unreviewed where, since when, of what class, from whose answer"
like "$(grep -o '<section class="incident"[^>]*><h2>Incident: [^<]*</h2>' "$TMP/page.7")" 'Incident: regions seeing different tool lists</h2>$' \
    "/status/weather at 14:07: the incident of the regions' divergence (14:02 to 14:06, its step null) says so, not \"an unknown step\""
like "$(grep -o '<li class="finding"><code>MCPU-P103</code>[^<]*<bdi>[^<]*</bdi> at <code>[^<]*</code>' "$TMP/page.7" | head -1)" \
    '^<li class="finding"><code>MCPU-P103</code> in the tool <bdi>[a-z_]+</bdi> at <code>/[^<]+</code>$' \
    "/status/weather at 14:07: each finding named where it hides (the tool, the JSON pointer), from the verdict"
like "$(grep -o '<p class="review unreviewed">.*</p>' "$TMP/page.7")" \
    'Tools: changed, not reviewed, since .*us-east-1.*us-west-2.*cls review' "/status/weather at 14:07 says it where the tools' changes are"
curl -s -H 'X-Test-Env: far' -o "$TMP/api.10" "$P/api/status/weather/tools"
curl -s -H 'X-Test-Env: far' -o "$TMP/page.10" "$P/status/weather"
is "$(jq -c '[.review.tools.state, .review.tools.by, .review.tools.at]' "$TMP/api.10" 2>/dev/null)" "[\"approved\",\"alice\",$(($(w 9) + 97))]" \
    "/api/status/weather/tools at 14:10: approved, by alice, when"
ok "$(grep -Fq '<p class="review approved">Tools: approved by alice, ' "$TMP/page.10" && echo 0 || echo 1)" "/status/weather at 14:10: approved by alice"
curl -s -H 'X-Test-Env: far' -o "$TMP/api.files" "$P/api/status/files/tools"
is "$(jq -c '.review | [keys, .resources.state, .resources.class]' "$TMP/api.files" 2>/dev/null)" '[["resources"],"changed","breaking"]' \
    "/api/status/files/tools: changed since first sight"
# ------------------------------------------------------------ findings where people see them
is "$(jq -c '.findings | [.count, .worst, [.rules[] | [.id, .severity]], .added.rules[0].id, .added.class, .added.security]' "$TMP/api.7" 2>/dev/null)" \
    '[1,"high",[["MCPU-P103","high"]],"MCPU-P103","review",true]' \
    "/api/status/weather/tools at 14:07: the findings, each rule with its severity, the change that added one"
if [ -f "$TMP/browser.7" ]; then
	while IFS=$'\t' read -r st name detail; do
		case $st in
		ok) ok 0 "chromium: $name" ;;
		'not ok')
			ok 1 "chromium: $name"
			diag "$detail"
			;;
		esac
	done <"$TMP/browser.7"
	is "$(tail -1 "$TMP/browser.7")" "exit 0" "browser/review.mjs ran to its end"
	[ "$(tail -1 "$TMP/browser.7")" = "exit 0" ] || diag "$(tail -5 "$TMP/browser.err")"
	diag "screenshots in $SHOTS/review-finding*.png; the browser and the SDK client: $(cat "$TMP/seen.s") s"
else
	diag "no chromium or puppeteer-core: the browser checks are skipped"
fi
is "$(cat "$TMP/mcp.rc")" 0 "the SDK client lists and calls tool_changes (its structuredContent validated against outputSchema)"
[ "$(cat "$TMP/mcp.rc")" = 0 ] || diag "$(tail -3 "$TMP/mcp.err")"
is "$(jq -c '.tools[] | select(.name == "tool_changes") | .outputSchema | [(.properties | has("review"), has("findings")), (.required | index("review") != null)]' "$TMP/mcp.7" 2>/dev/null)" \
    '[true,true,true]' "tool_changes' outputSchema names review and findings, and requires review"
is "$(jq -c '.calls["tool_changes {\"slug\":\"weather\"}"] | [.review.tools.state, .findings.added.rules[0].id]' "$TMP/mcp.7" 2>/dev/null)" \
    '["unreviewed","MCPU-P103"]' "its structuredContent carries the review and the findings"
unlike "$(cat "$TMP/probe.err" "$TMP/push.err" "$TMP/verdict.err" "$TMP/alert.err" "$NGINX_CGI_LOG")" \
    'AddressSanitizer|LeakSanitizer|runtime error' "no sanitizer report from the pipeline or mcp-serve"
done_testing
