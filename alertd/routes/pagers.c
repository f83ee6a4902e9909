/*
 * pagers.c - the routes of the paging and phone services: their route
 * lines, the text every message of theirs is made of (a title, the
 * summary, what to run, the status page's link, the dedup key; no markup,
 * cut to the service's limits), and the phones' bodies: ntfy (its JSON
 * publishing, so that no text of a server is ever a header), Gotify
 * (plain text), Pushover (a form).  Opsgenie and Splunk On-Call are in
 * oncall.c, Alertmanager in amgr.c.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../alert.h"
#include "../rules.h"
#include "pagers.h"
#include "text.h"

#define PUSHOVER_URL "https://api.pushover.net/1/messages.json"
#define OPSGENIE_URL "https://api.opsgenie.com"
#define TOPIC_MAX 64 /* ntfy: [-_A-Za-z0-9]{1,64} */

int
alert_pager_type(enum route_type t)
{
	return t == RT_NTFY || t == RT_GOTIFY || t == RT_PUSHOVER || alert_pager_incidents(t);
}

int
alert_pager_incidents(enum route_type t)
{
	return t == RT_OPSGENIE || t == RT_VICTOROPS || t == RT_ALERTMANAGER;
}

/* --- route lines -------------------------------------------------------------- */

static void
wipe(char *s)
{
	if (s != NULL)
		explicit_bzero(s, strlen(s));
	free(s);
}

static int
http_url(const char *s)
{
	return strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0;
}

/* The topic of an ntfy URL, the whole of its path (https://HOST/TOPIC): NULL when not. */
static const char *
ntfy_topic(const char *url)
{
	const char *h = strstr(url, "://"), *t;
	size_t n;

	if (h == NULL || (t = strchr(h + 3, '/')) == NULL || t == h + 3)
		return NULL;
	t++;
	n = strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");
	return n > 0 && n <= TOPIC_MAX && t[n] == '\0' ? t : NULL;
}

/* A secret a header carries: printable ASCII, no blank (a header of its own). */
static int
header_safe(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s <= ' ' || *s > '~')
			return 0;
	return 1;
}

static char *
secret_checked(const char *path, char *err, size_t errlen)
{
	char *s = alert_route_secret(path, err, errlen);

	if (s != NULL && !header_safe(s)) {
		snprintf(
		    err, errlen, "%s: not a token: a blank or a character that is not ASCII", path);
		wipe(s);
		s = NULL;
	}
	return s;
}

/* ntfy and Splunk On-Call: URL|url_file=PATH, a secret (a topic, a key); ntfy [TOKEN_FILE]. */
static int
conf_secret_url(
    struct alert_conf *c, struct alert_route *r, char **w, int nw, char *err, size_t errlen)
{
	if ((r->url = alert_route_url(c, w[0], w[2], err, errlen)) == NULL)
		return -1;
	if (r->type == RT_NTFY && ntfy_topic(r->url) == NULL) {
		snprintf(err, errlen,
		    "route \"%s\": not an ntfy topic URL (https://HOST/TOPIC, TOPIC of "
		    "[-_A-Za-z0-9]{1,64})",
		    w[0]);
		return -1;
	}
	if (nw == 4 && (r->secret = secret_checked(w[3], err, errlen)) == NULL)
		return -1;
	return 0;
}

