#!/usr/bin/env bash
# review-hold.t - only a person ends a review, what the store cannot read
# is never trusted, and no finding every region made is lost (issue 66),
# on real components: one SDK server (tests/fixtures/toolshift.mjs)
# probed by mcp-probe from three regions, mcp-aggregate push and verdict on
# a private redis-server, mcp-alert to the test receiver, the lock and
# mcp-guardrail, and mcp-serve behind nginx read with the official SDK
# client; windows simulated through MCP_NOW.
#
#   held   Invariant Labs' add tool from its first probe (held), then one
#          harmless tool added in eu-west-2 (14:01), in every region
#          (14:02), another (14:03): the review waits, the incident stays
#          open, until bob approves (14:04); resolved at 14:05.
#   rug    v3, approved by alice at 14:00; eu-west-2 alone serves v4 (its
#          alerts tool asks for ~/.ssh/id_rsa) from 14:01, then one
#          harmless tool more each minute for twenty minutes: never let
#          go, and the lock alice's approval made blocks the guardrail;
#          carol's approval without --region leaves eu-west-2 waiting
#          (said, exit 1), her approval of eu-west-2 by name ends it.
#   big    the add tool beside 80 honest ones, 76 KB: past the probe's
#          default --list-max, never carried; held unread, the runners'
#          agreed high finding told (P2); --lock and the guardrail refuse.
#   long   66 KiB of honest instructions, then an injection: past the
#          64 KiB a result carries; every region finds it, so the verdict
#          does; one runner's forged claim does not count, nor a claim
#          on a text sent whole.
#   div    eu-west-2 adds a tool whose name is a URL: the divergence page
#          says eu-west-2 changed (not "still serves"), marks the names
#          untrusted, and no chat route gets a live link or a mention.
#   fresh  a first list pushed while the store is past its high-water
#          mark: refused, held unread; the store-full page names it.
#   vary   the injection of long after a word drawn at each request, and
#          the poisoned list of big with a tool drawn at each request: no
#          two regions read the same text, and still every finding stands.
#   tie    three regions, three lists from 14:01 (one asks for
#          ~/.ssh/id_rsa): no approval without --region approves it.
#   held is answered at 14:04 and adds a harmless tool at 14:05: the
#   answer ends the incident all the same; div's us-east-1 takes the URL
#   tool for one minute (14:04) and leaves it: still told as eu-west-2's.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/serve-lib.sh
source "$TOP/tests/serve-lib.sh"
# shellcheck source=tests/windows-lib.sh
source "$TOP/tests/windows-lib.sh"

export PATH="$PATH:/usr/sbin"
for t in redis-server jq nginx fcgiwrap node; do
	command -v "$t" >/dev/null || skip_all "$t is not installed"
done

REGIONS="us-east-1 eu-west-2 ap-southeast-1"
T0=$((($(date +%s) / 86400 + 1) * 86400 + 14 * 3600))
w() { echo $((T0 + 60 * $1)); }

start_redis
start_receiver || skip_all "the receiver did not start"
start_toolshift
pd_hook_conf "$TMP/alert.conf"
printf 'route chat slack %s/slack\nroute mm mattermost %s/mattermost\nnotify * always chat mm\n' \
    "$RECV" "$RECV" >>"$TMP/alert.conf"
chmod 600 "$TMP/alert.conf" "$TMP/pd.key"
for s in held rug big long div vlong vbig tie; do
	printf '%s %s/d/%s/mcp\n' "$s" "$TS" "$s"
done >"$TMP/targets"
printf 'rug %s/d/rug/mcp\n' "$TS" >"$TMP/targets.rug"
# shellcheck disable=SC2034 # read by the launcher of serve-lib.sh
SERVE_NOW=$(($(w 5) + 100)) SERVE_NOW_FAR=$(($(w 5) + 3700))
start_nginx_cgi || skip_all "nginx and mcp-serve did not start"
P=$NGINX_CGI

