#!/usr/bin/env bash
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck disable=SC2034 # variables set here are read by the scripts that source it
# ingest-lib.sh - the deciding host's door for the tests/ingest*.t scripts
# Sourced after lib.sh.  nginx with TLS in front of mcp-aggregate ingest
# (a FastCGI responder under spawn-fcgi, or a CGI program under fcgiwrap)
# and of mcp-serve, a real redis-server behind it; everything in $TMP.
#
# start_ingest fcgi|cgi [ADDR]  the door on ADDR (127.0.0.1) and a free
#                      port, its certificate from the test CA for ADDR.
#                      Sets INGEST (https://ADDR:PORT), INGEST_CA (the CA),
#                      INGEST_LOG (nginx's error log), INGEST_ACCESS,
#                      INGEST_ERR (the ingest's stderr), INGEST_DIR.  The
#                      ingest takes MCP_REDIS as it is, its overrides file
#                      is $INGEST_OVERRIDES (made empty if absent), and
#                      MCP_INGEST_RATE and MCP_INGEST_LISTS are passed
#                      when set, and INGEST_NOW as the ingest's clock
#                      (MCP_NOW; '$http_x_runner_clock': the runner's).
#                      $INGEST_DIR/bytes.log has a line a request: the
#                      runner's clock, method, status, bytes received.
# ingest_clock T       the ingest's clock set to T (INGEST_NOW when it
#                      started) and the door started again.
# stop_ingest          nginx and the ingest killed (SIGKILL: the host dies).
# restart_ingest       the same again, on the same address and port.
# token REGION         a token of REGION, in $TMP/tok.REGION (mode 600).
# post REGION FILE [CURL ARGS]  POST FILE to /ingest/REGION with REGION's
#                      token (the header of the file $AUTH, when set);
#                      sets ST (status), RB (the answer's file).
# answers FILE         the statuses of an answer, "N status" a line.
# store_dump           every key of the store but mcp:ingest:*, its value
#                      by type, sorted: two stores that hold the same
#                      results print the same.

INGEST_OVERRIDES=${INGEST_OVERRIDES:-$TMP/overrides}

# _ingest_conf DIR ADDR PORT PASS SERVE: nginx.conf of the door.
_ingest_conf() {
	local d=$1 addr=$2 port=$3 pass=$4 serve=$5
	nginx_head "$d"
	cat <<-EOF
		# The ingest's bounds: bodies of 8 MiB, kept in memory up to 1 MiB,
		# and a client silent for 5 s between two reads is cut off.  The
		# body is read whole before the ingest is asked (request
		# buffering, nginx's default): a slow client holds nginx's
		# connection, never the ingest.
		client_max_body_size 8m;
		client_body_buffer_size 1m;
		client_body_timeout 5s;
		# Requests a second from one client address, before any token
		# is read: a zone keyed on the region would let anyone who
		# knows a region's name lock its runner out.  A region's own
		# bound is the ingest's, after its token.
		limit_req_zone \$binary_remote_addr zone=ingest:10m rate=20r/s;
		# What each request brought (its bytes, headers and body as
		# sent), by the runner's clock: $d/bytes.log.
		log_format bytes '\$http_x_runner_clock \$request_method \$status \$request_length';
		server {
			listen $addr:$port ssl;
			server_name localhost;
			ssl_certificate $d/cert.pem;
			ssl_certificate_key $d/cert.key;
			location ~ ^/(ingest|targets)/ {
				limit_req zone=ingest burst=40 nodelay;
				limit_req_status 429;
				access_log $d/access.log;
				access_log $d/bytes.log bytes;
				include /etc/nginx/fastcgi_params;
				fastcgi_param SCRIPT_FILENAME $BIN/mcp-aggregate;
				fastcgi_param PATH_INFO \$uri;
				fastcgi_param MCP_REDIS "$MCP_REDIS";
				fastcgi_param MCP_INGEST_OVERRIDES "$INGEST_OVERRIDES";
				${MCP_INGEST_RATE:+fastcgi_param MCP_INGEST_RATE "$MCP_INGEST_RATE";}
				${MCP_INGEST_LISTS:+fastcgi_param MCP_INGEST_LISTS "$MCP_INGEST_LISTS";}
				${INGEST_NOW:+fastcgi_param MCP_NOW "$INGEST_NOW";}
				fastcgi_param ASAN_OPTIONS "${ASAN_OPTIONS:-}";
				fastcgi_param UBSAN_OPTIONS "${UBSAN_OPTIONS:-}";
				fastcgi_pass $pass;
			}
			location / {
				include /etc/nginx/fastcgi_params;
				fastcgi_param SCRIPT_FILENAME $BIN/mcp-serve;
				fastcgi_param PATH_INFO \$uri;
				fastcgi_param MCP_REDIS "$MCP_REDIS";
				fastcgi_pass $serve;
			}
		}
	}
	EOF
}

