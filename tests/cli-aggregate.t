#!/usr/bin/env bash
# cli-aggregate.t - mcp-aggregate's command line: -h and --help for the tool and every subcommand, unknown words named, status --json
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/aggregate-lib.sh
. "$TOP/tests/aggregate-lib.sh"
# Set, it would make every run the ingest, whatever its words.
unset GATEWAY_INTERFACE
see="See mcp-aggregate(1) for the manual."

# --- the tool's own -h and --help --------------------------------------------
for h in -h --help; do
	mcp-aggregate "$h" >"$TMP/out" 2>"$TMP/err"
	is "$?:$(cat "$TMP/err")" 0: "mcp-aggregate $h: exit 0, nothing on stderr"
	is "$(head -1 "$TMP/out" | cut -d' ' -f1-3)" "usage: mcp-aggregate push" "mcp-aggregate $h: the usage on stdout"
	is "$(tail -1 "$TMP/out")" "$see" "mcp-aggregate $h: then the manual's name"
done
cp "$TMP/out" "$TMP/whole"
# The subcommands, as the usage names them (registry's: registry sync).
mapfile -t cmds < <(sed -n 's/^\(usage:\)\{0,1\} *mcp-aggregate \([a-z]*\) .*/\2/p' "$TMP/whole" | uniq)
is "${cmds[*]}" "push verdict results status report audit registry targets token reader tools fleet ingest" \
    "the usage names every subcommand"

# --- each subcommand's -h and --help: its lines of the usage alone ------------
: >"$TMP/union"
for c in "${cmds[@]}" "registry sync"; do
	for h in -h --help; do
		# shellcheck disable=SC2086 # "registry sync" is two words
		mcp-aggregate $c "$h" >"$TMP/out" 2>"$TMP/err"
		is "$?:$(cat "$TMP/err")" 0: "$c $h: exit 0, nothing on stderr"
		is "$(sed '$d' "$TMP/out" | grep -vc "^\(usage:\|      \) mcp-aggregate ${c%% *} ")" 0 \
		    "$c $h: every line of the usage is of $c"
		is "$(head -1 "$TMP/out" | cut -d' ' -f1-3)" "usage: mcp-aggregate ${c%% *}" "$c $h: the usage on stdout"
		is "$(tail -1 "$TMP/out")" "$see" "$c $h: then the manual's name"
	done
	[ "$c" = "registry sync" ] || sed '$d;s/^usage: /       /' "$TMP/out" >>"$TMP/union"
done
is "$(cat "$TMP/union")" "$(sed '$d;s/^usage: /       /' "$TMP/whole")" \
    "the subcommands' lines, in turn, are the whole usage"
# -h is help after other options, and after the subcommand's words.
mcp-aggregate tools -R unix:///nowhere --json --help >"$TMP/out" 2>&1
is "$?:$(tail -1 "$TMP/out")" "0:$see" "tools -R URL --json --help: help"
mcp-aggregate token add eu-west-2 -h >"$TMP/out" 2>&1
is "$?:$(head -1 "$TMP/out" | cut -d' ' -f1-3)" "0:usage: mcp-aggregate token" "token add REGION -h: help"

# --- a usage error: named, the subcommand's usage, exit 2 ----------------------
for c in "${cmds[@]}" "registry sync"; do
	for bad in --bogus -Z; do
		# shellcheck disable=SC2086 # "registry sync" is two words
		mcp-aggregate $c "$bad" >"$TMP/out" 2>"$TMP/err"
		is "$?:$(cat "$TMP/out"):$(head -1 "$TMP/err")" "2::mcp-aggregate: $c: $bad: unknown option" \
		    "$c $bad: named on stderr, exit 2"
		is "$(sed -n 2p "$TMP/err" | cut -d' ' -f1-3):$(tail -1 "$TMP/err")" "usage: mcp-aggregate ${c%% *}:$see" \
		    "$c $bad: then the usage of $c"
	done
done
mcp-aggregate statsu >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/out"):$(head -1 "$TMP/err")" "2::mcp-aggregate: statsu: unknown command" "statsu: named, exit 2"
is "$(sed 1d "$TMP/err")" "$(cat "$TMP/whole")" "then the whole usage, on stderr"
mcp-aggregate --bogus 2>"$TMP/err"
is "$?:$(head -1 "$TMP/err")" "2:mcp-aggregate: --bogus: unknown option" "an option in place of a command: named"
mcp-aggregate registry frob 2>"$TMP/err"
is "$?:$(head -1 "$TMP/err")" "2:mcp-aggregate: registry: frob: unknown command" "registry frob: named"
mcp-aggregate token frob 2>"$TMP/err"
is "$?:$(head -1 "$TMP/err")" "2:mcp-aggregate: token: frob: unknown command" "token frob: named"
mcp-aggregate reader frob 2>"$TMP/err"
is "$?:$(head -1 "$TMP/err")" "2:mcp-aggregate: reader: frob: unknown command" "reader frob: named"
mcp-aggregate push -vx 2>"$TMP/err"
is "$?:$(head -1 "$TMP/err")" "2:mcp-aggregate: push: -x: unknown option" "a short option in a cluster: named alone"
mcp-aggregate verdict -L 2>"$TMP/err"
is "$?:$(head -1 "$TMP/err")" "2:mcp-aggregate: verdict: -L: missing argument" "-L without its argument"
mcp-aggregate push --to 2>"$TMP/err"
is "$?:$(head -1 "$TMP/err")" "2:mcp-aggregate: push: --to: missing argument" "--to without its argument"
mcp-aggregate fleet --json=yes 2>"$TMP/err"
is "$?:$(head -1 "$TMP/err")" "2:mcp-aggregate: fleet: --json: takes no argument" "--json=yes"
mcp-aggregate targets --full 2>"$TMP/err"
is "$?:$(head -1 "$TMP/err")" "2:mcp-aggregate: targets: --full: unknown option" "registry sync's option to targets: named"
mcp-aggregate tools --diff --history s 2>"$TMP/err"
is "$?:$(head -1 "$TMP/err")" "2:mcp-aggregate: tools: --diff and --history: one or the other" "two modes of tools"
mcp-aggregate results 2>"$TMP/err"
is "$?:$(head -1 "$TMP/err")" "2:mcp-aggregate: results: a SLUG is needed" "results without its slug"
mcp-aggregate push extra 2>"$TMP/err"
is "$?:$(head -1 "$TMP/err")" "2:mcp-aggregate: push: extra: unexpected argument" "push with an operand"

