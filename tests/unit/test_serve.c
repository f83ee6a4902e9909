/*
 * test_serve.c - unit tests for the pure pieces of mcp-serve, whose files
 * are compiled in here: path and query decoding, the weak ETag comparison,
 * the ages, the stored results, the summary of a verdict (stale, unknown,
 * unreadable, out of range), the badge's escaping and a post's text, in
 * TAP.
 *
 * usage: test_serve [datadir]   (the argument is ignored)
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../serve/assets.c"
#include "../../serve/audit.c"
#include "../../serve/chart.c"
#include "../../serve/list.c"
#include "../../serve/mcp.c"
#include "../../serve/mcpdoc.c"
#include "../../serve/mcpstatus.c"
#include "../../serve/mcptools.c"
#include "../../serve/mcptrust.c"
#include "../../serve/notices.c"
#include "../../serve/page.c"
#include "../../serve/posts.c"
#include "../../serve/posttext.c"
#include "../../serve/prom.c"
#include "../../serve/read.c"
#include "../../serve/region.c"
#include "../../serve/render.c"
#include "../../serve/report.c"
#include "../../serve/route.c"
#include "../../serve/words.c"
#include "../../serve/tools.c"
#include "../../serve/toolsfindings.c"
#include "../../serve/toolsreview.c"
#include "../../serve/toolstext.c"
#include "../../serve/lists.c"
#include "../../serve/subpage.c"
#include "../../serve/sublua.c"
#include "../../serve/subscribe.c"
#include "tap.h"

/* serve_log is main.c's; here a log goes to the TAP output as a comment. */
void
serve_log(struct conn *c, const char *fmt, ...)
{
	va_list ap;

	(void)c;
	printf("# log: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static void
test_decode(void)
{
	char out[16];

	ok(serve_decode_path("/a%2Fb", 6, out, sizeof(out)) == 0 && strcmp(out, "/a/b") == 0,
	    "%%2F decodes to a slash (then no slug matches)");
	ok(serve_decode_path("/a%00", 5, out, sizeof(out)) == -1, "%%00 is refused");
	ok(serve_decode_path("/a%0", 4, out, sizeof(out)) == -1, "a cut escape is refused");
	ok(serve_decode_path("/a%zz", 5, out, sizeof(out)) == -1, "a bad escape is refused");
	ok(serve_decode_path("/a+b", 4, out, sizeof(out)) == 0 && strcmp(out, "/a+b") == 0,
	    "a plus stays a plus in a path");
	ok(serve_decode_path("/0123456789abcdef", 17, out, sizeof(out)) == -1,
	    "a path longer than the buffer is refused, not cut");
	ok(serve_query_get("a=1&label=x%20y+z&b", "label", out, sizeof(out)) == 1 &&
	        strcmp(out, "x y z") == 0,
	    "a query value is decoded, plus as space");
	ok(serve_query_get("a=1&b", "b", out, sizeof(out)) == 1 && out[0] == '\0',
	    "a key without a value is empty");
	ok(serve_query_get("labelx=1", "label", out, sizeof(out)) == 0,
	    "a longer key is not the key");
	ok(serve_query_get("label=%00", "label", out, sizeof(out)) == -1,
	    "%%00 in a query is refused");
	ok(serve_query_get("", "label", out, sizeof(out)) == 0, "an empty query has no key");
}

static void
test_etag(void)
{
	const char *tag = "\"v1-2026-11-24T16:00:00Z\"";

	ok(etag_match("\"v1-2026-11-24T16:00:00Z\"", tag), "the same tag matches");
	ok(etag_match("W/\"v1-2026-11-24T16:00:00Z\"", tag), "its weak form matches (nginx gzip)");
	ok(etag_match("\"a\", W/\"v1-2026-11-24T16:00:00Z\"", tag), "in a list");
	ok(etag_match("*", tag), "* matches");
	ok(!etag_match("\"v1-2026-11-24T16:01:00Z\"", tag), "another minute does not");
	ok(!etag_match("v1-2026-11-24T16:00:00Z", tag), "an unquoted tag does not");
	ok(!etag_match("\"v1-2026-11-24T16:00:00Z", tag), "an unterminated tag does not");
	ok(!etag_match("\"v1-2026-11-24T16:00:00Z\"x", tag), "a tag with junk after it does not");
	ok(!etag_match("", tag), "an empty header does not");
}

static void
test_ago(void)
{
	static const struct {
		double s;
		const char *want;
	} t[] = {{0, "0s"}, {37.9, "37s"}, {59.99, "59s"}, {60, "1m"}, {3599, "59m"}, {3600, "1h"},
	    {86399, "23h"}, {86400, "1d"}, {-5, "0s"}, {1e300, "0s"}};
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		mcp_ago(t[i].s, buf, sizeof(buf));
		ok(strcmp(buf, t[i].want) == 0, "%g s is %s (got %s)", t[i].s, t[i].want, buf);
	}
}

static void
test_results(void)
{
	struct region g;

	memset(&g, 0, sizeof(g));
	parse_result("2500 h3c5e0123456789ab 145", &g);
	ok(g.letter == 'h' && g.ms == 145, "a healthy result with its duration");
	parse_result("2500 a 61", &g);
	ok(g.letter == 'a' && g.ms == 61, "an auth-walled one");
	memset(&g, 0, sizeof(g));
	parse_result("10000 b tools_list http_429", &g);
	ok(g.letter == 'b' && strcmp(g.step, "tools_list") == 0 && g.ms < 0,
	    "a broken one, its step");
	memset(&g, 0, sizeof(g));
	parse_result("10000 b nosuchstep", &g);
	ok(g.letter == 'b' && g.step[0] == '\0',
	    "a step that is not one of the eight is not shown");
	parse_result("2500 h3c5e0123456789ab", &g);
	ok(g.letter == 'h' && g.ms < 0, "the slim form: no duration");
	memset(&g, 0, sizeof(g));
	parse_result("1795536002.5 b tools_list - 100", &g);
	ok(g.letter == 'b' && strcmp(g.step, "tools_list") == 0, "the oldest form");
	parse_result("1795536002.5 h - sha256:ab 100", &g);
	ok(g.letter == 'h' && g.ms == 100, "the oldest form, passing");
	parse_result("garbage", &g);
	ok(g.letter == 0, "garbage is unreadable");
	parse_result("1 x 2", &g);
	ok(g.letter == 0, "an unknown state letter is unreadable");
	parse_result("2500 h 1e300", &g);
	ok(g.letter == 'h' && g.ms < 0, "a duration out of range is none");
}

static void
test_differs(void)
{
	struct region g[4];

	memset(g, 0, sizeof(g));
	strcpy(g[0].hash, "A");
	strcpy(g[1].hash, "A");
	strcpy(g[2].hash, "B");
	mark_differs(g, 4);
	ok(g[0].differs == 0 && g[1].differs == 0 && g[2].differs == 1 && g[3].differs == -1,
	    "the odd hash differs; a region without one is neither");
	memset(g, 0, sizeof(g));
	strcpy(g[0].hash, "A");
	strcpy(g[1].hash, "B");
	mark_differs(g, 2);
	ok(g[0].differs == 1 && g[1].differs == 1, "two regions that disagree both differ");
	memset(g, 0, sizeof(g));
	strcpy(g[0].hash, "A");
	mark_differs(g, 1);
	ok(g[0].differs == 0, "one region alone does not differ");
}

static struct summary
sum(const char *verdict, const char *seen_score, double now)
{
	redisReply v = {0}, s = {0}, e0 = {0}, e1 = {0}, *el[2] = {&e0, &e1};
	struct summary out;

	v.type = REDIS_REPLY_STRING;
	v.str = (char *)verdict;
	v.len = verdict != NULL ? strlen(verdict) : 0;
	s.type = REDIS_REPLY_ARRAY;
	s.elements = seen_score != NULL ? 2 : 0;
	s.element = el;
	e0.type = e1.type = REDIS_REPLY_STRING;
	e0.str = (char *)"us-east-1";
	e1.str = (char *)seen_score;
	serve_summary(verdict != NULL ? &v : NULL, &s, now, &out, 0);
	return out;
}

static void
test_summary(void)
{
	const double w = 1795536000;
	struct summary s;
	char etag[64];

	s = sum("{\"verdict\":\"green\",\"window\":1795536000,\"uptime_30d\":99.87,\"p95_ms\":142}",
	    "1795536037.5", w + 100);
	ok(s.state == ST_UP && s.uptime == 99.87 && s.p95 == 142 && s.last_probe == 1795536037.5 &&
	        strcmp(s.as_of, "2026-11-24T16:00:00Z") == 0,
	    "green is up, with its numbers and the as_of of its window");
	serve_etag(&s, etag, sizeof(etag));
	ok(strcmp(etag, "\"v1-2026-11-24T16:00:00Z\"") == 0, "the ETag of the contract");
	s = sum("{\"verdict\":\"green\",\"window\":1795536000}", NULL, w + 301);
	ok(s.state == ST_PENDING && s.stale, "a verdict more than 300 s old is pending");
	serve_etag(&s, etag, sizeof(etag));
	ok(strcmp(etag, "\"v1-2026-11-24T16:00:00Z-stale\"") == 0,
	    "with a tag of its own, so no 304 keeps the fresh state");
	s = sum("{\"verdict\":\"green\",\"window\":1795536000}", NULL, w + 300);
	ok(s.state == ST_UP, "at 300 s it is still shown");
	s = sum("{\"verdict\":\"unknown\",\"window\":1795536000}", NULL, w + 100);
	ok(s.state == ST_PENDING && !s.stale, "unknown is pending");
	s = sum(
	    "{\"verdict\":\"amber\",\"window\":1795536000,\"divergence\":\"cdn-cache-divergence\"}",
	    NULL, w + 100);
	ok(s.state == ST_DEGRADED && s.divergence, "amber is degraded, the divergence seen");
	s = sum("{\"verdict\":\"red\",\"window\":1795536000,\"uptime_30d\":150,\"p95_ms\":-1}",
	    NULL, w + 100);
	ok(s.state == ST_DOWN && s.uptime < 0 && s.p95 < 0, "numbers out of range are null");
	s = sum("{\"verdict\":\"green\",\"window\":1795536001}", NULL, w + 100);
	ok(s.state == ST_PENDING && !s.has_verdict, "a window that is not a minute is no verdict");
	s = sum("{\"verdict\":\"green\",\"window\":1e300}", NULL, w + 100);
	ok(s.state == ST_PENDING && !s.has_verdict, "nor is one past the year 9999");
	s = sum("{\"verdict\":\"green\",", NULL, w + 100);
	ok(s.state == ST_PENDING && s.known && !s.has_verdict, "an unreadable verdict is pending");
	serve_etag(&s, etag, sizeof(etag));
	ok(strcmp(etag, "\"v1-none\"") == 0, "with the tag of no verdict");
	s = sum(NULL, "1795536037.5", w + 100);
	ok(s.state == ST_PENDING && s.known, "probes without a verdict: pending, known");
	s = sum(NULL, "nan", w + 100);
	ok(!s.known && s.last_probe < 0, "a score that is not a time is none");
}

static void
test_badge(void)
{
	struct mcp_buf b = {0};

	ok(serve_badge_svg(&b, ST_DOWN, "<a&\"'>", "dark") == 0 && strstr(b.p, "<a&") == NULL &&
	        strstr(b.p, "&lt;a&amp;&quot;&#39;&gt;: down") != NULL,
	    "the label is XML-escaped in aria-label, title and text");
	ok(strstr(b.p, "role=\"img\"") != NULL && strstr(b.p, "prefers-color-scheme") == NULL,
	    "role=img; a theme asked for is not overridden by the viewer's");
	mcp_buf_free(&b);
	ok(serve_badge_svg(&b, ST_UP, "mcp", NULL) == 0 &&
	        strstr(b.p, "prefers-color-scheme") != NULL,
	    "no theme: the viewer's is followed");
	ok(text_width("mcp") < text_width("mcp-uptime"), "a longer label is wider");
	mcp_buf_free(&b);
}

static void
test_conf(void)
{
	char path[] = "/tmp/test_serve.XXXXXX", err[256];
	FILE *f;
	int fd;

	ok(strcmp(serve_city("eu-west-2"), "London") == 0 && serve_city("xx-nowhere-1") == NULL,
	    "the built-in table knows eu-west-2, not a made-up code");
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL)
		return;
	fputs("# regions of our own\nstore unix:///run/r.sock  # the local one\nregion eu-west-2 "
	      "51.5 "
	      "-0.1 Londres\t# in French\nregion lab-1 48.8 2.3 Saint-Étienne du Rouvray #2\n",
	    f);
	fclose(f);
	ok(serve_conf_load(path, err, sizeof(err)) == 0 &&
	        strcmp(serve_city("eu-west-2"), "Londres") == 0 &&
	        strcmp(serve_city("lab-1"), "Saint-Étienne du Rouvray") == 0 &&
	        strcmp(serve_conf_store(), "unix:///run/r.sock") == 0,
	    "the file overrides a city, adds a region and names the store; a # after a blank "
	    "starts a comment");
	f = fopen(path, "w");
	fputs("region ok-1 1 2 Fine\nregion bad-1 91 0 North of north\n", f);
	fclose(f);
	ok(serve_conf_load(path, err, sizeof(err)) == -1 &&
	        strstr(err, ":2: region: bad latitude") != NULL && serve_city("ok-1") == NULL &&
	        serve_conf_store() == NULL,
	    "a bad line is named by its number and nothing of the file is kept");
	printf("# %s\n", err);
	unlink(path);
}

