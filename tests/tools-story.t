#!/usr/bin/env bash
# test: long (a minute or so under load: started before the rest)
# tools-story.t - issue 46 from the probe to the page: the seeds' story (a
# tool renamed at the origin at 14:02, eu-west-2's edge serving the old
# list until 14:47) and its siblings, on real components: one SDK server
# whose tools change per region and over time (tests/fixtures/toolshift.mjs),
# mcp-probe as four regions (X-Probe-Region), mcp-aggregate push and verdict
# through a private redis-server, mcp-alert delivering to the test receiver,
# mcp-serve behind nginx, the page in headless Chromium.  Windows are
# simulated through MCP_NOW (k minutes after 14:00 of tomorrow); the
# minutes 5 to 44 are left out (nothing happens in them), so an open
# incident spans a gap, as it would a quiet hour.
#
# The fleet, one slug a deployment of the fixture:
#   weather  v1 (get_data); 14:02 v2 (fetch_data) but eu-west-2 stays v1;
#            14:47 v2 everywhere; 14:50 v3 (a required property), 14:51 v4
#            (a description only), 14:52 v5 (an annotation turned unsafe),
#            14:53 the same again
#   wrong    v2; 14:02 us-east-1, 14:03 us-west-2 too, answer "Error:
#            upstream timeout" as text (isError false), with an expect=
#            condition on the call's text; right again from 14:45
#   files    resources only; 14:02 a resource added
#   nasty    v1; 14:02 a list made to break a diff, a message and a page,
#            eu-west-2 still v1
#   huge     20,000 tools (tools_too_large), 14:02 and 14:03 only
#   big      5,000 tools, a list too large to print; 14:02 5,001 (14:01
#            and 14:02 only)
#   churn    a new list at every request (about 40 KiB each), 14:00 to
#            14:04: 20 lists
#   fat      the same, 120 KiB each (kept because the probe is told to
#            print lists that large: --list-max)
# The browser cases are tests/browser/story.mjs; its screenshots are in
# $MCP_BIN/screenshots-tools/ (not screenshots/, which browser.t empties).
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/serve-lib.sh
source "$TOP/tests/serve-lib.sh"

[ -x "$BIN/mcp-serve" ] || skip_all "no $BIN/mcp-serve"
export PATH="$PATH:/usr/sbin"
for t in nginx spawn-fcgi redis-server jq; do
	command -v "$t" >/dev/null || skip_all "$t is not installed"
done
CHROMIUM=
for c in /usr/lib/chromium/chromium /usr/bin/chromium; do
	[ -x "$c" ] && CHROMIUM=$c && break
done
[ -d "$TOP/tests/node_modules/puppeteer-core" ] || skip_all "puppeteer-core missing: cd tests && npm ci"

REGIONS="us-east-1 us-west-2 eu-west-2 ap-southeast-1"
T0=$((($(date +%s) / 86400 + 1) * 86400 + 14 * 3600))
w() { echo $((T0 + 60 * $1)); }
rc() { redis-cli -s "$REDIS_SOCK" "$@"; }

start_redis
start_receiver || skip_all "the receiver did not start"
start_toolshift
# Every page to PagerDuty, Slack and a webhook, every note (P3) to the
# webhook alone; each incident told alone (group_by slug): the fleet's
# hostile servers page in the same windows as the story, and a group's
# message names its members, not their changes.
SLACK_PATH=/services/T000/B000/XXXXSLACKSECRETXXXX
echo R0UT1NGKEY0123456789abcdef012345 >"$TMP/pd.key"
cat >"$TMP/alert.conf" <<CONF
route pd pagerduty $TMP/pd.key $RECV/pd/v2/enqueue
route slack slack $RECV$SLACK_PATH
route hook webhook $RECV/hook
notify P1,P2 always pd slack hook
notify P3 always hook
group_by slug
CONF
chmod 600 "$TMP/alert.conf" "$TMP/pd.key"

# Lists up to 200 KiB printed (fat's are 120 KiB): push keeps at most 256.
# 10 s a target, which none waits for: huge's 3 MB on a busy machine.
PROBE_OPTS=(-t 10 --list-max 200k)

