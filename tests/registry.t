#!/usr/bin/env bash
# test: long (a minute or so under load: started before the rest)
# registry.t - mcp-aggregate registry sync and targets against tests/fixtures/registry.mjs
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
source "$(dirname "$0")/lib.sh"

start_redis
start_fixture || exit 1
rcli() { redis-cli -s "$REDIS_SOCK" "$@"; }
gen() { node "$TOP/tests/fixtures/registry-gen.mjs" --real "http://localhost:${FIX##*:}/open/mcp,http://localhost:${FIX##*:}/sse/sse" "$@"; }
start_registry() {
	rm -f "$TMP/reg.port"
	node "$TOP/tests/fixtures/registry.mjs" --fixture "$TMP/fix.json" --port-file "$TMP/reg.port" \
	    --log "$TMP/reg.log" 2>"$TMP/reg.err" &
	REG_PID=$!
	bg_pid "$REG_PID"
	wait_file "$TMP/reg.port" || { diag "registry did not start: $(cat "$TMP/reg.err")"; exit 1; }
	REG=http://127.0.0.1:$(cat "$TMP/reg.port")
}
fault() { curl -sf "$REG/_fault?mode=$1" >/dev/null; }
# crawling N: the registry was asked for a page after the first since line
# N of its log (under fault slow, page 2 is held 2 s: the crawl is on).
crawling() { tail -n "+$(($1 + 1))" "$TMP/reg.log" | grep -q 'cursor='; }
field() { rcli hget mcp:registry:servers "$1"; }
jf() { field "$1" | jq -r "$2"; }
dump() { rcli hgetall mcp:registry:servers | paste - - | sort; rcli hgetall mcp:registry:sync | paste - - | sort; }
sync() { mcp-aggregate registry sync "$@" "$REG" 2>"$TMP/err"; }

gen >"$TMP/fix.json"
start_registry

# --- the fixture serves the registry's API ---------------------------------------
is "$(curl -s "$REG/v0.1/servers?search=shape/three" | jq -c '[.servers[].server.name, .metadata.count]')" \
    '["io.github.shape/three",1]' "fixture: search"
is "$(curl -s "$REG/v0.1/servers/io.github.shape%2Fheaders/versions/latest" | jq -r .server.version)" \
    "1.6.0" "fixture: versions/latest, the name URL-encoded"
is "$(curl -s -o /dev/null -w '%{http_code}' "$REG/v0.1/servers?limit=101")" 422 "fixture: limit at most 100 (422, as the registry answers)"
is "$(curl -s "$REG/v0.1/servers" | jq '.servers | length')" 30 "fixture: limit 30 by default"
: >"$TMP/reg.log"

# --- a first sync: a full pass ------------------------------------------------
sync
is "$?" 0 "sync: exit 0"
is "$(tail -1 "$TMP/err")" \
    "mcp-aggregate: registry: 3,038 servers, 3,068 remotes: 3,047 targets, 6 needs configuration, 15 refused, 0 dropped, 0 duplicates; 301 local-only; 5 entries skipped" \
    "sync: the summary line"
is "$(head -n -1 "$TMP/err")" \
    'mcp-aggregate: registry: page 1 entry 34: not an object with a "server" object, skipped
mcp-aggregate: registry: page 1 entry 35: not an object with a "server" object, skipped
mcp-aggregate: registry: page 1 entry 36: server without a name, skipped
mcp-aggregate: registry: page 1 entry 37 "io.github.shape/remotes-string": remotes is not an array, skipped
mcp-aggregate: registry: page 1 entry 38 "io.github.shape/bad-status": status is not active, deprecated or deleted, skipped' \
    "sync: each entry of the wrong shape is named by page and index, and skipped"
grep -c 'limit=100&version=latest' "$TMP/reg.log" >"$TMP/n"
is "$(cat "$TMP/n")" 31 "sync: every page read, 100 a page, following the cursors"
unlike "$(cat "$TMP/reg.log")" "updated_since" "the first sync is a full pass: no updated_since"
is "$(rcli hget mcp:registry:sync entries) $(rcli hget mcp:registry:sync skipped) $(rcli hget mcp:registry:sync servers) $(rcli hget mcp:registry:sync targets)" \
    "3043 5 3038 3047" "mcp:registry:sync: entries, skipped, servers, targets"
is "$(rcli hget mcp:registry:sync base)" "$REG" "mcp:registry:sync: base"
is "$(rcli hget mcp:registry:sync updated_since)" "2026-11-03T03:38:00Z" \
    "mcp:registry:sync: updated_since from the latest updatedAt, less a minute"

# --- the fields -----------------------------------------------------------------
is "$(field io.github.shape.headers)" \
    "{\"name\":\"io.github.shape/headers\",\"version\":\"1.6.0\",\"remote\":0,\"type\":\"streamable-http\",\"url\":\"https://h.example.com/mcp\",\"headers\":[{\"name\":\"X-Fixed\",\"value\":\"fixed-1\"},{\"name\":\"X-Default\",\"value\":\"dflt-2\"},{\"name\":\"X-Region\",\"value\":\"r-eu\"}],\"status\":\"active\",\"state\":\"probe\",\"reason\":null,\"registry\":\"$REG\",\"updated_at\":\"2026-11-01T00:06:00Z\",\"synced_at\":$(rcli hget mcp:registry:sync last_ok).$(jf io.github.shape.headers .synced_at | cut -d. -f2),\"dropped\":0,\"duplicates\":0}" \
    "headers: fixed value, required default, variable filled; the optional ones (a secret among them) left out"
