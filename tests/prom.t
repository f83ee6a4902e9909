#!/usr/bin/env bash
# prom.t - contrib/prometheus and contrib/grafana checked by promtool and jq, and mcp-serve's real Prometheus text by promtool check metrics
# The store is filled by the real tools (mcp-aggregate push and verdict,
# through MCP_NOW); mcp-serve is run as a CGI program, without a web server.
# Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/aggregate-lib.sh
. "$TOP/tests/aggregate-lib.sh"
cd "$TOP" || exit 1

PROMTOOL=$TOP/deps/prometheus/usr/bin/promtool
[ -x "$PROMTOOL" ] || skip_all "promtool is missing: scripts/deps unpacks it into deps/prometheus"
PROM=contrib/prometheus
GRAFANA=contrib/grafana/mcp-uptime.json
# The families of serve/SPEC.md, in the order mcp-serve writes them.
FAMILIES="mcp_state mcp_uptime_30d_ratio mcp_p95_latency_seconds mcp_last_probe_age_seconds mcp_verdict_age_seconds mcp_divergence mcp_region_up mcp_slugs"
ONE_FAMILIES="mcp_state mcp_uptime_30d_ratio mcp_p95_latency_seconds mcp_last_probe_age_seconds"

# --- the configuration, the rules and their unit tests ------------------------

pout=$("$PROMTOOL" check config "$PROM/prometheus.yml" 2>&1)
rc=$?
is "$rc" 0 "promtool check config prometheus.yml"
like "$pout" "SUCCESS: 1 rule files found" "check config found mcp-rules.yml through rule_files"
[ "$rc" = 0 ] || diag "$pout"

pout=$("$PROMTOOL" check rules "$PROM/mcp-rules.yml" 2>&1)
rc=$?
is "$rc" 0 "promtool check rules mcp-rules.yml"
[ "$rc" = 0 ] || diag "$pout"

pout=$("$PROMTOOL" test rules "$PROM/mcp-rules.test.yml" 2>&1)
rc=$?
is "$rc" 0 "promtool test rules mcp-rules.test.yml: each alert fires when it should, and only then"
[ "$rc" = 0 ] || printf '%s\n' "$pout" | sed 's/^/# /'

# Each alert of the brief is there, and tested.
for a in McpServerDown McpServerDegraded McpServerPending McpProbesStale McpVerdictsStale McpServeScrapeFailing; do
	ok "$(grep -q "alert: $a\$" "$PROM/mcp-rules.yml" && grep -q "alertname: $a\$" "$PROM/mcp-rules.test.yml"; echo $?)" \
	    "rule $a is defined and unit-tested"
done

# --- the Grafana dashboard ----------------------------------------------------

jq empty "$GRAFANA" 2>"$TMP/jq.err"
is "$?:$(cat "$TMP/jq.err")" "0:" "mcp-uptime.json is valid JSON"
is "$(jq -r '.schemaVersion >= 36' "$GRAFANA")" true "schemaVersion 36 or later"
is "$(jq -c '[.templating.list[] | select(.type == "datasource") | "\(.name)=\(.query)"]' "$GRAFANA")" \
    '["datasource=prometheus","metrics=prometheus","tempo=tempo"]' \
    "data source variables: Prometheus (mcp-serve), Prometheus (OTLP metrics), Tempo"
is "$(jq -r '.templating.list[] | select(.name == "slug") | .definition' "$GRAFANA")" \
    "label_values(mcp_state, slug)" "slug variable from label_values(mcp_state, slug)"
# A panel and each of its queries name one data source, by its variable.
is "$(jq -r '[.panels[] | select(.type != "row") | .datasource as $d | "\($d.type):\($d.uid)",
    (.targets[] | select(.datasource != $d) | "mismatch:\(.datasource.uid)")] | unique | join(" ")' "$GRAFANA")" \
    'prometheus:${datasource} prometheus:${metrics} tempo:${tempo}' "every panel and query uses a data source variable"
is "$(jq -c '[.panels[] | select(.type == "state-timeline" and .targets[0].expr == "mcp_state{slug=~\"$slug\"}")
    | .fieldConfig.defaults.mappings[0].options | to_entries[] | [.key, .value.text]]' "$GRAFANA")" \
    '[["1","up"],["0.5","degraded"],["0","down"],["-1","pending"]]' "state timeline maps 1 0.5 0 -1 to up degraded down pending"
