/*
 * test_aggregate.c - unit tests for the store URLs (lib/store.c), and the
 * window maths and verdict rules of mcp-aggregate (aggregate/rule.c, which
 * is compiled in here: it is pure and belongs to the tool alone), the
 * latency buckets behind p95_ms, and the bounds push puts on a record
 * (aggregate/check.c, compiled in the same way), and the audit's bucket
 * rules, a server's from its remotes, the movement and the JSON, the
 * census buckets, the readiness tallied and the dataset's CSV cells
 * (registry/auditrule.c, auditmove.c, auditout.c, auditready.c,
 * auditdata.c), in TAP.
 *
 * usage: test_aggregate [datadir]   (the argument is ignored)
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../registry/auditdata.c"
#include "../../registry/auditmove.c"
#include "../../registry/auditout.c"
#include "../../registry/auditready.c"
#include "../../registry/auditrule.c"
#include "../../aggregate/check.c"
#include "../../aggregate/fault.c"
#include "../../aggregate/rule.c"
#include "store.h"
#include "tap.h"
#include "text.h"
#include "toolset.h"

static void
is_str(const char *got, const char *want, const char *what)
{
	ok(strcmp(got, want) == 0, "%s", what);
	if (strcmp(got, want) != 0)
		printf("#   got:  %s\n#   want: %s\n", got, want);
}

static void
test_urls(void)
{
	struct mcp_store_url u;
	char err[256];
	static const char *const bad[] = {
	    "http://h",
	    "redis://",
	    "redis://h:0",
	    "redis://h:70000",
	    "redis://h:x",
	    "redis://h/x",
	    "redis://user@h",
	    "redis://:p%4@h",
	    "unix://relative.sock",
	    "unix:///s?db=x",
	    "unix:///s?color=red",
	    "redis-sentinel://h1",
	    "redis-sentinel://h1/",
	    "redis-sentinel://h1,/m",
	    "redis://[::1",
	};
	size_t i;

	ok(mcp_store_parse_url("redis://127.0.0.1:6379", &u, err, sizeof(err)) == 0 &&
	        u.kind == MCP_STORE_TCP && strcmp(u.addr.host, "127.0.0.1") == 0 &&
	        u.addr.port == 6379 && u.db == 0 && !u.has_password,
	    "redis://host:port");
	ok(mcp_store_parse_url("redis://cache", &u, err, sizeof(err)) == 0 && u.addr.port == 6379,
	    "redis://host: port 6379 by default");
	ok(mcp_store_parse_url("redis://:pw@h/2", &u, err, sizeof(err)) == 0 && u.has_password &&
	        u.user[0] == '\0' && strcmp(u.password, "pw") == 0 && u.db == 2,
	    "redis://:password@host/db");
	ok(mcp_store_parse_url("redis://ops:p%40ss%3a@h:1234/5", &u, err, sizeof(err)) == 0 &&
	        strcmp(u.user, "ops") == 0 && strcmp(u.password, "p@ss:") == 0 &&
	        u.addr.port == 1234 && u.db == 5,
	    "user and password, percent-decoded");
	ok(mcp_store_parse_url("redis://[::1]:7000", &u, err, sizeof(err)) == 0 &&
	        strcmp(u.addr.host, "::1") == 0 && u.addr.port == 7000,
	    "an IPv6 literal");
	ok(mcp_store_parse_url("unix:///run/r.sock?db=3", &u, err, sizeof(err)) == 0 &&
	        u.kind == MCP_STORE_UNIX && strcmp(u.path, "/run/r.sock") == 0 && u.db == 3,
	    "unix:///path?db=N");
	ok(mcp_store_parse_url("unix:///s?user=a&password=b", &u, err, sizeof(err)) == 0 &&
	        strcmp(u.user, "a") == 0 && strcmp(u.password, "b") == 0 && u.has_password,
	    "unix:// with user and password");
	ok(mcp_store_parse_url(
	       "redis-sentinel://:pw@s1:5000,s2,[::1]/mymaster/4", &u, err, sizeof(err)) == 0 &&
	        u.kind == MCP_STORE_SENTINEL && u.nsentinel == 3 &&
	        strcmp(u.sentinel[0].host, "s1") == 0 && u.sentinel[0].port == 5000 &&
	        u.sentinel[1].port == 26379 && strcmp(u.sentinel[2].host, "::1") == 0 &&
	        strcmp(u.master, "mymaster") == 0 && u.db == 4 && strcmp(u.password, "pw") == 0,
	    "redis-sentinel://[:pw@]host:port,host,[v6]/master/db");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(mcp_store_parse_url(bad[i], &u, err, sizeof(err)) == -1 && err[0] != '\0',
		    "rejected: %s (%s)", bad[i], err);
	unsetenv("MCP_REDIS");
	is_str(mcp_store_url_choose(NULL), "redis://127.0.0.1:6379", "the default URL");
	setenv("MCP_REDIS", "unix:///x", 1);
	is_str(mcp_store_url_choose(NULL), "unix:///x", "MCP_REDIS");
	is_str(mcp_store_url_choose("redis://h"), "redis://h", "-R wins over MCP_REDIS");
}

static void
test_windows(void)
{
	ok(agg_window(1795536000.123) == 1795536000, "window of :00.123");
	ok(agg_window(1795536059.999) == 1795536000, "window of :59.999");
	ok(agg_window(1795536060) == 1795536060, "window of the next minute");
	ok(agg_latest_complete(1795536095) == 1795536000, "W is complete at W + 95");
	ok(agg_latest_complete(1795536094.9) == 1795535940, "not a moment before");
	ok(mcp_step_index("dns") == 0 && mcp_step_index("call") == 7 &&
	        mcp_step_index("ping") == -1,
	    "step names");
}

#define W 1795536000LL
#define R(region, t, st, step, hash)                                                               \
	{                                                                                          \
		region, (double)(t), st, step, hash, NULL, -1                                      \
	}
/* A result with an error code (broken) or a duration (passing). */
#define RE(region, t, step, code)                                                                  \
	{                                                                                          \
		region, (double)(t), AGG_BROKEN, step, NULL, code, -1                              \
	}
#define RM(region, t, st, ms)                                                                      \
	{                                                                                          \
		region, (double)(t), st, -1, "h", NULL, ms                                         \
	}
#define OK AGG_HEALTHY
#define BAD AGG_BROKEN
#define TL 6 /* tools_list */

/* Decide and render as "verdict severity step failed|reporters|missing div". */
static void
decide_is(const struct agg_result *res, size_t n, const char *const *seen, size_t nseen,
    int lookback, const char *want, const char *what)
{
	struct agg_input in = {W, lookback, res, n, seen, nseen};
	struct agg_decision d;
	char got[1024];
	size_t i, o;

	if (agg_decide(&in, &d) == -1) {
		ok(0, "%s: out of memory", what);
		return;
	}
	o = (size_t)snprintf(got, sizeof(got), "%s %s %s", agg_verdict_name(d.verdict), d.severity,
	    d.step >= 0 ? mcp_steps[d.step] : "-");
	for (i = 0; i < d.nfailed; i++)
		o += (size_t)snprintf(got + o, sizeof(got) - o, "%s%s", i ? "," : " ", d.failed[i]);
	o += (size_t)snprintf(got + o, sizeof(got) - o, "|");
	for (i = 0; i < d.nreporters; i++)
		o += (size_t)snprintf(
		    got + o, sizeof(got) - o, "%s%s", i ? "," : "", d.reporters[i]);
	o += (size_t)snprintf(got + o, sizeof(got) - o, "|");
	for (i = 0; i < d.nmissing; i++)
		o += (size_t)snprintf(got + o, sizeof(got) - o, "%s%s", i ? "," : "", d.missing[i]);
	snprintf(got + o, sizeof(got) - o, " %d", d.divergence);
	is_str(got, want, what);
	agg_decision_free(&d);
}

static void
test_rules(void)
{
	static const char *const seen[] = {"a", "b", "c", "d"};
	const struct agg_result green[] = {
	    R("a", W + 1, OK, -1, "h1"),
	    R("b", W + 2, OK, -1, "h1"),
	    R("c", W + 3, OK, -1, "h1"),
	};
	const struct agg_result two[] = {
	    R("c", W + 1, BAD, TL, NULL),
	    R("a", W - 90, BAD, TL, NULL),
	    R("b", W, OK, -1, "h"),
	};
	const struct agg_result three[] = {
	    R("c", W + 1, BAD, TL, NULL),
	    R("a", W + 5, BAD, TL, NULL),
	    R("b", W + 59, BAD, TL, NULL),
	    R("d", W + 59, BAD, 2, NULL),
	};
	const struct agg_result diff[] = {
	    R("a", W + 1, BAD, TL, NULL),
	    R("b", W + 1, BAD, 2, NULL),
	    R("c", W, OK, -1, "h"),
	};
	const struct agg_result lone[] = {R("a", W + 1, BAD, 1, NULL)};
	/* Failures earlier in the lookback that a later pass has ended. */
	const struct agg_result over[] = {
	    R("a", W - 60, BAD, TL, NULL),
	    R("a", W + 1, OK, -1, "h"),
	    R("b", W - 30, BAD, TL, NULL),
	    R("b", W + 5, OK, -1, "h"),
	    R("c", W - 100, BAD, 1, NULL),
	    R("c", W + 2, OK, -1, "h"),
	};
	const struct agg_result again[] = {
	    R("a", W - 100, BAD, TL, NULL),
	    R("a", W - 40, OK, -1, "h"),
	    R("a", W + 1, BAD, TL, NULL),
	    R("b", W - 90, OK, -1, "h"),
	    R("b", W + 2, BAD, TL, NULL),
	    R("c", W - 50, BAD, TL, NULL),
	    R("c", W + 3, BAD, 1, NULL),
	};
	const struct agg_result bounds[] = {
	    R("a", W - 120, BAD, TL, NULL),
	    R("b", W + 60, BAD, TL, NULL),
	    R("b", W - 120.001, BAD, TL, NULL),
	    R("c", W + 10, OK, -1, "h"),
	};
	const struct agg_result div[] = {
	    R("a", W - 200, OK, -1, "old"),
	    R("a", W + 1, OK, -1, "new"),
	    R("b", W - 30, OK, -1, "new"),
	    R("c", W - 230, OK, -1, "old"),
	    R("d", W + 2, AGG_AUTH_WALLED, -1, NULL),
	};
	const struct agg_result nodiv[] = {
	    R("a", W - 200, OK, -1, "old"),
	    R("a", W + 1, OK, -1, "new"),
	    R("b", W - 30, OK, -1, "new"),
	    R("c", W - 250, OK, -1, "old"),
	    R("c", W - 10, BAD, 1, NULL),
	};

	decide_is(green, 3, seen, 4, 180, "green ok -|a,b,c|d 0", "all pass: green, d missing");
	decide_is(two, 3, seen, 3, 180, "red alert tools_list a,c|a,b,c| 0",
	    "two regions, same step, within the lookback: red alert");
	decide_is(two, 3, seen, 3, 120, "amber regional tools_list c|b,c|a 0",
	    "a shorter lookback drops the older failure: amber, and a is missing");
	decide_is(three, 4, seen, 4, 180, "red outage tools_list a,b,c|a,b,c,d| 0",
	    "three regions: outage, failed_regions are those of the step");
	decide_is(diff, 3, seen, 3, 180, "amber regional tls a,b|a,b,c| 0",
	    "different steps: amber, the earliest step");
	decide_is(
	    lone, 1, seen, 1, 180, "red alert connect a|a| 0", "a lone failing reporter: red");
	decide_is(over, 6, NULL, 0, 180, "green ok -|a,b,c| 0",
	    "failures that later passes ended are over: green (a region fails by its latest)");
	decide_is(again, 7, NULL, 0, 180, "red alert tools_list a,b|a,b,c| 0",
	    "a pass between two failures: failing by the latest; c fails connect now, not "
	    "tools_list");
	decide_is(bounds, 4, NULL, 0, 180, "amber regional tools_list a|a,c| 0",
	    "lookback is [W + 60 - L, W + 60)");
	decide_is(div, 5, NULL, 0, 180, "amber divergence -|a,b,d| 1",
	    "passing regions' latest hashes of 5 minutes differ: divergence");
	decide_is(nodiv, 5, NULL, 0, 180, "amber regional connect c|a,b,c| 0",
	    "a failing region is regional, and its old hash is not its latest");
	decide_is(NULL, 0, seen, 2, 180, "unknown stale -||a,b 0", "nobody reported: unknown");
}