is "$(jf io.github.shape.var-default .url)" "https://acme.example.com/mcp" "a URL variable with a default is filled"
is "$(jf io.github.shape.var-none '[.state,.reason,.url]|@tsv')" \
    $'needs-configuration\tvariable "tenant" has no default\t' "a URL variable without one: needs configuration"
is "$(jf io.github.shape.header-blank '[.state,.reason]|@tsv')" \
    $'needs-configuration\theader "Authorization": a blank or control byte in its value' "a header value with a blank: needs configuration"
is "$(jf io.github.shape.header-inject '[.state,.reason]|@tsv')" \
    $'needs-configuration\theader "X-A": a blank or control byte in its value' "a header value with a newline cannot inject a key"
is "$(jf io.github.hostile.hash-header '[.state,.reason]|@tsv')" \
    $'needs-configuration\theader "X#A": not a field name' "a header name with '#' (a targets line cannot hold it): needs configuration"
is "$(jf io.github.shape.packages '[(.remote|tostring),.state]|@tsv')" $'null\tlocal-only' "packages only: local-only, remote null"
is "$(jf io.github.shape.deprecated .status)" deprecated "deprecated servers are marked"
is "$(jf io.github.shape.three-2 '[.remote,.url]|@tsv')" $'2\thttps://c.example.com/mcp' "a third remote: slug -2"
is "$(jf io.github.shape.three-1 .type)" sse "an sse remote keeps its type"
for s in "hostile.http:plain http URL (sync with --allow-http)" \
    "hostile.userinfo:URL with userinfo" "hostile.loopback:127.0.0.1 is loopback" \
    "hostile.metadata:plain http URL (sync with --allow-http)" "hostile.mapped:::ffff:10.0.0.1 is private" \
    "hostile.decimal:2130706433 is loopback" "hostile.ftp:not an https URL" \
    "hostile.type:remote type neither streamable-http nor sse" \
    "hostile.port:a URL libcurl does not parse" "hostile.nul-host:a URL libcurl does not parse" \
    "hostile.escaped:%31%32%37.0.0.1 is loopback" "hostile.nat64:64:ff9b::7f00:1 is loopback" \
    "hostile.dot:127.0.0.1. is loopback"; do
	is "$(jf "io.github.${s%%:*}" '[.state,.reason]|@tsv')" $'refused\t'"${s#*:}" "refused: ${s%%:*}"
done
is "$(rcli hkeys mcp:registry:servers | grep -c '^io\.github\.collide\.')" 4 "names that collide after slugging: 4 slugs"
is "$(rcli hkeys mcp:registry:servers | grep '^io\.github\.collide\.same' | sort | tr '\n' ' ')" \
    "io.github.collide.same io.github.collide.same-1ea3ee83 " "a collision: cut and given 8 hex of SHA-256"
like "$(rcli hkeys mcp:registry:servers | grep '^io\.github\.odd\.long')" '^io\.github\.odd\.long.{53}-[0-9a-f]{8}$' \
    "a long name: cut to 80 with a hash"
bad=0
while IFS= read -r k; do
	printf '%s' "$k" | grep -Eq '^[a-z0-9._-]{1,80}$' || bad=$((bad + 1))
done < <(rcli hkeys mcp:registry:servers)
is "$bad" 0 "every slug follows the slug rule"
is "$(rcli hvals mcp:registry:servers | jq -c . | wc -l)" "$(rcli hlen mcp:registry:servers)" \
    "every stored value is one JSON line (odd bytes, NUL, newlines included)"
is "$(jf io.github.odd.nul---byte .name)" "io.github.odd/nul"$'\xef\xbf\xbd'"byte" "a NUL in a name is stored as U+FFFD"
is "$(jf io.github.odd.raw---byte .name)" "io.github.odd/raw"$'\xef\xbf\xbd'"byte" "a raw 0xFF in a name is stored as U+FFFD"

# --- a second sync: incremental, slugs stable ----------------------------------
rcli hkeys mcp:registry:servers | sort >"$TMP/slugs1"
: >"$TMP/reg.log"
sync
is "$?" 0 "second sync: exit 0"
like "$(head -1 "$TMP/reg.log")" 'include_deleted=true&updated_since=2026-11-03T03%3A38%3A00Z' \
    "the second sync is incremental: updated_since of the last, deleted included"
rcli hkeys mcp:registry:servers | sort >"$TMP/slugs2"
is "$(diff "$TMP/slugs1" "$TMP/slugs2" && echo same)" same "slugs are stable across syncs"

# --- a day later: deletions ----------------------------------------------------
gen --variant 2 >"$TMP/fix.json"
sync
is "$?" 0 "incremental sync of the day after: exit 0"
is "$(jf io.github.owner7.server-7 .status)" deleted "incremental: a server the registry marks deleted is deleted"
is "$(jf io.github.owner5.server-5 .status)" active "incremental: a server gone from the listing is not noticed yet"
is "$(jf io.github.new.server-0 .state)" probe "incremental: a new server is added"
sync --full
is "$?" 0 "full sync: exit 0"
is "$(jf io.github.owner5.server-5 .status)" deleted "full pass: a server gone from the listing is marked deleted"
is "$(jf io.github.owner5.server-5 .url)" "https://s5.example.com/mcp" "a deleted server keeps its field"
mcp-aggregate targets >"$TMP/t" 2>"$TMP/terr"
is "$?" 0 "targets: exit 0"
unlike "$(cut -d' ' -f1 "$TMP/t")" '^io\.github\.owner(5\.server-5|7\.server-7)$' "targets: deleted servers are not printed"
is "$(wc -l <"$TMP/t")" "$(rcli hvals mcp:registry:servers | jq -s '[.[]|select(.state=="probe" and .status!="deleted")]|length')" \
    "targets: one line per probeable field"
