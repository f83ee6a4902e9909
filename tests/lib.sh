#!/usr/bin/env bash
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck disable=SC2034 # variables set here are read by the scripts that source it
# lib.sh - TAP helpers and real-component launchers for the test scripts
# Sourced by tests/*.t.  MCP_BIN names the build directory under test.
set -uo pipefail
export LC_ALL=C
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${MCP_BIN:-$TOP/build}
export PATH="$BIN:$PATH"
# Sanitizer reports must not pass for an ordinary failure (exit 1).
export ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=86:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:exitcode=87}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mcp-test.XXXXXX")
_n=0
_failed=0
_pids=()

cleanup() {
	local p
	for p in "${_pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${_pids[@]}"; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

# bg_pid PID: kill PID when the script ends.
bg_pid() { _pids+=("$1"); }

ok() {
	local cond=$1
	shift
	_n=$((_n + 1))
	if [ "$cond" = 0 ]; then
		echo "ok $_n - $*"
	else
		echo "not ok $_n - $*"
		_failed=$((_failed + 1))
	fi
}

# is GOT WANT DESC
is() {
	local got=$1 want=$2
	shift 2
	if [ "$got" = "$want" ]; then
		ok 0 "$@"
	else
		ok 1 "$@"
		printf '#   got:  %s\n#   want: %s\n' "$got" "$want"
	fi
}

# like GOT ERE DESC
like() {
	local got=$1 re=$2
	shift 2
	# A here-string, not a pipe: grep -q may stop reading early, and a
	# writer killed by SIGPIPE would turn a match into a failure.
	if grep -Eq -- "$re" <<<"$got"; then
		ok 0 "$@"
	else
		ok 1 "$@"
		printf '#   got:  %s\n#   want match: %s\n' "$got" "$re"
	fi
}

# unlike GOT ERE DESC
unlike() {
	local got=$1 re=$2
	shift 2
	if grep -Eq -- "$re" <<<"$got"; then
		ok 1 "$@"
		printf '#   got:  %s\n#   must not match: %s\n' "$got" "$re"
	else
		ok 0 "$@"
	fi
}

diag() { printf '# %s\n' "$*"; }

done_testing() {
	echo "1..$_n"
	[ "$_failed" = 0 ]
	exit
}

# skip_all REASON: the whole script cannot run here; says why.
skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

# jarr "A B C": a JSON array of strings.
jarr() {
	local s='' x
	for x in $1; do
		s=$s${s:+,}\"$x\"
	done
	echo "[$s]"
}

# closed_pipe CMD...: CMD with its standard output a pipe whose reader is
# gone before it starts (SIGPIPE as a shell leaves it): "CMD | true" without
# the race of true's exit against CMD's first write.
closed_pipe() {
	perl -e 'pipe(my $r, my $w) or die "pipe: $!"; close $r;
		open(STDOUT, ">&", $w) or die "dup: $!"; close $w;
		$SIG{PIPE} = "DEFAULT"; exec { $ARGV[0] } @ARGV or die "exec $ARGV[0]: $!"' -- "$@"
}

# wait_for TENTHS CMD...: until CMD succeeds (its output dropped); 1 if it never does.
wait_for() {
	local n=$1
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$n" -gt 0 ] || return 1
		sleep 0.1
		n=$((n - 1))
	done
}

# wait_file FILE [TENTHS]: wait until FILE exists and is non-empty.
wait_file() { wait_for "${2:-100}" test -s "$1"; }

# free_port: a TCP port on 127.0.0.1 that nobody listens on right now,
# and that no other call of this test has given: the next of the test's
# run of ports, from a random start, below the kernel's ephemeral range
# (32768 and up here), so that no connection's local port takes it before
# its server binds it.  Tests that run at once (tests/run.sh) each have
# a range of their own (TEST_SLOT, 0 to 3: 5,000 ports from 12000 up).
free_port() {
	local base=$((12000 + ${TEST_SLOT:-0} % 4 * 5000)) n p fd tries=0
	exec {fd}>>"$TMP/.ports.lock"
	flock "$fd"
	n=$(cat "$TMP/.ports" 2>/dev/null || echo $((RANDOM % 4000)))
	while :; do
		p=$((base + n % 5000))
		n=$((n + 1))
		# Someone listens there: the next one.
		(: <"/dev/tcp/127.0.0.1/$p") 2>/dev/null || break
		tries=$((tries + 1))
		[ "$tries" -lt 5000 ] || break
	done
	echo "$n" >"$TMP/.ports"
	exec {fd}>&-
	echo "$p"
}

# wait_http URL [TENTHS]: wait until URL answers anything over HTTP.
wait_http() { wait_for "${2:-100}" curl -s -o /dev/null --max-time 1 "$1"; }

# redis_in DIR [REDIS-SERVER OPTIONS...]: a private redis-server on the
# unix socket DIR/redis.sock, no persistence unless the options ask for it.
# Sets REDIS_PID.
redis_in() {
	local dir=$1
	shift
	redis-server --port 0 --unixsocket "$dir/redis.sock" --unixsocketperm 700 \
	    --save '' --appendonly no --dir "$dir" --daemonize no \
	    --logfile "$dir/redis.log" "$@" &
	REDIS_PID=$!
	bg_pid "$REDIS_PID"
	wait_for 50 redis-cli -s "$dir/redis.sock" ping
}

# start_redis [REDIS-SERVER OPTIONS...]: redis_in $TMP.  Sets REDIS_SOCK
# and exports MCP_REDIS.
start_redis() {
	REDIS_SOCK=$TMP/redis.sock
	redis_in "$TMP" "$@"
	export MCP_REDIS="unix://$REDIS_SOCK"
}

# The stored results (mcp-store(7)'s packed slots, read through
# mcp-aggregate results), of the store of $MCP_REDIS or of -R URL first.
# res_lines [-R URL] SLUG W: the lines of mcp-aggregate results.
# res_val [-R URL] SLUG W REGION: the region's value in window W, or "".
# res_regions [-R URL] SLUG W: the regions with a result in W, sorted, a
# space after each (as "hkeys | sort | tr '\n' ' '" printed them).
res_lines() {
	local o=()
	[ "$1" != -R ] || { o=(-R "$2"); shift 2; }
	mcp-aggregate results "${o[@]}" "$1" "$2"
}
res_val() {
	local r=${*: -1}
	res_lines "${@:1:$#-1}" | awk -v r="$r" '$2 == r { sub(/^[^ ]+ [^ ]+ /, ""); print }'
}
res_regions() { res_lines "$@" | awk '{ printf "%s ", $2 }'; }
# hist_at SLUG W: the history's letter of window W ("" when not decided):
# day:DAY packs three windows a byte, base 6, the lowest digit first,
# 0 for none, then g a r u m; a day of before is 1,440 letters
# (mcp-store(7)).
hist_at() {
	redis-cli -s "$REDIS_SOCK" eval "local p = tonumber(ARGV[1])
	  if redis.call('STRLEN', KEYS[1]) == 1440 then
	    return (string.gsub(redis.call('GETRANGE', KEYS[1], p, p), '%z', ''))
	  end
	  local b = string.byte(redis.call('GETRANGE', KEYS[1], math.floor(p / 3), math.floor(p / 3)))
	  return ({'g', 'a', 'r', 'u', 'm'})[math.floor((b or 0) / 6 ^ (p % 3)) % 6] or ''" \
	    1 "mcp:{$1}:day:$(($2 / 86400))" $((($2 % 86400) / 60))
}

# tally_of SLUG DAY: the day's record of the tally, its windows green,
# amber, red, unknown and in maintenance (mcp-store(7)), "" for none.
tally_of() {
	redis-cli -s "$REDIS_SOCK" eval "local o = (tonumber(ARGV[1]) % 400) * 12
	  local t, g, a, r, u, m = struct.unpack('>I2I2I2I2I2I2', redis.call('GETRANGE', KEYS[1], o, o + 11) .. string.rep('\\0', 12))
	  if t ~= tonumber(ARGV[1]) % 65535 + 1 then return '' end
	  return g .. ' ' .. a .. ' ' .. r .. ' ' .. u .. ' ' .. m" 1 "mcp:{$1}:tally" "$2"
}

# nginx_head DIR: the start of a test's nginx.conf, up to the inside of
# "http {": its log and temporary files in DIR.  Started as root, nginx runs
# its workers as nobody, who cannot reach $TMP (mode 700): they stay root.
nginx_head() {
	local d=$1
	mkdir -p "$d/tmp"
	[ "$(id -u)" != 0 ] || echo 'user root;'
	cat <<-EOF
	worker_processes 1;
	events { worker_connections 256; }
	http {
		access_log $d/access.log;
		client_body_temp_path $d/tmp/body;
		fastcgi_temp_path $d/tmp/fastcgi;
		proxy_temp_path $d/tmp/proxy;
		uwsgi_temp_path $d/tmp/uwsgi;
		scgi_temp_path $d/tmp/scgi;
	EOF
}

# certs: the test CA and server certificates, made once per script in $TMP/certs.
certs() {
	[ -s "$TMP/certs/good.pem" ] || bash "$TOP/tests/fixtures/certs.sh" "$TMP/certs" >/dev/null
}

# start_fixture: the SDK fixture server (tests/fixtures/fixture.mjs) on
# plain HTTP (FIX) and three TLS ports: good (FIX_TLS), expired
# (FIX_EXPIRED) and self-signed (FIX_SELF).  FIXTURE_LOG records the
# secrets it handed out or saw.
start_fixture() {
	certs
	export FIXTURE_LOG=$TMP/fixture.log
	export FIXTURE_TOKEN=${FIXTURE_TOKEN:-test-token-123}
	local d=$TMP/certs
	node "$TOP/tests/fixtures/fixture.mjs" --port-file "$TMP/fix.port" \
	    --tls-cert "$d/good.pem" --tls-key "$d/good.key" --tls-port-file "$TMP/fix-tls.port" \
	    --tls2-cert "$d/expired.pem" --tls2-key "$d/expired.key" --tls2-port-file "$TMP/fix-exp.port" \
	    --tls3-cert "$d/self.pem" --tls3-key "$d/self.key" --tls3-port-file "$TMP/fix-self.port" \
	    2>"$TMP/fixture.err" &
	bg_pid $!
	wait_file "$TMP/fix.port" && wait_file "$TMP/fix-self.port" || {
		diag "fixture did not start: $(cat "$TMP/fixture.err")"
		return 1
	}
	FIX=http://127.0.0.1:$(cat "$TMP/fix.port")
	FIX_TLS=https://localhost:$(cat "$TMP/fix-tls.port")
	FIX_EXPIRED=https://localhost:$(cat "$TMP/fix-exp.port")
	FIX_SELF=https://localhost:$(cat "$TMP/fix-self.port")
	wait_http "$FIX/health"
}

# start_toolshift: tests/fixtures/toolshift.mjs, its versions chosen by
# the state file $TMP/state (made empty), its log $TMP/ts.log.  Sets TS
# (its base URL); skips the script when it does not start.
start_toolshift() {
	: >"$TMP/state"
	node "$TOP/tests/fixtures/toolshift.mjs" --port-file "$TMP/ts.port" --state "$TMP/state" \
	    --log "$TMP/ts.log" 2>"$TMP/ts.err" &
	bg_pid $!
	wait_file "$TMP/ts.port" 150 || skip_all "toolshift.mjs did not start: $(cat "$TMP/ts.err")"
	TS=http://127.0.0.1:$(cat "$TMP/ts.port")
}

# pd_hook_conf FILE: an mcp-alert.conf of PagerDuty's and a webhook's
# routes on the test receiver (P1 and P2 to both, P3 to the hook), its
# routing key in $TMP/pd.key; the caller appends its own lines.
pd_hook_conf() {
	echo R0UT1NGKEY0123456789abcdef012345 >"$TMP/pd.key"
	cat >"$1" <<CONF
route pd    pagerduty $TMP/pd.key $RECV/pd/v2/enqueue
route hook  webhook   $RECV/hook
notify P1,P2 always pd hook
notify P3 always hook
CONF
}

# start_receiver [--verify KEYFILE]: the HTTP receiver of the alert tests
# (tests/fixtures/receiver.mjs).  Sets RECV (its base URL) and RECV_LOG (one
# JSON line per request); recv_answer PATH STATUS|hang sets what a path answers.
start_receiver() {
	RECV_LOG=$TMP/receiver.log
	: >"$RECV_LOG"
	node "$TOP/tests/fixtures/receiver.mjs" --port-file "$TMP/recv.port" --log "$RECV_LOG" "$@" \
	    2>"$TMP/receiver.err" &
	bg_pid $!
	wait_file "$TMP/recv.port" || {
		diag "receiver did not start: $(cat "$TMP/receiver.err")"
		return 1
	}
	RECV=http://127.0.0.1:$(cat "$TMP/recv.port")
	wait_http "$RECV/_control"
}
recv_answer() {
	curl -sf "$RECV/_control?path=$1&status=$2${3:+&$3}" >/dev/null
}

# start_everything MODE: the official server-everything (streamableHttp or
# sse) on a free port.  Sets EVERYTHING to its base URL.
start_everything() {
	local mode=${1:-streamableHttp} port
	port=$(free_port)
	PORT=$port node "$TOP/tests/node_modules/@modelcontextprotocol/server-everything/dist/index.js" \
	    "$mode" >"$TMP/everything-$mode.log" 2>&1 &
	bg_pid $!
	EVERYTHING=http://127.0.0.1:$port
	wait_http "$EVERYTHING/" 100 || {
		diag "server-everything did not start: $(tail -3 "$TMP/everything-$mode.log")"
		return 1
	}
}

# start_modern: the SDK v2 fixture (tests/fixtures/modern.mjs), modern era
# 2026-07-28, most modes also answering legacy clients.  Sets MODERN.
start_modern() {
	node "$TOP/tests/fixtures/modern.mjs" --port-file "$TMP/modern.port" 2>"$TMP/modern.err" &
	bg_pid $!
	wait_file "$TMP/modern.port" || {
		diag "modern fixture did not start: $(cat "$TMP/modern.err")"
		return 1
	}
	MODERN=http://127.0.0.1:$(cat "$TMP/modern.port")
	wait_http "$MODERN/health"
}

# start_fastmcp MODE [KEY [STYLE]]: a FastMCP (npm fastmcp) server
# (tests/fixtures/fastmcp.mjs), MODE stateful or stateless, serving
# httpStream at /mcp and HTTP+SSE at /sse.  With KEY it needs X-API-Key: KEY
# or Authorization: Bearer KEY; STYLE is challenge (default: 401 with a
# WWW-Authenticate Bearer challenge) or bare (401, no header, no body).
# Sets FASTMCP, FASTMCP_STATELESS, FASTMCP_KEYED, FASTMCP_STATELESS_KEYED,
# FASTMCP_BARE or FASTMCP_STATELESS_BARE (the base URL, no path), by MODE,
# KEY and STYLE.
start_fastmcp() {
	local mode=${1:-stateful} key=${2:-} style=${3:-challenge} var=FASTMCP name
	case $mode in
	stateful) ;;
	stateless) var=${var}_STATELESS ;;
	*) diag "start_fastmcp: bad mode $mode"; return 1 ;;
	esac
	case $style in
	challenge) [ -n "$key" ] && var=${var}_KEYED ;;
	bare) var=${var}_BARE ;;
	*) diag "start_fastmcp: bad style $style"; return 1 ;;
	esac
	name=$(printf '%s' "$var" | tr 'A-Z_' 'a-z-')
	rm -f "$TMP/$name.port"
	node "$TOP/tests/fixtures/fastmcp.mjs" --port-file "$TMP/$name.port" --mode "$mode" \
	    ${key:+--api-key "$key" --auth-style "$style"} >"$TMP/$name.log" 2>&1 &
	bg_pid $!
	wait_file "$TMP/$name.port" 150 || {
		diag "fastmcp ($mode) did not start: $(tail -3 "$TMP/$name.log")"
		return 1
	}
	printf -v "$var" 'http://127.0.0.1:%s' "$(cat "$TMP/$name.port")"
	wait_http "${!var}/health" || {
		diag "fastmcp ($mode) does not answer: $(tail -3 "$TMP/$name.log")"
		return 1
	}
}

