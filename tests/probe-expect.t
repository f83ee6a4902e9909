#!/usr/bin/env bash
# probe-expect.t - mcp-probe's conditions and chained calls against real servers: an answer that turns wrong while it still answers
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

# The SDK fixture whose answers turn wrong (tests/fixtures/wrong.mjs).
node "$TOP/tests/fixtures/wrong.mjs" --port-file "$TMP/wrong.port" 2>"$TMP/wrong.err" &
bg_pid $!
wait_file "$TMP/wrong.port" || skip_all "wrong.mjs did not start: $(cat "$TMP/wrong.err")"
W=http://127.0.0.1:$(cat "$TMP/wrong.port")
wait_http "$W/health" || skip_all "wrong.mjs does not answer"
start_everything streamableHttp || skip_all "server-everything did not start"
start_fastmcp stateless || skip_all "fastmcp did not start"
start_modern || skip_all "modern fixture did not start"

# pcase NAME URL EXIT "STATE FAILED_STEP CODE" [PROBE ARGS...]
pcase() {
	local name=$1 url=$2 want="$3 $4" rc
	shift 4
	mcp-probe -r test -s "$name" "$@" "$url" >"$TMP/$name.out" 2>"$TMP/$name.err"
	rc=$?
	is "$rc $(tail -n 1 "$TMP/$name.out" | jq -r '[.state, (.failed_step // "-"),
	    (.error.code // "-")] | join(" ")')" "$want" "$name: exit, state, failed step, code"
}
field() { jq -sr "$2" "$TMP/$1.out"; }
# steps NAME: each step's status, as "dns=pass connect=pass ...".
steps() { field "$1" '[.[0:8][] | "\(.step)=\(.status)"] | join(" ")'; }

# --- conditions that hold ----------------------------------------------------
pcase right "$W/right/mcp" 0 "healthy - -" -c status \
    -x '[CALL].text~=^OK' -x 'len([CALL].structured.items)>=3' -x '[CALL].structured.healthy==3' \
    -x '[CALL].is_error==false' -x '[CALL].ms>=0' -x 'len([CALL].content)>=1' \
    --expect '[CALL].text == OK: 3 upstreams healthy' -x '[PROTOCOL]==2025-11-25' \
    -x 'len([TOOLS])>=5' -x 'has([TOOLS].fetch)==true' -x '[TOOLS].search.inputSchema.required[0]==query'
is "$(field right '[.[5].detail.expect.passed, .[6].detail.expect.passed, .[7].detail.expect.passed] | join(" ")')" \
    "1 3 7" "right: each step's detail counts the conditions that held about it"

# The same upstream error dressed as a result: green without a condition, red with one.
pcase wrong-plain "$W/wrong/mcp" 0 "healthy - -" -c status
pcase wrong "$W/wrong/mcp" 1 "broken call expect_failed" -c status -x '[CALL].text!~^Error'
is "$(field wrong '.[8].error.message')" 'condition [CALL].text!~^Error failed: got "Error: upstream timeout"' \
    "wrong: the message names the condition and what was seen"
is "$(field wrong '.[7].detail.expect | "\(.passed) \(.failed)"')" "0 [CALL].text!~^Error" \
    "wrong: the call's detail names the condition that failed"
pcase wrong-empty "$W/wrong/mcp" 1 "broken call expect_failed" -c status -x '[CALL].text!~error' \
    -x 'len([CALL].structured.items)>0'
is "$(field wrong-empty '.[8].error.message')" 'condition len([CALL].structured.items)>0 failed: got "0"' \
    "wrong: an empty structured list, the first condition that failed named"
is "$(field wrong-empty '.[7].detail.expect | "\(.passed) \(.failed)"')" "1 len([CALL].structured.items)>0" \
    "wrong: the others that held are counted"

# --- every operator, each way, in one fleet ----------------------------------
# slug condition want(healthy|broken)
cat >"$TMP/ops" <<'EOF'
eq [CALL].structured.healthy==3 healthy
eq-no [CALL].structured.healthy==4 broken
ne [CALL].structured.healthy!=4 healthy
ne-no [CALL].structured.healthy!=3 broken
lt [CALL].structured.healthy<4 healthy
lt-no [CALL].structured.healthy<3 broken
le [CALL].structured.healthy<=3 healthy
le-no [CALL].structured.healthy<=2 broken
gt [CALL].structured.healthy>2 healthy
gt-no [CALL].structured.healthy>3 broken
ge [CALL].structured.healthy>=3 healthy
ge-no [CALL].structured.healthy>=4 broken
re [CALL].text~=^OK:[[:space:]][0-9]+ healthy
re-no [CALL].text~=^Error broken
nre [CALL].text!~Error healthy
nre-no [CALL].text!~upstreams broken
num-not-text [CALL].structured.healthy<10 healthy
text-not-num [PROTOCOL]>=2025-06-18 healthy
text-not-num-no [PROTOCOL]<2025-06-18 broken
index [CALL].structured.items[1]==cache healthy
index-past [CALL].structured.items[3]==cache broken
len-text len([CALL].text)==23 healthy
has-no has([CALL].structured.missing)==false healthy
missing [CALL].structured.missing==x broken
content [CALL].content[0].type==text healthy
literal [CALL].is_error!=true healthy
object [CALL].structured.items==["db","cache","search"] healthy
EOF
while read -r slug cond _; do
	printf '%s %s call=status expect=%s\n' "$slug" "$W/right/mcp" "$cond"
done <"$TMP/ops" >"$TMP/ops.targets"
mcp-probe -r test -f "$TMP/ops.targets" >"$TMP/ops.out" 2>"$TMP/ops.err"
is "$?" 1 "operators: the fleet has broken targets"
while read -r slug cond want; do
	is "$(jq -r --arg s "$slug" 'select(.type == "result" and .slug == $s) |
	    "\(.state) \(.error.code // "-")"' "$TMP/ops.out")" \
	    "$want $([ "$want" = broken ] && echo expect_failed || echo -)" "operator: $cond is $want"
done <"$TMP/ops"
is "$(jq -r 'select(.slug == "missing" and .type == "result") | .error.message' "$TMP/ops.out")" \
    "condition [CALL].structured.missing==x failed: no value there" "missing: no value is no match"

# --- the step a condition is about ---------------------------------------------
pcase proto "$W/right/mcp" 1 "broken initialize expect_failed" -c status -x '[PROTOCOL]==2026-07-28'
is "$(steps proto | cut -d' ' -f6-)" "initialize=fail tools_list=skip call=skip" \
    "[PROTOCOL]: initialize fails, the rest is skipped"
is "$(field proto '.[5].detail.protocol_version')" 2025-11-25 "[PROTOCOL]: the detail still says what was negotiated"
pcase tools "$W/right/mcp" 1 "broken tools_list expect_failed" -c status -x 'has([TOOLS].get_data)==true'
is "$(steps tools | cut -d' ' -f7-) $(field tools '.[7].detail.reason')" "tools_list=fail call=skip after_failure" \
    "[TOOLS]: tools_list fails, call is skipped after the failure"
is "$(field tools '.[8].error.message')" 'condition has([TOOLS].get_data)==true failed: got "false"' \
    "[TOOLS]: the message"
pcase tools-len "$W/right/mcp" 1 "broken tools_list expect_failed" -x 'len([TOOLS])<6'
# A server that declares no tools has an empty list to hold the conditions.
pcase notools "$W/notools/mcp" 0 "healthy - -" -x 'len([TOOLS])==0' -x 'has([TOOLS].fetch)==false'
is "$(field notools '[.[6].status, .[6].detail.reason, .[7].detail.reason] | join(" ")')" "skip no_tools no_tools" \
    "notools: conditions that hold leave the steps skipped"
pcase notools-lost "$W/notools/mcp" 1 "broken tools_list expect_failed" -x 'len([TOOLS])>=1'
is "$(field notools-lost '[.[6].status, .[7].status, .[7].detail.reason, .[8].error.message] | join(" ")')" \
    'fail skip after_failure condition len([TOOLS])>=1 failed: got "0"' \
    "notools: a server that lost its tools fails tools_list"

# --- the observed value is cut at 80 bytes, on a character ----------------------
pcase essay "$W/right/mcp" 1 "broken call expect_failed" -c essay -x '[CALL].text==x'
is "$(field essay '.[8].error.message')" "condition [CALL].text==x failed: got \"$(printf 'é%.0s' $(seq 40))...\"" \
    "essay: 40 two-byte characters shown, then ..."

# --- expect_secret: neither its value nor the one seen is printed ----------------
pcase secret "$W/right/mcp" 1 "broken call expect_failed" -c whoami --expect-secret '[CALL].text!~hunter2-s3cret'
is "$(field secret '.[8].error.message')" "condition [CALL].text!~ (expect_secret) failed" \
    "secret: the left side and the operator only"
is "$(field secret '.[7].detail.expect.failed')" "[CALL].text!~" "secret: the detail names no value either"
pcase secret-ok "$W/right/mcp" 0 "healthy - -" -c whoami --expect-secret '[CALL].text~=hunter2-s3cret'
# A server's text that holds the value is scrubbed like a token's.
pcase secret-echo "$W/right/mcp" 1 "broken call call_failed" -c fetch -a '{"id":"hunter2-s3cret"}' \
    --expect-secret '[CALL].text!~hunter2-s3cret'
is "$(field secret-echo '.[8].error.message')" "tool fetch returned isError: unknown id **************" \
    "secret: the value in a server's message is scrubbed"
mcp-probe -r test -n -c x --expect-secret '[CALL].text~=(hunter2-s3cret' "$W/right/mcp" >"$TMP/secret-bad.out" 2>"$TMP/secret-bad.err"
is "$? $(wc -c <"$TMP/secret-bad.out")" "2 0" "secret: a bad pattern is a usage error"
like "$(cat "$TMP/secret-bad.err")" 'expect_secret \[CALL\]\.text~=: a bad pattern' "secret: the error names the left side"
cat "$TMP"/secret*.out "$TMP"/secret*.err >"$TMP/all-secret"
unlike "$(cat "$TMP/all-secret")" 'hunter2|s3cret' "secret: no output holds the secret value"
# Without _secret the same condition shows what it saw: the test above means something.
pcase not-secret "$W/right/mcp" 1 "broken call expect_failed" -c whoami -x '[CALL].text!~hunter2-s3cret'
is "$(field not-secret '.[8].error.message')" 'condition [CALL].text!~hunter2-s3cret failed: got "token: hunter2-s3cret"' \
    "not secret: the condition and the value seen are shown"

# --- isError judged by a condition ----------------------------------------------
pcase broken "$W/right/mcp" 1 "broken call call_failed" -c broken
pcase broken-judged "$W/right/mcp" 0 "healthy - -" -c broken -x '[CALL].is_error==true'

# --- chained calls ---------------------------------------------------------------
cat >"$TMP/chain.targets" <<EOF
chain $W/right/mcp call=search call_args={"query":"q"} call2=fetch call2_args={"id":"{{call1.structured.results[0].id}}"} expect=[CALL].text~=^document[[:space:]]doc- expect=[CALL1].structured.results[0].title~=^about[[:space:]]q$ expect=[CALL2].is_error==false
chain-text $W/right/mcp call=search call_args={"query":"q"} call2=fetch call2_args={"id":"x{{call1.structured.results[0].id}}"}
chain-missing $W/right/mcp call=search call_args={"query":"q"} call2=fetch call2_args={"id":"{{call1.structured.results[1].id}}"}
chain-cond $W/right/mcp call=search call_args={"query":"q"} call2=status call3=fetch call3_args={"id":"{{call1.structured.results[0].id}}"} expect=[CALL2].structured.healthy<1
everything $EVERYTHING/mcp call=get-structured-content call_args={"location":"Chicago"} call2=get-sum call2_args={"a":"{{call1.structured.temperature}}","b":"{{call1.structured.humidity}}"} expect=[CALL].text~=is[[:space:]]118\.$ expect=[CALL1].structured.conditions~=^Light[[:space:]]rain
EOF
mcp-probe -r test -f "$TMP/chain.targets" >"$TMP/chain.out" 2>"$TMP/chain.err"
res() { jq -r --arg s "$1" "select(.type == \"result\" and .slug == \$s) | $2" "$TMP/chain.out"; }
call() { jq -r --arg s "$1" "select(.step == \"call\" and .slug == \$s) | $2" "$TMP/chain.out"; }
is "$(res chain '.state')" healthy "chain: fetch got the id search gave (the fixture refuses any other)"
is "$(call chain '[.detail.calls[].tool] | join(",")') $(call chain '[.detail.calls[].ms | type] | unique | join(",")')" \
    "search,fetch number" "chain: the detail lists each call's tool and time"
is "$(call chain '.detail.expect.passed')" 3 "chain: conditions on the last call and on earlier ones"
is "$(res chain-text '"\(.state) \(.error.code)"')" "broken call_failed" "chain-text: a reference inside a string"
like "$(res chain-text '.error.message')" '^tool fetch returned isError: unknown id xdoc-[0-9a-f]{12}$' \
    "chain-text: ... is replaced by the value's text"
is "$(res chain-missing '"\(.state) \(.error.code) \(.error.message)"')" \
    "broken expect_failed call2 (fetch): {{call1.structured.results[1].id}} has no value" \
    "chain-missing: a reference without a value fails the call step, naming it"
is "$(call chain-missing '[.detail.calls[].tool] | join(",")')" "search,fetch" "chain-missing: the call that failed is listed"
is "$(res chain-cond '"\(.state) \(.error.message)"')" \
    'broken condition [CALL2].structured.healthy<1 failed: got "3"' \
    "chain-cond: a condition on a middle call, judged once all are answered"
is "$(call chain-cond '.detail.calls | length')" 3 "chain-cond: three calls made"
is "$(res everything '.state')" healthy \
    "everything: get-sum took the numbers get-structured-content gave, as numbers"

# --- other servers and eras ----------------------------------------------------------
pcase fastmcp "$FASTMCP_STATELESS/mcp" 0 "healthy - -" -c add -a '{"a":2,"b":3}' -x '[CALL].text==5' \
    -x '[CALL].text>4.5' -x 'has([TOOLS].echo)==true'
pcase fastmcp-no "$FASTMCP_STATELESS/mcp" 1 "broken call expect_failed" -c add -a '{"a":2,"b":3}' -x '[CALL].text!=5'
pcase modern "$MODERN/dual/mcp" 0 "healthy - -" -c echo -a '{"text":"hi"}' -x '[PROTOCOL]==2026-07-28' \
    -x '[CALL].text==hi' -x 'len([TOOLS])==2'
is "$(field modern '.[8].era')" modern "modern: judged in the modern era"
pcase modern-tools "$MODERN/dual/mcp" 1 "broken tools_list expect_failed" -x 'len([TOOLS])>2'
is "$(field modern-tools '.[7] | "\(.status) \(.detail.reason)"')" "skip after_failure" \
    "modern: call skipped after the failure, not as not_configured"

# --- bad conditions: exit 2 before any probe, nothing on stdout --------------------
bad() { # bad NAME WANT-ON-STDERR TARGET-LINE-KEYS
	printf 'ok %s/right/mcp\nx %s/right/mcp %s\n' "$W" "$W" "$3" >"$TMP/bad-$1"
	mcp-probe -r test -f "$TMP/bad-$1" >"$TMP/bad-$1.out" 2>"$TMP/bad-$1.err"
	is "$? $(wc -c <"$TMP/bad-$1.out")" "2 0" "bad $1: exit 2, nothing written"
	like "$(cat "$TMP/bad-$1.err")" "^mcp-probe: $TMP/bad-$1:2: x: $2" "bad $1: the line and the reason"
}
bad no-call 'expect \[CALL\]\.text==x: a condition on a call without call=' 'expect=[CALL].text==x'
bad call3 'expect \[CALL3\]\.text==x: a condition on a call that is not configured' 'call=a expect=[CALL3].text==x'
bad no-op 'expect \[CALL\]\.text: no operator' 'call=a expect=[CALL].text'
bad subject 'expect \[call\]\.text==x: the left side starts with' 'call=a expect=[call].text==x'
bad path 'expect \[CALL\]\.body==x: a call.s path starts with' 'call=a expect=[CALL].body==x'
bad pattern 'expect \[CALL\]\.text~=\(: a bad pattern' 'call=a expect=[CALL].text~=('
bad backref 'expect .*: a pattern with a back-reference' 'call=a expect=[CALL].text~=(a)\1'
bad has 'expect .*: has\(\) is ==true' 'expect=has([TOOLS].x)==1'
bad tools 'expect .*alone is len' 'expect=[TOOLS]==1'
bad chain-gap 'call3 without call2' 'call=a call3=b'
bad chain-args 'call2_args without call2' 'call=a call2_args={}'
bad chain-ref 'call2.s arguments: \{\{call2\.\.\.\}\} is no earlier call' 'call=a call2=b call2_args={"x":"{{call2.text}}"}'
bad chain-path 'call2.s arguments: \{\{call1\.body\}\}' 'call=a call2=b call2_args={"x":"{{call1.body}}"}'
printf 'x %s/right/mcp%s\n' "$W" "$(printf ' expect=[PROTOCOL]!=x%.0s' $(seq 17))" >"$TMP/bad-many"
mcp-probe -r test -f "$TMP/bad-many" >"$TMP/bad-many.out" 2>"$TMP/bad-many.err"
is "$? $(cat "$TMP/bad-many.err")" "2 mcp-probe: $TMP/bad-many:1: expect: more than 16 conditions" \
    "bad: 17 conditions"
printf 'x %s/right/mcp call=a call2=b call2=c\n' "$W" >"$TMP/bad-twice"
mcp-probe -r test -f "$TMP/bad-twice" >/dev/null 2>"$TMP/bad-twice.err"
is "$? $(cat "$TMP/bad-twice.err")" "2 mcp-probe: $TMP/bad-twice:1: call2 given twice" \
    "bad: a key other than expect given twice"
mcp-probe -r test -f "$TMP/ops.targets" -x '[PROTOCOL]!=x' >/dev/null 2>"$TMP/bad-f.err"
is "$?" 2 "-x with -f: a usage error"

# --- the store keeps the code, as any other ------------------------------------------
if start_redis; then
	mcp-aggregate push <"$TMP/wrong.out" 2>"$TMP/push.err"
	is "$? $(mcp-aggregate results wrong | awk '{ print $2, $4, $5, $6 }')" "0 test b call expect_failed" \
	    "push: a failed condition is stored with its step and code"
else
	ok 1 "redis-server did not start"
fi

done_testing