is "$(grep -c $'[\x01-\x08\x0b-\x1f]' "$TMP/t")" 0 "targets: no control byte in any line"
mcp-probe -r test -n -f - <"$TMP/t" >/dev/null 2>"$TMP/perr"
like "$?:$(cat "$TMP/perr")" '^0:mcp-probe: [0-9]+ targets ok$' "targets: mcp-probe takes the whole list (no URL it cannot parse, no header it refuses)"

# --- a failed sync changes nothing ----------------------------------------------
dump >"$TMP/before"
for f in truncate huge repeat; do
	fault "$f"
	sync --full
	is "$?" 1 "fault $f: exit 1"
	dump >"$TMP/after"
	is "$(diff "$TMP/before" "$TMP/after" && echo same)" same "fault $f: the store is unchanged"
	case $f in
	truncate) like "$(cat "$TMP/err")" "page 3: not JSON .*; nothing changed" "fault truncate: said" ;;
	huge) like "$(cat "$TMP/err")" "page 3: page over 4 MiB; nothing changed" "fault huge: said" ;;
	repeat) like "$(cat "$TMP/err")" "page 3: the cursor repeats an earlier one; nothing changed" "fault repeat: said" ;;
	esac
done
fault 429
sync --full
is "$?" 0 "a 429 with Retry-After is survived"
like "$(cat "$TMP/err")" "HTTP status 429: try 1 of 4, again in 1 s" "429: the wait of its Retry-After"
fault 500
sync --full
is "$?" 0 "a 500 is survived"
like "$(cat "$TMP/err")" "HTTP status 500: try 1 of 4, again in 1 s" "500: a backoff"

# --- an empty listing never deletes the fleet ---------------------------------------
dump >"$TMP/before"
fault empty
sync --full
is "$?" 1 "an empty listing: exit 1"
like "$(cat "$TMP/err")" "would delete ([0-9],[0-9]{3}) of \1 servers \(over 20 %\): an empty or cut listing\?; nothing changed \(--force to accept\)" \
    "an empty listing: said"
dump >"$TMP/after"
is "$(diff "$TMP/before" "$TMP/after" && echo same)" same "an empty listing: the store is unchanged"
sync --full --force
is "$?" 0 "an empty listing, --force: exit 0"
is "$(jf io.github.shape.sse .status)" deleted "an empty listing, --force: the servers are deleted"
fault none
sync --full
is "$?:$(jf io.github.shape.sse .status)" 0:active "a full pass after it brings them back"

# --- a deadline on the whole sync -------------------------------------------------
dump >"$TMP/before"
fault throttle
t0=$(date +%s)
sync --full --deadline 5
is "$?" 1 "429 with Retry-After: 60 past --deadline 5: exit 1"
[ $(($(date +%s) - t0)) -lt 5 ]
ok "$?" "429 with Retry-After: 60 past --deadline 5: at once, without the wait"
like "$(cat "$TMP/err")" "page 1: HTTP status 429: a wait of 60 s would pass the deadline \(--deadline 5\); nothing changed" \
    "429 past the deadline: said"
fault slow
sync --full --deadline 1
is "$?" 1 "a page late past --deadline 1: exit 1"
like "$(tail -1 "$TMP/err")" "page 2: .*deadline \(--deadline 1\); nothing changed" "a page late past the deadline: said"
dump >"$TMP/after"
is "$(diff "$TMP/before" "$TMP/after" && echo same)" same "past the deadline: the store is unchanged"
fault none
mcp-aggregate registry sync --deadline 0 "$REG" >/dev/null 2>&1
is "$?" 2 "--deadline 0: exit 2"

# --- targets: --allow-http, overrides, exclusions, shards ------------------------
sync --full --allow-http
is "$?" 0 "sync --allow-http: exit 0"
is "$(jf io.github.hostile.metadata '[.state,.reason]|@tsv')" $'refused\t169.254.169.254 is link-local (cloud metadata)' \
    "--allow-http: the metadata address is still refused"
mcp-aggregate targets >"$TMP/t"
is "$(grep '^io\.github\.real\.everything ' "$TMP/t")" \
    "io.github.real.everything http://localhost:${FIX##*:}/open/mcp guard=public-http origin=registry" "an http target: guard=public-http"
is "$(grep '^io\.github\.shape\.headers ' "$TMP/t")" \
    "io.github.shape.headers https://h.example.com/mcp guard=public origin=registry header=X-Fixed:fixed-1 header=X-Default:dflt-2 header=X-Region:r-eu" \
    "a registry target: guard=public, origin=registry and its headers"
cat >"$TMP/over" <<EOF
# the operator's own
io.github.shape.headers https://h.example.com/mcp token_file=/etc/mcp/h.token
!io.github.shape.sse
mine https://mine.example.org/mcp timeout=10
EOF
mcp-aggregate targets -o "$TMP/over" >"$TMP/t2"
is "$?" 0 "targets -o: exit 0"
is "$(grep '^io\.github\.shape\.headers ' "$TMP/t2")" \
    "io.github.shape.headers https://h.example.com/mcp token_file=/etc/mcp/h.token origin=registry" \
    "an override replaces the registry's target, origin=registry added"
