/*
 * chatsend.c - the chat routes' lines read, and their requests sent: the
 * service's answer said as SENT, RETRY or REFUSED, and the wait a 429
 * asks for read where the service says it (a Retry-After header, or its
 * body: Discord's retry_after, Telegram's parameters.retry_after,
 * Matrix's retry_after_ms, Zulip's retry-after, Rocket.Chat's "You must
 * wait N seconds"), for the outbox to honour.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "chat.h"
#include "json.h"
#include "version.h"

#define ANSWER_MAX 4096 /* bytes of an answer kept: its retry hint */

int
alert_chat_kind(int t)
{
	return t >= RT_TEAMS && t <= RT_MATRIX;
}

static int
http_url(const char *s)
{
	return strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0;
}

/* A base URL of the configuration, without its trailing slash: owned, NULL with why. */
static char *
base_of(const char *name, const char *u, char *err, size_t errlen)
{
	char *s;

	if (!http_url(u) || strpbrk(u, "?# \"<>") != NULL) {
		snprintf(
		    err, errlen, "route \"%s\": %s: not an http(s) URL without a query", name, u);
		return NULL;
	}
	if ((s = strdup(u)) == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	if (s[strlen(s) - 1] == '/')
		s[strlen(s) - 1] = '\0';
	return s;
}

/* "token_file=PATH"'s secret: owned, NULL with why. */
static char *
token_of(const char *name, const char *arg, char *err, size_t errlen)
{
	if (strncmp(arg, "token_file=", 11) != 0) {
		snprintf(err, errlen, "route \"%s\": want token_file=PATH, not a token", name);
		return NULL;
	}
	return alert_route_secret(arg + 11, err, errlen);
}

/* A word that goes into a URL's path or a form: printable ASCII, no blank, bounded. */
static int
word_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return 0;
	for (; *s != '\0'; s++)
		if (*s <= ' ' || *s >= 0x7f)
			return 0;
	return 1;
}

/* A Telegram chat: its id (-100123...) or a channel's @username. */
static int
chat_id_ok(const char *s)
{
	const char *d = s + (*s == '-');

	if (!word_ok(s, 64))
		return 0;
	return *s == '@' ? strlen(s) > 1 : *d != '\0' && strspn(d, "0123456789") == strlen(d);
}

static char **
words(const char *a, const char *b)
{
	char **v = calloc(3, sizeof(*v));

	if (v == NULL || (v[0] = strdup(a)) == NULL || (b != NULL && (v[1] = strdup(b)) == NULL))
		errx(MCP_EXIT_FAIL, "out of memory");
	return v;
}

/*
 * teams|discord|googlechat|mattermost|rocketchat URL|url_file=FILE;
 * telegram token_file=FILE CHAT [URL]; zulip URL EMAIL token_file=FILE
 * STREAM; matrix URL ROOM token_file=FILE.  The rates are the services'
 * documented ones, where they say one.
 */
