#!/usr/bin/env bash
# audit-readiness.t - mcp-aggregate audit's readiness and open data (issue 68)
# A registry written as the sync writes it, results pushed through the
# real push with a readiness as mcp-probe --readiness writes one (jq adds
# it to gen-scenario.sh's results), decided by the real verdict (MCP_NOW):
# then the audit's grade distribution, each reason's count (every code of
# lib/ready.c's table, in its order, zeros too), the eras and the public
# censuses' buckets, in the JSON and the text; --dataset's servers.csv
# (read by Python's csv module), servers.jsonl (by jq) and README.md (its
# dictionary names every column), their modes, the formula guard of a
# hostile registry name, a DIR that is not one and a write that fails;
# and mcp-serve's /audit and /audit.json (as a CGI program) of the saved
# audit, a tampered one escaped.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/aggregate-lib.sh
source "$TOP/tests/aggregate-lib.sh"

command -v python3 >/dev/null || skip_all "python3 is not installed"
start_redis
export MCP_SPOOL=$TMP/spool MCP_REDIS=unix://$REDIS_SOCK
rc() { redis-cli -s "$REDIS_SOCK" "$@"; }

# reg SLUG NAME-AS-JSON [STATE [REMOTE [STATUS]]]: one field of mcp:registry:servers.
reg() {
	local state=${3:-probe} url='"https://mcp.example.com/mcp"' remote=${4:-0} reason=null
	[ "$state" = probe ] || reason="\"$state\""
	[ "$state" = local-only ] && { remote=null; url=null; }
	rc hset mcp:registry:servers "$1" \
	    "{\"name\":$2,\"version\":\"1.0.0\",\"remote\":$remote,\"type\":\"streamable-http\",\"url\":$url,\"headers\":[],\"status\":\"${5:-active}\",\"state\":\"$state\",\"reason\":$reason,\"registry\":\"https://registry.modelcontextprotocol.io\",\"updated_at\":\"2026-11-20T10:00:00Z\",\"synced_at\":$T0}" >/dev/null
}

# ready ERAS CODES: stdin's results with a readiness as mcp-probe writes
# one (ERAS and CODES comma separated, either may be empty).
ready() {
	jq -c --arg e "$1" --arg c "$2" 'if .type == "result" then .readiness = {
	    "eras": ($e | split(",")), "checks": {},
	    "reasons": [$c | split(",")[] | {"code": ., "severity": "major"}]} else . end'
}
# err CODE: stdin's results failing with the error code CODE.
err() { jq -c --arg c "$1" 'if .type == "result" then .error = {"code": $c, "message": "HTTP"} else . end'; }

reg io.r.guarded '"io.r/guarded"'
reg io.r.dual '"io.r/dual"'
reg io.r.legacy '"io.r/legacy"'
reg io.r.sse '"io.r/sse"'
reg io.r.walled '"io.r/walled"'
# Two remotes, both graded: the server takes remote 0's (it decided the bucket).
reg io.r.two '"io.r/two"'
reg io.r.two-1 '"io.r/two"' probe 1
# Remote 0 decides the bucket, ungraded: the server takes remote 1's grade.
reg io.r.fall '"io.r/fall"'
reg io.r.fall-1 '"io.r/fall"' probe 1
reg io.r.far '"io.r/far"'
reg io.r.dns '"io.r/dns"'
reg io.r.gone404 '"io.r/gone404"'
reg io.r.err500 '"io.r/err500"'
reg io.r.tools '"io.r/tools"'
reg io.r.vars '"io.r/vars"' needs-configuration
reg io.r.stdio '"io.r/stdio"' local-only
reg io.r.deleted '"io.r/deleted"' probe 0 deleted
# Registry names are anyone's: a formula, quotes, a comma, a line break.
reg io.r.evil '"=HYPERLINK(\"http://evil.example\",\"x\"),\r\n\"ok\""'
reg io.r.evil2 '"@SUM(1+1)"'
reg io.r.quote "\"'=1+1\""
{
	gen -s io.r.guarded -r "$ALL" -n 10 | ready modern,legacy ''
	gen -s io.r.dual -r "$ALL" -n 10 | ready modern,legacy origin_unprotected
	gen -s io.r.legacy -r "$ALL" -n 10 | ready legacy legacy_only,origin_unprotected,deprecated_logging
	gen -s io.r.sse -r "$ALL" -n 10 | ready sse sse_only
	gen -s io.r.walled -r "$ALL" -n 10 -a | ready '' as_iss_unsupported
	gen -s io.r.two -r "$ALL" -n 10 | ready modern ''
	gen -s io.r.two-1 -r "$ALL" -n 10 | ready sse sse_only
	gen -s io.r.fall -r "$ALL" -n 10
	gen -s io.r.fall-1 -r "$FOUR_AP_LAST" -n 10 | ready modern,legacy origin_unprotected
	gen -s io.r.fall-1 -r ap-southeast-1 -n 10 -f connect | ready modern,legacy origin_unprotected
	gen -s io.r.far -r "$FOUR_AP_LAST" -n 10
	gen -s io.r.far -r ap-southeast-1 -n 10 -f connect
	gen -s io.r.dns -r "$ALL" -n 10 -f dns
	gen -s io.r.gone404 -r "$ALL" -n 10 -f http | err http_404
	gen -s io.r.err500 -r "$ALL" -n 10 -f http | err http_5xx
	gen -s io.r.tools -r "$ALL" -n 10 -f tools_list
	gen -s io.r.deleted -r "$ALL" -n 10 | ready sse sse_only
	gen -s io.r.evil -r "$ALL" -n 10
	gen -s io.r.evil2 -r "$ALL" -n 10
	gen -s io.r.quote -r "$ALL" -n 10
} | registry_marks | push 2>"$TMP/push.err"
is "$?:$(cat "$TMP/push.err")" "0:" "push of 10 windows, readiness in the results, exits 0 and is quiet"
run_windows 0 9
is "$(jq -c 'select(.slug == "io.r.dual") | .readiness | [.grade, .eras, [.reasons[].code]]' "$TMP/v.9")" \
    '["C",["modern","legacy"],["origin_unprotected"]]' "the verdict grades io.r.dual C"

