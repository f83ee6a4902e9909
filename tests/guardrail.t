#!/usr/bin/env bash
# build: plain (its checks are of the plain build: the sanitizer build skips it)
# guardrail.t - mcp-guardrail against mcp-serve behind nginx and fcgiwrap,
# over a store the real pipeline filled: each state, several slugs, the
# GitHub Actions and GitLab CI outputs, --wait while an upstream recovers
# (the 304s counted in nginx's access log); and against an API written
# here that answers 500, 404, garbage, a hostile text, or never.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/serve-lib.sh
source "$TOP/tests/serve-lib.sh"
case $BIN in
*-san) skip_all "the sanitizer build: mcp-guardrail is bash; the mcp-serve it reads runs under the sanitizers in serve*.t" ;;
esac

[ -x "$BIN/mcp-serve" ] || skip_all "no $BIN/mcp-serve"
for t in nginx fcgiwrap jq curl node; do
	command -v "$t" >/dev/null || command -v "/usr/sbin/$t" >/dev/null || skip_all "$t is not installed"
done
export PATH="$PATH:/usr/sbin"
G=$TOP/scripts/mcp-guardrail

unset GITHUB_ACTIONS GITHUB_STEP_SUMMARY GITHUB_OUTPUT GITLAB_CI MCP_UPTIME_URL MCP_GUARDRAIL_MODE MCP_UPTIME_TOKEN
TS='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'
TOKEN=s3cr3t-t0ken-4711abcd

# guard ARGS...: run mcp-guardrail.  Sets RC, OUT, ERR and MS (its wall
# time); every output is kept for the scan for the token at the end.
guard() {
	local t0
	t0=$(date +%s%N)
	"$G" "$@" >"$TMP/g.out" 2>"$TMP/g.err" </dev/null
	RC=$?
	MS=$((($(date +%s%N) - t0) / 1000000))
	OUT=$(cat "$TMP/g.out")
	ERR=$(cat "$TMP/g.err")
	cat "$TMP/g.out" "$TMP/g.err" >>"$TMP/everything-printed"
}
# lines: slug, state and decision of each final log line of OUT (not the
# lines of --wait), comma-separated.
lines() {
	sed -n '/ decision=wait: /d; s/^mcp-guardrail: [^ ]* slug=\([^ ]*\) state=\([^ ]*\) decision=\([^:]*\): .*/\1 \2 \3/p' <<<"$OUT" | paste -sd, -
}
# api SLUG FIELD: what mcp-serve says, by curl and jq.
api() { curl -s "$U/api/embed-status/$1" | jq -r ".$2"; }
# n304 SLUG: the 304s nginx sent for SLUG's embed status so far.
n304() { grep -c "\"GET /api/embed-status/$1 HTTP/1.1\" 304 " "$ALOG"; }
nget() { grep -c "\"GET /api/embed-status/$1 HTTP/1.1\" " "$ALOG"; }

# recover: red in window 5 (both regions fail at http), still shown down at
# SERVE_NOW (220 s old); window 8 decides it green, with a new ETag.
start_live_api
U=$MCP_UPTIME_URL
ALOG=$MCP_TEST_ACCESS_LOG

# ------------------------------------------------------------ each state
export MCP_UPTIME_URL=$U
while read -r slug want state decision; do
	guard "$slug"
	cp "$TMP/g.out" "$TMP/state.$slug"
	is "$RC|$(lines)|$ERR" "$want|$slug $state $decision|" "$slug: exit $want, state=$state decision=$decision"
	like "$OUT" "^mcp-guardrail: $TS slug=$slug state=$state decision=$decision: " "$slug: the line has the UTC time"
done <<-EOF
	up 0 up pass
	degraded 0 degraded warn
	div 0 degraded warn
	down 1 down block
	recover 1 down block
	fresh 1 pending block
	stale 1 pending block
	gone 1 pending block
	bad 1 pending block
	nosuch 1 not-found block
EOF
like "$(cat "$TMP/state.up")" ': upstream up is up, proceeding$' "up: the article's words, on a pass too"
like "$(cat "$TMP/state.degraded")" "uptime_30d=$(api degraded uptime_30d)%, p95=$(api degraded p95_ms)ms\), proceeding with a warning$" \
    "degraded: the API's uptime and p95 in the line"
