/*
 * test_alert.c - unit tests for the pure pieces of mcp-alert's expiry
 * tracks (alertd/expiry.c, compiled in here: it belongs to the tool
 * alone): the tiers a time left reaches, a JWT's exp, a sidecar's time,
 * a token's fingerprint and times in words, in TAP.  No reason given for
 * a token holds any part of it.  And the Standard Webhooks signature of a
 * delivery (alertd/routes/sign.c), against the specification's own example.
 * And the text of a post (alertd/posttext.c), the addresses a reader may
 * subscribe (lib/page.c) and the link of a notice.
 *
 * usage: test_alert [datadir]   (the argument is ignored)
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../../alertd/expiry.c"
#include "../../alertd/posttext.c"
#include "../../alertd/routes/sign.c"
#include "tap.h"

#define DAY 86400L
#define T 1795536000.0 /* 2026-11-24T16:00:00Z */
#define HDR "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9"
#define SIG "c2lnbmF0dXJlLXNlY3JldC1wYXJ0"

static void
test_tiers(void)
{
	static const struct exp_tier cert[] = {{14 * DAY, "P3"}, {3 * DAY, "P2"}};
	static const struct exp_tier tok[] = {
	    {30 * DAY, "P3"}, {7 * DAY, "P2"}, {DAY, "P1"}, {0, "P1"}};
	static const struct {
		double left;
		int cert, tok;
	} c[] = {
	    {31 * DAY, 0, 0},
	    {30 * DAY, 0, 1},
	    {15 * DAY, 0, 1},
	    {14 * DAY + 1, 0, 1},
	    {14 * DAY, 1, 1},
	    {7 * DAY, 1, 2},
	    {3 * DAY + 1, 1, 2},
	    {3 * DAY, 2, 2},
	    {DAY, 2, 3},
	    {1, 2, 3},
	    {0, -1, 4},
	    {-DAY, -1, 4},
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		ok(exp_tier(c[i].left, cert, 2) == c[i].cert, "cert tier at %.0f s left: %d",
		    c[i].left, c[i].cert);
		ok(exp_tier(c[i].left, tok, 4) == c[i].tok, "token tier at %.0f s left: %d",
		    c[i].left, c[i].tok);
	}
	ok(exp_tier(-1, NULL, 0) == -1 && exp_tier(1, NULL, 0) == 0, "no tiers: none");
}

static void
jwt_case(const char *tok, double want, const char *why_want, const char *what)
{
	char why[128] = "";
	double exp = -1;
	int rc = exp_jwt(tok, &exp, why, sizeof(why));

	if (why_want == NULL) {
		ok(rc == 0 && exp == want, "jwt: %s: %.0f", what, want);
		if (rc != 0 || exp != want)
			printf("#   got rc %d exp %.3f (%s)\n", rc, exp, why);
		return;
	}
	ok(rc == -1 && strcmp(why, why_want) == 0, "jwt: %s: %s", what, why_want);
	if (rc != -1 || strcmp(why, why_want) != 0)
		printf("#   got rc %d: %s\n", rc, why);
	ok(strstr(why, SIG) == NULL && strstr(why, "eyJ") == NULL && strchr(why, '.') == NULL,
	    "jwt: %s: no part of the token in the reason", what);
}

