#!/usr/bin/env bash
# serve-tools.t - the changes of a server's tool list on the read side (issue
# 46), through mcp-serve as a CGI behind nginx and fcgiwrap: the seeds'
# rename (get_data became fetch_data in four regions, eu-west-2 still
# serving the old list) probed into a real store by the real push and
# verdict, the change history (mcp:{SLUG}:tch) and the verdict's
# tools_divergence written as mcp-aggregate writes them; then
# /api/status/SLUG/tools (JSON, caching, 404, 503), the regions' tool_hash,
# the status page's "Tool changes" and the feed's entries, hostile names
# (markup, quotes, U+FFFF, 10 KB) escaped and cut everywhere; and the page
# in headless Chromium (tests/browser/tools.mjs), with its screenshots.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/serve-lib.sh
source "$TOP/tests/serve-lib.sh"
# shellcheck source=tests/aggregate-lib.sh
source "$TOP/tests/aggregate-lib.sh"

[ -x "$BIN/mcp-serve" ] || skip_all "no $BIN/mcp-serve"
export PATH="$PATH:/usr/sbin"
for t in nginx fcgiwrap; do
	command -v "$t" >/dev/null || skip_all "$t is not installed"
done

start_redis
export MCP_SPOOL=$TMP/spool MCP_REDIS=unix://$REDIS_SOCK
SERVE_REDIS_DOWN=unix://$TMP/nobody.sock
export SERVE_NOW=$(($(w 5) + 100))
rc() { redis-cli -s "$REDIS_SOCK" "$@"; }

# The story: every region serves HA; from window 2 four of them serve HB
# (get_data renamed fetch_data), eu-west-2's edge still HA.
{
	gen -s weather -r "$ALL" -n 2 -h "$HA"
	gen -s weather -r "$FOUR_NO_EU" -n 4 -h "$HB" -t "$(w 2)"
	gen -s weather -r eu-west-2 -n 4 -h "$HA" -t "$(w 2)"
} | push 2>/dev/null
run_windows 0 5 weather
is "$(jq -c '[.verdict, .severity, .divergent_regions]' "$TMP/v.5")" '["amber","divergence",["eu-west-2"]]' \
    "the real verdict of window 5: a divergence, eu-west-2 apart"

RENAME='{"class":"breaking","breaking":true,"counts":{"breaking":1,"review":0,"compatible":0},"security":0,"items":[{"class":"breaking","kind":"tool_renamed","tool":"get_data","to":"fetch_data","inferred":true}],"more":0,"text":"get_data renamed fetch_data (inferred: same input schema)"}'
DESC='{"class":"review","breaking":false,"counts":{"breaking":0,"review":1,"compatible":1},"security":1,"items":[{"class":"review","kind":"description_changed","tool":"get_data","security":true},{"class":"compatible","kind":"tool_added","tool":"get_alerts"}],"more":0,"text":"-"}'
FOUR='["ap-southeast-1","sa-east-1","us-east-1","us-west-2"]'
# What i46-store's verdict adds, until the real one writes it: tools_divergence.
jq -c --argjson c "$RENAME" --arg h "$HA" --arg m "$HB" \
    '. + {tools_divergence:[{regions:["eu-west-2"],hash:$h,majority:$m,change:$c}]}' "$TMP/v.5" |
    head -c -1 | rc -x set 'mcp:{weather}:verdict' >/dev/null
# The history: an older change to review, then the rename (newest first when
# read), in place of what the verdict wrote of it (the scenario keeps no list).
rc del 'mcp:{weather}:tch' >/dev/null
rc zadd 'mcp:{weather}:tch' "$(w -600)" \
    "$(jq -nc --argjson c "$DESC" --argjson at "$(w -600)" --arg t "$HA" \
        '{at:$at,last:($at+120),kind:"tools",from:"sha256:9999999999999999999999999999999999999999999999999999999999999999",to:$t,regions:["ap-southeast-1","eu-west-2","sa-east-1","us-east-1","us-west-2"],change:$c}')" \
    "$(w 2)" \
    "$(jq -nc --argjson c "$RENAME" --argjson at "$(w 2)" --arg f "$HA" --arg t "$HB" --argjson r "$FOUR" \
        '{at:$at,last:$at,kind:"tools",from:$f,to:$t,regions:$r,change:$c}')" >/dev/null

# A hostile server: names with markup, quotes, U+FFFF, a newline, 3 KB (the
# store cuts names at 64 bytes; the page cuts them again), and a member of
# 10 KB (more than a change's 2 KiB: not read).
BIG=$(head -c 3072 /dev/zero | tr '\0' 'x')
HUGE=$(head -c 10240 /dev/zero | tr '\0' 'y')
EVILC=$(jq -nc --arg big "$BIG" '{class:"breaking",breaking:true,counts:{breaking:2,review:0,compatible:0},security:0,
  items:[{class:"breaking",kind:"tool_renamed",tool:"<script>alert(1)</script>\"q\u0027\uffff\n",to:$big,inferred:true},
         {class:"breaking",kind:"property_added_required",tool:"a&b",path:"</td><img src=x>"}],more:3,text:"-"}')