/* Decide and render the new members as "verdict step error latency_ms". */
static void
fields_is(const struct agg_result *res, size_t n, const char *want, const char *what)
{
	struct agg_input in = {W, 180, res, n, NULL, 0};
	struct agg_decision d;
	char got[256];

	if (agg_decide(&in, &d) == -1) {
		ok(0, "%s: out of memory", what);
		return;
	}
	snprintf(got, sizeof(got), "%s %s %s %ld", agg_verdict_name(d.verdict),
	    d.step >= 0 ? mcp_steps[d.step] : "-", d.error ? d.error : "-", d.latency_ms);
	is_str(got, want, what);
	agg_decision_free(&d);
}

static void
test_fields(void)
{
	const struct agg_result red429[] = {
	    RE("a", W + 1, TL, "http_429"),
	    RE("b", W + 2, TL, "http_429"),
	    RM("c", W + 3, OK, 120),
	};
	const struct agg_result mixed[] = {
	    RE("a", W - 60, TL, "http_5xx"),
	    RE("a", W + 1, TL, "timeout"),
	    RE("b", W + 2, TL, "timeout"),
	    RE("c", W + 3, TL, "timeout"),
	    RE("d", W + 3, 2, "tls_handshake"),
	    RE("d", W - 30, TL, "http_5xx"),
	    RE("e", W - 200, TL, "tools_empty"),
	    RE("e", W - 120.001, TL, "tools_empty"),
	    RE("e", W + 60, TL, "tools_empty"),
	    RE("e", W + 61, TL, "tools_empty"),
	    RE("f", W + 4, TL, NULL),
	};
	const struct agg_result tie[] = {
	    RE("a", W + 1, TL, "timeout"),
	    RE("b", W + 2, TL, "http_5xx"),
	    RE("c", W + 3, TL, "tools_malformed"),
	};
	const struct agg_result amber[] = {
	    RE("a", W + 1, 2, "tls_cert_expired"),
	    RE("b", W + 1, TL, "tools_empty"),
	    RM("c", W + 5, OK, 80),
	};
	const struct agg_result nocode[] = {
	    RE("a", W + 1, TL, NULL),
	    RE("b", W + 2, TL, NULL),
	};
	const struct agg_result odd[] = {
	    RM("a", W, OK, 300),
	    RM("b", W + 59.999, AGG_AUTH_WALLED, 100),
	    RM("c", W + 10, OK, 200),
	    RM("a", W - 0.001, OK, 1),
	    RM("b", W + 60, OK, 1),
	    {"d", (double)(W + 20), AGG_BROKEN, 1, NULL, "timeout", 5},
	    RM("e", W + 30, OK, -1),
	};
	const struct agg_result even[] = {
	    RM("a", W + 1, OK, 400),
	    RM("b", W + 2, OK, 100),
	    RM("c", W + 3, OK, 300),
	    RM("d", W + 4, OK, 200),
	};

	fields_is(red429, 3, "red tools_list http_429 120", "two regions with http_429: http_429");
	fields_is(mixed, 11, "red tools_list timeout -1",
	    "the most frequent code at the step, in the lookback; no passing result: no latency");
	fields_is(tie, 3, "red tools_list http_5xx -1", "a tie: the first by name");
	fields_is(amber, 3, "amber tls tls_cert_expired 80",
	    "amber regional: the code of the step reported");
	fields_is(nocode, 2, "red tools_list - -1", "no code carried: none");
	fields_is(odd, 7, "amber connect timeout 200",
	    "an odd count: the median of W's passing results; no failure, no start outside W");
	fields_is(even, 4, "green - - 200", "an even count: the lower median");
	fields_is(NULL, 0, "unknown - - -1", "no result: no code, no latency");
}

static void
test_parse(void)
{
	char ok1[] = "1795536000.5 b tools_list - 12.5", ok2[] = "1795536000 h - sha256:ab 100";
	char ok3[] = "1795536002.5 h - sha256:"
	             "3c5e0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab 100";
	char ok4[] = "1795536002.5 b call sha256:"
	             "3c5e0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab 100";
	char bad1[] = "1795536000 b - - -", bad2[] = "x h - - -", bad3[] = "1 h - -";
	char new1[] = "2500 b tools_list", new2[] = "59999 h3c5e0123456789ab", new3[] = "0 a";
	char new4[] = "12 h=md5:x", nbad1[] = "60000 h", nbad2[] = "-1 h", nbad3[] = "5 b";
	char nbad4[] = "5 b ping", nbad5[] = "5 x", nbad6[] = "5", nbad7[] = "5 h ab";
	char nbad8[] = "5 btools_list", nbad9[] = "5 h - x";
	char ms1[] = "2500 h3c5e0123456789ab 146", ms2[] = "0 a 0", ms3[] = "7 h 999999999";
	char ms4[] = "7 h 3600000", ms5[] = "7 h 3600001";
	char obad1[] = "1795536060 h - - 100", obad2[] = "1795535999.999 h - - 100";
	char obad3[] = "1e308 h - - 100", obad4[] = "nan h - - 100";
	char code1[] = "10000 b tools_list http_429", code2[] = "10000 b call HTTP-429";
	char old1[] = "1795536002.5 h - - 145.6", old2[] = "1795536002.5 a - - -";
	char old3[] = "1795536000.5 b tools_list - 12.5";
	char mbad1[] = "5 h 1.5", mbad2[] = "5 h -1", mbad3[] = "5 h 1000000000";
	char mbad4[] = "5 h 100 x", prev1[] = "2500 b tools_list", prev2[] = "0 a";
	struct agg_result r;

	ok(agg_result_parse(ok1, "eu", W, &r) == 0 && r.started == 1795536000.5 &&
	        r.state == AGG_BROKEN && r.failed_step == TL && r.hash == NULL &&
	        strcmp(r.region, "eu") == 0,
	    "old value: broken at tools_list");
	ok(agg_result_parse(ok2, "eu", W, &r) == 0 && r.state == AGG_HEALTHY &&
	        r.failed_step == -1 && strcmp(r.hash, "=sha256:ab") == 0,
	    "old value: an odd hash is its own id");
	ok(agg_result_parse(ok3, "eu", W, &r) == 0 && r.started == 1795536002.5 &&
	        r.state == AGG_HEALTHY && strcmp(r.hash, "3c5e") == 0,
	    "old value: a sha256 hash is read as its id");
	ok(agg_result_parse(ok4, "eu", W, &r) == 0 && r.state == AGG_BROKEN && r.failed_step == 7 &&
	        r.hash == NULL,
	    "old value: a broken result's hash is not compared");
	ok(agg_result_parse(bad1, "eu", W, &r) == -1, "broken without a step is refused");
	ok(agg_result_parse(bad2, "eu", W, &r) == -1, "a bad start time is refused");
	ok(agg_result_parse(bad3, "eu", W, &r) == -1, "a passing value of four fields is refused");
	ok(agg_result_parse(new1, "eu", W, &r) == 0 && r.started == W + 2.5 &&
	        r.state == AGG_BROKEN && r.failed_step == TL && r.hash == NULL,
	    "new value: broken at tools_list, the start after W");
	ok(agg_result_parse(new2, "eu", W - 60, &r) == 0 && r.started < W &&
	        r.started == W - 60 + 59.999 && r.state == AGG_HEALTHY && r.failed_step == -1 &&
	        strcmp(r.hash, "3c5e0123456789ab") == 0,
	    "new value: healthy with a hash id, still in its window");
	ok(agg_result_parse(new3, "eu", W, &r) == 0 && r.started == W &&
	        r.state == AGG_AUTH_WALLED && r.hash == NULL,
	    "new value: auth-walled, no hash");
	ok(agg_result_parse(new4, "eu", W, &r) == 0 && strcmp(r.hash, "=md5:x") == 0,
	    "new value: an odd hash whole");
	ok(agg_result_parse(nbad1, "eu", W, &r) == -1 && agg_result_parse(nbad2, "eu", W, &r) == -1,
	    "new value: a start outside the window is refused");
	ok(agg_result_parse(nbad3, "eu", W, &r) == -1 && agg_result_parse(nbad4, "eu", W, &r) == -1,
	    "new value: broken without a step of the contract is refused");
	ok(agg_result_parse(nbad5, "eu", W, &r) == -1 &&
	        agg_result_parse(nbad6, "eu", W, &r) == -1 &&
	        agg_result_parse(nbad7, "eu", W, &r) == -1 &&
	        agg_result_parse(nbad8, "eu", W, &r) == -1 &&
	        agg_result_parse(nbad9, "eu", W, &r) == -1,
	    "new value: a bad state or field count is refused");
	ok(agg_result_parse(prev1, "eu", W, &r) == 0 && r.error == NULL && r.ms == -1 &&
	        agg_result_parse(prev2, "eu", W, &r) == 0 && r.ms == -1 && r.error == NULL,
	    "slim value of before: no code, no duration");
	ok(agg_result_parse(ms1, "eu", W, &r) == 0 && r.started == W + 2.5 &&
	        r.state == AGG_HEALTHY && strcmp(r.hash, "3c5e0123456789ab") == 0 && r.ms == 146,
	    "slim value with a duration");
	ok(agg_result_parse(ms2, "eu", W, &r) == 0 && r.state == AGG_AUTH_WALLED &&
	        r.hash == NULL && r.ms == 0 && agg_result_parse(ms3, "eu", W, &r) == 0 &&
	        r.ms == AGG_LATENCY_MAX,
	    "slim value with a duration, no hash; up to the cap");
	ok(agg_result_parse(ms4, "eu", W, &r) == 0 && r.ms == 3600000 &&
	        agg_result_parse(ms5, "eu", W, &r) == 0 && r.ms == 3600000,
	    "a stored duration counts as an hour at most");
	ok(agg_result_parse(code1, "eu", W, &r) == 0 && r.state == AGG_BROKEN &&
	        r.failed_step == TL && strcmp(r.error, "http_429") == 0 && r.ms == -1,
	    "slim value with an error code");
	ok(agg_result_parse(code2, "eu", W, &r) == 0 && r.failed_step == 7 && r.error == NULL,
	    "a code that is not one is read as none; the failure stands");
	ok(agg_result_parse(old1, "eu", W, &r) == 0 && r.ms == 146 && r.error == NULL &&
	        agg_result_parse(old2, "eu", W, &r) == 0 && r.ms == -1,
	    "old value: its duration, rounded, or none");
	ok(agg_result_parse(old3, "eu", W, &r) == 0 && r.state == AGG_BROKEN && r.ms == -1,
	    "old value: a broken result has no duration");
	ok(agg_result_parse(obad1, "eu", W, &r) == -1 &&
	        agg_result_parse(obad2, "eu", W, &r) == -1 &&
	        agg_result_parse(obad3, "eu", W, &r) == -1 &&
	        agg_result_parse(obad4, "eu", W, &r) == -1,
	    "old value: a start outside the window of its key is refused");
	ok(agg_result_parse(mbad1, "eu", W, &r) == -1 &&
	        agg_result_parse(mbad2, "eu", W, &r) == -1 &&
	        agg_result_parse(mbad3, "eu", W, &r) == -1 &&
	        agg_result_parse(mbad4, "eu", W, &r) == -1,
	    "a duration that is not whole ms up to the cap, or a fifth field, is refused");
}

