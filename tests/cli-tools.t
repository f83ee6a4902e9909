#!/usr/bin/env bash
# cli-tools.t - one command line (issue 59): -h and --help of mcp-alert and each of its
# commands, mcp-probe, mcp-serve and its check, mcp-otlp, mcp-fleet and its commands,
# mcp-cred's, mcp-guardrail and scripts/demo print the usage and the manual to read on
# stdout, exit 0, and do nothing else; a bogus option is named, exit 2; mcp-alert's
# lists take --json, -j kept.  A private redis-server, which help never reaches.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/alert-lib.sh"

start_redis
conns() { redis-cli -s "$REDIS_SOCK" info stats | sed -n 's/^total_connections_received:\([0-9]*\).*/\1/p'; }
# No configuration to read: one read is an error, and help never reads it.
export MCP_ALERT_CONF=$TMP/none.conf MCP_FLEET_CONF=$TMP/none.conf MCP_SERVE_CONF=$TMP/none.conf
unset GATEWAY_INTERFACE
# scripts/demo builds, installs and starts servers: stand-ins that say so if it does.
mkdir "$TMP/stub"
for c in make redis-server node nginx; do
	printf '#!/bin/sh\necho "%s $*" >>"%s"\nexit 1\n' "$c" "$TMP/stub.log" >"$TMP/stub/$c"
	chmod +x "$TMP/stub/$c"
done

