#!/usr/bin/env bash
# poison.sh BUILD_DIR - the text rules (mcp-rules(7)) on the corpus of tests/data/poison: precision, recall, false positives, cost
# Every item of the corpus (a tool, resource or prompt, or a server's
# instructions) is poisoned or benign as its file says (README there); an
# item is flagged when a rule finds anything in it.  Printed: precision and
# recall over the poisoned and benign items, the false-positive rate of the
# benign side (the real lists of popular servers and the honest texts that
# resemble poisoning), the same rate and the items above low over the real
# lists of npm servers alone (benign/ but its two written files), by rule
# and severity, the same rate over the real registry's texts
# (../shared/realreg, when present: each server's description, title,
# packages and remotes, read as one item), the findings of each rule (and
# of the benign items alone: the false positives by rule), and
# the cost: the rules' nanoseconds a byte beside what a probe does with the
# same bytes today (their canonical text and hash), and a probe of a
# 256 KiB list (biglist.mjs) by this build beside BENCH_BEFORE's, CPU time.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
[ -x "$BIN/scancorpus" ] || { echo "poison.sh: $BIN/scancorpus: make $BIN/scancorpus" >&2; exit 2; }
CORPUS=$TOP/tests/data/poison
REALREG=${BENCH_REALREG:-$TOP/../shared/realreg/mcp-insights-servers-5d6e951.json.gz}
[ -f "$REALREG" ] || REALREG=/work/shared/realreg/mcp-insights-servers-5d6e951.json.gz

files=("$CORPUS"/poisoned/*.json "$CORPUS"/benign/*.json)
if [ -f "$REALREG" ]; then
	# The latest version of each server, every string of its server.json read.
	gzip -dc "$REALREG" | jq '{source:"realreg", poisoned:[], instructions:null,
	    tools:[.[] | select(._meta["io.modelcontextprotocol.registry/official"].isLatest)
	    | .server | {name} + .], resources:[], prompts:[]}' >"$TMP/realreg.json"
	files+=("$TMP/realreg.json")
fi
"$BIN/scancorpus" -n "${BENCH_POISON_ROUNDS:-20}" "${files[@]}" >"$TMP/items.jsonl"

jq -rs '
  def pct(a; b): if b == 0 then "-" else "\((a * 1000 / b | round) / 10) %" end;
  [.[] | select(.item != null)] as $all
  | ($all | map(select(.file | test("/tests/data/poison/")))) as $c
  | ($c | map(select(.poisoned and (.rules | length > 0))) | length) as $tp
  | ($c | map(select(.poisoned and (.rules | length == 0))) | length) as $fn
  | ($c | map(select((.poisoned | not) and (.rules | length > 0))) | length) as $fp
  | ($c | map(select(.poisoned | not)) | length) as $neg
  | ($all | map(select(.file | test("realreg"))) ) as $r
  | "corpus: \($c | map(select(.poisoned)) | length) poisoned items, \($neg) benign items in \($c | map(.file) | unique | length) lists",
    "precision \(pct($tp; $tp + $fp)), recall \(pct($tp; $tp + $fn)) (\($tp) found, \($fn) missed, \($fp) benign flagged)",
    "false positives on the benign side: \($fp) of \($neg) items, \(pct($fp; $neg))",
    ($c | map(select(.file | test("/benign/") and (test("/(resembling|honest-shapes)[.]json$") | not)))) as $npm
    | ($npm | map(select(.rules | length > 0))) as $nf
    | ($npm | map(select([.severities[] | select(. != "low")] | length > 0))) as $na
    | "the real lists of \($npm | map(.file) | unique | length) npm servers: \($nf | length) of \($npm | length) items flagged, \(pct($nf | length; $npm | length)); above low \($na | length), \(pct($na | length; $npm | length)) (goal: at most 1 %)",
      "  by rule and severity: \([$npm[] | [.rules, .severities] | transpose[] | "\(.[0]) \(.[1])"] | group_by(.) | map("\(.[0]) \(length)") | join(", ") | if . == "" then "none" else . end)",
      ($na[] | "  above low: \(.file | sub(".*/benign/"; "")) \(.item): \(.rules | unique | join(" "))"),
    ($c | map(select((.rules | length > 0) and (.poisoned | not))) | .[] | "  flagged benign: \(.file | sub(".*/poison/"; "")) \(.item): \(.rules | unique | join(" "))"),
    ($c | map(select(.poisoned and (.rules | length == 0))) | .[] | "  missed: \(.file | sub(".*/poison/"; "")) \(.item)"),
    (if ($r | length) > 0 then
      "the real registry (latest versions): \($r | map(select(.rules | length > 0)) | length) of \($r | length) servers flagged, \(pct($r | map(select(.rules | length > 0)) | length; $r | length))",
      ($r | map(select(.rules | length > 0)) | .[] | "  \(.item): \(.rules | unique | join(" "))")
     else empty end),
    "benign items flagged above low (corpus and registry): \($all | map(select((.poisoned | not) and ([.severities[] | select(. != "low")] | length > 0))) | length)",
    "false positives by rule (benign items, corpus and registry):",
    ($all | map(select(.poisoned | not) | .rules[]) | group_by(.) | .[] | "  \(.[0]) \(length)"),
    "findings by rule (corpus and registry):",
    ($all | map(.rules[]) | group_by(.) | .[] | "  \(.[0]) \(length)")
' "$TMP/items.jsonl"
jq -r 'select(.cost) | .cost | "cost: \(.bytes) bytes read, \(.today_ns_per_byte) ns a byte today (canonical text and hash), \(.rules_ns_per_byte) ns a byte for the rules"' "$TMP/items.jsonl"

# A probe of a 256 KiB list, this build and the build before, CPU time of BENCH_PROBES probes.
node "$TOP/tests/fixtures/biglist.mjs" --port-file "$TMP/big.port" --bytes 262144 2>"$TMP/big.err" &
big=$!
trap 'kill $big 2>/dev/null; wait $big 2>/dev/null; cleanup' EXIT
for _ in $(seq 100); do [ -s "$TMP/big.port" ] && break; sleep 0.1; done
url=http://127.0.0.1:$(cat "$TMP/big.port")/one/mcp
n=${BENCH_PROBES:-20}
probe_cpu() {
	local bin=$1
	/usr/bin/time -f '%U %S' -o "$TMP/time" bash -c \
	    'for i in $(seq '"$n"'); do "$0" -r bench -s big --list-max 0 "$1" >/dev/null || exit 1; done' \
	    "$bin/mcp-probe" "$url"
	awk -v n="$n" '{ printf "%.1f ms", ($1 + $2) * 1000 / n }' "$TMP/time"
}
"$BIN/mcp-probe" -r bench -s big --list-max 0 "$url" | tail -n 1 | jq -r '"a probe of \(.tool_count) tools (256 KiB): findings \(.findings.count)"'
echo "CPU a probe, this build: $(probe_cpu "$BIN")"
[ -z "${BENCH_BEFORE:-}" ] || echo "CPU a probe, the build before ($BENCH_BEFORE): $(probe_cpu "$BENCH_BEFORE")"