static void
test_jwt(void)
{
	char big[EXP_TOKEN_MAX + 64];

	jwt_case(HDR ".eyJleHAiOjE3OTU1MzYwMDB9." SIG, T, NULL, "exp, unpadded");
	jwt_case(HDR ".eyJlIjoxfQ==." SIG, 0, "a JWT without an exp claim", "padded, no exp");
	jwt_case(
	    HDR ".eyJleHAiOjE3OTU1MzYwMDAuNzUsInN1YiI6ImEifQ." SIG, T, NULL, "a fraction: floored");
	jwt_case(HDR ".eyJleHAiOjE3OTU1MzYwMDB9.", T, NULL, "no signature (alg none)");
	jwt_case(HDR ".eyJzdWIiOiJ4In0." SIG, 0, "a JWT without an exp claim", "no exp");
	jwt_case(HDR ".eyJleHAiOiIxNzk1NTM2MDAwIn0." SIG, 0, "a JWT without an exp claim",
	    "exp a string");
	jwt_case(HDR ".eyJleHAiOjFlMzAwfQ." SIG, 0,
	    "a JWT whose exp is not a time from 1970 to 9999", "exp 1e300");
	jwt_case(HDR ".WzFd." SIG, 0, "a JWT whose payload is not a JSON object", "payload [1]");
	jwt_case(HDR ".eyJleHAi*jE3OTU1MzYwMDB9." SIG, 0, "a JWT whose payload is not base64url",
	    "a character out of base64url");
	jwt_case(HDR ".eyJleHAiOjE3OTU1MzYwMDB9A." SIG, 0, "a JWT whose payload is not base64url",
	    "a length base64 cannot have");
	jwt_case(HDR ".eyJlIjoxfQ=." SIG, 0, "a JWT whose payload is not base64url",
	    "padding that does not fill a quantum");
	jwt_case(HDR ".eyJleHAiOjE3OTU1MzYwMDB." SIG, 0, "a JWT whose payload is not a JSON object",
	    "a payload cut short");
	jwt_case("opaque-token-0123456789", 0, "not a JWT (three parts joined by dots)",
	    "an opaque token");
	jwt_case(HDR ".eyJleHAiOjE3OTU1MzYwMDB9", 0, "not a JWT (three parts joined by dots)",
	    "two parts");
	jwt_case(HDR "..." SIG, 0, "not a JWT (three parts joined by dots)", "four parts");
	jwt_case(HDR ".." SIG, 0, "not a JWT (three parts joined by dots)", "an empty payload");
	jwt_case(HDR ".eyJleHAiOjE3OTU1MzYwMDB9.a.b.c", 0, "not a JWT (three parts joined by dots)",
	    "five parts (JWE: its payload is encrypted)");
	memset(big, 'A', sizeof(big));
	big[0] = 'x', big[1] = '.', big[sizeof(big) - 3] = '.', big[sizeof(big) - 1] = '\0';
	jwt_case(big, 0, "not a JWT (three parts joined by dots)", "a payload of 8 KiB and more");
}

static void
test_time(void)
{
	static const struct {
		const char *s;
		double want;
	} c[] = {
	    {"1795536000", T},
	    {"1795536000.9", T},
	    {" 1795536000\t", T},
	    {"2026-11-24T16:00:00Z", T},
	    {"2026-11-24t16:00:00z", T},
	    {"2026-11-24 16:00:00.123Z", T},
	    {"2026-11-24T16:00Z", T},
	    {"2026-11-24T17:00:00+01:00", T},
	    {"2026-11-24T17:00:00+0100", T},
	    {"2026-11-24T17:00:00+01", T},
	    {"2026-11-24T15:30:00-00:30", T},
	    {"2026-11-24", T - 16 * 3600},
	    {"2024-02-29", 1709164800},
	    {"1970-01-01T00:00:00Z", 0},
	    {"9999-12-31T23:59:59Z", MCP_TIME_MAX},
	    {"2026-11-24T16:00:00", -1},
	    {"2026-11-24T16:00:00+24:00", -1},
	    {"2026-11-24T24:00:00Z", -1},
	    {"2026-11-24T16:60:00Z", -1},
	    {"2026-11-24T16:00:60Z", -1},
	    {"2026-11-24T16:00:00.Z", -1},
	    {"2026-02-30", -1},
	    {"2023-02-29", -1},
	    {"2026-13-01", -1},
	    {"1969-12-31", -1},
	    {"1970-01-01T00:00:00+01:00", -1},
	    {"26-11-24", -1},
	    {"2026-11-24Z", -1},
	    {"1e9", -1},
	    {"1.2.3", -1},
	    {"-5", -1},
	    {"999999999999", -1},
	    {"", -1},
	    {"   ", -1},
	    {"next tuesday", -1},
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		double got = exp_time_of(c[i].s);

		ok(got == c[i].want, "time \"%s\": %.0f", c[i].s, c[i].want);
		if (got != c[i].want)
			printf("#   got %.3f\n", got);
	}
}