AT=$(($(w 9) + 95))
audit() { mcp-aggregate audit --period 10m --at "$AT" "$@"; }
audit --json >"$TMP/a.json" 2>"$TMP/a.err"
is "$?:$(cat "$TMP/a.err")" "0:" "audit --json exits 0 and is quiet"

# --- the grades, the reasons, the eras, the censuses' buckets ------------------
# 17 servers: guarded A, two A (remote 0's: it decided the bucket; remote
# 1 says F), walled B, dual C, fall C (its remote 1's: remote 0, which
# decided, is ungraded), legacy D, sse F; ten ungraded.  A deleted server
# graded F counts nowhere.
is "$(jq -c '.readiness | [.graded, .grades, .percent]' "$TMP/a.json")" \
    '[7,{"A":2,"B":1,"C":2,"D":1,"F":1,"ungraded":10},{"A":11.76,"B":5.88,"C":11.76,"D":5.88,"F":5.88,"ungraded":58.82}]' \
    "the grade distribution, with the percent of the servers"
sed -n 's/^    \[MCP_R_[A-Z_]*\] = {"\([a-z_]*\)".*/\1/p' "$TOP/lib/ready.c" >"$TMP/codes"
ncodes=$(wc -l <"$TMP/codes")
ok "$([ "$ncodes" -ge 19 ]; echo $?)" "lib/ready.c's table read: $ncodes codes"
is "$(jq -r '.readiness.reasons[].code' "$TMP/a.json")" "$(cat "$TMP/codes")" \
    "every reason of the table, in its order"
is "$(jq -c '[.readiness.reasons[] | select(.count > 0) | [.code, .severity, .count, .percent_graded]]' "$TMP/a.json")" \
    '[["sse_only","critical",1,14.29],["legacy_only","major",1,14.29],["origin_unprotected","major",3,42.86],["deprecated_logging","minor",1,14.29],["as_iss_unsupported","minor",1,14.29]]' \
    "each reason's servers, and their percent of those graded"
is "$(jq '[.readiness.reasons[] | select(.count == 0 and .percent_graded == 0)] | length' "$TMP/a.json")" \
    "$((ncodes - 5))" "the others with zeros"
is "$(jq -c '.readiness.eras' "$TMP/a.json")" '{"modern":4,"legacy":4,"sse":1,"modern_ready":4}' \
    "the servers that speak each era, and modern_ready"
is "$(jq -c .census "$TMP/a.json")" \
    '{"probed":15,"buckets":{"healthy":9,"auth-walled":1,"http-not-mcp":1,"malformed":1,"dead":2,"regionally-degraded":1,"unknown":0,"not-probed":2},"percent":{"healthy":60,"auth-walled":6.67,"http-not-mcp":6.67,"malformed":6.67,"dead":13.33,"regionally-degraded":6.67,"unknown":0}}' \
    "the censuses' buckets: a 404 dead, a 5xx HTTP-not-MCP, tools_list malformed; shares of those probed"