# mcp-serve behind nginx, started now to be read at 14:46 (in the
# outage) and at the end: its clock is 100 s into 14:53, or into 14:46 for
# a request with X-Test-Env: far (tests/serve-lib.sh).
# shellcheck disable=SC2034 # read by the launcher of serve-lib.sh
SERVE_NOW=$(($(w 53) + 100)) SERVE_NOW_FAR=$(($(w 46) + 100))
start_nginx_fcgi || skip_all "nginx and mcp-serve did not start"
P=$NGINX_FCGI
SHOTS=$BIN/screenshots-tools
mkdir -p "$SHOTS"
# browse PHASE: the browser cases of tests/browser/story.mjs, numbered here.
browse() {
	local st name detail node_rc=none
	[ -n "$CHROMIUM" ] || { diag "chromium is not installed: the browser checks of $1 skipped"; return; }
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
	done < <(cd "$TOP/tests" && PHASE=$1 PAGE=$P SHOTS=$SHOTS CHROMIUM=$CHROMIUM \
	    node browser/story.mjs 2>"$TMP/node.err"; printf 'exit\t%s\n' "$?")
	is "$node_rc" 0 "browser/story.mjs $1 ran to its end"
	[ "$node_rc" = 0 ] || diag "$(tail -20 "$TMP/node.err")"
}

# state K: the versions each deployment serves in window K, written
# through a rename (the fixture reads the file at every request).
state() {
	local k=$1 weather wrong files nasty
	if [ "$k" -lt 2 ]; then
		weather='{"*":"v1"}'
	elif [ "$k" -lt 47 ]; then
		weather='{"*":"v2","eu-west-2":"v1"}'
	else
		case $k in
		50) weather='{"*":"v3"}' ;;
		51) weather='{"*":"v4"}' ;;
		52 | 53) weather='{"*":"v5"}' ;;
		*) weather='{"*":"v2"}' ;;
		esac
	fi
	case $k in
	2) wrong='{"*":"v2","us-east-1":"wrong"}' ;;
	3 | 4) wrong='{"*":"v2","us-east-1":"wrong","us-west-2":"wrong"}' ;;
	*) wrong='{"*":"v2"}' ;;
	esac
	files='{"*":"resources"}' nasty='{"*":"v1"}'
	[ "$k" -lt 2 ] || files='{"*":"resources2"}' nasty='{"*":"nasty","eu-west-2":"v1"}'
	printf '{"weather":%s,"wrong":%s,"files":%s,"nasty":%s}\n' "$weather" "$wrong" "$files" "$nasty" >"$TMP/state.new"
	mv "$TMP/state.new" "$TMP/state"
}

# targets K: the fleet's targets file of window K (the same for every
# region).  The hostile servers are probed in a few windows only: what
# they test is done by then (huge's 3 MB answer is the run's longest).
targets() {
	local k=$1 n=5000
	[ "$k" -lt 2 ] || n=5001
	{
		echo "weather $TS/d/weather/mcp"
		echo "wrong $TS/d/wrong/mcp call=fetch_data call_args={\"city\":\"Paris\"} expect=[CALL].text~=^Sunny"
		echo "files $TS/d/files/mcp"
		echo "nasty $TS/d/nasty/mcp"
		case $k in 2 | 3) echo "huge $TS/v/huge/mcp" ;; esac
		case $k in 1 | 2) echo "big $TS/v/huge/mcp?n=$n" ;; esac
		if [ "$k" -le 4 ]; then
			echo "churn $TS/v/churn/mcp?kb=40"
			echo "fat $TS/v/churn/mcp?kb=120"
		fi
	} >"$TMP/targets"
}