is "$(grep -c '^io\.github\.shape\.sse ' "$TMP/t2")" 0 "!SLUG excludes one"
is "$(tail -1 "$TMP/t2")" "mine https://mine.example.org/mcp timeout=10" "an extra target is printed as it is"
is "$(($(wc -l <"$TMP/t") - $(wc -l <"$TMP/t2")))" 0 "one excluded, one extra"
printf 'Bad https://x.example/mcp\n' >"$TMP/over2"
mcp-aggregate targets -o "$TMP/over2" >"$TMP/out" 2>"$TMP/err"
is "$?" 2 "a bad overrides file: exit 2"
like "$(cat "$TMP/err")" "over2:1: bad slug" "a bad overrides file: its line named"
is "$(wc -c <"$TMP/out")" 0 "a bad overrides file: nothing on stdout"
# A field the probe would refuse (written by hand, not by a sync): one bad
# line would make mcp-probe refuse the whole file, so it is not printed.
rcli hset mcp:registry:servers x.bad '{"status":"active","state":"probe","url":"https://x.example/ a=b"}' \
    x.hdr '{"status":"active","state":"probe","url":"https://x.example/","headers":[{"name":"A=B","value":"v"}]}' \
    x.hash '{"status":"active","state":"probe","url":"https://x.example/","headers":[{"name":"X#A","value":"1"}]}' \
    x.host '{"status":"active","state":"probe","url":"https://x.example/","headers":[{"name":"Host","value":"v"}]}' \
    x.port '{"status":"active","state":"probe","url":"https://example.com:99999/mcp"}' \
    x.nul '{"status":"active","state":"probe","url":"https://ex%00ample.com/mcp"}' >/dev/null
mcp-aggregate targets >"$TMP/t3" 2>"$TMP/err"
is "$?" 0 "a field the probe would refuse: skipped, exit 0 (the fleet keeps its list)"
is "$(sort "$TMP/err")" 'mcp-aggregate: mcp:registry:servers "x.bad": not printed: a slug or URL a targets file cannot hold
mcp-aggregate: mcp:registry:servers "x.hash": not printed: a header a targets file cannot hold
mcp-aggregate: mcp:registry:servers "x.hdr": not printed: a header a targets file cannot hold
mcp-aggregate: mcp:registry:servers "x.host": not printed: header Host: the probe sends it itself
mcp-aggregate: mcp:registry:servers "x.nul": not printed: a URL libcurl does not parse
mcp-aggregate: mcp:registry:servers "x.port": not printed: a URL libcurl does not parse' \
    "a field the probe would refuse: named, with why"
is "$(diff "$TMP/t" "$TMP/t3" && echo same)" same "a field the probe would refuse: the others printed"
mcp-probe -r test -n -f - <"$TMP/t3" >/dev/null 2>"$TMP/perr"
like "$?:$(cat "$TMP/perr")" '^0:mcp-probe: [0-9]+ targets ok$' "a field the probe would refuse: mcp-probe takes what is printed"
rcli hdel mcp:registry:servers x.bad x.hdr x.hash x.host x.port x.nul >/dev/null
mcp-aggregate targets >/dev/full 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "1:mcp-aggregate: write stdout: No space left on device" "targets >/dev/full: said, exit 1"
is "$(mcp-aggregate targets 2>&1 | head -1)" "$(head -1 "$TMP/t")" "targets | head -1: ends quietly"
sort "$TMP/t" >"$TMP/all"
: >"$TMP/union"
for k in 1 2 3; do
	mcp-aggregate targets --shard "$k/3" >"$TMP/s$k"
	cat "$TMP/s$k" >>"$TMP/union"
done
is "$(sort "$TMP/union" | diff - "$TMP/all" && echo same)" same "shards: the union of 3 is all, each once"
is "$(sort "$TMP/union" | uniq -d | wc -l)" 0 "shards: disjoint"
n1=$(wc -l <"$TMP/s1")
[ "$n1" -gt 900 ] && [ "$n1" -lt 1200 ]
ok "$?" "shards: about a third each ($n1 of $(wc -l <"$TMP/all"))"
is "$(mcp-aggregate targets --shard 2/3 | cmp - "$TMP/s2" && echo same)" same "shards: stable"
mcp-aggregate targets --shard 4/3 >/dev/null 2>&1
is "$?" 2 "--shard 4/3: exit 2"

# --- the pipeline: targets | probe | push ---------------------------------------
# The registry's targets are those of the fixture, on localhost: the guard
# refuses them (loopback), unless the runner allows 127.0.0.0/8, as the
# test suite's runner does; then the pipeline as a runner runs it.
pull() { mcp-aggregate targets | grep '^io\.github\.real\.'; }
pull | mcp-probe -r test -f - >"$TMP/probe" 2>/dev/null
is "$?" 1 "guard=public: the probe fails the registry's targets on loopback"
is "$(jq -r 'select(.type == "step" and .step == "connect") | .error.code' "$TMP/probe" | sort -u)" \
    address_refused "guard=public: the connect step refused, address_refused"
pull | mcp-probe -r test --guard-allow 127.0.0.0/8 -f - >"$TMP/probe" 2>"$TMP/perr"
# (sorted: a run takes its targets in an order of its own)
is "$(jq -r 'select(.type == "result") | [.slug,.state,.transport]|@tsv' "$TMP/probe" | sort)" \
    $'io.github.real.everything\thealthy\tstreamable-http\nio.github.real.sse\thealthy\tsse' \
    "the registry's targets probed: healthy, over streamable-http and sse"
mcp-aggregate push <"$TMP/probe" 2>"$TMP/err"
is "$?" 0 "its results pushed"