is "$(jq -r '[.panels[] | select(.targets[]? | .expr // "" | test("mcp_uptime_30d_ratio")) | .fieldConfig.defaults.unit,
    (.fieldConfig.overrides[] | select(.matcher.options == "Value #B") | .properties[] | select(.id == "unit") | .value)]
    | map(select(. != null)) | unique | join(" ")' "$GRAFANA")" "percentunit" "30-day uptime shown as a percentage"
for m in mcp_p95_latency_seconds mcp_last_probe_age_seconds mcp_region_up; do
	ok "$(jq -e --arg m "$m" '[.panels[].targets[]? | .expr // "" | select(test($m))] | length > 0' "$GRAFANA" >/dev/null; echo $?)" \
	    "a panel shows $m"
done

# The Tempo panels: TraceQL, never PromQL; the others PromQL.
is "$(jq '[.panels[] | select(.datasource.type == "tempo") | .targets[]
    | select(.queryType != "traceql" or (.query | type) != "string" or has("expr"))] | length' "$GRAFANA")" 0 \
    "every Tempo query is TraceQL (queryType traceql, a query, no expr)"
is "$(jq '[.panels[] | select(.datasource.type == "prometheus") | .targets[] | select((.expr | type) != "string")] | length' "$GRAFANA")" 0 \
    "every Prometheus query has an expr"
jq -r '.panels[] | select(.datasource.type == "tempo") | .targets[].query' "$GRAFANA" >"$TMP/traceql"
ok "$([ "$(wc -l <"$TMP/traceql")" -ge 5 ]; echo $?)" "at least five TraceQL queries"

# The TraceQL queries name only what mcp-otlp emits: span attributes from
# otlp/attr.c, resource attributes from otlp_resource() in otlp/span.c,
# mcp.method.name values from attr.c, service.name through $service,
# whose default is mcp-otlp's.
grep -hv '#include' otlp/attr.c | grep -oE '"[a-z_]+(\.[a-z_]+)+"' | tr -d '"' | sort -u >"$TMP/span-keys"
sed -n '/^otlp_resource(/,/^}/p' otlp/span.c | grep -oE '"[a-z_]+(\.[a-z_]+)+"' | tr -d '"' | sort -u >"$TMP/resource-keys"
sed -n '/\*method = /,/;/p' otlp/attr.c | grep -oE '"[a-z/]+"' | tr -d '"' | sort -u >"$TMP/methods"
ok "$(grep -qx mcp.method.name "$TMP/span-keys" && grep -qx cloud.region "$TMP/resource-keys" && grep -qx tools/call "$TMP/methods"; echo $?)" \
    "otlp/ sources give the span and resource attribute keys and the methods"
unknown=''
for a in $(grep -oE '\b(span|resource)\.[a-z_]+(\.[a-z_]+)*' "$TMP/traceql" | sort -u); do
	case $a in
	span.*) grep -qxF -e "${a#span.}" "$TMP/span-keys" || unknown="$unknown $a" ;;
	resource.*) grep -qxF -e "${a#resource.}" "$TMP/resource-keys" || unknown="$unknown $a" ;;
	esac
done
is "$unknown" "" "TraceQL names only attributes mcp-otlp emits: $(grep -oE '\b(span|resource)\.[a-z_]+(\.[a-z_]+)*' "$TMP/traceql" | sort -u | tr '\n' ' ')"
unknown=''
for m in $(grep -oE 'span\.mcp\.method\.name (=|!=) "[^"]*"' "$TMP/traceql" | sed 's/.*"\(.*\)"/\1/' | sort -u); do
	grep -qxF -e "$m" "$TMP/methods" || unknown="$unknown $m"
done
is "$unknown" "" "TraceQL compares mcp.method.name only to methods mcp-otlp writes"
is "$(grep -vc 'resource\.service\.name = "\$service"' "$TMP/traceql")" 0 "every TraceQL query selects resource.service.name = \$service"
is "$(jq -r '.templating.list[] | select(.name == "service") | .query' "$GRAFANA")" "$(sed -n 's/.*r->service = strdup("\(.*\)");/\1/p' otlp/main.c)" \
    "\$service defaults to mcp-otlp's service.name"
ok "$(grep -q 'span\.mcp_uptime\.slug =~ "\$slug" && status = error } | count_over_time() by (span\.mcp_uptime\.slug, resource\.cloud\.region)' "$TMP/traceql"; echo $?)" \
    "failed probes counted by slug and region"