# words CMD ARGS...: the command line as the checks name it, without $TOP/ and $TMP/.
words() {
	local w="$*"
	w=${w//"$TOP"\//}
	echo "${w//"$TMP"\//}"
}

# run CMD ARGS...: its exit status, stdout and stderr in RC, OUT and ERR.
run() {
	"$@" </dev/null >"$TMP/o" 2>"$TMP/e"
	RC=$?
	OUT=$(cat "$TMP/o")
	ERR=$(cat "$TMP/e")
}

# helps MANUAL WANT CMD ARGS...: -h and --help after ARGS print WANT (the
# usage lines) and the manual's line on stdout, nothing on stderr, exit 0.
helps() {
	local man=$1 want=$2 h
	shift 2
	for h in -h --help; do
		run "$@" "$h"
		is "$RC|$ERR|$OUT" "0||$want
See $man for the manual." "$(words "$@") $h: the usage, $man, exit 0"
	done
}

# bogus WHAT CMD ARGS...: --bogus after ARGS is named (WHAT: its context),
# then the usage and the manual, on stderr; exit 2, nothing on stdout.
bogus() {
	local what=$1 prog
	shift
	prog=${1##*/}
	run "$@" --bogus
	is "$RC|$OUT|$(head -1 <<<"$ERR")" "2||$prog: ${what}--bogus: unknown option" "$(words "$@") --bogus: named, exit 2"
	like "$(sed -n '2p;$p' <<<"$ERR" | tr '\n' '|')" "^usage: $prog( .*)?\|See [a-z-]+\([0-9]\) for the manual\.\|$" \
	    "$(words "$@") --bogus: the usage and the manual after it"
}

# --- mcp-alert: each command, never the configuration nor the store ---------------------
c0=$(conns)
run mcp-alert -h
all=$OUT
is "$RC|$(tail -1 <<<"$all")" "0|See mcp-alert(1) for the manual." "mcp-alert -h: the manual last"
# alert_usage CMD [SUB]: the lines of the whole usage of CMD SUB's form(s).
alert_usage() {
	sed '$d' <<<"$all" | sed 's/^usage: /       /' | grep -E "mcp-alert ((\[[^]]*\]|-c CONFIG) )*$*( |\$)" | sed '1s/^       /usage: /'
}
helps 'mcp-alert(1)' "$(sed '$d' <<<"$all")" mcp-alert -c "$TMP/none.conf"
bogus '' mcp-alert
while read -r cmd sub; do
	want=$(alert_usage "$cmd" ${sub:+"$sub"})
	ok "$([ -n "$want" ]; echo $?)" "mcp-alert $cmd${sub:+ $sub}: a form of the usage"
	# shellcheck disable=SC2086 # sub: a word, or none
	helps 'mcp-alert(1)' "$want" mcp-alert -c "$TMP/none.conf" "$cmd" $sub
	# shellcheck disable=SC2086
	bogus "$cmd${sub:+ $sub}: " mcp-alert "$cmd" $sub
done <<-'EOF'
	ack
	incidents
	routes
	routes test
	silence
	silence add
	silence list
	silence expire
	maint
	maint add
	maint list
	maint end
	post
	post new
	post update
	post resolve
	post list
	post show
	subscribers
	subscribers add
	subscribers list
	subscribers remove
	test
	token
	check
	claim
EOF
run mcp-alert maint add api --for 1h --reason x --help
is "$RC|$(head -1 <<<"$OUT")" "0|$(alert_usage maint add)" "maint add: --help among its options"
run mcp-alert frob
is "$RC|$OUT|$(head -1 <<<"$ERR")" "2||mcp-alert: frob: unknown command" "an unknown command: named, exit 2"
run mcp-alert silence frob
is "$RC|$(head -1 <<<"$ERR")|$(sed -n 2p <<<"$ERR")" "2|mcp-alert: silence: frob: unknown command|$(alert_usage silence | head -1)" \
    "silence frob: named, silence's usage"
run mcp-alert incidents x
is "$RC|$(head -1 <<<"$ERR")" "2|mcp-alert: incidents: x: unexpected argument" "incidents x: a word too many, named"
run mcp-alert maint end
is "$RC|$(head -1 <<<"$ERR")" "2|mcp-alert: maint end: want SLUG" "maint end: the missing argument said"
run mcp-alert maint add x --for
is "$RC|$(head -1 <<<"$ERR")" "2|mcp-alert: maint add: --for: needs an argument" "--for without its value"
run mcp-alert -c
is "$RC|$(head -1 <<<"$ERR")" "2|mcp-alert: -c: needs an argument" "-c without its value"
is "$(conns)" "$((c0 + 1))" "none of them connected to the store (the one connection: this count's)"

# --- mcp-alert's lists: --json, and -j as before --------------------------------------
umask 077
echo '# the defaults' >"$TMP/alert.conf"
MCP_NOW=$(w 10)
export MCP_ALERT_CONF=$TMP/alert.conf MCP_NOW
red api 0 2 http >"$TMP/in"
mcp-alert <"$TMP/in" >/dev/null 2>&1
mcp-alert maint add api --for 1h --reason deploy
mcp-alert silence add slug=api --for 1h --reason deploy >/dev/null
mcp-alert post new --slug api --title Down --text 'It is down.' >/dev/null
mcp-alert subscribers add webhook http://127.0.0.1:9/hook --slug api >/dev/null
while IFS='|' read -r list key; do
	# shellcheck disable=SC2086 # list: words
	run mcp-alert $list --json
	is "$RC|$ERR|$(jq -r ".$key" <<<"$OUT" 2>&1)" "0||api" "$list --json: JSON lines"
	json=$OUT
	# shellcheck disable=SC2086
	run mcp-alert $list -j
	is "$RC|$OUT" "0|$json" "$list -j: the same"
done <<-'EOF'
	incidents|slug
	maint list|slug
	silence list|slug
	post list|slugs[0]
	subscribers list|slugs[0]
EOF
run mcp-alert post list --all --json
is "$RC|$(jq -r .title <<<"$OUT")" "0|Down" "post list --all --json"
unset MCP_NOW
export MCP_ALERT_CONF=$TMP/none.conf

# --- mcp-probe, mcp-otlp, mcp-serve ---------------------------------------------------
run mcp-probe -h
helps 'mcp-probe(1)' "$(sed '$d' <<<"$OUT")" mcp-probe -r here http://127.0.0.1:9/mcp
ok "$(grep -q -- '-r region' <<<"$OUT"; echo $?)" "mcp-probe -h: its usage, not a record"
bogus '' mcp-probe -r here
run mcp-otlp -h
helps 'mcp-otlp(1)' "$(sed '$d' <<<"$OUT")" mcp-otlp -e http://127.0.0.1:9
ok "$(grep -q -- '--no-traces' <<<"$OUT"; echo $?)" "mcp-otlp -h: its usage"
bogus '' mcp-otlp
helps 'mcp-serve(8)' "usage: mcp-serve
       mcp-serve check [-c FILE]
       mcp-serve -h | -V" mcp-serve
echo 'store bogus://x' >"$TMP/bad-serve.conf"
helps 'mcp-serve(8)' "usage: mcp-serve check [-c FILE]" mcp-serve check -c "$TMP/bad-serve.conf"
bogus '' mcp-serve
bogus 'check: ' mcp-serve check

# --- the scripts ----------------------------------------------------------------------
F=$TOP/scripts/mcp-fleet
helps 'mcp-fleet(8)' "usage: mcp-fleet [-nv] [-c CONF] [run | check | clock [-m SECONDS] [--local]]" "$F"
for cmd in run check; do
	helps 'mcp-fleet(8)' "usage: mcp-fleet [-nv] [-c CONF] $cmd" "$F" "$cmd"
	bogus "$cmd: " "$F" "$cmd"
done
helps 'mcp-fleet(8)' "usage: mcp-fleet [-nv] [-c CONF] clock [-m SECONDS] [--local]" "$F" clock -m 2
bogus '' "$F"
bogus 'clock: ' "$F" clock
C=$TOP/scripts/mcp-cred
helps 'mcp-cred(8)' "usage: mcp-cred [-n] [-c CONF] push TOKEN_FILE | check [TOKEN_FILE]" "$C"
helps 'mcp-cred(8)' "usage: mcp-cred [-n] [-c CONF] push TOKEN_FILE" "$C" push
helps 'mcp-cred(8)' "usage: mcp-cred [-n] [-c CONF] check [TOKEN_FILE]" "$C" check
bogus '' "$C"
bogus 'push: ' "$C" push
bogus 'check: ' "$C" check
G=$TOP/scripts/mcp-guardrail
run "$G" -h
helps 'mcp-guardrail(1)' "$(sed '$d' <<<"$OUT")" "$G" -u http://127.0.0.1:9/ up
like "$OUT" '^usage: mcp-guardrail \[-m production \| staging\]' "mcp-guardrail -h: its usage, no verdict"
bogus '' "$G"
PATH=$TMP/stub:$PATH helps 'mcp(7)' "usage: demo [URL]" "$TOP/scripts/demo"
PATH=$TMP/stub:$PATH bogus '' "$TOP/scripts/demo"
is "$(cat "$TMP/stub.log" 2>/dev/null)" "" "scripts/demo --help and --bogus built, installed and started nothing"

done_testing