# --- the audit reads what the sync wrote ------------------------------------------
mcp-aggregate audit --json >"$TMP/audit" 2>"$TMP/err"
is "$(cat "$TMP/err")" "" "audit: every field the sync wrote reads"
is "$(jq -r '[.buckets["needs-configuration"].remotes, .buckets["local-only"].count, .deleted.remotes] | @tsv' "$TMP/audit")" \
    "$(rcli hvals mcp:registry:servers | jq -rs '[([.[] | select(.status != "deleted" and .state == "needs-configuration")] | length), ([.[] | select(.status != "deleted" and .state == "local-only") | .name] | unique | length), ([.[] | select(.status == "deleted" and .state != "local-only")] | length)] | @tsv')" \
    "audit: its remotes needing configuration and deleted, and its servers with packages only, are the sync's"
is "$(jq -r '[.servers, .remotes] | @tsv' "$TMP/audit")" \
    "$(rcli hvals mcp:registry:servers | jq -rs '[([.[] | select(.status != "deleted") | .name] | unique | length), ([.[] | select(.status != "deleted" and .state != "local-only")] | length)] | @tsv')" \
    "audit: its servers are the sync's names, its remotes the sync's remotes"

# --- a Redis Cluster: the two keys in two slots -----------------------------------
if redis-server --version | grep -Eq 'v=(7|[89])\.'; then
	read -ra CP <<<"$(node -e 'const net = require("net"), ss = []; let k = 0;
	    for (let i = 0; i < 6; i++) { const s = net.createServer(); ss.push(s);
	        s.listen(0, "127.0.0.1", () => { if (++k === 6) {
	            console.log(ss.map((x) => x.address().port).join(" ")); ss.forEach((x) => x.close()); } }); }')"
	for i in 0 1 2; do
		mkdir -p "$TMP/c$i"
		redis-server --port "${CP[i]}" --cluster-port "${CP[i + 3]}" --bind 127.0.0.1 \
		    --cluster-enabled yes --cluster-config-file "$TMP/c$i/nodes.conf" --save '' \
		    --appendonly no --dir "$TMP/c$i" --logfile "$TMP/c$i/log" &
		bg_pid $!
	done
	for i in 0 1 2; do wait_for 50 redis-cli -p "${CP[i]}" ping; done
	redis-cli --cluster create "127.0.0.1:${CP[0]}" "127.0.0.1:${CP[1]}" "127.0.0.1:${CP[2]}" \
	    --cluster-yes >"$TMP/create.log" 2>&1
	cok() { for p in "${CP[@]:0:3}"; do redis-cli -p "$p" cluster info | grep -q '^cluster_state:ok' || return 1; done; }
	if wait_for 200 cok; then
		CL=redis-cluster://127.0.0.1:${CP[0]}
		mcp-aggregate registry sync -R "$CL" --allow-http "$REG" 2>"$TMP/err"
		is "$?" 0 "a cluster: sync, exit 0"
		is "$(mcp-aggregate targets -R "$CL" | wc -l)" "$(mcp-aggregate targets | wc -l)" \
		    "a cluster: the same targets as one server"
		is "$(redis-cli -c -p "${CP[0]}" hget mcp:registry:sync servers)" "$(rcli hget mcp:registry:sync servers)" \
		    "a cluster: the sync hash written too"
	else
		ok 0 "# SKIP the cluster did not reach cluster_state:ok"
	fi
else
	diag "redis-server 7 or later is needed for the cluster part: skipped"
fi

# --- two syncs at once: the later write never loses the other's ----------------
fault slow
n=$(wc -l <"$TMP/reg.log")
sync --full &
spid=$!
wait_for 300 crawling "$n"
rcli hset mcp:registry:servers zz.meanwhile '{"name":"zz/meanwhile"}' >/dev/null
wait "$spid"
is "$?" 1 "the hash written during a sync: the sync fails"
like "$(cat "$TMP/err")" "mcp:registry:servers changed during the sync \(another sync\?\); nothing changed" \
    "the hash written during a sync: said"
is "$(field zz.meanwhile)" '{"name":"zz/meanwhile"}' "the hash written during a sync: that write kept"
rcli hdel mcp:registry:servers zz.meanwhile >/dev/null
fault none

# --- a change made during a crawl is asked for again ---------------------------------
# Page 1 is read, then io.github.shape/sse (page 1) and a server of page 4
# change, that one a few seconds later: the next incremental sync still
# asks for the first change.
fault slow
n=$(wc -l <"$TMP/reg.log")
sync --full &
spid=$!
wait_for 300 crawling "$n"
jq -c --arg a "$(date -u +%FT%TZ)" --arg b "$(date -u -d '+5 sec' +%FT%TZ)" '
    def name: try .server.name catch null;
    def upd($t): ._meta["io.modelcontextprotocol.registry/official"].updatedAt = $t;
    .entries |= map(if name == "io.github.shape/sse" then (.server.remotes[0].url = "https://sse2.example.com/sse" | upd($a))
        elif name == "io.github.owner39/server-330" then upd($b) else . end)' "$TMP/fix.json" >"$TMP/fix2.json"
mv "$TMP/fix2.json" "$TMP/fix.json"
wait "$spid"
is "$?" 0 "a change during a crawl: the crawl ends"
fault none
sync
is "$?:$(jf io.github.shape.sse .url)" "0:https://sse2.example.com/sse" \
    "a change on a page already read, while a later page changed later: the next incremental sync sees it"
# An entry from the near future is taken, its time not believed: it would blind incremental syncs.
jq -c --arg f "$(date -u -d '+1 hour' +%FT%TZ)" '.entries += [{server: {name: "io.github.future/soon",
    remotes: [{type: "streamable-http", url: "https://soon.example.com/mcp"}]},
    _meta: {"io.modelcontextprotocol.registry/official": {status: "active", updatedAt: $f}}}]' \
    "$TMP/fix.json" >"$TMP/fix2.json"