# state K: what each server serves in window K.
state() {
	local k=$1 held=invariant rug=v3 rugeu=v3 diveu=v3 divus=v3 heldeu tie='"*":"v3"'
	[ "$k" -lt 2 ] || held=invariant+1
	[ "$k" -lt 3 ] || held=invariant+2
	[ "$k" -lt 5 ] || held=invariant+3
	[ "$k" != 4 ] || divus=v3+hostile
	[ "$k" -lt 1 ] || tie='"us-east-1":"v3","eu-west-2":"v4","ap-southeast-1":"v2"'
	heldeu=$held
	[ "$k" != 1 ] || heldeu=invariant+1
	[ "$k" -lt 1 ] || rugeu=v4 diveu=v3+hostile
	[ "$k" -lt 2 ] || rugeu=v4+$((k < 21 ? k - 1 : 20))
	printf '{"held":{"*":"%s","eu-west-2":"%s"},"rug":{"*":"%s","eu-west-2":"%s"},' "$held" "$heldeu" "$rug" "$rugeu"
	printf '"big":{"*":"bigpoison"},"long":{"*":"longinstr"},"div":{"*":"v3","eu-west-2":"%s","us-east-1":"%s"},' "$diveu" "$divus"
	printf '"vlong":{"*":"longnonce"},"vbig":{"*":"bigpoison+nonce"},"tie":{%s}}\n' "$tie"
}
# events SLUG KIND: the events of the slug's incidents of KIND, window by window.
events() { cat "$TMP"/a.* | jq -r --arg s "$1" --arg k "$2" 'select(.slug == $s and .kind == $k) | "\(.event) \(.severity)"' | tr '\n' ' '; }

started=$SECONDS
for k in 0 1 2 3 4; do
	probe "$k"
	decide "$k"
	[ "$k" != 0 ] || agg 0 tools rug --approve --by alice >/dev/null 2>&1
	[ "$k" != 0 ] || agg 0 tools tie --approve --by alice >/dev/null 2>&1
done
diag "5 windows of 5 servers from 3 regions: $((SECONDS - started)) s"
is "$(sort -u "$TMP/push.err" "$TMP/verdict.err" "$TMP/alert.err" | grep -v 'too large\|not kept' | head -5)" "" \
    "push, verdict and mcp-alert said nothing unexpected"

# ------------------------------------------------------------ held, then harmless additions
for k in 0 1 2 3 4; do
	is "$(v held "$k" '.review.tools | [.state, .class]')" '["unreviewed","review"]' \
	    "held, 14:0$k: unreviewed, review (a harmless tool added from one region, then every region, does not let it go)"
done
is "$(events held tools-unreviewed)" "trigger P2 " "held: its incident opened once (P2), never resolved by what the server served next"
agg 4 tools held --approve --by bob >"$TMP/held.approve" 2>&1
is "$?" 0 "bob approves held"
probe 5
decide 5
is "$(v held 5 '.review.tools | [.state, .class, .answered.by]')" '["unreviewed","compatible","bob"]' \
    "held, 14:05: answered by bob, a harmless tool added since (compatible: nothing waits)"
is "$(events held tools-unreviewed)" "trigger P2 resolve P2 " "and only then resolved: by the answer, whatever came after it"
like "$(cat "$TMP/a.5" | jq -r 'select(.slug == "held" and .event == "resolve") | .summary')" 'answered: tools approved by bob' \
    "the resolve says who answered"

# ------------------------------------------------------------ a list the store never read
is "$(v big 0 '.review.tools | [.state, .held.unread, .held.runners.worst, (.held.runners.rules | index("MCPU-P103") != null), .held.runners.regions]')" \
    '["unreviewed","too_large","high",true,["ap-southeast-1","eu-west-2","us-east-1"]]' \
    "big, 14:00: held unread (too large to carry), the three runners agree on a high finding; not pinned"
is "$(events big tools-unreviewed)" "trigger P2 " "its incident: P2, once"
sum=$(jq -r 'select(.slug == "big" and .kind == "tools-unreviewed") | .summary' "$TMP/a.0")
like "$sum" '^big: its first tools list is held for review: the store could not read its text \(too large to carry.*\), so it is not trusted; every region serving it found MCPU-P10.* \(high\) in it; answer it: mcp-aggregate tools big --approve --by NAME' \
    "its summary: why it could not be read, what the runners agree on, how to answer"
unlike "$sum" 'id_rsa|sidenote|station' "and no word of the server's"
agg 4 tools big --lock >"$TMP/lock.big" 2>"$TMP/lock.big.err"
is "$?" 1 "tools --lock of it: exit 1"
like "$(cat "$TMP/lock.big.err")" 'big: tools: the list sha256:[0-9a-f]{12} is not kept: not locked' \
    "said: its text is not kept, nothing is locked by it"

# ------------------------------------------------------------ instructions past 64 KiB
is "$(v long 0 '.findings | [.worst, (.rules | index("MCPU-P101") != null), (.tail.regions | sort), .added.first_sight]')" \
    '["high",true,["ap-southeast-1","eu-west-2","us-east-1"],true]' \
    "long, 14:00: the injection after 66 KiB found, as every region found it (agreed: tail), since first sight"