# serve_on_free_port VAR NAME HEALTH CMD...: CMD in the background with
# @PORT@ in its words replaced by a free port of 127.0.0.1, its output in
# $TMP/NAME.log; VAR set to http://127.0.0.1:PORT once HEALTH answers there.
# Another picks the port first (EADDRINUSE): tried again, three times at most.
serve_on_free_port() {
	local var=$1 name=$2 health=$3 port pid try n a words
	shift 3
	for try in 1 2 3; do
		port=$(free_port)
		words=()
		for a in "$@"; do words+=("${a//@PORT@/$port}"); done
		"${words[@]}" >"$TMP/$name.log" 2>&1 &
		pid=$!
		bg_pid "$pid"
		printf -v "$var" 'http://127.0.0.1:%s' "$port"
		n=150
		while kill -0 "$pid" 2>/dev/null && [ "$n" -gt 0 ]; do
			curl -s -o /dev/null --max-time 1 "${!var}$health" && return 0
			sleep 0.1
			n=$((n - 1))
		done
		grep -q EADDRINUSE "$TMP/$name.log" || break
	done
	diag "$name did not start (try $try): $(tail -3 "$TMP/$name.log")"
	return 1
}

# start_supergateway MODE CHILD: supergateway 4 (npm) bridging a stdio
# server to Streamable HTTP at /mcp, MODE stateless (a new child per
# request) or stateful; CHILD everything (server-everything) or resources
# (tests/fixtures/resources.mjs, no tools).  Sets SUPERGATEWAY_<MODE>_<CHILD>
# (upper case; the base URL, no path).
start_supergateway() {
	local mode=$1 child=$2 var name cmd flag=
	[ "$mode" = stateful ] && flag=--stateful
	var=SUPERGATEWAY_$(printf '%s_%s' "$mode" "$child" | tr 'a-z' 'A-Z')
	name=$(printf '%s' "$var" | tr 'A-Z_' 'a-z-')
	case $child in
	everything) cmd="node $TOP/tests/node_modules/@modelcontextprotocol/server-everything/dist/index.js stdio" ;;
	resources) cmd="node $TOP/tests/fixtures/resources.mjs" ;;
	*) diag "start_supergateway: bad child $child"; return 1 ;;
	esac
	serve_on_free_port "$var" "$name" /healthz node "$TOP/tests/node_modules/supergateway/dist/index.js" \
	    --stdio "$cmd" --outputTransport streamableHttp ${flag:+"$flag"} \
	    --port @PORT@ --healthEndpoint /healthz
}