# minute K: window K: the fleet probed once from each region at W + 1,
# pushed at W + 2, decided at W + 95, mcp-alert at W + 96 (its records
# in $TMP/alerts, the verdicts in $TMP/v.K and $TMP/verdicts).
minute() {
	local k=$1 t r
	t=$(w "$k")
	state "$k"
	targets "$k"
	for r in $REGIONS; do
		MCP_NOW=$((t + 1)) mcp-probe -r "$r" "${PROBE_OPTS[@]}" -f "$TMP/targets" 2>>"$TMP/probe.err"
	done >"$TMP/probes.$k"
	MCP_NOW=$((t + 2)) mcp-aggregate push <"$TMP/probes.$k" 2>>"$TMP/push.err"
	MCP_NOW=$((t + 95)) mcp-aggregate verdict >"$TMP/v.$k" 2>>"$TMP/verdict.err"
	cat "$TMP/v.$k" >>"$TMP/verdicts"
	MCP_NOW=$((t + 96)) mcp-alert -c "$TMP/alert.conf" <"$TMP/v.$k" >"$TMP/a.$k" 2>>"$TMP/alert.err"
	cat "$TMP/a.$k" >>"$TMP/alerts"
}
# tools_at K ARGS: mcp-aggregate tools ARGS as read at the end of window K.
tools_at() {
	local k=$1
	shift
	MCP_NOW=$(($(w "$k") + 97)) mcp-aggregate tools "$@"
}

started=$SECONDS
WINDOWS="0 1 2 3 4 45 46 47 48 49 50 51 52 53"
: >"$TMP/verdicts"
: >"$TMP/alerts"
for k in $WINDOWS; do
	minute "$k"
	case $k in
	3)
		tools_at 3 weather >"$TMP/tools.3" 2>&1
		echo "exit $?" >>"$TMP/tools.3"
		tools_at 3 weather --json >"$TMP/tools.3.json" 2>"$TMP/tools.3.err"
		tools_at 3 weather --diff >"$TMP/diff.3" 2>&1
		echo "exit $?" >>"$TMP/diff.3"
		tools_at 3 weather --diff --json >"$TMP/diff.3.json" 2>"$TMP/diff.3.err"
		tools_at 3 nasty --diff >"$TMP/nasty-diff.3" 2>&1
		tools_at 3 files >"$TMP/files.3" 2>"$TMP/files.3.err"
		echo "exit $?" >>"$TMP/files.3"
		;;
	46)
		curl -s -H 'X-Test-Env: far' -o "$TMP/api.46.json" "$P/api/status/weather/tools"
		browse outage
		;;
	esac
done
diag "$(wc -w <<<"$WINDOWS") windows of 8 servers from 4 regions: $((SECONDS - started)) s"
is "$(sort -u "$TMP/push.err" "$TMP/verdict.err" | head -5)" "" "push and verdict said nothing"
is "$(grep -v 'huge' "$TMP/probe.err" | sort -u | head -5)" "" "mcp-probe said nothing"

# v SLUG K [JQ]: the verdict of SLUG in window K, through JQ.
v() { jq -c --arg s "$1" "select(.slug == \$s) | ${3:-[.verdict, .severity]}" "$TMP/v.$2" 2>/dev/null; }
# res SLUG K REGION [JQ]: SLUG's result record of window K from REGION.
res() {
	jq -c --arg s "$1" --arg r "$3" "select(.type == \"result\" and .slug == \$s and .region == \$r) | ${4:-.}" \
	    "$TMP/probes.$2" 2>/dev/null
}
# step SLUG K REGION STEP [JQ]: a step record of it.
step() {
	jq -c --arg s "$1" --arg r "$3" --arg t "$4" \
	    "select(.type == \"step\" and .slug == \$s and .region == \$r and .step == \$t) | ${5:-.}" "$TMP/probes.$2" 2>/dev/null
}

# ------------------------------------------------------------ the probe
is "$(res weather 0 eu-west-2 .tool_count):$(res weather 2 eu-west-2 .tool_count):$(res weather 2 us-east-1 .tool_count)" \
    3:3:3 "weather: three tools in every region"
is "$(step weather 2 us-east-1 tools_list '[.detail.tools[].name] | sort')" '["alerts","delete_file","fetch_data"]' \
    "the probe prints the list it hashed: fetch_data at the origin"
is "$(step weather 2 eu-west-2 tools_list '[.detail.tools[].name] | sort')" '["alerts","delete_file","get_data"]' \
    "and get_data at eu-west-2's edge"
like "$(res weather 2 us-east-1 .prompt_hash)" '^"sha256:[0-9a-f]{64}"$' "weather's prompts are read and hashed"
like "$(res files 2 us-east-1 '[.state, .tool_hash, .resource_hash]')" '^\["healthy",null,"sha256:[0-9a-f]{64}"\]$' \
    "files (resources only): healthy, no tool hash, its resources hashed"