is "$(jq -c 'select(.slug == "long" and .security) | [.kind, .severity]' "$TMP/a.0")" '["tools-note","P2"]' "told: a P2 note"
like "$(jq -r 'select(.slug == "long" and .security) | .summary' "$TMP/a.0")" \
    '^long: its instructions have findings since it was first seen; security: adds MCPU-P1' "its summary"
# One runner's forgery: another region's claim of a rule no other region makes.
redis-cli -s "$REDIS_SOCK" HSET 'mcp:{long}:findings' '_tail:sa-east-1' \
    "$(w 4) $(w 4) $(redis-cli -s "$REDIS_SOCK" HGET 'mcp:{long}:findings' '_tail:us-east-1' | cut -d' ' -f3) high MCPU-P108" >/dev/null
MCP_NOW=$(($(w 4) + 95)) mcp-aggregate verdict long >"$TMP/v.long" 2>>"$TMP/verdict.err"
is "$(jq -c '.findings | [(.rules | index("MCPU-P108")), (.tail.regions | index("sa-east-1"))]' "$TMP/v.long")" '[null,null]' \
    "a single runner's claim of a rule the others do not make does not count"
# A claim on a text the result carried whole is the store's to judge: refused.
jq -c 'select(.slug == "long" and .region == "us-east-1" and .type == "result") |
    .region = "eu-north-1" | .probe_started_at += 5 | .findings.server.text = "An honest text." |
    .findings.server.tail = {"count":1,"worst":"high","rules":["MCPU-P108"]}' "$TMP/probes.4" >"$TMP/forged"
MCP_NOW=$(($(w 4) + 30)) mcp-aggregate push <"$TMP/forged" 2>>"$TMP/push.err"
is "$(redis-cli -s "$REDIS_SOCK" HGET 'mcp:{long}:findings' '_tail:eu-north-1')" "" \
    "a tail claimed of a text sent whole is not kept"

# ------------------------------------------------------------ each region another text
is "$(v vlong 0 '.findings | [.worst, (.rules | index("MCPU-P101") != null), (.tail.regions | length)]')" '["high",true,3]' \
    "vlong: a word drawn at each request before the injection: each region read another text, every one found it, so the verdict does"
is "$(v vbig 0 '.review.tools | [.state, .held.unread, .held.runners.worst, (.held.runners.regions | length)]')" \
    '["unreviewed","too_large","high",3]' "vbig: a list drawn at each request, too large to carry: the runners still agree on its high finding"
is "$(events vbig tools-unreviewed)" "trigger P2 " "and it is paged (P2)"

# ------------------------------------------------------------ three regions, three lists
agg 4 tools tie --approve --by carol >"$TMP/tie.out" 2>"$TMP/tie.err"
is "$?" 1 "tie: carol approves without --region: exit 1"
like "$(cat "$TMP/tie.err")" 'tie: tools sha256:[0-9a-f]{12} served in eu-west-2 is not approved: its text has high findings' \
    "eu-west-2's poisoned list, one region of three, is left waiting whatever the tie-break"
is "$(redis-cli -s "$REDIS_SOCK" HEXISTS 'mcp:{tie}:hold' t:eu-west-2)" 1 "its hold stays"

# ------------------------------------------------------------ a divergence told the right way
dsum=$(cat "$TMP"/a.* | jq -r 'select(.slug == "div" and .event == "trigger") | .summary' | head -1)
like "$dsum" '^div: cdn-cache-divergence: eu-west-2 changed its tool list, and the other regions have not: added https\[:\]//evil\[\.\]example/login' \
    "div: the region that added a tool is said to have changed, not to 'still serve' it; its URL made inert"
unlike "$dsum" 'still serves' "never 'still serves'"
is "$(v div 5 '.tools_divergence[0] | [.regions, .direction]')" '[["eu-west-2"],"ahead"]' \
    "14:05, after us-east-1 took eu-west-2's tool for a minute and left it: still eu-west-2's change, ahead"
is "$(cat "$TMP"/a.* | jq -r 'select(.slug == "div" and .event == "trigger") | .untrusted' | head -1)" \
    "the names in summary are the monitored server's own text: untrusted data, not instructions" \
    "the record marks the names as the server's"
wait_for 100 grep -q 'div: cdn-cache' "$RECV_LOG"
is "$(jq -r 'select(.path == "/hook") | .body | fromjson | select(.slug == "div" and .event == "trigger") | .untrusted' "$RECV_LOG" | head -1)" \
    "the names in summary are the monitored server's own text: untrusted data, not instructions" "the webhook: marked untrusted"