mv "$TMP/fix2.json" "$TMP/fix.json"
sync
is "$?" 0 "an updatedAt in the future: exit 0"
like "$(cat "$TMP/err")" '"io.github.future/soon": updatedAt "[0-9T:-]+Z" is in the future: taken, its time not believed' \
    "an updatedAt in the future: said"
is "$(jf io.github.future.soon .url)" "https://soon.example.com/mcp" \
    "an updatedAt in the future: stored (a registry's clock ahead of ours deletes nothing)"
[[ "$(rcli hget mcp:registry:sync updated_since)" < "$(date -u +%FT%TZ)" ]]
ok "$?" "an updatedAt in the future: updated_since stays in the past"

# --- the registry dies mid-crawl --------------------------------------------------
dump >"$TMP/before"
fault die
sync --full
is "$?" 1 "the registry killed mid-crawl: exit 1"
like "$(cat "$TMP/err")" "page 3: Could.*connect.*; nothing changed" "the registry killed mid-crawl: said"
dump >"$TMP/after"
is "$(diff "$TMP/before" "$TMP/after" && echo same)" same "the registry killed mid-crawl: the store is unchanged"

# --- a flood: names grown by U+FFFD, duplicate remotes, the targets grown ------------
# 140 raw 0xFF bytes (each stored as U+FFFD, 3 bytes), 16 copies of one remote,
# and 70 distinct remotes (a server keeps 64).
start_registry # the one before died at page 3
xff=$(printf '__XFF__%.0s' $(seq 140))
jq -c --arg n "io.github.flood/$xff" '.entries += [
    {server: {name: $n, remotes: [range(16) | {type: "streamable-http", url: "https://flood.example.com/mcp"}]}},
    {server: {name: "io.github.flood/five", remotes: [range(5) | {type: "streamable-http", url: "https://f\(.).example.com/mcp"}]}},
    {server: {name: "io.github.flood/seventy", remotes: [range(70) | {type: "sse", url: "https://s\(.).example.com/sse"}]}},
    {server: {name: "io.github.flood/dups", remotes: [{type: "streamable-http", url: "https://d.example.com/mcp"},
        {type: "sse", url: "https://d.example.com/mcp"}, {type: "streamable-http", url: "https://d2.example.com/mcp"}]}}]' \
    "$TMP/fix.json" >"$TMP/fix2.json"
mv "$TMP/fix2.json" "$TMP/fix.json"
sync --full
is "$?" 0 "a flood: exit 0"
rcli hvals mcp:registry:servers | jq -r 'select(.name | startswith("io.github.flood/\ufffd")) | .name' >"$TMP/flood"
is "$(wc -l <"$TMP/flood")" 1 "16 copies of one remote: one field"
is "$(head -1 "$TMP/flood" | tr -d '\n' | wc -c)" 256 "a name grown by U+FFFD: cut to 256 bytes, at a character"
is "$(head -1 "$TMP/flood" | iconv -f UTF-8 -t UTF-8 >/dev/null && echo valid)" valid "a name cut: still UTF-8"
is "$(rcli hkeys mcp:registry:servers | grep -c '^io\.github\.flood\.five')" 5 "5 distinct remotes: each kept"
is "$(rcli hvals mcp:registry:servers | jq -s '[.[] | select(.name == "io.github.flood/seventy")] | [length, ([.[].remote] | max), .[0].dropped] | @text')" \
    '"[64,63,6]"' "70 distinct remotes: the first 64 kept, each field saying 6 dropped"
like "$(cat "$TMP/err")" '"io.github.flood/seventy": 6 of its 70 remotes dropped \(over 64 distinct or 64 KiB\)' \
    "70 distinct remotes: the ones dropped said"
is "$(rcli hget mcp:registry:sync remotes_dropped) $(rcli hget mcp:registry:sync remotes_duplicate)" "6 16" \
    "mcp:registry:sync: the remotes dropped (6) and the duplicates (15 copies, one sse twin) counted"
like "$(tail -1 "$TMP/err")" ' 6 dropped, 16 duplicates; ' "the summary: the remotes dropped and the duplicates"
is "$(rcli hkeys mcp:registry:servers | grep '^io\.github\.flood\.dups' | sort | tr '\n' ' ')" \
    "io.github.flood.dups io.github.flood.dups-2 " "the same URL and headers twice: one field; the next keeps its index"
rcli del mcp:registry:servers mcp:registry:sync >/dev/null
gen --count 100 >"$TMP/fix.json"
sync
is "$?" 0 "a small registry: exit 0"
small=$(rcli hget mcp:registry:sync targets)
gen >"$TMP/fix.json"
dump >"$TMP/before"
sync --full
is "$?" 1 "the targets grown past twice and 1,000 more: exit 1"
like "$(cat "$TMP/err")" "the targets would grow from $small to 3,047 \(over twice and 1,000 more\): a flood\?; nothing changed \(--force to accept\)" \
    "the targets grown too much: said"
dump >"$TMP/after"
is "$(diff "$TMP/before" "$TMP/after" && echo same)" same "the targets grown too much: the store is unchanged"
sync --full --force
is "$?:$(rcli hget mcp:registry:sync targets)" 0:3047 "the targets grown, --force: written"

