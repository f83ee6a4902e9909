#!/usr/bin/env bash
# serve.sh BUILD_DIR - mcp-serve behind real web servers, beside the floors of CGI and FastCGI
# A private redis-server on a unix socket holds BENCH_SLUGS (100,000) slugs,
# filled by the real tools: probe results of one window (2 to 5 regions a
# slug; some slugs failing in one region, some in all) through
# mcp-aggregate push, then mcp-aggregate verdict.  Then, with wrk
# (-t2 -c50, BENCH_DURATION 5s a run), each pair run BENCH_REPS (3) times
# interleaved, floor then mcp-serve, medians printed with the raw runs:
#   CGI behind nginx + fcgiwrap -c 4: GET /api/embed-status/SLUG, 200 and
#   304, beside a trivial CGI program (tests/bench/cgi_floor.c: libc only,
#   a fixed 100-byte JSON body), and the 200 beside the same program
#   linked static-pie that does one Redis GET first (no target: what is
#   left of the gap when the store's round trip is in the floor too); the
#   200 behind lighttpd mod_cgi as well, unless BENCH_LIGHTTPD=0;
#   FastCGI behind nginx + spawn-fcgi -F 2: the 200 and the 304, beside a
#   trivial libfcgi responder that does one Redis GET a request
#   (tests/bench/fcgi_floor.c);
# then the fleet (the issue's goal: each answer within 1 s at 100,000):
# GET /metrics over every slug, and its BENCH_SHARDS (4) shares
# (?shard=K/N: each share's time, every series once across them, promtool
# check metrics on each when deps/ has promtool), median of
# BENCH_METRICS_RUNS (5) curl runs, with the responders' and Redis's CPU
# a scrape; with BENCH_BEFORE=DIR, DIR/mcp-serve's /metrics in the same
# run; pages of 100 of /api/status and /status, the first and the middle
# one, and a status page, beside the same pages of a second store of
# BENCH_SMALL (1,000) slugs (a page's cost must not grow with the fleet);
# and where one exec's time goes
# outside any web server (tests/bench/spawn.c): each floor, then
# mcp-serve one step at a time, its shared libraries and relocations, and
# the store's connections, round trips and commands a request (strace and
# redis INFO; strace is optional).  mcp-serve's clock
# is MCP_NOW, pinned just after the verdict's window, so its answers (and
# ETag) stay the same for the whole run.  BENCH_SERVE names another binary
# to measure in place of BUILD_DIR/mcp-serve.  Figures only; exits non-zero
# when a tool is missing or an answer is not what the bench expects.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
set -euo pipefail
export LC_ALL=C
PATH=$PATH:/usr/sbin:/sbin