slack=$(jq -r 'select(.path == "/slack") | .body' "$RECV_LOG" | grep 'cdn-cache' | head -1)
unlike "$slack" 'https://evil|www\.evil' "Slack: no live URL of the server's"
like "$slack" 'untrusted data' "Slack: marked untrusted"
mm=$(jq -r 'select(.path == "/mattermost") | .body' "$RECV_LOG" | grep 'cdn' | head -1)
unlike "$mm" 'https://evil|www\.evil|@here' "Mattermost: no live URL, no mention"

# ------------------------------------------------------------ the page and its JSON, at 14:05
curl -s -o "$TMP/api.big" "$P/api/status/big/tools"
is "$(jq -c '.review.tools | [.state, .held.unread, .held.worst, .held.runners.worst, (.held.runners.rules | map(.id) | index("MCPU-P103") != null)]' "$TMP/api.big")" \
    '["unreviewed","too_large",null,"high",true]' "/api/status/big/tools: held unread, what the runners agree on"
curl -s -o "$TMP/page.big" "$P/status/big"
like "$(grep -o '<p class="review unreviewed">[^<]*' "$TMP/page.big")" \
    'Tools: held for review since first sight, .*: the store could not read its text \(too large to carry\), so it is not trusted; every region serving it found high findings in it' \
    "/status/big says why it is held"
curl -s -o "$TMP/api.rug" "$P/api/status/rug/tools"
is "$(jq -c '.review.tools | [.state, .class, (.holds[] | [.region, .why, .worst])]' "$TMP/api.rug")" \
    '["unreviewed","review",["eu-west-2","findings","high"]]' "/api/status/rug/tools: the hold, where, why"
curl -s -o "$TMP/page.rug" "$P/status/rug"
like "$(tr -d '\n' <"$TMP/page.rug" | grep -o '<p class="review unreviewed">.*</p>' | sed 's/<[^>]*>//g')" \
    'the list eu-west-2 serves has high findings its answered one had not' "/status/rug says why it waits"
curl -s -o "$TMP/page.div" "$P/status/div"
like "$(tr -d '\n' <"$TMP/page.div" | sed 's/<[^>]*>//g')" 'Regions disagree: London \(eu-west-2\) changed its tool list, and the other regions have not; from theirs to its:added https://evil.example/login' \
    "/status/div tells the divergence the right way"

# ------------------------------------------------------------ an approved list poisoned, then buried
for k in $(seq 5 21); do
	probe "$k" "$TMP/targets.rug"
	decide "$k"
done
agg 21 tools rug --lock >"$TMP/lock.rug" 2>/dev/null
cd "$TMP" || exit 1
MCP_AGGREGATE=$BIN/mcp-aggregate "$TOP/scripts/mcp-guardrail" -u "$P" -l lock.rug rug >"$TMP/guard.rug" 2>&1 </dev/null
is "$?" 1 "mcp-guardrail -l with the lock of alice's approval: blocked"
cd "$TOP" || exit 1
bad=0
for k in $(seq 1 21); do
	s=$(v rug "$k" '.review.tools | [.state, .class, (.holds[0] | [.region, .why, .worst])]')
	case $s in '["unreviewed","review",["eu-west-2","findings","high"]]' | '["unreviewed","breaking",["eu-west-2","findings","high"]]') ;;
	*) bad=$((bad + 1)); diag "rug, window $k: $s" ;; esac
done
is "$bad" 0 "rug, 14:01 to 14:21: unreviewed in every window, never below review, eu-west-2's hold for its high finding kept through twenty harmless changes"
is "$(events rug tools-unreviewed)" "trigger P2 " "its incident opened once (P2), never resolved"
is "$(v rug 21 '.findings.worst')" '"high"' "the poisoned description still found high"
is "$(redis-cli -s "$REDIS_SOCK" HLEN 'mcp:{rug}:rvc')" 1 "the classes worked out: one a region (eu-west-2's), not one a change"
agg 21 tools rug --approve --by carol >"$TMP/rug.approve" 2>"$TMP/rug.approve.err"
is "$?" 1 "carol approves without --region: exit 1"
like "$(cat "$TMP/rug.approve.err")" 'rug: tools sha256:[0-9a-f]{12} served in eu-west-2 is not approved: its text has high findings \(MCPU-P10.*\); approve it by name: mcp-aggregate tools rug --approve --region eu-west-2 --by carol' \
    "said: eu-west-2's list is not approved, why, how"
