#!/usr/bin/env bash
# am.sh - sourced by the bench scripts that run Alertmanager beside mcp-alert.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck disable=SC2034 # am is read by the scripts that source it
# am_start PORT: Alertmanager ($AM) on 127.0.0.1:PORT with $TMP/am.yml and a
# private storage, alone (no cluster); its pid in am and pids, once ready.
am_start() {
	"$AM" --config.file="$TMP/am.yml" --storage.path="$TMP/am" --web.listen-address="127.0.0.1:$1" \
	    --cluster.listen-address= --log.level=warn 2>"$TMP/am.log" &
	am=$!
	pids+=("$am")
	for _ in $(seq 200); do curl -sf "http://127.0.0.1:$1/-/ready" >/dev/null 2>&1 && break; sleep 0.05; done
}