static void
test_store_form(void)
{
	char id[80];
	const char *full =
	    "sha256:3c5e0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab";

	ok(agg_start_ms(W + 2.5, W) == 2500 && agg_start_ms(1795536000.123, W) == 123 &&
	        agg_start_ms(W, W) == 0,
	    "the start in milliseconds after W, rounded");
	ok(agg_start_ms(W + 59.9996, W) == 59999 && agg_start_ms(W + 2.9996, W) == 2999 &&
	        agg_start_ms(W + 2.9994, W) == 2999,
	    "rounding never carries a start up to a whole second");
	ok(agg_hash_id(full, id, sizeof(id)) == 0 && strcmp(id, "3c5e") == 0,
	    "a sha256 hash: 4 hex digits");
	ok(agg_hash_id("sha256:ab", id, sizeof(id)) == 0 && strcmp(id, "=sha256:ab") == 0 &&
	        agg_hash_id("3c5e0123456789ab", id, sizeof(id)) == 0 &&
	        strcmp(id, "=3c5e0123456789ab") == 0,
	    "any other hash: whole, marked, never equal to an id");
	ok(agg_hash_id(full, id, 4) == -1, "truncation is an error");
	ok(agg_ms_whole(145.2) == 145 && agg_ms_whole(145.5) == 146 && agg_ms_whole(0) == 0 &&
	        agg_ms_whole(1e300) == AGG_LATENCY_MAX && agg_ms_whole(3600000.4) == 3600000 &&
	        agg_ms_whole(7200000) == 3600000 && agg_ms_whole(-1) == -1 &&
	        agg_ms_whole(NAN) == -1,
	    "a duration: whole ms, capped at an hour");
	ok(agg_code_ok("http_429") && agg_code_ok("connect_refused") && agg_code_ok("x") &&
	        agg_code_ok("a234567890123456789012345678901234567890"),
	    "error codes: [a-z0-9_]{1,40}");
	ok(!agg_code_ok("") && !agg_code_ok("HTTP_429") && !agg_code_ok("http-429") &&
	        !agg_code_ok("http 429") &&
	        !agg_code_ok("a2345678901234567890123456789012345678901"),
	    "anything else is no code");
}

static void
host_is(const char *url, const char *want)
{
	char h[AGG_HOST_MAX + 1] = "";
	int rc = agg_url_host(url, h, sizeof(h));

	if (want == NULL) {
		ok(rc == -1, "no host: %s", url);
		return;
	}
	ok(rc == 0 && strcmp(h, want) == 0, "host of %s: %s", url, want);
	if (rc != 0 || strcmp(h, want) != 0)
		printf("#   got: %d %s\n", rc, h);
}

static void
test_host(void)
{
	char big[400], h[8];

	host_is("https://mcp.example.com/mcp", "mcp.example.com");
	host_is("https://MCP.Example.COM:8443/mcp?x=1", "mcp.example.com");
	host_is("http://user:p%40ss@Host.example:80/a@b", "host.example");
	host_is("http://a@b@c.example", "c.example");
	host_is("HTTPS://h.example", "h.example");
	host_is("http://[::1]:8080/mcp", "::1");
	host_is("http://[FE80::1%25eth0]/", "fe80::1%25eth0");
	host_is("http://127.0.0.1:3000", "127.0.0.1");
	host_is("http://h.example#frag", "h.example");
	host_is("http://h.example?q", "h.example");
	host_is("mcp.example.com/mcp", NULL);
	host_is("://h.example", NULL);
	host_is("1http://h.example", NULL);
	host_is("http://", NULL);
	host_is("http://:8080/", NULL);
	host_is("http://user@/", NULL);
	host_is("http://[::1/", NULL);
	host_is("http://[::1]x/", NULL);
	host_is("http://h ost/", NULL);
	host_is("http://h\xc3\xa9.example/", NULL);
	host_is("", NULL);
	memset(big, 'a', sizeof(big));
	memcpy(big, "http://", 7);
	big[7 + AGG_HOST_MAX] = '\0';
	ok(agg_url_host(big, big + 300, 100) == -1, "a host longer than the buffer: none");
	big[7 + AGG_HOST_MAX] = 'a';
	big[sizeof(big) - 1] = '\0';
	ok(agg_url_host(big, h, sizeof(h)) == -1, "a host longer than 255: none");
}

static void
test_keys(void)
{
	char k[64];

	ok(agg_key(k, sizeof(k), "everything", "rs", W / 3600) == 0 &&
	        strcmp(k, "mcp:{everything}:rs:498760") == 0,
	    "per-hour key with its hash tag");
	ok(agg_key(k, sizeof(k), "everything", "seen", -1) == 0 &&
	        strcmp(k, "mcp:{everything}:seen") == 0,
	    "per-slug key");
	ok(agg_key(k, 8, "everything", "seen", -1) == -1, "truncation is an error");
}

/* Every whole duration up to 100 s: reported within [ms, 1.05 ms], rounded. */
static int
lat_bound_holds(long *worst_ms)
{
	long ms;
	long long v;

	for (ms = 1; ms <= 100000; ms++) {
		v = agg_lat_value(agg_lat_bucket((double)ms));
		if (v < ms || v > llround(1.05 * (double)ms)) {
			*worst_ms = ms;
			return 0;
		}
	}
	return 1;
}

/* Fractional durations: 1.05^(b-1) < ms <= 1.05^b. */
static int
lat_bucket_holds(double *bad)
{
	double ms;
	int b;

	for (ms = 1.001; ms < 200000; ms *= 1.0137) {
		b = agg_lat_bucket(ms);
		if (!(pow(AGG_LAT_BASE, b - 1) < ms && ms <= pow(AGG_LAT_BASE, b))) {
			*bad = ms;
			return 0;
		}
	}
	return 1;
}

static void
test_latency(void)
{
	long worst = 0;
	double bad = 0;

	ok(agg_lat_bucket(0) == 0 && agg_lat_bucket(0.4) == 0 && agg_lat_bucket(1) == 0,
	    "up to 1 ms: bucket 0");
	ok(agg_lat_bucket(1.0001) == 1 && agg_lat_bucket(1.05) == 1 && agg_lat_bucket(1.06) == 2,
	    "bucket 1 is (1, 1.05] ms");
	ok(agg_lat_bucket(100) == 95 && agg_lat_value(95) == 103, "100 ms: bucket 95, reports 103");
	ok(agg_lat_bucket(30000) == 212 && agg_lat_value(212) == 31055,
	    "30 s: bucket 212, reports 31055");
	ok(agg_lat_bucket(pow(AGG_LAT_BASE, 40)) == 40,
	    "a duration on a bound is in the lower bucket");
	ok(agg_lat_bucket(1e300) == AGG_LAT_NBUCKET - 1 &&
	        agg_lat_bucket(pow(AGG_LAT_BASE, AGG_LAT_NBUCKET - 2)) == AGG_LAT_NBUCKET - 2,
	    "the last bucket takes every longer duration");
	ok(agg_lat_value(AGG_LAT_NBUCKET - 1) > 0 && agg_lat_value(-1) == 1 &&
	        agg_lat_value(AGG_LAT_NBUCKET + 5) == agg_lat_value(AGG_LAT_NBUCKET - 1),
	    "values of the bucket range and beyond");
	ok(lat_bound_holds(&worst), "1 ms to 100 s: reported never below, at most 5 %% above");
	if (worst != 0)
		printf("#   first failure: %ld ms\n", worst);
	ok(lat_bucket_holds(&bad), "fractional durations lie in their bucket");
	if (bad != 0)
		printf("#   first failure: %g ms\n", bad);
}

/* The reason a check gives for the record text j, or "ok". */
static const char *
check_of(const char *j, double now, char *err, size_t len)
{
	cJSON *rec = cJSON_Parse(j);
	const char *name;
	double t, ms;
	int rc;

	if (strstr(j, "\"slug\"") != NULL || strstr(j, "\"region\"") != NULL)
		rc =
		    agg_name_check(rec, strstr(j, "\"slug\"") ? "slug" : "region", &name, err, len);
	else if (strstr(j, "\"probe_started_at\"") != NULL || strcmp(j, "{}") == 0)
		rc = agg_start_check(rec, now, &t, err, len);
	else
		rc = agg_ms_check(rec, &ms, err, len);
	cJSON_Delete(rec);
	if (rc == 0)
		snprintf(err, len, "ok");
	return err;
}