is "$(step files 2 us-east-1 tools_list .detail.reason)" '"no_tools"' "files: tools_list skipped as ever (no_tools)"
is "$(step files 2 us-east-1 tools_list '[.detail.resources[].uri] | sort | @text')" \
    '"[\"weather://radar\",\"weather://readme\",\"weather://stations\"]"' "files: its resources listed"
is "$(res huge 2 us-east-1 '[.state, .failed_step, .error.code]')" '["broken","tools_list","tools_too_large"]' \
    "huge: 20,000 tools are tools_too_large"
is "$(step big 2 us-east-1 tools_list '[.detail.tool_count, .detail.tools_omitted, (.detail.tools_bytes > 204800)]')" \
    '[5001,"too_large",true]' "big: 5,001 tools hashed, the list too large to print"
like "$(res big 2 us-east-1 .tool_hash)" '^"sha256:' "big: its hash still in the result"

# ------------------------------------------------------------ the verdicts
is "$(v weather 1 '[.verdict, .divergence, .drift]')" '["green",null,[]]' "14:01: weather green, one list"
is "$(v weather 2 '[.verdict, .severity, .divergent_regions]')" '["amber","divergence",["eu-west-2"]]' \
    "14:02: amber divergence, eu-west-2 named"
is "$(v weather 2 '[.drift[].region]')" '["ap-southeast-1","us-east-1","us-west-2"]' \
    "14:02: a drift for each region that sees the new list"
is "$(v weather 2 '[.drift[] | .kind] | unique')" '["tools"]' "each drift is of the tools"
is "$(v weather 2 '[.drift[] | .change | [.class, .breaking, (.items | length), .items[0].kind, .items[0].tool, .items[0].to, .items[0].inferred]] | unique')" \
    '[["breaking",true,1,"tool_renamed","get_data","fetch_data",true]]' \
    "each drift carries the change: get_data renamed fetch_data, inferred, breaking"
like "$(v weather 2 '.drift[0].change.text')" 'get_data.*fetch_data' "and says it in words"
is "$(v weather 2 '[.tools_divergence[] | [.regions, (.hash != .majority)]]')" '[[["eu-west-2"],true]]' \
    "tools_divergence names eu-west-2, its list not the majority's"
is "$(v weather 2 '[.tools_divergence[0].change | .class, .items[0].kind, .items[0].tool, .items[0].to]')" \
    '["breaking","tool_renamed","get_data","fetch_data"]' "and the change from its list to the majority's"
is "$(v weather 2 '(.tools_divergence[0].majority == .drift[0].to)')" true "the majority is the origin's new list"
is "$(v weather 46 '[.verdict, .divergent_regions]')" '["amber",["eu-west-2"]]' "14:46: still divergent"
is "$(v weather 47 '[.verdict, .divergence, [.drift[].region], .drift[0].change.items[0].kind, (.tools_divergence // [])]')" \
    '["green",null,["eu-west-2"],"tool_renamed",[]]' "14:47: eu-west-2 catches up: green, its own drift the same rename"
is "$(v weather 50 '[.verdict, ([.drift[].change.class] | unique), ([.drift[].change.items[] | [.kind, .tool, .path]] | unique)]')" \
    '["green",["breaking"],[["property_added_required","fetch_data","units"]]]' \
    "14:50 (v3): a required property added is breaking, in every region"
is "$(v weather 51 '[([.drift[].change.class] | unique), ([.drift[].change.items[] | [.kind, .tool]] | unique), ([.drift[].change.security] | unique)]')" \
    '[["review"],[["description_changed","alerts"]],[1]]' "14:51 (v4): a description alone changed: review, security"
is "$(v weather 52 '[([.drift[].change.class] | unique), ([.drift[].change.items[] | [.kind, .tool, .path, .before, .after]] | unique), ([.drift[].change.security] | unique)]')" \
    '[["review"],[["annotation_changed","delete_file","destructiveHint","false","true"]],[1]]' \
    "14:52 (v5): destructiveHint false to true: an annotation turned unsafe, security"

is "$(v wrong 1 '[.verdict]')" '["green"]' "wrong: green while it answers right"
is "$(v wrong 2 '[.verdict, .severity, .failed_regions, .step, .error]')" '["amber","regional",["us-east-1"],"call","expect_failed"]' \
    "wrong: one region sees the wrong answer: amber, at call, expect_failed"