# --- --json wherever JSON is printed --------------------------------------------
start_redis
gen -s s-cli -r "$ALL" -n 2 | push
run_windows 0 1 s-cli
MCP_NOW=$(($(w 1) + 100)) mcp-aggregate status --json s-cli >"$TMP/st" 2>"$TMP/err"
is "$?:$(cat "$TMP/err"):$(jq -c '[.type, .slug, .state]' "$TMP/st")" '0::["status","s-cli","up"]' \
    "status --json: a JSON record a slug"
MCP_NOW=$(($(w 1) + 100)) mcp-aggregate status -j s-cli >"$TMP/st.j"
is "$(cat "$TMP/st.j")" "$(cat "$TMP/st")" "status -j, its older spelling, prints the same"
MCP_NOW=$(($(w 1) + 100)) mcp-aggregate status s-cli >"$TMP/st.t"
is "$(head -1 "$TMP/st.t" | cut -d' ' -f1)" SLUG "without it, the table"
for c in report audit fleet "tools s-cli"; do
	# shellcheck disable=SC2086 # "tools s-cli" is two words
	MCP_NOW=$(($(w 1) + 100)) mcp-aggregate $c --json >"$TMP/j" 2>"$TMP/err"
	rc=$?
	# fleet's JSON is a line a finding: none here.
	ok "$([ "$rc" -lt 2 ] && { [ "$c" = fleet ] || [ -s "$TMP/j" ]; } && jq -e . "$TMP/j" >/dev/null; echo $?)" \
	    "$c --json: accepted, JSON printed (exit $rc$(head -1 "$TMP/err" | sed 's/^./: &/'))"
done

# --- a token goes only where it crosses no network in clear ---------------------
printf 'x.y\n' >"$TMP/tok"
chmod 600 "$TMP/tok"
mcp-aggregate push --to http://192.0.2.1/ingest/r1 --token-file "$TMP/tok" </dev/null 2>"$TMP/err"
is "$?:$(head -1 "$TMP/err")" "2:mcp-aggregate: --to http://192.0.2.1/ingest/r1: want https://HOST/.../REGION (http:// to loopback only), REGION [a-z0-9._-]{1,80}, not all dots" \
    "push --to: plain http:// to another host refused"
mcp-aggregate push --to http://127.0.0.1.example/ingest/r1 --token-file "$TMP/tok" </dev/null 2>/dev/null
is "$?" 2 "...and to a name that only looks like loopback"
mcp-aggregate targets --from http://192.0.2.1/targets/r1 --token-file "$TMP/tok" 2>"$TMP/err"
is "$?:$(head -1 "$TMP/err")" "2:mcp-aggregate: --from http://192.0.2.1/targets/r1: want an https:// URL (http:// to loopback only)" \
    "targets --from: the same"
p=$(free_port)
MCP_SPOOL=$TMP/spool mcp-aggregate push -t 1 --to "http://127.0.0.1:$p/ingest/r1" --token-file "$TMP/tok" </dev/null 2>"$TMP/err"
is "$?:$(grep -c 'want https' "$TMP/err")" "0:0" "push --to http://127.0.0.1:PORT/...: taken (a runner tried on the deciding host itself)"
mcp-aggregate targets -t 1 -S "$TMP/spool" --from "http://[::1]:$p/targets/r1" --token-file "$TMP/tok" >/dev/null 2>"$TMP/err"
is "$?:$(grep -c 'want an https' "$TMP/err")" "1:0" "targets --from http://[::1]:PORT/...: taken, and fails only for want of an answer"

# --- a secret printed into a file is mode 600, whatever the umask ---------------
(umask 022 && mcp-aggregate token add r1 >"$TMP/r1.token") 2>"$TMP/err"
is "$?:$(stat -c %a "$TMP/r1.token"):$(wc -c <"$TMP/r1.token")" "0:600:53" "token add REGION >FILE under umask 022: FILE mode 600, the token in it"
(umask 022 && mcp-aggregate reader add >"$TMP/reader.token") 2>"$TMP/err"
is "$?:$(stat -c %a "$TMP/reader.token")" "0:600" "reader add >FILE: the same"
unlike "$(cat "$TMP/err")" "$(cut -c10- "$TMP/reader.token")" "the secret is not in what it says"
touch "$TMP/other.token"
chmod 644 "$TMP/other.token"
chown nobody "$TMP/other.token" 2>/dev/null && [ "$(id -u)" != 0 ] &&
	{ mcp-aggregate token add r1 >>"$TMP/other.token" 2>"$TMP/err"; is "$?" 1 "a file others may read that cannot be made 600: refused"; }
is "$(mcp-aggregate token list r1 | wc -l)" 1 "one token of r1 in the store (none added by a refused run)"

done_testing