static void
test_words(void)
{
	static const struct {
		double secs;
		const char *want;
	} c[] = {
	    {14 * DAY, "14 days"},
	    {14 * DAY - 60, "14 days"},
	    {36 * 3600, "2 days"},
	    {DAY, "24 hours"},
	    {3600, "60 minutes"},
	    {90 * 60, "2 hours"},
	    {60, "1 minute"},
	    {0, "0 minutes"},
	    {-2 * DAY, "2 days"},
	    {DAY + 12 * 3600 - 1, "36 hours"},
	};
	char buf[64], fpr[EXP_FPR_LEN + 1];
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		exp_left_text(buf, sizeof(buf), c[i].secs);
		ok(strcmp(buf, c[i].want) == 0, "%.0f s in words: %s", c[i].secs, c[i].want);
		if (strcmp(buf, c[i].want) != 0)
			printf("#   got: %s\n", buf);
	}
	ok(exp_fingerprint("test-token-123", fpr, sizeof(fpr)) == 0 &&
	        strcmp(fpr, "19b6b086eebb") == 0,
	    "fingerprint: the first 12 hex digits of the SHA-256");
	ok(exp_fingerprint("test-token-123", fpr, EXP_FPR_LEN) == -1,
	    "fingerprint: -1 when the buffer is short");
}