static int
conf_of(struct alert_conf *c, struct alert_route *r, char **w, int nw, char *err, size_t errlen)
{
	switch (r->type) {
	case RT_TELEGRAM:
		if (!chat_id_ok(w[1])) {
			snprintf(err, errlen,
			    "route \"%s\": %s: not a chat id (-100123...) or @channel", r->name,
			    w[1]);
			return -1;
		}
		if ((r->url = base_of(r->name, nw == 3 ? w[2] : "https://api.telegram.org", err,
		         errlen)) == NULL)
			return -1;
		r->argv = words(w[1], NULL);
		r->rate_n = 20, r->rate_per = 60; /* a group: 20 messages a minute */
		return (r->secret = token_of(r->name, w[0], err, errlen)) == NULL ? -1 : 0;
	case RT_ZULIP:
		if (!word_ok(w[1], 254) || strchr(w[1], '@') == NULL || strchr(w[1], ':') != NULL) {
			snprintf(err, errlen, "route \"%s\": %s: not a bot's email address",
			    r->name, w[1]);
			return -1;
		}
		if (strlen(w[3]) == 0 || strlen(w[3]) > 60) {
			snprintf(
			    err, errlen, "route \"%s\": a stream name of 1 to 60 bytes", r->name);
			return -1;
		}
		if ((r->url = base_of(r->name, w[0], err, errlen)) == NULL)
			return -1;
		r->argv = words(w[1], w[3]);
		return (r->secret = token_of(r->name, w[2], err, errlen)) == NULL ? -1 : 0;
	case RT_MATRIX:
		if (!word_ok(w[1], 255) || w[1][0] != '!' || strchr(w[1], ':') == NULL) {
			snprintf(err, errlen, "route \"%s\": %s: not a room id (!ID:SERVER)",
			    r->name, w[1]);
			return -1;
		}
		if ((r->url = base_of(r->name, w[0], err, errlen)) == NULL)
			return -1;
		r->argv = words(w[1], NULL);
		return (r->secret = token_of(r->name, w[2], err, errlen)) == NULL ? -1 : 0;
	default:
		/* Discord: 5 requests in 2 seconds a webhook; Google Chat: 1 a second a space. */
		if (r->type == RT_DISCORD)
			r->rate_n = 5, r->rate_per = 2;
		else if (r->type == RT_GCHAT || r->type == RT_TEAMS)
			r->rate_n = 1, r->rate_per = 1;
		return (r->url = alert_route_url(c, r->name, w[0], err, errlen)) == NULL ? -1 : 0;
	}
}

int
alert_chat_conf(
    struct alert_conf *c, struct alert_route *r, char **w, int nw, char *err, size_t errlen)
{
	int i;

	if (conf_of(c, r, w, nw, err, errlen) == 0)
		return 0;
	/* A line refused leaves nothing behind, and no secret in memory. */
	if (r->url != NULL)
		explicit_bzero(r->url, strlen(r->url));
	if (r->secret != NULL)
		explicit_bzero(r->secret, strlen(r->secret));
	free(r->url), free(r->secret);
	for (i = 0; r->argv != NULL && r->argv[i] != NULL; i++)
		free(r->argv[i]);
	free(r->argv);
	r->url = r->secret = NULL, r->argv = NULL;
	return -1;
}

struct answer {
	char buf[ANSWER_MAX];
	size_t n;
};

static size_t
keep(char *p, size_t size, size_t n, void *arg)
{
	struct answer *a = arg;
	size_t k = size * n;

	if (a->n + 1 < sizeof(a->buf)) {
		size_t m = k < sizeof(a->buf) - 1 - a->n ? k : sizeof(a->buf) - 1 - a->n;

		memcpy(a->buf + a->n, p, m);
		a->n += m;
		a->buf[a->n] = '\0';
	}
	return k;
}

/* The seconds a 429's body asks to wait, in the field of each service: 0 when none. */
static double
body_wait(const char *s, size_t n)
{
	const char *why, *w;
	cJSON *o = mcp_json_parse(s, n, &why), *v;
	double d = 0;

	if (o == NULL)
		return 0;
	if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(o, "retry_after")))
		d = v->valuedouble; /* Discord: seconds */
	else if (cJSON_IsNumber(
	             v = cJSON_GetObjectItemCaseSensitive(
	                 cJSON_GetObjectItemCaseSensitive(o, "parameters"), "retry_after")))
		d = v->valuedouble; /* Telegram */
	else if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(o, "retry_after_ms")))
		d = v->valuedouble / 1000; /* Matrix */
	else if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(o, "retry-after")))
		d = v->valuedouble; /* Zulip */
	else if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(o, "error")) &&
	    (w = strstr(v->valuestring, "must wait ")) != NULL)
		d = strtod(w + 10, NULL); /* Rocket.Chat: "You must wait 60 seconds ..." */
	cJSON_Delete(o);
	return isfinite(d) && d > 0 ? ceil(d) : 0;
}