is "$(v wrong 3 '[.verdict, .severity, .failed_regions, .step, .error]')" \
    '["red","alert",["us-east-1","us-west-2"],"call","expect_failed"]' "wrong: two regions see it: red"
like "$(res wrong 3 us-east-1 .error.message)" '\[CALL\]\.text~=\^Sunny.*Error: upstream timeout' \
    "the failure names the condition and what the call answered"
is "$(res wrong 3 us-east-1 .tool_hash)" "$(res wrong 1 us-east-1 .tool_hash)" "its tool list never changed"

is "$(v files 2 '[.drift[] | select(.kind == "resources") | .change.items[0] | [.kind, .resource // .tool]] | unique')" \
    '[["resource_added","weather://radar"]]' "files: its resources drift too: a resource added"
is "$(v big 2 '[.drift[] | [.change, .change_unknown != null]] | unique')" '[[null,true]]' \
    "big: a drift whose list was not kept says so (change null, change_unknown)"

# ------------------------------------------------------------ mcp-aggregate tools
like "$(head -c 1500 "$TMP/tools.3")" 'eu-west-2.*get_data' "tools weather: eu-west-2's list, get_data in it"
like "$(head -c 1500 "$TMP/tools.3")" 'us-east-1.*fetch_data' "and us-east-1's, fetch_data"
is "$(jq -c '[.regions[] | select(.region == "eu-west-2") | .names] | .[0] | sort' "$TMP/tools.3.json" 2>/dev/null)" \
    '["alerts","delete_file","get_data"]' "tools weather --json: each region's names"
like "$(head -c 1500 "$TMP/diff.3")" 'get_data.*renamed.*fetch_data' "tools weather --diff: the rename in words, no list fetched by hand"
like "$(head -c 1500 "$TMP/diff.3")" 'breaking' "tools weather --diff: breaking"
like "$(head -c 1500 "$TMP/diff.3")" 'inferred' "tools weather --diff: the rename is inferred"
is "$(jq -c '[.. | objects | select(.kind? == "tool_renamed") | [.tool, .to, .class]] | unique' "$TMP/diff.3.json" 2>/dev/null)" \
    '[["get_data","fetch_data","breaking"]]' "tools weather --diff --json"
like "$(head -c 1500 "$TMP/nasty-diff.3")" 'renamed' "tools nasty --diff: the hostile rename read as one"
is "$(LC_ALL=C grep -c $'[\x01-\x08\x0b-\x1f\x7f]' "$TMP/nasty-diff.3")" 0 "tools nasty --diff: no control character reaches the terminal"
ok "$([ "$(wc -c <"$TMP/nasty-diff.3")" -le 8192 ] && echo 0 || echo 1)" "tools nasty --diff: bounded ($(wc -c <"$TMP/nasty-diff.3") bytes)"
like "$(head -c 1500 "$TMP/files.3" | tr '\n' ' ')" 'resources.*weather://radar' "tools files: a resources-only server's resources by region"
is "$(tail -1 "$TMP/files.3"):$(cat "$TMP/files.3.err")" "exit 0:" "tools files: its lists shown, exit 0, no complaint of its missing tools"
tools_at 53 weather --history >"$TMP/history" 2>&1
like "$(head -c 3000 "$TMP/history" | tr "\n" " ")" 'fetch_data.*units|units.*fetch_data' "tools --history: v3's property among the changes"
tools_at 53 nosuch --diff >/dev/null 2>&1
is "$?" 1 "tools --diff of a slug with no lists: exit 1"

