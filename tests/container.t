#!/usr/bin/env bash
# test: long (the image built from HEAD's packages, then minutes of real time)
# timeout: 1800 (the packages, the root, and real minutes down and up)
# build: plain (the image is built from the tree, once)
# container.t - the container route, as a newcomer runs it: the image of
# HEAD (make image: its Debian packages, Debian's redis-server and nginx,
# nothing fetched but from Debian) run by podman with a port, a mounted
# targets file, a mounted mcp-alert.conf and a secret; a real MCP server
# (server-everything) up, then stopped, then up again; a receiver that
# checks what it gets as Slack's incoming webhooks take it.  What is
# checked: the page, its JSON and / within two minutes of the start, the
# health check, the alert; SIGTERM mid-minute ending that minute's work,
# the container started again keeping its history and its open incident,
# and the resolve.  Beside it, at the same time, the compose route as
# its files say, on podman's own network with published ports: the
# deciding host (contrib/container/compose.yaml: its store and its
# monitor, TLS on the ingest) and a runner in a second region
# (runner.compose.yaml) that fetches its targets and pushes its results
# over TLS with its region's token; its alert and resolve say two
# regions.  The image's minute runs in real time: about eight minutes.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
case $BIN in
*-san) skip_all "the sanitizer build: the image is built from the tree's packages, once" ;;
esac
[ "$(id -u)" = 0 ] || skip_all "root is needed (mmdebstrap, podman)"
for c in mmdebstrap buildah podman podman-compose dpkg-buildpackage node openssl; do
	command -v "$c" >/dev/null || skip_all "$c is not installed (scripts/deps installs it)"
done
git -C "$TOP" rev-parse HEAD >/dev/null 2>&1 || skip_all "not a git checkout: the image is built from HEAD"
V=$(cat "$TOP/VERSION")
TAG=localhost/mcp-uptime-test-$$:$V
NAME=mcp-uptime-test-$$
VOL=mcp-uptime-test-$$
# What runc needs on a machine whose limits it may not raise (hybrid
# cgroups here): the README's command says so too.
RUN_OPTS=(--ulimit nofile=1024:1024 --ulimit nproc=4096:4096)
P=mcpuptest$$
# shellcheck disable=SC2317 # called by the trap
teardown() {
	(cd "$TMP/runner" 2>/dev/null && podman-compose -p "${P}r" -f runner.compose.yaml down -v -t 0 >/dev/null 2>&1)
	(cd "$TMP/compose" 2>/dev/null && podman-compose -p "$P" down -v -t 0 >/dev/null 2>&1)
	podman network rm -f "${P}_default" "${P}r_default" >/dev/null 2>&1
	podman rm -f -t 0 "$NAME" >/dev/null 2>&1
	podman volume rm -f "$VOL" >/dev/null 2>&1
	podman rmi -f "$TAG" >/dev/null 2>&1
	cleanup
}
trap teardown EXIT

"$TOP/build-aux/image" -t "$TAG" "$TMP/image" >"$TMP/image.log" 2>&1
is "$?" 0 "make image: the image of HEAD built$(tail -2 "$TMP/image.log" | tr '\n' ' ' | sed 's/^/: /')"
diag "$(tail -1 "$TMP/image.log")"
is "$(podman image inspect -f '{{.Config.User}}' "$TAG" 2>&1)" 10001:10001 "the image runs as a user of its own, not root"
like "$(podman image inspect -f '{{json .Config.Healthcheck.Test}}' "$TAG" 2>&1)" 'mcp-container","health' \
    "its health check: mcp-container health"

SRV_PORT=$(free_port)
EVERYTHING=http://127.0.0.1:$SRV_PORT
# server-everything on SRV_PORT, always the same (the targets file is
# mounted: the container reads the one it was given).
srv_start() {
	PORT=$SRV_PORT node "$TOP/tests/node_modules/@modelcontextprotocol/server-everything/dist/index.js" \
	    streamableHttp >>"$TMP/everything.log" 2>&1 &
	SRV_PID=$!
	bg_pid "$SRV_PID"
	wait_http "$EVERYTHING/" 150
}
srv_start || skip_all "server-everything did not start: $(tail -2 "$TMP/everything.log")"
# (on every address: the compose route's containers reach it through
# podman's bridge, as host.containers.internal)
start_receiver --port "$(free_port)" --host 0.0.0.0
RECV_PORT=$(cat "$TMP/recv.port")
PAGE_PORT=$(free_port)
mkdir -p "$TMP/conf"
echo "everything $EVERYTHING/mcp" >"$TMP/conf/targets"
echo "$RECV/services/T000/B000/XXXX" >"$TMP/conf/slack.url"
cat >"$TMP/conf/mcp-alert.conf" <<'CONF'
route team slack url_file=/run/secrets/slack.url
notify P1,P2,P3 always team
CONF
chown 10001:10001 "$TMP/conf/slack.url" "$TMP/conf/mcp-alert.conf"
chmod 600 "$TMP/conf/slack.url" "$TMP/conf/mcp-alert.conf"