static void
test_checks(void)
{
	static const struct {
		const char *rec, *want;
	} c[] = {
	    {"{\"probe_started_at\":1795536000.5}", "ok"},
	    {"{\"probe_started_at\":1795536300}", "ok"},
	    {"{\"probe_started_at\":1795536300.001}",
	        "probe_started_at 1795536300.001 is more than 300 s ahead of the clock"},
	    {"{\"probe_started_at\":1798128000}",
	        "probe_started_at 1798128000 is more than 300 s ahead of the clock"},
	    {"{\"probe_started_at\":1795536000000}",
	        "probe_started_at 1795536000000: not a time (0 to 253402300799)"},
	    {"{\"probe_started_at\":1792944000}", "ok"},
	    {"{\"probe_started_at\":1792943999.9}",
	        "probe_started_at 1792943999.9 is more than 30 days behind the clock"},
	    {"{\"probe_started_at\":1e308}",
	        "probe_started_at 1e+308: not a time (0 to 253402300799)"},
	    {"{\"probe_started_at\":-1}", "probe_started_at -1: not a time (0 to 253402300799)"},
	    {"{\"probe_started_at\":\"soon\"}", "probe_started_at: not a number"},
	    {"{}", "missing \"probe_started_at\""},
	    {"{\"ms\":null}", "ok"},
	    {"{\"ms\":0}", "ok"},
	    {"{\"ms\":86400000}", "ok"},
	    {"{\"ms\":86400000.5}", "ms 86400000.5: out of range (0 to 86400000)"},
	    {"{\"ms\":1e308}", "ms 1e+308: out of range (0 to 86400000)"},
	    {"{\"ms\":-0.5}", "ms -0.5: out of range (0 to 86400000)"},
	    {"{\"ms\":\"fast\"}", "ms: not a number or null"},
	    {"{\"slug\":\"everything\"}", "ok"},
	    {"{\"slug\":\"Bad Slug!\"}",
	        "bad slug \"Bad Slug!\": not [a-z0-9._-]{1,80}, not all dots"},
	    {"{\"slug\":\"a\\u001b[31mb\\n\"}",
	        "bad slug \"a\\u001b[31mb\\n\": not [a-z0-9._-]{1,80}, not all dots"},
	    {"{\"slug\":7}", "slug: not a string"},
	    {"{\"region\":\"us-east-1\"}", "ok"},
	    {"{\"region\":\"\"}", "bad region \"\": not [a-z0-9._-]{1,80}, not all dots"},
	    {"{\"region\":null}", "region: not a string"},
	};
	char err[AGG_WHY_MAX], q[700], want[700], big[301], code;
	const char *step, *hash;
	cJSON *rec;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		is_str(check_of(c[i].rec, 1795536000, err, sizeof(err)), c[i].want, c[i].rec);
	rec = cJSON_Parse("{\"state\":\"broken\",\"failed_step\":\"tls\",\"step\":\"ping\","
	                  "\"tool_hash\":\"sha256:ab\"}");
	ok(agg_state_check(rec, &code, err, sizeof(err)) == 0 && code == 'b' &&
	        agg_step_check(rec, "failed_step", 1, &step, err, sizeof(err)) == 0 &&
	        strcmp(step, "tls") == 0 && agg_hash_check(rec, &hash, err, sizeof(err)) == 0 &&
	        strcmp(hash, "sha256:ab") == 0,
	    "a broken result: its state, step and hash");
	ok(agg_step_check(rec, "failed_step", 0, &step, err, sizeof(err)) == -1, "%s", err);
	is_str(err, "bad failed_step \"tls\": only a broken result has one",
	    "a step where none may be is named");
	ok(agg_step_check(rec, "step", 1, &step, err, sizeof(err)) == -1, "%s", err);
	is_str(err, "bad step \"ping\": not a step of the contract", "an unknown step is named");
	ok(agg_step_check(rec, "nothing", 0, &step, err, sizeof(err)) == 0 && step == NULL,
	    "an absent step where none is needed");
	cJSON_Delete(rec);
	rec = cJSON_Parse("{\"state\":\"up\",\"tool_hash\":\"sha256 x\",\"failed_step\":3}");
	ok(agg_state_check(rec, &code, err, sizeof(err)) == -1, "%s", err);
	is_str(err, "bad state \"up\": not healthy, auth-walled, broken or unjudged",
	    "a bad state is named");
	ok(agg_hash_check(rec, &hash, err, sizeof(err)) == -1, "%s", err);
	is_str(err, "bad tool_hash \"sha256 x\": not 1 to 128 printable ASCII characters",
	    "a bad hash is named");
	ok(agg_step_check(rec, "failed_step", 1, &step, err, sizeof(err)) == -1, "%s", err);
	is_str(err, "bad failed_step: a broken result names a step of the contract",
	    "a step that is not a string");
	cJSON_Delete(rec);
	memset(big, 'a', 129);
	big[129] = '\0';
	rec = cJSON_CreateObject();
	cJSON_AddStringToObject(rec, "tool_hash", big);
	ok(agg_hash_check(rec, &hash, err, sizeof(err)) == -1, "a hash of 129 bytes is refused");
	big[128] = '\0';
	cJSON_ReplaceItemInObject(rec, "tool_hash", cJSON_CreateString(big));
	ok(agg_hash_check(rec, &hash, err, sizeof(err)) == 0 && strlen(hash) == 128,
	    "one of 128 is taken");
	cJSON_Delete(rec);
	memset(big, 'x', 300);
	big[300] = '\0';
	snprintf(want, sizeof(want), "\"%.100s\"...", big);
	is_str(mcp_json_quoted(q, sizeof(q), big), want, "a long value is cut to 100 bytes");
	memcpy(big + 99, "\xc3\xa9", 2);
	snprintf(want, sizeof(want), "\"%.99s\"...", big);
	is_str(mcp_json_quoted(q, sizeof(q), big), want, "never inside a character");
	is_str(mcp_json_quoted(q, sizeof(q), "a\xff"), "\"a\xef\xbf\xbd\"",
	    "invalid UTF-8 is shown as U+FFFD");
	memset(big, '\x01', 300);
	ok(strlen(mcp_json_quoted(q, MCP_QUOTED_MAX, big)) == 6 * MCP_SHOWN_MAX + 5 &&
	        strncmp(q + 6 * MCP_SHOWN_MAX - 3, "0001\"...", 8) == 0,
	    "the most a value may take is shown whole in MCP_QUOTED_MAX");
	is_str(mcp_json_quoted(q, 8, "abcdefgh"), "\"?\"",
	    "a value that does not fit is a question mark");
}

/* cert_expires_at and cert_regions from the values of mcp:{slug}:cert. */
static void
test_cert(void)
{
	const char *regions[] = {"eu-west-2", "us-east-1", "ap-southeast-1", "sa-east-1",
	    "Bad Region", "us-west-2", "af-south-1", "me-south-1", "ca-central-1"};
	const char *values[] = {"1795536000.5 1796400000", "1795536001 1803312000",
	    "1795536002 1796400000", "1795449000 1790000000", "1795536000 1700000000",
	    "1795536000 1.5", "1795536000", "x 1790000000", "1795536000 253402300800"};
	const char *at[9], *early[9];
	double early_exp[9];
	struct agg_cert c = {0, at, 0, early, early_exp, 0};
	char got[256];

	agg_cert_pick(regions, values, 9, 1795450000, 0, &c);
	snprintf(got, sizeof(got), "%.0f %zu %s %s %zu", c.exp, c.nat, c.nat > 0 ? at[0] : "-",
	    c.nat > 1 ? at[1] : "-", c.nearly);
	is_str(got, "1796400000 2 ap-southeast-1 eu-west-2 0",
	    "cert: the earliest expiry of the regions seen since, and who serves it, sorted");
	agg_cert_pick(regions, values, 9, 1795450000, 1, &c);
	ok(c.exp == 1796400000 && c.nat == 2 && c.nearly == 0,
	    "cert: two regions or more reporting, and two seeing the earliest: that one");
	agg_cert_pick(regions, values, 9, 1795400000, 0, &c);
	ok(c.exp == 1790000000 && c.nat == 1 && strcmp(at[0], "sa-east-1") == 0 && c.nearly == 0,
	    "cert: a region seen earlier counts when since allows it; one region reporting: its "
	    "own");
	agg_cert_pick(regions, values, 9, 1795400000, 1, &c);
	ok(c.exp == 1796400000 && c.nat == 2 && c.nearly == 1 &&
	        strcmp(early[0], "sa-east-1") == 0 && early_exp[0] == 1790000000,
	    "cert: two or more reporting, one region alone earlier: the second earliest, the "
	    "earlier one regional");
	agg_cert_pick(regions + 3, values + 3, 1, 1795400000, 1, &c);
	ok(c.exp == -1 && c.nat == 0 && c.nearly == 1,
	    "cert: two or more reporting and one region alone showing one: none, that one "
	    "regional");
	agg_cert_pick(regions + 4, values + 4, 5, 0, 0, &c);
	ok(c.exp == -1 && c.nat == 0 && c.nearly == 0,
	    "cert: a bad region, a fraction, one number, a bad start, a time past 9999: none");
	agg_cert_pick(regions, values, 0, 0, 0, &c);
	ok(c.exp == -1 && c.nat == 0, "cert: no value: none");
}

/* Count n slugs where the regions stand as steps[] says (-1 passes, -2 not reporting). */
static void
fault_slugs(struct agg_faults *f, const char *const *names, const int *steps, size_t nr, long n)
{
	struct agg_rstate s[8];
	size_t i, k;
	long j;

	for (j = 0; j < n; j++) {
		for (i = k = 0; i < nr; i++)
			if (steps[i] != -2) {
				memset(&s[k], 0, sizeof(s[k]));
				s[k].cert = -1;
				s[k].region = names[i], s[k++].step = steps[i];
			}
		agg_fault_add(f, s, k);
	}
}