like "$(cat "$TMP/state.down")" "is down \(last probe $(api down last_probe_ago) ago\), deploy blocked$" "down: the last probe's age"
like "$(cat "$TMP/state.nosuch")" 'HTTP 404: check the slug' "404: says to check the slug"

guard up degraded down nosuch up fresh
is "$RC|$(lines)" "1|up up pass,degraded degraded warn,down down block,nosuch not-found block,fresh pending block" \
    "several slugs: one line each, in order, a slug named twice asked once; exit 1"
guard up degraded
is "$RC|$(lines)" "0|up up pass,degraded degraded warn" "up and degraded: exit 0"
MCP_UPTIME_URL=http://127.0.0.1:1 guard -u "$U/" up
is "$RC|$(lines)" "0|up up pass" "-u wins over MCP_UPTIME_URL; a trailing / is dropped"
guard --url="$U" --mode=staging down
is "$RC|$(lines)" "1|down down block" "--opt=value; down blocks in staging too"

# ------------------------------------------------------------ usage
while IFS='|' read -r what args; do
	# shellcheck disable=SC2086 # the arguments are words
	guard $args
	is "$RC|$OUT" "2|" "usage: $what: exit 2, nothing on stdout"
	like "$(head -1 <<<"$ERR")|$(tail -2 <<<"$ERR" | tr '\n' '|')" "^mcp-guardrail: .+\|usage: mcp-guardrail .+\|See mcp-guardrail\(1\) for the manual\.\|$" \
	    "usage: $what: a reason, then the usage line and the manual"
done <<-'EOF'
	no slug|-m production
	an upper-case slug|Up
	a slug with a slash|up/../x
	a slug of 81 characters|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
	a bad mode|-m qa up
	timeout 0|-t 0 up
	timeout 5s|-t 5s up
	wait over an hour|-w 61m up
	interval 0|-i 0 up
	interval over 60|-i 61 up
	warn-exit 1|-x 1 up
	warn-exit 126|-x 126 up
	an unknown option|--fast up
	no argument to -u|up -u
	a URL with a password|-u http://user:hunter2@127.0.0.1/ up
	a URL with a query|-u http://127.0.0.1/?x=1 up
	a file: URL|-u file:///etc/passwd up
EOF
unlike "$(cat "$TMP/everything-printed")" hunter2 "usage: a password in the URL is not echoed"
MCP_UPTIME_URL='' guard up
is "$RC" 2 "usage: no URL at all: exit 2"
MCP_GUARDRAIL_MODE=qa guard up
is "$RC" 2 "usage: a bad MCP_GUARDRAIL_MODE: exit 2"
guard -h
is "$RC:$ERR" 0: "-h: exit 0"
if ! command -v mandoc >/dev/null; then
	diag "usage against SYNOPSIS skipped: mandoc is not installed"
else
	u=$(sed '/^See /d' <<<"$OUT" | sed 's/^usage: //' | tr -s ' \n' '  ' | sed 's/^ *//;s/ *$//')
	s=$(MANWIDTH=200 mandoc -Tascii -O width=200 "$TOP/man/mcp-guardrail.1" 2>/dev/null | col -b |
	    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | tr -s ' \n' '  ' | sed 's/^ *//;s/ *$//')
	is "$u" "$s" "usage matches the man page's SYNOPSIS"
fi