/* Gotify: URL TOKEN_FILE; Alertmanager: URL [TOKEN_FILE]; Opsgenie: KEY_FILE [URL]. */
static int
conf_base_url(struct alert_route *r, char **w, int nw, char *err, size_t errlen)
{
	const char *url = r->type != RT_OPSGENIE ? w[2] : nw == 4 ? w[3] : OPSGENIE_URL;
	const char *key = r->type == RT_OPSGENIE ? w[2] : nw == 4 ? w[3] : NULL;
	size_t n;

	if (!http_url(url)) {
		snprintf(err, errlen, "route \"%s\": not an http(s) URL", w[0]);
		return -1;
	}
	if (key != NULL && (r->secret = secret_checked(key, err, errlen)) == NULL)
		return -1;
	if ((r->url = strdup(url)) == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	/* The paths are added to it. */
	n = strlen(r->url);
	if (n > 8 && r->url[n - 1] == '/')
		r->url[n - 1] = '\0';
	return 0;
}

/* Pushover: TOKEN_FILE USER_FILE [URL], the secret "TOKEN\nUSER". */
static int
conf_pushover(struct alert_route *r, char **w, int nw, char *err, size_t errlen)
{
	char *a = NULL, *b = NULL;
	size_t n;

	if (nw == 5 && !http_url(w[4])) {
		snprintf(err, errlen, "route \"%s\": not an http(s) URL", w[0]);
		return -1;
	}
	if ((a = secret_checked(w[2], err, errlen)) == NULL ||
	    (b = secret_checked(w[3], err, errlen)) == NULL) {
		wipe(a);
		return -1;
	}
	n = strlen(a) + strlen(b) + 2;
	if ((r->secret = malloc(n)) == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	snprintf(r->secret, n, "%s\n%s", a, b);
	wipe(a);
	wipe(b);
	if ((r->url = strdup(nw == 5 ? w[4] : PUSHOVER_URL)) == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	return 0;
}

int
alert_pager_conf(
    struct alert_conf *c, struct alert_route *r, char **w, int nw, char *err, size_t errlen)
{
	switch (r->type) {
	case RT_NTFY:
	case RT_VICTOROPS:
		return conf_secret_url(c, r, w, nw, err, errlen);
	case RT_GOTIFY:
	case RT_ALERTMANAGER:
	case RT_OPSGENIE:
		return conf_base_url(r, w, nw, err, errlen);
	case RT_PUSHOVER:
		return conf_pushover(r, w, nw, err, errlen);
	default:
		snprintf(err, errlen, "route \"%s\": not a paging service", w[0]);
		return -1;
	}
}

/* --- the text ----------------------------------------------------------------- */

enum pg_action
pg_action_of(const char *event)
{
	if (strcmp(event, "trigger") == 0 || strcmp(event, "escalate") == 0)
		return PG_OPEN;
	if (strcmp(event, "test") == 0)
		return PG_TEST;
	if (strcmp(event, "resolve") == 0)
		return PG_CLOSE;
	if (strcmp(event, "acknowledge") == 0)
		return PG_ACK;
	return PG_NONE;
}

/*
 * The bytes of s that fit in units UTF-16 units and bytes bytes (0: no
 * bound), never half a character: what JavaScript's length and a byte
 * count of the services would both accept.
 */
static size_t
fit(const char *s, size_t units, size_t bytes)
{
	size_t i = 0, u = 0, n, k;
	int bad;

	while (s[i] != '\0') {
		n = mcp_text_char(s + i, &bad);
		k = n == 4 ? 2 : 1;
		if ((units > 0 && u + k > units) || (bytes > 0 && i + n > bytes))
			break;
		i += n, u += k;
	}
	return i;
}

/* UTF-16 units of s. */
static size_t
units_of(const char *s)
{
	size_t i = 0, u = 0, n;
	int bad;

	while (s[i] != '\0') {
		n = mcp_text_char(s + i, &bad);
		u += n == 4 ? 2 : 1, i += n;
	}
	return u;
}

/*
 * s as text of one line into b: controls are spaces, what a reader would
 * not see (bidi overrides, invisible characters, bytes of no character) '?';
 * cut with "…" to units and bytes (0: no bound).
 */
static void
add_clean(struct mcp_buf *b, const char *s, size_t units, size_t bytes)
{
	struct mcp_buf t = {0};
	size_t n, k;
	int bad;

	for (; *s != '\0'; s += n) {
		n = mcp_text_char(s, &bad);
		if (!bad)
			mcp_buf_add(&t, s, n);
		else
			mcp_buf_addc(
			    &t, n == 1 && ((unsigned char)*s < ' ' || *s == 0x7f) ? ' ' : '?');
	}
	if (t.p == NULL)
		return;
	if ((units == 0 || units_of(t.p) <= units) && (bytes == 0 || t.len <= bytes))
		mcp_buf_adds(b, t.p);
	else if ((units == 0 || units > 1) && (bytes == 0 || bytes > 3)) {
		k = fit(t.p, units ? units - 1 : 0, bytes ? bytes - 3 : 0);
		mcp_buf_add(b, t.p, k);
		mcp_buf_adds(b, "\xe2\x80\xa6");
	}
	mcp_buf_free(&t);
}

void
pg_add_text(cJSON *o, const char *k, const char *s, size_t units, size_t bytes)
{
	struct mcp_buf b = {0};

	add_clean(&b, s, units, bytes);
	cJSON_AddStringToObject(o, k, b.p != NULL ? b.p : "");
	mcp_buf_free(&b);
}

void
pg_title(char *buf, size_t len, const cJSON *rec)
{
	const char *event = alert_str(rec, "event");

	snprintf(buf, len, "%s%s %s: %s", strcmp(event, "test") == 0 ? "[TEST] " : "",
	    alert_str(rec, "severity"), event, alert_str(rec, "slug"));
}

void
pg_link(char *buf, size_t len, const struct alert_conf *c, const cJSON *rec)
{
	const char *slug = alert_str(rec, "slug");
	int one = cJSON_GetObjectItemCaseSensitive(rec, "group") == NULL && mcp_slug_ok(slug);

	buf[0] = '\0';
	if (c->page_url != NULL &&
	    (size_t)snprintf(
	        buf, len, "%s/status%s%s", c->page_url, one ? "/" : "", one ? slug : "") >= len)
		buf[0] = '\0';
}

/* What a person runs to answer a change of a server's tools, or "". */
static void
to_run(char *buf, size_t len, const cJSON *rec)
{
	const char *kind = alert_str(rec, "kind"), *slug = alert_str(rec, "slug");

	buf[0] = '\0';
	if (strcmp(alert_str(rec, "event"), "resolve") == 0 || !mcp_slug_ok(slug))
		return;
	if (strncmp(kind, "tools-", 6) == 0 ||
	    cJSON_IsString(cJSON_GetObjectItemCaseSensitive(rec, "change_class")))
		snprintf(buf, len,
		    "Review it: mcp-aggregate tools %s, then mcp-aggregate tools %s --approve, or "
		    "--reject",
		    slug, slug);
}

/* The tail of pg_message after what to run: the link, the key, whose the names are. */
static void
tail_add(struct mcp_buf *t, const cJSON *rec, const char *link)
{
	if (link[0] != '\0')
		mcp_buf_addf(t, "\nStatus page: %s", link);
	mcp_buf_adds(t, "\ndedup_key: ");
	add_clean(t, alert_str(rec, "dedup_key"), 0, 0);
	if (alert_str(rec, "untrusted")[0])
		mcp_buf_adds(t, "\n" ALERT_NAMES_UNTRUSTED);
}

/* The tail of pg_message but what to run: its units and bytes. */
static void
tail_size(const cJSON *rec, const char *link, size_t *tu, size_t *tb)
{
	struct mcp_buf t = {0};

	tail_add(&t, rec, link);
	*tu = t.p != NULL ? units_of(t.p) : 0, *tb = t.len;
	mcp_buf_free(&t);
}

/*
 * 1 when rec is a review incident's (tools-unreviewed) whose summary fits
 * whole beside the rest of the message: it says what to answer itself.
 */
static int
answer_said(const cJSON *rec, const char *link, size_t units, size_t bytes)
{
	const char *sum = alert_str(rec, "summary");
	size_t tu, tb;

	if (strcmp(alert_str(rec, "kind"), "tools-unreviewed") != 0)
		return 0;
	tail_size(rec, link, &tu, &tb);
	return (units == 0 || units_of(sum) + tu <= units) &&
	    (bytes == 0 || strlen(sum) + tb <= bytes);
}

void
pg_message(
    struct mcp_buf *b, const struct alert_conf *c, const cJSON *rec, size_t units, size_t bytes)
{
	char run[400], link[512];
	struct mcp_buf tail = {0};
	size_t tu;

	to_run(run, sizeof(run), rec);
	pg_link(link, sizeof(link), c, rec);
	/*
	 * The review incident's summary ends with the answer it asks for
	 * (review.c), never with a server's words: said whole, what to run is
	 * in it already.  Whatever the summary holds, the line is kept when
	 * it is not.
	 */
	if (run[0] != '\0' && !answer_said(rec, link, units, bytes))
		mcp_buf_addf(&tail, "\n%s", run);
	tail_add(&tail, rec, link);
	tu = units_of(tail.p);
	/* The summary gives way: the link and what to run are what a person acts on. */
	if ((units > 0 && tu + 16 > units) || (bytes > 0 && tail.len + 16 > bytes)) {
		add_clean(b, alert_str(rec, "summary"), units, bytes);
	} else {
		add_clean(b, alert_str(rec, "summary"), units ? units - tu : 0,
		    bytes ? bytes - tail.len : 0);
		mcp_buf_adds(b, tail.p);
	}
	mcp_buf_free(&tail);
	if (b->p == NULL)
		mcp_buf_adds(b, "");
}

int
pg_priority(const cJSON *rec)
{
	const char *sev = alert_str(rec, "severity");

	if (strcmp(alert_str(rec, "event"), "test") == 0)
		return 5;
	return strcmp(sev, "P1") == 0 ? 1 : strcmp(sev, "P2") == 0 ? 2 : 3;
}

void
pg_alertname(char *buf, size_t len, const cJSON *rec)
{
	const char *k = alert_str(rec, "kind");
	size_t u;
	int up = 1;

	if (strcmp(alert_str(rec, "event"), "test") == 0)
		k = "test";
	else if (*k == '\0')
		k = "down";
	u = (size_t)snprintf(buf, len, "MCP");
	for (; *k != '\0' && u + 1 < len; k++) {
		if (*k == '-' || *k == '_' || *k == '.') {
			up = 1;
			continue;
		}
		if ((*k < 'a' || *k > 'z') && (*k < '0' || *k > '9'))
			continue;
		buf[u++] = up && *k >= 'a' && *k <= 'z' ? (char)(*k - 'a' + 'A') : *k;
		up = 0;
	}
	buf[u] = '\0';
}

/* --- the phones ----------------------------------------------------------------- */

/* A phone's priority: a test, a resolve and P3 quiet, P1 the loudest. */
static int
phone_level(const cJSON *rec)
{
	const char *ev = alert_str(rec, "event"), *sev = alert_str(rec, "severity");

	if (strcmp(ev, "test") == 0 || strcmp(ev, "resolve") == 0)
		return 0;
	return strcmp(sev, "P1") == 0 ? 2 : strcmp(sev, "P2") == 0 ? 1 : 0;
}

/*
 * https://docs.ntfy.sh/publish/#publish-as-json: POST to the server's root
 * {topic, message, title, tags, priority 1-5, click, markdown}.  A message
 * past 4,096 bytes would become an attachment: it stays under.
 */
static char *
ntfy_body(const struct alert_conf *c, const struct alert_route *r, const cJSON *rec)
{
	static const int prio[] = {3, 4, 5};
	char title[200], link[512];
	struct mcp_buf m = {0};
	cJSON *o = cJSON_CreateObject(), *tags;
	const char *ev = alert_str(rec, "event");

	pg_title(title, sizeof(title), rec);
	pg_link(link, sizeof(link), c, rec);
	pg_message(&m, c, rec, 0, 4096);
	cJSON_AddStringToObject(o, "topic", ntfy_topic(r->url));
	cJSON_AddStringToObject(o, "title", title);
	cJSON_AddStringToObject(o, "message", m.p);
	cJSON_AddNumberToObject(o, "priority",
	    strcmp(ev, "resolve") == 0 || strcmp(ev, "test") == 0 ? 2 : prio[phone_level(rec)]);
	tags = cJSON_AddArrayToObject(o, "tags");
	cJSON_AddItemToArray(tags,
	    cJSON_CreateString(strcmp(ev, "resolve") == 0 ? "white_check_mark"
	            : phone_level(rec) == 2               ? "rotating_light"
	                                                  : "warning"));
	cJSON_AddItemToArray(tags, cJSON_CreateString("mcp-uptime"));
	if (link[0] != '\0')
		cJSON_AddStringToObject(o, "click", link);
	cJSON_AddFalseToObject(o, "markdown");
	mcp_buf_free(&m);
	return alert_print(o);
}

/*
 * https://gotify.net/docs/pushmsg, its API's MessageExternal: POST
 * /message {title, message, priority, extras}; the text shown as plain
 * text (client::display), a tap opens the status page
 * (client::notification).
 */
static char *
gotify_body(const struct alert_conf *c, const cJSON *rec)
{
	static const int prio[] = {4, 6, 8};
	char title[200], link[512];
	struct mcp_buf m = {0};
	cJSON *o = cJSON_CreateObject(), *x, *d;

	pg_title(title, sizeof(title), rec);
	pg_link(link, sizeof(link), c, rec);
	pg_message(&m, c, rec, 0, 4096);
	cJSON_AddStringToObject(o, "title", title);
	cJSON_AddStringToObject(o, "message", m.p);
	cJSON_AddNumberToObject(o, "priority", prio[phone_level(rec)]);
	x = cJSON_AddObjectToObject(o, "extras");
	d = cJSON_AddObjectToObject(x, "client::display");
	cJSON_AddStringToObject(d, "contentType", "text/plain");
	if (link[0] != '\0') {
		d = cJSON_AddObjectToObject(
		    cJSON_AddObjectToObject(x, "client::notification"), "click");
		cJSON_AddStringToObject(d, "url", link);
	}
	mcp_buf_free(&m);
	return alert_print(o);
}

static void
form_add(struct mcp_buf *b, const char *k, const char *v)
{
	char *e = curl_easy_escape(NULL, v, 0);

	if (e == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	mcp_buf_addf(b, "%s%s=%s", b->len > 0 ? "&" : "", k, e);
	explicit_bzero(e, strlen(e));
	curl_free(e);
}

/*
 * https://pushover.net/api: POST /1/messages.json as a form, token, user,
 * message (at most 1,024 characters), title (250), priority -1 to 1 (2
 * would want a receipt acknowledged in Pushover), url (512), url_title;
 * no html, so that nothing of a server is markup.  The token and the user
 * key are added by the sender.
 */
static char *
pushover_body(const struct alert_conf *c, const cJSON *rec)
{
	static const char *const prio[] = {"-1", "0", "1"};
	char title[300], link[512];
	struct mcp_buf m = {0}, b = {0}, t = {0};

	pg_title(title, sizeof(title), rec);
	add_clean(&t, title, 250, 0);
	pg_link(link, sizeof(link), c, rec);
	pg_message(&m, c, rec, 1024, 0);
	form_add(&b, "title", t.p);
	form_add(&b, "message", m.p);
	form_add(&b, "priority",
	    strcmp(alert_str(rec, "event"), "resolve") == 0 ? "0" : prio[phone_level(rec)]);
	if (link[0] != '\0' && strlen(link) <= 512) {
		form_add(&b, "url", link);
		form_add(&b, "url_title", "Status page");
	}
	mcp_buf_free(&m);
	mcp_buf_free(&t);
	return b.p;
}

char *
alert_phone_body(const struct alert_conf *c, const struct alert_route *r, const cJSON *rec)
{
	if (r->type == RT_NTFY)
		return ntfy_body(c, r, rec);
	if (r->type == RT_GOTIFY)
		return gotify_body(c, rec);
	return pushover_body(c, rec);
}

/* A header of a secret, "Authorization: Bearer " and the token; the copy here wiped. */
static struct curl_slist *
secret_header(struct curl_slist *h, const char *prefix, const char *secret)
{
	char hdr[600];

	if ((size_t)snprintf(hdr, sizeof(hdr), "%s%s", prefix, secret) < sizeof(hdr))
		h = curl_slist_append(h, hdr);
	explicit_bzero(hdr, sizeof(hdr));
	return h;
}

/* The phones' request: the body, the URL, the auth of the service. */
static int
send_phone(const struct alert_conf *c, const struct alert_route *r, const cJSON *rec, double *ra,
    char *why, size_t len)
{
	struct curl_slist *h = NULL;
	struct mcp_buf url = {0}, b = {0}, tok = {0};
	char *body = alert_phone_body(c, r, rec);
	const char *nl;
	int rc;

	if (r->type == RT_NTFY) {
		/* The root of the server, where JSON is published. */
		mcp_buf_add(&url, r->url, (size_t)(strrchr(r->url, '/') - r->url));
		if (r->secret != NULL)
			h = secret_header(h, "Authorization: Bearer ", r->secret);
	} else if (r->type == RT_GOTIFY) {
		mcp_buf_addf(&url, "%s/message", r->url);
		h = secret_header(h, "X-Gotify-Key: ", r->secret);
	} else {
		/* token and user first, from the secret ("TOKEN\nUSER"), then the message. */
		nl = strchr(r->secret, '\n');
		tok.wipe = b.wipe = 1;
		mcp_buf_add(&tok, r->secret, (size_t)(nl - r->secret));
		form_add(&b, "token", tok.p);
		form_add(&b, "user", nl + 1);
		mcp_buf_addf(&b, "&%s", body);
		mcp_buf_free(&tok);
		mcp_buf_adds(&url, r->url);
	}
	rc = alert_http_post(c, url.p, h,
	    r->type == RT_PUSHOVER ? "application/x-www-form-urlencoded" : "application/json",
	    r->type == RT_PUSHOVER ? b.p : body, ra, why, len);
	mcp_buf_free(&b);
	mcp_buf_free(&url);
	free(body);
	return rc;
}

int
alert_pager_send(const struct alert_conf *c, const struct alert_route *r, const cJSON *rec,
    double *ra, char *why, size_t len)
{
	struct curl_slist *h = NULL;
	char *body, *url = NULL;
	int rc;

	switch (r->type) {
	case RT_NTFY:
	case RT_GOTIFY:
	case RT_PUSHOVER:
		return send_phone(c, r, rec, ra, why, len);
	case RT_OPSGENIE:
		if ((body = alert_opsgenie_req(c, r, rec, &url)) == NULL)
			return SENT; /* nothing Opsgenie hears of */
		h = secret_header(h, "Authorization: GenieKey ", r->secret);
		break;
	case RT_VICTOROPS:
		if ((body = alert_victorops_body(c, rec)) == NULL)
			return SENT;
		if ((url = strdup(r->url)) == NULL)
			errx(MCP_EXIT_FAIL, "out of memory");
		break;
	case RT_ALERTMANAGER:
		return alert_am_send(c, r, rec, ra, why, len);
	default:
		snprintf(why, len, "not a paging service");
		return REFUSED;
	}
	rc = alert_http_post(c, url, h, "application/json", body, ra, why, len);
	explicit_bzero(url, strlen(url));
	free(url);
	free(body);
	return rc;
}