static void
test_fault(void)
{
	static const char *const r5[] = {"a", "b", "c", "d", "e"};
	static const int pass[] = {-1, -1, -1, -1, -1}, aconn[] = {1, -1, -1, -1, -1},
	                 abconn[] = {1, 1, -1, -1, -1}, alltls[] = {2, 2, 2, 2, 2},
	                 ctls[] = {-1, -1, 2, -1, -1}, ab[] = {1, -1, -2, -2, -2},
	                 ba[] = {-1, 1, -2, -2, -2};
	static struct agg_faults f;
	const struct agg_fault_region *g;

	memset(&f, 0, sizeof(f));
	f.min = AGG_FAULT_MIN, f.percent = AGG_FAULT_PERCENT;
	fault_slugs(&f, r5, pass, 5, 100);
	fault_slugs(&f, r5, aconn, 5, 200);
	agg_fault_judge(&f);
	ok(agg_fault_blind(&f, "a") == NULL && f.r[0].failed == 200 && f.r[0].passed == 100,
	    "fault: a region failing 200 of 300 that others pass, two in three, is not blind");
	fault_slugs(&f, r5, aconn, 5, 101);
	agg_fault_judge(&f);
	g = agg_fault_blind(&f, "a");
	ok(g != NULL && g->probed == 401 && g->failed == 301 && agg_fault_step(g) == 1 &&
	        agg_fault_blind(&f, "b") == NULL,
	    "fault: failing 301, more than three times the 100 it passes: blind, at connect");
	memset(&f, 0, sizeof(f));
	f.min = AGG_FAULT_MIN, f.percent = AGG_FAULT_PERCENT;
	fault_slugs(&f, r5, alltls, 5, 300);
	fault_slugs(&f, r5, aconn, 5, 30);
	fault_slugs(&f, r5, pass, 5, 10);
	agg_fault_judge(&f);
	ok(agg_fault_blind(&f, "a") == NULL && f.r[0].failed == 30 && f.r[0].passed == 10 &&
	        f.r[0].probed == 340,
	    "fault: servers down everywhere count neither way: 30 failed, 10 passed is not more "
	    "than 75 %%");
	fault_slugs(&f, r5, aconn, 5, 1);
	agg_fault_judge(&f);
	ok(agg_fault_blind(&f, "a") != NULL,
	    "fault: 31 failed, 10 passed is: a runner failing all but a few of what others see, "
	    "however many servers are down everywhere");
	memset(&f, 0, sizeof(f));
	f.min = AGG_FAULT_MIN, f.percent = AGG_FAULT_PERCENT;
	fault_slugs(&f, r5, abconn, 5, 300);
	fault_slugs(&f, r5, ctls, 5, 30);
	agg_fault_judge(&f);
	ok(agg_fault_blind(&f, "a") != NULL && agg_fault_blind(&f, "b") != NULL &&
	        agg_fault_blind(&f, "c") == NULL,
	    "fault: two blind regions at once; 30 of 330 failing in a third is regional");
	memset(&f, 0, sizeof(f));
	f.min = AGG_FAULT_MIN, f.percent = AGG_FAULT_PERCENT;
	fault_slugs(&f, r5, aconn, 5, 9);
	agg_fault_judge(&f);
	ok(agg_fault_blind(&f, "a") == NULL,
	    "fault: 9 slugs failed is fewer than the minimum of 10");
	f.min = 0;
	fault_slugs(&f, r5, aconn, 5, 100);
	agg_fault_judge(&f);
	ok(agg_fault_blind(&f, "a") == NULL, "fault: min 0 judges none blind");
	memset(&f, 0, sizeof(f));
	f.min = AGG_FAULT_MIN, f.percent = AGG_FAULT_PERCENT;
	fault_slugs(&f, r5, ab, 5, 50);
	fault_slugs(&f, r5, ba, 5, 50);
	agg_fault_judge(&f);
	ok(agg_fault_blind(&f, "a") == NULL && agg_fault_blind(&f, "b") == NULL,
	    "fault: two regions failing half each, the other's passing: neither can be told blind");
	memset(&f, 0, sizeof(f));
	f.min = AGG_FAULT_MIN, f.percent = AGG_FAULT_PERCENT;
	fault_slugs(&f, r5, ab, 5, 100);
	agg_fault_judge(&f);
	ok(agg_fault_blind(&f, "a") != NULL && agg_fault_blind(&f, "b") == NULL,
	    "fault: two regions, one failing all that the other passes: that one is blind");
	memset(&f, 0, sizeof(f));
	f.min = AGG_FAULT_MIN, f.percent = AGG_FAULT_PERCENT;
	fault_slugs(&f, r5, aconn, 1, 100);
	agg_fault_judge(&f);
	ok(agg_fault_blind(&f, "a") == NULL && f.r[0].failed == 0,
	    "fault: a single region cannot be told blind");
	memset(&f, 0, sizeof(f));
	f.min = AGG_FAULT_MIN, f.percent = AGG_FAULT_PERCENT;
	agg_fault_canary(&f, "a");
	fault_slugs(&f, r5, aconn, 1, 1);
	agg_fault_judge(&f);
	g = agg_fault_blind(&f, "a");
	ok(g != NULL && g->canary && g->probed == 1,
	    "fault: a single region, one slug, whose canary failed is blind");
	f.min = 0;
	agg_fault_judge(&f);
	ok(agg_fault_blind(&f, "a") != NULL, "fault: min 0 leaves a failed canary blind");
	memset(&f, 0, sizeof(f));
	f.min = AGG_FAULT_MIN, f.percent = AGG_FAULT_PERCENT;
	agg_fault_canary(&f, "b");
	fault_slugs(&f, r5, ab, 5, 100);
	agg_fault_judge(&f);
	ok(agg_fault_blind(&f, "b") != NULL && agg_fault_blind(&f, "a") == NULL &&
	        f.r[1].failed == 0,
	    "fault: the passes of a region whose canary failed count against no other");
}

/*
 * A fleet of four regions: h hostile entries failing only a (at http) and
 * b (at tools_list), rest - 1 servers passing everywhere, and a victim
 * really down from a and b (connect).  The judgment at percent, and the
 * victim's verdict with the blind regions' results dropped, as
 * "blind=REGIONS verdict severity step failed_regions".
 */
static void
hostile_is(long h, long rest, int percent, const char *want, const char *what)
{
	static const char *const r4[] = {"a", "b", "c", "d"};
	static const int evil[] = {3, TL, -1, -1}, good[] = {-1, -1, -1, -1},
	                 down[] = {1, 1, -1, -1};
	static struct agg_faults f;
	struct agg_result victim[] = {
	    R("a", W + 1, BAD, 1, NULL),
	    R("b", W + 2, BAD, 1, NULL),
	    R("c", W + 3, OK, -1, "h"),
	    R("d", W + 4, OK, -1, "h"),
	};
	const char *seen[] = {"a", "b", "c", "d"};
	size_t nres = 4, nseen = 4, i, o;
	struct agg_input in = {W, 180, victim, 0, seen, 0};
	struct agg_decision d;
	char got[256];

	memset(&f, 0, sizeof(f));
	f.min = AGG_FAULT_MIN, f.percent = percent;
	fault_slugs(&f, r4, evil, 4, h);
	fault_slugs(&f, r4, good, 4, rest - 1);
	fault_slugs(&f, r4, down, 4, 1);
	agg_fault_judge(&f);
	o = (size_t)snprintf(got, sizeof(got), "blind=");
	for (i = 0; i < 4; i++)
		if (agg_fault_blind(&f, r4[i]) != NULL)
			o += (size_t)snprintf(got + o, sizeof(got) - o, "%s", r4[i]);
	agg_fault_drop(&f, victim, &nres, seen, &nseen);
	in.nres = nres, in.nseen = nseen;
	if (agg_decide(&in, &d) == -1) {
		ok(0, "%s: out of memory", what);
		return;
	}
	o += (size_t)snprintf(got + o, sizeof(got) - o, " %s %s %s", agg_verdict_name(d.verdict),
	    d.severity, d.step >= 0 ? mcp_steps[d.step] : "-");
	for (i = 0; i < d.nfailed; i++)
		o += (size_t)snprintf(got + o, sizeof(got) - o, "%s%s", i ? "," : " ", d.failed[i]);
	is_str(got, want, what);
	agg_decision_free(&d);
}

/* Issue 39: no set of entries failing chosen regions blinds them for everyone. */
static void
test_fault_hostile(void)
{
	hostile_is(12, 12, AGG_FAULT_PERCENT, "blind= red alert connect a,b",
	    "hostile: a set as large as the rest (12 and 12), a victim down from its two "
	    "regions: red, both regions failing, none blind");
	hostile_is(11, 12, AGG_FAULT_PERCENT, "blind= red alert connect a,b",
	    "hostile: one fewer than the rest: the same");
	hostile_is(1000, 1000, AGG_FAULT_PERCENT, "blind= red alert connect a,b",
	    "hostile: 1000 and 1000: the same, whatever the size");
	hostile_is(32, 12, AGG_FAULT_PERCENT, "blind= red alert connect a,b",
	    "hostile: the limit: 32 and the victim are 33 failures, three times the 11 passes, not "
	    "more");
	hostile_is(33, 12, AGG_FAULT_PERCENT, "blind=ab green ok -",
	    "hostile: one more (34 failures, more than three times 11 passes) blinds a and b: the "
	    "documented limit");
	hostile_is(12, 12, 50, "blind=ab green ok -",
	    "hostile: at -P 50, a set as large as the rest and one real outage blind the two "
	    "regions: why 75 is the default");
	hostile_is(10, 12, 50, "blind= red alert connect a,b",
	    "hostile: at -P 50, two fewer do not (11 failures, 11 passes: not more than half)");
	hostile_is(12, 12, 99, "blind= red alert connect a,b", "hostile: -P 99: none blind");
}

/* A truly blind runner among the same fleet: blind, and one region only. */
static void
test_fault_blind(void)
{
	static const char *const r4[] = {"a", "b", "c", "d"};
	static const int evil[] = {3, TL, -1, 1}, good[] = {-1, -1, -1, 1}, down[] = {1, 1, -1, 1};
	static struct agg_faults f;
	const struct agg_fault_region *g;

	memset(&f, 0, sizeof(f));
	f.min = AGG_FAULT_MIN, f.percent = AGG_FAULT_PERCENT;
	fault_slugs(&f, r4, evil, 4, 12);
	fault_slugs(&f, r4, good, 4, 11);
	fault_slugs(&f, r4, down, 4, 1);
	agg_fault_judge(&f);
	g = agg_fault_blind(&f, "d");
	ok(g != NULL && g->failed == 24 && g->passed == 0 && agg_fault_step(g) == 1 &&
	        agg_fault_blind(&f, "a") == NULL && agg_fault_blind(&f, "b") == NULL &&
	        agg_fault_blind(&f, "c") == NULL,
	    "fault: d fails every slug at connect that others pass, beside the hostile set: d "
	    "blind, no other");
	memset(&f, 0, sizeof(f));
	f.min = AGG_FAULT_MIN, f.percent = AGG_FAULT_PERCENT;
	fault_slugs(&f, r4, good, 4, 76);
	fault_slugs(&f, r4, (const int[]){-1, -1, -1, -1}, 4, 24);
	agg_fault_judge(&f);
	ok(agg_fault_blind(&f, "d") != NULL && f.r[3].failed == 76 && f.r[3].passed == 24,
	    "fault: a partly blind runner, 76 of 100 failed: blind");
	memset(&f, 0, sizeof(f));
	f.min = AGG_FAULT_MIN, f.percent = AGG_FAULT_PERCENT;
	fault_slugs(&f, r4, good, 4, 75);
	fault_slugs(&f, r4, (const int[]){-1, -1, -1, -1}, 4, 25);
	agg_fault_judge(&f);
	ok(agg_fault_blind(&f, "d") == NULL,
	    "fault: 75 of 100 failed is not more than 75 %%: its failures count, each server "
	    "amber there");
}

/*
 * Count n slugs where every region passes with tool-list id hash[i] (0:
 * none) and certificate expiry cert[i] (-1: none).
 */
