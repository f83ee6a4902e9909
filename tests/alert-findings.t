#!/usr/bin/env bash
# build: both
# alert-findings.t - a change that adds a finding, told by mcp-alert (issue
# 54, mcp-alert(1) "Tool changes"): a note of a review change whose
# verdict adds a low rule stays P3 and says it; a verdict that adds a high
# rule while the list was told of already is a tools-note of its own, P2
# but never PagerDuty; the same added set in the verdicts after it is told
# no more; a rule id that is no rule of mcp-rules(7) is not said.
# Verdicts written as mcp-aggregate writes them (findings.added), a private
# redis-server and the test receiver; time through MCP_NOW.  The whole
# pipeline's case (v4 of tests/fixtures/toolshift.mjs adds MCPU-P103) is
# tests/tools-review.t's.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/alert-lib.sh
source "$TOP/tests/alert-lib.sh"

command -v node >/dev/null || skip_all "node is not installed"
start_redis
start_receiver
hm() { echo $((T0 - 7200 + 60 * 10#$1)); }
export MCP_NOW
pd_hook_conf "$TMP/alert.conf"
chmod 600 "$TMP/alert.conf" "$TMP/pd.key"
A=sha256:$(printf 'a%.0s' $(seq 64))
B=sha256:$(printf 'b%.0s' $(seq 64))
REVIEW='{"class":"review","breaking":false,"counts":{"breaking":0,"review":1,"compatible":0},"security":1,
 "items":[{"class":"review","kind":"description_changed","tool":"alerts"}],"more":0,"text":"-"}'
# tv MM DRIFT_TO ADDED_AT RULES: weather's verdict of window 14:MM, its
# drift to DRIFT_TO ("" for none) in eu-west-2, findings.added at
# ADDED_AT with RULES (a JSON array; "" for no added set).
tv() {
	jq -nc --argjson w "$(hm "$1")" --arg to "$2" --arg at "$3" --argjson rules "${4:-[]}" --argjson ch "$REVIEW" \
	    --arg a "$A" --argjson all "$(jarr "$ALL")" \
	    '{v:1,type:"verdict",slug:"weather",window:$w,as_of:($w|todate),verdict:"green",severity:"ok",step:null,
	      failed_regions:[],reporters:$all,missing:[],divergence:null,p95_ms:142,uptime_30d:99.9,failing_now:[],
	      drift:(if $to == "" then [] else [{region:"eu-west-2",from:$a,to:$to,kind:"tools",change:$ch}] end),
	      findings:{count:1,worst:"high",rules:$rules,regions:["eu-west-2"],
	        added:(if $at == "" then null else {at:($at|tonumber),rules:$rules,class:"review",security:true} end)}}'
}
# run MM: mcp-alert on $TMP/in at the end of 14:MM; its records in $TMP/out.MM.
run() {
	MCP_NOW=$(($(hm "$1") + 95)) mcp-alert -c "$TMP/alert.conf" <"$TMP/in" >"$TMP/out.$1" 2>>"$TMP/err"
	echo $?
}
notes() { jq -c 'select(.kind == "tools-note") | [.severity, .security, .findings.rules, .findings.worst]' "$TMP/out.$1" | tr '\n' ' '; }

# 14:01: a review change that adds MCPU-P108 (low): the note says it, P3.
tv 01 "$B" "$(hm 01)" '["MCPU-P108"]' >"$TMP/in"
is "$(run 01)" 0 "14:01: mcp-alert exits 0"
is "$(notes 01)" '["P3",true,["MCPU-P108"],"low"] ' "a low rule added: the note says it and stays P3"
like "$(jq -r 'select(.kind == "tools-note") | .summary' "$TMP/out.01")" \
    'changed the description of alerts.*; security: adds MCPU-P108 \(low, a description far longer than its peers.\) in eu-west-2$' \
    "its summary: the change, then the rule, its severity, its line and where"

# 14:02: the same list, now with MCPU-P101 (high) added: no note of the
# list (told at 14:01), a note of its own, P2, to the hook but not PagerDuty.
tv 02 "$B" "$(hm 02)" '["MCPU-P101"]' >"$TMP/in"
is "$(run 02)" 0 "14:02: mcp-alert exits 0"
is "$(notes 02)" '["P2",true,["MCPU-P101"],"high"] ' "a high rule added to a list told of: a note of its own, P2"
like "$(jq -r 'select(.kind == "tools-note") | .summary' "$TMP/out.02")" \
    '^weather: its text changed; security: adds MCPU-P101 \(high, an instruction to ignore earlier instructions\)' \
    "its summary says the finding"
key=$(jq -r 'select(.kind == "tools-note") | .dedup_key' "$TMP/out.02")
wait_for 100 grep -q -F -e "$key" "$RECV_LOG"
is "$(jq -r --arg k "$key" 'select(.path == "/hook") | .body | fromjson | select(.dedup_key == $k) | .severity' "$RECV_LOG")" P2 \
    "the webhook hears it as P2"
is "$(jq -r --arg k "$key" 'select(.path == "/pd/v2/enqueue") | .body' "$RECV_LOG")" "" "PagerDuty does not: a note never resolves"

# 14:03 to 14:05: the verdicts still carry 14:02's added set: told once.
for m in 03 04 05; do
	tv "$m" "" "$(hm 02)" '["MCPU-P101"]' >"$TMP/in"
	run "$m" >/dev/null
done
is "$(cat "$TMP/out.03" "$TMP/out.04" "$TMP/out.05" | jq -c 'select(.security)' | wc -l)" 0 \
    "14:03 to 14:05: the same added set is not told again"
is "$(redis-cli -s "$REDIS_SOCK" HGET 'mcp:{weather}:alert' fndx)" "$(hm 02)" "the state keeps its at (fndx)"

# 14:06: an added set whose rule is no rule of mcp-rules(7): not said.
tv 06 "" "$(hm 06)" '["MCPU-P999"]' >"$TMP/in"
is "$(run 06):$(jq -c 'select(.security)' "$TMP/out.06" | wc -l)" "0:0" "14:06: a rule id not known is not said"
is "$(cat "$TMP/err")" "" "mcp-alert said nothing on stderr"
done_testing