t0=$(date +%s)
podman run -d --name "$NAME" --network host "${RUN_OPTS[@]}" --read-only \
    -e MCP_PORT="$PAGE_PORT" \
    -v "$VOL:/var/lib/mcp-uptime" \
    -v "$TMP/conf/targets:/etc/mcp-uptime/targets:ro" \
    -v "$TMP/conf/mcp-alert.conf:/etc/mcp-uptime/mcp-alert.conf:ro" \
    -v "$TMP/conf/slack.url:/run/secrets/slack.url:ro" \
    "$TAG" >"$TMP/run.id" 2>"$TMP/run.err"
is "$?" 0 "podman run: a port, the targets and mcp-alert.conf mounted, a secret, a read-only root$(grep -v 'systemd connection' "$TMP/run.err" | sed 's/^/: /' | head -2 | tr '\n' ' ')"
U=http://127.0.0.1:$PAGE_PORT
state() { curl -s --max-time 5 "$U/api/embed-status/everything" | jq -r .state 2>/dev/null; }

# The compose route: the deciding host's store and monitor, the ingest's
# certificate of a private CA, ports published from podman's bridge.
mkdir -p "$TMP/compose/secrets" "$TMP/runner/secrets"
cp "$TOP/contrib/container/compose.yaml" "$TMP/compose/"
cp "$TOP/contrib/container/runner.compose.yaml" "$TMP/runner/"
HOSTNAME_C=host.containers.internal
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=test-ca \
    -keyout "$TMP/ca.key" -out "$TMP/compose/ca.crt" >/dev/null 2>&1
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$HOSTNAME_C" \
    -keyout "$TMP/compose/secrets/tls.key" -out "$TMP/tls.csr" >/dev/null 2>&1
printf 'subjectAltName=DNS:%s,IP:127.0.0.1\n' "$HOSTNAME_C" >"$TMP/san"
openssl x509 -req -in "$TMP/tls.csr" -CA "$TMP/compose/ca.crt" -CAkey "$TMP/ca.key" -CAcreateserial \
    -days 2 -extfile "$TMP/san" -out "$TMP/compose/secrets/tls.crt" >/dev/null 2>&1
cp "$TMP/compose/ca.crt" "$TMP/runner/secrets/ca.crt"
echo "everything http://$HOSTNAME_C:$SRV_PORT/mcp" >"$TMP/compose/targets"
echo "http://$HOSTNAME_C:$RECV_PORT/services/T111/B111/YYYY" >"$TMP/compose/secrets/slack.url"
cp "$TMP/conf/mcp-alert.conf" "$TMP/compose/mcp-alert.conf"
chown -R 10001:10001 "$TMP/compose" "$TMP/runner"
chmod 600 "$TMP/compose/secrets/slack.url" "$TMP/compose/secrets/tls.key"
C_HTTP=$(free_port)
C_HTTPS=$(free_port)
(cd "$TMP/compose" && MCP_IMAGE=$TAG MCP_HTTP_PORT=$C_HTTP MCP_HTTPS_PORT=$C_HTTPS \
    podman-compose -p "$P" up -d) >"$TMP/compose.log" 2>&1
is "$?" 0 "compose.yaml: podman-compose up -d, the store and the monitor$(grep -i error "$TMP/compose.log" | head -2 | sed 's/^/: /' | tr '\n' ' ')"
CU=http://127.0.0.1:$C_HTTP
wait_for 600 sh -c "curl -sf --max-time 5 '$CU/' >/dev/null"
like "$(curl -s --max-time 5 "$CU/")" '<html' "compose: the page on the published port, from podman's bridge"
# The runner's token, made on the deciding host as mcp-container(8) says.
# shellcheck disable=SC2016 # the container's shell expands nothing of ours
(umask 077 && podman exec "${P}_monitor_1" mcp-container aggregate token add eu-west-2 \
    >"$TMP/runner/secrets/token" 2>"$TMP/token.err")
is "$?" 0 "compose: a token of eu-west-2 made in the monitor (mcp-container aggregate token add)$(head -1 "$TMP/token.err" | sed 's/^/: /')"
chown 10001:10001 "$TMP/runner/secrets/token"
is "$(stat -c %a "$TMP/runner/secrets/token")" 600 "the token file: mode 600"
(cd "$TMP/runner" && MCP_IMAGE=$TAG MCP_INGEST=https://$HOSTNAME_C:$C_HTTPS MCP_REGION=eu-west-2 \
    MCP_CACERT=/run/secrets/ca.crt podman-compose -p "${P}r" -f runner.compose.yaml up -d) >"$TMP/runner.log" 2>&1