/* lib's own civil calendar against the C library's, 1970 to 9999. */
static void
test_iso(void)
{
	char a[32], b[32];
	struct tm tm;
	long long t;
	int bad = 0;

	for (t = 0; t < 253402300800LL && !bad; t += 86400LL * 7 + 3671) {
		time_t tt = (time_t)t;

		gmtime_r(&tt, &tm);
		strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%SZ", &tm);
		if (mcp_iso8601((double)t, a, sizeof(a)) == -1 || strcmp(a, b) != 0)
			bad = printf("# %lld: %s, gmtime says %s\n", t, a, b);
	}
	ok(!bad, "mcp_iso8601 writes what gmtime_r and strftime write, every week to 9999");
	ok(mcp_iso8601(951782400, a, sizeof(a)) == 0 && strcmp(a, "2000-02-29T00:00:00Z") == 0,
	    "2000-02-29, a leap day of a century");
	ok(mcp_iso8601(253402300800.0, a, sizeof(a)) == -1 && mcp_iso8601(-1, a, sizeof(a)) == -1 &&
	        mcp_iso8601(0, a, 20) == -1,
	    "past 9999, before 1970 or with no room: -1");
}

/* A post's text as HTML and as XML: escaped, linked, bounded, mended. */
static void
test_post_text(void)
{
	static const struct {
		const char *in;
		size_t max;
		int links;
		const char *want;
	} t[] = {
	    {"<b>&\"'", 100, 1, "&lt;b&gt;&amp;&quot;&#39;"},
	    {"a\nb", 100, 1, "a<br>b"},
	    {"a\nb", 100, 0, "a\nb"},
	    {"a\x01\x7f\xc2\x9b\xff"
	     "b",
	        100, 0,
	        "a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	        "b"},
	    {"see https://x.test/a?b=1&c=2.", 100, 1,
	        "see <a href=\"https://x.test/a?b=1&amp;c=2\" rel=\"nofollow noopener noreferrer "
	        "ugc\">https://x.test/a?b=1&amp;c=2</a>."},
	    {"(https://x.test/p)", 100, 1,
	        "(<a href=\"https://x.test/p\" rel=\"nofollow noopener noreferrer ugc\">"
	        "https://x.test/p</a>)"},
	    {"https://x.test/\"onmouseover=1", 100, 1,
	        "<a href=\"https://x.test/\" rel=\"nofollow noopener noreferrer ugc\">"
	        "https://x.test/</a>&quot;onmouseover=1"},
	    {"javascript:alert(1) xhttps://x.test https://", 100, 1,
	        "javascript:alert(1) xhttps://x.test https://"},
	    {"https://x.test", 100, 0, "https://x.test"},
	    {"\xc3\xa9\xc3\xa9", 3, 0, "\xc3\xa9"},
	    /* U+FFFE, U+FFFF, U+FDD0, U+1FFFF, tab, CR: never in a feed. */
	    {"a\xef\xbf\xbe\xef\xbf\xbf\xef\xb7\x90\xf0\x9f\xbf\xbf\t\rb", 100, 0,
	        "a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	        "b"},
	};
	struct mcp_buf b = {0};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int rc;

		mcp_buf_reset(&b);
		rc = serve_post_text(&b, t[i].in, t[i].max, t[i].links);
		ok(rc == 0 && b.p != NULL && strcmp(b.p, t[i].want) == 0,
		    "post text %zu, %s: as it should be", i, t[i].links ? "HTML" : "XML");
		if (b.p == NULL || strcmp(b.p, t[i].want) != 0)
			printf("#   got: %s\n", b.p ? b.p : "(none)");
	}
	mcp_buf_free(&b);
}

/* 1 when s is UTF-8 of XML 1.0's Chars only (tab, LF, CR, U+0020..U+D7FF, U+E000..U+FFFD, U+10000 up). */
static int
xml_chars(const char *s)
{
	size_t n = strlen(s), k;
	unsigned long cp;

	for (; n > 0; s += k, n -= k) {
		if ((k = mcp_utf8_decode(s, n, &cp)) == 0)
			return 0;
		if (cp < 0x20 ? cp != '\t' && cp != '\n' && cp != '\r'
		              : (cp >= 0xd800 && cp < 0xe000) || cp == 0xfffe || cp == 0xffff)
			return 0;
	}
	return 1;
}

/* Every code point, and the bytes no code point is, through serve_esc: well-formed XML text. */
static void
test_esc_xml(void)
{
	struct mcp_buf b = {0};
	unsigned long cp, bad = 0, kept = 0;
	unsigned char u[8];
	int rc = 0;

	for (cp = 1; cp <= 0x10ffff; cp++) {
		/* Surrogates encoded as if they were characters: bytes a decoder refuses. */
		tap_utf8(cp, u);
		mcp_buf_reset(&b);
		rc |= serve_esc(&b, (const char *)u);
		bad += b.p == NULL || !xml_chars(b.p);
		kept += b.p != NULL && strcmp(b.p, (const char *)u) == 0;
	}
	ok(rc == 0 && bad == 0,
	    "serve_esc: every code point and surrogate comes out XML 1.0 text (%lu not)", bad);
	ok(kept == 0x10ffff - 0x800 - 66 - 28 - 33 - 5,
	    "and every other character kept as itself, but the five of markup (%lu)", kept);
	mcp_buf_reset(&b);
	rc = serve_esc(&b, "a\x01\t\n\r\xef\xbf\xbe<\xff\xef\xbf\xbd");
	ok(rc == 0 && b.p != NULL &&
	        strcmp(b.p, "a\xef\xbf\xbd\t\n\r\xef\xbf\xbd&lt;\xef\xbf\xbd\xef\xbf\xbd") == 0,
	    "serve_esc: C0, U+FFFE and a stray byte replaced; tab, LF, CR and U+FFFD kept");
	mcp_buf_free(&b);
}

/* A finding's excerpt on the page: every hidden character a visible escape, never raw. */
static void
test_findings_html(void)
{
	/* "Adds." then "Ig" in tag characters, an RLO, markup; the tool's name with an RLO. */
	static const char rec_json[] =
	    "{\"findings\":{\"count\":1,\"worst\":\"high\",\"rules\":[\"MCPU-P001\"],"
	    "\"regions\":[\"eu-west-2\"],\"added\":null,\"first\":[{\"rule\":\"MCPU-P001\","
	    "\"severity\":\"high\",\"tool\":\"add\\u202e\",\"pointer\":\"/description\","
	    "\"excerpt\":\"Adds.\\udb40\\udc49\\udb40\\udc67 \\u202eevil <b>\"}]}}";
	cJSON *rec = cJSON_Parse(rec_json), *hist = cJSON_CreateArray();
	struct mcp_buf b = {0};
	int rc;

	rc = serve_tools_html(&b, hist, rec);
	ok(rc == 0 && b.p != NULL &&
	        strstr(b.p,
	            "MCPU-P001</code> <span class=\"sev high\">high</span>: Unicode tag "
	            "characters") != NULL,
	    "the page names the rule, its severity and its line");
	ok(b.p != NULL && strstr(b.p, "Adds.\\u{E0049}\\u{E0067} \\u{202E}evil &lt;b&gt;") != NULL,
	    "the excerpt: its tag characters and its RLO as visible escapes, its markup escaped");
	ok(b.p != NULL && strstr(b.p, "\xf3\xa0\x81\x89") == NULL &&
	        strstr(b.p, "\xe2\x80\xae") == NULL,
	    "no tag character and no RLO reaches the HTML raw");
	ok(b.p != NULL &&
	        strstr(b.p,
	            "in the tool <bdi>add\xef\xbf\xbd</bdi> at <code>/description</code>") != NULL,
	    "where: the tool (its RLO made U+FFFD, as a name is) and the JSON pointer");
	/* What the rules count invisible (MCPU-P002), issue 60's evasions among them. */
	cJSON_Delete(rec);
	rec = cJSON_Parse(
	    "{\"findings\":{\"count\":1,\"worst\":\"medium\",\"rules\":[\"MCPU-"
	    "P002\"],\"regions\":[\"eu-west-2\"],\"added\":null,\"first\":[{\"rule\":"
	    "\"MCPU-P002\",\"severity\":\"medium\",\"tool\":\"re\\u180bad\",\"pointer\":\"/"
	    "description\",\"excerpt\":\"ig\\u17b4no\\u180bre soft\\u00ad\"}]}}");
	mcp_buf_reset(&b);
	rc = serve_tools_html(&b, hist, rec);
	ok(rc == 0 && b.p != NULL &&
	        strstr(b.p, "ig\\u{17B4}no\\u{180B}re soft\\u{00AD}") != NULL &&
	        strstr(b.p, "\xe1\x9e\xb4") == NULL && strstr(b.p, "\xe1\xa0\x8b") == NULL &&
	        strstr(b.p, "\xc2\xad") == NULL,
	    "U+17B4, U+180B and U+00AD in an excerpt: visible escapes, none raw");
	ok(b.p != NULL &&
	        strstr(b.p,
	            "in the tool <bdi>re\xef\xbf\xbd"
	            "ad</bdi>") != NULL,
	    "and in a tool's name U+180B made U+FFFD");
	mcp_buf_free(&b);
	cJSON_Delete(rec);
	cJSON_Delete(hist);
}

/* The change of the first entry of a tool_changes answer's history. */
static const cJSON *
change_of(const cJSON *o)
{
	return cJSON_GetObjectItem(
	    cJSON_GetArrayItem(cJSON_GetObjectItem(o, "history"), 0), "change");
}

/* /mcp's tool_changes: a description's text wrapped, its invisible characters escaped. */
static void
test_trust_changes(void)
{
	cJSON *o =
	    cJSON_Parse("{\"slug\":\"w\",\"history\":[{\"kind\":\"tools\",\"change\":{\"class\":"
	                "\"review\",\"text\":\"read: description changed\",\"items\":[{\"class\":"
	                "\"review\",\"kind\":\"description_changed\",\"tool\":\"read\",\"before\":"
	                "\"Reads.\",\"after\":\"ig\\u17b4no\\u180bre soft\\u00ad\"}]}}]}");
	const cJSON *after;
	char *text = NULL;

	ok(o != NULL && mcp_trust_mark(o) == 0 && (text = mcp_trust_text(o)) != NULL,
	    "tool_changes: marked and said");
	after = cJSON_GetObjectItem(
	    cJSON_GetArrayItem(cJSON_GetObjectItem(change_of(o), "items"), 0), "after");
	ok(cJSON_IsObject(after) &&
	        strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(after, "quoted")),
	            "ig\\u{17B4}no\\u{180B}re soft\\u{00AD}") == 0,
	    "the description's text quoted, U+17B4, U+180B and U+00AD written \\u{XXXX}");
	ok(text != NULL && strstr(text, "ig\\\\u{17B4}no\\\\u{180B}re soft\\\\u{00AD}") != NULL &&
	        strstr(text, "\xe1\x9e\xb4") == NULL && strstr(text, "\xe1\xa0\x8b") == NULL &&
	        strstr(text, "\xc2\xad") == NULL,
	    "and so in the text content, none raw");
	free(text);
	cJSON_Delete(o);
}

int
main(void)
{
	test_decode();
	test_etag();
	test_ago();
	test_results();
	test_differs();
	test_summary();
	test_badge();
	test_conf();
	test_iso();
	test_post_text();
	test_esc_xml();
	test_findings_html();
	test_trust_changes();
	return done_testing();
}