ok "$(grep -q 'span\.mcp\.method\.name = "tools/call" && duration >= \$slow' "$TMP/traceql"; echo $?)" "the slow tools/call spans"
is "$(jq -r '[.panels[] | select(.type == "table" and .datasource.type == "tempo") | .targets[].tableType] | sort | join(" ")' "$GRAFANA")" \
    "spans traces" "a table of spans and a list of traces (their trace IDs link to the trace)"

# The OTLP metrics' panels select mcp-otlp's metrics under the names a
# Prometheus backend gives them (Prometheus's OTLP receiver, the Collector's
# prometheus exporter: dots to underscores; the unit a suffix unless the
# name has it, s seconds, d days, {...} none; _total for a monotonic sum,
# _ratio for a gauge of unit 1; _bucket, _sum, _count for a histogram),
# derived from mcp-otlp(1)'s Metrics; the labels are their attributes,
# from otlp/metric.c, likewise translated.
awk '/^\.It Li [a-z_.]+ Pq / {
	n = $3; gsub(/\./, "_", n); t = $5; u = $NF
	s = u == "s" ? "seconds" : u == "d" ? "days" : ""
	if (s != "" && ("_" n "_") !~ ("_" s "_")) n = n "_" s
	if ($0 ~ /monotonic/) n = n "_total"
	if (t == "gauge" && u == "1") n = n "_ratio"
	if (t == "histogram") print n "_bucket\n" n "_sum\n" n "_count"; else print n
}' man/mcp-otlp.1 | sort -u >"$TMP/otlp-names"
is "$(sed -n '/^\.Bd -literal/,/^\.Ed/p' man/mcp-otlp.1 | grep -oE '^mcp_[a-z_]+' | sort | tr '\n' ' ')" \
    "$(grep -vE '_(sum|count)$' "$TMP/otlp-names" | sort | tr '\n' ' ')" "mcp-otlp(1) lists those Prometheus names"
missing=''
for m in $(sed -n 's/^\.It Li \([a-z_.]*\) Pq .*/\1/p' man/mcp-otlp.1); do
	grep -qF -e "\"$m\"" otlp/metric.c || missing="$missing $m"
done
is "$missing:$(wc -l <"$TMP/otlp-names")" ":9" "mcp-otlp(1)'s seven metrics are otlp/metric.c's, nine Prometheus names"
grep -hv '#include' otlp/metric.c | grep -vE '\b(metric|sum|gauge)[(]' | grep -oE '"[a-z_]+(\.[a-z_]+)+"' |
    tr -d '"' | tr . _ | sort -u >"$TMP/otlp-labels"
echo le >>"$TMP/otlp-labels"
jq -r '.panels[] | select(.datasource.uid == "${metrics}") | .targets[].expr' "$GRAFANA" >"$TMP/otlp-exprs"
ok "$([ "$(wc -l <"$TMP/otlp-exprs")" -ge 6 ]; echo $?)" "at least six queries of the OTLP metrics"
for m in mcp_client_operation_duration_seconds_bucket mcp_uptime_probe_state_ratio mcp_uptime_verdict_ratio mcp_uptime_tls_cert_days_left; do
	ok "$(grep -q "\b$m\b" "$TMP/otlp-exprs"; echo $?)" "an OTLP panel shows $m"
done
ok "$(grep -q 'by (error_type)' "$TMP/otlp-exprs" && grep -q 'by (le, mcp_method_name)' "$TMP/otlp-exprs"; echo $?)" \
    "p95 by mcp_method_name and errors by error_type"
unknown=''
for l in $( { grep -oE '[a-z_]+[[:space:]]*(=|!=|=~|!~)[[:space:]]*"' "$TMP/otlp-exprs" | grep -oE '^[a-z_]+'
	grep -oE '\b(by|without|on|ignoring)[[:space:]]*[(][^)]*[)]' "$TMP/otlp-exprs" | sed 's/^[a-z]*[[:space:]]*//' | grep -oE '[a-z_]+'; } | sort -u); do
	grep -qxF -e "$l" "$TMP/otlp-labels" || unknown="$unknown $l"
done
is "$unknown" "" "the OTLP panels' labels are mcp-otlp's metric attributes, translated"

# Every query parses: as recording rules, with the variables filled in.
mapfile -t exprs < <(jq -r '.panels[] | select(.datasource.type == "prometheus") | .targets[].expr' "$GRAFANA" |
    sed 's/\$__rate_interval/5m/g')
