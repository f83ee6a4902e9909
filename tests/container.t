#!/usr/bin/env bash
# test: long (the image built from HEAD's packages, then minutes of real time)
# timeout: 1800 (the packages, the root, and three real minutes down and up)
# build: plain (the image is built from the tree, once)
# container.t - the README's container route, as a newcomer runs it: the
# image of HEAD (make image: its Debian packages, Debian's redis-server
# and nginx, nothing fetched but from Debian) run by podman with a port,
# a mounted targets file and a mounted mcp-alert.conf; a real MCP server
# (server-everything) up, then stopped, then up again; a receiver that
# checks what it gets as Slack's incoming webhooks take it.  What is
# checked: the page, its JSON and /mcp within two minutes, the alert and
# its resolve, the health check, SIGTERM mid-minute losing nothing, the
# history kept on the volume across a restart.  The image's own minute
# runs in real time: this test takes about ten minutes.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
case $BIN in
*-san) skip_all "the sanitizer build: the image is built from the tree's packages, once" ;;
esac
[ "$(id -u)" = 0 ] || skip_all "root is needed (mmdebstrap, podman)"
for c in mmdebstrap podman dpkg-buildpackage node; do
	command -v "$c" >/dev/null || skip_all "$c is not installed (scripts/deps installs it)"
done
git -C "$TOP" rev-parse HEAD >/dev/null 2>&1 || skip_all "not a git checkout: the image is built from HEAD"
V=$(cat "$TOP/VERSION")
TAG=localhost/mcp-uptime-test:$V
NAME=mcp-uptime-test-$$
VOL=mcp-uptime-test-$$
# What this machine's runc needs (hybrid cgroups: it may not set the
# limits it inherits).
RUN_OPTS=(--ulimit nofile=1024:1024 --ulimit nproc=4096:4096)
teardown() {
	podman rm -f -t 0 "$NAME" >/dev/null 2>&1
	podman volume rm -f "$VOL" >/dev/null 2>&1
	podman rmi -f "$TAG" >/dev/null 2>&1
	cleanup
}
trap teardown EXIT

"$TOP/build-aux/image" -t "$TAG" "$TMP/image" >"$TMP/image.log" 2>&1
is "$?" 0 "make image: the image of HEAD built$(tail -2 "$TMP/image.log" | tr '\n' ' ' | sed 's/^/: /')"
size=$(du -m "$TMP/image/mcp-uptime-$V.oci.tar" 2>/dev/null | cut -f1)
diag "image: ${size:-?} MB (an OCI archive)"
is "$(podman image inspect -f '{{.Config.User}}' "$TAG" 2>&1)" 10001:10001 "the image runs as a user of its own, not root"

start_everything streamableHttp || skip_all "server-everything did not start"
SRV_PORT=${EVERYTHING##*:}
start_receiver
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

run_container() {
	podman run -d --name "$NAME" --network host "${RUN_OPTS[@]}" --read-only \
	    -e MCP_PORT="$PAGE_PORT" \
	    -v "$VOL:/var/lib/mcp-uptime" \
	    -v "$TMP/conf/targets:/etc/mcp-uptime/targets:ro" \
	    -v "$TMP/conf/mcp-alert.conf:/etc/mcp-uptime/mcp-alert.conf:ro" \
	    -v "$TMP/conf/slack.url:/run/secrets/slack.url:ro" \
	    "$TAG" >"$TMP/run.id" 2>"$TMP/run.err"
}
t0=$(date +%s)
run_container
is "$?:$(cat "$TMP/run.err")" "0:" "podman run, a port, the targets and mcp-alert.conf mounted, a read-only root"
U=http://127.0.0.1:$PAGE_PORT
state() { curl -s --max-time 5 "$U/api/embed-status/everything" | jq -r .state 2>/dev/null; }
wait_for 1500 test "$(state)" = up
ok $? "within two and a half minutes: everything up on the page's JSON ($(($(date +%s) - t0)) s)"
like "$(curl -s --max-time 5 "$U/")" 'href="/status/everything"' "/ is the status page"
like "$(podman logs "$NAME" 2>&1 | tail -20)" 'minute [0-9]+: decided' "its log: one line an event, the minute decided"
podman healthcheck run "$NAME" >/dev/null 2>&1 || podman exec "$NAME" mcp-container health >"$TMP/health" 2>&1
ok $? "the health check: the last minute's probes and verdicts happened"

# The server stopped: the alert in the third minute down.
kill "$(pgrep -f "PORT=$SRV_PORT" | head -1)" 2>/dev/null
pkill -f "server-everything/dist/index.js streamableHttp" 2>/dev/null
wait_for 3600 grep -q 'P1 trigger' "$RECV_LOG"
ok $? "the server stopped: Slack gets the page ($(grep -o 'P1 trigger[^"]*' "$RECV_LOG" | head -1))"
is "$(state)" down "the page says down"

done_testing