static void
test_sign(void)
{
	/* The example of Standard Webhooks' reference libraries. */
	static const char *const sec = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
	static const char *const id = "msg_p5jXN8AQM9LWM0D4loKWxJek",
	                         *body = "{\"test\": 2432232314}";
	unsigned char key[ALERT_KEY_MAX];
	char sig[ALERT_SIG_SIZE];
	size_t i;
	static const char *const bad[] = {
	    "whsec_", "whsec_abc", "whsec_ab=c", "whsec_a===", "whsec_ab$d", "whsec_=abc", ""};

	ok(alert_webhook_sign(sec, id, 1614265330, body, sig, sizeof(sig)) == 0 &&
	        strcmp(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=") == 0,
	    "sign: the example of the specification (a whsec_ key)");
	ok(alert_webhook_sign(sec, id, 1614265331, body, sig, sizeof(sig)) == 0 &&
	        strcmp(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=") != 0,
	    "sign: another second, another signature");
	ok(alert_webhook_sign("hmac-secret-for-tests", "msg_x", 1, "{}", sig, sizeof(sig)) == 0 &&
	        strcmp(sig, "v1,UXepCicwr1XCaNDSnUerxaY6m4ZJIddQKjPyYs9Ioas=") == 0,
	    "sign: another secret is its own bytes");
	ok(alert_webhook_sign(sec, id, 1, body, sig, 40) == -1, "sign: -1 when out is short");
	ok(alert_webhook_key("whsec_AAECAw==", key, sizeof(key)) == 4 && key[3] == 3,
	    "key: whsec_ base64 with padding, decoded");
	ok(alert_webhook_key("whsec_AAECAwQ=", key, sizeof(key)) == 5 && key[4] == 4,
	    "key: one pad");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(alert_webhook_key(bad[i], key, sizeof(key)) == -1, "key: \"%s\" refused",
		    bad[i]);
	ok(alert_webhook_key("whsec_AAAA", key, 2) == -1, "key: longer than the buffer, refused");
}

static void
test_post(void)
{
	static const struct {
		const char *in;
		int lines, ok;
		const char *out;
	} t[] = {
	    {"  Fine\r\nthen\r\n\t", 1, 0, "Fine\nthen"},
	    {"a\nb", 0, -1, NULL},
	    {"a\rb", 1, -1, NULL},
	    {"\x01", 1, -1, NULL},
	    {"a\xc2\x9b"
	     "b",
	        1, -1, NULL}, /* C1: CSI */
	    {"a\x7f", 1, -1, NULL},
	    {"\xff", 1, -1, NULL},
	    {"\xe2\x80\xae"
	     "bidi \xe2\x81\xa6ok",
	        1, 0,
	        "\xe2\x80\xae"
	        "bidi \xe2\x81\xa6ok"},
	    {"<script>&amp;", 0, 0, "<script>&amp;"},
	    {" \r\n ", 1, -1, NULL},
	};
	char buf[64], why[128], big[PAGE_TEXT_MAX + 2];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", t[i].in);
		ok(post_text(buf, 200, t[i].lines, why, sizeof(why)) == t[i].ok &&
		        (t[i].out == NULL || strcmp(buf, t[i].out) == 0),
		    "post text %zu: %s", i, t[i].ok == 0 ? "taken as it should be" : why);
	}
	memset(big, 'x', PAGE_TEXT_MAX);
	big[PAGE_TEXT_MAX] = '\0';
	ok(post_text(big, PAGE_TEXT_MAX, 1, why, sizeof(why)) == 0, "a text of %d bytes: taken",
	    PAGE_TEXT_MAX);
	big[PAGE_TEXT_MAX] = 'x', big[PAGE_TEXT_MAX + 1] = '\0';
	ok(post_text(big, PAGE_TEXT_MAX, 1, why, sizeof(why)) == -1 &&
	        strstr(why, "2001 bytes") != NULL,
	    "one more byte: refused (%s)", why);
	ok(post_state("monitoring") == 2 && post_state("Resolved") == -1 && post_state("") == -1,
	    "the four states, by their exact names");
	ok(post_id_ok("1") && post_id_ok("999999999999") && !post_id_ok("0") && !post_id_ok("01") &&
	        !post_id_ok("1234567890123") && !post_id_ok("1a") && !post_id_ok(""),
	    "a post's id: 1 to 12 digits, no leading zero");
	ok(post_incident_ok("files:1795536000") && post_incident_ok("a.b:latency:1795536000") &&
	        !post_incident_ok("files") && !post_incident_ok("Files:1") &&
	        !post_incident_ok("f:x<y:1") && !post_incident_ok("f:1x"),
	    "a dedup_key: SLUG:START or SLUG:KIND:START");
}

static void
test_addr(void)
{
	static const char *const good[] = {
	    "a@example.test", "first.last+tag@sub.example.test", "x_y-z@a-b.c"};
	static const char *const bad[] = {"", "a", "a@b", "@example.test", "a@", "A@example.test",
	    "a@Example.test", "a@@example.test", "a@b@example.test", "\"q\"@example.test",
	    "a b@example.test", "a@example.test.", "a@-example.test", "a@example-.test",
	    "a@exa_mple.test", "a@ex..test", "a<b@example.test", "a,b@example.test",
	    "a@example.test\r\nBcc: x@evil.test", "a\xc3\xa9@example.test"};
	char local[80], longdom[300];
	size_t i;
	int n = 0;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		n += mcp_page_addr_ok(good[i]);
	ok(n == (int)(sizeof(good) / sizeof(good[0])), "addresses a reader may subscribe: taken");
	for (i = 0, n = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (mcp_page_addr_ok(bad[i]))
			printf("# taken: %s\n", bad[i]), n++;
	ok(n == 0, "%zu that are not (or not lower case): refused", sizeof(bad) / sizeof(bad[0]));
	memset(local, 'a', 65);
	snprintf(local + 65, sizeof(local) - 65, "@example.test");
	ok(!mcp_page_addr_ok(local), "a local part of 65 bytes: refused");
	memset(longdom, 'a', 240);
	snprintf(longdom + 240, sizeof(longdom) - 240, "@example.test");
	ok(!mcp_page_addr_ok(longdom), "an address of %zu bytes: refused", strlen(longdom));
	ok(mcp_page_id_ok("e0123456789abcdef") && mcp_page_id_ok("k0123456789abcdef") &&
	        !mcp_page_id_ok("x0123456789abcdef") && !mcp_page_id_ok("e0123456789ABCDEF") &&
	        !mcp_page_id_ok("e0123"),
	    "a subscriber's id: e, w or k, and 16 hex digits");
}

static void
test_link(void)
{
	char buf[256];
	const char *why;
	const char *jn = "{\"post\":\"7\",\"slugs\":[\"weather\"]}",
	           *jm = "{\"post\":\"7\",\"slugs\":[\"a\",\"b\"]}", *jw = "{\"slugs\":[\"../x\"]}";
	cJSON *n = mcp_json_parse(jn, strlen(jn), &why), *m = mcp_json_parse(jm, strlen(jm), &why),
	      *w = mcp_json_parse(jw, strlen(jw), &why);

	notice_link(buf, sizeof(buf), "https://s.test", n);
	ok(strcmp(buf, "https://s.test/status/weather#post-7") == 0, "a post about one server: %s",
	    buf);
	notice_link(buf, sizeof(buf), "https://s.test", m);
	ok(strcmp(buf, "https://s.test/status#post-7") == 0,
	    "about two: the page of every server: %s", buf);
	notice_link(buf, sizeof(buf), "https://s.test", w);
	ok(strcmp(buf, "https://s.test/status") == 0, "a slug that is not one is no path: %s", buf);
	notice_link(buf, sizeof(buf), NULL, n);
	ok(buf[0] == '\0', "no status_page: no link");
	cJSON_Delete(n);
	cJSON_Delete(m);
	cJSON_Delete(w);
}

int
main(void)
{
	test_tiers();
	test_jwt();
	test_time();
	test_words();
	test_sign();
	test_post();
	test_addr();
	test_link();
	return done_testing();
}
