#!/usr/bin/env bash
# metrics-shard.t - GET /metrics?shard=K/N behind nginx, as CGI (fcgiwrap) and FastCGI (spawn-fcgi): the N shares hold every series of the whole scrape exactly once, mcp_slugs in share 0 only, each passes promtool check metrics, and a shard that is not one is 400
# The store is filled by the real tools (gen-scenario.sh, mcp-aggregate
# push and verdict): 60 slugs up in two regions, 8 down everywhere, 3
# first probed after the verdict (state and last probe only).
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/aggregate-lib.sh
. "$TOP/tests/aggregate-lib.sh"
# shellcheck source=tests/serve-lib.sh
. "$TOP/tests/serve-lib.sh"

[ -x "$BIN/mcp-serve" ] || skip_all "no $BIN/mcp-serve"
export PATH="$PATH:/usr/sbin"
for t in nginx fcgiwrap spawn-fcgi; do
	command -v "$t" >/dev/null || skip_all "$t is not installed"
done
PROMTOOL=$TOP/deps/prometheus/usr/bin/promtool
[ -x "$PROMTOOL" ] || skip_all "promtool is missing: scripts/deps unpacks it into deps/prometheus"

start_redis
{
	gen -q -s up -N 60 -r eu-west-2,us-east-1
	gen -q -s down -N 8 -r eu-west-2,us-east-1 -f initialize
} | push >"$TMP/push.out" 2>&1
is "$?:$(cat "$TMP/push.out")" "0:" "mcp-aggregate push stores one window of 68 slugs"
run_windows 0 0
gen -q -s new -N 3 -r us-east-1 -t "$(w 1)" | push >"$TMP/push.out" 2>&1
is "$?:$(cat "$TMP/push.out")" "0:" "3 slugs first probed after the verdict"
export SERVE_NOW=$(($(w 0) + 100))
start_nginx_cgi || { ok 1 "nginx and fcgiwrap start"; done_testing; }
start_nginx_fcgi || { ok 1 "nginx and spawn-fcgi start"; done_testing; }

# samples FILE: the sample lines of a Prometheus body, sorted.
samples() { grep -v '^#' "$1" | sort; }

# shares NAME BASE N: the N shares of BASE/metrics; each 200 and clean by
# promtool; their samples together are the whole scrape's, once each.
shares() {
	local name=$1 base=$2 n=$3 k bad='' lint='' slugs=''
	: >"$TMP/union"
	for k in $(seq 0 $((n - 1))); do
		get "$base/metrics?shard=$k/$n"
		[ "$ST|$(hdr Content-Type)" = "200|text/plain; version=0.0.4; charset=utf-8" ] || bad="$bad $k:$ST"
		"$PROMTOOL" check metrics <"$RB" >"$TMP/promtool.out" 2>&1 || lint="$lint $k:$(head -c 200 "$TMP/promtool.out")"
		[ "$(prom_lint)" = ok ] || lint="$lint $k:$(prom_lint)"
		samples "$RB" >>"$TMP/union"
		slugs="$slugs$(grep -c '^mcp_slugs ' "$RB")"
	done
	is "$bad" "" "$name: the $n shares are 200, text 0.0.4"
	is "$lint" "" "$name: promtool check metrics passes on each of the $n shares, HELP and TYPE once a family"
	is "$(sort "$TMP/union" | uniq -d | wc -l):$(sort "$TMP/union" | cmp - "$TMP/$name.all" >/dev/null && echo same)" \
	    "0:same" "$name: the $n shares' samples together are the whole scrape's, each once"
	is "$slugs" "1$(printf '0%.0s' $(seq 2 "$n"))" "$name: mcp_slugs in share 0 only"
}

for srv in cgi fcgi; do
	if [ $srv = cgi ]; then base=$NGINX_CGI; else base=$NGINX_FCGI; fi
	get "$base/metrics"
	is "$ST" 200 "$srv: /metrics, the whole fleet, 200"
	samples "$RB" >"$TMP/$srv.all"
	is "$(grep -c '^mcp_state{' "$TMP/$srv.all"):$(awk '$1 == "mcp_slugs" { print $2 }' "$TMP/$srv.all")" "71:71" \
	    "$srv: /metrics: mcp_state of each of the 71 slugs, mcp_slugs 71"
	is "$(grep -c '^mcp_region_up{' "$TMP/$srv.all")" 136 "$srv: /metrics: a region series for each region of each decided slug"
	get "$base/metrics?shard=0/1"
	is "$ST:$(samples "$RB" | cmp - "$TMP/$srv.all" >/dev/null && echo same)" "200:same" "$srv: shard=0/1 is the whole scrape"
	for n in 2 7; do
		shares "$srv" "$base" "$n"
	done
	# The body goes out in parts (a buffer a family): its length is theirs.
	get "$base/metrics?shard=1/2"
	n=$(wc -c <"$RB")
	is "$(hdr Content-Length)" "$n" "$srv: a share's Content-Length is its body's bytes"
	# curl -I writes the header block where the body would go.
	get -I "$base/metrics?shard=1/2"
	is "$ST:$(hdr Content-Length):$(grep -c '^mcp_\|^# ' "$RB")" "200:$n:0" \
	    "$srv: HEAD of a share: the GET's Content-Length, no body"
done

# A slug's share is FNV-1a of its bytes modulo N, as mcp-serve(8) tells an
# operator to find it: 32-bit FNV-1a in bash, on a few slugs.
fnv() {
	local s=$1 h=2166136261 i
	for ((i = 0; i < ${#s}; i++)); do
		h=$(((h ^ $(printf %d "'${s:i:1}")) * 16777619 & 0xffffffff))
	done
	echo "$h"
}
wrong=''
for s in up-00001 up-00042 down-00003 new-00002; do
	get "$NGINX_FCGI/metrics?shard=$(($(fnv "$s") % 7))/7"
	grep -q "^mcp_state{slug=\"$s\"}" "$RB" || wrong="$wrong $s"
done
is "$wrong" "" "a slug's share of 7 is FNV-1a of its name modulo 7"

for q in shard=7/7 shard=1 shard=x/2 shard=0/0 shard=0/1025 shard= shard=1/2/3 shard=-1/2 shard=00001/2 "shard=0%2F2%00"; do
	get "$NGINX_CGI/metrics?$q"
	is "$ST:$(cat "$RB")" '400:{"error":"bad query"}' "?$q: 400, bad query"
done
get "$NGINX_FCGI/metrics?shard=1024/1024"
is "$ST" 400 "FastCGI: ?shard=1024/1024: 400"
get "$NGINX_FCGI/metrics?shard=1023/1024"
is "$ST:$(grep -c '^mcp_slugs ' "$RB")" "200:0" "FastCGI: ?shard=1023/1024, the last of the most shares: 200, no mcp_slugs"
done_testing