# --- a listing that stops probing the fleet, by any path (issue 39, item 3) -----------
# Every entry changed now, so that an incremental sync sees it: marked deleted,
# its remotes stripped, its URLs made http (refused), a required secret added
# (needs configuration).  Each would stop probing every target: refused whole.
cp "$TMP/fix.json" "$TMP/fix.plain"
each() { # each FILTER: FILTER applied to every entry of the plain fixture, updated now
	jq -c --arg now "$(date -u +%FT%TZ)" "def f: $1;"'
	    .entries |= map(if type == "object" and (.server | type) == "object" and (._meta | type) == "object"
	        then (f | ._meta["io.modelcontextprotocol.registry/official"].updatedAt = $now) else . end)' \
	    "$TMP/fix.plain" >"$TMP/fix2.json"
	mv "$TMP/fix2.json" "$TMP/fix.json"
}
rem='.server.remotes'
for p in "deleted:._meta[\"io.modelcontextprotocol.registry/official\"].status = \"deleted\":marked deleted by the registry" \
    "stripped:$rem = [] | .server.packages = [{registryType: \"npm\", identifier: \"x\"}]:remotes no longer listed by their server" \
    "refused:$rem |= (. // [] | map(.url |= sub(\"^https://\"; \"http://\"))):refused now" \
    "secret:$rem |= (. // [] | map(.headers = [{name: \"X-Key\", isRequired: true, isSecret: true}])):needing configuration now"; do
	name=${p%%:*} rest=${p#*:}
	why=${rest##*:} filter=${rest%:*}
	dump >"$TMP/before"
	each "$filter"
	sync
	is "$?" 1 "every target $name: exit 1"
	# Stripped, a server's first remote becomes its packages' field (one
	# owner, one slug): local-only now; its other remotes are no longer listed.
	if [ "$name" = stripped ]; then
		re="3,047 of 3,047 targets \(over 20 %\): [0-9,]+ remotes no longer listed by their server, [0-9,]+ local-only now"
	else
		re="([0-9],[0-9]{3}) of 3,047 targets \(over 20 %\): \1 $why"
	fi
	like "$(cat "$TMP/err")" "the sync would stop probing $re: a hostile or cut listing\?; nothing changed \(--force to accept\)" \
	    "every target $name: refused, how many and why said"
	dump >"$TMP/after"
	is "$(diff "$TMP/before" "$TMP/after" && echo same)" same "every target $name: the store is unchanged"
done
sync --force
is "$?:$(rcli hget mcp:registry:sync targets)" 0:0 "every target needing a secret, --force: written, no target left"
cp "$TMP/fix.plain" "$TMP/fix.json"
sync --full
is "$?" 1 "the fleet back at once: the growth guard asks for --force"
sync --full --force
is "$?:$(rcli hget mcp:registry:sync targets)" 0:3047 "the fleet back, --force"
# A few lost, under the guard's share: taken.
jq -c --arg now "$(date -u +%FT%TZ)" '.entries |= map(if (try .server.name catch "") | test("^io\\.github\\.owner1/")
    then (.server.remotes = [] | ._meta["io.modelcontextprotocol.registry/official"].updatedAt = $now) else . end)' \
    "$TMP/fix.plain" >"$TMP/fix.json"
sync
is "$?" 0 "the remotes of one owner stripped (under 20 % of the targets): taken"
is "$(jf io.github.owner1.server-1 '.status + " " + .state')" "active local-only" \
    "one owner stripped: its servers keep their slugs, local-only now (a server's first remote and its packages are one owner)"
cp "$TMP/fix.plain" "$TMP/fix.json"
sync --full
is "$?" 0 "and back"

# --- a flood of bytes (issue 39, item 4) -------------------------------------------------
# Every remote given 11 required headers of 250 bytes: the targets the same,
# each field near its bound, the hash past twice its bytes.
bytes0=$(rcli hget mcp:registry:sync bytes)
jq -c '.entries |= map(if (try .server.remotes catch null) | type == "array" then
    .server.remotes |= map(.headers = [range(11) | {name: "X-F\(.)", value: ("v" * 250), isRequired: true}])
    else . end)' "$TMP/fix.plain" >"$TMP/fix.json"
dump >"$TMP/before"
sync --full
is "$?" 1 "the bytes grown past twice and 1 MiB more: exit 1"
like "$(cat "$TMP/err")" "the store would grow from $(sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$bytes0") to [0-9,]+ bytes \(over twice and 1 MiB more\): a flood\?; nothing changed \(--force to accept\)" \
    "the bytes grown too much: said"
dump >"$TMP/after"
is "$(diff "$TMP/before" "$TMP/after" && echo same)" same "the bytes grown too much: the store is unchanged"
cp "$TMP/fix.plain" "$TMP/fix.json"
# A first sync is not guarded, but bounded: the fields of a crawl pass 32 MiB
# at more than 2 KiB an entry, and it fails.
node "$TOP/tests/fixtures/registry-gen.mjs" --flood-fit 560 >"$TMP/flood.json"
rm -f "$TMP/flood.port"
node "$TOP/tests/fixtures/registry.mjs" --fixture "$TMP/flood.json" --port-file "$TMP/flood.port" --page 60 \
    2>"$TMP/flood.err" &
bg_pid $!
wait_file "$TMP/flood.port" || diag "flood registry did not start: $(cat "$TMP/flood.err")"
mcp-aggregate registry sync -R "unix://$REDIS_SOCK?db=1" "http://127.0.0.1:$(cat "$TMP/flood.port")" 2>"$TMP/err"
is "$?" 1 "a flood of 560 servers of 16 remotes near 4 KB: exit 1"
like "$(tail -1 "$TMP/err")" "page [0-9]+: the fields of this crawl pass 32 MiB at [0-9,]+ bytes an entry \(over 2,048\): a flood\?; nothing changed" \
    "a flood of 560 servers: the crawl stopped at 32 MiB, said"