static void
word_slugs(struct agg_faults *f, const char *const *names, const unsigned *hash, const double *cert,
    size_t nr, long n)
{
	struct agg_rstate s[8];
	size_t i;
	long j;

	for (j = 0; j < n; j++) {
		for (i = 0; i < nr; i++)
			s[i] = (struct agg_rstate){names[i], -1, hash[i], cert[i]};
		agg_fault_add(f, s, nr);
	}
}

/* Issue 45: one region's word against the others' on other fields than failures. */
static void
test_fault_word(void)
{
	static const char *const r4[] = {"a", "b", "c", "d"};
	static const unsigned same[] = {1, 1, 1, 1}, dh[] = {1, 1, 1, 2}, split[] = {1, 1, 2, 2};
	static const double c60[] = {60e5, 60e5, 60e5, 60e5}, dsoon[] = {60e5, 60e5, 60e5, 1e5},
	                    dnear[] = {60e5, 60e5, 60e5, 60e5 - 86400};
	static struct agg_faults f;
	const struct agg_fault_region *g;

	memset(&f, 0, sizeof(f));
	f.min = AGG_FAULT_MIN, f.percent = AGG_FAULT_PERCENT;
	word_slugs(&f, r4, dh, c60, 4, 300);
	agg_fault_judge(&f);
	g = agg_fault_blind(&f, "d");
	ok(g != NULL && g->failed == 300 && g->hash == 300 && g->passed == 0 &&
	        agg_fault_step(g) == -1 && agg_fault_blind(&f, "a") == NULL,
	    "fault: d passing every slug with a tool hash the others agree against: blind");
	memset(&f, 0, sizeof(f));
	f.min = AGG_FAULT_MIN, f.percent = AGG_FAULT_PERCENT;
	word_slugs(&f, r4, same, dsoon, 4, 300);
	agg_fault_judge(&f);
	g = agg_fault_blind(&f, "d");
	ok(g != NULL && g->failed == 300 && g->cert == 300 && g->hash == 0 &&
	        agg_fault_blind(&f, "c") == NULL,
	    "fault: d passing every slug with a certificate far earlier than the others': blind");
	memset(&f, 0, sizeof(f));
	f.min = AGG_FAULT_MIN, f.percent = AGG_FAULT_PERCENT;
	word_slugs(&f, r4, same, dnear, 4, 300);
	word_slugs(&f, r4, split, c60, 4, 300);
	agg_fault_judge(&f);
	ok(agg_fault_blind(&f, "d") == NULL && f.r[3].failed == 0 && f.r[3].passed == 600,
	    "fault: a day earlier is not far; hashes the others do not agree on count neither way");
	memset(&f, 0, sizeof(f));
	f.min = AGG_FAULT_MIN, f.percent = AGG_FAULT_PERCENT;
	word_slugs(&f, r4, same, c60, 4, 299);
	word_slugs(&f, r4, dh, dsoon, 4, 1);
	agg_fault_judge(&f);
	ok(agg_fault_blind(&f, "d") == NULL && f.r[3].failed == 1 && f.r[3].hash == 1 &&
	        f.r[3].cert == 1,
	    "fault: one stale edge in one region for one slug: counted, not blind");
	memset(&f, 0, sizeof(f));
	f.min = AGG_FAULT_MIN, f.percent = AGG_FAULT_PERCENT;
	word_slugs(&f, r4 + 2, dh + 2, dsoon + 2, 2, 300);
	agg_fault_judge(&f);
	ok(agg_fault_blind(&f, "c") == NULL && agg_fault_blind(&f, "d") == NULL,
	    "fault: two regions differing on every hash: nothing tells which is blind");
	memset(&f, 0, sizeof(f));
	f.min = AGG_FAULT_MIN, f.percent = AGG_FAULT_PERCENT;
	word_slugs(&f, r4 + 2, same + 2, dsoon + 2, 2, 300);
	agg_fault_judge(&f);
	ok(agg_fault_blind(&f, "c") == NULL && agg_fault_blind(&f, "d") == NULL &&
	        f.r[0].failed == 0 && f.r[1].failed == 0,
	    "fault: two regions, one's certificates far earlier: one against one, neither counted");
}

/* A history of n windows with a result, split in nsplit of them. */
static struct audit_hist
hist(long nwin, long nsplit, long healthy, long walled, long broken)
{
	struct audit_hist h;

	memset(&h, 0, sizeof(h));
	h.nwin = nwin, h.nsplit = nsplit;
	h.healthy = healthy, h.walled = walled, h.broken = broken;
	h.letters[0] = nwin;
	h.latest_step = -1;
	return h;
}

static void
test_audit_rules(void)
{
	struct audit_hist h;

	memset(&h, 0, sizeof(h));
	h.latest_step = -1;
	ok(audit_decide(&h) == B_UNPROBED, "audit: nothing in the period: unprobed");
	h = hist(100, 10, 450, 0, 50);
	ok(audit_decide(&h) == B_REGIONAL,
	    "audit: split in 10%% of the windows: regionally degraded");
	h = hist(101, 10, 450, 0, 50);
	ok(audit_decide(&h) == B_HEALTHY, "audit: split in 9.9%%: not");
	h = hist(100, 0, 200, 0, 300);
	h.steps[2] = 200, h.steps[6] = 100;
	ok(audit_decide(&h) == B_BROKEN + 2,
	    "audit: broken in most results: the step failed most (tls)");
	h.authfail = 150;
	ok(audit_decide(&h) == B_AUTH, "audit: half the failures 401s at auth: auth-walled");
	h = hist(100, 0, 250, 0, 250);
	ok(audit_decide(&h) == B_HEALTHY,
	    "audit: broken in half the results, not most: not broken");
	h = hist(100, 0, 100, 101, 0);
	ok(audit_decide(&h) == B_AUTH, "audit: most passing results walled: auth-walled");
	h = hist(100, 0, 500, 0, 0);
	h.divergence = 1;
	ok(audit_decide(&h) == B_CDN, "audit: the latest verdict diverges: cdn-divergent");
	h = hist(100, 0, 500, 0, 0);
	h.letters[0] = 90, h.letters[1] = 10, h.rdecided = 100, h.ramber = 10;
	ok(audit_decide(&h) == B_CDN,
	    "audit: amber in 10%% of the windows read, no region failing: cdn-divergent");
	h.ramber = 9;
	ok(audit_decide(&h) == B_HEALTHY,
	    "audit: amber in 10%% of the windows, a region failing in one of them: not");
	h = hist(0, 0, 0, 0, 0);
	h.letters[0] = 6, h.letters[1] = 1;
	ok(audit_decide(&h) == B_HEALTHY,
	    "audit: amber in 1 window of 7, no results: no divergence called");
	h = hist(0, 0, 0, 0, 0);
	h.letters[0] = 10, h.letters[2] = 11, h.latest_step = 7;
	ok(audit_decide(&h) == B_BROKEN + 7,
	    "audit: results gone, red in most windows: the latest step");
	h.latest_step = -1;
	ok(audit_decide(&h) == B_BROKEN_UNKNOWN,
	    "audit: results gone, red in most windows, no step known: broken:unknown");
	h.letters[2] = 0, h.letters[4] = 10;
	ok(audit_decide(&h) == B_HEALTHY, "audit: results gone, green and missing: not broken");
	ok(audit_bucket_of("broken:tools_list") == B_BROKEN + 6 &&
	        audit_bucket_of("broken:unknown") == B_BROKEN_UNKNOWN &&
	        audit_bucket_of("regionally-degraded") == B_REGIONAL && audit_bucket_of("x") == -1,
	    "audit: bucket names");
}

/* A field of the registry for the audit's tests: its name is its server's. */
static struct audit_rem
rem(char *slug, char *name, long index, int bucket)
{
	struct audit_rem r;

	memset(&r, 0, sizeof(r));
	r.slug = slug, r.name = name, r.key = name[0] != '\0' ? name : NULL;
	r.index = index, r.bucket = bucket, r.remote = bucket != B_LOCAL;
	return r;
}

static void
test_audit_movement(void)
{
	static const char prev[] =
	    "{\"as_of\":\"2026-11-24T16:00:00Z\",\"buckets\":{\"healthy\":{\"slugs\":[\"a\",\"b\"]}"
	    ","
	    "\"broken:dns\":{\"slugs\":[\"c\",\"Bad Slug\"]},\"nonsense\":{\"slugs\":[\"d\"]}},"
	    "\"deleted\":{\"slugs\":[\"e\"]}}";
	char sa[] = "a", sb[] = "b", se[] = "e", sf[] = "f", na[] = "io.x/a", nb[] = "", ne[] = "",
	     nf[] = "io.x/f";
	struct audit_rem s[4];
	struct audit a;
	const cJSON *pc;
	const char *why;
	char *t;
	cJSON *j;

	s[0] = rem(sa, na, 0, B_HEALTHY), s[1] = rem(sb, nb, 0, B_BROKEN + 1);
	s[2] = rem(se, ne, 0, B_DELETED), s[3] = rem(sf, nf, 0, B_NEEDS);
	memset(&a, 0, sizeof(a));
	a.r = s, a.nr = 4, a.to = 1795536000, a.from = a.to - 86340, a.period = 86400;
	ok(audit_group(&a) == 0 && a.nsrv == 4 && a.count[B_HEALTHY] == 1 &&
	        a.count[B_DELETED] == 1,
	    "audit: four fields, four servers (an unnamed field is a server alone)");
	j = audit_json(&a);
	ok(j != NULL && cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "movement")),
	    "audit: no previous audit: movement null");
	pc = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(
	        cJSON_GetObjectItemCaseSensitive(j, "buckets"), "healthy"),
	    "percent");
	ok(cJSON_IsNumber(pc) && pc->valuedouble == 33.33,
	    "audit: percent of the total (deleted left out), two decimals");
	cJSON_Delete(j);
	a.prev = mcp_json_parse(prev, strlen(prev), &why);
	j = audit_json(&a);
	t = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(j, "movement"));
	is_str(t ? t : "(null)",
	    "{\"previous_as_of\":\"2026-11-24T16:00:00Z\",\"table\":["
	    "{\"from\":\"healthy\",\"to\":\"broken:connect\",\"count\":1},"
	    "{\"from\":\"broken:dns\",\"to\":\"gone\",\"count\":1},"
	    "{\"from\":\"new\",\"to\":\"needs-configuration\",\"count\":1}],\"moved\":["
	    "{\"slug\":\"b\",\"name\":null,\"from\":\"healthy\",\"to\":\"broken:connect\"},"
	    "{\"slug\":\"c\",\"name\":null,\"from\":\"broken:dns\",\"to\":\"gone\"},"
	    "{\"slug\":\"f\",\"name\":\"io.x/"
	    "f\",\"from\":\"new\",\"to\":\"needs-configuration\"}],\"moved_count\":3}",
	    "audit: the movement: the table and the servers, bad slugs and buckets of the previous "
	    "left out");
	cJSON_free(t);
	cJSON_Delete(j);
	cJSON_Delete(a.prev);
	free(a.srv);
}