is "$(jq -c '[.total, .servers, .remotes, .buckets.healthy.count, .buckets["broken:http"].count, .deleted.count]' "$TMP/a.json")" \
    '[17,17,18,9,2,1]' "the buckets as before"

audit >"$TMP/a.txt" 2>"$TMP/t.err"
is "$?:$(cat "$TMP/t.err")" "0:" "the text audit exits 0 and is quiet"
like "$(grep '^C ' "$TMP/a.txt")" '^C +2 +11\.76%$' "the text: grade, servers, percent"
like "$(grep '^ungraded ' "$TMP/a.txt")" '^ungraded +10 +58\.82%$' "  ungraded"
like "$(grep '^origin_unprotected ' "$TMP/a.txt")" '^origin_unprotected +major +3 +42\.86%$' \
    "  a reason: severity, servers, percent of the graded"
like "$(grep '^dcr_only ' "$TMP/a.txt")" '^dcr_only +minor +0 +0\.00%$' "  one no server has"
like "$(grep '^modern_ready ' "$TMP/a.txt")" '^modern_ready +4$' "  modern_ready"
like "$(grep '^dead ' "$TMP/a.txt")" '^dead +2 +13\.33%$' "  a census bucket"
like "$(grep '^not-probed ' "$TMP/a.txt")" '^not-probed +2 +-$' "  not probed: no share"
like "$(cat "$TMP/a.txt")" 'A server takes the readiness of the remote that decided its bucket, else of its next remote graded\.' \
    "  the rule said"
is "$(grep -n '^BUCKET \|^CENSUS BUCKET \|^READINESS GRADE \|^READINESS REASON \|^ERA SPOKEN \|^REGIONALLY-DEGRADED' "$TMP/a.txt" | cut -d: -f2 | cut -c1-12 | tr '\n' '|')" \
    'BUCKET      |CENSUS BUCKE|READINESS GR|READINESS RE|ERA SPOKEN  |REGIONALLY-D|' \
    "  the tables after the buckets, before the regional remotes"

# --- the open dataset -----------------------------------------------------------
D=$TMP/data
mkdir "$D"
: >"$D/servers.csv"
chmod 600 "$D/servers.csv"
(umask 077 && audit --json --dataset "$D" >"$TMP/d.json" 2>"$TMP/d.err")
is "$?:$(cat "$TMP/d.err")" "0:" "--dataset DIR exits 0 and is quiet"
is "$(jq -c .readiness "$TMP/d.json")" "$(jq -c .readiness "$TMP/a.json")" "  and prints the audit as before"
is "$(ls -A "$D" | tr '\n' ' ')" "README.md servers.csv servers.jsonl " "  three files, no temporary file left"
is "$(cd "$D" && stat -c '%a %n' README.md servers.csv servers.jsonl | tr '\n' ' ')" \
    "644 README.md 644 servers.csv 644 servers.jsonl " "  mode 644 whatever the umask (the file of mode 600 replaced)"
AS_OF=$(jq -r .as_of "$TMP/a.json")
# The CSV by Python's csv module; each cell against the JSON Lines' member.
cat >"$TMP/check.py" <<'PY'
import csv, json, sys
d = sys.argv[1]
raw = open(d + "/servers.csv", "rb").read()
rows = list(csv.reader(open(d + "/servers.csv", newline="", encoding="utf-8")))
lines = [json.loads(l) for l in open(d + "/servers.jsonl", encoding="utf-8")]
out = {"header": rows[0], "rows": len(rows) - 1, "crlf": raw.endswith(b"\r\n") and raw.count(b"\r\n") >= len(rows),
       "formula": [c for r in rows[1:] for c in r if c[:1] in ("=", "+", "-", "@", "\t", "\r")],
       "byslug": {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}}
def want(v):
    if v is None: return ""
    if isinstance(v, list): return ";".join(v)
    if isinstance(v, (int, float)): return json.dumps(v)
    return v
diff = []
for r, j in zip(rows[1:], lines):
    if list(j.keys()) != rows[0]:
        diff.append(["keys", list(j.keys())])
    for k, c in zip(rows[0], r):
        got = c[1:] if c.startswith("'") else c
        if got != want(j[k]):
            diff.append([j["slug"], k, c, j[k]])
