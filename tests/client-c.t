#!/usr/bin/env bash
# client-c.t - the C liveness client (clients/c/mcp_liveness.[ch], libcurl
# and threads), built here with the suite's warnings (and ASan and UBSan
# against a sanitizer build), against mcp-serve behind nginx and fcgiwrap
# over a store the real pipeline filled: its JSON reader, each state, 304s
# counted in nginx's access log, the breaker and staleness on a fake
# clock, a state change seen by the poll thread within one poll, nginx
# killed mid-run (fail open).  And mcp_webhook, the receiver's check of
# mcp-alert's signed webhooks (libcrypto), on deliveries of its own.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/serve-lib.sh
source "$TOP/tests/serve-lib.sh"

CC=${CC:-cc}
command -v "$CC" >/dev/null || skip_all "no C compiler ($CC)"
pkg-config --exists libcurl 2>/dev/null || skip_all "libcurl's development files are not installed"
live_api_ready

san=()
case ${BIN##*/} in *san*) san=("-fsanitize=address,undefined" -fno-sanitize-recover=all -fno-omit-frame-pointer) ;; esac
# shellcheck disable=SC2046 # pkg-config prints words
"$CC" -std=c11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
    -Wformat=2 -Wvla -Werror "${san[@]}" -o "$TMP/test_liveness" "$TOP/clients/c/test/test_liveness.c" \
    $(pkg-config --cflags --libs libcurl) -lpthread 2>"$TMP/cc.err"
is "$?:$(cat "$TMP/cc.err")" 0: "clients/c builds with -Wall -Wextra -Werror${san:+ and the sanitizers}"

unset MCP_UPTIME_URL MCP_TEST_ACCESS_LOG MCP_TEST_FLIP MCP_TEST_API_PID
if [ "$live" = 1 ]; then
	start_live_api
else
	diag "live checks skipped: $why"
fi

[ -x "$TMP/test_liveness" ] || done_testing
timeout 60 "$TMP/test_liveness" >"$TMP/c.out" 2>"$TMP/c.err"
rc=$?
while IFS= read -r line; do
	case $line in
	'ok - '*) ok 0 "c: ${line#ok - }" ;;
	'not ok - '*) ok 1 "c: ${line#not ok - }" ;;
	esac
	case $line in *' # SKIP '*) diag "skipped: ${line#* # SKIP }" ;; esac
done <"$TMP/c.out"
is "$rc:$(head -c 2000 "$TMP/c.err")" 0: "test_liveness exits 0, nothing on stderr"
ok "$([ "$(grep -c '^\(not \)\{0,1\}ok - ' "$TMP/c.out")" -ge 18 ]; echo $?)" "test_liveness ran its checks"
[ "$live" = 0 ] || is "$(cat "$TMP/window.err")" "" "the pipeline's flip: no message"

# --- mcp_webhook -----------------------------------------------------------------------
if pkg-config --exists libcrypto 2>/dev/null; then
	# shellcheck disable=SC2046 # pkg-config prints words
	"$CC" -std=c11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	    -Wformat=2 -Wvla -Werror "${san[@]}" -o "$TMP/test_webhook" "$TOP/clients/c/test/test_webhook.c" \
	    $(pkg-config --cflags --libs libcrypto) 2>"$TMP/cc.err"
	is "$?:$(cat "$TMP/cc.err")" 0: "mcp_webhook builds with -Wall -Wextra -Werror${san:+ and the sanitizers}"
	"$TMP/test_webhook" >"$TMP/w.out" 2>"$TMP/w.err"
	rc=$?
	while IFS= read -r line; do
		case $line in
		'ok - '*) ok 0 "c: webhook: ${line#ok - }" ;;
		'not ok - '*) ok 1 "c: webhook: ${line#not ok - }" ;;
		esac
	done <"$TMP/w.out"
	is "$rc:$(head -c 2000 "$TMP/w.err")" 0: "test_webhook exits 0, nothing on stderr"
else
	diag "mcp_webhook skipped: libcrypto's development files are not installed"
fi
done_testing
