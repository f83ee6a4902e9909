/*
 * test_chat.c - unit tests for the text of mcp-alert's chat routes
 * (alertd/routes/chattext.c, compiled in here): a text cut to a number of
 * characters (UTF-16 units) and of bytes, never inside a character,
 * ending in an ellipsis; each markup's escapes; controls made spaces; an
 * @ made U+FF20.  In TAP.
 *
 * usage: test_chat [datadir]          (the argument is ignored)
 *        test_chat --send URL         a record whose summary is 10 KB of
 *        hostile text sent to each service of tests/fixtures/chat-services.mjs
 *        at URL (alertd/routes/chat.c, chatsend.c): "KIND SENT|RETRY|REFUSED WHY"
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../alertd/routes/chat.c"
#include "../../alertd/routes/chatsend.c"
#include "../../alertd/routes/chattext.c"
#include "../../alertd/jsontext.c"
#include "json.h"
#include "tap.h"

/* What chat.c takes of routeconf.c: the route's URL and secret as given. */
char *
alert_route_url(struct alert_conf *c, const char *name, const char *arg, char *err, size_t errlen)
{
	(void)c, (void)name, (void)err, (void)errlen;
	return strdup(arg);
}

char *
alert_route_secret(const char *path, char *err, size_t errlen)
{
	(void)err, (void)errlen;
	return strdup(path);
}

/* s said in m within units and bytes, as a string (static). */
static const char *
said(const char *s, size_t units, size_t bytes, enum chat_markup m, size_t *used)
{
	static struct mcp_buf b;
	size_t u;

	mcp_buf_reset(&b);
	u = chat_text(&b, s, units, bytes, m);
	mcp_buf_addc(&b, '\0');
	if (used != NULL)
		*used = u;
	return b.p;
}