rc zadd mcp:slugs "$(w 4)" evil >/dev/null
rc zadd 'mcp:{evil}:tch' "$(w 3)" "$(jq -nc --argjson c "$EVILC" --argjson at "$(w 3)" --arg f "$HA" --arg t "$HB" \
    '{at:$at,last:$at,kind:"tools",from:$f,to:$t,regions:["eu-west-2","<b>x</b>"],change:$c}')" \
    "$(w 4)" 'not json' "$(w 4)" '{"at":1,"kind":"tools","to":"sha256:<script>"}' \
    "$(w 4)" "$(jq -nc --arg h "$HUGE" --arg t "$HB" '{at:1,kind:"tools",to:$t,change:{class:"breaking",items:[{tool:$h}]}}')" >/dev/null

# A divergence whose lists were not kept: said so, and why.
rc zadd mcp:slugs "$(w 4)" blind >/dev/null
jq -c --arg h "$HA" --arg m "$HB" '.slug = "blind" | . + {tools_divergence:[{regions:["eu-west-2"],hash:$h,majority:$m,change:null,change_unknown:"not_kept"}]}' "$TMP/v.5" |
    head -c -1 | rc -x set 'mcp:{blind}:verdict' >/dev/null

# The seeds' story from the probe records: each tools_list step carries its
# list (detail.tools), push keeps it, the verdict diffs it (drift[].change,
# tools_divergence, mcp:{story}:tch).  15:02, get_data renamed fetch_data
# in four regions; eu-west-2's edge serves the old list until 15:47.
LA='[{"name":"forecast","description":"The forecast","inputSchema":{"type":"object","properties":{"city":{"type":"string"}}}},{"name":"get_data","description":"Get the data","inputSchema":{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}}]'
LB=${LA/\"get_data\"/\"fetch_data\"}
# lhash LIST: its tool hash, JCS of the list sorted by name (mcp_tool_hash).
lhash() {
	node -e 'const c = (v) => Array.isArray(v) ? "[" + v.map(c).join(",") + "]" : v && typeof v === "object" ?
	    "{" + Object.keys(v).sort().map((k) => JSON.stringify(k) + ":" + c(v[k])).join(",") + "}" : JSON.stringify(v);
	  const l = JSON.parse(process.argv[1]).sort((a, b) => (a.name < b.name ? -1 : 1));
	  console.log("sha256:" + require("crypto").createHash("sha256").update(c(l)).digest("hex"))' "$1"
}
story=0
if command -v node >/dev/null; then
	SA=$(lhash "$LA") SB=$(lhash "$LB")
	for k in $(seq -60 -11); do
		for r in $ALL; do
			if [ "$k" -ge -58 ] && { [ "$r" != eu-west-2 ] || [ "$k" -ge -13 ]; }; then h=$SB l=$LB; else h=$SA l=$LA; fi
			gen -s story -r "$r" -n 1 -h "$h" -t "$(w "$k")" |
			    jq -c --argjson l "$l" 'if .type == "step" and .step == "tools_list" then .detail.tools = $l else . end'
		done | MCP_NOW=$(($(w "$k") + 3)) mcp-aggregate push 2>>"$TMP/story.err"
		MCP_NOW=$(($(w "$k") + 95)) mcp-aggregate verdict story >>"$TMP/story.v" 2>>"$TMP/story.err"
	done
	# The verdict of before issue 46 (i46-store not merged yet) carries no change.
	jq -se 'map(select(.window == '"$(w -58)"'))[0].tools_divergence | length > 0' "$TMP/story.v" >/dev/null 2>&1 && story=1
fi
if [ "$story" = 1 ]; then
	printf 'route log command %s\n' "$(command -v true)" >"$TMP/story.conf"
	MCP_NOW=$(w -10) mcp-alert -R "$MCP_REDIS" -c "$TMP/story.conf" <"$TMP/story.v" >"$TMP/story.a" 2>>"$TMP/story.err"
	is "$(cat "$TMP/story.err")" "" "the story through push, verdict and mcp-alert: no message"
	is "$(jq -r '"\(.event) \(.kind) \(.summary)"' "$TMP/story.a")" \
	    "trigger tools-changed story: eu-west-2 still serves get_data; the other regions renamed it fetch_data: breaking for agents that call get_data
resolve tools-changed story: tools-changed ended after 45 minutes (15:02–15:47 UTC); every region serves one tool list again." \
	    "from the probe records: one page in words at 15:02, one resolve at 15:47"
else
	diag "the verdict carries no tools_divergence yet (i46-store): the story from the probe records is skipped"
fi

start_nginx_cgi || { ok 1 "nginx and fcgiwrap start"; done_testing; }
U=$NGINX_CGI

# --- /api/status/SLUG/tools -----------------------------------------------
get "$U/api/status/weather/tools"
is "$ST" 200 "/api/status/weather/tools: 200"
is "$(hdr Content-Type):$(hdr Cache-Control):$(hdr Access-Control-Allow-Origin)" \
    "application/json; charset=utf-8:public, max-age=60, stale-while-revalidate=300:*" \
    "JSON, the regions route's caching and CORS"
is "$(hdr ETag)" "" "no ETag, as the regions route"
is "$(jq -c '[.slug, .as_of]' "$RB")" '["weather","2026-11-24T16:05:00Z"]' "slug and as_of"
is "$(jq -c '.regions' "$RB")" \
    "[{\"region\":\"ap-southeast-1\",\"hash\":\"$HB\"},{\"region\":\"eu-west-2\",\"hash\":\"$HA\"},{\"region\":\"sa-east-1\",\"hash\":\"$HB\"},{\"region\":\"us-east-1\",\"hash\":\"$HB\"},{\"region\":\"us-west-2\",\"hash\":\"$HB\"}]" \
    "each region's current list"
is "$(jq -c '.divergence' "$RB")" "[{\"regions\":[\"eu-west-2\"],\"hash\":\"$HA\",\"majority\":\"$HB\",\"change\":$RENAME}]" \
    "the divergence: who serves what, and the change to the majority's list"
is "$(jq -c '[.history[] | [.at, .last, .kind, .from, .to, (.regions | length), .change.class]]' "$RB")" \
    "[[\"2026-11-24T16:02:00Z\",\"2026-11-24T16:02:00Z\",\"tools\",\"$HA\",\"$HB\",4,\"breaking\"],[\"2026-11-24T06:00:00Z\",\"2026-11-24T06:02:00Z\",\"tools\",\"sha256:9999999999999999999999999999999999999999999999999999999999999999\",\"$HA\",5,\"review\"]]" \
    "the history, newest first, times in ISO 8601"
is "$(jq -c '.history[0].change' "$RB")" "$RENAME" "a change's summary as stored"
get -I "$U/api/status/weather/tools"
is "$ST" 200 "HEAD: 200"
get "$U/api/status/nosuch/tools"
is "$ST:$(body)" '404:{"error":"not found"}' "an unknown slug: 404"
get "$U/api/status/BAD/tools"
is "$ST" 404 "a malformed slug: 404"
get -H 'X-Test-Env: down' "$U/api/status/weather/tools"
is "$ST:$(hdr Retry-After)" "503:30" "the store out of reach: 503"

get "$U/api/status/evil/tools"
is "$ST:$(jq -r '.history | length' "$RB")" "200:1" "a hostile history: the members that are not one left out"
is "$(jq -r '.history[0].change.items[0].tool' "$RB")" "$(jq -r '.items[0].tool' <<<"$EVILC")" \
    "a hostile name as JSON: quotes, controls and U+FFFF escaped or kept as text, the same string read back"
is "$(jq -c '.history[0].regions' "$RB")" '["eu-west-2"]' "a region that is not one left out"

get "$U/api/status/blind/tools"
is "$(jq -c '.divergence' "$RB")" "[{\"regions\":[\"eu-west-2\"],\"hash\":\"$HA\",\"majority\":\"$HB\",\"change\":null,\"change_unknown\":\"not_kept\"}]" \
    "a divergence whose lists were not kept: change null, and why"
get "$U/status/blind"
like "$(body)" 'serves another tool list than the other regions; from its list to theirs:</p><ul class="items"><li>What changed is not known \(not_kept\): the lists were not kept.</li></ul>' \
    "the page says so"

if [ "$story" = 1 ]; then
	get "$U/api/status/story/tools"
	is "$(jq -c '[.history[] | [.at, .last, .change.class, .change.items[0].kind, .change.items[0].tool, .change.items[0].to]]' "$RB")" \
	    '[["2026-11-24T15:02:00Z","2026-11-24T15:47:00Z","breaking","tool_renamed","get_data","fetch_data"]]' \
	    "from the probe records: the history the verdict wrote, as the route gives it"
	get "$U/status/story"
	like "$(body)" '<td><span class="cls breaking">breaking</span></td><td><ul class="items"><li><bdi>renamed get_data to fetch_data \(inferred: same schema\): breaking for agents that call get_data</bdi>' \
	    "from the probe records: the page says it"
fi

# --- /api/status/SLUG/regions gains tool_hash -----------------------------
get "$U/api/status/weather/regions"
is "$(jq -r '[.regions[] | "\(.region)=\(.tool_hash)"] | join(" ")' "$RB")" \
    "ap-southeast-1=$HB eu-west-2=$HA sa-east-1=$HB us-east-1=$HB us-west-2=$HB" \
    "/api/status/weather/regions: each region's tool_hash"
is "$(jq -r '[.regions[] | .hash_differs] | join(" ")' "$RB")" "false true false false false" "hash_differs as before"

# --- the status page ------------------------------------------------------
get "$U/status/weather"
page=$(body)
is "$ST" 200 "/status/weather: 200"
like "$page" '<h2>Tool changes</h2>' "the section"
like "$page" '<div class="banner tools" role="note"><p>Regions disagree: <span[^>]*>London \(eu-west-2\)</span> serves another tool list than the other regions; from its list to theirs:</p><ul class="items"><li><bdi>renamed get_data to fetch_data' \
    "which regions serve which list, and what differs"
unlike "$page" 'sha256' "no hash on the page (the JSON has them)"
like "$page" '<time datetime="2026-11-24T16:02:00Z">2026-11-24 16:02 UTC</time></td><td>.*Singapore \(ap-southeast-1\).*</td><td><span class="cls breaking">breaking</span></td><td><ul class="items"><li><bdi>renamed get_data to fetch_data \(inferred: same schema\): breaking for agents that call get_data</bdi> <span class="cls breaking">breaking</span></li></ul>' \
    "the rename: its time, regions, class and words"
like "$page" '<li><bdi>changed the description of get_data \(what the model reads\)</bdi> <span class="cls review">review</span></li><li><bdi>added get_alerts</bdi> <span class="cls compatible">compatible</span></li>' \
    "an older change: each item with its class"
unlike "$page" '<script' "no script element"

get "$U/status/evil"
page=$(body)
is "$ST" 200 "/status/evil: 200"
like "$page" '&lt;script&gt;alert\(1\)&lt;/script&gt;&quot;q&#39;' "markup and quotes of a name escaped"
unlike "$page" '<script|<img|<b>x' "no markup of a server's text reaches the page"
like "$page" $'\xef\xbf\xbd' "U+FFFF replaced (U+FFFD)"
unlike "$page" $'\xef\xbf\xbf' "no U+FFFF in the page"
unlike "$page" "$(printf 'x%.0s' $(seq 65))" "a 3 KB name cut"
unlike "$page" "yyyy" "a member of 10 KB not read"
like "$page" '<li>and 3 more</li>' "the changes past the items counted"

get "$U/status/nosuch"
is "$ST" 404 "an unknown slug's page: 404, as before"

# --- the feed -------------------------------------------------------------
get "$U/status/weather/feed.atom"
is "$ST" 200 "the feed: 200"
feed=$(body)
like "$feed" "<entry><id>urn:mcp-uptime:weather:tools:$(w 2):$HB</id><title>weather: tool list changed \\(breaking\\): renamed get_data to fetch_data \\(inferred: same schema\\): breaking for agents that call get_data</title><updated>2026-11-24T16:02:00Z</updated>" \
    "an entry a change: its id, its title in words"
is "$(grep -o '<entry><id>urn:mcp-uptime:weather:tools:' <<<"$feed" | wc -l)" 2 "one entry per change"
command -v xmllint >/dev/null && {
	get "$U/status/evil/feed.atom"
	ok "$(xmllint --noout "$RB" 2>/dev/null; echo $?)" "the hostile feed is well-formed XML"
}

# --- the page in a browser ------------------------------------------------
CHROMIUM=
for c in /usr/lib/chromium/chromium /usr/bin/chromium; do
	[ -x "$c" ] && CHROMIUM=$c && break
done
if [ -n "$CHROMIUM" ] && [ -d "$TOP/tests/node_modules/puppeteer-core" ]; then
	SHOTS=$BIN/screenshots
	mkdir -p "$SHOTS"
	export CHROMIUM SHOTS BASE=$U SLUG=weather EVIL=evil
	node_rc=none
	while IFS=$'\t' read -r st name detail; do
		case $st in
		ok) ok 0 "browser: $name" ;;
		'not ok')
			ok 1 "browser: $name"
			[ -z "$detail" ] || printf '#   %s\n' "$detail"
			;;
		exit) node_rc=$name ;;
		esac
	done < <(cd "$TOP/tests" && node browser/tools.mjs 2>"$TMP/node.err"; printf 'exit\t%s\n' "$?")
	is "$node_rc" 0 "browser/tools.mjs ran to its end"
	[ "$node_rc" = 0 ] || diag "$(tail -5 "$TMP/node.err")"
	ok "$([ -s "$SHOTS/tools-1280.png" ] && [ -s "$SHOTS/tools-360.png" ]; echo $?)" \
	    "screenshots in $SHOTS/tools-*.png"
else
	diag "no chromium or puppeteer-core: the browser checks are skipped"
fi
done_testing