/* The JSON of one server or remote of a list, printed (owned). */
static char *
item(const cJSON *j, const char *list, int i)
{
	return cJSON_PrintUnformatted(
	    cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, list), i));
}

/* The servers of the registry's names: a server takes its best remote's bucket. */
static void
test_audit_servers(void)
{
	static const char prev[] =
	    "{\"buckets\":{\"healthy\":{\"slugs\":[\"s-1\",\"zz\"]},\"broken:dns\":{\"slugs\":["
	    "\"s\"]},\"broken:tls\":{\"slugs\":[\"t-1\",\"t-2\"]}},\"deleted\":{\"slugs\":[\"u\","
	    "\"u-1\"]}}";
	char s0[] = "s", s1[] = "s-1", s2[] = "s-2", t0[] = "t", t1[] = "t-1", t2[] = "t-2",
	     u0[] = "u", u1[] = "u-1", v[] = "v", w[] = "w", pk[] = "p", ns[] = "io.x/s",
	     nt[] = "io.x/t", nu[] = "io.x/u", np[] = "io.x/p", none[] = "";
	struct audit_rem r[11];
	struct audit a;
	const char *why;
	char *t;
	cJSON *j;

	ok(audit_rank(B_HEALTHY) < audit_rank(B_AUTH) &&
	        audit_rank(B_AUTH) < audit_rank(B_REGIONAL) &&
	        audit_rank(B_REGIONAL) < audit_rank(B_CDN) &&
	        audit_rank(B_CDN) < audit_rank(B_BROKEN + 7) &&
	        audit_rank(B_BROKEN + 7) < audit_rank(B_BROKEN) &&
	        audit_rank(B_BROKEN) < audit_rank(B_BROKEN_UNKNOWN) &&
	        audit_rank(B_BROKEN_UNKNOWN) < audit_rank(B_UNPROBED) &&
	        audit_rank(B_UNPROBED) < audit_rank(B_NEEDS) &&
	        audit_rank(B_NEEDS) < audit_rank(B_REFUSED) &&
	        audit_rank(B_REFUSED) < audit_rank(B_LOCAL) &&
	        audit_rank(B_LOCAL) < audit_rank(B_DELETED),
	    "audit: the rank of the buckets in a server's rule");
	/* In slug order, as read. */
	r[0] = rem(pk, np, -1, B_LOCAL);
	r[1] = rem(s0, ns, 0, B_BROKEN);
	r[2] = rem(s1, ns, 1, B_HEALTHY);
	r[3] = rem(s2, ns, 2, B_DELETED);
	r[4] = rem(t0, nt, 0, B_DELETED);
	r[5] = rem(t1, nt, 1, B_BROKEN + 2);
	r[6] = rem(t2, nt, 2, B_BROKEN + 6);
	r[7] = rem(u0, nu, 0, B_DELETED);
	r[8] = rem(u1, nu, 1, B_DELETED);
	r[9] = rem(v, none, 0, B_UNPROBED);
	r[10] = rem(w, none, 0, B_UNPROBED);
	memset(&a, 0, sizeof(a));
	a.r = r, a.nr = 11, a.to = 1795536000, a.from = a.to - 86340, a.period = 86400;
	ok(audit_group(&a) == 0 && a.nsrv == 6, "audit: 11 fields, 6 servers");
	ok(strcmp(a.srv[1].slug, "s") == 0 && a.srv[1].bucket == B_HEALTHY && a.r[0].srv == 0 &&
	        a.r[3].srv == 1,
	    "audit: a broken remote and a healthy one: healthy; the slug of remote 0");
	ok(strcmp(a.srv[2].slug, "t-1") == 0 && a.srv[2].bucket == B_BROKEN + 6,
	    "audit: two broken remotes: the one that got further; the slug of the first not "
	    "deleted");
	ok(strcmp(a.srv[3].slug, "u") == 0 && a.srv[3].bucket == B_DELETED,
	    "audit: every remote deleted: the server is deleted");
	ok(a.count[B_HEALTHY] == 1 && a.count[B_BROKEN + 6] == 1 && a.count[B_UNPROBED] == 2 &&
	        a.count[B_LOCAL] == 1 && a.count[B_DELETED] == 1,
	    "audit: the servers of each bucket");
	ok(a.rcount[B_HEALTHY] == 1 && a.rcount[B_BROKEN] == 1 && a.rcount[B_BROKEN + 2] == 1 &&
	        a.rcount[B_BROKEN + 6] == 1 && a.rcount[B_LOCAL] == 0 && a.rcount[B_DELETED] == 4,
	    "audit: the remotes of each bucket, each by its own (packages only: no remote)");
	a.prev = mcp_json_parse(prev, strlen(prev), &why);
	j = audit_json(&a);
	ok(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "servers")) == 5 &&
	        cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "remotes")) == 6 &&
	        cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "apart_count")) == 2,
	    "audit: 5 servers, 6 remotes, not deleted; 2 remotes apart");
	t = item(j, "apart", 0);
	is_str(t ? t : "(null)",
	    "{\"slug\":\"s\",\"name\":\"io.x/s\",\"bucket\":\"broken:dns\",\"server\":\"s\","
	    "\"server_bucket\":\"healthy\"}",
	    "audit: a remote apart from its server");
	cJSON_free(t);
	t = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(j, "movement"), "table"));
	is_str(t ? t : "(null)",
	    "[{\"from\":\"healthy\",\"to\":\"gone\",\"count\":1},"
	    "{\"from\":\"broken:tls\",\"to\":\"broken:tools_list\",\"count\":1},"
	    "{\"from\":\"new\",\"to\":\"local-only\",\"count\":1},"
	    "{\"from\":\"new\",\"to\":\"unprobed\",\"count\":2}]",
	    "audit: against an audit saved per remote: each slug counts for its server now");
	cJSON_free(t);
	cJSON_Delete(j);
	cJSON_Delete(a.prev);
	free(a.srv);
}

/* The censuses' buckets, the remote a server takes its readiness from, the tally, CSV cells. */
static void
test_audit_readiness(void)
{
	static const struct {
		const char *in, *want, *what;
	} cells[] = {{"io.x/plain", "\"io.x/plain\"", "text: quoted"},
	    {"", "\"\"", "empty: quoted"},
	    {"a\"b,c\r\nd", "\"a\"\"b,c\r\nd\"", "a quote doubled; a comma, a CR LF kept"},
	    {"=1+2", "\"'=1+2\"", "= first: a ' before"}, {"+1", "\"'+1\"", "+ first: a ' before"},
	    {"-1", "\"'-1\"", "- first: a ' before"},
	    {"@SUM(A1)", "\"'@SUM(A1)\"", "@ first: a ' before"},
	    {"\tx", "\"'\tx\"", "a tab first: a ' before"},
	    {"\rx", "\"'\rx\"", "a CR first: a ' before"},
	    {"'=x", "\"''=x\"", "' first: a ' before, so that one ' dropped gives it back"},
	    {"a=b", "\"a=b\"", "= inside: as it is"},
	    {"\xff\"", "\"\xef\xbf\xbd\"\"\"", "a byte that is not UTF-8: U+FFFD"}};
	char s0[] = "s", s1[] = "s-1", t0[] = "t", t1[] = "t-1", t2[] = "t-2", ns[] = "io.x/s",
	     nt[] = "io.x/t";
	struct audit_rem r[5];
	struct audit_tally t;
	struct mcp_buf b = {0};
	struct audit a;
	size_t i;

	ok(audit_census(B_HEALTHY, "") == C_HEALTHY && audit_census(B_CDN, "") == C_HEALTHY &&
	        audit_census(B_AUTH, "") == C_AUTH && audit_census(B_BROKEN + 4, "") == C_AUTH &&
	        audit_census(B_BROKEN, "") == C_DEAD && audit_census(B_BROKEN + 2, "") == C_DEAD &&
	        audit_census(B_BROKEN + 3, "http_5xx") == C_NOTMCP &&
	        audit_census(B_BROKEN + 3, "http_404") == C_DEAD &&
	        audit_census(B_BROKEN + 5, "http_404") == C_DEAD &&
	        audit_census(B_BROKEN + 5, "") == C_NOTMCP &&
	        audit_census(B_BROKEN + 6, "http_404") == C_MALFORMED &&
	        audit_census(B_BROKEN + 7, "") == C_MALFORMED &&
	        audit_census(B_REGIONAL, "") == C_REGIONAL &&
	        audit_census(B_BROKEN_UNKNOWN, "") == C_UNKNOWN &&
	        audit_census(B_NEEDS, "") == C_NOTPROBED &&
	        audit_census(B_LOCAL, "") == C_NOTPROBED &&
	        audit_census(B_REFUSED, "") == C_NOTPROBED &&
	        audit_census(B_UNPROBED, "") == C_NOTPROBED,
	    "audit: the censuses' bucket of each bucket (a 404 is dead)");
	/* s: two remotes graded, the first decides; t: the one deciding ungraded, one deleted. */
	r[0] = rem(s0, ns, 0, B_HEALTHY), r[1] = rem(s1, ns, 1, B_HEALTHY);
	r[2] = rem(t0, nt, 0, B_HEALTHY), r[3] = rem(t1, nt, 1, B_REGIONAL);
	r[4] = rem(t2, nt, 2, B_DELETED);
	r[0].h.grade = 'A', r[0].h.eras = 1U << MCP_ERA_MODERN;
	r[1].h.grade = 'F', r[1].h.have[MCP_R_SSE_ONLY] = 1;
	r[3].h.grade = 'C', r[3].h.have[MCP_R_ORIGIN] = 1, r[3].h.eras = 3;
	r[4].h.grade = 'F', r[4].h.have[MCP_R_CORS] = 1;
	memset(&a, 0, sizeof(a));
	a.r = r, a.nr = 5;
	ok(audit_group(&a) == 0 && a.nsrv == 2 && a.srv[0].ready == &r[0] &&
	        a.srv[0].best == &r[0] && a.srv[0].remotes == 2,
	    "audit: of two graded remotes, the one that decided the bucket");
	ok(a.srv[1].ready == &r[3] && a.srv[1].best == &r[2] && a.srv[1].remotes == 2,
	    "audit: the remote deciding ungraded: the next graded, never a deleted one");
	audit_tally(&a, &t);
	ok(t.servers == 2 && t.graded == 2 && t.grades[audit_grade_index('A')] == 1 &&
	        t.grades[audit_grade_index('C')] == 1 && t.grades[0] == 0 &&
	        t.reasons[MCP_R_ORIGIN] == 1 && t.reasons[MCP_R_SSE_ONLY] == 0 &&
	        t.reasons[MCP_R_CORS] == 0 && t.eras[MCP_ERA_MODERN] == 2 &&
	        t.eras[MCP_ERA_LEGACY] == 1 && t.census[C_HEALTHY] == 2,
	    "audit: the tally of grades, reasons, eras and census buckets");
	ok(audit_grade_index('\0') == 0 && audit_grade_index('E') == 0 &&
	        strcmp(audit_grade_names[audit_grade_index('F')], "F") == 0,
	    "audit: no grade, or one no rule makes, is ungraded");
	free(a.srv);
	for (i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
		mcp_buf_reset(&b);
		ok(csv_text(&b, cells[i].in) == 0 && b.p != NULL && strcmp(b.p, cells[i].want) == 0,
		    "audit --dataset: a CSV cell: %s", cells[i].what);
	}
	mcp_buf_free(&b);
}