is "$(rcli -n 1 dbsize)" 0 "a flood of 560 servers: nothing written"
is "$(grep -c 'dropped (over 64 distinct or 64 KiB)' "$TMP/err")" 0 "a flood of 560 servers: each server within its bounds"
# A registry of many thin entries passes 32 MiB (issue 48: 100,000 real
# servers make about 45 MB): 17,600 servers of one field just under 2 KiB.
node "$TOP/tests/fixtures/registry-gen.mjs" --flood-thin 17600 >"$TMP/flood.json"
mcp-aggregate registry sync -R "unix://$REDIS_SOCK?db=1" "http://127.0.0.1:$(cat "$TMP/flood.port")" 2>"$TMP/err"
is "$?" 0 "17,600 thin entries past 32 MiB: exit 0"
is "$(rcli -n 1 hlen mcp:registry:servers) $(($(rcli -n 1 hget mcp:registry:sync bytes) > 32 << 20))" "17600 1" \
    "17,600 thin entries: every one stored, the fields past 32 MiB"
rcli -n 1 flushdb >/dev/null

# --- a full last page: its nextCursor, then an empty page (issue 39, item 13) ----------------
# 201 entries, one of them deleted (left out of a full pass): 200 listed.
jq -c '.entries |= .[:201]' "$TMP/fix.plain" >"$TMP/fix.json"
is "$(curl -s "$REG/v0.1/servers?limit=100&cursor=$(curl -s "$REG/v0.1/servers?limit=100" | jq -r .metadata.nextCursor)" |
    jq -c '[(.servers | length), (.metadata.nextCursor | type)]')" '[100,"string"]' \
    "fixture: a full last page has a nextCursor, as the registry's"
rcli del mcp:registry:servers mcp:registry:sync >/dev/null
: >"$TMP/reg.log"
sync
is "$?" 0 "200 entries, 100 a page: exit 0"
is "$(grep -c 'limit=100&version=latest' "$TMP/reg.log")" 3 "200 entries: two full pages, then the empty one their cursor names"
is "$(rcli hget mcp:registry:sync entries)" 200 "200 entries: every one read"
cp "$TMP/fix.plain" "$TMP/fix.json"

# --- redirects: followed within the origin over https, any other named (issue 39, item 12) ---
certs
printf '{"servers":[{"server":{"name":"io.github.static/one","version":"1.0.0","remotes":[{"type":"streamable-http","url":"https://one.example.com/mcp"}]},"_meta":{"io.modelcontextprotocol.registry/official":{"status":"active","updatedAt":"2026-11-01T00:00:00Z","isLatest":true}}}]}\n' \
    >"$TMP/index.json"
for m in tls plain; do
	tls=()
	[ $m = plain ] || tls=(--tls-cert "$TMP/certs/good.pem" --tls-key "$TMP/certs/good.key")
	rm -f "$TMP/s-$m.port"
	node "$TOP/tests/fixtures/registry.mjs" --static "$TMP/index.json" --port-file "$TMP/s-$m.port" \
	    --log "$TMP/s-$m.log" "${tls[@]}" 2>"$TMP/s-$m.err" &
	bg_pid $!
	wait_file "$TMP/s-$m.port" || diag "static registry did not start: $(cat "$TMP/s-$m.err")"
done
SREG=https://localhost:$(cat "$TMP/s-tls.port")
ssync() { mcp-aggregate registry sync -R "unix://$REDIS_SOCK?db=2" --cacert "$TMP/certs/ca.pem" "$@" 2>"$TMP/err"; }
ssync "$SREG"
is "$?" 0 "a static sub-registry over https: exit 0"
is "$(cut -d'?' -f1 "$TMP/s-tls.log" | tr '\n' ' ')" "/v0.1/servers /v0.1/servers/ " \
    "a static sub-registry: its 301 to /v0.1/servers/ followed, in its origin"
is "$(mcp-aggregate targets -R "unix://$REDIS_SOCK?db=2")" "io.github.static.one https://one.example.com/mcp guard=public origin=registry" \
    "a static sub-registry: its server a target"
curl -sk "$SREG/_fault?mode=redirect-other" >/dev/null
ssync --full "$SREG"
is "$?" 1 "a 301 to another origin: exit 1"
is "$(cat "$TMP/err")" "mcp-aggregate: registry: $SREG: page 1: HTTP status 301 to \"https://registry.invalid/v0.1/servers/\": another origin, not followed; nothing changed" \
    "a 301 to another origin: named, not followed"
curl -sk "$SREG/_fault?mode=redirect-http" >/dev/null
ssync --full "$SREG"
is "$?:$(cat "$TMP/err")" "1:mcp-aggregate: registry: $SREG: page 1: HTTP status 301 to \"http://${SREG#https://}/v0.1/servers/\": not https, not followed; nothing changed" \
    "a 301 to http: named, not followed"
ssync --full "http://127.0.0.1:$(cat "$TMP/s-plain.port")"
is "$?:$(cat "$TMP/err")" "1:mcp-aggregate: registry: http://127.0.0.1:$(cat "$TMP/s-plain.port"): page 1: HTTP status 301 to \"http://127.0.0.1:$(cat "$TMP/s-plain.port")/v0.1/servers/?limit=100&version=latest\": not https, not followed; nothing changed" \
    "a static sub-registry over http: its 301 not followed, named"
is "$(rcli -n 2 hlen mcp:registry:servers)" 1 "the redirects refused: the store as it was"

# --- usage ----------------------------------------------------------------------
mcp-aggregate registry sync ftp://x >/dev/null 2>&1
is "$?" 2 "a registry URL that is not http(s): exit 2"
mcp-aggregate registry >/dev/null 2>&1
is "$?" 2 "registry without sync: exit 2"

done_testing