# ------------------------------------------------------------ the alerts
# ak SLUG FIRST LAST [JQ]: SLUG's alert records of windows FIRST..LAST (of
# those run), one a line.
ak() {
	local k
	for k in $WINDOWS; do
		[ "$k" -ge "$2" ] && [ "$k" -le "$3" ] || continue
		jq -c --arg s "$1" "select(.slug == \$s) | ${4:-[.event, .severity, .kind]}" "$TMP/a.$k"
	done
}
# hook SLUG: the bodies the webhook got for SLUG.  pd KEY: PagerDuty's
# events of one dedup_key.  slack: Slack's texts, all of them.
hook() { jq -c --arg s "$1" 'select(.path == "/hook") | .body | fromjson | select(.slug == $s)' "$RECV_LOG"; }
pd() { jq -c --arg k "$1" 'select(.path == "/pd/v2/enqueue") | .body | fromjson | select(.dedup_key == $k) | .event_action' "$RECV_LOG"; }
slack() { jq -r --arg p "$SLACK_PATH" 'select(.path == $p) | .body' "$RECV_LOG"; }
pages=$(ak weather 2 46 'select(.event == "trigger") | .dedup_key' | sort -u)
key=$(jq -r . <<<"$pages" | head -1)
is "$(grep -c . <<<"$pages")" 1 "weather's deploy: one page, not one a region and one more for the divergence"
is "$(ak weather 2 46 'select(.event == "trigger") | [.severity, .kind]' | sort -u)" '["P2","tools-changed"]' \
    "a P2, tools-changed"
is "$(hook weather | jq -r --arg k "$key" 'select(.dedup_key == $k) | .event' | tr '\n' ' ')" "trigger resolve " \
    "the webhook got its trigger and its resolve, once each"
is "$(pd "$key" | tr '\n' ' ')" '"trigger" "resolve" ' "and PagerDuty the same"
trig=$(ak weather 2 46 'select(.event == "trigger") | .summary' | jq -r . | head -1)
diag "the page: $trig"
like "$trig" 'eu-west-2' "the page names eu-west-2"
like "$trig" 'get_data' "the page names the old tool"
like "$trig" 'fetch_data' "and its new name"
like "$trig" 'breaking' "and that it is breaking"
like "$trig" 'eu-west-2 still serves get_data' "in words: eu-west-2 still serves get_data"
is "$(ak weather 47 47 "select(.event == \"resolve\" and .dedup_key == \"$key\") | [.incident_started_at, .duration_s]")" \
    "[$(w 2),2700]" "resolved at 14:47, the outage 45 minutes long (14:02 to 14:47), not longer"
is "$(ak weather 50 50 'select(.event == "trigger") | [.severity, .kind]')" '["P2","tools-changed"]' \
    "14:50: a required property added pages (P2, tools-changed)"
like "$(ak weather 50 50 'select(.event == "trigger") | .summary')" 'units' "naming the property"
is "$(ak weather 51 52 'select(.event == "trigger") | [.kind, .severity]')" '["tools-unreviewed","P2"]' \
    "14:51: the description adds a high finding: held for a person (P2); 14:52 (review only) pages nobody"
is "$(ak weather 53 53 'select(.event == "resolve") | [.kind, .duration_s]')" '["tools-changed",180]' \
    "14:53, the first window without a change: 14:50's page resolves"
like "$(ak weather 51 52 'select(.event == "note") | .summary' | tr '\n' ' ')" 'description of alerts.*destructiveHint.*delete_file' \
    "they are noted (P3): the description of alerts, destructiveHint of delete_file"
notes=$(ak weather 51 52 'select(.event == "note") | .dedup_key' | jq -r .)
is "$(for n in $notes; do pd "$n"; done)" "" "a note never reaches PagerDuty"
is "$(for n in $notes; do hook weather | jq -r --arg k "$n" 'select(.dedup_key == $k) | .severity'; done | tr '\n' ' ')" "P2 P3 " \
    "the webhook gets the notes: 14:51's P2, as v4's description adds a high finding (MCPU-P103), 14:52's P3"
like "$(ak weather 51 51 'select(.event == "note") | .summary')" '; security: adds MCPU-P103 \(high, ' \
    "14:51's note says the finding it adds"
is "$(ak wrong 0 53 'select(.event == "trigger") | [.severity, .step]')" '["P1","call"]' "wrong: paged (P1), at call"
like "$(ak wrong 0 53 'select(.event == "trigger") | .summary')" 'call failing in 2 regions' "saying where it fails"

# Hostile text in messages: bounded, no control character, the 10 KiB
# name never whole.
n_bad=$(jq -r 'select(.path == "/hook") | .body | length > 16384' "$RECV_LOG" | grep -c true)
is "$n_bad" 0 "every webhook body at most 16 KiB"
is "$(jq -r 'select(.slug == "nasty" or .slug == "churn" or .slug == "fat") | .summary // "" | length > 2048' "$TMP/alerts" | grep -c true)" 0 \
    "every summary of the hostile servers at most 2 KiB"