static void
test_audit_names(void)
{
	char buf[64], *c, big[301];
	size_t i;

	is_str(printable("io.x/\xc2\x9b"
	                 "31m\xe2\x80\xae"
	                 "evil\xe2\x81\xa6",
	           buf, sizeof(buf)),
	    "io.x/?31m?evil?", "audit: a C1 CSI, an override and an isolate shown as ?");
	is_str(printable("a\x1b[2J\x7f\xd8\x9c\xe2\x80\x8e\xe2\x80\x8f\xe2\x80\xaa\xe2\x81\xa9z",
	           buf, sizeof(buf)),
	    "a?[2J??????z", "audit: C0, DEL, U+061C, the marks, embeddings and isolates: ?");
	is_str(printable("\xff\x9b"
	                 "caf\xc3\xa9 \xe6\x97\xa5",
	           buf, sizeof(buf)),
	    "??caf\xc3\xa9 \xe6\x97\xa5", "audit: bytes that are not UTF-8 are ?; the rest kept");
	is_str(printable("ab\xe6\x97\xa5", buf, 5), "ab", "audit: cut at a character");
	for (i = 0; i < sizeof(big) - 1; i++)
		big[i] = i % 2 ? '\xa9' : '\xc3';
	big[sizeof(big) - 1] = '\0';
	c = audit_name_cut(big);
	ok(c != NULL && strlen(c) <= AUDIT_NAME_MAX && mcp_utf8_valid(c, strlen(c)) &&
	        strcmp(c + strlen(c) - 3, "\xe2\x80\xa6") == 0,
	    "audit: a long name cut to %d bytes at a character, an ellipsis after", AUDIT_NAME_MAX);
	free(c);
	c = audit_name_cut("io.x/short");
	is_str(c ? c : "(null)", "io.x/short", "audit: a short name kept");
	free(c);
}

/*
 * More servers moved than the list holds: those between two buckets
 * first; more regional remotes and remotes apart than theirs hold.
 */
static void
test_audit_caps(void)
{
	enum { N = 2 * AUDIT_LIST_MAX + 200 };
	static struct audit_rem s[N + 1];
	static char slugs[N + 1][16], names[N + 1][16];
	const cJSON *mv, *e;
	struct audit a;
	cJSON *j;
	size_t i;
	int found = 0, between = 0;

	/* Servers of two remotes, one regional, one to configure; the last alone, broken. */
	memset(&a, 0, sizeof(a));
	for (i = 0; i <= N; i++) {
		snprintf(slugs[i], sizeof(slugs[i]), "s%05zu", i);
		snprintf(names[i], sizeof(names[i]), "n%05zu", i / 2);
		s[i] = rem(slugs[i], names[i], 0, i == N ? B_BROKEN : i % 2 ? B_REGIONAL : B_NEEDS);
		s[i].h.nwin = 100, s[i].h.nsplit = (long)(i % 100);
	}
	a.r = s, a.nr = N + 1, a.to = 1795536000, a.from = a.to - 86340, a.period = 86400;
	a.prev = cJSON_Parse("{\"buckets\":{\"healthy\":{\"slugs\":[\"s02200\"]}}}");
	ok(audit_group(&a) == 0 && a.nsrv == N / 2 + 1, "audit: %d servers", N / 2 + 1);
	j = audit_json(&a);
	mv = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(j, "movement"), "moved");
	cJSON_ArrayForEach(e, mv)
	{
		const cJSON *sl = cJSON_GetObjectItemCaseSensitive(e, "slug");

		found |= strcmp(sl->valuestring, "s02200") == 0;
		between +=
		    strcmp(cJSON_GetObjectItemCaseSensitive(e, "from")->valuestring, "new") != 0;
	}
	ok(cJSON_GetArraySize(mv) == AUDIT_LIST_MAX && found && between == 1,
	    "audit: %d servers moved listed, the one between two buckets among them",
	    AUDIT_LIST_MAX);
	ok(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
	       cJSON_GetObjectItemCaseSensitive(j, "movement"), "moved_count")) == N / 2 + 1,
	    "audit: moved_count counts them all");
	mv = cJSON_GetObjectItemCaseSensitive(j, "regional");
	found = 1;
	cJSON_ArrayForEach(e, mv)
	{
		found &= cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "share")) >= 9;
		if (e->next != NULL)
			found &=
			    strcmp(cJSON_GetObjectItemCaseSensitive(e, "slug")->valuestring,
			        cJSON_GetObjectItemCaseSensitive(e->next, "slug")->valuestring) < 0;
	}
	ok(cJSON_GetArraySize(mv) == AUDIT_LIST_MAX && found,
	    "audit: %d regional remotes listed, the largest shares, in slug order", AUDIT_LIST_MAX);
	ok(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "apart")) == AUDIT_LIST_MAX &&
	        cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "apart_count")) == N / 2,
	    "audit: %d remotes apart listed, apart_count counts them all", AUDIT_LIST_MAX);
	cJSON_Delete(j);
	cJSON_Delete(a.prev);
	free(a.srv);
}

/* What tools and mcp-alert escape of a server's text (lib/text.c), a character at a time. */
static void
test_text(void)
{
	static const struct {
		const char *s;
		size_t n;
		int bad;
	} c[] = {
	    {"a", 1, 0}, {"\x1b[31m", 1, 1}, {"\x7f", 1, 1}, {"\xc2\x85", 2, 1}, {"\xc2\x9b", 2, 1},
	    {"\xc2\xa0", 2, 0}, {"\xc3\xa9", 2, 0}, {"\xe2\x80\xae", 3, 1}, {"\xe2\x80\xaa", 3, 1},
	    {"\xe2\x80\xa8", 3, 1}, {"\xe2\x81\xa6", 3, 1}, {"\xe2\x81\xa9", 3, 1},
	    /* U+206A, a deprecated format character Unicode says no one sees: escaped. */
	    {"\xe2\x80\xa7", 3, 0}, {"\xe2\x81\xaa", 3, 1}, {"\xf0\x9f\x98\x80", 4, 0},
	    {"\xff", 1, 1}, {"\xc2", 1, 1}, {"\xe2\x80", 1, 1},
	    /* Bytes of no character: each a byte, escaped. */
	    {"\xc0\xaf", 1, 1},             /* overlong "/" */
	    {"\xe0\x80\xae", 1, 1},         /* overlong "." */
	    {"\xed\xa0\x80", 1, 1},         /* a surrogate */
	    {"\xf4\x90\x80\x80", 1, 1},     /* past U+10FFFF */
	    {"\xf8\x88\x80\x80\x80", 1, 1}, /* no lead byte */
	    /* The invisible ones the rules count (MCPU-P002), issue 60's evasions first. */
	    {"\xe1\x9e\xb4", 3, 1}, /* U+17B4 */
	    {"\xe1\xa0\x8b", 3, 1}, /* U+180B */
	    {"\xc2\xad", 2, 1},     /* U+00AD */
	    {"\xe1\x9e\xb5", 3, 1}, /* U+17B5 */
	    {"\xe1\xa0\x8f", 3, 1}, /* U+180F */
	    {"\xcd\x8f", 2, 1},     /* U+034F */
	    {"\xe1\x85\x9f", 3, 1}, /* U+115F */
	    {"\xe1\x85\xa0", 3, 1}, /* U+1160 */
	    {"\xe3\x85\xa4", 3, 1}, /* U+3164 */
	    {"\xef\xbe\xa0", 3, 1}, /* U+FFA0 */
	    {"\xef\xbf\xb9", 3, 1}, /* U+FFF9 */
	    {"\xef\xbf\xbb", 3, 1}, /* U+FFFB */
	    {"\xe2\x80\x8d", 3, 1}, /* U+200D, in an emoji's sequence too, as before */
	    /* Their neighbours, and the variation selectors emoji use: text. */
	    {"\xe1\x9e\xb3", 3, 0},     /* U+17B3 */
	    {"\xe1\x9e\xb6", 3, 0},     /* U+17B6 */
	    {"\xe1\xa0\xa0", 3, 0},     /* U+1820 */
	    {"\xcd\x8e", 2, 0},         /* U+034E */
	    {"\xe3\x85\xa3", 3, 0},     /* U+3163 */
	    {"\xef\xbf\xbc", 3, 0},     /* U+FFFC */
	    {"\xef\xb8\x8f", 3, 0},     /* U+FE0F */
	    {"\xf3\xa0\x84\x80", 4, 0}, /* U+E0100 */
	};
	unsigned char u[8];
	unsigned long cp, missed = 0, first = 0;
	char ex[32];
	size_t i, n;
	int bad;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		n = mcp_text_char(c[i].s, &bad);
		ok(n == c[i].n && bad == c[i].bad, "mcp_text_char case %zu: %zu bytes, %s", i, n,
		    bad ? "escaped" : "text");
	}
	/*
	 * Every character the rules count hidden (a control, bidirectional,
	 * invisible or tag one: the excerpt writes it \u{XXXX}) is escaped
	 * here too, but the variation selectors, which emoji use.
	 */
	for (cp = 1; cp <= 0x10ffff; cp++) {
		if ((cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0xfe00 && cp <= 0xfe0f) ||
		    (cp >= 0xe0100 && cp <= 0xe01ef))
			continue;
		tap_utf8(cp, u);
		n = strlen((const char *)u);
		mcp_scan_excerpt(ex, sizeof(ex), (const char *)u, n, 0, n);
		if (strncmp(ex, "\\u{", 3) != 0)
			continue;
		if (mcp_text_char((const char *)u, &bad) != n || !bad)
			first = missed++ == 0 ? cp : first;
	}
	ok(missed == 0,
	    "every character the rules count hidden is escaped (%lu not, first U+%04lX)", missed,
	    first);
}

int
main(void)
{
	test_text();
	test_urls();
	test_windows();
	test_rules();
	test_fields();
	test_parse();
	test_store_form();
	test_host();
	test_keys();
	test_latency();
	test_checks();
	test_cert();
	test_fault();
	test_fault_hostile();
	test_fault_blind();
	test_fault_word();
	test_audit_rules();
	test_audit_movement();
	test_audit_servers();
	test_audit_readiness();
	test_audit_names();
	test_audit_caps();
	return done_testing();
}