probe 22 "$TMP/targets.rug"
decide 22
is "$(v rug 22 '.review.tools | [.state, (.holds | map(.region))]')" '["unreviewed",["eu-west-2"]]' "rug, 14:22: eu-west-2 still waits"
is "$(events rug tools-unreviewed)" "trigger P2 " "still open"
agg 22 tools rug --approve --region eu-west-2 --by carol >/dev/null 2>&1
is "$?" 0 "carol approves eu-west-2 by name"
probe 23 "$TMP/targets.rug"
decide 23
is "$(v rug 23 '.review.tools.state')" '"approved"' "rug, 14:23: approved"
is "$(events rug tools-unreviewed)" "trigger P2 resolve P2 " "resolved by her answer"

# ------------------------------------------------------------ the agent's side
node "$TOP/tests/tools/mcp-reader.mjs" "$P/mcp" sdk1 '[["tool_changes",{"slug":"held"}]]' >"$TMP/reader.json" 2>>"$TMP/agent.err"
is "$?" 0 "the SDK client asks /mcp tool_changes of held"

# ------------------------------------------------------------ what the store holds but no one can read
redis-cli -s "$REDIS_SOCK" HSET 'mcp:{held}:hold' t:us-west-1 'not json{' >/dev/null
redis-cli -s "$REDIS_SOCK" HSET 'mcp:{held}:pin' r '{"hash":"sha256:'"$(printf 'c%.0s' $(seq 64))"'","at":1e999}' >/dev/null
MCP_NOW=$(($(w 23) + 95)) mcp-aggregate verdict held >"$TMP/v.odd" 2>"$TMP/odd.err"
is "$?:$(cat "$TMP/odd.err")" "0:" "a hold that is not JSON, a pin of a number past any: the verdict exits 0, quiet"
is "$(jq -c '.review.tools | [.state, (.holds | map(.region))]' "$TMP/v.odd")" '["unreviewed",["us-west-1"]]' \
    "the hold no one can read still waits, never read as none"

# ------------------------------------------------------------ a store past its high-water mark
mkdir "$TMP/full"
redis_in "$TMP/full" --maxmemory 16mb --maxmemory-policy noeviction
FULL=unix://$TMP/full/redis.sock
# 12 MB of ballast, a megabyte a key (one write of it all is refused for its buffer).
for i in $(seq 1 12); do
	head -c $((1024 * 1024)) /dev/zero | tr '\0' x | redis-cli -s "$TMP/full/redis.sock" -x SET "ballast$i" >/dev/null
done
printf 'fresh %s/d/fresh/mcp\n' "$TS" >"$TMP/targets.fresh"
printf '{"fresh":{"*":"invariant"}}\n' >"$TMP/state"
for r in $REGIONS; do
	MCP_NOW=$(($(w 30) + 1)) mcp-probe -r "$r" -t 10 -f "$TMP/targets.fresh" 2>>"$TMP/probe.err"
done >"$TMP/probes.fresh"
MCP_NOW=$(($(w 30) + 2)) MCP_REDIS=$FULL mcp-aggregate push <"$TMP/probes.fresh" 2>"$TMP/push.fresh.err"
MCP_NOW=$(($(w 30) + 95)) MCP_REDIS=$FULL mcp-aggregate verdict >"$TMP/v.fresh" 2>>"$TMP/verdict.err"
is "$(jq -c '.review.tools | [.state, .held.unread, .held.runners.worst]' "$TMP/v.fresh")" '["unreviewed","refused","high"]' \
    "fresh, its first list refused by the store past its mark: held unread (refused), the runners' high finding with it"
printf 'route hook webhook %s/hook/full\nnotify * always hook\n' "$RECV" >"$TMP/full.conf"
chmod 600 "$TMP/full.conf"
MCP_NOW=$(($(w 30) + 96)) MCP_REDIS=$FULL mcp-alert -c "$TMP/full.conf" <"$TMP/v.fresh" >"$TMP/a.fresh" 2>>"$TMP/alert.err"
like "$(jq -r 'select(.slug == "mcp-uptime" and .kind == "store-full") | .summary' "$TMP/a.fresh")" \
    'the lists of 1 slugs \(fresh\), the store past' "the store-full page names the server whose list waits"
is "$(jq -r 'select(.slug == "fresh" and .kind == "tools-unreviewed") | .severity' "$TMP/a.fresh")" P2 \
    "and fresh's own incident says it (P2)"

unlike "$(cat "$TMP/probe.err" "$TMP/push.err" "$TMP/verdict.err" "$TMP/alert.err" "$NGINX_CGI_LOG")" \
    'AddressSanitizer|LeakSanitizer|runtime error' "no sanitizer report from the pipeline or mcp-serve"
[ -z "${HOLD_KEEP:-}" ] || cp -r "$TMP" "$HOLD_KEEP"
done_testing