[ $# = 1 ] || { echo "usage: serve.sh BUILD_DIR" >&2; exit 2; }
BIN=$(cd "$1" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
SERVE=${BENCH_SERVE:-$BIN/mcp-serve}
SLUGS=${BENCH_SLUGS:-100000}
SHARDS=${BENCH_SHARDS:-4}
SMALL=${BENCH_SMALL:-1000}
PRUNS=${BENCH_PAGE_RUNS:-10}
BEFORE=${BENCH_BEFORE:-}
[ -z "$BEFORE" ] || BEFORE=$(cd "$BEFORE" && pwd)
[ -z "$BEFORE" ] || [ -x "$BEFORE/mcp-serve" ] || { echo "serve.sh: $BEFORE/mcp-serve is not built" >&2; exit 1; }
PROMTOOL=$TOP/deps/prometheus/usr/bin/promtool
DUR=${BENCH_DURATION:-5s}
REPS=${BENCH_REPS:-3}
MRUNS=${BENCH_METRICS_RUNS:-5}
LIGHTTPD=${BENCH_LIGHTTPD:-1}
REGIONS=us-east-1,us-west-2,eu-west-2,ap-southeast-1,sa-east-1
SLUG=bench-00002 # a healthy slug with 4 regions

missing=()
tools=(nginx fcgiwrap spawn-fcgi wrk redis-server redis-cli curl cc pkg-config setsid)
[ "$LIGHTTPD" = 0 ] || tools+=(lighttpd)
for t in "${tools[@]}"; do command -v "$t" >/dev/null || missing+=("$t"); done
[ -e /usr/include/fcgiapp.h ] || missing+=(libfcgi-dev)
if [ ${#missing[@]} -gt 0 ]; then
	echo "serve.sh: missing: ${missing[*]} (scripts/deps --bench installs them)" >&2
	exit 1
fi
for f in "$SERVE" "$BIN/mcp-aggregate"; do
	[ -x "$f" ] || { echo "serve.sh: $f is not built" >&2; exit 1; }
done
SERVE=$(cd "$(dirname "$SERVE")" && pwd)/$(basename "$SERVE")

TMP=$(mktemp -d "${TMPDIR:-/tmp}/mcp-bench-serve.XXXXXX")
# nginx's workers run as nobody when it is started as root: they must reach
# the sockets in here.
chmod 755 "$TMP"
redis_pid='' small_pid='' nginx_pid='' lighttpd_pid='' fcgiwrap_pid=''
cleanup() {
	local p
	for p in $nginx_pid $lighttpd_pid; do kill "$p" 2>/dev/null || true; done
	# fcgiwrap's children outlive it: it leads its own process group.
	[ -z "$fcgiwrap_pid" ] || kill -- "-$fcgiwrap_pid" 2>/dev/null || true
	# spawn-fcgi has exited; its children are nobody's: their pids are in
	# its pid files, the last line of each without a newline.
	for p in $(awk 1 "$TMP"/*.pids 2>/dev/null); do kill "$p" 2>/dev/null || true; done
	for p in $nginx_pid $lighttpd_pid $fcgiwrap_pid; do wait "$p" 2>/dev/null || true; done
	for p in $(awk 1 "$TMP"/*.pids 2>/dev/null); do
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
	done
	for p in $redis_pid $small_pid; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
die() { echo "serve.sh: $*" >&2; exit 1; }
# wait_for TEST...: until TEST succeeds, 10 s at most.
wait_for() {
	for _ in $(seq 200); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done
	die "timed out waiting for: $*"
}
# free_port VAR: a TCP port on 127.0.0.1 that nothing listens on and that
# was not handed out before, into VAR; below the ephemeral range, where a
# busy machine's client sockets (a probe benchmark's) would take it first.
ports=' '
read -r eph _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || eph=32768
[ "$eph" -gt 12000 ] || eph=32768
free_port() {
	local p
	while :; do
		p=$((10000 + RANDOM % (eph - 10000)))
		case $ports in *" $p "*) continue ;; esac
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			ports+="$p "
			printf -v "$1" %s "$p"
			return
		fi
	done
}

# --- the floors -----------------------------------------------------------------
cc -O2 -o "$BIN/cgi_floor" "$TOP/tests/bench/cgi_floor.c"
cc -O2 -o "$BIN/spawn" "$TOP/tests/bench/spawn.c"
cc -O2 -o "$BIN/timed" "$TOP/tests/bench/timed.c"
# The trivial CGI linked static-pie as mcp-serve is, and so with one Redis
# GET first: the breakdown's steps (ld's warning about getaddrinfo, which
# it does not call, is left out).
cc -O2 -static-pie -o "$BIN/cgi_floor_static" "$TOP/tests/bench/cgi_floor.c"
# shellcheck disable=SC2046 # pkg-config's words
cc -O2 -static-pie -DFLOOR_REDIS $(pkg-config --cflags hiredis) -o "$BIN/cgi_floor_redis" \
    "$TOP/tests/bench/cgi_floor.c" -lhiredis 2>"$TMP/cc.err" ||
    { cat "$TMP/cc.err" >&2; die "the static-pie floor with hiredis does not build"; }
# shellcheck disable=SC2046 # pkg-config's words
cc -O2 $(pkg-config --cflags hiredis) -o "$BIN/fcgi_floor" "$TOP/tests/bench/fcgi_floor.c" \
    -lfcgi -lhiredis

# --- the store: real probe results through mcp-aggregate --------------------------
SOCK=$TMP/redis.sock
redis-server --port 0 --unixsocket "$SOCK" --unixsocketperm 700 --save '' --appendonly no \
    --dir "$TMP" --daemonize no --logfile "$TMP/redis.log" &
redis_pid=$!
wait_for redis-cli -s "$SOCK" ping
export MCP_REDIS=unix://$SOCK
# The latest window complete by the real clock (W + 95), pinned as the
# clock of every tool from here on.
W=$(( ($(date +%s) - 95) / 60 * 60 ))
NOW=$((W + 100))
gen=$TOP/tests/gen-scenario.sh
# fill SOCK N: N slugs into the Redis of SOCK, decided at NOW; the line
# that says how long it took.
fill() {
	local sock=$1 slugs=$2 nbad ngood t0 t gen_s push_s verdict_s nres n
	nbad=$((slugs / 20))
	ngood=$((slugs - 2 * nbad))
	[ "$ngood" -ge 2 ] || die "$slugs slugs are too few"
	t0=$(now)
	{
		# bench-N: healthy, reported by the first 2 + N % 4 regions.
		"$gen" -q -s bench -N "$ngood" -r "$REGIONS" -t "$W" -m 50 -J 800 |
		    awk -v regs="$REGIONS" 'BEGIN { n = split(regs, r, ","); for (i = 1; i <= n; i++) idx[r[i]] = i }
			{ match($0, /"slug":"bench-[0-9]+"/); s = substr($0, RSTART + 14, RLENGTH - 15) + 0
			  match($0, /"region":"[^"]*"/); g = substr($0, RSTART + 10, RLENGTH - 11)
			  if (idx[g] <= 2 + s % 4) print }'
		# flaky-N: one region fails tools_list (amber); down-N: every region
		# fails initialize (red).
		"$gen" -q -s flaky -N "$nbad" -r eu-west-2 -t "$W" -f tools_list
		"$gen" -q -s flaky -N "$nbad" -r us-east-1,us-west-2,ap-southeast-1,sa-east-1 -t "$W" -m 50 -J 800
		"$gen" -q -s down -N "$nbad" -r "$REGIONS" -t "$W" -f initialize
	} >"$TMP/probe"
	gen_s=$(secs "$t0")
	nres=$(wc -l <"$TMP/probe")
	t=$(now)
	MCP_REDIS=unix://$sock MCP_NOW=$((W + 61)) "$BIN/mcp-aggregate" push <"$TMP/probe"
	push_s=$(secs "$t")
	t=$(now)
	MCP_REDIS=unix://$sock MCP_NOW=$NOW "$BIN/mcp-aggregate" verdict >"$TMP/verdicts"
	verdict_s=$(secs "$t")
	rm -f "$TMP/probe"
	n=$(redis-cli -s "$sock" zcard mcp:slugs)
	[ "$n" = "$slugs" ] || die "the store holds $n slugs, not $slugs"
	[ "$(wc -l <"$TMP/verdicts")" = "$slugs" ] || die "mcp-aggregate verdict decided $(wc -l <"$TMP/verdicts") slugs"
	printf 'store: %d slugs (%d results of one window, 2-5 regions a slug) in %s s: generated %s s, mcp-aggregate push %s s, verdict %s s\n' \
	    "$slugs" "$nres" "$(secs "$t0")" "$gen_s" "$push_s" "$verdict_s"
}
fill "$SOCK" "$SLUGS"
# The second store, of SMALL slugs: the fleet's pages beside the same at a small size.
SSOCK=$TMP/small.sock
redis-server --port 0 --unixsocket "$SSOCK" --unixsocketperm 700 --save '' --appendonly no \
    --dir "$TMP" --daemonize no --logfile "$TMP/small.log" &
small_pid=$!
wait_for redis-cli -s "$SSOCK" ping
fill "$SSOCK" "$SMALL"

# --- the servers ---------------------------------------------------------------------
setsid fcgiwrap -c 4 -s "unix:$TMP/fcgiwrap.sock" 2>"$TMP/fcgiwrap.log" &
fcgiwrap_pid=$!
wait_for test -S "$TMP/fcgiwrap.sock"
chmod 666 "$TMP/fcgiwrap.sock"
spawn() { # NAME PROGRAM: 2 FastCGI processes on TMP/NAME.sock
	MCP_NOW=$NOW spawn-fcgi -s "$TMP/$1.sock" -M 0666 -F 2 -P "$TMP/$1.pids" -- "$2" \
	    >"$TMP/$1.spawn" 2>&1 || { cat "$TMP/$1.spawn" >&2; die "spawn-fcgi $2 failed"; }
}
spawn fserve "$SERVE"
spawn ffloor "$BIN/fcgi_floor"
# The same program over the small store, and the build before's, each a pair of its own.
spawn fsmall "$SERVE"
[ -z "$BEFORE" ] || spawn fbefore "$BEFORE/mcp-serve"

for v in P_CS P_CF P_CR P_FS P_FF P_CSS P_FSS P_BC P_BF; do free_port "$v"; done
# location BACKEND [SCRIPT] [STORE]: every path to one FastCGI backend; both
# programs of a pair get the same parameters; STORE, the store's URL, is
# MCP_REDIS unless given.
location() {
	cat <<-EOF
		location / {
			include /etc/nginx/fastcgi_params;
			fastcgi_param PATH_INFO \$uri;
			fastcgi_param MCP_REDIS ${3:-$MCP_REDIS};
			fastcgi_param MCP_NOW $NOW;
			${2:+fastcgi_param SCRIPT_FILENAME $2;}
			fastcgi_pass unix:$TMP/$1.sock;
		}
	EOF
}
mkdir "$TMP/nginx"
cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes 2;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	keepalive_requests 1000000;
	client_body_temp_path $TMP/nginx/body;
	fastcgi_temp_path $TMP/nginx/fastcgi;
	proxy_temp_path $TMP/nginx/proxy;
	uwsgi_temp_path $TMP/nginx/uwsgi;
	scgi_temp_path $TMP/nginx/scgi;
	server { listen 127.0.0.1:$P_CS; $(location fcgiwrap "$SERVE") }
	server { listen 127.0.0.1:$P_CF; $(location fcgiwrap "$BIN/cgi_floor") }
	server { listen 127.0.0.1:$P_CR; $(location fcgiwrap "$BIN/cgi_floor_redis") }
	server { listen 127.0.0.1:$P_FS; $(location fserve) }
	server { listen 127.0.0.1:$P_FF; $(location ffloor) }
	server { listen 127.0.0.1:$P_CSS; $(location fcgiwrap "$SERVE" "unix://$SSOCK") }
	server { listen 127.0.0.1:$P_FSS; $(location fsmall "" "unix://$SSOCK") }
$(if [ -n "$BEFORE" ]; then
	echo "	server { listen 127.0.0.1:$P_BC; $(location fcgiwrap "$BEFORE/mcp-serve") }"
	echo "	server { listen 127.0.0.1:$P_BF; $(location fbefore) }"
fi)
}
EOF
nginx -p "$TMP/nginx/" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
for p in $P_CS $P_CF $P_CR $P_FS $P_FF $P_CSS $P_FSS ${BEFORE:+$P_BC $P_BF}; do
	wait_for curl -so /dev/null "http://127.0.0.1:$p/"
done

if [ "$LIGHTTPD" != 0 ]; then
	free_port P_LS
	mkdir "$TMP/www"
	cp "$SERVE" "$TMP/www/serve.cgi"
	cp "$BIN/cgi_floor" "$TMP/www/floor.cgi"
	cat >"$TMP/lighttpd.conf" <<-EOF
		server.modules = ("mod_rewrite", "mod_setenv", "mod_cgi")
		server.bind = "127.0.0.1"
		server.port = $P_LS
		server.document-root = "$TMP/www"
		server.errorlog = "$TMP/lighttpd.log"
		cgi.assign = (".cgi" => "")
		setenv.add-environment = ("MCP_REDIS" => "$MCP_REDIS", "MCP_NOW" => "$NOW")
		url.rewrite-once = ("^/(api/|metrics)(.*)\$" => "/serve.cgi/\$1\$2")
	EOF
	lighttpd -D -f "$TMP/lighttpd.conf" 2>"$TMP/lighttpd.out" &
	lighttpd_pid=$!
	wait_for curl -so /dev/null "http://127.0.0.1:$P_LS/floor.cgi"
fi

# --- what the servers answer, before any figure ---------------------------------------
# check NAME URL STATUS [HEADER]: the answer has STATUS; its headers in TMP/NAME.h.
check() {
	local code
	code=$(curl -s -D "$TMP/$1.h" -o "$TMP/$1.b" -w '%{http_code}' ${4:+-H "$4"} "$2") || code=000
	if [ "$code" != "$3" ]; then
		echo "serve.sh: $2: $code, not $3" >&2
		cat "$TMP/$1.h" "$TMP/$1.b" >&2 || true
		tail -n 5 "$TMP/fcgiwrap.log" "$TMP/nginx/error.log" >&2 || true
		exit 1
	fi
}
EMBED=/api/embed-status/$SLUG
check cgi "http://127.0.0.1:$P_CS$EMBED" 200
grep -q '"state":"up"' "$TMP/cgi.b" || die "$EMBED: not up: $(cat "$TMP/cgi.b")"
ETAG=$(sed -n 's/^[Ee][Tt][Aa][Gg]: *\(.*[^\r]\)\r*$/\1/p' "$TMP/cgi.h")
[ -n "$ETAG" ] || die "$EMBED: no ETag"
INM="If-None-Match: $ETAG"
check cgi304 "http://127.0.0.1:$P_CS$EMBED" 304 "$INM"
check fcgi "http://127.0.0.1:$P_FS$EMBED" 200
cmp -s "$TMP/cgi.b" "$TMP/fcgi.b" || die "$EMBED: CGI and FastCGI answer different bodies"
check fcgi304 "http://127.0.0.1:$P_FS$EMBED" 304 "$INM"
check cfloor "http://127.0.0.1:$P_CF/" 200
check crfloor "http://127.0.0.1:$P_CR$EMBED" 200
check ffloor "http://127.0.0.1:$P_FF$EMBED" 200
if [ -n "${P_LS:-}" ]; then
	check lserve "http://127.0.0.1:$P_LS$EMBED" 200
	cmp -s "$TMP/cgi.b" "$TMP/lserve.b" || die "$EMBED: lighttpd and nginx answer different bodies"
	check lserve304 "http://127.0.0.1:$P_LS$EMBED" 304 "$INM"
	check lfloor "http://127.0.0.1:$P_LS/floor.cgi" 200
fi

# --- wrk ------------------------------------------------------------------------------
# bench NAME URL [HEADER]: one wrk run appended to TMP/NAME as
# "req/s p50_ms p99_ms non-2xx/3xx socket-errors".
bench() {
	wrk -t2 -c50 -d"$DUR" --latency ${3:+-H "$3"} "$2" >"$TMP/wrk.out" 2>&1 ||
	    { cat "$TMP/wrk.out" >&2; die "wrk $2 failed"; }
	awk 'function ms(v) {
		if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000
		return v }
	     /^Requests\/sec:/ { rps = $2 }
	     $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
	     /Non-2xx or 3xx responses:/ { bad = $NF }
	     /Socket errors:/ { gsub(/,/, ""); err = $4 + $6 + $8 + $10 }
	     END { printf "%.0f %.2f %.2f %d %d\n", rps, p50, p99, bad, err }' "$TMP/wrk.out" >>"$TMP/$1"
}
# median COLUMN FILE
median() { sort -g -k"$1","$1" "$2" | awk -v c="$1" '{ v[NR] = $c } END { print v[int((NR + 1) / 2)] }'; }
row() { # LABEL FILE
	printf '  %-52s %6s %-20s %7s %7s\n' "$1" "$(median 1 "$2")" \
	    "[$(awk '{ printf("%s%s", NR > 1 ? "/" : "", $1) }' "$2")]" "$(median 2 "$2")" "$(median 3 "$2")"
	awk '$4 + $5 > 0 { printf "    (run %d: %d answers not 2xx/3xx, %d socket errors)\n", NR, $4, $5 }' "$2"
}
# pair ID TARGET FLOOR-LABEL FLOOR-URL SERVE-LABEL SERVE-URL [HEADER]: a
# warm-up of each, then REPS runs interleaved, floor first; the table rows.
pair() {
	local id=$1 target=$2
	: >"$TMP/$id.f"
	: >"$TMP/$id.s"
	wrk -t2 -c50 -d1s "$4" >/dev/null 2>&1 || true
	wrk -t2 -c50 -d1s ${7:+-H "$7"} "$6" >/dev/null 2>&1 || true
	for _ in $(seq "$REPS"); do
		bench "$id.f" "$4"
		bench "$id.s" "$6" "${7:-}"
	done
	row "$3" "$TMP/$id.f"
	row "$5" "$TMP/$id.s"
	awk -v s="$(median 1 "$TMP/$id.s")" -v f="$(median 1 "$TMP/$id.f")" -v t="$target" 'BEGIN {
		r = 100 * s / f
		if (t == "-") printf("    mcp-serve / floor: %.1f %% (no target: where the rest goes)\n", r)
		else printf("    mcp-serve / floor: %.1f %% (target >= %d %%: %s)\n", r, t, r >= t ? "met" : "MISSED") }'
}
title() { # TITLE
	echo "$1"
	printf '  %-52s %6s %-20s %7s %7s\n' "" "req/s" "[runs]" "p50 ms" "p99 ms"
}

# The machine may be shared: its load says how far to trust the figures.
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t2 -c50 -d$DUR --latency, floor and mcp-serve interleaved, $REPS runs each, medians:"
title "CGI, nginx + fcgiwrap -c 4:"
pair cgi200 80 "floor: trivial CGI (libc only, 100-byte JSON)" "http://127.0.0.1:$P_CF/" \
    "mcp-serve GET $EMBED (200)" "http://127.0.0.1:$P_CS$EMBED"
pair cgi304 80 "floor: trivial CGI (libc only, 100-byte JSON)" "http://127.0.0.1:$P_CF/" \
    "mcp-serve, If-None-Match matching (304)" "http://127.0.0.1:$P_CS$EMBED" "$INM"
pair cgi200r - "floor: static-pie CGI, one Redis GET, fixed body" "http://127.0.0.1:$P_CR$EMBED" \
    "mcp-serve GET $EMBED (200)" "http://127.0.0.1:$P_CS$EMBED"
if [ -n "${P_LS:-}" ]; then
	title "CGI, lighttpd mod_cgi:"
	pair l200 80 "floor: trivial CGI (libc only, 100-byte JSON)" "http://127.0.0.1:$P_LS/floor.cgi" \
	    "mcp-serve GET $EMBED (200)" "http://127.0.0.1:$P_LS$EMBED"
fi
title "FastCGI, nginx + spawn-fcgi -F 2:"
pair fcgi200 85 "floor: libfcgi loop, one Redis GET, value as body" "http://127.0.0.1:$P_FF$EMBED" \
    "mcp-serve GET $EMBED (200)" "http://127.0.0.1:$P_FS$EMBED"
pair fcgi304 85 "floor: libfcgi loop, one Redis GET, value as body" "http://127.0.0.1:$P_FF$EMBED" \
    "mcp-serve, If-None-Match matching (304)" "http://127.0.0.1:$P_FS$EMBED" "$INM"

# --- the fleet: /metrics whole and in shares, the pages ----------------------------------
TCK=$(getconf CLK_TCK)
# cpu_of self|kids PID...: seconds of CPU of the processes (utime + stime)
# or of the children they waited for (cutime + cstime: a CGI program), from /proc.
cpu_of() {
	local f=12 p
	[ "$1" = kids ] && f=14
	shift
	for p in "$@"; do cat "/proc/$p/stat" 2>/dev/null || true; done |
	    awk -v f="$f" -v t="$TCK" '{ sub(/^.*\) /, ""); split($0, a, " "); s += a[f] + a[f + 1] }
		END { printf "%.3f", s / t }'
}
# rcpu: Redis's CPU seconds so far (its main process, not its children).
rcpu() { redis-cli -s "$SOCK" info cpu | awk -F: '/^used_cpu_(user|sys):/ { s += $2 } END { printf "%.3f", s }'; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }
goal() { awk -v t="$1" 'BEGIN { print t < 1000 ? "(goal < 1 s: met)" : "(goal < 1 s: MISSED)" }'; }
FPIDS=$(awk 1 "$TMP/fserve.pids" | paste -sd' ')
# scrape LABEL URL self|kids|exec PIDS|PROGRAM: MRUNS fetches of URL,
# each with the CPU its PIDS spent (cpu_of), or, for a CGI program under
# fcgiwrap (which reaps its children unseen), of PROGRAM run on the same
# request right after, without a web server (tests/bench/timed.c); and
# Redis's a fetch.  The row of medians; the body of the last in TMP/m.b.
scrape() {
	local url=$2 kind=$3 c0 c1 r0 r1 line wall cpu
	: >"$TMP/m.t"
	for _ in $(seq "$MRUNS"); do
		# shellcheck disable=SC2086 # the pids are words
		[ "$kind" = exec ] || c0=$(cpu_of "$kind" $4)
		r0=$(rcpu)
		line=$(curl -s -o "$TMP/m.b" -w '%{http_code} %{time_total} %{size_download}' "$url")
		r1=$(rcpu)
		if [ "$kind" = exec ]; then
			GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET PATH_INFO=/metrics REQUEST_URI="/${url#*//*/}" \
			    QUERY_STRING="$(echo "$url" | sed -n 's/^[^?]*?//p')" MCP_NOW=$NOW "$BIN/timed" "$TMP/x.t" "$4" >/dev/null
			cpu=$(awk '{ printf "%.0f", $2 * 1000 }' "$TMP/x.t")
		else
			# shellcheck disable=SC2086 # the pids are words
			c1=$(cpu_of "$kind" $4)
			cpu=$(ms "$c0" "$c1")
		fi
		echo "$line $cpu $(ms "$r0" "$r1")" >>"$TMP/m.t"
	done
	awk '$1 != 200 { exit 1 }' "$TMP/m.t" || die "$url: $(sort -u "$TMP/m.t" | head -3)"
	wall=$(awk -v t="$(median 2 "$TMP/m.t")" 'BEGIN { printf "%.0f", t * 1000 }')
	printf '  %-36s %6s %-26s %6s %6s %9s %7s %s\n' "$1" "$wall" \
	    "[$(awk '{ printf("%s%.0f", NR > 1 ? "/" : "", $2 * 1000) }' "$TMP/m.t")]" \
	    "$(median 4 "$TMP/m.t")" "$(median 5 "$TMP/m.t")" "$(median 3 "$TMP/m.t")" \
	    "$(grep -vc '^#' "$TMP/m.b" || true)" "$(goal "$wall")"
	echo "$wall" >"$TMP/m.wall"
}
scrape_head() {
	echo "$1"
	printf '  %-36s %6s %-26s %6s %6s %9s %7s\n' "" "wall" "[runs ms]" "CPU" "Redis" "bytes" "samples"
}
scrape_head "GET /metrics, all $SLUGS slugs in one scrape, curl, median of $MRUNS (ms; CPU: mcp-serve's a scrape, that of CGI run alone on the same request; Redis: the store's CPU a scrape, the floor no reader of the store avoids):"
scrape "nginx + spawn-fcgi (FastCGI)" "http://127.0.0.1:$P_FS/metrics" self "$FPIDS"
grep -v '^#' "$TMP/m.b" | sort >"$TMP/whole"
scrape "nginx + fcgiwrap (CGI)" "http://127.0.0.1:$P_CS/metrics" exec "$SERVE"
[ -z "${P_LS:-}" ] || scrape "lighttpd mod_cgi" "http://127.0.0.1:$P_LS/metrics" kids "$lighttpd_pid"
if [ -n "$BEFORE" ]; then
	scrape "before: nginx + spawn-fcgi (FastCGI)" "http://127.0.0.1:$P_BF/metrics" self "$(awk 1 "$TMP/fbefore.pids" | paste -sd' ')"
	grep -v '^#' "$TMP/m.b" | sort | cmp -s - "$TMP/whole" || die "the build before's /metrics has other samples"
	scrape "before: nginx + fcgiwrap (CGI)" "http://127.0.0.1:$P_BC/metrics" exec "$BEFORE/mcp-serve"
fi

scrape_head "GET /metrics?shard=K/$SHARDS, nginx + spawn-fcgi (FastCGI), each share, median of $MRUNS:"
: >"$TMP/union"
slowest=0 nslugs='' lint=''
for k in $(seq 0 $((SHARDS - 1))); do
	scrape "shard=$k/$SHARDS" "http://127.0.0.1:$P_FS/metrics?shard=$k/$SHARDS" self "$FPIDS"
	slowest=$(awk -v a="$slowest" -v b="$(cat "$TMP/m.wall")" 'BEGIN { print (b > a ? b : a) }')
	grep -v '^#' "$TMP/m.b" >>"$TMP/union"
	nslugs=$nslugs$(grep -c '^mcp_slugs ' "$TMP/m.b" || true)
	if [ -x "$PROMTOOL" ]; then
		"$PROMTOOL" check metrics <"$TMP/m.b" >"$TMP/promtool.out" 2>&1 ||
		    lint="$lint share $k: $(head -c 300 "$TMP/promtool.out")"
	fi
done
sort -o "$TMP/union" "$TMP/union"
dups=$(uniq -d "$TMP/union" | wc -l)
cmp -s "$TMP/union" "$TMP/whole" || die "the $SHARDS shares' samples are not the whole scrape's"
[ "$dups" = 0 ] || die "the $SHARDS shares hold $dups samples twice"
[ "$nslugs" = "1$(printf '0%.0s' $(seq 2 "$SHARDS"))" ] || die "mcp_slugs in the shares: $nslugs, not in share 0 only"
[ -z "$lint" ] || die "promtool check metrics:$lint"
printf '  the %d shares: %d samples, the whole scrape'"'"'s, each once; mcp_slugs in share 0 only; promtool check metrics: %s\n' \
    "$SHARDS" "$(wc -l <"$TMP/union")" "$([ -x "$PROMTOOL" ] && echo "clean on each" || echo "not run (no deps/prometheus)")"
printf '  the slowest share: %s ms %s\n' "$slowest" "$(goal "$slowest")"

# pages: the first page of 100 and the middle one, and one server's page,
# at SLUGS and at SMALL slugs: a page's cost must not grow with the fleet.
mid() { echo "~$(redis-cli -s "$1" zrange mcp:slugs:lex "$2" "$2")"; }
MIDB=$(mid "$SOCK" $((SLUGS / 2)))
MIDS=$(mid "$SSOCK" $((SMALL / 2)))
# pget URL: the median wall ms of PRUNS fetches of URL (each 200), and its bytes.
pget() {
	: >"$TMP/p.t"
	for _ in $(seq "$PRUNS"); do
		curl -s -o /dev/null -w '%{http_code} %{time_total} %{size_download}\n' "$1" >>"$TMP/p.t"
	done
	awk '$1 != 200 { exit 1 }' "$TMP/p.t" || die "$1: $(sort -u "$TMP/p.t" | head -3)"
	awk -v t="$(median 2 "$TMP/p.t")" -v b="$(median 3 "$TMP/p.t")" 'BEGIN { printf "%.1f %d\n", t * 1000, b }'
}
# prow LABEL PATH-AT-SLUGS PATH-AT-SMALL
prow() {
	local fb cb fs cs
	read -r fb bytes < <(pget "http://127.0.0.1:$P_FS$2")
	read -r cb _ < <(pget "http://127.0.0.1:$P_CS$2")
	read -r fs _ < <(pget "http://127.0.0.1:$P_FSS$3")
	read -r cs _ < <(pget "http://127.0.0.1:$P_CSS$3")
	printf '  %-40s %8s %8s %8s %8s %8s  %s\n' "$1" "$fb" "$cb" "$fs" "$cs" "$bytes" \
	    "$(goal "$(awk -v a="$fb" -v b="$cb" 'BEGIN { print (a > b ? a : b) }')")"
}
printf 'the fleet'"'"'s pages, curl, median of %d (ms), at %d slugs and at %d:\n' "$PRUNS" "$SLUGS" "$SMALL"
printf '  %-40s %8s %8s %8s %8s %8s\n' "" "FastCGI" "CGI" "FastCGI" "CGI" "bytes"
prow "/api/status?limit=100, the first page" "/api/status?limit=100" "/api/status?limit=100"
prow "/api/status?limit=100, the middle page" "/api/status?limit=100&cursor=$MIDB" "/api/status?limit=100&cursor=$MIDS"
prow "/status, the first page (100)" "/status" "/status"
prow "/status, the middle page" "/status?cursor=$MIDB" "/status?cursor=$MIDS"
prow "/status/$SLUG, one server's page" "/status/$SLUG" "/status/$SLUG"

# --- one exec, no web server: where the time goes -------------------------------------------
# What a web server pays to start each program: wall and CPU microseconds
# a run (tests/bench/spawn.c), 200 runs in a row, every row interleaved
# with the others, median of 5.  The rows go from the floor to the embed
# route one step at a time: the trivial CGI linked as usual (the dynamic
# loader, libc.so), static-pie (no loader), and static-pie with one Redis
# connection and GET before its answer (the store's round trip, which no
# CGI program that reads the store avoids), mcp-serve -V (its exec and
# nothing else), mcp-serve on a path routed nowhere (a 404: the request
# parsed, no store), then the embed route's 200 and 304 (the store).
export REQUEST_METHOD=GET PATH_INFO=$EMBED REQUEST_URI=$EMBED MCP_NOW=$NOW
xrow() { # ID LABEL: the median of TMP/x.ID
	printf '  %-58s %6s %6s\n' "$2" "$(median 2 "$TMP/x.$1")" "$(median 1 "$TMP/x.$1")"
}
for x in floor sfloor rfloor v 404 200 304; do : >"$TMP/x.$x"; done
for _ in 1 2 3 4 5; do
	"$BIN/spawn" 200 "$BIN/cgi_floor" >>"$TMP/x.floor"
	"$BIN/spawn" 200 "$BIN/cgi_floor_static" >>"$TMP/x.sfloor"
	"$BIN/spawn" 200 "$BIN/cgi_floor_redis" >>"$TMP/x.rfloor"
	"$BIN/spawn" 200 "$SERVE" -V >>"$TMP/x.v"
	PATH_INFO=/nowhere "$BIN/spawn" 200 "$SERVE" >>"$TMP/x.404"
	"$BIN/spawn" 200 "$SERVE" >>"$TMP/x.200"
	HTTP_IF_NONE_MATCH=$ETAG "$BIN/spawn" 200 "$SERVE" >>"$TMP/x.304"
done
printf 'one CGI exec (posix_spawn and wait, no web server), median of 5 x 200:\n'
printf '  %-58s %6s %6s\n' "" "us CPU" "wall"
xrow floor "floor: trivial CGI, dynamic (ld.so, libc.so)"
xrow sfloor "floor: trivial CGI, static-pie (no loader)"
xrow rfloor "floor: static-pie, one Redis GET first (hiredis)"
xrow v "mcp-serve -V: the exec, nothing done"
xrow 404 "mcp-serve, a path routed nowhere (404, no store)"
xrow 200 "mcp-serve GET $EMBED (200)"
xrow 304 "mcp-serve, If-None-Match matching (304)"
# libs FILE: the shared libraries FILE loads (readelf), or "none".
libs() {
	local l
	l=$(readelf -dW "$1" 2>/dev/null | sed -n 's/.*Shared library: \[\(.*\)\.so.*\]/\1/p' | paste -sd' ')
	echo "${l:-none} (${l:+ld.so, }$(file -b "$1" | grep -o 'static-pie linked\|dynamically linked\|statically linked' || echo '?'))"
}
printf '  shared libraries: mcp-serve %s, %d relocations at start; the floor %s\n' "$(libs "$SERVE")" \
    "$(readelf -rW "$SERVE" 2>/dev/null | grep -c 'R_X86_64_' || true)" "$(libs "$BIN/cgi_floor")"
# trips LABEL [HEADER]: the store connections, round trips (writes to the
# store's socket) and commands of one CGI request (strace, redis INFO).
trips() {
	local c0 c1
	c0=$(redis-cli -s "$SOCK" info stats | awk -F: '/^total_commands_processed/ { print $2 + 0 }')
	env ${2:+"$2"} strace -qq -f -e trace=connect,write -o "$TMP/st" "$SERVE" >/dev/null
	c1=$(redis-cli -s "$SOCK" info stats | awk -F: '/^total_commands_processed/ { print $2 + 0 }')
	awk -v l="$1" -v cmds=$((c1 - c0 - 1)) '
		/^[0-9]+ +connect\(/ && !/= -1/ { conn++; match($0, /connect\([0-9]+/); fd[substr($0, RSTART + 8, RLENGTH - 8)] = 1 }
		/^[0-9]+ +write\(/ { match($0, /write\([0-9]+/); if (substr($0, RSTART + 6, RLENGTH - 6) in fd) w++ }
		END { printf "%s %d connection, %d round trip%s, %d commands", l, conn, w, w == 1 ? "" : "s", cmds }' "$TMP/st"
}
if command -v strace >/dev/null; then
	printf '  the store, a CGI request: %s; %s; %s\n' "$(trips "embed 200:")" \
	    "$(trips "304:" "HTTP_IF_NONE_MATCH=$ETAG")" "$(PATH_INFO=/metrics REQUEST_URI=/metrics trips "/metrics:")"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