static void
test_cut(void)
{
	size_t u;
	const char *s;

	ok(strcmp(said("abcdef", 6, 100, CHAT_PLAIN, &u), "abcdef") == 0 && u == 6,
	    "a text that fits is whole");
	ok(strcmp(said("abcdefg", 6, 100, CHAT_PLAIN, &u), "abcde\xe2\x80\xa6") == 0 && u == 6,
	    "one character over: cut to 5 and the ellipsis, 6 in all");
	ok(strcmp(said("abcdefg", 100, 6, CHAT_PLAIN, &u), "abc\xe2\x80\xa6") == 0,
	    "cut to 6 bytes: 3 and the ellipsis's 3");
	s = said("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 100, 7, CHAT_PLAIN, NULL);
	ok(strcmp(s, "\xc3\xa9\xc3\xa9\xe2\x80\xa6") == 0,
	    "never inside a character (é is 2 bytes)");
	s = said("\xf0\x9f\x94\xa5\xf0\x9f\x94\xa5\xf0\x9f\x94\xa5", 5, 100, CHAT_PLAIN, &u);
	ok(strcmp(s, "\xf0\x9f\x94\xa5\xf0\x9f\x94\xa5\xe2\x80\xa6") == 0 && u == 5,
	    "a character past the BMP is 2 UTF-16 units: two of them and the ellipsis are 5");
	ok(strcmp(said("a\nb\tc\xe2\x80\xae", 100, 100, CHAT_PLAIN, NULL), "a b c ") == 0,
	    "a newline, a tab, a bidi override: spaces, one line");
	ok(strcmp(said("ig\xe1\x9e\xb4no\xe1\xa0\x8bre\xc2\xad", 100, 100, CHAT_PLAIN, NULL),
	       "ig no re ") == 0,
	    "U+17B4, U+180B, U+00AD (invisible, as the rules count them): spaces");
	ok(strcmp(said("a\xff", 100, 100, CHAT_PLAIN, NULL), "a ") == 0,
	    "a byte of no character: a space");
	s = said("**&**", 4, 100, CHAT_DISCORD, &u);
	ok(strcmp(s, "\\*\\*&\xe2\x80\xa6") == 0 && u == 4,
	    "characters counted as read, not as written: 3 and the ellipsis");
	s = said("*****", 100, 9, CHAT_DISCORD, &u);
	ok(strcmp(s, "\\*\\*\\*\xe2\x80\xa6") == 0,
	    "bytes counted as written: 3 escaped (6) and the ellipsis (3)");
}

static void
test_escapes(void)
{
	static const char in[] = "@everyone <users/all> *b* _i_ `c` [x](y) # {{DATE(x)}} &amp;";

	ok(strcmp(said(in, 1000, 1000, CHAT_PLAIN, NULL),
	       "\xef\xbc\xa0"
	       "everyone <users/all> *b* _i_ `c` [x](y) # {{DATE(x)}} &amp;") == 0,
	    "plain: the @ alone");
	ok(strcmp(said("{{DATE(x)}}", 1000, 1000, CHAT_TEAMS, NULL),
	       "{\xe2\x80\x8b{\xe2\x80\x8b"
	       "DATE(x)}}") == 0,
	    "Teams: each { followed by U+200B, no date function");
	ok(strcmp(said(in, 1000, 1000, CHAT_HTML, NULL),
	       "\xef\xbc\xa0"
	       "everyone &lt;users/all&gt; *b* _i_ `c` [x](y) # {{DATE(x)}} &amp;amp;") == 0,
	    "HTML: & < > escaped");
	ok(strcmp(said("\"q\"", 1000, 1000, CHAT_HTML, NULL), "&quot;q&quot;") == 0,
	    "HTML: a quote too (a href's)");
	ok(strcmp(said(in, 1000, 1000, CHAT_DISCORD, NULL),
	       "\xef\xbc\xa0"
	       "everyone \\<users/all\\> \\*b\\* \\_i\\_ \\`c\\` \\[x\\]\\(y\\) \\# "
	       "{{DATE\\(x\\)}} "
	       "&amp;") == 0,
	    "Discord: its markdown escaped");
	ok(strcmp(said("a-b.c!d+e", 1000, 1000, CHAT_COMMONMARK, NULL), "a\\-b\\.c\\!d\\+e") == 0,
	    "CommonMark: any punctuation it reads");
	ok(strcmp(said("@**all** ~x~", 1000, 1000, CHAT_ZULIP, NULL),
	       "\xef\xbc\xa0\\*\\*all\\*\\* ~x~") == 0,
	    "Zulip: what Python-Markdown escapes, the mention's @ plain");
	ok(strcmp(said("", 10, 10, CHAT_HTML, NULL), "") == 0, "nothing is nothing");
}

static void
test_duration(void)
{
	char b[32];

	chat_duration(b, sizeof(b), 14640);
	ok(strcmp(b, "4h 4m") == 0, "4h 4m");
	chat_duration(b, sizeof(b), 125);
	ok(strcmp(b, "2m 5s") == 0, "2m 5s");
	chat_duration(b, sizeof(b), 90000);
	ok(strcmp(b, "1d 1h") == 0, "1d 1h");
	chat_duration(b, sizeof(b), -1);
	ok(strcmp(b, "0s") == 0, "a negative duration is 0s");
}

/* The tokens tests/fixtures/chat-services.mjs knows. */
static int
send_all(const char *base)
{
	static const struct {
		enum route_type t;
		const char *name, *url, *secret, *a0, *a1;
	} k[] = {
	    {RT_TEAMS, "teams",
	        "/workflows/x/triggers/manual/paths/invoke?sig=TEAMSSIGxxxxxxxxxxxxxxxx"},
	    {RT_DISCORD, "discord", "/api/webhooks/1/DISCORDTOKENxxxxxxxxxxxx"},
	    {RT_TELEGRAM, "telegram", "", "123456:TELEGRAMTOKENxxxxxxxxx", "-100123"},
	    {RT_GCHAT, "gchat", "/v1/spaces/A/messages?key=K&token=GCHATTOKENxxxxxxxxxxxxxx"},
	    {RT_MATTERMOST, "mattermost", "/hooks/MATTERMOSTHOOKxxxxxxxxxx"},
	    {RT_ROCKETCHAT, "rocketchat", "/hooks/1/ROCKETTOKENxxxxxxxxxxxxx"},
	    {RT_ZULIP, "zulip", "", "ZULIPKEYxxxxxxxxxxxxxxxx", "alerts-bot@zulip.example", "ops"},
	    {RT_MATRIX, "matrix", "", "syt_MATRIXTOKENxxxxxxxxx", "!alerts:matrix.example"},
	};
	struct alert_conf c = {.delivery_timeout = 10, .page_url = "https://status.example.com"};
	struct mcp_buf sum = {0};
	char url[512], why[256], *argv[3];
	double ra = 0;
	cJSON *rec;
	size_t i;
	int rc;

	/* 10 KB of every service's markup, mentions, newlines and 4-byte characters. */
	mcp_buf_adds(&sum, "big: ");
	while (sum.len < 10240)
		mcp_buf_adds(&sum,
		    "@everyone <users/all> @**all** *b* _i_ `c` <b>h</b>&amp; \\ "
		    "{{DATE(x)}}\n# h \xf0\x9f\x94\xa5 ");
	rec = cJSON_CreateObject();
	cJSON_AddStringToObject(rec, "type", "alert");
	cJSON_AddStringToObject(rec, "event", "trigger");
	cJSON_AddStringToObject(rec, "severity", "P1");
	cJSON_AddStringToObject(rec, "slug", "big");
	cJSON_AddStringToObject(rec, "dedup_key", "big:1795536000");
	cJSON_AddStringToObject(rec, "step", sum.p + 5);
	cJSON_AddStringToObject(rec, "kind", "tools-changed");
	cJSON_AddStringToObject(rec, "summary", sum.p);
	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		struct alert_route r = {.type = k[i].t};

		snprintf(r.name, sizeof(r.name), "%s", k[i].name);
		snprintf(url, sizeof(url), "%s%s", base, k[i].url);
		r.url = url;
		r.secret = (char *)k[i].secret;
		argv[0] = (char *)k[i].a0, argv[1] = (char *)k[i].a1, argv[2] = NULL;
		r.argv = argv;
		rc = alert_chat_send(
		    &c, &r, "0123456789abcdef0123456789abcdef", rec, &ra, why, sizeof(why));
		printf("%s %s %s\n", k[i].name,
		    rc == SENT        ? "SENT"
		        : rc == RETRY ? "RETRY"
		                      : "REFUSED",
		    rc == SENT ? "-" : why);
	}
	alert_chat_done();
	cJSON_Delete(rec);
	mcp_buf_free(&sum);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--send") == 0)
		return send_all(argv[2]);
	test_cut();
	test_escapes();
	test_duration();
	return done_testing();
}