is "$(jq -r 'select(.slug == "nasty") | .summary // ""' "$TMP/alerts" | LC_ALL=C grep -c $'[\x01-\x1f\x7f]')" 0 \
    "nasty's summaries hold no control character (no newline, no escape)"
unlike "$(jq -r 'select(.slug == "nasty") | .summary // ""' "$TMP/alerts")" 'A{1024}' "nor its 10 KiB name whole"
is "$(hook nasty | jq -r 'select(.event == "trigger") | .kind' | sort -u)" tools-changed "nasty: its divergence pages like any"
like "$(slack | grep -F nasty)" '&lt;script&gt;window' "Slack: nasty's names escaped"
is "$(slack | grep -F nasty | grep -c '<script')" 0 "Slack: no raw markup from a server"

# ------------------------------------------------------------ the store
# lists SLUG: "COUNT BYTES MEMORY KEYS" of SLUG's kept lists: the index's
# members, the content's bytes (STRLEN), its memory (MEMORY USAGE), and
# the list keys that exist (mcp-store(7)).
lists() {
	local keys k b=0 m=0 n=0 c
	keys=$(rc --scan --pattern "mcp:{$1}:ls:*")
	for k in $keys; do
		b=$((b + $(rc strlen "$k")))
		m=$((m + $(rc memory usage "$k")))
		n=$((n + 1))
	done
	c=$(rc zcard "mcp:{$1}:lsi")
	echo "$c $b $m $n"
}
read -r c b m n < <(lists weather)
is "$c:$n:$(rc zrange "mcp:{weather}:lsi" 0 -1 | cut -c1-2 | sort | uniq -c | awk '{ printf "%s%s", $2, $1 }')" "6:6:p:1t:5" \
    "weather: six lists kept, one key each: v1 to v5's tools, its prompts"
like "$(rc ttl "mcp:{weather}:ls:$(rc zrange "mcp:{weather}:lsi" 0 0 | sed 's/^t://')")" '^2[67][0-9]{5}$' \
    "each kept 31 days"
read -r c b m n < <(lists churn)
diag "churn: $c lists, $b bytes ($m in memory), $n keys, from $(grep -c '"slug":"churn"' <(jq -c 'select(.type == "result")' "$TMP"/probes.*)) probes"
ok "$([ "$c" -le 16 ] && [ "$c" -ge 10 ] && [ "$c" = "$n" ] && echo 0 || echo 1)" "churn: at most 16 lists kept ($c), no key left behind ($n)"
ok "$([ "$b" -le 1048576 ] && echo 0 || echo 1)" "churn: at most 1 MiB of content ($b bytes)"
# What Redis spends on them beside their bytes: its allocator's rounding.
ok "$([ "$m" -le 1153434 ] && echo 0 || echo 1)" "churn: and at most 1.1 MiB of memory ($m bytes)"
read -r c b m n < <(lists fat)
ok "$([ "$b" -le 1048576 ] && [ "$m" -le 1153434 ] && [ "$c" = "$n" ] && echo 0 || echo 1)" \
    "fat: at most 1 MiB of content ($c lists, $b bytes), 1.1 MiB of memory ($m)"
ok "$([ "$c" -ge 6 ] && [ "$c" -le 8 ] && echo 0 || echo 1)" "fat: lists of 120 KiB evicted by bytes, not count ($c kept)"
read -r c b m n < <(lists huge)
is "$c:$n" "0:0" "huge: nothing kept"
read -r c b m n < <(lists big)
is "$c:$n" "0:0" "big: a list too large to print is not kept"
read -r c b m n < <(lists files)
is "$(rc zrange "mcp:{files}:lsi" 0 -1 | cut -c1-2 | sort -u)" "r:" "files: its resource lists kept (r:)"
is "$c" 2 "files: two resource lists"
is "$(rc --scan --pattern 'mcp:{*}:ls:*' | wc -l)" "$(for s in weather wrong files nasty huge big churn fat; do rc zcard "mcp:{$s}:lsi"; done | awk '{ s += $1 } END { print s }')" \
    "every list key is indexed"