static __thread CURL *chat_e;

/* q sent: SENT, RETRY or REFUSED with why (never the URL nor a token). */
static int
perform(const struct alert_conf *c, const struct alert_route *r, const struct chat_req *q,
    double *ra, char *why, size_t len)
{
	struct curl_slist *h = NULL;
	struct answer a = {.n = 0};
	char hdr[64 + 4096], *user = NULL;
	curl_off_t after = 0;
	CURLcode rc;
	long code = 0;
	double d;

	if (chat_e == NULL && (chat_e = curl_easy_init()) == NULL)
		errx(MCP_EXIT_FAIL, "curl_easy_init");
	curl_easy_reset(chat_e);
	snprintf(hdr, sizeof(hdr), "Content-Type: %s", q->type);
	h = curl_slist_append(h, hdr);
	h = curl_slist_append(h, "User-Agent: mcp-alert/" MCP_VERSION);
	if (q->bearer &&
	    (size_t)snprintf(hdr, sizeof(hdr), "Authorization: Bearer %s", r->secret) < sizeof(hdr))
		h = curl_slist_append(h, hdr);
	if (q->basic) {
		size_t n = strlen(r->argv[0]) + strlen(r->secret) + 2;

		if ((user = malloc(n)) == NULL)
			errx(MCP_EXIT_FAIL, "out of memory");
		snprintf(user, n, "%s:%s", r->argv[0], r->secret);
		curl_easy_setopt(chat_e, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(chat_e, CURLOPT_USERPWD, user);
	}
	curl_easy_setopt(chat_e, CURLOPT_URL, q->url);
	curl_easy_setopt(chat_e, CURLOPT_CUSTOMREQUEST, q->method);
	curl_easy_setopt(chat_e, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(chat_e, CURLOPT_POSTFIELDS, q->body);
	curl_easy_setopt(chat_e, CURLOPT_POSTFIELDSIZE, (long)strlen(q->body));
	curl_easy_setopt(chat_e, CURLOPT_TIMEOUT_MS, c->delivery_timeout * 1000L);
	curl_easy_setopt(chat_e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(chat_e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(chat_e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(chat_e, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(chat_e, CURLOPT_WRITEDATA, &a);
	rc = curl_easy_perform(chat_e);
	curl_easy_getinfo(chat_e, CURLINFO_RESPONSE_CODE, &code);
	/* Neither the token nor the user stays in the handle, nor in memory. */
	curl_easy_setopt(chat_e, CURLOPT_USERPWD, NULL);
	curl_slist_free_all(h);
	explicit_bzero(hdr, sizeof(hdr));
	if (user != NULL)
		explicit_bzero(user, strlen(user));
	free(user);
	if (rc != CURLE_OK) {
		snprintf(why, len, "%s", curl_easy_strerror(rc));
		return RETRY;
	}
	if (code == 429 || code == 503) {
		if (curl_easy_getinfo(chat_e, CURLINFO_RETRY_AFTER, &after) == CURLE_OK &&
		    after > 0)
			d = (double)after;
		else
			d = body_wait(a.buf, a.n);
		if (d > 0)
			*ra = d > RETRY_AFTER_MAX ? RETRY_AFTER_MAX : d;
	}
	snprintf(why, len, "HTTP %ld", code);
	if (code >= 200 && code < 300)
		return SENT;
	return code == 408 || code == 429 || code >= 500 ? RETRY : REFUSED;
}

int
alert_chat_send(const struct alert_conf *c, const struct alert_route *r, const char *id,
    const cJSON *rec, double *ra, char *why, size_t len)
{
	struct chat_req q = {0};
	int rc;

	if (chat_request(c, r, id, rec, &q) == -1)
		return SENT; /* nothing the service hears of */
	rc = perform(c, r, &q, ra, why, len);
	chat_req_free(&q);
	return rc;
}

void
alert_chat_done(void)
{
	curl_easy_cleanup(chat_e);
	chat_e = NULL;
}