# ------------------------------------------------------------ a bad API
cat >"$TMP/fake.mjs" <<'EOF'
// An API that answers what each slug names: a status (sNNN), degraded
// (deg-*), garbage, hostile text, its Authorization echoed, or never.
import http from 'node:http';
import fs from 'node:fs';
const [portFile, logFile] = process.argv.slice(2);
const json = (res, code, body, hdrs = {}) => {
	res.writeHead(code, { 'Content-Type': 'application/json', ...hdrs });
	res.end(typeof body === 'string' ? body : JSON.stringify(body));
};
const server = http.createServer((req, res) => {
	const auth = req.headers.authorization || '';
	fs.appendFileSync(logFile, JSON.stringify({ path: req.url, auth, inm: req.headers['if-none-match'] || null }) + '\n');
	const slug = (/^\/api\/embed-status\/(.*)$/.exec(req.url) || [])[1] || '';
	const tok = auth.replace(/^Bearer /, '');
	if (/^s[0-9]{3}$/.test(slug))
		return json(res, +slug.slice(1), { error: 'upstream exploded\n::error::pwned' });
	if (/^deg-/.test(slug))
		return json(res, 200, { state: 'degraded', uptime_30d: 99.5, p95_ms: 812, last_probe_ago: '1m', as_of: null });
	switch (slug) {
	case 'hang': return; // never answers
	case 'garbage': return json(res, 200, '<html>{"state":"up"');
	case 'array': return json(res, 200, '[{"state":"up"}]');
	case 'two': return json(res, 200, '{"state":"up"} {"state":"down"}');
	case 'empty': return json(res, 200, '');
	case 'nostate': return json(res, 200, { uptime_30d: 99 });
	case 'numstate': return json(res, 200, { state: 1 });
	case 'maint': return json(res, 200, { state: 'maintenance' });
	case 'nulls': return json(res, 200, { state: 'degraded', uptime_30d: null, p95_ms: null, last_probe_ago: null, as_of: null });
	case 'down-null': return json(res, 200, { state: 'down', uptime_30d: null, p95_ms: null, last_probe_ago: null, as_of: null });
	case 'upper': return json(res, 200, { state: 'UP' });
	case 'notag304': res.writeHead(304); return res.end();
	case 'redirect': res.writeHead(302, { Location: '/api/embed-status/elsewhere' }); return res.end();
	case 'big': return json(res, 200, JSON.stringify({ state: 'up', pad: 'x'.repeat(100000) }));
	case 'deep': return json(res, 200, '['.repeat(5000) + ']'.repeat(5000));
	case 'hostile': return json(res, 200, { state: 'up\n::error title=pwned::pwned\n## pwned |' },
		{ ETag: '"x" ::error::pwned' });
	case 'hostile2': return json(res, 200, { state: 'degraded', uptime_30d: '99|\n## pwned',
		p95_ms: '<b>pwned</b>', last_probe_ago: '1m\n::error::pwned%0A' });
	case 'hostile3': return json(res, 200, { state: 'down', last_probe_ago: ['pwned'], uptime_30d: 1e400 });
	case 'hostile4': return json(res, 200, { state: 'pwned` | x |\n\n# pwned' });
	case 'echo': return json(res, 200, { state: tok, error: auth });
	case 'echo-half': return json(res, 200, { state: tok.slice(0, 9) });
	case 'echo-tail': return json(res, 200, { state: 'ok' + tok.slice(-6) });
	}
	json(res, 404, { error: 'not found' });
});
server.listen(0, '127.0.0.1', () => fs.writeFileSync(portFile, String(server.address().port)));
EOF
FLOG=$TMP/fake.log
: >"$FLOG"
node "$TMP/fake.mjs" "$TMP/fake.port" "$FLOG" 2>"$TMP/fake.err" &
bg_pid $!
wait_file "$TMP/fake.port" || diag "the fake API did not start: $(cat "$TMP/fake.err")"
F=http://127.0.0.1:$(cat "$TMP/fake.port")
DEAD=http://127.0.0.1:$(free_port)
export MCP_UPTIME_URL=$F