# start_mcp_proxy [KEY]: mcp-proxy (npm) in front of server-everything over
# stdio, on a free port of 127.0.0.1: Streamable HTTP at /mcp (stateful, the
# 2026-07-28 leg too), HTTP+SSE at /sse, GET /ping → pong.  With KEY
# (--apiKey) every other path needs X-API-Key: KEY.  Sets MCP_PROXY, or
# MCP_PROXY_KEYED with KEY (the base URL, no path).  SIGTERM stops mcp-proxy
# and the server under it in about 1.5 s.
start_mcp_proxy() {
	local key=${1:-} var=MCP_PROXY name
	[ -n "$key" ] && var=MCP_PROXY_KEYED
	name=$(printf '%s' "$var" | tr 'A-Z_' 'a-z-')
	# mcp-proxy cannot listen on port 0 and tell which port it got: a free
	# one is picked. It listens only once the stdio server is up (2 to 3 s).
	serve_on_free_port "$var" "$name" /ping node "$TOP/tests/node_modules/mcp-proxy/dist/bin/mcp-proxy.mjs" \
	    --host 127.0.0.1 --port @PORT@ ${key:+--apiKey "$key"} --gracefulShutdownTimeout 500 -- \
	    node "$TOP/tests/node_modules/@modelcontextprotocol/server-everything/dist/index.js" stdio
}

# oauth_material DIR: the OAuth tests' credentials in DIR (mode 700, every
# file 600): ec.key/.pub (P-256), rsa.key/.pub, wl.key/.pub (the workload
# issuer's RSA key), p384.key (a curve the probe refuses) and secret, a
# random client secret written by builtins, never on a command line.
oauth_material() {
	mkdir -p "$1" && chmod 700 "$1" || return 1
	(
		umask 077
		cd "$1" || exit 1
		openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null |
		    openssl pkcs8 -topk8 -nocrypt -out ec.key
		openssl pkey -in ec.key -pubout -out ec.pub
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key 2>/dev/null
		openssl pkey -in rsa.key -pubout -out rsa.pub
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out wl.key 2>/dev/null
		openssl pkey -in wl.key -pubout -out wl.pub
		openssl ecparam -name secp384r1 -genkey -noout 2>/dev/null |
		    openssl pkcs8 -topk8 -nocrypt -out p384.key
		printf 'cs-%s\n' "$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')" >secret
	)
}