out["diff"] = diff
out["same_rows"] = len(lines) == len(rows) - 1
print(json.dumps(out))
PY
python3 "$TMP/check.py" "$D" >"$TMP/csv.json" 2>"$TMP/py.err"
is "$?:$(cat "$TMP/py.err")" "0:" "Python's csv module reads servers.csv"
is "$(jq -c .header "$TMP/csv.json")" \
    '["slug","name","bucket","census","remotes","uptime","grade","eras","reasons","graded_at","as_of"]' \
    "  its header: the columns"
is "$(jq -c '[.rows, .same_rows, .crlf]' "$TMP/csv.json")" '[17,true,true]' \
    "  17 rows, one a server not deleted, as many as servers.jsonl's lines; CRLF after each record (RFC 4180)"
is "$(jq -c .diff "$TMP/csv.json")" '[]' \
    "  every cell says what servers.jsonl's member says (a list joined by ;, null empty, one ' dropped)"
is "$(jq -c '.byslug["io.r.two"] | [.grade, .eras, .reasons, .remotes, .bucket, .census]' "$TMP/csv.json")" \
    '["A","modern","","2","healthy","healthy"]' "  io.r.two: A, of the remote that decided its bucket"
is "$(jq -c '.byslug["io.r.legacy"] | [.grade, .eras, .reasons, .uptime]' "$TMP/csv.json")" \
    '["D","legacy","legacy_only;origin_unprotected;deprecated_logging","100"]' "  a list in one cell, joined by ;"
is "$(jq -c '.byslug["io.r.gone404"] | [.bucket, .census, .grade, .uptime, .as_of]' "$TMP/csv.json")" \
    "[\"broken:http\",\"dead\",\"\",\"0\",\"$AS_OF\"]" "  a 404: broken:http, dead to the censuses; ungraded; as_of"
is "$(jq -c '.formula' "$TMP/csv.json")" '[]' "no cell begins with = + - @, a tab or a CR"
is "$(jq -r '.byslug["io.r.evil"].name' "$TMP/csv.json")" \
    "'=HYPERLINK(\"http://evil.example\",\"x\"),"$'\r\n'"\"ok\"" \
    "  a hostile name: a ' before its =; its quotes, comma and line break read back"
is "$(jq -r '.byslug["io.r.evil2"].name, .byslug["io.r.quote"].name' "$TMP/csv.json" | tr '\n' ' ')" \
    "'@SUM(1+1) ''=1+1 " "  @ first, and ' first: a ' before each"
grep -c $'^"io.r.evil","\'=HYPERLINK(""http://evil.example"",""x""),\r$' "$D/servers.csv" >"$TMP/n"
is "$(cat "$TMP/n")" 1 "  quoted, each quote doubled (RFC 4180)"

j() { jq -c --arg s "$1" "select(.slug == \$s) | $2" "$D/servers.jsonl"; }
is "$(jq -s length "$D/servers.jsonl")" 17 "jq reads servers.jsonl: 17 lines"
is "$(j io.r.fall '[.bucket, .grade, .eras, .reasons, .remotes, .uptime]')" \
    '["healthy","C",["modern","legacy"],["origin_unprotected"],2,100]' \
    "  io.r.fall: healthy by remote 0, graded by remote 1 (remote 0 was not)"
is "$(j io.r.guarded '[.grade, .reasons, .graded_at]')" '["A",[],"2026-11-24T16:09:02Z"]' \
    "  A: no reason, an empty list; when it was checked"
is "$(j io.r.vars '[.census, .remotes, .uptime, .grade, .eras, .reasons, .graded_at]')" \
    '["not-probed",1,null,null,null,null,null]' "  not probed, ungraded: nulls"
is "$(j io.r.stdio '[.bucket, .remotes]')" '["local-only",0]' "  a server of packages only: no remote"
is "$(j io.r.evil .name)" '"=HYPERLINK(\"http://evil.example\",\"x\"),\r\n\"ok\""' "  the hostile name as it is"
is "$(jq -r .slug "$D/servers.jsonl" | grep -c deleted)" 0 "  a deleted server: no row"

R=$D/README.md
missing=
for c in $(jq -r '.header[]' "$TMP/csv.json"); do
	grep -q "^| \`$c\` | " "$R" || missing="$missing $c"
done
is "$missing" "" "README.md's dictionary names every column of servers.csv"
is "$(sed -n '/^## Columns/,/^## Census/p' "$R" | grep -c '^| `[a-z_]*` | [a-z]')" 11 \
    "  and no other: eleven rows, with type and meaning"
like "$(cat "$R")" 'licensed under the Creative Commons Attribution 4\.0 International licence \(CC BY 4\.0, https://creativecommons\.org/licenses/by/4\.0/\)' \
    "  the licence of the data: CC BY 4.0"