is "${#exprs[@]}" "$(jq '[.. | .expr? // empty] | length' "$GRAFANA")" "every expr of the dashboard is a Prometheus panel's"
{
	echo 'groups:'
	echo '  - name: grafana'
	echo '    rules:'
	for i in "${!exprs[@]}"; do
		e=${exprs[$i]//\$slug/.*}
		printf '      - record: grafana:expr:%d\n        expr: %s\n' "$i" "$(jq -Rn --arg e "$e" '$e')"
	done
} >"$TMP/grafana-rules.yml"
pout=$("$PROMTOOL" check rules "$TMP/grafana-rules.yml" 2>&1)
rc=$?
is "$rc" 0 "the dashboard's ${#exprs[@]} queries are valid PromQL"
[ "$rc" = 0 ] || diag "$pout"

# --- mcp-serve's real output ----------------------------------------------

if [ ! -x "$BIN/mcp-serve" ]; then
	ok 1 "mcp-serve is built in $BIN"
	done_testing
fi
start_redis
export MCP_SPOOL=$TMP/spool
# Five windows of five regions from T0, decided one by one as cron would:
# s-up passes everywhere; s-down fails tools_list in two regions from
# window 3; s-amber fails tls in one region; s-div passes, one region
# serving another tool list; s-gone was probed in window 0 only, so no
# region reports it by window 4 (unknown); s-new is first probed after the
# last verdict pass, so it has none.
{
	gen -q -s s-up -r "$ALL" -n 5
	gen -q -s s-down -r ap-southeast-1,sa-east-1,us-west-2 -n 5
	gen -q -s s-down -r eu-west-2,us-east-1 -n 3
	gen -q -s s-down -r eu-west-2,us-east-1 -n 2 -t "$(w 3)" -f tools_list
	gen -q -s s-amber -r "$FOUR_NO_EU" -n 5
	gen -q -s s-amber -r eu-west-2 -n 5 -f tls
	gen -q -s s-div -r "$FOUR_NO_EU" -n 5
	gen -q -s s-div -r eu-west-2 -n 5 -h "$HB"
	gen -q -s s-gone -r "$ALL" -n 1
} | push >"$TMP/push.out" 2>&1
is "$?:$(cat "$TMP/push.out")" "0:" "mcp-aggregate push stores the probes"
run_windows 0 4
is "$(jq -r '"\(.slug)=\(.verdict)"' "$TMP/v.4" | sort | tr '\n' ' ')" \
    "s-amber=amber s-div=amber s-down=red s-gone=unknown s-up=green " "the verdicts of window 4 are those the scenario makes"
gen -q -s s-new -r us-east-1 -t "$(w 4)" -o 50 | MCP_NOW=$(($(w 4) + 96)) mcp-aggregate push >"$TMP/push.out" 2>&1
is "$?:$(cat "$TMP/push.out")" "0:" "mcp-aggregate push stores a new server's first probe"

# The clock of the requests: 100 s into window 4's start, 97.5 s after its
# probes started.
NOW=$(($(w 4) + 100))

# cgi NAME PATH [QUERY] [NOW]: mcp-serve as a web server runs it; the header
# block in $TMP/NAME.head (CRs removed), the body in $TMP/NAME.body.
cgi() {
	env REQUEST_METHOD=GET PATH_INFO="$2" QUERY_STRING="${3:-}" MCP_NOW="${4:-$NOW}" \
	    mcp-serve </dev/null >"$TMP/$1.out" 2>"$TMP/$1.err"
	echo "$?:$(cat "$TMP/$1.err")" >"$TMP/$1.rc"
	awk '!h && /^\r?$/ { h = 1; next } !h { sub(/\r$/, ""); print }' "$TMP/$1.out" >"$TMP/$1.head"
	awk 'h { print } /^\r?$/ { h = 1 }' "$TMP/$1.out" >"$TMP/$1.body"
}

# value NAME SERIES: the value of SERIES (name and labels, exactly) in NAME's body.
value() { awk -v s="$2" '$1 == s { print $2 }' "$TMP/$1.body"; }

# families NAME: the metric names of NAME's samples, in order, once each.
families() { grep -v '^#' "$TMP/$1.body" | sed 's/[{ ].*//' | awk '!seen[$0]++' | tr '\n' ' ' | sed 's/ $//'; }

# exposition NAME DESC: the checks every Prometheus answer must pass.
exposition() {
	local name=$1 desc=$2 pout rc f missing='' order=''
	is "$(cat "$TMP/$name.rc")" "0:" "$desc: exit 0, nothing on stderr"
	is "$(sed -n 1p "$TMP/$name.head")" "Status: 200 OK" "$desc: 200"
	ok "$(grep -qx 'Content-Type: text/plain; version=0.0.4; charset=utf-8' "$TMP/$name.head"; echo $?)" \
	    "$desc: Content-Type text/plain; version=0.0.4"
	ok "$(grep -qx 'Cache-Control: no-cache' "$TMP/$name.head"; echo $?)" "$desc: Cache-Control: no-cache"
	pout=$("$PROMTOOL" check metrics <"$TMP/$name.body" 2>&1)
	rc=$?
	is "$rc:$pout" "0:" "$desc: promtool check metrics exits 0 with no lint finding"
	# Each family: HELP then TYPE gauge, before its first sample, once.
	for f in $(families "$name"); do
		awk -v f="$f" '
			$0 ~ "^# HELP " f " " { h++; if (t || s) bad = 1 }
			$0 == "# TYPE " f " gauge" { t++; if (!h || s) bad = 1 }
			$1 ~ "^" f "([{]|$)" { s++; if (!h || !t) bad = 1 }
			END { exit !(h == 1 && t == 1 && !bad) }' "$TMP/$name.body" || missing="$missing $f"
	done
	is "$missing" "" "$desc: every family has one HELP and one TYPE gauge, before its samples"
	is "$(grep -v '^#' "$TMP/$name.body" | awk '{ print $1 }' | sort | uniq -d | tr '\n' ' ')" "" \
	    "$desc: no series twice"
	# A family's samples are together: a name never comes back after another.
	order=$(grep -v '^#' "$TMP/$name.body" | sed 's/[{ ].*//' | uniq | sort | uniq -d | tr '\n' ' ')
	is "$order" "" "$desc: each family's samples are contiguous"
}

cgi metrics /metrics
exposition metrics "/metrics"
is "$(families metrics)" "$FAMILIES" "/metrics: exactly the families of SPEC.md"
is "$(value metrics 'mcp_state{slug="s-up"}')" 1 "/metrics: mcp_state of an up server is 1"
is "$(value metrics 'mcp_state{slug="s-down"}')" 0 "/metrics: mcp_state of a down server is 0"
is "$(value metrics 'mcp_state{slug="s-amber"}')" 0.5 "/metrics: mcp_state of a degraded server is 0.5"
is "$(value metrics 'mcp_state{slug="s-div"}')" 0.5 "/metrics: mcp_state of a diverging server is 0.5"
is "$(value metrics 'mcp_state{slug="s-gone"}')" -1 "/metrics: mcp_state of an unknown verdict is -1 (pending)"
is "$(value metrics 'mcp_state{slug="s-new"}')" -1 "/metrics: mcp_state of a server without a verdict is -1 (pending)"
is "$(value metrics 'mcp_uptime_30d_ratio{slug="s-up"}') $(value metrics 'mcp_uptime_30d_ratio{slug="s-down"}')" \
    "1 0.6" "/metrics: uptime as a ratio (3 windows of 5 up: 0.6)"
is "$(grep -c 'slug="s-new"' "$TMP/metrics.body")" 2 "/metrics: a server without a verdict has its state and last probe age only"
is "$(value metrics 'mcp_p95_latency_seconds{slug="s-up"}')" "$(awk -v ms="$(lat 100)" 'BEGIN { print ms / 1000 }')" \
    "/metrics: p95 latency in seconds"
is "$(value metrics 'mcp_last_probe_age_seconds{slug="s-up"}') $(value metrics 'mcp_last_probe_age_seconds{slug="s-gone"}')" \
    "97 337" "/metrics: last probe age in whole seconds, rounded down"
is "$(value metrics 'mcp_verdict_age_seconds{slug="s-up"}')" 100 "/metrics: verdict age from the window's start"
is "$(value metrics 'mcp_divergence{slug="s-div"}') $(value metrics 'mcp_divergence{slug="s-amber"}')" "1 0" \
    "/metrics: mcp_divergence 1 only for the diverging server"
is "$(grep '^mcp_region_up{slug="s-down",' "$TMP/metrics.body" | tr '\n' ' ')" \
    "$(printf 'mcp_region_up{slug="s-down",region="%s"} %s\n' ap-southeast-1 1 eu-west-2 0 sa-east-1 1 us-east-1 0 us-west-2 1 | tr '\n' ' ')" \
    "/metrics: mcp_region_up of the down server, by region"
is "$(grep -c '^mcp_region_up{slug="s-gone",' "$TMP/metrics.body")" 0 "/metrics: no region series when no region reports"
is "$(value metrics mcp_slugs)" 6 "/metrics: mcp_slugs counts the slug index"

for s in s-up s-down s-new; do
	cgi "one-$s" /api/embed-status-prom "slug=$s"
	exposition "one-$s" "/api/embed-status-prom?slug=$s"
done
is "$(families one-s-up)" "$ONE_FAMILIES" "embed-status-prom: the four families of one server"
is "$(value one-s-up 'mcp_state{slug="s-up"}') $(value one-s-down 'mcp_state{slug="s-down"}')" "1 0" \
    "embed-status-prom: up is 1, down is 0"
is "$(grep -v '^#' "$TMP/one-s-up.body")" "$(grep -E '^mcp_(state|uptime_30d_ratio|p95_latency_seconds|last_probe_age_seconds)\{slug="s-up"\}' "$TMP/metrics.body")" \
    "embed-status-prom: the same samples as /metrics for the slug"
is "$(families one-s-new)" "mcp_state mcp_last_probe_age_seconds" \
    "embed-status-prom: a series without a value is left out"
cgi unknown /api/embed-status-prom slug=no-such-slug
is "$(sed -n 1p "$TMP/unknown.head")" "Status: 404 Not Found" "embed-status-prom: an unknown slug is 404 (a failed scrape)"

# The aggregator stopped: 400 s later every verdict is more than 300 s old.
cgi stale /metrics "" $((NOW + 400))
exposition stale "/metrics, verdicts stale"
is "$(grep '^mcp_state' "$TMP/stale.body" | awk '{ print $2 }' | sort -u | tr '\n' ' ')" "-1 " \
    "/metrics, verdicts stale: every server pending"
is "$(value stale 'mcp_verdict_age_seconds{slug="s-up"}')" 500 "/metrics, verdicts stale: the verdict age says so"
is "$(grep -c '^mcp_region_up' "$TMP/stale.body")" 0 "/metrics, verdicts stale: no region series"

# names: the metric names that the PromQL expressions on stdin select: the
# identifiers left once strings, label matchers, grouping clauses and
# function names are taken out, less the operators.
names() {
	sed -E 's/"[^"]*"//g; s/[{][^}]*[}]//g
	    s/\b(by|without|on|ignoring|group_left|group_right)[[:space:]]*[(][^)]*[)]//g
	    s/\b[a-z_]+[[:space:]]*[(]/(/g' |
	    grep -oE '\b[a-zA-Z_:][a-zA-Z0-9_:]*' | grep -vxE 'and|or|unless|bool|offset' | sort -u
}

# What the rules and the dashboard query is what mcp-serve emits (and up,
# which Prometheus writes for each scrape).
emitted=" $(families metrics) up "
for src in "$PROM/mcp-rules.yml" "$GRAFANA"; do
	if [ "$src" = "$GRAFANA" ]; then
		used=$( { jq -r '.panels[] | select(.datasource.uid == "${datasource}") | .targets[].expr' "$GRAFANA" | names
			jq -r '.. | .definition? // empty' "$GRAFANA" | grep -oE '\bmcp_[a-z0-9_]+'; } | sort -u)
	else
		used=$(sed -n 's/^ *expr: *//p' "$src" | names)
	fi
	unknown=''
	for m in $used; do
		case $emitted in *" $m "*) ;; *) unknown="$unknown $m" ;; esac
	done
	is "$unknown" "" "$src: selects only metric names mcp-serve emits: $(echo $used)"
done
used=$(sed 's/\$__rate_interval/5m/g' "$TMP/otlp-exprs" | names)
unknown=''
for m in $used; do
	grep -qxF -e "$m" "$TMP/otlp-names" || unknown="$unknown $m"
done
is "$unknown" "" "$GRAFANA: the OTLP panels select only mcp-otlp's metrics, translated: $(echo $used)"
grep -oE '\bmcp_[a-z0-9_]+' "$PROM/mcp-rules.yml" | sort -u >"$TMP/rules-names"
ok "$(grep -qx mcp_verdict_age_seconds "$TMP/rules-names" && grep -qx mcp_last_probe_age_seconds "$TMP/rules-names"; echo $?)" \
    "mcp-rules.yml watches the age of probes and of verdicts"

done_testing