# _door_children PID: print and register the children PID has now
# (fcgiwrap's workers, which outlive it).
_door_children() {
	local c
	wait_for 20 pgrep -P "$1"
	for c in $(pgrep -P "$1"); do
		bg_pid "$c"
		echo "$c"
	done
}

# _ingest_up: the processes of the door, as start_ingest left its settings.
_ingest_up() {
	local d=$INGEST_DIR n=50 p
	rm -f "$d/ingest.sock" "$d/serve.sock"
	if [ "$INGEST_MODE" = fcgi ]; then
		MCP_INGEST_OVERRIDES=$INGEST_OVERRIDES spawn-fcgi -s "$d/ingest.sock" -M 0600 -F 2 \
		    -P "$d/ingest.pid" -- "$BIN/mcp-aggregate" ingest >>"$d/spawn.out" 2>>"$INGEST_ERR"
		# Its PIDs, the last with no newline: words, not lines.
		while [ "$(wc -w <"$d/ingest.pid" 2>/dev/null || echo 0)" -lt 2 ] && [ "$n" -gt 0 ]; do
			sleep 0.1
			n=$((n - 1))
		done
		for p in $(cat "$d/ingest.pid" 2>/dev/null); do bg_pid "$p"; done
	else
		# fcgiwrap -f: the CGI's stderr goes over FastCGI into nginx's log.
		fcgiwrap -f -c 2 -s "unix:$d/ingest.sock" 2>>"$INGEST_ERR" &
		echo $! >"$d/ingest.pid"
		bg_pid "$(cat "$d/ingest.pid")"
		wait_for 100 test -S "$d/ingest.sock" && _door_children "$(cat "$d/ingest.pid")" >>"$d/ingest.pid"
	fi
	fcgiwrap -f -c 1 -s "unix:$d/serve.sock" 2>>"$d/serve.err" &
	echo $! >"$d/serve.pid"
	bg_pid "$(cat "$d/serve.pid")"
	wait_for 100 test -S "$d/serve.sock" && _door_children "$(cat "$d/serve.pid")" >/dev/null
	# nginx as a daemon of its own: a test that kills it is told nothing.
	rm -f "$d/nginx.pid"
	nginx -p "$d" -c "$d/nginx.conf" -e "$INGEST_LOG" \
	    -g "pid $d/nginx.pid; error_log $INGEST_LOG info;" >>"$d/nginx.out" 2>&1
	wait_for 50 test -s "$d/nginx.pid" && bg_pid "$(cat "$d/nginx.pid")"
	wait_for 100 curl -s -o /dev/null --max-time 1 --cacert "$INGEST_CA" "$INGEST/healthz" || {
		diag "the door did not start: $(tail -3 "$d/nginx.out" "$INGEST_LOG" "$INGEST_ERR")"
		return 1
	}
}

start_ingest() {
	local mode=$1 addr=${2:-127.0.0.1} d=$TMP/door port
	mkdir -p "$d"
	certs
	# A server certificate for addr, from the test CA.
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$d/cert.key" 2>/dev/null
	openssl req -new -key "$d/cert.key" -subj "/CN=$addr" -out "$d/cert.csr" 2>/dev/null
	printf 'subjectAltName=IP:%s,DNS:localhost\nextendedKeyUsage=serverAuth\n' "$addr" >"$d/cert.ext"
	openssl x509 -req -in "$d/cert.csr" -CA "$TMP/certs/ca.pem" -CAkey "$TMP/certs/ca.key" \
	    -set_serial "0x$(openssl rand -hex 8)" -days 2 -sha256 -extfile "$d/cert.ext" \
	    -out "$d/cert.pem" 2>/dev/null
	[ -e "$INGEST_OVERRIDES" ] || : >"$INGEST_OVERRIDES"
	port=$(free_port)
	INGEST_MODE=$mode
	INGEST_DIR=$d
	INGEST=https://$addr:$port
	INGEST_CA=$TMP/certs/ca.pem
	INGEST_LOG=$d/error.log
	INGEST_ACCESS=$d/access.log
	INGEST_ERR=$d/ingest.err
	: >"$INGEST_ERR"
	_ingest_conf "$d" "$addr" "$port" "unix:$d/ingest.sock" "unix:$d/serve.sock" >"$d/nginx.conf"
	_ingest_up
}