like "$(grep '^> ' "$R")" "^> mcp-uptime, $AS_OF\$" "  the attribution: mcp-uptime, as_of"
like "$(cat "$R")" "derived from the official MCP Registry's list of servers \(https://registry\.modelcontextprotocol\.io\) and from the probes of this monitor" \
    "  where the data comes from"
missing=
while read -r c; do grep -q "^| \`$c\` | " "$R" || missing="$missing $c"; done <"$TMP/codes"
is "$missing" "" "  every reason code of the table, with what is wrong"
like "$(cat "$R")" '\| `dead` \| `broken:dns`, `broken:connect`, `broken:tls`; `broken:http` and `broken:initialize` whose latest error is `http_404`' \
    "  the census buckets, each with the audit's it maps"
like "$(cat "$R")" 'begins with `=`, `\+`, `-`, `@`, a tab or a carriage return' "  the formula guard said"

# A second audit replaces the files; a DIR that is not one; a write that fails.
rc hdel mcp:registry:servers io.r.evil2 >/dev/null
audit --dataset "$D" >/dev/null 2>"$TMP/d2.err"
is "$?:$(cat "$TMP/d2.err"):$(jq -s length "$D/servers.jsonl"):$(ls -A "$D" | tr '\n' ' ')" \
    "0::16:README.md servers.csv servers.jsonl " "a second audit replaces the three files"
audit --dataset "$TMP/none" >"$TMP/o" 2>"$TMP/e"
is "$?:$(cat "$TMP/e"):$(wc -c <"$TMP/o")" \
    "2:mcp-aggregate: --dataset $TMP/none: No such file or directory:0" "--dataset of no directory: a usage error, said"
audit --dataset "$R" >"$TMP/o" 2>"$TMP/e"
is "$?:$(cat "$TMP/e")" "2:mcp-aggregate: --dataset $R: Not a directory" "--dataset of a file: likewise"
mkdir -p "$TMP/bad/servers.csv"
audit --json --dataset "$TMP/bad" >"$TMP/o" 2>"$TMP/e"
is "$?:$(cat "$TMP/e")" "1:mcp-aggregate: audit: --dataset $TMP/bad/servers.csv: Is a directory" \
    "a file that cannot be replaced: exit 1, said"
is "$(ls -A "$TMP/bad"):$(jq -r .type "$TMP/o")" "servers.csv:audit" \
    "  no file renamed, no temporary file left; the audit printed"

# --- mcp-serve: /audit.json and /audit ------------------------------------------
cgi() { GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET PATH_INFO=$1 QUERY_STRING='' mcp-serve | sed '1,/^\r\{0,1\}$/d'; }
audit --save --json >"$TMP/s.json"
is "$(cgi /audit.json | jq -c '[.census, .readiness]')" "$(jq -c '[.census, .readiness]' "$TMP/s.json")" \
    "/audit.json: the census and the readiness as saved"
page=$(cgi /audit)
like "$page" '<h2>Readiness for 2026.s clients</h2><p class="sub">7 of 16 servers graded' "/audit: the readiness section"
like "$page" '<tr><td>C</td><td class="num">2</td><td class="num">12\.50%</td></tr>' "  the grades, their share"
like "$page" '<tr><td><code>origin_unprotected</code></td><td>major</td><td class="num">3</td><td class="num">42\.86%</td><td class="what">a request with a foreign Origin is served' \
    "  each reason: servers, share of the graded, what is wrong"
like "$page" '<tr><td><code>dcr_only</code></td><td>minor</td><td class="num">0</td>' "  zeros too"
like "$page" 'Eras spoken: modern 4, legacy 4, sse 1, modern_ready 4\.' "  the eras"
like "$page" '<tr><td>dead</td><td class="num">2</td><td class="num">14\.29%</td></tr>' "  the census buckets"
like "$page" '<tr><td>not-probed</td><td class="num">2</td><td class="num">-</td></tr>' "  not probed, no share"
jq -c '.readiness.reasons[0].code = "<script>alert(1)</script>" | .readiness.grades = {"<b>A":1} |
    .census.buckets = {"<i>x":1} | .readiness.eras = {"<u>e":1}' "$TMP/s.json" >"$TMP/t.json"
rc -x hset mcp:registry:audit last <"$TMP/t.json" >/dev/null
page=$(cgi /audit)
like "$page" '<code>&lt;script&gt;alert\(1\)&lt;/script&gt;</code>' "a tampered saved audit: its words escaped"
unlike "$page" '<script|<b>A|<i>x|<u>e' "  no element of it reaches the page"
done_testing