while read -r what want state decision args; do
	# shellcheck disable=SC2086 # the arguments are words
	guard $args
	slug=${args##* }
	is "$RC|$(lines)" "$want|$slug $state $decision" "$what: exit $want, $state, $decision"
done <<-EOF
	500,_production 3 unavailable block s500
	500,_staging_by_flag 0 unavailable pass-open -m staging s500
	429 3 unavailable block s429
	404_from_another_API 1 not-found block s404
	403 3 invalid block s403
	403,_staging:_not_an_outage 3 invalid block -m staging s403
	302:_redirects_not_followed 3 invalid block redirect
	304_to_a_request_without_a_tag 3 invalid block notag304
	garbage_JSON 3 invalid block garbage
	garbage_JSON,_staging 3 invalid block -m staging garbage
	an_array 3 invalid block array
	two_JSON_values 3 invalid block two
	an_empty_body 3 invalid block empty
	no_state 3 invalid block nostate
	a_number_for_state 3 invalid block numstate
	JSON_5000_deep 3 invalid block deep
	100_KiB_answer 3 invalid block big
	unknown_state_maintenance 1 unrecognised block maint
	state_UP_(case_matters) 1 unrecognised block upper
	refused_connection 3 unavailable block -u $DEAD x
	refused_connection,_staging 0 unavailable pass-open -u $DEAD -m staging x
EOF
grep -q '"path":"/api/embed-status/elsewhere"' "$FLOG"
ok "$((1 - $?))" "302: the redirect is not followed"
MCP_GUARDRAIL_MODE=staging guard s500
is "$RC|$(lines)" "0|s500 unavailable pass-open" "MCP_GUARDRAIL_MODE=staging: 500 passes open"
like "$OUT" 'the API answered HTTP 500, failing open \(staging\), proceeding$' "the line says it failed open"
MCP_GUARDRAIL_MODE=staging guard -m production s500
is "$RC" 3 "-m production wins over MCP_GUARDRAIL_MODE=staging"
guard s500
like "$OUT" 'failing closed \(production\), deploy blocked$' "production is the default: fail closed"
guard maint
like "$OUT" 'does not know \("maintenance"\), deploy blocked' "an unknown state is named when it is a plain word"
guard nulls down-null
is "$RC|$(lines)" "1|nulls degraded warn,down-null down block" "null fields: decided by the state"
like "$OUT" 'nulls is degraded \(uptime_30d=none, p95=none\), proceeding' "null numbers are shown as none"
like "$OUT" 'down-null is down \(no probe known\), deploy blocked' "a null age: no probe known"
guard maint s500
is "$RC" 1 "blocked by a state and by the API: exit 1"
guard s500 garbage
is "$RC" 3 "blocked by the API only: exit 3"
# No answer, in production and in staging at once; while curl waits, no
# command line holds the token.
b=$(grep -c embed-status/hang "$FLOG")
t0=$(date +%s%N)
MCP_UPTIME_TOKEN=$TOKEN "$G" -t 1 hang >"$TMP/hang.out" 2>&1 </dev/null &
p1=$!
"$G" -t 1 -m staging hang >"$TMP/hang-staging.out" 2>&1 </dev/null &
p2=$!
n=0
while [ "$(grep -c embed-status/hang "$FLOG")" -lt $((b + 2)) ] && [ "$n" -lt 50 ]; do sleep 0.05; n=$((n + 1)); done
printf '%s\n' "$TOKEN" >"$TMP/tokpat"
seen=$(grep -l -F -f "$TMP/tokpat" /proc/[0-9]*/cmdline 2>/dev/null)
curls=$(pgrep -f 'embed-status/hang' | wc -l)
wait "$p1"
RC=$?
MS=$((($(date +%s%N) - t0) / 1000000))
OUT=$(cat "$TMP/hang.out")
is "$RC|$(lines)" "3|hang unavailable block" "no answer: exit 3 (production)"
like "$OUT" "did not answer in 1s" "no answer: says so"
ok "$([ "$MS" -lt 3000 ]; echo $?)" "no answer: given up after -t 1 ($MS ms)"
is "$seen" "" "no process's command line holds the token (curl running: $curls)"
wait "$p2"
RC=$?
OUT=$(cat "$TMP/hang-staging.out")
is "$RC|$(lines)" "0|hang unavailable pass-open" "no answer, staging: passes open"
cat "$TMP/hang.out" "$TMP/hang-staging.out" >>"$TMP/everything-printed"

# Hostile answers: nothing the server wrote reaches a workflow command or
# the Markdown summary.
export GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY=$TMP/hostile.md GITHUB_OUTPUT=$TMP/hostile.out
guard hostile hostile2 hostile3 hostile4 s500
is "$RC|$(lines)" "1|hostile unrecognised block,hostile2 degraded warn,hostile3 down block,hostile4 unrecognised block,s500 unavailable block" \
    "hostile answers: classified"
like "$OUT" 'hostile2 is degraded \(uptime_30d=\?, p95=\?\)' "hostile numbers are shown as ?"
like "$OUT" 'hostile3 is down \(\?\)' "a hostile age is shown as ?"
unlike "$OUT$(cat "$GITHUB_STEP_SUMMARY")" 'pwned|<b>' "no hostile text in the log, the annotations or the summary"
bad=$(grep '^::' <<<"$OUT" | grep -Ev '^::(warning|error) title=mcp-guardrail%3A [a-z0-9._-]+ [a-z-]+::[^:]*$')
is "$bad" "" "every workflow command is one of ours, well formed"
is "$(grep -c '^#' "$GITHUB_STEP_SUMMARY"):$(grep -c '^| \[`' "$GITHUB_STEP_SUMMARY")" 1:5 \
    "the summary: one heading, one row per slug"
bad=$(grep '^|' "$GITHUB_STEP_SUMMARY" | awk -F'|' 'NF != 6')
is "$bad" "" "the summary: every row has four cells"
unset GITHUB_ACTIONS GITHUB_STEP_SUMMARY GITHUB_OUTPUT
guard -A /nonexistent up
is "$RC" 2 "-A with no file: exit 2"

# ------------------------------------------------------------ the token
printf '%s\n' "$TOKEN" >"$TMP/token"
chmod 600 "$TMP/token"
: >"$FLOG"
guard -A "$TMP/token" echo echo-half echo-tail
is "$RC|$(lines)|$ERR" "1|echo unrecognised block,echo-half unrecognised block,echo-tail unrecognised block|" \
    "a server that echoes the token as its state: unrecognised"
is "$(jq -r .auth "$FLOG" | sort -u)" "Bearer $TOKEN" "-A FILE: the token is sent as a Bearer token"
MCP_UPTIME_TOKEN=$TOKEN guard -u "$F" echo
is "$(jq -r .auth "$FLOG" | sort -u)" "Bearer $TOKEN" "MCP_UPTIME_TOKEN: sent as a Bearer token"
chmod 644 "$TMP/token"
guard -A "$TMP/token" up
like "$ERR" "warning: .*token: readable by others than its owner" "a token file others can read: a warning"
printf 'not a "token"\n' >"$TMP/badtoken"
chmod 600 "$TMP/badtoken"
guard -A "$TMP/badtoken" up
is "$RC|$ERR" "2|mcp-guardrail: token: not a bearer token (RFC 6750 characters only)" "a bad token: exit 2, not echoed"
GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY=$TMP/tok.md MCP_UPTIME_TOKEN=$TOKEN guard echo echo-half echo-tail
cat "$TMP/tok.md" >>"$TMP/everything-printed"
unset MCP_UPTIME_URL

# ------------------------------------------------------------ GitHub Actions
export GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY=$TMP/summary.md GITHUB_OUTPUT=$TMP/gh.out
: >"$GITHUB_STEP_SUMMARY"
guard -u "$U" up degraded down
is "$RC|$(lines)" "1|up up pass,degraded degraded warn,down down block" "GitHub: the same decisions"
is "$(grep -c '^::' <<<"$OUT")" 2 "GitHub: two annotations, none for up"
like "$OUT" '^::warning title=mcp-guardrail%3A degraded degraded::upstream degraded is degraded \(uptime_30d=[0-9.]+%25, p95=[0-9]+ms\), proceeding with a warning$' \
    "GitHub: a warning for degraded, : in the title as %3A, % in the message as %25"
like "$OUT" '^::error title=mcp-guardrail%3A down down::upstream down is down \(last probe [0-9]+[smhd] ago\), deploy blocked$' \
    "GitHub: an error for down"
like "$(cat "$GITHUB_STEP_SUMMARY")" '^### mcp-guardrail: blocked' "GitHub: the summary's heading says blocked"
like "$(cat "$GITHUB_STEP_SUMMARY")" "^\| \[\`up\`\]\($U/status/up\) \| up \| pass \| upstream up is up, proceeding \|$" \
    "GitHub: a row per slug, linked to its status page"
like "$(cat "$GITHUB_STEP_SUMMARY")" "production: an API failure blocks\); exit status 1\.$" "GitHub: the policy and the exit status"
is "$(cat "$GITHUB_OUTPUT")" "decision=blocked" "GitHub: decision=blocked in GITHUB_OUTPUT"
guard -u "$U" up
is "$(grep -c '^::' <<<"$OUT"):$(grep -c '^### mcp-guardrail: passed$' "$GITHUB_STEP_SUMMARY")" 0:1 \
    "GitHub: a pass has no annotation and is appended to the summary"
mapfile -t many < <(seq -f 'deg-%02g' 11)
guard -u "$F" "${many[@]}"
is "$RC:$(grep -c '^::warning ' <<<"$OUT")" 0:10 "GitHub: 11 warnings make 10 annotations (GitHub shows 10)"
like "$OUT" '^::warning title=mcp-guardrail%3A 2 more upstreams::' "GitHub: the tenth counts the rest"
is "$(tail -1 "$GITHUB_OUTPUT")" "decision=passed-with-warnings" "GitHub: decision=passed-with-warnings"
unset GITHUB_ACTIONS GITHUB_STEP_SUMMARY GITHUB_OUTPUT

# ------------------------------------------------------------ GitLab CI
export GITLAB_CI=true
guard -u "$U" -x 4 -j "$TMP/junit.xml" up degraded
is "$RC|$(lines)" "4|up up pass,degraded degraded warn" "GitLab: -x 4: a pass with a warning exits 4 (allow_failure: exit_codes)"
like "$OUT" $'^\033\\[0;33mWARNING: degraded: upstream degraded is degraded' "GitLab: a yellow WARNING line"
j=$(cat "$TMP/junit.xml")
like "$j" '<testsuite name="mcp-guardrail" tests="2" failures="0" ' "JUnit: two cases, no failure"
like "$j" '<testcase classname="mcp-guardrail" name="degraded"><system-out>warning: upstream degraded' "JUnit: the warning in system-out"
guard -u "$U" -x 4 -j "$TMP/junit.xml" up down
is "$RC" 1 "GitLab: -x does not hide a block"
like "$OUT" $'^\033\\[0;31mERROR: down: upstream down is down' "GitLab: a red ERROR line"
like "$(cat "$TMP/junit.xml")" '<testcase classname="mcp-guardrail" name="down"><failure type="down" message="upstream down is down' \
    "JUnit: a failure for down"
guard -u "$F" -j "$TMP/junit.xml" hostile2 hostile4
unlike "$(cat "$TMP/junit.xml")" 'pwned|<b>' "JUnit: no hostile text"
if command -v xmllint >/dev/null; then
	xmllint --noout "$TMP/junit.xml" 2>&1
	ok $? "JUnit: well-formed XML (xmllint)"
else
	diag "JUnit well-formedness check skipped: xmllint is not installed"
fi
unset GITLAB_CI

# ------------------------------------------------------------ --wait
# down stays down and degraded stays degraded: every poll but the first a
# 304, and the limit decides.
# Two waits of the fake API run meanwhile, in the background:
# guard_bg NAME COMMAND... starts one, guard_fg NAME sets RC, MS, OUT and
# ERR from it.
guard_bg() {
	local name=$1
	shift
	(
		t0=$(date +%s%N)
		"$@" >"$TMP/$name.out" 2>"$TMP/$name.err" </dev/null
		echo $? >"$TMP/$name.rc"
		echo $((($(date +%s%N) - t0) / 1000000)) >"$TMP/$name.ms"
	) &
	BG[$name]=$!
}
guard_fg() {
	wait "${BG[$1]}"
	RC=$(cat "$TMP/$1.rc")
	MS=$(cat "$TMP/$1.ms")
	OUT=$(cat "$TMP/$1.out")
	ERR=$(cat "$TMP/$1.err")
	cat "$TMP/$1.out" "$TMP/$1.err" >>"$TMP/everything-printed"
}
declare -A BG
guard_bg gitlab env GITLAB_CI=true "$G" -u "$F" -w 1 -i 1 deg-01
guard_bg api-wait "$G" -u "$F" -w 1 -i 1 s500
b304=$(n304 down)
bget=$(nget degraded)
guard -u "$U" -w 2 -i 1 down degraded
is "$RC|$(lines)" "1|down down block,degraded degraded warn" "--wait 2: still down at the limit: blocked"
ok "$([ "$MS" -ge 2000 ] && [ "$MS" -lt 5000 ]; echo $?)" "--wait 2 -i 1: waited 2 s ($MS ms)"
polls=$(sed -n 's/.*slug=down .*; \([0-9]*\) polls in .*/\1/p' <<<"$OUT")
same=$(sed -n 's/.*slug=down .* \([0-9]*\) unchanged (304)$/\1/p' <<<"$OUT")
is "$same:$(($(n304 down) - b304))" "$((polls - 1)):$((polls - 1))" \
    "--wait: each poll after the first sends the ETag back and gets a 304 ($polls polls; nginx's log agrees)"
is "$(($(nget degraded) - bget))" "$polls" "--wait: degraded polled as often as down"
is "$(grep -c 'slug=down state=down decision=wait: .*next in [0-9.]*s$' <<<"$OUT")" $((polls - 1)) "--wait: a line for each wait"

# recover is down; it recovers while mcp-guardrail waits (window 8
# decided green through the pipeline), and the next poll sees it.
b304=$(n304 recover)
bup=$(nget up)
"$G" -u "$U" -w 30 -i 1 up recover >"$TMP/wait.out" 2>"$TMP/wait.err" </dev/null &
gp=$!
n=0
while [ "$(($(n304 recover) - b304))" -lt 1 ] && [ "$n" -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
window recover 8 open
t_green=$(date +%s%N)
wait "$gp"
RC=$?
t_end=$(date +%s%N)
OUT=$(cat "$TMP/wait.out")
is "$RC|$(lines)|$(cat "$TMP/wait.err")" "0|up up pass,recover up pass|" "--wait: recover turns up while waiting: passes"
is "$(jq -r .verdict "$TMP/v.recover.8")" green "recover: green in window 8"
like "$OUT" 'slug=recover state=down decision=wait: ' "--wait: it waited while recover was down"
ms=$(((t_end - t_green) / 1000000))
ok "$([ "$ms" -le 2500 ]; echo $?)" "--wait -i 1: the change seen within one poll ($ms ms after the verdict)"
same=$(sed -n 's/.*slug=recover .* \([0-9]*\) unchanged (304)$/\1/p' <<<"$OUT")
is "$same" "$(($(n304 recover) - b304))" "--wait: the 304s it counts are nginx's ($same)"
ok "$([ "$same" -ge 1 ]; echo $?)" "--wait: a 304 before the change"
is "$(($(nget up) - bup))" 1 "--wait: a slug already up is asked once"

guard -u "$F" -w 10 -i 1 -m staging s500
is "$RC|$(lines)" "0|s500 unavailable pass-open" "--wait, staging: a failed API passes open at once"
ok "$([ "$MS" -lt 2000 ]; echo $?)" "--wait, staging: no waiting for the API ($MS ms)"
guard_fg gitlab
like "$OUT" $'^\033\\[0Ksection_start:[0-9]+:mcp_guardrail_wait\\[collapsed=true\\]\r\033\\[0Kmcp-guardrail: waiting' \
    "GitLab: --wait's polls in a collapsed section"
like "$OUT" $'\033\\[0Ksection_end:[0-9]+:mcp_guardrail_wait\r\033\\[0K' "GitLab: the section ends"
guard_fg api-wait
is "$RC|$(lines)" "3|s500 unavailable block" "--wait, production: waits for the API, then blocks"
like "$OUT" '; 2 polls in [12]s, 0 unchanged' "--wait 1, production: the API asked twice, a second apart"
guard -u "$U" -w 1m -i 1 -t 1 nosuch
is "$RC:$(lines)" "1:nosuch not-found block" "--wait: a 404 is not waited for"
ok "$([ "$MS" -lt 2000 ]; echo $?)" "--wait: a 404 ends at once ($MS ms)"

# ------------------------------------------------------------ the end
unlike "$(cat "$TMP/everything-printed")" "$TOKEN|${TOKEN:0:9}|${TOKEN: -6}|4711" "the token never printed, whole or in part"
done_testing