is "$?" 0 "runner.compose.yaml: a runner of eu-west-2, up"
cregions() { curl -s --max-time 5 "$CU/api/status/everything/regions" 2>/dev/null; }
# the first verdict: at the second 40 of the minute after the one it starts in
until [ "$(state)" = up ] || [ "$(date +%s)" -gt $((t0 + 125)) ]; do sleep 1; done
is "$(state)" up "within two minutes of the start: everything up on the page's JSON ($(($(date +%s) - t0)) s)"
like "$(curl -s --max-time 5 "$U/")" 'href="/status/everything"' "/ is the status page"
# The runner's results reach the deciding host over TLS: both regions.
until { cregions | grep -q eu-west-2 && cregions | grep -q '"local"'; } ||
    [ "$(date +%s)" -gt $((t0 + 300)) ]; do sleep 1; done
like "$(cregions)" 'eu-west-2' "compose: the runner's region on the deciding host's page, pushed over TLS"
like "$(cregions)" '"local"' "compose: and the monitor's own"
ilog() { podman logs "${P}r_runner_1" 2>/dev/null | grep -v '^[0-9]*:[CM] '; }
like "$(ilog)" 'minute [0-9]*: probed' "compose: the runner's log: its minute probed and pushed"
unlike "$( (podman logs "${P}_monitor_1"; podman logs "${P}r_runner_1") 2>&1)" "$(cut -d. -f2 "$TMP/runner/secrets/token")" \
    "the token's secret in no log"
logs() { podman logs "$NAME" 2>/dev/null | grep -v '^[0-9]*:[CM] '; }
like "$(logs | grep -c '^[0-9T:-]*Z mcp-container: minute [0-9]*: decided$')" '^[1-9]' \
    "its log: one line an event, the minute decided"
podman healthcheck run "$NAME" >"$TMP/health" 2>&1
is "$?" 0 "the health check: the last minute's probes and verdicts happened$(sed 's/^/: /' "$TMP/health" | head -1)"

# The server stopped: the page in the third minute down.
kill "$SRV_PID" 2>/dev/null
wait "$SRV_PID" 2>/dev/null
wait_for 3000 sh -c "grep '\"path\":\"/services/T000/' '$RECV_LOG' | grep -q 'P1 trigger: everything: connect failing in 1 region'"
ok $? "the server stopped: Slack gets 'P1 trigger: everything: connect failing in 1 region'"
chat() { grep "\"path\":\"/services/$1/" "$RECV_LOG"; }
wait_for 3000 sh -c "grep '\"path\":\"/services/T111/' '$RECV_LOG' | grep -q 'P1 trigger: everything: connect failing in 2 regions'"
ok $? "compose: the deciding host's Slack gets 'P1 trigger: everything: connect failing in 2 regions'$(chat T111 | jq -r .body 2>/dev/null | tail -1 | cut -c1-120 | sed 's/^/: /')"
is "$(state)" down "the page says down"

# SIGTERM mid-minute: that minute's probes pushed and its verdicts made,
# then the rest stopped; started again, nothing of it lost.
# shellcheck disable=SC2016 # the clock read at each try
wait_for 700 sh -c 's=$(($(date +%s) % 60)); [ "$s" -ge 5 ] && [ "$s" -le 30 ]'
podman stop -t 90 "$NAME" >/dev/null 2>&1
is "$(podman inspect -f '{{.State.ExitCode}}' "$NAME")" 0 "SIGTERM mid-minute: stopped, exit 0"
like "$(logs | sed -n '/SIGTERM/,$p' | tr '\n' '|')" 'SIGTERM: the minute in progress ends.*\|.*decided\|.*stopping\|.*stopped' \
    "the minute's verdicts made before it stopped"
podman start "$NAME" >/dev/null 2>&1
t1=$(date +%s)
until [ -n "$(state)" ] || [ "$(date +%s)" -gt $((t1 + 20)) ]; do sleep 0.2; done
is "$(state)" down "started again: the history on the volume, the server still down"
srv_start || diag "server-everything did not start again: $(tail -2 "$TMP/everything.log")"
wait_for 3000 sh -c "grep '\"path\":\"/services/T000/' '$RECV_LOG' | grep -q 'P1 resolve: everything'"
ok $? "the server up again: the resolve, of the incident opened before the restart"
is "$(chat T000 | grep -c 'P1 trigger: everything: connect')" 1 "one trigger: the restart paged nothing again"
wait_for 3000 sh -c "grep '\"path\":\"/services/T111/' '$RECV_LOG' | grep -q 'P1 resolve: everything'"
ok $? "compose: the resolve, at the deciding host's Slack"

done_testing