stop_ingest() {
	local p pids hp=${INGEST#https://}
	pids=$(cat "$INGEST_DIR/nginx.pid" "$INGEST_DIR/ingest.pid" 2>/dev/null)
	for p in $pids; do
		pids="$pids $(pgrep -P "$p")"
	done
	# shellcheck disable=SC2086 # the pids are words
	kill -KILL $pids 2>/dev/null
	wait_for 50 bash -c "! (exec 3<>/dev/tcp/${hp%:*}/${hp##*:}) 2>/dev/null"
	return 0
}

restart_ingest() {
	stop_ingest
	_ingest_up
}

ingest_clock() {
	sed -i "s/fastcgi_param MCP_NOW [^;]*;/fastcgi_param MCP_NOW $1;/" "$INGEST_DIR/nginx.conf"
	INGEST_NOW=$1
	restart_ingest
}

token() {
	mcp-aggregate token add "$1" >"$TMP/tok.$1" 2>>"$TMP/token.err" && chmod 600 "$TMP/tok.$1"
}

_pq=0
post() {
	local region=$1 file=$2
	shift 2
	_pq=$((_pq + 1))
	RB=$TMP/post.$_pq
	ST=$(curl -sS -m 60 -o "$RB" -w '%{http_code}' --cacert "$INGEST_CA" \
	    -H @"${AUTH:-$TMP/auth.$region}" --data-binary @"$file" "$@" "$INGEST/ingest/$region" 2>"$RB.err")
}

# auth_header REGION: the header file of REGION's token (curl -H @FILE), so
# that no token is ever in a process's arguments.
auth_header() {
	printf 'Authorization: Bearer %s\n' "$(cat "$TMP/tok.$1")" >"$TMP/auth.$1"
	chmod 600 "$TMP/auth.$1"
}

# post_final REGION FILE: post until no line is answered later (a slug
# not in the ingest's targets as read seconds before is told to come
# again, never refused), at most 30 times.
post_final() {
	local n=0
	post "$@"
	while [ "$(jq -r 'select(.status == "later") | .line' "$RB" | wc -l)" != 0 ] && [ $((n += 1)) -lt 30 ]; do
		sleep 1
		post "$@"
	done
}

answers() { jq -r 'select(.line) | "\(.line) \(.status)"' "$1"; }

# _dump_lua: KEYS ARGV[1] but those starting with ARGV[2], each value by
# type, a line each, sorted, in one call (a store of 100,000 keys takes a
# second, not redis-cli's 100,000).  The latency sum's "hour" is the
# clock's, not the results': left out.
_dump_lua='local out = {}
for _, k in ipairs(redis.call("KEYS", ARGV[1])) do
  if ARGV[2] == "" or string.sub(k, 1, #ARGV[2]) ~= ARGV[2] then
    local t = redis.call("TYPE", k).ok
    if t == "hash" then
      local v = redis.call("HGETALL", k)
      for i = 1, #v, 2 do
        if not (v[i] == "hour" and string.sub(k, -7) == ":latsum") then
          out[#out + 1] = k .. " " .. v[i] .. " " .. v[i + 1]
        end
      end
    elseif t == "zset" then
      local v = redis.call("ZRANGE", k, 0, -1, "WITHSCORES")
      for i = 1, #v, 2 do out[#out + 1] = k .. " " .. v[i] .. " " .. v[i + 1] end
    elseif t == "string" then
      out[#out + 1] = k .. " = " .. redis.call("GET", k)
    else
      out[#out + 1] = k .. " " .. t
    end
  end
end
table.sort(out)
return out'

# store_dump [DB [PATTERN]]: the keys of PATTERN (every key) in DB (0) but
# mcp:ingest:*, each value by type, sorted: two stores that hold the same
# results print the same.
store_dump() {
	redis-cli -s "$REDIS_SOCK" -n "${1:-0}" --no-raw eval "$_dump_lua" 0 "${2:-*}" mcp:ingest:
}