# ------------------------------------------------------------ the page
curl -s -o "$TMP/page.weather" -w '%{http_code}' "$P/status/weather" >"$TMP/page.code"
is "$(cat "$TMP/page.code")" 200 "/status/weather: 200"
# has FILE ERE: 0 when FILE holds a match (said without printing FILE).
has() { grep -Eq -- "$2" "$1" && echo 0 || echo 1; }
ok "$(has "$TMP/page.weather" 'get_data.*fetch_data|fetch_data.*get_data')" "the page shows the rename"
ok "$(has "$TMP/page.weather" 'units')" "and the required property of 14:50"
curl -s -o "$TMP/api.json" "$P/api/status/weather/tools"
is "$(jq -c '[.. | objects | select(.kind? == "tool_renamed") | [.tool, .to]] | unique' "$TMP/api.json" 2>/dev/null)" \
    '[["get_data","fetch_data"]]' "/api/status/weather/tools: the change history, as JSON"
is "$(jq -c '[.divergence[] | [.regions, .change.items[0].kind, .change.items[0].tool, .change.items[0].to]]' "$TMP/api.46.json" 2>/dev/null)" \
    '[[["eu-west-2"],"tool_renamed","get_data","fetch_data"]]' "/api/status/weather/tools at 14:46: eu-west-2 diverges, by the rename"
is "$(jq -c '.divergence' "$TMP/api.json" 2>/dev/null)" '[]' "and at 14:53 the regions agree"
curl -s -o "$TMP/regions.json" "$P/api/status/weather/regions"
is "$(jq -c '[.regions[] | .tool_hash // .hash | tostring | test("^sha256:[0-9a-f]{64}$")] | unique' "$TMP/regions.json" 2>/dev/null)" '[true]' \
    "/api/status/weather/regions: each region's tool hash"
curl -s -o "$TMP/feed.xml" "$P/status/weather/feed.atom"
ok "$(has "$TMP/feed.xml" '<entry>.*fetch_data')" "the feed has an entry of the change"
curl -s -o "$TMP/page.nasty" "$P/status/nasty"
ok "$((1 - $(has "$TMP/page.nasty" '<script>window|<img src=x|<iframe srcdoc|<svg onload|<b onmouseover')))" \
    "/status/nasty: no server text unescaped"
ok "$(has "$TMP/page.nasty" '&lt;script&gt;window')" "/status/nasty: the hostile names shown, escaped"
like "$(grep -o 'Incident: [^<]*' "$TMP/page.nasty")" '[Tt]ool' "/status/nasty: its open incident said as a change of its tools"
is "$(LC_ALL=C grep -c $'\x1b' "$TMP/page.nasty")" 0 "/status/nasty: no escape byte"

# The churning servers' pages and API: every change listed stays bounded.
for sl in churn fat nasty; do
	code=$(curl -s -o "$TMP/page.$sl" -w '%{http_code} %{size_download}' "$P/status/$sl")
	ok "$([ "${code% *}" = 200 ] && [ "${code#* }" -le 262144 ] && echo 0 || echo 1)" "/status/$sl: 200, at most 256 KiB ($code)"
	code=$(curl -s -o "$TMP/api.$sl" -w '%{http_code} %{size_download}' "$P/api/status/$sl/tools")
	ok "$([ "${code% *}" = 200 ] && [ "${code#* }" -le 262144 ] && jq -e . "$TMP/api.$sl" >/dev/null 2>&1 && echo 0 || echo 1)" \
	    "/api/status/$sl/tools: 200, JSON, at most 256 KiB ($code)"
done

browse end
diag "screenshots in $SHOTS"
unlike "$(cat "$NGINX_FCGI_LOG" "$NGINX_FCGI_ERR")" 'AddressSanitizer|LeakSanitizer|runtime error' "no sanitizer report from mcp-serve"
unlike "$(cat "$TMP/probe.err" "$TMP/push.err" "$TMP/verdict.err" "$TMP/alert.err")" 'AddressSanitizer|LeakSanitizer|runtime error' \
    "no sanitizer report from the pipeline"
diag "the whole story: $((SECONDS - started)) s"
done_testing
